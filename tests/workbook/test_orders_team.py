"""Orders (订单) and Team (团队): the paste area read by refresh, the customer KPIs on the
Dashboard with the domain's numbers, the Team sheet's formulas and flags, and the
manager's inputs left as typed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

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
    paste(book, _orders_frame(), "Orders")
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


# ------------------------------------------------------------------ customer KPIs
def _plan_with_orders(tmp_path, customer_plan=None):
    from csxl.demo_orders import generate_orders

    frame = clean_tickets(400)
    orders = generate_orders(frame["客户ID"].dropna(), month="2026-03")
    orders = orders.drop(columns=["订单创建时间"])  # the payment time is the order time
    extra = {} if customer_plan is None else {"customer_plan": customer_plan}
    path = pasted_plan(tmp_path / "plan.xlsx", frame, plan_inputs(**extra))
    book = PackageBook(path)
    paste(book, orders, "Orders")
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
    from csxl.workbook.book import CustomerPlan, PlanInputs, build
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
