"""Goals (目标): SMART KPI targets with three tiers, weights, cascade and monthly breakdown.

Tier, variance, flag, points and the team's weighted score are live formulas that refer to
the targets on this sheet and the rules on Incentives; `csxl.domain.scoring` computes the
same values for the cache (and is what refresh uses).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from csxl.domain import scoring
from csxl.domain.catalog import CATALOG
from csxl.domain.scoring import Target
from csxl.errors import LANGUAGE, InputError, Location, domain_reason, printable
from csxl.errors import t as tr
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, Override, PlanInputs, RosterTeam, setup_sheet
from csxl.workbook.cells import cell, number
from csxl.workbook.kpi_format import UNITS, blank, flag_colours, gap_colours, unit_format
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.rule_words import DIRECTIONS, direction_label, mode_label
from csxl.workbook.state import Month, PlanState
from csxl.workbook.team_book import TeamBook

MONTHS = {
    "zh": [f"{m}月" for m in range(1, 13)],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
LEVELS = {"zh": ("小组", "客服"), "en": ("Group", "Agent")}


def signed_gap(lang: str, r: int, s: str) -> str:
    """Excel twin of scoring.variance: actual - stretch (`s`) signed by better / worse (the
    row's direction), so + is better than the target and - worse."""
    a, d = _cell(G.ACTUAL, r), _cell(G.DIRECTION, r)
    return f'IF({d}="{DIRECTIONS[lang][0]}",{a}-{s},{s}-{a})'


def _cell(c: int, r: int) -> str:
    return f"${col(c)}{r}"


def tier_number(lang: str, r: int) -> str:
    """Excel twin of scoring.tier: 3/2/1/0 from the top, in the KPI's direction."""
    a, b, s, c, d = (
        _cell(x, r) for x in (G.ACTUAL, G.BASELINE, G.STRETCH, G.CHALLENGE, G.DIRECTION)
    )
    high = DIRECTIONS[lang][0]
    return (
        f'IF({d}="{high}",IF({a}>={c},3,IF({a}>={s},2,IF({a}>={b},1,0))),'
        f"IF({a}<={c},3,IF({a}<={s},2,IF({a}<={b},1,0))))"
    )


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    """The cascade as typed, closed up into the new block (Goals is read with the plan)."""
    p.cascade = cascade_in_block(p.cascade, old.name, old.lang)
    return [
        (
            "目标：方向、权重、三档目标、月度目标、分解",
            "Goals: directions, weights, targets, monthly targets, cascade",
        )
    ]


def cascade_in_block(cascade: list, book: str, lang: str) -> list:
    """The cascade rows as they were typed, in order; rows a manager's inserted row pushed
    below the block move up into its blank rows (the new plan formats the block only)."""

    from csxl.errors import InputError, Location, t

    last = G.CASCADE_FIRST_ROW + G.CASCADE_ROWS - 1
    if all(o.row <= last for o in cascade):
        return cascade
    if len(cascade) > G.CASCADE_ROWS:
        raise InputError(
            t(
                f"分解目标有 {len(cascade)} 行；计划只能容纳 {G.CASCADE_ROWS} 行。",
                f"the cascade has {len(cascade)} rows; the plan has room for {G.CASCADE_ROWS}.",
            ),
            Location(book, layout.title("Goals", lang), cascade[G.CASCADE_ROWS].row, "B"),
            t(
                "请删除不需要的行后再升级。",
                "Delete the rows that are not needed, then upgrade again.",
            ),
        )
    return [replace(o, row=G.CASCADE_FIRST_ROW + i) for i, o in enumerate(cascade)]


# ------------------------------------------------------------------ csxl consolidate
def summarise(rows: list[list[object]], team: TeamBook, file: str, lang: str) -> None:
    """Each KPI row as stored (targets, actual, tier, variance, points), the weighted score
    and the grade."""
    from csxl.errors import t
    from csxl.workbook.cells import number_or_none

    for i in range(G.KPI_ROWS):
        r = G.FIRST_ROW + i
        key = cell(rows, r, G.KEY)
        if key is None:
            raise InputError(
                t(
                    "“目标”表有一行指标是空的：表中的行被移动或删除了。",
                    "a KPI row of Goals is empty: the sheet's rows were moved or deleted.",
                ),
                Location(file, layout.title("Goals", lang), r, "A"),
            )
        team.kpis.append(
            {
                "key": key,
                "label": cell(rows, r, G.LABEL),
                "direction": cell(rows, r, G.DIRECTION),
                "weight": cell(rows, r, G.WEIGHT),
                "baseline": cell(rows, r, G.BASELINE),
                "stretch": cell(rows, r, G.STRETCH),
                "challenge": cell(rows, r, G.CHALLENGE),
                "actual": cell(rows, r, G.ACTUAL),
                "tier": cell(rows, r, G.TIER),
                "variance_pct": cell(rows, r, G.VARIANCE_PCT),
                "points": cell(rows, r, G.POINTS),
            }
        )
    team.score = number_or_none(cell(rows, G.last_row() + 1, G.ACTUAL))
    grade = cell(rows, G.last_row() + 1, G.TIER)
    team.grade = None if grade is None else str(grade)


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Goals")
    p = ctx.inputs
    lang, t = ctx.lang, ctx.t
    team = p.team or t("本团队", "this team")
    ctx.title(
        ws,
        t(f"{p.year} 年度目标 · {team}", f"{p.year} goals · {team}"),
        t(
            "黄色为可填写的目标与权重；实际值由“刷新指标”填写。达成档位：未达标/保底/冲刺/挑战。"
            "差异按好坏记号：+ 优于冲刺目标（绿），- 差于目标（红），不论指标越高还是越低越好。",
            "Yellow cells are targets and weights you set; Refresh fills the actuals. "
            "Tiers: below baseline / baseline / stretch / challenge. Variance is signed by better "
            "or worse: + better than the stretch target (green), - worse (red), in either direction.",
        ),
    )
    ws.merge_cells(f"A2:{col(G.NOTE)}2")
    ws.row_dimensions[2].height = 30  # merged cells do not grow with their text
    ctx.header(
        ws,
        G.HEADER_ROW,
        1,
        [
            t("指标键", "Key"),
            t("指标", "KPI"),
            t("单位", "Unit"),
            t("方向", "Direction"),
            t("权重", "Weight"),
            t("保底", "Baseline"),
            t("冲刺", "Stretch"),
            t("挑战", "Challenge"),
            t("实际", "Actual"),
            t("达成档位", "Tier"),
            t("差异", "Variance"),
            t("差异%", "Variance %"),
            t("标识", "Flag"),
            t("得分", "Points"),
            t("目标说明（SMART）", "Goal (SMART)"),
        ],
    )
    ctx.header(ws, G.HEADER_ROW, G.MONTH_FIRST, [*MONTHS[lang], "Q1", "Q2", "Q3", "Q4"])
    ctx.label(
        ws,
        f"{col(G.MONTH_FIRST)}{G.HEADER_ROW - 1}",
        t(
            "月度冲刺目标（默认沿用年度冲刺目标，可逐月改写）；季度为月度平均",
            "Monthly stretch targets (default: the annual stretch; type over to change); "
            "quarters average their months",
        ),
        style.NOTE,
    )

    directions = ctx.list_validation(ws, "direction", DIRECTIONS[lang])
    weights = ctx.validation(
        ws,
        "weight",
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        errorTitle=t("权重", "Weight"),
        error=t("权重为 0 到 100 之间的数字。", "A weight is a number from 0 to 100."),
    )
    numbers = ctx.validation(
        ws,
        "number",
        type="decimal",
        operator="between",
        formula1="-1000000000",
        formula2="1000000000",
    )
    tiers, flags = p.tiers(), p.flags()

    mode = p.incentives.mode
    linear = mode_label(lang, "linear")
    points_by_kpi: dict[str, float | None] = {}
    weight_by_kpi: dict[str, float] = {}
    for i, target in enumerate(p.targets[: G.KPI_ROWS]):
        r = G.FIRST_ROW + i
        info = CATALOG[target.key]
        fmt = unit_format(target, lang)
        ctx.label(ws, f"A{r}", target.key, style.NOTE)
        ctx.label(ws, f"B{r}", info.label(lang))
        unit = UNITS.get(target.unit, (target.unit, target.unit, ""))
        ctx.label(ws, f"C{r}", unit[0] if lang == "zh" else unit[1])
        ctx.input(ws, f"D{r}", direction_label(lang, target), validation=directions)
        blank_weight = target.key in p.blank_weights
        ctx.input(ws, f"E{r}", None if blank_weight else target.weight, "0.##", weights)
        for c, value in (
            (G.BASELINE, target.baseline),
            (G.STRETCH, target.stretch),
            (G.CHALLENGE, target.challenge),
        ):
            ctx.input(ws, f"{col(c)}{r}", value, fmt, numbers)
        actual = p.actuals.get(target.key)
        ctx.label(ws, f"{col(G.ACTUAL)}{r}", actual, style.COMPUTED, fmt)
        level = scoring.tier(actual, target)
        a = _cell(G.ACTUAL, r)
        j = _cell(G.TIER, r)
        ctx.formula(
            ws,
            f"{col(G.TIER)}{r}",
            f'=IF(ISNUMBER({a}),INDEX(csxl_TierLabels,{tier_number(lang, r)}+1),"")',
            "" if level is None else tiers[level],
        )
        s = _cell(G.STRETCH, r)
        ctx.formula(
            ws,
            f"{col(G.VARIANCE)}{r}",
            f'=IF(ISNUMBER({a}),{signed_gap(lang, r, s)},"")',
            blank(scoring.variance(actual, target)),
            "+" + fmt + ";-" + fmt + ";" + fmt,
        )
        ctx.formula(
            ws,
            f"{col(G.VARIANCE_PCT)}{r}",
            f'=IF(AND(ISNUMBER({a}),{s}<>0),{signed_gap(lang, r, s)}/ABS({s}),"")',
            blank(scoring.variance_pct(actual, target)),
            style.SIGNED_PERCENT,
        )
        ctx.formula(
            ws,
            f"{col(G.FLAG)}{r}",
            f'=IF({j}="","",INDEX(csxl_FlagLabels,MATCH({j},csxl_TierLabels,0)))',
            "" if level is None else flags[level],
        )
        n = f"(MATCH({j},csxl_TierLabels,0)-1)"
        b, c = _cell(G.BASELINE, r), _cell(G.CHALLENGE, r)
        lin = (
            f"IF({n}=3,100,IF({n}=2,80+20*({a}-{s})/({c}-{s}),"
            f"IF({n}=1,60+20*({a}-{b})/({s}-{b}),0)))"
        )
        pts = scoring.points(actual, target, mode, p.points_table())
        ctx.formula(
            ws,
            f"{col(G.POINTS)}{r}",
            f'=IF({j}="","",IF(csxl_Mode="{linear}",{lin},'
            f"INDEX(csxl_TierPoints,MATCH({j},csxl_TierLabels,0))))",
            blank(pts),
            "0.0",
        )
        points_by_kpi[target.key] = pts
        weight_by_kpi[target.key] = target.weight
        # Without its column the KPI's actual is blank and the note says why (not 0).
        note = p.goal_notes.get(target.key) or smart_text(lang, p.year, target, info.label(lang))
        ctx.label(ws, f"{col(G.NOTE)}{r}", note)
        _months(ctx, ws, r, target, fmt)

    _team_score(ctx, ws, points_by_kpi, weight_by_kpi)
    _weight_check(ctx, ws, [t.weight for t in p.targets[: G.KPI_ROWS]], p.blank_weights)
    _cascade(ctx, ws)
    _flag_colours(ws)
    last = G.FIRST_ROW + min(len(p.targets), G.KPI_ROWS) - 1
    gap_colours(ws, f"{col(G.VARIANCE)}{G.FIRST_ROW}:{col(G.VARIANCE_PCT)}{last}")
    for i in range(min(len(p.targets), G.KPI_ROWS)):
        ws.row_dimensions[G.FIRST_ROW + i].height = 30  # the SMART text takes two lines
    widths = {
        "A": 20,
        "B": 18,
        "C": 8,
        "D": 14,
        "E": 7,
        "F": 10,
        "G": 10,
        "H": 10,
        "I": 10,
        "J": 10,
        "K": 10,
        "L": 10,
        "M": 7,
        "N": 8,
        "O": 52,
        "P": 2,
    }
    widths |= {col(c): 9 for c in range(G.MONTH_FIRST, G.QUARTER_FIRST + 4)}
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"C{G.FIRST_ROW}",
        header_rows=f"{G.HEADER_ROW}:{G.HEADER_ROW}",
        split=True,
    )
    ws.column_dimensions["A"].hidden = False


def smart_text(lang: str, year: int, target: Target, label: str) -> str:
    fmt = unit_format(target, lang)

    def show(v: float) -> str:
        if fmt == style.PERCENT:
            return f"{v:.0%}" if round(v * 100, 6) == round(v * 100) else f"{v:.1%}"
        return f"{v:g}"

    better = "≥" if target.direction == "higher" else "≤"
    unit = {"s": ("秒", " s"), "per 10k": ("", "")}.get(target.unit, ("", ""))
    u = unit[0] if lang == "zh" else unit[1]
    if lang == "zh":
        return (
            f"{year} 年{label}{better}{show(target.stretch)}{u}（冲刺）；保底 {show(target.baseline)}{u}，"
            f"挑战 {show(target.challenge)}{u}；按月统计，权重 {target.weight:g}"
        )
    return (
        f"{year}: {label} {better} {show(target.stretch)}{u} (stretch); baseline "
        f"{show(target.baseline)}{u}, challenge {show(target.challenge)}{u}; measured monthly, "
        f"weight {target.weight:g}"
    )


def _months(ctx: Ctx, ws, r: int, target: Target, fmt: str) -> None:
    typed = ctx.inputs.monthly.get(target.key, [None] * 12)
    values: list[float | None] = []
    for m in range(12):
        address = f"{col(G.MONTH_FIRST + m)}{r}"
        value = typed[m] if m < len(typed) else None
        if value is None:
            ctx.input_formula(ws, address, f"=${col(G.STRETCH)}{r}", target.stretch, fmt)
            values.append(target.stretch)
        else:
            ctx.input(ws, address, value, fmt)
            values.append(value)
    for q in range(4):
        first, last = col(G.MONTH_FIRST + 3 * q), col(G.MONTH_FIRST + 3 * q + 2)
        part = [v for v in values[3 * q : 3 * q + 3] if v is not None]
        ctx.formula(
            ws,
            f"{col(G.QUARTER_FIRST + q)}{r}",
            f'=IF(COUNT({first}{r}:{last}{r})=0,"",AVERAGE({first}{r}:{last}{r}))',
            sum(part) / len(part) if part else "",
            fmt,
        )


def _team_score(ctx: Ctx, ws, points: dict[str, float | None], weights: dict[str, float]) -> None:
    r = G.last_row() + 1
    first, last = G.FIRST_ROW, G.last_row()
    w = f"${col(G.WEIGHT)}${first}:${col(G.WEIGHT)}${last}"
    pts = f"${col(G.POINTS)}${first}:${col(G.POINTS)}${last}"
    ctx.label(ws, f"B{r}", ctx.t("团队加权得分 / 等级", "Team weighted score / grade"))
    score = scoring.weighted_score(points, weights)
    den = f"SUMPRODUCT({w},--ISNUMBER({pts}))"
    ctx.formula(
        ws,
        f"{col(G.ACTUAL)}{r}",
        f'=IF({den}=0,"",ROUND(SUMPRODUCT({w},{pts})/{den},2))',
        blank(score),
        "0.00",
    )
    grade = scoring.grade(score, ctx.inputs.incentives)
    a = f"{col(G.ACTUAL)}{r}"
    ctx.formula(
        ws,
        f"{col(G.TIER)}{r}",
        f'=IF(ISNUMBER({a}),INDEX(csxl_GradeNames,MATCH({a},csxl_GradeMins,1)),"")',
        grade or "",
    )


def weight_problems(
    lang: str, weights: list[float], blank: int, total_expected: float = G.WEIGHT_TOTAL
) -> str:
    """What the weight note says (the formula of `_weight_check`, in Python): blank weights
    and a total other than 100, or "" when the weights are fine."""
    total = round(sum(weights), 6)
    parts = []
    if blank:
        parts.append(
            f"有 {blank} 个指标的权重为空，按 0 计（不计入得分）。"
            if lang == "zh"
            else f"{blank} KPI weight(s) blank: they count as 0 (left out of the score). "
        )
    if total != total_expected:
        shown = f"{total:.15g}"
        parts.append(
            f"权重合计为 {shown}，不是 {total_expected:g}：得分按各权重占合计的比例计算。"
            if lang == "zh"
            else f"The weights total {shown}, not {total_expected:g}: each KPI counts by its "
            "share of the total."
        )
    return "".join(parts)


def _weight_check(ctx: Ctx, ws, weights: list[float], blank: frozenset[str]) -> None:
    """The weights' total under them and, below the team score, a note when they are blank
    or do not total 100: live formulas, so the note follows what the manager types."""
    first, last = G.FIRST_ROW, G.last_row()
    w = f"${col(G.WEIGHT)}${first}:${col(G.WEIGHT)}${last}"
    n = G.KPI_ROWS
    total = G.WEIGHT_TOTAL
    ctx.formula(
        ws, f"{col(G.WEIGHT)}{G.WEIGHT_TOTAL_ROW}", f"=SUM({w})", round(sum(weights), 6), "0.##"
    )
    if ctx.lang == "zh":
        blank_text = f'"有 "&({n}-COUNT({w}))&" 个指标的权重为空，按 0 计（不计入得分）。"'
        total_text = (
            f'"权重合计为 "&ROUND(SUM({w}),6)&"，不是 {total}：得分按各权重占合计的比例计算。"'
        )
    else:
        blank_text = (
            f'({n}-COUNT({w}))&" KPI weight(s) blank: they count as 0 (left out of the score). "'
        )
        total_text = (
            f'"The weights total "&ROUND(SUM({w}),6)&", not {total}: each KPI counts by its '
            'share of the total."'
        )
    ctx.formula(
        ws,
        f"{col(G.WEIGHT_NOTE_COL)}{G.WEIGHT_NOTE_ROW}",
        f'=IF(COUNT({w})<{n},{blank_text},"")&IF(ROUND(SUM({w}),6)={total},"",{total_text})',
        weight_problems(ctx.lang, weights, len(blank)),
        cell_style=style.NOTE,
    )


def _cascade(ctx: Ctx, ws) -> None:
    t = ctx.t
    ctx.label(
        ws,
        f"B{G.CASCADE_TITLE_ROW}",
        t(
            "分解目标：小组或客服的个别目标（留空则沿用团队目标）",
            "Cascade: targets for a group or an agent (blank = the team's target)",
        ),
        style.TITLE,
    )
    ctx.header(
        ws,
        G.CASCADE_HEADER_ROW,
        G.C_LEVEL,
        [
            t("层级", "Level"),
            t("小组或客服", "Group or agent"),
            t("指标", "KPI"),
            t("权重", "Weight"),
            t("保底", "Baseline"),
            t("冲刺", "Stretch"),
            t("挑战", "Challenge"),
        ],
    )
    ws.row_dimensions[G.CASCADE_HEADER_ROW].height = 30  # "小组或客服" takes two lines
    levels = ctx.list_validation(ws, "level", LEVELS[ctx.lang])
    # A list source range is stored without "=" (Excel repairs a file that has one).
    kpis = ctx.list_validation(ws, "kpi", f"$B${G.FIRST_ROW}:$B${G.last_row()}")
    numbers = ctx.validations[ws.title]["number"]
    typed = {o.row: o for o in ctx.inputs.cascade}
    labels = {x.key: CATALOG[x.key].label(ctx.lang) for x in ctx.inputs.targets}
    for i in range(G.CASCADE_ROWS):
        r = G.CASCADE_FIRST_ROW + i
        o = typed.get(r)
        level = None if o is None else LEVELS[ctx.lang][0 if o.level == "group" else 1]
        ctx.input(ws, f"{col(G.C_LEVEL)}{r}", level, validation=levels)
        ctx.input(ws, f"{col(G.C_NAME)}{r}", None if o is None else o.name)
        ctx.input(
            ws,
            f"{col(G.C_KPI)}{r}",
            None if o is None else labels.get(o.key, o.key),
            validation=kpis,
        )
        ctx.input(
            ws,
            f"{col(G.C_WEIGHT)}{r}",
            None if o is None else o.weight,
            validation=ctx.validations[ws.title]["weight"],
        )
        for c, field in (
            (G.C_BASELINE, "baseline"),
            (G.C_STRETCH, "stretch"),
            (G.C_CHALLENGE, "challenge"),
        ):
            ctx.input(
                ws, f"{col(c)}{r}", None if o is None else getattr(o, field), validation=numbers
            )


def _flag_colours(ws) -> None:
    first, last = G.FIRST_ROW, G.last_row()
    area = f"{col(G.TIER)}{first}:{col(G.TIER)}{last} {col(G.FLAG)}{first}:{col(G.FLAG)}{last}"
    flag_colours(ws, area, f"${col(G.TIER)}{first}")


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    """The month's team actuals, and the note column saying why a KPI has none when the
    export lacks its column (the actual stays blank, never 0); one warning per missing
    column, naming its KPIs."""
    from csxl import unavailable

    p = m.state.inputs
    p.actuals = {
        t.key: m.team[t.key] for t in p.targets if isinstance(m.team.get(t.key), float | int)
    }
    p.goal_notes = {}
    kpis_by_note: dict[str, list[str]] = {}
    for t in p.targets:
        why = m.unavailable.get(t.key)
        text = unavailable.reason_note(why, p.lang) if why else None
        if text:
            p.goal_notes[t.key] = text
            kpis_by_note.setdefault(text, []).append(CATALOG[t.key].label(p.lang))
    goals = layout.title("Goals", p.lang)
    sep = "、" if p.lang == "zh" else ", "
    return [
        unavailable.where(goals, sep.join(names), text, p.lang)
        for text, names in kpis_by_note.items()
    ]


def actuals(book: Book, p: PlanInputs) -> dict[str, float]:
    """The team actuals Goals holds (what `csxl score` scores against, no data read)."""
    from csxl.workbook.cells import cell

    rows = book.rows("Goals")
    out = {}
    for i, t in enumerate(p.targets):
        value = cell(rows, G.FIRST_ROW + i, G.ACTUAL)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[t.key] = float(value)
    return out


def write(book: Book, ctx: Ctx) -> None:
    """Refresh's regions: the actual and note columns (the SMART text follows targets),
    and every formula, whose cached values change with the actuals."""
    mine = [
        (G.FIRST_ROW, G.ACTUAL, G.last_row(), G.ACTUAL),
        (G.FIRST_ROW, G.NOTE, G.last_row(), G.NOTE),
    ]
    book.write("Goals", owned.cells(ctx, "Goals", mine))
    owned.write_formulas(book, ctx, "Goals")


def rescore(book: Book, ctx: Ctx) -> None:
    """`csxl score`: the formulas' cached values, on the targets as they are now."""
    owned.write_formulas(book, ctx, "Goals")


# ------------------------------------------------------------------ read
DEFAULTS = {t.key: t for t in scoring.DEFAULT_TARGETS}


def read(book: Book, state: PlanState) -> None:
    """The targets, their monthly overrides and the cascade; the weight note as a warning
    (not when `csxl upgrade` reads an older plan)."""
    p = state.inputs
    p.targets, p.monthly, p.cascade, p.blank_weights = _read(book, book.lang)
    if not state.upgrading:
        state.warnings += weight_warnings(book, p)


def _read(book: Book, lang: str):
    rows = book.rows("Goals")
    sheet = layout.title("Goals", lang)
    blank_weights: set[str] = set()
    targets: list[Target] = []
    monthly: dict[str, list[float | None]] = {}
    formulas = book.formulas("Goals")
    for i in range(G.KPI_ROWS):
        r = G.FIRST_ROW + i
        key = cell(rows, r, G.KEY)
        if key != scoring.DEFAULT_TARGETS[i].key:
            raise InputError(
                tr(
                    f"这里应是指标代码“{scoring.DEFAULT_TARGETS[i].key}”，而不是“{printable(str(key))}”："
                    "这张表的行被移动或删除了。",
                    f"row {r} should hold the KPI key {scoring.DEFAULT_TARGETS[i].key!r} in column A, not "
                    f"{key!r}: the sheet's rows were moved or deleted.",
                ),
                Location(book.name, sheet, r, "A"),
                tr(
                    "请撤销这一改动，或从 csxl-backups 文件夹中的备份恢复工作簿。",
                    "Undo the change, or restore the workbook from csxl-backups.",
                ),
            )
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        direction = cell(rows, r, G.DIRECTION)
        if direction not in DIRECTIONS[lang]:
            raise InputError(
                tr(
                    f"方向“{printable(str(direction))}”不是 {' / '.join(DIRECTIONS[lang])} 之一。",
                    f"direction {direction!r} is not one of {' / '.join(DIRECTIONS[lang])}.",
                ),
                where(G.DIRECTION),
                tr("请从下拉列表中选择。", "Pick it from the list."),
            )
        base = DEFAULTS[key]
        if cell(rows, r, G.WEIGHT) is None:
            blank_weights.add(key)
        try:
            targets.append(
                replace(
                    base,
                    direction="higher" if direction == DIRECTIONS[lang][0] else "lower",
                    weight=number(rows, r, G.WEIGHT, where(G.WEIGHT)) or 0.0,
                    baseline=_required(rows, r, G.BASELINE, where),
                    stretch=_required(rows, r, G.STRETCH, where),
                    challenge=_required(rows, r, G.CHALLENGE, where),
                )
            )
        except ValueError as exc:
            raise InputError(
                tr(
                    f"{CATALOG[key].label(lang)} 的目标无法使用：{domain_reason(exc)}。",
                    f"the targets of {CATALOG[key].label(lang)} are not usable: {exc}.",
                ),
                where(G.BASELINE),
                tr(
                    "请让保底、冲刺、挑战按顺序排列。",
                    "Put the baseline, stretch and challenge targets in order.",
                ),
            ) from None
        # A month cell still holding its formula inherits the annual stretch (None); a
        # typed number is the manager's own target for that month.
        monthly[key] = [
            None
            if (r, G.MONTH_FIRST + m) in formulas
            else number(rows, r, G.MONTH_FIRST + m, where(G.MONTH_FIRST + m))
            for m in range(12)
        ]
    labels = {CATALOG[t.key].label(lang): t.key for t in targets}
    cascade: list[Override] = []
    # By content, to the sheet's end: a row a manager inserted inside the block pushes its
    # last rows below the formatted ones, and they count where they are now (refresh writes
    # nothing at or below the block, and Scores refers to each override by its row).
    for r in range(G.CASCADE_FIRST_ROW, max(len(rows), G.CASCADE_FIRST_ROW) + 1):
        level, name, kpi = (cell(rows, r, c) for c in (G.C_LEVEL, G.C_NAME, G.C_KPI))
        if all(cell(rows, r, c) is None for c in range(G.C_LEVEL, G.C_CHALLENGE + 1)):
            continue
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        if level not in LEVELS[lang] or name is None or kpi not in labels:
            beyond = r >= G.CASCADE_FIRST_ROW + G.CASCADE_ROWS
            raise InputError(
                tr(
                    f"{sheet} 表第 {r} 行是分解目标的一行，"
                    "需要层级、小组或客服和指标（从下拉列表中选）。"
                    + ("（它在分解目标表格之下，也会被读取。）" if beyond else ""),
                    f"row {r} of {sheet} is a cascade row: it needs a level, a name and a KPI "
                    "from the lists."
                    + (" (It is below the block, and read too.)" if beyond else ""),
                ),
                where(G.C_LEVEL),
                tr(
                    "请补全或清空这一行；未写入任何内容。",
                    "Complete or clear the row; nothing was written.",
                ),
            )
        values = {
            f: number(rows, r, c, where(c))
            for f, c in (
                ("weight", G.C_WEIGHT),
                ("baseline", G.C_BASELINE),
                ("stretch", G.C_STRETCH),
                ("challenge", G.C_CHALLENGE),
            )
        }
        cascade.append(
            Override(
                r,
                "group" if level == LEVELS[lang][0] else "agent",
                str(name),
                labels[kpi],
                **values,
            )
        )
    return tuple(targets), monthly, cascade, frozenset(blank_weights)


def weight_warnings(book: Book, inputs: PlanInputs) -> list[str]:
    """The weight note of Goals (B14) as a warning of the command: blank weights, and
    weights that do not total 100 (the score still weighs each KPI by its share)."""
    weights = [t.weight for t in inputs.targets[: G.KPI_ROWS]]
    text = weight_problems(LANGUAGE.get(), weights, len(inputs.blank_weights))  # the run's
    if not text:
        return []
    sheet = layout.title("Goals", inputs.lang)
    blank = [
        f"{layout.col(G.WEIGHT)}{G.FIRST_ROW + i}"
        for i, t in enumerate(inputs.targets[: G.KPI_ROWS])
        if t.key in inputs.blank_weights
    ]
    where = f"{sheet}!{layout.col(G.WEIGHT)}{G.FIRST_ROW}:{layout.col(G.WEIGHT)}{G.last_row()}"
    if blank:
        where += tr("（空白：", " (blank: ") + tr("、", ", ").join(blank) + tr("）", ")")
    return [f"{book.name}, {where}: {text.strip()}"]


def _required(rows, r: int, c: int, where) -> float:
    value = number(rows, r, c, where(c))
    if value is None:
        raise InputError(
            tr("目标为空。", "a target is empty."), where(c), tr("请填写目标。", "Type the target.")
        )
    return value


# ------------------------------------------------------------------ csxl batch
def roster(p: PlanInputs, team: RosterTeam) -> None:
    """A roster team's targets and cascade: its group then agent overrides in the cascade
    rows, then a row for each agent without an override of its own (the first KPI scored
    per agent, its targets blank: the team's, for the manager to change). ValueError when
    the overrides do not fit the block; the agents beyond it are on Team all the same."""
    from csxl.errors import t
    from csxl.workbook.book import Override

    p.targets = team.targets()
    own = team.own_targets(p.targets)
    if len(own) > G.CASCADE_ROWS:
        raise ValueError(
            t(
                f"小组/客服的个别目标超过 {G.CASCADE_ROWS} 行：“目标”表的分解目标"
                f"只有 {G.CASCADE_ROWS} 行",
                f"more than {G.CASCADE_ROWS} group/agent overrides: the Goals "
                f"cascade block has {G.CASCADE_ROWS} rows",
            )
        )
    rows = [
        Override(G.CASCADE_FIRST_ROW + i, level, name, key, **values)  # type: ignore[arg-type]
        for i, (level, name, key, values) in enumerate(own)
    ]
    kpi = next((t.key for t in p.targets if "agent" in t.scored_for), None)
    named = {o.name for o in rows if o.level == "agent"}
    used = {o.row for o in rows}
    free = (r for r in range(G.CASCADE_FIRST_ROW, G.CASCADE_FIRST_ROW + G.CASCADE_ROWS))
    for a in team.agents if kpi is not None else ():
        if a.name in named:
            continue
        r = next((r for r in free if r not in used), None)
        if r is None:
            break
        rows.append(Override(r, "agent", a.name, kpi))
    p.cascade = rows


def team_cells(p: PlanInputs, formulas: Callable[[], Mapping[str, str]]) -> dict:
    """Over a plan built with the default targets and no cascade: the rows of the KPIs whose
    targets differ (inputs, SMART text, monthly and quarter targets and their cached
    values), the weights' total and note, and the typed cascade rows."""
    from csxl.workbook.sheetxml import Formula, as_written

    defaults = scoring.DEFAULT_TARGETS
    targets = p.targets
    if len(targets) != len(defaults) or any(
        (t.key, t.direction, t.unit, t.scored_for) != (d.key, d.direction, d.unit, d.scored_for)
        for t, d in zip(targets, defaults, strict=True)
    ):
        raise ValueError("batch overrides weights and targets only: same KPIs, same order")
    cells: dict[tuple[int, int], object] = {}
    gf: Mapping[str, str] = {}
    for i, (tg, d) in enumerate(zip(targets[: G.KPI_ROWS], defaults, strict=False)):
        if tg == d:
            continue
        gf = gf or formulas()
        r = G.FIRST_ROW + i
        for c, value in (
            (G.WEIGHT, tg.weight),
            (G.BASELINE, tg.baseline),
            (G.STRETCH, tg.stretch),
            (G.CHALLENGE, tg.challenge),
        ):
            cells[(r, c)] = as_written(value)
        cells[(r, G.NOTE)] = smart_text(p.lang, p.year, tg, CATALOG[tg.key].label(p.lang))
        for m in range(12):
            c = G.MONTH_FIRST + m
            cells[(r, c)] = Formula(gf[f"{col(c)}{r}"], tg.stretch)
        for q in range(4):
            c = G.QUARTER_FIRST + q
            cells[(r, c)] = Formula(gf[f"{col(c)}{r}"], sum([tg.stretch] * 3) / 3)
    if cells:  # the weights' total and note follow the weights
        weights = [t.weight for t in targets[: G.KPI_ROWS]]
        total = (G.WEIGHT_TOTAL_ROW, G.WEIGHT)
        note = (G.WEIGHT_NOTE_ROW, G.WEIGHT_NOTE_COL)
        cells[total] = Formula(gf[f"{col(total[1])}{total[0]}"], round(sum(weights), 6))
        cells[note] = Formula(gf[f"{col(note[1])}{note[0]}"], weight_problems(p.lang, weights, 0))
    labels = {t.key: CATALOG[t.key].label(p.lang) for t in targets}
    for o in p.cascade:
        r = o.row
        if not G.CASCADE_FIRST_ROW <= r < G.CASCADE_FIRST_ROW + G.CASCADE_ROWS:
            raise ValueError(f"cascade row {r} is outside the Goals cascade block")
        cells[(r, G.C_LEVEL)] = LEVELS[p.lang][0 if o.level == "group" else 1]
        cells[(r, G.C_NAME)] = o.name
        cells[(r, G.C_KPI)] = labels.get(o.key, o.key)
        cells[(r, G.C_WEIGHT)] = as_written(o.weight)
        cells[(r, G.C_BASELINE)] = as_written(o.baseline)
        cells[(r, G.C_STRETCH)] = as_written(o.stretch)
        cells[(r, G.C_CHALLENGE)] = as_written(o.challenge)
    return cells
