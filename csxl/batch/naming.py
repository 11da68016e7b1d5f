"""Windows-safe, unique file names for the teams' plans."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")
}
STEM_MAX = 80  # UTF-16 code units: leaves room for the folder in Windows' 260-unit paths
SUFFIX = ".xlsx"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _truncate(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def _strip_end(text: str) -> str:
    return text.rstrip(". ")


def safe_stem(team: str) -> str:
    """A file name stem Windows accepts for `team`, Chinese kept: forbidden characters become
    `_`, no trailing dot or space, no reserved device name, at most STEM_MAX UTF-16 units."""
    stem = unicodedata.normalize("NFC", team)
    stem = _FORBIDDEN.sub("_", stem)
    stem = " ".join(stem.split())  # no tabs or newlines, single spaces
    stem = _strip_end(stem).lstrip(" ")
    if not stem or set(stem) <= {"."}:
        stem = "team"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return _strip_end(_truncate(stem, STEM_MAX)) or "team"


def file_names(teams: Sequence[str], recorded: dict[str, str] | None = None) -> dict[str, str]:
    """A unique, Windows-safe .xlsx name per team (case-insensitive, as Windows compares).

    A team keeps the name recorded in an earlier run when that name is still free, so that
    re-running never renames a manager's file.
    """
    recorded = recorded or {}
    out: dict[str, str] = {}
    used: set[str] = set()
    for team in teams:
        name = recorded.get(team)
        if name and name.casefold() not in used and name == _valid(name):
            out[team] = name
            used.add(name.casefold())
    for team in teams:
        if team in out:
            continue
        stem = safe_stem(team)
        name, n = stem + SUFFIX, 1
        while name.casefold() in used:
            n += 1
            tail = f" ({n})"
            name = _strip_end(_truncate(stem, STEM_MAX - len(tail))) + tail + SUFFIX
        out[team] = name
        used.add(name.casefold())
    return out


def _valid(name: str) -> str:
    """`name` itself when it is a safe file name csxl could have made, else ''."""
    if not name.endswith(SUFFIX):
        return ""
    stem = name[: -len(SUFFIX)]
    ok = (
        stem
        and not _FORBIDDEN.search(stem)
        and stem == _strip_end(stem)
        and _utf16_len(stem) <= STEM_MAX
        and stem.split(".")[0].rstrip(" ").upper() not in _RESERVED
    )
    return name if ok else ""
