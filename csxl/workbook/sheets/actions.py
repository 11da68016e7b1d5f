"""Actions (改进措施): improvement actions and their before/after comparison.

The manager types the action, the KPI it should move, its start date, the target change
(e.g. -30% for a cut) and an owner. On Refresh csxl writes the KPI over the 3 months before
the start and over the 3-month observation window from it (values, with their ticket
counts), computed from the Data sheet; the window's last day, the change and the status are
formulas (`csxl.domain.actions` has the rules).
"""

from __future__ import annotations

from csxl.domain import actions
from csxl.domain.catalog import CATALOG
from csxl.errors import InputError, Location, printable, t
from csxl.workbook import layout, owned, style
from csxl.workbook.book import Ctx, setup_sheet
from csxl.workbook.cells import cell, day, number
from csxl.workbook.layout import Actions as A
from csxl.workbook.layout import col
from csxl.workbook.port import Book
from csxl.workbook.state import Month, PlanState

# KPIs an action can target: the numeric ones (not the reasons' shares).
KPI_KEYS = tuple(k for k, info in CATALOG.items() if info.unit != "shares")
FORMATS = {"ratio": style.PERCENT, "seconds": style.SECONDS, "count": "#,##0"}


def kpi_label(lang: str, key: str | None) -> str | None:
    return None if key is None else CATALOG[key].label(lang)


def kpi_key(label: object) -> str | None:
    for key in KPI_KEYS:
        if label in (CATALOG[key].zh, CATALOG[key].en, key):
            return key
    return None


# ------------------------------------------------------------------ csxl upgrade
def upgrade(old, p) -> list[tuple[str, str]]:
    return [("改进措施", "Actions")]


def build(ctx: Ctx) -> None:
    ws = ctx.sheet("Actions")
    t, lang = ctx.t, ctx.lang
    p = ctx.inputs
    ctx.title(
        ws,
        t("改进措施与效果跟踪", "Improvement actions"),
        t(
            "黄色为可填写的内容：措施、要改善的指标、开始日期、目标变化（如 -30% 表示降低 30%）和负责人。"
            "刷新时按数据计算开始前 3 个月与开始后 3 个月观察期的指标；观察期结束后判定是否达成。",
            "Yellow cells are yours: the action, the KPI it should move, its start, the target "
            "change (-30% is a 30% cut) and the owner. Refresh computes the KPI over the 3 "
            "months before the start and the 3-month observation window after it; once the "
            "window is over the status says whether the target was met.",
        ),
    )
    ws.merge_cells(f"A2:{col(A.STATUS)}2")
    ws.row_dimensions[2].height = 30
    headers = {
        A.ACTION: t("措施", "Action"),
        A.KPI: t("指标", "KPI"),
        A.START: t("开始日期", "Start"),
        A.TARGET: t("目标变化", "Target change"),
        A.OWNER: t("负责人", "Owner"),
        A.WINDOW_END: t("观察期至", "Window ends"),
        A.BEFORE: t("之前 3 个月", "3 months before"),
        A.AFTER: t("观察期内", "In the window"),
        A.BEFORE_N: t("之前工单", "Tickets before"),
        A.AFTER_N: t("观察期工单", "Tickets in window"),
        A.CHANGE: t("变化", "Change"),
        A.STATUS: t("状态", "Status"),
    }
    for c, text in headers.items():
        ctx.label(ws, f"{col(c)}{A.HEADER_ROW}", text, style.HEADER)
    ws.row_dimensions[A.HEADER_ROW].height = 30
    labels = actions.STATUS_LABELS[lang]
    as_of = p.effective_as_of
    rows = p.actions if p.actions is not None else actions.DEFAULT_ACTIONS[lang]
    for i in range(A.ROWS):
        r = A.FIRST_ROW + i
        a = rows[i] if i < len(rows) else actions.Action()
        ctx.input(ws, f"{col(A.ACTION)}{r}", a.action)
        ctx.input(ws, f"{col(A.KPI)}{r}", kpi_label(lang, a.kpi))
        ctx.input(ws, f"{col(A.START)}{r}", a.start, style.DATE)
        ctx.input(ws, f"{col(A.TARGET)}{r}", a.target_change, "0%")
        ctx.input(ws, f"{col(A.OWNER)}{r}", a.owner)
        start = f"${col(A.START)}{r}"
        end = actions.windows(a.start)[1][1] if a.start else ""
        ctx.formula(
            ws,
            f"{col(A.WINDOW_END)}{r}",
            f'=IF({start}="","",EDATE({start},{actions.OBSERVATION_MONTHS})-1)',
            end,
            style.DATE,
        )
        fmt = FORMATS.get(CATALOG[a.kpi].unit, style.NUMBER) if a.kpi else style.NUMBER
        for c, value, f in (
            (A.BEFORE, a.before, fmt),
            (A.AFTER, a.after, fmt),
            (A.BEFORE_N, a.before_tickets, "#,##0"),
            (A.AFTER_N, a.after_tickets, "#,##0"),
        ):
            ctx.label(ws, f"{col(c)}{r}", value, style.COMPUTED, f)
        before, after = f"{col(A.BEFORE)}{r}", f"{col(A.AFTER)}{r}"
        change = actions.change(a.before, a.after)
        ctx.formula(
            ws,
            f"{col(A.CHANGE)}{r}",
            f'=IF(OR({before}="",{after}=""),"",IF({before}=0,"",({after}-{before})/{before}))',
            "" if change is None else change,
            style.PERCENT,
        )
        target, ch = f"{col(A.TARGET)}{r}", f"{col(A.CHANGE)}{r}"
        state = actions.status(a.start, as_of, change, a.target_change)
        met = f"IF({target}<0,{ch}<={target},{ch}>={target})"
        ctx.formula(
            ws,
            f"{col(A.STATUS)}{r}",
            f'=IF({start}="","",IF(csxl_AsOf<={col(A.WINDOW_END)}{r},"{labels["watching"]}",'
            f'IF({target}="","{labels["no_target"]}",IF({ch}="","{labels["no_data"]}",'
            f'IF({met},"{labels["met"]}","{labels["missed"]}")))))',
            "" if state is None else labels[state],
        )
    first, last = A.FIRST_ROW, A.FIRST_ROW + A.ROWS - 1
    # The KPI names for the drop-down, right of the table (a literal list cannot hold the
    # commas of some English names).
    ctx.label(ws, f"{col(A.KPI_LIST_COL)}{A.HEADER_ROW}", t("可选指标", "KPIs"), style.HEADER)
    for i, key in enumerate(KPI_KEYS):
        ctx.label(ws, f"{col(A.KPI_LIST_COL)}{A.FIRST_ROW + i}", CATALOG[key].label(lang))
    names = f"${col(A.KPI_LIST_COL)}${A.FIRST_ROW}:${col(A.KPI_LIST_COL)}${A.FIRST_ROW + len(KPI_KEYS) - 1}"
    ctx.list_validation(ws, "kpi", names).add(f"{col(A.KPI)}{first}:{col(A.KPI)}{last}")
    setup_sheet(
        ws,
        widths={
            "A": 30,  # the columns fit one landscape page at 8 pt (issue 18)
            "B": 14,
            "C": 11,
            "D": 9,
            "E": 9,
            "F": 11,
            "G": 11,
            "H": 11,
            "I": 9,
            "J": 10,
            "K": 9,
            "L": 9,
            "M": 2,
            "N": 26,  # the longest KPI name on one line
        },
        freeze=f"B{A.FIRST_ROW}",
        header_rows=f"{A.HEADER_ROW}:{A.HEADER_ROW}",
    )


# ------------------------------------------------------------------ read and refresh
def read(book: Book, state: PlanState) -> None:
    """The actions as typed (A:E), blank rows at the end left out."""
    from csxl.domain.actions import Action

    rows = book.rows("Actions")
    sheet = layout.title("Actions", book.lang)
    out = []
    for r in range(A.FIRST_ROW, A.FIRST_ROW + A.ROWS):
        where = lambda c, r=r: Location(book.name, sheet, r, layout.col(c))  # noqa: E731
        label = cell(rows, r, A.KPI)
        key = kpi_key(label)
        if label is not None and key is None:
            raise InputError(
                t(
                    f"“{printable(str(label))}”不是 csxl 认识的指标。",
                    f"{label!r} is not a KPI csxl knows.",
                ),
                where(A.KPI),
                t("请从下拉列表中选择。", "Pick it from the list."),
            )
        try:
            start = day(cell(rows, r, A.START))
        except ValueError:
            raise InputError(
                t("不是日期。", "not a date."),
                where(A.START),
                t("请输入日期，如 2026-04-01。", "Type a date such as 2026-04-01."),
            ) from None
        text = cell(rows, r, A.ACTION)
        owner = cell(rows, r, A.OWNER)
        out.append(
            Action(
                None if text is None else str(text),
                key,
                start,
                number(rows, r, A.TARGET, where(A.TARGET)),
                None if owner is None else str(owner),
            )
        )
    while out and out[-1] == Action():
        out.pop()
    state.inputs.actions = tuple(out)


def write(book: Book, ctx: Ctx) -> None:
    """The before/after values and the formulas that follow them (window end, change,
    status); never the manager's columns."""
    last = A.FIRST_ROW + A.ROWS - 1
    owned.write(book, ctx, "Actions", [(A.FIRST_ROW, A.BEFORE, last, A.AFTER_N)])
    owned.write_formulas(book, ctx, "Actions")


# The manager's blocks of a fixed number of rows: (columns, last row, the next block's first
# row or None). A non-empty row below one was pushed out by a row inserted inside it, and is
# refused before anything is read (`plan_reader.check_pushed_out`).
BLOCKS = (((A.ACTION, A.OWNER), A.FIRST_ROW + A.ROWS - 1, None),)


# ------------------------------------------------------------------ refresh
def refresh(m: Month) -> list[str]:
    """Each action's KPI over the 3 months before its start and the 3-month window after."""
    from dataclasses import replace

    from csxl.domain import kpis

    state = m.state
    out = []
    for a in state.inputs.actions or ():
        if a.start is None or a.kpi is None:
            out.append(a)
            continue
        values = []
        for window in actions.windows(a.start):
            groups = kpis.compute(m.tickets, ("all",), state.kpi_settings, window).groups
            found = groups[0]["kpis"]
            value = found.get(a.kpi)
            values.append(
                (
                    float(value) if isinstance(value, int | float) else None,
                    int(found.get("tickets") or 0),
                )
            )
        (before, n_before), (after, n_after) = values
        out.append(
            replace(a, before=before, after=after, before_tickets=n_before, after_tickets=n_after)
        )
    state.inputs.actions = tuple(out)
    return []
