"""The roster: template, reading, and every bad row reported with where it is."""

from datetime import date

import pytest
from click.testing import CliRunner

from csxl import roster
from csxl.cli import main
from csxl.errors import language
from csxl.roster import RosterError, read_roster, template_bytes
from csxl.workbook.compare import differences
from csxl.workbook.roster_book import roster_bytes


def write(tmp_path, rows, lang="zh", name="roster.xlsx"):
    path = tmp_path / name
    path.write_bytes(roster_bytes(lang, rows))
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_reads_back_with_its_two_examples(tmp_path, lang):
    path = tmp_path / "r.xlsx"
    path.write_bytes(template_bytes(lang))
    r = read_roster(path)
    assert r.lang == lang and r.sheet == roster.SHEET[lang]
    (team,) = r.teams.values()
    assert [a.name for a in team.agents] == [e[2] for e in roster.EXAMPLES[lang]]
    assert team.agents[0].hire_date == date(2024, 3, 1) and team.agents[0].agent_id == "KF1001"
    ((level, _, key, values),) = team.own_targets()
    assert (level, key, values) == ("agent", "frt_mean", {"stretch": 45.0})


def test_committed_template_is_current():
    committed = roster.FOLDER / "roster_zh.xlsx"
    assert committed.exists(), "run: python -m csxl.roster"
    assert differences(committed, template_bytes("zh")) == [], "stale: run python -m csxl.roster"


def test_team_group_and_agent_rows_go_to_targets_and_cascade(tmp_path):
    path = write(
        tmp_path,
        [
            {
                "team": " 投诉组 ",
                "csat_baseline": 0.8,
                "csat_stretch": "85%",
                "csat_challenge": 0.9,
            },
            {"team": "投诉组", "group": "A班", "fcr_stretch": 0.85},
            {"team": "投诉组", "group": "A班", "agent": "张三", "agent_id": 7, "fcr_weight": 25},
            {"team": "售后\n一组", "agent": "李四", "hire_date": "2026/3/1"},
        ],
    )
    r = read_roster(path)
    assert list(r.teams) == ["投诉组", "售后 一组"]  # one line of text, spaces trimmed
    team = r.teams["投诉组"]
    csat = next(t for t in team.targets() if t.key == "csat")
    assert (csat.baseline, csat.stretch, csat.challenge) == (0.8, 0.85, 0.9)
    assert team.own_targets() == [
        ("group", "A班", "fcr", {"stretch": 0.85}),
        ("agent", "张三", "fcr", {"weight": 25.0}),
    ]
    assert team.agents[0].agent_id == "7"
    assert r.teams["售后 一组"].agents[0].hire_date == date(2026, 3, 1)


def test_every_bad_row_is_reported_with_file_sheet_row_and_column(tmp_path):
    path = write(
        tmp_path,
        [
            {"team": "A", "agent": "甲", "agent_id": "KF1"},
            {"team": "", "agent": "乙"},
            {"team": "A", "agent": "丙", "agent_id": "KF1", "csat_stretch": "很高"},
            {"team": "B", "agent": "丁", "hire_date": "去年"},
            {"team": "C", "csat_stretch": 0.99},  # above the challenge target: out of order
        ],
    )
    with pytest.raises(RosterError) as zh:  # a Chinese run: the same problems in Chinese
        read_roster(path)
    text = "\n".join(zh.value.problems)
    assert "roster.xlsx，工作表“花名册”，第 3 行，“团队”列：团队为空" in text
    assert "第 4 行，“工号”列：工号 KF1 在第 2 行也有" in text
    assert "第 6 行：团队 C：csat：目标必须按 保底 → 冲刺 → 挑战 的顺序（越高越好）" in text
    assert str(zh.value).startswith("roster.xlsx：花名册有 5 个问题：")
    with language("en"), pytest.raises(RosterError) as caught:
        read_roster(path)
    problems = caught.value.problems
    text = "\n".join(problems)
    assert "roster.xlsx, sheet '花名册', row 3, column '团队': the team is empty" in text
    assert "row 4, column '工号': agent id KF1 is also on row 2" in text
    assert "row 4, column 'csat_stretch': '很高' is not a number" in text
    assert "row 5, column '入职日期': '去年' is not a date" in text
    assert "row 6: team C: csat: targets must run" in text
    assert len(problems) == 5
    assert caught.value.exit_code == 2


def test_roster_template_command_never_overwrites(tmp_path):
    runner = CliRunner()
    path = tmp_path / "花名册.xlsx"
    ok = runner.invoke(main, ["roster-template", str(path)])
    assert ok.exit_code == 0 and path.exists()
    again = runner.invoke(main, ["roster-template", str(path)])
    assert again.exit_code == 2 and "从不覆盖" in again.output
    again = runner.invoke(main, ["--lang", "en", "roster-template", str(path)])
    assert again.exit_code == 2 and "never overwrites" in again.output
