"""Small aiokafka helpers: read a topic from the beginning and keep following it.

The subscription store, the delivery log and the live feed are all "a view of a
topic": replay everything on start (so state survives restarts and every
instance sees the same set), then apply new records as they arrive.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Awaitable, Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError

from .errors import StoreError

log = logging.getLogger(__name__)

Handler = Callable[[object], Awaitable[None] | None]


class TopicView:
    """Replays a topic from the beginning, then follows it.

    ``handler(record)`` is called for every record, in partition order.
    ``ready`` is set once the records present at start have been applied.
    """

    def __init__(self, bootstrap: str, topic: str, handler: Handler, *, name: str):
        self.bootstrap = bootstrap
        self.topic = topic
        self.handler = handler
        self.name = name
        self.ready = asyncio.Event()
        self.failed: BaseException | None = None
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task | None = None
        self._end: dict[TopicPartition, int] = {}

    async def start(self, timeout: float = 30.0) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False,
            auto_offset_reset="earliest", client_id=f"conflictwatch-{self.name}",
            # Alerts written inside a transaction that is later aborted must not be shown.
            isolation_level="read_committed",
        )
        try:
            await self._consumer.start()
            partitions = await self._partitions(timeout)
            tps = [TopicPartition(self.topic, p) for p in sorted(partitions)]
            self._consumer.assign(tps)
            await self._consumer.seek_to_beginning(*tps)
            self._end = await self._consumer.end_offsets(tps)
        except (KafkaError, OSError) as exc:
            await self._consumer.stop()
            raise StoreError(f"cannot read topic {self.topic} at {self.bootstrap}: {exc}") from None
        self._task = asyncio.create_task(self._run(), name=f"topic-view-{self.name}")

    async def _partitions(self, timeout: float) -> set[int]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            # consumer.topics() fetches fresh metadata but drops it, and
            # partitions_for_topic() only reads the cached copy, which does not
            # list a topic nobody subscribed to yet; so ask the client directly.
            cluster = await self._consumer._client.fetch_all_metadata()
            partitions = cluster.partitions_for_topic(self.topic)
            if partitions:
                return partitions
            if asyncio.get_running_loop().time() > deadline:
                raise StoreError(f"topic {self.topic} does not exist (run topic creation first)")
            await asyncio.sleep(0.5)

    async def _run(self) -> None:
        try:
            await self._check_ready()
            while True:
                batches = await self._consumer.getmany(timeout_ms=500, max_records=500)
                for tp, records in batches.items():
                    for record in records:
                        try:
                            result = self.handler(record)
                            if asyncio.iscoroutine(result):
                                await result
                        except Exception:  # one bad record must not stop the view
                            log.exception("bad record skipped", extra={"topic": tp.topic, "partition": tp.partition,
                                                                         "offset": record.offset})
                if not self.ready.is_set():
                    await self._check_ready()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.failed = exc
            log.exception("topic view stopped", extra={"topic": self.topic})
            raise

    async def _check_ready(self) -> None:
        for tp, end in self._end.items():
            if await self._consumer.position(tp) < end:
                return
        self.ready.set()

    async def wait_ready(self, timeout: float = 60.0) -> None:
        waiter = asyncio.create_task(self.ready.wait())
        done, _ = await asyncio.wait({waiter, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            if self.failed:
                raise StoreError(f"reading {self.topic} failed: {self.failed}")
            raise StoreError(f"reading {self.topic} did not catch up within {timeout}s")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        if self._consumer:
            await self._consumer.stop()


def decode_json(raw: bytes | None):
    """JSON value of a record, or None for a tombstone. Raises ValueError on garbage."""
    if raw is None:
        return None
    return json.loads(raw.decode("utf-8"))


def encode_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


async def start_producer(bootstrap: str, name: str) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, client_id=f"conflictwatch-{name}",
        linger_ms=5,
    )
    try:
        await producer.start()
    except (KafkaError, OSError) as exc:
        await producer.stop()
        raise StoreError(f"cannot connect a producer to {bootstrap}: {exc}") from None
    return producer
