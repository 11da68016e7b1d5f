"""Scoring rules of ../shared/spec/kpis.md, "Targets, tiers, variance and scoring".

Expected values are worked by hand from the spec's definitions and default tables.
"""

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.scoring import (
    DEFAULT_INCENTIVES,
    DEFAULT_TARGETS,
    FLAG_COLOURS,
    TIER_LABELS,
    TIERS,
    Incentives,
    Target,
    awards,
    bonus,
    grade,
    points,
    score_agents,
    tier,
    variance,
    variance_pct,
    weighted_score,
)

T = {t.key: t for t in DEFAULT_TARGETS}
CSAT = T["csat"]
FRT = T["frt_mean"]
REVIEWED = T["bad_review_reviewed"]
AS_OF = date(2026, 3, 31)


# --- defaults --------------------------------------------------------------------------


def test_default_targets_are_the_spec_table():
    rows = [
        (t.key, t.direction, t.weight, t.baseline, t.stretch, t.challenge, t.scored_for)
        for t in DEFAULT_TARGETS
    ]
    both = ("team", "agent")
    assert rows == [
        ("csat", "higher", 30, 0.85, 0.90, 0.95, both),
        ("frt_mean", "lower", 15, 120, 60, 30, both),
        ("fcr", "higher", 20, 0.80, 0.88, 0.95, both),
        ("resolution_rate", "higher", 15, 0.90, 0.95, 0.98, both),
        ("reopen_rate", "lower", 5, 0.10, 0.05, 0.03, both),
        ("survey_response_rate", "higher", 5, 0.28, 0.35, 0.40, both),
        ("complaints_per_10k", "lower", 10, 15, 13.9, 12, ("team",)),
        ("bad_review_reviewed", "higher", 0, 0.90, 1.00, 1.00, ("team",)),
    ]
    assert [t.unit for t in DEFAULT_TARGETS] == ["%", "s", "%", "%", "%", "%", "per 10k", "%"]


def test_labels_and_flag_colours():
    assert TIERS == ("未达标", "保底", "冲刺", "挑战")
    assert TIER_LABELS["zh"] == TIERS
    assert TIER_LABELS["en"] == ("Below baseline", "Baseline", "Stretch", "Challenge")
    assert FLAG_COLOURS == ("red", "amber", "green", "blue")


def test_default_incentives():
    inc = DEFAULT_INCENTIVES
    assert inc.mode == "step"
    assert inc.grades == ("S", "A", "B", "C", "D")
    assert [inc.coefficient(g) for g in inc.grades] == [1.5, 1.2, 1.0, 0.6, 0.0]
    assert inc.base_bonus == 1000.0
    assert inc.deduction_per_escalated == 200.0
    assert inc.bonus_cap == 1500.0
    assert inc.red_line_cap == "C"
    assert inc.star_min_answered_surveys == 30
    assert inc.new_hire_months == 6


# --- targets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"direction": "up"},
        {"weight": -1},
        {"baseline": 0.95, "stretch": 0.90, "challenge": 0.97},  # higher, baseline > stretch
        {"stretch": 0.96},  # higher, stretch > challenge
        {"challenge": float("nan")},
    ],
)
def test_invalid_targets_are_rejected(kwargs):
    with pytest.raises(ValueError):
        replace(CSAT, **kwargs)


def test_lower_targets_must_fall():
    with pytest.raises(ValueError):
        Target("frt_mean", "lower", "s", 15, 60, 120, 30)


# --- tiers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (0.8499, 0),
        (0.85, 1),  # baseline met exactly
        (0.875, 1),
        (0.90, 2),  # stretch met exactly -> 冲刺
        (27 / 30, 2),  # a ratio from the KPI engine that equals 90%
        (0.8999999999, 1),  # compared raw: no tolerance
        (0.95, 3),  # challenge met exactly
        (1.0, 3),
        (0.0, 0),
    ],
)
def test_tier_higher_is_better(actual, expected):
    assert tier(actual, CSAT) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (121, 0),
        (120, 1),  # baseline met exactly
        (61, 1),
        (60, 2),  # stretch met exactly -> 冲刺
        (31, 2),
        (30, 3),  # challenge met exactly
        (0, 3),
    ],
)
def test_tier_lower_is_better(actual, expected):
    assert tier(actual, FRT) == expected


def test_tier_complaints_decimal_target():
    complaints = T["complaints_per_10k"]
    assert tier(13.9, complaints) == 2
    assert tier(14.0, complaints) == 1
    assert tier(15.01, complaints) == 0


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_tier_of_null_is_none(missing):
    assert tier(missing, CSAT) is None
    assert points(missing, CSAT) is None
    assert points(missing, CSAT, "linear") is None
    assert variance(missing, CSAT) is None
    assert variance_pct(missing, CSAT) is None


def test_tier_names_and_colours_by_index():
    assert TIERS[tier(0.90, CSAT)] == "冲刺"
    assert FLAG_COLOURS[tier(121, FRT)] == "red"
    assert FLAG_COLOURS[tier(120, FRT)] == "amber"
    assert FLAG_COLOURS[tier(0.96, CSAT)] == "blue"


# --- variance ------------------------------------------------------------------------------


def test_variance_higher():
    # 0.87 - 0.90 = -0.03; -0.03 / 0.90 = -1/30
    assert variance(0.87, CSAT) == pytest.approx(-0.03)
    assert variance_pct(0.87, CSAT) == pytest.approx(-1 / 30)


def test_variance_lower_is_signed_by_better_or_worse():
    # frt 90 s against a 60 s stretch: 30 s slower, 50% worse: -30 s, -50%
    assert variance(90, FRT) == -30
    assert variance_pct(90, FRT) == -0.5
    assert variance(45, FRT) == 15  # faster than the target: better, +
    assert variance_pct(45, FRT) == 0.25


def test_variance_pct_with_zero_stretch():
    zero = Target("zero_defects", "lower", "count", 1, 2, 0, 0)
    assert variance(1, zero) == -1
    assert variance_pct(1, zero) is None


# --- points --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        (CSAT, 0.84, 0),
        (CSAT, 0.85, 60),
        (CSAT, 0.90, 80),
        (CSAT, 0.95, 100),
        (FRT, 121, 0),
        (FRT, 120, 60),
        (FRT, 61, 60),
        (FRT, 60, 80),
        (FRT, 30, 100),
    ],
)
def test_step_points(target, actual, expected):
    assert points(actual, target) == expected
    assert points(actual, target, "step") == expected


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        (CSAT, 0.84, 0),  # below baseline
        (CSAT, 0.85, 60),
        (CSAT, 0.875, 70),  # halfway 85% -> 90%: 60 + 20 x 1/2
        (CSAT, 0.90, 80),
        (CSAT, 0.925, 90),  # halfway 90% -> 95%: 80 + 20 x 1/2
        (CSAT, 0.95, 100),
        (CSAT, 0.99, 100),  # beyond challenge: capped
        (FRT, 121, 0),
        (FRT, 120, 60),
        (FRT, 90, 70),  # halfway 120 s -> 60 s
        (FRT, 60, 80),
        (FRT, 45, 90),  # halfway 60 s -> 30 s
        (FRT, 30, 100),
        (FRT, 5, 100),  # capped
    ],
)
def test_linear_points(target, actual, expected):
    assert points(actual, target, "linear") == pytest.approx(expected)


def test_equal_stretch_and_challenge():
    # bad_review_reviewed: 90% / 100% / 100%. Meeting 100% meets the challenge.
    assert tier(1.0, REVIEWED) == 3
    assert points(1.0, REVIEWED) == 100
    assert points(1.0, REVIEWED, "linear") == 100
    # halfway 90% -> 100%: 60 + 20 x 1/2
    assert points(0.95, REVIEWED, "linear") == pytest.approx(70)
    assert points(0.90, REVIEWED, "linear") == 60
    assert points(0.89, REVIEWED, "linear") == 0


def test_all_targets_equal():
    flat = Target("x", "higher", "%", 1, 0.5, 0.5, 0.5)
    assert points(0.5, flat, "linear") == 100
    assert points(0.49, flat, "linear") == 0


def test_equal_baseline_and_stretch_lower():
    # 60 / 60 / 30 s: 60 s is the stretch already; 45 s is halfway to the challenge.
    target = Target("frt_mean", "lower", "s", 15, 60, 60, 30)
    assert points(60, target, "linear") == 80
    assert points(45, target, "linear") == pytest.approx(90)
    assert points(61, target, "linear") == 0


def test_unknown_mode():
    with pytest.raises(ValueError):
        points(0.9, CSAT, "curve")  # type: ignore[arg-type]


# --- weighted score ------------------------------------------------------------------------

AGENT_WEIGHTS = {t.key: t.weight for t in DEFAULT_TARGETS if "agent" in t.scored_for}


def test_weighted_score_null_kpi_drops_out():
    pts = {
        "csat": None,  # no answered surveys
        "frt_mean": 80,
        "fcr": 100,
        "resolution_rate": 60,
        "reopen_rate": 80,
        "survey_response_rate": 0,
    }
    # 15x80 + 20x100 + 15x60 + 5x80 + 5x0 = 1200 + 2000 + 900 + 400 + 0 = 4500
    # weights with a value: 15 + 20 + 15 + 5 + 5 = 60 (csat's 30 drops out); 4500 / 60 = 75
    assert weighted_score(pts, AGENT_WEIGHTS) == 75.0
    # with csat at 100: (4500 + 3000) / 90 = 83.333... -> 83.33
    assert weighted_score({**pts, "csat": 100}, AGENT_WEIGHTS) == 83.33


def test_weighted_score_rounds_like_excel():
    # (80 + 80.01) / 2 = 80.005: Excel's ROUND gives 80.01 (Python's round gives 80.0)
    assert weighted_score({"a": 80, "b": 80.01}, {"a": 1, "b": 1}) == 80.01
    # 200 / 3 = 66.666... -> 66.67
    assert weighted_score({"a": 100, "b": 0}, {"a": 2, "b": 1}) == 66.67


def test_weighted_score_none_when_nothing_weighted_has_a_value():
    assert weighted_score({"csat": None, "fcr": float("nan")}, AGENT_WEIGHTS) is None
    assert weighted_score({}, AGENT_WEIGHTS) is None
    # bad_review_reviewed has weight 0: its points alone make no score
    assert weighted_score({"bad_review_reviewed": 100}, {"bad_review_reviewed": 0}) is None


def test_weighted_score_ignores_unweighted_and_unknown_kpis():
    # weight-0 KPI and a KPI absent from the weights change nothing: 80
    pts = {"csat": 80, "bad_review_reviewed": 0, "aht": 0}
    assert weighted_score(pts, {"csat": 30, "bad_review_reviewed": 0}) == 80.0


# --- grades --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, "S"),
        (95, "S"),  # exactly 95
        (94.99, "A"),
        (85, "A"),
        (84.99, "B"),
        (70, "B"),
        (69.99, "C"),
        (60, "C"),
        (59.99, "D"),
        (0, "D"),
        (None, None),
        (float("nan"), None),
    ],
)
def test_grade_bands(score, expected):
    assert grade(score, DEFAULT_INCENTIVES) == expected


def test_grade_uses_the_shown_two_decimal_score():
    # 94.995 is shown as 95.00 (Excel ROUND), so it is an S, as the workbook's cell says
    assert grade(94.995, DEFAULT_INCENTIVES) == "S"
    assert grade(84.994, DEFAULT_INCENTIVES) == "B"


@pytest.mark.parametrize(
    ("score", "expected"),
    [(96, "C"), (90, "C"), (75, "C"), (65, "C"), (50, "D"), (None, None)],
)
def test_red_line_caps_at_c(score, expected):
    assert grade(score, DEFAULT_INCENTIVES, red_line=True) == expected


def test_red_line_cap_is_configurable():
    inc = replace(DEFAULT_INCENTIVES, red_line_cap="B")
    assert grade(96, inc, red_line=True) == "B"
    assert grade(65, inc, red_line=True) == "C"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"red_line_cap": "E"},
        {"coefficients": (("S", 1.5), ("A", 1.2))},
        {"grade_bands": (("S", 60.0), ("A", 85.0))},
        {"mode": "curve"},
    ],
)
def test_invalid_incentives_are_rejected(kwargs):
    with pytest.raises(ValueError):
        replace(DEFAULT_INCENTIVES, **kwargs)


# --- bonus ---------------------------------------------------------------------------------


def test_bonus_by_grade():
    inc = DEFAULT_INCENTIVES
    assert bonus("S", inc) == 1500.0  # 1000 x 1.5, exactly the cap
    assert bonus("A", inc) == 1200.0
    assert bonus("B", inc) == 1000.0
    assert bonus("C", inc) == 600.0
    assert bonus("D", inc) == 0.0


def test_bonus_deductions():
    inc = DEFAULT_INCENTIVES
    assert bonus("A", inc, escalated=1) == 1000.0  # 1000 x 1.2 - 200
    assert bonus("C", inc, escalated=4) == 0.0  # 600 - 800 -> floor 0, not -200
    assert bonus("D", inc, escalated=1) == 0.0  # 0 - 200 -> 0, not negative
    assert bonus("B", inc, escalated=1, other_deductions=50.5) == 749.5  # 1000 - 200 - 50.5


def test_bonus_cap():
    # S coefficient 2.0 would pay 2000; the cap is 1.5 x 1000 = 1500
    inc = Incentives(coefficients=(("S", 2.0), ("A", 1.2), ("B", 1.0), ("C", 0.6), ("D", 0.0)))
    assert bonus("S", inc) == 1500.0
    # 2000 - 200 = 1800: deductions come off before the cap, so still 1500
    assert bonus("S", inc, escalated=1) == 1500.0


def test_bonus_rounds_to_cents():
    inc = replace(DEFAULT_INCENTIVES, base_bonus=999.99)
    assert bonus("C", inc) == 599.99  # 999.99 x 0.6 = 599.994


def test_bonus_prorated_by_the_share_of_the_month():
    """Six of 16 working days in the team (0.375): the earned amount and the cap are
    pro-rated, an escalation's deduction is not."""
    inc = DEFAULT_INCENTIVES
    share = 6 / 16
    assert bonus("A", inc, share=share) == 450.0  # 1000 x 1.2 x 0.375
    assert bonus("A", inc, escalated=1, share=share) == 250.0  # 450 - 200 in full
    assert bonus("C", inc, escalated=2, share=share) == 0.0  # 225 - 400: floor 0
    cap = replace(inc, coefficients=(("S", 2.0), ("A", 1.2), ("B", 1.0), ("C", 0.6), ("D", 0.0)))
    assert bonus("S", cap, share=share) == 562.5  # 2000 x 0.375 = 750, capped at 1500 x 0.375
    assert bonus("A", inc, share=15 / 31) == 580.65  # 1200 x 15 / 31 = 580.645...
    assert bonus("A", inc, share=1.0) == bonus("A", inc) == 1200.0
    assert bonus("A", inc, share=0.0) == 0.0
    with pytest.raises(ValueError):
        bonus("A", inc, share=1.5)


def test_bonus_without_grade_and_bad_input():
    assert bonus(None, DEFAULT_INCENTIVES, escalated=2) == 0.0
    with pytest.raises(ValueError):
        bonus("A", DEFAULT_INCENTIVES, escalated=-1)


# --- score_agents --------------------------------------------------------------------------


def agent_kpis() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "csat": [0.92, None, 0.97],
            "frt_mean": [45.0, 30.0, 20.0],
            "fcr": [0.95, 0.88, 0.96],
            "resolution_rate": [0.98, 0.95, 0.99],
            "reopen_rate": [0.03, 0.05, 0.0],
            "survey_response_rate": [0.40, 0.0, 0.5],
            "complaints_per_10k": [99.0, 99.0, 99.0],  # team-only: ignored for agents
            "tickets": [300, 250, 280],
            "answered_surveys": [60, 0, 45],
            "escalated": [1, 0, 2],
            "red_line": [False, False, True],
        },
        index=pd.Index(["张三", "李四", "王五"], name="agent"),
    )


def test_score_agents_step():
    scored = score_agents(agent_kpis(), DEFAULT_TARGETS, DEFAULT_INCENTIVES)
    assert list(scored.index) == ["张三", "李四", "王五"]
    assert "complaints_per_10k_points" not in scored.columns
    assert "bad_review_reviewed_tier" not in scored.columns

    zhang = scored.loc["张三"]
    # tiers: csat 92% 冲刺, frt 45 s 冲刺, the rest at challenge
    assert zhang["csat_tier"] == 2
    assert zhang["frt_mean_tier"] == 2
    assert zhang["fcr_tier"] == 3
    # 30x80 + 15x80 + 20x100 + 15x100 + 5x100 + 5x100 = 8100; / 90 = 90.0 -> A
    assert zhang["weighted_score"] == 90.0
    assert zhang["grade"] == "A"
    assert zhang["deductions"] == 200.0
    assert zhang["bonus"] == 1000.0  # 1200 - 200

    li = scored.loc["李四"]
    assert pd.isna(li["csat_tier"])
    assert pd.isna(li["csat_points"])
    # 15x100 + 20x80 + 15x80 + 5x80 + 5x0 = 4700; / 60 (no csat) = 78.333 -> 78.33 -> B
    assert li["weighted_score"] == 78.33
    assert li["grade"] == "B"
    assert li["bonus"] == 1000.0

    wang = scored.loc["王五"]
    # every KPI at challenge: 100 -> S, but a red line caps it at C: 600 - 2 x 200 = 200
    assert wang["weighted_score"] == 100.0
    assert wang["grade"] == "C"
    assert bool(wang["red_line"]) is True
    assert wang["deductions"] == 400.0
    assert wang["bonus"] == 200.0


def test_score_agents_linear():
    inc = replace(DEFAULT_INCENTIVES, mode="linear")
    scored = score_agents(agent_kpis(), DEFAULT_TARGETS, inc)
    zhang = scored.loc["张三"]
    # csat 92%: 80 + 20 x 2/5 = 88; frt 45 s: 90; the rest 100
    assert zhang["csat_points"] == pytest.approx(88)
    assert zhang["frt_mean_points"] == pytest.approx(90)
    # 30x88 + 15x90 + 20x100 + 15x100 + 5x100 + 5x100 = 2640 + 1350 + 4500 = 8490; /90 = 94.333
    assert zhang["weighted_score"] == 94.33
    assert zhang["grade"] == "A"


def test_score_team_scope_uses_team_only_kpis():
    teams = pd.DataFrame(
        {
            "csat": [0.90],
            "complaints_per_10k": [16.0],  # worse than baseline 15: 0 points
            "bad_review_reviewed": [0.5],  # weight 0: tracked, no effect
            "tickets": [1000],
        },
        index=["售后一组"],
    )
    scored = score_agents(teams, DEFAULT_TARGETS, DEFAULT_INCENTIVES, scope="team")
    row = scored.loc["售后一组"]
    assert row["complaints_per_10k_tier"] == 0
    assert row["bad_review_reviewed_tier"] == 0
    # (30x80 + 10x0) / (30 + 10) = 2400 / 40 = 60 -> C; the weight-0 KPI adds nothing
    assert row["weighted_score"] == 60.0
    assert row["grade"] == "C"
    assert bool(row["red_line"]) is False  # no red_line column: no red line
    assert row["deductions"] == 0.0


def test_score_agents_missing_kpi_column_is_null():
    kpis = pd.DataFrame({"frt_mean": [60.0], "tickets": [10]}, index=["Amy"])
    scored = score_agents(kpis, DEFAULT_TARGETS, DEFAULT_INCENTIVES)
    assert pd.isna(scored.loc["Amy", "csat_points"])
    assert scored.loc["Amy", "weighted_score"] == 80.0  # only frt counts


def test_score_agents_without_any_value():
    kpis = pd.DataFrame({"csat": [None], "tickets": [0]}, index=["Amy"])
    scored = score_agents(kpis, DEFAULT_TARGETS, DEFAULT_INCENTIVES)
    assert pd.isna(scored.loc["Amy", "weighted_score"])
    assert scored.loc["Amy", "grade"] is None
    assert scored.loc["Amy", "bonus"] == 0.0


def test_score_agents_new_hire_flag():
    kpis = agent_kpis()
    kpis["hire_date"] = [date(2025, 9, 30), date(2025, 10, 1), None]
    scored = score_agents(kpis, DEFAULT_TARGETS, DEFAULT_INCENTIVES, as_of=AS_OF)
    # 2026-03-31 minus 6 months = 2025-09-30; tenure under 6 months means hired after it
    assert scored["new_hire"].tolist() == [False, True, False]


def test_score_agents_empty():
    scored = score_agents(agent_kpis().iloc[:0], DEFAULT_TARGETS, DEFAULT_INCENTIVES)
    assert len(scored) == 0
    assert {"csat_tier", "csat_points", "weighted_score", "grade", "bonus"} <= set(scored)


# --- awards --------------------------------------------------------------------------------


def scored_frame(rows: dict[str, dict]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index")


def test_star_needs_enough_answered_surveys():
    scored = scored_frame(
        {
            "Amy": {"csat": 0.99, "answered_surveys": 29, "tickets": 400, "weighted_score": 90},
            "张三": {"csat": 0.93, "answered_surveys": 30, "tickets": 200, "weighted_score": 95},
            "王五": {"csat": 0.91, "answered_surveys": 80, "tickets": 300, "weighted_score": 80},
        }
    )
    result = awards(scored, DEFAULT_INCENTIVES, AS_OF)
    assert result["服务明星"] == "张三"  # Amy's 99% rests on 29 surveys
    assert result["岗位能手"] == "张三"
    assert result["新锐标兵"] is None  # no hire dates: nobody is a new hire


def test_ties_go_to_more_tickets_then_code_point_order():
    scored = scored_frame(
        {
            "王五": {"csat": 0.95, "answered_surveys": 40, "tickets": 200, "weighted_score": 88},
            "张三": {"csat": 0.95, "answered_surveys": 40, "tickets": 200, "weighted_score": 88},
            "李四": {"csat": 0.95, "answered_surveys": 40, "tickets": 150, "weighted_score": 88},
        }
    )
    result = awards(scored, DEFAULT_INCENTIVES, AS_OF)
    # 王五 and 张三 tie on value and tickets; 张 (U+5F20) < 王 (U+738B) in code points,
    # although 王 (wang) comes first in pinyin order. 李四 has fewer tickets.
    assert result["服务明星"] == "张三"
    assert result["岗位能手"] == "张三"


def test_tie_more_tickets_wins():
    scored = scored_frame(
        {
            "Amy": {"csat": 0.95, "answered_surveys": 40, "tickets": 100, "weighted_score": 88},
            "Bob": {"csat": 0.95, "answered_surveys": 40, "tickets": 101, "weighted_score": 88},
        }
    )
    result = awards(scored, DEFAULT_INCENTIVES, AS_OF)
    assert result["服务明星"] == "Bob"
    assert result["岗位能手"] == "Bob"


def test_rookie_tenure_under_six_months():
    scored = scored_frame(
        {
            "老员工": {"weighted_score": 99, "tickets": 500, "hire_date": date(2020, 1, 1)},
            "满六月": {"weighted_score": 95, "tickets": 300, "hire_date": date(2025, 9, 30)},
            "新人甲": {"weighted_score": 80, "tickets": 100, "hire_date": date(2025, 10, 1)},
            "新人乙": {"weighted_score": 75, "tickets": 200, "hire_date": date(2026, 2, 1)},
            "无日期": {"weighted_score": 90, "tickets": 200, "hire_date": None},
        }
    )
    result = awards(scored, DEFAULT_INCENTIVES, AS_OF)
    # as of 2026-03-31, six months back is 2025-09-30: hired that day is exactly 6 months
    assert result["新锐标兵"] == "新人甲"
    assert result["岗位能手"] == "老员工"
    assert result["服务明星"] is None  # no csat column


def test_rookie_month_end_clamp():
    # as of 2026-08-31, EDATE(-6) is 2026-02-28
    scored = scored_frame(
        {
            "甲": {"weighted_score": 90, "tickets": 10, "hire_date": date(2026, 2, 28)},
            "乙": {"weighted_score": 70, "tickets": 10, "hire_date": date(2026, 3, 1)},
        }
    )
    assert awards(scored, DEFAULT_INCENTIVES, date(2026, 8, 31))["新锐标兵"] == "乙"


def test_awards_skip_nulls_and_unassigned():
    scored = pd.DataFrame(
        {
            "csat": [1.0, None, 0.9],
            "answered_surveys": [100, 100, 40],
            "tickets": [900, 800, 10],
            "weighted_score": [100.0, 99.0, None],
        },
        index=[None, "Amy", "Bob"],
    )
    result = awards(scored, DEFAULT_INCENTIVES, AS_OF)
    assert result["服务明星"] == "Bob"  # the unassigned row never wins, Amy has no csat
    assert result["岗位能手"] == "Amy"


def test_awards_from_score_agents():
    kpis = agent_kpis()
    kpis["hire_date"] = [date(2025, 12, 1), date(2026, 1, 1), date(2019, 5, 1)]
    scored = score_agents(kpis, DEFAULT_TARGETS, DEFAULT_INCENTIVES, as_of=AS_OF)
    # scores: 张三 90, 李四 78.33, 王五 100 (red line caps the grade, not the score)
    assert awards(scored, DEFAULT_INCENTIVES, AS_OF) == {
        "服务明星": "王五",  # csat 97% on 45 surveys; 李四 has none
        "岗位能手": "王五",
        "新锐标兵": "张三",
    }


# --- properties ----------------------------------------------------------------------------

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def targets(draw):
    direction = draw(st.sampled_from(["higher", "lower"]))
    three = sorted(draw(st.lists(values, min_size=3, max_size=3)))
    if direction == "lower":
        three.reverse()
    weight = draw(st.floats(min_value=0, max_value=1000))
    return Target("k", direction, "u", weight, *three)


modes = st.sampled_from(["step", "linear"])


@given(target=targets(), a=values, b=values, mode=modes)
def test_points_monotone_in_direction(target, a, b, mode):
    better, worse = (max(a, b), min(a, b))
    if target.direction == "lower":
        better, worse = worse, better
    assert points(better, target, mode) >= points(worse, target, mode)


@given(target=targets(), actual=values)
def test_linear_points_range(target, actual):
    value = points(actual, target, "linear")
    if target.direction == "higher":
        reached = actual >= target.baseline
    else:
        reached = actual <= target.baseline
    if reached:
        assert 60 <= value <= 100
    else:
        assert value == 0


@given(target=targets(), actual=values)
def test_linear_points_between_step_and_next_step(target, actual):
    step = points(actual, target, "step")
    linear = points(actual, target, "linear")
    assert step <= linear <= min(100, step + 20)
    if step in (0, 100):
        assert linear == step


@given(
    entries=st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.tuples(
            st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
            st.floats(min_value=0, max_value=1000),
        ),
        max_size=8,
    )
)
def test_weighted_score_range(entries):
    pts = {k: p for k, (p, _) in entries.items()}
    weights = {k: w for k, (_, w) in entries.items()}
    score = weighted_score(pts, weights)
    has_value = any(p is not None and w > 0 for p, w in entries.values())
    if not has_value:
        assert score is None
    else:
        assert 0 <= score <= 100
        assert score == round(score, 2)
