"""Train the spaCy Kazakh NER model on KazNERD and score it on the held-out test part.

Steps: split KazNERD deterministically by near-duplicate groups; add mention-replacement copies
of the training sentences (when `augment_copies` > 0); write train/dev DocBins with KazNERD's own tokens;
build the pipeline from `kk_ner.cfg` with the params.yaml knobs as overrides; give it the
Kazakh tokenizer (hyphenated words stay whole); train with early stopping on dev F1; copy
`model-best` to `models/kk_ner` atomically; score it on the test sentences' raw text, the way
the entities stage will use it.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.datasets.kaznerd import TaggedSentence
from pipeline.errors import PipelineError
from pipeline.metrics_files import write_metrics
from pipeline.ner_training.augment import augment
from pipeline.ner_training.convert import to_docbin
from pipeline.ner_training.scoring import KK_NER_HEADLINE, interval_record, score_spans
from pipeline.ner_training.settings import SpacyNerSettings
from pipeline.ner_training.split import kaznerd_split, split_record

CONFIG_PATH = Path(__file__).with_name("kk_ner.cfg")
# What the pipeline directory needs at load time; training checkpoints and logs stay out.
MODEL_FILES = ("config.cfg", "meta.json", "tokenizer", "vocab", "tok2vec", "ner")


def character_embed(settings: SpacyNerSettings) -> dict[str, Any]:
    """The `embed` block for `embed: chars`: spaCy's CharacterEmbed over NORM and word edges."""
    return {"@architectures": "spacy.CharacterEmbed.v2", "width": settings.width, "rows": settings.embed_rows[0],
            "nM": settings.char_dim, "nC": settings.char_bytes, "include_static_vectors": False, "feature": "NORM"}


def config_overrides(settings: SpacyNerSettings, train_path: Path, dev_path: Path) -> dict[str, Any]:
    """params.yaml knobs as dotted overrides of `kk_ner.cfg`."""
    return {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "system.seed": settings.seed,
        "components.tok2vec.model.encode.width": settings.width,
        "components.tok2vec.model.encode.depth": settings.encoder_depth,
        "components.tok2vec.model.encode.window_size": settings.window_size,
        "components.tok2vec.model.embed.rows": list(settings.embed_rows),
        "components.ner.model.hidden_width": settings.ner_hidden_width,
        "training.dropout": settings.dropout,
        "training.optimizer.learn_rate": settings.learn_rate,
        "training.batcher.size.start": settings.batch_start,
        "training.batcher.size.stop": settings.batch_stop,
        "training.max_steps": settings.max_steps,
        "training.max_epochs": settings.max_epochs,
        "training.patience": settings.patience,
        # Evaluate at least once, or a short run would leave no model-best behind.
        "training.eval_frequency": min(settings.eval_frequency, settings.max_steps or settings.eval_frequency),
    }


def predict_spans(nlp, sentences: list[TaggedSentence], batch_size: int = 256) -> tuple[list, float]:
    """Entities the model finds in each sentence's raw text, and the words per second it ran at."""
    texts = [s.text for s in sentences]
    start = time.perf_counter()
    predicted = [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                 for doc in nlp.pipe(texts, batch_size=batch_size)]
    elapsed = time.perf_counter() - start
    words = sum(len(s.tokens) for s in sentences)
    return predicted, (words / elapsed if elapsed > 0 else 0.0)


def evaluate_spacy_model(model_dir: str | Path, sentences: list[TaggedSentence],
                         bootstrap: bool = False) -> dict[str, Any]:
    """Exact-span scores of the model at `model_dir` on `sentences`, plus throughput
    (and 95 % bootstrap intervals over near-duplicate groups when `bootstrap`)."""
    from pipeline.ner_training.load import load_kk_spacy

    nlp = load_kk_spacy(model_dir)
    predicted, wps = predict_spans(nlp, sentences)
    gold = [s.entities() for s in sentences]
    scores = score_spans(gold, predicted)
    if bootstrap:
        scores["ci95"] = interval_record(sentences, gold, predicted)
    return {**scores, "words_per_second": round(wps), "sentences": len(sentences)}


def directory_size(path: Path) -> int:
    """Total bytes of the files under `path`."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def train_spacy_ner(settings: SpacyNerSettings, dev_only: bool = False) -> dict[str, Any]:
    """Train, install the model at `settings.output`, write and return the metrics.

    `dev_only`: score dev only and leave test untouched (for comparing settings: choices are
    made on dev).
    """
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop
    from spacy.util import fix_random_seed, load_config

    from pipeline.text.kk_tokenizer import use_kazakh_infixes

    if settings.embed not in ("multihash", "chars"):
        raise PipelineError(f"params.yaml: ner_train_kk.embed must be 'multihash' or 'chars' (got {settings.embed!r}).")
    started = time.perf_counter()
    split = kaznerd_split(settings)
    augmented = augment(split.train, settings.augment_copies, settings.seed)
    work = Path(settings.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    vocab = spacy.blank("xx").vocab
    train_path, dev_path = work / "train.spacy", work / "dev.spacy"
    with atomic.atomic_path(train_path) as tmp:
        to_docbin(vocab, [*split.train, *augmented]).to_disk(tmp)
    with atomic.atomic_path(dev_path) as tmp:
        to_docbin(vocab, split.dev).to_disk(tmp)

    config = load_config(CONFIG_PATH, overrides=config_overrides(settings, train_path, dev_path), interpolate=False)
    if settings.embed == "chars":
        config["components"]["tok2vec"]["model"]["embed"] = character_embed(settings)
    fix_random_seed(settings.seed)
    nlp = init_nlp(config, use_gpu=-1)
    use_kazakh_infixes(nlp)
    training_dir = work / "training"
    training_dir.mkdir(exist_ok=True)
    train_loop(nlp, training_dir, use_gpu=-1, stdout=sys.stdout, stderr=sys.stderr)
    best = training_dir / "model-best"

    output = Path(settings.output)
    with atomic.atomic_directory(output) as tmp:
        for name in MODEL_FILES:
            src = best / name
            if src.is_dir():
                _copy_tree(src, tmp / name)
            elif src.exists():
                (tmp / name).write_bytes(src.read_bytes())
    return write_spacy_metrics(settings, split, len(augmented), time.perf_counter() - started, dev_only)


def rescore_spacy_ner(settings: SpacyNerSettings) -> dict[str, Any]:
    """Score the installed model again (no training) and rewrite the metrics, keeping the recorded
    training time; e.g. when the model was trained by a dev-only run of the same settings."""
    import json

    split = kaznerd_split(settings)
    previous = Path(settings.metrics)
    train_seconds = json.loads(previous.read_text(encoding="utf-8")).get("train_seconds", 0) if previous.exists() else 0
    augmented = augment(split.train, settings.augment_copies, settings.seed)
    return write_spacy_metrics(settings, split, len(augmented), train_seconds, dev_only=False)


def write_spacy_metrics(settings: SpacyNerSettings, split, augmented: int, train_seconds: float,
                        dev_only: bool) -> dict[str, Any]:
    """Score the model at `settings.output` on dev (and test unless `dev_only`); write and return the metrics."""
    import spacy

    output = Path(settings.output)
    meta = spacy.load(output).meta
    metrics = {
        "model": str(output),
        "backend": "spacy:kk",
        "split": split_record(settings, split),
        "augmented_sentences": augmented,
        "dev_best": {"ents_f": round(float(meta.get("performance", {}).get("ents_f", 0.0)), 4)},
        "dev": evaluate_spacy_model(output, split.dev),
        **({} if dev_only else {"test": evaluate_spacy_model(output, split.test, bootstrap=True)}),
        "model_size_bytes": directory_size(output),
        "train_seconds": round(train_seconds),
        "settings": dataclasses.asdict(settings),
        "evaluation": "exact character span and type on the held-out test sentences' raw text "
                      "(the model's own tokenizer, not KazNERD's tokens); ci95: 95 % bootstrap interval "
                      "of F1 over near-duplicate groups",
    }
    write_metrics(settings.metrics, metrics, KK_NER_HEADLINE)
    return metrics


def _copy_tree(src: Path, dst: Path) -> None:
    import shutil

    shutil.copytree(src, dst)
