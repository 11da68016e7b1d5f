"""The Milestones, Budget and Risks sheets, in zh and en, against hand-worked values.

The sample inputs and their arithmetic are in ``tests/workbook/plan_samples.py``. The
cached values (what a fast reader sees) are checked by hand; LibreOffice then recalculates
the same workbooks and must agree with every cached value, without an error anywhere; the
conditional-formatting rules (Gantt bars, month flags, heat-map bands) are evaluated by
LibreOffice too, through probe formulas, and compared with ``csxl.domain.plan``.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from python_calamine import CalamineWorkbook

from csxl.domain import plan
from csxl.domain.plan import BudgetLine
from csxl.workbook import layout, style
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build
from csxl.workbook.formula_lint import lint_workbook
from csxl.workbook.layout import Budget as B
from csxl.workbook.layout import Milestones as M
from csxl.workbook.layout import Risks as R
from csxl.workbook.layout import col
from csxl.workbook.sheets import SHEET_BUILDERS
from csxl.workbook.sheets.budget import month_flag_rules
from csxl.workbook.sheets.milestones import gantt_rules, grid_weeks
from tests.workbook import plan_samples
from tests.workbook.parity import differences

LANGS = ("zh", "en")
MINE = ("Milestones", "Budget", "Risks")
# Extra workbooks for LibreOffice: a leap year that starts on a Sunday (54 weeks) with the
# defaults, and a past plan year (YTD covers all 12 months) with the samples.
EXTRA = {
    "zh-2040": ("zh", {"year": 2040, "milestones": None, "budget": None, "risks": None}),
    "en-2025": ("en", {"year": 2025}),
}


def at(c: int, r: int) -> str:
    return f"{col(c)}{r}"


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plan_rules")
    paths = {}
    for lang in LANGS:
        paths[lang] = folder / f"plan_{lang}.xlsx"
        paths[lang].write_bytes(build(plan_samples.plan_inputs(lang)))
    for name, (lang, changes) in EXTRA.items():
        paths[name] = folder / f"plan_{name}.xlsx"
        paths[name].write_bytes(build(plan_samples.plan_inputs(lang, **changes)))
    return paths


@pytest.fixture(scope="module")
def books(plans):
    return {name: load_workbook(path) for name, path in plans.items()}


def cached(path: Path, key: str, lang: str) -> dict[str, object]:
    """Cached values of a sheet by address, as a fast reader sees them ("" when empty)."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(layout.title(key, lang)).to_python(skip_empty_area=False)
    return {f"{col(c + 1)}{r + 1}": v for r, row in enumerate(rows) for c, v in enumerate(row)}


def day(value: object) -> date:
    """A cached date as calamine reads it (a date or a datetime)."""
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def close(a: object, b: float) -> bool:
    return isinstance(a, int | float) and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


# ---------------------------------------------------------------- registration
def test_builders_registered():
    assert set(MINE) <= set(SHEET_BUILDERS)


# ---------------------------------------------------------------- Budget: hand-worked values
@pytest.mark.parametrize("lang", LANGS)
def test_budget_cached_values(plans, lang):
    v = cached(plans[lang], "Budget", lang)
    flags = plan.BUDGET_FLAG_LABELS[lang]
    assert v[B.THROUGH] == 5
    staff, training, systems, office = (B.FIRST_ROW + i for i in range(4))
    total = B.TOTAL_ROW
    expected = {
        # row: full-year plan, YTD plan, YTD actual, YTD variance, YTD variance %, forecast, flag
        staff: (1_294_000, 420_000, 412_000, -8_000, -8_000 / 420_000, 1_286_000, "green"),
        training: (51_000, 30_000, 29_450, -550, -550 / 30_000, 50_450, "green"),
        systems: (72_000, 30_000, 33_000, 3_000, 0.1, 75_000, "red"),
        office: (42_000, 17_500, 17_850, 350, 0.02, 42_350, "amber"),
        total: (1_459_000, 602_500, 492_300, -110_200, -110_200 / 602_500, 1_348_800, "green"),
    }
    columns = (B.YEAR_PLAN, B.YTD_PLAN, B.YTD_ACTUAL, B.YTD_VARIANCE, B.YTD_VARIANCE_PCT)
    columns += (B.FORECAST,)
    for r, (*numbers, flag) in expected.items():
        for c, number in zip(columns, numbers, strict=True):
            assert close(v[at(c, r)], number), (at(c, r), v[at(c, r)], number)
        assert v[at(B.FLAG, r)] == flags[flag], r
    names = [v[at(B.CATEGORY, r)] for r in (staff, training, systems, office)]
    assert names == list(plan.DEFAULT_BUDGET_CATEGORIES[lang])
    assert v[at(B.CATEGORY, B.TOTAL_ROW)] == plan.TOTAL_LABELS[lang]

    # Training's months: March 10% over, April exactly 5% over, May under plan.
    march, april, may = 2, 3, 4
    for m, variance, pct in ((march, 800, 0.1), (april, 150, 0.05), (may, -500, -1 / 6)):
        assert close(v[at(B.VARIANCE_FIRST + m, training)], variance)
        assert close(v[at(B.VARIANCE_PCT_FIRST + m, training)], pct)
    line = plan_samples.budget(lang)[1]
    month_flags = [plan.flag(p, a) for p, a in zip(line.plan, line.actual, strict=True)]
    assert month_flags[march : may + 1] == ["red", "amber", "green"]
    # Not booked: no variance. Staff's May, and every June.
    assert v[at(B.VARIANCE_FIRST + may, staff)] == ""
    assert v[at(B.VARIANCE_PCT_FIRST + 5, training)] == ""
    # Totals row: plan sums; actual blank until some category books the month.
    assert v[at(B.PLAN_FIRST, B.TOTAL_ROW)] == 122_500
    assert v[at(B.ACTUAL_FIRST + may, B.TOTAL_ROW)] == 15_150
    assert v[at(B.ACTUAL_FIRST + 5, B.TOTAL_ROW)] == ""
    # A spare row: zero plan, nothing booked.
    spare = B.FIRST_ROW + 4
    assert [v[at(c, spare)] for c in range(B.CATEGORY, B.FLAG + 1)] == ["", 0, 0, "", "", "", 0, ""]
    assert day(v[at(B.PLAN_FIRST + 2, B.HEADER_ROW)]) == date(2026, 3, 1)


def test_budget_past_year_counts_all_twelve_months(plans):
    v = cached(plans["en-2025"], "Budget", "en")
    assert v[B.THROUGH] == 12
    assert day(v[at(B.PLAN_FIRST, B.HEADER_ROW)]) == date(2025, 1, 1)
    # Staff's May is still blank: the YTD plan leaves it out whatever the window.
    assert v[at(B.YTD_PLAN, B.FIRST_ROW)] == 420_000


def test_budget_future_year_has_no_ytd(plans):
    v = cached(plans["zh-2040"], "Budget", "zh")
    assert v[B.THROUGH] == 0
    assert v[at(B.YTD_ACTUAL, B.TOTAL_ROW)] == ""
    assert v[at(B.FORECAST, B.TOTAL_ROW)] == sum(sum(row) for row in plan.DEFAULT_BUDGET_PLAN)


@pytest.mark.parametrize("lang", LANGS)
def test_budget_inputs_chart_and_colours(books, lang):
    ws = books[lang][layout.title("Budget", lang)]
    for r in range(B.FIRST_ROW, B.last_row() + 1):
        for c in (B.CATEGORY, B.PLAN_FIRST, B.PLAN_FIRST + 11, B.ACTUAL_FIRST, B.ACTUAL_FIRST + 11):
            assert ws.cell(r, c).protection.locked is False, (r, c)
        for c in (B.YEAR_PLAN, B.FLAG, B.VARIANCE_FIRST, B.VARIANCE_PCT_FIRST):
            assert ws.cell(r, c).protection.locked is True, (r, c)
            assert ws.cell(r, c).data_type == "f"
    assert ws.cell(B.FIRST_ROW, B.PLAN_FIRST).number_format == style.MONEY
    assert ws.cell(B.TOTAL_ROW, B.ACTUAL_FIRST).data_type == "f"
    (money,) = ws.data_validations.dataValidation
    assert (money.type, money.operator) == ("decimal", "between")
    assert str(money.sqref) == "J5:U12 W5:AH12"

    (chart,) = ws._charts
    letters, row = coordinate_from_string(B.CHART_ANCHOR)
    assert (chart.anchor._from.col + 1, chart.anchor._from.row + 1) == (
        range_boundaries(f"{letters}1")[0],
        row,
    )
    refs = [s.val.numRef.f for s in chart.series]
    name = f"'{ws.title}'"
    t = B.TOTAL_ROW
    assert refs == [
        f"{name}!${col(B.PLAN_FIRST)}${t}:${col(B.PLAN_FIRST + 11)}${t}",
        f"{name}!${col(B.ACTUAL_FIRST)}${t}:${col(B.ACTUAL_FIRST + 11)}${t}",
    ]

    fills = {
        str(cf.sqref): [r.dxf.fill.fgColor.rgb[-6:] for r in cf.rules]
        for cf in ws.conditional_formatting
    }
    red, amber, green = style.FLAG_FILLS[:3]
    assert fills[f"H{B.FIRST_ROW}:H{B.TOTAL_ROW}"] == [red, amber, green]
    assert fills[f"AJ{B.FIRST_ROW}:AU{B.TOTAL_ROW}"] == [red, green, amber]
    assert fills[f"AW{B.FIRST_ROW}:BH{B.TOTAL_ROW}"] == [red, green, amber]
    assert ws.freeze_panes == f"B{B.FIRST_ROW}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth > 1  # page groups
    assert ws.print_title_cols == "$A:$A"  # the category on every page


# ---------------------------------------------------------------- Milestones
@pytest.mark.parametrize("lang", LANGS)
def test_milestones_cached_values(plans, lang):
    v = cached(plans[lang], "Milestones", lang)
    labels = plan.MILESTONE_STATUS_LABELS[lang]
    yes = "是" if lang == "zh" else "Yes"
    rows = {
        # row: elapsed share, status, overdue, behind
        5: (1.0, "done", "", ""),
        6: (1.0, "overdue", yes, yes),  # 15 May, 80%: late and 20 points behind
        7: (0.5, "behind", "", yes),  # 20 of 40 days, 39.9% done
        8: (0.5, "on_track", "", ""),  # exactly 10 points is not behind
        9: (0.0, "not_started", "", ""),
    }
    for r, (elapsed, status, overdue, behind) in rows.items():
        assert close(v[at(M.ELAPSED, r)], elapsed), r
        assert v[at(M.STATUS, r)] == labels[status], r
        assert (v[at(M.OVERDUE, r)], v[at(M.BEHIND, r)]) == (overdue, behind), r
    spare = 10
    assert [v[at(c, spare)] for c in range(M.QUARTER, M.BEHIND + 1)] == [""] * 12
    assert [v[at(M.QUARTER, r)] for r in range(5, 10)] == ["Q1", "Q2", "Q2", "Q2", "Q3"]
    assert day(v[at(M.START, 7)]) == date(2026, 5, 1)
    assert v[at(M.PCT, 7)] == 0.399

    week = M.WEEK_ROW
    assert day(v[at(M.GRID_FIRST, week)]) == date(2025, 12, 29)  # the Monday before 1 Jan
    assert day(v[at(M.GRID_FIRST + 1, week)]) == date(2026, 1, 5)
    assert day(v[at(M.GRID_FIRST + 52, week)]) == date(2026, 12, 28)
    assert v[at(M.GRID_FIRST + 53, week)] == ""  # 2026 has 53 weeks
    months = M.MONTH_ROW
    assert day(v[at(M.GRID_FIRST, months)]) == date(2026, 1, 1)
    assert v[at(M.GRID_FIRST + 3, months)] == ""
    assert day(v[at(M.GRID_FIRST + 4, months)]) == date(2026, 2, 1)  # week of 26 Jan - 1 Feb
    labelled = [day(v[at(c, months)]) for c in range(M.GRID_FIRST, M.grid_last() + 1)]
    assert [d for d in labelled if d] == [date(2026, m, 1) for m in range(1, 13)]
    # The grid is empty: conditional formatting paints it.
    for r in range(M.FIRST_ROW, M.last_row() + 1):
        assert v[at(M.GRID_FIRST + 20, r)] == ""


def test_milestones_54_weeks_and_defaults(plans, books):
    v = cached(plans["zh-2040"], "Milestones", "zh")
    assert day(v[at(M.GRID_FIRST, M.WEEK_ROW)]) == date(2039, 12, 26)
    assert day(v[at(M.grid_last(), M.WEEK_ROW)]) == date(2040, 12, 31)
    assert len(grid_weeks(2040)) == M.WEEKS
    defaults = plan.default_milestones(2040, "zh")
    for i, m in enumerate(defaults):
        r = M.FIRST_ROW + i
        assert v[at(M.NAME, r)] == m.milestone
        assert v[at(M.OWNER, r)] == m.owner
        assert (day(v[at(M.START, r)]), day(v[at(M.END, r)])) == (m.start, m.end)
        assert v[at(M.STATUS, r)] == plan.MILESTONE_STATUS_LABELS["zh"]["not_started"]


@pytest.mark.parametrize("lang", LANGS)
def test_milestones_inputs_validations_and_gantt_rules(books, lang):
    ws = books[lang][layout.title("Milestones", lang)]
    for r in range(M.FIRST_ROW, M.last_row() + 1):
        for c in range(M.QUARTER, M.PCT + 1):
            assert ws.cell(r, c).protection.locked is False, (r, c)
        for c in (M.ELAPSED, M.STATUS, M.OVERDUE, M.BEHIND):
            assert ws.cell(r, c).protection.locked is True
            assert ws.cell(r, c).data_type == "f"
        assert ws.cell(r, M.GRID_FIRST).value is None
    rows = f"{M.FIRST_ROW}:{M.last_row()}".split(":")

    def area(c: int) -> str:
        return f"{col(c)}{rows[0]}:{col(c)}{rows[1]}"

    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations[area(M.QUARTER)].formula1 == '"Q1,Q2,Q3,Q4"'
    owner = validations[area(M.OWNER)]
    assert owner.type == "list" and owner.errorStyle == "information"  # any name is fine
    assert validations[area(M.START)].type == "date"
    end = validations[area(M.END)]
    assert (end.type, end.operator, end.formula1) == ("date", "greaterThanOrEqual", "F5")
    pct = validations[area(M.PCT)]
    assert (pct.type, pct.formula1, pct.formula2) == ("decimal", "0", "1")

    grid = f"{col(M.GRID_FIRST)}{M.FIRST_ROW}:{col(M.grid_last())}{M.last_row()}"
    (gantt,) = [cf for cf in ws.conditional_formatting if str(cf.sqref) == grid]
    rules = gantt_rules()
    assert [r.formula[0] for r in gantt.rules] == [rules[k] for k in ("done", "planned", "today")]
    fills = [r.dxf.fill.fgColor.rgb[-6:] for r in gantt.rules]
    assert len(set(fills)) == 3
    assert not any(r.stopIfTrue for r in gantt.rules)  # Excel draws the today border on bars
    for formula in rules.values():
        assert "TODAY" not in formula
    assert "csxl_AsOf" in rules["today"]
    assert ws.freeze_panes == f"C{M.FIRST_ROW}"
    assert ws.print_title_rows == f"${M.MONTH_ROW}:${M.HEADER_ROW}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.column_dimensions[col(M.GRID_FIRST)].width < 5
    assert ws.protection.sheet and not ws.protection.password


# ---------------------------------------------------------------- Risks
@pytest.mark.parametrize("lang", LANGS)
def test_risks_cached_values(plans, lang):
    v = cached(plans[lang], "Risks", lang)
    levels = plan.RISK_LEVEL_LABELS[lang]
    rows = {
        5: (12, "high"),  # 3 x 4
        6: (10, "high"),  # 2 x 5
        7: (9, "medium"),
        8: (20, "critical"),  # 5 x 4
        9: (8, "medium"),
        10: (25, "critical"),  # closed
        11: (2, "low"),
    }
    for r, (score, level) in rows.items():
        assert v[at(R.SCORE, r)] == score, r
        assert v[at(R.LEVEL, r)] == levels[level], r
    assert (v[at(R.SCORE, 12)], v[at(R.LEVEL, 12)]) == ("", "")  # unrated
    assert v[at(R.RISK, 5)] == plan.DEFAULT_RISKS[lang][0].risk
    assert v[at(R.STATUS, 10)] == plan.RISK_STATUSES[lang][-1]

    heat = {(lk, im): v[R.heat_cell(lk, im)] for lk in plan.SCALE for im in plan.SCALE}
    ones = {(3, 4), (2, 5), (3, 3), (5, 4), (4, 2), (1, 2)}
    assert heat == {cell: int(cell in ones) for cell in heat}  # (5, 5) is closed: 0
    assert R.heat_cell(5, 1) == f"P{R.HEAT_FIRST_ROW}"
    assert R.heat_cell(1, 5) == f"T{R.HEAT_FIRST_ROW + 4}"
    assert [v[f"O{R.HEAT_FIRST_ROW + i}"] for i in range(5)] == [5, 4, 3, 2, 1]
    assert [v[f"{col(R.HEAT_COL + i)}{R.HEAT_IMPACT_ROW}"] for i in plan.SCALE] == [1, 2, 3, 4, 5]
    # Open risks per level, highest first.
    legend = [
        (v[at(R.HEAT_COL, R.LEGEND_FIRST_ROW + i)], v[at(R.HEAT_COL + 3, R.LEGEND_FIRST_ROW + i)])
        for i in range(4)
    ]
    assert legend == [
        (levels["critical"], 1),
        (levels["high"], 2),
        (levels["medium"], 2),
        (levels["low"], 1),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_risks_inputs_and_validations(books, lang):
    ws = books[lang][layout.title("Risks", lang)]
    for r in range(R.FIRST_ROW, R.last_row() + 1):
        for c in range(R.ID, R.REVIEW + 1):
            locked = c in (R.SCORE, R.LEVEL)
            assert ws.cell(r, c).protection.locked is locked, (r, c)
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    rating = validations[f"D5:D{R.last_row()} E5:E{R.last_row()}"]
    assert (rating.type, rating.formula1, rating.formula2) == ("whole", "1", "5")
    status = validations[f"L5:L{R.last_row()}"]
    assert status.formula1 == '"' + ",".join(plan.RISK_STATUSES[lang]) + '"'
    assert validations[f"M5:M{R.last_row()}"].type == "date"
    heat = f"P{R.HEAT_FIRST_ROW}:T{R.HEAT_FIRST_ROW + 4}"
    (bands,) = [cf for cf in ws.conditional_formatting if str(cf.sqref) == heat]
    assert len({r.dxf.fill.fgColor.rgb for r in bands.rules}) == 4
    assert ws.freeze_panes == f"C{R.FIRST_ROW}"


def test_default_risks_prefilled(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build(PlanInputs(lang="en", year=2026, today=date(2026, 1, 1))))
    v = cached(path, "Risks", "en")
    for i, risk in enumerate(plan.DEFAULT_RISKS["en"]):
        r = R.FIRST_ROW + i
        assert [v[at(c, r)] for c in (R.ID, R.RISK, R.LIKELIHOOD, R.IMPACT, R.STATUS)] == [
            risk.id,
            risk.risk,
            risk.likelihood,
            risk.impact,
            risk.status,
        ]
    b = cached(path, "Budget", "en")
    assert b[at(B.CATEGORY, B.FIRST_ROW + 3)] == "Office"
    assert b[at(B.YEAR_PLAN, B.TOTAL_ROW)] == sum(sum(row) for row in plan.DEFAULT_BUDGET_PLAN)


@pytest.mark.parametrize(
    "field, rows",
    [
        ("milestones", M.ROWS),
        ("budget", B.CATEGORY_ROWS),
        ("risks", R.ROWS),
    ],
)
def test_too_many_rows_are_refused(field, rows):
    one = {
        "milestones": plan_samples.milestones("zh")[0],
        "budget": BudgetLine("x", (1,) * 12),
        "risks": plan.DEFAULT_RISKS["zh"][0],
    }[field]
    with pytest.raises(ValueError, match="rows"):
        build(PlanInputs(lang="zh", year=2026, **{field: [one] * (rows + 1)}))


# ---------------------------------------------------------------- lint and structure
@pytest.mark.parametrize("name", [*LANGS, *EXTRA])
def test_lint_reports_nothing_for_these_sheets(plans, name):
    problems = lint_workbook(plans[name], volatile_cells=("设置!B8", "Settings!B8"))
    titles = {layout.title(k, lang) for k in MINE for lang in LANGS}
    assert [p for p in problems if p.split("!")[0] in titles] == []


def structure(ws) -> dict:
    cells = [c for row in ws.iter_rows() for c in row]
    return {
        "formulas": sorted(c.coordinate for c in cells if c.data_type == "f"),
        "inputs": sorted(c.coordinate for c in cells if c.style == style.INPUT),
        "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "validations": sorted(
            (dv.type or "", str(dv.sqref)) for dv in ws.data_validations.dataValidation
        ),
        "conditional": sorted((str(cf.sqref), len(cf.rules)) for cf in ws.conditional_formatting),
        "charts": len(ws._charts),
        "used": (ws.max_row, ws.max_column),
        "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
        "print_titles": ws.print_title_rows,
    }


def test_zh_and_en_have_the_same_structure(books):
    for key in MINE:
        zh = structure(books["zh"][layout.title(key, "zh")])
        en = structure(books["en"][layout.title(key, "en")])
        assert zh == en, key
        assert len(zh["formulas"]) > 20, key


# ---------------------------------------------------------------- LibreOffice
PROBE_OFFSET = 200  # probe cells sit this many rows below the cell they evaluate


def add_probes(ws, area: str, formulas: list[str]) -> None:
    """Below each cell of ``area``, a formula giving one 0/1 digit per conditional-format
    rule: whether the rule holds for that cell (an error counts as not holding)."""
    min_col, min_row, max_col, max_row = range_boundaries(area)
    origin = f"{col(min_col)}{min_row}"
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            digits = []
            for formula in formulas:
                moved = Translator("=" + formula, origin=origin).translate_formula(at(c, r))
                digits.append(f'IF(IFERROR({moved[1:]},FALSE),"1","0")')
            ws.cell(r + PROBE_OFFSET, c).value = "=" + "&".join(digits)


def cf_formulas(ws, area: str) -> list[str]:
    """The rule formulas of the conditional format on exactly ``area``, in priority order."""
    (cf,) = [cf for cf in ws.conditional_formatting if str(cf.sqref) == area]
    return [rule.formula[0] for rule in sorted(cf.rules, key=lambda rule: rule.priority)]


def probe(result, title: str, c: int, r: int) -> str:
    return result.value(title, at(c, r + PROBE_OFFSET))


def first_rule(bits: str, names: tuple[str, ...]) -> str | None:
    """What LibreOffice (and stop-if-true) shows: the first rule that holds."""
    return next((name for bit, name in zip(bits, names, strict=True) if bit == "1"), None)


@pytest.fixture(scope="module")
def recalculated(libreoffice, plans):
    return {name: libreoffice.recalc(path) for name, path in plans.items()}


@pytest.mark.parametrize("name", [*LANGS, *EXTRA])
def test_libreoffice_agrees_with_every_cached_value(recalculated, plans, name):
    result = recalculated[name]
    assert result.errors() == []
    assert differences(result, plans[name]) == []


@pytest.mark.parametrize("name", ["zh", "en-2025", "zh-2040"])
def test_conditional_formats_follow_the_plan_rules(libreoffice, books, plans, name, tmp_path):
    """Gantt bars and today week, month flags and heat-map bands, evaluated by LibreOffice."""
    lang = name[:2]
    inputs = plan_samples.plan_inputs(lang, **EXTRA.get(name, (lang, {}))[1])
    wb = load_workbook(plans[name])
    gantt = wb[layout.title("Milestones", lang)]
    grid = f"{col(M.GRID_FIRST)}{M.FIRST_ROW}:{col(M.grid_last())}{M.last_row()}"
    add_probes(gantt, grid, cf_formulas(gantt, grid))  # done, planned, today
    budget = wb[layout.title("Budget", lang)]
    block = f"{col(B.VARIANCE_FIRST)}{B.FIRST_ROW}:{col(B.VARIANCE_FIRST + 11)}{B.TOTAL_ROW}"
    flags = month_flag_rules()
    assert cf_formulas(budget, block) == [flags["red"], flags["green"], flags["amber"]]
    add_probes(budget, block, cf_formulas(budget, block))
    risks = wb[layout.title("Risks", lang)]
    heat = f"P{R.HEAT_FIRST_ROW}:T{R.HEAT_FIRST_ROW + 4}"
    add_probes(risks, heat, cf_formulas(risks, heat))
    path = tmp_path / "probes.xlsx"
    wb.save(path)
    result = libreoffice.recalc(path)

    # Gantt: every week of every row.
    milestones = inputs.milestones or plan.default_milestones(inputs.year, lang)
    as_of = inputs.effective_as_of
    weeks = grid_weeks(inputs.year)
    painted = 0
    for i in range(M.ROWS):
        r = M.FIRST_ROW + i
        m = milestones[i] if i < len(milestones) else None
        for j, week in enumerate(weeks):
            bits = probe(result, gantt.title, M.GRID_FIRST + j, r)
            state = None
            if m is not None and week is not None:
                state = plan.bar_state(week, m.start, m.end, m.pct_complete)
            today = week is not None and plan.is_today_week(week, as_of)
            assert first_rule(bits[:2], ("done", "planned")) == state, (r, week, bits)
            assert (bits[2] == "1") is today, (r, week, bits)
            painted += state is not None
    assert painted > 20 or name == "en-2025"  # the 2026 samples are off 2025's grid

    # Month flags on the variance block: plan.flag for each category and the totals row.
    lines = list(inputs.budget or plan.default_budget(lang))
    lines += [BudgetLine("", (None,) * 12)] * (B.CATEGORY_ROWS - len(lines))
    lines.append(plan.total_line(lines))
    for k, line in enumerate(lines):
        r = B.FIRST_ROW + k
        for m in range(12):
            bits = probe(result, budget.title, B.VARIANCE_FIRST + m, r)
            expected = plan.flag(line.plan[m], line.actual[m])
            assert first_rule(bits, ("red", "green", "amber")) == expected, (r, m, bits)

    # Heat map: each cell's band is the level of its likelihood x impact.
    names = tuple(name for name, _ in plan.RISK_LEVELS)
    for lk in plan.SCALE:
        for im in plan.SCALE:
            c, r = range_boundaries(R.heat_cell(lk, im))[:2]
            bits = probe(result, risks.title, c, r)
            assert first_rule(bits, names) == plan.level(lk * im), (lk, im, bits)
