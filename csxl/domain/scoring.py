"""Targets, attainment tiers, variance, KPI points, grades, bonus and monthly awards.

Implements ../shared/spec/kpis.md, section "Targets, tiers, variance and scoring", with the
defaults table and bonus defaults that follow it. Every rule here is also written as a live
workbook formula (issue 5), so each one is kept to what IF / INDEX / MATCH / ROUND /
SUMPRODUCT / MIN / MAX can say, and the docstrings give the formula shape it must match.

Conventions where the spec is silent:

- Actuals are compared with targets raw (unrounded, as the KPI engine produces them), with
  no tolerance: 0.8999999 is below a 90% target. Exact equality counts as met.
- Linear points are not rounded; the weighted score is rounded to 2 decimals with Excel's
  rule, and that rounded number is what is shown, graded and awarded.
- A KPI that is null for an agent (None or NaN) has no tier, no points and drops out of the
  weighted score's denominator; an agent with no weighted KPI has no score, no grade and no
  bonus.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

import pandas as pd

from csxl.domain.excel_math import edate, excel_round
from csxl.domain.identity import PRORATIONS
from csxl.domain.reasons import Invalid

Direction = Literal["higher", "lower"]
Mode = Literal["step", "linear"]
Scope = Literal["team", "agent"]

TIERS: tuple[str, ...] = ("未达标", "保底", "冲刺", "挑战")
TIER_LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"zh": TIERS, "en": ("Below baseline", "Baseline", "Stretch", "Challenge")}
)
# Flag colour of each tier, indexed like TIERS.
FLAG_COLOURS: tuple[str, ...] = ("red", "amber", "green", "blue")
STEP_POINTS: tuple[float, ...] = (0.0, 60.0, 80.0, 100.0)
# The Scores flags as Incentives labels them (a manager may retype them).
FLAG_LABELS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"zh": ("红", "黄", "绿", "蓝"), "en": ("Red", "Amber", "Green", "Blue")}
)

STAR = "服务明星"
EXPERT = "岗位能手"
ROOKIE = "新锐标兵"
AWARDS: tuple[str, ...] = (STAR, EXPERT, ROOKIE)


def _missing(value: object) -> bool:
    """None, NaN, pandas NA/NaT: the KPI has no value for this agent or team."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # pd.isna on a list-like: not a scalar value
        return False


@dataclass(frozen=True)
class Target:
    """One Goals row: a KPI's direction, unit, weight and three targets.

    Targets must be ordered in the KPI's direction (baseline no better than stretch, stretch
    no better than challenge; equal targets are allowed), otherwise ``ValueError``.
    """

    key: str
    direction: Direction
    unit: str
    weight: float
    baseline: float
    stretch: float
    challenge: float
    scored_for: tuple[str, ...] = ("team", "agent")

    def __post_init__(self) -> None:
        if self.direction not in ("higher", "lower"):
            raise ValueError(f"{self.key}: direction must be 'higher' or 'lower'")
        numbers = (self.weight, self.baseline, self.stretch, self.challenge)
        if not all(math.isfinite(float(n)) for n in numbers):
            raise Invalid(
                f"{self.key}: weight and targets must be finite numbers",
                f"{self.key}：权重和目标必须是数字",
            )
        if self.weight < 0:
            raise Invalid(f"{self.key}: weight must not be negative", f"{self.key}：权重不能为负数")
        if not (self.met(self.baseline, self.stretch) and self.met(self.stretch, self.challenge)):
            direction = "越高越好" if self.direction == "higher" else "越低越好"
            raise Invalid(
                f"{self.key}: targets must run baseline -> stretch -> challenge in the "
                f"'{self.direction}' direction",
                f"{self.key}：目标必须按 保底 → 冲刺 → 挑战 的顺序（{direction}）",
            )

    def met(self, target_value: float, actual: float) -> bool:
        """Whether ``actual`` meets ``target_value`` in this KPI's direction (equal meets)."""
        if self.direction == "higher":
            return actual >= target_value
        return actual <= target_value


DEFAULT_TARGETS: tuple[Target, ...] = (
    Target("csat", "higher", "%", 30, 0.85, 0.90, 0.95),
    Target("frt_mean", "lower", "s", 15, 120, 60, 30),
    Target("fcr", "higher", "%", 20, 0.80, 0.88, 0.95),
    Target("resolution_rate", "higher", "%", 15, 0.90, 0.95, 0.98),
    Target("reopen_rate", "lower", "%", 5, 0.10, 0.05, 0.03),
    Target("survey_response_rate", "higher", "%", 5, 0.28, 0.35, 0.40),
    Target("complaints_per_10k", "lower", "per 10k", 10, 15, 13.9, 12, ("team",)),
    # Tracked on the dashboard, weight 0: it never moves a score.
    Target("bad_review_reviewed", "higher", "%", 0, 0.90, 1.00, 1.00, ("team",)),
)


def tier(actual: float | None, target: Target) -> int | None:
    """Attainment tier 0..3 (index into TIERS); None when the actual is null.

    Checked from the top: ``IF(met(challenge),3,IF(met(stretch),2,IF(met(baseline),1,0)))``
    with ``>=`` for higher-is-better and ``<=`` for lower-is-better KPIs.
    """
    if _missing(actual):
        return None
    assert actual is not None
    for level, value in ((3, target.challenge), (2, target.stretch), (1, target.baseline)):
        if target.met(value, actual):
            return level
    return 0


def variance(actual: float | None, target: Target) -> float | None:
    """The gap to the stretch target in the KPI's unit, signed by better / worse: ``actual -
    stretch`` for a higher-is-better KPI, ``stretch - actual`` for a lower-is-better one, so
    a positive variance is always good news (a first response 30 s slower than its target is
    -30)."""
    if _missing(actual):
        return None
    assert actual is not None
    gap = actual - target.stretch
    return gap if target.direction == "higher" else target.stretch - actual


def variance_pct(actual: float | None, target: Target) -> float | None:
    """``variance / |stretch|`` (+ better, - worse); None when stretch is 0 or actual null."""
    diff = variance(actual, target)
    if diff is None or target.stretch == 0:
        return None
    return diff / abs(target.stretch)


def points(
    actual: float | None,
    target: Target,
    mode: Mode = "step",
    step_points: tuple[float, ...] = STEP_POINTS,
) -> float | None:
    """KPI points; None when the actual is null.

    step: 0 / 60 / 80 / 100 by tier. linear: 0 below baseline; from baseline to stretch
    ``60 + 20 * (actual - baseline) / (stretch - baseline)``; from stretch to challenge
    ``80 + 20 * (actual - stretch) / (challenge - stretch)``; 100 once challenge is met.
    The same expressions serve lower-is-better KPIs (both differences are negative). A
    fraction is only taken inside a tier, where the actual has met the lower target but not
    the upper one, so the two targets differ and nothing divides by zero (equal targets just
    make that tier empty); the result never leaves [60, 100).
    """
    level = tier(actual, target)
    if level is None:
        return None
    assert actual is not None
    if mode == "step":
        return step_points[level]
    if mode != "linear":
        raise ValueError(f"unknown points mode {mode!r}")
    if level == 3:
        return 100.0
    if level == 2:
        return 80.0 + 20.0 * (actual - target.stretch) / (target.challenge - target.stretch)
    if level == 1:
        return 60.0 + 20.0 * (actual - target.baseline) / (target.stretch - target.baseline)
    return 0.0


def weighted_score(
    points_by_kpi: Mapping[str, float | None], weights: Mapping[str, float]
) -> float | None:
    """``ROUND(SUMPRODUCT(w, p) / SUMPRODUCT(w, ISNUMBER(p)), 2)`` over the KPIs in ``weights``.

    A KPI whose points are null (or absent from ``points_by_kpi``) drops out of both sums.
    None when no KPI with a positive weight has points. The result is rounded to 2 decimals
    with Excel's rule (excel_round) and that rounded number is what gets graded and shown, so
    the workbook's ``ROUND(..., 2)`` cell gives the same grade. Products are summed in the
    order of ``weights`` (the Goals order), as SUMPRODUCT does.
    """
    total = 0.0
    weight_sum = 0.0
    for key, weight in weights.items():
        value = points_by_kpi.get(key)
        if _missing(value) or weight == 0:
            continue
        assert value is not None
        total += weight * value
        weight_sum += weight
    if weight_sum == 0:
        return None
    return excel_round(total / weight_sum, 2)


@dataclass(frozen=True)
class Incentives:
    """The Incentives sheet: points mode, grade bands, coefficients, bonus and award rules.

    ``grade_bands`` runs best first as (grade, minimum score); a score below the last minimum
    gets ``lowest_grade``. ``red_line_cap`` is the best grade a red-line hit allows.
    """

    mode: Mode = "step"
    grade_bands: tuple[tuple[str, float], ...] = (
        ("S", 95.0),
        ("A", 85.0),
        ("B", 70.0),
        ("C", 60.0),
    )
    lowest_grade: str = "D"
    coefficients: tuple[tuple[str, float], ...] = (
        ("S", 1.5),
        ("A", 1.2),
        ("B", 1.0),
        ("C", 0.6),
        ("D", 0.0),
    )
    base_bonus: float = 1000.0
    deduction_per_escalated: float = 200.0
    bonus_cap_multiple: float = 1.5
    red_line_cap: str = "C"
    star_min_answered_surveys: int = 30
    new_hire_months: int = 6
    # How a month spent partly in the team pro-rates the bonus: "calendar" days, China
    # "workdays", or "none" (csxl.domain.identity.days_in_team).
    proration: str = "calendar"

    def __post_init__(self) -> None:
        if self.mode not in ("step", "linear"):
            raise ValueError(f"unknown points mode {self.mode!r}")
        if self.proration not in PRORATIONS:
            raise ValueError(f"unknown pro-rating rule {self.proration!r}")
        minimums = [minimum for _, minimum in self.grade_bands]
        if minimums != sorted(minimums, reverse=True):
            raise Invalid(
                "grade bands must run from the highest minimum score down",
                "各等级的最低分必须从高到低排列",
            )
        grades = self.grades
        if len(set(grades)) != len(grades):
            raise Invalid("grade names must be unique", "等级名称不能重复")
        if self.red_line_cap not in grades:
            raise Invalid(
                f"red-line cap {self.red_line_cap!r} is not a grade",
                f"红线封顶等级“{self.red_line_cap}”不是表中的等级",
            )
        if set(dict(self.coefficients)) != set(grades):
            raise Invalid(
                "every grade needs exactly one coefficient", "每个等级需要且只需要一个系数"
            )

    @property
    def grades(self) -> tuple[str, ...]:
        """Grades from best to worst."""
        return (*(name for name, _ in self.grade_bands), self.lowest_grade)

    @property
    def bonus_cap(self) -> float:
        return self.base_bonus * self.bonus_cap_multiple

    def coefficient(self, grade: str) -> float:
        return dict(self.coefficients)[grade]


DEFAULT_INCENTIVES = Incentives()


def grade(score: float | None, incentives: Incentives, red_line: bool = False) -> str | None:
    """The grade of a weighted score; a red line caps it at ``incentives.red_line_cap``.

    ``IF(score>=95,"S",IF(score>=85,"A",...))`` on the 2-decimal score; the score is rounded
    here too (a no-op on weighted_score's output) so an unrounded caller grades the number
    that is shown. None when the score is null.
    """
    if _missing(score):
        return None
    assert score is not None
    shown = excel_round(score, 2)
    result = incentives.lowest_grade
    for name, minimum in incentives.grade_bands:
        if shown >= minimum:
            result = name
            break
    if red_line:
        order = incentives.grades
        cap = incentives.red_line_cap
        if order.index(result) < order.index(cap):
            result = cap
    return result


def bonus(
    grade: str | None,
    incentives: Incentives,
    escalated: int = 0,
    other_deductions: float = 0.0,
    share: float = 1.0,
) -> float:
    """``ROUND(MIN(cap * share, MAX(0, base * coefficient * share - deductions)), 2)``.

    ``share`` is the part of the month spent in the team (``DaysInTeam.share``): the earned
    amount and the cap are pro-rated, the deductions (escalated x per escalated + other) are
    for incidents and apply in full. No grade (no score) means no bonus: 0.0.
    """
    if escalated < 0 or other_deductions < 0:
        raise ValueError("deductions must not be negative")
    if not 0.0 <= share <= 1.0:
        raise ValueError("the share of the month must be within 0..1")
    if grade is None:
        return 0.0
    # Multiplied in the workbook's order (base x coefficient, then x share) for the same float.
    earned = incentives.base_bonus * incentives.coefficient(grade) * share
    deductions = escalated * incentives.deduction_per_escalated + other_deductions
    return excel_round(min(incentives.bonus_cap * share, max(0.0, earned - deductions)), 2)


def is_new_hire(hire_date: object, as_of: date, months: int) -> bool:
    """Tenure under ``months`` at ``as_of``: ``hire_date > EDATE(as_of, -months)``.

    A missing hire date is not a new hire.
    """
    if _missing(hire_date):
        return False
    hired = pd.Timestamp(hire_date).date()  # type: ignore[arg-type]
    return hired > edate(as_of, -months)


def _count(row: pd.Series, column: str) -> int:
    value = row.get(column)
    return 0 if _missing(value) else int(value)


def score_agents(
    kpis: pd.DataFrame,
    targets: Iterable[Target] = DEFAULT_TARGETS,
    incentives: Incentives = DEFAULT_INCENTIVES,
    scope: Scope = "agent",
    as_of: date | None = None,
) -> pd.DataFrame:
    """Score one row per agent (or team, with ``scope="team"``).

    Input, index = agent name: a column per KPI key (a missing column means null for
    everyone), ``tickets``, ``answered_surveys``, ``escalated`` (count), ``red_line`` (bool),
    optionally ``other_deductions`` (CNY), ``share`` (of the month in the team, for the
    bonus; default 1) and ``hire_date``.

    Output, same index: for each target scored for ``scope``, the actual under its key and
    ``{key}_tier`` (0..3, nullable) and ``{key}_points``; then ``weighted_score``, ``grade``,
    ``bonus``, ``deductions`` (the CNY deducted before the 0 floor and the cap),
    ``red_line``; plus ``tickets``, ``answered_surveys`` and, when present, ``hire_date``
    for awards(); and ``new_hire`` when ``as_of`` is given.
    """
    scored_targets = [t for t in targets if scope in t.scored_for]
    weights = {t.key: t.weight for t in scored_targets}
    rows: list[dict[str, object]] = []
    for _, row in kpis.iterrows():
        out: dict[str, object] = {}
        points_by_kpi: dict[str, float | None] = {}
        for target in scored_targets:
            actual = row.get(target.key)
            actual = None if _missing(actual) else float(actual)
            points_by_kpi[target.key] = points(actual, target, incentives.mode)
            out[target.key] = actual
            out[f"{target.key}_tier"] = tier(actual, target)
            out[f"{target.key}_points"] = points_by_kpi[target.key]
        escalated = _count(row, "escalated")
        other = row.get("other_deductions")
        other = 0.0 if _missing(other) else float(other)
        share = row.get("share")
        share = 1.0 if _missing(share) else float(share)
        flag = row.get("red_line")
        red_line = not _missing(flag) and bool(flag)
        score = weighted_score(points_by_kpi, weights)
        agent_grade = grade(score, incentives, red_line)
        out["weighted_score"] = score
        out["grade"] = agent_grade
        out["bonus"] = bonus(agent_grade, incentives, escalated, other, share)
        out["deductions"] = escalated * incentives.deduction_per_escalated + other
        out["red_line"] = red_line
        out["tickets"] = _count(row, "tickets")
        answered = row.get("answered_surveys")
        out["answered_surveys"] = None if _missing(answered) else int(answered)
        if "hire_date" in kpis.columns:
            out["hire_date"] = row.get("hire_date")
            if as_of is not None:
                out["new_hire"] = is_new_hire(
                    row.get("hire_date"), as_of, incentives.new_hire_months
                )
        elif as_of is not None:
            out["new_hire"] = False
        rows.append(out)

    dtypes: dict[str, str] = {}
    for target in scored_targets:
        dtypes |= {
            target.key: "float64",
            f"{target.key}_tier": "Int64",
            f"{target.key}_points": "float64",
        }
    dtypes |= {
        "weighted_score": "float64",
        "grade": "object",
        "bonus": "float64",
        "deductions": "float64",
        "red_line": "bool",
        "tickets": "int64",
        "answered_surveys": "Int64",
    }
    if "hire_date" in kpis.columns:
        dtypes["hire_date"] = "object"
    if as_of is not None:
        dtypes["new_hire"] = "bool"
    result = pd.DataFrame(rows, index=kpis.index, columns=list(dtypes))
    return result.astype(dtypes)


def _winner(candidates: pd.DataFrame, metric: str) -> str | None:
    """Highest ``metric``; ties go to more tickets, then the name in code-point order."""
    ranked = [
        (-float(row[metric]), -int(row["tickets"]), str(name))
        for name, row in candidates.iterrows()
        if not _missing(name) and not _missing(row[metric])
    ]
    return min(ranked)[2] if ranked else None


def awards(scored: pd.DataFrame, incentives: Incentives, as_of: date) -> dict[str, str | None]:
    """The monthly awards from score_agents' output; None for an award nobody qualifies for.

    服务明星: highest csat among agents with at least ``star_min_answered_surveys`` answered
    surveys. 岗位能手: highest weighted score. 新锐标兵: highest weighted score among agents
    hired after ``EDATE(as_of, -new_hire_months)``. Ties: more tickets, then the agent name
    in Unicode code-point order. The unassigned (null) agent never wins; a red line does not
    exclude anyone.
    """
    frame = scored.copy()
    frame["tickets"] = [_count(row, "tickets") for _, row in frame.iterrows()]

    answered = frame.get("answered_surveys")
    if answered is None or "csat" not in frame.columns:
        star = None
    else:
        enough = answered.fillna(0) >= incentives.star_min_answered_surveys
        star = _winner(frame[enough.astype(bool)], "csat")

    if "hire_date" in frame.columns:
        new = [is_new_hire(h, as_of, incentives.new_hire_months) for h in frame["hire_date"]]
    else:
        new = [False] * len(frame)
    return {
        STAR: star,
        EXPERT: _winner(frame, "weighted_score"),
        ROOKIE: _winner(frame[pd.Series(new, index=frame.index, dtype=bool)], "weighted_score"),
    }
