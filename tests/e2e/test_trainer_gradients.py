"""The trainer's gradients and network settings as a learner uses them: one hidden unit on XOR, Show gradients,
a weight's panel and "Show in the graph", and a page that does not move when training starts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import control, number_after, numbers, section

NAME = "Trainer"
BEST_ONE_UNIT_XOR = 0.75  # bench/README.md, "Activations and width": the best of 5 seeds × 5 learning rates


def test_one_hidden_unit_cannot_solve_xor(new_lesson):
    page, log = new_lesson("#trainer.hidden=1&trainer.speed=0")
    trainer = section(page, NAME)
    expect(trainer).to_contain_text("5 parameters")
    expect(trainer.get_by_role("img", name=re.compile(r"^Hidden unit \d"))).to_have_count(1)
    control(page, NAME, "button", "Train").click()
    expect(trainer.locator("#trainer-epoch")).to_have_text(re.compile(r"^Epoch ([2-9]\d{3}|\d{5,})$"),
                                                            timeout=60_000)
    control(page, NAME, "button", "Pause").click()
    expect(control(page, NAME, "button", "Train")).to_be_visible()
    text = trainer.locator(".trainer-readouts").inner_text()
    assert number_after(text, "Accuracy") / 100 <= BEST_ONE_UNIT_XOR
    log.assert_clean()


def test_the_weight_panel_shows_the_chain_and_the_graph_gives_the_same_number(new_lesson):
    page, log = new_lesson(reduced_motion="reduce")
    trainer = section(page, NAME)
    for _ in range(20):
        control(page, NAME, "button", "Step").click()
    expect(trainer.locator("#trainer-epoch")).to_have_text("Epoch 20")
    control(page, NAME, "checkbox", "Show gradients").check()
    expect(trainer.get_by_role("img", name="Network gradients")).to_be_visible()
    control(page, NAME, "button", "Weight from x2 to h3").click()
    panel = trainer.locator(".weight-panel")
    expect(panel.get_by_role("heading", name="Weight from x2 to h3")).to_be_visible()
    control(page, NAME, "button", "Next point").click()
    expect(panel).to_contain_text("Point 2 of 100")
    chain = panel.locator(".panel-chain").inner_text()
    assert chain.startswith("∂ℓ/∂z × ∂z/∂h₃ × ∂h₃/∂a₃ × ∂a₃/∂w = ")
    factors, result = numbers(chain.split(" = ")[1]), numbers(chain.split(" = ")[2])[0]
    product = factors[0] * factors[1] * factors[2] * factors[3]
    assert product == pytest.approx(result, abs=6e-4)  # each factor shown to 4 decimals
    control(page, NAME, "button", "Show in the graph").click()
    graph = section(page, "Computation graph")
    expect(graph.get_by_role("textbox", name="Expression")).to_have_value(re.compile(r"^log\(1 \+ exp\("))
    expect(graph.get_by_role("slider", name="w", exact=True)).to_be_visible()
    expect(graph.get_by_role("slider")).to_have_count(1)
    graph.get_by_role("button", name="Animate backward pass").click()
    expect(graph).to_contain_text(re.compile(r"∂L/∂w = [-\u2212]?\d+\.\d{4}"))
    assert number_after(graph.inner_text(), "∂L/∂w =") == pytest.approx(result, abs=1e-4)
    log.assert_clean()


def test_every_weight_and_bias_is_a_named_button_outside_the_picture(new_lesson):
    page, log = new_lesson("#trainer.hidden=8")
    trainer = section(page, NAME)
    expect(trainer).to_contain_text("33 parameters")
    names = [f"Weight from x{i} to h{j}" for j in range(1, 9) for i in (1, 2)] + [f"Bias of h{j}" for j in range(1, 9)]
    names += [f"Weight from h{j} to the output" for j in range(1, 9)] + ["Bias of the output"]
    for name in names:
        expect(trainer.get_by_role("button", name=name, exact=True)).to_have_count(1)
    inside_images = page.evaluate("""() => [...document.querySelectorAll('#trainer-mount [role=img] button')]
        .length""")
    assert inside_images == 0
    trainer.get_by_role("button", name="Bias of the output", exact=True).focus()
    page.keyboard.press("Enter")
    expect(trainer.get_by_role("heading", name="Bias of the output")).to_be_visible()
    expect(trainer.locator(".panel-chain")).to_contain_text("∂ℓ/∂z × ∂z/∂b = ")
    log.assert_clean()


SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push([performance.now(), entry.value]);
  }
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("width", [390, 1280])
def test_pressing_train_does_not_move_the_page(new_lesson, width):
    page, log = new_lesson(init_script=SHIFTS, viewport={"width": width, "height": 844})
    trainer = section(page, NAME)
    trainer.scroll_into_view_if_needed()
    control(page, NAME, "button", "Train").click()
    started = page.evaluate("performance.now()")
    expect(trainer.locator("#trainer-rate")).to_have_text(re.compile(r"epochs/s"))
    page.wait_for_timeout(3000)
    shifts = page.evaluate("""start => window.__shifts.filter(([t]) => t >= start - 100)
        .reduce((sum, [, v]) => sum + v, 0)""", started)
    assert shifts <= 0.01
    log.assert_clean()
