"""Effectively once: SIGKILL the worker at several points while articles flow; after a
restart every expected alert is on the topic and no alert id appears twice.

The expected alerts come from the same extractor and rules run in-process with
plain dicts (no Kafka); the articles are independent incidents, so the order in
which partitions are processed cannot change them.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, timedelta

import pytest

from conflictwatch import topics as T
from conflictwatch.article import parse_article

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

TOWNS = [("Idlib", "Syria"), ("Taiz", "Yemen"), ("Kharkiv", "Ukraine"), ("Goma", "Democratic Republic of the Congo"),
         ("Mosul", "Iraq"), ("Kunduz", "Afghanistan"), ("Maiduguri", "Nigeria"), ("Mopti", "Mali")]
WORDS = ["six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fourteen"]


def strike_article(i: int) -> dict:
    town, country = TOWNS[i % len(TOWNS)]
    day = date(2020, 2, 3) + timedelta(days=9 * i)
    return {
        "id": f"crash-{i}",
        "source": "Test Wire",
        "published_at": f"{day.isoformat()}T16:00:00Z",
        "title": f"Civilians killed in {town}",
        "body": (f"{town}, {country} - {WORDS[i % len(WORDS)].capitalize()} civilians were killed on {day.strftime('%A')} "
                 f"when an air strike hit a busy market in {town}, residents said.\n\n"
                 "Ambulances carried the wounded to the main hospital, where doctors appealed for blood donors."),
    }


def expected_alert_ids(settings, articles) -> set[str]:
    from conflictwatch.extract import Extractor
    from conflictwatch.worker.records import event_records
    from conflictwatch.worker.run import build_engine_factory

    extractor = Extractor(settings.spacy_model)
    engine = build_engine_factory(settings)({}, {}, {})
    ids = set()
    parsed = [parse_article(a) for a in articles]
    for article, extraction in zip(parsed, extractor.extract_many(parsed)):
        for _key, record in event_records(article, [e.to_dict() for e in extraction.events]):
            ids |= {alert["id"] for alert in engine.on_event(record)}
    return ids


def test_sigkill_at_several_points_loses_and_repeats_nothing(kafka_topics, start_worker):
    settings = kafka_topics.settings
    articles = [strike_article(i) for i in range(24)]
    expected = expected_alert_ids(settings, articles)
    assert len(expected) >= len(articles), "each article is its own incident with an alert"

    # Kill points, one per wave of articles: the instant the wave's first alert lands
    # (its batch's offsets are then almost surely not committed yet, so the restart
    # replays events whose alerts are already out); the instant its first event lands
    # (alerts not sent yet); and at a random moment of start-up or table recovery.
    rng = random.Random(20261125)
    waves = [articles[0:8], articles[8:16], articles[16:24]]
    kills = []
    for wave, point in zip(waves, ("first alert", "first event", "start-up")):
        watch = kafka_topics.watch(T.ALERTS if point == "first alert" else T.EVENTS)
        worker = start_worker(settings)
        kafka_topics.publish(*wave)
        if point == "start-up":
            time.sleep(rng.uniform(1.0, 6.0))
        else:
            assert watch.first(timeout=180), f"no {point} before the kill:\n{worker.log_tail()}"
        worker.kill()
        watch.close()
        kills.append(point)

    worker = start_worker(settings)
    alerts = kafka_topics.wait_for(T.ALERTS, lambda r: {a["id"] for a in r} >= expected, timeout=300, worker=worker)
    # Let the restarted worker finish any replay, then look again for repeats.
    time.sleep(8)
    alerts = kafka_topics.records(T.ALERTS)
    counts = Counter(a["id"] for a in alerts)
    repeated = {i: n for i, n in counts.items() if n > 1}
    assert not repeated, f"alert ids published twice after kills at {kills}: {repeated}"
    assert set(counts) == expected, f"kills at {kills}: missing {expected - set(counts)}, unexpected {set(counts) - expected}"
