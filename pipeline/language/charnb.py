"""A character n-gram multinomial Naive Bayes classifier, scored in batches with sparse algebra.

Small, fast and transparent: the model is a vocabulary of n-grams (word-bounded, lower-cased)
and a matrix of smoothed log probabilities per class; scoring a batch is one sparse matrix
product. Used for romanized Russian/Kazakh vs English, where the big detectors have no model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.errors import PipelineError


def _vectorizer(ngram_range: tuple[int, int], vocabulary: Sequence[str] | None = None) -> CountVectorizer:
    return CountVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=True,
                           vocabulary=vocabulary, dtype=np.float32)


@dataclass
class CharNgramNB:
    """Multinomial NB over word-bounded character n-grams."""

    classes: list[str]
    ngrams: list[str]
    log_prob: np.ndarray  # (n_ngrams, n_classes) float32
    log_prior: np.ndarray  # (n_classes,)
    ngram_range: tuple[int, int] = (1, 4)

    def __post_init__(self) -> None:
        self._vec = _vectorizer(self.ngram_range, self.ngrams)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], ngram_range: tuple[int, int] = (1, 4),
            min_count: int = 2, alpha: float = 0.5) -> CharNgramNB:
        """Train on `texts` with `labels`; n-grams seen fewer than `min_count` times are dropped.

        Priors are uniform: class sizes in the training material say nothing about a corpus.
        """
        classes = sorted(set(labels))
        counts = _vectorizer(ngram_range).fit(texts)
        x = counts.transform(texts).tocsc()
        keep = np.asarray(x.sum(axis=0)).ravel() >= min_count
        vocab = np.array(counts.get_feature_names_out())[keep]
        x = x[:, keep]
        y = np.array(labels)
        per_class = np.vstack([np.asarray(x[np.flatnonzero(y == c)].sum(axis=0)).ravel() for c in classes]).T
        smoothed = per_class + alpha
        log_prob = np.log(smoothed / smoothed.sum(axis=0, keepdims=True)).astype(np.float32)
        log_prior = np.full(len(classes), -np.log(len(classes)), dtype=np.float32)
        return cls(classes, [str(v) for v in vocab], log_prob, log_prior, ngram_range)

    def log_likelihoods(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(scores (n_texts, n_classes), number of known n-grams per text)."""
        x = self._vec.transform(texts)
        return np.asarray(x @ self.log_prob) + self.log_prior, np.asarray(x.sum(axis=1)).ravel()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Posterior per class. NB posteriors are overconfident on long texts; read them as a ranking."""
        scores, _ = self.log_likelihoods(texts)
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable class of each text."""
        scores, _ = self.log_likelihoods(texts)
        return [self.classes[i] for i in scores.argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed .npz (use through pipeline.atomic for outputs)."""
        with open(path, "wb") as fh:
            np.savez_compressed(fh, classes=np.array(self.classes), ngrams=np.array(self.ngrams),
                                log_prob=self.log_prob, log_prior=self.log_prior,
                                ngram_range=np.array(self.ngram_range))

    @classmethod
    def load(cls, path: str | Path) -> CharNgramNB:
        """Read a model written by `save`."""
        p = Path(path)
        if not p.exists():
            raise PipelineError(f"{p}: language model missing. Rebuild it with "
                                "`python -m pipeline build-language-models` (or restore it with git).")
        with np.load(p, allow_pickle=False) as data:
            return cls([str(c) for c in data["classes"]], [str(g) for g in data["ngrams"]],
                       data["log_prob"].astype(np.float32), data["log_prior"].astype(np.float32),
                       (int(data["ngram_range"][0]), int(data["ngram_range"][1])))
