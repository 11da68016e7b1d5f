"""One entry point: any supported ticket file to a RawTable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csxl.domain.synonyms import Synonyms
from csxl.readers.sniff import Kind, sniff
from csxl.readers.table import RawTable


def read_table(
    path: str | Path,
    synonyms: Synonyms | None = None,
    sheet: str | None = None,
    prefer: Sequence[str] = (),
) -> RawTable:
    """`prefer`: a workbook's sheets read first when `sheet` is not given (see read_excel)."""
    path = Path(path)
    synonyms = synonyms or Synonyms()
    kind = sniff(path)
    if kind is Kind.XLSX:
        from csxl.readers.excel import read_excel

        return read_excel(path, synonyms, sheet, prefer)
    from csxl.readers.csv import read_csv

    table = read_csv(path, synonyms)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        table.notes.append(f"the file is named {path.suffix} but holds CSV text; read as CSV")
    return table
