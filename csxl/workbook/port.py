"""The "book" port: what refresh, scoring and validation need from a plan workbook.

Two adapters implement it: `PackageBook` (headless: reads the file with fast readers and
patches only the sheet parts csxl owns) and `csxl.excel.live.LiveBook` (the workbook open in
Excel, through xlwings). `MemoryBook` serves behaviour tests. Refresh code sees only this
protocol, so the ribbon button and `csxl refresh` run the same code.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from csxl.domain.columns import CALLS, ORDERS, TICKETS, Schema
from csxl.errors import InputError, Location, t
from csxl.workbook import layout
from csxl.workbook.safety import BACKUPS_KEPT, backup, backups_folder, open_error
from csxl.workbook.sheetxml import Cells, Formula

if TYPE_CHECKING:
    from openpyxl.chart._chart import ChartBase

    from csxl.domain.synonyms import Synonyms
    from csxl.readers.table import RawTable
    from csxl.workbook import zipsplice

Rect = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col
STYLES_PART = "xl/styles.xml"
__all__ = ["BACKUPS_KEPT", "backup", "backups_folder"]  # kept here for their callers


class Book(Protocol):
    name: str  # the file name, for messages
    lang: str

    def rows(self, key: str) -> list[list[object]]:
        """A sheet's values (cached values for formulas) from A1; "" for empty cells."""

    # The paste areas (`layout.PASTE_AREAS`), each read from the sheet of its kind.
    def data(self, synonyms: Synonyms) -> RawTable:
        """The pasted tickets as a raw table (header found by the synonyms)."""

    def orders(self, synonyms: Synonyms) -> RawTable:
        """The pasted orders as a raw table (a plan made before their sheet has none)."""

    def calls(self, synonyms: Synonyms) -> RawTable:
        """The pasted call records as a raw table (a plan made before their sheet has none)."""

    def formulas(self, key: str) -> set[tuple[int, int]]:
        """The cells of a sheet that hold a formula (row, column), whatever it computes."""

    def write(self, key: str, cells: Cells, clear: Iterable[Rect] = ()) -> None:
        """Queue cells for a sheet; `clear` empties the rest of those rectangles."""

    def commit(self) -> None:
        """Make the queued writes permanent (all or nothing)."""


def detect_lang(
    sheet_names: Iterable[str], file: str, anchors: Mapping[str, str | None] | None = None
) -> str:
    """The plan's language: the one whose sheet names it has (renamed sheets aside)."""
    names = set(sheet_names)
    if anchors:
        found = {k for k, t in anchors.items() if t in names}
        votes = {lang: sum(layout.title(k, lang) in names for k in found) for lang in ("zh", "en")}
        if max(votes.values()) > 0:
            return "en" if votes["en"] > votes["zh"] else "zh"
    for lang in ("zh", "en"):
        if {layout.title(k, lang) for k in layout.PLAN_SIGNATURE} <= names:
            return lang
    *zh, zh_last = (layout.title(k, "zh") for k in layout.PLAN_SIGNATURE)
    *en, en_last = (layout.title(k, "en") for k in layout.PLAN_SIGNATURE)
    raise InputError(
        t(
            f"这不是 csxl 的计划工作簿（没有“{'”“'.join(zh)}”和“{zh_last}”工作表）。",
            f"this is not a csxl plan workbook (no {', '.join(en)} and {en_last} sheets).",
        ),
        Location(file),
        t(
            "请用 csxl new 新建计划，或恢复被改名或删除的工作表。",
            "Make a plan with `csxl new`, or restore the renamed or deleted sheets.",
        ),
    )


_DEFINED_NAME = re.compile(r"<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>")
_NAME_ATTR = re.compile(r'\bname="([^"]*)"')


def anchors_of(workbook_xml: bytes | str) -> dict[str, str | None]:
    """Sheet key -> the title its anchor name refers to now (None: the sheet was deleted),
    from the workbook part's defined names; plans made before the anchors have none."""
    import html

    text = (
        workbook_xml.decode("utf-8", "replace") if isinstance(workbook_xml, bytes) else workbook_xml
    )
    out: dict[str, str | None] = {}
    for attrs, target in _DEFINED_NAME.findall(text):
        m = _NAME_ATTR.search(attrs)
        if m and m[1].startswith(layout.ANCHOR) and "localSheetId" not in attrs:
            key = m[1][len(layout.ANCHOR) :]
            if key in layout.SHEET:
                out[key] = sheet_of(html.unescape(target))
    return out


def sheet_of(reference: str) -> str | None:
    """The sheet a reference such as `'目标 2026'!$A$1`, `目标!$A$1` or `=目标!$A$1` names;
    None for `#REF!` (the sheet was deleted)."""
    ref = reference.strip().lstrip("=")
    if ref.startswith("'"):  # quoted; a quote inside the name is doubled
        i = 1
        while i < len(ref):
            if ref[i] == "'":
                if ref[i + 1 : i + 2] != "'":
                    return ref[1:i].replace("''", "'") if ref[i + 1 : i + 2] == "!" else None
                i += 1
            i += 1
        return None
    sheet, bang, _ = ref.rpartition("!")
    if not bang or not sheet or sheet.startswith("#REF"):
        return None
    return sheet


class Titles:
    """A plan's sheet names: each key's sheet found by its anchor (so a renamed sheet is
    still found), else by its name in the plan's language."""

    def __init__(self, names: Iterable[str], anchors: Mapping[str, str | None], file: str):
        self.names = list(names)
        self.anchors = dict(anchors)
        self.lang = detect_lang(self.names, file, self.anchors)

    @classmethod
    def of_file(cls, path: Path) -> Titles:
        """The titles of a plan file, from its workbook part alone (no cells read)."""
        import zipfile

        from csxl.workbook.package import sheet_parts

        try:
            with zipfile.ZipFile(path) as zf:
                small = {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        except (KeyError, OSError, zipfile.BadZipFile):
            return cls([], {}, path.name)  # detect_lang refuses it as no plan
        return cls(sheet_parts(small), anchors_of(small["xl/workbook.xml"]), path.name)

    def title(self, key: str) -> str:
        anchored = self.anchors.get(key)
        if anchored is not None and anchored in self.names:
            return anchored
        return layout.title(key, self.lang)

    def renamed(self) -> dict[str, str]:
        """The sheets whose names differ from the template's: key -> name in the file."""
        return {
            s.key: self.title(s.key)
            for s in layout.SHEETS
            if self.title(s.key) != layout.title(s.key, self.lang)
        }

    def missing(self) -> list[str]:
        """The keys of the sheets the file does not have (deleted, or renamed in a plan
        made before the anchors)."""
        return [s.key for s in layout.SHEETS if self.title(s.key) not in self.names]


def prefetch_data(path: str | Path) -> None:
    """Start reading the plan's pasted tickets in a worker thread (`readers.excel.prefetch`)
    while the refresh engine is imported and the plan's own sheets are read: about 1 s that
    then costs no time when a core is free. `PackageBook.data` takes the cells from there."""
    from csxl.readers.excel import prefetch

    path = Path(path)
    if not path.is_file():
        return  # the command says what is wrong
    try:
        title = Titles.of_file(path).title(layout.paste_area(TICKETS))
    except InputError:
        return
    prefetch(path, title)


def lock_files(path: Path) -> list[Path]:
    """The lock files beside a workbook open in Excel, WPS or LibreOffice (`safety`)."""
    from csxl.workbook.safety import app_locks

    return [p for p, _ in app_locks(path)]


def plan_language(path: str | Path) -> str | None:
    """The language of the plan workbook at `path`; None for anything else (missing, not a
    workbook, not a plan). Reads only the workbook part: the CLI asks it before each run."""
    try:
        return Titles.of_file(Path(path)).lang
    except Exception:  # not a plan: the command says so in its own words
        return None


def _peek_lang(path: Path) -> str:
    """The plan's language for a refusal before it is opened (zh when it cannot be told)."""
    import zipfile

    from csxl.workbook.package import sheet_parts

    try:
        with zipfile.ZipFile(path) as zf:
            small = {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        return detect_lang(sheet_parts(small), path.name)
    except Exception:  # a damaged or foreign file is refused by _open with its own message
        return "zh"


class PackageBook:
    """A plan workbook file, patched in place: only owned sheet parts change.

    Opening one takes the workbook's csxl lock (`csxl.workbook.lock`) until `commit` or
    `release` (or until the object is gone): a second csxl process waits, then refuses.
    `lock=False` is for reading only (a later commit is refused). Opening for writing
    refuses a workbook open in Excel, WPS or LibreOffice (exit 3) and a read-only one
    (exit 2), in the plan's language; `ribbon=False` leaves out the advice to use the ribbon
    (commands without --live).
    """

    def __init__(self, path: str | Path, lock: bool = True, ribbon: bool = True) -> None:
        from csxl.readers.sniff import Kind, sniff
        from csxl.workbook.lock import WorkbookLock
        from csxl.workbook.safety import check_writable, remove_stale_temps

        self.path = Path(path)
        self.name = self.path.name
        self._lock = None
        if sniff(self.path) is not Kind.XLSX:
            raise InputError(
                t("计划工作簿是 .xlsx 文件。", "a plan workbook is an .xlsx file."),
                Location(self.name),
            )
        lang = _peek_lang(self.path)
        refusal = open_error(self.path, lang, ribbon)
        if refusal is not None:
            raise refusal
        if lock:
            check_writable(self.path, lang)
            self._lock = WorkbookLock(self.path)
            remove_stale_temps(self.path.parent)  # what a killed save of any csxl left here
        try:
            self._open()
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Give up the workbook's lock (a later commit is refused)."""
        if self._lock is not None:
            self._lock.release()

    def _open(self) -> None:
        self._stat = self.path.stat()
        import zipfile

        from csxl.workbook.package import sheet_parts

        with zipfile.ZipFile(self.path) as zf:
            small = {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        self._parts = sheet_parts(small)
        self.titles = Titles(self._parts, anchors_of(small["xl/workbook.xml"]), self.name)
        self.lang = self.titles.lang
        self._calamine = None
        self._rows: dict[str, list[list[object]]] = {}  # per sheet title, as read
        self._pending: dict[str, bytes | zipsplice.Stream] = {}
        self._removed: set[str] = set()
        self._known: dict[str, tuple[int, int]] = {}  # a streamed part's print extent

    def title(self, key: str) -> str:
        return self.titles.title(key)

    def rows(self, key: str) -> list[list[object]]:
        from python_calamine import CalamineWorkbook

        if self._calamine is None:
            self._calamine = CalamineWorkbook.from_path(str(self.path))
        title = self.title(key)
        if title not in self._parts:
            raise InputError(
                t(f"缺少“{title}”工作表。", f"the {title} sheet is missing."),
                Location(self.name),
                t(
                    "请从备份中恢复，或运行 csxl upgrade。",
                    "Restore it from a backup, or run `csxl upgrade`.",
                ),
            )
        from csxl.readers.limits import check_sheet

        if title not in self._rows:  # the file does not change while it is open (commit checks)
            check_sheet(self.path, title, Location(self.name, title))  # a stray far cell
            self._rows[title] = self._calamine.get_sheet_by_name(title).to_python(
                skip_empty_area=False
            )
        return [list(r) for r in self._rows[title]]

    def data(self, synonyms: Synonyms) -> RawTable:
        return self._pasted(TICKETS, synonyms)

    def orders(self, synonyms: Synonyms) -> RawTable:
        return self._pasted(ORDERS, synonyms)

    def calls(self, synonyms: Synonyms) -> RawTable:
        return self._pasted(CALLS, synonyms)

    def _pasted(self, schema: Schema, synonyms: Synonyms) -> RawTable:
        """The paste sheet of `schema`'s kind, the header found by the synonyms."""
        from csxl.readers.excel import read_excel

        return read_excel(self.path, synonyms, self.title(layout.paste_area(schema)))

    def formulas(self, key: str) -> set[tuple[int, int]]:
        from csxl.workbook import sheetxml, zipsplice

        with self.path.open("rb") as f:
            return sheetxml.formula_cells(zipsplice.read(f, self._parts[self.title(key)]))

    def write(self, key: str, cells: Cells, clear: Iterable[Rect] = ()) -> None:
        from csxl.workbook import sheetxml, zipsplice

        part = self._parts[self.title(key)]
        if isinstance(self._pending.get(part), zipsplice.Stream):
            raise ValueError(f"{part}: streamed in this commit; it cannot be patched too")
        if part not in self._pending:
            with self.path.open("rb") as f:
                self._pending[part] = zipsplice.read(f, part)
        try:
            self._pending[part] = sheetxml.patch(self._pending[part], cells, clear)
        except ValueError as exc:
            raise InputError(
                t(
                    f"无法更新“{self.title(key)}”工作表：{exc}。",
                    f"cannot update the {self.title(key)} sheet: {exc}.",
                ),
                Location(self.name, self.title(key)),
            ) from None

    def part_chunks(self, key: str) -> Iterator[bytes]:
        """A sheet part of the file as it is on disk, inflated in chunks (never whole)."""
        from csxl.workbook import zipsplice

        with self.path.open("rb") as f:
            yield from zipsplice.inflate(f, self._parts[self.title(key)])

    def write_stream(
        self, key: str, chunks: Callable[[], Iterable[bytes]], header_columns: int | None = None
    ) -> None:
        """Replace a sheet part with what `chunks()` yields at commit, streamed into the new
        file (an import's Data sheet: never whole in memory). No other write to that part
        may be queued. `header_columns`: the width of its row 1, for its print area."""
        from csxl.workbook import zipsplice

        part = self._parts[self.title(key)]
        if part in self._pending:
            raise ValueError(f"{part}: already written in this commit")
        self._pending[part] = zipsplice.Stream(chunks)
        if header_columns:
            self._known[part] = (1, header_columns)

    def write_part(self, name: str, data: bytes) -> None:
        """Replace a whole non-sheet part (e.g. a table's range) in the same commit."""
        self._pending[name] = data

    def part(self, name: str) -> bytes | None:
        """A part as this commit will leave it so far (None: absent or removed)."""
        from csxl.workbook import zipsplice

        if name in self._removed:
            return None
        pending = self._pending.get(name)
        if isinstance(pending, bytes):
            return pending
        with self.path.open("rb") as f:
            try:
                return zipsplice.read(f, name)
            except KeyError:
                return None

    def set_charts(self, key: str, charts: Sequence[ChartBase]) -> None:
        """The sheet's charts replaced by `charts` (none: no drawing), in the same commit
        (csxl.workbook.drawing)."""
        from csxl.workbook.drawing import replace_charts

        part = self._parts[self.title(key)]
        sheet = self.part(part)
        assert sheet is not None
        sheet, changes = replace_charts(part, sheet, self.part, charts)
        self._pending[part] = sheet
        self._pending.update(changes.write)
        self._removed |= changes.remove

    def set_formats(self, key: str, formats: Mapping[tuple[int, int], str]) -> None:
        """Number formats of cells written in this commit (csxl.workbook.numfmt)."""
        from csxl.workbook import numfmt

        part = self._parts[self.title(key)]
        sheet, styles = self.part(part), self.part(STYLES_PART)
        if sheet is None or styles is None:
            return
        new_styles, self._pending[part] = numfmt.apply(styles, sheet, formats)
        if new_styles != styles:  # a style the workbook has already is not rewritten
            self._pending[STYLES_PART] = new_styles

    def commit(self) -> None:
        try:
            self._commit()
        finally:
            self.release()

    def _commit(self) -> None:
        from csxl.workbook import zipsplice

        if not self._pending:
            return
        if self._lock is None or not self._lock.held:
            raise InputError(
                t(
                    "工作簿是以只读方式打开的；未写入任何内容。",
                    "the workbook was opened for reading only; nothing was written.",
                ),
                Location(self.name),
            )
        from csxl.workbook.safety import WORKBOOK_PART, check_writable, full_calc_on_load

        refusal = open_error(self.path, self.lang, ribbon=False)
        if refusal is not None:  # opened meanwhile
            raise refusal
        check_writable(self.path, self.lang)
        now = self.path.stat()
        if (now.st_mtime_ns, now.st_size) != (self._stat.st_mtime_ns, self._stat.st_size):
            raise InputError(
                t(
                    "csxl 处理期间工作簿被改动了；未写入任何内容。",
                    "the workbook changed while csxl was working on it; nothing was written.",
                ),
                Location(self.name),
                t("请再运行一次该命令。", "Run the command again."),
            )
        # Every formula current when Excel or WPS opens it, a manager's own included (a
        # spreadsheet application that saved the plan may have dropped the flag).
        with self.path.open("rb") as f:
            current = zipsplice.read(f, WORKBOOK_PART)
        flagged = full_calc_on_load(self._pending.get(WORKBOOK_PART, current))
        flagged = self._print_areas(flagged)
        if flagged != current:
            self._pending[WORKBOOK_PART] = flagged
        else:  # already set: the part is copied as it is
            self._pending.pop(WORKBOOK_PART, None)
        backup(self.path, self.lang)
        fd, tmp = tempfile.mkstemp(prefix=".~csxl-", suffix=".xlsx", dir=self.path.parent)
        try:
            os.fchmod(fd, now.st_mode & 0o777)
            with os.fdopen(fd, "wb") as dst, self.path.open("rb") as src:
                zipsplice.splice(src, dst, self._pending, remove=self._removed)
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._pending.clear()
        self._removed.clear()
        self._known.clear()

    def _print_areas(self, workbook_xml: bytes) -> bytes:
        """workbook.xml with every sheet's print area as the commit leaves the sheets."""
        from csxl.workbook import printing, zipsplice

        paste = set()
        for key in layout.PASTE_AREAS:
            with contextlib.suppress(InputError):
                paste.add(self.title(key))
        with self.path.open("rb") as f:
            names = set(zipsplice.names(f))

            def read(part: str) -> bytes | None:
                if part in self._pending:
                    pending = self._pending[part]
                    return None if isinstance(pending, zipsplice.Stream) else pending
                return zipsplice.read(f, part) if part in names else None

            def head(part: str) -> bytes | None:
                if part in self._pending:
                    pending = self._pending[part]
                    return None if isinstance(pending, zipsplice.Stream) else pending[: 1 << 18]
                if part not in names:
                    return None
                start = b""
                for chunk in zipsplice.inflate(f, part, 1 << 16):
                    start += chunk
                    if b"</row>" in start or len(start) > 1 << 22:
                        break
                return start

            areas = printing.print_areas(
                self._parts, read, head, frozenset(paste), known=self._known
            )
        return printing.with_print_areas(workbook_xml, areas)


class MemoryBook:
    """A plan held as values in memory: for behaviour tests of refresh and scoring."""

    def __init__(
        self,
        name: str,
        lang: str,
        sheets: Mapping[str, list[list[object]]],
        data: RawTable | None = None,
        formulas: Mapping[str, set[tuple[int, int]]] | None = None,
        orders: RawTable | None = None,
        calls: RawTable | None = None,
    ) -> None:
        self.name, self.lang = name, lang
        self.sheets = {k: [list(r) for r in rows] for k, rows in sheets.items()}
        self._data = data
        self._orders = orders
        self._calls = calls
        self._formulas = {k: set(v) for k, v in (formulas or {}).items()}
        self.commits = 0
        self.charts: dict[str, list[str]] = {}

    @classmethod
    def from_file(cls, path: str | Path) -> MemoryBook:
        """Every sheet's values of a workbook file, and its Data table."""
        book = PackageBook(path, lock=False)
        sheets = {
            s.key: book.rows(s.key) for s in layout.SHEETS if book.title(s.key) in book._parts
        }
        from csxl.domain.synonyms import Synonyms

        formulas = {key: book.formulas(key) for key in sheets}
        orders = book.orders(Synonyms(ORDERS)) if layout.paste_area(ORDERS) in sheets else None
        calls = book.calls(Synonyms(CALLS)) if layout.paste_area(CALLS) in sheets else None
        data = book.data(Synonyms())
        return cls(book.name, book.lang, sheets, data, formulas, orders, calls)

    def rows(self, key: str) -> list[list[object]]:
        return [list(r) for r in self.sheets[key]]

    def data(self, synonyms: Synonyms) -> RawTable:
        return self._pasted(TICKETS, self._data)

    def orders(self, synonyms: Synonyms) -> RawTable:
        return self._pasted(ORDERS, self._orders)

    def calls(self, synonyms: Synonyms) -> RawTable:
        return self._pasted(CALLS, self._calls)

    def _pasted(self, schema: Schema, table: RawTable | None) -> RawTable:
        if table is None:
            key = layout.paste_area(schema)
            zh, en = layout.title(key, "zh"), layout.title(key, "en")
            raise InputError(
                t(f"“{zh}”表是空的。", f"the {en} sheet is empty."), Location(self.name)
            )
        return table

    def formulas(self, key: str) -> set[tuple[int, int]]:
        return set(self._formulas.get(key, ()))

    def write(self, key: str, cells: Cells, clear: Iterable[Rect] = ()) -> None:
        grid = self.sheets[key]
        marks = self._formulas.setdefault(key, set())
        for cell, value in cells.items():
            if isinstance(value, Formula):
                marks.add(cell)
            else:
                marks.discard(cell)
        for r0, c0, r1, c1 in clear:
            for r in range(r0, min(r1, len(grid)) + 1):
                for c in range(c0, min(c1, len(grid[r - 1])) + 1):
                    grid[r - 1][c - 1] = ""
        for (r, c), value in cells.items():
            while len(grid) < r:
                grid.append([])
            row = grid[r - 1]
            while len(row) < c:
                row.append("")
            row[c - 1] = (
                value.value if isinstance(value, Formula) else ("" if value is None else value)
            )

    def set_charts(self, key: str, charts: Sequence[ChartBase]) -> None:
        """Values only: the charts' titles are kept, for tests."""
        self.charts[key] = [_chart_title(c) for c in charts]

    def commit(self) -> None:
        self.commits += 1


def _chart_title(chart: ChartBase) -> str:
    """The text of a chart's title (openpyxl keeps it as rich text runs)."""
    title = chart.title
    if title is None or title.tx is None or title.tx.rich is None:
        return ""
    return "".join(run.t for p in title.tx.rich.p for run in (p.r or []))
