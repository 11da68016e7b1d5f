"""Every sheet csxl writes prints on A4 with a setup and a print area; numbers carry a format.

Checked on a new plan (the committed template), the refreshed demo plan, the department
summary and a 考核表. The page counts, measured in LibreOffice, are in
tests/test_print_pages.py; the printed text sizes and page groups in test_print_scale.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from csxl.demo import PLAN, SUMMARY
from csxl.workbook import layout
from csxl.workbook.templates import FOLDER

NO_TABLE = ("Guide", "Incentives", "Settings")  # forms: no header row to repeat
ONE_PAGE = ("Dashboard",)  # fitted one page tall as well


def _plan(demo: Path, data_only: bool = True):
    return load_workbook(demo / PLAN["zh"], data_only=data_only)


def _template():
    return load_workbook(FOLDER / "plan_zh.xlsx", data_only=True)


def _area(ws: Worksheet) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of the sheet's one print area."""
    area = ws.print_area
    assert area, f"{ws.title}: no print area"
    ref = area if isinstance(area, str) else area[0]
    assert "," not in ref, ws.title
    return range_boundaries(ref.split("!")[-1].replace("$", ""))


def _used(ws: Worksheet) -> tuple[int, int]:
    """Last row and column holding a value (what a print area has to cover)."""
    rows = cols = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and cell.value != "":
                rows, cols = max(rows, cell.row), max(cols, cell.column)
    return rows, cols


def _setup_problems(ws: Worksheet, one_page: bool = False) -> list[str]:
    setup, out = ws.page_setup, []
    if setup.paperSize is None or int(setup.paperSize) != 9:
        out.append("not A4")
    if setup.orientation not in ("landscape", "portrait"):
        out.append("no orientation")
    if not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage:
        out.append("not fitted to the page")
    if setup.fitToWidth is None or int(setup.fitToWidth) < 1:
        out.append("no pages wide")
    tall = 0 if setup.fitToHeight is None else int(setup.fitToHeight)
    if (tall != 1) if one_page else (tall != 0 and ws.title not in SUMMARY_TALL):
        out.append(f"fitToHeight {tall}")
    if not ws.print_area:
        out.append("no print area")
    return out


SUMMARY_TALL: set[str] = set()  # summary sheets sized by their own rule (summary_book.py)


@pytest.mark.parametrize("which", ["new", "demo"])
def test_every_plan_sheet_has_a_print_setup_and_area(demo: Path, which: str) -> None:
    wb = _template() if which == "new" else _plan(demo)
    for sheet in layout.SHEETS:
        ws = wb[sheet.zh]
        assert _setup_problems(ws, sheet.key in ONE_PAGE) == [], sheet.key
        if sheet.key not in NO_TABLE:
            assert ws.print_title_rows, sheet.key
        min_col, min_row, max_col, max_row = _area(ws)
        assert (min_col, min_row) == (1, 1), sheet.key
        if sheet.key in layout.PASTE_AREAS:  # the header row only, whatever was pasted
            assert max_row == 1, sheet.key
            assert ws.oddHeader.center.text, sheet.key  # how to print the rows
            continue
        rows, cols = _used(ws)
        assert max_row >= rows and max_col >= cols, (sheet.key, ws.print_area, rows, cols)


def test_print_areas_stop_at_the_used_rows_not_the_empty_input_grids(demo: Path) -> None:
    new, refreshed = _template(), _plan(demo)
    # A new plan's Aliases (300 input rows), QA (1,000), Appeals (200) print their header.
    for key in ("Aliases", "QA", "Appeals", "Calls"):
        ws = new[layout.title(key, "zh")]
        assert _area(ws)[3] < 15, key
    # The demo's Scores print its ten agents, Staffing its 48 half-hours, not the room for 96.
    assert _area(refreshed[layout.title("Scores", "zh")])[3] == layout.Scores.FIRST_ROW + 9
    staffing = _area(refreshed[layout.title("Staffing", "zh")])
    assert staffing[3] == layout.Staffing.GRID_FIRST_ROW + 47


def test_a_print_area_follows_rows_refresh_writes(demo: Path, tmp_path: Path) -> None:
    """Refresh rewrites the print areas from what the sheets hold when it commits."""
    import shutil
    from datetime import datetime

    from csxl import refresh as engine
    from csxl.workbook.port import PackageBook

    plan = Path(shutil.copy(demo / PLAN["zh"], tmp_path / "plan.xlsx"))
    aliases = layout.title("Aliases", "zh")
    wb = load_workbook(plan)
    ws = wb[aliases]
    for i in range(40):  # typed by the manager after csxl last wrote the plan
        ws.cell(layout.Aliases.FIRST_ROW + i, 1, f"别名{i}")
    ws.print_area = "A1:H4"  # as csxl left it before the rows were typed
    wb.save(plan)
    engine.refresh(PackageBook(plan), "2026-10", now=datetime(2026, 11, 1, 8))
    assert _area(load_workbook(plan)[aliases])[3] == layout.Aliases.FIRST_ROW + 39


def test_the_calls_grid_has_no_formulas_below_its_results(demo: Path) -> None:
    from csxl.workbook.layout import Calls as L

    ws = load_workbook(demo / PLAN["zh"])[layout.title("Calls", "zh")]
    used = [r for r in range(L.FIRST_ROW, L.last_row() + 1) if ws.cell(r, L.OFFERED).value]
    # The demo pastes no call records: every row of the grid is empty, not 200 rows of
    # blank formulas that print as pages of nothing.
    for r in range(max(used, default=L.FIRST_ROW - 1) + 1, L.last_row() + 1):
        assert all(ws.cell(r, c).value is None for c in range(1, L.ASA + 1)), r


def _unformatted(wb, skip: set[str] = frozenset()) -> list[tuple[str, str]]:
    return [
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        if ws.title not in skip
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float)
        and not isinstance(cell.value, bool)
        and cell.number_format == "General"
    ]


def test_every_number_has_a_format_in_a_new_plan_and_the_demo_plan(demo: Path) -> None:
    assert _unformatted(_template()) == []
    skip = {layout.title(k, "zh") for k in layout.PASTE_AREAS}
    assert _unformatted(_plan(demo), skip) == []


def test_the_summary_prints_with_a_setup_and_formats_its_numbers(demo: Path) -> None:
    wb = load_workbook(demo / SUMMARY["zh"], data_only=True)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        problems = [p for p in _setup_problems(ws) if not p.startswith("fitToHeight")]
        assert problems == [], ws.title
    assert _unformatted(wb) == []


def test_an_agent_sheet_prints_on_one_a4_page_with_formats(demo: Path, tmp_path: Path) -> None:
    from csxl.agent_sheets import export_agent_sheets

    result = export_agent_sheets(demo / PLAN["zh"], tmp_path)
    wb = load_workbook(result.files[0], data_only=True)
    ws = wb.worksheets[0]
    assert _setup_problems(ws) == []
    assert ws.page_setup.orientation == "portrait"
    assert _used(ws)[0] <= _area(ws)[3]
    assert _unformatted(wb) == []


def test_the_agent_sheet_signature_labels_each_have_a_cell(demo: Path, tmp_path: Path) -> None:
    """主管 is never split across the signature line: each label is a cell of its own,
    followed by a ruled blank, and none wraps."""
    from csxl.agent_sheets import export_agent_sheets

    result = export_agent_sheets(demo / PLAN["zh"], tmp_path)
    ws = load_workbook(result.files[0]).worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "客服确认：")
    labels = {c.column_letter: c.value for c in ws[row] if c.value}
    assert labels == {"A": "客服确认：", "D": "主管：", "G": "日期："}
    assert not any(ws.cell(row, c).alignment.wrap_text for c in (1, 4, 7))
    assert all(ws.cell(row, c).border.bottom.style for c in (2, 5, 8))
    assert re.fullmatch(r"\$?A\$?1:\$?H\$?\d+", ws.print_area.split("!")[-1])
