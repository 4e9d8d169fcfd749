"""The chain-rule explorer: x -> u = h(x) = x² -> v = g(u) = tanh(u) -> f(v) = v², one slider, three plots.

Every number shown comes from the engine: the widget builds the Value graph f(g(h(x))), runs backward(), and
reads each edge's local derivative from backward_steps. The curves are sampled through the same engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine import Value, backward_steps
from web.format import fixed, parse_number
from web.plot import Scale, axes, polyline
from web.tree import El, h
from web.widget import UIEvent, Widget

X_MIN, X_MAX, X_STEP, X_DEFAULT = -2.0, 2.0, 0.01, 0.70
SAMPLES = 121

# Plot geometry in SVG user units; the SVG scales with its box through viewBox.
WIDTH, HEIGHT = 260, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 26, 30


@dataclass(frozen=True)
class Stage:
    """One link of the chain: its function, the names of its input and output, and where its plot's axes run."""

    fn: str  # "h", "g" or "f"
    arg: str  # "x", "u" or "v"
    out: str  # what the output is called on the next plot: "u", "v" or "f"
    formula: str  # the function, for the plot's title
    lo: float
    hi: float
    y_lo: float
    y_hi: float


@dataclass(frozen=True)
class ChainPoint:
    """The forward values and local derivatives at one x, as the engine computed them."""

    x: float
    u: float
    v: float
    f: float
    dh: float  # h'(x) = ∂u/∂x
    dg: float  # g'(u) = ∂v/∂u
    df: float  # f'(v) = ∂f/∂v
    dfdx: float  # x.grad after f.backward()


def chain(x: Value) -> tuple[Value, Value, Value]:
    """Build u = x², v = tanh(u), f = v² from x and return (u, v, f)."""
    u = x**2
    v = u.tanh()
    f = v**2
    return u, v, f


def evaluate(x: float) -> ChainPoint:
    """Run the forward and backward pass of f(g(h(x))) in the engine and collect what the widget shows."""
    xv = Value(x, label="x")
    u, v, f = chain(xv)
    u.label, v.label, f.label = "u", "v", "f"
    steps = backward_steps(f)
    local = {(id(s.child), id(s.parent)): s.local for s in steps}
    f.backward()
    return ChainPoint(
        x=x, u=u.data, v=v.data, f=f.data,
        dh=local[id(u), id(xv)], dg=local[id(v), id(u)], df=local[id(f), id(v)],
        dfdx=xv.grad,
    )


def sample(fn: str, lo: float, hi: float) -> list[tuple[float, float]]:
    """Points on one of the three curves, each evaluated by the engine's forward pass."""
    points = []
    for i in range(SAMPLES):
        a = lo + (hi - lo) * i / (SAMPLES - 1)
        value = Value(a)
        out = value**2 if fn in ("h", "f") else value.tanh()
        points.append((a, out.data))
    return points


def _stages() -> tuple[Stage, ...]:
    # Each plot's domain is the range of the previous function over the slider's domain; tanh's range
    # [0, tanh(4)] is drawn as [0, 1] so the last plot gets round ticks.
    u_hi = max(X_MIN**2, X_MAX**2)
    return (
        Stage("h", "x", "u", "u = h(x) = x²", X_MIN, X_MAX, 0.0, u_hi),
        Stage("g", "u", "v", "v = g(u) = tanh(u)", 0.0, u_hi, 0.0, 1.0),
        Stage("f", "v", "f", "f(v) = v²", 0.0, 1.0, 0.0, 1.0),
    )


STAGES = _stages()
CURVES = {stage.fn: sample(stage.fn, stage.lo, stage.hi) for stage in STAGES}


def clamp_x(value: float) -> float:
    """Keep x inside its range and on the slider's grid (clamped first: a huge value would overflow the grid)."""
    inside = min(X_MAX, max(X_MIN, value))
    return round(round(inside / X_STEP) * X_STEP, 2)


class ChainWidget(Widget):
    """State: x. Everything else is derived from it through the engine."""

    key = "chain"

    def __init__(self, x: float = X_DEFAULT):
        self.x = clamp_x(x)
        self.point = evaluate(self.x)

    def set_x(self, value: float) -> None:
        """Move the slider to value (snapped and clamped) and recompute through the engine."""
        self.x = clamp_x(value)
        self.point = evaluate(self.x)

    def handle(self, event: UIEvent) -> None:
        if event.name == "x" and event.kind in ("input", "change"):
            value = parse_number(event.value)
            if value is not None:
                self.set_x(value)

    def render(self, *, ready: bool = True) -> El:
        return render_chain(self.point, ready=ready)

    def share_state(self) -> dict[str, str]:
        return {} if self.x == X_DEFAULT else {"x": f"{self.x:.2f}"}

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """A link that names the chain describes it whole: x from the link, or its default."""
        self.set_x(X_DEFAULT)
        notices = []
        for name, text in fields.items():
            value = parse_number(text) if name == "x" else None
            if value is None or not X_MIN <= value <= X_MAX:
                notices.append(f"ignored chain.{name}={text[:20]!r}")
            else:
                self.set_x(value)
        return notices


def stage_point(stage: Stage, p: ChainPoint) -> tuple[float, float, float]:
    """(input, output, local derivative) of one stage at the current point."""
    return {
        "h": (p.x, p.u, p.dh),
        "g": (p.u, p.v, p.dg),
        "f": (p.v, p.f, p.df),
    }[stage.fn]


def render_plot(stage: Stage, p: ChainPoint, index: int) -> El:
    """One SVG plot: axes, the curve, the tangent at the marked point and the point itself."""
    sx = Scale(stage.lo, stage.hi, LEFT, WIDTH - RIGHT)
    sy = Scale(stage.y_lo, stage.y_hi, HEIGHT - BOTTOM, TOP)
    a, out, slope = stage_point(stage, p)
    px, py = sx(a), sy(out)
    # The tangent spans the whole plot and is clipped to it, so its slope reads at any zoom.
    t0, t1 = stage.lo, stage.hi
    tangent = polyline([(t0, out + slope * (t0 - a)), (t1, out + slope * (t1 - a))], sx, sy)
    clip = f"chain-clip-{index}"
    title_id, desc_id = f"chain-plot-{index}-title", f"chain-plot-{index}-desc"
    arg_text, out_text, slope_text = fixed(a, 3), fixed(out, 3), fixed(slope, 4)
    return h(
        "svg",
        {"class": "plot", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
         "aria-labelledby": f"{title_id} {desc_id}"},
        h("title", {"id": title_id}, stage.formula),
        h("desc", {"id": desc_id},
          f"The marked point is at {stage.arg} = {arg_text}, where the value is {out_text}; "
          f"the tangent there has slope {slope_text}."),
        h("defs", {}, h("clipPath", {"id": clip},
                        h("rect", {"x": LEFT, "y": TOP, "width": WIDTH - LEFT - RIGHT,
                                   "height": HEIGHT - TOP - BOTTOM}))),
        h("text", {"class": "plot-title", "x": WIDTH / 2, "y": 16, "text-anchor": "middle"}, stage.formula),
        axes(sx, sy, x_name=stage.arg, y_name=stage.out),
        h("g", {"clip-path": f"url(#{clip})"},
          h("path", {"class": "curve", "d": polyline(CURVES[stage.fn], sx, sy)}),
          h("path", {"class": "guide", "d": f"M{px:.1f},{sy.start:.1f}V{py:.1f}H{sx.start:.1f}"}),
          h("path", {"class": "tangent", "d": tangent})),
        h("circle", {"class": "marker", "cx": px, "cy": py, "r": 5}),
    )


def render_readout(stage: Stage, p: ChainPoint) -> El:
    """The caption under a plot: the function's value at the (rounded) input, e.g. h(0.70) = 0.490."""
    a, out, slope = stage_point(stage, p)
    return h(
        "div", {},
        h("p", {"class": "readout"}, h("output", {"aria-live": "off"}, f"{stage.fn}({fixed(a, 2)}) = {fixed(out, 3)}")),
        h("p", {"class": "slope"}, f"tangent slope {stage.fn}'({stage.arg}) = {fixed(slope, 4)}"),
    )


def render_derivatives(p: ChainPoint) -> El:
    """The table of local derivatives, in the order backward meets them, and their product."""
    rows = [
        ("f'(v)", "2v", p.df),
        ("g'(u)", "1 − tanh²(u)", p.dg),
        ("h'(x)", "2x", p.dh),
    ]
    body = [
        h("tr", {}, h("th", {"scope": "row"}, name), h("td", {"class": "formula"}, formula),
          h("td", {"class": "num"}, h("output", {"aria-live": "off"}, fixed(value, 4))))
        for name, formula, value in rows
    ]
    body.append(h("tr", {"class": "product"},
                  h("th", {"scope": "row"}, "df/dx"),
                  h("td", {"class": "formula"}, "f'(v) · g'(u) · h'(x)"),
                  h("td", {"class": "num"}, h("output", {"aria-live": "off"}, fixed(p.dfdx, 4)))))
    return h(
        "table", {"class": "derivs"},
        h("caption", {}, "Local derivatives at the marked points, and their product"),
        h("thead", {}, h("tr", {}, h("th", {"scope": "col"}, "derivative"), h("th", {"scope": "col"}, "rule"),
                                 h("th", {"scope": "col"}, "value"))),
        h("tbody", {}, *body),
    )


def render_chain(p: ChainPoint, *, ready: bool = True) -> El:
    """The whole widget for one state: slider, three plots with read-outs, derivative table."""
    slider = h(
        "div", {"class": "control"},
        h("label", {"for": "chain-x"}, "x"),
        h("input", {"id": "chain-x", "type": "range", "data-on": "x", "min": X_MIN, "max": X_MAX,
                    "step": X_STEP, "value": f"{p.x:.2f}", "disabled": not ready,
                    "aria-valuetext": f"x = {fixed(p.x, 2)}"}),
        h("output", {"for": "chain-x", "class": "value", "aria-live": "off"}, fixed(p.x, 2)),
    )
    plots = [
        h("figure", {"class": "chain-plot"}, render_plot(stage, p, i),
          h("figcaption", {}, render_readout(stage, p)))
        for i, stage in enumerate(STAGES)
    ]
    return h(
        "div", {"class": "chain-widget"},
        h("div", {"class": "controls"}, slider),
        h("div", {"class": "chain-plots"}, *plots),
        render_derivatives(p),
    )
