"""Which upstream outputs the report reads, which stage makes each, and what they must contain.

The column lists follow docs/DATA_CONTRACTS.md; upstream stages may add columns, never drop these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputSpec:
    """One upstream output the report reads."""

    key: str  # name inside `ReportInputs`
    path: str  # relative to the outputs directory (or to the repo root when `from_root`)
    stage: str  # the DVC stage that writes it (default name; dvc.yaml overrides when present)
    columns: tuple[str, ...] = ()  # required columns (parquet) or keys (json)
    required: bool = True
    from_root: bool = False
    alternatives: tuple[str, ...] = ()  # other places the same output has lived; the first that exists wins


INPUTS: tuple[InputSpec, ...] = (
    InputSpec("passages", "passages.parquet", "ingest",
              ("doc_id", "passage_id", "passage_index", "text", "n_chars", "n_words", "title")),
    InputSpec("ingest_report", "ingest_report.json", "ingest", ("documents", "passages", "skipped")),
    InputSpec("languages", "languages.parquet", "language", ("passage_id", "lang", "script", "confidence")),
    InputSpec("entities", "entities.parquet", "entities",
              ("passage_id", "doc_id", "start", "end", "text", "label", "canonical_id", "canonical_name")),
    InputSpec("entity_summary", "entity_summary.parquet", "entities",
              ("canonical_id", "canonical_name", "label", "mentions", "documents")),
    InputSpec("topics", "topics/topics.parquet", "topics",
              ("topic_id", "label", "size", "top_terms", "representative_passages")),
    InputSpec("assignments", "topics/assignments.parquet", "topics",
              ("passage_id", "doc_id", "topic_id", "probability", "lang")),
    InputSpec("prevalence", "topics/prevalence.parquet", "topics",
              ("group_column", "group", "topic_id", "prevalence", "ci_low", "ci_high", "n_docs", "n_passages")),
    InputSpec("differences", "topics/differences.parquet", "topics",
              ("group_column", "group_a", "group_b", "topic_id", "diff", "ci_low", "ci_high", "distinguishable")),
    InputSpec("distinctive_terms", "topics/distinctive_terms.parquet", "topics",
              ("group_column", "group", "term", "lang", "score", "count")),
    InputSpec("topic_group_terms", "topics/topic_group_terms.parquet", "topics", ("topic_id", "group", "terms")),
    InputSpec("entity_emphasis", "topics/entity_emphasis.parquet", "topics",
              ("group_column", "group", "label", "canonical_id", "canonical_name", "mentions", "documents", "share")),
    InputSpec("groups", "topics/groups.json", "topics", ("group_column", "groups")),
    # covariate effects: optional, so a report still builds from topics outputs that predate them
    InputSpec("effects", "topics/effects.parquet", "topics",
              ("topic_id", "column", "kind", "level", "reference", "estimate", "ci_low", "ci_high", "excludes_zero",
               "n_level_docs"), required=False),
    InputSpec("prevalence_over_time", "topics/prevalence_over_time.parquet", "topics",
              ("topic_id", "time_column", "time", "group_column", "group", "prevalence", "ci_low", "ci_high", "n_docs"),
              required=False),
    InputSpec("topic_metrics", "topic_metrics.json", "topics", required=False),
    InputSpec("metrics", "metrics.json", "evaluate", required=False),
    InputSpec("language_metrics", "language_metrics.json", "language", required=False),
    InputSpec("kk_ner_metrics", "models/kk_ner_metrics.json", "train_kk_ner", required=False, from_root=True,
              alternatives=("models/kk_ner/metrics.json",)),
    InputSpec("kk_ner_stanza_metrics", "models/kk_ner_stanza_metrics.json", "train_kk_ner_stanza", required=False,
              from_root=True),
)

SPEC_BY_KEY = {spec.key: spec for spec in INPUTS}

# Without dvc.yaml, this is how stages depend on each other (paths relative to the repo root,
# `{out}` is the outputs directory). Used to tell whether an output is older than its inputs.
DEFAULT_STAGE_DEPS: dict[str, tuple[str, ...]] = {
    "ingest": ("corpus/metadata.csv", "corpus/documents"),
    "language": ("{out}/passages.parquet",),
    "entities": ("{out}/passages.parquet", "{out}/languages.parquet", "corpus/annotations/decisions.jsonl"),
    "topics": ("{out}/passages.parquet", "{out}/languages.parquet", "{out}/entities.parquet"),
    "evaluate": ("{out}/entities.parquet", "corpus/annotations/decisions.jsonl"),
}
