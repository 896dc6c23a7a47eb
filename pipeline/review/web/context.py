"""What every request needs: the catalog, the store, the settings and who is signed in."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, jsonify, session

from pipeline.errors import PipelineError
from pipeline.review.accounts import Account, Accounts, check_name
from pipeline.review.catalog import Catalog
from pipeline.review.jsonl_sync import JsonlSync
from pipeline.review.rules import RuleError, shorten
from pipeline.review.settings import ReviewSettings
from pipeline.review.store import DecisionStore


@dataclass
class Review:
    """The app's state, shared by the blueprints (one per app)."""

    catalog: Catalog
    store: DecisionStore
    settings: ReviewSettings
    accounts: Accounts
    labels: list[str]
    single_user: str  # the name decisions are made under when no account exists (loopback only)
    sync: JsonlSync | None = None
    required_token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # -- who is asking -----------------------------------------------------------------
    def accounts_on(self) -> bool:
        """Whether annotators sign in (any account exists); otherwise single-user mode."""
        return self.accounts.any()

    def user(self) -> Account | None:
        """The signed-in annotator (or the single user), once per request; None if nobody."""
        if "review_user" in g:
            return g.review_user
        account: Account | None
        if not self.accounts_on():
            account = Account(self.single_user, "adjudicator")
        else:
            name = session.get("user")
            account = self.accounts.get(name) if isinstance(name, str) else None
            if account is not None and session.get("auth") != account.auth_version:
                account = None  # secret reset or account disabled since this session began
        g.review_user = account
        return account

    def user_or_401(self) -> Account:
        """The signed-in annotator, or a 401 asking them to sign in."""
        account = self.user()
        if account is None:
            raise RuleError("Sign in first: your session ended or you are not signed in. Your unsaved "
                            "decisions are kept in this browser and sent once you sign in.", 401, code="login")
        return account

    def adjudicator_or_403(self) -> Account:
        """The signed-in adjudicator, or a 403."""
        account = self.user_or_401()
        if not account.adjudicator:
            raise RuleError("Only adjudicators may do this.", 403, code="role")
        return account

    # -- what they may see -------------------------------------------------------------
    def sees_others(self) -> bool:
        """Whether the current annotator may see others' decisions and progress (not in blind review)."""
        return not self.settings.blind

    def visible_decisions(self, passage_id: str) -> list[dict[str, Any]]:
        """Everyone's decisions on the passage, or in blind review only the annotator's own."""
        if self.sees_others():
            return self.store.for_passage(passage_id)
        account = self.user()
        return self.store.for_passage(passage_id, annotator=account.name if account else "")

    def passage_or_404(self, passage_id: str) -> dict[str, Any]:
        """The passage, or a 404 that names it (shortened)."""
        passage = self.catalog.passage(passage_id) if len(passage_id) <= 500 else None
        if passage is None:
            raise RuleError(f"Unknown passage {shorten(passage_id)!r}: it is not in the current outputs "
                            f"(re-run ingest, or go back to the document list).", 404)
        return passage

    def stored(self) -> None:
        """Decisions were stored: schedule the decisions.jsonl rewrite."""
        if self.sync is not None:
            self.sync.notify()


def review() -> Review:
    """The `Review` of the running app."""
    return current_app.extensions["review"]


def single_user_name(annotator: str | None) -> str:
    """The name for single-user mode: the one given (checked), else the login name."""
    if annotator:
        try:
            return check_name(annotator)
        except PipelineError as exc:
            raise PipelineError(f"--annotator: {exc}") from exc
    try:
        return check_name(getpass.getuser())
    except (PipelineError, OSError, KeyError):
        return "annotator"


def error(message: str, status: int, **extra: Any) -> tuple[Any, int]:
    """A JSON error response."""
    return jsonify(error=message, status=status, **extra), status
