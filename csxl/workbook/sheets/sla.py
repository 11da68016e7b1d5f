"""SLA (服务时限): the SLA policy, the collaboration limits, and the attainment results.

Left, the manager's tables: first-response (minutes) and resolution (hours) targets per
severity and channel, each on a clock (7x24, 09:00-24:00, 09:00-18:00, or per weekday like
``1-5 09:00-18:00; 6 10:00-16:00``) counted on China working days plus the Holidays sheet;
below, the department collaboration limits per type (hours on the wall clock, or working
days). Right, OWNED: on Refresh csxl writes, per month and team, the tickets with an SLA,
first responses and resolutions within their due times, and per month and collaborating
department the collaborations finished within their limit and the median processing hours
(the department appraisal). The two % columns of each block are formulas.
Rules: `csxl.domain.sla`.
"""

from __future__ import annotations

from dataclasses import replace

from openpyxl.styles import Alignment

from csxl.domain.kpis import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S
from csxl.domain.sla import EVERY_CHANNEL, SEVERITIES
from csxl.errors import InputError, Location, reason, t
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, number
from csxl.workbook.layout import Sla as L
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState

SEVERITY_LABELS = {"zh": SEVERITIES, "en": ("Urgent", "High", "Normal")}
ALL_CHANNELS = {"zh": "全部", "en": "All"}
UNITS = {
    "zh": {"h": "小时", "workdays": "工作日"},
    "en": {"h": "hours", "workdays": "working days"},
}
CLOCKS = ("7x24", "09:00-24:00", "09:00-18:00")
NOT_AVAILABLE = "n/a"  # a KPI block value: the data lacks the KPI's column


def severity_label(lang: str, severity: str) -> str:
    if severity in SEVERITIES:
        return SEVERITY_LABELS[lang][SEVERITIES.index(severity)]
    return severity


def severity_key(value: str) -> str:
    """The data's severity (紧急/重要/常规) from a label in either language."""
    for lang in ("zh", "en"):
        if value in SEVERITY_LABELS[lang]:
            return SEVERITIES[SEVERITY_LABELS[lang].index(value)]
    return value


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    return [("服务时限：时限表与协作时限", "SLA: policy and collaboration limits")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("SLA")
    t, lang = ctx.t, ctx.lang
    p = ctx.inputs
    ctx.title(
        ws,
        t("服务时限（SLA）", "Service level agreements (SLA)"),
        t(
            "黄色可改：按紧急程度和渠道设定首次响应（分钟）与解决（小时）时限，按“营业时间”计时（7x24 含节假日；"
            "09:00-24:00 等只在工作日的该时段计时，法定节假日、调休和“假日”表已计入）。渠道填“全部”或留空表示所有渠道，"
            "具体渠道的行优先。",
            "Yellow cells are yours: first-response (minutes) and resolution (hours) limits per "
            "severity and channel, counted on the row's hours (7x24 includes holidays; 09:00-24:00 "
            "and the like count only those hours on working days, with statutory holidays, 调休 "
            "and the Holidays sheet). Channel 'All' or blank covers every channel; a channel's own "
            "row wins.",
        ),
    )
    ws.merge_cells("A2:F2")
    ws.row_dimensions[2].height = 72
    ws["A2"].alignment = Alignment(vertical="top", wrap_text=True)

    ctx.header(
        ws,
        L.POLICY_HEADER_ROW,
        1,
        [
            t("紧急程度", "Severity"),
            t("渠道", "Channel"),
            t("营业时间", "Hours"),
            t("首次响应（分钟）", "First response (min)"),
            t("解决（小时）", "Resolution (h)"),
        ],
    )
    for i in range(L.POLICY_ROWS):
        r = L.POLICY_FIRST_ROW + i
        target = p.sla_targets[i] if i < len(p.sla_targets) else None
        ctx.input(
            ws, f"{col(L.SEVERITY)}{r}", severity_label(lang, target.severity) if target else None
        )
        channel = None if target is None else (target.channel or ALL_CHANNELS[lang])
        ctx.input(ws, f"{col(L.CHANNEL)}{r}", channel)
        ctx.input(ws, f"{col(L.HOURS)}{r}", target.hours if target else None)
        ctx.input(
            ws,
            f"{col(L.FIRST_RESPONSE_MIN)}{r}",
            target.first_response_min if target else None,
            "0",
        )
        ctx.input(ws, f"{col(L.RESOLUTION_H)}{r}", target.resolution_h if target else None, "0.0")
    first, last = L.POLICY_FIRST_ROW, L.policy_last_row()
    ctx.list_validation(ws, "severity", SEVERITY_LABELS[lang]).add(
        f"{col(L.SEVERITY)}{first}:{col(L.SEVERITY)}{last}"
    )
    ctx.validation(
        ws,
        "limit",
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        errorTitle=t("时限", "Limit"),
        error=t("请输入 0 或更大的数字。", "Please enter a number, 0 or more."),
    ).add(f"{col(L.FIRST_RESPONSE_MIN)}{first}:{col(L.RESOLUTION_H)}{last}")
    note = f"A{last + 1}"
    ctx.label(
        ws,
        note,
        t(
            "营业时间写法：7x24；09:00-24:00；09:00-18:00；按星期 1-5 09:00-18:00; 6 10:00-16:00（1=周一）；"
            "加“每天”表示节假日也计时。",
            "Hours: 7x24; 09:00-24:00; 09:00-18:00; per weekday 1-5 09:00-18:00; 6 10:00-16:00 "
            "(1 = Monday); add 'daily' to count holidays too.",
        ),
        style.NOTE,
    )
    ws.merge_cells(f"{note}:E{last + 1}")
    ws.row_dimensions[last + 1].height = 30

    ctx.label(
        ws, f"A{L.COLLAB_TITLE_ROW}", t("跨部门协作时限", "Collaboration limits"), style.TITLE
    )
    ctx.header(
        ws,
        L.COLLAB_HEADER_ROW,
        1,
        [t("协作类型", "Type"), t("时限", "Limit"), t("单位", "Unit")],
    )
    units = UNITS[lang]
    for i in range(L.COLLAB_ROWS):
        r = L.COLLAB_FIRST_ROW + i
        row = p.collab_limits[i] if i < len(p.collab_limits) else None
        ctx.input(ws, f"{col(L.C_TYPE)}{r}", row[0] if row else None)
        ctx.input(ws, f"{col(L.C_LIMIT)}{r}", row[1] if row else None, "0.##")
        ctx.input(ws, f"{col(L.C_UNIT)}{r}", units[row[2]] if row else None)
    c_first, c_last = L.COLLAB_FIRST_ROW, L.COLLAB_FIRST_ROW + L.COLLAB_ROWS - 1
    ctx.list_validation(ws, "unit", list(units.values())).add(
        f"{col(L.C_UNIT)}{c_first}:{col(L.C_UNIT)}{c_last}"
    )
    ctx.label(
        ws,
        f"A{c_last + 1}",
        t(
            "小时按自然时间计；工作日为发送日（第 0 天）后第 N 个工作日的 24:00 前。类型与数据中的“协作类型”一致；"
            "功能解释同常规；没有单独时限的类型按常规。",
            "Hours run on the wall clock; N working days end at 24:00 of the Nth working day after "
            "the hand-over day (day 0). Types match the data's collaboration type; 功能解释 is "
            "常规; a type without its own limit is held to 常规's.",
        ),
        style.NOTE,
    )
    ws.merge_cells(f"A{c_last + 1}:E{c_last + 2}")

    _kpi_limits(ctx, ws)
    _results(ctx, ws)
    widths = {"A": 12, "B": 10, "C": 26, "D": 14, "E": 12, "F": 2, "G": 2}
    widths |= {col(c): 11 for c in range(L.T_MONTH, L.D_MEDIAN + 1)}
    widths[col(L.T_TEAM)] = 14
    widths[col(L.D_DEPT)] = 14
    widths[col(L.T_RES_PCT + 1)] = 2
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{L.POLICY_FIRST_ROW}",
        header_rows=f"{L.RESULT_HEADER_ROW}:{L.RESULT_HEADER_ROW}",
    )


def _kpi_limits(ctx: Ctx, ws) -> None:
    """frt_sla's and rt_sla's limits as formulas on Settings (their one source: a manager
    changes them there), and the refreshed month's two rates beside them."""
    from csxl.domain.catalog import CATALOG

    t, p = ctx.t, ctx.inputs
    ctx.label(
        ws,
        f"A{L.KPI_TITLE_ROW}",
        t("考核指标的时限（首响达标率、解决时效达标率）", "KPI limits (within-target rates)"),
        style.TITLE,
    )
    ctx.header(
        ws,
        L.KPI_HEADER_ROW,
        L.K_LABEL,
        [t("指标", "KPI"), t("时限（秒）", "Limit (s)"), t("月份", "Month"), t("达标率", "Rate")],
    )
    limits = (
        (p.frt_target_s, DEFAULT_FRT_TARGET_S),
        (p.rt_target_s, DEFAULT_RT_TARGET_S),
    )
    for i, (key, (seconds, default)) in enumerate(zip(L.KPI_KEYS, limits, strict=True)):
        r = L.KPI_FIRST_ROW + i
        ctx.label(ws, f"{col(L.K_LABEL)}{r}", CATALOG[key].label(ctx.lang))
        source = layout.kpi_limit_cell(key, ctx.lang)
        # Blank on Settings means the default, as the reader takes it.
        ctx.formula(
            ws,
            f"{col(L.K_LIMIT)}{r}",
            f"=IF(ISNUMBER({source}),{source},{default:g})",
            seconds,
            style.INTEGER,
        )
        value = p.sla_kpis.get(key)
        if value == NOT_AVAILABLE:
            value = t("不可用", "n/a")
        month = p.sla_kpis.get("month") if p.sla_kpis else None
        ctx.label(ws, f"{col(L.K_MONTH)}{r}", month, style.COMPUTED)
        ctx.label(ws, f"{col(L.K_VALUE)}{r}", value, style.COMPUTED, style.PERCENT)
    note = f"A{L.KPI_NOTE_ROW}"
    cells = "、".join(layout.kpi_limit_address(key) for key in L.KPI_KEYS)
    ctx.label(
        ws,
        note,
        t(
            f"时限只在“设置”表 {cells} 修改（本表引用它们）：自然时间，所有工单同一时限，刷新和 "
            "csxl kpi 都按它计算。上方时限表是另一种口径：按紧急程度、渠道和营业时间，达成率在右侧。",
            f"Change the limits on Settings ({cells.replace('、', ', ')}; this table refers to "
            "them): wall clock, one limit for every ticket, used by Refresh and csxl kpi. The "
            "policy table above is another measure: per severity, channel and business hours, "
            "attainment on the right.",
        ),
        style.NOTE,
    )
    ws.merge_cells(f"{note}:E{L.KPI_NOTE_ROW + 1}")
    ws[note].alignment = Alignment(vertical="top", wrap_text=True)
    ws.row_dimensions[L.KPI_NOTE_ROW].height = 30


def _results(ctx: Ctx, ws) -> None:
    t = ctx.t
    p = ctx.inputs
    status = f"{col(L.T_MONTH)}{L.STATUS_ROW}"
    ctx.label(ws, status, p.sla_status, style.NOTE)
    ws[status].alignment = Alignment(vertical="center", wrap_text=False)
    ws.merge_cells(f"{status}:{col(L.D_MEDIAN)}{L.STATUS_ROW}")
    ctx.label(
        ws,
        f"{col(L.T_MONTH)}{L.RESULT_TITLE_ROW}",
        t("达成情况（刷新时计算）", "Attainment (computed on Refresh)"),
        style.HEADER,
    )
    ws.merge_cells(f"{col(L.T_MONTH)}{L.RESULT_TITLE_ROW}:{col(L.T_RES_PCT)}{L.RESULT_TITLE_ROW}")
    ctx.label(
        ws,
        f"{col(L.D_MONTH)}{L.RESULT_TITLE_ROW}",
        t("部门考核：协作时限与处理时长", "Department appraisal: collaboration"),
        style.HEADER,
    )
    ws.merge_cells(f"{col(L.D_MONTH)}{L.RESULT_TITLE_ROW}:{col(L.D_MEDIAN)}{L.RESULT_TITLE_ROW}")
    ctx.header(
        ws,
        L.RESULT_HEADER_ROW,
        L.T_MONTH,
        [
            t("月份", "Month"),
            t("团队", "Team"),
            t("工单", "Tickets"),
            t("首响达标", "Responses met"),
            t("首响达成率", "Response %"),
            t("解决达标", "Resolutions met"),
            t("解决达成率", "Resolution %"),
        ],
    )
    ctx.header(
        ws,
        L.RESULT_HEADER_ROW,
        L.D_MONTH,
        [
            t("月份", "Month"),
            t("协作部门", "Department"),
            t("协作单", "Collaborations"),
            t("按时完成", "Within limit"),
            t("达成率", "Attainment"),
            t("处理时长中位数（小时）", "Median hours"),
        ],
    )
    ws.row_dimensions[L.RESULT_HEADER_ROW].height = 30
    unassigned = t("未分配", "Unassigned")
    for i in range(L.RESULT_ROWS):
        r = L.RESULT_FIRST_ROW + i
        row = p.sla_teams[i] if i < len(p.sla_teams) else None
        values = (
            (L.T_MONTH, row and row[0], None),
            (L.T_TEAM, row and (row[1] if row[1] is not None else unassigned), None),
            (L.T_TICKETS, row and row[2], "0"),
            (L.T_FRT_MET, row and row[3], "0"),
            (L.T_RES_MET, row and row[4], "0"),
        )
        for c, value, fmt in values:
            ctx.label(ws, f"{col(c)}{r}", value, style.COMPUTED, fmt)
        for met_col, pct_col, k in ((L.T_FRT_MET, L.T_FRT_PCT, 3), (L.T_RES_MET, L.T_RES_PCT, 4)):
            # A blank count (the export has no such column; the status line says so) gives
            # a blank rate, not 0%.
            n, met = f"{col(L.T_TICKETS)}{r}", f"{col(met_col)}{r}"
            value = "" if not row or not row[2] or row[k] is None else row[k] / row[2]
            ctx.formula(
                ws,
                f"{col(pct_col)}{r}",
                f'=IF(OR({n}="",{n}=0,{met}=""),"",{met}/{n})',
                value,
                style.PERCENT,
            )
        d = p.sla_depts[i] if i < len(p.sla_depts) else None
        for c, value, fmt in (
            (L.D_MONTH, d and d[0], None),
            (L.D_DEPT, d and (d[1] if d[1] is not None else unassigned), None),
            (L.D_COLLAB, d and d[2], "0"),
            (L.D_MET, d and d[3], "0"),
            (L.D_MEDIAN, d and d[4], "0.0"),
        ):
            ctx.label(ws, f"{col(c)}{r}", value, style.COMPUTED, fmt)
        n = f"{col(L.D_COLLAB)}{r}"
        ctx.formula(
            ws,
            f"{col(L.D_PCT)}{r}",
            f'=IF(OR({n}="",{n}=0),"",{col(L.D_MET)}{r}/{n})',
            "" if not d or not d[2] else d[3] / d[2],
            style.PERCENT,
        )
    if p.sla_dept_note:
        # Without the collaboration columns the block says why it is empty (the status line
        # above says it too, in full: this cell runs on over the empty cells to its right).
        first = f"{col(L.D_MONTH)}{L.RESULT_FIRST_ROW}"
        ctx.label(ws, first, p.sla_dept_note, style.NOTE)
        ws[first].alignment = Alignment(vertical="top", wrap_text=False)


__all__ = ["EVERY_CHANNEL", "build", "severity_key"]


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The SLA policy rows and the collaboration limits, checked; the limits are the
    department appraisal's (`KpiSettings.dept_limits_h` and `dept_limits_workdays`)."""
    from csxl.domain.sla import SlaPolicy, SlaTarget, normalise_channel

    rows = book.rows("SLA")
    sheet = layout.title("SLA", book.lang)
    targets = []
    for r in range(L.POLICY_FIRST_ROW, L.policy_last_row() + 1):
        values = [cell(rows, r, c) for c in range(L.SEVERITY, L.RESOLUTION_H + 1)]
        if all(v is None for v in values):
            continue
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        severity, channel, hours = values[0], values[1], values[2]
        if severity is None or hours is None:
            raise InputError(
                t("SLA 的一行需要级别和服务时间。", "an SLA row needs a severity and its hours."),
                where(L.SEVERITY if severity is None else L.HOURS),
                t("请补全或清空这一行。", "Complete or clear the row."),
            )
        targets.append(
            SlaTarget(
                severity_key(str(severity).strip()),
                normalise_channel(channel),
                str(hours).strip(),
                number(rows, r, L.FIRST_RESPONSE_MIN, where(L.FIRST_RESPONSE_MIN)),
                number(rows, r, L.RESOLUTION_H, where(L.RESOLUTION_H)),
            )
        )
        try:
            SlaPolicy(tuple(targets))
        except ValueError as exc:
            raise InputError(
                t(f"{reason(exc)}。", f"{exc}."),
                where(L.SEVERITY),
                t("请改正或清空这一行。", "Fix or clear the row."),
            ) from None
    limits = []
    unit_keys = {label: key for lang in UNITS for key, label in UNITS[lang].items()}
    for r in range(L.COLLAB_FIRST_ROW, L.COLLAB_FIRST_ROW + L.COLLAB_ROWS):
        kind, limit, unit = (cell(rows, r, c) for c in (L.C_TYPE, L.C_LIMIT, L.C_UNIT))
        if kind is None and limit is None and unit is None:
            continue
        where = Location(book.name, sheet, r, layout.col(L.C_LIMIT))
        value = number(rows, r, L.C_LIMIT, where)
        if kind is None or value is None or value < 0 or unit not in unit_keys:
            raise InputError(
                t(
                    "协作时限需要类型、0 或以上的时限和单位。",
                    "a collaboration limit needs a type, a limit of 0 or more and a unit.",
                ),
                where,
                t("请补全或清空这一行。", "Complete or clear the row."),
            )
        if unit_keys[unit] == "workdays" and value != int(value):
            raise InputError(
                t("工作日必须是整数。", "working days are whole numbers."),
                where,
                t("请填写整数，如 3。", "Type e.g. 3."),
            )
        limits.append((str(kind).strip(), value, unit_keys[unit]))
    p = state.inputs
    p.sla_targets, p.collab_limits = tuple(targets), tuple(limits)
    hours = {t: float(v) for t, v, unit in p.collab_limits if unit == "h"}
    days = {t: int(v) for t, v, unit in p.collab_limits if unit == "workdays"}
    state.kpi_settings = replace(state.kpi_settings, dept_limits_h=hours, dept_limits_workdays=days)


def write(book: Book, ctx: Ctx) -> None:
    """The SLA sheet's owned regions: the status line, the two result blocks and the KPI
    limits block (whole, labels and formulas too: a plan made before it gets it)."""
    first, last = L.RESULT_FIRST_ROW, L.result_last_row()
    kpi_last = L.KPI_FIRST_ROW + len(L.KPI_KEYS) - 1
    owned.write(
        book,
        ctx,
        "SLA",
        [
            (L.STATUS_ROW, L.T_MONTH, L.STATUS_ROW, L.T_MONTH),
            (first, L.T_MONTH, last, L.T_RES_PCT),
            (first, L.D_MONTH, last, L.D_MEDIAN),
            (L.KPI_TITLE_ROW, L.K_LABEL, kpi_last, L.K_VALUE),
            (L.KPI_NOTE_ROW, L.K_LABEL, L.KPI_NOTE_ROW, L.K_LABEL),
        ],
    )


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    """The month's frt_sla and rt_sla for the KPI block (the numbers `csxl kpi PLAN --month
    M` gives, on Settings' limits), and attainment per month and team and the department
    appraisal over the plan's valid tickets of every month (the latest RESULT_ROWS kept).

    A count whose column the export lacks is left blank and said once, on the sheet and in
    the warnings: responses without a first-response column, resolutions without a
    resolution time column, the appraisal without the collaboration columns."""
    import math

    from csxl import unavailable
    from csxl.domain import kpis, sla

    state, p = m.state, m.state.inputs
    p.sla_kpis = {"month": m.month}
    for key in L.KPI_KEYS:
        p.sla_kpis[key] = NOT_AVAILABLE if key in m.unavailable else m.team.get(key)
    frame = m.tickets.frame
    notes: list[str] = []
    has = m.tickets.columns
    frt_missing = not has & {"first_response_at", "first_response_s"}
    res_missing = "resolved_at" not in has
    for absent, what in ((frt_missing, "first_response_at"), (res_missing, "resolved_at")):
        if absent:
            notes.append(unavailable.note([what], p.lang))
    outcome, warnings = sla.ticket_sla(frame, state.sla_policy())
    teams = sla.attainment(frame, outcome, ("month", "team"))
    p.sla_teams = [
        (
            r.month,
            r.team,
            int(r.tickets),
            None if frt_missing else int(r.frt_met),
            None if res_missing else int(r.res_met),
        )
        for r in teams.itertuples()
        if r.tickets > 0
    ][-L.RESULT_ROWS :]
    more: list[str] = []
    absent = unavailable.missing(has, unavailable.DEPT_COLUMNS)
    p.sla_dept_note = unavailable.note(absent, p.lang) if absent else None
    p.sla_depts = []
    if not absent:
        _, met, more = kpis.dept_sla_flags(frame, state.kpi_settings)
        depts = sla.department_appraisal(frame, met, ("month", "dept"))
        p.sla_depts = [
            (
                r.month,
                r.dept,
                int(r.collab),
                int(r.met),
                None if math.isnan(r.median_hours) else float(r.median_hours),
            )
            for r in depts.itertuples()
        ][-L.RESULT_ROWS :]
    first, last, now = frame["created_at"].min(), frame["created_at"].max(), m.now
    n = int((outcome["sla_row"] >= 0).sum())
    if p.lang == "zh":
        span = f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
        p.sla_status = f"{now:%Y-%m-%d %H:%M} 按 {n:,} 张有 SLA 的工单计算（{span}）"
    else:
        p.sla_status = (
            f"{now:%Y-%m-%d %H:%M}: {n:,} tickets with an SLA ({first:%Y-%m-%d} to {last:%Y-%m-%d})"
        )
    zh = p.lang == "zh"
    if p.sla_dept_note:
        notes.append(("部门考核：" if zh else "Department appraisal: ") + p.sla_dept_note)
    if notes:
        sep = "；" if zh else "; "
        p.sla_status += sep + sep.join(notes)
    sheet = layout.title("SLA", p.lang)
    said = [
        unavailable.where(sheet, "达成情况" if zh else "attainment", note, p.lang)
        for note in notes[: len(notes) - bool(p.sla_dept_note)]
    ]
    if p.sla_dept_note:
        what = "部门考核" if zh else "department appraisal"
        said.append(unavailable.where(sheet, what, p.sla_dept_note, p.lang))
    return said + warnings + [w for w in more if w not in warnings]
