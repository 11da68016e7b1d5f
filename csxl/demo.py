"""`csxl demo`: generated ticket data for a six-team centre, and its KPIs.

Until the plan workbook exists, the demo writes a realistic export (title rows, a few dirty
values and unusable rows, as managers' exports have) and prints what `csxl kpi` makes of it.
"""

from __future__ import annotations

from pathlib import Path

DEMO_MONTH = "2026-10"  # National Day and its make-up working day exercise the calendar
DEMO_TICKETS = 3000
DEMO_FILE = "demo_tickets.xlsx"


def run_demo(out: str | Path, lang: str = "zh") -> Path:
    from csxl import console
    from csxl.demo_data import generate_tickets, write_xlsx
    from csxl.kpi_report import kpi_document

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_FILE
    frame = generate_tickets(DEMO_TICKETS, month=DEMO_MONTH, dirty=True)
    title = "客服工单明细导出（演示数据）" if lang == "zh" else "Ticket export (demo data)"
    write_xlsx(frame, path, title=title)
    doc, tickets, warnings = kpi_document(path, ("all", "team"))
    for line in warnings:
        console.warn(line)
    console.print_kpis(doc, lang)
    console.print_problems(tickets, lang)
    done = "演示数据已写入" if lang == "zh" else "Demo data written to"
    more = "试试" if lang == "zh" else "Try"
    console.out.print(f"\n{done} [bold]{path}[/]", highlight=False)
    console.out.print(f"{more}: csxl kpi {path} --by team,agent", highlight=False)
    return path
