"""Helpers of the alert-engine tests: events built through the real Event model,
and state mappings that behave like Faust tables (JSON values, writes only by
assignment)."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from datetime import datetime, timezone

from conflictwatch.alerts import AlertEngine, load_rules
from conflictwatch.extract.model import Actor, Event, Evidence, Quantity, When, Where

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


class JsonTable(MutableMapping):
    """Stores values as JSON text: a value that is not plain data fails, and a
    change made to a value without assigning it back is lost, as in Faust."""

    def __init__(self):
        self._data: dict[str, str] = {}

    def __getitem__(self, key):
        return json.loads(self._data[key])

    def __setitem__(self, key, value):
        assert isinstance(key, str)
        self._data[key] = json.dumps(value, allow_nan=False)

    def __delitem__(self, key):
        del self._data[key]

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self):
        return len(self._data)

    def snapshot(self) -> dict:
        return dict(self._data)

    def restore(self, snap: dict) -> None:
        self._data = dict(snap)


def article(aid: str, source: str, published_at: str, title: str | None = None) -> dict:
    return {
        "id": aid,
        "url": f"https://{source.lower().replace(' ', '')}.example/{aid}",
        "source": source,
        "title": title or f"Story {aid}",
        "published_at": published_at,
    }


def make_event(
    art: dict,
    type: str,
    sentence: str,
    *,
    start: int = 0,
    subtype: str | None = None,
    modality: str = "asserted",
    novelty: str = "new",
    date: str | None = None,
    place: str | None = "Tafas",
    geonames_id: int | None = 170017,
    lat: float | None = 32.74,
    lon: float | None = 35.97,
    precision: str | None = "place",
    country: str | None = "SY",
    admin1: str | None = "Daraa",
    actors: tuple = (),
    best: int | None = None,
    low: int | None = None,
    high: int | None = None,
    order: int = 0,
) -> dict:
    qty = None
    if best is not None or low is not None or high is not None:
        qty = Quantity(low=low if low is not None else best, high=high if high is not None else best, best=best)
    ev = Event(
        article_id=art["id"],
        type=type,
        evidence=Evidence(text=sentence, start=start, end=start + len(sentence)),
        subtype=subtype,
        modality=modality,
        novelty=novelty,
        when=When(date=date, precision="day" if date else None),
        where=Where(name=place, canonical=place, geonames_id=geonames_id, country_code=country,
                    admin1=admin1, lat=lat, lon=lon, precision=precision),
        actors=[Actor(text=a, canonical=a, role=role) for a, role in actors],
        quantity=qty,
        order=order,
    )
    d = ev.to_dict()
    d["article"] = dict(art)
    return json.loads(json.dumps(d))  # exactly what comes off the topic


class Harness:
    def __init__(self, rules=None):
        self.rules = rules or load_rules()
        self.tracks, self.incidents, self.windows = JsonTable(), JsonTable(), JsonTable()
        self.engine = AlertEngine(self.rules, tracks=self.tracks, incidents=self.incidents, windows=self.windows)

    def feed(self, *events, now=NOW) -> list[dict]:
        out = []
        for e in events:
            out.extend(self.engine.on_event(e, now))
        return out



def dedup(alerts):
    """Alerts in order, each id once: what a subscriber deduplicating by id sees."""
    out, seen = [], set()
    for a in alerts:
        if a["id"] not in seen:
            seen.add(a["id"])
            out.append(a)
    return out
