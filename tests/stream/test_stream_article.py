"""The Article contract: every reject reason of DESIGN.md, and what a good article becomes."""

import json
from datetime import datetime, timezone

import pytest

from conflictwatch import article as A
from conflictwatch.article import ArticleRejected, parse_article

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


def reason_of(raw, **kw):
    with pytest.raises(ArticleRejected) as info:
        parse_article(raw, now=NOW, **kw)
    return info.value.reason


@pytest.mark.parametrize(
    "raw, reason",
    [
        (b"\xff\xfe not utf-8", A.NOT_UTF8),
        (b"{not json", A.NOT_JSON),
        (b"[1, 2, 3]", A.NOT_OBJECT),
        (b'"just a string"', A.NOT_OBJECT),
        (b'{"title": "no body here"}', A.NO_BODY),
        (b'{"body": "   "}', A.NO_BODY),
        (b'{"body": 42}', A.NO_BODY),
        (b'{"body": "Texte en francais.", "language": "fr"}', A.UNSUPPORTED_LANGUAGE),
        (b'{"body": "ok", "published_at": "last tuesday"}', A.BAD_FIELD),
        (b'{"body": "ok", "title": ["a", "list"]}', A.BAD_FIELD),
        (b'{"body": "ok", "id": true}', A.BAD_FIELD),
        (b'{"body": "ok", "title": "a\\ud800b"}', A.NOT_UTF8),
        (b'{"body": "ok", "meta": {"k\\udfff": 1}}', A.NOT_UTF8),
        (b"[" * 100_000 + b"]" * 100_000, A.TOO_DEEP),
        (b'{"body": "ok", "m": ' + b"[" * 8 + b"]" * 8 + b"}", A.TOO_DEEP),
        (b'{"body": "ok", "published_at": "9999-12-31T23:59:59-14:00"}', A.DATE_OUT_OF_RANGE),
        (b'{"body": "ok", "published_at": "0001-01-01"}', A.DATE_OUT_OF_RANGE),
        (b'{"body": "ok", "published_at": "2024-03-09T12:00:00Z"}', A.DATE_OUT_OF_RANGE),
        (b'{"body": "ok", "title": "line one\\nline two"}', A.BAD_CHARACTERS),
        (b'{"body": "ok", "source": "Wire\\u202egnirts"}', A.BAD_CHARACTERS),
        (b'{"body": "a\\u0000b"}', A.BAD_CHARACTERS),
        (b'{"body": "ok", "url": "https://example.org/' + b"a" * 2100 + b'"}', A.FIELD_TOO_LARGE),
        (b'{"body": "' + b"word " * 2100 + b'"}', A.SENTENCE_TOO_LONG),
        (b'{"body": "Shelling hit. ' + b"x" * 2001 + b'."}', A.TOKEN_TOO_LONG),
    ],
)
def test_rejects_with_reason(raw, reason):
    assert reason_of(raw) == reason


def test_body_over_limit_is_rejected_by_bytes_not_characters():
    body = "é" * 60  # 120 bytes in UTF-8
    assert reason_of(json.dumps({"body": body}).encode(), max_body_bytes=100) == A.BODY_TOO_LARGE
    assert parse_article(json.dumps({"body": body}).encode(), max_body_bytes=120, now=NOW).body == body


def test_defaults_fill_id_time_and_language():
    art = parse_article(b'{"body": "Shelling hit the town.", "url": "https://example.org/a"}', now=NOW)
    assert art.id.startswith("u-") and art.language == "en"
    assert art.published_at == NOW.isoformat()
    again = parse_article(b'{"body": "Other text", "url": "https://example.org/a"}', now=NOW)
    assert again.id == art.id, "id derives from the url when there is one"
    by_body = parse_article(b'{"body": "Shelling  hit\\nthe town."}', now=NOW)
    assert by_body.id == parse_article(b'{"body": "Shelling hit the town."}', now=NOW).id, "whitespace-insensitive"


def test_published_at_is_normalised_and_language_region_accepted():
    art = parse_article(b'{"body": "x", "published_at": "2018-07-05", "language": "en-GB", "id": 7}', now=NOW)
    assert art.published_at == "2018-07-05T00:00:00+00:00"
    assert art.id == "7" and art.language == "en"
    assert art.published == datetime(2018, 7, 5, tzinfo=timezone.utc)


def test_limits_are_configurable_and_a_date_inside_the_range_is_kept():
    limits = A.Limits(field_bytes={"title": 10}, sentence_chars=30, token_chars=8)
    assert reason_of(b'{"body": "ok", "title": "eleven char"}', limits=limits) == A.FIELD_TOO_LARGE
    assert reason_of(b'{"body": "a sentence that runs past thirty characters"}', limits=limits) == A.SENTENCE_TOO_LONG
    assert reason_of(b'{"body": "tokenlonger. x"}', limits=limits) == A.TOKEN_TOO_LONG
    kept = parse_article(b'{"body": "Short. Words.", "title": "ten chars!", "published_at": "1900-01-01"}',
                         now=NOW, limits=limits)
    assert kept.title == "ten chars!" and kept.published_at == "1900-01-01T00:00:00+00:00"
    assert parse_article(b'{"body": "ok", "published_at": "2024-03-07T23:00:00-02:00"}', now=NOW).published_at \
        == "2024-03-07T23:00:00-02:00", "a week ahead, less an hour, is clock skew, not an error"
