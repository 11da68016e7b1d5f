"""Plan workbooks for the refresh, scoring and preservation tests, and the spec's rules by hand.

Fixtures are made the way a manager makes them: `new_plan`, then the month's export pasted
into the Data sheet through the port (`data_sheet.paste`), then `refresh`. A plan is never
round-tripped through openpyxl here: that would drop every cached value. The expensive
workbooks are built once per session (`pasted_bytes`, `refreshed_bytes`) and copied.

The scoring helpers below restate ../shared/spec/kpis.md ("Targets, tiers, variance and
scoring") from scratch, so that tests check the engine against the spec, not against itself.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from csxl.workbook import layout
from csxl.workbook.layout import Data as D

TEAM = "售后一组"
MONTH = "2026-03"  # the refreshed month
OTHER_MONTH = "2026-02"  # a few tickets of other agents: refresh must leave them out
NOW = datetime(2026, 4, 1, 8)
AS_OF = date(2026, 3, 31)
ACTIVE_CUSTOMERS = 20_000
LANG = "zh"
YES, NO = "是", "否"

# The spec's defaults (kpis.md): points, grade bands, coefficients, bonus rules.
STEP_POINTS = (0.0, 60.0, 80.0, 100.0)
GRADE_BANDS = (("S", 95.0), ("A", 85.0), ("B", 70.0), ("C", 60.0))
COEFFICIENTS = {"S": 1.5, "A": 1.2, "B": 1.0, "C": 0.6, "D": 0.0}
BASE_BONUS, DEDUCTION, CAP_MULTIPLE = 1000.0, 200.0, 1.5
AGENT_KPIS = ("csat", "frt_mean", "fcr", "resolution_rate", "reopen_rate", "survey_response_rate")
# Goals rows in order: key, higher is better, weight, baseline, stretch, challenge.
DEFAULT_GOALS = (
    ("csat", True, 30, 0.85, 0.90, 0.95),
    ("frt_mean", False, 15, 120, 60, 30),
    ("fcr", True, 20, 0.80, 0.88, 0.95),
    ("resolution_rate", True, 15, 0.90, 0.95, 0.98),
    ("reopen_rate", False, 5, 0.10, 0.05, 0.03),
    ("survey_response_rate", True, 5, 0.28, 0.35, 0.40),
    ("complaints_per_10k", False, 10, 15, 13.9, 12),
    ("bad_review_reviewed", True, 0, 0.90, 1.00, 1.00),
)


# ------------------------------------------------------------------ tickets
def _march(n: int = 600, dirty: bool = True) -> pd.DataFrame:
    from csxl.demo_data import generate_tickets

    return generate_tickets(n, month=MONTH, teams=(TEAM,), agents_per_team=6, dirty=dirty)


def _february() -> pd.DataFrame:
    from csxl.demo_data import generate_tickets

    return generate_tickets(120, month=OTHER_MONTH, seed=7, teams=(TEAM,), agents_per_team=3)


@lru_cache
def _tickets() -> pd.DataFrame:
    return pd.concat([_february(), _march()], ignore_index=True)


def tickets() -> pd.DataFrame:
    """February (3 other agents) then March (6 agents, dirty): one team's export."""
    return _tickets().copy()


def clean_tickets(n: int = 200) -> pd.DataFrame:
    """March only, nothing rejected."""
    return _march(n, dirty=False)


def rejected_data_rows() -> list[int]:
    """The Data sheet rows (as a manager sees them) that `tickets()` has unusable."""
    from csxl.demo_data import REJECTED_KINDS

    march = _march()
    offset = len(_february()) + D.FIRST_ROW
    rows = march.attrs["dirt"]["rows"]
    return sorted(p + offset for kind in REJECTED_KINDS for p in rows[kind])


# ------------------------------------------------------------------ workbooks
def plan_inputs(**changes):
    from csxl.workbook.book import PlanInputs

    return PlanInputs(
        lang=LANG,
        team=TEAM,
        year=AS_OF.year,
        as_of=AS_OF,
        active_customers=ACTIVE_CUSTOMERS,
        **changes,
    )


def pasted_plan(path: Path, frame: pd.DataFrame | None = None, inputs=None) -> Path:
    """A new plan with `frame` (default: `tickets()`) pasted into its Data sheet."""
    from csxl.workbook.builder import new_plan
    from csxl.workbook.data_sheet import paste
    from csxl.workbook.port import PackageBook

    new_plan(path, inputs or plan_inputs())
    book = PackageBook(path)
    paste(book, tickets() if frame is None else frame)
    book.commit()
    return path


@lru_cache
def pasted_bytes() -> bytes:
    """A default plan with `tickets()` pasted, not refreshed yet."""
    with tempfile.TemporaryDirectory(prefix="csxl-fixture-") as tmp:
        return pasted_plan(Path(tmp) / "plan.xlsx").read_bytes()


@lru_cache
def refreshed_bytes() -> bytes:
    """`pasted_bytes()` refreshed for MONTH at NOW."""
    from csxl.refresh import refresh
    from csxl.workbook.port import PackageBook

    with tempfile.TemporaryDirectory(prefix="csxl-fixture-") as tmp:
        path = Path(tmp) / "plan.xlsx"
        path.write_bytes(pasted_bytes())
        refresh(PackageBook(path), MONTH, now=NOW)
        return path.read_bytes()


def copy_of(data: bytes, folder: Path, name: str = "plan.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ reading back
def sheet(path: Path, key: str) -> list[list[object]]:
    """A sheet's cached values from A1 (python-calamine: what a fast reader sees)."""
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(layout.title(key, LANG)).to_python(skip_empty_area=False)


def seconds_shown(value: object) -> float:
    """The seconds a time-formatted cell (分:秒, a duration / 86400) stands for, as a fast
    reader returns it: a time of day, or a timedelta from one day on."""
    from datetime import time, timedelta

    if isinstance(value, timedelta):
        return value.total_seconds()
    assert isinstance(value, time), value
    return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6


def at(rows: list[list[object]], r: int, c: int) -> object:
    """The value at 1-based (r, c); "" beyond the used area."""
    if r > len(rows) or c > len(rows[r - 1]):
        return ""
    return rows[r - 1][c - 1]


def grid(path: Path, keys: tuple[str, ...]) -> dict[tuple[str, int, int], object]:
    """Every non-empty cell of the given sheets: (key, row, column) -> cached value."""
    out = {}
    for key in keys:
        for r, row in enumerate(sheet(path, key), start=1):
            for c, value in enumerate(row, start=1):
                if value != "":
                    out[(key, r, c)] = value
    return out


def parts(path: Path) -> dict[str, bytes]:
    """Every zip entry's stored bytes (local header, compressed data, descriptor)."""
    from csxl.workbook import zipsplice

    with path.open("rb") as f:
        entries, _ = zipsplice._entries(f)
        return {e.name: zipsplice._local_span(f, e) for e in entries}


def sheet_part(path: Path, key: str) -> str:
    import zipfile

    from csxl.workbook.package import sheet_parts

    with zipfile.ZipFile(path) as zf:
        names = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        found = sheet_parts({n: zf.read(n) for n in names})
    return found[layout.title(key, LANG)]


# ------------------------------------------------------------------ the spec by hand
def excel_round(x: float, digits: int = 2) -> float:
    """Excel's ROUND: half away from zero, on the number's 15 significant digits."""
    q = Decimal(1).scaleb(-digits)
    d = Decimal(format(x, ".15g")).quantize(q, rounding=ROUND_HALF_UP)
    return float(d)


def spec_tier(value: float | None, higher: bool, b: float, s: float, c: float) -> int | None:
    """0 below baseline, 1 baseline, 2 stretch, 3 challenge; a target met exactly is met."""
    if value is None:
        return None

    def met(t: float) -> bool:
        return value >= t if higher else value <= t

    return 3 if met(c) else 2 if met(s) else 1 if met(b) else 0


def spec_points(
    value: float | None,
    higher: bool,
    b: float,
    s: float,
    c: float,
    mode: str = "step",
    step: tuple[float, ...] = STEP_POINTS,
) -> float | None:
    level = spec_tier(value, higher, b, s, c)
    if level is None:
        return None
    if mode == "step":
        return step[level]
    if level == 3:
        return 100.0
    if level == 2:
        return 80 + 20 * (value - s) / (c - s)
    if level == 1:
        return 60 + 20 * (value - b) / (s - b)
    return 0.0


def spec_score(points: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """sum(w x p) / sum(w of KPIs with points), rounded as Excel's ROUND(..., 2)."""
    num = sum(weights[k] * p for k, p in points.items() if p is not None)
    den = sum(weights[k] for k, p in points.items() if p is not None)
    return None if den == 0 else excel_round(num / den, 2)


def spec_grade(score: float | None, red_line: bool = False) -> str | None:
    if score is None:
        return None
    grade = next((g for g, minimum in GRADE_BANDS if score >= minimum), "D")
    order = ["S", "A", "B", "C", "D"]
    if red_line and order.index(grade) < order.index("C"):
        grade = "C"
    return grade


def spec_bonus(grade: str | None, escalated: int) -> float:
    if grade is None:
        return 0.0
    earned = BASE_BONUS * COEFFICIENTS[grade] - DEDUCTION * escalated
    return excel_round(min(BASE_BONUS * CAP_MULTIPLE, max(0.0, earned)), 2)


def blank(value: object) -> object:
    """None as the empty cell a reader shows."""
    return "" if value is None else value
