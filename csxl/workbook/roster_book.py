"""The roster workbook: its sheet names and columns, headers, input cells and a notes sheet
(csxl.roster reads it)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from csxl.workbook import style

FIELDS: tuple[str, ...] = ("weight", "baseline", "stretch", "challenge")
FIELD_LABELS = {
    "weight": ("权重", "weight"),
    "baseline": ("保底", "baseline"),
    "stretch": ("冲刺", "stretch"),
    "challenge": ("挑战", "challenge"),
}
# Base columns: key -> (zh header, en header). Other accepted spellings are in ALIASES.
COLUMNS: dict[str, tuple[str, str]] = {
    "team": ("团队", "Team"),
    "group": ("小组", "Group"),
    "agent": ("客服", "Agent"),
    "agent_id": ("工号", "Agent ID"),
    "hire_date": ("入职日期", "Hire date"),
    "leader": ("组长", "Leader"),
    # The team's plan input (Settings: the denominator of complaints per 10k), given once
    # per team on any of its rows: without it the plan drops that KPI from its score.
    "active_customers": ("活跃客户数", "Active customers"),
}
SHEET = {"zh": "花名册", "en": "Roster"}
NOTES_SHEET = {"zh": "说明", "en": "Notes"}


def roster_bytes(lang: str, rows: list[dict[str, object]]) -> bytes:
    """A roster: base columns, every override column, `rows` (dicts by column key/header)."""
    from csxl.domain.catalog import CATALOG
    from csxl.domain.scoring import DEFAULT_TARGETS
    from csxl.workbook.layout import col
    from csxl.workbook.package import finish

    zh = lang == "zh"
    wb = Workbook()
    style.register(wb)
    ws = wb.active
    ws.title = SHEET[lang]
    base = list(COLUMNS)
    overrides = [f"{t.key}_{f}" for t in DEFAULT_TARGETS for f in FIELDS]
    headers = [COLUMNS[k][0 if zh else 1] for k in base] + overrides
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(1, c, text)
        cell.style = style.HEADER
    for r, values in enumerate(rows, start=2):
        for c, key in enumerate([*base, *overrides], start=1):
            cell = ws.cell(r, c, values.get(key))
            cell.style = style.INPUT
            if key == "hire_date":
                cell.number_format = style.DATE
    numbers = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000",
        formula2="1000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数字" if zh else "Number",
        error="请填写数字（例如 0.92 或 45）。" if zh else "Type a number (e.g. 0.92 or 45).",
    )
    ws.add_data_validation(numbers)
    first, last = len(base) + 1, len(headers)
    numbers.add(f"{col(first)}2:{col(last)}1000")
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    ws.add_data_validation(dates)
    hire = base.index("hire_date") + 1
    dates.add(f"{col(hire)}2:{col(hire)}1000")
    customers = DataValidation(
        type="decimal",
        operator="greaterThan",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="活跃客户数" if zh else "Active customers",
        error="请填写大于 0 的数字。" if zh else "Type a number above 0.",
    )
    ws.add_data_validation(customers)
    active = base.index("active_customers") + 1
    customers.add(f"{col(active)}2:{col(active)}1000")
    widths = {"team": 14, "group": 10, "agent": 12, "agent_id": 10, "hire_date": 12, "leader": 10}
    widths["active_customers"] = 12
    for c, key in enumerate(base, start=1):
        ws.column_dimensions[col(c)].width = widths[key]
    for c in range(first, last + 1):
        ws.column_dimensions[col(c)].width = 16
    ws.freeze_panes = "D2"
    ws.row_dimensions[1].height = 30

    notes = wb.create_sheet(NOTES_SHEET[lang])
    t = (lambda a, b: a) if zh else (lambda a, b: b)
    lines = [
        (t("列", "Column"), t("含义", "Meaning"), t("默认", "Default")),
        (
            COLUMNS["team"][0 if zh else 1],
            t("团队（必填）：每个团队一个计划工作簿", "Team (required): one plan per team"),
            "",
        ),
        (COLUMNS["group"][0 if zh else 1], t("小组或班次", "Group or shift"), ""),
        (
            COLUMNS["agent"][0 if zh else 1],
            t("客服姓名；同一团队内不重复", "Agent name; unique within a team"),
            "",
        ),
        (
            COLUMNS["agent_id"][0 if zh else 1],
            t("工号；整个花名册内不重复", "Agent id; unique in the roster"),
            "",
        ),
        (
            COLUMNS["hire_date"][0 if zh else 1],
            t("入职日期，如 2026-03-01", "Hire date, e.g. 2026-03-01"),
            "",
        ),
        (COLUMNS["leader"][0 if zh else 1], t("组长", "Team leader"), ""),
        (
            COLUMNS["active_customers"][0 if zh else 1],
            t(
                "团队的月活跃客户数（计划“设置”表，万人投诉率的分母）：每个团队填一次，任一行均可；"
                "留空则计划不计算万人投诉率，其权重不计入加权得分",
                "The team's active customers a month (the plan's Settings: the denominator of "
                "complaints per 10k): once per team, on any of its rows; blank leaves that KPI "
                "out of the plan's weighted score",
            ),
            "",
        ),
        (
            "<kpi>_<field>",
            t(
                "可选的目标调整：有客服的行调整该客服，只有小组的行调整该小组，"
                "只有团队的行调整团队目标；留空沿用默认",
                "Optional target overrides: a row with an agent sets that agent's target, "
                "a row with only a group the group's, a row with only a team the team's; "
                "blank keeps the default",
            ),
            "",
        ),
    ]
    for target in DEFAULT_TARGETS:
        label = CATALOG[target.key].label(lang)
        for f in FIELDS:
            lines.append(
                (
                    f"{target.key}_{f}",
                    f"{label} · {FIELD_LABELS[f][0 if zh else 1]}",
                    getattr(target, f),
                )
            )
    for r, line in enumerate(lines, start=1):
        for c, value in enumerate(line, start=1):
            cell = notes.cell(r, c, value)
            cell.style = style.HEADER if r == 1 else style.LABEL
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 70
    notes.column_dimensions["C"].width = 10
    wb.properties.creator = "csxl"
    wb.properties.title = t("客服花名册", "Customer service roster")
    raw = io.BytesIO()
    wb.save(raw)
    return finish(raw.getvalue(), {})
