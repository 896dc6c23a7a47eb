"""Exact-match span scores: precision, recall and F1 per entity type and micro-averaged.

A predicted entity counts only if its character span and its type both equal a gold entity's,
the CoNLL convention used by KazNERD's and Stanza's published figures.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from pipeline.bootstrap import bootstrap_scores, merge_counts, span_counts
from pipeline.datasets.kaznerd import TaggedSentence
from pipeline.datasets.kaznerd_split import near_duplicate_groups

Span = tuple[int, int, str]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)}


def score_spans(gold: Iterable[Iterable[Span]], predicted: Iterable[Iterable[Span]]) -> dict:
    """Scores of `predicted` against `gold`, one list of (start, end, type) per sentence.

    Returns {"micro": {p, r, f, support}, "per_type": {TYPE: {p, r, f, support}}}; support is
    the number of gold entities.
    """
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = set(g), set(p)
        for _, _, label in gs:
            n_gold[label] += 1
        for _, _, label in ps:
            n_pred[label] += 1
        for _, _, label in gs & ps:
            tp[label] += 1
    per_type = {}
    for label in sorted(set(n_gold) | set(n_pred)):
        per_type[label] = {**_prf(tp[label], n_pred[label], n_gold[label]), "support": n_gold[label]}
    micro = {**_prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())), "support": sum(n_gold.values())}
    return {"micro": micro, "per_type": per_type}


def interval_record(sentences: Sequence[TaggedSentence], gold: Sequence[Sequence[Span]],
                    predicted: Sequence[Sequence[Span]], n_boot: int = 1000, seed: int = 0) -> dict:
    """95 % bootstrap intervals, micro and per type, resampling near-duplicate groups of `sentences`
    (a group's copies are not independent evidence)."""
    groups = near_duplicate_groups(sentences)
    per_group: dict[int, list] = defaultdict(list)
    for g, gs, ps in zip(groups, gold, predicted, strict=True):
        per_group[g].append(span_counts(gs, ps))
    units = [merge_counts(parts) for _, parts in sorted(per_group.items())]
    scores = bootstrap_scores(units, n_boot=n_boot, seed=seed)
    return {name: interval.as_dict() for name, interval in scores.items()}


# The headline numbers of a Kazakh NER metrics file (the full record goes to its _details.json).
KK_NER_HEADLINE = {
    "test_f1": "test.micro.f", "test_precision": "test.micro.p", "test_recall": "test.micro.r",
    "test_f1_ci_low": "test.ci95.micro.f_ci95.0", "test_f1_ci_high": "test.ci95.micro.f_ci95.1",
    "test_person_f1": "test.per_type.PERSON.f", "test_organisation_f1": "test.per_type.ORGANISATION.f",
    "test_location_f1": "test.per_type.LOCATION.f", "dev_f1": "dev.micro.f",
    "train_seconds": "train_seconds", "model_size_bytes": "model_size_bytes",
}


def evaluate_backend(backend, sentences: Sequence[TaggedSentence], bootstrap: bool = False) -> dict:
    """Exact-span scores of an NER backend (`backend.extract(texts)`) on `sentences`' raw text, as the
    entities stage sees it, plus throughput (and 95 % bootstrap intervals over near-duplicate groups
    when `bootstrap`)."""
    texts = [s.text for s in sentences]
    start = time.perf_counter()
    mentions = backend.extract(texts)
    elapsed = time.perf_counter() - start
    predicted = [[(m.start, m.end, m.label) for m in ms] for ms in mentions]
    gold = [s.entities() for s in sentences]
    scores = score_spans(gold, predicted)
    if bootstrap:
        scores["ci95"] = interval_record(sentences, gold, predicted)
    words = sum(len(s.tokens) for s in sentences)
    return {**scores, "words_per_second": round(words / elapsed) if elapsed > 0 else 0, "sentences": len(sentences)}
