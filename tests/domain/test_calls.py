"""Call-centre KPIs (csxl/domain/calls.py), hand-checked on ten calls."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.calls import CallSettings, call_kpis

# answered, abandoned, wait_s: one line per call, worked by hand below.
CALLS = [
    (True, False, 5),  # 1 within 20 s
    (True, False, 20),  # 2 exactly 20 s: within
    (True, False, 21),  # 3 just over
    (True, False, 60),  # 4
    (True, False, None),  # 5 answered, wait unknown: not within, not in ASA
    (False, True, 3),  # 6 abandoned after 3 s (short when the threshold is 5 s)
    (False, True, 40),  # 7
    (False, True, 10),  # 8
    (False, False, 90),  # 9 voicemail: offered, neither answered nor abandoned
    (True, False, 0),  # 10 answered at once
]


def frame(rows=CALLS, abandoned=True) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["answered", "abandoned", "wait_s"])
    df["team"] = ["甲"] * 5 + ["乙"] * 5
    return df if abandoned else df.drop(columns="abandoned")


def row(result: pd.DataFrame, key="all") -> dict:
    return result.loc[key].to_dict()


def test_ten_calls_by_hand():
    got = row(call_kpis(frame()))
    assert (got["offered"], got["answered"], got["abandoned"]) == (10, 6, 3)
    assert got["answer_rate"] == pytest.approx(6 / 10)
    assert got["abandon_rate"] == pytest.approx(3 / 10)
    assert got["service_level"] == pytest.approx(3 / 10)  # calls 1, 2 and 10
    assert got["answered_within"] == 3
    assert got["asa_s"] == pytest.approx((5 + 20 + 21 + 60 + 0) / 5)


def test_short_abandons_leave_offered_and_abandoned():
    got = row(call_kpis(frame(), settings=CallSettings(short_abandon_s=5)))
    assert (got["offered"], got["answered"], got["abandoned"]) == (9, 6, 2)
    assert got["answer_rate"] == pytest.approx(6 / 9)
    assert got["abandon_rate"] == pytest.approx(2 / 9)
    assert got["service_level"] == pytest.approx(3 / 9)


def test_without_an_abandoned_column_every_unanswered_call_is_abandoned():
    got = row(call_kpis(frame(abandoned=False)))
    assert got["abandoned"] == 4 and got["abandon_rate"] == pytest.approx(0.4)


def test_by_team_and_a_group_with_nothing_offered_is_none_not_zero():
    rows = [*CALLS, (False, True, 1)]
    df = pd.DataFrame(rows, columns=["answered", "abandoned", "wait_s"])
    df["team"] = ["甲"] * 5 + ["乙"] * 5 + ["丙"]
    got = call_kpis(df, by=["team"], settings=CallSettings(short_abandon_s=2))
    assert row(got, "甲")["service_level"] == pytest.approx(2 / 5)  # calls 1 and 2
    assert row(got, "乙")["offered"] == 5 and row(got, "乙")["service_level"] == pytest.approx(
        1 / 5
    )
    nothing = row(got, "丙")
    assert nothing["offered"] == 0
    assert nothing["answer_rate"] is None and nothing["asa_s"] is None


def test_a_stricter_service_level_target():
    got = row(call_kpis(frame(), settings=CallSettings(sl_seconds=5)))
    assert got["service_level"] == pytest.approx(2 / 10)  # calls 1 (5 s) and 10


calls = st.lists(
    st.tuples(st.booleans(), st.booleans(), st.one_of(st.none(), st.floats(0, 600))),
    min_size=1,
    max_size=60,
)


@given(calls, st.floats(0, 30), st.floats(0, 60))
def test_rates_are_fractions_and_counts_add_up(rows, short, sl):
    got = row(call_kpis(_plain(rows), settings=CallSettings(sl, short)))
    assert got["answered"] + got["abandoned"] <= got["offered"] <= len(rows)
    for key in ("answer_rate", "abandon_rate", "service_level"):
        assert got[key] is None or 0 <= got[key] <= 1
    if got["service_level"] is not None:
        assert got["service_level"] <= got["answer_rate"]


def _plain(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["answered", "abandoned", "wait_s"])


def test_call_groups_all_first_then_code_point_order_blank_last():
    from csxl.domain.calls import call_groups

    df = frame()
    df["agent"] = ["乙", None, "甲", "乙", None, None, None, None, "甲", "甲"]
    df["started_at"] = pd.to_datetime(["2026-03-01 09:00"] * 5 + ["2026-03-02 09:00"] * 5)
    groups = call_groups(df, ("agent", "day", "channel"))  # calls have no channel: skipped
    assert [(g["by"], g["key"]) for g in groups] == [
        ("all", None),
        ("agent", "乙"),
        ("agent", "甲"),
        ("agent", None),
        ("day", "2026-03-01"),
        ("day", "2026-03-02"),
    ]
    assert groups[0]["kpis"] == {k: v for k, v in row(call_kpis(df)).items()}
    assert groups[2]["kpis"]["offered"] == 3  # 甲: calls 3, 9 and 10
    empty = call_groups(df.iloc[:0], ("agent",))
    assert empty == [
        {
            "by": "all",
            "key": None,
            "kpis": {
                "offered": 0, "answered": 0, "abandoned": 0, "answered_within": 0,
                "answer_rate": None, "abandon_rate": None, "service_level": None, "asa_s": None,
            },
        }
    ]  # fmt: skip
