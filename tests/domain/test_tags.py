"""Tag counts, the daily Top-20 and the growth alert, worked out by hand.

Rule (../shared/spec/kpis.md): alert on day d when count[t] >= 1.5 x count[t-1] with
count[t-1] >= 1 for each of t = d-2, d-1, d; a day without tickets of the tag counts as 0.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.helpers import document


def day(n: int) -> str:
    return f"2026-03-{n:02d}"


def tickets(counts: dict[str, list[int | None]], first_day: int = 1) -> list[dict]:
    """counts[tag][i] tickets tagged `tag` on day first_day + i (None: no tickets at all)."""
    rows = []
    for tag, per_day in counts.items():
        for i, n in enumerate(per_day):
            for j in range(n or 0):
                created = datetime(2026, 3, first_day + i, 9, 0) + timedelta(minutes=j)
                rows.append({"ticket_id": f"{tag}-{i}-{j}", "created_at": created, "tags": tag})
    return rows


def alerts(rows, tmp_path, **kwargs) -> list[dict]:
    doc, _ = document(rows, tmp_path, **kwargs)
    return doc["tag_alerts"]


def top(doc: dict, date: str) -> list[tuple[str, int]]:
    return [(t["tag"], t["count"]) for t in doc["top_tags"] if t["date"] == date]


def test_1_2_3_5_alerts_on_day_4_only(tmp_path):
    # day 2: 2 >= 1.5 x 1; day 3: 3 >= 1.5 x 2 = 3; day 4: 5 >= 1.5 x 3 = 4.5
    # day 3 is not an alert: its run would need growth on day 1, which has no day before
    got = alerts(tickets({"X": [1, 2, 3, 5]}), tmp_path)
    assert got == [{"tag": "X", "date": day(4)}]


def test_2_3_4_6_never_alerts(tmp_path):
    # day 2: 3 >= 3 yes; day 3: 4 >= 4.5 no; day 4: 6 >= 6 yes -> no three-day run
    assert alerts(tickets({"X": [2, 3, 4, 6]}), tmp_path) == []


def test_each_alerting_day_is_listed(tmp_path):
    # 1, 2, 3, 5, 8: growth on days 2, 3, 4, 5 (8 >= 7.5) -> runs end on days 4 and 5
    got = alerts(tickets({"X": [1, 2, 3, 5, 8]}), tmp_path)
    assert got == [{"tag": "X", "date": day(4)}, {"tag": "X", "date": day(5)}]


def test_a_day_without_tickets_counts_as_0(tmp_path):
    # day 3 has no tickets at all: counts 1, 2, 0, 3, 5, 8, 13
    # growth: d2 yes, d3 no (0 < 3), d4 no (count[d3] = 0 < 1), d5 yes, d6 yes, d7 yes
    # -> only day 7 (d5, d6, d7). Skipping the empty day would alert on days 5, 6 and 7.
    rows = tickets({"X": [1, 2, None, 3, 5, 8, 13]})
    assert alerts(rows, tmp_path) == [{"tag": "X", "date": day(7)}]


def test_growth_from_zero_is_not_growth(tmp_path):
    # Y: 0, 1, 2, 3 (other tickets on day 1): d2 from 0 does not count (needs count >= 1),
    # d3 2 >= 1.5, d4 3 >= 3: only two growing days, no alert
    rows = tickets({"Y": [0, 1, 2, 3], "Z": [1, 1, 1, 1]})
    assert alerts(rows, tmp_path) == []


def test_alerts_look_at_tags_outside_the_top_20(tmp_path):
    fillers = [f"常见{i:02d}" for i in range(21)]
    rows = tickets({"X": [1, 2, 3, 5]})
    for d in range(1, 5):
        for j in range(6):  # each filler tag: 6 tickets a day, more than X ever has
            rows.append(
                {
                    "ticket_id": f"F-{d}-{j}",
                    "created_at": datetime(2026, 3, d, 12, j),
                    "tags": ",".join(fillers),
                }
            )
    doc, _ = document(rows, tmp_path)
    assert "X" not in [tag for tag, _ in top(doc, day(4))]
    assert len(top(doc, day(4))) == 20
    assert doc["tag_alerts"] == [{"tag": "X", "date": day(4)}]


def test_alerts_sorted_by_date_then_tag_in_code_point_order(tmp_path):
    rows = tickets({"中": [1, 2, 3, 5], "b": [1, 2, 3, 5], "B": [1, 2, 3, 5, 8]})
    # "B" U+0042 < "b" U+0062 < "中" U+4E2D; B also alerts on day 5
    assert alerts(rows, tmp_path) == [
        {"tag": "B", "date": day(4)},
        {"tag": "b", "date": day(4)},
        {"tag": "中", "date": day(4)},
        {"tag": "B", "date": day(5)},
    ]


def test_separators_and_trimming(tmp_path):
    cells = ["a,b", "c，d", "e;f", "g；h", "i|j", " k ; l ", "　m　", "n ,o"]
    rows = [
        {"ticket_id": f"T{i}", "created_at": datetime(2026, 3, 1, 9, i), "tags": c}
        for i, c in enumerate(cells)
    ]
    doc, _ = document(rows, tmp_path)
    assert top(doc, day(1)) == [(t, 1) for t in "abcdefghijklmno"]


def test_a_tag_twice_on_one_ticket_counts_once(tmp_path):
    cells = ["退款,退款", "退款， 退款 ", "退款|物流查询", "物流查询;物流查询"]
    rows = [
        {"ticket_id": f"T{i}", "created_at": datetime(2026, 3, 1, 9, i), "tags": c}
        for i, c in enumerate(cells)
    ]
    doc, _ = document(rows, tmp_path)
    assert top(doc, day(1)) == [("退款", 3), ("物流查询", 2)]


def test_top_20_with_ties_in_code_point_order(tmp_path):
    ones = ["z9", "Z9", "é", "e", "丙", "乙", "甲", "x1", "X1", "_", "1", "10", "2", "ä", "A1"]
    ones += ["a1", "ß", "Ω", "中中", "~"]
    assert len(ones) == 20
    rows = [
        {"ticket_id": "T1", "created_at": datetime(2026, 3, 1, 9), "tags": "a,B,b,中"},
        {"ticket_id": "T2", "created_at": datetime(2026, 3, 1, 10), "tags": "中,b,B,a"},
        {"ticket_id": "T3", "created_at": datetime(2026, 3, 1, 11), "tags": ",".join(ones)},
    ]
    doc, _ = document(rows, tmp_path)
    # count 2 first (B < a < b < 中), then the count-1 tags by code point, cut at 20
    expected = [("B", 2), ("a", 2), ("b", 2), ("中", 2)]
    by_code_point = ["1", "10", "2", "A1", "X1", "Z9", "_", "a1", "e", "x1", "z9", "~", "ß"]
    by_code_point += ["ä", "é", "Ω"]  # cut at 20: 丙, 中中, 乙, 甲 fall out
    expected += [(t, 1) for t in by_code_point]
    assert top(doc, day(1)) == expected
    assert [t for t, _ in expected[4:]] == sorted(ones)[:16]  # Python str order: code points
    assert all(set(t) == {"date", "tag", "count"} for t in doc["top_tags"])


def test_top_tags_per_day(tmp_path):
    rows = tickets({"退款": [3, 1], "物流查询": [1, 2]})
    doc, _ = document(rows, tmp_path)
    assert top(doc, day(1)) == [("退款", 3), ("物流查询", 1)]
    # 物流查询 U+7269 < 退款 U+9000 only matters on a tie; day 2 is not a tie
    assert top(doc, day(2)) == [("物流查询", 2), ("退款", 1)]
    assert [t["date"] for t in doc["top_tags"]] == sorted(t["date"] for t in doc["top_tags"])


def test_zendesk_tags_are_space_separated(tmp_path):
    head = ["Id", "Created at", "Tags"]
    cells = ["refund vip", "refund", "shipping_status  vip", "vip"]
    rows = [
        {"Id": str(i), "Created at": f"2026-05-03 09:0{i}:00", "Tags": c}
        for i, c in enumerate(cells)
    ]
    doc, _ = document(rows, tmp_path, name="z.csv", headers=head)
    assert [(t["tag"], t["count"]) for t in doc["top_tags"]] == [
        ("vip", 3),
        ("refund", 2),
        ("shipping_status", 1),
    ]


def test_zendesk_space_separated_tag_alert(tmp_path):
    head = ["Id", "Created at", "Tags"]
    rows = []
    for d, n in enumerate([1, 2, 3, 5], start=1):
        for j in range(n):
            rows.append(
                {"Id": f"{d}{j}", "Created at": f"2026/5/{d} 9:{j:02d}", "Tags": "app_crash vip"}
            )
    doc, _ = document(rows, tmp_path, name="z.csv", headers=head)
    assert doc["tag_alerts"] == [
        {"tag": "app_crash", "date": "2026-05-04"},
        {"tag": "vip", "date": "2026-05-04"},
    ]
