"""The computation-graph widget as a learner uses it: sliders, the play button, Step, Reset, by keyboard and mouse;
and what the drawing looks like on screen, measured with getBoundingClientRect at 1280 and 390 px wide."""

from __future__ import annotations

import math
import re
import urllib.request
from itertools import combinations
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from engine import Value, backward_steps
from tests.cases import NETWORK, WEIGHTS, network_loss
from tests.e2e.ui import MINUS, any_minus, control, num, parse, section

GRAPH = "Computation graph"
PASS_MS = 15_000  # the animation takes about 5 s; leave room for a slow machine


def slider(page, name):
    return control(page, GRAPH, "slider", name)


def button(page, name):
    return control(page, GRAPH, "button", name)


def explain(page):
    return section(page, GRAPH).locator("#graph-explain")


def expected(w, x, b, y):
    """L, ∂L/∂w, ∂L/∂x, ∂L/∂b computed here, independently of the page."""
    s = 1 / (1 + math.exp(-(w * x + b)))
    dz = 2 * (s - y) * s * (1 - s)
    return (s - y) ** 2, dz * x, dz * w, dz


def edge_count() -> int:
    w, x, b, y = Value(0.5), Value(1.0), Value(0.1), Value(1.0)
    return len(backward_steps(((w * x + b).sigmoid() - y) ** 2))


def expect_readouts(page, loss: float, grads=None) -> None:
    """L, and each ∂L/∂v read as a number, or — (not computed yet) when grads is None."""
    expect(section(page, GRAPH).locator("output.graph-loss")).to_have_text(any_minus(f"L = {num(loss, 4)}"))
    outputs = section(page, GRAPH).locator("output.graph-grad")
    for i, name in enumerate("wxb"):
        text = f"∂L/∂{name} = —" if grads is None else any_minus(f"∂L/∂{name} = {num(grads[i], 4)}")
        expect(outputs.nth(i)).to_have_text(text, timeout=PASS_MS)


def values(page, names=("w", "x", "b", "y*")) -> list[float]:
    """The sliders' values, read together (a slider is named by its aria-label or its label)."""
    got = section(page, GRAPH).evaluate("""(s) => Object.fromEntries([...s.querySelectorAll("input[type=range]")]
        .map((e) => [e.getAttribute("aria-label") || e.labels[0].textContent.trim(), e.value]))""")
    return [parse(got[name]) for name in names]


def test_defaults_read_as_the_contract_says(lesson):
    page, log = lesson
    expect(button(page, "Step")).to_be_enabled()
    assert values(page) == [0.5, 1.0, 0.1, 1.0]
    expect_readouts(page, 0.1256)  # ∂L/∂w = — : no gradient has been computed yet
    expect(section(page, GRAPH).locator("g.badge")).to_have_count(0)
    graph = section(page, GRAPH).get_by_role("img", name=re.compile("^Computation graph of L"))
    expect(graph).to_have_count(1)  # the wide drawing; the phone one is hidden at this width
    for value in (0.5, 0.6, 0.6457, -0.3543, 0.1256):
        expect(graph.locator("text.node-value").filter(has_text=any_minus(num(value, 4))).first).to_be_visible()
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
    loss, *grads = expected(w, x, b, y)
    expect_readouts(page, loss)  # forward values follow the sliders; no gradients yet
    button(page, "Animate backward pass").click()
    expect(button(page, "Pause")).to_be_visible()  # while it plays, the button pauses
    expect_readouts(page, loss, grads)
    expect(button(page, "Animate backward pass")).to_be_visible(timeout=PASS_MS)  # over: it starts a new pass
    expect(explain(page)).to_contain_text("complete")
    log.assert_clean()


def test_after_a_pass_dragging_a_slider_keeps_the_gradients_live(lesson):
    page, log = lesson
    button(page, "Reset").click()
    for _ in range(edge_count()):
        button(page, "Step").click()
    expect(explain(page)).to_contain_text("complete")
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
    loss, *grads = expected(*values(page))
    expect_readouts(page, loss)
    n = edge_count()
    assert n == 8
    button(page, "Step").focus()
    for _ in range(n - 1):
        page.keyboard.press("Enter")
    expect(explain(page)).to_contain_text(f"Edge {n - 1} of {n}")
    # x's edge is the last one: after n - 1 clicks its gradient has not arrived, and says so
    expect(section(page, GRAPH).locator("output.graph-grad").nth(1)).to_have_text("∂L/∂x = —")
    page.keyboard.press("Space")
    expect(explain(page)).to_contain_text(f"Edge {n} of {n}")
    expect_readouts(page, loss, grads)
    expect(section(page, GRAPH).locator("g.badge")).to_have_count(2 * 9)  # every node, in both drawings
    button(page, "Reset").click()
    expect_readouts(page, loss)
    expect(section(page, GRAPH).locator("g.badge")).to_have_count(0)
    log.assert_clean()


def fake_clock(page):
    """Stop the page's clock: from now on time moves only with advance()."""
    page.clock.install()
    page.clock.pause_at(page.evaluate("() => Date.now()") + 1000)


def advance(page, ms: float) -> None:
    page.clock.run_for(ms)


def test_the_play_button_is_named_for_what_it_does_and_step_works_from_any_state(new_lesson):
    page, log = new_lesson()
    fake_clock(page)
    button(page, "Animate backward pass").click()
    advance(page, 20)
    expect(button(page, "Pause")).to_be_visible()
    expect(section(page, GRAPH).get_by_role("button", name="Animate backward pass")).to_have_count(0)
    advance(page, 700)  # one edge of 600 ms has landed
    expect(explain(page)).to_contain_text("Edge 2 of 8")
    button(page, "Pause").click()
    advance(page, 20)
    expect(button(page, "Resume")).to_be_visible()
    paused = explain(page).text_content()
    advance(page, 3000)  # paused: the clock moves on, the pass does not
    expect(explain(page)).to_have_text(paused)
    badges = section(page, GRAPH).locator("svg.graph-wide g.badge")
    expect(badges).to_have_count(2)  # L seeded, d reached; edge 2 was in flight when paused
    button(page, "Step").click()  # from paused: the edge in flight lands
    advance(page, 20)
    expect(badges).to_have_count(3)
    expect(explain(page)).to_contain_text("Edge 2 of 8")
    button(page, "Resume").click()
    advance(page, 20)
    expect(button(page, "Pause")).to_be_visible()
    button(page, "Step").click()  # from playing: lands the edge in flight and pauses
    advance(page, 20)
    expect(button(page, "Resume")).to_be_visible()
    landed = explain(page).text_content()
    advance(page, 2000)
    expect(explain(page)).to_have_text(landed)
    button(page, "Resume").click()
    advance(page, 8 * 600 + 100)
    expect(button(page, "Animate backward pass")).to_be_visible()  # finished
    expect_readouts(page, *(lambda r: (r[0], r[1:]))(expected(0.5, 1.0, 0.1, 1.0)))
    button(page, "Step").click()  # from finished
    advance(page, 20)
    expect(explain(page)).to_contain_text("already complete")
    log.assert_clean()


def test_a_slider_cancels_a_running_pass_and_no_late_frame_brings_it_back(new_lesson):
    page, log = new_lesson()
    fake_clock(page)
    button(page, "Animate backward pass").click()
    advance(page, 1300)
    expect(section(page, GRAPH).locator("g.badge").first).to_be_visible()
    slider(page, "w").focus()
    page.keyboard.press("ArrowRight")
    advance(page, 20)
    expect(button(page, "Animate backward pass")).to_be_visible()
    expect(section(page, GRAPH).locator("g.badge")).to_have_count(0)
    expect(explain(page)).to_contain_text("slider moved")
    advance(page, 2000)  # frames that were still scheduled run now
    expect(section(page, GRAPH).locator("g.badge")).to_have_count(0)
    expect_readouts(page, expected(*values(page))[0])
    log.assert_clean()


def test_page_without_javascript_already_shows_the_graph(site):
    with urllib.request.urlopen(site) as reply:
        html = reply.read().decode("utf-8")
    start = html.index('id="graph-mount"')
    widget = html[start:html.index("</section>", start)]
    for text in ["L = 0.1256", "∂L/∂w = —", "0.6457", f"{MINUS}0.3543", "Animate backward pass", "<desc"]:
        assert text in widget
    assert widget.count("<svg") == 2 and "style=" not in widget


def test_reduced_motion_keeps_the_backward_arrow_without_the_movement(new_lesson):
    page, log = new_lesson(reduced_motion="reduce")
    button(page, "Animate backward pass").click()
    expect(explain(page)).to_contain_text("Edge 1 of")
    arrow = section(page, GRAPH).locator("svg.graph-wide g.backs path.active")
    expect(arrow).to_have_count(1)
    style = arrow.evaluate("e => [getComputedStyle(e).animationName, getComputedStyle(e).strokeDasharray]")
    assert style == ["none", "none"]  # a solid arrow, standing still
    loss, *grads = expected(0.5, 1.0, 0.1, 1.0)
    expect_readouts(page, loss, grads)
    assert section(page, GRAPH).locator("circle.pulse").count() == 0  # no dot ever travels
    log.assert_clean()


# --- what the drawing looks like on screen ---

MEASURE = """(svg) => {
    const vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect(), scale = r.width / vb.width;
    const rect = (e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
    const texts = [...svg.querySelectorAll("text")].map((t) => ({
        text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale, box: rect(t)}));
    const outside = [...svg.querySelectorAll("g.node")].flatMap((g) => {
        const [l, , r2] = rect(g.querySelector("rect.node-box"));
        return [...g.querySelectorAll("text")]
            .filter((t) => { const [a, , c] = rect(t); return a < l - 0.5 || c > r2 + 0.5; })
            .map((t) => t.textContent);
    });
    let covered = -1;
    const label = svg.querySelector("g.edge-label rect"), edge = svg.querySelector("g.backs path.active");
    if (label && edge) {
        covered = 0;
        const [l, t, r2, b] = rect(label), m = edge.getScreenCTM(), n = edge.getTotalLength();
        for (let i = 0; i <= 80; i++) {
            const p = edge.getPointAtLength(n * i / 80);
            const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
            if (x > l && x < r2 && y > t && y < b) covered++;
        }
    }
    return {texts, outside, covered, scale};
}"""


def visible_drawing(page):
    drawing = section(page, GRAPH).get_by_role("img", name=re.compile("^Computation graph of L"))
    expect(drawing).to_have_count(1)
    return drawing


def assert_legible(page, smallest: float, mid_pass: bool) -> None:
    got = visible_drawing(page).evaluate(MEASURE)
    assert got["texts"]
    small = [(t["text"], round(t["px"], 1)) for t in got["texts"] if t["px"] < smallest - 0.01]
    assert small == []
    assert got["outside"] == []  # every caption, value and badge inside its box
    boxes = [(t["text"], t["box"]) for t in got["texts"]]
    overlaps = [(a, b) for (a, ra), (b, rb) in combinations(boxes, 2)
                if ra[0] < rb[2] - 0.5 and rb[0] < ra[2] - 0.5 and ra[1] < rb[3] - 0.5 and rb[1] < ra[3] - 0.5]
    assert overlaps == []
    assert got["covered"] == 0 if mid_pass else got["covered"] <= 0  # no label covers its own edge


@pytest.mark.parametrize(("width", "height", "smallest"), [(1280, 900, 14), (390, 844, 12)])
@pytest.mark.parametrize("text", [None, "tanh(a*b + a) / (1 + b*b)"])
def test_every_text_of_the_drawing_is_legible_mid_pass_and_at_the_end(new_lesson, width, height, smallest, text):
    page, log = new_lesson(viewport={"width": width, "height": height})
    if text:
        field = control(page, GRAPH, "textbox", "Expression")
        field.fill(text)
        field.press("Enter")
        expect(visible_drawing(page)).to_have_accessible_name(re.compile("^Computation graph of L = tanh"))
    steps = len(backward_steps(((Value(0.5) * 1.0 + 0.1).sigmoid() - 1.0) ** 2)) if not text else None
    k = 0
    while True:
        button(page, "Step").click()
        k += 1
        # Wait for this click's step (or the summary past the end) before reading anything of it.
        expect(explain(page)).to_contain_text(re.compile(f"Edge {k} of|already complete"))
        if "already complete" in explain(page).text_content():
            break  # past the end: the summary, nothing active
        assert_legible(page, smallest, mid_pass=True)
        assert k < 60
    assert_legible(page, smallest, mid_pass=False)
    assert steps is None or steps == 8
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    log.assert_clean()


def test_on_a_phone_the_lesson_graph_and_its_controls_share_the_screen(new_lesson):
    page, log = new_lesson(viewport={"width": 390, "height": 844})
    drawing = visible_drawing(page)
    drawing.scroll_into_view_if_needed()
    for _ in range(2):
        button(page, "Step").click()
    label = drawing.locator("g.edge-label")
    expect(label).to_contain_text("∂d/∂s")
    page.wait_for_function(LABEL_IN_SIGHT, arg=drawing.element_handle(), timeout=5_000)  # its box has glided there
    elements = [e.element_handle() for e in (slider(page, "w"), button(page, "Step"), label, drawing)]
    boxes = page.evaluate("els => els.map((e) => { const r = e.getBoundingClientRect(); "
                          "return [r.left, r.top, r.right, r.bottom]; })", elements)  # all four at one moment
    for left, top, right, bottom in boxes:  # the first edges animate in sight, not below the fold
        assert left >= 0 and top >= 0 and right <= 390.5 and bottom <= 844.5
    log.assert_clean()


# True once the active edge's label is inside its scrolling box and the box has stopped gliding (the same scroll
# position as on the previous frame: wait_for_function polls once a frame). A click during a glide meets dom.reveal
# judging the next label by where the box is mid-glide, not where it is going, and the label can end out of sight.
LABEL_IN_SIGHT = """(svg) => {
    const label = svg.querySelector("g.edge-label");
    if (!label) return false;  // the page draws the step on its next frame
    const scroller = label.closest("[data-scrollbox]");
    if (!scroller) return true;  // a drawing that fits its card: nothing glides
    const box = scroller.getBoundingClientRect(), r = label.getBoundingClientRect();
    const at = scroller.scrollLeft + "," + scroller.scrollTop, still = svg.__scrolledTo === at;
    svg.__scrolledTo = at;
    return still && r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5
        && r.bottom <= box.bottom + 0.5;
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_show_in_the_graph_loads_the_cost_widgets_network_and_steps_it_with_each_edge_in_sight(
        new_lesson, width, height):
    link = "#graph.expr=" + quote(NETWORK, safe="*()-._~,") + "".join(f"&graph.{k}={v:.2f}" for k, v in WEIGHTS.items())
    page, log = new_lesson(link, viewport={"width": width, "height": height})
    expect(control(page, GRAPH, "textbox", "Expression")).to_have_value(NETWORK)
    sliders = section(page, GRAPH).get_by_role("slider")
    expect(sliders).to_have_count(9)  # one per weight; the point's numbers are constants
    assert values(page, list(WEIGHTS)) == list(WEIGHTS.values())
    loss = section(page, GRAPH).locator("output.graph-loss")
    expect(loss).to_have_text(any_minus(f"L = {num(network_loss(WEIGHTS), 4)}"))
    drawing = visible_drawing(page)
    constants = drawing.locator("g.node.constant")
    expect(constants).to_have_count(5)
    figure = section(page, GRAPH).get_by_role("group", name=re.compile("^Graph drawing, scrolls"))
    expect(figure).to_be_visible()
    expect(section(page, GRAPH).locator(".graph-scroll-cue")).to_be_visible()  # the visible cue
    assert figure.evaluate("f => f.scrollWidth > f.clientWidth")
    figure.scroll_into_view_if_needed()
    positions = set()
    steps = 0
    while True:
        button(page, "Step").click()
        steps += 1
        if steps > 40:
            break
        expect(explain(page)).to_contain_text(re.compile(f"Edge {steps} of|already complete"))
        if "already complete" in explain(page).text_content():
            break
        page.wait_for_function(LABEL_IN_SIGHT, arg=drawing.element_handle(), timeout=5_000)  # the box glides there
        positions.add(figure.evaluate("f => [Math.round(f.scrollLeft), Math.round(f.scrollTop)].join()"))
        assert page.evaluate("() => window.scrollX") == 0  # only the drawing's box moved, never the page sideways
    assert steps == 26  # 25 edges carry a gradient (the 5 into constants do not), then one more click
    assert len(positions) > 1  # the edges are spread out: the box really had to move
    h = 1e-6
    for name in ("w11", "b2", "c"):
        up, down = dict(WEIGHTS), dict(WEIGHTS)
        up[name] += h
        down[name] -= h
        want = (network_loss(up) - network_loss(down)) / (2 * h)
        got = parse(section(page, GRAPH).locator("output.graph-grad").filter(has_text=f"∂L/∂{name} =")
                    .text_content().split("=")[1])
        assert got == pytest.approx(want, abs=6e-5)
    log.assert_clean()
