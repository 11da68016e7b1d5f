"""Seeded demo ticket exports: a month of a Chinese customer-service centre, dirt included.

`generate_tickets` builds one row per ticket with the zh headers of a manager's export (see
``COLUMNS``), vectorised with numpy (no Python loop per row). `write_xlsx` writes such a frame
as a manager's .xlsx export (title row, note row, header on row 3), with openpyxl for small
frames and a streaming zip writer for large ones (1,000,000 rows x 25 columns in about
15 s on the 2-core build machine).

Import this module only from the demo and the benchmarks: it imports numpy and pandas at
module level, which `csxl --help` must not pay for.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

COLUMNS: tuple[str, ...] = (
    "工单号",
    "创建时间",
    "首次响应时间",
    "解决时间",
    "渠道",
    "团队",
    "小组",
    "客服",
    "问题标签",
    "紧急程度",
    "满意度",
    "是否推送评价",
    "是否一次解决",
    "联系次数",
    "重开次数",
    "是否投诉",
    "升级投诉",
    "处理时长(秒)",
    "差评原因",
    "是否复核",
    "协作部门",
    "协作类型",
    "转交时间",
    "部门完成时间",
    "客户ID",
)
DATETIME_COLUMNS: tuple[str, ...] = (
    "创建时间",
    "首次响应时间",
    "解决时间",
    "转交时间",
    "部门完成时间",
)
ROSTER_COLUMNS: tuple[str, ...] = ("团队", "小组", "客服", "工号", "入职日期")

DEFAULT_TEAMS: tuple[str, ...] = (
    "售前一组",
    "售前二组",
    "售后一组",
    "售后二组",
    "投诉组",
    "技术支持组",
)
GROUPS: tuple[str, ...] = ("A班", "B班")
CHANNELS: tuple[str, ...] = ("在线", "电话", "邮件", "千牛")
SEVERITIES: tuple[str, ...] = ("紧急", "重要", "常规")
BAD_REVIEW_REASONS: tuple[str, ...] = ("响应慢", "解答不专业", "承诺未兑现", "其他")
TREND_TAG = "新功能A使用异常"
TAGS: tuple[str, ...] = (
    "物流查询",
    "商品咨询",
    "退款",
    "退货",
    "换货",
    "发票",
    "优惠券",
    "质量问题",
    "发货时间",
    "价格保护",
    "库存查询",
    "地址修改",
    "账号登录",
    "支付失败",
    "会员权益",
    TREND_TAG,
)
DEPT_TYPES: tuple[str, ...] = ("常规", "技术排查", "产品优化")

# Kinds of dirt made by ``dirty=True`` (keys of ``df.attrs["dirt"]``). The first four leave
# the row usable; the last four make it a row the ingestion must reject.
DIRT_KINDS: tuple[str, ...] = (
    "text_time_slash",  # 创建时间 as text `2026/3/1 9:05` (seconds dropped, so earlier)
    "text_time_zh",  # a timestamp as text `2026年3月1日 09:05:07`
    "text_number",  # a number as text with spaces or full-width digits
    "duplicate",  # an outdated copy of a ticket placed above its current row
    "bad_date",  # 创建时间 `2026-02-30 10:15:00`: an impossible date
    "bad_score",  # 满意度 7
    "bad_order",  # 首次响应时间 before 创建时间
    "missing_id",  # empty 工单号
)
REJECTED_KINDS: tuple[str, ...] = ("bad_date", "bad_score", "bad_order", "missing_id")

MIN_DIRTY_ROWS = 200
FAST_WRITER_MIN_ROWS = 50_000
SHEET_NAME = "工单明细"
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_EXCEL_ROWS = 1_048_576

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏晨浩宇欣怡婷雪琳子梓涵轩博文思佳一鸣晓东建国"
    "海燕丹宁昊然嘉欢悦诗雨阳凯立新志亮斌颖慧倩"
)
# Share of tickets created in each hour of the day: quiet nights, a 09:00-11:00 peak.
_HOUR_WEIGHTS = (
    *(0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.8, 2.5, 6.5, 6.5, 3.5),
    *(2.5, 3.0, 3.4, 3.3, 3.0, 2.6, 2.0, 2.3, 2.6, 2.4, 1.6, 0.8),
)
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_SECONDS_PER_DAY = 86_400
_NAT = np.datetime64("NaT", "s")


# ----------------------------------------------------------------------------- helpers


def _rng(seed: int, stream: int) -> np.random.Generator:
    """An independent random stream per purpose, so that e.g. the roster does not depend on n."""
    return np.random.default_rng([int(seed), stream])


def _choice(rng: np.random.Generator, n: int, p: Sequence[float] | np.ndarray) -> np.ndarray:
    """n draws of indices 0..len(p)-1 with probabilities p (normalised here)."""
    cum = np.cumsum(np.asarray(p, dtype=float))
    idx = np.searchsorted(cum / cum[-1], rng.random(n), side="right")
    return np.minimum(idx, len(cum) - 1)


def _choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of the (n, k) matrix of probabilities (rows need not sum to 1)."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    idx = (rng.random(len(probs))[:, None] > cum).sum(axis=1)
    return np.minimum(idx, probs.shape[1] - 1)


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int):
    return np.asarray(median, dtype=float) * np.exp(sigma * rng.standard_normal(n))


def _month_bounds(month: str) -> tuple[pd.Timestamp, int]:
    try:
        period = pd.Period(month, freq="M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"month must look like 2026-03, got {month!r}") from exc
    return period.start_time.normalize(), int(period.days_in_month)


_TEAM_KINDS = ("售前", "售后", "投诉", "技术", "其他")


def _team_kind(team: str) -> str:
    for key in _TEAM_KINDS[:-1]:
        if key in team:
            return key
    return "其他"


def _agent_names(rng: np.random.Generator, count: int) -> list[str]:
    """count distinct invented Chinese names (a loop over agents, not over tickets)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        if rng.random() < 0.03:
            surname = _COMPOUND_SURNAMES[rng.integers(len(_COMPOUND_SURNAMES))]
        else:
            surname = _SURNAMES[rng.integers(len(_SURNAMES))]
        given = _GIVEN[rng.integers(len(_GIVEN))]
        if rng.random() < 0.7:
            given += _GIVEN[rng.integers(len(_GIVEN))]
        name = surname + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


# ----------------------------------------------------------------------------- roster


def _roster(
    teams: Sequence[str], agents_per_team: int, seed: int, month: str
) -> tuple[pd.DataFrame, np.ndarray]:
    teams = tuple(teams)
    if not teams or len(set(teams)) != len(teams):
        raise ValueError("teams must be a non-empty sequence of distinct names")
    if agents_per_team < 1:
        raise ValueError("agents_per_team must be at least 1")
    start, days = _month_bounds(month)
    end = start + pd.Timedelta(days=days)
    rng = _rng(seed, 1)
    n_agents = len(teams) * agents_per_team
    names = _agent_names(rng, n_agents)
    team_idx = np.repeat(np.arange(len(teams)), agents_per_team)
    slot = np.tile(np.arange(agents_per_team), len(teams))
    group = np.where(slot < math.ceil(agents_per_team / 2), GROUPS[0], GROUPS[1])
    # About a quarter of the agents were hired within the 6 months before the month ends.
    new_hire = rng.random(n_agents) < 0.25
    new_days = rng.integers(3, 171 - days, n_agents) + days  # tenure at month end: days+3..170
    old_days = rng.integers(200, 6 * 365, n_agents)
    tenure_at_end = np.where(new_hire, new_days, old_days)
    hired = (end - pd.to_timedelta(tenure_at_end, unit="D")).normalize()
    quality = np.where(
        new_hire, rng.normal(-0.6, 0.7, n_agents), rng.normal(0.15, 0.9, n_agents)
    ).clip(-2.5, 2.5)
    roster = pd.DataFrame(
        {
            "团队": np.asarray(teams, dtype=object)[team_idx],
            "小组": group.astype(object),
            "客服": np.asarray(names, dtype=object),
            "工号": [f"KF{1001 + i:04d}" for i in range(n_agents)],
            "入职日期": hired.values.astype("datetime64[s]"),
        }
    )
    return roster, quality


def agent_roster(
    teams: Sequence[str] = DEFAULT_TEAMS,
    agents_per_team: int = 10,
    seed: int = 2026,
    *,
    month: str = "2026-03",
) -> pd.DataFrame:
    """The agents behind `generate_tickets`: 团队, 小组 (A班/B班), 客服, 工号, 入职日期.

    Names are unique; about a quarter of the agents were hired within the 6 months before the
    end of ``month`` (they tend to score lower). Same arguments, same roster.
    """
    return _roster(teams, agents_per_team, seed, month)[0]


# ----------------------------------------------------------------------------- tickets


def dirt_counts(n: int) -> dict[str, int]:
    """How many rows of each kind of dirt ``generate_tickets(n, dirty=True)`` makes."""
    if n < MIN_DIRTY_ROWS:
        raise ValueError(f"dirty=True needs at least {MIN_DIRTY_ROWS} rows, got {n}")
    n_bad = max(4, round(n * 0.002))
    n_text_time = max(4, round(n * 0.003))
    counts = {
        "text_time_slash": n_text_time // 2,
        "text_time_zh": n_text_time - n_text_time // 2,
        "text_number": max(4, round(n * 0.003)),
        "duplicate": max(3, round(n * 0.0015)),
    }
    for i, kind in enumerate(REJECTED_KINDS):
        counts[kind] = n_bad // 4 + (i < n_bad % 4)
    return counts


def expected_rows(n: int, dirty: bool) -> dict[str, int]:
    """The `rows` block that `csxl kpi` should report for ``generate_tickets(n, dirty=...)``."""
    if not dirty:
        return {"read": n, "valid": n, "rejected": 0, "duplicates": 0}
    c = dirt_counts(n)
    rejected = sum(c[k] for k in REJECTED_KINDS)
    return {
        "read": n,
        "valid": n - rejected - c["duplicate"],
        "rejected": rejected,
        "duplicates": c["duplicate"],
    }


def _tag_probs(kinds: list[str], days: int) -> np.ndarray:
    """(team kind, day, tag) probabilities of the first tag; TREND_TAG climbs late in the month."""
    base = np.array([10, 9, 8, 5, 4, 5, 6, 5, 6, 3, 4, 3, 3, 2.5, 2.5, 0.0])
    boost = {
        "售前": ("商品咨询", "库存查询", "优惠券", "价格保护", "发货时间"),
        "售后": ("退款", "退货", "换货", "质量问题", "物流查询"),
        "投诉": ("质量问题", "退款", "物流查询"),
        "技术": ("账号登录", "支付失败", "会员权益"),
    }
    trend = TAGS.index(TREND_TAG)
    half = days // 2
    growth = np.ones(days)
    ramp = np.arange(days) - half
    growth[half:] = np.minimum(1.8 ** ramp[half:], 30.0)
    out = np.empty((len(kinds), days, len(TAGS)))
    for k, kind in enumerate(kinds):
        w = base.copy()
        for tag in boost.get(kind, ()):
            w[TAGS.index(tag)] *= 2.5
        w /= w.sum()
        share = 0.004 * growth * (2.0 if kind == "技术" else 1.0)
        out[k] = w[None, :] * (1.0 - share)[:, None]
        out[k, :, trend] = share
    return out


def generate_tickets(
    n: int,
    *,
    seed: int = 2026,
    month: str = "2026-03",
    teams: Sequence[str] = DEFAULT_TEAMS,
    agents_per_team: int = 10,
    dirty: bool = False,
) -> pd.DataFrame:
    """n tickets of one month, one row each, with the zh headers of ``COLUMNS``.

    Timestamps are datetime64[s] (whole seconds of local time), created within ``month`` with a
    09:00-11:00 peak; first response follows creation (NaT: unanswered), resolution follows the
    first response (NaT: unresolved); 满意度 is answered only where 是否推送评价 is 是. Agents have
    different quality levels, so their scores differ. One tag (``TREND_TAG``) climbs steeply in
    the second half of the month.

    ``dirty=True`` turns a small share of rows into the dirt of a real export (see
    ``DIRT_KINDS`` and `dirt_counts`); the frame still has n rows. ``df.attrs["dirt"]`` records
    the count and the 0-based row positions of each kind. Same arguments, same frame.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    counts = dirt_counts(n) if dirty else dict.fromkeys(DIRT_KINDS, 0)
    m = n - counts["duplicate"]  # distinct tickets; the duplicates are extra copies of some
    roster, quality = _roster(teams, agents_per_team, seed, month)
    start, days = _month_bounds(month)
    rng = _rng(seed, 2)
    teams = tuple(teams)
    kinds = [_team_kind(t) for t in teams]
    n_agents = len(roster)
    agent_team = np.repeat(np.arange(len(teams)), agents_per_team)
    month_end = np.datetime64(start + pd.Timedelta(days=days), "s")
    is_new = roster["入职日期"].to_numpy() > month_end - np.timedelta64(183, "D")

    # -- when: day weights (weekends a little busier) and an intraday curve with a 9-11 peak
    weekday = (start.day_of_week + np.arange(days)) % 7
    day_w = (1.0 + 0.12 * (weekday >= 5)) * rng.uniform(0.9, 1.1, days)
    hour_w = np.array(_HOUR_WEIGHTS)
    day = _choice(rng, m, day_w)
    hour = _choice(rng, m, hour_w)
    created = np.sort(day * _SECONDS_PER_DAY + hour * 3600 + rng.integers(0, 3600, m))
    day = created // _SECONDS_PER_DAY
    hour = (created % _SECONDS_PER_DAY) // 3600
    peak = (hour >= 9) & (hour < 11)
    night = hour < 8

    # -- who: team load, agent load (new hires carry less)
    team_w = rng.uniform(0.7, 1.3, len(teams))
    agent_w = rng.gamma(8.0, 1.0 / 8.0, n_agents) * np.where(is_new, 0.7, 1.0)
    agent_p = team_w[agent_team] * agent_w / np.bincount(agent_team, agent_w)[agent_team]
    agent = _choice(rng, m, agent_p)
    team = agent_team[agent]
    q = quality[agent]
    team_kind = np.array([_TEAM_KINDS.index(k) for k in kinds])[team]

    # -- what: channel by team kind, tags, severity
    channel_p = np.array(
        [
            [0.45, 0.08, 0.04, 0.43],  # 售前: chat and 千牛
            [0.40, 0.25, 0.05, 0.30],  # 售后
            [0.30, 0.50, 0.12, 0.08],  # 投诉: phone
            [0.35, 0.30, 0.25, 0.10],  # 技术: more e-mail
            [0.40, 0.20, 0.10, 0.30],
        ]
    )
    channel = _choice_rows(rng, channel_p[team_kind])
    tag_p = _tag_probs(list(_TEAM_KINDS), days)
    tag1 = _choice_rows(rng, tag_p[team_kind, day])
    second_p = tag_p[:, 0, :].copy()
    second_p[:, TAGS.index(TREND_TAG)] = 0.0
    tag2 = _choice_rows(rng, second_p[team_kind])
    has2 = (rng.random(m) < 0.2) & (tag2 != tag1)
    n_tags = len(TAGS)
    tag_labels = [*TAGS, *(f"{a},{b}" for a in TAGS for b in TAGS)]
    tag_code = np.where(has2, n_tags + tag1 * n_tags + tag2, tag1)
    sev_p = np.where((team_kind == 2)[:, None], [0.15, 0.35, 0.50], [0.05, 0.20, 0.75])
    severity = _choice_rows(rng, sev_p)
    urgent = severity == 0

    # -- first response: seconds to minutes (e-mail: longer); some never answered
    frt_median = np.array([15.0, 8.0, 600.0, 20.0])[channel]
    frt_median = frt_median * np.exp(-0.35 * q) * np.where(peak, 1.8, 1.0)
    frt_median = frt_median * np.where(night, 2.5, 1.0) * np.where(urgent, 0.6, 1.0)
    frt = np.maximum(1, np.rint(_lognormal(rng, frt_median, 0.85, m))).astype(np.int64)
    p_unanswered = np.array([0.01, 0.03, 0.04, 0.01])[channel] * np.where(night, 1.5, 1.0)
    answered = rng.random(m) >= p_unanswered
    first = created + frt

    # -- collaboration with another department (~5% of rows)
    collab = answered & (rng.random(m) < 0.053)
    dept_type = _choice(rng, m, [0.6, 0.25, 0.15])
    depts = ("物流部", "仓储部", "财务部", "技术部", "产品部")
    dept = np.where(dept_type == 0, rng.integers(0, 3, m), dept_type + 2)
    sent = first + rng.integers(30, 1200, m)
    dept_median = np.array([1.5 * 3600, 8 * 3600, 30 * 3600])[dept_type]
    done = sent + np.maximum(60, np.rint(_lognormal(rng, dept_median, 0.8, m)).astype(np.int64))
    dept_done = collab & (rng.random(m) >= 0.05)

    # -- resolution: after the first response; some unresolved
    rt_median = np.array([180.0, 150.0, 4 * 3600.0, 200.0])[channel]
    rt_median = rt_median * np.exp(-0.2 * q) * np.where(urgent, 0.8, 1.0)
    resolved_at = first + np.maximum(1, np.rint(_lognormal(rng, rt_median, 0.9, m))).astype(
        np.int64
    )
    resolved_at = np.where(
        collab, np.maximum(resolved_at, done + rng.integers(60, 1800, m)), resolved_at
    )
    p_unresolved = np.array([0.03, 0.03, 0.08, 0.03])[channel]
    resolved = answered & (rng.random(m) >= p_unresolved) & (~collab | dept_done)

    # -- effort: handle time, contacts, reopens, FCR
    handle_median = np.array([240.0, 300.0, 420.0, 200.0])[channel] * np.exp(-0.15 * q)
    handle = np.rint(_lognormal(rng, handle_median, 0.6, m)).astype(np.int64)
    chat_like = channel != 2
    handle = np.where(resolved & chat_like, np.minimum(handle, resolved_at - created), handle)
    handle = np.maximum(handle, 10)
    contacts = np.where(answered, 1 + rng.poisson(0.1 + 0.12 * (q < -0.5)), 1)
    reopen_p = 0.04 * np.exp(-0.4 * q)
    reopens = np.where(resolved & (rng.random(m) < reopen_p), 1 + (rng.random(m) < 0.1), 0).astype(
        np.int64
    )
    fcr_rule = (contacts == 1) & (reopens == 0) & (rng.random(m) >= 0.03)
    fcr = fcr_rule.astype(np.int64)  # 1: 是; blank where unresolved

    # -- survey: pushed after resolution, answered by some; scores depend on the agent
    survey_sent = resolved & (rng.random(m) < np.where(channel == 2, 0.4, 0.6))
    p_answer = np.clip(0.36 + 0.05 * q, 0.15, 0.6)
    answered_survey = survey_sent & (rng.random(m) < p_answer)
    w_good = 1.0 / (1.0 + np.exp(-(1.2 * q + 1.5)))
    slow = (frt > 120) & chat_like
    w_good = np.clip(w_good - 0.2 * slow - 0.2 * (reopens > 0), 0.0, 1.0)
    good = np.array([0.005, 0.005, 0.02, 0.12, 0.85])
    bad = np.array([0.10, 0.08, 0.14, 0.28, 0.40])
    score = 1 + _choice_rows(rng, w_good[:, None] * good + (1 - w_good[:, None]) * bad)
    bad_review = answered_survey & (score <= 3)
    reason_p = np.where(slow[:, None], [0.6, 0.2, 0.1, 0.1], [0.3, 0.35, 0.15, 0.2])
    reason = _choice_rows(rng, reason_p)
    review_rate = rng.uniform(0.7, 1.0, len(teams))[team]
    reviewed = (rng.random(m) < review_rate).astype(np.int64)  # 1: 是

    # -- complaints and escalations
    p_complaint = 0.003 + 0.12 * (answered_survey & (score == 1))
    p_complaint = p_complaint + 0.05 * (answered_survey & (score == 2)) + 0.08 * (team_kind == 2)
    complaint = rng.random(m) < p_complaint
    escalated = complaint & (rng.random(m) < 0.1)

    # -- ids: GD + date + per-day sequence; customers, some of them frequent
    first_of_day = np.searchsorted(day, np.arange(days))
    seq = np.arange(m) - first_of_day[day]
    width = max(6, len(str(int(seq.max())))) if m else 6
    day_prefix = np.array([f"GD{(start + pd.Timedelta(days=d)):%Y%m%d}" for d in range(days)])
    pool = max(500, n // 3)
    cust = (pool * rng.random(m) ** 1.6).astype(np.int64)
    if m:
        ticket_id = np.strings.add(day_prefix[day], np.strings.zfill(seq.astype(str), width))
        customer = np.strings.add("C", np.strings.zfill((cust + 1).astype(str), 7))
    else:  # numpy's zfill cannot take an empty array
        ticket_id = customer = np.array([], dtype=str)

    epoch = int(start.value // 10**9)

    def ts(secs: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
        out = (secs + epoch).astype("datetime64[s]")
        if present is not None:
            out[~present] = _NAT
        return out

    def text(labels: Sequence[str], codes: np.ndarray, present: np.ndarray | None = None):
        if present is not None:
            codes = np.where(present, codes, -1)
        return pd.array(list(labels), dtype="str").take(codes, allow_fill=True)

    yes_no = ("否", "是")
    df = pd.DataFrame(
        {
            "工单号": pd.array(ticket_id, dtype="str"),
            "创建时间": ts(created),
            "首次响应时间": ts(first, answered),
            "解决时间": ts(resolved_at, resolved),
            "渠道": text(CHANNELS, channel),
            "团队": text(teams, team),
            "小组": text(roster["小组"].tolist(), agent),
            "客服": text(roster["客服"].tolist(), agent),
            "问题标签": text(tag_labels, tag_code),
            "紧急程度": text(SEVERITIES, severity),
            "满意度": pd.arrays.IntegerArray(score.astype(np.int64), ~answered_survey),
            "是否推送评价": text(yes_no, survey_sent.astype(np.int64)),
            "是否一次解决": text(yes_no, fcr, resolved),
            "联系次数": contacts.astype(np.int64),
            "重开次数": reopens,
            "是否投诉": text(yes_no, complaint.astype(np.int64)),
            "升级投诉": text(yes_no, escalated.astype(np.int64)),
            "处理时长(秒)": pd.arrays.IntegerArray(handle.astype(np.int64), ~answered),
            "差评原因": text(BAD_REVIEW_REASONS, reason, bad_review),
            "是否复核": text(yes_no, reviewed, bad_review),
            "协作部门": text(depts, dept, collab),
            "协作类型": text(DEPT_TYPES, dept_type, collab),
            "转交时间": ts(sent, collab),
            "部门完成时间": ts(done, dept_done),
            "客户ID": pd.array(customer, dtype="str"),
        }
    )
    if not dirty:
        df.attrs["dirt"] = {"counts": dict(counts), "rows": {k: () for k in DIRT_KINDS}}
        return df
    return _make_dirty(df, counts, _rng(seed, 3))


# ----------------------------------------------------------------------------- dirt


def _text_time_slash(t: datetime) -> str:
    return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"


def _text_time_zh(t: datetime) -> str:
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M:%S}"


def _text_number(v: int, form: int) -> str:
    s = str(int(v))
    return (f" {s}", f"{s} ", s.translate(_FULLWIDTH), f" {s.translate(_FULLWIDTH)} ")[form]


def _make_dirty(df: pd.DataFrame, counts: dict[str, int], rng: np.random.Generator):
    """Apply the dirt of ``counts`` to distinct rows of the clean frame, then add duplicates.

    Loops here run over the few dirty rows only (about 1% of the frame), never over all rows.
    """
    m = len(df)
    answered = df["首次响应时间"].notna().to_numpy()
    resolved = df["解决时间"].notna().to_numpy()
    anything = np.ones(m, dtype=bool)
    eligible = {
        "duplicate": resolved,
        "bad_date": anything,
        "bad_score": anything,
        "bad_order": answered,
        "missing_id": anything,
        "text_time_slash": anything,
        "text_time_zh": resolved,
        "text_number": answered,
    }
    order = rng.permutation(m)
    used = np.zeros(m, dtype=bool)
    picked: dict[str, np.ndarray] = {}
    for kind in eligible:
        ok = order[(eligible[kind] & ~used)[order]][: counts[kind]]
        if len(ok) < counts[kind]:
            raise ValueError(f"not enough rows to make {counts[kind]} rows of {kind}")
        picked[kind] = np.sort(ok)
        used[ok] = True

    dirty_cols = [*DATETIME_COLUMNS[:3], "满意度", "联系次数", "重开次数", "处理时长(秒)"]
    # numpy turns datetime64[s] into datetime.datetime (NaT into None) far faster than pandas
    # makes Timestamps; Int64 becomes int / pd.NA.
    cols = {
        c: df[c].to_numpy().astype(object) if c in DATETIME_COLUMNS else df[c].to_numpy(object)
        for c in dirty_cols
    }

    # Outdated copies: the same ticket before it was resolved and rated.
    src = picked["duplicate"]
    copies = df.iloc[src].copy()
    copies["解决时间"] = _NAT
    for c in ("满意度", "是否一次解决", "差评原因", "是否复核"):
        copies[c] = pd.NA if c == "满意度" else None
    copies["是否推送评价"] = "否"
    copies["重开次数"] = 0
    copies["是否投诉"] = "否"
    copies["升级投诉"] = "否"
    copies["部门完成时间"] = _NAT
    copies["处理时长(秒)"] = (copies["处理时长(秒)"] * 0.6).round().astype("Int64").clip(lower=10)

    # Usable dirt.
    rows = picked["text_time_slash"]
    cols["创建时间"][rows] = [_text_time_slash(t) for t in cols["创建时间"][rows]]
    rows = picked["text_time_zh"]
    which = rng.integers(0, 3, len(rows))
    for r, w in zip(rows, which, strict=True):
        col = cols[DATETIME_COLUMNS[w]]
        col[r] = _text_time_zh(col[r])
    rows = picked["text_number"]
    forms = rng.integers(0, 4, len(rows))
    targets = rng.integers(0, 4, len(rows))
    for r, f, t in zip(rows, forms, targets, strict=True):
        name = ("联系次数", "重开次数", "处理时长(秒)", "满意度")[t]
        if name == "满意度" and pd.isna(cols[name][r]):
            name = "处理时长(秒)"
        cols[name][r] = _text_number(cols[name][r], f)

    # Unusable rows.
    for r in picked["bad_date"]:
        cols["创建时间"][r] = f"{cols['创建时间'][r].year}-02-30 {cols['创建时间'][r]:%H:%M:%S}"
    rows = picked["bad_score"]
    cols["满意度"][rows] = 7
    df.loc[rows, "是否推送评价"] = "是"
    df.loc[rows, ["差评原因", "是否复核"]] = None
    rows = picked["bad_order"]
    back = [timedelta(seconds=int(b)) for b in rng.integers(60, 1800, len(rows))]
    cols["首次响应时间"][rows] = [t - b for t, b in zip(cols["创建时间"][rows], back, strict=True)]
    df.loc[picked["missing_id"], "工单号"] = None

    for c, values in cols.items():
        df[c] = pd.Series(values, index=df.index, dtype=object)
    # Insert each copy 1-200 rows above its current row.
    offset = rng.integers(1, 201, len(src))
    key = np.concatenate([np.arange(m, dtype=float), np.maximum(src - offset, 0) - 0.5])
    perm = np.argsort(key, kind="stable")
    for c in dirty_cols:
        values = copies[c].to_numpy().astype(object) if c in DATETIME_COLUMNS else copies[c]
        copies[c] = pd.Series(values, index=copies.index, dtype=object)
    out = pd.concat([df, copies.astype(df.dtypes.to_dict())], ignore_index=True)
    out = out.iloc[perm].reset_index(drop=True)
    position = np.empty(len(perm), dtype=np.int64)
    position[perm] = np.arange(len(perm))
    rows_of = {k: tuple(int(p) for p in np.sort(position[v])) for k, v in picked.items()}
    rows_of["duplicate"] = tuple(int(p) for p in np.sort(position[m:]))
    out.attrs["dirt"] = {"counts": dict(counts), "rows": {k: rows_of[k] for k in DIRT_KINDS}}
    return out


# ----------------------------------------------------------------------------- xlsx writer


def _col_letter(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_width(name: str, kind: str) -> float:
    if kind == "date":
        return 20.0
    if name in ("工单号", "问题标签"):
        return 20.0
    return max(8.0, 2.2 * len(name) + 2)


def _note_line(df: pd.DataFrame) -> str:
    return f"共 {len(df)} 条记录　导出人：客服运营部"


def write_xlsx(
    df: pd.DataFrame, path: str | Path, *, title: str | None = None, engine: str = "auto"
) -> None:
    """Write ``df`` as a manager's .xlsx export (one sheet, ``SHEET_NAME``).

    With a title, row 1 is the title merged across the columns, row 2 a note line and the
    header is on row 3; without, the header is row 1. Datetimes become real Excel dates with
    the number format ``DATE_FORMAT``; missing values become empty cells. ``engine`` is
    "openpyxl" (write-only mode), "fast" (a streaming zip writer with a shared-strings table) or
    "auto": openpyxl below ``FAST_WRITER_MIN_ROWS`` rows, fast from there on.
    """
    path = Path(path)
    first_row = 4 if title is not None else 2
    if len(df) + first_row - 1 > MAX_EXCEL_ROWS:
        raise ValueError(f"{len(df)} rows do not fit in one Excel sheet")
    if engine == "auto":
        engine = "fast" if len(df) >= FAST_WRITER_MIN_ROWS else "openpyxl"
    if engine == "openpyxl":
        _write_openpyxl(df, path, title)
    elif engine == "fast":
        _write_fast(df, path, title)
    else:
        raise ValueError(f"engine must be auto, openpyxl or fast, not {engine!r}")


def _is_date_dtype(s: pd.Series) -> bool:
    return pd.api.types.is_datetime64_any_dtype(s.dtype) and not isinstance(
        s.dtype, pd.DatetimeTZDtype
    )


def _python_values(s: pd.Series) -> list[Any]:
    """The column as Python values for openpyxl: None for missing, datetime for timestamps."""
    if _is_date_dtype(s):
        return [None if v is pd.NaT else v.to_pydatetime() for v in s]
    values = s.astype(object).to_numpy()
    na = pd.isna(values)
    out: list[Any] = []
    for v, missing in zip(values.tolist(), na.tolist(), strict=True):
        if missing:
            out.append(None)
        elif isinstance(v, pd.Timestamp):
            out.append(v.to_pydatetime())
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(v)
    return out


def _write_openpyxl(df: pd.DataFrame, path: Path, title: str | None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    ncol = max(1, len(df.columns))
    kinds = ["date" if _is_date_dtype(df[c]) else "other" for c in df.columns]
    for i, (name, kind) in enumerate(zip(df.columns, kinds, strict=True)):
        ws.column_dimensions[_col_letter(i)].width = _col_width(str(name), kind)
    header_row = 3 if title is not None else 1
    ws.freeze_panes = f"A{header_row + 1}"  # before the first append, which writes the views
    if title is not None:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center")
        ws.append([cell])
        ws.append([_note_line(df)])
        ws.merged_cells.add(f"A1:{_col_letter(ncol - 1)}1")
    bold = Font(bold=True)
    header = []
    for name in df.columns:
        cell = WriteOnlyCell(ws, value=str(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)

    def date_cell(v: Any) -> Any:
        if isinstance(v, datetime):
            cell = WriteOnlyCell(ws, value=v)
            cell.number_format = DATE_FORMAT
            return cell
        return v

    columns = []
    for c in df.columns:
        values = _python_values(df[c])
        if any(isinstance(v, datetime) for v in values):
            values = [date_cell(v) for v in values]
        columns.append(values)
    for row in zip(*columns, strict=True):
        ws.append(list(row))
    wb.save(path)


# -- the fast writer: SpreadsheetML by hand, streamed into the zip part by part

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_XML_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STYLE_DATE, _STYLE_TITLE, _STYLE_HEADER = 1, 2, 3
_EXCEL_EPOCH_DAYS = 25_569  # 1970-01-01 as an Excel serial (1900 date system)
_CHUNK_ROWS = 50_000
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

_CONTENT_TYPES = (
    _XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_DECL + f'<Relationships xmlns="{_NS_PKG}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_NS_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_CORE = (
    _XML_DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:creator>csxl demo</dc:creator></cp:coreProperties>"
)
_APP = (
    _XML_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>csxl</Application></Properties>'
)
_WORKBOOK = (
    _XML_DECL + f'<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}"><bookViews><workbookView/>'
    f'</bookViews><sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    _XML_DECL + f'<Relationships xmlns="{_NS_PKG}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_NS_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_NS_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_STYLES = (
    _XML_DECL + f'<styleSheet xmlns="{_NS_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" '
    'applyAlignment="1"><alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


# Cell kinds of the fast writer. The attribute text closes the cell reference and opens <v>.
_EMPTY, _STR, _NUM, _DATE, _BOOL = 0, 1, 2, 3, 4
_KIND_ATTRS = (b"", b'" t="s"><v>', b'"><v>', f'" s="{_STYLE_DATE}"><v>'.encode(), b'" t="b"><v>')
_TYPE_KIND: dict[type, int] = {
    str: _STR,
    datetime: _DATE,
    pd.Timestamp: _DATE,
    np.datetime64: _DATE,
    bool: _BOOL,
    np.bool_: _BOOL,
    int: _NUM,
    float: _NUM,
    np.int64: _NUM,
    np.int32: _NUM,
    np.float64: _NUM,
    np.float32: _NUM,
}
_MAX_TABLE_INT = 4_000_000  # integers below this are written from a lookup table
# Excel serials from 32768 to 65535 (1989-09-17 to 2079-06-05) share one binary exponent, so
# the shortest repr of day + s/86400 is str(day) + a fraction that depends on s only.
_DAY_LO, _DAY_HI = 32_768, 65_536


def _words(texts: Sequence[bytes], width: int | None = None) -> np.ndarray:
    """Byte strings as rows of uint64 words, NUL-padded to a multiple of 8 bytes."""
    longest = max((len(t) for t in texts), default=1)
    width = width or max(8, -(-longest // 8) * 8)
    return np.array(texts, dtype=f"S{width}").view(np.uint64).reshape(len(texts), width // 8)


def _fraction_table() -> np.ndarray:
    """Row 1 + s: the fractional digits of the serial of second s of a day; row 0: none."""
    base = 46_000  # any day of the range; str(base) has 5 digits
    fractions = [repr(base + s / _SECONDS_PER_DAY)[5:].encode() for s in range(1, 86_400)]
    return _words([b"", b"", *fractions], 16)  # none; second 0 (a whole day); 1..86399


class _Cells:
    """All cells of the data rows, prepared for the vectorised row builder.

    Per column: a kind per cell, ``a`` a row of the number table (shared-string indices,
    integers, day numbers, then literal texts for anything else) and, for columns holding
    dates, ``b`` a row of the fraction table. The shared-strings table is built by one
    pyarrow dictionary encoding of every string cell, in order of first appearance, after the
    ``fixed`` strings (title, note, header), which get indices 0, 1, ...
    """

    def __init__(self, df: pd.DataFrame, fixed: list[str]) -> None:
        import pyarrow as pa

        self.extras: list[bytes] = []
        self.kinds: list[np.ndarray] = []
        self.a: list[np.ndarray] = []
        self.b: list[np.ndarray | None] = []
        pieces = [pa.array(fixed, type=pa.large_string())]
        string_columns: list[int] = []
        for i in range(df.shape[1]):
            strings = self._column(df.iloc[:, i])
            if strings is not None:
                pieces.append(strings)
                string_columns.append(i)
        self._shared_strings(pieces, string_columns, len(df))
        max_a = max((int(a.max(initial=0)) for a in self.a), default=0)
        numbers = np.arange(max_a + 1).astype(f"S{len(str(max_a))}").tolist()
        self.number_table = _words([*numbers, *self.extras])
        if self.extras:  # extra j was stored as -1 - j; it sits at max_a + 1 + j in the table
            self.a = [np.where(a < 0, max_a - a, a) for a in self.a]
        self.fraction_table = _fraction_table()
        self.attr_table = _words(list(_KIND_ATTRS), 16)

    def _shared_strings(self, pieces: list, columns: list[int], n: int) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        combined = pa.concat_arrays(
            [(p.combine_chunks() if isinstance(p, pa.ChunkedArray) else p) for p in pieces]
        )
        encoded = pc.dictionary_encode(combined)
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        self.strings: list[str] = encoded.dictionary.to_pylist()
        self.string_count = int((codes >= 0).sum())
        offset = len(pieces[0])
        self.fixed_codes = codes[:offset].tolist()
        for i in columns:
            col_codes = codes[offset : offset + n]
            offset += n
            is_str = col_codes >= 0
            self.kinds[i][is_str] = _STR
            self.a[i][is_str] = col_codes[is_str]

    def _extra(self, texts: list[bytes]) -> np.ndarray:
        """Rows (negative, resolved once the table size is known) of literal value texts."""
        first = len(self.extras)
        self.extras.extend(texts)
        return -1 - np.arange(first, first + len(texts), dtype=np.int64)

    def _column(self, s: pd.Series) -> Any:
        """Fill kind/a/b of a column; return its strings (None elsewhere) as arrow, if any."""
        import pyarrow as pa

        n = len(s)
        kind = np.zeros(n, dtype=np.int8)
        a = np.zeros(n, dtype=np.int64)
        b = np.zeros(n, dtype=np.int64)
        self.kinds.append(kind)
        self.a.append(a)
        self.b.append(b)
        strings = None
        if _is_date_dtype(s):
            self._dates(s.to_numpy(), np.arange(n), kind, a, b)
        elif pd.api.types.is_bool_dtype(s.dtype):
            present = s.notna().to_numpy()
            kind[present] = _BOOL
            a[present] = s[present].astype(int).to_numpy()
        elif pd.api.types.is_numeric_dtype(s.dtype):
            values = s.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            self._numbers(values, np.flatnonzero(np.isfinite(values)), kind, a)
        elif isinstance(s.dtype, pd.StringDtype):
            strings = pa.array(s.array, type=pa.large_string())
        else:
            strings = self._objects(s.to_numpy(dtype=object), kind, a, b)
        if not (kind == _DATE).any():
            self.b[-1] = None
        return strings

    def _numbers(self, values: np.ndarray, where: np.ndarray, kind, a) -> None:
        v = values[where]
        kind[where] = _NUM
        table = (v >= 0) & (v < _MAX_TABLE_INT) & (v == np.floor(v))
        a[where[table]] = v[table].astype(np.int64)
        rest = where[~table]
        if len(rest):
            texts = [
                str(int(x)).encode() if x.is_integer() and abs(x) < 2**53 else repr(x).encode()
                for x in values[rest].tolist()
            ]
            a[rest] = self._extra(texts)

    def _dates(self, values: np.ndarray, where: np.ndarray, kind, a, b) -> None:
        values = values.astype("datetime64[ns]")
        ok = ~np.isnat(values)
        where = where[ok]
        day, rest = np.divmod(values[ok].astype(np.int64), _SECONDS_PER_DAY * 10**9)
        day = day + _EXCEL_EPOCH_DAYS
        kind[where] = _DATE
        table = (rest % 10**9 == 0) & (day >= _DAY_LO) & (day < _DAY_HI)
        a[where[table]] = day[table]
        b[where[table]] = 1 + rest[table] // 10**9
        if (~table).any():
            serial = day[~table] + rest[~table] / (_SECONDS_PER_DAY * 1e9)
            a[where[~table]] = self._extra([repr(x).encode() for x in serial.tolist()])

    def _objects(self, values: np.ndarray, kind, a, b) -> Any:
        """A column of mixed Python values (the dirty columns): sort the cells by type."""
        import pyarrow as pa

        na = pd.isna(values)
        lookup = _TYPE_KIND.get
        kinds = np.frompyfunc(lambda v: lookup(type(v), -1), 1, 1)(values).astype(np.int8)
        kinds[na] = _EMPTY
        for i in np.flatnonzero(kinds < 0):  # subclasses and the like: these few cells only
            v = values[i]
            if isinstance(v, str):
                kinds[i] = _STR
            elif isinstance(v, datetime):
                kinds[i] = _DATE
            else:
                kinds[i] = _NUM
        where = np.flatnonzero(kinds == _DATE)
        if len(where):
            stamps = pd.to_datetime(pd.Series(values[where], dtype=object)).to_numpy()
            self._dates(stamps, where, kind, a, b)
        where = np.flatnonzero(kinds == _BOOL)
        kind[where] = _BOOL
        a[where] = values[where].astype(int)
        where = np.flatnonzero(kinds == _NUM)
        if len(where):
            nums = np.full(len(values), np.nan)
            nums[where] = pd.to_numeric(pd.Series(values[where], dtype=object)).to_numpy(float)
            self._numbers(nums, where, kind, a)
        is_str = kinds == _STR
        if not is_str.any():
            return None
        return pa.array(np.where(is_str, values, None), type=pa.large_string())


def _sheet_rows(cells: _Cells, letters: list[str], first_row: int, lo: int, hi: int) -> bytes:
    """The <row> elements of data rows lo..hi-1 (sheet rows start at first_row).

    Every row is laid out at the same width as uint64 words: constant parts come from a
    template row, the variable parts (row number, attributes, value) are gathered from lookup
    tables a column at a time, each part NUL-padded to whole words. One bytes.translate drops
    the padding at the end, which leaves the exact XML.
    """
    rows = hi - lo
    row_numbers = _words(np.arange(first_row + lo, first_row + hi).astype("S").tolist(), 8)[:, 0]
    template: list[np.ndarray] = [_words([b'<row r="'])[0], np.zeros(1, np.uint64)]
    template.append(_words([b'">'])[0])
    places = []  # per column: word offsets of row number, attributes, a, b, and the cell end
    width = 3
    for i, letter in enumerate(letters):
        start = width
        prefix = _words([f'<c r="{letter}'.encode()])[0]
        w_a, w_b = cells.number_table.shape[1], 2 if cells.b[i] is not None else 0
        o_rn = start + len(prefix)
        o_at = o_rn + 1
        o_a = o_at + 2
        o_b = o_a + w_a
        end = o_b + w_b + 1
        template += [prefix, np.zeros(1 + 2 + w_a + w_b, np.uint64), _words([b"</v></c>"])[0]]
        places.append((start, o_rn, o_at, o_a, o_b, end))
        width = end
    template.append(_words([b"</row>"])[0])
    row = np.concatenate(template)
    mat = np.empty((rows, len(row)), dtype=np.uint64)
    mat[:] = row
    mat[:, 1] = row_numbers
    for i, (start, o_rn, o_at, o_a, o_b, end) in enumerate(places):
        kind = cells.kinds[i][lo:hi]
        mat[:, o_rn] = row_numbers
        mat[:, o_at:o_a] = cells.attr_table[kind]
        mat[:, o_a:o_b] = cells.number_table[cells.a[i][lo:hi]]
        b = cells.b[i]
        if b is not None:
            mat[:, o_b : end - 1] = cells.fraction_table[b[lo:hi]]
        empty = np.flatnonzero(kind == _EMPTY)
        if len(empty):
            mat[empty, start:end] = 0
    return mat.tobytes().translate(None, b"\x00")


def _si_elements(strings: list[str]) -> bytes:
    """<si> elements of the shared-strings table, escaped in one pass over all strings."""
    joined = "\x00".join(strings)
    if joined.count("\x00") == max(0, len(strings) - 1):
        joined = _ILLEGAL_XML_BUT_NUL.sub("", joined)
        joined = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        escaped = joined.split("\x00") if strings else []
    else:  # a string holds NUL itself: escape one by one
        escaped = [
            _ILLEGAL_XML.sub("", x).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            for x in strings
        ]
    return "".join(
        [
            f'<si><t xml:space="preserve">{x}</t></si>'
            if x[:1].isspace() or x[-1:].isspace()
            else f"<si><t>{x}</t></si>"
            for x in escaped
        ]
    ).encode("utf-8")


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    # Level 1: the sheet XML is very repetitive; level 1 is several times faster than the
    # default 6 and the file only somewhat larger.
    for attr in ("compress_level", "_compresslevel"):  # 3.13+ name, then 3.11-3.12 name
        try:
            setattr(info, attr, 1)
            break
        except AttributeError:
            continue
    return info


def _write_fast(df: pd.DataFrame, path: Path, title: str | None) -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = [str(c) for c in df.columns]
    ncol = max(1, len(names))
    letters = [_col_letter(i) for i in range(len(names))]
    last = _col_letter(ncol - 1)
    fixed = [title, _note_line(df)] if title is not None else []
    cells = _Cells(df, [*fixed, *names])
    codes = cells.fixed_codes
    top: list[str] = []
    if title is not None:
        top.append(f'<row r="1"><c r="A1" s="{_STYLE_TITLE}" t="s"><v>{codes[0]}</v></c></row>')
        top.append(f'<row r="2"><c r="A2" t="s"><v>{codes[1]}</v></c></row>')
    header_row = 3 if title is not None else 1
    top.append(
        f'<row r="{header_row}">'
        + "".join(
            f'<c r="{letter}{header_row}" s="{_STYLE_HEADER}" t="s"><v>{code}</v></c>'
            for letter, code in zip(letters, codes[len(fixed) :], strict=True)
        )
        + "</row>"
    )
    kinds = ["date" if b is not None else "other" for b in cells.b]
    first_data = header_row + 1
    last_row = header_row + len(df)
    cols_xml = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{_col_width(name, kind)}" customWidth="1"/>'
        for i, (name, kind) in enumerate(zip(names, kinds, strict=True))
    )
    head = (
        _XML_DECL + f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        f'<dimension ref="A1:{last}{last_row}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{header_row}" topLeftCell="A{first_data}" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols_xml}</cols>" if cols_xml else "")
        + "<sheetData>"
        + "".join(top)
    )
    tail = "</sheetData>"
    if title is not None:
        tail += f'<mergeCells count="1"><mergeCell ref="A1:{last}1"/></mergeCells>'
    tail += (
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )
    bounds = [(lo, min(lo + _CHUNK_ROWS, len(df))) for lo in range(0, len(df), _CHUNK_ROWS)]

    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            for name, text in (
                ("[Content_Types].xml", _CONTENT_TYPES),
                ("_rels/.rels", _ROOT_RELS),
                ("docProps/core.xml", _CORE),
                ("docProps/app.xml", _APP),
                ("xl/workbook.xml", _WORKBOOK),
                ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                ("xl/styles.xml", _STYLES),
            ):
                zf.writestr(_zip_info(name), text.encode("utf-8"))
            # Build the next chunk of rows in a thread while this one deflates the last one:
            # numpy and zlib both release the GIL for large buffers.
            with (
                ThreadPoolExecutor(max_workers=1) as pool,
                zf.open(_zip_info("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as out,
            ):
                out.write(head.encode("utf-8"))
                pending = [
                    pool.submit(_sheet_rows, cells, letters, first_data, lo, hi)
                    for lo, hi in bounds[:1]
                ]
                for k in range(len(bounds)):
                    chunk = pending.pop(0).result()
                    if k + 1 < len(bounds):
                        lo, hi = bounds[k + 1]
                        pending.append(pool.submit(_sheet_rows, cells, letters, first_data, lo, hi))
                    out.write(chunk)
                out.write(tail.encode("utf-8"))
            strings = cells.strings
            with zf.open(_zip_info("xl/sharedStrings.xml"), "w", force_zip64=True) as out:
                out.write(
                    (
                        _XML_DECL + f'<sst xmlns="{_NS_MAIN}" count="{cells.string_count}" '
                        f'uniqueCount="{len(strings)}">'
                    ).encode("utf-8")
                )
                for lo in range(0, len(strings), 200_000):
                    out.write(_si_elements(strings[lo : lo + 200_000]))
                out.write(b"</sst>")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
