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


def test_rows_below_the_last_are_appended_as_the_general_path_writes_them(tmp_path, monkeypatch):
    """The append fast path (an import below a large paste area) writes the very bytes the
    general path does; a date in a new row takes its column's date style."""
    from datetime import datetime

    import csxl.workbook.sheetxml as sx

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "id", "when"
    ws.column_dimensions["B"].number_format = "yyyy-mm-dd hh:mm"
    ws["A2"], ws["B2"] = "T1", datetime(2026, 3, 1, 9)
    path = tmp_path / "d.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    cells = {(3, 1): "=1+1", (3, 2): datetime(2026, 3, 2, 10), (5, 1): 7.5}
    fast = patch(xml, cells, [(3, 1, 5, 2)])
    assert sx._append(xml, {3: {}}, []) is not None  # the fast path is taken
    assert sx._append(xml, {2: {}}, []) is None  # not for a row that exists
    assert sx._append(xml, {3: {}}, [(2, 1, 3, 2)]) is None  # nor to clear one
    monkeypatch.setattr(sx, "_append", lambda *a: None)
    assert fast == patch(xml, cells, [(3, 1, 5, 2)])
    ws = _with_part(path, fast, tmp_path / "out.xlsx").active
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s"
    assert ws["B3"].is_date and ws["B3"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["A5"].value == 7.5 and ws["A2"].value == "T1"


@pytest.mark.parametrize(
    "cells",
    [
        {(12, 1): "甲", (12, 2): "A班", (13, 1): "乙"},  # rows inside the part
        {(2, 2): 7, (5, 2): None, (3, 4): "new row between"},  # a row the part lacks
        {(40, 1): "below the last row"},  # the append path
        {(2, 3): Formula("=B2*2", 2)},
    ],
)
def test_patching_a_few_rows_equals_rewriting_every_row(tmp_path, cells):
    """The fast path (only the rows from the first written one to the last are parsed)
    writes the same part as the general path."""
    from csxl.workbook.sheetxml import _patch_all

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, 31):
        ws.cell(r, 1, f"r{r}" if r % 3 else None)
        ws.cell(r, 2, r)
        ws.cell(r, 2).font = Font(bold=r % 2 == 0)
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    wanted: dict[int, dict[int, object]] = {}
    for (r, c), value in cells.items():
        wanted.setdefault(r, {})[c] = value
    assert patch(xml, cells) == _patch_all(xml, wanted, [])
