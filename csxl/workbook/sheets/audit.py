"""Audit (审计日志): every adjustment each refresh applied. OWNED: Refresh appends.

One row per applied appeal and per refresh: refresh time, month, agent, kind, the ticket or
KPI, the value before and after, reason, approver and the Appeals row it came from; for an
agent with adjustments, one more row with the weighted score before and after all of them.
Refreshing again appends again (a refresh that applies the same appeal is logged again):
the log says what every refresh did. The latest layout.Audit.ROWS rows are kept.
"""

from __future__ import annotations

from csxl.workbook import owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Audit as U
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState


def headers(lang: str) -> dict[int, str]:
    zh = lang == "zh"
    return {
        U.TIME: "刷新时间" if zh else "Refreshed",
        U.MONTH: "月份" if zh else "Month",
        U.AGENT: "客服" if zh else "Agent",
        U.KIND: "类型" if zh else "Kind",
        U.TARGET: "工单或指标" if zh else "Ticket or KPI",
        U.FROM: "原值" if zh else "From",
        U.TO: "新值" if zh else "To",
        U.REASON: "原因" if zh else "Reason",
        U.APPROVER: "审批人" if zh else "Approver",
        U.SOURCE_ROW: "申诉表行" if zh else "Appeals row",
    }


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Audit")
    t = ctx.t
    ctx.title(
        ws,
        t("审计日志", "Audit log"),
        t(
            "由“刷新指标”追加：每次刷新应用的每一条申诉或人工调整（原值、新值、原因、审批人）。请勿修改。",
            "Appended by Refresh: every appeal or manual adjustment each refresh applied (from, to, "
            "reason, approver). Do not edit.",
        ),
    )
    ws.merge_cells(f"A2:{col(U.SOURCE_ROW)}2")
    ws.row_dimensions[2].height = 30
    for c, text in headers(ctx.lang).items():
        ctx.label(ws, f"{col(c)}{U.HEADER_ROW}", text, style.HEADER)
    for i, row in enumerate(ctx.inputs.audit):
        r = U.FIRST_ROW + i
        for c, value in enumerate(row, start=1):
            ctx.label(ws, f"{col(c)}{r}", value, style.COMPUTED)
    setup_sheet(
        ws,
        widths={
            "A": 16,
            "B": 9,
            "C": 12,
            "D": 10,
            "E": 16,
            "F": 12,
            "G": 12,
            "H": 30,
            "I": 10,
            "J": 9,
        },
        freeze=f"A{U.FIRST_ROW}",
        header_rows=f"{U.HEADER_ROW}:{U.HEADER_ROW}",
    )


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The log so far (each refresh appends to it)."""
    state.inputs.audit = [
        tuple(None if v == "" else v for v in r[: U.SOURCE_ROW])
        for r in book.rows("Audit")[U.FIRST_ROW - 1 :]
        if any(v != "" for v in r[: U.SOURCE_ROW])
    ]


def write(book: Book, ctx: Ctx) -> None:
    """Every row below the header: the log as it is now, a longer earlier one emptied."""
    rows, clear = owned.grow(book, "Audit", U.FIRST_ROW, U.SOURCE_ROW, len(ctx.inputs.audit))
    owned.write(book, ctx, "Audit", [rows], [clear])


def adjust(state: PlanState, before, now, month: str, score_of) -> None:
    """Refresh's step after Appeals': this refresh's adjustments (`state.logged`) appended
    to the log, the latest U.ROWS rows kept (nothing without checked appeals)."""
    if state.adjustments is None:
        return
    p = state.inputs
    p.audit = (list(p.audit) + state.logged)[-U.ROWS :]
    state.logged = []


# ------------------------------------------------------------------ csxl export-agent-sheets
def scorecards(book: Book, state: PlanState, cards: list) -> None:
    """Each agent's card (`csxl.workbook.scorecard.AgentCard`) with the approved appeals
    the latest refresh of the shown month applied to them."""
    found = adjustments_of(state, state.shown_month)
    for card in cards:
        card.adjustments = found.get(card.agent, [])


def adjustments_of(state: PlanState, month: str | None) -> dict[str, list[tuple[object, ...]]]:
    """Each agent's rows of the log as the latest refresh of `month` wrote them: (kind,
    ticket or KPI, from, to, reason, approver)."""
    rows = [r for r in state.inputs.audit if len(r) >= U.SOURCE_ROW and r[U.MONTH - 1] == month]
    if not rows:
        return {}
    latest = max(str(r[U.TIME - 1]) for r in rows)
    out: dict[str, list[tuple[object, ...]]] = {}
    for r in rows:
        if str(r[U.TIME - 1]) == latest:
            out.setdefault(r[U.AGENT - 1], []).append(
                tuple(r[c - 1] for c in (U.KIND, U.TARGET, U.FROM, U.TO, U.REASON, U.APPROVER))
            )
    return out
