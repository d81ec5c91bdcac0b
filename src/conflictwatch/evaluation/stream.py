"""Run labelled articles through the alert path and collect the alerts (``eval --alerts``).

Two modes, same input order and dates (``alerts.stream_dates``):

- Kafka (the reference): the real worker process (``python -m conflictwatch worker``,
  started by ``stack``) on the configured cluster, or the embedded broker, under a fresh topic prefix and
  app id, so nothing of an earlier run is seen. Topics get one partition so the
  articles are consumed in exactly the order they were published. The run is over
  when the worker's consumer group has committed everything on articles.raw and
  events.normalized (worker.lag.GroupLag) and that holds on two readings a few
  seconds apart with no new event appended in between.
- in-process (for tuning): the worker's own steps called directly — validation and
  duplicate drop (worker.records), the extractor, event records, the duplicate-body
  check and AlertEngine with dict tables, and the alert-id suppression. No Kafka,
  no batching differences; quicker, but the Kafka mode is what ships.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from datetime import date, datetime, timezone

from .. import topics as T
from ..config import Settings
from ..errors import ConflictWatchError
from ..stack import start_worker, stop_process
from .alerts import stream_dates, stream_order


class StreamRunError(ConflictWatchError):
    """The worker did not finish the labelled stream."""


def ordered_payloads(records, today: date | None = None) -> list[bytes]:
    """Article payloads in publication order; undated articles dated by ``stream_dates``."""
    by_id = {r.article.id: r.article for r in records}
    countries = {r.article.id: str((r.labels or {}).get("country") or "") for r in records}
    dates = stream_dates({aid: a.published_at for aid, a in by_id.items()}, today or date.today(), groups=countries)
    out = []
    for aid in stream_order(dates):
        a = by_id[aid]
        obj = {"id": a.id, "url": a.url, "source": a.source, "title": a.title, "body": a.body,
               "published_at": a.published_at or f"{dates[aid]}T12:00:00+00:00", "language": a.language}
        out.append(json.dumps({k: v for k, v in obj.items() if v is not None}, ensure_ascii=False).encode("utf-8"))
    return out


# --- in-process --------------------------------------------------------------------------------------

def run_in_process(settings: Settings, payloads: list[bytes], extractor) -> list[dict]:
    from ..worker.digests import DigestBook
    from ..worker.records import Incoming, RecentSet, event_records, prepare_batch
    from ..worker.run import build_engine_factory

    # The worker's own engine factory (same rules file and overrides), with dicts for its tables.
    engine = build_engine_factory(settings)({}, {}, {})
    batch = prepare_batch([Incoming(p, topic=T.ARTICLES_RAW, offset=n) for n, p in enumerate(payloads)],
                          settings, RecentSet())
    digests = DigestBook({}, settings.digest_retention_days)
    emitted: set[str] = set()
    alerts: list[dict] = []
    for article, extraction in zip(batch.articles, extractor.extract_many(batch.articles)):
        for _key, record in event_records(article, [e.to_dict() for e in extraction.events]):
            event = json.loads(json.dumps(record))  # the shape the alert agent decodes
            if digests.is_duplicate(event, datetime.now(timezone.utc)):
                continue
            for alert in engine.on_event(event, datetime.now(timezone.utc)):
                if alert["id"] not in emitted:
                    emitted.add(alert["id"])
                    alerts.append(alert)
    return alerts


# --- Kafka -------------------------------------------------------------------------------------------

def run_settings(settings: Settings, bootstrap: str) -> Settings:
    tag = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    return settings.with_(bootstrap_servers=bootstrap, topic_prefix=f"{settings.topic_prefix}eval-{tag}.",
                          app_id=f"{settings.app_id}-eval-{tag}", partitions=1, web_port=0)


def run_on_worker(settings: Settings, bootstrap: str, payloads: list[bytes], *, timeout: float = 1800.0,
                  keep_topics: bool = False, log=print) -> list[dict]:
    from ..io import publish, read_records
    from ..topics import create_topics

    run = run_settings(settings, bootstrap)
    create_topics(run, bootstrap)
    os.makedirs(run.home, exist_ok=True)
    log_path = os.path.join(run.home, f"eval-worker-{run.app_id}.log")
    worker = start_worker(run, log_path)
    try:
        log(f"» worker pid {worker.pid} (log {log_path}); topics {run.topic_prefix}*")
        sent = publish(bootstrap, run.topic(T.ARTICLES_RAW), payloads)
        log(f"» published {sent} article(s); waiting for the worker to drain them")
        wait_drained(run, bootstrap, worker, sent, timeout, log=log)
        return [json.loads(m.value) for m in read_records(bootstrap, run.topic(T.ALERTS), idle_timeout=2.0)]
    finally:
        stop_process(worker, timeout=40)
        if keep_topics:
            log(f"» topics kept: CONFLICTWATCH_TOPIC_PREFIX={run.topic_prefix} conflictwatch tail alerts")
        else:
            delete_run_topics(run, bootstrap, log)


def run_topic(name: str, run: Settings) -> bool:
    """A topic of this run only: under its fresh prefix, or named after its fresh app id (changelogs, Faust's own)."""
    return name.startswith(run.topic_prefix) or name.startswith(run.app_id + "-")


def delete_run_topics(run: Settings, bootstrap: str, log=print) -> None:
    """Best effort: a left-over topic is clutter, not an error."""
    from kafka import KafkaAdminClient

    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=f"{run.app_id}-cleanup")
        try:
            names = [t for t in admin.list_topics() if run_topic(t, run)]
            if names:
                admin.delete_topics(names)
        finally:
            admin.close()
    except Exception as exc:  # noqa: BLE001 - the scores are already in hand
        log(f"» could not delete the run's topics: {exc!r}")


def wait_drained(run: Settings, bootstrap: str, worker: subprocess.Popen, sent: int, timeout: float,
                 settle: float = 3.0, log=print) -> None:
    """Until the group has committed all of articles.raw and events.normalized, twice in a row."""
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError

    from ..worker.lag import GroupLag

    raw, events = run.topic(T.ARTICLES_RAW), run.topic(T.EVENTS)
    lag = GroupLag(bootstrap, run.app_id, [raw, events], min_interval=0.0)
    ends = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    deadline = time.monotonic() + timeout
    previous = None
    try:
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise StreamRunError(f"the worker exited with code {worker.returncode}")
            try:
                state = _drain_state(lag.measure(), ends, raw, sent)
            except KafkaError as exc:  # a broker hiccup: ask again, the deadline still bounds the wait
                log(f"» lag not available yet: {exc!r}")
                state = None
            if state is not None and state == previous:
                return
            previous = state
            time.sleep(settle)
    finally:
        lag.close()
        ends.close()
    raise StreamRunError(f"the worker did not drain {sent} article(s) within {timeout:.0f} s")


def _drain_state(measured: dict, ends_consumer, raw: str, sent: int) -> tuple | None:
    """The end offsets of the measured partitions when nothing is left to process there, else None."""
    from kafka import TopicPartition

    if not measured or any(measured.values()):
        return None
    ends = ends_consumer.end_offsets([TopicPartition(t, p) for (t, p) in measured])
    if sum(v for tp, v in ends.items() if tp.topic == raw) < sent:
        return None
    return tuple(sorted((tp.topic, tp.partition, v) for tp, v in ends.items()))
