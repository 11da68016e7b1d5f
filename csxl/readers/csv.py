"""Read a ticket CSV in UTF-8 (with or without BOM), GBK or GB18030.

Chinese Excel saves "CSV" in the system code page (GBK); GB18030 is its superset, so a file
that is not valid UTF-8 is decoded as GB18030. Rows are CSV records, which is what Excel
shows as rows (a quoted field with line breaks stays in one row).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from csxl.domain.synonyms import Synonyms
from csxl.errors import InputError, Location, t
from csxl.readers import limits
from csxl.readers.header import SCAN_ROWS, find_header, settle
from csxl.readers.table import RawTable

# A 1,000,000-ticket export is about 200 MB of CSV; the text is held about three times over
# while it is decoded and parsed.
MAX_CSV_BYTES = 1024**3


def decode(data: bytes, where: Location) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            t(
                "文件既不是 Excel 工作簿，也不是 UTF-8 或 GBK/GB18030 编码的文本"
                f"（第 {exc.start} 字节）。",
                "the file is neither an Excel workbook nor text in UTF-8 or GBK/GB18030 "
                f"(byte {exc.start}).",
            ),
            where,
            t(
                "请重新导出为 .xlsx，或在 Excel 中另存为“CSV UTF-8”后重试。",
                "Export it again as .xlsx, or save it as CSV UTF-8 in Excel, and try again.",
            ),
        ) from None


def read_csv(path: Path, synonyms: Synonyms) -> RawTable:
    import pandas as pd

    where = Location(file=path.name)
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError(
            t(
                f"文件有 {size / 1024**3:.1f} GB，超过 csxl 读取 CSV 的上限 "
                f"{MAX_CSV_BYTES / 1024**3:.0f} GB。",
                f"the file is {size / 1024**3:.1f} GB, more than the "
                f"{MAX_CSV_BYTES / 1024**3:.0f} GB csxl reads as CSV.",
            ),
            where,
            t("请导出较短的期间（一次一个月）。", "Export a shorter period (a month at a time)."),
        )
    text, encoding = decode(path.read_bytes(), where)
    if "\x00" in text[:4096]:
        raise InputError(
            t("这是二进制文件，不是 CSV 或 Excel。", "this is a binary file, not CSV or Excel."),
            where,
        )
    dialect = _dialect(text)
    probe = list(_first_records(text, dialect, SCAN_ROWS))
    index, match = find_header(probe, synonyms, where)
    # Every position that names a known column is read; `settle` keeps one per column.
    wanted = sorted({pos for hits in match.candidates.values() for pos, _ in hits})
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=dialect.delimiter,
            header=None,
            skiprows=index + 1,
            usecols=wanted,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise InputError(
            t(
                f"无法解析该 CSV（{str(exc).splitlines()[0]}）。",
                f"cannot parse the CSV ({str(exc).splitlines()[0]}).",
            ),
            where,
        ) from None
    match = settle(
        match,
        lambda pos: pos in frame and bool(frame[pos].str.strip().fillna("").ne("").any()),
        where,
        index + 1,
        lambda pos: f"{pos + 1} ({limits.column_letters(pos + 1)})",
        synonyms.schema.labels,
        synonyms.schema.ranked,
    )
    positions = {pos: col for col, pos in match.columns.items()}
    frame = frame[[c for c in frame.columns if c in positions]]
    frame.columns = [positions[c] for c in frame.columns]
    frame.index = frame.index + index + 2
    table = RawTable(path.name, None, index + 1, match, frame)
    if encoding.startswith("gb"):
        table.notes.append(
            t(
                "按 GBK/GB18030（中文 Windows 编码）读取",
                "read as GBK/GB18030 (the Chinese Windows code page)",
            )
        )
    return table


def _dialect(text: str) -> csv.Dialect:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _first_records(text: str, dialect: csv.Dialect, n: int):
    for i, record in enumerate(csv.reader(io.StringIO(text), dialect)):
        if i >= n:
            return
        yield record
