"""Attacks (with subtype), ceasefires declared or violated, surrender/reconciliation deals.

One event per sentence and type/subtype. Triggers come from patterns/events.json:
single lemmas are matched on tokens, multi-word phrases on the sentence text
and then pinned to the token where they start (so modality can be read from
the tree). Ambiguous vehicle words ("jet", "drone", "helicopter") only count
with an attack verb in the same sentence.

A truce declared and broken in one sentence ("took effect at dawn but was
violated within hours") gives both events; a declaration that only qualifies the
truce ("the truce, agreed in January, collapsed") gives the violation alone. A
later sentence that retells or blames for the same violation or declaration
("both sides blamed each other for breaking the truce") is dropped by the
pipeline's retelling rule (``pipeline._retold``, shared with talks). A
surrender or reconciliation deal a party agreed to is a fact, not a plan.

"A truce was agreed on Sunday. It was violated on Wednesday": a pronoun subject of a
passive or intransitive violation verb is the truce when the truce is the nearest
candidate noun (``talks.pronoun_antecedent``); so is an it/them object of an active violation
verb ("the militia broke it"), which never stands for its own clause's subject. The pipeline
parses a pronoun-initial sentence, or one with such an object pronoun, that follows a truce or
talks sentence for this.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import model
from .modality import HISTORICAL, PLANNED, Modality, assess, focus_span, is_far_past
from .modality import lexicon as lexicon_modality
from .talks import _linked, is_anchor, object_pronoun, pronoun_antecedent
from .talks import lexicon as talks_lexicon

if not Doc.has_extension("cw_incidents"):
    Doc.set_extension("cw_incidents", default=None)

_VEHICLE_WORDS = {"jet", "aircraft", "helicopter", "drone", "warplane", "bomber", "sortie"}


@lru_cache(maxsize=1)
def lexicon() -> dict:
    raw = json.loads(resources.files("conflictwatch.extract").joinpath("patterns/events.json").read_text("utf-8"))
    subtypes = {}
    for name, spec in raw["attack_subtypes"].items():
        phrases = spec["phrases"]
        rx = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b",
                        re.IGNORECASE) if phrases else None
        subtypes[name] = (frozenset(spec["lemmas"]), rx)
    rec = raw["reconciliation_phrases"]
    all_phrases = [p for spec in raw["attack_subtypes"].values() for p in spec["phrases"]]
    return {
        "all_attack_lemmas": frozenset(l for spec in raw["attack_subtypes"].values() for l in spec["lemmas"]),
        "any_phrase_re": re.compile(r"\b(?:" + "|".join(re.escape(p) for p in all_phrases) + r")\b", re.IGNORECASE),
        "subtypes": subtypes,
        "attack_verbs": frozenset(raw["attack_verbs"]),
        "cf_nouns": frozenset(raw["ceasefire_nouns"]),
        "cf_declared": frozenset(raw["ceasefire_declared_verbs"]),
        "cf_violated": frozenset(raw["ceasefire_violated_verbs"]),
        "cf_violated_nouns": frozenset(raw["ceasefire_violated_nouns"]),
        "cf_intransitive": frozenset(raw["ceasefire_violated_intransitive"]),
        "rec_re": re.compile(r"\b(?:" + "|".join(re.escape(p) for p in rec) + r")\b", re.IGNORECASE),
        "rec_lemmas": frozenset(raw["reconciliation_lemmas"]),
    }


# (event, time key, focus span, trigger token); offsets in ``doc.text``.
Incident = tuple[model.Event, float, tuple[int, int], Token]


def _token_at(sent: Span, char: int) -> Token | None:
    for t in sent:
        if t.idx <= char < t.idx + len(t.text):
            return t
    return None


def _novelty(tok: Token, mod: Modality, published: str | None) -> str:
    if mod.historical or mod.modality == HISTORICAL or is_far_past(tok, published):
        return "background"
    return "new"


def _deal_reached(tok: Token, mod: Modality) -> Modality:
    """Modality of a surrender or reconciliation deal that a party "agreed" or "accepted".

    Agreeing to hand over weapons is the deal itself, already made: the fact is the agreement, so
    it takes the agreeing verb's own modality ("agreed" asserted, "officials said they agreed"
    reported, "will agree" planned, "may accept" conditional). A deal only expected, proposed or
    scheduled keeps its planned reading (those cues are not commitments).
    """
    if mod.modality != PLANNED or not mod.commitment or not mod.cue:
        return mod
    commits = lexicon_modality()["commit_verbs"]
    for a in tok.ancestors:
        if a.text == mod.cue and a.lemma_.lower() in commits:
            own = assess(a)
            return Modality(own.modality, own.cue, True, own.historical or mod.historical)
    return mod


def _event(doc: Doc, sent: Span, tok: Token, type_: str, subtype: str | None,
           confidence: float) -> tuple[model.Event, float, tuple[int, int], Token]:
    mod = assess(tok)
    if type_ == "surrender_or_reconciliation":
        mod = _deal_reached(tok, mod)
    ev = model.Event(
        article_id="",
        type=type_,
        subtype=subtype,
        evidence=model.Evidence(text=sent.text, start=sent.start_char, end=sent.end_char),
        modality=mod.modality,
        novelty=_novelty(tok, mod, doc._.cw_published),
        confidence=confidence,
    )
    return ev, float(tok.idx), focus_span(tok), tok


def _attacks(doc: Doc, sent: Span, lex: dict) -> list[Incident]:
    out = []
    toks = [(t, t.lemma_.lower()) for t in sent]
    lemmas = {lem for _, lem in toks}
    if not (lemmas & lex["all_attack_lemmas"]) and not lex["any_phrase_re"].search(sent.text):
        return out
    has_attack_verb = bool(lemmas & lex["attack_verbs"])
    text = sent.text
    for subtype, (lems, rx) in lex["subtypes"].items():
        tok = None
        if rx is not None:
            m = rx.search(text)
            if m:
                tok = _token_at(sent, sent.start_char + m.start())
        if tok is None and lemmas & lems:
            for t, lem in toks:
                if lem in lems and t.pos_ in ("NOUN", "VERB", "PROPN"):
                    if lem in _VEHICLE_WORDS and not has_attack_verb:
                        continue
                    tok = t
                    break
        if tok is not None and _stopped(tok):
            tok = None
        if tok is not None:
            out.append(_event(doc, sent, tok, "attack", subtype, 0.6))
    # The most specific means wins: barrel bombs are dropped from the air, and "bombed" by warplanes
    # is an air strike, not a planted bomb.
    found = {item[0].subtype for item in out}
    drop = set()
    if "barrel_bomb" in found:
        drop |= {"air_strike", "bombing"}
    if found & {"air_strike", "missile"}:
        drop.add("bombing")
    return [item for item in out if item[0].subtype not in drop]


def _ceasefire(doc: Doc, sent: Span, lex: dict) -> list[Incident]:
    out = []
    # "ceasefire talks broke down": the word names what the talks are about; the verb's fact is the
    # talks' (talks.py), not the truce's.
    nouns = [t for t in sent if (t.lemma_.lower() in lex["cf_nouns"] or t.lower_ in lex["cf_nouns"])
             and not (t.dep_ in ("compound", "amod", "nmod") and is_anchor(t.head))]
    def is_kind(t: Token, kind: str) -> bool:
        verbs = lex["cf_violated"] | lex["cf_violated_nouns"] if kind == "ceasefire_violated" else lex["cf_declared"]
        hit = t.lemma_.lower() in verbs or (kind == "ceasefire_violated" and _phrasal_collapse(t))
        if hit and kind == "ceasefire_declared" and t.lemma_.lower() in _LIGHT_VERBS:
            # "took effect", "came into force": the light verb needs its effect noun; "the strikes
            # came despite a truce" declares nothing.
            args = [c for c in t.children] + [g for c in t.children if c.dep_ == "prep" for g in c.children]
            hit = any(x.lower_ in ("effect", "force", "hold") for x in args)
        return hit

    def about_truce(t: Token, kind: str = "") -> bool:
        if t.pos_ in ("NOUN", "PROPN"):
            # A violation noun with its own "of" object names what ended: "by the end of the week".
            of = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.subtree]
            if of and not any(g.i in {n.i for n in nouns} for g in of):
                return False
        if any(_linked(t, n, change=True) for n in nouns if n.i != t.i):
            return True
        # "took effect at dawn but was violated within hours": a coordinated verb shares the truce subject.
        if _shares_subject(t, nouns):
            return True
        # "took effect on Sunday, but it collapsed within hours"
        return kind == "ceasefire_violated" and t.pos_ in ("VERB", "AUX") and _pronoun_truce(t, lex)

    if not nouns:
        # "A truce was agreed on Sunday. It was violated on Wednesday": a pronoun for the truce.
        for t in sent:
            if is_kind(t, "ceasefire_violated") and t.pos_ in ("VERB", "AUX") and _pronoun_truce(t, lex):
                return [_event(doc, sent, t, "ceasefire_violated", None, 0.5)]
        return out
    for kind in ("ceasefire_violated", "ceasefire_declared"):
        for t in sent:
            if is_kind(t, kind) and about_truce(t, kind):
                out.append(_event(doc, sent, t, kind, None, 0.6))
                if kind == "ceasefire_violated":
                    # Declared and broken in one breath ("took effect ... but was violated"): both are
                    # news. A declaration that only qualifies the truce ("agreed in January") is not.
                    first = t.head if t.dep_ == "conj" else None
                    if first is not None and is_kind(first, "ceasefire_declared") and about_truce(first):
                        out.insert(len(out) - 1, _event(doc, sent, first, "ceasefire_declared", None, 0.6))
                break
        if out:
            break  # a violated ceasefire sentence also mentions its declaration; keep the violation
    return out


def _pronoun_truce(t: Token, lex: dict) -> bool:
    """An it/they subject of a violation verb that stands for a truce (the nearest candidate noun).

    Passive ("it was violated") or an intransitive verb without object ("it collapsed"); an active
    "they violated ..." has the violators as subject, and its object pronoun ("they violated it",
    "militiamen broke it") is what may stand for the truce."""
    subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("it", "they")), None)
    obj = object_pronoun(t)
    if obj is not None:
        ante = pronoun_antecedent(obj, animate_ok=False)
    elif subj is None:
        return False
    elif subj.dep_ == "nsubj" and (t.lemma_.lower() not in lex["cf_intransitive"]
                                   or any(c.dep_ == "dobj" for c in t.children)):
        return False
    else:
        ante = pronoun_antecedent(subj, animate_ok=subj.dep_ == "nsubj")
    if ante is None:
        return False
    # "the ceasefire agreement": the truce word may be the phrase's modifier.
    return any(x.lemma_.lower() in lex["cf_nouns"] or x.lower_ in lex["cf_nouns"]
               for x in [ante, *(c for c in ante.children if c.dep_ in ("compound", "amod"))])


def _shares_subject(t: Token, nouns: list[Token]) -> bool:
    if t.dep_ != "conj" or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
        return False
    first = t.head
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.i in {n.i for n in nouns} for c in first.children)


_LIGHT_VERBS = frozenset({"come", "take"})
_STOP_LEMMAS = frozenset({"halt", "stop", "end", "cease", "suspend", "pause", "cessation"})


def _stopped(tok: Token) -> bool:
    """"a pledge to halt the bombardment", "an end to the shelling": the attack is what is to stop."""
    while tok.dep_ in ("compound", "amod") and tok.head.i != tok.i:
        tok = tok.head   # a phrase match starts at its modifier ("air" of "air strikes")
    if tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in _STOP_LEMMAS:
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in ("to", "of") and tok.head.head.lemma_.lower() in _STOP_LEMMAS


def _phrasal_collapse(t: Token) -> bool:
    """"fell apart", "broke down", "fell through": the phrasal verbs that end talks end truces too."""
    particles = talks_lexicon()["collapse_phrasal"].get(t.lemma_.lower())
    return bool(particles) and any(c.dep_ in ("prt", "advmod", "prep") and c.lower_ in particles for c in t.children)


def _reconciliation(doc: Doc, sent: Span, lex: dict) -> list[Incident]:
    m = lex["rec_re"].search(sent.text)
    tok = _token_at(sent, sent.start_char + m.start()) if m else None
    if tok is None:
        for t in sent:
            if t.lemma_.lower() in lex["rec_lemmas"] and t.pos_ in ("NOUN", "VERB"):
                tok = t
                break
    return [_event(doc, sent, tok, "surrender_or_reconciliation", None, 0.5)] if tok is not None else []


def find_incidents(doc: Doc) -> list[Incident]:
    lex = lexicon()
    out: list[Incident] = []
    for sent in list(doc.sents):
        out += _attacks(doc, sent, lex)
        out += _ceasefire(doc, sent, lex)
        out += _reconciliation(doc, sent, lex)
    return out


def events_of(doc: Doc) -> list[Incident]:
    return list(doc._.cw_incidents or [])


class IncidentsComponent:
    """Sets ``doc._.cw_incidents`` to (Event, time key, focus span, trigger token) with offsets in ``doc.text``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.cw_incidents = find_incidents(doc)
        return doc


@Language.factory("cw_incidents")
def make_incidents(nlp: Language, name: str) -> IncidentsComponent:
    return IncidentsComponent(nlp, name)
