"""Sheets are found by identity (a workbook name anchored at each sheet's A1), not by their
visible name: a renamed sheet still counts, a deleted one is refused by name (issue 21)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from csxl.errors import InputError
from csxl.refresh import refresh
from csxl.workbook import layout
from csxl.workbook.port import PackageBook, Titles, anchors_of, sheet_of
from tests.plan_fixtures import MONTH, NOW, copy_of, refreshed_bytes

RENAMED = {"Appeals": "申诉2026", "Dashboard": "我的看板", "QA": "质检 (10月)", "Scores": "考核'表"}


@pytest.mark.parametrize(
    ("reference", "sheet"),
    [
        ("'目标 2026'!$A$1", "目标 2026"),
        ("目标2026!$A$1", "目标2026"),  # LibreOffice leaves CJK names unquoted
        ("='it''s'!$A$1", "it's"),
        ("#REF!", None),
        ("#REF!$A$1", None),
        ("'unterminated", None),
    ],
)
def test_the_sheet_a_reference_names(reference, sheet):
    assert sheet_of(reference) == sheet


def test_every_sheet_of_a_new_plan_has_its_anchor(tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    xml = zipfile.ZipFile(path).read("xl/workbook.xml")
    anchors = anchors_of(xml)
    assert anchors == {s.key: s.zh for s in layout.SHEETS}
    assert b'name="csxl_Sheet_Goals" hidden="1"' in xml


def _rename_in_package(path: Path, key: str, new: str) -> None:
    """Rename a sheet as a spreadsheet app does: the tab and the anchor's reference."""
    old = layout.title(key, "zh")
    with zipfile.ZipFile(path) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    xml = files["xl/workbook.xml"].decode()
    xml = xml.replace(f'name="{old}"', f'name="{new}"').replace(f"'{old}'!", f"'{new}'!")
    files["xl/workbook.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in files.items():
            zout.writestr(name, data)


def test_titles_follow_the_anchor_and_fall_back_to_the_language(tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    _rename_in_package(path, "Appeals", "申诉2026")
    titles = Titles.of_file(path)
    assert titles.lang == "zh"
    assert titles.title("Appeals") == "申诉2026"
    assert titles.title("Goals") == "目标"
    assert titles.renamed() == {"Appeals": "申诉2026"}
    assert titles.missing() == []


def test_a_renamed_sheet_in_a_plan_without_anchors_is_refused_by_name(tmp_path):
    # Plans made before the anchors: a renamed sheet cannot be found, and is named.
    path = copy_of(refreshed_bytes(), tmp_path)
    with zipfile.ZipFile(path) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    xml = files["xl/workbook.xml"].decode()
    files["xl/workbook.xml"] = re.sub(
        r'<definedName name="csxl_Sheet_\w+"[^>]*>[^<]*</definedName>', "", xml
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in files.items():
            zout.writestr(name, data)
    _rename_in_package(path, "Appeals", "申诉2026")
    before = path.read_bytes()
    with pytest.raises(InputError, match="申诉"):
        refresh(PackageBook(path), MONTH, now=NOW)
    assert path.read_bytes() == before


def _values(path: Path, key: str) -> list[list[object]]:
    titles = Titles.of_file(path)
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(titles.title(key))
    return sheet.to_python(skip_empty_area=False)


def test_sheets_renamed_in_libreoffice_still_count(libreoffice, tmp_path):
    # The same plan saved by LibreOffice twice: once as it is, once with four sheets
    # renamed. Refreshing both gives the same figures, and the formulas refresh writes
    # refer to the sheets by their new names (no error cell after LibreOffice recalculates).
    plain = copy_of(refreshed_bytes(), tmp_path / "plain")
    renamed = copy_of(refreshed_bytes(), tmp_path / "renamed")
    libreoffice.edit(plain, lambda doc: None)

    def rename(doc) -> None:
        for key, new in RENAMED.items():
            doc.Sheets.getByName(layout.title(key, "zh")).Name = new

    libreoffice.edit(renamed, rename)
    assert Titles.of_file(renamed).renamed() == RENAMED
    for path in (plain, renamed):
        refresh(PackageBook(path), MONTH, now=NOW)
    for key in ("Scores", "Goals", "Dashboard", "QA", "Appeals", "Audit"):
        assert _values(renamed, key) == _values(plain, key), key
    recalc = libreoffice.recalc(renamed)
    assert recalc.errors() == []
    assert set(RENAMED.values()) <= set(recalc.sheets)


def test_a_deleted_sheet_is_refused_by_name_and_nothing_is_written(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    libreoffice.edit(path, lambda doc: doc.Sheets.removeByName("申诉"))
    assert Titles.of_file(path).missing() == ["Appeals"]
    before = path.read_bytes()
    with pytest.raises(InputError, match="计划缺少工作表：申诉"):
        refresh(PackageBook(path), MONTH, now=NOW)
    assert path.read_bytes() == before


def test_csxl_kpi_reads_a_renamed_data_sheet_of_a_plan(tmp_path):
    from csxl.kpi_report import kpi_document

    plain = copy_of(refreshed_bytes(), tmp_path / "plain")
    renamed = copy_of(refreshed_bytes(), tmp_path / "renamed")
    _rename_in_package(renamed, "Data", "十月工单")
    _rename_in_package(renamed, "Orders", "订单明细")
    assert kpi_document(renamed)[0]["groups"] == kpi_document(plain)[0]["groups"]


@pytest.mark.parametrize(
    ("args", "said"),
    [((), "计划缺少工作表：申诉"), (("--lang", "en"), "the plan has no 申诉 sheet")],
)
def test_the_refusal_is_in_the_run_language(tmp_path, args, said):
    from click.testing import CliRunner

    from csxl.cli import main

    path = copy_of(refreshed_bytes(), tmp_path)
    with zipfile.ZipFile(path) as zin:
        files = {n: zin.read(n) for n in zin.namelist()}
    xml = files["xl/workbook.xml"].decode()
    xml = re.sub(r'<sheet [^>]*name="申诉"[^>]*/>', "", xml).replace("'申诉'!$A$1", "#REF!")
    files["xl/workbook.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in files.items():
            zout.writestr(name, data)
    result = CliRunner().invoke(main, ["refresh", str(path), *args])
    assert result.exit_code == 2
    assert said in result.output
