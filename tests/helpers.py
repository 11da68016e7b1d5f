"""Tiny fixture builders: write a ticket export the way a manager would paste it.

Rows are dicts keyed by a canonical column name (``ticket_id``, ``created_at``, ...), which
is written under its zh header, or by any header text written as it is (e.g. Zendesk's
``Satisfaction Score``). Without ``headers`` the columns are the keys of the rows in the
order they first appear. A missing key or ``None`` is an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl

ZH_HEADERS: dict[str, str] = {
    "ticket_id": "工单号",
    "created_at": "创建时间",
    "first_response_at": "首次响应时间",
    "resolved_at": "解决时间",
    "channel": "渠道",
    "team": "团队",
    "group": "小组",
    "agent": "客服",
    "tags": "问题标签",
    "csat": "满意度",
    "survey_sent": "是否推送评价",
    "fcr": "是否一次解决",
    "contacts": "联系次数",
    "reopens": "重开次数",
    "complaint": "是否投诉",
    "escalated": "升级投诉",
    "handle_s": "处理时长(秒)",
    "bad_review_reason": "差评原因",
    "reviewed": "是否复核",
    "dept_type": "协作类型",
    "dept_sent_at": "转交时间",
    "dept_done_at": "部门完成时间",
    "status": "状态",
}


def _header(key: str) -> str:
    return ZH_HEADERS.get(key, key)


def _table(rows: Sequence[dict], headers: Sequence[str] | None) -> tuple[list[str], list[list]]:
    if headers is None:
        headers = list(dict.fromkeys(_header(k) for row in rows for k in row))
    else:
        headers = [_header(h) for h in headers]
    body = []
    for row in rows:
        by_header = {_header(k): v for k, v in row.items()}
        body.append([by_header.get(h) for h in headers])
    return list(headers), body


def write_xlsx(
    rows: Sequence[dict],
    path: str | Path,
    headers: Sequence[str] | None = None,
    title_rows: int = 0,
) -> Path:
    """An .xlsx with `title_rows` title lines (the first merged), the header, then the rows.

    datetime values become real Excel dates; everything else is written as given.
    """
    path = Path(path)
    head, body = _table(rows, headers)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工单明细"
    for i in range(title_rows):
        ws.append([f"工单导出 标题行 {i + 1}"])
    if title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(head), 2))
    ws.append(head)
    for values in body:
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def write_csv(
    rows: Sequence[dict],
    path: str | Path,
    encoding: str = "utf-8",
    headers: Sequence[str] | None = None,
) -> Path:
    """A CSV export; datetimes written as `2026-03-01 09:05:00`."""
    path = Path(path)
    head, body = _table(rows, headers)
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(head)
        for values in body:
            out.writerow(
                [
                    v.strftime("%Y-%m-%d %H:%M:%S")
                    if isinstance(v, datetime)
                    else ("" if v is None else v)
                    for v in values
                ]
            )
    return path


def document(rows: Sequence[dict], tmp_path: Path, by=("all",), name="t.xlsx", **kwargs):
    """Write `rows` as xlsx (or csv by name) and return `kpi_document`'s (doc, tickets)."""
    from csxl.kpi_report import kpi_document

    headers = kwargs.pop("headers", None)
    path = Path(tmp_path) / name
    if path.suffix == ".csv":
        write_csv(rows, path, headers=headers)
    else:
        write_xlsx(rows, path, headers=headers, title_rows=kwargs.pop("title_rows", 0))
    doc, tickets, _ = kpi_document(path, by=tuple(by), **kwargs)
    return doc, tickets


def group(doc: dict, by: str = "all", key=None) -> dict:
    """The `kpis` of one group of a document."""
    for g in doc["groups"]:
        if g["by"] == by and g["key"] == key:
            return g["kpis"]
    raise KeyError((by, key))
