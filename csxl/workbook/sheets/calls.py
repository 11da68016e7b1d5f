"""Calls (通话): the call-centre KPIs of the refreshed month, per team and per agent.

The manager types the two thresholds (B4:B5: service-level seconds, 20; short-abandon
seconds, 0); Refresh fills the status line and the results block (OWNED) from the Call
records sheet (rules in `csxl.domain.calls`, docs/kpis.md "Call-centre KPIs"): offered,
answered, abandoned and answered within the service-level seconds are values; 接通率,
放弃率 and the service level are formulas over those counts of their own row, so a manager
sees how each rate is made (never COUNTIFS over the pasted records, which can run to
100,000 rows and more); ASA is a value (a mean of the calls' waits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openpyxl.styles import Alignment

from csxl.domain.calls import CallSettings
from csxl.domain.columns import CALLS
from csxl.errors import InputError, Location, t
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.layout import Calls as L
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState

SCOPES = {"all": ("全部", "All"), "team": ("团队", "Team"), "agent": ("坐席", "Agent")}
UNASSIGNED = ("未分配", "Unassigned")


@dataclass(frozen=True)
class CallRow:
    """One row of the results block (None: not measurable, shown blank)."""

    scope: str  # a key of SCOPES
    name: str | None  # None: no team / no agent in the records (未分配)
    offered: int
    answered: int
    abandoned: int
    within: int | None  # answered within the service-level seconds; None without waits
    asa_s: float | None


def headers(lang: str) -> list[str]:
    i = 0 if lang == "zh" else 1
    return [
        h[i]
        for h in (
            ("范围", "Scope"),
            ("名称", "Name"),
            ("呼入量", "Offered"),
            ("接通量", "Answered calls"),  # not "Answered": that names a records column
            ("放弃量", "Abandoned calls"),
            ("时限内接通", "Answered in time"),
            ("接通率", "Answer rate"),
            ("放弃率", "Abandon rate"),
            ("服务水平", "Service level"),
            ("平均应答(秒)", "ASA (s)"),
        )
    ]


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    return [("通话：服务水平与短放弃时限", "Calls: the service-level and short-abandon seconds")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Calls")
    t = ctx.t
    p = ctx.inputs
    ctx.title(
        ws,
        t("通话指标", "Call-centre KPIs"),
        t(
            "把呼叫中心导出的通话明细（每行一通来电）粘贴到“{records}”表；刷新时计算本月各团队（技能组）"
            "和各坐席的呼入量、接通率、放弃率、服务水平和平均应答时长，写入下方。黄色为可填写的时限。"
            "没有坐席的放弃来电计入“未分配”。",
            "Paste the call-detail export (one row per inbound call) into the {records} "
            "sheet; Refresh computes the month's offered calls, answer rate, abandon rate, "
            "service level and ASA per team (queue) and per agent below. The yellow cells are "
            "the thresholds. Abandoned calls that never reached an agent count as Unassigned.",
        ).format(records=layout.title(layout.paste_area(CALLS), ctx.lang)),
    )
    ws.merge_cells(f"A2:{col(L.ASA)}2")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 44
    s = p.call_settings or CallSettings()
    for row, zh, en, value, note_zh, note_en in (
        (
            L.ROW_SL_SECONDS,
            "服务水平时限(秒)",
            "Service level (s)",
            s.sl_seconds,
            "等待不超过此秒数即接通的来电计入服务水平（恰好等于也算）",
            "calls answered after waiting at most this long count for the service level",
        ),
        (
            L.ROW_SHORT_ABANDON,
            "短放弃(秒)",
            "Short abandon (s)",
            s.short_abandon_s,
            "等待不到此秒数就挂断的来电不计入呼入量；0 表示全部计入",
            "callers who hang up within this many seconds are not counted as offered; 0 = none",
        ),
    ):
        ctx.label(ws, f"A{row}", t(zh, en), style.HEADER)
        ctx.input(ws, L.value(row), value, "0")
        ctx.label(ws, f"C{row}", t(note_zh, note_en), style.NOTE)
        # The note across the row, one line high: wrapped in one narrow column it would
        # print its lines over the next row's.
        ws.merge_cells(f"C{row}:{col(L.ASA)}{row}")
        ws[f"C{row}"].alignment = Alignment(vertical="center", wrap_text=False)
    status = f"A{L.STATUS_ROW}"
    waiting = t("刷新后，这里显示本月的通话指标。", "Refresh fills in the month's call KPIs.")
    ctx.label(ws, status, p.call_status or waiting, style.NOTE)
    ws.merge_cells(f"{status}:{col(L.ASA)}{L.STATUS_ROW}")
    ctx.header(ws, L.HEADER_ROW, 1, headers(ctx.lang))
    ws.row_dimensions[L.HEADER_ROW].height = 30
    _results(ctx, ws)
    widths = {"A": 16, "B": 16} | {col(c): 11 for c in range(L.OFFERED, L.ASA + 1)}
    setup_sheet(
        ws,
        widths=widths,
        freeze=f"A{L.FIRST_ROW}",
        header_rows=f"{L.HEADER_ROW}:{L.HEADER_ROW}",
    )


def _results(ctx: Ctx, ws) -> None:
    i = 0 if ctx.lang == "zh" else 1
    rows = list(ctx.inputs.call_rows)
    for n in range(L.ROWS):
        r = L.FIRST_ROW + n
        x = rows[n] if n < len(rows) else None
        values = (
            (L.SCOPE, x and SCOPES[x.scope][i], None),
            (L.NAME, x and (x.name if x.name is not None else UNASSIGNED[i]), None),
            (L.OFFERED, x and x.offered, style.INTEGER),
            (L.ANSWERED, x and x.answered, style.INTEGER),
            (L.ABANDONED, x and x.abandoned, style.INTEGER),
            (L.WITHIN, x and x.within, style.INTEGER),
            (L.ASA, x and x.asa_s, style.SECONDS),
        )
        for c, value, fmt in values:
            ctx.label(ws, f"{col(c)}{r}", value, style.COMPUTED, fmt)
        if x is None:
            continue  # no formulas in the empty rows: they would print as pages of nothing
        offered = f"{col(L.OFFERED)}{r}"
        for c, count, blank_too in (
            (L.ANSWER_RATE, L.ANSWERED, False),
            (L.ABANDON_RATE, L.ABANDONED, False),
            (L.SERVICE_LEVEL, L.WITHIN, True),  # no wait times: no service level
        ):
            part = f"{col(count)}{r}"
            test = f'{offered}="",{offered}=0' + (f',{part}=""' if blank_too else "")
            numerator = None if x is None else getattr(x, _FIELDS[count])
            value = "" if not x or not x.offered or numerator is None else numerator / x.offered
            ctx.formula(
                ws, f"{col(c)}{r}", f'=IF(OR({test}),"",{part}/{offered})', value, style.PERCENT
            )


_FIELDS = {L.ANSWERED: "answered", L.ABANDONED: "abandoned", L.WITHIN: "within"}


def read_settings(book) -> CallSettings:
    """The thresholds as typed (a blank cell takes the default)."""
    return thresholds(book.rows("Calls"), book.name, book.lang)


def thresholds(rows: list[list[object]], file: str, lang: str) -> CallSettings:
    """The thresholds from the Calls sheet's values (from A1)."""
    from csxl.workbook.cells import number

    sheet = layout.title("Calls", lang)
    default = CallSettings()
    values = {}
    for name, row in (("sl_seconds", L.ROW_SL_SECONDS), ("short_abandon_s", L.ROW_SHORT_ABANDON)):
        where = Location(file, sheet, row, "B")
        value = number(rows, row, L.VALUE_COL, where)
        if value is not None and value < 0:
            raise InputError(
                t(f"{value:g} 秒是负数。", f"{value:g} seconds is negative."),
                where,
                t("请输入 0 或更多秒。", "Type 0 or more seconds."),
            )
        values[name] = getattr(default, name) if value is None else value
    return CallSettings(**values)


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The service-level and short-abandon seconds as typed."""
    state.inputs.call_settings = read_settings(book)


def write(book: Book, ctx: Ctx) -> None:
    """The status line and the results block (never the thresholds); the Call records sheet
    is never written."""
    owned.write(
        book,
        ctx,
        "Calls",
        [(L.STATUS_ROW, 1, L.STATUS_ROW, 1), (L.FIRST_ROW, L.SCOPE, L.last_row(), L.ASA)],
    )


# ------------------------------------------------------------------ refresh's step
def refresh(m: Month) -> list[str]:
    return fill(m.state, m.window, m.month, m.now)


def fill(state: PlanState, window, month: str, now: datetime) -> list[str]:
    """The status line and results for `month` from the pasted calls (`state.calls`, read
    by the Call records room); warnings. Rules in `csxl.domain.calls`."""
    from csxl.domain import kpis
    from csxl.domain.calls import call_groups

    if not state.has_calls:
        return []
    p = state.inputs
    calls = state.calls
    if calls is None:
        p.call_rows = ()
        return []
    settings = p.call_settings or CallSettings()
    frame = kpis.in_period(calls.frame, window, "started_at")
    zh = p.lang == "zh"
    rows: list[CallRow] = []
    if len(frame):
        everyone = p.team or SCOPES["all"][0 if zh else 1]
        for g in call_groups(frame, ("all", "team", "agent"), settings):
            k = g["kpis"]
            rows.append(
                CallRow(
                    g["by"],
                    everyone if g["by"] == "all" else g["key"],
                    int(k["offered"]),
                    int(k["answered"]),
                    int(k["abandoned"]),
                    None if k["answered_within"] is None else int(k["answered_within"]),
                    None if k["asa_s"] is None else float(k["asa_s"]),
                )
            )
    warnings = []
    if len(rows) > L.ROWS:
        warnings.append(
            f"通话：结果超过 {L.ROWS} 行，只显示前 {L.ROWS} 行"
            if zh
            else f"Calls: more than {L.ROWS} result rows; the first {L.ROWS} are shown"
        )
    p.call_rows = tuple(rows[: L.ROWS])
    p.call_status = _status(p.lang, calls, len(frame), rows[0].offered if rows else 0, month, now)
    if calls.valid and "wait_s" not in calls.columns:
        # Service level and ASA stay blank (never 0%): the status line and a warning say why.
        from csxl import unavailable
        from csxl.domain.columns import CALL_LABELS

        what = "服务水平、平均应答" if zh else "service level, ASA"
        text = unavailable.note(["wait_s"], p.lang, CALL_LABELS)
        p.call_status += ("；" if zh else "; ") + f"{what}{'：' if zh else ': '}{text}"
        warnings.append(unavailable.where(layout.title("Calls", p.lang), what, text, p.lang))
    return warnings


def _status(lang: str, calls, in_month: int, offered: int, month: str, now: datetime) -> str:
    sheet = layout.title(layout.paste_area(CALLS), lang)
    errors = layout.rejected_rows_sheet(lang)
    short = in_month - offered
    at = f"{now:%Y-%m-%d %H:%M}"
    if lang == "zh":
        if not in_month:
            return f"{at}：“{sheet}”中没有 {month} 的来电（共 {calls.valid:,} 行有效）"
        text = f"{at} 按 {month} 的 {in_month:,} 通来电计算"
        if short:
            text += f"（短放弃 {short:,} 通不计入呼入量）"
        if calls.rejected:
            text += f"；“{sheet}”有 {calls.rejected:,} 行被拒绝，见“{errors}”表"
        return text
    if not in_month:
        return f"{at}: no calls of {month} in {sheet} ({calls.valid:,} valid rows)"
    text = f"{at}: {in_month:,} calls of {month}"
    if short:
        text += f" ({short:,} short abandons not offered)"
    if calls.rejected:
        text += f"; {calls.rejected:,} rows of {sheet} rejected, see {errors}"
    return text


# What `csxl kpi PLAN` reads here (`Room.kpi`): (rows, file, sheet title, language) -> value.
KPI = (("call_settings", lambda rows, file, title, lang: thresholds(rows, file, lang)),)
