"""Small logistic models that weigh the evidence of `evidence.py` and give calibrated probabilities.

One model per question (`cyrillic`: kk against ru; `latin`: romanized against English;
`latin_kk`: romanized Kazakh against romanized Russian) and per length: 1 word, 2-3 words, 4 or
more. Each is a handful of weights, so it is written as JSON (`models/langid/combiner.json`) and
read by people too. The weights are fitted by `bench/fit_language_combiner.py` on the DEV part of
the held-out sets (bench/language_heldout.py: sources disjoint from every model's training data and
from the TEST sources the figures are reported on); logistic regression is fitted by maximum
likelihood, so its probabilities are calibrated on data like the dev sets.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline import atomic
from pipeline.errors import PipelineError

LENGTHS = ("1", "2-3", "4+")


def length_bucket(n_words: np.ndarray) -> np.ndarray:
    """Index into LENGTHS for each number of words."""
    return np.where(n_words <= 1, 0, np.where(n_words <= 3, 1, 2))


@dataclass
class LogisticModel:
    """P(positive class) = sigmoid(w · x + b), with w and b per length bucket."""

    features: tuple[str, ...]
    weights: dict[str, list[float]]  # length bucket -> weights
    bias: dict[str, float]

    def probability(self, x: np.ndarray, n_words: np.ndarray) -> np.ndarray:
        """P(positive) for each row of `x` (features in `self.features` order)."""
        if len(x) == 0:
            return np.zeros(0)
        w = np.array([self.weights[b] for b in LENGTHS])  # (3, n_features)
        b = np.array([self.bias[k] for k in LENGTHS])
        bucket = length_bucket(np.asarray(n_words))
        z = np.einsum("ij,ij->i", x, w[bucket]) + b[bucket]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    @classmethod
    def fit(cls, features: Sequence[str], x: np.ndarray, y: np.ndarray, n_words: np.ndarray,
            c: float = 1.0) -> LogisticModel:
        """Maximum-likelihood fit (L2, strength 1/c) per length bucket; a bucket without both classes
        borrows the weights of the nearest bucket that has them."""
        from sklearn.linear_model import LogisticRegression

        bucket = length_bucket(np.asarray(n_words))
        weights: dict[str, list[float]] = {}
        bias: dict[str, float] = {}
        for i, name in enumerate(LENGTHS):
            rows = bucket == i
            if rows.sum() >= 10 and len(set(y[rows].tolist())) == 2:
                model = LogisticRegression(C=c, max_iter=2000).fit(x[rows], y[rows])
                weights[name] = [round(float(v), 5) for v in model.coef_[0]]
                bias[name] = round(float(model.intercept_[0]), 5)
        if not weights:
            raise ValueError("no length bucket has examples of both classes")
        for name in LENGTHS:
            if name not in weights:
                nearest = min(weights, key=lambda k: abs(LENGTHS.index(k) - LENGTHS.index(name)))
                weights[name], bias[name] = weights[nearest], bias[nearest]
        return cls(tuple(features), weights, bias)

    def to_json(self) -> dict:
        """JSON-ready form."""
        return {"features": list(self.features), "weights": self.weights, "bias": self.bias}

    @classmethod
    def from_json(cls, data: dict) -> LogisticModel:
        """Inverse of `to_json`."""
        return cls(tuple(data["features"]), {k: list(v) for k, v in data["weights"].items()},
                   {k: float(v) for k, v in data["bias"].items()})


def save_combiner(models: dict[str, LogisticModel], path: str | Path, provenance: dict) -> None:
    """Write the models and where their weights come from."""
    payload = {"provenance": provenance, "models": {name: m.to_json() for name, m in sorted(models.items())}}
    atomic.write_text(path, json.dumps(payload, indent=1, ensure_ascii=False) + "\n")


def load_combiner(path: str | Path, expected: dict[str, Sequence[str]]) -> dict[str, LogisticModel]:
    """Read the models, checking each has the features the code computes (in order)."""
    p = Path(path)
    if not p.exists():
        raise PipelineError(f"{p}: combiner weights missing. Restore them with git, or refit them with "
                            "`python bench/fit_language_combiner.py` (needs ../shared/data/scale).")
    models = {name: LogisticModel.from_json(data) for name, data in json.loads(p.read_text("utf-8"))["models"].items()}
    for name, features in expected.items():
        if name not in models or models[name].features != tuple(features):
            raise PipelineError(f"{p}: model '{name}' does not match the features of this code; refit it with "
                                "`python bench/fit_language_combiner.py`.")
    return models
