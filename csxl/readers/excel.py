"""Read a ticket sheet from .xlsx/.xlsm with fastexcel (calamine into Arrow).

One pass over the sheet: calamine parses the whole sheet even to return its first rows, so
the sheet is loaded once, every cell as text, from its first row (leading blank rows kept, so
that row i of the table is sheet row i + 1); the header is found in the first rows of that
table and the mapped columns below it are the data. Text for every cell means no sampled
types: a late odd value in a column of numbers or dates is seen, never silently nulled.

Before loading, `limits.check_sheet` measures the sheet (a stray far cell or a sheet that
reaches Excel's last row is refused). A sheet part of up to `limits.SCAN_BYTES` is read with
its error cells (#N/A, #DIV/0! ...), which come through as their Excel text so that the row
is rejected; a larger sheet is read in one eager pass, where an error cell reads as empty.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from csxl.domain.synonyms import Synonyms
from csxl.errors import InputError, Location, t
from csxl.readers import limits
from csxl.readers.header import SCAN_ROWS, find_header, settle
from csxl.readers.table import RawTable


def read_excel(
    path: Path, synonyms: Synonyms, sheet: str | None = None, prefer: Sequence[str] = ()
) -> RawTable:
    """The table of `sheet`; without one, of the first sheet with a header, the sheets named
    in `prefer` first (a plan's paste sheet of this kind: `csxl.workbook.layout`)."""
    import fastexcel

    where = Location(file=path.name)
    early = _Prefetch.take(path, sheet)
    try:
        reader = early.reader if early is not None else _Opened.reader(path, fastexcel)
    except Exception as exc:  # fastexcel raises its own error types for damaged files
        raise InputError(
            t(f"无法打开工作簿（{_reason(exc)}）。", f"cannot open the workbook ({_reason(exc)})."),
            where,
            t(
                "请重新导出，或在 Excel 中打开并另存一份 .xlsx。",
                "Export it again, or open it in Excel and save a copy as .xlsx.",
            ),
        ) from None
    names = reader.sheet_names
    candidates = _candidate_sheets(names, sheet, where, prefer)
    problems: list[InputError] = []
    for name in candidates:
        sheet_where = Location(path.name, name)
        extent = limits.check_sheet(path, name, sheet_where)
        small = extent is not None and extent.small
        if early is not None and early.small == small:
            cells, errors = early.cells
        else:
            cells, errors = _load_importing(reader, name, sheet_where, small)
        if cells is not None and cells.num_rows >= limits.EXCEL_ROWS:
            limits.refuse_full(sheet_where)
        try:
            index, match = find_header(_head(cells), synonyms, sheet_where)
        except InputError as exc:
            problems.append(exc)
            continue
        below = cells.slice(index + 1)
        match = settle(
            match,
            lambda pos, below=below: filled(below.column(pos)),
            sheet_where,
            index + 1,
            _letters(reader, name),
            synonyms.schema.labels,
            synonyms.schema.ranked,
        )
        table = _below(cells, index, match, path, name, errors)
        _date_cells_as_numbers(reader, name, table, synonyms.schema.columns)
        return table
    raise problems[0]


def prefetch(path: Path, sheet: str) -> None:
    """Start loading `sheet` of the workbook at `path` in a worker thread, for the next
    `read_excel(path, ..., sheet)`: calamine parses without the GIL, so whatever the caller
    does meanwhile (importing the refresh engine, reading the plan's own sheets) takes no
    time of its own. Nothing is started for a sheet `limits.check_sheet` refuses (the read
    refuses it again, with its message), and a result is used only if the file has not
    changed since (size and modification time)."""
    try:
        small = limits.check_sheet(path, sheet, Location(path.name, sheet))
    except InputError:
        return
    _WAITING[(os.path.abspath(path), sheet)] = _Prefetch(
        path, sheet, small is not None and small.small
    )


def _stamp(path: Path) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns


class _Prefetch:
    """A sheet loading in a worker thread (`prefetch`), taken by the next read of it."""

    def __init__(self, path: Path, sheet: str, small: bool) -> None:
        import threading

        import fastexcel

        self.small = small
        self.stamp = _stamp(path)
        self.reader = None
        self.cells: tuple[object, Errors] | None = None
        # Not a daemon: the interpreter waits for it at exit rather than stopping it inside
        # calamine's code (which it cannot do safely).
        self._thread = threading.Thread(
            target=self._work, args=(fastexcel, path, sheet), name="csxl-prefetch"
        )
        self._thread.start()

    def _work(self, fastexcel, path: Path, sheet: str) -> None:
        try:
            reader = fastexcel.read_excel(str(path))
            self.cells = _load(reader, sheet, Location(path.name, sheet), self.small)
            self.reader = reader
        except BaseException:  # the read does it again, and reports what went wrong
            self.reader, self.cells = None, None

    @classmethod
    def take(cls, path: Path, sheet: str | None) -> _Prefetch | None:
        """The finished prefetch of this sheet of this unchanged file, if one was started."""
        if sheet is None or not _WAITING:
            return None
        found = _WAITING.pop((os.path.abspath(path), sheet), None)
        if found is None:
            return None
        found._thread.join()
        try:
            same = found.stamp == _stamp(path)
        except OSError:
            same = False
        if not (same and found.reader is not None and found.cells is not None):
            return None
        _Opened.keep(path, found.stamp, found.reader)
        return found


_WAITING: dict[tuple[str, str], _Prefetch] = {}  # (absolute path, sheet) -> its prefetch


class _Opened:
    """The reader of the last prefetched workbook, for its other sheets (a plan's Orders and
    Call records after its Data): opening the file again parses its shared strings again,
    about 0.06 s each at 200,000 Data rows. Used only while the file is unchanged."""

    _last: tuple[str, tuple[int, int], object] | None = None

    @classmethod
    def keep(cls, path: Path, stamp: tuple[int, int], reader) -> None:
        cls._last = (os.path.abspath(path), stamp, reader)

    @classmethod
    def reader(cls, path: Path, fastexcel):
        last = cls._last
        if last is not None and last[0] == os.path.abspath(path):
            try:
                if last[1] == _stamp(path):
                    return last[2]
            except OSError:
                pass
            cls._last = None
        return fastexcel.read_excel(str(path))


def sheet_names(path: Path) -> list[str]:
    """The sheet names of an .xlsx/.xlsm from its workbook part alone (no cells read)."""
    import html
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/workbook.xml").decode("utf-8", errors="replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return []
    return [html.unescape(m) for m in re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', xml)]


def _candidate_sheets(
    names: Sequence[str],
    wanted: str | None,
    where: Location,
    preferred: Sequence[str],
) -> list[str]:
    if wanted is not None:
        if wanted not in names:
            raise InputError(
                t(
                    f"没有名为 {wanted!r} 的工作表；现有：{'、'.join(names)}。",
                    f"no sheet named {wanted!r}; it has {', '.join(names)}.",
                ),
                where,
            )
        return [wanted]
    if not names:
        raise InputError(t("工作簿中没有工作表。", "the workbook has no sheets."), where)
    data = [n for n in names if n in preferred]
    return data or list(names)


# calamine's names of Excel's error values (CellError.detail: "... got 'Error(Div0)'").
EXCEL_ERRORS = {
    "NA": "#N/A",
    "Div0": "#DIV/0!",
    "Value": "#VALUE!",
    "Ref": "#REF!",
    "Name": "#NAME?",
    "Num": "#NUM!",
    "Null": "#NULL!",
    "GettingData": "#GETTING_DATA",
}
_ERROR_NAME = re.compile(r"Error\((\w+)\)")

Errors = list[tuple[int, int, str]]  # (table row, table column, Excel's error text)


def _load(reader, name: str, where: Location, with_errors: bool):
    """The whole sheet as text (a pyarrow RecordBatch): row i is sheet row i + 1, and its
    error cells (with_errors; else none).

    header_row=None with skip_rows=0 keeps leading blank rows, so positions are sheet rows;
    columns start at the sheet's first used column (the same for the header and the data).
    """
    options = {"header_row": None, "skip_rows": 0, "dtypes": "string"}
    errors: Errors = []
    try:
        if not with_errors:
            return reader.load_sheet(name, eager=True, **options), errors
        batch, found = reader.load_sheet(name, eager=False, **options).to_arrow_with_errors()
    except Exception as exc:
        if "empty" in str(exc).lower():
            return None, errors
        raise InputError(
            t(f"无法读取工作表（{_reason(exc)}）。", f"cannot read the sheet ({_reason(exc)})."),
            where,
        ) from None
    for e in found.errors if found is not None else ():
        m = _ERROR_NAME.search(e.detail)
        if m:
            errors.append((e.position[0], e.position[1], EXCEL_ERRORS.get(m[1], f"#{m[1]}")))
    return batch, errors


def _load_importing(reader, name: str, where: Location, with_errors: bool):
    """`_load` in a worker thread while this one imports pandas, when it is not imported yet.

    calamine parses the sheet without holding the GIL, so pandas' import (0.3 to 0.5 s, most
    of `csxl kpi`'s start-up) is done by the time the cells are, on the other core."""
    import sys

    if "pandas" in sys.modules:
        return _load(reader, name, where, with_errors)
    import threading

    done: dict[str, object] = {}

    def work() -> None:
        try:
            done["result"] = _load(reader, name, where, with_errors)
        except BaseException as exc:  # raised again in the calling thread
            done["error"] = exc

    worker = threading.Thread(target=work, name="csxl-read-sheet")  # not a daemon: _Prefetch
    worker.start()
    import pandas  # noqa: F401  (what the rest of the read, and its callers, use)

    worker.join()
    if "error" in done:
        raise done["error"]
    return done["result"]


def _head(cells) -> list[list[object]]:
    if cells is None or cells.num_columns == 0:
        return []
    top = cells.slice(0, SCAN_ROWS)
    columns = [top.column(i).to_pylist() for i in range(top.num_columns)]
    return [list(row) for row in zip(*columns, strict=True)]


def _below(cells, index: int, match, path: Path, name: str, errors: Errors = ()) -> RawTable:
    import pandas as pd
    import pyarrow as pa

    positions = sorted((pos, col) for col, pos in match.columns.items())
    data = cells.slice(index + 1)
    table = pa.table([data.column(pos) for pos, _ in positions], names=[c for _, c in positions])
    frame = table.to_pandas()
    # Sheet row as the user sees it: the header's row (index + 1) plus the data offset.
    frame.index = pd.RangeIndex(index + 2, index + 2 + len(frame))
    mapped = dict(positions)
    for row, pos, text in errors:
        if row > index and pos in mapped:
            frame.at[row + 1, mapped[pos]] = text
    return RawTable(path.name, name, index + 1, match, frame)


def filled(column) -> bool:
    """Whether an Arrow text column holds a value that is not blank.

    Most columns show it in their first values; only a column that is all nulls or blank
    text up to its end costs a full pass."""
    import pyarrow.compute as pc

    if column.null_count == len(column):
        return False
    values = column.drop_null()
    for start in (0, 256):
        part = values.slice(start) if start else values.slice(0, 256)
        if len(part) and pc.max(pc.utf8_length(pc.utf8_trim_whitespace(part))).as_py():
            return True
    return False


def _letters(reader, name: str):
    """Header position -> the column letter the user sees, asked of the sheet only when a
    message needs it (the loaded table starts at the sheet's first used column)."""

    def letter(pos: int) -> str:
        try:
            first = _first_column(reader, name)
        except Exception:  # the message still names the header; the letter is a courtesy
            first = 0
        return limits.column_letters(first + pos + 1)

    return letter


def _first_column(reader, name: str) -> int:
    """The sheet's first used column (0 = A): where the loaded table's position 0 is."""
    info = reader.load_sheet(name, header_row=None, n_rows=1, dtypes="string")
    return info.available_columns()[0].absolute_index


# calamine's text for a cell holding a date (the only form it writes).
_CALAMINE_DATE = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$"


def _date_cells_as_numbers(reader, name: str, table: RawTable, kinds) -> None:
    """Number columns (counts, durations, scores, amounts) whose cells Excel formats as
    dates: their serial numbers, as Excel holds them.

    A paste of values keeps the target cells' formats, so 重开次数 0 pasted under a date
    heading is the number 0 shown as 1900-01-00, and calamine reads it as a date. Its
    serial is read again from the sheet (duration cells are exact where the date text is
    not: 59 and 60 both read as 1900-02-28). Text that only looks like a date stays text,
    and is rejected as before.
    """
    import pyarrow.compute as pc

    from csxl.domain.columns import NUMBER_KINDS

    frame = table.frame
    wanted = {}
    for column, pos in table.match.columns.items():
        if kinds.get(column) not in NUMBER_KINDS or column not in frame:
            continue
        values = _arrow_text(frame[column])
        looks = pc.fill_null(pc.match_substring_regex(values, _CALAMINE_DATE), False)
        if pc.any(looks).as_py():
            wanted[column] = (pos, looks.to_numpy(zero_copy_only=False))
    if not wanted:
        return
    try:
        first = _first_column(reader, name)
        use = sorted({first + pos for pos, _ in wanted.values()})
        sheet = reader.load_sheet(
            name,
            header_row=None,
            skip_rows=0,
            use_columns=use,
            dtypes=dict.fromkeys(use, "duration"),
        ).to_arrow()
    except Exception:  # keep the text: the rows are rejected with the cell named
        return
    top = table.header_row  # sheet row of the header = table row index of the first data row
    for column, (pos, looks) in wanted.items():
        days = sheet.column(use.index(first + pos)).slice(top, len(frame))
        serial = [None if d is None else repr(d.total_seconds() / 86400) for d in days.to_pylist()]
        values = frame[column].to_numpy(dtype=object).copy()
        for i in looks.nonzero()[0]:
            if i < len(serial) and serial[i] is not None:
                values[i] = _plain(serial[i])
        frame[column] = values


def _arrow_text(series):
    """A text column as Arrow: the Arrow array behind it (no copy), else converted."""
    import pyarrow as pa

    behind = getattr(series.array, "_pa_array", None)
    kind = getattr(behind, "type", None)
    if kind is not None and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return behind
    return pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)


def _plain(text: str) -> str:
    """`3.0` -> `3`: the serial as Excel would show the number."""
    return text[:-2] if text.endswith(".0") else text


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
