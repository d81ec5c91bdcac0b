"""CloudEvents 1.0 structured-mode envelopes and deterministic ids."""

from __future__ import annotations

import hashlib

SPECVERSION = "1.0"
SOURCE = "conflictwatch"
TYPES = ("talks.collapsed", "talks.resumed", "civilian_deaths.incident", "civilian_deaths.window")


def stable_id(prefix: str, *parts) -> str:
    """Same parts -> same id, in every process and after every restart."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{prefix}-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def envelope(*, id: str, type: str, subject: str, time: str, data: dict, extensions: dict | None = None) -> dict:
    if type not in TYPES:
        raise ValueError(f"unknown alert type {type!r}")
    event = {
        "specversion": SPECVERSION,
        "id": id,
        "source": SOURCE,
        "type": type,
        "subject": subject,
        "time": time,
        "datacontenttype": "application/json",
    }
    # Extension attribute names must be lowercase alphanumerics (CloudEvents 1.0, 3.1.1).
    for name, value in (extensions or {}).items():
        event[name] = value
    event["data"] = data
    return event
