"""The worker's own state outside the alert engine stays bounded: article digests
and published alert ids expire by event time; table value sizes are measured."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conflictwatch.worker import metrics
from conflictwatch.worker.digests import DigestBook
from conflictwatch.worker.emitted import REPLAY_HORIZON_S, EmittedIds
from conflictwatch.worker.statesize import SizedTable, json_size

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def event(article_id: str, digest: str, published: str, region: str = "SY/Idlib") -> dict:
    return {"region": region, "article": {"id": article_id, "digest": digest, "published_at": published}}


def test_same_body_under_another_id_is_a_duplicate_and_the_same_article_is_not():
    book = DigestBook({}, retention_days=7)
    assert not book.is_duplicate(event("a1", "d1", "2025-05-01T08:00:00Z"), NOW)
    assert book.is_duplicate(event("a2", "d1", "2025-05-01T09:00:00Z"), NOW)
    # Another event of the first article (it has several facts) is no duplicate.
    assert not book.is_duplicate(event("a1", "d1", "2025-05-01T08:00:00Z"), NOW)
    # Regions are apart: the same story placed in another region is counted there.
    assert not book.is_duplicate(event("a2", "d1", "2025-05-01T09:00:00Z", region="SY/Hama"), NOW)


def test_digests_expire_by_event_time_per_region():
    table: dict = {}
    book = DigestBook(table, retention_days=7)
    for day in range(1, 31):
        for n in range(20):
            book.is_duplicate(event(f"a{day}-{n}", f"d{day}-{n}", f"2025-05-{day:02d}T10:00:00Z"), NOW)
    book.is_duplicate(event("other", "x", "2025-04-01T10:00:00Z", region="YE/Taiz"), NOW)
    idlib = [k for k in table if k.startswith("SY/Idlib|") and not k.endswith("~clock")]
    # Eight days (the 23rd to the 30th) of 20 digests each are left; other regions are untouched.
    assert len(idlib) == 8 * 20
    assert "YE/Taiz|x" in table
    # An expired digest is forgotten: the same body under a new id counts again ...
    assert not book.is_duplicate(event("b1", "d1-0", "2025-05-30T11:00:00Z"), NOW)
    # ... and a report dated past the horizon is checked but never stored.
    assert not book.is_duplicate(event("c1", "late", "2025-05-02T11:00:00Z"), NOW)
    assert "SY/Idlib|late" not in table


def test_an_undated_value_of_an_older_worker_expires_at_the_regions_first_clock_move():
    table = {"SY/Idlib|d1": "a1", "SY/Idlib|d0": "a0"}
    book = DigestBook(table, retention_days=7)
    assert not book.is_duplicate(event("a2", "d1", "2025-05-01T09:00:00Z"), NOW)
    assert "SY/Idlib|d0" not in table
    assert table["SY/Idlib|d1"] == {"id": "a2", "day": "2025-05-01"}


def test_an_edge_of_calendar_date_does_not_break_the_digest_check():
    book = DigestBook({}, retention_days=7)
    assert not book.is_duplicate(event("a1", "d1", "9999-12-31T23:59:59-14:00"), NOW)
    assert book.is_duplicate(event("a2", "d1", "0001-01-01T00:00:00Z"), NOW)


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_emitted_ids_expire_by_event_time_but_not_within_the_replay_horizon():
    clock = Clock()
    ids = EmittedIds(timedelta(days=10), clock=clock)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for day in range(40):
        ids.add(f"al-{day}", (start + timedelta(days=day)).isoformat())
    # A backfill moved event time by 40 days within seconds: nothing is forgotten yet.
    assert ids.expire() == 0 and len(ids) == 40
    clock.t += REPLAY_HORIZON_S + 1
    assert ids.expire() == 29  # days 0..28 are more than 10 days older than day 39
    assert "al-28" not in ids and "al-29" in ids and "al-39" in ids


def test_emitted_ids_expire_on_their_own_in_a_steady_stream():
    clock = Clock()
    ids = EmittedIds(timedelta(days=1), clock=clock)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    sizes = []
    for n in range(20_000):
        clock.t += 1.0  # one alert a second, an hour of event time apart
        ids.add(f"al-{n}", (start + timedelta(hours=n)).isoformat())
        sizes.append(len(ids))
    # Bounded: a day of event time plus the adds between two sweeps and the replay horizon.
    assert max(sizes[5000:]) < 5000
    assert max(sizes[10_000:]) == max(sizes[5000:10_000])


def test_refresh_reads_the_topic_again_and_clears_stale():
    published = [("al-1", "2025-01-01T00:00:00Z")]
    ids = EmittedIds(timedelta(days=10), loader=lambda: list(published))
    assert ids.stale and "al-1" not in ids
    assert ids.refresh() == 1 and not ids.stale and "al-1" in ids
    published.append(("al-2", "2025-01-02T00:00:00Z"))  # a peer published it before it died
    ids.stale = True
    ids.refresh()
    assert "al-2" in ids


def test_sized_table_measures_writes_and_recovered_values():
    inner = {"recovered": {"x": "y" * 100}}
    table = SizedTable("incidents", inner)
    table["a"] = {"n": 1}
    table["b"] = {"text": "é" * 10}
    del table["a"]
    table.publish()
    samples = {s.name: s.value for m in metrics.REGISTRY.collect() for s in m.samples
               if s.labels.get("table") == "incidents"}
    assert samples["cw_state_keys"] == 2
    assert samples["cw_state_bytes"] == json_size(inner["recovered"]) + json_size({"text": "é" * 10})
    assert samples["cw_state_largest_value_bytes"] == json_size(inner["recovered"])
    assert json_size({"text": "é"}) == len('{"text":"é"}'.encode())


def test_a_rebalance_during_a_refresh_leaves_the_set_stale():
    ids: EmittedIds

    def loader():
        ids.stale = True  # partitions assigned while the topic is being read
        return [("al-1", None)]

    ids = EmittedIds(timedelta(days=1), loader=loader)
    ids.refresh()
    assert ids.stale and "al-1" in ids
