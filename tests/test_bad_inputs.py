"""The bad-input corpus (tests/data/bad/make_corpus.py) through the command line.

Every case ends one of three ways, and never with a traceback:
- refused: exit code 2, one line on stderr naming the file (and the sheet, row and column
  where there is one), nothing written, the file byte-identical;
- rows rejected: exit code 1, each rejected row listed with its row, column and reason, and
  read = valid + rejected + duplicates;
- read: exit code 0 (odd but usable files).
Plan cases run `csxl refresh` and `csxl validate`: a refused plan is untouched and nothing
is left beside it (no temp file, no lock); a refreshed one keeps a backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from csxl.cli import main
from tests.data.bad.make_corpus import CASES, CONTROL, INJECTIONS, make_corpus


@dataclass(frozen=True)
class Expect:
    code: int
    words: tuple[str, ...] = ()  # in stderr (refusals: the one line)
    where: tuple[str, ...] = ()  # location parts in that line (file is always checked)
    problems: dict[int, str] = field(default_factory=dict)  # row -> reason (en) for exit 1
    rows: dict[str, int] | None = None  # the JSON document's rows block


SHEET = "sheet '工单明细'"
REASON = {
    "excel_error": "the cell holds an Excel error value",
    "date_range": "date before 1900 or after today",
    "bad_datetime": "not a valid date and time",
    "negative": "negative duration or count",
    "bad_number": "not a number",
    "too_long": "duration longer than a year",
    "bad_csat": "satisfaction score outside 1-5 or not recognised",
    "backwards": "is before 创建时间",
}

KPI: dict[str, Expect] = {
    "not_a_zip": Expect(2, ("neither an Excel workbook nor text",)),
    "html_as_xls": Expect(2, ("web page", "save it as .xlsx")),
    "truncated_zip": Expect(2, ("damaged",)),
    "xls_biff": Expect(2, ("Excel 97-2003 (.xls)", "save it as .xlsx")),
    "xls_renamed": Expect(2, ("Excel 97-2003 (.xls)",)),
    "encrypted": Expect(2, ("password-protected",)),
    "zip_bomb": Expect(2, ("zip bomb", "xl/worksheets/sheet1.xml")),
    "zip_bomb_lying": Expect(2, ("declares a size smaller", "xl/worksheets/sheet1.xml")),
    "zip_bomb_lying_plausibly": Expect(2, ("inflates past the size",), (SHEET,)),
    "rows_1048576": Expect(2, ("1,048,576", "cut off"), (SHEET,)),
    "rows_1048576_no_dimension": Expect(2, ("1,048,576", "cut off"), (SHEET,)),
    "huge_range": Expect(0, rows={"read": 1, "valid": 1, "rejected": 0, "duplicates": 0}),
    "far_cell": Expect(2, ("XFD100000", "not empty"), (SHEET,)),
    "xml_entities": Expect(2, ("DOCTYPE",)),
    "csv_too_big": Expect(2, ("1.1 GB", "shorter period")),
    "empty_workbook": Expect(2, ("empty",), (SHEET,)),
    "empty_file": Expect(2, ("empty",)),
    "header_only": Expect(2, ("no ticket rows",), (SHEET, "row 1")),
    "merged_header": Expect(0, rows={"read": 5, "valid": 5, "rejected": 0, "duplicates": 0}),
    "hidden_filtered": Expect(0, rows={"read": 5, "valid": 5, "rejected": 0, "duplicates": 0}),
    "error_cells": Expect(
        1,
        problems={3: "excel_error", 4: "excel_error", 5: "excel_error"},
        rows={"read": 5, "valid": 2, "rejected": 3, "duplicates": 0},
    ),
    "formula_cells": Expect(0, rows={"read": 5, "valid": 5, "rejected": 0, "duplicates": 0}),
    "dates_out_of_range": Expect(
        1,
        problems={
            7: "date_range",
            8: "date_range",
            9: "date_range",
            10: "bad_datetime",
            11: "date_range",
        },
        rows={"read": 10, "valid": 5, "rejected": 5, "duplicates": 0},
    ),
    "time_backwards": Expect(
        1,
        problems={7: "backwards", 8: "backwards"},
        rows={"read": 7, "valid": 5, "rejected": 2, "duplicates": 0},
    ),
    "bad_durations": Expect(
        1,
        problems={7: "negative", 8: "bad_number", 9: "too_long", 10: "bad_number"},
        rows={"read": 9, "valid": 5, "rejected": 4, "duplicates": 0},
    ),
    "text_in_numbers": Expect(
        1,
        problems={7: "bad_number", 8: "bad_csat", 10: "bad_csat"},
        rows={"read": 9, "valid": 6, "rejected": 3, "duplicates": 0},
    ),
    "gbk_as_txt": Expect(0, ("GBK",), rows={"read": 5, "valid": 5, "rejected": 0, "duplicates": 0}),
    "gbk_as_xlsx": Expect(
        0, ("holds CSV text",), rows={"read": 5, "valid": 5, "rejected": 0, "duplicates": 0}
    ),
    "formula_injection": Expect(
        1, problems={9: "bad_csat"}, rows={"read": 8, "valid": 7, "rejected": 1, "duplicates": 0}
    ),
    "formula_injection_csv": Expect(
        1, problems={9: "bad_csat"}, rows={"read": 8, "valid": 7, "rejected": 1, "duplicates": 0}
    ),
    "markup_names": Expect(0, rows={"read": 3, "valid": 3, "rejected": 0, "duplicates": 0}),
    "long_strings": Expect(0, rows={"read": 7, "valid": 7, "rejected": 0, "duplicates": 0}),
    "control_chars": Expect(
        1,
        problems={9: "bad_datetime"},
        rows={"read": 8, "valid": 7, "rejected": 1, "duplicates": 0},
    ),
}

SETTINGS = "sheet '设置'"
PLAN: dict[str, dict[str, Expect]] = {
    # Renamed in a spreadsheet app: found by its anchor, and refreshed as before.
    "plan_goals_renamed": {"refresh": Expect(0), "validate": Expect(0)},
    "plan_errors_renamed": {
        "refresh": Expect(2, ("the plan has no 错误 sheet", "Rename the sheet back")),
        "validate": Expect(2, ("the plan has no 错误 sheet",)),
    },
    "plan_trend_deleted": {
        "refresh": Expect(2, ("the plan has no 趋势 sheet", "csxl-backups")),
        "validate": Expect(2, ("the plan has no 趋势 sheet",)),
    },
    "plan_old_template": {
        "refresh": Expect(2, ("template version '0.9'", "csxl upgrade"), (SETTINGS, "row 3")),
        "validate": Expect(2, ("template version '0.9'",), (SETTINGS, "row 3", "column 'B'")),
    },
    "plan_injection": {"refresh": Expect(1), "validate": Expect(1)},
    "plan_control_chars": {"refresh": Expect(1), "validate": Expect(1)},
    "stray_far_cell_in_plan": {
        "refresh": Expect(2, ("1,048,576",), ("sheet '目标'",)),
        "validate": Expect(2, ("1,048,576",), ("sheet '目标'",)),
    },
    "plan_empty_data": {
        "refresh": Expect(2, ("no usable tickets",), ("sheet '数据'",)),
        "validate": Expect(0),
    },
}


def test_every_case_of_the_corpus_has_an_expectation():
    assert set(CASES) == set(KPI) | set(PLAN)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("bad-corpus"))


def digest(path: Path) -> str:
    """The file's hash; for the 1.1 GiB sparse CSV its size, time and first MiB suffice."""
    h = hashlib.sha256()
    st = path.stat()
    with path.open("rb") as f:
        if st.st_size > 100 << 20:
            h.update(f"{st.st_size} {st.st_mtime_ns}".encode() + f.read(1 << 20))
        else:
            h.update(f.read())
    return h.hexdigest()


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for text in (result.stdout, result.stderr):
        assert "Traceback" not in text and "internal error" not in text, text


def check_refusal(result, path: Path, expect: Expect) -> None:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"csxl: {path.name}"), line
    for text in (*expect.words, *expect.where):
        assert text in line, (text, line)
    assert result.stdout == ""


def check_problems(result, expect: Expect) -> None:
    listed = {}
    for line in result.stderr.splitlines():
        m = re.search(r", row (\d+), column ([^:]+): (.*) \(value: ", line)
        if m:
            listed.setdefault(int(m[1]), []).append(m[3])
    assert sorted(listed) == sorted(expect.problems), result.stderr
    for row, code in expect.problems.items():
        assert any(REASON[code] in reason for reason in listed[row]), (row, listed[row])


@pytest.mark.parametrize("name", sorted(KPI))
def test_kpi(corpus, tmp_path, name):
    expect = KPI[name]
    path = tmp_path / corpus[name].name
    try:
        os.link(corpus[name], path)  # kpi writes nothing; the 1.1 GiB sparse CSV is not copied
    except OSError:
        shutil.copy(corpus[name], path)
    before = digest(path)
    result = run("kpi", path, "--json", "--lang", "en")
    no_traceback(result)
    assert result.exit_code == expect.code, (result.exit_code, result.stderr)
    assert digest(path) == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # nothing written beside it
    if expect.code == 2:
        check_refusal(result, path, expect)
        return
    doc = json.loads(result.stdout)
    rows = doc["rows"]
    assert rows["read"] == rows["valid"] + rows["rejected"] + rows["duplicates"]
    assert doc["groups"][0]["kpis"]["tickets"] == rows["valid"]
    if expect.rows is not None:
        assert rows == expect.rows
    for word in expect.words:
        assert word in result.stderr, result.stderr
    check_problems(result, expect)


def test_error_cells_are_rejected_with_their_excel_text(corpus):
    result = run("kpi", corpus["error_cells"], "--lang", "en")
    for value in ("#N/A", "#DIV/0!", "#VALUE!"):
        assert f"(value: {value})" in result.stderr


def test_injected_formulas_stay_text_in_the_output(corpus):
    """Agents named like formulas are grouped by that text; nothing is evaluated."""
    result = run("kpi", corpus["formula_injection"], "--json", "--by", "agent")
    agents = {g["key"] for g in json.loads(result.stdout)["groups"] if g["by"] == "agent"}
    assert set(INJECTIONS) - {"\t=1+1"} <= agents
    assert "=1+1" in agents  # a leading tab is trimmed like any blank


def test_control_characters_are_escaped_in_messages(corpus):
    result = run("kpi", corpus["control_chars"], "--lang", "en")
    bad = {c for c in CONTROL if c not in "\n"}
    assert not bad & set(result.stderr), [hex(ord(c)) for c in bad & set(result.stderr)]
    assert "\\u202e" in result.stderr  # shown, escaped


def test_names_are_printed_as_written_not_as_markup(corpus):
    result = run("kpi", corpus["markup_names"], "--by", "agent")
    assert result.exit_code == 0, result.output
    for name in ("[/b]", "[bold red]红[/]", "\\[x"):
        assert name in result.stdout, result.stdout


def test_long_values_are_cut_in_messages(corpus, tmp_path):
    from tests.data.bad.make_corpus import HEADER, _row, csv_text

    path = tmp_path / "long.csv"
    path.write_text(csv_text([HEADER, _row(1, 创建时间="x" * 50_000)]), encoding="utf-8")
    result = run("kpi", path, "--lang", "en")
    assert result.exit_code == 1
    assert "(50,000 chars)" in result.stderr and len(result.stderr) < 1000


PLAN_RUNS = [(name, command) for name in sorted(PLAN) for command in PLAN[name]]


@pytest.mark.parametrize(("name", "command"), PLAN_RUNS)
def test_plan(corpus, tmp_path, name, command):
    expect = PLAN[name][command]
    path = Path(shutil.copy(corpus[name], tmp_path / corpus[name].name))
    before = digest(path)
    result = run(command, path, "--lang", "en")
    no_traceback(result)
    assert result.exit_code == expect.code, (result.exit_code, result.stderr)
    names = sorted(p.name for p in tmp_path.iterdir())
    if expect.code == 2:
        check_refusal(result, path, expect)
        assert digest(path) == before
        assert names == [path.name]  # no temp file, no lock, no backup
        return
    assert names == ["csxl-backups", path.name]
    backups = list((tmp_path / "csxl-backups").iterdir())
    assert [digest(b) for b in backups] == [before]


def test_formula_like_data_is_written_back_as_text(corpus, tmp_path):
    """Refresh copies Data values into Errors and Scores: each stays a text cell."""
    path = Path(shutil.copy(corpus["plan_injection"], tmp_path / "plan.xlsx"))
    assert run("refresh", path).exit_code == 1
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = zf.read(name).decode("utf-8")
                for formula in re.findall(r"<f[^>]*>(.*?)</f>", xml):
                    assert "cmd|" not in formula and "HYPERLINK" not in formula, (name, formula)
    from python_calamine import CalamineWorkbook

    errors = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("错误").to_python()
    assert any("=5" in row for row in errors), errors[:6]
