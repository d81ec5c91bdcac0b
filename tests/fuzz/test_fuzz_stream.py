"""Generated bad records interleaved with good alerting articles, through the real worker
on the embedded broker. The worker must never die, every bad record must be in a DLQ with
its reason, every good article must alert, no alert id may repeat, and the consumer group
must commit to the end of both input topics.

CONFLICTWATCH_TEST_FUZZ_RECORDS sets the count (default 300; the full job runs 10,000).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
import uuid
from collections import Counter

import pytest
from conftest import Topics, WorkerProcess
from fuzzgen import bad_events, generate

from conflictwatch import topics as T
from conflictwatch.config import Settings
from conflictwatch.io import publish
from conflictwatch.topics import create_topics
from conflictwatch.worker.lag import GroupLag

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.fuzz]

SEED = 20261205
COUNT = int(os.environ.get("CONFLICTWATCH_TEST_FUZZ_RECORDS", "300"))


def strings_in(value, out: set) -> set:
    """Every string inside a JSON value: where an alert cites article ids may change shape."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.add(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_no_record_stops_the_stream(kafka_bootstrap, tmp_path):
    tag = uuid.uuid4().hex[:8]
    settings = Settings.from_env().with_(bootstrap_servers=kafka_bootstrap, topic_prefix=f"f{tag}.",
                                         app_id=f"cw-fuzz-{tag}", home=str(tmp_path), partitions=3, web_port=0)
    create_topics(settings, kafka_bootstrap)
    records = generate(COUNT, SEED)
    poison_events = bad_events(random.Random(SEED))
    good_ids = {r.article_id for r in records if r.kind == "good"}
    # Whichever copy of a body the worker sees first is the one kept: a copy under another
    # id (on another partition) may win over the original, and then it is the one cited.
    alias = {r.article_id: r.same_as for r in records if r.kind == "duplicate" and r.article_id}
    bad = [r for r in records if r.kind == "bad"]
    expected_dlq = Counter(sha(r.payload) for r in bad)
    accepted = {}
    for r in bad:
        accepted.setdefault(sha(r.payload), set()).update(r.reasons)
    good_payloads = {sha(r.payload) for r in records if r.kind != "bad"}

    worker = WorkerProcess(settings, tmp_path / "worker.log").start()
    topics = Topics(settings)
    try:
        publish(kafka_bootstrap, settings.topic(T.ARTICLES_RAW), [r.payload for r in records])
        publish(kafka_bootstrap, settings.topic(T.EVENTS), [p for p, _ in poison_events])
        timeout = 600 + COUNT * 0.5

        def all_good_alerted(alerts):
            cited = set()
            for alert in alerts:
                strings_in(alert.get("data"), cited)
            return good_ids <= {alias.get(i, i) for i in cited}

        alerts = topics.wait_for(T.ALERTS, all_good_alerted, timeout=timeout, worker=worker)
        dlq = topics.wait_for(T.ARTICLES_DLQ, lambda r: len(r) >= len(bad), timeout=timeout, worker=worker)
        events_dlq = topics.wait_for(T.EVENTS_DLQ, lambda r: len(r) >= len(poison_events), timeout=300, worker=worker)
        lag = _wait_for_zero_lag(settings, timeout=120)
        assert worker.proc.poll() is None, "the worker is still running"
    finally:
        worker.stop()
    log = (tmp_path / "worker.log").read_text(errors="replace")

    # The worker never died, and no agent crashed and was restarted inside it (mode logs
    # "Crashed reason=..." for a crashed service or agent).
    assert "Crashed reason" not in log
    assert sum(lag.values()) == 0, f"offsets not committed to the end: {lag}"
    # No alert id twice.
    ids = Counter(a["id"] for a in alerts)
    assert not [i for i, n in ids.items() if n > 1], "duplicate alert ids"
    # Every bad record in the DLQ, with one of its reasons and its bytes; no good one there.
    found = Counter(r["payload_sha256"] for r in dlq)
    missing = {h: n for h, n in expected_dlq.items() if found[h] < n}
    assert not missing, f"{sum(missing.values())} bad record(s) not dead-lettered"
    for record in dlq:
        reasons = accepted.get(record["payload_sha256"])
        assert reasons is not None, f"a record that was not bad went to the DLQ: {record['reason']}"
        assert not reasons or record["reason"] in reasons, (record["reason"], reasons)
        assert record["stage"] == "validate"
    assert not good_payloads & set(found)
    # Only the poison written to events.normalized is in events.dlq: no real event failed.
    assert sorted(r["reason"] for r in events_dlq) == sorted(next(iter(reasons)) for _, reasons in poison_events)
    print(f"\nfuzz: {COUNT} records ({len(good_ids)} good, {len(bad)} bad, "
          f"{sum(1 for r in records if r.kind == 'duplicate')} duplicates); worker deaths 0; "
          f"good articles without alert 0; duplicate alert ids 0; bad records in DLQ {len(dlq)}/{len(bad)}; "
          f"reasons {dict(Counter(r['reason'] for r in dlq))}")


def _wait_for_zero_lag(settings, timeout: float) -> dict:
    lag = GroupLag(settings.bootstrap_servers, settings.app_id,
                   [settings.topic(T.ARTICLES_RAW), settings.topic(T.EVENTS)], min_interval=0)
    try:
        deadline = time.monotonic() + timeout
        while True:
            measured = lag.measure()
            if sum(measured.values()) == 0 or time.monotonic() > deadline:
                return measured
            time.sleep(2.0)
    finally:
        lag.close()
