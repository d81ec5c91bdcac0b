"""Webhook delivery: one ordered queue per subscriber, signed POSTs, retries,
dead letters, and a delivery log on Kafka.

Guarantee: at least once, per subscriber in topic order. The dispatcher reads
``alerts`` in a consumer group and commits an offset only when every matching
subscriber has had the alert delivered or dead-lettered; after a crash the
uncommitted alerts are read again. Subscribers progress at different speeds, so
each delivery record on the ``deliveries`` topic carries the alert's partition
and offset: that is each subscriber's own progress, and a re-read alert goes
only to subscribers that have not finished it yet. What still arrives twice (a
crash between the POST and its record) carries the same ``Idempotency-Key``.

Fairness: each subscriber's queue is bounded. One that fails with a full queue,
or runs out of its retry budget, is paused: its backlog and the alerts that
match it while paused go to the dead-letter topic, so it never holds up the
dispatcher, the committed offset or the other subscribers.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import random
import time
from dataclasses import dataclass, replace
from typing import Callable
from urllib.parse import urlsplit

import aiohttp
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

from .config import DeliveryConfig
from .errors import StoreError, UnresolvableWebhookHost, UnsafeWebhookURL
from .feed import is_alert
from .kafka_io import TopicView, decode_json, encode_json, start_producer
from .metrics import DeliveryMetrics
from .security import GuardedResolver, check_webhook_url, parse_networks
from .signing import ATTEMPT_HEADER, IDEMPOTENCY_HEADER, SUBSCRIPTION_HEADER, signed_headers
from .subscriptions import Subscription, SubscriptionStore

log = logging.getLogger(__name__)

DELIVERY_SCHEMA = "conflictwatch.delivery/1"
DLQ_SCHEMA = "conflictwatch.delivery_dlq/1"
USER_AGENT = "conflictwatch-webhook/1"
COMMIT_INTERVAL = 1.0
# Delivery-record statuses after which a subscriber is done with an alert.
FINAL_STATUSES = ("delivered", "dead_lettered")


def backoff_delay(attempt: int, initial: float, cap: float, rng: random.Random | None = None) -> float:
    """Delay before retry number ``attempt`` (1-based): exponential, capped, jittered.

    The jitter keeps at least half of the delay, so the receiver still gets the
    breathing room it asked for, while retries of many subscribers spread out.
    """
    base = min(cap, initial * (2 ** (attempt - 1)))
    return base * (0.5 + 0.5 * (rng or random).random())


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form: ignored, the backoff applies


# ---------------------------------------------------------------- offsets

class OffsetTracker:
    """Per partition: the lowest offset some subscriber still waits for."""

    def __init__(self) -> None:
        self._pending: dict[TopicPartition, dict[int, int]] = collections.defaultdict(dict)
        self._next: dict[TopicPartition, int] = {}
        self._committed: dict[TopicPartition, int] = {}

    def add(self, tp: TopicPartition, offset: int, count: int) -> None:
        self._next[tp] = offset + 1
        if count:
            self._pending[tp][offset] = count

    def done(self, tp: TopicPartition, offset: int) -> None:
        pending = self._pending.get(tp)
        if pending is None or offset not in pending:
            return  # partition revoked meanwhile
        pending[offset] -= 1
        if pending[offset] <= 0:
            del pending[offset]

    def committable(self) -> dict[TopicPartition, int]:
        out = {}
        for tp, nxt in self._next.items():
            pending = self._pending.get(tp)
            offset = min(pending) if pending else nxt
            if self._committed.get(tp) != offset:
                out[tp] = offset
        return out

    def mark_committed(self, offsets: dict[TopicPartition, int]) -> None:
        self._committed.update(offsets)

    def forget(self, tps) -> None:
        for tp in tps:
            self._pending.pop(tp, None)
            self._next.pop(tp, None)
            self._committed.pop(tp, None)


# ---------------------------------------------------------------- delivery log

class DeliveryLog:
    """Recent delivery records per subscription, as a view of the deliveries topic."""

    def __init__(self, bootstrap: str, topic: str, keep: int, known: Callable[[str], bool] = lambda _id: True):
        self._records: dict[str, collections.deque] = collections.defaultdict(lambda: collections.deque(maxlen=keep))
        # (subscription, alert partition) -> highest alert offset it is done with.
        # One number is enough: a subscriber finishes its alerts of a partition in order.
        self._progress: dict[tuple[str, int], int] = {}
        self._known = known
        self.view = TopicView(bootstrap, topic, self._apply, name="deliveries")

    def _apply(self, record) -> None:
        value = decode_json(record.value)
        # Records of deleted subscriptions stay on the topic (for audit) but not in memory.
        if isinstance(value, dict) and value.get("subscription_id") and self._known(value["subscription_id"]):
            self._records[value["subscription_id"]].append(value)
            self.note_progress(value)

    def note_progress(self, record: dict) -> None:
        partition, offset = record.get("alert_partition"), record.get("alert_offset")
        if record.get("status") not in FINAL_STATUSES or not isinstance(partition, int) or not isinstance(offset, int):
            return  # a retry, or a record written before progress was recorded
        key = (record["subscription_id"], partition)
        if offset > self._progress.get(key, -1):
            self._progress[key] = offset

    def done_through(self, sub_id: str, partition: int) -> int:
        """Highest offset of ``partition`` the subscriber has finished (-1: none)."""
        return self._progress.get((sub_id, partition), -1)

    def for_subscription(self, sub_id: str, limit: int = 100, alert_id: str | None = None) -> list[dict]:
        records = [r for r in self._records.get(sub_id, ()) if alert_id is None or r.get("alert_id") == alert_id]
        return list(reversed(records))[:limit]  # newest first

    def forget(self, sub_id: str) -> None:
        self._records.pop(sub_id, None)
        for key in [k for k in self._progress if k[0] == sub_id]:
            del self._progress[key]


# ---------------------------------------------------------------- dispatcher

@dataclass
class DeliveryItem:
    alert_id: str
    alert_type: str
    body: bytes
    done: Callable[[], None]
    partition: int = -1
    offset: int = -1


@dataclass
class AttemptResult:
    ok: bool
    status: int | None = None
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None
    seconds: float = 0.0


class SubscriberWorker:
    """One subscriber's queue: alerts go out one at a time, in order."""

    def __init__(self, dispatcher: "Dispatcher", sub: Subscription):
        self.sub = sub
        self.queue: asyncio.Queue[DeliveryItem] = asyncio.Queue()
        self._dispatcher = dispatcher
        self._current: DeliveryItem | None = None
        # Monotonic time of the first failure of the current streak; None while deliveries succeed.
        self.failing_since: float | None = None
        # Set while paused, so a retry wait ends at once and the backlog drains to the DLQ.
        self.wake = asyncio.Event()
        # Seconds the dispatcher has waited on this queue being full since it was last empty.
        self.held_for = 0.0
        self.sync()
        self.task = asyncio.create_task(self._run(), name=f"webhook-{sub.id}")

    @property
    def paused(self) -> bool:
        return bool(self.sub.paused_reason)

    def sync(self) -> None:
        """Follow a change of the subscription (paused here or elsewhere, resumed through the API)."""
        if self.paused:
            self.failing_since = None
            self.wake.set()
        else:
            self.wake.clear()

    async def wait(self, seconds: float) -> None:
        """Sleep between retries; a pause ends the wait."""
        try:
            await asyncio.wait_for(self.wake.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    def note_attempt(self, ok: bool) -> None:
        if ok:
            self.failing_since = None
        elif self.failing_since is None:
            self.failing_since = time.monotonic()

    def enqueue(self, item: DeliveryItem) -> None:
        self._dispatcher.metrics.deliveries_pending.inc()
        self.queue.put_nowait(item)

    async def _run(self) -> None:
        while True:
            item = self._current = await self.queue.get()
            try:
                await self._dispatcher.deliver(self, item)
            except asyncio.CancelledError:
                raise  # shutdown: the alert stays uncommitted and is sent again after restart
            except Exception:  # a bug in one delivery must not stop the subscriber's queue
                log.exception("delivery crashed", extra={"subscription_id": self.sub.id, "alert_id": item.alert_id})
            self._current = None
            self._dispatcher.metrics.deliveries_pending.dec()
            item.done()
            if self.queue.empty():
                self.held_for = 0.0  # caught up: it is keeping pace

    async def stop(self, *, release: bool) -> None:
        """Stop the queue. ``release``: the subscription is gone, so its queued
        alerts count as handled; otherwise (shutdown) they stay uncommitted."""
        self.task.cancel()
        try:
            await self.task
        except (asyncio.CancelledError, Exception):
            pass
        left = ([self._current] if self._current else []) + [self.queue.get_nowait() for _ in range(self.queue.qsize())]
        self._current = None
        for item in left:
            self._dispatcher.metrics.deliveries_pending.dec()
            if release:
                item.done()

    @property
    def pending(self) -> int:
        return self.queue.qsize() + (1 if self._current else 0)


class Dispatcher:
    def __init__(self, config: DeliveryConfig, store: SubscriptionStore, metrics: DeliveryMetrics,
                 *, rng: random.Random | None = None):
        self.config = config
        self.store = store
        self.metrics = metrics
        self.allow = parse_networks(config.webhook_allow_networks)
        self.log = DeliveryLog(config.bootstrap_servers, config.deliveries_topic, config.deliveries_kept,
                               known=lambda sub_id: store.get(sub_id) is not None)
        self._rng = rng or random.Random()
        self._workers: dict[str, SubscriberWorker] = {}
        self._tracker = OffsetTracker()
        self._background: set[asyncio.Task] = set()
        self._batch = max(1, config.subscriber_queue_max)
        self._consumer: AIOKafkaConsumer | None = None
        self._producer = None
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task | None = None
        self.consuming = asyncio.Event()
        self.failed: BaseException | None = None
        self._closed = False

    # -- lifecycle

    async def start(self) -> None:
        self._producer = await start_producer(self.config.bootstrap_servers, "deliveries")
        await self.log.view.start()
        connector = aiohttp.TCPConnector(resolver=GuardedResolver(self.allow), limit=200)
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=self.config.webhook_timeout),
            headers={"User-Agent": USER_AGENT},
        )
        for sub in self.store.all():
            self.subscription_changed(sub.id, sub)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self.config.bootstrap_servers, group_id=self.config.group_id,
            enable_auto_commit=False, auto_offset_reset="earliest", isolation_level="read_committed",
            client_id="conflictwatch-dispatcher",
        )
        try:
            await self._consumer.start()
            self._consumer.subscribe([self.config.alerts_topic], listener=_Rebalance(self))
        except (KafkaError, OSError) as exc:
            await self._consumer.stop()
            raise StoreError(f"cannot consume {self.config.alerts_topic}: {exc}") from None
        self._task = asyncio.create_task(self._consume(), name="dispatcher")

    async def stop(self) -> None:
        self._closed = True  # the subscription view may still report changes while we shut down
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        if self._consumer:
            try:
                await self._commit()  # before the workers stop: their unfinished alerts stay uncommitted
            except Exception:
                log.warning("final offset commit failed")
        for worker in list(self._workers.values()):
            await worker.stop(release=False)
        self._workers.clear()
        if self._background:  # pauses being recorded on the subscriptions topic
            await asyncio.wait(self._background, timeout=5)
        if self._consumer:
            await self._consumer.stop()
        if self._session:
            await self._session.close()
        await self.log.view.stop()
        if self._producer:
            await self._producer.stop()

    # -- subscriptions

    def subscription_changed(self, sub_id: str, sub: Subscription | None) -> None:
        worker = self._workers.get(sub_id)
        if sub is None:
            if worker:
                del self._workers[sub_id]
                asyncio.get_running_loop().create_task(worker.stop(release=True))
        elif worker:
            worker.sub = sub
            worker.sync()
        elif self._session is not None and not self._closed:
            self._workers[sub_id] = SubscriberWorker(self, sub)
        subs = self.store.all()
        self.metrics.subscriptions.set(len(subs))
        self.metrics.subscriptions_paused.set(sum(1 for s in subs if s.paused_reason))

    def pause(self, worker: SubscriberWorker, reason: str) -> None:
        """Stop attempting a subscriber: its queued and future alerts go to the DLQ until it is resumed."""
        if worker.paused:
            return
        queued = worker.pending
        worker.sub = replace(worker.sub, paused_reason=reason, paused_at=time.time())
        worker.sync()
        self.metrics.subscribers_paused.labels(reason).inc()
        log.warning("webhook subscriber paused; its alerts go to the dead-letter topic until it is resumed", extra={
            "subscription_id": worker.sub.id, "reason": reason, "queued": queued,
            "host": urlsplit(worker.sub.url).hostname})
        task = asyncio.get_running_loop().create_task(self._persist_pause(worker.sub))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _persist_pause(self, paused: Subscription) -> None:
        # Written to the subscriptions topic so other instances and restarts keep it paused.
        current = self.store.get(paused.id)
        if current is None or current.paused_reason:
            return  # deleted meanwhile (do not resurrect it), or already recorded
        try:
            await self.store.put(replace(current, paused_reason=paused.paused_reason, paused_at=paused.paused_at))
        except StoreError as exc:
            log.error("could not record the pause of a subscriber", extra={"subscription_id": paused.id,
                                                                            "error": str(exc)})

    def pending(self, sub_id: str) -> int:
        worker = self._workers.get(sub_id)
        return worker.pending if worker else 0

    # -- consuming alerts

    async def _consume(self) -> None:
        try:
            await self._progress_loaded()
            last_commit = time.monotonic()
            while True:
                while full := self._full_queues():
                    started = time.monotonic()
                    await asyncio.sleep(0.05)  # backpressure: a full queue of a working subscriber
                    waited = time.monotonic() - started
                    self.metrics.dispatcher_held.inc(waited)
                    for worker in full:
                        worker.held_for += waited
                    last_commit = await self._commit_if_due(last_commit)
                # One read never overfills a queue by more than its bound.
                batches = await self._consumer.getmany(timeout_ms=500, max_records=min(200, self._batch))
                self.consuming.set()
                for tp, records in batches.items():
                    for record in records:
                        self._dispatch(tp, record)
                self._update_lag()
                last_commit = await self._commit_if_due(last_commit)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.failed = exc
            log.exception("dispatcher stopped")
            raise

    async def _progress_loaded(self) -> None:
        """Each subscriber's progress must be known before the first alert is
        dispatched, or a restart would re-send what it already had. Waited for
        here, not in start(): a month of delivery records may take a while."""
        while not self.log.view.ready.is_set():
            if self.log.view.failed is not None:
                raise StoreError(f"reading the delivery log failed: {self.log.view.failed}")
            await asyncio.sleep(0.1)

    def _full_queues(self) -> list[SubscriberWorker]:
        """Pause the subscribers whose full queue says they are dead or too slow;
        return those still full (reading waits for them)."""
        bound = self.config.subscriber_queue_max
        now = time.monotonic()
        full = []
        for worker in list(self._workers.values()):
            if worker.queue.qsize() < bound:
                continue
            # A short grace (the longest retry delay) keeps one failed attempt of a
            # busy but working subscriber from dead-lettering its whole queue.
            if worker.failing_since is not None and now - worker.failing_since >= self.config.retry_max_backoff:
                self.pause(worker, "queue_full")
            elif worker.held_for >= self.config.subscriber_stall_max:
                self.pause(worker, "too_slow")  # answers, but has held everyone back too long
            full.append(worker)  # a paused queue drains to the DLQ within moments
        return full

    def _dispatch(self, tp: TopicPartition, record) -> None:
        try:
            alert = decode_json(record.value)
            if not is_alert(alert):
                raise ValueError("not a CloudEvents alert")
        except ValueError:
            self.metrics.alerts_invalid.inc()
            self._tracker.add(tp, record.offset, 0)
            log.warning("record on alerts topic is not an alert", extra={"partition": tp.partition, "offset": record.offset})
            return
        self.metrics.alerts_received.labels(str(alert["type"])).inc()
        published = record.timestamp / 1000.0
        # A subscriber already done with this offset (the alert is read again after
        # a restart because a slower subscriber held the commit back) is skipped.
        targets = [w for w in self._workers.values()
                   if published >= w.sub.created_at and w.sub.filters.matches(alert)
                   and record.offset > self.log.done_through(w.sub.id, tp.partition)]
        self._tracker.add(tp, record.offset, len(targets))
        for worker in targets:
            worker.enqueue(DeliveryItem(
                alert_id=alert["id"], alert_type=str(alert["type"]), body=record.value,
                done=lambda tp=tp, offset=record.offset: self._tracker.done(tp, offset),
                partition=tp.partition, offset=record.offset,
            ))

    async def _commit_if_due(self, last: float) -> float:
        now = time.monotonic()
        if now - last >= COMMIT_INTERVAL:
            await self._commit()
            return now
        return last

    async def _commit(self) -> None:
        offsets = self._tracker.committable()
        if offsets and self._consumer is not None:
            assigned = self._consumer.assignment()
            offsets = {tp: o for tp, o in offsets.items() if tp in assigned}
            if offsets:
                await self._consumer.commit(offsets)
                self._tracker.mark_committed(offsets)

    def _update_lag(self) -> None:
        for tp in self._consumer.assignment():
            high = self._consumer.highwater(tp)
            if high is None:
                continue
            position = self._tracker._next.get(tp)
            if position is None:
                continue
            self.metrics.consumer_lag.labels(str(tp.partition)).set(max(0, high - position))

    # -- delivering

    async def deliver(self, worker: SubscriberWorker, item: DeliveryItem) -> None:
        first = time.monotonic()
        first_wall = time.time()
        attempt = 0
        while True:
            sub = worker.sub  # re-read: the subscription may have been replaced meanwhile
            if worker.paused:
                await self._drop_paused(sub, item, attempt, first_wall)
                return
            attempt += 1
            result = await self._attempt(sub, item, attempt)
            worker.note_attempt(result.ok)
            outcome = "delivered" if result.ok else ("rejected" if result.permanent else "failed")
            self.metrics.webhook_attempts.labels(outcome, str(result.status or "none")).inc()
            if result.ok:
                self.metrics.webhook_delivered.inc()
                await self._record(sub, item, attempt, "delivered", result)
                return
            elapsed = time.monotonic() - first
            out_of_budget = elapsed >= self.config.retry_budget
            out_of_attempts = bool(self.config.retry_max_attempts) and attempt >= self.config.retry_max_attempts
            if result.permanent or out_of_budget or out_of_attempts:
                reason = "rejected" if result.permanent else ("max_attempts" if out_of_attempts else "retry_budget")
                # The DLQ first: the delivery record marks the alert done for this subscriber.
                await self._dead_letter(sub, item, attempt, result, reason, first_wall)
                await self._record(sub, item, attempt, "dead_lettered", result)
                if reason == "retry_budget":  # failing that long: the endpoint is gone, not flaky
                    self.pause(worker, "retry_budget")
                return
            if worker.paused:
                continue  # paused during the attempt: dead-lettered at the top, no retry record
            delay = backoff_delay(attempt, self.config.retry_initial, self.config.retry_max_backoff, self._rng)
            if result.retry_after is not None:
                delay = max(delay, min(result.retry_after, self.config.retry_max_backoff))
            delay = min(delay, max(0.0, self.config.retry_budget - elapsed))
            await self._record(sub, item, attempt, "retrying", result, next_retry_in=round(delay, 3))
            log.info("webhook attempt failed, will retry", extra={
                "subscription_id": sub.id, "alert_id": item.alert_id, "attempt": attempt,
                "status": result.status, "error": result.error, "retry_in": round(delay, 3),
                "host": urlsplit(sub.url).hostname})
            await worker.wait(delay)

    async def _drop_paused(self, sub: Subscription, item: DeliveryItem, attempts: int, first_wall: float) -> None:
        """Dead-letter an alert of a paused subscriber (no attempt, one record each, no log line each)."""
        result = AttemptResult(False, error=f"subscriber paused ({sub.paused_reason})")
        await self._dead_letter(sub, item, attempts, result, "paused", first_wall, quiet=True)
        await self._record(sub, item, attempts, "dead_lettered", result)

    async def _attempt(self, sub: Subscription, item: DeliveryItem, attempt: int) -> AttemptResult:
        try:
            # Checked at every attempt: DNS may have changed since the subscription was made.
            await check_webhook_url(sub.url, self.allow)
        except UnresolvableWebhookHost as exc:  # DNS trouble heals; retry like a connection error
            return AttemptResult(False, error=str(exc))
        except UnsafeWebhookURL as exc:
            return AttemptResult(False, error=str(exc), permanent=True)
        headers = {
            "Content-Type": "application/cloudevents+json; charset=utf-8",
            IDEMPOTENCY_HEADER: item.alert_id,
            ATTEMPT_HEADER: str(attempt),
            SUBSCRIPTION_HEADER: sub.id,
            **signed_headers(sub.secret, item.body),
        }
        started = time.monotonic()
        try:
            async with self._session.post(sub.url, data=item.body, headers=headers, allow_redirects=False) as resp:
                await resp.content.read(4096)  # drain a little; never buffer a huge reply
                seconds = time.monotonic() - started
                self.metrics.webhook_latency.observe(seconds)
                if 200 <= resp.status < 300:
                    return AttemptResult(True, status=resp.status, seconds=seconds)
                # 410 Gone is the receiver saying "stop"; everything else may heal.
                return AttemptResult(False, status=resp.status, error=f"HTTP {resp.status}", permanent=resp.status == 410,
                                     retry_after=retry_after_seconds(resp.headers.get("Retry-After")), seconds=seconds)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            return AttemptResult(False, error=f"{type(exc).__name__}: {str(exc)[:200]}",
                                 seconds=time.monotonic() - started)

    async def _record(self, sub: Subscription, item: DeliveryItem, attempt: int, status: str,
                      result: AttemptResult, **extra) -> None:
        record = {
            "schema": DELIVERY_SCHEMA, "subscription_id": sub.id, "alert_id": item.alert_id,
            "alert_type": item.alert_type, "attempt": attempt, "status": status,
            "http_status": result.status, "error": result.error,
            "duration_ms": round(result.seconds * 1000, 1), "at": _now_iso(),
            "alert_partition": item.partition, "alert_offset": item.offset, **extra,
        }
        self.log.note_progress(record)  # at once: the view of the topic may lag behind
        await self._send(self.config.deliveries_topic, sub.id, record)

    async def _dead_letter(self, sub: Subscription, item: DeliveryItem, attempts: int, result: AttemptResult,
                           reason: str, first_wall: float, *, quiet: bool = False) -> None:
        self.metrics.webhook_dead_lettered.labels(reason).inc()
        if not quiet:
            log.warning("webhook delivery dead-lettered", extra={
                "subscription_id": sub.id, "alert_id": item.alert_id, "attempts": attempts, "reason": reason,
                "status": result.status, "error": result.error})
        try:
            alert = json.loads(item.body)
        except ValueError:
            alert = None
        await self._send(self.config.dlq_topic, sub.id, {
            "schema": DLQ_SCHEMA, "subscription_id": sub.id, "alert_id": item.alert_id, "reason": reason,
            "attempts": attempts, "last_status": result.status, "last_error": result.error,
            "first_attempt_at": _iso(first_wall), "dead_lettered_at": _now_iso(), "alert": alert,
            "paused_reason": sub.paused_reason or None, "alert_partition": item.partition, "alert_offset": item.offset,
        })

    async def _send(self, topic: str, key: str, value: dict) -> None:
        try:
            await self._producer.send_and_wait(topic, value=encode_json(value), key=key.encode())
        except KafkaError as exc:
            # The delivery itself happened (or not) regardless; losing a log line is
            # better than blocking the subscriber's queue on it.
            log.error("could not write delivery record", extra={"topic": topic, "error": repr(exc)})


class _Rebalance(ConsumerRebalanceListener):
    def __init__(self, dispatcher: Dispatcher):
        self.dispatcher = dispatcher

    async def on_partitions_revoked(self, revoked):
        try:
            await self.dispatcher._commit()
        except Exception:
            log.warning("commit on revoke failed")
        self.dispatcher._tracker.forget(revoked)

    async def on_partitions_assigned(self, assigned):
        pass


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z"


def _now_iso() -> str:
    return _iso(time.time())
