"""QA (质检): the QA score's weight and targets, the inspections pasted by the manager
(agent, ticket, QA score, items failed, optional QA date) and, right of them, the month's QA
score per agent (OWNED: Refresh fills it).

Rules in `csxl.domain.qa`. The weight and targets live here, not on Goals: Goals' KPI rows
are fixed (their keys are read back by position, and consolidate, batch and upgrade rely
on the eight rows). The QA score is scored like a Goals KPI on Scores (value and points
columns at the right end), in the weighted score with this weight, 0 by default.
"""

from __future__ import annotations

from csxl.domain import qa
from csxl.errors import InputError, Location, reason, t
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Qa as Q
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState


def target(p):
    return p.qa_target or qa.DEFAULT_TARGET


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    n = len(p.qa_rows)
    return [(f"质检：权重与目标，{n} 条记录", f"QA: weight and targets, {n} inspections")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("QA")
    t = ctx.t
    p = ctx.inputs
    ctx.title(
        ws,
        t("质检", "Quality inspection"),
        t(
            "黄色为可填写的内容：质检得分的权重和三档目标（权重默认 0：只跟踪、不计入加权得分），以及质检记录"
            "（客服、工单号、质检得分 0-100、不合格项、质检日期）。每条记录计入质检日期所在月份；没有日期时按工单的创建月份，"
            "再没有则算作刷新的月份。刷新时按客服计算当月平均质检得分，写入右侧和考核表；申诉排除的工单不计入。",
            "Yellow cells are yours: the QA score's weight and three targets (weight 0 by default: "
            "tracked, not in the weighted score) and the inspections (agent, ticket, QA score "
            "0-100, items failed, QA date). A row counts in the month of its QA date, else of its "
            "ticket's creation, else in the month refreshed. Refresh computes each agent's mean QA "
            "score for the month, right of them and on Scores; tickets excluded by an appeal do not count.",
        ),
    )
    ws.merge_cells("A2:I2")
    ws.row_dimensions[2].height = 58
    goal = target(p)
    for row, zh, en, value in (
        (Q.ROW_WEIGHT, "权重", "Weight", goal.weight),
        (Q.ROW_BASELINE, "保底", "Baseline", goal.baseline),
        (Q.ROW_STRETCH, "冲刺", "Stretch", goal.stretch),
        (Q.ROW_CHALLENGE, "挑战", "Challenge", goal.challenge),
    ):
        ctx.label(ws, f"A{row}", t(zh, en), style.HEADER)
        ctx.input(ws, Q.value(row), value, "0.0")
    ctx.label(
        ws, "C4", t("质检得分：越高越好，满分 100", "QA score: higher is better, 0-100"), style.NOTE
    )
    heads = {
        Q.AGENT: t("客服", "Agent"),
        Q.TICKET: t("工单号", "Ticket"),
        Q.SCORE: t("质检得分", "QA score"),
        Q.ITEMS: t("不合格项", "Items failed"),
        Q.DATE: t("质检日期", "QA date"),
        Q.R_AGENT: t("客服", "Agent"),
        Q.R_COUNT: t("质检条数", "Inspections"),
        Q.R_MEAN: t("平均质检得分", "Mean QA score"),
        Q.R_ITEMS: t("不合格项合计", "Items failed"),
    }
    for c, text in heads.items():
        ctx.label(ws, f"{col(c)}{Q.HEADER_ROW}", text, style.HEADER)
    rows = {r.row: r for r in p.qa_rows}
    dates = ctx.date_validation(ws)
    for r in range(Q.FIRST_ROW, Q.FIRST_ROW + Q.ROWS):
        x = rows.get(r)
        ctx.input(ws, f"{col(Q.AGENT)}{r}", None if x is None else x.agent, "@")
        ctx.input(ws, f"{col(Q.TICKET)}{r}", None if x is None else x.ticket, "@")
        ctx.input(ws, f"{col(Q.SCORE)}{r}", None if x is None else x.score, "0.0")
        ctx.input(ws, f"{col(Q.ITEMS)}{r}", None if x is None else x.items)
        ctx.input(ws, f"{col(Q.DATE)}{r}", None if x is None else x.when, style.DATE, dates)
    results = list(p.qa_results)
    for i in range(Q.R_ROWS):
        r = Q.FIRST_ROW + i
        a = results[i] if i < len(results) else None
        values = (None,) * 4 if a is None else (a.agent, a.inspections, a.mean, a.items_failed)
        for c, value, fmt in zip(
            (Q.R_AGENT, Q.R_COUNT, Q.R_MEAN, Q.R_ITEMS),
            values,
            (None, style.INTEGER, "0.00", style.INTEGER),
            strict=True,
        ):
            ctx.label(ws, f"{col(c)}{r}", value, style.COMPUTED, fmt)
    setup_sheet(
        ws,
        widths={"A": 12, "B": 14, "C": 10, "D": 30, "E": 12, "F": 12, "G": 10, "H": 12, "I": 12},
        freeze=f"A{Q.FIRST_ROW}",
        header_rows=f"{Q.HEADER_ROW}:{Q.HEADER_ROW}",
    )


def read_rows(book):
    """(the QA target, the inspections as typed)."""
    from dataclasses import replace

    from csxl.workbook.cells import cell, number

    rows = book.rows("QA")
    sheet = layout.title("QA", book.lang)
    where = lambda r: Location(book.name, sheet, r, "B")  # noqa: E731
    values = {
        name: number(rows, r, Q.VALUE_COL, where(r))
        for name, r in (
            ("weight", Q.ROW_WEIGHT),
            ("baseline", Q.ROW_BASELINE),
            ("stretch", Q.ROW_STRETCH),
            ("challenge", Q.ROW_CHALLENGE),
        )
    }
    default = qa.DEFAULT_TARGET
    try:
        goal = replace(
            default,
            **{k: (getattr(default, k) if v is None else v) for k, v in values.items()},
        )
    except ValueError as exc:
        raise InputError(
            t(f"质检目标无法使用：{reason(exc)}。", f"the QA targets are not usable: {exc}."),
            where(Q.ROW_BASELINE),
            t(
                "请让保底、冲刺和挑战从小到大排列。",
                "Put the baseline, stretch and challenge in ascending order.",
            ),
        ) from None
    if goal.weight < 0:
        raise InputError(
            t("权重不能为负数。", "a weight cannot be negative."),
            where(Q.ROW_WEIGHT),
            t("请输入 0 或更大的数。", "Type 0 or more."),
        )

    def text(r: int, c: int) -> str | None:
        v = cell(rows, r, c)
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return None if v is None or not str(v).strip() else str(v).strip()

    out = []
    for r in range(Q.FIRST_ROW, Q.FIRST_ROW + Q.ROWS):
        agent, ticket = text(r, Q.AGENT), text(r, Q.TICKET)
        score, items = cell(rows, r, Q.SCORE), cell(rows, r, Q.ITEMS)
        when = cell(rows, r, Q.DATE)  # as typed: refresh reads the date (qa.months)
        if all(v is None for v in (agent, ticket, score, items, when)):
            continue
        out.append(qa.Inspection(r, agent, ticket, score, items, when))
    return goal, tuple(out)


PROBLEMS = {
    "no_agent": ("缺少客服，未计入", "the agent is missing: not counted"),
    "bad_score": ("质检得分应为 0-100 的数字，未计入", "a QA score is a number 0-100: not counted"),
    "bad_date": (
        "质检日期无法识别（如 2026-03-05），未计入",
        "the QA date is not a date (e.g. 2026-03-05): not counted",
    ),
    "unknown": (
        "别名表中没有这个名字（{n} 条质检，按原名计算）",
        "not in the alias table ({n} inspections, counted under this name)",
    ),
    "ambiguous": (
        "这个写法对应多位客服：{ids}（按原名计算）",
        "this spelling names several agents: {ids} (counted under it)",
    ),
}


def error_rows(book_name: str, lang: str, problems) -> list[tuple[object, ...]]:
    """Errors rows from (row, field, code, value[, format values]) problems."""
    sheet = layout.title("QA", lang)
    columns = {"agent": Q.AGENT, "score": Q.SCORE, "date": Q.DATE}
    heads = {
        Q.AGENT: ("客服", "Agent"),
        Q.SCORE: ("质检得分", "QA score"),
        Q.DATE: ("质检日期", "QA date"),
    }
    i = 0 if lang == "zh" else 1
    return [
        (
            book_name,
            sheet,
            row,
            heads[columns[field]][i],
            PROBLEMS[code][i].format(**(more[0] if more else {})),
            None if value is None else str(value),
        )
        for row, field, code, value, *more in problems
    ]


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The QA weight and targets and the inspections as typed."""
    state.inputs.qa_target, state.inputs.qa_rows = read_rows(book)


def write(book: Book, ctx: Ctx) -> None:
    """The per-agent results (never the targets or the inspections)."""
    owned.write(book, ctx, "QA", [(Q.FIRST_ROW, Q.R_AGENT, Q.FIRST_ROW + Q.R_ROWS - 1, Q.R_ITEMS)])


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (((Q.AGENT, Q.DATE), Q.FIRST_ROW + Q.ROWS - 1, None),)


# ------------------------------------------------------------------ refresh's steps
# The month's QA score per agent onto Scores and this sheet's result block; unusable
# inspection rows onto Errors. Rows count in the refreshed month by their QA date, else
# their ticket's created month (the Data sheet's valid tickets), else as the refreshed
# month's. Agent names go through the Aliases table as the Data sheet's do (`state.names`):
# unknown and ambiguous spellings keep their own name and are listed. A ticket an approved
# appeal excludes from an agent's figures (`state.adjustments`) leaves that agent's QA
# score too.
def inspect(book_name: str, state: PlanState, tickets, month: str) -> list:
    """Fill the per-agent results for `month`; the Errors rows of the inspections.

    `tickets`: every valid ticket of the Data sheet (all months, a DataFrame)."""
    from csxl.domain.appeals import ticket_text

    p = state.inputs
    if not state.has_qa:
        return []
    rows, problems = _named(state, list(p.qa_rows))
    wanted = {r.ticket for r in rows if isinstance(r.ticket, str) and r.ticket}
    when, dated = qa.months(rows, _ticket_months(tickets, wanted), month)
    checked = state.adjustments
    excluded = set() if checked is None else checked.excluded_tickets

    def counted(r: qa.Inspection) -> bool:
        return when.get(r.row) == month and (r.agent, ticket_text(r.ticket)) not in excluded

    per_agent, _, invalid = qa.summarise(rows, counted)
    p.qa_results = tuple(per_agent.values())
    problems += dated + invalid
    order = {"agent": 0, "date": 1, "score": 2}
    return error_rows(book_name, p.lang, sorted(problems, key=lambda x: (x[0], order[x[1]])))


def _named(state: PlanState, rows: list) -> tuple[list, list]:
    """The rows with each agent as Scores names them (an empty alias table changes
    nothing), and a problem per unknown or ambiguous spelling, at its first row."""
    from dataclasses import replace

    import pandas as pd

    if state.names is None or not state.inputs.aliases or not rows:
        return rows, []
    spelled = pd.Series([r.agent for r in rows], dtype=object)
    named, resolved = state.names.names_of(spelled)
    out = [
        replace(r, agent=None if pd.isna(n) else str(n)) for r, n in zip(rows, named, strict=True)
    ]
    first = {}
    for r in rows:
        first.setdefault(r.agent, r.row)
    problems: list = [
        (first[name], "agent", "unknown", name, {"n": n}) for name, n in resolved.unknown.items()
    ]
    problems += [
        (first[name], "agent", "ambiguous", name, {"ids": "、".join(ids)})
        for name, ids in resolved.ambiguous.items()
    ]
    return out, problems


def _ticket_months(frame, wanted: set[str] | None = None) -> dict[str, str]:
    """Ticket id (as text) -> the month it was created in; with `wanted`, only for those ids
    (`qa.months` asks for no other: an inspection's ticket as typed), so that a plan without
    inspections by ticket costs no pass in Python over every ticket."""
    import pandas as pd

    from csxl.domain.appeals import ticket_text

    if frame is None or "ticket_id" not in frame or frame.empty or wanted == set():
        return {}
    ids = frame["ticket_id"]
    if wanted is not None and isinstance(ids.dtype, pd.StringDtype):
        # Text ids: ticket_text is the trimmed text, so the other rows cannot match.
        frame = frame[ids.str.strip().isin(wanted).fillna(False).to_numpy(dtype=bool)]
    ids = frame["ticket_id"].map(ticket_text)
    created = frame["created_at"].dt.strftime("%Y-%m")
    return {tid: m for tid, m in zip(ids, created, strict=True) if tid is not None}


def with_scores(p, agents: list) -> list:
    """Agent rows with their QA score (None without inspections) among their values."""
    from dataclasses import replace

    if not p.has_qa:
        return agents
    means = {a.agent: a.mean for a in p.qa_results}
    return [replace(a, values={**a.values, "qa_score": means.get(a.agent)}) for a in agents]
