"""Cutting what the alert state stores to a bounded size.

Table values are written whole to a changelog topic on every change, and a
record over Kafka's limit (about 1 MB) stops the worker at every restart. Counts
of stored items are bounded where they are kept (incidents.py, windows.py); the
texts an item carries (sentences, titles, urls, names) are bounded here, so a
450 KB title cannot make a value large either.
"""

from __future__ import annotations

ELLIPSIS = "…"


def cut(text, limit: int):
    """``text`` cut to at most ``limit`` characters (an ellipsis marks the cut);
    anything that is not a string is returned as it is."""
    if not isinstance(text, str) or len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + ELLIPSIS


def cut_where(where: dict, limit: int) -> dict:
    return {k: cut(v, limit) for k, v in where.items()}


def cut_report(report: dict, limit: int) -> dict:
    """A report as stored and cited: its article reference and evidence with every
    text field cut. Offsets (start/end) still point into the original article."""
    return {
        **report,
        "source": cut(report["source"], limit),
        "article": {k: cut(v, limit) for k, v in report["article"].items()},
        "evidence": {k: cut(v, limit) if isinstance(v, str) else v for k, v in report["evidence"].items()},
    }
