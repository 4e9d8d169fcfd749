"""Check backprop against finite differences: nudge one variable up and down, rerun the forward pass.

Both numbers come from the engine: the estimate from the generated forward pass run at x ± h, the gradient
from the generated backward pass. Their difference is tiny (about h² times the third derivative, plus rounding),
which is the point the table makes: backprop is exact, the finite difference an estimate that costs two
forward passes per variable.
"""

from __future__ import annotations

from dataclasses import dataclass

from web.format import fixed
from web.graph.code import Compiled
from web.graph.words import CHECK_NOTE
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


def check(compiled: Compiled, names: list[str]) -> list[Row]:
    """A row per variable at the current slider values."""
    values = compiled.values()
    grads = compiled.grads(values)
    rows = []
    for k, name in enumerate(names):
        estimate, step = central_difference(compiled, k, values)
        rows.append(Row(name, values[k], step, grads[k], estimate))
    return rows


def render_check(rows: list[Row]) -> El:
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
        h("p", {"class": "check-note"}, CHECK_NOTE),
    )
