"""Number formatting shared by every widget: fixed decimals, a true minus sign, no "−0.000"."""

from __future__ import annotations

import math

MINUS = "\u2212"


def fixed(value: float, digits: int) -> str:
    """Format with `digits` decimals and a typographic minus; never shows a negative zero."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else MINUS + "∞"
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        text = text[1:] if float(text) == 0 else MINUS + text[1:]
    return text


def parse_number(text: str) -> float | None:
    """Read a number a learner typed or a control sent, accepting the typographic minus; None if unreadable."""
    try:
        value = float(text.strip().replace(MINUS, "-"))
    except (ValueError, AttributeError):
        return None
    return value if math.isfinite(value) else None
