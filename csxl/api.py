"""The small public API: a plan, opened from its file or from the running Excel.

    import csxl
    plan = csxl.open_plan("计划.xlsx")
    outcome = plan.refresh("2026-03")   # or plan.score(), plan.validate(), plan.staff()

The command line, the add-in's live path and the tests go through it. Each call reads the
plan afresh and saves it the way `csxl refresh` does (the lock, a verified backup, one
atomic replace); with `live=True` it works on the copy open in Excel and never saves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from csxl import refresh as engine
from csxl.refresh import Outcome
from csxl.workbook.port import Book, PackageBook


@dataclass(frozen=True)
class Plan:
    """One plan workbook: a file, or (live) the workbook of that full name open in Excel.
    Each call opens it afresh, so a plan object can refresh, then score, then staff."""

    path: str
    live: bool = False

    def book(self) -> Book:
        if self.live:
            from csxl.excel.live import LiveBook  # xlwings only when asked for

            return LiveBook.attach(self.path)
        return PackageBook(self.path)

    def refresh(self, month: str | None = None, now: datetime | None = None) -> Outcome:
        """KPIs, scores, errors and history from the pasted data, for `month` (YYYY-MM;
        default: the latest month in the data)."""
        return engine.refresh(self.book(), month, now)

    def score(self, now: datetime | None = None) -> Outcome:
        """Scores again with the current targets and rules, without reading the data."""
        return engine.score(self.book(), now)

    def validate(self) -> Outcome:
        """The pasted data checked; every rejected row listed on the Errors sheet."""
        return engine.validate(self.book())

    def staff(self, now: datetime | None = None) -> Outcome:
        """The Staffing sheet filled from its inputs and the data's arrivals."""
        return engine.staff(self.book(), now)


def open_plan(path: str | Path, *, live: bool = False) -> Plan:
    """The plan at `path`; with `live`, the workbook of that full name open in Excel."""
    return Plan(str(path), live)
