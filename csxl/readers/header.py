"""Find the header row: the row among the first ones that names the most known columns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from csxl.domain.synonyms import HeaderMatch, Synonyms, looks_like_summary
from csxl.errors import InputError, Location, t

SCAN_ROWS = 30
MIN_MATCHES = 2


def find_header(
    rows: Sequence[Sequence[object]], synonyms: Synonyms, where: Location
) -> tuple[int, HeaderMatch]:
    """Return (0-based index into rows, match). Raises InputError when there is none."""
    best_index, best_score = -1, 0
    for i, row in enumerate(rows[:SCAN_ROWS]):
        score = synonyms.score(row)
        if score > best_score:
            best_index, best_score = i, score
    schema = synonyms.schema
    labels = schema.labels
    if best_score < MIN_MATCHES:
        if schema.name == "tickets" and any(looks_like_summary(row) for row in rows[:SCAN_ROWS]):
            raise InputError(
                t(
                    "这是按客服汇总的报表（好评数、平均首响时长……），不是逐条工单数据。",
                    "this is a per-agent summary (好评数, 平均首响时长 ...), not per-ticket data.",
                ),
                where,
                t(
                    "请导出工单明细（工单明细/会话明细），每张工单一行。",
                    "Export the ticket details (工单明细/会话明细), one row per ticket.",
                ),
            )
        if not any(any(str(c).strip() for c in row if c is not None) for row in rows):
            raise InputError(
                t("工作表是空的。", "the sheet is empty."),
                where,
                t(
                    f"请粘贴或导出{schema.what[0]}数据。",
                    f"Paste or export the {schema.what[1]} data.",
                ),
            )
        needed = " and ".join(labels[c][1].lower() for c in schema.required).replace(
            " and ", ", ", len(schema.required) - 2
        )
        raise InputError(
            t(
                f"前 {SCAN_ROWS} 行中没有找到表头行。",
                f"no header row found in the first {SCAN_ROWS} rows.",
            ),
            where,
            t(
                f"数据需要一个至少含有{'、'.join(labels[c][0] for c in schema.required)}"
                "的表头行；可在“映射”表或映射文件中为你的表头添加同义词。",
                f"The data needs a header row with at least {needed}; "
                "add a synonym for your headers in the Mapping sheet or file.",
            ),
        )
    match = synonyms.match(rows[best_index])
    if match.missing_required:
        names = " and ".join(labels[c][1] for c in match.missing_required)
        found = ", ".join(h for h in match.headers if h)
        missing = "、".join(labels[c][0] for c in match.missing_required)
        raise InputError(
            t(f"表头行中没有“{missing}”列。", f"the header row has no {names} column."),
            Location(where.file, where.sheet, best_index + 1),
            t(
                f"找到的表头：{found}。请重命名该列，或在“映射”表中添加同义词。",
                f"Headers found: {found}. Rename the column or add a synonym in the Mapping sheet.",
            ),
        )
    return best_index, match


def settle(
    match: HeaderMatch,
    filled: Callable[[int], bool],
    where: Location,
    header_row: int,
    letter: Callable[[int], str],
    labels: Mapping[str, tuple[str, str]],
    ranked: Iterable[str] = (),
) -> HeaderMatch:
    """One position per column, by what the columns below the header hold.

    A column that is empty in every row counts as absent, so its KPIs are unavailable with
    their reason, as for an export without it: the template's own empty columns beside a
    pasted export, or an import's, never pass for data. Two columns of one field that both
    hold data are refused: csxl cannot tell which the manager means (a second export pasted
    over the first without clearing it leaves such pairs). An empty required column stays,
    so that its rows are rejected with their reason.

    `ranked` columns may be given twice: the best-ranked synonym with data wins.
    `filled(pos)` says whether the column at header position `pos` holds a value below the
    header; `letter(pos)` is its column as the user sees it (a letter, or a number in a CSV).
    """
    columns: dict[str, int] = {}
    scales: dict[str, float] = {}
    for column, hits in match.candidates.items():
        full = [hit for hit in hits if filled(hit[0])]
        if len(full) > 1 and column not in ranked:
            a, b = sorted(pos for pos, _ in full)[:2]
            label = " / ".join(labels.get(column, (column,)))
            first, second = f"{letter(a)} ({match.headers[a]})", f"{letter(b)} ({match.headers[b]})"
            raise InputError(
                t(
                    f"{first} 列和 {second} 列都是“{labels.get(column, (column,))[0]}”，"
                    "而且都有数据，无法判断该用哪一列。",
                    f"columns {first} and {second} both hold {label} data; csxl cannot tell "
                    "which to use.",
                ),
                Location(where.file, where.sheet, header_row),
                t(
                    "请删除其中一列，或清空该表后只粘贴一份导出（多份导出请用 csxl import）。",
                    "Delete one of the two columns, or clear the sheet and paste one export "
                    "(for several exports use `csxl import`).",
                ),
            )
        chosen = full[0] if full else hits[0] if column in match.required else None
        if chosen is not None:
            columns[column], scales[column] = chosen
    # A pair with an empty member is no ambiguity; a pair with two filled ones was refused.
    return replace(match, columns=columns, scales=scales, ambiguous=[])
