"""Every KPI of ../shared/spec/kpis.md on small tables whose answers are worked out by hand.

Expected values are written as the arithmetic of the spec's definitions, with a comment
naming the rows that count; they are not taken from the engine's output.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from csxl.kpi_report import Period
from tests.helpers import document, group

# The KPI keys of the spec's definitions table, in its order.
KPI_KEYS = (
    "tickets", "csat", "csat_avg", "survey_response_rate",
    "frt_mean", "frt_median", "frt_p90", "frt_sla",
    "resolution_rate", "rt_mean", "rt_median", "rt_p90", "rt_sla",
    "fcr", "reopen_rate", "aht", "complaints", "escalated", "complaints_per_10k",
    "bad_reviews", "bad_review_reviewed", "bad_review_reasons", "peak_queue_mean", "dept_sla",
)  # fmt: skip
RATIO_KEYS = (
    "csat", "survey_response_rate", "frt_sla", "resolution_rate", "rt_sla", "fcr",
    "reopen_rate", "bad_review_reviewed", "dept_sla",
)  # fmt: skip

D = datetime(2026, 3, 2, 10, 0, 0)  # a Monday, a working day


def at(seconds: float = 0, base: datetime = D) -> datetime:
    return base + timedelta(seconds=seconds)


def tk(n: int, **values) -> dict:
    """Ticket T<n> created at D unless given."""
    return {"ticket_id": f"T{n}", "created_at": D, **values}


def kpis(rows, tmp_path, **kwargs) -> dict:
    doc, _ = document(rows, tmp_path, **kwargs)
    return group(doc)


def full(rows, tmp_path, **kwargs) -> dict:
    return document(rows, tmp_path, **kwargs)[0]


# --- tickets --------------------------------------------------------------------------------


def test_tickets_counts_valid_tickets(tmp_path):
    k = kpis([tk(1), tk(2), tk(3)], tmp_path)
    assert k["tickets"] == 3


# --- csat, csat_avg, bad_reviews --------------------------------------------------------------


def test_csat_and_csat_avg_on_the_numeric_scale(tmp_path):
    rows = [tk(i, resolved_at=at(60), csat=c) for i, c in enumerate([5, 4, 3, 1, None])]
    k = kpis(rows, tmp_path)
    # answered: 5, 4, 3, 1 (blank is not an answer); 4 or 5: two of them
    assert k["csat"] == pytest.approx(2 / 4)
    assert k["csat_avg"] == pytest.approx((5 + 4 + 3 + 1) / 4)
    assert k["bad_reviews"] == 2  # the 3 and the 1


def test_csat_chinese_words(tmp_path):
    words = ["非常满意", "满意", "一般", "不满意", "非常不满意"]
    rows = [tk(i, resolved_at=at(60), csat=w) for i, w in enumerate(words)]
    k = kpis(rows, tmp_path)
    # 非常满意=5, 满意=4, 一般=3, 不满意=2, 非常不满意=1: two of five score 4 or 5
    assert k["csat"] == pytest.approx(2 / 5)
    assert k["csat_avg"] == pytest.approx((5 + 4 + 3 + 2 + 1) / 5)
    assert k["bad_reviews"] == 3  # 一般, 不满意, 非常不满意


# --- survey_response_rate -------------------------------------------------------------------


def test_survey_response_rate_with_survey_sent(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), survey_sent="是", csat=5),
        tk(2, resolved_at=at(60), survey_sent="是", csat=2),
        tk(3, resolved_at=at(60), survey_sent="是"),
        tk(4, resolved_at=at(60), survey_sent="否"),
    ]
    k = kpis(rows, tmp_path)
    # answered T1, T2 / sent T1, T2, T3 (not the 4 resolved tickets)
    assert k["survey_response_rate"] == pytest.approx(2 / 3)


def test_survey_response_rate_without_survey_sent_uses_resolved_tickets(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), csat=5),
        tk(2, resolved_at=at(60), csat=1),
        tk(3, resolved_at=at(60)),
        tk(4),
        tk(5),
    ]
    k = kpis(rows, tmp_path)
    # answered T1, T2 / resolved T1, T2, T3
    assert k["survey_response_rate"] == pytest.approx(2 / 3)


# --- first response -------------------------------------------------------------------------


def test_frt_mean_median_p90_and_sla(tmp_path):
    rows = [tk(i, first_response_at=at(s)) for i, s in enumerate([10, 20, 30, 40, 50])]
    rows.append(tk(9))  # never answered
    k = kpis(rows, tmp_path)
    assert k["frt_mean"] == pytest.approx((10 + 20 + 30 + 40 + 50) / 5)
    assert k["frt_median"] == pytest.approx(30)
    # PERCENTILE.INC: rank 0.9 x (5 - 1) = 3.6 -> 40 + 0.6 x (50 - 40)
    assert k["frt_p90"] == pytest.approx(40 + 0.6 * (50 - 40))
    assert k["frt_p90"] == pytest.approx(46)
    # within 30 s inclusive: 10, 20, 30; the unanswered ticket is a breach: 3 of 6
    assert k["frt_sla"] == pytest.approx(3 / 6)


def test_frt_p90_and_median_of_an_even_count(tmp_path):
    rows = [tk(i, first_response_at=at(s)) for i, s in enumerate([40, 10, 30, 20])]
    k = kpis(rows, tmp_path)
    assert k["frt_median"] == pytest.approx((20 + 30) / 2)
    # rank 0.9 x 3 = 2.7 -> 30 + 0.7 x (40 - 30)
    assert k["frt_p90"] == pytest.approx(30 + 0.7 * 10)
    assert k["frt_sla"] == pytest.approx(3 / 4)  # 10, 20, 30


def test_frt_sla_limit_is_inclusive(tmp_path):
    rows = [tk(1, first_response_at=at(30)), tk(2, first_response_at=at(31))]
    assert kpis(rows, tmp_path)["frt_sla"] == pytest.approx(1 / 2)  # 30 s meets, 31 s not


def test_frt_from_a_duration_column(tmp_path):
    rows = [tk(1, **{"首响时长(秒)": 15}), tk(2, **{"首响时长(秒)": 45}), tk(3)]
    k = kpis(rows, tmp_path)
    assert k["frt_mean"] == pytest.approx((15 + 45) / 2)
    assert k["frt_sla"] == pytest.approx(1 / 3)  # 15 s; 45 s and the unanswered T3 breach


def test_frt_timestamp_difference_wins_over_a_duration(tmp_path):
    rows = [
        tk(1, first_response_at=at(20), **{"首响时长(秒)": 999}),
        tk(2, first_response_at=at(40), **{"首响时长(秒)": 1}),
    ]
    k = kpis(rows, tmp_path)
    assert k["frt_mean"] == pytest.approx((20 + 40) / 2)
    assert k["frt_sla"] == pytest.approx(1 / 2)  # T1 20 s meets, T2 40 s breaches


# --- resolution -----------------------------------------------------------------------------


def test_resolution_rate_from_resolved_at_and_status_words_in_any_case(tmp_path):
    rows = [
        tk(1, resolved_at=at(60)),
        tk(2, resolved_at=at(60), status="Open"),  # resolved_at counts whatever the status
        tk(3, status="Solved"),
        tk(4, status="已完结"),
        tk(5, status="CLOSED"),
        tk(6, status="resolved"),
        tk(7, status="已解决"),
        tk(8, status="已关闭"),
        tk(9, status="处理中"),
        tk(10, status="open"),
        tk(11),
    ]
    k = kpis(rows, tmp_path)
    # T1..T8 resolved of 11
    assert k["resolution_rate"] == pytest.approx(8 / 11)


def test_rt_mean_median_p90_and_sla_at_exactly_300_s(tmp_path):
    rows = [tk(i, resolved_at=at(s)) for i, s in enumerate([100, 200, 300, 400])]
    rows.append(tk(9))  # unresolved
    k = kpis(rows, tmp_path)
    assert k["resolution_rate"] == pytest.approx(4 / 5)
    assert k["rt_mean"] == pytest.approx((100 + 200 + 300 + 400) / 4)
    assert k["rt_median"] == pytest.approx((200 + 300) / 2)
    assert k["rt_p90"] == pytest.approx(300 + 0.7 * (400 - 300))  # rank 0.9 x 3 = 2.7
    # within 300 s inclusive: 100, 200, 300; 400 and the unresolved ticket breach
    assert k["rt_sla"] == pytest.approx(3 / 5)


# --- fcr, reopen_rate -----------------------------------------------------------------------


def test_fcr_from_the_fcr_column_blank_is_not_true(tmp_path):
    one_touch = {"contacts": 1, "reopens": 0}  # ignored: the fcr column decides
    rows = [
        tk(1, resolved_at=at(60), fcr="是", **one_touch),
        tk(2, resolved_at=at(60), fcr="否", **one_touch),
        tk(3, resolved_at=at(60), **one_touch),  # blank fcr
        tk(4, fcr="是", **one_touch),  # not resolved: outside the denominator
    ]
    k = kpis(rows, tmp_path)
    assert k["fcr"] == pytest.approx(1 / 3)  # T1 of the resolved T1, T2, T3


def test_fcr_fallback_contacts_1_and_no_reopens(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), contacts=1, reopens=0),
        tk(2, resolved_at=at(60), contacts=1, reopens=1),
        tk(3, resolved_at=at(60), contacts=2, reopens=0),
        tk(4, resolved_at=at(60), contacts=1, reopens=0),
        tk(5, contacts=1, reopens=0),  # unresolved
    ]
    k = kpis(rows, tmp_path)
    assert k["fcr"] == pytest.approx(2 / 4)  # T1, T4 of the resolved T1..T4
    assert "fcr" not in full(rows, tmp_path)["unavailable"]


def test_fcr_fallback_without_a_reopens_column_counts_reopens_as_0(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), contacts=1),
        tk(2, resolved_at=at(60), contacts=1),
        tk(3, resolved_at=at(60), contacts=2),
    ]
    assert kpis(rows, tmp_path)["fcr"] == pytest.approx(2 / 3)  # T1, T2


def test_fcr_unavailable_without_fcr_and_contacts(tmp_path):
    doc = full([tk(1, resolved_at=at(60), reopens=0)], tmp_path)
    assert group(doc)["fcr"] is None
    assert doc["unavailable"]["fcr"]


def test_reopen_rate(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), reopens=0),
        tk(2, resolved_at=at(60), reopens=1),
        tk(3, resolved_at=at(60), reopens=2),
        tk(4, resolved_at=at(60), reopens=0),
        tk(5, reopens=3),  # unresolved
    ]
    assert kpis(rows, tmp_path)["reopen_rate"] == pytest.approx(2 / 4)  # T2, T3


# --- aht, complaints, escalated -------------------------------------------------------------


def test_aht_over_tickets_with_handle_time(tmp_path):
    rows = [tk(1, handle_s=100), tk(2, handle_s=200), tk(3), tk(4, handle_s=400)]
    assert kpis(rows, tmp_path)["aht"] == pytest.approx((100 + 200 + 400) / 3)


def test_aht_unavailable_without_its_column(tmp_path):
    doc = full([tk(1), tk(2)], tmp_path)
    assert group(doc)["aht"] is None
    assert doc["unavailable"]["aht"]


def test_complaints_and_escalated(tmp_path):
    rows = [
        tk(1, complaint="是", escalated="否"),
        tk(2, complaint="否", escalated="否"),
        tk(3, complaint="是", escalated="是"),
        tk(4),
    ]
    k = kpis(rows, tmp_path)
    assert k["complaints"] == 2  # T1, T3
    assert k["escalated"] == 1  # T3


def test_complaints_per_10k_with_active_customers(tmp_path):
    rows = [tk(i, complaint="是" if i < 3 else "否") for i in range(5)]
    k = kpis(rows, tmp_path, active_customers=20_000)
    assert k["complaints"] == 3
    assert k["complaints_per_10k"] == pytest.approx(3 / 20_000 * 10_000)
    assert k["complaints_per_10k"] == pytest.approx(1.5)
    assert kpis(rows, tmp_path)["complaints_per_10k"] is None  # no active customers given


# --- bad reviews ----------------------------------------------------------------------------


def test_bad_reviews_and_bad_review_reviewed(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), csat=1, reviewed="是"),
        tk(2, resolved_at=at(60), csat=2, reviewed="否"),
        tk(3, resolved_at=at(60), csat=3),  # blank: not reviewed
        tk(4, resolved_at=at(60), csat=4, reviewed="是"),  # not a bad review
        tk(5, resolved_at=at(60), csat=5, reviewed="是"),
        tk(6, resolved_at=at(60), reviewed="是"),  # no answer
    ]
    k = kpis(rows, tmp_path)
    assert k["bad_reviews"] == 3  # T1, T2, T3
    assert k["bad_review_reviewed"] == pytest.approx(1 / 3)  # T1


def test_bad_review_reasons_are_shares_among_bad_reviews(tmp_path):
    rows = [
        tk(1, resolved_at=at(60), csat=1, bad_review_reason="响应慢"),
        tk(2, resolved_at=at(60), csat=2, bad_review_reason="响应慢"),
        tk(3, resolved_at=at(60), csat=3, bad_review_reason="解答不专业"),
        tk(4, resolved_at=at(60), csat=3, bad_review_reason="其他"),
        tk(5, resolved_at=at(60), csat=2),  # a bad review without a reason
        tk(6, resolved_at=at(60), csat=5, bad_review_reason="响应慢"),  # not a bad review
    ]
    k = kpis(rows, tmp_path)
    assert k["bad_reviews"] == 5
    assert k["bad_review_reasons"] == pytest.approx(
        {"响应慢": 2 / 5, "解答不专业": 1 / 5, "承诺未兑现": 0 / 5, "其他": 1 / 5}
    )


def test_bad_reviews_with_good_bad_scores(tmp_path):
    head = ["工单号", "创建时间", "解决时间", "Satisfaction Score"]
    scores = ["Good", "Bad", "Bad", "Offered", "Unoffered"]
    rows = [tk(i, resolved_at=at(60), **{"Satisfaction Score": s}) for i, s in enumerate(scores)]
    doc = full(rows, tmp_path, headers=head)
    k = group(doc)
    assert k["bad_reviews"] == 2
    assert k["csat"] == pytest.approx(1 / 3)  # Good of Good, Bad, Bad
    assert k["csat_avg"] is None
    assert doc["unavailable"]["csat_avg"]


# --- peak_queue_mean ------------------------------------------------------------------------


def test_peak_queue_mean_window_includes_9_and_excludes_11(tmp_path):
    def made(h, m, s):
        return datetime(2026, 3, 2, h, m, s)

    rows = [
        tk(1, created_at=made(8, 59, 59), first_response_at=at(100, made(8, 59, 59))),
        tk(2, created_at=made(9, 0, 0), first_response_at=at(10, made(9, 0, 0))),
        tk(3, created_at=made(10, 59, 59), first_response_at=at(20, made(10, 59, 59))),
        tk(4, created_at=made(11, 0, 0), first_response_at=at(1000, made(11, 0, 0))),
        tk(5, created_at=made(9, 30, 0)),  # in the window, never answered
    ]
    k = kpis(rows, tmp_path)
    assert k["peak_queue_mean"] == pytest.approx((10 + 20) / 2)  # T2, T3
    assert k["frt_mean"] == pytest.approx((100 + 10 + 20 + 1000) / 4)


# --- dept_sla -------------------------------------------------------------------------------


def test_national_day_2026_calendar_facts():
    assert chinese_calendar.is_workday(date(2026, 9, 30))  # Wednesday, the sending day
    for day in range(1, 8):
        assert not chinese_calendar.is_workday(date(2026, 10, day))  # National Day
    assert chinese_calendar.is_workday(date(2026, 10, 8))  # working day 1
    assert chinese_calendar.is_workday(date(2026, 10, 9))  # working day 2
    assert date(2026, 10, 10).weekday() == 5  # a Saturday ...
    assert chinese_calendar.is_workday(date(2026, 10, 10))  # ... made a working day: day 3
    assert not chinese_calendar.is_workday(date(2026, 10, 11))


def test_dept_sla_limits_per_type(tmp_path):
    sent = D
    holiday_sent = datetime(2026, 9, 30, 10, 0, 0)

    def collab(n, kind, done, sent_at=sent):
        return tk(
            n,
            created_at=sent_at - timedelta(hours=1),
            dept_type=kind,
            dept_sent_at=sent_at,
            dept_done_at=done,
        )

    rows = [
        collab(1, "常规", sent + timedelta(hours=4)),  # exactly 4 h: met
        collab(2, "常规", sent + timedelta(hours=4, seconds=1)),  # breach
        collab(3, "技术排查", sent + timedelta(hours=24)),  # exactly 24 h: met
        collab(4, "技术排查", sent + timedelta(hours=24, seconds=1)),  # breach
        # 产品优化, 3 working days from Wed 30 Sep: Oct 8 (1), Oct 9 (2), Sat Oct 10 (3)
        collab(5, "产品优化", datetime(2026, 10, 10, 23, 59, 59), holiday_sent),  # met
        collab(6, "产品优化", datetime(2026, 10, 11, 0, 0, 1), holiday_sent),  # breach
        collab(7, "常规", None),  # unfinished: breach
        tk(8),  # not a collaboration ticket
    ]
    k = kpis(rows, tmp_path)
    # met: T1, T3, T5 of the collaboration tickets T1..T7
    assert k["dept_sla"] == pytest.approx(3 / 7)


def test_dept_sla_working_days_end_at_24_00_and_feature_alias(tmp_path):
    def collab(n, kind, sent_at, done):
        return tk(
            n,
            created_at=sent_at - timedelta(hours=1),
            dept_type=kind,
            dept_sent_at=sent_at,
            dept_done_at=done,
        )

    rows = [
        # due by the end (24:00) of Sat Oct 10: exactly 2026-10-11 00:00:00 is met
        collab(1, "产品优化", datetime(2026, 9, 30, 10), datetime(2026, 10, 11, 0, 0, 0)),
        # sent on a holiday (day 0): Oct 8, 9, 10 are working days 1-3 -> met on Oct 10
        collab(2, "产品优化", datetime(2026, 10, 3, 12), datetime(2026, 10, 10, 20, 0, 0)),
        # an ordinary week: sent Mon 2 Mar -> Tue (1), Wed (2), Thu 5 Mar (3)
        collab(3, "产品优化", datetime(2026, 3, 2, 15), datetime(2026, 3, 5, 23, 0, 0)),  # met
        collab(4, "产品优化", datetime(2026, 3, 2, 15), datetime(2026, 3, 6, 9, 0, 0)),  # late
        # 功能解释 is 常规: 4 h
        collab(5, "功能解释", D, D + timedelta(hours=3, minutes=59)),  # met
        collab(6, "功能解释", D, D + timedelta(hours=5)),  # breach
    ]
    assert all(chinese_calendar.is_workday(date(2026, 3, d)) for d in (2, 3, 4, 5))
    k = kpis(rows, tmp_path)
    assert k["dept_sla"] == pytest.approx(4 / 6)  # T1, T2, T3, T5


# --- grouping -------------------------------------------------------------------------------


def test_group_keys_in_code_point_order_with_blank_last(tmp_path):
    teams = ["售后一组", "a组", None, "售前一组", "B组", "售后一组"]
    agents = ["李四", "al", "Zoe", None, "张三", "李四"]
    channels = [" 在线 ", "在线", "电话", "Email", "电话", "email"]
    groups = ["甲班", None, "乙班", "甲班", "A", "甲班"]
    days = [D, D, D + timedelta(days=1), D - timedelta(days=1), D, D + timedelta(days=1)]
    rows = [
        tk(i, team=t, agent=a, channel=c, group=g, created_at=d)
        for i, (t, a, c, g, d) in enumerate(zip(teams, agents, channels, groups, days, strict=True))
    ]
    doc = full(rows, tmp_path, by=("all", "team", "agent", "channel", "group", "day"))

    def keys(by):
        return [g["key"] for g in doc["groups"] if g["by"] == by]

    order = [g["by"] for g in doc["groups"]]
    assert order[0] == "all"
    assert order == sorted(order, key=["all", "team", "agent", "channel", "group", "day"].index)
    # "B" (U+0042) < "a" (U+0061) < "售" (U+552E); 前 (U+524D) < 后 (U+540E); blank last
    assert keys("team") == ["B组", "a组", "售前一组", "售后一组", None]
    assert keys("agent") == ["Zoe", "al", "张三", "李四", None]
    assert keys("channel") == ["Email", "email", "在线", "电话"]  # " 在线 " trimmed
    assert keys("group") == ["A", "乙班", "甲班", None]  # 乙 U+4E59 < 甲 U+7532
    assert keys("day") == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert group(doc, "team", "售后一组")["tickets"] == 2
    assert group(doc, "team", None)["tickets"] == 1
    assert group(doc, "channel", "在线")["tickets"] == 2
    assert group(doc, "day", "2026-03-02")["tickets"] == 3


def test_agent_kpis_count_only_the_agents_own_tickets(tmp_path):
    rows = [
        tk(1, agent="张三", team="X", resolved_at=at(60), csat=5, first_response_at=at(10)),
        tk(2, agent="张三", team="X", resolved_at=at(60), csat=5, first_response_at=at(20)),
        tk(3, agent="李四", team="X", resolved_at=at(60), csat=1, first_response_at=at(90)),
    ]
    doc = full(rows, tmp_path, by=("all", "agent"))
    zhang, li = group(doc, "agent", "张三"), group(doc, "agent", "李四")
    assert zhang["tickets"] == 2 and li["tickets"] == 1
    assert zhang["csat"] == pytest.approx(2 / 2)  # T1, T2
    assert li["csat"] == pytest.approx(0 / 1)  # T3
    assert zhang["frt_mean"] == pytest.approx((10 + 20) / 2)
    assert li["frt_mean"] == pytest.approx(90)
    assert li["bad_reviews"] == 1 and zhang["bad_reviews"] == 0


@pytest.mark.parametrize(
    ("name_header", "id_header"),
    [("客服", "工号"), ("Assignee", "Assignee id"), ("坐席", "客服工号")],
)
def test_two_agents_of_one_name_are_two_groups_keyed_by_their_id(tmp_path, name_header, id_header):
    """Two 张伟 with different 工号: two agent groups, each with only its own tickets."""
    rows = [
        tk(1, agent="张伟", agent_id="1023", csat=5),
        tk(2, agent="张伟", agent_id="1023", csat=5),
        tk(3, agent="张伟", agent_id="1024", csat=1),
        tk(4, agent="李娜", agent_id="1025", csat=4),
    ]
    headers = ["ticket_id", "created_at", name_header, id_header, "csat"]
    renamed = [{**r, name_header: r.pop("agent"), id_header: r.pop("agent_id")} for r in rows]
    doc = full(renamed, tmp_path, by=("all", "agent"), headers=headers)
    keys = [g["key"] for g in doc["groups"] if g["by"] == "agent"]
    assert keys == ["张伟 (1023)", "张伟 (1024)", "李娜"]
    first, second = group(doc, "agent", "张伟 (1023)"), group(doc, "agent", "张伟 (1024)")
    assert (first["tickets"], first["csat"]) == (2, 1.0)
    assert (second["tickets"], second["csat"]) == (1, 0.0)
    assert group(doc, "agent", "李娜")["tickets"] == 1
    assert group(doc)["tickets"] == 4


def test_an_export_with_only_the_agent_id_groups_agents_by_it(tmp_path):
    rows = [tk(1, 工号="1023"), tk(2, 工号="1023"), tk(3, 工号="1024"), tk(4)]
    doc = full(rows, tmp_path, by=("all", "agent"))
    keys = {g["key"]: g["kpis"]["tickets"] for g in doc["groups"] if g["by"] == "agent"}
    assert keys == {"1023": 2, "1024": 1, None: 1}


def test_a_team_figure_is_not_the_mean_of_its_agents(tmp_path):
    rows = [
        tk(1, team="X", agent="A", resolved_at=at(60), csat=5, first_response_at=at(10)),
        tk(2, team="X", agent="B", resolved_at=at(60), csat=5, first_response_at=at(20)),
        tk(3, team="X", agent="B", resolved_at=at(60), csat=1, first_response_at=at(30)),
        tk(4, team="X", agent="B", resolved_at=at(60), csat=1, first_response_at=at(100)),
    ]
    doc = full(rows, tmp_path, by=("all", "team", "agent"))
    team, a, b = group(doc, "team", "X"), group(doc, "agent", "A"), group(doc, "agent", "B")
    assert a["csat"] == pytest.approx(1 / 1) and b["csat"] == pytest.approx(1 / 3)
    # the team's own tickets: T1, T2 of T1..T4
    assert team["csat"] == pytest.approx(2 / 4)
    assert team["csat"] != pytest.approx((a["csat"] + b["csat"]) / 2)  # 2/3
    assert team["frt_mean"] == pytest.approx((10 + 20 + 30 + 100) / 4)  # 40
    assert team["frt_mean"] != pytest.approx((a["frt_mean"] + b["frt_mean"]) / 2)  # 30
    assert group(doc)["csat"] == pytest.approx(2 / 4)


def test_every_kpi_key_in_every_group_and_ratios_null_without_denominator(tmp_path):
    rich = {
        "team": "有数据",
        "agent": "甲",
        "channel": "在线",
        "group": "一班",
        "first_response_at": at(20),
        "resolved_at": at(200),
        "survey_sent": "是",
        "csat": 2,
        "fcr": "是",
        "reopens": 0,
        "handle_s": 100,
        "complaint": "否",
        "escalated": "否",
        "reviewed": "是",
        "bad_review_reason": "响应慢",
        "dept_type": "常规",
        "dept_sent_at": at(30),
        "dept_done_at": at(60),
    }
    bare = {"team": "无数据", "agent": "乙", "survey_sent": "否", "complaint": "否"}
    rows = [tk(1, **rich), tk(2, **bare), tk(3, **bare, created_at=D + timedelta(days=1))]
    by = ("all", "team", "group", "agent", "channel", "day")
    doc = full(rows, tmp_path, by=by)
    assert {g["by"] for g in doc["groups"]} == set(by)
    for g in doc["groups"]:
        assert set(KPI_KEYS) <= set(g["kpis"]), (g["by"], g["key"])
        for key in RATIO_KEYS:
            value = g["kpis"][key]
            assert value is None or 0 <= value <= 1
    k = group(doc, "team", "无数据")
    assert k["tickets"] == 2
    for key in (
        "csat", "csat_avg", "survey_response_rate", "frt_mean", "frt_median", "frt_p90",
        "rt_mean", "rt_median", "rt_p90", "fcr", "reopen_rate", "aht",
        "bad_review_reviewed", "bad_review_reasons", "peak_queue_mean", "dept_sla",
    ):  # fmt: skip
        assert k[key] is None, key
    # denominators that are all tickets: 0 of 2, not null
    assert k["frt_sla"] == 0 and k["resolution_rate"] == 0 and k["rt_sla"] == 0
    assert k["complaints"] == 0 and k["bad_reviews"] == 0
    r = group(doc, "team", "有数据")
    assert r["dept_sla"] == pytest.approx(1 / 1) and r["bad_review_reviewed"] == 1
    assert r["bad_review_reasons"] == pytest.approx(
        {"响应慢": 1.0, "解答不专业": 0.0, "承诺未兑现": 0.0, "其他": 0.0}
    )


def test_missing_columns_are_null_and_listed_as_unavailable(tmp_path):
    doc = full([tk(1), tk(2, created_at=D + timedelta(hours=1))], tmp_path, by=("all", "day"))
    assert group(doc)["tickets"] == 2
    missing = [k for k in KPI_KEYS if k not in ("tickets", "complaints_per_10k")]
    for g in doc["groups"]:
        for key in [*missing, "complaints_per_10k"]:
            assert g["kpis"][key] is None, key
    for key in missing:
        assert isinstance(doc["unavailable"].get(key), str), key
        assert doc["unavailable"][key].strip()
    assert "tickets" not in doc["unavailable"]


def test_unavailable_lists_only_what_is_missing(tmp_path):
    rows = [tk(1, first_response_at=at(5), resolved_at=at(50), csat=4)]
    doc = full(rows, tmp_path)
    for key in ("csat", "csat_avg", "frt_mean", "frt_sla", "resolution_rate", "rt_sla"):
        assert key not in doc["unavailable"]
    for key in ("aht", "complaints", "escalated", "dept_sla", "bad_review_reviewed"):
        assert key in doc["unavailable"]


# --- period ---------------------------------------------------------------------------------


def _period_rows():
    return [
        tk(1, created_at=datetime(2026, 2, 28, 23, 59, 59)),
        tk(2, created_at=datetime(2026, 3, 1, 0, 0, 0)),
        tk(3, created_at=datetime(2026, 3, 15, 12, 0, 0)),
        tk(4, created_at=datetime(2026, 3, 31, 23, 59, 59)),
        tk(5, created_at=datetime(2026, 4, 1, 0, 0, 0)),
        tk(6, created_at=datetime(2026, 1, 5, 9, 0, 0), csat=7),  # rejected
        tk(3, created_at=datetime(2026, 3, 15, 11, 0, 0)),  # outdated copy of T3 ...
        tk(3, created_at=datetime(2026, 3, 16, 12, 0, 0)),  # ... the last copy counts
    ]


def test_period_month_filter_and_rows_count_the_whole_file(tmp_path):
    doc = full(_period_rows(), tmp_path, period=Period.parse("2026-03", None, None))
    assert group(doc)["tickets"] == 3  # T2, T3, T4
    assert doc["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    # the whole file: 8 read = 5 valid + 1 rejected + 2 duplicates
    assert doc["rows"] == {"read": 8, "valid": 5, "rejected": 1, "duplicates": 2}


def test_period_from_to_both_days_included(tmp_path):
    period = Period.parse(None, "2026-02-28", "2026-03-16")
    doc = full(_period_rows(), tmp_path, period=period, by=("all", "day"))
    assert group(doc)["tickets"] == 3  # T1 (Feb 28 23:59:59), T2, T3 (Mar 16)
    assert [g["key"] for g in doc["groups"] if g["by"] == "day"] == [
        "2026-02-28",
        "2026-03-01",
        "2026-03-16",
    ]
    assert doc["period"] == {"from": "2026-02-28", "to": "2026-03-16"}
    assert doc["rows"]["read"] == 8


def test_period_defaults_to_first_and_last_valid_created_dates(tmp_path):
    doc = full(_period_rows(), tmp_path)
    assert group(doc)["tickets"] == 5
    # T6 (2026-01-05) is rejected, so it does not open the period
    assert doc["period"] == {"from": "2026-02-28", "to": "2026-04-01"}


def test_period_parse_month_is_the_whole_month():
    assert Period.parse("2026-02", None, None) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period.parse("2026-12", None, None) == Period(date(2026, 12, 1), date(2026, 12, 31))
    assert Period.parse(None, "2026-03-01", "2026-03-02") == Period(
        date(2026, 3, 1), date(2026, 3, 2)
    )
