"""A small department made by code: a roster of three teams and their ticket export."""

from __future__ import annotations

from pathlib import Path

from csxl.roster import demo_roster_rows, template_bytes

TEAMS = ("售前一组", "售后一组", "投诉组")
MONTH = "2026-10"
TICKETS = 900


def make_department(folder: Path, lang: str = "zh") -> tuple[Path, Path]:
    """(roster, export) for TEAMS: six agents a team, a month of dirty tickets."""
    from csxl.demo_data import agent_roster, generate_tickets, write_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    roster = folder / "roster.xlsx"
    agents = agent_roster(TEAMS, 6, month=MONTH)
    roster.write_bytes(template_bytes(lang, demo_roster_rows(agents)))
    export = folder / "tickets.xlsx"
    frame = generate_tickets(TICKETS, month=MONTH, teams=TEAMS, agents_per_team=6, dirty=True)
    write_xlsx(frame, export, title="工单导出")
    return roster, export
