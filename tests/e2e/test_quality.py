"""The whole page under scrutiny: CSP in force, accessibility (axe-core), phone layout, explained boot failures."""

from __future__ import annotations

import http.server
import shutil
import threading
import typing
from pathlib import Path

import pytest
from playwright.sync_api import expect

from build import DIST, ROOT, Handler, serve_in_thread

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDGETS = ("Computation graph", "Chain rule", "Trainer", "Your turn")


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2 A/AA rules) on the page; one line per violation and node."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']})).violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(result)


def test_an_injected_inline_script_is_blocked_by_the_csp(new_lesson):
    page, _ = new_lesson()
    ran = page.evaluate(
        """() => {
            window.__injected = false;
            const s = document.createElement('script');
            try { s.text = 'window.__injected = true'; } catch (e) { return 'blocked by trusted types'; }
            document.body.append(s);
            return window.__injected ? 'ran' : 'blocked by script-src';
        }"""
    )
    assert ran.startswith("blocked")
    assert page.evaluate("() => window.__injected") is False


def test_axe_finds_no_violations_once_python_is_ready(browser, site):
    assert AXE.exists(), "node_modules/axe-core is missing: run python3 build.py (npm ci) first"
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site)
    expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=60_000)
    assert axe_violations(page) == []
    context.close()


def test_axe_finds_no_violations_on_the_prerendered_page(browser, site):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.route("**/boot.js", lambda route: route.abort())  # the page as it reads before Python starts
    page.goto(site)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [320, 390, 1280])  # 320: the smallest phones still sold
def test_no_horizontal_scrolling_and_every_widget_fits(new_lesson, width):
    page, log = new_lesson(viewport={"width": width, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for name in WIDGETS:
        box = page.get_by_role("region", name=name, exact=True).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, name
    # touch-sized: every visible control of the widgets is at least 44 × 44 CSS pixels
    small = page.evaluate("""() => [...document.querySelectorAll(
        '[id$=-mount] :is(input, select, button, textarea, [tabindex="0"])')]
        .filter(e => e.getClientRects().length).map(e => [e.id || e.dataset.on, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44).map(([name]) => name)""")
    assert small == []
    log.assert_clean()


class WrongWasmType(Handler):
    """Serves .wasm as text/plain, as a misconfigured host that ignores the headers file would."""

    extensions_map: typing.ClassVar[dict[str, str]] = {**Handler.extensions_map, ".wasm": "text/plain"}
    honour_headers_file = False


def broken_copy(tmp_path: Path, damage) -> Path:
    copy = tmp_path / "dist"
    shutil.copytree(DIST, copy)
    damage(copy)
    return copy


def app_wheel(copy: Path) -> Path:
    return next((copy / "wheels").glob("*/*.whl"))


@pytest.mark.parametrize(
    ("case", "damage", "names"),
    [
        ("missing wasm", lambda d: (d / "pyodide" / "pyodide.asm.wasm").unlink(), "pyodide/pyodide.asm.wasm"),
        ("missing standard library", lambda d: (d / "pyodide" / "python_stdlib.zip").unlink(),
         "Loading the Python runtime"),
        ("missing app wheel", lambda d: app_wheel(d).unlink(), "Installing the lesson's Python code"),
        ("corrupt app wheel", lambda d: app_wheel(d).write_bytes(b"PK\x03\x04 not really a wheel"),
         "Installing the lesson's Python code"),
    ],
)
def test_boot_failures_are_explained_in_plain_words(browser, tmp_path, case, damage, names):
    server, url = serve_in_thread(broken_copy(tmp_path, damage))
    try:
        expect_failure_message(browser, url, names)
    finally:
        server.shutdown()
        server.server_close()


def test_a_wrong_wasm_type_is_explained(browser, tmp_path):
    import functools

    copy = broken_copy(tmp_path, lambda d: None)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(WrongWasmType, directory=str(copy)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        expect_failure_message(browser, f"http://127.0.0.1:{server.server_address[1]}/", "application/wasm")
    finally:
        server.shutdown()
        server.server_close()


def expect_failure_message(browser, url: str, names: str = "") -> None:
    """The status line says the lesson could not start, names what failed, and the preview still reads."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    status = page.locator("#status")
    expect(status).to_contain_text("The lesson could not start", timeout=90_000)  # a loaded machine is slow
    text = status.inner_text()
    assert names in text
    assert "Traceback" not in text and 'File "' not in text
    expect(page.locator("body")).not_to_have_attribute("data-ready", "")
    expect(page.get_by_role("region", name="Chain rule", exact=True)).to_contain_text("h(0.70) = 0.490")
    context.close()



def test_the_skip_link_moves_to_the_lesson_without_a_word_about_settings(new_lesson):
    page, log = new_lesson()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the lesson")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    # The page answers a new fragment by re-reading it and, a moment later, writing its own settings back (none
    # here, so the address loses "#main"): once that happens Python has read the anchor.
    page.wait_for_url(lambda url: "#" not in url)
    status = page.locator("#status")
    expect(status).to_contain_text("Ready")
    assert "ignored" not in status.inner_text() and "not understood" not in status.inner_text()
    log.assert_clean()
