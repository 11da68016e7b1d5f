"""From a raw orders table to the orders that count as purchases.

Rows, in this order (the same steps as tickets, plus one):
1. `read` counts the non-blank rows below the header.
2. A row is rejected, each problem listed with row, column and reason, when the customer is
   empty, the order time is empty or not a date-time, or the amount is empty, not a number
   or negative (0 is an order: a gift or a fully discounted one). A rejected row is in no
   customer KPI. A row whose status says it is not a purchase is never rejected (step 4).
3. Among the other rows, rows repeating an order id keep the last one (`duplicates`); a
   blank order id is never a duplicate, and without an order id column every row is an
   order.
4. A kept order whose status says it is not a purchase (refunded, closed, cancelled or not
   paid: `not_a_purchase`) is `excluded`: not an error in the data, so not a reject, but
   not a purchase either, whatever its other cells hold (an unpaid order has no payment
   time). Applied after step 3, so an order exported twice, first paid and later
   refunded, is excluded (its last state).
So read = valid + rejected + duplicates + excluded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csxl.domain import normalise
from csxl.domain.columns import ORDER_COLUMNS, Kind
from csxl.domain.tickets import LoadedRows, Problem, _codes, _flags, blank_rows, reject

ORDER_REASONS: dict[str, tuple[str, str]] = {
    "missing_customer": ("客户为空", "customer is empty"),
    "missing_time": ("下单时间为空", "order time is empty"),
    "bad_datetime": ("不是有效的日期时间", "not a valid date and time"),
    "missing_amount": ("金额为空", "amount is empty"),
    "bad_amount": ("金额不是数字", "amount is not a number"),
    "negative_amount": ("金额为负数", "negative amount"),
}

# A status (trimmed, case folded, spaces, `_` and `-` removed) means "not a purchase" when it
# contains one of these (zh: 交易关闭, 已取消, 退款成功, 等待买家付款 ...) ...
EXCLUDED_PARTS = (
    "关闭",
    "取消",
    "退款成功",
    "已退款",
    "全额退款",
    "待付款",
    "未付款",
    "等待买家付款",
)
# ... or is one of these (Shopify's Financial Status and English words). Partial refunds
# (部分退款, partially_refunded) and refunds in progress (退款中) stay purchases.
EXCLUDED_WORDS = frozenset(
    {"退款", "refunded", "voided", "cancelled", "canceled", "closed", "unpaid", "expired"}
)


@dataclass
class OrderProblem(Problem):
    def reason(self, lang: str = "zh") -> str:
        zh, en = ORDER_REASONS[self.code]
        return zh if lang == "zh" else en


@dataclass
class OrderSet(LoadedRows):
    """Orders that are purchases (index: the row number the user sees) and the rest."""

    source: str
    sheet: str | None
    frame: pd.DataFrame  # customer_id, ordered_at, amount (and order_id, status if given)
    columns: frozenset[str]
    read: int
    rejected: int
    duplicates: int
    excluded: int
    problems: list[Problem] = field(default_factory=list)
    excluded_status: dict[str, int] = field(default_factory=dict)  # status -> orders
    unmapped: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def rows(self) -> dict[str, int]:
        return {**super().rows(), "excluded": self.excluded}


def not_a_purchase(status: pd.Series) -> np.ndarray:
    """True where an order status says refunded, closed, cancelled or unpaid."""
    key = status.str.casefold().str.replace(r"[\s_\-]", "", regex=True)
    hit = key.isin(EXCLUDED_WORDS)
    for part in EXCLUDED_PARTS:
        hit |= key.str.contains(part, regex=False)
    return hit.to_numpy(dtype=bool, na_value=False)


def load_orders(table) -> OrderSet:
    """Type, validate, de-duplicate and filter a `csxl.readers.table.RawTable` of orders."""
    raw = table.frame
    header = table.match.header_of
    blank = blank_rows(raw)
    if blank.any():
        raw = raw[~blank]
    out: dict[str, pd.Series] = {}
    bad: dict[str, tuple[object, str]] = {}
    for column in raw.columns:
        kind = ORDER_COLUMNS[column]
        series = raw[column]
        if kind is Kind.DATETIME:
            parsed = normalise.datetimes(series)
            out[column], bad[column] = parsed.values, (parsed.bad, "bad_datetime")
        elif kind is Kind.AMOUNT:
            parsed = normalise.amounts(series)
            out[column] = parsed.values
            bad[column] = (parsed.bad, "bad_amount")
            bad[column + "#neg"] = (parsed.values < 0, "negative_amount")
        else:
            out[column] = normalise.text(series)
    frame = pd.DataFrame(out, index=raw.index, copy=False)
    bad["customer_id#missing"] = (frame["customer_id"].isna(), "missing_customer")
    bad["ordered_at#missing"] = (
        frame["ordered_at"].isna() & ~_flags(bad["ordered_at"][0]),
        "missing_time",
    )
    bad["amount#missing"] = (
        frame["amount"].isna() & ~_flags(bad["amount"][0]),
        "missing_amount",
    )

    # Not a purchase: excluded whatever else the row holds (an unpaid order has no payment
    # time), so its blanks are not rejects.
    skip = not_a_purchase(frame["status"]) if "status" in frame else np.zeros(len(frame), bool)
    rejected, problems = reject(bad, raw, header, OrderProblem, spare=skip)
    problems.sort(key=lambda p: (p.row, p.column))

    keep = ~rejected
    duplicates = 0
    if "order_id" in frame:
        ok = np.flatnonzero(keep & frame["order_id"].notna().to_numpy())
        codes = _codes(frame["order_id"].iloc[ok])
        dup = pd.Series(codes).duplicated(keep="last").to_numpy()
        keep[ok[dup]] = False
        duplicates = int(dup.sum())
    excluded = keep & skip
    keep &= ~excluded
    excluded_status: dict[str, int] = {}
    if excluded.any():
        counts = frame["status"][excluded].value_counts()
        excluded_status = {str(k): int(v) for k, v in sorted(counts.items())}
    return OrderSet(
        source=table.source,
        sheet=table.sheet,
        frame=frame[keep],
        columns=frozenset(raw.columns),
        read=len(frame),
        rejected=int(rejected.sum()),
        duplicates=duplicates,
        excluded=int(excluded.sum()),
        problems=problems,
        excluded_status=excluded_status,
        unmapped=list(table.match.unmapped),
        ambiguous=list(table.match.ambiguous),
        notes=list(table.notes),
        headers={c: header(c) for c in raw.columns},
    )
