"""Budget, milestone (Gantt) and risk rules of the plan workbook (issue 4).

Expected values are worked by hand and written as the arithmetic that gives them.
"""

from __future__ import annotations

import itertools
import math
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.plan import (
    BUDGET_FLAG_LABELS,
    DEFAULT_BUDGET_CATEGORIES,
    DEFAULT_BUDGET_PLAN,
    DEFAULT_MILESTONES,
    DEFAULT_RISKS,
    MILESTONE_STATUS_LABELS,
    MILESTONE_STATUSES,
    RISK_LEVEL_LABELS,
    RISK_LEVELS,
    RISK_STATUSES,
    BudgetLine,
    Milestone,
    Risk,
    bar_state,
    behind,
    default_budget,
    default_milestones,
    elapsed_share,
    flag,
    forecast,
    heat_map,
    is_open,
    is_today_week,
    level,
    month_variance,
    overdue,
    score,
    status,
    summarize,
    through_month,
    total_line,
    variance_pct,
    week_starts,
    ytd,
    ytd_actual,
    ytd_flag,
    ytd_plan,
    ytd_variance,
    ytd_variance_pct,
)

# --- budget: one month ------------------------------------------------------------------


def test_month_variance_is_actual_minus_plan():
    assert month_variance(10_000, 10_400) == 10_400 - 10_000
    assert month_variance(10_000, 9_500) == 9_500 - 10_000
    assert month_variance(None, 800) == 800 - 0  # blank plan counts as 0


@pytest.mark.parametrize("blank", [None, float("nan"), ""])
def test_unbooked_month_has_no_variance_pct_or_flag(blank):
    assert month_variance(10_000, blank) is None  # not -10_000
    assert variance_pct(10_000, blank) is None
    assert flag(10_000, blank) is None


def test_variance_pct_is_a_fraction_of_plan():
    assert variance_pct(8_000, 8_600) == (8_600 - 8_000) / 8_000
    assert variance_pct(8_000, 7_000) == (7_000 - 8_000) / 8_000
    assert variance_pct(0, 500) is None
    assert variance_pct(None, 500) is None


@pytest.mark.parametrize(
    ("plan", "actual", "expected"),
    [
        (100, 100 * 1.05, "amber"),  # exactly plan x 1.05 is not "more than 5%"
        (100, 105, "amber"),
        (100, 100 * 1.0500001, "red"),
        (100, 105.01, "red"),
        (100, 100.01, "amber"),
        (100, 100, "green"),
        (100, 99, "green"),
        (100, 0, "green"),
        (19, 19.95, "amber"),  # 19 * 1.05 is 19.949999999999999 in floats
        (0, 0, "green"),
        (None, 0, "green"),
        (0, 1, "red"),  # spending without a plan
        (None, 1, "red"),
    ],
)
def test_flag_boundaries(plan, actual, expected):
    assert flag(plan, actual) == expected


def test_typed_five_percent_over_is_amber_for_every_whole_plan():
    # An actual typed as the exact decimal plan x 1.05 never turns red through float noise
    # (19 * 1.05 < 19.95, for example), and a cent more always does.
    for plan in range(1, 3_001):
        typed = plan * 105 / 100  # the double nearest the decimal a manager types
        assert flag(plan, typed) == "amber", plan
        assert flag(plan, typed + 0.01) == "red", plan


def test_flag_labels_cover_every_flag():
    for labels in BUDGET_FLAG_LABELS.values():
        assert set(labels) == {"red", "amber", "green"}
    assert BUDGET_FLAG_LABELS["zh"]["red"] == "超支"


# --- budget: year to date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_year", "as_of", "expected"),
    [
        (2026, date(2026, 5, 20), 5),
        (2026, date(2026, 1, 1), 1),
        (2026, date(2026, 12, 31), 12),
        (2025, date(2026, 5, 20), 12),  # a past plan year is complete
        (2027, date(2026, 5, 20), 0),  # a future one has not begun
    ],
)
def test_through_month(plan_year, as_of, expected):
    assert through_month(plan_year, as_of) == expected


# Monthly plan: 10,000 except June 12,000 and November 15,000.
PLAN = (10_000, 10_000, 10_000, 10_000, 10_000, 12_000, 10_000, 10_000, 10_000, 10_000, 15_000)
PLAN = (*PLAN, 10_000)
FULL_YEAR_PLAN = 10 * 10_000 + 12_000 + 15_000
# Booked January to April; May (the as-of month) still open; June prepaid early.
ACTUAL = (9_500, 10_400, 10_000, 11_000, None, 500, *(None,) * 6)
MAY = through_month(2026, date(2026, 5, 20))


def test_ytd_sums_months_one_to_through_with_blanks_as_zero():
    assert MAY == 5
    assert ytd(PLAN, MAY) == 5 * 10_000
    assert ytd(ACTUAL, MAY) == 9_500 + 10_400 + 10_000 + 11_000
    assert ytd(PLAN, 12) == FULL_YEAR_PLAN
    assert ytd(PLAN, 0) == 0


def test_ytd_in_may_compares_the_booked_months_only():
    assert ytd_plan(PLAN, ACTUAL, MAY) == 4 * 10_000  # May not booked: its plan is left out
    assert ytd_actual(ACTUAL, MAY) == 9_500 + 10_400 + 10_000 + 11_000
    variance = (9_500 + 10_400 + 10_000 + 11_000) - 4 * 10_000
    assert ytd_variance(PLAN, ACTUAL, MAY) == variance
    assert variance == sum(
        month_variance(p, a) or 0 for p, a in zip(PLAN[:5], ACTUAL[:5], strict=True)
    )
    assert ytd_variance_pct(PLAN, ACTUAL, MAY) == variance / (4 * 10_000)
    # 40,900 against 40,000: over plan, but not by more than 5% (42,000).
    assert ytd_flag(PLAN, ACTUAL, MAY) == "amber"


def test_forecast_in_may_counts_unbooked_months_at_plan():
    booked = 9_500 + 10_400 + 10_000 + 11_000
    expected = FULL_YEAR_PLAN + (booked - 4 * 10_000)
    assert forecast(PLAN, ACTUAL, MAY) == expected
    # The same as "booked actuals + plan of every other month" (May at plan, and June's early
    # booking ignored in favour of its plan) ...
    assert expected == booked + 10_000 + 12_000 + 4 * 10_000 + 15_000 + 10_000
    # ... and not "YTD actual + plan after May", which would count open May as 0 spent.
    assert expected != booked + (12_000 + 4 * 10_000 + 15_000 + 10_000)


def test_forecast_when_every_month_through_is_booked_is_ytd_actual_plus_the_rest():
    actual = (9_500, 10_400, 10_000, 11_000, 9_800, *(None,) * 7)
    ytd_spent = 9_500 + 10_400 + 10_000 + 11_000 + 9_800
    assert forecast(PLAN, actual, 5) == ytd_spent + (12_000 + 4 * 10_000 + 15_000 + 10_000)


def test_nothing_booked_yet():
    nothing = (None,) * 12
    assert ytd_plan(PLAN, nothing, MAY) == 0
    assert ytd_actual(nothing, MAY) is None
    assert ytd_variance(PLAN, nothing, MAY) is None
    assert ytd_variance_pct(PLAN, nothing, MAY) is None
    assert ytd_flag(PLAN, nothing, MAY) is None
    assert forecast(PLAN, nothing, MAY) == FULL_YEAR_PLAN


def test_future_plan_year_has_no_ytd_and_forecasts_the_plan():
    through = through_month(2027, date(2026, 12, 15))
    assert through == 0
    assert ytd_actual(ACTUAL, through) is None
    assert forecast(PLAN, ACTUAL, through) == FULL_YEAR_PLAN


def test_past_plan_year_uses_all_booked_months():
    through = through_month(2025, date(2026, 2, 1))
    booked = 9_500 + 10_400 + 10_000 + 11_000 + 500
    assert ytd_actual(ACTUAL, through) == booked
    assert ytd_plan(PLAN, ACTUAL, through) == 4 * 10_000 + 12_000  # Jan-Apr and June
    assert forecast(PLAN, ACTUAL, through) == FULL_YEAR_PLAN + booked - (4 * 10_000 + 12_000)


def test_ytd_flag_red_when_booked_months_run_more_than_five_percent_over():
    plan = (1_000,) * 12
    actual = (1_000, 1_100, 1_060, *(None,) * 9)  # 3,160 > 3,000 x 1.05 = 3,150
    assert ytd_flag(plan, actual, 3) == "red"
    assert ytd_flag(plan, (1_000, 1_100, 1_050, *(None,) * 9), 3) == "amber"  # 3,150
    assert ytd_flag(plan, (1_000, 900, 1_100, *(None,) * 9), 3) == "green"  # 3,000


def test_blank_plan_months_count_as_zero():
    plan = (None, 500, *(None,) * 10)
    actual = (200, 600, *(None,) * 10)
    assert ytd_plan(plan, actual, 2) == 0 + 500
    assert ytd_variance(plan, actual, 2) == (200 + 600) - 500
    assert forecast(plan, actual, 2) == 500 + ((200 + 600) - 500)


@pytest.mark.parametrize("through", [-1, 13, True, 5.0])
def test_through_must_be_a_month_count(through):
    with pytest.raises(ValueError, match="through_month"):
        ytd(PLAN, through)


def test_rows_need_twelve_months():
    with pytest.raises(ValueError, match="12 months"):
        ytd(PLAN[:11], 3)
    with pytest.raises(ValueError, match="12 months"):
        forecast(PLAN, ACTUAL[:11], 3)


# --- budget: rows and totals ------------------------------------------------------------


def test_budget_line_normalises_and_validates():
    line = BudgetLine("培训", [1.0] * 12, [float("nan"), "", *(None,) * 10])
    assert line.plan == (1.0,) * 12
    assert line.actual == (None,) * 12
    with pytest.raises(ValueError, match="12 months"):
        BudgetLine("培训", (1,) * 13)
    with pytest.raises(ValueError, match="finite"):
        BudgetLine("培训", (float("inf"), *(1,) * 11))
    with pytest.raises(ValueError, match="numbers"):
        BudgetLine("培训", ("1000", *(1,) * 11))


def test_summarize_a_row():
    summary = summarize(BudgetLine("系统维护", PLAN, ACTUAL), MAY)
    booked = 9_500 + 10_400 + 10_000 + 11_000
    assert summary.full_year_plan == FULL_YEAR_PLAN
    assert summary.ytd_plan == 4 * 10_000
    assert summary.ytd_actual == booked
    assert summary.ytd_variance == booked - 4 * 10_000
    assert summary.ytd_variance_pct == (booked - 4 * 10_000) / (4 * 10_000)
    assert summary.forecast == FULL_YEAR_PLAN + booked - 4 * 10_000
    assert summary.flag == "amber"
    assert summary.month_variance[:6] == (9_500 - 10_000, 400, 0, 1_000, None, 500 - 12_000)
    assert summary.month_variance_pct[1] == 400 / 10_000
    assert summary.month_flag[:6] == ("green", "amber", "green", "red", None, "green")


def test_total_line_sums_categories_month_by_month():
    staff = BudgetLine("人力成本", (105_000,) * 12, (104_000, 106_500, *(None,) * 10))
    training = BudgetLine("培训", (8_000, None, *(3_000,) * 10), (7_500, None, *(None,) * 10))
    office = BudgetLine("办公", (3_500,) * 12)
    total = total_line([staff, training, office])
    assert total.category == "合计"
    assert total.plan[0] == 105_000 + 8_000 + 3_500
    assert total.plan[1] == 105_000 + 0 + 3_500  # blank plan counts as 0
    assert total.plan[2] == 105_000 + 3_000 + 3_500
    assert total.actual[0] == 104_000 + 7_500  # office not booked: 0 in the total
    assert total.actual[1] == 106_500
    assert total.actual[2:] == (None,) * 10  # nobody booked March yet
    summary = summarize(total, 3)
    assert summary.full_year_plan == 12 * 105_000 + 8_000 + 10 * 3_000 + 12 * 3_500
    assert summary.ytd_plan == (105_000 + 8_000 + 3_500) + (105_000 + 3_500)
    assert summary.ytd_actual == 104_000 + 7_500 + 106_500


def test_total_line_label_is_given_by_the_caller():
    assert total_line(default_budget("en"), "Total").category == "Total"


def test_default_budget_is_a_plausible_ten_agent_plan():
    assert DEFAULT_BUDGET_CATEGORIES["zh"] == ("人力成本", "培训", "系统维护", "办公")
    assert len(DEFAULT_BUDGET_CATEGORIES["en"]) == 4
    staff, training, systems, office = DEFAULT_BUDGET_PLAN
    for month in range(12):
        assert staff[month] > training[month] + systems[month] + office[month]
    assert min(training[:3]) > max(training[3:])  # onboarding and curriculum in Q1
    assert len(set(systems)) == 1
    assert len(set(office)) == 1
    lines = default_budget("en")
    assert [line.category for line in lines] == list(DEFAULT_BUDGET_CATEGORIES["en"])
    assert all(line.actual == (None,) * 12 for line in lines)
    full_year = summarize(total_line(lines), 0).full_year_plan
    staff_year = 10 * 105_000 + 118_000 + 126_000
    training_year = 3 * 8_000 + 9 * 3_000
    assert full_year == staff_year + training_year + 12 * 6_000 + 12 * 3_500


# --- budget: properties -----------------------------------------------------------------

money = st.integers(min_value=0, max_value=10**9).map(lambda cents: cents / 100)
month_rows = st.lists(money, min_size=12, max_size=12)


@given(plan=month_rows, booked=st.lists(st.booleans(), min_size=12, max_size=12))
def test_forecast_is_the_plan_total_when_actuals_equal_plan(plan, booked):
    actual = [p if b else None for p, b in zip(plan, booked, strict=True)]
    for through in range(13):
        assert forecast(plan, actual, through) == ytd(plan, 12)


@given(plan=month_rows, actual=month_rows, through=st.integers(min_value=0, max_value=12))
def test_forecast_with_full_books_is_ytd_actual_plus_remaining_plan(plan, actual, through):
    expected = ytd(actual, through) + sum(plan[through:])
    assert math.isclose(forecast(plan, actual, through), expected, rel_tol=1e-12, abs_tol=1e-6)


# --- milestones: elapsed share, overdue, behind, status ---------------------------------

Q1_START, Q1_END = date(2026, 1, 1), date(2026, 3, 31)
Q1_DAYS = 31 + 28 + 31


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2025, 12, 1), 0.0),
        (date(2025, 12, 31), 0.0),  # the day before the start
        (date(2026, 1, 1), 1 / Q1_DAYS),  # the first day counts
        (date(2026, 2, 14), (31 + 14) / Q1_DAYS),
        (date(2026, 3, 31), 1.0),  # the end date is inclusive
        (date(2026, 4, 1), 1.0),
        (date(2027, 1, 1), 1.0),
    ],
)
def test_elapsed_share(as_of, expected):
    assert elapsed_share(Q1_START, Q1_END, as_of) == expected


def test_elapsed_share_of_a_one_day_milestone():
    day = date(2026, 6, 18)
    assert elapsed_share(day, day, day - timedelta(days=1)) == 0.0
    assert elapsed_share(day, day, day) == 1.0


def test_datetimes_are_read_as_dates():
    assert elapsed_share(datetime(2026, 1, 1, 9), Q1_END, datetime(2026, 1, 1, 23)) == 1 / 90


def test_overdue_after_the_end_day_when_not_complete():
    assert not overdue(Q1_END, 0.5, date(2026, 3, 31))  # still the last day
    assert overdue(Q1_END, 0.5, date(2026, 4, 1))
    assert overdue(Q1_END, 0.99, date(2026, 4, 1))
    assert overdue(Q1_END, None, date(2026, 4, 1))  # blank % complete is 0
    assert not overdue(Q1_END, 1.0, date(2026, 4, 1))
    assert not overdue(None, 0.0, date(2026, 4, 1))


TEN_DAYS = (date(2026, 1, 1), date(2026, 1, 10))


def test_behind_needs_strictly_more_than_ten_points():
    as_of = date(2026, 1, 4)  # 4 of 10 days gone
    assert elapsed_share(*TEN_DAYS, as_of) == 4 / 10
    assert 4 / 10 - 0.3 > 0.1  # float noise: 0.10000000000000003
    assert not behind(*TEN_DAYS, 0.3, as_of)  # exactly 10 points
    assert behind(*TEN_DAYS, 0.299, as_of)  # 10.1 points
    assert not behind(*TEN_DAYS, 0.4, as_of)
    assert not behind(*TEN_DAYS, 0.9, as_of)  # ahead


def test_behind_and_overdue_are_reported_independently():
    after = date(2026, 1, 11)
    assert overdue(TEN_DAYS[1], 0.5, after)
    assert behind(*TEN_DAYS, 0.5, after)  # 100% of the time gone, 50% done
    assert overdue(TEN_DAYS[1], 0.95, after)
    assert not behind(*TEN_DAYS, 0.95, after)  # only 5 points short


@pytest.mark.parametrize(
    ("pct", "as_of", "expected"),
    [
        (1.0, date(2026, 1, 20), "done"),  # done beats overdue
        (1.0, date(2025, 12, 1), "done"),  # finished early
        (0.5, date(2026, 1, 11), "overdue"),  # overdue beats behind
        (0.299, date(2026, 1, 4), "behind"),
        (0.3, date(2026, 1, 4), "on_track"),
        (0.0, date(2025, 12, 31), "not_started"),
        (0.2, date(2025, 12, 31), "on_track"),  # work begun before the window
        (0.0, date(2026, 1, 1), "on_track"),  # 1 day of 10: not behind yet
        (0.0, date(2026, 1, 2), "behind"),  # 2 of 10 days gone, nothing done: 20 points
    ],
)
def test_status_priority(pct, as_of, expected):
    assert status(*TEN_DAYS, pct, as_of) == expected


def test_status_labels():
    for labels in MILESTONE_STATUS_LABELS.values():
        assert set(labels) == set(MILESTONE_STATUSES)
    zh = MILESTONE_STATUS_LABELS["zh"]
    assert [zh[key] for key in MILESTONE_STATUSES] == ["已完成", "逾期", "落后", "未开始", "正常"]


def test_blank_dates_have_no_status():
    as_of = date(2026, 5, 1)
    assert elapsed_share(None, Q1_END, as_of) is None
    assert status(Q1_START, None, 0.5, as_of) is None
    assert not behind(None, None, 0.0, as_of)
    assert bar_state(date(2026, 1, 5), None, Q1_END, 0.5) is None


def test_invalid_milestones_are_refused():
    with pytest.raises(ValueError, match="before it starts"):
        elapsed_share(Q1_END, Q1_START, Q1_START)
    with pytest.raises(ValueError, match=r"0\.\.1"):
        status(Q1_START, Q1_END, 1.2, Q1_START)
    with pytest.raises(ValueError, match="quarter"):
        Milestone(5, "m", "d", "a", "o", Q1_START, Q1_END)
    with pytest.raises(ValueError, match=r"0\.\.1"):
        Milestone(1, "m", "d", "a", "o", Q1_START, Q1_END, -0.1)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=400),
    offset=st.integers(min_value=-100, max_value=600),
    step=st.integers(min_value=0, max_value=100),
)
def test_elapsed_share_is_bounded_and_non_decreasing(start, length, offset, step):
    end = start + timedelta(days=length)
    earlier = start + timedelta(days=offset)
    later = earlier + timedelta(days=step)
    first = elapsed_share(start, end, earlier)
    second = elapsed_share(start, end, later)
    assert 0.0 <= first <= second <= 1.0


# --- milestones: Gantt ------------------------------------------------------------------


def test_week_starts_2026():
    weeks = week_starts(2026)
    assert date(2026, 1, 1).weekday() == 3  # a Thursday
    assert weeks[0] == date(2025, 12, 29)
    assert weeks[-1] == date(2026, 12, 28)  # 31 Dec 2026 is a Thursday too
    assert len(weeks) == (date(2026, 12, 28) - date(2025, 12, 29)).days // 7 + 1 == 53
    assert all(week.weekday() == 0 for week in weeks)
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(weeks))


def test_week_starts_other_years():
    assert week_starts(2024)[0] == date(2024, 1, 1)  # a Monday: it is its own column
    assert week_starts(2024)[-1] == date(2024, 12, 30)
    assert len(week_starts(2024)) == 53
    # A leap year starting on a Sunday needs a 54th column for 31 December (a Monday).
    assert date(2040, 1, 1).weekday() == 6
    assert len(week_starts(2040)) == 54
    assert week_starts(2040)[-1] == date(2040, 12, 31)


# A three-week bar: Monday 5 January to Sunday 25 January 2026 (21 days).
BAR = (date(2026, 1, 5), date(2026, 1, 25))
WEEKS = (date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19))
WEEKS = (*WEEKS, date(2026, 1, 26))


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        (0.0, (None, "planned", "planned", "planned", None)),
        (1 / 3, (None, "done", "planned", "planned", None)),  # 7 done days: week 1
        (0.34, (None, "done", "done", "planned", None)),  # 7.14 days reach week 2
        (2 / 3, (None, "done", "done", "planned", None)),  # 14 days
        (1.0, (None, "done", "done", "done", None)),
    ],
)
def test_bar_state(pct, expected):
    assert tuple(bar_state(week, *BAR, pct) for week in WEEKS) == expected


def test_bar_state_partial_weeks():
    start, end = date(2026, 1, 7), date(2026, 1, 20)  # Wednesday to Tuesday, 14 days
    assert bar_state(date(2026, 1, 5), start, end, 0.0) == "planned"  # not done at 0%
    assert bar_state(date(2026, 1, 5), start, end, 0.1) == "done"  # 1.4 days done
    assert bar_state(date(2026, 1, 12), start, end, 0.1) == "planned"
    assert bar_state(date(2026, 1, 19), start, end, 0.1) == "planned"
    assert bar_state(date(2026, 1, 26), start, end, 1.0) is None


def test_bar_state_ignores_float_noise():
    start, end = date(2026, 1, 5), date(2026, 1, 29)  # 25 days
    assert 0.28 * 25 > 7  # 7.000000000000001: the second week must still be planned
    assert bar_state(date(2026, 1, 12), start, end, 0.28) == "planned"
    assert bar_state(date(2026, 1, 12), start, end, 0.29) == "done"  # 7.25 days


def test_is_today_week():
    week = date(2026, 1, 5)
    assert is_today_week(week, date(2026, 1, 5))
    assert is_today_week(week, date(2026, 1, 11))
    assert not is_today_week(week, date(2026, 1, 12))
    assert not is_today_week(week, date(2026, 1, 4))
    assert sum(is_today_week(w, date(2026, 5, 20)) for w in week_starts(2026)) == 1


# --- milestones: defaults ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_milestones_fill_the_quarters(lang):
    for year in (2026, 2028):
        milestones = default_milestones(year, lang)
        assert [m.quarter for m in milestones] == [1, 2, 3, 4]
        assert milestones[0].start == date(year, 1, 1)
        assert milestones[0].end == date(year, 3, 31)
        assert milestones[1].start == date(year, 4, 1)
        assert milestones[2].end == date(year, 9, 30)
        assert milestones[3].end == date(year, 12, 31)
        for before, after in itertools.pairwise(milestones):
            assert after.start == before.end + timedelta(days=1)
        for m in milestones:
            assert m.pct_complete == 0.0
            assert m.milestone and m.deliverable and m.owner
            assert any(ch.isdigit() for ch in m.acceptance)  # measurable


def test_default_milestone_themes():
    assert DEFAULT_MILESTONES["zh"][0].milestone == "知识库梳理与话术库上线"
    assert DEFAULT_MILESTONES["zh"][1].milestone == "智能分流上线"
    assert "大促" in DEFAULT_MILESTONES["zh"][2].milestone
    assert "复盘" in DEFAULT_MILESTONES["zh"][3].milestone
    assert DEFAULT_MILESTONES["zh"][0].start == (1, 1)
    assert DEFAULT_MILESTONES["en"][3].end == (12, 31)


# --- risks ------------------------------------------------------------------------------


def test_score_is_likelihood_times_impact():
    assert score(3, 4) == 3 * 4
    assert score(5, 5) == 25
    assert score(3.0, 2) == 6
    assert score(None, 4) is None
    assert score(3, float("nan")) is None


@pytest.mark.parametrize("bad", [0, 6, 2.5, True, "3"])
def test_ratings_run_one_to_five(bad):
    with pytest.raises(ValueError, match=r"1\.\.5"):
        score(bad, 3)
    with pytest.raises(ValueError, match=r"1\.\.5"):
        Risk("R9", "r", "c", 3, bad, "t", "p", "a")


@pytest.mark.parametrize(
    ("risk_score", "expected"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (16, "high"),
        (17, "critical"),
        (20, "critical"),
        (25, "critical"),
    ],
)
def test_level_boundaries(risk_score, expected):
    assert level(risk_score) == expected


def test_level_of_every_possible_score():
    by_level: dict[str, set[int]] = {}
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            by_level.setdefault(level(likelihood * impact), set()).add(likelihood * impact)
    assert by_level == {
        "low": {1, 2, 3, 4},
        "medium": {5, 6, 8, 9},
        "high": {10, 12, 15, 16},
        "critical": {20, 25},
    }


def test_level_blank_and_out_of_range():
    assert level(None) is None
    for bad in (0, 26):
        with pytest.raises(ValueError, match=r"1\.\.25"):
            level(bad)


def test_level_labels():
    assert [name for name, _ in RISK_LEVELS] == ["critical", "high", "medium", "low"]
    assert RISK_LEVEL_LABELS["zh"]["critical"] == "极高"
    assert RISK_LEVEL_LABELS["en"]["medium"] == "Medium"


@pytest.mark.parametrize(
    ("risk_status", "expected"),
    [
        ("已关闭", False),
        ("Closed", False),
        ("CLOSED", False),  # Excel compares text case-insensitively
        (" Closed", True),  # ... but does not trim
        ("监控中", True),
        ("Responding", True),
        ("", True),
        (None, True),
    ],
)
def test_is_open(risk_status, expected):
    assert is_open(risk_status) is expected


def _risk(likelihood, impact, risk_status=""):
    return Risk("R", "r", "c", likelihood, impact, "t", "p", "a", status=risk_status)


def test_heat_map_counts_open_rated_risks():
    risks = [
        _risk(3, 4, "监控中"),
        _risk(3, 4, ""),
        _risk(3, 4, "已关闭"),
        _risk(5, 4, "Monitoring"),
        _risk(5, 4, "closed"),
        _risk(1, 5, "应对中"),
        _risk(None, 5, "监控中"),  # not rated yet
    ]
    counts = heat_map(risks)
    assert len(counts) == 5
    assert all(len(row) == 5 for row in counts)
    assert counts[3 - 1][4 - 1] == 2
    assert counts[5 - 1][4 - 1] == 1
    assert counts[1 - 1][5 - 1] == 1
    assert sum(map(sum, counts)) == 2 + 1 + 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_risks_are_complete(lang):
    risks = DEFAULT_RISKS[lang]
    assert [r.id for r in risks] == ["R01", "R02", "R03", "R04", "R05"]
    for risk in risks:
        assert risk.risk and risk.category and risk.owner
        assert risk.trigger and risk.prevention and risk.response
        assert risk.status == RISK_STATUSES[lang][0]
        assert risk.is_open
        assert risk.score is not None


def test_default_risks_are_the_common_cs_risks_in_both_languages():
    zh, en = DEFAULT_RISKS["zh"], DEFAULT_RISKS["en"]
    assert [r.risk for r in zh] == [
        "人员流失",
        "系统故障",
        "客诉激增",
        "大促咨询高峰",
        "知识库过期",
    ]
    assert [(r.likelihood, r.impact) for r in zh] == [(r.likelihood, r.impact) for r in en]
    turnover, outage = zh[0], zh[1]
    assert "月离职率 > 5%" in turnover.trigger
    assert "导师制与梯队培养" in turnover.prevention
    assert "兼职/外包池" in turnover.response
    for minutes in ("5 分钟", "10 分钟", "30 分钟"):
        assert minutes in outage.response
    for minutes in ("5 minutes", "10 minutes", "30 minutes"):
        assert minutes in en[1].response
    assert [r.level for r in zh] == ["high", "high", "medium", "critical", "medium"]
    assert sum(map(sum, heat_map(zh))) == 5
