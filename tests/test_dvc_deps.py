"""dvc.yaml's code deps are each stage's real import closure: no more, no less.

A stage whose deps miss a module it imports is reported "up to date" after that module
changes; a dep on a module it never imports re-runs it for nothing. The closure is computed
statically (tests/import_graph.py) from the stage's entry module: `python -m pipeline X` runs
pipeline/__main__.py and the command module COMMAND_MODULE names for X. A folder dep covers
every file under it, so it is allowed only when the stage imports every module in it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from pipeline.__main__ import COMMAND_MODULE, COMMAND_MODULES, build_parser
from tests.import_graph import PACKAGE, ROOT, all_modules, closure, module_path

STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
TEST_ONLY = ("pipeline.fixtures", "pipeline.evaluation")  # tests and bench/ only; no stage imports them


def _dep_paths(stage: dict) -> list[str]:
    return [d if isinstance(d, str) else next(iter(d)) for d in stage.get("deps", [])]


def _code_deps(stage: dict) -> list[str]:
    return [d.rstrip("/") for d in _dep_paths(stage) if d == PACKAGE or d.startswith(PACKAGE + "/")]


def entry_modules(stage: dict) -> list[str]:
    """The modules `cmd` imports first: pipeline.__main__ and the command's module."""
    argv = shlex.split(stage["cmd"])
    assert argv[:3] == ["python", "-m", PACKAGE], f"not a `python -m pipeline` command: {stage['cmd']}"
    command = argv[3]
    assert command in COMMAND_MODULE, (
        f"`{command}` is missing from COMMAND_MODULE in pipeline/__main__.py, so the stage imports every module")
    return [f"{PACKAGE}.__main__", COMMAND_MODULE[command]]


def _package_data(module: str) -> set[str]:
    """Non-Python files of the module's package (outside subpackages) that the module names.

    A module reads its package's data by a literal name ("templates", "kk_ner.cfg"); a file
    or folder of the package whose name the module's source quotes counts as read by it.
    """
    path = module_path(module)
    base = path.parent
    source = path.read_text(encoding="utf-8")
    found = set()
    for item in base.rglob("*"):
        if not item.is_file() or item.suffix in (".py", ".pyc") or "__pycache__" in item.parts:
            continue
        owner = item.parent
        while owner != base and not (owner / "__init__.py").is_file():
            owner = owner.parent
        first = item.relative_to(base).parts[0]
        if owner == base and (f'"{first}"' in source or f"'{first}'" in source or f"`{first}`" in source):
            found.add(str(item.relative_to(ROOT)))
    return found


def stage_files(name: str) -> set[str]:
    """Every file (modules and package data) the stage's code reads, relative to the repo."""
    modules = closure(entry_modules(STAGES[name]))
    files = {str(module_path(m).relative_to(ROOT)) for m in modules}
    for m in modules:
        files |= _package_data(m)
    return files


def suggested_deps(files: set[str]) -> list[str]:
    """The shortest dep list covering exactly `files`: a folder when all its files are used."""
    def used_whole(folder: Path) -> bool:
        return all(str(p.relative_to(ROOT)) in files for p in folder.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    out: set[str] = set()
    for f in files:
        path = ROOT / f
        best = f
        folder = path.parent
        while folder != ROOT / PACKAGE and folder != ROOT and used_whole(folder):
            best = str(folder.relative_to(ROOT))
            folder = folder.parent
        out.add(best)
    return sorted(out)


def _covered(path: str, deps: list[str]) -> bool:
    return any(path == d or path.startswith(d + "/") for d in deps)


def _dep_files(deps: list[str]) -> set[str]:
    files = set()
    for d in deps:
        p = ROOT / d
        items = [p] if p.is_file() else [q for q in p.rglob("*") if q.is_file()]
        files |= {str(q.relative_to(ROOT)) for q in items
                  if "__pycache__" not in q.parts and q.suffix != ".pyc"}
    return files


@pytest.mark.parametrize("name", sorted(STAGES))
def test_every_module_a_stage_imports_is_a_dep(name):
    deps = _code_deps(STAGES[name])
    files = stage_files(name)
    missing = sorted(f for f in files if not _covered(f, deps))
    assert not missing, (f"stage {name} imports {missing} but dvc.yaml does not list them, so editing them "
                         f"re-runs nothing. Code deps that match the imports: {suggested_deps(files)}")


@pytest.mark.parametrize("name", sorted(STAGES))
def test_no_stage_depends_on_code_it_does_not_import(name):
    deps = _code_deps(STAGES[name])
    files = stage_files(name)
    extra = sorted(_dep_files(deps) - files)
    assert not extra, (f"stage {name} lists {extra} in dvc.yaml but never imports them: editing them would "
                       f"re-run it for nothing. Code deps that match the imports: {suggested_deps(files)}")


def test_code_deps_exist():
    for name, stage in STAGES.items():
        for d in _code_deps(stage):
            assert (ROOT / d).exists(), f"stage {name}: dep {d} does not exist"


def test_test_only_packages_are_imported_by_no_stage():
    for name, stage in STAGES.items():
        used = [m for m in closure(entry_modules(stage)) if m.startswith(TEST_ONLY)]
        assert not used, f"stage {name} imports test-only modules {used}; move what it needs out of them"


def test_every_command_is_routed_to_its_module():
    """A command missing from COMMAND_MODULE imports the whole package (and its deps would be all of it)."""
    routed = set(COMMAND_MODULE)
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # argparse keeps them only here
    assert commands <= routed, f"add {sorted(commands - routed)} to COMMAND_MODULE in pipeline/__main__.py"
    assert set(COMMAND_MODULE.values()) <= set(COMMAND_MODULES)


def test_the_import_graph_sees_lazy_and_relative_imports():
    """The closure must follow imports inside functions (entities.stage applies decisions lazily)."""
    assert "pipeline.review.catalog" in closure(["pipeline.finetune.stage"])
    assert set(all_modules()) >= closure([f"{PACKAGE}.__main__"])
