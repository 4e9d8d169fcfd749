"""A training run: the network, its compiled Trainer, the epoch count and the loss history, plus the last two runs.

The Trainer is compiled once per loss function and then reused: new weights go in with `Trainer.reset`, new data
(another dataset, or the learner's points) with `Trainer.set_data`. Every number shown comes from it: the loss is
`Trainer.mean_loss()` (the same loss graph `step()` differentiates), predictions are `Trainer.predict()`.
"""

from __future__ import annotations

import math

from engine.data import moons, xor
from engine.nn import MLP
from engine.train import Trainer
from web.trainer.heatmap import Domain
from web.trainer.linechart import History
from web.trainer.state import DATA_SEED, Settings, lr_text

HIDDEN = 4
KEEP_PAST = 2           # earlier runs drawn faded on the loss chart, so two learning rates can be compared
OVERFLOW = "the loss overflowed: the learning rate is too large — lower it and press Reset"


def base_data(s: Settings) -> tuple[list[tuple[float, float]], list[float]]:
    """The dataset's own points, before any the learner added."""
    if s.dataset == "moons":
        return moons(s.count, s.noise, DATA_SEED)
    return xor()


def initial_weights(seed: int) -> list[float]:
    """The weights a run starts from: the engine's MLP initialisation with this seed."""
    return [p.data for p in MLP(2, [HIDDEN], 1, seed=seed).parameters()]


class Run:
    """The network being trained, how far it got, and the loss curves of this run and the last KEEP_PAST."""

    def __init__(self, settings: Settings, X, Y):
        self.model = MLP(2, [HIDDEN], 1, activation="tanh", output="sigmoid", seed=settings.seed)
        self.trainer = Trainer(self.model, X, Y, lr=settings.lr, loss=settings.loss)
        self.epoch = 0
        self.history = History()
        self.rates: list[float] = []  # every learning rate this run trained with, in order: the curve's label
        self.past: list[tuple[str, History]] = []
        self.message = ""

    @property
    def label(self) -> str:
        return "η " + " → ".join(lr_text(lr) for lr in self.rates or [self.trainer.lr])

    def restart(self, seed: int, lr: float, *, keep_past: bool = True) -> None:
        """Epoch 0 from the seed's weights. The run so far joins the faded curves if it got anywhere."""
        if keep_past and len(self.history):
            self.past = [(self.label, self.history), *self.past][:KEEP_PAST]
        elif not keep_past:
            self.past = []
        self.trainer.reset(initial_weights(seed))
        self.trainer.lr = lr
        self.epoch = 0
        self.history = History()
        self.rates = []
        self.message = ""

    def recompile(self, loss: str, X, Y) -> None:
        """A new loss function is new code: the one time the Trainer is compiled again (weights carry over)."""
        weights = list(self.trainer.weights)
        self.trainer = Trainer(self.model, X, Y, lr=self.trainer.lr, loss=loss)
        self.trainer.reset(weights)

    def set_lr(self, lr: float) -> None:
        """Takes effect from the next epoch; the run carries on (and its label will show the change)."""
        self.trainer.lr = lr

    def step(self) -> bool:
        """One epoch; on a non-finite loss keep the weights, explain, and return False."""
        if not self.rates or self.rates[-1] != self.trainer.lr:
            self.rates.append(self.trainer.lr)  # a rate counts once an epoch has used it
        loss = self.trainer.step()
        if not math.isfinite(loss):
            # The trainer kept the last finite weights, so the boundary and diagram still show something true.
            self.message = f"Training stopped at epoch {self.epoch + 1} because {OVERFLOW}."
            return False
        self.history.append(loss)
        self.epoch += 1
        return True

    def loss(self) -> float:
        """The engine's mean loss at the current weights: what the next epoch will report."""
        return self.trainer.mean_loss()

    def accuracy(self) -> float:
        """The share of training points on the right side of p = 0.5."""
        t = self.trainer
        right = sum((p >= 0.5) == (y == 1.0) for p, y in zip(t.predict(t.X), t.Y, strict=True))
        return right / len(t.Y)

    def weights(self) -> list[list[tuple[list[float], float]]]:
        """The model's weights as numbers, layer by layer: (incoming weights, bias) per neuron."""
        return [[([w.data for w in weights], bias.data) for weights, bias in layer] for layer in self.model.layers]

    def hidden_values(self, unit: int, domain: Domain, size: int) -> list[float]:
        """Hidden unit `unit`'s tanh output at the centres of a size×size grid over the domain, row by row.

        tanh(w₁x₁ + w₂x₂ + b) splits into a column part and a row part, so the grid costs one addition and one
        tanh per pixel: this runs inside the animation frame.
        """
        (w1, w2), b = self.weights()[0][unit]
        dx, dy = (domain.x_max - domain.x_min) / size, (domain.y_max - domain.y_min) / size
        cols = [w1 * (domain.x_min + dx * (i + 0.5)) for i in range(size)]
        tanh = math.tanh
        out: list[float] = []
        for j in range(size):
            row = w2 * (domain.y_max - dy * (j + 0.5)) + b
            out += [tanh(c + row) for c in cols]
        return out
