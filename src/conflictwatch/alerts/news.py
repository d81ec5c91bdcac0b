"""The article's news: which of the talks changes one article tells it reports as new.

A story about talks resuming often recalls the suspension before them, and
extraction does not always tell that recollection from news. So the engine
looks at the article's changes of one negotiation together:

* the news is the change of the lead (the first ``lead_chars`` characters of
  the body), else the latest dated one;
* the latest earlier change of the other state becomes the news alert's
  context (``previous_state``, ``previous_since``); it alerts on its own only
  when it lies within ``recent_hours`` before publication (Wednesday's collapse
  told on Thursday with the return to talks) and on an earlier day than the
  news: one article never yields opposite changes on one day;
* everything else (older changes, same-state variants naming other parties)
  is context only.

Events of one article travel as separate messages, so the worker attaches the
article's talks changes of the same region to each of them
(:func:`with_article_changes`); the first of them to reach the engine decides
for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import facts

FIELD = "article_changes"


def with_article_changes(events: list[dict]) -> list[dict]:
    """The events of one article, each talks change carrying the article's talks changes of its region."""
    changes = [e for e in events if e.get("type") in facts.TALKS_STATES]
    out = []
    for event in events:
        if event.get("type") in facts.TALKS_STATES:
            siblings = [_bare(c) for c in changes if c.get("region") == event.get("region")]
            event = {**event, FIELD: siblings}
        out.append(event)
    return out


def _bare(event: dict) -> dict:
    return {k: v for k, v in event.items() if k not in (FIELD, "article")}


def siblings(event: dict) -> list[dict]:
    """The article's talks changes of the event's region (the event itself included), with its article."""
    raw = event.get(FIELD)
    if not isinstance(raw, list):
        return [event]
    out = [dict(s, article=event.get("article")) for s in raw
           if isinstance(s, dict) and s.get("region") == event["region"] and s.get("type") in facts.TALKS_STATES
           and isinstance(s.get("event_id"), str) and s.get("event_id")]
    if not any(s["event_id"] == event["event_id"] for s in out):
        out.append(event)
    return out


@dataclass
class Step:
    event: dict
    state: str
    day: str                      # ISO date of the fact
    context: dict | None = None   # {"previous_state", "previous_since"} told by the same article
    recent: bool = False          # an earlier change that may alert on its own


def _start(event: dict) -> int:
    ev = event.get("evidence") if isinstance(event.get("evidence"), dict) else {}
    start = ev.get("start")
    return start if isinstance(start, int) else 1 << 30


def _order(event: dict) -> int:
    order = event.get("order")
    return order if isinstance(order, int) else 0


def select(changes: list[dict], now: datetime, *, lead_chars: int, recent_hours: float) -> list[Step]:
    """The steps to apply for one negotiation's changes of one article, in time order."""
    steps = [Step(c, facts.TALKS_STATES[c["type"]], facts.event_date(c, now).isoformat()) for c in changes]
    if len(steps) <= 1:
        return steps
    lead = [s for s in steps if _start(s.event) < lead_chars]
    news = max(lead or steps, key=lambda s: (s.day, _order(s.event), -_start(s.event)))
    before = [s for s in steps if s.state != news.state and s.day <= news.day]
    if not before:
        return [news]
    earlier = max(before, key=lambda s: (s.day, _order(s.event)))
    news.context = {"previous_state": earlier.state, "previous_since": earlier.day}
    age = facts.published(news.event, now) - facts.event_time(earlier.event, now)
    if earlier.day < news.day and age.total_seconds() <= recent_hours * 3600:
        earlier.recent = True
        return [earlier, news]
    return [news]
