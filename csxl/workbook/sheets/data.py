"""Data (数据): the manager's paste area, an Excel table of the canonical columns.

The header row is every canonical column's label in the workbook's language; each label is
a built-in synonym, so the reader maps it back to its column. The sheet is not protected: it
is where the month's export is pasted, with this header or with the export's own.
"""

from __future__ import annotations

from openpyxl.worksheet.table import Table, TableStyleInfo

from csxl.domain.columns import COLUMNS, LABELS, Kind
from csxl.workbook import style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Data as D
from csxl.workbook.layout import col
from csxl.workbook.style import text_width


# ------------------------------------------------------------------ csxl upgrade
def carry(old, new) -> list[tuple[str, str]]:
    from csxl.domain.columns import TICKETS
    from csxl.workbook.data_sheet import carry_paste

    n = carry_paste(old, new, "Data", TICKETS)
    return [
        (
            f"数据：{n} 行（数值照搬；单元格格式留在备份中）",
            f"Data: {n} pasted rows (values; cell formatting stays in the backup)",
        )
    ]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Data")
    labels = [LABELS[c][0 if ctx.lang == "zh" else 1] for c in COLUMNS]
    ctx.header(ws, D.HEADER_ROW, 1, labels)
    last = col(len(COLUMNS))
    ws.add_table(
        Table(
            displayName=D.TABLE,
            ref=f"A{D.HEADER_ROW}:{last}{D.FIRST_ROW}",
            tableStyleInfo=TableStyleInfo(name=style.TABLE_STYLE, showRowStripes=True),
        )
    )
    widths: dict[str, float] = {}
    for n, kind in enumerate(COLUMNS.values(), start=1):
        letter = col(n)
        width = max(10.0, text_width(labels[n - 1]) + 4)
        if kind is Kind.DATETIME:
            width = max(width, 17.0)
            # Column and first row: pasted serial numbers show as date and time.
            ws.column_dimensions[letter].number_format = style.DATETIME
            ws[f"{letter}{D.FIRST_ROW}"].number_format = style.DATETIME
        elif kind is Kind.TAGS:
            width = max(width, 24.0)
        widths[letter] = round(min(width, 30.0), 1)
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{D.FIRST_ROW}",
        header_rows=f"{D.HEADER_ROW}:{D.HEADER_ROW}",
        protect=False,
        paste=ctx.lang,
    )
