"""CAMEO and PLOVER codes of an event type (data in ``patterns/codes.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..errors import ConflictWatchError
from .model import EVENT_TYPES


class UnknownEventType(ConflictWatchError):
    """``codes_for`` was asked about a type that is not in ``model.EVENT_TYPES``."""


@lru_cache(maxsize=1)
def _table() -> dict:
    text = resources.files("conflictwatch.extract.patterns").joinpath("codes.json").read_text(encoding="utf-8")
    return json.loads(text)["types"]


def codes_for(event_type: str, subtype: str | None = None) -> dict:
    """``{"cameo": str, "plover": str}`` plus ``plover_mode`` / ``recipient`` when the type fixes them.

    An unknown subtype falls back to the type's own code; an unknown type raises
    ``UnknownEventType``. Returns a fresh dict (callers may store it on an Event).
    """
    if event_type not in EVENT_TYPES:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    entry = _table().get(event_type)
    if entry is None:
        raise UnknownEventType(f"no codes for event type {event_type!r} in codes.json")
    if subtype:
        entry = entry.get("subtypes", {}).get(subtype, entry)
    out = {"cameo": entry["cameo"], "plover": entry["plover"]}
    for key in ("plover_mode", "recipient"):
        if entry.get(key):
            out[key] = entry[key]
    return out
