"""Customer KPIs on small tables worked out by hand (../shared/spec/kpis.md, "Customer KPIs").

Expected values are the arithmetic of the definitions, with the rows that count named in a
comment; they are not taken from the engine's output.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csxl.domain import customers as c
from csxl.domain.customers import CustomerSettings
from csxl.kpi_report import Period, kpi_document
from tests.helpers import group, write_xlsx

AS_OF = date(2026, 3, 31)


def orders(*rows: tuple[str, datetime | str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.Series([r[0] for r in rows], dtype="string"),
            "ordered_at": pd.to_datetime(
                pd.Series([r[1] for r in rows], dtype="object"), format="mixed"
            ),
            "amount": pd.Series([float(r[2]) for r in rows], dtype="float64"),
        }
    )


def days(first: date, n: int) -> list[datetime]:
    return [datetime.combine(first + timedelta(days=i), datetime.min.time()) for i in range(n)]


# --- windows --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "months", "first"),
    [
        (date(2026, 3, 31), 6, date(2025, 10, 1)),
        (date(2026, 3, 31), 12, date(2025, 4, 1)),
        (date(2026, 3, 15), 6, date(2025, 9, 16)),
        (date(2026, 8, 31), 6, date(2026, 3, 1)),  # EDATE(2026-08-31, -6) = 2026-02-28
        (date(2026, 8, 30), 6, date(2026, 3, 1)),  # the same clipped edge
        (date(2024, 2, 29), 12, date(2023, 3, 1)),  # EDATE(2024-02-29, -12) = 2023-02-28
    ],
)
def test_window_is_after_edate_up_to_and_including_the_as_of_day(as_of, months, first):
    assert c.window(as_of, months) == (first, as_of)


@pytest.mark.parametrize(
    ("start", "end", "as_of", "this", "previous"),
    [
        # --month 2026-03: March against February
        (date(2026, 3, 1), date(2026, 3, 31), None,
         (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
        # a quarter of whole months against the quarter before
        (date(2026, 1, 1), date(2026, 3, 31), None,
         (date(2026, 1, 1), date(2026, 3, 31)), (date(2025, 10, 1), date(2025, 12, 31))),
        # 10 days against the 10 days before
        (date(2026, 3, 10), date(2026, 3, 19), None,
         (date(2026, 3, 10), date(2026, 3, 19)), (date(2026, 2, 28), date(2026, 3, 9))),
        # no period: the as-of month against the month before
        (None, None, date(2026, 3, 15),
         (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
    ],
)  # fmt: skip
def test_comparison_periods(start, end, as_of, this, previous):
    assert c.comparison(start, end, as_of) == (this, previous)


# --- high-value customers -------------------------------------------------------------------


def test_exactly_12_orders_in_the_6_months_is_high_value_and_11_is_not():
    first = date(2025, 10, 1)  # the first day of (2025-09-30, 2026-03-31]
    rows = [("A", t, 10) for t in days(first, 12)]  # 12 orders, the first on the edge day
    rows += [("B", t, 10) for t in days(first, 11)]  # 11
    # C: 12 orders, but one on 2025-09-30 23:59:59, the excluded edge: 11 in the window
    rows += [("C", datetime(2025, 9, 30, 23, 59, 59), 10)]
    rows += [("C", t, 10) for t in days(first, 11)]
    # D: 12 orders, the last at 23:59:59 on the as-of day (in), and one after it (out)
    rows += [("D", t, 10) for t in days(first, 11)]
    rows += [("D", datetime(2026, 3, 31, 23, 59, 59), 10), ("D", datetime(2026, 4, 1), 10)]
    hv = c.high_value(orders(*rows), AS_OF, CustomerSettings())
    assert list(hv) == ["A", "D"]


def test_exactly_50000_in_the_12_months_is_high_value():
    rows = [
        ("E", datetime(2025, 4, 1, 0, 0, 0), 20_000),  # the first day of the window
        ("E", datetime(2026, 3, 31, 18, 0, 0), 30_000),  # 50,000 exactly
        ("F", datetime(2025, 6, 1), 49_999.99),
        ("G", datetime(2025, 3, 31, 23, 59, 59), 20_000),  # the day before the window
        ("G", datetime(2026, 1, 1), 30_000),  # 30,000 in the window
        ("H", datetime(2026, 4, 1), 60_000),  # after the as-of date
    ]
    hv = c.high_value(orders(*rows), AS_OF, CustomerSettings())
    assert list(hv) == ["E"]


def test_amounts_are_summed_in_fen_so_50000_is_exact():
    # as floats, 49,999.70 + 0.10 + 0.20 is 49,999.99999999999
    rows = [("E", datetime(2026, 3, 1), a) for a in (49_999.70, 0.10, 0.20)]
    assert list(c.high_value(orders(*rows), AS_OF, CustomerSettings())) == ["E"]
    rows = [("F", datetime(2026, 3, 1), a) for a in (49_999.70, 0.10, 0.19)]
    assert list(c.high_value(orders(*rows), AS_OF, CustomerSettings())) == []


def test_thresholds_and_windows_are_settings():
    rows = [("A", t, 10) for t in days(date(2026, 3, 1), 3)] + [("B", datetime(2026, 3, 1), 900)]
    mine = CustomerSettings(hv_min_orders=3, hv_orders_months=1, hv_min_amount=900)
    assert list(c.high_value(orders(*rows), AS_OF, mine)) == ["A", "B"]
    # 1 month before 2026-03-31: (2026-02-28, 2026-03-31]; the orders of 2026-02-28 are out
    rows = [("A", t, 10) for t in days(date(2026, 2, 28), 3)]
    assert list(c.high_value(orders(*rows), AS_OF, mine)) == []


# --- retention and repurchase ---------------------------------------------------------------

FEB = (date(2026, 2, 1), date(2026, 2, 28))
MAR = (date(2026, 3, 1), date(2026, 3, 31))


def _two_months() -> pd.DataFrame:
    return orders(
        ("A", "2026-02-03 10:00", 1), ("B", "2026-02-10 10:00", 1),
        ("C", "2026-02-28 23:59:59", 1), ("D", "2026-02-14 10:00", 1),
        ("A", "2026-03-01 00:00:00", 1), ("A", "2026-03-20 10:00", 1),
        ("C", "2026-03-31 23:59:59", 1),
        ("E", "2026-03-05 10:00", 1), ("E", "2026-03-06 10:00", 1), ("E", "2026-03-07 10:00", 1),
        ("B", "2026-04-01 00:00:00", 1),  # April: neither period
    )  # fmt: skip


def test_retention_is_last_periods_customers_who_ordered_again():
    # February: A, B, C, D; of them A and C ordered in March (B only in April)
    assert c.retention_rate(_two_months(), MAR, FEB) == 2 / 4


def test_repurchase_is_customers_with_two_or_more_orders():
    # March: A 2 orders, C 1, E 3 -> A and E of three customers
    assert c.repurchase_rate(_two_months(), MAR) == 2 / 3


def test_by_month_series():
    rows = c.by_month(_two_months(), date(2026, 4, 30))
    assert rows == [
        # February: A, B, C, D; nobody ordered in January; nobody twice
        {"month": "2026-02", "customers": 4, "retained": 0, "retention_rate": None,
         "repurchase_rate": 0.0},
        # March: A (2), C, E (3); A and C of February's four came back
        {"month": "2026-03", "customers": 3, "retained": 2, "retention_rate": 2 / 4,
         "repurchase_rate": 2 / 3},
        # April: B only, who did not order in March
        {"month": "2026-04", "customers": 1, "retained": 0, "retention_rate": 0.0,
         "repurchase_rate": 0.0},
    ]  # fmt: skip
    assert [r["month"] for r in c.by_month(_two_months(), date(2026, 4, 1), 2)] == [
        "2026-03",
        "2026-04",
    ]
    assert c.by_month(_two_months(), date(2026, 4, 1), 2)[0]["retention_rate"] == 2 / 4


def test_no_customers_last_period_means_no_retention_not_zero():
    assert c.retention_rate(_two_months(), FEB, (date(2026, 1, 1), date(2026, 1, 31))) is None
    assert c.repurchase_rate(_two_months(), (date(2026, 1, 1), date(2026, 1, 31))) is None


# --- survey timeliness -----------------------------------------------------------------------


def test_survey_timeliness_exactly_30_minutes_is_on_time():
    t = pd.DataFrame(
        {
            "resolved_at": pd.to_datetime(
                ["2026-03-02 10:00:00"] * 4 + [None, "2026-03-02 10:00:00"]
            ),
            "survey_sent_at": pd.to_datetime(
                [
                    "2026-03-02 10:30:00",  # exactly 30 min: on time
                    "2026-03-02 10:30:01",  # 30 min 1 s: late
                    "2026-03-02 09:59:59",  # before resolution: not on time
                    "2026-03-02 10:00:00",  # at resolution: on time
                    "2026-03-02 10:05:00",  # no resolution time: not on time
                    None,  # no survey sent: not counted
                ]
            ),
        }
    )
    f = c.survey_facts(t, CustomerSettings())
    assert f["sent_at"].sum() == 5
    assert f["timely"].sum() == 2  # rows 1 and 4


# --- through kpi_document: hv_* per group, as-of, unavailable -------------------------------

T0 = datetime(2026, 3, 2, 10, 0, 0)


def _tickets(tmp_path, rows, name="t.xlsx"):
    return write_xlsx(rows, tmp_path / name)


def _orders_file(tmp_path, rows, name="o.xlsx"):
    data = [{"买家会员名": who, "付款时间": at, "实付金额": amount} for who, at, amount in rows]
    return write_xlsx(data, tmp_path / name)


def tk(n, customer, team="一组", frt=None, csat=None, **more):
    row = {"ticket_id": f"T{n}", "created_at": T0 + timedelta(hours=n), "team": team}
    row["客户ID"] = customer
    if frt is not None:
        row["first_response_at"] = T0 + timedelta(hours=n, seconds=frt)
    if csat is not None:
        row["csat"] = csat
    return row | more


def _hv_orders():
    # VIP: 12 orders in March 2026 (high value by count); BIG: one order of 50,000
    rows = [("VIP", t, 10) for t in days(date(2026, 3, 1), 12)]
    rows += [("BIG", datetime(2025, 12, 1), 50_000), ("LOW", datetime(2026, 3, 1), 10)]
    rows += [("LOW", datetime(2026, 2, 1), 10), ("VIP", datetime(2026, 2, 1), 10)]
    return rows


def _doc(tmp_path, tickets, order_rows, by=("all", "team"), **kwargs):
    doc, _, _ = kpi_document(
        _tickets(tmp_path, tickets),
        by=by,
        orders=_orders_file(tmp_path, order_rows) if order_rows is not None else None,
        **kwargs,
    )
    return doc


def test_hv_ticket_kpis_per_team(tmp_path):
    tickets = [
        tk(1, "VIP", frt=10, csat=5),
        tk(2, "VIP", frt=30, csat=3),
        tk(3, "BIG", team="二组", frt=50, csat=4),
        tk(4, "LOW", frt=1, csat=1),  # not high value
        tk(5, None, frt=2, csat=5),  # no customer
        tk(6, "VIP", team="二组", frt=None, csat=None),  # unanswered, no response
    ]
    doc = _doc(tmp_path, tickets, _hv_orders())
    k = group(doc)
    assert k["high_value_customers"] == 2  # VIP, BIG
    assert k["hv_tickets"] == 4  # T1, T2, T3, T6
    assert k["hv_csat"] == 2 / 3  # answered T1 5, T2 3, T3 4: two of three score 4-5
    assert k["hv_frt_median"] == 30  # responded T1 10, T2 30, T3 50
    one, two = group(doc, "team", "一组"), group(doc, "team", "二组")
    assert (one["hv_tickets"], one["hv_csat"], one["hv_frt_median"]) == (2, 1 / 2, 20)
    assert (two["hv_tickets"], two["hv_csat"], two["hv_frt_median"]) == (2, 1.0, 50)
    # figures of the customer base are for the whole set only
    for key in ("high_value_customers", "retention_rate", "repurchase_rate"):
        assert one[key] is None and key not in doc["unavailable"]
    # as-of: the last order (2026-03-12) or ticket date (2026-03-02): 2026-03-12
    assert doc["orders"]["as_of"] == "2026-03-12"
    # March vs February: February's LOW and VIP both ordered in March
    assert k["retention_rate"] == 1.0
    # March: VIP 12 orders, LOW 1 -> one of two
    assert k["repurchase_rate"] == 1 / 2


def test_a_team_without_hv_tickets_has_zero_tickets_and_null_ratios(tmp_path):
    doc = _doc(tmp_path, [tk(1, "VIP", csat=5), tk(2, "LOW", team="二组", csat=5)], _hv_orders())
    two = group(doc, "team", "二组")
    assert two["hv_tickets"] == 0 and two["hv_csat"] is None and two["hv_frt_median"] is None


def test_as_of_is_the_last_date_up_to_the_periods_end_or_given(tmp_path):
    tickets = [tk(1, "VIP")]
    order_rows = [*_hv_orders(), ("LATE", datetime(2026, 4, 20), 1)]
    doc = _doc(tmp_path, tickets, order_rows, period=Period.parse("2026-03", None, None))
    assert doc["orders"]["as_of"] == "2026-03-12"  # April's order is after the period
    assert doc["orders"]["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert doc["orders"]["previous"] == {"from": "2026-02-01", "to": "2026-02-28"}
    doc = _doc(tmp_path, tickets, order_rows)
    assert doc["orders"]["as_of"] == "2026-04-20"
    # as of 2026-03-10 VIP has 11 orders in the window (2026-02-01, 03-01 .. 03-10): only
    # BIG is high value
    mine = CustomerSettings(as_of=date(2026, 3, 10))
    doc = _doc(tmp_path, tickets, order_rows, customer_settings=mine)
    assert doc["orders"]["as_of"] == "2026-03-10"
    assert group(doc)["high_value_customers"] == 1 and group(doc)["hv_tickets"] == 0


def test_without_orders_the_customer_kpis_are_null_and_unavailable(tmp_path):
    doc = _doc(tmp_path, [tk(1, "VIP")], None)
    for key in c.ORDER_KEYS:
        assert group(doc)[key] is None and "orders" in doc["unavailable"][key]
    assert "orders" not in doc


def test_tickets_without_customer_ids_make_hv_kpis_unavailable_only(tmp_path):
    rows = [{"ticket_id": "T1", "created_at": T0, "csat": 5}]
    doc = _doc(tmp_path, rows, _hv_orders())
    for key in c.HV_TICKET_KEYS:
        assert group(doc)[key] is None and "customer id" in doc["unavailable"][key]
    assert group(doc)["high_value_customers"] == 2
    assert "high_value_customers" not in doc["unavailable"]


def test_survey_timeliness_from_tickets_alone_per_group(tmp_path):
    rows = [
        tk(1, "A", resolved_at=T0 + timedelta(hours=1), 评价推送时间=T0 + timedelta(hours=1.5)),
        tk(2, "A", resolved_at=T0 + timedelta(hours=2), 评价推送时间=T0 + timedelta(hours=3)),
        tk(3, "A", team="二组", resolved_at=T0 + timedelta(hours=3)),  # no survey sent
    ]
    doc = _doc(tmp_path, rows, None)
    assert group(doc)["survey_timeliness"] == 1 / 2  # T1 at exactly 30 min; T2 an hour late
    assert group(doc, "team", "一组")["survey_timeliness"] == 1 / 2
    assert group(doc, "team", "二组")["survey_timeliness"] is None  # no survey sent
    assert "survey_timeliness" not in doc["unavailable"]
    doc = _doc(tmp_path, [tk(1, "A", resolved_at=T0 + timedelta(hours=1))], None)
    assert doc["unavailable"]["survey_timeliness"] == "no survey-sent time column"


# --- properties ---------------------------------------------------------------------------

CUSTOMERS = st.sampled_from(["A", "B", "C", "D", "E", "F"])
IN_RANGE = st.datetimes(datetime(2026, 1, 1), datetime(2026, 4, 30, 23, 59, 59))
ORDER = st.tuples(CUSTOMERS, IN_RANGE, st.integers(0, 100))
PERIODS = st.sampled_from(
    [
        (MAR, FEB),
        ((date(2026, 3, 10), date(2026, 3, 19)), (date(2026, 2, 28), date(2026, 3, 9))),
        ((date(2026, 2, 1), date(2026, 3, 31)), (date(2025, 12, 1), date(2026, 1, 31))),
    ]
)
FAST = settings(max_examples=60, deadline=None)
# A document costs a fraction of a second: few examples by default, more on request (as in
# test_properties): CSXL_PROPERTY_EXAMPLES=200.
DOCS = settings(
    max_examples=int(os.environ.get("CSXL_PROPERTY_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(st.lists(ORDER, max_size=40), PERIODS)
def test_retention_and_repurchase_are_fractions(rows, periods):
    this, previous = periods
    o = orders(*rows) if rows else orders(("Z", "2020-01-01", 1))
    for value in (c.retention_rate(o, this, previous), c.repurchase_rate(o, this)):
        assert value is None or 0 <= value <= 1


@FAST
@given(
    st.lists(ORDER, max_size=40),
    PERIODS,
    st.lists(
        st.tuples(
            st.sampled_from(["X", "Y"]),
            st.datetimes(datetime(2024, 1, 1), datetime(2025, 11, 30)),
            st.integers(0, 100),
        ),
        min_size=1,
        max_size=10,
    ),
)
def test_retention_ignores_customers_outside_both_periods(rows, periods, outside):
    this, previous = periods
    base = orders(*rows) if rows else orders(("Z", "2020-01-01", 1))
    more = pd.concat([base, orders(*outside)], ignore_index=True)
    assert c.retention_rate(more, this, previous) == c.retention_rate(base, this, previous)
    assert c.repurchase_rate(more, this) == c.repurchase_rate(base, this)


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


@st.composite
def ticket_rows(draw) -> list[dict]:
    rows = []
    for i in range(draw(st.integers(1, 20))):
        created = datetime(2026, 3, draw(st.integers(1, 4)), 10) + timedelta(
            seconds=draw(st.integers(0, 3600))
        )
        row = {
            "工单号": f"T{i}",
            "创建时间": _stamp(created),
            "团队": draw(st.sampled_from(["一组", "二组", None])),
            "客户ID": draw(st.sampled_from(["A", "B", "C", None])),
            "满意度": draw(st.sampled_from([None, "1", "4", "5"])),
        }
        if (frt := draw(st.none() | st.integers(0, 90))) is not None:
            row["首次响应时间"] = _stamp(created + timedelta(seconds=frt))
        if (rt := draw(st.none() | st.integers(0, 900))) is not None:
            resolved = created + timedelta(seconds=rt)
            row["解决时间"] = _stamp(resolved)
            if (lag := draw(st.none() | st.integers(-60, 3600))) is not None:
                row["评价推送时间"] = _stamp(resolved + timedelta(seconds=lag))
        rows.append(row)
    return rows


def _raw(rows: list[dict], headers: list[str], schema):
    from csxl.domain.synonyms import Synonyms
    from csxl.readers.table import RawTable

    match = Synonyms(schema).match(headers)
    frame = pd.DataFrame(
        {col: pd.Series([r.get(headers[pos]) for r in rows], dtype="str")
         for col, pos in match.columns.items()}
    )  # fmt: skip
    frame.index = frame.index + 2
    return RawTable("g.csv", None, 1, match, frame)


@DOCS
@given(ticket_rows(), st.lists(ORDER, min_size=1, max_size=30))
def test_hv_tickets_of_the_groups_add_up_and_ratios_are_fractions(rows, order_rows):
    from csxl.domain.columns import ORDERS, TICKETS
    from csxl.domain.orders import load_orders
    from csxl.domain.tickets import load_tickets

    headers = [
        "工单号",
        "创建时间",
        "团队",
        "客户ID",
        "满意度",
        "首次响应时间",
        "解决时间",
        "评价推送时间",
    ]
    tickets = load_tickets(_raw(rows, headers, TICKETS))
    order_dicts = [
        {"客户ID": w, "付款时间": _stamp(t), "实付金额": str(a)} for w, t, a in order_rows
    ]
    orders_set = load_orders(_raw(order_dicts, ["客户ID", "付款时间", "实付金额"], ORDERS))
    mine = CustomerSettings(hv_min_orders=3, hv_min_amount=150)
    doc, _, _ = kpi_document(
        "g.csv", by=("all", "team", "day"), tickets=tickets, orders=orders_set,
        customer_settings=mine,
    )  # fmt: skip
    total = group(doc)
    assert 0 <= total["hv_tickets"] <= total["tickets"]
    for by in ("team", "day"):
        parts = [g["kpis"] for g in doc["groups"] if g["by"] == by]
        assert sum(k["hv_tickets"] for k in parts) == total["hv_tickets"]
    for g in doc["groups"]:
        for key in ("hv_csat", "retention_rate", "repurchase_rate", "survey_timeliness"):
            value = g["kpis"][key]
            assert value is None or 0 <= value <= 1, (g["by"], g["key"], key)
