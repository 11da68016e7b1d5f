"""Every button's command, built as the add-in builds it, run through the real csxl command
line on the demo's files (issue 17).

The test reads every `csxl_Run Array(...)`, `csxl_RunAndOpen Array(...)` and
`csxl_RunOnActive "verb"` in macros/, fills in the paths a manager would pick (folders with
spaces, Chinese, `%USERNAME%`, `100%` and `'`), builds the command line as csxlText does
(tests/excel/vba_port.py, compared with the VBA itself in test_addin_libreoffice.py), lets
"Windows" expand it as WScript.Shell.Run does and split it as the program does, and runs
`python -m csxl` with those arguments. The `--live` buttons get a stand-in for Excel
(tests/excel/fake_xlwings.py) holding the demo plan. Each run must exit as its result file
says, and the file must name what was made. The RunPython paths (Windows command line, and
the Mac's AppleScript handler run by /bin/sh) are run the same way.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csxl.excel import addin
from tests.excel import vba_port as vba
from tests.excel.test_addin import result_parts

REPO = Path(__file__).resolve().parents[2]
EXE = r"C:\Program Files\csxl\csxl.exe"
WINDOWS_ENV = {vba.PERCENT_VAR: "%", "USERNAME": "zhangsan", "OUT": "elsewhere"}
NO_COMMAND = {"csxl_OnSettings", "csxl_OnGuide"}  # buttons that only show a sheet
SHIM = '''"""xlwings for a csxl subprocess: an Excel with the workbook CSXL_FAKE_BOOK open."""
import os
import sys
from pathlib import Path

sys.path.insert(0, {repo!r})
from tests.excel import fake_xlwings as _fx

_app = _fx.FakeApp()
if os.environ.get("CSXL_FAKE_BOOK"):
    _fx.book_from_file(_app, Path(os.environ["CSXL_FAKE_BOOK"]))
apps = [_app]
__version__ = "0.0-fake"
'''


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """`csxl demo` written into a folder whose name holds what breaks command lines."""
    folder = tmp_path_factory.mktemp("buttons") / "客服 数据 100%USERNAME% it's"
    done = subprocess.run(
        [sys.executable, "-m", "csxl", "demo", "--out", str(folder)],
        cwd=REPO,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert (folder / "演示计划.xlsx").exists() and (folder / "teams").is_dir()
    return folder


@pytest.fixture(scope="module")
def shim(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shim")
    (folder / "xlwings.py").write_text(SHIM.format(repo=str(REPO)), encoding="utf-8")
    return folder


def modules() -> dict[str, str]:
    return {m.name: m.code for m in addin.modules()}


def cases(demo: Path, out: Path) -> dict[str, dict]:
    """What a manager picks for each button, and what each command must make."""
    plan = out / "计划 it's 100%.xlsx"
    shutil.copy(demo / "演示计划.xlsx", plan)
    roster = out / "花名册 %OUT%.xlsx"
    shutil.copy(demo / "演示花名册.xlsx", roster)
    export = out / "导出 50%.xlsx"
    shutil.copy(demo / "demo_tickets.xlsx", export)
    teams = Path(shutil.copytree(demo / "teams", out / "团队 %USERNAME%"))
    addin_file = out / "加载项 %APPDATA%" / addin.ADDIN
    addin_file.parent.mkdir()
    shutil.copy(addin.FOLDER / addin.ADDIN, addin_file)
    summary = out / "汇总 100%.xlsx"
    new_plan = out / "新计划 %USERNAME%.xlsx"
    batch_out = out / "批量 %OUT% 's"
    return {
        "csxl_OnImport": {
            "bind": {
                "plan": str(plan),
                "exportFile": str(export),
                "Trim$(source)": "千牛 50%",
                "lang": "zh",
            },
            "made": plan,
            "exits": {0, 1},
        },
        "csxl_OnNewPlan": {
            "bind": {"target": str(new_plan), "csxl_Lang()": "zh"},
            "made": new_plan,
            "exits": {0},
        },
        "csxl_OnBatch": {
            "bind": {"roster": str(roster), "outDir": str(batch_out), "exportFile": str(export)},
            "made": batch_out / "batch-report.xlsx",
            "exits": {0, 1},
        },
        "csxl_OnConsolidate": {
            "bind": {"teams": str(teams), "target": str(summary)},
            "made": summary,
            "exits": {0},
        },
        "csxl_OnCheck": {
            "bind": {"ThisWorkbook.FullName": str(addin_file), "lang": "en"},
            "made": None,
            "exits": {0},
        },
        "csxl_RunOnActive": {
            "bind": {"ActiveWorkbook.FullName": str(plan)},
            "made": plan,
            "exits": {0, 1},
            "live": True,
        },
    }


def run_csxl(argv: list[str], shim: Path, book: Path | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shim), str(REPO)])}
    env.pop("CSXL_DEBUG", None)
    if book is not None:
        env["CSXL_FAKE_BOOK"] = str(book)
    return subprocess.run(argv, cwd=REPO, env=env, capture_output=True, timeout=600)


def windows_argv(args: list[str], result: Path) -> list[str]:
    """csxl_Run's command line for csxl.exe, through WScript.Shell.Run and the program's
    own reading: the arguments csxl.exe gets (after its own name)."""
    command = vba.escape_percent(vba.command_line(EXE, vba.with_result_file(args, str(result))))
    argv = vba.wsh_run_argv(command, WINDOWS_ENV)
    assert argv[0] == EXE
    return argv[1:]


def check_result(done: subprocess.CompletedProcess, result: Path, case: dict) -> str:
    assert done.returncode in case["exits"], done.stderr.decode("utf-8", "replace")
    header, message = result_parts(result)
    assert header["exit"] == str(done.returncode)
    if case["made"] is None:
        assert header["made"] == ""
    else:
        assert header["made"] == str(case["made"])
        assert Path(header["made"]).exists()
    assert message.strip()
    return message


def test_every_button_with_a_command_is_covered(demo, tmp_path):
    ribbon = (addin.MACROS / addin.RIBBON).read_text("utf-8")
    callbacks = set(re.findall(r'onAction="(\w+)"', ribbon))
    calls = {proc for proc, _ in vba.button_calls(modules())}
    on_active = {proc for proc, _ in vba.on_active_verbs(modules())}
    assert callbacks - NO_COMMAND == (calls | on_active) - {"csxl_RunOnActive"}
    known = cases(demo, tmp_path)
    assert calls <= set(known), calls - set(known)


def test_each_button_command_runs_through_the_cli_and_writes_its_result(demo, shim, tmp_path):
    known = cases(demo, tmp_path)
    code = modules()
    ran = []
    verbs = [verb for _, verb in vba.on_active_verbs(code)]
    assert {"validate", "refresh", "score", "staff"} <= set(verbs)
    for n, (procedure, expressions) in enumerate(vba.button_calls(code)):
        case = known[procedure]
        for verb in verbs if procedure == "csxl_RunOnActive" else [None]:
            bind = {**case["bind"], "verb": verb} if verb else case["bind"]
            args = [vba.evaluate(e, bind) for e in expressions]
            result = tmp_path / f"r{n}-{verb or procedure} 100%USERNAME%.txt"
            argv = windows_argv(args, result)
            # the paths arrive as the manager picked them: nothing expanded, nothing split
            assert argv == [*args, "--result-file", str(result)]
            book = Path(case["bind"]["ActiveWorkbook.FullName"]) if case.get("live") else None
            done = run_csxl([sys.executable, "-m", "csxl", *argv], shim, book)
            message = check_result(done, result, case)
            ran.append((procedure, verb, done.returncode, message.splitlines()[0]))
    assert len(ran) == len(vba.button_calls(code)) - 1 + len(verbs)
    assert [p for p, *_ in ran].count("csxl_OnBatch") == 2  # with and without an export


def test_negative_without_the_percent_escape_windows_would_change_the_paths(tmp_path):
    args = ["new", r"C:\客服 %USERNAME%\100%OUT% it's.xlsx"]
    plain = vba.command_line(EXE, args)
    assert vba.wsh_run_argv(plain, WINDOWS_ENV)[1:] == [
        "new",
        r"C:\客服 zhangsan\100elsewhere it's.xlsx",
    ]
    escaped = vba.escape_percent(plain)
    assert vba.wsh_run_argv(escaped, WINDOWS_ENV)[1:] == args


def test_runpython_on_windows_gets_the_same_arguments(demo, shim, tmp_path):
    """No csxl.exe: the same command through python -c and csxl.excel.live.run_button."""
    known = cases(demo, tmp_path)
    target = known["csxl_OnNewPlan"]["made"]
    args = ["new", str(target), "--lang", "zh"]
    result = tmp_path / "r 100%USERNAME%.txt"
    python_code = vba.run_button_command(vba.with_result_file(args, str(result)))
    assert python_code.isascii() and "%" not in python_code and '"' not in python_code
    command = vba.command_line(
        sys.executable,
        [
            "-B",
            "-c",
            python_code,
            "--wb=" + vba.plain_name("计划 it's 100%.xlsx"),
            "--from_xl=1",
            r"--app=C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE",
            "--hwnd=1234",
        ],
    )
    argv = vba.wsh_run_argv(vba.escape_percent(command), WINDOWS_ENV)
    done = run_csxl(argv, shim, None)
    check_result(done, result, known["csxl_OnNewPlan"])


def test_runpython_on_a_mac_survives_quotes_and_dollars_in_paths(demo, shim, tmp_path):
    """The parameter the add-in gives xlwings' AppleScript handler, and the shell command
    that handler builds from it, run by /bin/sh: a ' (which broke the call), $, " and a
    backtick in the paths, and an interpreter path with a space."""
    folder = tmp_path / 'it\'s $HOME `x` "q" 中文'
    folder.mkdir()
    target = folder / "新计划 it's.xlsx"
    result = folder / "r's.txt"
    python = tmp_path / "my python" / "python3"
    python.parent.mkdir()
    python.symlink_to(sys.executable)
    args = ["new", str(target), "--lang", "zh", "--result-file", str(result)]
    parameters = vba.mac_parameters(
        vba.run_button_command(args),
        str(python),
        "计划 it's $x.xlsx",
        "/Applications/Microsoft Excel.app/Contents",
        str(tmp_path / "xlwings.log"),
    )
    assert parameters.count("|") == 5
    shell = vba.xlwings_shell_command(parameters)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shim), str(REPO)])}
    done = subprocess.run(["/bin/sh", "-c", shell], cwd=REPO, env=env, timeout=600)
    log = (tmp_path / "xlwings.log").read_text("utf-8", "replace")
    assert done.returncode == 0, log
    header, message = result_parts(result)
    assert header == {"exit": "0", "made": str(target)} and target.exists()
    assert message == f"已生成计划工作簿：{target}"


def test_negative_the_old_mac_parameters_break_on_a_quote(tmp_path):
    """Before: the workbook's full name went into xlwings' first field, a Python string in
    single quotes, so a ' in the path was a syntax error."""
    old = "false;/Users/x/it's.xlsx;/Users/x/csxl.xlam;;;;|python3|pass|it's.xlsx|/App|/log"
    shell = vba.xlwings_shell_command(old).replace("python3", sys.executable, 1)
    done = subprocess.run(["/bin/sh", "-c", shell.replace('2>"/log"', "")], capture_output=True)
    assert done.returncode != 0 and b"SyntaxError" in done.stderr
