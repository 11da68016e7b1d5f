"""Settings (设置): as-of date, language, paths and the template version."""

from __future__ import annotations

from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Customers as C
from csxl.workbook.layout import Settings as S
from csxl.workbook.team_book import TeamBook


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    """What `csxl upgrade` says it moved (Settings is read with the plan: `read_plan`)."""
    return [
        (
            "设置：团队、年度、基准日、活跃客户数、首响与解决时限",
            "Settings: team, year, as-of date, active customers, first-response and "
            "resolution targets",
        ),
        (
            "设置：客户指标的阈值与目标（旧计划没有时取默认值）",
            "Settings: customer KPI thresholds and targets (defaults where the old plan had none)",
        ),
    ]


def carry(old, new) -> list[tuple[str, str]]:
    """The program paths, as typed (no model: the add-in ignores them, a manager may not)."""
    from csxl.workbook.cells import cell

    rows = old.rows("Settings")
    new.write(
        "Settings",
        {(r, S.VALUE_COL): cell(rows, r, S.VALUE_COL) for r in (S.ROW_EXE_PATH, S.ROW_PYTHON)},
    )
    return []


def template_version(rows: list[list[object]]) -> str:
    """The template version a plan was made by (B3), as text."""
    from csxl.workbook.cells import cell, text

    return text(cell(rows, S.ROW_VERSION, S.VALUE_COL))


# ------------------------------------------------------------------ csxl consolidate
def summarise(rows: list[list[object]], team: TeamBook, file: str, lang: str) -> None:
    """The team, year and refreshed month; a plan of another template version is refused."""
    from csxl.errors import InputError, Location, t
    from csxl.workbook.cells import cell

    version = cell(rows, S.ROW_VERSION, S.VALUE_COL)
    if str(version) != layout.TEMPLATE_VERSION:
        raise InputError(
            t(
                f"模板版本是 {version!r}，不是 {layout.TEMPLATE_VERSION}。",
                f"template version {version!r}, not {layout.TEMPLATE_VERSION}.",
            ),
            Location(file, layout.title("Settings", lang), S.ROW_VERSION, "B"),
            t("请先对它运行 csxl upgrade。", "Run `csxl upgrade` on it."),
        )
    month = cell(rows, S.ROW_REFRESH_MONTH, S.VALUE_COL)
    team.team = str(cell(rows, S.ROW_TEAM, S.VALUE_COL) or team.team)
    team.year = cell(rows, S.ROW_YEAR, S.VALUE_COL)
    team.month = None if month is None else str(month)
    team.last_refresh = cell(rows, S.ROW_LAST_REFRESH, S.VALUE_COL)


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Settings")
    p = ctx.inputs
    t = ctx.t
    ctx.title(
        ws,
        t("设置", "Settings"),
        t(
            "黄色单元格可以修改；基准日期留空即为今天。",
            "Yellow cells are yours to change; leave the as-of date blank for today.",
        ),
    )
    rows = {
        S.ROW_VERSION: (
            t("模板版本", "Template version"),
            t("升级工作簿时使用，请勿修改", "Used by upgrades; do not edit"),
        ),
        S.ROW_TEAM: (t("团队", "Team"), t("计划所属团队", "The team this plan is for")),
        S.ROW_YEAR: (t("计划年度", "Plan year"), ""),
        S.ROW_LANG: (t("语言", "Language"), "zh / en"),
        S.ROW_AS_OF_INPUT: (
            t("基准日期（留空=今天）", "As-of date (blank = today)"),
            t(
                "里程碑、预算年累计以此日期为准；固定一个日期可复现结果",
                "Milestones and budget YTD use this date; fix it to reproduce results",
            ),
        ),
        S.ROW_AS_OF: (t("生效基准日期", "Effective as-of date"), ""),
        S.ROW_ACTIVE_CUSTOMERS: (
            t("活跃客户数（月）", "Active customers (month)"),
            t("万人投诉率的分母", "Denominator of complaints per 10k"),
        ),
        S.ROW_FRT_TARGET: (
            t("首响时限（秒）", "First response target (s)"),
            t(
                "首响达标率的时限：自然时间，所有工单同一时限；默认 30 秒；“服务时限”表显示",
                "Of 'first response within target': wall clock, one limit for every ticket; "
                "default 30 s; shown on the SLA sheet",
            ),
        ),
        S.ROW_RT_TARGET: (
            t("解决时限（秒）", "Resolution target (s)"),
            t(
                "解决时效达标率的时限：同上；默认 300 秒",
                "Of 'resolved within target': the same; default 300 s",
            ),
        ),
        S.ROW_PEAK_START: (t("高峰开始", "Peak starts"), "09:00"),
        S.ROW_PEAK_END: (t("高峰结束（不含）", "Peak ends (excluded)"), "11:00"),
        S.ROW_EXE_PATH: (
            t("csxl 程序路径", "csxl executable path"),
            t("留空则在加载项旁或 PATH 中查找", "Blank: next to the add-in or on PATH"),
        ),
        S.ROW_PYTHON: (
            t("Python 解释器", "Python interpreter"),
            t("仅在没有 csxl 程序时使用", "Only when there is no csxl executable"),
        ),
        S.ROW_LAST_REFRESH: (
            t("上次刷新", "Last refresh"),
            t("由刷新按钮填写", "Written by Refresh"),
        ),
        S.ROW_SOURCE_ROWS: (
            t("数据行数", "Source rows"),
            t("由刷新按钮填写", "Written by Refresh"),
        ),
        S.ROW_REFRESH_MONTH: (
            t("刷新月份", "Refreshed month"),
            t("由刷新按钮填写", "Written by Refresh"),
        ),
    }
    for row, (label, note) in rows.items():
        ctx.label(ws, f"A{row}", label)
        ctx.label(ws, f"C{row}", note, style.NOTE)
    v = S.value
    ctx.label(ws, v(S.ROW_VERSION), layout.TEMPLATE_VERSION, style.COMPUTED)
    ctx.input(ws, v(S.ROW_TEAM), p.team or None)
    years = ctx.validation(
        ws, "year", type="whole", operator="between", formula1="2000", formula2="2100"
    )
    ctx.input(ws, v(S.ROW_YEAR), p.year, "0", validation=years)
    ctx.label(ws, v(S.ROW_LANG), p.lang, style.COMPUTED)
    dates = ctx.validation(ws, "date", type="date", operator="greaterThan", formula1="36526")
    ctx.input(ws, v(S.ROW_AS_OF_INPUT), p.as_of, style.DATE, validation=dates)
    # The one volatile formula of the plan: everything "today" refers to this cell.
    ctx.formula(
        ws,
        v(S.ROW_AS_OF),
        f"=IF(ISBLANK({v(S.ROW_AS_OF_INPUT)}),TODAY(),{v(S.ROW_AS_OF_INPUT)})",
        p.effective_as_of,
        style.DATE,
    )
    positive = ctx.validation(
        ws, "positive", type="decimal", operator="greaterThanOrEqual", formula1="0"
    )
    ctx.input(ws, v(S.ROW_ACTIVE_CUSTOMERS), p.active_customers, style.INTEGER, validation=positive)
    ctx.input(ws, v(S.ROW_FRT_TARGET), _whole(p.frt_target_s), style.INTEGER, validation=positive)
    ctx.input(ws, v(S.ROW_RT_TARGET), _whole(p.rt_target_s), style.INTEGER, validation=positive)
    ctx.input(ws, v(S.ROW_PEAK_START), "09:00")
    ctx.input(ws, v(S.ROW_PEAK_END), "11:00")
    ctx.input(ws, v(S.ROW_EXE_PATH), None)
    ctx.input(ws, v(S.ROW_PYTHON), None)
    refreshed = {
        S.ROW_LAST_REFRESH: p.refreshed_at,
        S.ROW_SOURCE_ROWS: p.source_rows,
        S.ROW_REFRESH_MONTH: p.refresh_month,
    }
    for row, value in refreshed.items():
        ctx.label(ws, v(row), value, style.COMPUTED)
    ws[v(S.ROW_LAST_REFRESH)].number_format = style.DATETIME
    ws[v(S.ROW_SOURCE_ROWS)].number_format = style.INTEGER  # refresh writes the count here
    _customer_rows(ctx)
    setup_sheet(ws, widths={"A": 26, "B": 22, "C": 48}, landscape=False)


def _customer_rows(ctx: Ctx) -> None:
    """The customer KPIs' thresholds and targets (inputs, A label, B value, C note), which
    the Dashboard's customer block compares with."""
    ws = ctx.sheet("Settings")
    t = ctx.t
    cp = ctx.inputs.customer_plan
    ctx.label(
        ws, f"A{C.ROW_TITLE}", t("客户指标（订单表）", "Customer KPIs (Orders sheet)"), style.HEADER
    )
    ctx.label(ws, f"B{C.ROW_TITLE}", None, style.HEADER)
    ctx.label(ws, f"C{C.ROW_TITLE}", None, style.HEADER)
    rows = (
        (
            C.ROW_HV_ORDERS,
            t("高价值：订单数 ≥", "High value: orders >="),
            cp.hv_min_orders,
            style.INTEGER,
            t("默认 12 单", "Default 12"),
        ),
        (
            C.ROW_HV_ORDERS_MONTHS,
            t("……在最近几个月内", "... in the last months"),
            cp.hv_orders_months,
            style.INTEGER,
            t("默认 6 个月", "Default 6"),
        ),
        (
            C.ROW_HV_AMOUNT,
            t("或消费金额 ≥", "or spent >="),
            cp.hv_min_amount,
            style.MONEY,
            t("默认 50,000 元", "Default 50,000 CNY"),
        ),
        (
            C.ROW_HV_AMOUNT_MONTHS,
            t("……在最近几个月内", "... in the last months"),
            cp.hv_amount_months,
            style.INTEGER,
            t("默认 12 个月", "Default 12"),
        ),
        (
            C.ROW_RETENTION_TARGET,
            t("留存率目标", "Retention target"),
            cp.retention_target,
            style.PERCENT,
            t("上期下单客户本期再次下单的比例", "Previous period's customers who ordered again"),
        ),
        (
            C.ROW_REPURCHASE_POINTS,
            t("复购率目标：比上期提高", "Repurchase target: points over the previous period"),
            cp.repurchase_points,
            style.PERCENT,
            t("默认 +5 个百分点", "Default +5 points"),
        ),
        (
            C.ROW_SURVEY_TARGET,
            t("评价回收率目标", "Survey response target"),
            cp.survey_target,
            style.PERCENT,
            t("默认 35%", "Default 35%"),
        ),
        (
            C.ROW_SURVEY_LAST_YEAR,
            t("评价回收率（去年）", "Survey response (last year)"),
            cp.survey_last_year,
            style.PERCENT,
            t("默认 28%", "Default 28%"),
        ),
        (
            C.ROW_TIMELINESS_TARGET,
            t("评价推送及时率目标", "Survey timeliness target"),
            cp.timeliness_target,
            style.PERCENT,
            t("解决后 30 分钟内推送", "Sent within 30 min of resolution"),
        ),
    )
    positive = ctx.validation(
        ws, "positive", type="decimal", operator="greaterThanOrEqual", formula1="0"
    )
    for row, label, value, fmt, note in rows:
        ctx.label(ws, f"A{row}", label)
        ctx.input(ws, f"B{row}", value, fmt, validation=positive)
        ctx.label(ws, f"C{row}", note, style.NOTE)


def _whole(seconds: float) -> float | int:
    """30.0 as 30: a new plan's cells hold whole seconds as typed."""
    return int(seconds) if float(seconds).is_integer() else seconds
