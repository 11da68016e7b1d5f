"""Scores (考核): one row per agent each month. OWNED by refresh, except two columns.

Columns per layout.Scores: agent, team, tickets, answered surveys; a value and a points
column per KPI scored for agents (Goals order, the KPI key above each pair); weighted score,
grade, bonus, deductions, red-line hits, award. Then the manager's columns, unlocked with an
input style: a 是/否 tick for a verified escalated complaint (a red line) and an appeal or
override note. Right of them: what Appeals changed, the QA score and points, and the days in
the team, the days of the month and the share of the bonus they give (the bonus formula
multiplies by it). A new plan has no agents: the rows are laid out empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from openpyxl.styles import Alignment

from csxl.domain import scoring
from csxl.domain.agents import TICKS, UNASSIGNED, AgentRow
from csxl.domain.catalog import CATALOG
from csxl.domain.scoring import Target
from csxl.errors import InputError, Location, printable, reason, t
from csxl.errors import t as tr
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, PlanInputs, setup_sheet
from csxl.workbook.cells import address, cell, number, numeric_text
from csxl.workbook.kpi_format import unit_format
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.rule_words import DIRECTIONS, mode_label, proration_label
from csxl.workbook.state import Graded, Month, PlanState
from csxl.workbook.style import text_width
from csxl.workbook.team_book import TeamBook

SHARE_FORMAT = "0.0%"
WRAP = Alignment(vertical="center", wrap_text=True)
NO_WRAP = Alignment(vertical="bottom", wrap_text=False)


# ------------------------------------------------------------------ csxl upgrade
def carry(old, new) -> list[tuple[str, str]]:
    """The manager's columns of each agent row (red-line tick, appeal note), with the agent."""
    from csxl.workbook.cells import cell

    rows = old.rows("Scores")
    cells = {}
    for r in range(S.FIRST_ROW, min(len(rows), S.last_row()) + 1):
        if cell(rows, r, S.AGENT) is None:
            continue
        for c in (S.AGENT, S.TEAM, S.RED_LINE_TICK, S.APPEAL):
            cells[(r, c)] = cell(rows, r, c)
    if not cells:
        return []
    new.write("Scores", cells)
    return [("考核：红线勾选与申诉说明", "Scores: red-line ticks and appeal notes")]


# ------------------------------------------------------------------ csxl consolidate
def summarise(rows: list[list[object]], team: TeamBook, file: str, lang: str) -> None:
    """Each agent row: agent, group, weighted score, grade, bonus."""
    from csxl.workbook.cells import cell

    for r in range(S.FIRST_ROW, S.last_row() + 1):
        if cell(rows, r, S.AGENT) is not None:
            team.agents.append(
                tuple(cell(rows, r, c) for c in (S.AGENT, S.TEAM, S.SCORE, S.GRADE, S.BONUS))
            )


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Scores")
    p = ctx.inputs
    t, lang = ctx.t, ctx.lang
    scored = [target for target in p.targets if "agent" in target.scored_for]
    if len(scored) != S.KPI_COUNT:
        raise ValueError(
            f"the Scores sheet has {S.KPI_COUNT} KPI column pairs; the plan scores "
            f"{len(scored)} KPIs for agents ({', '.join(x.key for x in scored)})"
        )
    ctx.title(
        ws,
        t(f"{p.year} 月度考核", f"{p.year} monthly scores"),
        t(
            "由“刷新指标”或“计算考核”填写；黄色两列由你填写：核实过的升级投诉选“是”即触碰红线（等级封顶），申诉或人工调整写在说明列。",
            "Filled by Refresh or Score; the two yellow columns are yours: 'Yes' for a verified escalated complaint is a red line "
            "(caps the grade); write an appeal or a manual override in the note.",
        ),
    )
    headers = {
        S.AGENT: t("客服", "Agent"),
        S.TEAM: t("团队", "Team"),
        S.TICKETS: t("工单量", "Tickets"),
        S.ANSWERED: t("回评数", "Answered surveys"),
        S.SCORE: t("加权得分", "Weighted score"),
        S.GRADE: t("等级", "Grade"),
        S.BONUS: t("奖金（元）", "Bonus (CNY)"),
        S.ESCALATED: t("升级投诉", "Escalated"),
        S.DEDUCTIONS: t("扣款（元）", "Deductions (CNY)"),
        S.RED_LINES: t("红线次数", "Red-line hits"),
        S.AWARD: t("奖项", "Award"),
        S.RED_LINE_TICK: t("经核实的升级投诉", "Verified escalated complaint"),
        S.APPEAL: t("申诉/调整说明", "Appeal / override note"),
        S.ADJUSTED: t("已调整（申诉表）", "Adjusted (Appeals)"),
        S.QA_VALUE: t("质检得分", "QA score"),
        S.QA_POINTS: t("质检积分", "QA points"),
        S.DAYS_IN_TEAM: t("本月在组天数", "Days in the team"),
        S.DAYS_IN_MONTH: t("当月天数", "Days in the month"),
        S.SHARE: t("奖金折算比例", "Bonus share"),
    }
    formats = {
        S.TICKETS: style.INTEGER,
        S.ANSWERED: style.INTEGER,
        S.SCORE: "0.00",
        S.BONUS: style.MONEY,
        S.DEDUCTIONS: style.MONEY,
        S.RED_LINES: style.INTEGER,
        S.ESCALATED: style.INTEGER,
        S.DAYS_IN_TEAM: style.INTEGER,
        S.DAYS_IN_MONTH: style.INTEGER,
        S.SHARE: SHARE_FORMAT,
    }
    for i, target in enumerate(scored):
        label = CATALOG[target.key].label(lang)
        value, points = S.kpi_value(i), S.kpi_points(i)
        headers[value] = label
        headers[points] = t(f"{label}得分", f"{label} points")
        formats[value] = unit_format(target, lang)
        formats[points] = "0.0"
        ctx.label(ws, f"{col(value)}{S.KEY_ROW}", target.key, style.NOTE)
        ws[f"{col(value)}{S.KEY_ROW}"].alignment = NO_WRAP  # runs on over the points column
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{S.HEADER_ROW}", text, style.HEADER)
    ws.merge_cells(f"A2:{col(S.LAST)}2")
    ws.row_dimensions[2].height = 30  # merged cells do not grow with their text

    ticks = ctx.list_validation(ws, "tick", TICKS[lang])
    owned = range(S.AGENT, S.AWARD + 1)
    for r in range(S.FIRST_ROW, S.last_row() + 1):
        for c in owned:
            ctx.label(ws, f"{col(c)}{r}", None, style.COMPUTED, formats.get(c))
        ctx.input(ws, f"{col(S.RED_LINE_TICK)}{r}", None, validation=ticks)
        ctx.input(ws, f"{col(S.APPEAL)}{r}", None)
        ws[f"{col(S.APPEAL)}{r}"].alignment = WRAP
        ctx.label(ws, f"{col(S.ADJUSTED)}{r}", None, style.COMPUTED)
        ctx.label(ws, f"{col(S.QA_VALUE)}{r}", None, style.COMPUTED, "0.00")
        ctx.label(ws, f"{col(S.QA_POINTS)}{r}", None, style.COMPUTED, "0.0")
        for c in (S.DAYS_IN_TEAM, S.DAYS_IN_MONTH, S.SHARE):
            ctx.label(ws, f"{col(c)}{r}", None, style.COMPUTED, formats[c])

    widths = {col(S.AGENT): 14, col(S.TEAM): 12, col(S.TICKETS): 8, col(S.ANSWERED): 9}
    for i in range(S.KPI_COUNT):
        widths[col(S.kpi_value(i))] = 11
        widths[col(S.kpi_points(i))] = 9
    widths |= {
        col(S.SCORE): 9,
        col(S.GRADE): 6,
        col(S.BONUS): 10,
        col(S.ESCALATED): 8,
        col(S.DEDUCTIONS): 10,
        col(S.RED_LINES): 8,
        col(S.AWARD): 11,
        col(S.RED_LINE_TICK): 14,
        col(S.APPEAL): 22,  # the two notes wrap: Scores prints in two page groups
        col(S.ADJUSTED): 18,
        col(S.QA_VALUE): 9,
        col(S.QA_POINTS): 9,
        col(S.DAYS_IN_TEAM): 9,
        col(S.DAYS_IN_MONTH): 9,
        col(S.SHARE): 9,
    }
    lines = max(math.ceil(text_width(text) / (widths[col(c)] - 1)) for c, text in headers.items())
    ws.row_dimensions[S.HEADER_ROW].height = 14 * max(2, lines) + 2
    write_agents(ctx, ws, scored)
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"{col(S.AGENT + 1)}{S.FIRST_ROW}",
        header_rows=f"{S.HEADER_ROW}:{S.HEADER_ROW}",
        split=True,
    )


@dataclass(frozen=True)
class Effective:
    """The target values an agent is held to, and the Goals cells they come from."""

    target: Target
    weight_ref: str
    baseline_ref: str
    stretch_ref: str
    challenge_ref: str


def effective_target(p: PlanInputs, index: int, target: Target, agent: AgentRow) -> Effective:
    """Agent override, else group override, else the team's target, field by field."""
    overrides = {(o.level, o.name, o.key): o for o in p.cascade}
    chain = [
        overrides.get(("agent", agent.agent, target.key)),
        overrides.get(("group", agent.group, target.key)),
    ]
    values: dict[str, float] = {}
    refs: dict[str, str] = {}
    for field in ("weight", "baseline", "stretch", "challenge"):
        source = next((o for o in chain if o is not None and getattr(o, field) is not None), None)
        if source is None:
            values[field] = getattr(target, field)
            refs[field] = layout.kpi_goal_cell(index, field, p.lang)
        else:
            values[field] = getattr(source, field)
            refs[field] = layout.cascade_goal_cell(source.row, field, p.lang)
    try:
        effective = replace(target, **values)
    except ValueError as exc:
        rows = sorted({o.row for o in chain if o is not None})
        who, label = agent.agent or agent.group, CATALOG[target.key].label(p.lang)
        raise InputError(
            t(
                f"{who} 的“{label}”目标在应用分解目标后无法使用：{reason(exc)}。",
                f"{who}'s targets for {label} are not usable once the cascade is applied: {exc}.",
            ),
            Location(
                sheet=layout.kpi_goals_sheet(p.lang),
                row=rows[0] if rows else layout.kpi_goal_row(index),
            ),
            t(
                "请让个别目标的保底、冲刺和挑战与它沿用的目标保持顺序。",
                "Put the override's baseline, stretch and challenge in order with the ones it "
                "inherits.",
            ),
        ) from None
    return Effective(
        effective, refs["weight"], refs["baseline"], refs["stretch"], refs["challenge"]
    )


def score_of(p: PlanInputs, agent: AgentRow) -> float | None:
    """The agent's weighted score, as the Scores formulas compute it (or an approved
    appeal's score, which replaces it)."""
    if agent.score_override is not None:
        return agent.score_override
    index = {t.key: i for i, t in enumerate(p.targets)}
    points: dict[str, float | None] = {}
    weights: dict[str, float] = {}
    for target in p.targets:
        if "agent" not in target.scored_for:
            continue
        e = effective_target(p, index[target.key], target, agent).target
        points[target.key] = scoring.points(
            agent.values.get(target.key), e, p.incentives.mode, p.points_table()
        )
        weights[target.key] = e.weight
    if p.has_qa:
        goal = qa_target(p)
        points["qa_score"] = scoring.points(
            agent.values.get("qa_score"), goal, p.incentives.mode, p.points_table()
        )
        weights["qa_score"] = goal.weight
    return scoring.weighted_score(points, weights)


def qa_target(p: PlanInputs) -> Target:
    from csxl.domain.qa import DEFAULT_TARGET

    return p.qa_target or DEFAULT_TARGET


def _qa_points_formula(ctx: Ctx, v: str) -> str:
    """Points of the QA score against the QA sheet's targets (higher is better)."""
    b, s, c = (layout.qa_goal_cell(f, ctx.lang) for f in ("baseline", "stretch", "challenge"))
    tier = f"IF({v}>={c},3,IF({v}>={s},2,IF({v}>={b},1,0)))"
    linear = (
        f"IF({tier}=3,100,IF({tier}=2,80+20*({v}-{s})/({c}-{s}),"
        f"IF({tier}=1,60+20*({v}-{b})/({s}-{b}),0)))"
    )
    mode = mode_label(ctx.lang, "linear")
    return f'=IF(ISNUMBER({v}),IF(csxl_Mode="{mode}",{linear},INDEX(csxl_TierPoints,{tier}+1)),"")'


def _points_formula(ctx: Ctx, v: str, e: Effective, index: int) -> str:
    """Excel twin of scoring.points on the effective targets (see goals.tier_number)."""
    d = layout.kpi_goal_cell(index, "direction", ctx.lang)
    high = DIRECTIONS[ctx.lang][0]
    b, s, c = e.baseline_ref, e.stretch_ref, e.challenge_ref
    tier = (
        f'IF({d}="{high}",IF({v}>={c},3,IF({v}>={s},2,IF({v}>={b},1,0))),'
        f"IF({v}<={c},3,IF({v}<={s},2,IF({v}<={b},1,0))))"
    )
    linear = (
        f"IF({tier}=3,100,IF({tier}=2,80+20*({v}-{s})/({c}-{s}),"
        f"IF({tier}=1,60+20*({v}-{b})/({s}-{b}),0)))"
    )
    mode = mode_label(ctx.lang, "linear")
    return f'=IF(ISNUMBER({v}),IF(csxl_Mode="{mode}",{linear},INDEX(csxl_TierPoints,{tier}+1)),"")'


def write_agents(ctx: Ctx, ws, scored: list[Target]) -> None:
    """The agent rows: values as numbers, everything derived from them as live formulas."""
    p = ctx.inputs
    inc = p.incentives
    yes = TICKS[ctx.lang][0]
    index = {t.key: i for i, t in enumerate(p.targets)}
    base, per_escalated, cap, cap_grade = (
        layout.incentive_rule_cell(f, ctx.lang)
        for f in ("base_bonus", "deduction", "cap_multiple", "red_line_cap")
    )
    for n, agent in enumerate(p.agents):
        r = S.FIRST_ROW + n
        if r > S.last_row():
            raise ValueError(f"more than {S.ROWS} agents: the Scores sheet has {S.ROWS} rows")
        unassigned = UNASSIGNED[ctx.lang]
        ctx.label(ws, f"{col(S.AGENT)}{r}", agent.agent or unassigned, style.COMPUTED)
        ctx.label(ws, f"{col(S.TEAM)}{r}", agent.group, style.COMPUTED)
        ctx.label(ws, f"{col(S.TICKETS)}{r}", agent.tickets, style.COMPUTED, style.INTEGER)
        ctx.label(ws, f"{col(S.ANSWERED)}{r}", agent.answered, style.COMPUTED, style.INTEGER)
        points: dict[str, float | None] = {}
        weights: dict[str, float] = {}
        num, den = [], []
        for i, target in enumerate(scored):
            kpi = index[target.key]
            e = effective_target(p, kpi, target, agent)
            value = agent.values.get(target.key)
            v, pc = f"{col(S.kpi_value(i))}{r}", f"{col(S.kpi_points(i))}{r}"
            ctx.label(ws, v, value, style.COMPUTED, unit_format(target, ctx.lang))
            pts = scoring.points(value, e.target, inc.mode, p.points_table())
            ctx.formula(ws, pc, _points_formula(ctx, v, e, kpi), "" if pts is None else pts, "0.0")
            points[target.key], weights[target.key] = pts, e.target.weight
            num.append(f"IF(ISNUMBER({pc}),{e.weight_ref}*{pc},0)")
            den.append(f"IF(ISNUMBER({pc}),{e.weight_ref},0)")
        if p.has_qa:
            goal = qa_target(p)
            qv, qp = f"{col(S.QA_VALUE)}{r}", f"{col(S.QA_POINTS)}{r}"
            value = agent.values.get("qa_score")
            ctx.label(ws, qv, value, style.COMPUTED, "0.00")
            pts = scoring.points(value, goal, inc.mode, p.points_table())
            ctx.formula(ws, qp, _qa_points_formula(ctx, qv), "" if pts is None else pts, "0.0")
            points["qa_score"], weights["qa_score"] = pts, goal.weight
            w = layout.qa_goal_cell("weight", ctx.lang)
            num.append(f"IF(ISNUMBER({qp}),{w}*{qp},0)")
            den.append(f"IF(ISNUMBER({qp}),{w},0)")
        score = scoring.weighted_score(points, weights)
        sc = f"{col(S.SCORE)}{r}"
        if agent.score_override is not None:
            # An approved appeal's score replaces the formula (the Adjusted column says so).
            score = agent.score_override
            ctx.label(ws, sc, score, style.COMPUTED, "0.00")
        else:
            ctx.formula(
                ws,
                sc,
                f'=IF(({"+".join(den)})=0,"",ROUND(({"+".join(num)})/({"+".join(den)}),2))',
                "" if score is None else score,
                "0.00",
            )
        red_line = agent.tick == yes or agent.verified > 0
        grade = scoring.grade(score, inc, red_line)
        rl = f"{col(S.RED_LINES)}{r}"
        tick = f"{col(S.RED_LINE_TICK)}{r}"
        band = f"MATCH({sc},csxl_GradeMins,1)"
        if agent.grade_override is not None:
            grade = agent.grade_override
            ctx.label(ws, f"{col(S.GRADE)}{r}", grade, style.COMPUTED)
        else:
            ctx.formula(
                ws,
                f"{col(S.GRADE)}{r}",
                f'=IF(ISNUMBER({sc}),INDEX(csxl_GradeNames,IF(OR({tick}="{yes}",{rl}>0),'
                f'MIN({band},MATCH({cap_grade},csxl_GradeNames,0)),{band})),"")',
                grade or "",
            )
        esc = f"{col(S.ESCALATED)}{r}"
        ctx.label(ws, esc, agent.escalated, style.COMPUTED, style.INTEGER)
        ded = f"{col(S.DEDUCTIONS)}{r}"
        ctx.formula(
            ws,
            ded,
            f"={esc}*{per_escalated}",
            (agent.escalated or 0) * inc.deduction_per_escalated,
            style.MONEY,
        )
        sh = _share(ctx, ws, r, agent)
        gr = f"{col(S.GRADE)}{r}"
        ctx.formula(
            ws,
            f"{col(S.BONUS)}{r}",
            f'=IF({gr}="",0,ROUND(MIN({base}*{cap}*{sh},MAX(0,{base}*INDEX(csxl_GradeCoefs,'
            f"MATCH({gr},csxl_GradeNames,0))*{sh}-{ded})),2))",
            scoring.bonus(grade, inc, agent.escalated or 0, share=agent.share(inc.proration)),
            style.MONEY,
        )
        ctx.label(ws, rl, agent.verified, style.COMPUTED, style.INTEGER)
        ctx.label(ws, f"{col(S.AWARD)}{r}", agent.award or None, style.COMPUTED)
        ctx.input(ws, tick, agent.tick)
        ctx.input(ws, f"{col(S.APPEAL)}{r}", agent.appeal)
        ctx.label(ws, f"{col(S.ADJUSTED)}{r}", agent.adjusted, style.COMPUTED)


def _share(ctx: Ctx, ws, r: int, agent: AgentRow) -> str:
    """The days columns (values) and the share formula of row `r`; its address.

    The share follows the rule on Incentives live for 不折算 (1); the days are counted by
    Refresh or Score under the rule, so switching between calendar and working days needs a
    Score (as every Incentives change does).
    """
    d, m, sh = (f"{col(c)}{r}" for c in (S.DAYS_IN_TEAM, S.DAYS_IN_MONTH, S.SHARE))
    days = agent.days
    ctx.label(ws, d, None if days is None else days.days, style.COMPUTED, style.INTEGER)
    ctx.label(ws, m, None if days is None else days.month, style.COMPUTED, style.INTEGER)
    rule = layout.incentive_rule_cell("proration", ctx.lang)
    none = proration_label(ctx.lang, "none")
    ctx.formula(
        ws,
        sh,
        f'=IF(AND({rule}<>"{none}",{m}>0),{d}/{m},1)',
        agent.share(ctx.inputs.incentives.proration),
        SHARE_FORMAT,
    )
    return sh


# ------------------------------------------------------------------ refresh
def _rect() -> tuple[int, int, int, int]:
    # The manager's two columns are included: they are rewritten with their agent's row
    # (same values), so that a tick stays with its agent when rows change.
    return (S.FIRST_ROW, S.AGENT, S.last_row(), S.LAST)


def write(book, ctx: Ctx) -> None:
    from csxl.workbook import owned

    owned.write(book, ctx, "Scores", [_rect()])


def shown(ctx: Ctx, p: PlanInputs) -> list[tuple[str, object, object, object]]:
    """(agent, weighted score, grade, bonus) as the sheet shows them, for the command's
    message."""
    ws = ctx.sheet("Scores")
    out = []
    for n, a in enumerate(p.agents):
        r = S.FIRST_ROW + n

        def cached(c: int, r: int = r) -> object:
            return ctx.cached.get((ws.title, f"{col(c)}{r}"))

        out.append((a.agent or "—", cached(S.SCORE), cached(S.GRADE), cached(S.BONUS)))
    return out


def refresh(m: Month) -> list[str]:
    """Each agent graded as the sheet's formulas grade them, for Trend and Team."""
    p = m.state.inputs
    m.graded = [_graded(p, a) for a in p.agents]
    return []


def _graded(p: PlanInputs, a: AgentRow) -> Graded:
    index = {t.key: i for i, t in enumerate(p.targets)}
    kpis = []
    for target in p.targets:
        value = a.values.get(target.key)
        if "agent" in target.scored_for and isinstance(value, int | float):
            e = effective_target(p, index[target.key], target, a).target
            points = scoring.points(value, e, p.incentives.mode, p.points_table())
            kpis.append((target.key, value, scoring.tier(value, e), points))
    score = score_of(p, a)
    red = a.tick == TICKS[p.lang][0] or a.verified > 0
    grade = None
    if score is not None:
        grade = a.grade_override or scoring.grade(score, p.incentives, red)
    return Graded(a.agent, tuple(kpis), score, grade, red)


# ------------------------------------------------------------------ read
# The agent row of tickets without one, read back in either language.
UNASSIGNED_ROW = frozenset(UNASSIGNED.values())


def read(book: Book, state: PlanState) -> None:
    """The Scores rows as they are: for re-scoring, and the manager's columns by agent."""
    rows = book.rows("Scores")
    sheet = layout.title("Scores", book.lang)
    scored = [t.key for t in state.inputs.targets if "agent" in t.scored_for]
    for r in range(S.FIRST_ROW, min(len(rows), S.last_row()) + 1):
        agent = cell(rows, r, S.AGENT)
        if agent is None:
            continue

        def value(c: int, r: int = r) -> float | None:
            where = Location(book.name, sheet, r, layout.col(c))
            raw = cell(rows, r, c)
            # csxl's own cells, rewritten as numbers by this very command: a number typed
            # over one as text is taken as the number it shows, and said.
            if numeric_text(raw) is not None:
                state.rewritten.append(_rewritten(book.name, where, raw))
                return numeric_text(raw)
            return number(rows, r, c, where)

        tick, appeal = cell(rows, r, S.RED_LINE_TICK), cell(rows, r, S.APPEAL)
        state.manager[str(agent)] = (tick, appeal)
        group = cell(rows, r, S.TEAM)
        state.agents.append(
            AgentRow(
                agent=None if agent in UNASSIGNED_ROW else str(agent),
                group=None if group is None else str(group),
                tickets=int(value(S.TICKETS) or 0),
                answered=int(value(S.ANSWERED) or 0),
                values={k: value(S.kpi_value(i)) for i, k in enumerate(scored)}
                | {"qa_score": value(S.QA_VALUE)},
                escalated=None if value(S.ESCALATED) is None else int(value(S.ESCALATED)),
                verified=int(value(S.RED_LINES) or 0),
                tick=None if tick is None else str(tick),
                appeal=None if appeal is None else str(appeal),
                award=str(cell(rows, r, S.AWARD) or ""),
                adjusted=_text_or_none(cell(rows, r, S.ADJUSTED)),
                days=_days(value(S.DAYS_IN_TEAM), value(S.DAYS_IN_MONTH)),
            )
        )


def _rewritten(file: str, where: Location, raw: object) -> str:
    shown = printable(str(raw))
    return tr(
        f"{file}, {address(where)}：文本“{shown}”按数字读取，并重新写成数字。",
        f"{file}, {address(where)}: the text {shown!r} was read as a number and written "
        "back as one.",
    )


def _days(days: float | None, month: float | None):
    """The days columns of a Scores row as written (None when blank: not pro-rated)."""
    from csxl.domain.identity import DaysInTeam

    if days is None or month is None:
        return None
    return DaysInTeam(int(days), int(month))


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


# ------------------------------------------------------------------ the month's rows
def agent_rows(state: PlanState, groups: list[dict], frame, manager) -> list[AgentRow]:
    p = state.inputs
    scored = [t.key for t in p.targets if "agent" in t.scored_for]
    extra = _per_agent_counts(frame)
    rows: dict[str | None, AgentRow] = {}
    for g in groups:
        if g["by"] != "agent":
            continue
        key = g["key"]
        counts = extra.get(key, {})
        shown = key if key is not None else UNASSIGNED[p.lang]
        tick, note = manager.get(shown, (None, None))
        rows[key] = AgentRow(
            agent=key,
            group=counts.get("group"),
            tickets=int(g["kpis"]["tickets"]),
            answered=int(counts.get("answered", 0)),
            values={k: g["kpis"].get(k) for k in scored},
            # No escalation column: unknown, shown blank (never a count of 0).
            escalated=int(counts.get("escalated", 0)) if "escalated" in frame else None,
            verified=int(counts.get("verified", 0)),
            tick=None if tick is None else str(tick),
            appeal=None if note is None else str(note),
        )
    # An agent without tickets this month keeps a row while the manager has an entry for
    # them: a tick or a note is never dropped.
    unassigned = UNASSIGNED[p.lang]
    for shown, (tick, note) in manager.items():
        key = None if shown == unassigned else shown
        if key not in rows and (tick is not None or note is not None):
            rows[key] = AgentRow(
                agent=key,
                group=None,
                tickets=0,
                answered=0,
                values={},
                tick=None if tick is None else str(tick),
                appeal=None if note is None else str(note),
            )
    # Agents keep the row order Scores had; new agents follow in code-point order, tickets
    # without an agent last. The manager's columns are written with their agent's row.
    order = [a.agent for a in state.agents if a.agent is not None and a.agent in rows]
    order += sorted((k for k in rows if k is not None and k not in order), key=str)
    order += [None] if None in rows else []
    return [rows[k] for k in order]


def _per_agent_counts(frame) -> dict[str | None, dict[str, object]]:
    """Answered surveys, escalations, verified escalations and the usual group per agent."""
    import pandas as pd

    if "agent" not in frame:
        return {}
    agent = frame["agent"]
    out: dict[str | None, dict[str, object]] = {}
    parts = {
        "answered": frame["csat_good"].notna() if "csat_good" in frame else None,
        "escalated": frame["escalated"].fillna(False).astype(bool)
        if "escalated" in frame
        else None,
        "verified": (
            frame["escalated_verified"].fillna(False).astype(bool)
            if "escalated_verified" in frame
            else None
        ),
    }
    for name, flags in parts.items():
        if flags is None:
            continue
        for key, n in flags.groupby(agent, dropna=False).sum().items():
            out.setdefault(None if pd.isna(key) else key, {})[name] = int(n)
    if "group" in frame:
        usual = (
            frame.dropna(subset=["group"])
            .groupby(agent, dropna=False)["group"]
            .agg(lambda s: s.value_counts().index[0])
        )
        for key, g in usual.items():
            out.setdefault(None if pd.isna(key) else key, {})["group"] = g
    return out


def with_awards(p: PlanInputs, month: str | None) -> list[AgentRow]:
    """Monthly awards from the same scores the Scores formulas compute."""
    import pandas as pd

    if not p.agents:
        return []
    named = [a for a in p.agents if a.agent is not None]
    table = pd.DataFrame(
        {
            "csat": [a.values.get("csat") for a in named],
            "weighted_score": [score_of(p, a) for a in named],
            "tickets": [a.tickets for a in named],
            "answered_surveys": [a.answered for a in named],
        },
        index=pd.Index([a.agent for a in named], dtype=object),
    )
    # Hire dates from the Team sheet: tenure decides 新锐标兵 (no date: not a new hire).
    hired = {m.agent: m.hired for m in p.team_inputs.members if m.agent and m.hired}
    table["hire_date"] = [hired.get(a.agent) for a in named]
    as_of = p.effective_as_of
    won = scoring.awards(table, p.incentives, as_of) if len(table) else {}
    names = dict(zip(scoring.AWARDS, _award_labels(p.lang), strict=True))
    by_agent: dict[str, list[str]] = {}
    for award, agent in won.items():
        if agent is not None:
            by_agent.setdefault(agent, []).append(names[award])
    return [
        AgentRow(**{**a.__dict__, "award": "、".join(by_agent.get(a.agent, []))}) for a in p.agents
    ]


def _award_labels(lang: str) -> tuple[str, ...]:
    return (
        ("服务明星", "岗位能手", "新锐标兵")
        if lang == "zh"
        else ("Service star", "Top performer", "Rising star")
    )


# ------------------------------------------------------------------ csxl export-agent-sheets
def scorecards(book, state, cards: list) -> None:
    """One card per agent row of the refreshed sheet (`csxl.workbook.scorecard.AgentCard`):
    the figures refresh read back and the cached results, targets as they apply to the agent."""
    from csxl.domain.scoring import TIER_LABELS, tier
    from csxl.workbook.cells import cell
    from csxl.workbook.scorecard import AgentCard, KpiLine, number, unit_format

    p = state.inputs
    if not state.shown_month:
        raise InputError(
            t(
                "计划还没有刷新：“考核”表是空的。",
                "the plan has not been refreshed yet: Scores is empty.",
            ),
            Location(book.name, layout.title("Scores", p.lang)),
            t(
                "请先把本月导出粘贴到“数据”表并运行 csxl refresh。",
                "Paste the month's export into Data and run `csxl refresh` first.",
            ),
        )
    rows = book.rows("Scores")
    scored = [(i, t) for i, t in enumerate(p.targets) if "agent" in t.scored_for]
    by_name = {a.agent: a for a in state.agents if a.agent is not None}
    for r in range(S.FIRST_ROW, min(len(rows), S.last_row()) + 1):
        name = cell(rows, r, S.AGENT)
        if name is None or str(name) not in by_name:  # the 未分配 row is read as no agent
            continue
        agent = by_name[str(name)]
        lines = []
        for j, (index, target) in enumerate(scored):
            effective = effective_target(p, index, target, agent).target
            value = agent.values.get(target.key)
            level = tier(value, effective)
            lines.append(
                KpiLine(
                    target.key,
                    CATALOG[target.key].label(p.lang),
                    unit_format(CATALOG[target.key].unit),
                    value,
                    effective.baseline,
                    effective.stretch,
                    effective.challenge,
                    effective.weight,
                    None if level is None else TIER_LABELS[p.lang][level],
                    number(cell(rows, r, S.kpi_points(j))),
                )
            )
        grade = cell(rows, r, S.GRADE)
        cards.append(
            AgentCard(
                agent=str(name),
                group=agent.group,
                tickets=agent.tickets,
                answered=agent.answered,
                kpis=lines,
                score=number(cell(rows, r, S.SCORE)),
                grade=None if grade is None else str(grade),
                bonus=number(cell(rows, r, S.BONUS)),
                escalated=agent.escalated,
                deductions=number(cell(rows, r, S.DEDUCTIONS)),
                red_lines=agent.verified,
                award=agent.award,
                appeal=agent.appeal,
                share=number(cell(rows, r, S.SHARE)),
                days=None if agent.days is None else (agent.days.days, agent.days.month),
            )
        )


def unscored(book_name: str, lang: str) -> InputError:
    """The refusal of `csxl score` before refresh has written any agent rows."""
    return InputError(
        tr("还没有客服。", "Scores has no agents yet."),
        Location(book_name, layout.title("Scores", lang)),
        tr("请先运行“刷新”（csxl refresh）。", "Run Refresh first."),
    )
