"""The shape every NER backend returns, whatever library is behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Mention:
    """One entity mention in a text: offsets are `str` indices, end exclusive.

    `label` is the backend's own label (PERSON, PER, ORGANISATION, LAW, ...); the entities
    stage maps it onto the project's labels.
    """

    start: int
    end: int
    text: str
    label: str
    score: float
    backend: str


class NerBackend(Protocol):
    """A named-entity recogniser for one language."""

    name: str

    def extract(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions for each text, in order; streams internally in batches."""
        ...
