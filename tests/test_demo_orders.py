"""Demo orders through `csxl kpi --orders`, against a plain reference written in the test."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from csxl.demo_data import generate_tickets, write_xlsx
from csxl.demo_orders import HEADERS, dirt_counts, generate_orders
from csxl.kpi_report import Period, kpi_document


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo_orders")
    tickets = generate_tickets(3000, seed=5)
    clean = generate_orders(tickets["客户ID"].dropna().unique(), seed=5)
    dirty = generate_orders(tickets["客户ID"].dropna().unique(), seed=5, dirty=True)
    write_xlsx(tickets, folder / "t.xlsx")
    write_xlsx(clean, folder / "clean.xlsx")
    write_xlsx(dirty, folder / "dirty.xlsx")
    docs = [
        kpi_document(
            folder / "t.xlsx",
            ("all", "team"),
            Period.parse("2026-03", None, None),
            orders=folder / name,
        )[0]
        for name in ("clean.xlsx", "dirty.xlsx")
    ]
    return tickets, clean, *docs


def test_order_rows_add_up_to_the_dirt_put_in(demo):
    _, clean, _, doc = demo
    dirt = dirt_counts(len(clean))
    excluded = clean[HEADERS[5]].isin(["交易关闭", "等待买家付款"]).sum()
    assert doc["orders"]["rows"] == {
        "read": len(clean) + dirt["duplicates"],
        "valid": len(clean) - excluded - 6,
        "rejected": dirt["blank_buyer"] + dirt["negative"] + dirt["bad_time"],
        "duplicates": dirt["duplicates"],
        "excluded": int(excluded),
    }


def _reference(clean: pd.DataFrame, tickets: pd.DataFrame) -> dict:
    """The spec's definitions with Python dates, rows by rows, as of 2026-03-31."""
    ok = clean[clean[HEADERS[5]].isin(["交易成功", "卖家已发货，等待买家确认"])]
    day = {i: ts.date() for i, ts in ok[HEADERS[3]].items()}
    who, amount = ok[HEADERS[1]], ok[HEADERS[4]]
    six = [i for i in ok.index if date(2025, 9, 30) < day[i] <= date(2026, 3, 31)]
    twelve = [i for i in ok.index if date(2025, 3, 31) < day[i] <= date(2026, 3, 31)]
    count = who[six].value_counts()
    spent = (amount[twelve] * 100).round().groupby(who[twelve]).sum()
    hv = set(count[count >= 12].index) | set(spent[spent >= 5_000_000].index)
    feb = {who[i] for i in ok.index if date(2026, 2, 1) <= day[i] <= date(2026, 2, 28)}
    march = [who[i] for i in ok.index if date(2026, 3, 1) <= day[i] <= date(2026, 3, 31)]
    per = pd.Series(march).value_counts()
    in_march = tickets[
        (tickets["创建时间"] >= datetime(2026, 3, 1)) & (tickets["创建时间"] < datetime(2026, 4, 1))
    ]
    return {
        "high_value_customers": len(hv),
        "hv_tickets": int(in_march["客户ID"].isin(hv).sum()),
        "retention_rate": len(feb & set(march)) / len(feb),
        "repurchase_rate": (per >= 2).sum() / len(per),
        "by_count": len(set(count[count >= 12].index)),
        "by_amount": len(set(spent[spent >= 5_000_000].index)),
    }


def test_customer_kpis_match_the_reference(demo):
    tickets, clean, doc, _ = demo
    ref = _reference(clean, tickets)
    assert ref["by_count"] > 0 and ref["by_amount"] > 0  # both rules are exercised
    k = doc["groups"][0]["kpis"]
    assert doc["orders"]["as_of"] == "2026-03-31"
    for key in ("high_value_customers", "hv_tickets", "retention_rate", "repurchase_rate"):
        assert k[key] == pytest.approx(ref[key], abs=1e-12), key
    teams = [g["kpis"]["hv_tickets"] for g in doc["groups"] if g["by"] == "team"]
    assert sum(teams) == k["hv_tickets"] > 0
