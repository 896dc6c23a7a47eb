"""Readable topics: per-language c-TF-IDF terms, labels, representatives, NPMI coherence."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from pipeline.fixtures.seed_corpus import seed_passages
from pipeline.topics import terms
from pipeline.topics.vectorizer import make_vectorizer

PASSAGES, LANGUAGES = seed_passages()


def test_class_tfidf_favours_terms_specific_to_a_class():
    # term 0 in both classes, term 1 only in class 0
    weights = terms.class_tfidf(sp.csr_matrix(np.array([[5, 5], [5, 0]])))
    assert weights[0, 1] > weights[0, 0]
    assert weights[1, 1] == 0.0


def test_each_language_of_a_topic_gets_its_own_terms():
    abstracts = PASSAGES[PASSAGES["text"].str.startswith(("**Abstract.", "Аңдатпа.", "Аннотация."))]
    forum = PASSAGES[PASSAGES["doc_id"] == "004_d98a56fc3730fc67"]
    texts = abstracts["text"].tolist() + forum["text"].tolist()
    langs = np.array(["en", "kk", "ru"] + ["en"] * len(forum))
    topics = np.array([0, 0, 0] + [1] * len(forum))
    vectorizer = make_vectorizer(len(texts))
    counts = vectorizer.fit_transform(texts).tocsr()
    top = terms.top_terms_by_language(counts, vectorizer.get_feature_names_out(), topics, langs, 5)
    assert set(top[0]) == {"en", "kk", "ru"} and set(top[1]) == {"en"}
    assert "migration" in top[0]["en"] and "forum" in top[1]["en"]
    assert all(any(ch in "әғқңөұүһі" or "а" <= ch <= "я" for ch in w) for w in top[0]["kk"] + top[0]["ru"])


def test_label_takes_the_best_term_of_each_language_largest_first():
    label = terms.make_label(3, {"en": ["migration", "youth"], "ru": ["миграции"], "kk": ["көші-қоны"]},
                             {"en": 10, "ru": 2, "kk": 1})
    assert label == "migration · миграции · көші-қоны"


def test_label_of_a_one_language_topic_uses_three_terms_and_outliers_are_named():
    assert terms.make_label(0, {"en": ["forum", "rectors", "chelyabinsk", "universities"]}, {"en": 7}) == \
        "forum · rectors · chelyabinsk"
    assert terms.make_label(-1, {}, {}) == terms.OUTLIER_LABEL


def test_representatives_are_the_passages_nearest_the_topic_centre():
    vectors = np.array([[1, 0], [0.9, 0.1], [0.6, 0.8], [0, 1]], dtype=float)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    reps = terms.representative_passages(vectors, np.array([0, 0, 0, 1]), np.array(["a", "b", "c", "d"]), 2)
    assert reps == {0: ["b", "a"], 1: ["d"]}


def test_npmi_is_one_for_terms_always_together_and_minus_one_for_terms_never_together():
    texts = ["forum rectors", "forum rectors", "migration youth", "migration youth", "budget"]
    vectorizer = make_vectorizer(len(texts))
    counts = vectorizer.fit_transform(texts).tocsr()
    vocab = vectorizer.get_feature_names_out()
    langs = np.array(["en"] * 5)
    topics = np.array([0, 0, 1, 1, 1])
    together = terms.npmi_coherence(counts, vocab, langs, {0: {"en": ["forum", "rectors"]}}, topics)
    apart = terms.npmi_coherence(counts, vocab, langs, {1: {"en": ["forum", "youth"]}}, topics)
    assert together[0] == pytest.approx(1.0) and apart[1] == pytest.approx(-1.0)


def test_centroid_similarity_is_one_for_a_topic_of_identical_passages():
    vectors = np.array([[1, 0], [1, 0], [0, 1]], dtype=float)
    sims = terms.centroid_similarity(vectors, np.array([0, 0, 1]))
    np.testing.assert_allclose(sims, [1.0, 1.0, 1.0])


def test_rank_terms_breaks_ties_by_term_and_skips_ineligible():
    vocabulary = np.array(["delta", "alpha", "charlie", "bravo"])
    scores = np.array([2.0, 1.0, 1.0, 3.0])
    eligible = np.array([True, True, True, False])
    assert terms.rank_terms(scores, eligible, vocabulary, 2) == [0, 1]
    assert terms.rank_terms(scores, eligible, vocabulary, 3) == [0, 1, 2]
