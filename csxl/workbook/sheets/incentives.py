"""Incentives (激励): points mode, tiers, grade bands, bonus, red lines, awards."""

from __future__ import annotations

from csxl.domain.scoring import Incentives
from csxl.errors import InputError, Location, domain_reason, printable
from csxl.errors import t as tr
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, number
from csxl.workbook.layout import Incentives as I
from csxl.workbook.port import Book
from csxl.workbook.rule_words import MODE_LABELS, PRORATION_LABELS, mode_label, proration_label
from csxl.workbook.state import PlanState


def proration_key(value: object) -> str | None:
    """The rule a cell names, in either language; None for anything else."""
    text = "" if value is None else str(value).strip().casefold()
    for labels in PRORATION_LABELS.values():
        for key, label in labels.items():
            if text == label.casefold():
                return key
    return None


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    return [
        (
            "激励：计分方式、档位、等级、奖金规则与折算方式",
            "Incentives: points mode, tiers, grades, bonus rules and pro-rating",
        )
    ]


def carry(old, new) -> list[tuple[str, str]]:
    """The red-line and award texts, as typed (they have no model)."""
    from csxl.workbook.cells import cell

    rows = old.rows("Incentives")
    cells = {
        (r, 1): cell(rows, r, 1)
        for r in range(I.RED_LINE_FIRST_ROW, I.RED_LINE_FIRST_ROW + I.RED_LINE_ROWS)
    }
    for r in range(I.AWARD_FIRST_ROW, I.AWARD_FIRST_ROW + I.AWARD_ROWS):
        cells[(r, 1)], cells[(r, 2)] = cell(rows, r, 1), cell(rows, r, 2)
    new.write("Incentives", cells)
    return [("激励：红线与奖项规则", "Incentives: red lines and award rules")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Incentives")
    inc = ctx.inputs.incentives
    t = ctx.t
    lang = ctx.lang
    ctx.title(
        ws,
        t("激励规则", "Incentive rules"),
        t(
            "考核按这些规则计分；修改后点击“计算考核”重新计分。",
            "Scores follow these rules; after a change press Score to re-score.",
        ),
    )
    modes = ctx.list_validation(ws, "mode", list(MODE_LABELS[lang].values()))
    prorations = ctx.list_validation(ws, "proration", list(PRORATION_LABELS[lang].values()))
    money = ctx.validation(ws, "money", type="decimal", operator="greaterThanOrEqual", formula1="0")
    whole = ctx.validation(ws, "whole", type="whole", operator="greaterThanOrEqual", formula1="0")
    grades = ctx.list_validation(
        ws, "grade", [g for g, _ in reversed(inc.grade_bands)] + [inc.lowest_grade]
    )
    rows = [
        (
            I.ROW_MODE,
            t("KPI 计分方式", "KPI points mode"),
            mode_label(lang, inc.mode),
            None,
            modes,
            t(
                "阶梯：0/60/80/100；线性：保底 60 至冲刺 80 至挑战 100 线性插值",
                "step: 0/60/80/100; linear: 60 at baseline to 80 at stretch to 100 at challenge",
            ),
        ),
        (
            I.ROW_BASE_BONUS,
            t("基础奖金（元/人/月）", "Base bonus (CNY per agent per month)"),
            inc.base_bonus,
            style.MONEY,
            money,
            "",
        ),
        (
            I.ROW_DEDUCTION,
            t("每起升级投诉扣款（元）", "Deduction per escalated complaint (CNY)"),
            inc.deduction_per_escalated,
            style.MONEY,
            money,
            "",
        ),
        (
            I.ROW_CAP_MULTIPLE,
            t("奖金上限（基础奖金倍数）", "Bonus cap (x base bonus)"),
            inc.bonus_cap_multiple,
            "0.0#",
            money,
            "",
        ),
        (
            I.ROW_RED_LINE_CAP,
            t("触碰红线时等级最高为", "A red line caps the grade at"),
            inc.red_line_cap,
            None,
            grades,
            "",
        ),
        (
            I.ROW_STAR_MIN_SURVEYS,
            t("服务明星最少回评数", "Service star: minimum answered surveys"),
            inc.star_min_answered_surveys,
            style.INTEGER,
            whole,
            "",
        ),
        (
            I.ROW_NEW_HIRE_MONTHS,
            t("新锐标兵：入职不满（月）", "Rising star: tenure under (months)"),
            inc.new_hire_months,
            style.INTEGER,
            whole,
            "",
        ),
        (
            I.ROW_PRORATION,
            t("调岗、入职、离职当月奖金折算", "Bonus for part of a month in the team"),
            proration_label(lang, inc.proration),
            None,
            prorations,
            t(
                "奖金与上限 × 在组天数 ÷ 当月天数（调岗期间见别名表），扣款不折算；"
                "工作日含调休上班日。修改后点击“计算考核”",
                "Bonus and cap x days in the team / days in the month (periods on Aliases); "
                "deductions in full; working days follow China's holidays. Press Score after "
                "a change",
            ),
        ),
    ]
    for row, label, value, fmt, dv, note in rows:
        ctx.label(ws, f"A{row}", label)
        ctx.input(ws, f"B{row}", value, fmt, dv)
        ctx.label(ws, f"C{row}", note, style.NOTE)

    ctx.header(
        ws,
        I.TIER_HEADER_ROW,
        1,
        [t("达成档位", "Tier"), t("阶梯得分", "Step points"), t("标识", "Flag")],
    )
    for i in range(I.TIER_ROWS):
        row = I.TIER_FIRST_ROW + i
        ctx.input(ws, f"A{row}", ctx.inputs.tiers()[i])
        ctx.input(ws, f"B{row}", ctx.inputs.points_table()[i], style.INTEGER, money)
        ctx.input(ws, f"C{row}", ctx.inputs.flags()[i])
        ws[f"C{row}"].fill = style.PatternFill("solid", fgColor=style.FLAG_FILLS[i])

    ctx.header(
        ws,
        I.GRADE_HEADER_ROW,
        1,
        [
            t("等级", "Grade"),
            t("最低分（含）", "Minimum score (incl.)"),
            t("奖金系数", "Bonus coefficient"),
        ],
    )
    coefficients = dict(inc.coefficients)
    bands = [(inc.lowest_grade, 0.0), *reversed(inc.grade_bands)]  # ascending for MATCH(,,1)
    for i, (name, minimum) in enumerate(bands):
        row = I.GRADE_FIRST_ROW + i
        ctx.input(ws, f"A{row}", name)
        ctx.input(ws, f"B{row}", minimum, "0.##", money)
        ctx.input(ws, f"C{row}", coefficients[name], "0.0#", money)
    ctx.label(
        ws,
        f"D{I.GRADE_FIRST_ROW}",
        t("按最低分从小到大排列", "Keep sorted by minimum, ascending"),
        style.NOTE,
    )

    ctx.header(
        ws, I.RED_LINE_HEADER_ROW, 1, [t("红线（触碰即封顶等级）", "Red lines (cap the grade)")]
    )
    red_lines = [
        t(
            "经核实的升级投诉（在“考核”表勾选）",
            "A verified escalated complaint (ticked in Scores)",
        ),
        t("泄露客户隐私信息", "Disclosing customer personal information"),
        t("辱骂或威胁客户", "Abusing or threatening a customer"),
        t("虚假承诺或私下交易", "False promises or private deals"),
    ]
    for i in range(I.RED_LINE_ROWS):
        ctx.input(ws, f"A{I.RED_LINE_FIRST_ROW + i}", red_lines[i] if i < len(red_lines) else None)

    ctx.header(ws, I.AWARD_HEADER_ROW, 1, [t("月度奖项", "Monthly award"), t("评选规则", "Rule")])
    awards = [
        (
            t("服务明星", "Service star"),
            t(
                f"满意度最高（回评不少于 {inc.star_min_answered_surveys} 条）；并列时工单多者、再按姓名",
                f"Highest CSAT (at least {inc.star_min_answered_surveys} answered surveys); ties: more tickets, then name",
            ),
        ),
        (
            t("岗位能手", "Top performer"),
            t(
                "加权得分最高；并列时工单多者、再按姓名",
                "Highest weighted score; ties: more tickets, then name",
            ),
        ),
        (
            t("新锐标兵", "Rising star"),
            t(
                f"入职不满 {inc.new_hire_months} 个月者中加权得分最高",
                f"Highest weighted score among agents with under {inc.new_hire_months} months' tenure",
            ),
        ),
    ]
    for i, (name, rule) in enumerate(awards):
        row = I.AWARD_FIRST_ROW + i
        ctx.input(ws, f"A{row}", name)
        ctx.input(ws, f"B{row}", rule)
    setup_sheet(ws, widths={"A": 34, "B": 18, "C": 16, "D": 48}, landscape=False)


# ------------------------------------------------------------------ read
def read(book: Book, state: PlanState) -> None:
    """The points mode, the pro-rating rule, the grade table and the tier labels."""
    inputs = state.inputs
    rows = book.rows("Incentives")
    lang = inputs.lang
    sheet = layout.title("Incentives", lang)
    where = lambda r, c=2: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
    modes = {v: k for k, v in MODE_LABELS[lang].items()}
    mode = cell(rows, I.ROW_MODE, 2)
    if mode not in modes:
        raise InputError(
            tr(
                f"计分方式“{printable(str(mode))}”不是 {' / '.join(modes)} 之一。",
                f"points mode {mode!r} is not one of {' / '.join(modes)}.",
            ),
            where(I.ROW_MODE),
            tr("请从下拉列表中选择。", "Pick it from the list."),
        )
    # The pro-rating rule: blank (a plan made before the row existed) is the default.
    rule = cell(rows, I.ROW_PRORATION, 2)
    proration = "calendar" if rule is None else proration_key(rule)
    if proration is None:
        labels = " / ".join(PRORATION_LABELS[lang].values())
        raise InputError(
            tr(
                f"奖金折算方式“{printable(str(rule))}”不是 {labels} 之一。",
                f"bonus pro-rating {rule!r} is not one of {labels}.",
            ),
            where(I.ROW_PRORATION),
            tr("请从下拉列表中选择。", "Pick it from the list."),
        )
    tiers = range(I.TIER_FIRST_ROW, I.TIER_FIRST_ROW + I.TIER_ROWS)
    grades = range(I.GRADE_FIRST_ROW, I.GRADE_FIRST_ROW + I.GRADE_ROWS)
    names = [str(cell(rows, r, 1)) for r in grades]
    mins = [number(rows, r, 2, where(r)) for r in grades]
    coefs = [number(rows, r, 3, where(r, 3)) for r in grades]
    try:
        inputs.incentives = Incentives(
            mode=modes[mode],
            grade_bands=tuple(
                (n, m) for n, m in reversed(list(zip(names[1:], mins[1:], strict=True)))
            ),
            lowest_grade=names[0],
            coefficients=tuple(zip(names, coefs, strict=True)),
            base_bonus=number(rows, I.ROW_BASE_BONUS, 2, where(I.ROW_BASE_BONUS)) or 0.0,
            deduction_per_escalated=number(rows, I.ROW_DEDUCTION, 2, where(I.ROW_DEDUCTION)) or 0.0,
            bonus_cap_multiple=number(rows, I.ROW_CAP_MULTIPLE, 2, where(I.ROW_CAP_MULTIPLE))
            or 0.0,
            red_line_cap=str(cell(rows, I.ROW_RED_LINE_CAP, 2)),
            star_min_answered_surveys=int(
                number(rows, I.ROW_STAR_MIN_SURVEYS, 2, where(I.ROW_STAR_MIN_SURVEYS)) or 0
            ),
            new_hire_months=int(
                number(rows, I.ROW_NEW_HIRE_MONTHS, 2, where(I.ROW_NEW_HIRE_MONTHS)) or 0
            ),
            proration=proration,
        )
    except (TypeError, ValueError) as exc:
        raise InputError(
            tr(f"等级表无法使用：{domain_reason(exc)}。", f"the grade table is not usable: {exc}."),
            where(I.GRADE_FIRST_ROW, 1),
            tr(
                "请每个等级一行，最低分从小到大，每行一个系数。",
                "Keep one row per grade, minimums ascending, a coefficient each.",
            ),
        ) from None
    inputs.tier_labels = tuple(str(cell(rows, r, 1)) for r in tiers)
    inputs.step_points = tuple(number(rows, r, 2, where(r)) or 0.0 for r in tiers)
    inputs.flag_labels = tuple(str(cell(rows, r, 3)) for r in tiers)
