"""The chain-rule explorer as a learner uses it: boot, read, drag, press keys."""

from __future__ import annotations

import math
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import any_minus, control, num, parse, same_number, section


def slider(page):
    return control(page, "Chain rule", "slider", "x")


def expect_text(page, text: str) -> None:
    expect(section(page, "Chain rule")).to_contain_text(any_minus(text, whole=False))


def expect_row(page, name: str, value: str) -> None:
    # Playwright writes the pattern into a selector as /.../, so a slash in it must be escaped.
    row = section(page, "Chain rule").get_by_role("row", name=re.compile("^" + re.escape(name).replace("/", "\\/")))
    expect(row).to_contain_text(any_minus(value, whole=False))


def expect_numbers_for(page, x: float) -> None:
    """Every read-out matches what this test computes itself for x."""
    u = x * x
    v = math.tanh(u)
    f = v * v
    expect_text(page, f"h({num(x, 2)}) = {num(u, 3)}")
    expect_text(page, f"g({num(u, 2)}) = {num(v, 3)}")
    expect_text(page, f"f({num(v, 2)}) = {num(f, 3)}")
    expect_row(page, "f'(v)", num(2 * v, 4))
    expect_row(page, "g'(u)", num(1 - v * v, 4))
    expect_row(page, "h'(x)", num(2 * x, 4))
    expect_row(page, "df/dx", num(2 * v * (1 - v * v) * 2 * x, 4))


def current_x(page) -> float:
    return parse(slider(page).input_value())


def test_boots_cleanly_with_no_foreign_requests(lesson):
    page, log = lesson
    expect(page.locator("#status")).to_contain_text("Ready")
    expect(slider(page)).to_be_enabled()
    log.assert_clean()


def test_default_numbers_match_the_contract(lesson):
    page, _ = lesson
    expect(slider(page)).to_have_value(same_number(0.7))
    for text in ["h(0.70) = 0.490", "g(0.49) = 0.454", "f(0.45) = 0.206"]:
        expect_text(page, text)
    for name, value in [("f'(v)", "0.9084"), ("g'(u)", "0.7937"), ("h'(x)", "1.4000"), ("df/dx", "1.0094")]:
        expect_row(page, name, value)


def test_arrow_right_moves_x_by_one_step(lesson):
    page, log = lesson
    start = current_x(page)
    slider(page).focus()
    page.keyboard.press("ArrowRight")
    expect(slider(page)).to_have_value(same_number(round(start + 0.01, 2)))
    expect_numbers_for(page, round(start + 0.01, 2))
    page.keyboard.press("ArrowLeft")
    expect_numbers_for(page, start)
    log.assert_clean()


@pytest.mark.parametrize("fraction", [0.1, 0.35, 0.62, 0.9])
def test_dragging_shows_the_values_the_test_computes(lesson, fraction):
    page, log = lesson
    slider(page).scroll_into_view_if_needed()
    box = slider(page).bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * fraction, y, steps=8)
    page.mouse.up()
    x = current_x(page)
    assert x != 0.7
    expect_numbers_for(page, x)
    log.assert_clean()


def test_home_and_end_reach_the_ends_of_the_range(lesson):
    page, _ = lesson
    slider(page).focus()
    page.keyboard.press("End")
    expect_numbers_for(page, 2.0)
    page.keyboard.press("Home")
    expect_numbers_for(page, -2.0)


def test_three_plots_move_their_points_with_the_slider(lesson):
    page, _ = lesson
    plots = section(page, "Chain rule").get_by_role("img")
    expect(plots).to_have_count(3)
    markers = section(page, "Chain rule").locator("circle.marker")
    expect(markers).to_have_count(3)
    x = current_x(page)
    before = markers.evaluate_all("ms => ms.map(m => m.getAttribute('cy'))")  # the three in one read
    slider(page).focus()
    page.keyboard.press("PageUp")
    expect(slider(page)).not_to_have_value(same_number(x))
    expect_numbers_for(page, current_x(page))  # the page has drawn the new x ...
    after = markers.evaluate_all("ms => ms.map(m => m.getAttribute('cy'))")  # ... so the markers are its
    assert all(a != b for a, b in zip(before, after, strict=True))


def test_page_without_javascript_already_shows_plots_and_numbers(site):
    with urllib.request.urlopen(site) as reply:
        html = reply.read().decode("utf-8")
    assert html.count('class="plot"') == 3
    for text in ["h(0.70) = 0.490", "g(0.49) = 0.454", "f(0.45) = 0.206", "0.9084", "0.7937", "1.4000", "1.0094"]:
        assert text in html
    assert "{{" not in html and "<!--mount:" not in html


def test_a_link_restores_x_and_moving_x_rewrites_the_link(new_lesson):
    page, log = new_lesson("#chain.x=1.25")
    expect(slider(page)).to_have_value(same_number(1.25))
    expect_numbers_for(page, 1.25)
    slider(page).focus()
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"#chain\.x=1\.24$"))
    log.assert_clean()


def test_a_hostile_link_is_ignored_with_a_notice(new_lesson):
    page, log = new_lesson("#chain.x=__import__('os')&chain.y=1&<img src=x>=2&zzz")
    expect(page.locator("#status")).to_contain_text("ignored")
    expect(slider(page)).to_have_value(same_number(0.7))
    expect_numbers_for(page, 0.70)
    log.assert_clean()
