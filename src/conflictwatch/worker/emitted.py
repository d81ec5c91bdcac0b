"""The ids already on the alerts topic.

The worker is at-least-once: after a crash it re-reads events whose alerts may
already be published. Alert ids are deterministic, so the worker reads the
alerts topic at start and never publishes an id that is already there. The
topic itself is the record, so this survives any crash point.

With several workers in one group, a worker that takes over partitions (its
peer was killed, or scaled in) must also know what the peer published just
before it died; so the ids are read again after every rebalance that brings
new partitions, before the next event is processed.

Bounded: an id expires once the newest alert time seen (event time) has moved
``retention`` past the alert's own time. It is never forgotten within
``REPLAY_HORIZON`` of wall-clock time after it was added, because replays come
from offsets not yet committed, minutes at most, and a backfill can move event
time by months in that span.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

from ..alerts.facts import parse_time
from ..config import Settings
from ..topics import ALERTS

REPLAY_HORIZON_S = 3600.0
SWEEP_EVERY = 1000  # adds between two expiry sweeps


class EmittedIds:
    """Set of alert ids with expiry by event time (see the module doc)."""

    def __init__(self, retention: timedelta, loader: Callable[[], Iterable[tuple[str, str | None]]] | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.retention = retention.total_seconds()
        self.loader = loader
        self.clock = clock
        self._ids: dict[str, tuple[float, float]] = {}  # id -> (event time, wall time added)
        self.newest = float("-inf")                     # newest alert time seen, epoch seconds
        self.stale = loader is not None                 # True until the topic is read
        self._adds = 0

    def __contains__(self, alert_id: str) -> bool:
        return alert_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, alert_id: str, alert_time: str | None = None) -> None:
        when = parse_time(alert_time)
        stamp = when.timestamp() if when else self.newest
        self.newest = max(self.newest, stamp)
        self._ids[alert_id] = (stamp, self.clock())
        self._adds += 1
        if self._adds % SWEEP_EVERY == 0:
            self.expire()

    def expire(self) -> int:
        """Forget expired ids; returns how many."""
        horizon = self.newest - self.retention
        recent = self.clock() - REPLAY_HORIZON_S
        old = [i for i, (stamp, added) in self._ids.items() if stamp < horizon and added < recent]
        for alert_id in old:
            del self._ids[alert_id]
        return len(old)

    def refresh(self) -> int:
        """Read the alerts topic again (after start or a rebalance); returns the ids read."""
        # Cleared first: a rebalance during the read marks the set stale again.
        self.stale = False
        n = 0
        if self.loader is not None:
            for alert_id, alert_time in self.loader():
                self.add(alert_id, alert_time)
                n += 1
        self.expire()
        return n


def emitted_ids(settings: Settings, bootstrap: str) -> EmittedIds:
    retention = timedelta(days=settings.emitted_retention_days)
    return EmittedIds(retention, loader=lambda: read_alert_ids(settings, bootstrap, retention))


def read_alert_ids(settings: Settings, bootstrap: str, retention: timedelta,
                   timeout_s: float = 30.0) -> list[tuple[str, str | None]]:
    """(id, time) of the alerts on the topic published within ``retention`` (wall clock):
    an alert's record is never older than its event time, and replays only reach
    back to uncommitted offsets, so older records cannot be needed."""
    from kafka import KafkaConsumer, TopicPartition

    topic = settings.topic(ALERTS)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=int(timeout_s * 1000))
    try:
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or set()]
        if not tps:
            return []
        consumer.assign(tps)
        since = int((datetime.now(timezone.utc) - retention).timestamp() * 1000)
        starts = consumer.offsets_for_times({tp: since for tp in tps})
        end = consumer.end_offsets(tps)
        remaining = set()
        for tp in tps:
            found = starts.get(tp)
            if found is not None and end[tp] > found.offset:  # None: nothing that recent here
                remaining.add(tp)
        out: list[tuple[str, str | None]] = []
        if not remaining:
            return out
        consumer.assign(sorted(remaining))
        for tp in remaining:
            consumer.seek(tp, starts[tp].offset)
        for msg in consumer:
            try:
                alert = json.loads(msg.value)
                out.append((alert["id"], alert.get("time")))
            except (ValueError, KeyError, TypeError):
                pass  # not an alert we wrote; nothing to dedup against
            tp = TopicPartition(msg.topic, msg.partition)
            if msg.offset + 1 >= end[tp]:
                remaining.discard(tp)
            if not remaining:
                break
        return out
    finally:
        consumer.close()
