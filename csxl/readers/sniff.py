"""Tell what a file really is from its first bytes, not its extension."""

from __future__ import annotations

import zipfile
from enum import Enum
from pathlib import Path

from csxl.errors import InputError, Location

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# An encrypted OOXML workbook is an OLE file holding this stream (MS-OFFCRYPTO).
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Largest uncompressed size of all parts we accept: a 1,048,576-row sheet is far below.
MAX_UNZIPPED = 4 * 1024**3


class Kind(Enum):
    XLSX = "xlsx"
    CSV = "csv"


def sniff(path: Path) -> Kind:
    where = Location(file=path.name)
    if not path.exists():
        raise InputError("file not found.", where, "Check the path and the file name.")
    if path.is_dir():
        raise InputError("this is a folder, not a file.", where)
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror}).", where) from None
    if not head:
        raise InputError("the file is empty.", where, "Export the data again.")
    if head.startswith(_OLE):
        if _ENCRYPTED in path.read_bytes():
            raise InputError(
                "the workbook is password-protected.",
                where,
                "Open it in Excel, remove the password (File > Info > Protect Workbook), "
                "save, and try again.",
            )
        raise InputError(
            "this is an Excel 97-2003 (.xls) file.",
            where,
            "Open it in Excel or WPS and save it as .xlsx (Excel Workbook), then try again.",
        )
    if head.startswith(_ZIP):
        _check_workbook_zip(path, where)
        return Kind.XLSX
    return Kind.CSV


def _check_workbook_zip(path: Path, where: Location) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError):
        raise InputError(
            "the file is damaged (not a complete .xlsx).",
            where,
            "Download or export it again; if Excel can open it, save a copy as .xlsx.",
        ) from None
    if "xl/workbook.bin" in names:
        raise InputError("this is a binary .xlsb workbook.", where, "Save it as .xlsx in Excel.")
    if "xl/workbook.xml" not in names:
        raise InputError("this is a zip file, not an Excel workbook.", where)
    if total > MAX_UNZIPPED:
        raise InputError(
            f"the workbook unpacks to {total / 1024**3:.1f} GB, more than the "
            f"{MAX_UNZIPPED / 1024**3:.0f} GB csxl accepts.",
            where,
            "Split the export by month.",
        )
