"""Clustering settings scale with the corpus; corpora too small to cluster are refused."""

from __future__ import annotations

import pytest

from pipeline.errors import PipelineError
from pipeline.topics.model import plan_clustering
from pipeline.topics.settings import TopicSettings


def test_shipped_corpus_size_gets_a_small_number_of_topics():
    plan = plan_clustering(160, TopicSettings())
    assert (plan.clustering, plan.reduction, plan.n_topics) == ("kmeans", "none", 8)


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
