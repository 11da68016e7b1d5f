"""One language per run: a Chinese run (the default) prints no English sentence, and a run
with `--lang en` (or CSXL_LANG=en) prints no Chinese, in every command's `--help` and in the
refusals a user meets first (a missing file, a bad flag, a file that exists already).

"English sentence" is a heuristic: three or more English words in a row, words being tokens
of letters only (a trailing comma or full stop allowed). Code names do not count as words:
flags (`--month`), paths and file names (`计划.xlsx`), metavars (`PATH`, `FLOAT RANGE`),
command names and `csxl`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from csxl.cli import main

COMMANDS = sorted(main.commands)
CODE_WORDS = {"csxl", "zh", "en", "xlwings", "Erlang", "xlsx", "xlsm", "csv", "pdf", *COMMANDS}
_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?[,.;:!?)]*|[aAI]")
_PIECE = re.compile(r"[A-Za-z]+(?:'[a-z]+)?[,.;:!?)]*|[^A-Za-z]+")
_CODE = re.compile(r"^-|[/\\_=@<>|\[]|\w\.\w")  # a flag, a path, a file name, key=value
_CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def english_runs(text: str, at_least: int = 3) -> list[str]:
    """Runs of `at_least` English words in a row (see the module's note): any other
    character (Chinese, a digit, a bracket) ends a run, and code names are not words."""
    runs: list[str] = []
    run: list[str] = []

    def end() -> None:
        if len(run) >= at_least:
            runs.append(" ".join(run))
        run.clear()

    for chunk in text.split():
        if _CODE.search(chunk):
            end()
            continue
        for piece in _PIECE.findall(chunk):
            if _WORD.fullmatch(piece) and piece.rstrip(",.;:!?)") not in CODE_WORDS:
                run.append(piece)
            else:
                end()
    end()
    return runs


def test_the_heuristic_tells_a_sentence_from_code():
    assert english_runs("the file exists already; csxl never overwrites it.")
    assert english_runs("文件不存在。 file not found.")
    assert not english_runs("用法: csxl kpi [OPTIONS] DATA")
    assert not english_runs("请用 csxl import 导入；--month 2026-03 或 --from/--to")
    assert not english_runs("--active-customers FLOAT RANGE  期间的活跃客户数")
    assert not english_runs("分组：all（全部）、team（团队）、group（小组）")
    assert english_runs("csxl: 文件不存在。cannot read the file")


def run(args: list[str], env: dict[str, str] | None = None):
    return CliRunner().invoke(main, args, env=env)


def assert_chinese(text: str) -> None:
    assert text.strip(), "nothing was printed"
    assert english_runs(text) == [], text


def assert_english(text: str) -> None:
    assert text.strip(), "nothing was printed"
    assert _CJK.findall(text) == [], text


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_is_chinese_by_default_and_english_with_lang_en(command):
    zh = run([*command, "--help"])
    assert zh.exit_code == 0, zh.output
    assert_chinese(zh.output)
    assert "用法" in zh.output
    for args, env in (
        (["--lang", "en", *command, "--help"], None),  # before the command
        ([*command, "--help", "--lang", "en"], None),  # after it, even after --help
        ([*command, "--help"], {"CSXL_LANG": "en"}),
    ):
        en = run(args, env)
        assert en.exit_code == 0, en.output
        assert_english(en.output)
        assert "Usage:" in en.output


def refusals(folder: Path) -> list[list[str]]:
    """Commands a user gets refused with, each with ASCII file names (so that a Chinese
    character in an English run can only be csxl's)."""
    existing = folder / "exists.xlsx"
    existing.write_bytes(b"")
    missing = str(folder / "missing.xlsx")
    text = folder / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    return [
        ["kpi", missing],
        ["kpi", str(text)],
        ["kpi", missing, "--month", "March"],
        ["kpi", missing, "--by", "week"],
        ["kpi", missing, "--month", "2026-03", "--from", "2026-03-01"],
        ["kpi"],
        ["kpi", missing, "--bogus"],
        ["new", str(existing)],
        ["new", str(folder / "plan.txt")],
        ["roster-template", str(existing)],
        ["refresh", missing],
        ["validate", str(existing)],
        ["score", missing],
        ["staff", "--calls", "100"],
        ["staff", "--calls", "-1", "--aht", "60"],
        ["upgrade", missing],
        ["import", missing, str(existing)],
        ["batch", missing, "--out", str(folder / "out")],
        ["batch", str(text), "--out", str(folder / "out")],
        ["consolidate", str(folder / "nowhere"), "--out", str(folder / "summary.xlsx")],
        ["export-agent-sheets", missing, "--out", str(folder / "cards")],
        ["no-such-command"],
    ]


def test_refusals_are_in_the_runs_language(tmp_path):
    for args in refusals(tmp_path):
        zh = run(args)
        assert zh.exit_code == 2, (args, zh.output)
        assert_chinese(zh.output)
        en = run(["--lang", "en", *args])
        assert en.exit_code == 2, (args, en.output)
        assert_english(en.output)
        assert run(args, {"CSXL_LANG": "en"}).output == en.output


def test_an_english_plan_speaks_english_without_lang(tmp_path):
    """A workbook command with no --lang speaks the plan's language."""
    plan = tmp_path / "plan.xlsx"
    assert run(["--lang", "en", "new", str(plan)]).exit_code == 0
    validated = run(["validate", str(plan)])
    assert validated.exit_code == 0, validated.output
    assert_english(validated.output)
    zh = run(["validate", str(plan), "--lang", "zh"])
    assert "已更新" in zh.output


# ------------------------------------------------------------------ a plan's own refusals
def plan_refusals():
    """(command, sheet, cells written, a Chinese fragment, an English fragment): the plan
    reader's and refresh's refusals of a plan's inputs."""
    from csxl.workbook.layout import Actions as A
    from csxl.workbook.layout import Customers as C
    from csxl.workbook.layout import Goals as G
    from csxl.workbook.layout import Incentives as I
    from csxl.workbook.layout import Settings as St
    from csxl.workbook.layout import Sla as L
    from csxl.workbook.layout import Team as T

    return [
        ("validate", "Settings", {(St.ROW_VERSION, 2): "0.9"}, "模板版本为“0.9”", "'0.9'"),
        ("validate", "Settings", {(St.ROW_VERSION, 2): "99.0"}, "更新版本的 csxl", "newer csxl"),
        ("validate", "Settings", {(St.ROW_RT_TARGET, 2): 0}, "无法达到", "cannot be met"),
        ("validate", "Settings", {(C.ROW_HV_ORDERS, 2): 0.5}, "超出范围", "out of range"),
        ("validate", "Settings", {(St.ROW_PEAK_START, 2): "noon"}, "不是时刻", "time of day"),
        ("validate", "Goals", {(G.FIRST_ROW, G.DIRECTION): "up"}, "方向“up”", "direction 'up'"),
        ("validate", "Goals", {(G.FIRST_ROW, G.BASELINE): None}, "目标为空", "target is empty"),
        ("validate", "Goals", {(G.FIRST_ROW, G.BASELINE): 0.99}, "保底 → 冲刺", "not usable"),
        ("validate", "Goals", {(G.CASCADE_FIRST_ROW, G.C_WEIGHT): 10}, "分解目标", "cascade row"),
        ("validate", "Incentives", {(I.ROW_MODE, 2): "random"}, "计分方式", "points mode"),
        ("validate", "Incentives", {(I.ROW_PRORATION, 2): "weekly"}, "折算方式", "pro-rating"),
        ("validate", "Incentives", {(I.GRADE_FIRST_ROW + 1, 2): 99}, "从高到低", "grade table"),
        # The domain's checks (csxl.domain.reasons.Invalid), in the run's language too.
        ("validate", "SLA", {(L.POLICY_FIRST_ROW, L.HOURS): "weekdays"}, "服务时间", "opening"),
        ("validate", "Actions", {(A.FIRST_ROW, A.KPI): "speed"}, "不是 csxl 认识", "not a KPI"),
        ("validate", "Team", {(T.FIRST_ROW, T.HIRED): "someday"}, "不是日期", "not a date"),
        ("refresh", None, {}, "没有可用的工单", "no usable tickets"),
        ("score", None, {}, "还没有客服", "no agents yet"),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plans_refusals_are_in_the_plans_language(tmp_path, lang):
    """Each refusal of a plan's inputs in a run of the plan's language: all Chinese, or all
    English (with CSXL_LANG=en the same words as with --lang en)."""
    import shutil

    from csxl.workbook.port import PackageBook

    blank = tmp_path / "blank.xlsx"
    assert run(["--lang", lang, "new", str(blank)]).exit_code == 0
    for n, (command, sheet, cells, zh, en) in enumerate(plan_refusals()):
        plan = tmp_path / f"plan{n}.xlsx"
        shutil.copy(blank, plan)
        if cells:
            book = PackageBook(plan)
            book.write(sheet, cells)
            book.commit()
        result = run([command, str(plan)])
        assert result.exit_code == 2, (command, cells, result.output)
        if lang == "zh":
            assert_chinese(result.output)
            assert zh in result.output, result.output
        else:
            assert_english(result.output)
            assert en in result.output, result.output
            assert run([command, str(plan)], {"CSXL_LANG": "en"}).output == result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_refreshs_refusals_of_the_data_are_in_the_runs_language(tmp_path, lang):
    """A month without tickets, a team without tickets, no tickets to count arrivals."""
    from dataclasses import replace

    from tests.plan_fixtures import clean_tickets, pasted_plan, plan_inputs

    inputs = replace(plan_inputs(), lang=lang)
    plan = pasted_plan(tmp_path / "p.xlsx", clean_tickets(20), inputs)
    other = pasted_plan(tmp_path / "o.xlsx", clean_tickets(20), replace(inputs, team="Other"))
    cases = [
        (["refresh", str(plan), "--month", "2020-01"], "没有创建于 2020-01 的工单", "in 2020-01"),
        (["refresh", str(other)], "计划团队“Other”", "team 'Other'"),
        (["staff", str(other)], "计划团队“Other”", "team 'Other'"),
    ]
    for args, zh, en in cases:
        result = run(args)
        assert result.exit_code == 2, (args, result.output)
        if lang == "zh":
            assert_chinese(result.output)
            assert zh in result.output, result.output
        else:
            assert_english(result.output)
            assert en in result.output, result.output


def test_the_add_ins_refusals_are_in_the_runs_language(tmp_path):
    """`csxl build-addin`'s refusals of a macros folder: none, a module missing, non-ASCII."""
    from csxl.errors import InputError, language
    from csxl.excel import addin

    macros = tmp_path / "macros"
    macros.mkdir()
    steps = [
        (lambda: None, "宏文件夹", "no macros folder"),
        (lambda: (macros / addin.RIBBON).write_text("<customUI/>"), "缺少", "is missing"),
        (
            lambda: [
                (macros / f"{m}.cls").write_text("' 中文\n", encoding="utf-8")
                for m in (addin.WORKBOOK_MODULE, addin.SHEET_MODULE)
            ],
            "只能是 ASCII",
            "must be ASCII",
        ),
    ]
    for prepare, zh, en in steps:
        prepare()
        for lang, fragment, check in (("zh", zh, assert_chinese), ("en", en, assert_english)):
            with language(lang), pytest.raises(InputError) as refused:
                addin.modules(macros)
            check(str(refused.value))
            assert fragment in str(refused.value)


def test_the_domains_checks_reach_a_manager_in_the_runs_language():
    """A domain check (csxl.domain.reasons.Invalid) inside a room's refusal: a risk rated 7."""
    from csxl.errors import InputError, language, reason
    from csxl.workbook.layout import Risks as R
    from csxl.workbook.sheets import risks

    rows = [[None] * 5 for _ in range(R.FIRST_ROW - 1)] + [["R01", "outage", "IT", 7, 2]]
    for lang, check, fragment in (
        ("zh", assert_chinese, "可能性必须是 1 到 5，而不是 7"),
        ("en", assert_english, "likelihood must be 1..5, got 7"),
    ):
        with language(lang), pytest.raises(InputError) as refused:
            risks.read(rows, "plan.xlsx", "en")
        check(str(refused.value))
        assert fragment in str(refused.value)
    assert reason(ValueError("plain")) == "plain"  # not a domain check: as it is
