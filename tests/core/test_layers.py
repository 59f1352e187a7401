"""Imports point down only (docs/architecture.md): a layer never imports one above it.

Lazy imports inside functions count too: the layering is about what a module knows, not about
when it pays for an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mlsecops_jupyter"

# what each first-level part may import of ours (besides itself and ``_version``)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "checks": {"core"},
    "display": {"core"},
    "lineage": {"core", "checks"},
    "provenance": {"core", "checks", "lineage"},
    "card": {"core", "checks", "lineage"},
    "runner": {"core"},
    "server": {"core", "checks", "lineage", "card"},
}


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imported_parts(path: Path) -> set[str]:
    """First-level parts of our package that ``path`` imports (absolute or relative)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = list(path.relative_to(PACKAGE).parent.parts)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
                if not target and node.module is None:  # ``from .. import x``
                    target = [alias.name for alias in node.names][:1]
            elif node.module and node.module.split(".")[0] == "mlsecops_jupyter":
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                found.add(target[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "mlsecops_jupyter" and len(parts) > 1:
                    found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "labextension" not in p.parts)


@pytest.mark.parametrize("path", [p for p in MODULES if _part(p) in ALLOWED],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_layer_imports_only_the_layers_below_it(path: Path) -> None:
    part = _part(path)
    upward = _imported_parts(path) - ALLOWED[part] - {part, "_version"}
    assert not upward, f"{path.relative_to(PACKAGE)} ({part}) imports {sorted(upward)}"


def test_every_part_of_the_package_has_a_place_in_the_layers() -> None:
    front_ends = {"__init__", "__main__", "_version", "magics", "cli", "commands"}
    parts = {_part(p) for p in MODULES}
    assert parts <= set(ALLOWED) | front_ends, sorted(parts - set(ALLOWED) - front_ends)
