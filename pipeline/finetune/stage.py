"""The `finetune_kk` stage: the Kazakh spaCy model fine-tuned on reviewed Kazakh passages.

1. Reviewed Kazakh passages (decisions.jsonl applied to the machine mentions) become examples;
   a fixed part of them (by a hash of the passage id) is held out for evaluation.
2. The base model (models/kk_ner) is trained `steps` more steps on the rest, each batch mixed
   with KazNERD train sentences (rehearsal).
3. Base and fine-tuned model are scored on the held-out reviews and on KazNERD dev.
4. The fine-tuned model is installed at `output` only when it is better on the held-out reviews
   and loses at most `max_dev_drop` F1 on KazNERD dev; otherwise the base model is installed
   there unchanged, and the metrics say why. `dvc metrics diff` shows the gain.

The entities stage keeps using the base model unless `entities.backends.kk` names `output`: the
evaluate stage scores the machine against all reviewed passages, and a model trained on most of
them would score itself on its own training data.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.metrics_files import write_metrics
from pipeline.outputs import default_path


@dataclass(frozen=True)
class FinetuneSettings:
    """`finetune_kk` section of params.yaml."""

    base: str = default_path("kk_ner")
    output: str = default_path("kk_ner_reviewed")
    metrics: str = default_path("finetune_kk_metrics")
    lang: str = "kk"
    decisions: str = "corpus/annotations/decisions.jsonl"
    outputs: str = "outputs"
    held_out_ratio: float = 0.25
    salt: str = "reviews-2026"
    min_reviews: int = 20  # reviewed passages needed (train part) before fine-tuning is tried
    steps: int = 150
    batch_size: int = 16
    rehearsal_sentences: int = 2000
    rehearsal_share: float = 0.75
    dropout: float = 0.2
    learn_rate: float = 0.0002
    seed: int = 0
    max_dev_drop: float = 0.01


def _install(source: Path | Any, output: Path) -> None:
    """Write a model directory atomically (a loaded pipeline, or a copy of a directory)."""
    with atomic.atomic_directory(output) as tmp:
        if isinstance(source, Path):
            shutil.copytree(source, tmp, dirs_exist_ok=True)
        else:
            source.to_disk(tmp)

# The headline numbers of the metrics file (the full record goes to its _details.json).
FINETUNE_HEADLINE = {
    "reviewed_passages": "reviewed_passages", "train_reviews": "train_reviews", "held_out_reviews": "held_out_reviews",
    "gain": "gain", "kaznerd_dev_drop": "kaznerd_dev_drop",
    **{f"{model}_{part}_f1": f"scores.{model}.{part}.f" for model in ("base", "fine_tuned")
       for part in ("held_out_reviews", "kaznerd_dev")},
    "seconds": "seconds",
}


def run_finetune(settings: FinetuneSettings, params_path: str = "params.yaml") -> dict[str, Any]:
    """Run the stage; returns (and writes) the metrics."""
    import random

    import spacy

    from pipeline.finetune.examples import reviewed_examples, split_held_out
    from pipeline.finetune.kaznerd_parts import as_examples, kaznerd_parts
    from pipeline.finetune.train import f1, fine_tune
    from pipeline.review.catalog import load_outputs

    started = time.perf_counter()
    passages, machine = load_outputs(settings.outputs)
    examples = reviewed_examples(passages, machine, settings.decisions, settings.lang)
    train, held = split_held_out(examples, settings.held_out_ratio, settings.salt)
    metrics: dict[str, Any] = {"lang": settings.lang, "reviewed_passages": len(examples), "train_reviews": len(train),
                               "held_out_reviews": len(held), "settings": dataclasses.asdict(settings)}
    base_dir, output = Path(settings.base), Path(settings.output)
    if len(train) < settings.min_reviews or not held:
        metrics.update(installed="base", gain=0.0, note=(
            f"{len(train)} reviewed {settings.lang} passages to train on and {len(held)} held out: fine-tuning needs "
            f"at least {settings.min_reviews} and one held out; the base model is installed unchanged."))
        _install(base_dir, output)
        write_metrics(settings.metrics, metrics, FINETUNE_HEADLINE)
        return metrics
    kaz_train, kaz_dev = kaznerd_parts(params_path)
    rehearsal = as_examples(random.Random(settings.seed).sample(kaz_train, min(settings.rehearsal_sentences,
                                                                                len(kaz_train))), "kaznerd-")
    dev = as_examples(kaz_dev, "kaznerd-dev-")
    base = spacy.load(base_dir)
    tuned, log = fine_tune(base_dir, train, rehearsal, settings.steps, settings.seed, settings.batch_size,
                           settings.rehearsal_share, settings.dropout, settings.learn_rate)
    scores = {"base": {"held_out_reviews": f1(base, held), "kaznerd_dev": f1(base, dev)},
              "fine_tuned": {"held_out_reviews": f1(tuned, held), "kaznerd_dev": f1(tuned, dev)}}
    gain = scores["fine_tuned"]["held_out_reviews"]["f"] - scores["base"]["held_out_reviews"]["f"]
    dev_drop = scores["base"]["kaznerd_dev"]["f"] - scores["fine_tuned"]["kaznerd_dev"]["f"]
    better = gain > 0 and dev_drop <= settings.max_dev_drop
    _install(tuned if better else base_dir, output)
    metrics.update(scores=scores, training=log, gain=round(gain, 4), kaznerd_dev_drop=round(dev_drop, 4),
                   installed="fine_tuned" if better else "base",
                   note="" if better else ("the fine-tuned model was not better on the held-out reviews"
                                           if gain <= 0 else f"the fine-tuned model lost {dev_drop:.3f} F1 on KazNERD dev"),
                   seconds=round(time.perf_counter() - started))
    write_metrics(settings.metrics, metrics, FINETUNE_HEADLINE)
    return metrics
