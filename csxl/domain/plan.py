"""Budget, milestone (Gantt) and risk-register rules of the plan workbook (issue 4).

Each rule here is also a live formula in the Budget, Milestones or Risks sheet, and each
formula cell carries the value computed here as its cached value, so every rule is kept to
what IF / AND / OR / MIN / MAX / SUM / SUMIF / SUMPRODUCT / ROUND / DATE / YEAR / MONTH /
WEEKDAY can say (all in ../shared/spec/formulas.md's allowed list). Each public function's
docstring gives the formula shape it must match; names in those shapes (``plan``,
``actual``, ``asof`` ...) stand for cells, ``plan_row`` for the 12 month cells of a row and
``month_row`` for a header row holding the month numbers 1..12. ``asof`` is the Settings
as-of date.

Conventions where the issue is silent:

- Blank: ``None``, NaN or ``""`` is a blank cell. A blank plan counts as 0 (as in Excel
  arithmetic); a blank actual means "not booked yet": a month without an actual has no
  variance, no variance % and no flag.
- Money is never rounded. Only comparisons round, to 6 decimals, so that float noise
  (``20 * 1.05`` is not exactly ``21``) can never flip a flag, and Excel (exact
  comparison), LibreOffice (comparison with a relative tolerance) and Python all agree.
  Differences below half a millionth of the unit (a yuan, a share) count as equal.
- Sums run left to right (months) or top to bottom (categories), like SUM, blanks skipped.
- Budget year-to-date compares like with like: YTD plan is the plan of the months through
  the as-of month that have an actual. A month of the YTD window that is not booked yet
  (as of 20 May, May's books are usually still open) adds nothing to either side instead of
  showing up as an underspend of its whole plan. The full-year forecast counts such a month
  at plan, so forecast = full-year plan + YTD variance.
- Milestone dates are whole days and the end date is inclusive ("end 3/31" includes 31
  March). A ``datetime`` is read as its date. A milestone with a blank start or end has no
  elapsed share, no status and no bar, and is neither overdue nor behind; a blank
  % complete counts as 0.
- A risk with status 已关闭 / Closed (compared case-insensitively, like Excel's ``=``) is
  left out of the heat map; any other status, blank included, is open.
- Labels: functions return language-neutral keys ("red", "behind", "high", ...); the
  ``*_LABELS`` mappings give the zh and en text the workbook shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Literal

from csxl.domain.excel_math import excel_round
from csxl.domain.reasons import Invalid

__all__ = [
    "BAR_STATES",
    "BEHIND_MARGIN",
    "BUDGET_FLAG_LABELS",
    "CLOSED_STATUSES",
    "COMPARE_DIGITS",
    "DEFAULT_BUDGET_CATEGORIES",
    "DEFAULT_BUDGET_PLAN",
    "DEFAULT_MILESTONES",
    "DEFAULT_RISKS",
    "MILESTONE_STATUSES",
    "MILESTONE_STATUS_LABELS",
    "MONTHS",
    "RED_FACTOR",
    "RISK_LEVELS",
    "RISK_LEVEL_LABELS",
    "RISK_STATUSES",
    "SCALE",
    "TOTAL_LABELS",
    "BudgetLine",
    "BudgetSummary",
    "Milestone",
    "MilestoneTemplate",
    "Risk",
    "bar_state",
    "behind",
    "default_budget",
    "default_milestones",
    "elapsed_share",
    "flag",
    "forecast",
    "heat_map",
    "is_open",
    "is_today_week",
    "level",
    "month_variance",
    "overdue",
    "score",
    "status",
    "summarize",
    "through_month",
    "total_line",
    "variance_pct",
    "week_starts",
    "ytd",
    "ytd_actual",
    "ytd_flag",
    "ytd_plan",
    "ytd_variance",
    "ytd_variance_pct",
]

Lang = Literal["zh", "en"]
Flag = Literal["red", "amber", "green"]
MilestoneStatus = Literal["done", "overdue", "behind", "not_started", "on_track"]
BarState = Literal["done", "planned"]
RiskLevel = Literal["low", "medium", "high", "critical"]

Amount = float | int | None

MONTHS = 12
# Red when actual > plan x RED_FACTOR: over plan by more than 5%.
RED_FACTOR = 1.05
# Behind when the elapsed share exceeds % complete by more than 10 points.
BEHIND_MARGIN = 0.10
# Comparisons round their difference to this many decimals (see the module docstring).
COMPARE_DIGITS = 6
# Likelihood and impact run 1..5.
SCALE = range(1, 6)


def _labels(zh: dict[str, str], en: dict[str, str]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({"zh": MappingProxyType(zh), "en": MappingProxyType(en)})


BUDGET_FLAG_LABELS = _labels(
    {"red": "超支", "amber": "预警", "green": "正常"},
    {"red": "Over", "amber": "Watch", "green": "On plan"},
)
TOTAL_LABELS: Mapping[str, str] = MappingProxyType({"zh": "合计", "en": "Total"})

# Priority order: the first that applies is the status.
MILESTONE_STATUSES: tuple[MilestoneStatus, ...] = (
    "done",
    "overdue",
    "behind",
    "not_started",
    "on_track",
)
MILESTONE_STATUS_LABELS = _labels(
    {
        "done": "已完成",
        "overdue": "逾期",
        "behind": "落后",
        "not_started": "未开始",
        "on_track": "正常",
    },
    {
        "done": "Done",
        "overdue": "Overdue",
        "behind": "Behind",
        "not_started": "Not started",
        "on_track": "On track",
    },
)
BAR_STATES: tuple[BarState, ...] = ("done", "planned")

# (level, lowest score), highest first: 1-4 low, 5-9 medium, 10-16 high, 17+ critical.
RISK_LEVELS: tuple[tuple[RiskLevel, int], ...] = (
    ("critical", 17),
    ("high", 10),
    ("medium", 5),
    ("low", 1),
)
RISK_LEVEL_LABELS = _labels(
    {"low": "低", "medium": "中", "high": "高", "critical": "极高"},
    {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"},
)
# The status list of the Risks sheet's data validation; the last one closes a risk.
RISK_STATUSES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"zh": ("监控中", "应对中", "已关闭"), "en": ("Monitoring", "Responding", "Closed")}
)
CLOSED_STATUSES: frozenset[str] = frozenset({"已关闭", "closed"})  # casefolded


# --- cells ------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    """An empty cell: None, NaN or the empty string."""
    if value is None or (isinstance(value, str) and value == ""):
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: Amount) -> float:
    """A cell as Excel arithmetic reads it: blank is 0."""
    return 0.0 if _blank(value) else float(value)  # type: ignore[arg-type]


def _sum(values: Iterable[Amount]) -> float:
    """``SUM``: left to right, blanks skipped, 0 when everything is blank."""
    total = 0.0
    for value in values:
        if not _blank(value):
            total += float(value)  # type: ignore[arg-type]
    return total


def _positive_difference(a: float, b: float) -> bool:
    """``ROUND(a-b,6)>0``: ``a`` exceeds ``b`` by more than float noise."""
    return excel_round(a - b, COMPARE_DIGITS) > 0


def _months(name: str, values: Sequence[Amount]) -> Sequence[Amount]:
    if len(values) != MONTHS:
        raise ValueError(f"{name} needs {MONTHS} months, got {len(values)}")
    return values


def _through(through: int) -> int:
    if isinstance(through, bool) or not isinstance(through, int) or not 0 <= through <= MONTHS:
        raise ValueError(f"through_month must be an integer 0..{MONTHS}, got {through!r}")
    return through


# --- budget: one month ------------------------------------------------------------------


def month_variance(plan: Amount, actual: Amount) -> float | None:
    """``IF(actual="","",actual-plan)``: positive is over plan; None when not booked.

    A month without an actual has no variance (not ``-plan``); a blank plan counts as 0.
    """
    if _blank(actual):
        return None
    return float(actual) - _number(plan)  # type: ignore[arg-type]


def variance_pct(plan: Amount, actual: Amount) -> float | None:
    """``IF(OR(actual="",plan=0),"",(actual-plan)/plan)`` as a fraction, unrounded.

    None when the month is not booked or the plan is 0 or blank (a blank cell ``=0`` in
    Excel).
    """
    difference = month_variance(plan, actual)
    base = _number(plan)
    if difference is None or base == 0:
        return None
    return difference / base


def flag(plan: Amount, actual: Amount) -> Flag | None:
    """Red over plan by more than 5%, green at or under plan, amber between; None unbooked.

    ``IF(actual="","",IF(ROUND(actual-plan*1.05,6)>0,"red",
    IF(ROUND(actual-plan,6)<=0,"green","amber")))``: exactly plan x 1.05 is amber, a
    millionth more is red (the rounding only absorbs float noise, e.g. ``19 * 1.05`` is
    just below 19.95). Spending against a blank or 0 plan is red. The workbook shows
    ``BUDGET_FLAG_LABELS[lang][flag]``.
    """
    if _blank(actual):
        return None
    spent = float(actual)  # type: ignore[arg-type]
    base = _number(plan)
    if _positive_difference(spent, base * RED_FACTOR):
        return "red"
    if not _positive_difference(spent, base):
        return "green"
    return "amber"


# --- budget: year to date ---------------------------------------------------------------


def through_month(plan_year: int, as_of: date) -> int:
    """The months 1..n of the plan year that YTD covers: the as-of month, 0 or 12.

    ``IF(year<YEAR(asof),12,IF(year>YEAR(asof),0,MONTH(asof)))``: a past plan year is
    complete, a future one has not begun; the as-of month itself counts (as of 20 May,
    YTD runs January to May).
    """
    if plan_year < as_of.year:
        return MONTHS
    if plan_year > as_of.year:
        return 0
    return as_of.month


def ytd(values: Sequence[Amount], through: int) -> float:
    """``SUMIF(month_row,"<="&through,value_row)``: months 1..through, blanks as 0.

    ``ytd(values, 12)`` is the full-year total (``SUM(value_row)``).
    """
    return _sum(_months("values", values)[: _through(through)])


def ytd_plan(plan: Sequence[Amount], actual: Sequence[Amount], through: int) -> float:
    """Plan of the months 1..through that have an actual: the like-for-like YTD plan.

    ``SUMPRODUCT((month_row<=through)*(actual_row<>""),plan_row)``; 0 when no month is
    booked.
    """
    _months("plan", plan)
    _months("actual", actual)
    months = _through(through)
    return _sum(p for p, a in zip(plan[:months], actual[:months], strict=True) if not _blank(a))


def _booked_before(actual: Sequence[Amount], through: int) -> int:
    """How many of months 1..through have an actual."""
    return sum(1 for a in actual[:through] if not _blank(a))


def ytd_actual(actual: Sequence[Amount], through: int) -> float | None:
    """Actual of months 1..through; None when none of them is booked.

    ``IF(SUMPRODUCT((month_row<=through)*(actual_row<>""))=0,"",
    SUMIF(month_row,"<="&through,actual_row))``.
    """
    _months("actual", actual)
    if _booked_before(actual, _through(through)) == 0:
        return None
    return _sum(actual[:through])


def ytd_variance(plan: Sequence[Amount], actual: Sequence[Amount], through: int) -> float | None:
    """``IF(ytd_actual="","",ytd_actual-ytd_plan)``: the booked months' overspend.

    Equal (up to float rounding) to the sum of the month variances through ``through``;
    an unbooked month adds nothing. None when no month through ``through`` is booked.
    """
    spent = ytd_actual(actual, through)
    if spent is None:
        return None
    return spent - ytd_plan(plan, actual, through)


def ytd_variance_pct(
    plan: Sequence[Amount], actual: Sequence[Amount], through: int
) -> float | None:
    """``IF(OR(ytd_actual="",ytd_plan=0),"",ytd_variance/ytd_plan)``: variance_pct on YTD."""
    return variance_pct(ytd_plan(plan, actual, through), ytd_actual(actual, through))


def ytd_flag(plan: Sequence[Amount], actual: Sequence[Amount], through: int) -> Flag | None:
    """``flag`` applied to the YTD plan and YTD actual cells (same formula, same limits)."""
    return flag(ytd_plan(plan, actual, through), ytd_actual(actual, through))


def forecast(plan: Sequence[Amount], actual: Sequence[Amount], through: int) -> float:
    """Full-year estimate: booked actuals through ``through``, plan for every other month.

    ``IF(ytd_variance="",fy_plan,fy_plan+ytd_variance)`` with ``fy_plan = SUM(plan_row)``.
    When every month through ``through`` is booked this is the manager's "YTD actual +
    plan of the remaining months"; a month of the window not booked yet counts at plan
    rather than 0, and actuals booked after ``through`` are ignored (plan is used).
    """
    full_year = _sum(_months("plan", plan))
    difference = ytd_variance(plan, actual, through)
    return full_year if difference is None else full_year + difference


# --- budget: rows -----------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    """One Budget row: a category with 12 monthly plan and actual amounts (None = blank).

    Lists are stored as tuples. Amounts must be finite numbers or blank; negative amounts
    (refunds, credits) are allowed.
    """

    category: str
    plan: tuple[Amount, ...]
    actual: tuple[Amount, ...] = (None,) * MONTHS

    def __post_init__(self) -> None:
        for name in ("plan", "actual"):
            values = tuple(getattr(self, name))
            _months(f"{self.category}: {name}", values)
            for value in values:
                if _blank(value):
                    continue
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise Invalid(
                        f"{self.category}: {name} amounts must be numbers",
                        f"{self.category}：{_AMOUNTS_ZH[name]}金额必须是数字",
                    )
                if not math.isfinite(value):
                    raise Invalid(
                        f"{self.category}: {name} amounts must be finite",
                        f"{self.category}：{_AMOUNTS_ZH[name]}金额必须是有限的数",
                    )
            object.__setattr__(self, name, tuple(None if _blank(v) else v for v in values))


@dataclass(frozen=True)
class BudgetSummary:
    """The computed columns of one Budget row for one as-of month (see ``summarize``)."""

    full_year_plan: float
    ytd_plan: float
    ytd_actual: float | None
    ytd_variance: float | None
    ytd_variance_pct: float | None
    forecast: float
    flag: Flag | None
    month_variance: tuple[float | None, ...]
    month_variance_pct: tuple[float | None, ...]
    month_flag: tuple[Flag | None, ...]


def summarize(line: BudgetLine, through: int) -> BudgetSummary:
    """All computed cells of a Budget row: the month columns and the YTD block.

    ``flag`` is the YTD flag (``ytd_flag``); ``month_*`` hold ``month_variance``,
    ``variance_pct`` and ``flag`` per month. The totals row goes through the same rules
    (``summarize(total_line(lines), through)``).
    """
    pairs = list(zip(line.plan, line.actual, strict=True))
    return BudgetSummary(
        full_year_plan=ytd(line.plan, MONTHS),
        ytd_plan=ytd_plan(line.plan, line.actual, through),
        ytd_actual=ytd_actual(line.actual, through),
        ytd_variance=ytd_variance(line.plan, line.actual, through),
        ytd_variance_pct=ytd_variance_pct(line.plan, line.actual, through),
        forecast=forecast(line.plan, line.actual, through),
        flag=ytd_flag(line.plan, line.actual, through),
        month_variance=tuple(month_variance(p, a) for p, a in pairs),
        month_variance_pct=tuple(variance_pct(p, a) for p, a in pairs),
        month_flag=tuple(flag(p, a) for p, a in pairs),
    )


def total_line(lines: Iterable[BudgetLine], category: str = "合计") -> BudgetLine:
    """The totals row: month by month, the sum over categories (top to bottom).

    Plan: ``SUM(plan_column)``, blanks as 0. Actual:
    ``IF(SUMPRODUCT((actual_column<>"")*1)=0,"",SUM(actual_column))``: blank while no
    category has booked the month, else the sum with unbooked categories as 0. The totals
    row then takes every row rule as it is, so book all categories of a month together: a
    category left blank in a month some other category has booked counts as 0 in the
    total (and so as underspend).
    """
    rows = list(lines)
    plan: list[Amount] = []
    actual: list[Amount] = []
    for month in range(MONTHS):
        plan.append(_sum(row.plan[month] for row in rows))
        booked = [row.actual[month] for row in rows if not _blank(row.actual[month])]
        actual.append(_sum(booked) if booked else None)
    return BudgetLine(category, tuple(plan), tuple(actual))


# --- milestones -------------------------------------------------------------------------


def _day(value: date | None) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def _share(pct: float | None) -> float:
    """% complete as a fraction 0..1; blank is 0."""
    if _blank(pct):
        return 0.0
    share = float(pct)  # type: ignore[arg-type]
    if not 0.0 <= share <= 1.0:
        raise Invalid(
            f"% complete must be a fraction 0..1, got {pct!r}",
            f"完成百分比必须在 0% 到 100% 之间，而不是 {pct}",
        )
    return share


def _window(start: date | None, end: date | None) -> tuple[date, date] | None:
    first, last = _day(start), _day(end)
    if first is None or last is None:
        return None
    if last < first:
        raise Invalid(
            f"milestone ends ({last}) before it starts ({first})",
            f"里程碑的结束日期（{last}）早于开始日期（{first}）",
        )
    return first, last


def elapsed_share(start: date | None, end: date | None, as_of: date) -> float | None:
    """Share of the window's days gone by at ``as_of``, both ends inclusive, in [0, 1].

    ``IF(OR(start="",end=""),"",MAX(0,MIN(1,(asof-start+1)/(end-start+1))))``: 1/n on
    the start day, 1 on the end day and after, 0 before the start. None when a date is
    blank.
    """
    window = _window(start, end)
    if window is None:
        return None
    first, last = window
    gone = (_day(as_of) - first).days + 1  # type: ignore[operator]
    return max(0.0, min(1.0, gone / ((last - first).days + 1)))


def overdue(end: date | None, pct: float | None, as_of: date) -> bool:
    """Past the end date and not 100% complete: ``AND(end<>"",asof>end,pct<1)``."""
    last = _day(end)
    if last is None:
        return False
    return _day(as_of) > last and _share(pct) < 1  # type: ignore[operator]


def behind(start: date | None, end: date | None, pct: float | None, as_of: date) -> bool:
    """Elapsed share exceeds % complete by more than 10 points (strictly).

    ``AND(elapsed<>"",ROUND(elapsed-pct,6)>0.1)`` on the ``elapsed_share`` cell: exactly
    10 points is not behind (``0.4 - 0.3`` is 0.10000000000000003 in floats, hence the
    rounding), 10.1 is. Reported independently of ``overdue``: a late, unfinished
    milestone is usually both.
    """
    elapsed = elapsed_share(start, end, as_of)
    if elapsed is None:
        return False
    return excel_round(elapsed - _share(pct), COMPARE_DIGITS) > BEHIND_MARGIN


def status(
    start: date | None, end: date | None, pct: float | None, as_of: date
) -> MilestoneStatus | None:
    """The first that applies of done > overdue > behind > not_started > on_track.

    ``IF(OR(start="",end=""),"",IF(pct>=1,"已完成",IF(overdue,"逾期",IF(behind,"落后",
    IF(AND(asof<start,pct=0),"未开始","正常")))))`` with the texts of
    ``MILESTONE_STATUS_LABELS[lang]``. Not started means before the start date with
    nothing done; work begun early is on track. None when a date is blank.
    """
    window = _window(start, end)
    if window is None:
        return None
    share = _share(pct)
    if share >= 1:
        return "done"
    if overdue(end, share, as_of):
        return "overdue"
    if behind(start, end, share, as_of):
        return "behind"
    if _day(as_of) < window[0] and share == 0:  # type: ignore[operator]
        return "not_started"
    return "on_track"


def week_starts(year: int) -> tuple[date, ...]:
    """The Gantt grid's columns: Mondays from the one on or before 1 January, weekly,
    while the week starts on or before 31 December.

    53 columns, or 54 for a leap year that starts on a Sunday (2040). First column
    ``DATE(year,1,1)-WEEKDAY(DATE(year,1,1),2)+1``, each next one ``IF(prev+7>
    DATE(year,12,31),"",prev+7)`` (a 54-column grid ends blank in other years).
    """
    new_year = date(year, 1, 1)
    week = new_year - timedelta(days=new_year.weekday())
    weeks = []
    while week <= date(year, 12, 31):
        weeks.append(week)
        week += timedelta(days=7)
    return tuple(weeks)


def bar_state(
    week_start: date, start: date | None, end: date | None, pct: float | None
) -> BarState | None:
    """How a Gantt cell is painted: the week ``[week_start, week_start+6]`` against the bar.

    In the bar: ``AND(start<>"",end<>"",week<=end,week+6>=start)``. Done, checked first
    (conditional formatting with stop-if-true): in the bar and
    ``AND(pct>0,week-start<ROUND(pct*(end-start+1),6))``, i.e. the week starts before the
    first ``pct`` share of the bar's days is over; the rest of the bar is planned. With
    pct 0 no week is done; with pct 1 every week of the bar is. None outside the bar.
    """
    window = _window(start, end)
    if window is None:
        return None
    first, last = window
    week = _day(week_start)
    if week > last or week + timedelta(days=6) < first:  # type: ignore[operator]
        return None
    share = _share(pct)
    done_days = excel_round(share * ((last - first).days + 1), COMPARE_DIGITS)
    if share > 0 and (week - first).days < done_days:  # type: ignore[operator]
        return "done"
    return "planned"


def is_today_week(week_start: date, as_of: date) -> bool:
    """The week holding the as-of date (the today line): ``AND(asof>=week,asof<week+7)``."""
    week, today = _day(week_start), _day(as_of)
    return week <= today < week + timedelta(days=7)  # type: ignore[operator]


@dataclass(frozen=True)
class Milestone:
    """One Milestones row. ``pct_complete`` is a fraction 0..1; dates may be blank (None)."""

    quarter: int
    milestone: str
    deliverable: str
    acceptance: str
    owner: str
    start: date | None
    end: date | None
    pct_complete: float = 0.0

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise Invalid(
                f"{self.milestone}: quarter must be 1..4, got {self.quarter!r}",
                f"{self.milestone}：季度必须是 1 到 4，而不是 {self.quarter}",
            )
        _window(self.start, self.end)
        _share(self.pct_complete)


@dataclass(frozen=True)
class MilestoneTemplate:
    """A default milestone; start and end are (month, day) within the plan year."""

    quarter: int
    milestone: str
    deliverable: str
    acceptance: str
    owner: str
    start: tuple[int, int]
    end: tuple[int, int]

    def for_year(self, year: int) -> Milestone:
        return Milestone(
            self.quarter,
            self.milestone,
            self.deliverable,
            self.acceptance,
            self.owner,
            date(year, *self.start),
            date(year, *self.end),
            0.0,
        )


_QUARTERS = (((1, 1), (3, 31)), ((4, 1), (6, 30)), ((7, 1), (9, 30)), ((10, 1), (12, 31)))

_MILESTONES_ZH = (
    (
        "知识库梳理与话术库上线",
        "知识库全量梳理（下架过期条目、每条指定负责人与复核日期）；"
        "覆盖 Top 50 咨询问题的标准话术库",
        "Top 50 问题话术覆盖率 100%；知识库搜索无结果率 ≤ 5%；全员话术考试平均分 ≥ 85 分",
        "培训主管",
    ),
    (
        "智能分流上线",
        "按问题类型与客户等级的智能路由规则；机器人承接常见问题；VIP 优先队列",
        "机器人独立解决率 ≥ 30%；转人工后首次响应均值 ≤ 60 秒；错分率 ≤ 5%",
        "运营主管",
    ),
    (
        "双11大促保障准备",
        "大促保障方案：进线量预测、排班与临时客服到岗、大促 FAQ 与快捷话术、应急预案",
        "9 月 30 日前完成 2 次应急演练；临时客服上岗考试通过率 100%（≥ 85 分）；"
        "排班可承接预测峰值的 120%",
        "客服经理",
    ),
    (
        "年度复盘与次年规划",
        "年度复盘报告（全部 KPI 同比、大促复盘、预算执行）；次年目标、预算与里程碑草案",
        "12 月 20 日前评审通过；改进项 ≥ 5 条且均有负责人和完成期限",
        "客服经理",
    ),
)
_MILESTONES_EN = (
    (
        "Knowledge base clean-up and script library live",
        "Full knowledge-base review (retire outdated articles, an owner and review date for "
        "each); standard replies covering the top 50 contact reasons",
        "Top 50 reasons 100% covered; knowledge-base searches with no result <= 5%; average "
        "script test score >= 85 for all agents",
        "Training lead",
    ),
    (
        "Smart routing live",
        "Routing rules by contact reason and customer tier; chatbot answers common questions; "
        "VIP priority queue",
        "Chatbot self-service resolution >= 30%; mean first response after hand-over <= 60 s; "
        "misrouted contacts <= 5%",
        "Operations lead",
    ),
    (
        "Singles' Day peak readiness",
        "Peak plan: volume forecast, rota and temporary agents on board, peak FAQ and quick "
        "replies, contingency plan",
        "2 contingency drills done by 30 Sep; 100% of temporary agents pass the onboarding "
        "test (>= 85); rota covers 120% of the forecast peak",
        "CS manager",
    ),
    (
        "Annual review and next year's plan",
        "Annual review (every KPI year on year, peak-season review, budget execution); draft "
        "targets, budget and milestones for next year",
        "Approved by 20 Dec; at least 5 improvement actions, each with an owner and a due date",
        "CS manager",
    ),
)

DEFAULT_MILESTONES: Mapping[str, tuple[MilestoneTemplate, ...]] = MappingProxyType(
    {
        lang: tuple(
            MilestoneTemplate(quarter, *texts, *_QUARTERS[quarter - 1])
            for quarter, texts in enumerate(rows, start=1)
        )
        for lang, rows in (("zh", _MILESTONES_ZH), ("en", _MILESTONES_EN))
    }
)


def default_milestones(year: int, lang: Lang = "zh") -> tuple[Milestone, ...]:
    """The four quarterly default milestones of a plan year, 0% complete."""
    return tuple(template.for_year(year) for template in DEFAULT_MILESTONES[lang])


# --- risks ------------------------------------------------------------------------------


_RATINGS_ZH = {"likelihood": "可能性", "impact": "影响"}
_AMOUNTS_ZH = {"plan": "计划", "actual": "实际"}


def _rating(name: str, value: int | None) -> int | None:
    if _blank(value):
        return None
    bad = Invalid(
        f"{name} must be 1..5, got {value!r}",
        f"{_RATINGS_ZH.get(name, name)}必须是 1 到 5，而不是 {value}",
    )
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad
    if value not in SCALE:  # 3.0 is in range(1, 6); 2.5 is not
        raise bad
    return int(value)


def score(likelihood: int | None, impact: int | None) -> int | None:
    """``IF(OR(likelihood="",impact=""),"",likelihood*impact)``: 1..25; None when blank."""
    chance = _rating("likelihood", likelihood)
    effect = _rating("impact", impact)
    if chance is None or effect is None:
        return None
    return chance * effect


def level(risk_score: int | None) -> RiskLevel | None:
    """Low 1-4, medium 5-9, high 10-16, critical 17 and up (scores 20 and 25).

    ``IF(score="","",IF(score>=17,"极高",IF(score>=10,"高",IF(score>=5,"中","低"))))``
    with the texts of ``RISK_LEVEL_LABELS[lang]``. None when the score is blank.
    """
    if _blank(risk_score):
        return None
    assert risk_score is not None
    if not 1 <= risk_score <= 25:
        raise Invalid(
            f"a risk score runs 1..25, got {risk_score!r}",
            f"风险分值在 1 到 25 之间，而不是 {risk_score}",
        )
    for name, lowest in RISK_LEVELS:
        if risk_score >= lowest:
            return name
    raise AssertionError("unreachable: the lowest level starts at 1")


def is_open(risk_status: str | None) -> bool:
    """Anything but 已关闭 / Closed, compared case-insensitively as Excel does; blank is open."""
    if _blank(risk_status):
        return True
    assert risk_status is not None
    return risk_status.casefold() not in CLOSED_STATUSES


@dataclass(frozen=True)
class Risk:
    """One Risks row. Likelihood and impact are 1..5 (None = not rated yet)."""

    id: str
    risk: str
    category: str
    likelihood: int | None
    impact: int | None
    trigger: str
    prevention: str
    response: str
    owner: str = ""
    status: str = ""
    review_date: date | None = None

    def __post_init__(self) -> None:
        score(self.likelihood, self.impact)  # validates both ratings

    @property
    def score(self) -> int | None:
        return score(self.likelihood, self.impact)

    @property
    def level(self) -> RiskLevel | None:
        return level(self.score)

    @property
    def is_open(self) -> bool:
        return is_open(self.status)


def heat_map(risks: Iterable[Risk]) -> tuple[tuple[int, ...], ...]:
    """Open, rated risks counted by (likelihood, impact): ``counts[likelihood-1][impact-1]``.

    Each cell: ``SUMPRODUCT((L_col=l)*(I_col=i)*(status_col<>"已关闭")*
    (status_col<>"Closed"))``. Closed risks and risks without both ratings are left out.
    """
    counts = [[0] * len(SCALE) for _ in SCALE]
    for risk in risks:
        if risk.score is None or not risk.is_open:
            continue
        counts[risk.likelihood - 1][risk.impact - 1] += 1  # type: ignore[operator]
    return tuple(tuple(row) for row in counts)


_RISKS_ZH = (
    (
        "人员流失",
        "人员",
        3,
        4,
        "月离职率 > 5%，或两周内 2 人及以上提出离职；员工满意度调研 < 3.5 分（5 分制）",
        "导师制与梯队培养（每组 1 名储备组长）；关键技能 AB 角与交叉培训；每月一对一沟通；"
        "绩效奖金按月及时兑现",
        "48 小时内启用兼职/外包池补位；AB 角接手空缺队列；暂停非紧急项目并调整排班；"
        "离职面谈找出原因并在月会上复盘",
        "客服经理",
    ),
    (
        "系统故障",
        "系统",
        2,
        5,
        "工单/在线客服/电话系统不可用，或响应 > 5 秒持续 5 分钟；排队掉线率突增",
        "系统监控告警（5 分钟内告警）；与 IT 约定升级通道与恢复时限；每季度 1 次故障演练；"
        "备用渠道与人工登记表提前备好",
        "5 分钟内告警并升级 IT；10 分钟内启用替代方案（备用渠道/人工登记）；"
        "30 分钟内对客公告（App、公众号、IVR）；恢复后补录工单，24 小时内复盘",
        "运营主管",
    ),
    (
        "客诉激增",
        "服务质量",
        3,
        3,
        "日投诉量 > 近 4 周日均的 150%，或同一问题 1 小时内 ≥ 20 单；出现社交媒体/媒体曝光",
        "投诉标签每日监控；产品、物流异常与客服联动机制；上线和活动前客服参与评审并备好话术",
        "成立专项小组；1 小时内下发统一口径；升级相关部门负责人；按授权执行补偿方案；"
        "每日通报至关闭",
        "质检主管",
    ),
    (
        "大促咨询高峰",
        "业务量",
        5,
        4,
        "大促前 2 周预测进线量 > 日常的 200%；预售期咨询量周环比 > 50%",
        "提前 6 周按预测排班（Erlang C）；招募并培训临时客服；大促 FAQ 与快捷话术上线；"
        "机器人分流常见问题",
        "启用弹性排班、加班与支援池；机器人承接常见问题；非紧急工单延后并公告回复时效；"
        "每 30 分钟看排队并调整",
        "运营主管",
    ),
    (
        "知识库过期",
        "知识管理",
        4,
        2,
        "产品/政策变更 48 小时后知识库仍未更新；因信息错误导致的质检差错占比 > 5%",
        "每篇知识指定负责人与复核日期；产品与运营发布前同步客服；每月抽检 10% 条目",
        "24 小时内修订并全员推送更新通知；回访受影响客户并纠正；质检复盘差错原因",
        "培训主管",
    ),
)
_RISKS_EN = (
    (
        "Staff turnover",
        "People",
        3,
        4,
        "Monthly attrition > 5%, or 2+ resignations within two weeks; staff survey < 3.5 of 5",
        "Mentoring and a bench of successors (one deputy lead per group); backup owners and "
        "cross-training for key skills; monthly one-to-ones; bonuses paid on time every month",
        "Bring in the part-time/outsourcing pool within 48 h; backup owners take over the "
        "vacant queues; pause non-urgent projects and rework the rota; exit interviews, "
        "reviewed at the monthly meeting",
        "CS manager",
    ),
    (
        "System failure",
        "Systems",
        2,
        5,
        "Ticketing, chat or phone system down, or responses > 5 s for 5 minutes; sudden rise "
        "in dropped calls",
        "Monitoring with alerts within 5 minutes; an escalation path and recovery time agreed "
        "with IT; a failure drill every quarter; backup channel and manual log sheet ready",
        "Alert and escalate to IT within 5 minutes; switch to the workaround (backup channel "
        "or manual log) within 10 minutes; announce to customers within 30 minutes (app, "
        "official account, IVR); back-fill tickets after recovery and review within 24 h",
        "Operations lead",
    ),
    (
        "Complaint surge",
        "Service quality",
        3,
        3,
        "Daily complaints > 150% of the 4-week daily average, or 20+ on one issue within an "
        "hour; social-media or press exposure",
        "Daily watch on complaint tags; a joint process with product and logistics for "
        "incidents; CS reviews launches and campaigns beforehand and prepares replies",
        "Set up a task force; one agreed message out within 1 hour; escalate to the owning "
        "department's head; apply the approved compensation rules; daily update until closed",
        "QA lead",
    ),
    (
        "Promotion-season peak",
        "Volume",
        5,
        4,
        "Forecast volume > 200% of normal two weeks before a sales event; pre-sale enquiries "
        "up > 50% week on week",
        "Rota from the forecast (Erlang C) six weeks ahead; recruit and train temporary "
        "agents; peak FAQ and quick replies live; chatbot deflects common questions",
        "Flexible shifts, overtime and the support pool; chatbot takes common questions; "
        "defer non-urgent tickets and announce reply times; check the queue every 30 minutes "
        "and adjust",
        "Operations lead",
    ),
    (
        "Outdated knowledge base",
        "Knowledge",
        4,
        2,
        "Knowledge base not updated 48 h after a product or policy change; > 5% of QA errors "
        "caused by wrong information",
        "An owner and review date for every article; product and operations brief CS before "
        "releases; monthly check of 10% of articles",
        "Fix within 24 h and notify all agents; call back affected customers and correct; QA "
        "review of the errors' causes",
        "Training lead",
    ),
)

DEFAULT_RISKS: Mapping[str, tuple[Risk, ...]] = MappingProxyType(
    {
        lang: tuple(
            Risk(f"R{number:02d}", *texts[:8], status=RISK_STATUSES[lang][0])
            for number, texts in enumerate(rows, start=1)
        )
        for lang, rows in (("zh", _RISKS_ZH), ("en", _RISKS_EN))
    }
)


# --- budget defaults --------------------------------------------------------------------

DEFAULT_BUDGET_CATEGORIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "zh": ("人力成本", "培训", "系统维护", "办公"),
        "en": ("Staff costs", "Training", "System maintenance", "Office"),
    }
)

# Example monthly plan in CNY for a 10-agent team with one supervisor, in the order of
# DEFAULT_BUDGET_CATEGORIES (demos and the template's sample inputs; not a recommendation).
# Staff: 10 agents at about 9,000 fully loaded plus a supervisor at 15,000, with overtime
# and temporary agents for 618 (June) and Singles' Day (November). Training: onboarding and
# the year's curriculum in Q1, then refreshers. Systems: ticketing/chat seats and telephony.
# Office: rent share, equipment and consumables.
DEFAULT_BUDGET_PLAN: tuple[tuple[int, ...], ...] = (
    (
        105_000,
        105_000,
        105_000,
        105_000,
        105_000,
        118_000,
        105_000,
        105_000,
        105_000,
        105_000,
        126_000,
        105_000,
    ),
    (8_000, 8_000, 8_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000, 3_000),
    (6_000,) * MONTHS,
    (3_500,) * MONTHS,
)


def default_budget(lang: Lang = "zh") -> tuple[BudgetLine, ...]:
    """The default Budget rows: DEFAULT_BUDGET_PLAN under the language's categories, no
    actuals."""
    return tuple(
        BudgetLine(name, plan)
        for name, plan in zip(DEFAULT_BUDGET_CATEGORIES[lang], DEFAULT_BUDGET_PLAN, strict=True)
    )
