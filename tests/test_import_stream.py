"""`csxl import` streams its rows into the Data part (`csxl.workbook.append`); the general
path (every Data row read, every cell patched in memory) is what it must equal. Each case
imports the same exports into two copies of one plan, one through each path, and compares
the Data part byte for byte, the table, the report and the values read back."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

import csxl.data_import as di
from csxl.data_import import import_export
from csxl.workbook import append, layout
from csxl.workbook.builder import new_plan
from csxl.workbook.layout import Data as D
from csxl.workbook.port import PackageBook
from tests.plan_fixtures import pasted_plan, plan_inputs, tickets
from tests.workbook.test_aliases import clean, exports


def _dirty_export(tmp_path) -> pd.DataFrame:
    frame = tickets().iloc[:300].copy()  # generated dirt: text dates, numbers as text ...
    frame["客服"] = frame["客服"].astype(object)
    frame.loc[frame.index[0], "客服"] = "=1+1"
    frame.loc[frame.index[1], "客服"] = "a\x01<b>&c"  # a control character, markup
    frame.loc[frame.index[2], "客服"] = "x" * 40_000  # longer than a cell holds
    frame.loc[frame.index[3], "工单号"] = "  "  # only blanks: written as it is
    frame["首响时长(分钟)"] = [1.5, "2", "3分", None, 1e-05, 123456789012.5] * 50
    return frame


def _csv(frame: pd.DataFrame, path) -> object:
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _both(tmp_path, plan, imports, monkeypatch):
    """Run `imports` (export, source, replace) on two copies of `plan`: streamed, general."""
    streamed, general = tmp_path / "streamed.xlsx", tmp_path / "general.xlsx"
    shutil.copyfile(plan, streamed)
    shutil.copyfile(plan, general)
    taken: list[bool] = []
    real = append.chunks

    def spy(*args, **kwargs):
        taken.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(append, "chunks", spy)
    reports = [import_export(PackageBook(streamed), *args) for args in imports]
    assert len(taken) == len(imports), "every import took the streamed path"
    monkeypatch.setattr(di, "_stream_shape", lambda book: None)
    expected = [import_export(PackageBook(general), *args) for args in imports]
    assert [{**r.__dict__, "workbook": ""} for r in reports] == [
        {**r.__dict__, "workbook": ""} for r in expected
    ]
    return streamed, general


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _values(path) -> list[tuple]:
    ws = load_workbook(path, read_only=True)[layout.title("Data", "zh")]
    return [tuple(c for c in row) for row in ws.iter_rows(values_only=True)]


def _same(streamed, general) -> None:
    a, b = _parts(streamed), _parts(general)
    assert a.keys() == b.keys()
    differ = [n for n in a if a[n] != b[n]]
    assert differ == [], f"parts written differently: {differ}"
    assert _values(streamed) == _values(general)


def test_into_a_new_plan_dirty_values_dates_minutes_and_odd_text(tmp_path, monkeypatch):
    plan = tmp_path / "plan.xlsx"
    new_plan(plan, plan_inputs())
    export = _csv(_dirty_export(tmp_path), tmp_path / "e.csv")
    streamed, general = _both(tmp_path, plan, [(export, "在线")], monkeypatch)
    _same(streamed, general)
    rows = _values(streamed)
    header = rows[0]
    assert len(rows) == 1 + 300 and rows[1][header.index("数据源")] == "在线"
    assert rows[3][header.index("客服")] == "x" * 32_767
    assert rows[2][header.index("客服")] == "a<b>&c"
    assert isinstance(rows[1][header.index("创建时间")], datetime)


def test_below_rows_pasted_by_hand_and_a_second_source(tmp_path, monkeypatch):
    plan = pasted_plan(tmp_path / "plan.xlsx", clean().iloc[:7], plan_inputs())
    qianniu, phone = exports(clean())
    q = _csv(qianniu, tmp_path / "q.csv")
    p = tmp_path / "p.xlsx"
    phone.to_excel(p, index=False)
    again = _csv(qianniu.iloc[:5], tmp_path / "again.csv")
    # --replace of a source without rows yet appends like the others
    imports = [(q, "千牛"), (p, "电话"), (again, "在线"), (again, "邮件", True)]
    streamed, general = _both(tmp_path, plan, imports, monkeypatch)
    _same(streamed, general)
    report = import_export(PackageBook(streamed), again, "在线")
    assert report.sources == {"": 7, "千牛": 30, "电话": 30, "在线": 10, "邮件": 5}
    assert report.shared == {"": 5, "千牛": 5, "邮件": 5}


def test_a_narrow_header_gets_its_columns_and_the_table_follows(tmp_path, monkeypatch):
    plan = tmp_path / "plan.xlsx"
    new_plan(plan, plan_inputs())
    book = PackageBook(plan)
    width = len(book.rows("Data")[0])
    narrow = ["工单号", "创建时间", "客服"]
    book.write("Data", {(1, c): v for c, v in enumerate(narrow, start=1)}, [(1, 1, 1, width)])
    book.write("Data", {(2, 1): "P1", (2, 2): datetime(2026, 3, 2, 9), (2, 3): "张三"})
    book.commit()
    export = _csv(clean().iloc[:4], tmp_path / "e.csv")
    streamed, general = _both(tmp_path, plan, [(export, "千牛")], monkeypatch)
    _same(streamed, general)
    assert _values(streamed)[1][0] == "P1" and len(_values(streamed)) == 6


def test_replace_with_rows_of_that_source_takes_the_general_path(tmp_path, monkeypatch):
    plan = tmp_path / "plan.xlsx"
    new_plan(plan, plan_inputs())
    export = _csv(clean().iloc[:6], tmp_path / "e.csv")
    import_export(PackageBook(plan), export, "千牛")
    called: list[bool] = []
    monkeypatch.setattr(append, "chunks", lambda *a, **k: called.append(True))
    report = import_export(PackageBook(plan), export, "千牛", True)
    assert (report.replaced, report.written, called) == (6, 6, [])
    assert len(_values(plan)) == 1 + 6


@pytest.mark.parametrize("tail", ["", '<row r="9" spans="1:3"><c r="B9" s="3"/></row>'])
def test_scan_finds_the_last_row_with_a_value(tail):
    xml = (
        b'<worksheet><dimension ref="A1:C9"/><cols><col min="2" max="2" style="7"/></cols>'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'
        b'<row r="2"><c r="A2"><v>1</v></c></row><row r="5"><c r="C5" s="4"/></row>'
        + tail.encode()
        + b"</sheetData><tableParts/></worksheet>"
    )
    pieces = [xml[i : i + 7] for i in range(0, len(xml), 7)]  # tags cut across chunks
    shape = append.scan(iter(pieces), D.FIRST_ROW)
    assert shape.last_row == 2 and shape.start(D.FIRST_ROW) == 3
    assert [r for r, _ in shape.blank] == ([5, 9] if tail else [5])
    assert shape.columns == {2: b' s="7"'} and shape.rest.startswith(b"</sheetData>")
    assert shape.header_xml().startswith(b'<row r="1">')


def test_numbers_and_serials_are_written_as_repr_writes_them():
    import numpy as np

    from csxl.domain.excel_math import excel_serial

    values = np.array(
        [
            90.0,
            -0.0,
            0.3,
            1e-05,
            123456789012.5,
            1e16,
            46082.375,
            1e10,
            99999999999.0,
            9999999999.5,
            12.0,
        ]
    )
    assert append.number_text(values).to_pylist() == [repr(float(v)) for v in values]
    rng = np.random.default_rng(19)
    spread = 10.0 ** rng.uniform(-8, 17, 20_000) * rng.choice([-1, 1], 20_000)
    spread = np.concatenate([spread, np.round(spread), [np.inf, np.nan]])
    got = append.number_text(spread).to_pylist()
    assert got[:-2] == [repr(float(v)) for v in spread[:-2]]
    assert append.number_text(np.array([5, -3])).to_pylist() == ["5", "-3"]
    stamps = np.array(
        ["2026-03-01T09:07:13.123456", "1900-01-01", "2026-12-31T23:59:59"], "datetime64[us]"
    )
    want = [excel_serial(pd.Timestamp(s).to_pydatetime()) for s in stamps]
    assert append.serials(stamps).tolist() == want


def _with_shared_strings(plan, out):
    """`plan` with its Data sheet's text as shared strings, as Excel saves it."""
    import re

    from csxl.workbook import zipsplice

    book = PackageBook(plan, lock=False)
    part = book._parts[book.title("Data")]
    strings: list[str] = []

    def shared(m: re.Match) -> bytes:
        strings.append(m[1].decode())
        return b'%s t="s"><v>%d</v></c>' % (m[0][: m[0].index(b" t=")], len(strings) - 1)

    with open(plan, "rb") as f:
        xml = zipsplice.read(f, part)
        types = zipsplice.read(f, "[Content_Types].xml")
        rels = zipsplice.read(f, "xl/_rels/workbook.xml.rels")
    xml = re.sub(
        rb'<c r="[A-Z]+\d+"(?: s="\d+")? t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>',
        shared,
        xml,
    )
    sst = "".join(f"<si><t>{t}</t></si>" for t in strings)
    ns = "http://schemas.openxmlformats.org/"
    sst = f'<sst xmlns="{ns}spreadsheetml/2006/main" count="{len(strings)}">{sst}</sst>'
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    types = types.replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'.encode(),
    )
    rel = (
        f'<Relationship Id="rIdSst" Type="{ns}officeDocument/2006/relationships/sharedStrings"'
        ' Target="sharedStrings.xml"/>'
    )
    rels = rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    replace = {part: xml, "[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}
    replace["xl/sharedStrings.xml"] = sst.encode()
    with open(plan, "rb") as src, open(out, "wb") as dst:
        zipsplice.splice(src, dst, replace)
    assert b't="s"' in xml and b"inlineStr" not in xml
    return out


def test_a_plan_saved_with_shared_strings(tmp_path, monkeypatch):
    """Excel saves text as shared strings: the header is looked up in them and the rows
    below are appended as the general path appends them."""
    plan = pasted_plan(tmp_path / "plan.xlsx", clean().iloc[:9], plan_inputs())
    saved = _with_shared_strings(plan, tmp_path / "saved.xlsx")
    assert _values(saved) == _values(plan)
    export = _csv(clean().iloc[20:26], tmp_path / "e.csv")
    streamed, general = _both(tmp_path, saved, [(export, "千牛")], monkeypatch)
    _same(streamed, general)
    rows = _values(streamed)
    assert len(rows) == 1 + 9 + 6 and rows[10][rows[0].index("数据源")] == "千牛"
