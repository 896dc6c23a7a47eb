"""Readable topics: per-language top terms (c-TF-IDF), labels, representatives, coherence.

c-TF-IDF follows BERTopic (Grootendorst 2022): the passages of a class are one document,
W(t, c) = tf(t, c) / |c| · log(1 + A / f(t)), A = mean words per class, f(t) = frequency of t
over all classes. Here it is computed per language: the classes are the topics, restricted to
that language's passages, so each topic gets English, Russian and Kazakh words of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

OUTLIER_LABEL = "outliers (no topic)"


def class_tfidf(class_counts: sp.csr_matrix) -> np.ndarray:
    """c-TF-IDF weights of a (classes × terms) count matrix, dense."""
    counts = np.asarray(class_counts.todense(), dtype=np.float64)
    words_per_class = counts.sum(axis=1, keepdims=True)
    tf = np.divide(counts, words_per_class, out=np.zeros_like(counts), where=words_per_class > 0)
    term_freq = counts.sum(axis=0)
    average = words_per_class.mean()
    idf = np.log1p(np.divide(average, term_freq, out=np.zeros_like(term_freq), where=term_freq > 0))
    return tf * idf


def group_rows(labels: np.ndarray, classes: Sequence) -> sp.csr_matrix:
    """A (classes × rows) 0/1 matrix: multiply by a (rows × terms) matrix to sum per class."""
    position = {c: i for i, c in enumerate(classes)}
    rows = [position[x] for x in labels if x in position]
    cols = [j for j, x in enumerate(labels) if x in position]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(classes), len(labels)))


def rank_terms(scores: np.ndarray, eligible: np.ndarray, vocabulary: np.ndarray, k: int) -> list[int]:
    """Indices of the `k` best eligible terms by score, ties broken by the term itself.

    Only the best few candidates are fully sorted (argpartition), so ranking stays cheap on
    a 100k-term vocabulary.
    """
    candidates = np.flatnonzero(eligible)
    if len(candidates) > k:
        # take every candidate tied with the k-th best, so the tie-break is by term, not by position
        kth = np.partition(scores[candidates], len(candidates) - k)[len(candidates) - k]
        candidates = candidates[scores[candidates] >= kth]
    order = np.lexsort((vocabulary[candidates], -scores[candidates]))
    return [int(j) for j in candidates[order[:k]]]


def top_terms_by_language(counts: sp.csr_matrix, vocabulary: np.ndarray, topics: np.ndarray,
                          langs: np.ndarray, n_terms: int) -> dict[int, dict[str, list[str]]]:
    """{topic: {lang: top terms}} with c-TF-IDF computed within each language."""
    result: dict[int, dict[str, list[str]]] = {int(t): {} for t in np.unique(topics)}
    for lang in sorted(set(langs.tolist())):
        mask = langs == lang
        lang_topics = sorted(set(topics[mask].tolist()))
        by_topic = group_rows(topics[mask], lang_topics) @ counts[mask]
        weights = class_tfidf(by_topic)
        raw = np.asarray(by_topic.todense())
        for row, topic in enumerate(lang_topics):
            best = [vocabulary[j] for j in rank_terms(weights[row], raw[row] > 0, vocabulary, n_terms)]
            if best:
                result[int(topic)][lang] = [str(t) for t in best]
    return result


def make_label(topic: int, terms: dict[str, list[str]], lang_sizes: dict[str, int], max_terms: int = 4) -> str:
    """A short label: the best term of each language, most frequent language first.

    If a topic has one language, its best terms fill the label instead.
    """
    if topic == -1:
        return OUTLIER_LABEL
    langs = [lang for lang, _ in sorted(lang_sizes.items(), key=lambda kv: (-kv[1], kv[0])) if terms.get(lang)]
    if not langs:
        return f"topic {topic}"
    if len(langs) == 1:
        picked = terms[langs[0]][:3]
    else:
        picked = list(dict.fromkeys(terms[lang][0] for lang in langs))[:max_terms]
    return " · ".join(picked)


def representative_passages(embeddings: np.ndarray, topics: np.ndarray, passage_ids: np.ndarray,
                            n: int) -> dict[int, list[str]]:
    """For each topic, the `n` passages closest (cosine) to the topic's mean vector."""
    result: dict[int, list[str]] = {}
    for topic in np.unique(topics):
        idx = np.flatnonzero(topics == topic)
        centroid = embeddings[idx].mean(axis=0)
        norm = np.linalg.norm(centroid)
        sims = embeddings[idx] @ (centroid / norm if norm > 0 else centroid)
        # 3 decimals, ties by id: a last-bit difference between machines must not reorder them
        order = np.lexsort((passage_ids[idx], -np.round(sims, 3)))
        result[int(topic)] = [str(passage_ids[idx[i]]) for i in order[:n]]
    return result


def centroid_similarity(embeddings: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """Each passage's cosine similarity to the mean vector of its topic, clipped to 0..1.

    This is the `probability` column of assignments: how typical the passage is of its
    topic (KMeans gives no probabilities; HDBSCAN's are lost once outliers are reassigned).
    """
    result = np.zeros(len(topics), dtype=np.float64)
    for topic in np.unique(topics):
        idx = np.flatnonzero(topics == topic)
        centroid = embeddings[idx].mean(axis=0)
        norm = np.linalg.norm(centroid)
        if norm > 0:
            result[idx] = embeddings[idx] @ (centroid / norm)
    return np.round(np.clip(result, 0.0, 1.0), 4)


def npmi_coherence(counts: sp.csr_matrix, vocabulary: np.ndarray, langs: np.ndarray,
                   top_terms: dict[int, dict[str, list[str]]], topics: np.ndarray) -> dict[int, float]:
    """NPMI coherence per topic (Bouma 2009; C_NPMI of Röder et al. 2015, passage window).

    For each language of a topic, the pairs of its top terms are scored by normalised PMI of
    their co-occurrence in passages of that language across the whole corpus; pairs that
    never co-occur score -1. A topic's coherence is the mean over its languages weighted by
    the topic's passages in each; -1 (outliers) is skipped. Range -1..1, higher is better.
    """
    column = {str(term): j for j, term in enumerate(vocabulary)}
    present = (counts > 0).astype(np.float64).tocsc()
    result: dict[int, float] = {}
    for topic, by_lang in top_terms.items():
        if topic == -1:
            continue
        scores, weights = [], []
        for lang, terms in by_lang.items():
            cols = [column[t] for t in terms if t in column]
            if len(cols) < 2:
                continue
            rows = np.flatnonzero(langs == lang)
            docs = present[rows][:, cols].toarray()
            n = len(rows)
            p = docs.mean(axis=0)
            joint = (docs.T @ docs) / n
            pair_scores = []
            for a in range(len(cols)):
                for b in range(a + 1, len(cols)):
                    pab = joint[a, b]
                    if pab <= 0:
                        pair_scores.append(-1.0)
                    elif pab >= 1:
                        pair_scores.append(1.0)
                    else:
                        pair_scores.append(math.log(pab / (p[a] * p[b])) / -math.log(pab))
            scores.append(float(np.mean(pair_scores)))
            weights.append(int(((topics == topic) & (langs == lang)).sum()))
        if scores:
            result[int(topic)] = float(np.average(scores, weights=np.maximum(weights, 1)))
    return result
