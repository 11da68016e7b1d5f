"""csxl/workbook/printing.py on hand-made parts: what counts as used, charts, the names."""

from __future__ import annotations

from csxl.workbook import printing

SHEET = (
    b'<worksheet><sheetFormatPr defaultRowHeight="15"/><cols>'
    b'<col min="1" max="3" width="10" customWidth="1"/></cols><sheetData>'
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
    b'<row r="2"><c r="A2"><v>5</v></c><c r="B2" s="3"/></row>'
    b'<row r="9"><c r="E9" s="2"><f>IF(A2="","",A2)</f><v></v></c></row>'
    b'<row r="12"><c r="F12" t="str"><f>""</f><v/></c></row>'
    b'</sheetData><mergeCells><mergeCell ref="A2:D2"/><mergeCell ref="A20:J20"/></mergeCells>'
    b"</worksheet>"
)


def test_used_extent_counts_values_and_merges_not_styles_or_empty_formulas() -> None:
    # A styled empty B2, formulas caching "" (E9, F12) and a merge below the values do not
    # count; the merge A2:D2 starting at a value does.
    assert printing.used_extent(SHEET) == (2, 4)


def test_a_chart_anchored_below_the_cells_is_in_the_area() -> None:
    drawing = (
        b"<xdr:wsDr><xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>"
        b"<xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        b'<xdr:ext cx="1500000" cy="1905000"/></xdr:oneCellAnchor></xdr:wsDr>'
    )
    # 1,905,000 EMU = 150 pt = 10 rows of 15 pt from row 5 (rows 5-14); 1,500,000 EMU spans
    # three 10-unit columns (714,375 EMU each), inside the merge's four.
    assert printing.used_extent(SHEET, (drawing,)) == (14, 4)
    two_cell = (
        b"<twoCellAnchor><from><col>1</col><row>1</row></from>"
        b"<to><col>7</col><row>30</row></to></twoCellAnchor>"
    )
    assert printing.used_extent(SHEET, (two_cell,)) == (31, 8)


def test_header_extent_reads_row_1_only() -> None:
    assert printing.header_extent(SHEET[:200]) == (1, 3)
    assert printing.header_extent(b"<worksheet><sheetData/></worksheet>") == (0, 0)


def test_print_areas_replace_only_the_given_sheets_and_keep_other_names() -> None:
    wb = (
        b'<workbook><sheets><sheet name="A" sheetId="1"/><sheet name="B" sheetId="2"/></sheets>'
        b'<definedNames><definedName name="csxl_Year">2026</definedName>'
        b'<definedName name="_xlnm.Print_Area" localSheetId="1">B!$A$1:$Z$99</definedName>'
        b'<definedName name="_xlnm.Print_Titles" localSheetId="0">A!$1:$1</definedName>'
        b"</definedNames></workbook>"
    )
    out = printing.with_print_areas(wb, {0: printing.reference("A", (3, 2))})
    assert b'<definedName name="csxl_Year">2026</definedName>' in out
    assert b'localSheetId="0">A!$1:$1</definedName>' in out  # print titles kept
    assert out.count(b"_xlnm.Print_Area") == 2
    assert b"'A'!$A$1:$B$3" in out and b"B!$A$1:$Z$99" in out
    # The same areas give the same bytes, whichever sheets were rewritten.
    again = printing.with_print_areas(out, {1: "B!$A$1:$Z$99"})
    assert again == out
    bare = b'<workbook><sheets><sheet name="A&amp;B" sheetId="1"/></sheets></workbook>'
    named = printing.with_print_areas(bare, {0: printing.reference("A&B's", (0, 0))})
    assert b'<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">' in named
    assert b"'A&amp;B''s'!$A$1:$A$1</definedName></definedNames></workbook>" in named
