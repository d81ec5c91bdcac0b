"""Property tests of the per-record functions: whatever the bytes, validation either gives
an article the rest of the pipeline can carry or a reason, and a DLQ record always fits."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from conflictwatch import article as A
from conflictwatch.article import ArticleRejected, Limits, parse_article
from conflictwatch.config import Settings
from conflictwatch.worker.records import (
    MAX_RECORD_BYTES, Incoming, RecentSet, article_outputs, decode_event, dlq_record, dumps, prepare_batch,
)

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
LIMITS = Limits()
REASONS = {getattr(A, n) for n in dir(A) if n.isupper() and isinstance(getattr(A, n), str)} - {A.SCHEMA}

# Any code point, lone surrogates included (what a "\ud800" escape decodes to).
any_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)
json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(any_text, inner, max_size=4), max_leaves=30)
dates = st.sampled_from(["9999-12-31T23:59:59-14:00", "0001-01-01", "0001-01-01T00:00:00+14:00", "1899-12-31",
                         "2024-02-29T12:00:00+05:30", "2025-06-01", "2026-01-05Z", "2026-01-09", "junk"]) | any_text
article_like = st.fixed_dictionaries(
    {"body": st.one_of(any_text, st.just("Shelling hit the town on Monday."), json_value)},
    optional={"id": st.one_of(any_text, st.integers(), json_value), "url": any_text | json_value,
              "title": any_text | json_value, "source": any_text, "language": st.sampled_from(["en", "EN-gb", "fr"]) | any_text,
              "published_at": dates, "extra": json_value},
)


def check_accepted(art: A.Article) -> None:
    """What an accepted article promises the rest of the pipeline."""
    for name in ("id", "url", "source", "title", "published_at", "language"):
        value = getattr(art, name)
        if value is None:
            continue
        value.encode("utf-8")  # no lone surrogates anywhere
        assert len(value.encode("utf-8")) <= LIMITS.field_bytes[name], name
        assert not A._BAD_IN_LINE.search(value), name  # noqa: SLF001
    art.body.encode("utf-8")
    assert art.body.strip() and len(art.body.encode("utf-8")) <= LIMITS.body_bytes
    published = A.parse_time(art.published_at)
    assert A.EARLIEST_PUBLISHED <= published.astimezone(timezone.utc) <= NOW + A.MAX_FUTURE_SKEW
    dumps(art.to_dict())


def outcome(raw):
    try:
        art = parse_article(raw, now=NOW)
    except ArticleRejected as exc:
        assert exc.reason in REASONS, exc.reason
        return exc.reason
    check_accepted(art)
    return art


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_an_article_or_a_reason(raw):
    outcome(raw)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(article_like)
def test_any_json_object_gives_an_article_or_a_reason(obj):
    outcome(obj)  # as a dict, the way the offline loader passes it
    text = json.dumps(obj)  # \ud800 and friends become escapes, as a producer would send them
    outcome(text.encode("utf-8"))


@given(st.sampled_from(["id", "url", "source", "title", "body", "extra", "language"]),
       st.sampled_from(["\ud800", "\udfff", "\udbff\udbff"]))
def test_a_lone_surrogate_in_any_field_is_not_utf8(name, bad):
    obj = {"body": "Shelling hit the town.", "title": "t", name: f"a{bad}b"}
    assert outcome(json.dumps(obj).encode()) == A.NOT_UTF8


@given(st.integers(min_value=9, max_value=300_000))
def test_nesting_past_the_limit_is_too_deep_never_a_crash(depth):
    assert outcome(b"{\"body\": \"x\", \"m\": " + b"[" * depth + b"]" * depth + b"}") == A.TOO_DEEP


@given(st.integers(min_value=1, max_value=8))
def test_nesting_within_the_limit_is_accepted(depth):
    nested = b"[" * (depth - 1) + b"]" * (depth - 1)
    assert isinstance(outcome(b"{\"body\": \"x\", \"m\": " + (nested or b"1") + b"}"), A.Article)


@settings(max_examples=300)
@given(st.binary(max_size=2_000), st.integers(min_value=16, max_value=1_000), st.binary(max_size=40) | st.none())
def test_a_dlq_record_keeps_the_bytes_or_their_prefix_and_always_serializes(raw, cap, key):
    msg = Incoming(raw, key, "articles.raw", 2, 99)
    rec = dlq_record(msg, ArticleRejected("not_json", "detail \ud800 with a surrogate"), max_payload=cap)
    data = dumps(rec)  # must never raise
    assert len(data) < 2 * cap + 2_000
    kept = rec["payload"].encode("utf-8") if rec["payload_encoding"] == "utf-8" else base64.b64decode(rec["payload"])
    assert raw.startswith(kept) and len(raw) - len(kept) <= max(0, len(raw) - cap) + 3
    assert rec["payload_truncated"] == (len(raw) > cap) and rec["payload_bytes"] == len(raw)
    assert rec["stage"] == "validate" and rec["reason"] == "not_json"


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=200) | article_like.map(lambda o: json.dumps(o).encode()), max_size=12))
def test_a_batch_accounts_for_every_message(values):
    messages = [Incoming(v, None, "articles.raw", 0, i) for i, v in enumerate(values)]
    batch = prepare_batch(messages, Settings(), RecentSet())
    assert len(batch.articles) + len(batch.rejects) + batch.duplicates == len(messages)
    assert {r["source"]["offset"] for r in batch.rejects}.isdisjoint(s.offset for s in batch.sources)


@settings(max_examples=200)
@given(st.binary(max_size=300) | json_value.map(lambda v: json.dumps(v).encode("utf-8", "surrogatepass")))
def test_decode_event_gives_an_object_or_a_reason(raw):
    try:
        event = decode_event(raw)
    except ArticleRejected as exc:
        assert exc.reason in {"not_json", "too_deep", "not_event"}
    else:
        assert isinstance(event, dict) and isinstance(event["type"], str)


def test_outputs_over_the_record_limit_are_refused_as_a_whole():
    art = parse_article(b'{"id": "a", "body": "Shelling hit the town."}', now=NOW)
    small = {"type": "civilian_deaths", "region": "SY", "order": 1}
    assert len(article_outputs(art, [small])) == 1
    big = dict(small, order=2, note="x" * (MAX_RECORD_BYTES + 1))
    try:
        article_outputs(art, [small, big])
    except ArticleRejected as exc:
        assert exc.reason == "record_too_large"
    else:
        raise AssertionError("an event over the record limit must be refused")
    unwritable = dict(small, note="\ud800")
    try:
        article_outputs(art, [unwritable])
    except ArticleRejected as exc:
        assert exc.reason == "not_serializable"
    else:
        raise AssertionError("an event UTF-8 cannot carry must be refused")


@settings(max_examples=300)
@given(st.binary(max_size=300) | article_like.map(lambda o: json.dumps(o).encode())
       | st.integers(min_value=1, max_value=200_000).map(lambda d: b"[" * d + b"]" * d)
       | st.tuples(any_text, st.sampled_from(["\ud800", "\udfff"])).map(
           lambda t: json.dumps({"id": t[0] + t[1], "body": "x"}).encode()))
def test_the_publish_key_of_any_line_is_bytes_or_none(raw):
    from conflictwatch.io import key_of

    key = key_of(raw)
    assert key is None or isinstance(key, bytes)
