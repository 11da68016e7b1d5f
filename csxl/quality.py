"""Refresh's side of the QA sheet: the month's QA score per agent onto Scores and the QA
sheet's result block; unusable inspection rows onto Errors. Rules in `csxl.domain.qa`."""

from __future__ import annotations

from dataclasses import replace


def summarise(book_name: str, state) -> list[tuple[object, ...]]:
    """Fill the per-agent results; the Errors rows of the inspections not counted."""
    from csxl.domain import qa
    from csxl.workbook.sheets.qa import error_rows

    p = state.inputs
    if not state.has_qa:
        return []
    per_agent, _, problems = qa.summarise(list(p.qa_rows))
    p.qa_results = tuple(per_agent.values())
    return error_rows(book_name, p.lang, problems)


def with_scores(p, agents: list) -> list:
    """Agent rows with their QA score (None without inspections) among their values."""
    if not p.has_qa:
        return agents
    means = {a.agent: a.mean for a in p.qa_results}
    return [replace(a, values={**a.values, "qa_score": means.get(a.agent)}) for a in agents]
