"""Wall time and peak memory of one command, measured from a fresh process.

`python bench/measure.py [--stdout FILE | --last] [--tree] -- CMD ...` runs CMD once and
prints one JSON line: seconds, peak_mb (the peak RSS of CMD: RUSAGE_CHILDREN of a process with
one child; with worker processes, that of the largest single process), returncode, the last
three stderr lines, whether stderr shows a traceback, and with --last, CMD's last stdout line.
CMD's stdout goes to FILE, or is discarded.

With --tree, also tree_peak_mb: the peak over time of the memory of CMD and all its
descendants together (a process pool's), sampled every 0.1 s from /proc: the sum of each
process's PSS (its private pages plus its share of pages shared with the others, so forked
workers' shared pages count once), RSS where PSS cannot be read. A peak shorter than the
sampling interval can be missed.

The benchmarks call `run_measured`, which starts this script, so that every measurement has
a process of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve()


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process /proc shows."""
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])  # after "pid (comm) state"
        out.setdefault(ppid, []).append(int(entry))
    return out


def _memory_kb(pid: int) -> int:
    """PSS of a process in KiB (RSS where smaps_rollup cannot be read); 0 once it is gone."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", b"Pss:"), (f"/proc/{pid}/status", b"VmRSS:")):
        try:
            with open(path, "rb") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_kb(root: int) -> int:
    """The memory of `root` and every descendant, summed (see the module's docstring)."""
    children = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _memory_kb(pid)
        todo += children.get(pid, [])
    return total


class TreeSampler:
    """Samples `tree_kb(pid)` every `interval` seconds in a thread; `peak_kb` is the largest."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, tree_kb(self.pid))
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb


def measure(
    cmd: list[str], stdout_path: str | None = None, last: bool = False, tree: bool = False
) -> dict:
    if last:
        sink = subprocess.PIPE
    else:
        sink = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    sampler = None
    try:
        start = time.perf_counter()
        with subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE) as child:
            sampler = TreeSampler(child.pid) if tree else None
            out, err = child.communicate()
        seconds = time.perf_counter() - start
        proc = subprocess.CompletedProcess(cmd, child.returncode, out, err)
    finally:
        if stdout_path and not last:
            sink.close()
        tree_peak = sampler.stop() if sampler is not None else None
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the one child we ran
    peak_mb = peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes vs KiB
    stderr = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    doc = {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "returncode": proc.returncode,
        "stderr_tail": stderr[-3:],
        "traceback": any(line.startswith("Traceback (most recent") for line in stderr),
    }
    if tree_peak is not None:
        doc["tree_peak_mb"] = tree_peak / 1024
    if last:
        out = proc.stdout.decode("utf-8", "replace").strip().splitlines()
        doc["stdout_last"] = out[-1] if out else ""
    return doc


def run_measured(
    cmd: list[str],
    stdout_path: Path | None = None,
    last: bool = False,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
    tree: bool = False,
) -> dict:
    """Measure `cmd` in a process of its own (`run` may set cwd and env); its JSON as a dict."""
    wrapper = [sys.executable, str(HERE)]
    if stdout_path:
        wrapper += ["--stdout", str(stdout_path)]
    if last:
        wrapper.append("--last")
    if tree:
        wrapper.append("--tree")
    done = run([*wrapper, "--", *cmd], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stdout", help="write the command's stdout here")
    parser.add_argument("--last", action="store_true", help="report its last stdout line")
    parser.add_argument("--tree", action="store_true", help="also the process tree's peak")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    print(json.dumps(measure(cmd, args.stdout, args.last, args.tree), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
