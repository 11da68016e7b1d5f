"""The State Council's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知), as published.

A year chinese-calendar does not know yet is completed by pasting that notice on the plan's
Holidays sheet. Its holiday lines have one shape, year after year:

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

- a holiday line starts (after its numbering 一、) with the holidays it is about, joined by 、
  (元旦 春节 清明节 劳动节 端午节 中秋节 国庆节; a one-off such as 2015's 抗战胜利70周年纪念日
  reads the same), then a colon;
- its sentences (split at 。 and ；) are dates followed by 放假 (days off) or 上班 (make-up
  working days): a date `X月Y日`, a range `X月Y日至Z日` or `X月Y日至W月Z日`, several of them
  joined by 、; after 放假 may come 调休, `N天`, `，共N天`, `，与周末连休`, `，不调休`;
- bracketed remarks (weekdays, lunar dates) are ignored; a year may be written (`2026年1月1日`),
  else a date is in the plan's year (a range from December into January starts the year
  before);
- `共N天` is checked against the range: a typo is refused, not guessed.

Any other line without a date is the notice's prose (title, preamble, closing paragraph,
issuer) and is ignored, as is the line holding only the issuing date; a prose line naming
another year than the plan's is refused (a notice of the wrong year). A line with dates that
does not read completely is refused with its row: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["HOLIDAYS", "Notice", "NoticeLine", "parse_notice"]

# The seven statutory holidays, in the notice's order and spelling.
HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
_NAME = r"(?:元旦|春节|清明节?|劳动节|五一|端午节?|中秋节?|国庆节?)"
_CANONICAL = {
    "清明": "清明节",
    "端午": "端午节",
    "中秋": "中秋节",
    "国庆": "国庆节",
    "五一": "劳动节",
}
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.])")
# The heading before the colon: the holidays' names, or a one-off (抗战胜利70周年纪念日, 2015).
_HEAD = re.compile(r"^([^:,。]{1,30}):")
_BRACKETS = re.compile(r"\([^()]*\)|【[^【】]*】|〔[^〔〕]*〕")
_ANY_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_ISSUED = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_YEAR = re.compile(r"(\d{4})年(?!\d{1,2}月)")
_START = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
_END = r"(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日"
_ITEM = rf"{_START}(?:(?:至|到|-|~|—|–){_END})?"
_ITEM_RE = re.compile(_ITEM)
_CLAUSE = re.compile(rf"^(?P<dates>{_ITEM}(?:[、,]{_ITEM})*)(?P<verb>放假|上班)(?P<tail>.*)$")
_OFF_TAIL = re.compile(r"^(?:调休)?(?:(\d+)天)?((?:,(?:共\d+天|与周末连休|不调休|放假\d+天))*)$")
_TOTAL = re.compile(r"共(\d+)天")


@dataclass(frozen=True)
class NoticeLine:
    """One holiday line (or continuation line) of the notice, as read."""

    row: int
    names: tuple[str, ...]
    days_off: tuple[date, ...]
    workdays: tuple[date, ...]


@dataclass
class Notice:
    lines: list[NoticeLine] = field(default_factory=list)
    prose: list[int] = field(default_factory=list)  # rows read as the notice's prose
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # row, text, reason

    @property
    def days_off(self) -> tuple[date, ...]:
        return tuple(sorted({d for line in self.lines for d in line.days_off}))

    @property
    def workdays(self) -> tuple[date, ...]:
        return tuple(sorted({d for line in self.lines for d in line.workdays}))

    @property
    def missing(self) -> tuple[str, ...]:
        """The statutory holidays no line names (every year's notice has all seven)."""
        named = {n for line in self.lines for n in line.names}
        return tuple(n for n in HOLIDAYS if n not in named)


_SAY = {
    "unread": ("无法识别：{part}", "cannot read: {part}"),
    "bad_date": ("{text} 不是有效日期", "{text} is not a date"),
    "backwards": ("{text} 的结束日期早于开始日期", "{text} ends before it starts"),
    "total": (
        "写明共 {n} 天，但日期是 {m} 天",
        "says {n} days but the dates give {m}",
    ),
    "both": (
        "{day} 既是放假日又是上班日",
        "{day} is both a day off and a working day",
    ),
    "year": (
        "这是 {other} 年的通知，计划年度是 {year} 年",
        "this is the notice of {other}; the plan's year is {year}",
    ),
}


class _Refused(ValueError):
    pass


def _say(lang: str, code: str, **kw: object) -> str:
    zh, en = _SAY[code]
    return (zh if lang == "zh" else en).format(**kw)


def parse_notice(rows: Iterable[tuple[int, str]], year: int, lang: str = "zh") -> Notice:
    """Read the notice's lines (sheet row, text); a cell may hold several lines."""
    notice = Notice()
    seen_off: dict[date, int] = {}
    seen_work: dict[date, int] = {}
    for row, cell in rows:
        for raw in str(cell).splitlines():
            text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
            if not text:
                continue
            try:
                line = _line(row, text, year, lang)
            except _Refused as exc:
                notice.problems.append((row, raw.strip(), str(exc)))
                continue
            if line is None:
                notice.prose.append(row)
                continue
            notice.lines.append(line)
            for d in line.days_off:
                seen_off.setdefault(d, row)
            for d in line.workdays:
                seen_work.setdefault(d, row)
    for d in sorted(set(seen_off) & set(seen_work)):
        row = max(seen_off[d], seen_work[d])
        notice.problems.append((row, "", _say(lang, "both", day=d.isoformat())))
    notice.problems.sort(key=lambda p: p[0])
    return notice


def _line(row: int, text: str, year: int, lang: str) -> NoticeLine | None:
    """One line: a NoticeLine, None for prose, or _Refused."""
    body = _BRACKETS.sub("", _BRACKETS.sub("", text))  # a remark may nest one level
    body = _NUMBERING.sub("", body)
    names: tuple[str, ...] = ()
    head = _HEAD.match(body) if _ANY_DATE.search(body) else None
    if head and not _ANY_DATE.search(head.group(1)):
        names = tuple(dict.fromkeys(_CANONICAL.get(n, n) for n in re.findall(_NAME, head.group(1))))
        body = body[head.end() :]
    if not _ANY_DATE.search(body):
        other = sorted({int(y) for y in _YEAR.findall(body)} - {year})
        if other:
            raise _Refused(_say(lang, "year", other=other[0], year=year))
        return None
    if not names and _ISSUED.match(body):
        return None  # the notice's issuing date under the issuer
    off: list[date] = []
    work: list[date] = []
    for sentence in re.split(r"[。;]", body):
        sentence = sentence.strip(",")
        if not sentence:
            continue
        clause = _CLAUSE.match(sentence)
        if not clause:
            raise _Refused(_say(lang, "unread", part=sentence))
        items = _ITEM_RE.finditer(clause["dates"])
        days = [d for item in items for d in _days(item, year, lang)]
        if clause["verb"] == "上班":
            if clause["tail"]:
                raise _Refused(_say(lang, "unread", part=sentence))
            work += days
            continue
        tail = _OFF_TAIL.match(clause["tail"])
        if not tail:
            raise _Refused(_say(lang, "unread", part=sentence))
        totals = [int(n) for n in _TOTAL.findall(tail.group(2))]
        if tail.group(1):
            totals.append(int(tail.group(1)))
        for n in totals:
            if n != len(days):
                raise _Refused(_say(lang, "total", n=n, m=len(days)))
        off += days
    return NoticeLine(row, names, tuple(off), tuple(work))


def _days(item: re.Match[str], year: int, lang: str) -> list[date]:
    """The days of one date or range `item` (groups: start y m d, end y m d)."""
    sy, sm, sd, ey, em, ed = item.groups()
    start_year = int(sy) if sy else year
    text = item.group(0)
    if ed is not None and not sy and not ey and em and int(em) < int(sm):
        start_year = year - 1  # 12月31日至1月2日: New Year's Day across the turn of the year
    try:
        start = date(start_year, int(sm), int(sd))
        if ed is None:
            return [start]
        end_month = int(em) if em else start.month
        end_year = int(ey) if ey else start_year + (end_month < start.month)
        end = date(end_year, end_month, int(ed))
    except ValueError:
        raise _Refused(_say(lang, "bad_date", text=text)) from None
    if end < start:
        raise _Refused(_say(lang, "backwards", text=text))
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
