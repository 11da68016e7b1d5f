"""Limits checked before a sheet is loaded, so that no file can exhaust memory or hide rows.

calamine (under fastexcel and python-calamine) holds a sheet as one dense grid from its
first to its last non-empty cell: a single stray cell at XFD100000 asks for 1.6 billion
cells and aborts the process. So the extent of the sheet is measured first, cheaply:

- a sheet part up to `SCAN_BYTES` compressed (about 50,000 rows of 12 columns) is scanned in
  full for its last row and its widest column reference (a stream; a few milliseconds);
- a larger part is judged by its `<dimension>` element (Excel and every exporter write one:
  it is the used range), and after loading by the number of rows read.

A sheet is refused when it reaches row 1,048,576, Excel's last row (an export that long was
cut off when it was opened in Excel, or cells far below the data are not empty), or when its
grid would exceed `MAX_CELLS`. Sizes of the whole package are checked in `sniff`.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from csxl.errors import InputError, Location, t

EXCEL_ROWS = 1_048_576
MAX_CELLS = 1 << 26  # 67,108,864: 1,048,575 rows x 64 columns
SCAN_BYTES = 4 << 20
_CHUNK = 1 << 20

_DIMENSION = re.compile(rb'<dimension\s+ref="(?:\$?[A-Z]+\$?\d+:)?\$?([A-Z]+)\$?(\d+)"')
_ROW = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_WIDE_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{2,3})\d')


@dataclass(frozen=True)
class Extent:
    part: str
    last_row: int
    last_col: int
    exact: bool  # scanned in full (else from <dimension>)
    compressed: int

    @property
    def small(self) -> bool:
        return self.compressed <= SCAN_BYTES


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_parts(files: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet title -> part name, from workbook.xml and its relationships."""
    from xml.etree import ElementTree  # not xml.sax.saxutils: it imports urllib (0.2 s)

    rels = {
        r.get("Id"): r.get("Target", "")
        for r in ElementTree.fromstring(files["xl/_rels/workbook.xml.rels"])
    }
    out = {}
    for sheet in ElementTree.fromstring(files["xl/workbook.xml"]).iter(f"{{{_MAIN}}}sheet"):
        target = rels[sheet.get(f"{{{_REL}}}id")]
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


class Overflow(Exception):
    """A zip entry inflates past the size it declares: a zip bomb (or a damaged file)."""


def sheet_extent(path: Path, sheet: str) -> Extent | None:
    """The sheet's last row and column as far as they can be known without loading it.

    Raises Overflow when a scanned part inflates past its declared size (calamine reads on
    past it; Python's zip reader would stop there and hide it)."""
    try:
        with zipfile.ZipFile(path) as zf:
            small = {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
            part = sheet_parts(small).get(sheet)
            if part is None:
                return None
            info = zf.getinfo(part)
            if info.compress_size <= SCAN_BYTES:
                return _scan(_inflate(path, info), part, info.compress_size)
            with zf.open(info) as f:
                head = f.read(65536)
    except (KeyError, zipfile.BadZipFile, ValueError, SyntaxError, OSError, zlib.error):
        return None  # the reader's own errors say what is wrong with such a file
    m = _DIMENSION.search(head)
    if m is None:
        return None
    return Extent(part, int(m[2]), column_number(m[1].decode()), False, info.compress_size)


def _inflate(path: Path, info: zipfile.ZipInfo):
    """The entry's bytes, inflated from its raw data in chunks, refusing to go past the
    declared size."""
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        local = fh.read(30)
        if local[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("no local header")
        name_len, extra_len = struct.unpack("<HH", local[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        if info.compress_type == zipfile.ZIP_STORED:
            while left > 0 and (raw := fh.read(min(left, _CHUNK))):
                left -= len(raw)
                yield raw
            return
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise zipfile.BadZipFile("unsupported compression")
        inflater = zlib.decompressobj(-15)
        produced = 0
        while left > 0 and (raw := fh.read(min(left, 1 << 16))):
            left -= len(raw)
            while raw:
                out = inflater.decompress(raw, _CHUNK)
                raw = inflater.unconsumed_tail
                produced += len(out)
                if produced > info.file_size:
                    raise Overflow(info.filename)
                yield out
            if inflater.eof:
                return


def _scan(chunks, part: str, compressed: int) -> Extent:
    last_row = last_col = 0
    tail = b""
    for chunk in chunks:
        text = tail + chunk
        for m in _ROW.finditer(text):
            last_row = max(last_row, int(m[1]))
        for m in _WIDE_REF.finditer(text):
            last_col = max(last_col, column_number(m[1].decode()))
        tail = text[-256:]  # a tag cut at the boundary is seen whole next time
    return Extent(part, last_row, max(last_col, 26), True, compressed)


def check_sheet(path: Path, sheet: str, where: Location) -> Extent | None:
    """Refuse a sheet that reaches Excel's last row or whose grid is too big to hold."""
    try:
        extent = sheet_extent(path, sheet)
    except Overflow as exc:
        raise InputError(
            t(
                f"其中的部件 {exc} 解压后超过文件为它声明的大小（zip 炸弹或文件损坏），"
                "csxl 不读取它。",
                f"the part {exc} inflates past the size the file declares for it (a zip bomb "
                "or a damaged file); csxl does not read it.",
            ),
            where,
            t("请从数据来源重新导出。", "Export the data again from its source."),
        ) from None
    if extent is None:
        return None
    if extent.last_row >= EXCEL_ROWS:
        refuse_full(where)
    cells = extent.last_row * extent.last_col
    if cells > MAX_CELLS:
        corner = f"{column_letters(extent.last_col)}{extent.last_row}"
        raise InputError(
            t(
                f"工作表的已用区域延伸到 {corner}（{cells:,} 个单元格，csxl 最多读取 "
                f"{MAX_CELLS:,} 个）：数据右侧或下方很远处有非空单元格。",
                f"the sheet's used range reaches {corner} ({cells:,} cells; csxl reads at most "
                f"{MAX_CELLS:,}): some cell far right of or below the data is not empty.",
            ),
            where,
            t(
                "请删除数据之外的行和列（选中后删除），保存后重试。",
                "Delete the rows and columns beyond the data (select them, Delete), save, "
                "and try again.",
            ),
        )
    return extent


def refuse_full(where: Location) -> None:
    raise InputError(
        t(
            f"工作表到达第 {EXCEL_ROWS:,} 行，即 Excel 的最后一行：这么长的导出在 Excel 中打开时"
            "已被截断（后面的工单丢失了），或者数据下方很远处有非空单元格。",
            f"the sheet reaches row {EXCEL_ROWS:,}, Excel's last row: an export that long was "
            "cut off when it was opened in Excel (the tickets beyond are missing), or cells far "
            "below the data are not empty.",
        ),
        where,
        t(
            "请导出较短的期间（一次一个月），或删除数据下方的行。",
            "Export a shorter period (a month at a time), or delete the rows below the data.",
        ),
    )
