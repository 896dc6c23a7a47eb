"""Settings of the review app (`review` section of params.yaml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ReviewSettings:
    """Where the app listens, where decisions live, and how it pages through outputs."""

    host: str = "127.0.0.1"
    port: int = 8765
    db: str = "corpus/annotations/review.sqlite"
    decisions_jsonl: str = "corpus/annotations/decisions.jsonl"
    outputs: str = "outputs"
    # Name of the environment variable holding the access token required off loopback.
    token_env: str = "REVIEW_TOKEN"
    page_size: int = 50
    # Blind review (for agreement studies): each annotator sees only their own decisions,
    # and conflicts are only with their own earlier decisions (e.g. in another tab).
    blind: bool = False
    # Seconds to wait after the last decision before rewriting decisions.jsonl.
    export_delay: float = 1.0
    # Labels the app offers (in shortcut order 1..n); others found in the data are appended.
    labels: tuple[str, ...] = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC", "DATE")
    focus_labels: tuple[str, ...] = ("UNIVERSITY", "PERSON", "AGREEMENT")

    def __post_init__(self) -> None:
        # params.yaml gives lists; keep tuples so settings stay hashable and immutable.
        self.labels = tuple(self.labels)
        self.focus_labels = tuple(self.focus_labels)
