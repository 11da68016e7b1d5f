"""The room list: one module per sheet of the plan, in the order they are built.

Each room has `build(ctx)`; a room may also have `upgrade(old, inputs)` (what `csxl upgrade`
reads of an old plan into the inputs, and says it moved) and `carry(old, new)` (what it
copies cell for cell into the new plan). docs/workbook.md, "The house"."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

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

ROOMS: dict[str, ModuleType] = {
    "Settings": settings,
    "Incentives": incentives,
    "Goals": goals,
    # Dashboard reads the Settings and Goals cells built above.
    "Guide": guide,
    "Dashboard": dashboard,
    "Scores": scores,
    "Data": data,
    "Orders": orders,
    "CallRecords": call_records,
    "Mapping": mapping,
    "Errors": errors,
    "Trend": trend,
    "Milestones": milestones,
    "Budget": budget,
    "Risks": risks,
    "Staffing": staffing,
    "SLA": sla,
    "Holidays": holidays,
    "Incidents": incidents,
    "Actions": actions,
    "Team": team,
    "Aliases": aliases,
    "Appeals": appeals,
    "QA": qa,
    "Calls": calls,
    "Audit": audit,
}

# What `new` and refresh's render run, in the order above.
SHEET_BUILDERS: dict[str, Callable] = {key: room.build for key, room in ROOMS.items()}
