"""Cell-for-cell view of a workbook package, for comparing two files that differ in bytes.

Every cell of every sheet: style index, type (strings resolved, shared or inline), formula
text and value (the cached value for formulas), numbers compared as numbers. Everything of
a sheet part outside its cells, and every other part, is compared too (rows' `spans`, a
writer's hint, left out).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from csxl.workbook.package import sheet_parts

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_VOLATILE = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _files(source: Path | bytes) -> dict[str, bytes]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _text(element) -> str:
    if element is None:
        return ""
    return "".join(t.text or "" for t in element.iter(f"{NS}t"))


def cells(source: Path | bytes) -> dict[tuple[str, str], tuple[object, ...]]:
    """(sheet title, address) -> (style, kind, formula, value) for every cell written."""
    files = _files(source)
    shared = []
    if "xl/sharedStrings.xml" in files:
        root = ElementTree.fromstring(files["xl/sharedStrings.xml"])
        shared = [_text(si) for si in root.iter(f"{NS}si")]
    out: dict[tuple[str, str], tuple[object, ...]] = {}
    for title, part in sheet_parts(files).items():
        for c in ElementTree.fromstring(files[part]).iter(f"{NS}c"):
            kind = c.get("t", "n")
            f, v = c.find(f"{NS}f"), c.find(f"{NS}v")
            value: object = None if v is None else v.text
            if kind == "s":
                value, kind = shared[int(value)], "text"
            elif kind in ("inlineStr", "str"):
                value = _text(c.find(f"{NS}is")) if kind == "inlineStr" else (value or "")
                kind = "text"
            elif kind == "n" and value is not None:
                value = float(value)
            out[(title, c.get("r"))] = (c.get("s", "0"), kind, None if f is None else f.text, value)
    return out


def other_parts(source: Path | bytes) -> dict[str, bytes]:
    """Every part with the cells taken out of sheet parts (and volatile times blanked)."""
    files = _files(source)
    sheets = set(sheet_parts(files).values())
    out = {}
    for name, data in files.items():
        if name == "xl/sharedStrings.xml":
            continue
        if name in sheets:
            data = _SHEET_DATA.sub(b"<sheetData/>", data)
        data = _VOLATILE.sub(rb"<dcterms:\1/>", data)
        out[name] = re.sub(rb"\s+/>", b"/>", data)  # <x /> and <x/> are the same element
    return out


def cell_differences(a: Path | bytes, b: Path | bytes) -> list[str]:
    """Empty when the two packages hold the same cells and the same everything else."""
    ca, cb = cells(a), cells(b)
    out = [
        f"{k[0]}!{k[1]}: {ca.get(k)} != {cb.get(k)}"
        for k in sorted(ca.keys() | cb.keys())
        if ca.get(k, _EMPTY) != cb.get(k, _EMPTY) and not (_blank(ca.get(k)) and _blank(cb.get(k)))
    ]
    pa, pb = other_parts(a), other_parts(b)
    out += [f"part {n}" for n in sorted(pa.keys() | pb.keys()) if pa.get(n) != pb.get(n)]
    return out


_EMPTY = ("0", "n", None, None)


def _blank(cell) -> bool:
    return cell is None or cell == _EMPTY
