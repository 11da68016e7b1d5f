"""excel_round and edate against Excel's documented behaviour (../shared/spec/formulas.md)."""

import math
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.excel_math import edate, excel_round


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (1.005, 2, 1.01),  # binary 1.00499999... but Excel sees 1.005
        (2.675, 2, 2.68),  # Python's round() gives 2.67
        (80.005, 2, 80.01),  # Python's round() gives 80.0
        (-2.5, 0, -3.0),  # half away from zero, not to even
        (2.5, 0, 3.0),
        (0.5, 0, 1.0),
        (1.5, 0, 2.0),
        (-1.005, 2, -1.01),
        (0.125, 2, 0.13),
        (94.995, 2, 95.0),
        (1.004, 2, 1.0),
        (1250.0, -2, 1300.0),
        (-1250.0, -2, -1300.0),
        (1249.0, -2, 1200.0),
        (70.0, 2, 70.0),
        (3, 0, 3.0),
    ],
)
def test_rounds_like_excel(x, digits, expected):
    assert excel_round(x, digits) == expected


def test_default_digits_is_zero():
    assert excel_round(7.5) == 8.0


def test_result_is_float():
    assert isinstance(excel_round(3, 0), float)
    assert isinstance(excel_round(np.float64(0.125), 2), float)


def test_numpy_scalar():
    assert excel_round(np.float64(1.005), 2) == 1.01


def test_no_negative_zero():
    result = excel_round(-0.001, 2)
    assert result == 0.0
    assert math.copysign(1.0, result) == 1.0


def test_missing_and_non_finite_pass_through():
    assert excel_round(None, 2) is None
    assert math.isnan(excel_round(float("nan"), 2))
    assert excel_round(float("inf"), 2) == float("inf")
    assert excel_round(float("-inf"), 0) == float("-inf")


def test_huge_and_tiny_numbers():
    assert excel_round(1e300, 2) == 1e300
    assert excel_round(1e-5, 300) == 1e-5
    assert excel_round(4e-7, 2) == 0.0


@given(
    whole=st.integers(min_value=0, max_value=10**6),
    kept=st.integers(min_value=0, max_value=999),
    digits=st.integers(min_value=0, max_value=3),
    negative=st.booleans(),
)
def test_written_halves_round_away_from_zero(whole, kept, digits, negative):
    # A number written with a 5 just after the kept digits, e.g. 12.345 for 2 digits,
    # rounds up in magnitude to 12.35 whatever its binary value.
    kept_text = str(kept % 10**digits).zfill(digits) if digits else ""
    text = f"{whole}.{kept_text}5"
    expected = Decimal(f"{whole}.{kept_text}" if digits else str(whole)) + Decimal(10) ** -digits
    sign = -1 if negative else 1
    assert excel_round(sign * float(text), digits) == sign * float(expected)


@given(
    x=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    digits=st.integers(min_value=0, max_value=6),
)
def test_close_symmetric_and_idempotent(x, digits):
    once = excel_round(x, digits)
    assert abs(once - x) <= 0.5 * 10**-digits * (1 + 1e-9) + abs(x) * 1e-15
    assert excel_round(-x, digits) == -once
    assert excel_round(once, digits) == once


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), -6, date(2026, 2, 28)),  # clamped to the month's last day
        (date(2024, 8, 31), -6, date(2024, 2, 29)),  # leap year
        (date(2026, 3, 31), -6, date(2025, 9, 30)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
    ],
)
def test_edate(start, months, expected):
    assert edate(start, months) == expected
