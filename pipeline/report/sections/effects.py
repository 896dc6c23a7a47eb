"""Covariate effects: average marginal effects per metadata column and prevalence over time per group.

Reads effects.parquet, prevalence_over_time.parquet and groups.json's `effects` summary and
notes (written by the topics stage, pipeline/topics/effects.py). When the effects were not
estimated (switched off, corpus too small) the section shows the stage's note instead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.report.load import ReportInputs
from pipeline.report.sections.comparison import chart_topics
from pipeline.report.sections.context import CorpusContext
from pipeline.report.settings import ReportSettings
from pipeline.report.table import Row, Table

MAX_PANELS = 6  # topics drawn over time (largest first); every topic stays in the table


def contrast(row: Any) -> str:
    """What an effect compares: "russian vs kazakh" or "per +1 year"."""
    if row.kind == "per_unit":
        return f"per +1 {row.column}"
    return f"{row.level} vs {row.reference}"


def reading(row: Any, level: float) -> str:
    """One plain sentence saying what the interval shows."""
    ci = f"({100 * row.ci_low:+.1f} to {100 * row.ci_high:+.1f} points)"
    if not bool(row.excludes_zero):
        return f"Cannot be told from noise: the {level:.0%} interval {ci} includes zero."
    direction = "more" if row.estimate > 0 else "less"
    if row.kind == "per_unit":
        return f"Each +1 {row.column} goes with {direction} of this topic; the interval {ci} excludes zero."
    return f"{row.level} documents have {direction} of this topic than {row.reference} ones, other covariates " \
           f"held as observed; the interval {ci} excludes zero."


def build(inputs: ReportInputs, ctx: CorpusContext, settings: ReportSettings) -> dict[str, Any]:
    """The effects table, the topics drawn over time, and the notes of the topics stage about effects."""
    summary = inputs.groups.get("effects") or {}
    level = float(summary.get("ci_level", 0.95))
    notes = [str(n) for n in inputs.groups.get("notes") or [] if str(n).startswith("Covariate effects")]
    labels = {int(t): (str(lbl) or f"Topic {t}") for t, lbl in zip(inputs.topics["topic_id"], inputs.topics["label"],
                                                                   strict=True)}
    effects = inputs.effects if inputs.effects is not None else pd.DataFrame()
    over = inputs.prevalence_over_time if inputs.prevalence_over_time is not None else pd.DataFrame()
    missing = inputs.missing.get("effects") or inputs.missing.get("prevalence_over_time")
    if missing:
        notes.append(f"Covariate effects are {missing}.")
    table = Table("effects", ["Topic", "Covariate", "Contrast", "Effect", f"{level:.0%} interval", "Reading",
                              "Documents"], limit=settings.table_rows, numeric=(3, 6))
    n_clear = 0
    if not effects.empty:
        shown = effects[effects["topic_id"] != -1].copy()
        shown["abs"] = shown["estimate"].abs()
        shown = shown.sort_values(["excludes_zero", "abs", "topic_id", "column", "level"],
                                  ascending=[False, False, True, True, True])
        for r in shown.itertuples():
            n_clear += bool(r.excludes_zero)
            unit = "pts/unit" if r.kind == "per_unit" else "pts"
            table.rows.append(Row([labels.get(int(r.topic_id), str(r.topic_id)), str(r.column), contrast(r),
                                   f"{100 * r.estimate:+.2f} {unit}",
                                   f"{100 * r.ci_low:+.2f} to {100 * r.ci_high:+.2f}", reading(r, level),
                                   str(r.n_level_docs)]))
    topics = [t for t in chart_topics(inputs, MAX_PANELS) if not over.empty and t in set(over["topic_id"])]
    return {"available": not effects.empty, "summary": summary, "notes": notes, "table": table,
            "n_clear": int(n_clear), "level": level, "over_time": over, "chart_topics": topics, "labels": labels,
            "time_column": str(over["time_column"].iloc[0]) if not over.empty else "",
            "page_group_column": ctx.group_column}
