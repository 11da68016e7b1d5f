"""Refresh's side of the Appeals sheet: check the rows, take excluded tickets out of their
agent's figures, put overrides in, mark the Scores rows and append the Audit log.

The rules live in `csxl.domain.appeals`; this module only moves them between the plan's
inputs and the rows refresh writes, so that refresh.py needs a few calls.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from csxl.domain import appeals, scoring
from csxl.domain.catalog import CATALOG, format_value
from csxl.workbook.layout import Audit as U
from csxl.workbook.sheets.appeals import error_rows, kpi_labels
from csxl.workbook.sheets.scores import TICKS, AgentRow, score_of


def check(state, frame, month: str, agents: set[str] | None = None):
    """The Appeals rows checked against the Data sheet's valid tickets (`frame`, all months);
    None for a plan without an Appeals sheet. Fills each row's result."""
    if not state.has_appeals:
        return None
    p = state.inputs
    units = {t.key: CATALOG[t.key].unit for t in p.targets if "agent" in t.scored_for}
    grades = tuple(name for name, _ in p.incentives.coefficients)
    checked = appeals.check(
        list(p.appeals), month, frame, p.lang, units, kpi_labels(p), grades, agents
    )
    p.appeal_results = checked.results
    return checked


def errors(book_name: str, state, checked) -> list[tuple[object, ...]]:
    return [] if checked is None else error_rows(book_name, state.inputs.lang, checked)


def agent_figures(tickets, checked, settings, window, groups, frame):
    """The agent groups and the month's frame for the agents' figures: without the tickets
    approved appeals exclude (the team's figures keep them)."""
    from csxl.domain import kpis
    from csxl.domain.tickets import TicketSet

    if checked is None or not checked.exclusions:
        return groups, frame
    out = checked.excluded_rows(frame)
    sub = TicketSet(**{**tickets.__dict__, "frame": tickets.frame.drop(frame.index[out])})
    result = kpis.compute(sub, ("agent",), settings, window)
    return result.groups, kpis.in_period(sub.frame, window)


def apply(p, checked, before: list[AgentRow], now: datetime, month: str) -> None:
    """Overrides into `p.agents`, their Adjusted text, and this refresh's Audit rows.
    `before`: the agents' rows with no adjustment, for the from-values."""
    if checked is None:
        return
    lang = p.lang
    zh = lang == "zh"
    # Text, not a date: refresh patches cells without styles, and a log row needs none.
    stamp = f"{now:%Y-%m-%d %H:%M:%S}"
    yes = TICKS[lang][0]
    kinds = {k: v[0 if zh else 1] for k, v in appeals.KINDS.items()}
    raw = {a.agent: a for a in before}
    fresh: list[tuple[object, ...]] = []
    rows = []
    for agent in p.agents:
        name = agent.agent
        notes: list[str] = []
        log: list[tuple[object, ...]] = []

        def record(kind, target, old, new, a, log=log, name=name) -> None:
            log.append(
                (stamp, month, name, kinds[kind], target, old, new, a.reason, a.approver, a.row)
            )

        excluded = checked.exclusions.get(name, {}) if name is not None else {}
        for tid, a in sorted(excluded.items(), key=lambda kv: kv[1].row):
            record("exclude", tid, "计入" if zh else "counted", "排除" if zh else "excluded", a)
        if excluded:
            notes.append(
                f"排除工单 {len(excluded)} 张" if zh else f"{len(excluded)} ticket(s) excluded"
            )
        values = dict(agent.values)
        for (who, key), (value, a) in sorted(checked.kpis.items(), key=lambda kv: kv[1][1].row):
            if who != name:
                continue
            label = CATALOG[key].label(lang)
            record("kpi", label, values.get(key), value, a)
            notes.append(f"{label} {format_value(key, values.get(key))}→{format_value(key, value)}")
            values[key] = value
        agent = replace(agent, values=values)
        score_label = appeals.SCORE_TARGETS["score"][0 if zh else 1]
        grade_label = appeals.SCORE_TARGETS["grade"][0 if zh else 1]
        if name in checked.scores:
            value, a = checked.scores[name]
            old = score_of(p, agent)
            record("score", score_label, old, value, a)
            notes.append(f"{score_label} {_shown(old)}→{_shown(value)}")
            agent = replace(agent, score_override=value)
        if name in checked.grades:
            value, a = checked.grades[name]
            red = agent.tick == yes or agent.verified > 0
            old = scoring.grade(score_of(p, agent), p.incentives, red)
            record("score", grade_label, old, value, a)
            notes.append(f"{grade_label} {old or '—'}→{value}")
            agent = replace(agent, grade_override=value)
        if log:
            first = raw.get(name, agent)
            total = "合计" if zh else "all adjustments"
            fresh += log
            fresh.append(
                (
                    stamp,
                    month,
                    name,
                    total,
                    score_label,
                    score_of(p, first),
                    score_of(p, agent),
                    None,
                    None,
                    None,
                )
            )
            agent = replace(agent, adjusted="；".join(notes) if zh else "; ".join(notes))
        rows.append(agent)
    p.agents = rows
    p.audit = (list(p.audit) + fresh)[-U.ROWS :]


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
