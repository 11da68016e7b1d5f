"""`csxl import`: put one export into the Data sheet as a named data source.

A team's month often comes in several exports (phone, online chat, 千牛) with different
headers. Each is imported under its source name: its headers are read through the Mapping
rows without a source plus that source's own, its rows are written under the Data sheet's
headings (typed as a paste from Excel would type them, dirty values as they are, so refresh
lists them on Errors with their Data row), and the 数据源 column says where each row came
from. `append` adds the rows below the others; `replace` first takes out the rows of that
source only, so a corrected re-export of one system does not touch the others.

Duplicates follow the spec: among valid rows the last row of a ticket id is counted, and
an import's rows go last, so a ticket in two sources counts as the latest import has it.
The report says how many ticket ids the import shares with other sources.

Only the Data sheet and its table change; the workbook is backed up and replaced atomically
by the book port, and a workbook open in Excel is refused (close it, or paste by hand).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from csxl.errors import InputError, Location
from csxl.workbook import layout
from csxl.workbook.layout import Data as D

if TYPE_CHECKING:
    from csxl.workbook.port import PackageBook

EXCEL_ROWS = 1_048_576
MAX_SOURCE = 40  # characters: a label, not a note


@dataclass
class ImportReport:
    workbook: str
    export: str
    source: str
    replaced: int  # rows of this source taken out first (replace)
    written: int  # rows of the export written
    rejected: int  # of those, rows refresh will reject (listed by `csxl validate`)
    shared: dict[str, int] = field(default_factory=dict)  # other source -> ticket ids in both
    sources: dict[str, int] = field(default_factory=dict)  # Data's rows per source, after
    unmapped: list[str] = field(default_factory=list)  # export headers csxl did not use
    added: list[str] = field(default_factory=list)  # headings added to the Data sheet


def clean_source(name: str) -> str:
    """The source name as stored: trimmed, inner blanks made one, and checked."""
    text = " ".join(str(name).split())
    if not text:
        raise InputError("the data source name is empty.", None, "Give --source a name, e.g. 千牛.")
    if len(text) > MAX_SOURCE:
        raise InputError(
            f"the data source name is {len(text)} characters long (at most {MAX_SOURCE}).",
            None,
            "Use a short name such as 千牛, 电话 or 在线.",
        )
    return text


def import_export(
    book: PackageBook,
    export: str | Path,
    source: str,
    replace: bool = False,
    sheet: str | None = None,
    now=None,
) -> ImportReport:
    """Write `export`'s rows into the plan's Data sheet as `source`; commit."""
    try:
        report = _import(book, Path(export), clean_source(source), replace, sheet, now)
        book.commit()
        return report
    finally:
        book.release()


def _import(book, export: Path, source: str, replace: bool, sheet, now) -> ImportReport:
    import pandas as pd

    from csxl.domain.identity import spelling
    from csxl.domain.synonyms import Synonyms
    from csxl.domain.tickets import load_tickets
    from csxl.readers.read import read_table
    from csxl.workbook.data_sheet import as_pasted
    from csxl.workbook.plan_reader import read_plan

    state = read_plan(book)
    synonyms = Synonyms()
    synonyms.extend(state.mapping_for(source))
    table = read_table(export, synonyms, sheet)
    incoming = as_pasted(table)
    checked = load_tickets(table, now)

    rows = book.rows("Data")
    header = list(rows[D.HEADER_ROW - 1]) if rows else []
    while header and header[-1] in ("", None):
        header.pop()
    own = Synonyms()
    own.extend(state.mapping_for())  # how refresh reads the Data sheet's own headings
    match = own.match(header)
    added = []
    for column in [*incoming.columns, "data_source"]:
        if column not in match.columns:
            match.columns[column] = len(header)
            match.scales[column] = 1.0
            label = layout_label(column, book.lang)
            header.append(label)
            added.append(label)
    width = len(header)
    source_col = match.columns["data_source"]

    body = [list(r) + [""] * (width - len(r)) for r in rows[D.FIRST_ROW - 1 :]]
    while body and all(v in ("", None) for v in body[-1]):
        body.pop()
    key = spelling(source)
    mine = [spelling(r[source_col]) == key for r in body]
    replaced = sum(mine) if replace else 0
    kept = [r for r, m in zip(body, mine, strict=True) if not (replace and m)]
    first_changed = next((i for i, m in enumerate(mine) if m), len(body)) if replace else len(body)

    total = len(kept) + len(incoming)
    if D.FIRST_ROW - 1 + total > EXCEL_ROWS:
        raise InputError(
            f"the Data sheet would hold {total:,} rows, more than Excel's {EXCEL_ROWS:,}.",
            Location(book.name, book.title("Data")),
            "Import one month at a time, or start a plan for the new period.",
        )

    cells: dict[tuple[int, int], object] = {}
    for i, r in enumerate(kept[first_changed:], start=D.FIRST_ROW + first_changed):
        for c, value in enumerate(r, start=1):
            cells[(i, c)] = None if value == "" else value
    start = D.FIRST_ROW + len(kept)
    for column in incoming.columns:
        c = match.columns[column] + 1
        values = incoming[column]
        scale = match.scales.get(column, 1.0)
        if scale != 1.0:  # the Data heading counts minutes: seconds / 60
            values = values.map(lambda v, s=scale: v / s if _is_number(v) else v)
        for i, value in enumerate(values.tolist(), start=start):
            cells[(i, c)] = _cell_value(value)
    for i in range(start, start + len(incoming)):
        cells[(i, source_col + 1)] = source
    if added:
        for c, label in enumerate(header, start=1):
            if label in added:
                cells[(D.HEADER_ROW, c)] = label

    old_last = D.FIRST_ROW + len(body) - 1
    last = max(D.FIRST_ROW + total - 1, D.FIRST_ROW)
    clear = [(D.FIRST_ROW + first_changed, 1, max(old_last, last), width)]
    book.write("Data", cells, clear=clear)
    from csxl.workbook.data_sheet import grow_table

    grow_table(book, f"A{D.HEADER_ROW}:{layout.col(width)}{last}", D.TABLE, header)

    counts = pd.Series([_source_of(r[source_col]) for r in kept] + [source] * len(incoming))
    sources = {str(k): int(v) for k, v in counts.value_counts(sort=False).items()}
    return ImportReport(
        workbook=book.name,
        export=export.name,
        source=source,
        replaced=replaced,
        written=len(incoming),
        rejected=checked.rejected,
        shared=_shared(kept, match.columns.get("ticket_id"), source_col, incoming, key),
        sources=sources,
        unmapped=list(table.match.unmapped),
        added=added,
    )


def layout_label(column: str, lang: str) -> str:
    from csxl.domain.columns import label

    return label(column, lang)


def _cell_value(value: object) -> object:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _source_of(value: object) -> str:
    return "" if value in (None, "") else " ".join(str(value).split())


def _shared(kept, id_col: int | None, source_col: int, incoming, key: str) -> dict[str, int]:
    """Ticket ids of the import that rows of other sources hold too, per other source."""
    import pandas as pd

    from csxl.domain.identity import spelling
    from csxl.domain.normalise import text

    if id_col is None or "ticket_id" not in incoming or not kept:
        return {}
    ids = set(text(pd.Series(incoming["ticket_id"].tolist(), dtype=object)).dropna())
    old = pd.DataFrame(
        {
            "id": text(pd.Series([r[id_col] for r in kept], dtype=object)),
            "source": [_source_of(r[source_col]) for r in kept],
        }
    )
    other = old[old["source"].map(spelling) != key]
    both = other[other["id"].isin(ids)].drop_duplicates()
    return {str(k): int(v) for k, v in both["source"].value_counts().sort_index().items()}
