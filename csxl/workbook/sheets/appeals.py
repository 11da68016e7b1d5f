"""Appeals (申诉): appeals and manual adjustments, typed by the manager; read by Refresh.

One row per adjustment: agent, month (考核月份, e.g. 2026-03), kind (排除工单 / 调整指标 /
调整得分), the ticket id or the KPI (加权得分 or 等级 for a score), the new value, reason,
approver, date and status (通过 / 待审 / 驳回 / 撤销). Rules in `csxl.domain.appeals`. The
last column (OWNED) says what the last refresh did with the row; refresh writes nothing else
here, so every row survives every refresh.
"""

from __future__ import annotations

from datetime import date, datetime

from csxl.domain import appeals
from csxl.domain.appeals import Appeal
from csxl.errors import Location
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Appeals as A
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState

FIELDS = {
    "agent": A.AGENT,
    "month": A.MONTH,
    "kind": A.KIND,
    "target": A.TARGET,
    "value": A.NEW_VALUE,
    "reason": A.REASON,
    "approver": A.APPROVER,
    "date": A.DATE,
    "status": A.STATUS,
}


def headers(lang: str) -> dict[int, str]:
    zh = lang == "zh"
    return {
        A.AGENT: "客服" if zh else "Agent",
        A.MONTH: "考核月份" if zh else "Month",
        A.KIND: "类型" if zh else "Kind",
        A.TARGET: "工单号或指标" if zh else "Ticket id or KPI",
        A.NEW_VALUE: "新值" if zh else "New value",
        A.REASON: "原因" if zh else "Reason",
        A.APPROVER: "审批人" if zh else "Approver",
        A.DATE: "日期" if zh else "Date",
        A.STATUS: "状态" if zh else "Status",
        A.RESULT: "处理结果（刷新填写）" if zh else "Result (by Refresh)",
    }


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    n, m = len(p.appeals), len(p.audit)
    return [(f"申诉：{n} 行；审计日志：{m} 行", f"Appeals: {n} rows; Audit log: {m} rows")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Appeals")
    t, lang = ctx.t, ctx.lang
    p = ctx.inputs
    ctx.title(
        ws,
        t("申诉与人工调整", "Appeals and manual adjustments"),
        t(
            "黄色为可填写的内容，每行一条：排除工单（该工单不计入此客服的考核，团队指标不变）、调整指标（替换客服的某项指标值）"
            "或调整得分（替换加权得分，或直接指定等级）。只有状态为“通过”且写明原因和审批人的行才会生效；"
            "有问题的行列在错误表，不会被悄悄应用。每次刷新都会重新应用，并记入审计日志。",
            "Yellow cells are yours, one adjustment a row: exclude a ticket (it leaves this agent's "
            "figures, not the team's), override one of the agent's KPIs, or override the weighted "
            "score or the grade. Only rows whose status is Approved, with a reason and an approver, "
            "apply; rows with a problem are listed on Errors, never applied silently. Every refresh "
            "applies them again and writes them to the Audit sheet.",
        ),
    )
    ws.merge_cells(f"A2:{col(A.RESULT)}2")
    ws.row_dimensions[2].height = 44
    for c, text in headers(lang).items():
        ctx.label(ws, f"{col(c)}{A.HEADER_ROW}", text, style.HEADER)
    kinds = ctx.list_validation(
        ws, "kind", [v[0 if lang == "zh" else 1] for v in appeals.KINDS.values()]
    )
    statuses = ctx.list_validation(
        ws, "status", [v[0 if lang == "zh" else 1] for v in appeals.STATUSES.values()]
    )
    # The KPIs and score targets a row may name (ticket ids are typed), right of the table.
    options = kpi_options(p, lang)
    list_col = A.RESULT + 2
    ctx.label(ws, f"{col(list_col)}{A.HEADER_ROW}", t("可选指标", "KPIs"), style.HEADER)
    for i, text in enumerate(options):
        ctx.label(ws, f"{col(list_col)}{A.FIRST_ROW + i}", text)
    rows = {a.row: a for a in p.appeals}
    for r in range(A.FIRST_ROW, A.last_row() + 1):
        a = rows.get(r, Appeal(r))
        ctx.input(ws, f"{col(A.AGENT)}{r}", a.agent)
        ctx.input(ws, f"{col(A.MONTH)}{r}", a.month, "@")
        ctx.input(ws, f"{col(A.KIND)}{r}", a.kind, validation=kinds)
        ctx.input(ws, f"{col(A.TARGET)}{r}", a.target, "@")
        ctx.input(ws, f"{col(A.NEW_VALUE)}{r}", a.value)
        ctx.input(ws, f"{col(A.REASON)}{r}", a.reason)
        ctx.input(ws, f"{col(A.APPROVER)}{r}", a.approver)
        ctx.input(ws, f"{col(A.DATE)}{r}", a.when, style.DATE)
        ctx.input(ws, f"{col(A.STATUS)}{r}", a.status, validation=statuses)
        ctx.label(ws, f"{col(A.RESULT)}{r}", p.appeal_results.get(r), style.COMPUTED)
    setup_sheet(
        ws,
        widths={
            "A": 12,
            "B": 10,
            "C": 12,
            "D": 16,
            "E": 10,
            "F": 28,  # one landscape page at 8 pt (issue 18)
            "G": 10,
            "H": 12,
            "I": 8,
            "J": 28,
            "K": 2,
            col(list_col): 22,
        },
        freeze=f"B{A.FIRST_ROW}",
        header_rows=f"{A.HEADER_ROW}:{A.HEADER_ROW}",
    )


def kpi_options(p, lang: str) -> list[str]:
    from csxl.domain.catalog import CATALOG

    names = [CATALOG[t.key].label(lang) for t in p.targets if "agent" in t.scored_for]
    return names + [v[0 if lang == "zh" else 1] for v in appeals.SCORE_TARGETS.values()]


def kpi_labels(p) -> dict[str, str]:
    """Every way a row may name a scored KPI (zh, en, key) -> key."""
    from csxl.domain.catalog import CATALOG

    out = {}
    for t in p.targets:
        if "agent" in t.scored_for:
            info = CATALOG[t.key]
            out |= {info.zh: t.key, info.en: t.key, t.key: t.key}
    return out


def read_rows(book) -> tuple[Appeal, ...]:
    """The Appeals rows as typed (blank rows left out)."""
    from csxl.workbook.cells import cell, day

    rows = book.rows("Appeals")
    out = []
    for r in range(A.FIRST_ROW, A.last_row() + 1):

        def text(c: int, r: int = r) -> str | None:
            v = cell(rows, r, c)
            if v is None:
                return None
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            s = str(v).strip()
            return s or None

        raw_date = cell(rows, r, A.DATE)
        try:
            when = day(raw_date)
        except ValueError:
            when = None
        month = cell(rows, r, A.MONTH)
        if isinstance(month, int | float) and not isinstance(month, bool):
            month = day(month)  # a date Excel made of "2026-03"
        a = Appeal(
            r,
            agent=text(A.AGENT),
            month=appeals.month_text(month.date() if isinstance(month, datetime) else month),
            kind=text(A.KIND),
            target=cell(rows, r, A.TARGET),
            value=cell(rows, r, A.NEW_VALUE),
            reason=text(A.REASON),
            approver=text(A.APPROVER),
            when=when if isinstance(when, date) else None,
            status=text(A.STATUS),
        )
        if not a.blank():
            out.append(a)
    return tuple(out)


def error_rows(book_name: str, lang: str, checked) -> list[tuple[object, ...]]:
    """Errors sheet rows for the appeals that were refused."""
    sheet = layout.title("Appeals", lang)
    names = headers(lang)
    return [
        (
            book_name,
            sheet,
            problem.row,
            names[FIELDS[problem.column]],
            problem.message,
            None if problem.value is None else str(problem.value),
        )
        for problem in checked.problems
    ]


def where(book_name: str, lang: str, row: int, field: str) -> Location:
    return Location(book_name, layout.title("Appeals", lang), row, col(FIELDS[field]))


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The Appeals rows as typed (a plan made before the sheet: none)."""
    state.inputs.appeals = read_rows(book)


def write(book: Book, ctx: Ctx) -> None:
    """The result column: what this refresh did with each row (never the manager's columns)."""
    owned.write(book, ctx, "Appeals", [(A.FIRST_ROW, A.RESULT, A.last_row(), A.RESULT)])


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (((A.AGENT, A.STATUS), A.last_row(), None),)
