"""Reading the fields the engine needs out of an event dict (``Event.to_dict()``).

Extraction is imperfect, so every accessor tolerates missing or malformed
optional fields and falls back to something deterministic: the same event
dict must always yield the same keys, times and ids.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from .errors import EventInvalid

TALKS_STATES = {"talks_collapsed": "collapsed", "talks_resumed": "resumed"}
CIVILIAN_DEATHS = "civilian_deaths"
# Subtypes extraction gives civilian_deaths events name the victims, not the attack.
VICTIM_SUBTYPES = {"civilians", "presumed_civilians", "unspecified"}
# Places given only at these precisions may stand for any place of the region.
COARSE_PRECISIONS = {"admin1", "region", "country"}


def require(event) -> None:
    if not isinstance(event, dict):
        raise EventInvalid(f"event must be a dict, got {type(event).__name__}")
    for key in ("event_id", "type", "region"):
        if not isinstance(event.get(key), str) or not event.get(key):
            raise EventInvalid(f"event lacks a string {key!r}: {event.get('event_id')!r}")


def counts_toward_alerts(event: dict, rules) -> bool:
    confidence = event.get("confidence")
    return (
        event.get("novelty", "new") in rules.novelty
        and event.get("modality", "asserted") in rules.modalities
        and event.get("subtype") not in rules.exclude_subtypes
        and not (isinstance(confidence, (int, float)) and confidence < rules.min_confidence)
    )


def parse_time(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), tzinfo=timezone.utc)
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def article(event: dict) -> dict:
    art = event.get("article") if isinstance(event.get("article"), dict) else {}
    return {
        "id": art.get("id") or event.get("article_id"),
        "url": art.get("url"),
        "source": art.get("source"),
        "title": art.get("title"),
        "published_at": art.get("published_at"),
    }


def published(event: dict, now: datetime) -> datetime:
    """Publication time, capped at ``now``: an article cannot be published after it
    is processed, and one bad date must not push a region's clock ahead."""
    now = now.astimezone(timezone.utc)
    pub = parse_time(article(event)["published_at"])
    if pub is None:
        return now
    return min(pub, now)


def event_date(event: dict, now: datetime) -> date:
    """Day of the fact: ``when.date``, else the article's publication day.

    A date after publication is an extraction slip (or future talk), so it is
    capped at the publication day.
    """
    pub = published(event, now)
    when = event.get("when") if isinstance(event.get("when"), dict) else {}
    day = None
    raw = when.get("date")
    if isinstance(raw, str) and len(raw) >= 10:
        try:
            day = date.fromisoformat(raw[:10])
        except ValueError:
            day = None
    if day is None or day > pub.date():
        return pub.date()
    return day


def event_time(event: dict, now: datetime) -> datetime:
    """Event time used for windows and alert ``time``.

    Facts of the publication day take the publication time (they happened
    before it); facts of an earlier day are placed at noon UTC of that day,
    which is at most 12 h off with a day-precision date.
    """
    pub = published(event, now)
    day = event_date(event, now)
    if day == pub.date():
        return pub
    return datetime.combine(day, time(12), tzinfo=timezone.utc)


def quantity(event: dict) -> dict | None:
    """low/high/best of the toll; best falls back to low (the conservative figure)."""
    q = event.get("quantity")
    if not isinstance(q, dict):
        return None
    vals = {}
    for key in ("low", "high", "best"):
        v = q.get(key)
        vals[key] = v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None
    best = vals["best"] if vals["best"] is not None else vals["low"] if vals["low"] is not None else vals["high"]
    if best is None:
        return None
    return {"low": vals["low"] if vals["low"] is not None else best,
            "high": vals["high"] if vals["high"] is not None else best,
            "best": best}


def where(event: dict) -> dict:
    w = event.get("where") if isinstance(event.get("where"), dict) else {}
    keys = ("name", "canonical", "geonames_id", "country_code", "admin1", "admin1_code", "lat", "lon", "precision")
    return {k: w.get(k) for k in keys}


def country(event: dict) -> str | None:
    cc = where(event)["country_code"]
    if cc:
        return cc
    region = event.get("region") or ""
    return None if region in ("", "unknown") else region.split("/")[0]


def place_key(event: dict) -> tuple[str | None, bool]:
    """(identity of the place, whether it is coarse i.e. may join any place of the region)."""
    w = where(event)
    if w["precision"] in COARSE_PRECISIONS:
        return None, True
    if isinstance(w["geonames_id"], int):
        return f"g{w['geonames_id']}", False
    name = w["canonical"] or w["name"]
    if isinstance(name, str) and name.strip():
        return "n:" + " ".join(name.lower().split()), False
    return None, True


def kind(event: dict) -> str | None:
    """Kind of attack behind the deaths (air_strike, shelling ...), if the event says."""
    sub = event.get("subtype")
    return sub if isinstance(sub, str) and sub and sub not in VICTIM_SUBTYPES else None


def _actor_names(event: dict):
    """(normalized name, name as spelled, role) of each named actor of the event."""
    for actor in event.get("actors") or []:
        if isinstance(actor, dict):
            name = actor.get("canonical") or actor.get("text")
            if isinstance(name, str) and name.strip():
                yield " ".join(name.lower().split()), " ".join(name.split()), actor.get("role") or "agent"


def parties(event: dict) -> list[str]:
    """Canonical non-mediator actors, normalized; the parties of a negotiation track.

    An actor listed as mediator anywhere in the event is no party, even if it is
    listed again as an agent (extraction sometimes gives both)."""
    roles: dict[str, set[str]] = {}
    for key, _spelled, role in _actor_names(event):
        roles.setdefault(key, set()).add(role)
    return sorted(n for n, r in roles.items() if "mediator" not in r)


def party_names(event: dict) -> dict[str, str]:
    """Normalized party -> the canonical name as the event spells it (for summaries)."""
    names: dict[str, str] = {}
    for key, spelled, _role in _actor_names(event):
        names.setdefault(key, spelled)
    return names


def evidence(event: dict) -> dict:
    ev = event.get("evidence") if isinstance(event.get("evidence"), dict) else {}
    q = event.get("quantity") if isinstance(event.get("quantity"), dict) else None
    return {
        "event_id": event["event_id"],
        "article_id": article(event)["id"],
        "type": event["type"],
        "subtype": kind(event),
        "modality": event.get("modality"),
        "sentence": ev.get("text"),
        "start": ev.get("start"),
        "end": ev.get("end"),
        "attribution": event.get("attribution"),
        "quantity": {k: q.get(k) for k in ("low", "high", "best")} if q else None,
    }


def day_diff(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)

