"""A user's header synonyms from a file: two or three columns, header -> canonical column.

Accepted headers of the file itself: 表头/header, 字段/column, and optionally 倍数/scale
(60 for a duration given in minutes). CSV (any encoding csxl reads) or .xlsx.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from pathlib import Path

from csxl.domain.columns import COLUMNS
from csxl.domain.synonyms import normalise_header
from csxl.errors import InputError, Location, t
from csxl.readers.csv import decode
from csxl.readers.sniff import Kind, sniff

_HEADER = {"表头", "header", "列名"}
_COLUMN = {"字段", "column", "canonical"}
_SCALE = {"倍数", "scale"}


def read_mapping(
    path: Path, columns: Collection[str] = tuple(COLUMNS)
) -> list[tuple[str, str, float]]:
    """The file's (header, column, scale) rows; `columns` are the csxl columns it may name
    (the ticket columns, or those of tickets and orders for `csxl kpi --orders`)."""
    rows = _rows(path)
    if not rows:
        raise InputError(t("映射文件是空的。", "the mapping file is empty."), Location(path.name))
    head = [normalise_header(h) for h in rows[0]]
    try:
        h = next(i for i, x in enumerate(head) if x in _HEADER)
        c = next(i for i, x in enumerate(head) if x in _COLUMN)
    except StopIteration:
        raise InputError(
            t(
                "映射文件需要一个含“表头”和“字段”两列的表头行。",
                "the mapping file needs a header row with header and column.",
            ),
            Location(path.name, row=1),
        ) from None
    s = next((i for i, x in enumerate(head) if x in _SCALE), None)
    pairs: list[tuple[str, str, float]] = []
    for n, row in enumerate(rows[1:], start=2):
        cells = [("" if v is None else str(v)).strip() for v in row]
        if len(cells) <= max(h, c) or not cells[h] or not cells[c]:
            continue
        scale = 1.0
        if s is not None and len(cells) > s and cells[s]:
            try:
                scale = float(cells[s])
            except ValueError:
                raise InputError(
                    t(f"倍数 {cells[s]!r} 不是数字。", f"scale {cells[s]!r} is not a number."),
                    Location(path.name, row=n, column=rows[0][s]),
                ) from None
        if cells[c] not in columns:
            raise InputError(
                t(f"{cells[c]!r} 不是 csxl 的字段。", f"{cells[c]!r} is not a csxl column."),
                Location(path.name, row=n, column=rows[0][c]),
                t(f"请用其中之一：{'、'.join(columns)}。", f"Use one of: {', '.join(columns)}."),
            )
        pairs.append((cells[h], cells[c], scale))
    return pairs


def _rows(path: Path) -> list[list[object]]:
    if sniff(path) is Kind.XLSX:
        from python_calamine import CalamineWorkbook

        from csxl.readers.limits import check_sheet

        book = CalamineWorkbook.from_path(str(path))
        first = book.sheet_names[0] if book.sheet_names else None
        if first is not None:
            check_sheet(path, first, Location(path.name, first))  # a stray far cell
        return book.get_sheet_by_index(0).to_python()
    text, _ = decode(path.read_bytes(), Location(path.name))
    return list(csv.reader(io.StringIO(text)))
