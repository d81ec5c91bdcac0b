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
