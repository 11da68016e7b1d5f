"""The words of the plan's scoring drop-downs (a KPI's direction on Goals, the points mode
and the bonus pro-rating on Incentives): the sheets that offer them and the formulas on
other sheets that compare a cell with them share these."""

from __future__ import annotations

from csxl.domain.scoring import Target

DIRECTIONS = {"zh": ("越高越好", "越低越好"), "en": ("Higher is better", "Lower is better")}
MODE_LABELS = {"zh": {"step": "阶梯", "linear": "线性"}, "en": {"step": "step", "linear": "linear"}}
# The bonus pro-rating rule (csxl.domain.identity.days_in_team), as the drop-down shows it.
PRORATION_LABELS = {
    "zh": {"calendar": "按日历天数", "workdays": "按工作日", "none": "不折算"},
    "en": {"calendar": "Calendar days", "workdays": "Working days", "none": "No pro-rating"},
}


def direction_label(lang: str, target: Target) -> str:
    return DIRECTIONS[lang][0 if target.direction == "higher" else 1]


def mode_label(lang: str, mode: str) -> str:
    return MODE_LABELS[lang][mode]


def proration_label(lang: str, rule: str) -> str:
    return PRORATION_LABELS[lang][rule]
