"""Erlang C staffing against hand arithmetic, published figures and pyworkforce."""

from __future__ import annotations

import itertools
import math
import time
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyworkforce.queuing import ErlangC

from csxl.domain.staffing import (
    StaffingResult,
    arrivals_by_interval,
    asa,
    erlang_c,
    required_agents,
    service_level,
    staffing_table,
)

# --- independent references written from the definitions ---------------------------------


def erlang_c_factorial(n: int, a: Fraction) -> Fraction:
    """C(N, A) from the textbook closed form, exact in rationals (small N only)."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def erlang_c_log_space(n: int, a: float) -> float:
    """The same closed form with every term in logs (lgamma), for thousands of Erlangs."""
    logs = [k * math.log(a) - math.lgamma(k + 1) for k in range(n)]
    log_top = n * math.log(a) - math.lgamma(n + 1) + math.log(n / (n - a))
    peak = max([*logs, log_top])
    below = sum(math.exp(x - peak) for x in logs)
    top = math.exp(log_top - peak)
    return top / (below + top)


# --- the published reference: 100 calls / 30 min, AHT 180 s, 80% in 20 s -----------------


def test_reference_needs_14_agents_and_20_scheduled() -> None:
    result = required_agents(100, 30, 180, 0.8, 20, shrinkage=0.3)
    assert (result.agents, result.scheduled) == (14, 20)


def test_reference_figures_at_14_agents_match_hand_arithmetic() -> None:
    a = Fraction(100 * 180, 30 * 60)  # 10 Erlangs
    assert a == 10
    c = float(erlang_c_factorial(14, a))
    sl = 1 - c * math.exp(-(14 - 10) * 20 / 180)
    asa_s = c * 180 / (14 - 10)

    result = required_agents(100, 30, 180, 0.8, 20, shrinkage=0.3)
    assert erlang_c(14, 10.0) == pytest.approx(c, rel=1e-12)
    assert result.service_level == pytest.approx(sl, rel=1e-12)
    assert result.asa_s == pytest.approx(asa_s, rel=1e-12)
    assert result.occupancy == pytest.approx(10 / 14, rel=1e-15)
    # The figures as usually published for this example: 17.4% wait, SL 88.8%, ASA 7.8 s.
    assert round(c, 3) == 0.174
    assert round(result.service_level, 3) == 0.888
    assert round(result.asa_s, 1) == 7.8
    assert result.to_dict() == {
        "agents": 14,
        "scheduled": 20,
        "service_level": result.service_level,
        "asa_s": result.asa_s,
        "occupancy": result.occupancy,
    }


def test_reference_13_agents_miss_80_percent() -> None:
    c13 = float(erlang_c_factorial(13, Fraction(10)))
    sl13 = 1 - c13 * math.exp(-(13 - 10) * 20 / 180)
    assert sl13 < 0.8
    assert service_level(13, 10.0, 180, 20) == pytest.approx(sl13, rel=1e-12)
    assert service_level(13, 10.0, 180, 20) < 0.8 <= service_level(14, 10.0, 180, 20)


@pytest.mark.parametrize("n", range(11, 30))
@pytest.mark.parametrize("a", [Fraction(1, 3), Fraction(5, 2), Fraction(10), Fraction(37, 4)])
def test_erlang_c_matches_the_factorial_form(n: int, a: Fraction) -> None:
    c = float(erlang_c_factorial(n, a))
    assert erlang_c(n, float(a)) == pytest.approx(c, rel=1e-12, abs=1e-300)
    assert asa(n, float(a), 60) == pytest.approx(c * 60 / float(n - a), rel=1e-12, abs=1e-300)


def test_unstable_queue_waits_for_ever() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(3, 10.0) == 1.0
    assert service_level(10, 10.0, 180, 20) == 0.0
    assert asa(9, 10.0, 180) == math.inf
    assert erlang_c(1, 0.0) == 0.0  # no traffic: nobody waits


# --- pyworkforce (minutes where csxl uses seconds) ------------------------------------------


def _pyworkforce(
    calls: float, interval_min: int, aht_s: float, target_s: float, shrink: float = 0.0
):
    return ErlangC(
        transactions=calls,
        aht=aht_s / 60,
        asa=target_s / 60,
        interval=interval_min,
        shrinkage=shrink,
    )


def _check_against_pyworkforce(
    calls: float,
    interval_min: int,
    aht_s: float,
    target_s: float,
    target_sl: float,
    max_occupancy: float = 1.0,
) -> None:
    pw = _pyworkforce(calls, interval_min, aht_s, target_s)
    a = calls * aht_s / (interval_min * 60)

    # Waiting probability and service level wherever both are defined: N above the traffic
    # (pyworkforce's formula is meaningless at N <= A; csxl defines C = 1, SL = 0 there).
    first = math.floor(max(a, pw.intensity)) + 1
    for n in range(first, first + 25):
        assert erlang_c(n, a) == pytest.approx(pw.waiting_probability(n), abs=1e-9)
        assert service_level(n, a, aht_s, target_s) == pytest.approx(pw.service_level(n), abs=1e-9)

    ours = required_agents(calls, interval_min, aht_s, target_sl, target_s, 0.0, max_occupancy)
    theirs = pw.required_positions(service_level=target_sl, max_occupancy=max_occupancy)
    # pyworkforce starts its search at round(A + 1), which skips floor(A) + 1 when A's
    # fraction is above one half (and at x.5 by banker's rounding); when that skipped N
    # already meets the target, the spec's "smallest N" is below pyworkforce's answer.
    start = round(pw.intensity + 1)
    if ours.agents < start:
        assert theirs["raw_positions"] == start
        assert ours.service_level >= target_sl
        assert ours.occupancy <= max_occupancy
        assert (
            ours.agents - 1 <= a or service_level(ours.agents - 1, a, aht_s, target_s) < target_sl
        )
    else:
        assert ours.agents == theirs["raw_positions"]
        assert ours.service_level == pytest.approx(theirs["service_level"], abs=1e-9)
        assert ours.occupancy == pytest.approx(theirs["occupancy"], rel=1e-12)


GRID = list(
    itertools.product(
        [1, 7, 37, 100, 255, 1000],  # calls per interval
        [15, 30, 60],  # interval_min
        [30, 180, 420],  # aht_s
        [5, 20, 60],  # target_s
        [0.5, 0.8, 0.95],  # target_sl
    )
)


@pytest.mark.parametrize(("calls", "interval_min", "aht_s", "target_s", "target_sl"), GRID)
def test_agrees_with_pyworkforce_on_a_grid(
    calls: int, interval_min: int, aht_s: int, target_s: int, target_sl: float
) -> None:
    _check_against_pyworkforce(calls, interval_min, aht_s, target_s, target_sl)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    calls=st.floats(0.5, 3000),
    interval_min=st.sampled_from([15, 30, 60]),
    aht_s=st.floats(10, 900),
    target_s=st.floats(1, 180),
    target_sl=st.floats(0.05, 0.99),
    max_occupancy=st.one_of(st.just(1.0), st.floats(0.5, 1.0)),
)
def test_agrees_with_pyworkforce_property(
    calls: float,
    interval_min: int,
    aht_s: float,
    target_s: float,
    target_sl: float,
    max_occupancy: float,
) -> None:
    a = calls * aht_s / (interval_min * 60)
    assume(a <= 2500)
    # pyworkforce caps occupancy with a float ceil(A / max_occupancy): where that ratio is a
    # whole number (give or take rounding) it can add an agent that A / N <= max does not.
    ratio = a / max_occupancy
    assume(max_occupancy == 1.0 or abs(ratio - round(ratio)) > 1e-6)
    # Two implementations of a float formula may land on either side of a target they touch.
    n = required_agents(calls, interval_min, aht_s, target_sl, target_s).agents
    assume(abs(service_level(n, a, aht_s, target_s) - target_sl) > 1e-9)
    assume(abs(service_level(n - 1, a, aht_s, target_s) - target_sl) > 1e-9)
    _check_against_pyworkforce(calls, interval_min, aht_s, target_s, target_sl, max_occupancy)


def test_pyworkforce_skips_the_smallest_n_where_csxl_does_not() -> None:
    # 56 calls of 180 s in 30 min: A = 5.6; floor(A) + 1 = 6 agents already answer 21% of
    # calls within 20 s, but pyworkforce's search starts at round(6.6) = 7.
    ours = required_agents(56, 30, 180, 0.2, 20)
    theirs = _pyworkforce(56, 30, 180, 20).required_positions(service_level=0.2)
    assert ours.agents == 6
    assert ours.service_level == pytest.approx(0.2130146, abs=1e-7)
    assert theirs["raw_positions"] == 7


def test_scheduled_rounding_is_exact_where_pyworkforce_rounds_up() -> None:
    # 21 / (1 - 0.3) is 30.000000000000004 in floats; pyworkforce's ceil gives 31.
    ours = required_agents(165, 30, 180, 0.8, 20, shrinkage=0.3)
    theirs = _pyworkforce(165, 30, 180, 20, shrink=0.3).required_positions(service_level=0.8)
    assert (ours.agents, theirs["raw_positions"]) == (21, 21)
    assert ours.scheduled == 30
    assert theirs["positions"] == 31


# --- stability, monotonicity ------------------------------------------------------------------


def test_two_thousand_erlangs_is_finite_and_quick() -> None:
    began = time.perf_counter()
    result = required_agents(40_000, 30, 90, 0.8, 20, shrinkage=0.3)
    elapsed = time.perf_counter() - began
    assert elapsed < 1.0
    assert 2000 < result.agents < 2100
    assert all(math.isfinite(v) for v in (result.service_level, result.asa_s, result.occupancy))
    assert result.service_level >= 0.8
    assert service_level(result.agents - 1, 2000.0, 90, 20) < 0.8
    assert erlang_c(result.agents, 2000.0) == pytest.approx(
        erlang_c_log_space(result.agents, 2000.0), rel=1e-9
    )


@pytest.mark.parametrize("a", [0.01, 3.7, 250.0, 999.5, 5000.0])
def test_erlang_c_stays_a_probability_and_sl_never_falls(a: float) -> None:
    top = int(a + 6 * math.sqrt(a) + 20)
    cs = [erlang_c(n, a) for n in range(top)]
    sls = [service_level(n, a, 120, 20) for n in range(top)]
    assert all(0.0 <= c <= 1.0 for c in cs)
    assert all(later <= earlier for earlier, later in itertools.pairwise(cs))
    assert all(later >= earlier for earlier, later in itertools.pairwise(sls))
    assert sls[-1] > 0.99


@settings(max_examples=100, deadline=None)
@given(a=st.floats(0.0, 3000.0), extra=st.integers(1, 200))
def test_erlang_c_bounds_property(a: float, extra: int) -> None:
    n = math.floor(a) + extra
    c = erlang_c(n, a)
    assert 0.0 <= c <= 1.0
    assert service_level(n + 1, a, 60, 10) >= service_level(n, a, 60, 10)


# --- occupancy cap, shrinkage, zero, bad arguments ----------------------------------------------


def test_max_occupancy_binds_when_set() -> None:
    free = required_agents(500, 30, 180, 0.8, 20)  # A = 50
    capped = required_agents(500, 30, 180, 0.8, 20, max_occupancy=0.85)
    assert free.agents == 56
    assert free.occupancy > 0.85
    assert capped.agents == math.ceil(50 / 0.85) == 59
    assert capped.occupancy <= 0.85 < 50 / 58
    assert capped.service_level > free.service_level


def test_max_occupancy_is_inclusive() -> None:
    # A = 8.5 and 8.5 / 10 == 0.85 exactly: 10 agents are allowed at max_occupancy 0.85.
    result = required_agents(85, 30, 180, 0.05, 1, max_occupancy=0.85)
    assert result.agents == 10
    assert result.occupancy == 0.85


@pytest.mark.parametrize(
    ("shrinkage", "scheduled"), [(0.0, 14), (0.3, 20), (0.5, 28), (0.125, 16), (0.9, 140)]
)
def test_shrinkage_rounds_up_exactly(shrinkage: float, scheduled: int) -> None:
    result = required_agents(100, 30, 180, 0.8, 20, shrinkage=shrinkage)
    assert result.agents == 14
    assert result.scheduled == scheduled


def test_zero_calls_need_no_one() -> None:
    assert required_agents(0, 30, 180, 0.8, 20, shrinkage=0.3) == StaffingResult(
        0, 0, 1.0, 0.0, 0.0
    )


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"calls": -1}, "calls"),
        ({"calls": float("nan")}, "calls"),
        ({"interval_min": 0}, "interval_min"),
        ({"aht_s": -5}, "aht_s"),
        ({"target_sl": 0}, "target_sl"),
        ({"target_sl": 1}, "target_sl"),
        ({"target_sl": 80}, "target_sl"),
        ({"target_s": -1}, "target_s"),
        ({"shrinkage": 1}, "shrinkage"),
        ({"shrinkage": -0.1}, "shrinkage"),
        ({"max_occupancy": 0}, "max_occupancy"),
        ({"max_occupancy": 1.2}, "max_occupancy"),
        ({"aht_s": "abc"}, "aht_s"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], argument: str) -> None:
    args: dict[str, object] = {
        "calls": 100,
        "interval_min": 30,
        "aht_s": 180,
        "target_sl": 0.8,
        "target_s": 20,
        "shrinkage": 0.3,
        "max_occupancy": 1.0,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=rf"^{argument} must"):
        required_agents(**args)  # type: ignore[arg-type]


def test_bad_agents_and_traffic() -> None:
    with pytest.raises(ValueError, match="agents must be a whole number"):
        erlang_c(14.5, 10.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="agents must be 0 or more"):
        erlang_c(-1, 10.0)
    with pytest.raises(ValueError, match="traffic must be 0 or more"):
        service_level(5, -1.0, 180, 20)
    assert erlang_c(np.int64(14), 10.0) == erlang_c(14, 10.0)


# --- per-interval table ---------------------------------------------------------------------------


def test_staffing_table_adds_columns_row_by_row() -> None:
    frame = pd.DataFrame(
        {
            "weekday": [0, 0, 1, 2],
            "interval": ["09:00", "09:30", "09:00", "03:00"],
            "calls": [100, 165, 100.0, 0],
        },
        index=[10, 11, 12, 13],
    )
    table = staffing_table(frame, 30, 180, 0.8, 20, shrinkage=0.3)
    assert list(table.columns) == [
        "weekday",
        "interval",
        "calls",
        "agents",
        "scheduled",
        "service_level",
        "asa_s",
        "occupancy",
    ]
    assert list(table.index) == [10, 11, 12, 13]
    assert table["agents"].tolist() == [14, 21, 14, 0]
    assert table["scheduled"].tolist() == [20, 30, 20, 0]
    for (_, row), calls in zip(table.iterrows(), frame["calls"], strict=True):
        expected = required_agents(calls, 30, 180, 0.8, 20, shrinkage=0.3).to_dict()
        assert {k: row[k] for k in expected} == expected
    assert "agents" not in frame.columns  # the input is left alone


def test_staffing_table_refuses_bad_calls() -> None:
    with pytest.raises(ValueError, match="'calls' column"):
        staffing_table(pd.DataFrame({"volume": [1]}), 30, 180, 0.8, 20)
    with pytest.raises(ValueError, match=r"calls must be .* rows \[1\]"):
        staffing_table(pd.DataFrame({"calls": [1.0, -2.0]}), 30, 180, 0.8, 20)
    with pytest.raises(ValueError, match="target_sl"):
        staffing_table(pd.DataFrame({"calls": [1.0]}), 30, 180, 1.5, 20)


# --- arrivals per weekday and interval ------------------------------------------------------------


def _row(frame: pd.DataFrame, weekday: int, interval: str) -> float:
    hit = frame[(frame["weekday"] == weekday) & (frame["interval"] == interval)]
    assert len(hit) == 1
    return float(hit["calls"].iloc[0])


def test_arrivals_mean_over_two_mondays() -> None:
    created = pd.Series(
        pd.to_datetime(
            [
                "2026-01-05 09:00:00",  # Monday
                "2026-01-05 09:14:59",
                "2026-01-05 09:29:59",
                "2026-01-05 09:30:00",  # next interval
                "2026-01-12 09:20:00",  # the following Monday
            ]
        )
    )
    frame = arrivals_by_interval(created)
    assert list(frame.columns) == ["weekday", "interval", "calls"]
    assert _row(frame, 0, "09:00") == 2.0
    assert _row(frame, 0, "09:30") == 0.5
    assert _row(frame, 0, "10:00") == 0.0
    assert _row(frame, 3, "09:00") == 0.0  # Thursday 8 January: in the window, no tickets
    assert len(frame) == 7 * 48
    assert frame["calls"].sum() == pytest.approx(2.0 + 0.5)


def test_arrivals_count_a_monday_without_tickets() -> None:
    created = pd.Series(
        pd.to_datetime(
            ["2026-01-05 09:10", "2026-01-05 09:15", "2026-01-19 10:00", "2026-01-13 23:59"]
        )
    )
    frame = arrivals_by_interval(created)
    # Mondays 5, 12 (no tickets) and 19 January: three of them.
    assert _row(frame, 0, "09:00") == pytest.approx(2 / 3)
    assert _row(frame, 0, "10:00") == pytest.approx(1 / 3)
    assert _row(frame, 1, "23:30") == pytest.approx(1 / 2)  # Tuesdays 6 and 13


def test_arrivals_weeks_hourly_and_partial_window() -> None:
    created = pd.Series(
        pd.to_datetime(
            ["2026-01-05 09:10", "2026-01-12 09:40", "2026-01-14 17:05", "2026-01-14 17:55"]
        )
    )
    last_week = arrivals_by_interval(created, interval_min=60, weeks=1)
    # 8 to 14 January: the ticket of 5 January is outside, 12 January is the only Monday.
    assert _row(last_week, 0, "09:00") == 1.0
    assert _row(last_week, 2, "17:00") == 2.0
    assert len(last_week) == 7 * 24
    assert last_week["interval"].iloc[:3].tolist() == ["00:00", "01:00", "02:00"]

    one_day = arrivals_by_interval(created.iloc[2:], interval_min=60)
    assert one_day["weekday"].unique().tolist() == [2]  # only Wednesday is in the window
    assert _row(one_day, 2, "17:00") == 2.0


def test_arrivals_use_local_wall_clock_and_skip_missing() -> None:
    created = pd.Series(
        pd.to_datetime(["2026-01-05 09:10", None, "2026-01-05 09:20"])
    ).dt.tz_localize("Asia/Shanghai")
    frame = arrivals_by_interval(created)
    assert _row(frame, 0, "09:00") == 2.0


def test_arrivals_empty_and_bad_arguments() -> None:
    empty = arrivals_by_interval(pd.Series(pd.to_datetime([])))
    assert list(empty.columns) == ["weekday", "interval", "calls"]
    assert empty.empty
    with pytest.raises(ValueError, match="interval_min must divide a day"):
        arrivals_by_interval(pd.Series(pd.to_datetime(["2026-01-05"])), interval_min=7)
    with pytest.raises(ValueError, match="weeks must be 1 or more"):
        arrivals_by_interval(pd.Series(pd.to_datetime(["2026-01-05"])), weeks=0)


@settings(max_examples=50, deadline=None)
@given(
    offsets=st.lists(st.integers(0, 40 * 24 * 60 - 1), min_size=1, max_size=60),
    step=st.sampled_from([15, 30, 60]),
    weeks=st.one_of(st.none(), st.integers(1, 6)),
)
def test_arrivals_match_a_plain_count(offsets: list[int], step: int, weeks: int | None) -> None:
    base = pd.Timestamp("2026-02-02")  # a Monday
    stamps = [base + pd.Timedelta(minutes=m) for m in offsets]
    frame = arrivals_by_interval(pd.Series(stamps), interval_min=step, weeks=weeks)

    # The same thing counted the slow way: walk the days of the window one by one.
    first = min(s.normalize() for s in stamps)
    last = max(s.normalize() for s in stamps)
    if weeks is not None:
        first = max(first, last - pd.Timedelta(days=7 * weeks - 1))
    days = [first + pd.Timedelta(days=i) for i in range((last - first).days + 1)]
    occurrences = {wd: sum(d.day_of_week == wd for d in days) for wd in range(7)}
    totals: dict[tuple[int, str], int] = {}
    for s in stamps:
        if s.normalize() < first:
            continue
        minute = (s.hour * 60 + s.minute) // step * step
        key = (s.day_of_week, f"{minute // 60:02d}:{minute % 60:02d}")
        totals[key] = totals.get(key, 0) + 1

    present = sorted(wd for wd, k in occurrences.items() if k)
    assert sorted(frame["weekday"].unique().tolist()) == present
    assert len(frame) == len(present) * (1440 // step)
    for wd, interval, calls in frame.itertuples(index=False):
        assert calls == pytest.approx(totals.get((wd, interval), 0) / occurrences[wd])
