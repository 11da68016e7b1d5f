"""People: promotion readiness from monthly grades, training completion, knowledge-base flags.

Promotion readiness (default rule of the plans): in the last three months up to and
including the month looked at, at least two grades of A or better and no red-line hit. A
month with no grade (not yet hired, on leave, not scored) counts as not A; the rule is
editable (months, how many, which grade, whether a red line blocks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

GRADES: tuple[str, ...] = ("S", "A", "B", "C", "D")  # best first, as on Incentives
LEVELS = {"zh": ("初级", "中级", "高级"), "en": ("Junior", "Intermediate", "Senior")}


@dataclass(frozen=True)
class PromotionRule:
    months: int = 3
    at_least: int = 2
    grade: str = "A"  # this grade or better
    red_line_blocks: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.at_least <= self.months:
            raise ValueError("the rule needs 1 <= at_least <= months")


# The Team sheet's inputs (csxl.workbook.sheets.team builds and reads them).
KB_TARGETS = (0.90, 0.20)  # script-library coverage, share updated this quarter


@dataclass(frozen=True)
class Member:
    """One agent row of Team as typed, with what refresh found (good_months, ready)."""

    agent: str | None = None
    group: str | None = None
    level: str | None = None
    hired: date | None = None
    planned: tuple[float | None, ...] = (None,) * 4
    done: tuple[float | None, ...] = (None,) * 4
    held: float | None = None
    attended: float | None = None
    good_months: int | None = None  # OWNED
    ready: bool | None = None  # OWNED

    def is_blank(self) -> bool:
        return self == Member()


@dataclass(frozen=True)
class TeamInputs:
    members: tuple[Member, ...] = ()
    rule: PromotionRule = field(default_factory=PromotionRule)
    kb_targets: tuple[float | None, float | None] = KB_TARGETS
    kb: tuple[tuple[float | None, float | None], ...] = ((None, None),) * 4
    evaluated: str | None = None  # OWNED: the month the flags are for


def months_back(month: str, n: int) -> list[str]:
    """The n months ending with `month` (YYYY-MM), oldest first."""
    period = pd.Period(month, freq="M")
    return [str(period - k) for k in range(n - 1, -1, -1)]


def promotion_ready(
    history: pd.DataFrame,
    month: str,
    rule: PromotionRule = PromotionRule(),
    grades: Sequence[str] = GRADES,
) -> dict[str, bool]:
    """Per agent of `history` (columns agent, month, grade, red_lines): ready or not."""
    if rule.grade not in grades:
        raise ValueError(f"grade {rule.grade!r} is not one of {', '.join(grades)}")
    window = months_back(month, rule.months)
    good = set(grades[: list(grades).index(rule.grade) + 1])
    recent = history[history["month"].astype(str).isin(window)]
    out: dict[str, bool] = {}
    for agent in sorted(history["agent"].dropna().unique()):
        mine = recent[recent["agent"] == agent]
        # One grade per month: the last row of a month wins (a re-scored month).
        by_month = mine.drop_duplicates("month", keep="last")
        count = int(by_month["grade"].isin(good).sum())
        red = pd.to_numeric(by_month.get("red_lines"), errors="coerce").fillna(0).sum() > 0
        out[str(agent)] = count >= rule.at_least and not (rule.red_line_blocks and red)
    return out


def training_completion(planned: float | None, done: float | None) -> float | None:
    """Hours done / hours planned; None when nothing was planned."""
    if not planned or planned <= 0 or done is None:
        return None
    return max(done, 0.0) / planned


def attendance(sessions_held: int, attended: int) -> float | None:
    """Share of the weekly half-day trainings attended; None when none was held."""
    if sessions_held <= 0:
        return None
    return min(max(attended, 0), sessions_held) / sessions_held


def meets(value: float | None, target: float) -> bool | None:
    """A knowledge-base figure (coverage 90%, updated this quarter 20%) against its target."""
    if value is None:
        return None
    return value >= target
