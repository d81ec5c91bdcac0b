"""Soak benchmark of the worker on the embedded broker (not a test): is memory flat?

Publishes a steady stream at --rate articles/s for --minutes into one worker and
samples, every --sample seconds, the worker's RSS and its state-size metrics
(cw_state_bytes / cw_state_keys / cw_state_largest_value_bytes per table,
cw_emitted_ids). Event time runs faster than the wall clock (--event-hours-per-s),
so a short soak crosses the retentions (digests 7 days, incidents 30, alert ids 45)
and the expiry has to keep the state flat. Prints one line per sample, then the RSS
and state slope over the second half of the run.

    .venv/bin/python bench/soak_bench.py [--minutes 30] [--rate 20] [--event-hours-per-s 1]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pipeline_bench import PLACES, NUMBER_WORDS, rss_mb, start_worker

from conflictwatch.broker.embedded import EmbeddedBroker, free_port_pair
from conflictwatch.config import Settings
from conflictwatch.io import producer
from conflictwatch.topics import create_topics
from conflictwatch import topics as T
from extract_stream import stream as mixed_articles


def metrics(port: int) -> dict[str, float]:
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        if line.startswith(("cw_state_bytes", "cw_state_keys", "cw_state_largest", "cw_emitted_ids",
                            "cw_articles_processed_total ")):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def strike(i: int, when: datetime, tag: str) -> dict:
    """An alerting report; every 4th article repeats the incident of the one before (another outlet)."""
    place, country = PLACES[(i // 4) % len(PLACES)]
    n = NUMBER_WORDS[i % len(NUMBER_WORDS)]
    return {
        "id": f"soak-{tag}-{i}",
        "source": f"Outlet {i % 4}",
        "title": f"Strike in {place}",
        "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": (f"{place}, {country} - {n.capitalize()} civilians were killed on {when.strftime('%A')}, "
                 f"{when.strftime('%B')} {when.day}, when shells hit a bus station in {place}, officials said "
                 f"in report {i}.\n\nThe wounded were taken to hospitals across the province."),
    }


def slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope, units per minute."""
    if len(samples) < 2:
        return float("nan")
    xs, ys = [t / 60 for t, _ in samples], [v for _, v in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs) or 1.0
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--sample", type=float, default=30.0)
    ap.add_argument("--event-hours-per-s", type=float, default=1.0)
    ap.add_argument("--alert-share", type=float, default=0.2, help="share of articles that are alerting reports")
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="cw-soak-"))
    base = Settings.from_env().with_(home=str(home), web_port=0)
    broker = EmbeddedBroker(base, port=free_port_pair()) if not base.bootstrap_servers else None
    bootstrap = broker.start() if broker else base.bootstrap_servers
    tag, port = uuid.uuid4().hex[:6], free_port_pair()
    settings = base.with_(bootstrap_servers=bootstrap, topic_prefix=f"soak{tag}.", app_id=f"cw-soak-{tag}", web_port=port)
    create_topics(settings, bootstrap)
    raw = settings.topic(T.ARTICLES_RAW)
    total = int(args.minutes * 60 * args.rate)
    filler = mixed_articles(total, conflict_share=0.2, seed=11)
    speed = timedelta(hours=args.event_hours_per_s)
    t_start = datetime.now(timezone.utc) - speed * (args.minutes * 60)  # event time ends at "now"
    worker = start_worker(settings, home / "worker.log")
    prod = producer(bootstrap)
    samples: list[dict] = []
    try:
        while not metrics(port):
            if worker.poll() is not None:
                raise SystemExit(f"worker exited; see {home / 'worker.log'}")
            time.sleep(1)
        t0 = time.monotonic()
        next_sample = t0
        every = max(1, round(1 / args.alert_share))
        for i in range(total):
            due = t0 + i / args.rate
            time.sleep(max(0.0, due - time.monotonic()))
            when = t_start + speed * (i / args.rate)
            if i % every == 0:
                art = strike(i, when, tag)
            else:
                art = dict(filler[i], id=f"{tag}-{i}", published_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
            prod.send(raw, key=art["id"].encode(), value=json.dumps(art).encode())
            if time.monotonic() >= next_sample:
                prod.flush()
                m = metrics(port)
                row = {"t": time.monotonic() - t0, "rss": rss_mb(worker.pid, "VmRSS"), "sent": i + 1, **m}
                samples.append(row)
                state = sum(v for k, v in m.items() if k.startswith("cw_state_bytes"))
                print(f"{row['t']:7.0f}s sent {i + 1:7d} processed {m.get('cw_articles_processed_total', -1):7.0f} "
                      f"rss {row['rss']:6.0f} MB state {state / 1024:8.0f} KB "
                      f"keys {sum(v for k, v in m.items() if k.startswith('cw_state_keys')):6.0f} "
                      f"largest {max((v for k, v in m.items() if k.startswith('cw_state_largest')), default=0) / 1024:6.0f} KB "
                      f"ids {m.get('cw_emitted_ids', 0):6.0f}", flush=True)
                next_sample += args.sample
        prod.flush()
        half = [s for s in samples if s["t"] >= samples[-1]["t"] / 2]
        print(f"second half: RSS slope {slope([(s['t'], s['rss']) for s in half]):+.2f} MB/min, state slope "
              f"{slope([(s['t'], sum(v for k, v in s.items() if k.startswith('cw_state_bytes')) / 1024) for s in half]):+.1f} KB/min")
        for k in sorted(k for k in samples[-1] if k.startswith(("cw_state_bytes", "cw_state_keys", "cw_state_largest"))):
            print(f"  {k} = {samples[-1][k]:.0f}")
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        if broker is not None:
            broker.stop()


if __name__ == "__main__":
    main()
