"""The department summary workbook of `csxl consolidate`: what a head of department forwards.

A cover (概览) with the ranking and its bar chart, each team's KPIs against its targets with
the tier colours (指标), one chart per KPI of every team's actual against its stretch target
(指标图), the agents, budget, open risks, overdue milestones and the files that could not be
read. Every number carries a format with its unit (%, 秒, 元); every sheet is A4 with its
titles repeated, frozen header and fit to the page width. A part of a team plan that still
holds the template's examples says 未填写 and is never summed (`csxl.consolidate`).

The file is small and new, so openpyxl writes it in one go; it holds values only (no
formulas), taken from the cached values of the team plans.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from csxl.domain.plan import is_open
from csxl.domain.scoring import DEFAULT_TARGETS
from csxl.workbook import style
from csxl.workbook.sheets import summary_text
from csxl.workbook.team_book import Summary, TeamBook, sum_numbers

TOP_RISKS = 20  # the open risks the summary lists, highest score first
FONT = style.FONT
HEAD_FONT = Font(name=FONT, size=10, bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor=style.HEADER_FILL)
BODY = Font(name=FONT, size=10, color=style.INK)
BOLD = Font(name=FONT, size=10, bold=True, color=style.INK)
MUTED = Font(name=FONT, size=10, italic=True, color=style.MUTED)
NOTE = Font(name=FONT, size=9, italic=True, color=style.MUTED)
BOX = style.BOX
TEAM_RULE = Side(style="medium", color=style.INK)
BETTER = Font(name=FONT, size=10, color=style.FLAG_FONTS[2])
WORSE = Font(name=FONT, size=10, color=style.FLAG_FONTS[0])

UNIT_OF = {t.key: t.unit for t in DEFAULT_TARGETS}
FORMATS = {"%": "0.0%", "s": '#,##0.0" 秒"', "per 10k": "0.00"}
FORMATS_EN = {"%": "0.0%", "s": '#,##0.0" s"', "per 10k": "0.00"}
SCORE = "0.00"
MONEY = '#,##0" 元"'
MONEY_EN = "#,##0"
SIGNED = "+0.0%;-0.0%;0.0%"
COUNT = "0"
# Rows a page holds at 10 pt (A4 less margins and the repeated header): a long table is
# printed on as many pages as it needs, never scaled below about 8 pt.
LANDSCAPE_ROWS, PORTRAIT_ROWS = 30, 46

TEXT = {
    "zh": {
        "overview": "概览",
        "kpis": "指标",
        "charts": "指标图",
        "agents": "客服",
        "risks": "风险与里程碑",
        "risks_title": "未关闭风险（分值最高的 20 项）",
        "problems": "问题",
        "never": "未刷新",
        "blank": "未填写",
        "total": "部门合计",
        "title": "客服部门汇总",
        "sub": "{n} 个团队 · {when} 生成 · 数值取自各团队计划保存的结果（未重新计算）",
        "problems_note": "{n} 个工作簿未能汇总，见“问题”表。",
        "no_problems": "所有工作簿均已汇总。",
        "blank_note": "未填写：团队计划中这一部分仍是模板的示例内容，未计入汇总。",
        "legend": "达成档位颜色：",
        "better_note": (
            "较冲刺：实际与冲刺目标之差占冲刺目标的比例，+ 为更好、- 为更差"
            "（越低越好的指标已换号）。"
        ),
        "chart_title": "加权得分排名",
        "chart_kpi": "{label}",
        "actual": "实际",
        "target": "冲刺目标",
        "score_axis": "加权得分",
        "blank_teams": "未填写（仍是模板示例，未列出）：{teams}",
        "none": "无",
        "page": "第 &P 页，共 &N 页",
        "o_head": (
            "排名",
            "团队",
            "刷新月份",
            "加权得分",
            "等级",
            "客服数",
            "奖金合计",
            "年度预算",
            "年累计实际",
            "年累计差异%",
            "未关闭风险",
            "逾期里程碑",
            "文件",
        ),
        "k_head": (
            "团队",
            "指标",
            "单位",
            "方向",
            "权重",
            "保底",
            "冲刺",
            "挑战",
            "实际",
            "达成档位",
            "较冲刺",
            "得分",
        ),
        "a_head": ("团队", "客服", "小组", "加权得分", "等级", "奖金"),
        "r_head": (
            "团队",
            "编号",
            "风险",
            "类别",
            "可能性",
            "影响",
            "分值",
            "等级",
            "负责人",
            "状态",
        ),
        "p_head": ("文件", "问题"),
        "units": {"%": "%", "s": "秒", "per 10k": "每万人"},
    },
    "en": {
        "overview": "Overview",
        "kpis": "KPIs",
        "charts": "KPI charts",
        "agents": "Agents",
        "risks": "Risks and milestones",
        "risks_title": "Open risks (the 20 with the highest score)",
        "problems": "Problems",
        "never": "never refreshed",
        "blank": "not filled in",
        "total": "Department total",
        "title": "Customer service department summary",
        "sub": "{n} teams · made {when} · figures as saved in each team plan (not recalculated)",
        "problems_note": "{n} workbook(s) could not be rolled up: see the Problems sheet.",
        "no_problems": "Every workbook was rolled up.",
        "blank_note": "Not filled in: this part of the team plan still holds the template's "
        "examples; left out of the summary.",
        "legend": "Tier colours:",
        "better_note": "Vs stretch: the gap to the stretch target as a share of it; + is "
        "better, - worse (sign turned for lower-is-better KPIs).",
        "chart_title": "Ranking by weighted score",
        "chart_kpi": "{label}",
        "actual": "Actual",
        "target": "Stretch target",
        "score_axis": "Weighted score",
        "blank_teams": "Not filled in (still the template's examples, not listed): {teams}",
        "none": "none",
        "page": "Page &P of &N",
        "o_head": (
            "Rank",
            "Team",
            "Refreshed month",
            "Weighted score",
            "Grade",
            "Agents",
            "Bonus total (CNY)",
            "Year budget (CNY)",
            "YTD actual (CNY)",
            "YTD variance %",
            "Open risks",
            "Overdue milestones",
            "File",
        ),
        "k_head": (
            "Team",
            "KPI",
            "Unit",
            "Direction",
            "Weight",
            "Baseline",
            "Stretch",
            "Challenge",
            "Actual",
            "Tier",
            "Vs stretch",
            "Points",
        ),
        "a_head": ("Team", "Agent", "Group", "Weighted score", "Grade", "Bonus (CNY)"),
        "r_head": (
            "Team",
            "ID",
            "Risk",
            "Category",
            "Likelihood",
            "Impact",
            "Score",
            "Level",
            "Owner",
            "Status",
        ),
        "p_head": ("File", "Problem"),
        "units": {"%": "%", "s": "s", "per 10k": "per 10k"},
    },
}
TIER_NAMES = {
    "zh": ("未达标", "保底", "冲刺", "挑战"),
    "en": ("Below baseline", "Baseline", "Stretch", "Challenge"),
}
HIGHER = ("越高越好", "higher is better")


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _higher(kpi: dict[str, object]) -> bool:
    direction = str(kpi.get("direction") or "").strip().casefold()
    if direction:
        return direction in HIGHER
    return next((t.direction == "higher" for t in DEFAULT_TARGETS if t.key == kpi["key"]), True)


def tier_of(kpi: dict[str, object]) -> int | None:
    """0..3 as the plan's tier formula counts it (challenge first), from the cached numbers."""
    actual = _num(kpi.get("actual"))
    if actual is None:
        return None
    higher = _higher(kpi)
    for level, tier in ((3, "challenge"), (2, "stretch"), (1, "baseline")):
        target = _num(kpi.get(tier))
        if target is not None and (actual >= target if higher else actual <= target):
            return level
    return 0


def versus_stretch(kpi: dict[str, object]) -> float | None:
    """The gap to the stretch target as a share of it, + better and - worse."""
    actual, stretch = _num(kpi.get("actual")), _num(kpi.get("stretch"))
    if actual is None or not stretch:
        return None
    gap = (actual - stretch) / abs(stretch)
    return gap if _higher(kpi) else -gap


# ------------------------------------------------------------------ sheet helpers
class Sheet:
    """A table sheet: title rows, a header, body rows with formats, print setup."""

    def __init__(
        self, ws: Worksheet, title: str, head: Sequence[str], note: str | None = None
    ) -> None:
        self.ws, self.head = ws, head
        self.width = len(head)
        ws["A1"] = title
        ws["A1"].font = Font(name=FONT, size=14, bold=True, color=style.INK)
        self.header_row = 2
        if note:
            ws["A2"] = note
            ws["A2"].font = NOTE
            self.header_row = 3
        for c, name in enumerate(head, start=1):
            cell = ws.cell(self.header_row, c, name)
            cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[self.header_row].height = 30
        self.row = self.header_row

    def section(self, title: str, head: Sequence[str], note: str | None = None) -> None:
        """A second table under the first: its title, an optional note and its header."""
        self.row += 2
        self.ws.cell(self.row, 1, title).font = Font(name=FONT, size=12, bold=True, color=style.INK)
        if note:
            self.row += 1
            self.ws.cell(self.row, 1, note).font = NOTE
        self.row += 1
        for c, name in enumerate(head, start=1):
            cell = self.ws.cell(self.row, c, name)
            cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.ws.row_dimensions[self.row].height = 30
        self.width = max(self.width, len(head))

    def add(self, values: Sequence[object], formats: Sequence[str | None] | None = None) -> int:
        """A body row; None formats fall back to the value's kind. Returns the row number."""
        self.row += 1
        r = self.row
        for c, value in enumerate(values, start=1):
            cell = self.ws.cell(r, c)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # text from a team file is never a formula
            else:
                cell.value = value
            cell.font, cell.border = BODY, BOX
            cell.alignment = Alignment(vertical="center", wrap_text=isinstance(value, str))
            fmt = formats[c - 1] if formats and c - 1 < len(formats) else None
            if fmt is None and isinstance(value, int | float) and not isinstance(value, bool):
                fmt = SCORE if isinstance(value, float) and not value.is_integer() else COUNT
            if fmt is not None:
                cell.number_format = fmt
        return r

    def blank(self, r: int, c: int, text: str) -> None:
        cell = self.ws.cell(r, c, text)
        cell.font = MUTED
        cell.alignment = Alignment(horizontal="center", vertical="center")

    def finish(
        self,
        widths: Sequence[float],
        *,
        landscape: bool = True,
        freeze_col: int = 1,
        footer: str = "",
        one_page: bool = False,
    ) -> None:
        ws = self.ws
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = f"{get_column_letter(freeze_col + 1)}{self.header_row + 1}"
        last = get_column_letter(self.width)
        ws.print_area = f"A1:{last}{max(self.row, self.header_row)}"
        ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        page_setup(ws, landscape=landscape, footer=footer)
        if one_page:
            ws.page_setup.fitToHeight = 1
        else:
            per_page = LANDSCAPE_ROWS if landscape else PORTRAIT_ROWS
            ws.page_setup.fitToHeight = max(1, math.ceil((self.row - 1) / per_page))


def page_setup(ws: Worksheet, *, landscape: bool, footer: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if footer:
        ws.oddFooter.center.text = footer
        ws.oddFooter.center.size = 8


def _tier_fill(level: int | None) -> PatternFill | None:
    if level is None:
        return None
    colour = style.FLAG_FILLS[level]
    return PatternFill("solid", fgColor=colour)


def _tier_font(level: int | None, bold: bool = False) -> Font:
    if level is None:
        return BOLD if bold else BODY
    return Font(name=FONT, size=10, bold=bold, color=style.FLAG_FONTS[level])


def _blank_all(tb: TeamBook) -> bool:
    return tb.budget_example


# ------------------------------------------------------------------ the workbook
def summary_bytes(summary: Summary, lang: str) -> bytes:
    """The summary workbook (openpyxl: a new, small file)."""
    t = {**TEXT[lang], **summary_text(lang)}  # the rooms' parts: their titles and headings
    wb = Workbook()
    wb.remove(wb.active)
    ranking = summary.ranking
    teams = [tb for _, tb in ranking]
    fmt = FORMATS if lang == "zh" else FORMATS_EN
    money = MONEY if lang == "zh" else MONEY_EN
    months = sorted({tb.month for tb in teams if tb.month})
    period = "、".join(months) if lang == "zh" else ", ".join(months)
    title = f"{t['title']} · {period}" if period else t["title"]

    _overview(wb, summary, t, title, money)
    _kpis(wb, teams, t, lang, title, fmt)
    _charts(wb, teams, t, lang, fmt)
    _agents(wb, teams, t, money)
    _budget(wb, teams, t, money)
    _risks(wb, teams, t)
    if summary.problems:  # no page to print when every workbook was read (the cover says so)
        _problems(wb, summary.problems, t)
    wb.active = 0
    wb.properties.creator = "csxl"
    wb.properties.title = title
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()


def _overview(wb: Workbook, summary: Summary, t: dict, title: str, money: str) -> None:
    ws = wb.create_sheet(t["overview"])
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    sheet = Sheet(ws, title, t["o_head"], t["sub"].format(n=len(summary.teams), when=when))
    first = sheet.header_row + 1
    for rank, tb in summary.ranking:
        bonus = sum(_num(a[4]) or 0.0 for a in tb.agents) if tb.refreshed else None
        total = tb.budget_total or (None,) * 7
        open_risks = sum(1 for r in tb.risks if is_open(str(r[-1] or "")))
        r = sheet.add(
            (
                rank,
                tb.team,
                tb.month or t["never"],
                tb.score,
                tb.grade,
                len(tb.agents),
                bonus,
                None if tb.budget_example else _num(total[1]),
                None if tb.budget_example else _num(total[3]),
                None if tb.budget_example else _num(total[5]),
                None if tb.risks_example and not tb.risks else open_risks,
                None if tb.milestones_example else len(tb.overdue),
                tb.file,
            ),
            (COUNT, None, None, SCORE, None, COUNT, money, money, money, SIGNED, COUNT, COUNT),
        )
        ws.cell(r, 2).font = BOLD
        ws.cell(r, 5).alignment = Alignment(horizontal="center", vertical="center")
        if tb.budget_example:
            for c in (8, 9, 10):
                sheet.blank(r, c, t["blank"])
        if tb.risks_example and not tb.risks:
            sheet.blank(r, 11, t["blank"])
        if tb.milestones_example:
            sheet.blank(r, 12, t["blank"])
        if not tb.refreshed:
            ws.cell(r, 3).font = MUTED
        variance = _num(total[5])
        if variance is not None and not tb.budget_example:
            ws.cell(r, 10).font = WORSE if variance > 0 else BETTER  # over budget is worse
    last = sheet.row
    notes = [
        t["problems_note"].format(n=len(summary.problems)) if summary.problems else t["no_problems"]
    ]
    if any(tb.budget_example or tb.risks_example or tb.milestones_example for tb in summary.teams):
        notes.append(t["blank_note"])
    for i, text in enumerate(notes):
        ws.cell(last + 1 + i, 1, text).font = NOTE
    scored = [tb for tb in summary.teams if tb.score is not None]
    if scored:
        chart = BarChart()
        chart.type = "bar"
        chart.title = t["chart_title"]
        chart.style = 10
        chart.legend = None
        n = len(scored)
        data = Reference(ws, min_col=4, min_row=first - 1, max_row=first + n - 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=first + n - 1))
        chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.y_axis.number_format = "0"
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.series[0].graphicalProperties.solidFill = style.HEADER_FILL
        chart.series[0].graphicalProperties.line.solidFill = style.HEADER_FILL
        chart.dataLabels = DataLabelList()
        chart.dataLabels.showVal = True
        chart.dataLabels.numFmt = SCORE
        chart.dataLabels.showSerName = False
        chart.dataLabels.showCatName = False
        chart.dataLabels.showLegendKey = False
        chart.width, chart.height = 22, max(6.0, 1.1 * n + 2)
        ws.add_chart(chart, f"B{last + len(notes) + 2}")
    sheet.finish(
        (6, 14, 10, 10, 7, 8, 13, 14, 14, 12, 10, 11, 18),
        freeze_col=2,
        footer=t["page"],
        one_page=True,
    )
    ws.print_area = (
        f"A1:{get_column_letter(len(t['o_head']))}{last + len(notes) + 4 + 2 * len(scored) + 8}"
    )


def _kpis(wb: Workbook, teams: Iterable[TeamBook], t: dict, lang: str, title: str, fmt) -> None:
    ws = wb.create_sheet(t["kpis"])
    sheet = Sheet(ws, f"{title} · {t['kpis']}", t["k_head"], t["better_note"])
    names = TIER_NAMES[lang]
    for tb in teams:
        first = True
        for k in tb.kpis:
            unit = UNIT_OF.get(str(k["key"]), "")
            f = fmt.get(unit, "0.00")
            level = tier_of(k) if tb.refreshed else None
            vs = versus_stretch(k) if tb.refreshed else None
            actual = k["actual"] if tb.refreshed else None
            r = sheet.add(
                (
                    tb.team,
                    k["label"],
                    t["units"].get(unit, unit),
                    k.get("direction"),
                    _num(k["weight"]),
                    _num(k["baseline"]),
                    _num(k["stretch"]),
                    _num(k["challenge"]),
                    _num(actual),
                    names[level] if level is not None else None,
                    vs,
                    _num(k["points"]) if tb.refreshed else None,
                ),
                (None, None, None, None, COUNT, f, f, f, f, None, SIGNED, COUNT),
            )
            fill = _tier_fill(level)
            for c in (9, 10):
                cell = ws.cell(r, c)
                if fill is not None:
                    cell.fill = fill
                cell.font = _tier_font(level, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center")
            if vs is not None:
                ws.cell(r, 11).font = BETTER if vs >= 0 else WORSE
            if not tb.refreshed:
                sheet.blank(r, 9, t["never"])
            elif actual is None:
                sheet.blank(r, 9, "—")
            if first:
                ws.cell(r, 1).font = BOLD
                for c in range(1, len(t["k_head"]) + 1):
                    cell = ws.cell(r, c)
                    cell.border = Border(
                        left=BOX.left, right=BOX.right, top=TEAM_RULE, bottom=BOX.bottom
                    )
                first = False
    # The tier legend under the table: the colours say the tier without the text.
    r = sheet.row + 2
    ws.cell(r, 1, t["legend"]).font = NOTE
    for i, name in enumerate(names):
        cell = ws.cell(r, 2 + i, name)
        cell.fill, cell.font = _tier_fill(i), _tier_font(i, bold=True)
        cell.alignment = Alignment(horizontal="center")
    sheet.finish((12, 16, 8, 12, 7, 11, 11, 11, 12, 10, 9, 7), freeze_col=2, footer=t["page"])
    ws.print_area = f"A1:L{r}"


def _charts(wb: Workbook, teams: Sequence[TeamBook], t: dict, lang: str, fmt) -> None:
    """One chart per KPI: each team's actual (bars) and its stretch target (line)."""
    ws = wb.create_sheet(t["charts"])
    scored = [tb for tb in teams if tb.refreshed and tb.kpis]
    ws["A1"] = t["charts"]
    ws["A1"].font = Font(name=FONT, size=14, bold=True, color=style.INK)
    page_setup(ws, landscape=True, footer=t["page"])
    ws.page_setup.fitToHeight = 1
    if not scored:
        return
    keys = [k["key"] for k in scored[0].kpis]
    labels = {k["key"]: k["label"] for k in scored[0].kpis}
    # The data the charts read, printed with them: a team per row, actual and target per KPI.
    head_row = 3
    ws.cell(head_row, 1, t["k_head"][0])
    for i, key in enumerate(keys):
        c = 2 + 2 * i
        ws.cell(head_row - 1, c, str(labels[key]))
        ws.merge_cells(
            start_row=head_row - 1, start_column=c, end_row=head_row - 1, end_column=c + 1
        )
        ws.cell(head_row, c, t["actual"])
        ws.cell(head_row, c + 1, t["target"])
    for row in (head_row - 1, head_row):
        for c in range(1, 2 + 2 * len(keys)):
            cell = ws.cell(row, c)
            cell.font, cell.fill, cell.border = HEAD_FONT, HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for j, tb in enumerate(scored):
        r = head_row + 1 + j
        ws.cell(r, 1, tb.team).font = BOLD
        ws.cell(r, 1).border = BOX
        by_key = {k["key"]: k for k in tb.kpis}
        for i, key in enumerate(keys):
            k = by_key.get(key, {})
            unit = UNIT_OF.get(str(key), "")
            level = tier_of(k) if k else None
            for off, value in ((0, _num(k.get("actual"))), (1, _num(k.get("stretch")))):
                cell = ws.cell(r, 2 + 2 * i + off, value)
                cell.number_format = fmt.get(unit, "0.00")
                cell.font, cell.border = BODY, BOX
                if off == 0 and level is not None:
                    cell.fill, cell.font = _tier_fill(level), _tier_font(level, bold=True)
    last = head_row + len(scored)
    ws.column_dimensions["A"].width = 12
    for c in range(2, 2 + 2 * len(keys)):
        ws.column_dimensions[get_column_letter(c)].width = 9.5
    ws.row_dimensions[head_row - 1].height = 28
    per_row, width, height = 4, 10.2, 7.2
    for i, key in enumerate(keys):
        unit = UNIT_OF.get(str(key), "")
        bar = BarChart()
        bar.type = "col"
        bar.title = t["chart_kpi"].format(label=labels[key])
        bar.style = 10
        col = 2 + 2 * i
        bar.add_data(
            Reference(ws, min_col=col, min_row=head_row, max_row=last), titles_from_data=True
        )
        bar.set_categories(Reference(ws, min_col=1, min_row=head_row + 1, max_row=last))
        bar.series[0].graphicalProperties.solidFill = "9DB7D5"
        bar.series[0].graphicalProperties.line.solidFill = "9DB7D5"
        line = LineChart()
        line.add_data(
            Reference(ws, min_col=col + 1, min_row=head_row, max_row=last), titles_from_data=True
        )
        line.series[0].graphicalProperties.line.solidFill = "C0392B"
        line.series[0].graphicalProperties.line.width = 22000
        line.series[0].marker.symbol = "dash"
        line.series[0].smooth = False
        axis_format = {"%": "0%", "s": fmt["s"].replace("#,##0.0", "0")}.get(unit, "0.0")
        bar.y_axis.number_format = axis_format
        bar.y_axis.scaling.min = 0
        bar.x_axis.delete = False
        bar.y_axis.delete = False
        bar.legend.position = "b"
        bar += line
        bar.width, bar.height = width, height
        anchor_row = last + 2 + (i // per_row) * 15
        anchor_col = 1 + (i % per_row) * 4
        ws.add_chart(bar, f"{get_column_letter(anchor_col)}{anchor_row}")
    rows = math.ceil(len(keys) / per_row)
    end_col = get_column_letter(max(1 + 2 * len(keys), per_row * 4))
    ws.print_area = f"A1:{end_col}{last + 2 + rows * 15}"
    ws.freeze_panes = None


def _agents(wb: Workbook, teams: Iterable[TeamBook], t: dict, money: str) -> None:
    ws = wb.create_sheet(t["agents"])
    sheet = Sheet(ws, t["agents"], t["a_head"])
    for tb in teams:
        rows = sorted(tb.agents, key=lambda a: (-(_num(a[2]) or -1.0), str(a[0])))
        for a in rows:
            sheet.add((tb.team, *a), (None, None, None, SCORE, None, money))
    sheet.finish((14, 16, 10, 11, 7, 12), landscape=False, freeze_col=2, footer=t["page"])


def _budget(wb: Workbook, teams: Iterable[TeamBook], t: dict, money: str) -> None:
    ws = wb.create_sheet(t["budget"])
    sheet = Sheet(ws, t["budget"], t["b_head"], t["blank_note"])
    formats = (None, None, money, money, money, money, SIGNED, None)
    filled = []
    for tb in teams:
        if tb.budget_example:
            r = sheet.add((tb.team,))
            sheet.blank(r, 2, t["blank"])
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
            continue
        filled.append(tb)
        for line in tb.budget:
            sheet.add((tb.team, *line), formats)
    totals = [tb.budget_total for tb in filled if tb.budget_total]
    plan_ytd = sum_numbers(x[2] for x in totals)
    booked = [x[3] for x in totals if _num(x[3]) is not None]
    actual_ytd = sum_numbers(booked) if booked else None
    if totals:
        r = sheet.add(
            (
                t["total"],
                "",
                sum_numbers(x[1] for x in totals),
                plan_ytd,
                actual_ytd,
                None if actual_ytd is None else actual_ytd - plan_ytd,
                None if actual_ytd is None or not plan_ytd else (actual_ytd - plan_ytd) / plan_ytd,
                None,
            ),
            formats,
        )
    else:
        r = sheet.add((t["total"],))
        sheet.blank(r, 2, t["blank"])
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=8)
    for c in range(1, 9):
        ws.cell(r, c).font = BOLD if c != 2 or totals else MUTED
    sheet.finish((14, 14, 13, 13, 13, 13, 12, 8), freeze_col=2, footer=t["page"])


def _risks(wb: Workbook, teams: Sequence[TeamBook], t: dict) -> None:
    """The open risks with the highest score, then the overdue milestones: what needs a look."""
    ws = wb.create_sheet(t["risks"])
    blank = [tb.team for tb in teams if tb.risks_example and not tb.risks]
    note = t["blank_teams"].format(teams="、".join(blank)) if blank else None
    sheet = Sheet(ws, t["risks_title"], t["r_head"], note)
    risks = sorted(
        ((tb.team, *r) for tb in teams for r in tb.risks if is_open(str(r[-1] or ""))),
        key=lambda x: (-(_num(x[6]) or 0.0), str(x[0]), str(x[1])),
    )[:TOP_RISKS]
    for risk in risks:
        sheet.add(risk, (None, None, None, None, COUNT, COUNT, COUNT))
    if not risks:
        r = sheet.add((t["none"],))
        ws.cell(r, 1).font = MUTED
    # The overdue milestones below, under their own header (same columns' widths serve both).
    blank = [tb.team for tb in teams if tb.milestones_example]
    note = t["blank_teams"].format(teams="、".join(blank)) if blank else None
    sheet.section(t["overdue"], t["m_head"], note)
    rows = [(tb.team, *m) for tb in teams for m in tb.overdue]
    for row in rows:
        sheet.add(row, (None, None, None, None, style.DATE, "0%", None))
    if not rows:
        r = sheet.add((t["none"],))
        ws.cell(r, 1).font = MUTED
    sheet.finish((12, 7, 30, 12, 11, 8, 8, 8, 12, 10), freeze_col=2, footer=t["page"])


def _problems(wb: Workbook, problems: Sequence[tuple[str, str]], t: dict) -> None:
    ws = wb.create_sheet(t["problems"])
    sheet = Sheet(ws, t["problems"], t["p_head"])
    for row in problems:
        sheet.add(row)
    sheet.finish((28, 90), footer=t["page"])
