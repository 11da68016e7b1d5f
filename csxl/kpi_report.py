"""`csxl kpi` as a library function: a ticket file in, the spec's JSON document out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from csxl.errors import InputError, Location

if TYPE_CHECKING:
    from csxl.domain.tickets import TicketSet


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(cls, month: str | None, start: str | None, end: str | None) -> Period:
        if month and (start or end):
            raise InputError("give either --month or --from/--to, not both.")
        if month:
            m = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
            if not m or not 1 <= int(m[2]) <= 12:
                raise InputError(f"--month {month!r} is not a month.", hint="Write it as 2026-03.")
            first = date(int(m[1]), int(m[2]), 1)
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return cls(first, date.fromordinal(nxt.toordinal() - 1))
        return cls(_day(start, "--from"), _day(end, "--to"))


def _day(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{flag} {text!r} is not a date.", hint="Write it as 2026-03-01."
        ) from None


def load(path: str | Path, mapping: str | Path | None = None) -> TicketSet:
    """Read and validate a ticket file (xlsx/xlsm/csv or a plan's Data sheet)."""
    from csxl.domain.synonyms import Synonyms
    from csxl.domain.tickets import load_tickets
    from csxl.readers.mapping import read_mapping
    from csxl.readers.read import read_table

    synonyms = Synonyms()
    if mapping is not None:
        synonyms.extend(read_mapping(Path(mapping)))
    table = read_table(path, synonyms)
    tickets = load_tickets(table)
    if tickets.read == 0:
        raise InputError(
            "there are no ticket rows below the header row.",
            Location(table.source, table.sheet, table.header_row),
            "Export the tickets again, or paste them below the header.",
        )
    return tickets


def kpi_document(
    path: str | Path,
    by: tuple[str, ...] = ("all",),
    period: Period = Period(),
    mapping: str | Path | None = None,
    active_customers: float | None = None,
    tickets: TicketSet | None = None,
) -> tuple[dict, TicketSet, list[str]]:
    """The JSON document of ../shared/spec/kpis.md, the TicketSet behind it, and warnings."""
    from csxl.domain import kpis, tags

    tickets = tickets if tickets is not None else load(path, mapping)
    settings = kpis.KpiSettings(active_customers=active_customers)
    result = kpis.compute(tickets, by, settings, (period.start, period.end))
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
    doc = {
        "source": Path(path).name,
        "period": {
            "from": _iso(period.start) or (first.date().isoformat() if first is not None else None),
            "to": _iso(period.end) or (last.date().isoformat() if last is not None else None),
        },
        "rows": {
            "read": tickets.read,
            "valid": tickets.valid,
            "rejected": tickets.rejected,
            "duplicates": tickets.duplicates,
        },
        "groups": result.groups,
        "top_tags": top,
        "tag_alerts": alerts,
        "unavailable": result.unavailable,
    }
    return doc, tickets, result.warnings


def tickets_header(tickets: TicketSet, column: str) -> str:
    return tickets.headers.get(column, column)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
