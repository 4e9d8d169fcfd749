"""The small diagram of the network, and beside it one button per weight and bias.

Each weight is an edge and each bias a short stub into its unit. Drawn as weights: blue if positive, magenta if
negative, wider if larger. Drawn as gradients ("Show gradients"): orange, as gradients are everywhere on the page,
wider for a larger |∂L/∂w|. Either way a negative number is dashed, so the sign never rests on colour alone.
The drawing is a picture (role="img"); the buttons, named "Weight from x1 to h1" … "Bias of the output", are
how a learner, and a screen reader, reaches each number and opens its panel.
"""

from __future__ import annotations

import math

from web.format import fixed, sci
from web.tree import El, h

WIDTH = 240
COLUMNS = (34, 120, 206)  # x of the input, hidden and output layer
RADIUS = 11
MAX_STROKE = 7.0
STUB = 13                 # a bias's stub: this far up and to the left of its unit
TOP = 14                  # room above the first unit for its bias's stub


def height(hidden: int) -> int:
    """Room for the hidden layer: at least the 4-unit diagram's 150, more for more units."""
    return max(150, 34 * hidden)


def layer_ys(count: int, total: float) -> list[float]:
    """Node centres of one layer, evenly spread over the height below the room for the first stub."""
    gap = total / count
    return [TOP + gap * (i + 0.5) for i in range(count)]


def stroke(weight: float) -> float:
    """Edge width for a weight: grows like the square root of its size, so small weights stay visible."""
    return round(min(MAX_STROKE, 0.6 + 2.0 * math.sqrt(abs(weight))), 2)


def grad_stroke(grad: float, largest: float) -> float:
    """Edge width for a gradient: its share of the largest |∂L/∂w| now, by square root, from 0.6 to MAX_STROKE."""
    share = abs(grad) / largest if largest > 0 else 0.0
    return round(0.6 + (MAX_STROKE - 0.6) * math.sqrt(share), 2)


def cell_text(value: float, digits: int) -> str:
    """A table cell's number, short enough for its cell: `digits` decimals, or one significant digit in
    scientific notation where those would read as 0 (a gradient of 2×10⁻⁷ is not nothing) or run long."""
    if value == 0 or 10.0 ** -digits <= abs(value) < 1e4:
        return fixed(value, digits)
    return sci(value, 0)


def unit_names(hidden: int) -> tuple[list[str], list[str], list[str]]:
    return ["x1", "x2"], [f"h{j}" for j in range(1, hidden + 1)], ["p"]


def render_network(weights: list[float], hidden: int, *, grads: list[float] | None = None,
                   selected: int | None = None) -> El:
    """The network drawn from its weights (engine parameter order), or from its gradients when given.

    `selected` (a parameter index) is drawn with a halo: the weight whose panel is open.
    """
    total = height(hidden)
    names = unit_names(hidden)
    ys = [layer_ys(len(col), total) for col in names]
    shown = grads if grads is not None else weights
    largest = max(map(abs, shown)) if grads is not None else 0.0
    edges: list[El] = []

    def mark(index: int, x1: float, y1: float, x2: float, y2: float) -> None:
        value = shown[index]
        sign = "pos" if value >= 0 else "neg"
        width = grad_stroke(value, largest) if grads is not None else stroke(value)
        kind = f"edge {'grad' if grads is not None else sign}{' minus' if value < 0 else ''}"
        if index == selected:
            edges.append(h("line", {"class": "halo", "x1": x1, "y1": y1, "x2": x2, "y2": y2,
                                    "stroke-width": width + 6}))
        edges.append(h("line", {"class": kind, "x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke-width": width}))

    for j in range(hidden):
        x, y = COLUMNS[1], ys[1][j]
        for i in range(2):
            mark(3 * j + i, COLUMNS[0] + RADIUS, ys[0][i], x - RADIUS, y)
        mark(3 * j + 2, x - RADIUS - STUB, y - RADIUS - STUB, x - RADIUS * 0.7, y - RADIUS * 0.7)
    out_y = ys[2][0]
    for j in range(hidden):
        mark(3 * hidden + j, COLUMNS[1] + RADIUS, ys[1][j], COLUMNS[2] - RADIUS, out_y)
    x = COLUMNS[2]
    mark(4 * hidden, x - RADIUS - STUB, out_y - RADIUS - STUB, x - RADIUS * 0.7, out_y - RADIUS * 0.7)
    nodes = []
    for col, labels in enumerate(names):
        for y, label in zip(ys[col], labels, strict=True):
            nodes.append(h("circle", {"class": "node", "cx": COLUMNS[col], "cy": y, "r": RADIUS}))
            nodes.append(h("text", {"class": "node-label", "x": COLUMNS[col], "y": y + 4, "text-anchor": "middle"},
                           label))
    what = "gradients ∂L/∂w, wider for a larger size" if grads is not None else (
        "weights, blue positive, magenta negative, wider for a larger size")
    return h(
        "svg",
        {"class": "network" + (" grads" if grads is not None else ""), "viewBox": f"0 0 {WIDTH} {total + TOP}",
         "role": "img", "aria-label": "Network " + ("gradients" if grads is not None else "weights")},
        h("desc", {}, f"Edges show the {what}; dashed where negative. Each bias is a short stub into its unit. "
                      "The buttons beside the drawing give every number."),
        h("g", {"class": "edges"}, *edges),
        h("g", {"class": "nodes", "aria-hidden": "true"}, *nodes),
    )


def render_buttons(names: list[str], values: list[float], hidden: int, *, grads: bool, selected: int | None,
                   ready: bool) -> El:
    """One button per parameter, in a table of the units: each shows its number (w, or ∂L/∂w) and is named
    exactly, so "Weight from x1 to h1" can be found, focused and opened."""
    def button(index: int) -> El:
        # The number is drawn over the button, not inside it: the button's name is exactly its label (a voice
        # user says "Weight from x1 to h1", never a number that changes), and a screen reader reads the number
        # as the cell's text after it.
        return h("td", {}, h("button", {
            "type": "button", "class": "param", "data-on": f"param:{index}", "aria-label": names[index],
            "aria-pressed": "true" if index == selected else "false", "disabled": not ready}),
            h("span", {"class": "param-value"}, cell_text(values[index], 3 if grads else 2)))

    head = h("tr", {}, h("th", {"scope": "col"}, "unit"), h("th", {"scope": "col"}, "from x1"),
             h("th", {"scope": "col"}, "from x2"), h("th", {"scope": "col"}, "bias"),
             h("th", {"scope": "col"}, "to the output"))
    rows = [h("tr", {}, h("th", {"scope": "row"}, f"h{j + 1}"), button(3 * j), button(3 * j + 1),
              button(3 * j + 2), button(3 * hidden + j)) for j in range(hidden)]
    rows.append(h("tr", {}, h("th", {"scope": "row"}, "output"), h("td", {}), h("td", {}),
                  button(4 * hidden), h("td", {})))
    caption = "∂L/∂w of each weight and bias" if grads else "Each weight and bias"
    return h("table", {"class": "params"}, h("caption", {}, caption + ": choose one to see its chain"),
             h("thead", {}, head), h("tbody", {}, *rows))
