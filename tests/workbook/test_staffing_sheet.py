"""The Staffing sheet (排班): arrivals from the Data sheet counted by hand, Erlang C results
per cell, the manual forecast through `csxl staff WORKBOOK`, the peak view's formulas, and
what a manager typed left alone."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from csxl.cli import main
from csxl.domain.staffing import StaffingInputs, required_agents
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build
from csxl.workbook.layout import Staffing as S
from csxl.workbook.layout import col
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import MONTH, NOW, at, clean_tickets, pasted_plan, sheet
from tests.workbook.parity import differences


def agents_cell(w: int, i: int, block: str = "agents") -> tuple[int, int]:
    return S.GRID_FIRST_ROW + i, S.block_col(block, w)


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    from csxl.refresh import refresh

    frame = clean_tickets(300)
    path = pasted_plan(tmp_path_factory.mktemp("staffing") / "plan.xlsx", frame)
    refresh(PackageBook(path), MONTH, now=NOW)
    return path, frame


def test_arrivals_are_the_mean_of_the_last_four_weeks_by_hand(refreshed):
    path, frame = refreshed
    created = pd.to_datetime(frame["创建时间"] if "创建时间" in frame else frame["created_at"])
    last = created.dt.normalize().max()
    first = last - pd.Timedelta(days=27)  # 4 weeks: each weekday exactly 4 times
    window = created[created.dt.normalize() >= first]
    rows = sheet(path, "Staffing")
    checked = 0
    for w in range(7):
        for i in range(48):
            on = window[
                (window.dt.day_of_week == w) & ((window.dt.hour * 2 + window.dt.minute // 30) == i)
            ]
            r, c = agents_cell(w, i, "arrivals")
            assert at(rows, r, c) == pytest.approx(len(on) / 4), (w, i)
            checked += len(on)
    assert checked == len(window) > 100
    assert at(rows, S.GRID_FIRST_ROW + 18, S.INTERVAL_COL) == "09:00"
    assert at(rows, S.GRID_FIRST_ROW + 48, S.INTERVAL_COL) == ""  # 30 minutes: 48 rows
    status = at(rows, S.ROW_COMPUTED, S.VALUE_COL)
    assert f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d}（28 天）" in status


def test_results_are_erlang_c_of_each_cell(refreshed):
    path, _ = refreshed
    rows = sheet(path, "Staffing")
    busiest = 0
    for w in range(7):
        for i in range(48):
            calls = at(rows, *agents_cell(w, i, "arrivals"))
            expected = required_agents(calls, 30, 180, 0.8, 20, shrinkage=0.3)
            assert at(rows, *agents_cell(w, i)) == expected.agents
            assert at(rows, *agents_cell(w, i, "scheduled")) == expected.scheduled
            assert at(rows, *agents_cell(w, i, "service_level")) == pytest.approx(
                expected.service_level
            )
            assert at(rows, *agents_cell(w, i, "asa_s")) == pytest.approx(expected.asa_s)
            assert at(rows, *agents_cell(w, i, "occupancy")) == pytest.approx(expected.occupancy)
            busiest = max(busiest, expected.agents)
    assert busiest >= 1
    # Peak view: Monday's 09:00-11:00 rows (09:00, 09:30, 10:00, 10:30).
    peak = [at(rows, *agents_cell(0, i, "arrivals")) for i in range(18, 22)]
    assert at(rows, S.PEAK_FIRST_ROW, S.PEAK_COL + 1) == pytest.approx(sum(peak))
    most = max(at(rows, *agents_cell(0, i)) for i in range(18, 22))
    assert at(rows, S.PEAK_FIRST_ROW + 1, S.PEAK_COL + 1) == most


def test_staff_workbook_uses_the_forecast_and_keeps_the_inputs(tmp_path):
    path = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(50))
    book = PackageBook(path)
    monday_0900 = agents_cell(0, 18, "forecast")
    book.write(
        "Staffing",
        {
            (S.ROW_SOURCE, S.VALUE_COL): "手工预测",
            monday_0900: 100,  # the reference: 100 calls / 30 min
            agents_cell(6, 47, "forecast"): 5000,  # 500 Erlangs
        },
    )
    book.commit()
    result = CliRunner().invoke(main, ["staff", str(path)])
    assert result.exit_code == 0, result.output
    assert "周日 23:30" in result.stdout
    rows = sheet(path, "Staffing")
    assert at(rows, *agents_cell(0, 18)) == 14
    assert at(rows, *agents_cell(0, 18, "scheduled")) == 20
    assert round(at(rows, *agents_cell(0, 18, "service_level")), 3) == 0.888
    big = required_agents(5000, 30, 180, 0.8, 20, shrinkage=0.3)
    assert at(rows, *agents_cell(6, 47)) == big.agents > 500
    assert at(rows, *agents_cell(1, 18)) == 0  # a blank forecast cell is no calls
    assert "按手工预测计算" in at(rows, S.ROW_COMPUTED, S.VALUE_COL)
    # The manager's cells are as typed.
    assert at(rows, *monday_0900) == 100
    assert at(rows, S.ROW_SOURCE, S.VALUE_COL) == "手工预测"
    assert at(rows, S.ROW_AHT, S.VALUE_COL) == 180
    # Peak view sums the forecast now.
    assert at(rows, S.PEAK_FIRST_ROW, S.PEAK_COL + 1) == 100


def test_staff_workbook_follows_changed_inputs(tmp_path):
    path = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(50))
    book = PackageBook(path)
    book.write(
        "Staffing",
        {
            (S.ROW_SOURCE, S.VALUE_COL): "手工预测",
            (S.ROW_INTERVAL, S.VALUE_COL): 60,
            (S.ROW_AHT, S.VALUE_COL): 240,
            (S.ROW_SHRINKAGE, S.VALUE_COL): 0,
            (S.ROW_MAX_OCCUPANCY, S.VALUE_COL): 0.85,
            agents_cell(2, 9, "forecast"): 1200,  # Wednesday 09:00-10:00: 80 Erlangs
        },
    )
    book.commit()
    assert CliRunner().invoke(main, ["staff", str(path)]).exit_code == 0
    rows = sheet(path, "Staffing")
    # 80% in 20 s needs 87 agents (92% occupied); at most 85% occupancy needs 95.
    expected = required_agents(1200, 60, 240, 0.8, 20, max_occupancy=0.85)
    assert at(rows, *agents_cell(2, 9)) == expected.agents == math.ceil(80 / 0.85) == 95
    assert at(rows, S.GRID_FIRST_ROW + 9, S.INTERVAL_COL) == "09:00"
    assert at(rows, S.GRID_FIRST_ROW + 24, S.INTERVAL_COL) == ""  # 24 hourly rows
    assert at(rows, *agents_cell(2, 30)) == ""


def test_bad_staffing_input_is_refused_with_its_cell(tmp_path):
    path = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(20))
    book = PackageBook(path)
    book.write("Staffing", {(S.ROW_TARGET_SL, S.VALUE_COL): 80})
    book.commit()
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["staff", str(path)])
    assert result.exit_code == 2
    assert f"row {S.ROW_TARGET_SL}" in result.stderr and "80%" in result.stderr
    assert path.read_bytes() == before


def test_a_new_plan_has_inputs_and_no_results():
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(build(PlanInputs(lang="en", year=2026))))["Staffing"]
    assert [ws[f"B{r}"].value for r in range(S.ROW_AHT, S.ROW_SOURCE + 1)] == [
        180, 0.8, 20, 0.3, 30, 4, 1, "Data"
    ]  # fmt: skip
    assert ws[f"{col(S.block_col('agents'))}{S.GRID_FIRST_ROW}"].value is None
    heat = {str(r.sqref) for r in ws.conditional_formatting}
    agents = (col(S.block_col("agents")), col(S.block_col("agents", 6)))
    assert f"{agents[0]}{S.GRID_FIRST_ROW}:{agents[1]}{S.grid_last_row()}" in heat


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_peak_view_agrees_with_libreoffice(libreoffice, tmp_path, lang):
    arrivals = {(w, i): float((w + 1) * (i % 7)) for w in range(7) for i in range(48)}
    for source in ("data", "forecast"):
        staffing = StaffingInputs(
            data_arrivals=arrivals,
            forecast={(w, i): 2 * v for (w, i), v in arrivals.items()},
            source=source,
            computed="x",
        )
        inputs = PlanInputs(
            lang=lang, year=2026, staffing=staffing, as_of=datetime(2026, 5, 1).date()
        )
        path = tmp_path / f"plan_{lang}_{source}.xlsx"
        path.write_bytes(build(inputs))
        recalc = libreoffice.recalc(path)
        assert recalc.errors() == []
        assert differences(recalc, path) == []
