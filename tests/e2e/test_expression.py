"""Bring your own function in the browser: type an expression, step its backward pass, read its code, share it."""

from __future__ import annotations

import math
import re

from playwright.sync_api import expect

from engine import Value, backward_steps
from tests.e2e.ui import any_minus, control, num, parse, section
from web.expr import build
from web.expr import parse as read

GRAPH = "Computation graph"


def field(page):
    return control(page, GRAPH, "textbox", "Expression")


def button(page, name):
    return control(page, GRAPH, "button", name)


def slider(page, name):
    return control(page, GRAPH, "slider", name)


def edges_from(page, name):
    return section(page, GRAPH).locator(f'svg.graph-wide path.edge[data-from="{name}"]')


# The active edge and the lit code lines of the graph's section, in one read.
STEP_SHOWN = """(s) => {
    const edge = s.querySelector("svg.graph-wide g.backs path.active");
    const lines = [...s.querySelectorAll(".code-line")];
    const lit = lines.flatMap((line, k) => line.classList.contains("code-active") ? [k] : []);
    return {to: edge && edge.dataset.to, from: edge && edge.dataset.from, lit,
            line: lit.length ? lines[lit[0]].textContent : ""};
}"""


def step_count(text: str) -> int:
    """Edges of the expression's graph, counted here by the engine, not by the page."""
    names = {"x": Value(1.0), "y": Value(1.0)}
    return len(backward_steps(build(read(text), names)))


def test_typing_an_expression_builds_its_graph_and_the_pass_gives_the_chain_rule(lesson):
    page, log = lesson
    field(page).fill("x*x + sin(x)")
    field(page).press("Enter")
    expect(section(page, GRAPH).get_by_role("slider")).to_have_count(1)
    # x feeds the product twice and sin once: three edges leave x
    expect(edges_from(page, "x")).to_have_count(3)
    assert sorted(edges_from(page, "x").evaluate_all("es => es.map(e => e.dataset.to)")) == ["v1", "v1", "v2"]
    x_slider = slider(page, "x")
    x_slider.focus()
    for _ in range(30):
        x_slider.press("ArrowLeft")
    expect(x_slider).to_have_value("0.7")
    x = parse(x_slider.input_value())
    button(page, "Show code").click()
    expect(button(page, "Show code")).to_have_attribute("aria-expanded", "true")
    n = step_count("x*x + sin(x)")
    assert n == 5
    code = section(page, GRAPH).locator(".code-line")
    expect(code).to_have_count(n + 2)  # a comment, the seed, then one line per step
    for k in range(n):
        button(page, "Step").click()
        # Once the page shows this step's number, read the edge and the lit lines together: read one by one, a
        # busy machine paired the previous step's edge with this step's line ("d_v2 += d_v2").
        expect(section(page, GRAPH).locator("#graph-explain")).to_contain_text(f"Edge {k + 1} of {n},")
        seen = section(page, GRAPH).evaluate(STEP_SHOWN)
        # the lit line is exactly the edge being animated: d_parent += d_child * local
        assert seen["lit"] == [k + 2], seen
        assert re.match(rf"^d_{seen['to']} \+= d_{seen['from']} \* ", seen["line"]), seen
    grad = section(page, GRAPH).locator("output.graph-grad")
    expect(grad).to_have_count(1)
    expect(grad).to_have_text(any_minus(f"∂L/∂x = {num(2 * x + math.cos(x), 4)}"))
    button(page, "Optimized").click()
    expect(button(page, "Optimized")).to_have_attribute("aria-pressed", "true")
    expect(section(page, GRAPH).locator(".graph-code")).to_contain_text("engine.compile")
    button(page, "Step").click()  # one more click finds nothing left to do
    expect(section(page, GRAPH).locator("#graph-explain")).to_contain_text("already complete")
    expect(page).to_have_url(re.compile(r"#.*graph\.expr=x\*x%20%2B%20sin\(x\)"))  # the link carries it
    button(page, "Show code").click()
    log.assert_clean()


def test_an_invalid_expression_shows_the_alert_and_keeps_the_previous_graph(lesson):
    page, log = lesson
    field(page).fill("")
    field(page).press_sequentially("y*y*y", delay=5)  # key by key: every keystroke re-renders, none is lost
    expect(field(page)).to_have_value("y*y*y")
    button(page, "Apply").click()
    expect(slider(page, "y")).to_be_visible()
    drawing = section(page, GRAPH).locator("svg.graph-wide").inner_html()
    expect(section(page, GRAPH).get_by_role("alert")).to_have_count(0)
    field(page).fill("sinh(y) + y.real")
    field(page).press("Enter")
    alert = section(page, GRAPH).get_by_role("alert")
    expect(alert).to_have_text("unknown function 'sinh' — try sin, cos, tanh, exp, log, sigmoid, relu, softplus")
    expect(field(page)).to_have_attribute("aria-invalid", "true")
    assert section(page, GRAPH).locator("svg.graph-wide").inner_html() == drawing
    field(page).fill("__debug__*y")
    field(page).press("Enter")
    expect(alert).to_contain_text("names starting with __ belong to Python")
    expect(slider(page, "y")).to_be_visible()
    field(page).fill("y**3")
    field(page).press("Enter")
    expect(alert).to_have_count(0)
    log.assert_clean()


def test_check_with_finite_differences_puts_the_estimate_beside_backprop(lesson):
    page, log = lesson
    field(page).fill("exp(x)*y")
    field(page).press("Enter")
    button(page, "Check with finite differences").click()
    rows = section(page, GRAPH).locator(".graph-check tbody tr")
    expect(rows).to_have_count(2)
    x, y = (parse(slider(page, v).input_value()) for v in "xy")
    for row, name, grad in ((rows.nth(0), "x", math.exp(x) * y), (rows.nth(1), "y", math.exp(x))):
        cells = row.locator("th, td")
        expect(cells.nth(0)).to_have_text(name)
        expect(cells.nth(1)).to_have_text(any_minus(num(grad, 4)))
        expect(cells.nth(2)).to_have_text(any_minus(num(grad, 4)))
        assert abs(parse(cells.nth(3).inner_text())) < 1e-6
    log.assert_clean()


def test_a_shared_link_reproduces_the_expression_and_sliders(new_lesson):
    page, log = new_lesson("#graph.expr=x*y%20%2B%20sin(x)&graph.x=0.50&graph.y=-1.25")
    expect(field(page)).to_have_value("x*y + sin(x)")
    expect(slider(page, "x")).to_have_value("0.5")
    expect(slider(page, "y")).to_have_value("-1.25")
    x, y = 0.5, -1.25
    loss = section(page, GRAPH).locator("output.graph-loss")
    expect(loss).to_have_text(any_minus(f"L = {num(x * y + math.sin(x), 4)}"))
    grads = section(page, GRAPH).locator("output.graph-grad")
    expect(grads.nth(0)).to_have_text("∂L/∂x = —")
    button(page, "Animate backward pass").click()
    expect(grads.nth(0)).to_have_text(any_minus(f"∂L/∂x = {num(y + math.cos(x), 4)}"), timeout=15_000)
    expect(grads.nth(1)).to_have_text(any_minus(f"∂L/∂y = {num(x, 4)}"))
    log.assert_clean()


def test_a_refused_link_applies_none_of_its_graph_settings_and_says_so_once(new_lesson):
    page, log = new_lesson("#graph.expr=__import__('os').system('ls')&graph.x=2.50&graph.w=0.25")
    status = page.locator("#status")
    expect(status).to_contain_text("ignored graph.expr")
    expect(status).to_contain_text("none of the link's graph settings were applied")
    assert status.text_content().count("graph.") == 1  # one notice, not one per field
    expect(field(page)).to_have_value("(sigmoid(w*x + b) - ystar)**2")
    expect(slider(page, "x")).to_have_value("1")
    expect(slider(page, "w")).to_have_value("0.5")  # the link's w was not applied to the lesson's graph
    expect(section(page, GRAPH).get_by_role("alert")).to_have_count(0)
    log.assert_clean()
