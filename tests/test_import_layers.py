"""Imports run one way, down the data flow: a package imports only packages listed before it.

LAYERS is the order, lowest first. An upward import (a stage importing the web app's package,
training and a backend importing each other) makes a change in a high-level package re-run
low-level stages and, sooner or later, an import cycle; both fail here, naming the import.
"""

from __future__ import annotations

from collections import defaultdict

from tests.import_graph import PACKAGE, all_modules, direct_imports

# Lowest first. Top-level modules and subpackages alike; a new one must be placed here.
LAYERS = (
    "errors", "outputs", "atomic", "metrics_files", "config", "bootstrap", "line_input", "stage_inputs", "run",
    "datasets", "text", "e5_tokens", "decisions",
    "ingest", "language", "entities", "ner_training", "evaluate", "topics", "review", "finetune", "report",
    "tools", "fixtures", "evaluation",
    "__main__",
)


def _part(module: str) -> str | None:
    """The layer a module belongs to (its first name under the package); None for the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _edges() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(importing part, imported part) → the module imports behind it."""
    edges: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for module in all_modules():
        for target in direct_imports(module):
            a, b = _part(module), _part(target)
            if a and b and a != b:
                edges[(a, b)].append((module, target))
    return edges


def test_every_part_of_the_package_has_a_layer():
    parts = {_part(m) for m in all_modules()} - {None}
    assert parts <= set(LAYERS), f"place {sorted(parts - set(LAYERS))} in LAYERS (tests/test_import_layers.py)"


def test_no_upward_import():
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = [f"{m} imports {t}" for (a, b), pairs in _edges().items() if rank[a] < rank[b] for m, t in pairs]
    assert not upward, "imports against the layer order (lower must not import higher): " + "; ".join(sorted(upward))


def test_no_import_cycle_between_parts():
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in _edges():
        graph[a].add(b)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            raise AssertionError(f"import cycle between parts of {PACKAGE}: {' → '.join(cycle)}")


def test_the_checks_see_an_upward_import():
    """The graph must contain real cross-package edges, or the checks above would pass vacuously."""
    edges = _edges()
    assert ("entities", "decisions") in edges and ("ner_training", "entities") in edges
