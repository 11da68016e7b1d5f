"""Orders (订单) and Team (团队): the paste area read by refresh, the customer KPIs on the
Dashboard with the domain's numbers, the Team sheet's formulas and flags, and the
manager's inputs left as typed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

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
