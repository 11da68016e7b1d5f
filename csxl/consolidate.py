"""`csxl consolidate`: the team plans of a folder rolled up into one department summary.

Each workbook is read read-only with python-calamine; each sheet's module reads its part
(`summarise`, by the addresses in `csxl.workbook.layout`), relying on the cached values csxl
writes with every formula (Excel, LibreOffice and WPS keep them when they save). Nothing is
recalculated and no team file is changed. A team never refreshed is shown as such; a
workbook that is missing (named in the batch's csxl-batch.json but gone), malformed (not a
csxl plan, damaged, rows moved) or of an older template version is listed on the Problems
sheet and does not stop the others.
"""

from __future__ import annotations

from pathlib import Path

from csxl.errors import InputError, Location, language, t
from csxl.summary_book import summary_bytes
from csxl.workbook import sheets
from csxl.workbook.team_book import Summary, TeamBook

Rows = list[list[object]]


def read_team(path: Path) -> TeamBook:
    """One team workbook; InputError when it is not a csxl plan of this template version."""
    from python_calamine import CalamineWorkbook

    from csxl.workbook.port import Titles

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InputError(
            t(f"无法作为工作簿读取（{exc}）。", f"cannot be read as a workbook ({exc})."),
            Location(path.name),
        ) from None
    titles = Titles.of_file(path)  # a renamed sheet is found by its anchor
    lang = titles.lang

    def rows(key: str) -> Rows:
        title = titles.title(key)
        if title not in book.sheet_names:
            raise InputError(
                t(f"缺少“{title}”工作表。", f"the {title} sheet is missing."), Location(path.name)
            )
        from csxl.readers.limits import check_sheet

        check_sheet(path, title, Location(path.name, title))  # a stray far cell
        return book.get_sheet_by_name(title).to_python(skip_empty_area=False)

    # Each sheet that the summary shows fills its part (csxl/workbook/sheets: `summarise`),
    # Settings first: it refuses a plan of another template version.
    team = TeamBook(file=path.name, team=path.stem)
    for room in sheets.ROOMS:
        if room.summarise is not None:
            room.summarise(rows(room.key), team, path.name, lang)
    return team


def _candidates(folder: Path, out: Path) -> list[Path]:
    from csxl.batch import REPORT

    skip = {REPORT.casefold(), out.name.casefold()}
    return sorted(
        p
        for p in folder.glob("*.xlsx")
        # ~$ and .~: lock files of Excel/WPS and WPS on Linux; .~csxl-: csxl's temp files
        if p.name.casefold() not in skip and not p.name.startswith(("~$", ".~"))
    )


def consolidate(folder: str | Path, out: str | Path, lang: str = "zh") -> Summary:
    """Read every team workbook of `folder` and write the department summary to `out`."""
    with language(lang):
        return _consolidate(Path(folder), Path(out), lang)


def _consolidate(folder: Path, out: Path, lang: str) -> Summary:
    from csxl.batch import read_manifest

    if not folder.is_dir():
        raise InputError(t("文件夹不存在。", "the folder does not exist."), Location(str(folder)))
    if out.suffix.lower() != ".xlsx":
        raise InputError(
            t("汇总表是 .xlsx 文件。", "the summary is an .xlsx file."), Location(out.name)
        )
    summary = Summary(out)
    files = _candidates(folder, out)
    for name in sorted({m.get("file", "") for m in read_manifest(folder).values()} - {""}):
        if not (folder / name).exists():
            summary.problems.append((name, _missing(lang)))
    for path in files:
        try:
            summary.teams.append(read_team(path))
        except InputError as exc:
            hint = t(exc.hint, f" {exc.hint}") if exc.hint else ""
            summary.problems.append((path.name, exc.message + hint))
        except Exception as exc:  # a damaged file must not stop the roll-up
            summary.problems.append((path.name, f"{type(exc).__name__}: {exc}"))
    if not summary.teams and not summary.problems:
        raise InputError(
            t("文件夹中没有 .xlsx 工作簿。", "no .xlsx workbooks in the folder."),
            Location(str(folder)),
        )
    from csxl.workbook.package import write_atomic

    write_atomic(out, summary_bytes(summary, lang))
    return summary


def _missing(lang: str) -> str:
    return t(
        "工作簿缺失（批量生成记录中有，文件夹中没有）",
        "missing: listed by the batch but not in the folder",
    )
