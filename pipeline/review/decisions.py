"""The decision record: what an annotator decided about one mention (or a whole passage).

A decision is a plain dict with the fields of docs/DATA_CONTRACTS.md plus:
`seq` (order in the store), `doc_id`, `mention_id` (identity of the mention decided on:
the machine's `{passage_id}:{start}-{end}`, or for an added mention the span it was added
with), `base_decision_id` (the decision the annotator saw when deciding, for conflict
detection) and `source` (app, labelstudio, ...). Action `review_passage` marks a passage
fully reviewed (mention_id, proposed and result are null).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

MENTION_ACTIONS = ("accept", "reject", "relabel", "respan", "link", "add")
ACTIONS = (*MENTION_ACTIONS, "review_passage")
SPAN_FIELDS = ("start", "end", "label", "text", "canonical_id")


def text_sha1(text: str) -> str:
    """SHA-1 (hex) of a passage's text, as stored in `passage_sha1`."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def mention_key(passage_id: str, start: int, end: int) -> str:
    """The mention id the entities stage gives a span: `{passage_id}:{start}-{end}`."""
    return f"{passage_id}:{int(start)}-{int(end)}"


def check_span(text: str, start: Any, end: Any, where: str) -> tuple[int, int]:
    """Validate a span against the passage text; raise a `ValueError` that says what is wrong."""
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise ValueError(f"{where}: start and end must be integers, got {start!r} and {end!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(
            f"{where}: span {start}-{end} is outside the passage (length {len(text)}) or empty"
        )
    return start, end


def sort_key(decision: dict[str, Any]) -> tuple[str, str, int, str]:
    """Deterministic export order: passage, time, store order, id."""
    return (
        decision["passage_id"],
        decision["timestamp"],
        int(decision.get("seq") or 0),
        decision["decision_id"],
    )


def to_json_line(decision: dict[str, Any]) -> str:
    """One decision as a canonical JSON line (sorted keys, UTF-8)."""
    return json.dumps(decision, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_jsonl(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read decisions.jsonl; a missing file is no decisions; a bad line names its number."""
    p = Path(path)
    if not p.exists():
        return []
    out: list[dict[str, Any]] = []
    for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PipelineError(
                f"{p}, line {number}: not valid JSON ({exc.msg}). The SQLite store next to it is the "
                f"source of truth: run `python -m pipeline review export` to rewrite this file."
            ) from exc
        missing = [k for k in ("decision_id", "passage_id", "action", "timestamp") if k not in record]
        if missing or record.get("action") not in ACTIONS:
            raise PipelineError(
                f"{p}, line {number}: not a review decision (missing {missing} or unknown action "
                f"{record.get('action')!r}). Run `python -m pipeline review export` to rewrite it."
            )
        out.append(record)
    return out


def latest_per_mention(decisions: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The decision that wins for each mention: the latest by (timestamp, seq)."""
    latest: dict[str, dict[str, Any]] = {}
    for d in sorted(decisions, key=lambda d: (d["timestamp"], int(d.get("seq") or 0), d["decision_id"])):
        if d["action"] in MENTION_ACTIONS and d.get("mention_id"):
            latest[d["mention_id"]] = d
    return latest
