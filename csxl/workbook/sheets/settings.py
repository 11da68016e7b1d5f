"""Settings (设置): as-of date, language, paths and the template version."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, PlanInputs, RosterTeam, setup_sheet
from csxl.workbook.layout import Settings as S
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
    from csxl.workbook.sheets.customers import settings_rows

    settings_rows(ctx)
    setup_sheet(ws, widths={"A": 26, "B": 22, "C": 48}, landscape=False)


def _whole(seconds: float) -> float | int:
    """30.0 as 30: a new plan's cells hold whole seconds as typed."""
    return int(seconds) if float(seconds).is_integer() else seconds


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
    from csxl.errors import InputError, Location
    from csxl.workbook.cells import number

    out = []
    for row, default in (
        (S.ROW_FRT_TARGET, DEFAULT_FRT_TARGET_S),
        (S.ROW_RT_TARGET, DEFAULT_RT_TARGET_S),
    ):
        where = Location(book, sheet, row, "B")
        value = number(settings, row, S.VALUE_COL, where)
        if value is not None and value <= 0:
            raise InputError(
                f"a target of {value:g} seconds cannot be met.",
                where,
                f"Type the seconds (more than 0), or leave it blank for {default:g}.",
            )
        out.append(default if value is None else value)
    return out[0], out[1]


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
