"""Pure functions that turn Kafka input into the records the worker writes.

Kept apart from the Faust agents so they are tested without a broker. Every
function here isolates its records: whatever goes wrong with one message
becomes a DLQ record for that message, never an exception for the batch.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone

from ..alerts.news import with_article_changes
from ..article import Article, ArticleRejected, Limits, body_digest, parse_article
from ..config import Settings

DLQ_SCHEMA = "conflictwatch.dlq/1"
# Under Kafka's default message limit (1 MB) and Faust's producer request limit,
# with room for the record's own framing.
MAX_RECORD_BYTES = 900_000

# Where a record failed: part of the DLQ contract, next to the reason.
STAGE_VALIDATE = "validate"      # articles.raw: bytes, JSON, the article contract
STAGE_EXTRACT = "extract"        # articles.raw: the NLP raised on this article
STAGE_SERIALIZE = "serialize"    # either: an output record could not be written
STAGE_DECODE = "decode"          # events.normalized: not an event
STAGE_RULES = "rules"            # events.normalized: an alert rule raised on this event

# Worker-side reasons (the article contract's are in article.py).
EXTRACTION_FAILED = "extraction_failed"
INTERNAL_ERROR = "internal_error"
RECORD_TOO_LARGE = "record_too_large"
NOT_SERIALIZABLE = "not_serializable"
RULE_FAILED = "rule_failed"
INVALID_EVENT = "invalid_event"  # an event without the fields the alert engine needs


@dataclass
class Incoming:
    """What the worker needs of one consumed message."""

    value: bytes | None
    key: bytes | None = None
    topic: str = ""
    partition: int = 0
    offset: int = 0
    timestamp: float | None = None  # producer timestamp, seconds


def limits_from(settings: Settings) -> Limits:
    return Limits(
        body_bytes=settings.max_body_bytes,
        field_bytes={"id": settings.max_id_bytes, "url": settings.max_url_bytes, "source": settings.max_source_bytes,
                     "title": settings.max_title_bytes, "language": 35, "published_at": 64},
        sentence_chars=settings.max_sentence_chars,
        token_chars=settings.max_token_chars,
    )


def dlq_record(msg: Incoming, error: ArticleRejected, now: datetime | None = None, *,
               stage: str = STAGE_VALIDATE, max_payload: int = 262_144) -> dict:
    """A rejected message, with why, at which stage, where it came from and its bytes, so
    nothing is lost. Bytes past ``max_payload`` are cut (a DLQ record must itself fit in
    Kafka); the full size and digest say what was there."""
    raw = msg.value or b""
    kept = raw[:max_payload]
    truncated = len(kept) < len(raw)
    try:
        payload, encoding = kept.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(kept) - 3 and _decodes(kept[:exc.start]):
            payload, encoding = kept[:exc.start].decode("utf-8"), "utf-8"  # cut inside a character
        else:
            payload, encoding = base64.b64encode(kept).decode("ascii"), "base64"
    return {
        "schema": DLQ_SCHEMA,
        "reason": error.reason,
        "stage": stage,
        "detail": str(error.detail)[:500].encode("utf-8", "backslashreplace").decode("utf-8"),
        "source": {"topic": msg.topic, "partition": msg.partition, "offset": msg.offset,
                   "key": msg.key[:1024].decode("utf-8", "replace") if msg.key else None},
        "payload": payload,
        "payload_encoding": encoding,
        "payload_bytes": len(raw),
        "payload_sha256": hashlib.sha256(raw).hexdigest(),
        "payload_truncated": truncated,
        "rejected_at": (now or datetime.now(timezone.utc)).isoformat(),
    }


def _decodes(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RecentSet:
    """Bounded memory of recently seen keys (oldest forgotten first)."""

    def __init__(self, capacity: int = 100_000):
        self.capacity = capacity
        self._items: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def add(self, key: str) -> None:
        self._items[key] = None
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Batch:
    articles: list[Article]
    sources: list[Incoming]          # the message each article came from
    rejects: list[dict]              # DLQ records
    duplicates: int


def prepare_batch(messages: list[Incoming], settings: Settings, seen: RecentSet) -> Batch:
    """Validate and drop exact duplicates (same id, or same body) before the costly NLP."""
    articles, sources, rejects, dups = [], [], [], 0
    limits = limits_from(settings)
    for msg in messages:
        try:
            article = parse_article(msg.value if msg.value is not None else b"",
                                    languages=settings.languages, limits=limits)
        except ArticleRejected as exc:
            rejects.append(dlq_record(msg, exc, max_payload=settings.dlq_max_payload_bytes))
            continue
        except Exception as exc:  # noqa: BLE001 - a validator bug must cost this record only
            error = ArticleRejected(INTERNAL_ERROR, f"validation raised {exc!r}")
            rejects.append(dlq_record(msg, error, max_payload=settings.dlq_max_payload_bytes))
            continue
        id_key, body_key = "id:" + article.id, "body:" + body_digest(article.body)
        if id_key in seen or body_key in seen:
            dups += 1
            continue
        seen.add(id_key)
        seen.add(body_key)
        articles.append(article)
        sources.append(msg)
    return Batch(articles, sources, rejects, dups)


def article_ref(article: Article) -> dict:
    """The article fields every event carries, so alerts can cite their sources."""
    return {
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "published_at": article.published_at,
        "digest": body_digest(article.body),
    }


def event_records(article: Article, events: list[dict]) -> list[tuple[str, dict]]:
    """(key, value) pairs for events.normalized: keyed by region, in the article's time order.
    Talks changes carry the article's talks changes of their region, for the alert engine."""
    ref = article_ref(article)
    out = []
    for event in sorted(with_article_changes(events), key=lambda e: e.get("order", 0)):
        record = dict(event)
        record["article"] = ref
        out.append((record.get("region") or "unknown", record))
    return out


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_all(pairs: list[tuple[str, object]]) -> list[tuple[bytes, bytes]]:
    """(key, value) pairs as bytes, all or none: raises ArticleRejected if any value cannot
    be written (not JSON, or over MAX_RECORD_BYTES), so a record's outputs go out together."""
    out = []
    for key, value in pairs:
        try:
            data = dumps(value)
        except (TypeError, ValueError, RecursionError) as exc:
            raise ArticleRejected(NOT_SERIALIZABLE, repr(exc)[:300]) from None
        if len(data) > MAX_RECORD_BYTES:
            raise ArticleRejected(RECORD_TOO_LARGE, f"an output record of {len(data)} bytes, limit {MAX_RECORD_BYTES}")
        out.append((key.encode("utf-8", "replace"), data))
    return out


def article_outputs(article: Article, events: list[dict]) -> list[tuple[bytes, bytes]]:
    """The events.normalized records of one article, encoded; ArticleRejected if they cannot be."""
    return encode_all(event_records(article, events))


def decode_event(value: bytes | None) -> dict:
    """An events.normalized value back to an event, or ArticleRejected (its DLQ reason)."""
    try:
        event = json.loads(value if value is not None else b"")
    except RecursionError:
        raise ArticleRejected("too_deep", "event JSON nested too deep") from None
    except (ValueError, TypeError) as exc:
        raise ArticleRejected("not_json", str(exc)[:200]) from None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise ArticleRejected("not_event", "expected a JSON object with a string 'type'")
    return event
