"""What the manager's registers share (the milestone, risk and budget tables): the header
row's height, the owner drop-down and row heights for wrapped text."""

from __future__ import annotations

import math

from csxl.domain import plan
from csxl.workbook.book import Ctx
from csxl.workbook.layout import col
from csxl.workbook.style import text_width

HEADER_HEIGHT = 30  # two lines of header text (e.g. "% complete")


def owners(lang: str) -> list[str]:
    """The owners of the default milestones and risks: the owner list of both sheets."""
    names = [m.owner for m in plan.DEFAULT_MILESTONES[lang]]
    names += [r.owner for r in plan.DEFAULT_RISKS[lang]]
    return list(dict.fromkeys(n for n in names if n))


def owner_validation(ctx: Ctx, ws):
    """A list of the usual owners that still accepts any name (information style)."""
    return ctx.validation(
        ws,
        "owner",
        type="list",
        formula1='"' + ",".join(owners(ctx.lang)) + '"',
        errorStyle="information",
        errorTitle=ctx.t("负责人", "Owner"),
        error=ctx.t(
            "不在常用负责人列表中；点“确定”保留输入的姓名。",
            "Not in the list of usual owners; press OK to keep the name you typed.",
        ),
    )


def fit_rows(ws, texts: dict[int, dict[int, str]], widths: dict[str, float]) -> None:
    """Row heights for wrapped text (rows csxl fills; a row the manager fills grows in Excel
    only when they ask it to)."""
    for r, cells in texts.items():
        lines = max(
            (math.ceil(text_width(t) / max(widths[col(c)] - 1, 1)) for c, t in cells.items() if t),
            default=1,
        )
        if lines > 1:
            ws.row_dimensions[r].height = 14 * lines + 2
