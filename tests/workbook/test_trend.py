"""Trend (趋势): number formats by KPI, the team's actuals by month and a line chart per KPI
once it has two months; refresh puts the charts into the saved file (csxl.workbook.drawing)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.chart import LineChart, Reference

from csxl.domain.catalog import CATALOG
from csxl.refresh import refresh
from csxl.workbook import layout, style
from csxl.workbook.builder import build
from csxl.workbook.layout import Trend as T
from csxl.workbook.layout import col
from csxl.workbook.port import PackageBook
from csxl.workbook.sheets.trend import block
from tests.plan_fixtures import MONTH, NOW, OTHER_MONTH, copy_of, pasted_bytes, plan_inputs

LANG = "zh"


def trend_sheet(data: bytes):
    return load_workbook(io.BytesIO(data))[layout.title("Trend", LANG)]


def shown_format(ws, label: str) -> str | None:
    """The number format the value column's conditional formats give a row of `label`:
    the first rule (they stop if true) whose test names it."""
    value = f"{col(T.VALUE)}{T.FIRST_ROW}"
    for cf in ws.conditional_formatting:
        if value not in str(cf.sqref).split(":")[0]:
            continue
        for rule in cf.rules:
            names = re.findall(r'"([^"]*)"', rule.formula[0])
            if label in names:
                return rule.dxf.numFmt.formatCode
    return None


ROWS = [
    ("2026-02", "团队", "售后一组", "满意度", 0.9, "冲刺", 80),
    ("2026-02", "团队", "售后一组", "平均首响时长", 61.3, "保底", 60),
    ("2026-02", "客服", "王英", "加权得分", 77.5, "B", None),
    ("2026-03", "团队", "售后一组", "满意度", 0.87, "保底", 60),
    ("2026-03", "客服", "王英", "平均首响时长", 40.0, "冲刺", 80),  # an agent: not charted
]


def test_every_kpi_name_has_the_format_of_its_unit_in_both_languages():
    ws = trend_sheet(build(plan_inputs()))
    units = {
        "ratio": style.PERCENT,
        "count": style.INTEGER,
        "seconds": style.seconds_format(LANG),
    }
    for info in CATALOG.values():
        for label in (info.zh, info.en):
            assert shown_format(ws, label) == units.get(info.unit, style.NUMBER), label
    assert shown_format(ws, "加权得分") == style.NUMBER
    assert shown_format(ws, "经核实的升级投诉") is None  # text rows keep their look


def test_the_block_holds_the_teams_months_and_durations_in_days():
    months, figures = block_of(ROWS)
    assert months == ["2026-02", "2026-03"]
    assert figures["csat"] == [0.9, 0.87]
    assert figures["frt_mean"] == [61.3 / 86400, None]  # the agent's row is not the team's
    assert figures["fcr"] == [None, None]


def block_of(rows):
    from csxl.workbook.book import Ctx

    return block(Ctx(plan_inputs(trend=list(rows))))


def test_a_chart_per_kpi_with_two_months_and_none_before():
    assert trend_sheet(build(plan_inputs(trend=ROWS[:3])))._charts == []
    ws = trend_sheet(build(plan_inputs(trend=ROWS)))
    assert len(ws._charts) == 1  # csat has two months; first response one
    assert ws.cell(T.FIRST_ROW + 1, T.BLOCK_MONTH).value == "2026-03"
    frt = T.BLOCK_FIRST + 1
    assert "分:秒" in ws.cell(T.HEADER_ROW, frt).value
    assert ws.cell(T.FIRST_ROW, frt).number_format == style.MIN_SEC


def two_months(tmp_path: Path) -> Path:
    path = copy_of(pasted_bytes(), tmp_path)
    refresh(PackageBook(path), OTHER_MONTH, now=NOW)
    refresh(PackageBook(path), MONTH, now=NOW)
    return path


def charted(path: Path) -> int:
    """How many KPIs of the block have two months or more."""
    ws = load_workbook(path)[layout.title("Trend", LANG)]
    count = 0
    for c in range(T.BLOCK_FIRST, T.BLOCK_FIRST + T.BLOCK_KPIS):
        values = [ws.cell(T.FIRST_ROW + r, c).value for r in range(T.BLOCK_ROWS)]
        count += sum(isinstance(v, int | float | timedelta) for v in values) >= 2  # 分:秒
    return count


def package(path: Path) -> tuple[set[str], str]:
    with zipfile.ZipFile(path) as zf:
        return set(zf.namelist()), zf.read("[Content_Types].xml").decode()


def assert_consistent(path: Path) -> None:
    """Every content-type override names a part, every drawing and chart is referenced."""
    names, types = package(path)
    for part in re.findall(r'PartName="/([^"]+)"', types):
        assert part in names, part
    with zipfile.ZipFile(path) as zf:
        rels = "".join(zf.read(n).decode() for n in names if n.endswith(".rels"))
    for name in names:
        if name.startswith(("xl/drawings/", "xl/charts/")) and not name.endswith(".rels"):
            assert Path(name).name in rels, f"{name}: referenced by no relationship"


def test_refresh_draws_the_charts_into_the_file_and_replaces_them(tmp_path):
    path = two_months(tmp_path)
    n = charted(path)
    assert n >= 2
    ws = load_workbook(path)[layout.title("Trend", LANG)]
    assert len(ws._charts) == n
    assert all(isinstance(c, LineChart) for c in ws._charts)
    before, _ = package(path)
    assert_consistent(path)
    refresh(PackageBook(path), MONTH, now=NOW)  # again: the same charts, not twice as many
    after, _ = package(path)
    assert after == before
    assert len(load_workbook(path)[layout.title("Trend", LANG)]._charts) == n
    assert_consistent(path)


def test_set_charts_with_none_takes_the_drawing_out(tmp_path):
    path = two_months(tmp_path)
    book = PackageBook(path)
    book.set_charts("Trend", [])
    book.commit()
    names, _ = package(path)
    assert not any("csxl_" in n for n in names)
    assert load_workbook(path)[layout.title("Trend", LANG)]._charts == []
    assert_consistent(path)
    book = PackageBook(path)  # and back
    chart = LineChart()
    ws = load_workbook(path)[layout.title("Trend", LANG)]
    chart.add_data(Reference(ws, min_col=T.BLOCK_FIRST, min_row=T.HEADER_ROW, max_row=6))
    chart.anchor = "S4"
    book.set_charts("Trend", [chart])
    book.commit()
    assert len(load_workbook(path)[layout.title("Trend", LANG)]._charts) == 1
    assert_consistent(path)


def test_libreoffice_renders_the_trend_charts_and_the_units(libreoffice, tmp_path):
    path = two_months(tmp_path)
    n = charted(path)

    def charts_on_trend(document) -> int:
        return document.Sheets.getByName(layout.title("Trend", LANG)).getCharts().getCount()

    counts: list[int] = []
    libreoffice.edit(path, lambda d: counts.append(charts_on_trend(d)))  # saved by LibreOffice
    assert counts == [n]
    refresh(PackageBook(path), MONTH, now=NOW)  # its renamed parts are replaced, not added to
    assert_consistent(path)
    counts.clear()
    libreoffice.edit(path, lambda d: counts.append(charts_on_trend(d)))
    assert counts == [n]

    def text(sheet: str) -> str:
        pdf = libreoffice.convert_to_pdf(path, tmp_path / sheet, [layout.title(sheet, LANG)])
        out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True)
        return out.stdout.decode()

    trend = text("Trend")
    assert re.search(r"\d+\.\d 秒", trend)  # durations with their unit
    assert re.search(r"\d+\.\d%", trend)  # rates as %
    assert "满意度" in trend and "2026-02" in trend
    dashboard = text("Dashboard")
    assert re.search(r"\b\d+:\d\d\b", dashboard)  # 平均首响时长 as 分:秒
    assert re.search(r"[+-]\d+\.\d%", dashboard)  # variance signed


def test_the_drawing_goes_where_the_schema_puts_it():
    from csxl.workbook.drawing import _with_drawing

    sheet = (
        b'<worksheet xmlns="main"><sheetData/><conditionalFormatting><cfRule><extLst/>'
        b"</cfRule></conditionalFormatting><pageMargins/><tableParts/><extLst/></worksheet>"
    )
    out = _with_drawing(sheet)
    assert out.index(b"<drawing") > out.index(b"</conditionalFormatting>")
    assert out.index(b"<drawing") < out.index(b"<tableParts")
    assert b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"' in out
    bare = b"<worksheet><sheetData/></worksheet>"
    assert _with_drawing(bare).endswith(b"/></worksheet>")
