"""Pure functions that turn Kafka input into the records the worker writes.

Kept apart from the Faust agents so they are tested without a broker.
"""

from __future__ import annotations

import base64
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone

from ..alerts.news import with_article_changes
from ..article import Article, ArticleRejected, body_digest, parse_article
from ..config import Settings

DLQ_SCHEMA = "conflictwatch.dlq/1"


@dataclass
class Incoming:
    """What the worker needs of one consumed message."""

    value: bytes | None
    key: bytes | None = None
    topic: str = ""
    partition: int = 0
    offset: int = 0
    timestamp: float | None = None  # producer timestamp, seconds


def dlq_record(msg: Incoming, error: ArticleRejected, now: datetime | None = None) -> dict:
    """A rejected message, with why, where it came from and its bytes, so nothing is lost."""
    raw = msg.value or b""
    try:
        payload, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        payload, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    return {
        "schema": DLQ_SCHEMA,
        "reason": error.reason,
        "detail": error.detail,
        "source": {"topic": msg.topic, "partition": msg.partition, "offset": msg.offset,
                   "key": msg.key.decode("utf-8", "replace") if msg.key else None},
        "payload": payload,
        "payload_encoding": encoding,
        "rejected_at": (now or datetime.now(timezone.utc)).isoformat(),
    }


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
    for msg in messages:
        try:
            article = parse_article(msg.value if msg.value is not None else b"",
                                    max_body_bytes=settings.max_body_bytes, languages=settings.languages)
        except ArticleRejected as exc:
            rejects.append(dlq_record(msg, exc))
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
