"""BERTopic configured for this corpus: reduction, number of topics and clustering, all seeded.

The passage vectors arrive language-neutral (`neutral.py`). Then, as BERTopic does, UMAP
reduces them (its neighbour graph is what keeps a passage next to its translations), and
KMeans cuts them into topics: every passage gets a topic. The number of topics is the one
two seeds of KMeans agree on best (`choose_n_topics`). HDBSCAN stays available; its outliers
are reassigned with `reduce_outliers` and the share left over is reported.

Chosen on SIB-200 train only (bench/bench_topics_crosslingual.py --phase choose, parallel
en/ru/kk sentences and 4-sentence documents; language directions from the even sentences,
measured on the odd ones): reference offsets + UMAP + KMeans kept 96.8% of sentence triples
and 95.9% of document triples in one topic (plain BERTopic 85.8% / 87.0%), with NMI against
the 7 labels 0.43 / 0.55 (BERTopic 0.37 / 0.45). Without UMAP, 79-84%; without any
neutralisation, KMeans on raw vectors kept 1.7% (topics split by language).
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from pipeline.errors import PipelineError
from pipeline.topics.embeddings import Embedder
from pipeline.topics.settings import TopicSettings
from pipeline.topics.vectorizer import make_vectorizer

log = logging.getLogger(__name__)

CLUSTERINGS = ("kmeans", "hdbscan", "auto")
REDUCTIONS = ("auto", "umap", "pca", "none")
OUTLIER_STRATEGIES = ("embeddings", "c-tf-idf", "distributions", "none")


@dataclass(frozen=True)
class ClusteringPlan:
    """The concrete clustering chosen for a corpus of `n_passages` passages."""

    n_passages: int
    clustering: str
    reduction: str
    n_topics: int
    n_neighbors: int
    n_components: int
    min_cluster_size: int

    def as_dict(self) -> dict:
        """Plain dict for logs and metrics."""
        return asdict(self)


def plan_clustering(n_passages: int, settings: TopicSettings) -> ClusteringPlan:
    """Fill every 0 ("auto") setting from the corpus size; refuse corpora too small to cluster.

    - n_topics (KMeans): sqrt(N)/1.5, between 2 and 50 (169 passages → 9; 10,000 → 50).
    - n_neighbors (UMAP): N/10 between 2 and 15: UMAP needs fewer neighbours than points.
    - n_components (UMAP/PCA): 5, but below N - 2 on tiny corpora (spectral init needs it).
    - min_cluster_size (HDBSCAN): N/25 between 5 and 100: small clusters split by language.
    - reduction "auto": UMAP from 60 passages, PCA below (UMAP's neighbour graph is what
      keeps translations together: on SIB-200 train, 96% of translation triples share a
      topic with UMAP, 79-84% without; bench/bench_topics_crosslingual.py --phase choose).
    """
    if settings.clustering not in CLUSTERINGS:
        raise PipelineError(f"params.yaml: topics.clustering is '{settings.clustering}'; choose one of {list(CLUSTERINGS)}.")
    if settings.reduction not in REDUCTIONS:
        raise PipelineError(f"params.yaml: topics.reduction is '{settings.reduction}'; choose one of {list(REDUCTIONS)}.")
    needed = max(settings.min_passages, 4)
    if n_passages < needed:
        raise PipelineError(
            f"The corpus has {n_passages} passages with text; clustering needs at least {needed} "
            f"(topics.min_passages). Add documents to corpus/ or lower topics.min_passages."
        )
    clustering = "kmeans" if settings.clustering == "auto" else settings.clustering
    n_topics = settings.n_topics or int(np.clip(round(math.sqrt(n_passages) / 1.5), 2, 50))
    n_topics = min(n_topics, n_passages - 1)
    n_neighbors = settings.n_neighbors or int(np.clip(n_passages // 10, 2, 15))
    n_components = settings.n_components or int(min(5, n_passages - 2))
    min_cluster_size = settings.min_cluster_size or int(np.clip(n_passages // 25, 5, 100))
    reduction = settings.reduction
    if reduction == "auto":
        reduction = "umap" if n_passages >= 60 else "pca"
    return ClusteringPlan(n_passages, clustering, reduction, n_topics, n_neighbors, n_components, min_cluster_size)


def _reduction_model(plan: ClusteringPlan, seed: int):
    if plan.reduction == "umap":
        from umap import UMAP

        # random_state makes UMAP single-threaded and reproducible: worth it for scholars.
        return UMAP(n_neighbors=plan.n_neighbors, n_components=plan.n_components, min_dist=0.0,
                    metric="cosine", random_state=seed, low_memory=True)
    if plan.reduction == "pca":
        from sklearn.decomposition import PCA

        return PCA(n_components=plan.n_components, random_state=seed)
    from bertopic.dimensionality import BaseDimensionalityReduction

    return BaseDimensionalityReduction()


def _cluster_model(plan: ClusteringPlan, seed: int, n_init: int):
    if plan.clustering == "kmeans":
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=plan.n_topics, random_state=seed, n_init=n_init)
    from hdbscan import HDBSCAN

    return HDBSCAN(min_cluster_size=plan.min_cluster_size, metric="euclidean",
                   cluster_selection_method="eom", prediction_data=True)


@dataclass
class TopicFit:
    """Result of fitting: one topic per passage (-1 = outlier) and the fitted BERTopic."""

    topics: np.ndarray
    plan: ClusteringPlan
    outliers_before_reduction: int
    model: object
    stability: dict = field(default_factory=dict)


def reduce_vectors(vectors: np.ndarray, plan: ClusteringPlan, seed: int) -> np.ndarray:
    """The reduction step (UMAP / PCA / none), done once, outside BERTopic.

    Done here rather than inside BERTopic so that the number of topics can be chosen and
    the stability measured on the very vectors that are clustered, without a second UMAP.
    """
    reducer = _reduction_model(plan, seed)
    if plan.reduction == "none":
        return np.asarray(vectors, dtype=np.float32)
    reduced = np.asarray(reducer.fit_transform(np.asarray(vectors, dtype=np.float32)), dtype=np.float64)
    # fixed precision: last-bit differences between machines must not move a passage
    return np.round(reduced, 4).astype(np.float32)


def _kmeans_labels(vectors: np.ndarray, k: int, seed: int, n_init: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, random_state=seed, n_init=n_init).fit_predict(vectors)


def choose_n_topics(vectors: np.ndarray, plan: ClusteringPlan, settings: TopicSettings) -> tuple[int, list[dict]]:
    """The number of KMeans topics that two seeds agree on best (adjusted Rand index).

    Candidates are the size formula's value times each of topics.n_topics_candidates. A
    number of topics at which two seeds of KMeans cut the data differently is describing
    noise; the most stable candidate is taken (ties: the one nearer the formula).
    """
    from pipeline.topics.quality import seed_stability

    base = plan.n_topics
    upper = max(2, min(50, plan.n_passages - 1))
    candidates = sorted({int(np.clip(round(base * f), 2, upper)) for f in settings.n_topics_candidates} | {base})
    table = []
    for k in candidates:
        first = _kmeans_labels(vectors, k, settings.seed, settings.kmeans_n_init)
        second = _kmeans_labels(vectors, k, settings.seed + 1, settings.kmeans_n_init)
        table.append({"n_topics": k, "seed_ari": seed_stability(first, second)})
    best = max(table, key=lambda row: (row["seed_ari"], -abs(math.log(row["n_topics"] / base))))
    return best["n_topics"], table


def build_model(plan: ClusteringPlan, settings: TopicSettings, embedder: Embedder | None):
    """An unfitted BERTopic whose every step is chosen explicitly (no hidden defaults).

    The reduction is done beforehand (`reduce_vectors`), so BERTopic gets an identity step.
    """
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction

    from pipeline.topics.backend import BertopicBackend

    return BERTopic(
        embedding_model=BertopicBackend(embedder) if embedder is not None else None,
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=_cluster_model(plan, settings.seed, settings.kmeans_n_init),
        # BERTopic counts words over one document per TOPIC: with 2 topics, min_df=2 and
        # max_df=0.9 contradict each other (a crash seen with HDBSCAN). Our own terms are
        # counted over passages (stage.count_terms); BERTopic's only need to exist.
        vectorizer_model=make_vectorizer(plan.n_passages, 1, 1.0),
        top_n_words=settings.n_top_terms,
        calculate_probabilities=False,
        verbose=False,
    )


def fit_topics(texts: list[str], embeddings: np.ndarray, settings: TopicSettings,
               embedder: Embedder | None = None) -> TopicFit:
    """Reduce, choose the number of topics, cluster; with HDBSCAN, reassign outliers.

    `embeddings` should already be language-neutral (`neutral.neutralise`).
    """
    if settings.outlier_strategy not in OUTLIER_STRATEGIES:
        raise PipelineError(
            f"params.yaml: topics.outlier_strategy is '{settings.outlier_strategy}'; "
            f"choose one of {list(OUTLIER_STRATEGIES)}."
        )
    plan = plan_clustering(len(texts), settings)
    np.random.seed(settings.seed)  # BERTopic itself draws nothing random, but be explicit
    reduced = reduce_vectors(embeddings, plan, settings.seed)
    stability: dict = {}
    if plan.clustering == "kmeans":
        if settings.n_topics == 0 and len(settings.n_topics_candidates) > 0:
            k, table = choose_n_topics(reduced, plan, settings)
            plan = replace(plan, n_topics=k)
            stability = {"candidates": table, "seed_ari": next(r["seed_ari"] for r in table if r["n_topics"] == k)}
        else:
            from pipeline.topics.quality import seed_stability

            stability = {"seed_ari": seed_stability(
                _kmeans_labels(reduced, plan.n_topics, settings.seed, settings.kmeans_n_init),
                _kmeans_labels(reduced, plan.n_topics, settings.seed + 1, settings.kmeans_n_init))}
    log.info("clustering plan: %s", plan.as_dict())
    model = build_model(plan, settings, embedder)
    topics, _ = model.fit_transform(texts, embeddings=reduced)
    topics = np.asarray(topics, dtype=np.int64)
    fitted = topics
    n_outliers = int((topics == -1).sum())
    if n_outliers and settings.outlier_strategy != "none" and n_outliers < len(topics):
        reduced_topics = model.reduce_outliers(texts, topics.tolist(), strategy=settings.outlier_strategy,
                                               embeddings=reduced, threshold=settings.outlier_threshold)
        topics = np.asarray(reduced_topics, dtype=np.int64)
    topics = canonical_topic_ids(topics)
    if not np.array_equal(topics, fitted):
        # one refit of the topic words for both changes (outliers reassigned, ids renumbered)
        model.update_topics(texts, topics=topics.tolist(), vectorizer_model=model.vectorizer_model)
    return TopicFit(topics=topics, plan=plan, outliers_before_reduction=n_outliers, model=model, stability=stability)


def canonical_topic_ids(topics: np.ndarray) -> np.ndarray:
    """Topic ids by size (largest 0), ties by the first passage in corpus order; -1 stays -1.

    KMeans numbers clusters by its own internal order, which a last-bit difference can swap
    even when the clusters are the same; this numbering depends on the partition only.
    """
    topics = np.asarray(topics, dtype=np.int64)
    real = [t for t in np.unique(topics) if t != -1]
    first = {t: int(np.flatnonzero(topics == t)[0]) for t in real}
    order = sorted(real, key=lambda t: (-int((topics == t).sum()), first[t]))
    mapping = {old: new for new, old in enumerate(order)}
    mapping[-1] = -1
    return np.array([mapping[t] for t in topics.tolist()], dtype=np.int64)
