"""What a plan sheet says when its input column is missing from the export.

../shared/spec/kpis.md: a KPI whose columns are missing is "not available" with the reason,
never 0. On a plan sheet that is one note, in the plan's language, naming the column as the
plan's Data sheet heads it: `无法计算：导出没有 协作类型 列` / `Not available: the export has no
Collaboration type column`. Presence is `TicketSet.columns` (a column empty in every row
counts as absent), never the frame's columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from csxl.domain.columns import label

# The engine's reasons (csxl.domain.kpis.unavailable, csxl.domain.customers) that mean a
# missing column, and the column a manager would add to the export.
REASON_COLUMNS: dict[str, tuple[str, ...]] = {
    "no satisfaction column": ("csat",),
    "no first-response column": ("first_response_at",),
    "no resolution time or status column": ("resolved_at",),
    "no resolution time column": ("resolved_at",),
    "no survey-sent column and no resolution column": ("survey_sent",),
    "no FCR column and no contacts column": ("fcr",),
    "no reopens column": ("reopens",),
    "no handle-time column": ("handle_s",),
    "no complaint column": ("complaint",),
    "no escalated-complaint column": ("escalated",),
    "no review column": ("reviewed",),
    "no bad-review reason column": ("bad_review_reason",),
    "no collaboration type, sent and done columns": ("dept_type", "dept_sent_at", "dept_done_at"),
    "the tickets have no customer id column": ("customer_id",),
    "no survey-sent time column": ("survey_sent_at",),
    "no tags column": ("tags",),
}
# The engine's other reasons, in Chinese (the JSON document keeps the engine's words).
REASONS_ZH = {
    "satisfaction is good/bad, not a 1-5 score": "满意度是好评/差评，不是 1-5 分",
    "no wait-time column": "通话记录没有 等待时长(秒) 列",
    "needs the number of active customers (a plan input)": "需要活跃客户数（计划的输入）",
    "no orders data (give the orders: csxl kpi DATA --orders FILE)": (
        "没有订单数据（请提供订单：csxl kpi DATA --orders FILE）"
    ),
}
PREFIX = {"zh": "无法计算：", "en": "Not available: "}
# What the collaboration appraisal (SLA sheet, dept_sla) needs.
DEPT_COLUMNS = ("dept_type", "dept_sent_at", "dept_done_at")


def missing(columns: Iterable[str], needed: Sequence[str]) -> list[str]:
    """The `needed` columns absent from `columns`, in `needed` order."""
    have = set(columns)
    return [c for c in needed if c not in have]


def note(
    absent: Sequence[str], lang: str = "zh", labels: Mapping[str, tuple[str, str]] | None = None
) -> str:
    """`无法计算：导出没有 X 列` for the absent columns, named as the paste sheet heads them
    (`labels`: zh, en per column; default the Data sheet's)."""
    names = [
        label(c, lang) if labels is None else labels[c][0 if lang == "zh" else 1] for c in absent
    ]
    if lang == "zh":
        return f"{PREFIX['zh']}导出没有 {'、'.join(names)} 列"
    shown = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"{PREFIX['en']}the export has no {shown} column"


def is_note(text: str | None) -> bool:
    """Whether `text` is one of these notes (in either language)."""
    return bool(text) and str(text).startswith(tuple(PREFIX.values()))


def reason_note(reason: str, lang: str = "zh") -> str | None:
    """The note for an engine's unavailable reason when it is a missing column, else None."""
    absent = REASON_COLUMNS.get(reason)
    return note(absent, lang) if absent else None


def reason_text(reason: str, lang: str = "zh") -> str:
    """An engine's unavailable reason as a person reads it in `lang`: `导出没有 处理时长 列`
    for a missing column, else the reason itself (in Chinese when it is known)."""
    absent = REASON_COLUMNS.get(reason)
    if absent:
        return note(absent, lang).removeprefix(PREFIX[lang])
    if lang != "zh":
        return reason
    if reason.startswith("no orders in "):
        return f"{reason.removeprefix('no orders in ')} 中没有订单"
    return REASONS_ZH.get(reason, reason)


def where(sheet: str, what: str, text: str, lang: str = "zh") -> str:
    """A refresh warning saying which sheet shows the note: `服务时限（部门考核）：无法计算…`."""
    return f"{sheet}（{what}）：{text}" if lang == "zh" else f"{sheet} ({what}): {text}"
