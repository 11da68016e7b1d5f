"""Mapping (映射): header synonyms the manager adds, header -> canonical column [x scale],
for every export or for one data source (`csxl import --source`).

The table's first headers (表头/header, 字段/column, 倍数/scale) are those
`csxl.readers.mapping` accepts; 数据源/data source limits a row to one source. Beside it,
locked, the canonical columns with their zh/en labels: the reference list and the source of
the 字段 drop-down (an inline list of 30 keys would pass Excel's 255-character limit).

Protected without a password, like the other sheets: the 100 input rows are unlocked, and
the protection keeps the column list, which the drop-down reads, from being edited away.
"""

from __future__ import annotations

from openpyxl.worksheet.table import Table, TableStyleInfo

from csxl.domain.columns import COLUMNS, LABELS
from csxl.errors import InputError, Location
from csxl.workbook import layout
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, number
from csxl.workbook.layout import Mapping as M
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState

HEADERS = {
    "zh": ("表头", "字段", "倍数", "数据源"),
    "en": ("Header", "Column", "Scale", "Data source"),
}
# Examples a manager recognises; none is a built-in synonym, so each one shows the idea.
EXAMPLES = {
    "zh": (
        ("单据编号", "ticket_id", None, None),
        ("响应分钟", "first_response_s", 60, None),
        ("接待客服", "agent", None, None),
        ("工号", "agent", None, "电话"),
    ),
    "en": (
        ("Case number", "ticket_id", None, None),
        ("Response minutes", "first_response_s", 60, None),
        ("Handled by", "agent", None, None),
        ("Staff no.", "agent", None, "Phone"),
    ),
}
LIST_COL = M.SOURCE + 2  # F: canonical column keys, then their zh and en labels


# ------------------------------------------------------------------ csxl upgrade
def carry(old, new) -> list[tuple[str, str]]:
    """The synonyms typed, cell for cell: the input columns only (right of them is the
    template's own column list, which moved in 1.2; a 1.0/1.1 plan has no source column:
    blank, every export)."""
    from csxl.workbook.cells import cell

    rows = old.rows("Mapping")
    last = min(len(rows), M.FIRST_ROW + M.ROWS - 1)
    cells = {
        (r, c): cell(rows, r, c)
        for r in range(M.FIRST_ROW, last + 1)
        for c in range(M.HEADER, M.SOURCE + 1)
    }
    new.write("Mapping", cells)
    filled = sum(1 for r in range(M.FIRST_ROW, last + 1) if cell(rows, r, 1) is not None)
    return [(f"映射：{filled} 条表头同义词", f"Mapping: {filled} header synonyms")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Mapping")
    t = ctx.t
    ctx.title(
        ws,
        t("表头映射", "Header mapping"),
        t(
            "导出文件的表头 csxl 不认识时在此添加：“表头”写导出文件中的原文，“字段”从右侧列表选 csxl 的标准列，"
            "时长以分钟为单位时“倍数”填 60（留空为 1）。内置同义词（如 工单号、会话ID、Ticket ID、创建时间）和“数据”表自带的表头无需添加；"
            "这里的映射优先于内置同义词。“数据源”留空时对所有导出适用；填写后只在用 csxl import --source 导入该数据源时适用"
            "（例如电话系统把客服写成工号）。",
            "Add a row here when csxl does not recognise a header of your export: Header is the text as the export writes it, "
            "Column the csxl column from the list on the right, Scale 60 for a duration in minutes (blank = 1). Built-in synonyms "
            "(工单号, Ticket ID, Created at ...) and the Data sheet's own headers need no row; rows here win over the built-in synonyms. "
            "A blank Data source applies to every export; a filled one only when that source is imported with csxl import --source "
            "(e.g. the phone system names agents by staff number).",
        ),
    )
    ws.merge_cells(f"A2:{col(LIST_COL + 2)}2")
    ws.row_dimensions[2].height = 48  # merged cells do not grow with their text

    ctx.header(ws, M.HEADER_ROW, M.HEADER, HEADERS[ctx.lang])
    first, last = M.FIRST_ROW, M.FIRST_ROW + M.ROWS - 1
    ws.add_table(
        Table(
            displayName=M.TABLE,
            ref=f"{col(M.HEADER)}{M.HEADER_ROW}:{col(M.SOURCE)}{last}",
            tableStyleInfo=TableStyleInfo(name="TableStyleLight9", showRowStripes=True),
        )
    )

    # The canonical columns, locked: reference and drop-down source.
    ctx.header(
        ws,
        M.HEADER_ROW,
        LIST_COL,
        [
            t("标准列（字段）", "csxl column"),
            t("中文表头", "Chinese header"),
            t("英文表头", "English header"),
        ],
    )
    for i, column in enumerate(COLUMNS):
        r = first + i
        ctx.label(ws, f"{col(LIST_COL)}{r}", column)
        ctx.label(ws, f"{col(LIST_COL + 1)}{r}", LABELS[column][0])
        ctx.label(ws, f"{col(LIST_COL + 2)}{r}", LABELS[column][1])
    # Stored without "=", as Excel writes a validation's range.
    keys = f"${col(LIST_COL)}${first}:${col(LIST_COL)}${first + len(COLUMNS) - 1}"

    columns = ctx.list_validation(ws, "column", keys)
    scales = ctx.validation(
        ws,
        "scale",
        type="decimal",
        operator="greaterThan",
        formula1="0",
        errorTitle=t("倍数", "Scale"),
        error=t(
            "倍数为大于 0 的数字，例如分钟填 60。",
            "A scale is a number above 0, e.g. 60 for minutes.",
        ),
    )
    examples = EXAMPLES[ctx.lang]
    for i in range(M.ROWS):
        r = first + i
        header, column, scale, source = examples[i] if i < len(examples) else (None,) * 4
        ctx.input(ws, f"{col(M.HEADER)}{r}", header)
        ctx.input(ws, f"{col(M.COLUMN)}{r}", column, validation=columns)
        ctx.input(ws, f"{col(M.SCALE)}{r}", scale, "0.##", scales)
        ctx.input(ws, f"{col(M.SOURCE)}{r}", source)
    setup_sheet(
        ws,
        widths={
            col(M.HEADER): 26,
            col(M.COLUMN): 22,
            col(M.SCALE): 9,
            col(M.SOURCE): 12,
            col(M.SOURCE + 1): 3,
            col(LIST_COL): 22,
            col(LIST_COL + 1): 16,
            col(LIST_COL + 2): 24,
        },
        freeze=f"A{M.FIRST_ROW}",
        header_rows=f"{M.HEADER_ROW}:{M.HEADER_ROW}",
    )


# ------------------------------------------------------------------ read
def read(book: Book, state: PlanState) -> None:
    """(header, column, scale, data source) rows; the source is "" for every export."""
    rows = book.rows("Mapping")
    pairs = []
    sheet = layout.title("Mapping", book.lang)
    for r in range(M.FIRST_ROW, M.FIRST_ROW + M.ROWS):
        header, column = cell(rows, r, M.HEADER), cell(rows, r, M.COLUMN)
        if header is None or column is None:
            continue
        if column not in COLUMNS:
            raise InputError(
                f"{column!r} is not a csxl column.",
                Location(book.name, sheet, r, layout.col(M.COLUMN)),
                "Pick it from the list.",
            )
        scale = number(rows, r, M.SCALE, Location(book.name, sheet, r, layout.col(M.SCALE)))
        source = cell(rows, r, M.SOURCE)
        pairs.append((str(header), str(column), scale or 1.0, _source(source)))
    state.mapping = pairs


def _source(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (((M.HEADER, M.SOURCE), M.FIRST_ROW + M.ROWS - 1, None),)
