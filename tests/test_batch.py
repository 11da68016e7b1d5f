"""`csxl batch`: safe names, plans identical to build(), --data, failures, re-runs."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from csxl import batch
from csxl.batch import Template, file_names, run_batch, safe_stem
from csxl.cli import main
from csxl.domain.scoring import DEFAULT_TARGETS
from csxl.workbook import layout
from csxl.workbook.book import Override, PlanInputs
from csxl.workbook.builder import build
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Scores as S
from csxl.workbook.roster_book import roster_bytes
from tests.batch_fixtures import TEAMS
from tests.cells import cell_differences

TODAY = date(2026, 5, 15)
FORBIDDEN = set('\\/:*?"<>|') | {chr(c) for c in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}


# ------------------------------------------------------------------ names
def valid_windows_name(name: str) -> bool:
    stem = name.removesuffix(".xlsx")
    return (
        name.endswith(".xlsx")
        and stem != ""
        and not (set(stem) & FORBIDDEN)
        and not stem.endswith((".", " "))
        and stem.split(".")[0].strip().upper() not in RESERVED
        and len(stem.encode("utf-16-le")) // 2 <= batch.STEM_MAX
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=12, unique=True))
def test_any_team_names_give_valid_unique_windows_file_names(teams):
    names = file_names(teams)
    assert set(names) == set(teams)
    assert all(valid_windows_name(n) for n in names.values()), names
    assert len({n.casefold() for n in names.values()}) == len(teams)


def test_names_keep_chinese_and_avoid_devices():
    assert safe_stem("售后一组") == "售后一组"
    assert safe_stem('A/B: "C"?') == "A_B_ _C__"
    assert safe_stem("con") == "_con" and safe_stem("LPT1.txt") == "_LPT1.txt"
    assert safe_stem("组. ") == "组" and safe_stem("...") == "team"
    assert file_names(["A", "a", "A?", "A*"]) == {
        "A": "A.xlsx",
        "a": "a (2).xlsx",
        "A?": "A_.xlsx",
        "A*": "A_ (2).xlsx",
    }
    # A name recorded by an earlier run is kept while it is free.
    assert file_names(["a", "A"], {"A": "A.xlsx"}) == {"a": "a (2).xlsx", "A": "A.xlsx"}


# ------------------------------------------------------------------ identical to build()
@pytest.fixture(scope="module")
def templates():
    return {lang: Template(lang, 2026, TODAY) for lang in ("zh", "en")}


CASES = {
    "defaults": ("售后一组", (), []),
    "overrides": (
        'Team "A" & <B>',
        ((0, {"stretch": 0.91, "weight": 25.5}), (1, {"baseline": 150.0}), (6, {"challenge": 10})),
        [
            Override(18, "group", "A班", "csat", None, 0.8, 0.88, None),
            Override(19, "agent", "=张三", "frt_mean", 10.0, None, None, 20.0),
            Override(77, "agent", "李四", "fcr", None, None, 0.9, None),
        ],
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_specialised_copy_is_build_cell_for_cell(templates, lang, case):
    team, changes, cascade = CASES[case]
    targets = list(DEFAULT_TARGETS)
    for i, values in changes:
        targets[i] = replace(targets[i], **values)
    inputs = PlanInputs(
        lang=lang, team=team, year=2026, today=TODAY, targets=tuple(targets), cascade=cascade
    )
    mine = templates[lang].specialise(team, tuple(targets), cascade)
    assert cell_differences(mine, build(inputs)) == []


@settings(max_examples=4, deadline=None, phases=(Phase.explicit, Phase.generate))
@given(
    team=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).map(
        lambda s: " ".join(s.split())
    ),
    stretch=st.floats(0.86, 0.94),
    weight=st.floats(0, 100),
)
@example(team="0", stretch=0.8650199448551988, weight=10.227732474252747)  # 17 digits
def test_specialised_copies_match_build_for_any_team_and_targets(templates, team, stretch, weight):
    if not team or set(team) & {"\ufffe", "\uffff"}:
        return
    targets = (replace(DEFAULT_TARGETS[0], stretch=stretch, weight=weight), *DEFAULT_TARGETS[1:])
    mine = templates["zh"].specialise(team, targets)
    inputs = PlanInputs(team=team, year=2026, today=TODAY, targets=targets)
    assert cell_differences(mine, build(inputs)) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_copy_with_active_customers_is_build_cell_for_cell(templates, lang):
    mine = templates[lang].specialise("售后一组", active_customers=20_000.5)
    inputs = PlanInputs(
        lang=lang, team="售后一组", year=2026, today=TODAY, active_customers=20_000.5
    )
    assert cell_differences(mine, build(inputs)) == []
    assert cell_differences(mine, templates[lang].specialise("售后一组")) != []


# ------------------------------------------------------------------ the roster's agents
def a_roster_team():
    from csxl.roster import Agent, Team

    team = Team("售后一组")
    team.agents = [
        Agent("王小明", team.name, "A班", "KF1001", date(2024, 3, 1), "李娜", 2),
        Agent("陈静", team.name, "B班", None, date(2026, 4, 20), None, 3),  # a new hire
        Agent("=张三", team.name, None, "KF9", None, None, 4),
    ]
    team.agent_overrides = {"陈静": {"fcr": {"stretch": 0.9}}}
    return team


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_copy_with_the_rosters_agents_is_build_cell_for_cell(templates, lang):
    """Team (agent, group, hire date and the new-hire mark), Aliases (name -> 工号) and the
    cascade's agent rows, as building the plan with those inputs writes them."""
    from csxl.domain.people import TeamInputs
    from csxl.workbook.sheets import roster_inputs

    team = a_roster_team()
    p = roster_inputs(team, lang, 2026, TODAY)
    targets, members, aliases, cascade = p.targets, p.team_inputs.members, p.aliases, p.cascade
    assert (p.lang, p.team, p.year, p.today) == (lang, team.name, 2026, TODAY)
    assert [m.agent for m in members] == ["王小明", "陈静", "=张三"]
    # An agent without a 工号 is their own id: never an unknown name once the table is used.
    assert aliases == (
        ("王小明", "KF1001", "王小明"),
        ("陈静", "陈静", "陈静"),
        ("=张三", "KF9", "=张三"),
    )
    # 陈静 has an override row of her own; the others get a row with the team's targets.
    assert [(o.name, o.key, o.stretch) for o in cascade] == [
        ("陈静", "fcr", 0.9),
        ("王小明", "csat", None),
        ("=张三", "csat", None),
    ]
    mine = templates[lang].specialise(team.name, targets, cascade, None, members, aliases)
    inputs = PlanInputs(
        lang=lang,
        team=team.name,
        year=2026,
        today=TODAY,
        targets=targets,
        cascade=cascade,
        team_inputs=TeamInputs(members),
        aliases=aliases,
    )
    assert cell_differences(mine, build(inputs)) == []
    assert cell_differences(templates[lang].plan(p), mine) == []
    assert cell_differences(mine, templates[lang].specialise(team.name, targets)) != []


def test_no_agent_ids_leave_aliases_empty():
    from csxl.workbook.sheets import roster_inputs

    team = a_roster_team()
    team.agents = [replace(a, agent_id=None) for a in team.agents]
    assert roster_inputs(team, "zh", 2026, TODAY).aliases == ()


def test_a_rosters_overrides_fill_the_cascade_rows_then_its_agents():
    from csxl.workbook.sheets import roster_inputs

    team = a_roster_team()
    team.group_overrides = {"A班": {"csat": {"stretch": 0.88}}}
    rows = [(o.row, o.level, o.name, o.key) for o in roster_inputs(team, "zh", 2026, TODAY).cascade]
    first = G.CASCADE_FIRST_ROW
    assert rows == [
        (first, "group", "A班", "csat"),
        (first + 1, "agent", "陈静", "fcr"),
        (first + 2, "agent", "王小明", "csat"),
        (first + 3, "agent", "=张三", "csat"),
    ]
    team.agent_overrides = {f"客服{i}": {"fcr": {"stretch": 0.9}} for i in range(G.CASCADE_ROWS)}
    with pytest.raises(ValueError, match=str(G.CASCADE_ROWS)):
        roster_inputs(team, "zh", 2026, TODAY)


def test_batch_without_data_lists_the_rosters_agents(tmp_path):
    """`csxl batch` with no export: each plan's Team, Aliases and Goals cascade list the
    team's agents from the roster (read back with openpyxl), and validate accepts it."""
    from openpyxl import load_workbook

    from csxl.workbook.layout import Aliases as L
    from csxl.workbook.layout import Team as T

    rows = [
        {
            "team": "甲组",
            "group": "A班",
            "agent": "王小明",
            "agent_id": "KF1",
            "hire_date": "2026-03-01",
        },
        {"team": "甲组", "group": "B班", "agent": "陈静", "agent_id": "KF2"},
        {"team": "乙组", "agent": "李雷", "agent_id": "KF3", "hire_date": date(2020, 1, 2)},
    ]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(roster(tmp_path, rows)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out / "甲组.xlsx")
    team = [
        [c.value for c in r[: T.HIRED]]
        for r in wb["团队"].iter_rows(min_row=T.FIRST_ROW, max_row=T.FIRST_ROW + 2)
    ]
    assert team[0][0] == "王小明" and team[0][1] == "A班"
    assert team[0][T.HIRED - 1].date() == date(2026, 3, 1)
    assert team[1][:2] == ["陈静", "B班"] and team[1][T.HIRED - 1] is None
    assert team[2] == [None] * T.HIRED
    aliases = [
        [c.value for c in r[: L.NAME]]
        for r in wb["别名"].iter_rows(min_row=L.FIRST_ROW, max_row=L.FIRST_ROW + 2)
    ]
    assert aliases == [["王小明", "KF1", "王小明"], ["陈静", "KF2", "陈静"], [None] * 3]
    cascade = [
        [c.value for c in r[G.C_LEVEL - 1 : G.C_CHALLENGE]]
        for r in wb["目标"].iter_rows(min_row=G.CASCADE_FIRST_ROW, max_row=G.CASCADE_FIRST_ROW + 2)
    ]
    assert cascade == [
        ["客服", "王小明", "满意度", None, None, None, None],
        ["客服", "陈静", "满意度", None, None, None, None],
        [None] * 7,
    ]
    other = load_workbook(out / "乙组.xlsx")["团队"]
    assert other.cell(T.FIRST_ROW, T.AGENT).value == "李雷"
    assert other.cell(T.FIRST_ROW + 1, T.AGENT).value is None
    checked = CliRunner().invoke(main, ["validate", str(out / "甲组.xlsx")])
    assert checked.exit_code == 0, checked.output


# ------------------------------------------------------------------ the command
def roster(tmp_path, rows):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(roster_bytes("zh", rows))
    return path


def three_teams(tmp_path, bad: bool = False):
    rows = [{"team": t, "group": "A班", "agent": f"{t}甲", "agent_id": t} for t in TEAMS]
    rows.append({"team": TEAMS[1], "csat_stretch": 0.92})
    if bad:  # an agent's stretch beyond the team's challenge: that team cannot be made
        rows[2]["frt_mean_stretch"] = 10
    return roster(tmp_path, rows)


def statuses(result) -> dict[str, str]:
    return {t.team: t.status for t in result.teams}


def test_batch_writes_one_plan_per_team_with_its_targets_and_a_report(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(three_teams(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for team in TEAMS:
        assert team in result.output
        rows = CalamineWorkbook.from_path(str(out / f"{team}.xlsx"))
        settings_rows = rows.get_sheet_by_name("设置").to_python()
        assert settings_rows[layout.Settings.ROW_TEAM - 1][1] == team
    goals = CalamineWorkbook.from_path(str(out / f"{TEAMS[1]}.xlsx")).get_sheet_by_name("目标")
    assert goals.to_python()[G.FIRST_ROW - 1][G.STRETCH - 1] == 0.92
    report = CalamineWorkbook.from_path(str(out / "batch-report.xlsx"))
    report_rows = report.get_sheet_by_name("批量报告").to_python()
    assert report_rows[0] == ["团队", "文件", "状态", "用时（秒）", "说明"]
    assert [r[0] for r in report_rows[1:]] == list(TEAMS)
    assert {r[2] for r in report_rows[1:]} == {"已生成"}


def test_a_failing_team_does_not_stop_the_others(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", str(three_teams(tmp_path, bad=True)), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert (out / f"{TEAMS[0]}.xlsx").exists() and (out / f"{TEAMS[1]}.xlsx").exists()
    assert not (out / f"{TEAMS[2]}.xlsx").exists()
    rows = CalamineWorkbook.from_path(str(out / "batch-report.xlsx")).get_sheet_by_name("批量报告")
    failed = [r for r in rows.to_python() if r[2] == "失败"]
    assert [r[0] for r in failed] == [TEAMS[2]] and "frt_mean" in failed[0][4]


def test_rerun_skips_up_to_date_and_never_overwrites_an_edited_workbook(tmp_path):
    path, out = three_teams(tmp_path), tmp_path / "out"
    first = run_batch(path, out, today=TODAY)
    assert set(statuses(first).values()) == {batch.WRITTEN}
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.xlsx")}
    again = run_batch(path, out, today=TODAY)
    assert set(statuses(again).values()) == {batch.UP_TO_DATE} and again.exit_code == 0
    assert all(p.stat().st_mtime_ns == stamps[p.name] for p in out.glob("组*.xlsx"))

    edited = out / f"{TEAMS[0]}.xlsx"
    edited.write_bytes(edited.read_bytes() + b"\0")  # a manager's save: other bytes
    mine = edited.read_bytes()
    kept = run_batch(path, out, today=TODAY)
    assert statuses(kept)[TEAMS[0]] == batch.EDITED and kept.exit_code == 1
    assert edited.read_bytes() == mine

    forced = run_batch(path, out, force=True, today=TODAY)
    assert statuses(forced)[TEAMS[0]] == batch.WRITTEN and forced.exit_code == 0
    assert edited.read_bytes() != mine
    (backup,) = (out / "csxl-backups").glob(f"{TEAMS[0]}.*.xlsx")
    assert backup.read_bytes() == mine


def test_an_edited_workbook_of_an_older_template_is_told_to_upgrade(tmp_path):
    from csxl.workbook.layout import Settings as St
    from csxl.workbook.port import PackageBook

    path, out = three_teams(tmp_path), tmp_path / "out"
    run_batch(path, out, today=TODAY)
    edited = out / f"{TEAMS[0]}.xlsx"
    book = PackageBook(edited)
    book.write("Settings", {(St.ROW_VERSION, St.VALUE_COL): "0.9"})
    book.commit()
    again = run_batch(path, out, today=TODAY)
    (result,) = [t for t in again.teams if t.team == TEAMS[0]]
    assert result.status == batch.EDITED
    assert "0.9" in result.message and "csxl upgrade" in result.message
    others = [t.message for t in again.teams if t.team != TEAMS[0]]
    assert not any("upgrade" in m for m in others)


def test_changed_targets_regenerate_only_that_team(tmp_path):
    out = tmp_path / "out"
    run_batch(three_teams(tmp_path), out, today=TODAY)
    rows = [{"team": t, "group": "A班", "agent": f"{t}甲", "agent_id": t} for t in TEAMS]
    rows.append({"team": TEAMS[1], "csat_stretch": 0.93})
    result = run_batch(roster(tmp_path, rows), out, today=TODAY)
    assert statuses(result) == {
        TEAMS[0]: batch.UP_TO_DATE,
        TEAMS[1]: batch.WRITTEN,
        TEAMS[2]: batch.UP_TO_DATE,
    }


def test_a_bad_roster_is_refused_and_nothing_is_written(tmp_path):
    path = roster(tmp_path, [{"team": "A", "csat_stretch": "x"}])
    result = CliRunner().invoke(main, ["batch", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "'x' 不是数字" in result.output  # a Chinese roster
    assert not (tmp_path / "out").exists()
    english = ["--lang", "en", "batch", str(path), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, english)
    assert result.exit_code == 2 and "'x' is not a number" in result.output


def test_the_rosters_active_customers_go_to_each_teams_settings(tmp_path):
    from csxl.roster import read_roster

    rows = [{"team": t, "group": "A班", "agent": f"{t}甲", "agent_id": t} for t in TEAMS]
    rows.append({"team": TEAMS[0], "agent": f"{TEAMS[0]}乙", "active_customers": 18_000})
    rows.append({"team": TEAMS[1], "active_customers": "25,000"})  # a team row, text
    path, out = roster(tmp_path, rows), tmp_path / "out"
    teams = read_roster(path).teams
    assert [teams[t].active_customers for t in TEAMS] == [18_000, 25_000, None]
    run_batch(path, out, today=TODAY)

    def customers(team: str) -> object:
        book = CalamineWorkbook.from_path(str(out / f"{team}.xlsx"))
        rows = book.get_sheet_by_name("设置").to_python()
        return rows[layout.Settings.ROW_ACTIVE_CUSTOMERS - 1][1]

    assert [customers(t) for t in TEAMS] == [18_000, 25_000, ""]
    # a new number is a new input: that team's plan is made again, the others are kept
    rows[-1]["active_customers"] = 26_000
    result = run_batch(roster(tmp_path, rows), out, today=TODAY)
    assert statuses(result) == {
        TEAMS[0]: batch.UP_TO_DATE,
        TEAMS[1]: batch.WRITTEN,
        TEAMS[2]: batch.UP_TO_DATE,
    }
    assert customers(TEAMS[1]) == 26_000


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ([{"team": "A", "active_customers": 0}], "0 不是大于 0 的客户数"),
        ([{"team": "A", "active_customers": "很多"}], "'很多' 不是大于 0 的客户数"),
        (
            [{"team": "A", "active_customers": 100}, {"team": "A", "active_customers": 200}],
            "团队 A 在第 3 行的活跃客户数是 100：每个团队只能有一个数",
        ),
    ],
)
def test_bad_active_customers_refuse_the_roster(tmp_path, extra, words):
    path = roster(tmp_path, [{"team": "A", "agent": "甲"}, *extra])
    result = CliRunner().invoke(main, ["batch", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and words in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_the_demo_team_scores_alike_in_the_demo_plan_and_its_batch_copy(tmp_path):
    """`csxl demo` writes 售后一组 twice: 演示计划.xlsx and teams/售后一组.xlsx. Both have the
    same active customers (the demo roster carries them), so complaints per 10k counts in
    both weighted scores and the two agree."""
    from csxl.consolidate import read_team
    from csxl.demo import DEMO_ACTIVE_CUSTOMERS, DEMO_TEAM, PLAN, TEAMS_DIR, run_demo

    run_demo(tmp_path, "zh")
    plan = read_team(tmp_path / PLAN["zh"])
    copy = read_team(tmp_path / TEAMS_DIR / f"{DEMO_TEAM}.xlsx")
    assert plan.month == copy.month and plan.score is not None
    assert (copy.score, copy.grade) == (plan.score, plan.grade)
    actuals = {k["key"]: (k["actual"], k["points"]) for k in plan.kpis}
    assert {k["key"]: (k["actual"], k["points"]) for k in copy.kpis} == actuals
    complaints, _ = actuals["complaints_per_10k"]
    assert isinstance(complaints, float)  # it counts: a number in both, not a dropped KPI
    for path in (tmp_path / PLAN["zh"], tmp_path / TEAMS_DIR / f"{DEMO_TEAM}.xlsx"):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("设置").to_python()
        assert rows[layout.Settings.ROW_ACTIVE_CUSTOMERS - 1][1] == DEMO_ACTIVE_CUSTOMERS


# ------------------------------------------------------------------ --data
def test_data_is_split_by_team_pasted_and_refreshed(department):
    _, _, teams = department
    for team in TEAMS:
        book = CalamineWorkbook.from_path(str(teams / f"{team}.xlsx"))
        settings_rows = book.get_sheet_by_name("设置").to_python()
        assert settings_rows[layout.Settings.ROW_REFRESH_MONTH - 1][1] == "2026-10"
        data = book.get_sheet_by_name("数据").to_python()
        at = data[0].index("团队")
        assert {r[at] for r in data[1:] if r[at]} == {team}  # only this team's rows
        goals = book.get_sheet_by_name("目标").to_python()
        assert isinstance(goals[G.last_row()][G.ACTUAL - 1], float)  # the team's score
        scores = book.get_sheet_by_name("考核").to_python()
        agents = [r for r in scores[S.FIRST_ROW - 1 :] if r[S.AGENT - 1]]
        assert len(agents) >= 6
        assert all(isinstance(r[S.SCORE - 1], float) for r in agents if r[0] != "未分配")


def test_rerun_with_data_skips_and_a_team_without_rows_is_reported(department, tmp_path):
    roster_path, export, teams = department
    out = tmp_path / "teams"
    shutil.copytree(teams, out)
    again = run_batch(roster_path, out, data=export, year=2026)
    assert set(statuses(again).values()) == {batch.UP_TO_DATE}
    rows = [{"team": t} for t in (*TEAMS, "新组")]
    extra = roster(tmp_path, rows)
    result = run_batch(extra, tmp_path / "more", data=export, jobs=1, year=2026)
    assert statuses(result)["新组"] == batch.NO_DATA and result.exit_code == 1
    assert statuses(result)[TEAMS[0]] == batch.REFRESHED


# ------------------------------------------------------------------ LibreOffice
def test_batch_workbooks_open_cleanly_in_libreoffice(libreoffice, department, tmp_path):
    from tests.workbook.parity import differences, formula_cells

    _, _, teams = department
    targets = (replace(DEFAULT_TARGETS[0], stretch=0.91), *DEFAULT_TARGETS[1:])
    cascade = [Override(18, "agent", "张三", "csat", None, 0.8, 0.88, None)]
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(Template("zh", 2026, date.today()).specialise("组", targets, cascade))
    for path in (plan, teams / f"{TEAMS[2]}.xlsx"):
        assert len(formula_cells(path)) > 50
        recalc = libreoffice.recalc(path)
        assert recalc.errors() == [], path.name
        assert differences(recalc, path) == [], path.name
