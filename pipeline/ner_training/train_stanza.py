"""Train the Stanza Kazakh NER model on KazNERD and score it on the held-out test part.

Stanza's own trainer (`stanza.models.ner_tagger --mode train`) runs in-process on JSON
sentences converted from the same deterministic split as the spaCy model; no pretrained word
vectors or character LM (none exist offline): word embeddings are learned from KazNERD and a
character BiLSTM covers unseen word forms. The best dev checkpoint is installed at
`models/kk_ner_stanza/` next to the `resources.json` that lets Stanza load it offline.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.errors import PipelineError
from pipeline.metrics_files import write_metrics
from pipeline.ner_training.convert import to_stanza_json
from pipeline.ner_training.scoring import KK_NER_HEADLINE, evaluate_backend
from pipeline.ner_training.settings import StanzaNerSettings
from pipeline.ner_training.split import kaznerd_split, split_record


def stanza_train_args(settings: StanzaNerSettings, train_file: Path, dev_file: Path, save_dir: Path,
                      save_name: str) -> list[str]:
    """Command-line arguments for `stanza.models.ner_tagger` from the settings."""
    return [
        "--mode", "train", "--shorthand", "kk_kaznerd", "--cpu",
        "--train_file", str(train_file), "--eval_file", str(dev_file),
        "--save_dir", str(save_dir), "--save_name", save_name,
        "--no_pretrain",  # no Kazakh vectors offline: embeddings are learned from KazNERD
        "--word_emb_dim", str(settings.word_emb_dim),
        "--char_hidden_dim", str(settings.char_hidden_dim),
        "--hidden_dim", str(settings.hidden_dim),
        "--dropout", str(settings.dropout),
        "--batch_size", str(settings.batch_size),
        "--max_steps", str(settings.max_steps),
        "--eval_interval", str(min(settings.eval_interval, settings.max_steps)),
        "--max_steps_no_improve", str(settings.max_steps_no_improve),
        "--seed", str(settings.seed),
    ]


def train_stanza_ner(settings: StanzaNerSettings) -> dict[str, Any]:
    """Train, install the model at `settings.output`, write and return the metrics."""
    from stanza.models import ner_tagger

    from pipeline.entities.stanza_backend import MODEL_FILE

    started = time.perf_counter()
    split = kaznerd_split(settings)
    work = Path(settings.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    train_file, dev_file = work / "train.json", work / "dev.json"
    atomic.write_text(train_file, json.dumps(to_stanza_json(split.train), ensure_ascii=False))
    atomic.write_text(dev_file, json.dumps(to_stanza_json(split.dev), ensure_ascii=False))
    checkpoints = work / "checkpoints"
    checkpoint = checkpoints / MODEL_FILE
    if checkpoint.exists():
        checkpoint.unlink()  # never install a stale model if this run saves none
    ner_tagger.main(stanza_train_args(settings, train_file, dev_file, checkpoints, MODEL_FILE))
    if not checkpoint.exists():
        raise PipelineError(f"{checkpoint}: Stanza training saved no model; see its log above.")

    output = Path(settings.output)
    with atomic.atomic_directory(output) as tmp:
        (tmp / MODEL_FILE).write_bytes(checkpoint.read_bytes())
        (tmp / "resources.json").write_text("{}\n", encoding="utf-8")
    return write_stanza_metrics(settings, split, time.perf_counter() - started)


def rescore_stanza_ner(settings: StanzaNerSettings) -> dict[str, Any]:
    """Score the installed model again (no training), e.g. after a tokenizer fix; keeps the recorded
    training time from the existing metrics file."""
    split = kaznerd_split(settings)
    previous = Path(settings.metrics)
    train_seconds = json.loads(previous.read_text(encoding="utf-8")).get("train_seconds", 0) if previous.exists() else 0
    return write_stanza_metrics(settings, split, train_seconds)


def write_stanza_metrics(settings: StanzaNerSettings, split, train_seconds: float) -> dict[str, Any]:
    """Score the model at `settings.output` on dev and test; write and return the metrics."""
    from pipeline.entities.stanza_backend import StanzaBackend

    output = Path(settings.output)
    backend = StanzaBackend(model_dir=output, lang="kk")  # loaded once for dev and test
    metrics = {
        "model": str(output),
        "backend": "stanza:kk",
        "split": split_record(settings, split),
        "dev": evaluate_backend(backend, split.dev),
        "test": evaluate_backend(backend, split.test, bootstrap=True),
        "model_size_bytes": sum(f.stat().st_size for f in output.iterdir() if f.is_file()),
        "train_seconds": round(train_seconds),
        "settings": dataclasses.asdict(settings),
        "evaluation": "exact character span and type on the held-out test sentences' raw text "
                      "(StanzaBackend's regex tokenizer, not KazNERD's tokens)",
    }
    write_metrics(settings.metrics, metrics, KK_NER_HEADLINE)
    return metrics
