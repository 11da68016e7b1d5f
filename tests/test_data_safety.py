"""A plan workbook holds months of a manager's work: no crash, race or retry may damage it.

- A crash at any point of a save (before, while and after the new file is written) leaves
  the original byte-identical, no temp file beside it, and no lock that blocks the next run.
- Two csxl processes on one workbook: the second waits for the first, or refuses clearly
  when the first takes too long; a lock left by a dead process is taken over.
- Backups rotate: the newest five per workbook are kept.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from csxl.cli import main
from csxl.errors import language
from csxl.refresh import refresh
from csxl.workbook import lock, port, safety, zipsplice
from csxl.workbook.lock import WorkbookBusyError, WorkbookLock, lock_path
from csxl.workbook.port import BACKUPS_KEPT, PackageBook

ROOT = Path(__file__).resolve().parent.parent


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# ------------------------------------------------------------------ crashes during a save
def _raise(*args, **kwargs):
    raise OSError("injected crash")


def _half_package(src, dst, *args, **kwargs):
    dst.write(b"PK\x03\x04 half a package")
    raise OSError("injected crash")


def _kill_after_writing(src, dst, parts, **options):
    real_splice(src, dst, parts, **options)  # the whole new package is in the temp file
    raise KeyboardInterrupt  # the user presses Ctrl+C (a BaseException) before the replace


real_splice = zipsplice.splice
CRASHES = {
    "backup copy fails": (safety.shutil, "copy2", _raise),
    "temp file cannot be made": (port.tempfile, "mkstemp", _raise),
    "crash half-way through the new package": (zipsplice, "splice", _half_package),
    "interrupt after the new package is written": (zipsplice, "splice", _kill_after_writing),
    "fsync fails (disk full)": (port.os, "fsync", _raise),
    "replace fails (file locked by antivirus)": (port.os, "replace", _raise),
}


@pytest.mark.parametrize("crash", sorted(CRASHES))
def test_a_crash_during_a_save_leaves_the_original_intact(workbook, monkeypatch, crash):
    before = workbook.read_bytes()
    target, name, fake = CRASHES[crash]
    with monkeypatch.context() as m:
        m.setattr(target, name, fake)
        with pytest.raises((OSError, KeyboardInterrupt, safety.BackupError)):
            refresh(PackageBook(workbook))
    assert workbook.read_bytes() == before
    left = [n for n in beside(workbook) if n not in ("plan.xlsx", "csxl-backups")]
    assert left == [], "temp file or lock left behind"
    # The next run is not blocked by anything the crash left, and succeeds.
    assert run("refresh", workbook).exit_code == 0
    assert beside(workbook) == ["csxl-backups", "plan.xlsx"]


def test_a_crash_in_the_command_line_is_one_line_and_leaves_the_original(workbook, monkeypatch):
    before = workbook.read_bytes()
    monkeypatch.setattr(port.os, "replace", _raise)
    result = run("refresh", workbook)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "injected crash" in result.stderr
    assert "内部错误" not in result.stderr and "未做任何更改" in result.stderr  # a Chinese plan
    assert workbook.read_bytes() == before
    assert beside(workbook) == ["csxl-backups", "plan.xlsx"]


def test_a_new_plan_interrupted_while_saving_leaves_nothing(tmp_path, monkeypatch):
    from csxl.workbook import package

    monkeypatch.setattr(package.os, "replace", _raise)
    result = run("new", tmp_path / "new.xlsx")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ two at once
HOLDER = textwrap.dedent(
    """
    import sys, time
    from csxl.workbook.port import PackageBook
    book = PackageBook(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    book.release()
    """
)


def hold(path: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens the workbook (takes its lock) and works for a while."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_csxl_refuses_clearly_while_the_first_works(workbook, monkeypatch):
    monkeypatch.setattr(lock, "WAIT_S", 0.5)
    holder = hold(workbook, 30)
    try:
        before = workbook.read_bytes()
        for command in ("refresh", "validate", "score"):
            result = run(command, workbook)
            assert result.exit_code == 2, result.output
            line = result.stderr.strip()
            assert "\n" not in line and "另一个 csxl" in line and str(holder.pid) in line
            assert "未写入任何内容" in line  # the plan is Chinese: so is the run
        assert workbook.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_a_second_csxl_waits_for_the_first(workbook, monkeypatch):
    monkeypatch.setattr(lock, "WAIT_S", 30)
    holder = hold(workbook, 1.0)
    try:
        start = time.monotonic()
        result = run("refresh", workbook)
        assert result.exit_code == 0, result.output
        assert time.monotonic() - start > 0.3  # it did wait
    finally:
        holder.wait()
    assert not lock_path(workbook).exists()


def test_a_lock_left_by_a_killed_process_is_taken_over(workbook, monkeypatch):
    monkeypatch.setattr(lock, "WAIT_S", 0.5)
    holder = hold(workbook, 60)
    holder.kill()  # SIGKILL: no finally, no atexit; the lock file stays
    holder.wait()
    assert lock_path(workbook).exists()
    result = run("refresh", workbook)
    assert result.exit_code == 0, result.output
    assert not lock_path(workbook).exists()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


OTHER_PC = json.dumps({"pid": 1, "host": "another-pc", "started": 0}).encode()
LOCKS = {
    "another computer's, a minute old: wait": (OTHER_PC, 60, False),
    "another computer's, two hours old: stale": (OTHER_PC, 2 * 3600, True),
    "unreadable, a minute old: stale": (b"{not json", 60, True),
    "empty, a second old (being written): wait": (b"", 1, False),
    "a dead process of this computer: stale": (None, 1, True),
}


@pytest.mark.parametrize("case", sorted(LOCKS))
def test_stale_lock_rules(tmp_path, case):
    content, age_s, stale = LOCKS[case]
    if content is None:
        content = json.dumps({"pid": _dead_pid(), "host": socket.gethostname()}).encode()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"x")
    held = lock_path(path)
    held.write_bytes(content)
    os.utime(held, (time.time() - age_s, time.time() - age_s))
    if stale:
        WorkbookLock(path, wait_s=0).release()
        assert not held.exists()
    else:
        with pytest.raises(WorkbookBusyError, match="另一个 csxl"):
            WorkbookLock(path, wait_s=0.3)
        with language("en"), pytest.raises(WorkbookBusyError, match="another csxl"):
            WorkbookLock(path, wait_s=0.3)
        assert held.read_bytes() == content


def test_the_lock_names_its_owner_and_goes_with_it(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"x")
    held = WorkbookLock(path)
    owner = json.loads(lock_path(path).read_bytes())
    assert owner["pid"] == os.getpid() and owner["host"] == socket.gethostname()
    held.release()
    assert not lock_path(path).exists()


def test_two_refreshes_started_together_both_finish_one_after_the_other(workbook):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSXL_LOCK_WAIT": "120"}
    cmd = [sys.executable, "-m", "csxl", "refresh", str(workbook)]
    procs = [subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert len(list((workbook.parent / "csxl-backups").iterdir())) == 2
    assert beside(workbook) == ["csxl-backups", "plan.xlsx"]
    assert PackageBook(workbook, lock=False).rows("Settings")  # a whole workbook


# ------------------------------------------------------------------ backups
def test_backups_rotate_through_the_command_line(workbook):
    for _ in range(BACKUPS_KEPT + 2):
        assert run("validate", workbook).exit_code == 0
    kept = list((workbook.parent / "csxl-backups").iterdir())
    assert len(kept) == BACKUPS_KEPT


def test_a_read_only_book_cannot_commit(workbook):
    from csxl.errors import InputError

    book = PackageBook(workbook, lock=False)
    book.write("Errors", {(5, 1): "x"})
    before = workbook.read_bytes()
    with pytest.raises(InputError, match="只读方式打开"):
        book.commit()
    assert workbook.read_bytes() == before
    shutil.rmtree(workbook.parent / "csxl-backups", ignore_errors=True)


# ------------------------------------------------------------------ nothing to execute
def _executable_content(path: Path) -> list[str]:
    import re
    import zipfile

    found = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            lower = name.lower()
            if any(k in lower for k in ("vbaproject", "externallink", "connections.xml")):
                found.append(name)
            if lower.endswith(".bin") or "activex" in lower or "embeddings" in lower:
                found.append(name)
        types = zf.read("[Content_Types].xml").decode()
        if "macroEnabled" in types or "vbaProject" in types:
            found.append("[Content_Types].xml: macro-enabled")
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                for f in re.findall(r"<f[^>]*>(.*?)</f>", xml):
                    if "|" in f or re.search(r"HYPERLINK|WEBSERVICE|CALL\(|REGISTER", f):
                        found.append(f"{name}: {f[:60]}")
    return found


@pytest.mark.parametrize("name", ["plan_zh.xlsx", "plan_en.xlsx", "roster_zh.xlsx"])
def test_committed_workbooks_hold_no_macros_links_or_dde(name):
    assert _executable_content(ROOT / "workbooks" / name) == []


def test_a_refreshed_plan_holds_no_macros_links_or_dde(workbook):
    assert run("refresh", workbook).exit_code == 0
    assert _executable_content(workbook) == []
