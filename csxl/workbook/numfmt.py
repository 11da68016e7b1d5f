"""Number formats for cells refresh writes where the template has no styled cell (Trend's
history and Errors' list grow below the template's rows): each cell's style (`xf` in
styles.xml) copied with the format, the format and the copy added to styles.xml once."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from openpyxl.utils import get_column_letter

# Excel's built-in formats csxl uses (they have no <numFmt> element).
_BUILTIN = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
_FIRST_CUSTOM = 164
_NUMFMTS = re.compile(rb"<numFmts\b[^>]*?(?:/>|>(?P<body>.*?)</numFmts>)", re.S)
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"[^>]*/>')
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*?(?:/>|>(?P<body>.*?)</cellXfs>)", re.S)
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_CELL = re.compile(rb'<c r="(?P<ref>[A-Z]+\d+)"(?P<attrs>[^>]*?)(?P<end>/?>)')


def apply(
    styles: bytes, sheet: bytes, formats: Mapping[tuple[int, int], str]
) -> tuple[bytes, bytes]:
    """(styles.xml, the sheet part) with each (row, column) of `formats` given its format;
    cells not in the part are left alone (an empty cell shows no number)."""
    if not formats:
        return styles, sheet
    ids, styles = _format_ids(styles, set(formats.values()))
    xfs = _xfs(styles)
    added: list[bytes] = []
    chosen: dict[tuple[int, int], int] = {}  # (the cell's xf, format id) -> new xf

    def xf_for(current: int, fmt_id: int) -> int:
        if (current, fmt_id) not in chosen:
            xf = _with_format(xfs[current] if current < len(xfs) else xfs[0], fmt_id)
            every = xfs + added
            if xf not in every:
                added.append(xf)
                every = xfs + added
            chosen[(current, fmt_id)] = every.index(xf)
        return chosen[(current, fmt_id)]

    wanted = {f"{get_column_letter(c)}{r}".encode(): ids[fmt] for (r, c), fmt in formats.items()}

    def restyle(m: re.Match[bytes]) -> bytes:
        fmt_id = wanted.get(m["ref"])
        if fmt_id is None:
            return m.group(0)
        attrs = m["attrs"]
        s = re.search(rb'\ss="(\d+)"', attrs)
        xf = xf_for(int(s[1]) if s else 0, fmt_id)
        attrs = (attrs[: s.start()] + attrs[s.end() :]) if s else attrs
        return b'<c r="' + m["ref"] + b'" s="%d"' % xf + attrs + m["end"]

    sheet = _CELL.sub(restyle, sheet)
    if added:
        m = _CELLXFS.search(styles)
        assert m is not None and m["body"] is not None  # _xfs found them
        body = m["body"] + b"".join(added)
        element = b'<cellXfs count="%d">' % (len(xfs) + len(added)) + body + b"</cellXfs>"
        styles = styles[: m.start()] + element + styles[m.end() :]
    return styles, sheet


def _format_ids(styles: bytes, codes: set[str]) -> tuple[dict[str, int], bytes]:
    """Each format's id, the custom ones not yet in styles.xml added to <numFmts>."""
    m = _NUMFMTS.search(styles)
    body = (m["body"] or b"") if m else b""
    known = {html.unescape(code.decode()): int(i) for i, code in _NUMFMT.findall(body)}
    ids = {code: _BUILTIN[code] for code in codes if code in _BUILTIN}
    new = b""
    next_id = max([_FIRST_CUSTOM - 1, *known.values()]) + 1
    for code in sorted(codes - ids.keys()):
        if code not in known:
            known[code] = next_id
            escaped = html.escape(code, quote=True).encode()
            new += b'<numFmt numFmtId="%d" formatCode="%s"/>' % (next_id, escaped)
            next_id += 1
        ids[code] = known[code]
    if new:
        count = len(_NUMFMT.findall(body)) + new.count(b"<numFmt ")
        element = b'<numFmts count="%d">' % count + body + new + b"</numFmts>"
        if m:
            styles = styles[: m.start()] + element + styles[m.end() :]
        else:  # <numFmts> is the first child of <styleSheet>
            at = styles.index(b">", styles.index(b"<styleSheet")) + 1
            styles = styles[:at] + element + styles[at:]
    return ids, styles


def _xfs(styles: bytes) -> list[bytes]:
    m = _CELLXFS.search(styles)
    if m is None or m["body"] is None:
        raise ValueError("styles.xml has no cell styles (cellXfs)")
    return _XF.findall(m["body"])


def _with_format(xf: bytes, fmt_id: int) -> bytes:
    """The <xf> with numFmtId `fmt_id`, applied."""
    end = xf.index(b">")
    start, rest = xf[:end], xf[end:]
    if start.endswith(b"/"):
        start, rest = start[:-1], b"/" + rest
    start = re.sub(rb'\s(?:numFmtId|applyNumberFormat)="[^"]*"', b"", start)
    return start + b' numFmtId="%d" applyNumberFormat="1"' % fmt_id + rest
