"""The Article input contract (DESIGN.md) and its validation.

``parse_article`` turns the raw bytes of a Kafka message into an ``Article``
or raises ``ArticleRejected`` with a machine-readable reason. It is pure, so
the worker, the CLI and the tests share one definition of "malformed".
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from .errors import ConflictWatchError

SCHEMA = "conflictwatch.article/1"

# Reasons are part of the DLQ contract: subscribers switch on them.
NOT_UTF8 = "not_utf8"
NOT_JSON = "not_json"
NOT_OBJECT = "not_object"
NO_BODY = "no_body"
BODY_TOO_LARGE = "body_too_large"
UNSUPPORTED_LANGUAGE = "unsupported_language"
BAD_FIELD = "bad_field"


class ArticleRejected(ConflictWatchError):
    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Article:
    id: str
    body: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published_at: str | None = None  # RFC 3339, always set after parsing
    language: str = "en"
    received_at: str | None = None

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, **asdict(self)}

    @property
    def published(self) -> datetime:
        return parse_time(self.published_at) if self.published_at else datetime.now(timezone.utc)


def body_digest(body: str) -> str:
    # Whitespace-insensitive so a re-wrapped copy of the same story is still "the same body".
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def article_id_for(url: str | None, body: str) -> str:
    if url:
        return "u-" + hashlib.sha256(url.strip().encode("utf-8")).hexdigest()[:20]
    return "b-" + body_digest(body)[:20]


def parse_time(value: str) -> datetime:
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) == 10:  # a bare date
        text += "T00:00:00+00:00"
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _optional_str(obj: dict, name: str) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleRejected(BAD_FIELD, f"field {name!r} must be a string, got {type(value).__name__}")
    return value


def parse_article(
    raw: bytes | str | dict,
    *,
    max_body_bytes: int = 200_000,
    languages: tuple[str, ...] = ("en",),
    now: datetime | None = None,
) -> Article:
    now = now or datetime.now(timezone.utc)
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArticleRejected(NOT_UTF8, f"invalid UTF-8 at byte {exc.start}") from None
    if isinstance(raw, str):
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise ArticleRejected(NOT_JSON, str(exc)) from None
    else:
        obj = raw
    if not isinstance(obj, dict):
        raise ArticleRejected(NOT_OBJECT, f"expected a JSON object, got {type(obj).__name__}")

    body = obj.get("body")
    if not isinstance(body, str) or not body.strip():
        raise ArticleRejected(NO_BODY, "field 'body' is missing, empty or not a string")
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > max_body_bytes:
        raise ArticleRejected(BODY_TOO_LARGE, f"body is {size} bytes, limit {max_body_bytes}")
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleRejected(NOT_UTF8, "body holds unpaired surrogates") from None

    language = (_optional_str(obj, "language") or "en").lower().split("-")[0]
    if language not in languages:
        raise ArticleRejected(UNSUPPORTED_LANGUAGE, f"language {language!r} not in {list(languages)}")

    url = _optional_str(obj, "url")
    published = _optional_str(obj, "published_at")
    if published:
        try:
            published = parse_time(published).isoformat()
        except ValueError:
            raise ArticleRejected(BAD_FIELD, f"published_at {published!r} is not RFC 3339") from None
    else:
        published = now.isoformat()

    article_id = obj.get("id")
    if article_id is not None and not isinstance(article_id, (str, int)):
        raise ArticleRejected(BAD_FIELD, "field 'id' must be a string or an integer")
    return Article(
        id=str(article_id) if article_id not in (None, "") else article_id_for(url, body),
        body=body,
        url=url,
        source=_optional_str(obj, "source"),
        title=_optional_str(obj, "title"),
        published_at=published,
        language=language,
        received_at=now.isoformat(),
    )
