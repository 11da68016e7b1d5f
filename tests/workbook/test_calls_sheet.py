"""Calls (通话) and Call records (通话记录): pasted call records through refresh, by hand.

March's valid calls after the duplicate and the rejects (service level 20 s, no short
abandons), worked out below:

| call | queue | agent (after Aliases) | answered | abandoned | wait | within 20 s |
|---|---|---|---|---|---|---|
| C01 | 售后热线 | 张三 | yes | | 5 | yes |
| C02 | 售后热线 | 张三 | yes | | 20 | yes (exactly 20 s) |
| C03 | 售后热线 | 李四 | yes | | 15 (its last copy; 21 before) | yes |
| C04 | 售后热线 | — | | yes | 3 | |
| C05 | 售后热线 | — | | yes | 45 | |
| C06 | 投诉专线 | 李四 | yes | | 60 | |
| C07 | 投诉专线 | 李四 | | | 30 (rang, not answered, not abandoned) | |
| C08 | 投诉专线 | 张三 (written 阿三) | yes | | 0 | yes |
| C14 | 售后热线 | 王五 (not in Aliases) | yes | | 10 | yes |

All: offered 9, answered 6, abandoned 2, within 5; ASA (5+20+15+60+0+10)/6.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from csxl.domain.columns import CALLS as CALL_RECORDS
from csxl.errors import InputError
from csxl.refresh import refresh, validate
from csxl.workbook import layout
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import new_plan
from csxl.workbook.data_sheet import paste
from csxl.workbook.layout import Calls as L
from csxl.workbook.layout import Errors as E
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import at, clean_tickets, pasted_plan, plan_inputs, sheet, sheet_part
from tests.workbook.parity import differences

NOW = datetime(2026, 4, 1, 8)
ALIASES = (("阿三", "Z1", "张三"), ("张三", "Z1", None), ("李四", "L1", "李四"))
COLUMNS = ("通话ID", "来电时间", "坐席", "技能组", "是否接通", "等待时长(秒)", "是否放弃")
CALLS = [
    ("C01", "2026-03-02 09:00:00", "张三", "售后热线", "已接听", 5, "否"),
    ("C02", "2026-03-02 09:10:00", "张三", "售后热线", "已接听", 20, "否"),
    ("C03", "2026-03-02 09:20:00", "李四", "售后热线", "已接听", 21, "否"),
    ("C04", "2026-03-03 10:00:00", None, "售后热线", "未接听", 3, "是"),
    ("C05", "2026-03-03 10:05:00", None, "售后热线", "未接听", 45, "是"),
    ("C06", "2026-03-04 11:00:00", "李四", "投诉专线", "已接听", 60, "否"),
    ("C07", "2026-03-04 11:30:00", "李四", "投诉专线", "未接听", 30, "否"),
    ("C08", "2026-03-05 08:30:00", "阿三", "投诉专线", "已接听", 0, "否"),
    ("C03", "2026-03-02 09:20:00", "李四", "售后热线", "已接听", 15, "否"),  # the last copy
    ("C10", "2026-02-27 09:00:00", "张三", "售后热线", "已接听", 5, "否"),  # February
    ("C11", "2026-03-32 09:00:00", "张三", "售后热线", "已接听", 5, "否"),  # no such day
    ("C12", "2026-03-06 09:00:00", "李四", "售后热线", "已接听", -5, "否"),  # negative wait
    ("C13", "2026-03-06 09:30:00", "李四", "售后热线", "已接听", 8, "是"),  # both
    ("C14", "2026-03-06 10:00:00", "王五", "售后热线", "已接听", 10, "否"),
]
FIRST = layout.CallRecords.FIRST_ROW
REJECTED = {FIRST + 10: "来电时间", FIRST + 11: "等待时长(秒)", FIRST + 12: "是否放弃"}


def _frame(columns=COLUMNS, rows=CALLS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _plan(
    tmp_path: Path,
    inputs=None,
    calls: pd.DataFrame | None = None,
    name="plan.xlsx",
    tickets: pd.DataFrame | None = None,
):
    tickets = clean_tickets(60) if tickets is None else tickets
    path = pasted_plan(tmp_path / name, tickets, inputs or plan_inputs(aliases=ALIASES))
    book = PackageBook(path)
    paste(book, _frame() if calls is None else calls, CALL_RECORDS)
    book.commit()
    return path


def _results(rows) -> list[list[object]]:
    out = []
    for r in range(L.FIRST_ROW, L.last_row() + 1):
        values = [at(rows, r, c) for c in range(L.SCOPE, L.ASA + 1)]
        if values[0] == "":
            break
        out.append(values)
    return out


def _counts(results) -> dict[tuple[str, str], tuple]:
    """(scope, name) -> offered, answered, abandoned, within."""
    return {(r[0], r[1]): tuple(r[2:6]) for r in results}


def _rates(results) -> dict[tuple[str, str], tuple]:
    """(scope, name) -> answer rate, abandon rate, service level, ASA."""
    return {(r[0], r[1]): tuple(r[6:10]) for r in results}


def test_the_months_calls_by_hand(tmp_path):
    path = _plan(tmp_path)
    before = _part(path, "CallRecords")
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    results = _results(sheet(path, "Calls"))
    assert [(r[0], r[1]) for r in results] == [
        ("全部", "售后一组"),
        ("团队", "售后热线"),
        ("团队", "投诉专线"),
        ("坐席", "张三"),
        ("坐席", "李四"),
        ("坐席", "王五"),
        ("坐席", "未分配"),
    ]
    assert _counts(results) == {
        ("全部", "售后一组"): (9, 6, 2, 5),
        ("团队", "售后热线"): (6, 4, 2, 4),
        ("团队", "投诉专线"): (3, 2, 0, 1),
        ("坐席", "张三"): (3, 3, 0, 3),
        ("坐席", "李四"): (3, 2, 0, 1),
        ("坐席", "王五"): (1, 1, 0, 1),
        ("坐席", "未分配"): (2, 0, 2, 0),
    }
    rates = _rates(results)
    assert rates[("全部", "售后一组")] == pytest.approx((6 / 9, 2 / 9, 5 / 9, 110 / 6))
    assert rates[("团队", "售后热线")] == pytest.approx((4 / 6, 2 / 6, 4 / 6, 50 / 4))
    assert rates[("团队", "投诉专线")] == pytest.approx((2 / 3, 0, 1 / 3, 30))
    assert rates[("坐席", "张三")] == pytest.approx((1, 0, 1, 25 / 3))
    assert rates[("坐席", "李四")] == pytest.approx((2 / 3, 0, 1 / 3, 37.5))
    assert rates[("坐席", "未分配")][:3] == (0, 1, 0) and rates[("坐席", "未分配")][3] == ""
    status = at(sheet(path, "Calls"), L.STATUS_ROW, 1)
    assert "2026-03 的 9 通来电" in status and "3 行被拒绝" in status
    # The rejected rows on Errors, with the sheet, row and column a manager looks at; the
    # name the alias table does not know, with its count of calls.
    errors = sheet(path, "Errors")
    listed = {
        at(errors, r, E.ROW): at(errors, r, E.COLUMN)
        for r in range(E.FIRST_ROW, len(errors) + 1)
        if at(errors, r, E.SHEET_NAME) == "通话记录" and at(errors, r, E.ROW) != ""
    }
    assert listed == REJECTED
    unknown = [
        (at(errors, r, E.REASON), at(errors, r, E.VALUE))
        for r in range(E.FIRST_ROW, len(errors) + 1)
        if at(errors, r, E.SHEET_NAME) == "通话记录" and at(errors, r, E.ROW) == ""
    ]
    assert unknown == [("别名表中没有这个名字（1 通电话，按原名计算）", "王五")]
    assert outcome.problems >= 3
    # The pasted records are read, never rewritten.
    assert _part(path, "CallRecords") == before


def test_thresholds_typed_on_the_sheet(tmp_path):
    """Service level 15 s, short abandons under 5 s: C04 (abandoned after 3 s) is not
    offered, C02 (20 s) is no longer within."""
    path = _plan(tmp_path)
    book = PackageBook(path)
    book.write("Calls", {(L.ROW_SL_SECONDS, L.VALUE_COL): 15, (L.ROW_SHORT_ABANDON, 2): 5})
    book.commit()
    refresh(PackageBook(path), "2026-03", now=NOW)
    rows = sheet(path, "Calls")
    counts = _counts(_results(rows))
    assert counts[("全部", "售后一组")] == (8, 6, 1, 4)
    assert counts[("坐席", "未分配")] == (1, 0, 1, 0)
    assert counts[("坐席", "张三")] == (3, 3, 0, 2)
    assert _rates(_results(rows))[("全部", "售后一组")][2] == pytest.approx(4 / 8)
    assert "短放弃 1 通不计入呼入量" in at(rows, L.STATUS_ROW, 1)
    assert (at(rows, L.ROW_SL_SECONDS, 2), at(rows, L.ROW_SHORT_ABANDON, 2)) == (15, 5)


def test_the_rates_are_formulas_libreoffice_agrees_with(tmp_path, libreoffice):
    path = _plan(tmp_path)
    refresh(PackageBook(path), "2026-03", now=NOW)
    from openpyxl import load_workbook

    ws = load_workbook(path)[layout.title("Calls", "zh")]
    r = L.FIRST_ROW
    assert ws.cell(r, L.ANSWER_RATE).value == f'=IF(OR(C{r}="",C{r}=0),"",D{r}/C{r})'
    assert ws.cell(r, L.SERVICE_LEVEL).value == f'=IF(OR(C{r}="",C{r}=0,F{r}=""),"",F{r}/C{r})'
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []


def test_a_month_without_calls_and_a_refresh_that_empties_the_block(tmp_path):
    path = _plan(tmp_path)
    refresh(PackageBook(path), "2026-03", now=NOW)
    assert len(_results(sheet(path, "Calls"))) == 7
    # Another month: its own rows replace March's, never left stale below them.
    from csxl.demo_data import generate_tickets

    book = PackageBook(path)
    paste(book, generate_tickets(40, month="2026-02", teams=("售后一组",), dirty=False))
    book.commit()
    refresh(PackageBook(path), "2026-02", now=NOW)
    rows = sheet(path, "Calls")
    assert _counts(_results(rows)) == {  # C10 only: 张三, answered at 5 s
        ("全部", "售后一组"): (1, 1, 0, 1),
        ("团队", "售后热线"): (1, 1, 0, 1),
        ("坐席", "张三"): (1, 1, 0, 1),
    }
    book = PackageBook(path)
    paste(book, _frame(rows=CALLS[:1]), CALL_RECORDS)
    book.commit()
    refresh(PackageBook(path), "2026-02", now=NOW)
    rows = sheet(path, "Calls")
    assert _results(rows) == []
    assert "没有 2026-02 的来电" in at(rows, L.STATUS_ROW, 1)


def test_validate_lists_the_bad_call_rows(tmp_path):
    path = _plan(tmp_path)
    outcome = validate(PackageBook(path))
    errors = sheet(path, "Errors")
    rows = {
        at(errors, r, E.ROW)
        for r in range(E.FIRST_ROW, len(errors) + 1)
        if at(errors, r, E.SHEET_NAME) == "通话记录" and at(errors, r, E.ROW) != ""
    }
    assert rows == set(REJECTED)
    assert outcome.problems >= 3


def test_an_unreadable_call_sheet_is_a_warning_not_a_refused_refresh(tmp_path):
    path = _plan(tmp_path, calls=_frame(rows=[]))
    book = PackageBook(path)
    book.write("CallRecords", {(1, c): None for c in range(1, 8)})  # the header deleted
    book.write("CallRecords", {(2, 1): "C01", (2, 2): "昨天"})
    book.commit()
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    assert any("通话记录" in w and "表头" in w for w in outcome.warnings)
    rows = sheet(path, "Calls")
    assert _results(rows) == [] and "通话记录" in at(rows, L.STATUS_ROW, 1)
    assert outcome.agents > 0  # the tickets were scored all the same


def test_a_negative_threshold_is_refused_at_its_cell(tmp_path):
    from csxl.errors import InputError

    path = _plan(tmp_path)
    book = PackageBook(path)
    book.write("Calls", {(L.ROW_SHORT_ABANDON, L.VALUE_COL): -1})
    book.commit()
    with pytest.raises(InputError) as caught:
        refresh(PackageBook(path), "2026-03", now=NOW)
    assert (caught.value.where.sheet, caught.value.where.row) == ("通话", L.ROW_SHORT_ABANDON)


def test_an_export_pasted_with_its_own_header(tmp_path):
    """A call-centre export's headers (呼叫ID, 呼入时间, 坐席工号 ...) and words (接通/未接通,
    1分05秒) are read as the plan's own; 工号 spellings resolve through Aliases."""
    columns = ("呼叫ID", "呼入时间", "坐席工号", "队列", "接听状态", "排队时长", "是否呼损")
    rows = [
        ("X1", "2026-03-02 09:00:00", "Z1", "热线", "接通", "0:00:08", "否"),
        ("X2", "2026-03-02 09:01:00", "L1", "热线", "接通", "1分05秒", "否"),
        ("X3", "2026-03-02 09:02:00", None, "热线", "未接通", "40秒", "是"),
    ]
    path = tmp_path / "plan.xlsx"
    new_plan(path, plan_inputs(aliases=ALIASES))
    book = PackageBook(path)
    paste(book, clean_tickets(60))
    # The export with its own header row at A1, as a manager pastes it.
    cells = {(1, c): h for c, h in enumerate(columns, start=1)}
    for i, row in enumerate(rows):
        cells |= {(2 + i, c): v for c, v in enumerate(row, start=1)}
    book.write("CallRecords", cells)
    book.commit()
    refresh(PackageBook(path), "2026-03", now=NOW)
    counts = _counts(_results(sheet(path, "Calls")))
    assert counts[("全部", "售后一组")] == (3, 2, 1, 1)
    assert counts[("坐席", "张三")] == (1, 1, 0, 1) and counts[("坐席", "李四")] == (1, 1, 0, 0)


def test_english_plan(tmp_path):
    inputs = PlanInputs(lang="en", team="Support", year=2026, aliases=ALIASES)
    # The team's tickets: a team plan counts only its team's (Settings).
    tickets = clean_tickets(60).assign(团队="Support")
    path = _plan(tmp_path, inputs, name="plan_en.xlsx", tickets=tickets)
    refresh(PackageBook(path), "2026-03", now=NOW)
    book = CalamineWorkbook.from_path(str(path))
    assert {"Calls", "Call records"} <= set(book.sheet_names)
    assert book.get_sheet_by_name("Call records").to_python()[0] == [
        "Call ID",
        "Start time",
        "Agent",
        "Agent ID",
        "Queue",
        "Answered",
        "Wait time (s)",
        "Abandoned",
    ]
    rows = book.get_sheet_by_name("Calls").to_python(skip_empty_area=False)
    assert at(rows, L.ROW_SL_SECONDS, 1) == "Service level (s)"
    assert at(rows, L.HEADER_ROW, L.SERVICE_LEVEL) == "Service level"
    results = _results(rows)
    assert results[0][:6] == ["All", "Support", 9, 6, 2, 5]
    assert results[-1][:2] == ["Agent", "Unassigned"]
    assert "9 calls of 2026-03" in at(rows, L.STATUS_ROW, 1)
    errors = book.get_sheet_by_name("Errors").to_python()
    assert any(r[1] == "Call records" and r[4] == "both answered and abandoned" for r in errors)


def test_a_plan_of_this_template_without_its_calls_sheets_is_refused_by_name(tmp_path, monkeypatch):
    # Every sheet of the template is part of the plan: one that is gone was deleted (or
    # renamed in a plan made before the sheet anchors), and is named, never read as absent.
    from csxl.workbook import sheets

    path = tmp_path / "old.xlsx"
    with monkeypatch.context() as m:
        new = ("Calls", "CallRecords")
        m.setattr(
            sheets,
            "SHEET_BUILDERS",
            {k: v for k, v in sheets.SHEET_BUILDERS.items() if k not in new},
        )
        m.setattr(layout, "SHEETS", tuple(s for s in layout.SHEETS if s.key not in new))
        new_plan(path, plan_inputs())
    book = PackageBook(path)
    paste(book, clean_tickets(60))
    book.commit()
    before = path.read_bytes()
    with pytest.raises(InputError, match="计划缺少工作表：通话、通话记录"):
        refresh(PackageBook(path), "2026-03", now=NOW)
    assert path.read_bytes() == before


def _part(path: Path, key: str) -> bytes:
    from tests.plan_fixtures import parts

    return parts(path)[sheet_part(path, key)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_protection_the_paste_sheet_is_open_the_thresholds_are_unlocked(tmp_path, lang):
    from openpyxl import load_workbook

    from csxl.workbook.builder import build

    path = tmp_path / f"p_{lang}.xlsx"
    path.write_bytes(build(PlanInputs(lang=lang, year=2026)))
    wb = load_workbook(path)
    records, calls = (wb[layout.title(k, lang)] for k in ("CallRecords", "Calls"))
    assert not records.protection.sheet and records.tables[layout.CallRecords.TABLE]
    assert calls.protection.sheet and not calls.protection.password
    for row in (L.ROW_SL_SECONDS, L.ROW_SHORT_ABANDON):
        assert calls.cell(row, L.VALUE_COL).protection.locked is False
    assert calls.cell(L.FIRST_ROW, L.OFFERED).protection.locked is not False
    # No results header is a call synonym: a header search never mistakes Calls for records.
    from csxl.domain.columns import CALLS
    from csxl.domain.synonyms import Synonyms
    from csxl.workbook.sheets.calls import headers

    assert Synonyms(CALLS).score(headers(lang)) == 0
