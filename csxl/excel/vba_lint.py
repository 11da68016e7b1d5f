"""A static check of the add-in's VBA, for what LibreOffice (which runs the tests) lets pass.

Excel compiles the add-in when it loads it and would stop on an undeclared variable (with
Option Explicit), an unknown procedure or a misspelt type; LibreOffice Basic runs such code
silently (an undeclared name is an empty Variant), and no Excel runs here. So before a
build:

- every module starts with `Option Explicit`;
- every name a procedure uses is declared: a local (`Dim`, `Static`, `Const`, `ReDim` of a
  declared array, a parameter), a module-level variable or constant (Public ones of any
  standard module, Private ones of its own), a procedure (`Sub`, `Function`, `Property`,
  `Declare`), a label for `GoTo`, or a name VBA or Excel provides (`BUILTINS`);
- every called name is defined (reported as "calls an undefined procedure");
- every `As` type is a VBA type, an Excel/Office type the add-in uses, or `Object`.

It is a small checker for the code csxl writes, not a VBA compiler: a name it does not know
is reported, so a new built-in is added to `BUILTINS` on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KEYWORDS = _words(
    """
    and as byref byval call case close const declare dim do each else elseif empty end enum
    error exit false for friend function get global gosub goto if in is let like loop me mod
    new next not nothing null on open option optional or paramarray preserve private
    property ptrsafe public put redim rem resume return select set static step stop sub then
    to true type until wend while with xor
    """
)
TYPES = _words(
    """
    boolean byte currency date decimal double integer long longlong longptr object single
    string variant iribboncontrol
    """
)
BUILTINS = _words(
    """
    abs array asc ascw cbool cbyte cdate cdbl chr chrw cint clng createobject cstr cvar date
    dir environ err format freefile getobject hex instr instrrev int isarray isdate isempty
    iserror ismissing isnull isnumeric isobject join kill lbound lcase left len lof ltrim mid
    now randomize replace right rnd rtrim space split strcomp strconv string strptr trim
    typename ubound ucase val vartype
    msgbox inputbox debug doevents shell appactivate sendkeys
    vbcrlf vbcr vblf vbtab vbnullstring vbnullchar vbnewline vbbinarycompare vbtextcompare
    vbstring vbinformation vbexclamation vbcritical vbquestion vbyesno vbyes vbno vbokonly
    vbokcancel vbok vbcancel vbdefaultbutton1 vbdefaultbutton2
    application activeworkbook activesheet activecell workbooks worksheets sheets
    thisworkbook selection range cells
    applescripttask mac vba7 win64
    """
)

# Words of an Open statement that are names elsewhere (MS-VBAL 5.4.5.1).
_OPEN_WORDS = re.compile(
    r"\b(?:Binary|Access|Read|Write|Output|Input|Append|Random|Shared|Lock|Len)\b", re.I
)
# Names VBA accepts that LibreOffice Basic, which runs the tests, refuses as a name (the
# whole library then fails to load there): found by trying.
LIBREOFFICE_RESERVED = _words("base")

_STRING = re.compile(r'"(?:[^"]|"")*"')
_NUMBER = re.compile(r"&[Hh][0-9A-Fa-f]+&?|&[Oo][0-7]+&?|\b\d+(?:\.\d+)?(?:[eE][-+]?\d+)?[#!@&%]?")
_NAME = re.compile(r"(?<![\w.])(?P<dot>\.\s*)?(?P<name>[A-Za-z]\w*)\$?")
_PROC = re.compile(
    r"^(?:(?:Public|Private|Friend|Global)\s+)?(?:Static\s+)?"
    r"(?P<kind>Sub|Function|Property\s+(?:Get|Let|Set))\s+(?P<name>\w+)\s*"
    r"(?:\((?P<params>.*)\))?(?:\s+As\s+(?P<type>\w+))?\s*$",
    re.IGNORECASE,
)
_DECLARE = re.compile(
    r"^(?:(?:Public|Private)\s+)?Declare\s+(?:PtrSafe\s+)?(?:Sub|Function)\s+(?P<name>\w+)\s+Lib\b",
    re.IGNORECASE,
)
_DECLARATION = re.compile(
    r"^(?:(?P<scope>Public|Private|Global|Dim|Static)\s+)?(?P<const>Const\s+)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_END_PROC = re.compile(r"^End\s+(?:Sub|Function|Property)\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<name>[A-Za-z]\w*):$")
_AS_TYPE = re.compile(r"\bAs\s+(?:New\s+)?(?P<type>[A-Za-z]\w*)", re.IGNORECASE)


@dataclass
class _Procedure:
    module: str
    name: str
    line: int
    locals: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    body: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Module:
    name: str
    kind: str
    explicit: bool = False
    private: set[str] = field(default_factory=set)
    public: set[str] = field(default_factory=set)
    procedures: list[_Procedure] = field(default_factory=list)
    module_lines: list[tuple[int, str]] = field(default_factory=list)


def logical_lines(code: str) -> list[tuple[int, str]]:
    """(first line number, statement text) with continuations joined, comments and string
    contents removed (a string becomes ""), and `:`-separated statements split."""
    out: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(code.replace("\r\n", "\n").split("\n"), start=1):
        line = _strip_comment(raw)
        if not pending:
            start = number
        if re.search(r"(?:^|\s)_$", line):
            pending += line[:-1] + " "
            continue
        text = (pending + line).strip()
        pending = ""
        if not text:
            continue
        text = _STRING.sub('""', text)
        if _LABEL.match(text):
            out.append((start, text))
            continue
        for part in re.split(r":(?!=)", text):
            if part.strip():
                out.append((start, part.strip()))
    return out


def _strip_comment(line: str) -> str:
    in_string = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_string = not in_string
        elif ch == "'" and not in_string:
            return line[:i].rstrip()
    stripped = line.lstrip()
    if re.match(r"Rem(\s|$)", stripped, re.IGNORECASE):
        return ""
    return line.rstrip()


def _declared_names(rest: str) -> list[tuple[str, str | None]]:
    """Names (and their As types) of `a As String, b() As Byte, c` (after Dim/Const ...)."""
    out = []
    for part in _split_top(rest):
        found = re.match(r"\s*(?:WithEvents\s+)?(\w+)\s*(?:\([^)]*\))?\s*(.*)$", part, re.I)
        if not found:
            continue
        kind = _AS_TYPE.search(found[2])
        out.append((found[1], kind["type"] if kind else None))
    return out


def _split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _parameters(params: str | None) -> list[tuple[str, str | None]]:
    out = []
    for part in _split_top(params or ""):
        words = re.sub(r"\b(?:Optional|ByVal|ByRef|ParamArray)\b", " ", part, flags=re.I)
        words = words.split("=", 1)[0]
        found = re.match(r"\s*(\w+)\s*(?:\(\s*\))?\s*(.*)$", words)
        if found:
            kind = _AS_TYPE.search(found[2])
            out.append((found[1], kind["type"] if kind else None))
    return out


def _parse(name: str, kind: str, code: str) -> tuple[_Module, list[str]]:
    module = _Module(name, kind)
    problems: list[str] = []
    current: _Procedure | None = None
    for number, text in logical_lines(code):
        where = f"{name} line {number}"
        if text.startswith("#") or text.lower().startswith("attribute "):
            continue
        if re.fullmatch(r"Option\s+Explicit", text, re.I):
            module.explicit = True
            continue
        if current is None:
            proc = _PROC.match(text)
            declare = _DECLARE.match(text)
            if proc or declare:
                found = proc or declare
                private = text.lower().startswith("private")
                (module.private if private else module.public).add(found["name"].lower())
                if declare:
                    continue
                current = _Procedure(name, found["name"], number)
                for param, kind_name in _parameters(proc["params"]):
                    current.locals.add(param.lower())
                    problems += _type_problem(kind_name, where) + _name_problem(param, where)
                problems += _type_problem(proc["type"], where)
                module.procedures.append(current)
                continue
            declaration = _DECLARATION.match(text)
            if declaration and (declaration["scope"] or declaration["const"]):
                private = (declaration["scope"] or "dim").lower() in ("private", "dim")
                rest = declaration["rest"]
                if declaration["const"] is None and re.match(r"Const\s", rest, re.I):
                    rest = rest[6:]
                for var, kind_name in _declared_names(rest.split("=", 1)[0]):
                    (module.private if private else module.public).add(var.lower())
                    problems += _type_problem(kind_name, where) + _name_problem(var, where)
                module.module_lines.append((number, rest.split("=", 1)[1] if "=" in rest else ""))
                continue
            if text.lower().startswith("option "):
                continue
            problems.append(f"{where}: a statement outside any procedure: {text[:40]}")
            continue
        if _END_PROC.match(text):
            current = None
            continue
        label = _LABEL.match(text)
        if label:
            current.labels.add(label["name"].lower())
            continue
        found = re.match(r"(?P<kind>Dim|Static|Const)\s+(?P<rest>.*)$", text, re.I)
        if found:
            rest, value = found["rest"], ""
            if found["kind"].lower() == "const":
                rest, _, value = rest.partition("=")
            for var, kind_name in _declared_names(rest):
                current.locals.add(var.lower())
                problems += _type_problem(kind_name, where) + _name_problem(var, where)
            if value:
                current.body.append((number, value))
            continue
        current.body.append((number, text))
    if current is not None:
        problems.append(f"{name}: {current.name} has no End")
    return module, problems


def _name_problem(name: str, where: str) -> list[str]:
    if name.lower() in LIBREOFFICE_RESERVED:
        return [f"{where}: {name} is reserved in LibreOffice Basic (the tests cannot run it)"]
    return []


def _type_problem(kind: str | None, where: str) -> list[str]:
    if kind is None or kind.lower() in TYPES:
        return []
    return [f"{where}: unknown type {kind}"]


def _names(text: str) -> Iterable[tuple[str, bool, bool]]:
    """(name, is a call, is a statement's first word) for each name not after a dot and
    not a named argument (`Title:=`) or a type after `As`."""
    text = _NUMBER.sub(" 0 ", _STRING.sub('""', text))
    if re.match(r"Open\s", text, re.I):
        text = _OPEN_WORDS.sub(" ", text)
    text = re.sub(r"\bAs\s+(?:New\s+)?\w+", " ", text, flags=re.I)
    text = re.sub(r"\b\w+\s*:=", " ", text)
    text = re.sub(r"\b(?:GoTo|GoSub|Resume)\s+\w+", " ", text, flags=re.I)
    first = True
    for found in _NAME.finditer(text):
        if found["dot"]:
            first = False
            continue
        word = found["name"]
        after = text[found.end() :].lstrip()
        statement_start = first
        first = False
        if word.lower() in KEYWORDS:
            first = word.lower() in ("call", "then", "else", "set", "let")
            continue
        call = after.startswith("(") or (statement_start and not after.startswith("="))
        yield word, call, statement_start


def problems(modules: Sequence) -> list[str]:
    """What is wrong with these VBA modules (`csxl.excel.vba_project.Module`s): empty when
    every rule holds."""
    parsed: list[_Module] = []
    out: list[str] = []
    for m in modules:
        module, found = _parse(m.name, m.kind, m.code)
        parsed.append(module)
        out += found
        if not module.explicit:
            out.append(f"{m.name}: no Option Explicit")
    public: set[str] = set()
    for module in parsed:
        if module.kind == "standard":
            public |= module.public
    for module in parsed:
        known_here = public | module.private | module.public
        for proc in module.procedures:
            known = known_here | proc.locals | BUILTINS
            for number, text in proc.body:
                out += _goto_problems(proc, number, text)
                for word, call, _ in _names(text):
                    key = word.lower()
                    if key in known:
                        continue
                    what = "calls an undefined procedure" if call else "uses an undeclared name"
                    out.append(f"{module.name} line {number} ({proc.name}): {what} {word}")
        for number, text in module.module_lines:
            for word, _, _ in _names(text):
                if word.lower() not in known_here | BUILTINS:
                    out.append(f"{module.name} line {number}: uses an undeclared name {word}")
    return out


def _goto_problems(proc: _Procedure, number: int, text: str) -> list[str]:
    found = re.search(r"\b(?:GoTo|Resume)\s+([A-Za-z]\w*)", text, re.I)
    if not found or found[1].lower() in ("next",) or found[1].lower() in proc.labels:
        return []
    return [f"{proc.module} line {number} ({proc.name}): GoTo {found[1]} names no label"]
