"""A plan that names a team counts that team's rows and the rows without a team; the
others leave with one warning counting them per team (../shared/spec/kpis.md, "Columns")."""

from __future__ import annotations

import pandas as pd

from csxl.domain.team_scope import left_out_warning, scope
from csxl.kpi_report import load


def frame(teams: list[object]) -> pd.DataFrame:
    return pd.DataFrame(
        {"ticket_id": [f"T{i}" for i in range(len(teams))], "team": pd.array(teams, "string")}
    )


def test_the_team_and_rows_without_a_team_count_the_others_are_counted_per_team():
    f = frame(["售前一组", "售后一组", None, "投诉组", "售后一组", "", "售前一组"])
    scoped = scope(f, "售前一组")
    assert list(scoped.frame["ticket_id"]) == ["T0", "T2", "T5", "T6"]
    assert scoped.others == {"售后一组": 2, "投诉组": 1}  # code-point order
    assert scoped.left_out == 3


def test_teams_compare_trimmed_case_and_width_folded():
    f = frame(["Ｇｒｏｕｐ Ａ", " group  a ", "Group A", "Group B"])
    scoped = scope(f, "group a")
    assert list(scoped.frame["ticket_id"]) == ["T0", "T1", "T2"]
    assert scoped.others == {"Group B": 1}


def test_a_department_plan_or_an_export_without_teams_keeps_every_row():
    f = frame(["售前一组", "售后一组"])
    assert scope(f, "").frame is f and scope(f, None).frame is f and scope(f, "  ").frame is f
    no_team = f.drop(columns="team")
    assert scope(no_team, "售前一组").frame is no_team
    assert scope(no_team, "售前一组").others == {}


def test_teams_given_apart_from_the_frame_decide():
    """Aliases' transfer periods give a row another team than the export's column."""
    f = frame(["售后一组", "售后一组", "售前一组"])
    teams = pd.Series(["售前一组", None, "售后二组"], index=f.index, dtype=object)
    scoped = scope(f, "售前一组", teams)
    assert list(scoped.frame["ticket_id"]) == ["T0", "T1"]
    assert scoped.others == {"售后二组": 1}


def test_the_warning_in_each_language():
    others = {"售后一组": 600, "投诉组": 634}
    assert left_out_warning("售前一组", others, "zh") == (
        "本计划只计 售前一组：其他团队的 1,234 张工单未计入（售后一组 600、投诉组 634）"
    )
    assert left_out_warning("售前一组", others, "en") == (
        "This plan counts only 售前一组: 1,234 tickets of other teams are left out "
        "(售后一组 600, 投诉组 634)"
    )
    assert left_out_warning("售前一组", {}, "zh") is None


def test_duplicates_are_resolved_before_the_filter(tmp_path):
    """A ticket handed from 售前一组 to 售后一组 counts where its last copy is."""
    path = tmp_path / "t.csv"
    path.write_text(
        "工单号,创建时间,团队\n"
        "T1,2026-03-01 09:00:00,售前一组\n"
        "T2,2026-03-01 10:00:00,售前一组\n"
        "T1,2026-03-01 09:00:00,售后一组\n"
        "T3,2026-03-01 11:00:00,售后一组\n"
        "T3,2026-03-01 11:00:00,售前一组\n",
        encoding="utf-8",
    )
    tickets = load(path)
    scoped = scope(tickets.frame, "售前一组")
    assert sorted(scoped.frame["ticket_id"]) == ["T2", "T3"]
    assert scoped.others == {"售后一组": 1}
