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

from csxl.domain.catalog import CATALOG
from csxl.domain.scoring import Target
from csxl.workbook import owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Trend as T
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState

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
    owned.write_rows(ctx, ws, T.FIRST_ROW, ctx.inputs.trend)
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


def _value_formats(ctx: Ctx, ws) -> None:
    """Number formats by KPI name on the value column (names in both languages, so rows
    kept from a plan of the other language read the same), and one decimal on points."""
    groups: dict[str, list[str]] = {}
    units = {
        "ratio": style.PERCENT,
        "count": style.INTEGER,
        "seconds": style.seconds_format(ctx.lang),
    }
    for info in CATALOG.values():
        fmt = units.get(info.unit, style.NUMBER)
        groups.setdefault(fmt, []).extend(_labels(info.key))
    groups.setdefault(style.NUMBER, []).extend(SCORE_LABELS)
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
    last = (T.FIRST_ROW + T.BLOCK_ROWS - 1, T.BLOCK_FIRST + T.BLOCK_KPIS - 1)
    owned.write(book, ctx, "Trend", [(T.HEADER_ROW, T.BLOCK_MONTH, *last)])
    set_charts = getattr(book, "set_charts", None)
    if set_charts is not None:
        set_charts("Trend", ctx.sheet("Trend")._charts)
