"""'Your turn' as a learner uses it: answer a practice graph right and wrong, Hint, Show the pass, progress kept
in the browser, the link round trip, and a derivative rule written, checked and refused."""

from __future__ import annotations

import math
import re

from playwright.sync_api import expect

from tests.e2e.ui import MINUS, control, num, parse, section

TURN = "Your turn"
PASS_MS = 20_000


def button(page, name):
    return control(page, TURN, "button", name)


def field(page, name):
    return control(page, TURN, "textbox", name)


def line_of(page) -> tuple[str, dict[str, float]]:
    """The expression line under the drawing, read back: its text and each leaf's value."""
    text = section(page, TURN).locator(".practice-line").inner_text()
    expr, where = text.removeprefix("L = ").split(", where ")
    values = {k: parse(v) for k, v in (part.split(" = ") for part in where.split(", "))}
    return expr, values


def neuron_grads(v: dict[str, float]) -> dict[str, float]:
    """∂L/∂w, ∂L/∂x, ∂L/∂b, ∂L/∂y* of (σ(w·x + b) − y*)², worked out here, independently of the page."""
    s = 1 / (1 + math.exp(-(v["w"] * v["x"] + v["b"])))
    d = s - v["ystar"]
    dz = 2 * d * s * (1 - s)
    return {"w": dz * v["x"], "x": dz * v["w"], "b": dz, "y*": -2 * d}


def typed(value: float) -> str:
    return f"{value:.4f}".replace("-", MINUS)


def test_a_neuron_answered_right_and_wrong(new_lesson):
    page, log = new_lesson("#practice.kind=neuron&practice.seed=5")
    expect(control(page, TURN, "radio", "A neuron")).to_be_checked()
    expr, values = line_of(page)
    assert expr == "(sigmoid(w*x + b) - ystar)**2" and set(values) == {"w", "x", "b", "ystar"}
    grads = neuron_grads(values)
    field(page, "∂L/∂w").fill(typed(grads["w"]))
    field(page, "∂L/∂x").fill(typed(-grads["x"]))  # the sign flipped
    field(page, "∂L/∂b").fill(typed(values["b"]))  # the forward value for the gradient
    field(page, "∂L/∂y*").fill(typed(2 * grads["y*"]))  # nothing the lesson knows
    button(page, "Check").click()
    count = section(page, TURN).locator(".practice-count")
    expect(count).to_have_text("1 of 4 right")
    verdicts = page.evaluate("""() => [...document.querySelectorAll('#practice .practice-answer')].map(row =>
        [row.className, row.querySelector('[role=status]').textContent])""")
    assert verdicts[0] == ["practice-answer right", f"✓ Right: ∂L/∂w = {typed(grads['w'])}."]
    assert verdicts[1][0] == "practice-answer wrong" and verdicts[1][1].startswith("✗ The sign is flipped")
    assert verdicts[2][1].startswith("✗ That is b's value from the forward pass")
    assert verdicts[3][1] == "✗ Not yet. Press “Hint” for the next edge to think about."
    # Put right, the graph counts as solved without a hint, and stays counted after a reload.
    field(page, "∂L/∂x").fill(typed(grads["x"]))
    field(page, "∂L/∂b").fill(typed(grads["b"]))
    field(page, "∂L/∂y*").fill(typed(grads["y*"]))
    field(page, "∂L/∂y*").press("Enter")
    expect(count).to_have_text("4 of 4 right: solved!")
    progress = section(page, TURN).locator(".practice-progress span")
    expect(progress).to_have_text("Solved without a hint: one path 0 · two paths 0 · a neuron 1")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "", timeout=60_000)
    expect(progress).to_have_text("Solved without a hint: one path 0 · two paths 0 · a neuron 1")
    assert field(page, "∂L/∂w").input_value() == ""  # answers are never kept, nor put in a link
    button(page, "Forget my progress").click()
    expect(progress).to_have_text("Solved without a hint: one path 0 · two paths 0 · a neuron 0")
    assert page.evaluate("() => localStorage.getItem('backprop-is-the-chain-rule')") in (None, "{}")
    log.assert_clean()


def test_hint_and_show_the_pass_on_the_practice_graph(new_lesson):
    page, log = new_lesson("#practice.kind=neuron&practice.seed=12")
    _, values = line_of(page)
    explain = section(page, TURN).locator(".practice-explain")
    button(page, "Hint").click()
    expect(explain).to_contain_text("Hint: edge 1 of 8, L → d. Its local derivative is ∂L/∂d = 2d")
    assert section(page, TURN).locator("svg.graph g.backs path.back.active").count() == 2  # lit in both drawings
    button(page, "Show the pass").click()
    expect(explain).to_have_text("The pass is complete: each leaf's gradient is in its badge and in its field.",
                                 timeout=PASS_MS)
    grads = neuron_grads(values)
    shown = page.evaluate("""() => [...document.querySelectorAll('#practice .practice-answer input')]
        .map(input => input.value)""")
    assert [parse(v) for v in shown] == [float(num(grads[k], 4)) for k in ("w", "x", "b", "y*")]
    expect(section(page, TURN).locator(".practice-count")).to_have_text("Answers shown by the pass.")
    log.assert_clean()


def test_the_link_round_trip_carries_kind_and_seed_only(new_lesson):
    page, log = new_lesson()
    control(page, TURN, "radio", "Two paths").check()
    button(page, "New graph").click()
    button(page, "New graph").click()
    expect(page).to_have_url(re.compile(r"practice\.kind=two&practice\.seed=2$"))
    field(page, "∂L/∂a").fill("1.2345")
    expr, _ = line_of(page)
    link = page.url
    assert "1.2345" not in link
    other, other_log = new_lesson("#" + link.split("#", 1)[1])
    expect(control(other, TURN, "radio", "Two paths")).to_be_checked()
    assert line_of(other)[0] == expr
    assert field(other, "∂L/∂a").input_value() == ""
    log.assert_clean()
    other_log.assert_clean()


def test_a_rule_checked_wrong_then_right_and_hostile_text_refused(new_lesson):
    page, log = new_lesson()
    control(page, TURN, "combobox", "Operation").select_option("sigmoid")
    rule = field(page, "Local derivative")
    verdict = section(page, TURN).locator(".practice-rule-verdict")
    rule.fill("x * (1 - x)")
    button(page, "Check rule").click()
    expect(verdict).to_have_text(f"✗ Wrong at x = 1.3000: your rule gives {MINUS}0.3900, the slope there is 0.1683")
    expect(button(page, "Use my rule")).to_have_count(0)
    for text, words in (("9**9**9**9", "your rule gives ∞"), ("x" * 10_000, "10000 characters long"),
                        ("__import__('os')", "nknown function '__import__'"), ("lambda: x", "Lambda is not allowed"),
                        ("+" * 150 + "x", "nested more than")):
        rule.fill(text)
        rule.press("Enter")
        expect(verdict).to_contain_text(words)
    rule.fill("out * (1 - out)")
    button(page, "Check rule").click()
    expect(verdict).to_have_text("✓ Right at all 30 points")
    expect(button(page, "Use my rule")).to_be_visible()
    control(page, TURN, "combobox", "Operation").select_option("div")
    expect(field(page, "∂out/∂x")).to_be_visible()
    field(page, "∂out/∂x").fill("1 / y")
    field(page, "∂out/∂y").fill("x / y**2")
    button(page, "Check rule").click()
    expect(verdict).to_contain_text("✗ Wrong at x = 1.3000, y = 0.5000: your rule for ∂out/∂y gives 5.2000")
    log.assert_clean()


def test_a_rule_used_in_the_computation_graph_gives_the_pass_its_check_confirms(new_lesson):
    page, log = new_lesson()
    rule = field(page, "Local derivative")
    rule.fill("out - out**2")  # σ′ as s − s², not the engine's s(1 − s)
    button(page, "Check rule").click()
    expect(section(page, TURN).locator(".practice-rule-verdict")).to_have_text("✓ Right at all 30 points")
    button(page, "Use my rule").click()
    expect(section(page, TURN).locator(".practice-rule-use")).to_have_text(
        "The Computation graph now uses your rule for sigmoid.")
    graph = section(page, "Computation graph")
    for _ in range(4):  # L → d, d → s, d → y*, then s → z: the sigmoid's edge
        control(page, "Computation graph", "button", "Step").click()
    expect(graph.locator("#graph-explain")).to_contain_text("local ∂s/∂z = your rule: out - out**2 = 0.2288")
    control(page, "Computation graph", "button", "Resume").click()  # the play button, after Step
    # The lesson's neuron at its defaults, worked out here: ∂L/∂w = 2(s − 1)·s(1 − s)·x with s = σ(0.6).
    s = 1 / (1 + math.exp(-0.6))
    dz = 2 * (s - 1) * s * (1 - s)
    expected = {"w": dz * 1.0, "x": dz * 0.5, "b": dz, "y*": -2 * (s - 1)}
    expect(graph.locator("output.graph-grad")).to_have_text(
        [f"∂L/∂{k} = {num(expected[k], 4)}".replace("-", MINUS) for k in "wxb"], timeout=PASS_MS)
    control(page, "Computation graph", "button", "Check with finite differences").click()
    expect(graph.locator("#graph-check")).to_contain_text("with your rule for sigmoid")
    read = page.evaluate("""() => ({
        grads: [...document.querySelectorAll('#graph output.graph-grad')].map(o => o.textContent),
        rows: [...document.querySelectorAll('#graph-check tbody tr')].map(tr =>
            [...tr.querySelectorAll('th, td')].map(c => c.textContent)),
    })""")
    assert [parse(t.split(" = ")[1]) for t in read["grads"]] == [float(num(expected[k], 4)) for k in "wxb"]
    assert len(read["rows"]) == 4
    for name, backprop, finite, _difference in read["rows"]:
        assert parse(backprop) == parse(finite) == float(num(expected[name], 4))
    button(page, "Use the built-in rule").click()
    expect(section(page, TURN).locator(".practice-rule-use")).to_have_text("")
    control(page, "Computation graph", "button", "Reset").click()
    for _ in range(4):
        control(page, "Computation graph", "button", "Step").click()
    expect(graph.locator("#graph-explain")).to_contain_text("local ∂s/∂z = s(1 − s) = 0.2288")
    log.assert_clean()
