"""Every sheet name, table, defined name and cell address of the plan workbook.

Code refers to sheets by key, never by position or by a name in one language; a reader
finds any cell of the plan here. Rows and columns are 1-based as in Excel. A region that
csxl owns (fills on refresh) is marked OWNED; everything else that is not a label is the
manager's input.
"""

from __future__ import annotations

from collections import abc
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from csxl.domain.columns import CALLS, ORDERS, TICKETS, Schema
from csxl.readers.limits import column_letters, column_number

TEMPLATE_VERSION = "1.3"


@dataclass(frozen=True)
class SheetName:
    key: str
    en: str
    zh: str

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# Tab order: what a manager opens first comes first.
SHEETS: tuple[SheetName, ...] = (
    SheetName("Guide", "Guide", "指南"),
    SheetName("Dashboard", "Dashboard", "看板"),
    SheetName("Goals", "Goals", "目标"),
    SheetName("Scores", "Scores", "考核"),
    SheetName("Milestones", "Milestones", "里程碑"),
    SheetName("Budget", "Budget", "预算"),
    SheetName("Risks", "Risks", "风险登记"),
    SheetName("Incentives", "Incentives", "激励"),
    SheetName("Team", "Team", "团队"),
    SheetName("SLA", "SLA", "服务时限"),
    SheetName("Incidents", "Incidents", "故障"),
    SheetName("Actions", "Actions", "改进措施"),
    SheetName("Appeals", "Appeals", "申诉"),
    SheetName("QA", "QA", "质检"),
    SheetName("Calls", "Calls", "通话"),
    SheetName("Staffing", "Staffing", "排班"),
    SheetName("Data", "Data", "数据"),
    SheetName("Orders", "Orders", "订单"),
    SheetName("CallRecords", "Call records", "通话记录"),
    SheetName("Mapping", "Mapping", "映射"),
    SheetName("Aliases", "Aliases", "别名"),
    SheetName("Holidays", "Holidays", "假日"),
    SheetName("Errors", "Errors", "错误"),
    SheetName("Trend", "Trend", "趋势"),
    SheetName("Audit", "Audit", "审计日志"),
    SheetName("Settings", "Settings", "设置"),
)
SHEET = {s.key: s for s in SHEETS}
# The sheets every plan has had since the first template: a workbook with all three is a
# plan, in the language of their titles (`port.detect_lang`).
PLAN_SIGNATURE: tuple[str, ...] = ("Goals", "Data", "Scores")
# The exports as the manager pastes them, with the kind of table each holds (the domain's
# schema of its columns): read, never rewritten by refresh; they print only their header
# row (csxl/workbook/printing.py).
PASTE_AREAS: dict[str, Schema] = {"Data": TICKETS, "Orders": ORDERS, "CallRecords": CALLS}


def paste_area(schema: Schema) -> str:
    """The key of the paste sheet that holds `schema`'s kind of table (tickets: Data)."""
    for key, kind in PASTE_AREAS.items():
        if kind.name == schema.name:
            return key
    raise KeyError(f"no paste area holds {schema.name}")


def paste_titles(schema: Schema) -> tuple[str, str]:
    """That sheet's titles (en, zh): a workbook's sheet of either name is read first for
    this kind of table, so a plan given as an export is read from its paste sheet."""
    s = SHEET[paste_area(schema)]
    return s.en, s.zh


# What each sheet is for and who fills it: key -> ((zh, en) purpose, (zh, en) who).
YOU, CSXL, BOTH = ("你", "You"), ("csxl", "csxl"), ("你 + csxl", "You + csxl")
PURPOSES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "Guide": (
        (
            "本页：各表用途、粘贴数据的方法、颜色含义和按钮说明。",
            "This page: what each sheet is for, how to paste data, what the colours mean, the "
            "buttons.",
        ),
        CSXL,
    ),
    "Dashboard": (
        (
            "本月结果一览：各 KPI 的实际值与保底/冲刺/挑战目标、达成档位、差异%，KPI 对比图和 Top-"
            "20 问题标签。由“刷新指标”更新。",
            "This month at a glance: each KPI's actual against its baseline/stretch/challenge "
            "targets, tier, variance %, a KPI-vs-target chart and the Top-20 tags. Updated by "
            "Refresh.",
        ),
        CSXL,
    ),
    "Goals": (
        (
            "年度 KPI 目标：方向、权重、保底/冲刺/挑战三档目标（黄色可改）；实际值、档位、差异和得"
            "分由刷新与公式计算；下方可为小组或客服单独设定目标，右侧为月度目标。",
            "The year's KPI targets: direction, weight, baseline/stretch/challenge (yellow: yours "
            "to change); actuals, tiers, variance and points come from Refresh and formulas; "
            "below, targets for a group or an agent; to the right, monthly targets.",
        ),
        BOTH,
    ),
    "Scores": (
        (
            "每位客服的月度考核：各 KPI 的值与得分、加权得分、等级、奖金、扣款、红线和奖项，以及调"
            "岗、入职、离职当月按在组天数折算奖金的比例。由“刷新指标”或“计算考核”填写；黄色两列（"
            "经核实的升级投诉、申诉/调整说明）由你填写。",
            "Each agent's monthly scores: every KPI's value and points, weighted score, grade, "
            "bonus, deductions, red lines and awards, and the bonus share for a month partly in "
            "the team (transfers, joiners, leavers). Filled by Refresh or Score; the two yellow "
            "columns (verified escalated complaint, appeal note) are yours.",
        ),
        BOTH,
    ),
    "Milestones": (
        (
            "季度里程碑：交付物、验收标准、负责人、起止日期、完成%；甘特图、逾期和落后标识自动显示"
            "。",
            "Quarterly milestones: deliverable, acceptance criteria, owner, start, end, % "
            "complete; the Gantt bars and the overdue and behind flags follow.",
        ),
        YOU,
    ),
    "Budget": (
        (
            "预算：各类费用按月的计划与实际，月度与年累计差异、全年预测和超支标识。",
            "Budget: plan and actual per category and month, monthly and year-to-date variance, "
            "full-year forecast and over-plan flags.",
        ),
        YOU,
    ),
    "Risks": (
        (
            "风险登记：可能性 x 影响 = 风险分值和等级，应对措施、负责人、状态，以及 5x5 热力图。",
            "Risk register: likelihood x impact = score and level, prevention and response, "
            "owner, status, and a 5x5 heat map.",
        ),
        YOU,
    ),
    "Incentives": (
        (
            "考核规则：计分方式（阶梯/线性）、档位得分、等级分数线与奖金系数、基础奖金、扣款、调岗"
            "当月奖金折算方式（日历天数/工作日/不折算）、红线和月度奖项。",
            "Scoring rules: points mode (step/linear), tier points, grade bands and bonus "
            "coefficients, base bonus, deductions, bonus pro-rating for part of a month (calendar "
            "days/working days/none), red lines and monthly awards.",
        ),
        YOU,
    ),
    "Data": (
        (
            "粘贴区：本月的工单明细（每行一个工单或会话）。本表不受保护。",
            "The paste area: this month's per-ticket data (one row per ticket or conversation). "
            "Not protected.",
        ),
        YOU,
    ),
    "Orders": (
        (
            "粘贴区：订单明细（每行一个订单：客户ID、下单时间、金额，可选订单号和状态）。用于高价"
            "值客户、留存率和复购率。本表不受保护。",
            "The order paste area (one row per order: customer ID, order time, amount, optionally "
            "order ID and status), for high-value customers, retention and repurchase. Not "
            "protected.",
        ),
        YOU,
    ),
    "CallRecords": (
        (
            "粘贴区：呼叫中心导出的通话明细（每行一通来电：来电时间、是否接通，可选通话ID、坐席、"
            "技能组、等待时长、是否放弃）。结果在“通话”表。本表不受保护。",
            "The call-record paste area (one row per inbound call: start time, answered, "
            "optionally call ID, agent, queue, wait time, abandoned); the results are on Calls. "
            "Not protected.",
        ),
        YOU,
    ),
    "Calls": (
        (
            "通话指标：服务水平时限（默认 20 秒）和短放弃秒数由你填写；刷新时按“通话记录”计算本月"
            "各团队和各坐席的呼入量、接通率、放弃率、服务水平和平均应答时长。",
            "Call-centre KPIs: you type the service-level seconds (20 by default) and the "
            "short-abandon seconds; Refresh computes the month's offered calls, answer rate, "
            "abandon rate, service level and ASA per team and agent from Call records.",
        ),
        BOTH,
    ),
    "Team": (
        (
            "团队成员：小组、职级（初级/中级/高级）、入职日期（新锐标兵按司龄评选）、每季度培训计"
            "划与完成学时、每周半天培训出勤；完成率由公式计算，晋升资格由刷新按上方规则判定；右上"
            "为知识库季度指标。",
            "The team: group, level (junior/intermediate/senior), hire date (the Rising star "
            "award goes by tenure), training hours planned and done per quarter, weekly half-day "
            "training attendance; completion by formula, promotion readiness by Refresh from the "
            "rule above; top right, the quarterly knowledge-base figures.",
        ),
        BOTH,
    ),
    "Mapping": (
        (
            "表头映射：导出文件的表头 csxl 不认识时，在这里添加“表头 → 字段”。",
            "Header mapping: when csxl does not recognise a header of your export, add 'header -> "
            "column' here.",
        ),
        YOU,
    ),
    "SLA": (
        (
            "服务时限：按紧急程度和渠道设定首响与解决时限及营业时间，跨部门协作时限；右侧为刷新时"
            "计算的各团队、各月达成率和协作部门考核（按时完成率、处理时长中位数）。",
            "SLAs: first-response and resolution limits per severity and channel with their "
            "hours, and the collaboration limits; on the right, attainment per team and month and "
            "the department appraisal (within limit, median hours), computed on Refresh.",
        ),
        BOTH,
    ),
    "Incidents": (
        (
            "系统故障记录：每次批量故障的开始、告警、临时方案、公告和恢复时间；告警 5 分钟、临时方"
            "案 10 分钟、公告 30 分钟内是否达标由公式判定。",
            "System failure log: each failure's start, alert, workaround, announcement and "
            "recovery times; formulas check alert within 5, workaround within 10 and announcement "
            "within 30 minutes.",
        ),
        YOU,
    ),
    "Actions": (
        (
            "改进措施：措施、目标指标、开始日期和目标变化（如高峰排队时长降低 30%）；刷新时计算开"
            "始前 3 个月与 3 个月观察期的指标对比，观察期结束后判定是否达成。",
            "Improvement actions: the action, its KPI, start date and target change (e.g. cut the "
            "peak queue time by 30%); Refresh compares the 3 months before with the 3-month "
            "observation window and, once it is over, says whether the target was met.",
        ),
        BOTH,
    ),
    "Aliases": (
        (
            "别名与调岗：导出文件里客服的各种写法（昵称、子账号、工号）对应到同一位客服；调岗期间"
            "内的工单按当天所在团队计算。",
            "Aliases and transfers: every way an export writes an agent (nickname, sub-account, "
            "staff number) mapped to one agent; tickets count for the team the agent was in that "
            "day.",
        ),
        YOU,
    ),
    "QA": (
        (
            "质检：质检得分的权重与目标（默认权重 0），粘贴质检记录（可填质检日期，按日期计入月份"
            "）；刷新时按客服计算当月平均质检得分并写入考核表。",
            "Quality inspection: the QA score's weight (0 by default) and targets, and the "
            "inspections (with an optional QA date, which decides their month); Refresh computes "
            "each agent's mean QA score for the month onto Scores.",
        ),
        BOTH,
    ),
    "Appeals": (
        (
            "申诉与人工调整：排除某客服的某张工单、替换某项指标或得分，需写明原因和审批人；每次刷"
            "新都会重新应用并记入审计日志。",
            "Appeals and manual adjustments: exclude a ticket from an agent's figures, or "
            "override a KPI or the score, with a reason and an approver; every refresh applies "
            "them again and logs them on Audit.",
        ),
        BOTH,
    ),
    "Audit": (
        (
            "审计日志：每次刷新应用了哪些申诉和调整，原值、新值、原因和审批人。",
            "Audit log: which appeals and adjustments each refresh applied, from, to, reason and "
            "approver.",
        ),
        CSXL,
    ),
    "Holidays": (
        (
            "本地假日：国家法定节假日和调休已内置；在这里填本单位额外的放假日或上班日，用于服务时"
            "限和工作日计算。",
            "Local holidays: China's statutory holidays and 调休 days are built in; list your own "
            "extra days off or working days here, for SLA clocks and working-day counts.",
        ),
        YOU,
    ),
    "Staffing": (
        (
            "排班测算（Erlang C）：按星期 × 30 分钟时段的到达量（数据表各周平均，或你的手工预测）"
            "算出需要坐席、排班人数、服务水平、平均应答和占用率，含热力图和 9-11 点高峰视图。参数"
            "黄色可改，结果由“刷新指标”或 csxl staff 写入。",
            "Staffing (Erlang C): from arrivals per weekday x 30-minute interval (the Data "
            "sheet's weekly mean, or your forecast), the agents needed, scheduled heads, service "
            "level, ASA and occupancy, with a heat map and the 9-11 peak view. Inputs are yellow; "
            "results come from Refresh or csxl staff.",
        ),
        BOTH,
    ),
    "Errors": (
        (
            "被拒绝的数据行及原因（行号即你在“数据”表看到的行号）。由“校验数据”和“刷新指标”填写。",
            "Rejected data rows and why (row numbers as you see them in Data). Filled by Validate "
            "and Refresh.",
        ),
        CSXL,
    ),
    "Trend": (
        (
            "历史：每次刷新新的月份时，每个 KPI（团队与客服）追加一行，保留全年趋势。",
            "History: each refresh of a new month appends a row per KPI (team and agents), so the "
            "year's trend is kept.",
        ),
        CSXL,
    ),
    "Settings": (
        (
            "设置：基准日期（留空为今天）、团队、年度、活跃客户数、时限、程序路径和模板版本；上次"
            "刷新时间也记录在这里。",
            "Settings: as-of date (blank = today), team, year, active customers, time limits, "
            "program paths and the template version; the last refresh is recorded here.",
        ),
        YOU,
    ),
}

# A plan's sheets as the manager renamed them ({key: title}, for one language), while a
# plan is rendered for it: formulas then refer to the sheets by their names in the file.
_RENAMED: ContextVar[tuple[str, abc.Mapping[str, str]]] = ContextVar(
    "csxl_renamed", default=("", {})
)


def title(key: str, lang: str) -> str:
    renamed_lang, titles = _RENAMED.get()
    if lang == renamed_lang and key in titles:
        return titles[key]
    return SHEET[key].title(lang)


@contextmanager
def renamed(lang: str, titles: abc.Mapping[str, str]) -> Iterator[None]:
    """Within the block, `title` gives the plan's own names of its renamed sheets."""
    token = _RENAMED.set((lang, dict(titles)))
    try:
        yield
    finally:
        _RENAMED.reset(token)


# Each sheet's identity: a workbook name anchored at its A1. Excel, LibreOffice and WPS move
# a name's reference with a renamed sheet and turn it into #REF! when the sheet is deleted,
# so the key survives a rename and a deletion is seen as one.
ANCHOR = "csxl_Sheet_"


def anchor(key: str) -> str:
    return ANCHOR + key


def sheet_key(name: str) -> str | None:
    """The key of a sheet named in either language (what a reader needs)."""
    for s in SHEETS:
        if name in (s.en, s.zh):
            return s.key
    return None


# Column letters as openpyxl's utils compute them (A to ZZZ), without importing openpyxl:
# that import costs about 0.2 s to every command that only reads.
_LAST_COLUMN = 18278  # ZZZ


@cache
def col(n: int) -> str:
    """1 -> A, 28 -> AB."""
    if not 1 <= n <= _LAST_COLUMN:
        raise ValueError(f"Invalid column index {n}")
    return column_letters(n)


@cache
def col_number(letters: str) -> int:
    """A -> 1, AB -> 28 (lower case too): `col`'s inverse."""
    upper = letters.upper()
    if not 1 <= len(upper) <= 3 or not all("A" <= ch <= "Z" for ch in upper):
        raise ValueError(f"'{letters}' is not a valid column name. Column names are from A to ZZZ")
    return column_number(upper)


def ref(key: str, lang: str, address: str) -> str:
    """A cross-sheet reference: '目标'!$G$5."""
    return f"'{title(key, lang)}'!{address}"


# ---------------------------------------------------------------- Settings (设置)
class Settings:
    LABEL_COL = 1  # A: label, B: value, C: note
    VALUE_COL = 2
    ROW_VERSION = 3
    ROW_TEAM = 4
    ROW_YEAR = 5
    ROW_LANG = 6
    ROW_AS_OF_INPUT = 7  # blank = today
    ROW_AS_OF = 8  # =IF(ISBLANK(B7),TODAY(),B7): the only volatile cell of the plan
    ROW_ACTIVE_CUSTOMERS = 9
    ROW_FRT_TARGET = 10
    ROW_RT_TARGET = 11
    ROW_PEAK_START = 12
    ROW_PEAK_END = 13
    ROW_EXE_PATH = 14
    ROW_PYTHON = 15
    ROW_LAST_REFRESH = 16  # OWNED
    ROW_SOURCE_ROWS = 17  # OWNED
    ROW_REFRESH_MONTH = 18  # OWNED

    @staticmethod
    def value(row: int) -> str:
        return f"B{row}"


# ---------------------------------------------------------------- Incentives (激励)
class Incentives:
    ROW_MODE = 4  # B4: step / linear (阶梯/线性)
    ROW_BASE_BONUS = 5
    ROW_DEDUCTION = 6  # per escalated complaint
    ROW_CAP_MULTIPLE = 7
    ROW_RED_LINE_CAP = 8  # the grade a red line caps at
    ROW_STAR_MIN_SURVEYS = 9
    ROW_NEW_HIRE_MONTHS = 10
    ROW_PRORATION = 11  # 按日历天数/按工作日/不折算: the bonus for part of a month in the team
    # Tier table: label, points (step mode), flag colour; rows in tier order 0..3.
    TIER_HEADER_ROW = 13
    TIER_FIRST_ROW = 14
    TIER_ROWS = 4
    # Grade bands, ascending minimum score so that MATCH(score, mins, 1) finds the band.
    GRADE_HEADER_ROW = 20
    GRADE_FIRST_ROW = 21
    GRADE_ROWS = 5
    # Red lines and award rules: text the manager edits.
    RED_LINE_HEADER_ROW = 28
    RED_LINE_FIRST_ROW = 29
    RED_LINE_ROWS = 5
    AWARD_HEADER_ROW = 36
    AWARD_FIRST_ROW = 37
    AWARD_ROWS = 3


# ---------------------------------------------------------------- Goals (目标)
class Goals:
    HEADER_ROW = 4
    FIRST_ROW = 5
    KPI_ROWS = 8  # one per default target of the spec
    # Columns of the KPI table.
    KEY, LABEL, UNIT, DIRECTION, WEIGHT = 1, 2, 3, 4, 5
    BASELINE, STRETCH, CHALLENGE = 6, 7, 8
    ACTUAL = 9  # OWNED: written by refresh
    TIER, VARIANCE, VARIANCE_PCT, FLAG, POINTS = 10, 11, 12, 13, 14
    NOTE = 15  # the SMART wording of the goal
    # Monthly stretch targets to the right of each KPI row (input; default = annual stretch),
    # then quarter averages.
    MONTH_FIRST = 17  # Q
    QUARTER_FIRST = MONTH_FIRST + 12  # AC
    # Cascade: per group or agent overrides, long format; blank = inherit the team target.
    CASCADE_TITLE_ROW = 16
    CASCADE_HEADER_ROW = 17
    CASCADE_FIRST_ROW = 18
    CASCADE_ROWS = 60  # the formatted rows; a row a manager inserts below is read too
    C_LEVEL, C_NAME, C_KPI, C_WEIGHT, C_BASELINE, C_STRETCH, C_CHALLENGE = 2, 3, 4, 5, 6, 7, 8
    # The weights' check on the team score row (E13: their total) and the row below it
    # (B14: what is wrong with them, or blank): formulas csxl writes on refresh and score.
    WEIGHT_TOTAL_ROW = 13
    WEIGHT_NOTE_ROW = 14
    WEIGHT_NOTE_COL = 2
    WEIGHT_TOTAL = 100  # the plan's convention: weights are points out of 100

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.KPI_ROWS - 1


# ---------------------------------------------------------------- Milestones (里程碑)
class Milestones:
    """The milestone table (A..L) and, right of it, a weekly Gantt grid drawn by CF."""

    LEGEND_ROW = 2  # over the grid: what the three Gantt colours mean
    MONTH_ROW = 3  # over the grid: the month whose 1st falls in the week
    HEADER_ROW = 4  # the table's header; over the grid: the week start dates (Mondays)
    WEEK_ROW = HEADER_ROW
    FIRST_ROW = 5
    ROWS = 16  # four per quarter
    QUARTER, NAME, DELIVERABLE, ACCEPTANCE, OWNER, START, END, PCT = 1, 2, 3, 4, 5, 6, 7, 8
    ELAPSED, STATUS, OVERDUE, BEHIND = 9, 10, 11, 12  # computed
    GRID_FIRST = 14  # N: one column per week
    # Mondays from the one on or before 1 January while the week starts in the year: 53, or
    # 54 in a leap year that starts on a Sunday; the 54th column is blank in other years.
    WEEKS = 54

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1

    @classmethod
    def grid_last(cls) -> int:
        return cls.GRID_FIRST + cls.WEEKS - 1


# ---------------------------------------------------------------- Budget (预算)
class Budget:
    """Category rows x (summary, 12 plan, 12 actual, 12 variance, 12 variance % columns).

    The year-to-date summary sits next to the category, the month blocks to its right, each
    under a header row of month dates (DATE(csxl_Year, m, 1), shown as 1月 / Jan).
    """

    THROUGH_ROW = 3  # A3 label, B3: the month YTD runs through (0..12, from csxl_AsOf)
    THROUGH = "B3"
    BLOCK_ROW = 3  # titles over the month blocks
    HEADER_ROW = 4
    FIRST_ROW = 5
    CATEGORY_ROWS = 8  # four defaults and room for four more
    CATEGORY = 1
    YEAR_PLAN, YTD_PLAN, YTD_ACTUAL, YTD_VARIANCE, YTD_VARIANCE_PCT = 2, 3, 4, 5, 6
    FORECAST, FLAG = 7, 8
    PLAN_FIRST = 10  # J..U: plan per month (input)
    ACTUAL_FIRST = 23  # W..AH: actual per month (input)
    VARIANCE_FIRST = 36  # AJ..AU: monthly variance (actual - plan)
    VARIANCE_PCT_FIRST = 49  # AW..BH: monthly variance %
    MONTHS = 12
    TOTAL_ROW = FIRST_ROW + CATEGORY_ROWS  # 13
    CHART_ANCHOR = "A16"

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.CATEGORY_ROWS - 1

    @classmethod
    def last_col(cls) -> int:
        return cls.VARIANCE_PCT_FIRST + cls.MONTHS - 1


# ---------------------------------------------------------------- Risks (风险登记)
class Risks:
    HEADER_ROW = 4
    FIRST_ROW = 5
    ROWS = 30
    ID, RISK, CATEGORY, LIKELIHOOD, IMPACT, SCORE, LEVEL = 1, 2, 3, 4, 5, 6, 7
    TRIGGER, PREVENTION, RESPONSE, OWNER, STATUS, REVIEW = 8, 9, 10, 11, 12, 13
    # The 5x5 heat map right of the table: open risks per likelihood x impact.
    HEAT_TITLE_ROW = 4
    HEAT_IMPACT_ROW = 5  # P5..T5: impact 1..5
    HEAT_COL = 15  # O: likelihood labels; P..T impact 1..5
    HEAT_FIRST_ROW = 6  # likelihood 5 at the top (row 6), 1 at the bottom (row 10)
    HEAT_NOTE_ROW = 11
    LEGEND_FIRST_ROW = 13  # one row per level, highest first: band and open risks

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1

    @classmethod
    def heat_cell(cls, likelihood: int, impact: int) -> str:
        return f"{col(cls.HEAT_COL + impact)}{cls.HEAT_FIRST_ROW + 5 - likelihood}"


# ---------------------------------------------------------------- Data (数据) and Mapping (映射)
class Paste:
    """Where every paste area (`PASTE_AREAS`) holds its export: the header on row 1, the
    rows below it."""

    HEADER_ROW = 1
    FIRST_ROW = 2


class Data(Paste):
    TABLE = "tblData"


class Orders(Paste):
    """The order paste area (manager), read by refresh like Data (never rewritten)."""

    TABLE = "tblOrders"


class CallRecords(Paste):
    """The call-record paste area (manager), read by refresh like Data (never rewritten).
    Its results are on Calls: a refresh writing into this sheet's part would re-compress
    every pasted row (performance.md), so nothing of csxl's lives here."""

    TABLE = "tblCalls"


# The paste sheets' Excel tables: a paste below the header grows them.
PASTE_TABLES = {"Data": Data.TABLE, "Orders": Orders.TABLE, "CallRecords": CallRecords.TABLE}


class Mapping:
    HEADER_ROW = 3
    FIRST_ROW = 4
    ROWS = 100
    HEADER, COLUMN, SCALE = 1, 2, 3
    # 数据源: the row applies only when that source is imported (`csxl import --source`);
    # blank: to every import and to the Data sheet itself.
    SOURCE = 4
    TABLE = "tblMapping"


# ---------------------------------------------------------------- Dashboard, Scores, Errors, Trend
class Dashboard:
    """OWNED. KPI rows mirror Goals; refresh writes actuals there and this sheet shows them."""

    ROW_REFRESHED = 3
    # Row 3's value cells; the refresh time gets B3:C3 merged (a date and time is wide).
    REFRESHED_AT, REFRESH_ROWS, REFRESH_MONTH = "B", "E", "G"
    HEADER_ROW = 5
    FIRST_ROW = 6
    LABEL, ACTUAL, BASELINE, STRETCH, CHALLENGE, TIER, VARIANCE_PCT = 1, 2, 3, 4, 5, 6, 7
    KPI_ROWS = Goals.KPI_ROWS  # one row per Goals KPI row
    SCORE_ROW = FIRST_ROW + KPI_ROWS  # the team's weighted score and grade, below the KPIs
    CHART_ANCHOR = "I5"
    TAGS_TITLE_ROW = 17
    TAGS_HEADER_ROW = 18
    TAGS_FIRST_ROW = 19  # Top-20 tags of the month: tag, count, alert
    TAGS_ROWS = 20


class Scores:
    """OWNED, except the manager's columns (red-line tick, appeal note)."""

    KEY_ROW = 3  # the KPI key above each value column: which KPI a column pair holds
    HEADER_ROW = 4
    FIRST_ROW = 5
    ROWS = 200
    AGENT, TEAM, TICKETS, ANSWERED = 1, 2, 3, 4
    KPI_FIRST = 5  # per scored KPI: value, points (two columns each), in Goals order
    # KPIs scored for agents (targets whose scored_for has "agent"): csat, frt_mean, fcr,
    # resolution_rate, reopen_rate, survey_response_rate.
    KPI_COUNT = 6
    SCORE = KPI_FIRST + 2 * KPI_COUNT  # Q: weighted score
    GRADE = SCORE + 1
    BONUS = SCORE + 2
    ESCALATED = SCORE + 3  # escalated complaints this month: each costs a deduction
    DEDUCTIONS = SCORE + 4  # = escalated x the deduction on Incentives
    RED_LINES = SCORE + 5  # red-line hits: verified escalations in the data
    AWARD = SCORE + 6
    # The manager's columns: unlocked input; refresh reads them and never writes them.
    RED_LINE_TICK = SCORE + 7  # 是/否: a verified escalated complaint
    APPEAL = SCORE + 8  # appeal or override note
    # OWNED: what the Appeals sheet changed in this row (blank when nothing).
    ADJUSTED = SCORE + 9
    # OWNED: the QA score (mean of the month's inspections, QA sheet) and its points, which
    # count in the weighted score with the QA sheet's weight (0 by default).
    QA_VALUE = SCORE + 10
    QA_POINTS = SCORE + 11
    # OWNED: the month's days in this plan's team and days of the month, both counted under
    # the Incentives pro-rating rule (transfer periods on Aliases), and the share of the
    # bonus they give (a formula the BONUS formula multiplies by).
    DAYS_IN_TEAM = SCORE + 12
    DAYS_IN_MONTH = SCORE + 13
    SHARE = SCORE + 14
    LAST = SHARE

    @classmethod
    def kpi_value(cls, i: int) -> int:
        return cls.KPI_FIRST + 2 * i

    @classmethod
    def kpi_points(cls, i: int) -> int:
        return cls.KPI_FIRST + 2 * i + 1

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1


class Errors:
    """OWNED."""

    HEADER_ROW = 3
    FIRST_ROW = 4
    FILE, SHEET_NAME, ROW, COLUMN, REASON, VALUE = 1, 2, 3, 4, 5, 6


class Trend:
    """OWNED. One row per month and KPI (team) and per month, agent and KPI."""

    HEADER_ROW = 3
    FIRST_ROW = 4
    MONTH, SCOPE, NAME, KPI, VALUE, TIER, POINTS = 1, 2, 3, 4, 5, 6, 7
    ROWS_FORMATTED = 5000  # the conditional number formats reach this far down
    TEAM_SCOPES = ("团队", "Team")  # the Scope of the team's rows (zh, en), as refresh writes it
    # OWNED: the team's figures for the charts, months down (BLOCK_MONTH) and the Goals KPIs
    # across in Goals order (values; a duration in days, shown 分:秒), and right of it a line
    # chart per KPI with two months or more.
    BLOCK_MONTH = 9  # I
    BLOCK_FIRST = 10  # J..Q
    BLOCK_KPIS = Goals.KPI_ROWS
    BLOCK_ROWS = 60  # five years of months; older months leave the block (not the history)
    CHART_COL = 19  # S


# ---------------------------------------------------------------- SLA (服务时限)
class Sla:
    """The SLA policy (manager), the collaboration limits (manager) and, right of them, the
    attainment csxl computes on Refresh (OWNED: per month and team, per month and
    collaborating department)."""

    POLICY_HEADER_ROW = 4
    POLICY_FIRST_ROW = 5
    POLICY_ROWS = 12
    SEVERITY, CHANNEL, HOURS, FIRST_RESPONSE_MIN, RESOLUTION_H = 1, 2, 3, 4, 5
    COLLAB_TITLE_ROW = 18
    COLLAB_HEADER_ROW = 19
    COLLAB_FIRST_ROW = 20
    COLLAB_ROWS = 6
    C_TYPE, C_LIMIT, C_UNIT = 1, 2, 3
    # The KPI limits of frt_sla and rt_sla: formulas showing Settings' two cells (their one
    # source), and the refreshed month's two rates (OWNED: month and value columns).
    KPI_TITLE_ROW = 29
    KPI_HEADER_ROW = 30
    KPI_FIRST_ROW = 31
    KPI_KEYS = ("frt_sla", "rt_sla")  # one row each, Settings' ROW_FRT_TARGET, ROW_RT_TARGET
    K_LABEL, K_LIMIT, K_MONTH, K_VALUE = 1, 2, 3, 4
    KPI_NOTE_ROW = 33
    STATUS_ROW = 2  # OWNED: H2, what the results were computed from
    RESULT_TITLE_ROW = 3
    RESULT_HEADER_ROW = 4
    RESULT_FIRST_ROW = 5
    RESULT_ROWS = 60
    # Team block H..N: month, team, tickets, responses met, %, resolutions met, %.
    T_MONTH, T_TEAM, T_TICKETS, T_FRT_MET, T_FRT_PCT, T_RES_MET, T_RES_PCT = (
        8,
        9,
        10,
        11,
        12,
        13,
        14,
    )
    # Department block P..U: month, department, collaborations, within limit, %, median h.
    D_MONTH, D_DEPT, D_COLLAB, D_MET, D_PCT, D_MEDIAN = 16, 17, 18, 19, 20, 21

    @classmethod
    def policy_last_row(cls) -> int:
        return cls.POLICY_FIRST_ROW + cls.POLICY_ROWS - 1

    @classmethod
    def result_last_row(cls) -> int:
        return cls.RESULT_FIRST_ROW + cls.RESULT_ROWS - 1


# ---------------------------------------------------------------- Holidays (假日)
class Holidays:
    """Local additions to the China calendar (manager): a date, 放假/上班, a note. Right of
    them, for reference, the official holidays and 调休 days of the plan year (csxl); then
    the State Council's notice pasted line by line (manager) and what refresh read in each
    line (csxl). Row 3: the banner of a year chinese-calendar does not know (csxl, formula)."""

    BANNER_ROW = 3
    BANNER = "A3"
    HEADER_ROW = 4
    FIRST_ROW = 5
    ROWS = 60
    DATE, KIND, NOTE = 1, 2, 3
    OFFICIAL_COL = 5  # E..G: date, kind, name
    OFFICIAL_ROWS = 60
    NOTICE = 9  # I: the notice, one line a row (a cell may hold several lines)
    NOTICE_READ = 10  # J: what refresh read in the row


# ---------------------------------------------------------------- Incidents (故障)
class Incidents:
    """The system-failure log (manager) and its milestone checks (formulas)."""

    LIMIT_ROW = 3  # B3 alert, D3 workaround, F3 announcement limits in minutes (input)
    ALERT_LIMIT, WORKAROUND_LIMIT, ANNOUNCE_LIMIT = "B3", "D3", "F3"
    RATE_ROW = 4  # the share of incidents meeting each milestone (formulas)
    HEADER_ROW = 6
    FIRST_ROW = 7
    ROWS = 50
    ID, SYSTEM, DESCRIPTION, START, ALERT, WORKAROUND, ANNOUNCE, RECOVERED, OWNER = range(1, 10)
    ALERT_MIN, ALERT_OK, WORKAROUND_MIN, WORKAROUND_OK, ANNOUNCE_MIN, ANNOUNCE_OK = range(10, 16)

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1


# ---------------------------------------------------------------- Actions (改进措施)
class Actions:
    """Improvement actions (manager) and their before/after comparison (OWNED values:
    BEFORE..AFTER_N; formulas: WINDOW_END, CHANGE, STATUS)."""

    HEADER_ROW = 4
    FIRST_ROW = 5
    ROWS = 20
    ACTION, KPI, START, TARGET, OWNER = 1, 2, 3, 4, 5
    WINDOW_END, BEFORE, AFTER, BEFORE_N, AFTER_N, CHANGE, STATUS = 6, 7, 8, 9, 10, 11, 12
    KPI_LIST_COL = 14  # N: the KPI names the drop-down offers


# ---------------------------------------------------------------- Appeals (申诉), Audit (审计日志)
class Appeals:
    """Appeals and manual adjustments (manager), one per row; RESULT is OWNED: what the
    last refresh did with the row (applied, not this month, or why it was refused)."""

    HEADER_ROW = 4
    FIRST_ROW = 5
    ROWS = 200
    AGENT, MONTH, KIND, TARGET, NEW_VALUE, REASON, APPROVER, DATE, STATUS = range(1, 10)
    RESULT = 10  # OWNED

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1


class Audit:
    """OWNED. Every adjustment each refresh applied: appended, the latest ROWS kept."""

    HEADER_ROW = 3
    FIRST_ROW = 4
    ROWS = 2000
    TIME, MONTH, AGENT, KIND, TARGET, FROM, TO, REASON, APPROVER, SOURCE_ROW = range(1, 11)


# ---------------------------------------------------------------- QA (质检)
class Qa:
    """Quality inspection: the QA score's weight and targets (manager, B4:B7), the paste
    area (manager: agent, ticket, QA score 0-100, items failed, optional QA date) and,
    right of it, the month's results per agent (OWNED)."""

    VALUE_COL = 2
    ROW_WEIGHT, ROW_BASELINE, ROW_STRETCH, ROW_CHALLENGE = 4, 5, 6, 7
    HEADER_ROW = 10
    FIRST_ROW = 11
    ROWS = 1000
    AGENT, TICKET, SCORE, ITEMS = 1, 2, 3, 4
    DATE = 5  # E: the QA date (optional; template 1.2, in what was a spacer column)
    R_AGENT, R_COUNT, R_MEAN, R_ITEMS = 6, 7, 8, 9  # F..I: per agent (OWNED)
    R_ROWS = 200

    @classmethod
    def value(cls, row: int) -> str:
        return f"B{row}"


# ---------------------------------------------------------------- Calls (通话)
class Calls:
    """Call-centre KPIs of the refreshed month: the thresholds (manager, B4:B5), a status
    line and the results per team and agent (OWNED, A..J), computed from the Call records
    sheet. The rates are formulas over the counts of their row."""

    VALUE_COL = 2
    ROW_SL_SECONDS = 4  # answered within this many seconds counts for the service level
    ROW_SHORT_ABANDON = 5  # abandoned in under this many seconds: not offered (0 = none)
    STATUS_ROW = 6  # OWNED: A6, what the results were computed from
    HEADER_ROW = 8
    FIRST_ROW = 9
    ROWS = 200
    SCOPE, NAME, OFFERED, ANSWERED, ABANDONED, WITHIN = 1, 2, 3, 4, 5, 6
    ANSWER_RATE, ABANDON_RATE, SERVICE_LEVEL, ASA = 7, 8, 9, 10  # rates: formulas

    @classmethod
    def value(cls, row: int) -> str:
        return f"B{row}"

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1


# ---------------------------------------------------------------- Aliases (别名)
class Aliases:
    """Agent identity (manager): every spelling an export uses -> agent id and the name
    Scores shows; right of it, transfer periods (agent, team, first day, last day)."""

    HEADER_ROW = 4
    FIRST_ROW = 5
    ROWS = 300
    SPELLING, AGENT_ID, NAME = 1, 2, 3
    P_AGENT, P_TEAM, P_FROM, P_TO = 5, 6, 7, 8
    P_ROWS = 100


# ---------------------------------------------------------------- Staffing (排班)
class Staffing:
    """Erlang C staffing per weekday x interval. Inputs (A/B), a 9:00-11:00 peak view, and
    seven grids side by side (rows: intervals of the day; columns: Monday..Sunday): the
    arrivals from the Data sheet (OWNED), the manual forecast (input), then agents,
    scheduled, service level, ASA and occupancy (OWNED values: Erlang C needs a search, so
    csxl computes them on Refresh or `csxl staff WORKBOOK`, not formulas)."""

    VALUE_COL = 2  # A: label, B: value, C: note
    ROW_AHT = 4
    ROW_TARGET_SL = 5
    ROW_TARGET_S = 6
    ROW_SHRINKAGE = 7
    ROW_INTERVAL = 8  # minutes: 15, 30 or 60
    ROW_WEEKS = 9  # the last N weeks of the data; blank = all
    ROW_MAX_OCCUPANCY = 10
    ROW_SOURCE = 11  # 数据 / 手工预测 (Data / Forecast)
    ROW_COMPUTED = 12  # OWNED: what the results were computed from
    # Peak view below the inputs: A = label, B..H = Monday..Sunday (under the grids' days).
    PEAK_COL = 1
    PEAK_HEADER_ROW = 14
    PEAK_FIRST_ROW = 15
    PEAK_ROWS = 5  # arrivals, agents, scheduled, lowest SL, longest ASA
    PEAK_START_MIN, PEAK_END_MIN = 9 * 60, 11 * 60  # [09:00, 11:00)
    # The grids.
    GRID_TITLE_ROW = 21
    GRID_HEADER_ROW = 22
    GRID_FIRST_ROW = 23
    GRID_ROWS = 96  # room for 15-minute intervals
    INTERVAL_COL = 1  # A: interval start (OWNED: follows the interval input)
    BLOCKS = ("arrivals", "forecast", "agents", "scheduled", "service_level", "asa_s", "occupancy")
    BLOCK_WIDTH = 8  # seven weekdays and a spacer column

    @classmethod
    def block_col(cls, block: str, weekday: int = 0) -> int:
        return 2 + cls.BLOCK_WIDTH * cls.BLOCKS.index(block) + weekday

    @classmethod
    def grid_last_row(cls) -> int:
        return cls.GRID_FIRST_ROW + cls.GRID_ROWS - 1

    @classmethod
    def value(cls, row: int) -> str:
        return f"B{row}"


# ---------------------------------------------------------------- Team (团队)
class Team:
    """The agents (manager: level, hire date, training), the promotion rule (manager), the
    knowledge-base block (manager inputs, formula flags) and, per agent, what refresh writes
    (OWNED: the evaluated month, A-or-better months and the promotion flag)."""

    VALUE_COL = 2  # rule: A label, B value
    RULE_TITLE_ROW = 3
    ROW_MONTHS = 4
    ROW_AT_LEAST = 5
    ROW_GRADE = 6
    ROW_RED_LINE = 7
    ROW_EVALUATED = 8  # OWNED: the month the flags were computed for
    # Knowledge base, right of the rule: quarter, coverage, flag, updated share, flag.
    KB_QUARTER, KB_COVERAGE, KB_COVERAGE_FLAG, KB_UPDATED, KB_UPDATED_FLAG = 4, 5, 6, 7, 8
    KB_HEADER_ROW = 3
    KB_TARGET_ROW = 4  # the targets (input): coverage 90%, updated 20%
    KB_FIRST_ROW = 5  # Q1..Q4
    HEADER_ROW = 11
    FIRST_ROW = 12
    ROWS = 100
    AGENT, GROUP, LEVEL, HIRED = 1, 2, 3, 4
    PLANNED_FIRST = 5  # E..H: planned hours Q1..Q4
    DONE_FIRST = 9  # I..L: done hours Q1..Q4
    HELD, ATTENDED = 13, 14  # weekly half-day trainings held / attended
    COMPLETION, ATTENDANCE, NEW_HIRE = 15, 16, 17  # formulas
    GOOD_MONTHS, READY = 18, 19  # OWNED: written by refresh
    LAST = READY

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + cls.ROWS - 1


# ---------------------------------------------------------------- Customer KPIs
class Customers:
    """Customer KPI inputs on Settings (rows below the refresh info) and the results block
    on Dashboard below the tags (OWNED: values, and target/flag formulas)."""

    # Settings rows (A label, B value, C note): thresholds and targets.
    ROW_TITLE = 20
    ROW_HV_ORDERS = 21
    ROW_HV_ORDERS_MONTHS = 22
    ROW_HV_AMOUNT = 23
    ROW_HV_AMOUNT_MONTHS = 24
    ROW_RETENTION_TARGET = 25
    ROW_REPURCHASE_POINTS = 26
    ROW_SURVEY_TARGET = 27
    ROW_SURVEY_LAST_YEAR = 28
    ROW_TIMELINESS_TARGET = 29
    # Dashboard block.
    TITLE_ROW = 41
    HEADER_ROW = 42
    FIRST_ROW = 43
    KEYS = (
        "high_value_customers",
        "tickets",
        "csat",
        "frt_median",
        "retention_rate",
        "repurchase_rate",
        "survey_response_rate",
        "survey_timeliness",
    )
    LABEL, ALL, HV, GAP, PREVIOUS, TARGET, FLAG = 1, 2, 3, 4, 5, 6, 7
    NOTE = 9  # I: right of the spacer column H; the text runs on to the right

    @classmethod
    def row(cls, key: str) -> int:
        return cls.FIRST_ROW + cls.KEYS.index(key)

    @classmethod
    def last_row(cls) -> int:
        return cls.FIRST_ROW + len(cls.KEYS) - 1


# ---------------------------------------------------------------- Cross-sheet links
# Every cell one sheet's builder takes from another sheet (a formula showing it, or using
# it), named for what it points at: a room then knows no other sheet's name or address
# class (tests/workbook/test_rooms.py), and an address that moves moves here only.
# `index` is a KPI's 0-based place in Goals order.
_GOAL_FIELDS = {
    "label": Goals.LABEL,
    "direction": Goals.DIRECTION,
    "weight": Goals.WEIGHT,
    "baseline": Goals.BASELINE,
    "stretch": Goals.STRETCH,
    "challenge": Goals.CHALLENGE,
    "actual": Goals.ACTUAL,
    "tier": Goals.TIER,
    "variance_pct": Goals.VARIANCE_PCT,
}
_CASCADE_FIELDS = {
    "weight": Goals.C_WEIGHT,
    "baseline": Goals.C_BASELINE,
    "stretch": Goals.C_STRETCH,
    "challenge": Goals.C_CHALLENGE,
}
_REFRESH_INFO = {
    "time": Settings.ROW_LAST_REFRESH,
    "rows": Settings.ROW_SOURCE_ROWS,
    "month": Settings.ROW_REFRESH_MONTH,
}
_KPI_LIMITS = {"frt_sla": Settings.ROW_FRT_TARGET, "rt_sla": Settings.ROW_RT_TARGET}
_INCENTIVE_RULES = {
    "base_bonus": Incentives.ROW_BASE_BONUS,
    "deduction": Incentives.ROW_DEDUCTION,
    "cap_multiple": Incentives.ROW_CAP_MULTIPLE,
    "red_line_cap": Incentives.ROW_RED_LINE_CAP,
    "new_hire_months": Incentives.ROW_NEW_HIRE_MONTHS,
    "proration": Incentives.ROW_PRORATION,
}
_QA_GOALS = {
    "weight": Qa.ROW_WEIGHT,
    "baseline": Qa.ROW_BASELINE,
    "stretch": Qa.ROW_STRETCH,
    "challenge": Qa.ROW_CHALLENGE,
}


def kpi_goal_row(index: int) -> int:
    """The Goals row of a KPI."""
    return Goals.FIRST_ROW + index


def kpi_goal_cell(index: int, field: str, lang: str) -> str:
    """A KPI's team target or result on Goals (`field`: label, direction, weight, baseline,
    stretch, challenge, actual, tier, variance_pct): '目标'!$I$5."""
    return ref("Goals", lang, f"${col(_GOAL_FIELDS[field])}${kpi_goal_row(index)}")


def cascade_goal_cell(row: int, field: str, lang: str) -> str:
    """A group's or agent's own target on Goals' cascade row `row` (weight, baseline,
    stretch or challenge)."""
    return ref("Goals", lang, f"${col(_CASCADE_FIELDS[field])}${row}")


def kpi_goals_sheet(lang: str) -> str:
    """The sheet the KPI targets and their cascade are typed on, as an error names it."""
    return title("Goals", lang)


def team_score_cell(field: str, lang: str) -> str:
    """The team's weighted score (`score`) or grade (`grade`) below Goals' KPI rows."""
    c = Goals.ACTUAL if field == "score" else Goals.TIER
    return ref("Goals", lang, f"${col(c)}${Goals.last_row() + 1}")


def refresh_info_cell(field: str, lang: str) -> str:
    """What the last refresh recorded on Settings: its `time`, source `rows` or `month`."""
    return ref("Settings", lang, f"$B${_REFRESH_INFO[field]}")


def customer_setting_cell(row: int, lang: str) -> str:
    """A customer KPI threshold or target on Settings (`row`: a `Customers.ROW_*`)."""
    return ref("Settings", lang, f"$B${row}")


def kpi_limit_cell(key: str, lang: str) -> str:
    """The limit in seconds (on Settings) of frt_sla or rt_sla."""
    return ref("Settings", lang, f"$B${_KPI_LIMITS[key]}")


def kpi_limit_address(key: str) -> str:
    """That limit's cell as a note on another sheet names it: B10."""
    return f"B{_KPI_LIMITS[key]}"


def incentive_rule_cell(field: str, lang: str) -> str:
    """A scoring rule on Incentives: base_bonus, deduction (per escalated complaint),
    cap_multiple, red_line_cap (the grade a red line caps at), new_hire_months, proration."""
    return ref("Incentives", lang, f"$B${_INCENTIVE_RULES[field]}")


def qa_goal_cell(field: str, lang: str) -> str:
    """The QA score's weight or baseline, stretch or challenge target on QA."""
    return ref("QA", lang, f"$B${_QA_GOALS[field]}")


# Sheets and cells another room's text points the manager at, named for what they are.
def rejected_rows_sheet(lang: str) -> str:
    """The sheet listing every rejected row and why, as a status line names it."""
    return title("Errors", lang)


def unnamed_team(lang: str) -> str:
    """What Trend calls the team of a plan whose Settings names none: the title of the sheet
    holding the team's targets (as the plan names it)."""
    return title("Goals", lang)


def team_setting(lang: str) -> tuple[str, int, str]:
    """Where a plan names its team (blank: every team): (sheet title, row, column)."""
    return title("Settings", lang), Settings.ROW_TEAM, col(Settings.VALUE_COL)


# ---------------------------------------------------------------- Defined names
def defined_names(lang: str) -> dict[str, str]:
    """Workbook-level names: what formulas and the add-in refer to."""
    s, i = "Settings", "Incentives"
    tiers = (Incentives.TIER_FIRST_ROW, Incentives.TIER_FIRST_ROW + Incentives.TIER_ROWS - 1)
    grades = (Incentives.GRADE_FIRST_ROW, Incentives.GRADE_FIRST_ROW + Incentives.GRADE_ROWS - 1)
    return {
        "csxl_AsOf": ref(s, lang, f"$B${Settings.ROW_AS_OF}"),
        "csxl_Year": ref(s, lang, f"$B${Settings.ROW_YEAR}"),
        "csxl_Version": ref(s, lang, f"$B${Settings.ROW_VERSION}"),
        "csxl_ActiveCustomers": ref(s, lang, f"$B${Settings.ROW_ACTIVE_CUSTOMERS}"),
        "csxl_Mode": ref(i, lang, f"$B${Incentives.ROW_MODE}"),
        "csxl_TierLabels": ref(i, lang, f"$A${tiers[0]}:$A${tiers[1]}"),
        "csxl_TierPoints": ref(i, lang, f"$B${tiers[0]}:$B${tiers[1]}"),
        "csxl_FlagLabels": ref(i, lang, f"$C${tiers[0]}:$C${tiers[1]}"),
        "csxl_GradeNames": ref(i, lang, f"$A${grades[0]}:$A${grades[1]}"),
        "csxl_GradeMins": ref(i, lang, f"$B${grades[0]}:$B${grades[1]}"),
        "csxl_GradeCoefs": ref(i, lang, f"$C${grades[0]}:$C${grades[1]}"),
        **{anchor(sheet.key): ref(sheet.key, lang, "$A$1") for sheet in SHEETS},
    }


# ---------------------------------------------------------------- Landmarks
# Labels csxl puts at fixed places (row, column, zh, en) on the sheets it reads or writes
# by address. A row a manager inserts or deletes above one moves it, and every address
# below with it: the plan is then refused with the rows (`plan_reader.check_landmarks`)
# rather than read from, or written into, the wrong cells.
LANDMARKS: dict[str, tuple[tuple[int, int, str, str], ...]] = {
    "Goals": (
        (Goals.HEADER_ROW, Goals.KEY, "指标键", "Key"),
        (Goals.last_row() + 1, 2, "团队加权得分 / 等级", "Team weighted score / grade"),
        (Goals.CASCADE_HEADER_ROW, Goals.C_LEVEL, "层级", "Level"),
    ),
    "Settings": (
        (
            Customers.ROW_TITLE,
            Settings.LABEL_COL,
            "客户指标（订单表）",
            "Customer KPIs (Orders sheet)",
        ),
    ),
    "Incentives": (
        (Incentives.TIER_HEADER_ROW, 1, "达成档位", "Tier"),
        (Incentives.GRADE_HEADER_ROW, 1, "等级", "Grade"),
    ),
    "Dashboard": (
        (Dashboard.HEADER_ROW, 1, "指标", "KPI"),
        (Dashboard.TAGS_HEADER_ROW, 1, "标签", "Tag"),
    ),
    "Scores": ((Scores.HEADER_ROW, Scores.AGENT, "客服", "Agent"),),
    "Errors": ((Errors.HEADER_ROW, Errors.FILE, "文件", "File"),),
    "Trend": ((Trend.HEADER_ROW, Trend.MONTH, "月份", "Month"),),
    "Mapping": ((Mapping.HEADER_ROW, Mapping.HEADER, "表头", "Header"),),
    "SLA": (
        (Sla.POLICY_HEADER_ROW, Sla.SEVERITY, "紧急程度", "Severity"),
        (Sla.COLLAB_TITLE_ROW, Sla.C_TYPE, "跨部门协作时限", "Collaboration limits"),
        (Sla.COLLAB_HEADER_ROW, Sla.C_TYPE, "协作类型", "Type"),
        (
            Sla.KPI_TITLE_ROW,
            Sla.K_LABEL,
            "考核指标的时限（首响达标率、解决时效达标率）",
            "KPI limits (within-target rates)",
        ),
    ),
    "Holidays": ((Holidays.HEADER_ROW, Holidays.DATE, "日期", "Date"),),
    "Actions": ((Actions.HEADER_ROW, Actions.ACTION, "措施", "Action"),),
    "Appeals": ((Appeals.HEADER_ROW, Appeals.AGENT, "客服", "Agent"),),
    "Audit": ((Audit.HEADER_ROW, Audit.TIME, "刷新时间", "Refreshed"),),
    "QA": ((Qa.HEADER_ROW, Qa.AGENT, "客服", "Agent"),),
    "Calls": ((Calls.HEADER_ROW, Calls.SCOPE, "范围", "Scope"),),
    "Aliases": (
        (Aliases.HEADER_ROW, Aliases.SPELLING, "写法", "Spelling"),
        (Aliases.HEADER_ROW, Aliases.P_AGENT, "客服", "Agent"),
    ),
    "Staffing": (
        (Staffing.PEAK_HEADER_ROW, Staffing.PEAK_COL, "高峰 09:00-11:00", "Peak 09:00-11:00"),
        (Staffing.GRID_HEADER_ROW, Staffing.INTERVAL_COL, "时段开始", "Interval"),
    ),
    "Team": ((Team.HEADER_ROW, Team.AGENT, "客服", "Agent"),),
}
# Landmarks of blocks added within template 1.2: blank (and nowhere else) is a plan made
# before them, which refresh completes.
LANDMARKS_ADDED = frozenset({("SLA", Sla.KPI_TITLE_ROW)})
