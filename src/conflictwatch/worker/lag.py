"""Consumer-group lag of the worker, measured from outside the consumer.

Lag is end offset minus the group's committed offset per partition, the figure
`kafka-consumer-groups.sh --describe` shows and alerting on Kafka usually means:
messages the group has not finished with. It is read with a kafka-python consumer
that names the group but never subscribes (so it never joins it or commits), not
from Faust internals; `committed()` has the same meaning in kafka-python 2.x and
3.x, whose admin APIs for group offsets differ. The calls block, so the web page
runs them in a thread. Faust commits every few seconds, so an idle worker can show
a small lag for that long.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("conflictwatch.worker")


class GroupLag:
    def __init__(self, bootstrap: str, group_id: str, topics: list[str], min_interval: float = 2.0):
        self.bootstrap = bootstrap
        self.group_id = group_id
        self.topics = topics
        # Several scrapers, or a tight polling loop, must not turn into broker round trips
        # competing with the stream for the CPU: within min_interval the last figures stand.
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._consumer = None
        self._last: tuple[float, dict] | None = None

    def measure(self) -> dict[tuple[str, int], int]:
        """{(topic, partition): lag}; raises the client's error if the broker cannot be asked."""
        with self._lock:
            now = time.monotonic()
            if self._last is not None and now - self._last[0] < self.min_interval:
                return dict(self._last[1])
            out = self._measure()
            self._last = (now, out)
            return dict(out)

    def _measure(self) -> dict[tuple[str, int], int]:
        from kafka import KafkaConsumer, TopicPartition

        if self._consumer is None:
            self._consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, group_id=self.group_id,
                                           enable_auto_commit=False, client_id=f"{self.group_id}-lag")
        tps = [TopicPartition(t, p) for t in self.topics for p in sorted(self._consumer.partitions_for_topic(t) or ())]
        if not tps:
            return {}
        committed = {tp: self._consumer.committed(tp) for tp in tps}
        ends = self._consumer.end_offsets(tps)
        # Nothing committed yet: the group will start at the beginning (auto_offset_reset earliest).
        starts = self._consumer.beginning_offsets(tps)
        out = {}
        for tp in tps:
            done = committed[tp] if committed[tp] is not None and committed[tp] >= 0 else starts[tp]
            out[(tp.topic, tp.partition)] = max(0, ends[tp] - done)
        return out

    def close(self) -> None:
        with self._lock:
            if self._consumer is not None:
                try:
                    self._consumer.close(autocommit=False)
                except Exception:  # noqa: BLE001 - closing on shutdown; nothing to do about it
                    pass
            self._consumer = None
