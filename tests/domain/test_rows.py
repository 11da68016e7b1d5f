"""The row rules of ../shared/spec/kpis.md ("Rows") and value normalisation, by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from csxl.kpi_report import kpi_document
from tests.helpers import document, group, write_csv, write_xlsx

D = datetime(2026, 3, 2, 10, 0, 0)


def at(seconds: float) -> datetime:
    return D + timedelta(seconds=seconds)


GOOD = {
    "ticket_id": "G1",
    "created_at": D,
    "first_response_at": at(10),
    "resolved_at": at(100),
    "csat": 5,
    "contacts": 1,
    "handle_s": 100,
    "dept_type": "常规",
    "dept_sent_at": at(20),
    "dept_done_at": at(60),
}
# The row under test: valid as it stands; each case breaks one thing. If it counted, csat
# would fall to 1/2 and the means would move.
BASE = {
    **GOOD,
    "ticket_id": "B1",
    "first_response_at": at(50),
    "resolved_at": at(500),
    "csat": 1,
    "handle_s": 300,
    "dept_done_at": at(20 + 5 * 3600),
}

BAD_ROWS = {
    "empty ticket id": {"ticket_id": None},
    "blank ticket id": {"ticket_id": "  "},
    "created_at missing": {"created_at": None},
    "created_at 2026-02-30": {"created_at": "2026-02-30"},
    "created_at 2026-02-30 with time": {"created_at": "2026-02-30 10:00:00"},
    "created_at 未知": {"created_at": "未知"},
    "first response unparseable": {"first_response_at": "2026-13-01 10:00:00"},
    "resolved unparseable": {"resolved_at": "昨天"},
    "dept done unparseable": {"dept_done_at": "2026-03-32 10:00:00"},
    "csat 7": {"csat": 7},
    "csat 0": {"csat": 0},
    "first response before creation": {"first_response_at": at(-1)},
    "resolution before creation": {"resolved_at": at(-1)},
    "dept done before sent": {"dept_done_at": at(19)},
    "negative duration": {"handle_s": -5},
    "text in a numeric column": {"contacts": "两次"},
    "text in a duration column": {"handle_s": "abc"},
}


@pytest.mark.parametrize("change", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_rejected_row_is_counted_and_changes_no_kpi(tmp_path, change):
    doc, tickets = document([GOOD, {**BASE, **change}], tmp_path)
    assert doc["rows"] == {"read": 2, "valid": 1, "rejected": 1, "duplicates": 0}
    k = group(doc)
    alone = group(document([GOOD], tmp_path, name="alone.xlsx")[0])
    assert k == alone
    assert k["tickets"] == 1
    assert k["csat"] == pytest.approx(1 / 1)  # G1 only
    assert k["frt_mean"] == pytest.approx(10)
    assert k["aht"] == pytest.approx(100)
    assert k["dept_sla"] == pytest.approx(1 / 1)
    assert len(tickets.problems) >= 1
    assert {p.row for p in tickets.problems} == {3}  # header row 1, G1 row 2, the bad row 3


def test_the_same_row_valid_counts(tmp_path):
    # the control for the cases above: BASE as it stands is valid and moves the KPIs
    doc, _ = document([GOOD, BASE], tmp_path)
    assert doc["rows"] == {"read": 2, "valid": 2, "rejected": 0, "duplicates": 0}
    k = group(doc)
    assert k["csat"] == pytest.approx(1 / 2)
    assert k["frt_mean"] == pytest.approx((10 + 50) / 2)
    assert k["aht"] == pytest.approx((100 + 300) / 2)
    assert k["dept_sla"] == pytest.approx(1 / 2)  # B1 took 5 h of 4


def test_problem_rows_as_the_user_sees_them_below_title_rows(tmp_path):
    rows = [GOOD, {**BASE, "csat": 7}, {**GOOD, "ticket_id": "G2"}]
    doc, tickets = document(rows, tmp_path, title_rows=2)
    # title rows 1-2, header row 3, data rows 4, 5, 6
    assert [(p.row, p.column) for p in tickets.problems] == [(5, "满意度")]
    assert doc["rows"] == {"read": 3, "valid": 2, "rejected": 1, "duplicates": 0}


def test_blank_rows_are_not_read(tmp_path):
    rows = [GOOD, {}, {"ticket_id": "  ", "team": None}, {**GOOD, "ticket_id": "G2"}]
    doc, _ = document(rows, tmp_path)
    assert doc["rows"] == {"read": 2, "valid": 2, "rejected": 0, "duplicates": 0}


def test_read_is_valid_plus_rejected_plus_duplicates(tmp_path):
    rows = [
        GOOD,
        {**GOOD, "ticket_id": "G2"},
        {**GOOD, "ticket_id": "G2", "csat": 4},
        {**GOOD, "ticket_id": "G3"},
        {**GOOD, "ticket_id": "G3"},
        {**GOOD, "ticket_id": "G3"},
        {**BASE, "csat": 0},
        {**BASE, "created_at": "未知"},
    ]
    doc, _ = document(rows, tmp_path)
    r = doc["rows"]
    assert r == {"read": 8, "valid": 3, "rejected": 2, "duplicates": 3}
    assert r["read"] == r["valid"] + r["rejected"] + r["duplicates"]


def test_duplicates_keep_the_last_row(tmp_path):
    rows = [
        {"ticket_id": "A", "created_at": D, "csat": 1, "complaint": "是", "team": "旧组"},
        {"ticket_id": "B", "created_at": D, "csat": 5, "complaint": "否", "team": "新组"},
        {"ticket_id": "A", "created_at": at(60), "csat": 5, "complaint": "否", "team": "新组"},
    ]
    doc, _ = document(rows, tmp_path, by=("all", "team"))
    assert doc["rows"] == {"read": 3, "valid": 2, "rejected": 0, "duplicates": 1}
    k = group(doc)
    assert k["tickets"] == 2
    assert k["csat"] == pytest.approx(2 / 2)  # the earlier copy's 1 does not count
    assert k["bad_reviews"] == 0
    assert k["complaints"] == 0
    assert [g["key"] for g in doc["groups"] if g["by"] == "team"] == ["新组"]


@pytest.mark.parametrize("bad_first", [False, True])
def test_a_rejected_duplicate_does_not_hide_the_valid_row(tmp_path, bad_first):
    valid = {"ticket_id": "A", "created_at": D, "csat": 5}
    rejected = {"ticket_id": "A", "created_at": D, "csat": 7}
    rows = [rejected, valid] if bad_first else [valid, rejected]
    doc, _ = document(rows, tmp_path)
    assert doc["rows"] == {"read": 2, "valid": 1, "rejected": 1, "duplicates": 0}
    assert group(doc)["tickets"] == 1
    assert group(doc)["csat"] == pytest.approx(1 / 1)


def test_cli_json_and_exit_code_1_when_rows_were_rejected(tmp_path):
    clean = write_xlsx([GOOD], tmp_path / "clean.xlsx")
    dirty = write_xlsx([GOOD, {**BASE, "csat": 7}], tmp_path / "dirty.xlsx")

    def run(path):
        cmd = [sys.executable, "-m", "csxl", "kpi", str(path), "--by", "all,team", "--json"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60)

    ok, warned = run(clean), run(dirty)
    assert ok.returncode == 0, ok.stderr
    assert warned.returncode == 1, warned.stderr
    doc = json.loads(warned.stdout)
    assert doc["source"] == "dirty.xlsx"
    assert doc["rows"] == {"read": 2, "valid": 1, "rejected": 1, "duplicates": 0}
    assert doc["groups"][0]["by"] == "all" and doc["groups"][0]["kpis"]["tickets"] == 1


# --- value normalisation --------------------------------------------------------------------

RESPONSE = datetime(2026, 3, 1, 9, 5, 20)  # a real Excel date, 20 s after 09:05:00


@pytest.mark.parametrize(
    "created",
    [
        datetime(2026, 3, 1, 9, 5, 0),
        (date(2026, 3, 1) - date(1899, 12, 30)).days + (9 * 3600 + 5 * 60) / 86400,  # serial
        46082.37847222222,  # the same serial as Excel stores it
        "2026/3/1 9:05",
        "2026/03/01 09:05:00",
        "2026年3月1日 09:05",
        "2026年3月1日 09:05:00",
        "2026-03-01T09:05:00",
        "2026-03-01 09:05:00",
        "２０２６-０３-０１　０９:０５:００",  # full-width digits and space
        " 2026-03-01 09:05:00 ",
    ],
)
def test_timestamp_forms(tmp_path, created):
    rows = [{"ticket_id": "A", "created_at": created, "first_response_at": RESPONSE}]
    doc, _ = document(rows, tmp_path, by=("all", "day"))
    assert doc["rows"]["valid"] == 1, doc["rows"]
    k = group(doc)
    assert k["frt_mean"] == pytest.approx(20)  # 09:05:20 - 09:05:00, whole seconds
    assert k["frt_mean"] == 20
    assert [g["key"] for g in doc["groups"] if g["by"] == "day"] == ["2026-03-01"]


def test_serial_dates_are_rounded_to_whole_seconds(tmp_path):
    base = (date(2026, 3, 1) - date(1899, 12, 30)).days
    rows = [
        {
            "ticket_id": "A",
            "created_at": base + (9 * 3600) / 86400 + 0.4 / 86400,  # 09:00:00.4
            "first_response_at": base + (9 * 3600 + 30) / 86400 - 0.3 / 86400,  # 09:00:29.7
        }
    ]
    k = group(document(rows, tmp_path)[0])
    assert k["frt_mean"] == 30  # 09:00:30 - 09:00:00
    assert k["frt_sla"] == 1


@pytest.mark.parametrize("value", [" 120 ", "１２０", "120", 120, 120.0, "120.0"])
def test_text_numbers(tmp_path, value):
    rows = [
        {"ticket_id": "A", "created_at": D, "handle_s": value},
        {"ticket_id": "B", "created_at": D, "handle_s": 60},
    ]
    doc, _ = document(rows, tmp_path)
    assert doc["rows"]["rejected"] == 0
    assert group(doc)["aht"] == pytest.approx((120 + 60) / 2)


def test_text_counts_feed_the_fcr_fallback(tmp_path):
    rows = [
        {"ticket_id": t, "created_at": D, "resolved_at": at(9), "contacts": c, "reopens": "0"}
        for t, c in (("A", " 1 "), ("B", "２"))
    ]
    assert group(document(rows, tmp_path)[0])["fcr"] == pytest.approx(1 / 2)  # A


def test_boolean_forms_in_any_case(tmp_path):
    true = ["是", "Y", "y", "1", "TRUE", "true", "True", 1, True]
    false = ["否", "N", "n", "0", "FALSE", "false", "False", 0, False]
    rows = [
        {"ticket_id": f"T{i}", "created_at": D, "complaint": v}
        for i, v in enumerate([*true, *false])
    ]
    doc, _ = document(rows, tmp_path)
    assert doc["rows"]["valid"] == len(true) + len(false)
    assert group(doc)["complaints"] == len(true)


def test_csat_numbers_and_words(tmp_path):
    values = ["非常满意", "满意", "一般", "不满意", "非常不满意", "５", " 4 ", "3", 2.0, 1]
    rows = [
        {"ticket_id": f"T{i}", "created_at": D, "resolved_at": at(9), "csat": v}
        for i, v in enumerate(values)
    ]
    doc, _ = document(rows, tmp_path)
    assert doc["rows"]["valid"] == 10
    k = group(doc)
    # scores 5, 4, 3, 2, 1, 5, 4, 3, 2, 1
    assert k["csat"] == pytest.approx(4 / 10)
    assert k["csat_avg"] == pytest.approx(30 / 10)
    assert k["bad_reviews"] == 6


ZENDESK = ["Id", "Created at", "Solved at", "Status", "Satisfaction Score"]


def test_zendesk_satisfaction_score(tmp_path):
    scores = ["Good", "bad", " Offered", "Unoffered", "Not Offered", "not offered", "GOOD"]
    rows = [
        {
            "Id": str(100 + i),
            "Created at": "2026-05-03 09:05:00",
            "Solved at": "2026/5/3 9:15",
            "Status": "Solved",
            "Satisfaction Score": s,
        }
        for i, s in enumerate(scores)
    ]
    doc, _ = document(rows, tmp_path, name="z.csv", headers=ZENDESK)
    assert doc["rows"] == {"read": 7, "valid": 7, "rejected": 0, "duplicates": 0}
    k = group(doc)
    # sent: Good, bad, Offered, GOOD; answered: Good, bad, GOOD
    assert k["survey_response_rate"] == pytest.approx(3 / 4)
    assert k["csat"] == pytest.approx(2 / 3)
    assert k["bad_reviews"] == 1
    assert k["csat_avg"] is None
    assert doc["unavailable"]["csat_avg"]
    assert k["rt_mean"] == pytest.approx(600)  # 09:15 - 09:05


def test_zendesk_first_reply_time_in_minutes_is_times_60(tmp_path):
    head = ["Id", "Created at", "First reply time in minutes"]
    minutes = ["0", "1", "2", ""]
    rows = [
        {"Id": str(i), "Created at": "2026-05-03 09:05:00", "First reply time in minutes": m}
        for i, m in enumerate(minutes)
    ]
    doc, _ = document(rows, tmp_path, name="z.csv", headers=head)
    k = group(doc)
    assert k["frt_mean"] == pytest.approx((0 + 60 + 120) / 3)
    assert k["frt_median"] == pytest.approx(60)
    assert k["frt_sla"] == pytest.approx(1 / 4)  # 0 s; 60, 120 and the blank breach


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_read_like_the_workbook(tmp_path, encoding):
    rows = [
        {**GOOD, "team": "售后一组", "csat": "满意"},
        {**BASE, "team": "售前一组", "csat": "非常不满意"},
    ]
    write_csv(rows, tmp_path / "t.csv", encoding=encoding)
    from_csv = kpi_document(tmp_path / "t.csv", by=("all", "team"))[0]
    from_xlsx = document(rows, tmp_path, by=("all", "team"))[0]
    assert from_csv["groups"] == from_xlsx["groups"]
    assert [g["key"] for g in from_csv["groups"]] == [None, "售前一组", "售后一组"]
    assert group(from_csv)["csat"] == pytest.approx(1 / 2)  # 满意 (4) of 4 and 1
