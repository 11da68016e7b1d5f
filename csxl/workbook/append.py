"""Append rows below a worksheet's last row as a stream: what `csxl import` writes.

`sheetxml.patch` holds the part and every written cell in memory, which is fine for the
owned regions of refresh and far too much for an import of a million rows (13 GB). Here:

- `scan` reads the part once as a stream and keeps only its head (through the header row),
  the trailing rows that hold no value (a template's formatted empty row) and what follows
  `</sheetData>`; the rows with values above are never parsed.
- `ColumnCells` holds one column's new cells as arrays (Arrow text, numpy numbers), and
  `encode` turns a slice of rows into row XML with Arrow's string kernels, never a Python
  object per cell.
- `chunks` then yields the new part: the head (header cells added, <dimension> grown), the
  old rows copied through as they inflate, the new rows, the rest.

The bytes are those `sheetxml.patch` writes for the same cells (tests/workbook/
test_append.py compares them): inline strings, a new date cell takes its column's style, an
existing empty cell keeps its own, an empty value is an empty `<c/>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from csxl.workbook import sheetxml as sx

WINDOW = 8 << 20  # bytes of the part's end kept by `scan`: its blank rows must fit in it
HEAD_MAX = 16 << 20  # the head (through the header row) must fit in this
CHUNK_ROWS = 20_000  # rows encoded at a time (about 25 MB of XML for 25 columns)
_SHEET_OPEN = re.compile(rb"<sheetData\s*(/?)>")
_VALUE = re.compile(rb"<v>[^<]|<t(?:\s[^>]*)?>[^<]")  # a cell holding something
_ROW_START = re.compile(rb"<row[\s>/]")
_EPOCH_US = np.datetime64("1899-12-30T00:00:00", "us").astype(np.int64)
_DAY_US = 86_400_000_000


@dataclass
class Shape:
    """Where new rows go in a worksheet part (offsets are in the inflated part)."""

    head: bytes  # from the start through the first row if it is row 1, else <sheetData>
    head_end: int  # where `head` ends in the part
    cut: int  # where the trailing blank rows start, or </sheetData>
    blank: list[tuple[int, bytes]]  # the trailing blank rows: (row, element)
    rest: bytes  # from </sheetData> to the end
    last_row: int  # the last row before the blank ones (0: none)
    last_xml_row: int  # the last row element of the part (0: none)
    columns: dict[int, bytes] = field(default_factory=dict)  # column default styles

    def start(self, first_row: int) -> int:
        """The first row to write: below the last row holding a value."""
        return max(self.last_row + 1, first_row)

    def header_xml(self) -> bytes:
        """Row 1's element, if the part has one."""
        m = _SHEET_OPEN.search(self.head)
        row = sx._ROW.search(self.head, m.end()) if m else None
        return row.group(0) if row and _row_no(row["attrs"]) == 1 else b""


def _row_no(attrs: bytes) -> int | None:
    m = sx._R.search(attrs)
    return int(m["row"]) if m else None


def scan(chunks: Iterable[bytes], first_row: int = 2) -> Shape | None:
    """The part's shape, or None when it is not in the usual shape (or its blank rows do
    not fit in `WINDOW`): the caller then takes the general path."""
    head = bytearray()
    window = bytearray()
    win_start = 0  # offset of window[0]
    total = 0
    head_done = False
    for chunk in chunks:
        if not head_done:
            head += chunk
            if len(head) > HEAD_MAX:
                return None
            head_done = _head_end(head) is not None or b"</sheetData>" in head
        window += chunk
        total += len(chunk)
        if len(window) > 2 * WINDOW:
            cut = len(window) - WINDOW
            del window[:cut]
            win_start += cut
    head_end = _head_end(head)
    if head_end is None:
        return None
    open_at = _SHEET_OPEN.search(head)
    columns = sx._column_styles(bytes(head[: open_at.start()]))  # <cols> is before
    if open_at[1]:  # <sheetData/>: no rows at all
        if win_start > head_end:
            return None
        rest = b"</sheetData>" + bytes(window[head_end - win_start :])
        head_bytes = bytes(head[: open_at.start()]) + b"<sheetData>"
        return Shape(head_bytes, head_end, head_end, [], rest, 0, 0, columns)
    end = window.rfind(b"</sheetData>")
    if end < 0 or window.count(b"</sheetData>") != 1:
        return None
    rows_from = head_end - win_start
    if rows_from < 0:  # the window starts inside the rows: from its first whole row
        first = _ROW_START.search(window)
        rows_from = first.start() if first else end
    found = [
        (m.start() + rows_from + win_start, _row_no(m["attrs"]), m.group(0), m["body"] or b"")
        for m in sx._ROW.finditer(bytes(window[rows_from:end]))
    ]
    if any(r is None for _, r, _, _ in found):
        return None
    numbers = [r for _, r, _, _ in found]
    if numbers != sorted(set(numbers)):
        return None
    head_bytes = bytes(head[:head_end])
    blank: list[tuple[int, bytes]] = []
    cut = win_start + end
    for at, r, xml, body in reversed(found):
        if r < first_row or _VALUE.search(body):
            last_row = r
            break
        blank.insert(0, (r, xml))
        cut = at
    else:
        if win_start > head_end:
            return None  # blank rows all the way up the window: too many to hold
        last_row = _row_no_of_head(head_bytes)
    last_xml = numbers[-1] if numbers else _row_no_of_head(head_bytes)
    rest = bytes(window[end:])
    return Shape(head_bytes, head_end, cut, blank, rest, last_row, last_xml, columns)


def _head_end(head: bytes | bytearray) -> int | None:
    """Where the head ends: after row 1's element (when the first row is row 1), else
    after <sheetData>; None while it is not all there."""
    m = _SHEET_OPEN.search(head)
    if m is None:
        return None
    if m[1]:
        return m.end()
    first = _ROW_START.search(head, m.end())
    close = head.find(b"</sheetData>", m.end())
    if first is None or (close >= 0 and close < first.start()):
        return m.end() if close >= 0 or first is not None else None
    row = sx._ROW.match(bytes(head[first.start() : first.start() + (1 << 20)]))
    if row is None:
        return None  # row 1 not all there yet
    if _row_no(row["attrs"]) != 1:
        return m.end()
    return first.start() + row.end()


def _row_no_of_head(head: bytes | bytearray) -> int:
    m = _SHEET_OPEN.search(head)
    row = sx._ROW.search(bytes(head), m.end()) if m else None
    return (_row_no(row["attrs"]) or 0) if row else 0


# ----------------------------------------------------------------------------- cells


@dataclass
class ColumnCells:
    """One column's new cells, rows `first`.. in order. A cell is `number[i]` where
    `numeric[i]` (a date serial if `stamps` is given), else `text[i]` (None or "": empty).
    `number` is int64 or float64, as pandas typed the column."""

    column: int  # 1-based
    text: object  # pyarrow string array
    number: np.ndarray | None = None
    numeric: np.ndarray | None = None
    stamps: np.ndarray | None = None  # datetime64[us]: the dates behind the serials

    def value(self, i: int) -> object:
        """Cell i as the Python value `sheetxml.patch` would be given."""
        if self.numeric is not None and self.numeric[i]:
            if self.stamps is not None:
                return _datetime(self.stamps[i])
            return self.number[i].item()
        return self.text[i].as_py()


def _datetime(stamp: np.datetime64) -> datetime:
    us = int(stamp.astype("datetime64[us]").astype(np.int64))
    from datetime import timedelta

    return datetime(1970, 1, 1) + timedelta(microseconds=us)


def serials(stamps: np.ndarray) -> np.ndarray:
    """Excel serials of datetime64 values, computed as `excel_serial` computes them (days,
    then seconds / 86400, then microseconds / 86400e6), so each is the very same float."""
    delta = stamps.astype("datetime64[us]").astype(np.int64) - _EPOCH_US
    days = np.floor_divide(delta, _DAY_US)
    rem = delta - days * _DAY_US
    return days + (rem // 1_000_000) / 86400 + (rem % 1_000_000) / 86_400_000_000


def number_text(values: np.ndarray):
    """Each number as `repr` writes it (Python's int and float repr), as an Arrow array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.dtype.kind in "iu":
        return pc.cast(pa.array(values), pa.string())
    values = values.astype(np.float64, copy=False)
    out = pc.cast(pa.array(values), pa.string())
    # Arrow writes 90.0 as "90" and switches to exponents at other magnitudes than repr.
    size = np.abs(values)
    odd = np.isfinite(values) & ((size >= 1e10) | ((size < 1e-4) & (size != 0)))
    with np.errstate(invalid="ignore"):
        plain = np.isfinite(values) & (values == np.floor(values)) & ~odd  # "90": add ".0"
    if plain.any():
        out = pc.if_else(pa.array(plain), pc.binary_join_element_wise(out, ".0", ""), out)
    if odd.any():
        listed = out.to_pylist()
        for i in np.flatnonzero(odd):
            listed[i] = repr(float(values[i]))
        out = pa.array(listed, pa.string())
    return out


def escaped(text):
    """Text as `sheetxml.cell_text` then `escape` leave it: no characters XML cannot hold,
    at most CELL_CHARS characters, & < > escaped."""
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = _data(text)  # one look at the bytes saves a pass per rare character
    invalid = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"
    if _has_invalid(raw):
        text = pc.replace_substring_regex(text, invalid, "")
    long = pc.fill_null(pc.greater(pc.utf8_length(text), sx.CELL_CHARS), False)
    if pc.any(long).as_py():
        listed = text.to_pylist()
        for i in np.flatnonzero(long.to_numpy(zero_copy_only=False)):
            listed[i] = listed[i][: sx.CELL_CHARS]
        text = pa.array(listed, pa.string())
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        if char.encode() in raw:
            text = pc.replace_substring(text, char, entity)
    return text


# XML 1.0 has no C0 controls but tab, LF and CR, and no U+FFFE / U+FFFF (in UTF-8).
_CONTROLS = (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))
_NONCHAR = re.compile(rb"\xef\xbf[\xbe\xbf]")


def _has_invalid(raw: bytes) -> bool:
    """Whether the text holds a character XML cannot: one memchr per control byte is
    about 15 times as fast as one regex with a class (0.3 s per 200,000 rows)."""
    return any(c in raw for c in _CONTROLS) or _NONCHAR.search(raw) is not None


def _data(text) -> bytes:
    """The characters of an Arrow string array, as one bytes object."""
    if len(text) == 0:
        return b""
    offsets = np.frombuffer(text.buffers()[1], np.int32, len(text) + 1, 4 * text.offset)
    data = text.buffers()[2]
    # Only this slice's bytes: the whole buffer is the column's, every chunk's.
    return b"" if data is None else data[offsets[0] : offsets[-1]].to_pybytes()


def _rest(cells: ColumnCells, a: int, b: int, style: bytes):
    """What follows `<c r="B5` for rows a..b-1 of a column; null for an empty cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = cells.text.slice(a, b - a)
    # Null where the cell is empty: `encode` writes those as `"/>` (an empty cell).
    out = pc.binary_join_element_wise(
        '" t="inlineStr"><is><t xml:space="preserve">', escaped(text), "</t></is></c>", ""
    )
    if cells.numeric is None:
        return out
    numeric = cells.numeric[a:b]
    if not numeric.any():
        return out
    number = cells.number[a:b]
    finite = np.isfinite(number) if number.dtype.kind == "f" else np.ones(len(number), bool)
    lead = '"%s><v>' % (style.decode() if cells.stamps is not None else "")
    shown = pc.binary_join_element_wise(lead, number_text(number), "</v></c>", "")
    if not finite.all():
        shown = pc.if_else(pa.array(finite), shown, '" t="e"><v>#NUM!</v></c>')
    return pc.if_else(pa.array(numeric), shown, out)


def encode(
    cells: list[ColumnCells], first: int, a: int, b: int, styles: Mapping[int, bytes]
) -> object:
    """Rows first+a .. first+b-1 as row elements (an Arrow string array)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from openpyxl.utils import get_column_letter

    numbers = np.arange(first + a, first + b, dtype=np.int64)
    rows = pc.cast(pa.array(numbers), pa.string())
    parts: list[object] = ['<row r="', rows, '">']
    for c in sorted(cells, key=lambda c: c.column):
        parts += [
            f'<c r="{get_column_letter(c.column)}',
            rows,
            _rest(c, a, b, styles.get(c.column, b"")),
        ]
    parts.append("</row>")
    return pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement='"/>')


def _buffer(xml) -> memoryview:
    """The concatenated bytes of an Arrow string array (its data buffer, no copy)."""
    offsets = np.frombuffer(
        xml.buffers()[1], dtype=np.int32, count=len(xml) + 1, offset=4 * xml.offset
    )
    return memoryview(xml.buffers()[2])[offsets[0] : offsets[-1]]


def chunks(
    shape: Shape,
    copy: Callable[[], Iterator[bytes]],
    cells: list[ColumnCells],
    count: int,
    first: int,
    header: Mapping[int, object],
    width: int,
) -> Iterator[bytes]:
    """The new part: `count` rows from row `first` (all after `shape.last_row`), the header
    cells in `header` written into row 1, every cell of the blank rows met within
    columns 1..width emptied (keeping styles), as `sheetxml.patch` does."""
    last = first + count - 1
    merged = {r: xml for r, xml in shape.blank if r <= last}
    written = {c.column for c in cells}
    cleared: dict[int, dict[int, object]] = {}
    for r, xml in merged.items():
        body = sx._ROW.match(xml)["body"] or b""
        cleared[r] = {
            col: None
            for m in sx._CELL.finditer(body)
            if (col := sx._col_of(m["attrs"])) <= width and col not in written
        }
    head = shape.head
    if header:
        head = sx.patch(head + b"</sheetData>", {(1, c): v for c, v in header.items()})[
            : -len(b"</sheetData>")
        ]
    max_col = max([*written, *header, *(c for v in cleared.values() for c in v)], default=1)
    yield sx._grow_dimension(head, max(last, shape.last_xml_row), max_col)
    offset = 0
    for chunk in copy():  # the rows already there, byte for byte
        lo, hi = max(shape.head_end - offset, 0), min(shape.cut - offset, len(chunk))
        if lo < hi:
            yield chunk[lo:hi]
        offset += len(chunk)
        if offset >= shape.cut:
            break
    for a in range(0, count, CHUNK_ROWS):
        b = min(a + CHUNK_ROWS, count)
        xml = encode(cells, first, a, b, shape.columns)
        inside = [r for r in merged if first + a <= r < first + b]
        if not inside:
            yield _buffer(xml)
            continue
        at = 0
        for r in inside:  # a blank row already there: its cells keep their styles
            i = r - first - a
            if i > at:
                yield _buffer(xml.slice(at, i - at))
            yield _merged_row(r, merged[r], cells, r - first, cleared[r], shape.columns)
            at = i + 1
        if at < b - a:
            yield _buffer(xml.slice(at))
    for r, xml in shape.blank:
        if r > last:
            yield xml
    yield shape.rest


def _merged_row(
    r: int,
    xml: bytes,
    cells: list[ColumnCells],
    i: int,
    cleared: Mapping[int, object],
    columns: Mapping[int, bytes],
) -> bytes:
    m = sx._ROW.match(xml)
    values = {**cleared, **{c.column: c.value(i) for c in cells}}
    inner = sx._patch_row(r, m["body"] or b"", values, columns)
    attrs = sx._SPANS.sub(b"", m["attrs"])
    return b"<row%s>%s</row>" % (attrs, inner) if inner else b"<row%s/>" % attrs
