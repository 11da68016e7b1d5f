"""Generate, once, a demo ticket export for the benchmarks and cache it under bench/out/.

    python bench/gen_export.py [--rows 1000000] [--seed 2026] [--clean] [--force] [--json]

The file is a manager-style export (title row, note row, header on row 3, sheet 工单明细)
written by csxl.demo_data.write_xlsx from csxl.demo_data.generate_tickets, realistic dirt
included unless --clean. A JSON sidecar next to it records how it was made; the file is
regenerated when the arguments, the generator's source or the file itself changed.
Prints the path (or, with --json, the sidecar) on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
TITLE = "客服工单明细导出（2026年3月）"
HEADER_ROW = 2  # 0-based row of the header (row 3 in Excel), as fastexcel's header_row wants
MONTH = "2026-03"


def _generator_fingerprint() -> str:
    import csxl.demo_data as demo_data

    return hashlib.sha256(Path(demo_data.__file__).read_bytes()).hexdigest()[:16]


def export_path(rows: int, seed: int = 2026, dirty: bool = True, out: Path = OUT) -> Path:
    return out / f"tickets_{rows}_s{seed}{'' if dirty else '_clean'}.xlsx"


def ensure_export(
    rows: int, *, seed: int = 2026, dirty: bool = True, force: bool = False, out: Path = OUT
) -> dict:
    """The sidecar of the cached export, generating the file first if needed."""
    path = export_path(rows, seed, dirty, out)
    sidecar = path.with_suffix(".json")
    fingerprint = _generator_fingerprint()
    if not force and path.exists() and sidecar.exists():
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        same = (meta.get("rows"), meta.get("seed"), meta.get("dirty")) == (rows, seed, dirty)
        if (
            same
            and meta.get("generator") == fingerprint
            and meta.get("bytes") == (path.stat().st_size)
        ):
            return {**meta, "cached": True}

    from csxl.demo_data import expected_rows, generate_tickets, write_xlsx

    out.mkdir(parents=True, exist_ok=True)
    print(f"generating {rows:,} tickets (seed {seed}, dirty={dirty}) ...", file=sys.stderr)
    t0 = time.perf_counter()
    df = generate_tickets(rows, seed=seed, month=MONTH, dirty=dirty)
    t1 = time.perf_counter()
    print(f"  generated in {t1 - t0:.1f} s; writing {path} ...", file=sys.stderr)
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    write_xlsx(df, tmp, title=TITLE)
    t2 = time.perf_counter()
    tmp.replace(path)
    cells = int(df.notna().to_numpy().sum())
    meta = {
        "path": str(path),
        "rows": rows,
        "columns": df.shape[1],
        "cells": cells,
        "seed": seed,
        "dirty": dirty,
        "month": MONTH,
        "header_row": HEADER_ROW,
        "sheet": "工单明细",
        "generator": fingerprint,
        "generate_s": round(t1 - t0, 3),
        "write_s": round(t2 - t1, 3),
        "bytes": path.stat().st_size,
        "expected_rows": expected_rows(rows, dirty),
        "dirt": df.attrs.get("dirt", {}).get("counts", {}),
    }
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    print(
        f"  written in {t2 - t1:.1f} s ({cells / max(t2 - t1, 1e-9) / 1e6:.2f} M cells/s), "
        f"{meta['bytes'] / 1e6:.1f} MB",
        file=sys.stderr,
    )
    return {**meta, "cached": False}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clean", action="store_true", help="no dirt (default: realistic dirt)")
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    parser.add_argument("--json", action="store_true", help="print the sidecar JSON on stdout")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.rows > 1_048_573:
        parser.error("--rows must be between 1 and 1,048,573 (one Excel sheet)")
    meta = ensure_export(args.rows, seed=args.seed, dirty=not args.clean, force=args.force)
    if meta["cached"]:
        print(f"cached: {meta['path']}", file=sys.stderr)
    print(json.dumps(meta, ensure_ascii=False) if args.json else meta["path"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
