"""Gradient descent on θ² as a learner uses it: the slider and the two read-outs the lesson text quotes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.ui import section

NAME = "Descent on θ²"


@pytest.mark.parametrize(("eta", "factor", "last", "diverges"), [
    ("0.1", "1 − 2η = 0.80", "After 10 steps θ = 0.1074", False),
    ("0.5", "1 − 2η = 0.00", "After 10 steps θ = 0.0000", False),
    ("0.75", "1 − 2η = −0.50", "After 10 steps θ = 0.0010", False),
    ("1.1", "1 − 2η = −1.20", "After 10 steps θ = 6.1917", True),
])
def test_the_read_outs_follow_the_learning_rate(lesson, eta, factor, last, diverges):
    page, log = lesson
    widget = section(page, NAME)
    widget.get_by_role("slider", name="Learning rate η", exact=True).fill(eta)
    expect(widget.locator(".descent-last")).to_have_text(last)
    shown = widget.evaluate("""w => [w.querySelector('.descent-factor').textContent,
        w.querySelector('.descent-last').textContent, !!w.querySelector('.diverges')]""")
    assert shown == [factor, last, diverges]
    log.assert_clean()
