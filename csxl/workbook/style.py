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
