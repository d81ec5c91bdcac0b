"""`publish`, `tail` and `replay`: kafka-python tools around the topics."""

from __future__ import annotations

import json
import sys

from .. import topics as T
from ..io import iter_article_inputs, parse_since, publish, read_records
from ..runtime import resolve_bootstrap
from .format import render

TAIL_TOPICS = {"alerts": T.ALERTS, "events": T.EVENTS, "dlq": T.ARTICLES_DLQ, "events-dlq": T.EVENTS_DLQ}


def register(sub) -> None:
    p = sub.add_parser("publish", help="publish articles to articles.raw")
    p.add_argument("source", help="JSONL file, folder of .txt/.json articles, or - for JSONL on stdin")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("tail", help="print alerts, events or DLQ records")
    p.add_argument("what", choices=sorted(TAIL_TOPICS))
    p.add_argument("--json", action="store_true", help="one JSON record per line, for machines")
    p.add_argument("-f", "--follow", action="store_true", help="keep waiting for new records")
    p.add_argument("--since", help="start at this time (RFC 3339 or date) instead of the beginning")
    p.add_argument("--offset", type=int, help="start at this offset in every partition")
    p.add_argument("-n", "--limit", type=int)
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("replay", help="re-publish articles from articles.raw or the DLQ, from an offset or a time")
    p.add_argument("--from-topic", choices=["raw", "dlq"], default="raw")
    start = p.add_mutually_exclusive_group(required=True)
    start.add_argument("--offset", type=int, help="start at this offset in every partition")
    start.add_argument("--since", help="start at this time (RFC 3339 or date)")
    p.add_argument("--dry-run", action="store_true", help="count what would be replayed")
    p.set_defaults(func=cmd_replay)


def cmd_publish(settings, args) -> int:
    """A line Kafka refuses (over its size limit) is named on stderr and skipped; the
    rest of the input is still sent, and the exit status is 1."""
    bootstrap = resolve_bootstrap(settings, start=False)
    skipped = []

    def report(label: str, exc: Exception) -> None:
        skipped.append(label)
        print(f"skipped {label}: {_why(exc)}", file=sys.stderr)

    count = publish(bootstrap, settings.topic(T.ARTICLES_RAW), iter_article_inputs(args.source), on_error=report)
    print(f"published {count} article(s) to {settings.topic(T.ARTICLES_RAW)}"
          + (f"; skipped {len(skipped)}" if skipped else ""), file=sys.stderr)
    return 1 if skipped else 0


def _why(exc: Exception) -> str:
    from kafka.errors import MessageSizeTooLargeError

    if isinstance(exc, MessageSizeTooLargeError):
        return f"over Kafka's message size limit ({exc})"
    return f"Kafka refused it ({exc!r})"


def cmd_tail(settings, args) -> int:
    bootstrap = resolve_bootstrap(settings, start=False)
    since = parse_since(args.since) if args.since else None
    for msg in read_records(bootstrap, settings.topic(TAIL_TOPICS[args.what]), offset=args.offset,
                            since=since, follow=args.follow, limit=args.limit):
        print(render(args.what, msg.value, args.json), flush=True)
    return 0


def cmd_replay(settings, args) -> int:
    """Replaying is safe: ids are deterministic, so an already-alerted article makes no second alert."""
    bootstrap = resolve_bootstrap(settings, start=False)
    source = settings.topic(T.ARTICLES_RAW if args.from_topic == "raw" else T.ARTICLES_DLQ)
    since = parse_since(args.since) if args.since else None
    payloads = []
    for msg in read_records(bootstrap, source, offset=args.offset, since=since):
        if args.from_topic == "dlq":
            record = json.loads(msg.value)
            if record.get("payload_encoding") != "utf-8":
                continue  # undecodable bytes cannot become a valid article by replaying
            payloads.append(record["payload"].encode("utf-8"))
        else:
            payloads.append(msg.value)
    if args.dry_run:
        print(f"would replay {len(payloads)} article(s) from {source}")
        return 0
    count = publish(bootstrap, settings.topic(T.ARTICLES_RAW), payloads)
    print(f"replayed {count} article(s) from {source} to {settings.topic(T.ARTICLES_RAW)}", file=sys.stderr)
    return 0
