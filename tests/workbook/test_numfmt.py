"""Number formats for cells refresh writes below the template's styled rows
(csxl.workbook.numfmt through PackageBook.set_formats): read back by openpyxl as written,
each cell keeping the rest of its style, styles.xml growing once per (style, format)."""

from __future__ import annotations

import re
import zipfile

from openpyxl import load_workbook

from csxl.workbook import numfmt
from csxl.workbook.layout import Trend as T
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import copy_of, pasted_bytes

STYLES = (
    b'<styleSheet xmlns="x"><fonts count="1"><font/></fonts>'
    b'<cellXfs count="2"><xf numFmtId="0" fontId="0" xfId="0"/>'
    b'<xf numFmtId="0" fontId="1" xfId="0"><alignment wrapText="1"/></xf></cellXfs></styleSheet>'
)
SHEET = (
    b'<worksheet><sheetData><row r="4"><c r="A4"><v>1</v></c><c r="B4" s="1"><v>2</v></c>'
    b'<c r="C4" s="1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
)


def test_each_cell_gets_its_own_style_with_the_format():
    formats = {(4, 1): "0.0%", (4, 2): '#,##0.0" 秒"', (4, 3): "0.0%"}
    styles, sheet = numfmt.apply(STYLES, SHEET, formats)
    assert (
        b'<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.0&quot; \xe7\xa7\x92&quot;"/>'
        b'<numFmt numFmtId="165" formatCode="0.0%"/></numFmts>'
    ) in styles
    xfs = re.findall(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", styles)
    assert len(xfs) == 5 and b'<cellXfs count="5">' in styles
    assert xfs[2] == b'<xf fontId="0" xfId="0" numFmtId="165" applyNumberFormat="1"/>'
    assert xfs[3] == (
        b'<xf fontId="1" xfId="0" numFmtId="164" applyNumberFormat="1">'
        b'<alignment wrapText="1"/></xf>'
    )
    assert xfs[4] == (
        b'<xf fontId="1" xfId="0" numFmtId="165" applyNumberFormat="1">'
        b'<alignment wrapText="1"/></xf>'
    )
    assert b'<c r="A4" s="2"><v>1</v></c><c r="B4" s="3"><v>2</v></c>' in sheet
    assert b'<c r="C4" s="4" t="inlineStr">' in sheet


def test_a_cell_not_in_the_part_is_not_added():
    styles, sheet = numfmt.apply(STYLES, SHEET, {(4, 4): "0.0%"})
    assert sheet == SHEET and b'<cellXfs count="2">' in styles


def test_a_known_format_and_a_known_style_are_reused():
    styles, sheet = numfmt.apply(STYLES, SHEET, {(4, 1): "0.0%"})
    again, sheet = numfmt.apply(styles, sheet, {(4, 1): "0.0%"})
    assert again == styles  # the cell's style already has the format
    builtin, _ = numfmt.apply(STYLES, SHEET, {(4, 1): "#,##0"})
    assert b"<numFmts" not in builtin and b'numFmtId="3" applyNumberFormat="1"' in builtin


def test_a_plan_reads_back_the_formats_and_keeps_its_other_formats(tmp_path):
    path = copy_of(pasted_bytes(), tmp_path)
    with zipfile.ZipFile(path) as zf:
        before = zf.read("xl/styles.xml")
    book = PackageBook(path)
    r = T.FIRST_ROW
    book.write("Trend", {(r, T.VALUE): 0.8765, (r, T.POINTS): 60.0, (r + 1, T.VALUE): 53.5})
    book.set_formats("Trend", {(r, T.VALUE): "0.0%", (r, T.POINTS): "0.0"})
    book.set_formats("Trend", {(r + 1, T.VALUE): '#,##0.0" 秒"'})
    book.commit()
    wb = load_workbook(path)
    ws = wb["趋势"]
    assert ws.cell(r, T.VALUE).number_format == "0.0%"
    assert ws.cell(r, T.POINTS).number_format == "0.0"
    assert ws.cell(r + 1, T.VALUE).number_format == '#,##0.0" 秒"'
    with zipfile.ZipFile(path) as zf:
        after = zf.read("xl/styles.xml")
    old = re.findall(rb"<numFmt [^>]*/>", before)
    assert re.findall(rb"<numFmt [^>]*/>", after)[: len(old)] == old  # ids kept
