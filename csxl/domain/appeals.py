"""Appeals (申诉) and manual adjustments: which rows of the Appeals sheet apply, and how.

A row names an agent, the month it is about, a kind and what it changes:

- exclude (排除工单): a ticket id. The ticket drops out of that agent's figures for the
  month (KPIs, ticket and survey counts, escalations, red-line hits) and the agent's QA
  rows of it leave their QA score in any month (`Checked.excluded_tickets`). It stays in
  the team's KPIs: the team figure is what customers got, an appeal decides who answers for
  it.
- kpi (调整指标): one of the KPIs scored for agents and its new value, which replaces the
  computed one.
- score (调整得分): the weighted score (a number 0-100; the grade follows it, red lines still
  cap it) or the grade itself (one of the grade names; it replaces the computed grade, red
  line included: that is the approver's decision).

Only a row whose status is approved (通过) is applied, and only when it has a reason and an
approver; pending, rejected and withdrawn rows are kept and ignored. Every other problem
(a blank status, an approved row without a reason or approver, an unknown kind, KPI, agent
or ticket, a value out of range) is listed, never applied silently. Two approved rows that
change the same thing for the same agent and month: the lower row wins and the upper one is
listed as replaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

KINDS = {
    "exclude": ("排除工单", "Exclude ticket"),
    "kpi": ("调整指标", "Override KPI"),
    "score": ("调整得分", "Override score"),
}
STATUSES = {
    "approved": ("通过", "Approved"),
    "pending": ("待审", "Pending"),
    "rejected": ("驳回", "Rejected"),
    "withdrawn": ("撤销", "Withdrawn"),
}
SCORE_TARGETS = {"score": ("加权得分", "Weighted score"), "grade": ("等级", "Grade")}
MONTH = re.compile(r"^\d{4}-\d{2}$")


def key_of(table: dict[str, tuple[str, str]], value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    for key, names in table.items():
        if text == key or text in names or text.casefold() == names[1].casefold():
            return key
    return None


def ticket_text(value: object) -> str | None:
    """A ticket id as text: Excel may have turned 10023 into the number 10023.0."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def month_text(value: object) -> str | None:
    """'2026-03' from what a cell holds: text, or a date Excel made of it."""
    if value is None:
        return None
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip().replace("/", "-").replace("年", "-").rstrip("月")
    parts = text.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}"
    return text


@dataclass(frozen=True)
class Appeal:
    """One row of the Appeals sheet, as typed (text trimmed)."""

    row: int
    agent: str | None = None
    month: str | None = None
    kind: object = None
    target: object = None
    value: object = None
    reason: str | None = None
    approver: str | None = None
    when: date | None = None
    status: object = None

    def blank(self) -> bool:
        return all(
            v is None
            for v in (
                self.agent,
                self.month,
                self.kind,
                self.target,
                self.value,
                self.reason,
                self.approver,
                self.when,
                self.status,
            )
        )


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # a field name: agent, month, kind, target, value, reason, approver, status
    message: str
    value: object = None


@dataclass
class Checked:
    """What applies to the refreshed month, and what does not, with reasons."""

    month: str
    exclusions: dict[str, dict[str, Appeal]] = field(default_factory=dict)  # agent -> id -> row
    kpis: dict[tuple[str, str], tuple[float, Appeal]] = field(default_factory=dict)
    scores: dict[str, tuple[float, Appeal]] = field(default_factory=dict)
    grades: dict[str, tuple[str, Appeal]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    results: dict[int, str] = field(default_factory=dict)  # sheet row -> what happened
    # Every approved exclusion, of any month, as (agent, ticket id): a QA row of the ticket
    # leaves the agent's QA score in whichever month the row counts (csxl/workbook/sheets/qa.py).
    excluded_tickets: set[tuple[str, str]] = field(default_factory=set)

    def excluded_rows(self, frame: pd.DataFrame) -> pd.Series:
        """True for the month's tickets an approved appeal takes out of their agent's figures."""
        out = pd.Series(False, index=frame.index)
        if not self.exclusions or "agent" not in frame:
            return out
        ids = frame["ticket_id"].map(ticket_text)
        agents = frame["agent"].astype("string").str.strip()
        for agent, tickets in self.exclusions.items():
            out |= (agents == agent).fillna(False) & ids.isin(list(tickets))
        return out


TEXT = {
    "applied": ("已应用（{month}）", "Applied ({month})"),
    "other_month": ("不是本月（{month}），未应用", "Another month ({month}): not applied"),
    "not_approved": ("{status}，未应用", "{status}: not applied"),
    "refused": ("未应用：{why}", "Not applied: {why}"),
    "replaced": ("被第 {row} 行取代", "Replaced by row {row}"),
    "no_status": ("请选择状态（通过/待审/驳回/撤销）", "choose a status (Approved/Pending/...)"),
    "bad_status": ("状态不是 通过/待审/驳回/撤销 之一", "the status is not one of the list"),
    "no_agent": ("缺少客服", "the agent is missing"),
    "bad_kind": ("类型不是 排除工单/调整指标/调整得分 之一", "the kind is not one of the list"),
    "no_reason": ("已通过的申诉需要原因", "an approved row needs a reason"),
    "no_approver": ("已通过的申诉需要审批人", "an approved row needs an approver"),
    "bad_month": ("考核月份应写成 2026-03", "write the month as 2026-03"),
    "no_month": ("调整指标或得分需要考核月份", "an override needs the month it is for"),
    "month_mismatch": (
        "该工单创建于 {ticket}，与考核月份不符（留空或改为 {ticket}）",
        "the ticket was created in {ticket}, not in this month (leave it blank or write {ticket})",
    ),
    "no_ticket": ("缺少工单号", "the ticket id is missing"),
    "unknown_ticket": ("数据中没有这个工单号", "the Data sheet has no such ticket"),
    "other_agent": ("该工单属于 {other}，不是 {agent}", "the ticket is {other}'s, not {agent}'s"),
    "bad_kpi": ("指标不是考核表中的客服指标", "not one of the KPIs scored for agents"),
    "no_value": ("缺少新值", "the new value is missing"),
    "bad_value": ("新值不是数字", "the new value is not a number"),
    "bad_ratio": ("比率请写成 0%-100%", "a rate is 0%-100%"),
    "negative": ("新值不能为负", "the new value cannot be negative"),
    "bad_score": ("得分应在 0-100 之间", "a score is 0-100"),
    "bad_grade": ("等级不是激励表中的等级", "not a grade of the Incentives sheet"),
    "unknown_agent": ("本月考核中没有这位客服", "the agent has no row this month"),
}


def say(lang: str, code: str, **kw: object) -> str:
    zh, en = TEXT[code]
    return (zh if lang == "zh" else en).format(**kw)


def check(
    appeals: list[Appeal],
    month: str,
    frame: pd.DataFrame | None,
    lang: str,
    kpi_units: dict[str, str],
    kpi_labels: dict[str, str],
    grade_names: tuple[str, ...],
    agents: set[str] | None = None,
) -> Checked:
    """Which rows apply to `month`, from every valid ticket of the Data sheet (`frame`).

    `kpi_units`: the KPIs scored for agents (key -> unit); `kpi_labels`: label -> key.
    Without a frame (re-scoring, no data read) `agents` are the month's agents and ticket
    exclusions are left out (they are already in the figures Refresh wrote).
    """
    out = Checked(month)
    if frame is None:
        frame = pd.DataFrame({"ticket_id": [], "created_at": pd.to_datetime([]), "agent": []})
        skip_tickets = True
    else:
        skip_tickets = False
    created = frame["created_at"]
    owner = (
        frame["agent"].astype("string").str.strip()
        if "agent" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    ids_of: dict[str, object] = {}

    def by_id() -> dict[str, object]:
        """Ticket id (as text) -> its row label, the last row of an id winning: built at
        the first ticket appeal only (a pass in Python over every ticket)."""
        if not ids_of and len(frame):
            ids = frame["ticket_id"].map(ticket_text)
            ids_of.update({tid: i for i, tid in zip(frame.index, ids, strict=True)})
        return ids_of

    def month_of(i: object) -> str:
        return created.loc[i].strftime("%Y-%m")

    if re.fullmatch(r"\d{4}-\d{2}", month) and len(frame):
        in_month = (created.dt.year == int(month[:4])) & (created.dt.month == int(month[5:]))
    else:  # as text, like the months of the tickets
        in_month = created.dt.strftime("%Y-%m") == month if len(frame) else created.isna()
    agents_this_month = set(owner[in_month].dropna().unique()) if agents is None else set(agents)
    claimed: dict[tuple, Appeal] = {}

    def refuse(a: Appeal, column: str, code: str, value: object = None, **kw: object) -> None:
        why = say(lang, code, **kw)
        out.problems.append(Problem(a.row, column, why, value))
        out.results[a.row] = say(lang, "refused", why=why)

    for a in appeals:
        if a.blank():
            continue
        status = key_of(STATUSES, a.status)
        if a.status is None:
            refuse(a, "status", "no_status")
            continue
        if status is None:
            refuse(a, "status", "bad_status", a.status)
            continue
        if status != "approved":
            out.results[a.row] = say(lang, "not_approved", status=str(a.status).strip())
            continue
        if not a.agent:
            refuse(a, "agent", "no_agent")
            continue
        kind = key_of(KINDS, a.kind)
        if kind is None:
            refuse(a, "kind", "bad_kind", a.kind)
            continue
        if not a.reason:
            refuse(a, "reason", "no_reason")
            continue
        if not a.approver:
            refuse(a, "approver", "no_approver")
            continue
        if a.month is not None and not MONTH.match(a.month):
            refuse(a, "month", "bad_month", a.month)
            continue
        if kind == "exclude" and skip_tickets:
            continue
        if kind == "exclude":
            tid = ticket_text(a.target)
            if tid is None:
                refuse(a, "target", "no_ticket")
                continue
            if tid not in by_id():
                refuse(a, "target", "unknown_ticket", tid)
                continue
            i = by_id()[tid]
            other = owner.get(i)
            if other is pd.NA or other is None or str(other) != a.agent:
                shown = "未分配" if other is pd.NA or other is None else str(other)
                refuse(a, "target", "other_agent", tid, other=shown, agent=a.agent)
                continue
            ticket_month = month_of(i)
            if a.month not in (None, ticket_month):  # else it would never apply, silently
                refuse(a, "month", "month_mismatch", a.month, ticket=ticket_month)
                continue
            out.excluded_tickets.add((a.agent, tid))
            if ticket_month != month:
                out.results[a.row] = say(lang, "other_month", month=ticket_month)
                continue
            slot: tuple = ("exclude", a.agent, tid)
        else:
            if a.month is None:
                refuse(a, "month", "no_month")
                continue
            if kind == "kpi":
                key = kpi_labels.get(str(a.target).strip()) if a.target is not None else None
                if key is None:
                    refuse(a, "target", "bad_kpi", a.target)
                    continue
            else:
                key = key_of(SCORE_TARGETS, a.target) if a.target is not None else "score"
                if key is None:
                    refuse(a, "target", "bad_kpi", a.target)
                    continue
            if a.value is None:
                refuse(a, "value", "no_value")
                continue
            if key == "grade":
                value: object = str(a.value).strip()
                if value not in grade_names:
                    refuse(a, "value", "bad_grade", a.value)
                    continue
            else:
                try:
                    value = float(str(a.value).strip().rstrip("%")) / (
                        100 if str(a.value).strip().endswith("%") else 1
                    )
                except ValueError:
                    refuse(a, "value", "bad_value", a.value)
                    continue
                unit = kpi_units.get(key, "score")
                if value < 0:
                    refuse(a, "value", "negative", a.value)
                    continue
                if unit == "ratio" and value > 1:
                    refuse(a, "value", "bad_ratio", a.value)
                    continue
                if key == "score" and value > 100:
                    refuse(a, "value", "bad_score", a.value)
                    continue
            if a.month != month:
                out.results[a.row] = say(lang, "other_month", month=a.month)
                continue
            if a.agent not in agents_this_month:
                refuse(a, "agent", "unknown_agent", a.agent)
                continue
            slot = (kind, a.agent, key)
        if slot in claimed:
            earlier = claimed[slot]
            why = say(lang, "replaced", row=a.row)
            out.problems.append(Problem(earlier.row, "status", why, None))
            out.results[earlier.row] = say(lang, "refused", why=why)
        claimed[slot] = a
        out.results[a.row] = say(lang, "applied", month=month)
    for slot, a in claimed.items():
        kind, agent, key = slot
        if kind == "exclude":
            out.exclusions.setdefault(agent, {})[key] = a
        elif kind == "kpi":
            out.kpis[(agent, key)] = (_number(a.value), a)
        elif key == "grade":
            out.grades[agent] = (str(a.value).strip(), a)
        else:
            out.scores[agent] = (_number(a.value), a)
    return out


def _number(value: object) -> float:
    text = str(value).strip()
    return float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
