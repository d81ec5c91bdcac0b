"""Errors of the alert engine, all below ``ConflictWatchError``."""

from __future__ import annotations

from ..errors import ConflictWatchError


class AlertError(ConflictWatchError):
    """Anything the alert engine raises on purpose."""


class RulesError(AlertError):
    """The rules configuration cannot be read or is inconsistent."""


class EventInvalid(AlertError):
    """An event dict lacks what the engine needs (the worker should dead-letter it)."""
