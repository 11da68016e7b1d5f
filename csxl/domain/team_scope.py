"""Which tickets a plan counts: a plan that names a team counts that team's rows only.

../shared/spec/kpis.md ("Columns"): a plan that names a team counts only that team's rows
(the team column, after the Aliases transfer periods); rows with no team count; the others
leave with one warning that counts them per team. A plan without a team is a department
plan: every row. The rows are de-duplicated before (`load_tickets`: the last copy of a
ticket id counts), so a ticket that moved between teams counts where its last copy is.

Teams compare as agent spellings do (`identity.spelling`: NFKC, trimmed, case-folded), so
`售前一组 ` and a full-width `Ｇｒｏｕｐ A` are the team typed on Settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from csxl.domain.identity import spelling


@dataclass(frozen=True)
class Scoped:
    """The rows a plan counts and, per other team as written, the rows left out."""

    frame: pd.DataFrame
    others: dict[str, int] = field(default_factory=dict)  # code-point order

    @property
    def left_out(self) -> int:
        return sum(self.others.values())


def scope(frame: pd.DataFrame, team: str | None, teams: pd.Series | None = None) -> Scoped:
    """`frame`'s rows of `team` plus those with no team. `teams` is each row's team when it
    is not the frame's own `team` column (Aliases' transfer periods decide it); a blank
    `team` keeps every row (a department plan)."""
    wanted = spelling(team)
    if not wanted:
        return Scoped(frame)
    if teams is None:
        if "team" not in frame:
            return Scoped(frame)
        teams = frame["team"]
    folded = teams.astype(object).map(spelling, na_action="ignore").fillna("")
    other = ((folded != "") & (folded != wanted)).to_numpy(dtype=bool)
    if not other.any():
        return Scoped(frame)
    written = teams[other].astype(object).map(lambda v: " ".join(str(v).split()))
    counts = written.value_counts()
    others = {str(k): int(counts[k]) for k in sorted(counts.index, key=str)}
    return Scoped(frame[~other], others)


def left_out_warning(team: str, others: dict[str, int], lang: str = "zh") -> str | None:
    """The one warning of a team plan given other teams' rows; None when there are none."""
    n = sum(others.values())
    if not n:
        return None
    team = " ".join(str(team).split())
    if lang == "zh":
        parts = "、".join(f"{k} {v:,}" for k, v in others.items())
        return f"本计划只计 {team}：其他团队的 {n:,} 张工单未计入（{parts}）"
    parts = ", ".join(f"{k} {v:,}" for k, v in others.items())
    return f"This plan counts only {team}: {n:,} tickets of other teams are left out ({parts})"
