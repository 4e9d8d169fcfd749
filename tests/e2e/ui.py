"""What every browser test needs to find and read the page as a learner does: sections and controls by role and
accessible name (DESIGN §4), and numbers read back from the page's own way of writing them.

Import it as `from tests.e2e.ui import ...` (pytest runs with --import-mode=importlib, so conftest cannot be
imported; fixtures stay in conftest.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MINUS = "\u2212"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
# A number as the page writes it: optional minus (either sign), digits, decimals, and an optional ×10ⁿ.
NUMBER = re.compile(r"[-\u2212]?(?:\d+(?:\.\d*)?|\.\d+)(?:×10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?|[-\u2212]?∞|NaN")


def section(page, name: str):
    """A widget's section by its accessible name (Chain rule, Computation graph, Trainer, Cost of a gradient)."""
    return page.get_by_role("region", name=name, exact=True)


def control(page, name: str, role: str, label: str):
    """A control of a widget's section by role and exact accessible name."""
    return section(page, name).get_by_role(role, name=label, exact=True)


def any_minus(text: str, *, whole: bool = True) -> re.Pattern:
    """A pattern for text that accepts '-' or the typographic minus wherever text has '-' (whole: anchored)."""
    body = f"[-{MINUS}]".join(re.escape(part) for part in text.split("-"))
    return re.compile(f"^{body}$" if whole else body)


def num(value: float, digits: int) -> str:
    """A number in the plain range of the contract's format (not scientific), written by the test itself."""
    assert value == 0 or 1e-4 <= abs(value) < 1e6, f"{value} would be written in scientific notation"
    text = f"{value:.{digits}f}"
    return "0." + "0" * digits if float(text) == 0 else text


def parse(text: str) -> float:
    """A number as the page writes it (−0.1621, 2.42×10³⁸, −∞, NaN) as a float."""
    text = text.strip().replace(MINUS, "-")
    if text.endswith("∞"):
        return float(text.replace("∞", "inf"))
    if "×10" in text:
        mantissa, exponent = text.split("×10")
        return float(f"{mantissa}e{exponent.translate(SUPERSCRIPTS)}")  # 10.0 ** -324 would underflow
    return float(text)


def numbers(text: str) -> list[float]:
    """Every number in a text, in order (labels such as ∂L/∂w have none of their own)."""
    return [parse(match) for match in NUMBER.findall(text)]


def number_after(text: str, label: str) -> float:
    """The number right after `label` in text, e.g. number_after("Epoch 12  Loss 0.0123", "Loss") == 0.0123.

    Strict: "∂L/∂x = —" has no number, and reading on to the next label's would be a wrong answer, so it fails.
    """
    _, found, tail = text.partition(label)
    assert found, f"{label!r} not in {text!r}"
    match = NUMBER.match(tail.lstrip())
    assert match, f"no number right after {label!r} in {text!r}"
    return parse(match.group(0))


def same_number(value: float) -> re.Pattern:
    """A pattern for any way a browser writes `value` in an input (Chromium "0.7", Firefox "0.70", "1" or "1.0"), so
    that expect(slider).to_have_value(same_number(0.7)) compares numbers, not one browser's normalised string."""
    text = repr(float(value)).rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    sign = f"[-{MINUS}]" if whole.startswith("-") else ""
    return re.compile(f"^{sign}{whole.lstrip('-')}" + (rf"\.{fraction}0*$" if fraction else r"(?:\.0*)?$"))


# Runs before any page script (add_init_script): keeps every layout shift the browser does not excuse as caused by
# input, from the first one on (buffered), with the element that moved most, for layout_shift() to read.
LAYOUT_SHIFT_PROBE = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.hadRecentInput) continue;
    const moved = (e.sources || []).map((s) => s.node ? (s.node.id || s.node.className || s.node.nodeName) : "?");
    window.__layoutShifts.push({value: e.value, at: Math.round(e.startTime), moved});
  }
}).observe({type: "layout-shift", buffered: true});
"""


def layout_shift(page) -> tuple[float, list[dict]]:
    """The page's layout shift so far (the sum of the probe's entries) and the entries, once the frames already
    asked for have been drawn (a shift is reported after the frame that made it)."""
    shifts = page.evaluate("""async () => {
        for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
        return window.__layoutShifts;
    }""")
    return sum(s["value"] for s in shifts), shifts


@dataclass
class PageLog:
    """What went wrong while the page was open, as the browser reported it."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.foreign_requests == []


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def off_origin(urls: list[str], origin: str) -> list[str]:
    """The URLs that leave `origin` (data: and blob: stay in the page)."""
    return [u for u in urls if urlsplit(u).scheme not in ("data", "blob", "about") and origin_of(u) != origin]
