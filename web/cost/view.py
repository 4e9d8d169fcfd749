"""Pure views of the cost widget: the slider, the read-outs, the graph's size and the log-log plot.

Every function here takes plain values (a `CostView`) and returns an element tree; nothing reads the widget.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from engine.rules import superscript
from web.cost.measure import PASSES, WORK_PER_PASS, label
from web.cost.network import K_MAX, K_MIN, POINT, TARGET, operation_count, parameter_count
from web.format import fixed, sci
from web.plot import Scale
from web.tree import El, h

PLOT_ORDER = ("finite", "forward", "reverse", "pass")

# Plot geometry in SVG user units.
WIDTH, HEIGHT = 420, 280
LEFT, RIGHT, TOP, BOTTOM = 58, 14, 16, 44
X_LO, X_HI = 4.0, 320.0
Y_LO, Y_HI = 5.0, 5e5
X_TICKS = (5, 10, 20, 50, 100, 200)
Y_TICKS = (10, 100, 1_000, 10_000, 100_000)


@dataclass(frozen=True)
class Row:
    """One read-out: a method's label, rule applications and passes so far, of how many, its time, done."""

    method: str
    label: str
    operations: int
    passes: int
    total_passes: int
    ms: float
    done: bool


@dataclass(frozen=True)
class CostView:
    """Everything the widget shows, as plain values."""

    k: int
    nodes: int
    edges: int
    rows: tuple[Row, ...]
    forward_difference: float | None  # largest |forward − reverse|, once both are done
    finite_difference: float | None   # largest |finite differences − reverse|
    loss: float | None
    graph_k: int                      # the network "Show in the graph" loads
    notice: str = ""

    @property
    def parameters(self) -> int:
        return parameter_count(self.k)

    @property
    def done(self) -> bool:
        return all(row.done for row in self.rows)


def count(n: int) -> str:
    """An operation count with thousands separators: 116,358."""
    return f"{n:,}"


def milliseconds(ms: float) -> str:
    """A measured time to 0.1 ms (browsers round their clock to about that), whole ms from 100 ms: 0.4 ms, 412 ms."""
    return f"{fixed(ms, 1 if ms < 100 else 0)} ms"


def difference(value: float | None) -> str:
    """A largest difference: 3.1×10⁻¹⁰, or 0 when the methods agree to the last bit."""
    if value is None:
        return "—"
    return "0" if value == 0 else sci(value, 1)


def render_slider(v: CostView, ready: bool) -> El:
    """The "Hidden units" slider with the parameter count beside it."""
    n = v.parameters
    return h(
        "div", {"class": "controls cost-controls"},
        h("div", {"class": "control"},
          h("label", {"for": "cost-k"}, "Hidden units"),
          h("input", {"id": "cost-k", "type": "range", "data-on": "k", "min": K_MIN, "max": K_MAX, "step": 1,
                      "value": v.k, "disabled": not ready,
                      "aria-valuetext": f"{v.k} hidden {'unit' if v.k == 1 else 'units'}, {n} parameters"}),
          h("output", {"for": "cost-k", "class": "value", "aria-live": "off"}, str(v.k))),
        h("p", {"class": "cost-params"}, h("output", {"aria-live": "off"}, f"Parameters: {n}"),
          h("span", {"class": "cost-formula"}, f" (4k + 1 = 4 × {v.k} + 1)")),
    )


def render_row(row: Row, widest: int, ready: bool = True) -> El:
    """One method: its operation count, passes and measured time, and a bar to scale with the widest."""
    if row.done:
        detail = (f"{count(row.passes)} {'pass' if row.passes == 1 else 'passes'}, "
                  f"{milliseconds(row.ms)} in this browser")
    elif not row.passes:
        # Before Python runs (the pre-rendered page) nothing is measured yet; later a row waits for the others.
        detail = "waiting" if ready else "starts when Python is running"
    else:
        detail = f"working: {count(row.passes)} of {count(row.total_passes)} passes"
    width = 100.0 * row.operations / widest if widest else 0.0
    return h(
        "li", {"class": f"cost-row {row.method}" + ("" if row.done else " running")},
        h("output", {"class": "cost-count", "aria-live": "off"},
          f"{row.label}: {count(row.operations) if row.passes else '—'} operations"),
        h("span", {"class": "cost-detail"}, detail),
        h("svg", {"class": "cost-bar", "viewBox": "0 0 100 6", "preserveAspectRatio": "none", "aria-hidden": "true"},
          h("rect", {"x": 0, "y": 0, "width": f"{max(width, 0.4) if row.operations else 0:.2f}", "height": 6})),
    )


def render_readouts(v: CostView, ready: bool = True) -> El:
    """The four counts, then how far apart the answers are."""
    widest = max(row.operations for row in v.rows)
    return h(
        "div", {"class": "cost-readouts"},
        h("ul", {"class": "cost-rows"}, *(render_row(row, widest, ready) for row in v.rows)),
        h("ul", {"class": "cost-diffs"},
          h("li", {}, h("output", {"aria-live": "off"}, f"Largest difference: {difference(v.forward_difference)}"),
            " forward mode against reverse mode"),
          h("li", {}, h("output", {"aria-live": "off"}, f"Largest difference: {difference(v.finite_difference)}"),
            " finite differences against reverse mode")),
    )


def render_summary(v: CostView) -> El:
    """One sentence for screen readers, spoken once the three methods are done."""
    text = ""
    if v.done:
        per = {row.method: row.operations for row in v.rows}
        one = per["pass"]
        text = (f"With {v.parameters} parameters, reverse mode did {per['reverse'] / one:g} forward passes' worth "
                f"of work, forward mode {per['forward'] / one:g} and finite differences {per['finite'] / one:g}.")
    return h("p", {"class": "cost-summary", "aria-live": "polite"}, text)


def render_graph_size(v: CostView, ready: bool) -> El:
    """The scalar graph's size, and the button that opens the small network in the Computation graph."""
    g = v.graph_k
    return h(
        "div", {"class": "cost-graph"},
        h("p", {"class": "cost-size"},
          h("output", {"aria-live": "off"}, f"Scalar graph: {count(v.nodes)} nodes, {count(v.edges)} edges"),
          f" for {v.k} hidden {'unit' if v.k == 1 else 'units'}: the same kind of DAG as in the Computation graph, "
          "just bigger."),
        h("p", {"class": "cost-loss"}, f"On the point ({fixed(POINT[0], 1)}, {fixed(POINT[1], 1)}) with label "
          f"{TARGET:g}: ", h("output", {"aria-live": "off"}, f"L = {'—' if v.loss is None else fixed(v.loss, 4)}")),
        h("div", {"class": "controls"},
          h("button", {"type": "button", "data-on": "show", "disabled": not ready,
                       "aria-describedby": "cost-show-hint"}, "Show in the graph"),
          h("p", {"id": "cost-show-hint", "class": "hint"},
            f"Loads the network with {g} hidden {'unit' if g == 1 else 'units'} ({parameter_count(g)} parameters) "
            "on the same point into the Computation graph, with each weight as a slider.")),
        h("p", {"class": "cost-notice", "role": "status"}, v.notice),
    )


def _log(value: float) -> float:
    return math.log10(value)


def _power_label(value: int) -> str:
    return str(value) if value < 1000 else f"10{superscript(str(round(_log(value))))}"


def _scales() -> tuple[Scale, Scale]:
    return (Scale(_log(X_LO), _log(X_HI), LEFT, WIDTH - RIGHT),
            Scale(_log(Y_LO), _log(Y_HI), HEIGHT - BOTTOM, TOP))


def _axes(sx: Scale, sy: Scale) -> El:
    bottom, left = sy.start, sx.start
    parts = [h("line", {"class": "axis", "x1": sx.start, "y1": bottom, "x2": sx.end, "y2": bottom}),
             h("line", {"class": "axis", "x1": left, "y1": sy.start, "x2": left, "y2": sy.end})]
    for value in X_TICKS:
        px = sx(_log(value))
        parts += [h("line", {"class": "grid", "x1": px, "y1": bottom, "x2": px, "y2": sy.end}),
                  h("text", {"class": "tick-label", "x": px, "y": bottom + 17, "text-anchor": "middle"}, str(value))]
    for value in Y_TICKS:
        py = sy(_log(value))
        parts += [h("line", {"class": "grid", "x1": left, "y1": py, "x2": sx.end, "y2": py}),
                  h("text", {"class": "tick-label", "x": left - 6, "y": py + 5, "text-anchor": "end"},
                    _power_label(value))]
    parts += [h("text", {"class": "axis-name", "x": (sx.start + sx.end) / 2, "y": HEIGHT - 4,
                         "text-anchor": "middle"}, "parameters (log scale)"),
              h("text", {"class": "axis-name", "x": 14, "y": (sy.start + sy.end) / 2, "text-anchor": "middle",
                         "transform": f"rotate(-90 14 {(sy.start + sy.end) / 2:.1f})"}, "operations (log scale)")]
    return h("g", {"class": "axes", "aria-hidden": "true"}, *parts)


def line_points(method: str) -> list[tuple[int, int]]:
    """(parameters, operations) for k = 1…64: passes × each pass's work × the operations of one forward pass (the
    widget's tests check these against the engine's own tallies)."""
    return [(parameter_count(k), PASSES[method](parameter_count(k)) * WORK_PER_PASS[method] * operation_count(k))
            for k in range(K_MIN, K_MAX + 1)]


@functools.lru_cache(maxsize=1)
def _lines() -> El:
    sx, sy = _scales()
    return h("g", {"class": "cost-lines"}, *(
        h("path", {"class": f"line {method}",
                   "d": "M" + "L".join(f"{sx(_log(n)):.1f},{sy(_log(ops)):.1f}" for n, ops in line_points(method))})
        for method in PLOT_ORDER))


@functools.lru_cache(maxsize=4)
def render_plot(k: int, measured: tuple[tuple[str, int], ...]) -> El:
    """The log-log plot: a line per method over k = 1…64, the current k marked, dots at the counts just made."""
    sx, sy = _scales()
    n = parameter_count(k)
    px = sx(_log(n))
    dots = [h("circle", {"class": f"dot {method}", "cx": f"{px:.1f}", "cy": f"{sy(_log(ops)):.1f}", "r": 5})
            for method, ops in measured if ops > 0]
    counts = dict(measured)
    said = ", ".join(f"{label(m)} {count(counts[m])}" for m in PLOT_ORDER if m in counts)
    desc = (f"Operations against parameters on log scales for 1 to {K_MAX} hidden units. Finite differences and "
            "forward mode rise twice as steeply as reverse mode, which stays two forward passes' worth at every "
            f"size. Marked: {n} parameters" + (f", where the engine counted {said}." if said else "."))
    return h(
        "svg", {"class": "plot cost-plot", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
                "aria-labelledby": "cost-plot-title", "aria-describedby": "cost-plot-desc"},
        h("title", {"id": "cost-plot-title"}, "Cost against parameters"),
        h("desc", {"id": "cost-plot-desc"}, desc),
        _axes(sx, sy),
        _lines(),
        h("line", {"class": "current", "x1": f"{px:.1f}", "y1": sy.start, "x2": f"{px:.1f}", "y2": sy.end}),
        h("text", {"class": "current-label", "x": f"{px + (6 if n < 100 else -6):.1f}", "y": sy.end + 12,
                   "text-anchor": "start" if n < 100 else "end"}, f"n = {n}"),
        *dots,
    )


def render_legend() -> El:
    """Which line is which: colour and dash, named in words (never colour alone)."""
    items = [h("li", {}, h("svg", {"class": "swatch", "viewBox": "0 0 28 10", "aria-hidden": "true"},
                           h("line", {"class": f"line {m}", "x1": 1, "y1": 5, "x2": 27, "y2": 5})), label(m))
             for m in PLOT_ORDER]
    return h("ul", {"class": "cost-legend"}, *items)


def render_cost(v: CostView, *, ready: bool = True) -> El:
    """The whole widget for one state."""
    measured = tuple((row.method, row.operations) for row in v.rows if row.done)
    return h(
        "div", {"class": "cost-widget"},
        render_slider(v, ready),
        h("div", {"class": "cost-panels"},
          h("div", {"class": "cost-side"}, render_readouts(v, ready), render_summary(v), render_graph_size(v, ready)),
          h("figure", {"class": "cost-figure"}, render_plot(v.k, measured),
            h("figcaption", {}, render_legend(),
              h("p", {"class": "hint"}, "Lines: the operations each method makes at every size, one forward pass "
                "being one rule application per operation node. Dots: what the engine just counted. Times are rough: "
                "browsers round their clock to about 0.1 ms, and a pass the browser interrupts (to collect garbage, "
                "or for another program) counts the pause too. Move the slider away and back to measure again."))))
    )
