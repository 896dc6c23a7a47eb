"""Keeps corpus/annotations/decisions.jsonl in step with the decision store.

Rewriting the whole file on every decision would make each acknowledgement slower as the
log grows, so writes are batched: a background thread rewrites the file (atomically) once
decisions stop arriving for `delay` seconds, and `flush()` writes it at once (on shutdown
and by `review export`). The store is the source of truth, so a crash between a decision
and the next rewrite loses nothing: the next flush writes it.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from pipeline.review.store import DecisionStore


class JsonlSync:
    """Debounced atomic rewriting of decisions.jsonl from the store."""

    def __init__(self, store: DecisionStore, path: str | os.PathLike[str], delay: float = 1.0):
        self.store = store
        self.path = Path(path)
        self.delay = delay
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="decisions-jsonl", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """A decision was stored: schedule a rewrite."""
        self._dirty.set()

    def flush(self) -> int:
        """Rewrite the file now; returns the number of decisions written."""
        with self._lock:
            self._dirty.clear()
            written = self.store.export_jsonl(self.path)
            if self.store.background_checkpoints:
                self.store.checkpoint()
            return written

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._dirty.wait(timeout=0.5):
                continue
            # Debounce: wait until no decision arrived for `delay` seconds (at most 10 delays,
            # so a steady stream of decisions still reaches the file).
            deadline = time.monotonic() + 10 * self.delay
            while self._dirty.is_set() and not self._stop.is_set() and time.monotonic() < deadline:
                self._dirty.clear()
                self._stop.wait(self.delay)
            self.flush()

    def close(self) -> None:
        """Stop the thread and write the file one last time."""
        self._stop.set()
        self._thread.join(timeout=5)
        self.flush()
