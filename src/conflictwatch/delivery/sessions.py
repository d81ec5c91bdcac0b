"""Dashboard sessions for the private feed: a signed cookie, not the key.

A browser cannot put a header on an EventSource request, and a key in the URL
ends up in proxy logs, browser history and Referer headers. So the page trades
the key (sent once, in the X-API-Key header of POST /session) for an HttpOnly,
SameSite=Strict cookie that carries no key: ``<owner>.<expiry>.<mac>``.

The MAC key is derived from the configured API keys, so every instance of the
service with the same keys file accepts the same cookie without shared state,
and changing the keys file ends every session. Pure functions.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Iterable

COOKIE = "cw_session"
SESSION_SECONDS = 12 * 3600


def session_secret(api_keys: Iterable[str]) -> bytes:
    material = "\0".join(sorted(k for k in api_keys if k))
    return hashlib.sha256(b"conflictwatch-dashboard-session\0" + material.encode("utf-8")).digest()


def _mac(secret: bytes, owner: str, expiry: int) -> str:
    return hmac.new(secret, f"{owner}.{expiry}".encode("utf-8"), hashlib.sha256).hexdigest()


def issue(secret: bytes, owner: str, now: float, lifetime: int = SESSION_SECONDS) -> str:
    expiry = int(now) + lifetime
    return f"{owner}.{expiry}.{_mac(secret, owner, expiry)}"


def owner_of(secret: bytes, token: str | None, now: float) -> str | None:
    """The owner of a valid, unexpired session token, else None."""
    if not token or len(token) > 200:
        return None
    owner, _, rest = token.partition(".")
    expiry_text, _, mac = rest.partition(".")
    if not owner or not (expiry_text.isascii() and expiry_text.isdigit()):
        return None
    expiry = int(expiry_text)
    if not hmac.compare_digest(mac.encode("ascii", "replace"), _mac(secret, owner, expiry).encode("ascii")):
        return None
    return owner if expiry > now else None
