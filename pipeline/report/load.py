"""Read and validate the upstream outputs the report is built from.

Required outputs that are missing, unreadable, lacking contract columns or stale stop the
build with a message naming the stage to run; optional ones (metrics) become `None` and the
report says which stage would produce them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.outputs import STAGE_COMMANDS, rerun
from pipeline.report.freshness import find_stale
from pipeline.report.inputs import INPUTS, InputSpec

# Columns holding JSON strings, parsed once here so the rest of the report works on Python objects.
JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "topics": ("top_terms", "representative_passages"),
    "topic_group_terms": ("terms",),
}


@dataclass
class ReportInputs:
    """Everything the report reads, validated. Optional metrics are None when absent."""

    passages: pd.DataFrame
    ingest_report: dict[str, Any]
    languages: pd.DataFrame
    entities: pd.DataFrame
    entity_summary: pd.DataFrame
    topics: pd.DataFrame
    assignments: pd.DataFrame
    prevalence: pd.DataFrame
    differences: pd.DataFrame
    distinctive_terms: pd.DataFrame
    topic_group_terms: pd.DataFrame
    entity_emphasis: pd.DataFrame
    groups: dict[str, Any]
    effects: pd.DataFrame | None = None  # covariate effects (None: topics outputs predate them)
    prevalence_over_time: pd.DataFrame | None = None
    topic_metrics: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    language_metrics: dict[str, Any] | None = None
    kk_ner_metrics: dict[str, Any] | None = None
    kk_ner_stanza_metrics: dict[str, Any] | None = None
    kk_ner_e5_metrics: dict[str, Any] | None = None
    missing: dict[str, str] = field(default_factory=dict)  # optional key → "run stage X" note
    stale: list[str] = field(default_factory=list)  # staleness messages when allowed to build anyway
    paths: dict[str, Path] = field(default_factory=dict)


def input_path(spec: InputSpec, outputs_dir: Path, root: Path) -> Path:
    """Where `spec` lives on disk (its first existing location, else its main one)."""
    base = root if spec.from_root else outputs_dir
    for rel in (spec.path, *spec.alternatives):
        if (base / rel).exists():
            return base / rel
    return base / spec.path


def shown_path(path: Path, root: Path) -> str:
    """`path` relative to the project root when inside it, so messages and pages do not depend on the checkout."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _rerun(spec: InputSpec) -> str:
    return f"run {rerun(spec.stage)}"


def _read(spec: InputSpec, path: Path) -> Any:
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # pyarrow and json errors are ValueErrors
        raise PipelineError(f"{path}: cannot be read ({exc}). It may be half-written or from an "
                            f"older version of the pipeline: {_rerun(spec)}.") from exc


def _check_columns(spec: InputSpec, path: Path, value: Any) -> None:
    if isinstance(value, pd.DataFrame):
        present = set(value.columns)
    elif isinstance(value, dict):
        present = set(value)
    else:
        raise PipelineError(f"{path}: expected a JSON object, found {type(value).__name__}. {_rerun(spec)}.")
    missing = [c for c in spec.columns if c not in present]
    if missing:
        what = "column(s)" if isinstance(value, pd.DataFrame) else "key(s)"
        raise PipelineError(f"{path}: missing {what} {missing} required by docs/DATA_CONTRACTS.md; "
                            f"it was written by an older or different '{spec.stage}' stage: {_rerun(spec)}.")


def _parse_json_column(frame: pd.DataFrame, column: str, path: Path, spec: InputSpec) -> pd.DataFrame:
    parsed = []
    for row, raw in enumerate(frame[column].tolist()):
        if isinstance(raw, (list, dict)):
            parsed.append(raw)
            continue
        if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
            parsed.append(None)
            continue
        try:
            parsed.append(json.loads(raw))
        except (TypeError, ValueError) as exc:
            raise PipelineError(f"{path} row {row}: column '{column}' is not valid JSON ({exc}): "
                                f"{str(raw)[:80]!r}. {_rerun(spec)}.") from exc
    frame = frame.copy()
    frame[column] = parsed
    return frame


def load_inputs(outputs_dir: str | Path, root: str | Path = ".", *, allow_stale: bool = False) -> ReportInputs:
    """Read every upstream output the report needs from `outputs_dir`.

    Raises `PipelineError` naming the stage to run when a required output is missing,
    malformed, or older than its inputs (unless `allow_stale`, which records the problems
    so the report can show them in a warning banner).
    """
    outputs_dir = Path(outputs_dir)
    root = Path(root)
    values: dict[str, Any] = {}
    missing_optional: dict[str, str] = {}
    paths: dict[str, Path] = {}
    absent_required = False
    for spec in INPUTS:
        path = input_path(spec, outputs_dir, root)
        paths[spec.key] = path
        if not path.exists():
            if spec.required:
                absent_required = True
            else:
                missing_optional[spec.key] = (f"not available: run `dvc repro {spec.stage}` (or `python -m pipeline "
                                              f"{STAGE_COMMANDS[spec.stage]}`) to produce {shown_path(path, root)}")
            continue
        value = _read(spec, path)
        _check_columns(spec, path, value)
        for column in JSON_COLUMNS.get(spec.key, ()):
            value = _parse_json_column(value, column, path, spec)
        values[spec.key] = value
    if absent_required:
        by_stage: dict[str, list[str]] = {}  # pipeline order: INPUTS lists stages upstream first
        for spec in INPUTS:
            if spec.required and not input_path(spec, outputs_dir, root).exists():
                by_stage.setdefault(spec.stage, []).append(spec.path)
        lines = [f"stage '{stage}': {', '.join(paths)}" for stage, paths in by_stage.items()]
        raise PipelineError(
            f"the report needs upstream outputs missing from {outputs_dir}:\n  " + "\n  ".join(lines)
            + f"\nRun `dvc repro` (or `dvc repro {list(by_stage)[-1]}`) first."
        )
    produced = {input_path(s, outputs_dir, root).resolve(): s.stage for s in INPUTS if s.key in values}
    stale = find_stale(root.resolve(), outputs_dir.resolve(), produced)
    messages = [s.message() for s in stale]
    if messages and not allow_stale:
        raise PipelineError("upstream outputs are stale:\n  " + "\n  ".join(messages)
                            + "\n(or pass --allow-stale to build a report marked as stale)")
    _check_consistency(values, paths)
    return ReportInputs(**values, missing=missing_optional, stale=messages, paths=paths)


def _check_consistency(values: dict[str, Any], paths: dict[str, Path]) -> None:
    """Cross-file checks that catch outputs from different runs mixed together."""
    passage_ids = set(values["passages"]["passage_id"])
    unknown = sorted(set(values["assignments"]["passage_id"]) - passage_ids)
    if unknown:
        raise PipelineError(
            f"{paths['assignments']}: {len(unknown)} passage(s) not in {paths['passages']} "
            f"(first: {unknown[0]}); the topics were computed on another ingest run: run `dvc repro topics`."
        )
    unknown = sorted(set(values["entities"]["passage_id"]) - passage_ids)
    if unknown:
        raise PipelineError(
            f"{paths['entities']}: {len(unknown)} passage(s) not in {paths['passages']} "
            f"(first: {unknown[0]}); the entities were extracted on another ingest run: run `dvc repro entities`."
        )
