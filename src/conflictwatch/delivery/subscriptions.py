"""Subscriptions: what a subscriber wants (filters) and where it goes (webhook).

Stored in the compacted ``subscriptions`` topic, keyed by subscription id; a
delete writes a tombstone. Every service instance replays the topic at start and
follows it, so all instances hold the same set and a restart loses nothing.
The shared secret is stored in that topic (it is needed to sign), so the topic
must be protected like a credential store; it never leaves the service through
the API or the logs.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

from .errors import InvalidSubscription, StoreError
from .kafka_io import TopicView, decode_json, encode_json, start_producer

log = logging.getLogger(__name__)

SCHEMA = "conflictwatch.subscription/1"
SEVERITIES = ("info", "warning", "critical")
ALERT_TYPES = ("talks.collapsed", "talks.resumed", "civilian_deaths.incident", "civilian_deaths.window")
# Type families a filter may name instead of single types ("talks" = both talks types).
TYPE_FAMILIES = tuple(sorted({t.split(".")[0] for t in ALERT_TYPES}))
MIN_SECRET = 16
MAX_SECRET = 256
MAX_LIST = 200


def severity_rank(severity: str | None) -> int:
    try:
        return SEVERITIES.index(severity)  # type: ignore[arg-type]
    except ValueError:
        return -1


# ---------------------------------------------------------------- filters

@dataclass(frozen=True)
class Filter:
    """Which alerts a subscriber wants. Empty fields match everything.

    ``countries`` and ``regions`` together say *where* (an alert matches if its
    country is listed OR its region is listed); ``bbox`` further narrows by the
    alert's coordinates; every given criterion must hold.
    """

    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()        # ISO 3166 alpha-2, upper case
    regions: tuple[str, ...] = ()          # "CC/Admin1", as in the alert subject
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    min_severity: str = "info"

    def matches(self, alert: Mapping[str, Any]) -> bool:
        data = alert.get("data") if isinstance(alert.get("data"), Mapping) else {}
        if self.types:
            kind = str(alert.get("type", ""))
            if not any(kind == t or kind.startswith(t + ".") for t in self.types):
                return False
        if severity_rank(data.get("severity")) < severity_rank(self.min_severity):
            return False
        if self.countries or self.regions:
            region = str(alert.get("subject") or "")
            country = alert_country(alert)
            in_country = bool(country) and country in self.countries
            in_region = region.casefold() in {r.casefold() for r in self.regions}
            if not (in_country or in_region):
                return False
        if self.bbox is not None:
            point = alert_point(alert)
            if point is None or not in_bbox(point, self.bbox):
                return False
        return True

    def to_dict(self) -> dict:
        return {
            "types": list(self.types), "countries": list(self.countries), "regions": list(self.regions),
            "bbox": list(self.bbox) if self.bbox is not None else None, "min_severity": self.min_severity,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> "Filter":
        raw = raw or {}
        if not isinstance(raw, Mapping):
            raise InvalidSubscription("filters must be an object")
        unknown = set(raw) - {"types", "countries", "regions", "bbox", "min_severity"}
        if unknown:
            raise InvalidSubscription(f"unknown filter field(s): {', '.join(sorted(unknown))}")
        types = _str_tuple(raw.get("types"), "types")
        for t in types:
            if t not in ALERT_TYPES and t not in TYPE_FAMILIES:
                raise InvalidSubscription(f"unknown alert type {t!r}; known: {', '.join(ALERT_TYPES)}")
        countries = tuple(c.upper() for c in _str_tuple(raw.get("countries"), "countries"))
        for c in countries:
            if len(c) != 2 or not c.isalpha():
                raise InvalidSubscription(f"country {c!r} is not an ISO 3166 alpha-2 code")
        regions = _str_tuple(raw.get("regions"), "regions")
        for r in regions:
            if len(r) > 120:
                raise InvalidSubscription("region names are at most 120 characters")
        bbox = parse_bbox(raw.get("bbox"))
        severity = raw.get("min_severity") or "info"
        if severity not in SEVERITIES:
            raise InvalidSubscription(f"min_severity must be one of {', '.join(SEVERITIES)}")
        return cls(types=types, countries=countries, regions=regions, bbox=bbox, min_severity=severity)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Filter":
        """Same filters from URL query parameters (comma lists; bbox=minLon,minLat,maxLon,maxLat)."""
        raw: dict[str, Any] = {}
        for name in ("types", "countries", "regions"):
            values = [v for item in _getall(query, name) for v in item.split(",") if v.strip()]
            if values:
                raw[name] = [v.strip() for v in values]
        if query.get("bbox"):
            try:
                raw["bbox"] = [float(v) for v in query["bbox"].split(",")]
            except ValueError:
                raise InvalidSubscription("bbox must be four numbers: minLon,minLat,maxLon,maxLat") from None
        if query.get("min_severity"):
            raw["min_severity"] = query["min_severity"]
        return cls.from_dict(raw)


def _getall(query, name):
    getall = getattr(query, "getall", None)
    return getall(name, []) if getall else ([query[name]] if name in query else [])


def _str_tuple(value, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidSubscription(f"{name} must be a list of non-empty strings")
    if len(value) > MAX_LIST:
        raise InvalidSubscription(f"{name} has more than {MAX_LIST} entries")
    return tuple(dict.fromkeys(v.strip() for v in value))


def parse_bbox(value) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    if (not isinstance(value, (list, tuple)) or len(value) != 4
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)):
        raise InvalidSubscription("bbox must be [min_lon, min_lat, max_lon, max_lat]")
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in value)
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InvalidSubscription("bbox out of range (lon -180..180, lat -90..90, min_lat <= max_lat)")
    return (min_lon, min_lat, max_lon, max_lat)


def in_bbox(point: tuple[float, float], bbox: tuple[float, float, float, float]) -> bool:
    lon, lat = point
    min_lon, min_lat, max_lon, max_lat = bbox
    if not (min_lat <= lat <= max_lat):
        return False
    if min_lon <= max_lon:
        return min_lon <= lon <= max_lon
    return lon >= min_lon or lon <= max_lon  # box across the antimeridian


def alert_place(alert: Mapping[str, Any]) -> Mapping[str, Any]:
    data = alert.get("data")
    place = data.get("place") if isinstance(data, Mapping) else None
    return place if isinstance(place, Mapping) else {}


def alert_point(alert: Mapping[str, Any]) -> tuple[float, float] | None:
    place = alert_place(alert)
    lat, lon = place.get("lat"), place.get("lon")
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return (float(lon), float(lat))
    return None


def alert_country(alert: Mapping[str, Any]) -> str | None:
    code = alert_place(alert).get("country_code")
    if isinstance(code, str) and code:
        return code.upper()
    subject = alert.get("subject")
    if isinstance(subject, str) and subject and subject != "unknown":
        return subject.split("/", 1)[0].upper()
    return None


# ---------------------------------------------------------------- model

@dataclass(frozen=True)
class Subscription:
    id: str
    url: str
    secret: str = field(repr=False)
    filters: Filter = field(default_factory=Filter)
    owner: str = ""
    description: str = ""
    created_at: float = 0.0  # unix seconds; alerts published earlier are not sent
    # Set when the dispatcher paused the subscriber (queue_full, retry_budget);
    # empty = active. Cleared by POST /subscriptions/{id}/resume.
    paused_reason: str = ""
    paused_at: float = 0.0

    def public(self) -> dict:
        """The API view: everything but the secret."""
        return {
            "id": self.id, "url": self.url, "filters": self.filters.to_dict(), "description": self.description,
            "created_at": _iso(self.created_at), "secret_set": bool(self.secret),
            "status": "paused" if self.paused_reason else "active",
            "paused_reason": self.paused_reason or None, "paused_at": _iso(self.paused_at) or None,
        }

    def record(self) -> dict:
        return {
            "schema": SCHEMA, "id": self.id, "url": self.url, "secret": self.secret,
            "filters": self.filters.to_dict(), "owner": self.owner, "description": self.description,
            "created_at": self.created_at, "paused_reason": self.paused_reason, "paused_at": self.paused_at,
        }

    @classmethod
    def from_record(cls, raw: Mapping[str, Any]) -> "Subscription":
        return cls(
            id=raw["id"], url=raw["url"], secret=raw["secret"], filters=Filter.from_dict(raw.get("filters")),
            owner=raw.get("owner", ""), description=raw.get("description", ""),
            created_at=float(raw.get("created_at", 0.0)),
            paused_reason=str(raw.get("paused_reason") or ""), paused_at=float(raw.get("paused_at") or 0.0),
        )

    def resumed(self) -> "Subscription":
        return replace(self, paused_reason="", paused_at=0.0)


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)) if ts else ""


def new_subscription(body: Mapping[str, Any], owner: str, *, now: float | None = None) -> Subscription:
    """Validate an API request body (URL safety is checked separately, it needs DNS)."""
    if not isinstance(body, Mapping):
        raise InvalidSubscription("request body must be a JSON object")
    unknown = set(body) - {"url", "secret", "filters", "description"}
    if unknown:
        raise InvalidSubscription(f"unknown field(s): {', '.join(sorted(unknown))}")
    url = body.get("url")
    if not isinstance(url, str) or not url:
        raise InvalidSubscription("url is required")
    secret = body.get("secret")
    if not isinstance(secret, str) or not (MIN_SECRET <= len(secret) <= MAX_SECRET):
        raise InvalidSubscription(f"secret is required: a string of {MIN_SECRET} to {MAX_SECRET} characters")
    description = body.get("description") or ""
    if not isinstance(description, str) or len(description) > 200:
        raise InvalidSubscription("description must be a string of at most 200 characters")
    return Subscription(
        id="sub-" + uuid.uuid4().hex[:20], url=url, secret=secret, filters=Filter.from_dict(body.get("filters")),
        owner=owner, description=description, created_at=time.time() if now is None else now,
    )


# ---------------------------------------------------------------- store

class SubscriptionStore:
    """The set of subscriptions, as a view of the compacted topic."""

    def __init__(self, bootstrap: str, topic: str, on_change: Callable[[str, Subscription | None], None] | None = None):
        self.topic = topic
        self._bootstrap = bootstrap
        self._subs: dict[str, Subscription] = {}
        self._on_change = on_change
        self._view = TopicView(bootstrap, topic, self._apply, name="subscriptions")
        self._producer = None

    async def start(self, timeout: float = 60.0) -> None:
        self._producer = await start_producer(self._bootstrap, "subscriptions")
        await self._view.start()
        await self._view.wait_ready(timeout)
        log.info("subscriptions loaded", extra={"count": len(self._subs)})

    async def stop(self) -> None:
        await self._view.stop()
        if self._producer:
            await self._producer.stop()

    @property
    def ready(self) -> bool:
        return self._view.ready.is_set() and self._view.failed is None

    def _apply(self, record) -> None:
        sub_id = record.key.decode("utf-8") if record.key else None
        if not sub_id:
            return
        value = decode_json(record.value)
        if value is None:
            gone = self._subs.pop(sub_id, None)
            if gone and self._on_change:
                self._on_change(sub_id, None)
            return
        sub = Subscription.from_record(value)
        if self._subs.get(sub_id) == sub:
            return  # our own write, already applied
        self._subs[sub_id] = sub
        if self._on_change:
            self._on_change(sub_id, sub)

    async def put(self, sub: Subscription) -> None:
        await self._send(sub.id, encode_json(sub.record()))
        if self._subs.get(sub.id) != sub:
            self._subs[sub.id] = sub
            if self._on_change:
                self._on_change(sub.id, sub)

    async def delete(self, sub_id: str) -> bool:
        if sub_id not in self._subs:
            return False
        await self._send(sub_id, None)
        if self._subs.pop(sub_id, None) is not None and self._on_change:
            self._on_change(sub_id, None)
        return True

    async def _send(self, key: str, value: bytes | None) -> None:
        from aiokafka.errors import KafkaError

        try:
            await asyncio.wait_for(self._producer.send_and_wait(self.topic, value=value, key=key.encode()), 30)
        except (KafkaError, asyncio.TimeoutError) as exc:
            raise StoreError(f"writing subscription {key} failed: {exc!r}") from None

    def get(self, sub_id: str) -> Subscription | None:
        return self._subs.get(sub_id)

    def all(self) -> list[Subscription]:
        return sorted(self._subs.values(), key=lambda s: (s.created_at, s.id))

    def owned_by(self, owner: str) -> list[Subscription]:
        return [s for s in self.all() if s.owner == owner]
