"""`csxl batch`: one plan workbook per team of a roster, fast, and safe to re-run.

How a workbook is made: the plan is built once per run (`builder.build`) with a placeholder
team name, and each team's copy is specialised by rewriting only the parts that differ:
the sheets whose title holds the team name, and with target overrides the Goals and
Dashboard cells that depend on targets (inputs, SMART text, monthly and quarter targets and
their cached values), the Goals cascade rows and the roster's active customers (Settings).
Every other part is copied raw (`zipsplice`). The result is cell for cell what
`build(PlanInputs(team=..., targets=..., cascade=..., active_customers=...))` writes,
values, formulas and cached values (tests/test_batch.py proves it), at a few milliseconds
a team instead of about a second.

With `--data`, each team's rows of the export are pasted into its Data sheet and the plan
is refreshed: that is real work (pandas, KPIs, a render), so it runs in a process pool.

Re-running is safe. `csxl-batch.json` beside the workbooks records, per team, the file, a
fingerprint of its inputs (roster targets, cascade and active customers, plan year and
language, csxl and template versions, the export's digest) and the SHA-256 of the bytes
written. A team whose inputs are unchanged and whose file still has those bytes is
skipped; a file whose bytes differ was edited (by a manager, or by Excel saving it) and is
never overwritten unless `--force`, which keeps a copy in `csxl-backups/` first. A sidecar
is used rather than a property inside the workbook because a file cannot carry the digest
of its own bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, astuple, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, unescape

from csxl.errors import LANGUAGE, CsxlError, InputError, Location, language, t
from csxl.roster import Roster, Team, read_roster

if TYPE_CHECKING:
    import pandas as pd

    from csxl.domain.people import Member
    from csxl.domain.scoring import Target
    from csxl.workbook.book import Override

MANIFEST = "csxl-batch.json"
REPORT = "batch-report.xlsx"
WORK_DIR = ".csxl-work"
PLACEHOLDER = "CSXLTEAMPLACEHOLDER7F3A"  # the team name the template is built with

# Statuses (stable keys) and how they are shown.
WRITTEN, REFRESHED, UP_TO_DATE, EDITED, NO_DATA, FAILED = (
    "written",
    "refreshed",
    "up to date",
    "edited",
    "no data",
    "failed",
)
NEEDS_A_LOOK = (EDITED, NO_DATA, FAILED)
REFRESH_NOTE = {
    "zh": {
        "agents": "{month}：{n} 名客服",
        "rejected": "，{n} 行被拒（见“错误”表）",
        "edited": "生成后已被修改，未覆盖（覆盖请加 --force）",
        "old": "；模板版本 {old}，当前 {new}：请运行 csxl upgrade",
        "no_data": "导出中没有本团队的数据，未刷新",
        "backup": "备份：{name}",
    },
    "en": {
        "agents": "{month}: {n} agents",
        "rejected": ", {n} rows rejected (see Errors)",
        "edited": "changed since csxl wrote it; not overwritten (use --force)",
        "old": "; template version {old}, current {new}: run csxl upgrade",
        "no_data": "no rows of this team in the export; not refreshed",
        "backup": "backup: {name}",
    },
}
STATUS_LABELS = {
    "zh": {
        WRITTEN: "已生成",
        REFRESHED: "已生成并刷新",
        UP_TO_DATE: "已是最新",
        EDITED: "已被修改，未覆盖",
        NO_DATA: "无数据",
        FAILED: "失败",
    },
    "en": {
        WRITTEN: "written",
        REFRESHED: "written and refreshed",
        UP_TO_DATE: "up to date",
        EDITED: "edited, kept",
        NO_DATA: "no data",
        FAILED: "failed",
    },
}

# ------------------------------------------------------------------ Windows-safe names
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")
}
STEM_MAX = 80  # UTF-16 code units: leaves room for the folder in Windows' 260-unit paths
SUFFIX = ".xlsx"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _truncate(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def _strip_end(text: str) -> str:
    return text.rstrip(". ")


def safe_stem(team: str) -> str:
    """A file name stem Windows accepts for `team`, Chinese kept: forbidden characters become
    `_`, no trailing dot or space, no reserved device name, at most STEM_MAX UTF-16 units."""
    stem = unicodedata.normalize("NFC", team)
    stem = _FORBIDDEN.sub("_", stem)
    stem = " ".join(stem.split())  # no tabs or newlines, single spaces
    stem = _strip_end(stem).lstrip(" ")
    if not stem or set(stem) <= {"."}:
        stem = "team"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return _strip_end(_truncate(stem, STEM_MAX)) or "team"


def file_names(teams: Sequence[str], recorded: dict[str, str] | None = None) -> dict[str, str]:
    """A unique, Windows-safe .xlsx name per team (case-insensitive, as Windows compares).

    A team keeps the name recorded in an earlier run when that name is still free, so that
    re-running never renames a manager's file.
    """
    recorded = recorded or {}
    out: dict[str, str] = {}
    used: set[str] = set()
    for team in teams:
        name = recorded.get(team)
        if name and name.casefold() not in used and name == _valid(name):
            out[team] = name
            used.add(name.casefold())
    for team in teams:
        if team in out:
            continue
        stem = safe_stem(team)
        name, n = stem + SUFFIX, 1
        while name.casefold() in used:
            n += 1
            tail = f" ({n})"
            name = _strip_end(_truncate(stem, STEM_MAX - len(tail))) + tail + SUFFIX
        out[team] = name
        used.add(name.casefold())
    return out


def _valid(name: str) -> str:
    """`name` itself when it is a safe file name csxl could have made, else ''."""
    if not name.endswith(SUFFIX):
        return ""
    stem = name[: -len(SUFFIX)]
    ok = (
        stem
        and not _FORBIDDEN.search(stem)
        and stem == _strip_end(stem)
        and _utf16_len(stem) <= STEM_MAX
        and stem.split(".")[0].rstrip(" ").upper() not in _RESERVED
    )
    return name if ok else ""


# ------------------------------------------------------------------ the template
_FORMULA = re.compile(rb'<c r="(?P<ref>[A-Z]+[0-9]+)"[^>]*>\s*<f>(?P<text>[^<]*)</f>')


def _formulas(sheet_xml: bytes) -> dict[str, str]:
    """Address -> formula text (with '=') of every plain formula cell of a sheet part."""
    return {
        m["ref"].decode(): "=" + unescape(m["text"].decode("utf-8"))
        for m in _FORMULA.finditer(sheet_xml)
    }


def as_written(value: object) -> object:
    """A number typed into a cell as openpyxl stores it (16 significant digits, "%.16g"):
    what `build` writes for an input; cached formula values keep full precision."""
    if isinstance(value, float) and not isinstance(value, bool):
        return float(f"{value:.16g}")
    return value


class Template:
    """A plan built once, specialised per team by patching only the parts that differ."""

    def __init__(self, lang: str, year: int, today: date) -> None:
        from csxl.domain.scoring import DEFAULT_TARGETS
        from csxl.workbook import layout
        from csxl.workbook.book import PlanInputs
        from csxl.workbook.builder import build
        from csxl.workbook.package import sheet_parts

        self.lang, self.year, self.today = lang, year, today
        self.defaults = DEFAULT_TARGETS
        self.data = build(PlanInputs(lang=lang, team=PLACEHOLDER, year=year, today=today))
        with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
            self.files = {n: zf.read(n) for n in zf.namelist()}
        parts = sheet_parts(self.files)
        self.goals = parts[layout.title("Goals", lang)]
        self.dashboard = parts[layout.title("Dashboard", lang)]
        self.settings = parts[layout.title("Settings", lang)]
        self.parts = parts
        marker = PLACEHOLDER.encode()
        self.named = [n for n, data in self.files.items() if marker in data]
        self.formulas = {
            self.goals: _formulas(self.files[self.goals]),
            self.dashboard: _formulas(self.files[self.dashboard]),
        }

    def specialise(
        self,
        team: str,
        targets: Sequence[Target] | None = None,
        cascade: Iterable[Override] = (),
        active_customers: float | None = None,
        members: Sequence[Member] = (),
        aliases: Sequence[tuple[str, str, str]] = (),
    ) -> bytes:
        """The package of `build(PlanInputs(lang, team, year, today, active_customers,
        targets, cascade, team_inputs=TeamInputs(members), aliases))`: `roster_rows` gives
        a roster team's members, aliases and cascade rows."""
        from csxl.workbook import sheetxml, zipsplice
        from csxl.workbook.layout import Settings as St

        if not team or team != " ".join(team.split()):
            raise ValueError(
                t(
                    "团队名称须是一行文字，首尾没有空格",
                    "a team name is one line of text without leading/trailing spaces",
                )
            )
        name = escape(team).encode("utf-8")
        parts = {n: self.files[n].replace(PLACEHOLDER.encode(), name) for n in self.named}
        cells = self._target_cells(tuple(targets or self.defaults))
        goals = cells.pop("Goals")
        goals.update(self._cascade_cells(list(cascade), tuple(targets or self.defaults)))
        # Settings' active customers: an input no formula of the plan caches a value of.
        settings = {}
        if active_customers is not None:
            settings[(St.ROW_ACTIVE_CUSTOMERS, St.VALUE_COL)] = as_written(active_customers)
        for part, patch in (
            (self.goals, goals),
            (self.dashboard, cells["Dashboard"]),
            (self.settings, settings),
            *self._roster_cells(members, aliases),
        ):
            if patch:
                parts[part] = sheetxml.patch(parts.get(part, self.files[part]), patch)
        parts["xl/workbook.xml"] = self._print_areas(parts)
        out = io.BytesIO()
        zipsplice.splice(io.BytesIO(self.data), out, parts)
        return out.getvalue()

    def _print_areas(self, parts: dict[str, bytes]) -> bytes:
        """The template's workbook.xml with the print areas of the patched sheets."""
        from csxl.readers.limits import sheet_parts
        from csxl.workbook import layout, printing

        def read(name: str) -> bytes | None:
            return parts.get(name, self.files.get(name))

        workbook = parts.get("xl/workbook.xml", self.files["xl/workbook.xml"])
        sheets = sheet_parts({**self.files, "xl/workbook.xml": workbook})
        paste = frozenset(layout.title(key, self.lang) for key in layout.PASTE_AREAS)
        areas = printing.print_areas(sheets, read, read, paste, only=set(parts))
        return printing.with_print_areas(workbook, areas)

    def _target_cells(self, targets: tuple[Target, ...]) -> dict[str, dict]:
        """Cells of Goals and Dashboard that follow a KPI's targets, for changed KPIs."""
        from csxl.domain.catalog import CATALOG
        from csxl.workbook.layout import Dashboard as D
        from csxl.workbook.layout import Goals as G
        from csxl.workbook.layout import col
        from csxl.workbook.sheets.dashboard import as_shown
        from csxl.workbook.sheets.goals import smart_text
        from csxl.workbook.sheetxml import Formula

        if len(targets) != len(self.defaults) or any(
            (t.key, t.direction, t.unit, t.scored_for) != (d.key, d.direction, d.unit, d.scored_for)
            for t, d in zip(targets, self.defaults, strict=True)
        ):
            raise ValueError("batch overrides weights and targets only: same KPIs, same order")
        goals: dict[tuple[int, int], object] = {}
        dash: dict[tuple[int, int], object] = {}
        gf, df = self.formulas[self.goals], self.formulas[self.dashboard]
        for i, (tg, d) in enumerate(zip(targets[: G.KPI_ROWS], self.defaults, strict=False)):
            if tg == d:
                continue
            r = G.FIRST_ROW + i
            for c, value in (
                (G.WEIGHT, tg.weight),
                (G.BASELINE, tg.baseline),
                (G.STRETCH, tg.stretch),
                (G.CHALLENGE, tg.challenge),
            ):
                goals[(r, c)] = as_written(value)
            goals[(r, G.NOTE)] = smart_text(
                self.lang, self.year, tg, CATALOG[tg.key].label(self.lang)
            )
            for m in range(12):
                c = G.MONTH_FIRST + m
                goals[(r, c)] = Formula(gf[f"{col(c)}{r}"], tg.stretch)
            for q in range(4):
                c = G.QUARTER_FIRST + q
                goals[(r, c)] = Formula(gf[f"{col(c)}{r}"], sum([tg.stretch] * 3) / 3)
            dr = D.FIRST_ROW + i
            for c, value in (
                (D.BASELINE, tg.baseline),
                (D.STRETCH, tg.stretch),
                (D.CHALLENGE, tg.challenge),
            ):
                dash[(dr, c)] = Formula(df[f"{col(c)}{dr}"], as_shown(tg, value))
        if goals:  # the weights' total and note follow the weights (sheets.goals)
            from csxl.workbook.sheets.goals import weight_problems

            weights = [t.weight for t in targets[: G.KPI_ROWS]]
            total = (G.WEIGHT_TOTAL_ROW, G.WEIGHT)
            note = (G.WEIGHT_NOTE_ROW, G.WEIGHT_NOTE_COL)
            goals[total] = Formula(gf[f"{col(total[1])}{total[0]}"], round(sum(weights), 6))
            goals[note] = Formula(
                gf[f"{col(note[1])}{note[0]}"], weight_problems(self.lang, weights, 0)
            )
        return {"Goals": goals, "Dashboard": dash}

    def _roster_cells(
        self, members: Sequence[Member], aliases: Sequence[tuple[str, str, str]]
    ) -> list[tuple[str, dict]]:
        """(part, cells) of the sheets that list the roster's agents (`sheets.roster_cells`)."""
        from csxl.workbook import layout
        from csxl.workbook.sheets import roster_cells

        def part(key: str) -> str:
            return self.parts[layout.title(key, self.lang)]

        def formulas(key: str) -> dict[str, str]:
            name = part(key)
            if name not in self.formulas:  # once a run: the template's formula texts
                self.formulas[name] = _formulas(self.files[name])
            return self.formulas[name]

        if not members and not aliases:
            return []
        cells = roster_cells(self.lang, self.today, members, aliases, formulas)
        return [(part(key), patch) for key, patch in cells.items()]

    def _cascade_cells(self, cascade: list[Override], targets: tuple[Target, ...]) -> dict:
        """The typed cascade rows of Goals (level, name, KPI label, weight and targets)."""
        from csxl.domain.catalog import CATALOG
        from csxl.workbook.layout import Goals as G
        from csxl.workbook.sheets.goals import LEVELS

        labels = {t.key: CATALOG[t.key].label(self.lang) for t in targets}
        cells: dict[tuple[int, int], object] = {}
        for o in cascade:
            r = o.row
            if not G.CASCADE_FIRST_ROW <= r < G.CASCADE_FIRST_ROW + G.CASCADE_ROWS:
                raise ValueError(f"cascade row {r} is outside the Goals cascade block")
            cells[(r, G.C_LEVEL)] = LEVELS[self.lang][0 if o.level == "group" else 1]
            cells[(r, G.C_NAME)] = o.name
            cells[(r, G.C_KPI)] = labels.get(o.key, o.key)
            cells[(r, G.C_WEIGHT)] = as_written(o.weight)
            cells[(r, G.C_BASELINE)] = as_written(o.baseline)
            cells[(r, G.C_STRETCH)] = as_written(o.stretch)
            cells[(r, G.C_CHALLENGE)] = as_written(o.challenge)
        return cells


# ------------------------------------------------------------------ the roster's agents
def roster_rows(
    team: Team, targets: Sequence[Target], cascade: Sequence[Override]
) -> tuple[tuple[Member, ...], tuple[tuple[str, str, str], ...], list[Override]]:
    """What a team plan lists of the roster's agents, before any data: Team's rows (agent,
    group, hire date), Aliases' rows (the agent's name -> 工号 -> the name shown; an agent
    without a 工号 has the name as id, so that no agent of the team is an unknown name),
    and the cascade with a row for each agent that has no override of its own (the first
    KPI scored per agent, its targets blank: the team's, for the manager to change).
    Aliases stay empty when no agent has a 工号: an empty table changes nothing."""
    from csxl.domain.people import Member
    from csxl.workbook.book import Override
    from csxl.workbook.layout import Goals as G
    from csxl.workbook.layout import Team as T

    members = tuple(Member(a.name, a.group, hired=a.hire_date) for a in team.agents[: T.ROWS])
    aliases: tuple[tuple[str, str, str], ...] = ()
    if any(a.agent_id for a in team.agents):
        aliases = tuple((a.name, a.agent_id or a.name, a.name) for a in team.agents)
    rows = list(cascade)
    kpi = next((t.key for t in targets if "agent" in t.scored_for), None)
    named = {o.name for o in cascade if o.level == "agent"}
    used = {o.row for o in cascade}
    free = (r for r in range(G.CASCADE_FIRST_ROW, G.CASCADE_FIRST_ROW + G.CASCADE_ROWS))
    for a in team.agents if kpi is not None else ():
        if a.name in named:
            continue
        r = next((r for r in free if r not in used), None)
        if r is None:  # the block is full: the agents beyond it are on Team all the same
            break
        rows.append(Override(r, "agent", a.name, kpi))
    return members, aliases, rows


# ------------------------------------------------------------------ results and manifest
@dataclass
class TeamResult:
    team: str
    file: str
    status: str
    seconds: float = 0.0
    message: str = ""


@dataclass
class BatchResult:
    out: Path
    lang: str
    teams: list[TeamResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: Path | None = None

    @property
    def exit_code(self) -> int:
        from csxl.errors import EXIT_OK, EXIT_WARNINGS

        return EXIT_WARNINGS if any(t.status in NEEDS_A_LOOK for t in self.teams) else EXIT_OK


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fingerprint(
    lang: str,
    year: int,
    team: Team,
    targets: Sequence[Target],
    cascade: Sequence[Override],
    data: str | None,
) -> str:
    """What a team's workbook is made from (not the day it was made)."""
    from csxl import __version__
    from csxl.workbook.layout import TEMPLATE_VERSION

    doc = {
        "csxl": __version__,
        "template": TEMPLATE_VERSION,
        "lang": lang,
        "year": year,
        "team": team.name,
        "agents": sorted(
            (a.name, a.group or "", a.agent_id or "", str(a.hire_date or "")) for a in team.agents
        ),
        "active_customers": team.active_customers,
        "targets": [astuple(t) for t in targets],
        "cascade": [asdict(o) for o in cascade],
        "data": data,
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(out: Path) -> dict[str, dict[str, str]]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text("utf-8")).get("teams", {}))
    except (ValueError, AttributeError):
        return {}


def write_manifest(out: Path, teams: dict[str, dict[str, str]]) -> None:
    from csxl.workbook.package import write_atomic

    doc = {"format": 1, "teams": teams}
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    write_atomic(out / MANIFEST, text.encode("utf-8"))


# ------------------------------------------------------------------ the export, split by team
def split_export(path: Path, roster: Roster) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The export's rows per roster team (by its team column, else by agent); warnings."""
    from csxl.domain.columns import TICKETS
    from csxl.readers.read import read_table
    from csxl.roster import clean_name
    from csxl.workbook import layout

    table = read_table(path, prefer=layout.paste_titles(TICKETS))
    frame = table.frame
    warnings: list[str] = []
    if "team" in frame:
        key = frame["team"].map(lambda v: clean_name(v) if v is not None and v == v else "")
    elif "agent" in frame:
        by_agent = roster.team_of_agent()
        key = frame["agent"].map(lambda v: by_agent.get(clean_name(v), "") if v == v else "")
    else:
        raise InputError(
            t(
                "导出既没有团队列也没有客服列：无法按团队拆分。",
                "the export has neither a team nor an agent column: rows cannot be split by team.",
            ),
            Location(path.name, table.sheet),
            t(
                "请导出“团队”列，或导出与花名册姓名一致的“客服”列。",
                "Export the team (团队) column, or the agent (客服) column with the roster's "
                "names.",
            ),
        )
    if "agent" in frame and "team" in frame:  # rows without a team: the roster knows the agent
        by_agent = roster.team_of_agent()
        blank = key == ""
        key = key.where(~blank, frame["agent"].map(lambda v: by_agent.get(clean_name(v), "")))
    pasted = _as_pasted(table)
    on = key.loc[pasted.index]  # blank rows are not pasted
    # A row with no team (and no agent the roster places) counts in every team's plan, as
    # in a team plan given the whole export (kpis.md: rows with no team count).
    everyone = on == ""
    out = {team: pasted[(on == team) | everyone] for team in roster.teams}
    unknown = sorted(set(key) - set(roster.teams) - {""})
    if unknown:
        shown = "、".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        n = int(key.isin(unknown).sum())
        warnings.append(
            t(
                f"{path.name}：{n} 行属于花名册中没有的团队，未计入（{shown}）",
                f"{path.name}: {n} rows of teams not in the roster were left out ({shown})",
            )
        )
    if everyone.any():
        warnings.append(
            t(
                f"{path.name}：{int(everyone.sum())} 行没有团队（客服也不在花名册上），"
                "计入每个团队的计划",
                f"{path.name}: {int(everyone.sum())} rows without a team (nor an agent on the "
                "roster) count in every team's plan",
            )
        )
    return out, warnings


def _as_pasted(table) -> pd.DataFrame:
    """The export's rows under its own headers, typed as a paste from Excel would be."""
    from csxl.workbook.data_sheet import as_pasted

    frame = as_pasted(table)
    return frame.rename(columns={c: table.match.header_of(c) for c in frame.columns})


# ------------------------------------------------------------------ the pool's work
@dataclass
class _Job:
    team: str
    file: str
    final: str
    work: str
    package: bytes
    frame: Any  # pd.DataFrame
    lang: str = "zh"


def _refresh_job(job: _Job) -> tuple[str, str, float, str, str | None]:
    """In a worker: paste the team's rows, refresh, move into place. (team, status, s, msg, sha)."""
    from csxl import refresh as engine
    from csxl.workbook.data_sheet import paste
    from csxl.workbook.lock import WorkbookLock
    from csxl.workbook.port import PackageBook

    t0 = time.perf_counter()
    work = Path(job.work)
    token = LANGUAGE.set(job.lang)  # a worker process speaks the run's language
    try:
        work.parent.mkdir(parents=True, exist_ok=True)
        work.write_bytes(job.package)
        book = PackageBook(work)
        paste(book, job.frame)
        book.commit()
        outcome = engine.refresh(PackageBook(work))
        message = REFRESH_NOTE[job.lang]["agents"].format(month=outcome.month, n=outcome.agents)
        if outcome.problems:
            message += REFRESH_NOTE[job.lang]["rejected"].format(n=outcome.problems)
        digest = sha256_file(work)
        with WorkbookLock(Path(job.final)):  # not while a refresh works on it
            os.replace(work, job.final)
        return job.team, REFRESHED, time.perf_counter() - t0, message, digest
    except CsxlError as exc:
        return job.team, FAILED, time.perf_counter() - t0, str(exc), None
    except Exception as exc:
        return job.team, FAILED, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}", None
    finally:
        work.unlink(missing_ok=True)
        LANGUAGE.reset(token)


# ------------------------------------------------------------------ the command
Progress = Callable[[TeamResult], None]


def run_batch(
    roster_path: str | Path,
    out: str | Path,
    *,
    data: str | Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    lang: str | None = None,
    year: int | None = None,
    today: date | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Progress | None = None,
) -> BatchResult:
    """Make (or bring up to date) one plan per roster team in `out`; never raises for a team.

    Refused as a whole (InputError, nothing written) only when the roster or the export
    cannot be used; a team that fails is listed in the result and the others go on.
    """
    roster = read_roster(roster_path)
    lang = lang or roster.lang
    with language(lang):  # the plans' language is the run's: messages, report, teams
        return _run(roster, Path(out), data, jobs, force, lang, year, today, on_start, on_done)


def _run(
    roster: Roster,
    out: Path,
    data: str | Path | None,
    jobs: int | None,
    force: bool,
    lang: str,
    year: int | None,
    today: date | None,
    on_start: Callable[[int], None] | None,
    on_done: Progress | None,
) -> BatchResult:
    from csxl.workbook.lock import WorkbookLock
    from csxl.workbook.package import write_atomic
    from csxl.workbook.port import backup
    from csxl.workbook.safety import check_writable, open_error

    today = today or date.today()
    year = year or today.year
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(t("--out 必须是文件夹。", "--out must be a folder."), Location(str(out)))
    frames: dict[str, Any] = {}
    warnings: list[str] = []
    data_digest = None
    if data is not None:
        data = Path(data)
        if not data.exists():
            raise InputError(
                t("导出文件不存在。", "the export file does not exist."), Location(data.name)
            )
        data_digest = sha256_file(data)
        frames, warnings = split_export(data, roster)
    out.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(out)
    names = file_names(list(roster.teams), {t: m.get("file", "") for t, m in manifest.items()})
    from csxl.workbook.sheets.holidays import uncovered_warning

    calendar = uncovered_warning(year, lang)
    result = BatchResult(out, lang, warnings=[*warnings, *([calendar] if calendar else [])])
    if on_start:
        on_start(len(roster.teams))
    template: Template | None = None
    work_dir = out / WORK_DIR
    jobs_todo: list[_Job] = []
    plans: dict[str, tuple[str, str]] = {}  # team -> (fingerprint, file)

    def done(r: TeamResult) -> None:
        result.teams.append(r)
        if on_done:
            on_done(r)

    try:
        for team in roster.teams.values():
            t0 = time.perf_counter()
            file = names[team.name]
            path = out / file
            try:
                targets = team.targets()
                members, aliases, cascade = roster_rows(team, targets, team.cascade(targets))
                fp = fingerprint(lang, year, team, targets, cascade, data_digest)
                record = manifest.get(team.name, {})
                state = _state(path, record, fp)
                if state == UP_TO_DATE:
                    done(TeamResult(team.name, file, UP_TO_DATE))
                    continue
                if state == EDITED and not force:
                    message = REFRESH_NOTE[lang]["edited"] + _version_note(path, lang)
                    done(TeamResult(team.name, file, EDITED, message=message))
                    continue
                if path.exists():
                    refusal = open_error(path, lang, ribbon=False)
                    if refusal is not None:
                        raise refusal
                    check_writable(path, lang)  # never replace a plan marked read-only
                kept = backup(path, lang) if path.exists() and state == EDITED else None
                if template is None:
                    template = Template(lang, year, today)
                    t0 = time.perf_counter()  # the template is the run's, not this team's
                package = template.specialise(
                    team.name, targets, cascade, team.active_customers, members, aliases
                )
                note = REFRESH_NOTE[lang]["backup"].format(name=kept.name) if kept else ""
                if data is not None and len(frames.get(team.name, ())) > 0:
                    jobs_todo.append(
                        _Job(
                            team.name,
                            file,
                            str(path),
                            str(work_dir / f"{len(jobs_todo)}.xlsx"),
                            package,
                            frames[team.name],
                            lang,
                        )
                    )
                    plans[team.name] = (fp, note)
                    continue
                with WorkbookLock(path):  # not while a refresh works on it
                    write_atomic(path, package)
                manifest[team.name] = _record(file, fp, hashlib.sha256(package).hexdigest())
                status = WRITTEN
                if data is not None:
                    status, note = NO_DATA, REFRESH_NOTE[lang]["no_data"]
                done(TeamResult(team.name, file, status, time.perf_counter() - t0, note))
            except (CsxlError, ValueError, OSError) as exc:
                done(TeamResult(team.name, file, FAILED, time.perf_counter() - t0, str(exc)))
        if jobs_todo:
            _run_jobs(jobs_todo, jobs, plans, manifest, done)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
        write_manifest(out, manifest)
    order = {t: i for i, t in enumerate(roster.teams)}
    result.teams.sort(key=lambda r: order[r.team])
    result.report = write_report(out / REPORT, result)
    return result


def _version_note(path: Path, lang: str) -> str:
    """'; template version 0.9 ...' for a workbook of another template version, else ''."""
    from csxl.upgrade import version_of
    from csxl.workbook.layout import TEMPLATE_VERSION

    try:
        old = version_of(path)
    except Exception:  # not readable as a plan: the EDITED status says enough
        return ""
    if old == TEMPLATE_VERSION:
        return ""
    return REFRESH_NOTE[lang]["old"].format(old=old, new=TEMPLATE_VERSION)


def _state(path: Path, record: dict[str, str], fp: str) -> str:
    """UP_TO_DATE, EDITED (or unknown to csxl), or WRITTEN (free to write)."""
    if not path.exists():
        return WRITTEN
    if not record or sha256_file(path) != record.get("content"):
        return EDITED
    return UP_TO_DATE if record.get("inputs") == fp else WRITTEN


def _record(file: str, fp: str, content: str) -> dict[str, str]:
    return {
        "file": file,
        "inputs": fp,
        "content": content,
        "written": datetime.now().replace(microsecond=0).isoformat(),
    }


def _run_jobs(
    todo: list[_Job],
    jobs: int | None,
    plans: dict[str, tuple[str, str]],
    manifest: dict[str, dict[str, str]],
    done: Progress,
) -> None:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))

    def finish(res: tuple[str, str, float, str, str | None], job: _Job) -> None:
        team, status, seconds, message, digest = res
        fp, note = plans[team]
        if digest is not None:
            manifest[team] = _record(job.file, fp, digest)
        done(
            TeamResult(team, job.file, status, seconds, "; ".join(m for m in (message, note) if m))
        )

    if workers == 1:
        for job in todo:
            finish(_refresh_job(job), job)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_refresh_job, job): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                res = future.result()
            except Exception as exc:  # a worker died (out of memory, killed)
                res = (job.team, FAILED, 0.0, f"{type(exc).__name__}: {exc}", None)
            finish(res, job)


# ------------------------------------------------------------------ the report
REPORT_HEADERS = {
    "zh": ("团队", "文件", "状态", "用时（秒）", "说明"),
    "en": ("Team", "File", "Status", "Seconds", "Message"),
}


def write_report(path: Path, result: BatchResult) -> Path:
    """batch-report.xlsx: team, file, status, seconds, message (and the run's warnings)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from csxl.workbook.package import write_atomic

    wb = Workbook()
    ws = wb.active
    ws.title = "批量报告" if result.lang == "zh" else "Batch report"
    ws.append(list(REPORT_HEADERS[result.lang]))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F3A5F")
    labels = STATUS_LABELS[result.lang]
    for r in result.teams:
        ws.append([r.team, r.file, labels[r.status], round(r.seconds, 3), r.message])
        if r.status in NEEDS_A_LOOK:
            ws.cell(ws.max_row, 3).font = Font(bold=True, color="9B1C1C")
    for line in result.warnings:
        ws.append(["", "", "", None, line])
    for letter, width in zip("ABCDE", (16, 24, 16, 10, 70), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    raw = io.BytesIO()
    wb.save(raw)
    write_atomic(path, raw.getvalue())
    return path
