"""How a KPI's values look on every sheet that shows them (Goals, Dashboard, Scores): the
number format of its unit, a missing value as a blank, and the tier and variance colours."""

from __future__ import annotations

from csxl.domain.scoring import Target
from csxl.workbook import style

UNITS = {
    "%": ("%", "%", style.PERCENT),
    "s": ("秒", "s", "0.0"),
    "per 10k": ("每万人", "per 10k", "0.00"),
}


def unit_format(target: Target, lang: str = "zh") -> str:
    """The number format of a KPI's values in its unit; seconds carry the unit (秒 / s)."""
    if target.unit == "s":
        return style.seconds_format(lang)
    return UNITS.get(target.unit, (target.unit, target.unit, style.NUMBER))[2]


def blank(value: float | None) -> object:
    return "" if value is None else value


def gap_colours(ws, area: str) -> None:
    """Variance signed by better / worse: green when better than the target (> 0), red when
    worse (< 0), in the flags' colours."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font

    for operator, level in (("greaterThan", 2), ("lessThan", 0)):
        ws.conditional_formatting.add(
            area,
            CellIsRule(
                operator=operator,
                formula=["0"],
                font=Font(color=style.FLAG_FONTS[level], bold=True),
            ),
        )


def flag_colours(ws, area: str, tier_cell: str) -> None:
    """Flag colours on `area` by the tier label in `tier_cell` (its first row, column fixed)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    for level in range(4):
        ws.conditional_formatting.add(
            area,
            FormulaRule(
                formula=[f"{tier_cell}=INDEX(csxl_TierLabels,{level + 1})"],
                fill=PatternFill(
                    "solid", fgColor=style.FLAG_FILLS[level], bgColor=style.FLAG_FILLS[level]
                ),
                font=Font(color=style.FLAG_FONTS[level], bold=True),
                stopIfTrue=True,
            ),
        )
