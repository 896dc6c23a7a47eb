"""Train the Russian CRF over natasha's tags on factRuEval-2016 and cross-validate it by document.

1. natasha segments and tags every document once (the CRF's input at inference too);
2. gold tags follow naeval's reading of factRuEval (Person objects, `org_name`, `loc_name`), the
   protocol the figures are reported in;
3. `folds`-fold cross-validation by document (a salted hash of the document name): a CRF trained
   on the other folds tags each held-out fold; pooled out-of-fold naeval token scores, with 95 %
   bootstrap intervals over documents, against natasha alone on the same documents;
4. the shipped model is trained on all documents with the same settings and installed at
   `models/ru_ner_crf/` (CRFsuite L-BFGS is deterministic for a given input order).
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.bootstrap import bootstrap_scores
from pipeline.datasets.factrueval import (
    FactRuDocument,
    document_fold,
    drop_nested,
    naeval_mentions,
    read_factrueval,
)
from pipeline.entities.natasha_crf_backend import (
    MODEL_FILE,
    NatashaTagger,
    bio_tags,
    spans_from_bio,
    token_features,
)
from pipeline.metrics_files import write_metrics
from pipeline.ner_training.naeval import TYPES, naeval_token_counts
from pipeline.ner_training.settings import RussianCrfSettings

Sentence = tuple[list[tuple[int, int]], list[str], list[str]]


def train_crf(examples: list[tuple[list[str], list[str], list[tuple[int, int]], list[tuple[int, int, str]]]],
              settings: RussianCrfSettings, path: Path) -> None:
    """Train one CRF on (words, natasha tags, token spans, gold spans) sentences and save it at `path`."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for words, natasha_tags, tokens, gold in examples:
        trainer.append(token_features(words, natasha_tags), bio_tags(tokens, gold))
    trainer.set_params({"c1": settings.c1, "c2": settings.c2, "max_iterations": settings.max_iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(path))


def tag_documents(docs: list[FactRuDocument], data: str | Path) -> tuple[dict[str, list[Sentence]], dict[str, list]]:
    """natasha's sentences and tags, and naeval's gold spans, of every document (by name)."""
    natasha = NatashaTagger()
    return ({d.name: natasha.sentences(d.text) for d in docs}, {d.name: naeval_mentions(data, d.name) for d in docs})


def _examples(docs: list[FactRuDocument], tagged: dict[str, list[Sentence]], gold: dict[str, list]) -> list:
    return [(words, natasha_tags, tokens, gold[d.name]) for d in docs for tokens, words, natasha_tags in tagged[d.name]]


def _tag(path: Path, sentences: list[Sentence]) -> list[tuple[int, int, str]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return drop_nested([span for tokens, words, natasha_tags in sentences
                        for span in spans_from_bio(tokens, tagger.tag(token_features(words, natasha_tags)))])


def fold_models(docs: list[FactRuDocument], tagged: dict[str, list[Sentence]], gold: dict[str, list],
                settings: RussianCrfSettings, directory: Path) -> Iterator[tuple[list[FactRuDocument], Path]]:
    """For each fold: its held-out documents and a model directory (under `directory`) holding a CRF
    trained on the other folds only."""
    for k in range(settings.folds):
        train = [d for d in docs if document_fold(d.name, settings.folds, settings.fold_salt) != k]
        held_out = [d for d in docs if document_fold(d.name, settings.folds, settings.fold_salt) == k]
        model_dir = directory / f"fold{k}"
        model_dir.mkdir(parents=True, exist_ok=True)
        train_crf(_examples(train, tagged, gold), settings, model_dir / MODEL_FILE)
        yield held_out, model_dir


def cross_validate(docs: list[FactRuDocument], tagged: dict[str, list[Sentence]], gold: dict[str, list],
                   settings: RussianCrfSettings) -> dict[str, Any]:
    """Out-of-fold naeval scores of the CRF and of natasha alone, with bootstrap intervals over documents."""
    crf_units, natasha_units = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for held_out, model_dir in fold_models(docs, tagged, gold, settings, Path(tmp)):
            for d in held_out:
                crf_units.append(naeval_token_counts(d.text, _tag(model_dir / MODEL_FILE, tagged[d.name]), gold[d.name]))
                natasha = drop_nested([s for tokens, _, tags in tagged[d.name] for s in spans_from_bio(tokens, tags)])
                natasha_units.append(naeval_token_counts(d.text, natasha, gold[d.name]))
    out = {}
    for name, units in (("natasha_crf", crf_units), ("natasha", natasha_units)):
        scores = bootstrap_scores(units, types=TYPES, n_boot=settings.n_boot)
        out[name] = {t: iv.as_dict() for t, iv in scores.items()}
    return out


# The headline numbers of the metrics file (the full record goes to its _details.json).
RU_CRF_HEADLINE = {
    "crf_f1": "cross_validation.natasha_crf.micro.f",
    "crf_f1_ci_low": "cross_validation.natasha_crf.micro.f_ci95.0",
    "crf_f1_ci_high": "cross_validation.natasha_crf.micro.f_ci95.1",
    **{f"crf_{t.lower()}_f1": f"cross_validation.natasha_crf.{t}.f" for t in ("PER", "ORG", "LOC")},
    "natasha_f1": "cross_validation.natasha.micro.f",
    **{f"natasha_{t.lower()}_f1": f"cross_validation.natasha.{t}.f" for t in ("PER", "ORG", "LOC")},
    "train_seconds": "train_seconds", "model_size_bytes": "model_size_bytes",
}


def train_ru_crf(settings: RussianCrfSettings) -> dict[str, Any]:
    """Cross-validate, train on every document, install the model, write and return the metrics."""
    started = time.perf_counter()
    docs = read_factrueval(settings.data)
    tagged, gold = tag_documents(docs, settings.data)
    cv = cross_validate(docs, tagged, gold, settings)
    output = Path(settings.output)
    with atomic.atomic_directory(output) as tmp:
        train_crf(_examples(docs, tagged, gold), settings, tmp / MODEL_FILE)
    metrics = {
        "model": str(output),
        "backend": "natasha-crf",
        "data": f"{settings.data}: {len(docs)} documents",
        "evaluation": (f"naeval protocol (per-token PER/ORG/LOC, natasha's benchmark), {settings.folds}-fold "
                       "cross-validation by document: each fold tagged by a CRF trained on the other folds; "
                       "95 % bootstrap intervals over documents; natasha alone on the same documents as the peer"),
        "cross_validation": cv,
        "model_size_bytes": (output / MODEL_FILE).stat().st_size,
        "train_seconds": round(time.perf_counter() - started),
        "settings": dataclasses.asdict(settings),
    }
    write_metrics(settings.metrics, metrics, RU_CRF_HEADLINE)
    return metrics
