"""The KazNERD split both Kazakh models train and are scored on, as the settings name it.

The split itself (near-duplicate groups, salted hash, retired held-out part) lives in
`pipeline/datasets/kaznerd_split.py`.
"""

from __future__ import annotations

from typing import Any

from pipeline.datasets.kaznerd import read_kaznerd
from pipeline.datasets.kaznerd_split import Split, split_kaznerd
from pipeline.ner_training.settings import SpacyNerSettings, StanzaNerSettings


def kaznerd_split(settings: SpacyNerSettings | StanzaNerSettings) -> Split:
    """The train / dev / test split of `settings.data` the settings name."""
    return split_kaznerd(read_kaznerd(settings.data), dev_ratio=settings.dev_ratio, test_ratio=settings.test_ratio,
                         salt=settings.split_salt, retired_seed=settings.retired_seed,
                         retired_ratio=settings.retired_ratio)


def split_record(settings: SpacyNerSettings | StanzaNerSettings, split: Split) -> dict[str, Any]:
    """How the split was made, for the metrics file."""
    return {**split.counts(), "unit": "near-duplicate sentence groups", "salt": settings.split_salt,
            "dev_ratio": settings.dev_ratio, "test_ratio": settings.test_ratio,
            "retired_from_test": f"bucket(text, {settings.retired_seed}) < {settings.retired_ratio}"}
