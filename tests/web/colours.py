"""Reading the page's colour roles out of its stylesheets, and WCAG contrast: shared by the colour tests.

Import it as `from tests.web.colours import ...` (pytest runs with --import-mode=importlib).
"""

from __future__ import annotations

import re
from pathlib import Path


def css_colours(path: Path) -> dict[str, dict[str, tuple[int, int, int]]]:
    """The #rrggbb custom properties a stylesheet sets, for the light scheme and inside its dark-scheme block."""
    text = path.read_text(encoding="utf-8")
    start = text.index("@media (prefers-color-scheme: dark)")
    depth, end = 0, start
    for end in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            break
    found = {}
    for scheme, part in (("light", text[:start] + text[end:]), ("dark", text[start:end])):
        found[scheme] = {name: tuple(int(hex_[i:i + 2], 16) for i in (0, 2, 4))
                         for name, hex_ in re.findall(r"(--[\w-]+):\s*#([0-9a-fA-F]{6})\b", part)}
    return found


def luminance(rgb):
    """WCAG relative luminance of an sRGB colour."""
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(background, rgba):
    """An RGBA pixel composited over an opaque background, as the browser shows the canvas on the plot box."""
    *rgb, alpha = rgba
    return tuple(round(b + (c - b) * alpha / 255) for b, c in zip(background, rgb, strict=True))


