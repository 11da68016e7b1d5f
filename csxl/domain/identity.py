"""Who an agent is: every spelling in an export mapped to one agent, and their team by date.

Exports name agents by name, nickname or sub-account (店铺:小美); rosters by 工号. An alias
table maps each spelling to an agent id. Spellings are compared after NFKC (full-width
letters, digits and the colon ： fold to ASCII), trimming and case folding, with runs of
blanks made one. A sub-account `店铺:小美` that is not in the table matches its part after
the colon when that part names exactly one agent. Names the table does not know are listed
(never dropped silently); a spelling that names two agents is ambiguous and listed too.

Agents of one name: an agent is who their id is (the export's 工号 column, `agent_id`, or
the alias table's id), never their display name. Where two ids carry the same name, each is
shown as `张伟 (1023)` (`agent_key`), in both languages; an agent whose name no other id
carries keeps the plain name, so nothing changes for the usual export (`agent_keys`,
`shown_names`).

Transfers: an agent's tickets count for the team they were in on the ticket's day, from
membership periods (agent id, team, first day, last day or open). Bonus for a month spent in
two teams, or joined or left within it, is pro-rated by the days in the plan's team, counted
as calendar days or China working days, or not at all (rule in docs/kpis.md, "Scoring").
"""

from __future__ import annotations

import unicodedata
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import pandas as pd

from csxl.domain.reasons import Invalid

SUB_ACCOUNT = ":"  # after NFKC, the full-width ： is this


def spelling(value: object) -> str:
    """The comparable form of a name: NFKC, trimmed, case-folded, single blanks."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.split()).casefold()


# ------------------------------------------------------------------ agents of one name
def agent_key(name: str, agent_id: str) -> str:
    """How an agent who shares a name with another id is shown, in zh and en alike: ASCII
    brackets, so the key reads the same in both, and NFKC folds a typed `张伟（1023）` to it."""
    return f"{name} ({agent_id})"


def shown_names(names: dict[str, str]) -> dict[str, str]:
    """Each id's shown name (`names`: id -> name): the name, or `agent_key` when another id
    has the same name (compared as `spelling`s)."""
    ids_of: dict[str, set[str]] = {}
    for agent_id, name in names.items():
        ids_of.setdefault(spelling(name), set()).add(agent_id)
    return {
        agent_id: agent_key(name, agent_id) if len(ids_of[spelling(name)]) > 1 else name
        for agent_id, name in names.items()
    }


def keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Tickets or calls with `agent` as `agent_keys` gives it (the frame itself when the
    rows have no agent id, or nothing changes)."""
    if "agent_id" not in frame:
        return frame
    keys = agent_keys(frame.get("agent"), frame["agent_id"])
    return frame if keys is None else frame.assign(agent=keys)


def agent_keys(names: pd.Series | None, ids: pd.Series) -> pd.Series | None:
    """Each row's agent as every figure keys it, from its name and its id (trimmed text, NA
    when blank); None when that is the names as they are (the usual case: nothing to do).

    A row with an id is its id's agent: the id's name (the name most of its rows give, ties
    in code-point order; the id itself when no row names it), shown as `agent_key` when
    another id has that name. A row without an id keeps its name: which of two 张伟 it is,
    the data does not say.
    """
    has = ids.notna().to_numpy(dtype=bool)
    if not has.any():
        return None
    given = pd.Series(pd.NA, index=ids.index, dtype="string") if names is None else names
    # One pass over the distinct (name, id) pairs, not the rows.
    counts = pd.DataFrame({"name": given, "id": ids})[has].value_counts(dropna=False)
    spelled: dict[str, dict[str, int]] = {}
    unnamed = False  # a row with an id and no name
    for (name, agent_id), n in counts.items():
        options = spelled.setdefault(str(agent_id), {})
        if pd.isna(name):
            unnamed = True
        else:
            options[str(name)] = int(n)
    named = {
        a: min(options.items(), key=lambda kv: (-kv[1], kv[0]))[0] if options else a
        for a, options in spelled.items()
    }
    shown = shown_names(named)
    if not unnamed and all(len(spelled[a]) == 1 and shown[a] == named[a] for a in shown):
        return None  # each id has one name of its own on every row: the names as they are
    out = given.to_numpy(dtype=object, na_value=None)
    out[has] = ids[has].astype(object).map(shown).to_numpy(dtype=object)
    return pd.Series(out, index=ids.index, dtype=given.dtype)


@dataclass(frozen=True)
class Alias:
    spelling: str  # as typed in the Aliases sheet
    agent_id: str


@dataclass
class Resolved:
    agent_id: pd.Series  # per ticket: the agent id, or NA
    unknown: dict[str, int] = field(default_factory=dict)  # spelling as in the data -> tickets
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # spelling -> ids


@dataclass
class AliasTable:
    """Spellings to agent ids; duplicated spellings with different ids are ambiguous."""

    ids: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, aliases: Iterable[Alias], names: dict[str, str] | None = None) -> AliasTable:
        """From alias rows, plus each roster agent's own name and id (`names`: id -> name)."""
        seen: dict[str, set[str]] = {}
        pairs = [(a.spelling, a.agent_id) for a in aliases]
        pairs += [(agent_id, agent_id) for agent_id in (names or {})]
        pairs += [(name, agent_id) for agent_id, name in (names or {}).items()]
        for text, agent_id in pairs:
            key = spelling(text)
            if key:
                seen.setdefault(key, set()).add(str(agent_id).strip())
        table = cls()
        for key, ids in seen.items():
            if len(ids) == 1:
                table.ids[key] = next(iter(ids))
            else:
                table.ambiguous[key] = tuple(sorted(ids))
        return table

    def lookup(self, text: object) -> str | tuple[str, ...] | None:
        """The agent id; a tuple of ids when ambiguous; None when unknown."""
        key = spelling(text)
        if key in self.ids:
            return self.ids[key]
        if key in self.ambiguous:
            return self.ambiguous[key]
        if SUB_ACCOUNT in key:  # 店铺:小美 -> 小美, when that names one agent only
            tail = key.rsplit(SUB_ACCOUNT, 1)[1].strip()
            if tail in self.ids:
                return self.ids[tail]
            if tail in self.ambiguous:
                return self.ambiguous[tail]
        return None


def resolve(names: pd.Series, table: AliasTable) -> Resolved:
    """Agent ids for a column of names, looked up once per distinct spelling."""
    ids: dict[object, object] = {}
    unknown: dict[str, int] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    counts = names.value_counts(dropna=True)
    for text, n in counts.items():
        found = table.lookup(text)
        if isinstance(found, tuple):
            ambiguous[str(text)] = found
        elif found is None:
            if spelling(text):
                unknown[str(text)] = int(n)
        else:
            ids[text] = found
    agent_id = names.map(ids).astype("string")
    return Resolved(agent_id, dict(sorted(unknown.items())), dict(sorted(ambiguous.items())))


# ------------------------------------------------------------------ teams over time
@dataclass(frozen=True)
class Membership:
    agent_id: str
    team: str
    first: date
    last: date | None = None  # None: still in the team

    def __post_init__(self) -> None:
        if self.last is not None and self.last < self.first:
            raise Invalid(
                f"{self.agent_id}: left {self.team} before joining it",
                f"{self.agent_id}：离开 {self.team} 的日期早于加入的日期",
            )


def team_on(agent_id: pd.Series, day: pd.Series, memberships: Iterable[Membership]) -> pd.Series:
    """The team each (agent, day) pair belongs to; NA outside every membership period.

    Periods of one agent must not overlap (an agent is in one team at a time); a ticket on
    the day of a transfer counts for the new team when the old period ends the day before.
    """
    periods = pd.DataFrame(
        [(m.agent_id, m.team, pd.Timestamp(m.first), m.last) for m in memberships],
        columns=["agent_id", "team", "first", "last"],
    )
    out = pd.Series(pd.NA, index=agent_id.index, dtype="string")
    if periods.empty:
        return out
    _check_overlaps(periods)
    # One resolution for both sides: merge_asof needs equal datetime units.
    periods["first"] = pd.to_datetime(periods["first"]).astype("datetime64[ns]")
    periods["last"] = (
        pd.to_datetime(periods["last"]).fillna(pd.Timestamp("2262-01-01")).astype("datetime64[ns]")
    )
    tickets = pd.DataFrame(
        {
            "agent_id": agent_id.astype("string"),
            "day": pd.to_datetime(day).dt.normalize().astype("datetime64[ns]"),
        }
    )
    tickets["pos"] = range(len(tickets))
    known = tickets.dropna(subset=["agent_id", "day"]).sort_values("day")
    merged = pd.merge_asof(
        known,
        periods.astype({"agent_id": "string"}).sort_values("first"),
        left_on="day",
        right_on="first",
        by="agent_id",
        direction="backward",
    )
    inside = merged["day"] <= merged["last"]
    values = merged["team"].where(inside).astype("string")
    out.iloc[merged["pos"].to_numpy()] = values.to_numpy()
    return out


def _check_overlaps(periods: pd.DataFrame) -> None:
    for agent, rows in periods.sort_values("first").groupby("agent_id"):
        ends = rows["last"].tolist()
        starts = rows["first"].tolist()
        for i in range(1, len(rows)):
            end = ends[i - 1]
            if end is None or pd.isna(end) or pd.Timestamp(end) >= starts[i]:
                raise Invalid(
                    f"{agent}: team periods overlap at {starts[i].date()}",
                    f"{agent}：在 {starts[i].date()} 的团队期间重叠",
                )


# ------------------------------------------------------------------ bonus pro-rating
Proration = Literal["calendar", "workdays", "none"]
PRORATIONS: tuple[Proration, ...] = ("calendar", "workdays", "none")


@dataclass(frozen=True)
class DaysInTeam:
    """Days of a month in the plan's team and days of the month, counted under one rule."""

    days: int
    month: int

    def share(self, rule: Proration) -> float:
        """The part of the bonus earned: ``IF(AND(rule<>"不折算",month>0),days/month,1)``.

        A month without a day to count (only possible through the Holidays sheet under the
        working-day rule) is not pro-rated.
        """
        if rule == "none" or self.month <= 0:
            return 1.0
        return self.days / self.month


def month_days(month: str) -> list[date]:
    """Every calendar day of a month given as 'YYYY-MM'."""
    year, m = (int(part) for part in month.split("-"))
    first = date(year, m, 1)
    return [first + timedelta(days=i) for i in range(monthrange(year, m)[1])]


def days_in_team(
    memberships: Iterable[Membership],
    agent_id: str | None,
    team: str | None,
    month: str,
    rule: Proration = "calendar",
    work_calendar=None,
) -> DaysInTeam:
    """An agent's days in `team` during `month`, from their membership periods.

    Counted days: every calendar day ("calendar", and "none", which shows calendar days but
    does not pro-rate), or China working days ("workdays": `work_calendar`, a
    `csxl.domain.calendar.WorkCalendar`, with 调休 make-up days and the Holidays sheet). An
    agent without any period was in the team all month. Otherwise the days inside a period
    in `team` count (inside any period when `team` is blank): a transfer on the 16th gives
    the old team the days up to the 15th and the new team the rest; a leaver counts up to the
    last day, a joiner from the first.
    """
    if rule not in PRORATIONS:
        raise ValueError(f"unknown pro-rating rule {rule!r}")
    days = month_days(month)
    if rule == "workdays":
        if work_calendar is None:
            from csxl.domain.calendar import WorkCalendar

            work_calendar = WorkCalendar()
        days = [d for d in days if work_calendar.is_workday(d)]
    mine = [m for m in memberships if agent_id is not None and m.agent_id == agent_id]
    if not mine:
        return DaysInTeam(len(days), len(days))
    periods = [(m.first, m.last or date.max) for m in mine if not team or m.team == team]
    inside = sum(1 for d in days if any(first <= d <= last for first, last in periods))
    return DaysInTeam(inside, len(days))
