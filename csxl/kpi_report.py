"""`csxl kpi` as a library function: a ticket file in, the spec's JSON document out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from csxl.errors import InputError, Location, t

if TYPE_CHECKING:
    from csxl.domain.call_records import CallSet
    from csxl.domain.calls import CallSettings
    from csxl.domain.customers import CustomerSettings
    from csxl.domain.orders import OrderSet
    from csxl.domain.tickets import TicketSet


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, month: str | None, start: str | None, end: str | None) -> Period:
        if month and (start or end):
            raise InputError(
                t(
                    "请只给 --month 或 --from/--to 之一，不要同时给。",
                    "give either --month or --from/--to, not both.",
                )
            )
        if month:
            m = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
            if not m or not 1 <= int(m[2]) <= 12:
                raise InputError(
                    t(f"--month {month!r} 不是月份。", f"--month {month!r} is not a month."),
                    hint=t("请写成 2026-03。", "Write it as 2026-03."),
                )
            first = date(int(m[1]), int(m[2]), 1)
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return cls(first, date.fromordinal(nxt.toordinal() - 1))
        return cls(_day(start, "--from"), _day(end, "--to"))


def parse_day(text: str, flag: str) -> date:
    """A YYYY-MM-DD flag value; InputError (exit 2) otherwise."""
    day = _day(text, flag)
    assert day is not None
    return day


def _day(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            t(f"{flag} {text!r} 不是日期。", f"{flag} {text!r} is not a date."),
            hint=t("请写成 2026-03-01。", "Write it as 2026-03-01."),
        ) from None


def _synonyms(schema, mapping: str | Path | None):
    """The schema's synonyms plus the mapping file's rows that name one of its columns.

    One mapping file may hold ticket, order and call headers; each table takes its own.
    """
    from csxl.domain.columns import CALL_COLUMNS, COLUMNS, ORDER_COLUMNS
    from csxl.domain.synonyms import Synonyms
    from csxl.readers.mapping import read_mapping

    synonyms = Synonyms(schema)
    if mapping is not None:
        known = tuple(dict.fromkeys([*COLUMNS, *ORDER_COLUMNS, *CALL_COLUMNS]))
        pairs = read_mapping(Path(mapping), known)
        synonyms.extend(p for p in pairs if p[1] in schema.columns)
    return synonyms


def load(path: str | Path, mapping: str | Path | None = None) -> TicketSet:
    """Read and validate a ticket file (xlsx/xlsm/csv or a plan's Data sheet)."""
    from csxl.domain.columns import TICKETS
    from csxl.readers.read import read_table
    from csxl.workbook import layout

    # imports pandas as it reads
    table = read_table(path, _synonyms(TICKETS, mapping), prefer=layout.paste_titles(TICKETS))
    from csxl.domain.tickets import load_tickets

    tickets = load_tickets(table)
    if tickets.read == 0:
        raise InputError(
            t("表头行下面没有工单行。", "there are no ticket rows below the header row."),
            Location(table.source, table.sheet, table.header_row),
            t(
                "请重新导出工单，或把工单粘贴在表头下面。",
                "Export the tickets again, or paste them below the header.",
            ),
        )
    return tickets


def load_orders(path: str | Path, mapping: str | Path | None = None) -> OrderSet:
    """Read and validate an orders file (an e-commerce export, or a plan's Orders sheet)."""
    from csxl.domain.columns import ORDERS
    from csxl.domain.orders import load_orders as load_order_table
    from csxl.readers.read import read_table
    from csxl.workbook import layout

    synonyms = _synonyms(ORDERS, mapping)
    return load_order_table(read_table(path, synonyms, prefer=layout.paste_titles(ORDERS)))


def load_calls(path: str | Path, mapping: str | Path | None = None) -> CallSet:
    """Read and validate call records (a call-centre export, or a plan's Call records)."""
    from csxl.domain.call_records import load_calls as load_call_table
    from csxl.domain.columns import CALLS
    from csxl.readers.read import read_table
    from csxl.workbook import layout

    synonyms = _synonyms(CALLS, mapping)
    return load_call_table(read_table(path, synonyms, prefer=layout.paste_titles(CALLS)))


def plan_call_settings(path: str | Path) -> CallSettings:
    """The thresholds typed on a plan's Calls (通话) sheet; the defaults for any other file."""
    from csxl.domain.calls import CallSettings

    found = _from_plan(path, "call_settings")
    return CallSettings() if found is None else found  # type: ignore[return-value]


def _from_plan(path: str | Path, fact: str) -> object | None:
    """`fact` as the room that holds it reads it (`Room.kpi`) from a plan workbook's cached
    values; None for any other file (a sheet named 设置 in someone else's workbook is not
    csxl's) and for a plan without that sheet."""
    from csxl.readers.sniff import Kind, sniff
    from csxl.workbook.port import Titles

    path = Path(path)
    if sniff(path) is not Kind.XLSX:
        return None
    try:
        titles = Titles.of_file(path)  # a renamed sheet is found by its anchor
    except InputError:
        return None
    from csxl.workbook.sheets import ROOMS

    room, read = next((r, dict(r.kpi)[fact]) for r in ROOMS if fact in dict(r.kpi))
    title = titles.title(room.key)
    if title not in titles.names:
        return None
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(title)
    return read(rows.to_python(skip_empty_area=False), path.name, title, titles.lang)


def call_document(calls: CallSet, by: tuple[str, ...], period: Period, settings) -> dict:
    """The JSON's `calls` object: the file, its rows, the thresholds, the period's calls
    grouped as the tickets are (all, team, agent, day; other groupings do not apply to
    calls) and what cannot be computed."""
    from csxl.domain import kpis
    from csxl.domain.calls import call_groups

    frame = kpis.in_period(calls.frame, (period.start, period.end), "started_at")
    first = frame["started_at"].min() if len(frame) else None
    last = frame["started_at"].max() if len(frame) else None
    unavailable = {}
    if "wait_s" not in calls.columns:
        for key in ("answered_within", "service_level", "asa_s"):
            unavailable[key] = "no wait-time column"
    return {
        "source": calls.source,
        "rows": calls.rows(),
        "period": {
            "from": _iso(period.start or (first.date() if first is not None else None)),
            "to": _iso(period.end or (last.date() if last is not None else None)),
        },
        "settings": {
            "sl_seconds": settings.sl_seconds,
            "short_abandon_s": settings.short_abandon_s,
        },
        "groups": call_groups(frame, by, settings),
        "unavailable": unavailable,
    }


@dataclass(frozen=True)
class Thresholds:
    """The limits of frt_sla and rt_sla (seconds) and where each came from: "default" (the
    spec's), "plan" (a plan's Settings sheet) or "flag" (--frt-target / --rt-target)."""

    # catalog.DEFAULT_FRT_TARGET_S and DEFAULT_RT_TARGET_S, written out so that importing
    # this module imports no other (tests/test_kpi_thresholds.py checks that they agree).
    frt_s: float = 30.0
    rt_s: float = 300.0
    frt_from: str = "default"
    rt_from: str = "default"

    def json(self) -> dict[str, float | int]:
        return {"frt_sla_s": _plain(self.frt_s), "rt_sla_s": _plain(self.rt_s)}


def thresholds(
    path: str | Path, frt_s: float | None = None, rt_s: float | None = None
) -> Thresholds:
    """A flag's limit, else the plan's (DATA is a plan workbook: its Settings sheet, as
    refresh reads it), else the spec's default."""
    from csxl.domain.catalog import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S

    plan = plan_thresholds(path) if frt_s is None or rt_s is None else None

    def pick(flag: float | None, i: int, default: float) -> tuple[float, str]:
        if flag is not None:
            return flag, "flag"
        return (plan[i], "plan") if plan is not None else (default, "default")

    (frt, frt_from), (rt, rt_from) = (
        pick(frt_s, 0, DEFAULT_FRT_TARGET_S),
        pick(rt_s, 1, DEFAULT_RT_TARGET_S),
    )
    return Thresholds(frt, rt, frt_from, rt_from)


def plan_thresholds(path: str | Path) -> tuple[float, float] | None:
    """Settings' frt_sla and rt_sla limits of a plan workbook; None for any other file."""
    return _from_plan(path, "sla_targets")  # type: ignore[return-value]


def _plain(seconds: float) -> float | int:
    """30.0 as 30 in the JSON, as a person would write it; 45.5 stays 45.5."""
    return int(seconds) if float(seconds).is_integer() else seconds


def plan_team(path: str | Path) -> str | None:
    """The team typed on a plan workbook's Settings (设置) sheet: `csxl kpi PLAN` counts that
    team's tickets as refresh does. None for a department plan or any other file."""
    return _from_plan(path, "team")  # type: ignore[return-value]


def plan_orders(path: str | Path) -> bool:
    """Whether `path` is a workbook with an Orders (订单) sheet, read when no --orders is given."""
    from csxl.domain.columns import ORDERS
    from csxl.readers.excel import sheet_names
    from csxl.readers.sniff import Kind, sniff
    from csxl.workbook import layout

    path = Path(path)
    if sniff(path) is not Kind.XLSX:
        return False
    return any(name in layout.paste_titles(ORDERS) for name in sheet_names(path))


def kpi_document(
    path: str | Path,
    by: tuple[str, ...] = ("all",),
    period: Period = Period(),
    mapping: str | Path | None = None,
    active_customers: float | None = None,
    tickets: TicketSet | None = None,
    orders: str | Path | OrderSet | None = None,
    customer_settings: CustomerSettings | None = None,
    limits: Thresholds = Thresholds(),
    team: str | None = None,
    lang: str = "zh",
) -> tuple[dict, TicketSet, list[str]]:
    """The JSON document of ../shared/spec/kpis.md, the TicketSet behind it, and warnings.

    `orders` (a file or a loaded OrderSet) adds the customer KPIs' values; without it they
    are null and listed in `unavailable`. The document then has an `orders` object: the
    orders file, its rows, the as-of date, the high-value windows and the retention periods.
    `limits` are frt_sla's and rt_sla's, shown in the document's `thresholds` object.
    `team` (a plan's Settings team, `plan_team`) keeps that team's tickets and those without
    a team, as refresh does, with one warning (in `lang`) counting the others per team;
    `rows` still counts the whole file, as it does before the period filter.
    """
    # Read first: the read imports pandas while calamine parses (readers/excel.py).
    tickets = tickets if tickets is not None else load(path, mapping)
    from csxl.domain import customers, kpis, tags
    from csxl.domain.team_scope import left_out_warning, scope

    rows = tickets.rows()
    scoped = scope(tickets.frame, team)
    left_out = left_out_warning(team or "", scoped.others, lang)
    if left_out is not None:
        from dataclasses import replace

        tickets = replace(tickets, frame=scoped.frame)
    settings = kpis.KpiSettings(
        frt_target_s=limits.frt_s, rt_target_s=limits.rt_s, active_customers=active_customers
    )
    result = kpis.compute(tickets, by, settings, (period.start, period.end))
    if left_out is not None:
        result.warnings.insert(0, left_out)
    frame = kpis.in_period(tickets.frame, (period.start, period.end))
    top, alerts = [], []
    if "tags" in tickets.columns and len(frame):
        header = tickets_header(tickets, "tags")
        spaced = tags.is_space_separated(frame["tags"], header)
        counts = tags.daily_counts(frame["created_at"], frame["tags"], spaced)
        top, alerts = tags.top_tags(counts), tags.alerts(counts)
    elif "tags" not in tickets.columns:
        result.unavailable.setdefault("tag_alerts", "no tags column")
    first = frame["created_at"].min() if len(frame) else None
    last = frame["created_at"].max() if len(frame) else None
    shown = (
        period.start or (first.date() if first is not None else None),
        period.end or (last.date() if last is not None else None),
    )
    order_set = load_orders(orders, mapping) if isinstance(orders, str | Path) else orders
    extra = customers.customer_kpis(
        tickets,
        order_set,
        by,
        (period.start, period.end),
        customer_settings,
        settings,
        shown_period=shown,
        in_period=frame,
    )
    for g in result.groups:
        g["kpis"].update(extra.kpis(g["by"], g["key"]))
    for key, why in extra.unavailable.items():
        result.unavailable.setdefault(key, why)
    doc = {
        "source": Path(path).name,
        "period": {"from": _iso(shown[0]), "to": _iso(shown[1])},
        "rows": rows,
        "thresholds": limits.json(),
        "groups": result.groups,
        "top_tags": top,
        "tag_alerts": alerts,
        "unavailable": result.unavailable,
    }
    if order_set is not None:
        doc["orders"] = {"source": order_set.source, "rows": order_set.rows(), **extra.info}
    return doc, tickets, result.warnings


def tickets_header(tickets: TicketSet, column: str) -> str:
    return tickets.headers.get(column, column)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
