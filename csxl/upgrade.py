"""`csxl upgrade`: move a plan made by an older template into the current one.

The manager's inputs are read by address from the old workbook (the addresses of its
template version), the current template is built from them with the same builders as
`csxl new` (so every formula carries a value computed from the manager's numbers, not the
defaults), and what has no model is carried as values: red-line and award texts, program
paths, the Mapping sheet, the pasted Data, and the Scores manager columns. A refreshed plan
is then refreshed again for its month, which fills the owned regions of the new template.

Nothing is lost silently: the old file is backed up first, and the report lists what moved,
what could not (sheets a manager added, formatting of pasted cells) and where it is kept.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from csxl.errors import InputError, Location, t
from csxl.workbook import layout, sheets

# Template versions whose input addresses this module reads. A version that moves an input
# gets its own address table here when it ships; until then every known version shares the
# current addresses and differs only in the sheets it has.
READABLE = ("1.0", "1.1", "1.2", layout.TEMPLATE_VERSION)

Rows = list[list[object]]


@dataclass
class UpgradeReport:
    workbook: str
    old_version: str
    new_version: str
    backup: Path | None = None
    moved: list[tuple[str, str]] = field(default_factory=list)  # what was carried: (zh, en)
    added: list[str] = field(default_factory=list)  # sheets the new template adds
    left: list[tuple[str, str]] = field(default_factory=list)  # only in the backup: (zh, en)
    refreshed: str | None = None  # the month refreshed into the new template
    warnings: list[str] = field(default_factory=list)  # in the plan's language

    @property
    def changed(self) -> bool:
        return self.old_version != self.new_version


# ------------------------------------------------------------------ the command
def version_of(path: Path) -> str:
    from python_calamine import CalamineWorkbook

    from csxl.workbook.port import detect_lang

    book = CalamineWorkbook.from_path(str(path))
    lang = detect_lang(book.sheet_names, path.name)
    room = sheets.versioned()
    title = layout.title(room.key, lang)
    if title not in book.sheet_names:
        zh, en = layout.title(room.key, "zh"), layout.title(room.key, "en")
        raise InputError(
            t(
                f"它没有“{zh}”表，因此无法知道模板版本。",
                f"it has no {en} sheet, so its template version is unknown.",
            ),
            Location(path.name),
            t("只有 csxl 生成的计划才能升级。", "Only plans made by csxl can be upgraded."),
        )
    rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    return room.version(rows, path.name, lang)[0]


def upgrade(workbook: str | Path, to: str | None = None) -> UpgradeReport:
    """Move the plan at `workbook` to the current template in place, after a backup."""
    from csxl.workbook.port import PackageBook, backup

    path = Path(workbook)
    if to not in (None, layout.TEMPLATE_VERSION):
        raise InputError(
            t(
                f"此版本的 csxl 只生成模板版本 {layout.TEMPLATE_VERSION}，不能生成 {to}。",
                f"this csxl makes template version {layout.TEMPLATE_VERSION} only, not {to}.",
            ),
            Location(path.name),
            t(
                "请去掉 --to，或使用生成该版本的 csxl 发行版。",
                "Leave out --to, or use the csxl release that makes that version.",
            ),
        )
    old = PackageBook(path, ribbon=False)  # refuses a workbook open elsewhere (exit 3)
    room = sheets.versioned()
    version, where = room.version(old.rows(room.key), path.name, old.lang)
    report = UpgradeReport(path.name, version, layout.TEMPLATE_VERSION)
    if version == layout.TEMPLATE_VERSION:
        from csxl.workbook.plan_reader import read_plan

        report.warnings += sheets.written_warnings(read_plan(old).inputs)
        return report
    if version not in READABLE:
        raise InputError(
            t(
                f"此版本的 csxl 无法读取模板版本 {version!r}（可读：{'、'.join(READABLE)}）。",
                f"template version {version!r} is not one this csxl can read "
                f"({', '.join(READABLE)}).",
            ),
            where,
            t(
                f"请检查“{layout.title(room.key, 'zh')}”表上的版本单元格，或使用当时的 csxl "
                "发行版升级。",
                f"Check the version cell on {layout.title(room.key, 'en')}, or upgrade with the "
                "csxl release of that time.",
            ),
        )
    work = Path(tempfile.mkdtemp(prefix=".csxl-upgrade-", dir=path.parent))
    try:
        target = work / path.name
        _rebuild(old, target, report)
        report.backup = backup(path, old.lang)
        os.replace(target, path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _rebuild(old, target: Path, report: UpgradeReport) -> None:
    from dataclasses import replace

    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import build
    from csxl.workbook.package import write_atomic
    from csxl.workbook.plan_reader import read_plan
    from csxl.workbook.port import PackageBook

    lang = old.lang
    have = {s.key for s in layout.SHEETS if old.title(s.key) in old._parts}
    state = read_plan(old, any_version=True)
    p: PlanInputs = state.inputs
    # Each sheet reads what it needs of the old plan into the inputs (the rest came with
    # read_plan) and says what it moved.
    for room in sheets.ROOMS:
        if room.key in have and room.upgrade is not None:
            report.moved += room.upgrade(old, p)
    p.refresh_month = state.shown_month
    p.today = date.today()
    write_atomic(target, build(replace(p, agents=[], errors=[])))

    new = PackageBook(target)
    for room in sheets.ROOMS:  # inputs without a model, cell for cell
        if room.key in have and room.carry is not None:
            report.moved += room.carry(old, new)
    new.commit()
    report.added = [layout.title(s.key, lang) for s in layout.SHEETS if s.key not in have]
    extra = sorted(set(old._parts) - {layout.title(s.key, lang) for s in layout.SHEETS})
    if extra:
        names = "、".join(extra)
        report.left.append(
            (
                f"您添加的工作表（{names}）：在 Excel 中右键工作表标签，“移动或复制”到新文件",
                f"sheets you added ({', '.join(extra)}): copy them over in Excel "
                "(right-click the tab, Move or Copy)",
            )
        )
    if state.shown_month:
        from csxl.refresh import refresh

        refresh(PackageBook(target), state.shown_month)
        report.refreshed = state.shown_month
    report.warnings += sheets.written_warnings(p)  # e.g. a year chinese-calendar lacks
