"""The canonical ticket columns of ../shared/spec/kpis.md and the kind of value each holds."""

from __future__ import annotations

from enum import Enum


class Kind(Enum):
    TEXT = "text"
    DATETIME = "datetime"
    SECONDS = "seconds"  # a duration; synonyms may carry a scale (minutes x 60)
    INT = "int"
    BOOL = "bool"
    CSAT = "csat"
    SEVERITY = "severity"
    TAGS = "tags"


COLUMNS: dict[str, Kind] = {
    "ticket_id": Kind.TEXT,
    "created_at": Kind.DATETIME,
    "first_response_at": Kind.DATETIME,
    "first_response_s": Kind.SECONDS,
    "resolved_at": Kind.DATETIME,
    "channel": Kind.TEXT,
    "team": Kind.TEXT,
    "group": Kind.TEXT,
    "agent": Kind.TEXT,
    "tags": Kind.TAGS,
    "severity": Kind.SEVERITY,
    "csat": Kind.CSAT,
    "survey_sent": Kind.BOOL,
    "survey_sent_at": Kind.DATETIME,
    "fcr": Kind.BOOL,
    "contacts": Kind.INT,
    "reopens": Kind.INT,
    "complaint": Kind.BOOL,
    "escalated": Kind.BOOL,
    "escalated_verified": Kind.BOOL,
    "handle_s": Kind.SECONDS,
    "bad_review_reason": Kind.TEXT,
    "reviewed": Kind.BOOL,
    "dept": Kind.TEXT,
    "dept_type": Kind.TEXT,
    "dept_sent_at": Kind.DATETIME,
    "dept_done_at": Kind.DATETIME,
    "status": Kind.TEXT,
    "customer_id": Kind.TEXT,
}

REQUIRED = ("ticket_id", "created_at")

# Time must not run backwards: (later, earlier) pairs checked row by row.
ORDERED_TIMES = (
    ("first_response_at", "created_at"),
    ("resolved_at", "created_at"),
    ("dept_done_at", "dept_sent_at"),
)

# Display names for messages and sheets, zh first.
LABELS: dict[str, tuple[str, str]] = {
    "ticket_id": ("工单号", "Ticket ID"),
    "created_at": ("创建时间", "Created at"),
    "first_response_at": ("首次响应时间", "First response at"),
    "first_response_s": ("首响时长(秒)", "First response (s)"),
    "resolved_at": ("解决时间", "Resolved at"),
    "channel": ("渠道", "Channel"),
    "team": ("团队", "Team"),
    "group": ("小组", "Sub-group"),
    "agent": ("客服", "Agent"),
    "tags": ("问题标签", "Tags"),
    "severity": ("紧急程度", "Severity"),
    "csat": ("满意度", "Satisfaction"),
    "survey_sent": ("是否推送评价", "Survey sent"),
    "survey_sent_at": ("评价推送时间", "Survey sent at"),
    "fcr": ("是否一次解决", "FCR"),
    "contacts": ("联系次数", "Contacts"),
    "reopens": ("重开次数", "Reopens"),
    "complaint": ("是否投诉", "Complaint"),
    "escalated": ("升级投诉", "Escalated"),
    "escalated_verified": ("升级投诉已核实", "Escalation verified"),
    "handle_s": ("处理时长(秒)", "Handle time (s)"),
    "bad_review_reason": ("差评原因", "Bad review reason"),
    "reviewed": ("是否复核", "Reviewed"),
    "dept": ("协作部门", "Department"),
    "dept_type": ("协作类型", "Collaboration type"),
    "dept_sent_at": ("转交时间", "Sent to department at"),
    "dept_done_at": ("部门完成时间", "Department done at"),
    "status": ("状态", "Status"),
    "customer_id": ("客户ID", "Customer ID"),
}


def label(column: str, lang: str = "zh") -> str:
    zh, en = LABELS[column]
    return zh if lang == "zh" else en
