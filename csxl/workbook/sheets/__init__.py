"""One module per sheet of the plan; each has `build(ctx)`. Order: how they are built."""

from __future__ import annotations

from collections.abc import Callable

from csxl.workbook.sheets import goals, incentives, settings

SHEET_BUILDERS: dict[str, Callable] = {
    "Settings": settings.build,
    "Incentives": incentives.build,
    "Goals": goals.build,
}
