"""The roster: which teams a department has, their agents, and target overrides.

A roster is an .xlsx a department head keeps (template: `csxl roster-template PATH`). One
row per agent: team, group, agent, agent id, hire date, leader; optional override columns
named `<kpi key>_<field>` (e.g. `csat_stretch`, `frt_mean_weight`) change a target:

- a row with an agent: that agent's own target (a cascade `Override` row of level agent);
- a row with a group but no agent: the group's target (cascade level group);
- a row with only a team: the team's target on Goals (replaces the default).

Reading is done with python-calamine (fast; no openpyxl). Every problem is reported with
file, sheet, row and column, and a roster with problems is refused as a whole: nothing is
generated from half a roster.

Regenerate the committed template with `python -m csxl.roster`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from csxl.errors import InputError, Location, reason, t
from csxl.workbook.roster_book import (
    COLUMNS,
    FIELD_LABELS,
    FIELDS,
    SHEET,
    roster_bytes,
)

if TYPE_CHECKING:
    from csxl.domain.scoring import Target

ALIASES = {
    "班组": "group",
    "客服姓名": "agent",
    "姓名": "agent",
    "员工工号": "agent_id",
    "客服工号": "agent_id",
    "id": "agent_id",
    "agent_id": "agent_id",
    "hire_date": "hire_date",
    "入职时间": "hire_date",
    "负责人": "leader",
    "主管": "leader",
    "team leader": "leader",
    "活跃客户": "active_customers",
    "活跃客户数（月）": "active_customers",
    "活跃客户数(月)": "active_customers",
}
SAME_ZH = {"agent": "同一客服", "group": "同一小组", "team": "同一团队"}
TEAM_NAME_MAX = 100  # characters; a team name is a short label
SHOW_PROBLEMS = 8
_CONTROL = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")


class RosterError(InputError):
    """The roster cannot be used; `problems` lists every row that is wrong."""

    def __init__(self, problems: list[str], file: str) -> None:
        self.problems = problems
        shown = "; ".join(problems[:SHOW_PROBLEMS])
        extra = len(problems) - SHOW_PROBLEMS
        more = t(f"（另有 {extra} 个）", f" (and {extra} more)") if extra > 0 else ""
        super().__init__(
            t(
                f"花名册有 {len(problems)} 个问题：{'；'.join(problems[:SHOW_PROBLEMS])}{more}。",
                f"{len(problems)} problem(s) in the roster: {shown}{more}.",
            ),
            Location(file),
            t(
                "请改正这些行后重新运行；未写入任何内容。",
                "Correct the rows and run again; nothing was written.",
            ),
        )


@dataclass(frozen=True)
class Agent:
    name: str
    team: str
    group: str | None
    agent_id: str | None
    hire_date: date | None
    leader: str | None
    row: int  # as the user sees it


Overrides = dict[str, dict[str, float]]  # kpi key -> field -> value


@dataclass
class Team:
    """One team of the roster, in roster order."""

    name: str
    agents: list[Agent] = field(default_factory=list)
    overrides: Overrides = field(default_factory=dict)  # team level
    group_overrides: dict[str, Overrides] = field(default_factory=dict)
    agent_overrides: dict[str, Overrides] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    active_customers: float | None = None  # Settings' active customers of the team's plan
    active_customers_row: int | None = None

    @property
    def leader(self) -> str | None:
        """The leader named most often on the team's rows (first of equals)."""
        counts: dict[str, int] = {}
        for a in self.agents:
            if a.leader:
                counts[a.leader] = counts.get(a.leader, 0) + 1
        return max(counts, key=lambda k: counts[k]) if counts else None

    def targets(self, base: tuple[Target, ...] | None = None) -> tuple[Target, ...]:
        """The team's Goals targets: the defaults with the team-level overrides.

        ValueError (with the KPI and the rule) when the overrides put targets out of order.
        """
        from csxl.domain.scoring import DEFAULT_TARGETS

        base = DEFAULT_TARGETS if base is None else base
        return tuple(
            replace(t, **self.overrides[t.key]) if t.key in self.overrides else t for t in base
        )

    def own_targets(
        self, targets: tuple[Target, ...] | None = None
    ) -> list[tuple[str, str, str, dict[str, float]]]:
        """Group then agent overrides, (level, name, kpi key, values), checked against the
        team's targets (an agent's chain: team <- group <- agent, as Scores applies it).
        The Goals room places them in its cascade rows (`sheets.goals.roster`)."""
        targets = self.targets() if targets is None else targets
        by_key = {t.key: t for t in targets}
        group_of = {a.name: a.group for a in self.agents}
        out: list[tuple[str, str, str, dict[str, float]]] = []
        entries = [("group", n, o) for n, o in self.group_overrides.items()]
        entries += [("agent", n, o) for n, o in self.agent_overrides.items()]
        for level, name, overrides in entries:
            for key, values in overrides.items():
                effective = by_key[key]
                if level == "agent":
                    group = self.group_overrides.get(group_of.get(name) or "", {}).get(key, {})
                    effective = replace(effective, **group)
                try:
                    replace(effective, **values)
                except ValueError as exc:
                    who = t(
                        ("小组" if level == "group" else "客服") + f" {name}", f"{level} {name}"
                    )
                    raise ValueError(f"{who}: {reason(exc)}") from None
                out.append((level, name, key, values))
        return out


@dataclass
class Roster:
    path: Path
    sheet: str
    lang: str  # the language of its headers: the default language of the plans
    teams: dict[str, Team]

    @property
    def agents(self) -> list[Agent]:
        return [a for t in self.teams.values() for a in t.agents]

    def team_of_agent(self) -> dict[str, str]:
        return {a.name: a.team for a in self.agents}


# ------------------------------------------------------------------ headers
def override_columns() -> dict[str, tuple[str, str]]:
    """Every override column: header -> (kpi key, field)."""
    from csxl.domain.scoring import DEFAULT_TARGETS

    return {f"{t.key}_{f}": (t.key, f) for t in DEFAULT_TARGETS for f in FIELDS}


def _normal(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def header_key(text: object) -> str | tuple[str, str] | None:
    """What a header cell names: a base column key, an override (kpi, field), or None."""
    if text is None or str(text).strip() == "":
        return None
    norm = _normal(text)
    for key, (zh, en) in COLUMNS.items():
        if norm in (zh.lower(), en.lower(), key):
            return key
    if norm in ALIASES:
        return ALIASES[norm]
    overrides = override_columns()
    if norm in overrides:
        return overrides[norm]
    # zh/en labels: 满意度_冲刺, CSAT stretch
    from csxl.domain.catalog import CATALOG

    for kpi, f in overrides.values():
        info = CATALOG[kpi]
        for lang, i in (("zh", 0), ("en", 1)):
            label = info.label(lang).lower()
            word = FIELD_LABELS[f][i]
            if norm in (f"{label}_{word}", f"{label} {word}", f"{label}·{word}"):
                return (kpi, f)
    return None


def clean_name(value: object) -> str:
    """A team, group or agent name as one line of text (whitespace runs become one space)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(_CONTROL.sub(" ", str(value)).split())


# ------------------------------------------------------------------ reading
def read_roster(path: str | Path) -> Roster:
    """Read a roster workbook; RosterError lists every bad row."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if not path.exists():
        raise InputError(
            t("花名册文件不存在。", "the roster file does not exist."), Location(path.name)
        )
    from csxl.readers.sniff import Kind, sniff

    if sniff(path) is not Kind.XLSX:  # a damaged, encrypted or old file is told by its kind
        raise InputError(
            t("花名册是 .xlsx 文件。", "a roster is an .xlsx file."),
            Location(path.name),
            t(
                "请另存为 .xlsx（可用 csxl roster-template 生成一份）。",
                "Save it as .xlsx (make one with `csxl roster-template`).",
            ),
        )
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise InputError(
            t(
                f"花名册无法作为工作簿读取（{exc}）。",
                f"the roster cannot be read as a workbook ({exc}).",
            ),
            Location(path.name),
            t(
                "请另存为 .xlsx（可用 csxl roster-template 生成一份）。",
                "Save it as .xlsx (make one with `csxl roster-template`).",
            ),
        ) from None
    names = list(book.sheet_names)
    sheet = next((s for s in (*SHEET.values(),) if s in names), names[0] if names else None)
    if sheet is None:
        raise InputError(
            t("花名册中没有工作表。", "the roster has no sheets."), Location(path.name)
        )
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    header_at, columns = _find_header(rows)
    if header_at is None:
        raise InputError(
            t(
                "前 10 行中没有含“团队/Team”列的表头行。",
                "no header row with a 团队/Team column in the first 10 rows.",
            ),
            Location(path.name, sheet),
            t("请从 csxl roster-template 生成的模板开始。", "Start from `csxl roster-template`."),
        )
    lang = (
        "zh"
        if any(str(h).strip() in {v[0] for v in COLUMNS.values()} for h in rows[header_at])
        else "en"
    )
    problems: list[str] = []
    teams: dict[str, Team] = {}
    ids: dict[str, int] = {}
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        r = i + 1
        if all(v in ("", None) for v in row):
            continue
        _read_row(path.name, sheet, r, row, rows[header_at], columns, teams, ids, problems)
    if not teams and not problems:
        problems.append(
            t(
                f"{Location(path.name, sheet)}：表头下面没有团队行",
                f"{Location(path.name, sheet)}: no team rows below the header",
            )
        )
    if problems:
        raise RosterError(problems, path.name)
    return Roster(path, sheet, lang, teams)


def _find_header(rows: list[list[object]]) -> tuple[int | None, dict[int, object]]:
    for i, row in enumerate(rows[:10]):
        keys = {c: header_key(v) for c, v in enumerate(row)}
        if "team" in keys.values():
            return i, {c: k for c, k in keys.items() if k is not None}
    return None, {}


def _read_row(
    file: str,
    sheet: str,
    r: int,
    row: list[object],
    header: list[object],
    columns: dict[int, object],
    teams: dict[str, Team],
    ids: dict[str, int],
    problems: list[str],
) -> None:
    def where(c: int) -> Location:
        from csxl.workbook.layout import col

        return Location(file, sheet, r, str(header[c]).strip() or col(c + 1))

    base: dict[str, object] = {}
    overrides: Overrides = {}
    for c, key in columns.items():
        value = row[c] if c < len(row) else ""
        if value in ("", None):
            continue
        if isinstance(key, tuple):
            number = _number(value)
            if number is None:
                problems.append(
                    t(f"{where(c)}：{value!r} 不是数字", f"{where(c)}: {value!r} is not a number")
                )
            else:
                overrides.setdefault(key[0], {})[key[1]] = number
        elif key == "hire_date":
            day = _day(value)
            if day is None:
                problems.append(
                    t(
                        f"{where(c)}：{value!r} 不是日期（请写成 2026-03-01）",
                        f"{where(c)}: {value!r} is not a date (write 2026-03-01)",
                    )
                )
            base[key] = day
        elif key == "active_customers":
            number = _number(value)
            if number is None or number <= 0:
                problems.append(
                    t(
                        f"{where(c)}：{value!r} 不是大于 0 的客户数",
                        f"{where(c)}: {value!r} is not a number of customers above 0",
                    )
                )
            else:
                base[key] = number
        else:
            base[key] = clean_name(value)
    team_col = next(c for c, k in columns.items() if k == "team")
    team = str(base.get("team") or "")
    if not team:
        problems.append(t(f"{where(team_col)}：团队为空", f"{where(team_col)}: the team is empty"))
        return
    if len(team) > TEAM_NAME_MAX:
        problems.append(
            t(
                f"{where(team_col)}：团队名称最多 {TEAM_NAME_MAX} 个字符",
                f"{where(team_col)}: a team name has at most {TEAM_NAME_MAX} characters",
            )
        )
        return
    entry = teams.setdefault(team, Team(team))
    entry.rows.append(r)
    customers = base.get("active_customers")
    if isinstance(customers, float):
        if entry.active_customers is None:
            entry.active_customers, entry.active_customers_row = customers, r
        elif entry.active_customers != customers:
            problems.append(
                t(
                    f"{where(_col_of(columns, 'active_customers'))}：团队 {team} 在第 "
                    f"{entry.active_customers_row} 行的活跃客户数是 {entry.active_customers:g}："
                    "每个团队只能有一个数",
                    f"{where(_col_of(columns, 'active_customers'))}: team {team} has "
                    f"{entry.active_customers:g} active customers on row "
                    f"{entry.active_customers_row}: give one number per team",
                )
            )
    agent = base.get("agent") or None
    group = base.get("group") or None
    agent_id = base.get("agent_id") or None
    if agent_id is not None:
        if agent_id in ids:
            problems.append(
                t(
                    f"{where(_col_of(columns, 'agent_id'))}：工号 {agent_id} 在第 "
                    f"{ids[agent_id]} 行也有",
                    f"{where(_col_of(columns, 'agent_id'))}: agent id {agent_id} is also on row "
                    f"{ids[agent_id]}",
                )
            )
        else:
            ids[str(agent_id)] = r
    if agent is not None:
        if any(a.name == agent for a in entry.agents):
            problems.append(
                t(
                    f"{where(_col_of(columns, 'agent'))}：{agent} 在团队 {team} 中出现了两次",
                    f"{where(_col_of(columns, 'agent'))}: {agent} is twice in team {team}",
                )
            )
            return
        entry.agents.append(
            Agent(
                str(agent),
                team,
                None if group is None else str(group),
                None if agent_id is None else str(agent_id),
                base.get("hire_date"),  # type: ignore[arg-type]
                None if base.get("leader") in (None, "") else str(base["leader"]),
                r,
            )
        )
        target = entry.agent_overrides.setdefault(str(agent), {}) if overrides else None
    elif group is not None:
        target = entry.group_overrides.setdefault(str(group), {}) if overrides else None
    else:
        target = entry.overrides if overrides else None
    if target is not None:
        level = "agent" if agent else "group" if group else "team"
        for key, values in overrides.items():
            have = target.setdefault(key, {})
            for f, v in values.items():
                if f in have and have[f] != v:
                    problems.append(
                        t(
                            f"{Location(file, sheet, r)}：{SAME_ZH[level]}的 {key}_{f} "
                            "给了两个不同的值",
                            f"{Location(file, sheet, r)}: {key}_{f} is given twice for the same "
                            f"{level} with different values",
                        )
                    )
                have[f] = v
        if agent is None and group is None:
            _check_team_targets(entry, file, sheet, r, problems)


def _check_team_targets(entry: Team, file: str, sheet: str, r: int, problems: list[str]) -> None:
    try:
        entry.targets()
    except ValueError as exc:
        problems.append(
            t(
                f"{Location(file, sheet, r)}：团队 {entry.name}：{reason(exc)}",
                f"{Location(file, sheet, r)}: team {entry.name}: {exc}",
            )
        )


def _col_of(columns: dict[int, object], key: str) -> int:
    return next(c for c, k in columns.items() if k == key)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("，", "").replace(",", "")
    pct = text.endswith(("%", "％"))
    try:
        number = float(text.rstrip("%％"))
    except ValueError:
        return None
    return number / 100 if pct else number


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from csxl.domain.excel_math import from_serial

        return from_serial(float(value)).date()
    text = str(value).strip().replace("/", "-").replace(".", "-")
    text = re.sub(r"(\d+)年(\d+)月(\d+)日?", r"\1-\2-\3", text)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


# ------------------------------------------------------------------ writing
EXAMPLES = {
    "zh": (
        (
            "售后一组",
            "A班",
            "王小明",
            "KF1001",
            date(2024, 3, 1),
            "李娜",
            {"active_customers": 20000},
        ),
        ("售后一组", "B班", "陈静", "KF1002", date(2026, 1, 5), "张伟", {"frt_mean_stretch": 45}),
    ),
    "en": (
        (
            "Support-1",
            "Early",
            "Wang Xiaoming",
            "KF1001",
            date(2024, 3, 1),
            "Li Na",
            {"active_customers": 20000},
        ),
        (
            "Support-1",
            "Late",
            "Chen Jing",
            "KF1002",
            date(2026, 1, 5),
            "Zhang Wei",
            {"frt_mean_stretch": 45},
        ),
    ),
}


def write_template(path: str | Path, lang: str = "zh") -> Path:
    """Write a roster template (headers, two example rows, a notes sheet); never overwrites."""
    from csxl.workbook.package import write_atomic

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(
            t("花名册是 .xlsx 文件。", "a roster is an .xlsx file."),
            Location(path.name),
            t("请给出以 .xlsx 结尾的路径。", "Give a path ending in .xlsx."),
        )
    if path.exists():
        raise InputError(
            t(
                "文件已存在；csxl 从不覆盖已有文件。",
                "the file exists already; csxl never overwrites it.",
            ),
            Location(path.name),
            t("请换一个文件名，或把旧文件移走。", "Choose another name or move the old file."),
        )
    write_atomic(path, template_bytes(lang))
    return path


def template_bytes(lang: str = "zh", rows: list[dict[str, object]] | None = None) -> bytes:
    """A roster workbook: the template (with its two example rows) or the given rows."""
    if rows is None:
        keys = ("team", "group", "agent", "agent_id", "hire_date", "leader")
        rows = [dict(zip(keys, e[:6], strict=True)) | e[6] for e in EXAMPLES[lang]]
    return roster_bytes(lang, rows)


def demo_roster_rows(
    agents, active_customers: dict[str, float] | None = None
) -> list[dict[str, object]]:
    """Roster rows for `csxl.demo_data.agent_roster`'s frame: each team's first agent leads it
    (and carries the team's active customers, when given); the complaints team has its own
    CSAT targets and one group a faster first response."""
    rows: list[dict[str, object]] = []
    leaders: dict[str, str] = {}
    for team, group, agent, agent_id, hired in agents.itertuples(index=False):
        first = team not in leaders
        leaders.setdefault(team, agent)
        rows.append(
            {
                "team": team,
                "group": group,
                "agent": agent,
                "agent_id": agent_id,
                "hire_date": hired.date(),
                "leader": leaders[team],
            }
        )
        if first and active_customers and team in active_customers:
            rows[-1]["active_customers"] = active_customers[team]
    teams = list(dict.fromkeys(agents.iloc[:, 0]))
    if "投诉组" in teams:
        rows.append(
            {"team": "投诉组", "csat_baseline": 0.8, "csat_stretch": 0.85, "csat_challenge": 0.9}
        )
    if teams:
        rows.append({"team": teams[0], "group": "B班", "frt_mean_stretch": 45})
    return rows


FOLDER = Path(__file__).resolve().parents[1] / "workbooks"


def main() -> None:
    from csxl.workbook.package import write_atomic

    target = FOLDER / "roster_zh.xlsx"
    write_atomic(target, template_bytes("zh"))
    print(target)


if __name__ == "__main__":
    main()
