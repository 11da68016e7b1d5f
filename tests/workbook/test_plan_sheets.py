"""The plan's Guide, Dashboard, Scores, Data, Mapping, Errors and Trend sheets, in zh and en."""

from __future__ import annotations

import math
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils.cell import coordinate_from_string, range_boundaries
from python_calamine import CalamineWorkbook

from csxl.domain import scoring
from csxl.domain.catalog import CATALOG
from csxl.domain.columns import COLUMNS, LABELS, Kind
from csxl.domain.scoring import DEFAULT_TARGETS, Incentives
from csxl.domain.synonyms import Synonyms
from csxl.readers.mapping import read_mapping
from csxl.readers.read import read_table
from csxl.workbook import layout, style
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build
from csxl.workbook.layout import Dashboard as D
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Mapping as M
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import col
from csxl.workbook.sheets import SHEET_BUILDERS
from csxl.workbook.sheets.dashboard import SCORE_ROW
from csxl.workbook.sheets.mapping import EXAMPLES, LIST_COL
from tests.plan_fixtures import seconds_shown

LANGS = ("zh", "en")
MINE = ("Guide", "Dashboard", "Scores", "Data", "Mapping", "Errors", "Trend")
# Every tier, both directions, a KPI left blank (drops out of the score) and a weight-0 one.
ACTUALS = {
    "csat": 0.91,  # stretch
    "frt_mean": 30.0,  # challenge, met exactly (lower is better)
    "fcr": 0.7,  # below baseline
    "resolution_rate": 0.9,  # baseline, met exactly
    "reopen_rate": 0.12,  # below baseline (lower is better)
    "complaints_per_10k": 14.0,  # baseline
    "bad_review_reviewed": 1.0,  # challenge, weight 0
}


def inputs(lang: str, **changes) -> PlanInputs:
    fields = {"year": 2026, "team": "售后一组", "today": date(2026, 3, 15), "actuals": ACTUALS}
    return PlanInputs(lang=lang, **(fields | changes))


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plans")
    paths = {}
    for lang in LANGS:
        paths[lang] = folder / f"plan_{lang}.xlsx"
        paths[lang].write_bytes(build(inputs(lang)))
    return paths


@pytest.fixture(scope="module")
def books(plans):
    return {lang: load_workbook(path) for lang, path in plans.items()}


def sheet(books, lang: str, key: str):
    return books[lang][layout.title(key, lang)]


def cached(path: Path, key: str, lang: str) -> dict[str, object]:
    """Cached values of a sheet by address ("B6"), as a fast reader sees them."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(layout.title(key, lang)).to_python(skip_empty_area=False)
    return {f"{col(c + 1)}{r + 1}": v for r, row in enumerate(rows) for c, v in enumerate(row)}


def formula_cells(ws) -> dict[str, str]:
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.data_type == "f"}


# ---------------------------------------------------------------- every sheet, both languages
@pytest.mark.parametrize("lang", LANGS)
def test_every_sheet_in_the_language(books, lang):
    assert books[lang].sheetnames == [s.title(lang) for s in layout.SHEETS]
    assert books[lang].active.title == layout.title("Guide", lang)


def test_builders_registered_after_the_existing_ones():
    keys = list(SHEET_BUILDERS)
    assert keys[:3] == ["Settings", "Incentives", "Goals"]
    assert set(MINE) <= set(keys)


@pytest.mark.parametrize("lang", LANGS)
def test_protection(books, lang):
    for key in MINE:
        ws = sheet(books, lang, key)
        assert ws.protection.sheet is (key != "Data"), key
        assert not ws.protection.password, key


# ---------------------------------------------------------------- Guide
@pytest.mark.parametrize("lang", LANGS)
def test_guide_lists_every_sheet_with_a_link(books, lang):
    ws = sheet(books, lang, "Guide")
    column_a = {}  # the sheet list comes first (a ribbon button may share a sheet's name)
    for c in ws["A"]:
        if c.value is not None:
            column_a.setdefault(c.value, c)
    for s in layout.SHEETS:
        name = s.title(lang)
        assert name in column_a, name
        assert column_a[name].hyperlink.location == f"'{name}'!A1"


@pytest.mark.parametrize("lang", LANGS)
def test_guide_explains_buttons_commands_colours_and_protection(books, lang):
    ws = sheet(books, lang, "Guide")
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    buttons = {
        "zh": ("校验数据", "刷新指标", "计算考核", "新建计划", "批量生成", "汇总", "排班测算"),
        "en": ("Validate", "Refresh", "Score", "New plan", "Batch", "Consolidate", "Staffing"),
    }
    for word in buttons[lang]:
        assert word in text
    plan = "计划.xlsx" if lang == "zh" else "plan.xlsx"
    assert f"csxl refresh {plan}" in text
    assert ("没有密码" if lang == "zh" else "without a password") in text
    fills = {c.fill.fgColor.rgb[-6:] for row in ws.iter_rows() for c in row if c.fill.fill_type}
    assert {*style.FLAG_FILLS, style.INPUT_FILL} <= fills


# ---------------------------------------------------------------- Data
@pytest.mark.parametrize("lang", LANGS)
def test_data_table_header_is_the_canonical_labels(books, lang):
    ws = sheet(books, lang, "Data")
    table = ws.tables[layout.Data.TABLE]
    assert table.ref == f"A1:{col(len(COLUMNS))}2"
    assert table.tableStyleInfo is not None
    labels = [LABELS[c][0 if lang == "zh" else 1] for c in COLUMNS]
    assert [c.value for c in ws[layout.Data.HEADER_ROW]] == labels
    assert [c.name for c in table.tableColumns] == labels
    synonyms = Synonyms()
    for column, label in zip(COLUMNS, labels, strict=True):
        assert synonyms.lookup(label).column == column, label
    assert ws.freeze_panes == "A2"
    for n, kind in enumerate(COLUMNS.values(), start=1):
        if kind is Kind.DATETIME:
            assert ws.cell(layout.Data.FIRST_ROW, n).number_format == style.DATETIME


@pytest.mark.parametrize("lang", LANGS)
def test_reader_finds_the_data_header(plans, lang):
    table = read_table(plans[lang])
    assert table.sheet == layout.title("Data", lang)
    assert table.header_row == layout.Data.HEADER_ROW
    # Every heading is known; under an empty plan's headings only the required columns
    # stay (an empty column counts as absent).
    assert set(table.match.candidates) == set(COLUMNS)
    assert set(table.match.columns) == {"ticket_id", "created_at"}
    assert table.match.unmapped == [] and table.match.ambiguous == []
    assert len(table.frame) == 0


# ---------------------------------------------------------------- Mapping
@pytest.mark.parametrize("lang", LANGS)
def test_mapping_table_is_read_by_the_mapping_reader(books, lang, tmp_path):
    ws = sheet(books, lang, "Mapping")
    last = M.FIRST_ROW + M.ROWS - 1
    assert ws.tables[M.TABLE].ref == f"A{M.HEADER_ROW}:D{last}"
    copy = Workbook()
    for row in ws.iter_rows(min_row=M.HEADER_ROW, max_row=last, max_col=M.SCALE, values_only=True):
        copy.active.append(row)
    copy.save(tmp_path / "mapping.xlsx")
    expected = [(h, c, float(s or 1)) for h, c, s, _ in EXAMPLES[lang]]
    assert read_mapping(tmp_path / "mapping.xlsx") == expected
    Synonyms().extend(expected)  # every example names a real column


@pytest.mark.parametrize("lang", LANGS)
def test_mapping_inputs_validations_and_column_list(books, lang):
    ws = sheet(books, lang, "Mapping")
    rows = range(M.FIRST_ROW, M.FIRST_ROW + M.ROWS)
    for r in rows:
        for c in (M.HEADER, M.COLUMN, M.SCALE, M.SOURCE):
            assert ws.cell(r, c).protection.locked is False
    keys = [ws.cell(M.FIRST_ROW + i, LIST_COL).value for i in range(len(COLUMNS))]
    assert keys == list(COLUMNS)
    for i, column in enumerate(COLUMNS):
        r = M.FIRST_ROW + i
        assert ws.cell(r, LIST_COL + 1).value == LABELS[column][0]
        assert ws.cell(r, LIST_COL + 2).value == LABELS[column][1]
        assert ws.cell(r, LIST_COL).protection.locked is True
    by_type = {dv.type: dv for dv in ws.data_validations.dataValidation}
    listed = by_type["list"]
    min_col, min_row, max_col, max_row = range_boundaries(listed.formula1)
    assert (min_col, max_col) == (LIST_COL, LIST_COL)
    assert [ws.cell(r, LIST_COL).value for r in range(min_row, max_row + 1)] == list(COLUMNS)
    assert {f"B{r}" for r in rows} <= set(str(listed.sqref).split())
    scale = by_type["decimal"]
    assert (scale.operator, scale.formula1) == ("greaterThan", "0")
    assert {f"C{r}" for r in rows} <= set(str(scale.sqref).split())


# ---------------------------------------------------------------- Dashboard
CASES = {
    "step": {},
    "linear, other actuals": {
        "incentives": Incentives(mode="linear"),
        "actuals": {"csat": 0.97, "frt_mean": 90.0, "fcr": 0.9, "survey_response_rate": 0.3},
    },
    "no actuals": {"actuals": {}},
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_caches_what_goals_shows(lang, case, tmp_path):
    plan = inputs(lang, **CASES[case])
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build(plan))
    dash, goals = cached(path, "Dashboard", lang), cached(path, "Goals", lang)
    pairs = {
        D.LABEL: G.LABEL,
        D.ACTUAL: G.ACTUAL,
        D.BASELINE: G.BASELINE,
        D.STRETCH: G.STRETCH,
        D.CHALLENGE: G.CHALLENGE,
        D.TIER: G.TIER,
        D.VARIANCE_PCT: G.VARIANCE_PCT,
    }
    for i, target in enumerate(plan.targets):
        for dc, gc in pairs.items():
            shown = dash[f"{col(dc)}{D.FIRST_ROW + i}"]
            value = goals[f"{col(gc)}{G.FIRST_ROW + i}"]
            if target.unit == "s" and dc not in (D.LABEL, D.TIER, D.VARIANCE_PCT) and value != "":
                # a duration: shown as 分:秒, the seconds / 86400
                assert seconds_shown(shown) == pytest.approx(value, abs=1e-3), (target.key, dc)
            else:
                assert shown == value, (target.key, dc)
        # And independently of Goals: the label and the tier of the domain rules.
        level = scoring.tier(plan.actuals.get(target.key), target)
        tier = "" if level is None else scoring.TIER_LABELS[lang][level]
        assert dash[f"{col(D.TIER)}{D.FIRST_ROW + i}"] == tier
        assert dash[f"{col(D.LABEL)}{D.FIRST_ROW + i}"] == CATALOG[target.key].label(lang)
    g = G.last_row() + 1
    assert dash[f"{col(D.ACTUAL)}{SCORE_ROW}"] == goals[f"{col(G.ACTUAL)}{g}"]
    assert dash[f"{col(D.TIER)}{SCORE_ROW}"] == goals[f"{col(G.TIER)}{g}"]
    tiers = [dash[f"{col(D.TIER)}{D.FIRST_ROW + i}"] for i in range(len(plan.targets))]
    assert sum(t != "" for t in tiers) == len(plan.actuals)
    # A new plan has not been refreshed: the refresh row shows blanks, not 0.
    for c in (D.REFRESHED_AT, D.REFRESH_ROWS, D.REFRESH_MONTH):
        assert dash[f"{c}{D.ROW_REFRESHED}"] == ""


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_formulas_refer_to_goals_and_settings(books, lang):
    ws = sheet(books, lang, "Dashboard")
    formulas = formula_cells(ws)
    goals = f"'{layout.title('Goals', lang)}'!"
    for i in range(G.KPI_ROWS):
        for c in range(D.LABEL, D.VARIANCE_PCT + 1):
            assert goals in formulas[f"{col(c)}{D.FIRST_ROW + i}"]
    assert goals + f"$J${G.FIRST_ROW}" in formulas[f"{col(D.TIER)}{D.FIRST_ROW}"]
    settings = f"'{layout.title('Settings', lang)}'!"
    for c, row in (
        (D.REFRESHED_AT, layout.Settings.ROW_LAST_REFRESH),
        (D.REFRESH_ROWS, layout.Settings.ROW_SOURCE_ROWS),
        (D.REFRESH_MONTH, layout.Settings.ROW_REFRESH_MONTH),
    ):
        assert formulas[f"{c}{D.ROW_REFRESHED}"] == (
            f'=IF(ISBLANK({settings}$B${row}),"",{settings}$B${row})'
        )


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_chart_tier_colours_and_tags_block(books, lang):
    ws = sheet(books, lang, "Dashboard")
    (chart,) = ws._charts
    anchor_col, anchor_row = coordinate_from_string(D.CHART_ANCHOR)
    assert (chart.anchor._from.col + 1, chart.anchor._from.row + 1) == (
        range_boundaries(f"{anchor_col}1")[0],
        anchor_row,
    )
    ratio_rows = [D.FIRST_ROW + i for i, t in enumerate(DEFAULT_TARGETS) if t.unit == "%"]
    name = f"'{ws.title}'"
    for series, c in zip(chart.series, (D.ACTUAL, D.STRETCH), strict=True):
        refs = series.val.numRef.f.strip("()").split(",")
        assert refs == [f"{name}!${col(c)}${r}" for r in ratio_rows]
    assert chart.y_axis.number_format.formatCode == "0%"

    tier_area = f"{col(D.TIER)}{D.FIRST_ROW}:{col(D.TIER)}{D.FIRST_ROW + G.KPI_ROWS - 1}"
    rules = [r for cf in ws.conditional_formatting if str(cf.sqref) == tier_area for r in cf.rules]
    assert len(rules) == 4
    fills = [r.dxf.fill.fgColor.rgb[-6:] for r in rules]
    assert fills == list(style.FLAG_FILLS)

    assert [ws.cell(D.TAGS_HEADER_ROW, c).value for c in (1, 2, 3)] == (
        ["标签", "工单数", "预警"] if lang == "zh" else ["Tag", "Tickets", "Alert"]
    )
    for r in range(D.TAGS_FIRST_ROW, D.TAGS_FIRST_ROW + D.TAGS_ROWS):
        assert [ws.cell(r, c).value for c in (1, 2, 3)] == [None, None, None]
        assert ws.cell(r, 1).protection.locked is True
    assert SCORE_ROW < D.TAGS_TITLE_ROW


# ---------------------------------------------------------------- Scores
def test_scores_columns_follow_the_kpi_count():
    scored = [t for t in DEFAULT_TARGETS if "agent" in t.scored_for]
    assert len(scored) == S.KPI_COUNT
    kpi_columns = [c for i in range(S.KPI_COUNT) for c in (S.kpi_value(i), S.kpi_points(i))]
    trailing = [S.SCORE, S.GRADE, S.BONUS, S.ESCALATED, S.DEDUCTIONS, S.RED_LINES, S.AWARD]
    columns = [S.AGENT, S.TEAM, S.TICKETS, S.ANSWERED, *kpi_columns, *trailing]
    columns += [S.RED_LINE_TICK, S.APPEAL, S.ADJUSTED, S.QA_VALUE, S.QA_POINTS]
    columns += [S.DAYS_IN_TEAM, S.DAYS_IN_MONTH, S.SHARE]
    assert columns == list(range(1, S.LAST + 1))


@pytest.mark.parametrize("lang", LANGS)
def test_scores_manager_columns_unlocked_owned_locked(books, lang):
    ws = sheet(books, lang, "Scores")
    scored = [t for t in DEFAULT_TARGETS if "agent" in t.scored_for]
    for i, target in enumerate(scored):
        assert ws.cell(S.KEY_ROW, S.kpi_value(i)).value == target.key
        assert ws.cell(S.HEADER_ROW, S.kpi_value(i)).value == CATALOG[target.key].label(lang)
    headers = [ws.cell(S.HEADER_ROW, c).value for c in range(1, S.LAST + 1)]
    assert all(headers)
    assert headers[S.RED_LINE_TICK - 1] == (
        "经核实的升级投诉" if lang == "zh" else "Verified escalated complaint"
    )
    assert ws.cell(S.HEADER_ROW, S.LAST + 1).value is None
    for r in range(S.FIRST_ROW, S.last_row() + 1):
        for c in range(S.AGENT, S.AWARD + 1):
            assert ws.cell(r, c).protection.locked is True, (r, c)
        for c in (S.RED_LINE_TICK, S.APPEAL):
            assert ws.cell(r, c).protection.locked is False, (r, c)
            assert ws.cell(r, c).style == style.INPUT
    (tick,) = ws.data_validations.dataValidation
    assert tick.type == "list"
    assert tick.formula1 == ('"是,否"' if lang == "zh" else '"Yes,No"')
    tick_col = col(S.RED_LINE_TICK)
    cells = {f"{tick_col}{r}" for r in range(S.FIRST_ROW, S.last_row() + 1)}
    assert set(str(tick.sqref).split()) == cells
    assert ws.freeze_panes == f"B{S.FIRST_ROW}"


def test_scores_refuse_a_plan_whose_kpis_do_not_fit_the_layout():
    with pytest.raises(ValueError, match="KPI column pairs"):
        build(inputs("zh", targets=DEFAULT_TARGETS[:3], actuals={}))


# ---------------------------------------------------------------- Errors, Trend
@pytest.mark.parametrize("lang", LANGS)
def test_errors_and_trend_are_empty_owned_regions(books, lang):
    for key, cls, last in (
        ("Errors", layout.Errors, layout.Errors.VALUE),
        ("Trend", layout.Trend, layout.Trend.POINTS),
    ):
        ws = sheet(books, lang, key)
        headers = [ws.cell(cls.HEADER_ROW, c).value for c in range(1, last + 2)]
        assert all(headers[:-1]) and headers[-1] is None, key
        # Nothing below the header (Trend's chart block has formatted, empty rows).
        assert all(c.value is None for row in ws.iter_rows(min_row=cls.FIRST_ROW) for c in row)
        assert ws.freeze_panes == f"A{cls.FIRST_ROW}", key
        assert ws._charts == [], key


# ---------------------------------------------------------------- zh and en: one structure
def structure(wb) -> dict:
    out = {}
    for ws in wb.worksheets:
        out[layout.sheet_key(ws.title)] = {
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "formulas": sorted(formula_cells(ws)),
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "validations": sorted(
                (dv.type or "", str(dv.sqref)) for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(str(cf.sqref) for cf in ws.conditional_formatting),
            "charts": len(ws._charts),
            "protected": ws.protection.sheet,
            "used": (ws.max_row, ws.max_column),
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
        }
    return out


def test_zh_and_en_have_the_same_structure(books):
    zh, en = structure(books["zh"]), structure(books["en"])
    assert list(zh) == [s.key for s in layout.SHEETS]
    assert list(zh) == list(en)
    for key in zh:
        for part in zh[key]:
            if key == "Data" and part == "widths":
                continue  # widths follow the length of the labels
            assert zh[key][part] == en[key][part], (key, part)


# ---------------------------------------------------------------- formulas: the allowed list
@pytest.mark.parametrize("lang", LANGS)
def test_every_formula_of_the_plan_passes_the_lint(plans, lang):
    from csxl.workbook.formula_lint import lint_workbook

    as_of = f"{layout.title('Settings', lang)}!{layout.Settings.value(layout.Settings.ROW_AS_OF)}"
    assert lint_workbook(plans[lang], volatile_cells=[as_of]) == []


# ---------------------------------------------------------------- LibreOffice recalculates the same
def test_libreoffice_computes_the_cached_dashboard(libreoffice, plans):
    result = libreoffice.recalc(plans["zh"])
    titles = {layout.title(k, "zh") for k in MINE}
    assert [e for e in result.errors() if e[0] in titles] == []
    dash = cached(plans["zh"], "Dashboard", "zh")
    last = max(SCORE_ROW, D.FIRST_ROW + G.KPI_ROWS - 1)
    for r in range(D.ROW_REFRESHED, last + 1):
        for c in range(D.LABEL, D.VARIANCE_PCT + 1):
            address = f"{col(c)}{r}"
            ours, theirs = (
                dash.get(address, ""),
                result.value(layout.title("Dashboard", "zh"), address),
            )
            if isinstance(ours, time | timedelta):  # a duration (分:秒), read back as a time
                ours = seconds_shown(ours) / 86400  # to the microsecond
                assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-10), address
            elif isinstance(ours, float):
                assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9), address
            else:
                assert (ours or None) == (theirs or None), address
