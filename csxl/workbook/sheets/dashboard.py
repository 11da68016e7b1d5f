"""Dashboard (看板): this month at a glance. OWNED by refresh; laid out here.

Every KPI cell is a formula that refers to its Goals row (refresh writes actuals into Goals,
and Goals computes tiers and variance), so the Dashboard never disagrees with Goals. The
refresh row shows the Settings cells refresh fills; the chart compares actual with stretch
for the ratio KPIs; the Top-20 tags block is left empty for refresh. Below it, the customer
KPIs (high-value customers, retention, repurchase, surveys) against their thresholds and
targets on Settings. Another sheet's cells come through layout.py's cross-sheet links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from openpyxl.chart import BarChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.styles import Alignment

from csxl.domain import scoring
from csxl.domain.catalog import CATALOG
from csxl.domain.scoring import Target
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, PlanInputs, setup_sheet
from csxl.workbook.kpi_format import blank, flag_colours, gap_colours, unit_format
from csxl.workbook.layout import Customers as C
from csxl.workbook.layout import Dashboard as D
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.sheetxml import cell_text
from csxl.workbook.state import Month

SCORE_ROW = D.SCORE_ROW
NO_WRAP = Alignment(vertical="top", wrap_text=False)
FLAGS = {"zh": ("达标", "未达标"), "en": ("Met", "Missed")}
UNAVAILABLE = {"zh": "不可用", "en": "n/a"}
FORMATS = {
    "high_value_customers": style.INTEGER,
    "tickets": style.INTEGER,
    "csat": style.PERCENT,
    "frt_median": style.SECONDS,
}


def as_shown(target: Target, value: float) -> float:
    """A Goals value as the Dashboard holds it: a duration in days (shown 分:秒), else as is."""
    return value / style.DAY if target.unit == "s" else value


def _mirror(ref: str) -> str:
    """A reference that shows a blank source as blank, not as 0."""
    return f'=IF(ISBLANK({ref}),"",{ref})'


def _shown_info(value: object) -> object:
    """A refresh record as its Settings cell holds it and the Dashboard shows it ("" when
    blank)."""
    if value is None:
        return ""
    return cell_text(value) if isinstance(value, str) else value


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Dashboard")
    p = ctx.inputs
    t, lang = ctx.t, ctx.lang
    team = p.team or t("本团队", "this team")
    ctx.title(
        ws,
        t(f"{p.year} 看板 · {team}", f"{p.year} dashboard · {team}"),
        t(
            "由“刷新指标”更新，本表只显示结果；目标和权重请在“目标”表修改。时长显示为 分:秒"
            "（解决时长 时:分:秒）；差异% 正数优于冲刺目标（绿），负数差于目标（红）。",
            "Updated by Refresh; this sheet only shows results. Change targets and weights on Goals. "
            "Durations show as m:ss (resolution times h:mm:ss); variance % is + when better "
            "than the stretch target (green), - when worse (red).",
        ),
    )
    ws.merge_cells(f"A2:{col(D.VARIANCE_PCT)}2")
    ws.row_dimensions[2].height = 42  # merged cells do not grow with their text
    _refresh_row(ctx, ws)
    ctx.header(
        ws,
        D.HEADER_ROW,
        D.LABEL,
        [
            t("指标", "KPI"),
            t("实际", "Actual"),
            t("保底", "Baseline"),
            t("冲刺", "Stretch"),
            t("挑战", "Challenge"),
            t("达成档位", "Tier"),
            t("差异%", "Variance %"),
        ],
    )
    tiers = p.tiers()
    points: dict[str, float | None] = {}
    weights: dict[str, float] = {}
    ratio_rows: list[int] = []
    for i, target in enumerate(p.targets[: D.KPI_ROWS]):
        r = D.FIRST_ROW + i
        actual = p.actuals.get(target.key)
        fmt = unit_format(target, lang)
        # A duration is shown as 分:秒 (时:分:秒): its seconds / DAY (docs/workbook.md, "Units").
        div = f"/{style.DAY}" if target.unit == "s" else ""
        if div:
            fmt = style.duration_format(target.key)

        def shown(value: float | None, target: Target = target) -> object:
            return "" if value is None else as_shown(target, value)

        def goals(field: str, i: int = i) -> str:
            """This KPI's cell on Goals."""
            return layout.kpi_goal_cell(i, field, lang)

        ctx.formula(
            ws,
            f"{col(D.LABEL)}{r}",
            _mirror(goals("label")),
            CATALOG[target.key].label(lang),
            cell_style=style.LABEL,
        )
        ctx.formula(
            ws,
            f"{col(D.ACTUAL)}{r}",
            f'=IF(ISNUMBER({goals("actual")}),{goals("actual")}{div},"")',
            shown(actual),
            fmt,
        )
        for c, field, value in (
            (D.BASELINE, "baseline", target.baseline),
            (D.STRETCH, "stretch", target.stretch),
            (D.CHALLENGE, "challenge", target.challenge),
        ):
            ref = goals(field)
            text = _mirror(ref) if not div else f'=IF(ISNUMBER({ref}),{ref}{div},"")'
            ctx.formula(ws, f"{col(c)}{r}", text, shown(value), fmt)
        level = scoring.tier(actual, target)
        ctx.formula(
            ws, f"{col(D.TIER)}{r}", f"={goals('tier')}", "" if level is None else tiers[level]
        )
        ctx.formula(
            ws,
            f"{col(D.VARIANCE_PCT)}{r}",
            f"={goals('variance_pct')}",
            blank(scoring.variance_pct(actual, target)),
            style.SIGNED_PERCENT,
        )
        points[target.key] = scoring.points(actual, target, p.incentives.mode, p.points_table())
        weights[target.key] = target.weight
        if target.unit == "%":
            ratio_rows.append(r)

    # The team's weighted score and grade, as Goals shows them below its KPI rows.
    score = scoring.weighted_score(points, weights)
    ctx.label(
        ws, f"{col(D.LABEL)}{SCORE_ROW}", t("团队加权得分 / 等级", "Team weighted score / grade")
    )
    ctx.formula(
        ws,
        f"{col(D.ACTUAL)}{SCORE_ROW}",
        f"={layout.team_score_cell('score', lang)}",
        blank(score),
        "0.00",
    )
    ctx.formula(
        ws,
        f"{col(D.TIER)}{SCORE_ROW}",
        f"={layout.team_score_cell('grade', lang)}",
        scoring.grade(score, p.incentives) or "",
    )

    last = D.FIRST_ROW + D.KPI_ROWS - 1
    tier_col = col(D.TIER)
    flag_colours(ws, f"{tier_col}{D.FIRST_ROW}:{tier_col}{last}", f"${tier_col}{D.FIRST_ROW}")
    gap = col(D.VARIANCE_PCT)
    gap_colours(ws, f"{gap}{D.FIRST_ROW}:{gap}{last}")
    if ratio_rows:
        ws.add_chart(_chart(ctx, ws.title, ratio_rows), D.CHART_ANCHOR)
    _tags(ctx, ws)
    _customers(ctx, ws)
    widths = {"A": 24, "B": 11, "C": 11, "D": 11, "E": 11, "F": 13, "G": 11, "H": 3}
    setup_sheet(ws, widths=widths, header_rows=f"{D.HEADER_ROW}:{D.HEADER_ROW}", one_page=True)


def _refresh_row(ctx: Ctx, ws) -> None:
    """Row 3: last refresh time, source rows and month, from the Settings cells refresh fills."""
    t, r, p = ctx.t, D.ROW_REFRESHED, ctx.inputs
    cells = (
        (
            "A",
            D.REFRESHED_AT,
            t("上次刷新", "Last refresh"),
            "time",
            p.refreshed_at,
            style.DATETIME,
        ),
        ("D", D.REFRESH_ROWS, t("数据行数", "Source rows"), "rows", p.source_rows, style.INTEGER),
        ("F", D.REFRESH_MONTH, t("月份", "Month"), "month", p.refresh_month, None),
    )
    for label_col, value_col, text, field, value, fmt in cells:
        ctx.label(ws, f"{label_col}{r}", text, style.NOTE)
        source = layout.refresh_info_cell(field, ctx.lang)
        ctx.formula(ws, f"{value_col}{r}", _mirror(source), _shown_info(value), fmt)
    ws.merge_cells(f"{D.REFRESHED_AT}{r}:C{r}")


def _chart(ctx: Ctx, title: str, rows: list[int]) -> BarChart:
    """Actual vs stretch for the ratio KPIs: a union reference picks their rows."""
    t = ctx.t
    sheet = f"'{title}'"

    def union(c: int) -> str:
        return "(" + ",".join(f"{sheet}!${col(c)}${r}" for r in rows) + ")"

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = t("KPI 实际 vs 冲刺目标（比率类）", "KPI vs target: actual vs stretch (ratios)")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.majorUnit = 0.2
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 20, 9
    for c in (D.ACTUAL, D.STRETCH):
        series = Series(
            val=NumDataSource(numRef=NumRef(f=union(c))),
            cat=AxDataSource(strRef=StrRef(f=union(D.LABEL))),
            tx=SeriesLabel(strRef=StrRef(f=f"{sheet}!${col(c)}${D.HEADER_ROW}")),
        )
        chart.series.append(series)
    return chart


def _tags(ctx: Ctx, ws) -> None:
    """The Top-20 tags of the month: empty rows refresh fills (tag, count, alert)."""
    t = ctx.t
    ctx.label(
        ws, f"A{D.TAGS_TITLE_ROW}", t("本月 Top-20 问题标签", "Top-20 tags this month"), style.TITLE
    )
    ctx.header(
        ws, D.TAGS_HEADER_ROW, 1, [t("标签", "Tag"), t("工单数", "Tickets"), t("预警", "Alert")]
    )
    alert = t("预警", "Alert")
    tags = ctx.inputs.top_tags
    for i in range(D.TAGS_ROWS):
        r = D.TAGS_FIRST_ROW + i
        tag, count, alerting = tags[i] if i < len(tags) else (None, None, False)
        ctx.label(ws, f"A{r}", tag, style.COMPUTED)
        ctx.label(ws, f"B{r}", count, style.COMPUTED, style.INTEGER)
        ctx.label(ws, f"C{r}", alert if alerting else None, style.COMPUTED)
    if ctx.inputs.tags_note:  # the export has no tags column: say so where the tags would be
        ctx.label(ws, f"A{D.TAGS_FIRST_ROW}", ctx.inputs.tags_note, style.NOTE)


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    """The customer block's KPIs and the month's Top-20 tags; a warning for each one a
    missing column explains."""
    from csxl import unavailable

    p = m.state.inputs
    said = _customer_kpis(m)
    p.top_tags = _top_tags(m.tickets, m.frame)
    if "tags" not in m.tickets.columns:
        p.tags_note = unavailable.note(["tags"], p.lang)
        what = "Top-20 问题标签" if p.lang == "zh" else "Top-20 tags"
        said.append(unavailable.where(layout.title("Dashboard", p.lang), what, p.tags_note, p.lang))
    return said


def _customer_kpis(m: Month) -> list[str]:
    """The customer KPIs: the domain's numbers for the refreshed month (those `csxl kpi
    --month` gives), with the reason for each unavailable one (the ticket KPIs' too)."""
    from csxl import unavailable
    from csxl.domain import customers

    p = m.state.inputs
    result = customers.customer_kpis(
        m.tickets,
        m.orders,
        ("all",),
        m.window,
        p.customer_plan.settings(),
        m.state.kpi_settings,
        shown_period=m.window,
        in_period=m.frame,
    )
    row = result.kpis("all", None)
    team = m.team
    values: dict[str, object] = {k: team.get(k) for k in ("tickets", "csat", "frt_median")}
    values["survey_response_rate"] = team.get("survey_response_rate")
    for key in customers.CUSTOMER_KPI_KEYS:
        values[key] = row.get(key)
    values["previous_repurchase_rate"] = result.info.get("previous_repurchase_rate")
    info = result.info
    if info.get("high_value"):
        hv = info["high_value"]
        o, a = hv["orders_window"], hv["amount_window"]
        values["note_high_value_customers"] = (
            f"截至 {info['as_of']}：{o['from']} 至 {o['to']} 下单 ≥ {hv['min_orders']:g} 次，"
            f"或 {a['from']} 至 {a['to']} 消费 ≥ {hv['min_amount']:,.0f}"
            if p.lang == "zh"
            else f"As of {info['as_of']}: >= {hv['min_orders']:g} orders {o['from']}..{o['to']}, "
            f"or >= {hv['min_amount']:,.0f} spent {a['from']}..{a['to']}"
        )
    if info.get("period"):
        this, prev = info["period"], info["previous"]
        values["note_retention_rate"] = (
            f"{this['from']} 至 {this['to']} 对比 {prev['from']} 至 {prev['to']}"
            if p.lang == "zh"
            else f"{this['from']}..{this['to']} against {prev['from']}..{prev['to']}"
        )
        values["note_repurchase_rate"] = values["note_retention_rate"]
    p.customers = values
    p.customer_notes = {key: _why(p.lang, why) for key, why in result.unavailable.items()}
    for key in ("tickets", "csat", "frt_median", "survey_response_rate"):
        if key in m.unavailable and key not in p.customer_notes:
            p.customer_notes[key] = _why(p.lang, m.unavailable[key])
    block = "客户指标" if p.lang == "zh" else "customer KPIs"
    dashboard = layout.title("Dashboard", p.lang)
    said: list[str] = []
    for key in C.KEYS:  # one warning per missing column, naming the block
        why = p.customer_notes.get(key) or p.customer_notes.get(f"hv_{key}")
        if unavailable.is_note(why):
            w = unavailable.where(dashboard, block, why, p.lang)
            said += [w] if w not in said else []
    return said


def _why(lang: str, why: str) -> str:
    """An unavailable customer KPI's reason, as the Dashboard says it."""
    from csxl import unavailable
    from csxl.domain.customers import NO_ORDERS

    if why == NO_ORDERS or why.startswith("no orders in"):
        return (
            "订单表没有订单：请把订单导出粘贴到“订单”表"
            if lang == "zh"
            else "no orders: paste the order export on the Orders sheet"
        )
    return unavailable.reason_note(why, lang) or why


def _top_tags(tickets, frame) -> list[tuple[str, int, bool]]:
    """The month's Top-20 tags by tickets, ties by name; alerting tags flagged."""
    from csxl.domain import tags

    if "tags" not in frame or frame.empty:
        return []
    spaced = tags.is_space_separated(frame["tags"], tickets.headers.get("tags", ""))
    counts = tags.daily_counts(frame["created_at"], frame["tags"], spaced)
    if counts.empty:
        return []
    alerting = {a["tag"] for a in tags.alerts(counts)}
    total = counts.sum()
    ranked = sorted(
        ((str(t), int(n)) for t, n in total.items() if n > 0),
        key=lambda x: (-x[1], tuple(map(ord, x[0]))),
    )
    return [(t, n, t in alerting) for t, n in ranked[: D.TAGS_ROWS]]


def write(book: Book, ctx: Ctx) -> None:
    """Refresh's regions: every formula, the Top-20 tags, and the customer block whole,
    labels too (Dashboard is csxl's: a plan made before the block existed gets it)."""
    owned.write_formulas(book, ctx, "Dashboard")
    tags = [(D.TAGS_FIRST_ROW, 1, D.TAGS_FIRST_ROW + D.TAGS_ROWS - 1, 3)]
    owned.write(book, ctx, "Dashboard", tags)
    owned.write(book, ctx, "Dashboard", [(C.TITLE_ROW, C.LABEL, C.last_row(), C.NOTE)])


def rescore(book: Book, ctx: Ctx) -> None:
    """`csxl score`: only the KPI rows, which follow Goals. The refresh row and the
    customer block hold refresh's results, which a re-score does not recompute (their
    cached values would go blank)."""
    owned.write_formulas(book, ctx, "Dashboard", range(D.HEADER_ROW, D.TAGS_TITLE_ROW))


# ------------------------------------------------------------------ csxl batch
def team_cells(p: PlanInputs, formulas: Callable[[], Mapping[str, str]]) -> dict:
    """Over a plan built with the default targets: the targets shown of the KPIs whose
    targets differ (formulas that mirror Goals, with their cached values)."""
    from csxl.workbook.sheetxml import Formula

    cells: dict[tuple[int, int], object] = {}
    for i, (tg, d) in enumerate(
        zip(p.targets[: SCORE_ROW - D.FIRST_ROW], scoring.DEFAULT_TARGETS, strict=False)
    ):
        if tg == d:
            continue
        df = formulas()
        r = D.FIRST_ROW + i
        for c, value in (
            (D.BASELINE, tg.baseline),
            (D.STRETCH, tg.stretch),
            (D.CHALLENGE, tg.challenge),
        ):
            cells[(r, c)] = Formula(df[f"{col(c)}{r}"], as_shown(tg, value))
    return cells


# ------------------------------------------------------------------ customer KPIs
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


def _customers(ctx: Ctx, ws) -> None:
    """The customer KPIs below the tags (docs/workbook.md, "Customer KPIs"): the values
    refresh computed (`csxl.domain.customers`), the gap, target and flag as formulas; an
    unavailable figure shows 不可用 / n/a with the reason, never 0, its flag blank."""
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
    settings = lambda row: layout.customer_setting_cell(row, lang)  # noqa: E731
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
