"""The ids already on the alerts topic.

The worker is at-least-once: after a crash it re-reads events whose alerts may
already be published. Alert ids are deterministic, so the worker reads the
alerts topic once at start and never publishes an id that is already there.
The topic itself is the record, so this survives any crash point.
"""

from __future__ import annotations

import json

from ..config import Settings
from ..topics import ALERTS


def load_emitted_ids(settings: Settings, bootstrap: str, timeout_s: float = 30.0) -> set[str]:
    from kafka import KafkaConsumer, TopicPartition

    topic = settings.topic(ALERTS)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=int(timeout_s * 1000))
    try:
        parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in parts]
        if not tps:
            return set()
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        remaining = {tp for tp in tps if end[tp] > 0}
        ids: set[str] = set()
        if not remaining:
            return ids
        for msg in consumer:
            try:
                ids.add(json.loads(msg.value)["id"])
            except (ValueError, KeyError, TypeError):
                pass  # not an alert we wrote; nothing to dedup against
            tp = TopicPartition(msg.topic, msg.partition)
            if msg.offset + 1 >= end[tp]:
                remaining.discard(tp)
            if not remaining:
                break
        return ids
    finally:
        consumer.close()
