"""The e2e helpers read numbers the way the page writes them (checked here, in CPython, against web.format)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.e2e.ui import any_minus, number_after, numbers, parse
from web.format import fixed


@given(st.floats(allow_nan=False, min_value=-1e300, max_value=1e300), st.integers(0, 4))
def test_parse_reads_what_the_formatter_writes(value, digits):
    back = parse(fixed(value, digits))
    assert math.isclose(back, value, rel_tol=0.006, abs_tol=0.6 * 10**-digits)


def test_numbers_skip_labels_and_read_scientific_notation():
    assert numbers("∂L/∂w = −0.1621") == [-0.1621]
    assert numbers("L = 2.42×10³⁸, step 3 of 8") == [2.42e38, 3, 8]
    assert number_after("Epoch 12 Loss 0.0123 Accuracy 97%", "Loss") == 0.0123
    with pytest.raises(AssertionError):  # "not computed yet" must not read as the next read-out's number
        number_after("∂L/∂x = — ; ∂L/∂b = −0.1621", "∂L/∂x = ")
    assert math.isinf(parse("−∞")) and parse("−∞") < 0


def test_any_minus_accepts_both_signs_only_where_the_text_has_one():
    pattern = any_minus("L = -0.5")
    assert pattern.match("L = −0.5") and pattern.match("L = -0.5") and not pattern.match("L = 0.5")
