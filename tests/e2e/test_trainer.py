"""The live trainer as a learner uses it: train, pause, step, diverge, reset, add points; by role and name."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

LOSS_BELOW_0_05 = re.compile(r"^Loss 0\.0[0-4]\d\d$")


@pytest.fixture(autouse=True)
def patient_expect():
    """More time for each expectation: the machines running these tests are shared and often busy."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other modules


def section(page):
    return page.get_by_role("region", name="Trainer", exact=True)


def button(page, name):
    return section(page).get_by_role("button", name=name, exact=True)


def epoch(page) -> int:
    return int(re.fullmatch(r"Epoch (\d+)", section(page).locator("#trainer-epoch").inner_text()).group(1))


def loss_text(page) -> str:
    return section(page).locator("#trainer-loss").inner_text()


def pause_if_running(page):
    if button(page, "Pause").count():
        button(page, "Pause").click()
    expect(button(page, "Train")).to_be_visible()


def setup(page, dataset="xor", speed="3"):
    """Paused, on `dataset`, at `speed`, default learning rate, fresh weights, no added points."""
    s = section(page)
    pause_if_running(page)
    s.get_by_role("combobox", name="Dataset").select_option(dataset)
    s.get_by_role("combobox", name="Speed").select_option(speed)
    s.get_by_role("slider", name="Learning rate").fill("10")  # position 10 of the log slider is 0.3
    expect(s.locator("output[for=trainer-lr]")).to_have_text("0.3")
    if button(page, "Clear points").is_enabled():
        button(page, "Clear points").click()
    button(page, "Reset").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 0")


def test_controls_and_views_carry_their_contract_names(lesson):
    page, log = lesson
    s = section(page)
    s.scroll_into_view_if_needed()
    dataset = s.get_by_role("combobox", name="Dataset", exact=True)
    expect(dataset).to_be_enabled()
    expect(dataset.get_by_role("option")).to_have_text(["XOR", "Two moons"])
    expect(s.get_by_role("slider", name="Learning rate", exact=True)).to_be_enabled()
    for name in ("Train", "Step", "Reset"):
        expect(button(page, name)).to_be_enabled()
    expect(s.get_by_role("img", name="Decision boundary", exact=True)).to_be_visible()
    expect(s.get_by_role("img", name="Training loss", exact=True)).to_be_visible()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 0")
    expect(s.locator("#trainer-loss")).to_have_text(re.compile(r"^Loss \d\.\d{4}$"))
    log.assert_clean()


def test_xor_with_the_defaults_reaches_a_small_loss_within_30_seconds(lesson):
    page, log = lesson
    setup(page)
    start = time.monotonic()
    button(page, "Train").click()
    expect(button(page, "Pause")).to_be_visible()
    expect(section(page).locator("#trainer-loss")).to_have_text(LOSS_BELOW_0_05, timeout=30_000)
    assert time.monotonic() - start < 30
    button(page, "Pause").click()
    log.assert_clean()


def test_pause_freezes_the_epoch_counter(lesson):
    page, _ = lesson
    setup(page)
    button(page, "Train").click()
    expect(section(page).locator("#trainer-epoch")).not_to_have_text("Epoch 0")
    button(page, "Pause").click()
    expect(button(page, "Train")).to_be_visible()
    frozen = epoch(page)
    page.wait_for_timeout(600)
    assert epoch(page) == frozen > 0


def test_step_adds_exactly_one_epoch(lesson):
    page, _ = lesson
    setup(page)
    for n in (1, 2, 3):
        button(page, "Step").click()
        expect(section(page).locator("#trainer-epoch")).to_have_text(f"Epoch {n}")
    page.wait_for_timeout(300)
    assert epoch(page) == 3


def test_the_largest_learning_rate_on_moons_explodes_without_errors_and_reset_recovers(lesson):
    page, log = lesson
    s = section(page)
    setup(page, dataset="moons", speed="0")
    first = loss_text(page)
    lr = s.get_by_role("slider", name="Learning rate")
    lr.focus()
    page.keyboard.press("End")
    expect(s.locator("output[for=trainer-lr]")).to_have_text("10")
    button(page, "Train").click()
    message = s.locator("p.trainer-message[role=status]")
    desc = s.locator("#trainer-loss-desc")
    start_loss = float(first.split()[1])
    deadline = time.monotonic() + 15
    exploded = False
    while time.monotonic() < deadline and not exploded:
        if "the loss overflowed" in (message.text_content() or ""):
            exploded = True
            break
        found = re.search(r"highest (\d+\.\d+)", desc.text_content() or "")
        exploded = bool(found) and float(found.group(1)) > 2 * start_loss
        page.wait_for_timeout(100)
    assert exploded, desc.text_content()
    pause_if_running(page)
    lr.fill("10")
    button(page, "Reset").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 0")
    expect(message).to_have_text("")
    button(page, "Step").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 1")
    expect(s.locator("#trainer-loss")).to_have_text(re.compile(r"^Loss 0\.\d{4}$"))
    log.assert_clean()


def test_clicking_the_plot_adds_points_and_changes_the_loss(lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    plot = s.locator(".plot-box")
    points = s.locator(".points circle")
    count = points.count()
    before = loss_text(page)
    box = plot.bounding_box()
    # (1, 1) is a class-0 corner of XOR: a class-1 point there must raise the loss
    plot.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    expect(points).to_have_count(count + 1)
    expect(s.locator("circle.pt1.added")).to_have_count(1)
    expect(s.locator("#trainer-loss")).not_to_have_text(before)
    plot.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.25}, modifiers=["Shift"])
    expect(s.locator("circle.pt0.added")).to_have_count(1)
    expect(s).to_contain_text("2 added")
    button(page, "Reset").click()
    expect(points).to_have_count(count + 2)  # Reset keeps the learner's points
    button(page, "Clear points").click()
    expect(points).to_have_count(count)
    log.assert_clean()


def test_everything_works_from_the_keyboard(lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    button(page, "Train").focus()
    page.keyboard.press("Enter")
    expect(button(page, "Pause")).to_be_focused()
    page.keyboard.press("Space")
    expect(button(page, "Train")).to_be_visible()
    plot = s.get_by_role("group", name="Data and decision boundary")
    plot.focus()
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    expect(s.locator("path.cursor")).to_have_count(1)
    page.wait_for_timeout(400)  # keyboard scrolling is animated: give it time to show
    assert page.evaluate("window.scrollY") == scrolled  # the arrows move the cross, not the page
    page.keyboard.press("Enter")
    expect(s.locator("circle.pt1.added")).to_have_count(1)
    page.keyboard.press("Shift+Enter")
    expect(s.locator("circle.pt0.added")).to_have_count(1)
    button(page, "Clear points").click()
    log.assert_clean()


def test_reduced_motion_still_trains_and_answers(new_lesson):
    page, log = new_lesson(reduced_motion="reduce")
    s = section(page)
    s.get_by_role("combobox", name="Speed").select_option("0")
    button(page, "Train").click()
    expect(s.locator("#trainer-loss")).to_have_text(LOSS_BELOW_0_05, timeout=30_000)
    button(page, "Pause").click()
    expect(button(page, "Train")).to_be_visible()  # the view after the pause, not a held one from before
    frozen = epoch(page)
    page.wait_for_timeout(400)
    assert epoch(page) == frozen > 0
    log.assert_clean()


def test_a_link_with_settings_opens_that_run(new_lesson):
    page, log = new_lesson("#trainer.dataset=moons&trainer.seed=6&trainer.lr=0.5&trainer.points=100")
    s = section(page)
    expect(s.get_by_role("combobox", name="Dataset")).to_have_value("moons")
    expect(s.get_by_role("spinbutton", name="Seed")).to_have_value("6")
    expect(s.locator("output[for=trainer-lr]")).to_have_text("0.5")
    expect(s.locator(".points circle")).to_have_count(100)
    log.assert_clean()


def added_points(page) -> list[tuple[str, str, str]]:
    """Where the plot draws the learner's points, and their class, as the SVG says."""
    circles = section(page).locator(".points circle.added")
    return sorted((c.get_attribute("cx"), c.get_attribute("cy"), c.get_attribute("class")) for c in circles.all())


def test_a_copied_link_brings_the_added_points_and_replays_the_run(lesson, new_lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    plot = s.locator(".plot-box")
    box = plot.bounding_box()
    plot.click(position={"x": box["width"] * 0.71, "y": box["height"] * 0.23})
    plot.click(position={"x": box["width"] * 0.32, "y": box["height"] * 0.61}, modifiers=["Shift"])
    s.get_by_role("group", name="Data and decision boundary").focus()
    for key in ("ArrowLeft", "ArrowLeft", "Enter"):
        page.keyboard.press(key)
    expect(s.locator(".points circle.added")).to_have_count(3)
    expect(s).to_contain_text("3 added")
    # The page rewrites the address bar a moment after each change: wait for a link that holds all three.
    expect(page).to_have_url(re.compile(r"#.*trainer\.added=[^&_]+_[^&_]+_[^&_]+(&|$)"))
    link = page.url
    seen = added_points(page)
    total = s.locator(".points circle").count()

    other, other_log = new_lesson("#" + link.split("#", 1)[1])
    o = section(other)
    expect(o.locator(".points circle.added")).to_have_count(3)
    expect(o.locator(".points circle")).to_have_count(total)
    expect(o).to_contain_text("3 added")
    assert added_points(other) == seen
    for p in (page, other):  # the same seed, data and points: the same run, epoch for epoch
        for n in range(1, 6):
            button(p, "Step").click()
            expect(section(p).locator("#trainer-epoch")).to_have_text(f"Epoch {n}")
    assert loss_text(other) == loss_text(page)
    button(other, "Train").click()
    expect(o.locator("#trainer-epoch")).to_have_text(re.compile(r"^Epoch ([2-9]\d|\d{3,})$"))  # 20 or more
    pause_if_running(other)
    expect(o.locator(".points circle.added")).to_have_count(3)
    assert added_points(other) == seen
    assert o.locator(".points circle").count() == total
    button(page, "Clear points").click()
    expect(s.locator(".points circle.added")).to_have_count(0)
    log.assert_clean()
    other_log.assert_clean()
