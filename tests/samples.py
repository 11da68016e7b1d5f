"""The sample exports of ../shared/data: present in CI, absent from a user's clone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def need(path: Path) -> Path:
    """`path`, or skip the calling test when it is absent (fail instead under CI=true)."""
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"sample {path} is missing (CI=true: samples must be present)")
        pytest.skip(f"sample {path} not present")
    return path
