"""Small pure helpers for SVG plots: linear scales, tick positions, axes and polylines."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from web.format import fixed
from web.tree import El, h


@dataclass(frozen=True)
class Scale:
    """A linear map from a data interval [lo, hi] onto a pixel interval [start, end]."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        return self.start + (value - self.lo) / span * (self.end - self.start) if span else self.start

    def contains(self, value: float) -> bool:
        """True when value lies inside the data interval (either orientation)."""
        return min(self.lo, self.hi) <= value <= max(self.lo, self.hi)


def ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About `count` round tick values (steps of 1, 2 or 5 times a power of ten) covering [lo, hi]."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_label(value: float, step: float) -> str:
    """A tick's text with just enough decimals for its step."""
    digits = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    return fixed(value, digits)


def polyline(points: Iterable[tuple[float, float]], sx: Scale, sy: Scale) -> str:
    """The `d` attribute of an SVG path through data points."""
    parts = [f"{sx(x):.1f},{sy(y):.1f}" for x, y in points]
    return "M" + "L".join(parts) if parts else ""


def axes(sx: Scale, sy: Scale, *, x_name: str, y_name: str, count: int = 5) -> El:
    """Both axes with tick marks, tick labels and axis names, drawn along the plot's bottom and left edges."""
    bottom, left = sy.start, sx.start
    parts: list[El] = [
        h("line", {"class": "axis", "x1": sx.start, "y1": bottom, "x2": sx.end, "y2": bottom}),
        h("line", {"class": "axis", "x1": left, "y1": sy.start, "x2": left, "y2": sy.end}),
    ]
    xs = ticks(sx.lo, sx.hi, count)
    x_step = xs[1] - xs[0] if len(xs) > 1 else 1.0
    for value in xs:
        px = sx(value)
        parts.append(h("line", {"class": "tick", "x1": px, "y1": bottom, "x2": px, "y2": bottom + 4}))
        parts.append(h("text", {"class": "tick-label", "x": px, "y": bottom + 15, "text-anchor": "middle"},
                       tick_label(value, x_step)))
    ys = ticks(min(sy.lo, sy.hi), max(sy.lo, sy.hi), count)
    y_step = ys[1] - ys[0] if len(ys) > 1 else 1.0
    for value in ys:
        py = sy(value)
        parts.append(h("line", {"class": "tick", "x1": left - 4, "y1": py, "x2": left, "y2": py}))
        parts.append(h("text", {"class": "tick-label", "x": left - 6, "y": py + 4, "text-anchor": "end"},
                       tick_label(value, y_step)))
    parts.append(h("text", {"class": "axis-name", "x": sx.end, "y": bottom - 6, "text-anchor": "end"}, x_name))
    parts.append(h("text", {"class": "axis-name", "x": left + 6, "y": sy.end + 10}, y_name))
    return h("g", {"class": "axes", "aria-hidden": "true"}, *parts)
