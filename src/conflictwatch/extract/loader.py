"""Read articles for the CLI and the evaluation.

Accepted inputs: a JSON Lines file of Article objects (DESIGN.md contract) or
of labelled dev-corpus records (body in ``text``, date in ``published``); a
``.json`` file holding one object or a list; a ``.txt`` file (one article, the
whole file is the body); or a folder of such files (sorted by name).

ACLED event notes (``shared/corpus/acled_dev.jsonl``) are Article objects with
their coding under ``gold``; the record keeps it as ``Record.gold``.

Dates: ``published`` (or ``published_at``) may be a full RFC 3339 time, a bare
date, or only a month (``2023-08``). A month-only date is read as the LAST day
of that month: the article was published somewhere in the month, and the end
is the only day from which every date the article names in that month is in
the past, so an event reported for the 20th is never mistaken for a plan. The
precision is kept in ``Record.published_precision`` ("month"), so consumers
such as the alert evaluation can tell an approximate date from an exact one.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..article import Article, ArticleRejected, parse_article
from ..errors import ConflictWatchError


class LoadError(ConflictWatchError):
    """An input file cannot be read as articles."""


@dataclass
class Record:
    """An article plus its labels when the input is a labelled corpus."""
    article: Article
    labels: dict | None = None
    raw: dict = field(default_factory=dict, repr=False)
    gold: dict | None = None
    published_precision: str | None = None  # "time", "day", "month", or None when undated


_MONTH_ONLY = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")
_DAY_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")


def widen_published(value: str) -> tuple[str, str]:
    """(RFC 3339 or ISO-date string, precision) for a corpus date; month-only -> its last day."""
    m = _MONTH_ONLY.match(value)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise LoadError(f"published {value!r} is not a month")
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-{last:02d}", "month"
    return value, "day" if _DAY_ONLY.match(value) else "time"


def record_from_obj(obj: dict, *, default_id: str, max_body_bytes: int = 10_000_000) -> Record:
    if not isinstance(obj, dict):
        raise LoadError(f"{default_id}: expected a JSON object, got {type(obj).__name__}")
    data = dict(obj)
    if "body" not in data and isinstance(data.get("text"), str):
        data["body"] = data["text"]
    if not data.get("published_at") and isinstance(data.get("published"), str) and data["published"]:
        data["published_at"] = data["published"]
    if data.get("id") in (None, ""):
        data["id"] = default_id
    precision = None
    if isinstance(data.get("published_at"), str) and data["published_at"].strip():
        data["published_at"], precision = widen_published(data["published_at"])
    # Only the contract's fields go to the parser; labels and notes stay in the record.
    keep = {k: data.get(k) for k in ("id", "url", "source", "title", "body", "published_at", "language")
            if data.get(k) is not None}
    if keep.get("url") is None and isinstance(data.get("source"), str) and data["source"].startswith("http"):
        keep["url"] = data["source"]
    try:
        art = parse_article(keep, max_body_bytes=max_body_bytes, languages=(keep.get("language", "en"),),
                            now=datetime(1970, 1, 1, tzinfo=timezone.utc) if not keep.get("published_at") else None)
    except ArticleRejected as exc:
        raise LoadError(f"{default_id}: {exc}") from None
    if not keep.get("published_at"):
        # No date in the input: leave it unknown rather than inventing "now" (dates then stay unresolved).
        art = Article(**{**art.__dict__, "published_at": None})
    return Record(art, data.get("labels") if isinstance(data.get("labels"), dict) else None, data,
                  gold=data.get("gold") if isinstance(data.get("gold"), dict) else None,
                  published_precision=precision)


def _iter_jsonl(path: Path, skipped: list[LoadError] | None) -> Iterator[Record]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise LoadError(f"{path}:{n}: not JSON: {exc}") from None
                yield record_from_obj(obj, default_id=f"{path.stem}:{n}")
            except LoadError as exc:
                _skip_or_raise(exc, skipped)


def _skip_or_raise(exc: LoadError, skipped: list[LoadError] | None) -> None:
    if skipped is None:
        raise exc
    skipped.append(exc)


def iter_records(path: str | Path, skipped: list[LoadError] | None = None) -> Iterator[Record]:
    """Records of a file or folder. A bad record raises LoadError, or, when a
    ``skipped`` list is given, is appended to it and the rest are still read."""
    p = Path(path)
    if not p.exists():
        raise LoadError(f"{p}: no such file or folder")
    if p.is_dir():
        for child in sorted(p.iterdir()):
            if child.suffix.lower() in (".jsonl", ".json", ".txt", ".ndjson"):
                yield from iter_records(child, skipped)
        return
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from _iter_jsonl(p, skipped)
    elif suffix == ".json":
        try:
            obj = json.loads(p.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise LoadError(f"{p}: not JSON: {exc}") from None
        items = obj if isinstance(obj, list) else [obj]
        for n, item in enumerate(items, 1):
            try:
                yield record_from_obj(item, default_id=f"{p.stem}:{n}" if len(items) > 1 else p.stem)
            except LoadError as exc:
                _skip_or_raise(exc, skipped)
    else:
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise LoadError(f"{p}: not UTF-8 text") from None
        yield record_from_obj({"id": p.stem, "body": text}, default_id=p.stem)


def load_articles(path: str | Path) -> list[Article]:
    return [r.article for r in iter_records(path)]
