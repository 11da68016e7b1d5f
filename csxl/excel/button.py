"""The add-in's RunPython path (Mac, or Windows without the csxl executable): a ribbon
button runs `csxl ARGS` in the Python that xlwings starts, the same command line the csxl
executable gets, and exits with its code."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from csxl.cli import env_lang, main
from csxl.excel import live

SHOW_RESULT_MACRO = "'csxl.xlam'!csxl_ShowResult"  # in macros/csxlRun.bas


def run_button(args: Sequence[str]) -> None:
    """Run `csxl ARGS` for a ribbon button (RunPython) and exit with its code.

    Called by the add-in as `python -c "import csxl.excel.button as B; B.run_button([...])"`
    with the same arguments it gives the csxl executable (verb, --live, the workbook's full
    name, --result-file). On Mac Python runs after the button's macro has returned, so
    the result is shown by calling the add-in's csxl_ShowResult macro.
    """
    args = [whole_text(a) for a in args]
    args += _plan_lang(args)
    code = 0
    try:
        main.main(args=args, prog_name="csxl", standalone_mode=True)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    if sys.platform == "darwin":
        _show_on_mac(args, code)
    sys.exit(code)


def _plan_lang(args: list[str]) -> list[str]:
    """`--lang` of the open plan when nothing else says the run's language: the command
    line's own would read the file on disk, which an unsaved or online workbook has not."""
    given = any(a == "--lang" or a.startswith("--lang=") for a in args)
    if "--live" not in args or given or env_lang() is not None:
        return []
    try:
        book = live.LiveBook.attach(args[args.index("--live") + 1])
    except Exception:  # not open, no Excel: the command refuses it in its own words
        return []
    return ["--lang", book.lang]


def whole_text(text: str) -> str:
    """`text` with UTF-16 surrogate pairs joined: the add-in writes each UTF-16 unit of a
    path as a \\uXXXX escape (PyStr), so a character beyond U+FFFF arrives as two."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _show_on_mac(args: list[str], code: int) -> None:
    if "--result-file" not in args:
        return
    result = args[args.index("--result-file") + 1]
    try:
        if "--live" in args:
            app = live.find_open_book(args[args.index("--live") + 1]).app
        else:
            app = live._xlwings().apps.active
        app.macro(SHOW_RESULT_MACRO)(result, code)
    except Exception:  # the message box is a courtesy; the result file stays
        return
