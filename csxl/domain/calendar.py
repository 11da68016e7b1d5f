"""Business calendars and SLA clocks on China working days (pandas; no Excel library).

Conventions (../shared/spec/kpis.md, "N working days" and the business-hours clock):

- Working days are Monday-Friday minus China statutory holidays plus 调休 make-up working
  days, as published by the State Council and packaged in `chinese-calendar`. The workbook's
  Holidays sheet adds local days off (`extra_holidays`) and local working days
  (`extra_workdays`); they override the official calendar.
- "N working days" counts from the sending day, which is day 0 whatever kind of day it is;
  the item is due by the end (24:00) of the Nth working day after it. A deadline is returned
  as the instant midnight at the START of the following day, so `done_at <= deadline` means
  met: every limit is inclusive (finishing at exactly 24:00 meets it).
- chinese-calendar only knows the years already announced (1.11: 2004-2026; `covered_years()`
  asks the installed release). For any other year the calendar falls back to weekends plus
  the Holidays sheet, records the months it guessed in `WorkCalendar.guessed_months` and
  reports them through `WorkCalendar.warnings()`; it never guesses silently. A year whose
  official schedule the Holidays sheet supplies (`entered_years`: the State Council notice
  pasted there, or the days typed) is not a guess: its weekdays are working days unless the
  sheet says otherwise, like the package's own data.
- The business-hours clock counts only open hours (`OpeningHours`, one window per weekday,
  end 24:00 allowed) on open days: working days only, unless the hours are flagged
  `every_day` (a 7x24 online service works holidays too; that is the default for 7x24).
- Timestamps are local wall-clock time (naive). Time-zone-aware input is measured on its
  wall clock.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import chinese_calendar
import numpy as np
import pandas as pd

__all__ = ["GuessedDays", "OpeningHours", "WorkCalendar", "covered_years", "year_covered"]

DAY_SECONDS = 86_400
_NS = 1_000_000_000
_DAY_NS = DAY_SECONDS * _NS
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)

TimeLike = time | str

Window = tuple[int, int]  # (open, close) in seconds of the day, 0 <= open < close <= 86400


def _seconds_of_day(value: TimeLike, *, is_end: bool) -> int:
    """Seconds since midnight of `value`: a `datetime.time` or "HH:MM[:SS]" text.

    "24:00" is allowed as an end; so is `time(0, 0)` as an end, since a window cannot end at
    the midnight it starts from (`datetime.time` has no 24:00).
    """
    if isinstance(value, time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
    elif isinstance(value, str):
        text = value.strip().replace("：", ":")  # full-width colon, as typed in Chinese sheets
        match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text)
        if not match:
            raise ValueError(f"not a time of day: {value!r} (write it as 09:00 or 24:00)")
        hours, minutes, secs = int(match[1]), int(match[2]), int(match[3] or 0)
        if minutes > 59 or secs > 59 or hours > 24 or (hours == 24 and (minutes or secs)):
            raise ValueError(f"not a time of day: {value!r}")
        seconds = hours * 3600 + minutes * 60 + secs
    else:
        raise TypeError(f"a time of day must be datetime.time or text, not {type(value)!r}")
    if is_end and seconds == 0:
        return DAY_SECONDS
    if not is_end and seconds == DAY_SECONDS:
        raise ValueError("an opening time cannot be 24:00")
    return seconds


def _window(start: TimeLike, end: TimeLike) -> Window:
    window = (_seconds_of_day(start, is_end=False), _seconds_of_day(end, is_end=True))
    if window[0] >= window[1]:
        raise ValueError(f"opening hours must start before they end: {start}-{end}")
    return window


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (Monday = 0 .. Sunday = 6), one window a day at most.

    Build it with `OpeningHours.always()` (7x24), `OpeningHours.daily("09:00", "24:00")` or
    `OpeningHours.per_weekday({0: ("09:00", "18:00"), ...})`. The fields hold seconds of the
    day: `windows[w]` is `(open, close)` or None for a weekday with no service.

    `every_day=False` applies the hours on working days only (statutory holidays, weekends
    and Holidays-sheet days are closed). A 调休 make-up working day that falls on a weekend
    is worked like a weekday: it uses its own weekday's window if one is configured,
    otherwise `makeup` (default: Monday's window, else the first configured weekday).
    `every_day=True` opens on every day that has a window, holidays included.
    """

    windows: tuple[Window | None, ...]
    every_day: bool = False
    makeup: Window | None = None

    def __post_init__(self) -> None:
        if len(self.windows) != 7:
            raise ValueError("opening hours need one entry per weekday (Monday = 0 .. Sunday = 6)")
        for window in (*self.windows, self.makeup):
            if window is not None and not (0 <= window[0] < window[1] <= DAY_SECONDS):
                raise ValueError(f"opening window out of range: {window}")
        if all(window is None for window in self.windows) and self.makeup is None:
            raise ValueError("opening hours are closed every day of the week")

    @classmethod
    def always(cls, *, every_day: bool = True) -> OpeningHours:
        """7x24 service; by default open on holidays too (the business clock is wall-clock)."""
        return cls(windows=((0, DAY_SECONDS),) * 7, every_day=every_day)

    @classmethod
    def daily(cls, start: TimeLike, end: TimeLike, *, every_day: bool = False) -> OpeningHours:
        """The same window every weekday, e.g. `daily("09:00", "24:00")` for online service."""
        return cls(windows=(_window(start, end),) * 7, every_day=every_day)

    @classmethod
    def per_weekday(
        cls,
        days: Mapping[int, tuple[TimeLike, TimeLike] | None],
        *,
        every_day: bool = False,
        makeup: tuple[TimeLike, TimeLike] | None = None,
    ) -> OpeningHours:
        """Custom hours: `{weekday: (start, end)}`; a weekday left out is closed."""
        for weekday in days:
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), not {weekday!r}")
        windows = tuple(
            _window(*days[w]) if days.get(w) is not None else None  # type: ignore[misc]
            for w in range(7)
        )
        return cls(
            windows=windows,
            every_day=every_day,
            makeup=_window(*makeup) if makeup is not None else None,
        )

    @property
    def makeup_window(self) -> Window | None:
        """The window of a weekend make-up working day that has no window of its own."""
        if self.makeup is not None:
            return self.makeup
        # Monday first, then the rest of the week in order.
        return next((window for window in self.windows if window is not None), None)


@dataclass(frozen=True)
class _DayTable:
    """Open window and cumulative open time of each day of a date range, in nanoseconds.

    The business position of an instant t on day i is
    `cum[i] + clip(time_of_day(t), open[i], close[i]) - open[i]`: a non-decreasing function of
    t, flat while closed. A business span is a difference of two positions, and "add N
    business seconds" inverts it, both as numpy look-ups instead of a loop per row.
    """

    first_day: int  # days since 1970-01-01
    open_ns: np.ndarray
    close_ns: np.ndarray
    cum_ns: np.ndarray  # len(days) + 1; cum_ns[i] = open time before day i
    fallback: np.ndarray  # day decided by the weekend fallback (year unknown to chinese-calendar)

    @property
    def total_ns(self) -> int:
        return int(self.cum_ns[-1])

    def positions(self, ts_ns: np.ndarray) -> np.ndarray:
        day = ts_ns // _DAY_NS
        idx = day - self.first_day
        time_of_day = ts_ns - day * _DAY_NS
        opens = self.open_ns[idx]
        return self.cum_ns[idx] + np.clip(time_of_day, opens, self.close_ns[idx]) - opens


def _to_wall_clock(values: pd.Series) -> tuple[pd.Series, object]:
    """A datetime64 Series on the local wall clock, and the time zone it came with."""
    if not isinstance(values, pd.Series):
        raise TypeError(f"expected a pandas Series of timestamps, not {type(values)!r}")
    ts = values
    if not pd.api.types.is_datetime64_any_dtype(ts.dtype):  # tz-aware dtypes included
        ts = pd.to_datetime(ts)
    tz = ts.dt.tz
    if tz is not None:
        ts = ts.dt.tz_localize(None)
    return ts, tz


def _ns(ts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """int64 nanoseconds since the epoch (0 where missing) and the missing mask."""
    missing = ts.isna().to_numpy()
    ns = ts.astype("datetime64[ns]").to_numpy().view("int64").copy()
    ns[missing] = 0
    return ns, missing


def _from_ns(ns: np.ndarray, missing: np.ndarray, like: pd.Series, tz: object) -> pd.Series:
    """A datetime Series in `like`'s resolution (and time zone) from nanoseconds."""
    out = pd.Series(ns.astype("datetime64[ns]"), index=like.index, name=like.name)
    out[missing] = pd.NaT
    out = out.dt.as_unit(like.dt.unit)
    if tz is not None:
        out = out.dt.tz_localize(tz)
    return out


def _official(d: date) -> bool | None:
    """Is `d` a working day by chinese-calendar; None for a year the package does not know."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


@functools.cache
def covered_years() -> range:
    """The years the installed chinese-calendar knows (1.11: 2004-2026), asked of the package
    itself so that upgrading it moves the range without a change here."""
    known = [y for y in range(1990, 2200) if _official(date(y, 6, 1)) is not None]
    if not known:
        return range(0)
    return range(known[0], known[-1] + 1)


def year_covered(year: int) -> bool:
    return year in covered_years()


# A year's official schedule has at least this many days off: the statutory holidays alone
# are 13 days (since 2025; 11 before), and every notice since 2004 gives 22 or more days off
# with the weekends inside its ranges. A local day off or two never reaches it.
MIN_DAYS_OFF = 13


def entered_years(days_off: Iterable[date], notice_years: Iterable[int] = ()) -> tuple[int, ...]:
    """The years chinese-calendar does not know whose official schedule the Holidays sheet
    holds: the notice pasted for it (`notice_years`), or at least MIN_DAYS_OFF days off typed
    in it. For the others the weekends are a guess, and a warning says so."""
    count: dict[int, int] = {}
    for d in days_off:
        count[d.year] = count.get(d.year, 0) + 1
    years = {y for y, n in count.items() if n >= MIN_DAYS_OFF} | set(notice_years)
    return tuple(sorted(y for y in years if not year_covered(y)))


# Uses of the working-day calendar, named in GuessedDays so that a plan can say which of
# its results a guessed day reached.
USES = {"sla": "SLA clocks", "dept_sla": "dept_sla", "bonus": "bonus pro-rating"}


class GuessedDays(str):
    """A calendar warning (English text, so it reads as any other warning) that also carries
    the year, the months whose working days were guessed and the use that guessed them."""

    year: int
    months: tuple[str, ...]
    use: str

    def __new__(cls, year: int, months: Iterable[str], use: str = "") -> GuessedDays:
        months = tuple(sorted(months))
        where = f"{USES.get(use, use)}: " if use else ""
        text = (
            f"{year}: chinese-calendar has no official holidays for this year; using weekends "
            f"and the Holidays sheet ({where}{', '.join(months)})"
        )
        obj = super().__new__(cls, text)
        obj.year, obj.months, obj.use = year, months, use
        return obj

    def __reduce__(self):  # pickled through batch's process pool: rebuild from the fields
        return (GuessedDays, (self.year, self.months, self.use))


class WorkCalendar:
    """China working days (chinese-calendar + the Holidays sheet) and opening hours.

    `guessed_months` holds every month ("YYYY-MM") with a day looked at in a year that
    chinese-calendar does not cover and the Holidays sheet does not complete
    (`entered_years`); such a day used weekends plus the Holidays sheet, and `warnings()`
    says so in one line a year.
    """

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        hours: OpeningHours | None = None,
        entered_years: Iterable[int] = (),
    ) -> None:
        self.extra_holidays: frozenset[date] = frozenset(_as_date(d) for d in extra_holidays)
        self.extra_workdays: frozenset[date] = frozenset(_as_date(d) for d in extra_workdays)
        both = self.extra_holidays & self.extra_workdays
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"a date cannot be both a holiday and a working day: {listed}")
        self.hours: OpeningHours = hours if hours is not None else OpeningHours.always()
        self.entered_years: frozenset[int] = frozenset(entered_years)
        self.guessed_months: set[str] = set()
        # The same few hundred dates repeat across a million tickets: answer each once.
        # Value: (is a working day, decided by the weekend fallback).
        self._day_cache: dict[date, tuple[bool, bool]] = {}

    # -- working days ------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """Is `d` a working day (Mon-Fri minus statutory holidays plus 调休 make-up days)?"""
        workday, fallback = self._lookup(_as_date(d))
        if fallback:
            self.guessed_months.add(f"{d:%Y-%m}")
        return workday

    @property
    def uncovered_years(self) -> set[int]:
        """The years of `guessed_months`."""
        return {int(month[:4]) for month in self.guessed_months}

    def _lookup(self, d: date) -> tuple[bool, bool]:
        cached = self._day_cache.get(d)
        if cached is None:
            cached = self._day_cache[d] = self._compute_workday(d)
        return cached

    def _compute_workday(self, d: date) -> tuple[bool, bool]:
        # The Holidays sheet overrides the official calendar.
        if d in self.extra_workdays:
            return True, False
        if d in self.extra_holidays:
            return False, False
        official = _official(d)
        if official is None:
            # chinese-calendar has no State Council notice for this year. Fall back to
            # weekends (plus the Holidays sheet, above); the caller records the month so that
            # it is reported, never a silent guess -- unless the sheet holds the year's
            # official schedule, which makes the weekdays left working days by the notice.
            return d.weekday() < 5, d.year not in self.entered_years
        return official, False

    def warnings(self, use: str = "") -> list[str]:
        """One message per year whose working days were guessed, with the months (and the
        use, one of `USES`, when the caller names it)."""
        by_year: dict[int, list[str]] = {}
        for month in sorted(self.guessed_months):
            by_year.setdefault(int(month[:4]), []).append(month)
        return [GuessedDays(year, months, use) for year, months in by_year.items()]

    def add_workdays(self, d: date, n: int) -> date:
        """The Nth working day after `d` (before it for negative n); `d` itself is day 0.

        `add_workdays(d, 0)` is `d` whatever kind of day it is.
        """
        d = _as_date(d)
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_workday(d):
                remaining -= 1
        return d

    def workday_deadline(self, sent: pd.Series, n: int) -> pd.Series:
        """Deadline of "N working days" from each `sent` timestamp (dept_sla's 产品优化 limit).

        Due by the end (24:00) of the Nth working day after the sending day (day 0), returned
        as midnight at the start of the following day so that `done_at <= deadline` means met.
        NaT stays NaT. Computed once per distinct sending date, then mapped back to the rows.
        """
        if n < 0:
            raise ValueError(f"a number of working days cannot be negative: {n}")
        ts, tz = _to_wall_clock(sent)
        codes, uniques = pd.factorize(ts.dt.normalize())  # NaT gets code -1
        per_date = np.array(
            [_day_ns(self.add_workdays(day.date(), n) + timedelta(days=1)) for day in uniques]
            + [0],  # the slot code -1 picks: a missing `sent`, masked below
            dtype=np.int64,
        )
        return _from_ns(per_date[codes], codes < 0, ts, tz)

    # -- business-hours clock ----------------------------------------------------------

    def _day_table(self, first_day: int, last_day: int) -> _DayTable:
        hours = self.hours
        days = np.arange(first_day, last_day + 1, dtype=np.int64)
        weekday = (days + _EPOCH_WEEKDAY) % 7
        week_open = np.array([w[0] if w else 0 for w in hours.windows], dtype=np.int64)
        week_close = np.array([w[1] if w else 0 for w in hours.windows], dtype=np.int64)
        opens, closes = week_open[weekday], week_close[weekday]
        fallback = np.zeros(len(days), dtype=bool)
        if not hours.every_day:
            dates = days.astype("datetime64[D]").astype(object)  # datetime.date objects
            looked_up = [self._lookup(d) for d in dates]
            work = np.fromiter((w for w, _ in looked_up), dtype=bool, count=len(days))
            fallback = np.fromiter((f for _, f in looked_up), dtype=bool, count=len(days))
            makeup = hours.makeup_window
            if makeup is not None:
                # A weekend make-up working day with no window of its own works weekday hours.
                borrow = work & (weekday >= 5) & (opens == closes)
                opens = np.where(borrow, makeup[0], opens)
                closes = np.where(borrow, makeup[1], closes)
            opens = np.where(work, opens, 0)
            closes = np.where(work, closes, 0)
        cum = np.zeros(len(days) + 1, dtype=np.int64)
        np.cumsum((closes - opens) * _NS, out=cum[1:])
        return _DayTable(first_day, opens * _NS, closes * _NS, cum, fallback)

    def _record_fallback(self, table: _DayTable, lo_day: np.ndarray, hi_day: np.ndarray) -> None:
        """Record the uncovered years of the days some row's clock actually ran through.

        A table reaches beyond the rows (margins); only days in a row's [lo_day, hi_day]
        count, so a search margin that peeks into next year raises no false warning.
        """
        if not table.fallback.any() or len(lo_day) == 0:
            return
        n = len(table.fallback)
        coverage = np.zeros(n + 1, dtype=np.int64)
        np.add.at(coverage, lo_day - table.first_day, 1)
        np.add.at(coverage, hi_day - table.first_day + 1, -1)
        used = (np.cumsum(coverage[:n]) > 0) & table.fallback
        for day in np.flatnonzero(used) + table.first_day:
            self.guessed_months.add(str(np.datetime64(int(day), "D"))[:7])

    def business_seconds_between(self, start: pd.Series, end: pd.Series) -> pd.Series:
        """Business seconds from `start` to `end`, row by row (same index).

        Only open hours on open days count. NaN where either side is NaT; an `end` before
        `start` gives the negative of the reversed span.
        """
        start_ts, _ = _to_wall_clock(start)
        end_ts, _ = _to_wall_clock(end)
        if not start_ts.index.equals(end_ts.index):
            raise ValueError("start and end must share the same index")
        start_ns, start_missing = _ns(start_ts)
        end_ns, end_missing = _ns(end_ts)
        present = ~(start_missing | end_missing)
        result = np.full(len(start_ns), np.nan)
        if present.any():
            s, e = start_ns[present], end_ns[present]
            lo, hi = np.minimum(s, e), np.maximum(s, e)
            table = self._day_table(int(lo.min() // _DAY_NS), int(hi.max() // _DAY_NS))
            result[present] = (table.positions(e) - table.positions(s)) / _NS
            # An instant at midnight does not depend on the day it opens: hence hi - 1 ns.
            span = hi > lo
            self._record_fallback(
                table, lo[span] // _DAY_NS, np.maximum(lo[span], hi[span] - 1) // _DAY_NS
            )
        return pd.Series(result, index=start.index, dtype="float64")

    def add_business_seconds(self, start: pd.Series, seconds: float | pd.Series) -> pd.Series:
        """The instant `seconds` business seconds after `start` (before it, if negative).

        The clock only runs in open hours. A start outside open hours begins at the next
        opening, so adding N > 0 seconds to Saturday 10:00 (closed) ends N seconds after the
        next opening; adding 0 returns that next opening (or `start` itself when open).
        Counting backwards, a closed start begins at the previous closing. A result that
        lands exactly on a closing time is that closing time (24:00 is the next midnight),
        never the next opening. NaT start or NaN seconds give NaT.
        Either way `business_seconds_between(start, result) == seconds`.
        """
        ts, tz = _to_wall_clock(start)
        start_ns, missing = _ns(ts)
        if isinstance(seconds, pd.Series):
            if not seconds.index.equals(ts.index):
                raise ValueError("start and seconds must share the same index")
            secs = pd.to_numeric(seconds).to_numpy(dtype="float64", na_value=np.nan)
        else:
            secs = np.full(len(start_ns), float(seconds))
        missing = missing | np.isnan(secs)
        out = np.zeros(len(start_ns), dtype=np.int64)
        if (~missing).any():
            delta = np.round(secs[~missing] * _NS).astype(np.int64)
            out[~missing] = self._add_ns(start_ns[~missing], delta)
        return _from_ns(out, missing, ts, tz)

    def _add_ns(self, start_ns: np.ndarray, delta: np.ndarray) -> np.ndarray:
        first, last = int(start_ns.min() // _DAY_NS), int(start_ns.max() // _DAY_NS)
        # A first guess of the days the furthest jump needs, doubled until every row fits.
        week_ns = sum(close - open_ for open_, close in (w for w in self.hours.windows if w))
        reach = int(np.abs(delta).max())
        margin = 7 * math.ceil(reach / (week_ns * _NS)) + 14 if week_ns else 14
        positive = delta > 0
        while True:
            table = self._day_table(first - margin, last + margin)
            target = table.positions(start_ns) + delta
            # Positive: the earliest instant reaching the target, inside day idx's window
            # (a closing time stays a closing time); zero or negative: the latest instant at
            # the target (an opening time stays one), which needs a day that opens after it.
            fits = (target[positive] <= table.total_ns).all() and (
                (target[~positive] >= 0).all() and (target[~positive] < table.total_ns).all()
            )
            if fits:
                break
            margin *= 2
            if margin > 366 * 400:
                raise ValueError("the opening hours leave no open time to count in")
        cum_end = table.cum_ns[1:]
        idx = np.where(
            positive,
            np.searchsorted(cum_end, target, side="left"),
            np.searchsorted(cum_end, target, side="right"),
        )
        day = table.first_day + idx
        start_day = start_ns // _DAY_NS
        self._record_fallback(table, np.minimum(start_day, day), np.maximum(start_day, day))
        return day * _DAY_NS + table.open_ns[idx] + (target - table.cum_ns[idx])


def official_days(year: int) -> list[tuple[date, bool, str | None]] | None:
    """The year's statutory days off on weekdays and 调休 make-up working days on weekends,
    as chinese-calendar has them: (date, is a day off, holiday name). None when the package
    does not know the year."""
    out = []
    d = date(year, 1, 1)
    while d.year == year:
        try:
            holiday, name = chinese_calendar.get_holiday_detail(d)
        except NotImplementedError:
            return None
        weekend = d.weekday() >= 5
        if (holiday and name is not None) or (not holiday and weekend):
            out.append((d, bool(holiday), name))
        d += timedelta(days=1)
    return out


def _day_ns(d: date) -> int:
    """Nanoseconds since the epoch of midnight at the start of `d`."""
    return (d - date(1970, 1, 1)).days * _DAY_NS


def _as_date(d: date) -> date:
    """A plain `date` from a date, datetime or pandas Timestamp."""
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date, not {type(d)!r}")
