"""`csxl export-agent-sheets`: one 考核表 per agent with only that agent's figures (issue 11).

The plan is made as a manager makes it (new plan, export pasted, refresh); each agent's file
is read back with python-calamine and checked against the plan's Scores row and against the
raw export the test wrote, never against the exporter's own reading.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from csxl.agent_sheets import export_agent_sheets
from csxl.cli import main
from csxl.domain.privacy import mask_id
from csxl.errors import InputError, language
from csxl.workbook.layout import Scores as S
from tests.plan_fixtures import MONTH, NOW, at, clean_tickets, copy_of, pasted_plan, sheet

ESCALATED = {"袁新": 2, "唐一": 1}  # escalated complaints the test plants per agent


@lru_cache
def _plan_bytes() -> tuple[bytes, tuple[tuple[str, str, str, str], ...]]:
    """A refreshed plan with planted escalations; and (agent, ticket, customer, verified)."""
    import tempfile

    from csxl.refresh import refresh
    from csxl.workbook.port import PackageBook

    frame = clean_tickets(240)
    planted = []
    for agent, n in ESCALATED.items():
        rows = frame.index[frame["客服"] == agent][:n]
        frame.loc[rows, "升级投诉"] = "是"
        frame.loc[rows, "客户ID"] = [f"1391234{5600 + i:04d}" for i in range(len(rows))]
        planted += [(agent, frame.at[r, "工单号"], frame.at[r, "客户ID"], "否") for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = pasted_plan(Path(tmp) / "plan.xlsx", frame)
        refresh(PackageBook(path), MONTH, now=NOW)
        return path.read_bytes(), tuple(planted)


def _plan(folder: Path) -> Path:
    return copy_of(_plan_bytes()[0], folder)


def _cells(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _text(path: Path) -> set[str]:
    return {str(v) for row in _cells(path) for v in row if v != ""}


def _scores(plan: Path) -> dict[str, list[object]]:
    rows = sheet(plan, "Scores")
    return {
        str(at(rows, r, S.AGENT)): rows[r - 1]
        for r in range(S.FIRST_ROW, len(rows) + 1)
        if at(rows, r, S.AGENT) not in (None, "未分配")
    }


def _value(cells: list[list[object]], label: str) -> object:
    return next(row[1] for row in cells if row[0] == label)


def test_one_file_per_agent_with_only_that_agents_figures(tmp_path):
    plan = _plan(tmp_path)
    scores = _scores(plan)
    result = export_agent_sheets(plan, tmp_path / "out")
    assert result.month == MONTH and not result.warnings
    assert {f.name.split("_")[0] for f in result.files} == set(scores)
    for path in result.files:
        agent = path.name.split("_")[0]
        cells = _cells(path)
        others = set(scores) - {agent}
        assert not others & _text(path), path.name  # no other agent's name anywhere
        row = scores[agent]
        assert _value(cells, "客服") == agent
        assert _value(cells, "加权得分") == row[S.SCORE - 1]
        assert _value(cells, "等级") == row[S.GRADE - 1]
        assert _value(cells, "奖金（元）") == row[S.BONUS - 1]
        assert _value(cells, "奖金折算比例") == row[S.SHARE - 1] == 1  # all month in the team
        assert _value(cells, "扣款（元）") == row[S.DEDUCTIONS - 1]
        kpi_rows = [r for r in cells if r[0] == "满意度"]
        assert kpi_rows[0][1] == row[S.kpi_value(0) - 1]  # csat, the first scored KPI
        assert kpi_rows[0][7] == row[S.kpi_points(0) - 1]


def test_escalated_complaints_are_listed_for_their_agent_only(tmp_path):
    plan = _plan(tmp_path)
    planted = _plan_bytes()[1]
    result = export_agent_sheets(plan, tmp_path / "out")
    for path in result.files:
        agent = path.name.split("_")[0]
        text = _text(path)
        mine = {ticket for a, ticket, _, _ in planted if a == agent}
        theirs = {ticket for a, ticket, _, _ in planted if a != agent}
        assert mine <= text and not theirs & text, agent
        assert _value(_cells(path), "升级投诉（件）") == ESCALATED.get(agent, 0)


def test_mask_hides_customer_ids_and_phone_numbers(tmp_path):
    plan = _plan(tmp_path)
    planted = _plan_bytes()[1]
    plain = export_agent_sheets(plan, tmp_path / "plain")
    masked = export_agent_sheets(plan, tmp_path / "masked", mask=True)
    plain_text = set().union(*(_text(p) for p in plain.files))
    masked_text = set().union(*(_text(p) for p in masked.files))
    for _, _, customer, _ in planted:
        assert customer in plain_text
        assert customer not in masked_text
        assert mask_id(customer) in masked_text
        assert mask_id(customer) == customer[:3] + "****" + customer[-4:]


def test_a_plan_never_refreshed_is_refused_with_what_to_do(tmp_path):
    plan = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(40))
    with pytest.raises(InputError, match="还没有刷新") as caught:  # a Chinese run
        export_agent_sheets(plan, tmp_path / "out")
    assert "csxl refresh" in str(caught.value)
    with language("en"), pytest.raises(InputError, match="not been refreshed"):
        export_agent_sheets(plan, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_writes_the_files_and_a_plan_open_in_excel_is_read_as_saved(tmp_path):
    plan = _plan(tmp_path)
    before = plan.read_bytes()
    (tmp_path / ("~$" + plan.name)).write_bytes(b"owner")
    done = CliRunner().invoke(
        main, ["export-agent-sheets", str(plan), "--out", str(tmp_path / "o")]
    )
    assert done.exit_code == 1, done.output  # written, with the warning that Excel has it open
    assert "正在 Excel 中打开" in done.output  # the plan's language: Chinese
    assert len(list((tmp_path / "o").glob("*.xlsx"))) == len(_scores(plan))
    assert plan.read_bytes() == before


def test_cli_refuses_a_missing_workbook_with_exit_2(tmp_path):
    done = CliRunner().invoke(
        main, ["export-agent-sheets", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path)]
    )
    assert done.exit_code == 2
    assert "nope.xlsx" in done.output and "Traceback" not in done.output


@pytest.mark.libreoffice
def test_pdfs_through_libreoffice(tmp_path):
    from tests.libreoffice import find_soffice

    find_soffice()  # skips without LibreOffice; fails under CI=true
    plan = _plan(tmp_path)
    result = export_agent_sheets(plan, tmp_path / "out", pdf=True)
    assert not result.warnings
    assert [p.stem for p in result.pdfs] == [f.stem for f in result.files]
    for pdf in result.pdfs:
        assert pdf.read_bytes()[:5] == b"%PDF-"


def test_without_libreoffice_the_xlsx_files_are_made_and_a_warning_says_why(tmp_path, monkeypatch):
    import csxl.agent_sheets as module

    monkeypatch.setattr(module, "find_soffice", lambda: None)
    result = export_agent_sheets(_plan(tmp_path), tmp_path / "out", pdf=True)
    assert result.files and not result.pdfs
    assert any("未安装 LibreOffice" in w for w in result.warnings)
    assert shutil.which  # the real lookup is untouched outside this test


def test_complaints_under_an_alias_are_listed_for_the_agent_scores_names(tmp_path):
    """The Data sheet names the agent by a nickname; Aliases maps it: the 考核表 lists it."""
    import tempfile

    from csxl.refresh import refresh
    from csxl.workbook.port import PackageBook
    from tests.plan_fixtures import plan_inputs

    frame = clean_tickets(120)
    row = frame.index[frame["客服"] == "袁新"][0]
    frame.loc[row, ["升级投诉", "客服"]] = ["是", "小袁"]
    ticket = frame.at[row, "工单号"]
    aliases = (("袁新", "KF1", "袁新"), ("小袁", "KF1", "袁新"))
    with tempfile.TemporaryDirectory() as tmp:
        path = pasted_plan(Path(tmp) / "plan.xlsx", frame, plan_inputs(aliases=aliases))
        refresh(PackageBook(path), MONTH, now=NOW)
        plan = copy_of(path.read_bytes(), tmp_path)
    assert _scores(plan)["袁新"][S.ESCALATED - 1] == 1
    result = export_agent_sheets(plan, tmp_path / "out")
    (mine,) = [f for f in result.files if f.name.startswith("袁新_")]
    assert ticket in _text(mine)


def test_a_duration_on_the_scorecard_is_minutes_and_seconds():
    """分:秒: the seconds / 86400 under [m]:ss, the unit in the KPI's name; rates as they are."""
    import io

    from openpyxl import load_workbook

    from csxl.agent_sheets import card_workbook
    from csxl.workbook import style
    from csxl.workbook.scorecard import AgentCard, KpiLine
    from csxl.workbook.scorecard import unit_format as _fmt

    frt = KpiLine("frt_mean", "平均首响时长", _fmt("seconds"), 90.0, 120, 60, 30, 15, "保底", 60)
    csat = KpiLine("csat", "满意度", _fmt("ratio"), 0.9, 0.85, 0.9, 0.95, 30, "冲刺", 80)
    card = AgentCard("王英", "A班", 10, 5, [frt, csat], 70.0, "B", 100.0, 0, 0.0, 0, "", None)
    ws = load_workbook(io.BytesIO(card_workbook(card, "售后一组", MONTH, "zh", False))).active
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    r = rows["平均首响时长（分:秒）"]
    assert [ws.cell(r, c).number_format for c in range(2, 6)] == [style.MIN_SEC] * 4
    shown = [ws.cell(r, c).value for c in range(2, 6)]
    assert [round(v.total_seconds(), 6) for v in shown] == [90, 120, 60, 30]
    r = rows["满意度"]
    assert (ws.cell(r, 2).value, ws.cell(r, 2).number_format) == (0.9, style.PERCENT)
