"""A manager's edit never silently changes a score (issue 21): the save side.

- Every command that rewrites a plan sets full calculation on load, so a manager's own
  formula on a csxl cell is current when the file is next opened, even after LibreOffice
  (which drops the flag) saved it.
- A backup counts only once it verifies; a failed or short copy is removed and the command
  refuses; rotation never keeps a bad copy in place of a good one.
- Temporary files of a killed save are removed on the next run.
- A read-only plan, or one open in LibreOffice or WPS, is refused, in the plan's language.
"""

from __future__ import annotations

import csv
import errno
import os
import re
import shutil
import socket
import stat
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from csxl.cli import main
from csxl.errors import WorkbookOpenError
from csxl.workbook import safety
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import new_plan
from csxl.workbook.port import BACKUPS_KEPT, PackageBook
from csxl.workbook.safety import full_calc_on_load
from tests.data.bad.make_corpus import GOOD, HEADER, edit_part
from tests.plan_fixtures import MONTH, OTHER_MONTH, copy_of, refreshed_bytes

# What LibreOffice 7.4 writes: no fullCalcOnLoad (checked below on a file it really saved).
LO_CALC_PR = b'<calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/>'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def calc_pr(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        found = re.findall(rb"<calcPr\b[^>]*>", zf.read("xl/workbook.xml"))
    assert len(found) == 1, found
    return found[0]


def as_libreoffice_saves_it(path: Path) -> Path:
    return edit_part(
        path, "xl/workbook.xml", lambda xml: re.sub(rb"<calcPr\b[^>]*/>", LO_CALC_PR, xml)
    )


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def backups(path: Path) -> list[Path]:
    folder = path.parent / "csxl-backups"
    return sorted(folder.iterdir()) if folder.exists() else []


# ================================================================== full calculation on load
WORKBOOK_XML = (
    b'<?xml version="1.0"?><workbook xmlns="x"><sheets><sheet name="a"/></sheets>'
    b"%s<extLst/></workbook>"
)


CALC_PRS = {
    "LibreOffice's: the flag added, the rest kept": (
        LO_CALC_PR,
        LO_CALC_PR[:-2] + b' fullCalcOnLoad="1"/>',
    ),
    "switched off: switched on": (
        b'<calcPr calcId="191029" fullCalcOnLoad="0"/>',
        b'<calcPr calcId="191029" fullCalcOnLoad="1"/>',
    ),
    "manual, quoted with apostrophes": (
        b"<calcPr calcMode='manual' fullCalcOnLoad='false'></calcPr>",
        b"<calcPr calcMode='manual' fullCalcOnLoad=\"1\"></calcPr>",
    ),
    "none: inserted where the schema puts it": (b"", b'<calcPr fullCalcOnLoad="1"/>'),
}


@pytest.mark.parametrize("case", sorted(CALC_PRS))
def test_full_calc_on_load_keeps_the_other_calc_settings(case):
    calc, expected = CALC_PRS[case]
    assert full_calc_on_load(WORKBOOK_XML % calc) == WORKBOOK_XML % expected


def test_full_calc_on_load_on_a_prefixed_workbook_and_when_already_set():
    xml = b'<x:workbook xmlns:x="s"><x:sheets/><x:definedNames/></x:workbook>'
    done = full_calc_on_load(xml)
    assert done == xml.replace(b"</x:workbook>", b'<x:calcPr fullCalcOnLoad="1"/></x:workbook>')
    assert full_calc_on_load(done) == done


@pytest.mark.parametrize("command", ["refresh", "validate", "score", "staff", "import"])
def test_every_command_that_rewrites_a_plan_sets_full_calc_on_load(workbook, tmp_path, command):
    as_libreoffice_saves_it(workbook)
    assert b"fullCalcOnLoad" not in calc_pr(workbook)
    if command == "score":
        assert run("refresh", workbook).exit_code in (0, 1)
        as_libreoffice_saves_it(workbook)
    extra: list[object] = []
    if command == "import":
        export = tmp_path / "export.csv"
        with export.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([HEADER, *GOOD])
        extra = [export, "--source", "电话"]
    result = run(command, workbook, *extra)
    assert result.exit_code in (0, 1), result.output
    assert calc_pr(workbook) == LO_CALC_PR[:-2] + b' fullCalcOnLoad="1"/>'


def test_a_plan_that_has_the_flag_keeps_its_workbook_part_byte_for_byte(workbook):
    with zipfile.ZipFile(workbook) as zf:
        before = zf.read("xl/workbook.xml")
    assert b'fullCalcOnLoad="1"' in before
    assert run("validate", workbook).exit_code == 0
    with zipfile.ZipFile(workbook) as zf:
        assert zf.read("xl/workbook.xml") == before


def _save_with_a_manager_sheet(office, source: Path, target: Path) -> None:
    """What a manager does in LibreOffice: add a sheet whose formula reads a csxl cell."""
    from com.sun.star.beans import PropertyValue

    from tests.libreoffice import import_uno

    uno = import_uno()
    with office._document(source, read_only=False) as document:  # the oracle's loader
        sheets = document.Sheets
        sheets.insertNewByName("我的汇总", sheets.Count)
        sheets.getByName("我的汇总").getCellRangeByName("A1").Formula = "=$目标.I5"
        option = PropertyValue()
        option.Name, option.Value = "FilterName", "Calc MS Excel 2007 XML"
        document.storeToURL(uno.systemPathToFileUrl(str(target)), (option,))


def test_a_managers_formula_on_a_csxl_cell_is_current_after_refresh(libreoffice, tmp_path):
    source = copy_of(refreshed_bytes(), tmp_path / "src")
    path = tmp_path / "plan.xlsx"
    _save_with_a_manager_sheet(libreoffice, source, path)
    assert b"fullCalcOnLoad" not in calc_pr(path)  # LibreOffice dropped the flag

    def cached(sheet: str, row: int, col: int) -> object:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
        return rows[row][col]

    old = cached("目标", 4, 8)
    assert cached("我的汇总", 0, 0) == pytest.approx(old)
    result = run("refresh", path, "--month", OTHER_MONTH)
    assert result.exit_code in (0, 1), result.output
    new = cached("目标", 4, 8)
    assert new != pytest.approx(old), (MONTH, OTHER_MONTH)  # the refresh changed the cell
    # csxl never writes the manager's sheet: its stored value is the old one until a
    # spreadsheet application recalculates, which the flag tells Excel and WPS to do on load.
    assert cached("我的汇总", 0, 0) == pytest.approx(old)
    assert b'fullCalcOnLoad="1"' in calc_pr(path)
    recalculated = libreoffice.recalc(path)
    assert recalculated.value("目标", "I5") == pytest.approx(new)
    assert recalculated.value("我的汇总", "A1") == pytest.approx(new)


# ================================================================== backups
def _full_disk(src, dst, *args, **kwargs):
    Path(dst).write_bytes(Path(src).read_bytes()[:1000])  # what fitted
    raise OSError(errno.ENOSPC, "No space left on device")


def _short_copy(src, dst, *args, **kwargs):
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: len(data) // 2])  # no error reported, half a file


def _killed_copy(src, dst, *args, **kwargs):
    Path(dst).write_bytes(Path(src).read_bytes()[:1000])
    raise KeyboardInterrupt


@pytest.mark.parametrize("fault", ["full disk", "short copy"])
def test_a_backup_that_fails_or_does_not_verify_is_removed_and_refused(
    workbook, monkeypatch, fault
):
    for _ in range(2):
        assert run("validate", workbook).exit_code == 0
    good = {p.name: p.read_bytes() for p in backups(workbook)}
    assert len(good) == 2
    before = workbook.read_bytes()
    monkeypatch.setattr(safety.shutil, "copy2", _full_disk if fault == "full disk" else _short_copy)
    for _ in range(3):  # a manager retrying
        result = run("refresh", workbook)
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert "\n" not in line and line.startswith(
            "csxl: plan.xlsx：无法在 csxl-backups 中保存备份"
        )
        assert "工作簿没有被改动" in line
        assert ("磁盘空间" in line) and (("No space left" in line) == (fault == "full disk"))
    assert workbook.read_bytes() == before
    assert {p.name: p.read_bytes() for p in backups(workbook)} == good
    assert beside(workbook) == ["csxl-backups", "plan.xlsx"]


def test_a_backup_copy_interrupted_leaves_no_half_copy(workbook, monkeypatch):
    before = workbook.read_bytes()
    monkeypatch.setattr(safety.shutil, "copy2", _killed_copy)
    book = PackageBook(workbook)
    with pytest.raises(KeyboardInterrupt):
        book.write("Errors", {(5, 1): "x"})
        book.commit()
    assert workbook.read_bytes() == before
    assert backups(workbook) == []
    assert beside(workbook) == ["csxl-backups", "plan.xlsx"]  # no lock, no temp file


def test_rotation_removes_bad_backups_first_and_keeps_the_newest_good_ones(workbook):
    folder = workbook.parent / "csxl-backups"
    folder.mkdir()
    hour_ago = time.time() - 3600
    for i in range(BACKUPS_KEPT):  # five good ones, older than the workbook
        good = folder / f"plan.20260101-00000{i}.xlsx"
        shutil.copy(workbook, good)
        os.utime(good, (hour_ago + i, hour_ago + i))
    bad = {
        "plan.20260301-000000.xlsx": b"",  # a zero-byte copy of a full disk
        "plan.20260301-000001.xlsx": workbook.read_bytes()[:5000],  # a killed copy
        "plan.20260301-000002.xlsx": b"PK\x03\x04" + b"\0" * 100,
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (hour_ago + 100, hour_ago + 100))  # newer than the good ones
    other = folder / "other.20260101-000000.xlsx"  # another workbook's: not touched
    other.write_bytes(b"")
    os.utime(other, (hour_ago, hour_ago))
    assert run("validate", workbook).exit_code == 0
    kept = sorted(p.name for p in backups(workbook))
    assert not set(bad) & set(kept)
    assert "other.20260101-000000.xlsx" in kept
    own = [n for n in kept if n.startswith("plan.")]
    assert len(own) == BACKUPS_KEPT
    assert "plan.20260101-000000.xlsx" not in own  # the oldest good one made room
    for name in own:  # every one a whole workbook
        with zipfile.ZipFile(folder / name) as zf:
            assert zf.testzip() is None


def test_a_bad_backup_being_written_just_now_is_left_alone_but_never_counts(workbook):
    folder = workbook.parent / "csxl-backups"
    folder.mkdir()
    young = folder / "plan.20260301-000000.xlsx"
    young.write_bytes(b"PK")  # another csxl may be copying it right now
    for _ in range(BACKUPS_KEPT + 1):
        assert run("validate", workbook).exit_code == 0
    names = [p.name for p in backups(workbook)]
    assert young.name in names
    assert len(names) == BACKUPS_KEPT + 1  # five good ones besides it


# ================================================================== stale temporary files
def test_temporary_files_of_a_killed_save_are_removed_on_the_next_run(workbook):
    old = time.time() - 3600
    stale = workbook.parent / ".~csxl-k1lld0ne.xlsx"
    stale.write_bytes(b"PK" + b"\0" * 1000)
    os.utime(stale, (old, old))
    upgrade_dir = workbook.parent / ".csxl-upgrade-abcd_123"
    upgrade_dir.mkdir()
    (upgrade_dir / "plan.xlsx").write_bytes(b"half")
    os.utime(upgrade_dir / "plan.xlsx", (old, old))
    os.utime(upgrade_dir, (old, old))
    fresh = workbook.parent / ".~csxl-inuse123.xlsx"  # another csxl saving right now
    fresh.write_bytes(b"PK")
    foreign = workbook.parent / ".~csxl-notes.txt"  # not a name csxl makes
    foreign.write_bytes(b"x")
    os.utime(foreign, (old, old))
    assert run("validate", workbook).exit_code == 0
    assert beside(workbook) == sorted(["csxl-backups", "plan.xlsx", fresh.name, foreign.name])


def test_a_new_file_written_atomically_also_clears_stale_temporary_files(tmp_path):
    old = time.time() - 3600
    stale = tmp_path / ".~csxl-abcdefgh.xlsx"
    stale.write_bytes(b"x")
    os.utime(stale, (old, old))
    assert run("new", tmp_path / "new.xlsx").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsx"]


# ================================================================== read-only and open elsewhere
@pytest.fixture
def restore_modes(tmp_path):
    yield
    for p in [tmp_path, *tmp_path.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)


def _new_plan(path: Path, lang: str) -> Path:
    return new_plan(path, PlanInputs(lang=lang, team="T", year=2026))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_read_only_plan_is_refused_not_replaced(tmp_path, restore_modes, lang):
    path = _new_plan(tmp_path / "计划.xlsx", lang)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    for command in ("refresh", "validate", "score", "staff"):
        result = run(command, path)
        assert result.exit_code == 2, (command, result.output)
        line = result.stderr.strip()
        assert line.startswith("csxl: 计划.xlsx：" if lang == "zh" else "csxl: 计划.xlsx: ")
        assert ("只读" in line and "chmod u+w" in line) if lang == "zh" else "read-only" in line
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["计划.xlsx"]  # no lock, no backup


def test_a_plan_in_a_read_only_folder_is_refused(tmp_path, restore_modes):
    folder = tmp_path / "共享"
    path = _new_plan(folder / "plan.xlsx", "zh")
    before = path.read_bytes()
    os.chmod(folder, 0o555)
    result = run("refresh", path)
    assert result.exit_code == 2, result.output
    assert "共享" in result.stderr and "只读" in result.stderr and "plan.xlsx" in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["plan.xlsx"]


def test_batch_does_not_replace_a_read_only_team_plan(tmp_path, restore_modes):
    from csxl.batch import run_batch
    from tests.batch_fixtures import make_department

    roster, _ = make_department(tmp_path)
    out = tmp_path / "teams"
    first = run_batch(roster, out, year=2026)
    assert first.exit_code == 0
    target = out / first.teams[0].file
    edit_part(target, "xl/workbook.xml", lambda xml: xml + b"\n")  # a manager's save
    os.chmod(target, 0o444)
    before = target.read_bytes()
    again = run_batch(roster, out, year=2026, force=True)
    failed = [t for t in again.teams if t.file == target.name]
    assert failed and failed[0].status == "failed" and "只读" in failed[0].message
    assert target.read_bytes() == before


LO_LOCK = ",王英,ws-07,06.12.2026 09:41,file:///home/wy/.config/libreoffice/4;"


@pytest.mark.parametrize(
    ("lock", "content", "app"),
    [
        (".~lock.plan.xlsx#", LO_LOCK, "LibreOffice"),
        (".~plan.xlsx", "", "WPS"),  # WPS on Linux
        ("~$plan.xlsx", "owner", "Excel"),  # Excel, and WPS on Windows
    ],
)
def test_a_plan_open_in_libreoffice_or_wps_is_refused(workbook, lock, content, app):
    (workbook.parent / lock).write_text(content, encoding="utf-8")
    before = workbook.read_bytes()
    for command in ("refresh", "validate", "score"):
        result = run(command, workbook)
        assert result.exit_code == 3, (command, result.output)
        line = result.stderr.strip()
        assert "\n" not in line and line.startswith("csxl: plan.xlsx：工作簿正在")
        assert app in line and lock in line
        if app == "LibreOffice":
            assert "王英@ws-07, 06.12.2026 09:41" in line and f"删除工作簿旁边的 {lock}" in line
    assert workbook.read_bytes() == before
    assert beside(workbook) == sorted(["plan.xlsx", lock])


def test_a_libreoffice_lock_left_by_a_crash_still_counts_as_open(workbook):
    # LibreOffice's lock names no process: one of this computer, hours old, is not
    # taken for stale (LibreOffice itself asks in that case); the message says what to delete.
    lock = workbook.parent / ".~lock.plan.xlsx#"
    lock.write_text(f",{os.environ.get('USER', 'me')},{socket.gethostname()},01.01.2026 08:00,x;")
    os.utime(lock, (time.time() - 86400, time.time() - 86400))
    result = run("refresh", workbook)
    assert result.exit_code == 3 and ".~lock.plan.xlsx#" in result.stderr
    lock.unlink()
    assert run("refresh", workbook).exit_code in (0, 1)


def test_a_libreoffice_lock_appearing_before_the_save_writes_nothing(workbook):
    before = workbook.read_bytes()
    book = PackageBook(workbook)
    book.write("Errors", {(5, 1): "x"})
    (workbook.parent / ".~lock.plan.xlsx#").write_text(LO_LOCK, encoding="utf-8")
    with pytest.raises(WorkbookOpenError, match="LibreOffice"):
        book.commit()
    assert workbook.read_bytes() == before
    assert backups(workbook) == []


def test_an_english_plan_open_in_libreoffice_is_refused_in_english(tmp_path):
    path = _new_plan(tmp_path / "plan.xlsx", "en")
    (tmp_path / ".~lock.plan.xlsx#").write_text(LO_LOCK, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 3
    assert "the workbook is open in LibreOffice (王英@ws-07" in result.stderr
    assert "Close it in LibreOffice" in result.stderr


def test_import_and_upgrade_give_no_ribbon_advice(workbook, tmp_path):
    (workbook.parent / "~$plan.xlsx").write_text("owner")
    export = tmp_path / "export.csv"
    export.write_text("工单号\n1\n", encoding="utf-8")
    for args in (("import", workbook, export, "--source", "电话"), ("upgrade", workbook)):
        result = run(*args)
        assert result.exit_code == 3, result.output
        assert "--live" not in result.stderr and "请在 Excel/WPS 中关闭它" in result.stderr


def test_consolidate_does_not_take_a_wps_lock_for_a_team_plan(tmp_path):
    from csxl.consolidate import _candidates

    for name in ("一组.xlsx", ".~一组.xlsx", "~$一组.xlsx", ".~csxl-abcdefgh.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in _candidates(tmp_path, tmp_path / "汇总.xlsx")] == ["一组.xlsx"]
