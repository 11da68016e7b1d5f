"""Aliases (别名): several exports that name agents differently give the KPIs of one clean
export; unknown and ambiguous names are listed on Errors; tickets count for the team the
agent was in on the ticket's day."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from csxl.agent_sheets import export_agent_sheets
from csxl.domain import kpis
from csxl.domain.tickets import TicketSet
from csxl.kpi_report import load
from csxl.refresh import TICKETS, refresh, score
from csxl.workbook import layout
from csxl.workbook.layout import Errors as E
from csxl.workbook.layout import Incentives as I
from csxl.workbook.layout import Scores as S
from csxl.workbook.port import PackageBook
from csxl.workbook.sheets.aliases import resolve as _resolve
from tests.plan_fixtures import at, pasted_plan, plan_inputs, sheet
from tests.workbook.parity import differences

# agent id, name on Scores, 千牛 spellings (nickname, sub-account), 工号 in the phone export
AGENTS = (
    ("A01", "张三", ("三哥", "旗舰店:张三")),
    ("A02", "李四", ("小四", "旗舰店：小四")),  # full-width colon: NFKC folds it
    ("A03", "王五", ("Wang Wu", "专卖店:王五")),
)
ALIASES = (
    *((spelled, i, name) for i, name, spellings in AGENTS for spelled in spellings),
    (None, "A01", "张三"),  # the id and name alone: the name and the 工号 resolve too
    (None, "A02", "李四"),
    (None, "A03", "王五"),
)


def resolve(tickets, aliases, *args, **kw):
    """The Data sheet's tickets through the alias table, as refresh resolves them."""
    return _resolve(tickets, aliases, *args, kind=TICKETS, **kw)


def clean() -> pd.DataFrame:
    """60 March tickets, 20 per agent, with varied first responses, resolutions and CSAT."""
    rows = []
    for n in range(60):
        agent = AGENTS[n % 3][1]
        created = datetime(2026, 3, 1 + n % 28, 9 + n % 8, 7 * n % 60)
        rows.append(
            {
                "工单号": f"T{n:03d}",
                "创建时间": created,
                "首次响应时间": created + timedelta(seconds=10 + 13 * (n % 11)),
                "解决时间": None if n % 9 == 0 else created + timedelta(minutes=2 + n % 7),
                "团队": "售后一组",
                "客服": agent,
                "满意度": None if n % 4 == 0 else 1 + n % 5,
            }
        )
    return pd.DataFrame(rows)


def exports(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same tickets as a 千牛-style export (first half: nicknames and sub-accounts under
    other headers) and a phone export (second half: 工号)."""
    by_name = {name: (i, spellings) for i, name, spellings in AGENTS}
    half = len(frame) // 2
    qianniu = frame.iloc[:half].rename(
        columns={
            "工单号": "会话ID",
            "创建时间": "进线时间",
            "客服": "处理人",
            "满意度": "评分",
            "团队": "组别",
        }
    )
    qianniu["处理人"] = [
        by_name[name][1][k % 2] for k, name in enumerate(frame["客服"].iloc[:half])
    ]
    phone = frame.iloc[half:].copy()
    phone["客服"] = [by_name[name][0] for name in phone["客服"]]
    phone = phone.rename(columns={"客服": "工号"})
    return qianniu, phone


def _same_groups(a: list[dict], b: list[dict]) -> None:
    assert [(g["by"], g["key"]) for g in a] == [(g["by"], g["key"]) for g in b]
    for x, y in zip(a, b, strict=True):
        for key, value in x["kpis"].items():
            other = y["kpis"][key]
            if isinstance(value, float) and isinstance(other, float):
                assert math.isclose(value, other, rel_tol=1e-12), (x["key"], key)
            else:
                assert value == other, (x["key"], key)


def test_two_differently_headed_exports_and_an_alias_table_give_the_clean_kpis(tmp_path):
    frame = clean()
    qianniu, phone = exports(frame)
    paths = {}
    for name, table in (("clean", frame), ("qianniu", qianniu), ("phone", phone)):
        paths[name] = tmp_path / f"{name}.csv"
        table.to_csv(paths[name], index=False, encoding="utf-8-sig")
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("表头,字段\n工号,agent\n", encoding="utf-8")
    one = load(paths["clean"])
    parts = []
    for name, extra in (("qianniu", None), ("phone", mapping)):
        tickets = load(paths[name], extra)
        resolved, errors, _ = resolve(tickets, ALIASES)
        assert errors == []
        parts.append(resolved)
    both = TicketSet(
        **{**parts[0].__dict__, "frame": pd.concat([p.frame for p in parts], ignore_index=True)}
    )
    by = ("all", "team", "agent")
    _same_groups(kpis.compute(both, by).groups, kpis.compute(one, by).groups)
    # Without the alias table the agents split into eight spellings.
    raw = [load(paths["qianniu"]), load(paths["phone"], mapping)]
    names = set(raw[0].frame["agent"]) | set(raw[1].frame["agent"])
    assert len(names) == 9


def test_an_alias_table_that_knows_none_of_the_names_keeps_them_all():
    """Every ticket under its own spelling, each listed once (this crashed: pandas cannot
    put the export's names into the all-null column of resolved names)."""
    frame = clean()
    resolved, errors, _ = resolve(_csv(frame), (("阿三", "Z1", "赵一"),))
    assert resolved.frame["agent"].tolist() == frame["客服"].tolist()
    assert sorted(e[-1] for e in errors) == sorted({"张三", "李四", "王五"})


NOW = datetime(2026, 4, 1, 8)


def scores_by_agent(path) -> dict[str, list[object]]:
    """Each Scores row's tickets, answered and KPI values and points, by agent."""
    rows = sheet(path, "Scores")
    return {
        at(rows, r, S.AGENT): rows[r - 1][S.TICKETS - 1 : S.SCORE]
        for r in range(S.FIRST_ROW, S.FIRST_ROW + 10)
        if at(rows, r, S.AGENT)
    }


def test_refresh_resolves_agents_and_lists_unknown_and_ambiguous_names(tmp_path):
    frame = clean()
    qianniu, phone = exports(frame)
    mixed = frame.copy()
    mixed["客服"] = list(qianniu["处理人"]) + list(phone["工号"])
    extra = mixed.iloc[:3].copy()
    extra["工单号"] = ["X1", "X2", "X3"]
    extra["客服"] = ["新人小白", "新人小白", "阿明"]  # unknown; 阿明 is two agents' alias below
    aliases = (*ALIASES, ("阿明", "A01", None), ("阿明", "A02", None))
    inputs = plan_inputs(aliases=aliases)
    path = pasted_plan(tmp_path / "aliases.xlsx", pd.concat([mixed, extra]), inputs)
    refresh(PackageBook(path), "2026-03", now=NOW)
    reference = pasted_plan(tmp_path / "clean.xlsx", frame, plan_inputs())
    refresh(PackageBook(reference), "2026-03", now=NOW)

    got, want = scores_by_agent(path), scores_by_agent(reference)
    assert {k: got[k] for k in want} == want  # 张三, 李四, 王五 as in the clean export
    assert got["新人小白"][0] == 2 and got["阿明"][0] == 1  # never dropped
    errors = sheet(path, "Errors")
    listed = {
        at(errors, r, E.VALUE): at(errors, r, E.REASON) for r in range(E.FIRST_ROW, len(errors) + 1)
    }
    assert listed["新人小白"] == "别名表中没有这个名字（2 张工单，按原名计算）"
    assert listed["阿明"] == "这个写法对应多位客服：A01、A02（按原名计算）"


def test_transfers_count_each_ticket_for_the_team_of_its_day(tmp_path):
    """李四 moves to 售后二组 on 16 March: his tickets from that day count there, not in
    this 售后一组 plan; his earlier ones stay here."""
    frame = clean()
    transfers = (
        ("A02", "售后一组", date(2026, 1, 1), date(2026, 3, 15)),
        ("李四", "售后二组", date(2026, 3, 16), None),
    )
    inputs = plan_inputs(aliases=ALIASES, transfers=transfers)
    path = pasted_plan(tmp_path / "plan.xlsx", frame, inputs)
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    li = frame[frame["客服"] == "李四"]
    before = int((li["创建时间"] < datetime(2026, 3, 16)).sum())
    after = len(li) - before
    assert before and after
    rows = sheet(path, "Scores")
    tickets = {
        at(rows, r, S.AGENT): at(rows, r, S.TICKETS) for r in range(S.FIRST_ROW, S.FIRST_ROW + 5)
    }
    assert tickets["李四"] == before and tickets["张三"] == 20
    left_out = f"本计划只计 售后一组：其他团队的 {after} 张工单未计入（售后二组 {after}）"
    assert [w for w in outcome.warnings if "其他团队" in w] == [left_out]
    domain = resolve(_csv(frame), ALIASES, transfers, team=None)[0].frame
    assert (domain.loc[domain["agent"] == "李四", "team"] == "售后二组").sum() == after


def _csv(frame: pd.DataFrame) -> TicketSet:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        return load(path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_aliases_sheet_reads_back_what_was_typed(tmp_path, lang):
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan
    from csxl.workbook.plan_reader import read_plan

    transfers = (("A02", "售后二组", date(2026, 3, 16), None),)
    path = new_plan(
        tmp_path / f"p_{lang}.xlsx", PlanInputs(lang=lang, aliases=ALIASES, transfers=transfers)
    )
    state = read_plan(PackageBook(path))
    assert state.inputs.aliases == ALIASES
    assert state.inputs.transfers == transfers


# ------------------------------------------------------------------ bonus pro-rated by days
# Every ticket is answered in 20 s, resolved at the first contact: only CSAT moves a score
# (as in test_appeals). All 5s: score 100, S (x 1.5 = the cap). Nine 5s and a 1: CSAT 90%
# (stretch, 80 points): (80 x 30 + 100 x 60) / 90 = 93.33, A (x 1.2).
TEAM_B = "售后二组"
PRORATED = {
    # agent: (days of March with a ticket, CSAT of the tenth ticket, escalated ticket days)
    "张三": (range(2, 12), 1, ()),  # no period: the whole month
    "李四": ((2, 3, 5, 6, 9, 10, 12, 13, 16, 17, 18, 20, 23, 24, 25, 26, 27, 30, 31), 5, (5,)),
    "王五": (range(2, 12), 1, ()),  # leaves 售后一组 after 20 March
    "赵六": (range(10, 20), 5, ()),  # joins 售后一组 on 10 March
}
PERIODS = (
    ("A02", "售后一组", date(2026, 1, 1), date(2026, 3, 15)),
    ("李四", TEAM_B, date(2026, 3, 16), None),  # transferred on 16 March
    ("王五", "售后一组", date(2025, 6, 1), date(2026, 3, 20)),
    ("A04", "售后一组", date(2026, 3, 10), None),
)


def prorated_tickets() -> pd.DataFrame:
    rows = []
    for agent, (days, tenth, escalated) in PRORATED.items():
        for k, day in enumerate(days):
            created = datetime(2026, 3, day, 10, k)
            rows.append(
                {
                    "工单号": f"{agent}{k}",
                    "创建时间": created,
                    "首次响应时间": created + timedelta(seconds=20),
                    "解决时间": created + timedelta(minutes=3),
                    "团队": "售后一组",
                    "客服": agent,
                    "满意度": tenth if k == 9 else 5,
                    "是否一次解决": "是",
                    "是否升级": "是" if day in escalated else "否",
                }
            )
    return pd.DataFrame(rows)


def prorated_plan(folder, team: str = "售后一组"):
    aliases = (*ALIASES, (None, "A04", "赵六"))
    inputs = replace(plan_inputs(aliases=aliases, transfers=PERIODS), team=team)
    path = pasted_plan(folder / f"{team}.xlsx", prorated_tickets(), inputs)
    refresh(PackageBook(path), "2026-03", now=NOW)
    return path


def bonuses(path) -> dict[str, tuple[object, ...]]:
    """agent -> (grade, bonus, days in the team, days of the month, share)."""
    rows = sheet(path, "Scores")
    columns = (S.GRADE, S.BONUS, S.DAYS_IN_TEAM, S.DAYS_IN_MONTH, S.SHARE)
    return {
        at(rows, r, S.AGENT): tuple(at(rows, r, c) for c in columns)
        for r in range(S.FIRST_ROW, S.FIRST_ROW + 6)
        if at(rows, r, S.AGENT)
    }


def test_the_bonus_is_prorated_by_calendar_days_in_the_team(tmp_path, libreoffice):
    path = prorated_plan(tmp_path)
    got = bonuses(path)
    approx = pytest.approx
    # No period: the whole month, the bonus of a plan without transfers (1000 x 1.2).
    assert got["张三"] == ("A", 1200, 31, 31, 1)
    # Transferred on 16 March: 15 of 31 days here. The earned amount and the cap are
    # pro-rated (1500 x 15/31 = 725.81), the escalation's 200 is not: 525.81.
    assert got["李四"] == ("S", 525.81, 15, 31, approx(15 / 31))
    # Left after 20 March: 1200 x 20/31 = 774.19. Joined on 10 March: 1500 x 22/31.
    assert got["王五"] == ("A", 774.19, 20, 31, approx(20 / 31))
    assert got["赵六"] == ("S", 1064.52, 22, 31, approx(22 / 31))
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []
    # 李四's 考核表 shows the share and the days behind it.
    done = export_agent_sheets(path, tmp_path / "out")
    (li,) = [f for f in done.files if f.name.startswith("李四")]
    rows = CalamineWorkbook.from_path(str(li)).get_sheet_by_index(0).to_python()
    share = next(r for r in rows if r[0] == "奖金折算比例")
    assert share[1:3] == [approx(15 / 31), "本月在组 15 / 31 天"]
    # The new team's plan: 李四's tickets from 16 March, 16 of 31 days: 1500 x 16/31.
    other = bonuses(prorated_plan(tmp_path, TEAM_B))
    assert other["李四"] == ("S", 774.19, 16, 31, approx(16 / 31))
    assert "王五" not in other and "赵六" not in other  # their tickets count in 售后一组


def test_the_rule_on_incentives_switches_to_working_days_or_none(tmp_path, libreoffice):
    """March 2026 has 22 working days (no holiday): 李四 10 of them in 售后一组 (2-13
    March), 王五 15 (2-20), 赵六 16 (10-31). Score recounts after the rule changes.

    Parity is checked on Scores only: `csxl score` caches the Dashboard's refresh-row and
    customer formulas as blank (it renders without refresh's results), with or without
    pro-rating."""
    path = prorated_plan(tmp_path)
    book = PackageBook(path)
    book.write("Incentives", {(I.ROW_PRORATION, 2): "按工作日"})
    book.commit()
    score(PackageBook(path))
    got = bonuses(path)
    approx = pytest.approx
    assert got["李四"] == ("S", 481.82, 10, 22, approx(10 / 22))  # 1500 x 10/22 - 200
    assert got["王五"] == ("A", 818.18, 15, 22, approx(15 / 22))  # 1200 x 15/22
    assert got["赵六"] == ("S", 1090.91, 16, 22, approx(16 / 22))
    assert got["张三"] == ("A", 1200, 22, 22, 1)
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == [] and scores_differences(recalc, path) == []
    book = PackageBook(path)
    book.write("Incentives", {(I.ROW_PRORATION, 2): "不折算"})
    book.commit()
    score(PackageBook(path))
    got = bonuses(path)
    assert got["李四"] == ("S", 1300, 15, 31, 1)  # calendar days shown, not pro-rated
    assert got["赵六"][:2] == ("S", 1500) and got["王五"][:2] == ("A", 1200)
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == [] and scores_differences(recalc, path) == []


def scores_differences(recalc, path) -> list[str]:
    title = layout.title("Scores", "zh")
    return [d for d in differences(recalc, path) if d.startswith(f"{title}!")]


@pytest.mark.parametrize(
    "aliases",
    [(("阿明", None, None),), (("不在数据里", "A09", "某人"),)],
    ids=["spelling without an id", "no ticket matches"],
)
def test_an_alias_table_that_names_no_ticket_changes_nothing(tmp_path, aliases):
    """Refresh used to crash here (an all-null arrow column could not take the names)."""
    path = pasted_plan(tmp_path / "plan.xlsx", clean(), plan_inputs(aliases=aliases))
    refresh(PackageBook(path), "2026-03", now=NOW)
    rows = sheet(path, "Scores")
    names = {at(rows, r, S.AGENT) for r in range(S.FIRST_ROW, S.FIRST_ROW + 3)}
    assert names == {"张三", "李四", "王五"}


# ------------------------------------------------------------------ agents of one name
# Two agents called 张伟: by 工号 in the export, or by two alias ids with the same Name.
# Tickets as for the pro-rating tests: all 5s score 100 (S, 1500); nine 5s and a 1 give
# CSAT 90% and grade A (1200).
TWO_ZHANG = {
    # (name in the export, 工号): (days of March with a ticket, CSAT of the tenth ticket)
    ("张伟", "1023"): (range(2, 12), 5),
    ("张伟", "1024"): (range(16, 26), 1),
    ("李四", "1025"): (range(2, 12), 1),
}


def two_zhang_tickets(with_ids: bool = True, names: dict[str, str] | None = None):
    rows = []
    for (name, staff_no), (days, tenth) in TWO_ZHANG.items():
        for k, day in enumerate(days):
            created = datetime(2026, 3, day, 10, k)
            row = {
                "工单号": f"{staff_no}-{k}",
                "创建时间": created,
                "首次响应时间": created + timedelta(seconds=20),
                "解决时间": created + timedelta(minutes=3),
                "团队": "售后一组",
                "客服": (names or {}).get(staff_no, name),
                "满意度": tenth if k == 9 else 5,
                "是否一次解决": "是",
            }
            rows.append({**row, "工号": staff_no} if with_ids else row)
    return pd.DataFrame(rows)


def scores_rows(path) -> dict[str, dict[str, object]]:
    """agent -> tickets, each KPI value (by the key above its column), score, grade, bonus."""
    rows = sheet(path, "Scores")
    keys = {c: at(rows, S.KEY_ROW, c) for c in range(S.KPI_FIRST, S.SCORE, 2)}
    out = {}
    for r in range(S.FIRST_ROW, S.FIRST_ROW + 10):
        if agent := at(rows, r, S.AGENT):
            values = {key: at(rows, r, c) for c, key in keys.items() if key}
            out[agent] = {
                "tickets": at(rows, r, S.TICKETS),
                **values,
                "score": at(rows, r, S.SCORE),
                "grade": at(rows, r, S.GRADE),
                "bonus": at(rows, r, S.BONUS),
                "days": at(rows, r, S.DAYS_IN_TEAM),
            }
    return out


def test_two_agents_of_one_name_by_staff_number_get_two_rows_and_two_bonuses(tmp_path):
    import json

    from click.testing import CliRunner

    from csxl.cli import main

    path = pasted_plan(tmp_path / "plan.xlsx", two_zhang_tickets())
    refresh(PackageBook(path), "2026-03", now=NOW)
    got = scores_rows(path)
    assert list(got) == ["张伟 (1023)", "张伟 (1024)", "李四"]  # code-point order
    first, second = got["张伟 (1023)"], got["张伟 (1024)"]
    assert (first["tickets"], first["csat"], first["score"]) == (10, 1, 100)
    assert (first["grade"], first["bonus"]) == ("S", 1500)
    assert (second["tickets"], second["csat"], second["grade"], second["bonus"]) == (
        10,
        0.9,
        "A",
        1200,
    )
    assert 85 <= second["score"] < 95
    # 李四's tickets are 1024's again (nine 5s and a 1): the same row under a plain name.
    assert got["李四"] == second

    # `csxl kpi --by agent` on the plan gives the same keys and the same values.
    result = CliRunner().invoke(
        main, ["kpi", str(path), "--month", "2026-03", "--by", "agent", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    engine = {g["key"]: g["kpis"] for g in doc["groups"] if g["by"] == "agent"}
    assert list(engine) == list(got)
    compared = 0
    for agent, row in got.items():
        for key, value in row.items():
            if key in engine[agent]:  # a blank Scores cell is the engine's null
                want = None if value in ("", None) else pytest.approx(value)
                assert engine[agent][key] == want, (agent, key)
                compared += 1
    assert compared == 3 * 7  # tickets and the six scored KPIs of each row

    # One 考核表 each.
    done = export_agent_sheets(path, tmp_path / "out")
    names = sorted(f.name.split("_")[0] for f in done.files)
    assert names == ["张伟 (1023)", "张伟 (1024)", "李四"]


def test_two_alias_ids_with_one_name_get_two_rows_and_their_own_days(tmp_path):
    """No 工号 column: the export calls them 伟哥 and 大伟, the alias table gives both the
    Name 张伟. A02 joined the team on 16 March (the period names him by his shown key), so
    his bonus is 16/31 of 1200."""
    aliases = (("伟哥", "A01", "张伟"), ("大伟", "A02", "张伟"), (None, "A03", "李四"))
    transfers = (("张伟 (A02)", "售后一组", date(2026, 3, 16), None),)
    frame = two_zhang_tickets(with_ids=False, names={"1023": "伟哥", "1024": "大伟"})
    inputs = plan_inputs(aliases=aliases, transfers=transfers)
    path = pasted_plan(tmp_path / "plan.xlsx", frame, inputs)
    outcome = refresh(PackageBook(path), "2026-03", now=NOW)
    got = scores_rows(path)
    assert list(got) == ["张伟 (A01)", "张伟 (A02)", "李四"]
    assert (got["张伟 (A01)"]["tickets"], got["张伟 (A01)"]["score"]) == (10, 100)
    assert (got["张伟 (A01)"]["bonus"], got["张伟 (A01)"]["days"]) == (1500, 31)
    assert (got["张伟 (A02)"]["tickets"], got["张伟 (A02)"]["grade"]) == (10, "A")
    assert (got["张伟 (A02)"]["bonus"], got["张伟 (A02)"]["days"]) == (619.35, 16)  # 1200x16/31
    assert not [w for w in outcome.warnings if "张伟" in w]
    assert not [r for r in sheet(path, "Errors") if "伟" in str(r)]  # nothing unknown
    # A plain 张伟 in the data is ambiguous (two agents), listed and counted under itself.
    resolved, errors, _ = resolve(_csv(frame.assign(客服=["张伟"] * len(frame))), aliases)
    assert set(resolved.frame["agent"]) == {"张伟"}
    assert [e[-2:] for e in errors] == [("这个写法对应多位客服：A01、A02（按原名计算）", "张伟")]


def test_the_staff_number_picks_the_agent_before_the_name(tmp_path):
    """With Aliases and a 工号 column: a row whose 工号 the table knows is that agent,
    whatever the name column says; an unknown 工号 leaves it to the name."""
    frame = two_zhang_tickets()
    frame.loc[frame["工号"] == "1025", "工号"] = "9999"  # not in the table: 李四 by name
    aliases = (("1023", "A01", "张伟"), ("1024", "A02", "张伟"), ("李四", "A03", "李四"))
    resolved, errors, _ = resolve(_csv(frame), aliases)
    counts = resolved.frame["agent"].value_counts().to_dict()
    assert counts == {"张伟 (A01)": 10, "张伟 (A02)": 10, "李四": 10}
    assert errors == []
