"""Fuzzing ingestion with messy tables (hypothesis): headers drawn from the synonym table,
cells drawn from real values and real dirt (blanks, full-width digits, text in numbers, bad
and implausible dates, Excel error values, control characters, duplicated ids).

Invariants, for every table:
- nothing raises;
- every non-blank row is accepted, rejected with at least one reason, or a duplicate of a
  later accepted row: read = valid + rejected + duplicates, and the three sets of rows are
  disjoint and cover the non-blank rows;
- every problem names a row that was read, a header of the file and a known reason code;
- KPIs come from accepted rows only: the document of the table equals the document of the
  accepted rows alone, and its ticket count is the number of accepted rows.
A few tables also go through real files (CSV in UTF-8 and GBK, .xlsx) and the readers.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from csxl.domain.columns import COLUMNS, REQUIRED, Kind
from csxl.domain.synonyms import _BUILTIN, Synonyms, normalise_header
from csxl.domain.tickets import EXCEL_ERRORS, REASONS, load_tickets
from csxl.kpi_report import kpi_document
from csxl.readers.table import RawTable

NOW = datetime(2026, 4, 1, 12)
EXAMPLES = int(os.environ.get("CSXL_FUZZ_EXAMPLES", "25"))  # 300 for a thorough run
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Shrinking a 30-row table of mixed dirt can take minutes; the failing example is printed
    # whole, which is enough to read what broke.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FILES = settings(FUZZ, max_examples=max(3, EXAMPLES // 8))

SYNONYMS = {
    column: [n if isinstance(n, str) else n[0] for n in names]
    for column, names in _BUILTIN.items()
    if COLUMNS.get(column) is not None
}
WIDE = str.maketrans("0123456789:-./ ", "０１２３４５６７８９：－．／\u3000")
BLANKS = [None, "", " ", "\u3000", "\xa0", "\t"]
DIRT = [
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "未知",
    "n/a",
    "-",
    "=1+1",
    "@SUM(A1)",
    "1e400",
    "x\x01y",
    "\u200b",
    "１２３",
]


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


@st.composite
def header(draw, column: str) -> str:
    """A synonym of the column, in the case and spacing an export might use."""
    name = draw(st.sampled_from(SYNONYMS[column]))
    style = draw(st.sampled_from(["as is", "upper", "lower", "spaced", "wide"]))
    if style == "upper":
        name = name.upper()
    elif style == "lower":
        name = name.lower()
    elif style == "spaced":
        name = f" {name} "
    elif style == "wide":
        name = name.translate(str.maketrans("()", "（）"))
    return name


def _good(kind: Kind, created: datetime, draw) -> object:
    if kind is Kind.DATETIME:
        t = created + timedelta(seconds=draw(st.integers(0, 7200)))
        form = draw(st.sampled_from(["iso", "slash", "zh", "wide", "serial"]))
        if form == "slash":
            return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"
        if form == "zh":
            return f"{t.year}年{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
        if form == "wide":
            return stamp(t).translate(WIDE)
        if form == "serial":
            return repr((t - datetime(1899, 12, 30)).total_seconds() / 86400)
        return stamp(t)
    if kind is Kind.SECONDS:
        return draw(st.sampled_from(["0", "45", "120.5", "1,234", "0:02:05", "６０"]))
    if kind is Kind.INT:
        return draw(st.sampled_from(["0", "1", "2", "３"]))
    if kind is Kind.BOOL:
        return draw(st.sampled_from(["是", "否", "Y", "n", "TRUE", "0", "已复核", "未复核"]))
    if kind is Kind.CSAT:
        return draw(st.sampled_from(["1", "3", "5", "4.5", "满意", "非常不满意", "5分", "good"]))
    return draw(st.sampled_from(["张三", "李四", "一组", "在线", "退款,发票", "Ａｌ", "x"]))


def _bad(kind: Kind, draw) -> object:
    if kind is Kind.DATETIME:
        return draw(
            st.sampled_from(
                ["2026-02-30 10:00", "25:61", "1899-12-31 10:00:00", "2099-01-01", "0", *DIRT]
            )
        )
    if kind in (Kind.SECONDS, Kind.INT):
        return draw(st.sampled_from(["-5", "三百", "99999999999", "1e400", "NaN", *DIRT]))
    if kind is Kind.CSAT:
        return draw(st.sampled_from(["0", "7", "很好", *DIRT]))
    if kind is Kind.BOOL:
        return draw(st.sampled_from(["也许", "2", *DIRT]))
    return draw(st.sampled_from(DIRT))


@st.composite
def messy_table(draw) -> tuple[list[str], list[list[object]]]:
    optional = [c for c in SYNONYMS if c not in REQUIRED]
    chosen = list(REQUIRED) + draw(
        st.lists(st.sampled_from(optional), unique=True, min_size=0, max_size=10)
    )
    chosen = draw(st.permutations(chosen))
    headers = [draw(header(c)) for c in chosen]
    if draw(st.booleans()):
        headers.insert(draw(st.integers(0, len(headers))), "备注")  # an unknown column
    n = draw(st.integers(1, 30))
    ids = [f"T{i}" for i in range(draw(st.integers(1, n)))]  # fewer ids than rows: duplicates
    rows = []
    for _ in range(n):
        created = datetime(2026, 3, 1) + timedelta(minutes=draw(st.integers(0, 40000)))
        values = {}
        for column in chosen:
            kind = COLUMNS[column]
            how = draw(st.sampled_from(["good"] * 6 + ["blank", "bad"]))
            if column == "ticket_id" and how == "good":
                values[column] = draw(st.sampled_from(ids))
            elif column == "created_at" and how == "good":
                values[column] = stamp(created)
            elif how == "good":
                values[column] = _good(kind, created, draw)
            elif how == "blank":
                values[column] = draw(st.sampled_from(BLANKS))
            else:
                values[column] = _bad(kind, draw)
        row = []
        for h in headers:
            syn = Synonyms().lookup(h)
            row.append(values.get(syn.column) if syn else draw(st.sampled_from(["", "备注"])))
        if draw(st.integers(0, 9)) == 0:
            row = [draw(st.sampled_from(BLANKS)) for _ in headers]  # a blank row
        rows.append(row)
    return headers, rows


def raw_table(headers: list[str], rows: list[list[object]]) -> RawTable:
    """What a reader hands over: mapped columns named by their canonical column, text cells,
    the index the row numbers a manager sees (header in row 1)."""
    match = Synonyms().match(headers)
    frame = pd.DataFrame(
        {
            column: pd.Series([r[pos] for r in rows], dtype=object)
            for column, pos in match.columns.items()
        }
    )
    frame.index = pd.RangeIndex(2, 2 + len(rows))
    return RawTable("fuzz.csv", None, 1, match, frame)


def non_blank_rows(table: RawTable) -> set[int]:
    out = set()
    for row, values in table.frame.iterrows():
        if any(not pd.isna(v) and str(v).strip(" \t\r\n\u3000\xa0") for v in values):
            out.add(int(row))
    return out


def check_invariants(table: RawTable, tickets) -> None:
    read = non_blank_rows(table)
    assert tickets.read == len(read)
    assert tickets.read == tickets.valid + tickets.rejected + tickets.duplicates
    accepted = set(int(r) for r in tickets.frame.index)
    rejected = {p.row for p in tickets.problems}
    dropped = set()
    if tickets.duplicate_rows is not None:
        dropped = set(int(r) for r in tickets.duplicate_rows["row"])
    assert len(rejected) == tickets.rejected and len(dropped) == tickets.duplicates
    assert accepted.isdisjoint(rejected) and accepted.isdisjoint(dropped)
    assert rejected.isdisjoint(dropped)
    assert accepted | rejected | dropped == read
    headers = set(table.match.headers)
    for p in tickets.problems:
        assert p.code in REASONS and p.row in read and p.column in headers
        assert p.reason("zh") and p.reason("en")
    # Accepted rows are usable: an id, a plausible creation time, no error text anywhere.
    frame = tickets.frame
    assert frame["ticket_id"].notna().all() and not frame["ticket_id"].duplicated().any()
    assert frame["created_at"].notna().all()
    assert (frame["created_at"] >= pd.Timestamp("1900-01-01")).all()
    assert (frame["created_at"] <= pd.Timestamp(NOW) + pd.Timedelta(days=1)).all()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            assert not frame[column].isin(EXCEL_ERRORS).any(), column
    for column in ("handle_s", "first_response_s"):
        if column in frame:
            values = frame[column].dropna()
            assert ((values >= 0) & (values <= 366 * 86400)).all(), column
    for column in ("contacts", "reopens"):
        if column in frame:
            values = frame[column].dropna()
            assert ((values >= 0) & np.isfinite(values)).all(), column


@FUZZ
@given(messy_table())
def test_every_row_is_accepted_rejected_or_a_duplicate(table):
    headers, rows = table
    raw = raw_table(headers, rows)
    check_invariants(raw, load_tickets(raw, now=NOW))


def _document(tickets) -> dict:
    doc, _, _ = kpi_document("fuzz.csv", by=("all", "agent", "day"), tickets=tickets)
    return doc


@FUZZ
@given(messy_table())
def test_kpis_come_from_accepted_rows_only(table):
    headers, rows = table
    raw = raw_table(headers, rows)
    tickets = load_tickets(raw, now=NOW)
    doc = _document(tickets)
    assert doc["groups"][0]["kpis"]["tickets"] == tickets.valid
    # The same table with only the accepted rows (at their own row numbers) gives the same KPIs.
    kept = RawTable(raw.source, None, 1, raw.match, raw.frame.loc[tickets.frame.index])
    alone = load_tickets(kept, now=NOW)
    assert alone.rejected == 0 and alone.duplicates == 0 and alone.valid == tickets.valid
    assert _document(alone)["groups"] == doc["groups"]


# ------------------------------------------------------------------ through real files
def _printable(rows: list[list[object]]) -> list[list[object]]:
    """openpyxl cannot store C0 controls in a cell (Excel cannot either)."""
    return [[v.replace("\x01", "") if isinstance(v, str) else v for v in row] for row in rows]


@FILES
@given(messy_table(), st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_messy_csv_files(tmp_path_factory, table, encoding):
    import csv

    headers, rows = table
    rows = _printable(rows)
    if encoding == "gbk":  # characters GBK has no code for are not in a GBK export
        rows = [[_gbk_safe(v) for v in row] for row in rows]
    path = tmp_path_factory.mktemp("fuzz") / "messy.csv"
    with path.open("w", encoding=encoding, errors="strict", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    _check_file(path)


def _gbk_safe(value):
    if not isinstance(value, str):
        return value
    return value.encode("gbk", errors="ignore").decode("gbk")


@FILES
@given(messy_table())
def test_messy_xlsx_files(tmp_path_factory, table):
    import openpyxl

    headers, rows = table
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in _printable(rows):
        ws.append(row)
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"  # text that looks like a formula stays text
    path = tmp_path_factory.mktemp("fuzz") / "messy.xlsx"
    wb.save(path)
    _check_file(path)


def _check_file(path) -> None:
    from csxl.readers.read import read_table

    try:
        table = read_table(path)
    except Exception as exc:  # only a refusal may stop a file, never a crash
        from csxl.errors import InputError

        assert isinstance(exc, InputError), repr(exc)
        assert "no ticket rows" in str(exc) or "header" in str(exc) or "empty" in str(exc)
        return
    tickets = load_tickets(table, now=NOW)
    assert tickets.read == tickets.valid + tickets.rejected + tickets.duplicates
    assert _document(tickets)["groups"][0]["kpis"]["tickets"] == tickets.valid
    rows = set(int(r) for r in tickets.frame.index) | {p.row for p in tickets.problems}
    assert all(r > table.header_row for r in rows)
    assert normalise_header(table.match.header_of("ticket_id"))
