"""The live adapter: the workbook open in Excel, through xlwings (imported lazily).

Built out in the Excel-integration work (issue 6); until then `--live` says clearly that
it is not available rather than failing obscurely.
"""

from __future__ import annotations

from csxl.errors import InputError, Location


class LiveBook:
    @classmethod
    def attach(cls, workbook: str) -> LiveBook:
        raise InputError(
            "--live (working through the open Excel window) is not available in this version.",
            Location(workbook),
            "Close the workbook in Excel and run the command without --live.",
        )
