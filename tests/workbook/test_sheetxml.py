"""Patching owned cells into a sheet part keeps every other byte and every style."""

import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

from csxl.workbook.sheetxml import Formula, patch


def _sheet_xml(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "keep me"
    ws["B2"] = 1
    ws["B2"].font = Font(bold=True)
    ws["C2"] = "old"
    ws["B5"] = 5
    ws.conditional_formatting.add(
        "B2:B9",
        openpyxl.formatting.rule.CellIsRule(
            operator="greaterThan", formula=["1"], font=Font(color="FF0000")
        ),
    )
    path = tmp_path / "a.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        return path, zf.read("xl/worksheets/sheet1.xml")


def _with_part(path, part, out):
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = part if name == "xl/worksheets/sheet1.xml" else zin.read(name)
            zout.writestr(name, data)
    return openpyxl.load_workbook(out)


def test_write_update_insert_and_keep(tmp_path):
    path, xml = _sheet_xml(tmp_path)
    new = patch(xml, {(2, 2): 42, (2, 4): "新", (3, 1): Formula("=B2*2", 84), (7, 3): True})
    ws = _with_part(path, new, tmp_path / "b.xlsx").active
    assert ws["A1"].value == "keep me" and ws["C2"].value == "old" and ws["B5"].value == 5
    assert ws["B2"].value == 42 and ws["B2"].font.bold  # style kept
    assert ws["D2"].value == "新" and ws["A3"].value == "=B2*2" and ws["C7"].value is True
    assert b"conditionalFormatting" in new
    assert b"<f>B2*2</f><v>84</v>" in new


def test_formula_like_text_is_written_as_text(tmp_path):
    path, xml = _sheet_xml(tmp_path)
    new = patch(xml, {(9, 1): "=cmd|' /C calc'!A0", (9, 2): "+1", (9, 3): "@SUM(A1)"})
    ws = _with_part(path, new, tmp_path / "b.xlsx").active
    assert ws["A9"].data_type == "s" and ws["A9"].value == "=cmd|' /C calc'!A0"
    assert ws["B9"].value == "+1" and ws["C9"].value == "@SUM(A1)"
    assert b"<f>" not in new


def test_control_characters_are_dropped_not_fatal(tmp_path):
    path, xml = _sheet_xml(tmp_path)
    new = patch(xml, {(9, 1): "a\x00b\x1fc"})
    assert _with_part(path, new, tmp_path / "b.xlsx").active["A9"].value == "abc"


def test_clear_empties_an_owned_region_but_keeps_styles(tmp_path):
    path, xml = _sheet_xml(tmp_path)
    new = patch(xml, {(2, 3): "fresh"}, clear=[(2, 2, 6, 3)])
    ws = _with_part(path, new, tmp_path / "b.xlsx").active
    assert ws["B2"].value is None and ws["B2"].font.bold
    assert ws["B5"].value is None and ws["C2"].value == "fresh" and ws["A1"].value == "keep me"


def test_untouched_rows_are_byte_identical(tmp_path):
    _, xml = _sheet_xml(tmp_path)
    new = patch(xml, {(5, 2): 6})
    row1 = xml[xml.index(b'<row r="1"') : xml.index(b"</row>") + 6]
    assert row1 in new


def test_a_cell_without_address_is_refused():
    xml = b'<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(ValueError, match="cannot patch"):
        patch(xml, {(1, 2): 1})


def test_empty_sheet_data_gets_rows():
    xml = b'<worksheet><dimension ref="A1"/><sheetData/></worksheet>'
    new = patch(xml, {(3, 2): 1, (1, 1): "x"})
    assert new.index(b'<row r="1">') < new.index(b'<row r="3">')
    assert b'<dimension ref="A1:B3"/>' in new
