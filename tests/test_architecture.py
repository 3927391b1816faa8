"""The layer rules (import-linter contracts in pyproject.toml) and no import circles at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_layer_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every module that reaches itself, with one circle through it (imports made only for
    type checking count too: they are circles a reader follows all the same)."""
    found = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None:
                found.append([module, *back])
                break
    return found


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("enroll_viewer")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    assert _cycles(graph) == []
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert ["pkg.a", "pkg.b", "pkg.c", "pkg.a"] in _cycles(graph)


def test_folders_name_the_layers() -> None:
    package = ROOT / "enroll_viewer"
    top = sorted(p.name for p in package.iterdir() if p.suffix == ".py")
    assert top == ["__init__.py", "__main__.py", "launch.py", "resources.py", "self_test.py"]
    for module in package.rglob("*.py"):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 450, module
