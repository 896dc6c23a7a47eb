"""Reading another stage's Parquet output, with one message per way it can be wrong.

Every stage that reads an upstream table needs the same three checks (missing, unreadable,
columns missing), each naming the command that makes the file, so they live here once. Which
stage makes a file, with which command and columns, is declared in pipeline/outputs.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline.errors import PipelineError
from pipeline.outputs import output, rerun


def read_stage_output(path: str | Path, stage: str, required: Sequence[str] = (), what: str = "output",
                      columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read `path`, the Parquet output of DVC stage `stage`; errors say to run that stage.

    `required` columns must be present; `columns`, when given, reads only those.
    """
    p = Path(path)
    again = rerun(stage)
    if not p.exists():
        raise PipelineError(f"{p}: {what} not found. Run {again} first.")
    try:
        frame = pd.read_parquet(p, columns=list(columns) if columns is not None else None)
    except Exception as exc:  # pyarrow raises several types for a damaged file or absent columns
        raise PipelineError(f"{p}: not a readable Parquet file with the expected columns ({exc}). "
                            f"Re-run {again}.") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PipelineError(f"{p}: missing column(s) {missing} (see docs/DATA_CONTRACTS.md). "
                            f"Re-run {again} with the current code.")
    return frame


def read_output(key: str, path: str | Path | None = None, required: Sequence[str] | None = None,
                columns: Sequence[str] | None = None, what: str | None = None) -> pd.DataFrame:
    """Read the declared output `key` (pipeline/outputs.py) from `path` (default: its declared path).

    `required` defaults to the declared columns (to `columns` when only those are read);
    `columns`, when given, reads only those.
    """
    out = output(key)
    if required is None:
        required = tuple(columns) if columns is not None else out.columns
    return read_stage_output(path if path is not None else out.path, out.stage, required,
                             what=what or out.name, columns=columns)
