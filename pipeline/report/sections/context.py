"""Lookups every section shares: the group column and each passage's group and language."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.report.load import ReportInputs


@dataclass(frozen=True)
class CorpusContext:
    """The comparison's group column and a passage table joined with language and group."""

    group_column: str
    groups: list[str]
    languages: list[str]
    passages: pd.DataFrame  # passages + lang + group


def corpus_context(inputs: ReportInputs) -> CorpusContext:
    """Join passages with their language and comparison group."""
    group_column = str(inputs.groups.get("group_column") or "partner")
    passages = inputs.passages.merge(inputs.languages[["passage_id", "lang"]], on="passage_id", how="left")
    passages["lang"] = passages["lang"].fillna("und").astype(str)
    if group_column in passages.columns:
        passages["group"] = passages[group_column].fillna("").astype(str).replace("", "(none)")
    else:
        passages["group"] = "(none)"
    declared = [str(g) for g in (inputs.groups.get("groups") or {})]
    groups = sorted(set(declared) | set(passages["group"]))
    languages = sorted(set(passages["lang"]))
    return CorpusContext(group_column, groups, languages, passages)
