"""LibreOffice recalculates new plans filled with sample inputs: no errors, and every
formula gives the value the Python engine computed (tiers, variances, flags, scores)."""

from datetime import date

import pytest

from csxl.domain.scoring import DEFAULT_INCENTIVES, Incentives
from csxl.workbook.book import PlanInputs
from csxl.workbook.builder import build
from tests.workbook import plan_samples
from tests.workbook.parity import differences, formula_cells

SCENARIOS = {
    # Between tiers, and below baseline.
    "mixed": {"csat": 0.92, "frt_mean": 45.0, "fcr": 0.79, "resolution_rate": 0.96},
    # Every target met exactly: a met target counts as met in both engines.
    "exact": {
        "csat": 0.90,
        "frt_mean": 60.0,
        "fcr": 0.95,
        "resolution_rate": 0.90,
        "reopen_rate": 0.03,
        "survey_response_rate": 0.28,
        "complaints_per_10k": 13.9,
        "bad_review_reviewed": 1.0,
    },
    "empty": {},
    # Budget, milestones and risks filled in (see plan_samples), with the mixed actuals.
    "plan rules": {"csat": 0.92, "frt_mean": 45.0, "fcr": 0.79, "resolution_rate": 0.96},
}
# Milestones, Budget and Risks inputs per scenario (by language); the defaults otherwise.
PLAN_RULES = {
    "plan rules": lambda lang: {
        "milestones": plan_samples.milestones(lang),
        "budget": plan_samples.budget(lang),
        "risks": plan_samples.risks(lang),
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mode", ["step", "linear"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_libreoffice_agrees_with_the_engine(libreoffice, tmp_path, lang, mode, scenario):
    inputs = PlanInputs(
        lang=lang,
        team="售后一组",
        year=2026,
        as_of=date(2026, 5, 15),
        active_customers=20000,
        actuals=SCENARIOS[scenario],
        incentives=Incentives(**{**DEFAULT_INCENTIVES.__dict__, "mode": mode}),
        **(PLAN_RULES[scenario](lang) if scenario in PLAN_RULES else {}),
    )
    path = tmp_path / f"plan_{lang}.xlsx"
    path.write_bytes(build(inputs))
    assert len(formula_cells(path)) > 50
    recalc = libreoffice.recalc(path)
    assert recalc.errors() == []
    assert differences(recalc, path) == []
