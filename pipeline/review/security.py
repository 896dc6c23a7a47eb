"""Access control for the review app: loopback by default, a token off loopback, CSRF always.

- Binding to anything but loopback requires a token chosen by the scholar; requests without
  it get 401.
- State-changing requests need the session's CSRF token in `X-CSRF-Token` and, when the
  browser says where the request comes from (Origin, Referer, Sec-Fetch-Site), it must be
  this app's own origin; otherwise 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from flask import Request

from pipeline.errors import PipelineError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def required_token(host: str, token: str | None, token_env: str) -> str | None:
    """The token requests must carry (None on loopback without one); refuse open non-loopback binds."""
    if token:
        if len(token) < 12:
            raise PipelineError(f"The access token is too short ({len(token)} characters): use at least 12, "
                                f"e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`.")
        return token
    if not is_loopback(host):
        raise PipelineError(
            f"Refusing to listen on {host} without an access token: anyone on the network could read "
            f"and change decisions. Set {token_env}=<a long random string> (or pass --token) and share "
            f"the link it prints with your annotators, or bind to 127.0.0.1.")
    return None


def host_ok(request: Request, bound_host: str) -> bool:
    """Whether the Host header names this server: defeats DNS rebinding, where a web page
    re-points its own domain at 127.0.0.1 to read and drive a loopback app."""
    host = (request.host or "").lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    allowed = {"127.0.0.1", "localhost", "[::1]", "::1"}
    if not is_loopback(bound_host) and bound_host not in ("0.0.0.0", "::"):
        allowed.add(bound_host.lower())
    if bound_host in ("0.0.0.0", "::"):
        return True  # listening everywhere: the access token is the guard
    return name in allowed


def token_ok(request: Request, session: dict, expected: str | None) -> bool:
    """Whether the request carries the access token (header, ?token= once, or an authorised session)."""
    if expected is None:
        return True
    if session.get("token_ok"):
        return True
    offered = (request.headers.get("X-Review-Token") or request.args.get("token")
               or request.headers.get("Authorization", "").removeprefix("Bearer ").strip())
    if offered and hmac.compare_digest(offered.encode(), expected.encode()):
        session["token_ok"] = True
        return True
    return False


def csrf_token(session: dict) -> str:
    """The session's CSRF token, created on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def same_origin(request: Request) -> bool:
    """False when the browser reports a cross-site origin for this request."""
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return False
    own = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.rstrip("/") == own
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return True  # non-browser clients send neither; the CSRF token still protects them


def csrf_ok(request: Request, session: dict) -> bool:
    """Whether a state-changing request carries this session's CSRF token from our own origin."""
    if request.method in SAFE_METHODS:
        return True
    offered = request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    return bool(expected) and hmac.compare_digest(offered.encode(), expected.encode()) and same_origin(request)
