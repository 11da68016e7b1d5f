"""Read a plan's current inputs back from its workbook, by the addresses in layout.py.

Values are read as the file holds them (cached values for formula cells), which Excel,
LibreOffice and WPS keep current when they save, and csxl writes with every formula.
A sheet whose rows were moved or deleted is refused with the row and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from csxl.domain.catalog import CATALOG
from csxl.domain.kpis import KpiSettings
from csxl.domain.scoring import DEFAULT_TARGETS, Incentives, Target
from csxl.errors import InputError, Location, printable, t
from csxl.workbook import layout
from csxl.workbook.book import Override, PlanInputs
from csxl.workbook.cells import address, cell, day, number, numeric_text
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Incentives as I
from csxl.workbook.layout import Mapping as M
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St
from csxl.workbook.layout import Trend as T
from csxl.workbook.port import Book
from csxl.workbook.sheets.goals import DIRECTIONS, LEVELS
from csxl.workbook.sheets.incentives import MODE_LABELS, PRORATION_LABELS, proration_key
from csxl.workbook.sheets.scores import AgentRow

DEFAULTS = {t.key: t for t in DEFAULT_TARGETS}
UNASSIGNED = frozenset({"未分配", "Unassigned"})  # how Scores shows tickets without an agent


@dataclass
class PlanState:
    inputs: PlanInputs
    kpi_settings: KpiSettings = field(default_factory=KpiSettings)
    shown_month: str | None = None  # the month Scores shows (Settings' refreshed month)
    # (header, column, scale, data source): `csxl.workbook.sheets.mapping`
    mapping: list[tuple[str, str, float, str]] = field(default_factory=list)
    manager: dict[str, tuple[object, object]] = field(default_factory=dict)  # agent -> tick, note
    agents: list[AgentRow] = field(default_factory=list)  # Scores rows as they are
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


def _version_key(text: str) -> tuple[int, ...] | None:
    parts = text.strip().split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def check_version(value: object, where: Location) -> None:
    """Refuse a plan of another template version: its cells may not be where layout says,
    and writing by address into them would damage a manager's inputs."""
    current = layout.TEMPLATE_VERSION
    text = "" if value is None else str(value)
    if text == current:
        return
    key, now = _version_key(text), _version_key(current)
    if key is not None and now is not None and key > now:
        raise InputError(
            f"the plan was made by a newer csxl (template {text}; this csxl knows {current}).",
            where,
            "Update csxl (pip install -U csxl, or the newer csxl.exe) and run again.",
        )
    shown = f"template version {text!r}" if text else "no template version"
    raise InputError(
        f"the plan has {shown}; this csxl works on template {current}, so nothing was written.",
        where,
        "Move it to the current template with `csxl upgrade`, or make a new plan with "
        "`csxl new` and copy the inputs across.",
    )


def read_plan(book: Book, any_version: bool = False) -> PlanState:
    """The manager's inputs and the Scores rows; `any_version` is for `csxl upgrade`, which
    reads an older plan at the addresses of its own version."""
    lang = book.lang
    title = lambda key: layout.title(key, lang)  # noqa: E731

    settings = book.rows("Settings")
    sv = lambda row: cell(settings, row, St.VALUE_COL)  # noqa: E731
    if not any_version:
        where = Location(book.name, title("Settings"), St.ROW_VERSION, "B")
        check_version(sv(St.ROW_VERSION), where)  # an older plan: `csxl upgrade` says more
        check_sheets(book)
        check_positions(book)  # rows inserted above fixed addresses, or pushed out of blocks
    year = int(
        number(
            settings,
            St.ROW_YEAR,
            St.VALUE_COL,
            Location(book.name, title("Settings"), St.ROW_YEAR, "B"),
        )
        or 0
    )
    inputs = PlanInputs(
        lang=lang,
        team=str(sv(St.ROW_TEAM) or ""),
        year=year or date.today().year,
        as_of=day(sv(St.ROW_AS_OF_INPUT)),
        active_customers=number(
            settings,
            St.ROW_ACTIVE_CUSTOMERS,
            2,
            Location(book.name, title("Settings"), St.ROW_ACTIVE_CUSTOMERS, "B"),
        ),
    )
    inputs.frt_target_s, inputs.rt_target_s = sla_targets(settings, book.name, title("Settings"))
    inputs.customer_plan = _customer_plan(book, settings)
    inputs.targets, inputs.monthly, inputs.cascade, inputs.blank_weights = _goals(book, lang)
    _incentives(book, inputs)
    where = lambda row: Location(book.name, title("Settings"), row, "B")  # noqa: E731
    state = PlanState(
        inputs,
        KpiSettings(
            frt_target_s=inputs.frt_target_s,
            rt_target_s=inputs.rt_target_s,
            peak_start=_clock(sv(St.ROW_PEAK_START), time(9), where(St.ROW_PEAK_START)),
            peak_end=_clock(sv(St.ROW_PEAK_END), time(11), where(St.ROW_PEAK_END)),
            active_customers=inputs.active_customers,
        ),
        shown_month=None if sv(St.ROW_REFRESH_MONTH) is None else str(sv(St.ROW_REFRESH_MONTH)),
    )
    if not any_version:
        state.warnings += weight_warnings(book, inputs)
    _scores(book, state)
    inputs.trend = [
        tuple(r[: T.POINTS])
        for r in book.rows("Trend")[T.FIRST_ROW - 1 :]
        if any(v != "" for v in r[: T.POINTS])
    ]
    state.mapping = _mapping(book)
    state.has_actions = has_sheet(book, "Actions")
    if state.has_actions:
        inputs.actions = _actions(book)
    if has_sheet(book, "Holidays"):
        from csxl.workbook.sheets.holidays import read_notice

        inputs.holidays = _holidays(book)
        inputs.holiday_notice = read_notice(book.rows("Holidays"))
    if has_sheet(book, "SLA"):
        state.has_sla = True
        inputs.sla_targets, inputs.collab_limits = _sla(book)
    from csxl.workbook.sheets.holidays import calendar_days

    # The typed days, and the pasted notice for a year chinese-calendar does not know yet.
    off, work, entered = calendar_days(book.name, inputs)
    hours = {t: float(v) for t, v, unit in inputs.collab_limits if unit == "h"}
    days = {t: int(v) for t, v, unit in inputs.collab_limits if unit == "workdays"}
    state.kpi_settings = replace(
        state.kpi_settings,
        extra_holidays=off,
        extra_workdays=work,
        entered_years=entered,
        **({"dept_limits_h": hours, "dept_limits_workdays": days} if state.has_sla else {}),
    )
    state.has_staffing = has_sheet(book, "Staffing")
    if state.has_staffing:
        inputs.staffing = _staffing(book)
    state.has_orders = has_paste_sheet(book, "Orders")
    state.has_team = has_sheet(book, "Team")
    if state.has_team:
        inputs.team_inputs = _team(book, inputs)
    _appeals(book, state)
    state.has_aliases = has_sheet(book, "Aliases")
    if state.has_aliases:
        from csxl.workbook.sheets.aliases import read as read_aliases

        inputs.aliases, inputs.transfers = read_aliases(book)
    state.has_qa = inputs.has_qa = has_sheet(book, "QA")
    if state.has_qa:
        from csxl.workbook.sheets.qa import read as read_qa

        inputs.qa_target, inputs.qa_rows = read_qa(book)
    state.has_calls = has_sheet(book, "Calls") and has_paste_sheet(book, "CallRecords")
    if state.has_calls:
        from csxl.workbook.sheets.calls import read as read_calls

        inputs.call_settings = read_calls(book)
    return state


def sla_targets(settings: list[list[object]], book: str, sheet: str) -> tuple[float, float]:
    """Settings' limits of frt_sla and rt_sla in seconds (B10, B11): the one source of
    both, which refresh and `csxl kpi PLAN` use and the SLA sheet shows. Blank is the
    spec's default; a limit of 0 or less is refused (nothing could meet it)."""
    from csxl.domain.kpis import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S

    out = []
    for row, default in (
        (St.ROW_FRT_TARGET, DEFAULT_FRT_TARGET_S),
        (St.ROW_RT_TARGET, DEFAULT_RT_TARGET_S),
    ):
        where = Location(book, sheet, row, "B")
        value = number(settings, row, St.VALUE_COL, where)
        if value is not None and value <= 0:
            raise InputError(
                f"a target of {value:g} seconds cannot be met.",
                where,
                f"Type the seconds (more than 0), or leave it blank for {default:g}.",
            )
        out.append(default if value is None else value)
    return out[0], out[1]


def _team(book: Book, inputs: PlanInputs):
    """The Team sheet: members, the promotion rule and the knowledge-base figures."""
    from csxl.domain.people import PromotionRule
    from csxl.workbook.layout import Team as T
    from csxl.workbook.sheets.team import YES_NO, Member, TeamInputs

    rows = book.rows("Team")
    sheet = layout.title("Team", book.lang)
    where = lambda r, c: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
    value = lambda r, c: number(rows, r, c, where(r, c))  # noqa: E731
    default = PromotionRule()
    months = value(T.ROW_MONTHS, T.VALUE_COL)
    at_least = value(T.ROW_AT_LEAST, T.VALUE_COL)
    grade = cell(rows, T.ROW_GRADE, T.VALUE_COL)
    grades = (*(g for g, _ in inputs.incentives.grade_bands), inputs.incentives.lowest_grade)
    if grade is not None and str(grade).strip() not in grades:
        raise InputError(
            f"{grade!r} is not one of {' / '.join(grades)}.",
            where(T.ROW_GRADE, T.VALUE_COL),
            "Pick it from the list.",
        )
    red = cell(rows, T.ROW_RED_LINE, T.VALUE_COL)
    yes = {YES_NO["zh"][0], YES_NO["en"][0]}
    no = {YES_NO["zh"][1], YES_NO["en"][1]}
    if red is not None and red not in yes | no:
        raise InputError(
            f"{red!r} is not one of {' / '.join(YES_NO[book.lang])}.",
            where(T.ROW_RED_LINE, T.VALUE_COL),
            "Pick it from the list.",
        )
    try:
        rule = PromotionRule(
            int(months) if months is not None else default.months,
            int(at_least) if at_least is not None else default.at_least,
            str(grade).strip() if grade is not None else default.grade,
            default.red_line_blocks if red is None else red in yes,
        )
    except ValueError:
        raise InputError(
            "the rule needs 1 <= at least <= months.",
            where(T.ROW_AT_LEAST, T.VALUE_COL),
            "Fix the two numbers.",
        ) from None
    kb_targets = tuple(value(T.KB_TARGET_ROW, c) for c in (T.KB_COVERAGE, T.KB_UPDATED))
    kb = tuple(
        (value(T.KB_FIRST_ROW + q, T.KB_COVERAGE), value(T.KB_FIRST_ROW + q, T.KB_UPDATED))
        for q in range(4)
    )
    members = []
    for r in range(T.FIRST_ROW, T.last_row() + 1):
        text = lambda c, r=r: (  # noqa: E731
            None if cell(rows, r, c) is None else str(cell(rows, r, c)).strip() or None
        )
        try:
            hired = day(cell(rows, r, T.HIRED))
        except ValueError:
            raise InputError(
                "not a date.", where(r, T.HIRED), "Type a date such as 2026-04-01."
            ) from None
        good = cell(rows, r, T.GOOD_MONTHS)
        ready = cell(rows, r, T.READY)
        members.append(
            Member(
                text(T.AGENT),
                text(T.GROUP),
                text(T.LEVEL),
                hired,
                tuple(value(r, T.PLANNED_FIRST + q) for q in range(4)),
                tuple(value(r, T.DONE_FIRST + q) for q in range(4)),
                value(r, T.HELD),
                value(r, T.ATTENDED),
                int(good) if isinstance(good, int | float) else None,
                None if ready is None else ready in yes,
            )
        )
    while members and members[-1].is_blank():
        members.pop()
    evaluated = cell(rows, T.ROW_EVALUATED, T.VALUE_COL)
    return TeamInputs(
        tuple(members),
        rule,
        kb_targets,  # type: ignore[arg-type]
        kb,
        None if evaluated is None else str(evaluated),
    )


def _customer_plan(book: Book, settings: list[list[object]]):
    """The customer KPIs' thresholds and targets on Settings; a blank cell (or a plan made
    before these rows existed) takes the default."""
    from dataclasses import fields

    from csxl.workbook.book import CustomerPlan
    from csxl.workbook.layout import Customers as C

    rows = (
        C.ROW_HV_ORDERS,
        C.ROW_HV_ORDERS_MONTHS,
        C.ROW_HV_AMOUNT,
        C.ROW_HV_AMOUNT_MONTHS,
        C.ROW_RETENTION_TARGET,
        C.ROW_REPURCHASE_POINTS,
        C.ROW_SURVEY_TARGET,
        C.ROW_SURVEY_LAST_YEAR,
        C.ROW_TIMELINESS_TARGET,
    )
    sheet = layout.title("Settings", book.lang)
    values = {}
    for f, row in zip(fields(CustomerPlan), rows, strict=True):
        value = number(settings, row, St.VALUE_COL, Location(book.name, sheet, row, "B"))
        if value is not None:
            whole = f.name in ("hv_min_orders", "hv_orders_months", "hv_amount_months")
            if value < 0 or (whole and (value != int(value) or value < 1)):
                raise InputError(
                    f"{value:g} is out of range.",
                    Location(book.name, sheet, row, "B"),
                    "Type a whole number of 1 or more." if whole else "Type 0 or more.",
                )
            values[f.name] = value
    return CustomerPlan(**values)


def check_sheets(book: Book) -> None:
    """Refuse a plan of the current template that lacks one of its sheets, by name: csxl
    would otherwise read it as a plan made before the sheet (an approved appeal or the QA
    scores silently gone). A renamed sheet is found by its anchor (`layout.ANCHOR`)."""
    titles = getattr(book, "titles", None)
    if titles is None:
        return
    missing = titles.missing()
    if not missing:
        return
    names = "、".join(f"{layout.title(k, book.lang)}" for k in missing)
    raise InputError(
        t(
            f"计划缺少工作表：{names}（已删除，或在 csxl 为工作表命名之前被改了名）。",
            f"the plan has no {names} sheet (deleted, or renamed before csxl named its sheets).",
        ),
        Location(book.name),
        t(
            "请把改过名的工作表改回原名，或从 csxl-backups 文件夹中的备份恢复该表；"
            "未写入任何内容。",
            "Rename the sheet back, or restore it from a backup in csxl-backups; nothing was "
            "written.",
        ),
    )


def has_paste_sheet(book: Book, key: str) -> bool:
    """Has the workbook this paste sheet? Asked without reading its (maybe many) rows."""
    parts = getattr(book, "_parts", None)
    if isinstance(parts, dict):
        return book.title(key) in parts
    sheets = getattr(book, "sheets", None)
    if isinstance(sheets, dict):
        return key in sheets
    return has_sheet(book, key)


def _appeals(book: Book, state: PlanState) -> None:
    """The Appeals rows as typed and the Audit log so far (plans made before them: none)."""
    from csxl.workbook.layout import Audit as U
    from csxl.workbook.sheets.appeals import read

    state.has_appeals = has_sheet(book, "Appeals") and has_sheet(book, "Audit")
    if state.has_appeals:
        state.inputs.appeals = read(book)
        state.inputs.audit = [
            tuple(None if v == "" else v for v in r[: U.SOURCE_ROW])
            for r in book.rows("Audit")[U.FIRST_ROW - 1 :]
            if any(v != "" for v in r[: U.SOURCE_ROW])
        ]


def has_sheet(book: Book, key: str) -> bool:
    """Does the workbook have this sheet? (A plan made before the sheet existed has not.)"""
    try:
        book.rows(key)
    except (InputError, KeyError):
        return False
    return True


def _actions(book: Book):
    from csxl.domain.actions import Action
    from csxl.workbook.layout import Actions as A
    from csxl.workbook.sheets.actions import kpi_key

    rows = book.rows("Actions")
    sheet = layout.title("Actions", book.lang)
    out = []
    for r in range(A.FIRST_ROW, A.FIRST_ROW + A.ROWS):
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        label = cell(rows, r, A.KPI)
        key = kpi_key(label)
        if label is not None and key is None:
            raise InputError(
                f"{label!r} is not a KPI csxl knows.", where(A.KPI), "Pick it from the list."
            )
        try:
            start = day(cell(rows, r, A.START))
        except ValueError:
            raise InputError(
                "not a date.", where(A.START), "Type a date such as 2026-04-01."
            ) from None
        text = cell(rows, r, A.ACTION)
        owner = cell(rows, r, A.OWNER)
        out.append(
            Action(
                None if text is None else str(text),
                key,
                start,
                number(rows, r, A.TARGET, where(A.TARGET)),
                None if owner is None else str(owner),
            )
        )
    while out and out[-1] == Action():
        out.pop()
    return tuple(out)


def _holidays(book: Book) -> tuple[tuple[date, str, str | None], ...]:
    from csxl.workbook.layout import Holidays as H
    from csxl.workbook.sheets.holidays import KINDS

    rows = book.rows("Holidays")
    sheet = layout.title("Holidays", book.lang)
    out = []
    for r in range(H.FIRST_ROW, H.FIRST_ROW + H.ROWS):
        value, kind, note = (cell(rows, r, c) for c in (H.DATE, H.KIND, H.NOTE))
        if value is None and kind is None:
            continue
        where = Location(book.name, sheet, r, layout.col(H.DATE))
        try:
            d = day(value)
        except ValueError:
            d = None
        if d is None:
            raise InputError(f"{value!r} is not a date.", where, "Type a date such as 2026-10-09.")
        if kind in (None, KINDS["zh"][0], KINDS["en"][0]):
            out.append((d, "holiday", None if note is None else str(note)))
        elif kind in (KINDS["zh"][1], KINDS["en"][1]):
            out.append((d, "workday", None if note is None else str(note)))
        else:
            raise InputError(
                f"{kind!r} is not one of {' / '.join(KINDS[book.lang])}.",
                Location(book.name, sheet, r, layout.col(H.KIND)),
                "Pick it from the list.",
            )
    dates = [d for d, _, _ in out]
    twice = sorted({d for d in dates if dates.count(d) > 1})
    if twice:
        raise InputError(
            f"{twice[0].isoformat()} is listed twice.",
            Location(book.name, sheet),
            "Keep one row per date.",
        )
    return tuple(out)


def _sla(book: Book):
    """The SLA policy rows and the collaboration limits, checked."""
    from csxl.domain.sla import SlaPolicy, SlaTarget, normalise_channel
    from csxl.workbook.layout import Sla as L
    from csxl.workbook.sheets.sla import UNITS, severity_key

    rows = book.rows("SLA")
    sheet = layout.title("SLA", book.lang)
    targets = []
    for r in range(L.POLICY_FIRST_ROW, L.policy_last_row() + 1):
        values = [cell(rows, r, c) for c in range(L.SEVERITY, L.RESOLUTION_H + 1)]
        if all(v is None for v in values):
            continue
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        severity, channel, hours = values[0], values[1], values[2]
        if severity is None or hours is None:
            raise InputError(
                "an SLA row needs a severity and its hours.",
                where(L.SEVERITY if severity is None else L.HOURS),
                "Complete or clear the row.",
            )
        targets.append(
            SlaTarget(
                severity_key(str(severity).strip()),
                normalise_channel(channel),
                str(hours).strip(),
                number(rows, r, L.FIRST_RESPONSE_MIN, where(L.FIRST_RESPONSE_MIN)),
                number(rows, r, L.RESOLUTION_H, where(L.RESOLUTION_H)),
            )
        )
        try:
            SlaPolicy(tuple(targets))
        except ValueError as exc:
            raise InputError(f"{exc}.", where(L.SEVERITY), "Fix or clear the row.") from None
    limits = []
    unit_keys = {label: key for lang in UNITS for key, label in UNITS[lang].items()}
    for r in range(L.COLLAB_FIRST_ROW, L.COLLAB_FIRST_ROW + L.COLLAB_ROWS):
        kind, limit, unit = (cell(rows, r, c) for c in (L.C_TYPE, L.C_LIMIT, L.C_UNIT))
        if kind is None and limit is None and unit is None:
            continue
        where = Location(book.name, sheet, r, layout.col(L.C_LIMIT))
        value = number(rows, r, L.C_LIMIT, where)
        if kind is None or value is None or value < 0 or unit not in unit_keys:
            raise InputError(
                "a collaboration limit needs a type, a limit of 0 or more and a unit.",
                where,
                "Complete or clear the row.",
            )
        if unit_keys[unit] == "workdays" and value != int(value):
            raise InputError("working days are whole numbers.", where, "Type e.g. 3.")
        limits.append((str(kind).strip(), value, unit_keys[unit]))
    return tuple(targets), tuple(limits)


def _staffing(book: Book):
    """The Staffing sheet's inputs, forecast grid and the arrivals shown now."""
    from csxl.workbook.layout import Staffing as SF
    from csxl.workbook.sheets.staffing import INTERVALS, SOURCES, StaffingInputs

    rows = book.rows("Staffing")
    sheet = layout.title("Staffing", book.lang)
    where = lambda r, c=SF.VALUE_COL: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
    value = lambda r: number(rows, r, SF.VALUE_COL, where(r))  # noqa: E731
    default = StaffingInputs()

    def checked(r: int, ok, hint: str, fallback: float | None) -> float | None:
        v = value(r)
        if v is None:
            return fallback
        if not ok(v):
            raise InputError(f"{v:g} is out of range.", where(r), hint)
        return v

    aht = checked(SF.ROW_AHT, lambda v: v > 0, "AHT is seconds, more than 0.", default.aht_s)
    sl = checked(
        SF.ROW_TARGET_SL, lambda v: 0 < v < 1, "Type a percentage such as 80%.", default.target_sl
    )
    target_s = checked(SF.ROW_TARGET_S, lambda v: v >= 0, "Seconds, 0 or more.", default.target_s)
    shrinkage = checked(
        SF.ROW_SHRINKAGE, lambda v: 0 <= v < 1, "Type a percentage such as 30%.", 0.0
    )
    interval = checked(
        SF.ROW_INTERVAL, lambda v: v in INTERVALS, "Use 15, 30 or 60 minutes.", default.interval_min
    )
    weeks = checked(
        SF.ROW_WEEKS, lambda v: v >= 1 and v == int(v), "A whole number of weeks.", None
    )
    occupancy = checked(
        SF.ROW_MAX_OCCUPANCY, lambda v: 0 < v <= 1, "Type a percentage up to 100%.", 1.0
    )
    source = cell(rows, SF.ROW_SOURCE, SF.VALUE_COL)
    forecast_names = {SOURCES["zh"][1], SOURCES["en"][1]}
    data_names = {SOURCES["zh"][0], SOURCES["en"][0], None}
    if source not in forecast_names | data_names:
        raise InputError(
            f"{source!r} is not one of {' / '.join(SOURCES[book.lang])}.",
            where(SF.ROW_SOURCE),
            "Pick it from the list.",
        )
    s = StaffingInputs(
        aht_s=float(aht),
        target_sl=float(sl),
        target_s=float(target_s),
        shrinkage=float(shrinkage),
        interval_min=int(interval),
        weeks=None if weeks is None else int(weeks),
        max_occupancy=float(occupancy),
        source="forecast" if source in forecast_names else "data",
    )
    for block, grid in (("forecast", s.forecast), ("arrivals", s.data_arrivals)):
        for i in range(s.slots):
            r = SF.GRID_FIRST_ROW + i
            for w in range(7):
                c = SF.block_col(block, w)
                v = number(rows, r, c, Location(book.name, sheet, r, layout.col(c)))
                if v is not None:
                    if v < 0:
                        raise InputError(
                            "arrivals cannot be negative.",
                            Location(book.name, sheet, r, layout.col(c)),
                        )
                    grid[(w, i)] = v
    computed = cell(rows, SF.ROW_COMPUTED, SF.VALUE_COL)
    s.computed = None if computed is None else str(computed)
    return s


def _goals(book: Book, lang: str):
    rows = book.rows("Goals")
    sheet = layout.title("Goals", lang)
    blank_weights: set[str] = set()
    targets: list[Target] = []
    monthly: dict[str, list[float | None]] = {}
    formulas = book.formulas("Goals")
    for i in range(G.KPI_ROWS):
        r = G.FIRST_ROW + i
        key = cell(rows, r, G.KEY)
        if key != DEFAULT_TARGETS[i].key:
            raise InputError(
                f"row {r} should hold the KPI key {DEFAULT_TARGETS[i].key!r} in column A, not "
                f"{key!r}: the sheet's rows were moved or deleted.",
                Location(book.name, sheet, r, "A"),
                "Undo the change, or restore the workbook from csxl-backups.",
            )
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        direction = cell(rows, r, G.DIRECTION)
        if direction not in DIRECTIONS[lang]:
            raise InputError(
                f"direction {direction!r} is not one of {' / '.join(DIRECTIONS[lang])}.",
                where(G.DIRECTION),
                "Pick it from the list.",
            )
        base = DEFAULTS[key]
        if cell(rows, r, G.WEIGHT) is None:
            blank_weights.add(key)
        try:
            targets.append(
                replace(
                    base,
                    direction="higher" if direction == DIRECTIONS[lang][0] else "lower",
                    weight=number(rows, r, G.WEIGHT, where(G.WEIGHT)) or 0.0,
                    baseline=_required(rows, r, G.BASELINE, where),
                    stretch=_required(rows, r, G.STRETCH, where),
                    challenge=_required(rows, r, G.CHALLENGE, where),
                )
            )
        except ValueError as exc:
            raise InputError(
                f"the targets of {CATALOG[key].label(lang)} are not usable: {exc}.",
                where(G.BASELINE),
                "Put 保底, 冲刺 and 挑战 in order.",
            ) from None
        # A month cell still holding its formula inherits the annual stretch (None); a
        # typed number is the manager's own target for that month.
        monthly[key] = [
            None
            if (r, G.MONTH_FIRST + m) in formulas
            else number(rows, r, G.MONTH_FIRST + m, where(G.MONTH_FIRST + m))
            for m in range(12)
        ]
    labels = {CATALOG[t.key].label(lang): t.key for t in targets}
    cascade: list[Override] = []
    # By content, to the sheet's end: a row a manager inserted inside the block pushes its
    # last rows below the formatted ones, and they count where they are now (refresh writes
    # nothing at or below the block, and Scores refers to each override by its row).
    for r in range(G.CASCADE_FIRST_ROW, max(len(rows), G.CASCADE_FIRST_ROW) + 1):
        level, name, kpi = (cell(rows, r, c) for c in (G.C_LEVEL, G.C_NAME, G.C_KPI))
        if all(cell(rows, r, c) is None for c in range(G.C_LEVEL, G.C_CHALLENGE + 1)):
            continue
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        if level not in LEVELS[lang] or name is None or kpi not in labels:
            beyond = r >= G.CASCADE_FIRST_ROW + G.CASCADE_ROWS
            raise InputError(
                f"{sheet} 表第 {r} 行是分解目标的一行，"
                "需要层级、小组或客服和指标（从下拉列表中选）。"
                + ("（它在分解目标表格之下，也会被读取。）" if beyond else "")
                if lang == "zh"
                else f"row {r} of {sheet} is a cascade row: it needs a level, a name and a KPI "
                "from the lists." + (" (It is below the block, and read too.)" if beyond else ""),
                where(G.C_LEVEL),
                "请补全或清空这一行；未写入任何内容。"
                if lang == "zh"
                else "Complete or clear the row; nothing was written.",
            )
        values = {
            f: number(rows, r, c, where(c))
            for f, c in (
                ("weight", G.C_WEIGHT),
                ("baseline", G.C_BASELINE),
                ("stretch", G.C_STRETCH),
                ("challenge", G.C_CHALLENGE),
            )
        }
        cascade.append(
            Override(
                r,
                "group" if level == LEVELS[lang][0] else "agent",
                str(name),
                labels[kpi],
                **values,
            )
        )
    return tuple(targets), monthly, cascade, frozenset(blank_weights)


def weight_warnings(book: Book, inputs: PlanInputs) -> list[str]:
    """The weight note of Goals (B14) as a warning of the command: blank weights, and
    weights that do not total 100 (the score still weighs each KPI by its share)."""
    from csxl.workbook.sheets.goals import weight_problems

    weights = [t.weight for t in inputs.targets[: G.KPI_ROWS]]
    text = weight_problems(inputs.lang, weights, len(inputs.blank_weights))
    if not text:
        return []
    sheet = layout.title("Goals", inputs.lang)
    blank = [
        f"{layout.col(G.WEIGHT)}{G.FIRST_ROW + i}"
        for i, t in enumerate(inputs.targets[: G.KPI_ROWS])
        if t.key in inputs.blank_weights
    ]
    where = f"{sheet}!{layout.col(G.WEIGHT)}{G.FIRST_ROW}:{layout.col(G.WEIGHT)}{G.last_row()}"
    if blank:
        where += "（空白：" if inputs.lang == "zh" else " (blank: "
        where += "、".join(blank) + ("）" if inputs.lang == "zh" else ")")
    return [f"{book.name}, {where}: {text.strip()}"]


def _clock(value: object, default: time, where: Location) -> time:
    if value is None:
        return default
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, int | float):  # an Excel time: a fraction of a day
        return (datetime.min + timedelta(seconds=round(float(value) * 86400))).time()
    try:
        return time.fromisoformat(str(value).strip().replace("：", ":"))
    except ValueError:
        raise InputError(f"{value!r} is not a time of day.", where, "Write it as 09:00.") from None


def _required(rows, r: int, c: int, where) -> float:
    value = number(rows, r, c, where(c))
    if value is None:
        raise InputError("a target is empty.", where(c), "Type the target.")
    return value


def _incentives(book: Book, inputs: PlanInputs) -> None:
    rows = book.rows("Incentives")
    lang = inputs.lang
    sheet = layout.title("Incentives", lang)
    where = lambda r, c=2: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
    modes = {v: k for k, v in MODE_LABELS[lang].items()}
    mode = cell(rows, I.ROW_MODE, 2)
    if mode not in modes:
        raise InputError(
            f"points mode {mode!r} is not one of {' / '.join(modes)}.",
            where(I.ROW_MODE),
            "Pick it from the list.",
        )
    # The pro-rating rule: blank (a plan made before the row existed) is the default.
    rule = cell(rows, I.ROW_PRORATION, 2)
    proration = "calendar" if rule is None else proration_key(rule)
    if proration is None:
        labels = " / ".join(PRORATION_LABELS[lang].values())
        raise InputError(
            f"bonus pro-rating {rule!r} is not one of {labels}.",
            where(I.ROW_PRORATION),
            "Pick it from the list.",
        )
    tiers = range(I.TIER_FIRST_ROW, I.TIER_FIRST_ROW + I.TIER_ROWS)
    grades = range(I.GRADE_FIRST_ROW, I.GRADE_FIRST_ROW + I.GRADE_ROWS)
    names = [str(cell(rows, r, 1)) for r in grades]
    mins = [number(rows, r, 2, where(r)) for r in grades]
    coefs = [number(rows, r, 3, where(r, 3)) for r in grades]
    try:
        inputs.incentives = Incentives(
            mode=modes[mode],
            grade_bands=tuple(
                (n, m) for n, m in reversed(list(zip(names[1:], mins[1:], strict=True)))
            ),
            lowest_grade=names[0],
            coefficients=tuple(zip(names, coefs, strict=True)),
            base_bonus=number(rows, I.ROW_BASE_BONUS, 2, where(I.ROW_BASE_BONUS)) or 0.0,
            deduction_per_escalated=number(rows, I.ROW_DEDUCTION, 2, where(I.ROW_DEDUCTION)) or 0.0,
            bonus_cap_multiple=number(rows, I.ROW_CAP_MULTIPLE, 2, where(I.ROW_CAP_MULTIPLE))
            or 0.0,
            red_line_cap=str(cell(rows, I.ROW_RED_LINE_CAP, 2)),
            star_min_answered_surveys=int(
                number(rows, I.ROW_STAR_MIN_SURVEYS, 2, where(I.ROW_STAR_MIN_SURVEYS)) or 0
            ),
            new_hire_months=int(
                number(rows, I.ROW_NEW_HIRE_MONTHS, 2, where(I.ROW_NEW_HIRE_MONTHS)) or 0
            ),
            proration=proration,
        )
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"the grade table is not usable: {exc}.",
            where(I.GRADE_FIRST_ROW, 1),
            "Keep one row per grade, minimums ascending, a coefficient each.",
        ) from None
    inputs.tier_labels = tuple(str(cell(rows, r, 1)) for r in tiers)
    inputs.step_points = tuple(number(rows, r, 2, where(r)) or 0.0 for r in tiers)
    inputs.flag_labels = tuple(str(cell(rows, r, 3)) for r in tiers)


def _scores(book: Book, state: PlanState) -> None:
    """The Scores rows as they are: for re-scoring, and the manager's columns by agent."""
    rows = book.rows("Scores")
    sheet = layout.title("Scores", book.lang)
    scored = [t.key for t in state.inputs.targets if "agent" in t.scored_for]
    for r in range(S.FIRST_ROW, min(len(rows), S.last_row()) + 1):
        agent = cell(rows, r, S.AGENT)
        if agent is None:
            continue

        def value(c: int, r: int = r) -> float | None:
            where = Location(book.name, sheet, r, layout.col(c))
            raw = cell(rows, r, c)
            # csxl's own cells, rewritten as numbers by this very command: a number typed
            # over one as text is taken as the number it shows, and said.
            if numeric_text(raw) is not None:
                state.rewritten.append(_rewritten(book.name, where, raw, book.lang))
                return numeric_text(raw)
            return number(rows, r, c, where)

        tick, appeal = cell(rows, r, S.RED_LINE_TICK), cell(rows, r, S.APPEAL)
        state.manager[str(agent)] = (tick, appeal)
        group = cell(rows, r, S.TEAM)
        state.agents.append(
            AgentRow(
                agent=None if agent in UNASSIGNED else str(agent),
                group=None if group is None else str(group),
                tickets=int(value(S.TICKETS) or 0),
                answered=int(value(S.ANSWERED) or 0),
                values={k: value(S.kpi_value(i)) for i, k in enumerate(scored)}
                | {"qa_score": value(S.QA_VALUE)},
                escalated=None if value(S.ESCALATED) is None else int(value(S.ESCALATED)),
                verified=int(value(S.RED_LINES) or 0),
                tick=None if tick is None else str(tick),
                appeal=None if appeal is None else str(appeal),
                award=str(cell(rows, r, S.AWARD) or ""),
                adjusted=_text_or_none(cell(rows, r, S.ADJUSTED)),
                days=_days(value(S.DAYS_IN_TEAM), value(S.DAYS_IN_MONTH)),
            )
        )


def _rewritten(file: str, where: Location, raw: object, lang: str) -> str:
    shown = printable(str(raw))
    if lang == "zh":
        return f"{file}, {address(where)}：文本“{shown}”按数字读取，并重新写成数字。"
    return (
        f"{file}, {address(where)}: the text {shown!r} was read as a number and written "
        "back as one."
    )


def _days(days: float | None, month: float | None):
    """The days columns of a Scores row as written (None when blank: not pro-rated)."""
    from csxl.domain.identity import DaysInTeam

    if days is None or month is None:
        return None
    return DaysInTeam(int(days), int(month))


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _mapping(book: Book) -> list[tuple[str, str, float, str]]:
    """(header, column, scale, data source) rows; the source is "" for every export."""
    from csxl.domain.columns import COLUMNS

    rows = book.rows("Mapping")
    pairs = []
    sheet = layout.title("Mapping", book.lang)
    for r in range(M.FIRST_ROW, M.FIRST_ROW + M.ROWS):
        header, column = cell(rows, r, M.HEADER), cell(rows, r, M.COLUMN)
        if header is None or column is None:
            continue
        if column not in COLUMNS:
            raise InputError(
                f"{column!r} is not a csxl column.",
                Location(book.name, sheet, r, layout.col(M.COLUMN)),
                "Pick it from the list.",
            )
        scale = number(rows, r, M.SCALE, Location(book.name, sheet, r, layout.col(M.SCALE)))
        source = cell(rows, r, M.SOURCE)
        pairs.append((str(header), str(column), scale or 1.0, _source(source)))
    return pairs


def _source(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


# ------------------------------------------------------------------ rows moved, rows pushed out
def check_landmarks(book: Book, key: str, rows: list[list[object]]) -> None:
    """Refuse a sheet whose fixed labels (`layout.LANDMARKS`) are not where layout puts
    them: a manager inserted or deleted a row above one, so every address below it moved,
    and csxl would read, or write into, the wrong cells. Names the rows to look at."""
    zh = book.lang == "zh"
    sheet = layout.title(key, book.lang)
    above = 0  # the row of the last landmark in place: the change is below it
    for r, c, zh_text, en_text in layout.LANDMARKS.get(key, ()):
        labels = {zh_text, en_text}
        found = cell(rows, r, c)
        if isinstance(found, str) and found.strip() in labels:
            above = r
            continue
        expected = zh_text if zh else en_text
        moved = next(
            (
                x
                for x in sorted(range(1, len(rows) + 1), key=lambda x: abs(x - r))
                if isinstance(cell(rows, x, c), str) and str(cell(rows, x, c)).strip() in labels
            ),
            None,
        )
        if found is None and moved is None and (key, r) in layout.LANDMARKS_ADDED:
            continue  # a plan of this version made before the block: refresh adds it
        where = Location(book.name, sheet, r, layout.col(c))
        hint = (
            "请删除插入的行（或撤销删除），表格内留有空行可以填写；也可以从 csxl-backups "
            "文件夹中的备份恢复。未写入任何内容。"
            if zh
            else "Delete the inserted rows (or undo the deletion): the tables have blank rows "
            "to type in. Or restore a backup from csxl-backups. Nothing was written."
        )
        if moved is not None and moved > r:
            n = moved - r
            raise InputError(
                f"{sheet} 表的“{expected}”应在第 {r} 行，现在在第 {moved} 行：第 {above + 1}–{r} "
                f"行之间插入了 {n} 行。csxl 按固定位置读写这张表，会读错或写错单元格。"
                if zh
                else f"{expected!r} belongs in row {r} of {sheet} and is now in row {moved}: "
                f"{n} row(s) were inserted between rows {above + 1} and {r}. csxl reads and "
                "writes this sheet by position and would use the wrong cells.",
                where,
                hint,
            )
        if moved is not None:
            raise InputError(
                f"{sheet} 表的“{expected}”应在第 {r} 行，现在在第 {moved} 行：第 {moved + 1}–{r} "
                "行之间删除了行。csxl 按固定位置读写这张表，会读错或写错单元格。"
                if zh
                else f"{expected!r} belongs in row {r} of {sheet} and is now in row {moved}: "
                f"rows were deleted between rows {moved + 1} and {r}. csxl reads and writes "
                "this sheet by position and would use the wrong cells.",
                where,
                hint,
            )
        raise InputError(
            f"{sheet} 表第 {r} 行应是“{expected}”，但没有找到它：这张表的行被移动或删除了。"
            if zh
            else f"row {r} of {sheet} should hold {expected!r}, which is not on the sheet: its "
            "rows were moved or deleted.",
            where,
            hint,
        )


def check_pushed_out(
    book: Book,
    key: str,
    rows: list[list[object]],
    columns: tuple[int, int],
    last: int,
    until: int | None = None,
) -> None:
    """Refuse a non-empty row just below a block of a fixed number of rows (its columns,
    from `last` + 1 up to `until` or the sheet's end): a row a manager inserted inside the
    block pushed its last rows out of it, and csxl reads the block's rows only."""
    end = len(rows) if until is None else min(until - 1, len(rows))
    for r in range(last + 1, end + 1):
        if all(cell(rows, r, c) is None for c in range(columns[0], columns[1] + 1)):
            continue
        sheet = layout.title(key, book.lang)
        span = f"{layout.col(columns[0])}:{layout.col(columns[1])}"
        zh = book.lang == "zh"
        raise InputError(
            f"{sheet} 表第 {r} 行（{span} 列）在表格的最后一行（第 {last} 行）之下，"
            "csxl 不会读取它：多半是表格中插入了一行，把最后的行挤出了表格。"
            if zh
            else f"row {r} of {sheet} ({span}) is below the table's last row ({last}), where "
            "csxl does not read: a row inserted inside the table most likely pushed it out.",
            Location(book.name, sheet, r, layout.col(columns[0])),
            f"请删除表格中插入的空行，或把第 {r} 行的内容移到表格内的空行中；未写入任何内容。"
            if zh
            else f"Delete the row inserted inside the table, or move row {r} into a blank row "
            "of the table; nothing was written.",
        )


def _blocks() -> dict[str, tuple[tuple[tuple[int, int], int, int | None], ...]]:
    """The manager's blocks of a fixed number of rows: (columns, last row, the next
    block's first row or None) per sheet. (The Goals cascade is read to the sheet's end;
    the SLA sheet's two blocks have a note and a landmark below them.)"""
    from csxl.workbook.layout import Actions as A
    from csxl.workbook.layout import Aliases as L
    from csxl.workbook.layout import Appeals as P
    from csxl.workbook.layout import Holidays as H
    from csxl.workbook.layout import Qa as Q
    from csxl.workbook.layout import Team as T

    return {
        "Mapping": (((M.HEADER, M.SOURCE), M.FIRST_ROW + M.ROWS - 1, None),),
        "Holidays": (((H.DATE, H.NOTE), H.FIRST_ROW + H.ROWS - 1, None),),
        "Actions": (((A.ACTION, A.OWNER), A.FIRST_ROW + A.ROWS - 1, None),),
        "Appeals": (((P.AGENT, P.STATUS), P.last_row(), None),),
        "QA": (((Q.AGENT, Q.DATE), Q.FIRST_ROW + Q.ROWS - 1, None),),
        "Aliases": (
            ((L.SPELLING, L.NAME), L.FIRST_ROW + L.ROWS - 1, None),
            ((L.P_AGENT, L.P_TO), L.FIRST_ROW + L.P_ROWS - 1, None),
        ),
        "Team": (((T.AGENT, T.ATTENDED), T.last_row(), None),),
    }


def check_positions(book: Book) -> None:
    """Before anything is read by address: every sheet's fixed labels in place, no row
    pushed out of a block of fixed rows, and no row inserted inside the Staffing grids."""
    blocks = _blocks()
    for key in layout.LANDMARKS.keys() - {"Errors", "Audit"}:
        if not has_paste_sheet(book, key):
            continue
        try:
            rows = book.rows(key)
        except (InputError, KeyError):
            continue
        check_landmarks(book, key, rows)
        for columns, last, until in blocks.get(key, ()):
            check_pushed_out(book, key, rows, columns, last, until)
        if key == "Staffing":
            _check_grid_rows(book, rows)


def _check_grid_rows(book: Book, rows: list[list[object]]) -> None:
    """The Staffing grids are read and written by row (row = interval): a row inserted
    among them leaves a gap in the interval column, which refresh fills in every row."""
    from csxl.workbook.layout import Staffing as SF

    labelled = [
        r
        for r in range(SF.GRID_FIRST_ROW, SF.grid_last_row() + 1)
        if cell(rows, r, SF.INTERVAL_COL) is not None
    ]
    for r in range(SF.GRID_FIRST_ROW, labelled[-1] if labelled else SF.GRID_FIRST_ROW):
        if cell(rows, r, SF.INTERVAL_COL) is None:
            sheet = layout.title("Staffing", book.lang)
            zh = book.lang == "zh"
            raise InputError(
                f"{sheet} 表第 {r} 行在时段表格中间，却没有时段：多半是插入的行。csxl 按行读写"
                "这些表格（每行一个时段），会读错或写错单元格。"
                if zh
                else f"row {r} of {sheet} lies inside the interval grids but has no interval: "
                "most likely an inserted row. csxl reads and writes the grids by row (one "
                "interval a row) and would use the wrong cells.",
                Location(book.name, sheet, r, layout.col(SF.INTERVAL_COL)),
                f"请删除第 {r} 行；未写入任何内容。"
                if zh
                else f"Delete row {r}; nothing was written.",
            )


# ------------------------------------------------------------------ blocks that grow
BUDGET_TOTAL = frozenset({"合计", "Total"})  # Budget's total row label (zh, en)


def table_end(key: str, rows: list[list[object]]) -> int:
    """The last row of a table a manager may grow by inserting rows inside it (Milestones,
    Risks: to the sheet's end, nothing is below them; Budget: the row above its total row,
    found by its label). Never less than the template's last row."""
    from csxl.workbook.layout import Budget as B
    from csxl.workbook.layout import Milestones as Mi
    from csxl.workbook.layout import Risks as R

    if key == "Budget":
        for r in range(B.FIRST_ROW, len(rows) + 1):
            label = cell(rows, r, B.CATEGORY)
            if isinstance(label, str) and label.strip() in BUDGET_TOTAL:
                return max(r - 1, B.FIRST_ROW - 1)
        return B.last_row()
    last = {"Milestones": Mi.last_row(), "Risks": R.last_row()}[key]
    return max(last, len(rows))


def budget_total_row(rows: list[list[object]]) -> int:
    """Budget's total row where it is now (below the categories, however many)."""
    from csxl.workbook.layout import Budget as B

    end = table_end("Budget", rows)
    label = cell(rows, end + 1, B.CATEGORY)
    return end + 1 if isinstance(label, str) and label.strip() in BUDGET_TOTAL else B.TOTAL_ROW


def too_many_rows(key: str, book: str, lang: str, row: int, room: int) -> InputError:
    """The refusal of a table with more rows than the template holds (`csxl upgrade`)."""
    sheet = layout.title(key, lang)
    zh = lang == "zh"
    return InputError(
        f"{sheet} 表从第 {row} 行起超出了新模板的 {room} 行（表格中插入过行）。"
        if zh
        else f"the {sheet} table runs past the new template's {room} rows from row {row} "
        "(rows were inserted into it).",
        Location(book, sheet, row, "A"),
        "请删除不需要的行后再升级；未写入任何内容。"
        if zh
        else "Delete the rows that are not needed, then upgrade again; nothing was written.",
    )
