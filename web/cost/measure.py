"""The gradient of one network computed three ways by the engine, one pass at a time.

Each method is a generator that makes one pass over the graph per step, counting its rule applications in an
engine.Tally and its time on a real clock. `Measurement.advance` runs steps until a frame's budget is spent, so
the page stays responsive even at k = 64, where finite differences make 258 passes.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from engine import Tally, backward, jvp, recompute
from web.cost.network import Network

# Forward difference step: √ε balances truncation (∝ h) against rounding (∝ ε/h), relative to the weight.
FD_STEP = math.sqrt(sys.float_info.epsilon)
# Display order; they run cheapest first so reverse mode's answer is there at once.
METHODS = ("finite", "forward", "reverse")
RUN_ORDER = ("pass", "reverse", "forward", "finite")
LABELS = {"finite": "Finite differences", "forward": "Forward mode", "reverse": "Reverse mode",
          "pass": "One forward pass"}
# How many passes each method makes for n parameters: finite differences one plain pass at the weights and one
# per nudged parameter, forward mode one jvp pass per parameter, reverse mode a forward and a backward pass.
PASSES = {"finite": lambda n: n + 1, "forward": lambda n: n, "reverse": lambda n: 2, "pass": lambda n: 1}
# Each of those passes' rule applications per operation node: a jvp pass applies two (the value and its tangent).
WORK_PER_PASS = {"finite": 1, "forward": 2, "reverse": 1, "pass": 1}


def label(method: str) -> str:
    """The method's name inside a sentence: "forward mode"."""
    return LABELS[method].lower()


@dataclass
class Result:
    """One method's work so far: rule applications and passes (the tally), seconds, gradients, finished."""

    tally: Tally = field(default_factory=Tally)
    seconds: float = 0.0
    grads: list[float] = field(default_factory=list)
    done: bool = False


def one_pass(net: Network, result: Result) -> Iterator[None]:
    """A plain forward pass: the unit every other method is measured in."""
    recompute(net.loss, result.tally)
    yield


def reverse_mode(net: Network, result: Result) -> Iterator[None]:
    """One forward pass to store the values, one backward pass for every gradient at once."""
    recompute(net.loss, result.tally)
    yield
    backward(net.loss, result.tally)
    result.grads = [p.grad for p in net.params]
    yield


def forward_mode(net: Network, result: Result) -> Iterator[None]:
    """One jvp pass per parameter, its tangent 1 and every other tangent 0."""
    for p in net.params:
        result.grads.append(jvp(net.loss, {p: 1.0}, result.tally))
        yield


def finite_differences(net: Network, result: Result) -> Iterator[None]:
    """One forward pass at the weights, then one per parameter with that parameter nudged by h."""
    recompute(net.loss, result.tally)
    base = net.loss.data
    yield
    for p in net.params:
        old = p.data
        p.data = old + FD_STEP * max(1.0, abs(old))
        step = p.data - old  # the nudge as the float arithmetic made it
        recompute(net.loss, result.tally)
        result.grads.append((net.loss.data - base) / step)
        p.data = old
        yield


RUNNERS: dict[str, Callable[[Network, Result], Iterator[None]]] = {
    "pass": one_pass, "reverse": reverse_mode, "forward": forward_mode, "finite": finite_differences,
}


class Measurement:
    """The three methods (and one plain forward pass) on one network, advanced a budget at a time."""

    def __init__(self, net: Network, clock: Callable[[], float] = time.perf_counter):
        self.net, self.clock = net, clock
        self.results = {name: Result() for name in RUN_ORDER}
        self.pending = [(name, RUNNERS[name](net, self.results[name])) for name in RUN_ORDER]
        self.loss = math.nan

    @property
    def done(self) -> bool:
        return not self.pending

    def advance(self, budget_s: float) -> None:
        """Run passes while the next one should still end within `budget_s` seconds (judged by the last pass;
        always at least one pass), or until everything is done."""
        clock = self.clock
        start = clock()
        last = 0.0
        while self.pending:
            name, steps = self.pending[0]
            result = self.results[name]
            before = clock()
            finished = next(steps, True) is True
            after = clock()
            result.seconds += after - before
            if finished:
                result.done = True
                self.pending.pop(0)
                if name == "pass":
                    self.loss = self.net.loss.data
            else:
                last = after - before
            if after - start + last > budget_s:
                return

    def finish(self) -> None:
        """Run everything now (tests, benchmarks, the pre-rendered page)."""
        while self.pending:
            self.advance(math.inf)

    def largest_difference(self, method: str) -> float | None:
        """max |gradient by `method` − gradient by reverse mode| over the parameters, once both are done."""
        ours, reference = self.results[method], self.results["reverse"]
        if not (ours.done and reference.done):
            return None
        return max(abs(a - b) for a, b in zip(ours.grads, reference.grads, strict=True))
