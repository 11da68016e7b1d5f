"""The LibreOffice oracle itself: exact values, errors, stale caches, PDF and PNG."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.table import Table

from tests.libreoffice import (
    CellError,
    LibreOffice,
    convert_to_pdf,
    import_uno,
    pdf_to_png,
    unavailable,
)

STALE = 99999  # a wrong cached value written into the file: the oracle must not show it


def _with_cached_value(path: Path, formula: str, cached: int) -> None:
    """Give the formula cell ``<f>formula</f>`` a cached value, as csxl's writer will."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    old = f"<f>{formula}</f><v />"
    assert old in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        old, f"<f>{formula}</f><v>{cached}</v>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """A small workbook: a Chinese sheet, an Excel table, the usual functions, one error."""
    wb = Workbook()
    goals = wb.active
    goals.title = "目标"
    goals.append(["指标", "目标", "实际", "差异"])
    for name, target, actual in [("满意度", 90, 95), ("首次响应", 60, 45), ("一次解决率", 80, 70)]:
        row = goals.max_row + 1
        goals.append(
            [name, target, actual, "=目标表[[#This Row],[实际]]-目标表[[#This Row],[目标]]"]
        )
        assert goals.cell(row, 1).value == name
    goals.add_table(Table(displayName="目标表", ref="A1:D4"))
    goals["F1"] = "结果"
    goals["F2"] = "=SUM(C2:C4)"
    goals["F3"] = '=IF(C2>=B2,"达标","未达标")'
    goals["F4"] = '=INDEX(C2:C4,MATCH("首次响应",A2:A4,0))'
    goals["F5"] = "=SUMPRODUCT((C2:C4>=B2:B4)*1)"
    goals["F6"] = "=1/0"
    goals["F7"] = "=SUM(目标表[实际])"
    goals["F8"] = '=SUMIFS(目标表[目标],目标表[指标],"首次响应")'
    goals["F9"] = "=1234+1"
    goals["F10"] = "=DATE(2026,1,5)"
    goals["F11"] = '=IFERROR(1/0,"")'
    goals["F12"] = "='设置'!B1*2"
    goals["F13"] = "=SUM(目标表[差异])"
    settings = wb.create_sheet("设置")
    settings["A1"], settings["B1"] = "截至日期", 3
    path = tmp_path_factory.mktemp("oracle") / "计划.xlsx"
    wb.save(path)
    _with_cached_value(path, "1234+1", STALE)
    return path


def test_recalc_gives_exact_values(libreoffice: LibreOffice, plan: Path) -> None:
    result = libreoffice.recalc(plan)

    assert result.sheets == ("目标", "设置")
    assert result.value("目标", "A2") == "满意度"
    assert [result.value("目标", f"D{r}") for r in (2, 3, 4)] == [5, -15, -10]
    assert result.value("目标", "F2") == 210
    assert result.value("目标", "F3") == "达标"
    assert result.value("目标", "F4") == 45
    assert result.value("目标", "F5") == 1
    assert result.value("目标", "F6") == "#DIV/0!"
    assert isinstance(result.value("目标", "F6"), CellError)
    assert result.value("目标", "F7") == 210
    assert result.value("目标", "F8") == 60
    assert result.value("目标", "F9") == 1235  # recalculated, not the cached 99999
    assert result.value("目标", "F10") == 46027  # dates are serial numbers
    assert result.value("目标", "F11") == ""  # an empty string, not an empty cell
    assert result.value("目标", "F12") == 6
    assert result.value("目标", "F13") == -20
    assert result.value("目标", "E2") is None  # empty, inside the used area
    assert result.value("目标", "$Z$99") is None  # beyond the used area
    assert result.range("设置", "A1:B1") == [["截至日期", 3]]
    assert result.errors() == [("目标", "F6", "#DIV/0!")]


def test_recalc_reports_each_kind_of_error(libreoffice: LibreOffice, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "错误"
    ws["A1"] = "=1/0"
    ws["A2"] = "=NA()"
    ws["A3"] = "=_xlfn.XLOOKUP(1,B1:B2,B1:B2)"
    ws["A4"] = '=1+"a"'
    ws["A5"] = "=SQRT(-1)"
    ws["A6"] = "=IFERROR(1/0,0)"
    path = tmp_path / "errors.xlsx"
    wb.save(path)

    result = libreoffice.recalc(path)

    assert result.errors() == [
        ("错误", "A1", "#DIV/0!"),
        ("错误", "A2", "#N/A"),
        ("错误", "A3", "#NAME?"),
        ("错误", "A4", "#VALUE!"),
        ("错误", "A5", "#NUM!"),
    ]
    assert result.value("错误", "A6") == 0


def test_recalc_missing_file_is_a_clear_error(libreoffice: LibreOffice, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        libreoffice.recalc(tmp_path / "nope.xlsx")


def _pdf_text(pdf: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        unavailable("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        [str(pdftotext), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_and_png_of_one_sheet(libreoffice: LibreOffice, plan: Path, tmp_path: Path) -> None:
    pdf = libreoffice.convert_to_pdf(plan, tmp_path, sheets=["目标"])

    text = _pdf_text(pdf)
    assert "满意度" in text  # Chinese text is there (a CJK font is installed)
    assert re.search(r"\b1235\b", text)
    assert str(STALE) not in text
    assert "截至日期" not in text  # the other sheet is left out
    pages = pdf_to_png(pdf, tmp_path / "png" / "目标")
    assert pages
    assert pages[0].read_bytes().startswith(b"\x89PNG")
    assert pages[0].stat().st_size > 2000


def test_one_shot_conversion_recalculates(plan: Path, tmp_path: Path) -> None:
    pdf = convert_to_pdf(plan, tmp_path)
    text = _pdf_text(pdf)
    assert re.search(r"\b1235\b", text)
    assert str(STALE) not in text
    assert "截至日期" in text


def test_soffice_that_dies_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import_uno()  # skips (or fails in CI) without python3-uno, like the fixture
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("SOFFICE", str(fake))
    with (
        pytest.raises(RuntimeError, match=r"exited with code 3.*cannot start"),
        LibreOffice.start(timeout=20),
    ):
        pass


def test_soffice_that_never_listens_times_out(tmp_path: Path, monkeypatch) -> None:
    import_uno()
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexec sleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setenv("SOFFICE", str(fake))
    started = time.monotonic()
    with (
        pytest.raises(RuntimeError, match=r"did not accept connections .* within 1 s"),
        LibreOffice.start(timeout=1),
    ):
        pass
    assert time.monotonic() - started < 10  # and the fake was stopped, not waited for


def test_missing_tool_skips_but_fails_in_ci(monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice"):
        unavailable("soffice missing")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        unavailable("soffice missing")
