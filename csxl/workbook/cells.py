"""Reading one cell of a plan as its formulas would: blank is None, a number input must be
a number (text is refused naming the cell), dates from date cells or serials.

The sheet modules read their inputs with these, and so does the plan reader."""

from __future__ import annotations

from datetime import date, datetime

from csxl.domain.excel_math import from_serial
from csxl.errors import InputError, Location, printable, t
from csxl.workbook import layout


def cell(rows: list[list[object]], r: int, c: int) -> object:
    if r > len(rows) or c > len(rows[r - 1]):
        return None
    value = rows[r - 1][c - 1]
    return None if value == "" else value


def number(rows, r: int, c: int, where: Location, lang: str | None = None) -> float | None:
    """A number input as the workbook's formulas read it: a number cell, or None when blank.

    A text cell is refused, even `0.9` typed as text: Excel and LibreOffice compare text
    with a number as text (any text is larger), so the sheet's tiers, grades and bonuses
    would differ from the ones csxl computes (issue 21)."""
    value = cell(rows, r, c)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    raise not_a_number(value, where, lang)


def numeric_text(value: object) -> float | None:
    """The number a text cell looks like (`0.9`, ` 90% `, `１２`), else None."""
    import unicodedata

    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    percent = text.endswith("%")
    try:
        x = float(text[:-1] if percent else text)
    except ValueError:
        return None
    return x / 100 if percent else x


def _lang_of(where: Location, lang: str | None) -> str:
    """The plan's language, else the one the sheet's name is in (zh by default)."""
    if lang in ("zh", "en"):
        return lang
    return "en" if where.sheet in {s.en for s in layout.SHEETS} else "zh"


def address(where: Location) -> str:
    sheet = where.sheet or ""
    shown = f"'{sheet}'" if any(ch in sheet for ch in " '!-()") else sheet
    return f"{shown}!{where.column or ''}{where.row or ''}"


def not_a_number(value: object, where: Location, lang: str | None = None) -> InputError:
    """The refusal of a number input that holds text (or a date), naming its cell."""
    zh = _lang_of(where, lang) == "zh"
    shown = printable(str(value))
    if numeric_text(value) is not None:
        return InputError(
            f"{address(where)} 中的“{shown}”是文本，不是数字：工作簿的公式会把它当作文本比较，"
            "算出的档位、得分和奖金会与 csxl 的不同。"
            if zh
            else f"{address(where)} holds {shown!r} as text, not a number: the workbook's "
            "formulas would compare it as text and give other tiers, scores and bonuses than "
            "csxl.",
            where,
            "请把该单元格的格式设为“常规”（或数字、百分比）后重新输入这个数字"
            "（不要以撇号 ' 开头）；未写入任何内容。"
            if zh
            else "Set the cell's format to General (or Number, Percentage) and type the number "
            "again (without a leading apostrophe); nothing was written.",
        )
    return InputError(
        f"{address(where)} 中的“{shown}”不是数字。"
        if zh
        else f"{address(where)} holds {shown!r}, which is not a number.",
        where,
        "请输入数字，或清空该单元格；未写入任何内容。"
        if zh
        else "Type a number, or clear the cell; nothing was written.",
    )


def day(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return from_serial(float(value)).date()
    return date.fromisoformat(str(value).strip()[:10])


def text(value: object) -> str:
    """A text input, stripped; blank is ""."""
    return "" if value is None else str(value).strip()


def typed_date(value: object, where: Location) -> date | None:
    """A date input (a date cell, a serial or ISO text); anything else is refused."""
    try:
        return day(value)
    except ValueError:
        raise InputError(
            t(f"{value!r} 不是日期。", f"{value!r} is not a date."),
            where,
            t("请输入日期，如 2026-03-31。", "Type a date such as 2026-03-31."),
        ) from None


def loose_number(value: object, where: Location) -> float | None:
    """A number as an older plan may hold it (`csxl upgrade`): a number cell, or text such
    as `90%` read as the number it shows; anything else is refused."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _not_a_number_input(value, where)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().rstrip("%")) / (100 if str(value).endswith("%") else 1)
    except ValueError:
        raise _not_a_number_input(value, where) from None


def _not_a_number_input(value: object, where: Location) -> InputError:
    return InputError(
        t(f"{value!r} 不是数字。", f"{value!r} is not a number."),
        where,
        t("请输入数字。", "Type a number."),
    )


def too_many_rows(key: str, book: str, lang: str, row: int, room: int) -> InputError:
    """The refusal of a table with more rows than the template holds (`csxl upgrade`)."""
    sheet = layout.title(key, lang)
    zh = lang == "zh"
    return InputError(
        f"{sheet} 表从第 {row} 行起超出了新模板的 {room} 行（表格中插入过行）。"
        if zh
        else f"the {sheet} table runs past the new template's {room} rows from row {row} "
        "(rows were inserted into it).",
        Location(book, sheet, row, "A"),
        "请删除不需要的行后再升级；未写入任何内容。"
        if zh
        else "Delete the rows that are not needed, then upgrade again; nothing was written.",
    )


def moment(value: object) -> datetime | None:
    """A date and time cell (or its serial); None for anything else."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_serial(float(value))
    return None


def number_or_none(value: object) -> float | None:
    """A number cell's value; None for anything else (text, blank, a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def same_text(a: object, b: object) -> bool:
    """Two cells hold the same text, blanks and outer spaces aside."""
    return str(a or "").strip() == str(b or "").strip()
