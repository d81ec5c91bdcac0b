"""`demo`: the main job on the embedded default, start to finish.

Starts the broker unless one is configured, creates topics, starts the worker,
publishes the bundled sample articles and prints alerts (and rejects) as they
arrive; then shuts everything down. Each run uses its own topic prefix, so a
second run shows the same alerts instead of recognising them as already sent.
"""

from __future__ import annotations

import json
import os
import sys
import time
from importlib import resources

from .. import topics as T
from ..io import iter_article_payloads, publish
from ..topics import create_topics
from .format import alert_line, dlq_line


def register(sub) -> None:
    p = sub.add_parser("demo", help="broker + topics + worker + sample articles, alerts printed")
    p.add_argument("--articles", help="JSONL file or folder to publish instead of the bundled samples")
    p.add_argument("--timeout", type=float, default=240.0, help="give up after this many seconds")
    p.add_argument("--idle", type=float, default=20.0, help="finish after this many quiet seconds once output started")
    p.add_argument("--expect", type=int, help="finish as soon as this many alerts arrived")
    p.set_defaults(func=cmd_demo)


def cmd_demo(settings, args) -> int:
    from ..stack import KafkaSession, start_worker, stop_process

    run = time.strftime("%Y%m%d%H%M%S")
    settings = settings.with_(topic_prefix=f"{settings.topic_prefix}demo-{run}.", app_id=f"{settings.app_id}-demo-{run}", web_port=0)
    worker = None
    with KafkaSession(settings) as kafka:
        bootstrap = kafka.bootstrap
        settings = settings.with_(bootstrap_servers=bootstrap)
        try:
            create_topics(settings, bootstrap)
            print(f"» topics created with prefix {settings.topic_prefix!r}")
            worker_log = os.path.join(settings.home, f"demo-worker-{run}.log")
            worker = start_worker(settings, worker_log)
            print(f"» worker started (pid {worker.pid}, log {worker_log}); it loads the spaCy model {settings.spacy_model}")
            source = args.articles or str(resources.files("conflictwatch.samples").joinpath("articles.jsonl"))
            count = publish(bootstrap, settings.topic(T.ARTICLES_RAW), iter_article_payloads(source))
            print(f"» published {count} article(s) from {source}\n")
            alerts = _watch(settings, bootstrap, worker, args)
            print(f"\n» {alerts} alert(s); see them again with: CONFLICTWATCH_TOPIC_PREFIX={settings.topic_prefix} conflictwatch tail alerts")
            return 0 if alerts else 1
        finally:
            stop_process(worker)


def _watch(settings, bootstrap, worker, args) -> int:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(settings.topic(T.ALERTS), settings.topic(T.ARTICLES_DLQ), bootstrap_servers=bootstrap,
                             group_id=None, auto_offset_reset="earliest", consumer_timeout_ms=500)
    alerts, started, last = 0, time.monotonic(), None
    try:
        while True:
            for msg in consumer:
                record = json.loads(msg.value)
                if msg.topic.endswith(T.ALERTS):
                    alerts += 1
                    print("ALERT " + alert_line(record), flush=True)
                else:
                    print("DLQ   " + dlq_line(record), flush=True)
                last = time.monotonic()
            now = time.monotonic()
            if worker.poll() is not None:
                print(f"» worker exited with code {worker.returncode}", file=sys.stderr)
                return alerts
            if args.expect and alerts >= args.expect:
                return alerts
            if last is not None and now - last > args.idle:
                return alerts
            if now - started > args.timeout:
                print("» timed out waiting for alerts", file=sys.stderr)
                return alerts
    finally:
        consumer.close()
