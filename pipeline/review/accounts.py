"""Annotator accounts: who may decide, with which role, and how they sign in.

Accounts live in the review database (never in a tracked file): a name, a role (`annotator`,
or `adjudicator`, who may also resolve disagreements and always sees agreement), and either a
secret (stored as a salted scrypt hash) or one-time sign-in links (stored as SHA-256 hashes,
valid for a few days, good for one sign-in). `auth_version` grows when a secret is reset or an
account disabled, which ends that account's existing sessions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline.decisions.records import ANNOTATOR_NAME
from pipeline.errors import PipelineError
from pipeline.review.store import DecisionStore, utc_now

ROLES = ("annotator", "adjudicator")
LINK_DAYS = 7
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Account:
    """One annotator as the app needs to know them."""

    name: str
    role: str
    auth_version: int = 1

    @property
    def adjudicator(self) -> bool:
        return self.role == "adjudicator"


def check_name(name: str) -> str:
    """The name, stripped, or a `PipelineError` saying what names may hold."""
    name = (name or "").strip()
    if not ANNOTATOR_NAME.match(name):
        raise PipelineError(f"annotator name {name[:40]!r}: use 1-64 letters, digits, spaces, dots, @, + or dashes, "
                            f"starting with a letter or digit (an email address works).")
    return name


def hash_secret(secret: str) -> str:
    """Salted scrypt hash of a secret, as `scrypt$salt$hash` (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def secret_matches(secret: str, stored: str | None) -> bool:
    """Whether `secret` is the one `stored` was made from (constant-time comparison)."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, digest = stored.split("$")
    try:
        candidate = hashlib.scrypt(secret.encode("utf-8"), salt=bytes.fromhex(salt), dklen=32, **_SCRYPT)
    except (ValueError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Accounts:
    """The accounts table of a review database."""

    def __init__(self, store: DecisionStore):
        self.store = store

    def _conn(self) -> Any:
        return self.store._connect()  # noqa: SLF001 - same database, same thread-local connection

    def any(self) -> bool:
        """Whether any account exists (if none, the app runs in single-user mode on loopback)."""
        return self._conn().execute("SELECT 1 FROM users WHERE disabled = 0 LIMIT 1").fetchone() is not None

    def add(self, name: str, role: str = "annotator", secret: str | None = None) -> str | None:
        """Create an account; returns the generated secret when none was given and `secret` is
        not False-y by choice (None → generate one). Raises if the name is taken."""
        name = check_name(name)
        if role not in ROLES:
            raise PipelineError(f"role {role!r}: choose one of {', '.join(ROLES)}.")
        if secret is not None and len(secret) < 10:
            raise PipelineError("the secret is too short: use at least 10 characters (or let the app make one).")
        generated = secrets.token_urlsafe(12) if secret is None else None
        conn = self._conn()
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise PipelineError(f"an account named {name!r} exists already; `review users reset {name}` gives it "
                                f"a new secret.")
        conn.execute("INSERT INTO users (name, role, secret_hash, created) VALUES (?, ?, ?, ?)",
                     (name, role, hash_secret(secret or generated or ""), utc_now()))
        return generated

    def reset(self, name: str, secret: str | None = None) -> str | None:
        """A new secret (generated unless given); ends the account's existing sessions."""
        self._require(name)
        generated = secrets.token_urlsafe(12) if secret is None else None
        self._conn().execute("UPDATE users SET secret_hash = ?, auth_version = auth_version + 1, disabled = 0 "
                             "WHERE name = ?", (hash_secret(secret or generated or ""), name))
        return generated

    def set_role(self, name: str, role: str) -> None:
        """Change an account's role."""
        self._require(name)
        if role not in ROLES:
            raise PipelineError(f"role {role!r}: choose one of {', '.join(ROLES)}.")
        self._conn().execute("UPDATE users SET role = ? WHERE name = ?", (role, name))

    def disable(self, name: str) -> None:
        """Stop an account from signing in (its decisions stay); ends its sessions."""
        self._require(name)
        self._conn().execute("UPDATE users SET disabled = 1, auth_version = auth_version + 1 WHERE name = ?", (name,))

    def link_token(self, name: str, days: int = LINK_DAYS) -> str:
        """A new one-time sign-in token for the account (valid `days` days, one use)."""
        self._require(name)
        token = secrets.token_urlsafe(24)
        expires = (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="seconds").replace("+00:00", "Z")
        self._conn().execute("INSERT INTO login_links VALUES (?, ?, ?, NULL)", (_token_hash(token), name, expires))
        return token

    def list(self) -> list[dict[str, Any]]:
        """Every account (no secrets)."""
        rows = self._conn().execute("SELECT name, role, created, disabled FROM users ORDER BY name").fetchall()
        return [{"name": n, "role": r, "created": c, "disabled": bool(d)} for n, r, c, d in rows]

    def get(self, name: str) -> Account | None:
        """The enabled account called `name`, or None."""
        row = self._conn().execute("SELECT name, role, auth_version FROM users WHERE name = ? AND disabled = 0",
                                   (name,)).fetchone()
        return Account(*row) if row else None

    def sign_in(self, name: str, secret: str) -> Account | None:
        """The account if `secret` is its secret, else None."""
        row = self._conn().execute("SELECT secret_hash FROM users WHERE name = ? AND disabled = 0",
                                   (name,)).fetchone()
        if row is None:
            secret_matches(secret, hash_secret("timing"))  # same work for unknown names
            return None
        return self.get(name) if secret_matches(secret, row[0]) else None

    def redeem(self, token: str) -> Account | None:
        """The account a one-time token signs in, marking the token used; None if unknown,
        used or expired."""
        conn = self._conn()
        with self.store._write_lock:  # noqa: SLF001 - one redemption per token, even with two tabs
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT name, expires, used FROM login_links WHERE token_hash = ?",
                                   (_token_hash(token),)).fetchone()
                ok = row is not None and row[2] is None and row[1] > utc_now()
                if ok:
                    conn.execute("UPDATE login_links SET used = ? WHERE token_hash = ?", (utc_now(), _token_hash(token)))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return self.get(row[0]) if ok else None

    def _require(self, name: str) -> None:
        if not self._conn().execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise PipelineError(f"no account named {name!r}; `python -m pipeline review users list` shows them.")
