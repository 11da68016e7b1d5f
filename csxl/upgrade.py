"""`csxl upgrade`: move a plan made by an older template into the current one.

The manager's inputs are read by address from the old workbook (the addresses of its
template version), the current template is built from them with the same builders as
`csxl new` (so every formula carries a value computed from the manager's numbers, not the
defaults), and what has no model is carried as values: red-line and award texts, program
paths, the Mapping sheet, the pasted Data, and the Scores manager columns. A refreshed plan
is then refreshed again for its month, which fills the owned regions of the new template.

Nothing is lost silently: the old file is backed up first, and the report lists what moved,
what could not (sheets a manager added, formatting of pasted cells) and where it is kept.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from csxl.errors import InputError, Location, t
from csxl.workbook import layout
from csxl.workbook.layout import Budget as B
from csxl.workbook.layout import Data as D
from csxl.workbook.layout import Incentives as I
from csxl.workbook.layout import Mapping as Mp
from csxl.workbook.layout import Milestones as M
from csxl.workbook.layout import Risks as R
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St

# Template versions whose input addresses this module reads. A version that moves an input
# gets its own address table here when it ships; until then every known version shares the
# current addresses and differs only in the sheets it has.
READABLE = ("1.0", "1.1", layout.TEMPLATE_VERSION)

Rows = list[list[object]]


@dataclass
class UpgradeReport:
    workbook: str
    old_version: str
    new_version: str
    backup: Path | None = None
    moved: list[tuple[str, str]] = field(default_factory=list)  # what was carried: (zh, en)
    added: list[str] = field(default_factory=list)  # sheets the new template adds
    left: list[tuple[str, str]] = field(default_factory=list)  # only in the backup: (zh, en)
    refreshed: str | None = None  # the month refreshed into the new template
    warnings: list[str] = field(default_factory=list)  # in the plan's language

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version


# ------------------------------------------------------------------ reading by address
def _cell(rows: Rows, r: int, c: int) -> object:
    if r > len(rows) or c > len(rows[r - 1]):
        return None
    value = rows[r - 1][c - 1]
    return None if value == "" else value


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object, where: Location) -> date | None:
    from csxl.workbook.cells import day

    try:
        return day(value)
    except ValueError:
        raise InputError(
            t(f"{value!r} 不是日期。", f"{value!r} is not a date."),
            where,
            t("请输入日期，如 2026-03-31。", "Type a date such as 2026-03-31."),
        ) from None


def _number(value: object, where: Location) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise not_a_number(value, where)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().rstrip("%")) / (100 if str(value).endswith("%") else 1)
    except ValueError:
        raise not_a_number(value, where) from None


def not_a_number(value: object, where: Location) -> InputError:
    return InputError(
        t(f"{value!r} 不是数字。", f"{value!r} is not a number."),
        where,
        t("请输入数字。", "Type a number."),
    )


def _cascade_in_block(cascade: list, book: str, lang: str) -> list:
    """The cascade rows as they were typed, in order; rows a manager's inserted row pushed
    below the block move up into its blank rows (the new plan formats the block only)."""
    from dataclasses import replace

    from csxl.workbook.layout import Goals as G

    last = G.CASCADE_FIRST_ROW + G.CASCADE_ROWS - 1
    if all(o.row <= last for o in cascade):
        return cascade
    if len(cascade) > G.CASCADE_ROWS:
        raise InputError(
            t(
                f"分解目标有 {len(cascade)} 行；计划只能容纳 {G.CASCADE_ROWS} 行。",
                f"the cascade has {len(cascade)} rows; the plan has room for {G.CASCADE_ROWS}.",
            ),
            Location(book, layout.title("Goals", lang), cascade[G.CASCADE_ROWS].row, "B"),
            t(
                "请删除不需要的行后再升级。",
                "Delete the rows that are not needed, then upgrade again.",
            ),
        )
    return [replace(o, row=G.CASCADE_FIRST_ROW + i) for i, o in enumerate(cascade)]


def read_milestones(rows: Rows, book: str, lang: str) -> list:
    """The filled Milestones rows, in order (blank rows between them are closed up)."""
    from csxl.domain.plan import Milestone
    from csxl.workbook.plan_reader import table_end, too_many_rows

    sheet = layout.title("Milestones", lang)
    out = []
    # By content to the table's end: a row inserted inside it pushes its last rows down.
    for r in range(M.FIRST_ROW, table_end("Milestones", rows) + 1):
        values = [_cell(rows, r, c) for c in range(M.QUARTER, M.PCT + 1)]
        if all(v is None for v in values):
            continue
        if len(out) == M.ROWS:
            raise too_many_rows("Milestones", book, lang, r, M.ROWS)
        where = lambda c, r=r: Location(book, sheet, r, layout.col(c))  # noqa: E731
        quarter = _text(values[0]).upper().lstrip("Q")
        try:
            out.append(
                Milestone(
                    quarter=int(quarter) if quarter.isdigit() else 0,
                    milestone=_text(values[1]),
                    deliverable=_text(values[2]),
                    acceptance=_text(values[3]),
                    owner=_text(values[4]),
                    start=_date(values[5], where(M.START)),
                    end=_date(values[6], where(M.END)),
                    pct_complete=_number(values[7], where(M.PCT)) or 0.0,
                )
            )
        except ValueError as exc:
            raise InputError(
                t(f"这个里程碑无法使用：{exc}。", f"this milestone is not usable: {exc}."),
                where(M.QUARTER),
                t("请改正这一行。", "Correct the row."),
            ) from None
    return out


def read_budget(rows: Rows, book: str, lang: str) -> list:
    """Every Budget category row, blank ones included (rows keep their places)."""
    from csxl.domain.plan import BudgetLine
    from csxl.workbook.plan_reader import table_end, too_many_rows

    sheet = layout.title("Budget", lang)
    out = []
    end = table_end("Budget", rows)  # the row above the total row, wherever it is now
    for r in range(B.FIRST_ROW, end + 1):
        where = lambda c, r=r: Location(book, sheet, r, layout.col(c))  # noqa: E731
        months = range(B.MONTHS)
        plan = tuple(
            _number(_cell(rows, r, B.PLAN_FIRST + m), where(B.PLAN_FIRST + m)) for m in months
        )
        actual = tuple(
            _number(_cell(rows, r, B.ACTUAL_FIRST + m), where(B.ACTUAL_FIRST + m)) for m in months
        )
        out.append(BudgetLine(_text(_cell(rows, r, B.CATEGORY)), plan, actual))
    while out and not out[-1].category and all(v is None for v in out[-1].plan + out[-1].actual):
        out.pop()  # trailing blank rows: the builder pads them again
    if len(out) > B.CATEGORY_ROWS:
        raise too_many_rows("Budget", book, lang, B.FIRST_ROW + B.CATEGORY_ROWS, B.CATEGORY_ROWS)
    return out


def read_risks(rows: Rows, book: str, lang: str) -> list:
    """The filled Risks rows, in order (blank rows between them are closed up)."""
    from csxl.domain.plan import Risk

    sheet = layout.title("Risks", lang)
    inputs = (R.ID, R.RISK, R.CATEGORY, R.LIKELIHOOD, R.IMPACT, R.TRIGGER, R.PREVENTION)
    inputs += (R.RESPONSE, R.OWNER, R.STATUS, R.REVIEW)
    from csxl.workbook.plan_reader import table_end, too_many_rows

    out = []
    for r in range(R.FIRST_ROW, table_end("Risks", rows) + 1):
        if all(_cell(rows, r, c) is None for c in inputs):
            continue
        if len(out) == R.ROWS:
            raise too_many_rows("Risks", book, lang, r, R.ROWS)
        where = lambda c, r=r: Location(book, sheet, r, layout.col(c))  # noqa: E731
        rating = {}
        for c in (R.LIKELIHOOD, R.IMPACT):
            value = _number(_cell(rows, r, c), where(c))
            rating[c] = None if value is None else int(value)
        try:
            out.append(
                Risk(
                    id=_text(_cell(rows, r, R.ID)),
                    risk=_text(_cell(rows, r, R.RISK)),
                    category=_text(_cell(rows, r, R.CATEGORY)),
                    likelihood=rating[R.LIKELIHOOD],
                    impact=rating[R.IMPACT],
                    trigger=_text(_cell(rows, r, R.TRIGGER)),
                    prevention=_text(_cell(rows, r, R.PREVENTION)),
                    response=_text(_cell(rows, r, R.RESPONSE)),
                    owner=_text(_cell(rows, r, R.OWNER)),
                    status=_text(_cell(rows, r, R.STATUS)),
                    review_date=_date(_cell(rows, r, R.REVIEW), where(R.REVIEW)),
                )
            )
        except ValueError as exc:
            raise InputError(
                t(f"这条风险无法使用：{exc}。", f"this risk is not usable: {exc}."),
                where(R.LIKELIHOOD),
                t("请按 1-5 评分。", "Rate it 1-5."),
            ) from None
    return out


def read_incidents(rows: Rows, book: str, lang: str) -> tuple[tuple, dict[str, float]]:
    """The Incidents log's filled rows (in order) and its three milestone limits."""
    from openpyxl.utils import column_index_from_string

    from csxl.domain.sla import DEFAULT_INCIDENT_LIMITS, Incident
    from csxl.workbook.layout import Incidents as N

    sheet = layout.title("Incidents", lang)
    limits = dict(DEFAULT_INCIDENT_LIMITS)
    for key, address in (
        ("alert", N.ALERT_LIMIT),
        ("workaround", N.WORKAROUND_LIMIT),
        ("announce", N.ANNOUNCE_LIMIT),
    ):
        c = column_index_from_string(address[0])
        value = _number(_cell(rows, N.LIMIT_ROW, c), Location(book, sheet, N.LIMIT_ROW, address[0]))
        if value is not None:
            limits[key] = value
    times = (N.START, N.ALERT, N.WORKAROUND, N.ANNOUNCE, N.RECOVERED)
    out = []
    for r in range(N.FIRST_ROW, N.last_row() + 1):
        values = {c: _cell(rows, r, c) for c in (N.ID, N.SYSTEM, N.DESCRIPTION, *times, N.OWNER)}
        if all(v is None for v in values.values()):
            continue
        when = {c: _when(values[c]) for c in times}
        for c in times:
            if values[c] is not None and when[c] is None:
                raise InputError(
                    t(f"{values[c]!r} 不是日期时间。", f"{values[c]!r} is not a date and time."),
                    Location(book, sheet, r, layout.col(c)),
                    t("请写成 2026-03-01 09:30。", "Type it as 2026-03-01 09:30."),
                )
        text = {c: None if v is None else str(v) for c, v in values.items()}
        out.append(
            Incident(
                text[N.ID],
                text[N.SYSTEM],
                text[N.DESCRIPTION],
                when[N.START],
                when[N.ALERT],
                when[N.WORKAROUND],
                when[N.ANNOUNCE],
                when[N.RECOVERED],
                text[N.OWNER],
            )
        )
    return tuple(out), limits


# ------------------------------------------------------------------ the command
def version_of(path: Path) -> str:
    from python_calamine import CalamineWorkbook

    from csxl.workbook.port import detect_lang

    book = CalamineWorkbook.from_path(str(path))
    lang = detect_lang(book.sheet_names, path.name)
    title = layout.title("Settings", lang)
    if title not in book.sheet_names:
        raise InputError(
            t(
                "它没有“设置”表，因此无法知道模板版本。",
                "it has no Settings sheet, so its template version is unknown.",
            ),
            Location(path.name),
            t("只有 csxl 生成的计划才能升级。", "Only plans made by csxl can be upgraded."),
        )
    rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    return _text(_cell(rows, St.ROW_VERSION, St.VALUE_COL))


def upgrade(workbook: str | Path, to: str | None = None) -> UpgradeReport:
    """Move the plan at `workbook` to the current template in place, after a backup."""
    from csxl.workbook.port import PackageBook, backup

    path = Path(workbook)
    if to not in (None, layout.TEMPLATE_VERSION):
        raise InputError(
            t(
                f"此版本的 csxl 只生成模板版本 {layout.TEMPLATE_VERSION}，不能生成 {to}。",
                f"this csxl makes template version {layout.TEMPLATE_VERSION} only, not {to}.",
            ),
            Location(path.name),
            t(
                "请去掉 --to，或使用生成该版本的 csxl 发行版。",
                "Leave out --to, or use the csxl release that makes that version.",
            ),
        )
    old = PackageBook(path, ribbon=False)  # refuses a workbook open elsewhere (exit 3)
    version = _text(_cell(old.rows("Settings"), St.ROW_VERSION, St.VALUE_COL))
    report = UpgradeReport(path.name, version, layout.TEMPLATE_VERSION)
    if version == layout.TEMPLATE_VERSION:
        from csxl.workbook.plan_reader import read_plan
        from csxl.workbook.sheets.holidays import open_year_warning

        calendar = open_year_warning(read_plan(old).inputs)
        report.warnings += [calendar] if calendar else []
        return report
    if version not in READABLE:
        raise InputError(
            t(
                f"此版本的 csxl 无法读取模板版本 {version!r}（可读：{'、'.join(READABLE)}）。",
                f"template version {version!r} is not one this csxl can read "
                f"({', '.join(READABLE)}).",
            ),
            Location(path.name, layout.title("Settings", old.lang), St.ROW_VERSION, "B"),
            t(
                "请检查“设置”表上的版本单元格，或使用当时的 csxl 发行版升级。",
                "Check the version cell on Settings, or upgrade with the csxl release of that "
                "time.",
            ),
        )
    work = Path(tempfile.mkdtemp(prefix=".csxl-upgrade-", dir=path.parent))
    try:
        target = work / path.name
        _rebuild(old, target, report)
        report.backup = backup(path, old.lang)
        os.replace(target, path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _rebuild(old, target: Path, report: UpgradeReport) -> None:
    from dataclasses import replace

    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import build
    from csxl.workbook.package import write_atomic
    from csxl.workbook.plan_reader import read_plan
    from csxl.workbook.port import PackageBook

    lang = old.lang
    have = {s.key for s in layout.SHEETS if old.title(s.key) in old._parts}
    state = read_plan(old, any_version=True)
    p: PlanInputs = state.inputs
    p.cascade = _cascade_in_block(p.cascade, old.name, lang)
    report.moved += [
        (
            "设置：团队、年度、基准日、活跃客户数、首响与解决时限",
            "Settings: team, year, as-of date, active customers, first-response and "
            "resolution targets",
        ),
        (
            "目标：方向、权重、三档目标、月度目标、分解",
            "Goals: directions, weights, targets, monthly targets, cascade",
        ),
        (
            "激励：计分方式、档位、等级、奖金规则与折算方式",
            "Incentives: points mode, tiers, grades, bonus rules and pro-rating",
        ),
    ]
    if "Milestones" in have:
        p.milestones = read_milestones(old.rows("Milestones"), old.name, lang)
        n = len(p.milestones)
        report.moved.append((f"里程碑：{n} 行", f"Milestones: {n} rows"))
    if "Budget" in have:
        p.budget = read_budget(old.rows("Budget"), old.name, lang)
        n = len(p.budget)
        report.moved.append((f"预算：{n} 个科目行", f"Budget: {n} category rows"))
    if "Risks" in have:
        p.risks = read_risks(old.rows("Risks"), old.name, lang)
        n = len(p.risks)
        report.moved.append((f"风险登记：{n} 行", f"Risks: {n} rows"))
    if "Incidents" in have:
        p.incidents, p.incident_limits = read_incidents(old.rows("Incidents"), old.name, lang)
        n = len(p.incidents)
        report.moved.append((f"故障：{n} 条记录及时限", f"Incidents: {n} rows and the limits"))
    for key, zh, en in (
        ("SLA", "服务时限：时限表与协作时限", "SLA: policy and collaboration limits"),
        ("Holidays", "假日：本地放假与上班日", "Holidays: local days off and working days"),
        ("Actions", "改进措施", "Actions"),
        ("Staffing", "排班：参数与人工预测", "Staffing: inputs and the manual forecast"),
    ):
        if key in have:
            report.moved.append((zh, en))
    if "Team" in have:
        n = sum(1 for m in p.team_inputs.members if m.agent)
        report.moved.append(
            (
                f"团队：{n} 名成员、晋升规则与知识库指标",
                f"Team: {n} members, the promotion rule and the knowledge base",
            )
        )
    report.moved.append(
        (
            "设置：客户指标的阈值与目标（旧计划没有时取默认值）",
            "Settings: customer KPI thresholds and targets (defaults where the old plan had none)",
        )
    )
    if state.has_aliases:
        n, m = len(p.aliases), len(p.transfers)
        report.moved.append(
            (f"别名：{n} 行；调岗：{m} 行", f"Aliases: {n} rows; transfers: {m} rows")
        )
    if state.has_qa:
        n = len(p.qa_rows)
        report.moved.append(
            (f"质检：权重与目标，{n} 条记录", f"QA: weight and targets, {n} inspections")
        )
    if state.has_calls:
        report.moved.append(
            ("通话：服务水平与短放弃时限", "Calls: the service-level and short-abandon seconds")
        )
    if state.has_appeals:
        n, m = len(p.appeals), len(p.audit)
        report.moved.append(
            (f"申诉：{n} 行；审计日志：{m} 行", f"Appeals: {n} rows; Audit log: {m} rows")
        )
    if p.trend:
        n = len(p.trend)
        report.moved.append((f"趋势：{n} 行历史", f"Trend: {n} history rows"))
    p.refresh_month = state.shown_month
    settings = old.rows("Settings")
    p.refreshed_at = _when(_cell(settings, St.ROW_LAST_REFRESH, St.VALUE_COL))
    p.today = date.today()
    write_atomic(target, build(replace(p, agents=[], errors=[])))

    new = PackageBook(target)
    _carry_values(old, new, have, report)
    new.commit()
    report.added = [layout.title(s.key, lang) for s in layout.SHEETS if s.key not in have]
    extra = sorted(set(old._parts) - {layout.title(s.key, lang) for s in layout.SHEETS})
    if extra:
        names = "、".join(extra)
        report.left.append(
            (
                f"您添加的工作表（{names}）：在 Excel 中右键工作表标签，“移动或复制”到新文件",
                f"sheets you added ({', '.join(extra)}): copy them over in Excel "
                "(right-click the tab, Move or Copy)",
            )
        )
    if state.shown_month:
        from csxl.refresh import refresh

        refresh(PackageBook(target), state.shown_month)
        report.refreshed = state.shown_month
    from csxl.workbook.sheets.holidays import open_year_warning

    calendar = open_year_warning(p)  # a plan year chinese-calendar does not know yet
    report.warnings += [calendar] if calendar else []


def _when(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from csxl.domain.excel_math import from_serial

        return from_serial(float(value))
    return None


def _carry_values(old, new, have: set[str], report: UpgradeReport) -> None:
    """Inputs without a model, cell for cell: texts, paths, Mapping, Data, Scores notes."""
    if "Incentives" in have:
        rows = old.rows("Incentives")
        cells = {
            (r, 1): _cell(rows, r, 1)
            for r in range(I.RED_LINE_FIRST_ROW, I.RED_LINE_FIRST_ROW + I.RED_LINE_ROWS)
        }
        for r in range(I.AWARD_FIRST_ROW, I.AWARD_FIRST_ROW + I.AWARD_ROWS):
            cells[(r, 1)], cells[(r, 2)] = _cell(rows, r, 1), _cell(rows, r, 2)
        new.write("Incentives", cells)
        report.moved.append(("激励：红线与奖项规则", "Incentives: red lines and award rules"))
    settings = old.rows("Settings")
    new.write(
        "Settings",
        {
            (r, St.VALUE_COL): _cell(settings, r, St.VALUE_COL)
            for r in (St.ROW_EXE_PATH, St.ROW_PYTHON)
        },
    )
    if "Mapping" in have:
        rows = old.rows("Mapping")
        last = min(len(rows), Mp.FIRST_ROW + Mp.ROWS - 1)
        # The input columns only: right of them is the template's own column list, which
        # moved in 1.2 (a 1.0/1.1 plan has no source column: blank, every export).
        cells = {
            (r, c): _cell(rows, r, c)
            for r in range(Mp.FIRST_ROW, last + 1)
            for c in range(Mp.HEADER, Mp.SOURCE + 1)
        }
        new.write("Mapping", cells)
        filled = sum(1 for r in range(Mp.FIRST_ROW, last + 1) if _cell(rows, r, 1) is not None)
        report.moved.append((f"映射：{filled} 条表头同义词", f"Mapping: {filled} header synonyms"))
    if "Scores" in have:
        rows = old.rows("Scores")
        cells = {}
        for r in range(S.FIRST_ROW, min(len(rows), S.last_row()) + 1):
            if _cell(rows, r, S.AGENT) is None:
                continue
            for c in (S.AGENT, S.TEAM, S.RED_LINE_TICK, S.APPEAL):
                cells[(r, c)] = _cell(rows, r, c)
        if cells:
            new.write("Scores", cells)
            report.moved.append(
                ("考核：红线勾选与申诉说明", "Scores: red-line ticks and appeal notes")
            )
    if "Data" in have:
        n = _carry_data(old, new)
        report.moved.append(
            (
                f"数据：{n} 行（数值照搬；单元格格式留在备份中）",
                f"Data: {n} pasted rows (values; cell formatting stays in the backup)",
            )
        )
    if "Orders" in have:
        n = _carry_data(old, new, "Orders")
        report.moved.append(
            (
                f"订单：{n} 行（数值照搬；单元格格式留在备份中）",
                f"Orders: {n} pasted rows (values; cell formatting stays in the backup)",
            )
        )
    if "CallRecords" in have:
        n = _carry_data(old, new, "CallRecords")
        report.moved.append(
            (
                f"通话记录：{n} 行（数值照搬；单元格格式留在备份中）",
                f"Call records: {n} pasted rows (values; cell formatting stays in the backup)",
            )
        )


def _carry_data(old, new, key: str = "Data") -> int:
    """The pasted rows below a paste sheet's header (Data, Orders, CallRecords), every
    column, values as typed.

    The old header row is found as the reader finds it (an export pasted at A1 with title
    rows above its header). Columns go under the new template's heading of the same name,
    else of the same csxl column (an export's own `Id` under 工单号); a column the new header
    lacks (one a manager added, or an unknown export column) goes to the right of the table
    with its heading. An empty column whose csxl column is taken already (a template heading
    left beside a pasted export) is not carried: it would stand for the pasted one.
    """
    from csxl.domain.columns import CALLS, ORDERS, TICKETS
    from csxl.domain.synonyms import Synonyms
    from csxl.readers.header import MIN_MATCHES, SCAN_ROWS
    from csxl.workbook.data_sheet import grow_table

    synonyms = Synonyms({"Orders": ORDERS, "CallRecords": CALLS}.get(key, TICKETS))

    def field_of(heading: object) -> str | None:
        found = synonyms.lookup(heading) if heading not in (None, "") else None
        return found.column if found is not None else None

    rows = old.rows(key)
    header = [h for h in new.rows(key)[D.HEADER_ROW - 1] if h != ""]
    width = len(header)
    scores = [synonyms.score(r) for r in rows[:SCAN_ROWS]]
    top = max(scores, default=0)
    at = scores.index(top) if top >= MIN_MATCHES else D.HEADER_ROW - 1
    old_header = rows[at] if rows else []
    below = rows[at + 1 :]
    where = {h: i + 1 for i, h in enumerate(header)}
    by_field = {f: i + 1 for i, h in enumerate(header) if (f := field_of(h)) is not None}
    cells: dict[tuple[int, int], object] = {}
    target: dict[int, int] = {}
    extra = width
    for c, heading in enumerate(old_header, start=1):
        filled = any(c <= len(r) and r[c - 1] != "" for r in below)
        found = field_of(heading)
        if heading in where and where[heading] not in target.values():
            target[c] = where[heading]
        elif found in by_field and by_field[found] not in target.values():
            target[c] = by_field[found]
        elif found is not None and not filled:
            continue  # a stale template heading beside the pasted export's own column
        elif heading != "" or filled:
            extra += 1
            target[c] = extra
            cells[(D.HEADER_ROW, extra)] = _plain(heading)
    last = D.FIRST_ROW - 1
    for i, row in enumerate(below):
        r = D.FIRST_ROW + i
        for c, value in enumerate(row, start=1):
            if value != "" and c in target:
                cells[(r, target[c])] = _plain(value)
                last = r
    if cells:
        new.write(key, cells)
    if last >= D.FIRST_ROW:
        grow_table(new, f"A{D.HEADER_ROW}:{layout.col(width)}{last}", layout.PASTE_TABLES[key])
    return max(0, last - D.HEADER_ROW)


def _plain(value: object) -> object:
    """A cell value as the sheet patcher takes it: times and durations as day fractions."""
    from datetime import time, timedelta

    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return value
