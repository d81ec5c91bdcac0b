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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conflictwatch import topics as T  # noqa: E402
from conflictwatch.broker.embedded import EmbeddedBroker, free_port_pair  # noqa: E402
from conflictwatch.config import Settings  # noqa: E402
from conflictwatch.io import producer, read_records  # noqa: E402
from conflictwatch.topics import create_topics  # noqa: E402
from mixed_stream import alerting_article, mixed_articles  # noqa: E402


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
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
        articles = mixed_articles(args.articles, conflict_share=args.conflict_share, seed=7)
        t0 = time.monotonic()
        for a in articles:
            prod.send(raw, key=a["id"].encode(), value=json.dumps({k: v for k, v in a.items() if k != "_conflict"}).encode())
        prod.flush()
        while processed(port) < base_count + len(articles):
            if worker.poll() is not None:
                raise SystemExit(f"worker exited; see {home / 'worker.log'}")
            time.sleep(0.05)
        span = time.monotonic() - t0
        words = sum(len(a["body"].split()) for a in articles)
        conflict = sum(1 for a in articles if a["_conflict"])
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
        print(f"worker peak RSS: {rss_mb(worker.pid):.0f} MB")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        if broker is not None:
            broker.stop()


if __name__ == "__main__":
    main()
