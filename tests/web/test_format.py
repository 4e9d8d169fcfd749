import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from web.format import MINUS, fixed, parse_number, sci


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(0.4542, 3, "0.454"), (-0.16212, 4, f"{MINUS}0.1621"), (0.0, 4, "0.0000"), (-0.0, 4, "0.0000"),
     (1.0, 2, "1.00"), (math.inf, 4, "∞"), (-math.inf, 4, f"{MINUS}∞"), (math.nan, 4, "NaN"),
     (999_999.0, 4, "999999.0000"), (0.0001, 4, "0.0001"),
     # outside [1e-4, 1e6): scientific notation instead of a wall of digits or a false zero
     (-0.00001, 4, f"{MINUS}1.00×10⁻⁵"), (2.4234e38, 4, "2.42×10³⁸"), (1e6, 4, "1.00×10⁶"),
     (-3.14159e-10, 2, f"{MINUS}3.14×10⁻¹⁰")],
)
def test_fixed(value, digits, text):
    assert fixed(value, digits) == text


def test_sci_takes_its_own_number_of_decimals_and_carries_a_rounded_mantissa():
    assert sci(3.14e-10, 1) == "3.1×10⁻¹⁰"
    assert sci(9.999e5, 2) == "1.00×10⁶"
    assert sci(-0.0, 2) == "0.00×10⁰"


SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def read_back(text: str) -> float:
    """Parse what fixed() wrote, independently of it: m×10ⁿ or a plain decimal, either minus."""
    text = text.replace(MINUS, "-")
    if "×10" in text:
        mantissa, exponent = text.split("×10")
        return float(f"{mantissa}e{exponent.translate(SUPER)}")  # 10.0 ** -324 would underflow
    return float(text)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_any_finite_value_reads_back_close_and_short(value):
    text = fixed(value, 4)
    assert len(text) <= 12, text  # never 40 digits, whatever the magnitude
    back = read_back(text)
    if value == 0 or 1e-4 <= abs(value) < 1e6:
        assert abs(back - value) <= 0.5e-4 + 1e-9 * abs(value)
    else:
        assert abs(back - value) <= 0.006 * abs(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.70", 0.7), (f"{MINUS}1.5", -1.5), (" 2 ", 2.0), ("nan", None), ("inf", None), ("x", None), ("", None)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value
