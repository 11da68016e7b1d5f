"""Promotion readiness, training completion and knowledge-base flags (csxl/domain/people.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from csxl.domain.people import (
    PromotionRule,
    attendance,
    meets,
    months_back,
    promotion_ready,
    training_completion,
)

HISTORY = pd.DataFrame(
    [
        # agent, month, grade, red_lines
        ("甲", "2026-01", "A", 0),
        ("甲", "2026-02", "B", 0),
        ("甲", "2026-03", "S", 0),  # A, S in the window: ready
        ("乙", "2026-01", "A", 0),
        ("乙", "2026-02", "A", 1),  # a red line in the window: not ready
        ("乙", "2026-03", "A", 0),
        ("丙", "2025-12", "A", 0),  # outside the window
        ("丙", "2026-03", "A", 0),  # one A in the window: not ready
        ("丁", "2026-02", "A", 0),
        ("丁", "2026-03", "A", 0),  # hired in February: two A's are enough
        ("戊", "2026-02", "B", 0),
        ("戊", "2026-02", "A", 0),  # February re-scored: the last row counts
        ("戊", "2026-03", "A", 0),
    ],
    columns=["agent", "month", "grade", "red_lines"],
)


def test_months_back_crosses_the_year():
    assert months_back("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


def test_the_default_rule_by_hand():
    assert promotion_ready(HISTORY, "2026-03") == {
        "丁": True,
        "丙": False,
        "乙": False,
        "戊": True,
        "甲": True,
    }


def test_an_edited_rule():
    strict = PromotionRule(months=3, at_least=3, grade="A", red_line_blocks=False)
    got = promotion_ready(HISTORY, "2026-03", strict)
    assert got["乙"] is True and got["甲"] is False and got["丁"] is False
    assert promotion_ready(HISTORY, "2026-03", PromotionRule(grade="S", at_least=1))["甲"] is True
    with pytest.raises(ValueError):
        PromotionRule(months=2, at_least=3)


def test_training_and_knowledge_base_figures():
    assert training_completion(16, 12) == 0.75 and training_completion(0, 5) is None
    assert attendance(13, 11) == pytest.approx(11 / 13) and attendance(0, 0) is None
    assert meets(0.9, 0.9) is True and meets(0.18, 0.2) is False and meets(None, 0.9) is None
