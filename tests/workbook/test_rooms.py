"""One room per sheet (issue 20): which modules outside tests name each sheet of the plan.

A module names a sheet when it spells the sheet's key or one of its titles as a string
(`"Calls"`, `"通话"`), uses its address class (`layout.Calls`), or imports its module in
csxl/workbook/sheets. The goal is that only the sheet's own module and the registry
(`csxl/workbook/layout.py`: every sheet name and address; `csxl/workbook/sheets/__init__.py`:
the sheet modules in build order) name it.

The test lists, for every sheet key, the modules outside tests that name it, and finds only
those two: a module that starts naming another sheet fails it, with the module and the
sheet. (It measured 169 module-sheet pairs outside the rooms when it was written, 0 since
2026-12-06.)
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from csxl.workbook import layout

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "csxl"
ROOMS = "csxl/workbook/sheets/"
REGISTRY = frozenset({"csxl/workbook/layout.py", "csxl/workbook/sheets/__init__.py"})
# The sheet's own module, where its file name differs from its key in lower case.
MODULE_OF = {"CallRecords": "call_records"}


def own_module(key: str) -> str:
    return f"{ROOMS}{MODULE_OF.get(key, key.lower())}.py"


def _address_classes() -> dict[str, str]:
    """layout's address class name -> sheet key (`Sla` -> SLA)."""
    keys = {s.key.lower(): s.key for s in layout.SHEETS}
    return {
        name: keys[name.lower()]
        for name, value in vars(layout).items()
        if isinstance(value, type) and name.lower() in keys
    }


# Titles that are also everyday words: 团队 / Team heads the team column of exports,
# rosters and tables; 订单 (order) and 通话 (call) are what one row of an export is, in
# messages; 目标 heads a column of targets (`t("目标", "Target")`); Staffing is the label of
# the ribbon button that runs `csxl staff`. Such a word names its sheet only where code
# hands it to a call as a sheet (`book.rows("Team")`, `layout.title("Team", lang)`), not in
# a label, a tuple of headings or a translation (`t("团队", "Team")`).
SHARED_WORDS = frozenset({"Team", "团队", "订单", "通话", "目标", "Staffing"})
TRANSLATIONS = frozenset({"t", "_t"})


def _call_argument(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    call = parents.get(node)
    if not isinstance(call, ast.Call) or node not in call.args:
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name not in TRANSLATIONS


def naming(source: str, path: str) -> set[str]:
    """The sheet keys one module's source names."""
    words = {}
    for s in layout.SHEETS:
        for word in (s.key, s.en, s.zh):
            words[word] = s.key
    classes = _address_classes()
    modules = {own_module(s.key)[:-3].replace("/", "."): s.key for s in layout.SHEETS}
    found: set[str] = set()
    tree = ast.parse(source, path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value in words and (
                node.value not in SHARED_WORDS or _call_argument(node, parents)
            ):
                found.add(words[node.value])
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module in modules:
                found.add(modules[node.module])
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in modules:
                    found.add(modules[full])
                if node.module == "csxl.workbook.layout" and alias.name in classes:
                    found.add(classes[alias.name])
        elif isinstance(node, ast.Import):
            found.update(modules[a.name] for a in node.names if a.name in modules)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in classes
            and isinstance(node.value, ast.Name)
            and node.value.id == "layout"
        ):
            found.add(classes[node.attr])
    return found


def named_by() -> dict[str, set[str]]:
    """key -> every module of the package that names it (paths relative to the repo)."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for key in naming(path.read_text("utf-8"), rel):
            out[key].add(rel)
    return dict(out)


def outside_rooms(named: dict[str, set[str]]) -> dict[str, list[str]]:
    """key -> the modules, other than its own and the registry, that name it."""
    out = {k: sorted(v - REGISTRY - {own_module(k)}) for k, v in named.items()}
    return {k: v for k, v in out.items() if v}


def test_every_sheet_has_its_own_module() -> None:
    missing = [s.key for s in layout.SHEETS if not (ROOT / own_module(s.key)).exists()]
    assert not missing


def test_only_its_own_module_and_the_registry_name_a_sheet() -> None:
    named = named_by()
    assert outside_rooms(named) == {}, "move that knowledge into the sheet's room"
    # Every room names its own sheet: the scan sees it where it is.
    assert [s.key for s in layout.SHEETS if own_module(s.key) not in named.get(s.key, ())] == []


def test_a_module_naming_another_sheet_is_reported() -> None:
    named = named_by()
    named["Calls"] = named["Calls"] | {"csxl/refresh.py"}
    assert outside_rooms(named) == {"Calls": ["csxl/refresh.py"]}


def test_naming_sees_each_way_of_naming_a_sheet() -> None:
    # The negative controls: each form the scanner must catch.
    assert naming('book.rows("Calls")', "x.py") == {"Calls"}
    assert naming('x = "通话记录"', "x.py") == {"CallRecords"}
    assert naming("from csxl.workbook.layout import Sla as L", "x.py") == {"SLA"}
    assert naming("r = layout.Qa.FIRST_ROW", "x.py") == {"QA"}
    assert naming("from csxl.workbook.sheets.goals import unit_format", "x.py") == {"Goals"}
    assert naming("from csxl.workbook.sheets import staffing", "x.py") == {"Staffing"}
    assert naming('"通话：结果超过"', "x.py") == set()  # a word inside a sentence is not a name
    assert naming('book.rows("Team")', "x.py") == {"Team"}
    assert naming('layout.title("Team", lang)', "x.py") == {"Team"}
    assert naming('HEADINGS = ("团队", "Team")', "x.py") == set()  # the team column's heading
    assert naming('label = t("团队", "Team")', "x.py") == set()
    assert naming('what = ("订单", "order")', "x.py") == set()  # a row's noun, in messages
    assert naming('book.rows("订单")', "x.py") == {"Orders"}
    assert naming('x = ("Calls", "通话")', "x.py") == {"Calls"}  # the key still names it
    assert naming('label = t("目标", "Target")', "x.py") == set()  # a column of targets
    assert naming('ctx.sheet("目标")', "x.py") == {"Goals"}
    assert naming('BUTTONS = (("排班测算", "Staffing", "csxl staff"),)', "x.py") == set()
    assert naming('has_sheet(book, "Staffing")', "x.py") == {"Staffing"}


def test_the_rooms_that_write_are_sheets_refresh_owns() -> None:
    # The room list against the preservation test's own list of the sheets refresh may
    # rewrite: a room that starts writing another sheet fails here too, and so does one
    # that refresh owns but no room writes.
    from csxl.workbook.sheets import ROOMS
    from tests.workbook.test_preservation import OWNED

    written = {r.key for r in ROOMS if r.write is not None}
    assert written == set(OWNED)
    # `csxl score` rewrites a part of what refresh writes.
    assert {r.key for r in ROOMS if r.rescore is not None} < written


def test_every_sheet_has_one_room() -> None:
    from csxl.workbook.sheets import ROOMS

    assert sorted(r.key for r in ROOMS) == sorted(s.key for s in layout.SHEETS)


def test_each_kind_of_table_has_one_paste_area() -> None:
    # The registry says which paste sheet holds which kind of table; the readers, the
    # import, the demo and the book port ask it by kind.
    from csxl.domain.columns import CALLS, ORDERS, TICKETS

    assert sorted(s.name for s in layout.PASTE_AREAS.values()) == ["calls", "orders", "tickets"]
    for schema in (TICKETS, ORDERS, CALLS):
        key = layout.paste_area(schema)
        assert layout.PASTE_AREAS[key] is schema and key in layout.PASTE_TABLES
    assert layout.paste_titles(TICKETS) == ("Data", "数据")
    assert layout.paste_titles(CALLS) == ("Call records", "通话记录")
