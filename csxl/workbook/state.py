"""What `read_plan` reads from a plan (`PlanState`), and whether a plan has a sheet.

Below the sheet modules, so that each room's `read(book, state)` can fill its part of the
state without importing the plan reader (which loops over the rooms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from csxl.domain.agents import AgentRow
from csxl.domain.kpis import KpiSettings
from csxl.errors import InputError
from csxl.workbook.book import PlanInputs
from csxl.workbook.port import Book

if TYPE_CHECKING:  # pandas stays out of start-up
    import pandas as pd

    from csxl.domain.agents import RowKind
    from csxl.domain.appeals import Checked
    from csxl.domain.call_records import CallSet


class AgentNames(Protocol):
    """One name per agent whatever a sheet's rows call them (the Aliases room's `Names`)."""

    def resolve(self, book_name: str, rows: Any, kind: RowKind) -> tuple[Any, list, list[str]]:
        """(rows with agents resolved and teams by day, Errors rows, warnings)."""
        ...

    def names_of(self, column: pd.Series) -> tuple[pd.Series, Any]:
        """(each spelling as Scores names its agent, `csxl.domain.identity.Resolved`)."""
        ...


@dataclass
class PlanState:
    inputs: PlanInputs
    kpi_settings: KpiSettings = field(default_factory=KpiSettings)
    shown_month: str | None = None  # the month Scores shows (Settings' refreshed month)
    # (header, column, scale, data source): `csxl.workbook.sheets.mapping`
    mapping: list[tuple[str, str, float, str]] = field(default_factory=list)
    manager: dict[str, tuple[object, object]] = field(default_factory=dict)  # agent -> tick, note
    agents: list[AgentRow] = field(default_factory=list)  # the Scores rows as they are
    # The keys of the rooms this plan has (`csxl.workbook.sheets.ROOMS`): a plan made
    # before a sheet existed has not got it. The flags below are set from the same list.
    present: set[str] = field(default_factory=set)
    has_staffing: bool = False  # plans made before the Staffing sheet have none
    has_sla: bool = False  # ... and before the SLA sheet
    has_actions: bool = False
    has_orders: bool = False  # ... and before the Orders and Team sheets
    has_team: bool = False
    has_appeals: bool = False  # ... and before the Appeals and Audit sheets
    has_aliases: bool = False
    has_qa: bool = False
    has_calls: bool = False  # ... and before the Calls and Call records sheets
    # What the manager may want to fix, said with the command's result: weights that do
    # not total 100, blank weights.
    warnings: list[str] = field(default_factory=list)
    # Numbers typed as text over csxl's Scores values, read as numbers (`csxl score`
    # writes them back as numbers; refresh recomputes them from the data).
    rewritten: list[str] = field(default_factory=list)
    # Read by `csxl upgrade` (an older plan, at its own version's addresses): no warnings.
    upgrading: bool = False
    # What one room's refresh step leaves for another's (no room imports another): the
    # Aliases room's names (`sheets.aliases.Names`, set by its `read`; None without the
    # sheet), the Appeals rows checked for the month (`csxl.domain.appeals.Checked`; None
    # without the sheet or before the check), the pasted calls (`domain.call_records.
    # CallSet`; None without the sheets or when unreadable), and this refresh's adjustments
    # as rows of the Audit log (the Audit room appends them to the log it keeps).
    names: AgentNames | None = None
    adjustments: Checked | None = None
    calls: CallSet | None = None
    logged: list[tuple[object, ...]] = field(default_factory=list)

    def mapping_for(self, source: str = "") -> list[tuple[str, str, float]]:
        """The Mapping rows that apply to one data source: those without a source, then
        that source's own (which win, coming later). "" is the Data sheet as pasted."""
        from csxl.domain.identity import spelling

        rows = [m for m in self.mapping if not m[3]]
        if source:
            rows += [m for m in self.mapping if m[3] and spelling(m[3]) == spelling(source)]
        return [m[:3] for m in rows]

    def sla_policy(self):
        from csxl.domain.sla import SlaPolicy

        s = self.kpi_settings
        return SlaPolicy(
            self.inputs.sla_targets, s.extra_holidays, s.extra_workdays, s.entered_years
        )


@dataclass
class Month:
    """What one refresh computed from the Data sheet before the rooms fill their parts of
    the plan's inputs (`Room.refresh` in `csxl.workbook.sheets`), in the registry's order."""

    book: str  # the workbook's name, for messages
    state: PlanState
    tickets: Any  # the plan's valid tickets of every month (`csxl.domain.tickets.TicketSet`)
    frame: Any  # those created in the month (a pandas frame)
    month: str  # YYYY-MM
    window: tuple[date, date]  # the month's first and last day
    team: dict[str, object]  # the team's KPIs of the month, as `csxl kpi --month` gives them
    unavailable: dict[str, str]  # KPI key -> why the export cannot give it
    now: datetime  # the refresh's time, to the second
    orders: Any = None  # the Orders sheet's orders (`csxl.domain.orders`), or None
    # What one step leaves for a later one: Scores' grading of each agent (`Graded`),
    # and Trend's history of grades and red lines (agent, month) for the promotion rule.
    graded: list[Graded] = field(default_factory=list)
    grades: list[tuple[str, str, object]] = field(default_factory=list)
    red_lines: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Graded:
    """One agent's month as the Scores formulas grade it."""

    agent: str | None  # None: tickets without an agent
    # (KPI key, the agent's value, tier level, points) for each KPI scored per agent
    kpis: tuple[tuple[str, float, int, float | None], ...]
    score: float | None  # the weighted score (an approved appeal's, where one replaces it)
    grade: str | None
    red: bool  # a red line: the manager's tick or a verified escalation in the data


def has_sheet(book: Book, key: str) -> bool:
    """Does the workbook have this sheet? (A plan made before the sheet existed has not.)"""
    try:
        book.rows(key)
    except (InputError, KeyError):
        return False
    return True


def has_paste_sheet(book: Book, key: str) -> bool:
    """Has the workbook this paste sheet? Asked without reading its (maybe many) rows."""
    parts = getattr(book, "_parts", None)
    if isinstance(parts, dict):
        return book.title(key) in parts
    sheets = getattr(book, "sheets", None)
    if isinstance(sheets, dict):
        return key in sheets
    return has_sheet(book, key)
