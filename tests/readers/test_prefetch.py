"""A sheet prefetched in a worker thread (`readers.excel.prefetch`) reads as it would
without, and a prefetch of a file that changed since is not used."""

import os

import openpyxl
import pandas as pd

from csxl.domain.synonyms import Synonyms
from csxl.readers import excel
from tests.readers.test_read import HEADER, ROWS, _xlsx


def _same(a, b) -> None:
    assert (a.source, a.sheet, a.header_row, a.match) == (b.source, b.sheet, b.header_row, b.match)
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_a_prefetched_sheet_reads_as_without(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS], title_rows=1, sheet="数据")
    plain = excel.read_excel(path, Synonyms(), "数据")
    excel.prefetch(path, "数据")
    assert excel._WAITING
    _same(excel.read_excel(path, Synonyms(), "数据"), plain)
    assert not excel._WAITING  # taken


def test_a_prefetch_of_a_file_changed_since_is_not_used(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [HEADER, ROWS[0]], sheet="数据")
    excel.prefetch(path, "数据")
    _xlsx(path, [HEADER, *ROWS], sheet="数据")
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert len(excel.read_excel(path, Synonyms(), "数据").frame) == 2
    assert not excel._WAITING


def test_a_prefetch_is_taken_only_by_a_read_of_that_sheet(tmp_path):
    path = _xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS], sheet="数据")
    excel.prefetch(path, "数据")
    try:
        table = excel.read_excel(path, Synonyms(), None)  # no sheet named: no prefetch taken
        assert len(table.frame) == 2
        assert excel._WAITING
    finally:
        excel._WAITING.clear()


def _two_sheets(path):
    wb = openpyxl.Workbook()
    for i, title in enumerate(("数据", "订单")):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        for row in [HEADER, *ROWS[: i + 1]]:
            ws.append(row)
    wb.save(path)
    return path


def test_the_prefetched_reader_serves_the_other_sheets_of_the_unchanged_file(tmp_path, monkeypatch):
    import fastexcel

    path = _two_sheets(tmp_path / "a.xlsx")
    plain = excel.read_excel(path, Synonyms(), "订单")
    excel.prefetch(path, "数据")
    excel.read_excel(path, Synonyms(), "数据")
    opened = []
    real = fastexcel.read_excel
    monkeypatch.setattr(fastexcel, "read_excel", lambda p: opened.append(p) or real(p))
    _same(excel.read_excel(path, Synonyms(), "订单"), plain)
    assert opened == []  # the file was not opened (nor its shared strings parsed) again
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    _same(excel.read_excel(path, Synonyms(), "订单"), plain)
    assert opened == [str(path)]  # changed since: opened again
