"""Refresh's side of the QA sheet: the month's QA score per agent onto Scores and the QA
sheet's result block; unusable inspection rows onto Errors. Rules in `csxl.domain.qa`.

Rows count in the refreshed month by their QA date, else their ticket's created month (the
Data sheet's valid tickets), else as the refreshed month's. Agent names go through the
Aliases table as the Data sheet's do (`agent_identity.names_of`): unknown and ambiguous
spellings keep their own name and are listed. A ticket an approved appeal excludes from an
agent's figures leaves that agent's QA score too.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd


def summarise(book_name: str, state, tickets: pd.DataFrame, month: str, checked=None) -> list:
    """Fill the per-agent results for `month`; the Errors rows of the inspections.

    `tickets`: every valid ticket of the Data sheet (all months); `checked`: the Appeals
    rows checked for the month (csxl.domain.appeals.Checked), None without the sheet.
    """
    from csxl.domain import qa
    from csxl.domain.appeals import ticket_text
    from csxl.workbook.sheets.qa import error_rows

    p = state.inputs
    if not state.has_qa:
        return []
    rows, problems = _named(state, list(p.qa_rows))
    wanted = {r.ticket for r in rows if isinstance(r.ticket, str) and r.ticket}
    when, dated = qa.months(rows, _ticket_months(tickets, wanted), month)
    excluded = set() if checked is None else checked.excluded_tickets

    def counted(r: qa.Inspection) -> bool:
        return when.get(r.row) == month and (r.agent, ticket_text(r.ticket)) not in excluded

    per_agent, _, invalid = qa.summarise(rows, counted)
    p.qa_results = tuple(per_agent.values())
    problems += dated + invalid
    order = {"agent": 0, "date": 1, "score": 2}
    return error_rows(book_name, p.lang, sorted(problems, key=lambda x: (x[0], order[x[1]])))


def _named(state, rows: list) -> tuple[list, list]:
    """The rows with each agent as Scores names them (an empty alias table changes
    nothing), and a problem per unknown or ambiguous spelling, at its first row."""
    from csxl.agent_identity import names_of, table

    p = state.inputs
    if not (getattr(state, "has_aliases", False) and p.aliases) or not rows:
        return rows, []
    found, shown, _ = table(p.aliases)
    spelled = pd.Series([r.agent for r in rows], dtype=object)
    named, resolved = names_of(spelled, found, shown)
    out = [
        replace(r, agent=None if pd.isna(n) else str(n)) for r, n in zip(rows, named, strict=True)
    ]
    first = {}
    for r in rows:
        first.setdefault(r.agent, r.row)
    problems: list = [
        (first[name], "agent", "unknown", name, {"n": n}) for name, n in resolved.unknown.items()
    ]
    problems += [
        (first[name], "agent", "ambiguous", name, {"ids": "、".join(ids)})
        for name, ids in resolved.ambiguous.items()
    ]
    return out, problems


def _ticket_months(frame: pd.DataFrame, wanted: set[str] | None = None) -> dict[str, str]:
    """Ticket id (as text) -> the month it was created in; with `wanted`, only for those ids
    (`qa.months` asks for no other: an inspection's ticket as typed), so that a plan without
    inspections by ticket costs no pass in Python over every ticket."""
    from csxl.domain.appeals import ticket_text

    if frame is None or "ticket_id" not in frame or frame.empty or wanted == set():
        return {}
    ids = frame["ticket_id"]
    if wanted is not None and isinstance(ids.dtype, pd.StringDtype):
        # Text ids: ticket_text is the trimmed text, so the other rows cannot match.
        frame = frame[ids.str.strip().isin(wanted).fillna(False).to_numpy(dtype=bool)]
    ids = frame["ticket_id"].map(ticket_text)
    created = frame["created_at"].dt.strftime("%Y-%m")
    return {tid: m for tid, m in zip(ids, created, strict=True) if tid is not None}


def with_scores(p, agents: list) -> list:
    """Agent rows with their QA score (None without inspections) among their values."""
    if not p.has_qa:
        return agents
    means = {a.agent: a.mean for a in p.qa_results}
    return [replace(a, values={**a.values, "qa_score": means.get(a.agent)}) for a in agents]
