import math
from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain import normalise as n


def test_datetime_text_forms_parse_to_the_same_instant():
    s = pd.Series(
        [
            "2026-10-01 09:05:07",
            "2026/10/1 9:05:07",
            "2026年10月1日 09:05:07",
            "2026-10-01T09:05:07",
            "２０２６-１０-０１　０９:０５:０７",  # full-width digits and space
            " 2026-10-01 09:05:07 ",
        ],
        dtype="str",
    )
    parsed = n.datetimes(s)
    assert not parsed.bad.any()
    assert (parsed.values == pd.Timestamp("2026-10-01 09:05:07")).all()


def test_minutes_only_and_date_only_forms():
    parsed = n.datetimes(pd.Series(["2026/3/1 9:05", "2026-03-01"], dtype="str"))
    assert parsed.values.tolist() == [datetime(2026, 3, 1, 9, 5), datetime(2026, 3, 1)]


def test_excel_serial_numbers_as_floats_and_as_text():
    # 46296 is 2026-10-01; .65875 of a day is 15:48:36.
    as_float = n.datetimes(pd.Series([46296.65875]))
    as_text = n.datetimes(pd.Series(["46296.65875"], dtype="str"))
    assert as_float.values[0] == pd.Timestamp("2026-10-01 15:48:36")
    assert as_text.values[0] == pd.Timestamp("2026-10-01 15:48:36")


def test_serial_fraction_rounds_to_the_nearest_second():
    # 09:05:07 stored as a binary fraction a hair below the second
    almost = 46296 + (9 * 3600 + 5 * 60 + 7) / 86400 - 1e-9
    assert n.datetimes(pd.Series([almost])).values[0] == pd.Timestamp("2026-10-01 09:05:07")


@pytest.mark.parametrize(
    "bad", ["2026-02-30 10:00:00", "未知", "2026/13/45 25:61", "2026-10-01 24:00"]
)
def test_impossible_or_unparseable_datetimes_are_bad(bad):
    parsed = n.datetimes(pd.Series([bad, "2026-10-01 09:00:00"], dtype="str"))
    assert parsed.bad.tolist() == [True, False]
    assert pd.isna(parsed.values[0])


def test_blank_datetime_is_missing_not_bad():
    parsed = n.datetimes(pd.Series(["", None, "\u3000"], dtype="str"))
    assert not parsed.bad.any()
    assert parsed.values.isna().all()


def test_numbers_from_text():
    parsed = n.numbers(pd.Series([" 247 ", "１８０", "1,234", "abc", "", "-5", "1e3"], dtype="str"))
    assert parsed.values.tolist()[:3] == [247.0, 180.0, 1234.0]
    assert math.isnan(parsed.values[3]) and math.isnan(parsed.values[4])
    assert parsed.values[5] == -5.0 and parsed.values[6] == 1000.0
    assert parsed.bad.tolist() == [False, False, False, True, False, False, False]


def test_durations_scale_and_clock_text():
    parsed = n.durations(pd.Series(["2", "1:02:03", "x"], dtype="str"), scale=60)
    assert parsed.values.tolist()[:2] == [120.0, 3723.0]
    assert parsed.bad.tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("TRUE", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("已复核", True),
        ("未复核", False),
        ("ｙｅｓ", True),
    ],
)
def test_booleans(text, value):
    parsed = n.booleans(pd.Series([text], dtype="str"))
    assert bool(parsed.values[0]) is value
    assert not parsed.bad[0]


def test_unknown_boolean_is_bad_and_blank_is_missing():
    parsed = n.booleans(pd.Series(["maybe", ""], dtype="str"))
    assert parsed.bad.tolist() == [True, False]
    assert parsed.values.isna().all()


def test_csat_forms():
    c = n.csat(
        pd.Series(
            [
                "5",
                "４",
                " 3 ",
                "非常满意",
                "不满意",
                "5分",
                "Good",
                "bad",
                "Offered",
                "Unoffered",
                "Not Offered",
                "7",
                "0",
                "很好",
                "",
            ],
            dtype="str",
        )
    )
    assert c.score.tolist()[:6] == [5.0, 4.0, 3.0, 5.0, 2.0, 5.0]
    assert c.good.tolist()[:8] == [True, True, False, True, False, True, True, False]
    assert c.sent.tolist()[6:11] == [True, True, True, False, False]
    assert c.bad.tolist() == [False] * 11 + [True, True, True, False]
    assert pd.isna(c.good[8]) and pd.isna(c.good[14])


def test_numeric_csat_outside_scale_is_bad():
    c = n.csat(pd.Series([5.0, 7.0, 0.0, None]))
    assert c.bad.tolist() == [False, True, True, False]
    assert c.good.tolist()[0] is True


def test_text_keeps_ids_without_float_tails():
    assert n.text(pd.Series([48001.0, None, 1.5])).tolist() == ["48001", pd.NA, "1.5"]


def test_severity_maps_zendesk_words():
    assert n.severity(pd.Series(["Urgent", "High", "Normal", "Low", "紧急", "其它"])).tolist() == [
        "紧急",
        "重要",
        "常规",
        "常规",
        "紧急",
        "其它",
    ]


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)))
def test_iso_text_round_trips(moment):
    moment = moment.replace(microsecond=0)
    parsed = n.datetimes(pd.Series([moment.strftime("%Y-%m-%d %H:%M:%S")], dtype="str"))
    assert parsed.values[0] == pd.Timestamp(moment)
