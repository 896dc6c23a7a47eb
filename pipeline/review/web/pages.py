"""HTML pages: skeletons the browser fills from the JSON API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask import session as flask_session

from pipeline.review import security
from pipeline.review.web.context import review

blueprint = Blueprint("pages", __name__)


def page(template: str, **context: Any) -> str:
    """Render a page with what every page shows (who is signed in, labels, CSRF token)."""
    ctx = review()
    user = ctx.user()
    return render_template(template, csrf=security.csrf_token(flask_session), user=user,
                           accounts_on=ctx.accounts_on(), blind=ctx.settings.blind, labels=ctx.labels,
                           focus_labels=list(ctx.settings.focus_labels), languages=ctx.catalog.languages(),
                           orders=ctx.catalog.orders(), **context)


def label_keys(n: int) -> list[str]:
    """The key for each label, in order: 1–9 and 0, then ⇧1–⇧0, then `e` (the label chooser)."""
    digits = [*"123456789", "0"]
    return [digits[i] if i < 10 else (f"⇧{digits[i - 10]}" if i < 20 else "e") for i in range(n)]


@blueprint.get("/")
def documents_page() -> str:
    return page("documents.html")


@blueprint.get("/passages")
def passages_page() -> str:
    return page("passages.html")


@blueprint.get("/passage/<passage_id>")
def passage_page(passage_id: str) -> str:
    review().passage_or_404(passage_id)
    return page("passage.html", passage_id=passage_id, label_keys=label_keys(len(review().labels)),
                confirm_over=review().settings.confirm_accept_over)


@blueprint.get("/agreement")
def agreement_page() -> str:
    return page("agreement.html")


@blueprint.get("/adjudicate")
def adjudicate_page() -> str:
    review().adjudicator_or_403()
    return page("adjudicate.html")


@blueprint.get("/adjudicate/<passage_id>")
def adjudicate_passage_page(passage_id: str) -> str:
    review().adjudicator_or_403()
    review().passage_or_404(passage_id)
    return page("adjudicate_passage.html", passage_id=passage_id)


@blueprint.get("/login")
def login_page() -> str:
    return page("login.html")
