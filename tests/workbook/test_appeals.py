"""Appeals (申诉) and the Audit log (审计日志): hand-checked adjustments, refused rows on
Errors, an appeal that survives three refreshes across a month switch, and parity.

The tickets are made so that every figure can be checked by hand. Every ticket is answered
in 20 s (frt_mean 20: challenge, 100 points), resolved (resolution rate 100%: 100) at the
first contact (fcr 100%: 100), no sent column (survey response = answered / resolved =
100%: 100). There is no reopens column, so the reopen rate is unavailable and its weight
drops out, as `csxl kpi` has it. So only CSAT (weight 30 of 85) moves the weighted score:

- 张三, March: CSAT 5, 5, 1, 4 -> 3/4 = 75% (below baseline, 0 points): score
  (0 x 30 + 100 x 55) / 85 = 64.71, grade C. Excluding ticket Z3 (the 1): 3/3 = 100% ->
  score 100, grade S. The team's CSAT keeps Z3.
- 李四: CSAT 5, 2 -> 50%; an override to 90% (stretch, 80 points) -> (80 x 30 + 5500) / 85
  = 92.94, grade A.
- 王五: CSAT 5, 5 -> score 100 (S); a score override to 88 -> grade A (85 <= 88 < 95).
- 赵六: score 100 (S); a grade override to B.
- February: 张三 has F1 (CSAT 1) and F2 (CSAT 5); the exclusion of F1 (blank month) applies
  when February is refreshed: 50% -> 100%.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from csxl.domain.appeals import Appeal
from csxl.refresh import refresh, score
from csxl.workbook.builder import build
from csxl.workbook.layout import Appeals as A
from csxl.workbook.layout import Audit as U
from csxl.workbook.layout import Errors as E
from csxl.workbook.layout import Scores as S
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import at, pasted_plan, plan_inputs, sheet
from tests.workbook.parity import differences

MARCH = {
    "张三": (("Z1", 5), ("Z2", 5), ("Z3", 1), ("Z4", 4)),
    "李四": (("L1", 5), ("L2", 2)),
    "王五": (("W1", 5), ("W2", 5)),
    "赵六": (("S1", 5), ("S2", 5)),
}
FEBRUARY = {"张三": (("F1", 1), ("F2", 5))}


def tickets() -> pd.DataFrame:
    rows = []
    for month, agents in ((2, FEBRUARY), (3, MARCH)):
        n = 0
        for agent, items in agents.items():
            for ticket, csat in items:
                n += 1
                created = datetime(2026, month, 2 + n, 10, 0)
                rows.append(
                    {
                        "工单号": ticket,
                        "创建时间": created,
                        "首次响应时间": created + timedelta(seconds=20),
                        "解决时间": created + timedelta(minutes=3),
                        "团队": "售后一组",
                        "客服": agent,
                        "满意度": csat,
                        "是否一次解决": "是",
                    }
                )
    return pd.DataFrame(rows)


def row(n: int, *values) -> Appeal:
    fields = ("agent", "month", "kind", "target", "value", "reason", "approver", "when", "status")
    return Appeal(A.FIRST_ROW + n, **dict(zip(fields, values, strict=True)))


D = date(2026, 4, 3)
APPEALS = (
    row(0, "张三", "2026-03", "排除工单", "Z3", None, "客户误评，已核实", "王经理", D, "通过"),
    row(1, "李四", "2026-03", "调整指标", "满意度", 0.9, "系统漏记两条好评", "王经理", D, "通过"),
    row(2, "王五", "2026-03", "调整得分", "加权得分", 88, "带教新人", "王经理", D, "通过"),
    row(3, "赵六", "2026-03", "调整得分", "等级", "B", "服务态度投诉", "王经理", D, "通过"),
    row(4, "张三", None, "排除工单", "F1", None, "重复进线", "王经理", D, "通过"),
    # Refused, listed on Errors: no approver; no status; another agent's ticket.
    row(5, "张三", "2026-03", "排除工单", "Z4", None, "客户要求", None, D, "通过"),
    row(6, "李四", "2026-03", "调整指标", "满意度", 1, "补录", "王经理", D, None),
    row(7, "张三", "2026-03", "排除工单", "L1", None, "转错", "王经理", D, "通过"),
    # Kept, not applied, not an error.
    row(8, "李四", "2026-03", "调整指标", "满意度", 0.95, "待定", "王经理", D, "待审"),
)
NOW = datetime(2026, 4, 5, 9)


@pytest.fixture
def plan(tmp_path):
    inputs = plan_inputs(appeals=APPEALS)
    return pasted_plan(tmp_path / "plan.xlsx", tickets(), inputs)


def scores(path) -> dict[str, dict[str, object]]:
    rows = sheet(path, "Scores")
    out = {}
    for r in range(S.FIRST_ROW, S.FIRST_ROW + 10):
        name = at(rows, r, S.AGENT)
        if name:
            out[name] = {
                "tickets": at(rows, r, S.TICKETS),
                "csat": at(rows, r, S.kpi_value(0)),
                "score": at(rows, r, S.SCORE),
                "grade": at(rows, r, S.GRADE),
                "adjusted": at(rows, r, S.ADJUSTED),
            }
    return out


def appeal_inputs(path) -> list[list[object]]:
    rows = sheet(path, "Appeals")
    return [rows[r - 1][: A.STATUS] for r in range(A.FIRST_ROW, A.FIRST_ROW + len(APPEALS))]


def check_march(path) -> None:
    s = scores(path)
    assert s["张三"]["tickets"] == 3 and s["张三"]["csat"] == 1.0
    assert (s["张三"]["score"], s["张三"]["grade"]) == (100, "S")
    assert "排除工单 1 张" in s["张三"]["adjusted"]
    assert s["李四"]["csat"] == 0.9
    assert s["李四"]["score"] == pytest.approx(92.94) and s["李四"]["grade"] == "A"
    assert (s["王五"]["score"], s["王五"]["grade"]) == (88, "A")
    assert (s["赵六"]["score"], s["赵六"]["grade"]) == (100, "B")
    assert s["赵六"]["adjusted"] == "等级 S→B"
    # The team's CSAT keeps the excluded ticket: 3 + 1 + 2 + 2 = 8 of the 10 answered
    # surveys are 4 or 5 (without Z3 it would be 8/9).
    goals = sheet(path, "Goals")
    assert at(goals, 5, 9) == pytest.approx(0.8)


def test_adjustments_by_hand_and_refused_rows(plan):
    refresh(PackageBook(plan), "2026-03", now=NOW)
    check_march(plan)
    errors = sheet(plan, "Errors")
    listed = [
        (at(errors, r, E.SHEET_NAME), at(errors, r, E.ROW), at(errors, r, E.COLUMN))
        for r in range(E.FIRST_ROW, len(errors) + 1)
        if at(errors, r, E.SHEET_NAME) == "申诉"
    ]
    assert listed == [("申诉", 10, "审批人"), ("申诉", 11, "状态"), ("申诉", 12, "工单号或指标")]
    appeals = sheet(plan, "Appeals")
    results = [at(appeals, A.FIRST_ROW + i, A.RESULT) for i in range(len(APPEALS))]
    assert results[:4] == ["已应用（2026-03）"] * 4
    assert results[4] == "不是本月（2026-02），未应用"
    assert results[5].startswith("未应用：") and "审批人" in results[5]
    assert results[8] == "待审，未应用"
    audit = sheet(plan, "Audit")
    logged = [
        tuple(at(audit, r, c) for c in (U.AGENT, U.KIND, U.TARGET, U.FROM, U.TO, U.APPROVER))
        for r in range(U.FIRST_ROW, len(audit) + 1)
    ]
    assert logged[:2] == [
        ("张三", "排除工单", "Z3", "计入", "排除", "王经理"),
        ("张三", "合计", "加权得分", pytest.approx(64.71), 100, ""),
    ]
    assert ("李四", "调整指标", "满意度", 0.5, 0.9, "王经理") in logged
    assert ("王五", "调整得分", "加权得分", 100, 88, "王经理") in logged
    assert ("赵六", "调整得分", "等级", "S", "B", "王经理") in logged
    assert len(logged) == 8  # four adjustments, each with its agent's total
    assert at(audit, U.FIRST_ROW, U.TIME) == "2026-04-05 09:00:00"
    assert at(audit, U.FIRST_ROW, U.REASON) == "客户误评，已核实"
    assert at(audit, U.FIRST_ROW, U.SOURCE_ROW) == A.FIRST_ROW


def test_an_appeal_survives_three_refreshes_and_a_month_switch(plan):
    typed = appeal_inputs(plan)
    book = PackageBook
    refresh(book(plan), "2026-03", now=NOW)
    check_march(plan)
    refresh(book(plan), "2026-02", now=NOW + timedelta(hours=1))
    s = scores(plan)
    assert s["张三"]["tickets"] == 1 and s["张三"]["csat"] == 1.0  # F1 excluded in February
    assert "李四" not in s
    refresh(book(plan), "2026-03", now=NOW + timedelta(hours=2))
    check_march(plan)
    assert appeal_inputs(plan) == typed  # the manager's rows, untouched by three refreshes
    audit = sheet(plan, "Audit")
    months = [at(audit, r, U.MONTH) for r in range(U.FIRST_ROW, len(audit) + 1)]
    assert months == ["2026-03"] * 8 + ["2026-02"] * 2 + ["2026-03"] * 8
    # Re-scoring without the data keeps the score and grade overrides.
    score(book(plan))
    check_march(plan)


def test_adjusted_scores_agree_with_libreoffice(libreoffice, plan, tmp_path):
    """Overridden scores and grades are values; the grade and bonus formulas that follow
    them, and every other formula, must give what csxl cached."""
    from csxl.workbook.book import PlanInputs

    refresh(PackageBook(plan), "2026-03", now=NOW)
    recalc = libreoffice.recalc(plan)
    assert recalc.errors() == []
    assert differences(recalc, plan) == []
    english = tmp_path / "plan_en.xlsx"
    english.write_bytes(build(PlanInputs(lang="en", year=2026, appeals=APPEALS)))
    recalc = libreoffice.recalc(english)
    assert recalc.errors() == [] and differences(recalc, english) == []


def test_each_agent_sheet_lists_only_their_own_adjustments(plan, tmp_path):
    import openpyxl

    from csxl.agent_sheets import export_agent_sheets

    refresh(PackageBook(plan), "2026-03", now=NOW)
    refresh(PackageBook(plan), "2026-03", now=NOW + timedelta(hours=1))  # logged twice
    done = export_agent_sheets(plan, tmp_path / "out")
    cells = {}
    for path in done.files:
        ws = openpyxl.load_workbook(path).active
        cells[ws["B3"].value] = [[c.value for c in r] for r in ws.iter_rows()]

    def lines(agent: str) -> list[list[object]]:
        rows = cells[agent]
        start = next(i for i, r in enumerate(rows) if r[0] == "申诉与调整") + 2
        out = []
        for r in rows[start:]:
            if r[0] is None:
                break
            out.append(r[:6])
        return out

    assert lines("张三") == [
        ["排除工单", "Z3", "计入", "排除", "客户误评，已核实", "王经理"],
        ["合计", "加权得分", 64.71, 100, None, None],
    ]
    assert lines("李四")[0] == ["调整指标", "满意度", 0.5, 0.9, "系统漏记两条好评", "王经理"]
    assert lines("赵六")[0][:4] == ["调整得分", "等级", "S", "B"]
    flat = repr(cells["王五"])
    assert "Z3" not in flat and "系统漏记" not in flat and "服务态度投诉" not in flat


def test_an_exclusion_typed_for_another_month_than_its_ticket_is_refused_not_ignored(tmp_path):
    wrong = (row(0, "张三", "2026-02", "排除工单", "Z2", None, "客户误评", "王经理", D, "通过"),)
    path = pasted_plan(tmp_path / "p.xlsx", tickets(), plan_inputs(appeals=wrong))
    for month in ("2026-03", "2026-02"):  # neither month applies it silently
        refresh(PackageBook(path), month, now=NOW)
        result = at(sheet(path, "Appeals"), A.FIRST_ROW, A.RESULT)
        assert result == "未应用：该工单创建于 2026-03，与考核月份不符（留空或改为 2026-03）"
        errors = sheet(path, "Errors")
        assert ("申诉", A.FIRST_ROW, "考核月份") in [
            (at(errors, r, E.SHEET_NAME), at(errors, r, E.ROW), at(errors, r, E.COLUMN))
            for r in range(E.FIRST_ROW, len(errors) + 1)
        ]
    assert scores(path)["张三"]["tickets"] == 2  # February: F1 and F2, nothing excluded


def test_the_audit_room_appends_what_the_appeals_room_logged_and_keeps_the_latest_rows():
    """The two rooms meet on PlanState only: Appeals' step leaves this refresh's rows in
    `state.logged`; Audit's step appends them to the log and keeps its last U.ROWS rows."""
    from csxl.domain.appeals import Checked
    from csxl.workbook.sheets import audit
    from csxl.workbook.state import PlanState

    state = PlanState(plan_inputs())
    old = [(f"2026-03-01 00:00:{i:02d}", "2026-03") for i in range(U.ROWS)]
    state.inputs.audit = list(old)
    state.logged = [("new", "2026-03"), ("newer", "2026-03")]
    audit.adjust(state, [], datetime(2026, 4, 1), "2026-03", lambda a: None)
    assert state.inputs.audit == old  # no appeals checked this time: nothing appended
    state.adjustments = Checked("2026-03")
    audit.adjust(state, [], datetime(2026, 4, 1), "2026-03", lambda a: None)
    assert state.inputs.audit == [*old[2:], ("new", "2026-03"), ("newer", "2026-03")]
    assert state.logged == []
