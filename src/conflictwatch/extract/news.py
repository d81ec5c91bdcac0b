"""News vs background for changes of state: which talks change an article reports as new.

A story that tells a return to talks usually recalls the suspension it ended, and a
collapse story recalls the round that had resumed. Sentence by sentence both read as
new facts; the article reports one of them. The contract (shared/DESIGN.md, "The
article's news"):

* The news is the change told in the headline or lead; failing that, the latest one
  with a date of its own; failing that, the first one told (news comes before its background).
* An opposite change that the article recalls is background, unless it has a time of
  its own that makes it news too: a date within ``RECENT_DAYS`` before publication
  (the seed story: collapse on Wednesday, told on Thursday with the return to talks),
  a later date than the news (a breakdown, then "agreed to meet again on June 25"; a
  breakdown between two dated resumptions), or a day of its own told in the lead itself,
  or an explicit place in the same day ("earlier in the day ... that night").
* An article never yields opposite new changes on one day: without such a time of
  its own, the recalled change gives way.

Pure functions over finished events, so the rule holds whatever component produced them.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from . import model

OPPOSITE = {"talks_collapsed": "talks_resumed", "talks_resumed": "talks_collapsed"}
COUNTED = ("asserted", "reported")
RECENT_DAYS = 2        # "dated within 48 h before publication"
STALE_LEAD_DAYS = 7    # a lead change dated longer ago than this is the story's background, not its news
LEAD_SENTENCES = 2     # the lead: the headline (when the body opens with it) and this many sentences
MIN_LEAD_WORDS = 6     # a shorter line is furniture (a credit, a dateline), not a lead sentence

_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")


def _segments(body: str):
    """(start, end, words) of the body's sentences and lines, in order."""
    pos = 0
    for m in _SENT_END.finditer(body):
        if m.start() > pos:
            yield pos, m.end(), len(body[pos:m.start()].split())
        pos = m.end()
    if pos < len(body):
        yield pos, len(body), len(body[pos:].split())


def lead(body: str, title: str | None) -> tuple[int, int]:
    """(end of the headline, end of the lead) as offsets in ``body``; the headline end is 0 when
    the body does not open with its headline. Short lines (a caption credit, a name, a dateline)
    are page furniture and do not count as lead sentences."""
    head_end, count = 0, 0
    segs = list(_segments(body))
    if title and title.strip() and body.lstrip().startswith(title.strip()[:40]) and segs:
        head_end = segs[0][1]
        segs = segs[1:]
    end = head_end
    for _start, stop, words in segs:
        end = stop
        if words >= MIN_LEAD_WORDS:
            count += 1
            if count == LEAD_SENTENCES:
                break
    return head_end, end


def _day(value: str | None) -> date | None:
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _own_day(ev: model.Event) -> date | None:
    """The day the text itself gives the fact (not the publication-day default)."""
    w = ev.when
    if w is None or not w.text or w.precision != "day":
        return None
    return _day(w.date)


def _counted(ev: model.Event) -> bool:
    return ev.type in OPPOSITE and ev.novelty == "new" and ev.modality in COUNTED


def _stale(ev: model.Event, published: date | None) -> bool:
    """The change carries a time of its own well before publication ("withdrew in July", "last month")."""
    w = ev.when
    if w is None or not w.text:
        return False
    start = _day(w.date)
    if start is None or published is None:
        return w.precision in ("month", "year")
    limit = STALE_LEAD_DAYS if w.precision in ("day", "week") else 31
    return (published - start).days > limit


def _news(items: list[tuple[model.Event, tuple[int, float]]], head_end: int, lead_end: int,
          published: date | None) -> tuple[model.Event, tuple[int, float]]:
    """The article's news among the counted changes: the headline's, else the lead's, when it tells
    one direction; else the latest dated one; else the first told."""
    for lo, hi in ((0, head_end), (0, lead_end)):
        told = [(e, k) for e, k in items if lo <= e.evidence.start < hi and not _stale(e, published)]
        if len({e.type for e, _ in told}) == 1:
            return told[0]
    dated = [(e, k) for e, k in items if _own_day(e) is not None]
    if dated:
        return max(dated, key=lambda ek: (_own_day(ek[0]), ek[1]))
    # No dates: news is written first, its background after it.
    return min(items, key=lambda ek: ek[0].evidence.start)


def _effective_day(ev: model.Event, published: date | None) -> date:
    return _own_day(ev) or published or date.min


def _own_time(ev: model.Event, key: tuple[int, float], news_days: set[date], news_key: tuple[int, float],
              published: date | None, in_lead: bool) -> bool:
    """The recalled change has a time of its own that makes it news as well."""
    if key[0] != 0 and key[0] != news_key[0]:
        return True   # "earlier in the day" / "that night": ordered within the news day
    own = _own_day(ev)
    if own is None or own in news_days:
        return False  # no opposite changes on one day
    if own > min(news_days):
        return True   # a later development, or the break between two changes the other way
    if in_lead and not _stale(ev, published):
        return True   # the lead tells both, each on its own day ("walked out Friday ... back Saturday")
    return published is not None and 0 <= (published - own).days <= RECENT_DAYS


def settle(items: list[tuple[model.Event, tuple[int, float]]], *, lead: tuple[int, int],
           published: str | None) -> list[tuple[model.Event, tuple[int, float]]]:
    """Mark recalled opposite changes as background; ``items`` are (event, time key) in any order;
    ``lead`` as returned by :func:`lead`."""
    counted = [(e, k) for e, k in items if _counted(e)]
    if len({e.type for e, _ in counted}) < 2:
        return items
    pub = _day(published)
    news, news_key = _news(counted, lead[0], lead[1], pub)
    news_days = {_effective_day(e, pub) for e, _ in counted if e.type == news.type}
    demote = {id(e) for e, k in counted
              if e.type == OPPOSITE[news.type]
              and not _own_time(e, k, news_days, news_key, pub, e.evidence.start < lead[1])}
    return [(dataclasses.replace(e, novelty="background") if id(e) in demote else e, k) for e, k in items]
