"""Refresh's side of the Aliases sheet: one name per agent, whatever the export calls them,
and each ticket counted for the team its agent was in on the ticket's day.

Rules in `csxl.domain.identity`. With an empty alias table nothing changes. Otherwise the
Data sheet's agent column is resolved through the table: a known spelling becomes the
agent's shown name (the Name column, else the agent id); a name the table does not know,
and a spelling that names two agents, keep their own spelling (their tickets still count,
under that spelling) and are listed on Errors with their ticket counts, never dropped.

Transfer periods: a ticket whose agent was in a team on its day gets that team. When the
plan names its team (Settings), tickets its agents handled while in another team are left
out of this plan (they count for that team's plan), with a warning saying how many.

Call records (the Calls sheet) go through the same rules by the call's start time
(`apply_to_calls`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from csxl.domain import identity
from csxl.errors import InputError, Location
from csxl.workbook import layout
from csxl.workbook.layout import Aliases as L

TEXT = {
    "unknown": (
        "别名表中没有这个名字（{n} {what}，按原名计算）",
        "not in the alias table ({n} {what}, counted under this name)",
    ),
    "ambiguous": (
        "这个写法对应多位客服：{ids}（按原名计算）",
        "this spelling names several agents: {ids} (counted under it)",
    ),
    "no_id": ("别名缺少客服编号，未使用", "the alias has no agent id: not used"),
    "moved": (
        "按别名表的调岗期间，{n} {what}计入其他团队，不计入本计划",
        "{n} {what} count for other teams (transfer periods on Aliases), not in this plan",
    ),
}


@dataclass(frozen=True)
class Rows:
    """What the rows being resolved are: their sheet, time column and name in messages."""

    sheet: str  # a layout key
    time: str  # the column whose day decides the team
    what: tuple[str, str]  # "张工单" / "tickets"


TICKETS = Rows("Data", "created_at", ("张工单", "tickets"))
CALLS = Rows("CallRecords", "started_at", ("通电话", "calls"))


def _say(lang: str, code: str, rows: Rows = TICKETS, **kw: object) -> str:
    zh, en = TEXT[code]
    what = rows.what[0 if lang == "zh" else 1]
    return (zh if lang == "zh" else en).format(what=what, **kw)


def table(aliases) -> tuple[identity.AliasTable, dict[str, str], list[int]]:
    """The alias table, each id's shown name (the first Name typed for it, else the id),
    and the indexes of rows without an id."""
    rows, named, ids, missing = [], {}, [], []
    for i, (spelled, agent_id, name) in enumerate(aliases):
        if agent_id is None:
            missing.append(i)
            continue
        ids.append(agent_id)
        if name and agent_id not in named:
            named[agent_id] = name
        if spelled:
            rows.append(identity.Alias(spelled, agent_id))
    shown = {i: named.get(i, i) for i in ids}
    return identity.AliasTable.build(rows, shown), shown, missing


def apply(book_name: str, state, tickets, rows: Rows = TICKETS):
    """(tickets with agents resolved and teams by day, Errors rows, warnings)."""
    p = state.inputs
    if not getattr(state, "has_aliases", False):
        return tickets, [], []
    return resolve(tickets, p.aliases, p.transfers, p.team, p.lang, book_name, rows)


def apply_to_calls(book_name: str, state, calls):
    """The Call records' calls under the same rules: (calls, Errors rows, warnings)."""
    return apply(book_name, state, calls, CALLS)


def resolve(
    tickets,
    aliases,
    transfers=(),
    team: str | None = None,
    lang="zh",
    book_name="",
    rows: Rows = TICKETS,
):
    """The tickets (or calls: `rows`) with each agent under one name and, with transfer
    periods, the team of the row's day (rows of another team left out when `team` is
    given)."""
    frame = tickets.frame
    if not aliases or "agent" not in frame:
        return tickets, [], []
    data = layout.title(rows.sheet, lang)
    header = tickets.headers.get("agent", "agent")
    found, names, missing = table(aliases)
    errors: list[tuple[object, ...]] = [
        (book_name, layout.title("Aliases", lang), L.FIRST_ROW + i, "B", _say(lang, "no_id"), None)
        for i in missing
        if rows is TICKETS  # listed once, with the tickets, not again with the calls
    ]
    resolved = identity.resolve(frame["agent"], found)
    shown = resolved.agent_id.map(lambda i: names.get(i, i), na_action="ignore")
    # When no spelling is known, map gives an all-null column of Arrow's null type, which
    # cannot take the export's names: keep the agent column's own type.
    shown = shown.astype(frame["agent"].dtype)
    frame = frame.assign(agent=shown.where(resolved.agent_id.notna(), frame["agent"]))
    for spelled, n in resolved.unknown.items():
        errors.append((book_name, data, None, header, _say(lang, "unknown", rows, n=n), spelled))
    for spelled, ids in resolved.ambiguous.items():
        errors.append(
            (book_name, data, None, header, _say(lang, "ambiguous", ids="、".join(ids)), spelled)
        )
    warnings: list[str] = []
    if transfers:
        frame, moved = _teams(
            book_name, lang, transfers, team, found, frame, resolved.agent_id, rows.time
        )
        if moved:
            warnings.append(_say(lang, "moved", rows, n=moved))
    return replace(tickets, frame=frame), errors, warnings


def _teams(book_name, lang, transfers, plan_team, found, frame, agent_id: pd.Series, time: str):
    where = Location(book_name, layout.title("Aliases", lang), None, layout.col(L.P_AGENT))
    periods = []
    for agent, team, first, last in transfers:
        key = found.lookup(agent)
        if not isinstance(key, str):
            raise InputError(
                f"the transfer period's agent {agent!r} is "
                + ("ambiguous." if isinstance(key, tuple) else "not in the alias table."),
                where,
                "Write the agent id, or add the name to the alias table.",
            )
        try:
            periods.append(identity.Membership(key, str(team), first, last))
        except ValueError as exc:
            raise InputError(f"{exc}.", where, "Fix the dates.") from None
    try:
        teams = identity.team_on(agent_id, frame[time], periods)
    except ValueError as exc:
        raise InputError(f"{exc}.", where, "An agent is in one team at a time.") from None
    current = frame["team"] if "team" in frame else pd.Series(pd.NA, index=frame.index)
    frame = frame.assign(team=teams.astype(object).where(teams.notna(), current))
    if not plan_team:
        return frame, 0
    other = (teams.notna() & (teams != plan_team)).fillna(False).to_numpy(dtype=bool)
    return frame[~other], int(other.sum())
