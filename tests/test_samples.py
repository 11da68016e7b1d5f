"""The two sample exports of ../shared/data against a plain-Python reading of the spec.

The reference below shares no code with csxl: it reads the cells with python-calamine or
the csv module, parses values with its own small rules, applies the row rules of
../shared/spec/kpis.md and computes a handful of KPIs and the tag alert. csxl must agree
to 1e-9.
"""

from __future__ import annotations

import csv
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from csxl.kpi_report import kpi_document
from tests.samples import DATA
from tests.samples import need as _need

ZH = DATA / "tickets_zh_sample.xlsx"
ZENDESK = DATA / "zendesk_sample.csv"


# --- value parsing, from the spec's "Values" paragraph ----------------------------------------

EPOCH = datetime(1899, 12, 30)  # Excel's serial day 0 (1900 system)
DATE_TIME = re.compile(
    r"(\d{4})\s*[-/年]\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?"
)
CSAT_WORDS = {"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}
TRUE = {"是", "y", "1", "true"}
RESOLVED = {"resolved", "solved", "closed", "已解决", "已关闭", "已完结"}


class Bad(ValueError):
    pass


def text(value) -> str:
    """Cell as trimmed text, full-width characters folded (NFKC turns U+3000 into a space)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def whole_seconds(t: datetime) -> datetime:
    return (t + timedelta(microseconds=500_000)).replace(microsecond=0)


def timestamp(value) -> datetime | None:
    if isinstance(value, datetime):
        return whole_seconds(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return whole_seconds(EPOCH + timedelta(days=value))
    s = text(value)
    if not s:
        return None
    m = DATE_TIME.fullmatch(s)
    if not m:
        raise Bad(s)
    try:
        return datetime(*(int(g or 0) for g in m.groups()))
    except ValueError:
        raise Bad(s) from None


def number(value) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    s = text(value)
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        raise Bad(s) from None


def boolean(value) -> bool:
    return text(value).casefold() in TRUE


def score(value) -> float | None:
    s = text(value)
    if not s:
        return None
    if s in CSAT_WORDS:
        return CSAT_WORDS[s]
    n = number(s)
    if n not in (1, 2, 3, 4, 5):
        raise Bad(s)
    return n


# --- one ticket, the row rules and the KPIs ---------------------------------------------------


@dataclass
class Ticket:
    id: str
    created: datetime
    frt: float | None = None
    resolved: bool = False
    csat: float | None = None  # 1-5
    good: bool | None = None  # answered good/bad (Zendesk)
    sent: bool = False  # a survey went out
    fcr: bool | None = None
    contacts: float | None = None
    reopens: float | None = None
    tags: set[str] = field(default_factory=set)


@dataclass
class Reference:
    read: int = 0
    rejected: int = 0
    tickets: dict[str, Ticket] = field(default_factory=dict)  # insertion: last copy wins
    duplicates: int = 0

    def add(self, ticket: Ticket | None) -> None:
        self.read += 1
        if ticket is None:
            self.rejected += 1
        elif ticket.id in self.tickets:
            self.duplicates += 1
            self.tickets[ticket.id] = ticket
        else:
            self.tickets[ticket.id] = ticket

    def kpis(self, fcr_column: bool) -> dict:
        t = list(self.tickets.values())
        answered = [x for x in t if x.csat is not None or x.good is not None]
        good = [x for x in answered if (x.csat or 0) >= 4 or x.good]
        frts = [x.frt for x in t if x.frt is not None]
        resolved = [x for x in t if x.resolved]
        if fcr_column:
            first = [x for x in resolved if x.fcr]
        else:  # Zendesk's one-touch rule; a missing reopens value counts as 0
            first = [x for x in resolved if x.contacts == 1 and (x.reopens or 0) == 0]
        scores = [x.csat for x in answered if x.csat is not None]
        return {
            "tickets": len(t),
            "csat": len(good) / len(answered),
            "csat_avg": sum(scores) / len(scores) if scores else None,
            "survey_response_rate": len(answered) / sum(x.sent for x in t),
            "frt_mean": sum(frts) / len(frts),
            "frt_median": statistics.median(frts),
            "frt_p90": percentile_inc(frts, 0.9),
            "resolution_rate": len(resolved) / len(t),
            "fcr": len(first) / len(resolved),
        }

    def tag_alerts(self, growth=1.5, run=3, min_volume=1) -> list[dict]:
        per_day: dict[date, Counter] = defaultdict(Counter)
        for x in self.tickets.values():
            per_day[x.created.date()].update(x.tags)
        first, last = min(per_day), max(per_day)
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        tags = {tag for c in per_day.values() for tag in c}
        out = []
        for tag in tags:
            counts = [per_day[d][tag] for d in days]  # a day without tickets: 0
            grew = [False] + [
                counts[i - 1] >= min_volume and counts[i] >= growth * counts[i - 1]
                for i in range(1, len(days))
            ]
            for i in range(run - 1, len(days)):
                if all(grew[i - run + 1 : i + 1]):
                    out.append({"tag": tag, "date": days[i].isoformat()})
        return sorted(out, key=lambda a: (a["date"], a["tag"]))


def percentile_inc(values: list[float], p: float) -> float:
    """Excel PERCENTILE.INC: linear between the closest ranks."""
    v = sorted(values)
    rank = p * (len(v) - 1)
    low = int(rank)
    high = min(low + 1, len(v) - 1)
    return v[low] + (rank - low) * (v[high] - v[low])


ZH_TAGS = re.compile(r"[,，;；|]")


def zh_ticket(row: dict) -> Ticket | None:
    """A row of the zh sample as a ticket, or None when a row rule rejects it."""
    try:
        tid = text(row["工单号"])
        created = timestamp(row["创建时间"])
        if not tid or created is None:
            return None
        responded = timestamp(row["首次响应时间"])
        resolved = timestamp(row["解决时间"])
        sent, done = timestamp(row["转交时间"]), timestamp(row["部门完成时间"])
        csat = score(row["满意度"])
        contacts, reopens = number(row["联系次数"]), number(row["重开次数"])
        handle = number(row["处理时长(秒)"])
    except Bad:
        return None
    if any(n is not None and n < 0 for n in (contacts, reopens, handle)):
        return None
    if (responded and responded < created) or (resolved and resolved < created):
        return None
    if sent and done and done < sent:
        return None
    tags = {t.strip() for t in ZH_TAGS.split(text(row["问题标签"]))} - {""}
    return Ticket(
        id=tid,
        created=created,
        frt=(responded - created).total_seconds() if responded else None,
        resolved=resolved is not None,  # the zh sample has no status column
        csat=csat,
        sent=boolean(row["是否推送评价"]),
        fcr=boolean(row["是否一次解决"]),
        contacts=contacts,
        reopens=reopens,
        tags=tags,
    )


def zendesk_ticket(row: dict) -> Ticket | None:
    try:
        tid = text(row["Id"])
        created = timestamp(row["Created at"])
        if not tid or created is None:
            return None
        solved = timestamp(row["Solved at"])
        minutes = number(row["First reply time in minutes"])
        contacts, reopens = number(row["Replies"]), number(row["Reopens"])
    except Bad:
        return None
    if any(n is not None and n < 0 for n in (minutes, contacts, reopens)):
        return None
    if solved and solved < created:
        return None
    sat = re.sub(r"\s", "", text(row["Satisfaction Score"])).casefold()
    csat, good = None, None
    if sat in ("good", "bad"):
        good = sat == "good"
    elif sat not in ("", "offered", "unoffered", "notoffered"):
        try:
            csat = score(sat)
        except Bad:
            return None
    status = text(row["Status"]).casefold()
    return Ticket(
        id=tid,
        created=created,
        frt=minutes * 60 if minutes is not None else None,
        resolved=solved is not None or status in RESOLVED,
        csat=csat,
        good=good,
        sent=sat in ("good", "bad", "offered") or csat is not None,
        contacts=contacts,
        reopens=reopens,
        tags=set(text(row["Tags"]).split()),
    )


def reference_zh() -> Reference:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(ZH)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False)
    at = next(i for i, r in enumerate(rows) if "工单号" in [text(v) for v in r])
    header = [text(v) for v in rows[at]]
    ref = Reference()
    for values in rows[at + 1 :]:
        if all(text(v) == "" for v in values):
            continue  # blank (bordered) rows are not read
        ref.add(zh_ticket(dict(zip(header, values, strict=True))))
    return ref


def reference_zendesk() -> Reference:
    ref = Reference()
    with ZENDESK.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if all(text(v) == "" for v in row.values()):
                continue
            ref.add(zendesk_ticket(row))
    return ref


# --- the comparisons --------------------------------------------------------------------------

CASES = {
    "zh": (ZH, reference_zh, True),
    "zendesk": (ZENDESK, reference_zendesk, False),
}


@pytest.fixture(scope="module", params=list(CASES))
def sample(request):
    path, build, fcr_column = CASES[request.param]
    _need(path)
    doc, _, _ = kpi_document(path, by=("all",))
    return request.param, doc, build(), fcr_column


def test_rows_match_the_reference(sample):
    _, doc, ref, _ = sample
    rows = doc["rows"]
    assert rows == {
        "read": ref.read,
        "valid": len(ref.tickets),
        "rejected": ref.rejected,
        "duplicates": ref.duplicates,
    }
    assert rows["read"] == rows["valid"] + rows["rejected"] + rows["duplicates"]
    assert rows["rejected"] > 0 and rows["duplicates"] > 0  # the samples are dirty on purpose


def test_kpis_match_the_reference(sample):
    _, doc, ref, fcr_column = sample
    k = doc["groups"][0]["kpis"]
    for key, expected in ref.kpis(fcr_column).items():
        if expected is None:  # csat_avg with good/bad answers only
            assert k[key] is None, key
            continue
        assert k[key] == pytest.approx(expected, abs=1e-9, rel=0), key


def test_tag_alerts_match_the_reference(sample):
    _, doc, ref, _ = sample
    expected = ref.tag_alerts()
    assert doc["tag_alerts"] == expected
    assert expected  # each sample has a tag that climbs steeply


def test_zh_sample_has_5000_tickets_in_october(sample):
    name, doc, ref, _ = sample
    if name != "zh":
        assert doc["period"] == {"from": "2026-05-01", "to": "2026-05-31"}
        return
    assert len(ref.tickets) == 5000  # README: October 2026, 5,000 tickets
    assert doc["groups"][0]["kpis"]["tickets"] == 5000
    assert doc["period"] == {"from": "2026-10-01", "to": "2026-10-31"}
