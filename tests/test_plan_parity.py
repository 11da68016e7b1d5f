"""Issue 16's "Done when": every figure a plan shows for its team and agents equals
`csxl kpi --by all,agent` on exactly the team's rows, whatever the export and however the
rows got into the plan.

Parametrised dialect x route x team filter (fixtures in tests/parity_dialects.py):

- dialects: Chinese layout A (the sample export's headers, title rows above), Chinese layout
  B (other header names, no 是否推送评价 / 是否一次解决 / 是否复核), Zendesk CSV, Freshdesk CSV;
- routes: the export grid pasted over Data!A1 by a normal paste, once wider than the
  template's heading row (`a1_wide`) and once narrower (`a1_narrow`: the template's headings
  to the right stay), by Paste Values (`a1_values`: the template's column formats stay, so
  numbers land in its date-formatted columns), values pasted under the template's own
  headings (`values`), `csxl import` and `csxl batch --data` (one plan per roster team);
- team filter: a plan whose Settings name 售后一组 given the whole two-team export, and a
  department plan (no team) given the same export.

The reference is the engine on a separate export file, in the same dialect, holding exactly
the rows the plan should count: the team's rows and those without a team (spec), or every
row for a department plan. The plan is read as a reader sees it (openpyxl, data_only: the
values csxl cached). Ratios are fractions in both; numbers must agree to float
representation (1e-9 relative). A KPI the engine cannot give (null, or unavailable for want
of a column) must show no number in the plan: blank or a note, never 0 or 100%.

One test per case builds its plan once and runs every sheet's check on it, listing all the
differences (sheet, cell, plan value, engine value); a build that fails (a crash in refresh,
import or batch) is the case's error. `csxl new`'s template and the engine's figures are
made once per team and dialect (caches), so the file runs in about a minute of CPU.
"""

from __future__ import annotations

import functools
import math
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from csxl.domain.catalog import CATALOG
from csxl.workbook import layout
from csxl.workbook.layout import Customers as C
from csxl.workbook.layout import Dashboard as DB
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as ST
from csxl.workbook.layout import Trend as T
from tests import parity_dialects as dx
from tests.plan_fixtures import seconds_shown

LANG = "zh"
TEAM = dx.TEAMS[1]  # the team plan's team (售后一组)
NOW = datetime(2026, 4, 1, 8)
REL = 1e-9
MS = 0.5e-3 + 1e-9  # a 分:秒 cell read back by openpyxl: a timedelta rounded to the millisecond
LABEL_KEY = {info.label(LANG): key for key, info in CATALOG.items()}
UNASSIGNED = "未分配"
ROUTES = ("a1_wide", "a1_narrow", "a1_values", "values", "import", "batch")


@dataclass(frozen=True)
class Case:
    dialect: str
    route: str
    team: str | None  # None: a department plan

    @property
    def id(self) -> str:
        scope = "dept" if self.team is None else ("team" if self.team == TEAM else "team2")
        return f"{self.dialect}-{self.route}-{scope}"


CASES = [
    Case(d, r, t)
    for d in dx.DIALECTS
    for r in ROUTES
    for t in ((TEAM, dx.TEAMS[0]) if r == "batch" else (TEAM, None))
]


@dataclass(repr=False)
class Built:
    """A refreshed plan, its agents' 考核表 and the engine's figures for the same rows."""

    case: Case
    plan: Path
    month: str
    team_kpis: dict[str, Any]
    agent_kpis: dict[str | None, dict[str, Any]]
    unavailable: dict[str, str]
    top_tags: list[dict[str, Any]]
    sheets: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    cards: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    warnings: list[str] | None = None  # refresh's (None: batch ran it)

    def __repr__(self) -> str:  # a failing check's traceback shows the plan, not its cells
        return f"Built({self.case.id}: {self.plan})"


_BUILT: dict[Case, Built | BaseException] = {}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("parity")


@pytest.fixture(scope="module")
def month_tickets() -> list[dx.Ticket]:
    return dx.tickets()


@pytest.fixture
def built(request: pytest.FixtureRequest, workdir: Path, month_tickets) -> Built:
    case: Case = request.param
    if case not in _BUILT:
        try:
            _BUILT[case] = _build(case, workdir / case.id, month_tickets)
        except Exception as exc:  # every check of the case reports the build's failure
            _BUILT[case] = exc
    found = _BUILT[case]
    if isinstance(found, BaseException):
        raise AssertionError(f"{case.id}: building the plan failed: {found!r}") from found
    return found


def _build(case: Case, folder: Path, tickets: list[dx.Ticket]) -> Built:
    from csxl.agent_sheets import export_agent_sheets
    from csxl.refresh import refresh
    from csxl.workbook.port import PackageBook

    folder.mkdir(parents=True)
    warnings = None
    dialect = dx.DIALECTS[case.dialect]
    wide = case.route == "a1_wide"
    rows = dialect.rows(tickets, wide)
    header = dialect.headers(wide)
    export = dx.write_export(dialect, rows, folder / f"export{dialect.suffix}", wide)
    if case.route == "batch":
        plan = _batch(folder, export, case.team)
    else:
        plan = folder / "plan.xlsx"
        plan.write_bytes(_new_plan(case.team))
        grid = dx.as_excel_shows(dialect, rows)
        if case.route in ("a1_wide", "a1_narrow", "a1_values"):
            dx.paste_at_a1(plan, header, grid, values=case.route == "a1_values")
        elif case.route == "values":
            dx.paste_under_template(plan, dialect, grid)
        else:
            from csxl.data_import import import_export

            import_export(PackageBook(plan), export, dialect.key, now=NOW)
        warnings = refresh(PackageBook(plan), now=NOW).warnings
    export_agent_sheets(plan, folder / "cards")
    sheets = _read(plan, ("Settings", "Goals", "Dashboard", "Scores", "Trend"))
    month = str(_at(sheets["Settings"], ST.ROW_REFRESH_MONTH, ST.VALUE_COL))
    customers = _at(sheets["Settings"], ST.ROW_ACTIVE_CUSTOMERS, ST.VALUE_COL)
    doc = _engine(case.dialect, case.team, month, customers, folder.parent / "engine")
    groups = doc["groups"]
    cards = {p.name: _read_rows(p) for p in sorted((folder / "cards").glob("*.xlsx"))}
    return Built(
        case,
        plan,
        month,
        groups[0]["kpis"],
        {g["key"]: g["kpis"] for g in groups if g["by"] == "agent"},
        doc["unavailable"],
        doc["top_tags"],
        sheets,
        cards,
        warnings,
    )


@functools.cache
def _engine(dialect: str, team: str | None, month: str, customers: Any, folder: Path) -> dict:
    """`csxl kpi --by all,agent --month M --json` on a separate export file, in the same
    dialect, holding exactly the rows the plan should count (with the plan's number of
    active customers)."""
    from csxl.kpi_report import Period, kpi_document

    d = dx.DIALECTS[dialect]
    folder.mkdir(exist_ok=True)
    rows = dx.team_rows(d, d.rows(dx.tickets()), team)
    path = dx.write_export(d, rows, folder / f"{dialect}-{team or 'all'}{d.suffix}")
    doc, _, _ = kpi_document(
        path,
        by=("all", "agent"),
        period=Period.parse(month, None, None),
        active_customers=customers if isinstance(customers, int | float) else None,
    )
    return doc


@functools.cache
def _team_counts(dialect: str, team: str) -> tuple[int, int]:
    """(rows, valid tickets) of `team` alone in the export, by `csxl kpi` on a file of them."""
    from csxl.kpi_report import kpi_document

    d = dx.DIALECTS[dialect]
    rows = [r for r in d.rows(dx.tickets()) if r[d.team_index()] == team]
    with tempfile.TemporaryDirectory(prefix="csxl-parity-") as tmp:
        doc, _, _ = kpi_document(dx.write_export(d, rows, Path(tmp) / f"t{d.suffix}"))
    return doc["rows"]["read"], doc["rows"]["valid"]


@functools.cache
def _new_plan(team: str | None) -> bytes:
    """`csxl new` for the team (or the department), made once: every case pastes into a copy."""
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan

    inputs = PlanInputs(
        lang=LANG,
        team=team or "",
        year=2026,
        as_of=date(2026, 3, 31),
        active_customers=dx.ACTIVE_CUSTOMERS,
    )
    with tempfile.TemporaryDirectory(prefix="csxl-parity-") as tmp:
        return new_plan(Path(tmp) / "plan.xlsx", inputs).read_bytes()


def _batch(folder: Path, export: Path, team: str | None) -> Path:
    from csxl.batch import REFRESHED, run_batch
    from csxl.roster import template_bytes

    out = folder.parent / f"{folder.name.rsplit('-', 1)[0]}-teams"
    if not out.exists():  # one batch run serves both teams' cases
        roster = folder.parent / f"{folder.name}-roster.xlsx"
        roster.write_bytes(template_bytes(LANG, dx.roster_rows()))
        result = run_batch(roster, out, data=export, jobs=1, year=2026, today=NOW.date())
        for r in result.teams:
            (out / f"{r.team}.status").write_text(f"{r.status} {r.message}", encoding="utf-8")
    status = (out / f"{team}.status").read_text(encoding="utf-8")
    found = [p for p in out.glob("*.xlsx") if team and team in p.stem]
    assert found and status.startswith(REFRESHED), f"batch, {team}: {status}"
    return found[0]


def _read(plan: Path, keys: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(plan, read_only=True, data_only=True)
    try:
        return {k: list(wb[layout.title(k, LANG)].iter_rows(values_only=True)) for k in keys}
    finally:
        wb.close()


def _read_rows(path: Path) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def _at(rows: list[tuple[Any, ...]], r: int, c: int) -> Any:
    if r > len(rows) or c > len(rows[r - 1]):
        return None
    return rows[r - 1][c - 1]


# ------------------------------------------------------------------ comparing
def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _differs(where: str, key: str, shown: Any, engine: Any) -> str | None:
    """Why `shown` (a plan cell) is not the engine's `engine`; None when it is."""
    if not _number(engine):
        if _number(shown) or isinstance(shown, datetime):
            return f"{where} {key}: plan shows {shown!r}, engine has no value ({engine!r})"
        return None
    if not _number(shown):
        return f"{where} {key}: plan shows {shown!r}, engine {engine!r}"
    if not math.isclose(shown, engine, rel_tol=REL, abs_tol=1e-12):
        return f"{where} {key}: plan {shown!r} != engine {engine!r}"
    return None


def _check(problems: list[str]) -> None:
    n = sum(not p.startswith("[") for p in problems)
    assert not problems, f"{n} differences:\n" + "\n".join(problems)


def _agent(label: Any, engine: dict[str | None, Any]) -> str | None:
    """The engine's agent key of a plan's agent label (未分配 is the null key); a name shown
    with its 工号 ("张伟（SH003）") is that agent."""
    text = str(label)
    if text == UNASSIGNED:
        return None
    if text in engine:
        return text
    for key in engine:
        if key is not None and re.fullmatch(rf"{re.escape(key)}\s*[(（].*[)）]", text):
            return key
    return text


def _same_agents(where: str, shown: dict[str | None, Any], engine: dict) -> list[str]:
    out = [f"{where}: agent {k!r} is not in the team's rows" for k in shown if k not in engine]
    out += [f"{where}: agent {k!r} of the team's rows is missing" for k in engine if k not in shown]
    return out


CASE_PARAMS = [pytest.param(c, id=c.id) for c in CASES]
parametrised = pytest.mark.parametrize("built", CASE_PARAMS, indirect=True)


def test_paste_values_puts_numbers_in_date_cells(tmp_path: Path) -> None:
    """The a1_values route keeps exercising the issue's case: some dialect's number column
    lands in a date-formatted column of the template (a template change could move it)."""
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(_new_plan(None))
    found = {d: dx.dated_number_columns(plan, dialect) for d, dialect in dx.DIALECTS.items()}
    assert any(found.values()), found


def goals_actuals(built: Built) -> list[str]:
    rows = built.sheets["Goals"]
    problems = []
    for r in range(G.FIRST_ROW, G.last_row() + 1):
        key = _at(rows, r, G.KEY)
        shown = _at(rows, r, G.ACTUAL)
        where = f"目标!{layout.col(G.ACTUAL)}{r}"
        problems.append(_differs(where, key, shown, built.team_kpis.get(key)))
    return [p for p in problems if p]


def dashboard(built: Built) -> list[str]:
    rows = built.sheets["Dashboard"]
    problems = []
    for r in range(DB.FIRST_ROW, DB.FIRST_ROW + G.KPI_ROWS):
        key = LABEL_KEY[str(_at(rows, r, DB.LABEL))]
        where = f"看板!{layout.col(DB.ACTUAL)}{r}"
        shown, engine = _at(rows, r, DB.ACTUAL), built.team_kpis.get(key)
        if isinstance(shown, time | timedelta) and _number(engine):
            # A duration shown as 分:秒: seconds / 86400, read back to the millisecond.
            seconds = seconds_shown(shown)
            if not math.isclose(seconds, engine, abs_tol=MS):
                problems.append(f"{where} {key}: plan {seconds!r} s != engine {engine!r}")
            continue
        problems.append(_differs(where, key, shown, engine))
    hv = {"tickets": "hv_tickets", "csat": "hv_csat", "frt_median": "hv_frt_median"}
    for key in C.KEYS:
        r = C.row(key)
        where = f"看板!{layout.col(C.ALL)}{r}"
        problems.append(_differs(where, key, _at(rows, r, C.ALL), built.team_kpis.get(key)))
        if key in hv:
            where = f"看板!{layout.col(C.HV)}{r}"
            engine = built.team_kpis.get(hv[key])
            problems.append(_differs(where, hv[key], _at(rows, r, C.HV), engine))
    return [p for p in problems if p]


def dashboard_top_tags(built: Built) -> list[str]:
    """The month's Top-20 tags: the engine's daily counts summed (every day lists all its
    tags: there are fewer than 20)."""
    days: dict[str, int] = {}
    engine: dict[str, int] = {}
    for item in built.top_tags:
        days[item["date"]] = days.get(item["date"], 0) + 1
        engine[item["tag"]] = engine.get(item["tag"], 0) + item["count"]
    assert max(days.values(), default=0) < 20
    rows = built.sheets["Dashboard"]
    shown = {}
    for r in range(DB.TAGS_FIRST_ROW, DB.TAGS_FIRST_ROW + DB.TAGS_ROWS):
        tag = _at(rows, r, 1)
        if tag not in (None, ""):
            shown[str(tag)] = _at(rows, r, 2)
    top = dict(sorted(engine.items(), key=lambda kv: (-kv[1], kv[0]))[: DB.TAGS_ROWS])
    problems = [
        f"看板 Top-20 {tag}: plan {shown.get(tag)!r}, engine {n}"
        for tag, n in top.items()
        if shown.get(tag) != n
    ]
    problems += [
        f"看板 Top-20 {tag}: plan {n!r}, engine none" for tag, n in shown.items() if tag not in top
    ]
    return problems


def _scores(built: Built) -> tuple[dict[str | None, int], dict[int, str]]:
    """Scores' agent rows (engine key -> row) and its KPI value columns (column -> key)."""
    rows = built.sheets["Scores"]
    columns = {
        c: str(_at(rows, S.KEY_ROW, c))
        for c in range(S.KPI_FIRST, S.KPI_FIRST + 2 * S.KPI_COUNT, 2)
        if _at(rows, S.KEY_ROW, c)
    }
    agents = {}
    for r in range(S.FIRST_ROW, S.last_row() + 1):
        label = _at(rows, r, S.AGENT)
        if label in (None, ""):
            break
        agents[_agent(label, built.agent_kpis)] = r
    return agents, columns


def scores(built: Built) -> list[str]:
    rows = built.sheets["Scores"]
    agents, columns = _scores(built)
    assert len(columns) == S.KPI_COUNT
    problems = _same_agents("考核", agents, built.agent_kpis)
    for agent, r in agents.items():
        engine = built.agent_kpis.get(agent)
        if engine is None:
            continue
        fields = [(S.TICKETS, "tickets"), (S.ESCALATED, "escalated"), *columns.items()]
        for c, key in fields:
            where = f"考核!{layout.col(c)}{r} ({agent or UNASSIGNED})"
            problems.append(_differs(where, key, _at(rows, r, c), engine.get(key)))
    return [p for p in problems if p]


def agent_sheets(built: Built) -> list[str]:
    """`csxl export-agent-sheets`: each agent's 考核表 (未分配 has none)."""
    from csxl.agent_sheets import TEXT

    text = TEXT[LANG]
    shown: dict[str | None, tuple[str, list[tuple[Any, ...]]]] = {}
    for name, rows in built.cards.items():
        shown[_agent(_at(rows, 3, 2), built.agent_kpis)] = (name, rows)
    engine = {k: v for k, v in built.agent_kpis.items() if k is not None}
    problems = _same_agents("考核表", shown, engine)
    for agent, (name, rows) in shown.items():
        if agent not in engine:
            continue
        labels = {str(r[0]): i for i, r in enumerate(rows, start=1) if r and r[0] is not None}
        fields = [(labels[text["tickets"]], "tickets"), (labels[text["escalated"]], "escalated")]
        # A duration's name carries its unit: 平均首响时长（分:秒）.
        unit = {label: re.sub(r"（[^（]*）$", "", label) for label in labels}
        fields += [
            (i, LABEL_KEY[unit[label]]) for label, i in labels.items() if unit[label] in LABEL_KEY
        ]
        assert len(fields) >= 2 + S.KPI_COUNT, (name, list(labels))
        for r, key in fields:
            shown, want = _at(rows, r, 2), engine[agent].get(key)
            if isinstance(shown, time | timedelta) and _number(want):  # 分:秒, to the ms
                if not math.isclose(seconds_shown(shown), want, abs_tol=MS):
                    problems.append(f"{name}!B{r} {key}: {seconds_shown(shown)!r} s != {want!r}")
                continue
            problems.append(_differs(f"{name}!B{r}", key, shown, want))
    return [p for p in problems if p]


def trend_rows(built: Built) -> list[str]:
    """Trend's rows of the month: one per team KPI with a value, one per agent and scored KPI
    with a value; none for a KPI the engine cannot give."""
    scope = {"team": "团队", "agent": "客服"}
    rows = built.sheets["Trend"]
    shown: dict[tuple[str, str | None, str], Any] = {}
    for r in range(T.FIRST_ROW, len(rows) + 1):
        if _at(rows, r, T.MONTH) != built.month:
            continue
        kind = next((k for k, v in scope.items() if v == _at(rows, r, T.SCOPE)), None)
        label = str(_at(rows, r, T.KPI))
        if kind is None or label not in LABEL_KEY:
            continue  # weighted scores and the manager's columns are not engine figures
        who = None if kind == "team" else _agent(_at(rows, r, T.NAME), built.agent_kpis)
        shown[(kind, who, LABEL_KEY[label])] = (
            f"趋势!{layout.col(T.VALUE)}{r}",
            _at(rows, r, T.VALUE),
        )
    goals = [
        str(_at(built.sheets["Goals"], r, G.KEY)) for r in range(G.FIRST_ROW, G.last_row() + 1)
    ]
    _, scored = _scores(built)
    expected: dict[tuple[str, str | None, str], Any] = {
        ("team", None, k): built.team_kpis.get(k) for k in goals
    }
    for agent, kpis in built.agent_kpis.items():
        expected.update({("agent", agent, k): kpis.get(k) for k in scored.values()})
    problems = [
        f"趋势 {kind} {who!r} {key}: no row in the team's rows"
        for kind, who, key in shown
        if (kind, who, key) not in expected
    ]
    for (kind, who, key), engine in expected.items():
        missing = f"趋势 (no {kind} row for {who or UNASSIGNED if kind == 'agent' else 'the team'})"
        where, value = shown.get((kind, who, key), (missing, None))
        problems.append(_differs(where, key, value, engine))
    return [p for p in problems if p]


def test_the_comparison_sees_a_difference() -> None:
    """The checks' rule: 1e-9 relative is float noise, anything more is a difference, and a
    number where the engine has none (0 for an absent column) is one too."""
    assert _differs("x", "csat", 0.9 * (1 + 1e-12), 0.9) is None
    assert _differs("x", "csat", 0.9 * (1 + 1e-8), 0.9)
    assert _differs("x", "fcr", 0.0, None)
    assert _differs("x", "fcr", None, 0.0)
    assert _differs("x", "fcr", "无法计算：导出没有 是否一次解决 列", None) is None
    assert _differs("x", "tickets", 53, 53.0) is None


def team_filter_warning(built: Built) -> list[str]:
    """A team plan given the whole export says, in one warning, how many of the other team's
    tickets it left out (its rows or its valid tickets: the spec does not say which). A
    department plan leaves nothing out; batch gives each plan only its team's rows."""
    if built.case.team is None or built.warnings is None:
        return []
    other = next(t for t in dx.TEAMS if t != built.case.team)
    naming = [w for w in built.warnings if other in w]
    if len(naming) != 1:
        return [f"refresh warnings naming {other}: {naming} (all: {built.warnings})"]
    numbers = {int(n) for n in re.findall(r"\d+", naming[0])}
    counts = _team_counts(built.case.dialect, other)
    if not numbers & set(counts):
        return [f"{naming[0]!r} gives neither {other}'s rows nor tickets {counts}"]
    return []


CHECKS = (
    goals_actuals,
    dashboard,
    dashboard_top_tags,
    scores,
    agent_sheets,
    trend_rows,
    team_filter_warning,
)


# One test per case, every sheet checked in it: pytest-xdist (-n auto) spreads tests over
# workers, and one item per case builds each plan once, on one worker.
@parametrised
def test_plan_equals_engine(built: Built) -> None:
    problems = []
    if built.month != dx.MONTH:
        problems.append(f"设置!B{ST.ROW_REFRESH_MONTH}: refreshed {built.month}, not {dx.MONTH}")
    for check in CHECKS:
        found = check(built)
        if found:
            problems += [f"[{check.__name__}]", *found]
    _check(problems)
