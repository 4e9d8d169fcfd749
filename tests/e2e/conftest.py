"""Shared fixtures for the browser tests: the built site on a local port, one headless Chromium, and one
loaded lesson page per test module (each cold Pyodide start costs seconds)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from build import CHROMIUM_ARGS, DIST, find_chromium, serve_in_thread
from tests.e2e.ui import PageLog, origin_of

BOOT_TIMEOUT_MS = 60_000


class PlaywrightLog(PageLog):
    """The shared PageLog, filled from a Playwright page's events."""

    def watch(self, page: Page) -> None:
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", self.check_request)

    def check_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if origin_of(request.url) != self.origin:
            self.foreign_requests.append(request.url)


@pytest.fixture(scope="session")
def site() -> str:
    """Base URL of dist/ served on 127.0.0.1."""
    if not (DIST / "index.html").exists():
        pytest.fail("dist/ is missing: run `python3 build.py` (or `python3 build.py test`) first")
    server, url = serve_in_thread(DIST)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_lesson(browser, url: str, init_script: str | None = None, **context_options):
    """A new context and page at url (init_script runs before any page script), with its log attached, once
    every widget answers input."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context_options})
    page = context.new_page()
    if init_script:
        page.add_init_script(init_script)
    log = PlaywrightLog(origin_of(url))
    log.watch(page)
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=BOOT_TIMEOUT_MS)
    return context, page, log


@pytest.fixture(scope="module")
def lesson(browser, site):
    """(page, log) of one lesson page shared by the tests of a module."""
    context, page, log = open_lesson(browser, site)
    yield page, log
    context.close()


@pytest.fixture()
def new_lesson(browser, site):
    """A factory for fresh lesson pages: new_lesson(fragment="", init_script=None, **context_options) -> (page, log).

    Test modules cannot import conftest (pytest runs with --import-mode=importlib), so use this fixture for a
    page of your own, e.g. new_lesson("#chain.x=1.25") or new_lesson(reduced_motion="reduce")."""
    contexts = []

    def make(fragment: str = "", init_script: str | None = None, **context_options):
        context, page, log = open_lesson(browser, site + fragment, init_script, **context_options)
        contexts.append(context)
        return page, log

    yield make
    for context in contexts:
        context.close()
