"""Orders (订单): the order paste area, an Excel table of the order columns.

Like Data: the header row is each order column's label in the workbook's language (every
label is a built-in synonym), the sheet is not protected, and refresh reads it through the
order ingestion (`csxl.domain.orders.load_orders`) without rewriting it. An export pasted
with its own header (买家会员名, 订单付款时间, 买家实际支付金额 ...) is read as well.
"""

from __future__ import annotations

from openpyxl.worksheet.table import Table, TableStyleInfo

from csxl.domain.columns import ORDER_COLUMNS, ORDER_LABELS, Kind
from csxl.workbook import style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Orders as O
from csxl.workbook.layout import col
from csxl.workbook.style import TABLE_STYLE

# The order of the columns on the sheet (the three required ones first) and their widths,
# the same in both languages.
SHEET_COLUMNS = ("customer_id", "ordered_at", "amount", "order_id", "status")
WIDTHS = (18.0, 18.0, 14.0, 20.0, 16.0)


# ------------------------------------------------------------------ csxl upgrade
def carry(old, new) -> list[tuple[str, str]]:
    from csxl.domain.columns import ORDERS
    from csxl.workbook.data_sheet import carry_paste

    n = carry_paste(old, new, "Orders", ORDERS)
    return [
        (
            f"订单：{n} 行（数值照搬；单元格格式留在备份中）",
            f"Orders: {n} pasted rows (values; cell formatting stays in the backup)",
        )
    ]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Orders")
    assert set(SHEET_COLUMNS) == set(ORDER_COLUMNS)
    labels = [ORDER_LABELS[c][0 if ctx.lang == "zh" else 1] for c in SHEET_COLUMNS]
    ctx.header(ws, O.HEADER_ROW, 1, labels)
    ws.add_table(
        Table(
            displayName=O.TABLE,
            ref=f"A{O.HEADER_ROW}:{col(len(labels))}{O.FIRST_ROW}",
            tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True),
        )
    )
    widths: dict[str, float] = {}
    for n, column in enumerate(SHEET_COLUMNS, start=1):
        letter = col(n)
        kind = ORDER_COLUMNS[column]
        if kind is Kind.DATETIME:
            ws.column_dimensions[letter].number_format = style.DATETIME
            ws[f"{letter}{O.FIRST_ROW}"].number_format = style.DATETIME
        elif kind is Kind.AMOUNT:
            ws.column_dimensions[letter].number_format = "#,##0.00"
            ws[f"{letter}{O.FIRST_ROW}"].number_format = "#,##0.00"
        widths[letter] = WIDTHS[n - 1]
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{O.FIRST_ROW}",
        header_rows=f"{O.HEADER_ROW}:{O.HEADER_ROW}",
        protect=False,
        paste=ctx.lang,
    )
