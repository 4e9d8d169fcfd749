import math

import pytest

from web.format import MINUS, fixed, parse_number


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(0.4542, 3, "0.454"), (-0.16212, 4, f"{MINUS}0.1621"), (-0.00001, 4, "0.0000"), (1.0, 2, "1.00"),
     (math.inf, 4, "∞"), (-math.inf, 4, f"{MINUS}∞"), (math.nan, 4, "NaN")],
)
def test_fixed(value, digits, text):
    assert fixed(value, digits) == text


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.70", 0.7), (f"{MINUS}1.5", -1.5), (" 2 ", 2.0), ("nan", None), ("inf", None), ("x", None), ("", None)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value
