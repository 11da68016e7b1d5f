"""The live adapter: the plan workbook open in Excel, through xlwings (imported lazily).

`LiveBook` implements the book port (`csxl.workbook.port.Book`) for `--live`, which is what
the ribbon buttons use: Excel holds a lock on an open workbook, so the live path writes into
the running Excel, never into the file, and never saves it (saving stays the manager's
choice). Refresh, scoring and validation run the same code as headless `csxl refresh`; this
module only translates, following the lessons of xlwings' most reported problems:

- the workbook is found by its full name among the running Excel instances (the caller
  passes `ActiveWorkbook.FullName`), and no Book or App object is kept at module level
  (such references leave Excel processes behind);
- each sheet is read once, in one bulk `range.value` call over its used range from A1
  (and, where refresh asks which cells hold formulas, one bulk `range.formula` call);
- queued cells are written once per contiguous rectangle (one `range.value` or
  `range.formula` call each, never cell by cell), with screen updating off and restored
  in `finally`;
- formula cells are written as formulas and Excel computes them; text is written so that
  Excel stores it as text (never as a formula, number or date it happens to look like).

The add-in's RunPython path (Mac, or Windows without the csxl executable) enters through
`csxl.excel.button`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from csxl.domain.columns import CALLS, ORDERS, TICKETS, Schema
from csxl.errors import InputError, Location, t
from csxl.workbook import layout
from csxl.workbook.port import Rect, Titles, sheet_of
from csxl.workbook.sheetxml import Cells, Formula

if TYPE_CHECKING:
    from csxl.domain.synonyms import Synonyms
    from csxl.readers.table import RawTable

INSTALL_HINT = (
    "The csxl program includes it; with Python, install it with: pip install 'csxl[excel]'."
)
INSTALL_HINT_ZH = "csxl 程序已自带它；使用 Python 时请安装：pip install 'csxl[excel]'。"
# Text Excel would turn into something else when it is entered as a value: formulas (=, +,
# -, @), errors (#N/A), numbers, dates, times, percentages and fractions (they all hold a
# digit), booleans, and text that already starts with the quote that marks text.
_TEXT_PREFIX = "'"
_ACTIVE_START = ("=", "+", "-", "@", "#", "'")
_BOOLEANS = {"TRUE", "FALSE"}


def _xlwings() -> Any:
    try:
        import xlwings
    except ImportError:
        raise InputError(
            t("--live 需要 xlwings 包。", "--live needs the xlwings package."),
            hint=t(INSTALL_HINT_ZH, INSTALL_HINT),
        ) from None
    return xlwings


def _same_file(a: str, b: str) -> bool:
    if a == b:
        return True
    if "://" in a or "://" in b:  # OneDrive/SharePoint workbooks have URLs for names
        return a.casefold() == b.casefold()
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def find_open_book(workbook: str) -> Any:
    """The xlwings Book open in any running Excel whose full name is `workbook`.

    Falls back to the file name alone when exactly one open workbook has it (a path typed
    relative to another folder, a mapped drive seen as a UNC path).
    """
    xw = _xlwings()
    try:
        books = [book for app in xw.apps for book in app.books]
    except Exception as exc:  # no Excel running, or COM unavailable
        raise InputError(
            t(
                f"无法连接正在运行的 Excel（{type(exc).__name__}: {exc}）。",
                f"cannot reach a running Excel ({type(exc).__name__}: {exc}).",
            ),
            Location(workbook),
            t(
                "请先在 Excel 中打开工作簿，或不加 --live 运行命令。",
                "Open the workbook in Excel first, or run the command without --live.",
            ),
        ) from None
    for book in books:
        if _same_file(str(book.fullname), workbook):
            return book
    name = os.path.basename(workbook.replace("\\", "/"))
    same_name = [book for book in books if str(book.name).casefold() == name.casefold()]
    if len(same_name) == 1:
        return same_name[0]
    raise InputError(
        t("工作簿没有在 Excel 中打开。", "the workbook is not open in Excel."),
        Location(workbook),
        t(
            "请在 Excel 中打开它（或在其中按功能区按钮），或不加 --live 运行。",
            "Open it in Excel (or press the ribbon button in it), or run without --live.",
        ),
    )


def _anchors(book: Any) -> dict[str, str | None]:
    """The sheet anchors among the open workbook's names (see `layout.ANCHOR`)."""
    out: dict[str, str | None] = {}
    try:
        names = [(str(n.name), str(n.refers_to)) for n in book.names]
    except Exception:  # a host without names (older Mac Excel bridges): names by language
        return out
    for name, target in names:
        key = name[len(layout.ANCHOR) :]
        if name.startswith(layout.ANCHOR) and key in layout.SHEET:
            out[key] = sheet_of(target)
    return out


class LiveBook:
    """A plan workbook open in Excel, seen through the book port."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self.name = str(book.name)
        self._titles = [str(sheet.name) for sheet in book.sheets]
        self.titles = Titles(self._titles, _anchors(book), self.name)
        self.lang = self.titles.lang
        self._values: dict[str, list[list[object]]] = {}  # raw values per sheet title
        self._formulas: dict[str, set[tuple[int, int]]] = {}
        self._pending: dict[str, dict[tuple[int, int], object]] = {}

    @classmethod
    def attach(cls, workbook: str) -> LiveBook:
        """The workbook `workbook` (a full name, as Excel shows it) in the running Excel."""
        return cls(find_open_book(workbook))

    def title(self, key: str) -> str:
        return self.titles.title(key)

    # ------------------------------------------------------------------ reading
    def _sheet(self, key: str) -> Any:
        title = self.title(key)
        if title not in self._titles:
            raise InputError(
                t(f"缺少“{title}”工作表。", f"the {title} sheet is missing."),
                Location(self.name),
                t(
                    "请从备份恢复它，或运行 csxl upgrade。",
                    "Restore it from a backup, or run `csxl upgrade`.",
                ),
            )
        return self._book.sheets[title]

    def _read(self, key: str) -> list[list[object]]:
        """The sheet's values from A1 to the end of its used range: one bulk read."""
        title = self.title(key)
        if title not in self._values:
            sheet = self._sheet(key)
            last = sheet.used_range.last_cell
            area = sheet.range((1, 1), (last.row, last.column))
            values = area.options(ndim=2, err_to_str=True).value
            self._values[title] = [list(row) for row in values or []]
        return self._values[title]

    def formulas(self, key: str) -> set[tuple[int, int]]:
        """The cells holding a formula: one bulk read of the used range's formulas."""
        title = self.title(key)
        if title not in self._formulas:
            sheet = self._sheet(key)
            last = sheet.used_range.last_cell
            texts = sheet.range((1, 1), (last.row, last.column)).formula
            if isinstance(texts, str):  # a one-cell range
                texts = ((texts,),)
            self._formulas[title] = {
                (r, c)
                for r, row in enumerate(texts, start=1)
                for c, text in enumerate(row, start=1)
                if isinstance(text, str) and text.startswith("=")
            }
        return set(self._formulas[title])

    def rows(self, key: str) -> list[list[object]]:
        return [["" if v is None else v for v in row] for row in self._read(key)]

    def data(self, synonyms: Synonyms) -> RawTable:
        """The pasted tickets as the file reader sees them: every cell as text, the header
        found among the first rows by the same `find_header`, the mapped columns below it."""
        return self._paste_area(TICKETS, synonyms)

    def orders(self, synonyms: Synonyms) -> RawTable:
        """The pasted orders, read as the tickets are."""
        return self._paste_area(ORDERS, synonyms)

    def calls(self, synonyms: Synonyms) -> RawTable:
        """The pasted call records, read as the tickets are."""
        return self._paste_area(CALLS, synonyms)

    def _paste_area(self, schema: Schema, synonyms: Synonyms) -> RawTable:
        """The paste sheet of `schema`'s kind (`layout.PASTE_AREAS`)."""
        import pandas as pd
        import pyarrow as pa

        from csxl.domain.columns import NUMBER_KINDS
        from csxl.readers.header import SCAN_ROWS, find_header, settle
        from csxl.readers.limits import column_letters
        from csxl.readers.table import RawTable

        key = layout.paste_area(schema)
        title = self.title(key)
        values = self._read(key)
        text = [[as_text(v) for v in row] for row in values]
        while text and all(v is None for v in text[-1]):
            text.pop()  # the used range can outlast the values (formats, cleared cells)
        where = Location(self.name, title)
        index, match = find_header(text[:SCAN_ROWS], synonyms, where)
        below = text[index + 1 :]
        match = settle(
            match,
            lambda pos: any((v := _at(row, pos)) is not None and v.strip() for row in below),
            where,
            index + 1,
            lambda pos: column_letters(pos + 1),  # the read starts at A1
            synonyms.schema.labels,
            synonyms.schema.ranked,
        )
        columns = []
        for pos, column in sorted((pos, col) for col, pos in match.columns.items()):
            cells = [_at(row, pos) for row in below]
            if synonyms.schema.columns.get(column) in NUMBER_KINDS:
                # A number in a date-formatted cell comes as a datetime: its serial, as the
                # file reader gives it (a paste of values keeps the template's formats).
                raw = values[index + 1 : index + 1 + len(below)]
                cells = [
                    as_text(serial(v)) if isinstance((v := _at(r, pos)), datetime) else t
                    for r, t in zip(raw, cells, strict=False)
                ]
            columns.append((column, cells))
        # Arrow string columns to pandas, as the file reader does: the same dtypes and nulls.
        table = pa.table(
            [pa.array(cells, type=pa.string()) for _, cells in columns],
            names=[column for column, _ in columns],
        )
        frame = table.to_pandas()
        frame.index = pd.RangeIndex(index + 2, index + 2 + len(below))
        return RawTable(self.name, title, index + 1, match, frame)

    # ------------------------------------------------------------------ writing
    def write(self, key: str, cells: Cells, clear: Iterable[Rect] = ()) -> None:
        """Queue cells; `clear` empties the rest of those rectangles (as the file writer)."""
        self._sheet(key)
        grid = self._pending.setdefault(self.title(key), {})
        for r0, c0, r1, c1 in clear:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    grid[(r, c)] = None
        grid.update(cells)

    def commit(self) -> None:
        """Write every queued cell, one call per contiguous rectangle, screen updating off.

        Excel cannot write several sheets atomically; the workbook is not saved, so closing
        it without saving drops a partial write. Cached reads are dropped after a commit.
        """
        if not self._pending:
            return
        app = self._book.app
        before = app.screen_updating
        app.screen_updating = False
        try:
            for title, grid in self._pending.items():
                sheet = self._book.sheets[title]
                for r0, c0, r1, c1 in regions(grid):
                    block = [
                        [grid.get((r, c)) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)
                    ]
                    target = sheet.range((r0, c0), (r1, c1))
                    if any(isinstance(v, Formula) for row in block for v in row):
                        target.formula = [
                            [excel_input(v, formula=True) for v in row] for row in block
                        ]
                    else:
                        target.value = [[excel_input(v) for v in row] for row in block]
        finally:
            app.screen_updating = before
        self._pending.clear()
        self._values.clear()
        self._formulas.clear()


# ------------------------------------------------------------------ translation
def regions(cells: Iterable[tuple[int, int]]) -> list[Rect]:
    """Cover the cells with rectangles: runs of adjacent columns per row, and runs with the
    same columns in consecutive rows merged. A filled rectangle comes back as one."""
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    out: list[Rect] = []
    open_runs: dict[tuple[int, int], list[int]] = {}  # (c0, c1) -> [first row, last row]
    for r in sorted(by_row):
        current: dict[tuple[int, int], list[int]] = {}
        for span in _runs(sorted(set(by_row[r]))):
            rows = open_runs.get(span)
            if rows is not None and rows[1] == r - 1:
                rows[1] = r
                current[span] = rows
            else:
                current[span] = [r, r]
        for span, rows in open_runs.items():
            if current.get(span) is not rows:
                out.append((rows[0], span[0], rows[1], span[1]))
        open_runs = current
    out += [(rows[0], span[0], rows[1], span[1]) for span, rows in open_runs.items()]
    return sorted(out)


def _runs(columns: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for c in columns:
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def excel_input(value: object, formula: bool = False) -> object:
    """What to hand Excel for one cell so that it stores `value` as csxl means it."""
    if isinstance(value, Formula):
        return value.text
    if value is None or value == "":
        return "" if formula else None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return "#NUM!"  # as the file writer does
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value)
    if needs_text_prefix(text):
        return _TEXT_PREFIX + text
    return text


def needs_text_prefix(text: str) -> bool:
    """Whether Excel would read `text`, entered as a value, as anything but that text."""
    stripped = text.strip()
    return (
        stripped.startswith(_ACTIVE_START)
        or any(ch.isdigit() for ch in stripped)
        or stripped.upper() in _BOOLEANS
    )


def as_text(value: object) -> str | None:
    """A cell value as the file reader's text (fastexcel, every cell as a string)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # fastexcel writes numbers with at most 9 decimals, trailing zeros dropped.
        number = float(value)
        if not math.isfinite(number):
            return str(number)
        return format(number, ".9f").rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        return text + (f".{value.microsecond // 1000:03d}" if value.microsecond else "")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00:00")
    return str(value)


def serial(value: datetime) -> float:
    """Excel's serial number of a date the COM bridge handed over (its epoch 1899-12-30)."""
    delta = value - datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def _at(row: Sequence[object], i: int) -> object:
    return row[i] if i < len(row) else None
