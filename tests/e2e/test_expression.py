"""Bring your own function in the browser: type an expression, step its backward pass, read its code, share it."""

from __future__ import annotations

import math
import re

from playwright.sync_api import expect

from engine import Value, backward_steps
from web.expr import build, parse

MINUS = "\u2212"


def section(page):
    return page.get_by_role("region", name="Computation graph", exact=True)


def field(page):
    return section(page).get_by_role("textbox", name="Expression", exact=True)


def button(page, name):
    return section(page).get_by_role("button", name=name, exact=True)


def minus(text: str) -> re.Pattern:
    """Exactly text, with '-' or the typographic minus where text has '-'."""
    return re.compile("^" + f"[-{MINUS}]".join(re.escape(part) for part in text.split("-")) + "$")


def edges_from(page, name):
    return section(page).locator(f'svg.graph-wide path.edge[data-from="{name}"]')


def step_count(text: str) -> int:
    """Edges of the expression's graph, counted here by the engine, not by the page."""
    names = {"x": Value(1.0), "y": Value(1.0)}
    return len(backward_steps(build(parse(text), names)))


def test_typing_an_expression_builds_its_graph_and_the_pass_gives_the_chain_rule(lesson):
    page, log = lesson
    field(page).fill("x*x + sin(x)")
    field(page).press("Enter")
    x_slider = section(page).get_by_role("slider", name="x", exact=True)
    expect(section(page).get_by_role("slider")).to_have_count(1)
    # x feeds the product twice and sin once: three edges leave x
    expect(edges_from(page, "x")).to_have_count(3)
    assert sorted(edges_from(page, "x").evaluate_all("es => es.map(e => e.dataset.to)")) == ["v1", "v1", "v2"]
    x_slider.focus()
    for _ in range(30):
        x_slider.press("ArrowLeft")
    expect(x_slider).to_have_value("0.7")
    x = float(x_slider.input_value())
    button(page, "Show code").click()
    expect(button(page, "Show code")).to_have_attribute("aria-expanded", "true")
    n = step_count("x*x + sin(x)")
    assert n == 5
    for _ in range(n):
        button(page, "Step").click()
        # each step lights the generated line that adds its contribution (every one here lands in d_x's line)
        expect(section(page).locator(".code-active")).to_have_count(1)
    expect(section(page).locator(".code-active")).to_have_text(re.compile(r"^\s*d_x \+= "))
    want = 2 * x + math.cos(x)
    grad = section(page).locator("output.graph-grad")
    expect(grad).to_have_count(1)
    expect(grad).to_have_text(minus(f"∂L/∂x = {want:.4f}"))
    button(page, "Step").click()  # one more click finds nothing left to do
    expect(section(page).locator("#graph-explain")).to_contain_text("already complete")
    # the link now carries the expression
    expect(page).to_have_url(re.compile(r"#.*graph\.expr=x\*x%20%2B%20sin\(x\)"))
    log.assert_clean()


def test_an_invalid_expression_shows_the_alert_and_keeps_the_previous_graph(lesson):
    page, log = lesson
    field(page).fill("")
    field(page).press_sequentially("y*y*y", delay=5)  # key by key: every keystroke re-renders, none is lost
    expect(field(page)).to_have_value("y*y*y")
    button(page, "Apply").click()
    expect(section(page).get_by_role("slider", name="y", exact=True)).to_be_visible()
    drawing = section(page).locator("svg.graph-wide").inner_html()
    expect(section(page).get_by_role("alert")).to_have_count(0)
    field(page).fill("sinh(y) + y.real")
    field(page).press("Enter")
    alert = section(page).get_by_role("alert")
    expect(alert).to_have_text("unknown function 'sinh' — try sin, cos, tanh, exp, log, sigmoid, relu")
    expect(field(page)).to_have_attribute("aria-invalid", "true")
    assert section(page).locator("svg.graph-wide").inner_html() == drawing
    expect(section(page).get_by_role("slider", name="y", exact=True)).to_be_visible()
    field(page).fill("y**3")
    field(page).press("Enter")
    expect(alert).to_have_count(0)
    log.assert_clean()


def test_check_with_finite_differences_puts_the_estimate_beside_backprop(lesson):
    page, log = lesson
    field(page).fill("exp(x)*y")
    field(page).press("Enter")
    button(page, "Check with finite differences").click()
    rows = section(page).locator(".graph-check tbody tr")
    expect(rows).to_have_count(2)
    x, y = (float(section(page).get_by_role("slider", name=v, exact=True).input_value()) for v in "xy")
    for row, name, grad in ((rows.nth(0), "x", math.exp(x) * y), (rows.nth(1), "y", math.exp(x))):
        cells = row.locator("th, td")
        expect(cells.nth(0)).to_have_text(name)
        expect(cells.nth(1)).to_have_text(minus(f"{grad:.4f}"))
        expect(cells.nth(2)).to_have_text(minus(f"{grad:.4f}"))
        assert abs(float(cells.nth(3).inner_text().replace(MINUS, "-"))) < 1e-6
    log.assert_clean()


def test_a_shared_link_reproduces_the_expression_and_sliders(new_lesson):
    page, log = new_lesson("#graph.expr=x*y%20%2B%20sin(x)&graph.x=0.50&graph.y=-1.25")
    expect(field(page)).to_have_value("x*y + sin(x)")
    expect(section(page).get_by_role("slider", name="x", exact=True)).to_have_value("0.5")
    expect(section(page).get_by_role("slider", name="y", exact=True)).to_have_value("-1.25")
    x, y = 0.5, -1.25
    expect(section(page).locator("output.graph-loss")).to_have_text(minus(f"L = {x * y + math.sin(x):.4f}"))
    button(page, "Animate backward pass").click()
    grads = section(page).locator("output.graph-grad")
    expect(grads.nth(0)).to_have_text(minus(f"∂L/∂x = {y + math.cos(x):.4f}"), timeout=15_000)
    expect(grads.nth(1)).to_have_text(minus(f"∂L/∂y = {x:.4f}"))
    log.assert_clean()


def test_a_hostile_link_is_ignored_with_a_notice(new_lesson):
    page, log = new_lesson("#graph.expr=__import__('os').system('ls')&graph.x=9&graph.w=0.25")
    expect(page.locator("#status")).to_contain_text("ignored graph.expr")
    expect(field(page)).to_have_value("(sigmoid(w*x + b) - ystar)**2")
    expect(section(page).get_by_role("slider", name="x", exact=True)).to_have_value("1")
    expect(section(page).get_by_role("slider", name="w", exact=True)).to_have_value("0.25")
    expect(section(page).get_by_role("alert")).to_have_count(0)
    log.assert_clean()
