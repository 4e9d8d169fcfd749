"""The decision boundary: the model's probability over the plane as two-colour RGBA bytes, plus the data points.

The canvas is a small grid (64×64) that CSS scales up; points are drawn on top in an SVG layer, so they stay
crisp and exist in the pre-rendered page before Python runs. Colours go through a 256-entry table: the Python
loop over pixels is the cost in the browser, and a table lookup per pixel is the cheapest loop there is.

The shading is a translucent tint, not an opaque colour: magenta or blue whose opacity grows with the model's
confidence, over the plot's own background (the page's --bg). So one set of bytes looks right in the light and
the dark scheme alike: a pale wash on the light page, a deep one on the dark page, never a bright square
glaring out of a dark page. The pre-rendered PNG keeps the alpha channel, so it too follows whichever scheme
the reader has, although the build cannot know it. The tint stays light enough that the points (coloured per
scheme in trainer.css) keep a 3:1 contrast against every shade; tests/web/test_heatmap.py checks that.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass

from engine.data import grid
from web.format import MINUS
from web.tree import El, h
from web.widget import Pixels

GRID = 64
LEVELS = 256
# Tint hues for class 0 (magenta, p near 0) and class 1 (blue, p near 1): the light scheme's --neg and --pos of
# static/style.css (a test keeps them equal), never the gradients' orange. At p = 0.5 the tint is fully
# transparent, so the undecided band shows the page's background. ALPHA_MAX (of 255) is the opacity at full
# confidence: about a third, the most that keeps the points' 3:1 contrast in both schemes.
TINT_0 = (0xB0, 0x28, 0x7A)
TINT_1 = (0x15, 0x65, 0xB8)
ALPHA_MAX = 88
# The SVG layer's coordinate system: one unit per CSS pixel of a 320-pixel plot, scaled with the box.
VIEW = 320


@dataclass(frozen=True)
class Domain:
    """The rectangle of the plane the plot shows: x1 from x_min to x_max, x2 from y_min to y_max."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def grid(self, size: int = GRID) -> list[tuple[float, float]]:
        """Pixel centres, row by row from the top, as the canvas stores them."""
        return grid(self.x_min, self.x_max, self.y_min, self.y_max, size)

    def to_unit(self, x: float, y: float) -> tuple[float, float]:
        """A point of the plane as fractions of the plot's width and height (y grows downwards)."""
        return (x - self.x_min) / (self.x_max - self.x_min), (self.y_max - y) / (self.y_max - self.y_min)

    def from_unit(self, fx: float, fy: float) -> tuple[float, float]:
        """The point of the plane under a click at fractions (fx, fy) of the plot's box."""
        return self.x_min + fx * (self.x_max - self.x_min), self.y_max - fy * (self.y_max - self.y_min)


def shade(t: float) -> tuple[int, int, int, int]:
    """The RGBA colour for probability t: magenta below 0.5, blue above, more opaque the surer the model."""
    hue = TINT_0 if t < 0.5 else TINT_1
    return (*hue, round(ALPHA_MAX * min(1.0, abs(2.0 * t - 1.0))))


# Level i covers probabilities [i/256, (i+1)/256) and is coloured at its centre.
TABLE = [bytes(shade((i + 0.5) / LEVELS)) for i in range(LEVELS)]
UNDECIDED = bytes((0, 0, 0, 0))  # a NaN shows the bare background: no class is claimed


def boundary_rgba(probs: list[float]) -> bytes:
    """RGBA bytes for probabilities in [0, 1], one pixel each; anything else (NaN) is painted undecided."""
    table, top, odd = TABLE, TABLE[-1], UNDECIDED
    return b"".join([table[int(p * LEVELS)] if 0.0 <= p < 1.0 else top if p >= 1.0 else odd for p in probs])


def signed_rgba(values: list[float]) -> bytes:
    """RGBA bytes for values in [−1, 1] (a hidden unit's tanh), in the boundary's colours: blue above 0, magenta
    below, deeper the further from 0."""
    return boundary_rgba([0.5 + 0.5 * v for v in values])


def paint(predict, domain: Domain, points: list[tuple[float, float]] | None = None) -> Pixels:
    """Run `predict` (a list of points -> probabilities) over the grid and colour the result."""
    probs = predict(points if points is not None else domain.grid())
    return Pixels(GRID, GRID, boundary_rgba(probs))


def png_data_uri(pixels: Pixels) -> str:
    """Encode RGBA pixels as a PNG data: URI, for the pre-rendered page where no canvas can be painted yet."""
    row = pixels.width * 4
    raw = b"".join(b"\x00" + pixels.rgba[y * row:(y + 1) * row] for y in range(pixels.height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", pixels.width, pixels.height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_points(points: list[tuple[float, float, float, bool]], domain: Domain) -> El:
    """The data points as circles in plot units: (x1, x2, label, added by the learner)."""
    circles = []
    for x, y, label, added in points:
        fx, fy = domain.to_unit(x, y)
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            continue  # a moon's noisy tail can leave the plot; drawing it on the border would mislead
        kind = f"pt pt{int(label)}" + (" added" if added else "")
        circles.append(h("circle", {"class": kind, "cx": fx * VIEW, "cy": fy * VIEW, "r": 5 if added else 4}))
    return h("g", {"class": "points"}, *circles)


def render_frame(domain: Domain) -> El:
    """Faint axes through the origin and the extent of each axis, so a click's position can be read."""
    zx, zy = domain.to_unit(0.0, 0.0)
    parts = []
    if 0.0 < zx < 1.0:
        parts.append(h("line", {"class": "origin", "x1": zx * VIEW, "y1": 0, "x2": zx * VIEW, "y2": VIEW}))
    if 0.0 < zy < 1.0:
        parts.append(h("line", {"class": "origin", "x1": 0, "y1": zy * VIEW, "x2": VIEW, "y2": zy * VIEW}))
    def num(v: float) -> str:
        return f"{v:g}".replace("-", MINUS)

    corner = f"x₁ {num(domain.x_min)} … {num(domain.x_max)}, x₂ {num(domain.y_min)} … {num(domain.y_max)}"
    parts.append(h("text", {"class": "extent", "x": VIEW - 6, "y": VIEW - 6, "text-anchor": "end"}, corner))
    return h("g", {"class": "frame"}, *parts)
