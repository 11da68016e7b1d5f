"""Masking of customer ids and phone numbers (csxl/domain/privacy.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csxl.domain.privacy import mask_id, mask_phones


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("010-62345678", "010-****5678"),
        ("0755-1234567", "0755-***4567"),
        ("C20260001", "C2*****01"),
        ("tb_小美2026", "tb*****26"),
        ("abcd", "a***"),
        ("ab", "**"),
        (12345678, "12****78"),
        (None, None),
        ("", ""),
    ],
)
def test_mask_id(value, masked):
    assert mask_id(value) == masked


def test_phones_inside_text_are_masked_and_other_digits_are_not():
    text = "客户 13812345678 来电，订单号 202603011234567，座机 021-51234567"
    assert mask_phones(text) == "客户 138****5678 来电，订单号 202603011234567，座机 021-****4567"


@given(st.text(min_size=5, max_size=40).filter(lambda s: s.strip() == s))
def test_a_masked_id_keeps_its_length_and_ends_and_hides_the_middle(text):
    masked = mask_id(text)
    if masked == mask_phones(text) and masked != text:
        return  # a phone number: masked as one
    assert len(masked) == len(text)
    assert (masked[:2], masked[-2:]) == (text[:2], text[-2:])
    assert set(masked[2:-2]) == {"*"}
