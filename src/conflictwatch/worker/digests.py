"""The ``article-digests`` table: the same body under another article id is one
story, counted once.

The extract agent's memory of digests may have lost a copy (restart, or the
copies landed on different partitions); this table, keyed by region, does not.

Keys: ``"{region}|{digest}"`` -> ``{"id": first article id, "day": event day}``
and ``"{region}|~clock"`` -> the newest event day seen in the region.

Expiry by event time: when a region's clock moves to a new day, its digests
older than ``retention`` days are deleted. Deletion happens while an event of
that same region is processed, because a Faust table writes a change to the
changelog partition of the event being processed, and a region's keys live on
its events' partition. A report of a day already past the horizon is checked
but not stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import MutableMapping

from ..alerts import facts

CLOCK = "~clock"


class DigestBook:
    def __init__(self, table: MutableMapping, retention_days: float):
        self.table = table
        self.retention = timedelta(days=retention_days)

    def is_duplicate(self, event: dict, now: datetime) -> bool:
        ref = event.get("article") if isinstance(event.get("article"), dict) else {}
        digest, article_id = ref.get("digest"), ref.get("id")
        if not digest or not isinstance(digest, str):
            return False
        region = str(event.get("region") or "unknown")
        try:
            day = facts.published(event, now).date()
        except (OverflowError, ValueError):  # a date at the edge of the calendar: it is news now
            day = now.date()
        horizon = self._advance(region, day)
        key = f"{region}|{digest}"
        first = self.table.get(key)
        if first is None:
            if day >= horizon:
                self.table[key] = {"id": article_id, "day": day.isoformat()}
            return False
        return _first_id(first) != article_id

    def _advance(self, region: str, day: date) -> date:
        """Move the region's clock to ``day`` if newer (expiring old digests); the horizon."""
        clock_key = f"{region}|{CLOCK}"
        latest = self.table.get(clock_key)
        if latest is None or day.isoformat() > latest:
            self.table[clock_key] = day.isoformat()
            self._expire(region, day - self.retention)
            return day - self.retention
        return date.fromisoformat(latest) - self.retention

    def _expire(self, region: str, horizon: date) -> None:
        prefix = f"{region}|"
        cutoff = horizon.isoformat()
        old = [k for k, v in list(self.table.items())
               if k.startswith(prefix) and not k.endswith(CLOCK) and _day(v) < cutoff]
        for key in old:
            del self.table[key]


def _first_id(value):
    return value.get("id") if isinstance(value, dict) else value


def _day(value) -> str:
    # A value written before digests carried a day (a bare article id) is expired at once.
    return value.get("day") or "" if isinstance(value, dict) else ""
