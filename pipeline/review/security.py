"""Access control for the review app: loopback by default, a token off loopback, CSRF always.

- Binding to anything but loopback requires annotator accounts (checked by the app); an
  optional access token chosen by the scholar is a second gate: requests without it get 401.
- State-changing requests need the session's CSRF token in `X-CSRF-Token` and, when the
  browser says where the request comes from (Origin, Referer, Sec-Fetch-Site), it must be
  this app's own origin; otherwise 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit

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
    """The access token requests must carry on top of signing in (None when none is set).

    Off loopback, annotator accounts are what keeps strangers out (the app refuses to start
    without them); a token is an optional second gate, e.g. for a shared link on a campus network.
    """
    if token:
        if len(token) < 12:
            raise PipelineError(f"The access token is too short ({len(token)} characters): use at least 12, "
                                f"e.g. `python -c 'import secrets; print(secrets.token_urlsafe())'`.")
        return token
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
    """Whether the request carries the access token (header, ?token= once, or an authorised session).

    A `?token=` is moved into the session and the app redirects to the same address without it
    (see `without_token`), so the token does not stay in the address bar, history or logs."""
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


_SECRET_IN_LOG = re.compile(r"([?&](?:token|once)=)[^&\s\"]*")


def redact(line: str) -> str:
    """A log line with any access token or sign-in token in a query string replaced by `***`."""
    return _SECRET_IN_LOG.sub(r"\1***", line)


def without_token(full_path: str) -> str:
    """The request path with the `token` query parameter removed (for the redirect that takes it
    out of the address bar and the browser's history)."""
    parts = urlsplit(full_path)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
    return parts.path + (f"?{urlencode(kept)}" if kept else "")


def start_urls(host: str, port: int) -> list[str]:
    """Addresses annotators can open for a server bound to `host`: for 0.0.0.0 / :: the
    machine's name and its non-loopback addresses (0.0.0.0 cannot be opened), else the host."""
    def url(h: str) -> str:
        return f"http://{'[' + h + ']' if ':' in h else h}:{port}/"

    if host not in ("0.0.0.0", "::", ""):
        return [url(host)]
    names: list[str] = []
    hostname = socket.gethostname()
    if hostname:
        names.append(hostname)
    try:
        for info in socket.getaddrinfo(hostname, None, family=socket.AF_INET):
            address = str(info[4][0])
            if not is_loopback(address) and address not in names:
                names.append(address)
    except OSError:
        pass
    return [url(n) for n in names] or [url("127.0.0.1")]
