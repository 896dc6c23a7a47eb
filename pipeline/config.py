"""params.yaml → typed settings.

Each stage declares a dataclass of its settings with defaults; `stage_settings` fills it from
the stage's section of params.yaml and refuses unknown keys, so a typo in params.yaml is an
error that names the key instead of a silently ignored setting.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, TypeVar

import yaml

from pipeline.errors import PipelineError

DEFAULT_PARAMS = Path("params.yaml")

T = TypeVar("T")


def load_params(path: str | os.PathLike[str] = DEFAULT_PARAMS) -> dict[str, Any]:
    """Read params.yaml; a missing file means every stage uses its defaults."""
    p = Path(path)
    if not p.exists():
        return {}
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PipelineError(f"{p}: not valid YAML ({exc}). Fix the file and run again.") from exc
    if not isinstance(data, dict):
        raise PipelineError(f"{p}: expected a mapping of stage names to settings.")
    return data


def stage_settings(cls: type[T], stage: str, params: dict[str, Any] | None = None,
                   path: str | os.PathLike[str] = DEFAULT_PARAMS) -> T:
    """Build the settings dataclass `cls` from section `stage` of params.yaml."""
    if params is None:
        params = load_params(path)
    section = params.get(stage) or {}
    if not isinstance(section, dict):
        raise PipelineError(f"params.yaml: section '{stage}' must be a mapping of settings.")
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(section) - known)
    if unknown:
        raise PipelineError(
            f"params.yaml: unknown setting(s) {unknown} in section '{stage}'. "
            f"Known settings: {sorted(known)}."
        )
    return cls(**section)
