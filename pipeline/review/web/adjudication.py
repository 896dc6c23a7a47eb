"""Agreement between annotators, and disagreements resolved by an adjudicator."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from pipeline.review.adjudication import disagreement_rows, resolution_batch
from pipeline.review.agreement import store_agreement
from pipeline.review.rules import RuleError
from pipeline.review.web.context import review

blueprint = Blueprint("adjudication", __name__)


@blueprint.get("/api/agreement")
def get_agreement() -> Response:
    ctx = review()
    if ctx.settings.blind:
        ctx.adjudicator_or_403()  # in blind review, who reviewed what is not for annotators
    response = jsonify(store_agreement(ctx.store, ctx.catalog))
    if request.args.get("download"):
        response.headers["Content-Disposition"] = "attachment; filename=agreement.json"
    return response


@blueprint.get("/api/disagreements")
def list_disagreements() -> Response:
    """Passages two or more annotators marked reviewed with different results, unresolved first."""
    ctx = review()
    ctx.adjudicator_or_403()
    counts = ctx.store.reviewer_counts()
    rows = []
    for pid in sorted(p for p, n in counts.items() if n >= 2):
        passage = ctx.catalog.passage(pid)
        if passage is None:
            continue
        view = disagreement_rows(passage, ctx.store.for_passage(pid))
        if view["disagree"]:
            rows.append({"passage_id": pid, "doc_id": passage["doc_id"], "lang": passage["lang"],
                         "annotators": view["annotators"], "resolved": view["resolved"],
                         "spans_in_dispute": sum(not r["agreed"] for r in view["rows"]),
                         "snippet": passage["text"][:160]})
    rows.sort(key=lambda r: (r["resolved"], r["doc_id"], r["passage_id"]))
    return jsonify(passages=rows, total=len(rows))


@blueprint.get("/api/passages/<passage_id>/adjudication")
def adjudication_view(passage_id: str) -> Response:
    ctx = review()
    ctx.adjudicator_or_403()
    passage = ctx.passage_or_404(passage_id)
    view = disagreement_rows(passage, ctx.store.for_passage(passage_id))
    return jsonify(passage_id=passage_id, doc_id=passage["doc_id"], lang=passage["lang"], text=passage["text"],
                   labels=ctx.labels, **view)


@blueprint.post("/api/passages/<passage_id>/resolve")
def resolve(passage_id: str) -> tuple[Response, int]:
    """Store the adjudicator's final set of spans as a resolution (one batch)."""
    ctx = review()
    who = ctx.adjudicator_or_403().name
    passage = ctx.passage_or_404(passage_id)
    body = request.get_json(silent=True)
    spans = body.get("spans") if isinstance(body, dict) else None
    if not isinstance(spans, list) or len(spans) > 2000:
        raise RuleError("spans must be a list of {start, end, label}")
    chosen = []
    text = passage["text"]
    for s in spans:
        if not isinstance(s, dict) or not isinstance(s.get("start"), int) or not isinstance(s.get("end"), int):
            raise RuleError("each span needs integer start and end")
        if not 0 <= s["start"] < s["end"] <= len(text):
            raise RuleError(f"span {s['start']}-{s['end']} is outside the passage (length {len(text)})")
        if s.get("label") not in ctx.labels:
            raise RuleError(f"label must be one of {', '.join(ctx.labels)}")
        chosen.append((s["start"], s["end"], s["label"]))
    batch = resolution_batch(passage, ctx.store.for_passage(passage_id), chosen, who)
    stored = ctx.store.record_many(batch, check_base=False)
    ctx.stored()
    return jsonify(stored=len(stored), batch_id=batch[-1]["batch_id"]), 200
