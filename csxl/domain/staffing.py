"""Erlang C staffing: agents needed per interval for a service-level target.

Definitions (M/M/N queue, ../shared/spec/kpis.md "Staffing (Erlang C)"):

- traffic ``A = calls x AHT / interval seconds`` (Erlangs);
- waiting probability ``C(N, A)`` (Erlang C) for ``N`` agents, computed from the Erlang B
  recursion ``B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1))`` and
  ``C = N B / (N - A (1 - B))``: every step stays in [0, 1], so hundreds or thousands of
  Erlangs neither overflow nor lose precision (no factorials, no powers of A);
- service level ``SL = 1 - C(N, A) e^{-(N - A) t / AHT}``, the share answered within t s;
- average speed of answer ``ASA = C(N, A) AHT / (N - A)`` seconds;
- occupancy ``A / N``.

With ``N <= A`` the queue never settles (waits grow without bound): C is 1, SL 0, ASA inf.
Required agents are the smallest N whose SL meets the target (inclusive) and whose
occupancy is at most ``max_occupancy``; scheduled = ceil(agents / (1 - shrinkage)).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

RESULT_COLUMNS = ("agents", "scheduled", "service_level", "asa_s", "occupancy")


@dataclass(frozen=True)
class StaffingResult:
    agents: int  # before shrinkage
    scheduled: int  # after shrinkage
    service_level: float
    asa_s: float
    occupancy: float

    def to_dict(self) -> dict[str, int | float]:
        return {name: getattr(self, name) for name in RESULT_COLUMNS}


# --- validation -------------------------------------------------------------------------


def _number(name: str, value: float) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return x


def _positive(name: str, value: float) -> float:
    x = _number(name, value)
    if x <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value!r}")
    return x


def _non_negative(name: str, value: float) -> float:
    x = _number(name, value)
    if x < 0:
        raise ValueError(f"{name} must be 0 or more, got {value!r}")
    return x


def _agents(value: int) -> int:
    try:
        n = operator.index(value)  # ints and numpy integers, not 14.5 or "14"
    except TypeError:
        raise ValueError(f"agents must be a whole number, got {value!r}") from None
    if n < 0:
        raise ValueError(f"agents must be 0 or more, got {value!r}")
    return n


def _check_targets(
    interval_min: float,
    aht_s: float,
    target_sl: float,
    target_s: float,
    shrinkage: float,
    max_occupancy: float,
) -> tuple[float, float, float, float, float, float]:
    interval = _positive("interval_min", interval_min)
    aht = _positive("aht_s", aht_s)
    sl = _number("target_sl", target_sl)
    if not 0 < sl < 1:
        raise ValueError(
            f"target_sl must be between 0 and 1 (exclusive, e.g. 0.8), got {target_sl!r}"
        )
    t = _non_negative("target_s", target_s)
    s = _number("shrinkage", shrinkage)
    if not 0 <= s < 1:
        raise ValueError(f"shrinkage must be in [0, 1) (e.g. 0.3 for 30%), got {shrinkage!r}")
    occ = _number("max_occupancy", max_occupancy)
    if not 0 < occ <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1] (e.g. 0.85), got {max_occupancy!r}")
    return interval, aht, sl, t, s, occ


# --- Erlang C ---------------------------------------------------------------------------


def _erlang_b_steps(traffic: float) -> Iterator[tuple[int, float]]:
    """Yield (n, B(n, traffic)) for n = 0, 1, 2, ... by the Erlang B recursion."""
    b = 1.0
    n = 0
    while True:
        yield n, b
        n += 1
        b = traffic * b / (n + traffic * b)


def _erlang_c_from_b(agents: int, traffic: float, b: float) -> float:
    if agents <= traffic:
        return 1.0
    c = agents * b / (agents - traffic * (1.0 - b))
    return min(1.0, max(0.0, c))  # the exact value is in [0, 1]; clip rounding only


def _service_level_from_c(
    c: float, agents: int, traffic: float, aht_s: float, target_s: float
) -> float:
    if agents <= traffic:
        return 0.0
    sl = 1.0 - c * math.exp(-(agents - traffic) * target_s / aht_s)
    return min(1.0, max(0.0, sl))


def _asa_from_c(c: float, agents: int, traffic: float, aht_s: float) -> float:
    if agents <= traffic:
        return math.inf
    return c * aht_s / (agents - traffic)


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a contact waits, C(N, A); 1.0 when agents <= traffic (unstable)."""
    n = _agents(agents)
    a = _non_negative("traffic", traffic)
    if n <= a:
        return 1.0
    for k, b in _erlang_b_steps(a):
        if k == n:
            return _erlang_c_from_b(n, a, b)
    raise AssertionError("unreachable")  # pragma: no cover


def service_level(agents: int, traffic: float, aht_s: float, target_s: float) -> float:
    """Share of contacts answered within ``target_s`` seconds; 0.0 when agents <= traffic."""
    n = _agents(agents)
    a = _non_negative("traffic", traffic)
    aht = _positive("aht_s", aht_s)
    t = _non_negative("target_s", target_s)
    return _service_level_from_c(erlang_c(n, a), n, a, aht, t)


def asa(agents: int, traffic: float, aht_s: float) -> float:
    """Average speed of answer in seconds; inf when agents <= traffic."""
    n = _agents(agents)
    a = _non_negative("traffic", traffic)
    aht = _positive("aht_s", aht_s)
    return _asa_from_c(erlang_c(n, a), n, a, aht)


def _scheduled(agents: int, shrinkage: float) -> int:
    # Exact rational arithmetic on the decimal the user typed: in floats 14 / (1 - 0.3) is
    # 20.000000000000004, whose ceiling would schedule a 21st agent for nothing.
    s = Fraction(repr(float(shrinkage)))
    return math.ceil(Fraction(agents) / (1 - s))


def required_agents(
    calls: float,
    interval_min: float,
    aht_s: float,
    target_sl: float,
    target_s: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> StaffingResult:
    """Smallest N meeting ``target_sl`` within ``target_s`` seconds and ``max_occupancy``.

    ``calls`` arrive in one interval of ``interval_min`` minutes with a mean handle time of
    ``aht_s`` seconds. No calls need no agents (SL 1.0, ASA 0.0, occupancy 0.0).
    """
    n_calls = _non_negative("calls", calls)
    interval, aht, sl_target, t, shrink, occ_max = _check_targets(
        interval_min, aht_s, target_sl, target_s, shrinkage, max_occupancy
    )
    if n_calls == 0:
        return StaffingResult(agents=0, scheduled=0, service_level=1.0, asa_s=0.0, occupancy=0.0)

    a = n_calls * aht / (interval * 60.0)
    # One pass of the recursion: B(n) for the next N costs one step, so the search is
    # O(answer) even for thousands of Erlangs. N <= A never meets a positive target.
    for n, b in _erlang_b_steps(a):
        if n <= a:
            continue
        c = _erlang_c_from_b(n, a, b)
        sl = _service_level_from_c(c, n, a, aht, t)
        occupancy = a / n
        if sl >= sl_target and occupancy <= occ_max:
            return StaffingResult(
                agents=n,
                scheduled=_scheduled(n, shrink),
                service_level=sl,
                asa_s=_asa_from_c(c, n, a, aht),
                occupancy=occupancy,
            )
    raise AssertionError("unreachable")  # pragma: no cover


def staffing_table(
    intervals: pd.DataFrame,
    interval_min: float,
    aht_s: float,
    target_sl: float,
    target_s: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> pd.DataFrame:
    """A copy of ``intervals`` (one row per interval, a ``calls`` column) with the
    agents, scheduled, service_level, asa_s and occupancy columns added."""
    if "calls" not in intervals.columns:
        raise ValueError(
            f"intervals needs a 'calls' column (contacts per interval); "
            f"it has {list(intervals.columns)}"
        )
    _check_targets(interval_min, aht_s, target_sl, target_s, shrinkage, max_occupancy)
    calls = pd.to_numeric(intervals["calls"], errors="coerce")
    bad = calls.isna() | ~np.isfinite(calls.astype(float)) | (calls < 0)
    if bad.any():
        rows = list(intervals.index[bad.to_numpy()])[:5]
        raise ValueError(f"calls must be numbers of 0 or more; check the rows {rows}")

    cache: dict[float, StaffingResult] = {}  # a week has few distinct volumes
    results = []
    for value in calls.astype(float):
        if value not in cache:
            cache[value] = required_agents(
                value, interval_min, aht_s, target_sl, target_s, shrinkage, max_occupancy
            )
        results.append(cache[value])

    out = intervals.copy()
    out["agents"] = np.array([r.agents for r in results], dtype=np.int64)
    out["scheduled"] = np.array([r.scheduled for r in results], dtype=np.int64)
    out["service_level"] = np.array([r.service_level for r in results], dtype=float)
    out["asa_s"] = np.array([r.asa_s for r in results], dtype=float)
    out["occupancy"] = np.array([r.occupancy for r in results], dtype=float)
    return out


# --- arrivals ---------------------------------------------------------------------------


def data_window(
    created_at: pd.Series, weeks: int | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last calendar day that `arrivals_by_interval` averages over: from the first
    day of the data (or, with ``weeks``, the last ``7 x weeks`` days, never before the first
    day) to the last day. Raises ValueError when there are no timestamps."""
    times = pd.to_datetime(created_at).dropna()
    if times.empty:
        raise ValueError("no timestamps to average over")
    if times.dt.tz is not None:
        times = times.dt.tz_localize(None)
    days = times.dt.normalize()
    first, last = days.min(), days.max()
    if weeks is not None:
        first = max(first, last - pd.Timedelta(days=7 * weeks - 1))
    return first, last


def arrivals_by_interval(
    created_at: pd.Series, interval_min: int = 30, weeks: int | None = None
) -> pd.DataFrame:
    """Mean contacts per (weekday 0=Mon..6, interval start "HH:MM").

    The data window runs from the first to the last calendar day in ``created_at`` (or, with
    ``weeks``, the last ``7 x weeks`` days of it, never before the first day). A weekday
    occurring k times in the window divides by k, so days without tickets count as 0. Every
    interval of each weekday present in the window is listed. Timestamps are taken at their
    own wall-clock time; missing ones (NaT) are skipped.
    """
    try:
        step = operator.index(interval_min)
    except TypeError:
        raise ValueError(
            f"interval_min must be a whole number of minutes, got {interval_min!r}"
        ) from None
    if step <= 0 or 1440 % step:
        raise ValueError(f"interval_min must divide a day (e.g. 15, 30, 60), got {interval_min!r}")
    if weeks is not None:
        try:
            n_weeks = operator.index(weeks)
        except TypeError:
            raise ValueError(f"weeks must be a whole number or None, got {weeks!r}") from None
        if n_weeks <= 0:
            raise ValueError(f"weeks must be 1 or more (or None for all), got {weeks!r}")

    columns = ["weekday", "interval", "calls"]
    times = pd.to_datetime(created_at).dropna()
    if times.dt.tz is not None:
        times = times.dt.tz_localize(None)  # wall clock where the ticket was created
    if times.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=d)
                for c, d in zip(columns, ["int64", "str", "float64"], strict=True)
            }
        )

    days = times.dt.normalize()
    start, last = data_window(times, weeks)
    if weeks is not None:
        keep = days >= start
        times, days = times[keep], days[keep]

    # How often each weekday occurs in the window, tickets or not.
    calendar = pd.date_range(start, last, freq="D")
    occurrences = pd.Series(calendar.day_of_week).value_counts().sort_index()

    slots_per_day = 1440 // step
    slot = (times.dt.hour * 60 + times.dt.minute) // step
    counts = (
        pd.Series(1, index=[times.dt.day_of_week.to_numpy(), slot.to_numpy()])
        .groupby(level=[0, 1])
        .sum()
    )
    grid = pd.MultiIndex.from_product(
        [occurrences.index, range(slots_per_day)], names=["weekday", "slot"]
    )
    counts = counts.reindex(grid, fill_value=0)
    divisor = occurrences.reindex(grid.get_level_values("weekday")).to_numpy()

    labels = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, step)], dtype=object)
    return pd.DataFrame(
        {
            "weekday": grid.get_level_values("weekday").to_numpy(dtype=np.int64),
            "interval": pd.array(labels[grid.get_level_values("slot").to_numpy()], dtype="str"),
            "calls": counts.to_numpy(dtype=float) / divisor,
        }
    )


# The Staffing sheet's inputs (csxl.workbook.sheets.staffing builds and reads them).
@dataclass
class StaffingInputs:
    """The Staffing sheet's inputs and what csxl computed for it."""

    aht_s: float = 180.0
    target_sl: float = 0.8
    target_s: float = 20.0
    shrinkage: float = 0.3
    interval_min: int = 30
    weeks: int | None = 4
    max_occupancy: float = 1.0
    source: str = "data"  # or "forecast"
    # (weekday 0..6, interval index) -> mean arrivals from the Data sheet (OWNED).
    data_arrivals: dict[tuple[int, int], float] = field(default_factory=dict)
    forecast: dict[tuple[int, int], float] = field(default_factory=dict)
    computed: str | None = None  # the status line: window and time of the computation

    @property
    def slots(self) -> int:
        return 1440 // self.interval_min

    def arrivals(self) -> dict[tuple[int, int], float] | None:
        """The arrivals the results use; None when there is nothing to compute from."""
        if self.source == "forecast":
            return {
                (w, i): self.forecast.get((w, i), 0.0) for w in range(7) for i in range(self.slots)
            }
        return self.data_arrivals or None
