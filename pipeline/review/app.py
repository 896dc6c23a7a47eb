"""The review web app (Flask): documents → passages → entities, keyboard-first.

Pages are skeletons; the browser fetches JSON and renders every piece of document text with
`textContent`, so markup inside a document is shown, never executed. Every decision is
committed to the store before the response says it was saved.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request, session
from werkzeug.exceptions import HTTPException

from pipeline.review import security
from pipeline.review.agreement import store_agreement
from pipeline.review.catalog import Catalog
from pipeline.review.decisions import check_span, mention_key, text_sha1
from pipeline.review.jsonl_sync import JsonlSync
from pipeline.review.settings import ReviewSettings
from pipeline.review.state import passage_state, span_of
from pipeline.review.store import ConflictError, DecisionStore, StoreBusyError

ANNOTATOR_NAME = re.compile(r"^[\w .@-]{1,64}$", re.UNICODE)
PASSAGE_STATUSES = ("", "unreviewed", "reviewed", "in_progress")
DOC_STATUSES = ("", "unreviewed", "in_progress", "done")


class BadRequest(Exception):
    """A client error with a message for the annotator and an HTTP status."""

    def __init__(self, message: str, status: int = 400, **extra: Any):
        super().__init__(message)
        self.status = status
        self.extra = extra


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text.strip().lower(), flags=re.UNICODE).strip("_")[:60] or "entity"


def create_app(catalog: Catalog, store: DecisionStore, settings: ReviewSettings | None = None,
               annotator: str | None = None, token: str | None = None, sync: JsonlSync | None = None) -> Flask:
    """Build the Flask app over a catalog of outputs and a decision store."""
    settings = settings or ReviewSettings()
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.secret_key = secrets.token_bytes(32)
    app.config.update(SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_HTTPONLY=True,
                      MAX_CONTENT_LENGTH=10 * 1024 * 1024)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = True  # type: ignore[attr-defined]
    required_token = security.required_token(settings.host, token, settings.token_env)
    labels = list(dict.fromkeys([*settings.labels, *catalog.labels]))

    def current_annotator() -> str | None:
        return session.get("annotator") or annotator

    def visible_decisions(passage_id: str) -> list[dict[str, Any]]:
        """What this annotator is shown: everyone's decisions, or in blind review only their own."""
        if settings.blind:
            return store.for_passage(passage_id, annotator=current_annotator() or "")
        return store.for_passage(passage_id)

    # -- guards ------------------------------------------------------------------------
    @app.before_request
    def guard() -> Response | None:
        if not security.host_ok(request, settings.host):
            return _error(f"Unexpected Host header {request.host!r}: open the app as http://127.0.0.1:PORT/.", 403)
        if not security.token_ok(request, session, required_token):
            return _error("Access token missing or wrong: open the link with ?token=… that the "
                          "scholar running the app gave you.", 401)
        if not security.csrf_ok(request, session):
            return _error("Cross-site or token-less request refused (CSRF). Reload the page and try again.",
                          403, code="csrf")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest) -> tuple[Response, int]:
        return _error(str(exc), exc.status, **exc.extra)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int] | HTTPException:
        if request.path.startswith("/api/"):
            return _error(exc.description or exc.name, exc.code or 500)
        return exc

    @app.errorhandler(StoreBusyError)
    def busy(exc: StoreBusyError) -> tuple[Response, int]:
        return _error(str(exc), 503, code="busy")

    def page(template: str, **context: Any) -> str:
        return render_template(template, csrf=security.csrf_token(session), annotator=current_annotator() or "",
                               labels=labels, focus_labels=list(settings.focus_labels), **context)

    # -- pages -------------------------------------------------------------------------
    @app.get("/")
    def documents_page() -> str:
        return page("documents.html", languages=catalog.languages())

    @app.get("/passages")
    def passages_page() -> str:
        return page("passages.html", languages=catalog.languages())

    @app.get("/passage/<passage_id>")
    def passage_page(passage_id: str) -> str:
        if catalog.passage(passage_id) is None:
            abort(404, f"Unknown passage {passage_id}")
        return page("passage.html", passage_id=passage_id)

    @app.get("/agreement")
    def agreement_page() -> str:
        return page("agreement.html")

    # -- session -----------------------------------------------------------------------
    @app.get("/api/session")
    def get_session() -> Response:
        return jsonify(annotator=current_annotator(), csrf=security.csrf_token(session), labels=labels,
                       focus_labels=list(settings.focus_labels))

    @app.post("/api/session")
    def set_session() -> Response:
        body = _json_body()
        name = str(body.get("annotator", "")).strip()
        if not ANNOTATOR_NAME.match(name):
            raise BadRequest("Annotator name: 1–64 letters, digits, spaces, dots, @ or dashes.")
        session["annotator"] = name
        return jsonify(annotator=name)

    # -- listing -----------------------------------------------------------------------
    def filters() -> dict[str, str]:
        return {k: request.args.get(k, "") for k in ("doc_id", "lang", "label", "canonical_id")}

    def page_number() -> int:
        try:
            return max(0, int(request.args.get("page", "0")))
        except ValueError as exc:
            raise BadRequest("page must be a whole number") from exc

    @app.get("/api/documents")
    def list_documents() -> Response:
        f = filters()
        status = request.args.get("status", "")
        if status not in DOC_STATUSES:
            raise BadRequest(f"status must be one of {DOC_STATUSES[1:]}")
        ids = catalog.document_ids(f["lang"], f["label"], f["canonical_id"])
        n = page_number()
        size = settings.page_size
        if status:
            counts = store.reviewed_count_by_doc()
            sizes = catalog.document_sizes

            def doc_status(d: str) -> str:
                c = counts.get(d, 0)
                return "unreviewed" if c == 0 else ("done" if c >= sizes[d] else "in_progress")
            ids = [d for d in ids if doc_status(d) == status]
        page_ids = ids[n * size:(n + 1) * size]
        docs = catalog.documents(page_ids)
        counts = store.reviewed_count_by_doc(page_ids)
        for d in docs:
            d["reviewed"] = counts.get(d["doc_id"], 0)
        return jsonify(documents=docs, total=len(ids), page=n, page_size=size)

    def status_predicate() -> Any:
        status = request.args.get("status", "")
        if status not in PASSAGE_STATUSES:
            raise BadRequest(f"status must be one of {PASSAGE_STATUSES[1:]}")
        if not status:
            return None
        reviewed = store.reviewed_passages()
        touched = store.touched_passages()
        return {"reviewed": lambda p: p in reviewed,
                "unreviewed": lambda p: p not in touched,
                "in_progress": lambda p: p in touched and p not in reviewed}[status]

    def filtered_passage_ids() -> list[str]:
        f = filters()
        keep = status_predicate()
        ids = catalog.passage_ids(f["doc_id"], f["lang"], f["label"], f["canonical_id"])
        return ids if keep is None else [p for p in ids if keep(p)]

    @app.get("/api/passages")
    def list_passages() -> Response:
        n, size = page_number(), settings.page_size
        if request.args.get("status"):
            ids = filtered_passage_ids()
            rows, total = catalog.passage_rows(ids[n * size:(n + 1) * size]), len(ids)
        else:  # the common case stays in SQL: LIMIT/OFFSET over indexes
            rows, total = catalog.passage_page(n * size, size, **filters())
        reviewed = store.reviewed_among([r["passage_id"] for r in rows])
        for r in rows:
            r["reviewed"] = r["passage_id"] in reviewed
        return jsonify(passages=rows, total=total, page=n, page_size=size)

    @app.get("/api/passages/<passage_id>")
    def get_passage(passage_id: str) -> Response:
        passage = _passage_or_404(passage_id)
        decisions = visible_decisions(passage_id)
        around = catalog.neighbours(passage_id, keep=status_predicate(), **filters())
        return jsonify(
            passage_id=passage_id, doc_id=passage["doc_id"], title=passage["title"], lang=passage["lang"],
            passage_index=passage["passage_index"], text=passage["text"],
            mentions=passage_state(passage, decisions),
            reviewed_by=sorted({d["annotator"] for d in decisions if d["action"] == "review_passage"}),
            prev=around["prev"], next=around["next"], position=around["position"], total=around["total"])

    @app.get("/api/canonical")
    def canonical() -> Response:
        return jsonify(entities=catalog.canonical_entities(request.args.get("q", "")[:100]))

    # -- decisions ---------------------------------------------------------------------
    @app.post("/api/decisions")
    def decide() -> tuple[Response, int]:
        body = _json_body()
        who = _annotator_or_400()
        passage = _passage_or_404(_str(body, "passage_id"))
        action = _str(body, "action")
        if action not in ("accept", "reject", "relabel", "respan", "link", "add"):
            raise BadRequest(f"action must be accept, reject, relabel, respan, link or add, not {action!r}")
        text = passage["text"]
        state = {m["mention_id"]: m for m in passage_state(passage, visible_decisions(passage["passage_id"]))}
        if action == "add":
            start, end = _span(body, text)
            label = _label(body)
            mid = mention_key(passage["passage_id"], start, end)
            existing = state.get(mid)
            if existing is not None and existing["status"] != "rejected":
                raise BadRequest(f"A mention already covers {start}-{end} ({existing['label']}); "
                                 f"change that one instead.", 409, code="exists", mention=existing)
            name = str(body.get("canonical_name") or text[start:end])
            proposed = None
            result = {"start": start, "end": end, "label": label, "text": text[start:end],
                      "canonical_id": str(body.get("canonical_id") or f"new:{label}:{_slug(name)}"),
                      "canonical_name": name}
        else:
            mid = _str(body, "mention_id")
            mention = state.get(mid)
            if mention is None:
                raise BadRequest(f"Unknown mention {mid!r} in passage {passage['passage_id']}", 404)
            proposed = mention["machine"]
            current = span_of(mention)
            result = dict(current)
            if action == "reject":
                result = None
            elif action == "relabel":
                result["label"] = _label(body)
            elif action == "respan":
                start, end = _span(body, text)
                result.update(start=start, end=end, text=text[start:end])
            elif action == "link":
                cid = str(body.get("canonical_id") or "").strip()
                name = str(body.get("canonical_name") or "").strip()
                if not cid and not name:
                    raise BadRequest("link needs canonical_id (an existing entity) or canonical_name (a new one)")
                result["canonical_id"] = cid or f"new:{result['label']}:{_slug(name)}"
                result["canonical_name"] = name or cid
        decision = {"annotator": who, "doc_id": passage["doc_id"], "passage_id": passage["passage_id"],
                    "passage_sha1": text_sha1(text), "mention_id": mid, "action": action,
                    "proposed": proposed, "result": result,
                    "base_decision_id": body.get("base_decision_id") or None}
        try:
            stored = store.record(decision, own_only=settings.blind)
        except ConflictError as exc:
            return _error(f"Conflict: {exc}. Your change was not saved; the page now shows the current "
                          f"state: decide again if you still disagree.", 409, code="conflict",
                          latest=exc.latest)
        if sync is not None:
            sync.notify()
        after = {m["mention_id"]: m for m in passage_state(passage, visible_decisions(passage["passage_id"]))}
        return jsonify(decision=stored, mention=after.get(mid)), 200

    @app.post("/api/passages/<passage_id>/reviewed")
    def mark_reviewed(passage_id: str) -> tuple[Response, int]:
        """Accept every mention nobody decided yet, then mark the passage reviewed."""
        who = _annotator_or_400()
        passage = _passage_or_404(passage_id)
        sha = text_sha1(passage["text"])
        accepted = 0
        for m in passage_state(passage, visible_decisions(passage_id)):
            if m["decision"] is None:
                try:
                    store.record({"annotator": who, "doc_id": passage["doc_id"], "passage_id": passage_id,
                                  "passage_sha1": sha, "mention_id": m["mention_id"], "action": "accept",
                                  "proposed": m["machine"], "result": span_of(m), "base_decision_id": None},
                                 own_only=settings.blind)
                    accepted += 1
                except ConflictError:
                    pass  # someone decided it meanwhile: their decision stands
        stored = store.record({"annotator": who, "doc_id": passage["doc_id"], "passage_id": passage_id,
                               "passage_sha1": sha, "action": "review_passage"})
        if sync is not None:
            sync.notify()
        return jsonify(decision=stored, accepted=accepted), 200

    @app.get("/api/agreement")
    def get_agreement() -> Response:
        response = jsonify(store_agreement(store, catalog))
        if request.args.get("download"):
            response.headers["Content-Disposition"] = "attachment; filename=agreement.json"
        return response

    # -- helpers -----------------------------------------------------------------------
    def _passage_or_404(passage_id: str) -> dict[str, Any]:
        passage = catalog.passage(passage_id)
        if passage is None:
            raise BadRequest(f"Unknown passage {passage_id!r}: it is not in the current outputs "
                             f"(re-run ingest, or go back to the document list).", 404)
        return passage

    def _annotator_or_400() -> str:
        who = current_annotator()
        if not who:
            raise BadRequest("Choose your annotator name first (top right of the page).", 400, code="no_annotator")
        return who

    def _label(body: dict[str, Any]) -> str:
        label = body.get("label")
        if not isinstance(label, str) or not re.fullmatch(r"[A-Z][A-Z_]{0,31}", label):
            raise BadRequest(f"label must be an upper-case label such as {labels[:3]}, got {label!r}")
        return label

    def _span(body: dict[str, Any], text: str) -> tuple[int, int]:
        try:
            return check_span(text, body.get("start"), body.get("end"), "span")
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc

    return app


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Expected a JSON object in the request body (Content-Type: application/json).")
    return body


def _str(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{key} is required (a non-empty string)")
    return value


def _error(message: str, status: int, **extra: Any) -> tuple[Response, int]:
    return jsonify(error=message, status=status, **extra), status
