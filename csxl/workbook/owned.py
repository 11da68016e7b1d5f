"""Writing the regions csxl owns: the cells of a plan rendered in memory (`Ctx`) copied
into the workbook (`Book`), formulas with their cached values. Each room's `write` (in
`csxl.workbook.sheets`) names its regions; these are the generic writers it uses."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from csxl.workbook import style
from csxl.workbook.book import Ctx
from csxl.workbook.layout import col
from csxl.workbook.port import Book, Rect
from csxl.workbook.sheetxml import Formula


def cells(ctx: Ctx, key: str, rects: Iterable[Rect]) -> dict[tuple[int, int], object]:
    ws = ctx.sheet(key)
    out: dict[tuple[int, int], object] = {}
    for r0, c0, r1, c1 in rects:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = value(ctx, ws, r, c)
    return out


def value(ctx: Ctx, ws, r: int, c: int) -> object:
    cell = ws.cell(r, c)
    if cell.data_type == "f":
        return Formula(cell.value, ctx.cached[(ws.title, cell.coordinate)])
    return cell.value


def write(
    book: Book, ctx: Ctx, key: str, rects: list[Rect], extra_clear: Iterable[Rect] = ()
) -> None:
    book.write(key, cells(ctx, key, rects), clear=[*rects, *extra_clear])


def write_formats(book: Book, ctx: Ctx, key: str, rects: list[Rect]) -> None:
    """The number formats of the numbers in `rects` as rendered: for rows written below the
    template's styled ones (a growing list), which have no style of their own. A book
    without `set_formats` (Excel, live) keeps the cells' formats as they are."""
    set_formats = getattr(book, "set_formats", None)
    if set_formats is None:
        return
    ws = ctx.sheet(key)
    formats = {}
    for r0, c0, r1, c1 in rects:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = ws.cell(r, c)
                number = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
                if number and cell.number_format != "General":
                    formats[(r, c)] = cell.number_format
    if formats:
        set_formats(key, formats)


def write_formulas(book: Book, ctx: Ctx, key: str, rows: range | None = None) -> None:
    """Every formula csxl put on a sheet (or on `rows` of it), with its value for the
    current inputs."""
    from openpyxl.utils import coordinate_to_tuple

    title = ctx.sheet(key).title
    found = {
        coordinate_to_tuple(address): Formula(ctx.sheet(key)[address].value, cached)
        for (sheet, address), cached in ctx.cached.items()
        if sheet == title
    }
    if rows is not None:
        found = {rc: f for rc, f in found.items() if rc[0] in rows}
    book.write(key, found)


def grow(book: Book, key: str, first: int, last_col: int, new_rows: int) -> tuple[Rect, Rect]:
    """The rows to write, and the rows of an earlier, longer list to empty."""
    old = len(book.rows(key))
    last = first + max(new_rows, 1) - 1
    return (first, 1, last, last_col), (first, 1, max(old, last), last_col)


def write_rows(
    ctx: Ctx,
    ws,
    first_row: int,
    rows: list[tuple[object, ...]],
    formats: Callable[[tuple[object, ...]], dict[int, str]] | None = None,
) -> None:
    """A log's rows rendered (Errors, Trend): values from column A; text from data is
    never taken as a formula. Numbers take the format `formats(row)` gives their column,
    else a plain one."""
    for i, row in enumerate(rows):
        by_column = formats(row) if formats is not None else {}
        for c, value in enumerate(row, start=1):
            ctx.label(ws, f"{col(c)}{first_row + i}", value, style.COMPUTED, by_column.get(c))


def problem_rows(loaded, lang: str) -> list[tuple[object, ...]]:
    """The Errors log's rows of a loaded paste sheet's rejected rows (tickets, orders or
    calls): file, sheet, row, column, the reason in `lang`, the value as typed."""
    return [
        (
            loaded.source,
            loaded.sheet,
            p.row,
            p.column,
            p.reason(lang),
            None if p.value is None else str(p.value),
        )
        for p in loaded.problems
    ]
