"""The trainer's gradients in words and numbers: each parameter's name, one point's chain of local derivatives from
its loss ℓ back to that parameter, dead units, and the point's loss as an expression for the Computation graph.

Every number here comes from the engine: the chain's factors are the local derivatives of `backward_steps` on
the point's own loss graph (the trainer's network rebuilt as Values at the current weights), multiplied along the
one path from the parameter to ℓ. Their product is the engine's ∂ℓ/∂w for that point (a test checks it), and
the mean of those over the points is the full-batch ∂L/∂w the trainer steps with.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from engine import Value, backward_steps
from engine.nn import MLP
from engine.rules import RULES
from engine.train import loss_graph
from web import share
from web.format import fixed

SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# The nodes a chain stops at, by the engine's labels: a hidden unit's sum z1_j (called a_j here) and output h1_j,
# the output's logit z2_1 (z), its probability p and the loss. Between two of them the path only adds.
STOPS = re.compile(r"z1_(\d+)|h1_(\d+)|z2_1|p|loss")


def parameter_names(hidden: int) -> list[str]:
    """Each weight and bias by a plain name, in the engine's parameter order (MLP.parameters)."""
    names = []
    for j in range(1, hidden + 1):
        names += [f"Weight from x1 to h{j}", f"Weight from x2 to h{j}", f"Bias of h{j}"]
    return names + [f"Weight from h{j} to the output" for j in range(1, hidden + 1)] + ["Bias of the output"]


def network(weights: list[float], hidden: int, act: str) -> MLP:
    """The trainer's network as Values at these weights."""
    model = MLP(2, [hidden], 1, activation=act, output="sigmoid", seed=0)
    for p, w in zip(model.parameters(), weights, strict=True):
        p.data = w
    return model


class Chain(NamedTuple):
    """One point's ∂ℓ/∂θ as a product: the factors' names (top first) and numbers, and the product."""

    names: tuple[str, ...]
    values: tuple[float, ...]
    product: float

    def text(self) -> str:
        """"∂ℓ/∂z × ∂z/∂h₂ × ∂h₂/∂a₂ × ∂a₂/∂w = 0.4123 × 0.2301 × 0.8123 × 0.5000 = 0.0385"."""
        return (" × ".join(self.names) + " = " + " × ".join(fixed(v, 4) for v in self.values)
                + " = " + fixed(self.product, 4))


def symbol(node, parameter: bool) -> str:
    """How the lesson writes a node of the chain: ℓ, p, z, h₂, a₂, then w or b."""
    if parameter:
        return "b" if node.label.startswith("b") else "w"
    match = STOPS.fullmatch(node.label)
    if match.group(1):
        return "a" + match.group(1).translate(SUBSCRIPT)
    if match.group(2):
        return "h" + match.group(2).translate(SUBSCRIPT)
    return {"z2_1": "z", "p": "p", "loss": "ℓ"}[node.label]


def point_loss(weights: list[float], hidden: int, act: str, loss: str, point, label: float):
    """The network at these weights, and one point's loss ℓ as a Value graph (the trainer's loss_graph)."""
    model = network(weights, hidden, act)
    return model, loss_graph(model(point), Value(label, label="y"), loss)


def point_chain(weights: list[float], hidden: int, act: str, loss: str, point, label: float, index: int) -> Chain:
    """One point's chain from its loss ℓ back to parameter `index`, factor by factor, from the engine's pass."""
    model, ell = point_loss(weights, hidden, act, loss, point, label)
    consumer = {id(step.parent): step for step in backward_steps(ell)}  # on this path, each node feeds one
    node = model.parameters()[index]
    below, factors, local = symbol(node, True), [], 1.0
    while node is not ell:
        step = consumer[id(node)]
        local *= step.local
        node = step.child
        if node is ell or STOPS.fullmatch(node.label or ""):
            above = symbol(node, False)
            factors.append((f"∂{above}/∂{below}", local))
            below, local = above, 1.0
    factors.reverse()
    values = tuple(v for _, v in factors)
    return Chain(tuple(n for n, _ in factors), values, math.prod(values))


def point_gradients(weights: list[float], hidden: int, act: str, loss: str, point, label: float) -> list[float]:
    """The engine's ∂ℓ/∂θ of one point for every parameter (backward() on the point's loss graph)."""
    model, ell = point_loss(weights, hidden, act, loss, point, label)
    ell.backward()
    return [p.grad for p in model.parameters()]


def dead_units(weights: list[float], hidden: int, act: str, X) -> tuple[bool, ...]:
    """Per hidden unit: True when its activation's slope is 0 at every point, so no gradient reaches its weights
    and it can never learn again (a ReLU unit whose sum is negative everywhere)."""
    rule = RULES[act]
    dead = []
    for j in range(hidden):
        w1, w2, b = weights[3 * j: 3 * j + 3]
        slopes = (rule.local(a, 0.0, rule.forward(a, 0.0, 0.0), 0.0)[0] for a in (w1 * x + w2 * y + b for x, y in X))
        dead.append(not any(slopes))
    return tuple(dead)


def num(value: float) -> str:
    """A constant of the graph's expression: 6 significant digits."""
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


def plus(value: float) -> str:
    return f" - {num(-value)}" if value < 0 else f" + {num(value)}"


def graph_expression(weights: list[float], hidden: int, act: str, loss: str, point, label: float,
                     index: int) -> tuple[str, str]:
    """One point's loss ℓ as an expression in one variable, the parameter `index`, with every other weight and
    the point folded into constants (6 significant digits); and the variable's name, w or b.

    Under cross-entropy ℓ = log(1 + exp(−z)) for a point of class 1 and log(1 + exp(z)) for class 0."""
    k = hidden
    out_w, out_b = weights[3 * k: 4 * k], weights[4 * k]
    rule = RULES[act]
    sums = [weights[3 * j] * point[0] + weights[3 * j + 1] * point[1] + weights[3 * j + 2] for j in range(k)]
    outs = [rule.forward(a, 0.0, 0.0) for a in sums]
    name = "b" if index == 4 * k or (index < 3 * k and index % 3 == 2) else "w"
    if index >= 3 * k:  # an output weight or the output bias: z is linear in it
        j = index - 3 * k
        if j == k:
            z = name + plus(sum(v * h for v, h in zip(out_w, outs, strict=True)) + out_b)
        else:
            rest = sum(v * h for m, (v, h) in enumerate(zip(out_w, outs, strict=True)) if m != j) + out_b
            z = f"{num(outs[j])}*{name}" + plus(rest)
    else:  # a hidden unit's weight or bias: it moves that unit's sum a_j, and z through v_j·act(a_j)
        j, i = divmod(index, 3)
        rest_a = sums[j] - weights[index] * (point[i] if i < 2 else 1.0)
        a = name if i == 2 else f"{num(point[i])}*{name}"
        rest_z = sum(v * h for m, (v, h) in enumerate(zip(out_w, outs, strict=True)) if m != j) + out_b
        z = f"{num(out_w[j])}*{act}({a}{plus(rest_a)})" + plus(rest_z)
    if loss == "mse":
        text = f"(sigmoid({z}) - {num(label)})**2"
    else:
        text = f"log(1 + exp(-({z})))" if label == 1.0 else f"log(1 + exp({z}))"
    return text, name


def graph_link(weights: list[float], s, index: int, point, label: float) -> str:
    """"Show in the graph": the link that opens one point's loss in the Computation graph, the parameter `index`
    its only slider, at its value."""
    text, name = graph_expression(weights, s.hidden, s.act, s.loss, point, label, index)
    return share.encode({"graph": {"expr": text, name: num(weights[index])}})
