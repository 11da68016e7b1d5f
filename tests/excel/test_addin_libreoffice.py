"""LibreOffice reads the VBA project of the built add-in and runs the twin's test Sub.

LibreOffice 7.4 headless imports the modules of `csxl.xlsm` (Option VBASupport 1), and
`csxl_SelfTest` writes cells through the Excel object model (ThisWorkbook.Worksheets(1)
.Cells(...).Value) using the add-in's own helpers (csxlText, csxlRun). The saved result is
read back with openpyxl: what the helpers give is checked against Python's own reading of
a Windows command line, a Python literal and UTF-8. LibreOffice 7.4 ignores `#If`, so
the platform branches (WScript.Shell, ADODB.Stream, AppleScriptTask) are left to the manual
checklist in docs/excel.md. It runs in the session's LibreOffice
(tests/libreoffice.py; skipped without it, failing instead under CI=true).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from csxl.excel import addin

LIBRARY = addin.PROJECT  # LibreOffice names the Basic library after the VBA project
SELF_TEST = (
    f"vnd.sun.star.script:{LIBRARY}.csxlSelfTest.csxl_SelfTest?language=Basic&location=document"
)
VBA_FILTER = "Calc MS Excel 2007 VBA XML"  # the filter that keeps the VBA project (and opens .xlam)
ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def _props(**values):
    from com.sun.star.beans import PropertyValue

    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _load(office, path: Path):
    from tests.libreoffice import import_uno

    uno = import_uno()
    document = office._desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(path.resolve())),
        "_blank",
        0,
        _props(Hidden=True, MacroExecutionMode=ALWAYS_EXECUTE_NO_WARN, FilterName=VBA_FILTER),
    )
    assert document is not None and hasattr(document, "Sheets"), f"LibreOffice did not open {path}"
    return document


def modules_in(office, path: Path) -> list[str]:
    document = _load(office, path)
    try:
        libraries = document.BasicLibraries
        if not libraries.hasByName(LIBRARY):
            return []
        libraries.loadLibrary(LIBRARY)
        return sorted(libraries.getByName(LIBRARY).ElementNames)
    finally:
        document.close(True)


def run_self_test(
    office, path: Path, tmp: Path, prepare: Callable[[Any], None] | None = None
) -> openpyxl.worksheet.worksheet.Worksheet:
    """Open a copy of `path`, run csxl_SelfTest, save as .xlsx; the first sheet, read back.
    `prepare` gets the open document first (to add a sheet, say)."""
    from tests.libreoffice import import_uno

    uno = import_uno()
    copy = Path(shutil.copy(path, tmp / path.name))
    document = _load(office, copy)
    try:
        if prepare is not None:
            prepare(document)
        script = document.getScriptProvider().getScript(SELF_TEST)
        script.invoke((), (), ())
        out = tmp / "after.xlsx"
        document.storeToURL(
            uno.systemPathToFileUrl(str(out)), _props(FilterName="Calc MS Excel 2007 XML")
        )
    finally:
        document.close(True)
    return openpyxl.load_workbook(out).worksheets[0]


def command_line_args(line: str) -> list[str]:
    """Split a Windows command line as CommandLineToArgvW does (the arguments after argv[0])."""
    args, current, i, quoted, started = [], [], 0, False, False
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            n = 0
            while i < len(line) and line[i] == "\\":
                n, i = n + 1, i + 1
            if i < len(line) and line[i] == '"':
                current.append("\\" * (n // 2))
                if n % 2:
                    current.append('"')
                    i += 1
                started = True
                continue
            current.append("\\" * n)
            started = True
            continue
        if ch == '"':
            quoted, started = not quoted, True
        elif ch in " \t" and not quoted:
            if started:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(ch)
            started = True
        i += 1
    if started:
        args.append("".join(current))
    return args


def test_command_line_splitter_follows_the_windows_rules():
    assert command_line_args(r'"a b" c\\d "e\"f" "g\\" h') == ["a b", r"c\\d", 'e"f', "g\\", "h"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("addin")
    xlam, xlsm = addin.build_addin(out)
    return {addin.ADDIN: xlam, addin.TWIN: xlsm}


def test_libreoffice_imports_every_module_of_the_addin(libreoffice, built):
    expected = sorted(p.stem for p in addin.module_files())
    assert modules_in(libreoffice, built[addin.ADDIN]) == expected
    assert modules_in(libreoffice, built[addin.TWIN]) == sorted([*expected, "csxlSelfTest"])


def test_libreoffice_runs_the_twins_test_sub_and_the_cells_read_back(libreoffice, built, tmp_path):
    ws = run_self_test(libreoffice, built[addin.TWIN], tmp_path)
    cell = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(10, 17)}
    assert cell["self-test"] == 42
    assert cell["U"] == "客服计划 csxl"
    assert cell["Utf8Decode"] == "客服 ok \U0001f600"  # the byte order mark is dropped
    text = (addin.MACROS / "csxlText.bas").read_text("ascii")
    guide = re.search(r'Case "guide": zh = "([^"]*)"', text)[1]
    assert cell["Msg"] == re.sub(r"\\u([0-9A-F]{4})", lambda m: chr(int(m[1], 16)), guide)
    assert cell["csxl_Lang"] == "zh"  # csxlRun compiles and reads its settings
    assert [_split_program(cell["CommandLine"])] == [
        (
            r"C:\Program Files\csxl\csxl.exe",
            ["refresh", "--live", r"C:\Users\张三\plan 1.xlsx", "--result-file", r"C:\Temp\r.txt"],
        )
    ]
    samples = [ws.cell(r, 1).value for r in range(20, 29)]
    quoted = [ws.cell(r, 2).value for r in range(20, 29)]
    assert samples[1] == "C:\\out dir\\" and samples[3] == 'say "hi"'
    for sample, line in zip(samples, quoted, strict=True):
        assert command_line_args(line) == [sample], line  # QuoteArg survives Windows parsing
    import ast

    assert ast.literal_eval(cell["PyList"]) == samples  # PyList is a Python list literal


def _split_program(line: str) -> tuple[str, list[str]]:
    args = command_line_args(line)
    return args[0], args[1:]


def test_negative_control_a_renamed_module_stream_cannot_run(libreoffice, built, tmp_path):
    """The twin with the test module's stream renamed: LibreOffice finds no such Sub."""
    broken = tmp_path / "broken.xlsm"
    old, new = "csxlSelfTest".encode("utf-16-le"), "csxlSelfTesX".encode("utf-16-le")
    with zipfile.ZipFile(built[addin.TWIN]) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/vbaProject.bin":
                at = [m.start() for m in re.finditer(re.escape(old), data)]
                entry = [i for i in at if (i - 512) % 128 == 0]
                assert len(entry) == 1
                data = data[: entry[0]] + new + data[entry[0] + len(new) :]
            zout.writestr(item, data)
    (tmp_path / "run").mkdir()
    with pytest.raises(Exception, match=r"csxlSelfTest|could not be found"):
        run_self_test(libreoffice, broken, tmp_path / "run")


# ------------------------------------------------------------------ issue 17
def _plan_settings_naming(program: Path, python: Path) -> Callable[[Any], None]:
    """Adds a plan's Settings sheet (the Chinese name, as `csxl new` writes it) whose
    program and Python rows name other programs."""
    from csxl.workbook.layout import Settings

    def prepare(document) -> None:
        document.Sheets.insertNewByName("设置", 1)
        sheet = document.Sheets.getByName("设置")
        sheet.getCellByPosition(Settings.VALUE_COL - 1, Settings.ROW_EXE_PATH - 1).String = str(
            program
        )
        sheet.getCellByPosition(Settings.VALUE_COL - 1, Settings.ROW_PYTHON - 1).String = str(
            python
        )

    return prepare


def _cells(ws) -> dict[str, object]:
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(30, 38)}


def test_the_addins_search_ignores_a_plan_that_names_another_program(libreoffice, built, tmp_path):
    """The real csxl_FindExe and csxl_Setting, run by LibreOffice with a plan whose Settings
    name an existing program and Python: the add-in's code can read that cell (row "plan
    exe cell"), and its search still finds nothing but what csxl.conf and the folder beside
    the add-in hold."""
    evil = tmp_path / "evil" / "csxl.exe"
    evil.parent.mkdir()
    evil.write_bytes(b"MZ")
    evil_python = evil.parent / "python.exe"
    evil_python.write_bytes(b"MZ")
    run = tmp_path / "run"
    run.mkdir()
    (run / "csxl.conf").write_text("# the user's own settings\npython = /conf/python3\n")
    ws = run_self_test(
        libreoffice, built[addin.TWIN], run, _plan_settings_naming(evil, evil_python)
    )
    cell = _cells(ws)
    assert cell["plan exe cell"] == str(evil)  # the plan is there and names it
    assert cell["csxl_FindExe"] is None  # nothing found: the plan's program is not taken
    assert cell["csxl_Setting python"] == "/conf/python3"  # not the plan's Python
    # positive control: the same search finds a program beside the add-in
    beside = tmp_path / "beside"
    beside.mkdir()
    (beside / "csxl.exe").write_bytes(b"MZ")
    ws = run_self_test(
        libreoffice, built[addin.TWIN], beside, _plan_settings_naming(evil, evil_python)
    )
    assert _cells(ws)["csxl_FindExe"] == str(beside / "csxl.exe")


def test_the_vba_helpers_build_what_the_python_port_builds(libreoffice, built, tmp_path):
    """The command-line test (test_addin_buttons.py) uses tests/excel/vba_port.py: here the
    VBA originals give the same text on samples with %, ', $, quotes, Chinese and an emoji."""
    from tests.excel import vba_port as vba

    ws = run_self_test(libreoffice, built[addin.TWIN], tmp_path)
    cell = _cells(ws)
    path = "C:\\客服 %USERNAME%\\100% it's.xlsx"
    assert cell["EscapePercent"] == vba.escape_percent(
        vba.command_line(r"C:\Program Files\csxl\csxl.exe", ["new", path])
    )
    samples = ["/Users/x/it's 客 100%.xlsx", '$HOME `x` "q" | \\ ;', "\U0001f600"]
    assert cell["PyList2"] == vba.py_list(samples)
    assert cell["PyList2"].isascii()
    assert cell["MacParameters"] == vba.mac_parameters(
        "pass",
        "/my python/python3",
        "it's $x|y.xlsx",
        "/Applications/Microsoft Excel.app/Contents",
        "/log",
    )
    # (the cell's CRLF reads back as LF)
    assert cell["ResultField"].replace("\r\n", "\n") == "C:\\a b.xlsx||done\ntwo"
    assert cell["ConfValue"] == "C:\\py\\python.exe"
