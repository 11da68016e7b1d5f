"""The built executable (`pyinstaller build.spec`), run as a user runs it: no Python needed.

`CSXL_EXE` names the binary (`.ci/run` builds it and sets `dist/csxl/csxl`). Without it
these tests skip, except under `CI=true`, where they fail: CI must have checked the exe.
The binary makes the demo (export, roster), turns the demo roster into team workbooks with
`batch --data` (its process pool runs inside the frozen exe), skips them on a re-run and
consolidates them; the workbooks must open in openpyxl and in LibreOffice without errors.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from csxl import __version__
from csxl.demo import EXPORT, ROSTER
from csxl.roster import read_roster
from csxl.workbook.layout import Settings as St
from csxl.workbook.layout import title
from tests.libreoffice import unavailable

TIMEOUT_S = 600


def find_exe() -> Path:
    """The built binary from `CSXL_EXE`; skips without it (fails under CI=true)."""
    value = os.environ.get("CSXL_EXE")
    if not value:
        unavailable("CSXL_EXE is not set: `pyinstaller build.spec`, then CSXL_EXE=dist/csxl/csxl")
    path = Path(value).resolve()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"CSXL_EXE={value} is not an executable file", pytrace=False)
    return path


def run(exe: Path, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["COLUMNS"] = "200"  # the batch table on one line a team
    return subprocess.run(
        [str(exe), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
    )


@dataclass(frozen=True)
class Department:
    exe: Path
    folder: Path
    teams: tuple[str, ...]  # the demo roster's teams
    out: Path  # the team workbooks of `batch --data`


@pytest.fixture(scope="module")
def exe() -> Path:
    return find_exe()


@pytest.fixture(scope="module")
def department(exe: Path, tmp_path_factory: pytest.TempPathFactory) -> Department:
    """`csxl demo`, then `csxl batch DEMO_ROSTER --out teams --data DEMO_EXPORT --jobs 2`."""
    folder = tmp_path_factory.mktemp("exe")
    demo = run(exe, "demo", "--out", "demo", cwd=folder)
    assert demo.returncode == 0, demo.stderr
    roster, export = folder / "demo" / ROSTER["zh"], folder / "demo" / EXPORT
    teams = tuple(read_roster(roster).teams)
    assert len(teams) >= 5
    made = run(exe, "batch", roster, "--out", "teams", "--data", export, "--jobs", 2, cwd=folder)
    assert made.returncode == 0, made.stdout + made.stderr
    return Department(exe, folder, teams, folder / "teams")


def test_version_and_help_from_the_binary(exe: Path, tmp_path: Path) -> None:
    version = run(exe, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"csxl {__version__}"
    shown = run(exe, "--help", cwd=tmp_path)
    assert shown.returncode == 0
    for command in ("batch", "consolidate", "roster-template", "kpi", "refresh", "demo"):
        assert f"  {command} " in shown.stdout, command
    doctor = run(exe, "doctor", "--lang", "en", cwd=tmp_path)  # a frozen build knows it is one
    assert doctor.returncode == 0 and "(this is it, running)" in doctor.stdout


def test_roster_template_makes_a_roster_batch_accepts(exe: Path, tmp_path: Path) -> None:
    made = run(exe, "roster-template", "roster.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    teams = list(read_roster(tmp_path / "roster.xlsx").teams)
    done = run(exe, "batch", "roster.xlsx", "--out", "teams", "--year", 2026, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert teams and all((tmp_path / "teams" / f"{t}.xlsx").is_file() for t in teams)


def test_batch_writes_every_team_and_the_workbooks_open(department: Department) -> None:
    report = CalamineWorkbook.from_path(str(department.out / "batch-report.xlsx"))
    rows = report.get_sheet_by_name(report.sheet_names[0]).to_python()
    listed = {r[0]: (r[1], r[2]) for r in rows[1:] if r[0]}
    assert set(listed) == set(department.teams)
    assert {status for _, status in listed.values()} == {"已生成并刷新"}
    for team, (file, _) in listed.items():
        book = openpyxl.load_workbook(department.out / file)
        settings = book[title("Settings", "zh")]
        assert settings.cell(St.ROW_TEAM, 2).value == team
        assert settings.cell(St.ROW_REFRESH_MONTH, 2).value == "2026-10"  # the demo month
        assert book[title("Data", "zh")].max_row > 10, team  # the team's pasted tickets


def test_rerun_skips_up_to_date_workbooks(department: Department) -> None:
    again = run(
        department.exe,
        "batch",
        department.folder / "demo" / ROSTER["zh"],
        "--out",
        "teams",
        "--data",
        department.folder / "demo" / EXPORT,
        cwd=department.folder,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    lines = [line for line in again.stdout.splitlines() if any(t in line for t in department.teams)]
    assert len(lines) == len(department.teams)
    assert all("已是最新" in line for line in lines), again.stdout


def test_team_workbooks_open_cleanly_in_libreoffice(
    department: Department, libreoffice, tmp_path: Path
) -> None:
    path = department.out / f"{department.teams[0]}.xlsx"
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert title("Goals", "zh") in recalc.sheets and title("Scores", "zh") in recalc.sheets
    pdf = libreoffice.convert_to_pdf(path, tmp_path, sheets=[title("Dashboard", "zh")])
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_consolidate_lists_every_team(department: Department) -> None:
    done = run(
        department.exe, "consolidate", "teams", "--out", "summary.xlsx", cwd=department.folder
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = CalamineWorkbook.from_path(str(department.folder / "summary.xlsx"))
    overview = summary.get_sheet_by_name("概览").to_python()
    at = next(i for i, r in enumerate(overview) if "团队" in r)  # under the cover's title
    head = overview[at]
    team, month = head.index("团队"), head.index("刷新月份")
    rows = [r for r in overview[at + 1 :] if r[team] and r[month]]
    assert sorted(r[team] for r in rows) == sorted(department.teams)
    assert {r[month] for r in rows} == {"2026-10"}
    assert "问题" not in summary.sheet_names  # no problem listed
