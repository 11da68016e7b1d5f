"""What the add-in's VBA does to a command, in Python, and what Windows and a Mac shell do
with it: so a test can run each button's command through the real csxl command line.

The helpers mirror macros/csxlText.bas and xlwings.bas (QuoteArg, CommandLine,
WithResultFile, EscapePercent, PyStr, PyList, ShQuote, csxl_MacParameters,
csxl_PlainName); test_addin_libreoffice.py runs the VBA originals in LibreOffice on the
same samples and compares. Windows' side is `expand_environment_strings` (what
WScript.Shell.Run does to its command) and `command_line_args` (CommandLineToArgvW, as a
program reads its arguments); the Mac side is the shell command xlwings' AppleScript
handler builds from the parameters, run by /bin/sh.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from csxl.excel.vba_lint import _strip_comment
from tests.excel.test_addin_libreoffice import command_line_args

PERCENT_VAR = "CSXL_PCT"
PY_PLAIN = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ._-:/,+=@")


def quote_arg(s: str) -> str:
    out, slashes = ['"'], 0
    for c in s:
        if c == "\\":
            slashes += 1
        elif c == '"':
            out.append("\\" * (slashes * 2 + 1) + '"')
            slashes = 0
        else:
            out.append("\\" * slashes + c)
            slashes = 0
    return "".join(out) + "\\" * (slashes * 2) + '"'


def command_line(program: str, args: Sequence[str]) -> str:
    return " ".join([quote_arg(program), *(quote_arg(a) for a in args)])


def with_result_file(args: Sequence[str], result_file: str) -> list[str]:
    return [*args, "--result-file", result_file]


def escape_percent(command: str) -> str:
    return command.replace("%", f"%{PERCENT_VAR}%")


def utf16_units(s: str) -> list[int]:
    data = s.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def py_str(s: str) -> str:
    out = []
    for unit in utf16_units(s):
        c = chr(unit)
        out.append(c if c in PY_PLAIN else f"\\u{unit:04X}")
    return "'" + "".join(out) + "'"


def py_list(args: Sequence[str]) -> str:
    return "[" + ", ".join(py_str(a) for a in args) + "]"


def sh_quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def plain_name(s: str) -> str:
    return "".join("_" if c in "'\"$`\\|;%!&<>()*?[]{}~#\r\n\t" else c for c in s)


def mac_parameters(command: str, interpreter: str, book: str, app: str, log: str) -> str:
    return f";;;;;|{sh_quote(interpreter)}|{command}|{plain_name(book)}|{app}|{log}"


def run_button_command(args: Sequence[str]) -> str:
    """The Python command csxl_Run gives RunPython."""
    return f"import csxl.excel.button as B; B.run_button({py_list(args)})"


# ------------------------------------------------------------------ Windows
def expand_environment_strings(text: str, env: Mapping[str, str]) -> str:
    """ExpandEnvironmentStrings: each %NAME% of a set variable is replaced, in one pass;
    a %NAME% that is not set stays as it is."""
    upper = {k.upper(): v for k, v in env.items()}
    out, i = [], 0
    while i < len(text):
        if text[i] == "%":
            end = text.find("%", i + 1)
            if end > i + 1 and text[i + 1 : end].upper() in upper:
                out.append(upper[text[i + 1 : end].upper()])
                i = end + 1
                continue
            if end > i:
                out.append(text[i:end])
                i = end
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def wsh_run_argv(command: str, env: Mapping[str, str]) -> list[str]:
    """What the started program reads as its argv, for WScript.Shell.Run(command): the
    environment expanded, then split by the Windows rules."""
    return command_line_args(expand_environment_strings(command, env))


# ------------------------------------------------------------------ Mac
def xlwings_shell_command(parameters: str) -> str:
    """The shell command of VbaHandler in xlwings' AppleScript (xlwings runpython install),
    from the one parameter the add-in passes: PYTHONPATH|interpreter|command|workbook|
    application|log."""
    pythonpath, interpreter, command, book, app, log = parameters.split("|")
    return (
        f'{interpreter} -B -u -W ignore -c "import sys, os;sys.path.extend('
        f"os.path.normcase(os.path.expandvars('{pythonpath}')).split(';'));{command} \" "
        f'"--wb={book}" "--from_xl=1" "--app={app}" > /dev/null 2>"{log}"'
    )


# ------------------------------------------------------------------ the VBA's buttons
CALL = re.compile(r"\bcsxl_Run(?:AndOpen)?\s+Array\((?P<args>.*)\)\s*$")
ON_ACTIVE = re.compile(r'\bcsxl_RunOnActive\s+"(?P<verb>\w+)"')


def logical_lines(code: str) -> list[str]:
    return re.sub(r" _\n\s*", " ", code.replace("\r\n", "\n")).split("\n")


def split_args(text: str) -> list[str]:
    """The expressions of an Array(...) argument list (commas outside parentheses/quotes)."""
    parts, depth, current, quoted = [], 0, [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return parts


def button_calls(modules: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """(procedure, argument expressions) of every `csxl_Run Array(...)` in the modules."""
    out = []
    for code in modules.values():
        procedure = None
        for line in logical_lines(code):
            head = re.match(r"\s*(?:Public |Private )?(?:Sub|Function) (\w+)", line)
            if head:
                procedure = head[1]
            found = CALL.search(_strip_comment(line))
            if found and procedure:
                out.append((procedure, split_args(found["args"])))
    return out


def on_active_verbs(modules: Mapping[str, str]) -> list[tuple[str, str]]:
    """(procedure, verb) of every `csxl_RunOnActive "verb"`."""
    out = []
    for code in modules.values():
        procedure = None
        for line in logical_lines(code):
            head = re.match(r"\s*(?:Public |Private )?(?:Sub|Function) (\w+)", line)
            if head:
                procedure = head[1]
            for found in ON_ACTIVE.finditer(line):
                out.append((procedure, found["verb"]))
    return out


def evaluate(expression: str, bindings: Mapping[str, str]) -> str:
    """A string literal's text, or the value a test bound to the expression."""
    if re.fullmatch(r'"(?:[^"]|"")*"', expression):
        return expression[1:-1].replace('""', '"')
    if expression not in bindings:
        raise KeyError(f"no test value for the VBA expression {expression!r}")
    return bindings[expression]
