"""Refresh renders only the sheets it writes (and what their builders read): every written
sheet must come out the same, cell for cell and cached value for value, as in the full render."""

from __future__ import annotations

from dataclasses import replace

import pytest

import csxl.refresh as engine
from csxl.workbook import layout
from csxl.workbook.port import PackageBook
from csxl.workbook.sheets import NOT_RENDERED
from tests.plan_fixtures import NOW, pasted_plan, plan_inputs, tickets
from tests.workbook.test_aliases import ALIASES


def _cells(ctx, key: str) -> dict:
    ws = ctx.sheet(key)
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_written_sheets_equal_the_full_render(tmp_path, monkeypatch, lang):
    inputs = []
    real = engine.render

    def spy(p, everything=False):
        inputs.append(p)
        return real(p, everything)

    monkeypatch.setattr(engine, "render", spy)
    plan = replace(plan_inputs(aliases=ALIASES), lang=lang)
    path = pasted_plan(tmp_path / "plan.xlsx", tickets(), plan)
    engine.refresh(PackageBook(path), "2026-03", now=NOW)
    engine.score(PackageBook(path), now=NOW)
    engine.staff(PackageBook(path), now=NOW)
    engine.validate(PackageBook(path))
    assert len(inputs) == 4
    for p in inputs:
        part, full = real(p), real(p, everything=True)
        written = [s.key for s in layout.SHEETS if s.key not in NOT_RENDERED]
        assert len(written) >= 15
        for key in written:
            assert _cells(part, key) == _cells(full, key), key
            title = full.sheet(key).title
            assert {k: v for k, v in part.cached.items() if k[0] == title} == {
                k: v for k, v in full.cached.items() if k[0] == title
            }, key
        assert _cells(part, "Milestones") == {} != _cells(full, "Milestones")
