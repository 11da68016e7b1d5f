"""Building a plan workbook: inputs in, a finished package out.

Each sheet has its own module in `csxl.workbook.sheets` with a `build(ctx)` function. A
sheet module writes every formula through `Ctx.formula`, together with the value the
Python engine computes for it; `package.finish` puts those values into the file, so that
fast readers, Protected View and printing show numbers before Excel recalculates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from csxl.domain import sla
from csxl.domain.actions import Action
from csxl.domain.agents import AgentRow
from csxl.domain.kpis import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S
from csxl.domain.people import TeamInputs
from csxl.domain.plan import BudgetLine, Milestone, Risk
from csxl.domain.scoring import (
    DEFAULT_INCENTIVES,
    DEFAULT_TARGETS,
    FLAG_LABELS,
    Incentives,
    Target,
)
from csxl.domain.sla import Incident, SlaTarget
from csxl.domain.staffing import StaffingInputs
from csxl.workbook import layout, style
from csxl.workbook.sheetxml import cell_text


@dataclass(frozen=True)
class Override:
    """A cascade row of Goals: a group's or an agent's own targets (None = inherit)."""

    row: int  # the row of the Goals cascade block it sits in
    level: str  # "group" or "agent"
    name: str
    key: str
    weight: float | None = None
    baseline: float | None = None
    stretch: float | None = None
    challenge: float | None = None


@dataclass(frozen=True)
class CustomerPlan:
    """The customer KPIs' thresholds and targets a manager types on Settings (defaults from
    the spec and the seed plans)."""

    hv_min_orders: float = 12
    hv_orders_months: float = 6
    hv_min_amount: float = 50_000.0
    hv_amount_months: float = 12
    retention_target: float = 0.70
    repurchase_points: float = 0.05  # target = the previous period's rate + this
    survey_target: float = 0.35
    survey_last_year: float = 0.28
    timeliness_target: float = 0.90  # csxl's default: the spec gives none

    def settings(self):
        from csxl.domain.customers import CustomerSettings

        return CustomerSettings(
            hv_min_orders=int(self.hv_min_orders),
            hv_orders_months=int(self.hv_orders_months),
            hv_min_amount=float(self.hv_min_amount),
            hv_amount_months=int(self.hv_amount_months),
        )


@dataclass
class PlanInputs:
    """What a manager types into a plan; the defaults are those of a new plan."""

    lang: str = "zh"
    team: str = ""
    year: int = field(default_factory=lambda: date.today().year)
    as_of: date | None = None  # Settings' as-of input; None means TODAY()
    today: date = field(default_factory=date.today)  # TODAY() when values are cached
    active_customers: float | None = None
    # frt_sla / rt_sla limits in seconds (Settings; the SLA sheet shows them): the spec's
    # defaults, kept here so that an upgrade carries a manager's own values.
    frt_target_s: float = DEFAULT_FRT_TARGET_S
    rt_target_s: float = DEFAULT_RT_TARGET_S
    targets: tuple[Target, ...] = DEFAULT_TARGETS
    # Goals KPIs whose weight cell is blank (they count as weight 0): the weight note.
    blank_weights: frozenset[str] = frozenset()
    incentives: Incentives = DEFAULT_INCENTIVES
    # Owned by refresh; a new plan has none. Tests fill them to check formulas.
    actuals: dict[str, float] = field(default_factory=dict)
    # Monthly stretch targets typed over the default (key -> 12 values, None = inherit).
    monthly: dict[str, Sequence[float | None]] = field(default_factory=dict)
    # Labels and step points the manager may edit on Incentives (None: the defaults).
    tier_labels: tuple[str, ...] | None = None
    flag_labels: tuple[str, ...] | None = None
    step_points: tuple[float, ...] | None = None
    # Group/agent target overrides as typed in the Goals cascade block.
    cascade: list[Override] = field(default_factory=list)
    # What refresh found: written into the regions csxl owns.
    refreshed_at: datetime | None = None
    source_rows: int | None = None
    refresh_month: str | None = None
    agents: list[AgentRow] = field(default_factory=list)
    errors: list[tuple[object, ...]] = field(default_factory=list)  # Errors sheet rows
    trend: list[tuple[object, ...]] = field(default_factory=list)  # Trend sheet rows
    top_tags: list[tuple[str, int, bool]] = field(default_factory=list)  # tag, count, alert
    tags_note: str | None = None  # why there are no tags: the export has no tags column
    milestones: Sequence[Milestone] | None = None  # None: the defaults of csxl.domain.plan
    budget: Sequence[BudgetLine] | None = None
    risks: Sequence[Risk] | None = None
    # SLA, Holidays and Incidents (manager's tables; defaults from csxl.domain.sla).
    sla_targets: tuple[SlaTarget, ...] = sla.DEFAULT_TARGETS
    collab_limits: tuple[tuple[str, float, str], ...] = sla.DEFAULT_COLLAB_LIMITS
    holidays: tuple[tuple[date, str, str | None], ...] = ()  # date, holiday/workday, note
    holiday_notice: tuple[str, ...] = ()  # the pasted State Council notice, one cell a row
    incidents: tuple[Incident, ...] = ()
    incident_limits: dict[str, float] = field(
        default_factory=lambda: dict(sla.DEFAULT_INCIDENT_LIMITS)
    )
    # What refresh computed for the SLA sheet: (month, team, tickets, responses met,
    # resolutions met) and (month, department, collaborations, within limit, median hours).
    sla_teams: list[tuple[object, ...]] = field(default_factory=list)
    sla_depts: list[tuple[object, ...]] = field(default_factory=list)
    sla_status: str | None = None
    # frt_sla and rt_sla of the refreshed month, as refresh computed them for the team
    # (None: not computed; "n/a": the data lacks the column): the SLA sheet's KPI block.
    sla_kpis: dict[str, object] = field(default_factory=dict)
    # The department block's note when the export lacks its columns (csxl.unavailable).
    sla_dept_note: str | None = None
    # Improvement actions (None: the example row of a new plan), with refresh's results.
    actions: Sequence[Action] | None = None
    # Customer KPIs: thresholds and targets (Settings rows) and refresh's results (Dashboard):
    # key -> value, or None for not computed; a key in customer_notes is unavailable.
    customer_plan: CustomerPlan = field(default_factory=lambda: CustomerPlan())
    customers: dict[str, object] = field(default_factory=dict)
    customer_notes: dict[str, str] = field(default_factory=dict)
    # Goals' note for a KPI whose column the export lacks (refresh; csxl.unavailable).
    goal_notes: dict[str, str] = field(default_factory=dict)
    # csxl.workbook.sheets.team.TeamInputs: members, promotion rule, knowledge base.
    team_inputs: TeamInputs = field(default_factory=TeamInputs)
    # Appeals (csxl.domain.appeals.Appeal rows as typed), what refresh did with each row
    # (sheet row -> text), and the Audit sheet's rows (appended by each refresh).
    # Aliases: (spelling, agent id, name) rows and transfer periods (agent, team, first
    # day, last day or None), as typed.
    aliases: Sequence[tuple[object, object, object]] = ()
    transfers: Sequence[tuple[object, object, object, object]] = ()
    # QA (质检): the QA score's target (csxl.domain.qa.DEFAULT_TARGET: weight 0), the pasted
    # inspections (csxl.domain.qa.Inspection) and refresh's per-agent results (AgentQa).
    qa_target: Any = None
    has_qa: bool = True  # False for a plan made before the QA sheet: Scores leaves QA out
    qa_rows: Sequence[Any] = ()
    qa_results: Sequence[Any] = ()
    # Calls (通话): the thresholds typed (csxl.domain.calls.CallSettings; None: defaults),
    # and refresh's results (csxl.workbook.sheets.calls.CallRow) with its status line.
    call_settings: Any = None
    call_rows: Sequence[Any] = ()
    call_status: str | None = None
    appeals: Sequence[Any] = ()
    appeal_results: dict[int, str] = field(default_factory=dict)
    audit: list[tuple[object, ...]] = field(default_factory=list)
    # csxl.workbook.sheets.staffing.StaffingInputs: the Staffing sheet's inputs and arrivals.
    staffing: StaffingInputs = field(default_factory=StaffingInputs)

    @property
    def effective_as_of(self) -> date:
        return self.as_of or self.today

    def tiers(self) -> tuple[str, ...]:
        from csxl.domain.scoring import TIER_LABELS

        return self.tier_labels or TIER_LABELS[self.lang]

    def flags(self) -> tuple[str, ...]:
        return self.flag_labels or FLAG_LABELS[self.lang]

    def points_table(self) -> tuple[float, ...]:
        from csxl.domain.scoring import STEP_POINTS

        return self.step_points or STEP_POINTS


class Ctx:
    """The workbook being built, the inputs, and the cached value of every formula."""

    def __init__(self, inputs: PlanInputs) -> None:
        self.inputs = inputs
        self.lang = inputs.lang
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        style.register(self.wb)
        self.cached: dict[tuple[str, str], object] = {}
        self.validations: dict[str, dict[str, DataValidation]] = {}
        self._styles: dict[str, object] = {}  # named style -> the StyleArray it gives a cell
        for sheet in layout.SHEETS:
            self.wb.create_sheet(layout.title(sheet.key, self.lang))

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def sheet(self, key: str) -> Worksheet:
        return self.wb[layout.title(key, self.lang)]

    def ref(self, key: str, address: str) -> str:
        return layout.ref(key, self.lang, address)

    def formula(
        self,
        ws: Worksheet,
        address: str,
        text: str,
        value: object,
        fmt: str | None = None,
        cell_style: str = style.COMPUTED,
    ) -> None:
        """A computed cell: the formula and the value Python computes for it."""
        if not text.startswith("="):
            raise ValueError(f"{ws.title}!{address}: formula must start with '=': {text}")
        cell = _at(ws, address)
        cell.value = text
        self._style(cell, cell_style)
        fmt = fmt or default_format(value)
        if fmt:
            cell.number_format = fmt
        self.cached[(ws.title, address)] = value

    def input(
        self,
        ws: Worksheet,
        address: str,
        value: object,
        fmt: str | None = None,
        validation: DataValidation | None = None,
    ) -> None:
        """An unlocked input cell in the input style. Text is never taken as a formula."""
        cell = _at(ws, address)
        cell.value = cell_text(value) if isinstance(value, str) else value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        self._style(cell, style.INPUT)
        if fmt:
            cell.number_format = fmt
        if validation is not None:
            # Straight into the range set: DataValidation.add first scans every range it
            # holds for one containing the cell, which made building a plan quadratic.
            validation.sqref.ranges.add(CellRange(address))

    def input_formula(
        self, ws: Worksheet, address: str, text: str, value: object, fmt: str | None = None
    ) -> None:
        """An input cell whose default is a formula (e.g. a month inheriting the year's target)."""
        self.formula(ws, address, text, value, fmt, cell_style=style.INPUT)

    def label(
        self,
        ws: Worksheet,
        address: str,
        text: object,
        cell_style: str = style.LABEL,
        fmt: str | None = None,
    ) -> None:
        cell = _at(ws, address)
        cell.value = cell_text(text) if isinstance(text, str) else text
        if isinstance(text, str) and text.startswith("="):
            cell.data_type = "s"
        self._style(cell, cell_style)
        fmt = fmt or default_format(text)
        if fmt:
            cell.number_format = fmt

    def _style(self, cell: Cell, name: str) -> None:
        """`cell.style = name`, which looks the name up by a linear scan of the workbook's
        named styles (a third of a refresh's rendering): the same StyleArray, cached."""
        array = self._styles.get(name)
        if array is None:
            cell.style = name
            self._styles[name] = copy(cell._style)
        else:
            cell._style = copy(array)

    def header(self, ws: Worksheet, row: int, first_col: int, labels: Iterable[str]) -> None:
        for i, text in enumerate(labels):
            self.label(ws, f"{layout.col(first_col + i)}{row}", text, style.HEADER)

    def title(self, ws: Worksheet, text: str, subtitle: str | None = None) -> None:
        self.label(ws, "A1", text, style.TITLE)
        if subtitle:
            self.label(ws, "A2", subtitle, style.NOTE)

    def validation(self, ws: Worksheet, name: str, **kwargs: Any) -> DataValidation:
        """One DataValidation object per rule and sheet, shared by all cells it covers."""
        per_sheet = self.validations.setdefault(ws.title, {})
        if name not in per_sheet:
            dv = DataValidation(allow_blank=True, showErrorMessage=True, **kwargs)
            ws.add_data_validation(dv)
            per_sheet[name] = dv
        return per_sheet[name]

    def date_validation(
        self, ws: Worksheet, name: str = "date", example: str = "2026-03-31"
    ) -> DataValidation:
        """A date in 2000-2100 (serials 36526..73415), with the message in the plan's language."""
        return self.validation(
            ws,
            name,
            type="date",
            operator="between",
            formula1="36526",  # 2000-01-01
            formula2="73415",  # 2100-12-31
            errorTitle=self.t("日期", "Date"),
            error=self.t(f"请输入日期，如 {example}。", f"Please enter a date such as {example}."),
        )

    def list_validation(
        self, ws: Worksheet, name: str, items: Sequence[str] | str
    ) -> DataValidation:
        source = items if isinstance(items, str) else '"' + ",".join(items) + '"'
        return self.validation(
            ws,
            name,
            type="list",
            formula1=source,
            errorTitle=self.t("请从列表中选择", "Choose from the list"),
            error=self.t("请从下拉列表中选择一个值。", "Please pick a value from the list."),
        )


@contextmanager
def collecting_later() -> Iterator[None]:
    """No cyclic garbage collection while a plan is rendered: its tens of thousands of
    cells and styles would set off full collections that scan every object of the
    command, the tickets' included (about 0.1 s of a refresh at 200,000 rows). What
    became garbage meanwhile is collected afterwards, as usual."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_COORDS: dict[str, tuple[int, int]] = {}  # "B7" -> (7, 2)


def _at(ws: Worksheet, address: str) -> Cell:
    """`ws[address]` for one cell, its address parsed once per process."""
    at = _COORDS.get(address)
    if at is None:
        if ":" in address:
            return ws[address]
        min_col, min_row, _, _ = range_boundaries(address)
        if min_col is None or min_row is None:
            return ws[address]  # a whole row or column: openpyxl says what is wrong
        at = _COORDS[address] = (min_row, min_col)
    return ws._get_cell(*at)


def default_format(value: object) -> str | None:
    """A number written without a format still shows as one: whole numbers plain (a year,
    a step, a rating), others with two decimals. Dates keep openpyxl's date format."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return "0" if float(value).is_integer() else "#,##0.00"


# The page header of a paste area, which prints only its header row.
PASTE_PRINT_NOTE = {
    "zh": "粘贴区：打印时只印表头。要打印数据行，请选中这些行，在打印设置中选“打印选定区域”。",
    "en": "Paste area: only its header row prints. To print rows, select them and print the "
    "selection.",
}

# Excel's margins in inches: left/right narrow enough for the page groups above, the page
# header and footer inside the top and bottom margins.
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6, "header": 0.3, "footer": 0.3}
DEFAULT_WIDTH = 9.0  # an unset column, as Excel and LibreOffice draw it


def _width(ws: Worksheet, c: int) -> float:
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions.get(get_column_letter(c))
    if dim is None:
        return DEFAULT_WIDTH
    if dim.hidden:
        return 0.0
    return float(dim.width) if dim.width else DEFAULT_WIDTH


def print_width(ws: Worksheet, freeze: str | None, landscape: bool = True) -> int:
    """Split the sheet into as few pages wide as keep its text at 8 pt or more
    (csxl/workbook/page_scale.py); the frozen columns (the row labels: agent, KPI, interval)
    are repeated on each page. Returns the pages."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    from csxl.workbook import page_scale

    labels = 0
    if freeze:
        letters, _ = coordinate_from_string(freeze)
        labels = column_index_from_string(letters) - 1
    page_w = page_scale.printable_pt(ws)[0]
    if labels and sum(page_scale.column_pt(ws, c) for c in range(1, labels + 1)) < page_w / 2:
        ws.print_title_cols = f"A:{get_column_letter(labels)}"
    size = page_scale.body_size(ws)
    for pages in range(1, 13):
        ws.page_setup.fitToWidth = pages
        if page_scale.pages(ws).scale * size >= page_scale.MIN_TEXT_PT:
            break
    return pages


def setup_sheet(
    ws: Worksheet,
    *,
    widths: dict[str, float],
    freeze: str | None = None,
    header_rows: str | None = None,
    protect: bool = True,
    landscape: bool = True,
    split: bool = False,
    paste: str | None = None,
    one_page: bool = False,
) -> None:
    """Column widths for Chinese text, frozen panes, A4 print setup and protection.

    `paste`: the plan's language, for a paste area: its print area is its header row
    (csxl/workbook/printing.py) and the page header says how to print the rows.
    `one_page`: a sheet read as one page (the Dashboard) is fitted to one page tall too."""
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    if freeze:
        ws.freeze_panes = freeze
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows:
        ws.print_title_rows = header_rows
    if split:  # a wide table: page groups of readable size, its row labels repeated
        print_width(ws, freeze, landscape)
    else:
        ws.page_setup.fitToWidth = 1
    if paste:
        ws.oddHeader.center.text = PASTE_PRINT_NOTE[paste]
        ws.oddHeader.center.size = 9
    ws.sheet_view.zoomScale = 100
    if protect:
        # No password: protection keeps formulas from accidental edits, it is not security.
        p = ws.protection
        p.sheet = True
        p.formatColumns = False
        p.formatRows = False
        p.autoFilter = False
        p.sort = False


# ------------------------------------------------------------------ a roster's team
class RosterAgent(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def group(self) -> str | None: ...
    @property
    def agent_id(self) -> str | None: ...
    @property
    def hire_date(self) -> date | None: ...


class RosterTeam(Protocol):
    """A team of `csxl batch`'s roster (`csxl.roster.Team`): the rooms with a `roster` hook
    fill their inputs of the team's plan from it."""

    @property
    def name(self) -> str: ...
    @property
    def agents(self) -> Sequence[RosterAgent]: ...
    @property
    def active_customers(self) -> float | None: ...
    def targets(self) -> tuple[Target, ...]: ...
    def own_targets(
        self, targets: tuple[Target, ...]
    ) -> list[tuple[str, str, str, dict[str, float]]]: ...
