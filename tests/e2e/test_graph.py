"""The computation-graph widget as a learner uses it: sliders, Animate, Step, Reset, by keyboard and mouse."""

from __future__ import annotations

import math
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from engine import Value, backward_steps

MINUS = "\u2212"
PASS_MS = 15_000  # the animation takes about 5 s; leave room for a slow machine


def section(page):
    return page.get_by_role("region", name="Computation graph", exact=True)


def slider(page, name):
    return section(page).get_by_role("slider", name=name, exact=True)


def button(page, name):
    return section(page).get_by_role("button", name=name, exact=True)


def any_minus(text: str) -> re.Pattern:
    """A pattern for exactly text, accepting '-' or the typographic minus wherever text has '-'."""
    return re.compile("^" + f"[-{MINUS}]".join(re.escape(part) for part in text.split("-")) + "$")


def num(value: float) -> str:
    text = f"{value:.4f}"
    return "0.0000" if float(text) == 0 else text


def expected(w, x, b, y):
    """L, ∂L/∂w, ∂L/∂x, ∂L/∂b computed here, independently of the page."""
    s = 1 / (1 + math.exp(-(w * x + b)))
    dz = 2 * (s - y) * s * (1 - s)
    return (s - y) ** 2, dz * x, dz * w, dz


def edge_count() -> int:
    w, x, b, y = Value(0.5), Value(1.0), Value(0.1), Value(1.0)
    return len(backward_steps(((w * x + b).sigmoid() - y) ** 2))


def expect_readouts(page, loss: float, grads=(0.0, 0.0, 0.0)) -> None:
    expect(section(page).locator("output.graph-loss")).to_have_text(any_minus(f"L = {num(loss)}"))
    outputs = section(page).locator("output.graph-grad")
    for i, (name, g) in enumerate(zip("wxb", grads, strict=True)):
        expect(outputs.nth(i)).to_have_text(any_minus(f"∂L/∂{name} = {num(g)}"), timeout=PASS_MS)


def values(page):
    return [float(slider(page, name).input_value()) for name in ("w", "x", "b", "y*")]


def test_defaults_read_as_the_contract_says(lesson):
    page, log = lesson
    expect(button(page, "Step")).to_be_enabled()
    assert values(page) == [0.5, 1.0, 0.1, 1.0]
    expect_readouts(page, 0.1256)
    graph = section(page).get_by_role("img", name=re.compile("^Computation graph of L"))
    expect(graph).to_have_count(1)  # the wide drawing; the phone one is hidden at this width
    for text in ["0.5000", "0.6000", "0.6457", any_minus("-0.3543"), "0.1256"]:
        expect(graph.locator("text.node-value").filter(has_text=text).first).to_be_visible()
    log.assert_clean()


def test_keyboard_sliders_then_animate_give_the_gradients_the_test_computes(lesson):
    page, log = lesson
    slider(page, "w").focus()
    for _ in range(37):
        page.keyboard.press("ArrowLeft")  # w 0.50 -> 0.13
    slider(page, "x").focus()
    page.keyboard.press("End")  # x -> 3
    slider(page, "y*").focus()
    for _ in range(15):
        page.keyboard.press("ArrowLeft")  # y* 1.00 -> 0.85
    expect(slider(page, "y*")).to_have_value("0.85")
    w, x, b, y = values(page)
    assert (w, x, y) == (0.13, 3.0, 0.85)
    loss, *_ = expected(w, x, b, y)
    expect_readouts(page, loss)  # forward values follow the sliders; no gradients yet
    button(page, "Animate backward pass").click()
    expect(button(page, "Animate backward pass")).to_have_attribute("aria-pressed", "true")
    expect_readouts(page, *(lambda r: (r[0], r[1:]))(expected(w, x, b, y)))
    expect(button(page, "Animate backward pass")).to_have_attribute("aria-pressed", "false")
    expect(section(page).locator("[aria-live=polite]")).to_contain_text("complete")
    log.assert_clean()


def test_after_a_pass_dragging_a_slider_keeps_the_gradients_live(lesson):
    page, log = lesson
    button(page, "Reset").click()
    for _ in range(edge_count()):
        button(page, "Step").click()
    expect(section(page).locator("[aria-live=polite]")).to_contain_text("complete")
    box = slider(page, "b").bounding_box()
    y_mid = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y_mid)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, y_mid, steps=6)
    page.mouse.up()
    vals = values(page)
    assert vals[2] > 0.1
    loss, *grads = expected(*vals)
    expect_readouts(page, loss, grads)
    log.assert_clean()


def test_step_takes_one_click_per_edge_and_reset_clears(lesson):
    page, log = lesson
    button(page, "Reset").click()
    slider(page, "b").focus()
    page.keyboard.press("Home")  # b -> -3: a clearly different point
    vals = values(page)
    loss, *grads = expected(*vals)
    expect_readouts(page, loss)
    n = edge_count()
    assert n == 8
    step = button(page, "Step")
    step.focus()
    for _ in range(n - 1):
        page.keyboard.press("Enter")
    explain = section(page).locator("[aria-live=polite]")
    expect(explain).to_contain_text(f"Edge {n - 1} of {n}")
    # x's edge is the last one: after n - 1 clicks its gradient has not arrived yet
    expect(section(page).locator("output.graph-grad").nth(1)).to_have_text(any_minus("∂L/∂x = 0.0000"))
    page.keyboard.press("Space")
    expect(explain).to_contain_text(f"Edge {n} of {n}")
    expect_readouts(page, loss, grads)
    expect(section(page).locator("g.badge")).to_have_count(2 * 9)  # every node, in both drawings
    button(page, "Reset").click()
    expect_readouts(page, loss)
    expect(section(page).locator("g.badge")).to_have_count(0)
    log.assert_clean()


def test_step_pauses_a_running_animation_and_a_slider_cancels_it(lesson):
    page, log = lesson
    animate = button(page, "Animate backward pass")
    animate.click()
    explain = section(page).locator("[aria-live=polite]")
    expect(explain).to_contain_text("Edge 2 of")
    button(page, "Step").click()
    expect(animate).to_have_attribute("aria-pressed", "false")
    paused = explain.text_content()
    page.wait_for_timeout(800)
    assert explain.text_content() == paused  # nothing moves while paused
    animate.click()
    expect(section(page).locator("g.badge").first).to_be_visible()
    slider(page, "w").focus()
    page.keyboard.press("ArrowRight")
    expect(animate).to_have_attribute("aria-pressed", "false")
    expect(section(page).locator("g.badge")).to_have_count(0)
    expect(explain).to_contain_text("slider moved")
    loss, *_ = expected(*values(page))
    expect_readouts(page, loss)
    page.wait_for_timeout(700)
    expect(section(page).locator("g.badge")).to_have_count(0)  # no stale frame brings badges back
    log.assert_clean()


def test_page_without_javascript_already_shows_the_graph(site):
    with urllib.request.urlopen(site) as reply:
        html = reply.read().decode("utf-8")
    start = html.index('id="graph-mount"')
    widget = html[start:html.index("</section>", start)]
    for text in ["L = 0.1256", "∂L/∂w = 0.0000", "0.6457", f"{MINUS}0.3543", "Animate backward pass", "<desc"]:
        assert text in widget
    assert widget.count("<svg") == 2 and "style=" not in widget


def test_reduced_motion_jumps_through_the_steps(new_lesson):
    page, log = new_lesson(reduced_motion="reduce")
    button(page, "Animate backward pass").click()
    explain = section(page).locator("[aria-live=polite]")
    expect(explain).to_contain_text("Edge 1 of")
    loss, *grads = expected(0.5, 1.0, 0.1, 1.0)
    expect_readouts(page, loss, grads)
    assert section(page).locator("circle.pulse").count() == 0  # no dot ever travels
    button(page, "Reset").click()
    button(page, "Step").click()
    expect(explain).to_contain_text("Edge 1 of")
    log.assert_clean()


SMALLEST_TEXT_PX = 14  # the grad badge; every other text in the drawing is larger


def inside(box, viewport) -> bool:
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5
            and box["y"] + box["height"] <= viewport["height"] + 0.5)


def on_screen_scale(drawing) -> float:
    """CSS pixels per drawing unit, from the drawing's box and its viewBox."""
    view_height = float(drawing.get_attribute("viewBox").split()[3])
    return drawing.bounding_box()["height"] / view_height


@pytest.mark.parametrize("size", [(390, 844), (600, 960), (800, 1280)])
def test_on_a_phone_or_portrait_tablet_the_controls_and_the_whole_graph_share_the_screen(new_lesson, size):
    page, log = new_lesson(viewport={"width": size[0], "height": size[1]})
    viewport = page.viewport_size
    drawing = section(page).get_by_role("img", name=re.compile("^Computation graph of L"))
    expect(drawing).to_have_count(1)  # only the top-to-bottom drawing is shown here
    drawing.scroll_into_view_if_needed()
    step = button(page, "Step")
    step.click()
    step.click()
    label = drawing.locator("g.edge-label")
    expect(label).to_contain_text("∂d/∂s")
    # A learner who watches the pass still has the slider and the buttons, and sees all of the graph below them.
    for control in (slider(page, "w"), step, button(page, "Animate backward pass"), label):
        assert inside(control.bounding_box(), viewport)
    graph = drawing.bounding_box()
    assert graph["y"] >= step.bounding_box()["y"] + step.bounding_box()["height"] - 0.5
    assert inside(graph, viewport)
    assert on_screen_scale(drawing) * SMALLEST_TEXT_PX >= 11
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    # Moving w now reruns the pass in place: the graph and the slider stay where they were.
    for _ in range(edge_count() - 2):
        step.click()
    slider(page, "w").focus()
    page.keyboard.press("ArrowRight")
    loss, *grads = expected(0.51, 1.0, 0.1, 1.0)
    expect_readouts(page, loss, grads)
    expect(drawing.locator("g.badge").filter(has_text=any_minus(num(grads[0]))).first).to_be_visible()
    assert drawing.bounding_box() == graph and inside(slider(page, "w").bounding_box(), viewport)
    log.assert_clean()


def test_a_long_expression_on_a_phone_keeps_the_page_from_scrolling_sideways(new_lesson):
    page, log = new_lesson(viewport={"width": 390, "height": 844})
    field = section(page).get_by_role("textbox", name="Expression")
    field.fill("sin(x*y) + exp(-x*x) * tanh(y + 2*x)")
    field.press("Enter")
    drawing = section(page).get_by_role("img", name=re.compile("^Computation graph of L = sin"))
    expect(drawing).to_have_count(1)
    drawing.scroll_into_view_if_needed()
    button(page, "Step").click()
    button(page, "Step").click()
    expect(drawing.locator("g.edge-label")).to_be_visible()
    for control in (slider(page, "x"), slider(page, "y"), button(page, "Step")):
        assert inside(control.bounding_box(), page.viewport_size)
    assert on_screen_scale(drawing) * SMALLEST_TEXT_PX >= 10.5  # a big drawing keeps BIG_SCALE and scrolls inside
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    log.assert_clean()


def test_on_a_phone_each_step_of_a_wide_graph_scrolls_its_edge_into_sight(new_lesson):
    page, log = new_lesson(viewport={"width": 390, "height": 844})
    text = "sin(x*y) + exp(-x*x) * tanh(y + 2*x)"
    field = section(page).get_by_role("textbox", name="Expression")
    field.fill(text)
    field.press("Enter")
    figure = section(page).get_by_role("group", name="Graph drawing, scrolls sideways")
    expect(figure).to_be_visible()
    figure.scroll_into_view_if_needed()
    x, y = Value(1.0), Value(1.0)
    steps = len(backward_steps((x * y).sin() + (-x * x).exp() * (y + 2 * x).tanh()))
    assert page.evaluate("(f) => f.scrollWidth > f.clientWidth", figure.element_handle())  # it does scroll
    label_in_sight = """() => {
        const label = document.querySelector("svg.graph-tall g.edge-label");
        if (!label) return false;  // the page draws the step on its next frame
        const box = label.closest("[role=group]").getBoundingClientRect(), r = label.getBoundingClientRect();
        return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    }"""
    positions = set()
    for _ in range(steps):
        button(page, "Step").click()
        page.wait_for_function(label_in_sight, timeout=3_000)  # the box glides there unless motion is reduced
        positions.add(page.evaluate("(f) => Math.round(f.scrollLeft)", figure.element_handle()))
        assert page.evaluate("() => window.scrollX") == 0  # only the drawing's box moved, never the page
    assert len(positions) > 1  # the edges are spread out: the box really had to move
    log.assert_clean()
