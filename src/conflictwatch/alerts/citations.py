"""Which reports an alert cites. Bounded, because alerts are kept in table
values (for replays) and a Kafka record has a size limit."""

from __future__ import annotations

MAX_CITED = 20


def _chronological(reports: list[dict]) -> list[dict]:
    return sorted(reports, key=lambda r: (r["published"], r["evidence"]["event_id"]))


def strongest(reports, limit: int = MAX_CITED) -> list[dict]:
    """Up to ``limit`` reports, highest figures first (newest on ties), returned in time order."""
    ranked = sorted(reports, key=lambda r: (-r["counts"]["best"], _neg(r["published"]), r["evidence"]["event_id"]))
    return _chronological(ranked[:limit])


def _neg(text: str) -> tuple:
    return tuple(-ord(c) for c in text)


def articles_of(reports: list[dict]) -> list[dict]:
    out, seen = [], set()
    for rep in reports:
        if rep["article"]["id"] not in seen:
            seen.add(rep["article"]["id"])
            out.append(rep["article"])
    return out
