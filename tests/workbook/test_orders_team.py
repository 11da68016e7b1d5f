"""Orders (订单) and Team (团队): the paste area read by refresh, the customer KPIs on the
Dashboard with the domain's numbers, the Team sheet's formulas and flags, and the
manager's inputs left as typed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from csxl.domain.columns import ORDERS
from csxl.refresh import refresh
from csxl.workbook.data_sheet import paste
from csxl.workbook.layout import Errors as E
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import at, clean_tickets, pasted_plan, plan_inputs, sheet


def _orders_frame() -> pd.DataFrame:
    """Taobao-style headers; row 3 has a negative amount, row 4 no buyer."""
    return pd.DataFrame(
        {
            "买家会员名": ["a", "b", ""],
            "订单付款时间": [datetime(2026, 3, 1, 10), datetime(2026, 3, 2), datetime(2026, 3, 3)],
            "买家实际支付金额": [10.0, -5.0, 3.0],
        }
    )


def test_order_rejects_are_listed_on_errors_with_the_sheet(tmp_path):
    path = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(50), plan_inputs())
    book = PackageBook(path)
    paste(book, _orders_frame(), ORDERS)
    book.commit()
    outcome = refresh(PackageBook(path), "2026-03")
    assert outcome.problems == 2
    rows = sheet(path, "Errors")
    found = [
        tuple(at(rows, r, c) for c in (E.SHEET_NAME, E.ROW, E.COLUMN, E.REASON))
        for r in range(E.FIRST_ROW, len(rows) + 1)
    ]
    assert ("订单", 3.0, "订单金额", "金额为负数") in found
    assert ("订单", 4.0, "客户ID", "客户为空") in found
    # The pasted orders are never rewritten.
    orders = sheet(path, "Orders")
    assert orders[0][:3] == ["客户ID", "下单时间", "订单金额"]
    assert [r[0] for r in orders[1:4]] == ["a", "b", ""]


def test_validate_lists_order_rejects_too(tmp_path):
    from csxl.refresh import validate

    path = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(50), plan_inputs())
    book = PackageBook(path)
    paste(book, _orders_frame(), ORDERS)
    book.commit()
    assert validate(PackageBook(path)).problems == 2
    rows = sheet(path, "Errors")
    assert {at(rows, r, E.SHEET_NAME) for r in range(E.FIRST_ROW, len(rows) + 1)} == {"订单"}


# ------------------------------------------------------------------ customer KPIs
def _plan_with_orders(tmp_path, customer_plan=None):
    from csxl.demo_orders import generate_orders

    frame = clean_tickets(400)
    orders = generate_orders(frame["客户ID"].dropna(), month="2026-03")
    orders = orders.drop(columns=["订单创建时间"])  # the payment time is the order time
    extra = {} if customer_plan is None else {"customer_plan": customer_plan}
    path = pasted_plan(tmp_path / "plan.xlsx", frame, plan_inputs(**extra))
    book = PackageBook(path)
    paste(book, orders, ORDERS)
    book.commit()
    refresh(PackageBook(path), "2026-03")
    return path


def _block(path) -> dict[str, list[object]]:
    from csxl.workbook.layout import Customers as C

    rows = sheet(path, "Dashboard")
    return {key: rows[C.row(key) - 1][: C.NOTE] for key in C.KEYS}


@pytest.mark.parametrize("hv_min_orders", [None, 5])
def test_the_dashboard_shows_the_domains_customer_kpis(tmp_path, hv_min_orders):
    from csxl.domain.customers import CustomerSettings
    from csxl.kpi_report import Period, kpi_document
    from csxl.workbook.book import CustomerPlan
    from csxl.workbook.layout import Customers as C

    plan = None if hv_min_orders is None else CustomerPlan(hv_min_orders=hv_min_orders)
    path = _plan_with_orders(tmp_path, plan)
    settings = CustomerSettings() if plan is None else plan.settings()
    doc, _, _ = kpi_document(
        path, ("all",), Period.parse("2026-03", None, None), orders=path, customer_settings=settings
    )
    k = doc["groups"][0]["kpis"]
    b = _block(path)
    ALL, HV = C.ALL - 1, C.HV - 1
    assert b["high_value_customers"][ALL] == k["high_value_customers"] > 0
    assert b["tickets"][ALL] == k["tickets"] and b["tickets"][HV] == k["hv_tickets"] > 0
    assert b["csat"][ALL] == k["csat"] and b["csat"][HV] == k["hv_csat"]
    assert b["frt_median"][ALL] == k["frt_median"] and b["frt_median"][HV] == k["hv_frt_median"]
    assert b["frt_median"][C.GAP - 1] == k["hv_frt_median"] - k["frt_median"]
    assert b["retention_rate"][ALL] == k["retention_rate"]
    assert b["retention_rate"][C.TARGET - 1] == 0.7
    flag = "达标" if k["retention_rate"] >= 0.7 else "未达标"
    assert b["retention_rate"][C.FLAG - 1] == flag
    previous = doc["orders"]["previous_repurchase_rate"]
    assert b["repurchase_rate"][ALL] == k["repurchase_rate"]
    assert b["repurchase_rate"][C.PREVIOUS - 1] == previous
    assert b["repurchase_rate"][C.TARGET - 1] == previous + 0.05
    assert b["survey_response_rate"][ALL] == k["survey_response_rate"]
    assert b["survey_response_rate"][C.PREVIOUS - 1 : C.TARGET] == [0.28, 0.35]
    if hv_min_orders == 5:  # a lower threshold on Settings: more high-value customers
        default, _, _ = kpi_document(
            path, ("all",), Period.parse("2026-03", None, None), orders=path
        )
        assert k["high_value_customers"] > default["groups"][0]["kpis"]["high_value_customers"]


def test_without_orders_the_customer_kpis_are_unavailable_not_zero(tmp_path):
    from csxl.workbook.layout import Customers as C

    path = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(50), plan_inputs())
    refresh(PackageBook(path), "2026-03")
    b = _block(path)
    for key in ("high_value_customers", "retention_rate", "repurchase_rate"):
        assert b[key][C.ALL - 1] == "不可用", key
        assert b[key][C.FLAG - 1] == ""
    assert b["tickets"][C.ALL - 1] == 50 and b["tickets"][C.HV - 1] == "不可用"
    assert "订单" in sheet(path, "Dashboard")[C.row("retention_rate") - 1][C.NOTE - 1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_customer_block_agrees_with_libreoffice(libreoffice, tmp_path, lang):
    from csxl.workbook.book import CustomerPlan, PlanInputs
    from csxl.workbook.builder import build
    from tests.workbook.parity import differences

    inputs = PlanInputs(
        lang=lang,
        year=2026,
        customer_plan=CustomerPlan(retention_target=0.5, repurchase_points=0.05),
        customers={
            "high_value_customers": 12,
            "tickets": 100,
            "hv_tickets": 10,
            "csat": 0.9,
            "hv_csat": 0.95,
            "frt_median": 30.0,
            "retention_rate": 0.5,  # exactly the target: met
            "repurchase_rate": 0.3,
            "previous_repurchase_rate": 0.25,  # target 0.3: met, inclusive
            "survey_response_rate": 0.3,
            "survey_timeliness": 0.95,
        },
        customer_notes={"hv_frt_median": "no first-response times"},
    )
    path = tmp_path / f"plan_{lang}.xlsx"
    path.write_bytes(build(inputs))
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []


# ------------------------------------------------------------------ Team
def _team_plan(tmp_path):
    from datetime import date

    from csxl.domain.people import Member, TeamInputs

    frame = clean_tickets(200)
    agents = sorted(frame["客服"].dropna().unique())
    assert len(agents) == 6
    members = (
        *(
            Member(
                a,
                "A班",
                "初级",
                date(2025, 12, 1) if i == 0 else date(2024, 1, 1),  # the first is a new hire
                (10.0, 10.0, None, None),
                (8.0, None, None, None),
                10.0,
                7.0,
            )
            for i, a in enumerate(agents)
        ),
        Member("新人甲", None, "初级", date(2026, 3, 1)),
    )
    # January and February grades in Trend; the third agent has a red line in February.
    history = [("A", "S"), ("A", "B"), ("A", "A"), ("B", "B"), ("S", "S"), ("A", "A")]
    trend = []
    for a, (jan, feb) in zip(agents, history, strict=True):
        trend += [
            ("2026-01", "客服", a, "加权得分", 90.0, jan, None),
            ("2026-02", "客服", a, "加权得分", 90.0, feb, None),
        ]
    trend.append(("2026-02", "客服", agents[2], "经核实的升级投诉", "是", None, None))
    team = TeamInputs(members, kb=((0.9, 0.19), (0.85, 0.2), (None, None), (None, None)))
    path = pasted_plan(tmp_path / "plan.xlsx", frame, plan_inputs(team_inputs=team, trend=trend))
    return path, agents


def test_team_promotion_training_and_rising_star(tmp_path):
    from csxl.workbook.layout import Scores as S
    from csxl.workbook.layout import Team as T

    path, agents = _team_plan(tmp_path)
    before = sheet(path, "Team")
    refresh(PackageBook(path), "2026-03")
    rows = sheet(path, "Team")
    scores = {r[S.AGENT - 1]: r for r in sheet(path, "Scores")[S.FIRST_ROW - 1 :] if r[0]}
    march = {a: scores[a][S.GRADE - 1] for a in agents}
    assert at(rows, T.ROW_EVALUATED, T.VALUE_COL) == "2026-03"
    good = {"S", "A"}
    jan_feb = [("A", "S"), ("A", "B"), ("A", "A"), ("B", "B"), ("S", "S"), ("A", "A")]
    for i, a in enumerate(agents):
        r = T.FIRST_ROW + i
        n = sum(g in good for g in (*jan_feb[i], march[a]))
        assert at(rows, r, T.GOOD_MONTHS) == n, a
        ready = n >= 2 and i != 2  # the third agent's red line blocks
        assert at(rows, r, T.READY) == ("是" if ready else "否"), a
        # (10 + 10) planned, 8 done; 7 of 10 trainings attended.
        assert at(rows, r, T.COMPLETION) == 0.4 and at(rows, r, T.ATTENDANCE) == 0.7
        assert at(rows, r, T.NEW_HIRE) == ("是" if i == 0 else "否")
    newcomer = T.FIRST_ROW + 6  # on Team, no tickets: no grade, not ready
    assert (at(rows, newcomer, T.GOOD_MONTHS), at(rows, newcomer, T.READY)) == (0, "否")
    assert at(rows, newcomer, T.COMPLETION) == ""
    # 新锐标兵: the only scored agent hired after EDATE(2026-03-31, -6).
    assert "新锐标兵" in scores[agents[0]][S.AWARD - 1]
    assert not any("新锐标兵" in scores[a][S.AWARD - 1] for a in agents[1:])
    # Knowledge base: 90% meets 90%, 19% misses 20%, 85% misses, 20% meets.
    kb = [
        (
            at(rows, T.KB_FIRST_ROW + q, T.KB_COVERAGE_FLAG),
            at(rows, T.KB_FIRST_ROW + q, T.KB_UPDATED_FLAG),
        )
        for q in range(3)
    ]
    assert kb == [("达标", "未达标"), ("未达标", "达标"), ("", "")]
    # The manager's cells are as typed.
    manager = [
        *range(T.AGENT, T.ATTENDED + 1),
    ]
    for r in range(T.FIRST_ROW, T.FIRST_ROW + 8):
        for c in manager:
            assert at(rows, r, c) == at(before, r, c), (r, c)
    for r in range(T.ROW_MONTHS, T.ROW_RED_LINE + 1):
        assert at(rows, r, T.VALUE_COL) == at(before, r, T.VALUE_COL)
    for r in range(T.KB_TARGET_ROW, T.KB_FIRST_ROW + 4):
        for c in (T.KB_COVERAGE, T.KB_UPDATED):
            assert at(rows, r, c) == at(before, r, c)


def test_a_red_line_need_not_block(tmp_path):
    from csxl.workbook.layout import Team as T
    from csxl.workbook.port import PackageBook as Book

    path, _ = _team_plan(tmp_path)
    book = Book(path)
    book.write("Team", {(T.ROW_RED_LINE, T.VALUE_COL): "否"})
    book.commit()
    refresh(PackageBook(path), "2026-03")
    rows = sheet(path, "Team")
    assert at(rows, T.FIRST_ROW + 2, T.READY) == "是"  # two A months, the red line allowed
    assert at(rows, T.ROW_RED_LINE, T.VALUE_COL) == "否"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_team_formulas_agree_with_libreoffice(libreoffice, tmp_path, lang):
    from datetime import date

    from csxl.domain.people import Member, TeamInputs
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import build
    from tests.workbook.parity import differences

    members = (
        Member("a", None, None, date(2025, 11, 1), (10, 10, 10, 10), (10, 10, 10, 12), 12, 12),
        Member(
            "b", None, None, date(2025, 10, 31), (0, None, None, None), (5, None, None, None), 0, 0
        ),
        Member(
            "c", None, None, date(2025, 11, 30), (8, None, None, None), (-2, None, None, None), 4, 9
        ),
        Member("d", None, None, None, (None,) * 4, (None,) * 4, None, None),
    )
    inputs = PlanInputs(
        lang=lang,
        year=2026,
        as_of=date(2026, 4, 30),  # EDATE(-6) = 2025-10-31: b (on it) is not new, a is
        team_inputs=TeamInputs(members, kb=((0.9, 0.2), (0.899, 0.25), (None, 0.1), (1.0, None))),
    )
    path = tmp_path / f"plan_{lang}.xlsx"
    path.write_bytes(build(inputs))
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []


def test_refreshed_customer_and_team_cells_agree_with_libreoffice(libreoffice, tmp_path):
    """After refresh (cells patched into the file), LibreOffice computes every formula of
    the plan, the customer block and Team's included, to the value csxl cached."""
    from tests.workbook.parity import differences

    path, _ = _team_plan(tmp_path)
    from csxl.demo_orders import generate_orders

    frame = clean_tickets(200)
    orders = generate_orders(frame["客户ID"].dropna(), month="2026-03")
    book = PackageBook(path)
    paste(book, orders.drop(columns=["订单创建时间"]), ORDERS)
    book.commit()
    refresh(PackageBook(path), "2026-03")
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []
