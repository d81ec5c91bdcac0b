"""Live feed: recent alerts in memory, streamed as server-sent events.

The feed replays the ``alerts`` topic from the beginning at start and keeps the
newest ``feed_buffer`` alerts, so a client reconnecting with ``Last-Event-ID``
gets exactly what it missed, as long as it is still in the buffer.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
from dataclasses import dataclass
from typing import Iterable

from .kafka_io import TopicView, decode_json
from .metrics import DeliveryMetrics
from .subscriptions import Filter

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0


@dataclass(frozen=True)
class FeedItem:
    seq: int
    alert: dict
    line: str  # the alert as one line of JSON, ready for an SSE data field


def is_alert(value) -> bool:
    if not (isinstance(value, dict) and isinstance(value.get("id"), str) and isinstance(value.get("type"), str)):
        return False
    alert_id = value["id"]
    # The id goes into the SSE "id:" line: a line break there would forge events.
    return bool(alert_id) and len(alert_id) <= 200 and "\n" not in alert_id and "\r" not in alert_id


class AlertFeed:
    def __init__(self, bootstrap: str, topic: str, size: int, metrics: DeliveryMetrics | None = None):
        self._items: collections.deque[FeedItem] = collections.deque(maxlen=max(1, size))
        self._seq_of: dict[str, int] = {}
        self._seq = 0
        self._changed = asyncio.Event()
        self.closing = asyncio.Event()
        self._metrics = metrics
        self.view = TopicView(bootstrap, topic, self._apply, name="feed")

    async def start(self) -> None:
        await self.view.start()

    async def stop(self) -> None:
        self.close()
        await self.view.stop()

    def close(self) -> None:
        self.closing.set()
        self._wake()

    @property
    def ready(self) -> bool:
        return self.view.ready.is_set() and self.view.failed is None

    def _apply(self, record) -> None:
        try:
            alert = decode_json(record.value)
        except ValueError:
            return
        if is_alert(alert):
            self.add(alert)

    def add(self, alert: dict) -> bool:
        """Append an alert; an id already in the buffer is not shown twice."""
        if alert["id"] in self._seq_of:
            return False
        if len(self._items) == self._items.maxlen:
            evicted = self._items[0]
            if self._seq_of.get(evicted.alert["id"]) == evicted.seq:
                del self._seq_of[evicted.alert["id"]]
        self._seq += 1
        self._items.append(FeedItem(self._seq, alert, json.dumps(alert, ensure_ascii=False, separators=(",", ":"))))
        self._seq_of[alert["id"]] = self._seq
        if self._metrics:
            self._metrics.feed_alerts.set(len(self._items))
        self._wake()
        return True

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def get(self, alert_id: str) -> dict | None:
        seq = self._seq_of.get(alert_id)
        if seq is None:
            return None
        first = self._items[0].seq  # seqs are consecutive within the buffer
        return self._items[seq - first].alert

    def seq_of(self, alert_id: str) -> int | None:
        return self._seq_of.get(alert_id)

    @property
    def last_seq(self) -> int:
        return self._seq

    def after(self, seq: int, filt: Filter | None = None) -> list[FeedItem]:
        return [i for i in self._items if i.seq > seq and (filt is None or filt.matches(i.alert))]

    def recent(self, limit: int, filt: Filter | None = None) -> list[FeedItem]:
        items = [i for i in self._items if filt is None or filt.matches(i.alert)]
        return items[-limit:] if limit > 0 else []

    def alerts(self) -> Iterable[dict]:
        return (i.alert for i in self._items)

    async def wait_after(self, seq: int, timeout: float) -> bool:
        """Wait until something newer than ``seq`` arrives (True) or timeout/closing (False)."""
        if self._seq > seq:
            return True
        changed = self._changed
        closing = asyncio.ensure_future(self.closing.wait())
        waiter = asyncio.ensure_future(changed.wait())
        try:
            await asyncio.wait({closing, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            closing.cancel()
            waiter.cancel()
        return self._seq > seq and not self.closing.is_set()


def sse_event(item: FeedItem) -> bytes:
    # json.dumps never emits raw newlines, so the data field is one line.
    return f"id: {item.alert['id']}\nevent: alert\ndata: {item.line}\n\n".encode("utf-8")
