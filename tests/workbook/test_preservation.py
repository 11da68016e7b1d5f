"""Refresh never loses a manager's input (issue 5).

A refreshed plan gets random edits in its input cells (values, and font and fill styles),
as a manager makes them; it is refreshed again; every edit must still be there, and every
part of the package that refresh does not own must keep its exact compressed bytes.

The edited workbook is made with openpyxl, which drops the cached values of formulas. That
does not matter here: only the edited cells and the raw parts are compared, and refresh
writes every formula it owns with its value again.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font, PatternFill

from csxl.domain.columns import COLUMNS
from csxl.refresh import refresh
from csxl.workbook import layout
from csxl.workbook.layout import Aliases as Al
from csxl.workbook.layout import Appeals as Ap
from csxl.workbook.layout import Budget as B
from csxl.workbook.layout import Calls as Ca
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Incentives as I
from csxl.workbook.layout import Mapping as M
from csxl.workbook.layout import Milestones as Ms
from csxl.workbook.layout import Qa
from csxl.workbook.layout import Risks as R
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import (
    DEFAULT_GOALS,
    LANG,
    MONTH,
    NO,
    NOW,
    TEAM,
    YES,
    at,
    copy_of,
    parts,
    refreshed_bytes,
    sheet,
    sheet_part,
)

OWNED = (
    "Goals",
    "Dashboard",
    "Scores",
    "Errors",
    "Trend",
    "Settings",
    "Staffing",
    "SLA",
    "Actions",
    "Team",  # evaluated month, months at grade, promotion flag, formula values
    "Appeals",  # the result column
    "Audit",
    "QA",  # the per-agent results
    "Calls",  # the status line and the results per team and agent
    "Holidays",  # the banner, the official days (E:G) and what was read of the notice (J)
)
AGENTS = 6  # rows of Scores the fixture fills
GOAL_LABELS = ("满意度", "平均首响时长", "一次解决率", "解决率", "重开率", "评价回收率")
WORDS = "客服培训排班质检升级复盘计划预算风险里程碑abcXYZ0123456789-_/"

text = st.text(alphabet=WORDS, min_size=1, max_size=12)
TEAM_EDITS = (TEAM, f" {TEAM} ", f"{TEAM}\u3000")  # the plan's team as a manager retypes it
amount = st.integers(0, 200_000)
Cell = tuple[str, int, int]  # (sheet key, row, column)


def _scale(key: str) -> tuple[int, int, float]:
    return {"frt_mean": (5, 400, 1.0), "complaints_per_10k": (0, 300, 0.1)}.get(
        key, (0, 1000, 0.001)
    )


@st.composite
def targets(draw, key: str, higher: bool) -> tuple[float, float, float]:
    low, high, step = _scale(key)
    values = sorted(round(draw(st.integers(low, high)) * step, 4) for _ in range(3))
    return tuple(values if higher else values[::-1])


@st.composite
def goals_row(draw) -> dict[Cell, object]:
    i = draw(st.integers(0, G.KPI_ROWS - 1))
    key, higher, *_ = DEFAULT_GOALS[i]
    r = G.FIRST_ROW + i
    out: dict[Cell, object] = {}
    if draw(st.booleans()):
        out[("Goals", r, G.WEIGHT)] = draw(st.integers(0, 100))
    if draw(st.booleans()) or not out:
        b, s, c = draw(targets(key, higher))
        out |= {("Goals", r, G.BASELINE): b, ("Goals", r, G.STRETCH): s}
        out[("Goals", r, G.CHALLENGE)] = c
    return out


@st.composite
def goals_month(draw) -> dict[Cell, object]:
    i = draw(st.integers(0, G.KPI_ROWS - 1))
    low, high, step = _scale(DEFAULT_GOALS[i][0])
    value = round(draw(st.integers(low, high)) * step, 4)
    return {("Goals", G.FIRST_ROW + i, G.MONTH_FIRST + draw(st.integers(0, 11))): value}


@st.composite
def cascade_row(draw) -> dict[Cell, object]:
    r = G.CASCADE_FIRST_ROW + draw(st.integers(0, G.CASCADE_ROWS - 1))
    level = draw(st.sampled_from(["小组", "客服"]))
    name = draw(st.sampled_from(["A班", "B班"] if level == "小组" else agent_names()))
    i = draw(st.integers(0, len(GOAL_LABELS) - 1))
    key, higher, *_ = DEFAULT_GOALS[i]
    out: dict[Cell, object] = {
        ("Goals", r, G.C_LEVEL): level,
        ("Goals", r, G.C_NAME): name,
        ("Goals", r, G.C_KPI): GOAL_LABELS[i],
    }
    if draw(st.booleans()):
        out[("Goals", r, G.C_WEIGHT)] = draw(st.integers(0, 100))
    if draw(st.booleans()):
        b, s, c = draw(targets(key, higher))
        out |= {("Goals", r, G.C_BASELINE): b, ("Goals", r, G.C_STRETCH): s}
        out[("Goals", r, G.C_CHALLENGE)] = c
    return out


def one(key: str, rows: range, cols: list[int], values) -> st.SearchStrategy:
    return st.builds(
        lambda r, c, v: {(key, r, c): v}, st.sampled_from(rows), st.sampled_from(cols), values
    )


@st.composite
def grade_minimums(draw) -> dict[Cell, object]:
    mins = sorted(draw(st.lists(st.integers(1, 99), min_size=4, max_size=4, unique=True)))
    return {("Incentives", I.GRADE_FIRST_ROW + 1 + n, 2): m for n, m in enumerate(mins)}


@st.composite
def mapping_row(draw) -> dict[Cell, object]:
    r = M.FIRST_ROW + draw(st.integers(0, M.ROWS - 1))
    return {
        ("Mapping", r, M.HEADER): f"自定义{draw(st.integers(1, 999))}",
        ("Mapping", r, M.COLUMN): draw(st.sampled_from(sorted(COLUMNS))),
        ("Mapping", r, M.SCALE): draw(st.sampled_from([1, 60, 0.5])),
        ("Mapping", r, M.SOURCE): draw(st.sampled_from([None, "千牛", "电话"])),
    }


@st.composite
def peak_hours(draw) -> dict[Cell, object]:
    start, end = draw(st.integers(6, 11)), draw(st.integers(12, 20))
    return {
        ("Settings", St.ROW_PEAK_START, 2): f"{start:02d}:00",
        ("Settings", St.ROW_PEAK_END, 2): f"{end:02d}:30",
    }


def edits() -> st.SearchStrategy:
    """One manager edit: some input cells and their new values."""
    inc = "Incentives"
    tier_rows = range(I.TIER_FIRST_ROW, I.TIER_FIRST_ROW + I.TIER_ROWS)
    grade_rows = range(I.GRADE_FIRST_ROW, I.GRADE_FIRST_ROW + I.GRADE_ROWS)
    return st.one_of(
        goals_row(),
        goals_month(),
        cascade_row(),
        one("Milestones", range(Ms.FIRST_ROW, Ms.last_row() + 1), [2, 3, 4, 5], text),
        one("Milestones", range(Ms.FIRST_ROW, Ms.last_row() + 1), [Ms.PCT], st.just(0.5)),
        one("Budget", range(B.FIRST_ROW, B.last_row() + 1), [B.CATEGORY], text),
        one(
            "Budget",
            range(B.FIRST_ROW, B.last_row() + 1),
            [B.PLAN_FIRST + m for m in range(12)] + [B.ACTUAL_FIRST + m for m in range(12)],
            amount,
        ),
        one("Risks", range(R.FIRST_ROW, R.last_row() + 1), [R.RISK, R.OWNER, R.RESPONSE], text),
        one(
            "Risks",
            range(R.FIRST_ROW, R.last_row() + 1),
            [R.LIKELIHOOD, R.IMPACT],
            st.integers(1, 5),
        ),
        one(inc, range(I.ROW_MODE, I.ROW_MODE + 1), [2], st.sampled_from(["阶梯", "线性"])),
        one(inc, range(I.ROW_BASE_BONUS, I.ROW_DEDUCTION + 1), [2], st.integers(0, 5000)),
        one(
            inc,
            range(I.ROW_CAP_MULTIPLE, I.ROW_CAP_MULTIPLE + 1),
            [2],
            st.sampled_from([1, 1.5, 2]),
        ),
        one(inc, range(I.ROW_RED_LINE_CAP, I.ROW_RED_LINE_CAP + 1), [2], st.sampled_from("SABCD")),
        one(inc, range(I.ROW_STAR_MIN_SURVEYS, I.ROW_NEW_HIRE_MONTHS + 1), [2], st.integers(0, 60)),
        one(
            inc,
            range(I.ROW_PRORATION, I.ROW_PRORATION + 1),
            [2],
            st.sampled_from(["按日历天数", "按工作日", "不折算"]),
        ),
        one(inc, tier_rows, [2], st.integers(0, 100)),
        one(inc, tier_rows, [3], text),
        one(inc, grade_rows, [3], st.sampled_from([0, 0.5, 1, 1.25, 2])),
        grade_minimums(),
        one(inc, range(I.RED_LINE_FIRST_ROW, I.RED_LINE_FIRST_ROW + I.RED_LINE_ROWS), [1], text),
        one(inc, range(I.AWARD_FIRST_ROW, I.AWARD_FIRST_ROW + I.AWARD_ROWS), [2], text),
        mapping_row(),
        one(
            "Scores",
            range(S.FIRST_ROW, S.FIRST_ROW + AGENTS),
            [S.RED_LINE_TICK],
            st.sampled_from([YES, NO]),
        ),
        one("Scores", range(S.FIRST_ROW, S.FIRST_ROW + AGENTS), [S.APPEAL], text),
        one(
            "Appeals", range(Ap.FIRST_ROW, Ap.FIRST_ROW + 5), [Ap.AGENT, Ap.REASON, Ap.TARGET], text
        ),
        one(
            "Appeals",
            range(Ap.FIRST_ROW, Ap.FIRST_ROW + 5),
            [Ap.STATUS],
            st.sampled_from(["通过", "待审"]),
        ),
        one("QA", range(Qa.ROW_WEIGHT, Qa.ROW_WEIGHT + 1), [2], st.integers(0, 30)),
        one("Calls", range(Ca.ROW_SL_SECONDS, Ca.ROW_SHORT_ABANDON + 1), [2], st.integers(0, 60)),
        one("QA", range(Qa.FIRST_ROW, Qa.FIRST_ROW + 5), [Qa.AGENT, Qa.TICKET, Qa.ITEMS], text),
        one("QA", range(Qa.FIRST_ROW, Qa.FIRST_ROW + 5), [Qa.SCORE], st.integers(0, 100)),
        one(
            "QA",
            range(Qa.FIRST_ROW, Qa.FIRST_ROW + 5),
            [Qa.DATE],
            st.dates(date(2026, 2, 1), date(2026, 4, 30)),
        ),
        one("Aliases", range(Al.FIRST_ROW, Al.FIRST_ROW + 3), [Al.SPELLING, Al.AGENT_ID], text),
        # The team as the data writes it (spaces around it compare equal): a team the Data
        # sheet has no ticket of is refused (tests/workbook/test_team_plan.py).
        one("Settings", range(St.ROW_TEAM, St.ROW_TEAM + 1), [2], st.sampled_from(TEAM_EDITS)),
        one(
            "Settings",
            range(St.ROW_AS_OF_INPUT, St.ROW_AS_OF_INPUT + 1),
            [2],
            st.dates(date(2026, 1, 1), date(2026, 12, 31)),
        ),
        one(
            "Settings",
            range(St.ROW_ACTIVE_CUSTOMERS, St.ROW_ACTIVE_CUSTOMERS + 1),
            [2],
            st.integers(1_000, 100_000),
        ),
        one("Settings", range(St.ROW_FRT_TARGET, St.ROW_RT_TARGET + 1), [2], st.integers(10, 900)),
        one("Settings", range(St.ROW_EXE_PATH, St.ROW_PYTHON + 1), [2], text),
        peak_hours(),
    )


COLOURS = ["FFC00000", "FF0070C0", "FF00B050", "FF7030A0"]
FILLS = ["FFFFFF00", "FFFFC7CE", "FFC6EFCE", "FFDDEBF7"]
styles = st.one_of(
    st.none(), st.tuples(st.booleans(), st.sampled_from(COLOURS), st.sampled_from(FILLS))
)


@lru_cache
def agent_names() -> tuple[str, ...]:
    """The agents on the refreshed fixture's Scores sheet (its first AGENTS rows)."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = sheet(copy_of(refreshed_bytes(), Path(tmp)), "Scores")
    names = tuple(at(rows, S.FIRST_ROW + n, S.AGENT) for n in range(AGENTS))
    assert all(names) and at(rows, S.FIRST_ROW + AGENTS, S.AGENT) == ""
    return names


def _same(a: object, b: object) -> bool:
    if isinstance(a, date) and not isinstance(a, datetime):
        a = datetime.combine(a, time())
    if isinstance(b, date) and not isinstance(b, datetime):
        b = datetime.combine(b, time())
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def _look(cell) -> tuple:
    return (
        cell.font.b,
        cell.font.color.rgb if cell.font.color is not None else None,
        cell.fill.fill_type,
        cell.fill.fgColor.rgb,
        cell.number_format,
        cell.protection.locked,
    )


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    changes=st.lists(st.tuples(edits(), styles), min_size=1, max_size=12),
    restyle=st.lists(st.tuples(edits(), styles.filter(bool)), max_size=3),
)
def test_refresh_keeps_every_input_edit_and_every_part_it_does_not_own(
    tmp_path_factory, changes, restyle
):
    wb = openpyxl.load_workbook(io.BytesIO(refreshed_bytes()))
    edited: dict[Cell, tuple[object, tuple]] = {}
    # Value (and maybe style) edits, then style-only edits of other input cells.
    plan = [(c, s, True) for c, s in changes] + [(c, s, False) for c, s in restyle]
    for cells, look, value_edit in plan:
        for (key, r, c), value in cells.items():
            cell = wb[layout.title(key, LANG)].cell(r, c)
            if value_edit:
                cell.value = value
            if look is not None:
                bold, colour, fill = look
                cell.font = Font(name=cell.font.name, sz=cell.font.sz, b=bold, color=colour)
                cell.fill = PatternFill("solid", fgColor=fill)
            edited[(key, r, c)] = (cell.value, _look(cell))
    path = tmp_path_factory.mktemp("edited") / "plan.xlsx"
    wb.save(path)
    before = parts(path)
    with zipfile.ZipFile(path) as z:
        styles_before = z.read("xl/styles.xml")

    refresh(PackageBook(path), MONTH, now=NOW)

    after = parts(path)
    assert sorted(after) == sorted(before)
    owned = {sheet_part(path, key) for key in OWNED} | {_data_table_part(path)}
    # workbook.xml: refresh rewrites every sheet's print area (csxl/workbook/printing.py).
    owned.add("xl/workbook.xml")
    with zipfile.ZipFile(path) as z:
        names = z.read("xl/workbook.xml")
    assert b"_xlnm.Print_Area" in names
    # styles.xml: the number formats of rows written below the template's (Trend, Errors;
    # csxl/workbook/numfmt.py) are appended; every style a cell uses keeps its index.
    owned.add("xl/styles.xml")
    with zipfile.ZipFile(path) as z:
        new_styles = z.read("xl/styles.xml")
    xfs = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
    formats = re.compile(rb"<numFmt [^>]*/>")
    changed = sorted(n for n in before if before[n] != after[n])
    assert set(changed) <= owned, f"refresh rewrote parts it does not own: {changed}"
    assert before[sheet_part(path, "Data")] == after[sheet_part(path, "Data")]
    if "xl/styles.xml" in changed:
        old_styles = styles_before
        assert xfs.search(new_styles)[1].startswith(xfs.search(old_styles)[1])
        assert formats.findall(new_styles)[: len(formats.findall(old_styles))] == (
            formats.findall(old_styles)
        )

    wb = openpyxl.load_workbook(path)
    lost = []
    for (key, r, c), (value, look) in sorted(edited.items()):
        cell = wb[layout.title(key, LANG)].cell(r, c)
        if not _same(cell.value, value) or _look(cell) != look:
            lost.append(
                f"{key}!{cell.coordinate}: {value!r} {look} -> {cell.value!r} {_look(cell)}"
            )
    assert lost == []


def _data_table_part(path) -> str:
    """The Data sheet's table part (tblData), which a paste may resize."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/tables/") and b'"tblData"' in zf.read(name):
                return name
    raise AssertionError("no tblData table part")


def test_refresh_of_a_csxl_written_plan_rewrites_only_owned_parts(tmp_path):
    """Without openpyxl in between: pasted, refreshed, refreshed again after a Scores note."""
    path = copy_of(refreshed_bytes(), tmp_path)
    book = PackageBook(path)
    book.write("Scores", {(S.FIRST_ROW, S.APPEAL): "复核中"})
    book.commit()
    before = parts(path)
    refresh(PackageBook(path), MONTH, now=NOW)
    after = parts(path)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {sheet_part(path, key) for key in OWNED}
    assert at(sheet(path, "Scores"), S.FIRST_ROW, S.APPEAL) == "复核中"
