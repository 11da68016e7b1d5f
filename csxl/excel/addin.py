"""The csxl Excel add-in (`csxl.xlam`) and its test twin (`csxl.xlsm`), built from macros/.

`macros/` holds the source of truth as text: VBA modules (`.bas` standard modules, `.cls`
document modules, ASCII only) and the ribbon (`customUI14.xml`, UTF-8). This module turns
them into packages:

- `xl/vbaProject.bin` from `csxl.excel.vba_project` (source only: Excel compiles it on load);
- a workbook with `codeName="ThisWorkbook"` and one small sheet (`codeName="Sheet1"`) that
  names the add-in and its version (read by `csxl doctor` and the Check button);
- `customUI/customUI14.xml`, linked from `_rels/.rels` with the ribbon extensibility type.

The `.xlam` has the add-in content type; the `.xlsm` twin has the macro-enabled workbook
type and also the test module in `macros/twin/` (a Sub that writes cells), which the tests
run in LibreOffice. Builds are deterministic (fixed zip times, no timestamps), so a test can
compare the committed files under `workbooks/` with a fresh build. Rebuild with
`csxl build-addin`.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from csxl import __version__
from csxl.errors import InputError, Location
from csxl.errors import t as tr  # `t` is the doctor's table below

MACROS = Path(__file__).resolve().parents[2] / "macros"
FOLDER = Path(__file__).resolve().parents[2] / "workbooks"
ADDIN = "csxl.xlam"
TWIN = "csxl.xlsm"
PROJECT = "csxl"
RIBBON = "customUI14.xml"
TWIN_FOLDER = "twin"  # modules only the .xlsm twin carries
WORKBOOK_MODULE = "ThisWorkbook"
SHEET_MODULE = "Sheet1"  # the codeName of the add-in's one sheet
SHEET_NAME = "csxl"
VERSION_CELL = "B2"

MAIN_TYPES = {
    ADDIN: "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    TWIN: "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def macros_folder(folder: Path | None = None) -> Path:
    found = Path(folder) if folder is not None else MACROS
    if not (found / RIBBON).is_file():
        raise InputError(
            tr(
                f"{found} 没有含 {RIBBON} 的宏文件夹。",
                f"no macros folder with {RIBBON} at {found}.",
            ),
            hint=tr(
                "请在 csxl 源码的检出目录中运行 csxl build-addin。",
                "Run `csxl build-addin` from a checkout of the csxl sources.",
            ),
        )
    return found


def module_files(folder: Path | None = None, twin: bool = False) -> list[Path]:
    """The module sources, in project order: document modules, then standard modules."""
    root = macros_folder(folder)
    documents = [root / f"{WORKBOOK_MODULE}.cls", root / f"{SHEET_MODULE}.cls"]
    standard = sorted(root.glob("*.bas"), key=lambda p: p.name.lower())
    if twin:
        standard += sorted((root / TWIN_FOLDER).glob("*.bas"), key=lambda p: p.name.lower())
    return [*documents, *standard]


def modules(folder: Path | None = None, twin: bool = False):
    """The VBA modules of the add-in (or of the twin) read from the macros folder."""
    from csxl.excel.vba_project import Module

    out = []
    for path in module_files(folder, twin):
        try:
            code = path.read_bytes().decode("ascii")
        except FileNotFoundError:
            raise InputError(
                tr(f"缺少 {path.name}。", f"{path.name} is missing."), Location(str(path.parent))
            ) from None
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            raise InputError(
                tr(
                    "VBA 源码只能是 ASCII（VBA 不读 UTF-8）。",
                    "VBA sources must be ASCII (VBA does not read UTF-8).",
                ),
                Location(path.name, row=line),
                tr(
                    "中文请写成 \\uXXXX 转义并用 U() 解码，或交给 csxl 处理。",
                    "Write Chinese text as \\uXXXX escapes decoded with U(), or leave it to csxl.",
                ),
            ) from None
        if path.suffix == ".bas":
            kind = "standard"
        else:
            kind = "document" if path.stem in _DOCUMENTS else "class"
        out.append(Module(path.stem, code, kind))
    return out


_DOCUMENTS = (WORKBOOK_MODULE, SHEET_MODULE)


def vba_project(folder: Path | None = None, twin: bool = False) -> bytes:
    from csxl.excel.vba_project import build_vba_project

    return build_vba_project(PROJECT, modules(folder, twin))


def parts(name: str, folder: Path | None = None) -> dict[str, bytes]:
    """Every part of `csxl.xlam` or `csxl.xlsm`, in package order."""
    if name not in MAIN_TYPES:
        raise ValueError(f"unknown add-in file {name!r}")
    root = macros_folder(folder)
    return {
        "[Content_Types].xml": _content_types(MAIN_TYPES[name]).encode(),
        "_rels/.rels": _root_rels().encode(),
        "docProps/app.xml": _app().encode(),
        "docProps/core.xml": _core().encode(),
        "xl/workbook.xml": _workbook().encode(),
        "xl/_rels/workbook.xml.rels": _workbook_rels().encode(),
        "xl/styles.xml": _styles().encode(),
        "xl/worksheets/sheet1.xml": _sheet(__version__).encode(),
        "xl/vbaProject.bin": vba_project(root, twin=name == TWIN),
        "customUI/customUI14.xml": (root / RIBBON).read_bytes(),
    }


def package(name: str, folder: Path | None = None) -> bytes:
    """The zip bytes of one add-in file: the same sources give the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for part, data in parts(name, folder).items():
            info = zipfile.ZipInfo(part, _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()


def build_addin(out_dir: str | Path = FOLDER, folder: Path | None = None) -> tuple[Path, Path]:
    """Write `csxl.xlam` and its `csxl.xlsm` twin into `out_dir`; returns both paths.

    Refuses (nothing written) when the macros fail `problems()`.
    """
    from csxl.workbook.package import write_atomic

    found = problems(folder, twin=True)
    if found:
        raise InputError(
            tr("宏没有通过加载项检查：", "the macros do not pass the add-in checks: ")
            + "; ".join(found[:5])  # the checks' findings name VBA code: said in English
            + tr("。", "."),
            Location(str(macros_folder(folder))),
        )
    out = Path(out_dir)
    written = []
    for name in (ADDIN, TWIN):
        data = package(name, folder)
        target = out / name
        write_atomic(target, data)
        written.append(target)
    return written[0], written[1]


# ------------------------------------------------------------------ checks
_CALLBACK = re.compile(
    r"^[ \t]*(?P<scope>Public[ \t]+|Private[ \t]+)?Sub[ \t]+(?P<name>\w+)[ \t]*"
    r"\([ \t]*(?:ByRef[ \t]+|ByVal[ \t]+)?\w+[ \t]+As[ \t]+IRibbonControl[ \t]*\)",
    re.IGNORECASE | re.MULTILINE,
)
_PROCEDURE = re.compile(
    r"^[ \t]*(?P<scope>Public[ \t]+|Private[ \t]+|Friend[ \t]+)?(?:Static[ \t]+)?"
    r"(?:Sub|Function|Property[ \t]+(?:Get|Let|Set))[ \t]+(?P<name>\w+)",
    re.IGNORECASE | re.MULTILINE,
)
_AUTO_RUN = re.compile(
    r"^[ \t]*(?:Public[ \t]+|Private[ \t]+)?Sub[ \t]+(Workbook_Open|Auto_Open)\b",
    re.IGNORECASE | re.MULTILINE,
)


def ribbon_problems(xml: bytes, modules) -> list[str]:
    """What is wrong with a customUI14 part for these VBA modules (empty when nothing).

    Checks: well-formed XML, the Office 2010 customUI namespace, unique ids, and that
    every onAction names a `Sub X(control As IRibbonControl)` of a standard module that
    other code can call (not Private).
    """
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        return [f"{RIBBON} is not well-formed XML ({exc})"]
    out = []
    if root.tag != f"{{{RIBBON_NS}}}customUI":
        out.append(f"{RIBBON}: the root is {root.tag}, not customUI in {RIBBON_NS}")
    seen: set[str] = set()
    for element in root.iter():
        ident = element.get("id")
        if ident is not None:
            if ident in seen:
                out.append(f"{RIBBON}: id {ident!r} is used twice")
            seen.add(ident)
    callbacks: dict[str, str] = {}
    for module in modules:
        if module.kind != "standard":
            continue
        for found in _CALLBACK.finditer(module.code):
            scope = (found["scope"] or "").strip().lower()
            callbacks[found["name"].lower()] = "private" if scope == "private" else module.name
    for element in root.iter():
        action = element.get("onAction")
        if action is None:
            continue
        name = action.rsplit(".", 1)[-1]
        where = callbacks.get(name.lower())
        if where is None:
            out.append(
                f"{RIBBON}: onAction {action!r} of {element.get('id')!r} names no "
                "Sub X(control As IRibbonControl) in a standard module"
            )
        elif where == "private":
            out.append(f"{RIBBON}: onAction {action!r} names a Private Sub")
    return out


def source_problems(modules) -> list[str]:
    """Rules for the VBA sources: ASCII only, nothing that runs on open, no duplicate
    public names across standard modules (VBA calls them ambiguous), and a Declare only as
    `Declare PtrSafe` inside an `#If VBA7` branch."""
    out = []
    public: dict[str, str] = {}
    for module in modules:
        bad = [n for n, line in enumerate(module.code.splitlines(), 1) if not line.isascii()]
        if bad:
            out.append(f"{module.name}: non-ASCII text on line {bad[0]}")
        if _AUTO_RUN.search(module.code):
            out.append(f"{module.name}: runs code when a workbook opens (Workbook_Open)")
        out += [f"{module.name}: {p}" for p in _declare_problems(module.code)]
        if module.kind != "standard":
            continue
        for found in _PROCEDURE.finditer(module.code):
            if (found["scope"] or "").strip().lower() == "private":
                continue
            key = found["name"].lower()
            if key in public and public[key] != module.name:
                out.append(f"{found['name']} is public in both {public[key]} and {module.name}")
            public.setdefault(key, module.name)
    return out


def _declare_problems(code: str) -> list[str]:
    out = []
    branches: list[bool] = []  # per open #If: is the current branch the VBA7 one?
    for number, raw in enumerate(code.splitlines(), start=1):
        line = raw.split("'", 1)[0].strip()
        words = line.lower().split()
        if not words:
            continue
        if words[0] == "#if":
            branches.append("vba7" in words[1:] and "not" not in words[1:])
        elif words[0] in ("#else", "#elseif") and branches:
            branches[-1] = words[0] == "#elseif" and "vba7" in words[1:]
        elif words[:2] == ["#end", "if"] and branches:
            branches.pop()
        elif "declare" in words[:2]:
            if "ptrsafe" not in words:
                out.append(f"line {number}: Declare without PtrSafe")
            elif not any(branches):
                out.append(f"line {number}: Declare outside an #If VBA7 branch")
    return out


def problems(folder: Path | None = None, twin: bool = True) -> list[str]:
    """Every check of the macros folder (empty when the add-in can be built): the source
    rules, the ribbon, and the static VBA check (`csxl.excel.vba_lint`)."""
    from csxl.excel import vba_lint

    found = modules(folder, twin)
    return (
        source_problems(found)
        + ribbon_problems((macros_folder(folder) / RIBBON).read_bytes(), found)
        + vba_lint.problems(found)
    )


def addin_version(path: str | Path) -> str | None:
    """The csxl version an add-in file was built for (None if it is not a csxl add-in)."""
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    found = re.search(rf'<c r="{VERSION_CELL}"[^>]*><is><t>([^<]*)</t></is></c>', xml)
    return found.group(1) if found else None


# ------------------------------------------------------------------ parts
def _content_types(main: str) -> str:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return (
        _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{sheet}.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )


def _root_rels() -> str:
    base = "http://schemas.openxmlformats.org"
    return (
        _DECL + f'<Relationships xmlns="{_PKG_R}">'
        f'<Relationship Id="rId1" Type="{base}/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{base}/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{base}/officeDocument/2006/relationships/'
        'extended-properties" Target="docProps/app.xml"/>'
        f'<Relationship Id="rId4" Type="{RIBBON_REL}" Target="customUI/customUI14.xml"/>'
        "</Relationships>"
    )


def _app() -> str:
    return (
        _DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Excel</Application>'
        "<DocSecurity>0</DocSecurity></Properties>"
    )


def _core() -> str:
    # The title and description are what Excel's Add-ins dialog shows.
    return (
        _DECL + "<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>csxl 客服计划</dc:title>"
        "<dc:description>"
        + escape(
            f"csxl {__version__}: 客服计划与考核的功能区按钮。"
            "Ribbon buttons for customer-service plans and scoring."
        )
        + "</dc:description><dc:creator>csxl</dc:creator></cp:coreProperties>"
    )


def _workbook() -> str:
    return (
        _DECL + f'<workbook xmlns="{_MAIN}" xmlns:r="{_R}">'
        f'<workbookPr codeName="{WORKBOOK_MODULE}"/>'
        '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="16000" '
        'windowHeight="9000"/></bookViews>'
        f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _workbook_rels() -> str:
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return (
        _DECL + f'<Relationships xmlns="{_PKG_R}">'
        f'<Relationship Id="rId1" Type="{base}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{base}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{VBA_REL}" Target="vbaProject.bin"/>'
        "</Relationships>"
    )


def _styles() -> str:
    return (
        _DECL + f'<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        "</fonts>"
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
        "</borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _sheet(version: str) -> str:
    rows = (
        ("A1", "csxl add-in", "B1", "客服计划 csxl"),
        ("A2", "version", VERSION_CELL, version),
        ("A3", "source", "B3", "macros/ (csxl build-addin)"),
    )
    body = "".join(
        f'<row r="{n}">{_text_cell(a, x)}{_text_cell(b, y)}</row>'
        for n, (a, x, b, y) in enumerate(rows, start=1)
    )
    return (
        _DECL + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_R}">'
        f'<sheetPr codeName="{SHEET_MODULE}"/><dimension ref="A1:B3"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="2" width="32" customWidth="1"/></cols>'
        f"<sheetData>{body}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )


# ------------------------------------------------------------------ csxl doctor
# The one install location (docs/excel.md, and the add-in's search in macros/csxlRun.bas):
# the add-in and the program's folder side by side in the user's own csxl folder.
INSTALL_PATH = "%APPDATA%\\csxl"
INSTALL_HINT_PATH = INSTALL_PATH + "\\csxl"

_DOCTOR = {
    "zh": {
        "csxl": "csxl 版本",
        "python": "Python",
        "program": "csxl 程序",
        "frozen": "（正在运行的就是它）",
        "no_program": "未找到（按钮会改用 Python 的 RunPython；把 csxl 文件夹放在 "
        + INSTALL_HINT_PATH
        + "，即加载项旁）",
        "xlwings": "xlwings",
        "no_xlwings": "未安装（--live 与按钮需要它；csxl 程序已自带）",
        "addin": "加载项",
        "match": "与 csxl 版本一致",
        "mismatch": "是 {found} 版，与 csxl {want} 不一致：请换用同一版本的 csxl.xlam"
        "（在源码中运行 csxl build-addin 可重新生成）",
        "not_addin": "不是 csxl 加载项",
        "missing": "文件不存在",
        "blocked": "被 Windows 标记为来自网络，宏不会运行：右键 > 属性 > 勾选“解除锁定”",
        "hints": (
            "宏只从受信任位置运行（文件 > 选项 > 信任中心 > 受信任位置），"
            "或在点“启用内容”之后运行。",
            "安装：把 csxl.xlam 和 csxl 程序文件夹一起放到 "
            + INSTALL_PATH
            + "（程序为 "
            + INSTALL_HINT_PATH
            + "\\csxl.exe），把该文件夹设为受信任位置，再在 文件 > 选项 > 加载项 > Excel 加载项 > "
            "转到 > 浏览 中选中 csxl.xlam。",
            "从网上或邮件得到的文件要先解除锁定：右键 > 属性 > 解除锁定。",
            "计划工作簿保持 .xlsx，不含宏；宏只在加载项里。",
        ),
    },
    "en": {
        "csxl": "csxl version",
        "python": "Python",
        "program": "csxl program",
        "frozen": "(this is it, running)",
        "no_program": "not found (the buttons fall back to Python's RunPython; put the csxl "
        "folder at " + INSTALL_HINT_PATH + ", beside the add-in)",
        "xlwings": "xlwings",
        "no_xlwings": "not installed (--live and the buttons need it; the csxl program "
        "includes it)",
        "addin": "Add-in",
        "match": "matches the csxl version",
        "mismatch": "is version {found}, not csxl {want}: use the csxl.xlam of the same "
        "version (csxl build-addin rebuilds it from the sources)",
        "not_addin": "is not a csxl add-in",
        "missing": "does not exist",
        "blocked": "is marked by Windows as downloaded, so its macros will not run: "
        "right-click > Properties > tick Unblock",
        "hints": (
            "Macros run only from a trusted location (File > Options > Trust Center > "
            "Trusted Locations) or after Enable Content.",
            "Install: put csxl.xlam and the csxl program folder together in "
            + INSTALL_PATH
            + " (the program is "
            + INSTALL_HINT_PATH
            + "\\csxl.exe), make that folder a trusted location, then pick csxl.xlam under "
            "File > Options > Add-ins > Excel Add-ins > Go > Browse.",
            "A file from the internet or e-mail is blocked until you unblock it: right-click "
            "> Properties > Unblock.",
            "Plan workbooks stay .xlsx without macros; the macros live only in the add-in.",
        ),
    },
}


def installed_addins() -> list[Path]:
    """Where Windows Excel loads add-ins from for this user (the folders that exist)."""
    appdata = os.environ.get("APPDATA")
    if not appdata:
        return []
    base = Path(appdata) / "Microsoft"
    return [
        Path(appdata) / "csxl" / ADDIN,  # INSTALL_PATH
        base / "AddIns" / ADDIN,
        base / "Excel" / "XLSTART" / ADDIN,
    ]


def blocked(path: Path) -> bool:
    """Windows marks downloaded files (Mark of the Web) in a Zone.Identifier stream."""
    if os.name != "nt":
        return False
    try:
        with open(f"{path}:Zone.Identifier", encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return False
    found = re.search(r"ZoneId=(\d+)", text)
    return bool(found and int(found.group(1)) >= 3)


def program() -> str | None:
    """The csxl executable: this process when frozen, else the installed one
    (%APPDATA%\\csxl\\csxl\\csxl.exe), else `csxl` on PATH."""
    if getattr(sys, "frozen", False):
        return sys.executable
    appdata = os.environ.get("APPDATA")
    installed = Path(appdata) / "csxl" / "csxl" / "csxl.exe" if appdata else None
    if installed is not None and installed.is_file():
        return str(installed)
    return shutil.which("csxl")


def diagnose(addin_file: str | Path | None = None, lang: str = "zh") -> list[str]:
    """What `csxl doctor` and the Check button report, one plain line each."""
    import platform
    from importlib import metadata

    t = _DOCTOR[lang]
    lines = [f"{t['csxl']}: {__version__}"]
    lines.append(f"{t['python']}: {platform.python_version()} ({sys.executable})")
    found = program()
    frozen = " " + t["frozen"] if getattr(sys, "frozen", False) else ""
    lines.append(f"{t['program']}: {found + frozen if found else t['no_program']}")
    try:
        lines.append(f"{t['xlwings']}: {metadata.version('xlwings')}")
    except metadata.PackageNotFoundError:
        lines.append(f"{t['xlwings']}: {t['no_xlwings']}")
    candidates: list[Path] = [Path(addin_file)] if addin_file else []
    candidates += [p for p in (FOLDER / ADDIN, *installed_addins()) if p.exists()]
    seen: set[str] = set()
    for path in candidates:
        key = os.path.normcase(str(path.resolve()))
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"{t['addin']}: {path} {_addin_state(path, t)}")
        if path.exists() and blocked(path):
            lines.append(f"{t['addin']}: {path} {t['blocked']}")
    lines += ["", *t["hints"]]
    return lines


def _addin_state(path: Path, t: dict) -> str:
    if not path.exists():
        return t["missing"]
    version = addin_version(path)
    if version is None:
        return t["not_addin"]
    if version == __version__:
        return f"{version}, {t['match']}"
    return t["mismatch"].format(found=version, want=__version__)
