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

from csxl.domain.columns import TICKETS
from csxl.errors import InputError, Location, t
from csxl.workbook import layout
from csxl.workbook.layout import Paste as P

if TYPE_CHECKING:
    from csxl.workbook.port import PackageBook

EXCEL_ROWS = 1_048_576
# The paste sheet of tickets (the registry's `layout.PASTE_AREAS`): where an import goes.
SHEET = layout.paste_area(TICKETS)
TABLE = layout.PASTE_TABLES[SHEET]
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
        raise InputError(
            t("数据源名称为空。", "the data source name is empty."),
            None,
            t("请给 --source 一个名称，如 千牛。", "Give --source a name, e.g. 千牛."),
        )
    if len(text) > MAX_SOURCE:
        raise InputError(
            t(
                f"数据源名称有 {len(text)} 个字符（最多 {MAX_SOURCE} 个）。",
                f"the data source name is {len(text)} characters long (at most {MAX_SOURCE}).",
            ),
            None,
            t(
                "请用简短的名称，如 千牛、电话 或 在线。",
                "Use a short name such as 千牛, 电话 or 在线.",
            ),
        )
    return text


def too_many(book, total: int) -> InputError:
    """The refusal of an import that would take the Data sheet past Excel's last row."""
    zh, en = layout.title(SHEET, "zh"), layout.title(SHEET, "en")
    return InputError(
        t(
            f"“{zh}”表将有 {total:,} 行，超过 Excel 的 {EXCEL_ROWS:,} 行。",
            f"the {en} sheet would hold {total:,} rows, more than Excel's {EXCEL_ROWS:,}.",
        ),
        Location(book.name, book.title(SHEET)),
        t(
            "请一次导入一个月，或为新的期间新建计划。",
            "Import one month at a time, or start a plan for the new period.",
        ),
    )


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
    from csxl.domain.synonyms import Synonyms
    from csxl.readers.read import read_table
    from csxl.workbook.plan_reader import read_plan

    state = read_plan(book)
    synonyms = Synonyms()
    synonyms.extend(state.mapping_for(source))
    table = read_table(export, synonyms, sheet, layout.paste_titles(TICKETS))
    streamed = _stream_shape(book)
    if streamed is not None:
        report = _import_streamed(book, export, table, state, source, replace, streamed, now)
        if report is not None:
            return report
    return _import_general(book, export, table, state, source, replace, now)


def _stream_shape(book):
    """The Data part's shape for the streamed path, or None (an unusual part, or a book
    that is not a file)."""
    from csxl.workbook import append

    if not hasattr(book, "write_stream"):
        return None
    try:
        return append.scan(book.part_chunks(SHEET), P.FIRST_ROW)
    except ValueError:  # a cell or row without an address: the general path says so
        return None


def _columns(header: list[object], columns, state, lang: str):
    """The Data heading row with the import's missing columns (and 数据源) added at the
    right: (header, match of canonical column -> position, labels added)."""
    from csxl.domain.synonyms import Synonyms

    header = list(header)
    while header and header[-1] in ("", None):
        header.pop()
    own = Synonyms()
    own.extend(state.mapping_for())  # how refresh reads the Data sheet's own headings
    match = own.match(header)
    added = []
    for column in [*columns, "data_source"]:
        if column not in match.columns:
            match.columns[column] = len(header)
            match.scales[column] = 1.0
            label = layout_label(column, lang)
            header.append(label)
            added.append(label)
    return header, match, added


def _import_streamed(book, export, table, state, source, replace, shape, now):
    """Append the export's rows below the Data sheet's last row as a stream (see
    `csxl.workbook.append`): the rows already there are copied as stored, and read only
    for the data source and ticket id columns (the report, and --replace). None when the
    general path must do it: --replace with rows of this source, an empty export, a
    header the stream cannot read."""
    from csxl.domain.identity import spelling
    from csxl.domain.tickets import load_tickets
    from csxl.workbook import append
    from csxl.workbook.data_sheet import PastedColumns, grow_table

    names = _header_names(book, shape.header_xml())
    typed = PastedColumns(table)
    if names is None or typed.count == 0:
        return None
    header, match, added = _columns(names, typed.columns, state, book.lang)
    width = len(header)
    source_col = match.columns["data_source"]
    id_col = match.columns.get("ticket_id")
    start = shape.start(P.FIRST_ROW)
    old = start - P.FIRST_ROW
    sources, ids = _old_columns(book, old, source_col, id_col)
    key = spelling(source)
    if replace and any(spelling(v) == key for v in sources):
        return None
    total = old + typed.count
    if P.FIRST_ROW - 1 + total > EXCEL_ROWS:
        raise too_many(book, total)
    try:
        cells = [
            typed.cells(column, match.columns[column] + 1, match.scales.get(column, 1.0))
            for column in typed.columns
        ]
    except (TypeError, ValueError):  # a column not read as text (pyarrow's errors too)
        return None
    rejected = load_tickets(table, now).rejected  # as refresh will judge the rows
    cells.append(append.ColumnCells(source_col + 1, _repeat(source, typed.count)))
    heading = {c: label for c, label in enumerate(header, start=1) if label in added}
    last = max(P.FIRST_ROW + total - 1, P.FIRST_ROW)

    def chunks():
        return append.chunks(
            shape, lambda: book.part_chunks(SHEET), cells, typed.count, start, heading, width
        )

    book.write_stream(SHEET, chunks, header_columns=width)
    grow_table(book, f"A{P.HEADER_ROW}:{layout.col(width)}{last}", TABLE, header)
    counts = _counts([_source_of(v) for v in sources] + [source] * typed.count)
    incoming_ids = typed.frame.get("ticket_id")
    return ImportReport(
        workbook=book.name,
        export=export.name,
        source=source,
        replaced=0,
        written=typed.count,
        rejected=rejected,
        shared=_shared_ids(ids, sources, incoming_ids, key) if id_col is not None else {},
        sources=counts,
        unmapped=list(table.match.unmapped),
        added=added,
    )


def _repeat(text: str, count: int):
    import pyarrow as pa

    return pa.repeat(pa.scalar(text, pa.string()), count)


def _counts(values: list[str]) -> dict[str, int]:
    import pandas as pd

    counts = pd.Series(values, dtype=object).value_counts(sort=False)
    return {str(k): int(v) for k, v in counts.items()}


def _header_names(book, row_xml: bytes) -> list[object] | None:
    """Row 1's values from its element (shared strings looked up), as the sheet shows them;
    None for a cell type this does not read (the general path reads it)."""
    import html
    import re

    from csxl.workbook import sheetxml as sx

    values: dict[int, object] = {}
    wanted: dict[int, int] = {}  # column -> shared string index
    for m in sx._CELL.finditer(row_xml):
        column = sx._col_of(m["attrs"])
        kind = re.search(rb'\st="([^"]*)"', m["attrs"])
        kind = kind[1] if kind else b"n"
        body = m["body"] or b""
        v = re.search(rb"<v>([^<]*)</v>", body)
        if kind == b"inlineStr":
            values[column] = html.unescape(
                "".join(t.decode() for t in re.findall(rb"<t(?:\s[^>]*)?>([^<]*)</t>", body))
            )
        elif kind == b"s" and v:
            wanted[column] = int(v[1])
        elif kind == b"str" and v:
            values[column] = html.unescape(v[1].decode())
        elif kind == b"n" and v:
            number = float(v[1])
            values[column] = int(number) if number.is_integer() else number
        elif v or kind not in (b"n",):
            return None
    if wanted:
        strings = _shared_strings(book, max(wanted.values()))
        if strings is None:
            return None
        for column, i in wanted.items():
            values[column] = strings[i] if i < len(strings) else ""
    width = max(values, default=0)
    return [values.get(c, "") for c in range(1, width + 1)]


def _shared_strings(book, upto: int) -> list[str] | None:
    """The first upto+1 shared strings, read as a stream (a header's are near the start)."""
    import html
    import re

    from csxl.workbook import zipsplice

    strings: list[str] = []
    buffer = b""
    si = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
    try:
        with book.path.open("rb") as f:
            for chunk in zipsplice.inflate(f, "xl/sharedStrings.xml"):
                buffer += chunk
                at = 0
                for m in si.finditer(buffer):
                    runs = re.sub(rb"<rPh\b.*?</rPh>", b"", m[1] or b"", flags=re.S)
                    texts = re.findall(rb"<t(?:\s[^>]*)?>([^<]*)</t>", runs)
                    strings.append(html.unescape(b"".join(texts).decode()))
                    at = m.end()
                    if len(strings) > upto:
                        return strings
                buffer = buffer[at:]
    except (KeyError, ValueError):
        return None
    return strings


def _old_columns(book, rows: int, source_col: int, id_col: int | None):
    """The data source and ticket id of the rows already on Data (sheet rows 2..rows+1), as
    text, read by fastexcel for those two columns only."""
    if rows <= 0:
        return [], []
    import fastexcel

    wanted = {source_col} | ({id_col} if id_col is not None else set())
    sheet = fastexcel.read_excel(str(book.path)).load_sheet(
        book.title(SHEET),
        header_row=None,
        skip_rows=0,
        dtypes="string",
        use_columns=lambda c: c.absolute_index in wanted,
    )
    batch = sheet.to_arrow()
    found = {c.absolute_index: i for i, c in enumerate(sheet.selected_columns)}
    first = P.FIRST_ROW - 1  # table row of sheet row 2 (the table starts at row 1)

    def column(index: int | None) -> list[object]:
        if index is None or index not in found:
            return [None] * rows
        values = batch.column(found[index]).slice(first, rows).to_pylist()
        return values + [None] * (rows - len(values))

    return column(source_col), column(id_col)


def _shared_ids(ids: list, sources: list, incoming, key: str) -> dict[str, int]:
    """Ticket ids of the import that rows of other sources hold too, per other source."""
    import pandas as pd

    from csxl.domain.identity import spelling
    from csxl.domain.normalise import text

    if incoming is None or not ids:
        return {}
    new = set(text(pd.Series(incoming.tolist(), dtype=object)).dropna())
    old = pd.DataFrame(
        {"id": text(pd.Series(ids, dtype=object)), "source": [_source_of(v) for v in sources]}
    )
    other = old[old["source"].map(spelling) != key]
    both = other[other["id"].isin(new)].drop_duplicates()
    return {str(k): int(v) for k, v in both["source"].value_counts().sort_index().items()}


def _import_general(book, export, table, state, source, replace, now) -> ImportReport:
    """Any Data sheet: its rows read whole (calamine) and the new cells patched in."""
    import pandas as pd

    from csxl.domain.identity import spelling
    from csxl.domain.tickets import load_tickets
    from csxl.workbook.data_sheet import as_pasted

    incoming = as_pasted(table)
    checked = load_tickets(table, now)

    rows = book.rows(SHEET)
    header, match, added = _columns(
        rows[P.HEADER_ROW - 1] if rows else [], incoming.columns, state, book.lang
    )
    width = len(header)
    source_col = match.columns["data_source"]

    body = [list(r) + [""] * (width - len(r)) for r in rows[P.FIRST_ROW - 1 :]]
    while body and all(v in ("", None) for v in body[-1]):
        body.pop()
    key = spelling(source)
    mine = [spelling(r[source_col]) == key for r in body]
    replaced = sum(mine) if replace else 0
    kept = [r for r, m in zip(body, mine, strict=True) if not (replace and m)]
    first_changed = next((i for i, m in enumerate(mine) if m), len(body)) if replace else len(body)

    total = len(kept) + len(incoming)
    if P.FIRST_ROW - 1 + total > EXCEL_ROWS:
        raise too_many(book, total)

    cells: dict[tuple[int, int], object] = {}
    for i, r in enumerate(kept[first_changed:], start=P.FIRST_ROW + first_changed):
        for c, value in enumerate(r, start=1):
            cells[(i, c)] = None if value == "" else value
    start = P.FIRST_ROW + len(kept)
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
                cells[(P.HEADER_ROW, c)] = label

    old_last = P.FIRST_ROW + len(body) - 1
    last = max(P.FIRST_ROW + total - 1, P.FIRST_ROW)
    clear = [(P.FIRST_ROW + first_changed, 1, max(old_last, last), width)]
    book.write(SHEET, cells, clear=clear)
    from csxl.workbook.data_sheet import grow_table

    grow_table(book, f"A{P.HEADER_ROW}:{layout.col(width)}{last}", TABLE, header)

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
