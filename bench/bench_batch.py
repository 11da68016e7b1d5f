"""Benchmark `csxl batch` on a 200-team roster against the naive approach.

    python bench/bench_batch.py [--teams 200] [--naive-teams 20] [--repeat 1] [--agents 8]

Times, each in its own subprocess so that peak memory is per method:
  batch  python -m csxl batch ROSTER --out DIR --year 2026 (a fresh folder each run): the
         plan is built once and each team's copy specialised by patching a few XML parts
  naive  the plan builder per team in one process: read the roster, then for each team
         csxl.workbook.builder.new_plan(path, PlanInputs(team, year, targets, cascade)), i.e.
         build every workbook from scratch with openpyxl
and prints seconds, peak RSS, per-workbook milliseconds and the ratio naive / batch (target
>= 20, ../shared/spec/performance.md). Both write the same workbooks, cell for cell
(tests/test_batch.py proves it). The naive path runs on --naive-teams teams: its per-team
time is extrapolated linearly to --teams (start-up and roster read counted once) and
labelled EXTRAPOLATED unless --naive-teams equals --teams. Ratios only, no assertions: the
machine is shared and noisy, so compare figures from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from measure import run_measured  # bench/measure.py, beside this script

TARGET = 20.0
YEAR = 2026
MONTH = "2026-10"


# ----------------------------------------------------------------------------- child modes


def _naive(roster_path: str, out: str, limit: int) -> int:
    """Build the first `limit` teams' plans from scratch; print the loop's seconds as JSON."""
    from datetime import date

    from csxl.roster import read_roster
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan

    roster = read_roster(roster_path)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    today = date.today()
    teams = list(roster.teams.values())[:limit]
    start = time.perf_counter()
    for i, team in enumerate(teams):
        targets = team.targets()
        inputs = PlanInputs(
            lang=roster.lang,
            team=team.name,
            year=YEAR,
            today=today,
            targets=targets,
            cascade=team.cascade(targets),
        )
        new_plan(folder / f"{i:04d}.xlsx", inputs)
    print(json.dumps({"teams": len(teams), "loop_s": time.perf_counter() - start}))
    return 0


# ----------------------------------------------------------------------------- driver


def make_roster(path: Path, teams: int, agents: int) -> None:
    """A roster of `teams` teams; every fifth has its own CSAT target, every team's first
    agent leads it and one group of the first team a faster first response (the demo's)."""
    from csxl.demo_data import agent_roster
    from csxl.roster import demo_roster_rows, template_bytes

    names = team_names(teams)
    rows = demo_roster_rows(agent_roster(names, agents, month=MONTH))
    rows += [{"team": t, "csat_stretch": 0.92} for t in names[::5]]
    path.write_bytes(template_bytes("zh", rows))


def team_names(teams: int) -> list[str]:
    return [f"客服{i + 1:03d}组" for i in range(teams)]


def ensure_team_export(
    rows: int, teams: int = 200, agents: int = 8, seed: int = 2026, out: Path | None = None
) -> dict:
    """A dirty export of `rows` tickets of March 2026 spread over `teams` teams of `agents`
    agents (header on row 1), and a roster of those teams and agents, generated once and
    cached in bench/out/ (regenerated when the arguments or csxl.demo_data change). Its
    sidecar: export, roster, rows, teams, agents, expected_rows."""
    import hashlib
    import sys

    # This checkout's csxl, as the timed commands run it (PYTHONPATH), installed or not.
    repo = str(Path(__file__).resolve().parents[1])
    if repo not in sys.path:
        sys.path.insert(0, repo)
    import csxl.demo_data as demo_data

    out = out or Path(__file__).resolve().parent / "out"
    tag = f"{rows}_t{teams}_a{agents}_s{seed}"
    export, roster = out / f"batch_export_{tag}.xlsx", out / f"batch_roster_{tag}.xlsx"
    sidecar = export.with_suffix(".json")
    fingerprint = hashlib.sha256(Path(demo_data.__file__).read_bytes()).hexdigest()[:16]
    if sidecar.exists() and export.exists() and roster.exists():
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if meta.get("generator") == fingerprint and meta.get("bytes") == export.stat().st_size:
            return meta
    from csxl.roster import demo_roster_rows, template_bytes

    out.mkdir(parents=True, exist_ok=True)
    names = team_names(teams)
    print(f"generating {rows:,} tickets of {teams} teams ...", file=sys.stderr)
    df = demo_data.generate_tickets(
        rows, seed=seed, month="2026-03", teams=names, agents_per_team=agents, dirty=True
    )
    tmp = export.with_name(export.stem + ".tmp.xlsx")
    demo_data.write_xlsx(df, tmp, engine="fast")
    tmp.replace(export)
    agent_rows = demo_roster_rows(demo_data.agent_roster(names, agents, seed, month="2026-03"))
    roster.write_bytes(template_bytes("zh", agent_rows))
    meta = {
        "export": str(export),
        "roster": str(roster),
        "rows": rows,
        "teams": teams,
        "agents": agents,
        "seed": seed,
        "generator": fingerprint,
        "bytes": export.stat().st_size,
        "expected_rows": demo_data.expected_rows(rows, True),
    }
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return meta


def team_roster(meta: dict, team: str, target: Path) -> Path:
    """The roster of `ensure_team_export`'s sidecar `meta` with only `team`'s agents (to
    build that team's plan alone)."""
    import csxl.demo_data as demo_data
    from csxl.roster import demo_roster_rows, template_bytes

    agents = demo_data.agent_roster(
        team_names(meta["teams"]), meta["agents"], meta["seed"], month="2026-03"
    )
    rows = [r for r in demo_roster_rows(agents) if r["team"] == team]
    target.write_bytes(template_bytes("zh", rows))
    return target


def _run_measured(cmd: list[str]) -> dict:
    return run_measured(cmd, last=True)


def _report_seconds(folder: Path) -> tuple[int, float]:
    """(teams written, their summed seconds) from batch-report.xlsx."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(folder / "batch-report.xlsx"))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()[1:]
    done = [r for r in rows if r[0] and r[2] == "已生成"]
    return len(done), sum(float(r[3]) for r in done)


def _fmt(x: float | None, digits: int = 1) -> str:
    return "n/a" if x is None else f"{x:,.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--naive-teams", type=int, default=20, help="extrapolated to --teams")
    parser.add_argument("--agents", type=int, default=8, help="agents per team")
    parser.add_argument("--repeat", type=int, default=1, help="best of N for batch")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    naive_teams = max(1, min(args.naive_teams, args.teams))

    work = Path(tempfile.mkdtemp(prefix="csxl-bench-batch-"))
    try:
        roster = work / "roster.xlsx"
        make_roster(roster, args.teams, args.agents)
        batches = []
        for i in range(max(1, args.repeat)):
            out = work / f"batch{i}"
            print(f"run {i + 1}: csxl batch, {args.teams} teams ...", file=sys.stderr)
            cmd = [sys.executable, "-m", "csxl", "batch", str(roster), "--out", str(out)]
            result = _run_measured([*cmd, "--year", str(YEAR)])
            if result["returncode"] != 0:
                print(f"csxl batch failed: {result['stderr_tail']}", file=sys.stderr)
                return 1
            result["written"], result["team_s"] = _report_seconds(out)
            batches.append(result)
        batch = min(batches, key=lambda r: r["seconds"])
        if batch["written"] != args.teams:
            print(f"csxl batch wrote {batch['written']} of {args.teams} teams", file=sys.stderr)
            return 1

        print(f"naive: building {naive_teams} plans from scratch ...", file=sys.stderr)
        here = str(Path(__file__).resolve())
        naive = _run_measured(
            [sys.executable, here, "_naive", str(roster), str(work / "naive"), str(naive_teams)]
        )
        if naive["returncode"] != 0:
            print(f"naive failed: {naive['stderr_tail']}", file=sys.stderr)
            return 1
        loop_s = json.loads(naive["stdout_last"])["loop_s"]
        fixed_s = naive["seconds"] - loop_s  # start-up, imports, roster
        naive_s = fixed_s + loop_s * args.teams / naive_teams
        extrapolated = naive_teams != args.teams
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print()
    print(
        f"csxl batch benchmark: {args.teams} teams x {args.agents} agents, "
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f}, batch best of {max(1, args.repeat)}"
    )
    naive_note = (
        f"EXTRAPOLATED from {naive_teams} teams measured in {naive['seconds']:.1f} s "
        f"({fixed_s:.1f} s start-up and roster counted once); peak RSS at {naive_teams} teams"
        if extrapolated
        else "measured"
    )
    rows = [
        (
            "csxl batch (template once, patched copies)",
            batch["seconds"],
            batch["peak_mb"],
            batch["team_s"] / args.teams * 1000,
            "measured, whole command",
        ),
        (
            "naive: new_plan per team (openpyxl build)",
            naive_s,
            naive["peak_mb"],
            loop_s / naive_teams * 1000,
            naive_note,
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'method':<{width}}  {'seconds':>8}  {'peak RSS MB':>11}  {'ms/book':>7}  note")
    for name, secs, mb, ms, note in rows:
        print(f"{name:<{width}}  {_fmt(secs, 2):>8}  {_fmt(mb, 0):>11}  {_fmt(ms):>7}  {note}")
    print()
    label = " (naive EXTRAPOLATED)" if extrapolated else ""
    ratio = naive_s / batch["seconds"]
    per_book = (loop_s / naive_teams) / (batch["team_s"] / args.teams)
    print(f"naive / batch, whole command = {ratio:6.1f}   target >= {TARGET:g}{label}")
    print(f"naive / batch, per workbook  = {per_book:6.1f}   (after the one-off template build)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_naive":
        sys.exit(_naive(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    sys.exit(main())
