"""`csxl consolidate`: the team plans of a folder rolled up into one department summary.

Each workbook is read read-only with python-calamine, by the addresses in
`csxl.workbook.layout`, relying on the cached values csxl writes with every formula (Excel,
LibreOffice and WPS keep them when they save). Nothing is recalculated and no team file is
changed. A team never refreshed is shown as such; a workbook that is missing (named in the
batch's csxl-batch.json but gone), malformed (not a csxl plan, damaged, rows moved) or of an
older template version is listed on the Problems sheet and does not stop the others.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from csxl.errors import InputError, Location
from csxl.workbook import layout
from csxl.workbook.layout import Budget as B
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Milestones as M
from csxl.workbook.layout import Risks as R
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St

TOP_RISKS = 20
RISK_COLUMNS = (
    R.ID,
    R.RISK,
    R.CATEGORY,
    R.LIKELIHOOD,
    R.IMPACT,
    R.SCORE,
    R.LEVEL,
    R.OWNER,
    R.STATUS,
)
Rows = list[list[object]]


@dataclass
class TeamBook:
    """What the summary takes from one team workbook (cached values as stored)."""

    file: str
    team: str
    year: object = None
    month: str | None = None  # the refreshed month; None: never refreshed
    last_refresh: object = None
    score: float | None = None
    grade: str | None = None
    kpis: list[dict[str, object]] = field(default_factory=list)
    agents: list[tuple[object, ...]] = field(
        default_factory=list
    )  # agent, group, score, grade, bonus
    budget: list[tuple[object, ...]] = field(default_factory=list)  # category .. flag
    budget_total: tuple[object, ...] | None = None
    risks: list[tuple[object, ...]] = field(default_factory=list)
    overdue: list[tuple[object, ...]] = field(default_factory=list)

    @property
    def refreshed(self) -> bool:
        return self.month is not None


@dataclass
class Summary:
    path: Path
    teams: list[TeamBook] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # file, what is wrong

    @property
    def ranking(self) -> list[tuple[int | None, TeamBook]]:
        """Scored teams by weighted score (rank 1 first, ties by name), then the others."""
        scored = sorted(
            (t for t in self.teams if t.score is not None),
            key=lambda t: (-(t.score or 0.0), t.team),
        )
        rest = [t for t in self.teams if t.score is None]
        return [(i, t) for i, t in enumerate(scored, start=1)] + [(None, t) for t in rest]


# ------------------------------------------------------------------ reading
def _at(rows: Rows, r: int, c: int) -> object:
    if r > len(rows) or c > len(rows[r - 1]):
        return None
    value = rows[r - 1][c - 1]
    return None if value == "" else value


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def read_team(path: Path) -> TeamBook:
    """One team workbook; InputError when it is not a csxl plan of this template version."""
    from python_calamine import CalamineWorkbook

    from csxl.workbook.port import Titles

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InputError(f"cannot be read as a workbook ({exc}).", Location(path.name)) from None
    titles = Titles.of_file(path)  # a renamed sheet is found by its anchor
    lang = titles.lang

    def rows(key: str) -> Rows:
        title = titles.title(key)
        if title not in book.sheet_names:
            raise InputError(f"the {title} sheet is missing.", Location(path.name))
        from csxl.readers.limits import check_sheet

        check_sheet(path, title, Location(path.name, title))  # a stray far cell
        return book.get_sheet_by_name(title).to_python(skip_empty_area=False)

    settings = rows("Settings")
    version = _at(settings, St.ROW_VERSION, St.VALUE_COL)
    if str(version) != layout.TEMPLATE_VERSION:
        raise InputError(
            f"template version {version!r}, not {layout.TEMPLATE_VERSION}.",
            Location(path.name, layout.title("Settings", lang), St.ROW_VERSION, "B"),
            "Run `csxl upgrade` on it.",
        )
    month = _at(settings, St.ROW_REFRESH_MONTH, St.VALUE_COL)
    team = TeamBook(
        file=path.name,
        team=str(_at(settings, St.ROW_TEAM, St.VALUE_COL) or path.stem),
        year=_at(settings, St.ROW_YEAR, St.VALUE_COL),
        month=None if month is None else str(month),
        last_refresh=_at(settings, St.ROW_LAST_REFRESH, St.VALUE_COL),
    )
    goals = rows("Goals")
    for i in range(G.KPI_ROWS):
        r = G.FIRST_ROW + i
        key = _at(goals, r, G.KEY)
        if key is None:
            raise InputError(
                "a KPI row of Goals is empty: the sheet's rows were moved or deleted.",
                Location(path.name, layout.title("Goals", lang), r, "A"),
            )
        team.kpis.append(
            {
                "key": key,
                "label": _at(goals, r, G.LABEL),
                "weight": _at(goals, r, G.WEIGHT),
                "baseline": _at(goals, r, G.BASELINE),
                "stretch": _at(goals, r, G.STRETCH),
                "challenge": _at(goals, r, G.CHALLENGE),
                "actual": _at(goals, r, G.ACTUAL),
                "tier": _at(goals, r, G.TIER),
                "variance_pct": _at(goals, r, G.VARIANCE_PCT),
                "points": _at(goals, r, G.POINTS),
            }
        )
    team.score = _number(_at(goals, G.last_row() + 1, G.ACTUAL))
    grade = _at(goals, G.last_row() + 1, G.TIER)
    team.grade = None if grade is None else str(grade)
    scores = rows("Scores")
    for r in range(S.FIRST_ROW, S.last_row() + 1):
        agent = _at(scores, r, S.AGENT)
        if agent is not None:
            team.agents.append(
                tuple(_at(scores, r, c) for c in (S.AGENT, S.TEAM, S.SCORE, S.GRADE, S.BONUS))
            )
    from csxl.workbook.plan_reader import budget_total_row, table_end

    budget = rows("Budget")
    columns = (
        B.CATEGORY,
        B.YEAR_PLAN,
        B.YTD_PLAN,
        B.YTD_ACTUAL,
        B.YTD_VARIANCE,
        B.YTD_VARIANCE_PCT,
        B.FLAG,
    )
    # The tables by content: a row a manager inserted inside one moves the rows below it
    # (and Budget's total row), and every row still counts.
    for r in range(B.FIRST_ROW, table_end("Budget", budget) + 1):
        if _at(budget, r, B.CATEGORY) is not None:
            team.budget.append(tuple(_at(budget, r, c) for c in columns))
    team.budget_total = tuple(_at(budget, budget_total_row(budget), c) for c in columns)
    risks = rows("Risks")
    for r in range(R.FIRST_ROW, table_end("Risks", risks) + 1):
        if _at(risks, r, R.RISK) is not None:
            team.risks.append(tuple(_at(risks, r, c) for c in RISK_COLUMNS))
    milestones = rows("Milestones")
    for r in range(M.FIRST_ROW, table_end("Milestones", milestones) + 1):
        if _at(milestones, r, M.OVERDUE) is not None:
            team.overdue.append(
                tuple(
                    _at(milestones, r, c)
                    for c in (M.QUARTER, M.NAME, M.OWNER, M.END, M.PCT, M.STATUS)
                )
            )
    return team


def _candidates(folder: Path, out: Path) -> list[Path]:
    from csxl.batch import REPORT

    skip = {REPORT.casefold(), out.name.casefold()}
    return sorted(
        p
        for p in folder.glob("*.xlsx")
        # ~$ and .~: lock files of Excel/WPS and WPS on Linux; .~csxl-: csxl's temp files
        if p.name.casefold() not in skip and not p.name.startswith(("~$", ".~"))
    )


def consolidate(folder: str | Path, out: str | Path, lang: str = "zh") -> Summary:
    """Read every team workbook of `folder` and write the department summary to `out`."""
    from csxl.batch import read_manifest

    folder, out = Path(folder), Path(out)
    if not folder.is_dir():
        raise InputError("the folder does not exist.", Location(str(folder)))
    if out.suffix.lower() != ".xlsx":
        raise InputError("the summary is an .xlsx file.", Location(out.name))
    summary = Summary(out)
    files = _candidates(folder, out)
    for name in sorted({m.get("file", "") for m in read_manifest(folder).values()} - {""}):
        if not (folder / name).exists():
            summary.problems.append((name, _missing(lang)))
    for path in files:
        try:
            summary.teams.append(read_team(path))
        except InputError as exc:
            summary.problems.append((path.name, exc.message + (f" {exc.hint}" if exc.hint else "")))
        except Exception as exc:  # a damaged file must not stop the roll-up
            summary.problems.append((path.name, f"{type(exc).__name__}: {exc}"))
    if not summary.teams and not summary.problems:
        raise InputError("no .xlsx workbooks in the folder.", Location(str(folder)))
    from csxl.workbook.package import write_atomic

    write_atomic(out, summary_bytes(summary, lang))
    return summary


def _missing(lang: str) -> str:
    return (
        "工作簿缺失（批量生成记录中有，文件夹中没有）"
        if lang == "zh"
        else ("missing: listed by the batch but not in the folder")
    )


# ------------------------------------------------------------------ writing
TEXT = {
    "zh": {
        "overview": "概览",
        "kpis": "指标",
        "agents": "客服",
        "budget": "预算",
        "risks": "风险",
        "overdue": "逾期里程碑",
        "problems": "问题",
        "never": "未刷新",
        "total": "部门合计",
        "o_head": (
            "排名",
            "团队",
            "文件",
            "刷新月份",
            "加权得分",
            "等级",
            "客服数",
            "年度预算",
            "年累计计划",
            "年累计实际",
            "年累计差异",
            "未关闭风险",
            "逾期里程碑",
        ),
        "k_head": (
            "团队",
            "指标键",
            "指标",
            "权重",
            "保底",
            "冲刺",
            "挑战",
            "实际",
            "达成档位",
            "差异%",
            "得分",
        ),
        "a_head": ("团队", "客服", "小组", "加权得分", "等级", "奖金（元）"),
        "b_head": (
            "团队",
            "类别",
            "年度预算",
            "年累计计划",
            "年累计实际",
            "年累计差异",
            "年累计差异%",
            "标识",
        ),
        "r_head": (
            "团队",
            "编号",
            "风险",
            "类别",
            "可能性",
            "影响",
            "分值",
            "等级",
            "负责人",
            "状态",
        ),
        "m_head": ("团队", "季度", "里程碑", "负责人", "结束日期", "完成%", "状态"),
        "p_head": ("文件", "问题"),
    },
    "en": {
        "overview": "Overview",
        "kpis": "KPIs",
        "agents": "Agents",
        "budget": "Budget",
        "risks": "Risks",
        "overdue": "Overdue milestones",
        "problems": "Problems",
        "never": "never refreshed",
        "total": "Department total",
        "o_head": (
            "Rank",
            "Team",
            "File",
            "Refreshed month",
            "Weighted score",
            "Grade",
            "Agents",
            "Year budget",
            "YTD plan",
            "YTD actual",
            "YTD variance",
            "Open risks",
            "Overdue milestones",
        ),
        "k_head": (
            "Team",
            "Key",
            "KPI",
            "Weight",
            "Baseline",
            "Stretch",
            "Challenge",
            "Actual",
            "Tier",
            "Variance %",
            "Points",
        ),
        "a_head": ("Team", "Agent", "Group", "Weighted score", "Grade", "Bonus (CNY)"),
        "b_head": (
            "Team",
            "Category",
            "Year budget",
            "YTD plan",
            "YTD actual",
            "YTD variance",
            "YTD variance %",
            "Flag",
        ),
        "r_head": (
            "Team",
            "ID",
            "Risk",
            "Category",
            "Likelihood",
            "Impact",
            "Score",
            "Level",
            "Owner",
            "Status",
        ),
        "m_head": ("Team", "Quarter", "Milestone", "Owner", "End", "% complete", "Status"),
        "p_head": ("File", "Problem"),
    },
}


def _open(risk: tuple[object, ...]) -> bool:
    from csxl.domain.plan import CLOSED_STATUSES

    return str(risk[-1] or "").casefold() not in CLOSED_STATUSES


def _sum(values) -> float:
    return sum(float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool))


def summary_bytes(summary: Summary, lang: str) -> bytes:
    """The summary workbook (openpyxl: a new, small file)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    t = TEXT[lang]
    wb = Workbook()
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F3A5F")

    def sheet(title: str, head: tuple[str, ...], rows, first: bool = False, width: int = 14):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(list(head))
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text from a team file is never a formula
        for i in range(1, len(head) + 1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = width
        ws.freeze_panes = "A2"
        return ws

    overview = []
    for rank, tb in summary.ranking:
        total = tb.budget_total or (None,) * 7
        overview.append(
            (
                rank,
                tb.team,
                tb.file,
                tb.month or t["never"],
                tb.score,
                tb.grade,
                len(tb.agents),
                total[1],
                total[2],
                total[3],
                total[4],
                sum(1 for r in tb.risks if _open(r)),
                len(tb.overdue),
            )
        )
    sheet(t["overview"], t["o_head"], overview, first=True)
    kpis = [
        (tb.team, *(k[f] for f in ("key", "label", "weight", "baseline", "stretch", "challenge")))
        + (
            (k["actual"], k["tier"], k["variance_pct"], k["points"])
            if tb.refreshed
            else (t["never"], None, None, None)
        )
        for tb in summary.teams
        for k in tb.kpis
    ]
    sheet(t["kpis"], t["k_head"], kpis)
    agents = [(tb.team, *a) for tb in summary.teams for a in tb.agents]
    sheet(t["agents"], t["a_head"], agents)
    budget = [(tb.team, *line) for tb in summary.teams for line in tb.budget]
    totals = [tb.budget_total for tb in summary.teams if tb.budget_total]
    plan_ytd, actual_ytd = _sum(x[2] for x in totals), _sum(x[3] for x in totals)
    budget.append(
        (
            t["total"],
            "",
            _sum(x[1] for x in totals),
            plan_ytd,
            actual_ytd,
            actual_ytd - plan_ytd,
            (actual_ytd - plan_ytd) / plan_ytd if plan_ytd else None,
            None,
        )
    )
    ws = sheet(t["budget"], t["b_head"], budget)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    risks = sorted(
        ((tb.team, *r) for tb in summary.teams for r in tb.risks if _open(r)),
        key=lambda x: (-(_number(x[6]) or 0.0), str(x[0]), str(x[1])),
    )[:TOP_RISKS]
    sheet(t["risks"], t["r_head"], risks)
    overdue = [(tb.team, *m) for tb in summary.teams for m in tb.overdue]
    sheet(t["overdue"], t["m_head"], overdue)
    sheet(t["problems"], t["p_head"], summary.problems, width=60)
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float) and "%" in str(ws.cell(1, cell.column).value):
                    cell.number_format = "0.0%"
    wb.properties.creator = "csxl"
    raw = io.BytesIO()
    wb.save(raw)
    return raw.getvalue()
