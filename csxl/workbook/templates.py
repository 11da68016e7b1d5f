"""The committed templates under workbooks/: what `csxl new` makes, pinned for review.

They are generated with a fixed plan year and as-of date so that they do not change from
day to day; a test rebuilds them and fails when the committed files are stale.
Regenerate with `python -m csxl.workbook.templates`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build

TEMPLATE_YEAR = 2026
TEMPLATE_TODAY = date(2026, 1, 1)  # what TODAY() is cached as in the templates
FOLDER = Path(__file__).resolve().parents[2] / "workbooks"


def template_inputs(lang: str) -> PlanInputs:
    return PlanInputs(lang=lang, year=TEMPLATE_YEAR, today=TEMPLATE_TODAY)


def templates() -> dict[str, bytes]:
    return {f"plan_{lang}.xlsx": build(template_inputs(lang)) for lang in ("zh", "en")}


def main() -> None:
    from csxl.workbook.package import write_atomic

    for name, data in templates().items():
        write_atomic(FOLDER / name, data)
        print(FOLDER / name)


if __name__ == "__main__":
    main()
