"""Appeals (申诉): appeals and manual adjustments, typed by the manager; read by Refresh.

One row per adjustment: agent, month (考核月份, e.g. 2026-03), kind (排除工单 / 调整指标 /
调整得分), the ticket id or the KPI (加权得分 or 等级 for a score), the new value, reason,
approver, date and status (通过 / 待审 / 驳回 / 撤销). Rules in `csxl.domain.appeals`. The
last column (OWNED) says what the last refresh did with the row; refresh writes nothing else
here, so every row survives every refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from csxl.domain import appeals
from csxl.domain.agents import AgentRow
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


# ------------------------------------------------------------------ refresh's steps
# Check the rows (`review`), take excluded tickets out of their agent's figures (`figures`),
# put overrides in and mark the Scores rows (`adjust`). The rules live in
# `csxl.domain.appeals`. What was applied goes on the state as rows of the Audit log
# (`state.logged`), which the Audit room appends to the log it keeps.
def review(
    book_name: str, state: PlanState, frame, month: str, agents: set[str] | None = None
) -> list[tuple[object, ...]]:
    """The Appeals rows checked against the Data sheet's valid tickets (`frame`, all months)
    onto `state.adjustments`, each row's result filled; the Errors rows of refused ones.

    Without a frame (re-scoring, `agents`: the names on Scores) only score and grade
    overrides apply again: KPI values and exclusions are in Scores already."""
    from csxl.domain.catalog import CATALOG

    if not state.has_appeals:
        return []
    p = state.inputs
    units = {t.key: CATALOG[t.key].unit for t in p.targets if "agent" in t.scored_for}
    grades = tuple(name for name, _ in p.incentives.coefficients)
    checked = appeals.check(
        list(p.appeals), month, frame, p.lang, units, kpi_labels(p), grades, agents
    )
    p.appeal_results = checked.results
    if frame is None:
        checked.kpis.clear()
    state.adjustments = checked
    return error_rows(book_name, p.lang, checked)


def figures(state: PlanState, tickets, window, groups: list[dict], frame):
    """The agent groups and the month's frame for the agents' figures: without the tickets
    approved appeals exclude (the team's figures keep them)."""
    from csxl.domain import kpis
    from csxl.domain.tickets import TicketSet

    checked = state.adjustments
    if checked is None or not checked.exclusions:
        return groups, frame
    out = checked.excluded_rows(frame)
    sub = TicketSet(**{**tickets.__dict__, "frame": tickets.frame.drop(frame.index[out])})
    result = kpis.compute(sub, ("agent",), state.kpi_settings, window)
    return result.groups, kpis.in_period(sub.frame, window)


def adjust(
    state: PlanState,
    before: list[AgentRow],
    now: datetime,
    month: str,
    score_of: Callable[[AgentRow], float | None],
) -> None:
    """Overrides into the agents' rows, their Adjusted text, and this refresh's log rows
    (`state.logged`). `before`: the agents' rows with no adjustment, for the from-values;
    `score_of`: an agent's weighted score as Scores computes it."""
    from csxl.domain import scoring
    from csxl.domain.catalog import CATALOG, format_value

    checked = state.adjustments
    if checked is None:
        return
    p = state.inputs
    lang = p.lang
    zh = lang == "zh"
    # Text, not a date: refresh patches cells without styles, and a log row needs none.
    stamp = f"{now:%Y-%m-%d %H:%M:%S}"
    kinds = {k: v[0 if zh else 1] for k, v in appeals.KINDS.items()}
    raw = {a.agent: a for a in before}
    fresh: list[tuple[object, ...]] = []
    rows = []
    for agent in p.agents:
        name = agent.agent
        notes: list[str] = []
        log: list[tuple[object, ...]] = []

        def record(kind, target, old, new, a, log=log, name=name) -> None:
            log.append(
                (stamp, month, name, kinds[kind], target, old, new, a.reason, a.approver, a.row)
            )

        excluded = checked.exclusions.get(name, {}) if name is not None else {}
        for tid, a in sorted(excluded.items(), key=lambda kv: kv[1].row):
            record("exclude", tid, "计入" if zh else "counted", "排除" if zh else "excluded", a)
        if excluded:
            notes.append(
                f"排除工单 {len(excluded)} 张" if zh else f"{len(excluded)} ticket(s) excluded"
            )
        values = dict(agent.values)
        for (who, key), (value, a) in sorted(checked.kpis.items(), key=lambda kv: kv[1][1].row):
            if who != name:
                continue
            label = CATALOG[key].label(lang)
            record("kpi", label, values.get(key), value, a)
            notes.append(f"{label} {format_value(key, values.get(key))}→{format_value(key, value)}")
            values[key] = value
        agent = replace(agent, values=values)
        score_label = appeals.SCORE_TARGETS["score"][0 if zh else 1]
        grade_label = appeals.SCORE_TARGETS["grade"][0 if zh else 1]
        if name in checked.scores:
            value, a = checked.scores[name]
            old = score_of(agent)
            record("score", score_label, old, value, a)
            notes.append(f"{score_label} {_shown(old)}→{_shown(value)}")
            agent = replace(agent, score_override=value)
        if name in checked.grades:
            value, a = checked.grades[name]
            old = scoring.grade(score_of(agent), p.incentives, agent.red_line(lang))
            record("score", grade_label, old, value, a)
            notes.append(f"{grade_label} {old or '—'}→{value}")
            agent = replace(agent, grade_override=value)
        if log:
            first = raw.get(name, agent)
            total = "合计" if zh else "all adjustments"
            fresh += log
            fresh.append(
                (
                    stamp,
                    month,
                    name,
                    total,
                    score_label,
                    score_of(first),
                    score_of(agent),
                    None,
                    None,
                    None,
                )
            )
            agent = replace(agent, adjusted="；".join(notes) if zh else "; ".join(notes))
        rows.append(agent)
    p.agents = rows
    state.logged = fresh


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
