"""`--data`: each team's rows pasted and its plan refreshed, in a process pool."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csxl.batch.manifest import entry, sha256_file
from csxl.batch.status import FAILED, REFRESH_NOTE, REFRESHED, Progress, TeamResult
from csxl.errors import LANGUAGE, CsxlError


@dataclass
class Job:
    team: str
    file: str
    final: str
    work: str
    package: bytes
    frame: Any  # pd.DataFrame
    lang: str = "zh"


def refresh_job(job: Job) -> tuple[str, str, float, str, str | None]:
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


def run_jobs(
    todo: list[Job],
    jobs: int | None,
    plans: dict[str, tuple[str, str]],
    manifest: dict[str, dict[str, str]],
    done: Progress,
) -> None:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))

    def finish(res: tuple[str, str, float, str, str | None], job: Job) -> None:
        team, status, seconds, message, digest = res
        fp, note = plans[team]
        if digest is not None:
            manifest[team] = entry(job.file, fp, digest)
        done(
            TeamResult(team, job.file, status, seconds, "; ".join(m for m in (message, note) if m))
        )

    if workers == 1:
        for job in todo:
            finish(refresh_job(job), job)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(refresh_job, job): job for job in todo}
        for future in as_completed(futures):
            job = futures[future]
            try:
                res = future.result()
            except Exception as exc:  # a worker died (out of memory, killed)
                res = (job.team, FAILED, 0.0, f"{type(exc).__name__}: {exc}", None)
            finish(res, job)
