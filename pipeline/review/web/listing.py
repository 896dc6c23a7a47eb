"""Listing: documents and passages with the annotator's own progress, one passage with its
mentions, canonical entities, the annotator's queue and progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from pipeline.decisions.records import reviewers
from pipeline.review.queues import ORDERS, needs_review_predicate
from pipeline.review.rules import RuleError
from pipeline.review.state import passage_state, usable
from pipeline.review.web.context import Review, review

blueprint = Blueprint("listing", __name__)
PASSAGE_STATUSES = ("", "unreviewed", "reviewed", "in_progress")
DOC_STATUSES = ("", "unreviewed", "in_progress", "done")


def filters() -> dict[str, str]:
    return {k: request.args.get(k, "")[:200] for k in ("doc_id", "lang", "label", "canonical_id")}


def page_number() -> int:
    try:
        return max(0, int(request.args.get("page", "0")))
    except ValueError as exc:
        raise RuleError("page must be a whole number") from exc


def queue_order(ctx: Review) -> str:
    order = request.args.get("order") or ctx.settings.queue_order
    if order not in ORDERS:
        raise RuleError(f"order must be one of {', '.join(ORDERS)}")
    if order not in ctx.catalog.orders():
        raise RuleError("The active order needs the models' uncertainty: run `dvc repro review_queue` "
                        "(it writes outputs/review_queue/uncertainty.parquet), then restart the app.", 409, code="no_active")
    return order


def needs_me(ctx: Review) -> Any:
    """Predicate: does this passage still need the signed-in annotator (their queue)?"""
    me = ctx.user_or_401().name
    others = {} if ctx.settings.blind else ctx.store.reviewer_counts(exclude=me)
    return needs_review_predicate(me, ctx.store.reviewed_passages(me), others, ctx.settings.blind,
                                  ctx.settings.reviews_per_passage)


def status_predicate(ctx: Review) -> Any:
    status = request.args.get("status", "")
    if status not in PASSAGE_STATUSES:
        raise RuleError(f"status must be one of {PASSAGE_STATUSES[1:]}")
    if not status:
        return None
    me = ctx.user_or_401().name
    if status == "unreviewed":
        return needs_me(ctx)
    mine = ctx.store.reviewed_passages(me)
    if status == "reviewed":
        return lambda p: p in mine
    touched = ctx.store.touched_passages(me)
    return lambda p: p in touched and p not in mine


@blueprint.get("/api/documents")
def list_documents() -> Response:
    ctx = review()
    me = ctx.user_or_401().name
    f = filters()
    status = request.args.get("status", "")
    if status not in DOC_STATUSES:
        raise RuleError(f"status must be one of {DOC_STATUSES[1:]}")
    ids = ctx.catalog.document_ids(f["lang"], f["label"], f["canonical_id"])
    n, size = page_number(), ctx.settings.page_size
    if status:
        counts = ctx.store.reviewed_count_by_doc(annotator=me)
        sizes = ctx.catalog.document_sizes

        def doc_status(d: str) -> str:
            c = counts.get(d, 0)
            return "unreviewed" if c == 0 else ("done" if c >= sizes[d] else "in_progress")
        ids = [d for d in ids if doc_status(d) == status]
    page_ids = ids[n * size:(n + 1) * size]
    docs = ctx.catalog.documents(page_ids)
    mine = ctx.store.reviewed_count_by_doc(page_ids, annotator=me)
    anyone = ctx.store.reviewed_count_by_doc(page_ids) if ctx.sees_others() else {}
    for d in docs:
        d["reviewed"] = mine.get(d["doc_id"], 0)
        if ctx.sees_others():
            d["reviewed_any"] = anyone.get(d["doc_id"], 0)
    return jsonify(documents=docs, total=len(ids), page=n, page_size=size)


@blueprint.get("/api/passages")
def list_passages() -> Response:
    ctx = review()
    me = ctx.user_or_401().name
    n, size = page_number(), ctx.settings.page_size
    keep = status_predicate(ctx)
    order = request.args.get("order", "")
    if keep is not None or order:
        ids = ctx.catalog.ordered_ids(queue_order(ctx) if order else "document", me, **filters())
        if keep is not None:
            ids = [p for p in ids if keep(p)]
        rows, total = ctx.catalog.passage_rows(list(ids[n * size:(n + 1) * size])), len(ids)
    else:  # the common case stays in SQL: LIMIT/OFFSET over indexes
        rows, total = ctx.catalog.passage_page(n * size, size, **filters())
    page_ids = [r["passage_id"] for r in rows]
    mine = ctx.store.reviewed_among(page_ids, annotator=me)
    everyone = ctx.store.reviewers_among(page_ids) if ctx.sees_others() else {}
    for r in rows:
        r["reviewed"] = r["passage_id"] in mine
        if ctx.sees_others():
            r["reviewers"] = len(everyone.get(r["passage_id"], ()))
        if ctx.catalog.uncertainty:
            r["uncertainty"] = round(ctx.catalog.uncertainty.get(r["passage_id"], 0.0), 3)
    return jsonify(passages=rows, total=total, page=n, page_size=size)


@blueprint.get("/api/passages/<passage_id>")
def get_passage(passage_id: str) -> Response:
    ctx = review()
    me = ctx.user_or_401().name
    passage = ctx.passage_or_404(passage_id)
    decisions = ctx.visible_decisions(passage_id)
    if request.args.get("queue"):
        ids = ctx.catalog.ordered_ids(queue_order(ctx), me, **filters())
        keep = needs_me(ctx)
        here = ids.index(passage_id) if passage_id in ids else -1
        around = {"prev": None, "next": next((p for p in ids[here + 1:] if keep(p)), None)
                  or next((p for p in ids[:max(here, 0)] if keep(p)), None), "position": None, "total": None}
    else:
        around = ctx.catalog.neighbours(passage_id, keep=status_predicate(ctx), **filters())
    _, aside = usable(passage, decisions, ctx.labels)
    return jsonify(
        passage_id=passage_id, doc_id=passage["doc_id"], title=passage["title"], lang=passage["lang"],
        passage_index=passage["passage_index"], text=passage["text"],
        mentions=passage_state(passage, decisions),
        set_aside=[{k: d.get(k) for k in ("decision_id", "annotator", "action", "problem")} for d in aside],
        reviewed_by=sorted(reviewers(decisions)),
        prev=around["prev"], next=around["next"], position=around["position"], total=around["total"])


@blueprint.get("/api/canonical")
def canonical() -> Response:
    return jsonify(entities=review().catalog.canonical_entities(request.args.get("q", "")[:100]))


@blueprint.get("/api/queue/next")
def queue_next() -> Response:
    """The first passage in the annotator's queue (in the chosen order), or null when done."""
    ctx = review()
    me = ctx.user_or_401().name
    keep = needs_me(ctx)
    ids = ctx.catalog.ordered_ids(queue_order(ctx), me, **filters())
    return jsonify(passage_id=next((p for p in ids if keep(p)), None), order=queue_order(ctx))


@blueprint.get("/api/progress")
def progress() -> Response:
    """The annotator's own progress; outside blind review (or for adjudicators) everyone's."""
    ctx = review()
    user = ctx.user_or_401()
    keep = needs_me(ctx)
    total = ctx.catalog.n_passages
    mine = ctx.store.reviewed_passages(user.name)
    out: dict[str, Any] = {"me": {"name": user.name, "role": user.role, "reviewed": len(mine),
                                  "queue": sum(1 for p in ctx.catalog.passage_ids() if keep(p)),
                                  "passages": total}}
    if ctx.sees_others() or user.adjudicator:
        team = []
        for name in ctx.store.annotators():
            team.append({"name": name, "reviewed": len(ctx.store.reviewed_passages(name))})
        out["team"] = team
        out["reviewed_by_anyone"] = len(ctx.store.reviewed_passages())
    return jsonify(out)
