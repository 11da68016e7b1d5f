"""What keeps a plan safe around a save: who has it open, whether it may be replaced, its
backups, the temporary files a killed save leaves, and recalculation when it is next opened.

- **Open elsewhere.** Excel and WPS (Windows) write `~$NAME` beside an open workbook,
  LibreOffice `.~lock.NAME#`, WPS on Linux `.~NAME`. Each counts as open (exit 3). None of
  them records a process id (LibreOffice's holds `user,system user,host,date,profile;`),
  so csxl cannot tell a crashed application's lock from a live one: it never guesses, and
  the message names the lock file to delete when the application is not running.
- **Read-only.** A file without write permission (0444, the Windows read-only attribute),
  or in a folder csxl cannot write to, is refused (exit 2): `os.replace` would replace a
  read-only file anyway, and the owner marked it so on purpose.
- **Backups** are verified (a zip whose central directory equals the original's, every
  local header where it says) before they count; a failed or short copy is removed and the
  command refuses. Rotation removes bad copies first and keeps the newest good ones.
- **Temporary files** of an atomic save (`.~csxl-` + mkstemp's 8 characters) and of an
  upgrade (`.csxl-upgrade-*`) older than `STALE_TEMP_S` are removed on the next run.
- **Full calculation on load** (`<calcPr fullCalcOnLoad="1"/>`): Excel and WPS then
  recalculate every formula when they open the file, a manager's own included.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
import zipfile
from datetime import datetime
from pathlib import Path

from csxl.errors import InputError, Location, WorkbookOpenError

BACKUPS_KEPT = 5
STALE_TEMP_S = 600.0  # a save rewrites its temp file continuously; 10 idle minutes is dead
YOUNG_S = 60.0  # a bad backup this young may be another csxl's copy in progress: left alone
WORKBOOK_PART = "xl/workbook.xml"

_TEMP = re.compile(r"\.~csxl-[a-z0-9_]{8}(\.[A-Za-z0-9]{1,5})?")  # tempfile.mkstemp's names
_UPGRADE_DIR = re.compile(r"\.csxl-upgrade-[a-z0-9_]{8}")  # tempfile.mkdtemp's names


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


# ------------------------------------------------------------------ open in another application
def app_locks(path: Path) -> list[tuple[Path, str]]:
    """The lock files beside `path` that say an application has it open: (file, application)."""
    candidates = [
        (path.with_name("~$" + path.name), "Excel/WPS"),
        # Excel shortens long names: the owner file replaces the first two characters.
        (path.with_name("~$" + path.name[2:]), "Excel/WPS"),
        (path.with_name(f".~lock.{path.name}#"), "LibreOffice"),
        (path.with_name(".~" + path.name), "WPS"),
    ]
    return [(p, app) for p, app in candidates if p.exists()]


def _lo_owner(lock: Path) -> str:
    """`user@host, since date` from LibreOffice's lock file, or "" if it cannot be read."""
    try:
        fields = lock.read_text("utf-8", errors="replace").rstrip(";\r\n").split(",")
    except OSError:
        return ""
    if len(fields) < 4:
        return ""
    user = fields[0] or fields[1]
    return f"{user}@{fields[2]}, {fields[3]}"


def open_error(path: Path, lang: str, ribbon: bool = True) -> WorkbookOpenError | None:
    """The refusal for a workbook another application has open, or None."""
    found = app_locks(path)
    if not found:
        return None
    lock, app = found[0]
    excel = app == "Excel/WPS"
    owner = _lo_owner(lock) if app == "LibreOffice" else ""
    who = f" ({owner})" if owner else ""
    if excel and ribbon:
        hint = _t(
            lang,
            "请用功能区按钮（csxl ... --live），或在 Excel/WPS 中关闭它后再运行。",
            "Use the ribbon button (csxl ... --live), or close the workbook and run again.",
        )
    else:
        hint = _t(
            lang,
            f"请在 {app} 中关闭它后再运行；如果 {app} 已经没有在运行（例如崩溃后），"
            f"删除工作簿旁边的 {lock.name} 即可。",
            f"Close it in {app} and run again; if {app} is not running any more (it crashed), "
            f"delete {lock.name} beside the workbook.",
        )
    if excel:
        message = _t(
            lang,
            f"工作簿正在 Excel 或 WPS 中打开（旁边有 {lock.name}）。",
            f"the workbook is open in Excel or WPS ({lock.name} is beside it).",
        )
    else:
        message = _t(
            lang,
            f"工作簿正在 {app} 中打开{who}（旁边有 {lock.name}）。",
            f"the workbook is open in {app}{who} ({lock.name} is beside it).",
        )
    return WorkbookOpenError(message, Location(path.name), hint)


# ------------------------------------------------------------------ read-only
def check_writable(path: Path, lang: str) -> None:
    """Refuse a plan csxl may not replace: a read-only file or folder (exit 2)."""
    mode = path.stat().st_mode
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise InputError(
            _t(
                lang,
                "这是只读文件，csxl 不会替换它；未写入任何内容。",
                "the file is read-only, so csxl does not replace it; nothing was written.",
            ),
            Location(path.name),
            _t(
                lang,
                "请取消它的“只读”属性（右键 > 属性，或 chmod u+w）后再运行，"
                "或把它复制到别处再对副本运行。",
                "Clear its read-only attribute (right-click > Properties, or chmod u+w) and run "
                "again, or run on a copy.",
            ),
        )
    folder = path.parent
    folder_mode = folder.stat().st_mode
    # Windows ignores a folder's read-only attribute; elsewhere no write bit means read-only
    # even for an administrator, who os.access would let through.
    if not os.access(folder, os.W_OK | os.X_OK) or (os.name != "nt" and not folder_mode & 0o222):
        shown = folder.resolve().name or str(folder.resolve())
        raise InputError(
            _t(
                lang,
                f"它所在的文件夹（{shown}）是只读的，csxl 无法在其中保存；未写入任何内容。",
                f"its folder ({shown}) is read-only, so csxl cannot save there; "
                "nothing was written.",
            ),
            Location(path.name),
            _t(
                lang,
                "请把工作簿复制到可写的文件夹后再运行。",
                "Copy the workbook to a folder you can write to and run again.",
            ),
        )


# ------------------------------------------------------------------ backups
class BackupError(InputError):
    """The backup could not be made or did not verify: nothing was written."""


def backups_folder(path: Path) -> Path:
    return path.parent / "csxl-backups"


def _layout(path: Path) -> tuple[int, tuple[tuple[str, int, int, int, int], ...]] | None:
    """A zip's size and central directory (name, CRC, sizes, offset), every local header
    checked where the directory puts it; None when it is not a whole zip."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f, zipfile.ZipFile(f) as zf:
            entries = tuple(
                (i.filename, i.CRC, i.compress_size, i.file_size, i.header_offset)
                for i in zf.infolist()
            )
            for _, _, csize, _, offset in entries:
                f.seek(offset)
                if f.read(4) != b"PK\x03\x04" or offset + csize > size:
                    return None
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return None
    return (size, entries) if entries else None


def _own_backups(path: Path, folder: Path) -> list[Path]:
    own = re.compile(re.escape(path.stem) + r"\.\d{8}-\d{6}(-\d+)?" + re.escape(path.suffix))
    return [p for p in folder.iterdir() if own.fullmatch(p.name) and p.is_file()]


def backup(path: Path, lang: str = "zh") -> Path:
    """Copy the workbook aside and verify the copy before it is rewritten.

    Raises BackupError (the copy removed) when the copy fails or does not match the
    original: no command rewrites a plan without a good backup.
    """
    folder = backups_folder(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}.{stamp}{path.suffix}"
    try:
        folder.mkdir(exist_ok=True)
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
        shutil.copy2(path, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        full = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        raise _backup_error(path, lang, exc.strerror or str(exc), full) from None
    except BaseException:  # Ctrl+C during the copy: no half copy left to count
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        raise
    original = _layout(path)
    if original is None or _layout(target) != original:
        target.unlink(missing_ok=True)
        reason = _t(lang, "备份副本不完整", "the copy is incomplete")
        raise _backup_error(path, lang, reason, True)
    rotate(path)
    return target


def _backup_error(path: Path, lang: str, reason: str, full: bool) -> BackupError:
    return BackupError(
        _t(
            lang,
            f"无法在 csxl-backups 中保存备份（{reason}），工作簿没有被改动。",
            f"could not make a backup in csxl-backups ({reason}); the workbook was not changed.",
        ),
        Location(path.name),
        _t(
            lang,
            "请腾出磁盘空间后再运行。" if full else "请检查 csxl-backups 文件夹的权限后再运行。",
            "Free some disk space and run again."
            if full
            else "Check the csxl-backups folder's permissions and run again.",
        ),
    )


def rotate(path: Path, keep: int = BACKUPS_KEPT) -> None:
    """Keep the newest `keep` good backups of this workbook; bad ones go first, never count."""
    folder = backups_folder(path)
    if not folder.is_dir():
        return
    now = time.time()
    good: list[tuple[int, str, Path]] = []
    for p in _own_backups(path, folder):
        try:
            st = p.stat()
        except OSError:
            continue
        if _layout(p) is not None:
            good.append((st.st_mtime_ns, p.name, p))
        elif now - st.st_mtime > YOUNG_S:
            with contextlib.suppress(OSError):
                p.unlink()
    good.sort()
    for _, _, old in good[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()


# ------------------------------------------------------------------ stale temporary files
def remove_stale_temps(folder: Path, older_than_s: float = STALE_TEMP_S) -> list[str]:
    """Remove temp files and upgrade folders that a killed csxl left in `folder`."""
    removed: list[str] = []
    now = time.time()
    try:
        items = list(folder.iterdir())
    except OSError:
        return removed
    for p in items:
        try:
            if _TEMP.fullmatch(p.name) and not p.name.endswith(".lock") and p.is_file():
                if now - p.stat().st_mtime > older_than_s:
                    p.unlink()  # on Windows a file still open fails here, and stays
                    removed.append(p.name)
            elif _UPGRADE_DIR.fullmatch(p.name) and p.is_dir():
                newest = max([p.stat().st_mtime] + [q.stat().st_mtime for q in p.iterdir()])
                if now - newest > older_than_s:
                    shutil.rmtree(p)
                    removed.append(p.name)
        except OSError:
            continue
    return removed


# ------------------------------------------------------------------ full calculation on load
_ROOT = re.compile(rb"<(?:(\w+):)?workbook[\s>]")
_CALC_PR = re.compile(rb"<(?:\w+:)?calcPr\b(?P<attrs>[^>]*?)(?P<end>/?)>")
_FULL = re.compile(rb"""\sfullCalcOnLoad\s*=\s*("[^"]*"|'[^']*')""")
# CT_Workbook's children after calcPr (ECMA-376 18.2.27): calcPr goes before the first.
_AFTER_CALC_PR = re.compile(
    rb"<(?:\w+:)?(?:oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|"
    rb"webPublishing|fileRecoveryPr|webPublishObjects|extLst)\b|</(?:\w+:)?workbook>"
)


def full_calc_on_load(workbook_xml: bytes) -> bytes:
    """xl/workbook.xml with `fullCalcOnLoad="1"` on calcPr, its other attributes kept."""
    m = _CALC_PR.search(workbook_xml)
    if m:
        attrs = m["attrs"]
        if _FULL.search(attrs):
            new = _FULL.sub(b' fullCalcOnLoad="1"', attrs, count=1)
        else:
            new = attrs.rstrip() + b' fullCalcOnLoad="1"'
        if new == attrs:
            return workbook_xml
        start, end = m.span("attrs")
        return workbook_xml[:start] + new + workbook_xml[end:]
    root = _ROOT.search(workbook_xml)
    at = _AFTER_CALC_PR.search(workbook_xml)
    if root is None or at is None:
        return workbook_xml  # not a workbook part csxl knows: leave it as it is
    prefix = root[1] + b":" if root[1] else b""
    return (
        workbook_xml[: at.start()]
        + b'<%scalcPr fullCalcOnLoad="1"/>' % prefix
        + (workbook_xml[at.start() :])
    )
