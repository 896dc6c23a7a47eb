"""Accuracy of a language identifier on the held-out gold sentences, snippets and words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.language.gold import GOLD_LANGUAGES, evaluation_items, load_gold, sample_per_language
from pipeline.language.identify import LanguageIdentifier

BUCKETS = ("sentence", "snippet3", "word")


def evaluate(identifier: LanguageIdentifier, items: dict[str, list[tuple[str, str]]],
             n_examples: int = 3) -> dict:
    """Accuracy per bucket and language, the kk↔ru confusions with examples, all errors counted.

    `items` maps a bucket name to (text, gold language) pairs.
    """
    report: dict = {}
    for bucket, pairs in items.items():
        found = identifier.identify_many([text for text, _ in pairs])
        total: Counter[str] = Counter()
        right: Counter[str] = Counter()
        confusions: Counter[str] = Counter()
        examples: dict[str, list[str]] = {}
        for (text, gold), res in zip(pairs, found, strict=True):
            total[gold] += 1
            if res["lang"] == gold:
                right[gold] += 1
            else:
                key = f"{gold}->{res['lang']}"
                confusions[key] += 1
                if len(examples.setdefault(key, [])) < n_examples:
                    examples[key].append(text[:120])
        report[bucket] = {
            "accuracy": {lang: round(right[lang] / total[lang], 4) for lang in sorted(total)},
            "n": dict(sorted(total.items())),
            "confusions": dict(sorted(confusions.items())),
            "examples": {k: examples[k] for k in sorted(examples)},
        }
    return report


def gold_items(repo_root: str | Path = ".", limit_per_language: int | None = None) -> dict[str, list[tuple[str, str]]]:
    """Held-out (TEST split) items per bucket, optionally at most `limit_per_language` each (by hash)."""
    items = evaluation_items(load_gold(repo_root), split="test")
    if limit_per_language is not None:
        items = {b: sample_per_language(pairs, limit_per_language) for b, pairs in items.items()}
    return items


def gold_metrics(identifier: LanguageIdentifier, repo_root: str | Path = ".", limit_per_language: int = 400) -> dict:
    """The figures `outputs/language_metrics.json` carries: accuracy per language and length bucket."""
    report = evaluate(identifier, gold_items(repo_root, limit_per_language), n_examples=2)
    return {
        "gold": {bucket: {"accuracy": report[bucket]["accuracy"], "n": report[bucket]["n"],
                          "kk_ru_confusions": {k: v for k, v in report[bucket]["confusions"].items()
                                               if k in ("kk->ru", "ru->kk")}}
                 for bucket in BUCKETS},
        "gold_source": {"languages": list(GOLD_LANGUAGES), "split": "test (held out, sha1 of sentence)",
                        "limit_per_language_and_bucket": limit_per_language,
                        "kk": "data/kaznerd", "ru": "data/factrueval/devset", "en": "corpus/documents"},
    }


def bootstrap_interval(correct: Sequence[bool], n_resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean of `correct` (deterministic given `seed`)."""
    values = np.asarray(correct, dtype=np.float64)
    if len(values) == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n_resamples, len(values)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


RELIABILITY_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0000001)


def reliability(confidences: Sequence[float], correct: Sequence[bool],
                edges: Sequence[float] = RELIABILITY_BINS) -> dict:
    """Reliability table (per confidence bin: items, mean confidence, accuracy) and the expected
    calibration error, the item-weighted mean gap between confidence and accuracy."""
    conf = np.asarray(confidences, dtype=np.float64)
    right = np.asarray(correct, dtype=np.float64)
    rows, ece = [], 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf >= lo) & (conf < hi)
        n = int(inside.sum())
        if not n:
            continue
        mean_conf, acc = float(conf[inside].mean()), float(right[inside].mean())
        ece += n / len(conf) * abs(mean_conf - acc)
        rows.append({"bin": f"[{lo:.2f}, {min(hi, 1.0):.2f}]", "n": n, "confidence": round(mean_conf, 4),
                     "accuracy": round(acc, 4)})
    return {"bins": rows, "ece": round(ece, 4)}


def abstention(langs: Sequence[str], golds: Sequence[str], confidences: Sequence[float], threshold: float) -> dict:
    """What `min_confidence = threshold` does: errors kept and removed, right answers lost to `und`."""
    errors = kept_errors = lost = 0
    for lang, gold, conf in zip(langs, golds, confidences, strict=True):
        wrong = lang != gold
        errors += wrong
        if conf >= threshold:
            kept_errors += wrong
        elif not wrong:
            lost += 1
    return {"threshold": threshold, "errors": errors, "errors_removed": errors - kept_errors,
            "right_answers_lost": lost, "n": len(langs)}
