"""Refresh's side of the Calls (通话) and Call records (通话记录) sheets: the pasted calls
read and checked (rejected rows onto Errors), agents resolved through Aliases as tickets
are, and the refreshed month's KPIs per team and agent onto Calls. Rules in
`csxl.domain.calls`; the loader in `csxl.domain.call_records`.

A Call records sheet that cannot be read at all (its header row deleted, a stray cell far
below the data) is a warning and an Errors row, not a refused refresh: the month's ticket
KPIs, scores and bonuses do not depend on it.
"""

from __future__ import annotations

from datetime import datetime

from csxl import agent_identity
from csxl.errors import InputError
from csxl.workbook import layout
from csxl.workbook.layout import Calls as L

Rows = list[tuple[object, ...]]  # Errors sheet rows


def load(book, state):
    """(the calls, Errors rows, warnings); no calls for a plan made before the sheets."""
    if not state.has_calls:
        return None, [], []
    from csxl.domain.call_records import load_calls
    from csxl.domain.columns import CALLS
    from csxl.domain.synonyms import Synonyms

    synonyms = Synonyms(CALLS)
    # Mapping rows (those not tied to a Data source) for the columns calls share with
    # tickets (agent, team) apply here too.
    synonyms.extend(m for m in state.mapping_for() if m[1] in CALLS.columns)
    try:
        calls = load_calls(book.calls(synonyms))
    except InputError as exc:
        w = exc.where
        sheet = w.sheet or layout.title("CallRecords", book.lang)
        row = (w.file or book.name, sheet, w.row, w.column, exc.message, exc.hint)
        state.inputs.call_status = f"{sheet}: {exc.message}"
        return None, [row], [f"{sheet}: {exc.message}"]
    calls, errors, warnings = agent_identity.apply_to_calls(book.name, state, calls)
    return calls, problem_rows(calls, book.lang) + errors, warnings


def problem_rows(calls, lang: str) -> Rows:
    return [
        (calls.source, calls.sheet, p.row, p.column, p.reason(lang), _text(p.value))
        for p in calls.problems
    ]


def fill(state, calls, window, month: str, now: datetime) -> list[str]:
    """The Calls sheet's status line and results for `month`; warnings."""
    from csxl.domain import kpis
    from csxl.domain.calls import CallSettings, call_groups
    from csxl.workbook.sheets.calls import SCOPES, CallRow

    p = state.inputs
    if calls is None:
        p.call_rows = ()
        return []
    settings = p.call_settings or CallSettings()
    frame = kpis.in_period(calls.frame, window, "started_at")
    zh = p.lang == "zh"
    rows: list[CallRow] = []
    if len(frame):
        everyone = p.team or SCOPES["all"][0 if zh else 1]
        for g in call_groups(frame, ("all", "team", "agent"), settings):
            k = g["kpis"]
            rows.append(
                CallRow(
                    g["by"],
                    everyone if g["by"] == "all" else g["key"],
                    int(k["offered"]),
                    int(k["answered"]),
                    int(k["abandoned"]),
                    None if k["answered_within"] is None else int(k["answered_within"]),
                    None if k["asa_s"] is None else float(k["asa_s"]),
                )
            )
    warnings = []
    if len(rows) > L.ROWS:
        warnings.append(
            f"通话：结果超过 {L.ROWS} 行，只显示前 {L.ROWS} 行"
            if zh
            else f"Calls: more than {L.ROWS} result rows; the first {L.ROWS} are shown"
        )
    p.call_rows = tuple(rows[: L.ROWS])
    p.call_status = _status(p.lang, calls, len(frame), rows[0].offered if rows else 0, month, now)
    if calls.valid and "wait_s" not in calls.columns:
        # Service level and ASA stay blank (never 0%): the status line and a warning say why.
        from csxl import unavailable
        from csxl.domain.columns import CALL_LABELS

        what = "服务水平、平均应答" if zh else "service level, ASA"
        text = unavailable.note(["wait_s"], p.lang, CALL_LABELS)
        p.call_status += ("；" if zh else "; ") + f"{what}{'：' if zh else ': '}{text}"
        warnings.append(unavailable.where(layout.title("Calls", p.lang), what, text, p.lang))
    return warnings


def _status(lang: str, calls, in_month: int, offered: int, month: str, now: datetime) -> str:
    sheet = layout.title("CallRecords", lang)
    errors = layout.title("Errors", lang)
    short = in_month - offered
    at = f"{now:%Y-%m-%d %H:%M}"
    if lang == "zh":
        if not in_month:
            return f"{at}：“{sheet}”中没有 {month} 的来电（共 {calls.valid:,} 行有效）"
        text = f"{at} 按 {month} 的 {in_month:,} 通来电计算"
        if short:
            text += f"（短放弃 {short:,} 通不计入呼入量）"
        if calls.rejected:
            text += f"；“{sheet}”有 {calls.rejected:,} 行被拒绝，见“{errors}”表"
        return text
    if not in_month:
        return f"{at}: no calls of {month} in {sheet} ({calls.valid:,} valid rows)"
    text = f"{at}: {in_month:,} calls of {month}"
    if short:
        text += f" ({short:,} short abandons not offered)"
    if calls.rejected:
        text += f"; {calls.rejected:,} rows of {sheet} rejected, see {errors}"
    return text


def _text(value: object) -> str | None:
    return None if value is None else str(value)
