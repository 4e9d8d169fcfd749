"""Gradient descent on L = θ²: the read-outs the lesson text quotes, the iterates, and when they leave the plot."""

from __future__ import annotations

import pytest

from web.descent import ETA_DEFAULT, DescentWidget, iterates, read_eta
from web.tree import find_all, text_of
from web.widget import UIEvent


def readouts(w: DescentWidget) -> tuple[str, str]:
    outputs = [text_of(o) for o in find_all(w.render(), lambda el: el.tag == "output")]
    return outputs[1], outputs[2]  # after the slider's own value


@pytest.mark.parametrize(("eta", "factor", "last"), [
    ("0.1", "1 − 2η = 0.80", "After 10 steps θ = 0.1074"),
    ("0.5", "1 − 2η = 0.00", "After 10 steps θ = 0.0000"),
    ("0.75", "1 − 2η = −0.50", "After 10 steps θ = 0.0010"),
    ("1", "1 − 2η = −1.00", "After 10 steps θ = 1.0000"),
    ("1.1", "1 − 2η = −1.20", "After 10 steps θ = 6.1917"),
])
def test_the_read_outs_at_the_learning_rates_the_text_names(eta, factor, last):
    w = DescentWidget()
    w.handle(UIEvent("input", "eta", eta))
    assert readouts(w) == (factor, last)


def test_each_step_multiplies_theta_by_one_minus_two_eta():
    for eta in (0.1, 0.3, 0.75, 1.0, 1.2):
        thetas = iterates(eta)
        assert len(thetas) == 11 and thetas[0] == 1.0
        for k, theta in enumerate(thetas):
            assert theta == pytest.approx((1 - 2 * eta) ** k, rel=1e-12, abs=1e-15)


def test_the_sign_flips_between_a_half_and_one_and_past_one_the_iterates_leave_with_an_arrow():
    w = DescentWidget()
    w.handle(UIEvent("input", "eta", "0.75"))
    signs = [t > 0 for t in iterates(0.75)]
    assert signs == [k % 2 == 0 for k in range(11)]
    assert "diverges" not in text_of(w.render()).split("θ from step")[0]
    assert not find_all(w.render(), lambda el: el.attr("class") == "arrow")
    w.handle(UIEvent("input", "eta", "1.05"))
    assert find_all(w.render(), lambda el: el.attr("class") == "arrow")
    assert "diverges" in [text_of(t) for t in find_all(w.render(), lambda el: el.tag == "text")]
    w.handle(UIEvent("input", "eta", "1"))
    assert not find_all(w.render(), lambda el: el.attr("class") == "arrow")  # at 1 it stays on the plot


def test_eta_is_a_plain_decimal_on_the_sliders_steps():
    assert [read_eta(t) for t in ("0", "0.05", "1.2", " 0.35 ")] == [0.0, 0.05, 1.2, 0.35]
    for text in ("0.33", "1.25", "-0.05", "٠.٥", "0_5", "inf", "nan", "1e0", ""):
        assert read_eta(text) is None, text
    w = DescentWidget()
    w.handle(UIEvent("input", "eta", "0.33"))
    assert w.state.eta == ETA_DEFAULT
    assert w.restore_state({"eta": "0.75"}) == [] and w.share_state() == {"eta": "0.75"}
    assert w.restore_state({"eta": "0.33"}) == ["ignored descent.eta='0.33'"] and w.state.eta == ETA_DEFAULT
