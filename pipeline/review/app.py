"""The review web app (Flask): documents → passages → entities, keyboard-first.

Pages are skeletons; the browser fetches JSON and renders every piece of document text with
`textContent`, so markup inside a document is shown, never executed. Every decision is
committed to the store before the response says it was saved.

Who decides: with no account in the database and a loopback address, one annotator works
under the `--annotator` name (or the login name): as simple as a local tool. Once accounts
exist (`review users add`), every request needs a signed-in annotator, and decisions carry
that account's name, never a typed one. Sessions are signed with a secret kept in the review
database, so they survive restarts; the cookie is named after the port, so two instances on
one machine keep apart.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Response, redirect, request, session
from werkzeug.exceptions import HTTPException

from pipeline.decisions.records import KNOWN_LABELS
from pipeline.errors import PipelineError
from pipeline.review import security
from pipeline.review.accounts import Accounts
from pipeline.review.catalog import Catalog
from pipeline.review.jsonl_sync import JsonlSync
from pipeline.review.rules import RuleError
from pipeline.review.settings import ReviewSettings
from pipeline.review.store import DecisionStore, StoreBusyError
from pipeline.review.web import adjudication, auth, decisions, listing, pages
from pipeline.review.web.context import Review, error, review, single_user_name

# Reachable without signing in (the sign-in page and what it needs).
OPEN_PATHS = ("/login", "/api/login", "/api/login/once", "/api/session", "/static/")
MAX_BODY_BYTES = 256 * 1024  # a decision is a few hundred bytes; nothing legitimate is larger


def offered_labels(settings: ReviewSettings, catalog: Catalog) -> list[str]:
    """Labels the app offers (shortcut order): the configured ones, then any others in the data.

    A configured label the pipeline does not know is refused at start: decisions with it would
    be set aside by the entities stage.
    """
    unknown = [lab for lab in settings.labels if lab not in KNOWN_LABELS and lab not in catalog.labels]
    if unknown:
        raise PipelineError(f"params.yaml review.labels: {unknown} are not labels the pipeline knows "
                            f"({', '.join(KNOWN_LABELS)}); decisions with them would be set aside.")
    return list(dict.fromkeys([*settings.labels, *catalog.labels]))


def create_app(catalog: Catalog, store: DecisionStore, settings: ReviewSettings | None = None,
               annotator: str | None = None, token: str | None = None, sync: JsonlSync | None = None) -> Flask:
    """Build the Flask app over a catalog of outputs and a decision store."""
    settings = settings or ReviewSettings()
    accounts = Accounts(store)
    if not security.is_loopback(settings.host) and not accounts.any():
        raise PipelineError(
            f"Refusing to listen on {settings.host} without annotator accounts: anyone on the network could "
            f"read and change decisions. Create one per annotator with `python -m pipeline review users add "
            f"NAME` (each gets a secret or a one-time link), or bind to 127.0.0.1.")
    if annotator and accounts.any():
        raise PipelineError("--annotator: annotator accounts exist, so annotators sign in and decide under their "
                            "own account; start the app without --annotator.")
    ctx = Review(catalog=catalog, store=store, settings=settings, accounts=accounts,
                 labels=offered_labels(settings, catalog), single_user=single_user_name(annotator), sync=sync,
                 required_token=security.required_token(settings.host, token, settings.token_env))

    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.extensions["review"] = ctx
    app.secret_key = store.meta_secret("session_secret")
    app.config.update(SESSION_COOKIE_NAME=f"review_session_{settings.port}", SESSION_COOKIE_SAMESITE="Strict",
                      SESSION_COOKIE_HTTPONLY=True, PERMANENT_SESSION_LIFETIME=timedelta(days=30),
                      MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = True  # type: ignore[attr-defined]
    for blueprint in (pages.blueprint, auth.blueprint, listing.blueprint, decisions.blueprint,
                      adjudication.blueprint):
        app.register_blueprint(blueprint)
    _install_guards(app)
    return app


def _install_guards(app: Flask) -> None:
    @app.before_request
    def guard() -> Any:
        ctx = review()
        session.permanent = True
        if not security.host_ok(request, ctx.settings.host):
            return error(f"Unexpected Host header {request.host[:100]!r}: open the app as http://127.0.0.1:PORT/.", 403)
        if not security.token_ok(request, session, ctx.required_token):
            return error("Access token missing or wrong: open the link with ?token=… that the "
                         "scholar running the app gave you.", 401)
        if request.method == "GET" and "token" in request.args:
            return redirect(security.without_token(request.full_path), 303)
        if not security.csrf_ok(request, session):
            return error("Cross-site or token-less request refused (CSRF). Reload the page and try again.",
                         403, code="csrf")
        if request.path.startswith(OPEN_PATHS) or ctx.user() is not None:
            return None
        if request.path.startswith("/api/"):
            return error("Sign in first: your session ended or you are not signed in. Your unsaved "
                         "decisions are kept in this browser and sent once you sign in.", 401, code="login")
        return redirect("/login?next=" + security.without_token(request.full_path).rstrip("?")[:500], 303)

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

    @app.errorhandler(RuleError)
    def refused(exc: RuleError) -> tuple[Response, int]:
        return error(str(exc), exc.status, **exc.extra)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if request.path.startswith("/api/") or exc.code in (404, 413, 414):
            message = {413: f"Request too large (at most {MAX_BODY_BYTES // 1024} KB)."}.get(
                exc.code or 0, exc.description or exc.name)
            return error(message[:300], exc.code or 500)
        return exc

    @app.errorhandler(StoreBusyError)
    def busy(exc: StoreBusyError) -> tuple[Response, int]:
        return error(str(exc), 503, code="busy")
