"""The rooms: one module per sheet of the plan, in the order they are built, and the
registry that wires them (docs/workbook.md, "The house").

Each module has `build(ctx)`; a room whose inputs a plan holds has `read(book, state)` (the
manager's cells into `PlanState`), and a room refresh writes has `write(book, ctx)` (its
owned regions, docs/workbook.md "Who owns what"). `read_plan` and `refresh` loop over `ROOMS`
for the sheets the plan has, in this order: refresh runs the steps that change the agents'
rows (`scope`, `load`, `review` ..., each checking whether the plan has its sheet), then
each room's `refresh(month)`. What a command needs of one room by role goes through the
small functions at the end of this module, so that no module outside the rooms and the
registry names a sheet (tests/workbook/test_rooms.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from csxl.domain.agents import AgentRow
from csxl.errors import InputError, Location
from csxl.workbook.book import Ctx, PlanInputs, RosterTeam
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
    # The sheet that holds the template version a plan was made by: the version, and where
    # (rows, file name, the plan's language).
    version: Callable[[list[list[object]], str, str], tuple[str, Location]] | None = None
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
    # ... and the labels of its part of the department summary, by language.
    summary_text: Callable[[str], Mapping[str, object]] | None = None
    # `csxl kpi PLAN`: what it reads of the sheet from a plan file's cached values, by name
    # ("team", "sla_targets", "call_settings"): (rows, file, sheet title, language) -> value.
    kpi: tuple[tuple[str, Callable[[list[list[object]], str, str, str], object]], ...] = ()
    # `csxl batch`: what a roster team sets in the sheet's inputs of its plan, and the cells
    # that differ from the plan built with a placeholder team and the defaults
    # (`formulas()`: that built sheet's formula texts by address, for cached values).
    roster: Callable[[PlanInputs, RosterTeam], None] | None = None
    team_cells: Callable[[PlanInputs, Callable[[], Mapping[str, str]]], dict] | None = None
    # `csxl new`, `batch` and `upgrade`: what they say about the sheet of a plan they write.
    warn: Callable[[PlanInputs], str | None] | None = None


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
        version=settings.version,
        kpi=settings.KPI,
        summarise=settings.summarise,
        refresh=settings.refresh,
        write=settings.write,
        roster=settings.roster,
        team_cells=settings.team_cells,
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
        roster=goals.roster,
        team_cells=goals.team_cells,
    ),
    # Dashboard reads the Settings and Goals cells built above.
    Room("Guide", guide.build, rendered=False),
    Room(
        "Dashboard",
        dashboard.build,
        refresh=dashboard.refresh,
        write=dashboard.write,
        rescore=dashboard.rescore,
        team_cells=dashboard.team_cells,
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
        summary_text=milestones.summary_text,
        rendered=False,
    ),
    Room(
        "Budget",
        budget.build,
        upgrade=budget.upgrade,
        summarise=budget.summarise,
        summary_text=budget.summary_text,
        rendered=False,
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
        warn=holidays.open_year_warning,
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
        roster=team.roster,
        team_cells=team.team_cells,
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
        roster=aliases.roster,
        team_cells=aliases.team_cells,
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
        kpi=calls.KPI,
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


def roster_inputs(team: RosterTeam, lang: str, year: int, today: date) -> PlanInputs:
    """The inputs of a roster team's plan (`csxl batch`): each room's part of the roster."""
    p = PlanInputs(lang=lang, year=year, today=today)
    for room in ROOMS:
        if room.roster is not None:
            room.roster(p, team)
    return p


def team_cells(
    p: PlanInputs, formulas: Callable[[str], Mapping[str, str]]
) -> dict[str, dict[tuple[int, int], object]]:
    """Per sheet key, the cells of `p`'s plan that differ from the plan built with a
    placeholder team and the defaults (`csxl batch` patches them into that plan).
    `formulas(key)`: the built sheet's formula texts by address."""
    out = {}
    for room in ROOMS:
        if room.team_cells is not None:
            cells = room.team_cells(p, lambda key=room.key: formulas(key))
            if cells:
                out[room.key] = cells
    return out


def written_warnings(p: PlanInputs) -> list[str]:
    """What `csxl new`, `batch` and `upgrade` say about a plan they write from `p`."""
    return [w for room in ROOMS if room.warn is not None and (w := room.warn(p))]


def versioned() -> Room:
    """The room whose sheet holds the template version (`csxl upgrade` reads it first)."""
    return next(room for room in ROOMS if room.version is not None)


def summary_text(lang: str) -> dict[str, object]:
    """The rooms' labels of their parts of the department summary (`csxl consolidate`)."""
    out: dict[str, object] = {}
    for room in ROOMS:
        if room.summary_text is not None:
            out.update(room.summary_text(lang))
    return out


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


def plan_version(book: Book) -> tuple[str, Location]:
    """(the template version the plan says it was made with, where it says so)."""
    room = versioned()
    return room.version(book.rows(room.key), book.name, book.lang)


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


def staff_inputs(
    book_name: str, state: PlanState, now: datetime, tickets
) -> tuple[dict, int, list[str]]:
    """`csxl staff`: the staffing inputs filled from the plan's tickets or the manual
    forecast, (row counts, rows rejected, warnings); the room refuses a plan without it."""
    return staffing.staff(book_name, state, now, tickets)


def staff_write(book: Book, ctx: Ctx) -> None:
    """What `csxl staff` writes: the staffing sheet's owned regions."""
    staffing.write(book, ctx)


def staff_notes(inputs: PlanInputs) -> list[str]:
    """What `csxl staff` prints: the busiest interval's agents and scheduled heads."""
    return staffing.notes(inputs)


def unscored(book_name: str, lang: str) -> InputError:
    """The refusal of a re-score before the plan has any agent rows."""
    return scores.unscored(book_name, lang)
