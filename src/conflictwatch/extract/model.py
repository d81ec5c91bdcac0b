"""Data model of extraction results: the Event and Summary contracts of DESIGN.md.

Everything here is plain data with ``to_dict``; the dict form is what goes on
the ``events.normalized`` topic and what the alert engine reads.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

EVENT_SCHEMA = "conflictwatch.event/1"

EVENT_TYPES = (
    "talks_collapsed", "talks_resumed", "talks_held", "talks_planned", "talks_rejected",
    "ceasefire_declared", "ceasefire_violated",
    "attack",  # with subtype: air_strike, barrel_bomb, missile, shelling, ground_assault, bombing
    "civilian_deaths", "combatant_deaths", "injuries", "displacement",
    "surrender_or_reconciliation",
)
MODALITIES = ("asserted", "reported", "planned", "conditional", "negated", "historical")
# Whether the article newly reports the fact. Only "new" facts drive alerts.
NOVELTY = ("new", "background", "cumulative")


@dataclass
class When:
    date: str | None = None          # YYYY-MM-DD (start of the period for week/month)
    precision: str | None = None     # day | week | month | year
    text: str | None = None          # as written ("on Thursday")


@dataclass
class Where:
    name: str | None = None          # as written
    canonical: str | None = None
    geonames_id: int | None = None
    country_code: str | None = None  # ISO 3166 alpha-2
    admin1: str | None = None        # admin1 name (GeoNames admin1 code in admin1_code)
    admin1_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None     # place | admin1 | country

    @property
    def region(self) -> str:
        """Partition key of the event: country/admin1, or country, or 'unknown'."""
        if not self.country_code:
            return "unknown"
        return f"{self.country_code}/{self.admin1}" if self.admin1 else self.country_code


@dataclass
class Actor:
    text: str
    canonical: str
    role: str = "agent"              # agent | target | mediator
    kind: str | None = None          # government | rebels | state | mediator | un | ...


@dataclass
class Quantity:
    low: int | None = None
    high: int | None = None
    best: int | None = None
    text: str | None = None


@dataclass
class Evidence:
    text: str
    start: int                       # character offsets into the article body
    end: int


@dataclass
class Event:
    article_id: str
    type: str
    evidence: Evidence
    subtype: str | None = None
    modality: str = "asserted"
    novelty: str = "new"
    when: When = field(default_factory=When)
    where: Where = field(default_factory=Where)
    actors: list[Actor] = field(default_factory=list)
    quantity: Quantity | None = None
    codes: dict = field(default_factory=lambda: {"cameo": None, "plover": None})
    confidence: float = 0.5
    attribution: str | None = None
    order: int = 0                   # time order of the fact inside the article
    event_id: str = ""

    def __post_init__(self) -> None:
        if not self.event_id:
            self.event_id = make_event_id(self.article_id, self.type, self.subtype, self.evidence.start, self.evidence.end)

    @property
    def region(self) -> str:
        # A negotiation is a national matter: one outlet places it in a province,
        # another only in the country, and both must reach the same track (tracks
        # live per region, on the region's partition). Talks events are therefore
        # keyed by country; their `where` keeps the precise place.
        if self.type.startswith("talks_"):
            return self.where.country_code or "unknown"
        return self.where.region

    def to_dict(self) -> dict:
        d = asdict(self)
        d["schema"] = EVENT_SCHEMA
        d["region"] = self.region
        return d


def make_event_id(article_id: str, type_: str, subtype: str | None, start: int, end: int) -> str:
    """Same article + same fact (type and evidence span) -> same id, across runs and restarts."""
    key = f"{article_id}|{type_}|{subtype or ''}|{start}|{end}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


@dataclass
class Deaths:
    low: int | None = None
    high: int | None = None
    best: int | None = None


@dataclass
class Summary:
    talks_status: list[str] = field(default_factory=list)  # "collapsed"/"resumed" in time order
    civilian_deaths: Deaths | None = None
    country: str | None = None       # ISO 3166 alpha-2
    place: str | None = None         # canonical place name

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    article_id: str
    events: list[Event]
    summary: Summary

    def to_dict(self) -> dict:
        return {
            "article_id": self.article_id,
            "events": [e.to_dict() for e in self.events],
            "summary": self.summary.to_dict(),
        }
