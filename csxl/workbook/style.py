"""The plan's look: a few named styles, sober colours, formats for Chinese text."""

from __future__ import annotations

import unicodedata

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.workbook import Workbook

FONT = "Microsoft YaHei"  # 微软雅黑: on every Chinese Windows; LibreOffice substitutes Noto CJK
INK = "1F2937"
MUTED = "6B7280"
HEADER_FILL = "1F3A5F"
INPUT_FILL = "FFF8DC"  # pale yellow: "type here"
BAND_FILL = "F3F4F6"
THIN = Side(style="thin", color="D1D5DB")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# Flag colours of the spec: below baseline red, baseline amber, stretch green, challenge blue.
FLAG_FILLS = ("F8D7DA", "FFE8B3", "D4EDDA", "CCE5FF")
FLAG_FONTS = ("9B1C1C", "8A5A00", "1E6B34", "1D4E89")

PERCENT = "0.0%"
SECONDS = "#,##0.0"
NUMBER = "#,##0.00"
INTEGER = "#,##0"
MONEY = "#,##0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
# Durations. The sheets that compute with them (Goals, Scores, Trend) keep seconds, the unit
# the targets are typed in, and say so in the format; the sheets people only read
# (Dashboard, the 考核表) show the seconds / DAY as 分:秒 (时:分:秒 for resolution times),
# an exact division that Excel and LibreOffice compute alike.
DAY = 86_400
MIN_SEC = "[m]:ss"
HOUR_MIN_SEC = "[h]:mm:ss"


def seconds_format(lang: str) -> str:
    """Seconds with their unit: 53,919.4 秒 / 53,919.4 s."""
    return '#,##0.0" 秒"' if lang == "zh" else '#,##0.0" s"'


def duration_format(key: str) -> str:
    """How a duration KPI divided by DAY is shown: 时:分:秒 for resolution times (hours
    long), 分:秒 for the others (first response, handle time)."""
    return HOUR_MIN_SEC if key.startswith(("rt_", "dept_")) else MIN_SEC


def duration_unit(key: str, lang: str) -> str:
    """The words for `duration_format(key)`."""
    if duration_format(key) == HOUR_MIN_SEC:
        return "时:分:秒" if lang == "zh" else "h:mm:ss"
    return "分:秒" if lang == "zh" else "m:ss"


# Variance signed by better / worse (Goals, Dashboard): + better than the stretch target,
# - worse, whatever the KPI's direction; the colours are conditional formats on the sign.
SIGNED_PERCENT = "+0.0%;-0.0%;0.0%"

TITLE = "csxl Title"
HEADER = "csxl Header"
INPUT = "csxl Input"
COMPUTED = "csxl Computed"
LABEL = "csxl Label"
NOTE = "csxl Note"


def register(wb: Workbook) -> None:
    styles = [
        NamedStyle(TITLE, font=Font(name=FONT, size=14, bold=True, color=INK)),
        NamedStyle(
            HEADER,
            font=Font(name=FONT, size=10, bold=True, color="FFFFFF"),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=BOX,
        ),
        NamedStyle(
            INPUT,
            font=Font(name=FONT, size=10, color=INK),
            fill=PatternFill("solid", fgColor=INPUT_FILL),
            border=BOX,
            protection=Protection(locked=False),
            alignment=Alignment(vertical="center"),
        ),
        NamedStyle(
            COMPUTED,
            font=Font(name=FONT, size=10, color=INK),
            border=BOX,
            alignment=Alignment(vertical="center"),
        ),
        NamedStyle(
            LABEL,
            font=Font(name=FONT, size=10, color=INK),
            border=BOX,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle(
            NOTE,
            font=Font(name=FONT, size=9, italic=True, color=MUTED),
            alignment=Alignment(vertical="top", wrap_text=True),
        ),
    ]
    for style in styles:
        wb.add_named_style(style)


def text_width(text: str) -> float:
    """Column width for a text: a CJK character takes two latin widths."""
    return sum(1.9 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


TABLE_STYLE = "TableStyleLight9"  # the paste areas' Excel tables (Data, Orders, Call records)
