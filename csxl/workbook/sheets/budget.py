"""Budget (预算): plan and actual per category and month, variance, year to date, forecast.

One row per category (the defaults, then spare rows the manager may name), and a totals
row. Left, next to the category, the year-to-date summary: full-year plan, YTD plan, YTD
actual, YTD variance and variance %, full-year forecast and the flag (超支/预警/正常, over
plan by more than 5% red). Right of it four month blocks under a header row of month
dates (``DATE(csxl_Year,m,1)``, shown as 1月 / Jan): plan and actual (inputs), variance
and variance % (formulas, coloured by the month's flag). B3 holds the month the year to
date runs through, from the Settings as-of date. Every rule is `csxl.domain.plan`'s, and
the totals row goes through the same formulas (``summarize(total_line(...))``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl.chart import BarChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from csxl.domain import plan
from csxl.domain.plan import BudgetLine, BudgetSummary
from csxl.errors import Location
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, loose_number, text, too_many_rows
from csxl.workbook.layout import Budget as B
from csxl.workbook.layout import col
from csxl.workbook.registers import HEADER_HEIGHT
from csxl.workbook.team_book import TeamBook

MONTH_FORMAT = {"zh": 'm"月"', "en": "mmm"}
THROUGH_FORMAT = {"zh": '0"月"', "en": "0"}
FLAG_KEYS = ("red", "amber", "green")  # the order of style.FLAG_FILLS


def budget_lines(ctx: Ctx) -> Sequence[BudgetLine]:
    lines = ctx.inputs.budget
    if lines is None:
        lines = plan.default_budget(ctx.lang)  # type: ignore[arg-type]
    if len(lines) > B.CATEGORY_ROWS:
        raise ValueError(
            f"the Budget sheet has {B.CATEGORY_ROWS} category rows; the plan has {len(lines)}"
        )
    return lines


def _blank(value: object) -> object:
    return "" if value is None else value


def _a(c: int, r: int) -> str:
    """A cell with its column fixed: $B5."""
    return f"${col(c)}{r}"


def _months(first: int, r: int) -> str:
    return f"${col(first)}{r}:${col(first + B.MONTHS - 1)}{r}"


def _month_row(first: int) -> str:
    return f"${col(first)}${B.HEADER_ROW}:${col(first + B.MONTHS - 1)}${B.HEADER_ROW}"


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    p.budget = read(old.rows(KEY), old.name, old.lang)
    n = len(p.budget)
    return [(f"预算：{n} 个科目行", f"Budget: {n} category rows")]


# ------------------------------------------------------------------ csxl consolidate
SUMMARY_COLUMNS = (
    B.CATEGORY,
    B.YEAR_PLAN,
    B.YTD_PLAN,
    B.YTD_ACTUAL,
    B.YTD_VARIANCE,
    B.YTD_VARIANCE_PCT,
    B.FLAG,
)


def summarise(rows: list[list[object]], team: TeamBook, file: str, lang: str) -> None:
    """The team's own budget lines and their total; the template's example lines (no actual
    booked) are never summed, and a budget of examples only is shown as 未填写."""
    # By content: a row a manager inserted moves the rows below it and the total row.
    examples = 0
    for r in range(B.FIRST_ROW, table_end(rows) + 1):
        if cell(rows, r, B.CATEGORY) is None:
            continue
        if _example_line(rows, r):
            examples += 1
        else:
            team.budget.append(tuple(cell(rows, r, c) for c in SUMMARY_COLUMNS))
    total = total_row(rows)
    if examples == 0:
        team.budget_total = tuple(cell(rows, total, c) for c in SUMMARY_COLUMNS)
    elif team.budget:
        team.budget_total = _own_total(team.budget, cell(rows, total, B.CATEGORY))
    else:
        team.budget_example = True


def _example_line(rows: list[list[object]], r: int) -> bool:
    """One of the template's example lines, with no actual booked."""
    from csxl.workbook.cells import number_or_none, same_text

    if any(cell(rows, r, B.ACTUAL_FIRST + m) is not None for m in range(B.MONTHS)):
        return False
    months = tuple(number_or_none(cell(rows, r, B.PLAN_FIRST + m)) for m in range(B.MONTHS))
    return any(
        same_text(cell(rows, r, B.CATEGORY), line.category)
        and months == tuple(float(v) for v in line.plan)
        for lang in ("zh", "en")
        for line in plan.default_budget(lang)  # type: ignore[arg-type]
    )


def _own_total(lines: list[tuple[object, ...]], label: object) -> tuple[object, ...]:
    """The total of the team's own lines (the sheet's total row counts the examples)."""
    from csxl.workbook.cells import number_or_none
    from csxl.workbook.team_book import sum_numbers

    year, ytd_plan = sum_numbers(x[1] for x in lines), sum_numbers(x[2] for x in lines)
    booked = [x[3] for x in lines if number_or_none(x[3]) is not None]
    if not booked:
        return (label, year, ytd_plan, None, None, None, None)
    actual = sum_numbers(booked)
    return (
        label,
        year,
        ytd_plan,
        actual,
        actual - ytd_plan,
        (actual - ytd_plan) / ytd_plan if ytd_plan else None,
        None,
    )


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Budget")
    p = ctx.inputs
    lang, t = ctx.lang, ctx.t
    team = p.team or t("本团队", "this team")
    through = plan.through_month(p.year, p.effective_as_of)
    ctx.title(
        ws,
        t(f"{p.year} 预算 · {team}（元）", f"{p.year} budget · {team} (CNY)"),
        t(
            "黄色为可填写的类别、每月计划与实际；实际留空表示该月尚未入账。超支：实际超过计划 5% 以上（红）；"
            "预警：超过计划但不到 5%（琥珀）；正常：不超过计划（绿）。",
            "Yellow cells are yours: categories, monthly plan and actual; a blank actual means "
            "the month is not booked yet. Over: actual more than 5% above plan (red); Watch: "
            "above plan by up to 5% (amber); On plan: at or under plan (green).",
        ),
    )
    ws.merge_cells(f"A2:{col(B.FLAG)}2")
    ws.row_dimensions[2].height = 44  # merged cells do not grow with their text
    _through(ctx, ws, p.year, through)
    _headers(ctx, ws, p.year)

    lines = list(budget_lines(ctx))
    for i in range(B.CATEGORY_ROWS):
        r = B.FIRST_ROW + i
        line = lines[i] if i < len(lines) else BudgetLine("", (None,) * B.MONTHS)
        ctx.input(ws, f"{col(B.CATEGORY)}{r}", line.category or None)
        for m in range(B.MONTHS):
            ctx.input(ws, f"{col(B.PLAN_FIRST + m)}{r}", line.plan[m], style.MONEY)
            ctx.input(ws, f"{col(B.ACTUAL_FIRST + m)}{r}", line.actual[m], style.MONEY)
        _row(ctx, ws, r, plan.summarize(line, through))

    total = plan.total_line(lines, plan.TOTAL_LABELS[lang])
    _totals(ctx, ws, total)
    _row(ctx, ws, B.TOTAL_ROW, plan.summarize(total, through))
    for c in range(1, B.last_col() + 1):
        cell = ws.cell(B.TOTAL_ROW, c)
        if cell.value is not None:
            cell.font = Font(name=style.FONT, size=10, bold=True, color=style.INK)
            cell.border = Border(
                left=style.THIN,
                right=style.THIN,
                top=Side(style="medium", color=style.INK),
                bottom=style.THIN,
            )

    money = ctx.validation(
        ws,
        "money",
        type="decimal",
        operator="between",
        formula1="-1000000000",
        formula2="1000000000",
        errorTitle=t("金额", "Amount"),
        error=t("请输入金额（数字）。", "Please enter an amount (a number)."),
    )
    for first in (B.PLAN_FIRST, B.ACTUAL_FIRST):
        money.add(f"{col(first)}{B.FIRST_ROW}:{col(first + B.MONTHS - 1)}{B.last_row()}")
    _flag_colours(ctx, ws)
    ws.add_chart(_chart(ctx, ws.title), B.CHART_ANCHOR)

    widths = {"A": 16, "H": 8}
    widths |= {col(c): 12 for c in range(B.YEAR_PLAN, B.FORECAST + 1)}
    for first, width in (
        (B.PLAN_FIRST, 10),
        (B.ACTUAL_FIRST, 10),
        (B.VARIANCE_FIRST, 10),
        (B.VARIANCE_PCT_FIRST, 8),
    ):
        widths[col(first - 1)] = 2
        widths |= {col(first + m): width for m in range(B.MONTHS)}
    ws.row_dimensions[B.HEADER_ROW].height = HEADER_HEIGHT
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"{col(B.CATEGORY + 1)}{B.FIRST_ROW}",
        header_rows=f"{B.BLOCK_ROW}:{B.HEADER_ROW}",
        split=True,
    )


def _through(ctx: Ctx, ws, year: int, through: int) -> None:
    """A3/B3: the month the year to date runs through; C3: how YTD and forecast count."""
    t = ctx.t
    ctx.label(ws, f"A{B.THROUGH_ROW}", t("年累计截至", "YTD through month"))
    ctx.formula(
        ws,
        B.THROUGH,
        "=IF(csxl_Year<YEAR(csxl_AsOf),12,IF(csxl_Year>YEAR(csxl_AsOf),0,MONTH(csxl_AsOf)))",
        through,
        THROUGH_FORMAT[ctx.lang],
    )
    ws[B.THROUGH].font = Font(name=style.FONT, size=10, bold=True, color=style.INK)
    ws[B.THROUGH].alignment = Alignment(horizontal="center", vertical="center")
    note = f"{col(B.YTD_PLAN)}{B.THROUGH_ROW}"
    ctx.label(
        ws,
        note,
        t(
            "年累计：1 月至截至月中已填实际的月份（计划与实际同口径）；全年预测 = 全年计划 + 年累计差异。",
            "YTD: the booked months from January to the through month (plan and actual alike); "
            "forecast = full-year plan + YTD variance.",
        ),
        style.NOTE,
    )
    ws.merge_cells(f"{note}:{col(B.FLAG)}{B.THROUGH_ROW}")
    ws.row_dimensions[B.THROUGH_ROW].height = 30


def _headers(ctx: Ctx, ws, year: int) -> None:
    t = ctx.t
    ctx.header(
        ws,
        B.HEADER_ROW,
        B.CATEGORY,
        [
            t("类别", "Category"),
            t("全年计划", "Full-year plan"),
            t("年累计计划", "YTD plan"),
            t("年累计实际", "YTD actual"),
            t("年累计差异", "YTD variance"),
            t("年累计差异%", "YTD variance %"),
            t("全年预测", "Forecast"),
            t("标识", "Flag"),
        ],
    )
    blocks = (
        (B.PLAN_FIRST, t("计划", "Plan")),
        (B.ACTUAL_FIRST, t("实际", "Actual")),
        (B.VARIANCE_FIRST, t("差异（实际 − 计划）", "Variance (actual − plan)")),
        (B.VARIANCE_PCT_FIRST, t("差异%", "Variance %")),
    )
    for first, title in blocks:
        cell = f"{col(first)}{B.BLOCK_ROW}"
        ctx.label(ws, cell, title)
        ws[cell].font = Font(name=style.FONT, size=10, bold=True, color=style.INK)
        ws[cell].alignment = Alignment(horizontal="center", vertical="center")
        ws[cell].fill = PatternFill("solid", fgColor=style.BAND_FILL)
        ws.merge_cells(f"{cell}:{col(first + B.MONTHS - 1)}{B.BLOCK_ROW}")
        for m in range(B.MONTHS):
            ctx.formula(
                ws,
                f"{col(first + m)}{B.HEADER_ROW}",
                f"=DATE(csxl_Year,{m + 1},1)",
                date(year, m + 1, 1),
                MONTH_FORMAT[ctx.lang],
                cell_style=style.HEADER,
            )


def _row(ctx: Ctx, ws, r: int, s: BudgetSummary) -> None:
    """The computed cells of a category row or the totals row."""
    lang = ctx.lang
    labels = plan.BUDGET_FLAG_LABELS[lang]
    plan_row, actual_row = _months(B.PLAN_FIRST, r), _months(B.ACTUAL_FIRST, r)
    months_p, months_a = _month_row(B.PLAN_FIRST), _month_row(B.ACTUAL_FIRST)
    thr = f"${B.THROUGH[0]}${B.THROUGH[1:]}"
    fy, yp, ya, yv = (_a(c, r) for c in (B.YEAR_PLAN, B.YTD_PLAN, B.YTD_ACTUAL, B.YTD_VARIANCE))
    red, digits = f"{plan.RED_FACTOR:g}", plan.COMPARE_DIGITS
    ctx.formula(ws, f"{col(B.YEAR_PLAN)}{r}", f"=SUM({plan_row})", s.full_year_plan, style.MONEY)
    ctx.formula(
        ws,
        f"{col(B.YTD_PLAN)}{r}",
        f'=SUMPRODUCT((MONTH({months_p})<={thr})*({actual_row}<>""),{plan_row})',
        s.ytd_plan,
        style.MONEY,
    )
    booked = f'SUMPRODUCT((MONTH({months_a})<={thr})*({actual_row}<>""))'
    ctx.formula(
        ws,
        f"{col(B.YTD_ACTUAL)}{r}",
        f'=IF({booked}=0,"",SUMPRODUCT((MONTH({months_a})<={thr})*1,{actual_row}))',
        _blank(s.ytd_actual),
        style.MONEY,
    )
    ctx.formula(
        ws,
        f"{col(B.YTD_VARIANCE)}{r}",
        f'=IF({ya}="","",{ya}-{yp})',
        _blank(s.ytd_variance),
        style.MONEY,
    )
    ctx.formula(
        ws,
        f"{col(B.YTD_VARIANCE_PCT)}{r}",
        f'=IF(OR({ya}="",{yp}=0),"",({ya}-{yp})/{yp})',
        _blank(s.ytd_variance_pct),
        style.PERCENT,
    )
    ctx.formula(
        ws,
        f"{col(B.FORECAST)}{r}",
        f'=IF({yv}="",{fy},{fy}+{yv})',
        s.forecast,
        style.MONEY,
    )
    ctx.formula(
        ws,
        f"{col(B.FLAG)}{r}",
        f'=IF({ya}="","",IF(ROUND({ya}-{yp}*{red},{digits})>0,"{labels["red"]}",'
        f'IF(ROUND({ya}-{yp},{digits})<=0,"{labels["green"]}","{labels["amber"]}")))',
        "" if s.flag is None else labels[s.flag],
    )
    ws[f"{col(B.FLAG)}{r}"].alignment = Alignment(horizontal="center", vertical="center")
    for m in range(B.MONTHS):
        p, a = f"{col(B.PLAN_FIRST + m)}{r}", f"{col(B.ACTUAL_FIRST + m)}{r}"
        ctx.formula(
            ws,
            f"{col(B.VARIANCE_FIRST + m)}{r}",
            f'=IF({a}="","",{a}-{p})',
            _blank(s.month_variance[m]),
            style.MONEY,
        )
        ctx.formula(
            ws,
            f"{col(B.VARIANCE_PCT_FIRST + m)}{r}",
            f'=IF(OR({a}="",{p}=0),"",({a}-{p})/{p})',
            _blank(s.month_variance_pct[m]),
            style.PERCENT,
        )


def _totals(ctx: Ctx, ws, total: BudgetLine) -> None:
    """The totals row's label and month sums (plan: SUM; actual: blank until booked)."""
    r, first, last = B.TOTAL_ROW, B.FIRST_ROW, B.last_row()
    ctx.label(ws, f"{col(B.CATEGORY)}{r}", total.category)
    for m in range(B.MONTHS):
        p, a = col(B.PLAN_FIRST + m), col(B.ACTUAL_FIRST + m)
        ctx.formula(ws, f"{p}{r}", f"=SUM({p}{first}:{p}{last})", total.plan[m], style.MONEY)
        ctx.formula(
            ws,
            f"{a}{r}",
            f'=IF(SUMPRODUCT(({a}{first}:{a}{last}<>"")*1)=0,"",SUM({a}{first}:{a}{last}))',
            _blank(total.actual[m]),
            style.MONEY,
        )


def month_flag_rules() -> dict[str, str]:
    """plan.flag on a month's plan and actual, as conditional-format formulas.

    Written for the first cell (month 1, first category) of a variance block; the
    references are relative, so every cell of the block reads its own month and row.
    """
    a = f"{col(B.ACTUAL_FIRST)}{B.FIRST_ROW}"
    p = f"{col(B.PLAN_FIRST)}{B.FIRST_ROW}"
    red, digits = f"{plan.RED_FACTOR:g}", plan.COMPARE_DIGITS
    return {
        "red": f'IF({a}="",FALSE,ROUND({a}-{p}*{red},{digits})>0)',
        "green": f'IF({a}="",FALSE,ROUND({a}-{p},{digits})<=0)',
        "amber": f'{a}<>""',
    }


def _fill(i: int) -> tuple[PatternFill, Font]:
    colour = style.FLAG_FILLS[i]
    return PatternFill("solid", fgColor=colour, bgColor=colour), Font(
        color=style.FLAG_FONTS[i], bold=True
    )


def _flag_colours(ctx: Ctx, ws) -> None:
    """The flag column by its label; the variance blocks by each month's flag."""
    labels = plan.BUDGET_FLAG_LABELS[ctx.lang]
    first, last = B.FIRST_ROW, B.TOTAL_ROW
    h = f"${col(B.FLAG)}{first}"
    for key in ("red", "amber", "green"):
        fill, font = _fill(FLAG_KEYS.index(key))
        ws.conditional_formatting.add(
            f"{col(B.FLAG)}{first}:{col(B.FLAG)}{last}",
            FormulaRule(formula=[f'{h}="{labels[key]}"'], fill=fill, font=font, stopIfTrue=True),
        )
    for block in (B.VARIANCE_FIRST, B.VARIANCE_PCT_FIRST):
        area = f"{col(block)}{first}:{col(block + B.MONTHS - 1)}{last}"
        rules = month_flag_rules()
        for key in ("red", "green", "amber"):  # amber: booked and neither red nor green
            fill, font = _fill(FLAG_KEYS.index(key))
            ws.conditional_formatting.add(
                area, FormulaRule(formula=[rules[key]], fill=fill, font=font, stopIfTrue=True)
            )


def _chart(ctx: Ctx, title: str) -> BarChart:
    """Plan vs actual by month: the totals row's two month blocks."""
    t = ctx.t
    sheet = f"'{title}'"
    r = B.TOTAL_ROW

    def ref(first: int, row: int) -> str:
        return f"{sheet}!${col(first)}${row}:${col(first + B.MONTHS - 1)}${row}"

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = t("每月计划 vs 实际（合计，元）", "Plan vs actual by month (total, CNY)")
    chart.y_axis.number_format = style.MONEY
    chart.y_axis.scaling.min = 0
    chart.x_axis.number_format = MONTH_FORMAT[ctx.lang]
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 24, 9
    for first, colour in ((B.PLAN_FIRST, "9DB7D5"), (B.ACTUAL_FIRST, "1F3A5F")):
        series = Series(
            val=NumDataSource(numRef=NumRef(f=ref(first, r))),
            cat=AxDataSource(numRef=NumRef(f=ref(B.PLAN_FIRST, B.HEADER_ROW))),
            tx=SeriesLabel(strRef=StrRef(f=f"{sheet}!${col(first)}${B.BLOCK_ROW}")),
        )
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
        chart.series.append(series)
    return chart


# ------------------------------------------------------------------ reading it back
KEY = "Budget"


BUDGET_TOTAL = frozenset({"合计", "Total"})  # the total row's label (zh, en)


def table_end(rows: list[list[object]]) -> int:
    """The row above the total row, found by its label wherever inserted rows put it;
    never less than the template's last category row."""
    for r in range(B.FIRST_ROW, len(rows) + 1):
        label = cell(rows, r, B.CATEGORY)
        if isinstance(label, str) and label.strip() in BUDGET_TOTAL:
            return max(r - 1, B.FIRST_ROW - 1)
    return B.last_row()


def total_row(rows: list[list[object]]) -> int:
    """The total row where it is now (below the categories, however many)."""
    end = table_end(rows)
    label = cell(rows, end + 1, B.CATEGORY)
    return end + 1 if isinstance(label, str) and label.strip() in BUDGET_TOTAL else B.TOTAL_ROW


def read(rows: list[list[object]], book: str, lang: str) -> list:
    """Every Budget category row, blank ones included (rows keep their places)."""
    from csxl.domain.plan import BudgetLine

    sheet = layout.title("Budget", lang)
    out = []
    end = table_end(rows)  # the row above the total row, wherever it is now
    for r in range(B.FIRST_ROW, end + 1):
        where = lambda c, r=r: Location(book, sheet, r, layout.col(c))  # noqa: E731
        months = range(B.MONTHS)
        plan = tuple(
            loose_number(cell(rows, r, B.PLAN_FIRST + m), where(B.PLAN_FIRST + m)) for m in months
        )
        actual = tuple(
            loose_number(cell(rows, r, B.ACTUAL_FIRST + m), where(B.ACTUAL_FIRST + m))
            for m in months
        )
        out.append(BudgetLine(text(cell(rows, r, B.CATEGORY)), plan, actual))
    while out and not out[-1].category and all(v is None for v in out[-1].plan + out[-1].actual):
        out.pop()  # trailing blank rows: the builder pads them again
    if len(out) > B.CATEGORY_ROWS:
        raise too_many_rows(KEY, book, lang, B.FIRST_ROW + B.CATEGORY_ROWS, B.CATEGORY_ROWS)
    return out


# The budget's sheet of the department summary (`csxl consolidate`): its title and the
# headings of the team column and of the columns `summarise` takes.
def summary_text(lang: str) -> dict[str, object]:
    heads = {
        "zh": (
            "团队",
            "类别",
            "年度预算",
            "年累计计划",
            "年累计实际",
            "年累计差异",
            "年累计差异%",
            "标识",
        ),
        "en": (
            "Team",
            "Category",
            "Year budget",
            "YTD plan",
            "YTD actual",
            "YTD variance",
            "YTD variance %",
            "Flag",
        ),
    }
    return {"budget": layout.title("Budget", lang), "b_head": heads[lang]}
