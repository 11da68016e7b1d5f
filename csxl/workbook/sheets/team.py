"""Team (团队): the agents, their level, hire date and training; the promotion rule; the
quarterly knowledge-base figures.

The manager types (yellow): per agent the group, level 初级/中级/高级 (a list), hire date,
training hours planned and done per quarter, and the weekly half-day trainings held and
attended; the promotion rule (months, at least N, grade, whether a red line blocks; default
3, 2, A, 是); the knowledge-base targets (coverage 90%, updated this quarter 20%) and each
quarter's figures. Formulas: training completion (done / planned hours of the year),
attendance, the new-hire mark that the 新锐标兵 award uses (hired after EDATE(as-of, -N),
N on Incentives), and the knowledge-base flags. Refresh writes the month it evaluated, each
listed agent's months at the rule's grade or better, and the promotion flag
(`csxl.domain.people.promotion_ready`, from the grades in Trend).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from csxl.domain import people, scoring
from csxl.domain.people import Member, TeamInputs
from csxl.errors import InputError, Location
from csxl.errors import t as t_
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, PlanInputs, RosterTeam, setup_sheet
from csxl.workbook.cells import cell, day, number
from csxl.workbook.layout import Team as T
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState

YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}
FLAGS = {"zh": ("达标", "未达标"), "en": ("Met", "Missed")}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def _sum(values) -> float:
    return sum(v for v in values if isinstance(v, int | float))


def completion(m: Member) -> object:
    """As the formula computes it: done / planned hours of the year, blank without a plan."""
    planned = _sum(m.planned)
    if planned <= 0:
        return ""
    return people.training_completion(planned, _sum(m.done))


def attendance(m: Member) -> object:
    if not isinstance(m.held, int | float) or m.held <= 0:
        return ""
    return min(max(m.attended or 0.0, 0.0), m.held) / m.held


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    n = sum(1 for m in p.team_inputs.members if m.agent)
    return [
        (
            f"团队：{n} 名成员、晋升规则与知识库指标",
            f"Team: {n} members, the promotion rule and the knowledge base",
        )
    ]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Team")
    p, t, lang = ctx.inputs, ctx.t, ctx.lang
    team: TeamInputs = p.team_inputs
    yes, no = YES_NO[lang]
    met, missed = FLAGS[lang]
    ctx.title(
        ws,
        t("团队与人才梯队", "Team and talent tiers"),
        t(
            "黄色为可填写的内容：成员、小组、职级、入职日期、培训学时与出勤、晋升规则和知识库指标。"
            "完成率、出勤率和新人标记由公式计算；晋升资格由刷新按趋势表中最近几个月的等级判定。",
            "Yellow cells are yours: members, group, level, hire date, training hours and "
            "attendance, the promotion rule and the knowledge-base figures. Completion, "
            "attendance and the new-hire mark are formulas; Refresh judges promotion "
            "readiness from the last months' grades in Trend.",
        ),
    )
    ws.merge_cells(f"A2:{col(T.LAST)}2")
    ws.row_dimensions[2].height = 30
    # The promotion rule.
    ctx.label(ws, f"A{T.RULE_TITLE_ROW}", t("晋升规则", "Promotion rule"), style.HEADER)
    ctx.label(ws, f"B{T.RULE_TITLE_ROW}", None, style.HEADER)
    rule = team.rule
    grades = (*(g for g, _ in p.incentives.grade_bands), p.incentives.lowest_grade)
    whole = ctx.validation(
        ws, "months", type="whole", operator="between", formula1="1", formula2="12"
    )
    rows = (
        (T.ROW_MONTHS, t("最近几个月", "Last months"), rule.months, whole),
        (T.ROW_AT_LEAST, t("至少几个月达到", "At least this many months at"), rule.at_least, whole),
        (
            T.ROW_GRADE,
            t("……该等级或更好", "... this grade or better"),
            rule.grade,
            ctx.list_validation(ws, "grade", grades),
        ),
        (
            T.ROW_RED_LINE,
            t("触碰红线则不可晋升", "A red line blocks"),
            yes if rule.red_line_blocks else no,
            ctx.list_validation(ws, "yes_no", (yes, no)),
        ),
    )
    for r, label, value, validation in rows:
        ctx.label(ws, f"A{r}", label)
        ctx.input(ws, f"B{r}", value, "0", validation=validation)
    ctx.label(ws, f"A{T.ROW_EVALUATED}", t("评估月份（刷新）", "Evaluated month (Refresh)"))
    ctx.label(ws, f"B{T.ROW_EVALUATED}", team.evaluated, style.COMPUTED)
    # The knowledge base, right of the rule.
    ctx.header(
        ws,
        T.KB_HEADER_ROW,
        T.KB_QUARTER,
        [
            t("知识库", "Knowledge base"),
            t("话术库覆盖率", "Script coverage"),
            t("标记", "Flag"),
            t("本季更新占比", "Updated this quarter"),
            t("标记", "Flag"),
        ],
    )
    ctx.label(ws, f"{col(T.KB_QUARTER)}{T.KB_TARGET_ROW}", t("目标", "Target"))
    share = ctx.validation(
        ws, "share", type="decimal", operator="between", formula1="0", formula2="1"
    )
    for c, value in zip((T.KB_COVERAGE, T.KB_UPDATED), team.kb_targets, strict=True):
        ctx.input(ws, f"{col(c)}{T.KB_TARGET_ROW}", value, style.PERCENT, validation=share)
    for c in (T.KB_COVERAGE_FLAG, T.KB_UPDATED_FLAG):
        ctx.label(ws, f"{col(c)}{T.KB_TARGET_ROW}", None, style.COMPUTED)
    for q, (coverage, updated) in enumerate(team.kb):
        r = T.KB_FIRST_ROW + q
        ctx.label(ws, f"{col(T.KB_QUARTER)}{r}", QUARTERS[q])
        for c, flag_c, value, target in (
            (T.KB_COVERAGE, T.KB_COVERAGE_FLAG, coverage, team.kb_targets[0]),
            (T.KB_UPDATED, T.KB_UPDATED_FLAG, updated, team.kb_targets[1]),
        ):
            ctx.input(ws, f"{col(c)}{r}", value, style.PERCENT, validation=share)
            v, goal = f"{col(c)}{r}", f"{col(c)}${T.KB_TARGET_ROW}"
            ok = people.meets(value, target) if isinstance(target, int | float) else None
            ctx.formula(
                ws,
                f"{col(flag_c)}{r}",
                f'=IF(AND(ISNUMBER({v}),ISNUMBER({goal})),IF({v}>={goal},"{met}","{missed}"),"")',
                "" if ok is None else (met if ok else missed),
            )
    # The agents.
    headers = {
        T.AGENT: t("客服", "Agent"),
        T.GROUP: t("小组", "Group"),
        T.LEVEL: t("职级", "Level"),
        T.HIRED: t("入职日期", "Hire date"),
        T.HELD: t("周培训场次", "Trainings held"),
        T.ATTENDED: t("出勤场次", "Attended"),
        T.COMPLETION: t("培训完成率", "Training done"),
        T.ATTENDANCE: t("出勤率", "Attendance"),
        T.NEW_HIRE: t("新人（新锐标兵）", "New hire (Rising star)"),
        T.GOOD_MONTHS: t("达标月数", "Months at grade"),
        T.READY: t("可晋升", "Promotion ready"),
    }
    for q in range(4):
        headers[T.PLANNED_FIRST + q] = t(f"计划学时 {QUARTERS[q]}", f"Planned h {QUARTERS[q]}")
        headers[T.DONE_FIRST + q] = t(f"完成学时 {QUARTERS[q]}", f"Done h {QUARTERS[q]}")
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{T.HEADER_ROW}", text, style.HEADER)
    ws.row_dimensions[T.HEADER_ROW].height = 30
    levels = ctx.list_validation(ws, "level", people.LEVELS[lang])
    hours = ctx.validation(ws, "hours", type="decimal", operator="greaterThanOrEqual", formula1="0")
    dates = ctx.validation(ws, "date", type="date", operator="greaterThan", formula1="36526")
    as_of = p.effective_as_of
    months = p.incentives.new_hire_months
    new_hire_months = layout.incentive_rule_cell("new_hire_months", lang)
    members = team.members
    for i in range(T.ROWS):
        r = T.FIRST_ROW + i
        m = members[i] if i < len(members) else Member()
        ctx.input(ws, f"{col(T.AGENT)}{r}", m.agent)
        ctx.input(ws, f"{col(T.GROUP)}{r}", m.group)
        ctx.input(ws, f"{col(T.LEVEL)}{r}", m.level, validation=levels)
        ctx.input(ws, f"{col(T.HIRED)}{r}", m.hired, style.DATE, validation=dates)
        for q in range(4):
            ctx.input(ws, f"{col(T.PLANNED_FIRST + q)}{r}", m.planned[q], "0.0", validation=hours)
            ctx.input(ws, f"{col(T.DONE_FIRST + q)}{r}", m.done[q], "0.0", validation=hours)
        ctx.input(ws, f"{col(T.HELD)}{r}", m.held, style.INTEGER, validation=hours)
        ctx.input(ws, f"{col(T.ATTENDED)}{r}", m.attended, style.INTEGER, validation=hours)
        planned = f"{col(T.PLANNED_FIRST)}{r}:{col(T.PLANNED_FIRST + 3)}{r}"
        done = f"{col(T.DONE_FIRST)}{r}:{col(T.DONE_FIRST + 3)}{r}"
        ctx.formula(
            ws,
            f"{col(T.COMPLETION)}{r}",
            f'=IF(SUM({planned})>0,MAX(SUM({done}),0)/SUM({planned}),"")',
            completion(m),
            style.PERCENT,
        )
        held, attended = f"{col(T.HELD)}{r}", f"{col(T.ATTENDED)}{r}"
        ctx.formula(
            ws,
            f"{col(T.ATTENDANCE)}{r}",
            f'=IF(AND(ISNUMBER({held}),{held}>0),MIN(MAX({attended},0),{held})/{held},"")',
            attendance(m),
            style.PERCENT,
        )
        hired = f"{col(T.HIRED)}{r}"
        new = scoring.is_new_hire(m.hired, as_of, months) if m.hired else None
        ctx.formula(
            ws,
            f"{col(T.NEW_HIRE)}{r}",
            f'=IF(ISNUMBER({hired}),IF({hired}>EDATE(csxl_AsOf,-{new_hire_months}),"{yes}","{no}"),"")',
            "" if new is None else (yes if new else no),
        )
        ctx.label(ws, f"{col(T.GOOD_MONTHS)}{r}", m.good_months, style.COMPUTED, style.INTEGER)
        shown = None if m.ready is None else (yes if m.ready else no)
        ctx.label(ws, f"{col(T.READY)}{r}", shown, style.COMPUTED)
    widths = {"A": 22, "B": 12, "C": 10, "D": 14}
    for c in range(T.PLANNED_FIRST, T.ATTENDED + 1):
        widths[col(c)] = 12
    for c in range(T.COMPLETION, T.READY + 1):
        widths[col(c)] = 12
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"B{T.FIRST_ROW}",
        header_rows=f"{T.HEADER_ROW}:{T.HEADER_ROW}",
    )


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The Team sheet: members, the promotion rule and the knowledge-base figures."""
    from csxl.domain.people import PromotionRule

    inputs = state.inputs
    rows = book.rows("Team")
    sheet = layout.title("Team", book.lang)
    where = lambda r, c: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
    value = lambda r, c: number(rows, r, c, where(r, c))  # noqa: E731
    default = PromotionRule()
    months = value(T.ROW_MONTHS, T.VALUE_COL)
    at_least = value(T.ROW_AT_LEAST, T.VALUE_COL)
    grade = cell(rows, T.ROW_GRADE, T.VALUE_COL)
    grades = (*(g for g, _ in inputs.incentives.grade_bands), inputs.incentives.lowest_grade)
    if grade is not None and str(grade).strip() not in grades:
        raise InputError(
            f"{grade!r} is not one of {' / '.join(grades)}.",
            where(T.ROW_GRADE, T.VALUE_COL),
            "Pick it from the list.",
        )
    red = cell(rows, T.ROW_RED_LINE, T.VALUE_COL)
    yes = {YES_NO["zh"][0], YES_NO["en"][0]}
    no = {YES_NO["zh"][1], YES_NO["en"][1]}
    if red is not None and red not in yes | no:
        raise InputError(
            f"{red!r} is not one of {' / '.join(YES_NO[book.lang])}.",
            where(T.ROW_RED_LINE, T.VALUE_COL),
            "Pick it from the list.",
        )
    try:
        rule = PromotionRule(
            int(months) if months is not None else default.months,
            int(at_least) if at_least is not None else default.at_least,
            str(grade).strip() if grade is not None else default.grade,
            default.red_line_blocks if red is None else red in yes,
        )
    except ValueError:
        raise InputError(
            t_("规则需要 1 ≤ 至少 ≤ 月数。", "the rule needs 1 <= at least <= months."),
            where(T.ROW_AT_LEAST, T.VALUE_COL),
            t_("请改正这两个数。", "Fix the two numbers."),
        ) from None
    kb_targets = tuple(value(T.KB_TARGET_ROW, c) for c in (T.KB_COVERAGE, T.KB_UPDATED))
    kb = tuple(
        (value(T.KB_FIRST_ROW + q, T.KB_COVERAGE), value(T.KB_FIRST_ROW + q, T.KB_UPDATED))
        for q in range(4)
    )
    members = []
    for r in range(T.FIRST_ROW, T.last_row() + 1):
        text = lambda c, r=r: (  # noqa: E731
            None if cell(rows, r, c) is None else str(cell(rows, r, c)).strip() or None
        )
        try:
            hired = day(cell(rows, r, T.HIRED))
        except ValueError:
            raise InputError(
                t_("不是日期。", "not a date."),
                where(r, T.HIRED),
                t_("请输入日期，如 2026-04-01。", "Type a date such as 2026-04-01."),
            ) from None
        good = cell(rows, r, T.GOOD_MONTHS)
        ready = cell(rows, r, T.READY)
        members.append(
            Member(
                text(T.AGENT),
                text(T.GROUP),
                text(T.LEVEL),
                hired,
                tuple(value(r, T.PLANNED_FIRST + q) for q in range(4)),
                tuple(value(r, T.DONE_FIRST + q) for q in range(4)),
                value(r, T.HELD),
                value(r, T.ATTENDED),
                int(good) if isinstance(good, int | float) else None,
                None if ready is None else ready in yes,
            )
        )
    while members and members[-1].is_blank():
        members.pop()
    evaluated = cell(rows, T.ROW_EVALUATED, T.VALUE_COL)
    inputs.team_inputs = TeamInputs(
        tuple(members),
        rule,
        kb_targets,  # type: ignore[arg-type]
        kb,
        None if evaluated is None else str(evaluated),
    )


def write(book: Book, ctx: Ctx) -> None:
    """The Team sheet's owned cells: the evaluated month, months at grade and the promotion
    flag per row, and the cached values of its formulas; never the manager's columns."""
    owned.write(
        book,
        ctx,
        "Team",
        [
            (T.ROW_EVALUATED, T.VALUE_COL, T.ROW_EVALUATED, T.VALUE_COL),
            (T.FIRST_ROW, T.GOOD_MONTHS, T.last_row(), T.READY),
        ],
    )
    owned.write_formulas(book, ctx, "Team")


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (((T.AGENT, T.ATTENDED), T.last_row(), None),)


def roster_cells(
    members: Sequence[Member], lang: str, today: date, formulas: Mapping[str, str]
) -> dict[tuple[int, int], object]:
    """The agent rows of a plan built with no members, filled with `members` (agent, group,
    hire date) as `build` writes them: the inputs, and the new-hire mark the row's formula
    (`formulas`: address -> formula text of the built sheet) caches for `today` with the
    default incentives (`csxl batch` patches these cells into its template)."""
    from csxl.workbook.sheetxml import Formula

    if len(members) > T.ROWS:
        raise ValueError(
            t_(
                f"客服超过 {T.ROWS} 人：本表只有 {T.ROWS} 行",
                f"more than {T.ROWS} agents: the sheet has {T.ROWS} rows",
            )
        )
    yes, no = YES_NO[lang]
    cells: dict[tuple[int, int], object] = {}
    for i, m in enumerate(members):
        r = T.FIRST_ROW + i
        cells[(r, T.AGENT)] = m.agent
        cells[(r, T.GROUP)] = m.group
        cells[(r, T.HIRED)] = m.hired
        if m.hired is not None:
            new = scoring.is_new_hire(m.hired, today, scoring.DEFAULT_INCENTIVES.new_hire_months)
            cells[(r, T.NEW_HIRE)] = Formula(formulas[f"{col(T.NEW_HIRE)}{r}"], yes if new else no)
    return cells


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    """Each member's months at the rule's grade or better in the rule's window, and the
    promotion flag (`people.promotion_ready`), from the agents' grades by month and their
    red lines (Trend's history, this month's included)."""
    from dataclasses import replace

    import pandas as pd

    p, month = m.state.inputs, m.month
    team = p.team_inputs
    grades_seen = list(m.grades)
    for agent, when in sorted(m.red_lines):  # a red line in a month without a grade counts
        if not any(g[0] == agent and g[1] == when for g in grades_seen):
            grades_seen.insert(0, (agent, when, None))
    history = pd.DataFrame(grades_seen, columns=["agent", "month", "grade"])
    history["red_lines"] = [
        int((a, w) in m.red_lines) for a, w in zip(history["agent"], history["month"], strict=True)
    ]
    grades = (*(g for g, _ in p.incentives.grade_bands), p.incentives.lowest_grade)
    rule = team.rule
    ready = people.promotion_ready(history, month, rule, grades) if len(history) else {}
    good = set(grades[: grades.index(rule.grade) + 1])
    window = people.months_back(month, rule.months)
    recent = history[history["month"].isin(window) & history["grade"].notna()]
    recent = recent.drop_duplicates(["agent", "month"], keep="last")
    counts = recent[recent["grade"].isin(good)].groupby("agent").size().to_dict()
    members = tuple(
        replace(m_, good_months=int(counts.get(m_.agent, 0)), ready=ready.get(m_.agent, False))
        if m_.agent
        else replace(m_, good_months=None, ready=None)
        for m_ in team.members
    )
    p.team_inputs = replace(team, members=members, evaluated=month)
    return []


def roster(p: PlanInputs, team: RosterTeam) -> None:
    """The roster's agents (agent, group, hire date), as many as the sheet has rows for."""
    from dataclasses import replace

    members = tuple(Member(a.name, a.group, hired=a.hire_date) for a in team.agents[: T.ROWS])
    p.team_inputs = replace(p.team_inputs, members=members)


def team_cells(p: PlanInputs, formulas: Callable[[], Mapping[str, str]]) -> dict:
    """`roster_cells` for the plan's members (`csxl batch`)."""
    members = p.team_inputs.members
    return roster_cells(members, p.lang, p.today, formulas()) if members else {}
