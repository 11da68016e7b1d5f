"""`csxl upgrade`: a plan of an older template moves into the current one, inputs kept.

The old workbooks are made here the way a manager's plan would look after months of use:
a plan built with non-default milestones, budget and risks, then typed into through the port
(targets, cascade, incentives, red lines, program path, header synonyms), with an export
pasted and refreshed and a red-line tick and an appeal note on Scores, and finally marked
with an older template version. Every input is read back from the upgraded file by address
and compared with what the test put in.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

import csxl.upgrade as upgrade_module
from csxl.cli import main
from csxl.domain.plan import BudgetLine, Milestone, Risk
from csxl.errors import WorkbookOpenError
from csxl.refresh import refresh
from csxl.upgrade import upgrade
from csxl.workbook import layout
from csxl.workbook.builder import new_plan
from csxl.workbook.layout import Aliases as Al
from csxl.workbook.layout import Appeals as Ap
from csxl.workbook.layout import Calls as Ca
from csxl.workbook.layout import Customers as Cu
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Holidays as Hd
from csxl.workbook.layout import Incentives as I
from csxl.workbook.layout import Incidents as N
from csxl.workbook.layout import Mapping as Mp
from csxl.workbook.layout import Qa
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St
from csxl.workbook.layout import Team as Tm
from csxl.workbook.port import PackageBook
from csxl.workbook.sheets import budget, incidents, milestones, risks
from tests.plan_fixtures import MONTH, NOW, at, clean_tickets, plan_inputs, sheet

OLD = "0.9"  # a version older than the current template, sharing its input addresses
MILESTONES = (
    Milestone(
        1,
        "智能路由上线",
        "路由规则",
        "高峰排队降 30%",
        "王芳",
        date(2026, 1, 5),
        date(2026, 3, 20),
        0.6,
    ),
    Milestone(
        3, "知识库改版", "话术库", "覆盖 90%", "李雷", date(2026, 7, 1), date(2026, 9, 30), 0.0
    ),
)
BUDGET = (
    BudgetLine("人力成本", (100_000.0,) * 12, (98_000.0, 101_500.0) + (None,) * 10),
    BudgetLine("", (None,) * 12),
    BudgetLine("外包", (None,) * 6 + (20_000.0,) * 6),
)
RISKS = (
    Risk(
        "R1",
        "人员流失",
        "人员",
        4,
        3,
        "离职率>5%",
        "导师制",
        "储备人才",
        "张三",
        "监控中",
        date(2026, 4, 1),
    ),
    Risk("R7", "=cmd|' /C calc'!A0", "系统", 2, 5, "", "", "", "", "", None),
)


# An approved score override typed on the Appeals sheet (applied by the refresh of upgrade).
APPEAL = {
    Ap.AGENT: "袁新",
    Ap.MONTH: "2026-03",
    Ap.KIND: "调整得分",
    Ap.TARGET: "加权得分",
    Ap.NEW_VALUE: 90,
    Ap.REASON: "申诉成立",
    Ap.APPROVER: "王经理",
    Ap.DATE: datetime(2026, 4, 2),
    Ap.STATUS: "通过",
}


# An alias (a nickname of an agent of the data) and a transfer period.
ALIASES = (
    {
        Al.SPELLING: "阿新",
        Al.AGENT_ID: "袁新",
        Al.P_AGENT: "袁新",
        Al.P_TEAM: "售后一组",
        Al.P_FROM: datetime(2026, 1, 1),
    },
)


def _old_plan(folder: Path) -> Path:
    path = folder / "计划.xlsx"
    new_plan(path, plan_inputs(milestones=MILESTONES, budget=BUDGET, risks=RISKS))
    book = PackageBook(path)
    from csxl.domain import columns
    from csxl.workbook.data_sheet import paste

    paste(book, clean_tickets(120))
    paste(book, ORDERS, columns.ORDERS)
    paste(book, CALLS, columns.CALLS)
    book.commit()
    book = PackageBook(path)
    book.write("Goals", {(G.FIRST_ROW, G.WEIGHT): 35, (G.FIRST_ROW, G.STRETCH): 0.91})
    book.write("Calls", {(Ca.ROW_SL_SECONDS, Ca.VALUE_COL): 15, (Ca.ROW_SHORT_ABANDON, 2): 3})
    book.write(
        "Team",
        {
            (Tm.FIRST_ROW, Tm.AGENT): "袁新",
            (Tm.FIRST_ROW, Tm.GROUP): "A班",
            (Tm.FIRST_ROW, Tm.LEVEL): "中级",
            (Tm.FIRST_ROW, Tm.HIRED): datetime(2025, 12, 1),
            (Tm.FIRST_ROW, Tm.PLANNED_FIRST): 12,
            (Tm.FIRST_ROW, Tm.DONE_FIRST): 9,
            (Tm.FIRST_ROW, Tm.HELD): 10,
            (Tm.FIRST_ROW, Tm.ATTENDED): 8,
            (Tm.ROW_AT_LEAST, Tm.VALUE_COL): 3,
            (Tm.KB_FIRST_ROW, Tm.KB_COVERAGE): 0.88,
            (Tm.KB_TARGET_ROW, Tm.KB_UPDATED): 0.25,
        },
    )
    book.write("Settings", {(Cu.ROW_RETENTION_TARGET, St.VALUE_COL): 0.75})
    book.write(
        "Goals",
        {
            (G.CASCADE_FIRST_ROW, G.C_LEVEL): "客服",
            (G.CASCADE_FIRST_ROW, G.C_NAME): "袁新",
            (G.CASCADE_FIRST_ROW, G.C_KPI): "满意度",
            (G.CASCADE_FIRST_ROW, G.C_STRETCH): 0.93,
        },
    )
    book.write(
        "Incentives",
        {
            (I.ROW_BASE_BONUS, 2): 1200,
            (I.RED_LINE_FIRST_ROW + 4, 1): "飞单",
            (I.ROW_PRORATION, 2): "按工作日",
        },
    )
    book.write("Settings", {(St.ROW_EXE_PATH, St.VALUE_COL): r"D:\tools\csxl\csxl.exe"})
    # frt_sla / rt_sla limits: rebuilt from the inputs, not reset to 30 s / 300 s
    book.write("Settings", {(St.ROW_FRT_TARGET, 2): 60, (St.ROW_RT_TARGET, 2): 14_400})
    book.write("Mapping", {(Mp.FIRST_ROW, 1): "接待客服", (Mp.FIRST_ROW, 2): "agent"})
    book.write(
        "Holidays", {(Hd.FIRST_ROW, Hd.DATE): datetime(2026, 6, 1), (Hd.FIRST_ROW, Hd.KIND): "放假"}
    )
    book.write(
        "Incidents",
        {
            (N.FIRST_ROW, N.ID): "INC-1",
            (N.FIRST_ROW, N.SYSTEM): "工单系统",
            (N.FIRST_ROW, N.START): datetime(2026, 3, 2, 9, 0),
            (N.FIRST_ROW, N.ALERT): datetime(2026, 3, 2, 9, 4),
            (N.LIMIT_ROW, 2): 6,
        },
    )
    book.commit()
    refresh(PackageBook(path), MONTH, now=NOW)
    rows = sheet(path, "Scores")
    agent_row = next(r for r in range(S.FIRST_ROW, len(rows) + 1) if at(rows, r, S.AGENT) == "袁新")
    book = PackageBook(path)
    book.write("Scores", {(agent_row, S.RED_LINE_TICK): "是", (agent_row, S.APPEAL): "客户撤诉"})
    book.write("Appeals", {(Ap.FIRST_ROW, c): v for c, v in APPEAL.items()})
    book.write(
        "QA",
        {
            (Qa.ROW_WEIGHT, 2): 5,
            (Qa.FIRST_ROW, 1): "袁新",
            (Qa.FIRST_ROW, 3): 88,
            (Qa.FIRST_ROW, Qa.DATE): datetime(2026, 3, 20),
            (Qa.FIRST_ROW + 1, 1): "袁新",
            (Qa.FIRST_ROW + 1, 3): 70,
            (Qa.FIRST_ROW + 1, Qa.DATE): "3月的某天",  # typed as text: carried as typed
        },
    )
    book.write(
        "Aliases",
        {(Al.FIRST_ROW + i, c): v for i, row in enumerate(ALIASES) for c, v in row.items()},
    )
    book.write("Settings", {(St.ROW_VERSION, St.VALUE_COL): OLD})
    book.commit()
    return path


ORDERS = pd.DataFrame(
    {
        "客户ID": ["C1", "C2", "C1"],
        "下单时间": [datetime(2026, 2, 3, 10), datetime(2026, 3, 1, 9), datetime(2026, 3, 5, 20)],
        "订单金额": [120.5, 88.0, 60.0],
        "订单号": ["O1", "O2", "O3"],
    }
)


CALLS = pd.DataFrame(
    {
        "通话ID": ["K1", "K2"],
        "来电时间": [datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 9, 5)],
        "坐席": ["袁新", None],
        "是否接通": ["是", "否"],
        "等待时长(秒)": [12, 2],
    }
)


def _team_inputs(path: Path) -> list[object]:
    """The Team sheet's manager cells and the customer settings, read back by address."""
    team, settings = sheet(path, "Team"), sheet(path, "Settings")
    cells = [at(team, r, Tm.VALUE_COL) for r in range(Tm.ROW_MONTHS, Tm.ROW_RED_LINE + 1)]
    cells += [
        at(team, r, c)
        for r in range(Tm.KB_TARGET_ROW, Tm.KB_FIRST_ROW + 4)
        for c in (Tm.KB_COVERAGE, Tm.KB_UPDATED)
    ]
    cells += [at(team, Tm.FIRST_ROW, c) for c in range(Tm.AGENT, Tm.ATTENDED + 1)]
    cells += [
        at(settings, r, St.VALUE_COL) for r in range(Cu.ROW_HV_ORDERS, Cu.ROW_TIMELINESS_TARGET + 1)
    ]
    return cells


def _orders(path: Path, key: str = "Orders") -> list[list[object]]:
    return [r for r in sheet(path, key) if any(v != "" for v in r)]


@pytest.fixture
def readable(monkeypatch):
    monkeypatch.setattr(upgrade_module, "READABLE", (OLD, layout.TEMPLATE_VERSION))


def _inputs(path: Path) -> dict[str, object]:
    """Every input the test typed, read back by address."""
    goals, inc, settings = sheet(path, "Goals"), sheet(path, "Incentives"), sheet(path, "Settings")
    mapping, scores = sheet(path, "Mapping"), sheet(path, "Scores")
    notes = {
        at(scores, r, S.AGENT): (at(scores, r, S.RED_LINE_TICK), at(scores, r, S.APPEAL))
        for r in range(S.FIRST_ROW, len(scores) + 1)
        if at(scores, r, S.RED_LINE_TICK) or at(scores, r, S.APPEAL)
    }
    return {
        "goal": (at(goals, G.FIRST_ROW, G.WEIGHT), at(goals, G.FIRST_ROW, G.STRETCH)),
        "cascade": [
            at(goals, G.CASCADE_FIRST_ROW, c) for c in (G.C_LEVEL, G.C_NAME, G.C_KPI, G.C_STRETCH)
        ],
        "bonus": at(inc, I.ROW_BASE_BONUS, 2),
        "pro-rating": at(inc, I.ROW_PRORATION, 2),
        "red line": at(inc, I.RED_LINE_FIRST_ROW + 4, 1),
        "exe": at(settings, St.ROW_EXE_PATH, St.VALUE_COL),
        "sla limits": [at(settings, r, 2) for r in (St.ROW_FRT_TARGET, St.ROW_RT_TARGET)],
        "mapping": (at(mapping, Mp.FIRST_ROW, 1), at(mapping, Mp.FIRST_ROW, 2)),
        "notes": notes,
        "milestones": milestones.read(sheet(path, "Milestones"), path.name, "zh"),
        "budget": budget.read(sheet(path, "Budget"), path.name, "zh"),
        "risks": risks.read(sheet(path, "Risks"), path.name, "zh"),
        "team": at(settings, St.ROW_TEAM, St.VALUE_COL),
        "holiday": [at(sheet(path, "Holidays"), Hd.FIRST_ROW, c) for c in (Hd.DATE, Hd.KIND)],
        "incidents": incidents.read(sheet(path, "Incidents"), path.name, "zh"),
        "team and customer settings": _team_inputs(path),
        "orders": _orders(path),
        "call records": _orders(path, "CallRecords"),
        "call thresholds": [
            at(sheet(path, "Calls"), r, Ca.VALUE_COL)
            for r in (Ca.ROW_SL_SECONDS, Ca.ROW_SHORT_ABANDON)
        ],
        "appeal": [at(sheet(path, "Appeals"), Ap.FIRST_ROW, c) for c in APPEAL],
        "aliases": [at(sheet(path, "Aliases"), Al.FIRST_ROW, c) for c in ALIASES[0]],
        "transfer from": at(sheet(path, "Aliases"), Al.FIRST_ROW, Al.P_FROM),
        "qa": [
            at(sheet(path, "QA"), r, c)
            for r, c in (
                (Qa.ROW_WEIGHT, 2),
                (Qa.FIRST_ROW, 1),
                (Qa.FIRST_ROW, 3),
                (Qa.FIRST_ROW, Qa.DATE),
                (Qa.FIRST_ROW + 1, Qa.DATE),
            )
        ],
    }


def _data(path: Path) -> list[list[object]]:
    rows = sheet(path, "Data")
    return [r for r in rows if any(v != "" for v in r)]


def test_an_old_plan_upgrades_with_every_input_kept(tmp_path, readable):
    path = _old_plan(tmp_path)
    original = path.read_bytes()
    before, data_before = _inputs(path), _data(path)
    assert before["notes"] == {"袁新": ("是", "客户撤诉")}
    assert before["milestones"] == list(MILESTONES)
    assert before["risks"] == list(RISKS)
    assert before["incidents"][1]["alert"] == 6 and before["incidents"][0][0].id == "INC-1"
    assert len(before["orders"]) == 4 and before["orders"][1][0] == "C1"
    assert len(before["call records"]) == 3 and before["call thresholds"] == [15, 3]
    assert before["team and customer settings"][:6] == [3, 3, "A", "是", 0.9, 0.25]
    assert before["pro-rating"] == "按工作日"
    assert before["sla limits"] == [60, 14_400]
    assert before["qa"][3:] == [date(2026, 3, 20), "3月的某天"]

    report = upgrade(path)

    assert (report.old_version, report.new_version) == (OLD, layout.TEMPLATE_VERSION)
    version = at(sheet(path, "Settings"), St.ROW_VERSION, St.VALUE_COL)
    assert str(version) == layout.TEMPLATE_VERSION
    assert _inputs(path) == before
    assert _data(path) == data_before
    assert report.refreshed == MONTH
    assert report.backup is not None and report.backup.read_bytes() == original
    assert any(en.startswith("Data: 120") for _, en in report.moved)
    # the owned regions are filled again from the data: the agent keeps their score row
    scores = sheet(path, "Scores")
    agents = {at(scores, r, S.AGENT) for r in range(S.FIRST_ROW, len(scores) + 1)} - {None}
    assert "袁新" in agents and len(agents) >= 5
    assert not list(tmp_path.glob(".csxl-upgrade-*"))
    # the appeal moved and the refresh of upgrade applied it (and logged it)
    row = next(r for r in range(S.FIRST_ROW, len(scores) + 1) if at(scores, r, S.AGENT) == "袁新")
    assert at(scores, row, S.SCORE) == 90 and at(scores, row, S.ADJUSTED)
    audit = sheet(path, "Audit")
    assert [at(audit, layout.Audit.FIRST_ROW, c) for c in (3, 5, 7)] == ["袁新", "加权得分", 90]
    assert any(en.startswith("Appeals: 1 rows") for _, en in report.moved)
    assert any(en.startswith("Call records: 2 pasted rows") for _, en in report.moved)
    # the refresh of upgrade filled Calls with the carried thresholds: K2 (abandoned after
    # 2 s) is a short abandon under 3 s, so one call is offered
    calls = sheet(path, "Calls")
    assert [at(calls, Ca.FIRST_ROW, c) for c in range(Ca.OFFERED, Ca.WITHIN + 1)] == [1, 1, 0, 1]


def test_formula_values_follow_the_carried_inputs(tmp_path, readable):
    """Budget totals in the upgraded file are computed from the manager's amounts."""
    path = _old_plan(tmp_path)
    upgrade(path)
    budget = sheet(path, "Budget")
    total = layout.Budget.TOTAL_ROW
    assert at(budget, total, layout.Budget.YEAR_PLAN) == pytest.approx(1_200_000 + 120_000)


def test_a_current_plan_is_left_alone(tmp_path):
    path = tmp_path / "plan.xlsx"
    new_plan(path, plan_inputs())
    before = path.read_bytes()
    report = upgrade(path)
    assert not report.changed and report.backup is None
    assert path.read_bytes() == before


def test_an_unknown_version_is_refused_and_the_file_untouched(tmp_path):
    path = tmp_path / "plan.xlsx"
    new_plan(path, plan_inputs())
    book = PackageBook(path)
    book.write("Settings", {(St.ROW_VERSION, St.VALUE_COL): "0.1"})
    book.commit()
    before = path.read_bytes()
    done = CliRunner().invoke(main, ["upgrade", str(path)])
    assert done.exit_code == 2
    assert "0.1" in done.output and "设置" in done.output and "Traceback" not in done.output
    assert path.read_bytes() == before


def test_a_plan_open_in_excel_is_refused_with_exit_3(tmp_path, readable):
    path = _old_plan(tmp_path)
    (tmp_path / ("~$" + path.name)).write_bytes(b"owner")
    before = path.read_bytes()
    with pytest.raises(WorkbookOpenError):
        upgrade(path)
    assert path.read_bytes() == before


def test_sheets_a_manager_added_are_reported_as_kept_in_the_backup(tmp_path, readable):
    from openpyxl import load_workbook

    path = _old_plan(tmp_path)
    # Add a sheet the way Excel would; openpyxl drops cached values, so only for this test.
    wb = load_workbook(path)
    wb.create_sheet("我的笔记")["A1"] = "周会记录"
    wb.save(path)
    report = upgrade(path)
    assert any("我的笔记" in zh and "我的笔记" in en for zh, en in report.left)
    assert "我的笔记" in CalamineWorkbook.from_path(str(report.backup)).sheet_names


def test_cli_reports_what_moved(tmp_path, readable):
    path = _old_plan(tmp_path)
    done = CliRunner().invoke(main, ["upgrade", str(path)])
    assert done.exit_code == 0, done.output
    assert "里程碑：2 行" in done.output and "数据：120 行" in done.output
    assert zipfile.is_zipfile(path)


def test_readers_give_back_what_the_builder_wrote(tmp_path):
    path = tmp_path / "p.xlsx"
    new_plan(path, plan_inputs(milestones=MILESTONES, budget=BUDGET, risks=RISKS))
    assert milestones.read(sheet(path, "Milestones"), path.name, "zh") == list(MILESTONES)
    assert budget.read(sheet(path, "Budget"), path.name, "zh") == list(BUDGET)
    assert risks.read(sheet(path, "Risks"), path.name, "zh") == list(RISKS)
    assert replace(RISKS[1]).risk.startswith("=")  # text that looks like a formula stays text


# ------------------------------------------------------------------ a real 1.0 plan
NEW_IN_1_1 = (
    "Staffing",
    "SLA",
    "Holidays",
    "Incidents",
    "Actions",
    "Team",
    "Orders",
    "Appeals",
    "Audit",
    "Aliases",
    "QA",
)


NEW_IN_1_2 = ("Calls", "CallRecords")


def _plan_1_0(folder: Path, monkeypatch, version: str = "1.0") -> Path:
    """A plan as template 1.0 made it: without the sheets 1.1 added, version 1.0 (or, with
    version 1.1, as 1.1 made it: without the sheets 1.2 added)."""
    from csxl.workbook import sheets

    path = folder / "旧计划.xlsx"
    missing = NEW_IN_1_2 + (NEW_IN_1_1 if version == "1.0" else ())
    with monkeypatch.context() as m:
        builders = {k: v for k, v in sheets.SHEET_BUILDERS.items() if k not in missing}
        m.setattr(sheets, "SHEET_BUILDERS", builders)
        m.setattr(layout, "SHEETS", tuple(t for t in layout.SHEETS if t.key not in missing))
        new_plan(path, plan_inputs(milestones=MILESTONES, budget=BUDGET, risks=RISKS))
    book = PackageBook(path)
    from csxl.workbook.data_sheet import paste

    paste(book, clean_tickets(80))
    book.write("Goals", {(G.FIRST_ROW, G.WEIGHT): 35})
    # Before 1.2 the Incentives sheet had no pro-rating row.
    book.write("Incentives", {(I.ROW_PRORATION, c): None for c in (1, 2, 3)})
    book.write("Settings", {(St.ROW_VERSION, St.VALUE_COL): version})
    book.commit()
    return path


def test_a_1_0_plan_is_refused_by_refresh_and_upgraded_with_the_new_sheets(tmp_path, monkeypatch):
    path = _plan_1_0(tmp_path, monkeypatch)
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert not {layout.title(k, "zh") for k in NEW_IN_1_1} & set(names)
    done = CliRunner().invoke(main, ["refresh", str(path)])
    assert done.exit_code == 2 and "csxl upgrade" in done.output
    data_before = _data(path)

    report = upgrade(path)

    assert report.old_version == "1.0" and report.changed
    added = {layout.title(k, "zh") for k in NEW_IN_1_1 + NEW_IN_1_2}
    assert set(report.added) == added
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert added <= set(names)
    assert at(sheet(path, "Goals"), G.FIRST_ROW, G.WEIGHT) == 35
    assert at(sheet(path, "Incentives"), I.ROW_PRORATION, 2) == "按日历天数"  # the default
    assert milestones.read(sheet(path, "Milestones"), path.name, "zh") == list(MILESTONES)
    assert _data(path) == data_before
    # Team and Orders come with their defaults: the rule 3 / 2 / A / 是, the knowledge-base
    # targets, no members, no orders; the customer settings are the spec's.
    defaults = _team_inputs(path)
    assert defaults[:6] == [3, 2, "A", "是", 0.9, 0.2]
    assert all(v == "" for v in defaults[6:14] + defaults[14 : 14 + Tm.ATTENDED])
    assert defaults[-9:] == [12, 6, 50_000, 12, 0.7, 0.05, 0.35, 0.28, 0.9]
    assert _orders(path) == [["客户ID", "下单时间", "订单金额", "订单号", "订单状态"]]
    done = CliRunner().invoke(main, ["refresh", str(path), "--month", MONTH])
    assert done.exit_code in (0, 1), done.output  # the upgraded plan refreshes


def test_a_1_1_plan_upgrades_with_the_calls_sheets(tmp_path, monkeypatch):
    path = _plan_1_0(tmp_path, monkeypatch, "1.1")
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert "质检" in names and "通话" not in names and "通话记录" not in names

    report = upgrade(path)

    assert report.old_version == "1.1"
    assert set(report.added) == {"通话", "通话记录"}
    calls = sheet(path, "Calls")
    assert [at(calls, r, Ca.VALUE_COL) for r in (Ca.ROW_SL_SECONDS, Ca.ROW_SHORT_ABANDON)] == [
        20,
        0,
    ]
    assert _orders(path, "CallRecords") == [
        ["通话ID", "来电时间", "坐席", "工号", "技能组", "是否接通", "等待时长(秒)", "是否放弃"]
    ]
    done = CliRunner().invoke(main, ["refresh", str(path), "--month", MONTH])
    assert done.exit_code in (0, 1), done.output
    assert "没有 2026-03 的来电" in at(sheet(path, "Calls"), Ca.STATUS_ROW, 1)


def test_a_1_2_plan_is_refused_and_upgraded_to_show_durations_as_minutes(tmp_path):
    # 1.3 shows durations on the Dashboard as 分:秒 (seconds / 86400): a 1.2 plan's cells
    # keep their old number format, so its refresh would show 0.6 for 53,919 s. Refresh
    # refuses it; upgrade rebuilds it with the new formats.
    from openpyxl import load_workbook

    from csxl.workbook.layout import Dashboard as D

    path = tmp_path / "计划.xlsx"
    new_plan(path, plan_inputs())
    book = PackageBook(path)
    book.write("Settings", {(St.ROW_VERSION, St.VALUE_COL): "1.2"})
    book.commit()
    done = CliRunner().invoke(main, ["refresh", str(path)])
    assert done.exit_code == 2 and "csxl upgrade" in done.output

    report = upgrade(path)

    assert (report.old_version, report.new_version) == ("1.2", layout.TEMPLATE_VERSION)
    ws = load_workbook(path)[layout.title("Dashboard", "zh")]
    formats = {ws.cell(D.FIRST_ROW + i, D.ACTUAL).number_format for i in range(G.KPI_ROWS)}
    assert any(":ss" in f for f in formats), formats
