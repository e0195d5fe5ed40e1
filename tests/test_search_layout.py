"""The search package's layout: no import cycles, the Whoosh engine below the boundary, Whoosh patched by version."""

import ast
from pathlib import Path

import pytest
import whoosh

from archive.search.connections import engine
from archive.search.engine import SearchEngine
from archive.search.whoosh import patches
from archive.search.whoosh.backend import ArchiveWhooshSearchBackend

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archive" / "search"
# What the engine's own code may import from the archive: the boundary, the engine-neutral
# description of a batch's documents, and the archive's text analysis (which every engine applies).
ENGINE_MAY_IMPORT = {"archive.search.engine", "archive.search.documents", "archive.search.analysis"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def archive_imports(path: Path) -> set[str]:
    """Every archive module the file imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("archive"):
            found.add(node.module)
            for alias in node.names:  # `from archive.search.whoosh import rebuild` imports a module
                candidate = f"{node.module}.{alias.name}"
                if (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("archive")}
    return found


def graph() -> dict[str, set[str]]:
    files = [*PACKAGE.rglob("*.py"), ROOT / "archive" / "indexing.py"]
    return {module_name(path): archive_imports(path) for path in files}


def test_search_package_has_no_import_cycle():
    edges = graph()
    state: dict[str, str] = {}
    cycles = []

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if target not in edges:
                continue
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target] if target in trail else [module, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_whoosh_engine_never_imports_above_the_boundary():
    for module, targets in graph().items():
        if module.startswith("archive.search.whoosh"):
            upward = {t for t in targets if not t.startswith("archive.search.whoosh")} - ENGINE_MAY_IMPORT
            assert upward == set(), module


def test_no_search_module_is_over_500_lines():
    sizes = {path.name: len(path.read_text().splitlines()) for path in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_whoosh_connection_is_the_archive_engine():
    found = engine("default")
    assert isinstance(found, ArchiveWhooshSearchBackend)
    for name in SearchEngine.__dict__:
        if not name.startswith("_"):
            assert callable(getattr(found, name)), name


def test_whoosh_patches_refuse_another_version(monkeypatch):
    monkeypatch.setattr(patches, "_applied", False)
    monkeypatch.setattr(whoosh, "__version__", (2, 7, 5))
    with pytest.raises(patches.UnsupportedWhooshVersion, match="2.7.4"):
        patches.apply()


def test_whoosh_patches_are_installed_by_the_app():
    from whoosh.codec.whoosh3 import W3PerDocReader
    from whoosh.index import FileIndex

    assert W3PerDocReader._cached_reader is patches._cached_lengths_reader
    assert FileIndex._reader.__func__ is patches._reader_reusing_segments
