"""`csxl consolidate`: the team plans of a folder rolled up into one department summary.

Each workbook is read read-only with python-calamine, by the addresses in
`csxl.workbook.layout`, relying on the cached values csxl writes with every formula (Excel,
LibreOffice and WPS keep them when they save). Nothing is recalculated and no team file is
changed. A team never refreshed is shown as such; a workbook that is missing (named in the
batch's csxl-batch.json but gone), malformed (not a csxl plan, damaged, rows moved) or of an
older template version is listed on the Problems sheet and does not stop the others.
"""

from __future__ import annotations

from pathlib import Path

from csxl.errors import InputError, Location, language, t
from csxl.summary_book import Summary, TeamBook, sum_numbers, summary_bytes
from csxl.workbook import layout
from csxl.workbook.layout import Budget as B
from csxl.workbook.layout import Goals as G
from csxl.workbook.layout import Milestones as M
from csxl.workbook.layout import Risks as R
from csxl.workbook.layout import Scores as S
from csxl.workbook.layout import Settings as St

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


def _same_text(a: object, b: object) -> bool:
    return str(a or "").strip() == str(b or "").strip()


def _example_budget_line(rows: Rows, r: int) -> bool:
    """A Budget row that is one of the template's example lines, with no actual booked."""
    from csxl.domain import plan

    if any(_at(rows, r, B.ACTUAL_FIRST + m) is not None for m in range(B.MONTHS)):
        return False
    months = tuple(_number(_at(rows, r, B.PLAN_FIRST + m)) for m in range(B.MONTHS))
    return any(
        _same_text(_at(rows, r, B.CATEGORY), line.category)
        and months == tuple(float(v) for v in line.plan)
        for lang in ("zh", "en")
        for line in plan.default_budget(lang)  # type: ignore[arg-type]
    )


def _example_risk(rows: Rows, r: int) -> bool:
    """A Risks row as the template writes it (id, texts, ratings, owner, first status)."""
    from csxl.domain import plan

    for lang in ("zh", "en"):
        for risk in plan.DEFAULT_RISKS[lang]:
            if (
                _same_text(_at(rows, r, R.ID), risk.id)
                and _same_text(_at(rows, r, R.RISK), risk.risk)
                and _same_text(_at(rows, r, R.TRIGGER), risk.trigger)
                and _same_text(_at(rows, r, R.OWNER), risk.owner)
                and _same_text(_at(rows, r, R.STATUS), risk.status)
                and _number(_at(rows, r, R.LIKELIHOOD)) == risk.likelihood
                and _number(_at(rows, r, R.IMPACT)) == risk.impact
            ):
                return True
    return False


def _example_milestone(rows: Rows, r: int) -> bool:
    """A Milestones row of the template's examples, never started (0% or blank)."""
    from csxl.domain import plan

    if _number(_at(rows, r, M.PCT)) not in (None, 0.0):
        return False
    return any(
        _same_text(_at(rows, r, M.NAME), m.milestone)
        and _same_text(_at(rows, r, M.DELIVERABLE), m.deliverable)
        and _same_text(_at(rows, r, M.OWNER), m.owner)
        for lang in ("zh", "en")
        for m in plan.DEFAULT_MILESTONES[lang]
    )


def _total(lines: list[tuple[object, ...]], label: object) -> tuple[object, ...]:
    """The Budget total of the team's own lines (the sheet's total row counts the examples)."""
    year, ytd_plan = sum_numbers(x[1] for x in lines), sum_numbers(x[2] for x in lines)
    booked = [x[3] for x in lines if _number(x[3]) is not None]
    if not booked:
        return (label, year, ytd_plan, None, None, None, None)
    actual = sum_numbers(booked)
    return (
        label,
        year,
        ytd_plan,
        actual,
        actual - ytd_plan,
        (actual - ytd_plan) / ytd_plan if ytd_plan else None,
        None,
    )


def read_team(path: Path) -> TeamBook:
    """One team workbook; InputError when it is not a csxl plan of this template version."""
    from python_calamine import CalamineWorkbook

    from csxl.workbook.port import Titles

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InputError(
            t(f"无法作为工作簿读取（{exc}）。", f"cannot be read as a workbook ({exc})."),
            Location(path.name),
        ) from None
    titles = Titles.of_file(path)  # a renamed sheet is found by its anchor
    lang = titles.lang

    def rows(key: str) -> Rows:
        title = titles.title(key)
        if title not in book.sheet_names:
            raise InputError(
                t(f"缺少“{title}”工作表。", f"the {title} sheet is missing."), Location(path.name)
            )
        from csxl.readers.limits import check_sheet

        check_sheet(path, title, Location(path.name, title))  # a stray far cell
        return book.get_sheet_by_name(title).to_python(skip_empty_area=False)

    settings = rows("Settings")
    version = _at(settings, St.ROW_VERSION, St.VALUE_COL)
    if str(version) != layout.TEMPLATE_VERSION:
        raise InputError(
            t(
                f"模板版本是 {version!r}，不是 {layout.TEMPLATE_VERSION}。",
                f"template version {version!r}, not {layout.TEMPLATE_VERSION}.",
            ),
            Location(path.name, layout.title("Settings", lang), St.ROW_VERSION, "B"),
            t("请先对它运行 csxl upgrade。", "Run `csxl upgrade` on it."),
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
                t(
                    "“目标”表有一行指标是空的：表中的行被移动或删除了。",
                    "a KPI row of Goals is empty: the sheet's rows were moved or deleted.",
                ),
                Location(path.name, layout.title("Goals", lang), r, "A"),
            )
        team.kpis.append(
            {
                "key": key,
                "label": _at(goals, r, G.LABEL),
                "direction": _at(goals, r, G.DIRECTION),
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
    examples = 0
    for r in range(B.FIRST_ROW, table_end("Budget", budget) + 1):
        if _at(budget, r, B.CATEGORY) is None:
            continue
        if _example_budget_line(budget, r):
            examples += 1  # the template's example line: not the team's budget
        else:
            team.budget.append(tuple(_at(budget, r, c) for c in columns))
    if examples == 0:
        team.budget_total = tuple(_at(budget, budget_total_row(budget), c) for c in columns)
    elif team.budget:
        team.budget_total = _total(team.budget, _at(budget, budget_total_row(budget), B.CATEGORY))
    else:
        team.budget_example = True
    risks = rows("Risks")
    examples = 0
    for r in range(R.FIRST_ROW, table_end("Risks", risks) + 1):
        if _at(risks, r, R.RISK) is None:
            continue
        if _example_risk(risks, r):
            examples += 1
        else:
            team.risks.append(tuple(_at(risks, r, c) for c in RISK_COLUMNS))
    team.risks_example = examples > 0 and not team.risks
    milestones = rows("Milestones")
    examples = real = 0
    for r in range(M.FIRST_ROW, table_end("Milestones", milestones) + 1):
        if _at(milestones, r, M.NAME) is None:
            continue
        if _example_milestone(milestones, r):
            examples += 1  # the template's example, 0% done: "overdue" would be noise
            continue
        real += 1
        if _at(milestones, r, M.OVERDUE) is not None:
            team.overdue.append(
                tuple(
                    _at(milestones, r, c)
                    for c in (M.QUARTER, M.NAME, M.OWNER, M.END, M.PCT, M.STATUS)
                )
            )
    team.milestones_example = examples > 0 and real == 0
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
    with language(lang):
        return _consolidate(Path(folder), Path(out), lang)


def _consolidate(folder: Path, out: Path, lang: str) -> Summary:
    from csxl.batch import read_manifest

    if not folder.is_dir():
        raise InputError(t("文件夹不存在。", "the folder does not exist."), Location(str(folder)))
    if out.suffix.lower() != ".xlsx":
        raise InputError(
            t("汇总表是 .xlsx 文件。", "the summary is an .xlsx file."), Location(out.name)
        )
    summary = Summary(out)
    files = _candidates(folder, out)
    for name in sorted({m.get("file", "") for m in read_manifest(folder).values()} - {""}):
        if not (folder / name).exists():
            summary.problems.append((name, _missing(lang)))
    for path in files:
        try:
            summary.teams.append(read_team(path))
        except InputError as exc:
            hint = t(exc.hint, f" {exc.hint}") if exc.hint else ""
            summary.problems.append((path.name, exc.message + hint))
        except Exception as exc:  # a damaged file must not stop the roll-up
            summary.problems.append((path.name, f"{type(exc).__name__}: {exc}"))
    if not summary.teams and not summary.problems:
        raise InputError(
            t("文件夹中没有 .xlsx 工作簿。", "no .xlsx workbooks in the folder."),
            Location(str(folder)),
        )
    from csxl.workbook.package import write_atomic

    write_atomic(out, summary_bytes(summary, lang))
    return summary


def _missing(lang: str) -> str:
    return t(
        "工作簿缺失（批量生成记录中有，文件夹中没有）",
        "missing: listed by the batch but not in the folder",
    )
