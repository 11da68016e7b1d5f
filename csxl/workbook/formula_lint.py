"""Lint workbook formulas against what Excel 2016+ and LibreOffice both compute.

The rules are those of ../shared/spec/formulas.md: only the functions in ``ALLOWED``, each
written with the ``_xlfn.`` prefix exactly when its name is not in ``openpyxl.utils.FORMULAE``,
TEXT() with numeric format codes only, no volatile function except ``=TODAY()`` as the default
of the one as-of date cell, and no plain ``IF(range=...)`` outside an array formula.

Formulas are split with openpyxl's tokenizer, so string literals (``"XLOOKUP("``), quoted sheet
names (``'目标'!A1``) and structured references (``T[[#This Row],[收入(元)]]``) are never
mistaken for function calls.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils import FORMULAE
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

_PREFIX = "_xlfn."

# Written form: "_xlfn." exactly when openpyxl does not know the name (formulas.md).
_ALLOWED_NAMES: tuple[str, ...] = (
    # Aggregation
    "SUM",
    "SUMIF",
    "SUMIFS",
    "SUMPRODUCT",
    "COUNT",
    "COUNTA",
    "COUNTIF",
    "COUNTIFS",
    "AVERAGE",
    "AVERAGEIF",
    "AVERAGEIFS",
    "MIN",
    "MAX",
    "ROUND",
    "ROUNDUP",
    "ROUNDDOWN",
    "INT",
    "MOD",
    "ABS",
    # Logic
    "IF",
    "IFERROR",
    "IFNA",
    "AND",
    "OR",
    "NOT",
    "ISBLANK",
    "ISNUMBER",
    "ISERROR",
    # Lookup
    "INDEX",
    "MATCH",
    "VLOOKUP",
    "HLOOKUP",
    "ROWS",
    "COLUMNS",
    # Text
    "CONCATENATE",
    "LEN",
    "LEFT",
    "RIGHT",
    "MID",
    "TEXT",
    # Dates
    "DATE",
    "YEAR",
    "MONTH",
    "DAY",
    "EDATE",
    "EOMONTH",
    "NETWORKDAYS",
    "WORKDAY",
    "NETWORKDAYS.INTL",
    "WORKDAY.INTL",
    "WEEKDAY",
    "WEEKNUM",
    "DATEDIF",
    "ISOWEEKNUM",
    "DAYS",
    # Statistics
    "MEDIAN",
    "PERCENTILE",
    "PERCENTILE.INC",
    "QUARTILE",
    "QUARTILE.INC",
    "STDEV.S",
    "RANK",
    "RANK.EQ",
)


def written_name(name: str) -> str:
    """How a function name must be written in a file: ``DAYS`` -> ``_xlfn.DAYS``."""
    bare = name.upper()
    return bare if bare in FORMULAE else _PREFIX + bare


ALLOWED: frozenset[str] = frozenset(written_name(n) for n in _ALLOWED_NAMES)
"""The functions a csxl formula may call, in their written form (``_xlfn.IFNA``, ``SUM``)."""

_ALLOWED_BARE = frozenset(n.upper() for n in _ALLOWED_NAMES)

VOLATILE: frozenset[str] = frozenset({"TODAY", "NOW", "RAND", "RANDBETWEEN", "OFFSET", "INDIRECT"})

_WHY_NOT: dict[str, str] = {
    **dict.fromkeys(
        ("XLOOKUP", "XMATCH", "LET", "LAMBDA", "FILTER", "UNIQUE", "SORT", "SORTBY", "SEQUENCE"),
        "missing in Excel 2016/2019 and LibreOffice 7.4",
    ),
    **dict.fromkeys(
        ("IFS", "SWITCH", "MAXIFS", "MINIFS", "CONCAT", "TEXTJOIN"),
        "missing in Excel 2016 perpetual",
    ),
    **dict.fromkeys(VOLATILE, "refer to the as-of date cell instead (only it may be =TODAY())"),
}

# Format codes TEXT() must not use: month/day names, locale tags, Chinese numerals.
_TEXT_NON_NUMERIC = re.compile(r"m{3,}|d{3,}|a{3,}|\[\$-|\[dbnum", re.IGNORECASE)
# Parts of a format code that are shown as they are: "quoted" text and \x escapes.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.')
# A reference to a single cell of a table: T[@Col], T[[#This Row],[Col]], T[[#Headers],...].
_TABLE_ONE_ROW = re.compile(r"@|#this row|#headers|#totals", re.IGNORECASE)


def _tokens(formula: str) -> list[Token]:
    text = formula.strip()
    if not text.startswith("="):
        text = "=" + text
    return Tokenizer(text).items


def _unquote(literal: str) -> str:
    """The text of a formula string literal: ``"a""b"`` -> ``a"b``."""
    return literal[1:-1].replace('""', '"')


def _is_range(operand: str) -> bool:
    """Whether a RANGE operand names more than one cell (``A1:A9``, ``T[Col]``)."""
    if "[" in operand:
        return not _TABLE_ONE_ROW.search(operand)
    return ":" in operand.split("!")[-1]


def _function_problems(name: str, allow_today: bool = False) -> list[str]:
    """Problems with one called function, as written (``_xlfn.IFNA``)."""
    bare = name
    prefixed = False
    for prefix in ("_xlfn.", "_xlws.", "_xludf."):
        if bare.lower().startswith(prefix):
            prefixed = prefixed or prefix == _PREFIX
            bare = bare[len(prefix) :]
    upper = bare.upper()
    if upper == "TODAY" and allow_today and bare == upper:
        return []
    if upper in VOLATILE:
        return [f"{upper}() is volatile: {_WHY_NOT[upper]}"]
    if upper not in _ALLOWED_BARE:
        why = _WHY_NOT.get(upper, "not in the allowed list of formulas.md")
        return [f"{upper}() is not allowed: {why}"]
    problems = []
    if bare != upper:
        problems.append(f"write function names in upper case: {name}")
    expected = written_name(upper)
    if expected.startswith(_PREFIX) and not prefixed:
        problems.append(f"missing _xlfn. prefix: write {expected}")
    elif prefixed and not expected.startswith(_PREFIX):
        problems.append(f"superfluous _xlfn. prefix: write {expected}")
    return problems


def _call_problems(tokens: list[Token], array: bool) -> Iterator[str]:
    """Problems that need a call's arguments: TEXT() format codes and IF(range=...)."""
    # Per open call: [function name, argument index, direct range operand in argument 0]
    stack: list[list] = []
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            stack.append([token.value[:-1].upper().removeprefix(_PREFIX.upper()), 0, False])
        elif token.type == Token.PAREN and token.subtype == Token.OPEN:
            stack.append(["", 0, False])  # grouping: inherits nothing, checked below
        elif token.type in (Token.FUNC, Token.PAREN) and token.subtype == Token.CLOSE:
            if not stack:
                continue
            name, _, ranged = stack.pop()
            if name == "IF" and ranged and not array:
                yield (
                    "IF() over a range outside an array formula: implicit intersection in "
                    "Excel 2016/2019 and LibreOffice; use SUMPRODUCT/SUMIFS/COUNTIFS"
                )
            if name == "" and ranged and stack and stack[-1][1] == 0:
                stack[-1][2] = True  # (A1:A9="x") directly inside IF's condition
        elif token.type == Token.SEP and token.subtype == Token.ARG and stack:
            stack[-1][1] += 1
        elif token.type == Token.OPERAND and stack:
            call = stack[-1]
            if token.subtype == Token.RANGE and call[1] == 0 and _is_range(token.value):
                call[2] = True
            if call[0] == "TEXT" and call[1] == 1 and token.subtype == Token.TEXT:
                code = _FORMAT_LITERALS.sub("", _unquote(token.value))
                found = _TEXT_NON_NUMERIC.search(code)
                if found:
                    yield (
                        f"TEXT() format {token.value} uses {found.group(0)!r}: names and locale "
                        "codes differ between Excel and LibreOffice; use numeric codes only"
                    )


def lint(formula: str, *, allow_volatile: bool = False, array: bool = False) -> list[str]:
    """Problems with one formula (with or without its leading ``=``); empty when it is fine.

    ``allow_volatile=True`` is for the single as-of date cell: it may call TODAY() (e.g.
    ``=IF(ISBLANK(B7),TODAY(),B7)``), and no other volatile function.
    ``array=True`` for an explicit (legacy) array formula.
    """
    try:
        tokens = _tokens(formula)
    except TokenizerError as error:
        return [f"cannot parse formula: {error}"]
    problems: list[str] = []
    depth = 0
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            depth += 1
            problems.extend(_function_problems(token.value[:-1], allow_volatile))
        elif token.type == Token.PAREN and token.subtype == Token.OPEN:
            depth += 1
        elif token.type in (Token.FUNC, Token.PAREN) and token.subtype == Token.CLOSE:
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        problems.append("unbalanced parentheses")
    problems.extend(_call_problems(tokens, array))
    return list(dict.fromkeys(problems))


def _formula_text(value: object) -> tuple[str, bool] | None:
    """A cell's formula text and whether it is an array formula; None for plain values."""
    if isinstance(value, ArrayFormula):
        return value.text or "", True
    if isinstance(value, DataTableFormula):
        return None  # a what-if data table: no function calls to check
    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
        return value, False
    return None


def _normalise_ref(ref: str) -> str:
    """``'目标'!$B$3`` -> ``目标!B3``, to compare cell addresses."""
    sheet, _, cell = ref.rpartition("!")
    sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
    return f"{sheet}!{cell.replace('$', '').upper()}"


def lint_workbook(path: str | Path, *, volatile_cells: Collection[str] = ()) -> list[str]:
    """Lint every formula of a workbook, as ``sheet!cell: problem`` lines.

    Covers cell formulas (plain and array), table column and totals formulas, data-validation
    and conditional-formatting formulas, and defined names. ``volatile_cells`` lists the
    as-of date cell(s) (``"设置!B3"``) allowed to be exactly ``=TODAY()``.
    """
    allowed_volatile = {_normalise_ref(ref) for ref in volatile_cells}
    wb = load_workbook(path, data_only=False)
    found: list[str] = []

    def check(where: str, formula: str | None, **options: bool) -> None:
        if formula:
            found.extend(f"{where}: {problem}" for problem in lint(formula, **options))

    try:
        for name, defined in wb.defined_names.items():
            check(f"name {name}", defined.attr_text)
        for ws in wb.worksheets:
            for name, defined in ws.defined_names.items():
                check(f"{ws.title}!name {name}", defined.attr_text)
            for row in ws.iter_rows():
                for cell in row:
                    formula = _formula_text(cell.value) if cell.data_type == "f" else None
                    if formula is None:
                        continue
                    where = f"{ws.title}!{cell.coordinate}"
                    text, array = formula
                    volatile = _normalise_ref(where) in allowed_volatile
                    check(where, text, array=array, allow_volatile=volatile)
            for table in ws.tables.values():
                for column in table.tableColumns:
                    where = f"{ws.title}!{table.displayName}[{column.name}]"
                    for part in (column.calculatedColumnFormula, column.totalsRowFormula):
                        if part is not None:
                            check(where, part.attr_text, array=bool(part.array))
            for validation in ws.data_validations.dataValidation:
                where = f"{ws.title}!{validation.sqref} (validation)"
                check(where, validation.formula1)
                check(where, validation.formula2)
            for conditional in ws.conditional_formatting:
                for rule in conditional.rules:
                    for formula in rule.formula or ():
                        check(f"{ws.title}!{conditional.sqref} (conditional format)", formula)
    finally:
        wb.close()
    return found
