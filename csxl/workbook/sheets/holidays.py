"""Holidays (假日): local additions to the China working-day calendar.

The manager lists dates with 放假 (a local day off) or 上班 (a local working day, e.g. a
weekend duty); they override the official calendar wherever csxl counts working days or
business hours (SLA clocks, dept_sla's working-day limits). Right of the list, for
reference only, the plan year's official days off and 调休 make-up days as chinese-calendar
has them (csxl writes them with the plan; they are not read back).
"""

from __future__ import annotations

from csxl.domain.calendar import official_days
from csxl.workbook import style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Holidays as H
from csxl.workbook.layout import col

KINDS = {"zh": ("放假", "上班"), "en": ("Day off", "Working day")}
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Holidays")
    t, lang = ctx.t, ctx.lang
    p = ctx.inputs
    ctx.title(
        ws,
        t("本地假日与调休", "Local holidays and working days"),
        t(
            "黄色为可填写的内容：国家法定节假日和调休已内置（右侧列出供参考）；这里只填本单位额外的放假日或上班日，"
            "它们优先于官方日历，用于服务时限和“N 个工作日”的计算。",
            "Yellow cells are yours. China's statutory holidays and 调休 make-up days are built in "
            "(listed on the right for reference); list only your own extra days off or working "
            "days here. They override the official calendar for SLA clocks and 'N working days'.",
        ),
    )
    ws.merge_cells(f"A2:{col(H.OFFICIAL_COL + 2)}2")
    ws.row_dimensions[2].height = 44
    ctx.header(ws, H.HEADER_ROW, H.DATE, [t("日期", "Date"), t("类型", "Kind"), t("说明", "Note")])
    kinds = KINDS[lang]
    for i in range(H.ROWS):
        r = H.FIRST_ROW + i
        entry = p.holidays[i] if i < len(p.holidays) else None
        ctx.input(ws, f"{col(H.DATE)}{r}", entry[0] if entry else None, style.DATE)
        kind = None if entry is None else kinds[entry[1] == "workday"]
        ctx.input(ws, f"{col(H.KIND)}{r}", kind)
        ctx.input(ws, f"{col(H.NOTE)}{r}", entry[2] if entry else None)
    first, last = H.FIRST_ROW, H.FIRST_ROW + H.ROWS - 1
    ctx.list_validation(ws, "kind", kinds).add(f"{col(H.KIND)}{first}:{col(H.KIND)}{last}")
    ctx.date_validation(ws, example="2026-10-09").add(f"{col(H.DATE)}{first}:{col(H.DATE)}{last}")

    o = H.OFFICIAL_COL
    ctx.header(
        ws,
        H.HEADER_ROW,
        o,
        [t(f"{p.year} 官方日期", f"{p.year} official"), t("类型", "Kind"), t("节日", "Holiday")],
    )
    days = official_days(p.year)
    if days is None:
        ctx.label(
            ws,
            f"{col(o)}{H.FIRST_ROW}",
            t(
                f"chinese-calendar 尚未收录 {p.year} 年：只按周末和左侧日期计算。",
                f"chinese-calendar does not know {p.year} yet: weekends and your list are used.",
            ),
            style.NOTE,
        )
        days = []
    official_kinds = {"zh": ("法定放假", "调休上班"), "en": ("Day off", "Make-up working day")}
    for i, (d, off, name) in enumerate(days[: H.OFFICIAL_ROWS]):
        r = H.FIRST_ROW + i
        ctx.label(ws, f"{col(o)}{r}", d, style.COMPUTED, style.DATE)
        ctx.label(ws, f"{col(o + 1)}{r}", official_kinds[lang][0 if off else 1], style.COMPUTED)
        shown = HOLIDAY_NAMES.get(name or "", name) if lang == "zh" else name
        ctx.label(ws, f"{col(o + 2)}{r}", shown, style.COMPUTED)
    setup_sheet(
        ws,
        widths={"A": 12, "B": 12, "C": 30, "D": 2, "E": 14, "F": 14, "G": 18},
        freeze=f"A{H.FIRST_ROW}",
        header_rows=f"{H.HEADER_ROW}:{H.HEADER_ROW}",
        landscape=False,
    )
