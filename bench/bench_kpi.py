"""Benchmark `csxl kpi` on a generated ticket export against the floor and the naive path.

    python bench/bench_kpi.py [--rows 1000000] [--skip-naive [--naive-rows 50000]]
                              [--repeat 1] [--seed 2026] [--clean]

Times, each in its own subprocess so that peak memory is per method:
  floor  a bare fastexcel read of the file:
         fastexcel.read_excel(p).load_sheet(0, header_row=2).to_arrow()
  kpi    python -m csxl kpi FILE --by all,team,agent --json > /dev/null
  naive  openpyxl normal-mode load + a pandas DataFrame + the same grouping (tickets and mean
         first-response time, overall, by team and by agent)
and prints seconds, peak RSS and the ratios kpi/floor (target <= 1.3) and naive/kpi (target
>= 15); targets in ../shared/spec/performance.md. Ratios only, no assertions: the machine is
shared and noisy, so compare figures from the same run. The naive path takes minutes and GBs
at 1M rows: --skip-naive runs it on --naive-rows rows instead and extrapolates linearly
(clearly labelled). The export is generated once and cached by bench/gen_export.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from measure import run_measured  # bench/measure.py, beside this script

HERE = Path(__file__).resolve().parent
KPI_TARGET, NAIVE_TARGET, MEMORY_TARGET_MB = 1.3, 15.0, 1500
KPI_OK = (0, 1)  # cli.md: 0 done, 1 done with warnings (e.g. rows rejected)

FLOOR_CODE = (
    "import sys, fastexcel\n"
    "fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=int(sys.argv[2])).to_arrow()\n"
)


# ----------------------------------------------------------------------------- child modes


def _naive(path: str, header_row: int) -> int:
    """The naive path: openpyxl normal mode, a DataFrame, pandas grouping."""
    import openpyxl
    import pandas as pd

    wb = openpyxl.load_workbook(path)  # normal mode: every cell becomes a Python object
    ws = wb.worksheets[0]
    rows = ws.iter_rows(min_row=header_row + 1, values_only=True)
    header = next(rows)
    df = pd.DataFrame(list(rows), columns=header)
    created = pd.to_datetime(df["创建时间"], errors="coerce", format="mixed")
    first = pd.to_datetime(df["首次响应时间"], errors="coerce", format="mixed")
    df["frt"] = (first - created).dt.total_seconds()
    out = {"all": {"tickets": len(df), "frt_mean": df["frt"].mean()}}
    for by in ("团队", "客服"):
        g = df.groupby(by, dropna=False)["frt"].agg(["size", "mean"])
        out[by] = {str(k): [int(v["size"]), v["mean"]] for k, v in g.iterrows()}
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


# ----------------------------------------------------------------------------- driver


def _run_measured(cmd: list[str]) -> dict:
    return run_measured(cmd)


def _export(rows: int, seed: int, dirty: bool) -> dict:
    cmd = [sys.executable, str(HERE / "gen_export.py"), "--rows", str(rows), "--seed", str(seed)]
    cmd += ["--json"] + ([] if dirty else ["--clean"])
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)  # stderr: progress
    return json.loads(done.stdout.strip().splitlines()[-1])


def _warm(path: str) -> None:
    """Read the file once so that no method pays for a cold page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def _kpi_available() -> str | None:
    """None if `python -m csxl kpi` can run, else why not."""
    try:
        if importlib.util.find_spec("csxl") is None:
            return "the csxl package is not installed"
        if importlib.util.find_spec("csxl.__main__") is None:
            return "`python -m csxl` does not exist yet (no csxl/__main__.py)"
        if importlib.util.find_spec("csxl.cli") is None:
            return "csxl/cli.py does not exist yet"
    except ImportError as exc:
        return f"csxl cannot be imported: {exc}"
    return None


def _succeeded(result: dict) -> bool:
    # exit 1 is also what Python gives an uncaught exception: that is a failure, not a warning
    return result["returncode"] in KPI_OK and not result["traceback"]


def _best(results: list[dict]) -> dict:
    ok = [r for r in results if _succeeded(r)]
    return min(ok, key=lambda r: r["seconds"]) if ok else results[-1]


def _fmt(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--skip-naive",
        action="store_true",
        help="run the naive path on --naive-rows rows and extrapolate linearly",
    )
    parser.add_argument("--naive-rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of N for floor and kpi")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clean", action="store_true", help="an export without dirt")
    parser.add_argument(
        "--check",
        action="store_true",
        help="also run csxl kpi once more, untimed, and compare its row counts with the "
        "generator's (read, valid, rejected, duplicates)",
    )
    args = parser.parse_args(argv)
    dirty = not args.clean

    meta = _export(args.rows, args.seed, dirty)
    path, header_row = meta["path"], meta["header_row"]
    print(
        f"export: {path}  {meta['rows']:,} rows x {meta['columns']} columns, "
        f"{meta['bytes'] / 1e6:.1f} MB, dirty={meta['dirty']}"
        + ("" if meta["cached"] else f", written in {meta['write_s']:.1f} s"),
        file=sys.stderr,
    )
    _warm(path)

    floor_cmd = [sys.executable, "-c", FLOOR_CODE, path, str(header_row)]
    kpi_cmd = [sys.executable, "-m", "csxl", "kpi", path, "--by", "all,team,agent", "--json"]
    kpi_missing = _kpi_available()
    floors, kpis = [], []
    for i in range(max(1, args.repeat)):
        print(f"run {i + 1}: floor ...", file=sys.stderr)
        floors.append(_run_measured(floor_cmd))
        if kpi_missing is None:
            print(f"run {i + 1}: csxl kpi ...", file=sys.stderr)
            kpis.append(_run_measured(kpi_cmd))
    floor = _best(floors)
    kpi = _best(kpis) if kpis else None
    kpi_note = ""
    if kpi_missing is not None:
        kpi_note = f"not run: {kpi_missing}"
    elif kpi is not None and not _succeeded(kpi):
        tail = kpi["stderr_tail"][-1] if kpi["stderr_tail"] else ""
        kpi_note = f"failed (exit {kpi['returncode']}): {tail}"
        kpi = None
    if not (floor["returncode"] == 0 and not floor["traceback"]):
        print(f"the floor failed: {floor['stderr_tail']}", file=sys.stderr)
        return 1

    naive_rows = min(args.naive_rows, args.rows) if args.skip_naive else args.rows
    naive_meta = meta if naive_rows == args.rows else _export(naive_rows, args.seed, dirty)
    _warm(naive_meta["path"])
    print(f"naive path on {naive_rows:,} rows (this takes a while) ...", file=sys.stderr)
    naive_cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_naive",
        naive_meta["path"],
        str(naive_meta["header_row"]),
    ]
    naive = _run_measured(naive_cmd)
    scale = args.rows / naive_rows
    extrapolated = scale != 1
    naive_s = naive["seconds"] * scale if naive["returncode"] == 0 else None
    naive_note = (
        f"EXTRAPOLATED x{scale:g} from a measured {naive['seconds']:.1f} s on {naive_rows:,} rows"
        if extrapolated
        else "measured"
    )
    if naive["returncode"] != 0:
        naive_note = f"failed (exit {naive['returncode']}): {naive['stderr_tail'][-1:]}"

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print()
    print(
        f"csxl kpi benchmark: {args.rows:,} rows x {meta['columns']} columns "
        f"({meta['bytes'] / 1e6:.1f} MB, {'dirty' if dirty else 'clean'}), "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f}, best of {max(1, args.repeat)}"
    )
    rows = [
        ("floor: bare fastexcel read", floor["seconds"], floor["peak_mb"], "measured"),
        (
            "csxl kpi --by all,team,agent --json",
            kpi["seconds"] if kpi else None,
            kpi["peak_mb"] if kpi else None,
            kpi_note or "measured",
        ),
        (
            "naive: openpyxl load + pandas" + (" (extrapolated)" if extrapolated else ""),
            naive_s,
            naive["peak_mb"] if naive["returncode"] == 0 else None,
            naive_note
            + (f"; peak RSS is at {naive_rows:,} rows, not extrapolated" if extrapolated else ""),
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'method':<{width}}  {'seconds':>9}  {'peak RSS MB':>11}  note")
    for name, secs, mb, note in rows:
        print(f"{name:<{width}}  {_fmt(secs):>9}  {_fmt(mb, 0):>11}  {note}")
    print()
    kpi_s = kpi["seconds"] if kpi else None
    ratio_floor = kpi_s / floor["seconds"] if kpi_s else None
    ratio_naive = naive_s / kpi_s if (naive_s and kpi_s) else None
    label = " (naive extrapolated)" if extrapolated else ""
    print(f"kpi / floor  = {_fmt(ratio_floor, 2):>6}   target <= {KPI_TARGET}")
    print(f"naive / kpi  = {_fmt(ratio_naive, 1):>6}   target >= {NAIVE_TARGET:g}{label}")
    print(
        f"kpi peak RSS = {_fmt(kpi['peak_mb'] if kpi else None, 0):>6}   "
        f"target < {MEMORY_TARGET_MB} MB"
    )
    if kpi is None:
        print(f"(csxl kpi {kpi_note}; the ratios with it are n/a)")
    elif args.check:
        print(_check_rows(path, meta["expected_rows"]))
    return 0


def _check_rows(path: str, expected: dict) -> str:
    cmd = [sys.executable, "-m", "csxl", "kpi", path, "--by", "all", "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in KPI_OK:
        return f"check: csxl kpi exited {done.returncode}"
    try:
        got = json.loads(done.stdout)["rows"]
    except (ValueError, KeyError) as exc:
        return f"check: no rows in csxl kpi's JSON ({exc})"
    verdict = "match" if got == expected else "MISMATCH"
    return f"check: rows {verdict}: csxl kpi {got}, generator {expected}"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_naive":
        sys.exit(_naive(sys.argv[2], int(sys.argv[3])))
    sys.exit(main())
