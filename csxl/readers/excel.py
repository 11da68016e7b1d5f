"""Read a ticket sheet from .xlsx/.xlsm with fastexcel (calamine into Arrow).

One pass over the sheet: calamine parses the whole sheet even to return its first rows, so
the sheet is loaded once, every cell as text, from its first row (leading blank rows kept, so
that row i of the table is sheet row i + 1); the header is found in the first rows of that
table and the mapped columns below it are the data. Text for every cell means no sampled
types: a late odd value in a column of numbers or dates is seen, never silently nulled.

Before loading, `limits.check_sheet` measures the sheet (a stray far cell or a sheet that
reaches Excel's last row is refused). A sheet part of up to `limits.SCAN_BYTES` is read with
its error cells (#N/A, #DIV/0! ...), which come through as their Excel text so that the row
is rejected; a larger sheet is read in one eager pass, where an error cell reads as empty.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from csxl.domain.synonyms import Synonyms
from csxl.errors import InputError, Location
from csxl.readers import limits
from csxl.readers.header import SCAN_ROWS, find_header
from csxl.readers.table import RawTable

# Sheets of a plan workbook that hold ticket data, by key in both languages (orders: the
# schema's own sheets, 订单/Orders).
DATA_SHEETS = ("Data", "数据")


def read_excel(path: Path, synonyms: Synonyms, sheet: str | None = None) -> RawTable:
    import fastexcel

    where = Location(file=path.name)
    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # fastexcel raises its own error types for damaged files
        raise InputError(
            f"cannot open the workbook ({_reason(exc)}).",
            where,
            "Export it again, or open it in Excel and save a copy as .xlsx.",
        ) from None
    names = reader.sheet_names
    candidates = _candidate_sheets(names, sheet, where, synonyms.schema.sheets)
    problems: list[InputError] = []
    for name in candidates:
        sheet_where = Location(path.name, name)
        extent = limits.check_sheet(path, name, sheet_where)
        cells, errors = _load(reader, name, sheet_where, extent is not None and extent.small)
        if cells is not None and cells.num_rows >= limits.EXCEL_ROWS:
            limits.refuse_full(sheet_where)
        try:
            index, match = find_header(_head(cells), synonyms, sheet_where)
        except InputError as exc:
            problems.append(exc)
            continue
        return _below(cells, index, match, path, name, errors)
    raise problems[0]


def sheet_names(path: Path) -> list[str]:
    """The sheet names of an .xlsx/.xlsm from its workbook part alone (no cells read)."""
    import html
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return [html.unescape(m) for m in re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', xml)]


def _candidate_sheets(
    names: Sequence[str],
    wanted: str | None,
    where: Location,
    preferred: Sequence[str] = DATA_SHEETS,
) -> list[str]:
    if wanted is not None:
        if wanted not in names:
            raise InputError(f"no sheet named {wanted!r}; it has {', '.join(names)}.", where)
        return [wanted]
    if not names:
        raise InputError("the workbook has no sheets.", where)
    data = [n for n in names if n in preferred]
    return data or list(names)


# calamine's names of Excel's error values (CellError.detail: "... got 'Error(Div0)'").
EXCEL_ERRORS = {
    "NA": "#N/A",
    "Div0": "#DIV/0!",
    "Value": "#VALUE!",
    "Ref": "#REF!",
    "Name": "#NAME?",
    "Num": "#NUM!",
    "Null": "#NULL!",
    "GettingData": "#GETTING_DATA",
}
_ERROR_NAME = re.compile(r"Error\((\w+)\)")

Errors = list[tuple[int, int, str]]  # (table row, table column, Excel's error text)


def _load(reader, name: str, where: Location, with_errors: bool):
    """The whole sheet as text (a pyarrow RecordBatch): row i is sheet row i + 1, and its
    error cells (with_errors; else none).

    header_row=None with skip_rows=0 keeps leading blank rows, so positions are sheet rows;
    columns start at the sheet's first used column (the same for the header and the data).
    """
    options = {"header_row": None, "skip_rows": 0, "dtypes": "string"}
    errors: Errors = []
    try:
        if not with_errors:
            return reader.load_sheet(name, eager=True, **options), errors
        batch, found = reader.load_sheet(name, eager=False, **options).to_arrow_with_errors()
    except Exception as exc:
        if "empty" in str(exc).lower():
            return None, errors
        raise InputError(f"cannot read the sheet ({_reason(exc)}).", where) from None
    for e in found.errors if found is not None else ():
        m = _ERROR_NAME.search(e.detail)
        if m:
            errors.append((e.position[0], e.position[1], EXCEL_ERRORS.get(m[1], f"#{m[1]}")))
    return batch, errors


def _head(cells) -> list[list[object]]:
    if cells is None or cells.num_columns == 0:
        return []
    top = cells.slice(0, SCAN_ROWS)
    columns = [top.column(i).to_pylist() for i in range(top.num_columns)]
    return [list(row) for row in zip(*columns, strict=True)]


def _below(cells, index: int, match, path: Path, name: str, errors: Errors = ()) -> RawTable:
    import pandas as pd
    import pyarrow as pa

    positions = sorted((pos, col) for col, pos in match.columns.items())
    data = cells.slice(index + 1)
    table = pa.table([data.column(pos) for pos, _ in positions], names=[c for _, c in positions])
    frame = table.to_pandas()
    # Sheet row as the user sees it: the header's row (index + 1) plus the data offset.
    frame.index = pd.RangeIndex(index + 2, index + 2 + len(frame))
    mapped = dict(positions)
    for row, pos, text in errors:
        if row > index and pos in mapped:
            frame.at[row + 1, mapped[pos]] = text
    return RawTable(path.name, name, index + 1, match, frame)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
