"""Boot: the status line tells the learner what is loading, and says so plainly when the lesson cannot start."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from build import DIST, serve_in_thread


@pytest.fixture()
def broken_site(tmp_path):
    """A copy of dist/ whose WebAssembly runtime is missing."""
    copy = tmp_path / "dist"
    shutil.copytree(DIST, copy)
    (copy / "pyodide" / "pyodide.asm.wasm").unlink()
    server, url = serve_in_thread(copy)
    yield url
    server.shutdown()
    server.server_close()


def test_missing_wasm_says_the_lesson_could_not_start(browser, broken_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(broken_site)
    status = page.locator("#status")
    expect(status).to_contain_text("could not start", timeout=35_000)
    expect(page.locator("body")).not_to_have_attribute("data-ready", "")
    assert "Traceback" not in status.inner_text()
    # the lesson text and the pre-rendered widget are still there to read
    expect(page.get_by_role("region", name="Chain rule")).to_contain_text("h(0.70) = 0.490")
    context.close()
