"""The small diagram of the network: every weight an edge, blue if positive, magenta if negative, wider if larger."""

from __future__ import annotations

import math

from web.format import fixed
from web.tree import El, h

WIDTH, HEIGHT = 240, 150
COLUMNS = (34, 120, 206)  # x of the input, hidden and output layer
RADIUS = 11
MAX_STROKE = 7.0


def layer_ys(count: int) -> list[float]:
    """Node centres of one layer, evenly spread over the height."""
    gap = HEIGHT / count
    return [gap * (i + 0.5) for i in range(count)]


def stroke(weight: float) -> float:
    """Edge width for a weight: grows like the square root of its size, so small weights stay visible."""
    return round(min(MAX_STROKE, 0.6 + 2.0 * math.sqrt(abs(weight))), 2)


def render_network(layers: list[list[tuple[list[float], float]]], names: tuple[list[str], ...]) -> El:
    """Draw a fully connected net from its weights: layers of neurons, each (incoming weights, bias).

    `names` gives the node labels per column, inputs first.
    """
    columns = [layer_ys(len(col)) for col in names]
    edges, summary = [], []
    for layer, neurons in enumerate(layers):
        x1, x2 = COLUMNS[layer], COLUMNS[layer + 1]
        for j, (weights, _bias) in enumerate(neurons):
            for i, w in enumerate(weights):
                sign = "pos" if w >= 0 else "neg"
                edges.append(h("line", {"class": f"edge {sign}", "x1": x1 + RADIUS, "y1": columns[layer][i],
                                        "x2": x2 - RADIUS, "y2": columns[layer + 1][j], "stroke-width": stroke(w)}))
                summary.append(f"{names[layer][i]}→{names[layer + 1][j]} {fixed(w, 2)}")
    nodes = []
    for col, labels in enumerate(names):
        for y, label in zip(columns[col], labels, strict=True):
            nodes.append(h("circle", {"class": "node", "cx": COLUMNS[col], "cy": y, "r": RADIUS}))
            nodes.append(h("text", {"class": "node-label", "x": COLUMNS[col], "y": y + 4, "text-anchor": "middle"},
                           label))
    return h(
        "svg",
        {"class": "network", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img", "aria-label": "Network weights",
         "aria-describedby": "trainer-net-desc"},
        h("desc", {"id": "trainer-net-desc"},
          "Edges blue for a positive weight, magenta for a negative one, wider for a larger one: " +
          ", ".join(summary) + "."),
        h("g", {"class": "edges"}, *edges),
        h("g", {"class": "nodes", "aria-hidden": "true"}, *nodes),
    )
