"""Print areas: every sheet prints its used range; a paste area only its header row.

Without a print area Excel prints every formatted cell: the plan's empty input grids (300
Aliases rows, 1,000 QA rows, the Staffing grids' 96 rows) would print as pages of empty
yellow cells. So csxl writes `_xlnm.Print_Area` for every sheet of the package:

- a sheet's used range: from A1 to the last row and column holding a value (a formula
  whose cached value is empty does not count), a merged cell that starts there, or a chart;
- a paste area (`layout.PASTE_AREAS`: the exports as pasted) its header row only: 2,896
  orders would be 60 A4 pages. Its page header says how to print the rows (select them,
  print the selection).

The areas are set on a new plan (`builder.build`), a batch plan and on every commit of
csxl's file writer (`port.PackageBook`): rows typed after csxl last wrote the workbook
print after the next csxl command (or with the print area cleared). A print area of the
manager's own is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries


def escape(text: str) -> str:
    """&, < and > as entities (`xml.sax.saxutils.escape`: its module imports urllib, http
    and ssl; `package.escape` would be an import cycle, package imports this module)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


_CELL = re.compile(rb"<c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)", re.S)
_REF = re.compile(rb'\sr="(?P<col>[A-Z]+)(?P<row>\d+)"')
_VALUE = re.compile(rb"<v>[^<]|<is>.*?<t[^>]*>[^<]", re.S)
_MERGE = re.compile(rb'<mergeCell\s+ref="(?P<ref>[A-Z]+\d+:[A-Z]+\d+)"')
_COL = re.compile(rb"<col\b(?P<attrs>[^>]*?)/?>")
_ROW = re.compile(rb"<row\b(?P<attrs>[^>]*?)/?>")
_ATTR = re.compile(rb'\s(?P<name>\w+)="(?P<value>[^"]*)"')
_FORMAT = re.compile(rb"<sheetFormatPr\b(?P<attrs>[^>]*?)/?>")
# A drawing's anchors, with or without the xdr: prefix.
_ANCHOR = re.compile(
    rb"<(?:\w+:)?(?P<kind>oneCellAnchor|twoCellAnchor)\b.*?</(?:\w+:)?(?P=kind)>", re.S
)
_FROM = re.compile(rb"<(?:\w+:)?from>(?P<body>.*?)</(?:\w+:)?from>", re.S)
_TO = re.compile(rb"<(?:\w+:)?to>(?P<body>.*?)</(?:\w+:)?to>", re.S)
_AT = re.compile(rb"<(?:\w+:)?col>(?P<col>\d+)</(?:\w+:)?col>.*?<(?:\w+:)?row>(?P<row>\d+)<", re.S)
_EXT = re.compile(rb'<(?:\w+:)?ext\s+cx="(?P<cx>\d+)"\s+cy="(?P<cy>\d+)"')
_REL = re.compile(rb"<Relationship\b(?P<attrs>[^>]*?)/?>")
_DRAWING = b"/relationships/drawing"
# workbook.xml
_DEFINED_NAMES = re.compile(
    rb"<(?P<p>\w+:)?definedNames\s*/>|<(?P<q>\w+:)?definedNames>(?P<body>.*?)</(?:\w+:)?definedNames>",
    re.S,
)
_PRINT_AREA = re.compile(
    rb"<(?:\w+:)?definedName\b[^>]*\bname=\"_xlnm\.Print_Area\"[^>]*>[^<]*</(?:\w+:)?definedName>"
)
_SHEETS_END = re.compile(rb"</(?P<p>\w+:)?sheets>")

EMU_PER_PT = 12700
EMU_PER_PX = 9525
DEFAULT_ROW_PT = 15.0
DEFAULT_COL_WIDTH = 9.0  # as book.DEFAULT_WIDTH: an unset column as Excel draws it

Extent = tuple[int, int]  # (last row, last column), 1-based; (0, 0) for nothing


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m["name"]: m["value"] for m in _ATTR.finditer(raw)}


def used_extent(sheet_xml: bytes, drawings: tuple[bytes, ...] = ()) -> Extent:
    """The last row and column with a value, a merged cell starting in those rows, or a
    chart of `drawings` (the sheet's drawing parts)."""
    last_row = last_col = 0
    for m in _CELL.finditer(sheet_xml):
        body = m["body"]
        if not body or not _VALUE.search(body):
            continue
        ref = _REF.search(m["attrs"])
        if ref is None:
            continue
        last_row = max(last_row, int(ref["row"]))
        last_col = max(last_col, column_index_from_string(ref["col"].decode()))
    for m in _MERGE.finditer(sheet_xml):
        c0, r0, c1, r1 = range_boundaries(m["ref"].decode())
        if last_row and r0 <= last_row and c0 <= max(last_col, 1):
            last_row, last_col = max(last_row, r1), max(last_col, c1)
    for drawing in drawings:
        row, col = _drawing_extent(drawing, sheet_xml)
        last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row, last_col


def header_extent(head: bytes) -> Extent:
    """Row 1's extent, from the start of a sheet part (a paste area may be huge)."""
    row_end = head.find(b"</row>")
    first = head[: row_end if row_end >= 0 else len(head)]
    last_col = 0
    for m in _CELL.finditer(first):
        ref = _REF.search(m["attrs"])
        if ref is None or ref["row"] != b"1" or not m["body"] or not _VALUE.search(m["body"]):
            continue
        last_col = max(last_col, column_index_from_string(ref["col"].decode()))
    return (1, last_col) if last_col else (0, 0)


def _sizes(sheet_xml: bytes) -> tuple[Callable[[int], float], Callable[[int], float]]:
    """Column width (EMU) by 0-based column, row height (EMU) by 0-based row."""
    fmt = _FORMAT.search(sheet_xml)
    defaults = _attrs(fmt["attrs"]) if fmt else {}
    row_pt = float(defaults.get(b"defaultRowHeight", DEFAULT_ROW_PT))
    col_units = float(defaults.get(b"defaultColWidth", DEFAULT_COL_WIDTH))
    widths: dict[int, float] = {}
    for m in _COL.finditer(sheet_xml):
        a = _attrs(m["attrs"])
        if b"min" in a and b"max" in a:
            w = 0.0 if a.get(b"hidden") in (b"1", b"true") else float(a.get(b"width", col_units))
            for c in range(int(a[b"min"]) - 1, min(int(a[b"max"]), 16384)):
                widths[c] = w
    heights: dict[int, float] = {}
    for m in _ROW.finditer(sheet_xml):
        a = _attrs(m["attrs"])
        if b"r" in a and b"ht" in a:
            heights[int(a[b"r"]) - 1] = float(a[b"ht"])

    def col_emu(c: int) -> float:
        w = widths.get(c, col_units)
        return 0.0 if w == 0 else (7 * w + 5) * EMU_PER_PX

    def row_emu(r: int) -> float:
        return heights.get(r, row_pt) * EMU_PER_PT

    return col_emu, row_emu


def _drawing_extent(drawing: bytes, sheet_xml: bytes) -> Extent:
    last_row = last_col = 0
    col_emu = row_emu = None
    for anchor in _ANCHOR.finditer(drawing):
        text = anchor.group(0)
        start = _FROM.search(text)
        if start is None or (at := _AT.search(start["body"])) is None:
            continue
        col, row = int(at["col"]), int(at["row"])  # 0-based
        end = _TO.search(text)
        if end is not None and (to := _AT.search(end["body"])) is not None:
            col, row = int(to["col"]), int(to["row"])
        elif (ext := _EXT.search(text)) is not None:
            if col_emu is None or row_emu is None:
                col_emu, row_emu = _sizes(sheet_xml)
            cx, cy = int(ext["cx"]), int(ext["cy"])
            while cx > 0 and col < 16383:
                cx -= col_emu(col)
                col += 1
            while cy > 0 and row < 1_048_575:
                cy -= row_emu(row)
                row += 1
            col, row = col - 1, row - 1
        last_row, last_col = max(last_row, row + 1), max(last_col, col + 1)
    return last_row, last_col


def drawing_parts(sheet_part: str, rels_xml: bytes | None) -> list[str]:
    """The drawing parts a sheet part's relationships name."""
    if not rels_xml:
        return []
    folder = sheet_part.rsplit("/", 1)[0]
    out = []
    for m in _REL.finditer(rels_xml):
        a = _attrs(m["attrs"])
        if not a.get(b"Type", b"").endswith(_DRAWING):
            continue
        target = a.get(b"Target", b"").decode()
        if target.startswith("/"):
            out.append(target.lstrip("/"))
            continue
        parts = folder.split("/")
        for piece in target.split("/"):
            if piece == "..":
                parts.pop()
            elif piece != ".":
                parts.append(piece)
        out.append("/".join(parts))
    return out


def rels_part(sheet_part: str) -> str:
    folder, name = sheet_part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def reference(title: str, extent: Extent) -> str:
    """`'目标'!$A$1:$AF$40`: the area from A1 to the extent (at least A1)."""
    row, col = max(extent[0], 1), max(extent[1], 1)
    quoted = "'" + title.replace("'", "''") + "'"
    return f"{quoted}!$A$1:${get_column_letter(col)}${row}"


def with_print_areas(workbook_xml: bytes, areas: Mapping[int, str]) -> bytes:
    """workbook.xml with the print area of each sheet index in `areas` replaced (the other
    sheets' print areas and every other defined name kept). The print areas go last in
    `definedNames`, by sheet index: the same areas give the same bytes."""
    if not areas:
        return workbook_xml
    block = _DEFINED_NAMES.search(workbook_xml)
    body = block["body"] if block is not None and block["body"] is not None else b""
    kept: dict[int, bytes] = {}
    for m in _PRINT_AREA.finditer(body):
        sheet = re.search(rb'\blocalSheetId="(\d+)"', m.group(0))
        if sheet is not None:
            kept[int(sheet[1])] = m.group(0)
    for i, ref in areas.items():
        kept[i] = b'<definedName name="_xlnm.Print_Area" localSheetId="%d">%s</definedName>' % (
            i,
            escape(ref).encode("utf-8"),
        )
    names = _PRINT_AREA.sub(b"", body) + b"".join(kept[i] for i in sorted(kept))
    if block is not None:
        prefix = block["p"] or block["q"] or b""
        return (
            workbook_xml[: block.start()]
            + b"<%sdefinedNames>%s</%sdefinedNames>" % (prefix, names, prefix)
            + workbook_xml[block.end() :]
        )
    end = _SHEETS_END.search(workbook_xml)
    if end is None:
        return workbook_xml  # not a workbook part csxl knows: left as it is
    prefix = end["p"] or b""
    return (
        workbook_xml[: end.end()]
        + b"<%sdefinedNames>%s</%sdefinedNames>" % (prefix, names, prefix)
        + workbook_xml[end.end() :]
    )


def print_areas(
    sheets: Mapping[str, str],
    read: Callable[[str], bytes | None],
    head: Callable[[str], bytes | None],
    header_only: frozenset[str] | set[str],
    only: set[str] | None = None,
    known: Mapping[str, Extent] | None = None,
) -> dict[int, str]:
    """Sheet index -> its print area. `sheets`: title -> part, in tab order; `read(part)`
    the part as it will be saved (None: not known, e.g. streamed: its area is left as it
    is); `head(part)` the start of a part; `header_only` the titles of the paste areas;
    `only`: the parts to look at (default: every sheet); `known`: the extent of a part
    whose writer knows it (a streamed Data sheet: its header row)."""
    out: dict[int, str] = {}
    for index, (title, part) in enumerate(sheets.items()):
        if only is not None and part not in only:
            continue
        if known and part in known:
            out[index] = reference(title, known[part])
            continue
        if title in header_only:
            start = head(part)
            if start is None:
                continue
            out[index] = reference(title, header_extent(start))
            continue
        xml = read(part)
        if xml is None:
            continue
        drawings = tuple(
            d for name in drawing_parts(part, read(rels_part(part))) if (d := read(name))
        )
        out[index] = reference(title, used_extent(xml, drawings))
    return out
