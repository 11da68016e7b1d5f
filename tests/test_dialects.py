"""Every export dialect csxl reads (tests/dialects.py) through every command that reads a
plan's tickets: no internal error, exit code 0 or 1 (2 only where the command refuses with
its reason), and a sheet whose input column is missing says so (无法计算：导出没有 X 列) on
the sheet and once in the result's warnings, never 0.

The exports are pasted at Data!A1 with their own header, the template's headings cleared
(what a manager's paste over the sheet gives): a column the export lacks is absent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from csxl.cli import main
from csxl.workbook import layout
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import new_plan
from csxl.workbook.layout import Customers as Cu
from csxl.workbook.layout import Dashboard as Db
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Sla as L
from csxl.workbook.port import PackageBook
from tests import dialects
from tests.plan_fixtures import at, sheet

COMMANDS = (
    "refresh",
    "validate",
    "score",
    "staff",
    "export-agent-sheets",
    "upgrade",
    "import",
    "batch",
)
DEPT_NOTE = "无法计算：导出没有 协作类型、转交时间、部门完成时间 列"
NO_FRT = "无法计算：导出没有 首次响应时间 列"
NO_RESOLVED = "无法计算：导出没有 解决时间 列"
NO_CSAT = "无法计算：导出没有 满意度 列"
NO_TAGS = "无法计算：导出没有 问题标签 列"
# What each dialect lacks, and so must say on the sheets (the notes of a refreshed plan).
LACKS = {
    "zh_titled": set(),
    "zh_qiyu": {DEPT_NOTE},
    "zendesk": {DEPT_NOTE},
    "freshdesk": {DEPT_NOTE},
    "minimal": {DEPT_NOTE, NO_FRT, NO_RESOLVED, NO_CSAT, NO_TAGS},
}


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "internal error" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@lru_cache
def _plan_bytes(name: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.xlsx"
        new_plan(path, PlanInputs(lang="zh", team=dialects.TEAM, year=2026))
        book = PackageBook(path)
        dialects.paste_at_a1(book, dialects.DIALECTS[name]())
        book.commit()
        return path.read_bytes()


def plan(name: str, folder: Path) -> Path:
    path = folder / "p.xlsx"
    path.write_bytes(_plan_bytes(name))
    return path


@lru_cache
def _roster_bytes() -> bytes:
    from csxl.demo_data import agent_roster
    from csxl.roster import demo_roster_rows, template_bytes

    agents = agent_roster(dialects.TEAMS, 3, month=dialects.MONTH)
    return template_bytes("zh", demo_roster_rows(agents))


def export_file(name: str, folder: Path) -> Path:
    suffix = ".csv" if name == "zendesk" else ".xlsx"
    return dialects.write_export(dialects.DIALECTS[name](), folder / f"export{suffix}")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(dialects.DIALECTS))
def test_every_command_runs_on_every_dialect(tmp_path, name, command):
    path = plan(name, tmp_path)
    if command in ("score", "export-agent-sheets", "upgrade"):
        assert run("refresh", path).exit_code in (0, 1)
    if command == "upgrade":  # an older plan: rebuilt from its inputs and refreshed again
        book = PackageBook(path)
        book.write("Settings", {(layout.Settings.ROW_VERSION, 2): "1.1"})
        book.commit()
    if command == "import":
        fresh = tmp_path / "fresh.xlsx"
        new_plan(fresh, PlanInputs(lang="zh", team=dialects.TEAM, year=2026))
        done = run("import", fresh, export_file(name, tmp_path), "--source", "导出")
        assert done.exit_code in (0, 1), done.output
        result = run("refresh", fresh)
    elif command == "batch":
        roster = tmp_path / "roster.xlsx"
        roster.write_bytes(_roster_bytes())
        export = export_file(name, tmp_path)
        result = run("batch", roster, "--out", tmp_path / "teams", "--data", export)
        if name == "minimal":  # no team and no agent column: refused with the reason, in
            # the roster's language
            assert result.exit_code == 2 and "导出既没有团队列也没有客服列" in result.output
            return
        assert (tmp_path / "teams" / f"{dialects.TEAM}.xlsx").exists()
    elif command == "export-agent-sheets":
        result = run(command, path, "--out", tmp_path / "sheets")
    else:
        result = run(command, path)
    assert result.exit_code in (0, 1), result.output
    if command == "upgrade":
        assert layout.TEMPLATE_VERSION in result.output and "重新刷新" in result.output


def notes_of(path: Path) -> set[str]:
    """The unavailable notes a refreshed plan shows on its sheets."""
    found: set[str] = set()
    sla = sheet(path, "SLA")
    for text in str(at(sla, L.STATUS_ROW, L.T_MONTH)).split("；"):
        found.add(text.split("：", 1)[1] if text.startswith("部门考核：") else text)
    found.add(str(at(sla, L.RESULT_FIRST_ROW, L.D_MONTH)))
    goals = sheet(path, "Goals")
    found |= {str(at(goals, r, G.NOTE)) for r in range(G.FIRST_ROW, G.last_row() + 1)}
    dash = sheet(path, "Dashboard")
    found.add(str(at(dash, Db.TAGS_FIRST_ROW, 1)))
    found |= {str(at(dash, r, Cu.NOTE)) for r in range(Cu.TITLE_ROW, Cu.last_row() + 1)}
    return {f for f in found if f.startswith("无法计算")}


@pytest.mark.parametrize("name", sorted(dialects.DIALECTS))
def test_a_sheet_whose_input_is_missing_says_so(tmp_path, name):
    from csxl.refresh import refresh

    path = plan(name, tmp_path)
    outcome = refresh(PackageBook(path))
    shown = notes_of(path)
    assert LACKS[name] <= shown
    if DEPT_NOTE not in LACKS[name]:
        assert DEPT_NOTE not in shown
        assert at(sheet(path, "SLA"), L.RESULT_FIRST_ROW, L.D_COLLAB) != ""  # computed
    # Said once in the warnings, naming the sheet.
    for note in LACKS[name]:
        said = [w for w in outcome.warnings if w.endswith(note)]
        assert said, (note, outcome.warnings)
        assert len(said) == len(set(said))
    assert any("服务时限（部门考核）" in w for w in outcome.warnings) == (DEPT_NOTE in LACKS[name])
    # The team filter: only 售前一组's tickets (the rows have a team except the minimal).
    left_out = [w for w in outcome.warnings if w.startswith("本计划只计 售前一组")]
    assert len(left_out) == (0 if name == "minimal" else 1)


def test_without_first_responses_the_sla_counts_are_blank_not_zero(tmp_path):
    path = plan("minimal", tmp_path)
    from csxl.refresh import refresh

    refresh(PackageBook(path))
    rows = sheet(path, "SLA")
    r = L.RESULT_FIRST_ROW
    assert at(rows, r, L.T_TICKETS) > 0
    for c in (L.T_FRT_MET, L.T_FRT_PCT, L.T_RES_MET, L.T_RES_PCT):
        assert at(rows, r, c) == ""
    goals = sheet(path, "Goals")
    csat = G.FIRST_ROW  # csat is the first Goals row
    assert at(goals, csat, G.ACTUAL) == "" and at(goals, csat, G.NOTE) == NO_CSAT
