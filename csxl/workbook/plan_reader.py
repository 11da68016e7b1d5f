"""Read a plan's current inputs back from its workbook, by the addresses in layout.py.

Values are read as the file holds them (cached values for formula cells), which Excel,
LibreOffice and WPS keep current when they save, and csxl writes with every formula.
A sheet whose rows were moved or deleted is refused with the row and what was expected.
"""

from __future__ import annotations

from csxl.errors import InputError, Location, t
from csxl.workbook import layout
from csxl.workbook.book import PlanInputs
from csxl.workbook.cells import cell
from csxl.workbook.port import Book
from csxl.workbook.sheets import ROOMS, plan_version
from csxl.workbook.state import PlanState, has_paste_sheet


def _version_key(text: str) -> tuple[int, ...] | None:
    parts = text.strip().split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def check_version(value: object, where: Location) -> None:
    """Refuse a plan of another template version: its cells may not be where layout says,
    and writing by address into them would damage a manager's inputs."""
    current = layout.TEMPLATE_VERSION
    text = "" if value is None else str(value)
    if text == current:
        return
    key, now = _version_key(text), _version_key(current)
    if key is not None and now is not None and key > now:
        raise InputError(
            t(
                f"这份计划由更新版本的 csxl 制作（模板 {text}；本 csxl 只认识 {current}）。",
                f"the plan was made by a newer csxl (template {text}; this csxl knows {current}).",
            ),
            where,
            t(
                "请更新 csxl（pip install -U csxl，或换用新版 csxl.exe）后再运行。",
                "Update csxl (pip install -U csxl, or the newer csxl.exe) and run again.",
            ),
        )
    shown = (
        t(f"模板版本为“{text}”", f"template version {text!r}")
        if text
        else t("没有模板版本", "no template version")
    )
    raise InputError(
        t(
            f"这份计划{shown}；本 csxl 只处理模板 {current}，未写入任何内容。",
            f"the plan has {shown}; this csxl works on template {current}, so nothing was written.",
        ),
        where,
        t(
            "请用 csxl upgrade 把它升级到当前模板，或用 csxl new 新建计划并把输入抄过去。",
            "Move it to the current template with `csxl upgrade`, or make a new plan with "
            "`csxl new` and copy the inputs across.",
        ),
    )


def read_plan(book: Book, any_version: bool = False) -> PlanState:
    """The manager's inputs and the Scores rows, each room reading its own sheet;
    `any_version` is for `csxl upgrade`, which reads an older plan at the addresses of its
    own version."""
    if not any_version:
        check_version(*plan_version(book))  # an older plan: `csxl upgrade` says more
        check_sheets(book)
        check_positions(book)  # rows inserted above fixed addresses, or pushed out of blocks
    state = PlanState(PlanInputs(lang=book.lang), upgrading=any_version)
    _read_rooms(book, state)
    state.inputs.has_qa = state.has_qa  # Scores leaves QA out of a plan made before QA
    return state


def _read_rooms(book: Book, state: PlanState) -> None:
    """Which rooms the plan has (`ROOMS`; a plan made before a sheet existed has not got
    it), then each one's inputs, in build order."""
    for room in ROOMS:
        if room.present is None or room.present(book):
            state.present.add(room.key)
            if room.flag is not None:
                setattr(state, room.flag, True)
    for room in ROOMS:
        if room.read is not None and room.key in state.present:
            room.read(book, state)


def check_sheets(book: Book) -> None:
    """Refuse a plan of the current template that lacks one of its sheets, by name: csxl
    would otherwise read it as a plan made before the sheet (an approved appeal or the QA
    scores silently gone). A renamed sheet is found by its anchor (`layout.ANCHOR`)."""
    titles = getattr(book, "titles", None)
    if titles is None:
        return
    missing = titles.missing()
    if not missing:
        return
    names = "、".join(f"{layout.title(k, book.lang)}" for k in missing)
    raise InputError(
        t(
            f"计划缺少工作表：{names}（已删除，或在 csxl 为工作表命名之前被改了名）。",
            f"the plan has no {names} sheet (deleted, or renamed before csxl named its sheets).",
        ),
        Location(book.name),
        t(
            "请把改过名的工作表改回原名，或从 csxl-backups 文件夹中的备份恢复该表；"
            "未写入任何内容。",
            "Rename the sheet back, or restore it from a backup in csxl-backups; nothing was "
            "written.",
        ),
    )


# ------------------------------------------------------------------ rows moved, rows pushed out
def check_landmarks(book: Book, key: str, rows: list[list[object]]) -> None:
    """Refuse a sheet whose fixed labels (`layout.LANDMARKS`) are not where layout puts
    them: a manager inserted or deleted a row above one, so every address below it moved,
    and csxl would read, or write into, the wrong cells. Names the rows to look at."""
    sheet = layout.title(key, book.lang)
    above = 0  # the row of the last landmark in place: the change is below it
    for r, c, zh_text, en_text in layout.LANDMARKS.get(key, ()):
        labels = {zh_text, en_text}
        found = cell(rows, r, c)
        if isinstance(found, str) and found.strip() in labels:
            above = r
            continue
        expected = zh_text if book.lang == "zh" else en_text  # as the plan writes it
        moved = next(
            (
                x
                for x in sorted(range(1, len(rows) + 1), key=lambda x: abs(x - r))
                if isinstance(cell(rows, x, c), str) and str(cell(rows, x, c)).strip() in labels
            ),
            None,
        )
        if found is None and moved is None and (key, r) in layout.LANDMARKS_ADDED:
            continue  # a plan of this version made before the block: refresh adds it
        where = Location(book.name, sheet, r, layout.col(c))
        hint = t(
            "请删除插入的行（或撤销删除），表格内留有空行可以填写；也可以从 csxl-backups "
            "文件夹中的备份恢复。未写入任何内容。",
            "Delete the inserted rows (or undo the deletion): the tables have blank rows "
            "to type in. Or restore a backup from csxl-backups. Nothing was written.",
        )
        if moved is not None and moved > r:
            n = moved - r
            raise InputError(
                t(
                    f"{sheet} 表的“{expected}”应在第 {r} 行，现在在第 {moved} 行：第 {above + 1}–"
                    f"{r} 行之间插入了 {n} 行。csxl 按固定位置读写这张表，会读错或写错单元格。",
                    f"{expected!r} belongs in row {r} of {sheet} and is now in row {moved}: "
                    f"{n} row(s) were inserted between rows {above + 1} and {r}. csxl reads and "
                    "writes this sheet by position and would use the wrong cells.",
                ),
                where,
                hint,
            )
        if moved is not None:
            raise InputError(
                t(
                    f"{sheet} 表的“{expected}”应在第 {r} 行，现在在第 {moved} 行：第 {moved + 1}–"
                    f"{r} 行之间删除了行。csxl 按固定位置读写这张表，会读错或写错单元格。",
                    f"{expected!r} belongs in row {r} of {sheet} and is now in row {moved}: "
                    f"rows were deleted between rows {moved + 1} and {r}. csxl reads and writes "
                    "this sheet by position and would use the wrong cells.",
                ),
                where,
                hint,
            )
        raise InputError(
            t(
                f"{sheet} 表第 {r} 行应是“{expected}”，但没有找到它：这张表的行被移动或删除了。",
                f"row {r} of {sheet} should hold {expected!r}, which is not on the sheet: its "
                "rows were moved or deleted.",
            ),
            where,
            hint,
        )


def check_pushed_out(
    book: Book,
    key: str,
    rows: list[list[object]],
    columns: tuple[int, int],
    last: int,
    until: int | None = None,
) -> None:
    """Refuse a non-empty row just below a block of a fixed number of rows (its columns,
    from `last` + 1 up to `until` or the sheet's end): a row a manager inserted inside the
    block pushed its last rows out of it, and csxl reads the block's rows only."""
    end = len(rows) if until is None else min(until - 1, len(rows))
    for r in range(last + 1, end + 1):
        if all(cell(rows, r, c) is None for c in range(columns[0], columns[1] + 1)):
            continue
        sheet = layout.title(key, book.lang)
        span = f"{layout.col(columns[0])}:{layout.col(columns[1])}"
        raise InputError(
            t(
                f"{sheet} 表第 {r} 行（{span} 列）在表格的最后一行（第 {last} 行）之下，"
                "csxl 不会读取它：多半是表格中插入了一行，把最后的行挤出了表格。",
                f"row {r} of {sheet} ({span}) is below the table's last row ({last}), where "
                "csxl does not read: a row inserted inside the table most likely pushed it out.",
            ),
            Location(book.name, sheet, r, layout.col(columns[0])),
            t(
                f"请删除表格中插入的空行，或把第 {r} 行的内容移到表格内的空行中；未写入任何内容。",
                f"Delete the row inserted inside the table, or move row {r} into a blank row "
                "of the table; nothing was written.",
            ),
        )


def check_positions(book: Book) -> None:
    """Before anything is read by address: every sheet's fixed labels in place, no row
    pushed out of a block of fixed rows, and each room's own check (no row inserted inside
    the Staffing grids)."""
    for room in ROOMS:
        if room.key not in layout.LANDMARKS or not room.landmarks:
            continue
        if not has_paste_sheet(book, room.key):
            continue
        try:
            rows = book.rows(room.key)
        except (InputError, KeyError):
            continue
        check_landmarks(book, room.key, rows)
        for columns, last, until in room.blocks:
            check_pushed_out(book, room.key, rows, columns, last, until)
        if room.check is not None:
            room.check(book, rows)


# ------------------------------------------------------------------ blocks that grow
