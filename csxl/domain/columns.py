"""The canonical ticket columns of ../shared/spec/kpis.md and the kind of value each holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
    AMOUNT = "amount"  # money: a number, currency marks (¥, 元, CNY) dropped


# Kinds whose cells hold numbers: a date-formatted cell among them is its serial number.
NUMBER_KINDS = frozenset({Kind.INT, Kind.SECONDS, Kind.CSAT, Kind.AMOUNT})


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
    # The agent's staff number (工号): the identity two agents of one name are told apart by
    # (`csxl.domain.identity.agent_keys`).
    "agent_id": Kind.TEXT,
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
    # Which export a row came from (`csxl import --source`): kept on the row, never a KPI.
    "data_source": Kind.TEXT,
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
    "agent_id": ("工号", "Agent ID"),
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
    "data_source": ("数据源", "Data source"),
}


def label(column: str, lang: str = "zh") -> str:
    zh, en = LABELS[column]
    return zh if lang == "zh" else en


# ---------------------------------------------------------------------------- orders
# One row per order (订单), from an e-commerce export or a plan's paste area.
ORDER_COLUMNS: dict[str, Kind] = {
    "customer_id": Kind.TEXT,
    "ordered_at": Kind.DATETIME,
    "amount": Kind.AMOUNT,
    "order_id": Kind.TEXT,
    "status": Kind.TEXT,
}

ORDER_REQUIRED = ("customer_id", "ordered_at", "amount")

ORDER_LABELS: dict[str, tuple[str, str]] = {
    "customer_id": ("客户ID", "Customer ID"),
    "ordered_at": ("下单时间", "Order time"),
    "amount": ("订单金额", "Amount"),
    "order_id": ("订单号", "Order ID"),
    "status": ("订单状态", "Order status"),
}


@dataclass(frozen=True)
class Schema:
    """What one kind of table holds: its columns, the required ones and their names. Which
    sheet of a plan holds it is the workbook's (`csxl.workbook.layout.PASTE_AREAS`)."""

    name: str
    columns: Mapping[str, Kind]
    required: tuple[str, ...]
    labels: Mapping[str, tuple[str, str]]
    what: tuple[str, str]  # one row is one ... (zh, en), for messages
    # Columns that one export may give twice, in ranked synonyms of which the best one with
    # data wins (an order's payment time over its creation time). Any other column given
    # twice with data is refused: csxl cannot know which the manager means.
    ranked: frozenset[str] = frozenset()


TICKETS = Schema("tickets", COLUMNS, REQUIRED, LABELS, ("工单", "ticket"))
ORDERS = Schema(
    "orders",
    ORDER_COLUMNS,
    ORDER_REQUIRED,
    ORDER_LABELS,
    ("订单", "order"),
    ranked=frozenset(ORDER_COLUMNS),  # e-commerce exports: see synonyms._ORDER_BUILTIN
)


# ---------------------------------------------------------------------------- calls
# One row per inbound call that reached the queue, from a call-centre (呼叫中心) export or
# a plan's paste area: what csxl.domain.calls counts.
CALL_COLUMNS: dict[str, Kind] = {
    "call_id": Kind.TEXT,
    "started_at": Kind.DATETIME,
    "agent": Kind.TEXT,
    "agent_id": Kind.TEXT,  # 工号, as for tickets
    "team": Kind.TEXT,  # the queue or skill group (技能组/队列)
    "answered": Kind.BOOL,  # also call words: 接通/未接通, 已接听/未接听, 放弃 ...
    "wait_s": Kind.SECONDS,
    "abandoned": Kind.BOOL,
}

CALL_REQUIRED = ("started_at", "answered")

CALL_LABELS: dict[str, tuple[str, str]] = {
    "call_id": ("通话ID", "Call ID"),
    "started_at": ("来电时间", "Start time"),
    "agent": ("坐席", "Agent"),
    "agent_id": ("工号", "Agent ID"),
    "team": ("技能组", "Queue"),
    "answered": ("是否接通", "Answered"),
    "wait_s": ("等待时长(秒)", "Wait time (s)"),
    "abandoned": ("是否放弃", "Abandoned"),
}

CALLS = Schema(
    "calls",
    CALL_COLUMNS,
    CALL_REQUIRED,
    CALL_LABELS,
    ("通话", "call"),
)
