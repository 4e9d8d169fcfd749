import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from web.chain import HEIGHT, WIDTH, ChainWidget, clamp_x, evaluate
from web.format import MINUS
from web.tree import find_all, text_of
from web.widget import UIEvent


def expected(x):
    """The chain f(g(h(x))) and its local derivatives, by hand, for comparison with the engine."""
    u = x * x
    v = math.tanh(u)
    f = v * v
    return {"u": u, "v": v, "f": f, "dh": 2 * x, "dg": 1 - v * v, "df": 2 * v, "dfdx": 2 * v * (1 - v * v) * 2 * x}


def shown(widget):
    return text_of(widget.render()).replace(MINUS, "-")


def test_defaults_read_as_the_contract_says():
    text = shown(ChainWidget())
    for piece in ["h(0.70) = 0.490", "g(0.49) = 0.454", "f(0.45) = 0.206",
                  "f'(v)2v0.9084", "g'(u)1 - tanh²(u)0.7937", "h'(x)2x1.4000", "df/dx", "1.0094"]:
        assert piece in text


@given(st.floats(-2, 2))
def test_engine_values_match_the_closed_form(x):
    p = evaluate(x)
    want = expected(x)
    for name, value in want.items():
        assert getattr(p, name) == pytest.approx(value, abs=1e-12)
    # the product of the local derivatives is the chain rule's df/dx
    assert p.df * p.dg * p.dh == pytest.approx(p.dfdx, abs=1e-12)


def test_slider_events_move_x_and_bad_input_is_ignored():
    w = ChainWidget()
    w.handle(UIEvent("input", "x", "1.234"))
    assert w.x == 1.23
    for bad in ["", "abc", "nan", "inf"]:
        w.handle(UIEvent("input", "x", bad))
        assert w.x == 1.23
    w.handle(UIEvent("input", "x", "7"))
    assert w.x == 2.0
    w.handle(UIEvent("input", "x", "-7"))
    assert w.x == -2.0
    w.handle(UIEvent("click", "x", "0.5"))  # a click on the slider is not a value change
    assert w.x == -2.0


def test_clamp_snaps_to_the_slider_grid():
    assert clamp_x(0.705) in (0.7, 0.71)
    assert clamp_x(-0.0001) == 0.0


def test_prerender_disables_the_slider_and_live_render_enables_it():
    w = ChainWidget()
    (slider,) = find_all(w.render(ready=False), lambda e: e.tag == "input")
    assert slider.attr("disabled") == ""
    (slider,) = find_all(w.render(), lambda e: e.tag == "input")
    assert slider.attr("disabled") is None
    assert (slider.attr("min"), slider.attr("max"), slider.attr("step"), slider.attr("value")) == (
        "-2", "2", "0.01", "0.70")


def markers(widget):
    return [(float(c.attr("cx")), float(c.attr("cy"))) for c in find_all(widget.render(), lambda e: e.tag == "circle")]


def test_points_move_in_lockstep_and_stay_inside_the_plots():
    w = ChainWidget()
    before = markers(w)
    w.handle(UIEvent("input", "x", "1.50"))
    after = markers(w)
    assert len(before) == len(after) == 3
    assert all(a != b for a, b in zip(before, after, strict=True))
    for cx, cy in after:
        assert 0 <= cx <= WIDTH and 0 <= cy <= HEIGHT


def test_tangent_slope_on_screen_is_the_local_derivative():
    w = ChainWidget(x=0.7)
    tangent = find_all(w.render(), lambda e: e.attr("class") == "tangent")[0]
    (x0, y0), (x1, y1) = [tuple(map(float, part.split(","))) for part in tangent.attr("d")[1:].split("L")]
    # plot 1 maps x in [-2, 2] and u in [0, 4]: convert the pixel slope back to data units
    from web.chain import BOTTOM, LEFT, RIGHT, TOP
    px_per_x = (WIDTH - RIGHT - LEFT) / 4
    px_per_u = (HEIGHT - BOTTOM - TOP) / 4
    slope = -(y1 - y0) / px_per_u / ((x1 - x0) / px_per_x)
    assert slope == pytest.approx(1.4, abs=0.01)
