"""`csxl consolidate`: the department summary a head of department forwards as it is."""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from csxl.batch import run_batch
from csxl.consolidate import consolidate
from csxl.domain import plan
from csxl.domain.plan import BudgetLine, Risk
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import new_plan
from tests.batch_fixtures import MONTH, make_department

YEAR = int(MONTH[:4])
MINE_RISK = "大促期间临时客服流失"
MINE_MILESTONE = "质检体系上线"


def _strings_and_numbers(path: Path) -> tuple[set[str], list[float]]:
    wb = load_workbook(path)
    texts: set[str] = set()
    numbers: list[float] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.add(cell.value)
                elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    numbers.append(float(cell.value))
    return texts, numbers


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Three batch plans as `csxl batch` writes them (the template's examples untouched), a
    plan as `csxl new` writes it, and one whose manager filled budget, risks and milestones."""
    root = tmp_path_factory.mktemp("department")
    roster, _ = make_department(root)
    result = run_batch(roster, root / "teams", year=YEAR)
    assert result.exit_code == 0, result.teams
    teams = root / "teams"
    new_plan(teams / "新计划.xlsx", PlanInputs(lang="zh", team="新团队", year=YEAR))
    example = plan.default_milestones(YEAR, "zh")
    mine = PlanInputs(
        lang="zh",
        team="自填组",
        year=YEAR,
        as_of=date(YEAR, 10, 31),
        budget=[BudgetLine("人力成本", (100_000,) * 12, (101_000,) * 10 + (None,) * 2)],
        risks=[
            Risk(MINE_RISK, MINE_RISK, "人员", 4, 5, "离职", "储备", "调配", "经理", "监控中"),
            plan.DEFAULT_RISKS["zh"][0],  # one example risk left beside the team's own
        ],
        milestones=[
            replace(example[0], milestone=MINE_MILESTONE, pct_complete=0.5),
            example[1],  # an example milestone, overdue by its dates but never the team's
        ],
    )
    new_plan(teams / "自填组.xlsx", mine)
    return teams


@pytest.fixture(scope="module")
def summary(folder: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("summary") / "部门汇总.xlsx"
    result = consolidate(folder, out, "zh")
    assert result.problems == []
    return out


def test_template_placeholders_never_reach_the_summary(summary: Path) -> None:
    texts, numbers = _strings_and_numbers(summary)
    budget = plan.default_budget("zh")
    example_money = {float(sum(line.plan)) for line in budget} | {
        float(sum(sum(line.plan) for line in budget))  # 1,459,000
    }
    assert not example_money & set(numbers)
    for risk in plan.DEFAULT_RISKS["zh"]:
        assert risk.risk not in texts
    for milestone in plan.DEFAULT_MILESTONES["zh"]:
        assert milestone.milestone not in texts
    assert "未填写" in texts


def test_the_teams_own_parts_are_summed_with_their_team(summary: Path) -> None:
    wb = load_workbook(summary)
    overview = wb["概览"]
    rows = {r[1]: r for r in overview.iter_rows(min_row=3, values_only=True) if r[1]}
    assert rows["自填组"][7] == 1_200_000  # year budget: only the team's own line
    assert rows["自填组"][10] == 1  # open risks: its own, not the example
    assert rows["新团队"][7] == "未填写" and rows["新团队"][10] == "未填写"
    risks = [r for r in wb["风险与里程碑"].iter_rows(values_only=True) if MINE_RISK in r]
    assert len(risks) == 1 and risks[0][0] == "自填组"
    budget = [r for r in wb["预算"].iter_rows(values_only=True) if r[0] == "部门合计"]
    assert budget[0][2] == 1_200_000


def test_every_number_has_a_format_and_every_sheet_a_print_setup(summary: Path) -> None:
    wb = load_workbook(summary)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation in ("landscape", "portrait"), ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (ws.title, cell.coordinate)
    assert "问题" not in wb.sheetnames  # no problem: no empty page


def test_the_demo_summary_has_its_charts_and_formats(demo: Path) -> None:
    from csxl.demo import SUMMARY

    path = demo / SUMMARY["zh"]
    with zipfile.ZipFile(path) as z:  # openpyxl does not read charts back
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1 + 8  # the ranking bars, and each KPI against its target
    wb = load_workbook(path)
    kpis = wb["指标"]
    frt = [r for r in kpis.iter_rows(min_row=4) if r[1].value == "平均首响时长"]
    assert len(frt) == 6 and all("秒" in r[8].number_format for r in frt)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (ws.title, cell.coordinate)


def test_a_lower_is_better_kpi_that_got_worse_is_signed_worse() -> None:
    from csxl.summary_book import tier_of, versus_stretch

    frt = {"key": "frt_mean", "direction": "越低越好", "actual": 69.36}
    frt |= {"baseline": 120, "stretch": 60, "challenge": 30}
    assert versus_stretch(frt) == pytest.approx(-0.156)
    assert tier_of(frt) == 1
    csat = {"key": "csat", "direction": "越高越好", "actual": 0.93}
    csat |= {"baseline": 0.85, "stretch": 0.9, "challenge": 0.95}
    assert versus_stretch(csat) == pytest.approx(1 / 30)
    assert tier_of(csat) == 2


def test_the_demo_summary_prints_on_at_most_8_pages(libreoffice, demo, tmp_path) -> None:
    from csxl.demo import SUMMARY

    pdf = libreoffice.convert_to_pdf(demo / SUMMARY["zh"], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert 4 <= pages <= 8


def test_a_workbook_that_cannot_be_read_is_listed_on_the_cover_and_problems(
    folder: Path, tmp_path: Path
) -> None:
    import shutil

    teams = tmp_path / "teams"
    shutil.copytree(folder, teams)
    (teams / "坏.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "汇总.xlsx"
    result = consolidate(teams, out, "zh")
    assert [file for file, _ in result.problems] == ["坏.xlsx"]
    wb = load_workbook(out)
    assert [r[0] for r in wb["问题"].iter_rows(min_row=3, values_only=True)] == ["坏.xlsx"]
    texts = {c.value for row in wb["概览"].iter_rows() for c in row}
    assert "1 个工作簿未能汇总，见“问题”表。" in texts
