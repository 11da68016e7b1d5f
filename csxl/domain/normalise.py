"""Vectorised parsing of messy export values into typed columns.

Every parser takes a pandas Series as a reader produced it (strings, floats, datetimes or a
mix) and returns a `Parsed`: the typed values and a mask of cells that hold something that
is not a valid value of that kind (a blank cell is missing, not bad). Nothing here loops
over rows in Python: text is parsed with pyarrow.compute (RE2 regexes, casts) on the
column's Arrow array and assembled with numpy. A column that repeats a few values (是/否,
scores, counts) is parsed once per distinct value. The regexes spell out what Python's `re`
means by `\\s` (RE2's `\\s` misses U+3000 and U+00A0) and use ASCII digits (full-width
digits are folded to ASCII first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_BLANKS = " \t\r\n\u3000\xa0"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial 1 = 1900-01-01 after Excel's 1900 bug
_EPOCH_DAYS = -25569  # 1899-12-30 in days since 1970-01-01
_NAT = np.iinfo(np.int64).min
# datetime64[ns] covers 1677-09-21 .. 2262-04-11: dates from the first whole day in it.
_MIN_S, _MAX_S = -9_223_372_036, 9_223_372_036
_MIN_DAY = _MIN_S // 86400 + 1

# Whitespace as Python's re means `\s` for str patterns (str.isspace), in RE2 syntax.
_S = r"[\t\n\x0b\f\r\x1c-\x1f\x{85}\p{Z}]"
_D = "[0-9]"
# Full-width ASCII variants (U+FF01..U+FF5E) and the ideographic space (U+3000).
_WIDE = r"[\x{FF01}-\x{FF5E}\x{3000}]"

_DATETIME = (
    rf"^(?P<year>{_D}{{4}}){_S}*[-/.年]{_S}*(?P<month>{_D}{{1,2}}){_S}*[-/.月]{_S}*"
    rf"(?P<day>{_D}{{1,2}}){_S}*日?"
    rf"(?:(?:{_S}+|T)(?P<hour>{_D}{{1,2}}){_S}*[:时]{_S}*(?P<minute>{_D}{{1,2}})"
    rf"(?:{_S}*[:分]{_S}*(?P<second>{_D}{{1,2}}(?:\.{_D}+)?){_S}*秒?)?)?"
    rf"{_S}*(?:Z|[+-]{_D}{{2}}:?{_D}{{2}})?$"
)
# The dominant form, 2026-03-01 09:05:07 (also with T), read without the regex: it is a
# subset of `_DATETIME` and gives the same fields.
_ISO = rf"^{_D}{{4}}-{_D}{{2}}-{_D}{{2}}[ T]{_D}{{2}}:{_D}{{2}}:{_D}{{2}}$"
_ISO_DIGITS = np.array([0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
_NUMBER = rf"^[+-]?(?:{_D}+(?:\.{_D}*)?|\.{_D}+)(?:[eE][+-]?{_D}+)?$"
_HMS = rf"^(?P<h>{_D}+):(?P<m>{_D}{{1,2}}):(?P<s>{_D}{{1,2}}(?:\.{_D}+)?)$"

TRUE_WORDS = frozenset({"是", "y", "yes", "true", "t", "1", "1.0", "√", "✓", "对", "有"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "f", "0", "0.0", "×", "✗", "无", "不是"})
CSAT_WORDS = {
    "非常满意": 5.0,
    "满意": 4.0,
    "一般": 3.0,
    "不满意": 2.0,
    "非常不满意": 1.0,
    # Freshdesk's Survey results (compared lower-case without spaces), and its classic three.
    "extremelyhappy": 5.0,
    "happy": 4.0,
    "neutral": 3.0,
    "unhappy": 2.0,
    "extremelyunhappy": 1.0,
    "awesome": 5.0,
    "notgood": 1.0,
}
# Zendesk's Satisfaction Score: (answered as good?, survey sent?)
CSAT_MARKERS = {
    "good": (True, True),
    "bad": (False, True),
    "offered": (None, True),
    "unoffered": (None, False),
    "notoffered": (None, False),
}


@dataclass
class Parsed:
    values: pd.Series
    bad: pd.Series  # bool: present but not a valid value


def _is_text(s: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(s)
        or pd.api.types.is_datetime64_any_dtype(s)
        or pd.api.types.is_bool_dtype(s)
    )


# ----------------------------------------------------------------------------- Arrow text


def _arrow(s: pd.Series) -> pa.LargeStringArray:
    """The cells of s as text in one Arrow large_string array (nulls where missing).

    Floats that are whole numbers are written without `.0` (an id stored as a number).
    """
    if pd.api.types.is_float_dtype(s):
        whole = s.notna() & (s == np.floor(s))
        out = s.astype("string")
        out[whole] = s[whole].astype("int64").astype("string")
        s = out
    dtype = s.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        s = s.astype(pd.StringDtype("pyarrow"))
    arr = pa.array(s.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _np(arr: pa.Array) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _mask(arr: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null as False."""
    return _np(pc.fill_null(arr, False))


def _valid(arr: pa.Array) -> np.ndarray:
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=bool)
    return _np(arr.is_valid())


def _take(arr: pa.Array, rows: np.ndarray) -> pa.Array:
    return arr if rows.all() else arr.filter(pa.array(rows))


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Offsets (int64, from 0) and UTF-8 bytes of a large_string array.

    A null row may own bytes; callers look only at the rows they know to be valid.
    """
    _, offsets, data = arr.buffers()
    o = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    d = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    d = d[o[0] : o[-1]]
    return (o - o[0] if o[0] else o), d


def _from_buffers(offsets: np.ndarray, data: np.ndarray) -> pa.LargeStringArray:
    return pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets.astype(np.int64)), pa.py_buffer(data)
    )


def _drop_bytes(offsets: np.ndarray, data: np.ndarray, drop: np.ndarray):
    """Remove the bytes at positions `drop` (sorted), keeping string boundaries."""
    keep = np.ones(len(data), dtype=bool)
    keep[drop] = False
    removed = np.concatenate(([0], np.cumsum(~keep)))
    return offsets - removed[offsets], data[keep]


def _fold_bytes(arr: pa.Array) -> pa.LargeStringArray:
    """Full-width U+FF01..U+FF5E to ASCII and U+3000 to a space, on the UTF-8 bytes.

    U+FF01..U+FF3F are EF BC 81..BF, U+FF40..U+FF5E are EF BD 80..9E and U+3000 is E3 80 80;
    in valid UTF-8, EF and E3 are always the first byte of a character. arr has no nulls.
    """
    offsets, data = _buffers(arr)
    data = data.copy()
    if len(data) < 3:
        return _from_buffers(offsets, data)
    b0, b1, b2 = data[:-2], data[1:-1], data[2:]
    low = (b0 == 0xEF) & (b1 == 0xBC) & (b2 >= 0x81) & (b2 <= 0xBF)
    high = (b0 == 0xEF) & (b1 == 0xBD) & (b2 >= 0x80) & (b2 <= 0x9E)
    space = (b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80)
    at = np.flatnonzero(low | high | space)
    last = b2[at]
    data[at] = np.where(low[at], last - 0x60, np.where(high[at], last - 0x20, 0x20))
    return _from_buffers(*_drop_bytes(offsets, data, np.sort(np.concatenate((at + 1, at + 2)))))


def _replace_rows(arr: pa.Array, rows: np.ndarray, fix: Callable) -> pa.Array:
    """arr with the rows selected by `rows` (bool) replaced by fix(those rows)."""
    if not rows.any():
        return arr
    return pc.replace_with_mask(arr, pa.array(rows), fix(arr.filter(pa.array(rows))))


def _fold_width(arr: pa.Array) -> pa.Array:
    """Fold full-width characters, touching only the rows that contain one."""
    wide = ~_mask(pc.string_is_ascii(arr)) & _valid(arr)
    if wide.any():
        where = np.flatnonzero(wide)
        wide[where] = _mask(pc.match_substring_regex(arr.filter(pa.array(wide)), _WIDE))
    return _replace_rows(arr, wide, _fold_bytes)


def _drop_thousands_commas(arr: pa.Array) -> pa.LargeStringArray:
    """Remove each comma between a digit and three digits not followed by a digit (1,234).

    arr has no nulls. The same as Python's re.sub(r"(?<=\\d),(?=\\d{3}(?:\\D|$))", "", x) for
    ASCII digits, which RE2 cannot say (no lookaround).
    """
    offsets, data = _buffers(arr)
    commas = np.flatnonzero(data == ord(","))
    row = np.searchsorted(offsets, commas, side="right") - 1
    start, end = offsets[row], offsets[row + 1]

    def digit(pos: np.ndarray) -> np.ndarray:
        inside = (pos >= start) & (pos < end)
        byte = data[np.clip(pos, 0, max(len(data) - 1, 0))]
        return inside & (byte >= ord("0")) & (byte <= ord("9"))

    grouped = digit(commas - 1) & digit(commas + 1) & digit(commas + 2) & digit(commas + 3)
    drop = commas[grouped & ~digit(commas + 4)]
    return _from_buffers(*_drop_bytes(offsets, data, drop))


def _clean(arr: pa.Array, fold_width: bool = False) -> pa.LargeStringArray:
    """Trimmed text with blanks as null (and full-width characters folded)."""
    arr = pc.utf8_trim(arr, characters=_BLANKS)
    if fold_width:
        arr = _fold_width(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


_SAMPLE = 4096


def _distinct(arr: pa.Array) -> pa.DictionaryArray | None:
    """arr dictionary-encoded when it repeats a few values (judged on its first rows)."""
    if len(arr) < 2 * _SAMPLE:
        return None
    head = pc.dictionary_encode(arr.slice(0, _SAMPLE))
    if len(head.dictionary) > _SAMPLE // 2:
        return None
    return pc.dictionary_encode(arr)


def _per_value(arr: pa.Array, parse: Callable, fills: tuple) -> tuple[np.ndarray, ...]:
    """parse(arr) (numpy arrays, one value per row), computed once per distinct value.

    `fills` are the results for a null cell, which parse gives for a null too.
    """
    encoded = _distinct(arr)
    if encoded is None:
        return parse(arr)
    positions = _np(pc.fill_null(encoded.indices, -1))  # -1: the fill appended below
    results = parse(encoded.dictionary)
    return tuple(np.append(r, f)[positions] for r, f in zip(results, fills, strict=True))


def _per_value_text(arr: pa.Array, parse: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """parse(arr) (an Arrow array, nulls kept null), computed once per distinct value."""
    encoded = _distinct(arr)
    if encoded is None:
        return parse(arr)
    return pc.take(parse(encoded.dictionary), encoded.indices)


def _series(arr: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr])), index=index)


def text(s: pd.Series, *, fold_width: bool = False) -> pd.Series:
    """Trimmed text with blanks as NA; numbers written without a spurious `.0`."""
    return _series(_clean(_arrow(s), fold_width), s.index)


def _numbers_of(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(values, ok) for text that should be a plain number (`_NUMBER`).

    Plain ASCII digits (most cells) skip the regex; Arrow's cast reads what `_NUMBER` takes.
    """
    ok = _mask(pc.ascii_is_decimal(arr))
    rest = ~ok & _valid(arr)
    if rest.any():
        ok[np.flatnonzero(rest)] = _mask(pc.match_substring_regex(_take(arr, rest), _NUMBER))
    values = np.full(len(arr), np.nan)
    if ok.any():
        values[ok] = _np(pc.cast(_take(arr, ok), pa.float64()))
    return values, ok


# ----------------------------------------------------------------------------- date-times


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _stamps(y, mo, d, h, mi, sec) -> np.ndarray:
    """datetime64[ns] as int64 (NaT where impossible) from date and clock fields.

    Impossible dates (2026-02-30) and clocks (24:00, 09:60) give NaT. Seconds may carry a
    fraction: the instant is rounded to the nearest whole second, half to even, as
    Timestamp.round("s") does.
    """
    # Fields come from at most 4 digits; clipping keeps int32 arithmetic safe regardless.
    y = np.clip(np.asarray(y), -99_999, 99_999).astype(np.int32)
    mo, d, h, mi = (np.clip(np.asarray(x), 0, 999).astype(np.int32) for x in (mo, d, h, mi))
    sec = np.asarray(sec)
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    month_ok = (mo >= 1) & (mo <= 12)
    dim = _MONTH_DAYS[np.where(month_ok, mo, 0)] + ((mo == 2) & leap)
    ok = month_ok & (d >= 1) & (d <= dim) & (h <= 23) & (mi <= 59) & (sec < 60)
    days = _days_from_civil(y, mo, d)
    ok &= (days >= _MIN_DAY) & (days <= _MAX_S // 86400)
    if sec.dtype.kind == "f":
        whole = np.floor(sec)
        frac = sec - whole
        clock = h * 3600 + mi * 60 + np.where(ok, whole, 0).astype(np.int32)
    else:
        frac = None
        clock = h * 3600 + mi * 60 + np.where(ok, sec, 0).astype(np.int32)
    total = np.where(ok, days, 0).astype(np.int64) * 86400 + clock
    if frac is not None:
        total += (frac > 0.5) | ((frac == 0.5) & (total % 2 == 1))
    ok &= (total >= _MIN_S) & (total <= _MAX_S)
    total *= 1_000_000_000
    total[~ok] = _NAT
    return total


def _serial_stamps(days: np.ndarray) -> np.ndarray:
    """Excel serial days (> 0) to datetime64[ns] as int64, rounded to whole seconds."""
    days = np.asarray(days, dtype=np.float64)
    seconds = np.round(days * 86400.0)
    ok = (days > 0) & (seconds <= _MAX_S - _EPOCH_DAYS * 86400)
    whole = np.where(ok, seconds, 0).astype(np.int64) + _EPOCH_DAYS * 86400
    return np.where(ok, whole * 1_000_000_000, _NAT)


def _iso_fields_stamps(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(all digits?, stamps) of 19-byte rows (a uint8 matrix) in the `_ISO` layout."""
    digits = m[:, _ISO_DIGITS] - np.uint8(ord("0"))  # uint8: a non-digit wraps above 9
    pairs = digits[:, 0::2].astype(np.int32) * 10 + digits[:, 1::2]  # yy yy mm dd hh mi ss
    stamps = _stamps(
        pairs[:, 0] * 100 + pairs[:, 1], pairs[:, 2], pairs[:, 3], pairs[:, 4], pairs[:, 5],
        pairs[:, 6],
    )  # fmt: skip
    return digits.max(axis=1) <= 9, stamps


def _cast_stamps(arr: pa.Array) -> np.ndarray:
    """Arrow's ISO parser; it raises on any impossible date, clock or non-digit."""
    seconds = _np(pc.cast(arr, pa.timestamp("s"))).view(np.int64)
    ok = (seconds >= _MIN_DAY * 86400) & (seconds <= _MAX_S)
    return np.where(ok, seconds * 1_000_000_000, _NAT)


def _risky(m: np.ndarray) -> np.ndarray:
    """Rows that might hold an impossible date or clock (day 00 or 29-39, hour 24 ...)."""
    c = {i: m[:, i] for i in (5, 6, 8, 9, 11, 12, 14, 17)}
    zero, one, two, five = (np.uint8(ord(x)) for x in "0125")
    month = (c[5] > one) | ((c[5] == one) & (c[6] > two)) | ((c[5] == zero) & (c[6] == zero))
    day = (c[8] > two) | ((c[8] == two) & (c[9] == np.uint8(ord("9"))))
    day |= (c[8] == zero) & (c[9] == zero)
    hour = (c[11] > two) | ((c[11] == two) & (c[12] > np.uint8(ord("3"))))
    return month | day | hour | (c[14] > five) | (c[17] > five)


def _iso_stamps(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(rows, stamps) for the rows of arr laid out as `_ISO` (19 ASCII bytes).

    Arrow's cast parses them; when some row is impossible (2026-02-30) the cast refuses the
    whole array, so the rows that might be impossible are read field by field instead.
    """
    offsets, data = _buffers(arr)
    rows = (np.diff(offsets) == 19) & _valid(arr)
    if not rows.any():
        return rows, np.zeros(0, dtype=np.int64)
    sub = _take(arr, rows)
    m = (data if rows.all() else _buffers(sub)[1]).reshape(-1, 19)
    colon, dash = np.uint8(ord(":")), np.uint8(ord("-"))
    form = (m[:, 4] == dash) & (m[:, 7] == dash) & (m[:, 13] == colon) & (m[:, 16] == colon)
    form &= (m[:, 10] == np.uint8(ord(" "))) | (m[:, 10] == np.uint8(ord("T")))
    if not form.all():
        rows[np.flatnonzero(rows)[~form]] = False
        sub, m = _take(sub, form), m[form]
    try:
        return rows, _cast_stamps(sub)
    except pa.ArrowInvalid:
        pass
    risky = _risky(m)
    stamps = np.empty(len(m), dtype=np.int64)
    if not risky.all():
        try:
            stamps[~risky] = _cast_stamps(_take(sub, ~risky))
        except pa.ArrowInvalid:  # a non-digit somewhere: read every row field by field
            risky[:] = True
    digits, stamps[risky] = _iso_fields_stamps(m[risky])
    if not digits.all():  # e.g. "2026-03-01T9 :05:07": left to the general form
        where = np.flatnonzero(rows)
        fields = np.flatnonzero(risky)
        rows[where[fields[~digits]]] = False
        keep = np.ones(len(m), dtype=bool)
        keep[fields[~digits]] = False
        stamps = stamps[keep]
    return rows, stamps


def _field(parts: pa.StructArray, name: str, kind: pa.DataType) -> np.ndarray:
    """A regex group as numbers; a group that did not take part (empty) is 0."""
    f = parts.field(name)
    return _np(pc.cast(pc.if_else(pc.equal(f, ""), "0", f), kind))


def _text_stamps(arr: pa.Array) -> np.ndarray:
    """Stamps of date-time text in the forms of `_DATETIME`; NaT where none fits."""
    out = np.full(len(arr), _NAT, dtype=np.int64)
    parts = pc.extract_regex(arr, _DATETIME)
    hit = _valid(parts)
    if hit.any():
        parts = _take(parts, hit)
        i32 = pa.int32()
        out[hit] = _stamps(
            _field(parts, "year", i32),
            _field(parts, "month", i32),
            _field(parts, "day", i32),
            _field(parts, "hour", i32),
            _field(parts, "minute", i32),
            _field(parts, "second", pa.float64()),
        )
    return out


def _datetime_series(ns: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(ns.view("datetime64[ns]"), index=index)


def datetimes(s: pd.Series) -> Parsed:
    """Excel dates, serial numbers, ISO and Chinese date-time text -> datetime64[ns]."""
    if pd.api.types.is_datetime64_any_dtype(s):
        values = s.dt.tz_localize(None) if s.dt.tz is not None else s
        return Parsed(values.dt.round("s").astype("datetime64[ns]"), pd.Series(False, s.index))
    if pd.api.types.is_numeric_dtype(s):
        ns = _serial_stamps(s.to_numpy(dtype=np.float64, na_value=np.nan))
        bad = s.notna().to_numpy() & (ns == _NAT)
        return Parsed(_datetime_series(ns, s.index), pd.Series(bad, s.index))
    t = _clean(_arrow(s), fold_width=True)
    present = _valid(t)
    ns = np.full(len(t), _NAT, dtype=np.int64)
    iso, stamps = _iso_stamps(t)
    ns[iso] = stamps
    rest = present & ~iso
    if rest.any():
        where = np.flatnonzero(rest)
        others = _take(t, rest)
        days, serial = _numbers_of(others)
        if serial.any():
            ns[where[serial]] = _serial_stamps(days[serial])
        if not serial.all():
            ns[where[~serial]] = _text_stamps(_take(others, ~serial))
    return Parsed(_datetime_series(ns, s.index), pd.Series(present & (ns == _NAT), s.index))


# ----------------------------------------------------------------------------- numbers


def _number_text(t: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    commas = _mask(pc.match_substring(t, ","))
    return _numbers_of(_replace_rows(t, commas, _drop_thousands_commas))


def _parse_numbers(raw: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    t = _clean(raw, fold_width=True)
    values, ok = _number_text(t)
    return values, _valid(t) & ~ok


def numbers(s: pd.Series) -> Parsed:
    """Numbers, also when stored as text (spaces, full-width digits, thousands commas)."""
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("float64"), pd.Series(False, s.index))
    if pd.api.types.is_numeric_dtype(s):
        return Parsed(s.astype("float64"), pd.Series(False, s.index))
    values, bad = _per_value(_arrow(s), _parse_numbers, (np.nan, False))
    return Parsed(pd.Series(values, index=s.index), pd.Series(bad, index=s.index))


_CURRENCY_MARK = rf"^{_S}*(?:[¥￥$]|CNY|RMB|cny|rmb){_S}*"
_YUAN = rf"{_S}*元{_S}*$"


def _parse_amounts(raw: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    bare = pc.replace_substring_regex(raw, _CURRENCY_MARK, "")
    return _parse_numbers(pc.replace_substring_regex(bare, _YUAN, ""))


def amounts(s: pd.Series) -> Parsed:
    """Money: what `numbers` reads, also with a currency mark (¥ ￥ $ CNY RMB) in front or
    元 behind (`¥1,234.50`, `1234元`). The sign is kept: callers reject negatives."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return numbers(s)
    values, bad = _per_value(_arrow(s), _parse_amounts, (np.nan, False))
    return Parsed(pd.Series(values, index=s.index), pd.Series(bad, index=s.index))


def _parse_durations(raw: pa.Array, scale: float) -> tuple[np.ndarray, np.ndarray]:
    t = _clean(raw, fold_width=True)
    values, ok = _number_text(t)
    values *= scale
    bad = _valid(t) & ~ok
    if bad.any():
        hms = pc.extract_regex(_take(t, bad), _HMS)
        hit = _valid(hms)
        if hit.any():
            hms = _take(hms, hit)
            f64 = pa.float64()
            seconds = (
                _np(pc.cast(hms.field("h"), f64)) * 3600
                + _np(pc.cast(hms.field("m"), f64)) * 60
                + _np(pc.cast(hms.field("s"), f64))
            )
            where = np.flatnonzero(bad)[hit]
            values[where] = seconds
            bad[where] = False
    return values, bad


def durations(s: pd.Series, scale: float = 1.0) -> Parsed:
    """Seconds from numbers (times `scale`, e.g. 60 for minutes) or `H:MM:SS` text."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        parsed = numbers(s)
        return Parsed(parsed.values * scale, parsed.bad)
    values, bad = _per_value(_arrow(s), lambda raw: _parse_durations(raw, scale), (np.nan, False))
    return Parsed(pd.Series(values, index=s.index), pd.Series(bad, index=s.index))


# ----------------------------------------------------------------------------- flags, CSAT


def _boolean(true: np.ndarray, false: np.ndarray, index: pd.Index) -> pd.Series:
    """True where `true`, else False where `false`, else NA."""
    values = pd.arrays.BooleanArray(true.copy(), ~(true | false))
    return pd.Series(values, index=index)


def _in(arr: pa.Array, words) -> np.ndarray:
    return _mask(pc.is_in(arr, value_set=pa.array(sorted(words), pa.large_string())))


def _parse_booleans(raw: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = pc.utf8_lower(_clean(raw, fold_width=True))
    true = _in(t, TRUE_WORDS) | _mask(pc.starts_with(t, "已"))
    false = _in(t, FALSE_WORDS) | _mask(pc.match_substring_regex(t, "^[未不没]"))
    return true, false & ~true, _valid(t)


def booleans(s: pd.Series) -> Parsed:
    """是/否, Y/N, 1/0, TRUE/FALSE (any case); 已…/未… forms such as 已复核/未复核."""
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("boolean"), pd.Series(False, s.index))
    if pd.api.types.is_numeric_dtype(s):
        values = pd.Series(pd.NA, index=s.index, dtype="boolean")
        values[s == 1] = True
        values[s == 0] = False
        return Parsed(values, s.notna() & values.isna())
    true, false, present = _per_value(_arrow(s), _parse_booleans, (False, False, False))
    bad = present & ~(true | false)
    return Parsed(_boolean(true, false, s.index), pd.Series(bad, index=s.index))


@dataclass
class Csat:
    score: pd.Series  # float 1..5, NaN when unanswered or answered good/bad
    good: pd.Series  # boolean: satisfied (4-5 or good); NA when unanswered
    sent: pd.Series  # boolean: a survey marker said whether one was sent; NA otherwise
    bad: pd.Series


def _parse_csat(raw: pa.Array) -> tuple[np.ndarray, ...]:
    """(score, good answer, bad answer, sent, not sent, unrecognised) of CSAT text."""
    t = _clean(raw, fold_width=True)
    n = len(t)
    present = _valid(t)
    key = pc.utf8_lower(pc.replace_substring_regex(t, rf"{_S}|[_-]", ""))
    score, _ = _numbers_of(pc.replace_substring_regex(key, "[分星]$", ""))
    words = pa.array(list(CSAT_WORDS), pa.large_string())
    worded = _np(pc.take(pa.array(list(CSAT_WORDS.values())), pc.index_in(key, words)))
    score = np.where(np.isnan(score), worded.astype(np.float64), score)
    marks = {k: np.zeros(n, dtype=bool) for k in ("good", "bad", "sent", "unsent")}
    for marker, (is_good, was_sent) in CSAT_MARKERS.items():
        hit = _mask(pc.equal(key, marker))
        marks["sent" if was_sent else "unsent"] |= hit
        if is_good is not None:
            marks["good" if is_good else "bad"] |= hit
    unknown = present & np.isnan(score) & ~(marks["sent"] | marks["unsent"])
    score = np.where(present, score, np.nan)
    return score, marks["good"], marks["bad"], marks["sent"], marks["unsent"], unknown


def csat(s: pd.Series) -> Csat:
    """Scores 1-5 (also `5分`), Chinese words, good/bad and Zendesk's Offered/Unoffered."""
    index = s.index
    numeric = pd.api.types.is_numeric_dtype(s)
    if numeric:
        score = s.to_numpy(dtype=np.float64, na_value=np.nan)
        no = np.zeros(len(s), dtype=bool)
        answered_good = answered_bad = sent = unsent = unknown = no
    else:
        fills = (np.nan, False, False, False, False, False)
        score, answered_good, answered_bad, sent, unsent, unknown = _per_value(
            _arrow(s), _parse_csat, fills
        )
    in_scale = (score >= 1) & (score <= 5)
    out_of_scale = ~np.isnan(score) & ~in_scale
    good = np.where(in_scale, score >= 4, answered_good)
    bad_answer = np.where(in_scale, score < 4, answered_bad)
    return Csat(
        pd.Series(np.where(in_scale, score, np.nan), index=index),
        _boolean(good, bad_answer, index),
        _boolean(sent, unsent, index),
        pd.Series(out_of_scale if numeric else (out_of_scale | unknown), index=index),
    )


SEVERITY = {
    "紧急": "紧急",
    "urgent": "紧急",
    "重要": "重要",
    "high": "重要",
    "常规": "常规",
    "normal": "常规",
    "low": "常规",
    "一般": "常规",
    "普通": "常规",
}


def _parse_severity(raw: pa.Array) -> pa.Array:
    t = _clean(raw)
    words = pa.array(list(SEVERITY), pa.large_string())
    names = pa.array(list(SEVERITY.values()), pa.large_string())
    return pc.coalesce(pc.take(names, pc.index_in(pc.utf8_lower(t), words)), t)


def severity(s: pd.Series) -> pd.Series:
    """紧急/重要/常规; urgent/high/normal/low as Zendesk writes them. Others kept as written."""
    return _series(_per_value_text(_arrow(s), _parse_severity), s.index).astype("str")
