"""Guide (指南): the first sheet a new user sees.

What each sheet is for (one row per sheet of layout.SHEETS, linked), how to paste data, what
the colours mean, the ribbon buttons and the commands behind them, and what the sheet
protection is for. Text only: nothing here is computed or read back.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink

from csxl.domain.scoring import TIER_LABELS
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.sheets.data import text_width

# What each sheet is for and who fills it: key -> ((zh, en) purpose, (zh, en) who).
YOU, CSXL, BOTH = ("你", "You"), ("csxl", "csxl"), ("你 + csxl", "You + csxl")
PURPOSES: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "Guide": (
        (
            "本页：各表用途、粘贴数据的方法、颜色含义和按钮说明。",
            "This page: what each sheet is for, how to paste data, what the colours mean, the buttons.",
        ),
        CSXL,
    ),
    "Dashboard": (
        (
            "本月结果一览：各 KPI 的实际值与保底/冲刺/挑战目标、达成档位、差异%，KPI 对比图和 Top-20 问题标签。由“刷新指标”更新。",
            "This month at a glance: each KPI's actual against its baseline/stretch/challenge targets, tier, variance %, a KPI-vs-target chart and the Top-20 tags. Updated by Refresh.",
        ),
        CSXL,
    ),
    "Goals": (
        (
            "年度 KPI 目标：方向、权重、保底/冲刺/挑战三档目标（黄色可改）；实际值、档位、差异和得分由刷新与公式计算；下方可为小组或客服单独设定目标，右侧为月度目标。",
            "The year's KPI targets: direction, weight, baseline/stretch/challenge (yellow: yours to change); actuals, tiers, variance and points come from Refresh and formulas; below, targets for a group or an agent; to the right, monthly targets.",
        ),
        BOTH,
    ),
    "Scores": (
        (
            "每位客服的月度考核：各 KPI 的值与得分、加权得分、等级、奖金、扣款、红线和奖项，以及调岗、入职、离职当月按在组天数折算奖金的比例。由“刷新指标”或“计算考核”填写；黄色两列（经核实的升级投诉、申诉/调整说明）由你填写。",
            "Each agent's monthly scores: every KPI's value and points, weighted score, grade, bonus, deductions, red lines and awards, and the bonus share for a month partly in the team (transfers, joiners, leavers). Filled by Refresh or Score; the two yellow columns (verified escalated complaint, appeal note) are yours.",
        ),
        BOTH,
    ),
    "Milestones": (
        (
            "季度里程碑：交付物、验收标准、负责人、起止日期、完成%；甘特图、逾期和落后标识自动显示。",
            "Quarterly milestones: deliverable, acceptance criteria, owner, start, end, % complete; the Gantt bars and the overdue and behind flags follow.",
        ),
        YOU,
    ),
    "Budget": (
        (
            "预算：各类费用按月的计划与实际，月度与年累计差异、全年预测和超支标识。",
            "Budget: plan and actual per category and month, monthly and year-to-date variance, full-year forecast and over-plan flags.",
        ),
        YOU,
    ),
    "Risks": (
        (
            "风险登记：可能性 x 影响 = 风险分值和等级，应对措施、负责人、状态，以及 5x5 热力图。",
            "Risk register: likelihood x impact = score and level, prevention and response, owner, status, and a 5x5 heat map.",
        ),
        YOU,
    ),
    "Incentives": (
        (
            "考核规则：计分方式（阶梯/线性）、档位得分、等级分数线与奖金系数、基础奖金、扣款、调岗当月奖金折算方式（日历天数/工作日/不折算）、红线和月度奖项。",
            "Scoring rules: points mode (step/linear), tier points, grade bands and bonus coefficients, base bonus, deductions, bonus pro-rating for part of a month (calendar days/working days/none), red lines and monthly awards.",
        ),
        YOU,
    ),
    "Data": (
        (
            "粘贴区：本月的工单明细（每行一个工单或会话）。本表不受保护。",
            "The paste area: this month's per-ticket data (one row per ticket or conversation). Not protected.",
        ),
        YOU,
    ),
    "Orders": (
        (
            "粘贴区：订单明细（每行一个订单：客户ID、下单时间、金额，可选订单号和状态）。用于高价值客户、留存率和复购率。本表不受保护。",
            "The order paste area (one row per order: customer ID, order time, amount, optionally order ID and status), for high-value customers, retention and repurchase. Not protected.",
        ),
        YOU,
    ),
    "CallRecords": (
        (
            "粘贴区：呼叫中心导出的通话明细（每行一通来电：来电时间、是否接通，可选通话ID、坐席、技能组、等待时长、是否放弃）。结果在“通话”表。本表不受保护。",
            "The call-record paste area (one row per inbound call: start time, answered, optionally call ID, agent, queue, wait time, abandoned); the results are on Calls. Not protected.",
        ),
        YOU,
    ),
    "Calls": (
        (
            "通话指标：服务水平时限（默认 20 秒）和短放弃秒数由你填写；刷新时按“通话记录”计算本月各团队和各坐席的呼入量、接通率、放弃率、服务水平和平均应答时长。",
            "Call-centre KPIs: you type the service-level seconds (20 by default) and the short-abandon seconds; Refresh computes the month's offered calls, answer rate, abandon rate, service level and ASA per team and agent from Call records.",
        ),
        BOTH,
    ),
    "Team": (
        (
            "团队成员：小组、职级（初级/中级/高级）、入职日期（新锐标兵按司龄评选）、每季度培训计划与完成学时、每周半天培训出勤；完成率由公式计算，晋升资格由刷新按上方规则判定；右上为知识库季度指标。",
            "The team: group, level (junior/intermediate/senior), hire date (the Rising star award goes by tenure), training hours planned and done per quarter, weekly half-day training attendance; completion by formula, promotion readiness by Refresh from the rule above; top right, the quarterly knowledge-base figures.",
        ),
        BOTH,
    ),
    "Mapping": (
        (
            "表头映射：导出文件的表头 csxl 不认识时，在这里添加“表头 → 字段”。",
            "Header mapping: when csxl does not recognise a header of your export, add 'header -> column' here.",
        ),
        YOU,
    ),
    "SLA": (
        (
            "服务时限：按紧急程度和渠道设定首响与解决时限及营业时间，跨部门协作时限；右侧为刷新时计算的各团队、各月达成率和协作部门考核（按时完成率、处理时长中位数）。",
            "SLAs: first-response and resolution limits per severity and channel with their hours, and the collaboration limits; on the right, attainment per team and month and the department appraisal (within limit, median hours), computed on Refresh.",
        ),
        BOTH,
    ),
    "Incidents": (
        (
            "系统故障记录：每次批量故障的开始、告警、临时方案、公告和恢复时间；告警 5 分钟、临时方案 10 分钟、公告 30 分钟内是否达标由公式判定。",
            "System failure log: each failure's start, alert, workaround, announcement and recovery times; formulas check alert within 5, workaround within 10 and announcement within 30 minutes.",
        ),
        YOU,
    ),
    "Actions": (
        (
            "改进措施：措施、目标指标、开始日期和目标变化（如高峰排队时长降低 30%）；刷新时计算开始前 3 个月与 3 个月观察期的指标对比，观察期结束后判定是否达成。",
            "Improvement actions: the action, its KPI, start date and target change (e.g. cut the peak queue time by 30%); Refresh compares the 3 months before with the 3-month observation window and, once it is over, says whether the target was met.",
        ),
        BOTH,
    ),
    "Aliases": (
        (
            "别名与调岗：导出文件里客服的各种写法（昵称、子账号、工号）对应到同一位客服；调岗期间内的工单按当天所在团队计算。",
            "Aliases and transfers: every way an export writes an agent (nickname, sub-account, staff number) mapped to one agent; tickets count for the team the agent was in that day.",
        ),
        YOU,
    ),
    "QA": (
        (
            "质检：质检得分的权重与目标（默认权重 0），粘贴质检记录（可填质检日期，按日期计入月份）；刷新时按客服计算当月平均质检得分并写入考核表。",
            "Quality inspection: the QA score's weight (0 by default) and targets, and the inspections (with an optional QA date, which decides their month); Refresh computes each agent's mean QA score for the month onto Scores.",
        ),
        BOTH,
    ),
    "Appeals": (
        (
            "申诉与人工调整：排除某客服的某张工单、替换某项指标或得分，需写明原因和审批人；每次刷新都会重新应用并记入审计日志。",
            "Appeals and manual adjustments: exclude a ticket from an agent's figures, or override a KPI or the score, with a reason and an approver; every refresh applies them again and logs them on Audit.",
        ),
        BOTH,
    ),
    "Audit": (
        (
            "审计日志：每次刷新应用了哪些申诉和调整，原值、新值、原因和审批人。",
            "Audit log: which appeals and adjustments each refresh applied, from, to, reason and approver.",
        ),
        CSXL,
    ),
    "Holidays": (
        (
            "本地假日：国家法定节假日和调休已内置；在这里填本单位额外的放假日或上班日，用于服务时限和工作日计算。",
            "Local holidays: China's statutory holidays and 调休 days are built in; list your own extra days off or working days here, for SLA clocks and working-day counts.",
        ),
        YOU,
    ),
    "Staffing": (
        (
            "排班测算（Erlang C）：按星期 × 30 分钟时段的到达量（数据表各周平均，或你的手工预测）算出需要坐席、排班人数、服务水平、平均应答和占用率，含热力图和 9-11 点高峰视图。参数黄色可改，结果由“刷新指标”或 csxl staff 写入。",
            "Staffing (Erlang C): from arrivals per weekday x 30-minute interval (the Data sheet's weekly mean, or your forecast), the agents needed, scheduled heads, service level, ASA and occupancy, with a heat map and the 9-11 peak view. Inputs are yellow; results come from Refresh or csxl staff.",
        ),
        BOTH,
    ),
    "Errors": (
        (
            "被拒绝的数据行及原因（行号即你在“数据”表看到的行号）。由“校验数据”和“刷新指标”填写。",
            "Rejected data rows and why (row numbers as you see them in Data). Filled by Validate and Refresh.",
        ),
        CSXL,
    ),
    "Trend": (
        (
            "历史：每次刷新新的月份时，每个 KPI（团队与客服）追加一行，保留全年趋势。",
            "History: each refresh of a new month appends a row per KPI (team and agents), so the year's trend is kept.",
        ),
        CSXL,
    ),
    "Settings": (
        (
            "设置：基准日期（留空为今天）、团队、年度、活跃客户数、时限、程序路径和模板版本；上次刷新时间也记录在这里。",
            "Settings: as-of date (blank = today), team, year, active customers, time limits, program paths and the template version; the last refresh is recorded here.",
        ),
        YOU,
    ),
}

PASTE_STEPS = (
    (
        "从客服系统导出工单明细：每行一个工单或会话（不是按客服汇总的报表）。Excel 或 CSV 均可。",
        "Export the per-ticket data from your service desk: one row per ticket or conversation (not a per-agent summary). Excel or CSV.",
    ),
    (
        "打开“{Data}”表，保留第 1 行表头，从第 2 行起粘贴（建议“选择性粘贴 → 数值”）；表格会随粘贴自动扩展。",
        "Open the {Data} sheet, keep the header row (row 1) and paste from row 2 (Paste Special > Values is best); the table grows with the paste.",
    ),
    (
        "三种方法结果相同：①在第 2 行起按表头顺序粘贴数值；②把导出文件连同它自己的表头一起从 A1 粘贴（比模板宽或窄都可以，任何能被“{Mapping}”表或内置同义词识别的表头都行，如 工单号 / 会话ID / Ticket ID）；③用 csxl import 导入。整列为空的列视为没有该列；同一字段有两列都有数据时（例如换导出时没有先清空），刷新会拒绝并指出两列的列号：删掉一列或清空后重贴。",
        "Three routes give the same figures: (1) values from row 2 in the header's column order; (2) the export with its own header row at A1 (wider or narrower than the template; any header the {Mapping} sheet or the built-in synonyms recognise, e.g. 工单号 / Ticket ID / ID); (3) csxl import. A column empty in every row counts as absent; two columns of one field that both hold data (a new export pasted without clearing the old) are refused with both column letters: delete one, or clear and paste again.",
    ),
    (
        "至少需要工单号和创建时间两列；缺少某列时，依赖它的指标显示为“不可用”，不会当作 0。“{Settings}”表填了团队时，只计该团队的行（无团队的行照计），其他团队的行数在刷新结果中列出；团队留空即部门计划，计全部行。",
        "Only ticket ID and created-at are required; a KPI whose columns are missing shows as not available, never as 0. When {Settings} names a team, only that team's rows count (rows without a team count too) and the refresh result counts the others per team; a blank team is a department plan: every row.",
    ),
    (
        "时间可为 Excel 日期、2026-03-01 09:05、2026/3/1 9:05 或 2026年3月1日 09:05；是/否 列可填 是/否、Y/N、1/0。",
        "Times may be Excel dates, 2026-03-01 09:05, 2026/3/1 9:05 or 2026年3月1日 09:05; yes/no columns take 是/否, Y/N, 1/0, TRUE/FALSE.",
    ),
    (
        "同一个月有几份导出（电话、在线、千牛）且表头各不相同时，用 csxl import 计划.xlsx 导出.xlsx --source 千牛 逐份导入：每份按“{Mapping}”表（可按数据源填写）识别表头，写入“{Data}”表并在“数据源”列注明来源；加 --replace 只替换该数据源的行。",
        "When a month comes in several exports with different headers (phone, online, 千牛), import each with csxl import plan.xlsx export.xlsx --source 千牛: its headers are read through the {Mapping} sheet (rows may name a data source), its rows go into the {Data} sheet with the source in the Data source column; --replace replaces only that source's rows.",
    ),
    (
        "订单明细（客户ID、下单时间、金额，每行一个订单）粘贴到“{Orders}”表，方法相同；淘宝、京东、拼多多、有赞等导出的表头（如 买家会员名、订单付款时间、买家实际支付金额）可直接识别。没有订单时，客户指标显示为“不可用”。",
        "Paste the order export (customer ID, order time, amount; one row per order) into the {Orders} sheet the same way; Taobao, JD, Pinduoduo, Youzan and Shopify headers are recognised. Without orders the customer KPIs show as not available.",
    ),
    (
        "通话明细（每行一通来电，至少有来电时间和是否接通）粘贴到“{CallRecords}”表，方法相同；呼叫中心导出的表头（如 呼叫ID、呼入时间、坐席工号、技能组、接听状态、排队时长）可直接识别。结果在“{Calls}”表。",
        "Paste the call-detail export (one row per inbound call, with at least start time and answered) into the {CallRecords} sheet the same way; call-centre headers (呼叫ID, 呼入时间, 坐席工号, 技能组, 接听状态, 排队时长, Call ID, Queue, Wait time) are recognised. The results are on {Calls}.",
    ),
    (
        "点击“刷新指标”。被拒绝的行和原因列在“{Errors}”表中，其余的行照常计算。",
        "Press Refresh. Rejected rows and the reason are listed in the {Errors} sheet; the other rows are counted as usual.",
    ),
)

BUTTONS = (
    (
        "校验数据",
        "Validate",
        "只检查“数据”表，把问题行写入“错误”表，不改其他内容。",
        "Checks the Data sheet only and lists problem rows in Errors; changes nothing else.",
        "csxl validate",
    ),
    (
        "刷新指标",
        "Refresh",
        "读取数据，计算指标，写入实际值、看板、考核、错误和趋势。只写 csxl 负责的区域，你填写的内容不变。",
        "Reads the data, computes the KPIs and writes actuals, Dashboard, Scores, Errors and Trend. Writes only the regions csxl owns; your inputs stay as they are.",
        "csxl refresh",
    ),
    (
        "计算考核",
        "Score",
        "修改目标、权重或激励规则后重新计分，不重新读取数据。",
        "Re-scores after you change targets, weights or incentive rules, without re-reading the data.",
        "csxl score",
    ),
    (
        "新建计划",
        "New plan",
        "新建一份空白的年度计划工作簿。",
        "Makes a new, empty plan workbook.",
        "csxl new",
    ),
    (
        "批量生成",
        "Batch",
        "按名单为每个团队生成一份计划。",
        "Makes one plan per team from a roster.",
        "csxl batch",
    ),
    (
        "汇总",
        "Consolidate",
        "把一个文件夹中各团队的计划汇总为部门总表。",
        "Rolls the team plans of a folder up into a department summary.",
        "csxl consolidate",
    ),
    (
        "排班测算",
        "Staffing",
        "按话务量、处理时长和服务水平目标测算所需人数（Erlang C）。",
        "Agents needed for a call volume, handle time and service-level target (Erlang C).",
        "csxl staff",
    ),
    (
        "设置/帮助",
        "Settings / Help",
        "程序路径、语言等设置，以及本指南和安装检查。",
        "Program path, language and other settings, this guide and an installation check.",
        "csxl doctor",
    ),
)

COMMANDS = (
    (
        "csxl refresh 计划.xlsx [--month 2026-03]",
        "与“刷新指标”相同，无需打开 Excel；默认月份为数据中最新的创建月份。",
        "The same as Refresh, without opening Excel; the month defaults to the latest created-at month in the data.",
    ),
    (
        "csxl validate 计划.xlsx",
        "与“校验数据”相同：只写“错误”表。",
        "The same as Validate: writes the Errors sheet only.",
    ),
    ("csxl score 计划.xlsx", "与“计算考核”相同。", "The same as Score."),
    (
        "csxl new 计划.xlsx --team 售后一组 --lang zh",
        "新建计划（不会覆盖已有文件）。",
        "A new plan (never overwrites an existing file).",
    ),
    (
        "csxl --help",
        "全部命令和参数。工作簿在 Excel 中打开时，命令会拒绝写入（退出码 3）：请先关闭文件，或使用功能区按钮。",
        "Every command and option. While Excel has the workbook open a command refuses to write (exit code 3): close the file first or use the ribbon button.",
    ),
)


WIDTHS = {"A": 32, "B": 96, "C": 20}
LINE_HEIGHT = 15  # points per line of 10 pt text


def _fit(ws, r: int) -> None:
    """Row height for wrapped text: neither Excel nor LibreOffice sizes these rows on opening."""
    lines = 1
    for letter, width in WIDTHS.items():
        value = ws[f"{letter}{r}"].value
        if isinstance(value, str):
            lines = max(lines, math.ceil(text_width(value) / (width - 2)))
    if lines > 1:
        ws.row_dimensions[r].height = LINE_HEIGHT * lines + 3


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Guide")
    p = ctx.inputs
    t, lang = ctx.t, ctx.lang
    names = {s.key: s.title(lang) for s in layout.SHEET.values()}
    team = p.team or t("本团队", "this team")
    ctx.title(
        ws,
        t("使用指南 · 客服年度计划", "Guide · customer service plan"),
        t(
            f"{p.year} 年 · {team} · 模板版本 {layout.TEMPLATE_VERSION}",
            f"{p.year} · {team} · template version {layout.TEMPLATE_VERSION}",
        ),
    )
    r = 4

    def section(text: str) -> None:
        nonlocal r
        r += 1
        for c in "ABC":
            ctx.label(ws, f"{c}{r}", text if c == "A" else None, style.HEADER)
        ws.merge_cells(f"A{r}:C{r}")  # one line: a merged row needs no height
        ws[f"A{r}"].alignment = Alignment(horizontal="left", vertical="center")
        r += 1

    def row(a: object, b: str, c: str | None = None, a_style: str = style.LABEL) -> None:
        nonlocal r
        ctx.label(ws, f"A{r}", a, a_style)
        ctx.label(ws, f"B{r}", b)
        ctx.label(ws, f"C{r}", c)
        _fit(ws, r)
        r += 1

    section(t("各工作表的用途", "What each sheet is for"))
    ctx.header(
        ws, r, 1, [t("工作表", "Sheet"), t("用途", "What it is for"), t("由谁填写", "Filled by")]
    )
    r += 1
    for sheet in layout.SHEETS:
        (zh, en), who = PURPOSES[sheet.key]
        row(names[sheet.key], t(zh, en), t(*who))
        cell = ws[f"A{r - 1}"]
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{names[sheet.key]}'!A1")
        cell.font = Font(name=style.FONT, size=10, color="1D4E89", underline="single")

    section(t("如何粘贴数据", "How to paste data"))
    for i, (zh, en) in enumerate(PASTE_STEPS, start=1):
        row(i, t(zh, en).format(**names))
        ws[f"A{r - 1}"].alignment = Alignment(horizontal="center", vertical="center")

    section(t("颜色的含义", "What the colours mean"))
    row(
        t("黄色", "Yellow"),
        t(
            "输入单元格：由你填写或修改（未锁定，多数带下拉列表或数值校验）。",
            "Input cells: yours to type or change (unlocked; most have a list or a value check).",
        ),
        a_style=style.INPUT,
    )
    row(
        t("白色", "White"),
        t(
            "计算结果：由公式或刷新填写，已锁定，请勿改写。",
            "Computed: filled by a formula or by Refresh; locked, do not type over.",
        ),
        a_style=style.COMPUTED,
    )
    row(t("深蓝", "Dark blue"), t("表头。", "Headers."), a_style=style.HEADER)
    meanings = (
        ("低于保底目标", "Below the baseline target"),
        ("达到保底，未达冲刺", "Baseline met, stretch not yet"),
        ("达到冲刺，未达挑战", "Stretch met, challenge not yet"),
        ("达到挑战目标", "Challenge met"),
    )
    for level, (zh, en) in enumerate(meanings):
        row(TIER_LABELS[lang][level], t(zh, en), a_style=style.COMPUTED)
        cell = ws[f"A{r - 1}"]
        cell.fill = PatternFill("solid", fgColor=style.FLAG_FILLS[level])
        cell.font = Font(name=style.FONT, size=10, bold=True, color=style.FLAG_FONTS[level])

    section(t("功能区按钮（csxl 加载项）", "Ribbon buttons (csxl add-in)"))
    ctx.header(ws, r, 1, [t("按钮", "Button"), t("作用", "What it does"), t("对应命令", "Command")])
    r += 1
    for zh_name, en_name, zh, en, command in BUTTONS:
        row(t(zh_name, en_name), t(zh, en), command)

    section(t("命令行（无需打开 Excel）", "Commands (no Excel needed)"))
    for command, zh, en in COMMANDS:
        if lang == "en":
            command = command.replace("计划.xlsx", "plan.xlsx").replace("售后一组", "Support-1")
            command = command.replace("--lang zh", "--lang en")
        row(command, t(zh, en))

    section(t("工作表保护", "Sheet protection"))
    row(
        t("没有密码", "No password"),
        t(
            "各表已启用保护，但没有密码：它防止误改公式和标题，而不是限制访问。需要时：审阅 → 撤消工作表保护。“数据”表不受保护，便于粘贴；“映射”表受保护，但黄色输入行可以填写。",
            "Sheets are protected without a password: this prevents accidental edits of formulas and labels, not access. To change one: Review > Unprotect Sheet. The Data sheet is not protected, for pasting; Mapping is protected, but its yellow input rows are open.",
        ),
    )
    setup_sheet(ws, widths=WIDTHS, landscape=False)
