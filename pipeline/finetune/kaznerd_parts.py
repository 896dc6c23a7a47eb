"""The KazNERD train and dev parts, as the Kazakh model's own training defines them.

Read through `pipeline.ner_training`'s public functions, whichever version is installed (the
split by single sentences, or the later one by near-duplicate groups), so fine-tuning never
rehearses on or scores against anything outside those two parts: the test part stays unseen.
"""

from __future__ import annotations

from typing import Any

from pipeline.finetune.examples import Example


def kaznerd_parts(params_path: str = "params.yaml") -> tuple[list[Any], list[Any]]:
    """(train sentences, dev sentences) of the split the `ner_train_kk` settings name."""
    from pipeline.config import stage_settings
    from pipeline.ner_training import split as ner_split
    from pipeline.ner_training.settings import SpacyNerSettings

    settings = stage_settings(SpacyNerSettings, "ner_train_kk", path=params_path)
    if hasattr(ner_split, "kaznerd_split"):  # split by near-duplicate groups
        parts = ner_split.kaznerd_split(settings)
    else:  # split by single sentences
        from pipeline.datasets.kaznerd import read_kaznerd

        parts = ner_split.split_sentences(read_kaznerd(settings.data), settings.dev_ratio, settings.test_ratio,
                                          settings.seed)
    return list(parts.train), list(parts.dev)


def as_examples(sentences: list[Any], prefix: str) -> list[Example]:
    """KazNERD sentences as examples (text = tokens joined by spaces)."""
    return [Example(f"{prefix}{i}", s.text, tuple(s.entities())) for i, s in enumerate(sentences)]
