"""Header synonyms: which export header means which canonical column.

Headers are matched after `normalise_header`: Unicode NFKC (full-width letters, digits and
brackets become half-width), case folded, all whitespace removed. So `Id`, `ID` and `Ｉｄ`
match, and `处理时长（秒）` matches `处理时长(秒)`.

The built-in table covers zh-CN exports (千牛/七鱼-style), English names and the Zendesk
and Freshdesk CSV exports; a user extends it with a Mapping sheet or a file (`extend`).
Orders (`Synonyms(ORDERS)`) have their own table: zh/en names and the order exports of
Taobao/Tmall (千牛), JD, Pinduoduo, Youzan and Shopify; so have calls (`Synonyms(CALLS)`):
zh/en names and the headers of Chinese call-centre exports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from csxl.domain.columns import REQUIRED, TICKETS, Schema

_SPACE = re.compile(r"\s+")


def normalise_header(text: object) -> str:
    if text is None:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


@dataclass(frozen=True)
class Synonym:
    column: str
    scale: float = 1.0  # a duration in minutes has scale 60


# The agent's staff number, in ticket and call exports alike (Zendesk: Assignee id).
AGENT_IDS = (
    "工号",
    "客服工号",
    "坐席工号",
    "座席工号",
    "员工工号",
    "员工编号",
    "Agent ID",
    "Assignee ID",
    "Staff ID",
    "Employee ID",
)

# Earlier synonyms win when two headers of one file name the same column.
_BUILTIN: dict[str, Sequence[str | tuple[str, float]]] = {
    "ticket_id": (
        "工单号",
        "工单编号",
        "工单ID",
        "会话ID",
        "会话编号",
        "服务单号",
        "Ticket ID",
        "Ticket",
        "ID",
    ),
    "created_at": (
        "创建时间",
        "进线时间",
        "接入时间",
        "会话开始时间",
        "Created at",
        "Created time",
        "Created",
        "Requested",
        "Date created",
    ),
    "first_response_at": (
        "首次响应时间",
        "首响时间",
        "首次回复时间",
        "First response at",
        "First responded at",
        "Initial response time",
    ),
    # Zendesk's wall-clock reply time; its "... within business hours" twin is not mapped.
    "first_response_s": (
        "首响时长(秒)",
        "首次响应时长(秒)",
        "首响时长",
        "First response (s)",
        "First reply time in seconds",
        ("首响时长(分钟)", 60.0),
        ("First reply time in minutes", 60.0),
    ),
    "resolved_at": (
        "解决时间",
        "结案时间",
        "完结时间",
        "Resolved at",
        "Resolved time",
        "Solved at",
    ),
    "channel": ("渠道", "来源渠道", "接入渠道", "Channel", "Via", "Source"),
    # Zendesk's and Freshdesk's "Group" is the team a plan is made for.
    "team": ("团队", "组别", "客服组", "技能组", "Team", "Group"),
    "group": ("小组", "班组", "Sub-group", "Subgroup"),
    "agent": ("客服", "坐席", "处理人", "受理人", "客服昵称", "Assignee", "Agent"),
    # The staff number: agents of one name are told apart by it (docs/kpis.md, "Agents").
    "agent_id": AGENT_IDS,
    "tags": ("问题标签", "问题分类", "标签", "Tags"),
    "severity": ("紧急程度", "优先级", "Priority", "Severity"),
    "csat": (
        "满意度",
        "评分",
        "满意度评分",
        "Satisfaction",
        "Satisfaction Score",
        "CSAT",
        "Rating",
        "Survey results",  # Freshdesk: Extremely happy .. Extremely unhappy
        "Survey result",
    ),
    "survey_sent": ("是否推送评价", "已推送评价", "Survey sent"),
    "survey_sent_at": ("评价推送时间", "问卷发送时间", "评价邀请时间", "Survey sent at"),
    "fcr": ("是否一次解决", "一次解决", "FCR", "First contact resolution"),
    "contacts": ("联系次数", "进线次数", "Contacts", "Replies", "Agent interactions"),
    "reopens": ("重开次数", "Reopens"),
    "complaint": ("是否投诉", "投诉", "Complaint"),
    "escalated": ("升级投诉", "是否升级", "Escalated"),
    "escalated_verified": ("升级投诉已核实", "是否核实", "Escalation verified"),
    "handle_s": (
        "处理时长(秒)",
        "处理时长",
        "Handle time (s)",
        "Handle time",
        ("处理时长(分钟)", 60.0),
    ),
    "bad_review_reason": ("差评原因", "Bad review reason"),
    "reviewed": ("是否复核", "已复核", "Reviewed"),
    "dept": ("协作部门", "Department"),
    "dept_type": ("协作类型", "Collaboration type"),
    "dept_sent_at": ("转交时间", "Sent to department at"),
    "dept_done_at": ("部门完成时间", "Department done at"),
    "status": ("状态", "工单状态", "Status"),
    # The names order exports use too, so that tickets join the Orders data (hv_* KPIs).
    "customer_id": (
        "客户ID",
        "买家昵称",
        "买家会员名",
        "买家账号",
        "客户账号",
        "访客ID",
        "用户ID",
        "顾客",
        "客户",
        "Customer ID",
        "Customer",
        "Requester",
        "买家ID",  # 千牛 ticket exports; orders know it already
    ),
    # Not "Source": Zendesk uses it for the channel.
    "data_source": ("数据源", "导入来源", "Data source", "Import source"),
}

# Orders. Where an export has several candidates, the earlier wins: the payment time over
# the creation time (an unpaid order is not a purchase), what the buyer paid over the list
# price, and Shopify's Financial Status (paid/refunded) as the status.
_ORDER_BUILTIN: dict[str, Sequence[str | tuple[str, float]]] = {
    "customer_id": (
        "客户ID",
        "客户编号",
        "买家会员名",  # Taobao/Tmall
        "买家昵称",  # Youzan, 千牛
        "买家账号",
        "买家ID",
        "下单账号",  # JD
        "下单帐号",
        "客户账号",
        "会员ID",
        "会员名",
        "用户ID",
        "用户账号",
        "客户",
        "买家",
        "Customer ID",
        "Customer",
        "Buyer ID",
        "Buyer",
        "Customer Email",
        "Email",  # Shopify: the customer's e-mail
    ),
    "ordered_at": (
        "付款时间",
        "订单付款时间",  # Taobao/Tmall
        "买家付款时间",  # Youzan
        "支付时间",  # Pinduoduo
        "付款确认时间",  # JD
        "成交时间",
        "订单成交时间",  # Pinduoduo
        "下单时间",  # JD, Youzan
        "订单创建时间",  # Taobao/Tmall
        "创建时间",
        "订单时间",
        "Paid at",  # Shopify
        "Payment time",
        "Order time",
        "Ordered at",
        "Order date",
        "Created at",  # Shopify
        "Date",
    ),
    "amount": (
        "实付金额",
        "买家实际支付金额",  # Taobao/Tmall
        "用户实付金额(元)",  # Pinduoduo
        "用户实付金额",
        "订单实付金额",  # Youzan
        "实付款",
        "实付款(元)",
        "实收款",
        "实收金额",
        "商家实收金额(元)",  # Pinduoduo
        "应付金额",  # JD
        "支付金额",
        "付款金额",
        "成交金额",
        "订单金额",  # JD
        "总金额",  # Taobao/Tmall
        "金额",
        "Amount paid",
        "Paid amount",
        "Amount",
        "Order total",
        "Total",  # Shopify
    ),
    "order_id": (
        "订单号",
        "订单编号",  # Taobao/Tmall
        "订单ID",
        "主订单编号",
        "Order ID",
        "Order number",
        "Order",
        "Id",  # Shopify's order id
        "Name",  # Shopify's order name (#1001)
    ),
    "status": (
        "订单状态",
        "交易状态",
        "状态",
        "Financial Status",  # Shopify
        "Order status",
        "Status",
    ),
}

# Calls: the call-detail exports (通话记录/呼叫明细) of Chinese call-centre systems (坐席,
# 技能组, 接听状态, 排队时长 ...) and English names. The staff number (坐席工号) is `agent_id`,
# the agent's key when there is no name. Where an export has both, the queue wait wins over
# a total wait, and a yes/no answered column over a call-result column.
_CALL_BUILTIN: dict[str, Sequence[str | tuple[str, float]]] = {
    "call_id": (
        "通话ID",
        "呼叫ID",
        "通话编号",
        "呼叫编号",
        "通话流水号",
        "呼叫流水号",
        "来电ID",
        "Call ID",  # also CallID, Call Id: headers match without spaces, any case
    ),
    "started_at": (
        "来电时间",
        "呼入时间",
        "开始时间",
        "通话开始时间",
        "呼叫开始时间",
        "呼叫时间",
        "进线时间",
        "进入队列时间",
        "Start time",
        "Started at",
        "Call start",
        "Call time",
        "Date/Time",
    ),
    "agent": (
        "坐席",
        "坐席姓名",
        "坐席名称",
        "座席",
        "座席姓名",
        "接听坐席",
        "接听人",
        "客服",
        "客服姓名",
        "Agent",
        "Agent name",
    ),
    "agent_id": AGENT_IDS,
    "team": (
        "技能组",
        "技能组名称",
        "队列",
        "队列名称",
        "排队队列",
        "热线",
        "团队",
        "组别",
        "Queue",
        "Skill group",
        "Team",
        "Group",
    ),
    "answered": (
        "是否接通",
        "是否接听",
        "是否应答",
        "接听状态",
        "接通状态",
        "应答状态",
        "呼叫结果",
        "通话结果",
        "接听结果",
        "Answered",
        "Call result",
    ),
    "wait_s": (
        "等待时长(秒)",
        "排队时长(秒)",
        "排队等待时长(秒)",
        "等待时长",
        "排队时长",
        "排队等待时长",
        "排队时间",
        "等待时间",
        ("等待时长(分钟)", 60.0),
        ("排队时长(分钟)", 60.0),
        "Wait time (s)",
        "Wait time",
        "Queue time",
        "Time in queue",
        "Wait (s)",
    ),
    "abandoned": (
        "是否放弃",
        "是否呼损",
        "放弃",
        "呼损",
        "Abandoned",
    ),
}

_TABLES = {"tickets": _BUILTIN, "orders": _ORDER_BUILTIN, "calls": _CALL_BUILTIN}

# Headers of per-agent summary exports (七鱼, V5 ...): recognised so that we can say that
# per-ticket data is needed instead of misreading a summary.
SUMMARY_HEADERS = frozenset(
    normalise_header(h)
    for h in (
        "平均首响时长",
        "平均响应时长",
        "好评数",
        "差评数",
        "接待量",
        "会话量",
        "满意率",
        "好评率",
        "平均会话时长",
        "接待人数",
        "参评数",
    )
)


@dataclass
class HeaderMatch:
    """How the headers of one file map to canonical columns."""

    columns: dict[str, int]  # canonical column -> position in the header row
    scales: dict[str, float]
    headers: list[str]
    unmapped: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str, str]] = field(default_factory=list)  # (ignored, used, col)
    required: tuple[str, ...] = REQUIRED
    # Every position naming each column, best synonym first: (position, scale). The reader
    # settles on one once it knows which columns hold data (`csxl.readers.header.settle`).
    candidates: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    def header_of(self, column: str) -> str:
        return self.headers[self.columns[column]]

    @property
    def missing_required(self) -> list[str]:
        return [c for c in self.required if c not in self.columns]


class Synonyms:
    """The synonym table of one schema (tickets by default, or `ORDERS`), built-in first,
    user additions override."""

    def __init__(self, schema: Schema = TICKETS) -> None:
        self.schema = schema
        self._table: dict[str, tuple[Synonym, int]] = {}
        for column, names in _TABLES[schema.name].items():
            for rank, entry in enumerate(names):
                name, scale = entry if isinstance(entry, tuple) else (entry, 1.0)
                self._table[normalise_header(name)] = (Synonym(column, scale), rank)

    def extend(self, pairs: Iterable[tuple[str, str] | tuple[str, str, float]]) -> None:
        """Add user synonyms (header, canonical column[, scale]); they rank first."""
        for pair in pairs:
            header, column = pair[0], pair[1]
            scale = float(pair[2]) if len(pair) > 2 else 1.0
            if column not in self.schema.columns:
                known = ", ".join(self.schema.columns)
                raise ValueError(
                    f"unknown column {column!r} for header {header!r}; use one of {known}"
                )
            self._table[normalise_header(header)] = (Synonym(column, scale), -1)

    def lookup(self, header: object) -> Synonym | None:
        hit = self._table.get(normalise_header(header))
        return hit[0] if hit else None

    def match(self, headers: Sequence[object]) -> HeaderMatch:
        texts = ["" if h is None else str(h).strip() for h in headers]
        best: dict[str, tuple[int, int]] = {}  # column -> (rank, position)
        found: dict[str, list[tuple[int, int, float]]] = {}
        result = HeaderMatch(columns={}, scales={}, headers=texts, required=self.schema.required)
        for pos, text in enumerate(texts):
            if not text:
                continue
            hit = self._table.get(normalise_header(text))
            if hit is None:
                result.unmapped.append(text)
                continue
            synonym, rank = hit
            found.setdefault(synonym.column, []).append((rank, pos, synonym.scale))
            previous = best.get(synonym.column)
            if previous is None or rank < previous[0]:
                if previous is not None:
                    result.ambiguous.append((texts[previous[1]], text, synonym.column))
                best[synonym.column] = (rank, pos)
                result.scales[synonym.column] = synonym.scale
            else:
                result.ambiguous.append((text, texts[previous[1]], synonym.column))
        result.columns = {col: pos for col, (_, pos) in best.items()}
        result.candidates = {
            col: [(pos, scale) for _, pos, scale in sorted(hits)] for col, hits in found.items()
        }
        return result

    def score(self, headers: Sequence[object]) -> int:
        """How many distinct canonical columns a candidate header row names."""
        return len({s.column for h in headers if (s := self.lookup(h)) is not None})


def looks_like_summary(headers: Sequence[object]) -> bool:
    return sum(normalise_header(h) in SUMMARY_HEADERS for h in headers) >= 2
