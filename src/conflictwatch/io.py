"""Reading article inputs and Kafka records with kafka-python (CLI, tests, benchmark)."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .article import parse_time
from .errors import ConflictWatchError


class InputError(ConflictWatchError):
    """An input file or folder cannot be read as articles."""


def iter_article_payloads(source: str) -> Iterator[bytes]:
    """Raw message values from a JSONL file, a folder of .txt/.json articles, or '-' (stdin JSONL).

    Lines are sent as they are: validating is the worker's job, and a malformed
    line must reach the DLQ rather than vanish in the CLI.
    """
    for _, payload in iter_article_inputs(source):
        yield payload


def iter_article_inputs(source: str) -> Iterator[tuple[str, bytes]]:
    """Like ``iter_article_payloads``, each value with where it came from ("file:line")."""
    if source == "-":
        yield from _lines(sys.stdin.buffer, "<stdin>")
        return
    path = Path(source)
    if path.is_dir():
        for item in sorted(path.iterdir()):
            if item.suffix == ".json":
                yield str(item), item.read_bytes().strip()
            elif item.suffix == ".txt":
                yield str(item), json.dumps(text_article(item.read_text(encoding="utf-8"), item.stem)).encode("utf-8")
        return
    if not path.exists():
        raise InputError(f"no such file or folder: {source}")
    if path.suffix == ".txt":
        yield str(path), json.dumps(text_article(path.read_text(encoding="utf-8"), path.stem)).encode("utf-8")
        return
    with path.open("rb") as fh:
        yield from _lines(fh, str(path))


def _lines(fh, name: str) -> Iterator[tuple[str, bytes]]:
    for number, line in enumerate(fh, 1):
        line = line.strip()
        if line:
            yield f"{name}:{number}", line


def text_article(text: str, name: str) -> dict:
    """A plain-text file as an article: first line is the title when followed by a blank line."""
    head, sep, rest = text.partition("\n\n")
    if sep and len(head) < 200 and "\n" not in head.strip():
        return {"id": name, "title": head.strip(), "body": text}
    return {"id": name, "body": text}


def key_of(payload: bytes) -> bytes | None:
    try:
        obj = json.loads(payload)
    except (ValueError, RecursionError):  # a deep line is the worker's to dead-letter, not a CLI crash
        return None
    if isinstance(obj, dict) and isinstance(obj.get("id"), (str, int)):
        try:
            return str(obj["id"]).encode("utf-8")
        except UnicodeEncodeError:  # an escaped lone surrogate: no key, the worker dead-letters it
            return None
    return None


def producer(bootstrap: str):
    from kafka import KafkaProducer

    return KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5, client_id="conflictwatch-cli")


def publish(bootstrap: str, topic: str, payloads: Iterable[bytes | tuple[str, bytes]],
            on_error: Callable[[str, Exception], None] | None = None) -> int:
    """Send payloads (or (label, payload) pairs); returns how many Kafka accepted.

    Without ``on_error`` the first failure raises. With it, a payload Kafka refuses
    (over the message size limit, say) is reported as (label, error) and the rest go on.
    """
    from kafka.errors import KafkaError

    prod = producer(bootstrap)
    failed: list[tuple[str, Exception]] = []
    sent = 0
    try:
        for number, item in enumerate(payloads, 1):
            label, payload = item if isinstance(item, tuple) else (f"record {number}", item)
            try:
                future = prod.send(topic, value=payload, key=key_of(payload))
            except KafkaError as exc:  # refused before sending, e.g. over max_request_size
                if on_error is None:
                    raise
                on_error(label, exc)
                continue
            sent += 1
            future.add_errback(lambda exc, label=label: failed.append((label, exc)))
        prod.flush()
    finally:
        prod.close()
    if failed and on_error is None:
        raise failed[0][1]
    for label, exc in failed:  # refused by the broker, e.g. over the topic's max.message.bytes
        on_error(label, exc)
    return sent - len(failed)


def read_records(bootstrap: str, topic: str, *, offset: int | None = None, since: datetime | None = None,
                 follow: bool = False, idle_timeout: float = 2.0, limit: int | None = None) -> Iterator:
    """Records of a topic from an offset (per partition), a time, or the beginning.
    Without ``follow`` it stops after ``idle_timeout`` seconds without a new record."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=int(idle_timeout * 1000) if not follow else 1000)
    try:
        parts = consumer.partitions_for_topic(topic)
        if not parts:
            raise InputError(f"topic {topic} does not exist on {bootstrap}")
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        consumer.assign(tps)
        if since is not None:
            found = consumer.offsets_for_times({tp: int(since.timestamp() * 1000) for tp in tps})
            for tp in tps:
                if found.get(tp) is None:
                    consumer.seek_to_end(tp)
                else:
                    consumer.seek(tp, found[tp].offset)
        elif offset is not None:
            for tp in tps:
                consumer.seek(tp, offset)
        else:
            consumer.seek_to_beginning(*tps)
        seen = 0
        while True:
            for msg in consumer:
                yield msg
                seen += 1
                if limit is not None and seen >= limit:
                    return
            if not follow:
                return
    finally:
        consumer.close()


def parse_since(text: str) -> datetime:
    try:
        return parse_time(text)
    except ValueError:
        raise InputError(f"--since {text!r} is not an RFC 3339 time or a date") from None
