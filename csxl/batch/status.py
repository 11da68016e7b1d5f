"""The statuses of a team's plan in a `csxl batch` run, and the run's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Statuses (stable keys) and how they are shown.
WRITTEN, REFRESHED, UP_TO_DATE, EDITED, NO_DATA, FAILED = (
    "written",
    "refreshed",
    "up to date",
    "edited",
    "no data",
    "failed",
)
NEEDS_A_LOOK = (EDITED, NO_DATA, FAILED)
REFRESH_NOTE = {
    "zh": {
        "agents": "{month}：{n} 名客服",
        "rejected": "，{n} 行被拒（见“错误”表）",
        "edited": "生成后已被修改，未覆盖（覆盖请加 --force）",
        "old": "；模板版本 {old}，当前 {new}：请运行 csxl upgrade",
        "no_data": "导出中没有本团队的数据，未刷新",
        "backup": "备份：{name}",
    },
    "en": {
        "agents": "{month}: {n} agents",
        "rejected": ", {n} rows rejected (see Errors)",
        "edited": "changed since csxl wrote it; not overwritten (use --force)",
        "old": "; template version {old}, current {new}: run csxl upgrade",
        "no_data": "no rows of this team in the export; not refreshed",
        "backup": "backup: {name}",
    },
}
STATUS_LABELS = {
    "zh": {
        WRITTEN: "已生成",
        REFRESHED: "已生成并刷新",
        UP_TO_DATE: "已是最新",
        EDITED: "已被修改，未覆盖",
        NO_DATA: "无数据",
        FAILED: "失败",
    },
    "en": {
        WRITTEN: "written",
        REFRESHED: "written and refreshed",
        UP_TO_DATE: "up to date",
        EDITED: "edited, kept",
        NO_DATA: "no data",
        FAILED: "failed",
    },
}


@dataclass
class TeamResult:
    team: str
    file: str
    status: str
    seconds: float = 0.0
    message: str = ""


@dataclass
class BatchResult:
    out: Path
    lang: str
    teams: list[TeamResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: Path | None = None

    @property
    def exit_code(self) -> int:
        from csxl.errors import EXIT_OK, EXIT_WARNINGS

        return EXIT_WARNINGS if any(t.status in NEEDS_A_LOOK for t in self.teams) else EXIT_OK


Progress = Callable[[TeamResult], None]  # told of each team's result as it comes
