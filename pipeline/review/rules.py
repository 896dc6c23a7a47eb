"""The decision rules of the review app, as pure functions (no Flask, no database).

Each takes what the annotator sent and what they were shown (the passage and its current
state) and returns the decision(s) to store, or raises `RuleError` saying what is wrong.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from pipeline.decisions.records import MAX_NAME_CHARS, check_span, mention_key, text_sha1
from pipeline.review.state import span_of

DECIDE_ACTIONS = ("accept", "reject", "relabel", "respan", "link", "add")
DECISION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_ID_CHARS = 200  # passage, mention and canonical ids


class RuleError(Exception):
    """A decision the rules refuse: a message for the annotator, an HTTP status, extra fields."""

    def __init__(self, message: str, status: int = 400, **extra: Any):
        super().__init__(message)
        self.status = status
        self.extra = extra


def shorten(value: Any, limit: int = 80) -> str:
    """`value` as text for a message, cut to `limit` characters (never echo a 9 MB id back)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def text_field(body: dict[str, Any], key: str, max_chars: int, required: bool = True) -> str:
    """A string field of the request: present (if required), valid Unicode, not too long."""
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise RuleError(f"{key} is required (a non-empty string)")
        return ""
    if not isinstance(value, str):
        raise RuleError(f"{key} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RuleError(f"{key} holds an invalid character (a lone surrogate at position {exc.start}); "
                        f"retype it") from exc
    if len(value) > max_chars:
        raise RuleError(f"{key} is too long ({len(value)} characters; at most {max_chars})", 413)
    return value


def slug(text: str) -> str:
    """A canonical-id-friendly form of a name."""
    return re.sub(r"[^\w]+", "_", text.strip().lower(), flags=re.UNICODE).strip("_")[:60] or "entity"


def label_field(body: dict[str, Any], labels: list[str]) -> str:
    """The label of the request, which must be one the app offers."""
    label = body.get("label")
    if not isinstance(label, str) or label not in labels:
        raise RuleError(f"label must be one of {', '.join(labels)}; got {shorten(label, 40)!r}")
    return label


def span_field(body: dict[str, Any], text: str) -> tuple[int, int]:
    """The span of the request, checked against the passage."""
    try:
        return check_span(text, body.get("start"), body.get("end"), "span")
    except ValueError as exc:
        raise RuleError(str(exc)) from exc


def client_decision_id(body: dict[str, Any]) -> str | None:
    """The id the browser chose for this decision (so a retry is recorded once), if valid."""
    value = body.get("decision_id")
    if value is None:
        return None
    if not isinstance(value, str) or not DECISION_ID.match(value):
        raise RuleError("decision_id must be 32 lower-case hex digits (or left out)")
    return value


def build_decision(body: dict[str, Any], passage: dict[str, Any], state: list[dict[str, Any]], annotator: str,
                   labels: list[str]) -> dict[str, Any]:
    """The decision an annotator's request asks for (see `DECIDE_ACTIONS`)."""
    action = body.get("action")
    if action not in DECIDE_ACTIONS:
        raise RuleError(f"action must be one of {', '.join(DECIDE_ACTIONS)}, not {shorten(action, 40)!r}")
    text = passage["text"]
    by_id = {m["mention_id"]: m for m in state}
    if action == "add":
        start, end = span_field(body, text)
        label = label_field(body, labels)
        mid = mention_key(passage["passage_id"], start, end)
        existing = by_id.get(mid)
        if existing is not None and existing["status"] != "rejected":
            raise RuleError(f"A mention already covers {start}-{end} ({existing['label']}); change that one instead.",
                            409, code="exists", mention=existing)
        name = text_field(body, "canonical_name", MAX_NAME_CHARS, required=False) or text[start:end]
        cid = text_field(body, "canonical_id", MAX_ID_CHARS, required=False)
        proposed = None
        result = {"start": start, "end": end, "label": label, "text": text[start:end],
                  "canonical_id": cid or f"new:{label}:{slug(name)}", "canonical_name": name}
    else:
        mid = text_field(body, "mention_id", MAX_ID_CHARS)
        mention = by_id.get(mid)
        if mention is None:
            raise RuleError(f"Unknown mention {shorten(mid)!r} in passage {passage['passage_id']}", 404)
        proposed = mention["machine"]
        result = dict(span_of(mention))
        if action == "reject":
            result = None
        elif action == "relabel":
            result["label"] = label_field(body, labels)
        elif action == "respan":
            start, end = span_field(body, text)
            result.update(start=start, end=end, text=text[start:end])
        elif action == "link":
            cid = text_field(body, "canonical_id", MAX_ID_CHARS, required=False).strip()
            name = text_field(body, "canonical_name", MAX_NAME_CHARS, required=False).strip()
            if not cid and not name:
                raise RuleError("link needs canonical_id (an existing entity) or canonical_name (a new one)")
            result["canonical_id"] = cid or f"new:{result['label']}:{slug(name)}"
            result["canonical_name"] = name or cid
    base = body.get("base_decision_id") or None
    if base is not None and (not isinstance(base, str) or len(base) > MAX_ID_CHARS):
        raise RuleError("base_decision_id must be a decision id (or null)")
    decision = {"annotator": annotator, "doc_id": passage["doc_id"], "passage_id": passage["passage_id"],
                "passage_sha1": text_sha1(text), "mention_id": mid, "action": action,
                "proposed": proposed, "result": result, "base_decision_id": base}
    chosen = client_decision_id(body)
    if chosen:
        decision["decision_id"] = chosen
    return decision


def review_batch(passage: dict[str, Any], state: list[dict[str, Any]], annotator: str,
                 batch_id: str | None = None) -> list[dict[str, Any]]:
    """Marking a passage reviewed: accept every mention left undecided, then the mark itself,
    as one batch (one `undo` takes it all back)."""
    batch = batch_id or uuid.uuid4().hex
    sha = text_sha1(passage["text"])
    common = {"annotator": annotator, "doc_id": passage["doc_id"], "passage_id": passage["passage_id"],
              "passage_sha1": sha, "batch_id": batch}
    out = [dict(common, mention_id=m["mention_id"], action="accept", proposed=m["machine"], result=span_of(m),
                base_decision_id=None)
           for m in state if m["decision"] is None]
    out.append(dict(common, action="review_passage"))
    return out


def undo_decision(gesture: list[dict[str, Any]], annotator: str) -> dict[str, Any]:
    """The decision that withdraws `gesture` (an annotator's last decision or batch)."""
    if not gesture:
        raise RuleError("Nothing to undo: you have made no decision here yet (or undid them all).", 409,
                        code="nothing_to_undo")
    if any(d["annotator"] != annotator for d in gesture):
        raise RuleError("You can only undo your own decisions.", 403)
    first = gesture[0]
    return {"annotator": annotator, "doc_id": first["doc_id"], "passage_id": first["passage_id"],
            "passage_sha1": first["passage_sha1"], "action": "undo",
            "undoes": sorted(d["decision_id"] for d in gesture)}
