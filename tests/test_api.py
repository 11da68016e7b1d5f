"""The public API (csxl/api.py): `csxl.open_plan(path)` does what the commands do."""

from __future__ import annotations

import subprocess
import sys

import csxl
from csxl.refresh import refresh
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import MONTH, NOW, copy_of, grid, pasted_bytes

SHEETS = ("Goals", "Dashboard", "Scores", "Trend", "Errors")


def test_open_plan_refreshes_as_the_engine_does(tmp_path) -> None:
    data = pasted_bytes()
    by_api = copy_of(data, tmp_path / "api")
    by_engine = copy_of(data, tmp_path / "engine")
    outcome = csxl.open_plan(by_api).refresh(MONTH, now=NOW)
    expected = refresh(PackageBook(by_engine), MONTH, now=NOW)
    assert outcome == expected and outcome.month == MONTH and outcome.agents > 0
    assert grid(by_api, SHEETS) == grid(by_engine, SHEETS)


def test_one_plan_object_refreshes_then_scores(tmp_path) -> None:
    # Each call opens the file afresh (the lock is taken and released per call).
    plan = csxl.open_plan(copy_of(pasted_bytes(), tmp_path))
    refreshed = plan.refresh(MONTH, now=NOW)
    scored = plan.score(now=NOW)
    assert scored.scores == refreshed.scores and plan.validate().rows == refreshed.rows


def test_import_csxl_stays_light() -> None:
    # `import csxl` must not pull in pandas or openpyxl (start-up of every command).
    code = "import sys, csxl; print(sorted(m for m in ('pandas', 'openpyxl') if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
