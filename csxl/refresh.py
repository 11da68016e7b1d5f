"""Refresh, score and validate a plan workbook: the engine behind the ribbon buttons.

Each works on a `csxl.workbook.port.Book`, so `csxl refresh FILE` (the package adapter) and
the ribbon button (the live xlwings adapter) run the same code. A plan is rendered in memory
from the manager's current inputs plus what the data gives (the same code that builds a new
plan, so every formula and its cached value come from one place), and only the regions csxl
owns are copied from that rendering into the workbook.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from csxl.domain.agents import AgentRow, RowKind
from csxl.domain.columns import TICKETS as TICKET_COLUMNS
from csxl.errors import InputError, Location, printable
from csxl.errors import t as tr  # `t` is a target in this module's loops
from csxl.workbook import layout, owned
from csxl.workbook.book import Ctx, PlanInputs, collecting_later
from csxl.workbook.plan_reader import PlanState, read_plan
from csxl.workbook.port import Book
from csxl.workbook.sheets import (
    ROOMS,
    agent_rows,
    goals_actuals,
    manager_entries,
    scores_shown,
    staff_inputs,
    staff_notes,
    staff_write,
    unscored,
    weighted_score,
    with_awards,
)
from csxl.workbook.state import Month


@dataclass
class Outcome:
    """What a command did, for the message shown to the manager."""

    workbook: str
    month: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    agents: int = 0
    problems: int = 0
    warnings: list[str] = field(default_factory=list)
    scores: list[tuple[str, object, object, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # plain lines, e.g. the staffing summary


# ------------------------------------------------------------------ reading tickets
def _tickets(book: Book, state: PlanState):
    from csxl.domain.synonyms import Synonyms
    from csxl.domain.tickets import load_tickets

    synonyms = Synonyms()
    synonyms.extend(state.mapping_for())
    return load_tickets(book.data(synonyms))


def plan_tickets(book: Book, state: PlanState):
    """The Data sheet's tickets as refresh counts them: headers through Mapping, only the
    plan's team (Settings) when it names one, one name per agent and teams by day through
    Aliases. (tickets, Errors rows, warnings)"""
    _, tickets, errors, warnings = _scoped_tickets(book, state)
    return tickets, errors, warnings


def _scoped_tickets(book: Book, state: PlanState):
    """(the Data sheet's row counts, the tickets the plan counts, Errors rows, warnings).

    The counts are the sheet's (read = valid + rejected + duplicates, as `csxl kpi` gives
    for the file); the team filter comes after, like the month, and its warning says how
    many valid tickets of other teams were left out."""
    tickets = _tickets(book, state)
    rows = tickets.rows()
    tickets, warnings = _team_scope(book.name, state, tickets)
    errors: list[tuple[object, ...]] = []
    more: list[str] = []
    if state.names is not None:  # one name per agent (Aliases)
        tickets, errors, more = state.names.resolve(book.name, tickets, TICKETS)
    return rows, tickets, errors, warnings + more


# The Data sheet's tickets, as the names of their agents are resolved.
TICKETS = RowKind(
    layout.paste_area(TICKET_COLUMNS), "created_at", ("张工单", "tickets"), lists_missing_ids=True
)


def _team_tickets(book: Book, state: PlanState):
    """(the Data sheet's row counts, the plan's team's tickets, warnings); a team plan
    whose sheet holds only other teams' tickets is refused."""
    tickets = _tickets(book, state)
    rows = tickets.rows()
    tickets, warnings = _team_scope(book.name, state, tickets)
    if tickets.valid == 0 and rows["valid"]:
        raise _no_team_tickets(book, state, rows)
    return rows, tickets, warnings


def _no_team_tickets(book: Book, state: PlanState, rows: dict[str, int]) -> InputError:
    """The refusal of a team plan whose Data sheet holds only other teams' tickets."""
    p = state.inputs
    data = layout.title(layout.paste_area(TICKET_COLUMNS), p.lang)
    settings, row, column = layout.team_setting(p.lang)
    return InputError(
        tr(
            f"“{data}”表中没有计划团队“{printable(p.team)}”的工单：其 {rows['valid']:,} 张有效工单"
            "都属于其他团队。",
            f"the Data sheet has no tickets of the plan's team {p.team!r}: its "
            f"{rows['valid']:,} valid tickets are of other teams.",
        ),
        Location(book.name, settings, row, column),
        tr(
            f"请检查“{settings}”表上的团队（留空 = 全部团队），或粘贴本团队的导出。",
            "Check the team on Settings (blank = every team), or paste this team's export.",
        ),
    )


def _orders(book: Book, state: PlanState):
    """The Orders sheet's orders (None for a plan made before the sheet existed)."""
    if not state.has_orders:
        return None
    from csxl.domain.columns import ORDERS
    from csxl.domain.orders import load_orders
    from csxl.domain.synonyms import Synonyms

    synonyms = Synonyms(ORDERS)
    synonyms.extend(m for m in state.mapping_for() if m[1] in ORDERS.columns)
    return load_orders(book.orders(synonyms))


# ------------------------------------------------------------------ the rooms' steps
def _steps(name: str) -> list:
    """The rooms' refresh steps of one kind (`csxl.workbook.sheets.Room`), in ROOMS order."""
    return [getattr(r, name) for r in ROOMS if getattr(r, name) is not None]


def _team_scope(book_name: str, state: PlanState, tickets):
    """The tickets the plan counts (its team's), and warnings."""
    warnings: list[str] = []
    for scope in _steps("scope"):
        tickets, said = scope(book_name, state, tickets)
        warnings += said
    return tickets, warnings


def _load(book: Book, state: PlanState) -> tuple[int, list[tuple[object, ...]], list[str]]:
    """The pasted rows besides Data (onto the state): (rows rejected, Errors rows, warnings)."""
    problems, errors, warnings = 0, [], []
    for load in _steps("load"):
        n, e, w = load(book, state)
        problems, errors, warnings = problems + n, errors + e, warnings + w
    return problems, errors, warnings


def _inspect(book_name: str, state: PlanState, frame, month: str) -> list[tuple[object, ...]]:
    return [e for inspect in _steps("inspect") for e in inspect(book_name, state, frame, month)]


def _days(book_name: str, state: PlanState, month: str | None, agents: list[AgentRow]):
    warnings: list[str] = []
    for days in _steps("days"):
        agents, said = days(book_name, state, month, agents)
        warnings += said
    return agents, warnings


def _values(p: PlanInputs, agents: list[AgentRow]) -> list[AgentRow]:
    for values in _steps("values"):
        agents = values(p, agents)
    return agents


def _adjust(state: PlanState, before: list[AgentRow], now: datetime, month: str) -> None:
    p = state.inputs
    for adjust in _steps("adjust"):
        adjust(state, before, now, month, lambda a: weighted_score(p, a))


# ------------------------------------------------------------------ commands
@contextmanager
def _released(book: Book):
    """A refused or failed command gives up the workbook's lock at once, not when the book
    is collected (a committed one has given it up already). Meanwhile the sheets go by
    their names in the file, so formulas csxl writes refer to a renamed sheet as it is
    named now."""
    titles = getattr(book, "titles", None)
    try:
        with layout.renamed(book.lang, titles.renamed() if titles is not None else {}):
            yield
    finally:
        release = getattr(book, "release", None)
        if release is not None:
            release()


def validate(book: Book) -> Outcome:
    """Check the Data sheet and list every rejected row on Errors; nothing else changes."""
    with _released(book):
        return _validate(book)


def _validate(book: Book) -> Outcome:
    state = read_plan(book)
    tickets = _tickets(book, state)
    rows = tickets.rows()
    # The team's tickets (the Errors sheet still lists every rejected row of the sheet).
    tickets, warnings = _team_scope(book.name, state, tickets)
    orders = _orders(book, state)
    pasted_problems, pasted_errors, pasted_warnings = _load(book, state)
    warnings += pasted_warnings
    state.inputs.errors = owned.problem_rows(tickets, book.lang)
    if orders is not None:
        state.inputs.errors += owned.problem_rows(orders, book.lang)
    state.inputs.errors += pasted_errors
    # The QA rows too (unreadable dates, unknown names); the month only decides what counts.
    qa_errors = _inspect(book.name, state, tickets.frame, state.shown_month or "")
    state.inputs.errors += qa_errors
    ctx = render(state.inputs)
    for room in ROOMS:
        if room.validate is not None:
            room.validate(book, ctx)
    book.commit()
    problems = len(tickets.problems) + (len(orders.problems) if orders is not None else 0)
    problems += pasted_problems
    problems += len(qa_errors)
    warnings = [*state.warnings, *warnings]
    return Outcome(book.name, rows=rows, problems=problems, warnings=warnings)


def refresh(book: Book, month: str | None = None, now: datetime | None = None) -> Outcome:
    """Data sheet -> Goals actuals, Dashboard, Scores, Errors, Trend, Settings' refresh info."""
    with _released(book):
        return _refresh(book, month, now)


def _refresh(book: Book, month: str | None = None, now: datetime | None = None) -> Outcome:
    from csxl.domain import kpis
    from csxl.kpi_report import Period

    state = read_plan(book)
    p = state.inputs
    rows, tickets, identity_errors, identity_warnings = _scoped_tickets(book, state)
    if tickets.valid == 0 and rows["valid"]:
        raise _no_team_tickets(book, state, rows)
    if tickets.valid == 0:
        raise InputError(
            tr("没有可用的工单。", "the Data sheet has no usable tickets."),
            Location(book.name, layout.title(layout.paste_area(TICKET_COLUMNS), p.lang)),
            tr(
                f"请把导出粘贴在标题行之下；被拒绝的行列在“{layout.rejected_rows_sheet(p.lang)}”表上。",
                "Paste the export below the header row; the Errors sheet lists rejected rows.",
            ),
        )
    month = month or tickets.frame["created_at"].max().strftime("%Y-%m")
    period = Period.parse(month, None, None)
    window = (period.start, period.end)
    frame = kpis.in_period(tickets.frame, window)  # the month's tickets
    if frame.empty:
        first = tickets.frame["created_at"].min().strftime("%Y-%m")
        last = tickets.frame["created_at"].max().strftime("%Y-%m")
        raise InputError(
            tr(
                f"没有创建于 {month} 的工单。", f"the Data sheet has no tickets created in {month}."
            ),
            Location(book.name, layout.title(layout.paste_area(TICKET_COLUMNS), p.lang)),
            tr(
                f"工单的创建月份从 {first} 到 {last}；请指定其中一个月份。",
                f"Its tickets run from {first} to {last}; give one of those months.",
            ),
        )
    result = kpis.compute(tickets, ("all", "agent"), state.kpi_settings, window)
    result.warnings.extend(state.warnings)  # the plan's own: weights (Goals' note says it too)
    result.warnings.extend(identity_warnings)
    team = result.groups[0]["kpis"]
    carried = manager_entries(state, month)
    now = (now or datetime.now()).replace(microsecond=0)
    # Approved appeals (the Appeals room's steps): excluded tickets leave their agent's
    # figures only; overrides replace values; every applied one goes to the Audit log.
    refused: list[tuple[object, ...]] = []  # their Errors rows
    for review in _steps("review"):
        refused += review(book.name, state, tickets.frame, month, None)
    groups, agent_frame = result.groups, frame
    for figures in _steps("figures"):
        groups, agent_frame = figures(state, tickets, window, groups, agent_frame)
    p.agents = agent_rows(state, groups, agent_frame, carried)
    # Days in the team (transfer periods on Aliases) pro-rate the bonus.
    p.agents, day_warnings = _days(book.name, state, month, p.agents)
    result.warnings.extend(day_warnings)
    adjusted = state.adjustments is not None
    before = agent_rows(state, result.groups, frame, carried) if adjusted else []
    # QA sheet: the month's QA scores (by date, aliases applied, excluded tickets out).
    qa_errors = _inspect(book.name, state, tickets.frame, month)
    p.agents, before = _values(p, p.agents), _values(p, before)
    _adjust(state, before, now, month)
    p.agents = with_awards(p, month)
    orders = _orders(book, state)
    pasted_problems, pasted_errors, pasted_warnings = _load(book, state)
    p.errors = owned.problem_rows(tickets, p.lang) + identity_errors
    p.errors += refused + qa_errors
    if orders is not None:
        p.errors += owned.problem_rows(orders, p.lang)
    p.errors += pasted_errors
    # The rooms' parts of the month, in the registry's order (`Room.refresh`).
    run = Month(book.name, state, tickets, frame, month, window, team, result.unavailable, now)
    run.orders = orders
    for room in ROOMS:
        if room.refresh is not None and room.key in state.present:
            said = room.refresh(run)
            result.warnings.extend(w for w in said if w not in result.warnings)
    result.warnings.extend(pasted_warnings)
    ctx = render(p)
    _write_rooms(book, ctx, state)
    book.commit()
    problems = len(tickets.problems) + (len(orders.problems) if orders is not None else 0)
    problems += pasted_problems
    return Outcome(
        book.name,
        month,
        rows,
        len(p.agents),
        problems,
        _said(p, result.warnings),
        scores_shown(ctx, p),
        notes=_source_notes(tickets),
    )


def score(book: Book, now: datetime | None = None) -> Outcome:
    """Re-score the agents on Scores with the current targets and rules (no data read)."""
    with _released(book):
        return _score(book, now)


def _score(book: Book, now: datetime | None = None) -> Outcome:
    state = read_plan(book)
    p = state.inputs
    if not state.agents:
        raise unscored(book.name, p.lang)
    team_row = {t.key: None for t in p.targets}
    p.actuals = goals_actuals(book, p) or team_row
    p.agents = [replace(a, award="") for a in state.agents]
    # The days again: the pro-rating rule or the transfer periods may have changed.
    p.agents, warnings = _days(book.name, state, state.shown_month, p.agents)
    warnings = [*state.warnings, *state.rewritten, *warnings]
    if state.shown_month:
        # Score and grade overrides again (KPI values and exclusions are in Scores already).
        named = {a.agent for a in p.agents if a.agent is not None}
        for review in _steps("review"):
            review(book.name, state, None, state.shown_month, named)
        if state.adjustments is not None:
            keep = {a.agent: a.adjusted for a in p.agents}
            audit = list(p.audit)
            _adjust(state, p.agents, now or datetime.now(), state.shown_month)
            p.audit = audit  # re-scoring logs nothing new
            p.agents = [replace(a, adjusted=a.adjusted or keep.get(a.agent)) for a in p.agents]
    p.agents = with_awards(p, state.shown_month)
    p.refresh_month = state.shown_month
    ctx = render(p)
    for room in ROOMS:
        if room.rescore is not None:
            room.rescore(book, ctx)
    book.commit()
    return Outcome(
        book.name,
        state.shown_month,
        agents=len(p.agents),
        warnings=_said(p, warnings),
        scores=scores_shown(ctx, p),
    )


def staff(book: Book, now: datetime | None = None) -> Outcome:
    """Fill the Staffing sheet: arrivals from the Data sheet (or the manual forecast) and
    Erlang C agents, scheduled, service level, ASA and occupancy per weekday x interval."""
    with _released(book):
        return _staff(book, now)


def _staff(book: Book, now: datetime | None = None) -> Outcome:
    state = read_plan(book)
    p = state.inputs
    now = (now or datetime.now()).replace(microsecond=0)
    rows, problems, warnings = staff_inputs(
        book.name, state, now, lambda: _team_tickets(book, state)
    )
    ctx = render(p)
    staff_write(book, ctx)
    book.commit()
    return Outcome(book.name, rows=rows, problems=problems, warnings=warnings, notes=staff_notes(p))


def _said(p: PlanInputs, warnings: list) -> list[str]:
    """The warnings as the manager reads them: each room with a `say` hook rewrites those
    of its kind (the calendar's guessed days become one line a year)."""
    out = list(warnings)
    for room in ROOMS:
        if room.say is not None:
            out = room.say(p, out)
    return out


def render(p: PlanInputs, everything: bool = False) -> Ctx:
    """The plan built in memory from `p` (nothing saved): cells and cached values of every
    sheet refresh writes (with `everything`, of every sheet)."""
    ctx = Ctx(p)
    with collecting_later():
        for room in ROOMS:
            if everything or room.rendered:
                room.build(ctx)
    return ctx


def _write_rooms(book: Book, ctx: Ctx, state: PlanState) -> None:
    """Each room's owned regions, for the rooms the plan has (`ROOMS`, in build order)."""
    for room in ROOMS:
        if room.write is not None and room.key in state.present:
            room.write(book, ctx)


def _source_notes(tickets) -> list[str]:
    """With several data sources (`csxl import`), one line: the valid tickets of each."""
    frame = tickets.frame
    if "data_source" not in frame or frame["data_source"].nunique(dropna=True) == 0:
        return []
    counts = frame["data_source"].fillna(tr("手工粘贴", "pasted by hand")).value_counts(sort=False)
    parts = [f"{k} {v:,}" for k, v in counts.items()]
    return [
        tr("数据源（有效工单）：", "Data sources (valid tickets): ") + tr("、", ", ").join(parts)
    ]
