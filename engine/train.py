"""Trainer: full-batch gradient descent through the compiled forward + backward code."""

import math

from engine.compile import FALLBACK_ERRORS, compile_forward, compile_gradient
from engine.value import Value

LOSSES = ("bce", "mse")


def loss_graph(p: Value, y: Value, loss: str) -> Value:
    """One sample's loss as a Value graph: mean binary cross-entropy ("bce") or squared error ("mse")."""
    if loss == "bce" and p.op == "sigmoid":
        # From the logit z, in one node: a stable loss (the textbook log(1 − p) is log(0) once z > ~37, a
        # confident correct prediction) whose gradient is p − y, computed with one exp per sample.
        out = p.parents[0].bce_with_logits(y)
    elif loss == "bce":
        out = -(y * p.log() + (1.0 - y) * (1.0 - p).log())
    elif loss == "mse":
        out = (p - y) ** 2
    else:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    out.label = "loss"
    return out


class Trainer:
    """Trains an MLP with one output on (X, Y); traces and compiles the model once, at creation.

    The trainer owns the weights from then on (read from model.parameters() now) and writes them back to
    the parameters' .data after every step. `lr` may be changed between steps.
    """

    def __init__(self, model, X, Y, lr: float = 0.5, loss: str = "bce"):
        self.model, self.lr, self.loss = model, float(lr), loss
        self.set_data(X, Y)
        self.params = model.parameters()
        self.initial = [p.data for p in self.params]
        self.reset()
        xs = tuple(Value(0.0, label=f"x{i}") for i in range(1, model.n_in + 1))
        y = Value(0.0, label="y")
        out = model(xs)
        if not isinstance(out, Value):
            raise ValueError("Trainer needs a model with one output")
        self._train = compile_gradient(loss_graph(out, y, loss), {"X": xs, "Y": y}, self.params)
        self._fast = self._train.fn
        self._predict = compile_forward(out, {"X": xs}, self.params)
        self._graph = (out, xs, y)   # traced once; mean_loss compiles its loss on first use
        self._loss = None

    def set_data(self, X, Y) -> None:
        """Train on another dataset from the next step on; the compiled code does not depend on the data."""
        if len(X) != len(Y) or not X:
            raise ValueError("X and Y must be non-empty and of equal length")
        self.X = [tuple(map(float, x)) for x in X]
        self.Y = [float(y) for y in Y]
        if any(len(x) != self.model.n_in for x in self.X):
            raise ValueError(f"every point needs {self.model.n_in} coordinates")

    def reset(self, weights=None) -> None:
        """Back to epoch 0 with the weights the trainer started with (or the given ones), no recompiling."""
        self.weights = list(self.initial if weights is None else map(float, weights))
        for p, w in zip(self.params, self.weights, strict=True):
            p.data = w
        self.epoch = 0
        self.losses: list[float] = []   # mean loss of every completed epoch
        self.diverged = False           # set once a step meets inf/nan; that step changes nothing
        self.message = ""               # why it diverged, for the page

    def step(self) -> float:
        """One epoch: forward and backward over all points, then w -= lr * mean gradient; the mean loss.

        On divergence (inf/nan in the loss, the gradient or the new weights) nothing changes, `diverged` and
        `message` are set, and the return value is non-finite: the loss itself, or nan if only the gradient or
        the update overflowed. So `math.isfinite(step())` is False exactly when the step was refused.
        """
        weights, params = self.weights, self.params
        try:  # the compiled function itself: this runs hundreds of times per frame
            total, grads = self._fast(self.X, self.Y, *weights)
        except FALLBACK_ERRORS:
            total, grads = self._train.safe(self.X, self.Y, *weights)
        n = len(self.X)
        loss = total / n
        scale = self.lr / n
        # Update and write back in one pass: on XOR's four points an epoch is a few µs, and a separate write-back
        # loop was 6-8% of it (indexing, too, beats zipping three lists in Pyodide). A refused step puts the old
        # weights back (below), which is rare.
        new = []
        for i in range(len(params)):
            params[i].data = w = weights[i] - scale * grads[i]
            new.append(w)
        # A sum is inf/nan whenever a term is, so a finite sum clears them all; else check one by one.
        if not math.isfinite(loss + sum(new)) and not (math.isfinite(loss) and all(map(math.isfinite, new))):
            # Report, never raise: keep the last finite weights so the page can still draw them.
            for p, w in zip(params, weights):  # noqa: B905 - same length by construction
                p.data = w
            self.diverged = True
            self.message = (f"Training diverged at epoch {self.epoch + 1}: the loss became {loss} "
                            f"(learning rate {self.lr:g} is too large?). Weights kept from epoch {self.epoch}.")
            return loss if not math.isfinite(loss) else math.nan
        self.weights = new
        self.epoch += 1
        self.losses.append(loss)
        return loss

    def run(self, epochs: int) -> float:
        """Up to `epochs` steps, stopping early on divergence; the last step's mean loss (nan if none)."""
        loss = math.nan
        for _ in range(epochs):
            loss = self.step()
            if self.diverged:
                break
        return loss

    def predict(self, points) -> list[float]:
        """The model's output for each point (a list of input tuples), through compiled code: no graph."""
        return self._predict(points, *self.weights)

    def mean_loss(self) -> float:
        """The mean loss at the current weights on the current data: what the next step() will report.

        Compiled, on first use, from the same loss graph step() differentiates, so the page shows the engine's
        loss with the engine's stable formulation (a confident wrong bce prediction reads 40.0, never inf).
        """
        if self._loss is None:
            out, xs, y = self._graph
            self._loss = compile_forward(loss_graph(out, y, self.loss), {"X": xs, "Y": y}, self.params,
                                         name="sample_losses")
        return sum(self._loss(self.X, self.Y, *self.weights)) / len(self.X)  # summed as step() sums

    def source(self) -> str:
        """The generated Python the trainer runs (train_step, then predict), for the lesson's "Show code"."""
        return self._train.source + "\n\n" + self._predict.source
