"""Scale-out: two worker processes in one consumer group share the partitions. One
is SIGKILLed while articles flow; the survivor takes its partitions over, replays
what the dead worker had not committed, and no alert is lost or published twice.
The killed worker then comes back (a second rebalance, partitions moving the other
way) and the stream goes on.

Expected alerts come from the same extractor and rules run in-process (see
test_stream_crash.py, whose articles are independent incidents).
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections import Counter

import pytest
from test_stream_crash import expected_alert_ids, strike_article

from conflictwatch import topics as T

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def partitions_held(port: int) -> int:
    """Partitions the worker reports at /readyz (0 while it has none or is rebalancing)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as resp:
            return int(json.loads(resp.read()).get("partitions", 0))
    except (OSError, ValueError):
        return 0


def wait_until(condition, timeout: float, what: str, workers=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1.0)
    logs = "\n".join(f"--- {w.log_path.name} ---\n{w.log_tail()}" for w in workers)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def test_two_workers_share_partitions_and_one_killed_loses_and_repeats_nothing(kafka_topics, start_worker, tmp_path):
    settings = kafka_topics.settings
    articles = [strike_article(i) for i in range(36)]
    expected = expected_alert_ids(settings, articles)
    assert len(expected) >= len(articles)

    ports = [free_port(), free_port()]
    for n in range(2):
        (tmp_path / f"w{n}").mkdir()
    config = [settings.with_(home=str(tmp_path / f"w{n}"), web_port=port) for n, port in enumerate(ports)]
    a, b = start_worker(config[0]), start_worker(config[1])
    # Both in the group, the partitions split between them.
    wait_until(lambda: partitions_held(ports[0]) > 0 and partitions_held(ports[1]) > 0, 300,
               "both workers to hold partitions", (a, b))

    # Kill one the instant the first alert lands: its batch's offsets are then most
    # likely not committed, so the survivor replays events whose alerts are out.
    watch = kafka_topics.watch(T.ALERTS)
    kafka_topics.publish(*articles[:12])
    assert watch.first(timeout=240), f"no alert before the kill:\n{a.log_tail()}\n{b.log_tail()}"
    a.kill()
    watch.close()
    kafka_topics.publish(*articles[12:24])
    first_two = expected_alert_ids(settings, articles[:24])
    kafka_topics.wait_for(T.ALERTS, lambda r: {x["id"] for x in r} >= first_two, timeout=300, worker=b)

    # The killed worker comes back: the partitions split again, and the rest flows.
    a = start_worker(config[0])
    wait_until(lambda: partitions_held(ports[0]) > 0 and partitions_held(ports[1]) > 0, 300,
               "the restarted worker to get partitions back", (a, b))
    kafka_topics.publish(*articles[24:])
    kafka_topics.wait_for(T.ALERTS, lambda r: {x["id"] for x in r} >= expected, timeout=300, worker=a)
    # Let both finish any replay, then look for repeats.
    time.sleep(8)
    alerts = kafka_topics.records(T.ALERTS)
    counts = Counter(x["id"] for x in alerts)
    repeated = {i: n for i, n in counts.items() if n > 1}
    assert not repeated, f"alert ids published twice across the rebalances: {repeated}"
    assert set(counts) == expected, f"missing {expected - set(counts)}, unexpected {set(counts) - expected}"
