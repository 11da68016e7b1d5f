"""One csxl at a time per workbook: an exclusive lock file beside it.

`csxl refresh`, `validate`, `score` and `batch` read a plan, work, then replace it. Two at
once on one file (two ribbon clicks, a scheduled batch and a manager) would each write a
result computed from the same old file, and the later one would silently drop the other's.
So a command that will write a workbook first creates `.~csxl-NAME.lock` beside it, with
O_CREAT | O_EXCL (atomic on every local and SMB file system): it holds the process id, the
host and the start time. A second csxl waits up to `WAIT_S` seconds for the lock to go,
then refuses (exit code 2, nothing written) naming the process that holds it.

A lock left by a process that died (killed, power cut) is stale and taken over: its process
is gone (same host), or it is older than `STALE_S`. The same process may open a workbook it
already holds (the library calls used by tests and the add-in open a book more than once).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
import weakref
from pathlib import Path

from csxl.errors import InputError, Location, t

WAIT_S = float(os.environ.get("CSXL_LOCK_WAIT", "10"))
STALE_S = 3600.0
_POLL_S = 0.2


class WorkbookBusyError(InputError):
    """Another csxl process is writing this workbook."""


def lock_path(path: Path) -> Path:
    return path.with_name(f".~csxl-{path.name}.lock")


class WorkbookLock:
    def __init__(self, path: Path, wait_s: float | None = None) -> None:
        self.path = lock_path(path)
        self.workbook = path.name
        self.held = False
        self._acquire(WAIT_S if wait_s is None else wait_s)
        self._finalizer = weakref.finalize(self, _remove_if_ours, self.path, os.getpid())

    def _acquire(self, wait_s: float) -> None:
        deadline = time.monotonic() + wait_s
        record = json.dumps(
            {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        ).encode()
        while True:
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = read_owner(self.path)
                if owner == {}:
                    continue  # released meanwhile
                if owner is not None and owner.get("pid") == os.getpid() and _same_host(owner):
                    self.held = True  # this process holds it already
                    return
                if is_stale(self.path, owner):
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                if time.monotonic() >= deadline:
                    raise WorkbookBusyError(
                        t(
                            f"另一个 csxl{_describe(owner)}正在更新这个工作簿；未写入任何内容。",
                            f"another csxl{_describe(owner)} is updating this workbook; "
                            "nothing was written.",
                        ),
                        Location(self.workbook),
                        t(
                            "请等它完成后再运行。如果没有 csxl 在运行，请删除工作簿旁边的 "
                            f"{self.path.name}。",
                            "Wait for it to finish and run again. If no csxl is running, delete "
                            f"{self.path.name} beside the workbook.",
                        ),
                    ) from None
                time.sleep(_POLL_S)
                continue
            except OSError as exc:  # a read-only folder: nothing can be written there anyway
                raise InputError(
                    t(
                        f"无法在工作簿旁边写入文件（{exc.strerror}）。",
                        f"cannot write beside the workbook ({exc.strerror}).",
                    ),
                    Location(self.workbook),
                    t(
                        "请把它复制到你有写入权限的文件夹。",
                        "Copy it to a folder you can write to.",
                    ),
                ) from None
            with os.fdopen(fd, "wb") as f:
                f.write(record)
            self.held = True
            return

    def release(self) -> None:
        if self.held:
            self._finalizer()
            self.held = False

    def __enter__(self) -> WorkbookLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _describe(owner: dict | None) -> str:
    if not owner:
        return ""
    started = owner.get("started")
    at = (
        time.strftime("%H:%M:%S", time.localtime(started))
        if isinstance(started, int | float)
        else ""
    )
    pid, host = owner.get("pid"), owner.get("host")
    return t(
        f"（{host} 上的进程 {pid}" + (f"，{at} 启动" if at else "") + "）",
        f" (process {pid} on {host}" + (f", started {at}" if at else "") + ")",
    )


def _remove_if_ours(path: Path, pid: int) -> None:
    owner = read_owner(path)
    if owner is not None and owner.get("pid") == pid and _same_host(owner):
        with contextlib.suppress(OSError):
            path.unlink()


def read_owner(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_bytes() or b"null")
    except FileNotFoundError:
        return {}  # gone meanwhile: try again
    except (OSError, ValueError):
        return None  # unreadable or half-written: treat as stale
    return data if isinstance(data, dict) else None


def _same_host(owner: dict) -> bool:
    return owner.get("host") == socket.gethostname()


def is_stale(path: Path, owner: dict | None) -> bool:
    """owner None: unreadable or still empty (its writer is between create and write)."""
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return False
    if age > STALE_S or (owner is None and age > 5):
        return True
    if owner is None:
        return False
    pid = owner.get("pid")
    return _same_host(owner) and isinstance(pid, int) and not _alive(pid)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
