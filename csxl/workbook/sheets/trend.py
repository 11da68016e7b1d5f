"""Trend (趋势): the plan's history, one row per month and KPI. OWNED: Refresh appends.

No chart here: the rows are long format (month, scope, name, KPI, ...) and a new plan has
none, so a chart laid out now would be an empty frame over mixed units. Refresh draws the
trend from the rows it writes; the note cell says so.
"""

from __future__ import annotations

from csxl.workbook import style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Trend as T
from csxl.workbook.layout import col
from csxl.workbook.sheets.errors import write_rows


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Trend")
    t = ctx.t
    ctx.title(
        ws,
        t("月度趋势", "Monthly trend"),
        t(
            "由“刷新指标”填写：刷新新的月份时，团队和每位客服的每个 KPI 各追加一行；重复刷新同一月份会替换该月。"
            "趋势图在有数据后由刷新生成。",
            "Filled by Refresh: a new month appends a row per KPI for the team and for each agent; refreshing the "
            "same month again replaces it. The trend chart is drawn by Refresh once there is data.",
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
    write_rows(ctx, ws, T.FIRST_ROW, ctx.inputs.trend)
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
    }
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{T.FIRST_ROW}",
        header_rows=f"{T.HEADER_ROW}:{T.HEADER_ROW}",
        landscape=False,  # seven columns: a portrait page holds half as many rows again
    )
