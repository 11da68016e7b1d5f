"""One error hierarchy whose messages say where the problem is and what to do.

A user never learns of an error from a traceback: the CLI prints `str(error)` on one line
and exits with `error.exit_code` (see ../shared/spec/cli.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

# The language of this run's messages (`--lang`, else CSXL_LANG, else the plan's; Chinese by
# default). `t(zh, en)` is the one way to write a message in both languages.
LANGUAGE: ContextVar[str] = ContextVar("csxl_language", default="zh")


class Zh(str):
    """Chinese text chosen by `t` (so that an error knows its message is Chinese)."""


def t(zh: str, en: str) -> str:
    """The text in this run's language: `t("文件不存在。", "file not found.")`."""
    return en if LANGUAGE.get() == "en" else Zh(zh)


def reason(exc: BaseException) -> str:
    """An exception's reason in this run's language: the domain's checks (`Invalid`, in
    csxl.domain.reasons) carry a Chinese one too; any other says what it says."""
    zh = getattr(exc, "zh", None)
    return t(zh, str(exc)) if isinstance(zh, str) else str(exc)


def is_chinese(text: str) -> bool:
    """Chosen by `t` in a Chinese run, or (a message written before `t`) mostly Chinese: an
    English message that quotes a Chinese name is still English."""
    if isinstance(text, Zh):
        return True
    return len(_CJK.findall(text)) * 2 > len(_LETTERS.findall(text))


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Messages in `lang` inside the block (None keeps the run's): library calls, workers."""
    if lang is None:
        yield
        return
    token = LANGUAGE.set(lang)
    try:
        yield
    finally:
        LANGUAGE.reset(token)


_CJK = re.compile("[\u3400-\u9fff]")
_LETTERS = re.compile("[A-Za-z]")

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_REFUSED = 2
EXIT_OPEN_IN_EXCEL = 3


@dataclass(frozen=True)
class Location:
    """Where in the user's files a problem is; every part optional."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # as the user sees it in Excel (1-based)
    column: str | None = None  # the header as written in the file

    def __str__(self) -> str:
        return self.en() if LANGUAGE.get() == "en" else self.zh()

    def en(self) -> str:
        """file, sheet 'Data', row 3, column 'CSAT'."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def zh(self) -> str:
        """文件，工作表“数据”，第 3 行，“满意度”列."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "，".join(parts)


def printable(text: str) -> str:
    """Text from a user's files made safe for one line of a terminal: control and invisible
    format characters (newlines, escape sequences, bidi overrides) written as \\uXXXX."""
    import unicodedata

    return "".join(
        f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text
    )


class CsxlError(Exception):
    """Base of every error csxl reports to a user. The message and hint are written with
    `t(zh, en)`, so they are in the language of the run that raised the error; the location
    follows the language of the run that prints it."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str, where: Location | None = None, hint: str | None = None):
        self.message = message
        self.where = where or Location()
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        if LANGUAGE.get() != "en" and is_chinese(self.message):
            where = self.where.zh()
            text = f"{where}：{self.message}" if where else self.message
            return f"{text}{self.hint}" if self.hint else text
        # English, or a message not yet written with t() (English only): said in English
        # throughout rather than half in Chinese.
        where = self.where.en()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} {self.hint}" if self.hint else text


class InputError(CsxlError):
    """The input cannot be used at all (missing, corrupt, encrypted, no header...)."""


class WorkbookOpenError(CsxlError):
    """Excel holds the workbook open; only the live path may write it."""

    exit_code = EXIT_OPEN_IN_EXCEL


# The domain's checks of targets and grades, which speak English (the domain has no
# language), as a Chinese run says them; the English run quotes the domain's own words.
_DOMAIN_REASONS = (
    ("must be finite numbers", "权重和目标必须是数字"),
    ("weight must not be negative", "权重不能为负数"),
    ("targets must run baseline", "目标必须按 保底 → 冲刺 → 挑战 的顺序，符合指标的方向"),
    ("grade bands must run", "各等级的最低分必须从高到低排列"),
    ("grade names must be unique", "等级名称不能重复"),
    ("is not a grade", "红线封顶等级不是表中的等级"),
    ("exactly one coefficient", "每个等级需要且只需要一个系数"),
)


def domain_reason(exc: Exception) -> str:
    """A domain check's reason in Chinese (called in the Chinese branch of `t` only)."""
    text = str(exc)
    return next((zh for en, zh in _DOMAIN_REASONS if en in text), "数值缺失或不是数字")
