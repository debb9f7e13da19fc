"""Who may write, and what a browser is told to refuse.

Reading needs nothing. Writing (reviews, uploads) needs the operator's token: an API
client sends it as `Authorization: Bearer …`; a coder signs in once with it and gets a
session cookie (HttpOnly, SameSite=Strict) signed with a key derived from the token, so
changing the token ends every session. A write made with the cookie must also carry the
session's CSRF token (a form field or the `X-CSRF-Token` header) and, where the browser
sends one, an `Origin` of this desk.

Every answer carries a Content-Security-Policy with no inline script or style and no
other host (but the tile server the operator named), so hostile article text that got
past the escaping still could not run.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

SESSION_COOKIE = "fogmap_session"
SESSION_SECONDS = 12 * 3600


class Forbidden(Exception):
    """A write without the right to write: the message says what is missing."""


def content_security_policy(tile_origin: str | None) -> str:
    images = "'self' data:" + (f" {tile_origin}" if tile_origin else "")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # no referrer to other sites; an Origin to this one
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def tile_origin(tile_url: str | None) -> str | None:
    """The scheme and host of an online tile URL template, for the policy."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


@dataclass(frozen=True)
class Auth:
    token: str | None  # None: the desk only reads

    @property
    def _key(self) -> bytes:
        return hashlib.sha256(b"fogmap desk session\0" + (self.token or "").encode()).digest()

    def _sign(self, message: str) -> str:
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def session_cookie(self, reviewer: str) -> str:
        expires = int(time.time()) + SESSION_SECONDS
        body = f"{expires}|{reviewer}"
        return f"{body}|{self._sign(body)}"

    def reviewer(self, request: Request) -> str | None:
        """The signed-in coder's name, from a valid, unexpired session cookie."""
        if self.token is None:
            return None
        cookie = request.cookies.get(SESSION_COOKIE, "")
        body, _, signature = cookie.rpartition("|")
        expires, _, reviewer = body.partition("|")
        if not (body and expires.isdigit() and reviewer):
            return None
        if not hmac.compare_digest(signature, self._sign(body)) or int(expires) < time.time():
            return None
        return reviewer

    def csrf_token(self, request: Request) -> str | None:
        """The token a signed-in page's forms carry: bound to the session."""
        if self.reviewer(request) is None:
            return None
        return self._sign("csrf|" + request.cookies.get(SESSION_COOKIE, ""))

    def writer(self, request: Request, csrf: str | None, reviewer: str | None = None) -> str:
        """Who writes: the name given with a bearer token, or the signed-in coder whose
        request carries the session's CSRF token. Anything else is `Forbidden`."""
        if self.token is None:
            raise Forbidden("this desk only reads: its operator started it without a token")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            if not self.token_matches(given.strip()):
                raise Forbidden("the token is not this desk's")
            return reviewer or "api"
        signed_in = self.reviewer(request)
        if signed_in is None:
            raise Forbidden("sign in with the desk's token to write")
        expected = self.csrf_token(request) or ""
        given_csrf = csrf or request.headers.get("x-csrf-token") or ""
        if not hmac.compare_digest(given_csrf, expected):
            raise Forbidden("the form's CSRF token is missing or stale: reload the page")
        origin = request.headers.get("origin")
        if origin and origin != _own_origin(request):
            raise Forbidden(f"a write from another site ({origin}) is refused")
        return signed_in


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"
