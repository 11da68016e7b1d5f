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
