"""Deterministic train / dev / test split of KazNERD by a hash of each sentence's text.

A sentence's part depends only on its own text and the seed, never on file order or on the
other sentences, so adding sentences to the data does not move existing ones between parts
and the held-out test part stays held out across rebuilds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pipeline.datasets.kaznerd import TaggedSentence
from pipeline.errors import PipelineError


@dataclass(frozen=True)
class Split:
    """The three parts, each in file order."""

    train: list[TaggedSentence]
    dev: list[TaggedSentence]
    test: list[TaggedSentence]

    def counts(self) -> dict[str, int]:
        """Number of sentences in each part."""
        return {"train": len(self.train), "dev": len(self.dev), "test": len(self.test)}


def bucket(text: str, seed: int) -> float:
    """A number in [0, 1) fixed by the text and the seed (SHA-1 based, stable across runs and machines)."""
    digest = hashlib.sha1(f"{seed}\x00{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_sentences(sentences: list[TaggedSentence], dev_ratio: float = 0.1, test_ratio: float = 0.1,
                    seed: int = 13) -> Split:
    """Assign each sentence to test, dev or train by `bucket(text, seed)`.

    Identical sentences share a bucket, so a duplicate can never sit in train and test at once.
    """
    if not (0 < dev_ratio < 1 and 0 < test_ratio < 1 and dev_ratio + test_ratio < 1):
        raise PipelineError(
            f"params.yaml: dev_ratio={dev_ratio} and test_ratio={test_ratio} must each be in (0, 1) "
            "and leave some sentences for training (their sum below 1)."
        )
    train: list[TaggedSentence] = []
    dev: list[TaggedSentence] = []
    test: list[TaggedSentence] = []
    for sentence in sentences:
        b = bucket(sentence.text, seed)
        if b < test_ratio:
            test.append(sentence)
        elif b < test_ratio + dev_ratio:
            dev.append(sentence)
        else:
            train.append(sentence)
    return Split(train, dev, test)
