"""Formula parity: LibreOffice's recalculation must equal the values csxl cached.

The cached value of every formula cell is the Python engine's result (csxl writes it when
it writes the formula), so comparing the two over a whole workbook checks every formula
against the engine at once.
"""

from __future__ import annotations

import math
from datetime import time, timedelta
from pathlib import Path

import openpyxl
from openpyxl.utils import coordinate_to_tuple
from python_calamine import CalamineWorkbook

from csxl.domain.excel_math import excel_serial


def formula_cells(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return [
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def cached_values(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def _at(rows: list[list[object]], address: str) -> object:
    r, c = coordinate_to_tuple(address)
    if r > len(rows) or c > len(rows[r - 1]):
        return ""
    return rows[r - 1][c - 1]


def _same(cached: object, computed: object) -> bool:
    if hasattr(cached, "year"):  # calamine gives dates for date-formatted cells
        cached = excel_serial(cached)
    if isinstance(cached, time | timedelta) and isinstance(computed, int | float):
        # A duration under a time format (分:秒, seconds / 86400): calamine gives a time,
        # rounded to the millisecond.
        seconds = (
            cached.total_seconds()
            if isinstance(cached, timedelta)
            else cached.hour * 3600 + cached.minute * 60 + cached.second + cached.microsecond / 1e6
        )
        return math.isclose(seconds, computed * 86400, abs_tol=0.5e-3 + 1e-9)
    if isinstance(cached, bool):
        cached = float(cached)
    if computed is None:
        computed = ""
    if isinstance(cached, int | float) and isinstance(computed, int | float):
        return math.isclose(cached, computed, rel_tol=1e-9, abs_tol=1e-9)
    return cached == computed


def differences(recalc, path: Path) -> list[str]:
    """Every formula cell whose LibreOffice value (a `Recalc`) differs from the cached one."""
    cached = cached_values(path)
    out = []
    for sheet, address in formula_cells(path):
        mine = _at(cached[sheet], address)
        theirs = recalc.value(sheet, address)
        if not _same(mine, theirs):
            out.append(f"{sheet}!{address}: csxl {mine!r}, LibreOffice {theirs!r}")
    return out
