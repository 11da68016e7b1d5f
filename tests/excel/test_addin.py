"""The add-in built from macros/: ribbon, VBA sources, package parts, and olevba/olefile.

Independent readers check what `csxl build-addin` writes: the XML parser for the ribbon,
oletools' olevba for the VBA modules (each module's text equals its source, modulo line
ends and `Attribute` lines) and olefile in strict mode for the compound file. Negative
controls show that each check can fail. LibreOffice running the twin's test Sub is in
test_addin_libreoffice.py.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from csxl import __version__
from csxl.cli import main
from csxl.excel import addin
from csxl.excel.vba_project import Module, decompress
from csxl.workbook.compare import differences
from csxl.workbook.layout import Settings
from tests.libreoffice import unavailable

NS = {"ui": addin.RIBBON_NS}
ADDIN_MODULES = [
    "ThisWorkbook",
    "Sheet1",
    "csxlBox",
    "csxlRibbon",
    "csxlRun",
    "csxlText",
    "xlwings",
]
BUTTONS = {  # label -> the English words its screentip must hold (issues 6 and 17)
    "导入数据": "Import",
    "校验数据": "Validate",
    "刷新指标": "Refresh",
    "计算考核": "Score",
    "新建计划": "New plan",
    "批量生成": "Batch",
    "汇总": "Consolidate",
    "排班测算": "Staffing",
    "设置": "Settings",
    "指南": "Guide",
    "检查安装": "Check",
}


def olevba():
    try:
        from oletools.olevba import VBA_Parser
    except ImportError:
        unavailable("oletools is not installed: pip install 'oletools>=0.60.2'")
    return VBA_Parser


def olefile_module():
    try:
        import olefile
    except ImportError:
        unavailable("olefile is not installed: pip install 'olefile>=0.47'")
    return olefile


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("addin")
    xlam, xlsm = addin.build_addin(out)
    return {addin.ADDIN: xlam, addin.TWIN: xlsm}


def ribbon() -> ElementTree.Element:
    return ElementTree.fromstring((addin.MACROS / addin.RIBBON).read_bytes())


def macros_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(addin.MACROS, tmp_path / "macros"))


# ------------------------------------------------------------------ the ribbon
def test_ribbon_tab_has_every_button_with_icon_and_bilingual_screentip():
    tab = ribbon().find(".//ui:tab", NS)
    assert tab.get("label") == "客服计划 csxl"
    buttons = {b.get("label"): b for b in tab.iterfind(".//ui:button", NS)}
    assert set(buttons) == set(BUTTONS)
    for label, english in BUTTONS.items():
        button = buttons[label]
        assert button.get("imageMso"), label
        tip = button.get("screentip")
        assert label in tip and english in tip, tip
        assert re.search(r"[\u4e00-\u9fff]", button.get("supertip"))
        assert re.search(r"[A-Za-z]{4}", button.get("supertip"))
    groups = [g.get("label") for g in tab.iterfind("ui:group", NS)]
    assert len(groups) >= 3 and "设置/帮助 Settings and Guide" in groups


def test_ribbon_passes_its_checks():
    assert addin.ribbon_problems((addin.MACROS / addin.RIBBON).read_bytes(), addin.modules()) == []


def test_every_callback_has_the_ribbon_signature():
    code = (addin.MACROS / "csxlRibbon.bas").read_text("ascii")
    for button in ribbon().iter(f"{{{addin.RIBBON_NS}}}button"):
        action = button.get("onAction")
        assert re.search(
            rf"^Public Sub {action}\(control As IRibbonControl\)$", code, re.MULTILINE
        ), action


def _ribbon_with(old: str, new: str) -> bytes:
    return (addin.MACROS / addin.RIBBON).read_bytes().replace(old.encode(), new.encode(), 1)


def _modules_with(name: str, old: str, new: str) -> list[Module]:
    out = []
    for m in addin.modules():
        out.append(Module(m.name, m.code.replace(old, new, 1), m.kind) if m.name == name else m)
    return out


def test_negative_a_renamed_callback_fails_the_check():
    renamed = _modules_with("csxlRibbon", "Sub csxl_OnRefresh(", "Sub csxl_OnRefreshNow(")
    problems = addin.ribbon_problems((addin.MACROS / addin.RIBBON).read_bytes(), renamed)
    assert problems and "csxl_OnRefresh" in problems[0]


def test_negative_a_callback_with_the_wrong_signature_or_scope_fails():
    xml = (addin.MACROS / addin.RIBBON).read_bytes()
    wrong = _modules_with("csxlRibbon", "csxl_OnScore(control As IRibbonControl)", "csxl_OnScore()")
    assert addin.ribbon_problems(xml, wrong)
    private = _modules_with("csxlRibbon", "Public Sub csxl_OnScore", "Private Sub csxl_OnScore")
    assert "Private" in addin.ribbon_problems(xml, private)[0]


def test_negative_a_renamed_module_fails_the_checks(tmp_path):
    """The module holding the callbacks renamed to a class module: no callbacks left."""
    folder = macros_copy(tmp_path)
    (folder / "csxlRibbon.bas").rename(folder / "csxlRibbon.cls")
    assert any("onAction" in p for p in addin.problems(folder))


def test_negative_duplicate_ids_namespace_and_bad_xml_fail():
    mods = addin.modules()
    assert (
        "twice"
        in addin.ribbon_problems(_ribbon_with('id="csxlScore"', 'id="csxlRefresh"'), mods)[0]
    )
    old_ns = _ribbon_with(addin.RIBBON_NS, "http://schemas.microsoft.com/office/2006/01/customui")
    assert "not customUI" in addin.ribbon_problems(old_ns, mods)[0]
    assert "well-formed" in addin.ribbon_problems(_ribbon_with("</ribbon>", ""), mods)[0]


# ------------------------------------------------------------------ the VBA sources
def source_files() -> list[Path]:
    return sorted(addin.MACROS.rglob("*.bas")) + sorted(addin.MACROS.rglob("*.cls"))


@pytest.mark.parametrize("path", source_files(), ids=lambda p: p.name)
def test_vba_sources_are_ascii(path):
    data = path.read_bytes()
    assert data.isascii(), [n for n, line in enumerate(data.splitlines(), 1) if not line.isascii()]


def test_vba_sources_pass_their_rules():
    assert addin.source_problems(addin.modules(twin=True)) == []


def test_negative_source_rules_catch_what_they_are_for():
    def problems(code: str) -> list[str]:
        return addin.source_problems([Module("M", code)])

    assert problems('Declare Function F Lib "k" () As Long')
    assert problems('#If VBA7 Then\nDeclare Function F Lib "k" () As Long\n#End If')
    assert problems('#If VBA7 Then\n#Else\nDeclare PtrSafe Function F Lib "k" () As Long\n#End If')
    assert not problems(
        '#If VBA7 Then\nPrivate Declare PtrSafe Function F Lib "k" () As Long\n#End If'
    )
    assert problems("Private Sub Workbook_Open()\nEnd Sub")
    assert addin.source_problems([Module("A", "Public Sub X()\nEnd Sub"), Module("B", "Sub X()")])


def test_one_declare_nothing_run_on_load_and_active_workbook_for_buttons():
    code = {p.stem: p.read_text("ascii") for p in source_files()}
    joined = "\n".join(code.values())
    declares = re.findall(r"^\s*(?:Private |Public )?Declare .*$", joined, re.MULTILINE)
    assert len(declares) == 1 and "PtrSafe Function MessageBoxW" in declares[0]
    assert "MessageBoxW" in code["csxlBox"] and "LongPtr" in code["csxlBox"]
    assert "Workbook_Open" not in joined and "Auto_Open" not in joined
    # Buttons pass the workbook the manager looks at, never the add-in itself.
    live = re.findall(r'"--live", (\w+)\.FullName', joined)
    assert live and set(live) == {"ActiveWorkbook"}
    assert "WScript.Shell" in code["csxlRun"]
    assert ".Run(EscapePercent(commandText), 0, True)" in code["csxlRun"]
    assert 'Charset = "utf-8"' in code["csxlRun"] and "ADODB.Stream" in code["csxlRun"]


def test_messages_go_through_the_unicode_box_and_files_through_unicode_objects():
    """MsgBox, Kill and Environ convert to the ANSI code page on Windows: only fallbacks."""
    code = {p.stem: _code_only(p.read_text("ascii")) for p in source_files()}
    msgbox = {name: len(re.findall(r"\bMsgBox\b", text)) for name, text in code.items()}
    assert msgbox == {**dict.fromkeys(code, 0), "csxlBox": 2, "csxlRun": 2}, msgbox
    assert re.findall(r"\bKill\b", "\n".join(code.values())) == ["Kill"]  # no FSO: Mac
    assert "ExpandEnvironmentStrings" in code["csxlRun"]
    assert not re.search(r"\bEnviron\$", "\n".join(code.values()))


def _code_only(text: str) -> str:
    return "\n".join(line.split("'", 1)[0] for line in text.splitlines())


def test_xlwings_module_keeps_the_licence_and_leaves_out_pro_and_remote():
    text = (addin.MACROS / "xlwings.bas").read_text("ascii")
    assert "BSD 3-clause" in text and "Zoomer Analytics GmbH" in text
    assert "Redistributions of source code must retain the above copyright notice" in text
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("'"))
    for gone in ("LICENSE_KEY", "xlwings.pro", "Remote", "XLPyDLL", "Declare ", "CondaPath"):
        assert gone not in code, gone
    assert "Public Function RunPython(" in code


def test_settings_rows_in_vba_match_the_plan_layout():
    code = (addin.MACROS / "csxlRun.bas").read_text("ascii")
    consts = dict(re.findall(r"Const (SETTINGS_\w+) As Long = (\d+)", code))
    assert int(consts["SETTINGS_VALUE_COL"]) == Settings.VALUE_COL
    assert int(consts["SETTINGS_ROW_LANG"]) == Settings.ROW_LANG
    # The program's and Python's rows of a plan are not read (issue 17).
    assert set(consts) == {"SETTINGS_VALUE_COL", "SETTINGS_ROW_LANG"}
    assert str(Settings.ROW_EXE_PATH) not in re.findall(r"Cells\((\w+)", code)


def test_every_message_key_used_exists():
    text = "\n".join(p.read_text("ascii") for p in source_files())
    known = set(re.findall(r'Case "(\w+)": zh = ', text))
    used = set(re.findall(r'Msg\("(\w+)"', text))
    assert used and used <= known, used - known


def decode_escapes(text: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m[1], 16)), text)


def test_chinese_messages_decode_to_chinese():
    text = (addin.MACROS / "csxlText.bas").read_text("ascii")
    for key, zh in re.findall(r'Case "(\w+)": zh = "([^"]*)"', text):
        assert not decode_escapes(zh).isascii(), key


# ------------------------------------------------------------------ the packages
def test_package_parts_and_relationships(built):
    for name, main_type in addin.MAIN_TYPES.items():
        with zipfile.ZipFile(built[name]) as zf:
            files = {n: zf.read(n) for n in zf.namelist()}
        types = ElementTree.fromstring(files["[Content_Types].xml"])
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/xl/workbook.xml"] == main_type
        defaults = {d.get("Extension"): d.get("ContentType") for d in types}
        assert defaults["bin"] == "application/vnd.ms-office.vbaProject"
        rels = ElementTree.fromstring(files["_rels/.rels"])
        targets = {r.get("Type"): r.get("Target") for r in rels}
        assert targets[addin.RIBBON_REL] == "customUI/customUI14.xml"
        wb_rels = {
            r.get("Type"): r.get("Target")
            for r in ElementTree.fromstring(files["xl/_rels/workbook.xml.rels"])
        }
        assert wb_rels[addin.VBA_REL] == "vbaProject.bin"
        assert b'<workbookPr codeName="ThisWorkbook"/>' in files["xl/workbook.xml"]
        assert b'<sheetPr codeName="Sheet1"/>' in files["xl/worksheets/sheet1.xml"]
        assert files["customUI/customUI14.xml"] == (addin.MACROS / addin.RIBBON).read_bytes()
        for part, data in files.items():
            if part.endswith((".xml", ".rels")):
                ElementTree.fromstring(data)  # well-formed
        assert all(
            i.date_time == (1980, 1, 1, 0, 0, 0) for i in zipfile.ZipFile(built[name]).infolist()
        )
    assert addin.addin_version(built[addin.ADDIN]) == __version__


def test_builds_are_deterministic():
    assert addin.package(addin.ADDIN) == addin.package(addin.ADDIN)


@pytest.mark.parametrize("name", [addin.ADDIN, addin.TWIN])
def test_committed_addin_is_current(name):
    committed = addin.FOLDER / name
    assert committed.exists(), "run: csxl build-addin"
    fresh = addin.package(name)
    assert differences(committed, fresh) == [], "stale: run csxl build-addin"


def test_vba_module_streams_are_crlf(built):
    olefile = olefile_module()
    with zipfile.ZipFile(built[addin.ADDIN]) as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    text = decompress(ole.openstream("VBA/csxlRun").read())
    assert b"\r\n" in text and b"\n" not in text.replace(b"\r\n", b"")


# ------------------------------------------------------------------ olevba and olefile
def vba_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


def normalised(code: str) -> list[str]:
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [line for line in lines if not line.startswith("Attribute VB_")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def round_trip_problems(path: Path, expected: list[str]) -> list[str]:
    """What olevba reads from the package, against the sources in macros/."""
    parser = olevba()(str(path))
    found = {}
    try:
        if not parser.detect_vba_macros():
            return ["olevba finds no VBA project"]
        for _, _, filename, code in parser.extract_macros():
            found[Path(filename).stem] = code
    finally:
        parser.close()
    out = []
    if sorted(found) != sorted(expected):
        out.append(f"modules {sorted(found)} != {sorted(expected)}")
    sources = {p.stem: p for p in addin.module_files(twin=path.suffix == ".xlsm")}
    for name in expected:
        if name in found and normalised(found[name]) != normalised(
            sources[name].read_text("ascii")
        ):
            out.append(f"{name}: text differs from {sources[name].name}")
    return out


@pytest.mark.parametrize(
    ("name", "modules"),
    [(addin.ADDIN, ADDIN_MODULES), (addin.TWIN, [*ADDIN_MODULES, "csxlSelfTest"])],
)
def test_olevba_extracts_each_module_equal_to_its_source(built, name, modules):
    assert round_trip_problems(built[name], modules) == []


@pytest.mark.parametrize("name", [addin.ADDIN, addin.TWIN])
def test_olefile_opens_the_project_strictly_and_dir_lists_the_modules(built, name):
    olefile = olefile_module()
    ole = olefile.OleFileIO(io.BytesIO(vba_of(built[name])), raise_defects=olefile.DEFECT_INCORRECT)
    streams = {"/".join(s) for s in ole.listdir()}
    assert {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"} <= streams
    listed = _dir_module_names(decompress(ole.openstream("VBA/dir").read()))
    expected = [p.stem for p in addin.module_files(twin=name == addin.TWIN)]
    assert listed == expected
    assert {f"VBA/{m}" for m in expected} <= streams


def _dir_module_names(data: bytes) -> list[str]:
    """MODULENAME records (id 0x0019) of an uncompressed dir stream."""
    names, pos = [], 0
    while pos + 6 <= len(data):
        record, size = struct.unpack_from("<HI", data, pos)
        if record == 0x0009:  # PROJECTVERSION: its size field says 4, but 6 bytes follow
            size = 6
        if record == 0x0019:
            names.append(data[pos + 6 : pos + 6 + size].decode("ascii"))
        pos += 6 + size
    return names


def test_negative_control_a_renamed_module_stream_fails_the_round_trip(built, tmp_path):
    """The module stream csxlRun renamed inside vbaProject.bin (same length: csxlRuX)."""
    source = built[addin.ADDIN]
    broken = tmp_path / "broken.xlam"
    old, new = "csxlRun".encode("utf-16-le"), "csxlRuX".encode("utf-16-le")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/vbaProject.bin":
                # The directory entry (128-byte entries after the 512-byte header), not the
                # UTF-16 name in PROJECTwm.
                at = [m.start() for m in re.finditer(re.escape(old), data)]
                entry = [i for i in at if (i - 512) % 128 == 0]
                assert len(entry) == 1
                data = data[: entry[0]] + new + data[entry[0] + len(new) :]
            zout.writestr(item, data)
    problems = round_trip_problems(broken, ADDIN_MODULES)
    assert problems, "the round trip must notice a module whose stream is gone"


# ------------------------------------------------------------------ the commands
def test_build_addin_command_writes_both_files(tmp_path):
    result = CliRunner().invoke(main, ["build-addin", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "csxl.xlam").read_bytes() == addin.package(addin.ADDIN)
    assert (tmp_path / "csxl.xlsm").read_bytes() == addin.package(addin.TWIN)


def test_build_refuses_macros_that_fail_the_checks(tmp_path):
    folder = macros_copy(tmp_path)
    ribbon_code = folder / "csxlRibbon.bas"
    ribbon_code.write_text(ribbon_code.read_text().replace("csxl_OnGuide(", "csxl_OnHelp("))
    with pytest.raises(Exception, match="csxl_OnGuide"):
        addin.build_addin(tmp_path / "out", folder)
    assert not (tmp_path / "out").exists()


def test_doctor_reports_versions_program_and_addin_and_exits_0(tmp_path, monkeypatch):
    result = CliRunner().invoke(
        main, ["doctor", "--lang", "en", "--addin", str(addin.FOLDER / addin.ADDIN)]
    )
    assert result.exit_code == 0, result.output
    assert f"csxl version: {__version__}" in result.output
    assert "Python: 3." in result.output and "csxl program:" in result.output
    assert "xlwings:" in result.output
    assert f"{__version__}, matches the csxl version" in result.output
    assert "Trusted Locations" in result.output and "Unblock" in result.output
    monkeypatch.setattr(addin, "__version__", "9.9.9")
    result = CliRunner().invoke(main, ["doctor", "--addin", str(addin.FOLDER / addin.ADDIN)])
    assert result.exit_code == 0 and "不一致" in result.output
    missing = CliRunner().invoke(
        main, ["doctor", "--lang", "en", "--addin", str(tmp_path / "x.xlam")]
    )
    assert missing.exit_code == 0 and "does not exist" in missing.output


def test_result_file_holds_the_output_as_utf8_with_crlf(tmp_path):
    target = tmp_path / "r.txt"
    result = CliRunner().invoke(main, ["doctor", "--result-file", str(target)])
    assert result.exit_code == 0
    data = target.read_bytes()
    assert "csxl 版本".encode() in data and b"\r\n" in data and b"\x1b[" not in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_result_file_holds_errors_and_usage_errors(tmp_path):
    target = tmp_path / "r.txt"
    result = CliRunner().invoke(
        main, ["refresh", str(tmp_path / "none.xlsx"), "--result-file", str(target)]
    )
    assert result.exit_code == 2
    header, message = result_parts(target)
    assert header == {"exit": "2", "made": ""} and message.startswith("csxl: ")
    result = CliRunner().invoke(main, ["refresh", "--bogus", "--result-file", str(target)])
    assert result.exit_code == 2 and "--bogus" in target.read_text("utf-8")
    assert result_parts(target)[0]["exit"] == "2"


def result_parts(path: Path) -> tuple[dict[str, str], str]:
    """The header fields and the message of a result file (as csxlText's ResultField and
    ResultMessage read it)."""
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    head, _, message = text.partition("\n\n")
    fields = dict(line.split("=", 1) for line in head.split("\n"))
    return fields, message.rstrip("\n")


def test_refresh_result_file_is_a_short_summary(tmp_path):
    from tests.plan_fixtures import MONTH, copy_of, pasted_bytes

    plan = copy_of(pasted_bytes(), tmp_path)
    target = tmp_path / "r.txt"
    result = CliRunner().invoke(
        main, ["refresh", str(plan), "--month", MONTH, "--result-file", str(target)]
    )
    assert result.exit_code == 1, result.output  # the demo export has rejected rows
    header, text = result_parts(target)
    assert header == {"exit": "1", "made": str(plan)}
    lines = text.splitlines()
    assert lines[0] == f"已更新 plan.xlsx  月份 {MONTH}"
    assert "读取" in lines[1] and "见“错误”表" in text and "位客服已计分" in text
    assert "━" not in text and "│" not in text  # no table drawing in a message box
    assert len(text) < 1000
