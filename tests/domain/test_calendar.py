"""Working days and business-hours clocks on the real 2026 China calendar.

Every expected value below is worked out by hand from the State Council notice
国办发明电〔2025〕7号 (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04):
  春节 2月15日(周日)至23日(周一)放假调休, 共9天; 2月14日(周六)、2月28日(周六)上班.
  中秋节 9月25日(周五)至27日(周日)放假, 共3天.
  国庆节 10月1日(周四)至7日(周三)放假调休, 共7天; 9月20日(周日)、10月10日(周六)上班.
The `official_2026` fixture checks that chinese-calendar agrees on every date relied on, so a
wrong package data file fails loudly instead of silently moving the expectations.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from csxl.domain.calendar import OpeningHours, WorkCalendar

SPRING_FESTIVAL = [date(2026, 2, d) for d in range(15, 24)]  # Sun 15 .. Mon 23
MID_AUTUMN = [date(2026, 9, d) for d in (25, 26, 27)]  # Fri .. Sun
NATIONAL_DAY = [date(2026, 10, d) for d in range(1, 8)]  # Thu 1 .. Wed 7
MAKE_UP_DAYS = [date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)]
# Ordinary days the hand-worked cases also step over.
ORDINARY_WORKDAYS = [
    date(2026, 2, 13),  # Fri
    *(date(2026, 2, d) for d in (24, 25, 26, 27)),  # Tue-Fri after the festival
    *(date(2026, 3, d) for d in (2, 3, 4, 5, 6, 9)),
    *(date(2026, 9, d) for d in (18, 21, 22, 23, 24, 28, 29, 30)),
    date(2026, 10, 8),
    date(2026, 10, 9),
    date(2026, 10, 12),
]
ORDINARY_WEEKENDS = [
    date(2026, 3, 1),  # the Sunday after make-up Saturday Feb 28 is an ordinary rest day
    date(2026, 3, 7),
    date(2026, 3, 8),
    date(2026, 9, 19),  # the Saturday before make-up Sunday Sep 20
    date(2026, 10, 11),  # the Sunday after make-up Saturday Oct 10
]


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def series(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)))


HOURS_9_24 = OpeningHours.daily("09:00", "24:00")  # online service, working days only


@pytest.fixture(scope="module", autouse=True)
def official_2026() -> None:
    """chinese-calendar must match the State Council notice on every date used below."""
    for d in SPRING_FESTIVAL + MID_AUTUMN + NATIONAL_DAY + ORDINARY_WEEKENDS:
        assert not chinese_calendar.is_workday(d), d
    for d in MAKE_UP_DAYS + ORDINARY_WORKDAYS:
        assert chinese_calendar.is_workday(d), d
    # The weekdays the notice states, so the cases below describe the days correctly.
    assert [d.weekday() for d in MAKE_UP_DAYS] == [5, 5, 6, 5]
    assert date(2026, 2, 15).weekday() == 6 and date(2026, 2, 23).weekday() == 0
    assert date(2026, 10, 1).weekday() == 3 and date(2026, 10, 7).weekday() == 2
    assert date(2026, 9, 30).weekday() == 2
    with pytest.raises(NotImplementedError):  # the fallback tests rely on 2027 being unknown
        chinese_calendar.is_workday(date(2027, 3, 1))


# -- working days --------------------------------------------------------------------------


@pytest.mark.parametrize("d", SPRING_FESTIVAL + MID_AUTUMN + NATIONAL_DAY + ORDINARY_WEEKENDS)
def test_holidays_and_weekends_are_not_workdays(d: date) -> None:
    assert WorkCalendar().is_workday(d) is False


@pytest.mark.parametrize("d", MAKE_UP_DAYS + ORDINARY_WORKDAYS)
def test_make_up_days_and_weekdays_are_workdays(d: date) -> None:
    assert WorkCalendar().is_workday(d) is True


def test_is_workday_accepts_datetimes_and_timestamps() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(datetime(2026, 9, 20, 15, 30)) is True  # make-up Sunday
    assert calendar.is_workday(ts("2026-10-03 08:00")) is False


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Wed Sep 30 is day 0; Oct 1-7 off; Oct 8 = 1, Oct 9 = 2, Sat Oct 10 (make-up) = 3.
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        # Back from Sat Oct 10: Oct 9 = 1, Oct 8 = 2, the holiday week skipped, Sep 30 = 3.
        (date(2026, 10, 10), -3, date(2026, 9, 30)),
        # From a holiday: Oct 4 is day 0; the previous working day is Sep 30.
        (date(2026, 10, 4), -1, date(2026, 9, 30)),
        (date(2026, 10, 4), 1, date(2026, 10, 8)),
        # Fri Sep 18: Sat Sep 19 off, Sun Sep 20 make-up = 1, Mon Sep 21 = 2.
        (date(2026, 9, 18), 2, date(2026, 9, 21)),
        # Day 0 is the day itself, whatever kind of day it is.
        (date(2026, 2, 18), 0, date(2026, 2, 18)),
        # Fri Feb 13: Sat Feb 14 (make-up) = 1, Feb 15-23 off, Tue Feb 24 = 2.
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        # Fri Feb 27: Sat Feb 28 (make-up) = 1, Sun Mar 1 off, Mon Mar 2 = 2.
        (date(2026, 2, 27), 2, date(2026, 3, 2)),
    ],
)
def test_add_workdays(start: date, n: int, expected: date) -> None:
    assert WorkCalendar().add_workdays(start, n) == expected


# -- "N working days" deadlines (dept_sla, 产品优化 3 working days) ------------------------


@pytest.mark.parametrize(
    ("sent", "deadline"),
    [
        # The 产品优化 case: Wed Sep 30 is day 0; Oct 8 = 1, Oct 9 = 2, Sat Oct 10 (make-up)
        # = 3, so due by the end of Oct 10, i.e. 2026-10-11 00:00.
        ("2026-09-30 16:45:00", "2026-10-11 00:00:00"),
        # Sent on a holiday (Sat Oct 3): same three working days Oct 8, 9, 10.
        ("2026-10-03 11:00:00", "2026-10-11 00:00:00"),
        # Sent on the last holiday (Wed Oct 7): Oct 8, 9, 10.
        ("2026-10-07 23:59:59", "2026-10-11 00:00:00"),
        # Sent during the Spring Festival (Wed Feb 18): Feb 24, 25, 26.
        ("2026-02-18 09:00:00", "2026-02-27 00:00:00"),
        # Sent on make-up Saturday Feb 14 (day 0): Feb 15-23 off; Feb 24, 25, 26.
        ("2026-02-14 10:30:00", "2026-02-27 00:00:00"),
        # Sent on make-up Saturday Feb 28: Sun Mar 1 off; Mar 2, 3, 4.
        ("2026-02-28 18:00:00", "2026-03-05 00:00:00"),
        # Sent on make-up Sunday Sep 20: Sep 21, 22, 23.
        ("2026-09-20 08:00:00", "2026-09-24 00:00:00"),
        # Sent Fri Sep 18: Sat off, Sun Sep 20 (make-up) = 1, Sep 21 = 2, Sep 22 = 3.
        ("2026-09-18 17:00:00", "2026-09-23 00:00:00"),
        # Sent Thu Sep 24: Mid-Autumn Sep 25-27 off; Sep 28, 29, 30 -> due before National Day.
        ("2026-09-24 12:00:00", "2026-10-01 00:00:00"),
        # Sent at the very start of a day: still day 0.
        ("2026-03-02 00:00:00", "2026-03-06 00:00:00"),
    ],
)
def test_workday_deadline(sent: str, deadline: str) -> None:
    result = WorkCalendar().workday_deadline(series(sent), 3)
    assert result.iloc[0] == ts(deadline)


def test_workday_deadline_limit_is_inclusive_at_24_00() -> None:
    sent = series("2026-09-30 16:45:00", "2026-09-30 16:45:00", "2026-09-30 16:45:00")
    done = series("2026-10-10 23:59:59", "2026-10-11 00:00:00", "2026-10-11 00:00:01")
    met = done <= WorkCalendar().workday_deadline(sent, 3)
    assert met.tolist() == [True, True, False]


def test_workday_deadline_keeps_index_nat_and_dtype() -> None:
    sent = pd.Series(
        pd.to_datetime(["2026-09-30 10:00", None, "2026-02-14 10:00"]), index=[7, 3, 9]
    )
    result = WorkCalendar().workday_deadline(sent, 3)
    assert list(result.index) == [7, 3, 9]
    assert pd.api.types.is_datetime64_dtype(result.dtype)
    assert result.loc[7] == ts("2026-10-11")
    assert pd.isna(result.loc[3])
    assert result.loc[9] == ts("2026-02-27")


def test_workday_deadline_zero_days_is_end_of_sending_day() -> None:
    result = WorkCalendar().workday_deadline(series("2026-10-03 11:00"), 0)
    assert result.iloc[0] == ts("2026-10-04 00:00")


def test_workday_deadline_all_missing() -> None:
    result = WorkCalendar().workday_deadline(pd.Series([pd.NaT, pd.NaT]), 3)
    assert result.isna().all() and len(result) == 2


def test_workday_deadline_rejects_negative_days() -> None:
    with pytest.raises(ValueError):
        WorkCalendar().workday_deadline(series("2026-09-30"), -1)


def test_workday_deadline_looks_each_date_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[date] = []
    real = chinese_calendar.is_workday

    def counting(d: date) -> bool:
        seen.append(d)
        return real(d)

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    sent = pd.Series(pd.to_datetime(["2026-09-30 10:00", "2026-09-30 17:00"] * 5_000))
    result = WorkCalendar().workday_deadline(sent, 3)
    assert (result == ts("2026-10-11")).all()
    # Oct 1 .. Oct 10: ten dates, each asked once although 10,000 rows share them.
    assert sorted(seen) == [date(2026, 10, d) for d in range(1, 11)]


# -- the Holidays sheet and years chinese-calendar does not know --------------------------


def test_extra_holidays_and_workdays_override_the_official_calendar() -> None:
    calendar = WorkCalendar(
        extra_holidays=[date(2026, 10, 9)],  # a local day off on an official working day
        extra_workdays=[date(2026, 10, 3)],  # a local working day inside National Day
    )
    assert calendar.is_workday(date(2026, 10, 9)) is False
    assert calendar.is_workday(date(2026, 10, 3)) is True
    # From Sep 30: Oct 3 = 1, Oct 8 = 2, (Oct 9 off), Oct 10 = 3.
    assert calendar.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert calendar.workday_deadline(series("2026-09-30 10:00"), 2).iloc[0] == ts("2026-10-09")


def test_extra_holiday_on_a_make_up_day() -> None:
    calendar = WorkCalendar(extra_holidays=[date(2026, 10, 10)])
    # From Sep 30: Oct 8 = 1, Oct 9 = 2, (Oct 10, 11 off), Mon Oct 12 = 3.
    result = calendar.workday_deadline(series("2026-09-30 16:45"), 3)
    assert result.iloc[0] == ts("2026-10-13")


def test_a_date_cannot_be_both_holiday_and_workday() -> None:
    with pytest.raises(ValueError, match="2026-10-03"):
        WorkCalendar(extra_holidays=[date(2026, 10, 3)], extra_workdays=[date(2026, 10, 3)])


def test_2026_only_raises_no_warning() -> None:
    calendar = WorkCalendar()
    calendar.workday_deadline(series("2026-09-30 10:00", "2026-02-14 10:00"), 3)
    assert calendar.uncovered_years == set()
    assert calendar.warnings() == []


def test_2027_falls_back_to_weekends_and_warns() -> None:
    calendar = WorkCalendar()
    # 2027-01-01 is a Friday: New Year's Day in reality, but no notice is packaged yet, so
    # the fallback can only call it a weekday -- hence the warning.
    assert calendar.is_workday(date(2027, 1, 1)) is True
    assert calendar.is_workday(date(2027, 1, 2)) is False  # Saturday
    assert calendar.uncovered_years == {2027}
    [message] = calendar.warnings()
    assert message.startswith("2027:")
    assert "chinese-calendar" in message and "Holidays sheet" in message


def test_deadline_running_into_2027_warns() -> None:
    calendar = WorkCalendar()
    # Wed 2026-12-30 is day 0; Thu Dec 31 = 1, Fri 2027-01-01 = 2 (fallback), Mon Jan 4 = 3.
    result = calendar.workday_deadline(series("2026-12-30 10:00"), 3)
    assert result.iloc[0] == ts("2027-01-05")
    assert calendar.uncovered_years == {2027}


def test_holidays_sheet_fills_an_unknown_year() -> None:
    calendar = WorkCalendar(extra_holidays=[date(2027, 1, 1)])
    assert calendar.is_workday(date(2027, 1, 1)) is False
    assert calendar.uncovered_years == set()  # decided by the sheet, not by a guess
    # Dec 31 = 1, (Jan 1 off by the sheet, Jan 2-3 weekend: fallback) Jan 4 = 2, Jan 5 = 3.
    result = calendar.workday_deadline(series("2026-12-30 10:00"), 3)
    assert result.iloc[0] == ts("2027-01-06")
    assert calendar.uncovered_years == {2027}


def test_years_before_2004_are_uncovered_too() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(date(2003, 12, 31)) is True  # a Wednesday
    assert calendar.uncovered_years == {2003}


def test_clock_warns_only_for_days_it_ran_through() -> None:
    calendar = WorkCalendar(hours=HOURS_9_24)
    # Its search may look past New Year, but this clock stays inside 2026.
    calendar.add_business_seconds(series("2026-12-31 10:00"), 3600)
    calendar.business_seconds_between(series("2026-12-31 10:00"), series("2027-01-01 00:00"))
    assert calendar.warnings() == []
    spans = calendar.business_seconds_between(
        series("2026-12-31 23:00"), series("2027-01-04 10:00")
    )
    # Dec 31: 1 h; Fri 2027-01-01 (fallback weekday) 15 h; weekend; Mon Jan 4: 1 h.
    assert spans.iloc[0] == 17 * 3600
    assert calendar.uncovered_years == {2027}


# -- opening hours ---------------------------------------------------------------------------


def test_opening_hours_parsing() -> None:
    assert HOURS_9_24.windows == ((9 * 3600, 86_400),) * 7
    assert HOURS_9_24.every_day is False
    assert OpeningHours.daily(time(9), time(0)).windows[0] == (9 * 3600, 86_400)
    assert OpeningHours.daily("8：30", "17:45:30").windows[0] == (30_600, 63_930)
    always = OpeningHours.always()
    assert always.windows == ((0, 86_400),) * 7 and always.every_day is True
    custom = OpeningHours.per_weekday({0: ("09:00", "18:00"), 5: ("10:00", "16:00")})
    assert custom.windows[0] == (32_400, 64_800)
    assert custom.windows[1] is None and custom.windows[6] is None
    assert custom.makeup_window == (32_400, 64_800)  # Monday's window


@pytest.mark.parametrize(
    ("start", "end"), [("25:00", "26:00"), ("09:00", "09:00"), ("18:00", "09:00"), ("9h", "18h")]
)
def test_bad_opening_hours(start: str, end: str) -> None:
    with pytest.raises(ValueError):
        OpeningHours.daily(start, end)


def test_opening_hours_cannot_be_closed_all_week() -> None:
    with pytest.raises(ValueError):
        OpeningHours.per_weekday({})
    with pytest.raises(ValueError):
        OpeningHours.per_weekday({7: ("09:00", "18:00")})


# -- business seconds between ---------------------------------------------------------------


H = 3600


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Over an ordinary weekend (Mar 7-8): Fri 22:00-24:00 = 2 h, Mon 9:00-10:00 = 1 h.
        ("2026-03-06 22:00", "2026-03-09 10:00", 3),
        # Across the Spring Festival: Fri Feb 13 23:00-24:00 = 1 h, make-up Sat Feb 14
        # 9:00-24:00 = 15 h, Feb 15-23 off, Tue Feb 24 9:00-10:00 = 1 h.
        ("2026-02-13 23:00", "2026-02-24 10:00", 17),
        # Within the holiday nothing runs.
        ("2026-02-16 10:00", "2026-02-22 20:00", 0),
        # Across National Day: Sep 30 20:00-24:00 = 4 h, Oct 8 9:00-12:00 = 3 h.
        ("2026-09-30 20:00", "2026-10-08 12:00", 7),
        # Into make-up Saturday Oct 10 from Fri Oct 9 23:30: 0.5 h + 1.5 h.
        ("2026-10-09 23:30", "2026-10-10 10:30", 2),
        # Before opening counts from 9:00.
        ("2026-03-09 08:00", "2026-03-09 10:00", 1),
        # Sat Sep 19 is off, Sun Sep 20 is a make-up working day: 9:00-24:00 = 15 h.
        ("2026-09-19 00:00", "2026-09-21 00:00", 15),
        ("2026-03-09 10:00", "2026-03-09 10:00", 0),
    ],
)
def test_business_seconds_between_9_to_24(start: str, end: str, hours: float) -> None:
    calendar = WorkCalendar(hours=HOURS_9_24)
    result = calendar.business_seconds_between(series(start), series(end))
    assert result.iloc[0] == hours * H
    # Reversed spans are negative.
    assert calendar.business_seconds_between(series(end), series(start)).iloc[0] == -hours * H


def test_business_seconds_between_missing_and_index() -> None:
    calendar = WorkCalendar(hours=HOURS_9_24)
    start = pd.Series(
        pd.to_datetime(["2026-03-06 22:00", None, "2026-03-09 10:00"]), index=[5, 6, 7]
    )
    end = pd.Series(pd.to_datetime(["2026-03-09 10:00", "2026-03-09 10:00", None]), index=[5, 6, 7])
    result = calendar.business_seconds_between(start, end)
    assert list(result.index) == [5, 6, 7]
    assert result.loc[5] == 3 * H
    assert np.isnan(result.loc[6]) and np.isnan(result.loc[7])
    with pytest.raises(ValueError):
        calendar.business_seconds_between(start, end.reset_index(drop=True))


def test_7x24_is_wall_clock_even_across_holidays() -> None:
    result = WorkCalendar().business_seconds_between(
        series("2026-02-13 23:00"), series("2026-02-24 10:00")
    )
    assert result.iloc[0] == (10 * 24 + 11) * H  # 10 days 11 hours


def test_every_day_flag_counts_holidays() -> None:
    calendar = WorkCalendar(hours=OpeningHours.daily("09:00", "24:00", every_day=True))
    # Fri Feb 13 23:00-24:00 = 1 h, Sat Feb 14 = 15 h, Sun Feb 15 (holiday) 9:00-10:00 = 1 h.
    result = calendar.business_seconds_between(
        series("2026-02-13 23:00"), series("2026-02-15 10:00")
    )
    assert result.iloc[0] == 17 * H


def test_office_hours_make_up_saturday_works_weekday_hours() -> None:
    office = OpeningHours.per_weekday({d: ("09:00", "18:00") for d in range(5)})
    calendar = WorkCalendar(hours=office)
    # Fri Feb 13 17:00-18:00 = 1 h, make-up Sat Feb 14 takes Monday's 9:00-18:00 = 9 h,
    # Feb 15-23 off, Tue Feb 24 9:00-10:00 = 1 h.
    result = calendar.business_seconds_between(
        series("2026-02-13 17:00"), series("2026-02-24 10:00")
    )
    assert result.iloc[0] == 11 * H
    # An ordinary Saturday stays closed.
    result = calendar.business_seconds_between(
        series("2026-03-06 17:00"), series("2026-03-09 10:00")
    )
    assert result.iloc[0] == 2 * H


# -- add business seconds -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Fri Feb 13 23:00: 1 h to midnight, then make-up Sat Feb 14 opens at 9:00, + 1 h.
        ("2026-02-13 23:00", 2, "2026-02-14 10:00"),
        # Sat Feb 14 23:30: 0.5 h, then the festival, then Tue Feb 24 9:00 + 0.5 h.
        ("2026-02-14 23:30", 1, "2026-02-24 09:30"),
        # Landing exactly on a closing time gives that closing time (24:00), not the next
        # opening nine days later.
        ("2026-02-14 23:00", 1, "2026-02-15 00:00"),
        # Ten full 15-hour working days from Mon Mar 9 9:00: Mar 9-13 and 16-20 -> Fri 24:00.
        ("2026-03-09 09:00", 150, "2026-03-21 00:00"),
        # A closed start (Sunday noon) begins at the next opening, Mon Mar 9 9:00.
        ("2026-03-08 12:00", 1, "2026-03-09 10:00"),
        ("2026-03-08 12:00", 0, "2026-03-09 09:00"),
        # A closed start during National Day begins on Oct 8.
        ("2026-10-02 12:00", 4, "2026-10-08 13:00"),
        # An open start with zero is itself.
        ("2026-03-09 15:00", 0, "2026-03-09 15:00"),
        # Backwards: Tue Feb 24 10:00 - 2 h = 9:00, then 1 h before Sat Feb 14's close.
        ("2026-02-24 10:00", -2, "2026-02-14 23:00"),
        # Backwards from a closed start begins at the previous closing (Fri 24:00).
        ("2026-03-08 12:00", -1, "2026-03-06 23:00"),
        # Backwards from Oct 8 10:00: 1 h on Oct 8, Oct 1-7 skipped, 2 h before Sep 30 24:00.
        ("2026-10-08 10:00", -3, "2026-09-30 22:00"),
    ],
)
def test_add_business_seconds_9_to_24(start: str, hours: float, expected: str) -> None:
    calendar = WorkCalendar(hours=HOURS_9_24)
    result = calendar.add_business_seconds(series(start), hours * H)
    assert result.iloc[0] == ts(expected)


def test_add_business_seconds_per_row_missing_and_dtype() -> None:
    calendar = WorkCalendar(hours=HOURS_9_24)
    start = pd.Series(
        pd.to_datetime(["2026-02-13 23:00", None, "2026-03-09 09:00", "2026-03-09 09:00"]),
        index=list("abcd"),
    )
    seconds = pd.Series([2 * H, H, np.nan, -H], index=list("abcd"))
    result = calendar.add_business_seconds(start, seconds)
    assert result.dtype == start.dtype
    assert list(result.index) == list("abcd")
    assert result["a"] == ts("2026-02-14 10:00")
    assert pd.isna(result["b"]) and pd.isna(result["c"])
    assert result["d"] == ts("2026-03-06 23:00")  # Mon 9:00 - 1 h = Fri 23:00


def test_7x24_add_is_wall_clock() -> None:
    result = WorkCalendar().add_business_seconds(series("2026-02-14 23:00"), 2 * H)
    assert result.iloc[0] == ts("2026-02-15 01:00")


# -- properties ------------------------------------------------------------------------------

PROPERTY_CALENDAR = WorkCalendar(hours=HOURS_9_24)
DAYS_2025_2026 = st.dates(min_value=date(2025, 2, 1), max_value=date(2026, 11, 30))
SECOND_OF_DAY = st.integers(min_value=0, max_value=86_399)
OPEN_SECOND = st.integers(min_value=9 * 3600, max_value=86_399)  # 9:00 <= t < 24:00
SPAN = st.integers(min_value=-400 * H, max_value=400 * H)  # up to ~27 working days


def instant(d: date, second: int) -> pd.Timestamp:
    return pd.Timestamp(d) + pd.Timedelta(seconds=second)


def naive_business_seconds(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Reference: walk the days one by one with chinese-calendar, 9:00-24:00 on workdays."""
    if end < start:
        return -naive_business_seconds(end, start)
    total = 0.0
    day = start.normalize()
    while day <= end:
        if chinese_calendar.is_workday(day.date()):
            lo = max(start, day + pd.Timedelta(hours=9))
            hi = min(end, day + pd.Timedelta(days=1))
            total += max((hi - lo).total_seconds(), 0.0)
        day += pd.Timedelta(days=1)
    return total


@settings(max_examples=150, deadline=None)
@given(DAYS_2025_2026, OPEN_SECOND, SPAN)
def test_adding_then_measuring_gives_n_from_an_open_start(d: date, second: int, n: int) -> None:
    assume(PROPERTY_CALENDAR.is_workday(d))
    start = pd.Series([instant(d, second)])
    end = PROPERTY_CALENDAR.add_business_seconds(start, n)
    assert PROPERTY_CALENDAR.business_seconds_between(start, end).iloc[0] == n


@settings(max_examples=150, deadline=None)
@given(DAYS_2025_2026, SECOND_OF_DAY, SPAN)
def test_adding_then_measuring_gives_n_from_any_start(d: date, second: int, n: int) -> None:
    # A closed start begins at the next opening (previous closing, going back), where the
    # measured clock also starts: the measurement still gives n.
    start = pd.Series([instant(d, second)])
    end = PROPERTY_CALENDAR.add_business_seconds(start, n)
    assert PROPERTY_CALENDAR.business_seconds_between(start, end).iloc[0] == n
    if n > 0:  # and the result lies inside open hours, or exactly at a closing time
        t = end.iloc[0]
        at_close = t == t.normalize() and PROPERTY_CALENDAR.is_workday(
            (t - pd.Timedelta(days=1)).date()
        )
        in_hours = PROPERTY_CALENDAR.is_workday(t.date()) and t.hour >= 9
        assert at_close or in_hours


@settings(max_examples=100, deadline=None)
@given(DAYS_2025_2026, SECOND_OF_DAY, DAYS_2025_2026, st.integers(9 * 3600 + 1, 86_399))
def test_measuring_then_adding_returns_an_open_end(d1: date, s1: int, d2: date, s2: int) -> None:
    # Holds for an end strictly inside open hours; an end while closed comes back as the
    # closing time before it (counting forward) -- the instant the clock stopped.
    assume(PROPERTY_CALENDAR.is_workday(d2))
    start, end = pd.Series([instant(d1, s1)]), pd.Series([instant(d2, s2)])
    span = PROPERTY_CALENDAR.business_seconds_between(start, end)
    assert PROPERTY_CALENDAR.add_business_seconds(start, span).iloc[0] == end.iloc[0]


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(2025, 9, 1), max_value=date(2026, 10, 31)),
    SECOND_OF_DAY,
    st.integers(min_value=-20 * 86_400, max_value=20 * 86_400),
)
def test_business_seconds_match_a_day_by_day_reference(d: date, second: int, wall: int) -> None:
    start = instant(d, second)
    end = start + pd.Timedelta(seconds=wall)
    result = PROPERTY_CALENDAR.business_seconds_between(pd.Series([start]), pd.Series([end]))
    assert result.iloc[0] == naive_business_seconds(start, end)


@settings(max_examples=100, deadline=None)
@given(DAYS_2025_2026, SECOND_OF_DAY, SPAN, SPAN)
def test_spans_add_up(d: date, second: int, a: int, b: int) -> None:
    t0 = instant(d, second)
    t1, t2 = t0 + pd.Timedelta(seconds=a), t0 + pd.Timedelta(seconds=a + b)
    between = PROPERTY_CALENDAR.business_seconds_between
    s0, s1, s2 = pd.Series([t0]), pd.Series([t1]), pd.Series([t2])
    assert between(s0, s1).iloc[0] + between(s1, s2).iloc[0] == between(s0, s2).iloc[0]


@settings(max_examples=60, deadline=None)
@given(DAYS_2025_2026, SECOND_OF_DAY, st.integers(min_value=-30 * 86_400, max_value=30 * 86_400))
def test_7x24_is_always_wall_clock(d: date, second: int, wall: int) -> None:
    start = instant(d, second)
    end = start + pd.Timedelta(seconds=wall)
    calendar = WorkCalendar()
    assert calendar.business_seconds_between(pd.Series([start]), pd.Series([end])).iloc[0] == wall
    assert calendar.add_business_seconds(pd.Series([start]), wall).iloc[0] == end


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(2025, 2, 1), max_value=date(2026, 10, 31)),
    st.integers(min_value=-30, max_value=30),  # stays inside the years chinese-calendar knows
)
def test_add_workdays_round_trip(d: date, n: int) -> None:
    calendar = WorkCalendar()
    back = calendar.add_workdays(calendar.add_workdays(d, n), -n)
    if n == 0 or calendar.is_workday(d):
        assert back == d
    elif n > 0:  # from a day off, going out and back lands on the last working day before it
        assert back < d and calendar.is_workday(back)
        assert not any(
            calendar.is_workday(back + timedelta(days=k)) for k in range(1, (d - back).days + 1)
        )
    else:  # ... or on the first working day after it
        assert back > d and calendar.is_workday(back)
        assert not any(calendar.is_workday(d + timedelta(days=k)) for k in range((back - d).days))
    assert calendar.warnings() == []


@settings(max_examples=100, deadline=None)
@given(DAYS_2025_2026, st.integers(min_value=1, max_value=40))
def test_add_workdays_counts_exactly_n_working_days(d: date, n: int) -> None:
    calendar = WorkCalendar()
    later = calendar.add_workdays(d, n)
    days_between = [d + timedelta(days=k) for k in range(1, (later - d).days + 1)]
    assert sum(calendar.is_workday(x) for x in days_between) == n
    assert calendar.is_workday(later)


# -- a year chinese-calendar does not know --------------------------------------------------


def test_guessed_days_are_reported_by_month_and_use() -> None:
    import pickle

    from csxl.domain.calendar import GuessedDays

    calendar = WorkCalendar(hours=HOURS_9_24)
    # Thu 2027-02-11 23:30 + 2 business hours: 30 min, then Fri 12 09:00-10:30 (a guess).
    due = calendar.add_business_seconds(series("2027-02-11 23:30"), 7200)
    assert due.iloc[0] == ts("2027-02-12 10:30")
    calendar.is_workday(date(2027, 10, 1))
    assert calendar.guessed_months == {"2027-02", "2027-10"}
    [warning] = calendar.warnings("sla")
    assert isinstance(warning, GuessedDays)
    assert (warning.year, warning.months, warning.use) == (2027, ("2027-02", "2027-10"), "sla")
    assert warning.endswith("(SLA clocks: 2027-02, 2027-10)")
    copy = pickle.loads(pickle.dumps(warning))  # batch's process pool carries it
    assert (copy, copy.months, copy.use) == (warning, warning.months, "sla")


def test_an_entered_year_is_not_a_guess() -> None:
    # The Holidays sheet holds 2027's notice: its days off are extra_holidays, and the
    # weekdays it leaves are working days by the notice, not by a guess.
    off = [date(2027, 2, d) for d in range(5, 12)]
    calendar = WorkCalendar(extra_holidays=off, hours=HOURS_9_24, entered_years=[2027])
    due = calendar.add_business_seconds(series("2027-02-04 23:30"), 3600)
    assert due.iloc[0] == ts("2027-02-12 09:30")  # over the pasted Spring Festival
    assert calendar.is_workday(date(2027, 3, 1)) is True
    assert calendar.guessed_months == set() and calendar.warnings() == []
    # 2028 is not entered: still a guess, and said.
    calendar.is_workday(date(2028, 1, 3))
    assert calendar.uncovered_years == {2028}
