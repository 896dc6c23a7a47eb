"""Deciding: one decision on a mention, marking a passage reviewed, undoing the last gesture."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from pipeline.review.rules import RuleError, build_decision, review_batch, undo_decision
from pipeline.review.state import passage_state
from pipeline.review.store import ConflictError
from pipeline.review.web.context import review

blueprint = Blueprint("decisions", __name__)


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise RuleError("Expected a JSON object in the request body (Content-Type: application/json).")
    return body


@blueprint.post("/api/decisions")
def decide() -> tuple[Response, int]:
    ctx = review()
    who = ctx.user_or_401().name
    body = json_body()
    pid = body.get("passage_id")
    if not isinstance(pid, str) or not pid:
        raise RuleError("passage_id is required (a non-empty string)")
    passage = ctx.passage_or_404(pid)
    state = passage_state(passage, ctx.visible_decisions(pid))
    decision = build_decision(body, passage, state, who, ctx.labels)
    try:
        stored = ctx.store.record(decision, own_only=ctx.settings.blind)
    except ConflictError as exc:
        raise RuleError(f"Conflict: {exc}. Your change was not saved; the page now shows the current "
                        f"state: decide again if you still disagree.", 409, code="conflict",
                        latest=exc.latest) from exc
    ctx.stored()
    after = {m["mention_id"]: m for m in passage_state(passage, ctx.visible_decisions(pid))}
    return jsonify(decision=stored, mention=after.get(decision["mention_id"])), 200


@blueprint.post("/api/passages/<passage_id>/reviewed")
def mark_reviewed(passage_id: str) -> tuple[Response, int]:
    """Accept every mention left undecided, then mark the passage reviewed: one batch."""
    ctx = review()
    who = ctx.user_or_401().name
    passage = ctx.passage_or_404(passage_id)
    body = request.get_json(silent=True) or {}
    batch_id = body.get("decision_id") if isinstance(body, dict) else None
    if batch_id is not None and not (isinstance(batch_id, str) and len(batch_id) == 32):
        raise RuleError("decision_id must be 32 hex digits (or left out)")
    batch = review_batch(passage, passage_state(passage, ctx.visible_decisions(passage_id)), who, batch_id)
    batch[-1]["decision_id"] = batch_id or None
    stored = ctx.store.record_many(batch, own_only=ctx.settings.blind, skip_conflicts=True)
    ctx.stored()
    return jsonify(decision=stored[-1], accepted=sum(d["action"] == "accept" for d in stored),
                   batch_id=batch[-1]["batch_id"]), 200


@blueprint.post("/api/undo")
def undo() -> tuple[Response, int]:
    """Take back the annotator's last decision (or the whole batch of a `mark reviewed`),
    in the given passage if one is named."""
    ctx = review()
    who = ctx.user_or_401().name
    body = request.get_json(silent=True) or {}
    pid = body.get("passage_id") if isinstance(body, dict) else None
    if pid is not None:
        ctx.passage_or_404(str(pid))
    gesture = ctx.store.last_gesture(who, str(pid) if pid else None)
    decision = undo_decision(gesture, who)
    stored = ctx.store.record(decision, check_base=False)
    ctx.stored()
    return jsonify(decision=stored, undone=[{k: d.get(k) for k in ("decision_id", "action", "mention_id",
                                                                     "passage_id")} for d in gesture]), 200
