"""Clustering settings scale with the corpus; corpora too small to cluster are refused."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.errors import PipelineError
from pipeline.topics.model import choose_n_topics, fit_topics, plan_clustering
from pipeline.topics.settings import TopicSettings


def test_shipped_corpus_size_gets_a_small_number_of_topics():
    plan = plan_clustering(160, TopicSettings())
    assert (plan.clustering, plan.reduction, plan.n_topics) == ("kmeans", "umap", 8)


def test_large_corpus_is_capped_at_fifty_topics():
    assert plan_clustering(10_000, TopicSettings()).n_topics == 50


def test_hdbscan_parameters_grow_with_the_corpus_within_bounds():
    small = plan_clustering(160, TopicSettings(clustering="hdbscan"))
    large = plan_clustering(50_000, TopicSettings(clustering="hdbscan"))
    assert (small.reduction, small.n_neighbors, small.min_cluster_size) == ("umap", 15, 6)
    assert (large.min_cluster_size, large.n_neighbors) == (100, 15)


def test_tiny_corpus_uses_pca_and_fewer_neighbours_than_points():
    plan = plan_clustering(25, TopicSettings(clustering="hdbscan"))
    assert plan.reduction == "pca" and plan.n_neighbors < 25 and plan.n_components <= 23


def test_explicit_settings_win_over_scaling():
    plan = plan_clustering(500, TopicSettings(n_topics=12, reduction="umap", n_neighbors=7))
    assert (plan.n_topics, plan.reduction, plan.n_neighbors) == (12, "umap", 7)


def test_corpus_below_min_passages_is_refused_with_the_number_needed():
    with pytest.raises(PipelineError, match="has 12 passages.*at least 20"):
        plan_clustering(12, TopicSettings())


def test_unknown_clustering_names_the_choices():
    with pytest.raises(PipelineError, match="kmeans"):
        plan_clustering(200, TopicSettings(clustering="lda"))


def _blobs(n: int, k: int, dim: int = 16, spread: float = 0.05, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    labels = np.arange(n) % k
    vectors = centres[labels] + spread * rng.normal(size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"word{label}a word{label}b common{i % 7}" for i, label in enumerate(labels)]
    return vectors.astype(np.float32), labels, texts


def test_the_most_stable_number_of_topics_is_chosen():
    """Six clear clusters: cutting them in 3 or 12 is unstable across seeds, 6 is not."""
    vectors, labels, _ = _blobs(300, 6, spread=0.02)
    settings = TopicSettings(n_topics_candidates=[0.5, 1.0, 2.0], kmeans_n_init=1)
    plan = plan_clustering(300, settings)
    base = plan.n_topics
    from dataclasses import replace

    k, table = choose_n_topics(vectors, replace(plan, n_topics=6), settings)
    assert k == 6 and {row["n_topics"] for row in table} == {3, 6, 12}
    assert max(row["seed_ari"] for row in table) == next(r["seed_ari"] for r in table if r["n_topics"] == 6)
    assert base == 12  # the size formula alone would have cut 6 clusters in 12


def test_fit_reports_seed_stability_and_the_candidates():
    vectors, labels, texts = _blobs(120, 4, spread=0.02)
    fit = fit_topics(texts, vectors, TopicSettings(reduction="none", n_topics_candidates=[0.5, 1.0], kmeans_n_init=1))
    assert fit.stability["seed_ari"] == max(r["seed_ari"] for r in fit.stability["candidates"])
    assert fit.plan.n_topics in {r["n_topics"] for r in fit.stability["candidates"]}


def test_hdbscan_with_two_clusters_does_not_crash_on_the_topic_vectorizer():
    """The crash seen on real corpora: 2 topic documents, min_df=2 and max_df=0.9 over them."""
    vectors, labels, texts = _blobs(1200, 2, spread=0.01)
    fit = fit_topics(texts, vectors, TopicSettings(clustering="hdbscan", reduction="pca"))
    assert len(set(fit.topics.tolist()) - {-1}) >= 2


@pytest.mark.parametrize("clustering", ["kmeans", "hdbscan", "auto"])
@pytest.mark.parametrize("reduction", ["auto", "umap", "pca", "none"])
@pytest.mark.parametrize("n", [50, 400])
def test_every_clustering_and_reduction_runs_on_small_corpora(clustering, reduction, n):
    vectors, labels, texts = _blobs(n, 5)
    fit = fit_topics(texts, vectors, TopicSettings(clustering=clustering, reduction=reduction, kmeans_n_init=1))
    assert len(fit.topics) == n and fit.topics.min() >= -1


@pytest.mark.slow
@pytest.mark.parametrize("clustering", ["kmeans", "hdbscan"])
@pytest.mark.parametrize("reduction", ["auto", "umap", "pca", "none"])
def test_every_clustering_and_reduction_runs_on_fifty_thousand_passages(clustering, reduction):
    vectors, labels, texts = _blobs(50_000, 40, dim=24, spread=0.2)
    fit = fit_topics(texts, vectors, TopicSettings(clustering=clustering, reduction=reduction, kmeans_n_init=1,
                                                   n_topics_candidates=[1.0]))
    assert len(fit.topics) == 50_000 and len(set(fit.topics.tolist()) - {-1}) >= 2
