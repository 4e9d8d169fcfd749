"""micrograd 0.1.0 with the ops it lacks (tanh, exp, log), added in its own closure style, and the 2-4-1 net.

micrograd ships +, *, **, relu and what derives from them; a sigmoid is then 1 / (1 + exp(-z)).
"""

import math

from micrograd.engine import Value


def _tanh(self):
    t = math.tanh(self.data)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1.0 - t * t) * out.grad

    out._backward = _backward
    return out


def _exp(self):
    e = math.exp(self.data)
    out = Value(e, (self,), "exp")

    def _backward():
        self.grad += e * out.grad

    out._backward = _backward
    return out


def _log(self):
    out = Value(math.log(self.data), (self,), "log")

    def _backward():
        self.grad += out.grad / self.data

    out._backward = _backward
    return out


Value.tanh = _tanh
Value.exp = _exp
Value.log = _log


class Net:
    """2-4-1 tanh/sigmoid net of micrograd Values; one graph per sample, as micrograd is used."""

    def __init__(self, weights):
        self.params = [Value(w) for w in weights]

    def forward(self, x):
        """The output probability for one point, as a micrograd graph."""
        p = self.params
        z = p[16]
        for j in range(4):
            a1, a2, c = p[3 * j: 3 * j + 3]
            z = p[12 + j] * (a1 * x[0] + a2 * x[1] + c).tanh() + z
        return 1 / (1 + (-z).exp())

    def loss(self, x, y, kind):
        """One sample's loss graph."""
        prob = self.forward(x)
        if kind == "bce":
            return -(y * prob.log() + (1 - y) * (1 - prob).log())
        return (prob - y) ** 2

    def step(self, X, Y, lr, kind):
        """One epoch: backward per sample (gradients accumulate), then the mean-gradient update."""
        total = 0.0
        for x, y in zip(X, Y, strict=False):
            loss = self.loss(x, y, kind)
            loss.backward()
            total += loss.data
        n = len(X)
        for p in self.params:
            p.data -= lr * p.grad / n
            p.grad = 0.0
        return total / n

    def predict(self, points):
        """Forward only, one graph per point, as a micrograd user would."""
        return [self.forward(x).data for x in points]
