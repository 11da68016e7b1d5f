"""Masking of personal data (PIPL) in what csxl writes out of a manager's workbook.

Customer ids and phone numbers are personal information under the PIPL; an agent's score
sheet needs neither in full to be checked. A mask keeps enough to find the ticket again
with the manager's own copy (the ends of an id, a phone number's network and last four
digits) and hides the rest.
"""

from __future__ import annotations

import re

# Mainland mobile numbers (optionally +86 / 86), and landlines with an area code.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-(\d{3,4})(\d{4})(?!\d)")
STAR = "*"


def mask_phones(text: str) -> str:
    """Every phone number in `text` with its middle digits starred: 138****5678."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}{STAR * 4}{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-{STAR * len(m.group(2))}{m.group(3)}", text)


def mask_id(value: object) -> object:
    """A customer id with only its ends kept; a phone number as in `mask_phones`.

    Up to 2 characters: all starred; up to 4: the first kept; longer: the first two and the
    last two kept, one star per hidden character (the length stays visible, as on receipts).
    Missing values stay missing; numbers are masked as their text.
    """
    if value is None or value == "":
        return value
    text = str(value).strip()
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return mask_phones(text)
    n = len(text)
    if n <= 2:
        return STAR * n
    if n <= 4:
        return text[0] + STAR * (n - 1)
    return text[:2] + STAR * (n - 4) + text[-2:]
