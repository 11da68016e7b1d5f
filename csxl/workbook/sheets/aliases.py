"""Aliases (别名): who an agent is, whatever the export calls them, and their team by date.

Left: spelling (as an export writes the agent: a name, a nickname, a sub-account 店铺:小美, a
工号) -> agent id -> the name Scores shows (blank: the id). Right: transfer periods (agent id
or any spelling, team, first day, last day; blank = still there). Refresh resolves the Data
sheet's agent column through the table (rules in `csxl.domain.identity`); an empty table
changes nothing.

Refresh's side (steps `scope` and `days`, and `Names` on PlanState for the other rooms'
rows): with an empty alias table nothing changes. Otherwise each agent column is resolved
through the table: a known spelling becomes the agent's shown name (the Name column, else
the agent id); a name the table does not know, and a spelling that names two agents, keep
their own spelling (their rows still count, under that spelling) and are listed on Errors
with their counts, never dropped. A row whose agent was in a team on its day (transfer
periods) gets that team; when the plan names its team (Settings), rows its agents handled
while in another team are left out of this plan (they count for that team's plan), with a
warning saying how many. The same periods give each Scores row its days in the plan's
team, which pro-rate the bonus under the rule on Incentives (`with_days`). The callers say
which rows they hand over (`identity.RowKind`): the Data sheet's tickets, the call records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from csxl.domain.agents import RowKind
from csxl.errors import InputError, Location, reason, t
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, PlanInputs, RosterTeam, setup_sheet
from csxl.workbook.layout import Aliases as L
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState

if TYPE_CHECKING:
    import pandas as pd

    from csxl.domain import identity


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    n, m = len(p.aliases), len(p.transfers)
    return [(f"别名：{n} 行；调岗：{m} 行", f"Aliases: {n} rows; transfers: {m} rows")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Aliases")
    t = ctx.t
    p = ctx.inputs
    ctx.title(
        ws,
        t("客服别名与调岗", "Agent aliases and transfers"),
        t(
            "左表：导出文件里客服的每种写法（姓名、昵称、子账号 店铺:小美、工号）对应一个客服编号和考核表上显示的姓名。"
            "右表：调岗期间（客服、团队、起止日期，止日空白表示至今），每张工单按当天所在团队计算。"
            "左表为空时不做任何转换；别名表里没有的名字和对应多位客服的写法会列在错误表。",
            "Left: every way an export writes an agent (name, nickname, sub-account shop:name, staff "
            "number) -> one agent id and the name Scores shows. Right: team periods (agent, team, "
            "first and last day; a blank last day = still there): each ticket counts for the team "
            "its agent was in that day. An empty table changes nothing; names it does not know "
            "and spellings that name two agents are listed on Errors.",
        ),
    )
    ws.merge_cells(f"A2:{col(L.P_TO)}2")
    ws.row_dimensions[2].height = 58
    heads = {
        L.SPELLING: t("写法", "Spelling"),
        L.AGENT_ID: t("客服编号", "Agent id"),
        L.NAME: t("显示姓名", "Name shown"),
        L.P_AGENT: t("客服", "Agent"),
        L.P_TEAM: t("团队", "Team"),
        L.P_FROM: t("起始日", "From"),
        L.P_TO: t("截止日", "To"),
    }
    for c, text in heads.items():
        ctx.label(ws, f"{col(c)}{L.HEADER_ROW}", text, style.HEADER)
    for i in range(L.ROWS):
        r = L.FIRST_ROW + i
        row = p.aliases[i] if i < len(p.aliases) else (None, None, None)
        for c, value in zip((L.SPELLING, L.AGENT_ID, L.NAME), row, strict=True):
            ctx.input(ws, f"{col(c)}{r}", value, "@")
    for i in range(L.P_ROWS):
        r = L.FIRST_ROW + i
        row = p.transfers[i] if i < len(p.transfers) else (None, None, None, None)
        agent, team, first, last = row
        ctx.input(ws, f"{col(L.P_AGENT)}{r}", agent, "@")
        ctx.input(ws, f"{col(L.P_TEAM)}{r}", team)
        ctx.input(ws, f"{col(L.P_FROM)}{r}", first, style.DATE)
        ctx.input(ws, f"{col(L.P_TO)}{r}", last, style.DATE)
    setup_sheet(
        ws,
        widths={"A": 20, "B": 12, "C": 12, "D": 2, "E": 14, "F": 12, "G": 12, "H": 12},
        freeze=f"A{L.FIRST_ROW}",
        header_rows=f"{L.HEADER_ROW}:{L.HEADER_ROW}",
    )


def read_rows(book) -> tuple[tuple, tuple]:
    """(alias rows, transfer rows) as typed, blank rows left out; dates checked."""
    from csxl.workbook.cells import cell, day

    rows = book.rows("Aliases")
    sheet = layout.title("Aliases", book.lang)

    def text(r: int, c: int) -> str | None:
        v = cell(rows, r, c)
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # a 工号 Excel made a number of
        return None if v is None or not str(v).strip() else str(v).strip()

    aliases = []
    for r in range(L.FIRST_ROW, L.FIRST_ROW + L.ROWS):
        row = tuple(text(r, c) for c in (L.SPELLING, L.AGENT_ID, L.NAME))
        if any(row):
            aliases.append(row)
    transfers = []
    for r in range(L.FIRST_ROW, L.FIRST_ROW + L.P_ROWS):
        agent, team = text(r, L.P_AGENT), text(r, L.P_TEAM)
        first, last = cell(rows, r, L.P_FROM), cell(rows, r, L.P_TO)
        if agent is None and team is None and first is None and last is None:
            continue
        where = Location(book.name, sheet, r, col(L.P_AGENT))
        try:
            days = (day(first), day(last))
        except ValueError:
            raise InputError(
                t("调岗日期不是日期。", "a transfer date is not a date."),
                where,
                t("请输入日期，如 2026-03-16。", "Type a date such as 2026-03-16."),
            ) from None
        if agent is None or team is None or not isinstance(days[0], date):
            raise InputError(
                t(
                    "调岗期间需要客服、团队和起始日。",
                    "a transfer period needs the agent, the team and its first day.",
                ),
                where,
                t("请补全或清空这一行。", "Complete or clear the row."),
            )
        transfers.append((agent, team, days[0], days[1]))
    return tuple(aliases), tuple(transfers)


# ------------------------------------------------------------------ read
def read(book: Book, state: PlanState) -> None:
    """The spellings and the transfer periods as typed (refresh writes nothing here)."""
    state.inputs.aliases, state.inputs.transfers = read_rows(book)
    state.names = Names(state.inputs)


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (
    ((L.SPELLING, L.NAME), L.FIRST_ROW + L.ROWS - 1, None),
    ((L.P_AGENT, L.P_TO), L.FIRST_ROW + L.P_ROWS - 1, None),
)


def roster_cells(aliases: Sequence[tuple[str, str, str]]) -> dict[tuple[int, int], object]:
    """The left table of a plan built with no aliases, filled with `aliases` (spelling,
    agent id, name shown) as `build` writes them (`csxl batch` patches them in)."""
    if len(aliases) > L.ROWS:
        raise ValueError(
            t(
                f"别名超过 {L.ROWS} 个：本表只有 {L.ROWS} 行",
                f"more than {L.ROWS} aliases: the sheet has {L.ROWS} rows",
            )
        )
    cells: dict[tuple[int, int], object] = {}
    for i, row in enumerate(aliases):
        for c, value in zip((L.SPELLING, L.AGENT_ID, L.NAME), row, strict=True):
            cells[(L.FIRST_ROW + i, c)] = value
    return cells


# ------------------------------------------------------------------ refresh
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


def _say(lang: str, code: str, kind: RowKind | None = None, **kw: object) -> str:
    zh, en = TEXT[code]
    what = "" if kind is None else kind.what[0 if lang == "zh" else 1]
    return (zh if lang == "zh" else en).format(what=what, **kw)


@dataclass(frozen=True)
class Names:
    """The alias table and transfer periods as refresh applies them to other sheets' rows:
    `read` puts one on PlanState (`state.names`; None for a plan without the sheet)."""

    inputs: PlanInputs  # the plan's: aliases, transfers, team, lang

    def resolve(self, book_name: str, rows, kind: RowKind):
        """(rows with agents resolved and teams by day, Errors rows, warnings)."""
        p = self.inputs
        return resolve(rows, p.aliases, p.transfers, p.team, p.lang, book_name, kind=kind)

    def names_of(self, column: pd.Series):
        """(each spelling in `column` as Scores names its agent, identity.Resolved)."""
        found, shown, _ = table(self.inputs.aliases)
        return names_of(column, found, shown)


def table(aliases) -> tuple[identity.AliasTable, dict[str, str], list[int]]:
    """The alias table, each id's shown name (the first Name typed for it, else the id;
    `张伟 (A01)` when two ids have the same Name: `identity.shown_names`), and the indexes of
    rows without an id. A shown `张伟 (A01)` is a spelling of A01 too (Appeals, QA, Team and
    the bonus days find the agent by it); a plain 张伟 of two ids stays ambiguous."""
    from csxl.domain import identity

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


def team_scope(book_name: str, state: PlanState, tickets):
    """The tickets a plan counts (`csxl.domain.team_scope`): with a team on Settings, that
    team's rows and the rows without a team, the team being the export's team column after
    the transfer periods on Aliases. (tickets, warnings: one, counting the others per team)

    Runs before the names are resolved, so the other teams' agents are never listed as
    unknown names; and for every plan (one made before this sheet has a team too).
    """
    import pandas as pd

    from csxl.domain import identity
    from csxl.domain.team_scope import left_out_warning, scope

    p = state.inputs
    if not (p.team or "").strip():
        return tickets, []
    frame = tickets.frame
    teams = None
    if state.has_aliases and p.aliases and p.transfers and "agent" in frame:
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


def resolve(
    tickets,
    aliases,
    transfers=(),
    team: str | None = None,
    lang="zh",
    book_name="",
    *,
    kind: RowKind,
):
    """The tickets (or calls: `kind`) with each agent under one name and, with transfer
    periods, the team of the row's day (rows of another team left out when `team` is
    given)."""

    frame = tickets.frame
    if not aliases or "agent" not in frame:
        return tickets, [], []
    data = layout.title(kind.sheet, lang)
    header = tickets.headers.get("agent") or tickets.headers.get("agent_id", "agent")
    found, names, missing = table(aliases)
    errors: list[tuple[object, ...]] = [
        (book_name, layout.title("Aliases", lang), L.FIRST_ROW + i, "B", _say(lang, "no_id"), None)
        for i in missing
        if kind.lists_missing_ids  # listed once, with the tickets, not again with the calls
    ]
    shown, resolved = names_of(frame["agent"], found, names, frame.get("agent_id"))
    frame = frame.assign(agent=shown)
    for spelled, n in resolved.unknown.items():
        errors.append((book_name, data, None, header, _say(lang, "unknown", kind, n=n), spelled))
    for spelled, ids in resolved.ambiguous.items():
        errors.append(
            (book_name, data, None, header, _say(lang, "ambiguous", ids="、".join(ids)), spelled)
        )
    warnings: list[str] = []
    if transfers:
        frame, moved = _teams(
            book_name, lang, transfers, team, found, frame, resolved.agent_id, kind.time
        )
        if moved:
            warnings.append(_say(lang, "moved", kind, n=moved))
    return replace(tickets, frame=frame), errors, warnings


def names_of(column: pd.Series, found, shown: dict[str, str], ids: pd.Series | None = None):
    """(each name as Scores shows its agent, the identity.Resolved behind it). With the
    export's agent ids (工号), a row whose id the table knows is that agent whatever its name
    says; the other rows go by name. A name the table does not know, or one that names two
    agents, keeps its own spelling."""
    from csxl.domain import identity

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
    from csxl.domain import identity

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


def with_days(book_name: str, state: PlanState, month: str | None, agents: list):
    """Scores rows with their days in the plan's team in `month` and the days of the month,
    under the Incentives pro-rating rule (`identity.days_in_team`); and warnings.

    As for tickets, the periods are used once the alias table has a row: an agent without a
    period (or a name the table does not know, or the unassigned row) was in the team all
    month. Without a team on Settings, any period counts. For every plan (the rule applies
    to one made before this sheet too).
    """
    from csxl.domain import identity

    p = state.inputs
    if month is None:
        return agents, []
    rule = p.incentives.proration
    found, periods = None, []
    if state.has_aliases and p.aliases and p.transfers:
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


def _teams(book_name, lang, transfers, plan_team, found, frame, agent_id, time: str):
    import pandas as pd

    from csxl.domain import identity

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


def roster(p: PlanInputs, team: RosterTeam) -> None:
    """Each agent's name -> 工号 -> the name shown; an agent without a 工号 has the name as id,
    so that no agent of the team is an unknown name. Empty when no agent has a 工号: an
    empty table changes nothing."""
    if any(a.agent_id for a in team.agents):
        p.aliases = tuple((a.name, a.agent_id or a.name, a.name) for a in team.agents)


def team_cells(p: PlanInputs, formulas: Callable[[], Mapping[str, str]]) -> dict:
    """`roster_cells` for the plan's aliases (`csxl batch`)."""
    return roster_cells(p.aliases)  # type: ignore[arg-type]
