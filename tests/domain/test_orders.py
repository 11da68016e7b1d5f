"""Order rows: rejects with reasons, duplicates keep the last, non-purchases are excluded."""

from __future__ import annotations

import pandas as pd
import pytest

from csxl.domain.columns import ORDERS
from csxl.domain.orders import load_orders, not_a_purchase
from csxl.domain.synonyms import Synonyms
from csxl.readers.table import RawTable

HEADERS = {
    "order_id": "订单编号",
    "customer_id": "买家会员名",
    "ordered_at": "付款时间",
    "amount": "实付金额",
    "status": "订单状态",
}


def orders(rows: list[dict]):
    """An OrderSet from rows keyed by canonical column, as a CSV reader hands them over."""
    columns = [c for c in HEADERS if any(c in r for r in rows)]
    match = Synonyms(ORDERS).match([HEADERS[c] for c in columns])
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype="str") for c in columns})
    frame.index = frame.index + 2
    return load_orders(RawTable("o.csv", None, 1, match, frame))


def od(n, customer="张三", at="2026-03-01 10:00:00", amount="100", **more) -> dict:
    row = {"order_id": f"O{n}", "customer_id": customer, "ordered_at": at, "amount": amount}
    return row | more


def test_rows_add_up_and_each_reject_has_a_reason():
    o = orders(
        [
            od(1),
            od(2, customer=None),
            od(3, at=None),
            od(4, at="2026-02-30 10:00:00"),
            od(5, amount=None),
            od(6, amount="十元"),
            od(7, amount="-1"),
            od(8, amount="0"),  # a gift is an order
            od(9, status="交易关闭"),
        ]
    )
    assert o.rows() == {"read": 9, "valid": 2, "rejected": 6, "duplicates": 0, "excluded": 1}
    reasons = [(p.row, p.column, p.reason("en")) for p in o.problems]
    assert reasons == [
        (3, "买家会员名", "customer is empty"),
        (4, "付款时间", "order time is empty"),
        (5, "付款时间", "not a valid date and time"),
        (6, "实付金额", "amount is empty"),
        (7, "实付金额", "amount is not a number"),
        (8, "实付金额", "negative amount"),
    ]
    assert o.problems[0].reason("zh") == "客户为空"
    assert sorted(o.frame["order_id"]) == ["O1", "O8"]


def test_amounts_with_currency_marks_commas_and_full_width_digits():
    o = orders([od(1, amount="¥1,234.50"), od(2, amount="２００元"), od(3, amount="￥ 7")])
    assert o.frame["amount"].tolist() == [1234.5, 200.0, 7.0]


def test_an_exact_duplicate_order_id_keeps_the_last_row():
    o = orders([od(1, amount="100"), od(2), od(1, amount="120")])
    assert o.rows()["duplicates"] == 1
    assert o.frame.loc[o.frame["order_id"] == "O1", "amount"].tolist() == [120.0]
    assert list(o.frame.index) == [3, 4]


def test_a_rejected_last_copy_leaves_the_earlier_valid_copy():
    o = orders([od(1, amount="100"), od(1, amount="abc")])
    assert o.rows() == {"read": 2, "valid": 1, "rejected": 1, "duplicates": 0, "excluded": 0}
    assert o.frame["amount"].tolist() == [100.0]


def test_blank_order_ids_are_separate_orders():
    o = orders([od(1) | {"order_id": None}, od(2) | {"order_id": None}])
    assert o.valid == 2 and o.duplicates == 0


def test_an_order_refunded_later_is_excluded_by_its_last_state():
    o = orders([od(1, status="交易成功"), od(1, status="退款成功")])
    assert o.rows() == {"read": 2, "valid": 0, "rejected": 0, "duplicates": 1, "excluded": 1}
    assert o.excluded_status == {"退款成功": 1}


def test_an_unpaid_order_is_excluded_not_rejected_for_its_blank_payment_time():
    o = orders([od(1, at=None, status="等待买家付款"), od(2)])
    assert o.rows() == {"read": 2, "valid": 1, "rejected": 0, "duplicates": 0, "excluded": 1}
    assert o.problems == []


@pytest.mark.parametrize(
    ("status", "excluded"),
    [
        ("交易成功", False),
        ("交易关闭", True),
        ("已取消", True),
        ("未发货，退款成功", True),
        ("已退款", True),
        ("退款", True),
        ("等待买家付款", True),
        ("待付款", True),
        ("部分退款", False),
        ("退款中", False),
        ("卖家已发货，等待买家确认", False),
        ("买家已付款，等待卖家发货", False),
        ("paid", False),
        ("Refunded", True),
        ("partially_refunded", False),
        ("voided", True),
        ("Cancelled", True),
        (None, False),
    ],
)
def test_which_statuses_are_not_purchases(status, excluded):
    assert not_a_purchase(pd.Series([status], dtype="string"))[0] == excluded
