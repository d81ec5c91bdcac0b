"""In-process benchmark of the worker's state (not a test): does it stay flat?

Drives the alert engine, the article-digest book and the published-id set with
synthetic civilian-deaths events (no Kafka, no NLP) over many regions while event
time advances, the way the worker's alert agent does, and prints every --every
events: the JSON size of all table values, the largest value, the keys, the ids
remembered, and the Python heap traced by tracemalloc. Faust's memory store holds
the same values as plain objects, so a flat heap here is a flat state there.

    PYTHONPATH=src .venv/bin/python bench/state_bench.py [--events 60000] [--regions 40] [--per-hour 20]
"""

from __future__ import annotations

import argparse
import gc
import json
import tracemalloc
from datetime import datetime, timedelta, timezone

from conflictwatch.alerts import AlertEngine, load_rules
from conflictwatch.worker.digests import DigestBook
from conflictwatch.worker.emitted import EmittedIds


def event(i: int, when: datetime, regions: int) -> dict:
    r = i % regions
    town = (i // regions) % 15  # fifteen towns per region, so reports of one town join
    day = when.date().isoformat()
    return {
        "event_id": f"ev-{i}",
        "article_id": f"a-{i}",
        "type": "civilian_deaths",
        "subtype": "shelling",
        "modality": "reported",
        "novelty": "new",
        "confidence": 0.9,
        "region": f"XX/Province {r}",
        "evidence": {"text": f"Shelling killed {3 + i % 9} civilians in town {town}, officials said.", "start": 0, "end": 60},
        "when": {"date": day, "precision": "day"},
        "where": {"name": f"Town {r}-{town}", "canonical": f"Town {r}-{town}", "geonames_id": 10_000 + r * 100 + town,
                  "country_code": "XX", "admin1": f"Province {r}", "lat": 10.0 + town / 10, "lon": 20.0,
                  "precision": "place"},
        "quantity": {"low": 3 + i % 9, "high": 3 + i % 9, "best": 3 + i % 9},
        "actors": [],
        "order": 0,
        "article": {"id": f"a-{i}", "url": f"https://news.example/{i}", "source": f"Outlet {i % 30}",
                    "title": f"Shelling in town {town}", "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "digest": f"d{i}"},
    }


def json_bytes(table: dict) -> tuple[int, int]:
    sizes = [len(json.dumps(v, separators=(",", ":")).encode()) for v in table.values()]
    return sum(sizes), max(sizes, default=0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=60_000)
    ap.add_argument("--regions", type=int, default=40)
    ap.add_argument("--per-hour", type=float, default=20.0, help="events per hour of event time")
    ap.add_argument("--every", type=int, default=5000)
    args = ap.parse_args()

    rules = load_rules()
    tables = {name: {} for name in ("tracks", "incidents", "windows", "article-digests")}
    engine = AlertEngine(rules, tracks=tables["tracks"], incidents=tables["incidents"], windows=tables["windows"])
    digests = DigestBook(tables["article-digests"], retention_days=7)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    wall = [start.timestamp()]  # the wall clock runs with event time here (a live stream)
    ids = EmittedIds(timedelta(days=45), clock=lambda: wall[0])
    now = start + timedelta(hours=args.events / args.per_hour + 1)
    tracemalloc.start()
    alerts = 0
    print(f"{'events':>8} {'event days':>10} {'state KB':>9} {'largest KB':>10} {'keys':>6} {'ids':>6} {'heap MB':>8}")
    for i in range(args.events):
        when = start + timedelta(hours=i / args.per_hour)
        wall[0] = when.timestamp()
        ev = event(i, when, args.regions)
        if digests.is_duplicate(ev, now):
            continue
        for alert in engine.on_event(ev, now):
            if alert["id"] not in ids:
                ids.add(alert["id"], alert["time"])
                alerts += 1
        if (i + 1) % args.every == 0:
            gc.collect()
            total, largest = 0, 0
            for table in tables.values():
                t, m = json_bytes(table)
                total, largest = total + t, max(largest, m)
            keys = sum(len(t) for t in tables.values())
            heap = tracemalloc.get_traced_memory()[0] / 2**20
            print(f"{i + 1:8d} {(when - start).days:10d} {total / 1024:9.0f} {largest / 1024:10.1f} {keys:6d} "
                  f"{len(ids):6d} {heap:8.1f}", flush=True)
    print(f"{alerts} alerts")


if __name__ == "__main__":
    main()
