"""The demo ticket generator and the .xlsx writer (csxl/demo_data.py)."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime

import fastexcel
import numpy as np
import openpyxl
import pandas as pd
import pytest

from csxl import demo_data
from csxl.demo_data import agent_roster, dirt_counts, expected_rows, generate_tickets, write_xlsx

EXPECTED_COLUMNS = [
    "工单号",
    "创建时间",
    "首次响应时间",
    "解决时间",
    "渠道",
    "团队",
    "小组",
    "客服",
    "问题标签",
    "紧急程度",
    "满意度",
    "是否推送评价",
    "是否一次解决",
    "联系次数",
    "重开次数",
    "是否投诉",
    "升级投诉",
    "处理时长(秒)",
    "差评原因",
    "是否复核",
    "协作部门",
    "协作类型",
    "转交时间",
    "部门完成时间",
    "客户ID",
]
TIMES = ["创建时间", "首次响应时间", "解决时间", "转交时间", "部门完成时间"]
NUMBERS = ["满意度", "联系次数", "重开次数", "处理时长(秒)"]
TEAMS = ["售前一组", "售前二组", "售后一组", "售后二组", "投诉组", "技术支持组"]
SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})$")
ZH = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2}):(\d{2})$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    return generate_tickets(20_000, seed=11)


@pytest.fixture(scope="module")
def dirty() -> pd.DataFrame:
    return generate_tickets(20_000, seed=11, dirty=True)


# ----------------------------------------------------------------------------- helpers


def parse_time(v):
    """What a reader following kpis.md makes of a timestamp cell: Timestamp, NaT or 'bad'."""
    if v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return pd.NaT
    if isinstance(v, datetime | pd.Timestamp):
        return pd.Timestamp(v)
    assert isinstance(v, str), v
    for pattern in (SLASH, ZH, ISO):
        m = pattern.match(v.strip())
        if m:
            parts = [int(x) for x in m.groups()] + [0] * (6 - len(m.groups()))
            try:
                return pd.Timestamp(datetime(*parts))
            except ValueError:
                return "bad"
    return "bad"


def parse_number(v):
    """A number cell as kpis.md normalises it: float, NaN, or 'bad'."""
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return np.nan
    if isinstance(v, str):
        text = v.translate(FULLWIDTH).strip().replace("\u3000", "")
        return float(text) if re.fullmatch(r"\d+", text) else "bad"
    return float(v)


def validate(df: pd.DataFrame) -> dict[str, int]:
    """An independent, row-by-row reading of the kpis.md row rules."""
    rejected = 0
    ids = []
    for row in df.itertuples(index=False):
        r = dict(zip(df.columns, row, strict=True))
        times = {c: parse_time(r[c]) for c in TIMES}
        numbers = {c: parse_number(r[c]) for c in NUMBERS}
        tid = r["工单号"]
        bad = (
            not isinstance(tid, str)
            or not tid.strip()
            or times["创建时间"] is pd.NaT
            or any(t == "bad" for t in times.values() if isinstance(t, str))
            or any(x == "bad" for x in numbers.values() if isinstance(x, str))
        )
        if not bad:
            score = numbers["满意度"]
            created = times["创建时间"]
            bad = (
                (not np.isnan(score) and not 1 <= score <= 5)
                or (times["首次响应时间"] is not pd.NaT and times["首次响应时间"] < created)
                or (times["解决时间"] is not pd.NaT and times["解决时间"] < created)
                or (
                    times["部门完成时间"] is not pd.NaT
                    and times["转交时间"] is not pd.NaT
                    and times["部门完成时间"] < times["转交时间"]
                )
            )
        if bad:
            rejected += 1
        else:
            ids.append(tid)
    duplicates = len(ids) - len(set(ids))
    return {
        "read": len(df),
        "valid": len(ids) - duplicates,
        "rejected": rejected,
        "duplicates": duplicates,
    }


def seconds(a: pd.Series, b: pd.Series) -> pd.Series:
    return (pd.to_datetime(a) - pd.to_datetime(b)).dt.total_seconds()


# ----------------------------------------------------------------------------- generator


def test_same_seed_same_frame_other_seed_other_frame():
    a = generate_tickets(3_000, seed=5)
    pd.testing.assert_frame_equal(a, generate_tickets(3_000, seed=5))
    b = generate_tickets(3_000, seed=6)
    assert not a.equals(b)
    assert (a["客服"] != b["客服"]).mean() > 0.5
    d1 = generate_tickets(3_000, seed=5, dirty=True)
    d2 = generate_tickets(3_000, seed=5, dirty=True)
    pd.testing.assert_frame_equal(d1, d2)
    assert d1.attrs["dirt"] == d2.attrs["dirt"]
    assert (
        d1.attrs["dirt"]["rows"]
        != generate_tickets(3_000, seed=6, dirty=True).attrs["dirt"]["rows"]
    )


def test_columns_and_types(clean):
    assert list(clean.columns) == EXPECTED_COLUMNS
    assert len(clean) == 20_000
    for c in TIMES:
        assert pd.api.types.is_datetime64_dtype(clean[c]), c
        present = clean[c].dropna()
        assert (present == present.dt.floor("s")).all(), c
    assert clean["工单号"].is_unique
    assert clean["工单号"].str.fullmatch(r"GD202603\d{8}").all()
    assert set(clean["渠道"]) == {"在线", "电话", "邮件", "千牛"}
    assert set(clean["团队"]) == set(TEAMS)
    assert set(clean["小组"]) == {"A班", "B班"}
    assert set(clean["紧急程度"]) == {"紧急", "重要", "常规"}
    for c in ("是否推送评价", "是否投诉", "升级投诉"):
        assert set(clean[c]) == {"是", "否"}, c
    assert set(clean["是否一次解决"].dropna()) == {"是", "否"}
    assert set(clean["协作类型"].dropna()) == {"常规", "技术排查", "产品优化"}


def test_clean_invariants(clean):
    created = clean["创建时间"]
    assert created.min() >= pd.Timestamp("2026-03-01")
    assert created.max() < pd.Timestamp("2026-04-01")
    assert created.is_monotonic_increasing
    frt = seconds(clean["首次响应时间"], created)
    assert (frt.dropna() >= 1).all()
    assert frt.isna().mean() > 0  # some tickets never answered
    assert frt.median() < 120  # seconds to minutes
    rt = seconds(clean["解决时间"], clean["首次响应时间"])
    assert (rt.dropna() >= 1).all()
    assert clean.loc[clean["首次响应时间"].isna(), "解决时间"].isna().all()
    unresolved = clean["解决时间"].isna() & clean["首次响应时间"].notna()
    assert unresolved.any()
    # surveys: pushed only after resolution, answered only when pushed, scores 1..5
    sent = clean["是否推送评价"] == "是"
    score = clean["满意度"]
    assert score[~sent].isna().all()
    assert clean.loc[sent, "解决时间"].notna().all()
    assert set(score.dropna().astype(int)) == {1, 2, 3, 4, 5}
    assert 0.25 < score.notna().sum() / sent.sum() < 0.5
    bad = score.notna() & (score <= 3)
    assert clean.loc[bad, "差评原因"].notna().all()
    assert clean.loc[~bad.astype(bool), "差评原因"].isna().all()
    assert set(clean["差评原因"].dropna()) == {"响应慢", "解答不专业", "承诺未兑现", "其他"}
    assert (clean["是否复核"].notna() == bad).all()
    # FCR only for resolved tickets; collaboration on about 5% of rows
    assert (clean["是否一次解决"].notna() == clean["解决时间"].notna()).all()
    collab = clean["协作类型"].notna()
    assert 0.03 < collab.mean() < 0.07
    assert (clean["协作部门"].notna() == collab).all()
    assert (clean["转交时间"].notna() == collab).all()
    assert clean.loc[~collab, "部门完成时间"].isna().all()
    assert (seconds(clean["部门完成时间"], clean["转交时间"]).dropna() > 0).all()
    assert (clean["联系次数"] >= 1).all() and (clean["重开次数"] >= 0).all()
    assert (clean["处理时长(秒)"].dropna() > 0).all()
    assert (clean["升级投诉"] == "是").sum() <= (clean["是否投诉"] == "是").sum()
    assert validate(clean) == expected_rows(len(clean), dirty=False)


def test_peak_hours_and_trend_tag(clean):
    hours = clean["创建时间"].dt.hour.value_counts(normalize=True)
    assert min(hours[9], hours[10]) > 1.5 * hours.drop([9, 10]).max()
    assert hours[9] + hours[10] > 0.2
    tags = clean["问题标签"].str.split(",").explode()
    assert 10 <= tags.nunique() <= 20
    assert (clean["问题标签"].str.count(",") <= 1).all()
    assert clean["问题标签"].str.contains(",").mean() > 0.1
    day = clean["创建时间"].dt.day.loc[tags.index]
    daily = (tags == demo_data.TREND_TAG).groupby(day.to_numpy()).sum()
    share = daily / day.value_counts().sort_index()
    assert share.loc[25:].mean() > 10 * share.loc[:15].mean()
    growth = daily / daily.shift(1)
    # kpis.md: an alert needs >= 50% day-over-day growth on three consecutive days
    run = (growth >= 1.5) & (daily.shift(1) >= 1)
    alert = run & run.shift(1, fill_value=False) & run.shift(2, fill_value=False)
    assert alert.loc[16:].any()


def test_agents_differ_and_match_the_roster(clean):
    roster = agent_roster(TEAMS, 10, 11)
    assert list(roster.columns) == ["团队", "小组", "客服", "工号", "入职日期"]
    assert len(roster) == 60 and roster["客服"].is_unique and roster["工号"].is_unique
    assert roster.groupby("团队")["小组"].value_counts().eq(5).all()
    month_end = pd.Timestamp("2026-04-01")
    new = roster["入职日期"] > month_end - pd.DateOffset(months=6)
    assert 0 < new.sum() < 30
    assert (roster["入职日期"] < pd.Timestamp("2026-03-01")).all()
    seen = clean[["团队", "小组", "客服"]].drop_duplicates()
    merged = seen.merge(roster, on="客服", suffixes=("", "_roster"))
    assert len(merged) == len(seen) == 60
    assert (merged["团队"] == merged["团队_roster"]).all()
    assert (merged["小组"] == merged["小组_roster"]).all()
    answered = clean.dropna(subset=["满意度"])
    csat = (answered["满意度"] >= 4).groupby(answered["客服"]).mean()
    assert csat.max() - csat.min() > 0.1
    pd.testing.assert_frame_equal(roster, agent_roster(TEAMS, 10, 11))
    assert not roster.equals(agent_roster(TEAMS, 10, 12))


def test_dirty_rows_are_exactly_the_intended_dirt(dirty):
    n = len(dirty)
    assert n == 20_000 and list(dirty.columns) == EXPECTED_COLUMNS
    info = dirty.attrs["dirt"]
    counts = dirt_counts(n)
    assert info["counts"] == counts
    assert set(counts) == set(demo_data.DIRT_KINDS)
    assert {k: len(v) for k, v in info["rows"].items()} == counts
    rows = {k: set(v) for k, v in info["rows"].items()}
    all_rows = [r for v in rows.values() for r in v]
    assert len(all_rows) == len(set(all_rows))  # one kind of dirt per row
    unusable = sum(counts[k] for k in demo_data.REJECTED_KINDS)
    assert unusable == round(n * 0.002) == 40
    assert all(counts[k] >= 4 for k in ("text_time_slash", "text_time_zh", "text_number"))

    def str_rows(col):
        return {i for i, v in enumerate(dirty[col]) if isinstance(v, str)}

    assert str_rows("创建时间") == rows["text_time_slash"] | rows["bad_date"] | {
        r for r in rows["text_time_zh"] if isinstance(dirty.at[r, "创建时间"], str)
    }
    for r in rows["text_time_slash"]:
        assert SLASH.match(dirty.at[r, "创建时间"])
    zh_cells = {r for c in TIMES for r in str_rows(c)} - rows["text_time_slash"] - rows["bad_date"]
    assert zh_cells == rows["text_time_zh"]
    for r in rows["text_time_zh"]:
        texts = [dirty.at[r, c] for c in TIMES if isinstance(dirty.at[r, c], str)]
        assert len(texts) == 1 and ZH.match(texts[0])
    for r in rows["bad_date"]:
        assert re.fullmatch(r"2026-02-30 \d{2}:\d{2}:\d{2}", dirty.at[r, "创建时间"])
    number_texts = {r for c in NUMBERS for r in str_rows(c)}
    assert number_texts == rows["text_number"]
    for r in rows["text_number"]:
        texts = [dirty.at[r, c] for c in NUMBERS if isinstance(dirty.at[r, c], str)]
        assert len(texts) == 1
        assert texts[0] != texts[0].strip() or texts[0] != texts[0].translate(FULLWIDTH)
        assert isinstance(parse_number(texts[0]), float)
    scores = dirty["满意度"].map(parse_number)
    assert set(np.flatnonzero(scores > 5)) == rows["bad_score"]
    assert (scores[scores > 5] == 7).all()
    assert set(np.flatnonzero(dirty["工单号"].isna())) == rows["missing_id"]
    created = dirty["创建时间"].map(parse_time)
    first = dirty["首次响应时间"].map(parse_time)
    ok = created.map(lambda t: isinstance(t, pd.Timestamp)) & first.map(
        lambda t: isinstance(t, pd.Timestamp)
    )
    backwards = {i for i in np.flatnonzero(ok) if first.iloc[i] < created.iloc[i]}
    assert backwards == rows["bad_order"]
    # duplicates: the outdated copy sits above the current row and is not resolved yet
    ids = dirty["工单号"]
    repeated = set(np.flatnonzero(ids.duplicated(keep="last") & ids.notna()))
    assert repeated == rows["duplicate"]
    for r in rows["duplicate"]:
        later = np.flatnonzero(ids == ids.iloc[r])
        assert len(later) == 2 and later[0] == r
        assert pd.isna(dirty.at[r, "解决时间"])
        assert pd.notna(dirty.at[later[1], "解决时间"])
    assert validate(dirty) == expected_rows(n, dirty=True)


def test_dirty_needs_enough_rows():
    with pytest.raises(ValueError):
        generate_tickets(50, dirty=True)
    assert len(generate_tickets(0)) == 0


# ----------------------------------------------------------------------------- writer


def _expected_cell(v):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _frame_rows(df: pd.DataFrame) -> list[tuple]:
    cols = [[_expected_cell(v) for v in df[c].astype(object)] for c in df.columns]
    return [tuple(r) for r in zip(*cols, strict=True)]


def _openpyxl_rows(path, first_row: int) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb.worksheets[0]
        return [tuple(r) for r in ws.iter_rows(min_row=first_row, values_only=True)]
    finally:
        wb.close()


def _assert_fastexcel_matches(path, df: pd.DataFrame, header_row: int) -> None:
    sheet = fastexcel.read_excel(path).load_sheet(0, header_row=header_row)
    got = sheet.to_pandas()
    assert list(got.columns) == list(df.columns)
    assert len(got) == len(df)
    for c in df.columns:
        want = df[c]
        if pd.api.types.is_datetime64_dtype(want):
            equal = (want.astype("datetime64[ms]") == got[c]) | (want.isna() & got[c].isna())
        elif pd.api.types.is_numeric_dtype(want):
            w, g = want.astype("Float64"), got[c].astype("Float64")
            equal = (w == g).fillna(False) | (w.isna() & g.isna())
        else:
            equal = (want == got[c]).fillna(False) | (want.isna() & got[c].isna())
        assert equal.all(), c


@pytest.mark.parametrize("engine", ["openpyxl", "fast"])
def test_titled_export_round_trips_through_fastexcel(tmp_path, engine):
    df = generate_tickets(1_500, seed=3)
    path = tmp_path / "t.xlsx"
    write_xlsx(df, path, title="客服工单明细导出（2026年3月）", engine=engine)
    _assert_fastexcel_matches(path, df, header_row=2)
    top = fastexcel.read_excel(path).load_sheet(0, header_row=None, n_rows=3).to_pandas()
    assert top.iloc[0, 0] == "客服工单明细导出（2026年3月）"
    assert "1500" in top.iloc[1, 0]
    assert top.iloc[2].tolist() == EXPECTED_COLUMNS
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.title == demo_data.SHEET_NAME
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:Y1"]
    assert ws["A1"].font.b and ws["A3"].font.b
    assert ws["B4"].is_date and ws["B4"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.freeze_panes == "A4"


def test_untitled_export_has_the_header_on_row_1(tmp_path):
    df = generate_tickets(800, seed=4)
    for engine in ("openpyxl", "fast"):
        path = tmp_path / f"{engine}.xlsx"
        write_xlsx(df, path, engine=engine)
        _assert_fastexcel_matches(path, df, header_row=0)


def test_both_engines_write_the_same_cells_for_dirty_data(tmp_path):
    df = generate_tickets(2_000, seed=9, dirty=True)
    write_xlsx(df, tmp_path / "o.xlsx", title="T", engine="openpyxl")
    write_xlsx(df, tmp_path / "f.xlsx", title="T", engine="fast")
    want = _frame_rows(df)
    assert _openpyxl_rows(tmp_path / "o.xlsx", 4) == want
    assert _openpyxl_rows(tmp_path / "f.xlsx", 4) == want


def test_fast_writer_edge_values(tmp_path):
    df = pd.DataFrame(
        {
            "text": ["a&b<c>", "  leading", "trailing\u3000", "", None, "x\x01y"],
            "number": [1.5, -3.0, 1e-7, 12_345_678_901.0, np.nan, 0.0],
            "big int": pd.array([2**40, -1, 0, None, 7, 4_000_000], dtype="Int64"),
            "when": pd.to_datetime(
                [
                    "1985-01-01 00:00:00",
                    "2100-12-31 23:59:59",
                    "2026-03-01 09:05:07",
                    None,
                    "2026-03-01 00:00:00",
                    "2026-03-31 23:59:59",
                ]
            )
            + pd.to_timedelta([0, 0, 250, 0, 0, 0], unit="ms"),
            "flag": pd.array([True, False, None, True, False, True], dtype="boolean"),
            "mixed": [datetime(2026, 3, 1, 9, 5, 7), "2026/3/1 9:05", 3, 2.5, True, None],
        }
    )
    path = tmp_path / "edge.xlsx"
    write_xlsx(df, path, engine="fast")
    got = _openpyxl_rows(path, 2)
    want = _frame_rows(df)
    want = [tuple(v.replace("\x01", "") if isinstance(v, str) else v for v in r) for r in want]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for gv, wv in zip(g, w, strict=True):
            if isinstance(wv, datetime):
                assert abs((gv - wv).total_seconds()) < 1e-3
            elif wv == "":
                assert gv in ("", None)
            else:
                assert (gv == wv and type(gv) is type(wv)) or gv == pytest.approx(wv)


def test_large_frames_use_the_fast_writer_and_openpyxl_reads_it_back(tmp_path):
    df = generate_tickets(60_000, seed=2, dirty=True)
    path = tmp_path / "big.xlsx"
    write_xlsx(df, path, title="大表")
    with zipfile.ZipFile(path) as zf:
        assert b"<Application>csxl</Application>" in zf.read("docProps/app.xml")
        sheet = zf.read("xl/worksheets/sheet1.xml")
        assert b'<dimension ref="A1:Y60003"/>' in sheet
    got = _openpyxl_rows(path, 4)
    assert got == _frame_rows(df)
    header = _openpyxl_rows(path, 3)[0]
    assert list(header) == EXPECTED_COLUMNS
