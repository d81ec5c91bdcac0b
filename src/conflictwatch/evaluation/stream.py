"""Run labelled articles through the alert path and collect the alerts (``eval --alerts``).

Two modes, same input order and dates (``alerts.stream_dates``):

- Kafka (the reference): the real worker process (``python -m conflictwatch worker``)
  on the configured cluster, or the embedded broker, under a fresh topic prefix and
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
import signal
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timezone

from .. import topics as T
from ..config import Settings
from ..errors import ConflictWatchError
from .alerts import stream_dates, stream_order


class StreamRunError(ConflictWatchError):
    """The worker did not finish the labelled stream."""


def ordered_payloads(records, today: date | None = None) -> list[bytes]:
    """Article payloads in publication order; undated articles dated by ``stream_dates``."""
    by_id = {r.article.id: r.article for r in records}
    dates = stream_dates({aid: a.published_at for aid, a in by_id.items()}, today or date.today())
    out = []
    for aid in stream_order(dates):
        a = by_id[aid]
        obj = {"id": a.id, "url": a.url, "source": a.source, "title": a.title, "body": a.body,
               "published_at": a.published_at or f"{dates[aid]}T12:00:00+00:00", "language": a.language}
        out.append(json.dumps({k: v for k, v in obj.items() if v is not None}, ensure_ascii=False).encode("utf-8"))
    return out


# --- in-process --------------------------------------------------------------------------------------

def run_in_process(settings: Settings, payloads: list[bytes], extractor, rules) -> list[dict]:
    from ..alerts import AlertEngine
    from ..worker.app import _is_duplicate_article
    from ..worker.records import Incoming, RecentSet, event_records, prepare_batch

    engine = AlertEngine(rules, tracks={}, incidents={}, windows={})
    batch = prepare_batch([Incoming(p, topic=T.ARTICLES_RAW, offset=n) for n, p in enumerate(payloads)],
                          settings, RecentSet())
    digests: dict = {}
    emitted: set[str] = set()
    alerts: list[dict] = []
    for article, extraction in zip(batch.articles, extractor.extract_many(batch.articles)):
        for _key, record in event_records(article, [e.to_dict() for e in extraction.events]):
            event = json.loads(json.dumps(record))  # the shape the alert agent decodes
            if _is_duplicate_article(digests, event):
                continue
            for alert in engine.on_event(event, datetime.now(timezone.utc)):
                if alert["id"] not in emitted:
                    emitted.add(alert["id"])
                    alerts.append(alert)
    return alerts


# --- Kafka -------------------------------------------------------------------------------------------

class KafkaSession:
    """The configured cluster, or the embedded broker (started here, and stopped here, only if needed)."""

    def __init__(self, settings: Settings, log=print):
        self.settings = settings
        self.log = log
        self.broker = None
        self.bootstrap = settings.bootstrap_servers

    def __enter__(self) -> "KafkaSession":
        if self.bootstrap:
            return self
        from ..broker import EmbeddedBroker
        broker = EmbeddedBroker(self.settings)
        if broker.is_running():
            self.bootstrap = broker.bootstrap
        else:
            self.log(f"» starting embedded Kafka on {broker.bootstrap}")
            self.bootstrap = broker.start(log=self.log)
            self.broker = broker
        return self

    def __exit__(self, *exc) -> None:
        if self.broker is not None:
            self.broker.stop()


def run_settings(settings: Settings, bootstrap: str) -> Settings:
    tag = time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    return settings.with_(bootstrap_servers=bootstrap, topic_prefix=f"{settings.topic_prefix}eval-{tag}.",
                          app_id=f"{settings.app_id}-eval-{tag}", partitions=1, web_port=0)


def run_on_worker(settings: Settings, bootstrap: str, payloads: list[bytes], *, timeout: float = 1800.0,
                  log=print) -> list[dict]:
    from ..io import publish, read_records
    from ..topics import create_topics

    run = run_settings(settings, bootstrap)
    create_topics(run, bootstrap)
    os.makedirs(run.home, exist_ok=True)
    log_path = os.path.join(run.home, f"eval-worker-{run.app_id}.log")
    with open(log_path, "ab") as out:
        worker = subprocess.Popen([sys.executable, "-m", "conflictwatch", "worker", "--loglevel", "info"],
                                  env={**os.environ, **run.to_env()}, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL)
    try:
        log(f"» worker pid {worker.pid} (log {log_path}); topics {run.topic_prefix}*")
        sent = publish(bootstrap, run.topic(T.ARTICLES_RAW), payloads)
        log(f"» published {sent} article(s); waiting for the worker to drain them")
        wait_drained(run, bootstrap, worker, sent, timeout)
        return [json.loads(m.value) for m in read_records(bootstrap, run.topic(T.ALERTS), idle_timeout=2.0)]
    finally:
        stop_process(worker)


def wait_drained(run: Settings, bootstrap: str, worker: subprocess.Popen, sent: int, timeout: float,
                 settle: float = 3.0) -> None:
    """Until the group has committed all of articles.raw and events.normalized, twice in a row."""
    from kafka import KafkaConsumer

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
            state = _drain_state(lag.measure(), ends, raw, sent)
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


def stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
