"""The live adapter (`csxl.excel.live.LiveBook`) against a fake xlwings (no Excel here).

What is proved: the workbook is found by its full name; each sheet is read once, in one
bulk call; queued cells are written once per contiguous rectangle, formulas as formulas
and text as text; screen updating is off during the writes and restored even when a write
fails; and refresh, validate and score through LiveBook write exactly what they write
through the file adapter (PackageBook) for the same workbook, leaving everything else as
it was.
"""

from __future__ import annotations

import math
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel

from csxl.errors import InputError, language
from csxl.excel import button, live
from csxl.excel.live import LiveBook, as_text, excel_input, needs_text_prefix, regions
from csxl.workbook import layout
from csxl.workbook.port import PackageBook
from csxl.workbook.sheetxml import Formula
from tests.excel import fake_xlwings as fx
from tests.plan_fixtures import MONTH, NOW, OTHER_MONTH, copy_of, pasted_bytes, refreshed_bytes


@pytest.fixture
def app(monkeypatch):
    """One running (fake) Excel, installed as the xlwings module."""
    excel = fx.FakeApp()
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(excel))
    return excel


def tiny_plan(app: fx.FakeApp, fullname: str = r"C:\plans\计划.xlsx") -> fx.FakeBook:
    """A book with the sheet names of a zh plan and a few cells."""
    book = fx.FakeBook(app, fullname)
    for s in layout.SHEETS:
        book.add_sheet(s.zh)
    goals = book.sheets["目标"]
    goals.cells[(1, 1)] = fx.Cell("目标")
    goals.cells[(3, 2)] = fx.Cell(1.0)
    goals.cells[(3, 3)] = fx.Cell(2.0, "=B3*2")
    return book


# ------------------------------------------------------------------ attaching
def test_attach_finds_the_workbook_by_full_name_among_running_excels(app, monkeypatch):
    other = fx.FakeApp()
    tiny_plan(app, r"C:\plans\a.xlsx")
    wanted = tiny_plan(other, r"C:\plans\计划.xlsx")
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(app, other))
    book = LiveBook.attach(r"C:\plans\计划.xlsx")
    assert book.name == "计划.xlsx" and book.lang == "zh"
    assert book._book is wanted


def test_attach_falls_back_to_a_unique_file_name(app):
    tiny_plan(app, "/Users/li/Documents/计划.xlsx")
    assert LiveBook.attach("计划.xlsx").name == "计划.xlsx"


def test_attach_refuses_a_workbook_that_is_not_open(app):
    tiny_plan(app, r"C:\plans\a.xlsx")
    with pytest.raises(InputError, match="工作簿没有在 Excel 中打开"):
        LiveBook.attach(r"C:\plans\b.xlsx")
    with language("en"), pytest.raises(InputError, match="not open in Excel"):
        LiveBook.attach(r"C:\plans\b.xlsx")


def test_attach_refuses_a_workbook_that_is_not_a_plan(app):
    book = fx.FakeBook(app, "/x/report.xlsx")
    book.add_sheet("Sheet1")
    with pytest.raises(InputError, match="不是 csxl 的计划工作簿"):
        LiveBook.attach("/x/report.xlsx")


def test_without_xlwings_live_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "xlwings", None)  # import xlwings raises ImportError
    with pytest.raises(InputError, match="需要 xlwings 包") as refused:
        LiveBook.attach("/x/plan.xlsx")
    assert "pip install" in str(refused.value)
    with language("en"), pytest.raises(InputError, match="needs the xlwings package"):
        LiveBook.attach("/x/plan.xlsx")


def test_no_module_level_excel_references():
    names = [n for n, v in vars(live).items() if type(v).__module__.startswith("tests.")]
    assert names == []
    assert "xlwings" not in vars(live)  # imported inside functions only


# ------------------------------------------------------------------ reading
def test_each_sheet_is_read_once_in_one_bulk_call(app):
    book = LiveBook(tiny_plan(app))
    first = book.rows("Goals")
    again = book.rows("Goals")
    assert first == again
    reads = app.books[0].reads("目标")
    assert len(reads) == 1
    assert reads[0].bounds == (1, 1, 3, 3)  # from A1 to the end of the used range
    assert reads[0].options["ndim"] == 2 and reads[0].options["err_to_str"] is True
    assert first == [["目标", "", ""], ["", "", ""], ["", 1.0, 2.0]]  # "" for empty cells


def test_formula_cells_come_from_one_bulk_read(app):
    fake = tiny_plan(app)
    book = LiveBook(fake)
    assert book.formulas("Goals") == {(3, 3)} == book.formulas("Goals")
    assert len(fake.reads("目标", "read formulas")) == 1
    book.write("Goals", {(3, 2): Formula("=1+1", 2), (3, 3): 5.0})
    book.commit()
    assert book.formulas("Goals") == {(3, 2)}


def test_a_missing_sheet_is_a_plain_error(app):
    fake = tiny_plan(app)
    fake.sheets.remove(fake.sheets["趋势"])
    fake.add_sheet("Sheet9")
    with pytest.raises(InputError, match="缺少“趋势”工作表"):
        LiveBook(fake).rows("Trend")
    with language("en"), pytest.raises(InputError, match="趋势 sheet is missing"):
        LiveBook(fake).rows("Trend")


# ------------------------------------------------------------------ writing
def test_one_write_per_contiguous_region_with_formulas_as_formulas(app):
    fake = tiny_plan(app)
    book = LiveBook(fake)
    block = {(r, c): float(r * c) for r in range(5, 105) for c in range(2, 6)}  # 100 x 4
    scattered = {(2, 8): Formula("=B3+1", 2.0), (2, 9): "x", (40, 20): Formula("=1", 1)}
    book.write("Goals", block)
    book.write("Goals", scattered)
    book.write("Scores", {(3, 1): "张三"}, clear=[(3, 1, 10, 4)])
    book.commit()
    writes = fake.writes()
    assert sorted((w.sheet, w.bounds, w.kind) for w in writes) == sorted(
        [
            ("目标", (5, 2, 104, 5), "write value"),
            ("目标", (2, 8, 2, 9), "write formula"),
            ("目标", (40, 20, 40, 20), "write formula"),
            ("考核", (3, 1, 10, 4), "write value"),
        ]
    )
    goals = fake.sheets["目标"]
    assert goals.shown(2, 8) == "=B3+1" and goals.shown(2, 9) == "x"
    assert goals.shown(104, 5) == 104.0 * 5
    scores = fake.sheets["考核"]
    assert scores.shown(3, 1) == "张三" and scores.shown(10, 4) is None


def test_clear_empties_the_rest_of_its_rectangle_and_later_writes_win(app):
    fake = tiny_plan(app)
    trend = fake.sheets["趋势"]
    for r in range(3, 9):
        trend.cells[(r, 1)] = fx.Cell(f"old {r}")
    book = LiveBook(fake)
    book.write("Trend", {(3, 1): "new"}, clear=[(3, 1, 8, 1)])
    book.commit()
    assert [trend.shown(r, 1) for r in range(3, 9)] == ["new", None, None, None, None, None]
    assert len(fake.writes()) == 1


def test_screen_updating_is_off_while_writing_and_restored(app):
    fake = tiny_plan(app)
    book = LiveBook(fake)
    book.write("Goals", {(3, 2): 5.0, (9, 9): 1.0})
    book.commit()
    assert [w.screen_updating for w in fake.writes()] == [False, False]
    assert app.screen_updating is True and app.screen_updating_log == [False, True]


def test_screen_updating_is_restored_when_a_write_fails(app):
    fake = tiny_plan(app)
    app.screen_updating = False  # the manager's macro had it off: it stays off
    app.screen_updating_log.clear()
    fake.fail_on_write = 1
    book = LiveBook(fake)
    book.write("Goals", {(3, 2): 5.0})
    with pytest.raises(RuntimeError, match="simulated"):
        book.commit()
    assert app.screen_updating is False and app.screen_updating_log == [False, False]


def test_reads_after_a_commit_see_the_new_values(app):
    fake = tiny_plan(app)
    book = LiveBook(fake)
    assert book.rows("Goals")[2][1] == 1.0
    book.write("Goals", {(3, 2): 7.0})
    book.commit()
    assert book.rows("Goals")[2][1] == 7.0
    assert len(fake.reads("目标")) == 2


@pytest.mark.parametrize(
    "text",
    [
        "=cmd|' /C calc'!A0",
        "+1",
        "-5",
        "@SUM(A1)",
        "#N/A",
        "001",
        "1/2",
        "2026-03",
        "3:30",
        "50%",
        "TRUE",
        "false",
        "'quoted",
        " 12 ",
    ],
)
def test_text_that_excel_would_convert_is_marked_as_text(app, text):
    assert needs_text_prefix(text)
    fake = tiny_plan(app)
    book = LiveBook(fake)
    book.write("Errors", {(4, 6): text})
    book.commit()
    assert fake.sheets["错误"].shown(4, 6) == text


@pytest.mark.parametrize("text", ["张三", "首次响应时间 早于 创建时间", "Agent", ""])
def test_plain_text_is_written_as_it_is(text):
    assert not needs_text_prefix(text) or text == ""
    assert excel_input(text) == (text or None)


def test_values_are_handed_to_excel_in_its_types():
    assert excel_input(3) == 3.0 and isinstance(excel_input(3), float)
    assert excel_input(True) is True
    assert excel_input(date(2026, 3, 1)) == datetime(2026, 3, 1)
    assert excel_input(float("nan")) == "#NUM!"
    assert excel_input(None) is None and excel_input(None, formula=True) == ""
    assert excel_input(Formula("=A1", 3)) == "=A1"


rects = st.tuples(st.integers(1, 30), st.integers(1, 12), st.integers(0, 8), st.integers(0, 5)).map(
    lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])
)


@settings(max_examples=200, deadline=None)
@given(st.lists(rects, min_size=1, max_size=6))
def test_regions_cover_exactly_the_cells_without_overlap(boxes):
    cells = {
        (r, c) for r0, c0, r1, c1 in boxes for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
    }
    out = regions(cells)
    covered = [
        (r, c) for r0, c0, r1, c1 in out for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
    ]
    assert len(covered) == len(set(covered)) and set(covered) == cells
    if len(boxes) == 1:
        assert out == [boxes[0]]


# ------------------------------------------------------------------ the data sheet as text
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (-3.0, "-3"),
        (1.5, "1.5"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333333"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (True, "true"),
        (datetime(2026, 3, 1, 8, 30), "2026-03-01 08:30:00"),
        (datetime(2026, 3, 1, 8, 30, 15, 500000), "2026-03-01 08:30:15.500"),
        ("工单", "工单"),
        (None, None),
    ],
)
def test_cells_become_the_text_the_file_reader_sees(value, text):
    assert as_text(value) == text


def test_as_text_agrees_with_the_file_reader(tmp_path):
    """The same cells written to a file and read back by csxl's reader (fastexcel)."""
    import fastexcel

    values = [
        1.0,
        2.5,
        1 / 3,
        1e-7,
        123456789.123456789,
        1e20,
        -0.25,
        0.1 + 0.2,
        datetime(2026, 3, 1, 8, 30),
        datetime(2026, 3, 1, 23, 59, 59, 999000),
        True,
    ]
    wb = openpyxl.Workbook()
    wb.active.append(["h"] * len(values))
    wb.active.append(values)
    wb.save(tmp_path / "v.xlsx")
    sheet = fastexcel.read_excel(str(tmp_path / "v.xlsx")).load_sheet(
        0, header_row=None, skip_rows=0, dtypes="string", eager=True
    )
    read = [sheet.column(i).to_pylist()[1] for i in range(sheet.num_columns)]
    from python_calamine import CalamineWorkbook  # the values as stored, as Excel has them

    stored = CalamineWorkbook.from_path(str(tmp_path / "v.xlsx")).get_sheet_by_index(0)
    typed = [fx.as_xlwings(v) for v in stored.to_python()[1]]
    assert [as_text(v) for v in typed] == read


# ------------------------------------------------------------------ parity with the file
class _Days(float):
    """A duration openpyxl read back as a timedelta (rounded to the millisecond), in days:
    equal to a number of days within half a millisecond."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, bool) or not isinstance(other, int | float):
            return False
        return abs(float(self) - float(other)) <= 0.5e-3 / 86400 + 1e-15

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = float.__hash__


def _shown(value: object) -> object:
    """A cell as compared across adapters: dates as serial numbers, ints as floats."""
    if isinstance(value, datetime | date):
        return round(to_excel(value), 6)
    if isinstance(value, timedelta):  # a duration under a time format (分:秒)
        return _Days(value.total_seconds() / 86400)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 9) if math.isfinite(value) else "#NUM!"
    return value


def _file_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """Every non-empty cell of every sheet: formula text, else the value."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = {
            (c.row, c.column): _shown(c.value)
            for row in ws.iter_rows()
            for c in row
            if c.value not in (None, "")
        }
    return out


def _fake_cells(book: fx.FakeBook) -> dict[str, dict[tuple[int, int], object]]:
    return {
        sheet.name: {
            k: _shown(sheet.shown(*k)) for k in sheet.cells if sheet.shown(*k) not in (None, "")
        }
        for sheet in book.sheets
    }


@pytest.fixture(scope="module")
def plan_bytes() -> bytes:
    return pasted_bytes()


@pytest.mark.parametrize(
    ("command", "refreshed", "month"),
    [
        ("refresh", False, MONTH),
        ("refresh", True, OTHER_MONTH),  # fewer agents than shown: lists shrink, rows clear
        ("validate", True, None),
        ("score", True, None),
    ],
)
def test_commands_through_excel_write_what_they_write_to_the_file(
    command, refreshed, month, plan_bytes, tmp_path, monkeypatch
):
    from csxl import refresh as engine

    def run(book):
        if command == "refresh":
            return engine.refresh(book, month, now=NOW)
        if command == "validate":
            return engine.validate(book)
        return engine.score(book, now=NOW)

    start = refreshed_bytes() if refreshed else plan_bytes
    headless = copy_of(start, tmp_path / "file")
    before = _file_cells(headless)
    expected = run(PackageBook(headless))
    after_file = _file_cells(headless)

    excel = fx.FakeApp()
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(excel))
    fake = fx.book_from_file(excel, copy_of(start, tmp_path / "excel"), r"C:\计划\plan.xlsx")
    assert _fake_cells(fake) == before  # the stand-in holds what the file holds
    got = run(LiveBook.attach(r"C:\计划\plan.xlsx"))

    assert got.problems == expected.problems and got.agents == expected.agents
    assert got.scores == expected.scores
    after_excel = _fake_cells(fake)
    for title in after_file:
        changed = {
            k
            for k in after_file[title].keys() | before[title].keys()
            if after_file[title].get(k) != before[title].get(k)
        }
        differ = {
            k: (after_file[title].get(k), after_excel[title].get(k))
            for k in after_file[title].keys() | after_excel[title].keys()
            if after_file[title].get(k) != after_excel[title].get(k)
        }
        assert differ == {}, f"{title}: {len(differ)} cells differ, e.g. {list(differ.items())[:3]}"
        if title == layout.title("Data", "zh"):
            assert not changed  # input untouched
    # One bulk read per sheet per pass, one write per region, never cell by cell.
    for title in {c.sheet for c in fake.reads()}:
        assert len(fake.reads(title)) == 1, title
        assert len(fake.reads(title, "read formulas")) <= 1, title
    assert all(not w.screen_updating for w in fake.writes())
    assert len(fake.writes()) < 60


def test_the_data_table_is_the_one_the_file_reader_builds(plan_bytes, tmp_path, monkeypatch):
    from csxl.domain.synonyms import Synonyms

    path = copy_of(plan_bytes, tmp_path)
    expected = PackageBook(path).data(Synonyms())
    excel = fx.FakeApp()
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(excel))
    got = LiveBook(fx.book_from_file(excel, path)).data(Synonyms())
    assert (got.sheet, got.header_row) == (expected.sheet, expected.header_row)
    assert got.match == expected.match
    assert list(got.frame.columns) == list(expected.frame.columns)
    assert list(got.frame.index) == list(expected.frame.index)
    for column in expected.frame.columns:
        assert got.frame[column].tolist() == expected.frame[column].tolist(), column


# ------------------------------------------------------------------ what the buttons run
def test_the_refresh_button_command_line_works_on_the_open_workbook(
    plan_bytes, tmp_path, monkeypatch
):
    """`csxl refresh --live FULLNAME --result-file F`, as csxl.exe gets it from the add-in."""
    from click.testing import CliRunner

    from csxl.cli import main

    excel = fx.FakeApp()
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(excel))
    path = copy_of(plan_bytes, tmp_path)
    fake = fx.book_from_file(excel, path, r"C:\Users\张三\计划 2026.xlsx")
    before = path.read_bytes()
    result_file = tmp_path / "result.txt"
    args = ["refresh", "--live", r"C:\Users\张三\计划 2026.xlsx", "--month", MONTH]
    result = CliRunner().invoke(main, [*args, "--result-file", str(result_file)])
    assert result.exit_code == 1, result.output  # done, with rejected rows to look at
    text = result_file.read_text("utf-8")
    assert text.startswith(f"exit=1\nmade={args[2]}\n\n已更新 计划 2026.xlsx  月份 {MONTH}")
    assert fake.writes() and path.read_bytes() == before  # Excel's copy changed, not the file


def test_run_button_runs_the_same_command_line_and_exits_with_its_code(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(fx.FakeApp()))
    result_file = tmp_path / "r.txt"
    with pytest.raises(SystemExit) as done:
        button.run_button(
            ["validate", "--live", r"C:\x\none.xlsx", "--result-file", str(result_file)]
        )
    assert done.value.code == 2
    assert "工作簿没有在 Excel 中打开" in result_file.read_text("utf-8")
    with pytest.raises(SystemExit) as done:
        button.run_button(["doctor", "--result-file", str(result_file)])
    assert done.value.code == 0 and "csxl" in result_file.read_text("utf-8")


def test_run_button_speaks_the_open_plans_language(tmp_path, monkeypatch):
    """An English plan open in Excel under a name with no file on disk (unsaved, online):
    the button's messages are English, as the plan; --lang still decides when given."""
    from click.testing import CliRunner

    from csxl.cli import main

    monkeypatch.delenv("CSXL_LANG", raising=False)
    path = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["--lang", "en", "new", str(path)]).exit_code == 0
    excel = fx.FakeApp()
    monkeypatch.setitem(sys.modules, "xlwings", fx.module(excel))
    fx.book_from_file(excel, path, "https://example.sharepoint.com/plans/plan.xlsx")
    result_file = tmp_path / "r.txt"
    for lang, said in ((None, "Updated"), ("zh", "已更新")):
        args = ["validate", "--live", "https://example.sharepoint.com/plans/plan.xlsx"]
        args += ["--result-file", str(result_file)] + (["--lang", lang] if lang else [])
        with pytest.raises(SystemExit) as done:
            button.run_button(args)
        assert done.value.code == 0
        text = result_file.read_text("utf-8")
        assert said in text, text
        if lang is None:
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
