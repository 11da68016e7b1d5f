"""From a raw table of call records to the calls `csxl.domain.calls` counts.

Rows, as for tickets (`csxl.domain.tickets`):
1. `read` counts the non-blank rows below the header.
2. A row is rejected, each problem listed with row, column and reason, when its start time
   is empty, not a date-time, before 1900 or more than a day after the run; its answered
   value is empty or not a yes/no or call-result word; its abandoned value is not one; its
   wait is not a number (seconds, `H:MM:SS`, `1分05秒`), negative or longer than a day; it
   says both answered and abandoned; or a mapped cell holds an Excel error value. Guessing
   would change a KPI, so an unknown word is a reject, never a default.
3. Among the valid rows a repeated call id keeps its last row (`duplicates`, as tickets); a
   blank call id is never a duplicate, and without a call id column every row is a call.
So read = valid + rejected + duplicates.

Blank cells say nothing, so they never change a KPI by themselves: an optional column with
no value in any row is treated as absent (the plan's Call records header has every column,
and an export pasted under it may fill only some), and a blank abandoned cell follows the
rule for calls without that column: not answered means abandoned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from csxl.domain import identity, normalise
from csxl.domain.columns import CALL_COLUMNS, CALL_REQUIRED, Kind
from csxl.domain.synonyms import normalise_header
from csxl.domain.tickets import (
    EARLIEST,
    FUTURE_SLACK,
    LoadedRows,
    Problem,
    _codes,
    _excel_errors,
    _excel_errors_among,
    _flags,
    blank_rows,
    reject,
)

CALL_REASONS: dict[str, tuple[str, str]] = {
    "missing_start": ("来电时间为空", "start time is empty"),
    "bad_datetime": ("不是有效的日期时间", "not a valid date and time"),
    "date_range": ("日期早于 1900 年或晚于今天", "date before 1900 or after today"),
    "missing_answered": ("是否接通为空", "answered is empty"),
    "bad_answered": (
        "不是 是/否 或 接通/未接通 等接听结果",
        "not a yes/no or answered/unanswered value",
    ),
    "bad_abandoned": ("不是 是/否 或 放弃/未放弃", "not a yes/no or abandoned value"),
    "bad_wait": ("等待时长不是秒数", "wait time is not a number of seconds"),
    "negative_wait": ("等待时长为负数", "negative wait time"),
    "too_long": ("等待时长超过一天", "wait time longer than a day"),
    "answered_and_abandoned": ("同一通电话既接通又放弃", "both answered and abandoned"),
    "excel_error": ("单元格是 Excel 错误值", "the cell holds an Excel error value"),
}

# Call-result words, after NFKC, case folding and removing blanks (`No answer` = noanswer).
# They come before the generic 是/否 words; there is no 已…/未… rule here: 已放弃 in an
# answered column means not answered.
_ANSWERED = ("接通", "已接通", "接听", "已接听", "应答", "已应答", "answered", "connected")
_ABANDONED = ("放弃", "已放弃", "排队放弃", "振铃放弃", "客户放弃", "主动放弃", "呼损", "abandoned")
ANSWERED_WORDS: dict[str, bool] = {
    **{w: True for w in _ANSWERED},
    **{w: False for w in _ABANDONED},
    **{
        w: False
        for w in ("未接通", "未接听", "未应答", "未接", "漏接", "missed", "unanswered", "noanswer")
    },
}
ABANDONED_WORDS: dict[str, bool] = {
    **{w: True for w in _ABANDONED},
    **{w: False for w in (*_ANSWERED, "未放弃", "notabandoned")},
}
LONGEST_WAIT_S = 86_400.0  # nobody waits a day in a queue: a unit mix-up (ms?) or a typo
_ZH_DURATION = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)(?:小时|时))?(?:(?P<m>\d+(?:\.\d+)?)分钟?)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)秒)?$"
)


@dataclass
class CallProblem(Problem):
    def reason(self, lang: str = "zh") -> str:
        zh, en = CALL_REASONS[self.code]
        return zh if lang == "zh" else en


@dataclass
class CallSet(LoadedRows):
    """Valid, de-duplicated calls (index: the row number the user sees) and the rest."""

    source: str
    sheet: str | None
    frame: pd.DataFrame  # started_at, answered (and call_id, agent, team, wait_s, abandoned)
    columns: frozenset[str]
    read: int
    rejected: int
    duplicates: int
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def call_flags(series: pd.Series, words: dict[str, bool]) -> normalise.Parsed:
    """A yes/no column of calls: the call-result `words` first, then 是/否, Y/N, 1/0 ..."""
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return normalise.booleans(series)
    text = normalise.text(series, fold_width=True)
    lookup: dict[str, bool | None] = {}
    for value in text.dropna().unique():
        key = normalise_header(value)
        if key in words:
            lookup[value] = words[key]
        elif key in normalise.TRUE_WORDS or key in normalise.FALSE_WORDS:
            lookup[value] = key in normalise.TRUE_WORDS
        else:
            lookup[value] = None
    mapped = text.map(lookup).astype(object)
    values = pd.array(mapped.where(mapped.notna(), None).tolist(), dtype="boolean")
    flags = pd.Series(values, index=series.index)
    return normalise.Parsed(flags, text.notna() & flags.isna())


def wait_seconds(series: pd.Series, scale: float = 1.0) -> normalise.Parsed:
    """Seconds as numbers or `H:MM:SS` (`normalise.durations`), or written out the way
    Chinese exports do: 35秒, 1分05秒, 2分钟, 1小时2分3秒."""
    parsed = normalise.durations(series, scale)
    bad = parsed.bad.to_numpy(dtype=bool)
    if not bad.any():
        return parsed
    values = parsed.values.copy()
    text = normalise.text(series.iloc[np.flatnonzero(bad)], fold_width=True)
    fixed = np.zeros(len(series), dtype=bool)
    for label, value in text.items():
        m = _ZH_DURATION.fullmatch(re.sub(r"\s", "", str(value)))
        if m and any(m.group(g) for g in ("h", "m", "s")):
            h, mi, s = (float(m.group(g) or 0) for g in ("h", "m", "s"))
            values.loc[label] = h * 3600 + mi * 60 + s  # already seconds: no scale
            fixed[series.index.get_loc(label)] = True
    return normalise.Parsed(values, pd.Series(bad & ~fixed, index=series.index))


def load_calls(table, now: datetime | None = None) -> CallSet:
    """Type, validate and de-duplicate a `csxl.readers.table.RawTable` of calls.

    `now` (default: the clock) is the latest plausible start time, less a day of slack."""
    raw = table.frame
    latest = pd.Timestamp(now or datetime.now()) + FUTURE_SLACK
    header = table.match.header_of
    blank = blank_rows(raw)
    if blank.any():
        raw = raw[~blank]
    out: dict[str, pd.Series] = {}
    bad: dict[str, tuple[object, str]] = {}
    for column in raw.columns:
        kind = CALL_COLUMNS[column]
        series = raw[column]
        if kind is Kind.DATETIME:
            parsed = normalise.datetimes(series)
            out[column], bad[column] = parsed.values, (parsed.bad, "bad_datetime")
            v = parsed.values
            bad[column + "#range"] = ((v < EARLIEST) | (v > latest), "date_range")
        elif kind is Kind.SECONDS:
            parsed = wait_seconds(series, table.match.scales.get(column, 1.0))
            values = parsed.values
            infinite = np.isinf(values.to_numpy(dtype=float, na_value=np.nan))
            out[column] = values.where(~infinite)
            bad[column] = (parsed.bad | infinite, "bad_wait")
            bad[column + "#neg"] = (values < 0, "negative_wait")
            bad[column + "#long"] = ((values > LONGEST_WAIT_S) & ~infinite, "too_long")
        elif kind is Kind.BOOL:
            words = ANSWERED_WORDS if column == "answered" else ABANDONED_WORDS
            parsed = call_flags(series, words)
            out[column], bad[column] = parsed.values, (parsed.bad, f"bad_{column}")
        else:
            out[column] = normalise.text(series)
            bad[column + "#err"] = (_excel_errors(out[column]), "excel_error")
        if column in bad:  # a parsed column: its error values say so, not "not a number"
            mask, code = bad[column]
            err = _excel_errors_among(series, _flags(mask))
            if err.any():
                bad[column] = (_flags(mask) & ~err, code)
                bad[column + "#err"] = (err, "excel_error")
    frame = pd.DataFrame(out, index=raw.index, copy=False)

    def unflagged(column: str) -> np.ndarray:
        """Blank cells: not already rejected as unreadable or as an Excel error."""
        missing = frame[column].isna().to_numpy().copy()
        for key in (column, column + "#err"):
            if key in bad:
                missing &= ~_flags(bad[key][0])
        return missing

    bad["started_at#missing"] = (unflagged("started_at"), "missing_start")
    bad["answered#missing"] = (unflagged("answered"), "missing_answered")
    if "abandoned" in frame:
        both = (frame["answered"] & frame["abandoned"]).fillna(False)
        bad["abandoned#both"] = (both, "answered_and_abandoned")
    rejected, problems = reject(bad, raw, header, CallProblem)
    problems.sort(key=lambda p: (p.row, p.column))

    # Blank says nothing: an empty optional column is no column; a blank abandoned cell is
    # abandoned when the call was not answered (the rule without the column).
    empty = [c for c in frame if c not in CALL_REQUIRED and frame[c].isna().all()]
    frame = frame.drop(columns=empty)
    if "abandoned" in frame:
        frame["abandoned"] = frame["abandoned"].fillna(~frame["answered"])

    keep = ~rejected
    duplicates = 0
    if "call_id" in frame:
        ok = np.flatnonzero(keep & frame["call_id"].notna().to_numpy())
        dup = pd.Series(_codes(frame["call_id"].iloc[ok])).duplicated(keep="last").to_numpy()
        keep[ok[dup]] = False
        duplicates = int(dup.sum())
    valid = identity.keyed(frame[keep])  # agents by 工号 where names repeat, as for tickets
    return CallSet(
        source=table.source,
        sheet=table.sheet,
        frame=valid,
        columns=frozenset(frame.columns) | ({"agent"} & set(valid.columns)),
        read=len(frame),
        rejected=int(rejected.sum()),
        duplicates=duplicates,
        problems=problems,
        unmapped=list(table.match.unmapped),
        ambiguous=list(table.match.ambiguous),
        notes=list(table.notes),
        headers={c: header(c) for c in raw.columns},
    )
