""""Cost of a gradient": the engine computes one network's gradient by finite differences, forward mode and
reverse mode, and counts the work each one does.

State: k (the slider) and the measurement running for it. The measurement advances a frame's budget at a time
(`measure`); the views are pure functions of a `CostView` snapshot (`view`), and `network` builds the network.
"""

from __future__ import annotations

import time

from engine import release
from web import expr, share
from web.cost import network
from web.cost.measure import LABELS, METHODS, PASSES, Measurement
from web.cost.view import CostView, Row, render_cost
from web.tree import El
from web.widget import GRAPH_EXPRESSION, UIEvent, Widget

K_DEFAULT = 4  # the trainer's network: 17 parameters
FRAME_BUDGET_S = 0.010  # per animation frame, as the trainer's; one pass at k = 64 takes a few ms in Pyodide
GRAPH_K_MAX = 2  # the largest network the Computation graph shows with a slider per weight


def read_k(text: str) -> int | None:
    """A hidden-unit count from a link: plain digits within 1…64, else None."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 2:
        return None
    k = int(text)
    return k if network.K_MIN <= k <= network.K_MAX else None


def graph_link(k: int) -> str:
    """The link fragment that opens the k-unit network in the Computation graph, each weight a slider."""
    fields = {"expr": network.expression(k)}
    fields.update({name: f"{value:.2f}" for name, value in network.weights(k).items()})
    return share.encode({"graph": fields})


def snapshot(k: int, m: Measurement, notice: str = "") -> CostView:
    """The plain values the view shows for a measurement in progress (or done)."""
    n = network.parameter_count(k)
    rows = tuple(
        Row(name, LABELS[name], r.tally.rules, r.tally.passes, PASSES[name](n), r.seconds * 1000.0, r.done)
        for name in (*METHODS, "pass") for r in (m.results[name],)
    )
    return CostView(
        k=k, nodes=network.node_count(k), edges=network.edge_count(k), rows=rows,
        forward_difference=m.largest_difference("forward"), finite_difference=m.largest_difference("finite"),
        loss=m.loss if m.results["pass"].done else None, graph_k=min(k, GRAPH_K_MAX), notice=notice,
    )


class CostWidget(Widget):
    """The slider, the measurement for its k, and a link waiting for the page (after "Show in the graph")."""

    key = "cost"

    def __init__(self, k: int = K_DEFAULT, *, clock=time.perf_counter, budget: float = FRAME_BUDGET_S):
        self.clock, self.budget = clock, budget
        self.k = 0
        self.measurement: Measurement | None = None
        self.link: str | None = None
        self.notice = ""
        self.shown: expr.Expr | None = None  # the network "Show in the graph" last sent, while the notice holds
        self.set_k(k)

    def set_k(self, k: int) -> None:
        """Measure the network with k hidden units (the work starts on the next frame)."""
        k = min(network.K_MAX, max(network.K_MIN, k))
        if k == self.k:
            return
        if self.measurement is not None:
            release(self.measurement.net.loss)  # a k = 64 graph is freed edge by edge, not by deep recursion
        self.k = k
        self.measurement = Measurement(network.build(k), self.clock)
        self.notice, self.shown = "", None

    def handle(self, event: UIEvent) -> None:
        if event.name == "k" and event.kind in ("input", "change"):
            k = read_k(event.value)
            if k is not None:
                self.set_k(k)
        elif event.name == "show" and event.kind == "click":
            g = min(self.k, GRAPH_K_MAX)
            self.link = graph_link(g)
            self.shown = expr.parse(network.expression(g))
            self.notice = (f"The network with {g} hidden {'unit' if g == 1 else 'units'} is in the Computation "
                           "graph above: press “Animate backward pass” there.")

    def receive(self, kind: str, payload: object) -> None:
        """The graph says which expression it now shows: once it is no longer the network sent there, the
        notice that says it is goes."""
        if kind != GRAPH_EXPRESSION or self.shown is None:
            return
        try:
            same = isinstance(payload, str) and expr.parse(payload) == self.shown
        except expr.ExprError:
            same = False
        if not same:
            self.notice, self.shown = "", None

    @property
    def wants_frame(self) -> bool:
        return not self.measurement.done

    def frame(self, now_ms: float) -> None:
        self.measurement.advance(self.budget)

    def take_link(self) -> str | None:
        link, self.link = self.link, None
        return link

    def view(self) -> CostView:
        """The current snapshot (tests read it; render draws it)."""
        return snapshot(self.k, self.measurement, self.notice)

    def render(self, *, ready: bool = True) -> El:
        return render_cost(self.view(), ready=ready)

    def share_state(self) -> dict[str, str]:
        return {} if self.k == K_DEFAULT else {"k": str(self.k)}

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """A link that names this widget describes it whole: k from the link, or the default k."""
        k = K_DEFAULT
        notices = []
        for name, text in fields.items():
            read = read_k(text) if name == "k" else None
            if read is None:
                notices.append(f"ignored cost.{name}={text[:20]!r}")
            else:
                k = read
        self.set_k(k)
        return notices
