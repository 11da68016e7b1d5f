"""Printing for people: rich tables on stdout, messages on stderr."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from csxl.domain.catalog import CATALOG, format_value

out = Console()
err = Console(stderr=True, soft_wrap=True)  # one problem per line, never wrapped

# The KPIs shown per group in the terminal; the JSON holds all of them.
GROUP_COLUMNS = (
    "tickets",
    "csat",
    "frt_mean",
    "frt_p90",
    "fcr",
    "resolution_rate",
    "reopen_rate",
    "survey_response_rate",
    "hv_tickets",  # shown with --orders (unavailable columns are left out)
    "hv_csat",
)
TEXT = {
    "zh": {
        "kpi": "指标",
        "value": "数值",
        "group": "分组",
        "unassigned": "未分配",
        "rows": "读取 {read} 行：有效 {valid}，拒绝 {rejected}，重复 {duplicates}",
        "period": "期间 {a} 至 {b}",
        "na": "无法计算",
        "alerts": "标签激增预警",
        "problems": "被拒绝的行（前 {n} 条，共 {total} 条问题）",
        "dups": "{n} 个重复工单号：保留最后一行",
        "order_dups": "{n} 个重复订单号：保留最后一行",
        "call_dups": "{n} 个重复通话ID：保留最后一行",
        "all": "全部",
        "calls": "通话 {source}：读取 {read} 行：有效 {valid}，拒绝 {rejected}，重复 {duplicates}；"
        "服务水平时限 {sl:g} 秒，短放弃 {short:g} 秒",
        "call_heads": (
            "分组",
            "呼入量",
            "接通量",
            "放弃量",
            "接通率",
            "放弃率",
            "服务水平",
            "平均应答",
        ),
        "orders": "订单 {source}：读取 {read} 行：有效 {valid}，拒绝 {rejected}，重复 "
        "{duplicates}，不计（退款/关闭/未付款）{excluded}",
        "as_of": "截至 {as_of}；留存与复购：{a} 至 {b}，对比 {c} 至 {d}",
        "where": "{file}{sheet} 第 {row} 行 {column}：{reason}（值：{value}）",
        "thresholds": "首响达标率按首响 ≤ {frt}计（{frt_from}），解决时效达标率按解决 ≤ {rt}计"
        "（{rt_from}）；自然时间，可用 --frt-target、--rt-target 设置",
        "from_default": "默认",
        "from_plan": "计划“设置”表",
        "from_flag": "命令行",
        "by": {"team": "团队", "group": "小组", "agent": "客服", "channel": "渠道", "day": "日期"},
    },
    "en": {
        "kpi": "KPI",
        "value": "Value",
        "group": "Group",
        "unassigned": "Unassigned",
        "rows": "Read {read} rows: {valid} valid, {rejected} rejected, {duplicates} duplicates",
        "period": "Period {a} to {b}",
        "na": "Not available",
        "alerts": "Tag surge alerts",
        "problems": "Rejected rows (first {n} of {total} problems)",
        "dups": "{n} duplicated ticket ids: the last row is kept",
        "order_dups": "{n} duplicated order ids: the last row is kept",
        "call_dups": "{n} duplicated call ids: the last row is kept",
        "all": "All",
        "calls": "Calls {source}: read {read} rows: {valid} valid, {rejected} rejected, "
        "{duplicates} duplicates; service level {sl:g} s, short abandon {short:g} s",
        "call_heads": (
            "Group",
            "Offered",
            "Answered",
            "Abandoned",
            "Answer rate",
            "Abandon rate",
            "Service level",
            "ASA",
        ),
        "orders": "Orders {source}: read {read} rows: {valid} valid, {rejected} rejected, "
        "{duplicates} duplicates, {excluded} not purchases (refunded/closed/unpaid)",
        "as_of": "As of {as_of}; retention and repurchase: {a} to {b} vs {c} to {d}",
        "where": "{file}{sheet}, row {row}, column {column}: {reason} (value: {value})",
        "thresholds": "First response within target: <= {frt} ({frt_from}); resolved within "
        "target: <= {rt} ({rt_from}). Wall clock; set with --frt-target / --rt-target",
        "from_default": "default",
        "from_plan": "the plan's Settings",
        "from_flag": "command line",
        "by": {
            "team": "Team",
            "group": "Group",
            "agent": "Agent",
            "channel": "Channel",
            "day": "Day",
        },
    },
}
SHOW_PROBLEMS = 20
SHOWN_CHARS = 80  # a value longer than this is cut in messages (the Errors sheet has it whole)


def user_text(value: object):
    """Text from a user's files for a table cell: never read as rich markup ("[/b]" in an
    agent's name would be a style tag, or an error), control characters escaped."""
    from rich.text import Text

    from csxl.errors import printable

    return Text(printable("" if value is None else str(value)))


def shown(value: object) -> str:
    """A value from a user's file, safe to print on one line (`errors.printable`), long text
    cut."""
    from csxl.errors import printable

    text = "" if value is None else str(value)
    cut = len(text) > SHOWN_CHARS
    text = printable(text[:SHOWN_CHARS])
    return text + f"… ({len(str(value)):,} chars)" if cut else text


def warn(line: str) -> None:
    from rich.text import Text

    err.print(Text("! ", style="yellow") + user_text(line), highlight=False)


def print_kpis(doc: dict, lang: str = "zh", limits=None) -> None:
    """`limits` (kpi_report.Thresholds) says where the frt_sla/rt_sla limits came from; the
    seconds themselves are the document's `thresholds`."""
    t = TEXT[lang]
    out.print(
        f"[bold]{doc['source']}[/]  "
        + t["period"].format(a=doc["period"]["from"], b=doc["period"]["to"]),
        highlight=False,
    )
    out.print(t["rows"].format(**doc["rows"]), highlight=False)
    if "orders" in doc:
        o = doc["orders"]
        out.print(t["orders"].format(source=o["source"], **o["rows"]), highlight=False)
        if o.get("period"):
            out.print(
                t["as_of"].format(
                    as_of=o["as_of"],
                    a=o["period"]["from"],
                    b=o["period"]["to"],
                    c=o["previous"]["from"],
                    d=o["previous"]["to"],
                ),
                highlight=False,
            )
    overall = next(g for g in doc["groups"] if g["by"] == "all")["kpis"]
    table = Table(show_header=True, header_style="bold")
    table.add_column(t["kpi"])
    table.add_column(t["value"], justify="right")
    for key, value in overall.items():
        if key in doc["unavailable"]:
            continue
        table.add_row(CATALOG[key].label(lang), format_value(key, value))
    out.print(table)
    out.print(thresholds_line(doc["thresholds"], lang, limits), highlight=False)
    for by in dict.fromkeys(g["by"] for g in doc["groups"] if g["by"] != "all"):
        rows = [g for g in doc["groups"] if g["by"] == by]
        cols = [c for c in GROUP_COLUMNS if c not in doc["unavailable"]]
        table = Table(title=t["by"].get(by, by), show_header=True, header_style="bold")
        table.add_column(t["group"], no_wrap=True)
        for c in cols:
            table.add_column(CATALOG[c].label(lang), justify="right")
        for g in rows:
            key = g["key"] if g["key"] is not None else t["unassigned"]
            table.add_row(user_text(key), *(format_value(c, g["kpis"][c]) for c in cols))
        out.print(table)
    if doc["unavailable"]:
        from csxl.unavailable import reason_text

        colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
        names = {"tag_alerts": t["alerts"]}
        out.print(
            f"[dim]{t['na']}{colon}"
            + sep.join(
                (CATALOG[k].label(lang) if k in CATALOG else names.get(k, k))
                + ("（{}）" if lang == "zh" else " ({})").format(reason_text(why, lang))
                for k, why in doc["unavailable"].items()
            )
            + "[/]",
            highlight=False,
        )
    if doc["tag_alerts"]:
        out.print(
            f"[bold red]{t['alerts']}[/]: "
            + ", ".join(f"{a['tag']} {a['date']}" for a in doc["tag_alerts"]),
            highlight=False,
        )
    if "calls" in doc:
        print_calls(doc["calls"], lang)


def thresholds_line(thresholds: dict, lang: str, limits=None) -> str:
    """The limits frt_sla and rt_sla were computed with, and where each came from."""
    t = TEXT[lang]
    origin = {
        key: t["from_" + (getattr(limits, key, None) or "default")]
        for key in ("frt_from", "rt_from")
    }
    return t["thresholds"].format(
        frt=_seconds(thresholds["frt_sla_s"], lang),
        rt=_seconds(thresholds["rt_sla_s"], lang),
        frt_from=origin["frt_from"],
        rt_from=origin["rt_from"],
    )


def _seconds(value: float, lang: str) -> str:
    """300 -> "300 秒（5 分钟）", "300 s = 5 min": seconds, with whole minutes or hours."""
    unit = {"zh": ("秒", "分钟", "小时"), "en": ("s", "min", "h")}[lang]
    text = f"{value:,g} {unit[0]}"
    for size, name in ((3600, unit[2]), (60, unit[1])):
        if value >= size and value % size == 0:
            whole = f"{value // size:,g} {name}"
            return f"{text}（{whole}）" if lang == "zh" else f"{text} = {whole}"
    return text


def print_calls(calls: dict, lang: str = "zh") -> None:
    """The `calls` object of `csxl kpi --calls`: one table, a row per group."""
    t = TEXT[lang]
    s = calls["settings"]
    line = t["calls"].format(
        source=calls["source"], sl=s["sl_seconds"], short=s["short_abandon_s"], **calls["rows"]
    )
    out.print(line, highlight=False)
    table = Table(show_header=True, header_style="bold")
    for i, head in enumerate(t["call_heads"]):
        table.add_column(head, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for g in calls["groups"]:
        k = g["kpis"]
        name = t["all"] if g["by"] == "all" else g["key"] or t["unassigned"]
        cells = [f"{k[c]:,}" for c in ("offered", "answered", "abandoned")]
        cells += ["—" if k[c] is None else f"{k[c]:.1%}" for c in _CALL_RATES]
        cells.append("—" if k["asa_s"] is None else f"{k['asa_s']:,.1f}s")
        prefix = "" if g["by"] == "all" else f"{TEXT[lang]['by'].get(g['by'], g['by'])}: "
        table.add_row(user_text(prefix + str(name)), *cells)
    out.print(table)


_CALL_RATES = ("answer_rate", "abandon_rate", "service_level")


def print_problems(tickets, lang: str = "zh", dups: str = "dups") -> None:
    """Rejected rows and duplicates (of a TicketSet, an OrderSet: dups="order_dups", or a
    CallSet: dups="call_dups"), on stderr, so that --json output stays clean."""
    t = TEXT[lang]
    if tickets.problems:
        frame = tickets.errors_frame(lang)
        err.print(
            t["problems"].format(n=min(SHOW_PROBLEMS, len(frame)), total=len(frame)),
            style="yellow",
            highlight=False,
        )
        sheet = f" [{tickets.sheet}]" if tickets.sheet else ""
        for row, column, reason, value in frame.head(SHOW_PROBLEMS).itertuples(index=False):
            line = t["where"].format(
                file=tickets.source,
                sheet=sheet,
                row=row,
                column=shown(column),
                reason=reason,
                value=shown(value),
            )
            err.print("  " + line, highlight=False, markup=False)
    if tickets.duplicates:
        err.print(t[dups].format(n=tickets.duplicates), style="yellow", highlight=False)
    for note in tickets.notes:
        warn(note)


OUTCOME = {
    "zh": {
        "done": "已更新 {book}",
        "month": "月份 {month}",
        "agents": "{n} 位客服已计分",
        "problems": "{n} 个数据问题，见“错误”表",
        "agent": "客服",
        "score": "加权得分",
        "grade": "等级",
        "bonus": "奖金",
    },
    "en": {
        "done": "Updated {book}",
        "month": "month {month}",
        "agents": "{n} agents scored",
        "problems": "{n} data problems: see the Errors sheet",
        "agent": "Agent",
        "score": "Weighted score",
        "grade": "Grade",
        "bonus": "Bonus",
    },
}


def print_outcome(outcome, lang: str = "zh") -> None:
    """What refresh/score/validate did: a line, the row counts, and the scores table."""
    t = OUTCOME[lang]
    head = t["done"].format(book=outcome.workbook)
    if outcome.month:
        head += "  " + t["month"].format(month=outcome.month)
    out.print(f"[bold]{head}[/]", highlight=False)
    if outcome.rows:
        out.print(TEXT[lang]["rows"].format(**outcome.rows), highlight=False)
    for line in outcome.warnings:
        warn(line)
    for line in getattr(outcome, "notes", ()):
        out.print(line, highlight=False)
    if outcome.scores:
        table = Table(show_header=True, header_style="bold")
        for name in ("agent", "score", "grade", "bonus"):
            table.add_column(t[name], justify="left" if name == "agent" else "right", no_wrap=True)
        for agent, score, grade, bonus in outcome.scores:
            table.add_row(
                user_text(agent),
                "—" if score in (None, "") else f"{score:.2f}",
                str(grade or "—"),
                "—" if bonus in (None, "") else f"{bonus:,.0f}",
            )
        out.print(table)
        out.print(t["agents"].format(n=outcome.agents), highlight=False)
    if outcome.problems:
        err.print(t["problems"].format(n=outcome.problems), style="yellow", highlight=False)


# ------------------------------------------------------------------ batch and consolidate
BATCH = {
    "zh": {
        "teams": "团队",
        "rate": "{speed:.1f} 个/秒",
        "title": "批量生成：{out}",
        "team": "团队",
        "file": "文件",
        "status": "状态",
        "seconds": "用时",
        "message": "说明",
        "report": "报告：{path}",
    },
    "en": {
        "teams": "teams",
        "rate": "{speed:.1f} teams/s",
        "title": "Batch: {out}",
        "team": "Team",
        "file": "File",
        "status": "Status",
        "seconds": "Seconds",
        "message": "Message",
        "report": "Report: {path}",
    },
}


class BatchProgress:
    """A progress bar on stderr (teams done, rate, time left); silent when not a terminal."""

    def __init__(self, lang: str = "zh") -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        text = BATCH[lang]

        class Rate(ProgressColumn):
            def render(self, task) -> Text:
                speed = task.finished_speed or task.speed
                return Text("" if speed is None else text["rate"].format(speed=speed))

        self.progress = Progress(
            TextColumn(text["teams"]),
            BarColumn(),
            MofNCompleteColumn(),
            Rate(),
            TimeRemainingColumn(),
            console=err,
            disable=not err.is_terminal,
        )
        self.task = None

    def __enter__(self) -> BatchProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def start(self, total: int) -> None:
        self.task = self.progress.add_task("batch", total=total)

    def advance(self, _result: object) -> None:
        if self.task is not None:
            self.progress.advance(self.task)


def print_batch(result) -> None:
    """The batch's table on stdout; warnings on stderr."""
    from csxl.batch import NEEDS_A_LOOK, STATUS_LABELS

    t = BATCH[result.lang]
    table = Table(title=t["title"].format(out=result.out), show_header=True, header_style="bold")
    for name in ("team", "file", "status", "seconds", "message"):
        table.add_column(t[name], justify="right" if name == "seconds" else "left")
    for r in result.teams:
        status = STATUS_LABELS[result.lang][r.status]
        shown = f"[bold red]{status}[/]" if r.status in NEEDS_A_LOOK else status
        table.add_row(
            user_text(r.team), user_text(r.file), shown, f"{r.seconds:.2f}", user_text(r.message)
        )
    out.print(table)
    for line in result.warnings:
        warn(line)
    if result.report:
        out.print(t["report"].format(path=result.report), highlight=False)


def print_consolidation(summary, lang: str = "zh") -> None:
    """Teams read, the ranking, and every problem (missing, malformed, old version)."""
    from csxl.errors import t

    table = Table(show_header=True, header_style="bold")
    for name in (
        t("排名", "Rank"),
        t("团队", "Team"),
        t("加权得分", "Score"),
        t("等级", "Grade"),
        t("状态", "State"),
    ):
        table.add_column(name)
    never = t("未刷新", "never refreshed")
    for rank, tb in summary.ranking:
        score = "—" if tb.score is None else f"{tb.score:.2f}"
        table.add_row(
            str(rank or "—"), user_text(tb.team), score, tb.grade or "—", tb.month or never
        )
    out.print(table)
    for file, problem in summary.problems:
        warn(f"{file}: {problem}")
    done = t("汇总已写入：", "Summary written to: ")
    out.print(f"{done}[bold]{summary.path}[/]", highlight=False)


UPGRADE = {
    "zh": {
        "current": "{book} 已是当前模板版本 {version}，无需升级。",
        "done": "{book} 已从模板 {old} 升级到 {new}。",
        "moved": "已迁移：",
        "added": "新增工作表：",
        "left": "未迁移（保留在备份中）：",
        "backup": "备份：{path}",
        "refreshed": "已按新模板重新刷新 {month}。",
    },
    "en": {
        "current": "{book} is on the current template version {version}; nothing to do.",
        "done": "{book} moved from template {old} to {new}.",
        "moved": "Moved:",
        "added": "New sheets:",
        "left": "Not moved (kept in the backup):",
        "backup": "Backup: {path}",
        "refreshed": "Refreshed {month} into the new template.",
    },
}


def print_upgrade(report, lang: str) -> None:
    """What `csxl upgrade` did: moved inputs, new sheets, what stays in the backup."""
    t = UPGRADE[lang]
    if not report.changed:
        out.print(t["current"].format(book=report.workbook, version=report.new_version))
        for line in report.warnings:
            warn(line)
        return
    out.print(
        t["done"].format(book=report.workbook, old=report.old_version, new=report.new_version)
    )
    out.print(t["moved"])
    pick = 0 if lang == "zh" else 1
    for line in report.moved:
        out.print(f"  · {line[pick]}", highlight=False)
    if report.added:
        out.print(t["added"] + " " + "、".join(report.added))
    if report.refreshed:
        out.print(t["refreshed"].format(month=report.refreshed))
    for line in report.left:
        warn(t["left"] + " " + line[pick])
    for line in report.warnings:
        warn(line)
    out.print(t["backup"].format(path=report.backup), highlight=False)


IMPORT = {
    "zh": {
        "done": "{book}：已从 {export} 导入 {n:,} 行，数据源“{source}”",
        "replaced": "（先移除了该数据源原有的 {n:,} 行）",
        "rejected": "其中 {n:,} 行刷新时会被拒绝：运行 csxl validate 在“错误”表查看行号和原因。",
        "shared": "{n:,} 个工单号在数据源“{other}”中也有：按规范计入最后导入的一行。",
        "sources": "数据表现有：",
        "unmapped": "未使用的表头（需要时在“映射”表添加，可限定数据源）：",
        "added": "数据表新增列：",
        "pasted": "手工粘贴",
        "next": "下一步：csxl refresh {book}",
    },
    "en": {
        "done": "{book}: {n:,} rows imported from {export} as data source '{source}'",
        "replaced": " (its {n:,} earlier rows taken out first)",
        "rejected": "{n:,} of them will be rejected by refresh: csxl validate lists rows and "
        "reasons on Errors.",
        "shared": "{n:,} ticket ids are also in source '{other}': the spec counts the row "
        "imported last.",
        "sources": "The Data sheet now holds: ",
        "unmapped": "Headers not used (add them on Mapping, for this source if need be):",
        "added": "Columns added to the Data sheet:",
        "pasted": "pasted by hand",
        "next": "Next: csxl refresh {book}",
    },
}


def import_text(report, lang: str = "zh") -> str:
    """What `csxl import` did, as plain lines (terminal and the ribbon's message box)."""
    t = IMPORT[lang]
    head = t["done"].format(
        book=shown(report.workbook),
        export=shown(report.export),
        n=report.written,
        source=shown(report.source),
    )
    if report.replaced:
        head += t["replaced"].format(n=report.replaced)
    lines = [head]
    if report.rejected:
        lines.append("! " + t["rejected"].format(n=report.rejected))
    for other, n in report.shared.items():
        lines.append("! " + t["shared"].format(n=n, other=shown(other) or t["pasted"]))
    parts = [f"{shown(k) or t['pasted']} {v:,}" for k, v in report.sources.items()]
    lines.append(t["sources"] + ("、" if lang == "zh" else ", ").join(parts))
    if report.added:
        lines.append(t["added"] + " " + ", ".join(shown(a) for a in report.added))
    if report.unmapped:
        lines.append(t["unmapped"] + " " + ", ".join(shown(u) for u in report.unmapped[:12]))
    lines.append(t["next"].format(book=shown(report.workbook)))
    return "\n".join(lines)
