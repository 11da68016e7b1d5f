"""Benchmark `csxl refresh` of a plan whose Data sheet holds N tickets against `csxl kpi` and the
naive path.

    python bench/bench_refresh.py [--rows 1000000] [--skip-naive [--naive-rows 50000]]
                                  [--repeat 1] [--seed 2026] [--clean] [--profile] [--keep]

The plan (zh, as-of 2026-03-31, N generated tickets of 2026-03 on its Data sheet) and a plain
export of the same tickets are built once and cached by bench/plan_fixture.py. Times, each in
its own subprocess so that peak memory is per method:
  kpi export   python -m csxl kpi EXPORT --by all,agent --json
  kpi plan     python -m csxl kpi PLAN --by all,agent --json   (the kpi engine reading the
               plan's Data sheet: the floor for refresh)
  refresh      python -m csxl refresh COPY --month 2026-03, on a fresh copy of the plan each run
  naive        openpyxl normal-mode load + save of the plan
and prints seconds, peak RSS and the ratios refresh / kpi(plan) (target <= 2, see
../shared/spec/performance.md), refresh / kpi(export) and naive / refresh. It also checks that
refresh left the Data part's compressed bytes as they were (local header, compressed data and
CRC compared with the fixture's), lists the parts refresh rewrote, and that kpi gives the same
numbers from the plan as from the export. Ratios only, no assertions: the machine is shared
and noisy, so compare figures from the same run (the load average is printed).

The naive path takes about 10 minutes and 5 GB at 1M rows: --skip-naive runs it on a plan of
--naive-rows rows instead and extrapolates linearly (clearly labelled). --profile also runs
refresh in-process on fresh copies, once with wall-clock timers around its main steps (reading
the plan, reading Data, normalising, KPIs, rendering, writing, committing) and once under
cProfile (top functions; the profiler inflates Python-level loops), and prints both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from measure import run_measured  # bench/measure.py, beside this script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
WORK = OUT / "refresh_runs"
MONTH = "2026-03"
REFRESH_TARGET = 2.0
WARM_IMPORTS = (
    "import csxl.cli, csxl.refresh, pandas, pyarrow, fastexcel, python_calamine, openpyxl"
)
OK_CODES = (0, 1)  # cli.md: 0 done, 1 done with warnings (e.g. rows rejected)


# ----------------------------------------------------------------------------- child modes


def _naive(path: str, out: str) -> int:
    """The naive path: openpyxl normal mode, every cell a Python object, then save."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.save(out)
    return 0


_PHASES = (  # (module, attribute, label): wrapped with a wall-clock timer for --profile
    ("csxl.refresh", "read_plan", "read_plan: the plan's own sheets"),
    ("csxl.workbook.port:PackageBook", "rows", "PackageBook.rows (python-calamine)"),
    ("csxl.workbook.port:PackageBook", "data", "PackageBook.data: Data sheet via read_excel"),
    ("csxl.readers.excel", "_probe", "read_excel._probe (fastexcel, header scan)"),
    ("csxl.readers.excel", "_load", "read_excel._load (fastexcel, whole sheet)"),
    ("csxl.domain.tickets", "load_tickets", "load_tickets: normalise, validate, dedupe"),
    ("csxl.domain.normalise", "datetimes", "normalise.datetimes"),
    ("csxl.domain.normalise", "numbers", "normalise.numbers"),
    ("csxl.domain.normalise", "booleans", "normalise.booleans"),
    ("csxl.domain.normalise", "text", "normalise.text"),
    ("csxl.domain.kpis", "compute", "kpis.compute (all, agent)"),
    ("csxl.refresh", "_agent_rows", "refresh._agent_rows"),
    ("csxl.refresh", "_with_awards", "refresh._with_awards"),
    ("csxl.refresh", "_trend", "refresh._trend"),
    ("csxl.refresh", "_top_tags", "refresh._top_tags"),
    ("csxl.refresh", "render", "render: the plan in memory (openpyxl)"),
    ("csxl.refresh", "_write_all", "_write_all: patch owned sheet parts"),
    ("csxl.workbook.port:PackageBook", "commit", "PackageBook.commit"),
    ("csxl.workbook.port", "backup", "port.backup: copy the workbook aside"),
    ("csxl.workbook.zipsplice", "splice", "zipsplice.splice: write the new package"),
)


def _phases(path: str) -> int:
    """Refresh `path` in this process with wall-clock timers around its main steps."""
    import functools
    import importlib
    from datetime import datetime

    stats: dict[str, list] = {}  # label -> [seconds, calls, depth at first call]
    depth = [0]

    def wrap(owner, attr: str, label: str) -> None:
        fn = getattr(owner, attr, None)
        if fn is None:
            print(f"(no {attr} in {owner!r}: not timed)")
            return

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            entry = stats.setdefault(label, [0.0, 0, depth[0]])
            depth[0] += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                entry[0] += time.perf_counter() - start
                entry[1] += 1

        setattr(owner, attr, timed)

    for where, attr, label in _PHASES:
        module, _, cls = where.partition(":")
        owner = importlib.import_module(module)
        wrap(getattr(owner, cls) if cls else owner, attr, label)

    from csxl import refresh as engine
    from csxl.workbook.port import PackageBook

    start = time.perf_counter()
    engine.refresh(PackageBook(path), MONTH, now=datetime(2026, 4, 1, 8))
    total = time.perf_counter() - start
    print(f"\n--- in-process refresh, wall-clock phases (no profiler): {total:.2f} s ---")
    top = 0.0
    for label, (seconds, calls, level) in stats.items():
        top += seconds if level == 0 else 0.0
        share = f"{100 * seconds / total:5.1f}%"
        print(f"{'  ' * level}{label:<{56 - 2 * level}} {seconds:8.2f} s {share}  x{calls}")
    print(f"{'everything else':<56} {total - top:8.2f} s")
    return 0


def _profile(path: str, top: int) -> int:
    """Refresh `path` in this process under cProfile; print the top functions."""
    import cProfile
    import io
    import pstats
    from datetime import datetime

    from csxl import refresh as engine
    from csxl.workbook.port import PackageBook

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    engine.refresh(PackageBook(path), MONTH, now=datetime(2026, 4, 1, 8))
    profiler.disable()
    total = time.perf_counter() - start
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(top)
        body = text.getvalue()
        at = body.find("   ncalls")
        print(f"\n--- in-process refresh: {total:.2f} s wall; top {top} by {order} ---")
        print(body[at:].rstrip() if at >= 0 else body.rstrip())
    return 0


# ----------------------------------------------------------------------------- driver


def _child_env() -> dict[str, str]:
    """Children import csxl from this checkout, whatever the editable install points at."""
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else "")}


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, env=_child_env(), **kwargs)


def _run_measured(cmd: list[str], stdout_path: Path | None = None) -> dict:
    return run_measured(cmd, stdout_path, run=_run)


def _fixture(rows: int, seed: int, dirty: bool) -> dict:
    cmd = [sys.executable, str(HERE / "plan_fixture.py"), "--rows", str(rows), "--seed", str(seed)]
    cmd += ["--json"] + ([] if dirty else ["--clean"])
    done = _run(cmd, stdout=subprocess.PIPE, text=True, check=True)  # stderr: progress
    return json.loads(done.stdout.strip().splitlines()[-1])


def _warm(path: str | Path) -> None:
    """Read the file once so that no method pays for a cold page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def _fresh_copy(plan: str, name: str) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / name
    target.unlink(missing_ok=True)
    shutil.copyfile(plan, target)
    _warm(target)
    return target


def _spans(path: Path) -> dict[str, tuple[bytes, bytes]]:
    """Each entry's central record fields that matter (CRC, sizes, method) and its stored span."""
    import hashlib

    from csxl.workbook import zipsplice

    with path.open("rb") as f:
        entries, _ = zipsplice._entries(f)
        out = {}
        for e in entries:
            span = zipsplice._local_span(f, e)
            # central record bytes 10..28: method, time, date, CRC-32, compressed, uncompressed
            out[e.name] = (e.central[10:28], hashlib.sha256(span).digest())
    return out


def _compare_parts(before: Path, after: Path, data_part: str) -> dict:
    a, b = _spans(before), _spans(after)
    changed = sorted(n for n in a.keys() & b.keys() if a[n] != b[n])
    return {
        "data_untouched": data_part in a and a.get(data_part) == b.get(data_part),
        "changed": changed,
        "added": sorted(b.keys() - a.keys()),
        "removed": sorted(a.keys() - b.keys()),
        "unchanged": len(a.keys() & b.keys()) - len(changed),
    }


def _succeeded(result: dict) -> bool:
    # exit 1 is also what Python gives an uncaught exception: that is a failure, not a warning
    return result["returncode"] in OK_CODES and not result["traceback"]


def _best(results: list[dict]) -> dict | None:
    ok = [r for r in results if _succeeded(r)]
    return min(ok, key=lambda r: r["seconds"]) if ok else (results[-1] if results else None)


def _fmt(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{digits}f}"


def _ratio(a: dict | float | None, b: dict | float | None) -> float | None:
    a = a["seconds"] if isinstance(a, dict) and _succeeded(a) else a
    b = b["seconds"] if isinstance(b, dict) and _succeeded(b) else b
    return a / b if isinstance(a, float) and isinstance(b, float) and b > 0 else None


def _note(result: dict | None) -> str:
    if result is None:
        return "not run"
    if _succeeded(result):
        return f"measured (exit {result['returncode']})"
    tail = result["stderr_tail"][-1] if result["stderr_tail"] else ""
    return f"FAILED (exit {result['returncode']}): {tail}"


def _same_kpis(plan_json: Path, export_json: Path) -> str:
    try:
        a = json.loads(plan_json.read_text(encoding="utf-8"))
        b = json.loads(export_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"kpi(plan) vs kpi(export): cannot compare ({exc})"

    # The export's KPIs only: kpi on a plan also reads its Orders sheet (the "orders" block,
    # the customer KPIs in each group, their "unavailable" reasons), which the export lacks.
    def ticket_groups(doc: dict, kpis: set[str]) -> list:
        return [
            {**g, "kpis": {k: v for k, v in g["kpis"].items() if k in kpis}}
            for g in doc.get("groups", [])
        ]

    kpis = {k for g in b.get("groups", []) for k in g["kpis"]}
    a["groups"], b["groups"] = ticket_groups(a, kpis), ticket_groups(b, kpis)
    keys = ("rows", "period", "groups", "top_tags")
    if all(a.get(k) == b.get(k) for k in keys):
        return f"kpi(plan) vs kpi(export): same ticket KPIs (rows {a['rows']})"
    diff = [k for k in keys if a.get(k) != b.get(k)]
    return f"kpi(plan) vs kpi(export): DIFFER in {', '.join(diff)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--skip-naive",
        action="store_true",
        help="run the naive path on a plan of --naive-rows rows and extrapolate linearly",
    )
    parser.add_argument("--naive-rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of K for kpi and refresh")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clean", action="store_true", help="tickets without dirt")
    parser.add_argument(
        "--profile", action="store_true", help="also profile an in-process refresh (cProfile)"
    )
    parser.add_argument("--profile-top", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help=f"keep the refreshed copies in {WORK}")
    args = parser.parse_args(argv)
    dirty = not args.clean
    load_start = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3

    meta = _fixture(args.rows, args.seed, dirty)
    plan, export, data_part = meta["plan"], meta["export"], meta["data_part"]
    print(
        f"plan:   {plan}  {meta['rows']:,} rows on Data ({meta['data_part']}, "
        f"{meta['data_xml_bytes'] / 1e6:.0f} MB of XML), {meta['plan_bytes'] / 1e6:.1f} MB"
        + ("" if meta["cached"] else f", built in {meta['plan_write_s']:.1f} s")
        + f"\nexport: {export}  {meta['export_bytes'] / 1e6:.1f} MB\n"
        f"check:  {meta['validated']}",
        file=sys.stderr,
    )
    _warm(plan)
    _warm(export)
    WORK.mkdir(parents=True, exist_ok=True)
    # Untimed: the first run after a build would otherwise pay for cold imports alone.
    _run([sys.executable, "-c", WARM_IMPORTS], check=False)

    kpi_export_out, kpi_plan_out = WORK / "kpi_export.json", WORK / "kpi_plan.json"
    by = ["--by", "all,agent", "--json"]
    kpi_exports, kpi_plans, refreshes, parts = [], [], [], []
    for i in range(max(1, args.repeat)):
        print(f"run {i + 1}: csxl kpi EXPORT ...", file=sys.stderr)
        kpi_exports.append(
            _run_measured([sys.executable, "-m", "csxl", "kpi", export, *by], kpi_export_out)
        )
        print(f"run {i + 1}: csxl kpi PLAN ...", file=sys.stderr)
        kpi_plans.append(
            _run_measured([sys.executable, "-m", "csxl", "kpi", plan, *by], kpi_plan_out)
        )
        print(f"run {i + 1}: csxl refresh COPY ...", file=sys.stderr)
        copy = _fresh_copy(plan, f"plan_run{i + 1}.xlsx")
        refreshes.append(
            _run_measured([sys.executable, "-m", "csxl", "refresh", str(copy), "--month", MONTH])
        )
        parts.append(_compare_parts(Path(plan), copy, data_part))
    kpi_export, kpi_plan, refresh = _best(kpi_exports), _best(kpi_plans), _best(refreshes)

    naive_rows = min(args.naive_rows, args.rows) if args.skip_naive else args.rows
    naive_meta = meta if naive_rows == args.rows else _fixture(naive_rows, args.seed, dirty)
    _warm(naive_meta["plan"])
    naive_out = WORK / "naive_saved.xlsx"
    print(f"naive path on {naive_rows:,} rows (this takes a while) ...", file=sys.stderr)
    naive = _run_measured(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "_naive",
            naive_meta["plan"],
            str(naive_out),
        ]
    )
    naive_out.unlink(missing_ok=True)
    scale = args.rows / naive_rows
    extrapolated = scale != 1
    naive_ok = naive["returncode"] == 0 and not naive["traceback"]
    naive_s = naive["seconds"] * scale if naive_ok else None
    naive_note = (
        f"EXTRAPOLATED x{scale:g} from a measured {naive['seconds']:.1f} s on {naive_rows:,} rows; "
        f"peak RSS is at {naive_rows:,} rows, not extrapolated"
        if extrapolated
        else "measured"
    )
    if not naive_ok:
        naive_note = _note(naive)

    where = _run(
        [sys.executable, "-c", "import csxl; print(csxl.__file__)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load_end = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print()
    print(
        f"csxl refresh benchmark: {args.rows:,} rows ({'dirty' if dirty else 'clean'}), plan "
        f"{meta['plan_bytes'] / 1e6:.1f} MB, export {meta['export_bytes'] / 1e6:.1f} MB, "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, best of "
        f"{max(1, args.repeat)}, load average {load_start[0]:.2f} at start, "
        f"{load_end[0]:.2f} at end\ncsxl imported from {Path(where).parent}"
    )
    table = [
        ("csxl kpi EXPORT --by all,agent", kpi_export, _note(kpi_export)),
        ("csxl kpi PLAN --by all,agent (floor)", kpi_plan, _note(kpi_plan)),
        ("csxl refresh PLAN-COPY --month " + MONTH, refresh, _note(refresh)),
    ]
    rows = [
        (
            name,
            r["seconds"] if r and _succeeded(r) else None,
            r["peak_mb"] if r and _succeeded(r) else None,
            note,
        )
        for name, r, note in table
    ]
    rows.append(
        (
            "naive: openpyxl load + save" + (" (extrapolated)" if extrapolated else ""),
            naive_s,
            naive["peak_mb"] if naive_ok else None,
            naive_note,
        )
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'method':<{width}}  {'seconds':>9}  {'peak RSS MB':>11}  note")
    for name, secs, mb, note in rows:
        print(f"{name:<{width}}  {_fmt(secs):>9}  {_fmt(mb, 0):>11}  {note}")
    if args.repeat > 1:
        for name, runs in (
            ("kpi export", kpi_exports),
            ("kpi plan", kpi_plans),
            ("refresh", refreshes),
        ):
            print(f"  all runs, {name}: " + ", ".join(f"{r['seconds']:.1f}" for r in runs))
    print()
    refresh_s = refresh["seconds"] if refresh and _succeeded(refresh) else None
    label = " (naive extrapolated)" if extrapolated else ""
    r_plan, r_export = _ratio(refresh, kpi_plan), _ratio(refresh, kpi_export)
    print(
        f"refresh / kpi(plan)   = {_fmt(r_plan, 2):>6}   target <= {REFRESH_TARGET:g}"
        + ("" if r_plan is None or r_plan <= REFRESH_TARGET else "   MISSED (try --profile)")
    )
    print(f"refresh / kpi(export) = {_fmt(r_export, 2):>6}")
    print(f"naive / refresh       = {_fmt(_ratio(naive_s, refresh_s), 1):>6}{label}")
    untouched = all(p["data_untouched"] for p in parts)
    wrote = all(_succeeded(r) for r in refreshes) and all(p["changed"] for p in parts)
    verdict = ("yes" if untouched else "NO") if wrote else "n/a (a refresh failed or wrote nothing)"
    print(f"Data part untouched: {verdict} ({data_part}, every run)")
    last = parts[-1]
    print(
        f"refresh rewrote {len(last['changed'])} parts ({', '.join(last['changed'])}), "
        f"added {last['added'] or 'none'}, removed {last['removed'] or 'none'}, "
        f"copied {last['unchanged']} as stored"
    )
    print(_same_kpis(kpi_plan_out, kpi_export_out))

    if args.profile:
        me = str(Path(__file__).resolve())
        copy = _fresh_copy(plan, "plan_phases.xlsx")
        _run([sys.executable, me, "_phases", str(copy)], check=False)
        copy = _fresh_copy(plan, "plan_profile.xlsx")
        _run([sys.executable, me, "_profile", str(copy), str(args.profile_top)], check=False)
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # this checkout's csxl, not whatever is installed
    if len(sys.argv) > 1 and sys.argv[1] == "_naive":
        sys.exit(_naive(sys.argv[2], sys.argv[3]))
    if len(sys.argv) > 1 and sys.argv[1] == "_phases":
        sys.exit(_phases(sys.argv[2]))
    if len(sys.argv) > 1 and sys.argv[1] == "_profile":
        sys.exit(_profile(sys.argv[2], int(sys.argv[3])))
    sys.exit(main())
