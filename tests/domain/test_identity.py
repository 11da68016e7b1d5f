"""Agent identity: aliases to agent ids, unknown and ambiguous names, teams by date."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.identity import (
    Alias,
    AliasTable,
    Membership,
    prorated,
    resolve,
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


def test_bonus_is_prorated_by_days_in_the_team():
    assert prorated(1000, 15, 31) == pytest.approx(1000 * 15 / 31)
    assert prorated(1000, 16, 31) + prorated(1000, 15, 31) == pytest.approx(1000)
    assert prorated(1000, 40, 31) == 1000 and prorated(1000, -1, 31) == 0


@given(st.lists(st.sampled_from(["小美", "王强", "强哥", "x", "李娜", "旗舰店:小美"]), max_size=40))
def test_every_row_is_resolved_or_reported(names):
    got = resolve(pd.Series(names, dtype=object), table())
    for name, agent in zip(names, got.agent_id, strict=True):
        assert (not pd.isna(agent)) or name in got.unknown or name in got.ambiguous
