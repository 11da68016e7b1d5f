"""Customer KPIs in the plan: thresholds and targets on Settings (manager), results on the
Dashboard (OWNED by refresh).

Settings rows (`layout.Customers.ROW_*`): the high-value thresholds (12 orders in 6 months,
50,000 in 12 months) and the targets (retention 70%, repurchase +5 points over the previous
period, survey response 35% against 28% last year, survey timeliness 90%).

Dashboard block (below the Top-20 tags): one row per figure, the team's value beside the
high-value customers' (tickets, csat, frt_median: priority service shows in the gap), the
previous period (repurchase) or last year (survey response), the target and the flag. The
values are written by refresh from `csxl.domain.customers` (the numbers `csxl kpi` gives);
the gap, target and flag are formulas. An unavailable figure shows 不可用 / n/a with the
reason, never 0; its flag stays blank.
"""

from __future__ import annotations

from openpyxl.styles import Alignment

from csxl.domain.catalog import CATALOG
from csxl.workbook import style
from csxl.workbook.book import Ctx
from csxl.workbook.layout import Customers as C
from csxl.workbook.layout import col

NO_WRAP = Alignment(vertical="top", wrap_text=False)
FLAGS = {"zh": ("达标", "未达标"), "en": ("Met", "Missed")}
UNAVAILABLE = {"zh": "不可用", "en": "n/a"}
FORMATS = {
    "high_value_customers": style.INTEGER,
    "tickets": style.INTEGER,
    "csat": style.PERCENT,
    "frt_median": style.SECONDS,
}


def settings_rows(ctx: Ctx) -> None:
    """The thresholds and targets on Settings (inputs, A label, B value, C note)."""
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


def _setting(row: int) -> str:
    return f"$B${row}"


def _label(lang: str, key: str) -> str:
    names = {
        "tickets": ("工单数", "Tickets"),
        "frt_median": ("首响时长中位数（秒）", "First response median (s)"),
    }
    if key in names:
        return names[key][0 if lang == "zh" else 1]
    return CATALOG[key].label(lang) if key in CATALOG else key


def _shown(p, key: str) -> object:
    """What a value cell shows: the number, 不可用 when unavailable, blank before refresh."""
    if key in p.customer_notes:
        return UNAVAILABLE[p.lang]
    value = p.customers.get(key)
    return value if isinstance(value, int | float) else None


def dashboard_block(ctx: Ctx) -> None:
    ws = ctx.sheet("Dashboard")
    p, t, lang = ctx.inputs, ctx.t, ctx.lang
    cp = p.customer_plan
    met, missed = FLAGS[lang]
    ctx.label(ws, f"A{C.TITLE_ROW}", t("客户指标", "Customer KPIs"), style.TITLE)
    ctx.header(
        ws,
        C.HEADER_ROW,
        C.LABEL,
        [
            t("指标", "KPI"),
            t("全部客户", "All customers"),
            t("高价值客户", "High-value"),
            t("差异", "Gap"),
            t("上期/去年", "Previous"),
            t("目标", "Target"),
            t("标记", "Flag"),
        ],
    )
    ctx.label(ws, f"{col(C.NOTE)}{C.HEADER_ROW}", t("说明", "Note"), style.NOTE)
    settings = lambda row: ctx.ref("Settings", _setting(row))  # noqa: E731
    for key in C.KEYS:
        r = C.row(key)
        cell = lambda c, r=r: f"{col(c)}{r}"  # noqa: E731
        ctx.label(ws, cell(C.LABEL), _label(lang, key))
        fmt = FORMATS.get(key, style.PERCENT)
        hv_key = f"hv_{key}"
        all_value = _shown(p, key)
        ctx.label(ws, cell(C.ALL), all_value, style.COMPUTED, fmt)
        hv_value = _shown(p, hv_key) if key in ("tickets", "csat", "frt_median") else None
        ctx.label(ws, cell(C.HV), hv_value, style.COMPUTED, fmt)
        a, h = cell(C.ALL), cell(C.HV)
        if key in ("csat", "frt_median"):
            both = isinstance(all_value, int | float) and isinstance(hv_value, int | float)
            ctx.formula(
                ws,
                cell(C.GAP),
                f'=IF(AND(ISNUMBER({a}),ISNUMBER({h})),{h}-{a},"")',
                hv_value - all_value if both else "",  # type: ignore[operator]
                fmt,
            )
        else:
            ctx.label(ws, cell(C.GAP), None, style.COMPUTED)
        previous: object = None
        target: object = None
        if key == "repurchase_rate":
            previous = _shown(p, "previous_repurchase_rate")
            ctx.label(ws, cell(C.PREVIOUS), previous, style.COMPUTED, fmt)
            e = cell(C.PREVIOUS)
            target = previous + cp.repurchase_points if isinstance(previous, int | float) else ""
            ctx.formula(
                ws,
                cell(C.TARGET),
                f'=IF(ISNUMBER({e}),{e}+{settings(C.ROW_REPURCHASE_POINTS)},"")',
                target,
                fmt,
            )
        elif key == "survey_response_rate":
            previous = cp.survey_last_year
            ctx.formula(ws, cell(C.PREVIOUS), f"={settings(C.ROW_SURVEY_LAST_YEAR)}", previous, fmt)
            target = cp.survey_target
            ctx.formula(ws, cell(C.TARGET), f"={settings(C.ROW_SURVEY_TARGET)}", target, fmt)
        elif key in ("retention_rate", "survey_timeliness"):
            ctx.label(ws, cell(C.PREVIOUS), None, style.COMPUTED)
            row = C.ROW_RETENTION_TARGET if key == "retention_rate" else C.ROW_TIMELINESS_TARGET
            target = cp.retention_target if key == "retention_rate" else cp.timeliness_target
            ctx.formula(ws, cell(C.TARGET), f"={settings(row)}", target, fmt)
        else:
            ctx.label(ws, cell(C.PREVIOUS), None, style.COMPUTED)
            ctx.label(ws, cell(C.TARGET), None, style.COMPUTED)
        if target is None:
            ctx.label(ws, cell(C.FLAG), None, style.COMPUTED)
        else:
            f = cell(C.TARGET)
            ok = isinstance(all_value, int | float) and isinstance(target, int | float)
            ctx.formula(
                ws,
                cell(C.FLAG),
                f'=IF(AND(ISNUMBER({a}),ISNUMBER({f})),IF({a}>={f},"{met}","{missed}"),"")',
                (met if all_value >= target else missed) if ok else "",  # type: ignore[operator]
            )
        ctx.label(ws, cell(C.NOTE), _note(p, key), style.NOTE)
        ws[cell(C.NOTE)].alignment = NO_WRAP  # one line, running on to the right


def _note(p, key: str) -> str | None:
    """The reason a figure is unavailable, or what it was computed over."""
    for k in (key, f"hv_{key}"):
        if k in p.customer_notes:
            return p.customer_notes[k]
    note = p.customers.get(f"note_{key}")
    if note is None and p.customers and p.customers.get(key) is None:
        return "本期没有可计算的数据" if p.lang == "zh" else "nothing to compute this period"
    return note  # type: ignore[return-value]
