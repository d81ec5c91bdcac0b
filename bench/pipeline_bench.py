"""End-to-end benchmark of the worker on the embedded broker (not a test).

Measures, on a real broker and the real worker process:
1. sustained throughput: the worker is started and warmed up with one article;
   then a backlog of N articles is published at once; articles/s = N / (time from
   the first publish until the worker's cw_articles_processed_total counter,
   read from its /metrics page, has grown by N).
2. publish-to-alert latency: articles that each produce an alert are published
   at a fixed offered rate into a warm worker; latency = alert's Kafka timestamp
   minus the article's Kafka timestamp; p50 / p99 printed.
Also prints the worker's peak RSS.

    .venv/bin/python bench/pipeline_bench.py [--articles 400] [--rate 2] [--latency-articles 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conflictwatch import topics as T  # noqa: E402
from conflictwatch.broker.embedded import EmbeddedBroker, free_port_pair  # noqa: E402
from conflictwatch.config import Settings  # noqa: E402
from conflictwatch.io import producer, read_records  # noqa: E402
from conflictwatch.topics import create_topics  # noqa: E402
from extract_stream import stream as mixed_articles  # noqa: E402


# Articles for the latency run, written for this benchmark: each is its own incident.
PLACES = [("Daraa", "Syria"), ("Idlib", "Syria"), ("Hodeidah", "Yemen"), ("Taiz", "Yemen"), ("Kherson", "Ukraine"),
          ("Kharkiv", "Ukraine"), ("Goma", "Democratic Republic of the Congo"), ("El Fasher", "Sudan"),
          ("Maiduguri", "Nigeria"), ("Mopti", "Mali"), ("Kunduz", "Afghanistan"), ("Mosul", "Iraq")]
NUMBER_WORDS = ["five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def alerting_article(i: int, tag: str) -> dict:
    """An article that must give one civilian-deaths incident alert, distinct from every other i.

    The date is in the body: the worker drops exact duplicate bodies, and without it
    articles i and i+24 would read the same."""
    place, country = PLACES[i % len(PLACES)]
    day = date(2021, 1, 4) + timedelta(days=3 * i)
    return {
        "id": f"lat-{tag}-{i}",
        "source": "Bench Wire",
        "title": f"Air strike in {place}",
        "published_at": day.isoformat() + "T18:00:00Z",
        "body": (f"{place}, {country} - {NUMBER_WORDS[i % len(NUMBER_WORDS)].capitalize()} civilians were killed on "
                 f"{day.strftime('%A')}, {day.strftime('%B')} {day.day}, when an air strike hit a crowded market in {place}, residents said.\n\n"
                 "Rescue teams searched the rubble for survivors into the night."),
    }


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) resident set of a process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def start_worker(settings: Settings, log: Path) -> subprocess.Popen:
    env = {**os.environ, **settings.to_env()}
    return subprocess.Popen([sys.executable, "-m", "conflictwatch", "worker"], env=env,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT)


def processed(port: int) -> float:
    import urllib.request

    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    except OSError:
        return -1.0
    for line in text.splitlines():
        if line.startswith("cw_articles_processed_total "):
            return float(line.split()[1])
    return 0.0


def wait_records(bootstrap, topic, predicate, timeout):
    deadline = time.monotonic() + timeout
    msgs = []
    while time.monotonic() < deadline:
        msgs = list(read_records(bootstrap, topic, idle_timeout=0.5))
        if predicate(msgs):
            return msgs
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting on {topic} ({len(msgs)} records)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--conflict-share", type=float, default=0.2)
    ap.add_argument("--rate", type=float, default=2.0, help="offered articles/s for the latency run")
    ap.add_argument("--latency-articles", type=int, default=60)
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="cw-bench-"))
    base = Settings.from_env().with_(home=str(home), web_port=0)
    broker = None
    if base.bootstrap_servers:
        bootstrap = base.bootstrap_servers
    else:
        broker = EmbeddedBroker(base, port=free_port_pair())
        bootstrap = broker.start()
    tag = uuid.uuid4().hex[:6]
    port = free_port_pair()
    settings = base.with_(bootstrap_servers=bootstrap, topic_prefix=f"bench{tag}.", app_id=f"cw-bench-{tag}", web_port=port)
    create_topics(settings, bootstrap)
    raw, events_topic, alerts_topic = (settings.topic(t) for t in (T.ARTICLES_RAW, T.EVENTS, T.ALERTS))
    worker = None
    try:
        # 1. Throughput on a backlog, into a warm worker.
        prod = producer(bootstrap)
        worker = start_worker(settings, home / "worker.log")
        warm = alerting_article(999, tag)
        prod.send(raw, key=warm["id"].encode(), value=json.dumps(warm).encode())
        prod.flush()
        wait_records(bootstrap, alerts_topic, lambda ms: len(ms) > 0, 300)
        while processed(port) < 1:
            time.sleep(0.2)
        base_count = processed(port)
        rss_warm = rss_mb(worker.pid, "VmRSS")
        articles = mixed_articles(args.articles, conflict_share=args.conflict_share, seed=7)
        for a in articles:
            a["id"] = f"{tag}-{a['id']}"
        t0 = time.monotonic()
        for a in articles:
            prod.send(raw, key=a["id"].encode(), value=json.dumps(a).encode())
        prod.flush()
        while processed(port) < base_count + len(articles):
            if worker.poll() is not None:
                raise SystemExit(f"worker exited; see {home / 'worker.log'}")
            time.sleep(0.05)
        span = time.monotonic() - t0
        words = sum(len(a["body"].split()) for a in articles)
        conflict = sum(1 for a in articles if a["kind"] == "conflict")
        print(f"throughput: {len(articles)} articles ({conflict} about conflict, {words} words) in {span:.2f}s "
              f"-> {len(articles) / span:.1f} articles/s, {words / span:.0f} words/s (publish to processed, warm worker)")

        # 2. Latency at a fixed offered rate, into the warm worker.
        lat_articles = [alerting_article(i, tag) for i in range(args.latency_articles)]
        sent = {}
        interval = 1.0 / args.rate
        next_at = time.monotonic()
        for a in lat_articles:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            fut = prod.send(raw, key=a["id"].encode(), value=json.dumps(a).encode())
            prod.flush()
            sent[a["id"]] = fut.get(10).timestamp / 1000
        ids = set(sent)

        missing = set(ids)

        def alerted(ms):
            seen = {art.get("id") for m in ms for art in json.loads(m.value)["data"].get("articles", [])}
            missing.intersection_update(ids - seen)
            return not missing

        print(f"published {len(lat_articles)} alerting articles at {args.rate:g}/s; waiting for their alerts", flush=True)
        try:
            msgs = wait_records(bootstrap, alerts_topic, alerted, 180)
        except SystemExit:
            raise SystemExit(f"no alert for {sorted(missing)}")
        latencies = []
        for m in msgs:
            for art in json.loads(m.value)["data"].get("articles", []):
                if art.get("id") in sent:
                    latencies.append(m.timestamp / 1000 - sent.pop(art["id"]))
        latencies.sort()
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
        print(f"latency: {len(latencies)} alerting articles at {args.rate:g}/s offered -> "
              f"publish-to-alert p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
        # The peak includes start-up (a gazetteer build when its cache is cold); the current
        # figure after the run is the one to watch for growth.
        print(f"worker RSS: {rss_warm:.0f} MB warm (one article), {rss_mb(worker.pid, 'VmRSS'):.0f} MB after the run, "
              f"peak {rss_mb(worker.pid):.0f} MB")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        if broker is not None:
            broker.stop()


if __name__ == "__main__":
    main()
