"""Call records: headers of real call-centre exports, rejects with reasons, duplicates keep
the last row, and the KPIs of the loaded calls worked by hand."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from csxl.domain.call_records import load_calls
from csxl.domain.calls import call_kpis
from csxl.domain.columns import CALL_LABELS, CALLS
from csxl.domain.synonyms import Synonyms
from csxl.readers.table import RawTable

NOW = datetime(2026, 4, 1, 8)
HEADERS = {
    "call_id": "呼叫ID",
    "started_at": "呼入时间",
    "agent": "坐席",
    "agent_id": "坐席工号",
    "team": "队列",
    "answered": "接听状态",
    "wait_s": "排队时长(秒)",
    "abandoned": "是否放弃",
}


def calls(rows: list[dict], headers: dict[str, str] = HEADERS):
    """A CallSet from rows keyed by canonical column, as a CSV reader hands them over."""
    columns = [c for c in headers if any(c in r for r in rows)]
    match = Synonyms(CALLS).match([headers[c] for c in columns])
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype="str") for c in columns})
    frame.index = frame.index + 2
    return load_calls(RawTable("calls.csv", None, 1, match, frame), now=NOW)


def call(n, answered="已接听", wait="12", at="2026-03-02 09:00:05", **more) -> dict:
    row = {"call_id": f"C{n}", "started_at": at, "agent": "1001", "team": "售后热线"}
    return row | {"answered": answered, "wait_s": wait} | more


@pytest.mark.parametrize(
    "headers",
    [
        (
            "通话ID",
            "来电时间",
            "坐席",
            "坐席工号",
            "技能组",
            "是否接通",
            "等待时长(秒)",
            "是否放弃",
        ),
        (
            "CallID",
            "开始时间",
            "座席",
            "工号",
            "队列名称",
            "接通状态",
            "排队时长（秒）",
            "是否呼损",
        ),
        (
            "Call ID",
            "Start time",
            "Agent",
            "Agent ID",
            "Queue",
            "Answered",
            "Wait time",
            "Abandoned",
        ),
    ],
)
def test_export_headers_name_every_call_column(headers):
    match = Synonyms(CALLS).match(list(headers))
    assert list(match.columns) == list(CALL_LABELS) and not match.ambiguous


def test_the_sheet_labels_are_synonyms_in_both_languages():
    synonyms = Synonyms(CALLS)
    for column, (zh, en) in CALL_LABELS.items():
        assert synonyms.lookup(zh).column == column and synonyms.lookup(en).column == column


def test_rows_add_up_and_each_reject_has_a_reason():
    c = calls(
        [
            call(1),
            call(2, at=None),
            call(3, at="2026-03-32 10:00"),
            call(4, wait="约十秒"),
            call(5, wait="-3"),
            call(6, answered=None),
            call(7, answered="转接"),
            call(8, answered="已接听", abandoned="是"),
            call(9, wait="2 days"),
            call(10, wait="90000"),
            call(11, abandoned="也许"),
            call(12, at="2062-03-01 10:00"),
        ]
    )
    assert c.rows() == {"read": 12, "valid": 1, "rejected": 11, "duplicates": 0}
    reasons = [(p.row, p.column, p.reason("en")) for p in c.problems]
    assert reasons == [
        (3, "呼入时间", "start time is empty"),
        (4, "呼入时间", "not a valid date and time"),
        (5, "排队时长(秒)", "wait time is not a number of seconds"),
        (6, "排队时长(秒)", "negative wait time"),
        (7, "接听状态", "answered is empty"),
        (8, "接听状态", "not a yes/no or answered/unanswered value"),
        (9, "是否放弃", "both answered and abandoned"),
        (10, "排队时长(秒)", "wait time is not a number of seconds"),
        (11, "排队时长(秒)", "wait time longer than a day"),
        (12, "是否放弃", "not a yes/no or abandoned value"),
        (13, "呼入时间", "date before 1900 or after today"),
    ]
    assert c.problems[4].reason("zh") == "是否接通为空"
    assert c.problems[0].value is None and c.problems[1].value == "2026-03-32 10:00"


def test_an_excel_error_value_is_said_as_such():
    c = calls([call(1, wait="#N/A"), call(2, agent="#REF!")])
    assert [p.reason("en") for p in c.problems] == ["the cell holds an Excel error value"] * 2
    assert c.valid == 0


@pytest.mark.parametrize(
    "text, answered",
    [
        ("已接听", True),
        ("未接听", False),
        ("接通", True),
        ("未接通", False),
        ("是", True),
        ("否", False),
        ("1", True),
        ("0", False),
        ("Answered", True),
        ("No answer", False),
        ("排队放弃", False),
        ("已放弃", False),  # not the generic 已… = yes: a call given up is not answered
        ("呼损", False),
        ("Ｙ", True),
    ],
)
def test_answered_words(text, answered):
    c = calls([call(1, answered=text)])
    assert c.valid == 1 and bool(c.frame["answered"].iloc[0]) is answered


@pytest.mark.parametrize(
    "text, abandoned",
    [("是", True), ("否", False), ("放弃", True), ("未放弃", False), ("已接通", False)],
)
def test_abandoned_words(text, abandoned):
    c = calls([call(1, answered="否", abandoned=text)])
    assert c.valid == 1 and bool(c.frame["abandoned"].iloc[0]) is abandoned


@pytest.mark.parametrize(
    "text, seconds",
    [("35", 35), ("0:01:05", 65), ("35秒", 35), ("1分05秒", 65), ("2分钟", 120), ("1,200", 1200)],
)
def test_wait_times_as_exports_write_them(text, seconds):
    assert calls([call(1, wait=text)]).frame["wait_s"].iloc[0] == seconds


def test_a_wait_in_minutes_by_its_header():
    headers = HEADERS | {"wait_s": "排队时长(分钟)"}
    assert calls([call(1, wait="1.5")], headers).frame["wait_s"].iloc[0] == 90


def test_duplicates_keep_the_last_valid_row_and_blank_ids_are_all_calls():
    c = calls(
        [
            call(1, wait="5"),
            call(1, wait="40"),  # the last copy of C1: kept
            call(2, wait="7"),
            call(2, wait="bad"),  # rejected: the earlier C2 stays
            {**call(3), "call_id": None},
            {**call(4), "call_id": None},
        ]
    )
    assert c.rows() == {"read": 6, "valid": 4, "rejected": 1, "duplicates": 1}
    assert c.frame["wait_s"].tolist() == [40, 7, 12, 12]
    assert c.frame.index.tolist() == [3, 4, 6, 7]  # the rows a manager sees


def test_blank_rows_are_not_read():
    c = calls([call(1), {}, call(2)])
    assert c.rows()["read"] == 2


def test_the_loaded_calls_by_hand():
    # 5 calls: answered at 8 s and 30 s, abandoned after 3 s and 50 s, one voicemail
    # (neither answered nor abandoned) after 70 s.
    c = calls(
        [
            call(1, answered="已接听", wait="8", abandoned="否"),
            call(2, answered="已接听", wait="30", abandoned="否"),
            call(3, answered="未接听", wait="3", abandoned="是"),
            call(4, answered="未接听", wait="50", abandoned="是"),
            call(5, answered="未接听", wait="70", abandoned="否"),
        ]
    )
    got = call_kpis(c.frame).loc["all"].to_dict()
    assert (got["offered"], got["answered"], got["abandoned"], got["answered_within"]) == (
        5,
        2,
        2,
        1,
    )
    assert got["answer_rate"] == pytest.approx(0.4)
    assert got["abandon_rate"] == pytest.approx(0.4)
    assert got["service_level"] == pytest.approx(0.2)
    assert got["asa_s"] == pytest.approx(19)


def test_agents_of_one_name_are_told_apart_by_their_staff_number():
    """Two 张伟 with different 坐席工号: two agents; with only the 工号, it is the agent."""
    rows = [
        call(1, agent="张伟", agent_id="1023"),
        call(2, agent="张伟", agent_id="1024", answered="未接听"),
        call(3, agent="李娜", agent_id="1025"),
    ]
    got = call_kpis(calls(rows).frame, ("agent",))
    assert got["offered"].to_dict() == {"张伟 (1023)": 1, "张伟 (1024)": 1, "李娜": 1}
    assert got["answered"].to_dict() == {"张伟 (1023)": 1, "张伟 (1024)": 0, "李娜": 1}
    only_ids = calls([{k: v for k, v in r.items() if k != "agent"} for r in rows])
    assert "agent" in only_ids.columns
    assert only_ids.frame["agent"].tolist() == ["1023", "1024", "1025"]


def test_without_a_wait_column_service_level_and_asa_are_none_not_zero():
    headers = {k: v for k, v in HEADERS.items() if k != "wait_s"}
    rows = [{k: v for k, v in call(n).items() if k != "wait_s"} for n in (1, 2)]
    got = call_kpis(calls(rows, headers).frame).loc["all"].to_dict()
    assert got["offered"] == 2 and got["answer_rate"] == 1
    assert got["service_level"] is None and got["asa_s"] is None
    assert got["answered_within"] is None


def test_blank_cells_say_nothing():
    """Pasted under the plan's header, an export without waits or abandoned flags leaves
    those columns blank: they count as absent, not as 'never waited, never abandoned'."""
    rows = [call(1, wait=None), call(2, answered="未接听", wait=None)]
    c = calls([r | {"abandoned": None} for r in rows])
    assert "wait_s" not in c.columns and "abandoned" not in c.columns
    got = call_kpis(c.frame).loc["all"].to_dict()
    assert (got["offered"], got["answered"], got["abandoned"]) == (2, 1, 1)
    assert got["service_level"] is None


def test_a_blank_abandoned_cell_beside_filled_ones_follows_the_rule_without_the_column():
    c = calls(
        [
            call(1, answered="未接听", abandoned="否"),  # voicemail: offered, neither
            call(2, answered="未接听", abandoned=None),  # not stated: abandoned
            call(3, answered="已接听", abandoned=None),
        ]
    )
    assert c.frame["abandoned"].tolist() == [False, True, False]
    got = call_kpis(c.frame).loc["all"].to_dict()
    assert (got["offered"], got["answered"], got["abandoned"]) == (3, 1, 1)
