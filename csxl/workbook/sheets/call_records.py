"""Call records (通话记录): the call-detail paste area, an Excel table of the call columns.

Like Orders: the header row is each call column's label in the workbook's language (every
label is a built-in synonym), the sheet is not protected, and refresh reads it through
`csxl.domain.call_records.load_calls` without ever writing to it: the results are on the
Calls sheet, so that a refresh never re-compresses 100,000 pasted rows. An export pasted
with its own header (呼叫ID, 呼入时间, 坐席工号, 接听状态, 排队时长 ...) is read as well.
"""

from __future__ import annotations

from openpyxl.worksheet.table import Table, TableStyleInfo

from csxl.domain.agents import RowKind
from csxl.domain.columns import CALL_COLUMNS, CALL_LABELS, Kind
from csxl.errors import InputError
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import CallRecords as R
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState
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


# ------------------------------------------------------------------ refresh's step
# A sheet that cannot be read at all (its header row deleted, a stray cell far below the
# data) is a warning and an Errors row, not a refused refresh: the month's ticket KPIs,
# scores and bonuses do not depend on it.
RECORDS = RowKind("CallRecords", "started_at", ("通电话", "calls"))


def load(book: Book, state: PlanState) -> tuple[int, list[tuple[object, ...]], list[str]]:
    """The pasted calls read and checked onto `state.calls`, agents named through Aliases
    (`state.names`) as tickets are; (rows rejected, Errors rows, warnings). Nothing for a
    plan made before the sheets."""
    if not state.has_calls:
        return 0, [], []
    from csxl.domain.call_records import load_calls
    from csxl.domain.columns import CALLS
    from csxl.domain.synonyms import Synonyms

    synonyms = Synonyms(CALLS)
    # Mapping rows (those not tied to a Data source) for the columns calls share with
    # tickets (agent, team) apply here too.
    synonyms.extend(m for m in state.mapping_for() if m[1] in CALLS.columns)
    try:
        calls = load_calls(book.calls(synonyms))
    except InputError as exc:
        w = exc.where
        sheet = w.sheet or layout.title("CallRecords", book.lang)
        row = (w.file or book.name, sheet, w.row, w.column, exc.message, exc.hint)
        state.inputs.call_status = f"{sheet}: {exc.message}"
        return 1, [row], [f"{sheet}: {exc.message}"]
    errors: list[tuple[object, ...]] = []
    warnings: list[str] = []
    if state.names is not None:
        calls, errors, warnings = state.names.resolve(book.name, calls, RECORDS)
    state.calls = calls
    return len(calls.problems), owned.problem_rows(calls, book.lang) + errors, warnings
