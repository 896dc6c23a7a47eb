"""Every stage output, declared once: its path, the DVC stage that writes it, the command that
runs that stage, and the columns (or JSON keys) a reader may rely on.

Readers (stage_inputs, the report), CLI defaults and "run X first" messages take these facts
from here, so they cannot drift apart; tests/test_output_contracts.py checks this module against
dvc.yaml (stage names, commands, paths). The column lists follow docs/DATA_CONTRACTS.md:
stages may add columns, never drop these.
"""

from __future__ import annotations

from dataclasses import dataclass

OUTPUTS_DIR = "outputs"

# DVC stage → its command line after `python -m pipeline` (exactly as dvc.yaml's `cmd`).
STAGE_COMMANDS: dict[str, str] = {
    "ingest": "ingest",
    "language": "language",
    "train_kk_ner": "train-kk-ner",
    "train_kk_stanza": "train-kk-stanza",
    "train_kk_e5": "train-kk-e5",
    "train_ru_crf": "train-ru-crf",
    "entities": "entities",
    "topics": "topics",
    "evaluate": "evaluate",
    "review_exports": "review export --from-jsonl --formats conll,conllu,docbin,labelstudio",
    "finetune_kk": "finetune-kk",
    "review_queue": "review uncertainty",
    "report": "report",
    "topic_language": "train-topic-language",
}


def rerun(stage: str) -> str:
    """How to (re)make a stage's outputs, for error messages."""
    return f"`python -m pipeline {STAGE_COMMANDS[stage]}` (or `dvc repro {stage}`)"


@dataclass(frozen=True)
class StageOutput:
    """One file or folder a stage writes."""

    key: str  # short name, unique
    path: str  # relative to the project root, as in dvc.yaml
    stage: str  # the DVC stage that writes it
    columns: tuple[str, ...] = ()  # columns (Parquet) or top-level keys (JSON) readers may rely on
    metric: bool = False  # a DVC metrics file: a dozen headline numbers at most (pipeline/metrics_files.py)

    @property
    def command(self) -> str:
        return f"python -m pipeline {STAGE_COMMANDS[self.stage]}"

    @property
    def in_outputs(self) -> str | None:
        """The path relative to the outputs directory, or None for outputs kept elsewhere (models/)."""
        prefix = OUTPUTS_DIR + "/"
        return self.path[len(prefix):] if self.path.startswith(prefix) else None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def rerun(self) -> str:
        return rerun(self.stage)


_O = StageOutput
OUTPUTS: tuple[StageOutput, ...] = (
    _O("passages", "outputs/passages.parquet", "ingest",
       ("doc_id", "passage_id", "passage_index", "text", "n_chars", "n_words", "title")),
    _O("ingest_report", "outputs/ingest_report.json", "ingest", ("documents", "passages", "skipped")),
    _O("languages", "outputs/languages.parquet", "language", ("passage_id", "lang", "script", "confidence", "segments")),
    _O("language_metrics", "outputs/language_metrics.json", "language", metric=True),
    _O("language_metrics_details", "outputs/language_metrics_details.json", "language"),
    _O("kk_ner", "models/kk_ner", "train_kk_ner"),
    _O("kk_ner_metrics", "models/kk_ner_metrics.json", "train_kk_ner", metric=True),
    _O("kk_ner_metrics_details", "models/kk_ner_metrics_details.json", "train_kk_ner"),
    _O("kk_ner_stanza", "models/kk_ner_stanza", "train_kk_stanza"),
    _O("kk_ner_stanza_metrics", "models/kk_ner_stanza_metrics.json", "train_kk_stanza", metric=True),
    _O("kk_ner_stanza_metrics_details", "models/kk_ner_stanza_metrics_details.json", "train_kk_stanza"),
    _O("kk_ner_e5", "models/kk_ner_e5", "train_kk_e5"),
    _O("kk_ner_e5_metrics", "models/kk_ner_e5_metrics.json", "train_kk_e5", metric=True),
    _O("kk_ner_e5_metrics_details", "models/kk_ner_e5_metrics_details.json", "train_kk_e5"),
    _O("ru_ner_crf", "models/ru_ner_crf", "train_ru_crf"),
    _O("ru_ner_crf_metrics", "models/ru_ner_crf_metrics.json", "train_ru_crf", metric=True),
    _O("ru_ner_crf_metrics_details", "models/ru_ner_crf_metrics_details.json", "train_ru_crf"),
    _O("entities", "outputs/entities.parquet", "entities",
       ("passage_id", "doc_id", "start", "end", "text", "label", "canonical_id", "canonical_name")),
    _O("entities_machine", "outputs/entities_machine.parquet", "entities",
       ("passage_id", "doc_id", "start", "end", "text", "label", "canonical_id", "canonical_name")),
    _O("entity_summary", "outputs/entity_summary.parquet", "entities",
       ("canonical_id", "canonical_name", "label", "mentions", "documents")),
    _O("entities_skipped", "outputs/entities_skipped.json", "entities"),
    _O("topics_dir", "outputs/topics", "topics"),
    _O("topics", "outputs/topics/topics.parquet", "topics",
       ("topic_id", "label", "size", "top_terms", "representative_passages")),
    _O("assignments", "outputs/topics/assignments.parquet", "topics",
       ("passage_id", "doc_id", "topic_id", "probability", "lang")),
    _O("prevalence", "outputs/topics/prevalence.parquet", "topics",
       ("group_column", "group", "topic_id", "prevalence", "ci_low", "ci_high", "n_docs", "n_passages")),
    _O("differences", "outputs/topics/differences.parquet", "topics",
       ("group_column", "group_a", "group_b", "topic_id", "diff", "ci_low", "ci_high", "distinguishable")),
    _O("distinctive_terms", "outputs/topics/distinctive_terms.parquet", "topics",
       ("group_column", "group", "term", "lang", "score", "count")),
    _O("topic_group_terms", "outputs/topics/topic_group_terms.parquet", "topics", ("topic_id", "group", "terms")),
    _O("entity_emphasis", "outputs/topics/entity_emphasis.parquet", "topics",
       ("group_column", "group", "label", "canonical_id", "canonical_name", "mentions", "documents", "share")),
    _O("effects", "outputs/topics/effects.parquet", "topics",
       ("topic_id", "column", "kind", "level", "reference", "estimate", "ci_low", "ci_high", "excludes_zero",
        "n_level_docs")),
    _O("prevalence_over_time", "outputs/topics/prevalence_over_time.parquet", "topics",
       ("topic_id", "time_column", "time", "group_column", "group", "prevalence", "ci_low", "ci_high", "n_docs")),
    _O("groups", "outputs/topics/groups.json", "topics", ("group_column", "groups")),
    _O("topic_metrics", "outputs/topic_metrics.json", "topics", metric=True),
    _O("metrics", "outputs/metrics.json", "evaluate", metric=True),
    _O("metrics_details", "outputs/metrics_details.json", "evaluate"),
    _O("review_exports", "outputs/review", "review_exports"),
    _O("kk_ner_reviewed", "outputs/models/kk_ner_reviewed", "finetune_kk"),
    _O("finetune_kk_metrics", "outputs/finetune_kk_metrics.json", "finetune_kk", metric=True),
    _O("finetune_kk_metrics_details", "outputs/finetune_kk_metrics_details.json", "finetune_kk"),
    _O("review_queue", "outputs/review_queue", "review_queue"),
    _O("uncertainty", "outputs/review_queue/uncertainty.parquet", "review_queue", ("passage_id", "uncertainty")),
    _O("report", "outputs/report", "report"),
    _O("topic_language", "models/topic_language", "topic_language"),
    _O("topic_language_metrics", "models/topic_language_metrics.json", "topic_language", metric=True),
)

OUTPUT: dict[str, StageOutput] = {o.key: o for o in OUTPUTS}

# The topic tables, in the order the stage writes them (all under outputs/topics/).
TOPIC_TABLES: tuple[str, ...] = tuple(o.key for o in OUTPUTS if o.path.startswith("outputs/topics/")
                                      and o.path.endswith(".parquet"))


def output(key: str) -> StageOutput:
    """The declared output `key` (a KeyError names the known keys)."""
    try:
        return OUTPUT[key]
    except KeyError:
        raise KeyError(f"no stage output '{key}'; declared: {sorted(OUTPUT)}") from None


def default_path(key: str) -> str:
    """The output's default path (for CLI defaults and settings)."""
    return output(key).path


DECISIONS_FILE = "corpus/annotations/decisions.jsonl"
# The topics stage's embedding cache: a speed-up, not a result, so not a DVC output (its bytes
# differ in the last bits between machines); declared here for the CLI default.
EMBEDDING_CACHE = "outputs/cache/embeddings"

# What each stage reads: output keys, or project paths of source data. The report's freshness
# check uses this as the stage graph when dvc.yaml is absent; the test checks it against dvc.yaml.
STAGE_READS: dict[str, tuple[str, ...]] = {
    "ingest": ("corpus/metadata.csv", "corpus/documents"),
    "topic_language": ("data/sib200",),
    "language": ("passages",),
    "entities": ("passages", "languages", "kk_ner", "kk_ner_e5", "ru_ner_crf", DECISIONS_FILE),
    "topics": ("passages", "languages", "entities", "topic_language"),
    "evaluate": ("entities_machine", "passages", "languages", DECISIONS_FILE),
    "review_exports": ("passages", "entities_machine", DECISIONS_FILE),
    "finetune_kk": ("kk_ner", "passages", "languages", "entities_machine", DECISIONS_FILE),
    "review_queue": ("kk_ner", "passages", "languages", "entities_machine"),
    "report": ("passages", "ingest_report", "languages", "language_metrics", "entities", "entity_summary",
               "topics_dir", "topic_metrics", "metrics", "kk_ner_metrics", "kk_ner_stanza_metrics",
               "kk_ner_e5_metrics"),
}
