"""Shared fixtures. ``libreoffice``: one headless soffice for the whole session (oracle)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.libreoffice import LibreOffice


@pytest.fixture(scope="session")
def libreoffice() -> Iterator[LibreOffice]:
    """The LibreOffice oracle; skips without soffice/uno, fails instead under CI=true."""
    with LibreOffice.start() as office:
        yield office
