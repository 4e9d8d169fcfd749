"""Predict each step, Show all local derivatives, the check's read-outs and a long variable name, in Chromium, found
by role and exact name (DESIGN §4). Answers are worked out here, from the engine, never read from the page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from engine import Value, backward_steps
from tests.e2e.ui import MINUS, any_minus, control, section

GRAPH = "Computation graph"


def lesson_steps():
    """The lesson's backward steps at its default values, in the pass's order, as the test computes them."""
    w, x, b, y = Value(0.5), Value(1.0), Value(0.1), Value(1.0)
    return backward_steps(((w * x + b).sigmoid() - y) ** 2)


def fmt(v: float) -> str:
    return f"{v:.4f}".replace("-", MINUS)


def test_a_whole_pass_played_in_predict_mode_with_one_wrong_guess_scores_7_of_8(new_lesson):
    page, log = new_lesson("#graph.predict=1")
    box = control(page, GRAPH, "checkbox", "Predict each step")
    expect(box).to_be_checked()
    step = control(page, GRAPH, "button", "Step")
    field = control(page, GRAPH, "textbox", "Your prediction")
    status = section(page, GRAPH).locator("p[role=status]")  # the verdict: heard once (outputs are statuses too)
    explain = section(page, GRAPH).locator("#graph-explain")
    steps = lesson_steps()
    names = ["L → d", "d → s", "d → y*", "s → z", "z → p", "z → b", "p → w", "p → x"]
    # The play button asks once: after each answer the edge flies and the next question comes by itself.
    control(page, GRAPH, "button", "Animate backward pass").click()
    for k, (s, edge) in enumerate(zip(steps, names, strict=True)):
        parent = edge.split(" → ")[1]
        expect(explain).to_have_text(f"Edge {k + 1} of 8, {edge}: how much does this edge add to ∂L/∂{parent}?")
        expect(step).to_be_disabled()
        # the play button keeps the name it had before the question: nothing started, or a pass paused
        expect(control(page, GRAPH, "button", "Resume" if k else "Animate backward pass")).to_be_disabled()
        expect(field).to_be_focused()
        if k == 3:  # one wrong guess, at the sigmoid: a hint, the field empties, the question still waits
            field.fill("0.5")
            field.press("Enter")
            expect(status).to_have_text(f"Not yet. Upstream ∂L/∂s = {fmt(s.upstream)}. The local derivative of "
                                        f"s = σ(z) is s(1 − s), with s = 0.6457.")
            expect(field).to_have_value("")
            expect(step).to_be_disabled()
        field.fill(f"{s.contribution:.4f}")
        field.press("Enter")
        expect(status).to_have_text(f"Right: {fmt(s.upstream)} × {fmt(s.local)} = {fmt(s.contribution)}")
    expect(section(page, GRAPH).get_by_text("Right first time: 7 of 8", exact=True)).to_be_visible()
    expect(step).to_be_enabled()
    readouts = section(page, GRAPH).locator("output.graph-grad")
    expect(readouts.first).to_have_text(any_minus("∂L/∂w = -0.1621"))
    control(page, GRAPH, "button", "Reset").click()
    expect(section(page, GRAPH).get_by_text("Right first time: 0 of 0", exact=True)).to_be_visible()
    # The link carries predict=1 and nothing of the answers; unticking takes it out.
    expect(page).to_have_url(re.compile(r"#graph\.predict=1$"))
    box.uncheck()
    expect(page).not_to_have_url(re.compile("predict"))
    expect(field).to_have_count(0)
    log.assert_clean()


def test_show_all_local_derivatives_and_the_check_fills_the_read_outs(lesson):
    page, log = lesson
    figure = section(page, GRAPH).locator("svg.graph-wide")
    control(page, GRAPH, "checkbox", "Show all local derivatives").check()
    expect(figure.locator("g.edge-tag")).to_have_count(8)
    expect(figure.locator("g.edge-tag").filter(has_text="0.2288")).to_have_count(1)
    control(page, GRAPH, "checkbox", "Show all local derivatives").uncheck()
    expect(figure.locator("g.edge-tag")).to_have_count(0)
    control(page, GRAPH, "button", "Check with finite differences").click()
    expect(section(page, GRAPH).locator("#graph-check")).to_be_visible()
    texts = section(page, GRAPH).locator("output.graph-grad").evaluate_all("els => els.map(e => e.textContent)")
    assert [t.replace(MINUS, "-") for t in texts] == ["∂L/∂w = -0.1621", "∂L/∂x = -0.0811", "∂L/∂b = -0.1621"]
    log.assert_clean()


def test_a_30_character_name_keeps_a_320px_page_320px_wide(new_lesson):
    name = "a_rather_long_variable_name_30"
    page, log = new_lesson(f"#graph.expr={name}*{name}%2Bsin({name})", viewport={"width": 320, "height": 700})
    slider = control(page, GRAPH, "slider", name)  # the whole name stays the slider's name
    expect(slider).to_be_visible()
    control(page, GRAPH, "button", "Check with finite differences").click()
    expect(section(page, GRAPH).locator("#graph-check")).to_be_visible()
    width, right = page.evaluate("""() => [document.documentElement.scrollWidth,
        document.querySelector('#graph input[type=range]').getBoundingClientRect().right]""")
    assert width <= 320 and right <= 320
    log.assert_clean()
