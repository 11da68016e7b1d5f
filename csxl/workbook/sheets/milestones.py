"""Milestones (里程碑): quarterly milestones and a weekly Gantt grid for the whole year.

The table (A..L) holds the manager's inputs (quarter, milestone, deliverable, acceptance
criteria, owner, start, end, % complete) and four formulas per row: elapsed share, status,
overdue and behind, the rules of `csxl.domain.plan`. Right of it, one column per week: the
header row holds the week start dates (Mondays, from csxl_Year) and the grid cells are
empty; conditional formatting paints them from the row's start, end and % complete and the
week in the header (planned bar, done share) and marks the week of the Settings as-of date
(csxl_AsOf, never TODAY()).

Gantt rules, in priority order and without stop-if-true, so that Excel paints the done or
planned fill and still draws the today week's border over a bar; LibreOffice applies only
the first rule that holds, so there the today colour shows outside the bars:

1. done: in the bar and ``week - start < ROUND(pct * (end - start + 1), 6)``
2. planned: in the bar, ``AND(start<>"",end<>"",week<=end,week+6>=start)``
3. today: ``AND(asof>=week,asof<week+7)``

(`plan.bar_state` and `plan.is_today_week` are the same rules in Python.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from csxl.domain import plan
from csxl.domain.plan import Milestone
from csxl.errors import InputError, Location, reason, t
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, loose_number, text, too_many_rows, typed_date
from csxl.workbook.layout import Milestones as M
from csxl.workbook.layout import col
from csxl.workbook.registers import HEADER_HEIGHT, fit_rows, owner_validation
from csxl.workbook.team_book import TeamBook

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
# What the overdue and behind columns show when the flag is up (blank otherwise).
FLAG_TEXT = {"zh": "是", "en": "Yes"}
# The Gantt's three colours: planned bar, done share, the as-of week.
PLANNED_FILL = "C9D6E3"
DONE_FILL = "5E9C76"
TODAY_FILL = "F8CBAD"
TODAY_LINE = "C55A11"
GRID_LINE = "E5E7EB"
# Month labels over the grid: the month whose 1st falls in the week.
MONTH_FORMAT = {"zh": 'm"月"', "en": "mmm"}
WEEK_FORMAT = "d"  # day of the month of the week's Monday
WEEK_WIDTH = 4.2


def milestone_rows(ctx: Ctx) -> Sequence[Milestone]:
    rows = ctx.inputs.milestones
    if rows is None:
        rows = plan.default_milestones(ctx.inputs.year, ctx.lang)  # type: ignore[arg-type]
    if len(rows) > M.ROWS:
        raise ValueError(f"the Milestones sheet has {M.ROWS} rows; the plan has {len(rows)}")
    return rows


def grid_weeks(year: int) -> list[date | None]:
    """The header row's week start dates, padded with None (blank) to M.WEEKS columns."""
    weeks: list[date | None] = list(plan.week_starts(year))
    if len(weeks) > M.WEEKS:
        raise ValueError(f"{year} has {len(weeks)} weeks; the grid has {M.WEEKS} columns")
    return weeks + [None] * (M.WEEKS - len(weeks))


def month_label(week: date | None, year: int) -> date | None:
    """The month row over a week: the 1st of the month that begins in the week, if any."""
    if week is None:
        return None
    end = date.fromordinal(week.toordinal() + 6)
    if end.day <= 7 and end.year == year:
        return date(year, end.month, 1)
    return None


def _blank(value: object) -> object:
    return "" if value is None else value


def gantt_rules(row: int = M.FIRST_ROW, column: int = M.GRID_FIRST) -> dict[str, str]:
    """The Gantt's conditional-format formulas, written for the grid's top-left cell."""
    w = f"{col(column)}${M.WEEK_ROW}"
    s, e, p = (f"${col(c)}{row}" for c in (M.START, M.END, M.PCT))
    in_bar = f'{s}<>"",{e}<>"",{w}<={e},{w}+6>={s}'
    digits = plan.COMPARE_DIGITS
    return {
        "done": f'IF({w}="",FALSE,AND({in_bar},{p}>0,{w}-{s}<ROUND({p}*({e}-{s}+1),{digits})))',
        "planned": f'IF({w}="",FALSE,AND({in_bar}))',
        "today": f'IF({w}="",FALSE,AND(csxl_AsOf>={w},csxl_AsOf<{w}+7))',
    }


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    p.milestones = read(old.rows(KEY), old.name, old.lang)
    n = len(p.milestones)
    return [(f"里程碑：{n} 行", f"Milestones: {n} rows")]


# ------------------------------------------------------------------ csxl consolidate
def summarise(rows: list[list[object]], team: TeamBook, file: str, lang: str) -> None:
    """The overdue milestones; the template's examples never started are left out (an
    example at 0% would show as overdue: noise)."""
    examples = real = 0
    for r in range(M.FIRST_ROW, table_end(rows) + 1):
        if cell(rows, r, M.NAME) is None:
            continue
        if _example(rows, r):
            examples += 1
            continue
        real += 1
        if cell(rows, r, M.OVERDUE) is not None:
            team.overdue.append(
                tuple(
                    cell(rows, r, c) for c in (M.QUARTER, M.NAME, M.OWNER, M.END, M.PCT, M.STATUS)
                )
            )
    team.milestones_example = examples > 0 and real == 0


def _example(rows: list[list[object]], r: int) -> bool:
    """A row of the template's examples, never started (0% or blank)."""
    from csxl.workbook.cells import number_or_none, same_text

    if number_or_none(cell(rows, r, M.PCT)) not in (None, 0.0):
        return False
    return any(
        same_text(cell(rows, r, M.NAME), m.milestone)
        and same_text(cell(rows, r, M.DELIVERABLE), m.deliverable)
        and same_text(cell(rows, r, M.OWNER), m.owner)
        for lang in ("zh", "en")
        for m in plan.DEFAULT_MILESTONES[lang]
    )


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Milestones")
    p = ctx.inputs
    lang, t = ctx.lang, ctx.t
    as_of = p.effective_as_of
    team = p.team or t("本团队", "this team")
    ctx.title(
        ws,
        t(f"{p.year} 季度里程碑 · {team}", f"{p.year} milestones · {team}"),
        t(
            "黄色为可填写的内容；时间进度、状态、逾期（过了结束日期且未完成）和落后（时间进度超过完成% 10 个百分点以上）"
            "按“设置”中的基准日期自动计算。右侧甘特图每列一周（周一开始）。",
            "Yellow cells are yours; elapsed share, status, overdue (past the end date and not "
            "100%) and behind (elapsed share more than 10 points ahead of % complete) follow "
            "the as-of date on Settings. The Gantt to the right has one column per week "
            "(Monday start).",
        ),
    )
    ws.merge_cells(f"A2:{col(M.BEHIND)}2")
    ws.row_dimensions[2].height = 30  # merged cells do not grow with their text
    ctx.header(
        ws,
        M.HEADER_ROW,
        1,
        [
            t("季度", "Quarter"),
            t("里程碑", "Milestone"),
            t("交付物", "Deliverable"),
            t("验收标准", "Acceptance criteria"),
            t("负责人", "Owner"),
            t("开始", "Start"),
            t("结束", "End"),
            t("完成%", "% complete"),
            t("时间进度", "Elapsed"),
            t("状态", "Status"),
            t("逾期", "Overdue"),
            t("落后", "Behind"),
        ],
    )
    widths = {
        "A": 7,
        "B": 22,
        "C": 36,
        "D": 36,
        "E": 11,
        "F": 11,
        "G": 11,
        "H": 8,
        "I": 8,
        "J": 9,
        "K": 9,
        "L": 9,
        col(M.GRID_FIRST - 1): 2,
    }
    widths |= {col(c): WEEK_WIDTH for c in range(M.GRID_FIRST, M.grid_last() + 1)}

    rows = milestone_rows(ctx)
    labels = plan.MILESTONE_STATUS_LABELS[lang]
    yes = FLAG_TEXT[lang]
    texts: dict[int, dict[int, str]] = {}
    for i in range(M.ROWS):
        r = M.FIRST_ROW + i
        m = rows[i] if i < len(rows) else None
        ctx.input(ws, f"{col(M.QUARTER)}{r}", QUARTERS[m.quarter - 1] if m else None)
        for c, attr in (
            (M.NAME, "milestone"),
            (M.DELIVERABLE, "deliverable"),
            (M.ACCEPTANCE, "acceptance"),
            (M.OWNER, "owner"),
        ):
            ctx.input(ws, f"{col(c)}{r}", (getattr(m, attr) or None) if m else None)
            ws[f"{col(c)}{r}"].alignment = Alignment(vertical="center", wrap_text=True)
        ctx.input(ws, f"{col(M.START)}{r}", m.start if m else None, style.DATE)
        ctx.input(ws, f"{col(M.END)}{r}", m.end if m else None, style.DATE)
        ctx.input(ws, f"{col(M.PCT)}{r}", m.pct_complete if m else None, "0%")
        if m:
            texts[r] = {
                M.NAME: m.milestone,
                M.DELIVERABLE: m.deliverable,
                M.ACCEPTANCE: m.acceptance,
            }
        start, end = (m.start, m.end) if m else (None, None)
        pct = m.pct_complete if m else None
        _computed(ctx, ws, r, start, end, pct, as_of, labels, yes)

    _validations(ctx, ws)
    _grid(ctx, ws, p.year)
    _flag_colours(ws, labels)
    fit_rows(ws, texts, widths)
    ws.row_dimensions[M.HEADER_ROW].height = HEADER_HEIGHT
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"{col(M.NAME + 1)}{M.FIRST_ROW}",
        header_rows=f"{M.MONTH_ROW}:{M.HEADER_ROW}",
    )


def _computed(ctx: Ctx, ws, r: int, start, end, pct, as_of: date, labels, yes: str) -> None:
    """Elapsed share, overdue, behind and status of one row (formula and cached value)."""
    s, e, p = (f"${col(c)}{r}" for c in (M.START, M.END, M.PCT))
    el, ov, be = (f"${col(c)}{r}" for c in (M.ELAPSED, M.OVERDUE, M.BEHIND))
    ctx.formula(
        ws,
        f"{col(M.ELAPSED)}{r}",
        f'=IF(OR({s}="",{e}=""),"",MAX(0,MIN(1,(csxl_AsOf-{s}+1)/({e}-{s}+1))))',
        _blank(plan.elapsed_share(start, end, as_of)),
        "0%",
    )
    ctx.formula(
        ws,
        f"{col(M.OVERDUE)}{r}",
        f'=IF({e}="","",IF(AND(csxl_AsOf>{e},{p}<1),"{yes}",""))',
        yes if plan.overdue(end, pct, as_of) else "",
    )
    digits, margin = plan.COMPARE_DIGITS, f"{plan.BEHIND_MARGIN:g}"
    ctx.formula(
        ws,
        f"{col(M.BEHIND)}{r}",
        f'=IF({el}="","",IF(ROUND({el}-{p},{digits})>{margin},"{yes}",""))',
        yes if plan.behind(start, end, pct, as_of) else "",
    )
    state = plan.status(start, end, pct, as_of)
    ctx.formula(
        ws,
        f"{col(M.STATUS)}{r}",
        f'=IF(OR({s}="",{e}=""),"",IF({p}>=1,"{labels["done"]}",IF({ov}<>"","{labels["overdue"]}",'
        f'IF({be}<>"","{labels["behind"]}",IF(AND(csxl_AsOf<{s},{p}=0),"{labels["not_started"]}",'
        f'"{labels["on_track"]}")))))',
        "" if state is None else labels[state],
    )
    for c in (M.ELAPSED, M.STATUS, M.OVERDUE, M.BEHIND):
        ws[f"{col(c)}{r}"].alignment = Alignment(horizontal="center", vertical="center")


def _validations(ctx: Ctx, ws) -> None:
    t = ctx.t
    first, last = M.FIRST_ROW, M.last_row()

    def area(c: int) -> str:
        return f"{col(c)}{first}:{col(c)}{last}"

    ctx.list_validation(ws, "quarter", QUARTERS).add(area(M.QUARTER))
    owner_validation(ctx, ws).add(area(M.OWNER))
    ctx.date_validation(ws, "start").add(area(M.START))
    ctx.validation(
        ws,
        "end",
        type="date",
        operator="greaterThanOrEqual",
        formula1=f"{col(M.START)}{first}",  # relative: the same row's start
        errorTitle=t("日期", "Date"),
        error=t(
            "请输入日期，且结束日期不能早于开始日期。",
            "Please enter a date on or after the start date.",
        ),
    ).add(area(M.END))
    ctx.validation(
        ws,
        "pct",
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        errorTitle=t("完成%", "% complete"),
        error=t("完成% 为 0% 到 100% 之间。", "% complete runs from 0% to 100%."),
    ).add(area(M.PCT))


def _grid(ctx: Ctx, ws, year: int) -> None:
    """Month labels, week start dates and the empty, conditionally formatted grid."""
    weeks = grid_weeks(year)
    first_col, last_col = M.GRID_FIRST, M.grid_last()
    for i, week in enumerate(weeks):
        c = first_col + i
        letter = col(c)
        header = f"{letter}{M.WEEK_ROW}"
        if i == 0:
            text = "=DATE(csxl_Year,1,1)-WEEKDAY(DATE(csxl_Year,1,1),2)+1"
        else:
            prev = f"{col(c - 1)}{M.WEEK_ROW}"
            text = f'=IF({prev}+7>DATE(csxl_Year,12,31),"",{prev}+7)'
        ctx.formula(ws, header, text, _blank(week), WEEK_FORMAT, cell_style=style.HEADER)
        w = f"{letter}${M.WEEK_ROW}"
        ctx.formula(
            ws,
            f"{letter}{M.MONTH_ROW}",
            f'=IF({w}="","",IF(AND(DAY({w}+6)<=7,YEAR({w}+6)=csxl_Year),'
            f'DATE(csxl_Year,MONTH({w}+6),1),""))',
            _blank(month_label(week, year)),
            MONTH_FORMAT[ctx.lang],
            cell_style=style.LABEL,
        )
        month = ws[f"{letter}{M.MONTH_ROW}"]
        month.font = Font(name=style.FONT, size=8, bold=True, color=style.INK)
        month.alignment = Alignment(horizontal="left", vertical="bottom", shrink_to_fit=True)
        ws[header].font = Font(name=style.FONT, size=8, bold=True, color="FFFFFF")
        ws[header].alignment = Alignment(horizontal="center", vertical="center")
    line = Side(style="thin", color=GRID_LINE)
    for r in range(M.FIRST_ROW, M.last_row() + 1):
        for c in range(first_col, last_col + 1):
            ws.cell(r, c).border = Border(left=line, right=line, top=line, bottom=line)
    _legend(ctx, ws)

    grid = f"{col(first_col)}{M.FIRST_ROW}:{col(last_col)}{M.last_row()}"
    rules = gantt_rules()
    today_side = Side(style="thin", color=TODAY_LINE)
    for kind, fill, border in (
        ("done", DONE_FILL, None),
        ("planned", PLANNED_FILL, None),
        ("today", TODAY_FILL, Border(left=today_side, right=today_side)),
    ):
        ws.conditional_formatting.add(
            grid,
            FormulaRule(
                formula=[rules[kind]],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                border=border,
            ),
        )
    # The as-of week's header cell too (the rule reads row WEEK_ROW in every row).
    header_row = f"{col(first_col)}{M.WEEK_ROW}:{col(last_col)}{M.WEEK_ROW}"
    ws.conditional_formatting.add(
        header_row,
        FormulaRule(
            formula=[rules["today"]],
            fill=PatternFill("solid", fgColor=TODAY_LINE, bgColor=TODAY_LINE),
            font=Font(color="FFFFFF", bold=True),
        ),
    )


def _legend(ctx: Ctx, ws) -> None:
    """Row 2 over the grid: a swatch and a word for each Gantt colour (static fills)."""
    t = ctx.t
    c = M.GRID_FIRST
    for fill, caption in (
        (PLANNED_FILL, t("计划", "Planned")),
        (DONE_FILL, t("已完成部分", "Done share")),
        (TODAY_FILL, t("基准日期所在周", "As-of week")),
    ):
        swatch = ws.cell(M.LEGEND_ROW, c)
        swatch.fill = PatternFill("solid", fgColor=fill)
        swatch.border = Border(
            left=Side(style="thin", color=TODAY_LINE if fill == TODAY_FILL else GRID_LINE),
            right=Side(style="thin", color=TODAY_LINE if fill == TODAY_FILL else GRID_LINE),
        )
        label = ws.cell(M.LEGEND_ROW, c + 1, caption)
        label.font = Font(name=style.FONT, size=9, color=style.MUTED)
        label.alignment = Alignment(vertical="center")
        c += 6


def _flag_colours(ws, labels) -> None:
    """Overdue red, behind amber (the flag columns and the status); done green."""
    first, last = M.FIRST_ROW, M.last_row()
    red, amber, green = (
        (
            PatternFill("solid", fgColor=style.FLAG_FILLS[i], bgColor=style.FLAG_FILLS[i]),
            Font(color=style.FLAG_FONTS[i], bold=True),
        )
        for i in (0, 1, 2)
    )

    def add(c: int, rules: Iterable[tuple[str, tuple[PatternFill, Font]]]) -> None:
        for formula, (fill, font) in rules:
            ws.conditional_formatting.add(
                f"{col(c)}{first}:{col(c)}{last}",
                FormulaRule(formula=[formula], fill=fill, font=font, stopIfTrue=True),
            )

    add(M.OVERDUE, [(f'${col(M.OVERDUE)}{first}<>""', red)])
    add(M.BEHIND, [(f'${col(M.BEHIND)}{first}<>""', amber)])
    j = f"${col(M.STATUS)}{first}"
    add(
        M.STATUS,
        [
            (f'{j}="{labels["overdue"]}"', red),
            (f'{j}="{labels["behind"]}"', amber),
            (f'{j}="{labels["done"]}"', green),
        ],
    )


# ------------------------------------------------------------------ reading it back
KEY = "Milestones"


def table_end(rows: list[list[object]]) -> int:
    """The table's last row: to the sheet's end (nothing is below it, and a manager may grow
    it by inserting rows inside it); never less than the template's last row."""
    return max(M.last_row(), len(rows))


def read(rows: list[list[object]], book: str, lang: str) -> list:
    """The filled Milestones rows, in order (blank rows between them are closed up)."""
    from csxl.domain.plan import Milestone

    sheet = layout.title("Milestones", lang)
    out = []
    # By content to the table's end: a row inserted inside it pushes its last rows down.
    for r in range(M.FIRST_ROW, table_end(rows) + 1):
        values = [cell(rows, r, c) for c in range(M.QUARTER, M.PCT + 1)]
        if all(v is None for v in values):
            continue
        if len(out) == M.ROWS:
            raise too_many_rows(KEY, book, lang, r, M.ROWS)
        where = lambda c, r=r: Location(book, sheet, r, layout.col(c))  # noqa: E731
        quarter = text(values[0]).upper().lstrip("Q")
        try:
            out.append(
                Milestone(
                    quarter=int(quarter) if quarter.isdigit() else 0,
                    milestone=text(values[1]),
                    deliverable=text(values[2]),
                    acceptance=text(values[3]),
                    owner=text(values[4]),
                    start=typed_date(values[5], where(M.START)),
                    end=typed_date(values[6], where(M.END)),
                    pct_complete=loose_number(values[7], where(M.PCT)) or 0.0,
                )
            )
        except ValueError as exc:
            raise InputError(
                t(f"这个里程碑无法使用：{reason(exc)}。", f"this milestone is not usable: {exc}."),
                where(M.QUARTER),
                t("请改正这一行。", "Correct the row."),
            ) from None
    return out


# The overdue milestones' part of the department summary (`csxl consolidate`): its title
# and the headings of the team column and of the columns `summarise` takes.
SUMMARY_TEXT = {
    "zh": {
        "overdue": "逾期里程碑",
        "m_head": ("团队", "季度", "里程碑", "负责人", "结束日期", "完成%", "状态"),
    },
    "en": {
        "overdue": "Overdue milestones",
        "m_head": ("Team", "Quarter", "Milestone", "Owner", "End", "% complete", "Status"),
    },
}


def summary_text(lang: str) -> dict[str, object]:
    return SUMMARY_TEXT[lang]
