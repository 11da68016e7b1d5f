"""Guide (指南): the first sheet a new user sees.

What each sheet is for (one row per sheet of layout.SHEETS, linked; the text is layout.PURPOSES), how to paste data, what
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
from csxl.workbook.style import text_width

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
        (zh, en), who = layout.PURPOSES[sheet.key]
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
