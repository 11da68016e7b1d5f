"""Refresh's side of the Aliases sheet: one name per agent, whatever the export calls them,
and each ticket counted for the team its agent was in on the ticket's day.

Rules in `csxl.domain.identity`. With an empty alias table nothing changes. Otherwise the
Data sheet's agent column is resolved through the table: a known spelling becomes the
agent's shown name (the Name column, else the agent id); a name the table does not know,
and a spelling that names two agents, keep their own spelling (their tickets still count,
under that spelling) and are listed on Errors with their ticket counts, never dropped.

Transfer periods: a ticket whose agent was in a team on its day gets that team. When the
plan names its team (Settings), tickets its agents handled while in another team are left
out of this plan (they count for that team's plan), with a warning saying how many. The
same periods give each Scores row its days in the plan's team, which pro-rate the bonus
under the rule on Incentives (`with_days`).

Call records (the Calls sheet) go through the same rules by the call's start time
(`apply_to_calls`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from csxl.domain import identity
from csxl.errors import InputError, Location, reason, t
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
    "no_days": (
        "{agent}：按别名表的调岗期间，{month} 不在本组，奖金折算为 0；如有误请补上本组的期间",
        "{agent}: by the transfer periods on Aliases, not in this team in {month}, so the "
        "bonus is pro-rated to 0; add this team's period if that is wrong",
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
    """The alias table, each id's shown name (the first Name typed for it, else the id;
    `张伟 (A01)` when two ids have the same Name: `identity.shown_names`), and the indexes of
    rows without an id. A shown `张伟 (A01)` is a spelling of A01 too (Appeals, QA, Team and
    the bonus days find the agent by it); a plain 张伟 of two ids stays ambiguous."""
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
    plain = {i: named.get(i, i) for i in ids}
    shown = identity.shown_names(plain)
    rows += [identity.Alias(key, i) for i, key in shown.items() if key != plain[i]]
    return identity.AliasTable.build(rows, plain), shown, missing


def apply(book_name: str, state, tickets, rows: Rows = TICKETS):
    """(tickets with agents resolved and teams by day, Errors rows, warnings)."""
    p = state.inputs
    if not getattr(state, "has_aliases", False):
        return tickets, [], []
    return resolve(tickets, p.aliases, p.transfers, p.team, p.lang, book_name, rows)


def team_scope(book_name: str, state, tickets):
    """The tickets a plan counts (`csxl.domain.team_scope`): with a team on Settings, that
    team's rows and the rows without a team, the team being the export's team column after
    the transfer periods on Aliases. (tickets, warnings: one, counting the others per team)

    Runs before `apply`, so the other teams' agents are never listed as unknown names.
    """
    from csxl.domain.team_scope import left_out_warning, scope

    p = state.inputs
    if not (p.team or "").strip():
        return tickets, []
    frame = tickets.frame
    teams = None
    if getattr(state, "has_aliases", False) and p.aliases and p.transfers and "agent" in frame:
        found = table(p.aliases)[0]
        agent_id = identity.resolve(frame["agent"], found).agent_id
        periods = memberships(book_name, p.lang, p.transfers, found)
        try:
            by_day = identity.team_on(agent_id, frame["created_at"], periods)
        except ValueError as exc:
            raise InputError(
                t(f"{reason(exc)}。", f"{exc}."),
                _where(book_name, p.lang),
                t("一名客服同一时间只在一个团队。", "An agent is in one team at a time."),
            ) from None
        current = frame["team"] if "team" in frame else pd.Series(pd.NA, index=frame.index)
        teams = by_day.astype(object).where(by_day.notna(), current)
    scoped = scope(frame, p.team, teams)
    warning = left_out_warning(p.team, scoped.others, p.lang)
    if warning is None:
        return tickets, []
    return replace(tickets, frame=scoped.frame), [warning]


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
    header = tickets.headers.get("agent") or tickets.headers.get("agent_id", "agent")
    found, names, missing = table(aliases)
    errors: list[tuple[object, ...]] = [
        (book_name, layout.title("Aliases", lang), L.FIRST_ROW + i, "B", _say(lang, "no_id"), None)
        for i in missing
        if rows is TICKETS  # listed once, with the tickets, not again with the calls
    ]
    shown, resolved = names_of(frame["agent"], found, names, frame.get("agent_id"))
    frame = frame.assign(agent=shown)
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


def names_of(column: pd.Series, found, shown: dict[str, str], ids: pd.Series | None = None):
    """(each name as Scores shows its agent, the identity.Resolved behind it). With the
    export's agent ids (工号), a row whose id the table knows is that agent whatever its name
    says; the other rows go by name. A name the table does not know, or one that names two
    agents, keeps its own spelling."""
    resolved = identity.resolve(column, found)
    if ids is not None and ids.notna().any():
        by_id = identity.resolve(ids, found).agent_id  # unknown ids: the name decides
        known_id = by_id.notna().to_numpy(dtype=bool)
        if known_id.any():
            agent_id = resolved.agent_id.copy()
            agent_id[known_id] = by_id[known_id]
            # Only the rows still going by name are listed as unknown or ambiguous.
            rest = identity.resolve(column[~known_id], found)
            resolved = identity.Resolved(agent_id, rest.unknown, rest.ambiguous)
    known = resolved.agent_id.notna().to_numpy(dtype=bool)
    # Assigned into a copy, not Series.where: with no name known the mapped Series is an
    # all-null arrow array that cannot take the strings (refresh crashed on such a table).
    out = column.copy()
    out[known] = [shown.get(i, i) for i in resolved.agent_id[known]]
    return out, resolved


def _where(book_name: str, lang: str) -> Location:
    return Location(book_name, layout.title("Aliases", lang), None, layout.col(L.P_AGENT))


def memberships(book_name, lang, transfers, found) -> list[identity.Membership]:
    """The transfer rows as periods of agent ids; a row naming no single agent is refused."""
    where = _where(book_name, lang)
    periods = []
    for agent, team, first, last in transfers:
        key = found.lookup(agent)
        if not isinstance(key, str):
            raise InputError(
                t(
                    f"调岗期间的客服“{agent}”"
                    + ("对应多名客服。" if isinstance(key, tuple) else "不在别名表中。"),
                    f"the transfer period's agent {agent!r} is "
                    + ("ambiguous." if isinstance(key, tuple) else "not in the alias table."),
                ),
                where,
                t(
                    "请填写客服编号，或把这个名字加入别名表。",
                    "Write the agent id, or add the name to the alias table.",
                ),
            )
        try:
            periods.append(identity.Membership(key, str(team), first, last))
        except ValueError as exc:
            raise InputError(
                t(f"{reason(exc)}。", f"{exc}."), where, t("请改正日期。", "Fix the dates.")
            ) from None
    return periods


def with_days(book_name: str, state, month: str | None, agents: list) -> tuple[list, list[str]]:
    """Scores rows with their days in the plan's team in `month` and the days of the month,
    under the Incentives pro-rating rule (`identity.days_in_team`); and warnings.

    As for tickets, the periods are used once the alias table has a row: an agent without a
    period (or a name the table does not know, or the unassigned row) was in the team all
    month. Without a team on Settings, any period counts.
    """
    p = state.inputs
    if month is None:
        return agents, []
    rule = p.incentives.proration
    found, periods = None, []
    if getattr(state, "has_aliases", False) and p.aliases and p.transfers:
        found = table(p.aliases)[0]
        periods = memberships(book_name, p.lang, p.transfers, found)
    work_calendar = None
    if rule == "workdays":
        from csxl.domain.calendar import WorkCalendar

        s = state.kpi_settings
        work_calendar = WorkCalendar(
            s.extra_holidays, s.extra_workdays, entered_years=s.entered_years
        )
    out, warnings = [], []
    for a in agents:
        key = None if found is None or a.agent is None else found.lookup(a.agent)
        agent_id = key if isinstance(key, str) else None
        days = identity.days_in_team(periods, agent_id, p.team or None, month, rule, work_calendar)
        if days.days == 0 and rule != "none" and a.tickets:
            warnings.append(_say(p.lang, "no_days", agent=a.agent, month=month))
        out.append(replace(a, days=days))
    if work_calendar is not None:
        warnings += work_calendar.warnings("bonus")
    return out, warnings


def _teams(book_name, lang, transfers, plan_team, found, frame, agent_id: pd.Series, time: str):
    where = _where(book_name, lang)
    periods = memberships(book_name, lang, transfers, found)
    try:
        teams = identity.team_on(agent_id, frame[time], periods)
    except ValueError as exc:
        raise InputError(
            t(f"{reason(exc)}。", f"{exc}."),
            where,
            t("一名客服同一时间只在一个团队。", "An agent is in one team at a time."),
        ) from None
    current = frame["team"] if "team" in frame else pd.Series(pd.NA, index=frame.index)
    frame = frame.assign(team=teams.astype(object).where(teams.notna(), current))
    if not plan_team:
        return frame, 0
    other = (teams.notna() & (teams != plan_team)).fillna(False).to_numpy(dtype=bool)
    return frame[~other], int(other.sum())
