"""Signing in and out: with a secret, or with a one-time link (its token travels in the URL
fragment, which browsers never send to the server, so it reaches no log)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, session

from pipeline.review import security
from pipeline.review.accounts import Account
from pipeline.review.rules import RuleError, text_field
from pipeline.review.web.context import review

blueprint = Blueprint("auth", __name__)


def _json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise RuleError("Expected a JSON object in the request body (Content-Type: application/json).")
    return body


def _start_session(account: Account) -> Response:
    csrf = security.csrf_token(session)
    session.clear()
    session.update(user=account.name, auth=account.auth_version, csrf=csrf)
    session.permanent = True
    return jsonify(user={"name": account.name, "role": account.role}, csrf=csrf)


@blueprint.get("/api/session")
def get_session() -> Response:
    ctx = review()
    user = ctx.user()
    return jsonify(user={"name": user.name, "role": user.role} if user else None, accounts=ctx.accounts_on(),
                   csrf=security.csrf_token(session), labels=ctx.labels, blind=ctx.settings.blind,
                   focus_labels=list(ctx.settings.focus_labels))


@blueprint.post("/api/login")
def login() -> Response:
    body = _json()
    name = text_field(body, "name", 64)
    secret = text_field(body, "secret", 200)
    account = review().accounts.sign_in(name.strip(), secret)
    if account is None:
        raise RuleError("Name or secret wrong (or the account is disabled). Ask the scholar running the app "
                        "for a new secret or a one-time link.", 401, code="bad_login")
    return _start_session(account)


@blueprint.post("/api/login/once")
def login_once() -> Response:
    token = text_field(_json(), "token", 200)
    account = review().accounts.redeem(token)
    if account is None:
        raise RuleError("This sign-in link is unknown, used already or expired. Ask the scholar for a new one "
                        "(`python -m pipeline review users link NAME`).", 401, code="bad_link")
    return _start_session(account)


@blueprint.post("/api/logout")
def logout() -> Response:
    session.clear()
    return jsonify(user=None, csrf=security.csrf_token(session))
