"""A plan for a year chinese-calendar does not know yet (issue 22): 2027 with chinese-calendar
1.11 (2004-2026).

- `new`, `batch` and `upgrade` warn, and the Holidays sheet shows a banner formula (row 3)
  until the year's official days are entered: its cached value and LibreOffice agree in
  every state (nothing, a pasted notice, 13 typed days off, 12).
- With the notice pasted (column I), the SLA due times across its holidays and make-up day
  are the hand-worked ones, and refresh names no guessed month.
- Without it, refresh's warning names the guessed months and the results they reached.

NOTICE_2027 is written in the State Council's published format for these tests only: 2027's
real notice is not out; the dates follow the usual pattern (Spring Festival 2027-02-06) and
the weekdays in brackets are right for 2027.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from csxl.cli import main
from csxl.domain import sla
from csxl.domain.calendar import covered_years
from csxl.errors import InputError
from csxl.refresh import refresh
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build, new_plan
from csxl.workbook.data_sheet import paste
from csxl.workbook.layout import Holidays as H
from csxl.workbook.layout import Incentives as I
from csxl.workbook.layout import Settings as St
from csxl.workbook.layout import Sla as L
from csxl.workbook.plan_reader import read_plan
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import at, sheet

YEAR = 2027
TEAM = "售后一组"
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月5日（周一）放假，与周末连休。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
国务院办公厅"""


class _March2027(datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2027, 3, 1, 9)


@pytest.fixture(autouse=True)
def clock_in_march_2027(monkeypatch):
    """The ticket reader refuses timestamps after today: these tickets are of February 2027."""
    import csxl.domain.tickets

    monkeypatch.setattr(csxl.domain.tickets, "datetime", _March2027)


def test_2027_is_beyond_the_installed_chinese_calendar():
    assert YEAR not in covered_years()  # these tests are about such a year


def tickets() -> pd.DataFrame:
    """Two February tickets on the 常规 clock (09:00-24:00 on working days, 60 min first
    response, 48 h resolution), each answered and resolved exactly when due by the notice;
    the first also a 产品优化 collaboration (3 working days)."""
    rows = [
        # Thu 4 Feb 23:30, the evening before the pasted Spring Festival (5-11 Feb).
        (datetime(2027, 2, 4, 23, 30), datetime(2027, 2, 12, 9, 30), datetime(2027, 2, 17, 11, 30)),
        # Fri 19 Feb 23:30, the evening before make-up Saturday 20 Feb.
        (
            datetime(2027, 2, 19, 23, 30),
            datetime(2027, 2, 20, 9, 30),
            datetime(2027, 2, 24, 11, 30),
        ),
    ]
    out = []
    for n, (created, answered, resolved) in enumerate(rows):
        out.append(
            {
                "工单号": f"T{n}",
                "创建时间": created,
                "首次响应时间": answered,
                "解决时间": resolved,
                "团队": TEAM,
                "客服": "张三",
                "满意度": 5,
                "协作类型": "产品优化" if n == 0 else None,
                "转交时间": datetime(2027, 2, 4, 10) if n == 0 else None,
                "部门完成时间": datetime(2027, 2, 16, 20) if n == 0 else None,
                "协作部门": "产品部" if n == 0 else None,
            }
        )
    return pd.DataFrame(out)


def plan(folder: Path, notice: str | None = None, lang: str = "zh") -> Path:
    path = folder / f"plan_{lang}.xlsx"
    new_plan(path, PlanInputs(lang=lang, team=TEAM, year=YEAR, as_of=date(2027, 2, 28)))
    book = PackageBook(path)
    paste(book, tickets())
    workdays = "按工作日" if lang == "zh" else "Working days"
    book.write("Incentives", {(I.ROW_PRORATION, 2): workdays})
    if notice is not None:
        lines = notice.splitlines()
        book.write("Holidays", {(H.FIRST_ROW + i, H.NOTICE): line for i, line in enumerate(lines)})
    book.commit()
    return path


# -- creation ---------------------------------------------------------------------------------


def test_new_warns_for_2027_and_not_for_2026(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["new", str(tmp_path / "p27.xlsx"), "--year", "2027"])
    assert result.exit_code == 0  # the plan is made; the ribbon opens it
    assert "已生成计划工作簿" in result.stdout
    assert "还没有 2027 年的法定节假日和调休上班日" in result.stderr
    assert "“假日”表 I 列" in result.stderr and "放假 / 上班" in result.stderr
    assert "升级到收录 2027 年的版本后，以它为准" in result.stderr
    result = runner.invoke(main, ["new", str(tmp_path / "p26.xlsx"), "--year", "2026"])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_the_banner_is_a_formula_with_its_cached_value(tmp_path):
    from openpyxl import load_workbook

    from tests.workbook.parity import cached_values

    path = tmp_path / "p.xlsx"
    path.write_bytes(build(PlanInputs(lang="zh", year=YEAR)))
    formula = load_workbook(path)["假日"][H.BANNER].value
    assert formula.startswith("=IF(OR(COUNTA($I$5:$I$64)>0,")
    assert '"上班")>=13),"",' in formula
    banner = cached_values(path)["假日"][H.BANNER_ROW - 1][0]
    assert banner.startswith("⚠ chinese-calendar") and "2027 年" in banner
    assert "粘贴到 I 列" in banner and "（放假 / 上班）" in banner
    # A year the package knows has no banner at all.
    known = tmp_path / "k.xlsx"
    known.write_bytes(build(PlanInputs(lang="zh", year=2026)))
    assert load_workbook(known)["假日"][H.BANNER].value is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_banner_goes_away_once_the_year_is_entered_in_libreoffice_too(
    libreoffice, tmp_path, lang
):
    from tests.workbook.parity import cached_values, differences

    off, work = ("holiday", "workday")
    twelve = tuple((date(YEAR, 2, d), off, None) for d in range(1, 13))
    states = {
        "nothing": PlanInputs(lang=lang, year=YEAR),
        "notice": PlanInputs(lang=lang, year=YEAR, holiday_notice=tuple(NOTICE_2027.splitlines())),
        # 12 days off and a make-up day: not the year's schedule yet.
        "twelve": PlanInputs(
            lang=lang, year=YEAR, holidays=(*twelve, (date(YEAR, 2, 20), work, None))
        ),
        "thirteen": PlanInputs(
            lang=lang, year=YEAR, holidays=(*twelve, (date(YEAR, 10, 1), off, None))
        ),
        # Days off of another year do not count for 2027.
        "other year": PlanInputs(
            lang=lang,
            year=YEAR,
            holidays=tuple((date(2028, 2, d), off, None) for d in range(1, 20)),
        ),
    }
    shown = {}
    sheet_name = "假日" if lang == "zh" else "Holidays"
    for name, inputs in states.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(build(inputs))
        recalc = libreoffice.recalc(path)
        assert recalc.errors() == []
        assert differences(recalc, path) == []
        shown[name] = cached_values(path)[sheet_name][H.BANNER_ROW - 1][0]
        assert (recalc.value(sheet_name, H.BANNER) or "") == shown[name]
    assert shown["notice"] == shown["thirteen"] == ""
    assert shown["nothing"] == shown["twelve"] == shown["other year"] != ""


def test_batch_and_upgrade_warn(tmp_path):
    from csxl.batch import run_batch
    from csxl.upgrade import upgrade
    from tests.batch_fixtures import make_department

    roster, _ = make_department(tmp_path)
    result = run_batch(roster, tmp_path / "out", year=YEAR, today=date(2026, 12, 1))
    assert [w for w in result.warnings if "还没有 2027 年的法定节假日" in w]
    assert result.teams  # the plans are made all the same

    (tmp_path / "bare").mkdir()
    report = upgrade(plan(tmp_path / "bare"))  # current version: nothing to move, still said
    assert not report.changed
    assert [w for w in report.warnings if "还没有 2027 年" in w]
    (tmp_path / "entered").mkdir()
    assert upgrade(plan(tmp_path / "entered", NOTICE_2027)).warnings == []


# -- with the notice pasted -------------------------------------------------------------------


def test_pasted_notice_gives_the_hand_worked_due_times(tmp_path):
    path = plan(tmp_path, NOTICE_2027)
    state = read_plan(PackageBook(path))
    s = state.kpi_settings
    assert s.entered_years == (YEAR,)
    assert date(YEAR, 2, 5) in s.extra_holidays and date(YEAR, 2, 20) in s.extra_workdays
    frame = pd.DataFrame(
        {
            "created_at": pd.to_datetime(["2027-02-04 23:30", "2027-02-19 23:30"]),
            "severity": [None, None],  # 常规: 09:00-24:00 on working days, 60 min / 48 h
        }
    )
    outcome, warnings = sla.ticket_sla(frame, state.sla_policy())
    assert warnings == []
    # Thu 4 Feb: 30 min to 24:00; 5-11 Feb off (pasted); Fri 12 Feb 09:00 + 30 min.
    # 48 h: 0.5 (4 Feb) + 15 (Fri 12) + 15 (Mon 15) + 15 (Tue 16) + 2.5 -> Wed 17 11:30.
    assert list(outcome["frt_due"]) == [
        pd.Timestamp("2027-02-12 09:30"),
        pd.Timestamp("2027-02-20 09:30"),
    ]
    # Fri 19 Feb: 30 min; make-up Saturday 20 Feb works the weekday window from 09:00.
    # 48 h: 0.5 + 15 (Sat 20) + 15 (Mon 22) + 15 (Tue 23) + 2.5 -> Wed 24 11:30.
    assert list(outcome["res_due"]) == [
        pd.Timestamp("2027-02-17 11:30"),
        pd.Timestamp("2027-02-24 11:30"),
    ]
    # Without the notice the same clock guesses plain weekdays, and says which months.
    guessed = sla.SlaPolicy(state.inputs.sla_targets)
    outcome, warnings = sla.ticket_sla(frame, guessed)
    assert list(outcome["frt_due"]) == [
        pd.Timestamp("2027-02-05 09:30"),
        pd.Timestamp("2027-02-22 09:30"),
    ]
    assert list(outcome["res_due"]) == [
        pd.Timestamp("2027-02-10 11:30"),
        pd.Timestamp("2027-02-25 11:30"),
    ]
    assert [(w.months, w.use) for w in warnings] == [(("2027-02",), "sla")]


def test_refresh_with_the_notice_meets_every_due_time_and_names_no_guess(tmp_path):
    path = plan(tmp_path, NOTICE_2027)
    outcome = refresh(PackageBook(path), now=datetime(2027, 3, 1, 9))
    assert not [w for w in outcome.warnings if "推测" in w or "chinese-calendar" in w]
    rows = sheet(path, "SLA")
    r = L.RESULT_FIRST_ROW
    assert (at(rows, r, L.T_MONTH), at(rows, r, L.T_TEAM)) == ("2027-02", TEAM)
    assert [at(rows, r, c) for c in (L.T_TICKETS, L.T_FRT_MET, L.T_RES_MET)] == [2, 2, 2]
    # 产品优化 sent Thu 4 Feb: working days 12, 15, 16 Feb; done 16 Feb 20:00 is within.
    assert (at(rows, r, L.D_DEPT), at(rows, r, L.D_COLLAB), at(rows, r, L.D_MET)) == (
        "产品部",
        1,
        1,
    )
    holidays = sheet(path, "Holidays")
    assert at(holidays, H.BANNER_ROW, 1) in ("", None)
    read = at(holidays, H.FIRST_ROW + 3, H.NOTICE_READ)
    assert read == "春节：放假 2027-02-05 至 2027-02-11（7 天）；上班 2027-01-31、2027-02-20"
    assert at(holidays, H.FIRST_ROW, H.NOTICE_READ) == "（说明文字，不含日期）"


def test_a_line_that_does_not_read_refuses_refresh_with_its_row(tmp_path):
    bad = NOTICE_2027.replace("共7天。1月31日", "共8天。1月31日")
    path = plan(tmp_path, bad)
    with pytest.raises(InputError, match=r"第 8 行：写明共 8 天，但日期是 7 天"):
        refresh(PackageBook(path), now=datetime(2027, 3, 1, 9))


# -- without it -------------------------------------------------------------------------------


def test_refresh_without_the_notice_names_the_guessed_months_and_results(tmp_path):
    path = plan(tmp_path)
    outcome = refresh(PackageBook(path), now=datetime(2027, 3, 1, 9))
    [warning] = [w for w in outcome.warnings if "推测" in w]
    assert warning.startswith("2027 年的法定节假日和调休未收录（chinese-calendar ")
    assert "这些月份的工作日按周一至周五推测：2027-02。" in warning
    assert "服务时限达成率 2027-02" in warning
    assert "协作部门时限 2027-02" in warning
    assert "按工作日折算的奖金 2027-02" in warning
    assert "“假日”表 I 列" in warning
    assert not [w for w in outcome.warnings if w.startswith("2027: chinese-calendar")]
    # On plain weekdays the first ticket was due on Fri 5 Feb (breached, both clocks) and the
    # second on Mon 22 Feb / Thu 25 Feb (met); the collaboration's third working day was Tue
    # 9 Feb (breached).
    rows = sheet(path, "SLA")
    r = L.RESULT_FIRST_ROW
    assert [at(rows, r, c) for c in (L.T_TICKETS, L.T_FRT_MET, L.T_RES_MET)] == [2, 1, 1]
    assert (at(rows, r, L.D_COLLAB), at(rows, r, L.D_MET)) == (1, 0)
    assert at(sheet(path, "Holidays"), H.BANNER_ROW, 1).startswith("⚠ chinese-calendar")


def test_the_english_plan_says_it_in_english(tmp_path):
    path = plan(tmp_path, lang="en")
    outcome = refresh(PackageBook(path), now=datetime(2027, 3, 1, 9))
    [warning] = [w for w in outcome.warnings if "guessed" in w]
    assert (
        "SLA attainment 2027-02; department SLA 2027-02; working-day bonus share 2027-02" in warning
    )


def test_refresh_takes_the_package_over_once_it_knows_the_year(tmp_path):
    # Stand-in for upgrading chinese-calendar: the same plan moved to a year it knows.
    path = plan(tmp_path)
    book = PackageBook(path)
    book.write("Settings", {(St.ROW_YEAR, St.VALUE_COL): 2026})
    book.commit()
    refresh(PackageBook(path), now=datetime(2027, 3, 1, 9))
    holidays = sheet(path, "Holidays")
    assert at(holidays, H.BANNER_ROW, 1) in ("", None)
    assert at(holidays, H.HEADER_ROW, H.OFFICIAL_COL) == "2026 官方日期"
    assert at(holidays, H.FIRST_ROW, H.OFFICIAL_COL) == date(2026, 1, 1)  # 元旦, a date cell
    assert at(holidays, H.FIRST_ROW, H.OFFICIAL_COL + 2) == "元旦"


def test_notes_on_the_notice_itself():
    from csxl.workbook.sheets.holidays import plan_warnings

    partial = PlanInputs(lang="zh", year=YEAR, holiday_notice=("春节：2月5日至11日放假。",))
    [note] = plan_warnings(partial, ["another warning"])[1:]
    assert note == (
        "“假日”表的 2027 年放假通知没有这些节日：元旦、清明节、劳动节、端午节、中秋节、国庆节。"
        "请粘贴完整的通知。"
    )
    # A year the package knows: the notice is not used, and a differing one is pointed out.
    wrong = PlanInputs(lang="zh", year=2026, holiday_notice=("春节：2月16日至23日放假。",))
    [note] = plan_warnings(wrong, [])
    assert "已收录 2026 年，以它为准" in note
    from tests.domain.test_notice import NOTICE_2026

    same = PlanInputs(lang="zh", year=2026, holiday_notice=tuple(NOTICE_2026.splitlines()))
    assert plan_warnings(same, []) == []
