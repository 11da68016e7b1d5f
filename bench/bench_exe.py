"""Benchmark the built executable: folder size and start-up against `python -m csxl`.

    pyinstaller build.spec                      # dist/csxl/csxl, the one-folder build
    python bench/bench_exe.py [--exe dist/csxl/csxl] [--onefile PATH] [--runs 21]

Prints the size of the one-folder build (and of a one-file build given with --onefile, made
by `CSXL_ONEFILE=1 pyinstaller build.spec --distpath dist/onefile`), then the median and
spread of N wall-clock runs of `--version` and `--help` for the exe and for `python -m csxl`
with their median CPU time (user + system, less disturbed by the machine's load), and the
ratios exe / python (target <= 1.3, and under 0.5 s, see ../shared/spec/performance.md).
The methods' runs are interleaved and each command runs once untimed first, so that all see
the same load and a warm page cache. Ratios only, no assertions: the machine is shared and
noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RATIO_TARGET, SECONDS_TARGET = 1.3, 0.5


def folder_size(path: Path) -> tuple[int, int]:
    """(bytes, files) of a file or of everything under a folder."""
    if path.is_file():
        return path.stat().st_size, 1
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def run_once(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds user + system) of one run of cmd; fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) seconds of `runs` runs of each command, interleaved so that a change of the
    machine's load hits every method alike (after one untimed run each)."""
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for cmd in commands.values():
        run_once(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            out[name].append(run_once(cmd))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", type=Path, default=ROOT / "dist" / "csxl" / "csxl")
    parser.add_argument("--onefile", type=Path, help="a one-file build to measure as well")
    parser.add_argument("--runs", type=int, default=21, help="timed runs per command")
    args = parser.parse_args(argv)
    exe = args.exe.resolve()
    if not exe.is_file():
        print(f"no executable at {exe}: run `pyinstaller build.spec` first", file=sys.stderr)
        return 1

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(
        f"csxl executable benchmark: python {platform.python_version()}, {platform.system()}, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f}, median of {args.runs} runs"
    )
    size, files = folder_size(exe.parent)
    print(f"one-folder build {exe.parent}: {size / 2**20:,.0f} MiB in {files:,} files")
    methods = {"exe (one-folder)": [str(exe)], "python -m csxl": [sys.executable, "-m", "csxl"]}
    if args.onefile:
        one = args.onefile.resolve()
        print(f"one-file build {one}: {one.stat().st_size / 2**20:,.0f} MiB")
        methods["exe (one-file)"] = [str(one)]
    print()
    width = max(len(m) for m in methods) + 10
    print(f"{'command':<{width}}  {'median s':>8}  {'min s':>6}  {'max s':>6}  {'CPU s':>6}")
    medians: dict[tuple[str, str], tuple[float, float]] = {}
    for flag in ("--version", "--help"):
        runs = timed({name: [*cmd, flag] for name, cmd in methods.items()}, args.runs)
        for name, results in runs.items():
            wall = [w for w, _ in results]
            cpu = statistics.median(c for _, c in results)
            medians[(name, flag)] = (statistics.median(wall), cpu)
            print(
                f"{name + ' ' + flag:<{width}}  {medians[(name, flag)][0]:>8.3f}  "
                f"{min(wall):>6.3f}  {max(wall):>6.3f}  {cpu:>6.3f}"
            )
    print()
    for flag in ("--version", "--help"):
        base = medians[("python -m csxl", flag)]
        for name in methods:
            if name == "python -m csxl":
                continue
            wall, cpu = (a / b for a, b in zip(medians[(name, flag)], base, strict=True))
            aim = f"   target <= {RATIO_TARGET}, < {SECONDS_TARGET} s" if "folder" in name else ""
            print(f"{name} / python -m csxl, {flag:<9} = {wall:5.2f} wall, {cpu:5.2f} CPU{aim}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
