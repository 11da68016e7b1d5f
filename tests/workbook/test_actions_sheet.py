"""Actions (改进措施): the before/after comparison over the 3-month window, by hand, and the
window, change and status formulas against LibreOffice."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from csxl.domain import actions
from csxl.domain.actions import Action
from csxl.refresh import refresh
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build
from csxl.workbook.layout import Actions as A
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import at, pasted_plan, sheet
from tests.workbook.parity import differences


def tickets() -> pd.DataFrame:
    """One ticket a day at 09:30 (in the peak) and one at 15:00, January to June 2026.

    Peak first response: 60 s before 1 April, 40 s from it; the 15:00 tickets always
    take 100 s. So from 1 April: peak_queue_mean 60 -> 40 (-33.3%), frt_mean 80 -> 70
    (-12.5%).
    """
    rows = []
    day = date(2026, 1, 1)
    n = 0
    while day <= date(2026, 6, 30):
        peak = 60 if day < date(2026, 4, 1) else 40
        for hour, minute, wait in ((9, 30, peak), (15, 0, 100)):
            created = datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)
            n += 1
            rows.append(
                {
                    "工单号": f"T{n:05d}",
                    "创建时间": created,
                    "首次响应时间": created + timedelta(seconds=wait),
                    "团队": "售后一组",
                    "客服": "张三",
                }
            )
        day += timedelta(days=1)
    return pd.DataFrame(rows)


ACTIONS = (
    Action("智能路由", "peak_queue_mean", date(2026, 4, 1), -0.3, "运营"),  # -33.3%: met
    Action("话术优化", "frt_mean", date(2026, 4, 1), -0.5, "质检"),  # -12.5%: missed
    Action("知识库", "frt_mean", date(2026, 6, 1), -0.1),  # window to 31 Aug: watching
    Action("新工具", "frt_mean", date(2026, 4, 1)),  # no target
)


def test_refresh_compares_the_three_months_before_and_after(tmp_path):
    inputs = PlanInputs(
        lang="zh", team="售后一组", year=2026, as_of=date(2026, 7, 15), actions=ACTIONS
    )
    path = pasted_plan(tmp_path / "plan.xlsx", tickets(), inputs)
    refresh(PackageBook(path), "2026-06", now=datetime(2026, 7, 15, 8))
    rows = sheet(path, "Actions")

    def row(i: int) -> dict[str, object]:
        r = A.FIRST_ROW + i
        names = ("WINDOW_END", "BEFORE", "AFTER", "BEFORE_N", "AFTER_N", "CHANGE", "STATUS")
        return {n: at(rows, r, getattr(A, n)) for n in names}

    routing = row(0)
    # Before: 1 January - 31 March (90 days); after: 1 April - 30 June (91 days).
    assert (routing["BEFORE"], routing["AFTER"]) == (60, 40)
    assert (routing["BEFORE_N"], routing["AFTER_N"]) == (180, 182)
    assert routing["CHANGE"] == pytest.approx(-1 / 3)
    assert routing["STATUS"] == "已达成"
    script = row(1)
    assert (script["BEFORE"], script["AFTER"]) == (80, 70)
    assert script["CHANGE"] == pytest.approx(-0.125) and script["STATUS"] == "未达成"
    kb = row(2)
    # 1 March - 31 May before; 1 June - 31 August after (only June has data so far).
    assert (kb["BEFORE_N"], kb["AFTER_N"]) == (184, 60)
    assert kb["STATUS"] == "观察中"
    assert row(3)["STATUS"] == "无目标"
    # The manager's columns are as typed.
    assert at(rows, A.FIRST_ROW, A.ACTION) == "智能路由"
    assert at(rows, A.FIRST_ROW, A.KPI) == "高峰首响均值"
    assert at(rows, A.FIRST_ROW, A.TARGET) == -0.3


def test_rules() -> None:
    assert actions.windows(date(2026, 11, 30)) == (
        (date(2026, 8, 30), date(2026, 11, 29)),
        (date(2026, 11, 30), date(2027, 2, 27)),  # EDATE(30 Nov, 3) = 28 Feb, minus a day
    )
    assert actions.change(60, 42) == pytest.approx(-0.3)
    assert actions.change(0, 5) is None and actions.change(None, 5) is None
    assert actions.status(date(2026, 4, 1), date(2026, 6, 30), -0.5, -0.3) == "watching"
    assert actions.status(date(2026, 4, 1), date(2026, 7, 1), -0.3, -0.3) == "met"  # inclusive
    assert actions.status(date(2026, 4, 1), date(2026, 7, 1), 0.1, 0.2) == "missed"
    assert actions.status(date(2026, 4, 1), date(2026, 7, 1), None, 0.2) == "no_data"
    assert actions.status(None, date(2026, 7, 1), None, 0.2) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_actions_agree_with_libreoffice(libreoffice, tmp_path, lang):
    rows = (
        Action("a", "peak_queue_mean", date(2026, 1, 31), -0.3, None, 60.0, 42.0, 10, 12),
        Action("b", "csat", date(2026, 2, 1), 0.05, None, 0.8, 0.82, 10, 12),
        Action("c", "frt_mean", date(2026, 4, 20), -0.1, None, 80.0, 70.0, 10, 12),
        Action("d", "frt_mean", date(2026, 1, 1), None, None, 80.0, None, 10, 0),
        Action("e", "frt_mean", date(2026, 1, 1), -0.1, None, 0.0, 5.0, 1, 1),
    )
    inputs = PlanInputs(lang=lang, year=2026, as_of=date(2026, 5, 1), actions=rows)
    path = tmp_path / f"plan_{lang}.xlsx"
    path.write_bytes(build(inputs))
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []
    from tests.workbook.parity import cached_values

    values = cached_values(path)["改进措施" if lang == "zh" else "Actions"]
    status = [values[A.FIRST_ROW - 1 + i][A.STATUS - 1] for i in range(5)]
    labels = actions.STATUS_LABELS[lang]
    # a: -30% exactly meets -30%; b: +2.5% misses +5%; c: still watching on 1 May;
    # d: no target; e: before is 0, so no change can be computed.
    assert status == [
        labels["met"],
        labels["missed"],
        labels["watching"],
        labels["no_target"],
        labels["no_data"],
    ]
