"""Key series as CSV for `dvc plots`: one tidy file per chart, sorted so reruns are identical.

Files (x / y fields):
- plots/prevalence.csv: topic / prevalence (one row per topic and group; ci_low, ci_high)
- plots/differences.csv: topic / diff (one row per topic and pair of groups; ci_low, ci_high)
- plots/languages.csv: lang / passages (also words, documents)
- plots/topic_sizes.csv: topic / size
- plots/effects.csv: topic / estimate (one row per topic and covariate contrast; ci_low, ci_high)
- plots/prevalence_over_time.csv: time / prevalence (one row per topic, group and time; ci_low, ci_high)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def _label(frame: pd.DataFrame, labels: dict[int, str]) -> pd.Series:
    return frame["topic_id"].map(lambda t: labels.get(int(t), str(t)))


def series(prevalence: pd.DataFrame, differences: pd.DataFrame, per_lang: list[dict],
           topics: pd.DataFrame, labels: dict[int, str]) -> dict[str, pd.DataFrame]:
    """The plot tables by file name."""
    prev = prevalence.assign(topic=_label(prevalence, labels))[
        ["topic_id", "topic", "group", "prevalence", "ci_low", "ci_high", "n_docs"]
    ].sort_values(["topic_id", "group"])
    diff = differences.assign(topic=_label(differences, labels), pair=differences["group_a"].astype(str) + " - "
                              + differences["group_b"].astype(str))[
        ["topic_id", "topic", "pair", "diff", "ci_low", "ci_high", "distinguishable"]
    ].sort_values(["topic_id", "pair"])
    langs = pd.DataFrame(per_lang, columns=["lang", "passages", "words", "documents"]).sort_values("lang")
    sizes = topics.assign(topic=_label(topics, labels))[["topic_id", "topic", "size"]].sort_values("topic_id")
    return {"prevalence.csv": prev, "differences.csv": diff, "languages.csv": langs, "topic_sizes.csv": sizes}


def effect_series(effects: pd.DataFrame | None, over_time: pd.DataFrame | None,
                  labels: dict[int, str]) -> dict[str, pd.DataFrame]:
    """The covariate-effect plot tables (none when the topics outputs predate them)."""
    if effects is None or over_time is None:
        return {}
    eff = effects.assign(topic=_label(effects, labels))[
        ["topic_id", "topic", "column", "kind", "level", "reference", "estimate", "ci_low", "ci_high", "excludes_zero"]
    ].sort_values(["topic_id", "column", "level"])
    over = over_time.assign(topic=_label(over_time, labels))[
        ["topic_id", "topic", "group", "time", "prevalence", "ci_low", "ci_high", "n_docs"]
    ].sort_values(["topic_id", "group", "time"])
    return {"effects.csv": eff, "prevalence_over_time.csv": over}


def write_all(tables: dict[str, pd.DataFrame], directory: Path) -> list[str]:
    """Write each table as CSV (floats rounded to 6 places) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(directory / name, index=False, float_format="%.6f", lineterminator="\n")
    return sorted(tables)
