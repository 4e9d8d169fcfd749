"""The cost-of-a-gradient widget as a learner uses it: the slider, the counts, the plot, "Show in the graph"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import control, number_after, numbers, section

NAME = "Cost of a gradient"
GRAPH_EXPR_K1 = "(sigmoid(u1*tanh(w11*0.5 + w12*(-1.2) + b1) + c) - 1)**2"


# Every read-out the tests compare, in one read: "<label>: N operations" by label, the largest differences, L.
READOUTS = """(s) => ({
    counts: Object.fromEntries([...s.querySelectorAll(".cost-count")].map((o) => o.textContent.split(": "))),
    params: s.querySelector(".cost-params output").textContent,
    differences: [...s.querySelectorAll(".cost-diffs output")].map((o) => o.textContent),
    loss: s.querySelector(".cost-loss output").textContent,
})"""


def readouts(page) -> dict:
    """The widget's read-outs, read together: operation counts by label (None while '—'), the parameter count,
    the two largest differences, and L."""
    got = section(page, NAME).evaluate(READOUTS)
    counts = {label: None if text.startswith("—") else int(text.split(" ")[0].replace(",", ""))
              for label, text in got["counts"].items()}
    return {"counts": counts, "params": number_after(got["params"], "Parameters:"),
            "differences": [numbers(text)[0] for text in got["differences"]], "loss": got["loss"]}


def finished(page, k: int) -> None:
    """Wait until the widget shows k's network and every method has finished with it (no row still working)."""
    expect(section(page, NAME)).to_contain_text(f"Parameters: {4 * k + 1} ")
    expect(section(page, NAME).locator(".cost-row.running")).to_have_count(0, timeout=60_000)
    expect(section(page, NAME).get_by_text(re.compile(r"^Finite differences: [0-9,]+ operations$"))).to_be_visible()


def slider(page):
    return control(page, NAME, "slider", "Hidden units")


def check_counts(page, k: int) -> dict:
    """Once k's network is finished (see finished), its counts and differences, read together, are the lesson's."""
    n = 4 * k + 1
    got = readouts(page)
    assert got["params"] == n
    counts = got["counts"]
    one = counts["One forward pass"]
    assert counts["Finite differences"] == (n + 1) * one
    assert counts["Forward mode"] == 2 * n * one  # a jvp pass applies two rules per operation
    assert counts["Reverse mode"] == 2 * one
    forward, finite = got["differences"]
    assert forward <= 1e-12 and 0 < finite <= 1e-6
    return got


def test_section_slider_and_counts_that_grow_with_k(lesson):
    page, log = lesson
    expect(section(page, NAME)).to_be_visible()
    expect(slider(page)).to_have_value("4")
    finished(page, 4)
    small = check_counts(page, 4)["counts"]["One forward pass"]
    slider(page).focus()
    page.keyboard.press("End")
    expect(slider(page)).to_have_value("64")
    finished(page, 64)
    assert check_counts(page, 64)["counts"]["One forward pass"] > 10 * small
    expect(section(page, NAME)).to_contain_text(re.compile(r"Scalar graph: [0-9,]+ nodes, [0-9,]+ edges"))
    expect(section(page, NAME).get_by_text(re.compile(r"ms in this browser"))).to_have_count(4)
    page.keyboard.press("Home")
    expect(slider(page)).to_have_value("1")
    finished(page, 1)
    check_counts(page, 1)
    log.assert_clean()


def test_plot_marks_the_current_size(lesson):
    page, _ = lesson
    plot = section(page, NAME).get_by_role("img", name="Cost against parameters", exact=True)
    expect(plot).to_be_visible()
    slider(page).fill("16")
    finished(page, 16)
    expect(plot.locator("text", has_text="n = 65")).to_be_visible()
    expect(plot.locator("circle.dot")).to_have_count(4)
    expect(plot.locator("path.line")).to_have_count(4)
    description = page.locator("#" + plot.get_attribute("aria-describedby")).text_content()
    assert re.search(r"Marked: 65 parameters, where the engine counted finite differences [0-9,]+", description)


def test_link_carries_k_and_refuses_nonsense(new_lesson):
    page, log = new_lesson("#cost.k=12")
    expect(slider(page)).to_have_value("12")
    finished(page, 12)
    check_counts(page, 12)
    slider(page).fill("30")
    expect(page).to_have_url(re.compile(r"#.*cost\.k=30"))
    log.assert_clean()
    page, _ = new_lesson("#cost.k=999")
    expect(slider(page)).to_have_value("4")
    expect(page.locator("#status")).to_contain_text("cost.k")


def show_in_graph(page, k: int) -> None:
    slider(page).fill(str(k))
    expect(section(page, NAME)).to_contain_text(f"Parameters: {4 * k + 1} ")  # the page has drawn k
    control(page, NAME, "button", "Show in the graph").click()


def test_show_in_the_graph_loads_the_one_unit_network(new_lesson):
    page, log = new_lesson(reduced_motion="reduce")
    show_in_graph(page, 1)
    graph = section(page, "Computation graph")
    expect(graph.get_by_role("textbox", name="Expression")).to_have_value(GRAPH_EXPR_K1)
    w11 = graph.get_by_role("slider", name="w11", exact=True)
    expect(w11).to_be_visible()
    assert float(w11.input_value()) == pytest.approx(-0.09)
    expect(graph.get_by_role("slider", name="c", exact=True)).to_have_value("0.2")
    # The graph's L is the cost widget's L: the same network on the same point (read once k = 1 is measured).
    finished(page, 1)
    loss = readouts(page)["loss"]
    assert re.fullmatch(r"L = 0\.\d{4}", loss)
    expect(graph).to_contain_text(loss)
    expect(graph).to_be_in_viewport()
    expect(graph).to_be_focused()
    expect(page).to_have_url(re.compile(r"graph\.expr="))
    expect(section(page, NAME)).to_contain_text("is in the Computation graph above")
    log.assert_clean()


def test_show_in_the_graph_loads_the_two_unit_network(new_lesson):
    page, _ = new_lesson(reduced_motion="reduce")
    show_in_graph(page, 40)
    graph = section(page, "Computation graph")
    expect(graph.get_by_role("textbox", name="Expression")).to_have_value(re.compile(r"w22\*\(-1\.2\)"))
    for name in ("u1", "w11", "w12", "b1", "u2", "w21", "w22", "b2", "c"):
        expect(graph.get_by_role("slider", name=name, exact=True)).to_be_visible()


def test_phone_layout_has_no_sideways_scroll(new_lesson):
    page, log = new_lesson(viewport={"width": 390, "height": 800})
    finished(page, 4)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(slider(page)).to_be_visible()
    log.assert_clean()


# Fires `count` input events with random values on the Hidden units slider, yielding a frame every `batch`.
STORM = """
async ([count, batch]) => {
  let s = 7;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const el = document.querySelector('#cost-mount input[type=range]');
  for (let i = 0; i < count; i++) {
    el.value = String(Math.floor(1 + rand() * 64));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    if (i % batch === 0) await new Promise(requestAnimationFrame);
  }
}
"""


def test_a_storm_of_slider_moves_and_clicks_leaves_it_consistent(new_lesson):
    page, log = new_lesson()
    page.evaluate(STORM, [300, 10])
    slider(page).fill("1")  # the 2-unit network needs the graph branch's 9-variable reader
    button = control(page, NAME, "button", "Show in the graph")
    for _ in range(3):
        button.click()
    slider(page).fill("5")
    finished(page, 5)
    check_counts(page, 5)
    expect(section(page, "Computation graph").get_by_role("slider", name="w11", exact=True)).to_be_visible()
    log.assert_clean()
