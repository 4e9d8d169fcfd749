"""The weight panel: one parameter's value and full-batch gradient, and one point's chain back to it."""

from __future__ import annotations

from typing import NamedTuple

from web.format import fixed
from web.trainer.gradients import Chain, parameter_names, point_chain
from web.trainer.state import Settings
from web.tree import El, h


class PanelView(NamedTuple):
    """The plain values the panel shows (the widget fills them from the run a few times a second)."""

    name: str            # "Weight from x1 to h1"
    symbol: str          # w or b
    value: float
    grad: float          # full-batch ∂L/∂θ: the mean of the points' own
    point: int           # which point (0-based) the chain is for
    count: int
    where: tuple[float, float, float]  # that point: x1, x2, class
    chain: Chain
    loss: str            # "bce" or "mse"


def panel_view(weights: list[float], grads: list[float] | None, s: Settings, selected: int | None, point: int,
               X: list, Y: list) -> PanelView | None:
    """The panel's numbers for the selected parameter and point; None when no parameter is selected."""
    if selected is None or grads is None:
        return None
    p = min(point, len(X) - 1)
    chain = point_chain(weights, s.hidden, s.act, s.loss, X[p], Y[p], selected)
    symbol = chain.names[-1][-1]  # w or b: the last factor is ∂·/∂w or ∂·/∂b
    return PanelView(parameter_names(s.hidden)[selected], symbol, weights[selected], grads[selected], p, len(X),
                     (*X[p], Y[p]), chain, s.loss)


def render_panel(view: PanelView, *, ready: bool) -> El:
    off = not ready
    x1, x2, label = view.where
    first = "∂ℓ/∂z = σ(z) − y, the cross-entropy's slope on the logit" if view.loss == "bce" else (
        "∂ℓ/∂p = 2(p − y), the squared error's slope")
    s = view.symbol
    return h(
        "section", {"class": "weight-panel", "aria-labelledby": "trainer-panel-title"},
        h("h3", {"id": "trainer-panel-title"}, view.name),
        h("p", {"class": "panel-numbers"},
          h("output", {"class": "panel-value", "aria-live": "off"}, f"{s} = {fixed(view.value, 4)}"),
          h("output", {"class": "panel-grad", "aria-live": "off"}, f"∂L/∂{s} = {fixed(view.grad, 4)}"),
          h("span", {"class": "hint"}, f"the mean of ∂ℓ/∂{s} over the {view.count} points")),
        h("div", {"class": "panel-point"},
          h("button", {"type": "button", "data-on": "prev", "disabled": off}, "Previous point"),
          h("button", {"type": "button", "data-on": "next", "disabled": off}, "Next point"),
          h("span", {"class": "point-name"},
            f"Point {view.point + 1} of {view.count}: ({fixed(x1, 2)}, {fixed(x2, 2)}), class {int(label)}, "
            "ringed on the plot")),
        h("p", {"class": "chain-line"}, h("output", {"class": "panel-chain", "aria-live": "off"},
                                          view.chain.text())),
        h("p", {"class": "hint"}, f"Its own loss ℓ back to {s}, one local derivative per step ({first}). "
                                  "The product is this point's share of the gradient."),
        h("div", {"class": "panel-actions"},
          h("button", {"type": "button", "data-on": "graph", "disabled": off}, "Show in the graph"),
          h("button", {"type": "button", "data-on": "close", "disabled": off}, "Close")),
    )
