"""Render what csxl prints to PNG for the docs: sheets of the demo plan, a team plan of the
demo's batch, the department summary and a 考核表.

    python docs/make_images.py

Runs `csxl demo` into a temporary folder, then LibreOffice headless prints each sheet to
PDF with its own page setup (recalculating on load) and pdftoppm renders the content of its
first page into docs/img/<name>.png. Install fonts-crosextra-carlito so that LibreOffice
draws Excel's column widths (tests/libreoffice.py).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from csxl.demo import run_demo  # noqa: E402
from csxl.workbook import layout  # noqa: E402
from tests.libreoffice import LibreOffice  # noqa: E402

# Each sheet's region worth showing, as a share of the printed content's width of its first
# page (a wide sheet prints in page groups: the first holds its row labels).
SHEETS = {"Dashboard": 1.0, "Goals": 1.0, "Scores": 1.0, "Milestones": 1.0, "Staffing": 1.0}
OUT = ROOT / "docs" / "img"
DPI = 200


def content_box(pdf: Path, work: Path, dpi: int = 30) -> tuple[int, int, int, int]:
    """(x, y, width, height) of the non-white area of page 1, in pixels at `dpi`."""
    import numpy as np

    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(work / "probe"),
        ],
        check=True,
    )
    data = (work / "probe.pgm").read_bytes()
    # Binary PGM: "P5", width, height, maxval, one whitespace, then the pixels.
    head = data.split(maxsplit=4)
    width, height = int(head[1]), int(head[2])
    pixels = np.frombuffer(data[len(data) - width * height :], dtype=np.uint8)
    ink = pixels.reshape(height, width) < 245
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def render(pdf: Path, target: Path, share: float, work: Path) -> None:
    x, y, w, h = content_box(pdf, work)
    scale = DPI / 30
    box = [round(v * scale) for v in (x - 3, y - 3, w * share + 6, h + 6)]
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(DPI),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            "-x",
            str(box[0]),
            "-y",
            str(box[1]),
            "-W",
            str(box[2]),
            "-H",
            str(box[3]),
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, LibreOffice.start() as office:
        plan = run_demo(Path(tmp) / "demo", "zh")
        for key, share in SHEETS.items():
            work = Path(tmp) / key
            pdf = office.convert_to_pdf(plan, work, [layout.title(key, "zh")])
            target = OUT / f"{key.lower()}.png"
            render(pdf, target, share, work)
            print(target)
        # The department summary's cover (`csxl consolidate` of the demo). Its sheets have
        # print areas, which LibreOffice exports even from hidden sheets: page 1 is the cover.
        from csxl.demo import SUMMARY

        summary = plan.parent / SUMMARY["zh"]
        for name, sheet in (("summary", "概览"),):
            work = Path(tmp) / name
            pdf = office.convert_to_pdf(summary, work, [sheet])
            target = OUT / f"{name}.png"
            render(pdf, target, 1.0, work)
            print(target)
        # A team plan as `csxl batch` writes and refreshes it: its Dashboard and Scores.
        team = plan.parent / "teams" / "售前一组.xlsx"
        for key in ("Dashboard", "Scores"):
            work = Path(tmp) / f"team-{key}"
            pdf = office.convert_to_pdf(team, work, [layout.title(key, "zh")])
            target = OUT / f"team_{key.lower()}.png"
            render(pdf, target, 1.0, work)
            print(target)
        # One agent's 考核表 (`csxl export-agent-sheets`), the whole A4 page.
        from csxl.agent_sheets import export_agent_sheets

        sheets = export_agent_sheets(plan, Path(tmp) / "agents")
        work = Path(tmp) / "agent"
        pdf = office.convert_to_pdf(sheets.files[0], work)
        target = OUT / "agent_sheet.png"
        render(pdf, target, 1.0, work)
        print(target)


if __name__ == "__main__":
    main()
