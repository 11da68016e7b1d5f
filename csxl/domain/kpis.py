"""The KPI engine: every ticket KPI of ../shared/spec/kpis.md, for any grouping.

Two steps, both vectorised: `facts` turns valid tickets into per-ticket numbers and flags
(first-response seconds, resolved?, answered survey?, ...), then `compute` sums, counts and
takes quantiles of those facts per group. A team figure is always computed from the team's
tickets, never from its agents' figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time

import numpy as np
import pandas as pd

from csxl.domain.catalog import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S, GROUPINGS
from csxl.domain.tickets import RESOLVED_STATUS, TicketSet

KPI_KEYS = (
    "tickets", "csat", "csat_avg", "survey_response_rate",
    "frt_mean", "frt_median", "frt_p90", "frt_sla",
    "resolution_rate", "rt_mean", "rt_median", "rt_p90", "rt_sla",
    "fcr", "reopen_rate", "aht", "complaints", "escalated", "complaints_per_10k",
    "bad_reviews", "bad_review_reviewed", "bad_review_reasons", "peak_queue_mean", "dept_sla",
)  # fmt: skip
BAD_REVIEW_REASONS = ("响应慢", "解答不专业", "承诺未兑现", "其他")


@dataclass(frozen=True)
class KpiSettings:
    """Limits and windows a plan can change; defaults from the spec."""

    frt_target_s: float = DEFAULT_FRT_TARGET_S
    rt_target_s: float = DEFAULT_RT_TARGET_S
    peak_start: time = time(9, 0)
    peak_end: time = time(11, 0)  # excluded
    dept_limits_h: dict[str, float] = field(default_factory=lambda: {"常规": 4.0, "技术排查": 24.0})
    dept_limits_workdays: dict[str, int] = field(default_factory=lambda: {"产品优化": 3})
    dept_aliases: dict[str, str] = field(default_factory=lambda: {"功能解释": "常规"})
    active_customers: float | None = None  # a plan input; complaints_per_10k needs it
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    # Years chinese-calendar does not know whose official schedule the Holidays sheet holds.
    entered_years: tuple[int, ...] = ()


@dataclass
class KpiResult:
    groups: list[dict]  # {"by", "key", "kpis"} in output order
    unavailable: dict[str, str]
    warnings: list[str]


def unavailable(tickets: TicketSet, settings: KpiSettings) -> dict[str, str]:
    """KPIs whose columns the data lacks, with the reason (spec: never reported as 0)."""
    has = tickets.columns
    resolution = bool(has & {"resolved_at", "status"})
    frt = bool(has & {"first_response_at", "first_response_s"})
    survey_sent = "survey_sent" in has or bool(
        "csat" in has and tickets.frame["csat_offered"].notna().any()
    )
    reasons: dict[str, str] = {}

    def need(keys: Sequence[str], ok: bool, why: str) -> None:
        for key in keys:
            if not ok and key not in reasons:
                reasons[key] = why

    need(
        [
            "csat",
            "bad_reviews",
            "csat_avg",
            "survey_response_rate",
            "bad_review_reviewed",
            "bad_review_reasons",
        ],
        "csat" in has,
        "no satisfaction column",
    )
    need(["csat_avg"], tickets.csat_scale == "score", "satisfaction is good/bad, not a 1-5 score")
    need(
        ["survey_response_rate"],
        survey_sent or resolution,
        "no survey-sent column and no resolution column",
    )
    need(
        ["frt_mean", "frt_median", "frt_p90", "frt_sla", "peak_queue_mean"],
        frt,
        "no first-response column",
    )
    need(["resolution_rate"], resolution, "no resolution time or status column")
    need(
        ["rt_mean", "rt_median", "rt_p90", "rt_sla"],
        "resolved_at" in has,
        "no resolution time column",
    )
    need(["fcr"], resolution, "no resolution time or status column")
    need(["fcr"], bool(has & {"fcr", "contacts"}), "no FCR column and no contacts column")
    need(["reopen_rate"], resolution, "no resolution time or status column")
    need(["reopen_rate"], "reopens" in has, "no reopens column")
    need(["aht"], "handle_s" in has, "no handle-time column")
    need(["complaints", "complaints_per_10k"], "complaint" in has, "no complaint column")
    need(
        ["complaints_per_10k"],
        settings.active_customers is not None,
        "needs the number of active customers (a plan input)",
    )
    need(["escalated"], "escalated" in has, "no escalated-complaint column")
    need(["bad_review_reviewed"], "reviewed" in has, "no review column")
    need(["bad_review_reasons"], "bad_review_reason" in has, "no bad-review reason column")
    need(
        ["dept_sla"],
        {"dept_type", "dept_sent_at", "dept_done_at"} <= has,
        "no collaboration type, sent and done columns",
    )
    return reasons


def facts(tickets: TicketSet, settings: KpiSettings) -> tuple[pd.DataFrame, list[str]]:
    """Per-ticket numbers and flags that every KPI is an aggregate of."""
    t = tickets.frame
    n = len(t)
    f = pd.DataFrame(index=t.index)
    f["created_at"] = t["created_at"]
    false = pd.Series(False, index=t.index)

    def flag(column: str) -> pd.Series:
        return t[column].fillna(False).astype(bool) if column in t else false

    frt = pd.Series(np.nan, index=t.index)
    if "first_response_s" in t:
        frt = t["first_response_s"].astype("float64")
    if "first_response_at" in t:  # a timestamp difference wins over a duration
        stamped = (t["first_response_at"] - t["created_at"]).dt.total_seconds()
        frt = stamped.where(t["first_response_at"].notna(), frt)
    f["frt"] = frt
    f["frt_met"] = frt <= settings.frt_target_s

    resolved = false.copy()
    if "resolved_at" in t:
        resolved |= t["resolved_at"].notna()
    if "status" in t:
        resolved |= t["status"].str.lower().isin(RESOLVED_STATUS).fillna(False).astype(bool)
    f["resolved"] = resolved
    rt = (t["resolved_at"] - t["created_at"]).dt.total_seconds() if "resolved_at" in t else np.nan
    f["rt"] = rt
    f["rt_met"] = f["rt"] <= settings.rt_target_s

    if "csat" in t:
        answered = t["csat_good"].notna()
        f["answered"] = answered
        f["satisfied"] = t["csat_good"].fillna(False).astype(bool)
        f["score"] = t["csat"]
        f["bad"] = answered & ~f["satisfied"]
        offered = t["csat_offered"].fillna(False).astype(bool)
    else:
        f["answered"] = f["satisfied"] = f["bad"] = false
        f["score"] = np.nan
        offered = false
    # An answered survey was sent, whatever a sent column says.
    if "survey_sent" in t or offered.any():
        f["sent"] = flag("survey_sent") | offered | f["answered"]
    else:
        f["sent"] = resolved

    if "fcr" in t:
        one_touch = flag("fcr")
    elif "contacts" in t:
        reopens = t["reopens"].fillna(0) if "reopens" in t else 0
        one_touch = (t["contacts"] == 1) & (reopens == 0)
    else:
        one_touch = false
    f["fcr"] = resolved & one_touch
    f["reopened"] = resolved & ((t["reopens"] > 0) if "reopens" in t else false)
    f["handle"] = t.get("handle_s", np.nan)
    f["complaint"] = flag("complaint")
    f["escalated"] = flag("escalated")
    f["reviewed_bad"] = f["bad"] & flag("reviewed")
    if "bad_review_reason" in t:
        reason = t["bad_review_reason"].where(
            t["bad_review_reason"].isin(BAD_REVIEW_REASONS), "其他"
        )
        reason = reason.where(t["bad_review_reason"].notna())
        for r in BAD_REVIEW_REASONS:
            f["reason:" + r] = f["bad"] & (reason == r).fillna(False).astype(bool)
    clock = t["created_at"].dt.hour * 60 + t["created_at"].dt.minute
    start = settings.peak_start.hour * 60 + settings.peak_start.minute
    end = settings.peak_end.hour * 60 + settings.peak_end.minute
    f["peak_frt"] = frt.where((clock >= start) & (clock < end))
    warnings: list[str] = []
    if {"dept_type", "dept_sent_at", "dept_done_at"} <= tickets.columns:
        f["collab"], f["collab_met"], warnings = _dept_sla(t, settings)
    else:
        f["collab"] = f["collab_met"] = false
    assert len(f) == n
    return f, warnings


def dept_sla_flags(
    t: pd.DataFrame, settings: KpiSettings
) -> tuple[pd.Series, pd.Series, list[str]]:
    """Per ticket: is it a collaboration, did the department finish within its type's limit
    (dept_sla's rule), and the calendar warnings. For csxl.domain.sla's appraisal."""
    if not {"dept_type", "dept_sent_at", "dept_done_at"} <= set(t.columns):
        no = pd.Series(False, index=t.index)  # no collaboration columns (read as absent)
        return no, no.copy(), []
    return _dept_sla(t, settings)


def _dept_sla(t: pd.DataFrame, settings: KpiSettings) -> tuple[pd.Series, pd.Series, list[str]]:
    collab = t["dept_type"].notna().to_numpy()
    met = np.zeros(len(t), dtype=bool)
    warnings: list[str] = []
    at = np.flatnonzero(collab)
    if len(at):  # only the collaborations (a few percent of tickets) need a deadline
        kind = t["dept_type"].iloc[at].replace(settings.dept_aliases)
        sent, done = t["dept_sent_at"].iloc[at], t["dept_done_at"].iloc[at]
        deadline = pd.Series(pd.NaT, index=kind.index, dtype="datetime64[ns]")
        hours = kind.map(settings.dept_limits_h)
        # A type with no limit of its own is held to the 常规 limit (documented in docs/kpis.md).
        default_h = settings.dept_limits_h.get("常规", 4.0)
        by_workdays = kind.isin(list(settings.dept_limits_workdays))
        hours = hours.where(by_workdays | hours.notna(), default_h)
        wall = ~by_workdays
        deadline[wall] = sent[wall] + pd.to_timedelta(hours[wall], unit="h")
        if by_workdays.any():
            from csxl.domain.calendar import WorkCalendar

            cal = WorkCalendar(
                extra_holidays=settings.extra_holidays,
                extra_workdays=settings.extra_workdays,
                entered_years=settings.entered_years,
            )
            for name, days in settings.dept_limits_workdays.items():
                rows = kind == name
                if rows.any():
                    deadline[rows] = cal.workday_deadline(sent[rows], days)
            warnings = cal.warnings("dept_sla")
        met[at] = (done.notna() & (done <= deadline)).fillna(False).to_numpy(dtype=bool)
    return pd.Series(collab, index=t.index), pd.Series(met, index=t.index), warnings


def _keys(f: pd.DataFrame, t: pd.DataFrame, by: str) -> pd.Series:
    if by == "all":
        return pd.Series("__all__", index=f.index)
    if by == "day":  # formatted after grouping: strftime per row is slow
        return f["created_at"].dt.normalize()
    column = {"team": "team", "group": "group", "agent": "agent", "channel": "channel"}[by]
    if column not in t:
        return pd.Series(pd.NA, index=f.index, dtype="string")
    return t[column]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den).where(den > 0)


def aggregate(f: pd.DataFrame, keys: pd.Series, settings: KpiSettings) -> pd.DataFrame:
    """KPI columns per group key (index: the key; NaN key for blank)."""
    g = f.groupby(keys, dropna=False, sort=False)
    s = g[[c for c in f.columns if c != "created_at" and f[c].dtype == bool]].sum()
    out = pd.DataFrame(index=s.index)
    tickets = g.size()
    out["tickets"] = tickets
    out["csat"] = _ratio(s["satisfied"], s["answered"])
    out["csat_avg"] = g["score"].mean()
    out["survey_response_rate"] = _ratio(s["answered"], s["sent"])
    out["frt_mean"] = g["frt"].mean()
    out["frt_median"] = g["frt"].median()
    out["frt_p90"] = g["frt"].quantile(0.9)
    out["frt_sla"] = _ratio(s["frt_met"], tickets)
    out["resolution_rate"] = _ratio(s["resolved"], tickets)
    out["rt_mean"] = g["rt"].mean()
    out["rt_median"] = g["rt"].median()
    out["rt_p90"] = g["rt"].quantile(0.9)
    out["rt_sla"] = _ratio(s["rt_met"], tickets)
    out["fcr"] = _ratio(s["fcr"], s["resolved"])
    out["reopen_rate"] = _ratio(s["reopened"], s["resolved"])
    out["aht"] = g["handle"].mean()
    out["complaints"] = s["complaint"]
    out["escalated"] = s["escalated"]
    # One division, so that a rate equal to a target (13.9) is exactly that float.
    out["complaints_per_10k"] = (
        s["complaint"] * 10_000 / settings.active_customers if settings.active_customers else np.nan
    )
    out["bad_reviews"] = s["bad"]
    out["bad_review_reviewed"] = _ratio(s["reviewed_bad"], s["bad"])
    out["peak_queue_mean"] = g["peak_frt"].mean()
    out["dept_sla"] = _ratio(s["collab_met"], s["collab"])
    reason_cols = [c for c in s.columns if c.startswith("reason:")]
    if reason_cols:
        shares = s[reason_cols].div(s["bad"].where(s["bad"] > 0), axis=0)
        shares.columns = [c.split(":", 1)[1] for c in reason_cols]
        out["bad_review_reasons"] = [
            None if pd.isna(row.iloc[0]) else {k: float(v) for k, v in row.items()}
            for _, row in shares.iterrows()
        ]
    else:
        out["bad_review_reasons"] = None
    return out


def compute(
    tickets: TicketSet,
    by: Sequence[str] = ("all",),
    settings: KpiSettings | None = None,
    period: tuple[date | None, date | None] = (None, None),
) -> KpiResult:
    settings = settings or KpiSettings()
    t = in_period(tickets.frame, period)
    sub = TicketSet(**{**tickets.__dict__, "frame": t})
    f, warnings = facts(sub, settings)
    missing = unavailable(tickets, settings)
    groups: list[dict] = []
    order = ["all", *[b for b in by if b != "all"]]
    for grouping in order:
        if grouping not in GROUPINGS:
            raise ValueError(f"unknown grouping {grouping!r}; use {', '.join(GROUPINGS)}")
        table = aggregate(f, _keys(f, t, grouping), settings)
        if grouping == "day":
            table.index = table.index.strftime("%Y-%m-%d")
        for key in _sorted_keys(table.index) if grouping != "all" else ["__all__"]:
            row = table.loc[key] if key in table.index else None
            groups.append(
                {
                    "by": grouping,
                    "key": None if grouping == "all" or pd.isna(key) else str(key),
                    "kpis": _kpi_dict(row, missing, grouping),
                }
            )
    return KpiResult(groups, missing, warnings)


def in_period(
    t: pd.DataFrame, period: tuple[date | None, date | None], column: str = "created_at"
) -> pd.DataFrame:
    """The rows whose `column` falls on a day of the period (both ends included)."""
    start, end = period
    day = t[column].dt.normalize()
    keep = pd.Series(True, index=t.index)
    if start is not None:
        keep &= day >= pd.Timestamp(start)
    if end is not None:
        keep &= day <= pd.Timestamp(end)
    return t[keep]


def _sorted_keys(index: pd.Index) -> list:
    # Unicode code-point order (Python's str order), blank (null) last.
    present = sorted(str(k) for k in index if not pd.isna(k))
    nulls = [k for k in index if pd.isna(k)]
    return present + nulls[:1]


def _kpi_dict(row: pd.Series | None, missing: dict[str, str], grouping: str) -> dict:
    out: dict[str, object] = {}
    for key in KPI_KEYS:
        if row is None:  # an empty period: no tickets, nothing else to measure
            out[key] = 0 if key == "tickets" else None
            continue
        value = None if key in missing else row.get(key)
        # A plan-wide input (active customers) makes a per-10k rate only for the whole set.
        if key == "complaints_per_10k" and grouping != "all":
            value = None
        out[key] = _plain(
            value, integer=key in ("tickets", "complaints", "escalated", "bad_reviews")
        )
    return out


def _plain(value: object, integer: bool = False) -> object:
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    if integer:
        return int(value)
    return float(value)
