"""A team plan given a whole-centre export: refresh, validate, staff, export-agent-sheets
and `csxl kpi PLAN` count only the plan's team (and the rows without a team), with one
warning counting the others per team; a department plan (no team) counts every row."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner

from csxl.cli import main
from csxl.errors import InputError, language
from csxl.refresh import refresh, staff, validate
from csxl.workbook.layout import Scores as S
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import at, pasted_plan, plan_inputs, sheet

NOW = datetime(2026, 4, 1, 8)
TEAM = "售前一组"
# agent: team in the export (None: the cell is blank); tickets per agent
AGENTS = {"张三": TEAM, "李四": TEAM, "王五": "售后一组", "赵六": "投诉组", "孙七": None}
WARNING = "本计划只计 售前一组：其他团队的 {n} 张工单未计入（{parts}）"


def centre() -> pd.DataFrame:
    """Six March tickets per agent; T-王五-0 is exported twice, its last copy in 售前一组."""
    rows = []
    for agent, team in AGENTS.items():
        for k in range(6):
            created = datetime(2026, 3, 2 + k, 9 + k, 5)
            rows.append(
                {
                    "工单号": f"T-{agent}-{k}",
                    "创建时间": created,
                    "首次响应时间": created + timedelta(seconds=20 + 10 * k),
                    "解决时间": created + timedelta(minutes=5),
                    "团队": team,
                    "客服": agent,
                    "满意度": 5 - k % 2,
                }
            )
    moved = dict(rows[12], 团队=TEAM)  # 王五's first ticket, handed over to 售前一组
    return pd.DataFrame([*rows, moved])


def inputs(team: str = TEAM, **changes):
    out = plan_inputs(**{k: v for k, v in changes.items() if k not in ("lang",)})
    return replace(out, team=team, lang=changes.get("lang", out.lang))


def scores(path) -> dict[str, int]:
    rows = sheet(path, "Scores")
    out = {}
    for r in range(S.FIRST_ROW, len(rows) + 1):
        if at(rows, r, S.AGENT) not in ("", None):
            out[at(rows, r, S.AGENT)] = at(rows, r, S.TICKETS)
    return out


def test_a_team_plan_counts_its_team_and_rows_without_a_team(tmp_path):
    path = pasted_plan(tmp_path / "p.xlsx", centre(), inputs())
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    # Duplicates first: the last copy of 王五's ticket is 售前一组's, so it counts here.
    assert scores(path) == {"张三": 6, "李四": 6, "王五": 1, "孙七": 6}
    left_out = [w for w in outcome.warnings if "其他团队" in w]
    assert left_out == [WARNING.format(n=11, parts="售后一组 5、投诉组 6")]
    # The counts are the Data sheet's, as `csxl kpi` gives them for the file.
    assert outcome.rows == {"read": 31, "valid": 30, "rejected": 0, "duplicates": 1}
    assert validate(PackageBook(path)).warnings == left_out
    assert staff(PackageBook(path), now=NOW).warnings == left_out


def test_a_department_plan_counts_every_row(tmp_path):
    path = pasted_plan(tmp_path / "p.xlsx", centre(), inputs(""))
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    assert scores(path) == {"孙七": 6, "张三": 6, "李四": 6, "王五": 6, "赵六": 6}
    assert not [w for w in outcome.warnings if "其他团队" in w]


def test_the_team_is_the_one_of_the_transfer_periods(tmp_path):
    """王五 joined 售前一组 on 5 March: his tickets from that day count here, the export's
    售后一组 notwithstanding; 李四 left for 售后二组 on 6 March."""
    aliases = tuple((None, f"A{i}", name) for i, name in enumerate(AGENTS))
    transfers = (
        ("王五", TEAM, date(2026, 3, 5), None),
        ("李四", "售后二组", date(2026, 3, 6), None),
    )
    plan = inputs(aliases=aliases, transfers=transfers)
    path = pasted_plan(tmp_path / "p.xlsx", centre(), plan)
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    # 王五: 5-7 March by the period, and 2 March (outside every period: the export's team,
    # 售前一组 in the copy that counts); 李四: 2-5 March, before he left.
    assert scores(path) == {"张三": 6, "李四": 4, "王五": 4, "孙七": 6}
    left_out = [w for w in outcome.warnings if "其他团队" in w]
    assert left_out == [WARNING.format(n=10, parts="售后一组 2、售后二组 2、投诉组 6")]


def test_a_team_plan_without_a_ticket_of_its_team_is_refused(tmp_path):
    frame = centre()
    frame = frame[frame["团队"].isin(["售后一组", "投诉组"])]
    path = pasted_plan(tmp_path / "p.xlsx", frame, inputs())
    with pytest.raises(InputError, match="“数据”表中没有计划团队“售前一组”的工单"):
        refresh(PackageBook(path), "2026-03", now=NOW)
    with (
        language("en"),
        pytest.raises(InputError, match="no tickets of the plan's team '售前一组'"),
    ):
        refresh(PackageBook(path), "2026-03", now=NOW)


def test_csxl_kpi_on_a_team_plan_counts_what_refresh_counts(tmp_path):
    path = pasted_plan(tmp_path / "p.xlsx", centre(), inputs(lang="en"))
    result = CliRunner().invoke(
        main, ["kpi", str(path), "--by", "all,agent", "--json", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["rows"] == {"read": 31, "valid": 30, "rejected": 0, "duplicates": 1}
    by_agent = {g["key"]: g["kpis"]["tickets"] for g in doc["groups"] if g["by"] == "agent"}
    assert by_agent == {"张三": 6, "李四": 6, "王五": 1, "孙七": 6}
    assert doc["groups"][0]["kpis"]["tickets"] == 19
    assert (
        "This plan counts only 售前一组: 11 tickets of other teams are left out "
        "(售后一组 5, 投诉组 6)" in result.stderr
    )
    # A department plan: every row, no warning.
    dept = pasted_plan(tmp_path / "d.xlsx", centre(), replace(inputs("")))
    doc = json.loads(CliRunner().invoke(main, ["kpi", str(dept), "--json"]).stdout)
    assert doc["groups"][0]["kpis"]["tickets"] == 30
