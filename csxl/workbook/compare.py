"""Compare two workbook packages part by part, after normalising volatile XML.

Byte comparison of .xlsx files fails on zip metadata and document timestamps; what matters
is that every part says the same thing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# docProps/core.xml: created/modified times change on every save.
_VOLATILE = (re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>"),)


def normalised_parts(path: Path | bytes) -> dict[str, bytes]:
    import io

    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with zipfile.ZipFile(source) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    for name, data in parts.items():
        for pattern in _VOLATILE:
            data = pattern.sub(rb"<dcterms:\1/>", data)
        parts[name] = data
    return parts


def differences(a: Path | bytes, b: Path | bytes) -> list[str]:
    """Names of the parts that differ, are missing or are extra (empty when the same)."""
    pa, pb = normalised_parts(a), normalised_parts(b)
    out = [f"only in first: {n}" for n in sorted(pa.keys() - pb.keys())]
    out += [f"only in second: {n}" for n in sorted(pb.keys() - pa.keys())]
    out += [f"differs: {n}" for n in sorted(pa.keys() & pb.keys()) if pa[n] != pb[n]]
    return out
