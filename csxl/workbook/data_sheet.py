"""Paste a table into a plan's paste area of its kind (`layout.PASTE_AREAS`: tickets,
orders, call records), as a manager's paste would.

Used by `csxl demo` and `csxl batch --data`. The rows go below the sheet's header through
the book port (only its part and its table range change); values are written as they are,
so text that looks like a formula stays text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from csxl.domain.columns import TICKETS, Schema
from csxl.domain.synonyms import Synonyms
from csxl.workbook import layout
from csxl.workbook.layout import Paste as P

if TYPE_CHECKING:
    import pandas as pd

    from csxl.workbook.port import PackageBook


def paste(book: PackageBook, frame: pd.DataFrame, schema: Schema = TICKETS) -> int:
    """Write `frame` (any recognised headers) below the header of the paste sheet of
    `schema`'s kind (tickets, orders or call records); returns rows written.

    Columns are matched to the sheet's header by canonical column, so an export with
    zh, en or vendor headers lands under the right heading; unknown columns are left out.
    """
    import pandas as pd

    key = layout.paste_area(schema)
    header = [h for h in book.rows(key)[P.HEADER_ROW - 1] if h != ""]
    synonyms = Synonyms(schema)
    target = {s.column: i + 1 for i, h in enumerate(header) if (s := synonyms.lookup(h))}
    cells: dict[tuple[int, int], object] = {}
    for name in frame.columns:
        found = synonyms.lookup(name)
        if found is None or found.column not in target:
            continue
        c = target[found.column]
        values = frame[name].astype(object).where(frame[name].notna(), None)
        for i, value in enumerate(values):
            if isinstance(value, pd.Timestamp):
                value = value.to_pydatetime()
            cells[(P.FIRST_ROW + i, c)] = value
    old = len(book.rows(key))
    last = P.FIRST_ROW + max(len(frame), 1) - 1
    book.write(key, cells, clear=[(P.FIRST_ROW, 1, max(old, last), len(header))])
    grow_table(book, f"A{P.HEADER_ROW}:{layout.col(len(header))}{last}", layout.PASTE_TABLES[key])
    return len(frame)


def as_pasted(table) -> pd.DataFrame:
    """A read table's rows as a paste from Excel would give them, under canonical column
    names: clean numbers, seconds (times the header's scale, so a minutes column becomes
    seconds) and timestamps typed, anything else (dirty values included) as it was, for
    refresh to judge. Blank rows are left out."""
    import pandas as pd

    from csxl.domain.columns import COLUMNS, Kind
    from csxl.domain.tickets import blank_rows

    frame = table.frame
    frame = frame[~blank_rows(frame)].copy()
    for column in frame.columns:
        kind = COLUMNS.get(column)
        values = frame[column]
        if kind in (Kind.INT, Kind.SECONDS, Kind.CSAT):
            typed = pd.to_numeric(values, errors="coerce")
            if kind is Kind.SECONDS:
                typed = typed * table.match.scales.get(column, 1.0)
        elif kind is Kind.DATETIME:
            typed = pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="coerce")
        else:
            continue
        frame[column] = values.astype(object).where(typed.isna(), typed.astype(object))
    return frame


class PastedColumns:
    """`as_pasted` as arrays (TypeError from `cells` for a column that is not text as
    read: then use `as_pasted`), for an import of a million rows: each column's text (Arrow)
    and, where a number or timestamp parses, that number (numpy), never an object per
    cell. `cells` gives what `as_pasted` gives, value for value (tests/test_data_import.py
    compares the written sheets)."""

    def __init__(self, table) -> None:
        from csxl.domain.tickets import blank_rows

        self.table = table
        self.frame = table.frame[~blank_rows(table.frame)]
        self.count = len(self.frame)
        self.columns = list(self.frame.columns)

    def cells(self, column: str, index: int, data_scale: float = 1.0):
        """The column's cells at sheet column `index`; numbers divided by `data_scale` (a
        Data heading in minutes takes seconds / 60)."""
        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        from csxl.domain.columns import COLUMNS, Kind
        from csxl.workbook.append import ColumnCells, serials

        values = self.frame[column]
        text = pa.array(values, from_pandas=True)
        kind = text.type
        if not (
            pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        ):
            raise TypeError(f"{column}: not text as read ({kind})")
        text = text.cast(pa.string())
        if pc.any(pc.equal(text, "")).as_py():  # "" is an empty cell, as None is
            text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        kind = COLUMNS.get(column)
        cells = ColumnCells(index, text)
        if kind in (Kind.INT, Kind.SECONDS, Kind.CSAT):
            typed = pd.to_numeric(values, errors="coerce")
            if kind is Kind.SECONDS:
                typed = typed * self.table.match.scales.get(column, 1.0)
            number = typed.to_numpy()
            if number.dtype.kind not in "iuf":
                raise TypeError(f"{column}: typed as {number.dtype}")
            cells.numeric = (
                ~np.isnan(number) if number.dtype.kind == "f" else np.ones(len(number), bool)
            )
            cells.number = number
        elif kind is Kind.DATETIME:
            typed = pd.to_datetime(values, format="%Y-%m-%d %H:%M:%S", errors="coerce")
            stamps = typed.to_numpy().astype("datetime64[us]")
            cells.numeric = ~np.isnat(stamps)
            cells.stamps = np.where(cells.numeric, stamps, np.datetime64(0, "us"))
            cells.number = serials(cells.stamps)
            data_scale = 1.0  # `_is_number` is false for a timestamp: never scaled
        if cells.number is not None and data_scale != 1.0:
            cells.number = cells.number / data_scale
        return cells


def grow_table(
    book: PackageBook, ref: str, table: str, headers: list[object] | None = None
) -> None:
    """Make the table cover the pasted rows, as Excel does when a manager pastes; with
    `headers` (the header row it now spans), its column list follows them too."""
    from csxl.workbook import zipsplice

    with book.path.open("rb") as f:
        names = [n for n in zipsplice.names(f) if n.startswith("xl/tables/")]
        for name in names:
            xml = zipsplice.read(f, name)
            if f'name="{table}"'.encode() in xml or f'displayName="{table}"'.encode() in xml:
                for element in (b"table", b"autoFilter"):
                    xml = _set_ref(xml, element, ref.encode())
                if headers is not None:
                    xml = _set_columns(xml, headers)
                book.write_part(name, xml)


def _set_columns(xml: bytes, headers: list[object]) -> bytes:
    """The table's <tableColumns> named by its header cells. Excel wants one unique,
    non-blank name per column and repairs the file otherwise: blanks become 列N/ColumnN and
    repeats get a number, as Excel names them."""
    from xml.sax.saxutils import quoteattr

    seen: set[str] = set()
    items = []
    for i, header in enumerate(headers, start=1):
        name = str(header).strip() if header not in (None, "") else f"Column{i}"
        base, n = name, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}{n}"
        seen.add(name.casefold())
        items.append(f"<tableColumn id={quoteattr(str(i))} name={quoteattr(name)}/>")
    block = f'<tableColumns count="{len(items)}">{"".join(items)}</tableColumns>'.encode()
    return re.sub(rb"<tableColumns\b.*?</tableColumns>", block, xml, count=1, flags=re.S)


def _set_ref(xml: bytes, element: bytes, ref: bytes) -> bytes:
    pattern = rb"(<" + element + rb'\b[^>]*?\sref=")[^"]*(")'
    return re.sub(pattern, rb"\g<1>" + ref + rb"\2", xml, count=1)


# ------------------------------------------------------------------ csxl upgrade
def carry_paste(old, new, key: str, schema) -> int:
    """`csxl upgrade`: the pasted rows below a paste sheet's header (`key`, read with
    `schema`'s synonyms), every column, values as typed.

    The old header row is found as the reader finds it (an export pasted at A1 with title
    rows above its header). Columns go under the new template's heading of the same name,
    else of the same csxl column (an export's own `Id` under 工单号); a column the new header
    lacks (one a manager added, or an unknown export column) goes to the right of the table
    with its heading. An empty column whose csxl column is taken already (a template heading
    left beside a pasted export) is not carried: it would stand for the pasted one.
    """
    from csxl.domain.synonyms import Synonyms
    from csxl.readers.header import MIN_MATCHES, SCAN_ROWS

    synonyms = Synonyms(schema)

    def field_of(heading: object) -> str | None:
        found = synonyms.lookup(heading) if heading not in (None, "") else None
        return found.column if found is not None else None

    rows = old.rows(key)
    header = [h for h in new.rows(key)[P.HEADER_ROW - 1] if h != ""]
    width = len(header)
    scores = [synonyms.score(r) for r in rows[:SCAN_ROWS]]
    top = max(scores, default=0)
    at = scores.index(top) if top >= MIN_MATCHES else P.HEADER_ROW - 1
    old_header = rows[at] if rows else []
    below = rows[at + 1 :]
    where = {h: i + 1 for i, h in enumerate(header)}
    by_field = {f: i + 1 for i, h in enumerate(header) if (f := field_of(h)) is not None}
    cells: dict[tuple[int, int], object] = {}
    target: dict[int, int] = {}
    extra = width
    for c, heading in enumerate(old_header, start=1):
        filled = any(c <= len(r) and r[c - 1] != "" for r in below)
        found = field_of(heading)
        if heading in where and where[heading] not in target.values():
            target[c] = where[heading]
        elif found in by_field and by_field[found] not in target.values():
            target[c] = by_field[found]
        elif found is not None and not filled:
            continue  # a stale template heading beside the pasted export's own column
        elif heading != "" or filled:
            extra += 1
            target[c] = extra
            cells[(P.HEADER_ROW, extra)] = _plain(heading)
    last = P.FIRST_ROW - 1
    for i, row in enumerate(below):
        r = P.FIRST_ROW + i
        for c, value in enumerate(row, start=1):
            if value != "" and c in target:
                cells[(r, target[c])] = _plain(value)
                last = r
    if cells:
        new.write(key, cells)
    if last >= P.FIRST_ROW:
        grow_table(new, f"A{P.HEADER_ROW}:{layout.col(width)}{last}", layout.PASTE_TABLES[key])
    return max(0, last - P.HEADER_ROW)


def _plain(value: object) -> object:
    """A cell value as the sheet patcher takes it: times and durations as day fractions."""
    from datetime import time, timedelta

    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value
