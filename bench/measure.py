"""Wall time and peak memory of one command, measured from a fresh process.

`python bench/measure.py [--stdout FILE | --last] -- CMD ...` runs CMD once and prints one
JSON line: seconds, peak_mb (the peak RSS of CMD: RUSAGE_CHILDREN of a process with one
child), returncode, the last three stderr lines, whether stderr shows a traceback, and with
--last, CMD's last stdout line. CMD's stdout goes to FILE, or is discarded.

The benchmarks call `run_measured`, which starts this script, so that every measurement has
a process of its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve()


def measure(cmd: list[str], stdout_path: str | None = None, last: bool = False) -> dict:
    if last:
        sink = subprocess.PIPE
    else:
        sink = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, check=False)
        seconds = time.perf_counter() - start
    finally:
        if stdout_path and not last:
            sink.close()
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
    if last:
        out = proc.stdout.decode("utf-8", "replace").strip().splitlines()
        doc["stdout_last"] = out[-1] if out else ""
    return doc


def run_measured(
    cmd: list[str],
    stdout_path: Path | None = None,
    last: bool = False,
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> dict:
    """Measure `cmd` in a process of its own (`run` may set cwd and env); its JSON as a dict."""
    wrapper = [sys.executable, str(HERE)]
    if stdout_path:
        wrapper += ["--stdout", str(stdout_path)]
    if last:
        wrapper.append("--last")
    done = run([*wrapper, "--", *cmd], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stdout", help="write the command's stdout here")
    parser.add_argument("--last", action="store_true", help="report its last stdout line")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    print(json.dumps(measure(cmd, args.stdout, args.last), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
