"""SLA clocks across the 2026 Spring Festival and National Day, worked by hand; a property
(adding then measuring N working hours gives N); the sample export against a day-by-day
reference written from the definitions with chinese_calendar directly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csxl.domain import kpis, sla
from csxl.domain.calendar import WorkCalendar
from csxl.domain.sla import SlaPolicy, SlaTarget, parse_hours
from tests.samples import DATA, need

SAMPLE = DATA / "tickets_zh_sample.xlsx"


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def one(created: str, severity: str, channel: str, responded=None, resolved=None, **kw):
    frame = pd.DataFrame(
        {
            "created_at": [ts(created)],
            "first_response_at": [pd.NaT if responded is None else ts(responded)],
            "resolved_at": [pd.NaT if resolved is None else ts(resolved)],
            "severity": [severity],
            "channel": [channel],
        }
    )
    out, _ = sla.ticket_sla(frame, SlaPolicy(**kw))
    return out.iloc[0]


# --- the official calendar as the tests assume it --------------------------------------


def test_chinese_calendar_has_the_2026_holidays_the_cases_use() -> None:
    spring = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 15..23 Feb
    national = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]  # 1..7 Oct
    assert not any(chinese_calendar.is_workday(d) for d in spring + national)
    for makeup in (date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)):
        assert makeup.weekday() >= 5 and chinese_calendar.is_workday(makeup)
    assert chinese_calendar.is_workday(date(2026, 2, 24))
    assert not chinese_calendar.is_workday(date(2026, 10, 11))  # Sunday after the make-up day


# --- Spring Festival 2026 (15-23 Feb off; Sat 14 Feb and Sat 28 Feb worked) -------------


def test_email_on_the_friday_before_runs_into_the_makeup_saturday_then_stops() -> None:
    # 常规/邮件: 09:00-18:00 on working days, 240 min to respond, 18 h to resolve.
    # Fri 13 Feb 17:00: 1 h that day; Sat 14 Feb is a make-up day (09:00-18:00).
    row = one("2026-02-13 17:00", "常规", "邮件", "2026-02-14 12:00", "2026-02-24 17:00:01")
    assert row["frt_due"] == ts("2026-02-14 12:00")  # 1 h + 3 h on Saturday
    # 1 h + 9 h (Sat 14) = 10 h; 15-23 Feb closed; Tue 24 Feb 09:00 + 8 h.
    assert row["res_due"] == ts("2026-02-24 17:00")
    assert row["frt_met"] == 1.0  # exactly at the due time: met
    assert row["res_met"] == 0.0  # one second late


def test_online_late_on_the_makeup_saturday_waits_for_the_holiday_to_end() -> None:
    # 常规/在线: 09:00-24:00 on working days, 60 min, 48 h. Sat 14 Feb 23:30: 30 min left.
    row = one("2026-02-14 23:30", "常规", "在线", "2026-02-24 09:29")
    assert row["frt_due"] == ts("2026-02-24 09:30")
    # 0.5 h + 15 h (24th) + 15 h (25th) + 15 h (26th) = 45.5 h; 27th 09:00 + 2.5 h.
    assert row["res_due"] == ts("2026-02-27 11:30")
    assert (row["frt_met"], row["res_met"]) == (1.0, 0.0)  # unresolved: breached


def test_urgent_is_wall_clock_through_the_holiday() -> None:
    # 紧急: 7x24, 5 min and 4 h, holidays included.
    row = one("2026-02-16 10:00", "紧急", "电话", "2026-02-16 10:05", "2026-02-16 14:00")
    assert (row["frt_due"], row["res_due"]) == (ts("2026-02-16 10:05"), ts("2026-02-16 14:00"))
    assert (row["frt_met"], row["res_met"]) == (1.0, 1.0)


def test_created_in_the_holiday_starts_at_the_first_opening_after_it() -> None:
    # 重要: 09:00-24:00, 30 min and 24 h. Wed 18 Feb (holiday) 10:00.
    row = one("2026-02-18 10:00", "重要", "千牛", "2026-02-24 09:31", "2026-02-25 18:00")
    assert row["frt_due"] == ts("2026-02-24 09:30")
    assert row["res_due"] == ts("2026-02-25 18:00")  # 15 h on the 24th, 9 h on the 25th
    assert (row["frt_met"], row["res_met"]) == (0.0, 1.0)


def test_due_at_24_00_is_midnight_and_the_second_makeup_saturday_counts() -> None:
    # Fri 27 Feb 23:00, 常规/在线: 1 h left that day, so the first response is due at 24:00.
    row = one("2026-02-27 23:00", "常规", "在线", "2026-02-28 00:00")
    assert row["frt_due"] == ts("2026-02-28 00:00") and row["frt_met"] == 1.0
    # 1 h + 15 h (Sat 28, make-up) + Sun 1 Mar closed + 15 h (2nd) + 15 h (3rd) = 46 h.
    assert row["res_due"] == ts("2026-03-04 11:00")


def test_a_local_holiday_from_the_holidays_sheet_moves_the_due_time() -> None:
    row = one("2026-02-14 23:30", "常规", "在线", extra_holidays=(date(2026, 2, 24),))
    assert row["frt_due"] == ts("2026-02-25 09:30")
    row = one("2026-02-21 10:00", "紧急", "在线")  # 7x24 ignores holidays of any kind
    assert row["frt_due"] == ts("2026-02-21 10:05")
    # A local working day (e.g. a Sunday duty) opens the clock.
    row = one("2026-02-22 10:00", "常规", "在线", extra_workdays=(date(2026, 2, 22),))
    assert row["frt_due"] == ts("2026-02-22 11:00")


# --- National Day 2026 (1-7 Oct off; Sun 20 Sep and Sat 10 Oct worked) -----------------


def test_email_on_the_eve_of_national_day() -> None:
    # Wed 30 Sep 20:00, after the email desk closed: next opening Thu 8 Oct 09:00.
    row = one("2026-09-30 20:00", "常规", "邮件", "2026-10-08 13:00", "2026-10-09 18:00")
    assert row["frt_due"] == ts("2026-10-08 13:00")
    assert row["res_due"] == ts("2026-10-09 18:00")  # 9 h + 9 h, due at closing time
    assert (row["frt_met"], row["res_met"]) == (1.0, 1.0)


def test_the_makeup_saturday_after_national_day_counts_and_sunday_does_not() -> None:
    # Fri 9 Oct 17:00, 常规/在线: 7 h + 15 h (Sat 10, make-up) + 15 h (Mon 12) = 37 h;
    # Tue 13 Oct 09:00 + 11 h.
    row = one("2026-10-09 17:00", "常规", "在线")
    assert row["frt_due"] == ts("2026-10-09 18:00")
    assert row["res_due"] == ts("2026-10-13 20:00")


def test_the_makeup_sunday_before_national_day_opens() -> None:
    # Sat 19 Sep is a normal weekend; Sun 20 Sep is worked.
    row = one("2026-09-19 10:00", "常规", "在线")
    assert row["frt_due"] == ts("2026-09-20 10:00")


# --- policies ---------------------------------------------------------------------------


def test_channel_row_wins_and_blank_severity_is_normal() -> None:
    policy = SlaPolicy()
    rows = policy.row_of(
        pd.Series(["常规", "常规", None, "", "重要", "其他"]),
        pd.Series(["邮件", "在线", "邮件", "电话", "邮件", "在线"]),
    )
    assert rows.tolist() == [3, 2, 3, 2, 1, -1]


def test_no_policy_row_and_pending_tickets_are_not_counted() -> None:
    frame = pd.DataFrame(
        {
            "created_at": [ts("2026-03-02 10:00"), ts("2026-03-02 10:00")],
            "first_response_at": [pd.NaT, pd.NaT],
            "severity": ["其他", "常规"],
            "channel": ["在线", "在线"],
        }
    )
    out, _ = sla.ticket_sla(frame, SlaPolicy(), as_of=datetime(2026, 3, 2, 10, 30))
    assert out["sla_row"].tolist() == [-1, 2]
    assert np.isnan(out["frt_met"]).all()  # no row; not due yet at 10:30
    out, _ = sla.ticket_sla(frame, SlaPolicy(), as_of=datetime(2026, 3, 2, 11, 0, 1))
    assert out["frt_met"].tolist()[1] == 0.0
    assert np.isnan(out["res_met"].tolist()[1])  # resolution not due for 48 h
    out, _ = sla.ticket_sla(frame, SlaPolicy())  # no as-of: an open ticket is a breach
    assert out["res_met"].tolist()[1] == 0.0  # no resolved_at column: nothing resolved


@pytest.mark.parametrize(
    "text, monday, saturday, every_day",
    [
        ("7x24", (0, 86400), (0, 86400), True),
        ("09:00-24:00", (32400, 86400), (32400, 86400), False),
        ("9:00－18:00", None, None, None),  # a full-width dash is not a separator
        ("09:00-18:00 每天", (32400, 64800), (32400, 64800), True),
        ("1-5 09:00-18:00; 6 10:00-16:00", (32400, 64800), (36000, 57600), False),
    ],
)
def test_parse_hours(text, monday, saturday, every_day) -> None:
    if monday is None:
        with pytest.raises(ValueError, match="not understood"):
            parse_hours(text)
        return
    hours = parse_hours(text)
    assert (hours.windows[0], hours.windows[5], hours.every_day) == (monday, saturday, every_day)


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="two SLA rows"):
        SlaPolicy((SlaTarget("常规", None, "7x24", 1, 1), SlaTarget("常规", None, "7x24", 2, 2)))
    with pytest.raises(ValueError, match="not understood"):
        SlaPolicy((SlaTarget("常规", None, "weekdays", 1, 1),))
    with pytest.raises(ValueError, match="negative"):
        SlaPolicy((SlaTarget("常规", None, "7x24", -1, 1),))


# --- the property -------------------------------------------------------------------------

CLOCKS = (
    "7x24",
    "09:00-24:00",
    "09:00-18:00",
    "1-5 09:00-18:00; 6 10:00-16:00",
    "08:30-20:00 每天",
)


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 20)),
    hours=st.integers(min_value=0, max_value=120),
    clock=st.sampled_from(CLOCKS),
)
def test_adding_then_measuring_n_working_hours_gives_n(start, hours, clock) -> None:
    cal = WorkCalendar(hours=parse_hours(clock))
    starts = pd.Series([pd.Timestamp(start).floor("s")])
    due = cal.add_business_seconds(starts, hours * 3600)
    assert due.iloc[0] >= starts.iloc[0]
    assert cal.business_seconds_between(starts, due).iloc[0] == hours * 3600
    # chinese-calendar 1.11 knows 2026, not 2027: a clock running into 2027 says so.
    assert bool(cal.warnings()) == (due.iloc[0] > pd.Timestamp("2027-01-01"))


# --- the sample export: a day-by-day reference from the definitions ---------------------

WINDOWS = {"7x24": None, "09:00-24:00": (9, 24), "09:00-18:00": (9, 18)}


def reference_due(created: pd.Timestamp, seconds: float, clock: str) -> pd.Timestamp:
    """Walk the days with chinese_calendar: open on working days in the window."""
    if WINDOWS[clock] is None:
        return created + pd.Timedelta(seconds=seconds)
    open_h, close_h = WINDOWS[clock]
    left = pd.Timedelta(seconds=seconds)
    day = created.normalize()
    t = created
    while True:
        if chinese_calendar.is_workday(day.date()):
            start = max(t, day + pd.Timedelta(hours=open_h))
            close = day + pd.Timedelta(hours=close_h)
            if start <= close and left <= close - start:
                return start + left
            if start < close:
                left -= close - start
        day += pd.Timedelta(days=1)
        t = day


@lru_cache
def sample():
    from csxl.kpi_report import load

    frame = load(need(SAMPLE)).frame
    out, warnings = sla.ticket_sla(frame, SlaPolicy())
    assert warnings == []
    return frame, out


def test_sample_tickets_worked_by_hand() -> None:
    frame, out = sample()
    g = frame.join(out).set_index("ticket_id")
    # Created on National Day, 00:21, 常规/在线, never answered: 09:00-24:00 opens on Thu
    # 8 Oct; 60 min -> 10:00; 48 h = 15 (8th) + 15 (9th) + 15 (Sat 10th, make-up) + 3 on
    # Mon 12th -> 12:00. Both breached.
    t = g.loc["GD20261001000000"]
    assert (t["frt_due"], t["res_due"]) == (ts("2026-10-08 10:00"), ts("2026-10-12 12:00"))
    assert (t["frt_met"], t["res_met"]) == (0.0, 0.0)
    # 3 Oct 09:22, 常规/邮件 (09:00-18:00): answered 10:03 and resolved 13:34 the same day,
    # well before 8 Oct 13:00 (4 h) and 9 Oct 18:00 (9 h + 9 h): met.
    t = g.loc["GD20261003000380"]
    assert (t["frt_due"], t["res_due"]) == (ts("2026-10-08 13:00"), ts("2026-10-09 18:00"))
    assert (t["frt_met"], t["res_met"]) == (1.0, 1.0)
    # 3 Oct 10:36, 常规/邮件: answered, never resolved: response met, resolution breached.
    t = g.loc["GD20261003000405"]
    assert (t["frt_met"], t["res_met"]) == (1.0, 0.0)
    # 2 Oct 08:07:46, 紧急 (7x24): 5 min and 4 h on the wall clock, in the holiday.
    t = g.loc["GD20261002000194"]
    assert (t["frt_due"], t["res_due"]) == (ts("2026-10-02 08:12:46"), ts("2026-10-02 12:07:46"))


def test_sample_attainment_matches_the_day_by_day_reference() -> None:
    frame, out = sample()
    policy = SlaPolicy()
    targets = [policy.targets[i] for i in out["sla_row"]]
    frt_due = [
        reference_due(c, t.first_response_min * 60, t.hours)
        for c, t in zip(frame["created_at"], targets, strict=True)
    ]
    res_due = [
        reference_due(c, t.resolution_h * 3600, t.hours)
        for c, t in zip(frame["created_at"], targets, strict=True)
    ]
    assert list(out["frt_due"]) == frt_due
    assert list(out["res_due"]) == res_due
    responded, resolved = frame["first_response_at"], frame["resolved_at"]
    frt_met = responded.notna() & (responded <= pd.Series(frt_due, index=frame.index))
    res_met = resolved.notna() & (resolved <= pd.Series(res_due, index=frame.index))
    table = sla.attainment(frame, out)
    for _, row in table.iterrows():
        team = frame["team"] == row["team"]
        assert row["tickets"] == team.sum()
        assert row["frt_met"] == (frt_met & team).sum()
        assert row["res_met"] == (res_met & team).sum()
    # Measured (and equal to the reference above): October 2026, default policy.
    shown = {r["team"]: (r["tickets"], r["frt_met"], r["res_met"]) for _, r in table.iterrows()}
    assert shown == SAMPLE_ATTAINMENT
    assert (frame["created_at"].dt.strftime("%Y-%m") == "2026-10").all()


# Tickets with an SLA, first responses met, resolutions met (attainment = met / tickets:
# e.g. 售后一组 1109 / 1155 = 96.0% and 1030 / 1155 = 89.2%).
SAMPLE_ATTAINMENT = {
    "售前一组": (1146, 1112, 1055),
    "售前二组": (885, 856, 809),
    "售后一组": (1155, 1109, 1030),
    "售后二组": (1005, 967, 911),
    "技术支持组": (477, 436, 411),
    "投诉组": (332, 309, 285),
}


def test_sample_department_appraisal() -> None:
    frame, _ = sample()
    collab, met, warnings = kpis.dept_sla_flags(frame, kpis.KpiSettings())
    assert warnings == []
    table = sla.department_appraisal(frame, met)
    f = frame[collab]
    for _, row in table.iterrows():
        mine = f[f["dept"] == row["dept"]]
        hours = (mine["dept_done_at"] - mine["dept_sent_at"]).dt.total_seconds() / 3600
        assert row["collab"] == len(mine)
        assert row["median_hours"] == pytest.approx(float(np.nanmedian(hours)))
        assert row["attainment"] == pytest.approx(met[mine.index].sum() / len(mine))
    assert table["collab"].sum() == collab.sum()


def test_month_keys_are_what_strftime_gives():
    import numpy as np
    import pandas as pd

    from csxl.domain.sla import _months

    stamps = pd.Series(
        pd.to_datetime(
            ["2026-03-01 10:00:00", None, "1999-12-31 23:59:59", "2026-11-30 00:00:00"] * 3
        ),
        index=np.arange(12) + 4,
    )
    for s in (stamps, stamps.iloc[:0], stamps.iloc[1:2]):
        pd.testing.assert_series_equal(_months(s), s.dt.strftime("%Y-%m"))
    got = _months(stamps).tolist()[:4]
    assert got[0::2] == ["2026-03", "1999-12"] and got[3] == "2026-11" and pd.isna(got[1])
