"""Vectorised parsing of messy export values into typed columns.

Every parser takes a pandas Series as a reader produced it (strings, floats, datetimes or a
mix) and returns a `Parsed`: the typed values and a mask of cells that hold something that
is not a valid value of that kind (a blank cell is missing, not bad). Nothing here loops
over rows in Python; regexes run in Arrow when pandas strings are Arrow-backed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Full-width digits, letters, punctuation and the ideographic space (U+3000) to ASCII.
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_BLANKS = " \t\r\n\u3000\xa0"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial 1 = 1900-01-01 after Excel's 1900 bug

_DATETIME = (
    r"^(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
    r"(?:(?:\s+|T)(?P<hour>\d{1,2})\s*[:时]\s*(?P<minute>\d{1,2})"
    r"(?:\s*[:分]\s*(?P<second>\d{1,2}(?:\.\d+)?)\s*秒?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_HMS = r"^(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d+)?)$"

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "t", "1", "1.0", "√", "✓", "对", "有"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "f", "0", "0.0", "×", "✗", "无", "不是"})
CSAT_WORDS = {"非常满意": 5.0, "满意": 4.0, "一般": 3.0, "不满意": 2.0, "非常不满意": 1.0}
# Zendesk's Satisfaction Score: (answered as good?, survey sent?)
CSAT_MARKERS = {
    "good": (True, True),
    "bad": (False, True),
    "offered": (None, True),
    "unoffered": (None, False),
    "notoffered": (None, False),
}


@dataclass
class Parsed:
    values: pd.Series
    bad: pd.Series  # bool: present but not a valid value


def _is_text(s: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(s)
        or pd.api.types.is_datetime64_any_dtype(s)
        or pd.api.types.is_bool_dtype(s)
    )


def text(s: pd.Series, *, fold_width: bool = False) -> pd.Series:
    """Trimmed text with blanks as NA; numbers written without a spurious `.0`."""
    if pd.api.types.is_float_dtype(s):
        whole = s.notna() & (s == np.floor(s))
        out = s.astype("string")
        out[whole] = s[whole].astype("int64").astype("string")
        s = out
    elif not _is_text(s):
        s = s.astype("string")
    s = s.astype("string").str.strip(_BLANKS)
    if fold_width:
        wide = s.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False)
        if wide.any():
            s = s.copy()
            s[wide] = s[wide].str.translate(_FULL_WIDTH)
    return s.mask(s == "")


def _from_serial(days: pd.Series) -> pd.Series:
    # Round to whole seconds: Excel stores times as binary fractions of a day.
    seconds = (days.astype("float64") * 86400.0).round()
    return _EXCEL_EPOCH + pd.to_timedelta(seconds, unit="s")


def datetimes(s: pd.Series) -> Parsed:
    """Excel dates, serial numbers, ISO and Chinese date-time text -> datetime64[ns]."""
    if pd.api.types.is_datetime64_any_dtype(s):
        values = s.dt.tz_localize(None) if s.dt.tz is not None else s
        return Parsed(values.dt.round("s").astype("datetime64[ns]"), pd.Series(False, s.index))
    if pd.api.types.is_numeric_dtype(s):
        ok = s.notna() & (s > 0)
        values = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
        values[ok] = _from_serial(s[ok])
        return Parsed(values, s.notna() & ~ok)
    t = text(s, fold_width=True)
    present = t.notna()
    values = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    serial = present & t.str.fullmatch(_NUMBER).fillna(False)
    if serial.any():
        days = pd.to_numeric(t[serial])
        ok = days > 0
        values[serial[serial].index[ok]] = _from_serial(days[ok])
    rest = present & ~serial
    if rest.any():
        parts = t[rest].str.extract(_DATETIME).dropna(subset=["year"])
        if len(parts):
            field = {k: pd.to_numeric(parts[k]).astype("float64").fillna(0) for k in parts}
            stamp = pd.to_datetime(
                pd.DataFrame({k: field[k].astype("int64") for k in ("year", "month", "day")}),
                errors="coerce",
            )
            # Impossible dates (2026-02-30) come back as NaT; impossible clocks are masked.
            clock_ok = (field["hour"] <= 23) & (field["minute"] <= 59) & (field["second"] < 60)
            offset = field["hour"] * 3600 + field["minute"] * 60 + field["second"]
            stamp = (stamp + pd.to_timedelta(offset, unit="s")).where(clock_ok)
            values[parts.index] = stamp.dt.round("s")
    return Parsed(values, present & values.isna())


def numbers(s: pd.Series) -> Parsed:
    """Numbers, also when stored as text (spaces, full-width digits, thousands commas)."""
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("float64"), pd.Series(False, s.index))
    if pd.api.types.is_numeric_dtype(s):
        return Parsed(s.astype("float64"), pd.Series(False, s.index))
    t = text(s, fold_width=True)
    t = t.str.replace(r"(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True)
    ok = t.str.fullmatch(_NUMBER).fillna(False)
    values = pd.Series(np.nan, index=s.index, dtype="float64")
    if ok.any():
        values[ok] = pd.to_numeric(t[ok]).astype("float64")
    return Parsed(values, t.notna() & ~ok)


def durations(s: pd.Series, scale: float = 1.0) -> Parsed:
    """Seconds from numbers (times `scale`, e.g. 60 for minutes) or `H:MM:SS` text."""
    parsed = numbers(s)
    values = parsed.values * scale
    bad = parsed.bad
    if bad.any():
        hms = text(s[bad], fold_width=True).str.extract(_HMS)
        seconds = (
            pd.to_numeric(hms["h"]) * 3600 + pd.to_numeric(hms["m"]) * 60 + pd.to_numeric(hms["s"])
        )
        good = seconds.notna()
        values[good[good].index] = seconds[good]
        bad = bad.copy()
        bad[good[good].index] = False
    return Parsed(values, bad)


def booleans(s: pd.Series) -> Parsed:
    """是/否, Y/N, 1/0, TRUE/FALSE (any case); 已…/未… forms such as 已复核/未复核."""
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("boolean"), pd.Series(False, s.index))
    if pd.api.types.is_numeric_dtype(s):
        values = pd.Series(pd.NA, index=s.index, dtype="boolean")
        values[s == 1] = True
        values[s == 0] = False
        return Parsed(values, s.notna() & values.isna())
    t = text(s, fold_width=True).str.lower()
    true = t.isin(TRUE_WORDS) | t.str.startswith("已").fillna(False)
    false = t.isin(FALSE_WORDS) | t.str.match(r"^[未不没]").fillna(False)
    values = pd.Series(pd.NA, index=s.index, dtype="boolean")
    values[true] = True
    values[false & ~true] = False
    return Parsed(values, t.notna() & values.isna())


@dataclass
class Csat:
    score: pd.Series  # float 1..5, NaN when unanswered or answered good/bad
    good: pd.Series  # boolean: satisfied (4-5 or good); NA when unanswered
    sent: pd.Series  # boolean: a survey marker said whether one was sent; NA otherwise
    bad: pd.Series


def csat(s: pd.Series) -> Csat:
    """Scores 1-5 (also `5分`), Chinese words, good/bad and Zendesk's Offered/Unoffered."""
    index = s.index
    score = pd.Series(np.nan, index=index, dtype="float64")
    good = pd.Series(pd.NA, index=index, dtype="boolean")
    sent = pd.Series(pd.NA, index=index, dtype="boolean")
    if pd.api.types.is_numeric_dtype(s):
        score = s.astype("float64")
        present = score.notna()
    else:
        t = text(s, fold_width=True)
        present = t.notna()
        key = t.str.replace(r"[\s_-]", "", regex=True).str.lower()
        numeric = key.str.replace(r"[分星]$", "", regex=True)
        is_number = numeric.str.fullmatch(_NUMBER).fillna(False)
        if is_number.any():
            score[is_number] = pd.to_numeric(numeric[is_number]).astype("float64")
        worded = key.map(CSAT_WORDS)
        score = score.fillna(worded.astype("float64"))
        for marker, (is_good, was_sent) in CSAT_MARKERS.items():
            hit = key == marker
            if hit.any():
                sent[hit] = was_sent
                if is_good is not None:
                    good[hit] = is_good
        unknown = present & score.isna() & sent.isna()
        score = score.where(present)
    in_scale = score.between(1, 5)
    out_of_scale = score.notna() & ~in_scale
    good = good.mask(in_scale, score >= 4)
    bad = out_of_scale if pd.api.types.is_numeric_dtype(s) else (out_of_scale | unknown)
    return Csat(score.where(in_scale), good, sent, bad)


SEVERITY = {
    "紧急": "紧急",
    "urgent": "紧急",
    "重要": "重要",
    "high": "重要",
    "常规": "常规",
    "normal": "常规",
    "low": "常规",
    "一般": "常规",
    "普通": "常规",
}


def severity(s: pd.Series) -> pd.Series:
    """紧急/重要/常规; urgent/high/normal/low as Zendesk writes them. Others kept as written."""
    t = text(s)
    return t.str.lower().map(SEVERITY).fillna(t)
