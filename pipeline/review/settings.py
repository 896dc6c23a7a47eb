"""Settings of the review app (`review` section of params.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.outputs import default_path


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
    # How many annotators should mark each passage reviewed before it leaves everyone's queue
    # (outside blind review; 2 or more for agreement studies and adjudication).
    reviews_per_passage: int = 1
    # Queue order: document | random (per annotator) | active (least certain first).
    queue_order: str = "document"
    # Per-passage model uncertainty for the active order (stage review_queue), and the second
    # opinion per language it compares the entities stage's mentions with.
    uncertainty: str = default_path("uncertainty")
    second_opinion: dict = field(default_factory=lambda: {"kk": "spacy:models/kk_ner", "en": "rules",
                                                          "ru": "rules"})
    # Ask before `d` accepts more than this many undecided mentions at once.
    confirm_accept_over: int = 3
    # Seconds to wait after the last decision before rewriting decisions.jsonl.
    export_delay: float = 1.0
    # Labels the app offers (in shortcut order 1..n); others found in the data are appended.
    labels: tuple[str, ...] = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC", "DATE")
    focus_labels: tuple[str, ...] = ("UNIVERSITY", "PERSON", "AGREEMENT")

    def __post_init__(self) -> None:
        # params.yaml gives lists; keep tuples so settings stay hashable and immutable.
        self.labels = tuple(self.labels)
        self.focus_labels = tuple(self.focus_labels)
