"""Gradient descent on L = θ²: θ₀ = 1 and the ten steps after it, for a learning rate η the learner picks.

Each step is the engine's: build L = θ², run backward(), and move θ by −η·∂L/∂θ. Since ∂L/∂θ = 2θ, every step
multiplies θ by 1 − 2η: it shrinks for η below ½, flips sign each step between ½ and 1, and grows once η passes
1, which the plot shows as iterates leaving it (an arrow at the edge and the word "diverges").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine import Value
from web.format import fixed
from web.plot import Scale, axes, polyline
from web.tree import El, h
from web.widget import UIEvent, Widget

ETA_MIN, ETA_MAX, ETA_STEP, ETA_DEFAULT = 0.0, 1.2, 0.05, 0.1
THETA0, STEPS = 1.0, 10
WIDTH, HEIGHT = 320, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 14, 14, 30
REACH = 1.5                       # the plot shows −1.5 ≤ θ ≤ 1.5 and 0 ≤ L ≤ 2.25
NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")  # plain ASCII decimals, as every link reader takes them


def read_eta(text: str) -> float | None:
    """η from a control or a link: a plain decimal on the slider's steps, else None (never snapped)."""
    text = text.strip()
    if len(text) > 12 or not NUMBER.fullmatch(text):
        return None
    k = round(float(text) / ETA_STEP)
    value = round(k * ETA_STEP, 2)
    return value if ETA_MIN <= value <= ETA_MAX and abs(float(text) - k * ETA_STEP) < 1e-9 else None


def iterates(eta: float) -> tuple[float, ...]:
    """θ₀ … θ₁₀, each step from the engine's gradient of L = θ²."""
    thetas = [THETA0]
    for _ in range(STEPS):
        theta = Value(thetas[-1], label="θ")
        loss = theta ** 2
        loss.backward()
        thetas.append(theta.data - eta * theta.grad)
    return tuple(thetas)


def behaviour(eta: float) -> str:
    """What the steps do at this η, in the lesson's words."""
    factor = 1.0 - 2.0 * eta
    if factor == 1.0:
        return "With η = 0, θ never moves."
    if factor == 0.0:
        return "At η = ½ the first step lands exactly on the minimum."
    if factor > 0.0:
        return "θ shrinks towards 0 by the same factor every step, never changing sign."
    if factor > -1.0:
        return "θ overshoots the minimum: its sign flips every step, but it still shrinks."
    if factor == -1.0:
        return "At η = 1, θ jumps between 1 and −1 for ever."
    return "θ flips sign and grows every step: the iterates leave the plot. Training diverges."


@dataclass(frozen=True)
class DescentState:
    eta: float = ETA_DEFAULT


def update(state: DescentState, event: UIEvent) -> DescentState:
    if event.name == "eta" and event.kind in ("input", "change"):
        eta = read_eta(event.value)
        if eta is not None:
            return DescentState(eta)
    return state


def render_plot(thetas: tuple[float, ...]) -> El:
    """The parabola, the iterates joined in order, and an arrow where they leave the plot."""
    sx = Scale(-REACH, REACH, LEFT, WIDTH - RIGHT)
    sy = Scale(0.0, REACH * REACH, HEIGHT - BOTTOM, TOP)
    curve = [(-REACH + 2 * REACH * i / 80, (-REACH + 2 * REACH * i / 80) ** 2) for i in range(81)]
    out = next((i for i, t in enumerate(thetas) if abs(t) > REACH), None)
    shown = thetas if out is None else thetas[: out + 1]  # joined up to the first step that leaves the plot
    marks = [h("circle", {"class": "iterate" + (" first" if i == 0 else ""), "cx": round(sx(t), 1),
                          "cy": round(sy(t * t), 1), "r": 5 if i == 0 else 4})
             for i, t in enumerate(shown) if abs(t) <= REACH]
    leaving = None
    if out is not None:
        side = 1 if thetas[out] > 0 else -1
        x = sx(side * REACH) - side * 10
        leaving = h("g", {"class": "leaves"},
                    h("path", {"class": "arrow", "d": f"M{x - side * 16:.1f},{TOP + 20}L{x:.1f},{TOP + 4}"
                                                      f"M{x - side * 2:.1f},{TOP + 13}L{x:.1f},{TOP + 4}"
                                                      f"L{x - side * 9:.1f},{TOP + 6}"}),
                    h("text", {"class": "diverges", "x": round(x - side * 20, 1), "y": TOP + 30,
                               "text-anchor": "end" if side > 0 else "start"}, "diverges"))
    clip = "descent-clip"
    return h(
        "svg", {"class": "plot descent-plot", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
                "aria-label": "L = θ² and the steps of gradient descent", "aria-describedby": "descent-desc"},
        h("desc", {"id": "descent-desc"}, "θ from step 0 to 10: " + ", ".join(fixed(t, 4) for t in thetas) + "."),
        h("defs", {}, h("clipPath", {"id": clip}, h("rect", {"x": LEFT, "y": TOP - 6, "width": WIDTH - LEFT - RIGHT,
                                                             "height": HEIGHT - TOP - BOTTOM + 6}))),
        axes(sx, sy, x_name="θ", y_name="L"),
        h("path", {"class": "curve", "d": polyline(curve, sx, sy)}),
        h("g", {"clip-path": f"url(#{clip})"},
          h("path", {"class": "steps", "d": polyline([(t, t * t) for t in shown], sx, sy)})),
        *marks,
        leaving,
    )


def render_descent(state: DescentState, *, ready: bool = True) -> El:
    eta = state.eta
    thetas = iterates(eta)
    factor = 1.0 - 2.0 * eta
    return h(
        "div", {"class": "descent-widget", "role": "region", "aria-label": "Descent on θ²"},
        h("div", {"class": "controls"},
          h("div", {"class": "control"},
            h("label", {"for": "descent-eta"}, "Learning rate η"),
            h("input", {"id": "descent-eta", "type": "range", "data-on": "eta", "min": ETA_MIN, "max": ETA_MAX,
                        "step": ETA_STEP, "value": f"{eta:.2f}", "aria-valuetext": f"{eta:.2f}",
                        "disabled": not ready}),
            h("output", {"for": "descent-eta", "class": "value", "aria-live": "off"}, f"{eta:.2f}"))),
        h("p", {"class": "descent-readouts"},
          h("output", {"class": "descent-factor", "aria-live": "off"}, f"1 − 2η = {fixed(factor, 2)}"),
          h("output", {"class": "descent-last", "aria-live": "off"},
            f"After {STEPS} steps θ = {fixed(thetas[-1], 4)}")),
        render_plot(thetas),
        h("p", {"class": "descent-words"}, behaviour(eta)),
    )


class DescentWidget(Widget):
    """Holds a DescentState; the view is drawn from it."""

    key = "descent"

    def __init__(self):
        self.state = DescentState()

    def handle(self, event: UIEvent) -> None:
        self.state = update(self.state, event)

    def render(self, *, ready: bool = True) -> El:
        return render_descent(self.state, ready=ready)

    def share_state(self) -> dict[str, str]:
        return {} if self.state.eta == ETA_DEFAULT else {"eta": f"{self.state.eta:.2f}"}

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """A link that names this widget describes it whole: η from the link, or its default."""
        eta, notices = ETA_DEFAULT, []
        for name, text in fields.items():
            value = read_eta(text) if name == "eta" else None
            if value is None:
                notices.append(f"ignored descent.{name}={text[:20]!r}")
            else:
                eta = value
        self.state = DescentState(eta)
        return notices
