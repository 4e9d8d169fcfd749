"""The computation-graph widget in CPython: state + update, the pass clock, the views, and the drawing's geometry."""

import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Value, backward_steps
from web.dag.diagram import CONSTANT, scene_of
from web.dag.geometry import (
    BADGE_FONT,
    BADGE_PAD,
    FIT_MAX_HEIGHT,
    FONT,
    MIN_READABLE,
    PHONE_MIN_SCALE,
    PHONE_ROOM,
    WIDE_ROOM,
    edge_samples,
    text_width,
)
from web.dag.player import Player
from web.dag.svg import Pass, render_svg
from web.format import MINUS, fixed
from web.graph import Diagram, GraphWidget, Slider
from web.graph.state import initial_state, update
from web.tree import find_all, text_of
from web.widget import UIEvent

FRAME = 1000 / 60
ROOT = Path(__file__).resolve().parents[2]


def expected(w, x, b, y):
    """L and its gradients for the lesson's neuron, by hand."""
    z = w * x + b
    s = 1 / (1 + math.exp(-z))
    d = s - y
    dz = 2 * d * s * (1 - s)
    return {"L": d * d, "w": dz * x, "x": dz * w, "b": dz, "s": s, "d": d, "z": z, "p": w * x, "y*": -2 * d}


def shown(widget):
    return text_of(widget.render()).replace(MINUS, "-")


def num(v, digits=4):
    text = f"{v:.{digits}f}"
    return "0." + "0" * digits if float(text) == 0 else text


def readouts(widget):
    return [text_of(o).replace(MINUS, "-") for o in find_all(widget.render(), lambda e: e.tag == "output")
            if o.attr("class") in ("graph-loss", "graph-grad")]


def click(widget, name):
    widget.handle(UIEvent("click", name))


def slide(widget, name, value):
    widget.handle(UIEvent("input", f"set:{name}", str(value)))


def typed(text, widget=None):
    widget = widget or GraphWidget()
    widget.handle(UIEvent("key", "expr", text, key="Enter"))
    assert widget.state.error == "", widget.state.error
    return widget


def finish(widget):
    while not widget.state.player.finished:
        click(widget, "step")


def run(widget, start, ms):
    """Feed frames at 60 Hz from `start` for `ms` milliseconds; returns the time reached."""
    t = start
    while t < start + ms:
        widget.frame(t)
        t += FRAME
    return t


def svg(widget, horizontal=True):
    s = widget.state
    return render_svg(Pass(s.scene, s.steps, s.player, s.grads()), s.drawings[horizontal], s.diagram.title,
                      reduced_motion=widget.reduced_motion)


def buttons(widget):
    return [text_of(b) for b in find_all(widget.render(), lambda e: e.tag == "button")]


def grad_of(widget, name):
    s = widget.state
    return s.grads()[s.scene.index(s.scene.node(name))]


def test_defaults_read_as_the_contract_says():
    w = GraphWidget()
    # Before a pass no gradient is known: an em dash, not a zero that reads as "the gradient is zero".
    assert readouts(w) == ["L = 0.1256", "∂L/∂w = —", "∂L/∂x = —", "∂L/∂b = —"]
    want = expected(0.5, 1.0, 0.1, 1.0)
    text = shown(w)
    for name in ("p", "z", "s", "d"):
        assert num(want[name]) in text
    sliders = find_all(w.render(), lambda e: e.tag == "input" and e.attr("type") == "range")
    labels = {e.attr("for"): text_of(e) for e in find_all(w.render(), lambda e: e.tag == "label")}
    got = [(labels[s.attr("id")], s.attr("min"), s.attr("max"), s.attr("step"), s.attr("value")) for s in sliders]
    assert got == [("w", "-3", "3", "0.01", "0.50"), ("x", "-3", "3", "0.01", "1.00"),
                   ("b", "-3", "3", "0.01", "0.10"), ("y*", "0", "1", "0.01", "1.00")]
    assert buttons(w) == ["Apply", "Animate backward pass", "Step", "Reset", "Show code",
                          "Check with finite differences"]
    assert not find_all(w.render(), lambda e: e.attr("class") == "badge")


def test_stepping_through_every_edge_gives_the_contract_gradients():
    w = GraphWidget()
    n = len(backward_steps(w.state.scene.root))
    assert n == len(w.state.steps) == len(w.state.scene.edges) == 8
    for _ in range(n):
        click(w, "step")
    assert readouts(w) == ["L = 0.1256", "∂L/∂w = -0.1621", "∂L/∂x = -0.0811", "∂L/∂b = -0.1621"]


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3), st.floats(0, 1))
def test_forward_values_and_gradients_match_the_closed_form(wv, xv, bv, yv):
    w = GraphWidget()
    for name, value in zip(("w", "x", "b", "y*"), (wv, xv, bv, yv), strict=True):
        slide(w, name, value)
    vals = [w.state.scene.node(name).data for name in ("w", "x", "b", "y*")]
    assert all(val == round(val, 2) and abs(val - v) <= 0.005 + 1e-12
               for val, v in zip(vals, (wv, xv, bv, yv), strict=True))
    want = expected(*vals)
    assert w.state.scene.root.data == pytest.approx(want["L"], abs=1e-12)
    finish(w)
    for name in ("w", "x", "b", "y*"):
        assert grad_of(w, name) == pytest.approx(want[name], abs=1e-12)
    assert readouts(w)[0] == f"L = {fixed(want['L'], 4)}".replace(MINUS, "-")


def test_badges_accumulate_one_node_per_step():
    w = GraphWidget()
    badges = lambda: len(find_all(svg(w), lambda e: e.attr("class") == "badge"))  # noqa: E731
    seen = []
    for k, step in enumerate(backward_steps(w.state.scene.root)):
        click(w, "step")
        assert w.state.player.applied == k + 1
        assert w.state.steps[w.state.player.active] == step  # the engine's own order
        seen.append(badges())
    assert seen == list(range(2, 10))  # the root seeded on the first step, then one new node per edge


def test_the_active_edge_is_labelled_with_its_local_derivative_and_points_back_at_its_parent():
    w = GraphWidget()
    for _ in range(7):  # the seventh edge is p -> w
        click(w, "step")
    for horizontal in (True, False):
        drawing = svg(w, horizontal)
        (label,) = find_all(drawing, lambda e: e.attr("class") == "edge-label")
        assert text_of(label) == "∂p/∂w = x = 1.0000"
        (arrow,) = find_all(drawing, lambda e: e.attr("class") == "back active")
        assert (arrow.attr("data-from"), arrow.attr("data-to")) == ("p", "w")
        assert "back-active" in arrow.attr("marker-end")
        # the gradient's arrow runs from the child's end of the edge to the parent's: reversed forward route
        lay = w.state.drawings[horizontal].layout
        route = lay.routes[w.state.scene.edge(w.state.steps[6])]
        start = re.match(r"M([-\d.]+),([-\d.]+)", arrow.attr("d")).groups()
        assert (float(start[0]), float(start[1])) == pytest.approx(route[-1], abs=0.06)
        assert "passing" in drawing.attr("class")  # the forward arrows fade while the pass runs
        assert len(find_all(drawing, lambda e: e.attr("class") == "back carried")) == 6


def test_the_explanation_states_the_step_with_numbers():
    w = GraphWidget()
    for _ in range(4):  # s -> z
        click(w, "step")
    message = text_of(find_all(w.render(), lambda e: e.attr("aria-live") == "polite")[0]).replace(MINUS, "-")
    assert "∂L/∂s = -0.7087; local ∂s/∂z = s(1 - s) = 0.2288; so ∂L/∂z += -0.7087 × 0.2288 = -0.1621" in message


# --- the pass clock, with a fake clock ---

def play_all(p, t=1000.0):
    changes, last = 0, p.active
    while p.playing:
        p = p.frame(t)
        if p.active != last:
            changes, last = changes + 1, p.active
        t += FRAME
    return p, changes, t


def test_play_lands_every_step_in_order_and_takes_about_five_seconds():
    p = Player.of(8).play()
    assert p.playing and p.active == 0 and p.applied == 0
    p, changes, t = play_all(p)
    assert p.applied == 8 and p.active is None and p.finished
    assert changes == 8  # 0 -> 1 -> ... -> 7 -> None: one change per edge
    assert 4000 <= t - 1000 <= 6000


def test_step_during_play_lands_the_edge_in_flight_and_pauses():
    p = Player.of(8).play().frame(0.0)
    p = p.frame(p.step_ms * 2.5)  # two landed, the third in flight
    assert (p.applied, p.active) == (2, 2)
    p = p.step()
    assert not p.playing and (p.applied, p.active) == (3, 2)
    assert p.frame(p.step_ms * 10) == p  # paused: time passes, nothing moves
    assert p.step().applied == 4


def test_play_toggles_pause_and_resumes_where_it_stopped():
    p = Player.of(8).play().frame(0.0)
    p = p.frame(p.step_ms * 1.5)
    p = p.play()  # pause
    assert not p.playing and p.paused and p.applied == 1 and p.active == 1
    p = p.play().frame(5000.0)  # resume: the edge in flight starts over
    assert p.applied == 1 and p.progress == 0.0
    assert p.frame(5000.0 + p.step_ms).applied == 2


def test_step_after_the_end_does_nothing_and_play_starts_over():
    p = Player.of(2).step().step()
    assert p.finished and p.step().applied == 2
    p = p.play()
    assert p.playing and p.applied == 0


def test_reduced_motion_jumps_whole_steps_without_progress():
    p = Player.of(3).play(eager=True)
    assert p.applied == 1 and p.active == 0  # the first edge lands at once
    p = p.frame(0.0).frame(p.step_ms * 0.5)
    assert p.applied == 1
    p = p.frame(p.step_ms)
    assert p.applied == 2 and p.active == 1
    p = p.frame(p.step_ms * 3)
    assert p.finished and not p.playing and p.active is None


# --- the play button and the widget's state machine ---

def test_the_play_button_is_named_for_what_it_does_and_step_works_from_any_state():
    w = GraphWidget()
    play = lambda: buttons(w)[1]  # noqa: E731
    assert play() == "Animate backward pass"
    click(w, "animate")
    assert play() == "Pause"
    t = run(w, 0.0, 700)
    click(w, "animate")
    assert play() == "Resume"
    applied = w.state.player.applied
    click(w, "step")  # from paused
    assert play() == "Resume" and w.state.player.applied == applied + 1
    click(w, "animate")
    assert play() == "Pause"
    run(w, t, 300)
    click(w, "step")  # from playing: lands the edge in flight and pauses
    assert play() == "Resume"
    finish(w)
    assert play() == "Animate backward pass"
    click(w, "step")  # from finished: says so, changes nothing
    assert w.state.notice == "complete" and play() == "Animate backward pass"
    click(w, "reset")
    click(w, "step")  # from reset
    assert w.state.player.applied == 1 and play() == "Resume"


def test_widget_animation_runs_from_frames_and_ends_with_the_gradients():
    w = GraphWidget()
    click(w, "animate")
    assert w.wants_frame
    pulses, t = [], 0.0
    live = lambda: text_of(find_all(w.render(), lambda e: e.attr("aria-live") == "polite")[0])  # noqa: E731
    messages = [live()]
    while w.wants_frame:
        w.frame(t)
        pulses += find_all(svg(w), lambda e: e.attr("class") == "pulse")
        if live() != messages[-1]:
            messages.append(live())
        t += FRAME
    assert len(messages) == 9  # one per edge, then the summary: never one per frame
    assert pulses  # with motion, a dot travels along the edge
    assert readouts(w)[1:] == ["∂L/∂w = -0.1621", "∂L/∂x = -0.0811", "∂L/∂b = -0.1621"]


def test_reduced_motion_draws_the_direction_without_the_travelling_dot():
    w = GraphWidget()
    w.reduced_motion = True
    click(w, "animate")
    t = run(w, 0.0, 200)
    assert w.state.player.applied == 1
    tree = w.render()
    assert not find_all(tree, lambda e: e.attr("class") == "pulse")
    assert len(find_all(tree, lambda e: e.attr("class") == "back active")) == 2  # both drawings, still drawn
    run(w, t, 6000)
    assert not w.wants_frame and w.state.player.finished


def test_a_slider_during_the_animation_cancels_it_cleanly():
    w = GraphWidget()
    click(w, "animate")
    run(w, 0.0, 2000)
    assert w.state.player.applied >= 2
    slide(w, "w", 1.5)
    assert not w.wants_frame and w.state.player.applied == 0 and w.state.player.active is None
    assert not find_all(w.render(), lambda e: e.attr("class") in ("badge", "edge-label", "pulse", "back active"))
    assert readouts(w)[1:] == ["∂L/∂w = —", "∂L/∂x = —", "∂L/∂b = —"]
    assert "stopped" in shown(w)
    finish(w)
    assert readouts(w)[1] == f"∂L/∂w = {num(expected(1.5, 1.0, 0.1, 1.0)['w'])}"


def test_after_a_completed_pass_sliders_keep_the_gradients_live():
    w = GraphWidget()
    finish(w)
    for value in (-2.0, 0.37, 2.5):
        slide(w, "x", value)
        want = expected(0.5, value, 0.1, 1.0)
        assert readouts(w) == [f"L = {num(want['L'])}", f"∂L/∂w = {num(want['w'])}",
                               f"∂L/∂x = {num(want['x'])}", f"∂L/∂b = {num(want['b'])}"]


def test_reset_clears_badges_and_readouts():
    w = GraphWidget()
    click(w, "animate")
    run(w, 0.0, 1500)
    click(w, "step")
    click(w, "reset")
    assert not w.wants_frame and not w.state.player.started
    assert not find_all(w.render(), lambda e: e.attr("class") == "badge")
    assert readouts(w)[1:] == ["∂L/∂w = —", "∂L/∂x = —", "∂L/∂b = —"]


def test_bad_slider_values_are_ignored_and_out_of_range_ones_clamped():
    w = GraphWidget()
    for bad in ("", "abc", "nan", "inf"):
        slide(w, "b", bad)
    assert w.state.scene.node("b").data == 0.1
    slide(w, "y*", "7")
    assert w.state.scene.node("y*").data == 1.0
    slide(w, "w", "-9")
    assert w.state.scene.node("w").data == -3.0


def test_a_late_slider_event_for_a_variable_that_no_longer_exists_is_ignored():
    """Regression: an input event handled after Enter applied a new expression raised StopIteration and lost it."""
    w = typed("a*a + sin(a)")
    before = w.state
    slide(w, "w", "0.7")  # the lesson's w slider, already replaced
    w.handle(UIEvent("change", "set:y*", "0.2"))
    assert w.state is before and w.state.diagram.text == "a*a + sin(a)"


def test_update_returns_new_states_and_leaves_the_old_ones_alone():
    s0 = initial_state()
    s1 = update(s0, UIEvent("click", "step"))
    s2 = update(s1, UIEvent("click", "code"))
    assert s0.player.applied == 0 and s1.player.applied == 1 and not s1.show_code and s2.show_code
    assert update(s2, UIEvent("click", "nothing")) is s2


def test_prerender_disables_controls_and_uses_no_style_attributes():
    w = GraphWidget()
    tree = w.render(ready=False)
    controls = find_all(tree, lambda e: e.tag in ("input", "button"))
    assert len(controls) == 13 and all(c.attr("disabled") == "" for c in controls)
    assert not find_all(tree, lambda e: e.attr("style") is not None)
    for drawing in find_all(tree, lambda e: e.tag == "svg"):
        assert [c.tag for c in drawing.children[:2]] == ["title", "desc"] and drawing.attr("role") == "img"
    assert not find_all(w.render(), lambda e: e.attr("disabled") is not None)


def test_any_engine_graph_can_be_shown_including_a_value_used_twice_and_a_constant():
    x = Value(3.0, label="x")
    y = x * x
    c = y + 2
    w = GraphWidget(Diagram(root=c, names={id(x): "x", id(y): "y", id(c): "c"},
                            sliders=(Slider("x", -5, 5, 0.5),), readouts=("x",), title="c = x·x + 2"))
    edges = find_all(svg(w), lambda e: e.tag == "path" and e.attr("class") == "edge")
    assert len(edges) == 4 and len({e.attr("d") for e in edges}) == 4  # x -> y twice, y -> c, 2 -> c
    assert "y = x·x" in shown(w) and "c = y + 2" in shown(w)
    finish(w)
    assert readouts(w) == ["c = 11.0000", "∂c/∂x = 6.0000"]  # the two paths add up: 2x
    assert len(w.state.steps) == 3  # the edge into the constant 2 carries no gradient: the pass skips it
    slide(w, "x", "-1.2")
    assert w.state.scene.node("x").data == -1.0  # snapped to the slider's 0.5 grid
    assert readouts(w) == ["c = 3.0000", "∂c/∂x = -2.0000"]


def test_a_typed_number_is_drawn_as_a_constant_with_no_badge_and_no_slider():
    w = typed("tanh(a*b + a) / (1 + b*b)")
    scene = w.state.scene
    constants = [k for k, kind in enumerate(scene.kinds) if kind == CONSTANT]
    assert [scene.names[k] for k in constants] == ["1"]
    finish(w)
    for horizontal in (True, False):
        nodes = find_all(svg(w, horizontal), lambda e: e.tag == "g" and "node" in (e.attr("class") or "").split())
        const = [n for n in nodes if "constant" in n.attr("class")]
        assert len(const) == 1 and not find_all(const[0], lambda e: e.attr("class") == "badge")
        assert "input" not in const[0].attr("class")
        assert len([n for n in nodes if find_all(n, lambda e: e.attr("class") == "badge")]) == len(nodes) - 1
    assert [text_of(e) for e in find_all(w.render(), lambda e: e.tag == "label")][1:3] == ["a", "b"]


# --- numbers: one formatter, no walls of digits ---

def test_huge_numbers_are_written_short_and_fit_their_boxes():
    w = typed("exp(exp(exp(x)))")
    slide(w, "x", "1.5")
    finish(w)
    loss = readouts(w)[0]
    assert loss == "L = " + fixed(w.state.scene.root.data, 4).replace(MINUS, "-") and "×10" in loss
    assert len(loss) < 20
    for horizontal in (True, False):
        lay = w.state.drawings[horizontal].layout
        nodes = find_all(svg(w, horizontal), lambda e: e.tag == "g" and (e.attr("class") or "").startswith("node "))
        assert len(nodes) == len(lay.boxes)
        for node, box in zip(nodes, lay.boxes, strict=True):
            for cls in ("node-caption", "node-value"):
                (text,) = find_all(node, lambda e, c=cls: e.attr("class") == c)
                assert text_width(text_of(text)) <= box.width - 4, text_of(text)
            for badge in find_all(node, lambda e: e.attr("class") == "badge"):
                rect = badge.children[0]
                assert box.left <= float(rect.attr("x")) and float(rect.attr("x")) + float(rect.attr("width")) \
                    <= box.right
                assert text_width(text_of(badge), BADGE_FONT) <= float(rect.attr("width"))


def test_a_huge_exponent_is_written_short_in_its_caption():
    w = typed("x**1e300")
    caption = w.state.scene.captions[-1]
    assert caption == "L = x^1e+300" and len(caption) < 16
    w = typed("x**123456789")
    assert w.state.scene.captions[-1] == "L = x^1.23×10⁸"


# --- legibility, on the layout's own geometry ---

LETTERS = "abcxyz"


@st.composite
def small_expressions(draw, depth=3):
    """Random expressions of a few nodes, some sharing variables, some with numbers."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from([*LETTERS, "2", "0.5", "10"]))
    kind = draw(st.sampled_from(["bin", "bin", "call", "pow"]))
    if kind == "bin":
        return f"({draw(small_expressions(depth - 1))} {draw(st.sampled_from('+-*/'))} " \
               f"{draw(small_expressions(depth - 1))})"
    if kind == "call":
        fn = draw(st.sampled_from(["sin", "tanh", "exp", "sigmoid", "log"]))
        return f"{fn}({draw(small_expressions(depth - 1))})"
    return f"({draw(small_expressions(depth - 1))})**{draw(st.sampled_from(['2', '3', '-1']))}"


def assert_legible(state):
    scene = state.scene
    for horizontal in (True, False):
        d = state.drawings[horizontal]
        lay = d.layout
        # The smallest text, as drawn on its screen, is readable (14 px at 1280, 12 px at 390).
        assert min(FONT, BADGE_FONT) * d.scale >= MIN_READABLE[horizontal] - 1e-9
        if horizontal:
            assert d.big == (lay.width > WIDE_ROOM)  # never shrunk: wider than the card, it scrolls
        else:
            shrink = PHONE_ROOM / lay.width
            assert d.big or shrink >= PHONE_MIN_SCALE - 1e-9
            assert not d.fit or lay.height * PHONE_MIN_SCALE <= round(PHONE_MIN_SCALE * FIT_MAX_HEIGHT)
        # Node boxes never overlap, and each holds its caption, its value and its badge.
        for i, a in enumerate(lay.boxes):
            assert all(not a.overlaps(b) for b in lay.boxes[i + 1:])
        for k, box in enumerate(lay.boxes):
            node = scene.order[k]
            assert text_width(scene.captions[k]) <= box.width - 4
            assert text_width(fixed(node.data, 4)) <= box.width - 4
        grads = state.grads()
        for k, g in enumerate(grads):
            if g is not None:
                assert text_width(fixed(g, 4), BADGE_FONT) + BADGE_PAD <= lay.boxes[k].width
        # Every step's label: inside the picture, off every node box, and off its own edge.
        for k, step in enumerate(state.steps):
            label, _ = d.label(k)
            assert label.left >= 0 and label.top >= 0 and label.right <= lay.width and label.bottom <= lay.height
            assert not any(label.overlaps(b) for b in lay.boxes)
            inside = [(x, y) for x, y in edge_samples(lay, scene.edge(step), horizontal, 60)
                      if label.left < x < label.right and label.top < y < label.bottom]
            assert inside == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_expressions())
def test_any_small_graph_is_legible_at_both_widths_at_every_step(text):
    if not re.search(f"[{LETTERS}]", text):
        text += " + a"
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", text, key="Enter"))
    if w.state.error:
        return
    state = w.state
    assert len(state.scene.order) <= 40
    for _ in range(len(state.steps) + 1):
        assert_legible(w.state)
        click(w, "step")
    if len(state.scene.order) <= 12:
        assert not state.drawings[True].big  # up to about 12 nodes the wide drawing fits the card


def test_the_lesson_and_a_typed_graph_are_legible():
    for text in (None, "tanh(a*b + a) / (1 + b*b)", "sin(x*y) + exp(-x*x) * tanh(y + 2*x)"):
        w = typed(text) if text else GraphWidget()
        while True:
            assert_legible(w.state)
            if w.state.player.finished:
                break
            click(w, "step")
    assert not GraphWidget().state.drawings[True].big and GraphWidget().state.drawings[False].fit


def test_a_label_that_finds_no_room_goes_to_a_band_above_the_graph():
    w = GraphWidget()
    d = w.state.drawings[True]
    assert d.band > 0 and min(b.top for b in d.layout.boxes) >= d.band
    in_band = [k for k in range(len(w.state.steps)) if d.label(k)[0].bottom <= d.band]
    assert in_band  # the lesson's s -> z label is one of them: the graph is too tight around it


def test_graph_css_uses_the_geometry_s_fonts_and_floors_the_fitted_drawing():
    css = (ROOT / "static" / "graph.css").read_text(encoding="utf-8")
    (rule,) = re.findall(r"svg\.graph-tall\.graph-fit \{[^}]*max-height: max\([^;]*, (\d+)px\)", css)
    assert int(rule) == round(PHONE_MIN_SCALE * FIT_MAX_HEIGHT)
    sizes = {int(n) for n in re.findall(r"svg\.graph[^{]*\{[^}]*font-size: (\d+)px", css)}
    assert sizes == {FONT, BADGE_FONT}


def test_a_big_drawing_scrolls_and_asks_the_page_to_reveal_each_new_step_once():
    w = typed("sin(x*y) + exp(-x*x) * tanh(y + 2*x)")
    assert w.state.drawings[False].big and w.take_reveal() == []  # nothing is active yet
    (figure,) = find_all(w.render(), lambda e: "graph-figure" in (e.attr("class") or ""))
    assert figure.attr("data-scrollbox") == "" and figure.attr("tabindex") == "0"
    assert "scroll" in shown(w)  # the visible cue
    click(w, "step")
    ids = w.take_reveal()
    assert ids and all(find_all(w.render(), lambda el, i=i: el.attr("id") == i) for i in ids)
    assert w.take_reveal() == []  # once per step: the learner may scroll away meanwhile
    click(w, "step")
    assert w.take_reveal() == ids


def test_the_lesson_drawing_fits_so_nothing_needs_revealing():
    w = GraphWidget()
    click(w, "step")
    assert not any(d.big for d in w.state.drawings.values()) and w.take_reveal() == []


def test_a_drawing_grows_when_a_value_outgrows_its_boxes_and_never_shrinks_back():
    w = typed("exp(x)*1000")
    width = w.state.drawings[True].width
    slide(w, "x", "3")  # 20085.5369: nine characters
    assert w.state.chars > 8 and w.state.drawings[True].width > width
    grown = w.state.drawings[True].width
    slide(w, "x", "0")
    assert w.state.drawings[True].width == grown  # no jumping back and forth while dragging


def test_prose_numbers_equal_what_the_widget_shows():
    """The lesson text's ∂L/∂d, ∂L/∂z, ∂L/∂w and ∂L/∂x are the widget's own read-outs at the defaults."""
    html = (ROOT / "static" / "index.html").read_text(encoding="utf-8")
    w = GraphWidget()
    finish(w)
    for name in ("d", "z", "w", "x"):
        found = re.search(rf"∂<var>L</var>/∂<var>{name}</var>[^≈]*≈ (−?\d+\.\d+)", html)
        assert found, name
        assert found[1] == fixed(grad_of(w, name), 4), name


def test_state_is_a_value_of_its_parts():
    s = initial_state()
    assert replace(s, draft="x") != s and scene_of(s.diagram).names == s.scene.names


def test_the_lesson_s_values_and_slider_ranges_are_stated_once(monkeypatch):
    """diagram.LESSON_VALUES and RANGES are the one place: the lesson's graph, its sliders, the values a link need
    not carry and the typed lesson expression all follow them."""
    from web.dag import diagram

    monkeypatch.setitem(diagram.LESSON_VALUES, "w", 0.7)
    monkeypatch.setitem(diagram.RANGES, "ystar", (0.0, 2.0))
    w = GraphWidget()
    assert w.state.scene.node("w").data == 0.7
    assert [(s.name, s.lo, s.hi) for s in w.state.diagram.sliders][-1] == ("y*", 0.0, 2.0)
    assert w.share_state() == {}
    typed = diagram.expression_diagram(diagram.LESSON_TEXT)
    assert scene_of(typed).node("w").data == 0.7 and typed.sliders == w.state.diagram.sliders
