"""Aliases (别名): who an agent is, whatever the export calls them, and their team by date.

Left: spelling (as an export writes the agent: a name, a nickname, a sub-account 店铺:小美, a
工号) -> agent id -> the name Scores shows (blank: the id). Right: transfer periods (agent id
or any spelling, team, first day, last day; blank = still there). Refresh resolves the Data
sheet's agent column through the table (rules in `csxl.domain.identity`); an empty table
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from csxl.errors import InputError, Location, t
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, PlanInputs, RosterTeam, setup_sheet
from csxl.workbook.layout import Aliases as L
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import PlanState


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    n, m = len(p.aliases), len(p.transfers)
    return [(f"别名：{n} 行；调岗：{m} 行", f"Aliases: {n} rows; transfers: {m} rows")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Aliases")
    t = ctx.t
    p = ctx.inputs
    ctx.title(
        ws,
        t("客服别名与调岗", "Agent aliases and transfers"),
        t(
            "左表：导出文件里客服的每种写法（姓名、昵称、子账号 店铺:小美、工号）对应一个客服编号和考核表上显示的姓名。"
            "右表：调岗期间（客服、团队、起止日期，止日空白表示至今），每张工单按当天所在团队计算。"
            "左表为空时不做任何转换；别名表里没有的名字和对应多位客服的写法会列在错误表。",
            "Left: every way an export writes an agent (name, nickname, sub-account shop:name, staff "
            "number) -> one agent id and the name Scores shows. Right: team periods (agent, team, "
            "first and last day; a blank last day = still there): each ticket counts for the team "
            "its agent was in that day. An empty table changes nothing; names it does not know "
            "and spellings that name two agents are listed on Errors.",
        ),
    )
    ws.merge_cells(f"A2:{col(L.P_TO)}2")
    ws.row_dimensions[2].height = 58
    heads = {
        L.SPELLING: t("写法", "Spelling"),
        L.AGENT_ID: t("客服编号", "Agent id"),
        L.NAME: t("显示姓名", "Name shown"),
        L.P_AGENT: t("客服", "Agent"),
        L.P_TEAM: t("团队", "Team"),
        L.P_FROM: t("起始日", "From"),
        L.P_TO: t("截止日", "To"),
    }
    for c, text in heads.items():
        ctx.label(ws, f"{col(c)}{L.HEADER_ROW}", text, style.HEADER)
    for i in range(L.ROWS):
        r = L.FIRST_ROW + i
        row = p.aliases[i] if i < len(p.aliases) else (None, None, None)
        for c, value in zip((L.SPELLING, L.AGENT_ID, L.NAME), row, strict=True):
            ctx.input(ws, f"{col(c)}{r}", value, "@")
    for i in range(L.P_ROWS):
        r = L.FIRST_ROW + i
        row = p.transfers[i] if i < len(p.transfers) else (None, None, None, None)
        agent, team, first, last = row
        ctx.input(ws, f"{col(L.P_AGENT)}{r}", agent, "@")
        ctx.input(ws, f"{col(L.P_TEAM)}{r}", team)
        ctx.input(ws, f"{col(L.P_FROM)}{r}", first, style.DATE)
        ctx.input(ws, f"{col(L.P_TO)}{r}", last, style.DATE)
    setup_sheet(
        ws,
        widths={"A": 20, "B": 12, "C": 12, "D": 2, "E": 14, "F": 12, "G": 12, "H": 12},
        freeze=f"A{L.FIRST_ROW}",
        header_rows=f"{L.HEADER_ROW}:{L.HEADER_ROW}",
    )


def read_rows(book) -> tuple[tuple, tuple]:
    """(alias rows, transfer rows) as typed, blank rows left out; dates checked."""
    from csxl.workbook.cells import cell, day

    rows = book.rows("Aliases")
    sheet = layout.title("Aliases", book.lang)

    def text(r: int, c: int) -> str | None:
        v = cell(rows, r, c)
        if isinstance(v, float) and v.is_integer():
            v = int(v)  # a 工号 Excel made a number of
        return None if v is None or not str(v).strip() else str(v).strip()

    aliases = []
    for r in range(L.FIRST_ROW, L.FIRST_ROW + L.ROWS):
        row = tuple(text(r, c) for c in (L.SPELLING, L.AGENT_ID, L.NAME))
        if any(row):
            aliases.append(row)
    transfers = []
    for r in range(L.FIRST_ROW, L.FIRST_ROW + L.P_ROWS):
        agent, team = text(r, L.P_AGENT), text(r, L.P_TEAM)
        first, last = cell(rows, r, L.P_FROM), cell(rows, r, L.P_TO)
        if agent is None and team is None and first is None and last is None:
            continue
        where = Location(book.name, sheet, r, col(L.P_AGENT))
        try:
            days = (day(first), day(last))
        except ValueError:
            raise InputError(
                t("调岗日期不是日期。", "a transfer date is not a date."),
                where,
                t("请输入日期，如 2026-03-16。", "Type a date such as 2026-03-16."),
            ) from None
        if agent is None or team is None or not isinstance(days[0], date):
            raise InputError(
                t(
                    "调岗期间需要客服、团队和起始日。",
                    "a transfer period needs the agent, the team and its first day.",
                ),
                where,
                t("请补全或清空这一行。", "Complete or clear the row."),
            )
        transfers.append((agent, team, days[0], days[1]))
    return tuple(aliases), tuple(transfers)


# ------------------------------------------------------------------ read
def read(book: Book, state: PlanState) -> None:
    """The spellings and the transfer periods as typed (refresh writes nothing here)."""
    state.inputs.aliases, state.inputs.transfers = read_rows(book)


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (
    ((L.SPELLING, L.NAME), L.FIRST_ROW + L.ROWS - 1, None),
    ((L.P_AGENT, L.P_TO), L.FIRST_ROW + L.P_ROWS - 1, None),
)


def roster_cells(aliases: Sequence[tuple[str, str, str]]) -> dict[tuple[int, int], object]:
    """The left table of a plan built with no aliases, filled with `aliases` (spelling,
    agent id, name shown) as `build` writes them (`csxl batch` patches them in)."""
    if len(aliases) > L.ROWS:
        raise ValueError(
            t(
                f"别名超过 {L.ROWS} 个：本表只有 {L.ROWS} 行",
                f"more than {L.ROWS} aliases: the sheet has {L.ROWS} rows",
            )
        )
    cells: dict[tuple[int, int], object] = {}
    for i, row in enumerate(aliases):
        for c, value in zip((L.SPELLING, L.AGENT_ID, L.NAME), row, strict=True):
            cells[(L.FIRST_ROW + i, c)] = value
    return cells


def roster(p: PlanInputs, team: RosterTeam) -> None:
    """Each agent's name -> 工号 -> the name shown; an agent without a 工号 has the name as id,
    so that no agent of the team is an unknown name. Empty when no agent has a 工号: an
    empty table changes nothing."""
    if any(a.agent_id for a in team.agents):
        p.aliases = tuple((a.name, a.agent_id or a.name, a.name) for a in team.agents)


def team_cells(p: PlanInputs, formulas: Callable[[], Mapping[str, str]]) -> dict:
    """`roster_cells` for the plan's aliases (`csxl batch`)."""
    return roster_cells(p.aliases)  # type: ignore[arg-type]
