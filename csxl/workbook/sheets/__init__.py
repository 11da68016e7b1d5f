"""One module per sheet of the plan; each has `build(ctx)`. Order: how they are built."""

from __future__ import annotations

from collections.abc import Callable

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
