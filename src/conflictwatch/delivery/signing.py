"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>".

The timestamp is part of the signed text so a captured request cannot be
replayed later than the receiver's tolerance; the body is signed as the exact
bytes sent, so receivers must verify before parsing JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-ConflictWatch-Signature"
TIMESTAMP_HEADER = "X-ConflictWatch-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
ATTEMPT_HEADER = "X-ConflictWatch-Attempt"
SUBSCRIPTION_HEADER = "X-ConflictWatch-Subscription"
SCHEME = "v1"


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """Signature header value, e.g. "v1=5d41...". """
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    ts = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(secret, ts, body)}


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes,
           *, tolerance: float = 300.0, now: float | None = None) -> bool:
    """Receiver-side check: right secret, untampered body, timestamp within tolerance.

    The signature header may hold several comma-separated values (during a
    secret rotation); any valid one is enough.
    """
    if not timestamp or not signature:
        return False
    # Only ASCII digits: int() also accepts other scripts' digits ('١٧') and
    # str.isdigit() superscripts ('²'), which would then fail to encode or parse.
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    expected = sign(secret, timestamp, body).encode("ascii")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    return any(hmac.compare_digest(expected, candidate.strip().encode("utf-8", "replace"))
               for candidate in signature.split(","))
