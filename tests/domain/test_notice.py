"""The State Council's holiday notice pasted as published (csxl.domain.notice).

NOTICE_2026 is 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04)
line for line as published, title, preamble, closing paragraph and issuer included: read, it
must give exactly chinese-calendar's 2026 days off and make-up working days.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from csxl.domain.calendar import covered_years, entered_years, year_covered
from csxl.domain.notice import HOLIDAYS, parse_notice

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日"""


def rows(text: str, first: int = 5) -> list[tuple[int, str]]:
    return [(first + i, line) for i, line in enumerate(text.splitlines())]


def official(year: int) -> tuple[set[date], set[date]]:
    return (
        {d for d in chinese_calendar.holidays if d.year == year},
        {d for d in chinese_calendar.workdays if d.year == year},
    )


def test_the_2026_notice_gives_exactly_chinese_calendars_2026_days():
    notice = parse_notice(rows(NOTICE_2026), 2026)
    assert notice.problems == []
    off, work = official(2026)
    assert len(off) == 33 and len(work) == 6  # the package's data, checked below date by date
    assert set(notice.days_off) == off
    assert set(notice.workdays) == work
    assert notice.missing == ()
    # Title, addressees, preamble, closing paragraph, issuer, issuing date: prose.
    assert notice.prose == [5, 6, 7, 15, 16, 17]
    spring = next(line for line in notice.lines if line.names == ("春节",))
    assert spring.row == 9
    assert spring.days_off == tuple(date(2026, 2, d) for d in range(15, 24))
    assert spring.workdays == (date(2026, 2, 14), date(2026, 2, 28))


def test_half_width_punctuation_and_one_cell_holding_the_whole_notice():
    # What a web page copied without its full-width forms gives, all in one cell.
    plain = NOTICE_2026.replace("：", ":").replace("（", "(").replace("）", ")")
    notice = parse_notice([(5, plain.replace("，", ","))], 2026)
    assert notice.problems == []
    assert (set(notice.days_off), set(notice.workdays)) == official(2026)


def notice_from_package(year: int) -> str:
    """A notice in the published shape written from chinese-calendar's own data: one line
    per holiday (its runs of days off), the make-up working days on a line of their own."""
    names = {
        "New Year's Day": "元旦",
        "Spring Festival": "春节",
        "Tomb-sweeping Day": "清明节",
        "Labour Day": "劳动节",
        "Dragon Boat Festival": "端午节",
        "Mid-autumn Festival": "中秋节",
        "National Day": "国庆节",
        "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
    }
    off, work = official(year)
    runs: list[list[date]] = []
    for d in sorted(off):
        if runs and d - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(d)
        else:
            runs.append([d])
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知"]
    for i, run in enumerate(runs):
        name = names[chinese_calendar.get_holiday_detail(run[0])[1]]
        a, b = run[0], run[-1]
        span = f"{a.month}月{a.day}日"
        if b != a:
            span += f"至{b.day}日" if b.month == a.month else f"至{b.month}月{b.day}日"
        lines.append(f"{i + 1}、{name}：{span}（周{a.isoweekday()}）放假，共{len(run)}天。")
    if work:
        lines.append("、".join(f"{d.month}月{d.day}日（周六）" for d in sorted(work)) + "上班。")
    return "\n".join(lines)


@pytest.mark.parametrize("year", list(covered_years()))
def test_every_year_the_package_knows_reads_back_from_its_notice(year):
    notice = parse_notice(rows(notice_from_package(year)), year)
    assert notice.problems == []
    assert (set(notice.days_off), set(notice.workdays)) == official(year)


def test_the_published_variants():
    text = "\n".join(
        [
            "一、元旦：1月1日（周三）放假1天，不调休。",
            "二、端午节：5月31日（周六）至6月2日（周一）放假，共3天。",  # across two months
            "三、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（星期六）、10月8日（星期日）上班。",
            "元旦：2022年12月31日至2023年1月2日放假调休，共3天。",  # years written
            "春节：12月31日至1月2日放假。",  # across New Year without years: from the year before
        ]
    )
    notice = parse_notice(rows(text), 2025)
    assert notice.problems == []
    first, boat, autumn, written, across = notice.lines
    assert first.days_off == (date(2025, 1, 1),) and first.names == ("元旦",)
    assert boat.days_off == (date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2))
    assert autumn.names == ("中秋节", "国庆节") and len(autumn.days_off) == 8
    assert autumn.days_off[0] == date(2025, 9, 29) and autumn.days_off[-1] == date(2025, 10, 6)
    assert autumn.workdays == (date(2025, 10, 7), date(2025, 10, 8))
    assert written.days_off == (date(2022, 12, 31), date(2023, 1, 1), date(2023, 1, 2))
    assert across.days_off == (date(2024, 12, 31), date(2025, 1, 1), date(2025, 1, 2))
    assert set(notice.missing) == set(HOLIDAYS) - {"元旦", "端午节", "中秋节", "国庆节", "春节"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("春节：2月15日至23日放假调休，共8天。", "写明共 8 天，但日期是 9 天"),
        ("春节：2月15日至23日休息。", "无法识别：2月15日至23日休息"),
        ("春节：2月30日放假。", "2月30日 不是有效日期"),
        ("国庆节：10月7日至1日放假。", "10月7日至1日 的结束日期早于开始日期"),
        ("劳动节：5月1日至5日放假调休，共5天。5月9日上班，另行安排。", "无法识别"),
        ("新华社北京11月4日电 国务院办公厅关于2026年部分节假日安排的通知", "无法识别"),
        ("经国务院批准，现将2025年元旦、春节放假调休日期的具体安排通知如下。", "2025 年的通知"),
    ],
)
def test_a_line_that_does_not_read_is_refused_with_its_row(line, reason):
    notice = parse_notice([(5, "一、元旦：1月1日放假。"), (6, line)], 2026)
    [(row, text, why)] = notice.problems
    assert (row, text) == (6, line)
    assert reason in why
    assert [n.row for n in notice.lines] == [5]  # the good line is still read


def test_a_day_both_off_and_working_is_refused_in_english_too():
    notice = parse_notice([(5, "春节：2月15日放假。"), (7, "2月15日上班。")], 2026, "en")
    assert notice.problems == [(7, "", "2026-02-15 is both a day off and a working day")]


def test_the_range_of_the_installed_package_is_asked_of_it():
    years = covered_years()
    assert years[0] == 2004
    for year in (years[0], years[-1]):
        chinese_calendar.is_workday(date(year, 6, 1))  # known: no exception
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(years[-1] + 1, 6, 1))
    assert year_covered(years[-1]) and not year_covered(years[-1] + 1)


def test_a_year_is_entered_by_its_notice_or_enough_days_off():
    nxt = covered_years()[-1] + 1
    twelve = [date(nxt, 2, d) for d in range(1, 13)]
    assert entered_years(twelve) == ()  # a few local days off do not complete a year
    assert entered_years([*twelve, date(nxt, 10, 1)]) == (nxt,)
    assert entered_years([], [nxt]) == (nxt,)
    assert entered_years([date(2026, 2, d) for d in range(1, 20)], [2026]) == ()  # known
