"""Sample Milestones, Budget and Risks inputs, with their values worked out by hand.

As of 20 May 2026 (YTD runs January to May):

Budget (plan: DEFAULT_BUDGET_PLAN; actuals for January to May):

- staff: 100,000 / 104,000 / 105,000 / 103,000 / May not booked yet. YTD plan 4 x 105,000 =
  420,000, actual 412,000, variance -8,000; forecast 1,294,000 - 8,000 = 1,286,000; green.
- training: 8,000 / 7,000 / 8,800 (March 10% over: red) / 3,150 (April exactly 5% over:
  amber) / 2,500 (May under: green). YTD plan 3 x 8,000 + 2 x 3,000 = 30,000, actual
  29,450, variance -550 (-1.83%); forecast 51,000 - 550 = 50,450; green.
- systems: 6,000 x 4 then 9,000 in May (+50%). YTD 30,000 vs 33,000: +3,000, +10%: red;
  forecast 75,000.
- office: 3,500 / 3,500 / 3,600 / 3,600 / 3,650. YTD 17,500 vs 17,850: +350, +2%: amber;
  forecast 42,350.
- total: full-year plan 1,459,000; YTD plan 602,500 (every month through May is booked by
  some category), actual 492,300 (staff's open May counts as 0 in the total), variance
  -110,200; May's actual 15,150.

Milestones: done (100%), overdue (ended 15 May at 80%: overdue and behind), behind by 10.1
points (1 May - 9 June is 40 days, 20 gone: elapsed 50%, 39.9% done), exactly 10 points
(40% done: on track), not started (July).

Risks: the five defaults, a closed one rated 5 x 5 (not on the heat map), one with a blank
status rated 1 x 2 (open) and an unrated one.
"""

from __future__ import annotations

from datetime import date

from csxl.domain import plan
from csxl.domain.plan import BudgetLine, Milestone, Risk
from csxl.workbook.book import PlanInputs

YEAR = 2026
AS_OF = date(2026, 5, 20)
_ = None

ACTUALS = (
    (100_000, 104_000, 105_000, 103_000, _),
    (8_000, 7_000, 8_800, 3_150, 2_500),
    (6_000, 6_000, 6_000, 6_000, 9_000),
    (3_500, 3_500, 3_600, 3_600, 3_650),
)


def budget(lang: str) -> list[BudgetLine]:
    return [
        BudgetLine(category, plan_row, actual + (_,) * 7)
        for category, plan_row, actual in zip(
            plan.DEFAULT_BUDGET_CATEGORIES[lang], plan.DEFAULT_BUDGET_PLAN, ACTUALS, strict=True
        )
    ]


def milestones(lang: str) -> list[Milestone]:
    q1, q2, q3, _q4 = plan.default_milestones(YEAR, lang)  # type: ignore[arg-type]

    def like(m: Milestone, quarter: int, start: date, end: date, pct: float, name: str = ""):
        return Milestone(
            quarter, name or m.milestone, m.deliverable, m.acceptance, m.owner, start, end, pct
        )

    behind = "落后 10.1 个百分点" if lang == "zh" else "Behind by 10.1 points"
    on_track = "恰好 10 个百分点" if lang == "zh" else "Exactly 10 points"
    return [
        like(q1, 1, date(2026, 1, 5), date(2026, 3, 31), 1.0),
        like(q2, 2, date(2026, 4, 1), date(2026, 5, 15), 0.8),
        like(q2, 2, date(2026, 5, 1), date(2026, 6, 9), 0.399, behind),
        like(q2, 2, date(2026, 5, 1), date(2026, 6, 9), 0.4, on_track),
        like(q3, 3, date(2026, 7, 1), date(2026, 9, 30), 0.0),
    ]


def risks(lang: str) -> list[Risk]:
    closed = plan.RISK_STATUSES[lang][-1]
    return [
        *plan.DEFAULT_RISKS[lang],
        Risk("R06", "closed", "x", 5, 5, "t", "p", "r", "o", closed, date(2026, 6, 30)),
        Risk("R07", "blank status", "x", 1, 2, "t", "p", "r"),
        Risk("R08", "unrated", "x", None, 3, "t", "p", "r"),
    ]


def plan_inputs(lang: str, **changes) -> PlanInputs:
    fields = {
        "lang": lang,
        "team": "售后一组",
        "year": YEAR,
        "as_of": AS_OF,
        "today": date(2026, 5, 20),
        "milestones": milestones(lang),
        "budget": budget(lang),
        "risks": risks(lang),
    }
    return PlanInputs(**(fields | changes))
