"""frt_sla's and rt_sla's limits: shown by `csxl kpi`, set by flags, taken from a plan's
Settings (their one source, which the SLA sheet shows), equal in refresh and `csxl kpi PLAN`."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from csxl.cli import main

# Five tickets of 2026-03-02: first response after 20, 30, 45, 120 s and never; resolved
# after 200, 300, 3600 s, then twice never.
ROWS = [
    ["T1", "2026-03-02 09:00:00", "2026-03-02 09:00:20", "2026-03-02 09:03:20"],
    ["T2", "2026-03-02 10:00:00", "2026-03-02 10:00:30", "2026-03-02 10:05:00"],
    ["T3", "2026-03-02 11:00:00", "2026-03-02 11:00:45", "2026-03-02 12:00:00"],
    ["T4", "2026-03-02 12:00:00", "2026-03-02 12:02:00", None],
    ["T5", "2026-03-02 13:00:00", None, None],
]


def _export(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工单号", "创建时间", "首次响应时间", "解决时间"])
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _doc(*args) -> dict:
    result = run("kpi", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _rates(doc: dict) -> tuple[float, float]:
    k = doc["groups"][0]["kpis"]
    return k["frt_sla"], k["rt_sla"]


@pytest.mark.parametrize(
    ("flags", "thresholds", "rates"),
    [
        # defaults: T1 and T2 within 30 s and 300 s (a limit is inclusive); T5 unanswered and
        # T4, T5 unresolved are breaches over all five tickets
        ((), {"frt_sla_s": 30, "rt_sla_s": 300}, (2 / 5, 2 / 5)),
        (
            ("--frt-target", 45, "--rt-target", 3600),
            {"frt_sla_s": 45, "rt_sla_s": 3600},
            (3 / 5, 3 / 5),
        ),
        (("--frt-target", 29.5), {"frt_sla_s": 29.5, "rt_sla_s": 300}, (1 / 5, 2 / 5)),
        (("--rt-target", 299), {"frt_sla_s": 30, "rt_sla_s": 299}, (2 / 5, 1 / 5)),
        (("--frt-target", 120), {"frt_sla_s": 120, "rt_sla_s": 300}, (4 / 5, 2 / 5)),
    ],
)
def test_flags_set_the_limits_and_the_json_shows_them(tmp_path, flags, thresholds, rates):
    doc = _doc(_export(tmp_path / "t.xlsx"), *flags)
    assert doc["thresholds"] == thresholds
    assert _rates(doc) == pytest.approx(rates, abs=1e-12)


def test_the_json_keeps_every_key_of_its_contract(tmp_path):
    doc = _doc(_export(tmp_path / "t.xlsx"))
    assert list(doc) == [
        "source", "period", "rows", "thresholds", "groups", "top_tags", "tag_alerts",
        "unavailable",
    ]  # fmt: skip


@pytest.mark.parametrize("value", ["0", "-5", "abc"])
def test_a_limit_must_be_more_than_zero(tmp_path, value):
    result = run("kpi", _export(tmp_path / "t.xlsx"), "--frt-target", value)
    assert result.exit_code == 2
    assert "--frt-target" in result.output and "Traceback" not in result.output


def test_plain_output_says_the_limits_and_where_they_came_from(tmp_path):
    export = _export(tmp_path / "t.xlsx")
    zh = run("kpi", export)
    assert zh.exit_code == 0, zh.output
    text = " ".join(zh.stdout.split())
    assert "首响达标率按首响 ≤ 30 秒计（默认）" in text
    assert "解决时效达标率按解决 ≤ 300 秒（5 分钟）计（默认）" in text
    en = run("kpi", export, "--lang", "en", "--rt-target", 14400)
    text = " ".join(en.stdout.split())
    assert "First response within target: <= 30 s (default)" in text
    assert "resolved within target: <= 14,400 s = 4 h (command line)" in text


def test_help_text_in_both_languages():
    out = run("kpi", "--help").output
    for words in (
        "--frt-target SECONDS",
        "--rt-target SECONDS",
        "首响达标率的时限",
        "解决时效达标率",
    ):
        assert words in out
    out = run("kpi", "--help", "--lang", "en").output
    for words in ("--frt-target SECONDS", "First-response limit of frt_sla", "rt_sla"):
        assert words in out


def test_the_default_limits_are_the_engines():
    from csxl.domain.kpis import DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S, KpiSettings
    from csxl.kpi_report import Thresholds

    limits = Thresholds()
    assert (limits.frt_s, limits.rt_s) == (DEFAULT_FRT_TARGET_S, DEFAULT_RT_TARGET_S)
    assert (KpiSettings().frt_target_s, KpiSettings().rt_target_s) == (30, 300)


# --- a plan workbook: Settings is the source, refresh and kpi agree ----------------------------


def _plan(tmp_path, frt=None, rt=None):
    from csxl.refresh import refresh
    from csxl.workbook.layout import Settings as St
    from csxl.workbook.port import PackageBook
    from tests.plan_fixtures import MONTH, NOW, clean_tickets, pasted_plan

    plan = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(120))
    book = PackageBook(plan)
    book.write("Settings", {(St.ROW_FRT_TARGET, 2): frt, (St.ROW_RT_TARGET, 2): rt})
    book.commit()
    refresh(PackageBook(plan), MONTH, now=NOW)
    return plan


def _sla_block(plan) -> dict[str, tuple[object, object, object]]:
    """The SLA sheet's KPI block: key -> (limit, month, rate)."""
    from csxl.workbook.layout import Sla as L
    from tests.plan_fixtures import at, sheet

    rows = sheet(plan, "SLA")
    return {
        key: tuple(at(rows, L.KPI_FIRST_ROW + i, c) for c in (L.K_LIMIT, L.K_MONTH, L.K_VALUE))
        for i, key in enumerate(L.KPI_KEYS)
    }


def test_kpi_on_a_plan_uses_its_settings_and_equals_its_refresh(tmp_path):
    from tests.plan_fixtures import MONTH

    plan = _plan(tmp_path, frt=90, rt=7200)
    block = _sla_block(plan)
    doc = _doc(plan, "--month", MONTH)
    assert doc["thresholds"] == {"frt_sla_s": 90, "rt_sla_s": 7200}
    frt, rt = _rates(doc)
    assert block == {"frt_sla": (90, MONTH, frt), "rt_sla": (7200, MONTH, rt)}
    # the plan's limits matter: the defaults give other rates on the same rows
    assert (frt, rt) != pytest.approx(_rates(_doc(plan, "--month", MONTH, "--frt-target", 30)))
    assert rt != pytest.approx(_rates(_doc(plan, "--month", MONTH, "--rt-target", 300))[1])
    plain = " ".join(run("kpi", plan, "--month", MONTH).stdout.split())
    assert "首响达标率按首响 ≤ 90 秒计（计划“设置”表）" in plain


def test_a_flag_wins_over_the_plan(tmp_path):
    from tests.plan_fixtures import MONTH

    plan = _plan(tmp_path, frt=90, rt=7200)
    doc = _doc(plan, "--month", MONTH, "--rt-target", 60)
    assert doc["thresholds"] == {"frt_sla_s": 90, "rt_sla_s": 60}


def test_blank_settings_are_the_defaults_on_the_sla_sheet_too(tmp_path):
    from tests.plan_fixtures import MONTH

    plan = _plan(tmp_path)  # B10 and B11 emptied
    block = _sla_block(plan)
    doc = _doc(plan, "--month", MONTH)
    assert doc["thresholds"] == {"frt_sla_s": 30, "rt_sla_s": 300}
    frt, rt = _rates(doc)
    assert block == {"frt_sla": (30, MONTH, frt), "rt_sla": (300, MONTH, rt)}


def test_a_zero_limit_on_settings_is_refused_with_its_cell(tmp_path):
    from csxl.workbook.layout import Settings as St
    from csxl.workbook.port import PackageBook
    from tests.plan_fixtures import clean_tickets, pasted_plan

    plan = pasted_plan(tmp_path / "plan.xlsx", clean_tickets(20))
    book = PackageBook(plan)
    book.write("Settings", {(St.ROW_RT_TARGET, 2): 0})
    book.commit()
    for command in (("kpi", plan), ("refresh", plan)):
        result = run(*command)
        assert result.exit_code == 2, result.output
        assert f"第 {St.ROW_RT_TARGET} 行，“B”列：目标 0 秒无法达到" in result.output
        english = run(*command, "--lang", "en")
        assert english.exit_code == 2, english.output
        assert f"row {St.ROW_RT_TARGET}, column 'B'" in english.output
        assert "a target of 0 seconds cannot be met" in english.output


@pytest.mark.parametrize(("frt", "rt"), [(None, None), (45.5, 7200)])
def test_the_sla_sheets_limit_formulas_agree_with_libreoffice(libreoffice, tmp_path, frt, rt):
    """Blank Settings cells show the defaults, typed ones themselves (cached = recalculated)."""
    from tests.workbook.parity import differences

    plan = _plan(tmp_path, frt=frt, rt=rt)
    recalc = libreoffice.recalc(plan)
    assert recalc.errors() == []
    assert differences(recalc, plan) == []
    limits = {key: block[0] for key, block in _sla_block(plan).items()}
    assert limits == {"frt_sla": frt or 30, "rt_sla": rt or 300}
