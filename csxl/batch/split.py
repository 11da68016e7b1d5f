"""The export's rows, split by roster team."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from csxl.errors import InputError, Location, t
from csxl.roster import Roster

if TYPE_CHECKING:
    import pandas as pd


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
