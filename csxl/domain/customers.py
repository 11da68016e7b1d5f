"""Customer KPIs of ../shared/spec/kpis.md ("Customer KPIs"): the high-value segment and its
ticket KPIs, retention and repurchase from orders, and survey timeliness from tickets.

Dates (all calendar days, local wall-clock time; an order counts on the day of its time):
- as-of: given, else the latest order or ticket date on or before the period's end (the
  whole data when there is no end).
- "the N months before the as-of date" is (EDATE(as_of, -N), as_of]: after the same day N
  calendar months earlier (clipped to the month's end, as Excel's EDATE), up to and
  including the as-of day. As-of 2026-03-31, 6 months: 2025-10-01 .. 2026-03-31; as-of
  2026-03-15: 2025-09-16 .. 2026-03-15.
- retention and repurchase compare a period with the previous one of the same length: a
  period of whole calendar months (`--month 2026-03`, or `--from 2026-01-01 --to
  2026-03-31`) with the same number of calendar months just before it, any other span with
  the same number of days just before it. Without a period: the calendar month of the
  as-of date and the month before it.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

CUSTOMER_KPI_KEYS = (
    "high_value_customers",
    "hv_tickets",
    "hv_csat",
    "hv_frt_median",
    "retention_rate",
    "repurchase_rate",
    "survey_timeliness",
)
ORDER_KEYS = CUSTOMER_KPI_KEYS[:6]  # need orders
HV_TICKET_KEYS = ("hv_tickets", "hv_csat", "hv_frt_median")  # also need customer_id on tickets
# Figures of the customer base, not of a team's or agent's tickets: given for the whole set
# only (null in sub-groups), as complaints_per_10k.
WHOLE_SET_KEYS = ("high_value_customers", "retention_rate", "repurchase_rate")

MONTHS_SHOWN = 13  # the JSON's orders.by_month: this month and the twelve before it
NO_ORDERS = "no orders data (give the orders: csxl kpi DATA --orders FILE)"


@dataclass(frozen=True)
class CustomerSettings:
    """Plan settings; defaults from the spec and the seed plans."""

    hv_min_orders: int = 12
    hv_orders_months: int = 6
    hv_min_amount: float = 50_000.0
    hv_amount_months: int = 12
    survey_within_s: float = 1800.0  # inclusive: exactly 30 minutes is timely
    as_of: date | None = None


@dataclass
class CustomerResult:
    whole: dict[str, object]  # WHOLE_SET_KEYS for the "all" group
    survey: dict[str, pd.DataFrame | None]  # grouping -> sent_at, timely counts per key
    hv: dict[str, pd.DataFrame | None]  # grouping -> ticket KPIs of hv tickets per key
    unavailable: dict[str, str]
    info: dict[str, object] = field(default_factory=dict)  # as-of, windows, periods

    def kpis(self, by: str, key: str | None) -> dict[str, object]:
        """The customer KPIs of one group of the document (key None: all, or blank)."""
        label = "__all__" if by == "all" else (_NULL if key is None else key)
        row: dict[str, object] = dict.fromkeys(CUSTOMER_KPI_KEYS)
        if by == "all":
            row.update(self.whole)
        hv = self.hv.get(by)
        if hv is not None:
            got = hv.loc[label] if label in hv.index else None
            row["hv_tickets"] = int(got["tickets"]) if got is not None else 0
            if got is not None:
                row["hv_csat"] = _plain(got["csat"])
                row["hv_frt_median"] = _plain(got["frt_median"])
        survey = self.survey.get(by)
        if survey is not None and label in survey.index:
            sent = int(survey.loc[label, "sent_at"])
            if sent:
                row["survey_timeliness"] = float(survey.loc[label, "timely"] / sent)
        for name in self.unavailable:
            row[name] = None
        return row


# ----------------------------------------------------------------------------- dates


def edate(d: date, months: int) -> date:
    """Excel's EDATE: the same day `months` calendar months away, clipped to the month end."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def window(as_of: date, months: int) -> tuple[date, date]:
    """First and last day (both included) of the `months` months before as_of."""
    return edate(as_of, -months) + timedelta(days=1), as_of


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def comparison(
    start: date | None, end: date | None, as_of: date | None
) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """(this period, previous period), both as (first day, last day) included."""
    if start is None or end is None:
        if as_of is None:
            return None
        start, end = as_of.replace(day=1), _month_end(as_of)
    if start.day == 1 and end == _month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return (start, end), (edate(start, -months), start - timedelta(days=1))
    days = (end - start).days + 1
    return (start, end), (start - timedelta(days=days), start - timedelta(days=1))


def default_as_of(
    order_times: pd.Series | None, ticket_times: pd.Series | None, end: date | None
) -> date | None:
    """The latest order or ticket date on or before `end` (or in all the data)."""
    latest: list[date] = []
    for times in (order_times, ticket_times):
        if times is None or times.empty:
            continue
        days = times.dt.normalize()
        if end is not None:
            days = days[days <= pd.Timestamp(end)]
        if days.notna().any():
            latest.append(days.max().date())
    if latest:
        return max(latest)
    return end


@dataclass(frozen=True)
class _Orders:
    """Orders as arrays: customer codes, calendar days and amounts in whole fen (cents)."""

    codes: np.ndarray  # int: position in `customers`
    customers: np.ndarray
    days: np.ndarray  # datetime64[D]
    fen: np.ndarray  # float64 holding whole numbers: exact sums up to 2**53 fen

    @classmethod
    def of(cls, orders: pd.DataFrame) -> _Orders:
        codes, customers = pd.factorize(orders["customer_id"])
        days = orders["ordered_at"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        fen = np.round(orders["amount"].to_numpy(dtype=np.float64) * 100)
        return cls(codes, np.asarray(customers, dtype=object), days, fen)

    def between(self, first: date, last: date) -> np.ndarray:
        return (self.days >= np.datetime64(first, "D")) & (self.days <= np.datetime64(last, "D"))

    def orders_per_customer(self, first: date, last: date) -> np.ndarray:
        inside = self.between(first, last)
        return np.bincount(self.codes[inside], minlength=len(self.customers))


# ----------------------------------------------------------------------------- orders


def high_value(orders: pd.DataFrame, as_of: date, settings: CustomerSettings) -> pd.Index:
    """Customers with >= hv_min_orders orders in the hv_orders_months months before as_of,
    or >= hv_min_amount of orders in the hv_amount_months months before it (sorted ids).

    Amounts are summed in whole fen (cents), so that 0.10 + 0.20 is exactly 0.30 and a
    total of exactly 50,000.00 is reached however it is made up.
    """
    o = _Orders.of(orders)
    counts = o.orders_per_customer(*window(as_of, settings.hv_orders_months))
    spent = o.between(*window(as_of, settings.hv_amount_months))
    fen = np.bincount(o.codes[spent], weights=o.fen[spent], minlength=len(o.customers))
    hv = (counts >= settings.hv_min_orders) | (fen >= round(settings.hv_min_amount * 100))
    return pd.Index(sorted(o.customers[hv]), dtype=object)


def retention_rate(
    orders: pd.DataFrame, this: tuple[date, date], previous: tuple[date, date]
) -> float | None:
    """Customers who ordered in `previous` and again in `this` / customers of `previous`."""
    o = _Orders.of(orders)
    before = o.orders_per_customer(*previous) > 0
    if not before.any():
        return None
    now = o.orders_per_customer(*this) > 0
    return float((before & now).sum() / before.sum())


def repurchase_rate(orders: pd.DataFrame, period: tuple[date, date]) -> float | None:
    """Customers with 2 or more orders in the period / customers with an order in it."""
    counts = _Orders.of(orders).orders_per_customer(*period)
    buyers = (counts > 0).sum()
    if not buyers:
        return None
    return float((counts >= 2).sum() / buyers)


def by_month(orders: pd.DataFrame, last: date, months: int | None = None) -> list[dict]:
    """Retention and repurchase for each calendar month up to the month of `last`, from the
    month of the first order (or the last `months` months), each month against the month
    before it: [{"month": "2026-03", "customers", "retained", "retention_rate",
    "repurchase_rate"}], oldest first. `customers` ordered in the month; `retained` of the
    previous month's customers ordered again in it."""
    if orders.empty:
        return []
    o = _Orders.of(orders)
    first = pd.Timestamp(o.days.min()).date().replace(day=1)
    end = last.replace(day=1)
    if months is not None:
        first = max(first, edate(end, -(months - 1)))
    rows: list[dict] = []
    month = first
    previous = o.orders_per_customer(edate(first, -1), first - timedelta(days=1)) > 0
    while month <= end:
        counts = o.orders_per_customer(month, _month_end(month))
        buyers = counts > 0
        retained = int((previous & buyers).sum())
        rows.append(
            {
                "month": month.strftime("%Y-%m"),
                "customers": int(buyers.sum()),
                "retained": retained,
                "retention_rate": retained / int(previous.sum()) if previous.any() else None,
                "repurchase_rate": (
                    int((counts >= 2).sum()) / int(buyers.sum()) if buyers.any() else None
                ),
            }
        )
        previous, month = buyers, edate(month, 1)
    return rows


# ----------------------------------------------------------------------------- tickets


def _member(ids: pd.Series, members: pd.Index) -> np.ndarray:
    """ids.isin(members) as numpy bool (through Arrow: pandas loops over the members)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pa.array(ids.astype("string[pyarrow]").array)
    wanted = pa.array([str(m) for m in members], pa.string()).cast(values.type)
    hit = pc.is_in(values, value_set=wanted)
    return hit.to_numpy(zero_copy_only=False).astype(bool) if len(ids) else np.zeros(0, bool)


def survey_facts(t: pd.DataFrame, settings: CustomerSettings) -> pd.DataFrame:
    """Per ticket: a survey with a sent time, and one sent within the limit of resolution.

    Timely = resolved_at <= survey_sent_at <= resolved_at + limit. A survey sent before
    the resolution, or on a ticket without a resolution time, is not timely: it cannot be
    shown to follow the resolution within the limit (as rt_sla counts a ticket resolved by
    status alone as a breach).
    """
    f = pd.DataFrame(index=t.index)
    sent = t["survey_sent_at"].notna() if "survey_sent_at" in t else pd.Series(False, t.index)
    f["sent_at"] = sent.to_numpy(dtype=bool)
    if "survey_sent_at" in t and "resolved_at" in t:
        lag = (t["survey_sent_at"] - t["resolved_at"]).dt.total_seconds()
        timely = (lag >= 0) & (lag <= settings.survey_within_s)
        f["timely"] = timely.to_numpy(dtype=bool)
    else:
        f["timely"] = False
    return f


_NULL = "\x00null"  # the blank group's key in the tables (None in the document)


def _by_key(table: pd.DataFrame, grouping: str) -> pd.DataFrame:
    """A per-group table indexed by the document's keys: text, ISO day, or _NULL."""
    if grouping == "all":
        table.index = ["__all__"] * len(table)
    elif grouping == "day":  # formatted after grouping: strftime per row is slow
        table.index = [_NULL if pd.isna(k) else k.strftime("%Y-%m-%d") for k in table.index]
    else:
        table.index = [_NULL if pd.isna(k) else str(k) for k in table.index]
    return table


def customer_kpis(
    tickets,
    orders,
    by: Sequence[str],
    period: tuple[date | None, date | None],
    settings: CustomerSettings | None = None,
    kpi_settings=None,
    shown_period: tuple[date | None, date | None] | None = None,
    in_period: pd.DataFrame | None = None,
) -> CustomerResult:
    """Customer KPIs per group of `by` ("all" first), keyed like `kpis.compute`'s groups.

    `tickets` is a TicketSet, `orders` an OrderSet or None. `period` filters tickets on
    created_at; `shown_period` (the document's from/to, ends filled) is the retention
    period when the user gave a period at all.
    """
    from csxl.domain import kpis

    settings = settings or CustomerSettings()
    kpi_settings = kpi_settings or kpis.KpiSettings()
    t_all = tickets.frame
    t = in_period if in_period is not None else kpis.in_period(t_all, period)
    unavailable: dict[str, str] = {}
    has = tickets.columns
    if orders is not None and orders.read == 0:  # an empty Orders sheet: no data, not 0
        orders, why = None, f"no orders in {orders.source}"
    else:
        why = NO_ORDERS
    if orders is None:
        unavailable.update(dict.fromkeys(ORDER_KEYS, why))
    if "customer_id" not in has:
        for key in HV_TICKET_KEYS:
            unavailable.setdefault(key, "the tickets have no customer id column")
    ticket_reasons = kpis.unavailable(tickets, kpi_settings)
    for key, source in (("hv_csat", "csat"), ("hv_frt_median", "frt_median")):
        if source in ticket_reasons:
            unavailable.setdefault(key, ticket_reasons[source])
    if "survey_sent_at" not in has:
        unavailable["survey_timeliness"] = "no survey-sent time column"
    elif "resolved_at" not in has:
        unavailable["survey_timeliness"] = "no resolution time column"

    info: dict[str, object] = {}
    whole: dict[str, object] = dict.fromkeys(WHOLE_SET_KEYS)
    hv_ids = pd.Index([], dtype=object)
    if orders is not None:
        o = orders.frame
        has_period = period[0] is not None or period[1] is not None
        as_of = settings.as_of or default_as_of(o["ordered_at"], t_all["created_at"], period[1])
        info["as_of"] = as_of.isoformat() if as_of else None
        if as_of is not None:
            hv_ids = high_value(o, as_of, settings)
            whole["high_value_customers"] = len(hv_ids)
            info["high_value"] = {
                "min_orders": settings.hv_min_orders,
                "orders_window": _span(window(as_of, settings.hv_orders_months)),
                "min_amount": settings.hv_min_amount,
                "amount_window": _span(window(as_of, settings.hv_amount_months)),
            }
        start, end = shown_period if (has_period and shown_period) else (None, None)
        pair = comparison(start, end, as_of)
        if pair is not None:
            this, previous = pair
            whole["retention_rate"] = retention_rate(o, this, previous)
            whole["repurchase_rate"] = repurchase_rate(o, this)
            info["period"], info["previous"] = _span(this), _span(previous)
            info["previous_repurchase_rate"] = repurchase_rate(o, previous)
        if as_of is not None:
            info["by_month"] = by_month(o, as_of, MONTHS_SHOWN)

    groupings = ["all", *[b for b in by if b != "all"]]
    stamps = pd.DataFrame({"created_at": t["created_at"]})
    survey: dict[str, pd.DataFrame | None] = dict.fromkeys(groupings)
    if "survey_timeliness" not in unavailable:
        f = survey_facts(t, settings)
        for grouping in groupings:
            keys = kpis._keys(stamps, t, grouping)
            survey[grouping] = _by_key(f.groupby(keys, dropna=False, sort=False).sum(), grouping)
    hv_tables: dict[str, pd.DataFrame | None] = dict.fromkeys(groupings)
    if "hv_tickets" not in unavailable:
        hv_t = t[_member(t["customer_id"], hv_ids)]
        hv_set = type(tickets)(**{**tickets.__dict__, "frame": hv_t})
        hv_facts, _ = kpis.facts(hv_set, kpi_settings)
        for grouping in groupings:
            g = hv_facts.groupby(kpis._keys(hv_facts, hv_t, grouping), dropna=False, sort=False)
            # tickets, csat and frt_median as kpis.aggregate computes them
            table = pd.DataFrame({"tickets": g.size()})
            table["csat"] = kpis._ratio(g["satisfied"].sum(), g["answered"].sum())
            table["frt_median"] = g["frt"].median()
            hv_tables[grouping] = _by_key(table, grouping)
    return CustomerResult(whole, survey, hv_tables, unavailable, info)


def _plain(value) -> float | None:
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
        return None
    return float(value)


def _span(period: tuple[date, date]) -> dict[str, str]:
    return {"from": period[0].isoformat(), "to": period[1].isoformat()}
