"""The static import graph of the `pipeline` package, read with `ast` (nothing is imported).

Tests use it to check dvc.yaml's code deps against what each stage really runs, and that
subpackages import one way. Every import statement counts, including those inside functions:
a lazy import still runs when the stage does.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "pipeline"


def module_path(module: str) -> Path | None:
    """The file of a dotted module name under ROOT (a package's __init__.py), or None."""
    base = ROOT.joinpath(*module.split("."))
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def all_modules() -> list[str]:
    """Every module of the package, dotted."""
    names = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def _is_package(module: str) -> bool:
    return (ROOT.joinpath(*module.split(".")) / "__init__.py").is_file()


def _with_parents(module: str) -> list[str]:
    """`a.b.c` and the packages Python imports first to reach it: a, a.b."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@cache
def direct_imports(module: str) -> frozenset[str]:
    """The package's modules that `module` imports (with their parent packages)."""
    path = module_path(module)
    if path is None:
        return frozenset()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if _is_package(module) else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                if module_path(target) is not None:
                    found.update(p for p in _with_parents(target) if module_path(p) is not None)
    found.discard(module)
    return frozenset(found)


def closure(entries: list[str]) -> set[str]:
    """Every module of the package that importing `entries` runs (entries and parents included)."""
    seen: set[str] = set()
    todo = [p for e in entries for p in _with_parents(e)]
    while todo:
        name = todo.pop()
        if name in seen or module_path(name) is None:
            continue
        seen.add(name)
        todo.extend(direct_imports(name))
    return seen
