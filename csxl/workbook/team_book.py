"""What the department summary takes from one team plan (cached values as stored), and the
roll-up of the teams. `csxl consolidate` fills a `TeamBook` per plan by asking each sheet's
module (`summarise`); `csxl.summary_book` writes the summary workbook from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TeamBook:
    """What the summary takes from one team workbook (cached values as stored)."""

    file: str
    team: str
    year: object = None
    month: str | None = None  # the refreshed month; None: never refreshed
    last_refresh: object = None
    score: float | None = None
    grade: str | None = None
    kpis: list[dict[str, object]] = field(default_factory=list)
    agents: list[tuple[object, ...]] = field(
        default_factory=list
    )  # agent, group, score, grade, bonus
    budget: list[tuple[object, ...]] = field(default_factory=list)  # category .. flag
    budget_total: tuple[object, ...] | None = None
    risks: list[tuple[object, ...]] = field(default_factory=list)
    overdue: list[tuple[object, ...]] = field(default_factory=list)
    # Parts still holding only the template's example content (never summed: 未填写).
    budget_example: bool = False
    risks_example: bool = False
    milestones_example: bool = False

    @property
    def refreshed(self) -> bool:
        return self.month is not None


@dataclass
class Summary:
    path: Path
    teams: list[TeamBook] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # file, what is wrong

    @property
    def ranking(self) -> list[tuple[int | None, TeamBook]]:
        """Scored teams by weighted score (rank 1 first, ties by name), then the others."""
        scored = sorted(
            (t for t in self.teams if t.score is not None),
            key=lambda t: (-(t.score or 0.0), t.team),
        )
        rest = [t for t in self.teams if t.score is None]
        return [(i, t) for i, t in enumerate(scored, start=1)] + [(None, t) for t in rest]


def sum_numbers(values) -> float:
    """The sum of the numbers among `values` (text, blanks and booleans left out)."""
    return sum(float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool))
