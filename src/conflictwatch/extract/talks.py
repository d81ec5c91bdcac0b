"""Talks events: collapsed / resumed / held / planned / rejected.

A trigger (a lemma from patterns/talks.json such as "suspend", "walk out",
"resumption", "return ... to") counts only when the dependency tree links it to
a talks anchor ("talks", "negotiations", "the negotiating table", "a new
round") through argument relations, never across a clause boundary: in
"fighting resumed after the talks failed" the word "resumed" is not linked to
"talks". Modality comes from modality.py; novelty (new vs background) from
tense, "since" clauses and far-past time expressions.

One fact, one event: a collapse word in the reason or time clause of a collapse
("collapsed after the sides failed to agree") and a meeting word about the talks
that collapse in the same sentence ("the negotiations, hosted by X, broke down")
restate that collapse and are dropped. Across sentences the pipeline drops a
later collapse or resumption that retells an earlier one (same day or undated,
no change the other way between them, no "again"). Two mentions that carry the same
date of their own are one moment: a change the other way dated otherwise is not
between them, wherever the text tells it.

An "it"/"they" subject of an intransitive collapse ("The negotiations opened on Monday.
They broke down on Wednesday.") stands for the talks when they are the nearest agreeing
noun phrase of its own or the previous sentence (``pronoun_antecedent``; incidents.py uses
it for truces). A nearer noun of another kind blocks the reading: precision first.

Talks that are not about an armed conflict (trade, labour, sport, ...) are
dropped, judged first by the anchor's own modifiers ("trade talks") and then
by the article's vocabulary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import model
from .modality import ASSERTED, CONDITIONAL, HISTORICAL, NEGATED, PLANNED, REPORTED, Modality, announced_return, assess, is_far_past

COLLAPSED, RESUMED, HELD, PLANNED_T, REJECTED = (
    "talks_collapsed", "talks_resumed", "talks_held", "talks_planned", "talks_rejected",
)

# Relations a trigger may use to reach its anchor; clause relations are excluded on purpose.
_LINK_DEPS = {
    "nsubj", "nsubjpass", "dobj", "pobj", "prep", "compound", "amod", "poss", "agent", "dative",
    "attr", "npadvmod", "prt", "nmod", "appos", "advmod", "acl", "oprd", "pcomp",
}
_MAX_LINK = 4

if not Doc.has_extension("cw_talks"):
    Doc.set_extension("cw_talks", default=None)
if not Doc.has_extension("cw_published"):
    # ISO date (YYYY-MM-DD) of the article, set by the pipeline before the components run.
    Doc.set_extension("cw_published", default=None)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    raw = json.loads(resources.files("conflictwatch.extract").joinpath("patterns/talks.json").read_text("utf-8"))
    out: dict = {}
    for k, v in raw.items():
        if k.startswith("_"):
            continue
        if isinstance(v, list):
            out[k] = frozenset(v)
        elif isinstance(v, dict):
            out[k] = {kk: frozenset(vv) for kk, vv in v.items()}
    out["_context_re"] = _phrase_re(raw["conflict_context"])
    out["_noncontext_re"] = _phrase_re(raw["nonconflict_context"])
    out["_continuing_re"] = _phrase_re(raw["continuing_cues"])
    out["_recess_re"] = _phrase_re(raw["recess_cues"])
    # Every lemma that can start a trigger: a cheap pre-filter before the tree checks.
    trig = set()
    for k in ("collapse_verbs", "collapse_leave_verbs", "collapse_nouns", "end_verbs", "resume_verbs",
              "resume_return_verbs", "resume_nouns", "held_verbs", "planned_verbs", "planned_nouns",
              "rejected_verbs", "hold_nouns"):
        trig |= set(raw[k])
    trig |= set(raw["collapse_phrasal"]) | {"round", "meet", "due", "set", "slated", "back", "recall"}
    trig |= {w.split()[-1].split("-")[-1] for w in raw["dead_end_objects"]} | {"chance"} | set(raw["pause_nouns"])
    out["_trigger_lemmas"] = frozenset(trig)
    return out


def _phrase_re(phrases: list[str]) -> re.Pattern:
    alts = sorted((re.escape(p) for p in phrases), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


# --- anchors and links ---------------------------------------------------------------------------

def _lem(tok: Token) -> str:
    lem = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        trig = lexicon()["_trigger_lemmas"]
        if lem not in trig:
            # The lemmatizer misses rarer verbs ("relaunched" -> "relaunche"): try the usual suffixes.
            low = tok.lower_
            for suffix, add in (("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("es", ""), ("s", "")):
                if low.endswith(suffix) and low[: -len(suffix)] + add in trig:
                    return low[: -len(suffix)] + add
    return lem


def is_anchor(tok: Token, lex: dict | None = None) -> bool:
    lex = lex or lexicon()
    if tok.pos_ not in ("NOUN", "PROPN"):
        # The small model sometimes tags "talks" in "the ceasefire talks" as a verb.
        # So does "that talks with X would resume", but then the parser still makes it an argument.
        return tok.lower_ in ("talks", "negotiations") and tok.i > 0 and (
            tok.doc[tok.i - 1].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "PRON")
            or tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"))
    lem, low = _lem(tok), tok.lower_
    if lem == "talk":
        # Singular "talk" ("talk of a collapse") is chatter, not negotiations, unless it is a "peace talk".
        return low == "talks" or any(c.dep_ == "compound" and _lem(c) in lex["conflict_modifiers"] for c in tok.children)
    if lem in lex["anchor_strong"] or low in lex["anchor_strong"]:
        return True
    needs = lex["anchor_weak_needs_modifier"].get(lem)
    if needs:
        mods = {_lem(c) for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "poss", "prep")}
        mods |= {_lem(g) for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"}
        return bool(mods & (needs | lex["conflict_modifiers"]))
    return False


def _path(a: Token, b: Token) -> list[Token] | None:
    """Tokens on the tree path from a to b (both included), or None if in different trees."""
    up_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(up_a)}
    down: list[Token] = []
    for t in [b, *b.ancestors]:
        if t.i in index:
            return up_a[: index[t.i] + 1] + list(reversed(down))
        down.append(t)
    return None


def _linked(trigger: Token, anchor: Token, *, change: bool = False) -> bool:
    """``change``: the trigger states a change of state (collapse, resumption, truce broken or made)."""
    path = _path(trigger, anchor)
    if path is None or len(path) - 1 > _MAX_LINK:
        return False
    # Every edge on the path is (child, head); the child's relation must be an argument relation.
    for x, y in zip(path, path[1:]):
        child = x if x.head.i == y.i else y
        if child.dep_ not in _LINK_DEPS:
            return False
    if not change:
        return True   # "rejected the offer of talks" rejects the talks
    # A noun of effort between them takes the verb's fact: "a bid to broker a truce collapsed" ends
    # the bid, "efforts to revive the talks failed" leaves the talks where they were.
    efforts = _effort_nouns()
    return not any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in efforts for t in path[1:-1])


@lru_cache(maxsize=1)
def _effort_nouns() -> frozenset[str]:
    from .modality import lexicon as modality_lexicon
    return modality_lexicon()["effort_nouns"]


def _near_anchor(trigger: Token, lex: dict) -> Token | None:
    """Fallback when the parse is broken: an anchor a few words after the trigger with no verb between.

    "suspended its participation in the ceasefire talks" where the tagger took
    "talks" for a verb and the parser hung it elsewhere.
    """
    doc = trigger.doc
    end = min(trigger.sent.end, trigger.i + 8)
    for j in range(trigger.i + 1, end):
        t = doc[j]
        if is_anchor(t, lex):
            return t
        if t.pos_ in ("VERB", "AUX") or t.text in (",", ";", ":", "--", "—") or t.dep_ == "mark":
            return None
    return None


def find_anchor(trigger: Token, lex: dict | None = None, *, change: bool = False) -> Token | None:
    lex = lex or lexicon()
    best = None
    for tok in trigger.sent:
        if tok.i == trigger.i or not is_anchor(tok, lex):
            continue
        if _linked(trigger, tok, change=change):
            path = _path(trigger, tok)
            if best is None or len(path) < best[0]:
                best = (len(path), tok)
    if best:
        return best[1]
    # "resumed on Monday but were suspended that night": a conjoined verb shares the first verb's subject.
    if trigger.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children):
        for c in trigger.head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and is_anchor(c, lex):
                return c
    return None


# --- pronouns -------------------------------------------------------------------------------------

_NON_REFERRING_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
_REFERRING_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "ROOT", "dative"})


_LOCATIVE_PREPS = frozenset({"in", "at", "near", "across", "around", "outside", "inside", "throughout", "along"})


def _previous_sentence(sent: Span) -> Span | None:
    """The sentence before ``sent`` when it is also the one before it in the article.

    The pipeline parses a selection of sentences; where it skipped some, the parsed
    neighbour is not what a pronoun looks back to (``doc.user_data["segment_starts"]``)."""
    doc = sent.doc
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    gaps = doc.user_data.get("segment_starts") or ()
    if any(prev.end_char <= g <= sent.start_char for g in gaps):
        return None
    return prev


def _animate(tok: Token) -> bool:
    return tok.ent_type_ in ("PERSON", "NORP", "ORG", "GPE") or tok.lemma_.lower() in _actor_nouns() \
        or _lem(tok) in lexicon()["party_nouns"]


def pronoun_antecedent(pron: Token, *, animate_ok: bool = True) -> Token | None:
    """The noun an "it"/"they" subject or "it"/"them" object refers to: the nearest agreeing noun phrase before it.

    Looks back over its own sentence and the one before. Candidates are the heads of noun
    phrases in argument positions, agreeing in number; dates, figures, light-verb objects
    ("took effect") and nouns inside another candidate's phrase ("a truce brokered by Russia")
    are not. ``animate_ok`` False: the verb needs a thing ("it was violated"), so actors are
    passed over. The caller decides whether the nearest one is of the class it wants: a nearer
    noun of another class blocks the reading.
    """
    low = pron.lower_
    if low not in ("it", "they", "them"):
        return None
    plural = low != "it"
    sent = pron.sent
    prev = _previous_sentence(sent)
    toks = ([t for t in prev] if prev is not None else []) + [t for t in sent if t.i < pron.i]
    skip = lexicon()["pronoun_skip"]
    # An object pronoun never stands for its own clause's subject ("the militia broke it").
    verb = pron.head.head if pron.dep_ == "pobj" and pron.head.dep_ in ("prep", "prt") else pron.head
    own_subject = {x.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for x in c.subtree} \
        if pron.dep_ in ("dobj", "pobj") else set()
    cands = [t for t in toks if t.i not in own_subject and _referring(t, plural=plural, animate_ok=animate_ok, skip=skip)]
    ids = {c.i for c in cands}
    top = [c for c in cands if not any(a.i in ids for a in c.ancestors if a.sent == c.sent)]
    return top[-1] if top else None


def _referring(t: Token, *, plural: bool, animate_ok: bool, skip: frozenset[str]) -> bool:
    """A noun phrase head an "it"/"they" of the given number may stand for."""
    if t.pos_ not in ("NOUN", "PROPN") or t.dep_ not in _REFERRING_DEPS:
        return False
    if t.ent_type_ in _NON_REFERRING_ENTS or t.lemma_.lower() in skip or t.lower_ in skip:
        return False
    if (t.tag_ in ("NNS", "NNPS") or t.lower_ in ("talks", "negotiations")) != plural:
        return False
    if not animate_ok and _animate(t):
        return False
    # Where something happened ("took effect in Blue Nile state") is not what broke.
    return not (t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE_PREPS and t.head.head.pos_ in ("VERB", "AUX"))


def object_pronoun(verb: Token) -> Token | None:
    """An "it"/"them" object of a verb ("broke it", "walked out of them"): what the verb acts on."""
    for c in verb.children:
        if c.dep_ == "dobj" and c.lower_ in ("it", "them"):
            return c
        if c.dep_ == "prep" or (c.dep_ == "prt" and c.lower_ == "out"):
            obj = next((g for g in c.children if g.dep_ == "pobj" and g.lower_ in ("it", "them")), None)
            if obj is not None:
                return obj
    return None


def _pronoun_talks(trigger: Token, lex: dict) -> Token | None:
    """"The negotiations opened on Monday. They broke down on Wednesday.": the talks anchor an
    it/they subject of an intransitive collapse stands for, when it is the nearest candidate; an
    object pronoun of a party's collapse verb ("the rebels abandoned them") likewise."""
    subj = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("it", "they")), None)
    if subj is None:
        obj = object_pronoun(trigger)
        ante = pronoun_antecedent(obj, animate_ok=False) if obj is not None else None
        return ante if ante is not None and is_anchor(ante, lex) else None
    if subj.dep_ == "nsubj" and (_lem(trigger) not in lex["collapse_intransitive"]
                                 or any(c.dep_ == "dobj" for c in trigger.children)):
        return None   # "they suspended the talks", "they walked out": a party acts
    ante = pronoun_antecedent(subj, animate_ok=subj.dep_ == "nsubj")
    return ante if ante is not None and is_anchor(ante, lex) else None


def _two_parties(trigger: Token, lex: dict) -> bool:
    """The subject names two sides ("X and Y", "both sides", "the parties"), not one body meeting internally."""
    heads = [trigger] + ([trigger.head] if trigger.dep_ in ("xcomp", "conj") else [])
    for c in (c for h in heads for c in h.children):
        if c.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if any(g.dep_ == "conj" for g in c.children):
            return True
        if _lem(c) in lex["party_nouns"] and c.tag_ == "NNS":
            return True
        if any(g.lower_ in ("both", "two") for g in c.children):
            return True
    return False


def _party_subject(trigger: Token, lex: dict) -> Token | None:
    heads = [trigger]
    if trigger.dep_ in ("xcomp", "conj") and trigger.head.i != trigger.i:
        heads.append(trigger.head)  # "both sides agreed to meet again": the subject sits on "agreed"
    for c in (c for h in heads for c in h.children):
        if c.dep_ in ("nsubj", "nsubjpass") and (_lem(c) in lex["party_nouns"] or any(
                _lem(g) in lex["party_nouns"] for g in c.children if g.dep_ == "compound")):
            return c
    return None


# --- trigger classification ----------------------------------------------------------------------

_NON_PARTY_SUBJECTS = frozenset({"this", "that", "which", "there"})


def _party_subject_of(trigger: Token, anchor: Token | None, lex: dict) -> Token | None:
    """The subject of the trigger's clause (through "agreed to ..."/"go back ...") when it is a
    party (a person, group or a pronoun for them), not the talks themselves; for a headline
    infinitive ("Rebels to resume talks") the actor it hangs on."""
    if trigger.dep_ in ("acl", "relcl") and trigger.head.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children):
        head = trigger.head
        return head if head.lower_ in lex.get("party_words", ()) or head.pos_ == "PROPN" or \
            head.lemma_.lower() in _actor_nouns() else None
    node = trigger
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.dep_ == "nsubjpass" or is_anchor(subj, lex) or subj.lower_ in _NON_PARTY_SUBJECTS:
                return None
            if anchor is not None and anchor.i == subj.i:
                return None
            if subj.lemma_.lower() in lex["resume_nouns"] or _lem(subj) in lex["_trigger_lemmas"]:
                return None
            if subj.lower_ == "it" and (anchor is None or anchor.i not in {t.i for t in trigger.subtree}):
                return None  # "it will resume next week": the talks, not a party
            return subj
        if node.dep_ not in ("xcomp", "conj", "advmod", "prt", "prep") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _actor_nouns() -> frozenset[str]:
    from .modality import lexicon as modality_lexicon
    return frozenset(modality_lexicon().get("actor_nouns", ()))


def _announced(trigger: Token) -> bool:
    """A speech or commitment verb governs the trigger ("the government said the talks would reconvene")."""
    from .modality import lexicon as modality_lexicon
    lx = modality_lexicon()
    for a in trigger.ancestors:
        lem = a.lemma_.lower()
        if lem in lx["report_verbs"] or lem in lx["commit_verbs"]:
            # A go-between telling when talks will resume gives a schedule, not a party's decision.
            return not any(c.dep_ == "nsubj" and _lem(c) in lexicon()["third_party_nouns"] for c in a.children)
    return False


def _particles(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "advmod")}


def _subtree_words(tok: Token, limit: int = 12) -> set[str]:
    return {t.lemma_.lower() for t in tok.subtree if abs(t.i - tok.i) <= limit}


def classify_trigger(tok: Token, lex: dict | None = None) -> str | None:
    """Which talks event a token would express if it were linked to talks."""
    lex = lex or lexicon()
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        return _verb_kind(tok, lex)
    if tok.pos_ in ("NOUN", "PROPN"):
        kind = _noun_kind(tok, lex)
        if kind is not None:
            return kind
    if tok.pos_ == "ADJ" and _lem(tok) in ("due", "set", "slated"):
        return PLANNED_T
    if tok.lower_ == "back" and any(c.dep_ == "prep" and c.lower_ in ("at", "to", "in") for c in tok.children):
        return RESUMED  # "the two sides were back at the table"
    return None


def _verb_kind(tok: Token, lex: dict) -> str | None:
    lem = _lem(tok)
    if lem in ("pull", "recall") and any(c.dep_ == "prep" and c.lower_ == "from" for c in tok.children):
        return COLLAPSED  # "pulled its delegation from the talks"
    if lem in lex["collapse_phrasal"]:
        if _particles(tok) & lex["collapse_phrasal"][lem]:
            return COLLAPSED
        if lem in ("break", "call", "pull", "fall", "walk", "storm", "back"):
            return None
    if lem in lex["collapse_verbs"] or lem in lex["collapse_leave_verbs"]:
        return COLLAPSED
    if lem in lex["end_verbs"] and _subtree_words(tok) & lex["end_failure_words"]:
        return COLLAPSED
    if lem in lex["resume_verbs"]:
        return RESUMED
    if lem in lex["resume_return_verbs"]:
        return _return_kind(tok, lem, lex)
    if lem in lex["rejected_verbs"]:
        return None if lem == "rule" and "out" not in _particles(tok) else REJECTED
    if lem in lex["planned_verbs"]:
        return PLANNED_T
    if lem in lex["again_verbs"] and any(c.lower_ == "again" for c in tok.children):
        return RESUMED  # "agreed to meet again", "sat down again for talks"
    if lem in lex["held_verbs"]:
        return HELD if _held_verb(tok, lem) else None
    return None


def _return_kind(tok: Token, lem: str, lex: dict) -> str | None:
    """"return", "go/come back", "send ... negotiators back": a return to talks when the goal fits."""
    parts = _particles(tok)
    if not (lem == "return" or parts & lex["resume_return_particles"]):
        return None
    if lem == "send" and not any(c.dep_ == "dobj" and _lem(c) in lex["party_nouns"] for c in tok.children):
        return None
    return RESUMED


# Held verbs that need a particle or object to mean a meeting ("take place", "kick off", "sit down").
_HELD_NEEDS = {"take": ("children", "place"), "kick": ("particles", "off"), "sit": ("particles", "down")}


def _held_verb(tok: Token, lem: str) -> bool:
    if lem == "get":
        return bool({"under", "going"} & {c.lower_ for c in tok.subtree})
    need = _HELD_NEEDS.get(lem)
    if need is None:
        return True
    where, word = need
    words = {c.lower_ for c in tok.children} if where == "children" else _particles(tok)
    return word in words


def _noun_kind(tok: Token, lex: dict) -> str | None:
    lem, low = _lem(tok), tok.lower_
    idiom = _idiom_kind(tok, lex)
    if idiom is not None:
        return idiom
    if low in lex["resume_verbs"] and any(c.dep_ == "compound" and is_anchor(c, lex) for c in tok.children):
        return RESUMED    # headline "Peace talks resume in X", the verb tagged as a noun
    if lem in lex["hold_nouns"] and tok.dep_ == "pobj" and tok.head.lower_ == "on":
        if _lem(tok.head.head) in lex["state_verbs"]:
            return None   # "talks remain on hold": a lasting state, no change
        return COLLAPSED  # "talks on hold", "put the negotiations on ice"
    if (lem in lex["reversible_nouns"] or low in lex["reversible_nouns"]) and _reversed(tok, lex):
        return RESUMED    # "ended its boycott of the talks", "the lifting of the suspension"
    if lem in lex["collapse_nouns"] or low in lex["collapse_nouns"]:
        return COLLAPSED
    if lem in lex["resume_nouns"] or low in lex["resume_nouns"]:
        return RESUMED
    if lem in lex["planned_nouns"]:
        return PLANNED_T
    return None


def _idiom_kind(noun: Token, lex: dict) -> str | None:
    """"reached a dead end / an impasse", "gave the talks another chance", "declared a pause"."""
    head, low = noun.head, noun.lower_
    phrase = " ".join(t.lower_ for t in noun.subtree if t.dep_ != "det")
    if head.pos_ not in ("VERB", "AUX") and head.dep_ == "dative":
        head = head.head   # "give the talks another chance", parsed with "chance" under "talks"
    if head.pos_ not in ("VERB", "AUX"):
        return None
    verb = _lem(head)
    if noun.dep_ == "dobj" and verb in lex["dead_end_verbs"] and (phrase in lex["dead_end_objects"] or low in lex["dead_end_objects"]):
        return COLLAPSED
    if noun.dep_ == "dobj" and verb in lex["chance_verbs"] and _lem(noun) == "chance" and \
            any(c.lower_ in lex["chance_modifiers"] for c in noun.children):
        return RESUMED
    if noun.dep_ == "dobj" and verb in lex["pause_declare_verbs"] and _lem(noun) in lex["pause_nouns"]:
        return COLLAPSED
    return None


def _reversed(noun: Token, lex: dict) -> bool:
    """A collapse noun undone by its governor: the object of "end", "lift", "call off" ..., or the
    "of"/"to" phrase of "the lifting", "an end"."""
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX") and _lem(head) in lex["reversal_verbs"]:
        return _lem(head) != "call" or "off" in _particles(head)
    if noun.dep_ == "pobj" and head.lower_ in ("of", "to") and _lem(head.head) in lex["reversal_nouns"]:
        return head.head.pos_ in ("NOUN", "VERB")
    return False


def _bare_table(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("at", "to"):
            for g in c.children:
                if g.dep_ == "pobj" and g.lower_ == "table":
                    return g
    return None


def _purpose_anchor(tok: Token, lex: dict) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("xcomp", "advcl") and c.pos_ in ("VERB", "AUX"):
            for g in c.children:
                if is_anchor(g, lex) and g.dep_ in ("dobj", "pobj", "nsubjpass"):
                    return g
    return None


def _is_return_to_talks(tok: Token, anchor: Token) -> bool:
    """'return' needs the talks as its goal ("return to the table"), not as a place left ("returned from talks")."""
    path = _path(tok, anchor) or []
    preps = {t.lower_ for t in path if t.dep_ == "prep"}
    if "from" in preps:
        return False
    return "to" in preps or "back" in _particles(tok) or anchor.dep_ == "dobj"


def _round_after_break(sent: Span, anchor: Token, lex: dict) -> bool:
    """A round held after a pause or breakdown is a resumption (labelling convention of corpus/README.md)."""
    # The verb that says what happens to these very talks ("the negotiations ... broke down after
    # three days") is their end, not a pause before them.
    own = {a.i for a in anchor.ancestors}
    # A "since" clause tells when the present state began ("since talks resumed after a break,
    # negotiators have been meeting"): its break is not one before these talks; "the first time
    # since talks broke down" measures the gap before them.
    since = set() if any(t.lower_ == "first" for t in sent) else {
        x.i for t in sent if t.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since" for m in t.children)
        for x in t.subtree}
    words = {t.lemma_.lower() for t in sent if t.i not in own and t.i not in since}
    if words & lex["after_break_words"] and ({"after", "since", "following", "end"} & words):
        return True
    mods = {_lem(c) for c in anchor.children} | {_lem(c) for c in anchor.head.children}
    if mods & lex["new_round_modifiers"]:
        return True
    if "first" in words and words & {"since", "year", "month", "decade", "week"}:
        return True  # "the first talks since the breakdown", "for the first time in a decade"
    return False


# --- conflict context ------------------------------------------------------------------------------

def anchor_domain(anchor: Token, lex: dict) -> str | None:
    """'conflict' / 'other' when the anchor's own modifiers say so, else None."""
    mods = {_lem(t) for t in anchor.subtree if t.i < anchor.i and t.dep_ in ("compound", "amod", "nmod", "poss")}
    mods |= {t.lower_ for t in anchor.lefts}
    # Surface neighbours too: a mis-tagged "talks" (verb) loses its compound modifiers in the parse.
    mods |= {anchor.doc[j].lemma_.lower() for j in range(max(anchor.sent.start, anchor.i - 2), anchor.i)}
    for c in anchor.children:  # "talks on trade", "negotiations over the contract", "a round of peace talks"
        if c.dep_ == "prep" and c.lower_ in ("on", "over", "about", "of"):
            mods |= {_lem(t) for t in c.subtree}
    if mods & lex["conflict_modifiers"]:
        return "conflict"
    if mods & lex["nonconflict_modifiers"] or _nonconflict_topic(anchor, lex):
        return "other"
    return None


def _nonconflict_topic(anchor: Token, lex: dict) -> bool:
    """Talks about a nuclear programme or on forming a government ("talks to form a new government",
    "negotiations on Iran's nuclear programme") are not peace talks; a unity or transitional
    government is the outcome of a peace process and stays."""
    words = {_lem(t) for t in anchor.subtree if t.i != anchor.i} | {t.lower_ for t in anchor.subtree}
    if words & lex["nonconflict_topics"]:
        return True
    return bool(words & lex["formation_words"]) and bool(words & lex["formation_objects"]) \
        and not words & lex["formation_conflict_modifiers"]


def article_domain(text: str, lex: dict | None = None) -> tuple[int, int]:
    lex = lex or lexicon()
    return len(lex["_context_re"].findall(text)), len(lex["_noncontext_re"].findall(text))


def conflict_article(conflict: int, other: int) -> bool:
    """Talks without a telling modifier count as conflict talks unless the article's vocabulary says
    otherwise: no word of labour, trade, sport or diplomacy, or conflict words at least as many (and two).

    The article already passed the gate, so it holds conflict vocabulary of some kind."""
    return other == 0 or (conflict >= 2 and conflict >= other)


# --- events ----------------------------------------------------------------------------------------

@dataclass
class TalksHit:
    type: str
    trigger: Token
    anchor: Token | None
    modality: Modality
    novelty: str
    confidence: float
    before: Token | None = None   # another trigger this fact precedes in time ("X ... after Y")


def _novelty(trigger: Token, mod: Modality, published: str | None, anchor: Token | None = None) -> str:
    lex = lexicon()
    if mod.historical or mod.modality == HISTORICAL:
        return "background"
    if is_far_past(trigger, published):
        return "background"
    # "the previous round broke down": the anchor itself is marked as an earlier process.
    if anchor is not None and any(_lem(c) in lex["background_anchor_modifiers"] for c in anchor.children
                                  if c.dep_ in ("amod", "compound")):
        return "background"
    if _long_before(trigger, lex) or _background_phrase(trigger, lex):
        return "background"
    return "new"


def _background_phrase(trigger: Token, lex: dict) -> bool:
    """A change noun in an "after"/"following"/"since" phrase ("resumed after a three-week suspension",
    "the first talks since the breakdown") is the earlier change the fact follows; only a gap of a
    day or hours ("a day after the collapse") leaves it news."""
    if trigger.pos_ not in ("NOUN", "PROPN") or trigger.dep_ != "pobj":
        return False
    prep = trigger.head
    if prep.lower_ not in lex["background_preps"]:
        return False
    measure = {t.lower_ for c in prep.children if c.dep_ == "npadvmod" for t in c.subtree}
    return not _short_gap(measure, lex)


def _short_gap(words: set[str], lex: dict) -> bool:
    """"a day", "hours", "two days": within the 48 hours in which a recalled change is still news."""
    if words & {"hour", "hours"} or ("day" in words and words & {"a", "one"}):
        return True
    return "days" in words and bool(words & {"two", "2"})


def _long_before(trigger: Token, lex: dict) -> bool:
    """The fact sits in an "after"/"since" clause measured in months or years ("ten months after talks broke down")."""
    for cand in [trigger, *trigger.ancestors]:
        marks = [c for c in cand.children if c.dep_ == "mark" and c.lower_ in ("after", "since")]
        if marks:
            measure = [t for c in marks for t in c.subtree] + [t for c in cand.children if c.dep_ == "npadvmod"
                                                               for t in c.subtree]
            measure += [t for c in marks[0].children for t in c.subtree]
            words = {t.lower_ for t in measure}
            if "days" in words and not _short_gap(words, lex):
                return True   # "days after the talks collapsed", "five days after ..."
            return bool(words & lex["long_gap_units"])
        if cand.dep_ in ("ccomp", "relcl", "conj", "parataxis"):
            return False
    return False


@dataclass
class _DocFacts:
    """What every trigger of one article shares: the lexicon, the date, the domain and recess cues."""
    lex: dict
    published: str | None
    conflict_ok: bool
    recess: bool
    doc: Doc
    _has_talks: bool | None = None

    def has_talks(self) -> bool:
        if self._has_talks is None:
            self._has_talks = any(is_anchor(t, self.lex) for t in self.doc)
        return self._has_talks


def _doc_facts(doc: Doc, conflict_context: tuple[int, int] | None) -> _DocFacts:
    lex = lexicon()
    published = doc._.cw_published
    ctx = conflict_context if conflict_context is not None else article_domain(doc.text, lex)
    if not published:
        years = [int(t.text) for t in doc if t.ent_type_ == "DATE" and re.fullmatch(r"(19|20)\d\d", t.text)]
        # No publication date: the latest year the article mentions stands in for "now".
        published = f"{max(years):04d}" if years else None
    return _DocFacts(lex, published, conflict_article(*ctx), bool(lex["_recess_re"].search(doc.text)), doc)


def find_talks(doc: Doc, *, conflict_context: tuple[int, int] | None = None) -> list[TalksHit]:
    facts = _doc_facts(doc, conflict_context)
    lex = facts.lex
    hits: list[TalksHit] = []
    for sent in doc.sents:
        continuing_sent = bool(lex["_continuing_re"].search(sent.text))
        for tok in sent:
            if _lem(tok) not in lex["_trigger_lemmas"] and tok.lower_ not in lex["_trigger_lemmas"]:
                continue
            hit = _hit(tok, sent, facts, continuing_sent)
            if hit is not None:
                hits.append(hit)
    _background_backshifted(hits)
    _link_order(hits)
    return _dedupe(_one_fact(hits))


def _trigger_kind(tok: Token, lex: dict) -> tuple[str | None, bool]:
    """(event type, whether the trigger is itself "a new round of talks")."""
    kind = classify_trigger(tok, lex)
    if kind is None and _lem(tok) == "round" and is_anchor(tok, lex) and \
            {_lem(c) for c in tok.children} & lex["new_round_modifiers"]:
        return RESUMED, True  # "a new round of peace talks" (held after a pause)
    return kind, False


def _hit(tok: Token, sent: Span, facts: _DocFacts, continuing_sent: bool) -> TalksHit | None:
    lex = facts.lex
    kind, new_round = _trigger_kind(tok, lex)
    if kind is None:
        return None
    found = _talks_anchor(tok, kind, new_round, facts)
    if found is None:
        return None
    anchor, confidence = found
    if not _anchor_fits(tok, kind, anchor, lex):
        return None
    domain = anchor_domain(anchor, lex) if is_anchor(anchor, lex) else None
    if domain == "other" or (domain is None and not facts.conflict_ok):
        return None
    mod = assess(tok)
    continuing = continuing_sent or bool(
        {_lem(c) for c in anchor.children if c.dep_ == "amod"} & lex["continuing_modifiers"])
    kind, mod = _settle_kind(tok, kind, anchor, sent, mod, new_round=new_round, continuing=continuing,
                             recess=facts.recess)
    if new_round and classify_trigger(anchor.head, lex) in (COLLAPSED, PLANNED_T, REJECTED, HELD) \
            and anchor.head.i != anchor.i:
        return None  # "boycotted a new round": the verb, not the noun, says what happened to the round
    return TalksHit(kind, tok, anchor, mod, _novelty(tok, mod, facts.published, anchor), confidence)


def _talks_anchor(tok: Token, kind: str, new_round: bool, facts: _DocFacts) -> tuple[Token, float] | None:
    """The talks the trigger is about, with the confidence of the link: the tree link first, then
    the fallbacks for broken parses, pronouns, bare "table"s and parties meeting."""
    lex = facts.lex
    if new_round:
        return tok, 0.85
    anchor = None if is_anchor(tok, lex) else find_anchor(tok, lex, change=kind in (COLLAPSED, RESUMED))
    if anchor is None and kind == RESUMED:
        anchor = _return_anchor(tok, lex, facts)
    if anchor is not None:
        return anchor, 0.85
    weak = _weak_anchor(tok, kind, facts)
    if weak is not None:
        return weak, 0.6
    return None


def _return_anchor(tok: Token, lex: dict, facts: _DocFacts) -> Token | None:
    """"returned to Geneva to continue the talks"; "back at the table" in a story about talks."""
    anchor = _purpose_anchor(tok, lex) if _lem(tok) in lex["resume_return_verbs"] else None
    if anchor is None and (tok.lower_ == "back" or _lem(tok) in lex["resume_return_verbs"]) and facts.has_talks():
        anchor = _bare_table(tok)
    return anchor


def _weak_anchor(tok: Token, kind: str, facts: _DocFacts) -> Token | None:
    lex = facts.lex
    if tok.pos_ in ("VERB", "NOUN") and kind in (COLLAPSED, RESUMED):
        anchor = _near_anchor(tok, lex)
        if anchor is not None:
            return anchor
    if kind == COLLAPSED and tok.pos_ in ("VERB", "AUX"):
        anchor = _pronoun_talks(tok, lex)
        if anchor is not None:
            return anchor
    if kind == RESUMED and _lem(tok) in lex["again_verbs"] and facts.conflict_ok and _two_parties(tok, lex):
        return tok  # "X and Y agreed to meet again": a meeting between parties
    recalled = _recalled_with_blame(tok, kind, lex)
    if recalled is not None:
        return recalled
    party = _party_subject(tok, lex)
    if party is None or kind not in (COLLAPSED, RESUMED, HELD):
        return None
    if kind == HELD and not (party.tag_ == "NNS" or any(g.dep_ == "conj" for g in party.children)):
        return None  # "delegates met": a meeting of the sides; one envoy meeting someone is not talks
    return party


def _recalled_with_blame(tok: Token, kind: str, lex: dict) -> Token | None:
    """"recalled its negotiators from Doha, accusing the other side of stalling": the delegation
    pulled out with blame ends the round; a recall "for consultations" with no blame does not."""
    if kind != COLLAPSED or _lem(tok) not in lex["recall_verbs"]:
        return None
    party = next((c for c in tok.children if c.dep_ == "dobj" and _lem(c) in lex["party_nouns"]), None)
    if party is None:
        return None
    from .modality import lexicon as modality_lexicon
    blame = modality_lexicon()["accuse_verbs"] | modality_lexicon()["accuse_nouns"]
    return party if any(t.lemma_.lower() in blame for t in tok.sent) else None


def _anchor_fits(tok: Token, kind: str, anchor: Token, lex: dict) -> bool:
    """Checks of the trigger-anchor pair that the tree link alone does not make."""
    lem = _lem(tok)
    if kind == RESUMED and lem in lex["resume_return_verbs"] and anchor.i in {t.i for t in tok.subtree} \
            and anchor.dep_ != "nsubj" and not _is_return_to_talks(tok, anchor):
        return False
    if kind == COLLAPSED and lem in lex["collapse_leave_verbs"]:
        words = _subtree_words(tok)
        ended_empty = "without" in words and bool(words & {"agreement", "deal", "accord", "breakthrough"})
        if tok.lemma_.lower() in ("leave", "exit") and anchor.dep_ not in ("dobj", "pobj") and not ended_empty:
            return False  # "left Cairo" is travel; "left Cairo without an agreement" ends the round
    if kind == COLLAPSED and lem == "fail" and anchor.dep_ not in ("nsubj", "nsubjpass") and anchor.head.i != tok.i:
        return False
    if kind == COLLAPSED and lem in lex["recall_verbs"] and anchor.dep_ == "pobj" and anchor.head.lower_ == "for":
        return False  # "recalled for consultations": a purpose at home, not the talks left
    return True


def _settle_kind(tok: Token, kind: str, anchor: Token, sent: Span, mod: Modality, *, new_round: bool,
                 continuing: bool, recess: bool) -> tuple[str, Modality]:
    """Held, resumed or planned, once the round's context and the modality are known."""
    lex = lexicon()
    if kind == HELD and _round_after_break(sent, anchor, lex) and not continuing:
        kind = RESUMED
    if kind == RESUMED and continuing and not new_round:
        kind = HELD
    if kind == RESUMED and mod.modality == PLANNED and (not mod.commitment or recess):
        kind = PLANNED_T  # a schedule, an intention, or the end of an agreed recess
    elif kind == RESUMED and mod.modality == PLANNED and (
            _party_subject_of(tok, anchor, lex) is not None or _announced(tok)):
        # A party announcing or agreeing that it returns to talks is the resumption itself;
        # a bare schedule ("talks will resume next month") stays a plan.
        mod = announced_return(tok, mod)
    return kind, mod


_DAY_WORDS = frozenset({"yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


def _dated_day(tok: Token) -> bool:
    """The fact's own clause names a day before publication (a weekday, "yesterday", a calendar date)."""
    from .modality import _own_clause_tokens  # the clause a date belongs to, as modality reads it
    return any(t.ent_type_ == "DATE" and (t.lower_ in _DAY_WORDS or t.like_num) for t in _own_clause_tokens(tok))


def _background_backshifted(hits: list[TalksHit]) -> None:
    """An undated reported past perfect change before the opposite change dated to a day is background.

    "Talks resumed on Tuesday ... mediators said the talks had collapsed": the collapse is what the
    resumption ended, earlier than a fact that is itself dated before today, so it is no new collapse.
    """
    opposite = {COLLAPSED: RESUMED, RESUMED: COLLAPSED}
    for h in hits:
        if not h.modality.backshifted or h.novelty != "new" or h.type not in opposite:
            continue
        if any(o.type == opposite[h.type] and o.novelty == "new" and not o.modality.backshifted
               and o.modality.modality in (ASSERTED, REPORTED) and _dated_day(o.trigger) for o in hits):
            h.modality = Modality(HISTORICAL, None, False, True)
            h.novelty = "background"


def _link_order(hits: list[TalksHit]) -> None:
    """'resumed Thursday, a day after talks collapsed': the collapse comes first in time."""
    for h in hits:
        x, marker = h.trigger, None
        for cand in [h.trigger, *h.trigger.ancestors]:
            m = {c.lower_ for c in cand.children if c.dep_ == "mark"} & {"after", "before"}
            if m:
                x, marker = cand, m.pop()
                break
            if cand.dep_ == "pobj" and cand.head.lower_ in ("after", "following", "before"):
                x, marker = cand.head, ("before" if cand.head.lower_ == "before" else "after")
                break
            if cand.dep_ in ("ccomp", "relcl", "conj", "parataxis"):
                break
        if marker is None:
            continue
        governor = x.head
        for other in hits:
            if other is h or other.trigger.sent != h.trigger.sent:
                continue
            if other.trigger.i in {t.i for t in governor.subtree} and other.trigger.i not in {t.i for t in x.subtree}:
                if marker == "after":
                    h.before = other.trigger
                else:
                    other.before = h.trigger
                break


_SUBORDINATE_DEPS = frozenset({"advcl", "xcomp", "pcomp", "acl", "relcl", "prep", "pobj", "dobj", "aux", "mark"})


def _dependent_of(tok: Token, head: Token) -> bool:
    """``tok`` sits inside a clause or phrase that depends on ``head`` (not a conjunct of it)."""
    for a in [tok, *tok.ancestors]:
        if a.head.i == head.i and a.i != head.i:
            return a.dep_ != "conj" and a.dep_ != "parataxis"
        if a.dep_ in ("conj", "parataxis", "ccomp") and a.i != tok.i:
            return False
    return False


def _same_talks(a: TalksHit, b: TalksHit) -> bool:
    if a.anchor is None or b.anchor is None:
        return False
    if a.anchor.i == b.anchor.i:
        return True
    # A participle describing the talks ("the negotiations, hosted by X, ...") is inside the anchor's phrase.
    return a.trigger.i in {t.i for t in b.anchor.subtree} or b.trigger.i in {t.i for t in a.anchor.subtree}


def _one_fact(hits: list[TalksHit]) -> list[TalksHit]:
    """Drop hits that restate or describe another hit's fact in the same sentence.

    * A collapse word in the reason or time clause of a collapse ("talks collapsed after the sides
      failed to agree", "... broke down when the rebels walked out") is the same breakdown told twice.
    * A talks-held word about the same talks as a collapse in the sentence ("the negotiations,
      hosted by X, broke down") is the round that collapsed, not a new meeting; unless the text puts
      the two in time order ("met on Monday, a week after the talks collapsed").
    """
    drop: set[int] = set()
    for h in hits:
        for other in hits:
            if other is h or id(other) in drop or other.trigger.sent != h.trigger.sent:
                continue
            if h.type == other.type == COLLAPSED and _dependent_of(h.trigger, other.trigger):
                drop.add(id(h))
                break
            if other.type == COLLAPSED and h.type in (HELD, RESUMED) and _held_word(h) and _same_talks(h, other) \
                    and h.before is not other.trigger and other.before is not h.trigger:
                drop.add(id(h))
                break
    return [h for h in hits if id(h) not in drop]


def _held_word(h: TalksHit) -> bool:
    """The hit comes from a meeting word (hold, host, meet ...), not from a word of resuming."""
    lex = lexicon()
    return _lem(h.trigger) in lex["held_verbs"] and _lem(h.trigger) not in lex["resume_verbs"] \
        and not any(c.lower_ == "again" for c in h.trigger.children)


def _dedupe(hits: list[TalksHit]) -> list[TalksHit]:
    """One event per (sentence, type): several triggers in one sentence describe one fact."""
    seen: dict[tuple[int, str], TalksHit] = {}
    rank = {ASSERTED: 0, REPORTED: 0, PLANNED: 1, HISTORICAL: 2, CONDITIONAL: 3, NEGATED: 3}
    for h in hits:
        key = (h.trigger.sent.start, h.type, h.anchor.i if h.anchor is not None else -1)
        cur = seen.get(key)
        # Keep the weakest reading when triggers of one fact disagree ("threatened to walk out of talks").
        if cur is None or rank[h.modality.modality] > rank[cur.modality.modality]:
            seen[key] = h
    return sorted(seen.values(), key=lambda h: h.trigger.i)


def hit_to_event(h: TalksHit, article_id: str = "") -> model.Event:
    sent = h.trigger.sent
    return model.Event(
        article_id=article_id,
        type=h.type,
        evidence=model.Evidence(text=sent.text, start=sent.start_char, end=sent.end_char),
        modality=h.modality.modality,
        novelty=h.novelty,
        confidence=h.confidence,
    )


class TalksComponent:
    """Sets ``doc._.cw_talks`` to a list of TalksHit (token-level; the pipeline turns them into Events)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.cw_talks = find_talks(doc)
        return doc


@Language.factory("cw_talks")
def make_talks(nlp: Language, name: str) -> TalksComponent:
    return TalksComponent(nlp, name)


def sort_key(h: TalksHit) -> float:
    """Position in time order, by text order corrected for "after"/"before" clauses."""
    if h.before is not None:
        return float(h.before.idx) - 0.5
    return float(h.trigger.idx)
