"""The `csxl` command line: parse arguments, call a library function, print.

Heavy libraries (pandas, openpyxl, fastexcel) are imported inside the commands so that
`csxl --help` and `csxl --version` start fast.

One language per run (`errors.LANGUAGE`): `--lang` (on the command or before it, `csxl
--lang en kpi --help`), else the environment variable CSXL_LANG, else the language of the
plan workbook the command works on, else Chinese. Help texts carry both languages (`help=`
English, `zh=` Chinese), and so do click's own words (Usage, Options, its errors).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys

import click

from csxl import __version__, open_plan
from csxl.errors import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_WARNINGS,
    LANGUAGE,
    CsxlError,
    language,
    printable,
    t,
)

LANGS = click.Choice(["zh", "en"])
ENV_LANG = "CSXL_LANG"


def env_lang() -> str | None:
    """CSXL_LANG when it names a language csxl speaks."""
    value = os.environ.get(ENV_LANG, "").strip().lower()
    return value if value in ("zh", "en") else None


def _args_lang(args: list[str]) -> str | None:
    """A `--lang X` anywhere on the command line (before `--`): help and usage errors are
    printed before click has parsed it."""
    for i, arg in enumerate(args):
        if arg == "--":
            return None
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("zh", "en"):
            return value
    return None


# click's own words (usage line, section titles, its errors) in Chinese: click asks
# gettext for them at the moment it prints, so they follow the run's language.
CLICK_ZH = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing {param_type} {param_hint}.": "缺少{param_type} {param_hint}。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Possible options: {possibilities})": "（可用的选项：{possibilities}）",
    "(Did you mean one of: {possibilities}?)": "（是否要用其中之一：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Invalid value: {message}": "无效的值：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字（{number_type}）。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{name} {filename!r} does not exist.": "文件 {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，不是文件。",
    "{name} {filename!r} is not readable.": "文件 {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "文件 {filename!r} 无法写入。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已取消！",
}


def _click_gettext(message: str) -> str:
    return CLICK_ZH.get(message, message) if LANGUAGE.get() != "en" else message


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _click_gettext(singular if n == 1 else plural)


for _module in (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
    click.termui,
    click.utils,
):
    if hasattr(_module, "_"):
        _module._ = _click_gettext  # type: ignore[attr-defined]
    if hasattr(_module, "ngettext"):
        _module.ngettext = _click_ngettext  # type: ignore[attr-defined]


class _Bilingual:
    """A click object whose `help` is English (`help=`) or Chinese (`zh=`) by the run's
    language."""

    zh_help: str | None = None
    _help: str | None = None

    def get_help_option(self, ctx: click.Context):
        """click makes its --help option once, in the language of the first run: its text is
        set again for each."""
        found = super().get_help_option(ctx)  # type: ignore[misc]
        if found is not None:
            found.help = _click_gettext("Show this message and exit.")
        return found

    @property
    def help(self) -> str | None:
        if self.zh_help and LANGUAGE.get() != "en":
            return self.zh_help
        return self._help

    @help.setter
    def help(self, value: str | None) -> None:
        self._help = value


class Option(_Bilingual, click.Option):
    def __init__(self, *args, zh: str | None = None, **kwargs) -> None:
        self.zh_help = zh
        super().__init__(*args, **kwargs)


def option(*decls: str, zh: str | None = None, **attrs):
    """`click.option` with a Chinese help text beside the English one."""
    return click.option(*decls, cls=Option, zh=zh, **attrs)


RESULT_FILE = option(
    "--result-file",
    type=click.Path(dir_okay=False),
    help="Also write what happened to this file as UTF-8 text (the ribbon buttons show it).",
    zh="同时把运行结果以 UTF-8 文本写入此文件（功能区按钮显示它）。",
)
LANG = option(
    "--lang",
    type=LANGS,
    help="Language of messages (default: CSXL_LANG, else the plan's, else zh).",
    zh="消息的语言（默认：环境变量 CSXL_LANG，否则计划的语言，否则中文 zh）。",
)
# What the operating system says, in Chinese, for the errors a user meets (errno).
OS_ERRORS_ZH = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许此操作",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "只读的文件系统",
    errno.EEXIST: "文件已存在",
    errno.EISDIR: "这是文件夹",
    errno.ENOTDIR: "不是文件夹",
    errno.EBUSY: "文件正被占用",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EINVAL: "无效的参数",
}
# Commands whose argument is a plan workbook: a run without --lang speaks its language.
PLAN_ARGUMENTS = ("workbook", "data")


def _plan_lang(ctx: click.Context) -> str | None:
    for name in PLAN_ARGUMENTS:
        path = ctx.params.get(name)
        if path:
            from csxl.workbook.port import plan_language

            return plan_language(path)
    return None


class Command(_Bilingual, click.Command):
    """Turns every error into one line on stderr and its exit code, never a traceback."""

    def __init__(self, *args, zh: str | None = None, **kwargs) -> None:
        self.zh_help = zh
        super().__init__(*args, **kwargs)

    def run_lang(self, ctx: click.Context) -> str | None:
        """--lang, else the one before the command, else CSXL_LANG, else the plan's; None
        when none says (batch then speaks its roster's language)."""
        given = ctx.params.get("lang")
        if given is None and ctx.parent is not None:
            given = ctx.parent.params.get("lang")
        return given or env_lang() or _plan_lang(ctx)

    def invoke(self, ctx: click.Context):
        lang = self.run_lang(ctx)
        if "lang" in ctx.params and (lang is not None or self.name != "batch"):
            ctx.params["lang"] = lang or "zh"
        token = LANGUAGE.set(lang or "zh")
        try:
            return super().invoke(ctx)
        except CsxlError as exc:
            click.echo(f"csxl: {printable(str(exc))}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo(t("csxl：已中断。", "csxl: interrupted."), err=True)
            ctx.exit(130)
        except OSError as exc:  # disk full, no permission, a file held by another program
            name = os.path.basename(exc.filename) if exc.filename else None
            what = t(OS_ERRORS_ZH.get(exc.errno, ""), "") or exc.strerror or str(exc)
            click.echo(
                f"csxl: {printable(name + ': ' if name else '')}{printable(what)}"
                + t(
                    "；未做任何更改（正在保存的文件只在完整写好后才替换）。",
                    "; nothing was changed (a file being saved is replaced only when it is "
                    "complete).",
                ),
                err=True,
            )
            ctx.exit(EXIT_REFUSED)
        except Exception as exc:
            if os.environ.get("CSXL_DEBUG"):
                raise
            click.echo(
                t("csxl：内部错误：", "csxl: internal error: ")
                + f"{type(exc).__name__}: {printable(str(exc))} "
                + t(
                    "（设置 CSXL_DEBUG=1 可查看详情，请报告此问题）。",
                    "(set CSXL_DEBUG=1 for details, and please report it).",
                ),
                err=True,
            )
            ctx.exit(EXIT_REFUSED)
        finally:
            LANGUAGE.reset(token)


class Group(_Bilingual, click.Group):
    command_class = Command

    def __init__(self, *args, zh: str | None = None, **kwargs) -> None:
        self.zh_help = zh
        super().__init__(*args, **kwargs)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """With --result-file (the ribbon buttons pass it), everything the run tells a person,
        usage errors included, is also written to that file as UTF-8 text. Help and usage
        errors are in the language of `--lang`, else CSXL_LANG, else Chinese."""
        argv = sys.argv[1:] if args is None else list(args)
        target = _result_file_arg(argv)
        with language(_args_lang(argv) or env_lang() or "zh"):
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


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    zh="csxl：客服计划、指标与考核，在 Excel 中完成。\n\n"
    "消息与帮助默认为中文；英文用 --lang en（放在命令前后均可）或环境变量 CSXL_LANG=en。",
)
@click.version_option(
    __version__,
    prog_name="csxl",
    message="%(prog)s %(version)s",
    cls=Option,
    help="Show the version and exit.",
    zh="显示版本并退出。",
)
@LANG
def main(lang) -> None:
    """csxl: customer-service plans, KPIs and scoring in Excel.

    Messages and help are in Chinese by default; English with --lang en (before or after the
    command) or the environment variable CSXL_LANG=en."""


@main.command(zh="计算工单导出（xlsx、xlsm 或 csv）的指标。")
@click.argument("data", type=click.Path(dir_okay=False))
@option(
    "--by",
    default="all",
    show_default=True,
    help="Comma list of all, team, group, agent, channel, day.",
    zh="分组，逗号分隔：all（全部）、team（团队）、group（小组）、agent（客服）、"
    "channel（渠道）、day（日）。",
)
@option(
    "--month",
    help="Only tickets created in this month (YYYY-MM).",
    zh="只计该月创建的工单（YYYY-MM）。",
)
@option(
    "--from",
    "date_from",
    help="First day, YYYY-MM-DD (included).",
    zh="起始日，YYYY-MM-DD（含）。",
)
@option("--to", "date_to", help="Last day, YYYY-MM-DD (included).", zh="截止日，YYYY-MM-DD（含）。")
@option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the JSON document to stdout.",
    zh="把 JSON 文档输出到标准输出。",
)
@option(
    "--mapping",
    type=click.Path(dir_okay=False, exists=True),
    help="Extra header synonyms: a CSV/xlsx with header and column columns.",
    zh="补充的表头同义词：带“表头”和“字段”两列的 CSV/xlsx。",
)
@option(
    "--active-customers",
    type=click.FloatRange(min=0, min_open=True),
    help="Active customers in the period, for complaints per 10k.",
    zh="期间的活跃客户数，用于计算万人投诉率。",
)
@option(
    "--orders",
    type=click.Path(dir_okay=False),
    help="An orders export (customer, order time, amount) for the customer KPIs "
    "(default: the Orders sheet of a plan workbook given as DATA).",
    zh="订单导出（客户、下单时间、金额），用于客户指标（默认：DATA 为计划工作簿时取其“订单”表）。",
)
@option(
    "--calls",
    type=click.Path(dir_okay=False),
    help="Call records (one row per inbound call: start time, answered ...) for the "
    'call-centre KPIs: a "calls" object in the JSON (a plan workbook: its Call records '
    "sheet and the thresholds on its Calls sheet).",
    zh="通话记录（每通呼入一行：开始时间、是否接通……），用于呼叫中心指标：JSON 中的 calls "
    "对象（计划工作簿：取其“通话记录”表和“通话”表上的时限）。",
)
@option(
    "--as-of",
    "as_of",
    help="As-of date of the high-value segment, YYYY-MM-DD (default: the last order or "
    "ticket date up to the period's end).",
    zh="高价值客户分层的截至日，YYYY-MM-DD（默认：期间结束前最后一个订单或工单的日期）。",
)
@option(
    "--frt-target",
    "frt_target",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="First-response limit of frt_sla in seconds (> 0; default 30, or a plan's Settings).",
    zh="首响达标率的时限（秒，>0；默认 30，DATA 为计划时取其“设置”表）。",
)
@option(
    "--rt-target",
    "rt_target",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Resolution limit of rt_sla in seconds (> 0; default 300, or a plan's Settings).",
    zh="解决时效达标率的时限（秒，>0；默认 300，DATA 为计划时取其“设置”表）。",
)
@LANG
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
        raise click.BadParameter(
            t("请用逗号分隔以下分组：" + "、".join(GROUPINGS), "use a comma list of ")
            + t("", ", ".join(GROUPINGS)),
            param_hint="--by",
        )
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


@main.command(zh="新建计划工作簿（从不覆盖已有文件）。")
@click.argument("path", type=click.Path(dir_okay=False))
@option("--team", default="", help="The team the plan is for.", zh="计划所属的团队。")
@option(
    "--lang",
    type=LANGS,
    help="Language of the plan and the messages (default: CSXL_LANG, else zh).",
    zh="计划和消息的语言（默认：环境变量 CSXL_LANG，否则中文 zh）。",
)
@option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="Plan year (default: this year).",
    zh="计划年度（默认：今年）。",
)
@RESULT_FILE
def new(path, team, lang, year, result_file) -> None:
    """Write a new plan workbook (never overwrites a file)."""
    from datetime import date

    from csxl import console
    from csxl.workbook.book import PlanInputs
    from csxl.workbook.builder import new_plan
    from csxl.workbook.sheets import written_warnings

    inputs = PlanInputs(lang=lang, team=team, year=year or date.today().year)
    written = new_plan(path, inputs)
    _made(written)
    click.echo(t("已生成计划工作簿：", "Plan workbook written: ") + str(written))
    for warning in written_warnings(inputs):  # the plan is made all the same (exit 0)
        console.warn(warning)


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


LIVE = option(
    "--live",
    is_flag=True,
    help="Work on the workbook open in Excel (what the ribbon buttons use).",
    zh="处理在 Excel 中打开的工作簿（功能区按钮即用此方式）。",
)
WORKBOOK = click.argument("workbook", type=click.Path(dir_okay=False))


@main.command(zh="根据粘贴的数据刷新指标、考核、错误和历史。")
@WORKBOOK
@option(
    "--month",
    help="The month to refresh (YYYY-MM; default: the latest in the data).",
    zh="要刷新的月份（YYYY-MM；默认：数据中最新的月份）。",
)
@LIVE
@LANG
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


@main.command(zh="检查粘贴的数据；每一条被拒绝的行都列在“错误”表上。")
@WORKBOOK
@LIVE
@LANG
@RESULT_FILE
def validate(workbook, live, lang, result_file) -> None:
    """Check the pasted data; list every rejected row on the Errors sheet."""
    if not live:
        from csxl.workbook.port import prefetch_data

        prefetch_data(workbook)
    _report(open_plan(workbook, live=live).validate(), lang, workbook)


@main.command(zh="目标或规则改动后重新计分，不重新读取数据。")
@WORKBOOK
@option(
    "--month",
    help="Accepted for symmetry; Scores always shows its refreshed month.",
    zh="为与其他命令一致而接受；“考核”表总是显示其刷新的月份。",
)
@LIVE
@LANG
@RESULT_FILE
def score(workbook, month, live, lang, result_file) -> None:
    """Re-score agents after targets or rules changed, without re-reading the data."""
    _report(open_plan(workbook, live=live).score(), lang, workbook)


@main.command("import", zh="把一份导出作为一个数据源放进计划的“数据”表。")
@WORKBOOK
@click.argument("export", type=click.Path(dir_okay=False))
@option(
    "--source",
    required=True,
    help="The export's data source, e.g. Qianniu, phone, online.",
    zh="导出的数据源，如 千牛、电话、在线。",
)
@option(
    "--replace",
    is_flag=True,
    help="Take out this source's rows first (else append).",
    zh="先移除该数据源原有的行（否则追加）。",
)
@option(
    "--sheet",
    help="The export's sheet (default: the one with the ticket header).",
    zh="导出中的工作表（默认：有工单表头的那张）。",
)
@LANG
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


@main.command(zh="生成演示工单数据、计划、花名册和各团队工作簿，并打印其指标。")
@option(
    "--out",
    type=click.Path(file_okay=False),
    default="csxl-demo",
    show_default=True,
    help="Folder to write.",
    zh="写入的文件夹。",
)
@option(
    "--lang",
    type=LANGS,
    help="Language of the demo workbooks and messages (default: CSXL_LANG, else zh).",
    zh="演示工作簿和消息的语言（默认：环境变量 CSXL_LANG，否则中文 zh）。",
)
def demo(out, lang) -> None:
    """Write demo ticket data, a plan, a roster and team workbooks, and print its KPIs."""
    from csxl.demo import run_demo

    run_demo(out, lang)


@main.command(zh="把旧模板生成的计划迁移到当前模板，保留所有输入。")
@WORKBOOK
@option(
    "--to",
    "to_version",
    help="The template version to move to (default: current).",
    zh="迁移到的模板版本（默认：当前版本）。",
)
@LANG
def upgrade(workbook, to_version, lang) -> None:
    """Move a plan made by an older template into the current one, keeping every input."""
    from csxl import console
    from csxl.upgrade import upgrade as run

    report = run(workbook, to_version)
    console.print_upgrade(report, lang)
    sys.exit(EXIT_WARNINGS if report.left else EXIT_OK)


@main.command("export-agent-sheets", zh="为已刷新计划的每位客服各写一份考核表，只含本人的数据。")
@WORKBOOK
@option(
    "--out",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder to write.",
    zh="写入的文件夹。",
)
@option(
    "--pdf",
    is_flag=True,
    help="Also make PDFs (needs LibreOffice).",
    zh="同时生成 PDF（需要 LibreOffice）。",
)
@option(
    "--mask",
    is_flag=True,
    help="Star customer ids and phone numbers (PIPL).",
    zh="用星号遮盖客户编号和手机号（个人信息保护法）。",
)
@LANG
def export_agent_sheets(workbook, out, pdf, mask, lang) -> None:
    """One appraisal sheet per agent of a refreshed plan, each with only that agent's
    figures."""
    from csxl import console
    from csxl.agent_sheets import export_agent_sheets as run

    result = run(workbook, out, pdf=pdf, mask=mask)
    for line in result.warnings:
        console.warn(line)
    click.echo(
        t("已写出：", "Written: ") + f"{len(result.files)} xlsx, {len(result.pdfs)} pdf -> "
        f"{result.folder}"
    )
    sys.exit(EXIT_WARNINGS if result.warnings else EXIT_OK)


@main.command("build-addin", zh="用 macros/ 生成 Excel 加载项 csxl.xlam（及其测试版 csxl.xlsm）。")
@option(
    "--out",
    type=click.Path(file_okay=False),
    default="workbooks",
    show_default=True,
    help="Folder to write.",
    zh="写入的文件夹。",
)
@LANG
def build_addin(out, lang) -> None:
    """Build the Excel add-in csxl.xlam (and its csxl.xlsm test twin) from macros/."""
    from csxl.excel.addin import build_addin as build

    for path in build(out):
        click.echo(str(path))


@main.command(zh="检查安装：版本、程序、xlwings、加载项、宏信任。")
@option(
    "--addin",
    "addin_file",
    type=click.Path(dir_okay=False),
    help="The add-in file to check (the Check button passes the one Excel loaded).",
    zh="要检查的加载项文件（“检查安装”按钮传入 Excel 已加载的那个）。",
)
@LANG
@RESULT_FILE
def doctor(addin_file, lang, result_file) -> None:
    """Say what csxl finds: versions, the program, xlwings, the add-in, macro trust."""
    from csxl.excel.addin import diagnose

    for line in diagnose(addin_file, lang):
        click.echo(line)


@main.command("roster-template", zh="生成花名册工作簿：表头和两行示例（从不覆盖已有文件）。")
@click.argument("path", type=click.Path(dir_okay=False))
@option(
    "--lang",
    type=LANGS,
    help="Language of the roster and the messages (default: CSXL_LANG, else zh).",
    zh="花名册和消息的语言（默认：环境变量 CSXL_LANG，否则中文 zh）。",
)
def roster_template(path, lang) -> None:
    """Write a roster workbook: headers and two example rows (never overwrites)."""
    from csxl.roster import write_template

    written = write_template(path, lang)
    click.echo(t("已生成花名册模板：", "Roster template written: ") + str(written))


@main.command(zh="按花名册为每个团队生成一份计划工作簿，并写出 batch-report.xlsx。")
@click.argument("roster", type=click.Path(dir_okay=False))
@option(
    "--out",
    type=click.Path(file_okay=False),
    required=True,
    help="Folder for the plans.",
    zh="计划所在的文件夹。",
)
@option(
    "--data",
    type=click.Path(dir_okay=False),
    help="A ticket export to split by team.",
    zh="按团队拆分的工单导出。",
)
@option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes with --data.",
    zh="使用 --data 时的工作进程数。",
)
@option(
    "--force",
    is_flag=True,
    help="Overwrite workbooks edited since (a backup is kept).",
    zh="覆盖之后被改动过的工作簿（会保留备份）。",
)
@option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="Plan year (default: this year).",
    zh="计划年度（默认：今年）。",
)
@option(
    "--lang",
    type=LANGS,
    help="Plan and message language (default: CSXL_LANG, else the roster's).",
    zh="计划与消息的语言（默认：环境变量 CSXL_LANG，否则花名册的语言）。",
)
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


@main.command(zh="把一个文件夹中各团队的计划汇总为部门汇总表。")
@click.argument("folder", type=click.Path(file_okay=False))
@option(
    "--out",
    type=click.Path(dir_okay=False),
    required=True,
    help="The summary .xlsx.",
    zh="汇总表 .xlsx。",
)
@LANG
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


@main.command(zh="一个时段的 Erlang C 排班计算，或填写计划的“排班”表（WORKBOOK）。")
@click.argument("workbook", required=False, type=click.Path(dir_okay=False))
@option(
    "--calls",
    type=click.FloatRange(min=0),
    help="Contacts arriving in one interval.",
    zh="一个时段内进线的数量。",
)
@option(
    "--interval-min",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    help="Interval length in minutes.",
    zh="时段长度（分钟）。",
)
@option(
    "--aht",
    type=click.FloatRange(min=0, min_open=True),
    help="Average handle time, seconds.",
    zh="平均处理时长（秒）。",
)
@option(
    "--target-sl",
    type=click.FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=0.8,
    show_default=True,
    help="Target service level as a fraction (0.8 = 80%).",
    zh="目标服务水平，小数（0.8 = 80%）。",
)
@option(
    "--target-s",
    type=click.FloatRange(min=0),
    default=20,
    show_default=True,
    help="Answered within this many seconds.",
    zh="在多少秒内接起。",
)
@option(
    "--shrinkage",
    type=click.FloatRange(min=0, max=1, max_open=True),
    default=0,
    show_default=True,
    help="Share of paid time not on contacts (0.3 = 30%).",
    zh="损耗：带薪时间中不处理进线的比例（0.3 = 30%）。",
)
@option(
    "--max-occupancy",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=1,
    show_default=True,
    help="Highest occupancy allowed (agents are added until it holds).",
    zh="允许的最高占用率（增加坐席直到满足）。",
)
@option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the result as JSON to stdout.",
    zh="把结果以 JSON 输出到标准输出。",
)
@LIVE
@LANG
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
                t(
                    "请只给 WORKBOOK（其“排班”表有输入），或者给 --calls 和 --aht。",
                    "give either WORKBOOK (its Staffing sheet holds the inputs) or --calls and "
                    "--aht.",
                )
            )
        _report(open_plan(workbook, live=live).staff(), lang, workbook)
        return
    missing = [name for name, v in (("--calls", calls), ("--aht", aht)) if v is None]
    if missing:
        raise click.UsageError(
            t(
                f"缺少 {' 和 '.join(missing)}（或给出 WORKBOOK）。",
                f"missing {' and '.join(missing)} (or give a WORKBOOK).",
            )
        )
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
