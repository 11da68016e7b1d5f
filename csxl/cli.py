"""The `csxl` command line: parse arguments, call a library function, print.

Heavy libraries (pandas, openpyxl, fastexcel) are imported inside the commands so that
`csxl --help` and `csxl --version` start fast.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

import click

from csxl import __version__, open_plan
from csxl.errors import EXIT_OK, EXIT_REFUSED, EXIT_WARNINGS, LANGUAGE, CsxlError, printable

LANGS = click.Choice(["zh", "en"])
RESULT_FILE = click.option(
    "--result-file",
    type=click.Path(dir_okay=False),
    help="Also write what happened to this file as UTF-8 text (the ribbon buttons show it).",
)


class Command(click.Command):
    """Turns every error into one line on stderr and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        token = LANGUAGE.set(ctx.params.get("lang") or "zh")
        try:
            return super().invoke(ctx)
        except CsxlError as exc:
            click.echo(f"csxl: {printable(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("csxl: interrupted.", err=True)
            ctx.exit(130)
        except OSError as exc:  # disk full, no permission, a file held by another program
            name = os.path.basename(exc.filename) if exc.filename else None
            what = exc.strerror or str(exc)
            click.echo(
                f"csxl: {printable(name + ': ' if name else '')}{printable(what)}; nothing was "
                "changed (a file being saved is replaced only when it is complete).",
                err=True,
            )
            ctx.exit(EXIT_REFUSED)
        except Exception as exc:
            if os.environ.get("CSXL_DEBUG"):
                raise
            click.echo(
                f"csxl: internal error: {type(exc).__name__}: {printable(str(exc))} "
                "(set CSXL_DEBUG=1 for details, and please report it).",
                err=True,
            )
            ctx.exit(EXIT_REFUSED)
        finally:
            LANGUAGE.reset(token)


class Group(click.Group):
    command_class = Command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """With --result-file (the ribbon buttons pass it), everything the run tells a person,
        usage errors included, is also written to that file as UTF-8 text."""
        target = _result_file_arg(sys.argv[1:] if args is None else list(args))
        if target is None:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        with _ResultFile(target):
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)


class _Tee:
    """A text stream that keeps a copy of what is written (and passes it on, if it can)."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, stream, copy: list[str]) -> None:
        self._stream = stream
        self._copy = copy

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click probes with b"" for a binary stream
            raise TypeError("a text stream")
        self._copy.append(text)
        if self._stream is not None:  # None in a windowed executable
            with contextlib.suppress(Exception):
                self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(Exception):
                self._stream.flush()

    def isatty(self) -> bool:  # plain text: no colours or boxes to decode in a message box
        return False

    def writable(self) -> bool:
        return True


class _ResultFile:
    """Collects what a run tells a person and writes it to the result file at the end.

    The file is UTF-8 with CRLF line ends (the add-in reads it with ADODB.Stream): a header
    of `exit=CODE` and `made=PATH` (what the command wrote or changed, empty when nothing),
    a blank line, then the message: the summary a command set with `_summary`, else
    everything it printed (the error line included). The add-in takes the exit code from
    the header where it cannot wait for the process (Mac), and opens `made` for the
    buttons that make a workbook."""

    active: _ResultFile | None = None
    _ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

    def __init__(self, path: str) -> None:
        self.path = path
        self.summary: str | None = None
        self.made: str = ""
        self._copy: list[str] = []

    def __enter__(self) -> _ResultFile:
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout = _Tee(sys.stdout, self._copy)
        sys.stderr = _Tee(sys.stderr, self._copy)
        _ResultFile.active = self
        return self

    def __exit__(self, kind, exc, tb) -> None:
        sys.stdout, sys.stderr = self._saved
        _ResultFile.active = None
        text = self.summary if self.summary is not None else "".join(self._copy)
        text = self._ANSI.sub("", text).strip()
        made = self.made.replace("\r", " ").replace("\n", " ")
        with (
            contextlib.suppress(OSError),
            open(self.path, "w", encoding="utf-8", newline="\r\n") as f,
        ):
            f.write(f"exit={_exit_code(exc)}\nmade={made}\n\n{text}\n")


def _exit_code(exc: BaseException | None) -> int:
    """The process's exit code for what ended click's main (SystemExit in standalone mode)."""
    if exc is None:
        return EXIT_OK
    if isinstance(exc, SystemExit):
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_REFUSED
    if isinstance(exc, KeyboardInterrupt):
        return 130
    return EXIT_REFUSED


def _summary(text: str) -> None:
    """The message the ribbon shows for this run (when --result-file was given)."""
    if _ResultFile.active is not None:
        _ResultFile.active.summary = text


def _made(path: object) -> None:
    """The file or folder this run wrote or changed, for the result file's `made=` line."""
    if _ResultFile.active is not None and path:
        _ResultFile.active.made = str(path)


def _result_file_arg(args: list[str]) -> str | None:
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        if arg == "--result-file" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--result-file="):
            return arg.split("=", 1)[1]
    return None


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
@click.option(
    "--orders",
    type=click.Path(dir_okay=False),
    help="An orders export (customer, order time, amount) for the customer KPIs "
    "(default: the Orders sheet of a plan workbook given as DATA).",
)
@click.option(
    "--calls",
    type=click.Path(dir_okay=False),
    help="Call records (one row per inbound call: start time, answered ...) for the "
    'call-centre KPIs: a "calls" object in the JSON (a plan workbook: its Call records '
    "sheet and the thresholds on its Calls sheet).",
)
@click.option(
    "--as-of",
    "as_of",
    help="As-of date of the high-value segment, YYYY-MM-DD (default: the last order or "
    "ticket date up to the period's end).",
)
@click.option(
    "--frt-target",
    "frt_target",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="首响达标率的时限（秒，>0；默认 30，DATA 为计划时取其“设置”表）。"
    "First-response limit of frt_sla in seconds (> 0; default 30, or a plan's Settings).",
)
@click.option(
    "--rt-target",
    "rt_target",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="解决时效达标率的时限（秒，>0；默认 300，DATA 为计划时取其“设置”表）。"
    "Resolution limit of rt_sla in seconds (> 0; default 300, or a plan's Settings).",
)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def kpi(
    data,
    by,
    month,
    date_from,
    date_to,
    as_json,
    mapping,
    active_customers,
    orders,
    calls,
    as_of,
    frt_target,
    rt_target,
    lang,
) -> None:
    """Compute the KPIs of a ticket export (xlsx, xlsm or csv)."""
    from csxl.domain.catalog import GROUPINGS
    from csxl.kpi_report import Period, kpi_document, parse_day

    groupings = tuple(b.strip() for b in by.split(",") if b.strip())
    wrong = [b for b in groupings if b not in GROUPINGS]
    if wrong or not groupings:
        raise click.BadParameter(f"use a comma list of {', '.join(GROUPINGS)}", param_hint="--by")
    period = Period.parse(month, date_from, date_to)
    settings = None
    if as_of is not None:
        from csxl.domain.customers import CustomerSettings

        settings = CustomerSettings(as_of=parse_day(as_of, "--as-of"))
    order_set = None
    from csxl.kpi_report import load_orders, plan_orders, thresholds

    limits = thresholds(data, frt_target, rt_target)
    if orders is not None:
        order_set = load_orders(orders, mapping)
    elif plan_orders(data):  # a plan workbook: its Orders sheet
        order_set = load_orders(data, mapping)
    from csxl.kpi_report import plan_team

    doc, tickets, warnings = kpi_document(
        data,
        groupings,
        period,
        mapping,
        active_customers,
        orders=order_set,
        customer_settings=settings,
        limits=limits,
        team=plan_team(data),  # a team plan: its team's tickets, as refresh counts them
        lang=lang,
    )
    call_set = None
    if calls is not None:
        from csxl.kpi_report import call_document, load_calls, plan_call_settings

        call_set = load_calls(calls, mapping)
        doc["calls"] = call_document(call_set, groupings, period, plan_call_settings(calls))
    from csxl import console

    for line in warnings:
        console.warn(line)
    if as_json:
        import json

        click.echo(json.dumps(doc, ensure_ascii=False, allow_nan=False))
    else:
        console.print_kpis(doc, lang, limits)
    console.print_problems(tickets, lang)
    if order_set is not None:
        console.print_problems(order_set, lang, dups="order_dups")
    if call_set is not None:
        console.print_problems(call_set, lang, dups="call_dups")
    rejected = tickets.rejected or (order_set is not None and order_set.rejected)
    rejected = rejected or (call_set is not None and call_set.rejected)
    sys.exit(EXIT_WARNINGS if rejected else EXIT_OK)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--team", default="", help="The team the plan is for.")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--year", type=click.IntRange(2000, 2100), help="Plan year (default: this year).")
@RESULT_FILE
def new(path, team, lang, year, result_file) -> None:
    """Write a new plan workbook (never overwrites a file)."""
    from datetime import date

    from csxl import console
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan
    from csxl.workbook.sheets.holidays import uncovered_warning

    inputs = PlanInputs(lang=lang, team=team, year=year or date.today().year)
    written = new_plan(path, inputs)
    _made(written)
    click.echo(("已生成计划工作簿：" if lang == "zh" else "Plan workbook written: ") + str(written))
    calendar = uncovered_warning(inputs.year, lang)
    if calendar:  # the plan is made all the same (exit 0: the ribbon opens it)
        console.warn(calendar)


def _report(outcome, lang: str, workbook: str) -> None:
    from csxl import console

    _made(workbook)
    console.print_outcome(outcome, lang)
    _summary(_outcome_text(outcome, lang))
    sys.exit(EXIT_WARNINGS if outcome.problems else EXIT_OK)


SUMMARY_AGENTS = 15  # agents listed in the ribbon's message box


def _outcome_text(outcome, lang: str) -> str:
    """What refresh/score/validate did, as plain lines for a message box."""
    from csxl.console import OUTCOME, TEXT

    t = OUTCOME[lang]
    head = t["done"].format(book=outcome.workbook)
    if outcome.month:
        head += "  " + t["month"].format(month=outcome.month)
    lines = [head]
    if outcome.rows:
        lines.append(TEXT[lang]["rows"].format(**outcome.rows))
    if outcome.problems:
        lines.append(t["problems"].format(n=outcome.problems))
    lines += [f"! {w}" for w in outcome.warnings[:5]]
    lines += list(getattr(outcome, "notes", ()))
    if outcome.scores:
        lines += ["", t["agents"].format(n=outcome.agents)]
        lines.append("  ".join(t[k] for k in ("agent", "score", "grade", "bonus")))
        for agent, score, grade, bonus in outcome.scores[:SUMMARY_AGENTS]:
            shown_score = "—" if score in (None, "") else f"{score:.2f}"
            shown_bonus = "—" if bonus in (None, "") else f"{bonus:,.0f}"
            lines.append(f"{agent}  {shown_score}  {grade or '—'}  {shown_bonus}")
        if len(outcome.scores) > SUMMARY_AGENTS:
            lines.append("…")
    return "\n".join(lines)


LIVE = click.option(
    "--live", is_flag=True, help="Work on the workbook open in Excel (what the ribbon buttons use)."
)
WORKBOOK = click.argument("workbook", type=click.Path(dir_okay=False))


@main.command()
@WORKBOOK
@click.option("--month", help="The month to refresh (YYYY-MM; default: the latest in the data).")
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def refresh(workbook, month, live, lang, result_file) -> None:
    """Refresh KPIs, scores, errors and history from the pasted data."""
    from csxl.kpi_report import Period

    if month:
        Period.parse(month, None, None)  # refuse a bad month before touching anything
    if not live:
        from csxl.workbook.port import prefetch_data

        prefetch_data(workbook)
    _report(open_plan(workbook, live=live).refresh(month), lang, workbook)


@main.command()
@WORKBOOK
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def validate(workbook, live, lang, result_file) -> None:
    """Check the pasted data; list every rejected row on the Errors sheet."""
    if not live:
        from csxl.workbook.port import prefetch_data

        prefetch_data(workbook)
    _report(open_plan(workbook, live=live).validate(), lang, workbook)


@main.command()
@WORKBOOK
@click.option("--month", help="Accepted for symmetry; Scores always shows its refreshed month.")
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def score(workbook, month, live, lang, result_file) -> None:
    """Re-score agents after targets or rules changed, without re-reading the data."""
    _report(open_plan(workbook, live=live).score(), lang, workbook)


@main.command("import")
@WORKBOOK
@click.argument("export", type=click.Path(dir_okay=False))
@click.option("--source", required=True, help="The export's data source, e.g. 千牛, 电话, 在线.")
@click.option("--replace", is_flag=True, help="Take out this source's rows first (else append).")
@click.option("--sheet", help="The export's sheet (default: the one with the ticket header).")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def import_(workbook, export, source, replace, sheet, lang, result_file) -> None:
    """Put an export into the plan's Data sheet as one data source."""
    from csxl import console
    from csxl.data_import import import_export
    from csxl.workbook.port import PackageBook

    book = PackageBook(workbook, ribbon=False)  # no --live here: no advice to use the ribbon
    report = import_export(book, export, source, replace, sheet)
    text = console.import_text(report, lang)
    click.echo(text)
    _made(workbook)
    _summary(text)
    sys.exit(EXIT_WARNINGS if report.rejected else EXIT_OK)


@main.command()
@click.option("--out", type=click.Path(file_okay=False), default="csxl-demo", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def demo(out, lang) -> None:
    """Write demo ticket data and print its KPIs."""
    from csxl.demo import run_demo

    run_demo(out, lang)


@main.command()
@WORKBOOK
@click.option("--to", "to_version", help="The template version to move to (default: current).")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def upgrade(workbook, to_version, lang) -> None:
    """Move a plan made by an older template into the current one, keeping every input."""
    from csxl import console
    from csxl.upgrade import upgrade as run

    report = run(workbook, to_version)
    console.print_upgrade(report, lang)
    sys.exit(EXIT_WARNINGS if report.left else EXIT_OK)


@main.command("export-agent-sheets")
@WORKBOOK
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder to write.")
@click.option("--pdf", is_flag=True, help="Also make PDFs (needs LibreOffice).")
@click.option("--mask", is_flag=True, help="Star customer ids and phone numbers (PIPL).")
def export_agent_sheets(workbook, out, pdf, mask) -> None:
    """One 考核表 per agent of a refreshed plan, each with only that agent's figures."""
    from csxl import console
    from csxl.agent_sheets import export_agent_sheets as run

    result = run(workbook, out, pdf=pdf, mask=mask)
    for line in result.warnings:
        console.warn(line)
    head = "已写出" if result.lang == "zh" else "Written"
    click.echo(f"{head}: {len(result.files)} xlsx, {len(result.pdfs)} pdf -> {result.folder}")
    sys.exit(EXIT_WARNINGS if result.warnings else EXIT_OK)


@main.command("build-addin")
@click.option("--out", type=click.Path(file_okay=False), default="workbooks", show_default=True)
def build_addin(out) -> None:
    """Build the Excel add-in csxl.xlam (and its csxl.xlsm test twin) from macros/."""
    from csxl.excel.addin import build_addin as build

    for path in build(out):
        click.echo(str(path))


@main.command()
@click.option(
    "--addin",
    "addin_file",
    type=click.Path(dir_okay=False),
    help="The add-in file to check (the Check button passes the one Excel loaded).",
)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def doctor(addin_file, lang, result_file) -> None:
    """Say what csxl finds: versions, the program, xlwings, the add-in, macro trust."""
    from csxl.excel.addin import diagnose

    for line in diagnose(addin_file, lang):
        click.echo(line)


@main.command("roster-template")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def roster_template(path, lang) -> None:
    """Write a roster workbook: headers and two example rows (never overwrites)."""
    from csxl.roster import write_template

    written = write_template(path, lang)
    click.echo(
        ("已生成花名册模板：" if lang == "zh" else "Roster template written: ") + str(written)
    )


@main.command()
@click.argument("roster", type=click.Path(dir_okay=False))
@click.option(
    "--out", type=click.Path(file_okay=False), required=True, help="Folder for the plans."
)
@click.option("--data", type=click.Path(dir_okay=False), help="A ticket export to split by team.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes with --data.")
@click.option("--force", is_flag=True, help="Overwrite workbooks edited since (a backup is kept).")
@click.option("--year", type=click.IntRange(2000, 2100), help="Plan year (default: this year).")
@click.option("--lang", type=LANGS, help="Plan language (default: the roster's).")
@RESULT_FILE
def batch(roster, out, data, jobs, force, year, lang, result_file) -> None:
    """One plan workbook per team of a roster, and batch-report.xlsx."""
    from csxl import console
    from csxl.batch import run_batch

    with console.BatchProgress(lang or "zh") as progress:
        result = run_batch(
            roster,
            out,
            data=data,
            jobs=jobs,
            force=force,
            year=year,
            lang=lang,
            on_start=progress.start,
            on_done=progress.advance,
        )
    console.print_batch(result)
    _made(result.report or result.out)
    _summary(_batch_text(result))
    sys.exit(result.exit_code)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The summary .xlsx.")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def consolidate(folder, out, lang, result_file) -> None:
    """Roll the team plans of a folder up into a department summary."""
    from csxl import console
    from csxl.consolidate import consolidate as run

    summary = run(folder, out, lang)
    console.print_consolidation(summary, lang)
    _made(summary.path)
    _summary(_consolidation_text(summary, lang))
    sys.exit(EXIT_WARNINGS if summary.problems else EXIT_OK)


BATCH_TEXT = {
    "zh": {"head": "批量生成：{out}", "count": "{n} 个团队", "report": "报告：{path}"},
    "en": {"head": "Batch: {out}", "count": "{n} teams", "report": "Report: {path}"},
}
CONSOLIDATE_TEXT = {
    "zh": {"head": "汇总已写入：{path}", "teams": "{n} 个团队", "never": "未刷新"},
    "en": {"head": "Summary written to: {path}", "teams": "{n} teams", "never": "never refreshed"},
}


def _batch_text(result) -> str:
    """What `csxl batch` did, as plain lines for a message box (no table drawing)."""
    from csxl.batch import NEEDS_A_LOOK, STATUS_LABELS
    from csxl.console import shown

    t = BATCH_TEXT[result.lang]
    labels = STATUS_LABELS[result.lang]
    lines = [t["head"].format(out=result.out), t["count"].format(n=len(result.teams))]
    for r in result.teams[:SUMMARY_AGENTS]:
        mark = "! " if r.status in NEEDS_A_LOOK else ""
        note = f"  {shown(r.message)}" if r.message else ""
        lines.append(f"{mark}{shown(r.team)}  {labels[r.status]}{note}")
    if len(result.teams) > SUMMARY_AGENTS:
        lines.append("…")
    lines += [f"! {shown(w)}" for w in result.warnings[:5]]
    if result.report:
        lines.append(t["report"].format(path=result.report))
    return "\n".join(lines)


def _consolidation_text(summary, lang: str) -> str:
    """What `csxl consolidate` did, as plain lines for a message box."""
    from csxl.console import shown

    t = CONSOLIDATE_TEXT[lang]
    lines = [t["head"].format(path=summary.path), t["teams"].format(n=len(summary.teams))]
    for rank, tb in summary.ranking[:SUMMARY_AGENTS]:
        score = "—" if tb.score is None else f"{tb.score:.2f}"
        lines.append(
            f"{rank or '—'}  {shown(tb.team)}  {score}  {tb.grade or '—'}  {tb.month or t['never']}"
        )
    lines += [f"! {shown(file)}: {shown(problem)}" for file, problem in summary.problems[:10]]
    return "\n".join(lines)


STAFF_TEXT = {
    "zh": (
        "话务量 {traffic:.2f} Erl：需坐席 {agents} 人（未计损耗），排班 {scheduled} 人"
        "（损耗 {shrinkage:.0%}）\n服务水平 {sl:.1%}（{t:g} 秒内接起），平均应答 {asa:.1f} 秒，"
        "占用率 {occ:.1%}"
    ),
    "en": (
        "Traffic {traffic:.2f} Erl: {agents} agents needed (before shrinkage), {scheduled} "
        "scheduled ({shrinkage:.0%} shrinkage)\nService level {sl:.1%} within {t:g} s, "
        "ASA {asa:.1f} s, occupancy {occ:.1%}"
    ),
}


@main.command()
@click.argument("workbook", required=False, type=click.Path(dir_okay=False))
@click.option("--calls", type=click.FloatRange(min=0), help="Contacts arriving in one interval.")
@click.option(
    "--interval-min",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    help="Interval length in minutes.",
)
@click.option(
    "--aht", type=click.FloatRange(min=0, min_open=True), help="Average handle time, seconds."
)
@click.option(
    "--target-sl",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=0.8,
    show_default=True,
    help="Target service level as a fraction (0.8 = 80%).",
)
@click.option(
    "--target-s",
    type=click.FloatRange(min=0),
    default=20,
    show_default=True,
    help="Answered within this many seconds.",
)
@click.option(
    "--shrinkage",
    type=click.FloatRange(min=0, max=1, max_open=True),
    default=0,
    show_default=True,
    help="Share of paid time not on contacts (0.3 = 30%).",
)
@click.option(
    "--max-occupancy",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=1,
    show_default=True,
    help="Highest occupancy allowed (agents are added until it holds).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON to stdout.")
@LIVE
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@RESULT_FILE
def staff(
    workbook,
    calls,
    interval_min,
    aht,
    target_sl,
    target_s,
    shrinkage,
    max_occupancy,
    as_json,
    live,
    lang,
    result_file,
) -> None:
    """Erlang C staffing for one interval, or fill a plan's Staffing sheet (WORKBOOK)."""
    if workbook is not None:
        if calls is not None or aht is not None:
            raise click.UsageError(
                "give either WORKBOOK (its Staffing sheet holds the inputs) or --calls and --aht."
            )
        _report(open_plan(workbook, live=live).staff(), lang, workbook)
        return
    missing = [name for name, v in (("--calls", calls), ("--aht", aht)) if v is None]
    if missing:
        raise click.UsageError(f"missing {' and '.join(missing)} (or give a WORKBOOK).")
    from csxl.domain.staffing import required_agents

    result = required_agents(
        calls, interval_min, aht, target_sl, target_s, shrinkage, max_occupancy
    )
    if as_json:
        import json

        click.echo(json.dumps(result.to_dict(), allow_nan=False))
        return
    click.echo(
        STAFF_TEXT[lang].format(
            traffic=calls * aht / (interval_min * 60),
            agents=result.agents,
            scheduled=result.scheduled,
            shrinkage=shrinkage,
            sl=result.service_level,
            t=target_s,
            asa=result.asa_s,
            occ=result.occupancy,
        )
    )
