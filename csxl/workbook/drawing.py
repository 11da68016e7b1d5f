"""A sheet's charts, put into a saved package without rewriting the rest of it.

Refresh patches cells into sheet parts (`sheetxml`); a chart is more parts: a drawing
anchored on the sheet (`<drawing r:id>` in the sheet, a relationship to it), one part per
chart, and their content types. `replace_charts` swaps the sheet's drawing for one holding
the given openpyxl charts (or none): the old drawing, its charts and the parts only they
use (Excel adds a style and a colour part per chart) are taken out, so a sheet csxl owns
(Trend) never collects stale charts. Anything else in the package is left as it is.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from openpyxl.chart._chart import ChartBase

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DRAWING_REL = f"{R_NS}/drawing"
CHART_REL = f"{R_NS}/chart"
DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CONTENT_TYPES = "[Content_Types].xml"
DRAWING_ID = "csxlDrawing"

# CT_Worksheet: <drawing> comes after these and before the first of the rest.
_AFTER_DRAWING = (
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
# Elements before <drawing> that may hold an <extLst> of their own.
_BEFORE_DRAWING_CLOSERS = (b"sheetData", b"conditionalFormatting", b"dataValidations")
_REL = re.compile(rb"<Relationship\b[^>]*?/>|<Relationship\b[^>]*?>.*?</Relationship>", re.S)
_ATTR = r'\s{0}="([^"]*)"'


@dataclass
class Changes:
    """Parts to write (name -> bytes) and parts to take out of the package."""

    write: dict[str, bytes] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _attr(xml: bytes, name: str) -> str | None:
    m = re.search(_ATTR.format(name).encode(), xml)
    return None if m is None else m[1].decode()


def _target(source: str, target: str) -> str:
    """A relationship's target as a part name (relative to its source part's folder)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relationships(xml: bytes | None) -> list[bytes]:
    return [] if xml is None else _REL.findall(xml)


def _owned_by(part: str, read: Callable[[str], bytes | None], out: set[str]) -> set[str]:
    """`part`, its relationships part and every part they point to, recursively."""
    out.add(part)
    rels = rels_name(part)
    xml = read(rels)
    if xml is None:
        return out
    out.add(rels)
    for rel in _relationships(xml):
        target = _attr(rel, "Target")
        if target and _attr(rel, "TargetMode") != "External":
            name = _target(part, target)
            if name not in out:
                _owned_by(name, read, out)
    return out


def replace_charts(
    sheet_part: str,
    sheet_xml: bytes,
    read: Callable[[str], bytes | None],
    charts: Sequence[ChartBase],
) -> tuple[bytes, Changes]:
    """The sheet part with its drawing replaced by one of `charts` (none: no drawing), and
    the other parts to write and to remove. `read(name)` gives a part of the package as it
    will be before these changes (None when absent)."""
    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.xml.functions import tostring

    changes = Changes()
    rels_part = rels_name(sheet_part)
    rels = read(rels_part)
    kept: list[bytes] = []
    for rel in _relationships(rels):
        if _attr(rel, "Type") == DRAWING_REL:
            target = _attr(rel, "Target")
            if target:
                changes.remove |= _owned_by(_target(sheet_part, target), read, set())
        else:
            kept.append(rel)
    sheet_xml = re.sub(rb"<drawing\b[^>]*/>", b"", sheet_xml)
    stem = posixpath.splitext(posixpath.basename(sheet_part))[0]
    if charts:
        drawing_part = f"xl/drawings/csxl_{stem}.xml"
        drawing = SpreadsheetDrawing()
        drawing.charts = list(charts)
        tree = drawing._write()  # anchors; chart i is relationship rId{i}
        changes.write[drawing_part] = tostring(tree)
        chart_rels = []
        for i, chart in enumerate(charts, 1):
            name = f"xl/charts/csxl_{stem}_{i}.xml"
            changes.write[name] = tostring(chart._write())
            chart_rels.append(
                f'<Relationship Id="rId{i}" Type="{CHART_REL}" '
                f'Target="../charts/{posixpath.basename(name)}"/>'
            )
        changes.write[rels_name(drawing_part)] = _rels_xml(chart_rels)
        target = posixpath.relpath(drawing_part, posixpath.dirname(sheet_part))
        kept.append(
            f'<Relationship Id="{DRAWING_ID}" Type="{DRAWING_REL}" '
            f"Target={_quoteattr(target)}/>".encode()
        )
        sheet_xml = _with_drawing(sheet_xml)
    changes.remove -= set(changes.write)
    if rels is not None or kept:
        changes.write[rels_part] = _rels_xml([r.decode("utf-8") for r in kept])
    types = read(CONTENT_TYPES)
    if types is not None and (changes.write or changes.remove):
        changes.write[CONTENT_TYPES] = _content_types(types, changes)
    return sheet_xml, changes


def _rels_xml(relationships: list[str]) -> bytes:
    body = "".join(relationships)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{RELS_NS}">{body}</Relationships>'
    ).encode()


def _with_drawing(sheet_xml: bytes) -> bytes:
    prefix = b"r:"
    root = re.search(rb"<worksheet\b[^>]*>", sheet_xml)
    declared = root is not None and f'xmlns:r="{R_NS}"'.encode() in root[0]
    element = (
        b'<drawing r:id="%s"/>' % DRAWING_ID.encode()
        if declared
        else b'<drawing xmlns:r="%s" %sid="%s"/>' % (R_NS.encode(), prefix, DRAWING_ID.encode())
    )
    if not sheet_xml.rstrip().endswith(b"</worksheet>"):
        raise ValueError("a sheet part without </worksheet>")
    at = sheet_xml.rindex(b"</worksheet>")
    # Only the worksheet's own elements: an <extLst> may also sit inside a conditional
    # format's rule or a data validation, before where <drawing> goes.
    start = max(
        (sheet_xml.rfind(b"</%s>" % name) for name in _BEFORE_DRAWING_CLOSERS),
        default=-1,
    )
    for name in _AFTER_DRAWING:
        m = re.compile(rb"<%s\b" % name.encode()).search(sheet_xml, max(start, 0))
        if m is not None:
            at = min(at, m.start())
    return sheet_xml[:at] + element + sheet_xml[at:]


def _content_types(types: bytes, changes: Changes) -> bytes:
    for name in changes.remove:
        types = re.sub(rb'<Override PartName="/%s"[^>]*/>' % re.escape(name.encode()), b"", types)
    adds = []
    for name in sorted(changes.write):
        kind = DRAWING_TYPE if name.startswith("xl/drawings/") else CHART_TYPE
        if name.endswith(".rels") or name == CONTENT_TYPES:
            continue
        if b'PartName="/%s"' % name.encode() not in types:
            adds.append(
                b'<Override PartName="/%s" ContentType="%s"/>' % (name.encode(), kind.encode())
            )
    return types.replace(b"</Types>", b"".join(adds) + b"</Types>")


def _quoteattr(text: str) -> str:
    """`xml.sax.saxutils.quoteattr`, whose module imports urllib, http and ssl."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    text = text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    quoted = text.replace('"', "&quot;")
    return f'"{quoted}"'
