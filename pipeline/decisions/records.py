"""The decision record: what an annotator decided about one mention (or a whole passage).

A decision is a plain dict with the fields of docs/DATA_CONTRACTS.md plus:
`seq` (order in the store), `doc_id`, `mention_id` (identity of the mention decided on:
the machine's `{passage_id}:{start}-{end}`, or for an added mention the span it was added
with), `base_decision_id` (the decision the annotator saw when deciding, for conflict
detection) and `source` (app, labelstudio, ...). Action `review_passage` marks a passage
fully reviewed (mention_id, proposed and result are null).

Optional fields, present only when set (so older lines keep their exact text):
`batch_id` groups the decisions of one gesture (marking a passage reviewed accepts what was
left undecided: one batch, undone together); `resolution: true` marks an adjudicator's
resolution of a disagreement, which outranks annotators' decisions on the same mention;
action `undo` with `undoes: [decision ids]` withdraws earlier decisions (the log stays
append-only: nothing is deleted, the undone decisions simply stop counting).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

MENTION_ACTIONS = ("accept", "reject", "relabel", "respan", "link", "add")
ACTIONS = (*MENTION_ACTIONS, "review_passage", "undo")
SPAN_FIELDS = ("start", "end", "label", "text", "canonical_id")
# Every label the project knows: what the entities stage can produce (pipeline/entities/labels.py)
# plus KazNERD-style context types. A decision with any other label (a typo such as PERSNO) is
# refused by the app and set aside by the pipeline alike.
KNOWN_LABELS = ("UNIVERSITY", "PERSON", "AGREEMENT", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "DATE",
                "LANGUAGE", "PRODUCT", "PROJECT", "LAW", "WORK_OF_ART")
ANNOTATOR_NAME = re.compile(r"^[\w][\w .@+-]{0,63}$", re.UNICODE)
MAX_NAME_CHARS = 300  # canonical names; longer input is a paste accident, not a name


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


def undone_ids(decisions: Iterable[dict[str, Any]]) -> set[str]:
    """Ids of decisions withdrawn by an `undo` decision (an undo itself is never undone)."""
    out: set[str] = set()
    for d in decisions:
        if d.get("action") == "undo":
            out.update(str(i) for i in d.get("undoes") or ())
    return out


def effective(decisions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The decisions that count: neither an undo nor undone by one."""
    decisions = list(decisions)
    undone = undone_ids(decisions)
    return [d for d in decisions if d.get("action") != "undo" and d["decision_id"] not in undone]


def _order(d: dict[str, Any]) -> tuple[bool, str, int, str]:
    # A resolution outranks any annotator's decision; otherwise the latest counts.
    return (bool(d.get("resolution")), d["timestamp"], int(d.get("seq") or 0), d["decision_id"])


def latest_per_mention(decisions: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The decision that wins for each mention: the latest resolution if an adjudicator resolved
    it, else the latest decision, by (timestamp, seq); undone decisions do not count."""
    latest: dict[str, dict[str, Any]] = {}
    for d in sorted(effective(decisions), key=_order):
        if d["action"] in MENTION_ACTIONS and d.get("mention_id"):
            latest[d["mention_id"]] = d
    return latest


def reviewers(decisions: Iterable[dict[str, Any]]) -> set[str]:
    """Who marked the passage (of these decisions) reviewed, undone marks aside."""
    return {d["annotator"] for d in effective(decisions) if d["action"] == "review_passage"}


def decision_problem(decision: dict[str, Any], text: str, labels: Iterable[str] = KNOWN_LABELS) -> str | None:
    """Why a decision cannot be applied to a passage with this `text`, or None if it can.

    One rule for the app (which shows such a decision as set aside) and the pipeline (which
    reports it in entities_skipped.json): the annotator's name, the label, and every span
    (proposed and result) must be inside the passage and still cover the text it recorded.
    """
    if not ANNOTATOR_NAME.match(str(decision.get("annotator") or "")):
        return f"annotator name {str(decision.get('annotator'))[:40]!r} is not a valid name"
    for key in ("proposed", "result"):
        span = decision.get(key)
        if not span:
            continue
        if not isinstance(span, dict):
            return f"{key} is not a span"
        start, end = span.get("start"), span.get("end")
        if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
            return f"{key} span has no integer start and end"
        if not 0 <= start < end <= len(text):
            return f"{key} span {start}-{end} is outside the passage (length {len(text)})"
        if "text" in span and span["text"] != text[start:end]:
            return "the passage text changed under this span"
        if key == "result" and span.get("label") not in set(labels):
            return f"unknown label {str(span.get('label'))[:40]!r}"
    return None
