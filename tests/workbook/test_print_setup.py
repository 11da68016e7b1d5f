"""Every sheet of a refreshed plan prints on A4 with a setup; numbers carry a format."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from csxl.demo import PLAN
from csxl.workbook import layout
from csxl.workbook.book import PAGE_UNITS, _width

PASTE_AREAS = ("Data", "Orders", "CallRecords")  # the manager's pasted export, as pasted
# Written by refresh below the template's rows, without the template's cell style (left).
NOT_YET = ("Trend", "Errors")
WIDE = ("Goals", "Scores", "Budget", "Staffing")
NO_TABLE = ("Guide", "Incentives", "Settings")  # forms: no header row to repeat


def _plan(demo: Path):
    return load_workbook(demo / PLAN["zh"], data_only=True)


def test_every_sheet_has_a_print_setup(demo: Path) -> None:
    wb = _plan(demo)
    for sheet in layout.SHEETS:
        ws = wb[sheet.zh]
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, sheet.key  # A4
        assert setup.orientation in ("landscape", "portrait"), sheet.key
        assert ws.sheet_properties.pageSetUpPr.fitToPage, sheet.key
        assert int(setup.fitToWidth) >= 1 and int(setup.fitToHeight) == 0, sheet.key
        if sheet.key not in NO_TABLE:
            assert ws.print_title_rows, sheet.key


def test_wide_tables_print_in_readable_page_groups(demo: Path) -> None:
    wb = _plan(demo)
    for key in WIDE:
        ws = wb[layout.title(key, "zh")]
        pages = int(ws.page_setup.fitToWidth)
        total = sum(_width(ws, c) for c in range(1, ws.max_column + 1))
        assert pages > 1 and ws.print_title_cols, key  # row labels repeated on each page
        labels = ws.print_title_cols.replace("$", "").split(":")[1]
        from openpyxl.utils import column_index_from_string

        repeated = sum(_width(ws, c) for c in range(1, column_index_from_string(labels) + 1))
        assert (total - repeated) / pages + repeated <= PAGE_UNITS["landscape"] * 1.05, key


def test_the_calls_grid_has_no_formulas_below_its_results(demo: Path) -> None:
    from csxl.workbook.layout import Calls as L

    ws = load_workbook(demo / PLAN["zh"])[layout.title("Calls", "zh")]
    used = [r for r in range(L.FIRST_ROW, L.last_row() + 1) if ws.cell(r, L.OFFERED).value]
    # The demo pastes no call records: every row of the grid is empty, not 200 rows of
    # blank formulas that print as pages of nothing.
    for r in range(max(used, default=L.FIRST_ROW - 1) + 1, L.last_row() + 1):
        assert all(ws.cell(r, c).value is None for c in range(1, L.ASA + 1)), r


def test_every_number_has_a_format(demo: Path) -> None:
    wb = _plan(demo)
    skip = {layout.title(k, "zh") for k in (*PASTE_AREAS, *NOT_YET)}
    missing = [
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        if ws.title not in skip
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float)
        and not isinstance(cell.value, bool)
        and cell.number_format == "General"
    ]
    assert missing == []
