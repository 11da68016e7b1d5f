"""What each KPI is called and how it is shown; the numbers live in `kpis.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "ratio", "seconds", "score", "per_10k", "shares"]
# What KPIs can be grouped by, and the spec's default limits of frt_sla and rt_sla (seconds,
# wall clock, inclusive); here, not in kpis.py, so that the command line checks --by and
# the limits without importing pandas.
GROUPINGS = ("all", "team", "group", "agent", "channel", "day")
DEFAULT_FRT_TARGET_S = 30.0
DEFAULT_RT_TARGET_S = 300.0


@dataclass(frozen=True)
class KpiInfo:
    key: str
    zh: str
    en: str
    unit: Unit

    def label(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


CATALOG: dict[str, KpiInfo] = {
    k.key: k
    for k in (
        KpiInfo("tickets", "工单量", "Tickets", "count"),
        KpiInfo("csat", "满意度", "CSAT", "ratio"),
        KpiInfo("csat_avg", "平均评分", "Average score", "score"),
        KpiInfo("survey_response_rate", "评价回收率", "Survey response rate", "ratio"),
        KpiInfo("frt_mean", "平均首响时长", "First response, mean", "seconds"),
        KpiInfo("frt_median", "首响时长中位数", "First response, median", "seconds"),
        KpiInfo("frt_p90", "首响时长P90", "First response, p90", "seconds"),
        KpiInfo("frt_sla", "首响达标率", "First response within target", "ratio"),
        KpiInfo("resolution_rate", "解决率", "Resolution rate", "ratio"),
        KpiInfo("rt_mean", "平均解决时长", "Resolution time, mean", "seconds"),
        KpiInfo("rt_median", "解决时长中位数", "Resolution time, median", "seconds"),
        KpiInfo("rt_p90", "解决时长P90", "Resolution time, p90", "seconds"),
        KpiInfo("rt_sla", "解决时效达标率", "Resolved within target", "ratio"),
        KpiInfo("fcr", "一次解决率", "First contact resolution", "ratio"),
        KpiInfo("reopen_rate", "重开率", "Reopen rate", "ratio"),
        KpiInfo("aht", "平均处理时长", "Average handle time", "seconds"),
        KpiInfo("complaints", "投诉量", "Complaints", "count"),
        KpiInfo("escalated", "升级投诉量", "Escalated complaints", "count"),
        KpiInfo("complaints_per_10k", "万人投诉率", "Complaints per 10k customers", "per_10k"),
        KpiInfo("bad_reviews", "差评数", "Bad reviews", "count"),
        KpiInfo("bad_review_reviewed", "差评复核率", "Bad reviews reviewed", "ratio"),
        KpiInfo("bad_review_reasons", "差评原因分布", "Bad review reasons", "shares"),
        KpiInfo("peak_queue_mean", "高峰首响均值", "Peak-hour first response", "seconds"),
        KpiInfo("dept_sla", "跨部门协作时效达标率", "Collaboration within limit", "ratio"),
        KpiInfo("high_value_customers", "高价值客户数", "High-value customers", "count"),
        KpiInfo("hv_tickets", "高价值客户工单量", "High-value tickets", "count"),
        KpiInfo("hv_csat", "高价值客户满意度", "High-value CSAT", "ratio"),
        KpiInfo("hv_frt_median", "高价值客户首响中位数", "High-value FRT median", "seconds"),
        KpiInfo("retention_rate", "客户留存率", "Retention rate", "ratio"),
        KpiInfo("repurchase_rate", "复购率", "Repurchase rate", "ratio"),
        KpiInfo("survey_timeliness", "评价推送及时率", "Survey sent on time", "ratio"),
    )
}


def format_value(key: str, value: object) -> str:
    """A human rendering: ratios as %, seconds with one decimal, counts as integers."""
    if value is None:
        return "—"
    unit = CATALOG[key].unit
    if unit == "shares":
        return " ".join(f"{k} {v:.0%}" for k, v in value.items())  # type: ignore[union-attr]
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "seconds":
        return f"{value:,.1f}s"
    return f"{value:,.2f}"
