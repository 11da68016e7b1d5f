"""Settings (设置): as-of date, language, paths and the template version."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from csxl.domain.kpis import KpiSettings
from csxl.errors import InputError, Location, printable
from csxl.errors import t as tr
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, PlanInputs, RosterTeam, setup_sheet
from csxl.workbook.cells import cell, day, number
from csxl.workbook.layout import Customers as C
from csxl.workbook.layout import Settings as S
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState
from csxl.workbook.team_book import TeamBook

if TYPE_CHECKING:
    from csxl.errors import Location


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    """What `csxl upgrade` says it moved (Settings is read with the plan: `read_plan`; the
    last refresh's moment here, which the new plan shows until it is refreshed again)."""
    from csxl.workbook.cells import cell, moment

    p.refreshed_at = moment(cell(old.rows("Settings"), S.ROW_LAST_REFRESH, S.VALUE_COL))
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


def version(rows: list[list[object]], file: str, lang: str) -> tuple[str, Location]:
    """`csxl upgrade`: the template version a plan was made by, and where it is typed."""
    from csxl.errors import Location

    return template_version(rows), Location(
        file, layout.title("Settings", lang), S.ROW_VERSION, "B"
    )


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


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    """The refresh's own record: when, how many rows the Data sheet had, which month."""
    p = m.state.inputs
    p.refreshed_at = m.now
    p.source_rows = m.tickets.read
    p.refresh_month = m.month
    return []


def write(book: Book, ctx: Ctx) -> None:
    owned.write(
        book, ctx, "Settings", [(S.ROW_LAST_REFRESH, S.VALUE_COL, S.ROW_REFRESH_MONTH, S.VALUE_COL)]
    )


# ------------------------------------------------------------------ read
def read(book: Book, state: PlanState) -> None:
    """The team, year, as-of date, SLA limits, peak hours and customer plan; the month the
    plan shows (the last refreshed)."""
    p = state.inputs
    rows = book.rows("Settings")
    sheet = layout.title("Settings", book.lang)
    where = lambda row: Location(book.name, sheet, row, "B")  # noqa: E731
    value = lambda row: cell(rows, row, S.VALUE_COL)  # noqa: E731
    year = int(number(rows, S.ROW_YEAR, S.VALUE_COL, where(S.ROW_YEAR)) or 0)
    p.team = str(value(S.ROW_TEAM) or "")
    p.year = year or date.today().year
    p.as_of = day(value(S.ROW_AS_OF_INPUT))
    p.active_customers = number(rows, S.ROW_ACTIVE_CUSTOMERS, 2, where(S.ROW_ACTIVE_CUSTOMERS))
    p.frt_target_s, p.rt_target_s = sla_targets(rows, book.name, sheet)
    p.customer_plan = customer_plan(book, rows)
    state.kpi_settings = KpiSettings(
        frt_target_s=p.frt_target_s,
        rt_target_s=p.rt_target_s,
        peak_start=_clock(value(S.ROW_PEAK_START), time(9), where(S.ROW_PEAK_START)),
        peak_end=_clock(value(S.ROW_PEAK_END), time(11), where(S.ROW_PEAK_END)),
        active_customers=p.active_customers,
    )
    shown = value(S.ROW_REFRESH_MONTH)
    state.shown_month = None if shown is None else str(shown)


# ------------------------------------------------------------------ csxl batch
def roster(p: PlanInputs, team: RosterTeam) -> None:
    """The team's name and its active customers, as the roster gives them."""
    p.team = team.name
    p.active_customers = team.active_customers


def team_cells(p: PlanInputs, formulas: Callable[[], Mapping[str, str]]) -> dict:
    """The active customers: an input no formula of the plan caches a value of (the team's
    name is in every sheet's title line: batch replaces it wherever it is)."""
    from csxl.workbook.sheetxml import as_written

    if p.active_customers is None:
        return {}
    return {(S.ROW_ACTIVE_CUSTOMERS, S.VALUE_COL): as_written(p.active_customers)}


# ------------------------------------------------------------------ read: refresh and csxl kpi
def sla_targets(settings: list[list[object]], book: str, sheet: str) -> tuple[float, float]:
    """Settings' limits of frt_sla and rt_sla in seconds (B10, B11): the one source of
    both, which refresh and `csxl kpi PLAN` use and the SLA sheet shows. Blank is the
    spec's default; a limit of 0 or less is refused (nothing could meet it)."""
    from csxl.domain.kpis import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S

    out = []
    for row, default in (
        (S.ROW_FRT_TARGET, DEFAULT_FRT_TARGET_S),
        (S.ROW_RT_TARGET, DEFAULT_RT_TARGET_S),
    ):
        where = Location(book, sheet, row, "B")
        value = number(settings, row, S.VALUE_COL, where)
        if value is not None and value <= 0:
            raise InputError(
                tr(
                    f"目标 {value:g} 秒无法达到。",
                    f"a target of {value:g} seconds cannot be met.",
                ),
                where,
                tr(
                    f"请填写秒数（大于 0），或留空使用默认值 {default:g}。",
                    f"Type the seconds (more than 0), or leave it blank for {default:g}.",
                ),
            )
        out.append(default if value is None else value)
    return out[0], out[1]


def customer_plan(book: Book, settings: list[list[object]]):
    """The customer KPIs' thresholds and targets on Settings; a blank cell (or a plan made
    before these rows existed) takes the default."""
    from dataclasses import fields

    from csxl.workbook.book import CustomerPlan
    from csxl.workbook.layout import Customers as C

    rows = (
        C.ROW_HV_ORDERS,
        C.ROW_HV_ORDERS_MONTHS,
        C.ROW_HV_AMOUNT,
        C.ROW_HV_AMOUNT_MONTHS,
        C.ROW_RETENTION_TARGET,
        C.ROW_REPURCHASE_POINTS,
        C.ROW_SURVEY_TARGET,
        C.ROW_SURVEY_LAST_YEAR,
        C.ROW_TIMELINESS_TARGET,
    )
    sheet = layout.title("Settings", book.lang)
    values = {}
    for f, row in zip(fields(CustomerPlan), rows, strict=True):
        value = number(settings, row, S.VALUE_COL, Location(book.name, sheet, row, "B"))
        if value is not None:
            whole = f.name in ("hv_min_orders", "hv_orders_months", "hv_amount_months")
            if value < 0 or (whole and (value != int(value) or value < 1)):
                raise InputError(
                    tr(f"{value:g} 超出范围。", f"{value:g} is out of range."),
                    Location(book.name, sheet, row, "B"),
                    tr("请填写 1 或以上的整数。", "Type a whole number of 1 or more.")
                    if whole
                    else tr("请填写 0 或以上的数。", "Type 0 or more."),
                )
            values[f.name] = value
    return CustomerPlan(**values)


def _clock(value: object, default: time, where: Location) -> time:
    if value is None:
        return default
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, int | float):  # an Excel time: a fraction of a day
        return (datetime.min + timedelta(seconds=round(float(value) * 86400))).time()
    try:
        return time.fromisoformat(str(value).strip().replace("：", ":"))
    except ValueError:
        raise InputError(
            tr(f"“{printable(str(value))}”不是时刻。", f"{value!r} is not a time of day."),
            where,
            tr("请写成 09:00 这样的格式。", "Write it as 09:00."),
        ) from None


def plan_team(rows: list[list[object]]) -> str | None:
    """The team typed on Settings, on one line; None when blank (a department plan)."""
    row, col = S.ROW_TEAM, S.VALUE_COL
    value = rows[row - 1][col - 1] if len(rows) >= row and len(rows[row - 1]) >= col else None
    team = " ".join(str(value).split()) if value not in (None, "") else ""
    return team or None


# What `csxl kpi PLAN` reads here (`Room.kpi`): (rows, file, sheet title, language) -> value.
KPI = (
    ("team", lambda rows, file, title, lang: plan_team(rows)),
    ("sla_targets", lambda rows, file, title, lang: sla_targets(rows, file, title)),
)
