"""Tag counts per day, the daily Top-20 and the growth alert of ../shared/spec/kpis.md.

A tag is counted once per ticket per day. An alert fires on day d when the tag's count grew
by the threshold (default 50%) or more day-over-day on each of `run` consecutive days ending
on d, each growth measured from a previous day with at least `min_volume` tickets; a day
without tickets of the tag counts as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SEPARATORS = r"[,，;；|、]"
# Zendesk: the separators above and whitespace as Python's re means `\s` (str.isspace); RE2's
# own `\s` misses e.g. U+3000 and U+00A0.
_SPACED = r"[,，;；|、\t\n\x0b\f\r\x1c-\x1f\x{85}\p{Z}]+"


@dataclass(frozen=True)
class TagSettings:
    top_n: int = 20
    growth: float = 1.5  # count[t] >= growth x count[t-1]
    run: int = 3
    min_volume: int = 1  # count[t-1] must be at least this


def _split(tags: pd.Series, space_separated: bool) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(positions, codes, names): one entry per ticket and distinct tag of that ticket.

    positions index into `tags`, codes into `names`; entries are in ticket order, then in
    the order the tags are written. Each distinct cell text is split once (pyarrow), and its
    tags are spread back to the tickets that carry it, so no Python loop runs per ticket.
    """
    pattern = SEPARATORS if not space_separated else _SPACED
    arr = pa.array(tags.astype("string").array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    present = np.flatnonzero(_np(arr.is_valid()))
    encoded = pc.dictionary_encode(arr.filter(arr.is_valid()))
    cells = encoded.dictionary
    pieces = pc.split_pattern_regex(cells, pattern)
    parent = _np(pc.list_parent_indices(pieces)).astype(np.int64)
    flat = pc.utf8_trim(pc.list_flatten(pieces), characters=" \t\u3000")
    real = _np(pc.fill_null(pc.not_equal(flat, ""), False))
    parent, flat = parent[real], flat.filter(pa.array(real))
    named = pc.dictionary_encode(flat)
    names = named.dictionary.to_pylist()
    code = _np(named.indices).astype(np.int64)
    # A tag written twice in one cell counts once.
    once = ~pd.Series(parent * max(len(names), 1) + code).duplicated().to_numpy()
    parent, code = parent[once], code[once]
    per_cell = np.bincount(parent, minlength=len(cells))
    start = np.cumsum(per_cell) - per_cell
    cell_of = _np(encoded.indices).astype(np.int64)
    count = per_cell[cell_of]
    total = int(count.sum())
    ends = np.cumsum(count)
    within = np.arange(total) - np.repeat(ends - count, count)
    entry = np.repeat(start[cell_of], count) + within
    return np.repeat(present, count), code[entry], names


def split_tags(tags: pd.Series, space_separated: bool = False) -> pd.Series:
    """One row per (ticket, tag), index kept; tags trimmed, blanks dropped, deduplicated."""
    positions, codes, names = _split(tags, space_separated)
    index = tags.index[positions]
    index.name = tags.index.name if tags.index.name is not None else "index"
    values = np.asarray(names, dtype=object)[codes] if names else np.array([], dtype=object)
    return pd.Series(values, index=index, name="tag", dtype="str")


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
    positions, codes, names = _split(tags, space_separated)
    days = created_at.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    day = days[positions]
    dated = ~np.isnat(day)
    if not dated.any():
        return pd.DataFrame()
    first, last = days[~np.isnat(days)].min(), days[~np.isnat(days)].max()
    width = len(names)
    offset = (day[dated] - first).astype(np.int64)
    span = int((last - first).astype(np.int64)) + 1
    counts = np.bincount(offset * width + codes[dated], minlength=span * width)
    counts = counts.reshape(span, width)
    # Columns in Unicode code-point order (Python's str order), as a crosstab gives them.
    order = sorted(range(width), key=names.__getitem__)
    used = [i for i in order if counts[:, i].any()]
    full = pd.date_range(pd.Timestamp(first), pd.Timestamp(last), freq="D")
    columns = pd.Index([names[i] for i in used], name="col_0")
    return pd.DataFrame(counts[:, used], index=full, columns=columns)


def _np(arr: pa.Array) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


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
