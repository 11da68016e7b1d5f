"""`csxl-batch.json`: per team, the file, the fingerprint of its inputs and its bytes' digest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, astuple
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from csxl.batch.status import EDITED, UP_TO_DATE, WRITTEN
from csxl.roster import Team

if TYPE_CHECKING:
    from csxl.domain.scoring import Target
    from csxl.workbook.book import Override

MANIFEST = "csxl-batch.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fingerprint(
    lang: str,
    year: int,
    team: Team,
    targets: Sequence[Target],
    cascade: Sequence[Override],
    data: str | None,
) -> str:
    """What a team's workbook is made from (not the day it was made)."""
    from csxl import __version__
    from csxl.workbook.layout import TEMPLATE_VERSION

    doc = {
        "csxl": __version__,
        "template": TEMPLATE_VERSION,
        "lang": lang,
        "year": year,
        "team": team.name,
        "agents": sorted(
            (a.name, a.group or "", a.agent_id or "", str(a.hire_date or "")) for a in team.agents
        ),
        "active_customers": team.active_customers,
        "targets": [astuple(t) for t in targets],
        "cascade": [asdict(o) for o in cascade],
        "data": data,
    }
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(out: Path) -> dict[str, dict[str, str]]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text("utf-8")).get("teams", {}))
    except (ValueError, AttributeError):
        return {}


def write_manifest(out: Path, teams: dict[str, dict[str, str]]) -> None:
    from csxl.workbook.package import write_atomic

    doc = {"format": 1, "teams": teams}
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    write_atomic(out / MANIFEST, text.encode("utf-8"))


def status_of(path: Path, record: dict[str, str], fp: str) -> str:
    """UP_TO_DATE, EDITED (or unknown to csxl), or WRITTEN (free to write)."""
    if not path.exists():
        return WRITTEN
    if not record or sha256_file(path) != record.get("content"):
        return EDITED
    return UP_TO_DATE if record.get("inputs") == fp else WRITTEN


def entry(file: str, fp: str, content: str) -> dict[str, str]:
    return {
        "file": file,
        "inputs": fp,
        "content": content,
        "written": datetime.now().replace(microsecond=0).isoformat(),
    }
