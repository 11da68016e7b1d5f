"""`csxl import`: several exports, each with its own headers, into one Data sheet as named
sources; appended or replaced per source; manager rows and other sources untouched."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from csxl.cli import main
from csxl.data_import import import_export
from csxl.refresh import plan_tickets, refresh
from csxl.workbook import layout
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import new_plan
from csxl.workbook.layout import Data as D
from csxl.workbook.layout import Mapping as Mp
from csxl.workbook.plan_reader import read_plan
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import NOW, pasted_plan, plan_inputs
from tests.workbook.test_aliases import ALIASES, clean, exports, scores_by_agent

STAFF_NO = "人员代码"  # not a built-in synonym: only the 电话 source's Mapping row knows it


def _plan(path, inputs=None, mapping=((STAFF_NO, "agent", None, "电话"),)):
    new_plan(path, inputs or plan_inputs())
    book = PackageBook(path)
    cells = {}
    for i, row in enumerate(mapping):
        for c, value in zip((Mp.HEADER, Mp.COLUMN, Mp.SCALE, Mp.SOURCE), row, strict=True):
            cells[(Mp.FIRST_ROW + 10 + i, c)] = value
    book.write("Mapping", cells)
    book.commit()
    return path


def _exports(tmp_path):
    qianniu, phone = exports(clean())
    q = tmp_path / "千牛导出.csv"
    qianniu.to_csv(q, index=False, encoding="utf-8-sig")
    p = tmp_path / "电话导出.xlsx"
    phone.rename(columns={"工号": STAFF_NO}).to_excel(p, index=False)
    return q, p


def _import(path, export, source, replace=False):
    return import_export(PackageBook(path), export, source, replace)


def _data(path) -> list[tuple]:
    ws = load_workbook(path, read_only=True)[layout.title("Data", "zh")]
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    return rows


def test_two_differently_headed_exports_imported_as_sources_score_as_one_clean_export(tmp_path):
    q, p = _exports(tmp_path)
    path = _plan(tmp_path / "plan.xlsx", plan_inputs(aliases=ALIASES))
    first = _import(path, q, "千牛")
    second = _import(path, p, "电话")
    assert (first.written, second.written) == (30, 30)
    assert second.sources == {"千牛": 30, "电话": 30}
    assert first.unmapped == [] and second.unmapped == []
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    assert "数据源（有效工单）：千牛 30、电话 30" in outcome.notes
    reference = pasted_plan(tmp_path / "clean.xlsx", clean(), plan_inputs())
    assert refresh(PackageBook(reference), "2026-03", now=NOW).notes == []
    got, want = scores_by_agent(path), scores_by_agent(reference)
    assert got == want and set(want) == {"张三", "李四", "王五"}


def test_a_source_mapping_row_applies_to_its_source_only(tmp_path):
    _, p = _exports(tmp_path)
    path = _plan(tmp_path / "plan.xlsx")
    report = _import(path, p, "在线")  # not 电话: 人员代码 means nothing here
    assert report.unmapped == [STAFF_NO]
    header = _data(path)[0]
    assert all(r[header.index("客服")] is None for r in _data(path)[1:])
    report = _import(path, p, "电话", replace=False)
    assert report.unmapped == []
    rows = _data(path)[1:]
    phone = [r for r in rows if r[header.index("数据源")] == "电话"]
    assert {r[header.index("客服")] for r in phone} == {"A01", "A02", "A03"}


def test_replace_takes_out_only_its_source_and_keeps_other_rows_as_they_were(tmp_path):
    q, p = _exports(tmp_path)
    manual = clean().iloc[:4].copy()
    manual["工单号"] = [f"M{i}" for i in range(4)]
    path = pasted_plan(tmp_path / "plan.xlsx", manual, plan_inputs())  # pasted by hand
    _import(path, q, "千牛")
    _import(path, p, "电话")
    before = _data(path)
    header = before[0]
    src = header.index("数据源")
    # A corrected 千牛 re-export: 10 rows, one with a new CSAT.
    fixed = pd.read_csv(q, encoding="utf-8-sig").iloc[:10]
    fixed.loc[0, "评分"] = 5
    fixed_path = tmp_path / "千牛更正.csv"
    fixed.to_csv(fixed_path, index=False, encoding="utf-8-sig")
    report = _import(path, fixed_path, "千牛", replace=True)
    assert (report.replaced, report.written) == (30, 10)
    assert report.sources == {"": 4, "电话": 30, "千牛": 10}
    after = _data(path)
    assert after[1:5] == before[1:5]  # the manager's rows, first, unchanged
    assert [r for r in after if r[src] == "电话"] == [r for r in before if r[src] == "电话"]
    qianniu = [r for r in after if r[src] == "千牛"]
    assert len(qianniu) == 10 and qianniu[0][header.index("满意度")] == 5
    assert len(after) == 1 + 4 + 30 + 10  # no gap left where the old rows were
    with zipfile.ZipFile(path) as z:
        parts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/tables/")]
    table = next(x for x in parts if 'name="tblData"' in x)
    assert f'ref="A1:{layout.col(len(header))}{len(after)}"' in table
    assert len(list((path.parent / "csxl-backups").iterdir())) >= 3  # one per import


def test_a_ticket_in_two_sources_counts_as_the_last_import_has_it(tmp_path):
    q, _ = _exports(tmp_path)
    path = _plan(tmp_path / "plan.xlsx", plan_inputs(aliases=ALIASES))
    _import(path, q, "千牛")
    again = pd.read_csv(q, encoding="utf-8-sig").iloc[:5]
    again["评分"] = 1
    online = tmp_path / "在线.csv"
    again.to_csv(online, index=False, encoding="utf-8-sig")
    report = _import(path, online, "在线")
    assert report.shared == {"千牛": 5}
    book = PackageBook(path, lock=False)
    tickets, _, _ = plan_tickets(book, read_plan(book))
    assert tickets.duplicates == 5
    kept = tickets.frame.set_index("ticket_id").loc[[f"T{n:03d}" for n in range(5)]]
    assert set(kept["data_source"]) == {"在线"} and set(kept["csat"]) == {1}


def test_minutes_become_seconds_and_formula_text_stays_text(tmp_path):
    frame = clean().iloc[:3].copy()
    frame["首响时长(分钟)"] = [1.5, 2, "3分"]  # the last is dirty: kept as written
    frame["客服"] = ["=1+1", "@SUM(A1)", "-2"]
    export = tmp_path / "e.csv"  # (to_excel would write "=1+1" as a formula)
    frame.drop(columns=["首次响应时间"]).to_csv(export, index=False, encoding="utf-8-sig")
    path = _plan(tmp_path / "plan.xlsx")
    report = _import(path, export, "在线")
    assert report.rejected == 1
    rows = _data(path)
    h = rows[0]
    assert [r[h.index("首响时长(秒)")] for r in rows[1:]] == [90, 120, "3分"]
    assert [r[h.index("客服")] for r in rows[1:]] == ["=1+1", "@SUM(A1)", "-2"]
    ws = load_workbook(path)[layout.title("Data", "zh")]
    assert all(ws.cell(r, h.index("客服") + 1).data_type == "s" for r in (2, 3, 4))
    assert ws.cell(2, 2).is_date  # typed and shown as a date, not a serial number


def test_columns_missing_from_a_hand_pasted_header_are_added_to_the_table(tmp_path):
    path = tmp_path / "plan.xlsx"
    new_plan(path, plan_inputs())
    book = PackageBook(path)  # a manager pasted a narrow export over the header
    width = len(_data(path)[0])
    narrow = ["工单号", "创建时间", "客服"]
    book.write("Data", {(1, c): v for c, v in enumerate(narrow, start=1)}, [(1, 1, 1, width)])
    book.write("Data", {(2, 1): "P1", (2, 2): datetime(2026, 3, 2, 9), (2, 3): "张三"})
    book.commit()
    export = tmp_path / "e.csv"
    clean().iloc[:2].to_csv(export, index=False, encoding="utf-8-sig")
    report = _import(path, export, "千牛")
    assert "数据源" in report.added and "满意度" in report.added
    header = tuple(h for h in _data(path)[0] if h is not None)  # the cleared cells are blank
    assert header[:3] == tuple(narrow) and len(set(header)) == len(header) == 8
    ws = load_workbook(path)[layout.title("Data", "zh")]
    table = ws.tables[D.TABLE]
    assert table.ref == f"A1:{layout.col(len(header))}4"
    assert [c.name for c in table.tableColumns] == list(header)
    book = PackageBook(path, lock=False)
    tickets, _, _ = plan_tickets(book, read_plan(book))
    assert list(tickets.frame["ticket_id"]) == ["P1", "T000", "T001"]


def test_cli_import_messages_and_refusals(tmp_path):
    q, _ = _exports(tmp_path)
    path = _plan(tmp_path / "plan.xlsx")
    run = CliRunner().invoke
    result = run(main, ["import", str(path), str(q), "--source", "千牛"])
    assert result.exit_code == 0, result.output
    assert "导入 30 行" in result.output and "千牛 30" in result.output
    result = run(main, ["import", str(path), str(q), "--source", " ", "--lang", "en"])
    assert result.exit_code == 2 and "source name is empty" in result.output
    result = run(main, ["import", str(path), str(q)])
    assert result.exit_code == 2 and "--source" in result.output
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    before = path.read_bytes()
    result = run(main, ["import", str(path), str(xls), "--source", "电话"])
    assert result.exit_code == 2 and "old.xls" in result.output
    lock = path.with_name("~$" + path.name)
    lock.write_bytes(b"x")
    result = run(main, ["import", str(path), str(q), "--source", "电话"])
    assert result.exit_code == 3 and "请在 Excel/WPS 中关闭它" in result.output
    lock.unlink()
    assert path.read_bytes() == before  # refused runs wrote nothing


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mapping_rows_carry_their_source(tmp_path, lang):
    path = tmp_path / "p.xlsx"
    new_plan(path, PlanInputs(lang=lang))
    state = read_plan(PackageBook(path, lock=False))
    tagged = [m for m in state.mapping if m[3]]
    assert tagged and all(m[:3] not in state.mapping_for() for m in tagged)
    assert all(m[:3] in state.mapping_for(m[3].upper()) for m in tagged)
