"""Agent identity: aliases to agent ids, unknown and ambiguous names, teams by date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.calendar import WorkCalendar
from csxl.domain.identity import (
    Alias,
    AliasTable,
    DaysInTeam,
    Membership,
    agent_keys,
    days_in_team,
    resolve,
    shown_names,
    spelling,
    team_on,
)

ROSTER = {"KF1001": "小美", "KF1002": "王强", "KF1003": "李娜", "KF1004": "李娜"}  # two 李娜
ALIASES = [
    Alias("旗舰店:小美", "KF1001"),
    Alias("Mei Xiao", "KF1001"),
    Alias("强哥", "KF1002"),
    Alias("lina", "KF1004"),
]


def table() -> AliasTable:
    return AliasTable.build(ALIASES, ROSTER)


def test_spellings_fold_width_case_and_blanks():
    assert spelling("  ＭＥＩ　 xiao ") == "mei xiao"
    assert spelling("旗舰店：小美") == "旗舰店:小美"
    assert spelling(None) == "" and spelling(float("nan")) == ""


def test_every_spelling_resolves_to_one_agent():
    names = pd.Series(
        ["小美", "旗舰店：小美", "MEI  XIAO", "KF1002", "强哥", "另一店:小美", "LiNa", None]
    )
    got = resolve(names, table())
    assert got.agent_id.tolist()[:7] == [
        "KF1001",
        "KF1001",
        "KF1001",
        "KF1002",
        "KF1002",
        "KF1001",  # a sub-account of another shop: its part after the colon names one agent
        "KF1004",
    ]
    assert pd.isna(got.agent_id.iloc[7])
    assert got.unknown == {} and got.ambiguous == {}


def test_unknown_names_are_listed_with_their_ticket_counts_never_dropped():
    names = pd.Series(["小美", "新人小张", "新人小张", "临时工", "  "])
    got = resolve(names, table())
    assert got.unknown == {"临时工": 1, "新人小张": 2}
    assert got.agent_id.isna().sum() == 4


def test_a_name_shared_by_two_agents_is_ambiguous_not_guessed():
    got = resolve(pd.Series(["李娜", "李娜", "王强"]), table())
    assert got.ambiguous == {"李娜": ("KF1003", "KF1004")}
    assert got.agent_id.isna().sum() == 2


MOVES = [
    Membership("KF1001", "售前一组", date(2026, 1, 1), date(2026, 3, 15)),
    Membership("KF1001", "售后一组", date(2026, 3, 16)),
    Membership("KF1002", "售前一组", date(2026, 3, 10), date(2026, 3, 20)),
]


def test_tickets_count_for_the_team_of_their_day():
    agents = pd.Series(["KF1001", "KF1001", "KF1001", "KF1002", "KF1002", "KF1002", None])
    days = pd.Series(
        pd.to_datetime(
            [
                "2026-03-15 23:59",  # last day in 售前一组
                "2026-03-16 00:00",  # first day in 售后一组
                "2026-02-01 09:00",
                "2026-03-09 12:00",  # before joining: no team
                "2026-03-20 18:00",
                "2026-03-21 08:00",  # after leaving: no team
                "2026-03-12 10:00",
            ]
        )
    )
    got = team_on(agents, days, MOVES)
    assert got.tolist()[:3] == ["售前一组", "售后一组", "售前一组"]
    assert pd.isna(got.iloc[3]) and got.iloc[4] == "售前一组" and pd.isna(got.iloc[5])
    assert pd.isna(got.iloc[6])


def test_overlapping_periods_are_refused():
    with pytest.raises(ValueError, match="overlap"):
        team_on(
            pd.Series(["A"]),
            pd.Series(pd.to_datetime(["2026-03-01"])),
            [Membership("A", "x", date(2026, 1, 1)), Membership("A", "y", date(2026, 3, 1))],
        )


# A transfer on 16 March 2026 (a month of 31 days): the old team to the 15th, the new one on.
TRANSFER = [
    Membership("A", "售后一组", date(2026, 1, 1), date(2026, 3, 15)),
    Membership("A", "售后二组", date(2026, 3, 16)),
]


def test_a_transfer_splits_the_month_by_calendar_days():
    old = days_in_team(TRANSFER, "A", "售后一组", "2026-03")
    new = days_in_team(TRANSFER, "A", "售后二组", "2026-03")
    assert (old, new) == (DaysInTeam(15, 31), DaysInTeam(16, 31))
    assert old.share("calendar") == 15 / 31 and new.share("calendar") == 16 / 31
    assert days_in_team(TRANSFER, "A", "售后三组", "2026-03") == DaysInTeam(0, 31)
    # The month before and after: wholly in one team.
    assert days_in_team(TRANSFER, "A", "售后一组", "2026-02") == DaysInTeam(28, 28)
    assert days_in_team(TRANSFER, "A", "售后二组", "2026-04") == DaysInTeam(30, 30)


def test_leavers_joiners_and_agents_without_periods():
    leaver = [Membership("B", "售后一组", date(2025, 6, 1), date(2026, 3, 20))]
    joiner = [Membership("C", "售后一组", date(2026, 3, 10))]
    assert days_in_team(leaver, "B", "售后一组", "2026-03") == DaysInTeam(20, 31)  # 1..20
    assert days_in_team(joiner, "C", "售后一组", "2026-03") == DaysInTeam(22, 31)  # 10..31
    # No period of their own (another agent's do not count): the whole month, share 1.
    assert days_in_team(leaver + joiner, "D", "售后一组", "2026-03") == DaysInTeam(31, 31)
    assert days_in_team(leaver, None, "售后一组", "2026-03").share("calendar") == 1.0
    # No team named on Settings: days in any period count.
    assert days_in_team(TRANSFER + leaver, "A", None, "2026-03") == DaysInTeam(31, 31)
    assert days_in_team(leaver, "B", None, "2026-03") == DaysInTeam(20, 31)


def test_working_days_follow_the_holidays_and_make_up_days():
    """February 2026: Spring Festival off 16-20 and 23 February, make-up working Saturdays
    14 and 28 February. Working days: 2-6, 9-13 (10), 14 (1), 24-27 (4), 28 (1) = 16.
    Moving to 售后二组 on Saturday 14 February: 10 working days in the old team, 6 in the new
    (the make-up Saturdays count, the holiday week does not); by calendar 13 and 15 of 28."""
    periods = [
        Membership("A", "售后一组", date(2026, 1, 1), date(2026, 2, 13)),
        Membership("A", "售后二组", date(2026, 2, 14)),
    ]
    old = days_in_team(periods, "A", "售后一组", "2026-02", "workdays")
    new = days_in_team(periods, "A", "售后二组", "2026-02", "workdays")
    assert (old, new) == (DaysInTeam(10, 16), DaysInTeam(6, 16))
    assert new.share("workdays") == 0.375
    assert days_in_team(periods, "A", "售后二组", "2026-02") == DaysInTeam(15, 28)
    # No pro-rating: calendar days are shown, the share is 1.
    none = days_in_team(periods, "A", "售后二组", "2026-02", "none")
    assert none == DaysInTeam(15, 28) and none.share("none") == 1.0
    # The Holidays sheet's days off and working days change the count.
    off = WorkCalendar(extra_holidays=[date(2026, 2, 27)])  # a Friday in the new team
    on = WorkCalendar(extra_workdays=[date(2026, 2, 21)])  # a Saturday in the holiday week
    assert days_in_team(periods, "A", "售后二组", "2026-02", "workdays", off) == DaysInTeam(5, 15)
    assert days_in_team(periods, "A", "售后二组", "2026-02", "workdays", on) == DaysInTeam(7, 17)


def test_a_month_without_a_day_to_count_is_not_prorated():
    assert DaysInTeam(0, 0).share("workdays") == 1.0
    with pytest.raises(ValueError, match="rule"):
        days_in_team([], "A", None, "2026-03", "weeks")  # type: ignore[arg-type]


@given(st.lists(st.sampled_from(["小美", "王强", "强哥", "x", "李娜", "旗舰店:小美"]), max_size=40))
def test_every_row_is_resolved_or_reported(names):
    got = resolve(pd.Series(names, dtype=object), table())
    for name, agent in zip(names, got.agent_id, strict=True):
        assert (not pd.isna(agent)) or name in got.unknown or name in got.ambiguous


# ------------------------------------------------------------------ agents of one name
def _keys(names, ids):
    got = agent_keys(
        None if names is None else pd.Series(names, dtype="string"), pd.Series(ids, dtype="string")
    )
    return None if got is None else got.tolist()


def test_two_agents_of_one_name_are_told_apart_by_their_id():
    names = ["张伟", "张伟", "李娜", "张伟", "张伟"]
    ids = ["1023", "1024", "1025", "1023", None]
    # The row without an id keeps the plain name: the data does not say which 张伟 it is.
    assert _keys(names, ids) == ["张伟 (1023)", "张伟 (1024)", "李娜", "张伟 (1023)", "张伟"]


def test_unique_names_keep_their_plain_name():
    assert _keys(["张伟", "李娜", None, "李娜"], ["1023", "1025", None, None]) is None
    assert _keys(["张伟"], [None]) is None  # an empty id column changes nothing


def test_an_id_is_one_agent_whatever_its_rows_call_it():
    names = ["张伟", "zhang wei", "张伟", None]
    ids = ["1023", "1023", "1023", "1023"]
    assert _keys(names, ids) == ["张伟"] * 4  # the name most rows give; a blank name too
    # Without a name column the id is the agent.
    assert _keys(None, ["1023", None, "1024"]) == ["1023", pd.NA, "1024"]
    # A tie goes to the name first in code-point order.
    assert _keys(["B", "A"], ["7", "7"]) == ["A", "A"]


def test_shown_names_mark_only_the_names_two_ids_share():
    shown = shown_names(
        {"A01": "张伟", "A02": "张伟", "A03": "李娜", "A04": "ＺＨＡＮＧ wei", "A05": "zhang wei"}
    )
    assert shown == {
        "A01": "张伟 (A01)",
        "A02": "张伟 (A02)",
        "A03": "李娜",
        "A04": "ＺＨＡＮＧ wei (A04)",  # names compare as spellings (NFKC, case)
        "A05": "zhang wei (A05)",
    }
