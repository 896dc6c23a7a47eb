"""Reading another stage's Parquet output, with one message per way it can be wrong.

Every stage that reads an upstream table needs the same three checks (missing, unreadable,
columns missing), each naming the stage that makes the file, so they live here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline.errors import PipelineError


def read_stage_output(path: str | Path, stage: str, required: Sequence[str] = (), what: str = "output",
                      columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read `path`, the Parquet output of `stage`; errors say to run that stage.

    `required` columns must be present; `columns`, when given, reads only those.
    """
    p = Path(path)
    rerun = f"`python -m pipeline {stage}` (or `dvc repro {stage}`)"
    if not p.exists():
        raise PipelineError(f"{p}: {what} not found. Run {rerun} first.")
    try:
        frame = pd.read_parquet(p, columns=list(columns) if columns is not None else None)
    except Exception as exc:  # pyarrow raises several types for a damaged file or absent columns
        raise PipelineError(f"{p}: not a readable Parquet file with the expected columns ({exc}). "
                            f"Re-run {rerun}.") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PipelineError(f"{p}: missing column(s) {missing} (see docs/DATA_CONTRACTS.md). "
                            f"Re-run {rerun} with the current code.")
    return frame
