"""Links as a learner meets them: the skip link and a link that names one widget leave the others' work alone,
a key given twice keeps its last value and says so, and each link replaces the status line's notice."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.ui import control, number_after, section

TRAINER = "Trainer"


def trainer_state(page) -> dict:
    """Everything the test compares about the trainer, read in one go."""
    return page.evaluate("""() => {
        const s = document.getElementById("trainer");
        return {dataset: s.querySelector("select[data-on=dataset]").value,
                epoch: s.querySelector("#trainer-epoch").textContent,
                added: s.querySelectorAll("circle.added").length};
    }""")


def test_a_link_that_names_other_widgets_leaves_the_trainers_run_alone(new_lesson):
    page, log = new_lesson()
    s = section(page, TRAINER)
    s.get_by_role("combobox", name="Dataset").select_option("moons")
    box = s.locator(".plot-box").bounding_box()
    s.locator(".plot-box").click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.3})
    expect(s.locator("circle.added")).to_have_count(1)
    for _ in range(3):
        control(page, TRAINER, "button", "Step").click()
    expect(s.locator("#trainer-epoch")).to_have_text("Epoch 3")
    before = trainer_state(page)
    assert before == {"dataset": "moons", "epoch": "Epoch 3", "added": 1}

    page.get_by_role("link", name="Skip to the lesson").press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.evaluate("location.hash = '#cost.k=9'")
    expect(control(page, "Cost of a gradient", "slider", "Hidden units")).to_have_value("9")
    assert trainer_state(page) == before
    log.assert_clean()


def test_a_key_given_twice_keeps_the_last_value_and_a_later_link_replaces_the_notice(new_lesson):
    page, log = new_lesson("#cost.k=8&cost.k=2")
    slider = control(page, "Cost of a gradient", "slider", "Hidden units")
    status = page.locator("#status")
    expect(slider).to_have_value("2")
    expect(status).to_contain_text("cost.k was given twice; the last value was used")
    page.evaluate("location.hash = '#cost.k=0'")
    expect(status).to_contain_text("ignored cost.k='0'")
    expect(slider).to_have_value("4")  # the link names the widget: what it cannot read goes to its default
    page.evaluate("location.hash = '#cost.k=5'")
    expect(slider).to_have_value("5")
    expect(status).not_to_contain_text("ignored")
    expect(status).to_contain_text("Ready")
    assert number_after(section(page, "Cost of a gradient").inner_text(), "Parameters:") == 21
    log.assert_clean()


def test_back_after_show_in_the_graph_returns_to_the_page_as_it_was(new_lesson):
    """Opening a network in the graph is a navigation: Back undoes it, within the lesson, and the entry holds the
    whole page's state, so Forward brings the network back."""
    page, log = new_lesson("#chain.x=1.25", reduced_motion="reduce")
    graph = section(page, "Computation graph")
    expression = graph.get_by_role("textbox", name="Expression")
    lesson_expression = expression.input_value()
    graph.get_by_role("slider", name="w", exact=True).fill("2")
    cost_slider = control(page, "Cost of a gradient", "slider", "Hidden units")
    cost_slider.fill("1")
    expect(page).to_have_url(re.compile(r"cost\.k=1"))  # the page has written this state into its entry
    control(page, "Cost of a gradient", "button", "Show in the graph").click()
    expect(graph.get_by_role("slider", name="w11", exact=True)).to_be_visible()
    page.go_back()
    expect(expression).to_have_value(lesson_expression)
    expect(graph.get_by_role("slider", name="w", exact=True)).to_have_value("2")
    assert page.evaluate("""() => [location.hash.includes("chain.x=1.25"), location.href.startsWith("http"),
        document.getElementById("chain").querySelector("input[type=range]").value]""") == [True, True, "1.25"]
    page.go_forward()
    expect(graph.get_by_role("slider", name="w11", exact=True)).to_be_visible()
    log.assert_clean()
