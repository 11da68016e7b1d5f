"""Staffing (排班): Erlang C agents per weekday x interval, a heat map and the peak view.

The manager types the inputs (AHT, target service level and seconds, shrinkage, interval,
weeks of data, maximum occupancy, where the arrivals come from) and, if wanted, a manual
forecast grid. Refresh (or `csxl staff WORKBOOK`) fills the arrivals grid from the Data
sheet (the mean per weekday and interval over the last N weeks, `csxl.domain.staffing`) and
the result grids. The results are values, not formulas: Erlang C needs a search for the
smallest N (and EXP is not in the portable function list), so a changed input shows after
the next Refresh or `csxl staff`. The peak view (09:00-11:00) is live formulas on the grids.
"""

from __future__ import annotations

from datetime import datetime

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment

from csxl.domain.columns import TICKETS
from csxl.domain.staffing import StaffingInputs
from csxl.errors import LANGUAGE, InputError, Location, t
from csxl.errors import t as t_  # `t` is the builders' ctx.t
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, number
from csxl.workbook.layout import Staffing as S
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState

WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
# Where the arrivals come from, as the dropdown offers them: the paste sheet of tickets (by
# its title) or the manual forecast grid.
SOURCES = {
    lang: (layout.SHEET[layout.paste_area(TICKETS)].title(lang), forecast)
    for lang, forecast in (("zh", "手工预测"), ("en", "Forecast"))
}
INTERVALS = (15, 30, 60)
BLOCK_TITLES = {
    "arrivals": ("到达量（数据：各周同一时段的平均）", "Arrivals (data: mean over the weeks)"),
    "forecast": ("到达量（手工预测，可填写）", "Arrivals (your forecast)"),
    "agents": ("需要坐席（未计损耗）", "Agents needed (before shrinkage)"),
    "scheduled": ("排班人数（计损耗）", "Scheduled (after shrinkage)"),
    "service_level": ("预计服务水平", "Service level"),
    "asa_s": ("平均应答时间（秒）", "ASA (seconds)"),
    "occupancy": ("占用率", "Occupancy"),
}
BLOCK_FORMATS = {
    "arrivals": "0.0",
    "forecast": "0.0",
    "agents": "0",
    "scheduled": "0",
    "service_level": style.PERCENT,
    "asa_s": "0.0",
    "occupancy": style.PERCENT,
}


def heat() -> ColorScaleRule:
    """The heat map: white (least) through amber to red (most)."""
    return ColorScaleRule(
        start_type="min", start_color="F8FAFC", mid_type="percentile", mid_value=50,
        mid_color="FFE8B3", end_type="max", end_color="F8696B",
    )  # fmt: skip


def label(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def results(s: StaffingInputs) -> dict[str, dict[tuple[int, int], float]]:
    """Per block (agents, scheduled, ...): (weekday, interval) -> value; empty when there
    are no arrivals to compute from."""
    import pandas as pd

    from csxl.domain.staffing import RESULT_COLUMNS, staffing_table

    arrivals = s.arrivals()
    if not arrivals:
        return {}
    cells = sorted(arrivals)
    table = staffing_table(
        pd.DataFrame({"calls": [arrivals[c] for c in cells]}),
        s.interval_min,
        s.aht_s,
        s.target_sl,
        s.target_s,
        s.shrinkage,
        s.max_occupancy,
    )
    return {name: dict(zip(cells, table[name].tolist(), strict=True)) for name in RESULT_COLUMNS}


def status_line(lang: str, window: tuple[str, str, int] | None, at: datetime) -> str:
    """What the results were computed from, for ROW_COMPUTED."""
    stamp = at.strftime("%Y-%m-%d %H:%M")
    if window is None:
        return f"{stamp}：按手工预测计算" if lang == "zh" else f"{stamp}: from your forecast"
    first, last, days = window
    if lang == "zh":
        return f"{stamp}：按数据 {first} 至 {last}（{days} 天）计算"
    return f"{stamp}: from the data {first} to {last} ({days} days)"


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    return [("排班：参数与人工预测", "Staffing: inputs and the manual forecast")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Staffing")
    t = ctx.t
    s: StaffingInputs = ctx.inputs.staffing
    ctx.title(
        ws,
        t("排班测算（Erlang C）", "Staffing (Erlang C)"),
        t(
            "黄色为可填写的内容。坐席数是满足目标服务水平（且不超过最高占用率）的最小人数，由“刷新指标”或"
            "命令 csxl staff 工作簿 计算后写入（Erlang C 需要逐个试算，不是公式）；改了参数或预测请重新计算。"
            "排班人数 = 向上取整(坐席数 ÷ (1 − 损耗率))。",
            "Yellow cells are yours. Agents are the smallest number meeting the service-level target "
            "(and the occupancy cap), written by Refresh or `csxl staff WORKBOOK` (Erlang C needs a "
            "search, so these are values, not formulas): recompute after changing an input or the "
            "forecast. Scheduled = ceil(agents / (1 - shrinkage)).",
        ),
    )
    ws.merge_cells(f"A2:{col(S.block_col('forecast', 6))}2")
    ws.row_dimensions[2].height = 44

    _inputs(ctx, ws, s)
    computed = results(s)
    _peak(ctx, ws, s, computed)
    _grids(ctx, ws, s, computed)

    widths = {"A": 24}
    for block in S.BLOCKS:
        for w in range(7):
            widths[col(S.block_col(block, w))] = 8.5  # 3 page groups of the 7 grids
        widths[col(S.block_col(block, 7))] = 2
    setup_sheet(
        ws,
        widths=widths,
        freeze="B1",  # the interval column; freezing the rows above the grids would take the screen
        header_rows=f"{S.GRID_HEADER_ROW}:{S.GRID_HEADER_ROW}",
        split=True,
    )


def _inputs(ctx: Ctx, ws, s: StaffingInputs) -> None:
    t = ctx.t
    ctx.label(ws, "A3", t("参数", "Inputs"), style.HEADER)
    ctx.label(ws, "B3", t("值", "Value"), style.HEADER)
    ctx.label(ws, "C3", t("说明", "Note"), style.HEADER)
    rows = [
        (S.ROW_AHT, t("平均处理时长 AHT（秒）", "AHT (seconds)"), s.aht_s, "0",
         t("通话/会话加话后处理的平均秒数", "Talk plus wrap-up, seconds")),
        (S.ROW_TARGET_SL, t("目标服务水平", "Target service level"), s.target_sl, "0%",
         t("如 80% 在 20 秒内接起", "e.g. 80% answered in 20 s")),
        (S.ROW_TARGET_S, t("目标接起时间（秒）", "Target answer time (s)"), s.target_s, "0", ""),
        (S.ROW_SHRINKAGE, t("损耗率", "Shrinkage"), s.shrinkage, "0%",
         t("休息、培训、会议等不接待的时间占比", "Breaks, training, meetings: paid time off contacts")),
        (S.ROW_INTERVAL, t("时段长度（分钟）", "Interval (minutes)"), s.interval_min, "0",
         t("15、30 或 60", "15, 30 or 60")),
        (S.ROW_WEEKS, t("使用最近几周的数据", "Weeks of data used"), s.weeks, "0",
         t("留空 = 数据中的全部周", "Blank = every week in the data")),
        (S.ROW_MAX_OCCUPANCY, t("最高占用率", "Maximum occupancy"), s.max_occupancy, "0%",
         t("100% = 不限制", "100% = no cap")),
        (S.ROW_SOURCE, t("到达量来源", "Arrivals from"), SOURCES[ctx.lang][s.source == "forecast"], None,
         t("数据 = 数据表各周平均；手工预测 = 右侧黄色表格", "Data = the Data sheet; Forecast = the yellow grid")),
    ]  # fmt: skip
    for r, text, value, fmt, note in rows:
        ctx.label(ws, f"A{r}", text)
        ctx.input(ws, f"B{r}", value, fmt)
        ctx.label(ws, f"C{r}", note, style.NOTE)
        ws[f"C{r}"].alignment = Alignment(vertical="center", wrap_text=False)  # runs on right
    ctx.list_validation(ws, "source", SOURCES[ctx.lang]).add(f"B{S.ROW_SOURCE}")
    ctx.list_validation(ws, "interval", [str(i) for i in INTERVALS]).add(f"B{S.ROW_INTERVAL}")
    ctx.label(ws, f"A{S.ROW_COMPUTED}", t("计算依据", "Computed from"))
    ctx.label(ws, f"B{S.ROW_COMPUTED}", s.computed, style.COMPUTED)
    ws.merge_cells(f"B{S.ROW_COMPUTED}:{col(S.block_col('arrivals', 6))}{S.ROW_COMPUTED}")


def _peak_rows(s: StaffingInputs) -> tuple[int, int] | None:
    """First and last grid row of the intervals starting in [09:00, 11:00)."""
    first = -(-S.PEAK_START_MIN // s.interval_min)
    last = (S.PEAK_END_MIN - 1) // s.interval_min
    if first > last:
        return None
    return S.GRID_FIRST_ROW + first, S.GRID_FIRST_ROW + last


def _peak(ctx: Ctx, ws, s: StaffingInputs, computed) -> None:
    t = ctx.t
    c0, h = S.PEAK_COL, S.PEAK_HEADER_ROW
    ctx.label(ws, f"{col(c0)}{h}", t("高峰 09:00-11:00", "Peak 09:00-11:00"), style.HEADER)
    for w, name in enumerate(WEEKDAYS[ctx.lang]):
        ctx.label(ws, f"{col(c0 + 1 + w)}{h}", name, style.HEADER)
    rows = _peak_rows(s)
    assert rows is not None  # 15, 30 and 60 all have intervals in the peak
    r0, r1 = rows
    slots = range(r0 - S.GRID_FIRST_ROW, r1 - S.GRID_FIRST_ROW + 1)
    forecast = SOURCES[ctx.lang][1]
    arrivals = s.arrivals() or {}
    lines = [
        (t("到达量合计", "Arrivals (sum)"), None, "0.0", sum),
        (t("需要坐席（最多）", "Agents (most)"), "agents", "0", max),
        (t("排班人数（最多）", "Scheduled (most)"), "scheduled", "0", max),
        (t("服务水平（最低）", "Service level (lowest)"), "service_level", style.PERCENT, min),
        (t("平均应答（最长，秒）", "ASA (longest, s)"), "asa_s", "0.0", max),
    ]
    for i, (text, block, fmt, fold) in enumerate(lines):
        r = S.PEAK_FIRST_ROW + i
        ctx.label(ws, f"{col(c0)}{r}", text)
        for w in range(7):
            address = f"{col(c0 + 1 + w)}{r}"
            if block is None:
                data = (
                    f"{col(S.block_col('arrivals', w))}{r0}:{col(S.block_col('arrivals', w))}{r1}"
                )
                fc = f"{col(S.block_col('forecast', w))}{r0}:{col(S.block_col('forecast', w))}{r1}"
                text_f = f'=IF($B${S.ROW_SOURCE}="{forecast}",SUM({fc}),SUM({data}))'
                values = [arrivals[(w, k)] for k in slots if (w, k) in arrivals]
                value = float(sum(values)) if values else 0
            else:
                area = f"{col(S.block_col(block, w))}{r0}:{col(S.block_col(block, w))}{r1}"
                name = {max: "MAX", min: "MIN"}[fold]
                text_f = f'=IF(COUNT({area})=0,"",{name}({area}))'
                values = [
                    computed[block][(w, k)] for k in slots if (w, k) in computed.get(block, {})
                ]
                value = fold(values) if values else ""
            ctx.formula(ws, address, text_f, value, fmt)
            ws[address].alignment = Alignment(horizontal="center", vertical="center")


def _grids(ctx: Ctx, ws, s: StaffingInputs, computed) -> None:
    t = ctx.t
    names = WEEKDAYS[ctx.lang]
    ctx.label(ws, f"A{S.GRID_HEADER_ROW}", t("时段开始", "Interval"), style.HEADER)
    for i in range(S.GRID_ROWS):
        r = S.GRID_FIRST_ROW + i
        ctx.label(ws, f"A{r}", label(i * s.interval_min) if i < s.slots else None, style.COMPUTED)
    first, last = S.GRID_FIRST_ROW, S.grid_last_row()
    for block in S.BLOCKS:
        c = S.block_col(block)
        zh, en = BLOCK_TITLES[block]
        ctx.label(ws, f"{col(c)}{S.GRID_TITLE_ROW}", t(zh, en), style.HEADER)
        ws.merge_cells(f"{col(c)}{S.GRID_TITLE_ROW}:{col(c + 6)}{S.GRID_TITLE_ROW}")
        for w, name in enumerate(names):
            ctx.label(ws, f"{col(c + w)}{S.GRID_HEADER_ROW}", name, style.HEADER)
        values = (
            s.data_arrivals
            if block == "arrivals"
            else s.forecast
            if block == "forecast"
            else computed.get(block, {})
        )
        for i in range(S.GRID_ROWS):
            r = first + i
            for w in range(7):
                address = f"{col(c + w)}{r}"
                value = values.get((w, i)) if i < s.slots else None
                if block == "forecast":
                    ctx.input(ws, address, value, BLOCK_FORMATS[block])
                else:
                    ctx.label(ws, address, value, style.COMPUTED, BLOCK_FORMATS[block])
        if block in ("arrivals", "forecast", "agents", "scheduled"):
            ws.conditional_formatting.add(f"{col(c)}{first}:{col(c + 6)}{last}", heat())


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The Staffing sheet's inputs, forecast grid and the arrivals shown now."""
    rows = book.rows("Staffing")
    sheet = layout.title("Staffing", book.lang)
    where = lambda r, c=S.VALUE_COL: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
    value = lambda r: number(rows, r, S.VALUE_COL, where(r))  # noqa: E731
    default = StaffingInputs()

    def checked(r: int, ok, hint: str, fallback: float | None) -> float | None:
        v = value(r)
        if v is None:
            return fallback
        if not ok(v):
            raise InputError(f"{v:g} is out of range.", where(r), hint)
        return v

    aht = checked(S.ROW_AHT, lambda v: v > 0, "AHT is seconds, more than 0.", default.aht_s)
    sl = checked(
        S.ROW_TARGET_SL, lambda v: 0 < v < 1, "Type a percentage such as 80%.", default.target_sl
    )
    target_s = checked(S.ROW_TARGET_S, lambda v: v >= 0, "Seconds, 0 or more.", default.target_s)
    shrinkage = checked(
        S.ROW_SHRINKAGE, lambda v: 0 <= v < 1, "Type a percentage such as 30%.", 0.0
    )
    interval = checked(
        S.ROW_INTERVAL, lambda v: v in INTERVALS, "Use 15, 30 or 60 minutes.", default.interval_min
    )
    weeks = checked(S.ROW_WEEKS, lambda v: v >= 1 and v == int(v), "A whole number of weeks.", None)
    occupancy = checked(
        S.ROW_MAX_OCCUPANCY, lambda v: 0 < v <= 1, "Type a percentage up to 100%.", 1.0
    )
    source = cell(rows, S.ROW_SOURCE, S.VALUE_COL)
    forecast_names = {SOURCES["zh"][1], SOURCES["en"][1]}
    data_names = {SOURCES["zh"][0], SOURCES["en"][0], None}
    if source not in forecast_names | data_names:
        raise InputError(
            f"{source!r} is not one of {' / '.join(SOURCES[book.lang])}.",
            where(S.ROW_SOURCE),
            "Pick it from the list.",
        )
    s = StaffingInputs(
        aht_s=float(aht),
        target_sl=float(sl),
        target_s=float(target_s),
        shrinkage=float(shrinkage),
        interval_min=int(interval),
        weeks=None if weeks is None else int(weeks),
        max_occupancy=float(occupancy),
        source="forecast" if source in forecast_names else "data",
    )
    for block, grid in (("forecast", s.forecast), ("arrivals", s.data_arrivals)):
        for i in range(s.slots):
            r = S.GRID_FIRST_ROW + i
            for w in range(7):
                c = S.block_col(block, w)
                v = number(rows, r, c, Location(book.name, sheet, r, layout.col(c)))
                if v is not None:
                    if v < 0:
                        raise InputError(
                            t_("来量不能为负数。", "arrivals cannot be negative."),
                            Location(book.name, sheet, r, layout.col(c)),
                        )
                    grid[(w, i)] = v
    computed = cell(rows, S.ROW_COMPUTED, S.VALUE_COL)
    s.computed = None if computed is None else str(computed)
    state.inputs.staffing = s


def write(book: Book, ctx: Ctx) -> None:
    """The Staffing sheet's owned regions: status, interval labels, arrivals from the data,
    the result grids and the peak view's formulas (never the inputs or the forecast)."""
    first, last = S.GRID_FIRST_ROW, S.grid_last_row()
    owned.write(
        book,
        ctx,
        "Staffing",
        [
            (S.ROW_COMPUTED, S.VALUE_COL, S.ROW_COMPUTED, S.VALUE_COL),
            (first, S.INTERVAL_COL, last, S.INTERVAL_COL),
            (first, S.block_col("arrivals"), last, S.block_col("arrivals", 6)),
            (first, S.block_col("agents"), last, S.block_col("occupancy", 6)),
        ],
    )
    owned.write_formulas(book, ctx, "Staffing")


def check_rows(book: Book, rows: list[list[object]]) -> None:
    """The Staffing grids are read and written by row (row = interval): a row inserted
    among them leaves a gap in the interval column, which refresh fills in every row."""
    labelled = [
        r
        for r in range(S.GRID_FIRST_ROW, S.grid_last_row() + 1)
        if cell(rows, r, S.INTERVAL_COL) is not None
    ]
    for r in range(S.GRID_FIRST_ROW, labelled[-1] if labelled else S.GRID_FIRST_ROW):
        if cell(rows, r, S.INTERVAL_COL) is None:
            sheet = layout.title("Staffing", book.lang)
            zh = book.lang == "zh"
            raise InputError(
                f"{sheet} 表第 {r} 行在时段表格中间，却没有时段：多半是插入的行。csxl 按行读写"
                "这些表格（每行一个时段），会读错或写错单元格。"
                if zh
                else f"row {r} of {sheet} lies inside the interval grids but has no interval: "
                "most likely an inserted row. csxl reads and writes the grids by row (one "
                "interval a row) and would use the wrong cells.",
                Location(book.name, sheet, r, layout.col(S.INTERVAL_COL)),
                f"请删除第 {r} 行；未写入任何内容。"
                if zh
                else f"Delete row {r}; nothing was written.",
            )


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    arrivals(m.state.inputs, m.tickets.frame, m.now)
    return []


def arrivals(p, frame, now: datetime) -> None:
    """The Data sheet's mean arrivals per weekday and interval over the last N weeks."""
    from csxl.domain.staffing import arrivals_by_interval, data_window

    s = p.staffing
    created = frame["created_at"]
    table = arrivals_by_interval(created, s.interval_min, s.weeks)
    s.data_arrivals = {
        (int(w), (int(hhmm[:2]) * 60 + int(hhmm[3:])) // s.interval_min): float(calls)
        for w, hhmm, calls in zip(table["weekday"], table["interval"], table["calls"], strict=True)
    }
    if s.source == "data":
        first, last = data_window(created, s.weeks)
        window = (first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d"), (last - first).days + 1)
        s.computed = status_line(p.lang, window, now)
    else:
        s.computed = status_line(p.lang, None, now)


def notes(p) -> list[str]:
    """One line: the busiest interval's agents and scheduled heads."""
    computed = results(p.staffing)
    if not computed or not computed["agents"]:
        return []
    (w, i), agents = max(computed["agents"].items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))
    when = f"{WEEKDAYS[LANGUAGE.get()][w]} {label(i * p.staffing.interval_min)}"  # the run's
    scheduled = computed["scheduled"][(w, i)]
    return [
        t(
            f"排班：最忙时段 {when} 需要坐席 {agents} 人，排班 {scheduled} 人",
            f"Staffing: busiest interval {when} needs {agents} agents, {scheduled} scheduled",
        )
    ]


# ------------------------------------------------------------------ csxl staff
def staff(book_name: str, state: PlanState, now: datetime, tickets) -> tuple[dict, int, list[str]]:
    """Fill the inputs of the sheet's results: arrivals from the plan's tickets (`tickets()`:
    the Data sheet's row counts, the team's tickets, warnings), or the manual forecast.
    (row counts, rows rejected, warnings.)"""
    from csxl.domain.columns import TICKETS

    p = state.inputs
    sheet = layout.title("Staffing", p.lang)
    if not state.has_staffing:
        raise InputError(
            t_(f"工作簿没有“{sheet}”表。", f"the workbook has no {sheet} sheet."),
            Location(book_name),
            t_(
                "请用 csxl new 新建计划（或用 csxl upgrade 升级这份计划）。",
                "Make a new plan with `csxl new` (or `csxl upgrade` this one).",
            ),
        )
    if p.staffing.source != "data":
        p.staffing.computed = status_line(p.lang, None, now)
        return {}, 0, []
    rows, found, warnings = tickets()
    if found.valid == 0:
        raise InputError(
            t_(
                "没有可用于统计来量的工单。",
                "the Data sheet has no usable tickets to count arrivals from.",
            ),
            Location(book_name, layout.title(layout.paste_area(TICKETS), p.lang)),
            t_(
                f"请粘贴导出，或在“{sheet}”表上选择手工预测。",
                f"Paste the export, or choose the manual forecast on the {sheet} sheet.",
            ),
        )
    arrivals(p, found.frame, now)
    return rows, len(found.problems), warnings
