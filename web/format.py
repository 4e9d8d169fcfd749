"""Number formatting shared by every widget: fixed decimals, a true minus sign, no "−0.000", and scientific
notation (2.42×10³⁸) where fixed decimals would print a wall of digits or round a real value to zero."""

from __future__ import annotations

import math

from engine.rules import superscript

MINUS = "\u2212"
# Outside [SMALL, LARGE) a non-zero value is written as m.mm×10ⁿ (DESIGN §3).
LARGE = 1e6
SMALL = 1e-4


def sci(value: float, decimals: int = 2) -> str:
    """Scientific notation with a typographic minus and a superscript exponent: 2.42×10³⁸, −3.1×10⁻¹⁰."""
    if not math.isfinite(value):
        return fixed(value, decimals)
    mantissa, exponent = f"{value:.{decimals}e}".split("e")
    sign = MINUS if value < 0 else ""
    return f"{sign}{mantissa.lstrip('-')}×10{superscript(str(int(exponent)))}"


def fixed(value: float, digits: int) -> str:
    """Format with `digits` decimals and a typographic minus; never shows a negative zero.

    |value| ≥ 10⁶ or 0 < |value| < 10⁻⁴ switch to scientific notation, so a huge loss stays short and a tiny
    gradient does not read as zero.
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else MINUS + "∞"
    if value != 0 and not SMALL <= abs(value) < LARGE:
        return sci(value)
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
