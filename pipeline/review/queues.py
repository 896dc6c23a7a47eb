"""Each annotator's queue: which passages still need them, in which order, and their progress.

A passage needs annotator A when A has not marked it reviewed and (outside blind review) fewer
than `reviews_per_passage` other annotators have. In blind review others' progress is never
used: every passage A has not reviewed is in A's queue (double annotation for agreement).

Orders: `document` (document, then passage order), `random` (a fixed shuffle per annotator,
so two annotators do not start on the same passages), `active` (the passages the models are
least sure of first: highest uncertainty from `outputs/review_queue/uncertainty.parquet`, as Prodigy's
`ner.teach` serves the most informative examples first).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

ORDERS = ("document", "random", "active")


def needs_review_predicate(me: str, mine: set[str], others: dict[str, int], blind: bool,
                           reviews_per_passage: int) -> Callable[[str], bool]:
    """Whether a passage (id) still needs `me`: see the module docstring."""
    if blind:
        return lambda pid: pid not in mine
    return lambda pid: pid not in mine and others.get(pid, 0) < reviews_per_passage


def shuffle_key(annotator: str) -> Callable[[str], str]:
    """A per-annotator, deterministic shuffle of passage ids."""
    return lambda pid: hashlib.sha1(f"{annotator}\x00{pid}".encode()).hexdigest()


def ordered(ids: Sequence[str], order: str, annotator: str, uncertainty: dict[str, float]) -> list[str]:
    """`ids` (in document order) rearranged in the queue `order`."""
    if order == "document":
        return list(ids)
    if order == "random":
        return sorted(ids, key=shuffle_key(annotator))
    if order == "active":
        position = {pid: i for i, pid in enumerate(ids)}
        return sorted(ids, key=lambda pid: (-uncertainty.get(pid, 0.0), position[pid]))
    raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
