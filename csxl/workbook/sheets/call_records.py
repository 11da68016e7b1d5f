"""Call records (通话记录): the call-detail paste area, an Excel table of the call columns.

Like Orders: the header row is each call column's label in the workbook's language (every
label is a built-in synonym), the sheet is not protected, and refresh reads it through
`csxl.domain.call_records.load_calls` without ever writing to it: the results are on the
Calls sheet, so that a refresh never re-compresses 100,000 pasted rows. An export pasted
with its own header (呼叫ID, 呼入时间, 坐席工号, 接听状态, 排队时长 ...) is read as well.
"""

from __future__ import annotations

from openpyxl.worksheet.table import Table, TableStyleInfo

from csxl.domain.columns import CALL_COLUMNS, CALL_LABELS, Kind
from csxl.workbook import style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import CallRecords as R
from csxl.workbook.layout import col
from csxl.workbook.style import TABLE_STYLE

WIDTHS = {"call_id": 18.0, "started_at": 18.0, "agent": 12.0, "team": 14.0}


# ------------------------------------------------------------------ csxl upgrade
def carry(old, new) -> list[tuple[str, str]]:
    from csxl.domain.columns import CALLS
    from csxl.workbook.data_sheet import carry_paste

    n = carry_paste(old, new, "CallRecords", CALLS)
    return [
        (
            f"通话记录：{n} 行（数值照搬；单元格格式留在备份中）",
            f"Call records: {n} pasted rows (values; cell formatting stays in the backup)",
        )
    ]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("CallRecords")
    columns = list(CALL_COLUMNS)
    labels = [CALL_LABELS[c][0 if ctx.lang == "zh" else 1] for c in columns]
    ctx.header(ws, R.HEADER_ROW, 1, labels)
    ws.add_table(
        Table(
            displayName=R.TABLE,
            ref=f"A{R.HEADER_ROW}:{col(len(labels))}{R.FIRST_ROW}",
            tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True),
        )
    )
    widths: dict[str, float] = {}
    for n, column in enumerate(columns, start=1):
        letter = col(n)
        kind = CALL_COLUMNS[column]
        if kind is Kind.DATETIME:
            ws.column_dimensions[letter].number_format = style.DATETIME
            ws[f"{letter}{R.FIRST_ROW}"].number_format = style.DATETIME
        widths[letter] = WIDTHS.get(column, 14.0)
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{R.FIRST_ROW}",
        header_rows=f"{R.HEADER_ROW}:{R.HEADER_ROW}",
        protect=False,
        paste=ctx.lang,
    )
