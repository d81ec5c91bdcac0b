"""The Article input contract (DESIGN.md) and its validation.

``parse_article`` turns the raw bytes of a Kafka message into an ``Article``
or raises ``ArticleRejected`` with a machine-readable reason. It is pure, so
the worker, the CLI and the tests share one definition of "malformed".
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from .errors import ConflictWatchError

SCHEMA = "conflictwatch.article/1"

# Reasons are part of the DLQ contract: subscribers switch on them.
NOT_UTF8 = "not_utf8"
NOT_JSON = "not_json"
TOO_DEEP = "too_deep"
NOT_OBJECT = "not_object"
NO_BODY = "no_body"
BODY_TOO_LARGE = "body_too_large"
FIELD_TOO_LARGE = "field_too_large"
BAD_CHARACTERS = "bad_characters"
DATE_OUT_OF_RANGE = "date_out_of_range"
SENTENCE_TOO_LONG = "sentence_too_long"
TOKEN_TOO_LONG = "token_too_long"
UNSUPPORTED_LANGUAGE = "unsupported_language"
BAD_FIELD = "bad_field"

# Before this, a date is a placeholder (0001-01-01) rather than a publication time;
# past ``now`` plus this skew, it is a clock error. Both ends keep every date well
# inside what datetime arithmetic in the rules can shift without overflowing.
EARLIEST_PUBLISHED = datetime(1900, 1, 1, tzinfo=timezone.utc)
MAX_FUTURE_SKEW = timedelta(days=7)

# Control characters, and the bidi embeddings, overrides and isolates that can make a
# one-line field display as something else, have no place in ids, urls, names or titles.
_BAD_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What the length check treats as the end of a sentence: generous on purpose (an
# abbreviation only shortens a "sentence"), so a real article is never rejected.
_SENTENCE_END = re.compile(r"[.!?\n\u3002\u2026]")

_LINE_FIELDS = ("id", "url", "source", "title", "language", "published_at")


class ArticleRejected(ConflictWatchError):
    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    """What one article may hold. Sentence and token limits keep the parser's time and
    the evidence an alert carries bounded (a 190 KB sentence takes spaCy ~17 s)."""

    body_bytes: int = 200_000
    field_bytes: dict = field(default_factory=lambda: {
        "id": 256, "url": 2048, "source": 256, "title": 1024, "language": 35, "published_at": 64})
    sentence_chars: int = 10_000
    token_chars: int = 2_000
    depth: int = 8  # the contract is flat; extra fields may nest a little


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


def decode_object(raw: bytes | str | dict, depth: int = 8) -> dict:
    """Bytes or text to a JSON object no deeper than ``depth``, all of whose text is encodable."""
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArticleRejected(NOT_UTF8, f"invalid UTF-8 at byte {exc.start}") from None
    if isinstance(raw, str):
        try:
            obj = json.loads(raw)
        except RecursionError:  # not a ValueError: nesting deeper than the interpreter's stack
            raise ArticleRejected(TOO_DEEP, "JSON nested deeper than the parser can follow") from None
        except ValueError as exc:
            raise ArticleRejected(NOT_JSON, str(exc)[:200]) from None
    else:
        obj = raw
    if not isinstance(obj, dict):
        raise ArticleRejected(NOT_OBJECT, f"expected a JSON object, got {type(obj).__name__}")
    _check_tree(obj, depth)
    return obj


def _check_tree(obj: dict, max_depth: int) -> None:
    """One walk over every value: nesting depth, and text that UTF-8 cannot carry
    (a lone surrogate such as an escaped \\ud800 decodes, but cannot be re-encoded)."""
    stack = [(obj, 1, "")]
    while stack:
        node, depth, path = stack.pop()
        if depth > max_depth:
            raise ArticleRejected(TOO_DEEP, f"nesting deeper than {max_depth} levels at {path or 'top'}")
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            where = f"{path}.{key}" if path else str(key)
            for text in (key, value):
                if isinstance(text, str) and not _encodable(text):
                    raise ArticleRejected(NOT_UTF8, f"{_shown(where)} holds a lone surrogate")
            if isinstance(value, (dict, list)):
                stack.append((value, depth + 1, where))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    return repr(name.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")[:80])


def _line_field(obj: dict, name: str, limits: Limits) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if name == "id" and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ArticleRejected(BAD_FIELD, f"field {name!r} must be a string, got {type(value).__name__}")
    size, limit = len(value.encode("utf-8")), limits.field_bytes.get(name)
    if limit is not None and size > limit:
        raise ArticleRejected(FIELD_TOO_LARGE, f"field {name!r} is {size} bytes, limit {limit}")
    bad = _BAD_IN_LINE.search(value)
    if bad:
        raise ArticleRejected(BAD_CHARACTERS, f"field {name!r} holds U+{ord(bad.group()):04X} at {bad.start()}")
    return value


def _body(obj: dict, limits: Limits) -> str:
    body = obj.get("body")
    if not isinstance(body, str) or not body.strip():
        raise ArticleRejected(NO_BODY, "field 'body' is missing, empty or not a string")
    size = len(body.encode("utf-8"))
    if size > limits.body_bytes:
        raise ArticleRejected(BODY_TOO_LARGE, f"body is {size} bytes, limit {limits.body_bytes}")
    if "\x00" in body:
        raise ArticleRejected(BAD_CHARACTERS, f"body holds U+0000 at {body.index(chr(0))}")
    # Linear scans (a regex for "a run over N" would backtrack on near-misses).
    longest = max(map(len, _SENTENCE_END.split(body)))
    if longest > limits.sentence_chars:
        raise ArticleRejected(SENTENCE_TOO_LONG, f"a sentence of {longest} characters, limit {limits.sentence_chars}")
    token = max(map(len, body.split()), default=0)
    if token > limits.token_chars:
        raise ArticleRejected(TOKEN_TOO_LONG, f"a token of {token} characters, limit {limits.token_chars}")
    return body


def _published(text: str | None, now: datetime) -> str:
    if not text:
        return now.isoformat()
    try:
        dt = parse_time(text)
    except ValueError:
        raise ArticleRejected(BAD_FIELD, f"published_at {text!r} is not RFC 3339") from None
    try:
        in_range = EARLIEST_PUBLISHED <= dt.astimezone(timezone.utc) <= now + MAX_FUTURE_SKEW
    except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is past year 9999 in UTC
        in_range = False
    if not in_range:
        raise ArticleRejected(DATE_OUT_OF_RANGE, f"published_at {text!r} is before {EARLIEST_PUBLISHED.date()} "
                                                 f"or more than {MAX_FUTURE_SKEW.days} days ahead")
    return dt.isoformat()


def parse_article(
    raw: bytes | str | dict,
    *,
    max_body_bytes: int | None = None,
    languages: tuple[str, ...] = ("en",),
    now: datetime | None = None,
    limits: Limits | None = None,
) -> Article:
    now = now or datetime.now(timezone.utc)
    limits = limits or Limits()
    if max_body_bytes is not None:
        limits = Limits(max_body_bytes, limits.field_bytes, limits.sentence_chars, limits.token_chars, limits.depth)
    obj = decode_object(raw, limits.depth)
    body = _body(obj, limits)
    fields = {name: _line_field(obj, name, limits) for name in _LINE_FIELDS}

    language = (fields["language"] or "en").lower().split("-")[0]
    if language not in languages:
        raise ArticleRejected(UNSUPPORTED_LANGUAGE, f"language {language!r} not in {list(languages)}")
    return Article(
        id=fields["id"] or article_id_for(fields["url"], body),
        body=body,
        url=fields["url"],
        source=fields["source"],
        title=fields["title"],
        published_at=_published(fields["published_at"], now),
        language=language,
        received_at=now.isoformat(),
    )
