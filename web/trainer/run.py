"""A training run: the compiled network, and the loss curves of this run and the last two.

The run follows the widget's state (`follow`): a new network (width, activation or loss) is compiled once, new
data goes in with `Trainer.set_data`, a new run number starts again from the seed's weights, and each press of
Step is one epoch. The epoch count, the loss list and the weights are the engine Trainer's own; the chart's
`History` buckets that same list. Every number shown comes from the Trainer: the loss is `mean_loss()` (the loss
graph `step()` differentiates), predictions `predict()`, gradients its compiled backward pass.
"""

from __future__ import annotations

import math

from engine.data import moons, xor
from engine.nn import MLP
from engine.train import Trainer
from web.trainer.heatmap import Domain
from web.trainer.linechart import History
from web.trainer.state import DATA_SEED, Point, Settings, lr_text

KEEP_PAST = 2           # earlier runs drawn faded on the loss chart, so two learning rates can be compared
OVERFLOW = "the loss overflowed: the learning rate is too large — lower it and press Reset"
# What a hidden unit's map shows: its output, centred for sigmoid (2σ − 1, so blue means above ½) and capped at 1
# for ReLU (blue where the unit is on, white where it is off).
MAP_VALUE = {"tanh": math.tanh, "sigmoid": lambda a: math.tanh(a / 2.0), "relu": lambda a: min(1.0, max(0.0, a))}


def base_data(s: Settings) -> tuple[list[tuple[float, float]], list[float]]:
    """The dataset's own points, before any the learner added."""
    if s.dataset == "moons":
        return moons(s.count, s.noise, DATA_SEED)
    return xor()


def data_key(s: Settings) -> tuple:
    """What the dataset's own points depend on: noise and count only matter on two moons."""
    return (s.dataset, s.noise, s.count) if s.dataset == "moons" else (s.dataset,)


def initial_weights(seed: int, hidden: int = 4) -> list[float]:
    """The weights a run starts from: the engine's MLP initialisation with this seed."""
    return [p.data for p in MLP(2, [hidden], 1, seed=seed).parameters()]


class Run:
    """The network being trained and the loss curves of the last KEEP_PAST runs."""

    def __init__(self, settings: Settings, added: tuple[Point, ...] = ()):
        self.net = (settings.hidden, settings.act, settings.loss)
        self.base_key = data_key(settings)
        self.base = base_data(settings)
        self.added = added
        self.trainer = self.build(settings)
        self.history = History(values=self.trainer.losses)
        self.rates: list[float] = []  # every learning rate this run trained with, in order: the curve's label
        self.past: list[tuple[str, History]] = []
        self.started = (settings.seed, 0)
        self.steps = 0          # Step presses followed
        self.version = 0        # bumps whenever the weights or the data change: pictures and numbers are stale
        self.data_version = 0

    def build(self, s: Settings) -> Trainer:
        model = MLP(2, [s.hidden], 1, activation=s.act, output="sigmoid", seed=s.seed)
        return Trainer(model, *self.data(), lr=s.lr, loss=s.loss)

    def data(self) -> tuple[list[tuple[float, float]], list[float]]:
        """The training set: the dataset's points, then the learner's."""
        X, Y = list(self.base[0]), list(self.base[1])
        X += [(x, y) for x, y, _ in self.added]
        Y += [label for _, _, label in self.added]
        return X, Y

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def label(self) -> str:
        return "η " + " → ".join(lr_text(lr) for lr in self.rates or [self.trainer.lr])

    def follow(self, s: Settings, added: tuple[Point, ...], run_no: int, keep_past: bool, steps: int) -> bool:
        """Agree with the widget's state by the cheapest change; False if a Step met an overflow."""
        if data_key(s) != self.base_key or added != self.added:
            if data_key(s) != self.base_key:
                self.base_key, self.base = data_key(s), base_data(s)
            self.added = added
            self.trainer.set_data(*self.data())
            self.data_version += 1
            self.version += 1
        if (s.hidden, s.act, s.loss) != self.net:
            self.net = (s.hidden, s.act, s.loss)
            self.trainer = self.build(s)
            self.started = None  # a new network always starts from its seed's weights
            keep_past = False    # curves of another network are not comparable with this one's
        if self.started != (s.seed, run_no):
            self.restart(s, keep_past)
            self.started = (s.seed, run_no)
        self.trainer.lr = s.lr
        ok = True
        while self.steps < steps:
            self.steps += 1
            ok = ok and self.step()
        return ok

    def restart(self, s: Settings, keep_past: bool) -> None:
        """Epoch 0 from the seed's weights. The run so far joins the faded curves if it got anywhere."""
        if keep_past and len(self.history):
            self.past = [(self.label, self.history), *self.past][:KEEP_PAST]
        elif not keep_past:
            self.past = []
        self.trainer.reset(initial_weights(s.seed, s.hidden))
        self.history = History(values=self.trainer.losses)
        self.rates = []
        self.version += 1

    def step(self) -> bool:
        """One epoch; on a non-finite loss the engine keeps the weights, and this returns False."""
        if not self.rates or self.rates[-1] != self.trainer.lr:
            self.rates.append(self.trainer.lr)  # a rate counts once an epoch has used it
        loss = self.trainer.step()
        if not math.isfinite(loss):
            return False
        self.history.catch_up()
        self.version += 1
        return True

    def overflow(self) -> str:
        return f"Training stopped at epoch {self.epoch + 1} because {OVERFLOW}."

    def loss(self) -> float:
        """The engine's mean loss at the current weights: what the next epoch will report."""
        return self.trainer.mean_loss()

    def accuracy(self) -> float:
        """The share of training points on the right side of p = 0.5."""
        t = self.trainer
        right = sum((p >= 0.5) == (y == 1.0) for p, y in zip(t.predict(t.X), t.Y, strict=True))
        return right / len(t.Y)

    def gradient(self) -> list[float]:
        """The full-batch ∂L/∂θ at the current weights: the trainer's own compiled backward pass, per point
        summed, divided by the number of points (what the next step multiplies by η)."""
        t = self.trainer
        _, grads = t._train(t.X, t.Y, *t.weights)
        return [g / len(t.X) for g in grads]

    def layers(self) -> list[list[tuple[list[float], float]]]:
        """The weights as numbers, layer by layer: (incoming weights, bias) per neuron."""
        w, k = self.trainer.weights, self.net[0]
        hidden = [([w[3 * j], w[3 * j + 1]], w[3 * j + 2]) for j in range(k)]
        return [hidden, [(w[3 * k: 4 * k], w[4 * k])]]

    def hidden_values(self, unit: int, domain: Domain, size: int) -> list[float]:
        """Hidden unit `unit`'s output (see MAP_VALUE) at the centres of a size×size grid over the domain.

        w₁x₁ + w₂x₂ + b splits into a column part and a row part, so the grid costs one addition and one
        activation per pixel: this runs inside the animation frame.
        """
        w = self.trainer.weights
        w1, w2, b = w[3 * unit: 3 * unit + 3]
        dx, dy = (domain.x_max - domain.x_min) / size, (domain.y_max - domain.y_min) / size
        cols = [w1 * (domain.x_min + dx * (i + 0.5)) for i in range(size)]
        act = MAP_VALUE[self.net[1]]
        out: list[float] = []
        for j in range(size):
            row = w2 * (domain.y_max - dy * (j + 0.5)) + b
            out += [act(c + row) for c in cols]
        return out

