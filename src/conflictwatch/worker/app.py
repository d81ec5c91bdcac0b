"""The Faust app. Agents here only orchestrate: validation, extraction and the
alert rules are library calls (article, extract, alerts), tested without Kafka.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone
from typing import Callable

import faust

from .. import topics as T
from ..config import Settings
from . import metrics
from ..alerts.errors import EventInvalid
from ..alerts.facts import require as require_event
from ..article import ArticleRejected
from .digests import DigestBook
from .emitted import EmittedIds
from .statesize import SizedTable
from .records import (
    EXTRACTION_FAILED, INVALID_EVENT, NOT_SERIALIZABLE, RULE_FAILED, STAGE_DECODE, STAGE_EXTRACT, STAGE_RULES, STAGE_SERIALIZE,
    Incoming, RecentSet, article_outputs, decode_event, dlq_record, dumps, encode_all, prepare_batch,
)

log = logging.getLogger("conflictwatch.worker")


def faust_broker_url(bootstrap: str) -> list[str]:
    return [f"kafka://{host.strip()}" for host in bootstrap.split(",") if host.strip()]


def create_app(
    settings: Settings,
    bootstrap: str,
    extractor,                       # has extract_many(list[Article]) -> list[Extraction]
    make_engine: Callable,           # (tracks, incidents, windows) -> engine with on_event(event, now)
    emitted_ids: EmittedIds,
) -> faust.App:
    app = faust.App(
        settings.app_id,
        broker=faust_broker_url(bootstrap),
        store="memory://",  # tables are rebuilt from their changelog topics at start
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # A killed worker's partitions move to the survivors (or its restart) after
        # this long, instead of Faust's default 60 s.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=3.0,
        datadir=f"{settings.home}/worker",
        web_enabled=settings.web_port > 0,
        web_port=settings.web_port or 6066,
        web_bind=settings.web_host,
        web_in_thread=False,
    )

    raw_topic = app.topic(settings.topic(T.ARTICLES_RAW), key_serializer="raw", value_serializer="raw")
    dlq_topic = app.topic(settings.topic(T.ARTICLES_DLQ), key_serializer="raw", value_serializer="raw")
    events_topic = app.topic(settings.topic(T.EVENTS), key_serializer="raw", value_serializer="raw")
    events_dlq_topic = app.topic(settings.topic(T.EVENTS_DLQ), key_serializer="raw", value_serializer="raw")
    alerts_topic = app.topic(settings.topic(T.ALERTS), key_serializer="raw", value_serializer="raw")

    # Alert state, one changelog each; keyed by region so it is co-partitioned with events.normalized.
    # Seen through their value sizes (metrics: a value near Kafka's record limit is a failure to come).
    tables = {name: SizedTable(name, app.Table(name)) for name in T.TABLES}  # JSON values on the changelogs
    digests = DigestBook(tables["article-digests"], settings.digest_retention_days)
    engine = make_engine(tables["tracks"], tables["incidents"], tables["windows"])
    held: set = set()

    @app.on_partitions_assigned.connect
    async def on_assigned(sender, assigned, **kwargs) -> None:
        # Partitions new to this worker may carry events a peer already alerted on before
        # it died; its last ids are on the alerts topic, so read it again before going on.
        if set(assigned) - held:
            emitted_ids.stale = True
        held.clear()
        held.update(assigned)
    seen = RecentSet()

    async def dead_letter(topic, record: dict) -> None:
        metrics.REJECTED.labels(record["reason"]).inc()
        log.warning("%s record dead-lettered at %s: %s (%s)", record["source"]["topic"], record["stage"],
                    record["reason"], record["detail"])
        key = record["source"]["key"]
        await topic.send(key=key.encode("utf-8", "replace") if key else None, value=dumps(record))

    @app.agent(raw_topic)
    async def extract(stream):
        # take_events acks a batch when the loop comes back for the next one, so after
        # its events or DLQ records are sent (Faust flushes the producer before each
        # commit). Nothing in this body raises for one record: each failure is that
        # record's DLQ entry. Manual acks (noack_take) were tried and left the restarted
        # worker idle in the SIGKILL test under load (cause not found), so they are not used.
        loop = asyncio.get_running_loop()
        async for events in stream.take_events(settings.batch_size, within=settings.batch_timeout):
            incoming = [
                Incoming(e.message.value, e.message.key, e.message.topic, e.message.partition,
                         e.message.offset, e.message.timestamp)
                for e in events
            ]
            metrics.ARTICLES.inc(len(incoming))
            batch = prepare_batch(incoming, settings, seen)
            metrics.DUPLICATES.inc(batch.duplicates)
            for record in batch.rejects:
                await dead_letter(dlq_topic, record)
            if batch.articles:
                started = time.perf_counter()
                # spaCy is CPU-bound: run it off the event loop so heartbeats keep flowing.
                extractions = await loop.run_in_executor(None, _extract_each, extractor, batch.articles)
                metrics.EXTRACT_SECONDS.observe(time.perf_counter() - started)
                for article, source, extraction in zip(batch.articles, batch.sources, extractions):
                    await _publish_article(article, source, extraction)
            metrics.PROCESSED.inc(len(incoming))

    async def _publish_article(article, source: Incoming, extraction) -> None:
        try:
            if isinstance(extraction, Exception):
                raise _Failed(STAGE_EXTRACT, ArticleRejected(EXTRACTION_FAILED, repr(extraction)[:500]))
            try:
                found = [e.to_dict() for e in extraction.events]
                out = article_outputs(article, found)
            except ArticleRejected as exc:
                raise _Failed(STAGE_SERIALIZE, exc) from None
            except Exception as exc:  # noqa: BLE001 - an event that cannot be written costs its article only
                raise _Failed(STAGE_SERIALIZE, ArticleRejected(NOT_SERIALIZABLE, repr(exc)[:500])) from None
        except _Failed as failed:
            await dead_letter(dlq_topic, dlq_record(source, failed.error, stage=failed.stage,
                                                    max_payload=settings.dlq_max_payload_bytes))
            return
        for found_event in found:
            metrics.EVENTS.labels(found_event.get("type")).inc()
        for key, value in out:
            await events_topic.send(key=key, value=value)
        if source.timestamp:
            metrics.LATENCY.observe(max(0.0, time.time() - source.timestamp))

    @app.agent(events_topic)
    async def alert(stream):
        # One event at a time (tables write to the changelog partition of the current
        # event). Faust acks an event when the next one is asked for; the body never
        # raises for one record, so that is after its alerts or DLQ record are sent.
        # With manual acks here (noack().events()) test_stream_crash lost alerts in 3 of 4
        # runs under load (cause not found); with these acks it passed the one loaded run.
        async for event in stream.events():
            if emitted_ids.stale:
                n = await asyncio.get_running_loop().run_in_executor(None, emitted_ids.refresh)
                log.info("read %d published alert ids (%d remembered)", n, len(emitted_ids))
                metrics.EMITTED_IDS.set(len(emitted_ids))
            msg = event.message
            source = Incoming(msg.value, msg.key, msg.topic, msg.partition, msg.offset, msg.timestamp)
            try:
                out = _alerts_for(source.value)
            except _Failed as failed:
                await dead_letter(events_dlq_topic, dlq_record(source, failed.error, stage=failed.stage,
                                                               max_payload=settings.dlq_max_payload_bytes))
            else:
                for key, value, alert_id, alert_time in out:
                    emitted_ids.add(alert_id, alert_time)
                    metrics.EMITTED_IDS.set(len(emitted_ids))
                    await alerts_topic.send(key=key, value=value)

    def _alerts_for(value: bytes | None) -> list[tuple[bytes, bytes, str, str | None]]:
        """The new alerts an event raises, encoded, or _Failed with the stage and reason."""
        try:
            event = decode_event(value)
        except ArticleRejected as exc:
            raise _Failed(STAGE_DECODE, exc) from None
        try:
            require_event(event)
        except EventInvalid as exc:
            raise _Failed(STAGE_DECODE, ArticleRejected(INVALID_EVENT, str(exc)[:500])) from None
        try:
            now = datetime.now(timezone.utc)
            if digests.is_duplicate(event, now):
                return []
            alerts = engine.on_event(event, now)
        except Exception as exc:  # noqa: BLE001 - one bad event must not stop the agent for everyone else
            metrics.RULE_ERRORS.inc()
            log.exception("alert rules failed on event %s", event.get("event_id"))
            raise _Failed(STAGE_RULES, ArticleRejected(RULE_FAILED, repr(exc)[:500])) from None
        fresh = []
        for alert_ in alerts:
            if alert_.get("id") in emitted_ids:
                metrics.ALERTS_SUPPRESSED.inc()
                continue
            fresh.append(alert_)
        try:
            encoded = encode_all([(str(a.get("subject") or "unknown"), a) for a in fresh])
        except ArticleRejected as exc:
            raise _Failed(STAGE_SERIALIZE, exc) from None
        for alert_ in fresh:
            metrics.ALERTS.labels(alert_["type"]).inc()
        return [(key, data, a["id"], a.get("time")) for (key, data), a in zip(encoded, fresh)]

    if settings.web_port > 0:
        _add_pages(app, settings, bootstrap, list(tables.values()))

    return app


def _add_pages(app: faust.App, settings: Settings, bootstrap: str, tables: list[SizedTable]) -> None:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from .lag import GroupLag

    lag = GroupLag(bootstrap, settings.app_id, [settings.topic(T.ARTICLES_RAW), settings.topic(T.EVENTS)])

    @app.page("/metrics")
    async def prometheus(web, request):
        try:
            measured = await asyncio.get_running_loop().run_in_executor(None, lag.measure)
        except Exception as exc:  # noqa: BLE001 - a scrape must still answer with the other metrics
            metrics.LAG_ERRORS.inc()
            log.warning("consumer lag not available: %r", exc)
        else:
            for (topic, partition), value in measured.items():
                metrics.CONSUMER_LAG.labels(topic, str(partition)).set(value)
        for table in tables:
            table.publish()
        return web.bytes(generate_latest(metrics.REGISTRY), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/healthz")
    async def healthz(web, request):
        # The event loop answers: the process is alive.
        return web.json({"status": "ok"})

    @app.page("/readyz")
    async def readyz(web, request):
        # Ready = member of the consumer group with partitions, and not in a rebalance.
        # A replica beyond the partition count owns nothing and reports so.
        assigned = app.consumer.assignment() if app.consumer is not None else set()
        if app.rebalancing:
            return web.json({"status": "rebalancing"}, status=503)
        if not assigned:
            return web.json({"status": "no partitions assigned"}, status=503)
        return web.json({"status": "ready", "partitions": len(assigned)})

    @app.service
    class LagClientCloser(faust.Service):
        async def on_stop(self) -> None:
            lag.close()


class _Failed(Exception):
    """One record failed at a stage; carries its DLQ reason."""

    def __init__(self, stage: str, error: ArticleRejected):
        super().__init__(f"{stage}: {error}")
        self.stage = stage
        self.error = error


def _extract_each(extractor, articles):
    """Extract a batch; if the batch fails, retry one by one so one poisonous
    article goes to the DLQ instead of taking its neighbours with it."""
    try:
        return extractor.extract_many(articles)
    except Exception:
        log.exception("batch extraction failed; retrying article by article")
    out = []
    for article in articles:
        try:
            out.append(extractor.extract_many([article])[0])
        except Exception as exc:
            out.append(exc)
    return out
