"""One agent's month as refresh computes it (`AgentRow`): the plain data Scores shows and
the steps of other sheets (Appeals, QA, Aliases) adjust, so that those rooms import the
domain rather than each other; and what rows an agent column is resolved on (`RowKind`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas stays out of start-up: identity imports it
    from csxl.domain.identity import DaysInTeam

# The manager's red-line tick, as the list on Scores offers it: (yes, no).
TICKS = {"zh": ("是", "否"), "en": ("Yes", "No")}
# The row of the tickets without an agent, as Scores and Trend name it.
UNASSIGNED = {"zh": "未分配", "en": "Unassigned"}


@dataclass(frozen=True)
class AgentRow:
    """One agent's month, as refresh computed it from the Data sheet."""

    agent: str | None  # None: tickets without an agent (未分配)
    group: str | None
    tickets: int
    answered: int
    values: Mapping[str, float | None]  # KPI key -> the agent's value
    # Escalated complaints, each costing a deduction; None when the export has no escalation
    # column (unknown: blank on Scores, and nothing deducted).
    escalated: int | None = 0
    verified: int = 0  # verified escalations in the data: red-line hits
    tick: str | None = None  # the manager's red-line tick, as typed
    appeal: str | None = None  # the manager's note, as typed
    award: str = ""
    # Approved appeals (csxl.domain.appeals): a weighted score or grade that replaces the
    # computed one, and what was adjusted in this row (shown in the Scores column 调整).
    score_override: float | None = None
    grade_override: str | None = None
    adjusted: str | None = None
    # Days in this plan's team and days of the month under the pro-rating rule
    # (csxl.domain.identity.days_in_team); None: not counted, the bonus is not pro-rated.
    days: DaysInTeam | None = None

    def share(self, rule: str) -> float:
        """The part of the bonus this month earns (1 without days)."""
        return 1.0 if self.days is None else self.days.share(rule)  # type: ignore[arg-type]

    def red_line(self, lang: str) -> bool:
        """A verified escalation in the data, or the manager's 是 tick: the grade is capped."""
        return self.tick == TICKS[lang][0] or self.verified > 0


@dataclass(frozen=True)
class RowKind:
    """What the rows whose agents are resolved are: the plan's sheet they come from (a sheet
    key, for messages), the column whose day decides the team, what a count of them is
    called, and whether alias rows without an id are listed with them (once a refresh)."""

    sheet: str
    time: str
    what: tuple[str, str]  # "张工单" / "tickets"
    lists_missing_ids: bool = False
