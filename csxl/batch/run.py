"""`csxl batch`: the command, team by team."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from csxl.batch.manifest import (
    entry,
    fingerprint,
    read_manifest,
    sha256_file,
    status_of,
    write_manifest,
)
from csxl.batch.naming import file_names
from csxl.batch.pool import Job, run_jobs
from csxl.batch.report import REPORT, write_report
from csxl.batch.split import split_export
from csxl.batch.status import (
    EDITED,
    FAILED,
    NO_DATA,
    REFRESH_NOTE,
    UP_TO_DATE,
    WRITTEN,
    BatchResult,
    Progress,
    TeamResult,
)
from csxl.batch.template import Template
from csxl.errors import CsxlError, InputError, Location, language, t
from csxl.roster import Roster, read_roster

WORK_DIR = ".csxl-work"


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
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.sheets import roster_inputs, written_warnings

    inputs = PlanInputs(lang=lang, year=year, today=today)
    result = BatchResult(out, lang, warnings=[*warnings, *written_warnings(inputs)])
    if on_start:
        on_start(len(roster.teams))
    template: Template | None = None
    work_dir = out / WORK_DIR
    jobs_todo: list[Job] = []
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
                inputs = roster_inputs(team, lang, year, today)
                fp = fingerprint(lang, year, team, inputs.targets, inputs.cascade, data_digest)
                record = manifest.get(team.name, {})
                state = status_of(path, record, fp)
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
                package = template.plan(inputs)
                note = REFRESH_NOTE[lang]["backup"].format(name=kept.name) if kept else ""
                if data is not None and len(frames.get(team.name, ())) > 0:
                    jobs_todo.append(
                        Job(
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
                manifest[team.name] = entry(file, fp, hashlib.sha256(package).hexdigest())
                status = WRITTEN
                if data is not None:
                    status, note = NO_DATA, REFRESH_NOTE[lang]["no_data"]
                done(TeamResult(team.name, file, status, time.perf_counter() - t0, note))
            except (CsxlError, ValueError, OSError) as exc:
                done(TeamResult(team.name, file, FAILED, time.perf_counter() - t0, str(exc)))
        if jobs_todo:
            run_jobs(jobs_todo, jobs, plans, manifest, done)
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
