"""Errors (错误): every rejected data row and why. OWNED: Validate and Refresh fill it."""

from __future__ import annotations

from csxl.workbook import owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Errors as E
from csxl.workbook.layout import col
from csxl.workbook.port import Book


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Errors")
    t = ctx.t
    ctx.title(
        ws,
        t("数据错误", "Data errors"),
        t(
            "由“校验数据”和“刷新指标”填写：每一条被拒绝的行、列和原因；行号即你在源数据中看到的行号。"
            "被拒绝的行不计入任何指标。请在源数据中修正后重新刷新；本表的内容每次都会被替换。",
            "Filled by Validate and Refresh: every rejected row, its column and the reason, with the row number "
            "you see in the source. A rejected row counts in no KPI. Fix the source and refresh again; "
            "this sheet is replaced each time.",
        ),
    )
    headers = {
        E.FILE: t("文件", "File"),
        E.SHEET_NAME: t("工作表", "Sheet"),
        E.ROW: t("行", "Row"),
        E.COLUMN: t("列", "Column"),
        E.REASON: t("原因", "Reason"),
        E.VALUE: t("值", "Value"),
    }
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{E.HEADER_ROW}", text, style.HEADER)
    owned.write_rows(ctx, ws, E.FIRST_ROW, ctx.inputs.errors)
    ws.merge_cells(f"A2:{col(E.VALUE)}2")
    ws.row_dimensions[2].height = 40  # merged cells do not grow with their text
    widths = {
        col(E.FILE): 22,
        col(E.SHEET_NAME): 12,
        col(E.ROW): 8,
        col(E.COLUMN): 16,
        col(E.REASON): 60,
        col(E.VALUE): 24,
    }
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{E.FIRST_ROW}",
        header_rows=f"{E.HEADER_ROW}:{E.HEADER_ROW}",
    )


# ------------------------------------------------------------------ refresh
def write(book: Book, ctx: Ctx) -> None:
    """Every row below the header: the rows refresh or validate rejected, a longer earlier
    list emptied."""
    rows, clear = owned.grow(book, "Errors", E.FIRST_ROW, E.VALUE, len(ctx.inputs.errors))
    owned.write(book, ctx, "Errors", [rows], [clear])
    owned.write_formats(book, ctx, "Errors", [rows])
