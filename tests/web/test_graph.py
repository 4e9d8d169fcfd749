import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value, backward_steps
from web.format import MINUS
from web.graph import FIT_MAX_HEIGHT, MIN_FIT_SCALE, Diagram, GraphWidget, Player, Slider
from web.layout import Box
from web.tree import find_all, text_of
from web.widget import UIEvent

FRAME = 1000 / 60


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


def run(widget, start, ms):
    """Feed frames at 60 Hz from `start` for `ms` milliseconds; returns the time reached."""
    t = start
    while t < start + ms:
        widget.frame(t)
        t += FRAME
    return t


def test_defaults_read_as_the_contract_says():
    w = GraphWidget()
    assert readouts(w) == ["L = 0.1256", "∂L/∂w = 0.0000", "∂L/∂x = 0.0000", "∂L/∂b = 0.0000"]
    want = expected(0.5, 1.0, 0.1, 1.0)
    text = shown(w)
    for name in ("p", "z", "s", "d"):
        assert num(want[name]) in text
    sliders = find_all(w.render(), lambda e: e.tag == "input" and e.attr("type") == "range")
    labels = {e.attr("for"): text_of(e) for e in find_all(w.render(), lambda e: e.tag == "label")}
    got = [(labels[s.attr("id")], s.attr("min"), s.attr("max"), s.attr("step"), s.attr("value")) for s in sliders]
    assert got == [("w", "-3", "3", "0.01", "0.50"), ("x", "-3", "3", "0.01", "1.00"),
                   ("b", "-3", "3", "0.01", "0.10"), ("y*", "0", "1", "0.01", "1.00")]
    buttons = [text_of(b) for b in find_all(w.render(), lambda e: e.tag == "button")]
    assert buttons == ["Apply", "Animate backward pass", "Step", "Reset", "Show code",
                       "Check with finite differences"]


def test_stepping_through_every_edge_gives_the_contract_gradients():
    w = GraphWidget()
    n = len(backward_steps(w.diagram.root))
    assert n == len(w.edges) == 8
    for _ in range(n):
        click(w, "step")
    assert readouts(w) == ["L = 0.1256", "∂L/∂w = -0.1621", "∂L/∂x = -0.0811", "∂L/∂b = -0.1621"]


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3), st.floats(-3, 3), st.floats(0, 1))
def test_forward_values_and_gradients_match_the_closed_form(wv, xv, bv, yv):
    w = GraphWidget()
    for name, value in zip(("w", "x", "b", "y*"), (wv, xv, bv, yv), strict=True):
        slide(w, name, value)
    vals = [w.by_name[name].data for name in ("w", "x", "b", "y*")]
    # snapped to the sliders' grid (a value halfway between two marks may go either way)
    assert all(val == round(val, 2) and abs(val - v) <= 0.005 + 1e-12 for val, v in zip(vals, (wv, xv, bv, yv),
                                                                                      strict=True))
    want = expected(*vals)
    assert w.diagram.root.data == pytest.approx(want["L"], abs=1e-12)
    while w.player.step():
        pass
    grads = w.grads()
    for name in ("w", "x", "b", "y*", "d"):
        assert grads[w.index[id(w.by_name[name])]] == pytest.approx(want[name] if name != "d" else 2 * want["d"],
                                                                    abs=1e-12)
    assert readouts(w)[0] == f"L = {num(want['L'])}"


def test_badges_accumulate_one_edge_per_step():
    w = GraphWidget()
    steps = backward_steps(w.diagram.root)
    badges = lambda: len(find_all(w.render_svg(True), lambda e: e.attr("class") == "badge"))  # noqa: E731
    assert badges() == 0
    seen = []
    for k, step in enumerate(steps):
        click(w, "step")
        assert w.player.applied == k + 1
        assert w.steps[w.player.active] == step  # the engine's own order
        seen.append(badges())
    assert seen == list(range(2, len(steps) + 2))  # root seeded on the first step, then one new node per edge


def test_the_active_edge_is_labelled_with_its_local_derivative():
    w = GraphWidget()
    for _ in range(7):  # the seventh edge is p -> w
        click(w, "step")
    wide, tall = w.render_svg(True), w.render_svg(False)
    assert text_of(find_all(wide, lambda e: e.attr("class") == "edge-label")[0]) == "∂p/∂w= x= 1.0000"
    assert text_of(find_all(tall, lambda e: e.attr("class") == "edge-label")[0]) == "∂p/∂w = x= 1.0000"
    assert len(find_all(wide, lambda e: e.attr("class") == "edge active")) == 1


def test_the_explanation_states_the_step_with_numbers():
    w = GraphWidget()
    for _ in range(4):  # s -> z
        click(w, "step")
    message = w.message().replace(MINUS, "-")
    assert "∂L/∂s = -0.7087; local ∂s/∂z = s(1 - s) = 0.2288; so ∂L/∂z += -0.7087 × 0.2288 = -0.1621" in message
    live = find_all(w.render(), lambda e: e.attr("aria-live") == "polite")
    assert [text_of(e) for e in live] == [w.message()]


def label_boxes(svg):
    out = []
    for g in find_all(svg, lambda e: e.attr("class") == "edge-label"):
        r = g.children[0]
        x, y, wd, ht = (float(r.attr(k)) for k in ("x", "y", "width", "height"))
        out.append(Box(x + wd / 2, y + ht / 2, wd, ht))
    return out


@pytest.mark.parametrize("horizontal", [True, False])
def test_edge_labels_stay_inside_the_picture_and_off_the_boxes(horizontal):
    w = GraphWidget()
    lay = w.layouts[horizontal]
    while w.player.step():
        (label,) = label_boxes(w.render_svg(horizontal))
        assert label.left >= 0 and label.right <= lay.width and label.top >= 0 and label.bottom <= lay.height
        assert not any(label.overlaps(box) for box in lay.boxes)


# --- the player, with a fake clock ---

def test_play_lands_every_step_in_order_and_takes_about_five_seconds():
    p = Player(8)
    p.play()
    assert p.playing and p.active == 0 and p.applied == 0
    t, changes, last = 1000.0, 0, p.active
    while p.playing:
        p.frame(t)
        if p.active != last:
            changes, last = changes + 1, p.active
        t += FRAME
    assert p.applied == 8 and p.active is None and p.finished
    assert changes == 8  # 0 -> 1 -> ... -> 7 -> None: one change per edge
    assert 4000 <= t - 1000 <= 6000


def test_step_during_play_lands_the_edge_in_flight_and_pauses():
    p = Player(8)
    p.play()
    p.frame(0.0)
    p.frame(p.step_ms * 2.5)  # two landed, the third in flight
    assert (p.applied, p.active) == (2, 2)
    assert p.step()
    assert not p.playing and (p.applied, p.active) == (3, 2)
    p.frame(p.step_ms * 10)  # paused: time passes, nothing moves
    assert p.applied == 3
    assert p.step() and p.applied == 4


def test_animate_toggles_pause_and_resumes_where_it_stopped():
    p = Player(8)
    p.play()
    p.frame(0.0)
    p.frame(p.step_ms * 1.5)
    p.play()  # pause
    assert not p.playing and p.applied == 1 and p.active == 1
    p.play()  # resume: the edge in flight starts over
    p.frame(5000.0)
    assert p.applied == 1 and p.progress == 0.0
    p.frame(5000.0 + p.step_ms)
    assert p.applied == 2


def test_step_after_the_end_does_nothing_and_play_starts_over():
    p = Player(2)
    assert p.step() and p.step()
    assert not p.step() and p.applied == 2
    p.play()
    assert p.playing and p.applied == 0


def test_reduced_motion_jumps_whole_steps_without_progress():
    p = Player(3, eager=True)
    p.play()
    assert p.applied == 1 and p.active == 0  # the first edge lands at once
    p.frame(0.0)
    p.frame(p.step_ms * 0.5)
    assert p.applied == 1
    p.frame(p.step_ms)
    assert p.applied == 2 and p.active == 1
    p.frame(p.step_ms * 3)
    assert p.finished and not p.playing and p.active is None


# --- the widget's state machine ---

def test_widget_animation_runs_from_frames_and_ends_with_the_gradients():
    w = GraphWidget()
    click(w, "animate")
    assert w.wants_frame
    pulses = []
    t = 0.0
    messages = [w.message()]
    while w.wants_frame:
        w.frame(t)
        pulses += find_all(w.render_svg(True), lambda e: e.attr("class") == "pulse")
        if w.message() != messages[-1]:
            messages.append(w.message())
        t += FRAME
    assert len(messages) == 9  # one per edge, then the summary: never one per frame
    assert pulses  # with motion, a dot travels along the edge
    assert readouts(w)[1:] == ["∂L/∂w = -0.1621", "∂L/∂x = -0.0811", "∂L/∂b = -0.1621"]


def test_reduced_motion_never_draws_the_travelling_dot():
    w = GraphWidget()
    w.reduced_motion = True
    click(w, "animate")
    t = run(w, 0.0, 200)
    assert w.player.applied == 1
    assert not find_all(w.render(), lambda e: e.attr("class") == "pulse")
    run(w, t, 6000)
    assert not w.wants_frame and w.player.finished


def test_a_slider_during_the_animation_cancels_it_cleanly():
    w = GraphWidget()
    click(w, "animate")
    run(w, 0.0, 2000)
    assert w.player.applied >= 2
    slide(w, "w", 1.5)
    assert not w.wants_frame and w.player.applied == 0 and w.player.active is None
    assert not find_all(w.render(), lambda e: e.attr("class") in ("badge", "edge-label", "pulse", "edge active"))
    assert readouts(w)[1:] == ["∂L/∂w = 0.0000", "∂L/∂x = 0.0000", "∂L/∂b = 0.0000"]
    assert "cancel" in w.message() or "stopped" in w.message()
    # a fresh pass uses the new values
    while w.player.step():
        pass
    want = expected(1.5, 1.0, 0.1, 1.0)
    assert readouts(w)[1] == f"∂L/∂w = {num(want['w'])}"


def test_after_a_completed_pass_sliders_keep_the_gradients_live():
    w = GraphWidget()
    while w.player.step():
        pass
    message = None
    for value in (-2.0, 0.37, 2.5):
        slide(w, "x", value)
        want = expected(0.5, value, 0.1, 1.0)
        assert readouts(w) == [f"L = {num(want['L'])}", f"∂L/∂w = {num(want['w'])}",
                               f"∂L/∂x = {num(want['x'])}", f"∂L/∂b = {num(want['b'])}"]
        # the live region says so once, not on every slider move
        assert message in (None, w.message())
        message = w.message()


def test_reset_clears_badges_and_readouts():
    w = GraphWidget()
    click(w, "animate")
    run(w, 0.0, 1500)
    click(w, "step")
    click(w, "reset")
    assert not w.wants_frame and not w.player.started
    assert not find_all(w.render(), lambda e: e.attr("class") == "badge")
    assert readouts(w)[1:] == ["∂L/∂w = 0.0000", "∂L/∂x = 0.0000", "∂L/∂b = 0.0000"]


def test_bad_slider_values_are_ignored_and_out_of_range_ones_clamped():
    w = GraphWidget()
    for bad in ("", "abc", "nan", "inf"):
        slide(w, "b", bad)
    assert w.by_name["b"].data == 0.1
    slide(w, "y*", "7")
    assert w.by_name["y*"].data == 1.0
    slide(w, "w", "-9")
    assert w.by_name["w"].data == -3.0


def test_prerender_disables_controls_and_uses_no_style_attributes():
    w = GraphWidget()
    tree = w.render(ready=False)
    controls = find_all(tree, lambda e: e.tag in ("input", "button"))
    assert len(controls) == 11 and all(c.attr("disabled") == "" for c in controls)
    assert not find_all(tree, lambda e: e.attr("style") is not None)
    for svg in find_all(tree, lambda e: e.tag == "svg"):
        kinds = [c.tag for c in svg.children[:2]]
        assert kinds == ["title", "desc"] and svg.attr("role") == "img"
    assert not find_all(w.render(), lambda e: e.attr("disabled") is not None)


def test_any_engine_graph_can_be_shown_including_a_value_used_twice():
    x = Value(3.0, label="x")
    y = x * x
    c = y + 2
    w = GraphWidget(Diagram(root=c, names={id(x): "x", id(y): "y", id(c): "c"},
                            sliders=(Slider("x", -5, 5, 0.5),), readouts=("x",), title="c = x·x + 2"))
    edges = find_all(w.render_svg(True), lambda e: e.tag == "path" and "edge" in (e.attr("class") or ""))
    # x -> y twice (two distinct curves), y -> c, and the constant 2 -> c
    assert len(edges) == 4 and len({e.attr("d") for e in edges}) == 4
    assert "y = x·x" in shown(w) and "c = y + 2" in shown(w)
    while w.player.step():
        pass
    assert readouts(w) == ["c = 11.0000", "∂c/∂x = 6.0000"]  # the two paths add up: 2x
    slide(w, "x", "-1.2")
    assert w.by_name["x"].data == -1.0  # snapped to the slider's 0.5 grid
    assert readouts(w) == ["c = 3.0000", "∂c/∂x = -2.0000"]


def test_share_state_round_trips_slider_values_and_refuses_the_rest():
    w = GraphWidget()
    assert w.share_state() == {}
    slide(w, "x", "-1.25")
    slide(w, "y*", "0.3")
    fields = w.share_state()
    assert fields == {"x": "-1.25", "ystar": "0.30"}  # a link's field names are identifiers: y* is ystar
    fresh = GraphWidget()
    assert fresh.restore_state({**fields, "w": "9", "q": "1", "b": "oops"}) == [
        "ignored graph.w='9'", "ignored graph.q='1'", "ignored graph.b='oops'"]
    assert readouts(fresh) == readouts(w)


def classes(el) -> set[str]:
    return set((el.attr("class") or "").split())


def test_sliders_and_buttons_share_one_strip_sized_by_its_rows():
    """The phone keeps this strip on screen; graph.css sizes it (and the room under it) by graph-rows-N."""
    w = GraphWidget()
    tree = w.render()
    (strip,) = find_all(tree, lambda e: "graph-strip" in classes(e))
    inside = find_all(strip, lambda e: e.tag in ("input", "button"))
    assert [c.attr("type") for c in inside] == ["range"] * 4 + ["button"] * 3
    assert [text_of(b) for b in inside[4:]] == ["Animate backward pass", "Step", "Reset"]
    assert "graph-rows-2" in classes(tree)
    for text, rows in (("x*y", 1), ("a*b + c", 2), ("a*b + c*d - e", 3)):
        assert w.apply(text)
        assert f"graph-rows-{rows}" in classes(w.render())


def test_the_phone_drawing_fits_the_screen_only_while_its_text_stays_legible():
    w = GraphWidget()
    tall, wide = w.render_svg(False), w.render_svg(True)
    assert "graph-fit" in classes(tall) and "graph-fit" not in classes(wide)
    # A long chain is taller than FIT_MAX_HEIGHT: shrinking it to the screen would make its text too small.
    assert w.apply("sin(sin(sin(sin(sin(sin(x))))))")
    assert w.layouts[False].height > FIT_MAX_HEIGHT
    assert "graph-fit" not in classes(w.render_svg(False))
    # A wide drawing already has its own readable scale and scrolls sideways.
    assert w.apply("sin(x*y) + exp(-x*x) * tanh(y + 2*x)")
    assert w.is_big(False) and "graph-fit" not in classes(w.render_svg(False))


def test_graph_css_floors_the_fitted_drawing_at_the_smallest_legible_scale():
    css = (Path(__file__).resolve().parents[2] / "static" / "graph.css").read_text(encoding="utf-8")
    (rule,) = re.findall(r"svg\.graph-tall\.graph-fit \{[^}]*max-height: max\([^;]*, (\d+)px\)", css)
    assert int(rule) == round(MIN_FIT_SCALE * FIT_MAX_HEIGHT)
    assert MIN_FIT_SCALE * 14 >= 11  # the smallest text in the drawing is the 14px badge


def test_a_wide_drawing_asks_the_page_to_reveal_each_new_step_once():
    w = GraphWidget()
    w.handle(UIEvent("key", "expr", "sin(x*y) + exp(-x*x) * tanh(y + 2*x)", key="Enter"))
    assert w.is_big(False) and w.take_reveal() == []  # nothing is active yet
    click(w, "step")
    ids = w.take_reveal()
    assert ids and all(find_all(w.render(), lambda el, i=i: el.attr("id") == i) for i in ids)
    assert w.take_reveal() == []  # once per step: the learner may scroll away meanwhile
    click(w, "step")
    assert w.take_reveal() == ids


def test_the_lesson_drawing_fits_so_nothing_needs_revealing():
    w = GraphWidget()
    click(w, "step")
    assert not (w.is_big(True) or w.is_big(False)) and w.take_reveal() == []
