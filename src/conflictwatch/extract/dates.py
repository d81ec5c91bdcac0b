"""Resolve the time expression of a sentence against the publication date.

``resolve_when(text, published)`` is pure: same input, same ``When``.

Conventions (``When.date`` is always YYYY-MM-DD, the *start* of the period):

- Nothing said: the publication date, precision ``day``, ``text`` None (news
  reports what happened up to the day it is published).
- "today", "this morning", "tonight", "overnight", "earlier today": the
  publication date. "yesterday", "last night": the day before.
  "the day before yesterday": two days before. "N days ago": N days before.
  "tomorrow": the day after.
- A weekday ("on Thursday", "Thursday night", "Thursday's attack"): the
  publication day if it is that weekday, else the most recent such day
  before it. "last Thursday" is strictly before the publication day. "next
  Thursday", or a plain weekday in a sentence about the future ("will",
  "is due to", "scheduled", "planned", "expected to"), is the next such day
  on or after the publication day. The future word must reach the date: it
  stands in the date's own clause or before it with no subordinate clause
  between; "was violated on Monday when ..., ahead of talks that will open"
  keeps Monday behind.
- "N weeks ago": N*7 days before publication, precision ``week``.
- "this week" / "earlier this week": Monday of the publication week,
  precision ``week``; "last week": Monday of the week before; "next week":
  Monday of the week after.
- "this month" / "earlier this month": the 1st of the publication month,
  precision ``month``; "last month" the 1st of the month before; "next month"
  the 1st of the month after.
- "last year": 1 January of the year before, precision ``year``.
- Explicit dates: "3 July 2018", "July 3, 2018", "2018-07-03" -> day;
  "July 3" or "3 July" without a year -> that day in the publication year,
  or the year before if that would put it more than 7 days after publication
  (unless the sentence is about the future); "July 2018" -> month;
  "in July" -> month (same year rule); "in 2014" -> year.
- Several expressions in one text: one directly after a reporting verb
  ("said on Friday") is the time of the report, not of the event, and is
  used only if nothing else is found; otherwise the most precise one wins,
  the earliest on ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .model import When

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a": 1, "a couple of": 2, "several": 3, "few": 3, "a few": 3}
_PRECISION_RANK = {"day": 3, "week": 2, "month": 1, "year": 0}

_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_FUTURE = re.compile(r"\b(will|shall|is due|are due|due to|scheduled|planned|plans? to|expected to|set to|is to|are to|would be held|upcoming|next)\b", re.I)
# Clause edges for the reach of a future word: "was violated on Monday when gunmen ..., ahead of
# talks that will open" keeps Monday in the past.
_SUB_EDGE = r"\b(?:when|after|before|while|as|because|who|which|that|until|ahead\s+of)\b"
_CLAUSE_EDGE = re.compile(r"[,;:()\u2014]|" + _SUB_EDGE, re.I)
_SUB_EDGE_RE = re.compile(_SUB_EDGE, re.I)
_REPORTING = re.compile(r"\b(said|says|told|announced|reported|added|stated|confirmed|claimed|tweeted|wrote)\s*(?:late\s+|early\s+)?(?:on\s+)?$", re.I)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("dmy", re.compile(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    ("mdy", re.compile(r"\b" + _MON + r"\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d))?(?!\s*(?:%|per|people|civilians|killed))", re.I)),
    ("my", re.compile(r"\b(?:in\s+|since\s+|of\s+|during\s+)?" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    ("in_month", re.compile(r"\b(?:in|since|during|early|late|mid-?|in\s+mid-?|in\s+early|in\s+late)\s*" + _MON + r"\b(?!\s*\d)", re.I)),
    ("in_year", re.compile(r"\b(?:in|since|during)\s+(?P<y>(?:19|20)\d\d)\b(?!-)", re.I)),
    ("dby", re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b|\blast\s+night\b", re.I)),
    ("today", re.compile(r"\b(?:earlier\s+)?today\b|\bthis\s+(?:morning|afternoon|evening)\b|\btonight\b|\bovernight\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|several)\s+days?\s+ago\b", re.I)),
    ("weeks_ago", re.compile(r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|a|a couple of|a few|several)\s+weeks?\s+ago\b", re.I)),
    ("weekday", re.compile(r"\b(?P<rel>last|next|this|past|previous|on|late|early)?\s*" + _WD + r"(?:'s|’s)?\b", re.I)),
    ("week", re.compile(r"\b(?P<rel>last|this|next|earlier\s+this|later\s+this|past|previous)\s+week\b", re.I)),
    ("month", re.compile(r"\b(?P<rel>last|this|next|earlier\s+this|later\s+this|past|previous)\s+month\b", re.I)),
    ("year", re.compile(r"\b(?P<rel>last|this|earlier\s+this|past|previous)\s+year\b", re.I)),
]


@dataclass
class _Hit:
    start: int
    end: int
    when: When
    reporting: bool


def _as_date(published) -> date:
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    if isinstance(published, str):
        # "2018-07-05" or an RFC 3339 timestamp: the calendar day as written (no time-zone shift).
        try:
            return date.fromisoformat(published.strip()[:10])
        except ValueError:
            raise ValueError(f"published is not an ISO date: {published!r}") from None
    raise TypeError("published must be a datetime, a date or an ISO date string")


def _month_num(text: str) -> int:
    t = text.lower().rstrip(".")
    return _MONTH_ABBR.get(t[:4] if t.startswith("sept") else t[:3], 0)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _shift_month(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + (d.month - 1) + months, 12)
    return date(y, m + 1, 1)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match, pub: date, future: bool) -> When | None:
    g = m.groupdict()
    text = m.group(0).strip()
    if kind == "iso":
        d = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return When(d.isoformat(), "day", text) if d else None
    if kind in ("dmy", "mdy"):
        mon = _month_num(g["mon"])
        day = int(g["d"])
        if not mon or not 1 <= day <= 31:
            return None
        if g.get("y"):
            d = _safe_date(int(g["y"]), mon, day)
        else:
            d = _safe_date(pub.year, mon, day)
            if d and not future and d > pub + timedelta(days=7):
                d = _safe_date(pub.year - 1, mon, day)
        return When(d.isoformat(), "day", text) if d else None
    if kind == "my":
        mon = _month_num(g["mon"])
        return When(date(int(g["y"]), mon, 1).isoformat(), "month", text) if mon else None
    if kind == "in_month":
        mon = _month_num(g["mon"])
        if not mon:
            return None
        d = date(pub.year, mon, 1)
        if not future and d > pub:
            d = date(pub.year - 1, mon, 1)
        return When(d.isoformat(), "month", text)
    if kind == "in_year":
        return When(f"{int(g['y']):04d}-01-01", "year", text)
    if kind == "dby":
        return When((pub - timedelta(days=2)).isoformat(), "day", text)
    if kind == "yesterday":
        return When((pub - timedelta(days=1)).isoformat(), "day", text)
    if kind == "today":
        return When(pub.isoformat(), "day", text)
    if kind == "tomorrow":
        return When((pub + timedelta(days=1)).isoformat(), "day", text)
    if kind == "ago":
        n = g["n"].lower()
        days = int(n) if n.isdigit() else _NUMBER_WORDS.get(n, 0)
        return When((pub - timedelta(days=days)).isoformat(), "day", text) if days else None
    if kind == "weeks_ago":
        n = g["n"].lower()
        weeks = int(n) if n.isdigit() else _NUMBER_WORDS.get(n, 0)
        return When((pub - timedelta(days=7 * weeks)).isoformat(), "week", text) if weeks else None
    if kind == "weekday":
        wd = WEEKDAYS.index(g["wd"].lower())
        rel = (g.get("rel") or "").lower()
        back = (pub.weekday() - wd) % 7
        if rel == "next" or (future and rel not in ("last", "past", "previous")):
            fwd = (wd - pub.weekday()) % 7
            if rel == "next" and fwd == 0:
                fwd = 7
            d = pub + timedelta(days=fwd)
        else:
            if rel in ("last", "past", "previous") and back == 0:
                back = 7
            d = pub - timedelta(days=back)
        return When(d.isoformat(), "day", text)
    rel = " ".join((g.get("rel") or "").lower().split())
    if kind == "week":
        base = _monday(pub)
        d = base - timedelta(days=7) if rel in ("last", "past", "previous") else base + timedelta(days=7) if rel == "next" else base
        return When(d.isoformat(), "week", text)
    if kind == "month":
        off = -1 if rel in ("last", "past", "previous") else 1 if rel == "next" else 0
        return When(_shift_month(pub, off).isoformat(), "month", text)
    if kind == "year":
        y = pub.year - 1 if rel in ("last", "past", "previous") else pub.year
        return When(f"{y:04d}-01-01", "year", text)
    return None


def _future_here(text: str, s: int, e: int) -> bool:
    """Whether the sentence's future word reaches the date at [s, e): it stands in the date's own
    clause, or before the date with no subordinate clause opening between them ("expected to
    resume in Doha, the Qatari capital, on Tuesday"). A future word in a later clause ("on Tuesday,
    hours before the convoy was due to arrive") does not."""
    lo = max([m.end() for m in _CLAUSE_EDGE.finditer(text, 0, s)], default=0)
    nxt = _CLAUSE_EDGE.search(text, e)
    hi = nxt.start() if nxt else len(text)
    if _FUTURE.search(text[lo:hi]):
        return True
    return any(not _SUB_EDGE_RE.search(text[f.end():s]) for f in _FUTURE.finditer(text, 0, s))


def find_whens(text: str, published) -> list[tuple[int, int, When, bool]]:
    """Every time expression in ``text``: (start, end, When, after_reporting_verb)."""
    pub = _as_date(published)
    future = bool(_FUTURE.search(text))
    taken: list[tuple[int, int]] = []
    hits: list[_Hit] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            # Trim a leading space kept by optional groups.
            while s < e and text[s].isspace():
                s += 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "weekday" and not text[m.start("wd")].isupper():
                continue  # lowercase "sunday" is rarely a date in news copy; keeps false hits down
            if kind in ("dmy", "mdy", "in_month") and m.group("mon").lower() == "may" and not text[m.start("mon")].isupper():
                continue  # the modal verb "may"
            w = _resolve(kind, m, pub, future and _future_here(text, s, e))
            if w is None:
                continue
            taken.append((s, e))
            hits.append(_Hit(s, e, w, bool(_REPORTING.search(text[max(0, s - 30):s]))))
    hits.sort(key=lambda h: h.start)
    return [(h.start, h.end, h.when, h.reporting) for h in hits]


def resolve_when(text_or_sentence, published) -> When:
    """The ``When`` of a sentence (str or spaCy Span/Doc) published at ``published`` (see module doc).

    ``published``: a datetime, a date, or an ISO string ("2018-07-05", RFC 3339).
    """
    text = text_or_sentence if isinstance(text_or_sentence, str) else getattr(text_or_sentence, "text", str(text_or_sentence))
    pub = _as_date(published)
    hits = find_whens(text or "", pub)
    if not hits:
        return When(pub.isoformat(), "day", None)
    primary = [h for h in hits if not h[3]] or hits
    best = max(primary, key=lambda h: (_PRECISION_RANK[h[2].precision], -h[0]))
    return best[2]
