"""Models loaded once per process, not once per task.

A Dask worker process runs many tasks of a stage; each would otherwise rebuild the language
detector or the spaCy/CRF models (seconds each). Tasks ask this cache instead, keyed by the
settings the object is built from, so a worker loads each model once and a change of settings
never reuses a stale one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_CACHE: dict[tuple[str, str], Any] = {}


def settings_key(settings: Any) -> str:
    """A stable text key for a settings dataclass (lists inside make it unhashable as is)."""
    return json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str)


def per_process(kind: str, settings: Any, build: Callable[[], T]) -> T:
    """The object of `kind` for `settings` in this process, built by `build` on first use."""
    key = (kind, settings_key(settings))
    if key not in _CACHE:
        _CACHE[key] = build()
    return _CACHE[key]


def loaded() -> list[str]:
    """Kinds of object loaded in this process (tests check that workers load once)."""
    return sorted(kind for kind, _ in _CACHE)
