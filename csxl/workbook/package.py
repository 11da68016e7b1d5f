"""Saving a workbook package: cached formula values, deterministic parts, atomic replace.

openpyxl writes a formula cell as `<f>..</f><v />`: no value until Excel recalculates, so
fast readers, Protected View and printing would show blanks. After openpyxl has written
the package, each formula cell gets the value the Python engine computed for it.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from csxl.domain.excel_math import excel_serial
from csxl.readers.limits import sheet_parts  # the package's sheets (also used by port)

# Zip entries get a fixed time so that the same inputs give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CELL = re.compile(
    rb'<c r="(?P<ref>[A-Z]{1,3}[0-9]+)"(?P<attrs>[^>]*)>'
    rb"(?P<f><f(?:\s[^>]*)?>.*?</f>|<f[^>]*/>)<v ?/>"
)

Cached = Mapping[tuple[str, str], object]  # (sheet title, "B5") -> value


def escape(text: str) -> str:
    """&, < and > as XML entities: `xml.sax.saxutils.escape`, whose module imports urllib,
    http and ssl (0.02 to 0.2 s) into every command that opens a plan."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def cell_value(value: object) -> tuple[bytes, bytes]:
    """(type attribute, <v> text) for a cached formula result."""
    if isinstance(value, bool):
        return b' t="b"', b"1" if value else b"0"
    if isinstance(value, datetime | date):
        return b"", repr(excel_serial(value)).encode()
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return b' t="e"', b"#NUM!"
        return b"", repr(float(value) if isinstance(value, float) else value).encode()
    if value is None:
        value = ""
    text = str(value)
    if text.startswith("#") and text.endswith(("!", "?", "A")) and text in _ERRORS:
        return b' t="e"', text.encode()
    return b' t="str"', escape(text).encode("utf-8")


_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}


def inject(sheet_xml: bytes, values: Mapping[str, object], sheet: str) -> bytes:
    """Put cached values into a sheet part; every formula cell must have one."""
    seen: set[str] = set()

    def put(m: re.Match[bytes]) -> bytes:
        ref = m["ref"].decode()
        if ref not in values:
            raise KeyError(f"{sheet}!{ref}: formula written without a cached value")
        seen.add(ref)
        kind, text = cell_value(values[ref])
        attrs = re.sub(rb'\st="[^"]*"', b"", m["attrs"])
        return b'<c r="%s"%s%s>%s<v>%s</v>' % (m["ref"], attrs, kind, m["f"], text)

    out = _CELL.sub(put, sheet_xml)
    missing = set(values) - seen
    if missing:
        raise KeyError(f"{sheet}: cached values for cells without a formula: {sorted(missing)[:5]}")
    return out


def finish(raw: bytes, cached: Cached, header_only: frozenset[str] | None = None) -> bytes:
    """openpyxl's package -> the same package with cached values and fixed zip times; with
    `header_only` (the paste areas' titles), every sheet's print area (`printing`)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zin:
        names = zin.namelist()
        files = {n: zin.read(n) for n in names}
    parts = sheet_parts(files)
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, ref), value in cached.items():
        by_sheet.setdefault(sheet, {})[ref] = value
    for sheet, values in by_sheet.items():
        part = parts[sheet]
        files[part] = inject(files[part], values, sheet)
    if header_only is not None:
        from csxl.workbook import printing

        areas = printing.print_areas(parts, files.get, files.get, header_only)
        files["xl/workbook.xml"] = printing.with_print_areas(files["xl/workbook.xml"], areas)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for name in names:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, files[name])
    return buf.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target and replace it in one step: never a half-written file."""
    from csxl.workbook.safety import remove_stale_temps

    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path.parent)  # left by a save that was killed
    fd, tmp = tempfile.mkstemp(prefix=".~csxl-", suffix=path.suffix, dir=path.parent)
    try:
        # mkstemp makes the file private; a workbook keeps its mode, a new one the umask's.
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
