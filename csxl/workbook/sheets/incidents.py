"""Incidents (故障): the log of batch system failures and their milestone checks.

The manager logs each failure's start and the times of its three milestones (alert, a
workaround in place, the announcement) plus recovery. For each milestone a formula gives
the minutes from the start, ROUND((time - start) x 1440, 4), and the status: 达标 within the
limit (inclusive), 超时 late, 缺失 not logged; the limits (5, 10, 30 minutes by default) are
input cells over the log, and row 4 shows the share of logged failures meeting each.
Rules: `csxl.domain.sla.incident_minutes` / `incident_status`.
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill

from csxl.domain import sla
from csxl.domain.sla import Incident
from csxl.errors import InputError, Location, t
from csxl.workbook import layout, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, loose_number, moment
from csxl.workbook.layout import Incidents as N
from csxl.workbook.layout import col

STATUS = {"zh": {"met": "达标", "late": "超时", "missing": "缺失"},
          "en": {"met": "Met", "late": "Late", "missing": "Missing"}}  # fmt: skip
# milestone -> (time column, minutes column, status column, limit cell)
MILESTONES = {
    "alert": (N.ALERT, N.ALERT_MIN, N.ALERT_OK, N.ALERT_LIMIT),
    "workaround": (N.WORKAROUND, N.WORKAROUND_MIN, N.WORKAROUND_OK, N.WORKAROUND_LIMIT),
    "announce": (N.ANNOUNCE, N.ANNOUNCE_MIN, N.ANNOUNCE_OK, N.ANNOUNCE_LIMIT),
}


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    p.incidents, p.incident_limits = read(old.rows(KEY), old.name, old.lang)
    n = len(p.incidents)
    return [(f"故障：{n} 条记录及时限", f"Incidents: {n} rows and the limits")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Incidents")
    t, lang = ctx.t, ctx.lang
    p = ctx.inputs
    ctx.title(
        ws,
        t("系统故障记录", "System failure log"),
        t(
            "黄色为可填写的内容：每次批量故障一行，填开始时间和各节点时间（日期 时间）。"
            "告警、临时方案、公告三个节点按上方时限（分钟，含等于）自动判定 达标/超时/缺失。",
            "Yellow cells are yours: one row per failure, with its start and each milestone's "
            "time. Alert, workaround and announcement are checked against the limits above "
            "(minutes, inclusive): Met / Late / Missing.",
        ),
    )
    ws.merge_cells(f"A2:{col(N.ANNOUNCE_OK)}2")
    ws.row_dimensions[2].height = 30
    names = {
        "alert": t("告警时限（分钟）", "Alert within (min)"),
        "workaround": t("临时方案时限", "Workaround within"),
        "announce": t("公告时限", "Announce within"),
    }
    limits = p.incident_limits
    for milestone, (_, _, _, limit_cell) in MILESTONES.items():
        label_cell = f"{col(ws[limit_cell].column - 1)}{N.LIMIT_ROW}"
        ctx.label(ws, label_cell, names[milestone])
        ctx.input(ws, limit_cell, limits[milestone], "0")
    ctx.label(ws, f"{col(N.ALERT_MIN)}{N.RATE_ROW}", t("达标率", "Share met"), style.HEADER)

    headers = {
        N.ID: t("编号", "ID"),
        N.SYSTEM: t("系统", "System"),
        N.DESCRIPTION: t("故障描述", "Description"),
        N.START: t("开始时间", "Started"),
        N.ALERT: t("告警时间", "Alerted"),
        N.WORKAROUND: t("临时方案时间", "Workaround at"),
        N.ANNOUNCE: t("公告时间", "Announced"),
        N.RECOVERED: t("恢复时间", "Recovered"),
        N.OWNER: t("负责人", "Owner"),
        N.ALERT_MIN: t("告警用时（分）", "Alert (min)"),
        N.ALERT_OK: t("告警", "Alert"),
        N.WORKAROUND_MIN: t("临时方案用时（分）", "Workaround (min)"),
        N.WORKAROUND_OK: t("临时方案", "Workaround"),
        N.ANNOUNCE_MIN: t("公告用时（分）", "Announce (min)"),
        N.ANNOUNCE_OK: t("公告", "Announce"),
    }
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{N.HEADER_ROW}", text, style.HEADER)
    ws.row_dimensions[N.HEADER_ROW].height = 44  # three lines in the narrow minute columns

    words = STATUS[lang]
    statuses: dict[str, list[str]] = {m: [] for m in MILESTONES}
    for i in range(N.ROWS):
        r = N.FIRST_ROW + i
        inc = p.incidents[i] if i < len(p.incidents) else Incident()
        for c, value in (
            (N.ID, inc.id),
            (N.SYSTEM, inc.system),
            (N.DESCRIPTION, inc.description),
            (N.OWNER, inc.owner),
        ):
            ctx.input(ws, f"{col(c)}{r}", value)
        for c, value in (
            (N.START, inc.start),
            (N.ALERT, inc.alert),
            (N.WORKAROUND, inc.workaround),
            (N.ANNOUNCE, inc.announce),
            (N.RECOVERED, inc.recovered),
        ):
            ctx.input(ws, f"{col(c)}{r}", value, style.DATETIME)
        start = f"${col(N.START)}{r}"
        for milestone, (time_col, min_col, ok_col, limit_cell) in MILESTONES.items():
            at = f"{col(time_col)}{r}"
            minutes = sla.incident_minutes(inc.start, getattr(inc, milestone))
            ctx.formula(
                ws,
                f"{col(min_col)}{r}",
                f'=IF(OR({start}="",{at}=""),"",ROUND(({at}-{start})*1440,4))',
                "" if minutes is None else minutes,
                "0.0",
            )
            m = f"{col(min_col)}{r}"
            limit = f"${limit_cell[0]}${limit_cell[1:]}"
            status = sla.incident_status(inc.start, minutes, limits[milestone])
            statuses[milestone].append(status or "")
            ctx.formula(
                ws,
                f"{col(ok_col)}{r}",
                f'=IF({start}="","",IF({m}="","{words["missing"]}",'
                f'IF({m}<={limit},"{words["met"]}","{words["late"]}")))',
                "" if status is None else words[status],
            )

    first, last = N.FIRST_ROW, N.last_row()
    for milestone, (_, _, ok_col, _) in MILESTONES.items():
        area = f"${col(ok_col)}${first}:${col(ok_col)}${last}"
        found = statuses[milestone]
        logged = sum(1 for s in found if s)
        value = sum(1 for s in found if s == "met") / logged if logged else ""
        logged_f = "+".join(f'COUNTIF({area},"{words[k]}")' for k in ("met", "late", "missing"))
        ctx.formula(
            ws,
            f"{col(ok_col)}{N.RATE_ROW}",
            f'=IF({logged_f}=0,"",COUNTIF({area},"{words["met"]}")/({logged_f}))',
            value,
            style.PERCENT,
        )
    for status, (fill, font) in {
        "met": ("D4EDDA", "1E6B34"),
        "late": ("F8D7DA", "9B1C1C"),
        "missing": ("FFE8B3", "8A5A00"),
    }.items():
        area = f"{col(N.ALERT_MIN)}{first}:{col(N.ANNOUNCE_OK)}{last}"
        ws.conditional_formatting.add(
            area,
            FormulaRule(
                formula=[f'{col(N.ALERT_MIN)}{first}="{words[status]}"'],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font, bold=True),
            ),
        )
    widths = {col(c): 16 for c in range(N.START, N.RECOVERED + 1)}
    # one landscape page at 8 pt (issue 18): the times keep their 16, the rest give way
    widths |= {"A": 14, "B": 10, "C": 16, col(N.OWNER): 8}
    widths |= {col(c): 7 for c in range(N.ALERT_MIN, N.ANNOUNCE_OK + 1)}
    widths[col(N.ALERT_MIN)] = 10  # its row 4 label: 达标率 / Share met
    # the limits' labels and "Share met" on two lines in their narrow columns
    ws.row_dimensions[N.LIMIT_ROW].height = ws.row_dimensions[N.RATE_ROW].height = 28
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"{col(N.DESCRIPTION)}{N.FIRST_ROW}",
        header_rows=f"{N.HEADER_ROW}:{N.HEADER_ROW}",
    )


# ------------------------------------------------------------------ reading it back
KEY = "Incidents"


def read(rows: list[list[object]], book: str, lang: str) -> tuple[tuple, dict[str, float]]:
    """The Incidents log's filled rows (in order) and its three milestone limits."""
    from openpyxl.utils import column_index_from_string

    from csxl.domain.sla import DEFAULT_INCIDENT_LIMITS, Incident

    sheet = layout.title("Incidents", lang)
    limits = dict(DEFAULT_INCIDENT_LIMITS)
    for key, address in (
        ("alert", N.ALERT_LIMIT),
        ("workaround", N.WORKAROUND_LIMIT),
        ("announce", N.ANNOUNCE_LIMIT),
    ):
        c = column_index_from_string(address[0])
        value = loose_number(
            cell(rows, N.LIMIT_ROW, c), Location(book, sheet, N.LIMIT_ROW, address[0])
        )
        if value is not None:
            limits[key] = value
    times = (N.START, N.ALERT, N.WORKAROUND, N.ANNOUNCE, N.RECOVERED)
    out = []
    for r in range(N.FIRST_ROW, N.last_row() + 1):
        values = {c: cell(rows, r, c) for c in (N.ID, N.SYSTEM, N.DESCRIPTION, *times, N.OWNER)}
        if all(v is None for v in values.values()):
            continue
        when = {c: moment(values[c]) for c in times}
        for c in times:
            if values[c] is not None and when[c] is None:
                raise InputError(
                    t(f"{values[c]!r} 不是日期时间。", f"{values[c]!r} is not a date and time."),
                    Location(book, sheet, r, layout.col(c)),
                    t("请写成 2026-03-01 09:30。", "Type it as 2026-03-01 09:30."),
                )
        text = {c: None if v is None else str(v) for c, v in values.items()}
        out.append(
            Incident(
                text[N.ID],
                text[N.SYSTEM],
                text[N.DESCRIPTION],
                when[N.START],
                when[N.ALERT],
                when[N.WORKAROUND],
                when[N.ANNOUNCE],
                when[N.RECOVERED],
                text[N.OWNER],
            )
        )
    return tuple(out), limits
