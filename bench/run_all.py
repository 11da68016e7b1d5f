"""Run every scale benchmark at the given row counts and write the table of docs/performance.md.

    python bench/run_all.py [--rows 200000 1000000] [--repeat N] [--no-write] [--only kpi,import]

Each figure is a command timed in a process of its own (bench/measure.py: wall time, and
peak RSS from RUSAGE_CHILDREN) against a baseline measured in the same run on the same
file; the ratios are what issue 19 sets targets for:

  kpi      `csxl kpi EXPORT --by all,team,agent --json` on the dirty export (title rows,
           20% text dates ...) / a bare fastexcel read of it              time <= 1.3
  import   `csxl import NEW-PLAN EXPORT --source 千牛` / `csxl kpi EXPORT --by all,agent`
           on the same plain export                          time <= 2, peak memory <= 1.5
  refresh  `csxl refresh PLAN --month 2026-03` of a plan whose Data sheet holds the rows /
           `csxl kpi PLAN --by all,agent`                                 time <= 1.3
  memory   the peak RSS of `csxl import` (the import figure's run), `csxl refresh` (the
           refresh figure's), `csxl score` and `csxl validate` of the plan holding the rows,
           each against 3 GB (an 8 GB laptop)                             peak <= 3,072 MB
  batch    `csxl batch ROSTER --out DIR --data EXPORT` for 200 teams from an export of the
           largest --rows only (bench_batch.ensure_team_export) / each team alone (`csxl
           batch` of a one-team roster and the same export), measured for ALONE_TEAMS teams
           and extrapolated to 200; the pool's peak memory (all its processes together,
           bench/measure.py --tree)                                       reported, no target

Before a figure is timed, its command is run once untimed and its result checked against
the engine's: kpi's row counts (read, valid, rejected, duplicates) against the generator's
and the floor's row count against the rows generated; the imported plan's KPIs (`csxl kpi`
of it) against those of the export; refresh's Scores (ticket count per agent) against
`csxl kpi PLAN --by agent`, and its Data part left byte for byte. A failed check is written
in the table instead of the ratio. score is checked as refresh is, validate's row counts
(read, valid, rejected, duplicates) against the generator's. The batch is too long to run
twice, so its timed run is the one checked, afterwards: every team refreshed, and for the
teams also built alone, the same Scores (ticket count per agent) both ways, equal to `csxl kpi
EXPORT --by agent`'s. Nothing is asserted on speed: the machine is shared and noisy, so the
table says what one run measured (and the load average around it).

Children run with csxl's bytecode cached (PYTHONPYCACHEPREFIX=bench/out/pycache, compiled
before the first figure): an installed csxl (pip, the exe) never compiles its sources at
start-up, and a checkout run with PYTHONDONTWRITEBYTECODE=1 would, about 0.1 s for kpi and
more for refresh, in the command's time and not in the baseline's.

The exports and plans are generated once and cached in bench/out/ (gen_export.py,
plan_fixture.py). The table goes between the markers in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench_batch import ensure_team_export, team_names, team_roster  # beside this script
from measure import run_measured  # bench/measure.py, beside this script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
WORK = OUT / "run_all"
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- run_all.py: table begin -->", "<!-- run_all.py: table end -->"
MONTH = "2026-03"
BUDGET_MB = 3072  # issue 19: each command on a 1M-row plan within 3 GB (an 8 GB laptop)
BATCH_TEAMS = 200
ALONE_TEAMS = 2  # teams built alone, measured; their mean is extrapolated to BATCH_TEAMS
OK_CODES = (0, 1)  # 1: done, with rows rejected (the dirty exports have some)
FLOOR_CODE = (
    "import sys, fastexcel\n"
    "t = fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=int(sys.argv[2])).to_arrow()\n"
    "print(t.num_rows)\n"
)


@dataclass
class Figure:
    name: str
    rows: int
    result: dict | None  # measure.py's JSON
    baseline_name: str
    baseline: dict | None
    time_target: float | None  # None: no time target (a budget, or reported only)
    memory_target: float | None = None
    check: str = ""  # "" when the results equal the engine's, else what differs
    budget_mb: float | None = None  # an absolute peak memory target

    def ratio(self) -> float | None:
        if not (_ok(self.result) and _ok(self.baseline)):
            return None
        return self.result["seconds"] / self.baseline["seconds"]

    def memory_ratio(self) -> float | None:
        if not (_ok(self.result) and _ok(self.baseline)):
            return None
        return self.result["peak_mb"] / self.baseline["peak_mb"]

    def target(self) -> str:
        parts = []
        if self.time_target is not None:
            parts.append(f"time <= {self.time_target:g}x")
        if self.memory_target is not None:
            parts.append(f"memory <= {self.memory_target:g}x")
        if self.budget_mb is not None:
            parts.append(f"peak <= {self.budget_mb:,.0f} MB")
        return ", ".join(parts) or "none (reported)"

    def verdict(self) -> str:
        if self.check:
            return f"NOT RATED: {self.check}"
        if not _ok(self.result):
            return "FAILED: " + _why(self.result)
        if self.baseline is not None and self.ratio() is None:
            return "FAILED: " + _why(self.baseline)
        missed = []
        if self.time_target is not None and self.ratio() > self.time_target:
            missed.append(f"time {self.ratio():.2f}x > {self.time_target:g}x")
        if self.memory_target and self.memory_ratio() > self.memory_target:
            missed.append(f"memory {self.memory_ratio():.2f}x > {self.memory_target:g}x")
        if self.budget_mb is not None and self.result["peak_mb"] > self.budget_mb:
            missed.append(f"peak {self.result['peak_mb']:,.0f} MB > {self.budget_mb:,.0f} MB")
        if missed:
            return "target MISSED: " + ", ".join(missed)
        return "met" if self.target() != "none (reported)" else "reported"


def _ok(result: dict | None) -> bool:
    return bool(result) and result["returncode"] in OK_CODES and not result["traceback"]


def _why(result: dict | None) -> str:
    if not result:
        return "not run"
    tail = result["stderr_tail"][-1] if result["stderr_tail"] else ""
    return f"exit {result['returncode']} {tail}"[:120]


# ----------------------------------------------------------------------------- running


def _env() -> dict[str, str]:
    """Children import csxl from this checkout, whatever the editable install points at, with
    its bytecode cached in bench/out/pycache (see the module's docstring)."""
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else "")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return env


def _compile() -> None:
    _run([*_py(), "-m", "compileall", "-q", str(REPO / "csxl")], check=True)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=REPO, env=_env(), **kwargs)


def _measured(
    cmd: list[str], stdout: Path | None = None, best_of: int = 1, tree: bool = False
) -> dict:
    runs = [run_measured(cmd, stdout, run=_run, tree=tree) for _ in range(max(1, best_of))]
    good = [r for r in runs if _ok(r)]
    return min(good, key=lambda r: r["seconds"]) if good else runs[-1]


def _json(cmd: list[str]) -> dict | None:
    done = _run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in OK_CODES:
        return None
    try:
        return json.loads(done.stdout)
    except ValueError:
        return None


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _warm(path: str | Path) -> None:
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def _py() -> list[str]:
    return [sys.executable]


def _kpi(path: str | Path, by: str = "all,agent") -> list[str]:
    return [*_py(), "-m", "csxl", "kpi", str(path), "--by", by, "--json"]


# ----------------------------------------------------------------------------- benchmarks


def bench_kpi(rows: int, repeat: int) -> Figure:
    meta = json.loads(
        _run(
            [*_py(), str(HERE / "gen_export.py"), "--rows", str(rows), "--json"],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )
    path, header_row = meta["path"], str(meta["header_row"])
    _warm(path)
    floor_cmd = [*_py(), "-c", FLOOR_CODE, path, header_row]
    kpi_cmd = _kpi(path, "all,team,agent")
    check = ""
    read = _run(floor_cmd, capture_output=True, text=True, check=False).stdout.strip()
    if read != str(rows):
        check = f"the floor read {read or 'nothing'} rows, not {rows}"
    doc = _json(kpi_cmd)
    if doc is None:
        check = check or "csxl kpi failed"
    elif doc["rows"] != meta["expected_rows"]:
        check = f"kpi rows {doc['rows']} != generator {meta['expected_rows']}"
    _say(f"kpi {rows:,}: timing ...")
    floor = _measured(floor_cmd, best_of=repeat)
    kpi = _measured(kpi_cmd, best_of=repeat)
    return Figure(
        "`csxl kpi` of the dirty export",
        rows,
        kpi,
        "bare fastexcel read",
        floor,
        1.3,
        check=check,
    )


def _fixture(rows: int) -> dict:
    done = _run(
        [*_py(), str(HERE / "plan_fixture.py"), "--rows", str(rows), "--json"],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def _new_plan(target: Path) -> Path:
    code = (
        "import sys\nfrom csxl.workbook.book import PlanInputs\n"
        "from csxl.workbook.builder import new_plan\n"
        "new_plan(sys.argv[1], PlanInputs(lang='zh'))\n"
    )
    target.unlink(missing_ok=True)
    shutil.rmtree(target.parent / "csxl-backups", ignore_errors=True)
    _run([*_py(), "-c", code, str(target)], check=True)
    return target


def _ticket_kpis(doc: dict) -> dict:
    """The ticket KPIs of a `csxl kpi --json` document (a plan's also has order KPIs)."""
    return {
        "rows": doc.get("rows"),
        "period": doc.get("period"),
        "groups": [
            {**g, "kpis": {k: v for k, v in g["kpis"].items() if not k.startswith("customer")}}
            for g in doc.get("groups", [])
        ],
        "top_tags": doc.get("top_tags"),
    }


def _same_ticket_kpis(a: dict | None, b: dict | None) -> str:
    if a is None or b is None:
        return "csxl kpi failed"
    a, b = _ticket_kpis(a), _ticket_kpis(b)
    kpis = {k for g in b["groups"] for k in g["kpis"]}
    for doc in (a, b):
        for g in doc["groups"]:
            g["kpis"] = {k: v for k, v in g["kpis"].items() if k in kpis}
    differ = [k for k in a if a[k] != b[k]]
    return f"KPIs differ in {', '.join(differ)}" if differ else ""


def bench_import(rows: int, repeat: int) -> Figure:
    meta = _fixture(rows)
    export = meta["export"]
    _warm(export)
    WORK.mkdir(parents=True, exist_ok=True)
    plan = _new_plan(WORK / "import_check.xlsx")
    cmd = [*_py(), "-m", "csxl", "import", str(plan), export, "--source", "千牛"]
    done = _run(cmd, capture_output=True, text=True, check=False)
    check = "" if done.returncode in OK_CODES else f"import failed: {done.stderr[-200:]}"
    if not check:
        check = _same_ticket_kpis(_json(_kpi(plan)), _json(_kpi(export)))
    _say(f"import {rows:,}: timing ...")
    baseline = _measured(_kpi(export), best_of=repeat)
    results = []
    for _ in range(max(1, repeat)):
        plan = _new_plan(WORK / "import_timed.xlsx")
        _warm(plan)
        results.append(
            _measured([*_py(), "-m", "csxl", "import", str(plan), export, "--source", "千牛"])
        )
    good = [r for r in results if _ok(r)]
    result = min(good, key=lambda r: r["seconds"]) if good else results[-1]
    MEASURED[("import", rows)] = (result, check)
    return Figure(
        "`csxl import` of the export into a new plan",
        rows,
        result,
        "`csxl kpi` of the export",
        baseline,
        2.0,
        1.5,
        check,
    )


def _scores(path: Path) -> dict[str, int] | None:
    """Agent -> ticket count on the refreshed plan's Scores sheet, as csxl reads it back."""
    code = (
        "import json, sys\n"
        "from csxl.workbook.port import PackageBook\n"
        "from csxl.workbook.plan_reader import read_plan\n"
        "book = PackageBook(sys.argv[1], lock=False)\n"
        "state = read_plan(book)\n"
        "rows = {a.agent: a.tickets for a in state.agents if a.agent}\n"
        "print(json.dumps(rows, ensure_ascii=False))\n"
    )
    done = _run([*_py(), "-c", code, str(path)], capture_output=True, text=True, check=False)
    try:
        return json.loads(done.stdout.splitlines()[-1])
    except (ValueError, IndexError):
        return None


def _agent_tickets(path: str | Path) -> dict[str, int] | None:
    """Agent -> ticket count, as `csxl kpi PATH --by agent` computes it."""
    doc = _json(_kpi(path, "agent"))
    if doc is None:
        return None
    return {
        g["key"]: g["kpis"]["tickets"]
        for g in doc["groups"]
        if g.get("by") == "agent" and isinstance(g["key"], str)
    }


def _scores_check(refreshed: Path, data: str | Path) -> str:
    """ "" when the refreshed plan's Scores hold `csxl kpi DATA --by agent`'s ticket counts."""
    scores, want = _scores(refreshed), _agent_tickets(data)
    if scores is None or want is None:
        return "cannot read Scores or kpi"
    if {k: v for k, v in scores.items() if k in want} != want:
        return "Scores' ticket counts differ from csxl kpi --by agent"
    return ""


def _data_span(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
        return (info.CRC, info.compress_size, info.file_size).__repr__().encode()


def bench_refresh(rows: int, repeat: int) -> Figure:
    meta = _fixture(rows)
    plan = meta["plan"]
    _warm(plan)
    WORK.mkdir(parents=True, exist_ok=True)
    copy = WORK / "refresh_check.xlsx"
    shutil.copyfile(plan, copy)
    cmd = [*_py(), "-m", "csxl", "refresh", str(copy), "--month", MONTH]
    done = _run(cmd, capture_output=True, text=True, check=False)
    check = "" if done.returncode in OK_CODES else f"refresh failed: {done.stderr[-200:]}"
    if not check and _data_span(copy, meta["data_part"]) != _data_span(
        Path(plan), meta["data_part"]
    ):
        check = "refresh rewrote the Data part"
    check = check or _scores_check(copy, plan)
    _say(f"refresh {rows:,}: timing ...")
    baseline = _measured(_kpi(plan), best_of=repeat)
    results = []
    for i in range(max(1, repeat)):
        copy = WORK / f"refresh_timed{i}.xlsx"
        shutil.copyfile(plan, copy)
        _warm(copy)
        results.append(_measured([*_py(), "-m", "csxl", "refresh", str(copy), "--month", MONTH]))
    good = [r for r in results if _ok(r)]
    result = min(good, key=lambda r: r["seconds"]) if good else results[-1]
    MEASURED[("refresh", rows)] = (result, check)
    return Figure(
        "`csxl refresh` of a plan holding the rows",
        rows,
        result,
        "`csxl kpi` of the plan",
        baseline,
        1.3,
        check=check,
    )


MEASURED: dict[tuple[str, int], tuple[dict, str]] = {}  # (figure, rows) -> (result, check)


def _memory_figure(what: str, rows: int, result: dict | None, check: str) -> Figure:
    return Figure(
        f"{what}: peak memory",
        rows,
        result,
        "3 GB budget (8 GB laptop)",
        None,
        None,
        check=check,
        budget_mb=BUDGET_MB,
    )


_VALIDATE_COUNTS = re.compile(r"读取 (\d+) 行：有效 (\d+)，拒绝 (\d+)，重复 (\d+)")


def bench_memory(rows: int, repeat: int) -> list[Figure]:
    """Peak memory of import, refresh, score and validate on N rows (one run each; import's
    and refresh's are their figures' when those ran at these rows)."""
    meta = _fixture(rows)
    plan = meta["plan"]
    WORK.mkdir(parents=True, exist_ok=True)
    figures = []
    if ("import", rows) not in MEASURED:
        bench_import(rows, 1)
    figures.append(_memory_figure("`csxl import`", rows, *MEASURED[("import", rows)]))
    if ("refresh", rows) not in MEASURED:
        bench_refresh(rows, 1)
    figures.append(_memory_figure("`csxl refresh`", rows, *MEASURED[("refresh", rows)]))

    _say(f"memory {rows:,}: score and validate ...")
    refreshed = WORK / "score.xlsx"
    shutil.copyfile(plan, refreshed)
    cmd = [*_py(), "-m", "csxl", "refresh", str(refreshed), "--month", MONTH]
    done = _run(cmd, capture_output=True, check=False)
    check = "" if done.returncode in OK_CODES else "refresh before score failed"
    _warm(refreshed)
    result = _measured([*_py(), "-m", "csxl", "score", str(refreshed)])
    check = check or _scores_check(refreshed, plan)
    figures.append(_memory_figure("`csxl score`", rows, result, check))

    checked = WORK / "validate.xlsx"
    shutil.copyfile(plan, checked)
    _warm(checked)
    out = WORK / "validate.out"
    result = _measured([*_py(), "-m", "csxl", "validate", str(checked)], stdout=out)
    check = ""
    counts = _VALIDATE_COUNTS.search(out.read_text(encoding="utf-8", errors="replace"))
    want = meta["expected_rows"]
    got = tuple(int(c) for c in counts.groups()) if counts else None
    if got != (want["read"], want["valid"], want["rejected"], want["duplicates"]):
        check = f"validate counted {got}, the generator {tuple(want.values())}"
    figures.append(_memory_figure("`csxl validate`", rows, result, check))
    return figures


def _batch_statuses(folder: Path) -> dict[str, str] | None:
    code = (
        "import json, sys\n"
        "from python_calamine import CalamineWorkbook\n"
        "book = CalamineWorkbook.from_path(sys.argv[1])\n"
        "rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()[1:]\n"
        "print(json.dumps({r[0]: r[2] for r in rows if r[0]}, ensure_ascii=False))\n"
    )
    report = folder / "batch-report.xlsx"
    done = _run([*_py(), "-c", code, str(report)], capture_output=True, text=True, check=False)
    try:
        return json.loads(done.stdout.splitlines()[-1])
    except (ValueError, IndexError):
        return None


def bench_batch(rows: int, teams: int = BATCH_TEAMS, largest: bool = True) -> list[Figure]:
    """200 teams' plans from one export, against building each team alone (extrapolated)."""
    if not largest:
        return []
    meta = ensure_team_export(rows, teams)
    export, roster = meta["export"], meta["roster"]
    _warm(export)
    WORK.mkdir(parents=True, exist_ok=True)
    _say(f"batch {rows:,}: {teams} teams, one run (several minutes) ...")
    out = WORK / "batch"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*_py(), "-m", "csxl", "batch", roster, "--out", str(out), "--data", export]
    result = _measured([*cmd, "--year", "2026"], tree=True)
    alone, check = [], ""
    statuses = _batch_statuses(out)
    if statuses is None or len(statuses) != teams:
        check = f"the batch report lists {len(statuses or ())} teams, not {teams}"
    elif set(statuses.values()) != {"已生成并刷新"}:
        check = f"not every team was refreshed: {sorted(set(statuses.values()))}"
    names = team_names(teams)
    want = _agent_tickets(export)
    for team in (names[0], names[-1])[:ALONE_TEAMS]:
        _say(f"batch {rows:,}: {team} alone ...")
        folder = WORK / f"alone_{team}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        one = team_roster(meta, team, folder / "roster.xlsx")
        cmd = [*_py(), "-m", "csxl", "batch", str(one), "--out", str(folder / "out")]
        alone.append(_measured([*cmd, "--data", export, "--year", "2026"], tree=True))
        if check:
            continue
        together, apart = _scores(out / f"{team}.xlsx"), _scores(folder / "out" / f"{team}.xlsx")
        if together is None or together != apart:
            check = f"{team}'s Scores differ between the batch and the team alone"
        elif want is None or any(want.get(agent) != n for agent, n in together.items()):
            check = f"{team}'s Scores differ from csxl kpi --by agent"
    good = [r for r in alone if _ok(r)]
    baseline = None
    if good:
        per_team = sum(r["seconds"] for r in good) / len(good)
        baseline = {
            **good[0],
            "seconds": per_team * teams,
            "peak_mb": max(r.get("tree_peak_mb", r["peak_mb"]) for r in good),
        }
    elif alone:
        baseline = alone[-1]
    if _ok(result):
        result = {**result, "peak_mb": result.get("tree_peak_mb", result["peak_mb"])}
    return [
        Figure(
            f"`csxl batch --data`, {teams} teams (peak: the whole pool)",
            rows,
            result,
            f"each team alone ({len(good)} measured, x{teams / max(1, len(good)):g})",
            baseline,
            None,
        )
    ]


BENCHES = {
    "kpi": bench_kpi,
    "import": bench_import,
    "refresh": bench_refresh,
    "memory": bench_memory,
    "batch": bench_batch,
}


# ----------------------------------------------------------------------------- the table


def _fmt(x: float | None, spec: str) -> str:
    return "n/a" if x is None else format(x, spec)


def table(figures: list[Figure]) -> str:
    head = (
        "| figure | rows | seconds | peak MB | baseline | baseline s | baseline MB "
        "| time ratio | memory ratio | target | verdict |\n"
        "|---|--:|--:|--:|---|--:|--:|--:|--:|---|---|\n"
    )
    lines = []
    for f in figures:
        r, b = f.result or {}, f.baseline or {}
        target = f.target()
        lines.append(
            f"| {f.name} | {f.rows:,} | {_fmt(r.get('seconds'), '.1f')} "
            f"| {_fmt(r.get('peak_mb'), ',.0f')} | {f.baseline_name} "
            f"| {_fmt(b.get('seconds'), '.1f')} | {_fmt(b.get('peak_mb'), ',.0f')} "
            f"| {_fmt(f.ratio(), '.2f')} | {_fmt(f.memory_ratio(), '.2f')} | {target} "
            f"| {f.verdict()} |"
        )
    return head + "\n".join(lines) + "\n"


def write_doc(text: str, path: Path = DOC) -> None:
    """Put the table between the markers of the doc (a doc without them gets them)."""
    block = f"{BEGIN}\n{text}{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200_000])
    parser.add_argument(
        "--repeat",
        type=int,
        default=0,
        help="best of N for each command (default: 3 below 500,000 rows, else 1)",
    )
    parser.add_argument("--only", default=",".join(BENCHES), help="comma list of benchmarks")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    parser.add_argument(
        "--teams", type=int, default=BATCH_TEAMS, help=f"teams of the batch (default {BATCH_TEAMS})"
    )
    args = parser.parse_args(argv)
    wanted = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = [b for b in wanted if b not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    load = os.getloadavg()
    _compile()
    figures = []
    repeats = {rows: args.repeat or (3 if rows < 500_000 else 1) for rows in args.rows}
    for rows in args.rows:
        for name in wanted:
            if name == "batch":
                got = bench_batch(rows, args.teams, largest=rows == max(args.rows))
            else:
                got = BENCHES[name](rows, repeats[rows])
            got = got if isinstance(got, list) else [got]
            figures += got
            for line in table(got).splitlines()[2:]:
                _say(line)
    end = os.getloadavg()
    text = (
        f"Measured by `python bench/run_all.py --rows {' '.join(map(str, args.rows))}` "
        f"(best of {', '.join(f'{n} at {r:,} rows' for r, n in repeats.items())}) on python "
        f"{platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start and {end[0]:.2f} at "
        f"end; peak MB is the peak RSS of the command's process.\n\n" + table(figures)
    )
    print(text)
    if not args.no_write:
        write_doc(text)
        _say(f"written to {DOC}")
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
