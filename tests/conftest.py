"""Shared fixtures. ``libreoffice``: one headless soffice for the whole session (oracle)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.libreoffice import LibreOffice

# No per-example deadline: CI machines and this 2-core box are shared and noisy, and speed is
# measured in bench/, never asserted in tests.
settings.register_profile("csxl", deadline=None)
settings.load_profile("csxl")


# Whole commands over every dialect, route and button: minutes of plan building, so they run
# with the LibreOffice tests in `.ci/run`; the rules they rest on are tested on plain data.
END_TO_END = frozenset({"test_plan_parity.py", "test_dialects.py", "test_addin_buttons.py"})


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by the markers added here
def pytest_collection_modifyitems(config, items) -> None:
    """Mark the tests that need LibreOffice or the built binary.

    `python -m pytest` (the README's command) leaves them out so that it stays fast (the
    `-m` in pyproject's addopts); `.ci/run` runs them too with
    `-m "libreoffice or exe or e2e"`.
    """
    for item in items:
        if "libreoffice" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.libreoffice)
        if item.path.name == "test_exe.py":
            item.add_marker(pytest.mark.exe)
        if item.path.name in END_TO_END:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[LibreOffice]:
    """The LibreOffice oracle; skips without soffice/uno, fails instead under CI=true."""
    with LibreOffice.start() as office:
        yield office


@pytest.fixture(scope="session")
def department(tmp_path_factory):
    """A batch run with --data over a three-team roster: (roster, export, team folder).

    Read-only for tests: copy the folder before changing anything in it.
    """
    from csxl.batch import run_batch
    from tests.batch_fixtures import MONTH, make_department

    folder = tmp_path_factory.mktemp("department")
    roster, export = make_department(folder)
    result = run_batch(roster, folder / "teams", data=export, jobs=2, year=int(MONTH[:4]))
    assert result.exit_code == 0, result.teams
    return roster, export, folder / "teams"


@pytest.fixture(scope="session")
def small_plan_bytes(tmp_path_factory) -> bytes:
    """The bad-input corpus's small refreshed-ready plan, built once."""
    from tests.data.bad.make_corpus import plan

    return plan(tmp_path_factory.mktemp("plan") / "plan.xlsx").read_bytes()


@pytest.fixture
def workbook(tmp_path, small_plan_bytes) -> Path:
    """A fresh copy of that plan for a test that changes it."""
    path = tmp_path / "plan.xlsx"
    path.write_bytes(small_plan_bytes)
    return path


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """`csxl demo` run once (Chinese): the folder with the plan, teams/ and the summary.

    Read-only for tests: copy what you change.
    """
    from csxl.demo import run_demo

    folder = tmp_path_factory.mktemp("demo")
    run_demo(folder, "zh")
    return folder
