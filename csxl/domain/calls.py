"""Call-centre KPIs from call records: 接通率, 放弃率, service level, ASA.

One row per inbound call that reached the queue, in canonical columns:

- ``answered`` (bool): an agent picked the call up;
- ``abandoned`` (bool, optional): the caller hung up while waiting. Without the column, every
  call not answered counts as abandoned; with it, a call neither answered nor abandoned (sent
  to voicemail, overflowed to another queue) is offered but in neither count;
- ``wait_s`` (seconds in the queue, until answer or hang-up; optional: without the column
  there are no short abandons, and service level and ASA are None, not 0);
- any grouping columns (``team``, ``agent``, ``day`` ...).

Definitions (docs/kpis.md, "Call-centre KPIs"):

- offered = calls in the queue, less short abandons (abandoned with ``wait_s`` under
  ``short_abandon_s``: a caller who hangs up within a few seconds was never really waiting;
  0 by default, so nothing is dropped unless the plan sets it);
- answer_rate 接通率 = answered / offered; abandon_rate 放弃率 = abandoned / offered;
- service_level = calls answered with ``wait_s <= sl_seconds`` (20 s by default, a call
  answered at exactly 20 s is within) / offered; an answered call without a wait time is
  not counted as within;
- asa (average speed of answer) = mean ``wait_s`` of answered calls that have one.

A KPI whose denominator is 0 is None (not 0). Values are unrounded fractions and seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

CALL_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "answered_within",  # the service level's numerator: answered with wait_s <= sl_seconds
    "answer_rate",
    "abandon_rate",
    "service_level",
    "asa_s",
)


@dataclass(frozen=True)
class CallSettings:
    sl_seconds: float = 20.0
    short_abandon_s: float = 0.0

    def __post_init__(self) -> None:
        if self.sl_seconds < 0 or self.short_abandon_s < 0:
            raise ValueError("service-level and short-abandon thresholds must not be negative")


def call_facts(calls: pd.DataFrame, settings: CallSettings = CallSettings()) -> pd.DataFrame:
    """Per call: offered, answered, abandoned, within (service level), wait of answered."""
    answered = calls["answered"].fillna(False).astype(bool).to_numpy()
    if "abandoned" in calls:
        abandoned = calls["abandoned"].fillna(False).astype(bool).to_numpy() & ~answered
    else:
        abandoned = ~answered
    if "wait_s" in calls:
        wait = pd.to_numeric(calls["wait_s"], errors="coerce").to_numpy(dtype=float)
    else:
        wait = np.full(len(calls), np.nan)
    short = abandoned & (wait < settings.short_abandon_s)  # NaN wait: not short
    offered = ~short
    within = answered & (wait <= settings.sl_seconds)  # NaN wait: not within
    return pd.DataFrame(
        {
            "offered": offered,
            "answered": answered & offered,
            "abandoned": abandoned & offered,
            "within": within & offered,
            "answer_wait": np.where(answered, wait, np.nan),
        },
        index=calls.index,
    )


def call_kpis(
    calls: pd.DataFrame,
    by: Sequence[str] = (),
    settings: CallSettings = CallSettings(),
) -> pd.DataFrame:
    """One row per group (one row in all when `by` is empty) with the CALL_KPIS columns."""
    facts = call_facts(calls, settings)
    keys = [calls[c] for c in by] if by else [pd.Series("all", index=calls.index, name="all")]
    grouped = facts.groupby(keys, dropna=False, sort=True)
    sums = grouped[["offered", "answered", "abandoned", "within"]].sum()
    out = pd.DataFrame(index=sums.index)
    out["offered"] = sums["offered"].astype(int)
    out["answered"] = sums["answered"].astype(int)
    out["abandoned"] = sums["abandoned"].astype(int)
    out["answered_within"] = sums["within"].astype(int)
    offered = sums["offered"].where(sums["offered"] > 0)
    out["answer_rate"] = sums["answered"] / offered
    out["abandon_rate"] = sums["abandoned"] / offered
    out["service_level"] = sums["within"] / offered
    out["asa_s"] = grouped["answer_wait"].mean()
    if "wait_s" not in calls:  # no wait times: not measurable, which is not 0
        out["answered_within"] = None
        out["service_level"] = None
    return out.astype(object).where(out.notna(), None)


CALL_GROUPINGS = ("all", "team", "agent", "day")  # what call records can be grouped by


def call_groups(
    calls: pd.DataFrame,
    by: Sequence[str] = ("all",),
    settings: CallSettings = CallSettings(),
) -> list[dict]:
    """The KPIs as `csxl kpi` groups: {"by", "key", "kpis"}, "all" first, then each grouping
    of `by` the calls can give (team and agent when their columns are there, day of
    ``started_at``), keys in code-point order and a blank key (null: 未分配) last."""
    everyone = _row(call_kpis(calls, (), settings), "all", "wait_s" in calls)
    groups = [{"by": "all", "key": None, "kpis": everyone}]
    for grouping in dict.fromkeys(b for b in by if b != "all"):
        if grouping == "day":
            keys = calls["started_at"].dt.strftime("%Y-%m-%d").rename("day")
            frame = calls.assign(day=keys)
        elif grouping in ("team", "agent") and grouping in calls:
            frame = calls
        else:
            continue
        if frame.empty:
            continue
        table = call_kpis(frame, (grouping,), settings)
        ranked = sorted(table.index, key=lambda k: (pd.isna(k), str(k)))
        groups += [
            {
                "by": grouping,
                "key": None if pd.isna(k) else str(k),
                "kpis": _row(table, k),
            }
            for k in ranked
        ]
    return groups


def _row(table: pd.DataFrame, key, waits: bool = True) -> dict:
    """One group's KPIs; an empty table (no calls) gives zero counts and null rates."""
    if key not in table.index:
        counts = ("offered", "answered", "abandoned", *(("answered_within",) if waits else ()))
        return {k: 0 if k in counts else None for k in CALL_KPIS}
    row = table.loc[key]
    return {k: row[k] for k in CALL_KPIS}
