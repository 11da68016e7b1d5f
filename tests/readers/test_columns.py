"""Which column is a field: empty columns are absent, two filled ones are refused, and a
number pasted into a date-formatted cell is its number (kpis.md, "Columns")."""

from datetime import datetime

import openpyxl
import pytest

from csxl.domain.tickets import load_tickets
from csxl.errors import LANGUAGE, InputError
from csxl.kpi_report import kpi_document
from csxl.readers.read import read_table


def _sheet(path, rows, formats=None):
    """An .xlsx of `rows` (header first); `formats` maps (row, col) 1-based to a format."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(r, c).number_format = fmt
    wb.save(path)
    return path


T0 = datetime(2026, 3, 2, 9, 0)
T1 = datetime(2026, 3, 2, 10, 0)


def test_a_column_empty_in_every_row_is_absent_and_its_kpi_unavailable(tmp_path):
    # The template's own 是否推送评价 and 一次解决 headings with nothing under them (an
    # import, or an export narrower than the template pasted at A1) are no data.
    header = ["工单号", "创建时间", "解决时间", "满意度", "是否推送评价", "一次解决", "联系次数"]
    rows = [header] + [
        [f"T{i}", T0, T1, 5 if i < 2 else None, None, None, 1 if i % 2 else 2] for i in range(4)
    ]
    path = _sheet(tmp_path / "a.xlsx", rows)
    t = read_table(path)
    assert "survey_sent" not in t.frame.columns and "fcr" not in t.frame.columns
    doc, _, _ = kpi_document(path)
    kpis = doc["groups"][0]["kpis"]
    # answered / resolved, as for an export without the column (not 2/0 or 100%)
    assert kpis["survey_response_rate"] == pytest.approx(2 / 4)
    # one-touch rule from contacts (reopens missing count as 0): 2 of 4
    assert kpis["fcr"] == pytest.approx(2 / 4)
    assert "survey_sent" not in str(doc["unavailable"])


def test_an_empty_column_never_wins_over_a_filled_one_of_the_same_field(tmp_path):
    # 满意度 (the better-ranked synonym) is empty; Satisfaction Score holds the answers.
    header = ["工单号", "创建时间", "Satisfaction Score", "满意度"]
    rows = [header, ["T1", T0, "Good", None], ["T2", T0, "Bad", None]]
    t = read_table(_sheet(tmp_path / "a.xlsx", rows))
    assert list(t.frame["csat"]) == ["Good", "Bad"]
    assert t.match.header_of("csat") == "Satisfaction Score"
    assert t.match.ambiguous == []


def test_two_filled_columns_of_one_field_are_refused_naming_both_letters(tmp_path):
    header = ["工单号", "创建时间", "Reopens", "客服", "重开次数"]
    rows = [header, ["T1", T0, 0, "张三", 1], ["T2", T0, 1, "李四", 0]]
    with pytest.raises(InputError) as e:
        read_table(_sheet(tmp_path / "a.xlsx", rows))
    # Chinese by default, English in an English run; both name the two columns and the row.
    text = str(e.value)
    assert "C (Reopens) 列和 E (重开次数) 列都是“重开次数”" in text and "第 1 行" in text
    token = LANGUAGE.set("en")
    try:
        text = str(e.value)
    finally:
        LANGUAGE.reset(token)
    assert "C (Reopens)" in text and "E (重开次数)" in text
    assert "row 1" in text


def test_letters_count_from_column_a_when_the_sheet_starts_further_right(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate([["工单号", "创建时间", "评分", "满意度"], ["T1", T0, 5, 4]], 1):
        for c, v in enumerate(row, 3):
            ws.cell(r, c, v)
    wb.save(tmp_path / "b.xlsx")
    with pytest.raises(InputError, match=r"E \(评分\) 列和 F \(满意度\) 列"):
        read_table(tmp_path / "b.xlsx")


def test_csv_columns_settle_the_same_way(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "工单号,创建时间,是否推送评价,重开次数,Reopens\nT1,2026-03-02 09:00:00,,0,\n",
        encoding="utf-8",
    )
    t = read_table(path)
    assert "survey_sent" not in t.frame.columns
    assert t.match.header_of("reopens") == "重开次数"
    path.write_text(
        "工单号,创建时间,重开次数,Reopens\nT1,2026-03-02 09:00:00,0,1\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"3 \(C\) \(重开次数\) 列和 4 \(D\) \(Reopens\) 列"):
        read_table(path)


def test_numbers_in_date_formatted_cells_are_their_serial_numbers(tmp_path):
    # A paste of values keeps the template's formats: 0 reopens shows as 1900-01-00.
    header = ["工单号", "创建时间", "重开次数", "联系次数", "处理时长(秒)", "满意度"]
    rows = [
        header,
        ["T1", T0, 0, 1, 60, 5],  # 60 and 59 both show as 1900-02-28: must stay apart
        ["T2", T0, 2, 3, 59, 4],
        ["T3", T0, 1, 1, 45000.5, 3],
    ]
    fmt = {(r, c): "yyyy-mm-dd" for r in range(2, 5) for c in range(3, 7)}
    tickets = load_tickets(read_table(_sheet(tmp_path / "a.xlsx", rows, fmt)))
    assert not tickets.problems
    f = tickets.frame
    assert list(f["reopens"]) == [0, 2, 1]
    assert list(f["contacts"]) == [1, 3, 1]
    assert list(f["handle_s"]) == [60, 59, 45000.5]
    assert list(f["csat"]) == [5, 4, 3]


def test_text_that_only_looks_like_a_date_in_a_number_column_is_still_rejected(tmp_path):
    rows = [["工单号", "创建时间", "重开次数"], ["T1", T0, "2026-01-01 00:00:00"], ["T2", T0, 1]]
    tickets = load_tickets(read_table(_sheet(tmp_path / "a.xlsx", rows)))
    assert [(p.row, p.code) for p in tickets.problems] == [(2, "bad_number")]


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("买家ID", "customer_id"),
        ("问卷发送时间", "survey_sent_at"),
        ("评价邀请时间", "survey_sent_at"),
    ],
)
def test_more_chinese_export_headers(tmp_path, header, column):
    rows = [["工单号", "创建时间", header], ["T1", T0, "x" if column == "customer_id" else T1]]
    assert column in read_table(_sheet(tmp_path / "a.xlsx", rows)).frame.columns


def test_freshdesk_survey_results_are_satisfaction_scores(tmp_path):
    path = tmp_path / "fd.csv"
    path.write_text(
        "Ticket ID,Created time,Resolved time,Survey results\n"
        "1,2026-03-02 09:00:00,2026-03-02 10:00:00,Extremely happy\n"
        "2,2026-03-02 09:00:00,2026-03-02 10:00:00,Happy\n"
        "3,2026-03-02 09:00:00,2026-03-02 10:00:00,Neutral\n"
        "4,2026-03-02 09:00:00,2026-03-02 10:00:00,Unhappy\n"
        "5,2026-03-02 09:00:00,2026-03-02 10:00:00,Extremely unhappy\n"
        "6,2026-03-02 09:00:00,2026-03-02 10:00:00,Not Good\n"
        "7,2026-03-02 09:00:00,2026-03-02 10:00:00,\n",
        encoding="utf-8",
    )
    doc, tickets, _ = kpi_document(path)
    assert list(tickets.frame["csat"].dropna()) == [5, 4, 3, 2, 1, 1]
    kpis = doc["groups"][0]["kpis"]
    assert kpis["csat"] == pytest.approx(2 / 6)
    assert kpis["csat_avg"] == pytest.approx(16 / 6)
    # no survey-sent column: answered / resolved
    assert kpis["survey_response_rate"] == pytest.approx(6 / 7)
