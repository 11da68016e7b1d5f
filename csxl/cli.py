"""The `csxl` command line: parse arguments, call a library function, print.

Heavy libraries (pandas, openpyxl, fastexcel) are imported inside the commands so that
`csxl --help` and `csxl --version` start fast.
"""

from __future__ import annotations

import os
import sys

import click

from csxl import __version__
from csxl.errors import EXIT_OK, EXIT_REFUSED, EXIT_WARNINGS, CsxlError

LANGS = click.Choice(["zh", "en"])


class Command(click.Command):
    """Turns every error into one line on stderr and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CsxlError as exc:
            click.echo(f"csxl: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("csxl: interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get("CSXL_DEBUG"):
                raise
            click.echo(
                f"csxl: internal error: {type(exc).__name__}: {exc} "
                "(set CSXL_DEBUG=1 for details, and please report it).",
                err=True,
            )
            ctx.exit(EXIT_REFUSED)


class Group(click.Group):
    command_class = Command


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csxl", message="%(prog)s %(version)s")
def main() -> None:
    """csxl: customer-service plans, KPIs and scoring in Excel."""


@main.command()
@click.argument("data", type=click.Path(dir_okay=False))
@click.option(
    "--by",
    default="all",
    show_default=True,
    help="Comma list of all, team, group, agent, channel, day.",
)
@click.option("--month", help="Only tickets created in this month (YYYY-MM).")
@click.option("--from", "date_from", help="First day, YYYY-MM-DD (included).")
@click.option("--to", "date_to", help="Last day, YYYY-MM-DD (included).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON document to stdout.")
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, exists=True),
    help="Extra header synonyms: a CSV/xlsx with 表头 and 字段 columns.",
)
@click.option(
    "--active-customers",
    type=click.FloatRange(min=0, min_open=True),
    help="Active customers in the period, for complaints per 10k.",
)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def kpi(data, by, month, date_from, date_to, as_json, mapping, active_customers, lang) -> None:
    """Compute the KPIs of a ticket export (xlsx, xlsm or csv)."""
    from csxl.domain.kpis import GROUPINGS
    from csxl.kpi_report import Period, kpi_document

    groupings = tuple(b.strip() for b in by.split(",") if b.strip())
    wrong = [b for b in groupings if b not in GROUPINGS]
    if wrong or not groupings:
        raise click.BadParameter(f"use a comma list of {', '.join(GROUPINGS)}", param_hint="--by")
    period = Period.parse(month, date_from, date_to)
    doc, tickets, warnings = kpi_document(data, groupings, period, mapping, active_customers)
    from csxl import console

    for line in warnings:
        console.warn(line)
    if as_json:
        import json

        click.echo(json.dumps(doc, ensure_ascii=False, allow_nan=False))
    else:
        console.print_kpis(doc, lang)
    console.print_problems(tickets, lang)
    sys.exit(EXIT_WARNINGS if tickets.rejected else EXIT_OK)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--team", default="", help="The team the plan is for.")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--year", type=click.IntRange(2000, 2100), help="Plan year (default: this year).")
def new(path, team, lang, year) -> None:
    """Write a new plan workbook (never overwrites a file)."""
    from datetime import date

    from csxl.workbook.book import PlanInputs, new_plan

    inputs = PlanInputs(lang=lang, team=team, year=year or date.today().year)
    written = new_plan(path, inputs)
    click.echo(("已生成计划工作簿：" if lang == "zh" else "Plan workbook written: ") + str(written))


def _book(workbook: str, live: bool):
    """The workbook as a Book: the file itself, or (with --live) the one open in Excel."""
    if live:
        from csxl.excel.live import LiveBook

        return LiveBook.attach(workbook)
    from csxl.workbook.port import PackageBook

    return PackageBook(workbook)


def _report(outcome, lang: str) -> None:
    from csxl import console

    console.print_outcome(outcome, lang)
    sys.exit(EXIT_WARNINGS if outcome.problems else EXIT_OK)


LIVE = click.option(
    "--live", is_flag=True, help="Work on the workbook open in Excel (what the ribbon buttons use)."
)
WORKBOOK = click.argument("workbook", type=click.Path(dir_okay=False))


@main.command()
@WORKBOOK
@click.option("--month", help="The month to refresh (YYYY-MM; default: the latest in the data).")
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def refresh(workbook, month, live, lang) -> None:
    """Refresh KPIs, scores, errors and history from the pasted data."""
    from csxl import refresh as engine
    from csxl.kpi_report import Period

    if month:
        Period.parse(month, None, None)  # refuse a bad month before touching anything
    _report(engine.refresh(_book(workbook, live), month), lang)


@main.command()
@WORKBOOK
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def validate(workbook, live, lang) -> None:
    """Check the pasted data; list every rejected row on the Errors sheet."""
    from csxl import refresh as engine

    _report(engine.validate(_book(workbook, live)), lang)


@main.command()
@WORKBOOK
@click.option("--month", help="Accepted for symmetry; Scores always shows its refreshed month.")
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def score(workbook, month, live, lang) -> None:
    """Re-score agents after targets or rules changed, without re-reading the data."""
    from csxl import refresh as engine

    _report(engine.score(_book(workbook, live)), lang)


@main.command()
@click.option("--out", type=click.Path(file_okay=False), default="csxl-demo", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def demo(out, lang) -> None:
    """Write demo ticket data and print its KPIs."""
    from csxl.demo import run_demo

    run_demo(out, lang)
