"""A small in-memory stand-in for the parts of xlwings that `csxl.excel.live` uses.

There is no Excel here, so `LiveBook` is tested against this fake, injected as
``sys.modules["xlwings"]``. It records every call that touches cells (`calls`), keeps the
state of screen updating at each write, and enters values the way Excel does when a value
is assigned: a leading ``'`` marks text (and is not stored), ``=`` starts a formula, ``#NUM!``
is an error; text that Excel would silently turn into a number, date or boolean is refused,
so a test fails when csxl forgets to mark text as text.

A book is built from a workbook file: formulas from openpyxl, the values of every cell
(cached values for formulas) from python-calamine, as xlwings returns them (numbers as
float, dates as datetime, empty cells as None).
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

_LOOKS_CONVERTIBLE = re.compile(r"^\s*[-+]?[\d.,:/ %]+\s*$|^\s*(TRUE|FALSE)\s*$", re.IGNORECASE)


@dataclass
class Cell:
    value: object = None  # what .value reads: a constant, or a formula's cached value
    formula: str | None = None


@dataclass
class Call:
    kind: str  # "read", "read formulas", "write value", "write formula"
    sheet: str
    bounds: tuple[int, int, int, int]  # min_row, min_col, max_row, max_col
    options: dict = field(default_factory=dict)
    screen_updating: bool = True


class FakeRange:
    def __init__(self, sheet: FakeSheet, bounds, options=None) -> None:
        self.sheet = sheet
        self.bounds = bounds
        self._options = options or {}

    @property
    def row(self) -> int:
        return self.bounds[0]

    @property
    def column(self) -> int:
        return self.bounds[1]

    @property
    def last_cell(self) -> FakeRange:
        r, c = self.bounds[2], self.bounds[3]
        return FakeRange(self.sheet, (r, c, r, c))

    def options(self, convert=None, **options) -> FakeRange:
        assert convert is None
        return FakeRange(self.sheet, self.bounds, options)

    @property
    def value(self):
        self.sheet.book.record("read", self.sheet.name, self.bounds, self._options)
        assert self._options.get("ndim") == 2, "LiveBook reads 2-d blocks"
        r0, c0, r1, c1 = self.bounds
        return [
            [self.sheet.cells.get((r, c), Cell()).value for c in range(c0, c1 + 1)]
            for r in range(r0, r1 + 1)
        ]

    @value.setter
    def value(self, block) -> None:
        self._write("write value", block, formula=False)

    @property
    def formula(self):
        """Like Excel: a 2-d tuple of each cell's formula, or its constant as text."""
        self.sheet.book.record("read formulas", self.sheet.name, self.bounds, self._options)
        r0, c0, r1, c1 = self.bounds
        out = tuple(
            tuple(self.sheet.formula_text(r, c) for c in range(c0, c1 + 1))
            for r in range(r0, r1 + 1)
        )
        return out[0][0] if r0 == r1 and c0 == c1 else out

    @formula.setter
    def formula(self, block) -> None:
        self._write("write formula", block, formula=True)

    def _write(self, kind: str, block, formula: bool) -> None:
        book = self.sheet.book
        book.record(kind, self.sheet.name, self.bounds, self._options)
        if book.fail_on_write is not None and len(book.writes()) >= book.fail_on_write:
            raise RuntimeError("Excel refused the write (simulated)")
        r0, c0, r1, c1 = self.bounds
        assert len(block) == r1 - r0 + 1, "one row per range row"
        for i, row in enumerate(block):
            assert len(row) == c1 - c0 + 1, "one value per range column"
            for j, v in enumerate(row):
                self.sheet.cells[(r0 + i, c0 + j)] = _enter(v, formula)


def _enter(v: object, formula: bool) -> Cell:
    """What Excel stores when `v` is assigned to a cell's Value (or Formula)."""
    if v is None or v == "":
        return Cell()
    if isinstance(v, str):
        if v.startswith("'"):
            return Cell(v[1:])
        if v.startswith("="):
            return Cell(None, v)
        if v == "#NUM!":
            return Cell("#NUM!")
        assert not _LOOKS_CONVERTIBLE.match(v), f"Excel would convert {v!r}: not marked as text"
        assert not v.startswith(("+", "-", "@", "#")), f"Excel would parse {v!r}"
        return Cell(v)
    if isinstance(v, bool | float | datetime):
        return Cell(v)
    raise AssertionError(f"xlwings gets {type(v).__name__} {v!r}; LiveBook hands it floats")


class FakeSheet:
    def __init__(self, book: FakeBook, name: str, cells: dict[tuple[int, int], Cell]) -> None:
        self.book = book
        self.name = name
        self.cells = cells

    @property
    def used_range(self) -> FakeRange:
        used = [k for k, cell in self.cells.items() if cell.value is not None or cell.formula]
        if not used:
            return FakeRange(self, (1, 1, 1, 1))
        return FakeRange(
            self,
            (
                min(r for r, _ in used),
                min(c for _, c in used),
                max(r for r, _ in used),
                max(c for _, c in used),
            ),
        )

    def range(self, first, last=None) -> FakeRange:
        last = last or first
        return FakeRange(self, (first[0], first[1], last[0], last[1]))

    def formula_text(self, r: int, c: int) -> str:
        cell = self.cells.get((r, c), Cell())
        if cell.formula:
            return cell.formula
        return "" if cell.value is None else str(cell.value)

    def shown(self, r: int, c: int) -> object:
        """The formula of a cell, else its value (what a file holds)."""
        cell = self.cells.get((r, c), Cell())
        return cell.formula if cell.formula else cell.value


class FakeSheets(list):
    def __getitem__(self, key):
        if isinstance(key, str):
            for sheet in self:
                if sheet.name == key:
                    return sheet
            raise KeyError(key)
        return super().__getitem__(key)


class FakeApp:
    def __init__(self) -> None:
        self.books: list[FakeBook] = []
        self._screen_updating = True
        self.screen_updating_log: list[bool] = []

    @property
    def screen_updating(self) -> bool:
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self.screen_updating_log.append(value)
        self._screen_updating = value


class FakeBook:
    def __init__(self, app: FakeApp, fullname: str) -> None:
        self.app = app
        self.fullname = fullname
        self.name = Path(fullname.replace("\\", "/")).name
        self.sheets = FakeSheets()
        self.calls: list[Call] = []
        self.fail_on_write: int | None = None  # raise on the n-th write (1-based)
        app.books.append(self)

    def record(self, kind: str, sheet: str, bounds, options) -> None:
        self.calls.append(Call(kind, sheet, bounds, dict(options), self.app.screen_updating))

    def reads(self, sheet: str | None = None, kind: str = "read") -> list[Call]:
        return [c for c in self.calls if c.kind == kind and sheet in (None, c.sheet)]

    def writes(self, sheet: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.kind.startswith("write") and sheet in (None, c.sheet)]

    def add_sheet(self, name: str, cells: dict[tuple[int, int], Cell] | None = None) -> FakeSheet:
        sheet = FakeSheet(self, name, cells or {})
        self.sheets.append(sheet)
        return sheet


def module(*apps: FakeApp) -> types.ModuleType:
    """A module that stands in for `xlwings`."""
    fake = types.ModuleType("xlwings")
    fake.apps = list(apps)
    fake.__version__ = "0.0-fake"
    return fake


def as_xlwings(value: object) -> object:
    """A python-calamine value as xlwings reads it from Excel."""
    if value == "" or value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return datetime(1899, 12, 30, value.hour, value.minute, value.second)
    return value


def book_from_file(app: FakeApp, path: Path, fullname: str | None = None) -> FakeBook:
    """The workbook at `path` as Excel would hold it open."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    book = FakeBook(app, fullname or str(path))
    values = CalamineWorkbook.from_path(str(path))
    formulas = openpyxl.load_workbook(path, read_only=True)
    for name in values.sheet_names:
        cells: dict[tuple[int, int], Cell] = {}
        rows = values.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if as_xlwings(v) is not None:
                    cells[(r, c)] = Cell(as_xlwings(v))
        for row in formulas[name].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    found = cells.setdefault((cell.row, cell.column), Cell())
                    found.formula = cell.value
        book.add_sheet(name, cells)
    formulas.close()
    return book
