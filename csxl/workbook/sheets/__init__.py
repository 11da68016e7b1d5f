"""The rooms: one module per sheet of the plan, in the order they are built.

Each module has `build(ctx)`; a room whose inputs a plan holds has `read(book, state)` (the
manager's cells into `PlanState`), and a room refresh writes has `write(book, ctx)` (its
owned regions, docs/workbook.md "Who owns what"). `read_plan` and `refresh` loop over `ROOMS`
for the sheets the plan has, in this order; refresh runs the rooms' steps (`scope`, `load`,
`review` ...) for every plan, each step checking whether the plan has its sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from csxl.domain.agents import AgentRow
from csxl.domain.people import Member
from csxl.workbook.book import Ctx, PlanInputs
from csxl.workbook.port import Book
from csxl.workbook.scorecard import AgentCard
from csxl.workbook.sheets import (
    actions,
    aliases,
    appeals,
    audit,
    budget,
    call_records,
    calls,
    dashboard,
    data,
    errors,
    goals,
    guide,
    holidays,
    incentives,
    incidents,
    mapping,
    milestones,
    orders,
    qa,
    risks,
    scores,
    settings,
    sla,
    staffing,
    team,
    trend,
)
from csxl.workbook.state import Month, PlanState, has_paste_sheet, has_sheet
from csxl.workbook.team_book import TeamBook

Row = tuple[object, ...]  # an Errors sheet row
Days = tuple[list[AgentRow], list[str]]
Scorer = Callable[[AgentRow], float | None]


@dataclass(frozen=True)
class Room:
    key: str
    build: Callable[[Ctx], None]
    # Refresh renders the sheet: it writes it, or the builder of one it writes reads it.
    # The others (the Milestones Gantt, Budget, Risks ...) cost about a quarter of the
    # render and change no written cell (tests/test_refresh_render.py renders both ways).
    rendered: bool = True
    read: Callable[[Book, PlanState], None] | None = None
    write: Callable[[Book, Ctx], None] | None = None
    # Has the plan this sheet? None: every plan csxl reads has it; the others came later,
    # and a plan made before them has not. `flag` is the PlanState field that says so.
    present: Callable[[Book], bool] | None = None
    flag: str | None = None
    # Checked before anything is read by address: its landmarks (`layout.LANDMARKS`;
    # `landmarks=False`: not checked), its blocks of a fixed number of rows, and `check`.
    # (The Goals cascade is read to the sheet's end; the SLA sheet's two blocks have a note
    # and a landmark below them: neither has blocks here.)
    landmarks: bool = True
    blocks: tuple[tuple[tuple[int, int], int, int | None], ...] = ()
    check: Callable[[Book, list[list[object]]], None] | None = None
    # `csxl upgrade`: what the room reads of an old plan into the inputs (and says it moved),
    # and what it copies cell for cell into the new plan (inputs without a model).
    upgrade: Callable[[Book, PlanInputs], list[tuple[str, str]]] | None = None
    carry: Callable[[Book, Book], list[tuple[str, str]]] | None = None
    # `csxl consolidate`: the room's part of a team's summary (`TeamBook`), from cached values.
    summarise: Callable[[list[list[object]], TeamBook, str, str], None] | None = None
    # `csxl refresh`: the room's part of the month (its fields of the inputs, from what
    # the refresh computed), returning warnings; run in this order after the agents' rows.
    refresh: Callable[[Month], list[str]] | None = None
    # `csxl score`: what a re-score (new targets or rules, no data read) rewrites.
    rescore: Callable[[Book, Ctx], None] | None = None
    # `csxl validate`: what it writes (the rejected rows).
    validate: Callable[[Book, Ctx], None] | None = None
    # The command's warnings as the manager reads them: the room rewrites those of its kind.
    say: Callable[[PlanInputs, list], list[str]] | None = None
    # Refresh's steps (csxl/refresh.py runs each room's, in ROOMS order, for every plan: a
    # step checks itself whether the plan has its sheet). What one room's step leaves for
    # another's goes on PlanState, never through an import of the other room.
    # The tickets the plan counts (tickets, warnings).
    scope: Callable[[str, PlanState, Any], tuple[Any, list[str]]] | None = None
    # Pasted rows besides the Data sheet, read onto the state: (rows rejected, Errors rows,
    # warnings).
    load: Callable[[Book, PlanState], tuple[int, list[Row], list[str]]] | None = None
    # The manager's adjustments checked for the month (Data's valid tickets of every month,
    # or None when re-scoring; the agents on Scores then): Errors rows.
    review: Callable[[str, PlanState, Any, str, set[str] | None], list[Row]] | None = None
    # The agent groups and the month's frame the agents' figures come from.
    figures: Callable[[PlanState, Any, tuple, list[dict], Any], tuple[list[dict], Any]] | None = (
        None
    )
    # The agents' days in the team that month: (agent rows, warnings).
    days: Callable[[str, PlanState, str | None, list[AgentRow]], Days] | None = None
    # The month's results of the room's own rows (all tickets' frame given): Errors rows.
    inspect: Callable[[str, PlanState, Any, str], list[Row]] | None = None
    # More values per agent row (a score the room computes).
    values: Callable[[PlanInputs, list[AgentRow]], list[AgentRow]] | None = None
    # Overrides into `state.inputs.agents` (the rows before them, the time, the month, the
    # agent's weighted score as Scores computes it).
    adjust: Callable[[PlanState, list[AgentRow], datetime, str, Scorer], None] | None = None
    # `csxl export-agent-sheets`: the room's part of each agent's card (a refreshed plan's
    # cached values; `csxl.workbook.scorecard.AgentCard`), in ROOMS order.
    scorecards: Callable[[Book, PlanState, list[AgentCard]], None] | None = None


def _sheet(*keys: str) -> Callable[[Book], bool]:
    return lambda book: all(has_sheet(book, k) for k in keys)


def _pasted(key: str) -> Callable[[Book], bool]:
    return lambda book: has_paste_sheet(book, key)


def _calls(book: Book) -> bool:
    """The Calls sheet counts with the call records it is computed from."""
    return has_sheet(book, "Calls") and has_paste_sheet(book, "CallRecords")


ROOMS: tuple[Room, ...] = (
    Room(
        "Settings",
        settings.build,
        read=settings.read,
        upgrade=settings.upgrade,
        carry=settings.carry,
        summarise=settings.summarise,
        refresh=settings.refresh,
        write=settings.write,
    ),
    Room(
        "Incentives",
        incentives.build,
        read=incentives.read,
        upgrade=incentives.upgrade,
        carry=incentives.carry,
    ),
    Room(
        "Goals",
        goals.build,
        read=goals.read,
        upgrade=goals.upgrade,
        summarise=goals.summarise,
        refresh=goals.refresh,
        write=goals.write,
        rescore=goals.rescore,
    ),
    # Dashboard reads the Settings and Goals cells built above.
    Room("Guide", guide.build, rendered=False),
    Room(
        "Dashboard",
        dashboard.build,
        refresh=dashboard.refresh,
        write=dashboard.write,
        rescore=dashboard.rescore,
    ),
    Room(
        "Scores",
        scores.build,
        read=scores.read,
        carry=scores.carry,
        summarise=scores.summarise,
        refresh=scores.refresh,
        write=scores.write,
        rescore=scores.write,
        scorecards=scores.scorecards,
    ),
    Room("Data", data.build, carry=data.carry, rendered=False),
    Room(
        "Orders",
        orders.build,
        carry=orders.carry,
        rendered=False,
        present=_pasted("Orders"),
        flag="has_orders",
    ),
    Room(
        "CallRecords",
        call_records.build,
        carry=call_records.carry,
        rendered=False,
        load=call_records.load,
    ),
    Room(
        "Mapping",
        mapping.build,
        carry=mapping.carry,
        rendered=False,
        read=mapping.read,
        blocks=mapping.BLOCKS,
    ),
    Room(
        "Errors",
        errors.build,
        write=errors.write,
        validate=errors.write,
        landmarks=False,
    ),
    Room(
        "Trend",
        trend.build,
        upgrade=trend.upgrade,
        read=trend.read,
        refresh=trend.refresh,
        write=trend.write,
    ),
    Room(
        "Milestones",
        milestones.build,
        upgrade=milestones.upgrade,
        summarise=milestones.summarise,
        rendered=False,
    ),
    Room(
        "Budget", budget.build, upgrade=budget.upgrade, summarise=budget.summarise, rendered=False
    ),
    Room("Risks", risks.build, upgrade=risks.upgrade, summarise=risks.summarise, rendered=False),
    Room(
        "Staffing",
        staffing.build,
        upgrade=staffing.upgrade,
        read=staffing.read,
        refresh=staffing.refresh,
        write=staffing.write,
        present=_sheet("Staffing"),
        flag="has_staffing",
        check=staffing.check_rows,
    ),
    Room(
        "SLA",
        sla.build,
        upgrade=sla.upgrade,
        read=sla.read,
        refresh=sla.refresh,
        write=sla.write,
        present=_sheet("SLA"),
        flag="has_sla",
    ),
    Room(
        "Holidays",
        holidays.build,
        upgrade=holidays.upgrade,
        read=holidays.read,
        write=holidays.write,
        say=holidays.plan_warnings,
        present=_sheet("Holidays"),
        blocks=holidays.BLOCKS,
    ),
    Room("Incidents", incidents.build, upgrade=incidents.upgrade, rendered=False),
    Room(
        "Actions",
        actions.build,
        upgrade=actions.upgrade,
        read=actions.read,
        refresh=actions.refresh,
        write=actions.write,
        present=_sheet("Actions"),
        flag="has_actions",
        blocks=actions.BLOCKS,
    ),
    Room(
        "Team",
        team.build,
        upgrade=team.upgrade,
        read=team.read,
        refresh=team.refresh,
        write=team.write,
        present=_sheet("Team"),
        flag="has_team",
        blocks=team.BLOCKS,
    ),
    Room(
        "Aliases",
        aliases.build,
        upgrade=aliases.upgrade,
        rendered=False,
        read=aliases.read,
        present=_sheet("Aliases"),
        flag="has_aliases",
        blocks=aliases.BLOCKS,
        scope=aliases.team_scope,
        days=aliases.with_days,
    ),
    Room(
        "Appeals",
        appeals.build,
        upgrade=appeals.upgrade,
        read=appeals.read,
        write=appeals.write,
        present=_sheet("Appeals", "Audit"),
        flag="has_appeals",
        blocks=appeals.BLOCKS,
        review=appeals.review,
        figures=appeals.figures,
        adjust=appeals.adjust,
    ),
    Room(
        "QA",
        qa.build,
        upgrade=qa.upgrade,
        read=qa.read,
        write=qa.write,
        present=_sheet("QA"),
        flag="has_qa",
        blocks=qa.BLOCKS,
        inspect=qa.inspect,
        values=qa.with_scores,
    ),
    Room(
        "Calls",
        calls.build,
        upgrade=calls.upgrade,
        read=calls.read,
        write=calls.write,
        present=_calls,
        flag="has_calls",
        refresh=calls.refresh,
    ),
    Room(
        "Audit",
        audit.build,
        read=audit.read,
        write=audit.write,
        present=_sheet("Appeals", "Audit"),
        landmarks=False,
        adjust=audit.adjust,
        scorecards=audit.scorecards,
    ),
)

SHEET_BUILDERS: dict[str, Callable[[Ctx], None]] = {r.key: r.build for r in ROOMS}
NOT_RENDERED = frozenset(r.key for r in ROOMS if not r.rendered)


def roster_cells(
    lang: str,
    today: date,
    members: Sequence[Member],
    alias_rows: Sequence[tuple[str, str, str]],
    formulas: Callable[[str], Mapping[str, str]],
) -> dict[str, dict[tuple[int, int], object]]:
    """Per sheet key, the cells a roster's agents fill in a plan built without them (`csxl
    batch`): Team's agent rows and Aliases' left table. `formulas(key)`: the built sheet's
    formula texts by address."""
    return {
        "Team": team.roster_cells(members, lang, today, formulas("Team")),
        "Aliases": aliases.roster_cells(alias_rows),
    }


def scores_shown(ctx: Ctx, inputs: PlanInputs) -> list[tuple[str, object, object, object]]:
    """(agent, weighted score, grade, bonus) per agent, as the rendered plan shows them:
    what refresh and score report."""
    return scores.shown(ctx, inputs)


def goals_actuals(book: Book, inputs: PlanInputs) -> dict[str, float]:
    """The team actuals the plan holds (what `csxl score` scores against)."""
    return goals.actuals(book, inputs)


def manager_entries(state: PlanState, month: str) -> dict[str, tuple[object, object]]:
    """The manager's red-line ticks and notes per agent for `month`, before the agents'
    rows are made: switching months keeps the shown month's in the history (Trend)."""
    return trend.switch_month(state, month)


def plan_version(book: Book):
    """(the template version the plan says it was made with, where it says so)."""
    return settings.version(book)


def agent_rows(state: PlanState, groups: list[dict], frame, manager) -> list:
    """The month's row of each agent (`kpis.compute` groups by agent), with the manager's
    entries (`manager_entries`) kept with their agent: the rows Scores shows."""
    return scores.agent_rows(state, groups, frame, manager)


def with_awards(inputs: PlanInputs, month: str | None) -> list:
    """The agents' rows with the month's awards (Incentives' rules, Team's hire dates)."""
    return scores.with_awards(inputs, month)


def weighted_score(inputs: PlanInputs, agent: AgentRow) -> float | None:
    """An agent's weighted score as the Scores formulas compute it."""
    return scores.score_of(inputs, agent)
