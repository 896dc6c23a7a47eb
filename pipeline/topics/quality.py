"""Measures of a topic assignment that do not need labels: language mix, translations, stability.

- `language_mix`: a topic is "one-language" when more than 90% of its passages are in one
  language. Counting topics with more than one language (the old `cross_language_topics`)
  called a topic of 95 English passages and 1 Kazakh one cross-lingual; this does not.
  The mean normalised entropy of the language distribution per topic (1 = the languages in
  the proportions of the corpus, 0 = one language) gives the same picture as one number.
- `translation_agreement`: where documents are known to be translations of each other (a
  metadata column linking them), the share of translation sets whose versions share their
  majority topic.
- `seed_stability`: adjusted Rand index between two assignments (e.g. two seeds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ONE_LANGUAGE_SHARE = 0.9


def language_mix(topics: np.ndarray, langs: np.ndarray) -> dict:
    """one_language_topics, share_mixed_topics and mean_language_entropy over real topics (not -1)."""
    topics = np.asarray(topics)
    langs = np.asarray(langs).astype(str)
    real = sorted(set(topics.tolist()) - {-1})
    present = sorted(set(langs.tolist()))
    if not real or len(present) < 2:
        return {"one_language_topics": len(real) if len(present) < 2 else 0, "share_mixed_topics": None,
                "mean_language_entropy": None}
    corpus = pd.Series(langs).value_counts(normalize=True).reindex(present).to_numpy()
    corpus_entropy = float(-(corpus * np.log(corpus)).sum())
    one_language, entropies = 0, []
    for topic in real:
        shares = pd.Series(langs[topics == topic]).value_counts(normalize=True)
        one_language += int(shares.iloc[0] > ONE_LANGUAGE_SHARE)
        p = shares.to_numpy()
        entropies.append(float(-(p * np.log(p)).sum()) / corpus_entropy if corpus_entropy > 0 else 0.0)
    return {"one_language_topics": one_language,
            "share_mixed_topics": round(1.0 - one_language / len(real), 6),
            "mean_language_entropy": round(float(np.mean(entropies)), 6)}


def majority_topics(topics: np.ndarray, doc_ids: np.ndarray) -> pd.Series:
    """Each document's most frequent topic (ties: the lowest topic id), outliers ignored if possible."""
    frame = pd.DataFrame({"doc": np.asarray(doc_ids).astype(str), "topic": np.asarray(topics)})
    counts = frame.groupby(["doc", "topic"]).size().rename("n").reset_index()
    counts["real"] = counts["topic"] != -1
    counts = counts.sort_values(["doc", "real", "n", "topic"], ascending=[True, False, False, True])
    return counts.drop_duplicates("doc").set_index("doc")["topic"]


def translation_agreement(topics: np.ndarray, doc_ids: np.ndarray, link_of_doc: pd.Series) -> dict:
    """Share of translation sets (≥ 2 documents with the same link id) whose versions share their majority topic.

    A document's majority topic ignores its outlier passages; a set whose versions are all
    outliers does not count as agreeing.

    `link_of_doc` maps doc_id → link id ("" or NaN = not linked). Returns the share, the
    number of sets, and per-set booleans for a bootstrap.
    """
    majority = majority_topics(topics, doc_ids)
    links = link_of_doc.reindex(majority.index)
    frame = pd.DataFrame({"topic": majority, "link": links}).dropna()
    frame = frame[frame["link"].astype(str).str.strip() != ""]
    sets = frame.groupby("link")["topic"].agg(["nunique", "size", "max"])
    sets = sets[sets["size"] >= 2]
    # versions that are all outliers (-1) do not "share a topic"
    agree = ((sets["nunique"] == 1) & (sets["max"] != -1)).to_numpy()
    return {"translation_sets": int(len(sets)),
            "translation_agreement": round(float(agree.mean()), 6) if len(sets) else None,
            "agree": agree}


def seed_stability(first: np.ndarray, second: np.ndarray) -> float:
    """Adjusted Rand index between two topic assignments of the same passages."""
    from sklearn.metrics import adjusted_rand_score

    return round(float(adjusted_rand_score(np.asarray(first), np.asarray(second))), 6)


def bootstrap_share_ci(values: np.ndarray, level: float = 0.95, n_boot: int = 2000, seed: int = 0) -> tuple[float, float]:
    """Percentile interval of the mean of 0/1 `values` (e.g. translation sets that agree)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = rng.choice(values, size=(n_boot, values.size), replace=True).mean(axis=1)
    tail = (1 - level) / 2 * 100
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))
