"""The scale a sheet prints at and its pages, from its print setup (issue 18: >= 8 pt).

A sheet "fitted to N pages wide by M tall" has no stored scale: the spreadsheet program
finds it when printing. LibreOffice takes the largest whole percent (at most 100) at which
the print area, cut into pages column by column and row by row with the print titles
repeated on each page, needs no more than N x M pages; this module does the same sum.
A fixed scale (not fitted) prints at that scale, with the manual column and row breaks.

Sizes as LibreOffice prints them with Carlito (Calibri's metrics, the Normal font's digit):
a column-width unit is 5.55 pt (measured; Excel draws one 5.25 pt, so Excel's scale is
never lower than this one), a row without a height 15 pt (10 pt text).
tests/test_print_pages.py checks the result against LibreOffice's PDF: exact on the demo
plan; a sheet fitted one page tall can print a few percent larger than computed (the
summary's chart sheet: 0.85 for 0.81); smaller in none measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

PT_PER_UNIT = 5.55
ROW_PT = 15.0
DEFAULT_WIDTH = 9.0  # an unset column, as book.DEFAULT_WIDTH
A4_PT = (595.28, 841.89)  # portrait width, height
MIN_TEXT_PT = 8.0  # the smallest printed body text managers read (issue 18)


@dataclass(frozen=True)
class Pages:
    scale: float  # 1.0 = 100%
    columns: tuple[tuple[int, int], ...]  # each page group's first and last column (1-based)
    rows: tuple[tuple[int, int], ...]  # each page band's first and last row

    @property
    def count(self) -> int:
        return len(self.columns) * len(self.rows)


def column_pt(ws: Worksheet, c: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(c))
    default = float(ws.sheet_format.defaultColWidth or DEFAULT_WIDTH)
    if dim is None:
        return default * PT_PER_UNIT
    if dim.hidden:
        return 0.0
    # openpyxl gives a <col min..max> range's width to its first letter only
    return float(dim.width or default) * PT_PER_UNIT


def _column_widths(ws: Worksheet, last: int) -> list[float]:
    widths = [column_pt(ws, c) for c in range(1, last + 1)]
    for dim in ws.column_dimensions.values():  # ranges <col min="3" max="9">
        if dim.min and dim.max and dim.max > dim.min and not dim.hidden and dim.width:
            for c in range(dim.min, min(dim.max, last) + 1):
                widths[c - 1] = float(dim.width) * PT_PER_UNIT
    return widths


def row_pt(ws: Worksheet, r: int) -> float:
    dim = ws.row_dimensions.get(r)
    if dim is not None and dim.hidden:
        return 0.0
    if dim is not None and dim.height:
        return float(dim.height)
    return float(ws.sheet_format.defaultRowHeight or ROW_PT)


def _span(spec: str | None) -> tuple[int, int] | None:
    """'A:B' / '$A:$B' / '1:3' -> (first, last)."""
    if not spec:
        return None
    first, last = spec.split("!")[-1].replace("$", "").split(":")
    if first.isdigit():
        return int(first), int(last)
    return column_index_from_string(first), column_index_from_string(last)


def print_range(ws: Worksheet) -> tuple[int, int, int, int]:
    """(first col, first row, last col, last row) of the print area (the used range
    without one)."""
    area = ws.print_area
    if area:
        ref = area if isinstance(area, str) else area[0]
        ref = ref.split(",")[0].split("!")[-1].replace("$", "")
        c0, r0, c1, r1 = range_boundaries(ref)
        return c0 or 1, r0 or 1, c1 or ws.max_column, r1 or ws.max_row
    return 1, 1, ws.max_column, ws.max_row


def printable_pt(ws: Worksheet) -> tuple[float, float]:
    """The page's width and height inside the margins, in points."""
    w, h = A4_PT
    if ws.page_setup.orientation == "landscape":
        w, h = h, w
    m = ws.page_margins
    return w - 72 * (m.left + m.right), h - 72 * (m.top + m.bottom)


def _cut(
    sizes: list[float], first: int, titles: tuple[int, int] | None, room: float, breaks: set[int]
) -> list[tuple[int, int]] | None:
    """Pages of items first..first+len-1 in `room` points each, titles repeated after the
    first page; a manual break after item i starts a page. None if an item cannot fit."""
    repeat = 0.0
    if titles:
        repeat = sum(
            sizes[i - first]
            for i in range(titles[0], titles[1] + 1)
            if first <= i < first + len(sizes)
        )
    pages: list[tuple[int, int]] = []
    start, used = first, 0.0
    for i, size in enumerate(sizes, first):
        limit = room if not pages else room - repeat
        if i > start and (used + size > limit + 1e-6 or (i - 1) in breaks):
            pages.append((start, i - 1))
            start, used = i, 0.0
            limit = room - repeat
        if size > limit + 1e-6:
            return None
        used += size
    pages.append((start, first + len(sizes) - 1))
    return pages


def pages(ws: Worksheet) -> Pages:
    """The scale and pages LibreOffice prints the sheet on."""
    c0, r0, c1, r1 = print_range(ws)
    widths = _column_widths(ws, c1)[c0 - 1 :]
    heights = [row_pt(ws, r) for r in range(r0, r1 + 1)]
    cols_title, rows_title = _span(ws.print_title_cols), _span(ws.print_title_rows)
    page_w, page_h = printable_pt(ws)
    setup = ws.page_setup
    fitted = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    col_breaks = {b.id for b in ws.col_breaks.brk} if not fitted else set()
    row_breaks = {b.id for b in ws.row_breaks.brk} if not fitted else set()

    def at(zoom: int) -> Pages | None:
        z = zoom / 100
        cols = _cut(widths, c0, cols_title, page_w / z, col_breaks)
        rows = _cut(heights, r0, rows_title, page_h / z, row_breaks)
        return None if cols is None or rows is None else Pages(z, tuple(cols), tuple(rows))

    if not fitted:
        found = at(int(setup.scale or 100))
        assert found is not None, ws.title  # a fixed scale never refuses a page
        return found
    wide, tall = int(setup.fitToWidth or 0), int(setup.fitToHeight or 0)
    for zoom in range(100, 9, -1):
        p = at(zoom)
        if p and (not wide or len(p.columns) <= wide) and (not tall or len(p.rows) <= tall):
            return p
    return at(10) or Pages(0.1, (), ())


def body_size(ws: Worksheet) -> float:
    """The point size most cells of the print area are written in."""
    c0, r0, c1, r1 = print_range(ws)
    counts: dict[float, int] = {}
    for row in ws.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1):
        for cell in row:
            if cell.value is not None and cell.value != "":
                size = float(cell.font.sz or 11) if cell.font else 11.0
                counts[size] = counts.get(size, 0) + 1
    return max(counts, key=lambda s: (counts[s], s)) if counts else 11.0


def printed_size(ws: Worksheet) -> float:
    """The body text's printed size in points."""
    return body_size(ws) * pages(ws).scale
