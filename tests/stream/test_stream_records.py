"""Worker helpers: DLQ records keep the input, duplicates are dropped before NLP, events keyed by region."""

import base64

from conflictwatch.config import Settings
from conflictwatch.worker.records import Incoming, RecentSet, dlq_record, event_records, prepare_batch

S = Settings()


def msg(value, offset=0, key=None):
    return Incoming(value=value, key=key, topic="articles.raw", partition=1, offset=offset)


def test_batch_splits_rejects_duplicates_and_good_articles():
    seen = RecentSet()
    batch = prepare_batch(
        [
            msg(b'{"id": "a", "body": "Talks collapsed on Monday."}', 0),
            msg(b"garbage", 1, key=b"k1"),
            msg(b'{"id": "a", "body": "A different text but the same id."}', 2),
            msg(b'{"id": "b", "body": "Talks   collapsed on Monday."}', 3),  # same body, other id
            msg(b'{"id": "c", "body": "Rebels returned to the table."}', 4),
        ],
        S,
        seen,
    )
    assert [a.id for a in batch.articles] == ["a", "c"]
    assert [s.offset for s in batch.sources] == [0, 4]
    assert batch.duplicates == 2
    assert len(batch.rejects) == 1
    rec = batch.rejects[0]
    assert rec["reason"] == "not_json" and rec["payload"] == "garbage"
    assert rec["source"] == {"topic": "articles.raw", "partition": 1, "offset": 1, "key": "k1"}
    # Memory persists across batches.
    again = prepare_batch([msg(b'{"id": "c", "body": "anything"}', 5)], S, seen)
    assert again.articles == [] and again.duplicates == 1


def test_dlq_keeps_undecodable_bytes_as_base64():
    from conflictwatch.article import ArticleRejected

    rec = dlq_record(msg(b"\xff\x00\x01"), ArticleRejected("not_utf8", "bad byte"))
    assert rec["payload_encoding"] == "base64"
    assert base64.b64decode(rec["payload"]) == b"\xff\x00\x01"


def test_recent_set_forgets_oldest_first():
    s = RecentSet(capacity=2)
    for k in "abc":
        s.add(k)
    assert "a" not in s and "b" in s and "c" in s and len(s) == 2


def test_event_records_are_keyed_by_region_in_time_order_and_cite_the_article():
    from conflictwatch.article import parse_article

    art = parse_article(b'{"id": "x1", "body": "text", "url": "https://example.org/x1", "source": "Wire"}')
    events = [
        {"type": "talks_resumed", "order": 2, "region": "SY/Daraa"},
        {"type": "talks_collapsed", "order": 1, "region": "SY/Daraa"},
        {"type": "civilian_deaths", "order": 3, "region": None},
    ]
    out = event_records(art, events)
    assert [(k, v["type"]) for k, v in out] == [
        ("SY/Daraa", "talks_collapsed"), ("SY/Daraa", "talks_resumed"), ("unknown", "civilian_deaths")]
    assert out[0][1]["article"]["url"] == "https://example.org/x1"
    assert len(out[0][1]["article"]["digest"]) == 64


def test_repeated_log_lines_are_cut_to_a_burst_per_window_and_counted():
    import logging

    from conflictwatch.logs import RepeatFilter

    clock = [0.0]
    f = RepeatFilter(burst=3, window=10.0, clock=lambda: clock[0])

    def line(msg, *args, name="aiokafka"):
        return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)

    passed = [f.filter(line("Unable connect to node with id %s: %s", 1, f"try {i}")) for i in range(50)]
    assert passed.count(True) == 3, "the same template with other arguments is the same line"
    assert f.filter(line("Unable to update metadata from %s", [1])), "another template has its own budget"
    assert f.filter(line("Unable connect to node with id %s: %s", 1, "x", name="other")), "per logger"
    clock[0] = 10.5
    after = line("Unable connect to node with id %s: %s", 1, "again")
    assert f.filter(after) and after.suppressed == 47
    assert not hasattr(line("fresh %s", 1), "suppressed")
    infos = [logging.LogRecord("faust", logging.INFO, __file__, 1, "step %s", (i,), None) for i in range(20)]
    assert all(f.filter(r) for r in infos), "info lines are never cut"


def test_a_batch_that_fails_is_retried_article_by_article():
    from conflictwatch.article import parse_article
    from conflictwatch.worker.app import _extract_each

    class Poisoned:
        """Raises on any batch holding the poison, like a parser blowing up mid-batch."""

        def __init__(self):
            self.calls = []

        def extract_many(self, articles):
            self.calls.append([a.id for a in articles])
            if any(a.id == "poison" for a in articles):
                raise MemoryError("parser blew up") if len(articles) > 1 else ValueError("bad article")
            return [f"events of {a.id}" for a in articles]

    arts = [parse_article(f'{{"id": "{i}", "body": "text {i}"}}'.encode()) for i in ("a", "poison", "b")]
    extractor = Poisoned()
    out = _extract_each(extractor, arts)
    assert out[0] == "events of a" and out[2] == "events of b"
    assert isinstance(out[1], ValueError)
    assert extractor.calls == [["a", "poison", "b"], ["a"], ["poison"], ["b"]]
