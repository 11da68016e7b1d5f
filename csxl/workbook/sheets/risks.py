"""Risks (风险登记): the risk register and a 5x5 heat map of the open risks.

One row per risk: id, risk, category, likelihood 1-5, impact 1-5 (whole numbers), score
(likelihood x impact) and level (低 1-4, 中 5-9, 高 10-16, 极高 17+), trigger signal,
prevention, response plan, owner, status and review date; pre-filled with the common CS
risks. Right of the table the heat map counts the open risks (status not 已关闭 / Closed)
per likelihood (rows 5..1, top to bottom) and impact (columns 1..5), each cell coloured by
its own score band; below it, the bands and the open risks per level. Every rule is
`csxl.domain.plan`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill

from csxl.domain import plan
from csxl.domain.plan import Risk
from csxl.errors import InputError, Location, reason, t
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, loose_number, text, too_many_rows, typed_date
from csxl.workbook.layout import Risks as R
from csxl.workbook.layout import col
from csxl.workbook.registers import HEADER_HEIGHT, fit_rows, owner_validation
from csxl.workbook.team_book import TeamBook

# Fill and font per level, lowest first.
LEVEL_COLOURS = {
    "low": ("D4EDDA", "1E6B34"),
    "medium": ("FFE8B3", "8A5A00"),
    "high": ("F8CBAD", "843C0C"),
    "critical": ("C0504D", "FFFFFF"),
}
HEAT_ROW_HEIGHT = 30  # the least height of a heat-map row (it shares rows with the register)
HEAT_FORMAT = "0;-0;;@"  # zero shows as an empty cell: only the counts stand out


def risk_rows(ctx: Ctx) -> Sequence[Risk]:
    rows = ctx.inputs.risks
    if rows is None:
        rows = plan.DEFAULT_RISKS[ctx.lang]
    if len(rows) > R.ROWS:
        raise ValueError(f"the Risks sheet has {R.ROWS} rows; the plan has {len(rows)}")
    return rows


def bands() -> list[tuple[str, int, int]]:
    """(level, lowest, highest score), highest level first: critical 17-25 ... low 1-4."""
    out, top = [], 25
    for name, lowest in plan.RISK_LEVELS:
        out.append((name, lowest, top))
        top = lowest - 1
    return out


def _open(first: int, last: int) -> str:
    """The open-status factor of the heat-map and legend formulas (both languages' close)."""
    status = f"${col(R.STATUS)}${first}:${col(R.STATUS)}${last}"
    closed_zh, closed_en = plan.RISK_STATUSES["zh"][-1], plan.RISK_STATUSES["en"][-1]
    return f'({status}<>"{closed_zh}")*({status}<>"{closed_en}")'


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    p.risks = read(old.rows(KEY), old.name, old.lang)
    n = len(p.risks)
    return [(f"风险登记：{n} 行", f"Risks: {n} rows")]


# ------------------------------------------------------------------ csxl consolidate
SUMMARY_COLUMNS = (
    R.ID,
    R.RISK,
    R.CATEGORY,
    R.LIKELIHOOD,
    R.IMPACT,
    R.SCORE,
    R.LEVEL,
    R.OWNER,
    R.STATUS,
)


def summarise(rows: list[list[object]], team: TeamBook, file: str, lang: str) -> None:
    """The team's own risks; the template's example rows are left out (未填写 if only they)."""
    examples = 0
    for r in range(R.FIRST_ROW, table_end(rows) + 1):
        if cell(rows, r, R.RISK) is None:
            continue
        if _example_risk(rows, r):
            examples += 1
        else:
            team.risks.append(tuple(cell(rows, r, c) for c in SUMMARY_COLUMNS))
    team.risks_example = examples > 0 and not team.risks


def _example_risk(rows: list[list[object]], r: int) -> bool:
    """A row as the template writes it (id, texts, ratings, owner, first status)."""
    from csxl.workbook.cells import number_or_none, same_text

    for lang in ("zh", "en"):
        for risk in plan.DEFAULT_RISKS[lang]:
            if (
                same_text(cell(rows, r, R.ID), risk.id)
                and same_text(cell(rows, r, R.RISK), risk.risk)
                and same_text(cell(rows, r, R.TRIGGER), risk.trigger)
                and same_text(cell(rows, r, R.OWNER), risk.owner)
                and same_text(cell(rows, r, R.STATUS), risk.status)
                and number_or_none(cell(rows, r, R.LIKELIHOOD)) == risk.likelihood
                and number_or_none(cell(rows, r, R.IMPACT)) == risk.impact
            ):
                return True
    return False


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Risks")
    p = ctx.inputs
    lang, t = ctx.lang, ctx.t
    team = p.team or t("本团队", "this team")
    ctx.title(
        ws,
        t(f"{p.year} 风险登记 · {team}", f"{p.year} risk register · {team}"),
        t(
            "黄色为可填写的内容。分值 = 可能性 × 影响（各 1-5 分）；等级：低 1-4，中 5-9，高 10-16，极高 17-25。"
            "状态选“已关闭”的风险不计入右侧热力图。",
            "Yellow cells are yours. Score = likelihood x impact (1-5 each); level: low 1-4, "
            "medium 5-9, high 10-16, critical 17-25. Risks with status Closed drop out of the "
            "heat map on the right.",
        ),
    )
    ws.merge_cells(f"A2:{col(R.REVIEW)}2")
    ws.row_dimensions[2].height = 30  # merged cells do not grow with their text
    ctx.header(
        ws,
        R.HEADER_ROW,
        1,
        [
            t("编号", "ID"),
            t("风险", "Risk"),
            t("类别", "Category"),
            t("可能性", "Likelihood"),
            t("影响", "Impact"),
            t("分值", "Score"),
            t("等级", "Level"),
            t("预警信号", "Trigger signal"),
            t("预防措施", "Prevention"),
            t("应对预案", "Response plan"),
            t("负责人", "Owner"),
            t("状态", "Status"),
            t("复核日期", "Review date"),
        ],
    )
    widths = {
        "A": 6,
        "B": 16,
        "C": 10,
        "D": 10,
        "E": 10,
        "F": 7,
        "G": 7,
        "H": 32,
        "I": 36,
        "J": 36,
        "K": 11,
        "L": 10,
        "M": 11,
        col(R.HEAT_COL - 1): 2,
        col(R.HEAT_COL): 12,
    }
    widths |= {col(R.HEAT_COL + i): 7 for i in plan.SCALE}

    rows = risk_rows(ctx)
    labels = plan.RISK_LEVEL_LABELS[lang]
    texts: dict[int, dict[int, str]] = {}
    wrap = Alignment(vertical="center", wrap_text=True)
    for i in range(R.ROWS):
        r = R.FIRST_ROW + i
        risk = rows[i] if i < len(rows) else None
        values = {
            R.ID: risk.id if risk else None,
            R.RISK: risk.risk if risk else None,
            R.CATEGORY: risk.category if risk else None,
            R.LIKELIHOOD: risk.likelihood if risk else None,
            R.IMPACT: risk.impact if risk else None,
            R.TRIGGER: risk.trigger if risk else None,
            R.PREVENTION: risk.prevention if risk else None,
            R.RESPONSE: risk.response if risk else None,
            R.OWNER: risk.owner if risk else None,
            R.STATUS: risk.status if risk else None,
        }
        for c, value in values.items():
            rating = "0" if c in (R.LIKELIHOOD, R.IMPACT) else None  # 1..5, as typed
            ctx.input(ws, f"{col(c)}{r}", None if value == "" else value, rating)
            if c in (R.RISK, R.CATEGORY, R.TRIGGER, R.PREVENTION, R.RESPONSE, R.OWNER):
                ws[f"{col(c)}{r}"].alignment = wrap
        ctx.input(ws, f"{col(R.REVIEW)}{r}", risk.review_date if risk else None, style.DATE)
        if risk:
            texts[r] = {c: values[c] or "" for c in (R.RISK, R.TRIGGER, R.PREVENTION, R.RESPONSE)}
        likelihood, impact = (f"${col(c)}{r}" for c in (R.LIKELIHOOD, R.IMPACT))
        score = risk.score if risk else None
        ctx.formula(
            ws,
            f"{col(R.SCORE)}{r}",
            f'=IF(OR({likelihood}="",{impact}=""),"",{likelihood}*{impact})',
            "" if score is None else score,
            "0",
        )
        ctx.formula(ws, f"{col(R.LEVEL)}{r}", _level_formula(lang, r), _label(labels, score))
        for c in (R.ID, R.LIKELIHOOD, R.IMPACT, R.SCORE, R.LEVEL):
            ws[f"{col(c)}{r}"].alignment = Alignment(horizontal="center", vertical="center")

    _validations(ctx, ws)
    _level_colours(ws, labels)
    _heat_map(ctx, ws, rows)
    fit_rows(ws, texts, widths)
    for r in range(R.HEAT_FIRST_ROW, R.HEAT_FIRST_ROW + 5):  # heat-map squares, roughly
        height = ws.row_dimensions[r].height
        ws.row_dimensions[r].height = max(height or 0, HEAT_ROW_HEIGHT)
    ws.row_dimensions[R.HEADER_ROW].height = HEADER_HEIGHT
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"{col(R.RISK + 1)}{R.FIRST_ROW}",
        header_rows=f"{R.HEADER_ROW}:{R.HEADER_ROW}",
    )


def _label(labels, score: int | None) -> str:
    name = plan.level(score)
    return "" if name is None else labels[name]


def _level_formula(lang: str, r: int) -> str:
    """``IF(score="","",IF(score>=17,"极高",IF(score>=10,"高",IF(score>=5,"中","低"))))``."""
    s = f"${col(R.SCORE)}{r}"
    labels = plan.RISK_LEVEL_LABELS[lang]
    levels = list(plan.RISK_LEVELS)
    text = f'"{labels[levels[-1][0]]}"'
    for name, lowest in reversed(levels[:-1]):
        text = f'IF({s}>={lowest},"{labels[name]}",{text})'
    return f'=IF({s}="","",{text})'


def _validations(ctx: Ctx, ws) -> None:
    t = ctx.t
    first, last = R.FIRST_ROW, R.last_row()

    def area(c: int) -> str:
        return f"{col(c)}{first}:{col(c)}{last}"

    rating = ctx.validation(
        ws,
        "rating",
        type="whole",
        operator="between",
        formula1="1",
        formula2="5",
        errorTitle=t("评分", "Rating"),
        error=t(
            "可能性与影响为 1 到 5 的整数。", "Likelihood and impact are whole numbers 1 to 5."
        ),
    )
    rating.add(area(R.LIKELIHOOD))
    rating.add(area(R.IMPACT))
    ctx.list_validation(ws, "status", plan.RISK_STATUSES[ctx.lang]).add(area(R.STATUS))
    owner_validation(ctx, ws).add(area(R.OWNER))
    ctx.date_validation(ws).add(area(R.REVIEW))


def _colour(name: str) -> tuple[PatternFill, Font]:
    fill, font = LEVEL_COLOURS[name]
    return PatternFill("solid", fgColor=fill, bgColor=fill), Font(color=font, bold=True)


def _level_colours(ws, labels) -> None:
    first, last = R.FIRST_ROW, R.last_row()
    area = f"{col(R.SCORE)}{first}:{col(R.LEVEL)}{last}"
    g = f"${col(R.LEVEL)}{first}"
    for name, _ in plan.RISK_LEVELS:
        fill, font = _colour(name)
        ws.conditional_formatting.add(
            area,
            FormulaRule(formula=[f'{g}="{labels[name]}"'], fill=fill, font=font, stopIfTrue=True),
        )


def _heat_map(ctx: Ctx, ws, risks: Sequence[Risk]) -> None:
    t = ctx.t
    labels = plan.RISK_LEVEL_LABELS[ctx.lang]
    first, last = R.FIRST_ROW, R.last_row()
    o = R.HEAT_COL
    title = f"{col(o)}{R.HEAT_TITLE_ROW}"
    ctx.label(ws, title, t("热力图：未关闭的风险数", "Heat map: open risks"))
    ws[title].font = Font(name=style.FONT, size=11, bold=True, color=style.INK)
    ws.merge_cells(f"{title}:{col(o + 5)}{R.HEAT_TITLE_ROW}")
    ctx.label(
        ws,
        f"{col(o)}{R.HEAT_IMPACT_ROW}",
        t("可能性 \\ 影响", "Likelihood \\ impact"),
        style.HEADER,
    )
    for impact in plan.SCALE:
        ctx.label(ws, f"{col(o + impact)}{R.HEAT_IMPACT_ROW}", impact, style.HEADER)
    for likelihood in plan.SCALE:
        ctx.label(ws, f"{col(o)}{R.HEAT_FIRST_ROW + 5 - likelihood}", likelihood, style.HEADER)

    counts = plan.heat_map(risks)
    rating = f"${col(R.LIKELIHOOD)}${first}:${col(R.LIKELIHOOD)}${last}"
    effect = f"${col(R.IMPACT)}${first}:${col(R.IMPACT)}${last}"
    is_open = _open(first, last)
    for likelihood in plan.SCALE:
        r = R.HEAT_FIRST_ROW + 5 - likelihood
        for impact in plan.SCALE:
            c = o + impact
            ctx.formula(
                ws,
                R.heat_cell(likelihood, impact),
                f"=SUMPRODUCT(({rating}=${col(o)}{r})*({effect}={col(c)}${R.HEAT_IMPACT_ROW})*{is_open})",
                counts[likelihood - 1][impact - 1],
                HEAT_FORMAT,
            )
            cell = ws[R.heat_cell(likelihood, impact)]
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.font = Font(name=style.FONT, size=12, bold=True, color=style.INK)
    # Each cell by its own score band (likelihood label x impact label).
    top_left = f"{col(o + 1)}{R.HEAT_FIRST_ROW}"
    area = f"{top_left}:{col(o + 5)}{R.HEAT_FIRST_ROW + 4}"
    product = f"${col(o)}{R.HEAT_FIRST_ROW}*{col(o + 1)}${R.HEAT_IMPACT_ROW}"
    for name, lowest, _ in bands():
        fill, font = _colour(name)
        ws.conditional_formatting.add(
            area,
            FormulaRule(formula=[f"{product}>={lowest}"], fill=fill, font=font, stopIfTrue=True),
        )
    note = f"{col(o)}{R.HEAT_NOTE_ROW}"
    ctx.label(
        ws,
        note,
        t(
            "行：可能性（5 最高）；列：影响（5 最大）；颜色为格子所在的分值等级；“已关闭”的风险不计入。",
            "Rows: likelihood (5 highest); columns: impact (5 largest); colour: the cell's score "
            "band; Closed risks are left out.",
        ),
        style.NOTE,
    )
    # One line that runs on to the right: a wrapped note would change the height of a
    # row it shares with the register.
    ws[note].alignment = Alignment(vertical="top", wrap_text=False)

    # The bands and the open risks per level.
    head = R.LEGEND_FIRST_ROW - 1
    ctx.label(ws, f"{col(o)}{head}", t("等级", "Level"), style.HEADER)
    ctx.label(ws, f"{col(o + 1)}{head}", t("分值", "Score"), style.HEADER)
    ws.merge_cells(f"{col(o + 1)}{head}:{col(o + 2)}{head}")
    ctx.label(ws, f"{col(o + 3)}{head}", t("未关闭", "Open"), style.HEADER)
    ws.merge_cells(f"{col(o + 3)}{head}:{col(o + 4)}{head}")
    level = f"${col(R.LEVEL)}${first}:${col(R.LEVEL)}${last}"
    for i, (name, lowest, highest) in enumerate(bands()):
        r = R.LEGEND_FIRST_ROW + i
        fill, font = LEVEL_COLOURS[name]
        ctx.label(ws, f"{col(o)}{r}", labels[name])
        ws[f"{col(o)}{r}"].fill = PatternFill("solid", fgColor=fill)
        ws[f"{col(o)}{r}"].font = Font(name=style.FONT, size=10, bold=True, color=font)
        ctx.label(ws, f"{col(o + 1)}{r}", f"{lowest}-{highest}")
        ws.merge_cells(f"{col(o + 1)}{r}:{col(o + 2)}{r}")
        ctx.formula(
            ws,
            f"{col(o + 3)}{r}",
            f"=SUMPRODUCT(({level}=${col(o)}{r})*{is_open})",
            sum(1 for risk in risks if risk.is_open and risk.level == name),
            "0",
        )
        ws.merge_cells(f"{col(o + 3)}{r}:{col(o + 4)}{r}")
        for c in (o, o + 1, o + 3):
            ws[f"{col(c)}{r}"].alignment = Alignment(horizontal="center", vertical="center")


# ------------------------------------------------------------------ reading it back
KEY = "Risks"


def table_end(rows: list[list[object]]) -> int:
    """The table's last row: to the sheet's end (nothing is below it, and a manager may grow
    it by inserting rows inside it); never less than the template's last row."""
    return max(R.last_row(), len(rows))


def read(rows: list[list[object]], book: str, lang: str) -> list:
    """The filled Risks rows, in order (blank rows between them are closed up)."""
    from csxl.domain.plan import Risk

    sheet = layout.title("Risks", lang)
    inputs = (R.ID, R.RISK, R.CATEGORY, R.LIKELIHOOD, R.IMPACT, R.TRIGGER, R.PREVENTION)
    inputs += (R.RESPONSE, R.OWNER, R.STATUS, R.REVIEW)

    out = []
    for r in range(R.FIRST_ROW, table_end(rows) + 1):
        if all(cell(rows, r, c) is None for c in inputs):
            continue
        if len(out) == R.ROWS:
            raise too_many_rows(KEY, book, lang, r, R.ROWS)
        where = lambda c, r=r: Location(book, sheet, r, layout.col(c))  # noqa: E731
        rating = {}
        for c in (R.LIKELIHOOD, R.IMPACT):
            value = loose_number(cell(rows, r, c), where(c))
            rating[c] = None if value is None else int(value)
        try:
            out.append(
                Risk(
                    id=text(cell(rows, r, R.ID)),
                    risk=text(cell(rows, r, R.RISK)),
                    category=text(cell(rows, r, R.CATEGORY)),
                    likelihood=rating[R.LIKELIHOOD],
                    impact=rating[R.IMPACT],
                    trigger=text(cell(rows, r, R.TRIGGER)),
                    prevention=text(cell(rows, r, R.PREVENTION)),
                    response=text(cell(rows, r, R.RESPONSE)),
                    owner=text(cell(rows, r, R.OWNER)),
                    status=text(cell(rows, r, R.STATUS)),
                    review_date=typed_date(cell(rows, r, R.REVIEW), where(R.REVIEW)),
                )
            )
        except ValueError as exc:
            raise InputError(
                t(f"这条风险无法使用：{reason(exc)}。", f"this risk is not usable: {exc}."),
                where(R.LIKELIHOOD),
                t("请按 1-5 评分。", "Rate it 1-5."),
            ) from None
    return out
