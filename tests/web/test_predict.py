"""The Computation graph's "Predict each step", "Show all local derivatives", a learner's rule in use, and the
words issue 21 asked for (check read-outs, kinks, NaN, plurals, minus signs, reserved link keys), in CPython."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value
from engine.rules import RULES, local_formula
from web.dag.diagram import Diagram, Slider, scene_of
from web.format import MINUS, fixed
from web.graph import GraphWidget, words
from web.graph.predict import is_right
from web.graph.state import LINK_KEYS, initial_state, update
from web.ownrule import OwnRule
from web.tree import find_all, text_of
from web.widget import UIEvent

FRAME = 1000 / 60


def click(w, name):
    w.handle(UIEvent("click", name))


def answer(w, text):
    w.handle(UIEvent("input", "guess", text))
    w.handle(UIEvent("key", "guess", text, key="Enter"))


def predicting(expr=None):
    w = GraphWidget()
    if expr:
        w.handle(UIEvent("key", "expr", expr, key="Enter"))
    click(w, "predict")
    return w


def button(w, name):
    return next(e for e in find_all(w.render(), lambda e: e.tag == "button") if text_of(e) == name)


def by_class(w, cls):
    return [text_of(e) for e in find_all(w.render(), lambda e: cls in (e.attr("class") or "").split())]


def explanation(w):
    return by_class(w, "graph-explain")[0]


def verdict(w):
    return by_class(w, "graph-verdict")[0]


def contribution(w):
    return w.state.steps[w.state.quiz.asking].contribution


def test_step_asks_first_with_the_edge_highlighted_its_label_hidden_and_step_and_play_waiting():
    w = predicting()
    assert w.share_state() == {"predict": "1"}
    click(w, "step")
    s = w.state
    assert s.quiz.asking == 0 and s.player.applied == 0 and s.player.active == 0
    assert explanation(w) == "Edge 1 of 8, L → d: how much does this edge add to ∂L/∂d?"
    svg = find_all(w.render(), lambda e: e.tag == "svg")[0]
    lit = find_all(svg, lambda e: e.attr("class") == "back active")  # the edge is highlighted
    assert [(e.attr("data-from"), e.attr("data-to")) for e in lit] == [("L", "d")]
    assert not find_all(svg, lambda e: e.attr("class") == "edge-label")  # no local derivative yet
    assert button(w, "Step").attr("disabled") == "" and button(w, "Animate backward pass").attr("disabled") == ""
    assert button(w, "Check").attr("disabled") is None and button(w, "Skip").attr("disabled") is None
    click(w, "step")  # disabled: nothing moves
    assert w.state.quiz.asking == 0 and w.state.player.applied == 0
    assert w.take_focus() == "graph-guess"


def test_right_answer_shows_the_working_plays_the_step_and_scores():
    w = predicting()
    click(w, "step")
    answer(w, "-0.7087")  # ∂L/∂d = 2d
    assert verdict(w) == f"Right: 1.0000 × {MINUS}0.7087 = {MINUS}0.7087"
    assert w.state.player.applied == 1 and w.state.quiz.asking is None
    assert by_class(w, "graph-score") == ["Right first time: 1 of 1"]
    assert button(w, "Step").attr("disabled") is None


def test_wrong_once_gives_the_upstream_and_the_formula_never_the_value_then_the_answer():
    w = predicting()
    click(w, "step")
    answer(w, "-0.7087")
    click(w, "step")
    answer(w, "-0.7087")  # d → s: local 1
    click(w, "step")
    answer(w, "0.7087")  # d → y*: local −1
    click(w, "step")  # s → z: the sigmoid
    answer(w, "0.5")
    hint = verdict(w)
    assert hint == (f"Not yet. Upstream ∂L/∂s = {MINUS}0.7087. The local derivative of s = σ(z) is s(1 − s), "
                    "with s = 0.6457.")
    assert "0.2288" not in hint and "0.1621" not in hint
    assert w.state.player.applied == 3  # still waiting
    answer(w, "7")
    assert verdict(w) == f"Not right either. The answer: {MINUS}0.7087 × 0.2288 = {MINUS}0.1621."
    assert w.state.player.applied == 4
    assert by_class(w, "graph-score") == ["Right first time: 3 of 4"]


def test_a_constant_local_derivative_is_called_one_in_the_hint():
    w = predicting()
    for text in ("-0.7087", "-0.7087", "0.7087", "-0.1621"):
        click(w, "step")
        answer(w, text)
    click(w, "step")  # z → p: a sum
    answer(w, "3")
    assert "is a constant" in verdict(w) and "Upstream ∂L/∂z = −0.1621" in verdict(w)


def test_skip_reveals_the_answer_and_counts_as_not_right_and_reset_starts_a_new_score():
    w = predicting()
    click(w, "step")
    click(w, "guess-skip")
    assert verdict(w) == f"Skipped. The answer: 1.0000 × {MINUS}0.7087 = {MINUS}0.7087."
    assert by_class(w, "graph-score") == ["Right first time: 0 of 1"] and w.state.player.applied == 1
    click(w, "reset")
    assert by_class(w, "graph-score") == ["Right first time: 0 of 0"] and w.state.player.applied == 0


def test_not_a_number_is_said_and_does_not_count_as_a_try():
    w = predicting()
    click(w, "step")
    answer(w, "abc")
    assert verdict(w) == "“abc” is not a number: type one, such as −0.25."
    assert w.state.quiz.tries == 0 and w.state.quiz.asking == 0


@pytest.mark.parametrize(("guess", "answer_", "right"), [
    (1.0049, 1.0, True), (1.0051, 1.0, False), (0.0005, 0.0, True), (0.00051, 0.0, False),
    (-0.7087, -0.70866, True), (0.7087, -0.70866, False), (100.4, 100.0, True), (99.4, 100.0, False),
])
def test_the_tolerance_is_half_a_percent_or_0_0005(guess, answer_, right):
    assert is_right(guess, answer_) is right


def test_a_slider_or_a_new_expression_cancels_a_waiting_question_with_one_line():
    w = predicting()
    click(w, "step")
    w.handle(UIEvent("input", "set:w", "0.8"))
    assert w.state.quiz.asking is None and w.state.player.applied == 0
    assert verdict(w) == words.CANCELLED["slider"]
    assert button(w, "Step").attr("disabled") is None
    click(w, "step")
    w.handle(UIEvent("key", "expr", "x*x + sin(x)", key="Enter"))
    assert w.state.quiz.asking is None and w.state.predict and verdict(w) == words.CANCELLED["expr"]


def test_play_asks_each_edge_in_turn_and_flies_each_answered_one():
    w = predicting()
    click(w, "animate")
    assert w.state.quiz.asking == 0 and not w.state.player.playing
    assert text_of(button(w, "Animate backward pass")) == "Animate backward pass"  # keeps its name
    wrong_once = False
    t = 0.0
    while not w.state.player.finished:
        if w.state.quiz.asking is not None:
            k = w.state.quiz.asking
            if k == 2 and not wrong_once:
                answer(w, "12345")
                wrong_once = True
            answer(w, fixed(contribution(w), 4).replace(MINUS, "-"))
            assert w.state.quiz.asking is None and w.state.player.playing and w.state.player.applied == k
        t += FRAME
        w.frame(t)
        assert t < 60_000
    assert by_class(w, "graph-score") == ["Right first time: 7 of 8"]
    assert by_class(w, "graph-grad")[0] == f"∂L/∂w = {MINUS}0.1621"


def test_with_reduced_motion_play_lands_each_answer_at_once_and_asks_the_next():
    w = predicting()
    w.reduced_motion = True
    click(w, "animate")
    answer(w, "-0.7087")
    assert w.state.player.applied == 1 and w.state.quiz.asking == 1


def test_enter_between_questions_asks_the_next_one():
    w = predicting()
    click(w, "step")
    answer(w, "-0.7087")
    w.handle(UIEvent("key", "guess", "", key="Enter"))
    assert w.state.quiz.asking == 1


def _graph_of(op):
    """A graph with one node of op, not the root (so upstream is 3, not 1), over leaves a = 1.3 and b = 0.7."""
    a, b = Value(1.3, label="a"), Value(0.7, label="b")
    node = {
        "add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b,
        "pow": lambda: a**3, "neg": lambda: -a, "bce_with_logits": lambda: a.bce_with_logits(b),
    }.get(op, lambda: getattr(a, op)())()
    assert node.op == op
    root = node * 3
    names = {id(a): "a", id(b): "b", id(node): "v", id(root): "L"}
    diagram = Diagram(root, names, (Slider("a", -3, 3, 0.01), Slider("b", -3, 3, 0.01)), ("a", "b"), "t")
    return scene_of(diagram), node


@pytest.mark.parametrize("op", sorted(RULES))
def test_every_rule_in_the_engine_table_has_a_hint_with_its_formula_and_never_the_answer(op):
    scene, node = _graph_of(op)
    steps = [s for s in scene.steps() if s.child is node]
    assert steps
    for step in steps:
        text = words.hint(scene, step)
        formula = local_formula(node, step.index, scene.name_of)
        assert text.startswith("Not yet. Upstream ∂L/∂v = 3.0000.")
        assert formula in text or "is a constant" in text
        if step.local != 1:  # an answer of 1 × upstream is the upstream the hint must name
            assert fixed(step.contribution, 4) not in text


def test_show_all_local_derivatives_keeps_every_edge_labelled_and_in_predict_mode_only_the_answered():
    w = GraphWidget()
    click(w, "show-all")
    svg = find_all(w.render(), lambda e: e.tag == "svg")[0]
    tags = [text_of(e) for e in find_all(svg, lambda e: e.attr("class") == "edge-tag")]
    assert len(tags) == 8 and "0.2288" in tags and "1" in tags and f"{MINUS}1" in tags
    desc = text_of(find_all(svg, lambda e: e.tag == "desc")[0])
    assert "Local derivatives on the edges: ∂L/∂d = 2d = −0.7087;" in desc and "∂s/∂z = s(1 − s) = 0.2288" in desc
    click(w, "predict")
    click(w, "step")
    answer(w, "-0.7087")
    click(w, "step")
    svg = find_all(w.render(), lambda e: e.tag == "svg")[0]
    assert [text_of(e) for e in find_all(svg, lambda e: e.attr("class") == "edge-tag")] == [f"{MINUS}0.7087"]


def test_the_read_outs_hold_the_check_s_gradients_and_say_why_not_while_a_pass_is_stepped():
    w = GraphWidget()
    click(w, "check")
    assert by_class(w, "graph-grad")[0] == f"∂L/∂w = {MINUS}0.1621"
    w = GraphWidget()
    click(w, "step")
    click(w, "check")
    assert by_class(w, "graph-grad")[0] == "∂L/∂w = —"
    assert words.PENDING_CHECK in text_of(w.render())


def test_one_edge_is_not_all_1_edges():
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", "sin(x)", key="Enter"))
    assert "along its one edge" in explanation(w) and "all 1 edges" not in explanation(w)
    w.handle(UIEvent("key", "expr", "x*x + sin(x)", key="Enter"))
    assert "along all 5 edges" in explanation(w)


def test_typed_titles_use_the_lesson_s_minus():
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", "x - -y", key="Enter"))
    assert w.state.diagram.title == f"Computation graph of L = x {MINUS} {MINUS}y"


def test_a_kink_in_the_check_is_explained():
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", "relu(x)*2", key="Enter"))
    w.handle(UIEvent("input", "set:x", "0"))
    click(w, "check")
    notes = by_class(w, "check-kink")
    assert len(notes) == 1 and "v1 = relu(x) is at its kink" in notes[0] and "no single slope" in notes[0]
    w.handle(UIEvent("input", "set:x", "0.5"))
    assert by_class(w, "check-kink") == []


@pytest.mark.parametrize(("text", "says"), [
    ("log(-x)", f"v1 = {MINUS}1.0000 is outside the domain of L = log(v1)"),
    ("(-x)**0.5*2", f"v1 = {MINUS}1.0000 is outside the domain of v2 = v1^0.5"),
])
def test_nan_says_which_value_is_outside_which_function_s_domain(text, says):
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", text, key="Enter"))
    assert by_class(w, "graph-loss") == ["L = NaN"]
    assert says in by_class(w, "graph-domain")[0]
    w.handle(UIEvent("key", "expr", "x*x", key="Enter"))
    assert by_class(w, "graph-domain") == []


def test_a_variable_may_not_take_a_link_key_s_name():
    for name in LINK_KEYS:
        w = GraphWidget()
        w.handle(UIEvent("key", "expr", f"{name}*2 + x", key="Enter"))
        assert w.state.error and "link" in w.state.error and w.state.diagram.is_lesson


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["x", "y", "w", "predict", "expr", "b1", "ystar"]), min_size=1, max_size=3,
                unique=True), st.booleans())
def test_the_graph_s_link_never_lets_a_variable_overwrite_its_own_fields(names, predict):
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", " + ".join(f"sin({n})" for n in names), key="Enter"))
    if predict:
        click(w, "predict")
    fields = w.share_state()
    back = GraphWidget()
    back.restore_state(fields)
    assert back.state.diagram.text == w.state.diagram.text and back.state.predict == w.state.predict
    assert back.state.values() == w.state.values()


def test_a_link_s_predict_must_be_1():
    w = GraphWidget()
    assert w.restore_state({"predict": "yes"}) == ["ignored graph.predict='yes'"] and not w.state.predict


def test_a_link_value_keeps_six_significant_digits_within_a_range_that_holds_it():
    w = GraphWidget()
    w.restore_state({"expr": "w1*x + b", "w1": "-4.12346", "x": "0.123457"})
    assert w.state.values()["w1"] == -4.12346 and w.state.values()["x"] == 0.123457
    slider = next(s for s in w.state.diagram.sliders if s.link == "w1")
    assert slider.lo <= -4.12346 and w.share_state()["w1"] == "-4.12346"


# --- a learner's rule, handed over by "Your turn" ---

def test_a_learner_s_rule_is_used_for_every_node_of_its_op_shown_as_theirs_and_the_check_agrees():
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", "sigmoid(x)*sigmoid(y*x)", key="Enter"))
    before = [s.local for s in w.state.steps]
    rule = OwnRule.of("sigmoid", ["out - out**2"])
    w.receive("rule", rule)
    assert set(w.state.own) == {"sigmoid"}
    sig = [s for s in w.state.steps if s.child.op == "sigmoid"]
    assert len(sig) == 2 and all(s.formula == "your rule: out - out**2" for s in sig)
    assert all(s.local == rule.local(s.parent.data, 0.0, s.child.data, None)[0] for s in sig)
    assert [s.local for s in w.state.steps] == pytest.approx(before)  # a right rule: the same numbers
    k = w.state.steps.index(sig[0])
    for _ in range(k + 1):
        click(w, "step")
    label = text_of(find_all(w.render(), lambda e: e.attr("class") == "edge-label")[0])
    assert "your rule: out - out**2" in label
    click(w, "code")
    code = text_of(find_all(w.render(), lambda e: e.attr("class") == "code-block")[0])
    assert code.count("# your rule: out - out**2") == 2
    click(w, "check")
    rows = find_all(w.render(), lambda e: e.tag == "tr")[1:]
    diffs = [float(text_of(r.children[3]).replace(MINUS, "-").replace("×10", "e").translate(
        str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))) for r in rows]
    assert len(diffs) == 2 and all(abs(d) < 1e-6 for d in diffs)
    assert "with your rule for sigmoid" in text_of(w.render())
    # the pass's gradients are the table's backprop column
    click(w, "reset")
    for _ in w.state.steps:
        click(w, "step")
    grads = [text_of(e).split(" = ")[1] for e in find_all(w.render(), lambda e: e.attr("class") == "graph-grad")]
    assert grads == [text_of(r.children[1]) for r in find_all(w.render(), lambda e: e.tag == "tr")[1:]]
    assert RULES["sigmoid"].local(0.0, 0.0, 0.5, None) == (0.25,)  # the engine's table is untouched
    w.receive("rule-off", "sigmoid")
    assert w.state.own == {} and all(s.formula == "s(1 − s)" for s in w.state.steps if s.child.op == "sigmoid")


def test_a_two_input_rule_uses_both_texts_and_the_hint_names_the_rule_s_own_names():
    w = predicting("a*b*3")
    w.receive("rule", OwnRule.of("mul", ["y", "x"]))
    click(w, "step")
    answer(w, "3")  # L = v1*3: the built-in mul with a constant... v1 → ∂L/∂v1 = 3 (not the learner's op? it is mul)
    click(w, "step")
    answer(w, "100")
    assert "your rule: y" in verdict(w) and "with y = " in verdict(w)


def test_the_pass_takes_its_locals_from_the_learner_s_rule_not_the_table():
    """A rule 10⁻⁹ off the true slope passes its check (10⁻⁶ absolute): the pass shows exactly its numbers."""
    w = GraphWidget()
    built_in = next(s.local for s in w.state.steps if s.child.op == "sigmoid")
    w.receive("rule", OwnRule.of("sigmoid", ["out*(1 - out) + 0.000000001"]))
    mine = next(s.local for s in w.state.steps if s.child.op == "sigmoid")
    assert mine != built_in and mine == pytest.approx(built_in + 1e-9, abs=1e-15)


def test_a_rule_that_fails_its_check_is_never_used():
    w = GraphWidget()
    w.receive("rule", OwnRule.of("sigmoid", ["out"]))
    w.receive("rule", "out*(1 - out)")
    assert w.state.own == {}


def test_the_graph_tells_the_page_when_its_expression_changes_and_only_then():
    w = GraphWidget()
    assert w.take_handoff() is None
    w.handle(UIEvent("key", "expr", "x*x", key="Enter"))
    assert w.take_handoff() == ("graph-expression", "x*x")
    assert w.take_handoff() is None
    w.handle(UIEvent("input", "set:x", "0.5"))
    assert w.take_handoff() is None


def test_predict_mode_state_moves_only_through_update():
    s = initial_state()
    t = update(s, UIEvent("click", "predict"))
    assert not s.predict and t.predict and math.isfinite(t.scene.root.data)


def test_the_check_s_note_states_the_step_the_check_uses(monkeypatch):
    from web.graph import check

    monkeypatch.setattr(check, "REL_STEP", 1e-4)
    w = GraphWidget()
    click(w, "check")
    note = by_class(w, "check-note")[-1]
    assert "h = 10⁻⁴·max(1, |v|)" in note
    row = check.check(w.state.code, ["w", "x", "b", "y*"])[0]
    assert row.h == 1e-4


@pytest.mark.parametrize("text", ["max*ystar + inf", "power*x - log1p", "d_x*x + zip"])
def test_show_code_names_variables_as_the_compiled_code_does(text):
    """One namer (engine.compile.Namer): a variable is called the same in both codes of Show code."""
    from web.graph.code import code_names

    w = GraphWidget()
    w.handle(UIEvent("key", "expr", text, key="Enter"))
    assert not w.state.error
    names, _ = code_names(w.state.scene)
    scene = w.state.scene
    mine = [names[scene.index(scene.node(s.name))] for s in w.state.diagram.sliders]
    head = w.state.code.gradient.source.split("\n")[0]
    assert head == f"def forward_backward({', '.join(mine)}):"


def test_a_link_s_value_between_the_slider_s_steps_is_shown_as_it_is():
    w = GraphWidget()
    w.restore_state({"expr": "w1*x", "w1": "-0.123457"})
    outputs = [text_of(e) for e in find_all(w.render(), lambda e: e.tag == "output" and e.attr("class") == "value")]
    assert outputs == [f"{MINUS}0.123457", "1.00"]


def test_optimized_code_says_it_keeps_the_built_in_rules_while_a_learner_s_rule_is_in_use():
    w = GraphWidget()
    click(w, "code")
    click(w, "optimized")
    assert words.OWN_OPTIMIZED not in text_of(w.render())
    w.receive("rule", OwnRule.of("sigmoid", ["out*(1 - out)"]))
    assert words.OWN_OPTIMIZED in text_of(w.render())


@pytest.mark.parametrize("text", ["(sigmoid(w*x + b) - ystar)**2", "x*x + sin(x)", "tanh(a*b + c)*exp(-a)"])
def test_kept_local_derivatives_sit_off_every_node_and_off_each_other(text):
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", text, key="Enter"))
    for d in w.state.drawings.values():
        tags = [d.tag(k) for k in range(len(w.state.steps))]
        boxes = list(d.layout.boxes)

        def meet(a, b):
            return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom

        assert not any(meet(t, b) for t in tags for b in boxes)
        if "tanh" not in text:  # in a crowded drawing a tag may rather lie over another than over a node
            assert not any(meet(t, u) for i, t in enumerate(tags) for u in tags[i + 1:])
