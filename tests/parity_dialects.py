"""One month of tickets in every export dialect csxl reads, and the ways a manager gets them
into a plan's Data sheet (the fixtures of tests/test_plan_parity.py).

`tickets()` is a small seeded month (two teams of three agents, an unassigned ticket with no
team, a duplicated ticket id and a few rows csxl must reject) as canonical dicts. Each
`Dialect` renders it under its own headers and in its own value forms: the Chinese export
layout of ../shared/data/tickets_zh_sample.xlsx (A), a second Chinese layout with other
header names and no 是否推送评价 / 是否一次解决 / 是否复核 columns (B), Zendesk's CSV (the
headers of ../shared/data/zendesk_sample.csv) and Freshdesk's CSV (the spec's headers).

The paste helpers write cells the way Excel leaves them, through csxl's own sheet-part
writer (`sheetxml.patch`, committed by `PackageBook`), so a plan is never round-tripped
through openpyxl (which would drop every cached value):

- `paste_at_a1`: the export grid, header included, over Data!A1. A normal paste carries the
  source formats (dates stay dates); a "paste values" keeps the target's formats, so a date
  becomes its serial number in a General column and a number shows as a date in one of the
  template's date-formatted columns (重开次数 0 as 1900-01-00).
- `paste_under_template`: the values of each export column under the template heading of the
  same field, in the template's column order, into the template's formats.
"""

from __future__ import annotations

import csv
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl

MONTH = "2026-03"
TEAMS = ("售前一组", "售后一组")
AGENTS = {"售前一组": ("王芳", "李娜", "张伟"), "售后一组": ("刘洋", "陈静", "杨磊")}
GROUP_OF = {
    "王芳": "A班",
    "李娜": "A班",
    "张伟": "B班",
    "刘洋": "A班",
    "陈静": "B班",
    "杨磊": "B班",
}
ACTIVE_CUSTOMERS = 20_000
N_TICKETS = 110
_TAGS = ("退款", "物流查询", "商品咨询", "换货", "发票", "优惠券", "质量问题", "账号登录")
_SLUG = dict(
    zip(
        _TAGS,
        ("refund", "shipping", "product", "exchange", "invoice", "coupon", "quality", "login"),
        strict=True,
    )
)
_REASONS = ("响应慢", "解答不专业", "承诺未兑现", "其他")

Ticket = dict[str, object]


# ------------------------------------------------------------------ the month's tickets
def tickets(seed: int = 16) -> list[Ticket]:
    """The month's tickets in file order, dirt included (each dirty row says so in `dirt`)."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1)
    out: list[Ticket] = []
    for i in range(N_TICKETS):
        team = TEAMS[i % 2]
        agent = AGENTS[team][rng.randrange(3)]
        created = start + timedelta(
            days=rng.randrange(31), hours=rng.randrange(8, 22), seconds=rng.randrange(3600)
        )
        t: Ticket = {"n": i, "team": team, "agent": agent, "created_at": created}
        t["channel"] = rng.choice(("在线", "电话", "邮件", "千牛"))
        t["severity"] = rng.choices(("常规", "重要", "紧急"), (8, 3, 1))[0]
        t["tags"] = rng.sample(_TAGS, rng.choice((1, 1, 1, 2)))
        t["customer_id"] = f"C{rng.randrange(1, 60):04d}"
        answered = rng.random() < 0.93
        frt = int(rng.lognormvariate(3.8, 1.0)) if answered else None
        t["first_response_s"] = frt
        t["first_response_at"] = created + timedelta(seconds=frt) if frt is not None else None
        resolved = answered and rng.random() < 0.9
        rt = frt + rng.randrange(120, 30_000) if resolved and frt is not None else None
        t["resolved_at"] = created + timedelta(seconds=rt) if rt is not None else None
        t["status"] = "已解决" if resolved else rng.choice(("处理中", "待回复"))
        t["contacts"] = rng.choices((1, 2, 3), (7, 2, 1))[0]
        t["reopens"] = rng.choices((0, 1, 2), (9, 1, 0.3))[0] if resolved else 0
        t["fcr"] = (t["contacts"] == 1 and t["reopens"] == 0) != (rng.random() < 0.1)
        t["fcr"] = t["fcr"] if resolved else None
        sent = resolved and rng.random() < 0.6
        t["survey_sent"] = sent
        score = rng.choices((5, 4, 3, 2, 1), (40, 28, 12, 10, 10))[0]
        t["csat"] = score if sent and rng.random() < 0.65 else None
        bad = t["csat"] is not None and t["csat"] <= 3
        t["bad_review_reason"] = rng.choice((*_REASONS, None)) if bad else None
        t["reviewed"] = rng.random() < 0.6 if bad else None
        t["complaint"] = rng.random() < 0.06
        t["escalated"] = rng.random() < 0.04
        t["handle_s"] = rng.randrange(60, 1500) if answered else None
        if rng.random() < 0.08:
            t["dept"] = rng.choice(("技术部", "产品部", "物流部"))
            t["dept_type"] = rng.choice(("常规", "技术排查", "产品优化"))
            t["dept_sent_at"] = created + timedelta(hours=1)
            done = rng.random() < 0.8
            t["dept_done_at"] = created + timedelta(hours=rng.randrange(2, 90)) if done else None
        t["dirt"] = None
        out.append(t)
    # A ticket closed by status alone (no resolution time): resolved, no resolution time.
    out[5]["status"], out[5]["resolved_at"] = "已关闭", None
    # An unassigned ticket with no team: it counts in every plan (spec) and as 未分配.
    out[9]["team"] = out[9]["agent"] = None
    # Rows csxl must reject, one of each kind, in both teams.
    out[12]["dirt"] = "bad_date"  # created 2026-02-30
    out[17]["dirt"] = "bad_score"  # 满意度 7
    out[22]["dirt"] = "missing_id"
    out[31]["dirt"] = "backwards"  # resolved before created
    out[31]["resolved_at"] = out[31]["created_at"] - timedelta(minutes=30)
    out[31]["status"] = "已解决"
    for t in out:
        if t["dirt"] == "bad_score":
            t["survey_sent"], t["csat"] = True, 7
    # Usable dirt: a text timestamp without seconds, a number as full-width text.
    out[40]["dirt"] = "text_time"
    out[44]["dirt"] = "text_number"
    # An outdated copy of ticket 50 above it: unresolved, no survey. The later row counts.
    old = dict(out[50], resolved_at=None, status="处理中", csat=None, survey_sent=False)
    old.update(fcr=None, bad_review_reason=None, reviewed=None, reopens=0, dirt="old_copy")
    out.insert(45, old)
    return out


def ticket_id(t: Ticket, style: str) -> object:
    if t["dirt"] == "missing_id":
        return None
    n = int(t["n"])  # type: ignore[arg-type]
    return {"zh_a": f"GD202603{n:05d}", "zh_b": f"S{880000 + n}"}.get(style, 48001 + n)


# ------------------------------------------------------------------ dialects
@dataclass(frozen=True)
class Col:
    header: str
    field: str | None  # the canonical column it holds (None: csxl must ignore it)
    render: Callable[[Ticket], object]
    scale: float = 1.0  # 60: whole minutes of a seconds field


@dataclass(frozen=True)
class Dialect:
    key: str
    suffix: str  # .xlsx or .csv
    columns: tuple[Col, ...]
    title_rows: tuple[str, ...] = ()
    extra: int = 0  # custom-field columns that make the "wide" export wider than Data
    notes: dict[str, str] = field(default_factory=dict)

    def headers(self, wide: bool = False) -> list[str]:
        return [c.header for c in self.columns] + _extra_headers(wide)

    def rows(self, tickets: Sequence[Ticket], wide: bool = False) -> list[list[object]]:
        """Each ticket as the export writes it (Python values for .xlsx, text for .csv)."""
        out = []
        for t in tickets:
            row = [c.render(t) for c in self.columns]
            if wide:
                row += [f"自定义{j}-{t['n']}" for j in range(len(_extra_headers(True)))]
            if self.suffix == ".csv":
                row = [_csv_text(v) for v in row]
            out.append(row)
        return out

    def team_index(self) -> int:
        return next(i for i, c in enumerate(self.columns) if c.field == "team")


def _extra_headers(wide: bool) -> list[str]:
    # Custom fields of a help desk: 16 more columns push every dialect past the Data sheet's 30.
    return [f"自定义字段{j + 1}" for j in range(16)] if wide else []


def _csv_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


def _created(t: Ticket, text_form: Callable[[datetime], str]) -> object:
    value = t["created_at"]
    assert isinstance(value, datetime)
    if t["dirt"] == "bad_date":
        return f"2026-02-30 {value:%H:%M:%S}"
    if t["dirt"] == "text_time":
        return text_form(value)
    return value


def _slash(v: datetime) -> str:
    return f"{v.year}/{v.month}/{v.day} {v.hour}:{v.minute:02d}"


def _yes(v: object, yes: str = "是", no: str = "否") -> object:
    return None if v is None else (yes if v else no)


def _fullwidth(v: object) -> object:
    return str(v).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _contacts(t: Ticket) -> object:
    return f" {_fullwidth(t['contacts'])} " if t["dirt"] == "text_number" else t["contacts"]


def _tags(t: Ticket, sep: str) -> str:
    return sep.join(t["tags"])  # type: ignore[arg-type]


def _f(name: str) -> Callable[[Ticket], object]:
    return lambda t: t.get(name)


ZH_A = Dialect(
    "zh_a",
    ".xlsx",
    (
        Col("工单号", "ticket_id", lambda t: ticket_id(t, "zh_a")),
        Col("创建时间", "created_at", lambda t: _created(t, _slash)),
        Col("首次响应时间", "first_response_at", _f("first_response_at")),
        Col("解决时间", "resolved_at", _f("resolved_at")),
        Col("渠道", "channel", _f("channel")),
        Col("团队", "team", _f("team")),
        Col("客服", "agent", _f("agent")),
        Col("问题标签", "tags", lambda t: _tags(t, "，" if t["n"] % 3 else ",")),
        Col("紧急程度", "severity", _f("severity")),
        Col("满意度", "csat", _f("csat")),
        Col("是否推送评价", "survey_sent", lambda t: _yes(t["survey_sent"])),
        Col("是否一次解决", "fcr", lambda t: _yes(t["fcr"])),
        Col("联系次数", "contacts", _contacts),
        Col("重开次数", "reopens", _f("reopens")),
        Col("是否投诉", "complaint", lambda t: _yes(t["complaint"])),
        Col("升级投诉", "escalated", lambda t: _yes(t["escalated"])),
        Col("处理时长(秒)", "handle_s", _f("handle_s")),
        Col("差评原因", "bad_review_reason", _f("bad_review_reason")),
        Col("是否复核", "reviewed", lambda t: _yes(t["reviewed"])),
        Col("协作部门", "dept", _f("dept")),
        Col("协作类型", "dept_type", _f("dept_type")),
        Col("转交时间", "dept_sent_at", _f("dept_sent_at")),
        Col("部门完成时间", "dept_done_at", _f("dept_done_at")),
        Col("客户ID", "customer_id", _f("customer_id")),
    ),
    title_rows=(
        "客服工单明细导出（2026年3月）",
        "导出时间：2026-04-01 08:00:00\u3000导出人：客服运营部",
    ),
)

_WORDS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}

ZH_B = Dialect(
    "zh_b",
    ".xlsx",
    (
        Col("会话ID", "ticket_id", lambda t: ticket_id(t, "zh_b")),
        Col(
            "进线时间", "created_at", lambda t: _created(t, lambda v: f"{v:%Y年%m月%d日 %H:%M:%S}")
        ),
        Col("首响时长(秒)", "first_response_s", _f("first_response_s")),
        Col("结案时间", "resolved_at", _f("resolved_at")),
        Col("接入渠道", "channel", _f("channel")),
        Col("组别", "team", _f("team")),
        Col("坐席", "agent", _f("agent")),
        Col("问题分类", "tags", lambda t: _tags(t, "；")),
        Col("优先级", "severity", _f("severity")),
        # Scores as numbers, as words and as `5分`, the way 七鱼-style exports mix them.
        Col(
            "评分",
            "csat",
            lambda t: (
                None
                if t["csat"] is None
                else (_WORDS.get(t["csat"], t["csat"]) if t["n"] % 3 == 0 else t["csat"])  # type: ignore[call-overload]
            ),
        ),
        Col("进线次数", "contacts", _contacts),
        Col("重开次数", "reopens", _f("reopens")),
        Col("投诉", "complaint", lambda t: _yes(t["complaint"], "Y", "N")),
        Col("是否升级", "escalated", lambda t: _yes(t["escalated"])),
        Col("处理时长", "handle_s", _f("handle_s")),
        Col("差评原因", "bad_review_reason", _f("bad_review_reason")),
        Col("买家昵称", "customer_id", _f("customer_id")),
    ),
    title_rows=("在线会话记录 2026-03",),
)

_PRIORITY = {"紧急": "Urgent", "重要": "High", "常规": "Normal"}
_VIA = {"在线": "Chat", "电话": "Phone call (inbound)", "邮件": "Email", "千牛": "Web form"}


def _zendesk_status(t: Ticket) -> str:
    if t["status"] == "已关闭":
        return "Closed"
    return ("Solved" if t["n"] % 2 else "Closed") if t["resolved_at"] else "Open"


def _zendesk_score(t: Ticket) -> object:
    if t["csat"] == 7:
        return "Great"  # not a Zendesk value: the row is rejected
    if t["csat"] is not None:
        return "Good" if t["csat"] >= 4 else "Bad"  # type: ignore[operator]
    return "Offered" if t["survey_sent"] else "Unoffered"


def _minutes(seconds: object) -> object:
    return None if seconds is None else round(int(seconds) / 60)  # type: ignore[call-overload]


def _zendesk_created(t: Ticket) -> object:
    return _created(t, _slash)


ZENDESK = Dialect(
    "zendesk",
    ".csv",
    (
        Col("Id", "ticket_id", lambda t: ticket_id(t, "zendesk")),
        Col("Requester", "customer_id", lambda t: f"买家{str(t['customer_id'])[1:]}"),
        Col("Requester id", None, lambda t: 900000000 + int(str(t["customer_id"])[1:])),
        Col("Assignee", "agent", _f("agent")),
        Col("Group", "team", _f("team")),
        Col("Subject", None, lambda t: f"{t['tags'][0]}：咨询"),  # type: ignore[index]
        Col("Tags", "tags", lambda t: _SLUG[t["tags"][0]]),  # type: ignore[index]
        Col("Status", "status", _zendesk_status),
        Col("Priority", "severity", lambda t: _PRIORITY[str(t["severity"])]),
        Col("Via", "channel", lambda t: _VIA[str(t["channel"])]),
        Col("Ticket type", None, lambda t: "Incident"),
        Col("Created at", "created_at", _zendesk_created),
        Col("Updated at", None, lambda t: t["resolved_at"] or t["created_at"]),
        Col("Assigned at", None, _f("created_at")),
        Col("Solved at", "resolved_at", _f("resolved_at")),
        Col("Satisfaction Score", "csat", _zendesk_score),
        Col("Group stations", None, lambda t: 1),
        Col("Assignee stations", None, lambda t: 1 + int(t["reopens"])),  # type: ignore[call-overload]
        Col("Reopens", "reopens", _f("reopens")),
        Col("Replies", "contacts", _f("contacts")),
        Col(
            "First reply time in minutes",
            "first_response_s",
            lambda t: _minutes(t["first_response_s"]),
            scale=60.0,
        ),
        Col(
            "First reply time in minutes within business hours",
            None,
            lambda t: _minutes(t["first_response_s"]),
        ),
        Col("First resolution time in minutes", None, lambda t: _resolution_minutes(t)),
        Col("Full resolution time in minutes", None, lambda t: _resolution_minutes(t)),
        Col("Requester wait time in minutes", None, lambda t: _resolution_minutes(t)),
    ),
)


def _resolution_minutes(t: Ticket) -> object:
    if not t["resolved_at"]:
        return None
    return max(0, round((t["resolved_at"] - t["created_at"]).total_seconds() / 60))  # type: ignore[operator]


_SURVEY = {5: "Extremely happy", 4: "Happy", 3: "Neutral", 2: "Unhappy", 1: "Extremely unhappy"}


def _hhmmss(seconds: object) -> object:
    if seconds is None:
        return None
    s = int(seconds)  # type: ignore[call-overload]
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _freshdesk_status(t: Ticket) -> str:
    if t["status"] == "已关闭":
        return "Closed"
    return ("Resolved" if t["n"] % 2 else "Closed") if t["resolved_at"] else "Open"


FRESHDESK = Dialect(
    "freshdesk",
    ".csv",
    (
        Col("Ticket ID", "ticket_id", lambda t: ticket_id(t, "freshdesk")),
        Col("Subject", None, lambda t: f"{t['tags'][0]} 咨询"),  # type: ignore[index]
        Col("Status", "status", _freshdesk_status),
        Col("Priority", "severity", lambda t: _PRIORITY[str(t["severity"])]),
        Col("Source", "channel", lambda t: _VIA[str(t["channel"])].split(" ")[0]),
        Col("Type", None, lambda t: "Question"),
        Col("Agent", "agent", _f("agent")),
        Col("Group", "team", _f("team")),
        Col("Created time", "created_at", lambda t: _created(t, _slash)),
        Col("Due by time", None, lambda t: t["created_at"] + timedelta(days=2)),  # type: ignore[operator]
        Col("Resolved time", "resolved_at", _f("resolved_at")),
        Col("Closed time", None, _f("resolved_at")),
        Col("Last update time", None, lambda t: t["resolved_at"] or t["created_at"]),
        Col("Initial response time", "first_response_at", _f("first_response_at")),
        Col("First response time (in hrs)", None, lambda t: _hhmmss(t["first_response_s"])),
        Col("Resolution time (in hrs)", None, lambda t: _hhmmss(_resolution_s(t))),
        Col("Agent interactions", "contacts", _f("contacts")),
        Col("Customer interactions", None, lambda t: 1 + int(t["reopens"])),  # type: ignore[call-overload]
        Col("Tags", "tags", lambda t: _SLUG[t["tags"][0]]),  # type: ignore[index]
        Col("Survey results", "csat", lambda t: _SURVEY.get(t["csat"], t["csat"])),  # type: ignore[call-overload]
    ),
)


def _resolution_s(t: Ticket) -> object:
    if not t["resolved_at"]:
        return None
    return max(0, int((t["resolved_at"] - t["created_at"]).total_seconds()))  # type: ignore[operator]


DIALECTS = {d.key: d for d in (ZH_A, ZH_B, ZENDESK, FRESHDESK)}


# ------------------------------------------------------------------ export files
def team_rows(dialect: Dialect, rows: list[list[object]], team: str | None) -> list[list[object]]:
    """The rows a plan for `team` counts: its own and those with no team (None: every row)."""
    if team is None:
        return rows
    i = dialect.team_index()
    return [r for r in rows if r[i] in (team, None, "")]


def write_export(
    dialect: Dialect, rows: list[list[object]], path: Path, wide: bool = False
) -> Path:
    """The export file as the help desk writes it (title rows above an .xlsx header)."""
    header = dialect.headers(wide)
    if dialect.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            out.writerows(rows)
        return path
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工单明细"
    for line in dialect.title_rows:
        ws.append([line])
    if dialect.title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
    wb.save(path)
    return path


_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_STAMP = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK = re.compile(r"(\d{2}):(\d{2}):(\d{2})")


def as_excel_shows(dialect: Dialect, rows: list[list[object]]) -> list[list[object]]:
    """Cells as Excel holds them once the export is open: a CSV's numbers and date-times are
    typed by Excel (an impossible date stays text), `HH:MM:SS` becomes a time of day;
    an .xlsx keeps its cells."""
    if dialect.suffix != ".csv":
        return rows
    return [[_typed(v) for v in row] for row in rows]


def _typed(text: object) -> object:
    if not isinstance(text, str) or text == "":
        return None if text == "" else text
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    if m := _STAMP.fullmatch(text):
        try:
            return datetime(*(int(g or 0) for g in m.groups()))  # type: ignore[misc]
        except ValueError:
            return text
    if m := _CLOCK.fullmatch(text):
        h, mi, s = (int(g) for g in m.groups())
        return (h * 3600 + mi * 60 + s) / 86_400
    return text


# ------------------------------------------------------------------ pasting into a plan
# The template's Data headings and the field each holds.
TEMPLATE_FIELDS = {
    "工单号": "ticket_id",
    "创建时间": "created_at",
    "首次响应时间": "first_response_at",
    "首响时长(秒)": "first_response_s",
    "解决时间": "resolved_at",
    "渠道": "channel",
    "团队": "team",
    "小组": "group",
    "客服": "agent",
    "工号": "agent_id",
    "问题标签": "tags",
    "紧急程度": "severity",
    "满意度": "csat",
    "是否推送评价": "survey_sent",
    "评价推送时间": "survey_sent_at",
    "是否一次解决": "fcr",
    "联系次数": "contacts",
    "重开次数": "reopens",
    "是否投诉": "complaint",
    "升级投诉": "escalated",
    "升级投诉已核实": "escalated_verified",
    "处理时长(秒)": "handle_s",
    "差评原因": "bad_review_reason",
    "是否复核": "reviewed",
    "协作部门": "dept",
    "协作类型": "dept_type",
    "转交时间": "dept_sent_at",
    "部门完成时间": "dept_done_at",
    "状态": "status",
    "客户ID": "customer_id",
    "数据源": "data_source",
}

_CELL_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"( s="\d+")?')
_COL_STYLE = re.compile(rb"<col\b[^>]*?>")


def _data_part(plan: Path) -> tuple[str, bytes]:
    from csxl.workbook import layout
    from csxl.workbook.package import sheet_parts

    with zipfile.ZipFile(plan) as zf:
        parts = sheet_parts(
            {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        )
        name = parts[layout.title("Data", "zh")]
        return name, zf.read(name)


def _column_styles(xml: bytes) -> dict[int, int]:
    out = {}
    for m in _COL_STYLE.finditer(xml[: xml.find(b"<sheetData")]):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(0)))
        if b"style" in attrs:
            for c in range(int(attrs[b"min"]), int(attrs[b"max"]) + 1):
                out[c] = int(attrs[b"style"])
    return out


def _cell_styles(xml: bytes) -> dict[tuple[int, int], int | None]:
    from openpyxl.utils import column_index_from_string

    return {
        (int(m[2]), column_index_from_string(m[1].decode())): (int(m[3][4:-1]) if m[3] else None)
        for m in _CELL_REF.finditer(xml)
    }


def _date_style(xml: bytes) -> int:
    """The style of the template's 创建时间 column: a date-time format."""
    return _column_styles(xml)[2]


def _write_cells(
    plan: Path, cells: dict[tuple[int, int], object], styles: dict[tuple[int, int], int | None]
) -> None:
    """Write values and then set each written cell's style, as Excel leaves a paste."""
    from openpyxl.utils import get_column_letter

    from csxl.workbook import sheetxml
    from csxl.workbook.port import PackageBook

    name, xml = _data_part(plan)
    xml = sheetxml.patch(xml, cells)
    wanted = {f"{get_column_letter(c)}{r}".encode(): s for (r, c), s in styles.items()}

    def restyle(m: re.Match[bytes]) -> bytes:
        ref = m[1] + m[2]
        if ref not in wanted:
            return m.group(0)
        s = wanted[ref]
        return b'<c r="%s"%s' % (ref, b"" if s is None else b' s="%d"' % s)

    xml = _CELL_REF.sub(restyle, xml)
    book = PackageBook(plan)
    book.write_part(name, xml)
    rows = max(r for r, _ in cells)
    header = [h for h in book.rows("Data")[0]]
    width = max(max(c for _, c in cells), len(header))
    from csxl.workbook.data_sheet import grow_table
    from csxl.workbook.layout import Data as D

    merged = {c: v for (r, c), v in cells.items() if r == D.HEADER_ROW}
    heads = [
        merged.get(c, header[c - 1] if c <= len(header) else None) for c in range(1, width + 1)
    ]
    grow_table(book, f"A1:{get_column_letter(width)}{max(rows, 2)}", D.TABLE, heads)
    book.commit()


def paste_at_a1(plan: Path, header: list[str], rows: list[list[object]], values: bool) -> None:
    """The export grid (header and rows) over Data!A1. `values`: Paste Values (the target's
    formats stay; a date-time becomes its serial number); else a normal paste (the source's
    formats come along: date-times as dates, everything else General)."""
    from csxl.domain.excel_math import excel_serial

    _, xml = _data_part(plan)
    date_style, columns, existing = _date_style(xml), _column_styles(xml), _cell_styles(xml)
    cells: dict[tuple[int, int], object] = {}
    styles: dict[tuple[int, int], int | None] = {}
    for r, line in enumerate([header, *rows], start=1):
        for c, value in enumerate(line, start=1):
            if values:
                styles[(r, c)] = existing.get((r, c), columns.get(c))
                if isinstance(value, datetime):
                    value = excel_serial(value)
            else:
                styles[(r, c)] = date_style if isinstance(value, datetime) else None
            cells[(r, c)] = value
    _write_cells(plan, cells, styles)


NUMBER_FIELDS = frozenset({"first_response_s", "contacts", "reopens", "handle_s", "csat"})


def dated_number_columns(plan: Path, dialect: Dialect) -> list[str]:
    """The export's number columns that a Paste Values at A1 puts under one of the
    template's date-formatted columns (where 重开次数 0 shows as 1900-01-00)."""
    _, xml = _data_part(plan)
    columns, date_style = _column_styles(xml), _date_style(xml)
    return [
        c.header
        for i, c in enumerate(dialect.columns, start=1)
        if c.field in NUMBER_FIELDS and columns.get(i) == date_style
    ]


def paste_under_template(plan: Path, dialect: Dialect, rows: list[list[object]]) -> None:
    """Each export column's values under the template heading of its field (Paste Values:
    the template's formats stay, date-times become serial numbers in its date columns).
    Minutes go into a seconds heading as seconds, as a manager converts them."""
    from csxl.domain.excel_math import excel_serial
    from csxl.workbook.layout import Data as D

    _, xml = _data_part(plan)
    columns, existing = _column_styles(xml), _cell_styles(xml)
    from csxl.workbook.port import PackageBook

    book = PackageBook(plan, lock=False)
    template = [h for h in book.rows("Data")[0] if h not in ("", None)]
    book.release()
    unknown = [h for h in template if h not in TEMPLATE_FIELDS]
    assert not unknown, f"template headings this fixture does not know: {unknown}"
    source = {c.field: (i, c.scale) for i, c in enumerate(dialect.columns) if c.field}
    cells: dict[tuple[int, int], object] = {}
    styles: dict[tuple[int, int], int | None] = {}
    for r, line in enumerate(rows, start=D.FIRST_ROW):
        for c, heading in enumerate(template, start=1):
            found = source.get(TEMPLATE_FIELDS[heading])
            if found is None:
                continue
            value = line[found[0]]
            if isinstance(value, datetime):
                value = excel_serial(value)
            elif found[1] != 1 and isinstance(value, int | float):
                value = value * found[1]
            cells[(r, c)] = value
            styles[(r, c)] = existing.get((r, c), columns.get(c))
    _write_cells(plan, cells, styles)


def roster_rows() -> list[dict[str, object]]:
    """The roster of `csxl batch`: both teams, their agents, ids and leaders."""
    out: list[dict[str, object]] = []
    for team in TEAMS:
        for i, agent in enumerate(AGENTS[team]):
            out.append(
                {
                    "team": team,
                    "group": GROUP_OF[agent],
                    "agent": agent,
                    "agent_id": f"{'SQ' if team == TEAMS[0] else 'SH'}{i + 1:03d}",
                    "hire_date": date(2024, 5, 6),
                    "leader": AGENTS[team][0],
                }
            )
    return out
