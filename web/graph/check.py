"""Check backprop against finite differences: nudge one variable up and down, rerun the forward pass.

Both numbers come from the engine: the estimate from the generated forward pass run at x ± h, the gradient
from the generated backward pass. Their difference is tiny (about h² times the third derivative, plus rounding),
which is the point the table makes: backprop is exact, the finite difference an estimate that costs two
forward passes per variable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine import recompute
from web.dag.diagram import Scene
from web.format import fixed
from web.graph import words
from web.graph.code import Compiled
from web.tree import El, h

REL_STEP = 1e-5  # h = REL_STEP · max(1, |x|): near the cube root of float precision, best for central differences


@dataclass(frozen=True)
class Row:
    """One variable's check."""

    name: str
    value: float
    h: float
    backprop: float
    estimate: float

    @property
    def difference(self) -> float:
        return self.backprop - self.estimate


def central_difference(compiled: Compiled, index: int, values: list[float]) -> tuple[float, float]:
    """(L(x + h) − L(x − h)) / 2h for variable `index`, and the h used."""
    x = values[index]
    step = REL_STEP * max(1.0, abs(x))
    up, down = list(values), list(values)
    up[index], down[index] = x + step, x - step
    return (compiled.loss(up) - compiled.loss(down)) / (2 * step), step


def check(compiled: Compiled, names: list[str], grads: Sequence[float] | None = None) -> list[Row]:
    """A row per variable at the current slider values; the backprop column from the generated backward pass, or
    from `grads` (the graph's own pass, when a learner's rule is in use)."""
    values = compiled.values()
    grads = compiled.grads(values) if grads is None else grads
    rows = []
    for k, name in enumerate(names):
        estimate, step = central_difference(compiled, k, values)
        rows.append(Row(name, values[k], step, grads[k], estimate))
    return rows


def agree(row: Row) -> bool:
    """Backprop and the estimate agree as well as a central difference can (or both are not numbers)."""
    if math.isnan(row.backprop) and math.isnan(row.estimate):
        return True
    return abs(row.difference) <= 1e-4 * max(1.0, abs(row.backprop), abs(row.estimate))


def kinks(scene: Scene, compiled: Compiled, rows: list[Row]) -> list[str]:
    """A sentence for each relu whose input the check's nudges carry across 0, for the rows that disagree: there
    the graph has no single slope, backprop takes the rule's value and the finite difference averages both sides."""
    relus = [node for node in scene.order if node.op == "relu"]
    found: dict[int, str] = {}
    for k, row in enumerate(rows):
        if agree(row) or not relus:
            continue
        param = compiled.params[k]
        signs = []
        for value in (row.value - row.h, row.value + row.h):
            param.data = value
            recompute(scene.root)
            signs.append([node.parents[0].data > 0.0 for node in relus])
        param.data = row.value
        recompute(scene.root)
        for node, below, above in zip(relus, *signs, strict=True):
            if below != above and id(node) not in found:
                found[id(node)] = words.kink(scene, node, row.name)
    return list(found.values())


def render_check(rows: list[Row], notes: Sequence[str] = ()) -> El:
    """The table: variable, backprop gradient, central-difference estimate, their difference."""
    head = h("tr", {}, *[h("th", {"scope": "col"}, text)
                         for text in ("Variable", "Backprop", "Finite difference", "Difference")])
    body = [h("tr", {},
              h("th", {"scope": "row"}, row.name),
              h("td", {}, fixed(row.backprop, 4)),
              h("td", {}, fixed(row.estimate, 4)),
              h("td", {}, fixed(row.difference, 4)))
            for row in rows]
    return h(
        "div", {"class": "graph-check", "id": "graph-check"},
        h("table", {},
          h("caption", {}, "∂L/∂v by backprop and by finite differences"),
          h("thead", {}, head), h("tbody", {}, *body)),
        *[h("p", {"class": "check-note check-kink"}, note) for note in notes],
        h("p", {"class": "check-note"}, words.check_note(REL_STEP)),
    )
