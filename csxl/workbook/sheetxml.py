"""Write cells into a worksheet part's XML, leaving everything else in it as it was.

Refresh owns a few regions of a few sheets. It rewrites only the `<c>` elements of the
cells it owns: a cell keeps its style (`s`), a missing cell or row is inserted in order,
and every other byte of the part (other cells, validations, conditional formats,
extensions Excel adds) is kept. Text is written as inline strings so that the shared
string table never has to change; text from data is never written as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from csxl.workbook.layout import col, col_number
from csxl.workbook.package import cell_value, escape

_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>(?P<body>.*?)</sheetData>", re.S)
_ROW = re.compile(rb"<row\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)", re.S)
_R = re.compile(rb'\sr="(?P<ref>[A-Z]+)?(?P<row>\d+)"')
_STYLE = re.compile(rb'\ss="\d+"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_COL = re.compile(rb"<col\b(?P<attrs>[^>]*?)/?>")
# Characters XML 1.0 cannot hold at all (control characters from pasted data).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CELL_CHARS = 32_767  # the most text an Excel cell holds; longer text makes Excel repair the file


def cell_text(value: str) -> str:
    """Text as a cell can hold it: no characters XML cannot carry, at most CELL_CHARS."""
    return _INVALID_XML.sub("", value)[:CELL_CHARS]


@dataclass(frozen=True)
class Formula:
    """A formula (with its leading '=') and the value the Python engine computed for it."""

    text: str
    value: object


Value = object  # None (empty), bool, int, float, str, date/datetime, or Formula
Cells = Mapping[tuple[int, int], Value]  # (row, column), 1-based


def _cell_xml(ref: bytes, style: bytes, value: Value) -> bytes:
    if isinstance(value, Formula):
        kind, text = cell_value(value.value)
        body = escape(value.text[1:]).encode("utf-8")
        return b'<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (ref, style, kind, body, text)
    if value is None or value == "":
        return b'<c r="%s"%s/>' % (ref, style)
    if isinstance(value, str):
        # Inline string: data that looks like a formula ("=cmd|...") stays text.
        text = escape(cell_text(value)).encode("utf-8")
        return b'<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (
            ref,
            style,
            text,
        )
    kind, text = cell_value(value)
    return b'<c r="%s"%s%s><v>%s</v></c>' % (ref, style, kind, text)


def _col_of(attrs: bytes) -> int:
    m = _R.search(attrs)
    if m is None or m["ref"] is None:
        raise ValueError("a cell without an r attribute: csxl cannot patch this sheet safely")
    letters = m["ref"]
    number = _COLUMNS.get(letters)
    if number is None:
        number = _COLUMNS[letters] = col_number(letters.decode())
    return number


_COLUMNS: dict[bytes, int] = {}  # b"AB" -> 28: a refresh reads some 60,000 cell addresses


def _column_styles(sheet_xml: bytes) -> dict[int, bytes]:
    """The `s` attribute of each column with a default style (`<col style=...>`)."""
    out: dict[int, bytes] = {}
    for m in _COL.finditer(sheet_xml):
        attrs = m["attrs"]
        found = [re.search(rb'\s%s="(\d+)"' % k, attrs) for k in (b"min", b"max", b"style")]
        if all(found):
            lo, hi, style = (int(f[1]) for f in found)
            for c in range(lo, min(hi, 16_384) + 1):
                out[c] = b' s="%d"' % style
    return out


def _patch_row(
    row_no: int, body: bytes, cells: Mapping[int, Value], columns: Mapping[int, bytes] = {}
) -> bytes:
    """A row's cells with `cells` (column -> value) written in, in column order. A new cell
    holding a date takes its column's default style, as a cell typed into a date-formatted
    column does in Excel (else it shows as a serial number)."""
    existing: list[tuple[int, bytes, bytes]] = []  # (column, xml, style attribute)
    for m in _CELL.finditer(body):
        column = _col_of(m["attrs"])
        style = _STYLE.search(m["attrs"])
        existing.append((column, m.group(0), style.group(0) if style else b""))
    out: dict[int, bytes] = {c: xml for c, xml, _ in existing}
    styles = {c: s for c, _, s in existing}
    for column, value in cells.items():
        ref = f"{col(column)}{row_no}".encode()
        style = styles.get(column, b"")
        if not style and isinstance(value, date):
            style = columns.get(column, b"")
        out[column] = _cell_xml(ref, style, value)
    return b"".join(out[c] for c in sorted(out))


def patch(sheet_xml: bytes, cells: Cells, clear: Iterable[tuple[int, int, int, int]] = ()) -> bytes:
    """Write `cells` into the part; empty every other cell inside the `clear` rectangles
    (min_row, min_col, max_row, max_col), keeping their styles."""
    wanted: dict[int, dict[int, Value]] = {}
    for (r, c), value in cells.items():
        wanted.setdefault(r, {})[c] = value
    rects = list(clear)
    appended = _append(sheet_xml, wanted, rects)
    if appended is not None:
        return appended
    within = _within(sheet_xml, wanted, rects)
    if within is not None:
        return within
    return _patch_all(sheet_xml, wanted, rects)


def _patch_all(
    sheet_xml: bytes, wanted: dict[int, dict[int, Value]], rects: list[tuple[int, int, int, int]]
) -> bytes:
    """The general path: every row of the part parsed, the wanted ones rewritten."""
    m = _SHEET_DATA.search(sheet_xml)
    if m is None:
        raise ValueError("no <sheetData> in the worksheet part")
    body = m["body"] or b""
    rows: dict[int, bytes] = {}
    order: list[int] = []
    columns = _column_styles(sheet_xml[: m.start()])  # <cols> comes before <sheetData>
    for rm in _ROW.finditer(body):
        number = _R.search(rm["attrs"])
        if number is None:
            raise ValueError("a row without an r attribute: csxl cannot patch this sheet safely")
        r = int(number["row"])
        rows[r] = rm.group(0)
        order.append(r)
    # Cells to empty: existing cells inside a clear rectangle that are not written anew.
    for r, xml in rows.items():
        inside = [rect for rect in rects if rect[0] <= r <= rect[2]]
        if inside:
            inner = _ROW.match(xml)["body"] or b""
            for cm in _CELL.finditer(inner):
                c = _col_of(cm["attrs"])
                if any(rect[1] <= c <= rect[3] for rect in inside):
                    wanted.setdefault(r, {}).setdefault(c, None)
    for r, by_col in wanted.items():
        if r in rows:
            rm = _ROW.match(rows[r])
            attrs = _SPANS.sub(b"", rm["attrs"])
            inner = _patch_row(r, rm["body"] or b"", by_col, columns)
        else:
            attrs = b' r="%d"' % r
            inner = _patch_row(r, b"", by_col, columns)
            order.append(r)
        rows[r] = b"<row%s>%s</row>" % (attrs, inner) if inner else b"<row%s/>" % attrs
    new_body = b"".join(rows[r] for r in sorted(set(order)))
    out = (
        sheet_xml[: m.start()] + b"<sheetData>" + new_body + b"</sheetData>" + sheet_xml[m.end() :]
    )
    return _grow_dimension(out, max(order, default=1), _max_col(wanted))


def _append(
    sheet_xml: bytes, wanted: Mapping[int, Mapping[int, Value]], rects: list
) -> bytes | None:
    """Rows that all come after the sheet's last row (an import below a large paste area):
    added before </sheetData> without parsing the rows above. None when that is not the
    case (or the part is not in the usual shape), for the general path."""
    end = sheet_xml.rfind(b"</sheetData>")
    if not wanted or end < 0 or sheet_xml.count(b"<sheetData", 0, end) != 1:
        return None
    last = sheet_xml.rfind(b"<row ", 0, end)
    if last < 0:
        return None
    m = _R.search(sheet_xml, last, sheet_xml.find(b">", last) + 1)
    if m is None:
        return None
    last_row = int(m["row"])
    if min(wanted) <= last_row or any(rect[0] <= last_row for rect in rects):
        return None
    columns = _column_styles(sheet_xml[: sheet_xml.find(b"<sheetData")])
    rows = []
    for r in sorted(wanted):
        inner = _patch_row(r, b"", wanted[r], columns)
        rows.append(b'<row r="%d">%s</row>' % (r, inner) if inner else b'<row r="%d"/>' % r)
    out = sheet_xml[:end] + b"".join(rows) + sheet_xml[end:]
    return _grow_dimension(out, max(wanted), _max_col(wanted))


def _within(sheet_xml: bytes, wanted: dict[int, dict[int, Value]], rects: list) -> bytes | None:
    """Rows inside a large part (a batch plan's Team and Aliases rows): only the rows from
    the first wanted one to the last are parsed and rewritten (rows are in order in a
    worksheet), the rest of the part is copied. None when the part is not in the usual
    shape (for the general path)."""
    if rects or not wanted:
        return None
    opened = sheet_xml.find(b"<sheetData>")
    end = sheet_xml.rfind(b"</sheetData>")
    if opened < 0 or end < 0 or sheet_xml.count(b"<sheetData", 0, end) != 1:
        return None
    body = opened + len(b"<sheetData>")
    start = sheet_xml.find(b'<row r="%d"' % min(wanted), body, end)
    last = sheet_xml.find(b'<row r="%d"' % max(wanted), body, end)
    row = _ROW.match(sheet_xml, last) if start >= 0 and last >= start else None
    if row is None:
        return None
    mini = sheet_xml[:body] + sheet_xml[start : row.end()] + b"</sheetData>"
    patched = _patch_all(mini, wanted, [])
    head, _, rest = patched.partition(b"<sheetData>")
    chunk = rest[: -len(b"</sheetData>")]
    return head + sheet_xml[opened:start] + chunk + sheet_xml[row.end() :]


def _max_col(wanted: Mapping[int, Mapping[int, Value]]) -> int:
    return max((c for cols in wanted.values() for c in cols), default=1)


def _grow_dimension(xml: bytes, max_row: int, max_col: int) -> bytes:
    """Keep <dimension> covering what was written (Excel reads it as a hint)."""
    m = _DIMENSION.search(xml)
    if m is None:
        return xml
    ref = re.search(rb'ref="([^"]*)"', m.group(0))[1].decode()
    first, _, last = ref.partition(":")
    last = last or first
    lm = re.fullmatch(r"([A-Z]+)(\d+)", last)
    if lm is None:
        return xml
    last_col = max(col_number(lm[1]), max_col)
    row = max(int(lm[2]), max_row)
    start = first if ":" in ref or first != last else "A1"
    new = f'<dimension ref="{start}:{col(last_col)}{row}"/>'.encode()
    return xml[: m.start()] + new + xml[m.end() :]


def formula_cells(sheet_xml: bytes) -> set[tuple[int, int]]:
    """(row, column) of every cell holding a formula, shared-formula members included."""
    found = set()
    for m in _CELL.finditer(sheet_xml):
        if m["body"] and b"<f" in m["body"]:
            r = _R.search(m["attrs"])
            found.add((int(r["row"]), col_number(r["ref"].decode())))
    return found


def as_written(value: object) -> object:
    """A number typed into a cell as openpyxl stores it (16 significant digits, "%.16g"):
    what `build` writes for an input; cached formula values keep full precision."""
    if isinstance(value, float) and not isinstance(value, bool):
        return float(f"{value:.16g}")
    return value
