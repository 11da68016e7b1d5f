"""One module per sheet of the plan; each has `build(ctx)`. Order: how they are built."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from csxl.workbook.sheets import (
    actions,
    aliases,
    appeals,
    audit,
    budget,
    call_records,
    calls,
    dashboard,
    data,
    errors,
    goals,
    guide,
    holidays,
    incentives,
    incidents,
    mapping,
    milestones,
    orders,
    qa,
    risks,
    scores,
    settings,
    sla,
    staffing,
    team,
    trend,
)

if TYPE_CHECKING:
    from csxl.domain.people import Member

SHEET_BUILDERS: dict[str, Callable] = {
    "Settings": settings.build,
    "Incentives": incentives.build,
    "Goals": goals.build,
    # Dashboard reads the Settings and Goals cells built above.
    "Guide": guide.build,
    "Dashboard": dashboard.build,
    "Scores": scores.build,
    "Data": data.build,
    "Orders": orders.build,
    "CallRecords": call_records.build,
    "Mapping": mapping.build,
    "Errors": errors.build,
    "Trend": trend.build,
    "Milestones": milestones.build,
    "Budget": budget.build,
    "Risks": risks.build,
    "Staffing": staffing.build,
    "SLA": sla.build,
    "Holidays": holidays.build,
    "Incidents": incidents.build,
    "Actions": actions.build,
    "Team": team.build,
    "Aliases": aliases.build,
    "Appeals": appeals.build,
    "QA": qa.build,
    "Calls": calls.build,
    "Audit": audit.build,
}


def roster_cells(
    lang: str,
    today: date,
    members: Sequence[Member],
    alias_rows: Sequence[tuple[str, str, str]],
    formulas: Callable[[str], Mapping[str, str]],
) -> dict[str, dict[tuple[int, int], object]]:
    """Per sheet key, the cells a roster's agents fill in a plan built without them (`csxl
    batch`): Team's agent rows and Aliases' left table. `formulas(key)`: the built sheet's
    formula texts by address."""
    return {
        "Team": team.roster_cells(members, lang, today, formulas("Team")),
        "Aliases": aliases.roster_cells(alias_rows),
    }
