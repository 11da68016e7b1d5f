import pytest

from csxl.domain.synonyms import Synonyms, looks_like_summary, normalise_header


def test_matching_ignores_case_spaces_and_width():
    s = Synonyms()
    for header in ("Id", "ID", " id ", "Ｉｄ"):
        assert s.lookup(header).column == "ticket_id"
    assert s.lookup("处理时长（秒）").column == "handle_s"
    assert normalise_header("Created  At") == "createdat"


def test_zendesk_headers_map_with_minutes_scaled():
    m = Synonyms().match(
        [
            "Id",
            "Created at",
            "Solved at",
            "Assignee",
            "Group",
            "Satisfaction Score",
            "Replies",
            "Reopens",
            "First reply time in minutes",
            "First reply time in minutes within business hours",
        ]
    )
    assert m.columns == {
        "ticket_id": 0,
        "created_at": 1,
        "resolved_at": 2,
        "agent": 3,
        "team": 4,
        "csat": 5,
        "contacts": 6,
        "reopens": 7,
        "first_response_s": 8,
    }
    assert m.scales["first_response_s"] == 60.0
    assert m.unmapped == ["First reply time in minutes within business hours"]


def test_freshdesk_initial_response_is_a_timestamp():
    m = Synonyms().match(
        [
            "Ticket ID",
            "Created time",
            "Initial response time",
            "Resolved time",
            "Agent interactions",
            "First response time (in hrs)",
        ]
    )
    assert set(m.columns) == {
        "ticket_id",
        "created_at",
        "first_response_at",
        "resolved_at",
        "contacts",
    }
    assert "First response time (in hrs)" in m.unmapped


def test_two_headers_for_one_column_are_reported_and_the_better_name_wins():
    m = Synonyms().match(["ID", "工单号", "创建时间"])
    assert m.columns["ticket_id"] == 1  # 工单号 ranks before the generic ID
    assert m.ambiguous == [("ID", "工单号", "ticket_id")]


def test_user_synonyms_extend_and_override():
    s = Synonyms()
    s.extend([("单据编号", "ticket_id"), ("响应分钟", "first_response_s", 60)])
    m = s.match(["单据编号", "创建时间", "响应分钟"])
    assert m.columns["ticket_id"] == 0 and m.scales["first_response_s"] == 60.0
    with pytest.raises(ValueError, match="unknown column"):
        s.extend([("x", "not_a_column")])


def test_missing_required_columns_are_named():
    assert Synonyms().match(["客服", "创建时间"]).missing_required == ["ticket_id"]


def test_per_agent_summaries_are_recognised():
    assert looks_like_summary(["客服", "接待量", "好评数", "差评数", "平均首响时长"])
    assert not looks_like_summary(["工单号", "创建时间", "客服"])


@pytest.mark.parametrize("lang", [0, 1])
def test_every_canonical_label_maps_back_to_its_column(lang):
    from csxl.domain.columns import LABELS

    s = Synonyms()
    for column, labels in LABELS.items():
        hit = s.lookup(labels[lang])
        assert hit is not None and hit.column == column, (column, labels[lang])
