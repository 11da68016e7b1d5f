"""Scores (考核): one row per agent each month. OWNED by refresh, except two columns.

Columns per layout.Scores: agent, team, tickets, answered surveys; a value and a points
column per KPI scored for agents (Goals order, the KPI key above each pair); weighted score,
grade, bonus, deductions, red-line hits, award. Then the manager's columns, unlocked with an
input style: a 是/否 tick for a verified escalated complaint (a red line) and an appeal or
override note. A new plan has no agents: the rows are laid out empty.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment

from csxl.domain.catalog import CATALOG
from csxl.workbook import style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import col
from csxl.workbook.sheets.data import text_width
from csxl.workbook.sheets.goals import unit_format

TICKS = {"zh": ("是", "否"), "en": ("Yes", "No")}
WRAP = Alignment(vertical="center", wrap_text=True)
NO_WRAP = Alignment(vertical="bottom", wrap_text=False)


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Scores")
    p = ctx.inputs
    t, lang = ctx.t, ctx.lang
    scored = [target for target in p.targets if "agent" in target.scored_for]
    if len(scored) != S.KPI_COUNT:
        raise ValueError(
            f"the Scores sheet has {S.KPI_COUNT} KPI column pairs; the plan scores "
            f"{len(scored)} KPIs for agents ({', '.join(x.key for x in scored)})"
        )
    ctx.title(
        ws,
        t(f"{p.year} 月度考核", f"{p.year} monthly scores"),
        t(
            "由“刷新指标”或“计算考核”填写；黄色两列由你填写：核实过的升级投诉选“是”即触碰红线（等级封顶），申诉或人工调整写在说明列。",
            "Filled by Refresh or Score; the two yellow columns are yours: 'Yes' for a verified escalated complaint is a red line "
            "(caps the grade); write an appeal or a manual override in the note.",
        ),
    )
    headers = {
        S.AGENT: t("客服", "Agent"),
        S.TEAM: t("团队", "Team"),
        S.TICKETS: t("工单量", "Tickets"),
        S.ANSWERED: t("回评数", "Answered surveys"),
        S.SCORE: t("加权得分", "Weighted score"),
        S.GRADE: t("等级", "Grade"),
        S.BONUS: t("奖金（元）", "Bonus (CNY)"),
        S.DEDUCTIONS: t("扣款（元）", "Deductions (CNY)"),
        S.RED_LINES: t("红线次数", "Red-line hits"),
        S.AWARD: t("奖项", "Award"),
        S.RED_LINE_TICK: t("经核实的升级投诉", "Verified escalated complaint"),
        S.APPEAL: t("申诉/调整说明", "Appeal / override note"),
    }
    formats = {
        S.TICKETS: style.INTEGER,
        S.ANSWERED: style.INTEGER,
        S.SCORE: "0.00",
        S.BONUS: style.MONEY,
        S.DEDUCTIONS: style.MONEY,
        S.RED_LINES: style.INTEGER,
    }
    for i, target in enumerate(scored):
        label = CATALOG[target.key].label(lang)
        value, points = S.kpi_value(i), S.kpi_points(i)
        headers[value] = label
        headers[points] = t(f"{label}得分", f"{label} points")
        formats[value] = unit_format(target)
        formats[points] = "0.0"
        ctx.label(ws, f"{col(value)}{S.KEY_ROW}", target.key, style.NOTE)
        ws[f"{col(value)}{S.KEY_ROW}"].alignment = NO_WRAP  # runs on over the points column
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{S.HEADER_ROW}", text, style.HEADER)
    ws.merge_cells(f"A2:{col(S.LAST)}2")
    ws.row_dimensions[2].height = 30  # merged cells do not grow with their text

    ticks = ctx.list_validation(ws, "tick", TICKS[lang])
    owned = range(S.AGENT, S.AWARD + 1)
    for r in range(S.FIRST_ROW, S.last_row() + 1):
        for c in owned:
            ctx.label(ws, f"{col(c)}{r}", None, style.COMPUTED, formats.get(c))
        ctx.input(ws, f"{col(S.RED_LINE_TICK)}{r}", None, validation=ticks)
        ctx.input(ws, f"{col(S.APPEAL)}{r}", None)
        ws[f"{col(S.APPEAL)}{r}"].alignment = WRAP

    widths = {col(S.AGENT): 14, col(S.TEAM): 12, col(S.TICKETS): 8, col(S.ANSWERED): 9}
    for i in range(S.KPI_COUNT):
        widths[col(S.kpi_value(i))] = 11
        widths[col(S.kpi_points(i))] = 9
    widths |= {
        col(S.SCORE): 9,
        col(S.GRADE): 6,
        col(S.BONUS): 10,
        col(S.DEDUCTIONS): 10,
        col(S.RED_LINES): 8,
        col(S.AWARD): 11,
        col(S.RED_LINE_TICK): 14,
        col(S.APPEAL): 36,
    }
    lines = max(math.ceil(text_width(text) / (widths[col(c)] - 1)) for c, text in headers.items())
    ws.row_dimensions[S.HEADER_ROW].height = 14 * max(2, lines) + 2
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"{col(S.AGENT + 1)}{S.FIRST_ROW}",
        header_rows=f"{S.HEADER_ROW}:{S.HEADER_ROW}",
    )
