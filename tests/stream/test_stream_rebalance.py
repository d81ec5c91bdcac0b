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


def alerts_sent(port: int) -> float:
    """The worker's own count of alerts it published (cw_alerts_emitted_total, all types)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
            text = resp.read().decode()
    except OSError:
        return 0.0
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("cw_alerts_emitted_total{"))


def wait_until(condition, timeout: float, what: str, workers=(), interval: float = 1.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
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

    # Kill the first worker that published an alert, the instant it did: its batch's
    # offsets are then most likely not committed, so the survivor replays events whose
    # alerts the dead worker already published after the survivor had read the topic.
    kafka_topics.publish(*articles[:12])
    workers = {0: a, 1: b}
    first = []
    wait_until(lambda: first.extend(n for n in (0, 1) if alerts_sent(ports[n]) > 0) or first, 240,
               "a first alert", (a, b), interval=0.1)
    victim = first[0]
    workers[victim].kill()
    survivor = workers[1 - victim]
    kafka_topics.publish(*articles[12:24])
    first_two = expected_alert_ids(settings, articles[:24])
    kafka_topics.wait_for(T.ALERTS, lambda r: {x["id"] for x in r} >= first_two, timeout=300, worker=survivor)

    # The killed worker comes back: the partitions split again, and the rest flows.
    back = start_worker(config[victim])
    wait_until(lambda: partitions_held(ports[0]) > 0 and partitions_held(ports[1]) > 0, 300,
               "the restarted worker to get partitions back", (back, survivor))
    kafka_topics.publish(*articles[24:])
    kafka_topics.wait_for(T.ALERTS, lambda r: {x["id"] for x in r} >= expected, timeout=300, worker=back)
    # Let both finish any replay, then look for repeats.
    time.sleep(8)
    alerts = kafka_topics.records(T.ALERTS)
    counts = Counter(x["id"] for x in alerts)
    repeated = {i: n for i, n in counts.items() if n > 1}
    assert not repeated, f"alert ids published twice across the rebalances: {repeated}"
    assert set(counts) == expected, f"missing {expected - set(counts)}, unexpected {set(counts) - expected}"
