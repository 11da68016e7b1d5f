"""QA (质检): the month's QA score per agent by hand, in the weighted score only with a
weight (0 by default), unusable rows on Errors, and the formulas against LibreOffice.

Tickets from test_appeals (no appeals here): 张三's and 李四's CSAT is below baseline (0
points), every other KPI of theirs earns 100, weights 30 + 15 + 20 + 15 + 5 = 85 (no
reopens column: the reopen rate is unavailable and drops out), so both score 5500 / 85 =
64.71 without QA.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from csxl.domain import qa
from csxl.domain.qa import Inspection
from csxl.refresh import refresh, validate
from csxl.workbook.layout import Errors as E
from csxl.workbook.layout import Qa as Q
from csxl.workbook.layout import Scores as S
from csxl.workbook.port import PackageBook
from csxl.workbook.sheets.qa import error_rows
from tests.plan_fixtures import at, pasted_plan, plan_inputs, sheet
from tests.workbook.parity import differences
from tests.workbook.test_appeals import tickets

ROWS = (
    Inspection(Q.FIRST_ROW, "张三", "Z1", 90, "开场白，未致歉"),  # 2 items
    Inspection(Q.FIRST_ROW + 1, "张三", "Z2", 80, 1),
    Inspection(Q.FIRST_ROW + 2, "李四", "L1", 95, None),
    Inspection(Q.FIRST_ROW + 3, None, "W1", 70, None),  # no agent: Errors
    Inspection(Q.FIRST_ROW + 4, "王五", "W2", 120, None),  # out of range: Errors
)
NOW = datetime(2026, 4, 5, 9)


def _plan(tmp_path, weight: float | None):
    from dataclasses import replace

    target = qa.DEFAULT_TARGET if weight is None else replace(qa.DEFAULT_TARGET, weight=weight)
    inputs = plan_inputs(qa_rows=ROWS, qa_target=target)
    path = pasted_plan(tmp_path / f"plan_{weight}.xlsx", tickets(), inputs)
    refresh(PackageBook(path), "2026-03", now=NOW)
    return path


def _scores(path):
    rows = sheet(path, "Scores")
    return {
        at(rows, r, S.AGENT): (
            at(rows, r, S.QA_VALUE),
            at(rows, r, S.QA_POINTS),
            at(rows, r, S.SCORE),
            at(rows, r, S.GRADE),
        )
        for r in range(S.FIRST_ROW, S.FIRST_ROW + 4)
    }


def test_rules():
    assert qa.items_failed("开场白，未致歉;态度") == 3
    assert qa.items_failed(2) == 2 and qa.items_failed(None) == 0 and qa.items_failed("3") == 3
    assert qa.score_of("95分") == 95 and qa.score_of(101) is None and qa.score_of("好") is None


def test_qa_scores_by_hand_weight_zero_by_default(tmp_path):
    path = _plan(tmp_path, None)
    s = _scores(path)
    assert s["张三"] == (85, 60, pytest.approx(64.71), "C")  # (90 + 80) / 2; weight 0
    assert s["李四"] == (95, 100, pytest.approx(64.71), "C")
    assert s["王五"][:2] == ("", "")  # its only row was refused: no QA score
    results = sheet(path, "QA")
    assert [results[Q.FIRST_ROW - 1 + i][Q.R_AGENT - 1 : Q.R_ITEMS] for i in range(2)] == [
        ["张三", 2, 85, 3],
        ["李四", 1, 95, 0],
    ]
    errors = sheet(path, "Errors")
    listed = [
        (at(errors, r, E.ROW), at(errors, r, E.COLUMN))
        for r in range(E.FIRST_ROW, len(errors) + 1)
        if at(errors, r, E.SHEET_NAME) == "质检"
    ]
    assert listed == [(Q.FIRST_ROW + 3, "客服"), (Q.FIRST_ROW + 4, "质检得分")]


def test_a_qa_weight_brings_the_qa_score_into_the_weighted_score(tmp_path, libreoffice):
    path = _plan(tmp_path, 10)
    s = _scores(path)
    assert s["张三"][2:] == (pytest.approx(64.21), "C")  # (5500 + 10 x 60) / 95
    assert s["李四"][2:] == (pytest.approx(68.42), "C")  # (5500 + 10 x 100) / 95
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []


# ------------------------------------------------------------------ dates, aliases, appeals
def _results(path) -> list[list[object]]:
    """The QA sheet's per-agent block: agent, inspections, mean, items failed."""
    rows = sheet(path, "QA")
    out = []
    for r in range(Q.FIRST_ROW, Q.FIRST_ROW + Q.R_ROWS):
        found = [at(rows, r, c) for c in (Q.R_AGENT, Q.R_COUNT, Q.R_MEAN, Q.R_ITEMS)]
        if found[0] == "":
            break
        out.append(found)
    return out


def _qa_errors(path) -> list[tuple[object, ...]]:
    errors = sheet(path, "Errors")
    return [
        tuple(at(errors, r, c) for c in (E.ROW, E.COLUMN, E.REASON, E.VALUE))
        for r in range(E.FIRST_ROW, len(errors) + 1)
        if at(errors, r, E.SHEET_NAME) == "质检"
    ]


def _inspect(n: int, agent, ticket, score, when=None) -> Inspection:
    return Inspection(Q.FIRST_ROW + n, agent, ticket, score, None, when)


def test_months_by_hand():
    rows = [
        _inspect(0, "a", "T1", 90, datetime(2026, 2, 27)),
        _inspect(1, "a", "T2", 90),  # its ticket's month
        _inspect(2, "a", "T9", 90),  # no such ticket: the refreshed month
        _inspect(3, "a", "T3", 90, "2026年4月1日"),
        _inspect(4, "a", "T4", 90, 46086),  # an Excel serial: 2026-03-05
        _inspect(5, "a", "T5", 90, "2026/2/30"),  # not a date
    ]
    months, problems = qa.months(rows, {"T2": "2026-01"}, "2026-03")
    assert list(months.values()) == ["2026-02", "2026-01", "2026-03", "2026-04", "2026-03"]
    assert problems == [(Q.FIRST_ROW + 5, "date", "bad_date", "2026/2/30")]
    (listed,) = error_rows("plan.xlsx", "en", problems)
    assert listed == (
        "plan.xlsx",
        "QA",
        Q.FIRST_ROW + 5,
        "QA date",
        "the QA date is not a date (e.g. 2026-03-05): not counted",
        "2026/2/30",
    )


def test_rows_count_in_the_month_of_their_date_else_their_ticket(tmp_path):
    """March: 张三's Z1 (dated 20 March, 90) and a row whose ticket is not in the data and
    has no date (taken as the refreshed month's, 80) -> 85; his F1 row (no date, a February
    ticket) and Z2 row (dated 2 April) are not March's. 李四: L2 dated 2026/3/5 (100); L1
    dated 27 February is not. 王五's row has a date that is not a date: Errors, not counted.
    Refreshed for February instead: 张三's F1 (40) and, again, the row with neither a date
    nor a known ticket (80): 60; 李四's L1 (60)."""
    rows = (
        _inspect(0, "张三", "Z1", 90, datetime(2026, 3, 20)),
        _inspect(1, "张三", "F1", 40),
        _inspect(2, "张三", "Z2", 70, datetime(2026, 4, 2)),
        _inspect(3, "张三", "NX9", 80),
        _inspect(4, "李四", "L1", 60, "2026年2月27日"),
        _inspect(5, "李四", "L2", 100, "2026/3/5"),
        _inspect(6, "王五", "W1", 88, "下周一"),
    )
    path = pasted_plan(tmp_path / "plan.xlsx", tickets(), plan_inputs(qa_rows=rows))
    bad_date = (Q.FIRST_ROW + 6, "质检日期", "质检日期无法识别（如 2026-03-05），未计入", "下周一")
    assert validate(PackageBook(path)).problems == 1  # validate checks the QA rows too
    assert _qa_errors(path) == [bad_date]
    refresh(PackageBook(path), "2026-03", now=NOW)
    assert _results(path) == [["张三", 2, 85, 0], ["李四", 1, 100, 0]]
    assert _scores(path)["张三"][0] == 85 and _scores(path)["王五"][0] == ""
    assert _qa_errors(path) == [bad_date]
    refresh(PackageBook(path), "2026-02", now=NOW)
    assert _results(path) == [["张三", 2, 60, 0], ["李四", 1, 60, 0]]
    # The dates are the manager's input: refresh never rewrites them.
    qa_sheet = sheet(path, "QA")
    assert at(qa_sheet, Q.FIRST_ROW + 4, Q.DATE) == "2026年2月27日"
    assert at(qa_sheet, Q.FIRST_ROW, Q.DATE) == date(2026, 3, 20)


def test_qa_names_go_through_the_alias_table(tmp_path):
    """小张 and the sub-account 旗舰店:张三 are 张三 (A01): his QA score is their mean; 李四 is
    not in the table and 阿明 names two agents: both keep their spelling, listed on Errors."""
    aliases = (("小张", "A01", "张三"), ("阿明", "A01", None), ("阿明", "A03", "王五"))
    rows = (
        _inspect(0, "小张", "Z1", 90),
        _inspect(1, "旗舰店:张三", "Z2", 80),
        _inspect(2, "李四", "L1", 70),
        _inspect(3, "李四", "L2", 50),
        _inspect(4, "阿明", "W1", 60),
    )
    inputs = plan_inputs(qa_rows=rows, aliases=aliases)
    path = pasted_plan(tmp_path / "plan.xlsx", tickets(), inputs)
    refresh(PackageBook(path), "2026-03", now=NOW)
    assert _results(path) == [["张三", 2, 85, 0], ["李四", 2, 60, 0], ["阿明", 1, 60, 0]]
    s = _scores(path)
    assert s["张三"][0] == 85 and s["李四"][0] == 60  # 李四's tickets keep his name too
    assert _qa_errors(path) == [
        (Q.FIRST_ROW + 2, "客服", "别名表中没有这个名字（2 条质检，按原名计算）", "李四"),
        (Q.FIRST_ROW + 4, "客服", "这个写法对应多位客服：A01、A03（按原名计算）", "阿明"),
    ]


def test_a_ticket_excluded_by_an_appeal_leaves_the_agents_qa_score(tmp_path):
    """test_appeals' Appeals: Z3 (March) and F1 (February) are excluded from 张三's figures,
    approved; the exclusion of Z4 is refused (no approver). 张三's March QA rows: Z3 50, Z1
    90, F1 30 (dated in March: it counts in March, but its ticket is excluded) and Z4 60:
    (90 + 60) / 2 = 75. Without the appeals: (50 + 90 + 30 + 60) / 4 = 57.5."""
    from tests.workbook.test_appeals import APPEALS

    rows = (
        _inspect(0, "张三", "Z3", 50),
        _inspect(1, "张三", "Z1", 90),
        _inspect(2, "张三", "F1", 30, datetime(2026, 3, 3)),
        _inspect(3, "张三", "Z4", 60),
    )
    path = pasted_plan(
        tmp_path / "plan.xlsx", tickets(), plan_inputs(qa_rows=rows, appeals=APPEALS)
    )
    refresh(PackageBook(path), "2026-03", now=NOW)
    assert _results(path) == [["张三", 2, 75, 0]]
    assert _scores(path)["张三"][0] == 75
    plain = pasted_plan(tmp_path / "plain.xlsx", tickets(), plan_inputs(qa_rows=rows))
    refresh(PackageBook(plain), "2026-03", now=NOW)
    assert _results(plain) == [["张三", 4, 57.5, 0]]
