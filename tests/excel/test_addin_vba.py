"""Static checks of the add-in's VBA (issue 17): what Excel would refuse and LibreOffice lets
pass (vba_lint), what antivirus filters judge (mraptor), that every entry point handles its
errors, and that no workbook content chooses the program the add-in runs.

Each rule has a negative control: a snippet or a copy of the real modules that breaks the
rule is caught.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from csxl.excel import addin, vba_lint
from csxl.excel.vba_project import Module

ENTRY_POINTS = ["csxl_ShowResult"]  # besides the ribbon callbacks: called by csxl on Mac
# What a procedure that chooses the program must never touch: a workbook's content.
WORKBOOK_CONTENT = re.compile(
    r"\b(?:ActiveWorkbook|ActiveSheet|ActiveCell|Selection|Workbooks|Worksheets|Sheets|Range|"
    r"Cells|Names|Evaluate|CustomDocumentProperties|BuiltinDocumentProperties|"
    r"csxl_PlanSheet|PlanLanguage)\b",
    re.IGNORECASE,
)
SEARCH_ROOTS = ["csxl_FindExe", "csxl_Setting"]  # the program, and Python for RunPython
# imageMso ids of Excel's own ribbon used by the buttons (Outlook's AcceptInvitation was one).
EXCEL_IMAGES = {
    "ImportTextFile",
    "DataValidation",
    "RefreshAll",
    "CalculateNow",
    "FileNew",
    "Copy",
    "AutoSum",
    "FunctionWizard",
    "ControlProperties",
    "Help",
    "FileDocumentInspect",
}


def lint(code: str, name: str = "M") -> list[str]:
    return vba_lint.problems([Module(name, code)])


# ------------------------------------------------------------------ vba_lint
def test_the_addin_and_its_twin_pass_the_vba_check():
    assert vba_lint.problems(addin.modules(twin=True)) == []


def test_negative_a_module_without_option_explicit_is_caught():
    assert lint("Public Sub A()\nEnd Sub") == ["M: no Option Explicit"]
    assert lint("Option Explicit\nPublic Sub A()\nEnd Sub") == []


def test_negative_an_undeclared_name_is_caught():
    found = lint("Option Explicit\nPublic Sub A()\n    Dim total As Long\n    totl = 1\nEnd Sub")
    assert found == ["M line 4 (A): uses an undeclared name totl"]
    # the same name declared passes; so do parameters, module variables and constants
    ok = (
        "Option Explicit\nPrivate Const K As Long = 2\nPrivate m As String\n"
        "Public Sub A(ByVal p As Long)\n    Dim totl As Long\n    totl = p + K\n"
        '    m = "x: y"\nEnd Sub'
    )
    assert lint(ok) == []


def test_negative_an_undefined_procedure_is_caught():
    code = (
        "Option Explicit\nPublic Sub A()\n    Dim n As Long\n    n = Missing(2)\n"
        "    Gone n\nEnd Sub"
    )
    found = lint(code)
    assert found == [
        "M line 4 (A): calls an undefined procedure Missing",
        "M line 5 (A): calls an undefined procedure Gone",
    ]
    other = Module(
        "N", "Option Explicit\nPublic Function Missing(ByVal x As Long) As Long\nEnd Function"
    )
    private = Module("P", "Option Explicit\nPrivate Sub Gone(ByVal x As Long)\nEnd Sub")
    # a Public procedure of another module counts, a Private one does not
    assert vba_lint.problems([Module("M", code), other, private]) == [
        "M line 5 (A): calls an undefined procedure Gone"
    ]


def test_negative_a_mistyped_type_a_missing_label_and_a_libreoffice_reserved_name():
    found = lint(
        "Option Explicit\nPublic Sub A()\n    Dim s As Strng\n    On Error GoTo Faild\n"
        "Failed:\nEnd Sub"
    )
    assert found == ["M line 3: unknown type Strng", "M line 4 (A): GoTo Faild names no label"]
    assert (
        "reserved in LibreOffice"
        in lint("Option Explicit\nPublic Sub A()\n    Dim base As String\nEnd Sub")[0]
    )


def test_negative_a_misspelt_variable_in_the_real_modules_is_caught():
    modules = [
        Module(m.name, m.code.replace('searchedPlaces = ""', 'searchedPlace = ""', 1), m.kind)
        for m in addin.modules(twin=True)
    ]
    found = vba_lint.problems(modules)
    assert len(found) == 1 and found[0].endswith(
        "(csxl_FindExe): uses an undeclared name searchedPlace"
    )


def test_build_refuses_macros_that_fail_the_vba_check(tmp_path):
    folder = Path(shutil.copytree(addin.MACROS, tmp_path / "macros"))
    run = folder / "csxlRun.bas"
    run.write_text(run.read_text().replace("Dim wsh As Object\n", "", 1))
    with pytest.raises(Exception, match="undeclared name wsh"):
        addin.build_addin(tmp_path / "out", folder)


# ------------------------------------------------------------------ mraptor
def mraptor_verdict(path: Path) -> tuple[str, str]:
    """(result name, flags) as the mraptor command line reports a file."""
    from oletools import mraptor
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        assert parser.detect_vba_macros(), path
        code = parser.get_vba_code_all_modules()
    finally:
        parser.close()
    raptor = mraptor.MacroRaptor(code)
    raptor.scan()
    verdict = mraptor.Result_Suspicious if raptor.suspicious else mraptor.Result_MacroOK
    return verdict.name, raptor.get_flags()


@pytest.mark.parametrize("name", [addin.ADDIN, addin.TWIN])
def test_mraptor_says_macro_ok_on_the_committed_addin_and_twin(name):
    verdict, flags = mraptor_verdict(addin.FOLDER / name)
    assert verdict == "Macro OK", flags
    assert "A" not in flags  # nothing that runs by itself: W and X alone are not suspicious


def test_mraptor_command_line_agrees(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "oletools.mraptor", str(addin.FOLDER / addin.ADDIN)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout  # 2: Macro OK
    assert "Macro OK" in done.stdout


def test_negative_a_comment_naming_the_open_event_makes_mraptor_suspicious(tmp_path):
    folder = Path(shutil.copytree(addin.MACROS, tmp_path / "macros"))
    doc = folder / "ThisWorkbook.cls"
    doc.write_text(doc.read_text() + "' (no " + "Workbook" + "_Open here)\n")
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / addin.ADDIN
    path.write_bytes(addin.package(addin.ADDIN, folder))
    assert mraptor_verdict(path)[0] == "SUSPICIOUS"


# ------------------------------------------------------------------ error handlers
def procedures(code: str) -> dict[str, str]:
    """Name -> text of each Sub/Function of a module."""
    found = re.finditer(
        r"^(?:Public |Private )?(?:Sub|Function) (\w+)\(.*?^End (?:Sub|Function)$",
        code,
        re.MULTILINE | re.DOTALL,
    )
    return {m[1]: m[0] for m in found}


def all_procedures() -> dict[str, str]:
    out: dict[str, str] = {}
    for m in addin.modules():
        out.update(procedures(m.code.replace("\r\n", "\n")))
    return out


def entry_points() -> list[str]:
    ribbon = (addin.MACROS / addin.RIBBON).read_text("utf-8")
    return sorted(set(re.findall(r'onAction="(\w+)"', ribbon))) + ENTRY_POINTS


def handler_problems(procs: dict[str, str]) -> list[str]:
    out = []
    for name in entry_points():
        body = procs[name]
        goto = re.search(r"^\s*On Error GoTo (\w+)$", body, re.MULTILINE)
        if not goto:
            out.append(f"{name}: no On Error GoTo")
            continue
        label = re.search(rf"^{goto[1]}:\n(.*)End Sub", body, re.MULTILINE | re.DOTALL)
        if not label or "csxl_Fail " not in label[1]:
            out.append(f"{name}: its handler does not call csxl_Fail")
        first = body.split("\n")[1:]
        statements = [
            s.strip() for s in first if s.strip() and not s.strip().startswith(("'", "Dim "))
        ]
        if not statements[0].startswith("On Error GoTo"):
            out.append(f"{name}: code runs before its handler is set")
    return out


def test_every_entry_point_has_a_handler_that_shows_what_failed():
    assert handler_problems(all_procedures()) == []
    fail = all_procedures()["csxl_Fail"]
    assert "Application.StatusBar = False" in fail and 'Msg("failed"' in fail
    assert "csxl_Box" in fail  # the Unicode box, never VBA's dialog with a Debug button


def test_negative_a_callback_without_its_handler_is_caught():
    procs = all_procedures()
    procs["csxl_OnRefresh"] = procs["csxl_OnRefresh"].replace("    On Error GoTo Failed\n", "")
    procs["csxl_OnScore"] = procs["csxl_OnScore"].replace("csxl_Fail ", "csxl_Box ")
    assert handler_problems(procs) == [
        "csxl_OnRefresh: no On Error GoTo",
        "csxl_OnScore: its handler does not call csxl_Fail",
    ]


def test_a_blocked_program_is_told_with_the_fallback_and_the_rule_to_ask_for():
    text = (addin.MACROS / "csxlText.bas").read_text("ascii")
    blocked = re.search(r'Case "blocked":.*?(?=\n        Case )', text, re.DOTALL)[0]
    for words in ("RunPython", "d4f940ab-401b-4efc-aadc-ad5f3c50688a", "AppLocker", "python ="):
        assert words in blocked, words
    run = all_procedures()
    assert "START_FAILED" in run["csxl_Shell"] and "On Error GoTo NotStarted" in run["csxl_Shell"]
    assert "ShowBlocked" in run["csxl_Run"]


# ------------------------------------------------------------------ what chooses the program
def callees(name: str, procs: dict[str, str]) -> set[str]:
    """name and every procedure of the add-in it calls, transitively."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        body = re.sub(r"'.*$", "", procs[current].split("\n", 1)[1], flags=re.MULTILINE)
        todo += [p for p in procs if p not in seen and re.search(rf"\b{p}\b", body)]
    return seen


def content_reads(procs: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for root in SEARCH_ROOTS:
        for name in sorted(callees(root, procs)):
            body = re.sub(r"'.*$", "", procs[name].split("\n", 1)[1], flags=re.MULTILINE)
            body = re.sub(r'"[^"]*"', '""', body)
            hits = WORKBOOK_CONTENT.findall(body)
            if hits:
                out[name] = hits
    return out


def test_the_program_search_reads_no_workbook_sheet_or_range():
    procs = all_procedures()
    reached = callees("csxl_FindExe", procs)
    assert {"ConfSetting", "ReadUtf8File", "FileThere", "EnvValue", "UserFolder"} <= reached
    assert content_reads(procs) == {}
    # RunPython's interpreter comes from csxl_Setting too, not from a workbook
    assert "csxl_Setting(key)" in procs["GetConfig"]


def test_negative_the_old_search_through_the_plans_settings_is_caught():
    procs = all_procedures()
    procs["csxl_Setting"] = procs["csxl_Setting"].replace(
        "csxl_Setting = ConfSetting(key)",
        'csxl_Setting = csxl_PlanSheet("Settings", "").Cells(14, 2).Value',
    )
    found = content_reads(procs)
    assert found["csxl_Setting"] == ["csxl_PlanSheet", "Cells"]
    assert "ActiveWorkbook" in found["csxl_PlanSheet"]


# ------------------------------------------------------------------ the ribbon
def test_every_button_uses_an_excel_image_and_the_outlook_one_is_gone():
    ribbon = (addin.MACROS / addin.RIBBON).read_text("utf-8")
    images = set(re.findall(r'imageMso="(\w+)"', ribbon))
    assert images <= EXCEL_IMAGES, images - EXCEL_IMAGES
    assert "AcceptInvitation" not in ribbon


# ------------------------------------------------------------------ one install location
def test_one_install_location_in_doctor_docs_and_the_search():
    where = "%APPDATA%\\csxl"
    for lang in ("zh", "en"):
        hints = "\n".join(addin.diagnose(None, lang))
        assert f"{where}\\csxl\\csxl.exe" in hints and "Microsoft\\AddIns" not in hints
    docs = (Path(addin.MACROS).parent / "docs" / "excel.md").read_text("utf-8")
    assert f"**Put them in one folder: `{where}\\`**" in docs
    assert f"`{where}\\csxl\\csxl.exe`" in docs and "Microsoft\\AddIns" not in docs
    procs = all_procedures()
    assert 'EnvValue("APPDATA")' in procs["UserFolder"]
    assert 'JoinPath(JoinPath(UserFolder(), "csxl"), EXE_NAME)' in procs["csxl_FindExe"]
