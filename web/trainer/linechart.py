"""The training-loss chart: the whole history on a log-scale y axis, drawn from a bounded number of buckets.

Losses fall over orders of magnitude, so a linear axis would show one cliff and then a flat line; a log axis
shows steady progress as a steady slope. The history can grow to hundreds of thousands of epochs, so the
chart draws min/max buckets (a spike stays visible) whose width doubles whenever there are too many.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from engine.rules import superscript
from web.format import fixed
from web.plot import Scale, ticks
from web.tree import El, h

WIDTH, HEIGHT = 320, 170
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 10, 30
BUCKETS = 160          # at most 2 × BUCKETS buckets, each drawn as one or two path points
FLOOR = 1e-12          # a loss of exactly 0 is drawn here: a log axis has no zero
# Tick labels are 11px text (style.css). Measured in Chromium with the page's fonts: a digit is 7.0px, "k" 6.4,
# "," and "." 3.5, "M" 9.5. A label whose estimated half-width would cross the chart's edge is anchored at that
# edge instead of centred on its tick, so its outer end sits inside the viewBox whatever the font.
LABEL_CHAR_W = 7.0
WIDE_CHAR_W = {"M": 9.5}
EDGE = 2
LABEL_H = 12           # a run label's line height: labels of lines ending close together are pushed this far apart
# A loss that rises by more than half in one epoch (or falls that much right after such a rise) is jumping, not
# descending: at η = 300 on XOR it cycles 143.6 → 49.9 → 87.7 for ever. A line through such epochs zigzags into a
# solid band; they are drawn as separate short dashes instead, so a cycle reads as rows of jumps.
JUMP = 1.5
DASH = 2.0             # a jumping epoch's dash, in chart units


class History:
    """Every epoch's loss in order, plus [first epoch, lowest, highest, jumped] buckets of `stride` epochs each.

    `values` may be a list someone else appends to (the engine Trainer's `losses`): `catch_up` then buckets what
    was added since, so a run keeps one list of losses, not two.
    """

    def __init__(self, buckets: int = BUCKETS, values: list[float] | None = None):
        self.values: list[float] = [] if values is None else values
        self.cap = buckets
        self.stride = 1
        self.buckets: list[list[float]] = []
        self.counted = 0
        self.rose = False  # whether the last epoch counted was a jump up
        self.low = math.inf
        self.high = -math.inf
        self._drawn: tuple[tuple, list[str]] = ((), [])  # scales, and the path text of each finished bucket
        self.catch_up()

    def __len__(self) -> int:
        return len(self.values)

    def append(self, loss: float) -> None:
        """Record one epoch's (finite) loss."""
        self.values.append(loss)
        self.catch_up()

    def catch_up(self) -> None:
        """Bucket the losses appended to `values` since the last call."""
        while self.counted < len(self.values):
            index, loss = self.counted, self.values[self.counted]
            self.counted += 1
            self.low, self.high = min(self.low, loss), max(self.high, loss)
            previous = self.values[index - 1] if index else loss
            rose = loss > previous * JUMP
            jumped = rose or (self.rose and loss * JUMP < previous)
            self.rose = rose
            last = self.buckets[-1] if self.buckets else None
            if last is not None and index < last[0] + self.stride:
                last[1], last[2], last[3] = min(last[1], loss), max(last[2], loss), last[3] or jumped
                continue
            self.buckets.append([index, loss, loss, jumped])
            if len(self.buckets) > 2 * self.cap:
                self._merge()

    def _merge(self) -> None:
        # Buckets start at multiples of the stride, so merging neighbours keeps that true for twice the stride.
        merged = []
        for i in range(0, len(self.buckets), 2):
            pair = self.buckets[i:i + 2]
            merged.append([pair[0][0], min(b[1] for b in pair), max(b[2] for b in pair), any(b[3] for b in pair)])
        self.buckets = merged
        self.stride *= 2


@dataclass(frozen=True)
class LogScale:
    """A map from [lo, hi] (both > 0) onto [start, end] that is linear in log10 of the value."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        a, b = math.log10(self.lo), math.log10(self.hi)
        v = math.log10(max(value, FLOOR))
        return self.start + (v - a) / (b - a) * (self.end - self.start)


def decades(low: float, high: float) -> tuple[float, float]:
    """The smallest range of whole powers of ten that holds [low, high] (at least one decade wide)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= 0:
        return 0.01, 1.0
    a = math.floor(math.log10(max(low, FLOOR)))
    b = math.ceil(math.log10(max(high, FLOOR)))
    return 10.0 ** a, 10.0 ** max(b, a + 1)


def power_label(exponent: int) -> str:
    """How a tick at 10^exponent reads: plain decimals near 1, powers of ten further out."""
    if 0 <= exponent <= 3:
        return str(10 ** exponent)
    if -2 <= exponent < 0:
        return fixed(10.0 ** exponent, -exponent)
    return "10" + superscript(str(exponent))


def epoch_label(value: float) -> str:
    """An epoch tick's text, short enough to sit under its tick at any count: 2,000, then 50k, then 1.5M."""
    n = round(value)
    if n < 10_000:
        return f"{n:,}"
    scaled, unit = (n / 1_000, "k") if n < 1_000_000 else (n / 1_000_000, "M")
    return f"{scaled:,.2f}".rstrip("0").rstrip(".") + unit


def fit_label(x: float, text: str) -> tuple[float, str]:
    """Where a label centred on x goes so that it stays inside the chart: (x, text-anchor)."""
    half = sum(WIDE_CHAR_W.get(c, LABEL_CHAR_W) for c in text) / 2
    if x + half > WIDTH - EDGE:
        return WIDTH - EDGE, "end"
    if x - half < EDGE:
        return EDGE, "start"
    return x, "middle"


def nice_extent(count: int) -> int:
    """The x axis's length in epochs: the smallest 1, 2 or 5 times a power of ten that holds count (>= 10).

    The axis grows in these steps rather than with every epoch, so between steps the drawn part of the line
    does not move and need not be recomputed.
    """
    power = 10
    while True:
        for m in (1, 2, 5):
            if m * power >= count:
                return m * power
        power *= 10


def chart_scales(history: History, *others: History) -> tuple[Scale, LogScale]:
    """The x scale (epochs) and log y scale (loss) that hold a history and any others drawn with it."""
    runs = [r for r in (history, *others) if len(r)] or [history]
    lo, hi = decades(min(r.low for r in runs), max(r.high for r in runs))
    longest = max(len(r) for r in runs)
    return Scale(0, nice_extent(longest - 1), LEFT, WIDTH - RIGHT), LogScale(lo, hi, HEIGHT - BOTTOM, TOP)


def bucket_text(bucket: list, sx: Scale, sy: LogScale, after_jump: bool) -> str:
    """One bucket's part of the path, with its own command: its highest then (if different) its lowest loss at
    its first epoch, joined to the bucket before; a jumping bucket is a dash at each, joined to nothing."""
    index, low, high, jumped = bucket
    x = f"{sx(index):.1f}"
    if jumped:
        dashes = [high] if low == high else [high, low]
        return "".join(f"M{x},{sy(v):.1f}h{DASH}" for v in dashes)
    points = f"{x},{sy(high):.1f}" if low == high else f"{x},{sy(high):.1f}L{x},{sy(low):.1f}"
    return ("M" if after_jump else "L") + points


def loss_path(history: History, sx: Scale, sy: LogScale) -> str:
    """The `d` of the loss line; finished buckets' text is kept while the scales and bucket width hold."""
    key = (sx, sy, history.stride)
    if history._drawn[0] != key:
        history._drawn = (key, [])
    done, buckets = history._drawn[1], history.buckets
    while len(done) < len(buckets) - 1:  # the last bucket may still grow, so it is redrawn every time
        i = len(done)
        done.append(bucket_text(buckets[i], sx, sy, i == 0 or buckets[i - 1][3]))
    if not buckets:
        return ""
    last = len(buckets) - 1
    return "".join(done) + bucket_text(buckets[last], sx, sy, last == 0 or buckets[last - 1][3])


def describe(history: History) -> str:
    """The chart in words, for screen readers: length, first, last and highest loss."""
    if not history.values:
        return "No epochs yet."
    first, last = history.values[0], history.values[-1]
    return (f"{len(history)} epochs; loss from {fixed(first, 4)} to {fixed(last, 4)}, "
            f"highest {fixed(history.high, 4)}, lowest {fixed(history.low, 4)}.")


@lru_cache(maxsize=8)
def render_axes(sx: Scale, sy: LogScale) -> El:
    """Epoch ticks along the bottom, one tick per power of ten up the side, and light decade grid lines."""
    bottom, left = sy.start, sx.start
    parts: list[El] = []
    a, b = round(math.log10(sy.lo)), round(math.log10(sy.hi))
    every = max(1, math.ceil((b - a) / 6))  # at most seven labels, so they stay apart over many decades
    for exponent in range(a, b + 1):
        y = sy(10.0 ** exponent)
        parts.append(h("line", {"class": "grid", "x1": left, "y1": y, "x2": sx.end, "y2": y}))
        if (exponent - a) % every == 0:
            parts.append(h("text", {"class": "tick-label", "x": left - 6, "y": y + 4, "text-anchor": "end"},
                           power_label(exponent)))
    for value in ticks(sx.lo, sx.hi, 4):
        x = sx(value)
        text = epoch_label(value)
        at, anchor = fit_label(x, text)
        parts.append(h("line", {"class": "tick", "x1": x, "y1": bottom, "x2": x, "y2": bottom + 4}))
        parts.append(h("text", {"class": "tick-label", "x": at, "y": bottom + 15, "text-anchor": anchor}, text))
    parts += [
        h("line", {"class": "axis", "x1": left, "y1": bottom, "x2": sx.end, "y2": bottom}),
        h("line", {"class": "axis", "x1": left, "y1": bottom, "x2": left, "y2": sy.end}),
        h("text", {"class": "axis-name", "x": sx.end, "y": bottom + 27, "text-anchor": "end"}, "epoch"),
    ]
    return h("g", {"class": "axes", "aria-hidden": "true"}, *parts)


def label_places(ends: list[tuple[float, float, str]]) -> list[tuple[float, float, str, str]]:
    """Where each line's label goes: just above its last point, pushed apart so no two overlap.

    `ends` holds (x, y, text) per line; returns (x, y, text-anchor, text) in the same order.
    """
    order = sorted(range(len(ends)), key=lambda i: ends[i][1])
    placed: dict[int, float] = {}
    floor = TOP + LABEL_H - 4
    for i in order:
        y = max(ends[i][1] - 5, floor)
        placed[i] = y
        floor = y + LABEL_H
    out = []
    for i, (x, _y, text) in enumerate(ends):
        width = sum(WIDE_CHAR_W.get(c, LABEL_CHAR_W) for c in text)
        # Ending to the left of its last point reads as that line's name; a short run has no room there.
        at, anchor = (x, "end") if x - width >= LEFT else (min(x + 4, WIDTH - EDGE - width), "start")
        out.append((at, min(placed[i], HEIGHT - BOTTOM - 3), anchor, text))
    return out


def render_loss_chart(history: History, *, loss_name: str, label: str = "",
                      past: tuple[tuple[str, History], ...] = ()) -> El:
    """The whole chart as an SVG image named "Training loss", described in words for screen readers.

    `past` holds earlier runs as (label, history), newest first: drawn faded under this run's line, each
    labelled (with its learning rate) at its end, so two runs can be compared side by side.
    """
    past = tuple((text, run) for text, run in past if len(run))
    sx, sy = chart_scales(history, *(run for _, run in past))
    lines, ends = [], []
    for age, (text, run) in reversed(list(enumerate(past, start=1))):
        lines.append(h("path", {"class": f"loss-line past past-{age}", "d": loss_path(run, sx, sy)}))
        ends.append((sx(len(run) - 1), sy(run.values[-1]), text, f"run-label past past-{age}"))
    marker = None
    if history.values:
        last = history.values[-1]
        marker = h("circle", {"class": "last", "cx": sx(len(history) - 1), "cy": sy(last), "r": 3})
        if label:
            ends.append((sx(len(history) - 1), sy(last), label, "run-label"))
    labels = [h("text", {"class": kind, "x": x, "y": y, "text-anchor": anchor}, text)
              for (x, y, anchor, text), (*_, kind) in zip(label_places([e[:3] for e in ends]), ends, strict=True)]
    words = describe(history)
    if past:
        words += " Earlier runs: " + "; ".join(f"{text}, {len(run)} epochs, last loss {fixed(run.values[-1], 4)}"
                                               for text, run in past) + "."
    return h(
        "svg",
        {"class": "plot loss-chart", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "role": "img",
         "aria-label": "Training loss", "aria-describedby": "trainer-loss-desc"},
        h("desc", {"id": "trainer-loss-desc"}, f"{loss_name}, log scale. {words}"),
        render_axes(sx, sy),
        *lines,
        h("path", {"class": "loss-line", "d": loss_path(history, sx, sy)}),
        marker,
        h("g", {"class": "run-labels", "aria-hidden": "true"}, *labels),
    )
