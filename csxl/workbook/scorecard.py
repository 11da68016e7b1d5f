"""What an agent's 考核表 (`csxl export-agent-sheets`) takes from a refreshed plan: the
agent's month as the plan holds it. The command fills a list of `AgentCard` by asking each
sheet's module (`Room.scorecards`: Scores makes the cards, Audit adds the adjustments);
`csxl.agent_sheets` writes each card's workbook."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class KpiLine:
    key: str
    label: str
    fmt: str
    value: float | None
    baseline: float
    stretch: float
    challenge: float
    weight: float
    tier: str | None
    points: float | None


@dataclass
class AgentCard:
    """One agent's month as the plan's Scores sheet holds it."""

    agent: str
    group: str | None
    tickets: int
    answered: int
    kpis: list[KpiLine]
    score: float | None
    grade: str | None
    bonus: float | None
    escalated: int | None  # None: the export has no escalation column
    deductions: float | None
    red_lines: int
    award: str
    appeal: str | None
    complaints: list[tuple[object, ...]] = field(default_factory=list)
    # The bonus pro-rating for a month partly in the team: share, days in the team, days of
    # the month (as Scores holds them; None when not counted).
    share: float | None = None
    days: tuple[object, object] | None = None
    # Approved appeals applied to this month (kind, ticket or KPI, from, to, reason,
    # approver), from the Audit log of the refresh that wrote Scores.
    adjustments: list[tuple[object, ...]] = field(default_factory=list)


def number(value: object) -> float | None:
    """A cached cell value as a number (None for text, blanks and booleans)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def unit_format(unit: str) -> str:
    """The number format a card shows a KPI of this unit in."""
    from csxl.workbook import style

    return {"ratio": style.PERCENT, "seconds": style.SECONDS, "count": style.INTEGER}.get(
        unit, style.NUMBER
    )
