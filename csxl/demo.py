"""`csxl demo`: a refreshed plan workbook for a demo team, from generated ticket data.

The demo writes a realistic export (title rows, a few dirty values and unusable rows, as
managers' exports have), makes a plan for one team, pastes that team's tickets into the
plan's Data sheet, refreshes it, and prints the team's scores.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from csxl.errors import language, t

DEMO_MONTH = "2026-10"  # National Day and its make-up working day exercise the calendar
DEMO_TICKETS = 3000
DEMO_TEAM = "售后一组"
# Each demo team's active customers a month (Settings): the demo plan's and, through the
# demo roster, every batch plan's, so that 售后一组 scores alike in both workbooks.
DEMO_ACTIVE_CUSTOMERS = 20_000
EXPORT = "demo_tickets.xlsx"
PLAN = {"zh": "演示计划.xlsx", "en": "demo_plan.xlsx"}


def run_demo(out: str | Path, lang: str = "zh") -> Path:
    """The demo in `lang`: its workbooks and what it prints."""
    with language(lang):
        return _run_demo(Path(out), lang)


def _run_demo(folder: Path, lang: str) -> Path:
    from csxl import console
    from csxl import refresh as engine
    from csxl.demo_data import generate_tickets, write_xlsx
    from csxl.domain.columns import ORDERS
    from csxl.domain.plan import default_milestones
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import build
    from csxl.workbook.data_sheet import paste
    from csxl.workbook.package import write_atomic
    from csxl.workbook.port import PackageBook

    folder.mkdir(parents=True, exist_ok=True)
    frame = generate_tickets(DEMO_TICKETS, month=DEMO_MONTH, dirty=True)
    title = t("客服工单明细导出（演示数据）", "Ticket export (demo data)")
    write_xlsx(frame, folder / EXPORT, title=title)

    plan = folder / PLAN[lang]
    year, month = (int(x) for x in DEMO_MONTH.split("-"))
    progress = (1.0, 1.0, 0.8, 0.15)  # where a team stands at the end of October
    milestones = [
        replace(m, pct_complete=pct)
        for m, pct in zip(default_milestones(year, lang), progress, strict=True)
    ]
    inputs = PlanInputs(
        lang=lang,
        team=DEMO_TEAM,
        year=year,
        as_of=date(year, month, 31),
        active_customers=DEMO_ACTIVE_CUSTOMERS,
        milestones=milestones,
        team_inputs=demo_team(lang),
    )
    write_atomic(plan, build(inputs))  # the demo plan is regenerated on every run
    team = frame[frame["团队"] == DEMO_TEAM]
    book = PackageBook(plan)
    paste(book, team)
    paste(book, demo_orders(team), ORDERS)
    book.commit()
    outcome = engine.refresh(PackageBook(plan), DEMO_MONTH, now=datetime(year, month + 1, 1, 8))
    console.print_outcome(outcome, lang)
    done = t("演示计划已生成：", "Demo plan written to: ")
    console.out.print(f"\n{done}[bold]{plan}[/]", highlight=False)
    console.out.print(
        t("原始导出：", "The raw export: ") + f"{folder / EXPORT}"
        f"{t('（', ' (')}csxl kpi {folder / EXPORT} --by team{t('）', ')')}",
        highlight=False,
    )
    _demo_department(folder, lang, year)
    return plan


def demo_orders(team):
    """A Taobao-style order export for the team's customers (13 months to the demo month,
    with a few unusable rows), its payment time as the order time."""
    from csxl.demo_orders import generate_orders

    orders = generate_orders(team["客户ID"].dropna(), month=DEMO_MONTH, dirty=True)
    return orders.drop(columns=["订单创建时间"])


def demo_team(lang: str):
    """The Team sheet of the demo team: the demo roster's agents and hire dates, a level by
    tenure, training hours (12 planned a quarter) and weekly trainings, and the knowledge
    base's first three quarters."""
    import numpy as np

    from csxl.demo_data import agent_roster
    from csxl.domain.people import LEVELS, Member, TeamInputs

    roster = agent_roster(month=DEMO_MONTH)
    roster = roster[roster["团队"] == DEMO_TEAM]
    rng = np.random.default_rng(2026)
    end = date(*(int(x) for x in DEMO_MONTH.split("-")), 1)
    members = []
    for _, row in roster.iterrows():
        hired = row["入职日期"].date()
        years = (end - hired).days / 365.25
        level = LEVELS[lang][0 if years < 1 else 1 if years < 3 else 2]
        start_q = 0 if hired.year < end.year else (hired.month - 1) // 3
        planned = tuple(12.0 if q >= start_q else None for q in range(4))
        done = tuple(
            None if p is None or q == 3 else float(rng.integers(8, 13))
            for q, p in enumerate(planned)
        )
        weeks = 43 if hired.year < end.year else max(1, (end - hired).days // 7)
        members.append(
            Member(
                row["客服"],
                row["小组"],
                level,
                hired,
                planned,
                done,
                float(weeks),
                float(weeks - rng.integers(0, 5)) if weeks > 4 else float(weeks),
            )
        )
    kb = ((0.86, 0.24), (0.9, 0.18), (0.92, 0.21), (None, None))
    return TeamInputs(tuple(members), kb=kb)


ROSTER = {"zh": "演示花名册.xlsx", "en": "demo_roster.xlsx"}
SUMMARY = {"zh": "部门汇总.xlsx", "en": "department_summary.xlsx"}
TEAMS_DIR = "teams"


def _demo_department(folder: Path, lang: str, year: int) -> None:
    """The demo roster, one refreshed plan per team (`csxl batch`) and their roll-up
    (`csxl consolidate`), as a department head runs them."""
    from csxl import console
    from csxl.batch import run_batch
    from csxl.consolidate import consolidate
    from csxl.demo_data import agent_roster
    from csxl.roster import demo_roster_rows, template_bytes
    from csxl.workbook.package import write_atomic

    roster = folder / ROSTER[lang]
    agents = agent_roster(month=DEMO_MONTH)
    customers = dict.fromkeys(agents["团队"], DEMO_ACTIVE_CUSTOMERS)
    write_atomic(roster, template_bytes(lang, demo_roster_rows(agents, customers)))
    result = run_batch(roster, folder / TEAMS_DIR, data=folder / EXPORT, lang=lang, year=year)
    console.print_batch(result)
    summary = consolidate(folder / TEAMS_DIR, folder / SUMMARY[lang], lang)
    console.print_consolidation(summary, lang)
