"""Read a ticket sheet from .xlsx/.xlsm with fastexcel (calamine into Arrow).

One pass over the sheet: the header is found in the first rows of a small probe, then only
the mapped columns are loaded, with types guessed over all rows so that a mixed column
comes back as text instead of losing its odd values.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csxl.domain.synonyms import Synonyms
from csxl.errors import InputError, Location
from csxl.readers.header import SCAN_ROWS, find_header
from csxl.readers.table import RawTable

# Sheets of a plan workbook that hold ticket data, by key in both languages.
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
    candidates = _candidate_sheets(names, sheet, where)
    problems: list[InputError] = []
    for name in candidates:
        sheet_where = Location(path.name, name)
        probe = _probe(reader, name, sheet_where)
        try:
            index, match = find_header(probe, synonyms, sheet_where)
        except InputError as exc:
            problems.append(exc)
            continue
        return _load(reader, name, index, match, path, sheet_where)
    raise problems[0]


def _candidate_sheets(names: Sequence[str], wanted: str | None, where: Location) -> list[str]:
    if wanted is not None:
        if wanted not in names:
            raise InputError(f"no sheet named {wanted!r}; it has {', '.join(names)}.", where)
        return [wanted]
    if not names:
        raise InputError("the workbook has no sheets.", where)
    data = [n for n in names if n in DATA_SHEETS]
    return data or list(names)


def _probe(reader, name: str, where: Location) -> list[list[object]]:
    try:
        sheet = reader.load_sheet(
            name, header_row=None, n_rows=SCAN_ROWS, dtypes="string", skip_rows=0
        )
        table = sheet.to_arrow()
    except Exception as exc:
        if "empty" in str(exc).lower():
            return []
        raise InputError(f"cannot read the sheet ({_reason(exc)}).", where) from None
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [list(row) for row in zip(*columns, strict=True)]


def _load(reader, name, index, match, path: Path, where: Location) -> RawTable:
    positions = {pos: col for col, pos in match.columns.items()}
    try:
        sheet = reader.load_sheet(
            name,
            header_row=index,
            use_columns=sorted(positions),
            schema_sample_rows=None,  # a sample would silently null late odd values
        )
        frame = sheet.to_arrow().to_pandas()
        info = sheet.selected_columns
    except Exception as exc:
        raise InputError(f"cannot read the data ({_reason(exc)}).", where) from None
    frame.columns = [positions[c.absolute_index] for c in info]
    # Sheet row as the user sees it: the header's row (index + 1) plus the data offset.
    frame.index = frame.index + index + 2
    return RawTable(path.name, name, index + 1, match, frame)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
