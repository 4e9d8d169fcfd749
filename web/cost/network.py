"""The network family the widget measures: 2 → k tanh → 1 sigmoid with a squared error on one point.

One description builds both the engine graph the widget differentiates and the expression text the
Computation graph widget reads ("Show in the graph"), so the two are the same graph node for node: the point's
coordinates and label are numeric constants (a fresh leaf at each use, as web.expr builds them), and every
weight is a parameter leaf.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from engine import Value

K_MIN, K_MAX = 1, 64
POINT = (0.5, -1.2)
TARGET = 1.0
OUTPUT_BIAS = 0.2


def _draw_units() -> tuple[tuple[float, float, float, float], ...]:
    # Hidden unit j keeps its input weights, bias and (before scaling) output weight whatever k is, so the
    # k = 1 network is part of the k = 2 one. Two decimals, as the graph's sliders hold them.
    rng = random.Random(2024)
    return tuple(tuple(round(rng.uniform(-1.5, 1.5), 2) for _ in range(4)) for _ in range(K_MAX))


UNITS = _draw_units()


def parameter_count(k: int) -> int:
    """Weights and biases of the 2 → k → 1 network: 2k + k input side, k + 1 output side."""
    return 4 * k + 1


def operation_count(k: int) -> int:
    """Operation nodes of the graph: six per hidden unit (two products, two sums, tanh, the output product),
    k sums into the output, then sigmoid, difference and square."""
    return 7 * k + 3


def node_count(k: int) -> int:
    """Every node: the operations, the 4k + 1 parameters, and the constants 0.5, −1.2 per unit and the label."""
    return operation_count(k) + parameter_count(k) + 2 * k + 1


def edge_count(k: int) -> int:
    """One edge per operation input: each leaf is used once, so the graph is a tree of node_count − 1 edges."""
    return node_count(k) - 1


def weights(k: int) -> dict[str, float]:
    """The parameter values by name, in the order the expression first uses them: u1, w11, w12, b1, u2, …, c.

    Output weights are u1, u2, …: the Computation graph names its intermediate nodes v1, v2, …, so v for a
    weight would read as a node there ("v8 = v1·v7"). They shrink as 1/√k so the sigmoid is not saturated at
    k = 64 (gradients stay readable).
    """
    values: dict[str, float] = {}
    scale = 1.0 / math.sqrt(k)
    for j in range(1, k + 1):
        w1, w2, b, u = UNITS[j - 1]
        values.update({f"u{j}": round(u * scale, 2) or 0.01, f"w{j}1": w1, f"w{j}2": w2, f"b{j}": b})
    values["c"] = OUTPUT_BIAS
    return values


@dataclass
class Network:
    """The engine graph for one k: the loss node and the parameter leaves, in the order of `weights(k)`."""

    k: int
    loss: Value
    params: list[Value]


def build(k: int) -> Network:
    """L = (σ(Σⱼ uⱼ·tanh(wⱼ₁·0.5 + wⱼ₂·(−1.2) + bⱼ) + c) − 1)² as Values, built as web.expr would build it."""
    leaves = {name: Value(value, label=name) for name, value in weights(k).items()}
    x1, x2 = POINT
    out = None
    for j in range(1, k + 1):
        z = leaves[f"w{j}1"] * Value(x1) + leaves[f"w{j}2"] * Value(x2) + leaves[f"b{j}"]
        term = leaves[f"u{j}"] * z.tanh()
        out = term if out is None else out + term
    loss = ((out + leaves["c"]).sigmoid() - Value(TARGET)) ** 2
    return Network(k, loss, list(leaves.values()))


def expression(k: int) -> str:
    """The same network as text for the Computation graph widget (web.expr syntax)."""
    x1, x2 = (f"{x:g}" if x >= 0 else f"({x:g})" for x in POINT)
    terms = " + ".join(f"u{j}*tanh(w{j}1*{x1} + w{j}2*{x2} + b{j})" for j in range(1, k + 1))
    return f"(sigmoid({terms} + c) - {TARGET:g})**2"
