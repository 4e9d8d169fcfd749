"""A page that does not jump: from load through ready the layout shifts by at most 0.01 (the sum of every shift
the browser does not excuse as caused by input). The status line used to shrink from the preview's four lines to
one (0.034 in the issue; 0.076 at 390 px here: the loader's first words, then each stage's shorter or longer line)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import LAYOUT_SHIFT_PROBE, layout_shift

MOST = 0.01


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_page_does_not_jump_from_load_through_ready(new_lesson, width):
    page, log = new_lesson(init_script=LAYOUT_SHIFT_PROBE, viewport={"width": width, "height": 800})
    expect(page.locator("#status")).to_contain_text("Ready")
    total, shifts = layout_shift(page)
    assert total <= MOST, shifts
    log.assert_clean()


def test_when_the_script_never_runs_the_status_line_says_what_to_try_after_a_few_seconds(browser, site):
    context = browser.new_context(reduced_motion="reduce")  # it is no movement: reduced motion shows it too
    page = context.new_page()
    page.route("**/boot.js", lambda route: route.abort())
    page.goto(site)
    hint = page.locator("#status .status-stuck")
    expect(page.locator("#status")).to_contain_text("The widgets below are a preview until Python starts.")
    expect(hint).to_have_css("font-size", re.compile(r"^1[0-9.]+px$"), timeout=15_000)
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("add a “/” at its end and reload")
    context.close()
