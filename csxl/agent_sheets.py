"""`csxl export-agent-sheets`: one 考核表 per agent, holding only that agent's figures.

A manager hands each agent their month: KPI values against the targets that apply to them
(agent, else group, else team), tier, points, weighted score, grade, bonus, deductions and
the escalated complaints behind them. Nothing of other agents is in an agent's file, so it
can be mailed or printed as it is. With `mask`, customer ids and phone numbers are starred
(PIPL). PDFs are made by LibreOffice when it is installed.

The plan is only read (cached values as csxl wrote them, and its Data sheet for the
complaint list); a workbook open in Excel is read as last saved.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from csxl.errors import InputError, Location, t
from csxl.workbook.scorecard import AgentCard

SUFFIX = {"zh": "考核表", "en": "scorecard"}
PDF_TIMEOUT_S = 600


@dataclass
class Export:
    folder: Path
    team: str
    month: str
    lang: str
    files: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ reading the plan
def read_cards(path: Path) -> tuple[str, str, str, list[AgentCard], list[str]]:
    """(team, month, lang, cards, warnings) of a refreshed plan workbook."""
    from csxl.workbook.port import PackageBook, lock_files

    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="csxl-") as tmp:
        if lock_files(path):
            # Excel holds the file: read what was last saved, from a copy.
            warnings.append(
                t(
                    f"{path.name} 正在 Excel 中打开：读取的是最后保存的版本。",
                    f"{path.name} is open in Excel: its last saved version was read.",
                )
            )
            copy = Path(tmp) / path.name
            shutil.copyfile(path, copy)
            path = copy
        book = PackageBook(path)
        return (*_cards(book), warnings)  # type: ignore[return-value]


def _cards(book) -> tuple[str, str, str, list[AgentCard]]:
    from csxl.workbook.plan_reader import read_plan
    from csxl.workbook.sheets import ROOMS

    state = read_plan(book)
    p = state.inputs
    cards: list[AgentCard] = []
    for room in ROOMS:  # Scores makes the cards; the rooms after it add their parts
        if room.scorecards is not None:
            room.scorecards(book, state, cards)
    _attach_complaints(book, state, cards)
    return p.team or book.name.rsplit(".", 1)[0], state.shown_month, p.lang, cards


def _attach_complaints(book, state, cards: list[AgentCard]) -> None:
    """Each agent's escalated complaints of the month, from the Data sheet as refresh reads it."""
    if not any(c.escalated for c in cards):
        return
    from csxl.domain import kpis
    from csxl.kpi_report import Period
    from csxl.refresh import plan_tickets

    tickets, _, _ = plan_tickets(book, state)  # agents named as on Scores (Aliases applied)
    period = Period.parse(state.shown_month, None, None)
    frame = kpis.in_period(tickets.frame, (period.start, period.end))
    if "escalated" not in frame or "agent" not in frame:
        return
    frame = frame[frame["escalated"].fillna(False).astype(bool)].sort_values("created_at")
    for card in cards:
        mine = frame[frame["agent"] == card.agent]
        card.complaints = [
            tuple(
                _plain(v)
                for v in (
                    row.ticket_id,
                    row.created_at,
                    getattr(row, "channel", None),
                    getattr(row, "customer_id", None),
                    getattr(row, "escalated_verified", None),
                )
            )
            for row in mine.itertuples(index=False)
        ]


def _plain(value: object) -> object:
    """A pandas cell as openpyxl takes it: NA as None, Timestamp as datetime."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _as_is(value: float | None) -> float | None:
    return value


def _as_days(seconds: float | None) -> float | None:
    """Seconds as the fraction of a day a time format shows (分:秒)."""
    from csxl.workbook import style

    return None if seconds is None else seconds / style.DAY


# ------------------------------------------------------------------ writing
TEXT = {
    "zh": {
        "title": "{team} {month} 个人考核表",
        "agent": "客服",
        "group": "小组",
        "tickets": "工单数",
        "answered": "有效评价数",
        "kpi_header": ("指标", "实际", "保底", "冲刺", "挑战", "权重", "达成档位", "得分"),
        "score": "加权得分",
        "grade": "等级",
        "bonus": "奖金（元）",
        "share": "奖金折算比例",
        "days": "本月在组 {days} / {month} 天",
        "escalated": "升级投诉（件）",
        "deductions": "扣款（元）",
        "red_lines": "红线",
        "award": "月度奖项",
        "appeal": "申诉/备注",
        "complaints": "升级投诉明细",
        "adjustments": "申诉与调整",
        "adjustment_header": ("类型", "工单或指标", "原值", "新值", "原因", "审批人"),
        "complaint_header": ("工单号", "创建时间", "渠道", "客户", "已核实"),
        "none": "无",
        "sign": ("客服确认：", "主管：", "日期："),
        "note": "本表只含本人数据，由 csxl 从团队计划表生成；目标取个人、小组或团队的设定。",
        "masked": "客户信息已脱敏。",
        "yes": "是",
        "no": "否",
    },
    "en": {
        "title": "{team} {month} scorecard",
        "agent": "Agent",
        "group": "Sub-group",
        "tickets": "Tickets",
        "answered": "Answered surveys",
        "kpi_header": (
            "KPI",
            "Actual",
            "Baseline",
            "Stretch",
            "Challenge",
            "Weight",
            "Tier",
            "Points",
        ),
        "score": "Weighted score",
        "grade": "Grade",
        "bonus": "Bonus (CNY)",
        "share": "Bonus share",
        "days": "{days} of {month} days in the team",
        "escalated": "Escalated complaints",
        "deductions": "Deductions (CNY)",
        "red_lines": "Red lines",
        "award": "Award",
        "appeal": "Appeal / note",
        "complaints": "Escalated complaints",
        "adjustments": "Appeals and adjustments",
        "adjustment_header": ("Kind", "Ticket or KPI", "From", "To", "Reason", "Approver"),
        "complaint_header": ("Ticket", "Created", "Channel", "Customer", "Verified"),
        "none": "none",
        "sign": ("Agent:", "Team leader:", "Date:"),
        "note": "Only this agent's figures, made by csxl from the team plan; targets are the "
        "agent's, else the sub-group's, else the team's.",
        "masked": "Customer details are masked.",
        "yes": "yes",
        "no": "no",
    },
}


def card_workbook(card: AgentCard, team: str, month: str, lang: str, mask: bool) -> bytes:
    """One agent's 考核表 as .xlsx bytes (values only: a record, not a model)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from csxl.domain.privacy import mask_id
    from csxl.workbook import style

    t = TEXT[lang]
    wb = Workbook()
    style.register(wb)
    ws = wb.active
    ws.title = SUFFIX[lang]

    def put(row: int, column: int, value: object, cell_style: str = style.LABEL, fmt=None):
        c = ws.cell(row, column, value)
        if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
            c.data_type = "s"  # text from data is never a formula
        c.style = cell_style
        if fmt:
            c.number_format = fmt

    put(1, 1, t["title"].format(team=team, month=month), style.TITLE)
    facts = [
        (t["agent"], card.agent, None),
        (t["group"], card.group or "", None),
        (t["tickets"], card.tickets, style.INTEGER),
        (t["answered"], card.answered, style.INTEGER),
    ]
    for i, (label, value, fmt) in enumerate(facts):
        put(3 + i, 1, label, style.HEADER)
        put(3 + i, 2, value, style.COMPUTED, fmt)
    row = 8
    for j, head in enumerate(t["kpi_header"]):
        put(row, 1 + j, head, style.HEADER)
    for line in card.kpis:
        row += 1
        label, fmt, shown = line.label, line.fmt, _as_is
        if line.fmt == style.SECONDS:  # a duration: 分:秒 (seconds / DAY), its unit named
            fmt, shown = style.duration_format(line.key), _as_days
            label = f"{label}（{style.duration_unit(line.key, lang)}）"
            if lang != "zh":
                label = f"{line.label} ({style.duration_unit(line.key, lang)})"
        values = (
            (label, None),
            (shown(line.value), fmt),
            (shown(line.baseline), fmt),
            (shown(line.stretch), fmt),
            (shown(line.challenge), fmt),
            (line.weight, style.INTEGER),
            (line.tier or "—", None),
            (line.points, style.NUMBER),
        )
        for j, (value, fmt) in enumerate(values):
            put(row, 1 + j, value, style.COMPUTED, fmt)
    row += 2
    results = [
        (t["score"], card.score, style.NUMBER),
        (t["grade"], card.grade or "—", None),
        (t["bonus"], card.bonus, style.MONEY),
        (t["share"], card.share, "0.0%"),
        (t["escalated"], card.escalated, style.INTEGER),
        (t["deductions"], card.deductions, style.MONEY),
        (t["red_lines"], card.red_lines, style.INTEGER),
        (t["award"], card.award or t["none"], None),
        (t["appeal"], card.appeal or "", None),
    ]
    for label, value, fmt in results:
        put(row, 1, label, style.HEADER)
        put(row, 2, value, style.COMPUTED, fmt)
        if label == t["share"] and card.days is not None:
            days, month = card.days
            put(row, 3, t["days"].format(days=days, month=month), style.NOTE)
            ws.cell(row, 3).alignment = Alignment(vertical="center", wrap_text=False)
        row += 1
    row += 1
    put(row, 1, t["complaints"], style.TITLE)
    row += 1
    for j, head in enumerate(t["complaint_header"]):
        put(row, 1 + j, head, style.HEADER)
    if not card.complaints:
        row += 1
        put(row, 1, t["none"], style.NOTE)
    for ticket, created, channel, customer, verified in card.complaints:
        row += 1
        shown = mask_id(customer) if mask else customer
        flag = None if verified is None else t["yes"] if bool(verified) else t["no"]
        for j, (value, fmt) in enumerate(
            (
                (ticket, None),
                (created, style.DATETIME),
                (channel, None),
                (shown, None),
                (flag, None),
            )
        ):
            put(row, 1 + j, value, style.COMPUTED, fmt)
    row += 2
    put(row, 1, t["adjustments"], style.TITLE)
    row += 1
    for j, head in enumerate(t["adjustment_header"]):
        put(row, 1 + j, head, style.HEADER)
    if not card.adjustments:
        row += 1
        put(row, 1, t["none"], style.NOTE)
    for line in card.adjustments:
        row += 1
        for j, value in enumerate(line):
            put(row, 1 + j, value, style.COMPUTED)
    row += 2
    _signatures(ws, row, t["sign"])
    put(row + 1, 1, t["note"] + (" " + t["masked"] if mask else ""), style.NOTE)
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=8)
    ws.row_dimensions[row + 1].height = 30  # the note wraps over the merged width

    for letter, width in zip("ABCDEFGH", (18, 18, 12, 12, 12, 10, 14, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.print_area = f"A1:H{row + 1}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = "csxl"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _signatures(ws, row: int, labels: tuple[str, str, str]) -> None:
    """The signature line: each label in its own cell, right-aligned, before a ruled blank
    to sign on (agent B:C, leader E:F, date H), so no label is split across the line."""
    from openpyxl.styles import Alignment, Border, Font, Side

    from csxl.workbook import style

    rule = Border(bottom=Side(style="thin", color="1F2937"))
    for label_col, first, last in ((1, 2, 3), (4, 5, 6), (7, 8, 8)):
        c = ws.cell(row, label_col, labels[(label_col - 1) // 3])
        c.font = Font(name=style.FONT, size=10)
        c.alignment = Alignment(horizontal="right", vertical="bottom", wrap_text=False)
        for column in range(first, last + 1):
            ws.cell(row, column).border = rule
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    ws.row_dimensions[row].height = 30  # room to sign


def export_agent_sheets(
    workbook: str | Path, out: str | Path, *, pdf: bool = False, mask: bool = False
) -> Export:
    """Write one 考核表 per agent of a refreshed plan into `out` (existing ones replaced)."""
    from csxl.batch import safe_stem
    from csxl.workbook.package import write_atomic

    path = Path(workbook)
    if not path.is_file():
        raise InputError(t("工作簿不存在。", "the workbook does not exist."), Location(path.name))
    team, month, lang, cards, warnings = read_cards(path)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    result = Export(folder, team, month, lang, warnings=warnings)
    if not cards:
        result.warnings.append(
            t(
                "“考核”表中没有客服：没有可导出的内容。",
                "Scores lists no agents: nothing to export.",
            )
        )
        return result
    used: set[str] = set()
    for card in cards:
        stem = f"{safe_stem(card.agent)}_{month}_{SUFFIX[lang]}"
        name, n = stem, 1
        while name.casefold() in used:  # two names that differ only in forbidden characters
            n += 1
            name = f"{stem} ({n})"
        used.add(name.casefold())
        target = folder / f"{name}.xlsx"
        write_atomic(target, card_workbook(card, team, month, lang, mask))
        result.files.append(target)
    if pdf:
        result.pdfs, problem = to_pdf(result.files, folder)
        if problem:
            result.warnings.append(problem)
    return result


# ------------------------------------------------------------------ PDF through LibreOffice
def find_soffice() -> str | None:
    """LibreOffice's soffice: $SOFFICE, PATH, or the usual install folders."""
    for candidate in (os.environ.get("SOFFICE"), "soffice", "libreoffice"):
        if candidate and (found := shutil.which(candidate)):
            return found
    for folder in (
        r"C:\Program Files\LibreOffice\program",
        r"C:\Program Files (x86)\LibreOffice\program",
        "/Applications/LibreOffice.app/Contents/MacOS",
    ):
        for exe in ("soffice.exe", "soffice"):
            if (Path(folder) / exe).is_file():
                return str(Path(folder) / exe)
    return None


def to_pdf(files: list[Path], folder: Path) -> tuple[list[Path], str | None]:
    """PDFs of `files` in `folder` (one LibreOffice run); (made, what went wrong or None)."""
    soffice = find_soffice()
    if soffice is None:
        return [], t(
            "未安装 LibreOffice：没有生成 PDF（.xlsx 文件已生成）。",
            "LibreOffice is not installed: no PDFs were made (the .xlsx files were).",
        )
    with tempfile.TemporaryDirectory(prefix="csxl-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, files),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [], t(
                f"LibreOffice 无法生成 PDF（{exc}）。",
                f"LibreOffice could not make the PDFs ({exc}).",
            )
    made = [folder / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in made if not p.is_file()]
    problem = (
        t(
            f"LibreOffice 没有为以下文件生成 PDF：{'、'.join(missing)}。",
            f"LibreOffice made no PDF for: {', '.join(missing)}.",
        )
        if missing
        else None
    )
    return [p for p in made if p.is_file()], problem
