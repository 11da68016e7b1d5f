"""A manager's edit never silently changes a score or a bonus (issue 21): every number input
is read as the workbook's formulas read it (text refused at its cell), weights that do not
total 100 are said on the sheet and in the result, and a row inserted into a block is read
or refused with its row, never ignored."""

from __future__ import annotations

import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

from csxl.errors import InputError
from csxl.refresh import refresh, score
from csxl.workbook import layout
from csxl.workbook.cells import numeric_text
from csxl.workbook.layout import Goals as G
from csxl.workbook.plan_reader import read_plan
from csxl.workbook.port import MemoryBook, PackageBook
from csxl.workbook.sheets.goals import weight_problems
from tests.plan_fixtures import MONTH, NOW, copy_of, refreshed_bytes, sheet

AGENT = "冯诗颖"  # the first Scores row of the fixture


@lru_cache
def _memory() -> MemoryBook:
    with tempfile.TemporaryDirectory(prefix="csxl-inputs-") as tmp:
        return MemoryBook.from_file(copy_of(refreshed_bytes(), Path(tmp)))


def memory_plan(**cells: dict[str, object]) -> MemoryBook:
    """The refreshed fixture in memory, with `cells` ({sheet key: {"E5": value}}) typed."""
    base = _memory()
    book = MemoryBook(
        base.name,
        base.lang,
        base.sheets,
        base._data,
        base._formulas,
        base._orders,
        base._calls,
    )
    from openpyxl.utils import coordinate_to_tuple

    for key, typed in cells.items():
        grid = book.sheets[key]
        for address, value in typed.items():
            r, c = coordinate_to_tuple(address)
            while len(grid) < r:
                grid.append([])
            while len(grid[r - 1]) < c:
                grid[r - 1].append("")
            grid[r - 1][c - 1] = value
            book._formulas.get(key, set()).discard((r, c))  # typed over: no formula left
    return book


def test_numeric_text_is_what_a_text_cell_looks_like():
    assert numeric_text("0.9") == 0.9
    assert numeric_text(" 90% ") == pytest.approx(0.9)
    assert numeric_text("１,２００") == 1200.0  # full-width digits, a thousands separator
    assert numeric_text("abc") is None
    assert numeric_text(0.9) is None  # a number cell is not text


# Every number input a formula (or csxl) reads, typed as text: (sheet key, cell).
TEXT_CELLS = [
    ("Goals", "E5"),  # weight
    ("Goals", "F5"),  # 保底
    ("Goals", "G5"),  # 冲刺: the issue's `0.9`
    ("Goals", "H6"),  # 挑战
    ("Goals", "Q5"),  # a monthly target typed over its formula
    ("Incentives", "B5"),  # base bonus
    ("Incentives", "B6"),  # deduction per escalated complaint
    ("Incentives", "B7"),  # cap multiple
    ("Incentives", "B15"),  # step points of a tier
    ("Incentives", "B22"),  # a grade band's minimum score
    ("Incentives", "C23"),  # a grade's coefficient
    ("Settings", "B9"),  # active customers
    ("Settings", "B10"),  # frt_sla limit
    ("Settings", "B11"),  # rt_sla limit
    ("Settings", "B21"),  # high-value customers: orders
    ("SLA", "D5"),  # first response minutes
    ("SLA", "B20"),  # a collaboration limit
    ("Staffing", "B4"),  # AHT
    ("Staffing", "B7"),  # shrinkage
    ("QA", "B4"),  # QA weight
    ("QA", "B6"),  # QA stretch
    ("Calls", "B4"),  # service-level seconds
    ("Calls", "B5"),  # short abandon seconds
    ("Team", "E4"),  # knowledge-base target
]


@pytest.mark.parametrize(("key", "address"), TEXT_CELLS)
def test_a_number_typed_as_text_is_refused_at_its_cell(key, address):
    book = memory_plan(**{key: {address: "0.9"}})
    with pytest.raises(InputError) as caught:
        read_plan(book)
    sheet = layout.title(key, "zh")
    assert f"{sheet}!{address} 中的“0.9”是文本，不是数字" in caught.value.message
    assert "常规" in (caught.value.hint or "")
    assert caught.value.where.sheet == sheet
    assert f"{caught.value.where.column}{caught.value.where.row}" == address


def test_a_cascade_value_typed_as_text_is_refused():
    row = {"B18": "客服", "C18": AGENT, "D18": "满意度", "G18": "0.95"}
    with pytest.raises(InputError, match=r"目标!G18 中的“0.95”是文本"):
        read_plan(memory_plan(Goals=row))


def test_text_that_is_no_number_says_so_in_the_plans_language():
    with pytest.raises(InputError, match=r"激励!B5 中的“一千”不是数字"):
        read_plan(memory_plan(Incentives={"B5": "一千"}))


def test_the_same_numbers_typed_as_numbers_are_read():
    state = read_plan(memory_plan(Goals={"G5": 0.9}, Incentives={"B5": 1000}))
    assert state.inputs.targets[0].stretch == 0.9
    assert state.inputs.incentives.base_bonus == 1000


def test_a_scores_value_typed_as_text_is_read_and_said_by_score():
    # Scores values are csxl's own cells, rewritten by score: the number shown is used.
    book = memory_plan(Scores={"E5": "0.9"})
    outcome = score(book, now=NOW)
    assert any("考核!E5" in w and "0.9" in w for w in outcome.warnings)
    assert book.sheets["Scores"][4][4] == 0.9


# ------------------------------------------------------------------ weights
def test_weight_problems_say_blank_weights_and_the_total():
    assert weight_problems("zh", [30, 15, 20, 15, 5, 5, 10, 0], 0) == ""
    assert weight_problems("zh", [50, 15, 20, 15, 5, 5, 10, 0], 0) == (
        "权重合计为 120，不是 100：得分按各权重占合计的比例计算。"
    )
    text = weight_problems("en", [30, 0, 20, 15, 5, 5, 10, 0], 1)
    assert text.startswith("1 KPI weight(s) blank")
    assert "The weights total 85, not 100" in text


def test_weights_off_100_and_blank_are_warned_in_the_result_and_on_goals():
    book = memory_plan(Goals={"E5": 50, "E6": ""})
    outcome = refresh(book, MONTH, now=NOW)
    warned = [w for w in outcome.warnings if "权重" in w]
    assert len(warned) == 1
    assert "目标!E5:E12" in warned[0] and "空白：E6" in warned[0]
    assert "有 1 个指标的权重为空" in warned[0] and "权重合计为 105" in warned[0]
    note = book.sheets["Goals"][G.WEIGHT_NOTE_ROW - 1][G.WEIGHT_NOTE_COL - 1]
    assert note == (
        "有 1 个指标的权重为空，按 0 计（不计入得分）。"
        "权重合计为 105，不是 100：得分按各权重占合计的比例计算。"
    )
    assert book.sheets["Goals"][G.WEIGHT_TOTAL_ROW - 1][G.WEIGHT - 1] == 105
    # Fixed: the note and the warning go.
    fixed = memory_plan(Goals={"E5": 30})
    assert not [w for w in refresh(fixed, MONTH, now=NOW).warnings if "权重" in w]
    assert fixed.sheets["Goals"][G.WEIGHT_NOTE_ROW - 1][G.WEIGHT_NOTE_COL - 1] == ""


# ------------------------------------------------------------------ blocks and inserted rows
def test_a_cascade_row_below_the_block_is_read():
    below = G.CASCADE_FIRST_ROW + G.CASCADE_ROWS  # row 78: where an inserted row pushes 77
    row = {f"B{below}": "客服", f"C{below}": AGENT, f"D{below}": "满意度", f"G{below}": 0.99}
    state = read_plan(memory_plan(Goals=row))
    assert [(o.row, o.name, o.key, o.stretch) for o in state.inputs.cascade] == [
        (below, AGENT, "csat", 0.99)
    ]


def test_a_stray_row_below_the_cascade_is_refused_with_its_row():
    with pytest.raises(InputError, match="目标 表第 90 行是分解目标的一行"):
        read_plan(memory_plan(Goals={"C90": "备注"}))


def test_a_row_pushed_out_of_a_fixed_block_is_refused_with_its_row():
    with pytest.raises(InputError, match="申诉 表第 205 行") as caught:
        read_plan(memory_plan(Appeals={"A205": AGENT}))
    assert caught.value.where.row == 205


def test_a_landmark_moved_down_names_the_rows():
    goals = [list(r) for r in _memory().sheets["Goals"]]
    goals.insert(14, [])  # a row inserted as row 15: the cascade title and header move down
    book = memory_plan()
    book.sheets["Goals"] = goals
    with pytest.raises(InputError, match="第 14–17 行之间插入了 1 行"):
        read_plan(book)


# ------------------------------------------------------------------ edits saved by LibreOffice
def _refused(path: Path, *words: str) -> None:
    before = path.read_bytes()
    with pytest.raises(InputError) as caught:
        refresh(PackageBook(path), MONTH, now=NOW)
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))
    assert path.read_bytes() == before


def test_a_target_typed_as_text_in_libreoffice_is_refused(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)

    edit = lambda doc: doc.Sheets.getByName("目标").getCellRangeByName("G5").setString("0.9")  # noqa: E731
    libreoffice.edit(path, edit)
    _refused(path, "目标!G5 中的“0.9”是文本", "常规")


def test_a_base_bonus_typed_as_text_in_libreoffice_is_refused(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    edit = lambda doc: doc.Sheets.getByName("激励").getCellRangeByName("B5").setString("1000")  # noqa: E731
    libreoffice.edit(path, edit)
    _refused(path, "激励!B5 中的“1000”是文本")


def _insert_row(doc, name: str, index: int) -> None:
    """Insert a row above the 0-based row `index`, as a manager does: the sheet's protection
    (no password) taken off first, as Excel and LibreOffice require."""
    sheet = doc.Sheets.getByName(name)
    sheet.unprotect("")
    sheet.Rows.insertByIndex(index, 1)


def _override(doc, row: int) -> None:
    """An agent override typed on the Goals cascade block's `row` (1-based)."""
    goals = doc.Sheets.getByName("目标")
    goals.getCellRangeByName(f"B{row}").setString("客服")
    goals.getCellRangeByName(f"C{row}").setString(AGENT)
    goals.getCellRangeByName(f"D{row}").setString("满意度")
    for column, value in (("F", 0.97), ("G", 0.98), ("H", 0.99)):
        goals.getCellRangeByName(f"{column}{row}").setValue(value)


def _agent_row(path: Path) -> list[object]:
    return next(r for r in sheet(path, "Scores") if r and r[0] == AGENT)


def test_an_override_pushed_below_the_cascade_by_an_inserted_row_counts(libreoffice, tmp_path):
    last = G.CASCADE_FIRST_ROW + G.CASCADE_ROWS - 1  # 77
    at_last = copy_of(refreshed_bytes(), tmp_path / "at_last")
    pushed = copy_of(refreshed_bytes(), tmp_path / "pushed")
    libreoffice.edit(at_last, lambda doc: _override(doc, last))

    def insert(doc) -> None:
        _override(doc, last)
        _insert_row(doc, "目标", G.CASCADE_FIRST_ROW + 1)  # above row 20

    libreoffice.edit(pushed, insert)
    assert sheet(pushed, "Goals")[last][2] == AGENT  # now on row 78
    plain = _agent_row(copy_of(refreshed_bytes(), tmp_path / "plain"))
    for path in (at_last, pushed):
        refresh(PackageBook(path), MONTH, now=NOW)
    score_col = layout.Scores.SCORE - 1
    assert _agent_row(pushed) == _agent_row(at_last)
    assert _agent_row(pushed)[score_col] != plain[score_col]  # the override changed the score
    recalc = libreoffice.recalc(pushed)
    assert recalc.errors() == []
    shown = next(r for r in recalc.rows("考核") if r and r[0] == AGENT)
    assert shown[score_col] == pytest.approx(_agent_row(pushed)[score_col])


def test_a_row_inserted_above_the_cascade_in_libreoffice_is_refused(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    libreoffice.edit(path, lambda doc: _insert_row(doc, "目标", 14))  # above row 15
    _refused(path, "目标 表的“层级”应在第 17 行，现在在第 18 行", "第 14–17 行之间插入了 1 行")


def test_a_row_inserted_into_appeals_pushing_one_out_is_refused(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    last = layout.Appeals.last_row()

    def change(doc) -> None:
        appeals = doc.Sheets.getByName("申诉")
        appeals.getCellRangeByName(f"A{last}").setString(AGENT)
        _insert_row(doc, "申诉", layout.Appeals.FIRST_ROW + 2)

    libreoffice.edit(path, change)
    _refused(path, f"申诉 表第 {last + 1} 行（A:I 列）在表格的最后一行（第 {last} 行）之下")


def test_a_row_inserted_into_the_staffing_grids_is_refused(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)
    row = layout.Staffing.GRID_FIRST_ROW + 10
    libreoffice.edit(path, lambda doc: _insert_row(doc, "排班", row - 1))
    _refused(path, f"排班 表第 {row} 行在时段表格中间")


def test_weights_off_100_in_libreoffice_are_warned_and_the_note_recalculates(libreoffice, tmp_path):
    path = copy_of(refreshed_bytes(), tmp_path)

    def change(doc) -> None:
        goals = doc.Sheets.getByName("目标")
        goals.getCellRangeByName("E5").setValue(50)
        goals.getCellRangeByName("E6").setString("")

    libreoffice.edit(path, change)
    outcome = refresh(PackageBook(path), MONTH, now=NOW)
    assert any("权重合计为 105" in w and "空白：E6" in w for w in outcome.warnings)
    note = sheet(path, "Goals")[G.WEIGHT_NOTE_ROW - 1][G.WEIGHT_NOTE_COL - 1]
    assert note.startswith("有 1 个指标的权重为空") and "权重合计为 105" in note
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert recalc.value("目标", f"B{G.WEIGHT_NOTE_ROW}") == note
    assert recalc.value("目标", f"E{G.WEIGHT_TOTAL_ROW}") == 105


# ------------------------------------------------------------------ tables that grow
def _rows_with(cells: dict[tuple[int, int], object]) -> list[list[object]]:
    last_row = max(r for r, _ in cells)
    last_col = max(c for _, c in cells)
    rows = [[""] * last_col for _ in range(last_row)]
    for (r, c), value in cells.items():
        rows[r - 1][c - 1] = value
    return rows


def test_budget_is_read_down_to_its_total_row_wherever_it_moved():
    from csxl.workbook.layout import Budget as B
    from csxl.workbook.sheets import budget
    from csxl.workbook.sheets import budget as budget_sheet

    rows = _rows_with(
        {(B.FIRST_ROW + i, B.CATEGORY): f"科目{i}" for i in range(B.CATEGORY_ROWS + 1)}
        | {(B.TOTAL_ROW + 1, B.CATEGORY): "合计"}  # a row inserted and typed: the total moved
    )
    assert budget_sheet.table_end(rows) == B.TOTAL_ROW
    assert budget_sheet.total_row(rows) == B.TOTAL_ROW + 1
    with pytest.raises(InputError, match="预算 表从第 13 行起超出了新模板的 8 行"):
        budget.read(rows, "plan.xlsx", "zh")  # nine categories: refused, none dropped


def test_a_milestone_pushed_below_the_table_is_read_by_upgrade():
    from csxl.workbook.layout import Milestones as M
    from csxl.workbook.sheets import milestones

    below = M.last_row() + 1
    rows = _rows_with({(below, M.QUARTER): "Q2", (below, M.NAME): "上线新知识库"})
    assert [m.milestone for m in milestones.read(rows, "plan.xlsx", "zh")] == ["上线新知识库"]
