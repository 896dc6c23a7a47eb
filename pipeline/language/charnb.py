"""A character n-gram multinomial Naive Bayes classifier, scored in batches with numpy.

Small, fast and transparent. Features are the 1- to 4-grams of each lower-cased word padded
with one space on each side (" word "), as sklearn's `char_wb` analyzer takes them. A whole batch
is encoded as one array of code points; every n-gram becomes a 64-bit key by polynomial hashing
in uint64 arithmetic, is looked up in the sorted key array of the vocabulary (`np.searchsorted`)
and its log probabilities are summed per text with `np.bincount`: no Python loop per character,
which is what makes the language stage fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import PipelineError

_SEPARATOR = 1  # code point between texts: never part of an n-gram
_SPACE = 32
_BASE = np.uint64(1_000_003)
_LENGTH_SALT = np.uint64(0x9E3779B97F4A7C15)


def _encode(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all texts, each as " w1 w2 ... " and separated; owning text of each position)."""
    padded = [" " + " ".join(t.lower().split()) + " " for t in texts]
    joined = "\x01".join(padded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(p) + 1 for p in padded), dtype=np.int64, count=len(padded))
    owner = np.repeat(np.arange(len(padded), dtype=np.int64), lengths)[: len(codes)]
    return codes, owner


def ngram_keys(texts: Sequence[str], ngram_range: tuple[int, int] = (1, 4)) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit key of every word-bounded n-gram, index of the text it comes from)."""
    if not texts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    codes, owner = _encode(texts)
    keys_out, owners_out = [], []
    is_sep = codes == _SEPARATOR
    is_space = codes == _SPACE
    with np.errstate(over="ignore"):
        for n in range(ngram_range[0], ngram_range[1] + 1):
            m = len(codes) - n + 1
            if m <= 0:
                continue
            key = np.full(m, np.uint64(n) * _LENGTH_SALT, dtype=np.uint64)
            valid = np.ones(m, dtype=bool)
            for k in range(n):
                window = slice(k, k + m)
                key = key * _BASE + codes[window]
                valid &= ~is_sep[window]
                if 0 < k < n - 1:
                    valid &= ~is_space[window]  # n-grams stay inside one padded word
            if n == 1:
                valid &= ~is_space[:m]  # spaces only mark word edges
            keys_out.append(key[valid])
            owners_out.append(owner[:m][valid])
    return np.concatenate(keys_out), np.concatenate(owners_out)


@dataclass
class CharNgramNB:
    """Multinomial NB over word-bounded character n-grams, keyed by 64-bit hashes."""

    classes: list[str]
    keys: np.ndarray  # (n_ngrams,) uint64, sorted
    log_prob: np.ndarray  # (n_ngrams, n_classes) float32
    log_prior: np.ndarray  # (n_classes,)
    ngram_range: tuple[int, int] = (1, 4)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], ngram_range: tuple[int, int] = (1, 4),
            min_count: int = 2, alpha: float = 0.5) -> CharNgramNB:
        """Train on `texts` with `labels`; n-grams seen fewer than `min_count` times are dropped.

        Priors are uniform: class sizes in the training material say nothing about a corpus.
        """
        classes = sorted(set(labels))
        label_index = np.array([classes.index(lab) for lab in labels], dtype=np.int64)
        keys, owner = ngram_keys(texts, ngram_range)
        vocab, inverse = np.unique(keys, return_inverse=True)
        counts = np.zeros((len(vocab), len(classes)), dtype=np.float64)
        np.add.at(counts, (inverse, label_index[owner]), 1.0)
        keep = counts.sum(axis=1) >= min_count
        smoothed = counts[keep] + alpha
        log_prob = np.log(smoothed / smoothed.sum(axis=0, keepdims=True)).astype(np.float32)
        log_prior = np.full(len(classes), -np.log(len(classes)), dtype=np.float32)
        return cls(classes, vocab[keep], log_prob, log_prior, ngram_range)

    def log_likelihoods(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(scores (n_texts, n_classes), number of known n-grams per text); unknown n-grams are skipped."""
        keys, owner = ngram_keys(texts, self.ngram_range)
        pos = np.searchsorted(self.keys, keys)
        pos[pos == len(self.keys)] = 0
        known = self.keys[pos] == keys
        rows, owner = pos[known], owner[known]
        scores = np.empty((len(texts), len(self.classes)), dtype=np.float64)
        for c in range(len(self.classes)):
            scores[:, c] = np.bincount(owner, weights=self.log_prob[rows, c], minlength=len(texts))
        return scores + self.log_prior, np.bincount(owner, minlength=len(texts)).astype(np.float64)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Posterior per class. NB posteriors are overconfident on long texts; read them as a ranking."""
        scores, _ = self.log_likelihoods(texts)
        return softmax(scores)

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most probable class of each text."""
        scores, _ = self.log_likelihoods(texts)
        return [self.classes[i] for i in scores.argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        """Write the model as a compressed .npz (use through pipeline.atomic for outputs)."""
        with open(path, "wb") as fh:
            np.savez_compressed(fh, classes=np.array(self.classes), keys=self.keys, log_prob=self.log_prob,
                                log_prior=self.log_prior, ngram_range=np.array(self.ngram_range))

    @classmethod
    def load(cls, path: str | Path) -> CharNgramNB:
        """Read a model written by `save`."""
        p = Path(path)
        if not p.exists():
            raise PipelineError(f"{p}: language model missing. Rebuild it with "
                                "`python -m pipeline build-language-models` (or restore it with git).")
        with np.load(p, allow_pickle=False) as data:
            return cls([str(c) for c in data["classes"]], data["keys"].astype(np.uint64),
                       data["log_prob"].astype(np.float32), data["log_prior"].astype(np.float32),
                       (int(data["ngram_range"][0]), int(data["ngram_range"][1])))


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of log scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    return p / p.sum(axis=1, keepdims=True)
