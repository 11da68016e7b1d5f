"""Trend (趋势): the plan's history, one row per month and KPI. OWNED: Refresh appends.

The rows are long format (month, scope, name, KPI, value, tier, points) and mix units, so
each value cell gets its number format from a conditional format on its KPI's name (a % for
rates, 秒 for durations, integers for counts), which follows a row wherever refresh writes
it. Right of them, the team's figures per month and Goals KPI (the chart block) and a line
chart per KPI once it has two months: drawn by this builder, so `csxl refresh` (which puts
the charts into the saved file, csxl.workbook.drawing) and `csxl upgrade` show the same.
"""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import Rule
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat

from csxl.domain import scoring
from csxl.domain.agents import TICKS, UNASSIGNED
from csxl.domain.catalog import CATALOG
from csxl.domain.scoring import Target
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Trend as T
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState

SCORE_LABELS = ("加权得分", "Weighted score")
# The conditional formats' number formats (a dxf numFmt needs an id; 164+ are custom).
_FORMAT_ID = 300


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    n = len(p.trend)
    return [(f"趋势：{n} 行历史", f"Trend: {n} history rows")] if n else []


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Trend")
    t = ctx.t
    ctx.title(
        ws,
        t("月度趋势", "Monthly trend"),
        t(
            "由“刷新指标”填写：刷新新的月份时，团队和每位客服的每个 KPI 各追加一行；重复刷新同一月份会替换该月。"
            "右侧为团队每月实际；某指标有两个月以上数据时，刷新为它画一张趋势图。",
            "Filled by Refresh: a new month appends a row per KPI for the team and for each agent; refreshing the "
            "same month again replaces it. On the right, the team's actuals by month; once a KPI has two months, "
            "Refresh draws its trend chart.",
        ),
    )
    headers = {
        T.MONTH: t("月份", "Month"),
        T.SCOPE: t("范围", "Scope"),
        T.NAME: t("名称", "Name"),
        T.KPI: t("指标", "KPI"),
        T.VALUE: t("实际", "Value"),
        T.TIER: t("达成档位", "Tier"),
        T.POINTS: t("得分", "Points"),
    }
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{T.HEADER_ROW}", text, style.HEADER)
    owned.write_rows(ctx, ws, T.FIRST_ROW, ctx.inputs.trend, _row_formats(ctx))
    _value_formats(ctx, ws)
    _chart_block(ctx, ws)
    ws.merge_cells(f"A2:{col(T.POINTS)}2")
    ws.row_dimensions[2].height = 40  # merged cells do not grow with their text
    widths = {
        col(T.MONTH): 10,
        col(T.SCOPE): 8,
        col(T.NAME): 16,
        col(T.KPI): 20,
        col(T.VALUE): 12,
        col(T.TIER): 12,
        col(T.POINTS): 8,
        col(T.POINTS + 1): 3,
        col(T.BLOCK_MONTH): 10,
    }
    widths |= {col(T.BLOCK_FIRST + i): 11 for i in range(T.BLOCK_KPIS)}
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{T.FIRST_ROW}",
        header_rows=f"{T.HEADER_ROW}:{T.HEADER_ROW}",
        landscape=False,  # seven columns: a portrait page holds half as many rows again
    )


def _labels(key: str) -> tuple[str, str]:
    return CATALOG[key].zh, CATALOG[key].en


def _is(column: str, labels: list[str]) -> str:
    """A conditional format's test: the row's KPI name is one of `labels`."""
    return "OR(" + ",".join(f'{column}="{x}"' for x in labels) + ")"


def _kpi_formats(lang: str) -> dict[str, list[str]]:
    """Each value format and the KPI names (both languages) that take it."""
    groups: dict[str, list[str]] = {}
    units = {
        "ratio": style.PERCENT,
        "count": style.INTEGER,
        "seconds": style.seconds_format(lang),
    }
    for info in CATALOG.values():
        fmt = units.get(info.unit, style.NUMBER)
        groups.setdefault(fmt, []).extend(_labels(info.key))
    groups.setdefault(style.NUMBER, []).extend(SCORE_LABELS)
    return groups


def _row_formats(ctx: Ctx):
    """A history row's formats: its value by its KPI's unit, points with one decimal (the
    cells' own, which a spreadsheet without the conditional formats shows too)."""
    by_name = {name: fmt for fmt, names in _kpi_formats(ctx.lang).items() for name in names}

    def formats(row: tuple[object, ...]) -> dict[int, str]:
        kpi = row[T.KPI - 1] if len(row) >= T.KPI else None
        return {T.VALUE: by_name.get(str(kpi), style.NUMBER), T.POINTS: "0.0"}

    return formats


def _value_formats(ctx: Ctx, ws) -> None:
    """Number formats by KPI name on the value column (names in both languages, so rows
    kept from a plan of the other language read the same), and one decimal on points."""
    groups = _kpi_formats(ctx.lang)
    first, last = T.FIRST_ROW, T.FIRST_ROW + T.ROWS_FORMATTED - 1
    kpi = f"${col(T.KPI)}{first}"
    value = f"{col(T.VALUE)}{first}:{col(T.VALUE)}{last}"
    for i, (fmt, labels) in enumerate(groups.items()):
        _number_rule(ws, value, _is(kpi, labels), fmt, _FORMAT_ID + i)
    points = f"{col(T.POINTS)}{first}:{col(T.POINTS)}{last}"
    _number_rule(ws, points, f"ISNUMBER(${col(T.POINTS)}{first})", "0.0", _FORMAT_ID + len(groups))


def _number_rule(ws, area: str, formula: str, fmt: str, format_id: int) -> None:
    dxf = DifferentialStyle(numFmt=NumberFormat(numFmtId=format_id, formatCode=fmt))
    rule = Rule(type="expression", dxf=dxf, formula=[formula], stopIfTrue=True)
    ws.conditional_formatting.add(area, rule)


def block_format(target: Target) -> str:
    """A chart block column's format: durations in days as 分:秒, else the KPI's unit."""
    if target.unit == "s":
        return style.duration_format(target.key)
    return style.PERCENT if target.unit == "%" else style.NUMBER


def block(ctx: Ctx) -> tuple[list[str], dict[str, list[float | None]]]:
    """The months (oldest first, the latest BLOCK_ROWS) and each Goals KPI's team figure per
    month as the block holds it (durations in days)."""
    targets = ctx.inputs.targets[: T.BLOCK_KPIS]
    by_label = {label: t for t in targets for label in _labels(t.key)}
    found: dict[tuple[str, str], float] = {}
    for row in ctx.inputs.trend:
        month, scope, _, kpi, value = (*row, None, None, None, None, None)[:5]
        target = by_label.get(str(kpi))
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if scope in T.TEAM_SCOPES and target is not None and number:
            assert isinstance(value, int | float)
            found[(str(month), target.key)] = value / style.DAY if target.unit == "s" else value
    months = sorted({m for m, _ in found})[-T.BLOCK_ROWS :]
    return months, {t.key: [found.get((m, t.key)) for m in months] for t in targets}


def _chart_block(ctx: Ctx, ws) -> None:
    """The block (header, BLOCK_ROWS formatted rows) and a line chart per KPI with two
    months or more, two charts abreast right of the block."""
    t, lang = ctx.t, ctx.lang
    months, figures = block(ctx)
    targets = ctx.inputs.targets[: T.BLOCK_KPIS]
    ctx.label(ws, f"{col(T.BLOCK_MONTH)}{T.HEADER_ROW}", t("月份", "Month"), style.HEADER)
    ctx.label(
        ws,
        f"{col(T.BLOCK_MONTH)}{T.HEADER_ROW - 1}",
        t("团队每月实际（供趋势图使用）", "The team's actuals by month (for the charts)"),
        style.NOTE,
    )
    ws.merge_cells(
        f"{col(T.BLOCK_MONTH)}{T.HEADER_ROW - 1}:{col(T.BLOCK_FIRST + len(targets) - 1)}{T.HEADER_ROW - 1}"
    )
    for i, target in enumerate(targets):
        c = T.BLOCK_FIRST + i
        label = CATALOG[target.key].label(lang)
        if target.unit == "s":
            unit = style.duration_unit(target.key, lang)
            label = t(f"{label}（{unit}）", f"{label} ({unit})")
        ctx.label(ws, f"{col(c)}{T.HEADER_ROW}", label, style.HEADER)
        fmt = block_format(target)
        for r in range(T.BLOCK_ROWS):
            values = figures[target.key]
            value = values[r] if r < len(values) else None
            ctx.label(ws, f"{col(c)}{T.FIRST_ROW + r}", value, style.COMPUTED, fmt)
    for r in range(T.BLOCK_ROWS):
        month = months[r] if r < len(months) else None
        ctx.label(ws, f"{col(T.BLOCK_MONTH)}{T.FIRST_ROW + r}", month, style.COMPUTED)
    ws.row_dimensions[T.HEADER_ROW].height = 42
    charted = [
        (i, target)
        for i, target in enumerate(targets)
        if sum(v is not None for v in figures[target.key]) >= 2
    ]
    for n, (i, target) in enumerate(charted):
        chart = _chart(ctx, ws, i, target, len(months))
        row = T.FIRST_ROW + 16 * (n // 2)
        ws.add_chart(chart, f"{col(T.CHART_COL + 9 * (n % 2))}{row}")


def _chart(ctx: Ctx, ws, i: int, target: Target, months: int) -> LineChart:
    c = T.BLOCK_FIRST + i
    last = T.FIRST_ROW + months - 1
    chart = LineChart()
    chart.title = ws.cell(T.HEADER_ROW, c).value
    data = Reference(ws, min_col=c, min_row=T.HEADER_ROW, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=T.BLOCK_MONTH, min_row=T.FIRST_ROW, max_row=last))
    chart.legend = None
    chart.y_axis.number_format = block_format(target)
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = 15, 7.5
    series = chart.series[0]
    series.marker.symbol = "circle"
    series.smooth = False
    return chart


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The history so far (refresh replaces the refreshed month's rows)."""
    state.inputs.trend = [
        tuple(r[: T.POINTS])
        for r in book.rows("Trend")[T.FIRST_ROW - 1 :]
        if any(v != "" for v in r[: T.POINTS])
    ]


def write(book: Book, ctx: Ctx) -> None:
    """Every row below the header (a longer earlier history emptied), the chart block, and
    a line chart per KPI with two months (the live Excel book has no set_charts: its block
    is written, its charts are not drawn)."""
    rows, clear = owned.grow(book, "Trend", T.FIRST_ROW, T.POINTS, len(ctx.inputs.trend))
    owned.write(book, ctx, "Trend", [rows], [clear])
    owned.write_formats(book, ctx, "Trend", [rows])
    last = (T.FIRST_ROW + T.BLOCK_ROWS - 1, T.BLOCK_FIRST + T.BLOCK_KPIS - 1)
    owned.write(book, ctx, "Trend", [(T.HEADER_ROW, T.BLOCK_MONTH, *last)])
    set_charts = getattr(book, "set_charts", None)
    if set_charts is not None:
        set_charts("Trend", ctx.sheet("Trend")._charts)


# ------------------------------------------------------------------ refresh
def scope(lang: str, which: str) -> str:
    """The Scope column's words: a row of the team or of an agent."""
    return {"zh": {"team": "团队", "agent": "客服"}, "en": {"team": "Team", "agent": "Agent"}}[
        lang
    ][which]


def manager_labels(lang: str) -> tuple[str, str]:
    """The KPI column's words for the manager's Scores entries Trend keeps (the red-line
    tick and the note) of a month Scores no longer shows."""
    return (
        ("经核实的升级投诉", "申诉/调整说明")
        if lang == "zh"
        else ("Verified escalated complaint", "Appeal / override note")
    )


def switch_month(state: PlanState, month: str) -> dict[str, tuple[object, object]]:
    """The manager's ticks and notes for `month`. Switching months moves the shown month's
    entries into Trend (and brings `month`'s back from there): input is never dropped."""
    p = state.inputs
    label_tick, label_note = manager_labels(p.lang)
    if state.shown_month in (None, month):
        return dict(state.manager)
    agent_scope = scope(p.lang, "agent")
    for agent, (tick, note) in state.manager.items():
        for label, value in ((label_tick, tick), (label_note, note)):
            if value is not None:
                p.trend.append(
                    (state.shown_month, agent_scope, agent, label, str(value), None, None)
                )
    back: dict[str, list[object]] = {}
    kept = []
    for row in p.trend:
        if row[0] == month and row[1] == agent_scope and row[3] in (label_tick, label_note):
            back.setdefault(str(row[2]), [None, None])[0 if row[3] == label_tick else 1] = row[4]
        else:
            kept.append(row)
    p.trend = kept
    return {agent: (v[0], v[1]) for agent, v in back.items()}


def refresh(m: Month) -> list[str]:
    """History: this month's rows (the team's KPIs, each graded agent's) replace any earlier
    refresh of the same month; the agents' grades and red lines by month, for Team."""
    p, month = m.state.inputs, m.month
    scope_team, scope_agent = scope(p.lang, "team"), scope(p.lang, "agent")
    labels = manager_labels(p.lang)
    kept = [r for r in p.trend if not (r[0] == month and r[3] not in labels)]
    tiers = p.tiers()
    name = p.team or layout.unnamed_team(p.lang)
    fresh: list[tuple[object, ...]] = []
    for t in p.targets:
        value = m.team.get(t.key)
        if isinstance(value, int | float):
            level = scoring.tier(value, t)
            points = scoring.points(value, t, p.incentives.mode, p.points_table())
            row = (month, scope_team, name, CATALOG[t.key].label(p.lang), value, tiers[level])
            fresh.append((*row, points))
    score_label = SCORE_LABELS[0] if p.lang == "zh" else SCORE_LABELS[1]
    unassigned = UNASSIGNED[p.lang]
    for g in m.graded:
        who = g.agent or unassigned
        for key, value, level, points in g.kpis:
            label = CATALOG[key].label(p.lang)
            fresh.append((month, scope_agent, who, label, value, tiers[level], points))
        if g.score is not None:
            fresh.append((month, scope_agent, who, score_label, g.score, g.grade, None))
    p.trend = sorted(kept + fresh, key=lambda r: (str(r[0]), str(r[1]), str(r[2])))
    # The history the promotion rule reads: each month's grade and red lines, this one's
    # from the graded agents (a red line of a month without a grade still counts).
    yes = TICKS[p.lang][0]
    for r in p.trend:
        if r[1] != scope_agent:
            continue
        if r[3] == score_label:
            m.grades.append((str(r[2]), str(r[0]), r[5]))
        elif r[3] == labels[0] and r[4] == yes:
            m.red_lines.add((str(r[2]), str(r[0])))
    m.red_lines |= {(g.agent, month) for g in m.graded if g.agent is not None and g.red}
    return []
