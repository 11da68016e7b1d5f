"""batch-report.xlsx: each team's file, status, time and message, and the run's warnings."""

from __future__ import annotations

import io
from pathlib import Path

from csxl.batch.status import NEEDS_A_LOOK, STATUS_LABELS, BatchResult

REPORT = "batch-report.xlsx"
REPORT_HEADERS = {
    "zh": ("团队", "文件", "状态", "用时（秒）", "说明"),
    "en": ("Team", "File", "Status", "Seconds", "Message"),
}


def write_report(path: Path, result: BatchResult) -> Path:
    """batch-report.xlsx: team, file, status, seconds, message (and the run's warnings)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from csxl.workbook.package import write_atomic

    wb = Workbook()
    ws = wb.active
    ws.title = "批量报告" if result.lang == "zh" else "Batch report"
    ws.append(list(REPORT_HEADERS[result.lang]))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F3A5F")
    labels = STATUS_LABELS[result.lang]
    for r in result.teams:
        ws.append([r.team, r.file, labels[r.status], round(r.seconds, 3), r.message])
        if r.status in NEEDS_A_LOOK:
            ws.cell(ws.max_row, 3).font = Font(bold=True, color="9B1C1C")
    for line in result.warnings:
        ws.append(["", "", "", None, line])
    for letter, width in zip("ABCDE", (16, 24, 16, 10, 70), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    raw = io.BytesIO()
    wb.save(raw)
    write_atomic(path, raw.getvalue())
    return path
