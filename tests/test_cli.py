"""The command line: exit codes, JSON on stdout, messages on stderr, fast start-up."""

import json
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from csxl import __version__
from csxl.cli import main


def _export(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工单号", "创建时间", "首次响应时间", "团队", "客服"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [
    ["A1", "2026-03-01 09:00:00", "2026-03-01 09:00:20", "一组", "张三"],
    ["A2", "2026-03-02 10:00:00", "2026-03-02 10:01:00", "二组", "李四"],
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


def test_json_document_on_stdout(tmp_path):
    result = run("kpi", _export(tmp_path / "t.xlsx", GOOD), "--by", "team", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["source"] == "t.xlsx"
    assert doc["rows"] == {"read": 2, "valid": 2, "rejected": 0, "duplicates": 0}
    assert [g["key"] for g in doc["groups"]] == [None, "一组", "二组"]
    assert doc["groups"][0]["kpis"]["frt_mean"] == pytest.approx((20 + 60) / 2)


def test_rejected_rows_exit_1_and_are_listed_on_stderr(tmp_path):
    rows = [*GOOD, ["A3", "2026-03-03 10:00:00", "2026-03-03 09:00:00", "一组", "张三"]]
    result = run("kpi", _export(tmp_path / "t.xlsx", rows), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["rows"]["rejected"] == 1
    assert "第 4 行" in result.stderr and "首次响应时间 早于 创建时间" in result.stderr


def test_english_messages(tmp_path):
    rows = [*GOOD, ["", "2026-03-03 10:00:00", "", "一组", "张三"]]
    result = run("kpi", _export(tmp_path / "t.xlsx", rows), "--lang", "en")
    assert result.exit_code == 1
    assert "row 4" in result.stderr and "ticket id is empty" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--month", "2026-13"], "not a month"),
        (["--from", "03/01/2026"], "not a date"),
        (["--month", "2026-03", "--from", "2026-03-01"], "either --month"),
    ],
)
def test_bad_period_flags_are_refused(tmp_path, args, words):
    result = run("kpi", _export(tmp_path / "t.xlsx", GOOD), *args)
    assert result.exit_code == 2 and words in result.stderr


def test_bad_grouping_is_a_usage_error(tmp_path):
    result = run("kpi", _export(tmp_path / "t.xlsx", GOOD), "--by", "team,weekday")
    assert result.exit_code == 2 and "--by" in result.stderr


def test_unreadable_input_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    result = run("kpi", tmp_path / "bad.xlsx")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "bad.xlsx" in result.stderr


def test_help_imports_no_heavy_library():
    code = (
        "import sys; from click.testing import CliRunner; from csxl.cli import main; "
        "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
        "print(sorted(m for m in ('pandas', 'openpyxl', 'fastexcel', 'xlwings', 'numpy') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_csxl_is_the_same_command(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "csxl", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"csxl {__version__}"
