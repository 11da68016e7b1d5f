"""LibreOffice headless as the formula oracle of the tests (../shared/spec/formulas.md).

One ``soffice`` per test session, with its own port and profile, driven over UNO::

    def test_totals(libreoffice, tmp_path):          # fixture in tests/conftest.py
        result = libreoffice.recalc(path)            # load, calculateAll(), read every sheet
        assert result.value("目标", "B3") == pytest.approx(0.95, rel=1e-9, abs=1e-9)
        assert result.errors() == []

``recalc`` gives what LibreOffice computes, never a judgement of csxl's own file: the
recalculated copy is read and thrown away (LibreOffice rewrites formulas, fonts and panes).

``convert_to_pdf`` renders a workbook (or some of its sheets) to PDF after recalculating,
and ``pdf_to_png`` turns the pages into PNG files with pdftoppm.

When soffice or Python's ``uno`` is missing the tests that need them skip, except under
``CI=true``, where they fail: in CI a missing tool must never pass as a skip.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

UNO_PATHS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program")
INSTALL_HINT = (
    "apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno "
    "fonts-noto-cjk fonts-crosextra-carlito poppler-utils"
)
START_TIMEOUT_S = 60.0

ERROR_NAMES: dict[int, str] = {
    532: "#DIV/0!",
    32767: "#N/A",
    525: "#NAME?",
    519: "#VALUE!",
    524: "#REF!",
    502: "#NUM!",
    503: "#NUM!",
}
"""LibreOffice error codes (``XCell.getError()``) as Excel shows them; others are ``Err:NNN``."""

# Recalculate on load, always: otherwise LibreOffice shows the cached values of an .xlsx.
# Path /org.openoffice.Office.Calc/Formula/Load; 0 = always, 1 = never, 2 = ask.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_FORMULA_RESULT_ERROR = 4  # com.sun.star.sheet.FormulaResult.ERROR


class CellError(str):
    """An error value such as ``#DIV/0!``: equal to its name, but not a plain string."""

    __slots__ = ()


Value = float | str | CellError | None


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test for a missing tool, or fail it when ``CI`` is ``"true"``."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: a missing tool fails, it never skips)", pytrace=False)
    pytest.skip(reason)


def find_soffice() -> str:
    """The soffice executable (``$SOFFICE`` or on PATH); skips or fails when there is none."""
    wanted = os.environ.get("SOFFICE") or "soffice"
    soffice = shutil.which(wanted)
    if not soffice:
        unavailable(f"LibreOffice ({wanted}) is not installed: {INSTALL_HINT}")
    return str(soffice)


def import_uno() -> Any:
    """Import Debian's python3-uno (built for CPython 3.11) into this interpreter.

    Both folders of formulas.md are added to ``sys.path`` for the import; the Debian
    ``dist-packages`` folder is taken out again afterwards, so Debian's other Python packages
    (yaml, six, ...) never shadow or stand in for this environment's.
    """
    if "uno" in sys.modules:
        return sys.modules["uno"]
    added = [p for p in UNO_PATHS if p not in sys.path and Path(p).is_dir()]
    sys.path.extend(added)
    try:
        import uno
    except ImportError as error:
        for p in added:
            sys.path.remove(p)
        unavailable(f"Python module uno is missing ({error}): {INSTALL_HINT}")
    if UNO_PATHS[0] in added:
        sys.path.remove(UNO_PATHS[0])
    return uno


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_profile(folder: Path) -> str:
    """Make a LibreOffice user profile in ``folder`` that always recalculates on load.

    Returns the ``-env:UserInstallation=...`` argument for soffice.
    """
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS, encoding="utf-8")
    return f"-env:UserInstallation={folder.resolve().as_uri()}"


def _address(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def _cell_index(cell: str) -> tuple[int, int]:
    """``"B3"`` -> (row 2, column 1), zero-based; ``$`` signs are ignored."""
    letters, row = coordinate_from_string(cell.replace("$", "").upper())
    return row - 1, column_index_from_string(letters) - 1


@dataclass(frozen=True)
class Recalc:
    """Every used cell of every sheet of a workbook, as LibreOffice computed it.

    Values are numbers (``float``), strings, ``None`` for an empty cell and a ``CellError``
    (``"#DIV/0!"`` ...) for an error. Dates and times come back as Excel serial numbers
    (days since 1899-12-30; ``openpyxl.utils.datetime.from_excel`` turns them into dates),
    and booleans as 1.0 / 0.0. Sheets are read from A1 to the end of their used area.
    """

    path: Path
    sheets: tuple[str, ...]
    _values: dict[str, tuple[tuple[Value, ...], ...]] = field(repr=False)
    _errors: tuple[tuple[str, str, str], ...] = field(repr=False)

    def _rows(self, sheet: str) -> tuple[tuple[Value, ...], ...]:
        if sheet not in self._values:
            raise KeyError(f"no sheet {sheet!r} in {self.path.name}; sheets: {self.sheets}")
        return self._values[sheet]

    def value(self, sheet: str, cell: str) -> Value:
        """The value of one cell (``"B3"``); ``None`` beyond the used area."""
        rows = self._rows(sheet)
        r, c = _cell_index(cell)
        if r < len(rows) and c < len(rows[r]):
            return rows[r][c]
        return None

    def range(self, sheet: str, ref: str) -> list[list[Value]]:
        """The values of a rectangle (``"A1:C3"``), row by row."""
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", "").upper())
        return [
            [self.value(sheet, _address(r, c)) for c in range(min_col - 1, max_col)]
            for r in range(min_row - 1, max_row)
        ]

    def rows(self, sheet: str) -> tuple[tuple[Value, ...], ...]:
        """The used area of a sheet from A1, row by row."""
        return self._rows(sheet)

    def errors(self) -> list[tuple[str, str, str]]:
        """Every formula cell whose result is an error: (sheet, cell, error name)."""
        return list(self._errors)


class LibreOffice:
    """One running headless soffice, reached over a UNO socket. Use ``start()``."""

    def __init__(self, process: subprocess.Popen[bytes], desktop: Any, log: Path) -> None:
        self.process = process
        self._desktop = desktop
        self._log = log

    @classmethod
    @contextlib.contextmanager
    def start(cls, timeout: float = START_TIMEOUT_S) -> Iterator[LibreOffice]:
        """Start soffice with a fresh profile and a free port; stop it when the block ends."""
        soffice = find_soffice()
        uno = import_uno()
        from com.sun.star.connection import NoConnectException

        with tempfile.TemporaryDirectory(prefix="csxl-lo-") as tmp:
            folder = Path(tmp)
            port = _free_port()
            log = folder / "soffice.log"
            command = [
                soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--nodefault",
                "--norestore",
                "--nolockcheck",
                new_profile(folder / "profile"),
                f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
            ]
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: soffice.bin is a child
                )
            office: LibreOffice | None = None
            try:
                local = uno.getComponentContext()
                resolver = local.ServiceManager.createInstanceWithContext(
                    "com.sun.star.bridge.UnoUrlResolver", local
                )
                url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
                deadline = time.monotonic() + timeout
                while True:
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"soffice exited with code {process.returncode} before accepting "
                            f"connections: {_tail(log)}"
                        )
                    try:
                        context = resolver.resolve(url)
                        break
                    except NoConnectException:
                        if time.monotonic() > deadline:
                            raise RuntimeError(
                                f"soffice did not accept connections on port {port} within "
                                f"{timeout:.0f} s: {_tail(log)}"
                            ) from None
                        time.sleep(0.1)
                desktop = context.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", context
                )
                office = cls(process, desktop, log)
                yield office
            finally:
                if office is not None:
                    office._terminate()
                _stop(process, grace=10.0 if office is not None else 0.0)

    def _terminate(self) -> None:
        with contextlib.suppress(Exception):  # the bridge drops while soffice quits
            self._desktop.terminate()

    def _died(self, error: Exception) -> RuntimeError:
        if self.process.poll() is not None:
            return RuntimeError(
                f"soffice died (exit code {self.process.returncode}): {_tail(self._log)}"
            )
        return RuntimeError(f"LibreOffice failed: {error}")

    @contextlib.contextmanager
    def _document(self, path: str | Path, read_only: bool = True) -> Iterator[Any]:
        """Load a workbook hidden, recalculate everything, close it after."""
        uno = import_uno()
        from com.sun.star.beans import PropertyValue

        source = Path(path).resolve()
        if not source.is_file():
            raise FileNotFoundError(source)
        options = []
        for name, value in (("Hidden", True), ("ReadOnly", read_only), ("MacroExecutionMode", 0)):
            option = PropertyValue()
            option.Name, option.Value = name, value
            options.append(option)
        try:
            document = self._desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(str(source)), "_blank", 0, tuple(options)
            )
        except Exception as error:
            raise self._died(error) from error
        if document is None or not hasattr(document, "calculateAll"):
            with contextlib.suppress(Exception):
                document.close(True)
            raise RuntimeError(f"LibreOffice could not open {source} as a spreadsheet")
        try:
            document.calculateAll()
            yield document
        except Exception as error:
            if self.process.poll() is not None:
                raise self._died(error) from error
            raise
        finally:
            with contextlib.suppress(Exception):
                document.close(True)

    def recalc(self, path: str | Path) -> Recalc:
        """Load a workbook, recalculate every formula, and read every sheet's used area."""
        with self._document(path) as document:
            names: list[str] = []
            values: dict[str, tuple[tuple[Value, ...], ...]] = {}
            errors: list[tuple[str, str, str]] = []
            sheets = document.Sheets
            for index in range(sheets.Count):
                sheet = sheets.getByIndex(index)
                name = sheet.Name
                names.append(name)
                sheet_values, sheet_errors = _read_sheet(sheet)
                values[name] = sheet_values
                errors.extend((name, cell, error) for cell, error in sheet_errors)
            return Recalc(Path(path), tuple(names), values, tuple(errors))

    def edit(self, path: str | Path, change: Callable[[Any], None]) -> None:
        """Open a workbook, let `change(document)` edit it through UNO (rename a sheet,
        type a cell), and save it over itself as .xlsx, as a manager's LibreOffice would."""
        uno = import_uno()
        from com.sun.star.beans import PropertyValue

        with self._document(path, read_only=False) as document:
            change(document)
            option = PropertyValue()
            option.Name, option.Value = "FilterName", "Calc MS Excel 2007 XML"
            document.storeToURL(uno.systemPathToFileUrl(str(Path(path).resolve())), (option,))

    def convert_to_pdf(
        self, path: str | Path, out_dir: str | Path, sheets: Sequence[str] | None = None
    ) -> Path:
        """Recalculate a workbook and export it, or only ``sheets``, to ``out_dir/<stem>.pdf``.

        Sheets are printed with their own page setup; the others are hidden and their print
        areas cleared for the export, in a copy (LibreOffice ignores hiding a sheet in a
        read-only document, and exports the print area of a hidden sheet).
        """
        uno = import_uno()
        from com.sun.star.beans import PropertyValue

        _require_cjk_fonts()
        target = Path(out_dir).resolve() / f"{Path(path).stem}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.TemporaryDirectory(prefix="csxl-pdf-") as tmp,
            self._document(shutil.copy(path, tmp), read_only=False) as document,
        ):
            if sheets is not None:
                all_sheets = document.Sheets
                missing = set(sheets) - set(all_sheets.ElementNames)
                if missing:
                    raise KeyError(f"no sheet(s) {sorted(missing)} in {Path(path).name}")
                for name in all_sheets.ElementNames:
                    sheet = all_sheets.getByName(name)
                    sheet.IsVisible = name in sheets
                    if name not in sheets:  # a hidden sheet's print area is exported too
                        sheet.setPrintAreas(())
            option = PropertyValue()
            option.Name, option.Value = "FilterName", "calc_pdf_Export"
            document.storeToURL(uno.systemPathToFileUrl(str(target)), (option,))
        return target


def _read_sheet(sheet: Any) -> tuple[tuple[tuple[Value, ...], ...], list[tuple[str, str]]]:
    """Values of the used area from A1 (two bulk calls) and the error cells of a sheet."""
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.getRangeAddress()
    area = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
    data = area.getDataArray()
    formulas = area.getFormulaArray()
    rows: list[list[Value]] = [
        [None if v == "" and f == "" else v for v, f in zip(data_row, formula_row, strict=True)]
        for data_row, formula_row in zip(data, formulas, strict=True)
    ]
    errors: list[tuple[str, str]] = []
    error_ranges = sheet.queryFormulaCells(_FORMULA_RESULT_ERROR)
    for address in error_ranges.getRangeAddresses():
        for r in range(address.StartRow, address.EndRow + 1):
            for c in range(address.StartColumn, address.EndColumn + 1):
                code = sheet.getCellByPosition(c, r).getError()
                name = CellError(ERROR_NAMES.get(code, f"Err:{code}"))
                rows[r][c] = name
                errors.append((_address(r, c), name))
    # Trailing empty cells of the used area stay; rows are tuples for immutability.
    return tuple(tuple(row) for row in rows), errors


def _tail(log: Path, lines: int = 20) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def _stop(process: subprocess.Popen[bytes], grace: float) -> None:
    """End the soffice we started: its own process group, politely and then for sure."""
    for sig, wait in ((None, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        if sig is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        # oosplash has exited; make sure its soffice.bin child is gone too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return


def _require_cjk_fonts() -> None:
    """Chinese text renders as empty boxes without a CJK font: skip or fail before that."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return
    found = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    if not found.stdout.strip():
        unavailable(f"no Chinese font for rendering (fonts-noto-cjk): {INSTALL_HINT}")


def require_calibri_metrics() -> None:
    """Page counts need Excel's column widths: a width unit is a digit of Calibri, the
    Normal font. Without Calibri or Carlito (its metric twin) LibreOffice draws columns a
    quarter wider than Excel does. Skip or fail before measuring pages."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return
    found = subprocess.run([fc_match, "Calibri"], capture_output=True, text=True, check=False)
    if not re.search(r"carlito|calibri", found.stdout, re.I):
        unavailable(f"no Calibri or Carlito font for Excel's column widths: {INSTALL_HINT}")


def pdf_pages(pdf: str | Path) -> int:
    """The page count of a PDF (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def convert_to_pdf(path: str | Path, out_dir: str | Path, timeout: float = 120.0) -> Path:
    """Render a workbook to ``out_dir/<stem>.pdf`` with a one-shot ``soffice --convert-to``.

    For scripts outside a test session (a session should use ``LibreOffice.convert_to_pdf``,
    which is faster). The throw-away profile recalculates on load, so cached values written
    by csxl are never what the PDF shows.
    """
    soffice = find_soffice()
    _require_cjk_fonts()
    source = Path(path).resolve()
    target_dir = Path(out_dir).resolve()
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="csxl-lo-") as tmp:
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            new_profile(Path(tmp) / "profile"),
            "--convert-to",
            "pdf:calc_pdf_Export",
            "--outdir",
            str(target_dir),
            str(source),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    target = target_dir / f"{source.stem}.pdf"
    if done.returncode != 0 or not target.is_file():
        raise RuntimeError(
            f"soffice --convert-to failed ({done.returncode}): {done.stdout}{done.stderr}"
        )
    return target


def pdf_to_png(pdf: str | Path, out_prefix: str | Path, dpi: int = 110) -> list[Path]:
    """Turn each page of a PDF into ``<out_prefix>-<n>.png`` with pdftoppm; the files, in order."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        unavailable(f"pdftoppm (poppler-utils) is not installed: {INSTALL_HINT}")
    prefix = Path(out_prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(pdftoppm), "-png", "-r", str(dpi), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    page = re.compile(re.escape(prefix.name) + r"-(\d+)\.png")
    found = [(m, p) for p in prefix.parent.iterdir() if (m := page.fullmatch(p.name))]
    return [p for m, p in sorted(found, key=lambda mp: int(mp[0].group(1)))]
