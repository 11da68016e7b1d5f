"""`csxl batch`: one plan workbook per team of a roster, fast, and safe to re-run.

How a workbook is made: the plan is built once per run (`builder.build`) with a placeholder
team name, and each team's copy is specialised by rewriting only the parts that differ:
the sheets whose title holds the team name, and the cells each room says a roster team
changes (`Room.roster` fills the team's inputs, `Room.team_cells` gives the cells: targets
with their SMART text and cached values, the cascade rows, the agents, the aliases, the
active customers). Every other part is copied raw (`zipsplice`). The result is cell for
cell what `build(inputs)` writes, values, formulas and cached values (tests/test_batch.py
proves it), at a few milliseconds a team instead of about a second.

With `--data`, each team's rows of the export are pasted into its Data sheet and the plan
is refreshed: that is real work (pandas, KPIs, a render), so it runs in a process pool.

Re-running is safe. `csxl-batch.json` beside the workbooks records, per team, the file, a
fingerprint of its inputs (roster targets, cascade and active customers, plan year and
language, csxl and template versions, the export's digest) and the SHA-256 of the bytes
written. A team whose inputs are unchanged and whose file still has those bytes is
skipped; a file whose bytes differ was edited (by a manager, or by Excel saving it) and is
never overwritten unless `--force`, which keeps a copy in `csxl-backups/` first. A sidecar
is used rather than a property inside the workbook because a file cannot carry the digest
of its own bytes.

The package, by concern: `naming` (Windows-safe file names), `template` (the plan built once
and patched per team), `manifest` (csxl-batch.json), `split` (the export by team), `pool`
(the refreshes of `--data`), `report` (batch-report.xlsx), `status` (statuses and results)
and `run` (the command).
"""

from csxl.batch.manifest import MANIFEST, fingerprint, read_manifest, sha256_file, write_manifest
from csxl.batch.naming import STEM_MAX, SUFFIX, file_names, safe_stem
from csxl.batch.report import REPORT, REPORT_HEADERS, write_report
from csxl.batch.run import WORK_DIR, run_batch
from csxl.batch.split import split_export
from csxl.batch.status import (
    EDITED,
    FAILED,
    NEEDS_A_LOOK,
    NO_DATA,
    REFRESH_NOTE,
    REFRESHED,
    STATUS_LABELS,
    UP_TO_DATE,
    WRITTEN,
    BatchResult,
    Progress,
    TeamResult,
)
from csxl.batch.template import PLACEHOLDER, Template

__all__ = [
    "EDITED",
    "FAILED",
    "MANIFEST",
    "NEEDS_A_LOOK",
    "NO_DATA",
    "PLACEHOLDER",
    "REFRESHED",
    "REFRESH_NOTE",
    "REPORT",
    "REPORT_HEADERS",
    "STATUS_LABELS",
    "STEM_MAX",
    "SUFFIX",
    "UP_TO_DATE",
    "WORK_DIR",
    "WRITTEN",
    "BatchResult",
    "Progress",
    "TeamResult",
    "Template",
    "file_names",
    "fingerprint",
    "read_manifest",
    "run_batch",
    "safe_stem",
    "sha256_file",
    "split_export",
    "write_manifest",
    "write_report",
]
