"""A DVC metrics file holds the few numbers people compare between runs; the rest goes beside it.

`dvc metrics show` prints one row per metrics file with one column per number: with settings,
paths, prose notes and every per-type score in it, the row ran to ~300 columns. So each stage
writes two files: `<name>.json` (a metric in dvc.yaml: at most MAX_HEADLINE numbers, picked from
the full record by dotted path) and `<name>_details.json` (a plain output beside it: the full
record, as before).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline import atomic

MAX_HEADLINE = 12


def details_path(path: str | Path) -> Path:
    """Where the full record of metrics file `path` goes: `x_metrics.json` → `x_metrics_details.json`."""
    p = Path(path)
    return p.with_name(f"{p.stem}_details{p.suffix}")


def _at(record: Mapping[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def headline(record: Mapping[str, Any], picks: Mapping[str, str]) -> dict[str, float | int]:
    """`{name: record[dotted path]}` for the numbers present (absent or non-numeric ones are left out)."""
    if len(picks) > MAX_HEADLINE:
        raise ValueError(f"{len(picks)} headline numbers; a metrics file keeps at most {MAX_HEADLINE}")
    out: dict[str, float | int] = {}
    for name, dotted in picks.items():
        value = _at(record, dotted)
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, (int, float)):
            out[name] = value
    return out


def write_metrics(path: str | Path, record: Mapping[str, Any], picks: Mapping[str, str]) -> dict[str, float | int]:
    """Write the full `record` to details_path(path) and its headline numbers to `path` (both atomically)."""
    numbers = headline(record, picks)
    atomic.write_json(details_path(path), dict(record))
    atomic.write_json(path, numbers)
    return numbers
