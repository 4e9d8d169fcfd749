"""Every widget once in Firefox and once in WebKit, as a learner uses it on a second visit, which starts from the
snapshot of Python the first visit stored: the page boots, the chain slider moves by keyboard, a backward pass shows
the gradients this test computes, the trainer's loss falls; no console errors and no request leaves the origin. The
browsers and their drivers are in tests/e2e/otherbrowsers.py; a missing browser fails with how to install it
(`python3 build.py test` does, as root), it is never skipped."""

from __future__ import annotations

import math
import re

import pytest

from build import DIST
from tests.e2e.otherbrowsers import BROWSERS, BrowserMissing, serve_with_probe, wait_for
from tests.e2e.ui import NUMBER, number_after, numbers, parse


@pytest.fixture(scope="module")
def probe_site():
    """dist/ on 127.0.0.1, with the console probe WebKit needs (otherbrowsers.serve_with_probe)."""
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run `python3 build.py` (or `python3 build.py test`) first")
    server, url = serve_with_probe(DIST)
    yield url
    server.shutdown()
    server.server_close()


RESTORING = "Starting from the copy kept by this browser"  # the status line's stage when a snapshot is restored


@pytest.fixture(scope="module", params=sorted(BROWSERS))
def page(request, probe_site):
    """One browser at the lesson for the module's tests, on a second visit: the first starts Python the usual way and
    stores a snapshot of it (a cold boot costs WebKit up to a minute), the second starts from that snapshot. How the
    first visit went is kept as first_visit (data-snapshot and stages) and first_log."""
    try:
        browser = BROWSERS[request.param]()
    except BrowserMissing as missing:
        pytest.fail(str(missing))
    browser.open(probe_site)
    booted(browser)
    browser.first_visit = wait_for(lambda: (start := browser.start())[0] != "none" and start,
                                   "the first visit to store its snapshot (data-snapshot to leave 'none')")
    browser.first_log = browser.log()
    browser.open(probe_site)
    yield browser
    browser.close()


def booted(page) -> None:
    state = wait_for(page.state, "the page to set data-ready or data-failed on <body>")
    assert state == ["ready"], f"{page.name}: the page ended up {state}"


def test_the_first_visit_stores_a_snapshot_and_the_second_starts_from_it(page):
    booted(page)
    first_snapshot, first_stages = page.first_visit
    assert first_snapshot == "stored" and RESTORING not in first_stages
    page.first_log.assert_clean()
    snapshot, stages = page.start()
    assert snapshot == "restored" and RESTORING in stages, f"{page.name}: the second visit said {snapshot}, {stages}"
    page.log().assert_clean()


def close_to(shown: float, true: float, digits: int) -> bool:
    """Whether a read-out written with `digits` decimals is `true` correctly rounded (half a unit, plus noise)."""
    return abs(shown - true) <= 0.5 * 10.0**-digits + 1e-9


def value_at(text: str, name: str) -> tuple[float, float]:
    """(argument, value) of the read-out `name(arg) = value`, e.g. value_at("h(0.70) = 0.490", "h") == (0.7, 0.49)."""
    found = re.search(rf"{name}\(({NUMBER.pattern})\) = ({NUMBER.pattern})", text)
    assert found, f"no read-out {name}(…) = … in {text!r}"
    return parse(found.group(1)), parse(found.group(2))


def test_the_page_boots_and_is_ready(page):
    booted(page)
    page.log().assert_clean()


def test_the_chain_slider_moves_by_keyboard_and_every_read_out_follows(page):
    booted(page)
    start = parse(page.value("Chain rule", "slider", "x"))
    page.focus("Chain rule", "slider", "x")
    page.press("ArrowRight")
    x = wait_for(lambda: (v := parse(page.value("Chain rule", "slider", "x"))) != start and v, "x to move")
    assert close_to(x, start + 0.01, 2)
    u = x * x
    v = math.tanh(u)
    derivatives = {"f'(v)": 2 * v, "g'(u)": 1 - v * v, "h'(x)": 2 * x, "df/dx": 2 * v * (1 - v * v) * 2 * x}

    def shows_x() -> str:
        text = page.text("Chain rule")
        return text if close_to(value_at(text, "h")[0], x, 2) else ""

    text = wait_for(shows_x, f"the read-outs to show x = {x:.2f}")
    for name, arg, value in (("h", x, u), ("g", u, v), ("f", v, v * v)):
        shown_arg, shown = value_at(text, name)
        assert close_to(shown_arg, arg, 2) and close_to(shown, value, 3), (name, shown_arg, shown, arg, value)
    rows = page.texts("Chain rule", "row")  # e.g. "f'(v)\t2v\t0.9084" (WebKit runs the cells together)
    for name, value in derivatives.items():
        row = next(row for row in rows if row.strip().startswith(name))
        assert close_to(numbers(row)[-1], value, 4), row
    page.log().assert_clean()


def expected_gradients(w: float, x: float, b: float, y: float) -> dict[str, float]:
    """∂L/∂w, ∂L/∂x, ∂L/∂b of L = (σ(w·x + b) − y*)², worked out here, not read from the page."""
    s = 1 / (1 + math.exp(-(w * x + b)))
    dz = 2 * (s - y) * s * (1 - s)
    return {"w": dz * x, "x": dz * w, "b": dz}


def test_animate_backward_pass_ends_with_the_gradients_this_test_computes(page):
    booted(page)
    inputs = [parse(page.value("Computation graph", "slider", name)) for name in ("w", "x", "b", "y*")]
    want = expected_gradients(*inputs)
    page.click("Computation graph", "button", "Animate backward pass")

    def shown(text: str, name: str) -> float | None:
        """∂L/∂name as the read-out shows it; None while it reads — (not computed yet)."""
        found = re.search(f"∂L/∂{name} = ({NUMBER.pattern})", text)
        return parse(found.group(1)) if found else None

    def finished() -> str:  # the button is named Pause while the pass plays
        # Idle first, then the read-outs: read the other way round, a pass ending between the two calls would
        # pair mid-pass read-outs with an idle button.
        idle = page.count("Computation graph", "button", "Animate backward pass") == 1
        text = " ; ".join(page.texts("Computation graph", "status"))  # each read-out is an <output>
        return text if idle and all(shown(text, n) is not None for n in want) else ""

    text = wait_for(finished, "the backward pass to end")
    for name, value in want.items():
        assert close_to(shown(text, name), value, 4), (name, value, text)
    page.log().assert_clean()


def loss(page) -> float:
    """The Loss read-out ('Loss 0.6967'), one of the trainer's <output>s."""
    readouts = [text for text in page.texts("Trainer", "status") if text.strip().startswith("Loss")]
    assert readouts, f"no Loss read-out in {page.texts('Trainer', 'status')}"
    return number_after(readouts[0], "Loss")


def test_the_trainers_loss_falls(page):
    booted(page)
    start = loss(page)
    page.click("Trainer", "button", "Train")
    wait_for(lambda: loss(page) < start, f"the loss to fall below {start}")
    page.click("Trainer", "button", "Pause")
    page.log().assert_clean()


def test_cost_of_a_gradient_grows_with_the_hidden_units(page):
    booted(page)
    assert page.exists("Cost of a gradient"), "the page has no section named 'Cost of a gradient'"

    def reverse_ops() -> int | None:
        """N of the read-out 'Reverse mode: N operations' (116,358: thousands separators), None while it is '—'."""
        readouts = " ; ".join(page.texts("Cost of a gradient", "status"))
        found = re.search(r"Reverse mode: (\d[\d,]*) operations", readouts)
        return int(found.group(1).replace(",", "")) if found else None

    units = parse(page.value("Cost of a gradient", "slider", "Hidden units"))
    before = wait_for(reverse_ops, "a count in 'Reverse mode: N operations'")
    page.focus("Cost of a gradient", "slider", "Hidden units")
    page.press("ArrowRight" if units < 64 else "ArrowLeft")
    wait_for(lambda: parse(page.value("Cost of a gradient", "slider", "Hidden units")) != units, "the slider")
    after = wait_for(lambda: (n := reverse_ops()) not in (None, before) and n, "the reverse-mode count to change")
    assert (after > before) == (units < 64)
    page.log().assert_clean()
