"""Is an upstream output older than what it was built from?

With a `dvc.lock`, a stage is stale when one of its recorded dependencies (file or directory)
no longer has the recorded md5 (what `dvc status` reports; directories are hashed the way DVC
does, from their file manifest). Without one (outputs built by hand with `python -m pipeline
...`), an output is stale when one of its stage's inputs was modified after it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.report.inputs import DEFAULT_STAGE_DEPS

# File systems and copies round mtimes; a small tolerance avoids false alarms.
MTIME_TOLERANCE_S = 1.0


@dataclass(frozen=True)
class Staleness:
    """One reason an output cannot be trusted to reflect its inputs."""

    stage: str
    output: str
    changed: str

    def message(self) -> str:
        """A sentence naming the stage to rerun."""
        return (f"{self.output} was built before the last change to {self.changed} (stage '{self.stage}'): "
                f"run `dvc repro {self.stage}` (or `dvc repro`) and build the report again.")


def file_md5(path: Path) -> str:
    """MD5 of a file's bytes, as DVC records it for files."""
    stat = path.stat()
    return _md5(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=65536)
def _md5(path: str, _mtime_ns: int, _size: int) -> str:
    # Keyed by mtime and size too: several stages share inputs, each is read once per change.
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(path: Path) -> list[Path]:
    """Files under a directory, without Python bytecode and hidden files: importing a stage's code
    writes __pycache__, which must not make its outputs look stale."""
    return [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and p.suffix != ".pyc" and not any(part.startswith(".") for part in p.relative_to(path).parts)]


def newest_mtime(path: Path) -> float | None:
    """Latest modification time of a file, or of any file under a directory."""
    if path.is_file():
        return path.stat().st_mtime
    if not path.is_dir():
        return None
    times = [p.stat().st_mtime for p in _files(path)]
    return max(times) if times else None


def oldest_mtime(path: Path) -> float | None:
    """Earliest modification time of a file, or of any file under a directory."""
    if path.is_file():
        return path.stat().st_mtime
    if not path.is_dir():
        return None
    times = [p.stat().st_mtime for p in _files(path)]
    return min(times) if times else None


def _entry_path(entry: object) -> str:
    """dvc.yaml/dvc.lock list entries are plain strings or one-key mappings."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        if "path" in entry:
            return str(entry["path"])
        return str(next(iter(entry)))
    return str(entry)


def _load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def stage_graph(root: Path, outputs_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """stage → (deps, outs), repo-relative; from dvc.yaml when it exists, else the default graph."""
    dvc_yaml = _load_yaml(root / "dvc.yaml").get("stages") or {}
    graph: dict[str, tuple[list[str], list[str]]] = {}
    for name, stage in dvc_yaml.items():
        if not isinstance(stage, dict) or "foreach" in stage or "matrix" in stage:
            continue  # templated stages are resolved by DVC itself; dvc.lock covers them
        deps = [_entry_path(d) for d in stage.get("deps") or []]
        outs = [_entry_path(o) for key in ("outs", "metrics", "plots") for o in stage.get(key) or []]
        graph[str(name)] = (deps, outs)
    if graph:
        return graph
    out = os.path.relpath(outputs_dir, root) if outputs_dir.is_absolute() else str(outputs_dir)
    for name, deps in DEFAULT_STAGE_DEPS.items():
        graph[name] = ([d.format(out=out) for d in deps], [])
    return graph


def _stale_by_mtime(root: Path, stage: str, output: Path, deps: list[str], shown: str) -> Staleness | None:
    produced = oldest_mtime(output)
    if produced is None:
        return None
    for dep in deps:
        changed = newest_mtime(root / dep)
        if changed is not None and changed > produced + MTIME_TOLERANCE_S:
            return Staleness(stage, shown, dep)
    return None


def dir_md5s(path: Path) -> set[str]:
    """DVC's hash of a directory (md5 of its sorted file manifest + ".dir"), with and without bytecode.

    Both are returned because whether __pycache__ counts depends on the project's .dvcignore.
    """
    every = sorted((p.relative_to(path).as_posix(), p) for p in path.rglob("*") if p.is_file())
    hashes = set()
    for keep_bytecode in (True, False):
        manifest = [{"md5": file_md5(p), "relpath": rel} for rel, p in every
                    if keep_bytecode or ("__pycache__" not in rel.split("/") and not rel.endswith(".pyc"))]
        hashes.add(hashlib.md5(json.dumps(manifest, sort_keys=True).encode()).hexdigest() + ".dir")
    return hashes


def _stale_by_lock(root: Path, stage: str, output: Path, lock_stage: dict, shown: str) -> Staleness | None:
    for dep in lock_stage.get("deps") or []:
        if not isinstance(dep, dict) or "path" not in dep:
            continue
        recorded = str(dep.get("md5") or "")
        path = root / str(dep["path"])
        if not path.exists():
            return Staleness(stage, shown, str(dep["path"]))
        if not recorded:
            continue
        current = dir_md5s(path) if path.is_dir() else {file_md5(path)}
        if recorded not in current:
            return Staleness(stage, shown, str(dep["path"]))
    return None


def find_stale(root: Path, outputs_dir: Path, produced: dict[Path, str]) -> list[Staleness]:
    """Staleness of each output in `produced` (absolute output path → default stage name).

    The producing stage comes from dvc.yaml when the output is declared there, so the
    message names the stage the user actually has.
    """
    graph = stage_graph(root, outputs_dir)
    lock = _load_yaml(root / "dvc.lock").get("stages") or {}
    problems: list[Staleness] = []
    for output, default_stage in sorted(produced.items()):
        rel = os.path.relpath(output, root)
        shown = rel if not rel.startswith("..") else str(output)
        stage = default_stage
        for name, (_deps, outs) in graph.items():
            if any(rel == o or rel.startswith(o.rstrip("/") + "/") for o in outs):
                stage = name
                break
        if stage in lock and isinstance(lock[stage], dict):
            found = _stale_by_lock(root, stage, output, lock[stage], shown)
        else:
            deps = graph.get(stage, ([], []))[0]
            found = _stale_by_mtime(root, stage, output, deps, shown)
        if found is not None:
            problems.append(found)
    return problems
