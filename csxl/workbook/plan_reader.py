"""Read a plan's current inputs back from its workbook, by the addresses in layout.py.

Values are read as the file holds them (cached values for formula cells), which Excel,
LibreOffice and WPS keep current when they save, and csxl writes with every formula.
A sheet whose rows were moved or deleted is refused with the row and what was expected.
"""

from __future__ import annotations

from dataclasses import replace
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
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St
from csxl.workbook.port import Book
from csxl.workbook.sheets import ROOMS
from csxl.workbook.sheets.goals import DIRECTIONS, LEVELS
from csxl.workbook.sheets.incentives import MODE_LABELS, PRORATION_LABELS, proration_key
from csxl.workbook.sheets.scores import AgentRow
from csxl.workbook.sheets.settings import sla_targets
from csxl.workbook.state import PlanState, has_paste_sheet

DEFAULTS = {t.key: t for t in DEFAULT_TARGETS}
UNASSIGNED = frozenset({"未分配", "Unassigned"})  # how Scores shows tickets without an agent


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
    _read_rooms(book, state)
    inputs.has_qa = state.has_qa  # Scores leaves QA out of a plan made before the QA sheet
    return state


def _read_rooms(book: Book, state: PlanState) -> None:
    """Which rooms the plan has (`ROOMS`; a plan made before a sheet existed has not got
    it), then each one's inputs, in build order."""
    for room in ROOMS:
        if room.present is None or room.present(book):
            state.present.add(room.key)
            if room.flag is not None:
                setattr(state, room.flag, True)
    for room in ROOMS:
        if room.read is not None and room.key in state.present:
            room.read(book, state)


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


def check_positions(book: Book) -> None:
    """Before anything is read by address: every sheet's fixed labels in place, no row
    pushed out of a block of fixed rows, and each room's own check (no row inserted inside
    the Staffing grids)."""
    for room in ROOMS:
        if room.key not in layout.LANDMARKS or not room.landmarks:
            continue
        if not has_paste_sheet(book, room.key):
            continue
        try:
            rows = book.rows(room.key)
        except (InputError, KeyError):
            continue
        check_landmarks(book, room.key, rows)
        for columns, last, until in room.blocks:
            check_pushed_out(book, room.key, rows, columns, last, until)
        if room.check is not None:
            room.check(book, rows)


# ------------------------------------------------------------------ blocks that grow
