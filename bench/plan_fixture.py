"""Build, once, a plan workbook whose Data sheet holds N generated tickets; cache it in bench/out/.

    python bench/plan_fixture.py [--rows 1000000] [--seed 2026] [--clean] [--force] [--json]

Makes, from one `csxl.demo_data.generate_tickets` frame (month 2026-03, dirt included unless
--clean):
  plan    refresh_plan_<rows>_s<seed>.xlsx: `new_plan` (zh, as-of 2026-03-31) with the tickets
          under the Data header, as a manager's paste would leave them
  export  refresh_export_<rows>_s<seed>.xlsx: the same tickets as a plain export (header on
          row 1) written by `demo_data.write_xlsx(engine="fast")`, for timing `csxl kpi`
A JSON sidecar next to the plan records how both were made; they are rebuilt when the
arguments, the sources they come from (csxl/workbook, demo_data, synonyms, this file) or the
files themselves changed. Prints the plan's path (with --json, the sidecar) on stdout; progress
goes to stderr.

Why not `csxl.workbook.data_sheet.paste`: it builds the Data part cell by cell through
`sheetxml.patch`, fine for a demo's thousands of rows and far too slow for a million. Here the
Data part is generated the way `demo_data`'s fast writer generates its sheet (its `_Cells` and
`_sheet_rows`: vectorised rows of uint64 words, a shared-strings table from one pyarrow
dictionary encoding), under the template's own header row, and put into the plan package with
`zipsplice.splice` (every other part copied as it is). Like Excel, the paste adds
xl/sharedStrings.xml (with its content type and workbook relationship) and grows the tblData
table over the pasted rows, as `data_sheet._grow_table` does.

The fixture is checked before it is cached: fastexcel reads N data rows from the Data sheet
and openpyxl opens it in read-only mode.

Coupling: this uses private helpers of csxl.demo_data (`_Cells`, `_sheet_rows`, `_si_elements`,
`_words`, `_XML_DECL`, `_NS_MAIN`) and csxl.workbook.data_sheet (`_set_ref`); if they change,
change this file too (its fingerprint then rebuilds the cache).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
MONTH = "2026-03"
AS_OF = date(2026, 3, 31)
CHUNK_ROWS = 50_000

_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 22}  # 22: m/d/yy h:mm
_BUILTIN_DATETIME_FORMATS = {22}


# ----------------------------------------------------------------------------- cache


def _sources() -> Iterable[Path]:
    import csxl

    root = Path(csxl.__file__).resolve().parent
    yield root / "demo_data.py"
    yield root / "domain" / "synonyms.py"
    yield from sorted((root / "workbook").rglob("*.py"))
    yield Path(__file__).resolve()


def fingerprint() -> str:
    h = hashlib.sha256()
    for path in _sources():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def fixture_paths(rows: int, seed: int = 2026, dirty: bool = True, out: Path = OUT):
    tag = f"{rows}_s{seed}{'' if dirty else '_clean'}"
    return out / f"refresh_plan_{tag}.xlsx", out / f"refresh_export_{tag}.xlsx"


def ensure_fixture(
    rows: int, *, seed: int = 2026, dirty: bool = True, force: bool = False, out: Path = OUT
) -> dict:
    """The sidecar of the cached plan and export, building them first if needed."""
    plan, export = fixture_paths(rows, seed, dirty, out)
    sidecar = plan.with_suffix(".json")
    fp = fingerprint()
    if not force and plan.exists() and export.exists() and sidecar.exists():
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if (
            (meta.get("rows"), meta.get("seed"), meta.get("dirty")) == (rows, seed, dirty)
            and meta.get("fingerprint") == fp
            and meta.get("plan_bytes") == plan.stat().st_size
            and meta.get("export_bytes") == export.stat().st_size
        ):
            return {**meta, "cached": True}

    from csxl.demo_data import expected_rows, generate_tickets, write_xlsx

    out.mkdir(parents=True, exist_ok=True)
    _say(f"generating {rows:,} tickets (seed {seed}, dirty={dirty}) ...")
    t0 = time.perf_counter()
    df = generate_tickets(rows, seed=seed, month=MONTH, dirty=dirty)
    t1 = time.perf_counter()
    _say(f"  generated in {t1 - t0:.1f} s; writing the plan {plan.name} ...")
    tmp_plan = plan.with_name(plan.stem + ".tmp.xlsx")
    tmp_plan.unlink(missing_ok=True)
    try:
        info = build_plan(df, tmp_plan)
        t2 = time.perf_counter()
        _say(f"  plan written in {t2 - t1:.1f} s; checking it ...")
        check = validate(tmp_plan, rows)
        t3 = time.perf_counter()
        _say(f"  checked in {t3 - t2:.1f} s ({check}); writing the export {export.name} ...")
        tmp_export = export.with_name(export.stem + ".tmp.xlsx")
        write_xlsx(df, tmp_export, engine="fast")
        t4 = time.perf_counter()
        tmp_export.replace(export)
        tmp_plan.replace(plan)
    finally:
        tmp_plan.unlink(missing_ok=True)
    meta = {
        "plan": str(plan),
        "export": str(export),
        "rows": rows,
        "seed": seed,
        "dirty": dirty,
        "month": MONTH,
        "as_of": AS_OF.isoformat(),
        "fingerprint": fp,
        **info,
        "generate_s": round(t1 - t0, 3),
        "plan_write_s": round(t2 - t1, 3),
        "validate_s": round(t3 - t2, 3),
        "export_write_s": round(t4 - t3, 3),
        "plan_bytes": plan.stat().st_size,
        "export_bytes": export.stat().st_size,
        "expected_rows": expected_rows(rows, dirty),
        "validated": check,
    }
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    _say(
        f"  export written in {t4 - t3:.1f} s; plan {meta['plan_bytes'] / 1e6:.1f} MB, "
        f"export {meta['export_bytes'] / 1e6:.1f} MB"
    )
    return {**meta, "cached": False}


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- the plan


def build_plan(df, path: Path, as_of: date = AS_OF) -> dict:
    """A new zh plan at `path` whose Data sheet holds `df` (any recognised headers)."""
    from csxl.workbook import layout, zipsplice
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan
    from csxl.workbook.data_sheet import _set_ref
    from csxl.workbook.layout import Data as D
    from csxl.workbook.package import sheet_parts
    from csxl.workbook.port import PackageBook

    template = path.with_name(path.stem + ".template.xlsx")
    template.unlink(missing_ok=True)
    try:
        inputs = PlanInputs(lang="zh", year=as_of.year, as_of=as_of, today=as_of)
        new_plan(template, inputs)
        header = PackageBook(template).rows("Data")[D.HEADER_ROW - 1]
        while header and header[-1] == "":
            header.pop()
        with template.open("rb") as f:
            names = zipsplice.names(f)
            if "xl/sharedStrings.xml" in names:
                raise NotImplementedError("the template has a shared-strings part already")
            small = {
                n: zipsplice.read(f, n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
            }
            part = sheet_parts(small)[layout.title("Data", "zh")]
            sheet_xml = zipsplice.read(f, part)
            styles = zipsplice.read(f, "xl/styles.xml")
            types = zipsplice.read(f, "[Content_Types].xml")
            tables = {n: zipsplice.read(f, n) for n in names if n.startswith("xl/tables/")}

        frame, letters = _placed(df, header)
        last = D.FIRST_ROW + max(len(df), 1) - 1
        width = layout.col(len(header))
        data_xml, sst, info = _data_part(sheet_xml, styles, frame, letters, f"A1:{width}{last}")

        ref = f"A{D.HEADER_ROW}:{width}{last}".encode()
        replace: dict[str, bytes | bytearray] = {part: data_xml, "xl/sharedStrings.xml": sst}
        for name, xml in tables.items():
            if f'name="{D.TABLE}"'.encode() in xml or f'displayName="{D.TABLE}"'.encode() in xml:
                for element in (b"table", b"autoFilter"):
                    xml = _set_ref(xml, element, ref)
                replace[name] = xml
        replace["[Content_Types].xml"] = _insert_before(
            types,
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'.encode(),
        )
        rels = small["xl/_rels/workbook.xml.rels"]
        ids = [int(x) for x in re.findall(rb'Id="rId(\d+)"', rels)]
        replace["xl/_rels/workbook.xml.rels"] = _insert_before(
            rels,
            b"</Relationships>",
            f'<Relationship Type="{_SST_REL}" Target="/xl/sharedStrings.xml" '
            f'Id="rId{max(ids, default=0) + 1}"/>'.encode(),
        )
        with template.open("rb") as src, path.open("wb") as dst:
            zipsplice.splice(src, dst, replace, add_order=["xl/sharedStrings.xml"], level=1)
    finally:
        template.unlink(missing_ok=True)
    return {
        **info,
        "data_part": part,
        "header": [str(h) for h in header],
        "placed": dict(zip(letters, (str(c) for c in frame.columns), strict=True)),
        "table_ref": ref.decode(),
    }


def _placed(df, header: list[object]):
    """The frame's columns in header order, and their column letters (as `paste` maps them)."""
    from csxl.domain.synonyms import Synonyms
    from csxl.workbook import layout

    synonyms = Synonyms()
    target = {
        s.column: i + 1 for i, h in enumerate(header) if h != "" and (s := synonyms.lookup(h))
    }
    placed: dict[int, str] = {}
    for name in df.columns:
        found = synonyms.lookup(name)
        if found is not None and found.column in target:
            placed[target[found.column]] = name  # a later column wins, as in paste
    positions = sorted(placed)
    if not positions:
        raise ValueError("no column of the frame matches the Data header")
    return df[[placed[p] for p in positions]], [layout.col(p) for p in positions]


def _date_style(sheet_xml: bytes, styles: bytes, date_letters: list[str]) -> int:
    """The cell style of the date columns: the template's column style if it shows a date
    (what Excel keeps for a value pasted into a formatted column), else the first date+time
    style in styles.xml."""
    from openpyxl.utils import column_index_from_string

    custom = {
        int(i): code.decode()
        for i, code in re.findall(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    }
    xfs_xml = re.search(rb"<cellXfs\b.*?</cellXfs>", styles, re.S)
    xfs = [int(x) for x in re.findall(rb'<xf\b[^>]*?numFmtId="(\d+)"', xfs_xml.group(0))]

    def shows_date(xf: int, time_too: bool) -> bool:
        fmt = xfs[xf] if 0 <= xf < len(xfs) else 0
        if fmt in custom:
            code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", custom[fmt]).lower()
            return "y" in code and "d" in code and ("h" in code or not time_too)
        return fmt in (_BUILTIN_DATETIME_FORMATS if time_too else _BUILTIN_DATE_FORMATS)

    col_style: dict[int, int] = {}
    for attrs in re.findall(rb"<col\b([^>]*)/>", sheet_xml):
        a = dict(re.findall(rb'(\w+)="([^"]*)"', attrs))
        if b"style" in a:
            for c in range(int(a[b"min"]), int(a[b"max"]) + 1):
                col_style[c] = int(a[b"style"])
    for letter in date_letters:
        style = col_style.get(column_index_from_string(letter))
        if style is not None and shows_date(style, time_too=False):
            return style
    for time_too in (True, False):
        for i in range(len(xfs)):
            if shows_date(i, time_too):
                return i
    raise ValueError("the template's styles.xml has no date style")


def _insert_before(xml: bytes, closing: bytes, element: bytes) -> bytes:
    at = xml.rfind(closing)
    if at < 0:
        raise ValueError(f"no {closing!r} in the part")
    return xml[:at] + element + xml[at:]


def _data_part(
    sheet_xml: bytes, styles: bytes, frame, letters: list[str], dimension: str
) -> tuple[bytearray, bytes, dict]:
    """The Data part with `frame` below the template's header row, and the shared strings."""
    from concurrent.futures import ThreadPoolExecutor

    from csxl.demo_data import _NS_MAIN, _XML_DECL, _Cells, _sheet_rows, _si_elements, _words
    from csxl.workbook.layout import Data as D

    t0 = time.perf_counter()
    open_at = sheet_xml.find(b"<sheetData>")
    close_at = sheet_xml.find(b"</sheetData>")
    if open_at < 0 or close_at < 0:
        raise ValueError("the template's Data part has no <sheetData> element")
    header_row = re.search(
        rb'<row r="%d"[ >].*?</row>' % D.HEADER_ROW, sheet_xml[open_at:close_at], re.S
    )
    if header_row is None:
        raise ValueError("the template's Data part has no header row")
    head = re.sub(
        rb'<dimension ref="[^"]*"',
        b'<dimension ref="%s"' % dimension.encode(),
        sheet_xml[:open_at],
        count=1,
    )

    cells = _Cells(frame, [])
    dates = [letter for letter, b in zip(letters, cells.b, strict=True) if b is not None]
    date_style = _date_style(sheet_xml, styles, dates)
    attrs = [b"", b'" t="s"><v>', b'"><v>', b'" s="%d"><v>' % date_style, b'" t="b"><v>']
    if max(len(a) for a in attrs) > 16:
        raise ValueError(f"date style {date_style} does not fit the writer's attribute slot")
    cells.attr_table = _words(attrs, 16)
    t1 = time.perf_counter()

    out = bytearray(head)
    out += b"<sheetData>" + header_row.group(0)
    n = len(frame)
    bounds = [(lo, min(lo + CHUNK_ROWS, n)) for lo in range(0, n, CHUNK_ROWS)]
    # Build the next chunk in a thread while this one is copied (numpy releases the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = [pool.submit(_sheet_rows, cells, letters, D.FIRST_ROW, *b) for b in bounds[:1]]
        for k in range(len(bounds)):
            chunk = pending.pop(0).result()
            if k + 1 < len(bounds):
                pending.append(
                    pool.submit(_sheet_rows, cells, letters, D.FIRST_ROW, *bounds[k + 1])
                )
            out += chunk
    out += sheet_xml[close_at:]
    t2 = time.perf_counter()

    strings = cells.strings
    sst = bytearray(
        (
            _XML_DECL + f'<sst xmlns="{_NS_MAIN}" count="{cells.string_count}" '
            f'uniqueCount="{len(strings)}">'
        ).encode("utf-8")
    )
    for lo in range(0, len(strings), 200_000):
        sst += _si_elements(strings[lo : lo + 200_000])
    sst += b"</sst>"
    info = {
        "data_xml_bytes": len(out),
        "sst_bytes": len(sst),
        "unique_strings": len(strings),
        "string_cells": cells.string_count,
        "date_columns": dates,
        "date_style": date_style,
        "cells_prepare_s": round(t1 - t0, 3),
        "rows_xml_s": round(t2 - t1, 3),
    }
    return out, bytes(sst), info


# ----------------------------------------------------------------------------- checks


def validate(path: Path, rows: int) -> str:
    """fastexcel reads `rows` data rows from the Data sheet; openpyxl read-only opens it."""
    import fastexcel
    import openpyxl

    from csxl.workbook import layout

    title = layout.title("Data", "zh")
    sheet = fastexcel.read_excel(str(path)).load_sheet(title, header_row=0, use_columns=[0, 1])
    if sheet.height != rows:
        raise AssertionError(f"fastexcel read {sheet.height:,} data rows, expected {rows:,}")
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[title]
        top = [list(r) for r in ws.iter_rows(min_row=1, max_row=2, values_only=True)]
        if not top or top[0][0] in (None, ""):
            raise AssertionError("openpyxl read-only found no header on the Data sheet")
        dims = ws.calculate_dimension()
        sheets = len(wb.sheetnames)
    finally:
        wb.close()
    return (
        f"fastexcel: {sheet.height:,} data rows; openpyxl read-only: {sheets} sheets, Data {dims}"
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clean", action="store_true", help="no dirt (default: realistic dirt)")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    parser.add_argument("--json", action="store_true", help="print the sidecar JSON on stdout")
    args = parser.parse_args(argv)
    if args.rows < 200 or args.rows > 1_048_575:
        parser.error("--rows must be between 200 and 1,048,575 (one Excel sheet below a header)")
    meta = ensure_fixture(args.rows, seed=args.seed, dirty=not args.clean, force=args.force)
    if meta["cached"]:
        _say(f"cached: {meta['plan']}")
    print(json.dumps(meta, ensure_ascii=False) if args.json else meta["plan"])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # this checkout's csxl, not whatever is installed
    sys.exit(main())
