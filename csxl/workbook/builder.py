"""A new plan: every sheet built from the inputs, saved as one package.

The sheets are built in the registry's order (`csxl.workbook.sheets`); each writes its
formulas with the values the Python engine computes for them (`Ctx.formula`), which
`package.finish` stores as cached values.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl.workbook.defined_name import DefinedName

from csxl.errors import InputError, Location, t
from csxl.workbook import layout, package, sheets
from csxl.workbook.book import Ctx, PlanInputs


def build(inputs: PlanInputs) -> bytes:
    """The finished plan package as bytes."""
    ctx = Ctx(inputs)
    for builder in sheets.SHEET_BUILDERS.values():
        builder(ctx)
    for name, target in layout.defined_names(ctx.lang).items():
        # The sheet anchors are identities, not names a manager uses: hidden in Name Manager.
        hidden = True if name.startswith(layout.ANCHOR) else None
        ctx.wb.defined_names[name] = DefinedName(name, attr_text=target, hidden=hidden)
    ctx.wb.active = 0
    props = ctx.wb.properties
    props.creator = "csxl"
    props.title = ctx.t("客服年度计划", "Customer service plan")
    raw = io.BytesIO()
    ctx.wb.save(raw)
    paste = frozenset(layout.title(key, ctx.lang) for key in layout.PASTE_AREAS)
    return package.finish(raw.getvalue(), ctx.cached, header_only=paste)


def new_plan(path: str | Path, inputs: PlanInputs) -> Path:
    """Write a new plan workbook; refuses to overwrite an existing file."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(
            t("计划工作簿是 .xlsx 文件。", "a plan workbook is an .xlsx file."),
            Location(path.name),
            t("请给出以 .xlsx 结尾的路径。", "Give a path ending in .xlsx."),
        )
    if path.exists():
        raise InputError(
            t(
                "文件已存在；csxl new 从不覆盖已有的工作簿。",
                "the file exists already; csxl new never overwrites a workbook.",
            ),
            Location(path.name),
            t("请换一个文件名，或把旧文件移走。", "Choose another name or move the old file."),
        )
    package.write_atomic(path, build(inputs))
    return path
