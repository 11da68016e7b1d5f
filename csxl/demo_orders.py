"""Seeded demo orders: a Taobao-style 订单报表 for the customers of a demo ticket export.

Thirteen months of orders ending with the demo month, so that the high-value windows (6 and
12 months) and the month-over-month retention have history. Most customers buy now and
then; a few buy every week (high value by count) and a few buy big (by amount). Statuses
are mostly 交易成功, with closed and unpaid orders (excluded from the KPIs); `dirty=True`
adds what real exports carry: an order exported twice, blank buyers, negative amounts and
unreadable times.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

HEADERS = ("订单编号", "买家会员名", "订单创建时间", "订单付款时间", "买家实际支付金额", "订单状态")
STATUSES = ("交易成功", "交易关闭", "等待买家付款", "卖家已发货，等待买家确认")
STATUS_P = (0.93, 0.04, 0.01, 0.02)
FREQUENT, BIG = 0.03, 0.01  # shares of customers who buy weekly, and who buy big


def dirt_counts(n: int) -> dict[str, int]:
    """Rows of each kind of dirt `dirty=True` adds to n clean orders."""
    return {
        "duplicates": max(1, n // 500),
        "blank_buyer": 2,
        "negative": 2,
        "bad_time": 2,
    }


def generate_orders(
    customers: Sequence[str],
    *,
    seed: int = 2026,
    month: str = "2026-03",
    months: int = 13,
    dirty: bool = False,
) -> pd.DataFrame:
    """Orders of `customers` over the `months` months ending with `month`, zh headers."""
    rng = np.random.default_rng([seed, 7])
    ids = np.asarray(list(dict.fromkeys(customers)), dtype=object)
    n = len(ids)
    end = pd.Timestamp(month + "-01") + pd.offsets.MonthBegin(1)
    start = end - pd.DateOffset(months=months)
    span_s = int((end - start).total_seconds())
    kind = rng.random(n)
    per_month = rng.lognormal(np.log(0.3), 1.0, n)
    per_month[kind < FREQUENT] = rng.uniform(2.5, 5.0, int((kind < FREQUENT).sum()))
    counts = rng.poisson(per_month * months)
    who = np.repeat(np.arange(n), counts)
    m = len(who)
    big = (kind >= FREQUENT) & (kind < FREQUENT + BIG)
    median = np.where(big[who], 9_000.0, 160.0)
    amount = np.round(rng.lognormal(np.log(median), 0.8), 2)
    paid = start + pd.to_timedelta(rng.integers(0, span_s, m), unit="s")
    created = paid - pd.to_timedelta(rng.integers(5, 900, m), unit="s")
    status = np.asarray(STATUSES, dtype=object)[rng.choice(len(STATUSES), m, p=STATUS_P)]
    frame = pd.DataFrame(
        {
            HEADERS[1]: ids[who],
            HEADERS[2]: created,
            HEADERS[3]: paid,
            HEADERS[4]: amount,
            HEADERS[5]: status,
        }
    )
    frame.loc[frame[HEADERS[5]] == "等待买家付款", HEADERS[3]] = pd.NaT
    frame = frame.sort_values(HEADERS[2], kind="stable").reset_index(drop=True)
    frame.insert(0, HEADERS[0], [f"{4_000_000_000_000_000 + i:019d}" for i in range(len(frame))])
    if dirty and len(frame) > 10:
        frame = _make_dirty(frame, rng)
    return frame


def _make_dirty(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    counts = dirt_counts(len(frame))
    frame = frame.astype({HEADERS[3]: object, HEADERS[4]: object})
    paid = frame.index[frame[HEADERS[5]] == "交易成功"]
    picked = rng.choice(paid, sum(counts.values()), replace=False)
    dup, rest = picked[: counts["duplicates"]], picked[counts["duplicates"] :]
    blank, negative, bad = rest[:2], rest[2:4], rest[4:6]
    frame.loc[blank, HEADERS[1]] = None
    frame.loc[negative, HEADERS[4]] = -frame.loc[negative, HEADERS[4]].astype(float)
    frame.loc[bad, HEADERS[3]] = "未知"
    return pd.concat([frame, frame.loc[dup]], ignore_index=True)
