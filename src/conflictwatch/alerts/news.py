"""The article's news: which of the talks changes one article tells it reports as new.

A story about talks resuming often recalls the suspension before them, and
extraction does not always tell that recollection from news. So the engine
looks at the article's changes of one negotiation together:

* the news is the change of the lead (the first ``lead_chars`` characters of
  the body), else the latest dated one; one article has one news, even when two
  sentences name different party sets; a news dated more than ``max_age_days``
  before publication is history and alerts nothing;
* the latest earlier change of the other state becomes the news alert's
  context (``previous_state``, ``previous_since``); it alerts on its own only
  when it lies within ``recent_hours`` before publication (Wednesday's collapse
  told on Thursday with the return to talks) and on an earlier day than the
  news, and the article tells no change back on that same day: one article
  never yields opposite changes on one day;
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
from typing import Callable

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
    negotiation: object = None    # which of the article's negotiations it belongs to


def _start(event: dict) -> int:
    ev = event.get("evidence") if isinstance(event.get("evidence"), dict) else {}
    start = ev.get("start")
    return start if isinstance(start, int) else 1 << 30


def _order(event: dict) -> int:
    order = event.get("order")
    return order if isinstance(order, int) else 0


def select(changes: list[dict], now: datetime, *, lead_chars: int, recent_hours: float, max_age_days: float,
           negotiation: Callable[[dict], object] = lambda e: None) -> list[Step]:
    """The steps to apply for one article's changes of one region, in time order.

    ``negotiation`` tells which track a change belongs to: only a change of the
    news's own negotiation is its context or alerts with it. An article gives at
    most one news (two sentences naming different party sets are one story).
    """
    steps = [Step(c, facts.TALKS_STATES[c["type"]], facts.event_date(c, now).isoformat(), negotiation=negotiation(c))
             for c in changes]
    if not steps:
        return []
    lead = [s for s in steps if _start(s.event) < lead_chars]
    news = max(lead or steps, key=lambda s: (s.day, _order(s.event), -_start(s.event)))
    if (facts.published(news.event, now).date() - facts.event_date(news.event, now)).days > max_age_days:
        return []  # a change months before publication is history, whatever extraction called it
    before = [s for s in steps if s.state != news.state and s.day <= news.day and s.negotiation == news.negotiation]
    if not before:
        return [news]
    latest = max(before, key=lambda s: (s.day, _order(s.event)))
    news.context = {"previous_state": latest.state, "previous_since": latest.day}
    # Only a change of an earlier day may alert with the news, and only if the article
    # tells no change back on that day.
    days_before = [s for s in before if s.day < news.day]
    if not days_before:
        return [news]
    earlier = max(days_before, key=lambda s: (s.day, _order(s.event)))
    age = facts.published(news.event, now) - facts.event_time(earlier.event, now)
    undone = any(s.state != earlier.state and s.day == earlier.day for s in steps)
    if age.total_seconds() <= recent_hours * 3600 and not undone:
        earlier.recent = True
        return [earlier, news]
    return [news]
