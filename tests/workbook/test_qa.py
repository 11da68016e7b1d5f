"""QA (质检): the month's QA score per agent by hand, in the weighted score only with a
weight (0 by default), unusable rows on Errors, and the formulas against LibreOffice.

Tickets from test_appeals (no appeals here): 张三's and 李四's CSAT is below baseline (0
points), every other KPI of theirs earns 100, weights 30 + 15 + 20 + 15 + 5 + 5 = 90, so
both score 6000 / 90 = 66.67 without QA.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from csxl.domain import qa
from csxl.domain.qa import Inspection
from csxl.refresh import refresh
from csxl.workbook.layout import Errors as E
from csxl.workbook.layout import Qa as Q
from csxl.workbook.layout import Scores as S
from csxl.workbook.port import PackageBook
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
    assert s["张三"] == (85, 60, pytest.approx(66.67), "C")  # (90 + 80) / 2; weight 0
    assert s["李四"] == (95, 100, pytest.approx(66.67), "C")
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
    assert s["张三"][2:] == (66.0, "C")  # (6000 + 10 x 60) / 100
    assert s["李四"][2:] == (70.0, "B")  # (6000 + 10 x 100) / 100
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []
