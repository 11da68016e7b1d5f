"""Improvement actions and their before/after comparison (pandas-free rules).

The plans require a 3-month observation window after each improvement action (e.g. smart
routing should cut the 9-11 peak queue time by 30%). For an action starting on day S:

- before = the KPI over tickets created in [EDATE(S, -3), S - 1];
- after = the KPI over tickets created in [S, EDATE(S, 3) - 1] (the observation window);
- change = (after - before) / before (None when either is missing or before is 0);
- status: 观察中 while the as-of date is inside the window (as-of <= its last day), then
  已达成 when the change reaches the target change in its direction (a negative target is a
  cut: change <= target; otherwise change >= target; inclusive), else 未达成; 无数据 when the
  change cannot be computed, 无目标 without a target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from csxl.domain.excel_math import edate

OBSERVATION_MONTHS = 3
STATUSES = ("watching", "met", "missed", "no_data", "no_target")
STATUS_LABELS = {
    "zh": dict(zip(STATUSES, ("观察中", "已达成", "未达成", "无数据", "无目标"), strict=True)),
    "en": dict(zip(STATUSES, ("Watching", "Met", "Missed", "No data", "No target"), strict=True)),
}


@dataclass(frozen=True)
class Action:
    action: str | None = None
    kpi: str | None = None  # a KPI key of csxl.domain.catalog
    start: date | None = None
    target_change: float | None = None  # e.g. -0.3 for a 30% cut
    owner: str | None = None
    # Filled by refresh: the KPI before and after, and the tickets behind each.
    before: float | None = None
    after: float | None = None
    before_tickets: int | None = None
    after_tickets: int | None = None


DEFAULT_ACTIONS = {
    "zh": (Action("智能路由上线：高峰时段按技能分配", "peak_queue_mean", None, -0.3, "运营"),),
    "en": (Action("Smart routing for the peak hours", "peak_queue_mean", None, -0.3, "Ops"),),
}


def windows(start: date, months: int = OBSERVATION_MONTHS) -> tuple[tuple[date, date], ...]:
    """(before window, after window), both days included."""
    one = timedelta(days=1)
    return (edate(start, -months), start - one), (start, edate(start, months) - one)


def change(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return (after - before) / before


def status(
    start: date | None, as_of: date, change_: float | None, target: float | None
) -> str | None:
    if start is None:
        return None
    if as_of <= windows(start)[1][1]:
        return "watching"
    if target is None:
        return "no_target"
    if change_ is None:
        return "no_data"
    met = change_ <= target if target < 0 else change_ >= target
    return "met" if met else "missed"
