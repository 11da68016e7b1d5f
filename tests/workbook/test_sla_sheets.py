"""SLA (服务时限), Holidays (假日) and Incidents (故障) sheets: the sample export's attainment
written by Refresh equals the hand-checked values, the manager's policy and local holidays
change it as the domain says, and the incident checks agree with LibreOffice."""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from csxl.domain import sla
from csxl.domain.sla import Incident, SlaPolicy
from csxl.errors import InputError, language
from csxl.kpi_report import load
from csxl.refresh import refresh
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build, new_plan
from csxl.workbook.data_sheet import paste
from csxl.workbook.layout import Holidays as H
from csxl.workbook.layout import Incidents as N
from csxl.workbook.layout import Sla as L
from csxl.workbook.plan_reader import read_plan
from csxl.workbook.port import PackageBook
from tests.domain.test_sla import SAMPLE, SAMPLE_ATTAINMENT
from tests.plan_fixtures import at, copy_of, sheet
from tests.samples import need
from tests.workbook.parity import differences

NOW = datetime(2026, 11, 2, 9)


@lru_cache
def pasted_sample() -> bytes:
    import tempfile

    raw = pd.read_excel(need(SAMPLE), header=2, dtype=object, engine="openpyxl")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        # A department plan (no team): the whole centre's attainment, every team's row.
        new_plan(path, PlanInputs(lang="zh", team="", year=2026, as_of=date(2026, 10, 31)))
        book = PackageBook(path)
        paste(book, raw)
        book.commit()
        return path.read_bytes()


def team_rows(path: Path) -> dict[str, tuple[int, int, int]]:
    rows = sheet(path, "SLA")
    out = {}
    for r in range(L.RESULT_FIRST_ROW, L.result_last_row() + 1):
        team = at(rows, r, L.T_TEAM)
        if team != "":
            assert at(rows, r, L.T_MONTH) == "2026-10"
            out[team] = tuple(int(at(rows, r, c)) for c in (L.T_TICKETS, L.T_FRT_MET, L.T_RES_MET))
            n, frt, res = out[team]
            assert at(rows, r, L.T_FRT_PCT) == pytest.approx(frt / n)
            assert at(rows, r, L.T_RES_PCT) == pytest.approx(res / n)
    return out


def expected(policy: SlaPolicy) -> dict[str, tuple[int, int, int]]:
    frame = load(need(SAMPLE)).frame
    outcome, _ = sla.ticket_sla(frame, policy)
    table = sla.attainment(frame, outcome, ("month", "team"))
    return {r.team: (r.tickets, r.frt_met, r.res_met) for r in table.itertuples()}


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Path:
    path = copy_of(pasted_sample(), tmp_path_factory.mktemp("sla"))
    refresh(PackageBook(path), now=NOW)
    return path


def test_refresh_writes_the_hand_checked_sample_attainment(refreshed):
    assert team_rows(refreshed) == SAMPLE_ATTAINMENT
    status = at(sheet(refreshed, "SLA"), L.STATUS_ROW, L.T_MONTH)
    assert status.startswith("2026-11-02 09:00") and "5,000" in status


def test_refresh_writes_the_department_appraisal(refreshed):
    from csxl.domain import kpis

    frame = load(need(SAMPLE)).frame
    _, met, _ = kpis.dept_sla_flags(frame, kpis.KpiSettings())
    table = sla.department_appraisal(frame, met, ("month", "dept"))
    rows = sheet(refreshed, "SLA")
    for i, r in enumerate(table.itertuples()):
        row = L.RESULT_FIRST_ROW + i
        assert at(rows, row, L.D_DEPT) == r.dept
        assert (at(rows, row, L.D_COLLAB), at(rows, row, L.D_MET)) == (r.collab, r.met)
        assert at(rows, row, L.D_PCT) == pytest.approx(r.met / r.collab)
        assert at(rows, row, L.D_MEDIAN) == pytest.approx(r.median_hours)
    # 技术部: 52 of 64 collaborations within their limit (the dept_sla rule).
    assert (table.set_index("dept").loc["技术部", ["collab", "met"]] == [64, 52]).all()


def test_a_policy_edit_and_a_local_holiday_change_the_attainment(tmp_path):
    path = copy_of(pasted_sample(), tmp_path)
    book = PackageBook(path)
    normal = L.POLICY_FIRST_ROW + 2  # 常规 / 全部 / 09:00-24:00 / 60 min / 48 h
    book.write("SLA", {(normal, L.FIRST_RESPONSE_MIN): 30, (normal, L.HOURS): "09:00-21:00"})
    # The Thursday after National Day off locally; a local duty Sunday 11 October.
    book.write(
        "Holidays",
        {
            (H.FIRST_ROW, H.DATE): datetime(2026, 10, 8),
            (H.FIRST_ROW, H.KIND): "放假",
            (H.FIRST_ROW + 1, H.DATE): datetime(2026, 10, 11),
            (H.FIRST_ROW + 1, H.KIND): "上班",
        },
    )
    book.commit()
    state = read_plan(PackageBook(path))
    assert state.kpi_settings.extra_holidays == (date(2026, 10, 8),)
    assert state.kpi_settings.extra_workdays == (date(2026, 10, 11),)
    policy = state.sla_policy()
    assert policy.targets[2].first_response_min == 30 and policy.targets[2].hours == "09:00-21:00"
    refresh(PackageBook(path), now=NOW)
    got = team_rows(path)
    assert got == expected(policy)
    assert got != SAMPLE_ATTAINMENT


def test_a_bad_sla_row_is_refused_with_its_row(tmp_path):
    path = copy_of(pasted_sample(), tmp_path)
    book = PackageBook(path)
    book.write("SLA", {(L.POLICY_FIRST_ROW + 1, L.HOURS): "weekdays"})
    book.commit()
    with pytest.raises(InputError, match=f"第 {L.POLICY_FIRST_ROW + 1} 行.*无法理解服务时间"):
        refresh(PackageBook(path), now=NOW)
    with language("en"), pytest.raises(InputError, match=f"row {L.POLICY_FIRST_ROW + 1}.*not und"):
        refresh(PackageBook(path), now=NOW)


def test_holidays_sheet_lists_the_official_2026_days():
    ws = load_workbook(io.BytesIO(build(PlanInputs(lang="zh", year=2026))))["假日"]
    o = H.OFFICIAL_COL
    listed = {
        ws.cell(r, o).value.date(): (ws.cell(r, o + 1).value, ws.cell(r, o + 2).value)
        for r in range(H.FIRST_ROW, H.FIRST_ROW + H.OFFICIAL_ROWS)
        if ws.cell(r, o).value
    }
    assert listed[date(2026, 2, 14)] == ("调休上班", "春节")
    assert listed[date(2026, 2, 23)] == ("法定放假", "春节")
    assert listed[date(2026, 9, 20)] == ("调休上班", "国庆节")
    assert listed[date(2026, 10, 10)] == ("调休上班", "国庆节")
    assert date(2026, 10, 11) not in listed  # an ordinary Sunday


INCIDENTS = (
    # Alert at exactly 5:00 (met), workaround at 10:01 (late), announcement missing.
    Incident("F1", "订单", "批量下单失败", datetime(2026, 5, 3, 10, 0), datetime(2026, 5, 3, 10, 5),
             datetime(2026, 5, 3, 10, 10, 1), None, datetime(2026, 5, 3, 11, 0), "王五"),
    # Every milestone in time, across midnight.
    Incident("F2", "支付", "回调超时", datetime(2026, 5, 3, 23, 58), datetime(2026, 5, 4, 0, 1),
             datetime(2026, 5, 4, 0, 7), datetime(2026, 5, 4, 0, 28)),
    # Logged without a start: nothing is judged.
    Incident("F3", "物流", "轨迹延迟"),
)  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_incident_checks(lang):
    ws = load_workbook(io.BytesIO(build(PlanInputs(lang=lang, year=2026, incidents=INCIDENTS))))[
        "故障" if lang == "zh" else "Incidents"
    ]
    words = ("达标", "超时", "缺失") if lang == "zh" else ("Met", "Late", "Missing")
    r = N.FIRST_ROW
    assert "ROUND" in ws.cell(r, N.ALERT_MIN).value
    assert sla.incident_minutes(INCIDENTS[0].start, INCIDENTS[0].alert) == 5.0
    assert sla.incident_status(INCIDENTS[0].start, 5.0, 5) == "met"
    minutes = sla.incident_minutes(INCIDENTS[0].start, INCIDENTS[0].workaround)
    assert minutes == pytest.approx(10 + 1 / 60, abs=1e-4)
    assert sla.incident_status(INCIDENTS[0].start, minutes, 10) == "late"
    assert sla.incident_status(INCIDENTS[0].start, None, 30) == "missing"
    assert sla.incident_status(None, None, 30) is None
    assert words[0] in ws.cell(r, N.ALERT_OK).value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sla_incidents_and_holidays_agree_with_libreoffice(libreoffice, tmp_path, lang):
    inputs = PlanInputs(
        lang=lang,
        year=2026,
        as_of=date(2026, 5, 15),
        incidents=INCIDENTS,
        holidays=((date(2026, 5, 6), "holiday", "司庆"), (date(2026, 5, 10), "workday", None)),
        sla_teams=[("2026-04", "售后一组", 812, 790, 700), ("2026-05", None, 0, 0, 0)],
        sla_depts=[("2026-04", "技术部", 12, 9, 15.5), ("2026-05", "产品部", 3, 0, None)],
        sla_status="x",
    )
    path = tmp_path / f"plan_{lang}.xlsx"
    path.write_bytes(build(inputs))
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []
    from tests.workbook.parity import cached_values

    values = cached_values(path)
    incidents = values["故障" if lang == "zh" else "Incidents"]
    words = ("达标", "超时", "缺失") if lang == "zh" else ("Met", "Late", "Missing")

    def v(r, c):
        return incidents[r - 1][c - 1]

    r = N.FIRST_ROW
    assert (v(r, N.ALERT_MIN), v(r, N.ALERT_OK)) == (5, words[0])
    assert v(r, N.WORKAROUND_OK) == words[1] and v(r, N.ANNOUNCE_OK) == words[2]
    assert [v(r + 1, c) for c in (N.ALERT_MIN, N.WORKAROUND_MIN, N.ANNOUNCE_MIN)] == [3, 9, 30]
    assert [v(r + 1, c) for c in (N.ALERT_OK, N.WORKAROUND_OK, N.ANNOUNCE_OK)] == [words[0]] * 3
    assert v(r + 2, N.ALERT_OK) in ("", None)
    # Shares met: alert 2/2, workaround 1/2, announcement 1/2.
    assert [v(N.RATE_ROW, c) for c in (N.ALERT_OK, N.WORKAROUND_OK, N.ANNOUNCE_OK)] == [
        1,
        0.5,
        0.5,
    ]


def test_a_plan_made_before_these_sheets_still_refreshes(tmp_path):
    from csxl.refresh import staff
    from csxl.workbook.port import MemoryBook

    book = MemoryBook.from_file(copy_of(pasted_sample(), tmp_path))
    for key in ("SLA", "Holidays", "Incidents", "Actions", "Staffing"):
        del book.sheets[key]
    outcome = refresh(book, now=NOW)
    assert outcome.month == "2026-10" and book.commits == 1
    assert set(book.sheets).isdisjoint({"SLA", "Holidays", "Incidents", "Actions", "Staffing"})
    with pytest.raises(InputError, match="工作簿没有“排班”表"):
        staff(book)
    with language("en"), pytest.raises(InputError, match="no 排班 sheet"):
        staff(book)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_plan_reads_back_the_default_policy(tmp_path, lang):
    from csxl.domain import actions

    path = tmp_path / f"plan_{lang}.xlsx"
    new_plan(path, PlanInputs(lang=lang, year=2026))
    state = read_plan(PackageBook(path))
    assert state.has_sla and state.has_actions and state.has_staffing
    assert state.sla_policy() == SlaPolicy()  # Urgent/High/Normal and All read back
    assert state.inputs.collab_limits == sla.DEFAULT_COLLAB_LIMITS
    assert state.kpi_settings.dept_limits_h == {"常规": 4.0, "技术排查": 24.0}
    assert state.kpi_settings.dept_limits_workdays == {"产品优化": 3}
    assert state.inputs.holidays == ()
    assert state.inputs.actions == actions.DEFAULT_ACTIONS[lang]
