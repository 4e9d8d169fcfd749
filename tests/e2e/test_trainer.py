"""The live trainer as a learner uses it: train, pause, step, diverge, reset, add points; by role and name.

Where a test must show that nothing happens (a paused run stays paused), it installs Playwright's fake clock, so
animation frames run only when the test moves time on: no sleeping and hoping.
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import control, number_after, parse
from tests.e2e.ui import section as find_section

LOSS_BELOW_0_05 = re.compile(r"^Loss (0\.0[0-4]\d\d|\d\.\d+×10⁻\d+)$")
TRAINER = "Trainer"


@pytest.fixture(autouse=True)
def patient_expect():
    """More time for each expectation: the machines running these tests are shared and often busy."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other modules


def section(page):
    return find_section(page, TRAINER)


def button(page, name):
    return control(page, TRAINER, "button", name)


def epoch(page) -> int:
    return int(number_after(section(page).locator("#trainer-epoch").inner_text(), "Epoch"))


def loss_text(page) -> str:
    return section(page).locator("#trainer-loss").inner_text()


def loss(page) -> float:
    return number_after(loss_text(page), "Loss")


def pause_if_running(page):
    if button(page, "Pause").count():
        button(page, "Pause").click()
    expect(button(page, "Train")).to_be_visible()


def setup(page, dataset="xor", speed="3"):
    """Paused, on `dataset`, at `speed`, learning rate 0.3, seed 1, no added points, Class 1 for new points."""
    s = section(page)
    pause_if_running(page)
    s.get_by_role("combobox", name="Dataset").select_option(dataset)
    s.get_by_role("combobox", name="Speed").select_option(speed)
    s.get_by_role("combobox", name="Loss function").select_option("bce")
    s.get_by_role("slider", name="Learning rate").fill("10")  # position 10 of the log slider is 0.3
    expect(s.locator("output[for=trainer-lr]")).to_have_text("0.3")
    seed = s.get_by_role("spinbutton", name="Seed")
    if seed.input_value() != "1":
        seed.fill("1")
        seed.press("Enter")
        expect(seed).to_have_value("1")
    if button(page, "Clear points").is_enabled():
        button(page, "Clear points").click()
    s.get_by_role("radio", name="Class 1").check()
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


def test_xor_with_the_defaults_reaches_a_small_loss(lesson):
    page, log = lesson
    setup(page)
    button(page, "Train").click()
    expect(button(page, "Pause")).to_be_visible()
    expect(section(page).locator("#trainer-loss")).to_have_text(LOSS_BELOW_0_05, timeout=60_000)
    expect(section(page).locator("#trainer-accuracy")).to_have_text(re.compile(r"^Accuracy (9\d|100)%$"))
    button(page, "Pause").click()
    log.assert_clean()


def test_pause_and_step_stop_time_from_training(new_lesson):
    page, log = new_lesson()
    s = section(page)
    button(page, "Train").click()
    expect(s.locator("#trainer-epoch")).not_to_have_text("Epoch 0")
    page.clock.install()  # from here on, animation frames run only when the test moves the fake clock
    button(page, "Pause").click()
    page.clock.run_for(100)
    expect(button(page, "Train")).to_be_visible()
    frozen = epoch(page)
    page.clock.run_for(3_000)  # 180 frames: a running trainer would have moved hundreds of epochs
    assert epoch(page) == frozen > 0
    for n in (1, 2, 3):
        button(page, "Step").click()
        page.clock.run_for(50)
        expect(s.locator("#trainer-epoch")).to_have_text(f"Epoch {frozen + n}")
    page.clock.run_for(3_000)
    assert epoch(page) == frozen + 3
    button(page, "Train").click()  # and the same fake time does train while running: the check can fail
    page.clock.run_for(1_000)
    assert epoch(page) > frozen + 30
    log.assert_clean()


def test_the_largest_learning_rate_on_moons_makes_the_loss_leap_and_reset_recovers(lesson):
    """What the intro promises at η = 300: the loss leaps far above where it started and keeps jumping. (The
    overflow message, which the stable loss no longer reaches at 300, is tested in CPython with η = 1e308.)"""
    page, log = lesson
    s = section(page)
    setup(page, dataset="moons", speed="0")
    start = loss(page)
    lr = s.get_by_role("slider", name="Learning rate")
    lr.focus()
    page.keyboard.press("End")
    expect(s.locator("output[for=trainer-lr]")).to_have_text("300")
    seen = []
    for n in range(1, 13):
        button(page, "Step").click()
        expect(s.locator("#trainer-epoch")).to_have_text(f"Epoch {n}")
        seen.append(loss(page))
    assert max(seen) > 100 * start  # measured at seed 1: 0.68 at the start, over 150 within six epochs
    assert min(seen[4:]) > 0.3  # and it does not settle back down
    assert max(abs(a - b) for a, b in itertools.pairwise(seen[4:])) > 10  # it jumps
    lr.fill("10")
    button(page, "Reset").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 0")
    assert loss(page) == start
    button(page, "Step").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 1")
    assert loss(page) < start
    log.assert_clean()


def test_reset_replays_the_same_start_and_new_weights_draws_another(lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    start = loss_text(page)
    for n in (1, 2, 3):
        button(page, "Step").click()
        expect(s.locator("#trainer-epoch")).to_have_text(f"Epoch {n}")
    expect(s.locator("#trainer-loss")).not_to_have_text(start)
    button(page, "Reset").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 0")
    expect(s.locator("#trainer-loss")).to_have_text(start)  # the same weights: the same epoch-0 loss
    expect(s.get_by_role("spinbutton", name="Seed")).to_have_value("1")
    chart = s.get_by_role("img", name="Training loss")
    expect(chart.locator("text.run-label.past")).to_have_text(["η 0.3"])  # the 3-epoch run, kept faded
    button(page, "New weights").click()
    expect(s.get_by_role("spinbutton", name="Seed")).to_have_value("2")
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 0")
    expect(s.locator("#trainer-loss")).not_to_have_text(start)
    assert 0 < loss(page) < 5
    log.assert_clean()


def test_the_seed_field_refuses_what_a_link_could_not_carry(lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    seed = s.get_by_role("spinbutton", name="Seed")
    seed.fill("1e20")
    seed.press("Enter")
    message = s.locator("p.trainer-message[role=status]")
    expect(message).to_contain_text("The seed must be a whole number from 0 to 2,147,483,647")
    seed.fill("2147483647")
    seed.press("Enter")
    expect(message).to_have_text("")
    button(page, "New weights").click()
    expect(seed).to_have_value("0")  # wraps around
    expect(page).to_have_url(re.compile(r"trainer\.seed=0(&|$)"))
    log.assert_clean()


def test_hidden_unit_maps_are_images_that_change_while_training(lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    maps = [s.get_by_role("img", name=f"Hidden unit {k}", exact=True) for k in range(1, 5)]
    for m in maps:
        expect(m).to_be_visible()
    before = [m.evaluate("canvas => canvas.toDataURL()") for m in maps]
    assert len(set(before)) == 4  # four different units, four different pictures
    button(page, "Train").click()
    for m, picture in zip(maps, before, strict=True):
        page.wait_for_function("([canvas, before]) => canvas.toDataURL() !== before",
                               arg=[m.element_handle(), picture])
    expect(button(page, "Pause")).to_be_visible()  # they changed while training ran
    button(page, "Pause").click()
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
    group = s.get_by_role("radiogroup", name="New points")
    group.get_by_role("radio", name="Class 0").check()  # a tap, no modifier key
    expect(group.get_by_role("radio", name="Class 0")).to_be_checked()
    plot.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.25})
    expect(s.locator("circle.pt0.added")).to_have_count(1)
    plot.click(position={"x": box["width"] * 0.5, "y": box["height"] * 0.5})
    expect(s.locator("circle.pt0.added")).to_have_count(2)
    expect(s.locator("circle.pt1.added")).to_have_count(1)
    group.get_by_role("radio", name="Class 1").check()
    plot.click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.6})
    expect(s.locator("circle.pt1.added")).to_have_count(2)
    expect(s).to_contain_text("4 added")
    button(page, "Reset").click()
    expect(points).to_have_count(count + 4)  # Reset keeps the learner's points
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
    # Whether each key would also scroll the page: the page's handler must cancel the browser's default.
    page.evaluate("() => { window.__keys = []; document.addEventListener('keydown', "
                  "(e) => window.__keys.push([e.key, e.defaultPrevented])); }")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    expect(s.locator("path.cursor")).to_have_count(1)
    assert page.evaluate("() => window.__keys") == [["ArrowDown", True], ["ArrowDown", True], ["ArrowLeft", True]]
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
    page.clock.install()
    button(page, "Pause").click()
    page.clock.run_for(100)
    expect(button(page, "Train")).to_be_visible()  # the view after the pause, not a held one from before
    frozen = epoch(page)
    page.clock.run_for(2_000)
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
    s.get_by_role("radio", name="Class 0").check()
    plot.click(position={"x": box["width"] * 0.32, "y": box["height"] * 0.61})
    s.get_by_role("radio", name="Class 1").check()
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


def settings_shown(page) -> dict[str, object]:
    """Every setting the trainer shows, and its epoch-0 loss, as a learner reads them."""
    s = section(page)
    return {
        "dataset": s.get_by_role("combobox", name="Dataset").input_value(),
        "lr": s.locator("output[for=trainer-lr]").inner_text(),
        "loss": s.get_by_role("combobox", name="Loss function").input_value(),
        "speed": s.get_by_role("combobox", name="Speed").input_value(),
        "noise": parse(s.locator("output[for=trainer-noise]").inner_text()),
        "points": s.locator("output[for=trainer-count]").inner_text(),
        "seed": s.get_by_role("spinbutton", name="Seed").input_value(),
        "loss0": loss_text(page),
    }


def test_a_link_restores_every_setting_and_the_same_start(lesson, new_lesson):
    page, log = lesson
    s = section(page)
    setup(page)
    s.get_by_role("combobox", name="Dataset").select_option("moons")
    expect(s.locator("output[for=trainer-lr]")).to_have_text("3")  # two moons' own default
    s.get_by_role("slider", name="Learning rate").fill("13")
    s.get_by_role("combobox", name="Loss function").select_option("mse")
    s.get_by_role("combobox", name="Speed").select_option("10")
    s.get_by_role("slider", name="Noise").fill("0.25")
    s.get_by_role("slider", name="Number of points").fill("120")
    button(page, "New weights").click()
    button(page, "New weights").click()
    box = s.locator(".plot-box").bounding_box()
    s.locator(".plot-box").click(position={"x": box["width"] * 0.4, "y": box["height"] * 0.3})
    expect(s.locator(".points circle")).to_have_count(121)
    expect(page).to_have_url(re.compile(r"trainer\.added="))
    shown = settings_shown(page)
    assert shown["seed"] == "3" and shown["lr"] == "2" and shown["noise"] == 0.25

    other, other_log = new_lesson("#" + page.url.split("#", 1)[1])
    o = section(other)
    expect(o.locator(".points circle")).to_have_count(121)
    assert settings_shown(other) == shown
    button(page, "Clear points").click()
    s.get_by_role("combobox", name="Loss function").select_option("bce")
    log.assert_clean()
    other_log.assert_clean()
