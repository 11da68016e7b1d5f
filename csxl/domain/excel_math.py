"""Python twins of the few Excel functions whose results csxl must reproduce exactly.

See ../shared/spec/formulas.md ("Writing formulas with openpyxl"): Python's ``round`` rounds
half to even on the binary value, Excel's ROUND rounds half away from zero on the decimal
value the user sees, so ``round(2.675, 2) == 2.67`` but ``ROUND(2.675, 2) = 2.68``.
"""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import overload


@overload
def excel_round(x: None, digits: int = 0) -> None: ...
@overload
def excel_round(x: float, digits: int = 0) -> float: ...
def excel_round(x: float | None, digits: int = 0) -> float | None:
    """Excel ``ROUND(x, digits)``: half away from zero, on the shortest decimal form of x.

    ``excel_round(1.005, 2) == 1.01``, ``excel_round(-2.5) == -3.0``; negative ``digits``
    round to tens, hundreds ... like Excel. None, NaN and infinities are returned unchanged.
    """
    if x is None:
        return None
    value = float(x)  # numpy scalars: repr(np.float64(1.5)) is not a plain number in numpy 2
    if not math.isfinite(value):
        return value
    # ROUND_HALF_UP in decimal means half away from zero, for negative numbers too.
    exact = Decimal(repr(value))
    if exact.as_tuple().exponent >= -digits:
        return value + 0.0  # nothing beyond `digits`; also keeps 1e300 out of quantize's limits
    quantum = Decimal(1).scaleb(-digits)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0  # + 0.0 turns -0.0 into 0.0; Excel has no negative zero


def edate(start: date, months: int) -> date:
    """Excel ``EDATE(start, months)``: same day of the month, clamped to the month's last day.

    ``edate(date(2026, 8, 31), -6) == date(2026, 2, 28)``.
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


_EPOCH = datetime(1899, 12, 30)  # Excel's day 0, so that 1900-03-01 onwards is exact


def excel_serial(value: date | datetime) -> float | int:
    """Excel's serial number of a date (an int) or a date-time (days plus a day fraction)."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return (value - _EPOCH.date()).days


def from_serial(serial: float) -> datetime:
    """The date-time of an Excel serial number, rounded to the second."""
    return _EPOCH + timedelta(seconds=round(serial * 86400))
