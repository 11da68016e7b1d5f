"""Tell what a file really is from its first bytes, not its extension."""

from __future__ import annotations

import zipfile
import zlib
from enum import Enum
from pathlib import Path

from csxl.errors import InputError, Location, t

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# An encrypted OOXML workbook is an OLE file holding this stream (MS-OFFCRYPTO).
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Largest uncompressed size of all parts we accept: a 1,048,576-row sheet is far below.
MAX_UNZIPPED = 4 * 1024**3
# A part this large that inflates this many times its stored size is a zip bomb: real sheet
# XML deflates 5-30 times; runs of zeros reach deflate's limit, about 1,000.
BOMB_SIZE = 64 * 1024**2
BOMB_RATIO = 400
# Parts csxl itself parses with Python's XML parser; OOXML never has a DOCTYPE.
_PARSED_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


class Kind(Enum):
    XLSX = "xlsx"
    CSV = "csv"


def sniff(path: Path) -> Kind:
    where = Location(file=path.name)
    if not path.exists():
        raise InputError(
            t("文件不存在。", "file not found."),
            where,
            t("请检查路径和文件名。", "Check the path and the file name."),
        )
    if path.is_dir():
        raise InputError(t("这是文件夹，不是文件。", "this is a folder, not a file."), where)
    try:
        with path.open("rb") as f:
            start = f.read(4096)
    except OSError as exc:
        raise InputError(
            t(f"无法读取文件（{exc.strerror}）。", f"cannot read the file ({exc.strerror})."), where
        ) from None
    head = start[:8]
    if not head:
        raise InputError(
            t("文件是空的。", "the file is empty."),
            where,
            t("请重新导出数据。", "Export the data again."),
        )
    if head.startswith(_OLE):
        if _ENCRYPTED in path.read_bytes():
            raise InputError(
                t("工作簿设有密码保护。", "the workbook is password-protected."),
                where,
                t(
                    "请在 Excel 中打开，去掉密码（文件 > 信息 > 保护工作簿），保存后重试。",
                    "Open it in Excel, remove the password (File > Info > Protect Workbook), "
                    "save, and try again.",
                ),
            )
        raise InputError(
            t("这是 Excel 97-2003（.xls）文件。", "this is an Excel 97-2003 (.xls) file."),
            where,
            t(
                "请在 Excel 或 WPS 中打开并另存为 .xlsx（Excel 工作簿）后重试。",
                "Open it in Excel or WPS and save it as .xlsx (Excel Workbook), then try again.",
            ),
        )
    if head.startswith(_ZIP):
        _check_workbook_zip(path, where)
        return Kind.XLSX
    _refuse_markup(start, where)
    return Kind.CSV


def _refuse_markup(start: bytes, where: Location) -> None:
    """Web exports saved as .xls: an HTML table, or Excel 2003's XML Spreadsheet."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        kind = t("网页（HTML 表格）", "a web page (HTML table)")
    elif text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        kind = t("Excel 2003 XML 电子表格", "an Excel 2003 XML spreadsheet")
    else:
        return
    raise InputError(
        t(
            f"这是带 Excel 扩展名的 {kind}，不是 .xlsx 工作簿或 CSV。",
            f"this is {kind} with an Excel name, not an .xlsx workbook or CSV.",
        ),
        where,
        t(
            "请在 Excel 或 WPS 中打开并另存为 .xlsx（Excel 工作簿）后重试。",
            "Open it in Excel or WPS and save it as .xlsx (Excel Workbook), then try again.",
        ),
    )


def _check_workbook_zip(path: Path, where: Location) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            bombs = [
                info.filename
                for info in infos
                if info.file_size > BOMB_SIZE
                and info.file_size > BOMB_RATIO * max(info.compress_size, 1)
            ]
            # Deflate never shrinks text to less than half: a part declaring less than that
            # lies about its size (calamine would inflate it anyway).
            lying = [
                info.filename
                for info in infos
                if info.compress_size > 65536 and info.file_size < info.compress_size // 2
            ]
            parsed = {n: zf.open(n).read(4096) for n in _PARSED_PARTS if n in names and not bombs}
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise InputError(
            t("文件已损坏（不是完整的 .xlsx）。", "the file is damaged (not a complete .xlsx)."),
            where,
            t(
                "请重新下载或导出；如果 Excel 能打开，请另存一份 .xlsx。",
                "Download or export it again; if Excel can open it, save a copy as .xlsx.",
            ),
        ) from None
    if "xl/workbook.bin" in names:
        raise InputError(
            t("这是二进制的 .xlsb 工作簿。", "this is a binary .xlsb workbook."),
            where,
            t("请在 Excel 中另存为 .xlsx。", "Save it as .xlsx in Excel."),
        )
    if "xl/workbook.xml" not in names:
        raise InputError(
            t(
                "这是 zip 压缩文件，不是 Excel 工作簿。",
                "this is a zip file, not an Excel workbook.",
            ),
            where,
        )
    if lying:
        raise InputError(
            t(
                f"其中的部件 {lying[0]} 声明的大小小于压缩数据（zip 炸弹或文件损坏），"
                "csxl 不解压它。",
                f"the part {lying[0]} declares a size smaller than its compressed data (a zip "
                "bomb or a damaged file); csxl does not unpack it.",
            ),
            where,
            t("请从数据来源重新导出。", "Export the data again from its source."),
        )
    if bombs:
        raise InputError(
            t(
                f"其中的部件 {bombs[0]} 解压后超过存储大小的 {BOMB_RATIO} 倍（zip 炸弹），"
                "csxl 不解压它。",
                f"the part {bombs[0]} inflates more than {BOMB_RATIO} times its stored size "
                "(a zip bomb); csxl does not unpack it.",
            ),
            where,
            t("请从数据来源重新导出。", "Export the data again from its source."),
        )
    for name, text in parsed.items():
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            raise InputError(
                t(
                    f"其中的部件 {name} 声明了 DOCTYPE 或实体，Excel 工作簿不会有这些；"
                    "csxl 不读取它。",
                    f"the part {name} declares a DOCTYPE or entities, which no Excel workbook "
                    "has; csxl does not read it.",
                ),
                where,
                t(
                    "请在 Excel 中打开并另存一份 .xlsx。",
                    "Open it in Excel and save a copy as .xlsx.",
                ),
            )
    if total > MAX_UNZIPPED:
        raise InputError(
            t(
                f"工作簿解压后有 {total / 1024**3:.1f} GB，超过 csxl 接受的 "
                f"{MAX_UNZIPPED / 1024**3:.0f} GB。",
                f"the workbook unpacks to {total / 1024**3:.1f} GB, more than the "
                f"{MAX_UNZIPPED / 1024**3:.0f} GB csxl accepts.",
            ),
            where,
            t("请按月拆分导出。", "Split the export by month."),
        )
