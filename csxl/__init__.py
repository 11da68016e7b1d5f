"""csxl: customer-service plans, KPIs and scoring in Excel.

`csxl.open_plan(path).refresh(month)` is the public API (csxl/api.py); the command line is
`csxl --help`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from csxl.api import Plan

__version__ = "0.1.0"


def open_plan(path: str | Path, *, live: bool = False) -> Plan:
    """The plan at `path` (see csxl.api.open_plan); imported on first use, so that
    `import csxl` stays light."""
    from csxl.api import open_plan as _open_plan

    return _open_plan(path, live=live)
