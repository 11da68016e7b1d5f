"""Properties of the KPI document over generated small ticket tables (hypothesis).

Tables are built as a `RawTable` the way the CSV reader hands them over (text cells, empty
cells missing), then validated and computed like any file.
"""

from __future__ import annotations

import math
import os
from datetime import datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csxl.domain.synonyms import Synonyms
from csxl.domain.tickets import load_tickets
from csxl.kpi_report import kpi_document
from csxl.readers.table import RawTable
from tests.helpers import ZH_HEADERS

COLUMNS = list(ZH_HEADERS)
MATCH = Synonyms().match([ZH_HEADERS[c] for c in COLUMNS])
GROUPINGS = ("team", "group", "agent", "channel", "day")
RATIOS = (
    "csat", "survey_response_rate", "frt_sla", "resolution_rate", "rt_sla", "fcr",
    "reopen_rate", "bad_review_reviewed", "dept_sla",
)  # fmt: skip
COUNTS = ("tickets", "complaints", "escalated", "bad_reviews")
# One document costs about 0.3 s (23 columns, six groupings), so the default run is small
# and the tables are made larger instead; CSXL_PROPERTY_EXAMPLES=200 for a thorough run.
EXAMPLES = int(os.environ.get("CSXL_PROPERTY_EXAMPLES", "5"))
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


@st.composite
def ticket(draw) -> dict:
    created = datetime(2026, 3, draw(st.integers(1, 4)), draw(st.integers(8, 12))) + timedelta(
        seconds=draw(st.integers(0, 3599))
    )
    row = {
        "created_at": stamp(created),
        "team": draw(st.sampled_from(["售前一组", "售后一组", "B组", None])),
        "group": draw(st.sampled_from(["甲班", "乙班", None])),
        "agent": draw(st.sampled_from(["张三", "李四", "Al", None])),
        "channel": draw(st.sampled_from(["在线", "电话", "千牛"])),
        "status": draw(st.sampled_from([None, "Solved", "处理中", "已完结"])),
        "fcr": draw(st.sampled_from([None, "是", "否"])),
        "contacts": draw(st.sampled_from([None, "1", "2"])),
        "reopens": draw(st.sampled_from([None, "0", "1"])),
        "complaint": draw(st.sampled_from([None, "是", "否"])),
        "escalated": draw(st.sampled_from([None, "是", "否"])),
        "reviewed": draw(st.sampled_from([None, "是", "否"])),
        "bad_review_reason": draw(st.sampled_from([None, "响应慢", "解答不专业", "其他"])),
        "tags": draw(st.sampled_from([None, "退款", "物流查询", "退款,发票", "发票；物流查询"])),
    }
    if (frt := draw(st.none() | st.integers(0, 120))) is not None:
        row["first_response_at"] = stamp(created + timedelta(seconds=frt))
    if (rt := draw(st.none() | st.integers(0, 900))) is not None:
        row["resolved_at"] = stamp(created + timedelta(seconds=rt))
    if (handle := draw(st.none() | st.integers(0, 600))) is not None:
        row["handle_s"] = str(handle)
    sent = draw(st.booleans())
    row["survey_sent"] = "是" if sent else "否"
    if sent:  # an answer only where a survey went out
        row["csat"] = draw(st.sampled_from([None, "1", "2", "3", "4", "5", "满意"]))
    if kind := draw(st.sampled_from([None, "常规", "技术排查", "产品优化"])):
        sent_at = created + timedelta(minutes=draw(st.integers(0, 60)))
        row["dept_type"] = kind
        row["dept_sent_at"] = stamp(sent_at)
        if (took := draw(st.none() | st.integers(0, 6 * 24 * 3600))) is not None:
            row["dept_done_at"] = stamp(sent_at + timedelta(seconds=took))
    return row


@st.composite
def table(draw) -> list[dict]:
    rows = draw(st.lists(ticket(), min_size=1, max_size=25))
    return [{"ticket_id": f"T{i:03d}", **r} for i, r in enumerate(rows)]


def raw(rows: list[dict]) -> RawTable:
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype="str") for c in COLUMNS})
    frame.index = frame.index + 2  # rows as the user sees them, header in row 1
    return RawTable("generated.csv", None, 1, MATCH, frame)


def doc_of(rows: list[dict]) -> dict:
    doc, _, _ = kpi_document(
        "generated.csv", by=("all", *GROUPINGS), tickets=load_tickets(raw(rows))
    )
    return doc


def same(a, b) -> bool:
    """Equal, floats to 1e-9 (sums in another order may differ in the last bits)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@FAST
@given(table())
def test_group_counts_add_up_to_the_total(rows):
    doc = doc_of(rows)
    assert doc["rows"] == {"read": len(rows), "valid": len(rows), "rejected": 0, "duplicates": 0}
    total = doc["groups"][0]["kpis"]
    assert total["tickets"] == len(rows)
    for by in GROUPINGS:
        groups = [g["kpis"] for g in doc["groups"] if g["by"] == by]
        for key in COUNTS:
            assert sum(k[key] for k in groups) == total[key], (by, key)


@FAST
@given(table())
def test_every_ratio_is_a_fraction(rows):
    doc = doc_of(rows)
    for g in doc["groups"]:
        k = g["kpis"]
        for key in RATIOS:
            assert k[key] is None or 0 <= k[key] <= 1, (g["by"], g["key"], key, k[key])
        if k["bad_review_reasons"] is not None:
            shares = k["bad_review_reasons"].values()
            assert all(0 <= s <= 1 for s in shares)
            assert sum(shares) <= 1 + 1e-9


@FAST
@given(table(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert same(doc_of(shuffled), doc_of(rows))


def reject(row: dict, how: str) -> dict:
    created = datetime.strptime(row["created_at"], "%Y-%m-%d %H:%M:%S")
    bad = dict(row)
    if how == "csat 9":
        bad["survey_sent"], bad["csat"] = "是", "9"
    elif how == "response before creation":
        bad["first_response_at"] = stamp(created - timedelta(seconds=5))
    elif how == "resolved before creation":
        bad["resolved_at"] = stamp(created - timedelta(seconds=1))
    elif how == "impossible date":
        bad["created_at"] = "2026-02-30 10:00:00"
    elif how == "no ticket id":
        bad["ticket_id"] = None
    elif how == "negative duration":
        bad["handle_s"] = "-3"
    elif how == "text count":
        bad["contacts"] = "两次"
    return bad


@FAST
@given(
    table(),
    ticket(),
    st.sampled_from(
        [
            "csat 9",
            "response before creation",
            "resolved before creation",
            "impossible date",
            "no ticket id",
            "negative duration",
            "text count",
        ]
    ),
    st.data(),
)
def test_a_rejected_row_changes_no_kpi(rows, extra, how, data):
    # the rejected row may carry a new ticket id or repeat one of the valid rows
    ids = [r["ticket_id"] for r in rows] + ["NEW"]
    extra = reject({"ticket_id": data.draw(st.sampled_from(ids)), **extra}, how)
    at = data.draw(st.integers(0, len(rows)))
    before, after = doc_of(rows), doc_of([*rows[:at], extra, *rows[at:]])
    assert after["rows"] == {**before["rows"], "read": before["rows"]["read"] + 1, "rejected": 1}
    for key in ("groups", "top_tags", "tag_alerts", "unavailable", "period"):
        assert same(after[key], before[key]), key
