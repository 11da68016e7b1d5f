"""Quality inspection (质检): per-agent QA score from the inspections of the month.

One row per inspected ticket: agent, ticket id, QA score 0-100, items failed (a number, or
the failed items as text separated by , ， ; ； 、 | or new lines, each counting one) and
optionally the QA date. The agent's QA score (`qa_score`) is the mean of their rows'
scores; the team's is the mean of all rows. A row without an agent or with a score that is
not a number in 0-100 is listed (never counted).

Which month a row counts in (`months`): its QA date's; without a date, the month its ticket
was created in (the Data sheet); without either, the month being refreshed. A date that is
not a date is listed and the row not counted (its month cannot be known).

As a KPI: higher is better, tiers and points as every KPI (`csxl.domain.scoring`), weight 0
by default (tracked, not scored) until the manager types one on the QA sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from csxl.domain.scoring import Target

DEFAULT_TARGET = Target("qa_score", "higher", "score", 0.0, 80.0, 90.0, 95.0, ("team", "agent"))
SEPARATORS = re.compile(r"[,，;；、|\n]+")


@dataclass(frozen=True)
class Inspection:
    row: int
    agent: str | None
    ticket: str | None
    score: object
    items: object = None
    when: object = None  # the QA date as typed (a date, a serial or text); None: undated


@dataclass(frozen=True)
class AgentQa:
    agent: str
    inspections: int
    mean: float
    items_failed: int


def items_failed(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        return max(int(value), 0)
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    return len([part for part in SEPARATORS.split(text) if part.strip()])


def score_of(value: object) -> float | None:
    """A QA score 0-100, or None when the cell holds anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip().rstrip("分"))
    except ValueError:
        return None
    return number if 0 <= number <= 100 else None


def months(
    rows: list[Inspection], ticket_months: Mapping[str, str], default: str
) -> tuple[dict[int, str], list[tuple[int, str, str, object]]]:
    """Each row's month ('YYYY-MM' by sheet row) and the rows whose date is not a date.

    The QA date's month; else the month of the ticket's created_at (`ticket_months`, by
    ticket id as text); else `default` (the refreshed month). Dates are read as ticket
    timestamps are (`csxl.domain.normalise.datetimes`: Excel dates, serials, 2026/3/5,
    2026年3月5日 ...).
    """
    from csxl.domain.normalise import datetimes

    parsed = datetimes(pd.Series([r.when for r in rows], dtype=object))
    out: dict[int, str] = {}
    problems: list[tuple[int, str, str, object]] = []
    for r, stamp, bad in zip(rows, parsed.values, parsed.bad, strict=True):
        if bad:
            problems.append((r.row, "date", "bad_date", r.when))
        elif not pd.isna(stamp):
            out[r.row] = f"{stamp.year:04d}-{stamp.month:02d}"
        else:
            out[r.row] = ticket_months.get(r.ticket or "", default)
    return out, problems


def summarise(
    rows: list[Inspection], counted: Callable[[Inspection], bool] | None = None
) -> tuple[dict[str, AgentQa], float | None, list]:
    """(per agent, the team's mean, problems as (row, field, code, value)).

    Every row is checked; only the usable rows that `counted` accepts (all without it: e.g.
    the refreshed month's, not excluded by an appeal) make the means.
    """
    problems: list[tuple[int, str, str, object]] = []
    by_agent: dict[str, list[tuple[float, int]]] = {}
    for r in rows:
        if r.agent is None:
            problems.append((r.row, "agent", "no_agent", None))
            continue
        score = score_of(r.score)
        if score is None:
            problems.append((r.row, "score", "bad_score", r.score))
            continue
        if counted is not None and not counted(r):
            continue
        by_agent.setdefault(r.agent, []).append((score, items_failed(r.items)))
    out = {
        agent: AgentQa(
            agent, len(values), sum(s for s, _ in values) / len(values), sum(i for _, i in values)
        )
        for agent, values in sorted(by_agent.items())
    }
    every = [s for values in by_agent.values() for s, _ in values]
    return out, (sum(every) / len(every) if every else None), problems
