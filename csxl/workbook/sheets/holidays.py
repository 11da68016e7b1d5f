"""Holidays (假日): local additions to the China working-day calendar.

The manager lists dates with 放假 (a local day off) or 上班 (a local working day, e.g. a
weekend duty); they override the official calendar wherever csxl counts working days or
business hours (SLA clocks, dept_sla's working-day limits). Right of the list, for
reference only, the plan year's official days off and 调休 make-up days as chinese-calendar
has them (csxl writes them with the plan and refresh rewrites them; they are not read back).

For a year chinese-calendar does not know yet (a plan drafted in December for next year),
row 3 carries a banner formula asking for the year's official days, and column I takes the
State Council's notice pasted as published (`csxl.domain.notice`); column J says what
refresh read in each row. The banner goes blank by itself once the notice is pasted or
enough days off of the year are typed (`csxl.domain.calendar.entered_years`, the same rule
in Python and in the formula), and refresh leaves it out once the package knows the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill

from csxl.domain.calendar import (
    MIN_DAYS_OFF,
    covered_years,
    entered_years,
    official_days,
    year_covered,
)
from csxl.domain.notice import Notice, parse_notice
from csxl.errors import InputError, Location
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, PlanInputs, setup_sheet
from csxl.workbook.cells import cell, day
from csxl.workbook.layout import Holidays as H
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState

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


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    return [("假日：本地放假与上班日", "Holidays: local days off and working days")]


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
    _banner(ctx, ws)
    _notice(ctx, ws)
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
    official_kinds = {"zh": ("法定放假", "调休上班"), "en": ("Day off", "Make-up working day")}
    # Every row styled, filled or not: refresh fills them once chinese-calendar knows the year.
    for i in range(H.OFFICIAL_ROWS):
        r = H.FIRST_ROW + i
        d, off, name = days[i] if days and i < len(days) else (None, None, None)
        kind = None if off is None else official_kinds[lang][0 if off else 1]
        shown = HOLIDAY_NAMES.get(name or "", name) if lang == "zh" else name
        ctx.label(ws, f"{col(o)}{r}", d, style.COMPUTED, style.DATE)
        ctx.label(ws, f"{col(o + 1)}{r}", kind, style.COMPUTED)
        ctx.label(ws, f"{col(o + 2)}{r}", shown, style.COMPUTED)
    if days is None:
        note = t(
            f"chinese-calendar 尚未收录 {p.year} 年：见第 {H.BANNER_ROW} 行。",
            f"chinese-calendar does not know {p.year} yet: see row {H.BANNER_ROW}.",
        )
        ctx.label(ws, f"{col(o)}{H.FIRST_ROW}", note, style.COMPUTED, style.DATE)
    setup_sheet(
        ws,
        widths={
            "A": 12,
            "B": 12,
            "C": 30,
            "D": 2,
            "E": 14,
            "F": 14,
            "G": 18,
            "H": 2,
            col(H.NOTICE): 70,
            col(H.NOTICE_READ): 50,
        },
        freeze=f"A{H.FIRST_ROW}",
        header_rows=f"{H.HEADER_ROW}:{H.HEADER_ROW}",
        landscape=False,
    )


# ------------------------------------------------------------------ a year not yet known
def uncovered_warning(year: int, lang: str) -> str | None:
    """What `new`, `batch` and `upgrade` say about a plan year chinese-calendar does not
    know (None when it does)."""
    if year_covered(year):
        return None
    sheet = layout.title("Holidays", lang)
    return _say(lang, "uncovered", year=year, sheet=sheet, kinds=" / ".join(KINDS[lang]))


_TEXT = {
    "uncovered": (
        "chinese-calendar {version}（收录 {known}）还没有 {year} 年的法定节假日和调休上班日："
        "请把国务院办公厅的 {year} 年放假通知整段粘贴到“{sheet}”表 I 列，或在 A:C 逐日填写"
        "日期和类型（{kinds}）；在此之前，服务时限、协作部门时限和按工作日折算的奖金按"
        "周一至周五计算。chinese-calendar 升级到收录 {year} 年的版本后，以它为准。",
        "chinese-calendar {version} (years {known}) does not have {year}'s statutory holidays "
        "and make-up working days yet: paste the State Council's {year} holiday notice into "
        "column I of the {sheet} sheet, or type each date with its kind ({kinds}) in A:C. Until "
        "then SLA clocks, department SLA and the working-day bonus share use Monday-Friday. Once "
        "chinese-calendar is upgraded to a release that knows {year}, it is used.",
    ),
    "banner": (
        "⚠ chinese-calendar {version} 还没有 {year} 年的法定节假日和调休上班日：请把国务院办公厅"
        "的 {year} 年放假通知整段粘贴到 I 列，或在左侧逐日填写日期和类型（{kinds}）。"
        "填好前，服务时限、协作部门时限和按工作日折算的奖金按周一至周五计算。",
        "⚠ chinese-calendar {version} does not have {year}'s statutory holidays and make-up "
        "working days yet: paste the State Council's {year} notice into column I, or type each "
        "date with its kind ({kinds}) on the left. Until then SLA clocks, department SLA and "
        "the working-day bonus share use Monday-Friday.",
    ),
    "guessed": (
        "{year} 年的法定节假日和调休未收录（chinese-calendar {version}，收录 {known}），"
        "这些月份的工作日按周一至周五推测：{months}。受影响的结果：{reached}。"
        "请在“{sheet}”表 I 列粘贴国务院办公厅的 {year} 年放假通知，或在 A:C 逐日填写放假/上班。",
        "{year}'s statutory holidays and make-up working days are unknown (chinese-calendar "
        "{version}, years {known}): the working days of these months were guessed as "
        "Monday-Friday: {months}. Results affected: {reached}. Paste the State Council's "
        "{year} holiday notice into column I of the {sheet} sheet, or type the days in A:C.",
    ),
    "missing": (
        "“{sheet}”表的 {year} 年放假通知没有这些节日：{names}。请粘贴完整的通知。",
        "The {year} holiday notice on the {sheet} sheet has no line for: {names}. Paste the "
        "whole notice.",
    ),
    "overtaken": (
        "chinese-calendar {version} 已收录 {year} 年，以它为准；“{sheet}”表 I 列粘贴的通知与它"
        "不一致，已不再使用（可清除）。",
        "chinese-calendar {version} knows {year} now and is used; the notice pasted in column I "
        "of the {sheet} sheet differs from it and is no longer used (it can be cleared).",
    ),
}


def _say(lang: str, code: str, **kw: object) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("chinese_calendar")
    except PackageNotFoundError:  # a frozen executable may carry no metadata
        installed = ""
    known = covered_years()
    span = f"{known[0]}-{known[-1]}" if known else "-"
    zh, en = _TEXT[code]
    return (zh if lang == "zh" else en).format(version=installed, known=span, **kw)


def days_off_typed(p: PlanInputs, year: int) -> int:
    """The typed days of `year` that are not 上班, as the banner formula counts them."""
    return sum(1 for d, kind, _ in p.holidays if d.year == year and kind != "workday")


def notice_given(p: PlanInputs) -> bool:
    return any(text.strip() for text in p.holiday_notice)


def _banner(ctx: Ctx, ws) -> None:
    """Row 3: a formula that shows the request until the year is entered, for a year the
    package does not know; nothing for a year it knows."""
    p, lang = ctx.inputs, ctx.lang
    ws.merge_cells(f"A{H.BANNER_ROW}:{col(H.NOTICE_READ)}{H.BANNER_ROW}")
    if year_covered(p.year):
        return
    ws.row_dimensions[H.BANNER_ROW].height = 48
    first, last = H.FIRST_ROW, H.FIRST_ROW + H.ROWS - 1
    dates = f"${col(H.DATE)}${first}:${col(H.DATE)}${last}"
    kinds = f"${col(H.KIND)}${first}:${col(H.KIND)}${last}"
    notice = f"${col(H.NOTICE)}${first}:${col(H.NOTICE)}${last}"
    in_year = f'{dates},">="&DATE({p.year},1,1),{dates},"<"&DATE({p.year + 1},1,1)'
    workday = KINDS[lang][1]
    typed = f'COUNTIFS({in_year})-COUNTIFS({in_year},{kinds},"{workday}")'
    text = _say(lang, "banner", year=p.year, kinds=" / ".join(KINDS[lang]))
    entered = notice_given(p) or days_off_typed(p, p.year) >= MIN_DAYS_OFF
    ctx.formula(
        ws,
        H.BANNER,
        f'=IF(OR(COUNTA({notice})>0,{typed}>={MIN_DAYS_OFF}),"",{_literal(text)})',
        "" if entered else text,
    )
    cell = ws[H.BANNER]
    cell.font = Font(name=style.FONT, size=11, bold=True, color="9B1C1C")
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.conditional_formatting.add(
        f"A{H.BANNER_ROW}:{col(H.NOTICE_READ)}{H.BANNER_ROW}",
        FormulaRule(
            formula=[f"LEN($A${H.BANNER_ROW})>0"],
            fill=PatternFill("solid", fgColor="F8D7DA", bgColor="F8D7DA"),
        ),
    )


def _literal(text: str, chunk: int = 200) -> str:
    """A formula string literal; Excel takes at most 255 characters in one, so longer text
    is joined from pieces."""
    parts = [text[i : i + chunk].replace('"', '""') for i in range(0, len(text), chunk)]
    return "&".join(f'"{part}"' for part in parts)


def _notice(ctx: Ctx, ws) -> None:
    """Columns I:J: the pasted notice (input) and what was read in each row."""
    p, t = ctx.inputs, ctx.t
    ctx.header(
        ws,
        H.HEADER_ROW,
        H.NOTICE,
        [
            t(
                f"{p.year} 年放假通知（国务院办公厅原文整段粘贴）",
                f"{p.year} holiday notice (the State Council's text, pasted as published)",
            ),
            t("识别结果（刷新时填写）", "Read by refresh"),
        ],
    )
    parsed = parse_notice(notice_rows(p.holiday_notice), p.year, ctx.lang)
    shown = read_lines(parsed, ctx.lang)
    for i in range(H.ROWS):
        r = H.FIRST_ROW + i
        text = p.holiday_notice[i] if i < len(p.holiday_notice) else None
        ctx.input(ws, f"{col(H.NOTICE)}{r}", text or None)
        ctx.label(ws, f"{col(H.NOTICE_READ)}{r}", shown.get(r), style.COMPUTED)


def notice_rows(texts: Iterable[str]) -> list[tuple[int, str]]:
    return [(H.FIRST_ROW + i, text) for i, text in enumerate(texts) if text and text.strip()]


def read_lines(notice: Notice, lang: str) -> dict[int, str]:
    """Per sheet row, what was read there (days off and working days, prose, or why not)."""
    zh = lang == "zh"
    out: dict[int, list[str]] = {}
    for line in notice.lines:
        parts = []
        if line.days_off:
            runs = _runs(line.days_off, zh)
            n = len(line.days_off)
            parts.append(f"放假 {runs}（{n} 天）" if zh else f"off {runs} ({n} days)")
        if line.workdays:
            runs = _runs(line.workdays, zh)
            parts.append(f"上班 {runs}" if zh else f"working {runs}")
        head = "、".join(line.names) + ("：" if zh else ": ") if line.names else ""
        out.setdefault(line.row, []).append(head + ("；" if zh else "; ").join(parts))
    for row in notice.prose:
        out.setdefault(row, []).append("（说明文字，不含日期）" if zh else "(prose, no dates)")
    for row, _, reason in notice.problems:
        out.setdefault(row, []).append(("无法使用：" if zh else "refused: ") + reason)
    return {row: ("；" if zh else "; ").join(dict.fromkeys(parts)) for row, parts in out.items()}


def _runs(days: Iterable[date], zh: bool) -> str:
    """2026-02-15 至 2026-02-23、2026-02-28: consecutive days as ranges."""
    runs: list[list[date]] = []
    for d in sorted(days):
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    to, sep = (" 至 ", "、") if zh else (" to ", ", ")
    return sep.join(
        r[0].isoformat() if len(r) == 1 else f"{r[0].isoformat()}{to}{r[-1].isoformat()}"
        for r in runs
    )


# ------------------------------------------------------------------ reading back
def read_notice(rows: list[list[object]]) -> tuple[str, ...]:
    """Column I as text, one entry a sheet row from FIRST_ROW (trailing blanks dropped)."""
    out = []
    for r in range(H.FIRST_ROW, H.FIRST_ROW + H.ROWS):
        row = rows[r - 1] if r <= len(rows) else []
        value = row[H.NOTICE - 1] if len(row) >= H.NOTICE else None
        out.append("" if value is None or value == "" else str(value))
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def calendar_days(
    book_name: str, p: PlanInputs
) -> tuple[tuple[date, ...], tuple[date, ...], tuple[int, ...]]:
    """The Holidays sheet as the working-day calendar takes it: days off, working days and
    the years whose official schedule the sheet holds (`WorkCalendar`'s three inputs).

    The pasted notice counts for years chinese-calendar does not know; once the package
    knows a year, its own data is used and the notice's days of that year are left aside.
    The typed list (A:C) wins over the notice on a date both give. A notice line that does
    not read is refused, every such row listed.
    """
    off = [d for d, kind, _ in p.holidays if kind == "holiday"]
    work = [d for d, kind, _ in p.holidays if kind == "workday"]
    notice = parse_notice(notice_rows(p.holiday_notice), p.year, p.lang)
    if notice.problems:
        zh = p.lang == "zh"
        listed = ("；" if zh else "; ").join(
            (f"第 {row} 行：{reason}" if zh else f"row {row}: {reason}")
            for row, _, reason in notice.problems[:5]
        )
        more = len(notice.problems) - 5
        if more > 0:
            listed += f"；另有 {more} 行" if zh else f"; {more} more"
        raise InputError(
            (
                f"放假通知（{col(H.NOTICE)} 列）有无法识别的行：{listed}。"
                if zh
                else f"the holiday notice (column {col(H.NOTICE)}) has lines that do not read: "
                f"{listed}."
            ),
            Location(book_name, layout.title("Holidays", p.lang)),
            (
                "请按通知原文粘贴（每个节日一行，如“春节：2月15日至23日放假调休，共9天。2月14日"
                "（周六）上班。”），或删除这些行。"
                if zh
                else "Paste the notice as published (one holiday a line, e.g. "
                "春节：2月15日至23日放假调休，共9天。2月14日（周六）上班。) or delete those lines."
            ),
        )
    typed = set(off) | set(work)
    off += [d for d in notice.days_off if d not in typed and not year_covered(d.year)]
    work += [d for d in notice.workdays if d not in typed and not year_covered(d.year)]
    notice_years = [p.year] if notice_given(p) else []
    days_off = [d for d, kind, _ in p.holidays if kind != "workday"]
    return tuple(off), tuple(work), entered_years(days_off, notice_years)


def open_year_warning(p: PlanInputs) -> str | None:
    """`uncovered_warning` for a plan whose Holidays sheet does not hold its year yet (a new
    plan's never does): what `csxl new`, `batch` and `upgrade` say (`Room.warn`)."""
    days_off = [d for d, kind, _ in p.holidays if kind != "workday"]
    if p.year in entered_years(days_off, [p.year] if notice_given(p) else []):
        return None
    return uncovered_warning(p.year, p.lang)


# ------------------------------------------------------------------ refresh's warnings
RESULTS = {
    "sla": ("服务时限达成率", "SLA attainment"),
    "dept_sla": ("协作部门时限", "department SLA"),
    "bonus": ("按工作日折算的奖金", "working-day bonus share"),
}


def plan_warnings(p: PlanInputs, warnings: Iterable[str]) -> list[str]:
    """`warnings` in the plan's language where they concern the calendar: the calendar's
    guessed days (`GuessedDays`, one per year and use) become one line a year naming the
    months and the results they reached; and notes on the pasted notice."""
    from csxl.domain.calendar import GuessedDays

    zh = p.lang == "zh"
    out: list[str] = []
    guessed: dict[int, dict[str, set[str]]] = {}
    for w in warnings:
        if isinstance(w, GuessedDays):
            guessed.setdefault(w.year, {}).setdefault(w.use, set()).update(w.months)
        elif w not in out:
            out.append(w)
    sheet = layout.title("Holidays", p.lang)
    for year, uses in sorted(guessed.items()):
        months = sorted(set().union(*uses.values()))
        sep = "、" if zh else ", "
        reached = [
            f"{RESULTS[use][0 if zh else 1]} {sep.join(sorted(uses[use]))}"
            for use in RESULTS
            if use in uses
        ]
        out.append(
            _say(
                p.lang,
                "guessed",
                year=year,
                months=sep.join(months),
                reached=("；" if zh else "; ").join(reached) or "-",
                sheet=sheet,
            )
        )
    out += _notice_notes(p)
    return out


def _notice_notes(p: PlanInputs) -> list[str]:
    """A pasted notice that misses a holiday, or that the package has overtaken."""
    if not notice_given(p):
        return []
    notice = parse_notice(notice_rows(p.holiday_notice), p.year, p.lang)
    zh = p.lang == "zh"
    sheet = layout.title("Holidays", p.lang)
    notes = []
    if year_covered(p.year):
        official = official_days(p.year) or []
        off = {d for d, is_off, _ in official if is_off}
        work = {d for d, is_off, _ in official if not is_off}
        mine_off = {d for d in notice.days_off if d.year == p.year}
        mine_work = {d for d in notice.workdays if d.year == p.year}
        if (mine_off, mine_work) != (off, work):
            notes.append(_say(p.lang, "overtaken", year=p.year, sheet=sheet))
    elif notice.missing:
        names = ("、" if zh else ", ").join(notice.missing)
        notes.append(_say(p.lang, "missing", year=p.year, names=names, sheet=sheet))
    return notes


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The days typed (A:C) and the pasted notice (I), and the working-day calendar they
    make: the typed days, and the notice for a year chinese-calendar does not know yet."""
    p = state.inputs
    p.holidays = _typed_days(book)
    p.holiday_notice = read_notice(book.rows("Holidays"))
    off, work, entered = calendar_days(book.name, p)
    state.kpi_settings = replace(
        state.kpi_settings, extra_holidays=off, extra_workdays=work, entered_years=entered
    )


def _typed_days(book: Book) -> tuple[tuple[date, str, str | None], ...]:
    rows = book.rows("Holidays")
    sheet = layout.title("Holidays", book.lang)
    out = []
    for r in range(H.FIRST_ROW, H.FIRST_ROW + H.ROWS):
        value, kind, note = (cell(rows, r, c) for c in (H.DATE, H.KIND, H.NOTE))
        if value is None and kind is None:
            continue
        where = Location(book.name, sheet, r, layout.col(H.DATE))
        try:
            d = day(value)
        except ValueError:
            d = None
        if d is None:
            raise InputError(f"{value!r} is not a date.", where, "Type a date such as 2026-10-09.")
        if kind in (None, KINDS["zh"][0], KINDS["en"][0]):
            out.append((d, "holiday", None if note is None else str(note)))
        elif kind in (KINDS["zh"][1], KINDS["en"][1]):
            out.append((d, "workday", None if note is None else str(note)))
        else:
            raise InputError(
                f"{kind!r} is not one of {' / '.join(KINDS[book.lang])}.",
                Location(book.name, sheet, r, layout.col(H.KIND)),
                "Pick it from the list.",
            )
    dates = [d for d, _, _ in out]
    twice = sorted({d for d in dates if dates.count(d) > 1})
    if twice:
        raise InputError(
            f"{twice[0].isoformat()} is listed twice.",
            Location(book.name, sheet),
            "Keep one row per date.",
        )
    return tuple(out)


def write(book: Book, ctx: Ctx) -> None:
    """The Holidays sheet's csxl cells: the banner (row 3), the official days of the plan
    year as the installed chinese-calendar has them (E:G), and what was read in each line of
    the pasted notice (J). Rewritten by every refresh, so upgrading chinese-calendar to a
    release that knows the year clears the banner and fills E:G."""
    last = H.FIRST_ROW + max(H.ROWS, H.OFFICIAL_ROWS) - 1
    owned.write(
        book,
        ctx,
        "Holidays",
        [
            (H.BANNER_ROW, 1, H.BANNER_ROW, 1),
            (H.HEADER_ROW, H.OFFICIAL_COL, last, H.OFFICIAL_COL + 2),
            (H.FIRST_ROW, H.NOTICE_READ, last, H.NOTICE_READ),
        ],
    )


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (((H.DATE, H.NOTE), H.FIRST_ROW + H.ROWS - 1, None),)
