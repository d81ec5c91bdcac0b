"""Base error of the package; each subpackage derives its own errors from it."""


class ConflictWatchError(Exception):
    """Anything conflictwatch raises on purpose."""
