"""What every reader produces: the header row found, and the data below it, untyped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from csxl.domain.synonyms import HeaderMatch

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class RawTable:
    source: str  # the file name, as shown to the user
    sheet: str | None  # None for CSV
    header_row: int  # 1-based row of the header, as the user sees it
    match: HeaderMatch
    # One column per mapped canonical column (named by it), values as the file holds them;
    # the index is the 1-based row number the user sees.
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
