"""Reading order exports: e-commerce header names, the Orders sheet, clear refusals."""

import openpyxl
import pytest

from csxl.domain.columns import ORDERS
from csxl.domain.synonyms import Synonyms
from csxl.errors import InputError, language
from csxl.kpi_report import load_orders
from csxl.readers.read import read_table


def _xlsx(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _columns(headers: list[str]) -> dict[str, str]:
    """canonical column -> the header it was read from."""
    match = Synonyms(ORDERS).match(headers)
    return {column: headers[pos] for column, pos in match.columns.items()}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (  # Taobao/Tmall 订单报表: the paid time and what the buyer paid win
            ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "总金额",
             "买家实际支付金额", "订单状态", "订单创建时间", "订单付款时间", "宝贝标题"],
            {"order_id": "订单编号", "customer_id": "买家会员名", "amount": "买家实际支付金额",
             "ordered_at": "订单付款时间", "status": "订单状态"},
        ),
        (  # JD
            ["订单号", "商品名称", "下单帐号", "下单时间", "订单金额", "应付金额", "订单状态"],
            {"order_id": "订单号", "customer_id": "下单帐号", "ordered_at": "下单时间",
             "amount": "应付金额", "status": "订单状态"},
        ),
        (  # Pinduoduo, full-width brackets as some exports write them
            ["订单号", "商品总价（元）", "用户实付金额（元）", "商家实收金额（元）", "订单状态",
             "订单成交时间", "买家昵称"],
            {"order_id": "订单号", "amount": "用户实付金额（元）", "status": "订单状态",
             "ordered_at": "订单成交时间", "customer_id": "买家昵称"},
        ),
        (  # Youzan
            ["订单号", "订单状态", "下单时间", "买家付款时间", "订单实付金额", "买家昵称"],
            {"order_id": "订单号", "status": "订单状态", "ordered_at": "买家付款时间",
             "amount": "订单实付金额", "customer_id": "买家昵称"},
        ),
        (  # Shopify orders_export.csv
            ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Subtotal",
             "Total", "Created at", "Id"],
            {"order_id": "Id", "customer_id": "Email", "status": "Financial Status",
             "ordered_at": "Paid at", "amount": "Total"},
        ),
        (  # plain zh and en names
            ["客户ID", "付款时间", "实付金额"],
            {"customer_id": "客户ID", "ordered_at": "付款时间", "amount": "实付金额"},
        ),
        (
            ["customer id", "ORDER DATE", "Amount", "order id"],
            {"customer_id": "customer id", "ordered_at": "ORDER DATE", "amount": "Amount",
             "order_id": "order id"},
        ),
        (
            ["买家昵称", "下单时间", "实收款"],
            {"customer_id": "买家昵称", "ordered_at": "下单时间", "amount": "实收款"},
        ),
    ],
)  # fmt: skip
def test_e_commerce_headers_map_to_order_columns(headers, expected):
    assert _columns(headers) == expected


def test_the_creation_time_loses_to_the_payment_time_and_is_reported():
    match = Synonyms(ORDERS).match(["买家会员名", "订单创建时间", "订单付款时间", "实付金额"])
    assert match.ambiguous == [("订单创建时间", "订单付款时间", "ordered_at")]


def test_order_synonyms_do_not_leak_into_tickets():
    assert Synonyms().lookup("买家实际支付金额") is None
    assert Synonyms(ORDERS).lookup("工单号") is None


def test_orders_below_title_rows_with_user_row_numbers(tmp_path):
    path = _xlsx(
        tmp_path / "o.xlsx",
        {
            "订单报表": [
                ["淘宝订单导出 2026-03"],
                [],
                ["订单编号", "买家会员名", "订单付款时间", "买家实际支付金额"],
                ["1001", "tb_张三", "2026-03-01 10:00:00", "128.50"],
            ]
        },
    )
    table = read_table(path, Synonyms(ORDERS))
    assert table.header_row == 3
    assert table.frame.loc[4, "customer_id"] == "tb_张三"


def test_a_plan_workbooks_orders_sheet_is_read_not_its_data_sheet(tmp_path):
    path = _xlsx(
        tmp_path / "plan.xlsx",
        {
            "数据": [["工单号", "创建时间", "客户ID"], ["T1", "2026-03-01 09:00:00", "张三"]],
            "订单": [["客户ID", "下单时间", "订单金额"], ["张三", "2026-03-01 10:00:00", 99]],
        },
    )
    orders = load_orders(path)
    assert orders.sheet == "订单"
    assert orders.frame["amount"].tolist() == [99.0]


def test_an_orders_file_without_amount_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("客户ID,下单时间\n张三,2026-03-01\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_orders(path)
    assert "没有“订单金额”列" in str(err.value)
    with language("en"), pytest.raises(InputError) as err:
        load_orders(path)
    with language("en"):
        assert "no Amount column" in str(err.value)


def test_a_file_without_an_order_header_says_which_columns_are_needed(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_orders(path)
    assert "至少含有客户ID、下单时间、订单金额的表头行" in str(err.value)
    with language("en"), pytest.raises(InputError) as err:
        load_orders(path)
    with language("en"):
        assert "at least customer id, order time and amount" in str(err.value)


def test_one_mapping_file_serves_tickets_and_orders(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("表头,字段\n会员,customer_id\n单号,ticket_id\n", encoding="utf-8")
    path = tmp_path / "o.csv"
    path.write_text("会员,付款时间,实付金额\n张三,2026-03-01 10:00,10\n", encoding="utf-8")
    orders = load_orders(path, mapping)
    assert orders.frame["customer_id"].tolist() == ["张三"]
    assert orders.headers["customer_id"] == "会员"


@pytest.mark.parametrize(
    "header", ["客户ID", "买家昵称", "买家会员名", "买家账号", "访客ID", "Requester"]
)
def test_tickets_name_their_customer_as_order_exports_do(header):
    assert Synonyms().lookup(header).column == "customer_id"
