"""From a raw table to valid tickets: typed columns, row-level rejects, duplicates.

Order (../shared/spec/kpis.md, "Rows"): count the non-blank rows, reject the rows that
cannot be used (each problem listed with row, column and reason), then among valid rows keep
the last row of each ticket id. So read = valid + rejected + duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from csxl.domain import identity, normalise
from csxl.domain.columns import COLUMNS, ORDERED_TIMES, Kind

# Reason codes with their zh and en texts; {a} and {b} are column headers.
REASONS: dict[str, tuple[str, str]] = {
    "missing_id": ("工单号为空", "ticket id is empty"),
    "missing_created": ("创建时间为空", "created time is empty"),
    "bad_datetime": ("不是有效的日期时间", "not a valid date and time"),
    "bad_number": ("不是数字", "not a number"),
    "bad_bool": ("不是 是/否 值", "not a yes/no value"),
    "bad_csat": (
        "满意度不在 1-5 分之内或无法识别",
        "satisfaction score outside 1-5 or not recognised",
    ),
    "negative": ("时长或次数为负数", "negative duration or count"),
    "time_backwards": ("{a} 早于 {b}", "{a} is before {b}"),
    "excel_error": ("单元格是 Excel 错误值", "the cell holds an Excel error value"),
    "date_range": ("日期早于 1900 年或晚于今天", "date before 1900 or after today"),
    "too_long": ("时长超过一年", "duration longer than a year"),
}

# Excel's error values, as a cell, a CSV or a reader shows them: the source formula failed,
# so the row cannot be trusted (rejected whatever the column).
EXCEL_ERRORS = frozenset(
    {
        "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!",
    }
)  # fmt: skip
# Plausible timestamps: Excel cannot hold a date before 1900 (such text is a typo), and a
# ticket cannot be created in the future (a day of slack for clocks and time zones).
EARLIEST = pd.Timestamp("1900-01-01")
FUTURE_SLACK = pd.Timedelta(days=1)
LONGEST_S = 366 * 86400.0

RESOLVED_STATUS = frozenset({"resolved", "solved", "closed", "已解决", "已关闭", "已完结"})


@dataclass
class Problem:
    row: int
    column: str  # the header as written in the file
    code: str
    value: object
    other: str | None = None  # the other header of a time_backwards pair

    def reason(self, lang: str = "zh") -> str:
        zh, en = REASONS[self.code]
        return (zh if lang == "zh" else en).format(a=self.column, b=self.other)


class LoadedRows:
    """What a loaded table of tickets, orders or calls tells about its rows: the valid
    count, the row counts of the JSON and messages, and the problems as a table."""

    frame: pd.DataFrame
    problems: list[Problem]
    read: int
    rejected: int
    duplicates: int

    @property
    def valid(self) -> int:
        return len(self.frame)

    def rows(self) -> dict[str, int]:
        return {
            "read": self.read,
            "valid": self.valid,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
        }

    def errors_frame(self, lang: str = "zh") -> pd.DataFrame:
        """Every problem, sorted by row, for the Errors sheet and messages."""
        rows = [
            (p.row, p.column, p.reason(lang), "" if p.value is None else str(p.value))
            for p in self.problems
        ]
        cols = ["行", "列", "原因", "值"] if lang == "zh" else ["Row", "Column", "Reason", "Value"]
        return pd.DataFrame(rows, columns=cols).sort_values(cols[:2], kind="stable")


@dataclass
class TicketSet(LoadedRows):
    """Valid, de-duplicated tickets (index: the row number the user sees) and the rest."""

    source: str
    sheet: str | None
    frame: pd.DataFrame
    columns: frozenset[str]  # canonical columns the file provides
    read: int
    rejected: int
    duplicates: int
    problems: list[Problem] = field(default_factory=list)
    duplicate_rows: pd.DataFrame | None = None  # ticket_id, row dropped, row kept
    unmapped: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    csat_scale: str = "score"  # "score" (1-5 / words) or "good_bad" (only good/bad answers)
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> file header


def load_tickets(table, now: datetime | None = None) -> TicketSet:
    """Type, validate and de-duplicate a `csxl.readers.table.RawTable`.

    `now` (default: the clock) is the latest plausible timestamp, less a day of slack."""
    raw = table.frame
    latest = pd.Timestamp(now or datetime.now()) + FUTURE_SLACK
    header = table.match.header_of
    blank = blank_rows(raw)
    if blank.any():
        raw = raw[~blank]
    out: dict[str, pd.Series] = {}
    bad: dict[str, tuple[pd.Series, str]] = {}
    for column in raw.columns:
        kind = COLUMNS[column]
        series = raw[column]
        if kind is Kind.DATETIME:
            parsed = normalise.datetimes(series)
            out[column], bad[column] = parsed.values, (parsed.bad, "bad_datetime")
            v = parsed.values
            bad[column + "#range"] = ((v < EARLIEST) | (v > latest), "date_range")
        elif kind is Kind.SECONDS:
            parsed = normalise.durations(series, table.match.scales.get(column, 1.0))
            values = parsed.values
            infinite = np.isinf(values.to_numpy(dtype=float, na_value=np.nan))
            out[column] = values.where(~infinite) if infinite.any() else values
            bad[column] = (parsed.bad | infinite, "bad_number")
            bad[column + "#neg"] = (values < 0, "negative")
            bad[column + "#long"] = ((values > LONGEST_S) & ~infinite, "too_long")
        elif kind is Kind.INT:
            parsed = normalise.numbers(series)
            values = parsed.values
            infinite = np.isinf(values.to_numpy(dtype=float, na_value=np.nan))
            out[column] = values.where(~infinite) if infinite.any() else values
            bad[column] = (parsed.bad | infinite, "bad_number")
            bad[column + "#neg"] = (values < 0, "negative")
        elif kind is Kind.BOOL:
            parsed = normalise.booleans(series)
            out[column], bad[column] = parsed.values, (parsed.bad, "bad_bool")
        elif kind is Kind.CSAT:
            c = normalise.csat(series)
            out["csat"], out["csat_good"], out["csat_offered"] = c.score, c.good, c.sent
            bad[column] = (c.bad, "bad_csat")
        elif kind is Kind.SEVERITY:
            out[column] = normalise.severity(series)
            bad[column + "#err"] = (_excel_errors(normalise.text(series)), "excel_error")
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

    ticket_error = _flags(bad.get("ticket_id#err", (np.zeros(len(frame), bool), ""))[0])
    bad["ticket_id#missing"] = (frame["ticket_id"].isna() & ~ticket_error, "missing_id")
    created_missing = frame["created_at"].isna() & ~_flags(bad["created_at"][0])
    if "created_at#err" in bad:
        created_missing &= ~_flags(bad["created_at#err"][0])
    bad["created_at#missing"] = (created_missing, "missing_created")

    rows = raw.index.to_numpy()
    rejected, problems = reject(bad, raw, header)
    for later, earlier in ORDERED_TIMES:
        if later in frame and earlier in frame:
            backwards = frame[later].to_numpy() < frame[earlier].to_numpy()  # NaT: False
            if backwards.any():
                rejected |= backwards
                at = np.flatnonzero(backwards)
                problems += [
                    Problem(int(r), header(later), "time_backwards", _show(v), header(earlier))
                    for r, v in zip(rows[at], raw[later].iloc[at].tolist(), strict=True)
                ]

    # Among valid rows, the last row of each ticket id is kept.
    ok = np.flatnonzero(~rejected)
    codes = _codes(frame["ticket_id"].iloc[ok])
    dup = pd.Series(codes).duplicated(keep="last").to_numpy()
    keep = ~rejected
    keep[ok[dup]] = False
    duplicate_rows = None
    if dup.any():
        last = np.zeros(codes.max() + 1, dtype=np.int64)
        last[codes[~dup]] = ok[~dup]
        dropped = ok[dup]
        duplicate_rows = pd.DataFrame(
            {
                "row": rows[dropped],
                "ticket_id": frame["ticket_id"].iloc[dropped].reset_index(drop=True),
                "kept_row": rows[last[codes[dup]]],
            }
        )
    # Agents by identity: two 张伟 of different 工号 are two agents (identity.agent_keys),
    # keyed over every valid row, so an agent's key is the same in every month and team.
    valid = identity.keyed(frame[keep])
    problems.sort(key=lambda p: (p.row, p.column))

    present = frozenset(raw.columns) | ({"agent"} & set(valid.columns))  # agent: maybe by id
    answered_scores = valid["csat"].notna().any() if "csat" in valid else False
    answered_good_bad = (
        (valid["csat_good"].notna() & valid["csat"].isna()).any() if "csat" in valid else False
    )
    return TicketSet(
        source=table.source,
        sheet=table.sheet,
        frame=valid,
        columns=present,
        read=len(frame),
        rejected=int(rejected.sum()),
        duplicates=int(dup.sum()),
        problems=problems,
        duplicate_rows=duplicate_rows,
        unmapped=list(table.match.unmapped),
        ambiguous=list(table.match.ambiguous),
        notes=list(table.notes),
        csat_scale="good_bad" if answered_good_bad and not answered_scores else "score",
        headers={c: header(c) for c in raw.columns},
    )


def _excel_errors(text: pd.Series) -> np.ndarray:
    """Cells of a (normalised, Arrow-backed) text column that hold an Excel error value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(text.array, "_pa_array", None)
    if arr is None:
        return text.isin(EXCEL_ERRORS).to_numpy(dtype=bool)
    if not pc.any(pc.starts_with(arr, "#")).as_py():
        return np.zeros(len(text), dtype=bool)
    found = pc.fill_null(pc.is_in(arr, value_set=pa.array(sorted(EXCEL_ERRORS))), False)
    return np.asarray(found, dtype=bool)


def _excel_errors_among(series: pd.Series, where: np.ndarray) -> np.ndarray:
    """Which of the flagged cells of a raw column hold an Excel error value (few cells)."""
    out = np.zeros(len(series), dtype=bool)
    if where.any():
        at = np.flatnonzero(where)
        values = series.iloc[at]
        out[at] = [isinstance(v, str) and v.strip() in EXCEL_ERRORS for v in values]
    return out


def reject(
    bad: dict[str, tuple[object, str]],
    raw: pd.DataFrame,
    header,
    problem: type[Problem] = Problem,
    spare: np.ndarray | None = None,
) -> tuple[np.ndarray, list]:
    """Rows hit by any mask of `bad` ("column#what" -> (mask, reason code)), and one
    `problem` per hit with the sheet row, the file's header and the cell as read. Rows in
    `spare` are never rejected (orders excluded for their status)."""
    rows = raw.index.to_numpy()
    problems: list[Problem] = []
    rejected = np.zeros(len(raw), dtype=bool)
    for key, (mask, code) in bad.items():
        column = key.split("#")[0]
        hit = _flags(mask) if spare is None else _flags(mask) & ~spare
        if not hit.any():
            continue
        rejected |= hit
        at = np.flatnonzero(hit)
        values = raw[column].iloc[at].tolist() if column in raw else [None] * len(at)
        problems += [
            problem(int(r), header(column), code, _show(v))
            for r, v in zip(rows[at], values, strict=True)
        ]
    return rejected, problems


def blank_rows(raw: pd.DataFrame) -> pd.Series:
    """Rows whose every cell is empty or only blanks (spaces, U+3000, NBSP)."""
    blank = np.ones(len(raw), dtype=bool)
    for column in raw.columns:
        s = raw[column]
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            blank &= ~normalise.text(s).notna().to_numpy()
        else:
            blank &= s.isna().to_numpy()
        if not blank.any():
            break
    return pd.Series(blank, index=raw.index)


def _flags(mask) -> np.ndarray:
    """A boolean mask (possibly nullable) as numpy, NA as False."""
    if isinstance(mask, pd.Series):
        return mask.to_numpy(dtype=bool, na_value=False)
    return np.asarray(mask, dtype=bool)


def _codes(ids: pd.Series) -> np.ndarray:
    """One integer per distinct ticket id (ids has no missing values)."""
    codes, _ = pd.factorize(ids, use_na_sentinel=False)
    return codes


def _show(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value
