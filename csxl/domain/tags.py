"""Tag counts per day, the daily Top-20 and the growth alert of ../shared/spec/kpis.md.

A tag is counted once per ticket per day. An alert fires on day d when the tag's count grew
by the threshold (default 50%) or more day-over-day on each of `run` consecutive days ending
on d, each growth measured from a previous day with at least `min_volume` tickets; a day
without tickets of the tag counts as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SEPARATORS = r"[,，;；|、]"


@dataclass(frozen=True)
class TagSettings:
    top_n: int = 20
    growth: float = 1.5  # count[t] >= growth x count[t-1]
    run: int = 3
    min_volume: int = 1  # count[t-1] must be at least this


def split_tags(tags: pd.Series, space_separated: bool = False) -> pd.Series:
    """One row per (ticket, tag), index kept; tags trimmed, blanks dropped, deduplicated."""
    pattern = SEPARATORS if not space_separated else r"[,，;；|、\s]+"
    parts = tags.dropna().str.split(pattern, regex=True).explode().str.strip(" \t\u3000")
    parts = parts[parts.notna() & (parts != "")]
    frame = parts.rename("tag").reset_index()
    frame = frame.drop_duplicates()
    return frame.set_index(frame.columns[0])["tag"]


def is_space_separated(tags: pd.Series, header: str) -> bool:
    """Zendesk writes tags separated by spaces; others use punctuation (see docs/kpis.md)."""
    if header.strip().casefold() != "tags":
        return False
    sample = tags.dropna()
    return not sample.str.contains(SEPARATORS, regex=True).any()


def daily_counts(
    created_at: pd.Series, tags: pd.Series, space_separated: bool = False
) -> pd.DataFrame:
    """Tickets per (date, tag) as a date x tag table, every day of the range present."""
    split = split_tags(tags, space_separated)
    days = created_at.dt.normalize().reindex(split.index)
    counts = pd.crosstab(days.to_numpy(), split.to_numpy())
    if counts.empty:
        return counts
    full = pd.date_range(created_at.min().normalize(), created_at.max().normalize(), freq="D")
    return counts.reindex(full, fill_value=0)


def top_tags(counts: pd.DataFrame, n: int = 20) -> list[dict]:
    if counts.empty:
        return []
    long = counts.stack().rename("count").reset_index()
    long.columns = ["date", "tag", "count"]
    long = long[long["count"] > 0]
    long["tag"] = long["tag"].astype(str)
    # Ties by tag in Unicode code-point order: sort in Python, pandas' string sort may not.
    long = long.sort_values("tag", key=lambda s: s.map(_codepoints), kind="stable")
    long = long.sort_values(["date", "count"], ascending=[True, False], kind="stable")
    top = long.groupby("date", sort=True).head(n)
    return [
        {"date": d.strftime("%Y-%m-%d"), "tag": tag, "count": int(c)}
        for d, tag, c in top.itertuples(index=False)
    ]


def alerts(counts: pd.DataFrame, settings: TagSettings = TagSettings()) -> list[dict]:
    if counts.empty:
        return []
    previous = counts.shift(1)
    grew = (counts >= settings.growth * previous) & (previous >= settings.min_volume)
    run = grew.astype(int).rolling(settings.run, min_periods=settings.run).sum() == settings.run
    hits = run.stack()
    hits = hits[hits].reset_index()
    hits.columns = ["date", "tag", "hit"]
    rows = [
        {"tag": str(tag), "date": d.strftime("%Y-%m-%d")}
        for d, tag, _ in hits.itertuples(index=False)
    ]
    return sorted(rows, key=lambda r: (r["date"], _codepoints(r["tag"])))


def _codepoints(text: str) -> tuple[int, ...]:
    return tuple(map(ord, text))
