"""The house's shape: no import cycle, and the layer contracts of pyproject.toml hold.

Imports inside functions and under TYPE_CHECKING count: a cycle that only a function-level
import hides is still a cycle of knowledge (issue 20)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("csxl", cache_dir=None)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_cycle() -> None:
    graph = _graph()
    found = cycles(graph)
    details = [
        f"{a} -> {b}: line {d['line_number']} {d['line_contents']}"
        for group in found
        for a in group
        for b in group
        for d in graph.get_import_details(importer=a, imported=b)
    ]
    assert not found, "\n".join(details)


def test_the_cycle_finder_finds_a_cycle() -> None:
    # The negative control: one import back from the domain to the CLI closes a loop.
    graph = _graph()
    graph.add_import(importer="csxl.domain.kpis", imported="csxl.cli")
    found = cycles(graph)
    assert any({"csxl.domain.kpis", "csxl.cli"} <= set(group) for group in found)


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _top_level() -> set[str]:
    """Every module and package directly under csxl."""
    graph = _graph()
    return {".".join(m.split(".")[:2]) for m in graph.modules if m != "csxl"}


@pytest.mark.parametrize(
    "source, allowed",
    [
        ("csxl.domain", {"csxl.domain"}),
        ("csxl.readers", {"csxl.readers", "csxl.domain", "csxl.errors"}),
    ],
)
def test_the_inner_layers_forbid_every_other_module(source: str, allowed: set[str]) -> None:
    # A module added later is forbidden too: the contract lists everything but `allowed`.
    (contract,) = [c for c in _contracts() if c["source_modules"] == [source]]
    forbidden = {m for m in contract["forbidden_modules"] if m.startswith("csxl.")}
    missing = _top_level() - allowed - forbidden - {"csxl.__main__"}
    assert not missing, f"{source}'s contract does not forbid {sorted(missing)}"


def test_the_layer_contracts_hold() -> None:
    command = shutil.which("lint-imports")
    assert command, "import-linter is a test dependency (pip install -e '.[test]')"
    run = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in run.stdout


def test_a_broken_contract_is_reported(tmp_path: Path) -> None:
    # The negative control: a contract the code breaks (the CLI imports the domain) fails.
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "csxl"\n\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "cli may not import the domain"\ntype = "forbidden"\n'
        'source_modules = ["csxl.cli"]\nforbidden_modules = ["csxl.domain"]\n',
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()", "--config", str(config), "--no-cache"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode != 0 and "BROKEN" in run.stdout, run.stdout[-2000:]
