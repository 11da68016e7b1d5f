"""A domain check a manager can meet, said in both languages: the domain has no language,
so the caller's message (`csxl.errors.reason`) picks the run's."""

from __future__ import annotations


class Invalid(ValueError):
    """`str()` is the English reason; `zh` the Chinese one."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh
