"""Bring your own function: the Expression field, the alert, Show code (steps and optimized), the
finite-difference check and links, all through the graph widget in CPython."""

import keyword
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Value, topological_order
from engine.rules import CODE_NAMESPACE, RULES
from tests.cases import NETWORK, WEIGHTS, network_loss
from tests.e2e.ui import parse
from web.dag.diagram import LESSON_TEXT
from web.dag.player import PASS_MAX_MS
from web.dag.svg import Pass, render_svg
from web.expr import MAX_OPERATIONS, MAX_VARIABLES, ExprError
from web.expr import parse as read
from web.format import MINUS
from web.graph import Diagram, GraphWidget, Slider
from web.graph.check import check
from web.graph.code import GRADIENT_NAME, code_names, step_lines
from web.tree import find_all, text_of
from web.widget import UIEvent


def apply(widget, text):
    """Type text and press Enter; True when the widget took it."""
    widget.handle(UIEvent("key", "expr", text, key="Enter"))
    return widget.state.error == ""


def typed(text, widget=None):
    """A widget that applied text (which must be valid)."""
    widget = widget or GraphWidget()
    assert apply(widget, text), widget.state.error
    return widget


def click(widget, name):
    widget.handle(UIEvent("click", name))


def slide(widget, name, value):
    widget.handle(UIEvent("input", f"set:{name}", str(value)))


def alerts(widget):
    return find_all(widget.render(), lambda e: e.attr("role") == "alert")


def readouts(widget):
    return [text_of(o).replace(MINUS, "-") for o in find_all(widget.render(), lambda e: e.tag == "output")
            if o.attr("class") in ("graph-loss", "graph-grad")]


def sliders(widget):
    tree = widget.render()
    labels = {e.attr("for"): text_of(e) for e in find_all(tree, lambda e: e.tag == "label")}
    return [(labels[s.attr("id")], s.attr("min"), s.attr("max"), s.attr("value"))
            for s in find_all(tree, lambda e: e.tag == "input" and e.attr("type") == "range")]


def svg(widget, horizontal=True):
    s = widget.state
    return render_svg(Pass(s.scene, s.steps, s.player, s.grads()), s.drawings[horizontal], s.diagram.title)


def edges(widget, horizontal=True):
    return [(e.attr("data-from"), e.attr("data-to"))
            for e in find_all(svg(widget, horizontal), lambda e: e.attr("class") == "edge")]


def finish(widget):
    while not widget.state.player.finished:
        click(widget, "step")


def grad_of(widget, name):
    s = widget.state
    return s.grads()[s.scene.index(s.scene.node(name))]


# --- the field, apply, alert ---

def test_the_field_holds_the_lesson_expression_and_applying_it_gives_back_the_default_graph():
    default = GraphWidget()
    field = find_all(default.render(), lambda e: e.attr("id") == "graph-expr")[0]
    assert field.attr("value") == LESSON_TEXT == "(sigmoid(w*x + b) - ystar)**2"
    label = find_all(default.render(), lambda e: e.tag == "label" and e.attr("for") == "graph-expr")[0]
    assert text_of(label) == "Expression"
    again = typed("x*x")
    typed(LESSON_TEXT, again)
    assert again.render() == default.render()  # same names, sliders, read-outs, drawing, message
    assert again.state.scene.names == ("w", "x", "p", "b", "z", "s", "y*", "d", "L") == default.state.scene.names
    spaced = typed("(sigmoid(w * x+b)-ystar) ** 2")
    assert spaced.state.scene.names == default.state.scene.names and svg(spaced) == svg(default)


def test_other_variables_get_sliders_named_after_them_and_keep_same_named_values():
    w = GraphWidget()
    slide(w, "x", 2.0)
    typed("x*q + ystar", w)
    assert sliders(w) == [("x", "-3", "3", "2.00"), ("q", "-3", "3", "1.00"), ("y*", "0", "1", "1.00")]
    assert readouts(w) == ["L = 3.0000", "∂L/∂x = —", "∂L/∂q = —", "∂L/∂y* = —"]
    finish(w)
    assert readouts(w) == ["L = 3.0000", "∂L/∂x = 1.0000", "∂L/∂q = 2.0000", "∂L/∂y* = 1.0000"]


def test_a_variable_used_twice_has_both_edges_drawn_and_its_badge_grows_once_per_path():
    w = typed("x*x + sin(x)")
    slide(w, "x", 0.7)
    assert sorted(e for e in edges(w) if e[0] == "x") == [("x", "v1"), ("x", "v1"), ("x", "v2")]
    assert len(edges(w)) == len(w.state.steps) == 5
    seen = []
    while not w.state.player.finished:
        click(w, "step")
        seen.append(grad_of(w, "x"))
    # three paths reach x: cos(x), then x from each factor of the product
    assert seen[-3:] == pytest.approx([math.cos(0.7), math.cos(0.7) + 0.7, math.cos(0.7) + 1.4])
    assert readouts(w)[1] == f"∂L/∂x = {2 * 0.7 + math.cos(0.7):.4f}"
    click(w, "reset")
    lit = []
    while not w.state.player.finished:
        click(w, "step")
        (active,) = find_all(svg(w), lambda e: e.attr("class") == "back active")
        lit.append(active.attr("d"))
    assert len(set(lit)) == 5  # both x → v1 edges light up in turn, as two different paths


def test_enter_and_the_apply_button_apply_what_was_typed():
    w = GraphWidget()
    w.handle(UIEvent("input", "expr", "x*x"))
    assert w.state.diagram.text == LESSON_TEXT and w.state.draft == "x*x"  # typing alone changes nothing
    click(w, "apply")
    assert w.state.diagram.text == "x*x"
    w.handle(UIEvent("key", "expr", "exp(t)", key="a"))
    assert w.state.diagram.text == "x*x"
    w.handle(UIEvent("key", "expr", "exp(t)", key="Enter"))
    assert w.state.diagram.text == "exp(t)" and [s[0] for s in sliders(w)] == ["t"]


@pytest.mark.parametrize(("text", "words"), [
    ("sinh(x)", "unknown function 'sinh' — try sin, cos, tanh, exp, log, sigmoid, relu"),
    ("x +* ", "not a valid expression"),
    ("x.real", "attribute access"),
    ("lambda: 1", "lambda"),
    ("__import__('os')", "unknown function '__import__'"),
    ("__debug__*x", "names starting with __ belong to Python"),
    ("x" + " + x" * 60, "characters long"),
    ("+" * 70 + "x", "nested"),
    ("3 + 4", "at least one variable"),
    ("(x)", "at least one operation"),
])
def test_invalid_input_shows_the_specific_message_and_keeps_the_last_valid_graph(text, words):
    w = typed("x*x + sin(x)")
    before = svg(w)
    assert alerts(w) == []
    assert not apply(w, text)
    (alert,) = alerts(w)
    assert words in text_of(alert) and "Traceback" not in text_of(w.render())
    assert svg(w) == before and w.state.diagram.text == "x*x + sin(x)"
    field = find_all(w.render(), lambda e: e.attr("id") == "graph-expr")[0]
    assert field.attr("value") == text and field.attr("aria-invalid") == "true"
    assert "graph-expr-error" in field.attr("aria-describedby")
    typed("x**3", w)
    assert alerts(w) == [] and w.state.error == ""


def test_a_new_graph_starts_a_fresh_pass():
    w = GraphWidget()
    click(w, "animate")
    w.frame(0.0)
    w.frame(900.0)
    typed("x*x", w)
    assert not w.state.player.started and w.state.grads() == [None, None]


def test_the_biggest_expression_lays_out_renders_and_plays_within_the_pass_limit():
    w = typed("+".join(["sin(x*y)"] * 13)[:200])
    click(w, "code")
    click(w, "check")
    assert "Traceback" not in text_of(w.render())
    assert len(w.state.steps) > MAX_OPERATIONS
    # a long pass plays faster per edge, never longer than PASS_MAX_MS in all
    assert w.state.player.step_ms * len(w.state.steps) <= PASS_MAX_MS + 1e-6


def test_a_big_graph_keeps_a_readable_scale_and_scrolls():
    small, big = GraphWidget(), typed("tanh(w*x + b)**2 + 0.1*(w*w + b*b) - log(sigmoid(x*b))")
    figure = find_all(small.render(), lambda e: "graph-figure" in (e.attr("class") or ""))[0]
    assert figure.attr("tabindex") is None
    assert all("graph-big" not in s.attr("class") for s in find_all(figure, lambda e: e.tag == "svg"))
    figure = find_all(big.render(), lambda e: "graph-figure" in (e.attr("class") or ""))[0]
    assert figure.attr("tabindex") == "0" and figure.attr("aria-label")
    d = big.state.drawings[False]
    tall = svg(big, False)
    assert "graph-big" in tall.attr("class") and float(tall.attr("width")) == pytest.approx(d.scale * d.width, abs=1)


# --- the network "Show in the graph" sends from the Cost of a gradient widget ---

def test_the_cost_widgets_network_link_loads_with_a_slider_per_weight_and_the_numbers_as_constants():
    assert MAX_VARIABLES >= 9
    w = GraphWidget()
    notices = w.restore_state({"expr": NETWORK, **{k: f"{v:.2f}" for k, v in WEIGHTS.items()}})
    assert notices == []
    assert [s[0] for s in sliders(w)] == list(WEIGHTS)
    assert [float(s[3]) for s in sliders(w)] == list(WEIGHTS.values())
    scene = w.state.scene
    assert sorted(n for n, kind in zip(scene.names, scene.kinds, strict=True) if kind == "constant") == \
        ["1", "0.5", "0.5", "−1.2", "−1.2"][:0] + sorted(["0.5", "0.5", "−1.2", "−1.2", "1"])
    assert scene.root.data == pytest.approx(network_loss(WEIGHTS), rel=1e-12)
    assert all(d.big for d in w.state.drawings.values())  # larger than a card: it scrolls
    finish(w)
    h = 1e-6
    for name in WEIGHTS:
        up, down = dict(WEIGHTS), dict(WEIGHTS)
        up[name] += h
        down[name] -= h
        assert grad_of(w, name) == pytest.approx((network_loss(up) - network_loss(down)) / (2 * h), abs=1e-7)
    # and it writes itself back as the same link
    assert w.share_state() == {"expr": NETWORK, **{k: f"{v:.2f}" for k, v in WEIGHTS.items()}}


def test_the_single_unit_network_loads_too():
    one = "(sigmoid(u1*tanh(w11*0.5 + w12*(-1.2) + b1) + c) - 1)**2"
    w = GraphWidget()
    assert w.restore_state({"expr": one, "u1": "1.00", "c": "-0.50"}) == []
    assert [s[0] for s in sliders(w)] == ["u1", "w11", "w12", "b1", "c"]


# --- Show code: one line per step, as the animation plays ---

def code_lines(widget):
    code = find_all(widget.render(), lambda e: e.tag == "code")[0]
    return [(text_of(line).rstrip("\n"), "code-active" in line.attr("class")) for line in code.children]


def run_step_code(widget):
    """Run the step-by-step code after the forward values and return each variable's gradient."""
    scene = widget.state.scene
    names, d = code_names(scene)
    env = dict(CODE_NAMESPACE)
    for name, kind, node in zip(names, scene.kinds, scene.order, strict=True):
        if kind != "constant":
            env[name] = node.data
            env[d + name] = 0.0
    exec("\n".join(step_lines(scene, widget.state.steps)), env)  # our own generated code, never typed text
    return {s.name: env[d + names[scene.index(scene.node(s.name))]] for s in widget.state.diagram.sliders}


def test_show_code_shows_one_line_per_step_in_the_order_of_the_animation_with_the_active_one_lit():
    w = GraphWidget()
    click(w, "code")
    lines = [text for text, _ in code_lines(w)]
    assert lines == ["# every d_<name> starts at 0.0", "d_L = 1.0",
                     "d_d += d_L * (2.0 * d)", "d_s += d_d * 1.0", "d_y_star += d_d * (-1.0)",
                     "d_z += d_s * (s * (1.0 - s))", "d_p += d_z * 1.0", "d_b += d_z * 1.0",
                     "d_w += d_p * x", "d_x += d_p * w"]
    assert not any(lit for _, lit in code_lines(w))
    for k, step in enumerate(w.state.steps):
        click(w, "step")
        (lit,) = [text for text, on in code_lines(w) if on]
        parent, child = (w.state.scene.name_of(n).replace("*", "_star") for n in (step.parent, step.child))
        assert lit.startswith(f"d_{parent} += d_{child} * ") and lit == lines[k + 2]
    finish(w)
    got = run_step_code(w)
    for name in ("w", "x", "b", "y*"):
        assert got[name] == pytest.approx(grad_of(w, name), rel=1e-12, abs=1e-15)


OPTIMIZED_LESSON = [  # edge (child → parent) : the compiled lines holding its contribution
    ("L", "d", ["d_d = 2.0 * d"]),
    ("d", "s", ["d_z = d_d * (s * (1.0 - s))"]),  # ∂L/∂s is d_d itself: used where z's gradient is made
    ("d", "y*", ["d_y_star -= d_d"]),
    ("s", "z", ["d_z = d_d * (s * (1.0 - s))"]),
    ("z", "p", ["d_x += d_z * w", "d_w += d_z * x"]),  # ∂L/∂p is d_z itself, used in both (source order)
    ("z", "b", ["d_b += d_z"]),
    ("p", "w", ["d_w += d_z * x"]),
    ("p", "x", ["d_x += d_z * w"]),
]


def test_optimized_shows_the_compiled_code_and_lights_the_lines_of_the_active_step():
    w = GraphWidget()
    click(w, "code")
    (button,) = [b for b in find_all(w.render(), lambda e: e.tag == "button") if text_of(b) == "Optimized"]
    assert button.attr("aria-pressed") == "false"
    click(w, "optimized")
    (button,) = [b for b in find_all(w.render(), lambda e: e.tag == "button") if text_of(b) == "Optimized"]
    assert button.attr("aria-pressed") == "true"
    assert [text for text, _ in code_lines(w)] == w.state.code.gradient.source.rstrip("\n").split("\n")
    assert "faster" in text_of(w.render()) or "fewer lines" in text_of(w.render())
    for child, parent, want in OPTIMIZED_LESSON:
        click(w, "step")
        step = w.state.steps[w.state.player.active]
        assert (w.state.scene.name_of(step.child), w.state.scene.name_of(step.parent)) == (child, parent)
        assert [text.strip() for text, lit in code_lines(w) if lit] == want
    click(w, "code")
    assert not find_all(w.render(), lambda e: e.tag == "pre")


def test_the_optimized_code_note_says_why_a_line_is_lit():
    w = typed("x*x + 3*y")
    click(w, "code")
    click(w, "optimized")
    notes = []
    while not w.state.player.finished:
        click(w, "step")
        notes.append(text_of(find_all(w.render(), lambda e: e.attr("class") == "code-note")[0]))
    assert any("adds ∂L/∂v1 × ∂v1/∂x into the gradient of x" in n for n in notes)
    assert any("no line of its own" in n for n in notes)
    assert not any("3 " in n.split(":")[0] for n in notes)  # the constant 3 has no step: no gradient


def check_mapping(widget):
    """Every edge into a variable or operation maps to lines, and each line is where that gradient is made."""
    compiled = widget.state.code
    lines = compiled.lines
    assert compiled.own, "the mapping found nothing"
    grad_of_node = {}
    for node_id in compiled.own:
        code = compiled.gradient.nodes[node_id]
        (k,) = code.gradient
        target, op = lines[k - 1].split()[:2]
        assert op in ("=", "+=", "-="), lines[k - 1]
        assert target == code.grad
        grad_of_node[node_id] = target
    returned = lines[-1].split("[")[1].rstrip("]").split(", ")
    assert [grad_of_node[id(p)] for p in compiled.params] == returned
    varying = {id(p) for p in compiled.params}  # worked out here, not taken from the program under test
    for node in topological_order(widget.state.scene.root):
        if any(id(p) in varying for p in node.parents):
            varying.add(id(node))
    assert compiled.varying == varying
    for step in widget.state.steps:
        parent = step.parent
        found = compiled.lines_for(step)
        if id(parent) not in varying:
            assert found == ()  # computed from constants only: the compiler skips the edge
            continue
        assert found
        if id(parent) in compiled.own:
            assert found == (grad_line(compiled, parent),)
        else:  # inlined: its value is pasted into its own parents' gradient lines
            assert grad_of_node.get(id(parent)) is None
            assert set(found) <= {k - 1 for p in parent.parents for k in compiled.gradient.where(p).gradient}


def grad_line(compiled, node):
    """The 0-based line that makes node's gradient, read from the text."""
    name = compiled.gradient.where(node).grad
    start = next(k for k, line in enumerate(compiled.lines) if line.strip().startswith("loss_sum +="))
    (k,) = [k for k, line in enumerate(compiled.lines) if k > start and line.split()[0] == name]
    return k


SMOOTH = ("sin", "cos", "tanh", "exp", "sigmoid")


@st.composite
def expressions(draw, depth=4):
    """Random valid expression text over up to three variables (shared uses are common)."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["x", "y", "z", "x", "2", "0.5"]))
    kind = draw(st.sampled_from(["bin", "bin", "call", "pow", "neg"]))
    if kind == "bin":
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"({draw(expressions(depth - 1))} {op} {draw(expressions(depth - 1))})"
    if kind == "call":
        return f"{draw(st.sampled_from((*SMOOTH, 'relu', 'log')))}({draw(expressions(depth - 1))})"
    if kind == "pow":
        return f"({draw(expressions(depth - 1))})**{draw(st.sampled_from(['2', '3', '0.5', '-1']))}"
    return f"-({draw(expressions(depth - 1))})"


def accepted(text):
    """The widget with text applied; a refusal may only be the operation limit (never a silent pass)."""
    text = text if re.search(r"\b[xyz]\b", text) else text + " + x"
    text = text + "*x" if re.fullmatch("[xyz]", text) else text  # a bare variable has no edge to step
    w = GraphWidget()
    if apply(w, text):
        return w
    assert f"more than {MAX_OPERATIONS} operations" in w.state.error, w.state.error
    with pytest.raises(ExprError, match="operations"):
        read(text)
    return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_the_line_mapping_and_the_step_code_hold_for_random_expressions(text):
    w = accepted(text)
    if w is None:
        return
    check_mapping(w)
    finish(w)
    # Where every value and gradient is finite, the step code computes exactly what the badges show (its
    # Python operators raise where the engine's IEEE rules give inf or nan, as the compiler's fast code does).
    numbers = [n.data for n in w.state.scene.order] + [g for g in w.state.grads() if g is not None]
    if all(math.isfinite(v) for v in numbers):
        for name, value in run_step_code(w).items():
            assert value == pytest.approx(grad_of(w, name), rel=1e-9, abs=1e-12)
    w.handle(UIEvent("click", "code"))
    w.handle(UIEvent("click", "check"))
    assert "Traceback" not in text_of(w.render())


@pytest.mark.parametrize("text", ["max*d_v1 + loss_sum*out + v1", "forward_backward*d_x + x*x",
                                  "inf*nan + sin(power)", "d_x*x + d_d_x", "zip*append + forward",
                                  "F_add*D_mul + x", "math*self + print", "match*case + type*_",
                                  "exec*eval + v1*v2", "L_ + y_star*ystar"])
def test_names_the_generated_code_uses_are_renamed_in_both_codes(text):
    w = typed(text)
    check_mapping(w)
    for s in w.state.diagram.sliders:
        slide(w, s.name, 0.5)
    finish(w)
    rows = check(w.state.code, [s.name for s in w.state.diagram.sliders])
    got = run_step_code(w)
    for row in rows:
        assert row.backprop == pytest.approx(grad_of(w, row.name), rel=1e-12)
        assert got[row.name] == pytest.approx(grad_of(w, row.name), rel=1e-12)


RESERVED = sorted(set(CODE_NAMESPACE) | set(keyword.kwlist) | set(keyword.softkwlist)
                  | {"zip", "out", "append", "loss_sum", GRADIENT_NAME, "forward", "math", "__debug__",
                     "__builtins__", "__import__", "__name__", "__class__", "_", "__"}
                  | {f"{kind}_{op}" for kind in "FD" for op in RULES})


@pytest.mark.parametrize("name", RESERVED)
def test_every_name_the_generated_code_relies_on_is_refused_or_renamed(name):
    """Regression: __debug__*x was accepted, and Show code and the check then failed with a SyntaxError."""
    w = GraphWidget()
    text = f"{name}*x + x"
    if not apply(w, text):
        error = w.state.error
        assert error and alerts(w)
        assert "Traceback" not in text_of(w.render()) and w.state.diagram.text == LESSON_TEXT
        return
    click(w, "code")
    click(w, "check")
    finish(w)
    tree = text_of(w.render())
    assert "Traceback" not in tree and "Error" not in tree
    assert run_step_code(w)[name] == pytest.approx(grad_of(w, name))
    click(w, "optimized")
    assert w.state.code.grads(w.state.code.values()) == pytest.approx([grad_of(w, s.name)
                                                                       for s in w.state.diagram.sliders])


def test_dunder_names_are_refused_with_a_clear_alert():
    for text in ("__debug__*x", "x + __builtins__", "__x__ * 2"):
        w = GraphWidget()
        assert not apply(w, text)
        (alert,) = alerts(w)
        assert "names starting with __ belong to Python" in text_of(alert)


def test_a_graph_built_in_code_without_labels_marks_its_lines_too():
    x = Value(2.0, label="x")
    y = x * x + 1
    w = GraphWidget(Diagram(root=y, names={id(x): "x"}, sliders=(Slider("x", -3, 3, 0.5),), readouts=("x",),
                            title="t"))
    click(w, "code")
    click(w, "optimized")
    lit = []
    while not w.state.player.finished:
        click(w, "step")
        lit.append([text.strip() for text, on in code_lines(w) if on])
    # x*x is an unnamed temporary: its gradient (the folded 1.0) and both edges into x land in d_x's line
    assert lit == [["d_x += x + x"]] * 3  # the edge into the constant 1 is no step: it carries no gradient
    check_mapping(w)


# --- finite differences ---

def check_rows(widget):
    (table,) = find_all(widget.render(), lambda e: e.tag == "table")
    return [[text_of(c) for c in r.children] for r in find_all(table, lambda e: e.tag == "tr")]


def test_check_with_finite_differences_shows_a_row_per_variable():
    w = GraphWidget()
    assert not find_all(w.render(), lambda e: e.tag == "table")
    click(w, "check")
    rows = check_rows(w)
    assert rows[0] == ["Variable", "Backprop", "Finite difference", "Difference"]
    assert [[r[0], parse(r[1]), parse(r[2])] for r in rows[1:]] == [
        ["w", -0.1621, -0.1621], ["x", -0.0811, -0.0811], ["b", -0.1621, -0.1621], ["y*", 0.7087, 0.7087]]
    for r in rows[1:]:
        assert abs(parse(r[3])) < 1e-8  # the one formatter writes a tiny difference as m.mm×10⁻ⁿ, not 0.0000
    slide(w, "x", -2.0)  # the table follows the sliders
    assert check_rows(w)[2][0] == "x" and parse(check_rows(w)[2][1]) != -0.0811


@pytest.mark.parametrize("text", ["x*x + sin(x)", "exp(x)*y/(1 + y*y)", "tanh(x*y - z)**3 + log(z + 4)",
                                  "sigmoid(x)*sigmoid(-x) - cos(y)**2"])
@pytest.mark.parametrize("value", [-1.3, 0.4, 2.2])
def test_finite_differences_agree_with_backprop(text, value):
    w = typed(text)
    for s in w.state.diagram.sliders:
        slide(w, s.name, value)
    finish(w)
    for row in check(w.state.code, [s.name for s in w.state.diagram.sliders]):
        assert row.backprop == pytest.approx(grad_of(w, row.name), rel=1e-12, abs=1e-12)
        assert row.estimate == pytest.approx(row.backprop, rel=1e-6, abs=1e-7)


# --- links ---

def test_links_carry_the_expression_and_every_slider_and_restore_them():
    w = typed("x*y + sin(x)")
    slide(w, "y", -1.25)
    fields = w.share_state()
    assert fields == {"expr": "x*y + sin(x)", "x": "1.00", "y": "-1.25"}
    fresh = GraphWidget()
    assert fresh.restore_state(fields) == []
    assert fresh.state.diagram.text == "x*y + sin(x)" and fresh.state.draft == "x*y + sin(x)"
    assert readouts(fresh) == readouts(w) and svg(fresh) == svg(w)
    typed(LESSON_TEXT, w)
    assert w.share_state() == {}  # back to the lesson at its default values: nothing to carry


def test_a_refused_link_applies_none_of_its_settings_and_says_so_once():
    """Regression: a link whose expression was refused still applied its slider values to the graph shown."""
    w = typed("x*x")
    before = w.render()
    notices = w.restore_state({"expr": "__import__('os').system('x')", "x": "0.50", "q": "1"})
    assert notices == ["ignored graph.expr: only these functions can be called: sin, cos, tanh, exp, log, "
                       "sigmoid, relu (at character 1); none of the link's graph settings were applied"]
    assert w.render() == before and alerts(w) == [] and w.state.scene.node("x").data == 1.0
    lesson = GraphWidget()
    assert len(lesson.restore_state({"expr": "__debug__*w", "w": "2.00"})) == 1
    assert lesson.state.scene.node("w").data == 0.5


def test_odd_values_in_a_good_link_are_ignored_one_by_one():
    w = GraphWidget()
    assert w.restore_state({"expr": "x*x", "x": "nan", "q": "1"}) == ["ignored graph.x='nan'", "ignored graph.q='1'"]
    assert w.state.diagram.text == "x*x"


FIELD_NAMES = st.sampled_from(["expr", "x", "y", "w", "b", "ystar", "y*", "q", "__class__", ""]) | st.text(max_size=8)
EXPR_TEXT = st.text(max_size=250) | expressions() | st.sampled_from(["x*x", "sin(", "().__class__", "9" * 400])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(FIELD_NAMES, EXPR_TEXT | st.text(max_size=30) | st.floats().map(str), max_size=6))
def test_restore_state_survives_any_fields(fields):
    w = GraphWidget()
    notices = w.restore_state(fields)
    assert all(isinstance(n, str) for n in notices)
    assert "Traceback" not in text_of(w.render())
    again = GraphWidget()
    assert again.restore_state(w.share_state()) == []  # whatever was accepted round-trips
    assert readouts(again) == readouts(w)


ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("expr"), expressions() | st.sampled_from([LESSON_TEXT, "a*b + c", "x*x", "sin("])),
    st.tuples(st.just("slide"), st.integers(0, 3), st.floats(-4, 4)),
    st.tuples(st.just("click"), st.sampled_from(["step", "reset", "animate", "code", "check", "optimized"])),
), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_any_state_the_page_can_reach_writes_a_link_that_reads_back_to_the_same_state(actions):
    w = GraphWidget()
    for action in actions:
        if action[0] == "expr":
            apply(w, action[1])
        elif action[0] == "slide":
            names = [s.name for s in w.state.diagram.sliders]
            slide(w, names[action[1] % len(names)], f"{action[2]:.3f}")
        else:
            click(w, action[1])
    link = w.share_state()
    fresh = GraphWidget()
    assert fresh.restore_state(link) == []
    assert fresh.state.diagram.text == w.state.diagram.text
    assert fresh.state.values() == w.state.values()
    assert fresh.state.scene.names == w.state.scene.names
    assert fresh.share_state() == link
