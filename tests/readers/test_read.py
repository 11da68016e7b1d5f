"""Reading exports: file kinds, encodings, header detection and clear refusals."""

import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

from csxl.errors import InputError, language
from csxl.readers.read import read_table

HEADER = ["工单号", "创建时间", "客服", "满意度"]
ROWS = [["A1", datetime(2026, 3, 1, 9, 5), "张三", 5], ["A2", "2026/3/1 9:06", "李四", "４"]]


def _xlsx(path, rows, title_rows=0, sheet="工单"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for i in range(title_rows):
        ws.append([f"标题 {i}"])
    if title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_header_below_merged_title_rows_and_user_row_numbers(tmp_path):
    t = read_table(_xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS], title_rows=2))
    assert t.header_row == 3
    assert list(t.frame.index) == [4, 5]  # rows as Excel shows them
    assert t.frame.loc[4, "ticket_id"] == "A1"
    assert t.sheet == "工单"


def test_only_mapped_columns_are_read_and_unmapped_reported(tmp_path):
    t = read_table(_xlsx(tmp_path / "a.xlsx", [[*HEADER, "备注"], [*ROWS[0], "x"]]))
    assert set(t.frame.columns) == {"ticket_id", "created_at", "agent", "csat"}
    assert t.match.unmapped == ["备注"]


def _guide_then_data(path):
    wb = openpyxl.Workbook()
    wb.active.title = "指南"
    wb.active.append(["工单号", "创建时间"])  # a guide that mentions the headers
    data = wb.create_sheet("数据")
    data.append(HEADER)
    data.append(ROWS[0])
    wb.save(path)
    return path


def test_preferred_sheets_are_read_first(tmp_path):
    path = _guide_then_data(tmp_path / "plan.xlsx")
    assert read_table(path).sheet == "指南"  # without a preference: the first with a header
    t = read_table(path, prefer=("Data", "数据"))
    assert t.sheet == "数据" and len(t.frame) == 1


def test_a_plan_workbooks_ticket_paste_sheet_is_read(tmp_path):
    # `csxl kpi` given a plan reads its paste sheet of tickets (layout.PASTE_AREAS).
    from csxl.kpi_report import load

    tickets = load(_guide_then_data(tmp_path / "plan.xlsx"))
    assert tickets.sheet == "数据"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    text = "工单号,创建时间,客服\nA1,2026-03-01 09:05:00,张三\nA2,2026/3/1 9:06,李四\n"
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    t = read_table(path)
    assert t.frame["agent"].tolist() == ["张三", "李四"]
    assert list(t.frame.index) == [2, 3]


def test_csv_with_title_line_and_blank_lines_keeps_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "导出,,\n工单号,创建时间,客服\nA1,2026-03-01 09:05,张三\n,,\nA2,2026-03-02 10:00,李四\n",
        encoding="utf-8",
    )
    t = read_table(path)
    assert t.header_row == 2
    assert t.frame["ticket_id"].dropna().to_dict() == {3: "A1", 5: "A2"}


def test_gbk_csv_with_an_xlsx_name_is_read_as_csv_and_says_so(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes("工单号,创建时间\nA1,2026-03-01 09:05\n".encode("gbk"))
    t = read_table(path)
    assert t.frame["ticket_id"].tolist() == ["A1"]
    assert any("CSV" in note for note in t.notes)


def _refused(path, *words):
    """The refusal in an English run says `words`; in a Chinese run (the default) it says the
    same in Chinese: the file's name, and none of the English words."""
    with language("en"), pytest.raises(InputError) as info:
        read_table(path)
    with language("en"):
        message = str(info.value)
    assert path.name in message
    for word in words:
        assert word in message
    with pytest.raises(InputError) as zh:
        read_table(path)
    chinese = str(zh.value)
    assert path.name in chinese and re.search("[\u4e00-\u9fff]", chinese)
    assert not [w for w in words if w.isascii() and w[0].isalpha() and w in chinese], chinese
    return message


def test_missing_file(tmp_path):
    _refused(tmp_path / "nope.xlsx", "not found")


def test_empty_file(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    _refused(tmp_path / "e.csv", "empty")


def test_truncated_xlsx(tmp_path):
    good = _xlsx(tmp_path / "g.xlsx", [HEADER, *ROWS])
    (tmp_path / "t.xlsx").write_bytes(good.read_bytes()[:2000])
    _refused(tmp_path / "t.xlsx", "damaged")


def test_zip_that_is_not_a_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    _refused(tmp_path / "z.xlsx", "not an Excel workbook")


def test_legacy_xls_is_refused_with_what_to_do(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    (tmp_path / "old.xls").write_bytes(ole)
    _refused(tmp_path / "old.xls", ".xls", "save it as .xlsx")


def test_password_protected_workbook_is_refused(tmp_path):
    # An encrypted OOXML file is an OLE container with an EncryptedPackage stream.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    (tmp_path / "secret.xlsx").write_bytes(ole)
    _refused(tmp_path / "secret.xlsx", "password")


def test_no_header_row(tmp_path):
    _refused(_xlsx(tmp_path / "n.xlsx", [["a", "b"], [1, 2]]), "no header row")


def test_missing_required_column_names_it_and_lists_headers(tmp_path):
    message = _refused(
        _xlsx(tmp_path / "m.xlsx", [["工单号", "客服", "满意度"], ["A1", "张三", 5]]),
        "Created at",
        "Headers found",
    )
    assert "row 1" in message
    with pytest.raises(InputError) as zh:
        read_table(tmp_path / "m.xlsx")
    assert "创建时间" in str(zh.value) and "第 1 行" in str(zh.value)


def test_per_agent_summary_is_recognised(tmp_path):
    path = _xlsx(tmp_path / "s.xlsx", [["客服", "接待量", "好评数", "差评数"], ["张三", 10, 8, 1]])
    _refused(path, "per-agent summary", "one row per ticket")


def test_empty_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "blank.xlsx")
    _refused(tmp_path / "blank.xlsx", "empty")
