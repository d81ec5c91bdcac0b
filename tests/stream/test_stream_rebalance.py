"""Scale-out: two worker processes in one consumer group share the partitions. One
is SIGKILLed while articles flow; the survivor takes its partitions over, replays
what the dead worker had not committed, and no alert is lost or published twice.
The killed worker then comes back (a second rebalance, partitions moving the other
way) and the stream goes on.

Expected alerts come from the same extractor and rules run in-process (the
articles of test_stream_crash.py, each an independent incident).
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections import Counter

import pytest
from test_stream_crash import strike_article

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


def progress(ports) -> str:
    """Each worker's counters and consumer lag, for a failure message."""
    lines = []
    for port in ports:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
                text = resp.read().decode()
        except OSError as exc:
            lines.append(f"port {port}: {exc!r}")
            continue
        keep = [x for x in text.splitlines() if x.startswith(("cw_consumer_lag{", "cw_articles_processed_total ",
                                                                "cw_alerts_emitted_total{", "cw_alerts_suppressed_total "))]
        lines.append(f"port {port}: " + "; ".join(keep))
    return "\n".join(lines)


def wait_alerts(kafka_topics, ids: set, worker, ports, timeout: float = 300) -> None:
    try:
        kafka_topics.wait_for(T.ALERTS, lambda r: {x["id"] for x in r} >= ids, timeout=timeout, worker=worker)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- workers ---\n{progress(ports)}") from None


def wait_until(condition, timeout: float, what: str, workers=(), interval: float = 1.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    logs = "\n".join(f"--- {w.log_path.name} ---\n{w.log_tail()}" for w in workers)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def expected_by_article(settings, articles) -> list[set[str]]:
    """Alert ids each article gives, from the same extractor and rules run in-process."""
    from conflictwatch.article import parse_article
    from conflictwatch.extract import Extractor
    from conflictwatch.worker.records import event_records
    from conflictwatch.worker.run import build_engine_factory

    engine = build_engine_factory(settings)({}, {}, {})
    parsed = [parse_article(a) for a in articles]
    out = []
    for article, extraction in zip(parsed, Extractor(settings.spacy_model).extract_many(parsed)):
        ids = set()
        for _key, record in event_records(article, [e.to_dict() for e in extraction.events]):
            ids |= {alert["id"] for alert in engine.on_event(record)}
        out.append(ids)
    return out


def test_two_workers_share_partitions_and_one_killed_loses_and_repeats_nothing(kafka_topics, start_worker, tmp_path):
    settings = kafka_topics.settings
    articles = [strike_article(i) for i in range(36)]
    per_article = expected_by_article(settings, articles)
    assert all(per_article), "each article is its own incident with an alert"
    expected = set().union(*per_article)

    ports = [free_port(), free_port()]
    for n in range(2):
        (tmp_path / f"w{n}").mkdir()
    config = [settings.with_(home=str(tmp_path / f"w{n}"), web_port=port) for n, port in enumerate(ports)]
    workers = [start_worker(config[0]), start_worker(config[1])]
    # Both in the group, the partitions split between them.
    wait_until(lambda: partitions_held(ports[0]) > 0 and partitions_held(ports[1]) > 0, 300,
               "both workers to hold partitions", workers)

    # Wave 1: both workers alert (so both have read the alerts topic and are past start-up).
    kafka_topics.publish(*articles[:12])
    wave1 = set().union(*per_article[:12])
    wait_alerts(kafka_topics, wave1, workers[1], ports)
    wait_until(lambda: alerts_sent(ports[0]) > 0 and alerts_sent(ports[1]) > 0, 60,
               "both workers to have published alerts (the regions span both workers' partitions)", workers)

    # Wave 2: kill the first worker that publishes another alert, the instant it does: its
    # offsets are then most likely not committed, so the survivor replays events whose
    # alerts the dead one published after the survivor last read the alerts topic.
    before = [alerts_sent(p) for p in ports]
    kafka_topics.publish(*articles[12:24])
    moved = []
    wait_until(lambda: moved.extend(n for n in (0, 1) if alerts_sent(ports[n]) > before[n]) or moved, 240,
               "an alert of wave 2", workers, interval=0.05)
    victim = moved[0]
    workers[victim].kill()
    survivor = workers[1 - victim]
    first_two = set().union(*per_article[:24])
    wait_alerts(kafka_topics, first_two, survivor, ports)

    # The killed worker comes back: the partitions split again, and the rest flows.
    back = start_worker(config[victim])
    wait_until(lambda: partitions_held(ports[0]) > 0 and partitions_held(ports[1]) > 0, 300,
               "the restarted worker to get partitions back", (back, survivor))
    kafka_topics.publish(*articles[24:])
    wait_alerts(kafka_topics, expected, back, ports)
    # Let both finish any replay, then look for repeats.
    time.sleep(8)
    alerts = kafka_topics.records(T.ALERTS)
    counts = Counter(x["id"] for x in alerts)
    repeated = {i: n for i, n in counts.items() if n > 1}
    assert not repeated, f"alert ids published twice across the rebalances: {repeated}"
    assert set(counts) == expected, f"missing {expected - set(counts)}, unexpected {set(counts) - expected}"
