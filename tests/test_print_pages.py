"""What the demo prints, measured in LibreOffice (xlsx -> PDF, pdfinfo, pdftotext -bbox).

Issue 18: the demo plan prints on at most 40 A4 pages (153 before print areas: 100 of them
the Orders paste area) and the department summary on at most 8; the wide tables split into
page groups keep their text at 8 pt or more.
"""

from __future__ import annotations

import re
import statistics
import subprocess
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from csxl.demo import PLAN, SUMMARY
from csxl.workbook import layout, style
from tests.libreoffice import pdf_pages, require_calibri_metrics

WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"')


def _word_heights(pdf: Path) -> list[float]:
    text = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [float(b) - float(a) for a, b in WORD.findall(text)]


def test_the_demo_plan_and_summary_print_within_their_page_limits(
    libreoffice, demo: Path, tmp_path: Path
) -> None:
    require_calibri_metrics()
    plan = pdf_pages(libreoffice.convert_to_pdf(demo / PLAN["zh"], tmp_path / "plan"))
    summary = pdf_pages(libreoffice.convert_to_pdf(demo / SUMMARY["zh"], tmp_path / "summary"))
    assert plan <= 40, f"the demo plan prints on {plan} pages"
    assert summary <= 8, f"the summary prints on {summary} pages"


def test_wide_tables_print_at_8_pt_or_more(libreoffice, demo: Path, tmp_path: Path) -> None:
    """The median word box of each wide sheet's pages is at least that of 8 pt text printed
    at 100% (the same font, rendered alongside: no assumption about box heights)."""
    require_calibri_metrics()
    wb = Workbook()
    ws = wb.active
    for r in range(1, 21):
        ws.cell(r, 1, "满意度 95.0% 一次解决率 2026").font = Font(name=style.FONT, size=8)
    wb.save(tmp_path / "eight.xlsx")
    eight = statistics.median(
        _word_heights(libreoffice.convert_to_pdf(tmp_path / "eight.xlsx", tmp_path / "8pt"))
    )
    for key in ("Goals", "Scores", "Budget", "Staffing"):
        title = layout.title(key, "zh")
        pdf = libreoffice.convert_to_pdf(demo / PLAN["zh"], tmp_path / key, [title])
        heights = _word_heights(pdf)
        assert statistics.median(heights) >= eight * 0.99, (key, statistics.median(heights), eight)
