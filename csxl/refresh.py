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

from csxl import adjustments, agent_identity, call_metrics, quality
from csxl.domain import scoring
from csxl.domain.catalog import CATALOG
from csxl.errors import InputError, Location
from csxl.workbook import layout, owned
from csxl.workbook.book import Ctx, PlanInputs, collecting_later
from csxl.workbook.plan_reader import PlanState, read_plan
from csxl.workbook.port import Book, Rect
from csxl.workbook.sheets import ROOMS, staffing
from csxl.workbook.sheets import errors as errors_sheet
from csxl.workbook.sheets.holidays import plan_warnings
from csxl.workbook.sheets.scores import TICKS, AgentRow


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
    tickets, warnings = agent_identity.team_scope(book.name, state, tickets)
    tickets, errors, more = agent_identity.apply(book.name, state, tickets)
    return rows, tickets, errors, warnings + more


def _no_team_tickets(book: Book, state: PlanState, rows: dict[str, int]) -> InputError:
    """The refusal of a team plan whose Data sheet holds only other teams' tickets."""
    p = state.inputs
    return InputError(
        f"the Data sheet has no tickets of the plan's team {p.team!r}: its "
        f"{rows['valid']:,} valid tickets are of other teams.",
        Location(book.name, layout.title("Settings", p.lang), layout.Settings.ROW_TEAM, "B"),
        "Check the team on Settings (blank = every team), or paste this team's export.",
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


def _error_rows(tickets, lang: str) -> list[tuple[object, ...]]:
    return [
        (
            tickets.source,
            tickets.sheet,
            p.row,
            p.column,
            p.reason(lang),
            None if p.value is None else str(p.value),
        )
        for p in tickets.problems
    ]


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
    tickets, warnings = agent_identity.team_scope(book.name, state, tickets)
    orders = _orders(book, state)
    calls, call_errors, call_warnings = call_metrics.load(book, state)
    warnings += call_warnings
    state.inputs.errors = _error_rows(tickets, book.lang)
    if orders is not None:
        state.inputs.errors += _error_rows(orders, book.lang)
    state.inputs.errors += call_errors
    # The QA rows too (unreadable dates, unknown names); the month only decides what counts.
    qa_errors = quality.summarise(book.name, state, tickets.frame, state.shown_month or "")
    state.inputs.errors += qa_errors
    ctx = render(state.inputs)
    errors_sheet.write(book, ctx)
    book.commit()
    problems = len(tickets.problems) + (len(orders.problems) if orders is not None else 0)
    problems += len(calls.problems) if calls is not None else len(call_errors)
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
            "the Data sheet has no usable tickets.",
            Location(book.name, layout.title("Data", p.lang)),
            "Paste the export below the header row; the Errors sheet lists rejected rows.",
        )
    month = month or tickets.frame["created_at"].max().strftime("%Y-%m")
    period = Period.parse(month, None, None)
    window = (period.start, period.end)
    if kpis.in_period(tickets.frame, window).empty:
        first = tickets.frame["created_at"].min().strftime("%Y-%m")
        last = tickets.frame["created_at"].max().strftime("%Y-%m")
        raise InputError(
            f"the Data sheet has no tickets created in {month}.",
            Location(book.name, layout.title("Data", p.lang)),
            f"Its tickets run from {first} to {last}; give one of those months.",
        )
    result = kpis.compute(tickets, ("all", "agent"), state.kpi_settings, window)
    result.warnings.extend(state.warnings)  # the plan's own: weights (Goals' note says it too)
    result.warnings.extend(identity_warnings)
    team = result.groups[0]["kpis"]
    p.actuals = {t.key: team[t.key] for t in p.targets if isinstance(team.get(t.key), float | int)}
    frame = kpis.in_period(tickets.frame, window)
    carried = _month_switch(state, month)
    # Approved appeals (csxl/adjustments.py): excluded tickets leave their agent's figures
    # only; overrides replace values; every applied one goes to the Audit log.
    checked = adjustments.check(state, tickets.frame, month)
    groups, agent_frame = adjustments.agent_figures(
        tickets, checked, state.kpi_settings, window, result.groups, frame
    )
    p.agents = _agent_rows(state, groups, agent_frame, carried)
    # Days in the team (transfer periods on Aliases) pro-rate the bonus.
    p.agents, day_warnings = agent_identity.with_days(book.name, state, month, p.agents)
    result.warnings.extend(day_warnings)
    before = _agent_rows(state, result.groups, frame, carried) if checked else []
    # QA sheet: the month's QA scores (by date, aliases applied, excluded tickets out).
    qa_errors = quality.summarise(book.name, state, tickets.frame, month, checked)
    p.agents, before = quality.with_scores(p, p.agents), quality.with_scores(p, before)
    adjustments.apply(p, checked, before, (now or datetime.now()).replace(microsecond=0), month)
    p.agents = _with_awards(p, month)
    orders = _orders(book, state)
    calls, call_errors, call_warnings = call_metrics.load(book, state)
    p.errors = _error_rows(tickets, p.lang) + identity_errors
    p.errors += adjustments.errors(book.name, state, checked) + qa_errors
    if orders is not None:
        p.errors += _error_rows(orders, p.lang)
    p.errors += call_errors
    said = _fill_customers(state, tickets, orders, window, frame, team, result.unavailable)
    result.warnings.extend(w for w in said if w not in result.warnings)
    said = _goals_notes(p, result.unavailable)
    result.warnings.extend(w for w in said if w not in result.warnings)
    p.trend = _trend(state, month, team)
    if state.has_team:
        p.team_inputs = _promotion(p, month)
    p.top_tags = _top_tags(tickets, frame)
    if "tags" not in tickets.columns:
        from csxl import unavailable

        p.tags_note = unavailable.note(["tags"], p.lang)
        what = _t(p.lang, "Top-20 问题标签", "Top-20 tags")
        result.warnings.append(
            unavailable.where(layout.title("Dashboard", p.lang), what, p.tags_note, p.lang)
        )
    p.refreshed_at = (now or datetime.now()).replace(microsecond=0)
    p.source_rows = tickets.read
    p.refresh_month = month
    if state.has_calls:
        call_warnings += call_metrics.fill(state, calls, window, month, p.refreshed_at)
        result.warnings.extend(call_warnings)
    if state.has_staffing:
        _fill_arrivals(p, tickets.frame, p.refreshed_at)
    if state.has_actions:
        p.actions = _compare_actions(state, tickets)
    if state.has_sla:
        p.sla_kpis = _sla_kpis(month, team, result.unavailable)
        result.warnings.extend(
            w for w in _fill_sla(state, tickets, p.refreshed_at) if w not in result.warnings
        )
    ctx = render(p)
    _write_all(book, ctx)
    _write_rooms(book, ctx, state)
    book.commit()
    problems = len(tickets.problems) + (len(orders.problems) if orders is not None else 0)
    problems += len(calls.problems) if calls is not None else len(call_errors)
    return Outcome(
        book.name,
        month,
        rows,
        len(p.agents),
        problems,
        plan_warnings(p, result.warnings),
        _summary(ctx, p),
        notes=_source_notes(tickets, p.lang),
    )


def score(book: Book, now: datetime | None = None) -> Outcome:
    """Re-score the agents on Scores with the current targets and rules (no data read)."""
    with _released(book):
        return _score(book, now)


def _score(book: Book, now: datetime | None = None) -> Outcome:
    state = read_plan(book)
    p = state.inputs
    if not state.agents:
        raise InputError(
            "Scores has no agents yet.",
            Location(book.name, layout.title("Scores", p.lang)),
            "Run Refresh first.",
        )
    team_row = {t.key: None for t in p.targets}
    p.actuals = _goals_actuals(book, p) or team_row
    p.agents = [AgentRow(**{**a.__dict__, "award": ""}) for a in state.agents]
    # The days again: the pro-rating rule or the transfer periods may have changed.
    p.agents, warnings = agent_identity.with_days(book.name, state, state.shown_month, p.agents)
    warnings = [*state.warnings, *state.rewritten, *warnings]
    if state.shown_month:
        # Score and grade overrides again (KPI values and exclusions are in Scores already).
        named = {a.agent for a in p.agents if a.agent is not None}
        checked = adjustments.check(state, None, state.shown_month, named)
        if checked is not None:
            checked.kpis.clear()
            keep = {a.agent: a.adjusted for a in p.agents}
            adjustments.apply(p, checked, p.agents, now or datetime.now(), state.shown_month)
            p.audit = list(state.inputs.audit)  # re-scoring logs nothing new
            p.agents = [replace(a, adjusted=a.adjusted or keep.get(a.agent)) for a in p.agents]
    p.agents = _with_awards(p, state.shown_month)
    p.refresh_month = state.shown_month
    ctx = render(p)
    owned.write(book, ctx, "Scores", [_scores_rect()])
    owned.write_formulas(book, ctx, "Goals")
    # Only the KPI rows, which follow Goals: the refresh row and the customer block hold
    # refresh's results, which Score does not recompute (their cached values would go blank).
    dash = layout.Dashboard
    owned.write_formulas(book, ctx, "Dashboard", range(dash.HEADER_ROW, dash.TAGS_TITLE_ROW))
    book.commit()
    return Outcome(
        book.name,
        state.shown_month,
        agents=len(p.agents),
        warnings=plan_warnings(p, warnings),
        scores=_summary(ctx, p),
    )


def staff(book: Book, now: datetime | None = None) -> Outcome:
    """Fill the Staffing sheet: arrivals from the Data sheet (or the manual forecast) and
    Erlang C agents, scheduled, service level, ASA and occupancy per weekday x interval."""
    with _released(book):
        return _staff(book, now)


def _staff(book: Book, now: datetime | None = None) -> Outcome:
    state = read_plan(book)
    p = state.inputs
    if not state.has_staffing:
        raise InputError(
            f"the workbook has no {layout.title('Staffing', p.lang)} sheet.",
            Location(book.name),
            "Make a new plan with `csxl new` (or `csxl upgrade` this one).",
        )
    now = (now or datetime.now()).replace(microsecond=0)
    rows: dict[str, int] = {}
    problems = 0
    warnings: list[str] = []
    if p.staffing.source == "data":
        tickets = _tickets(book, state)
        rows = tickets.rows()
        tickets, warnings = agent_identity.team_scope(book.name, state, tickets)
        if tickets.valid == 0 and rows["valid"]:
            raise _no_team_tickets(book, state, rows)
        if tickets.valid == 0:
            raise InputError(
                "the Data sheet has no usable tickets to count arrivals from.",
                Location(book.name, layout.title("Data", p.lang)),
                "Paste the export, or choose the manual forecast on the Staffing sheet.",
            )
        _fill_arrivals(p, tickets.frame, now)
        problems = len(tickets.problems)
    else:
        from csxl.workbook.sheets.staffing import status_line

        p.staffing.computed = status_line(p.lang, None, now)
    ctx = render(p)
    staffing.write(book, ctx)
    book.commit()
    return Outcome(
        book.name, rows=rows, problems=problems, warnings=warnings, notes=_staffing_notes(p)
    )


def _fill_customers(
    state: PlanState, tickets, orders, window, frame, team: dict, ticket_unavailable: dict
) -> list[str]:
    """The Dashboard's customer KPIs: the domain's numbers for the refreshed month (those
    `csxl kpi --month` gives), with the reason for each unavailable one (the ticket KPIs'
    too: `ticket_unavailable`); a warning for each one a missing column explains."""
    from csxl.domain import customers

    p = state.inputs
    result = customers.customer_kpis(
        tickets,
        orders,
        ("all",),
        window,
        p.customer_plan.settings(),
        state.kpi_settings,
        shown_period=window,
        in_period=frame,
    )
    row = result.kpis("all", None)
    values: dict[str, object] = {k: team.get(k) for k in ("tickets", "csat", "frt_median")}
    values["survey_response_rate"] = team.get("survey_response_rate")
    for key in customers.CUSTOMER_KPI_KEYS:
        values[key] = row.get(key)
    values["previous_repurchase_rate"] = result.info.get("previous_repurchase_rate")
    info = result.info
    if info.get("high_value"):
        hv = info["high_value"]
        o, a = hv["orders_window"], hv["amount_window"]
        values["note_high_value_customers"] = (
            f"截至 {info['as_of']}：{o['from']} 至 {o['to']} 下单 ≥ {hv['min_orders']:g} 次，"
            f"或 {a['from']} 至 {a['to']} 消费 ≥ {hv['min_amount']:,.0f}"
            if p.lang == "zh"
            else f"As of {info['as_of']}: >= {hv['min_orders']:g} orders {o['from']}..{o['to']}, "
            f"or >= {hv['min_amount']:,.0f} spent {a['from']}..{a['to']}"
        )
    if info.get("period"):
        this, prev = info["period"], info["previous"]
        values["note_retention_rate"] = (
            f"{this['from']} 至 {this['to']} 对比 {prev['from']} 至 {prev['to']}"
            if p.lang == "zh"
            else f"{this['from']}..{this['to']} against {prev['from']}..{prev['to']}"
        )
        values["note_repurchase_rate"] = values["note_retention_rate"]
    p.customers = values
    p.customer_notes = {key: _why(p.lang, why) for key, why in result.unavailable.items()}
    for key in ("tickets", "csat", "frt_median", "survey_response_rate"):
        if key in ticket_unavailable and key not in p.customer_notes:
            p.customer_notes[key] = _why(p.lang, ticket_unavailable[key])
    from csxl import unavailable
    from csxl.workbook.layout import Customers as C

    block = _t(p.lang, "客户指标", "customer KPIs")
    dashboard = layout.title("Dashboard", p.lang)
    said: list[str] = []
    for key in C.KEYS:  # one warning per missing column, naming the block
        why = p.customer_notes.get(key) or p.customer_notes.get(f"hv_{key}")
        if unavailable.is_note(why):
            w = unavailable.where(dashboard, block, why, p.lang)
            said += [w] if w not in said else []
    return said


def _goals_notes(p: PlanInputs, ticket_unavailable: dict) -> list[str]:
    """Goals' note column says why a KPI has no actual when the export lacks its column
    (the actual stays blank, never 0); one warning per missing column, naming its KPIs."""
    from csxl import unavailable

    p.goal_notes = {}
    kpis_by_note: dict[str, list[str]] = {}
    for t in p.targets:
        why = ticket_unavailable.get(t.key)
        text = unavailable.reason_note(why, p.lang) if why else None
        if text:
            p.goal_notes[t.key] = text
            kpis_by_note.setdefault(text, []).append(CATALOG[t.key].label(p.lang))
    goals = layout.title("Goals", p.lang)
    sep = _t(p.lang, "、", ", ")
    return [
        unavailable.where(goals, sep.join(names), text, p.lang)
        for text, names in kpis_by_note.items()
    ]


def _why(lang: str, why: str) -> str:
    """An unavailable customer KPI's reason, as the Dashboard says it."""
    from csxl.domain.customers import NO_ORDERS

    if why == NO_ORDERS or why.startswith("no orders in"):
        return (
            "订单表没有订单：请把订单导出粘贴到“订单”表"
            if lang == "zh"
            else ("no orders: paste the order export on the Orders sheet")
        )
    from csxl import unavailable

    return unavailable.reason_note(why, lang) or why


def _fill_arrivals(p: PlanInputs, frame, now: datetime) -> None:
    """The Data sheet's mean arrivals per weekday and interval over the last N weeks."""
    from csxl.domain.staffing import arrivals_by_interval, data_window
    from csxl.workbook.sheets.staffing import status_line

    s = p.staffing
    created = frame["created_at"]
    table = arrivals_by_interval(created, s.interval_min, s.weeks)
    s.data_arrivals = {
        (int(w), (int(hhmm[:2]) * 60 + int(hhmm[3:])) // s.interval_min): float(calls)
        for w, hhmm, calls in zip(table["weekday"], table["interval"], table["calls"], strict=True)
    }
    if s.source == "data":
        first, last = data_window(created, s.weeks)
        window = (first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d"), (last - first).days + 1)
        s.computed = status_line(p.lang, window, now)
    else:
        s.computed = status_line(p.lang, None, now)


def _fill_sla(state: PlanState, tickets, now: datetime) -> list[str]:
    """SLA attainment per month and team, and the department appraisal, over the plan's
    valid tickets of the Data sheet (all months, the latest SLA.RESULT_ROWS rows kept).

    A count whose column the export lacks is left blank and said once, on the sheet and in
    the warnings: responses without a first-response column, resolutions without a
    resolution time column, the appraisal without the collaboration columns."""
    import math

    from csxl import unavailable
    from csxl.domain import kpis, sla
    from csxl.workbook.layout import Sla as L

    p = state.inputs
    frame = tickets.frame
    notes: list[str] = []
    has = tickets.columns
    frt_missing = not has & {"first_response_at", "first_response_s"}
    res_missing = "resolved_at" not in has
    for absent, what in ((frt_missing, "first_response_at"), (res_missing, "resolved_at")):
        if absent:
            notes.append(unavailable.note([what], p.lang))
    outcome, warnings = sla.ticket_sla(frame, state.sla_policy())
    teams = sla.attainment(frame, outcome, ("month", "team"))
    p.sla_teams = [
        (
            r.month,
            r.team,
            int(r.tickets),
            None if frt_missing else int(r.frt_met),
            None if res_missing else int(r.res_met),
        )
        for r in teams.itertuples()
        if r.tickets > 0
    ][-L.RESULT_ROWS :]
    more: list[str] = []
    absent = unavailable.missing(has, unavailable.DEPT_COLUMNS)
    p.sla_dept_note = unavailable.note(absent, p.lang) if absent else None
    p.sla_depts = []
    if not absent:
        _, met, more = kpis.dept_sla_flags(frame, state.kpi_settings)
        depts = sla.department_appraisal(frame, met, ("month", "dept"))
        p.sla_depts = [
            (
                r.month,
                r.dept,
                int(r.collab),
                int(r.met),
                None if math.isnan(r.median_hours) else float(r.median_hours),
            )
            for r in depts.itertuples()
        ][-L.RESULT_ROWS :]
    first, last = frame["created_at"].min(), frame["created_at"].max()
    n = int((outcome["sla_row"] >= 0).sum())
    if p.lang == "zh":
        span = f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"
        p.sla_status = f"{now:%Y-%m-%d %H:%M} 按 {n:,} 张有 SLA 的工单计算（{span}）"
    else:
        p.sla_status = (
            f"{now:%Y-%m-%d %H:%M}: {n:,} tickets with an SLA ({first:%Y-%m-%d} to {last:%Y-%m-%d})"
        )
    if p.sla_dept_note:
        notes.append(
            _t(p.lang, "部门考核", "Department appraisal")
            + _t(p.lang, "：", ": ")
            + p.sla_dept_note
        )
    if notes:
        sep = _t(p.lang, "；", "; ")
        p.sla_status += sep + sep.join(notes)
    sheet = layout.title("SLA", p.lang)
    said = [
        unavailable.where(sheet, _t(p.lang, "达成情况", "attainment"), note, p.lang)
        for note in notes[: len(notes) - bool(p.sla_dept_note)]
    ]
    if p.sla_dept_note:
        what = _t(p.lang, "部门考核", "department appraisal")
        said.append(unavailable.where(sheet, what, p.sla_dept_note, p.lang))
    return said + warnings + [w for w in more if w not in warnings]


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _sla_kpis(month: str, team: dict, unavailable: dict[str, str]) -> dict[str, object]:
    """The month's frt_sla and rt_sla for the SLA sheet's KPI block: the numbers `csxl kpi
    PLAN --month M` gives, on Settings' limits."""
    from csxl.workbook.layout import Sla as L
    from csxl.workbook.sheets.sla import NOT_AVAILABLE

    out: dict[str, object] = {"month": month}
    for key in L.KPI_KEYS:
        out[key] = NOT_AVAILABLE if key in unavailable else team.get(key)
    return out


def _compare_actions(state: PlanState, tickets) -> tuple:
    """Each action's KPI over the 3 months before its start and the 3-month window after."""
    from dataclasses import replace

    from csxl.domain import actions, kpis

    out = []
    for a in state.inputs.actions or ():
        if a.start is None or a.kpi is None:
            out.append(a)
            continue
        values = []
        for window in actions.windows(a.start):
            groups = kpis.compute(tickets, ("all",), state.kpi_settings, window).groups
            found = groups[0]["kpis"]
            value = found.get(a.kpi)
            values.append(
                (
                    float(value) if isinstance(value, int | float) else None,
                    int(found.get("tickets") or 0),
                )
            )
        (before, n_before), (after, n_after) = values
        out.append(
            replace(a, before=before, after=after, before_tickets=n_before, after_tickets=n_after)
        )
    return tuple(out)


def _staffing_notes(p: PlanInputs) -> list[str]:
    """One line: the busiest interval's agents and scheduled heads."""
    from csxl.workbook.sheets.staffing import WEEKDAYS, label, results

    computed = results(p.staffing)
    if not computed or not computed["agents"]:
        return []
    (w, i), agents = max(computed["agents"].items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))
    when = f"{WEEKDAYS[p.lang][w]} {label(i * p.staffing.interval_min)}"
    scheduled = computed["scheduled"][(w, i)]
    if p.lang == "zh":
        return [f"排班：最忙时段 {when} 需要坐席 {agents} 人，排班 {scheduled} 人"]
    return [f"Staffing: busiest interval {when} needs {agents} agents, {scheduled} scheduled"]


# ------------------------------------------------------------------ the month's results
def _month_switch(state: PlanState, month: str) -> dict[str, tuple[object, object]]:
    """The manager's ticks and notes for `month`. Switching months moves the shown month's
    entries into Trend (and brings `month`'s back from there): input is never dropped."""
    p = state.inputs
    label_tick, label_note = _manager_labels(p.lang)
    if state.shown_month in (None, month):
        return dict(state.manager)
    agent_scope = _scope(p.lang, "agent")
    for agent, (tick, note) in state.manager.items():
        for label, value in ((label_tick, tick), (label_note, note)):
            if value is not None:
                p.trend.append(
                    (state.shown_month, agent_scope, agent, label, str(value), None, None)
                )
    back: dict[str, list[object]] = {}
    kept = []
    for row in p.trend:
        if row[0] == month and row[1] == agent_scope and row[3] in (label_tick, label_note):
            back.setdefault(str(row[2]), [None, None])[0 if row[3] == label_tick else 1] = row[4]
        else:
            kept.append(row)
    p.trend = kept
    return {agent: (v[0], v[1]) for agent, v in back.items()}


def _agent_rows(state: PlanState, groups: list[dict], frame, manager) -> list[AgentRow]:
    p = state.inputs
    scored = [t.key for t in p.targets if "agent" in t.scored_for]
    extra = _per_agent_counts(frame)
    rows: dict[str | None, AgentRow] = {}
    for g in groups:
        if g["by"] != "agent":
            continue
        key = g["key"]
        counts = extra.get(key, {})
        shown = key if key is not None else ("未分配" if p.lang == "zh" else "Unassigned")
        tick, note = manager.get(shown, (None, None))
        rows[key] = AgentRow(
            agent=key,
            group=counts.get("group"),
            tickets=int(g["kpis"]["tickets"]),
            answered=int(counts.get("answered", 0)),
            values={k: g["kpis"].get(k) for k in scored},
            # No escalation column: unknown, shown blank (never a count of 0).
            escalated=int(counts.get("escalated", 0)) if "escalated" in frame else None,
            verified=int(counts.get("verified", 0)),
            tick=None if tick is None else str(tick),
            appeal=None if note is None else str(note),
        )
    # An agent without tickets this month keeps a row while the manager has an entry for
    # them: a tick or a note is never dropped.
    unassigned = "未分配" if p.lang == "zh" else "Unassigned"
    for shown, (tick, note) in manager.items():
        key = None if shown == unassigned else shown
        if key not in rows and (tick is not None or note is not None):
            rows[key] = AgentRow(
                agent=key,
                group=None,
                tickets=0,
                answered=0,
                values={},
                tick=None if tick is None else str(tick),
                appeal=None if note is None else str(note),
            )
    # Agents keep the row order Scores had; new agents follow in code-point order, tickets
    # without an agent last. The manager's columns are written with their agent's row.
    order = [a.agent for a in state.agents if a.agent is not None and a.agent in rows]
    order += sorted((k for k in rows if k is not None and k not in order), key=str)
    order += [None] if None in rows else []
    return [rows[k] for k in order]


def _per_agent_counts(frame) -> dict[str | None, dict[str, object]]:
    """Answered surveys, escalations, verified escalations and the usual group per agent."""
    import pandas as pd

    if "agent" not in frame:
        return {}
    agent = frame["agent"]
    out: dict[str | None, dict[str, object]] = {}
    parts = {
        "answered": frame["csat_good"].notna() if "csat_good" in frame else None,
        "escalated": frame["escalated"].fillna(False).astype(bool)
        if "escalated" in frame
        else None,
        "verified": (
            frame["escalated_verified"].fillna(False).astype(bool)
            if "escalated_verified" in frame
            else None
        ),
    }
    for name, flags in parts.items():
        if flags is None:
            continue
        for key, n in flags.groupby(agent, dropna=False).sum().items():
            out.setdefault(None if pd.isna(key) else key, {})[name] = int(n)
    if "group" in frame:
        usual = (
            frame.dropna(subset=["group"])
            .groupby(agent, dropna=False)["group"]
            .agg(lambda s: s.value_counts().index[0])
        )
        for key, g in usual.items():
            out.setdefault(None if pd.isna(key) else key, {})["group"] = g
    return out


def _with_awards(p: PlanInputs, month: str | None) -> list[AgentRow]:
    """Monthly awards from the same scores the Scores formulas compute."""
    import pandas as pd

    from csxl.workbook.sheets.scores import score_of

    if not p.agents:
        return []
    named = [a for a in p.agents if a.agent is not None]
    table = pd.DataFrame(
        {
            "csat": [a.values.get("csat") for a in named],
            "weighted_score": [score_of(p, a) for a in named],
            "tickets": [a.tickets for a in named],
            "answered_surveys": [a.answered for a in named],
        },
        index=pd.Index([a.agent for a in named], dtype=object),
    )
    # Hire dates from the Team sheet: tenure decides 新锐标兵 (no date: not a new hire).
    hired = {m.agent: m.hired for m in p.team_inputs.members if m.agent and m.hired}
    table["hire_date"] = [hired.get(a.agent) for a in named]
    as_of = p.effective_as_of
    won = scoring.awards(table, p.incentives, as_of) if len(table) else {}
    names = dict(zip(scoring.AWARDS, _award_labels(p.lang), strict=True))
    by_agent: dict[str, list[str]] = {}
    for award, agent in won.items():
        if agent is not None:
            by_agent.setdefault(agent, []).append(names[award])
    return [
        AgentRow(**{**a.__dict__, "award": "、".join(by_agent.get(a.agent, []))}) for a in p.agents
    ]


def _trend(state: PlanState, month: str, team: dict) -> list[tuple[object, ...]]:
    """History: this month's rows replace any earlier refresh of the same month."""
    from csxl.workbook.sheets.scores import effective_target, score_of

    p = state.inputs
    scope_team, scope_agent = _scope(p.lang, "team"), _scope(p.lang, "agent")
    manager_labels = _manager_labels(p.lang)
    kept = [r for r in p.trend if not (r[0] == month and r[3] not in manager_labels)]
    tiers, name = p.tiers(), p.team or layout.title("Goals", p.lang)
    fresh: list[tuple[object, ...]] = []
    for t in p.targets:
        value = team.get(t.key)
        if isinstance(value, int | float):
            level = scoring.tier(value, t)
            fresh.append(
                (
                    month,
                    scope_team,
                    name,
                    CATALOG[t.key].label(p.lang),
                    value,
                    tiers[level],
                    scoring.points(value, t, p.incentives.mode, p.points_table()),
                )
            )
    score_label = "加权得分" if p.lang == "zh" else "Weighted score"
    index = {t.key: i for i, t in enumerate(p.targets)}
    for a in p.agents:
        who = a.agent or ("未分配" if p.lang == "zh" else "Unassigned")
        for target in p.targets:
            value = a.values.get(target.key)
            if "agent" in target.scored_for and isinstance(value, int | float):
                t = effective_target(p, index[target.key], target, a).target
                level = scoring.tier(value, t)
                fresh.append(
                    (
                        month,
                        scope_agent,
                        who,
                        CATALOG[t.key].label(p.lang),
                        value,
                        tiers[level],
                        scoring.points(value, t, p.incentives.mode, p.points_table()),
                    )
                )
        s = score_of(p, a)
        if s is not None:
            red = a.tick == TICKS[p.lang][0] or a.verified > 0
            grade = a.grade_override or scoring.grade(s, p.incentives, red)
            fresh.append((month, scope_agent, who, score_label, s, grade, None))
    return sorted(kept + fresh, key=lambda r: (str(r[0]), str(r[1]), str(r[2])))


def _promotion(p: PlanInputs, month: str):
    """Each Team member's months at the rule's grade or better in the rule's window, and
    the promotion flag (`people.promotion_ready`), from the agents' grades in Trend (this
    month's included) and their red lines (this month's Scores, earlier months' ticks)."""
    from dataclasses import replace

    import pandas as pd

    from csxl.domain import people

    team = p.team_inputs
    agent_scope = _scope(p.lang, "agent")
    score_label = "加权得分" if p.lang == "zh" else "Weighted score"
    tick_label = _manager_labels(p.lang)[0]
    yes = TICKS[p.lang][0]
    grades_seen: list[tuple[str, str, object]] = []
    red: set[tuple[str, str]] = set()
    for r in p.trend:
        if r[1] != agent_scope:
            continue
        if r[3] == score_label:
            grades_seen.append((str(r[2]), str(r[0]), r[5]))
        elif r[3] == tick_label and r[4] == yes:
            red.add((str(r[2]), str(r[0])))
    for a in p.agents:
        if a.agent is not None and (a.tick == yes or a.verified > 0):
            red.add((a.agent, month))
    for agent, m in red:  # a red line in a month without a grade still counts
        if not any(g[0] == agent and g[1] == m for g in grades_seen):
            grades_seen.insert(0, (agent, m, None))
    history = pd.DataFrame(grades_seen, columns=["agent", "month", "grade"])
    history["red_lines"] = [
        int((a, m) in red) for a, m in zip(history["agent"], history["month"], strict=True)
    ]
    grades = (*(g for g, _ in p.incentives.grade_bands), p.incentives.lowest_grade)
    rule = team.rule
    ready = people.promotion_ready(history, month, rule, grades) if len(history) else {}
    good = set(grades[: grades.index(rule.grade) + 1])
    window = people.months_back(month, rule.months)
    recent = history[history["month"].isin(window) & history["grade"].notna()]
    recent = recent.drop_duplicates(["agent", "month"], keep="last")
    counts = recent[recent["grade"].isin(good)].groupby("agent").size().to_dict()
    members = tuple(
        replace(m, good_months=int(counts.get(m.agent, 0)), ready=ready.get(m.agent, False))
        if m.agent
        else replace(m, good_months=None, ready=None)
        for m in team.members
    )
    return replace(team, members=members, evaluated=month)


def _top_tags(tickets, frame) -> list[tuple[str, int, bool]]:
    """The month's Top-20 tags by tickets, ties by name; alerting tags flagged."""
    from csxl.domain import tags
    from csxl.workbook.layout import Dashboard

    if "tags" not in frame or frame.empty:
        return []
    spaced = tags.is_space_separated(frame["tags"], tickets.headers.get("tags", ""))
    counts = tags.daily_counts(frame["created_at"], frame["tags"], spaced)
    if counts.empty:
        return []
    alerting = {a["tag"] for a in tags.alerts(counts)}
    total = counts.sum()
    ranked = sorted(
        ((str(t), int(n)) for t, n in total.items() if n > 0),
        key=lambda x: (-x[1], tuple(map(ord, x[0]))),
    )
    return [(t, n, t in alerting) for t, n in ranked[: Dashboard.TAGS_ROWS]]


def _goals_actuals(book: Book, p: PlanInputs) -> dict[str, float]:
    from csxl.workbook.cells import cell
    from csxl.workbook.layout import Goals as G

    rows = book.rows("Goals")
    out = {}
    for i, t in enumerate(p.targets):
        value = cell(rows, G.FIRST_ROW + i, G.ACTUAL)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[t.key] = float(value)
    return out


# ------------------------------------------------------------------ rendering and writing
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


def _scores_rect() -> Rect:
    from csxl.workbook.layout import Scores as S

    # The manager's two columns are included: they are rewritten with their agent's row
    # (same values), so that a tick stays with its agent when rows change.
    return (S.FIRST_ROW, S.AGENT, S.last_row(), S.LAST)


def _write_all(book: Book, ctx: Ctx) -> None:
    from csxl.workbook.layout import Dashboard as D
    from csxl.workbook.layout import Goals as G
    from csxl.workbook.layout import Settings as St

    owned.write(
        book,
        ctx,
        "Settings",
        [(St.ROW_LAST_REFRESH, St.VALUE_COL, St.ROW_REFRESH_MONTH, St.VALUE_COL)],
    )
    owned_goals = [
        (G.FIRST_ROW, G.ACTUAL, G.last_row(), G.ACTUAL),
        (G.FIRST_ROW, G.NOTE, G.last_row(), G.NOTE),
    ]  # the SMART text follows targets
    book.write("Goals", owned.cells(ctx, "Goals", owned_goals))
    owned.write_formulas(book, ctx, "Goals")
    owned.write_formulas(book, ctx, "Dashboard")
    owned.write(
        book, ctx, "Dashboard", [(D.TAGS_FIRST_ROW, 1, D.TAGS_FIRST_ROW + D.TAGS_ROWS - 1, 3)]
    )
    from csxl.workbook.layout import Customers as C

    # The customer block whole, labels too: Dashboard is csxl's (a plan made before the
    # block existed gets it).
    owned.write(book, ctx, "Dashboard", [(C.TITLE_ROW, C.LABEL, C.last_row(), C.NOTE)])
    owned.write(book, ctx, "Scores", [_scores_rect()])


# ------------------------------------------------------------------ labels and summaries
def _scope(lang: str, which: str) -> str:
    return {"zh": {"team": "团队", "agent": "客服"}, "en": {"team": "Team", "agent": "Agent"}}[
        lang
    ][which]


def _manager_labels(lang: str) -> tuple[str, str]:
    return (
        ("经核实的升级投诉", "申诉/调整说明")
        if lang == "zh"
        else ("Verified escalated complaint", "Appeal / override note")
    )


def _award_labels(lang: str) -> tuple[str, ...]:
    return (
        ("服务明星", "岗位能手", "新锐标兵")
        if lang == "zh"
        else ("Service star", "Top performer", "Rising star")
    )


def _source_notes(tickets, lang: str) -> list[str]:
    """With several data sources (`csxl import`), one line: the valid tickets of each."""
    frame = tickets.frame
    if "data_source" not in frame or frame["data_source"].nunique(dropna=True) == 0:
        return []
    pasted = "手工粘贴" if lang == "zh" else "pasted by hand"
    counts = frame["data_source"].fillna(pasted).value_counts(sort=False)
    parts = [f"{k} {v:,}" for k, v in counts.items()]
    if lang == "zh":
        return ["数据源（有效工单）：" + "、".join(parts)]
    return ["Data sources (valid tickets): " + ", ".join(parts)]


def _summary(ctx: Ctx, p: PlanInputs) -> list[tuple[str, object, object, object]]:
    """(agent, weighted score, grade, bonus) as the Scores sheet shows them."""
    from openpyxl.utils import get_column_letter

    from csxl.workbook.layout import Scores as S

    ws = ctx.sheet("Scores")
    out = []
    for n, a in enumerate(p.agents):
        r = S.FIRST_ROW + n

        def shown(c: int, r: int = r) -> object:
            return ctx.cached.get((ws.title, f"{get_column_letter(c)}{r}"))

        out.append((a.agent or "—", shown(S.SCORE), shown(S.GRADE), shown(S.BONUS)))
    return out
