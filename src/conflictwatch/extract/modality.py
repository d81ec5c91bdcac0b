"""Modality of an event trigger, read from the dependency tree around it.

A trigger word ("collapsed", "resumption", "walked out") states a fact only when
nothing around it weakens it. The cues that do live in two places: directly on
the trigger (negation, modal auxiliaries, "apparent", "practically", a
conditional "if" clause) or on a verb or noun that governs it ("threatened to
walk out", "denied that talks had collapsed", "on the brink of collapse",
"agreed to resume"). We therefore look at the trigger's own children and then
walk up its head chain inside the sentence.

Desire, intention, effort and proposal ("hoped to bring the sides back", "working to
revive", "a bid to restart", "called for talks to resume") make a wished-for change,
never a fact: planned or conditional. Effort verbs count only through the goal they
govern (a to-infinitive, "for"/"towards"), so "worked through the weekend" hedges
nothing. An accusation ("accused the rebels of violating the truce", "blamed the
army for the collapse") is attribution: the accuser is the source, the fact reported.
An end, collapse or resumption said to be near ("the end of the truce was near", "the
collapse of the talks looked imminent / loomed", "talks were near / close to collapse") is
conditional: the predicate, not the noun, carries the hedge. Only such change nouns
qualify, so "talks were held near the border" stays a fact.
Cue verbs are matched with a repaired lemma (``cue_lemma``): the small model
lemmatizes "hoped" as "hop".

A past perfect is background ("the talks, which had collapsed years ago") unless its clause is
dated recent, or it is undated under a speech verb: "officials said troops had violated the
truce" backshifts the source's own past and is the reported fact (``Modality.backshifted``;
talks.py still makes it background before a dated opposite change in the same article).

The result also says how strong a "planned" reading is: a commitment
("agreed to resume", "will resume", "announced it would return") is reported
by analysts as a resumption; a mere schedule or intention is not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

ASSERTED = "asserted"
REPORTED = "reported"
PLANNED = "planned"
CONDITIONAL = "conditional"
NEGATED = "negated"
HISTORICAL = "historical"

# Relations through which a governing word passes its meaning down to the trigger.
# A plain subject does not: "the collapse led to fighting" is not hedged by "lead".
_COMPLEMENT_DEPS = {
    "xcomp", "ccomp", "dobj", "prep", "pobj", "attr", "oprd", "acomp", "nsubjpass",
    "pcomp", "advcl", "conj", "acl", "relcl", "dative", "compound", "amod", "npadvmod", "appos",
}
_CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj", "pcomp"}


@dataclass(frozen=True)
class Modality:
    modality: str
    cue: str | None = None        # the word that decided it
    commitment: bool = False      # planned by an agreement/announcement, not a mere schedule
    historical: bool = False      # past perfect or a "since" clause: background, whatever else applies
    backshifted: bool = False     # an undated past perfect under a speech verb, kept as the reported fact


@lru_cache(maxsize=1)
def lexicon() -> dict:
    raw = json.loads(resources.files("conflictwatch.extract").joinpath("patterns/modality.json").read_text("utf-8"))
    return {k: ({kk: frozenset(vv) for kk, vv in v.items()} if isinstance(v, dict) else frozenset(v))
            for k, v in raw.items() if not k.startswith("_")}


_SUFFIXES = (("ed", "e"), ("ed", ""), ("d", ""), ("ing", "e"), ("ing", ""), ("es", ""), ("s", ""))


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    return frozenset(w for k, v in lexicon().items() for w in v)


def cue_lemma(tok: Token) -> str:
    """The token's lemma, repaired when the lemmatizer gets a cue verb wrong ("hoped" -> "hop").

    A verb whose lemma is no cue of any class but whose inflected form is one with its suffix
    removed takes that cue; other tokens keep spaCy's lemma."""
    lem = tok.lemma_.lower()
    if not tok.tag_.startswith("VB"):
        return lem
    words = _cue_words()
    if lem in words:
        return lem
    low = tok.lower_
    for suffix, add in _SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2 and low[: -len(suffix)] + add in words:
            return low[: -len(suffix)] + add
    return lem


def _infinitive_or_goal(below: Token) -> bool:
    """``below`` is the goal of an effort: a to-infinitive or a for/towards phrase."""
    if below.dep_ in ("xcomp", "advcl", "acl") and any(c.dep_ == "aux" and c.tag_ == "TO" for c in below.children):
        return True
    return below.dep_ == "prep" and below.lower_ in ("for", "toward", "towards")


def _is_past_perfect(tok: Token) -> bool:
    auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
    return "had" in auxes or "'d" in auxes and tok.tag_ == "VBN"


def _speech_complement(verb: Token, lex: dict) -> bool:
    """The clause is what a speech verb says ("said [that] X had ..."), conjoined clauses included."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ccomp" and cue_lemma(verb.head) in lex["report_verbs"]


def _dated(verb: Token, own_toks: list[Token]) -> bool:
    """The clause carries a time of its own, or is timed against another fact ("had collapsed before ...")."""
    for t in own_toks:
        if t.ent_type_ in ("DATE", "TIME") or _YEAR_RE.fullmatch(t.text) or t.lower_ in _MONTHS:
            return True
        if t.lower_ in ("ago", "earlier", "before", "previously", "once", "formerly", "already"):
            return True
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" for m in c.children) for c in verb.children)


def _own_cues(tok: Token, lex: dict, *, under_report: bool) -> tuple[str, str, bool] | None:
    """Cues attached directly to one token of the chain. Returns (modality, cue, commitment)."""
    for c in tok.children:  # negation first: "would not return" is negated, not planned
        if c.dep_ == "neg" or (c.lower_ in ("no", "never") and c.dep_ in ("det", "advmod", "neg")):
            return NEGATED, c.text, False
    for c in tok.children:
        low, lem, dep = c.lower_, c.lemma_.lower(), c.dep_
        if dep == "aux" and low in lex["hedge_modals"]:
            # Sequence of tenses: "said it would return" is a reported plan, not a hedge.
            if low == "would" and under_report:
                return PLANNED, c.text, True
            return CONDITIONAL, c.text, False
        if dep == "aux" and low in lex["future_modals"]:
            return PLANNED, c.text, True
        if dep in ("advmod", "amod", "npadvmod") and (lem in lex["hedge_adverbs"] or low in lex["hedge_adverbs"]):
            return CONDITIONAL, c.text, False
        if dep == "amod" and (lem in lex["hedge_adjectives"] or low in lex["hedge_adjectives"]):
            return CONDITIONAL, c.text, False
        if dep == "mark" and low in lex["condition_marks"]:
            return CONDITIONAL, c.text, False
    return None


def _infinitive(trigger: Token, lex: dict, *, governed: bool) -> list[tuple[str, str, bool]]:
    """A to-infinitive trigger that no verb governs.

    Headline future ("Rebels to resume talks", the infinitive hanging on an
    actor) is an announced plan; an infinitive hanging on another noun
    ("money offered to quit the talks", "efforts to revive talks") states no fact.
    """
    if governed or not any(c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children):
        return []
    head = trigger.head
    if trigger.dep_ == "ROOT":
        return [(PLANNED, "to", True)]
    if trigger.dep_ in ("acl", "relcl", "appos") and head.pos_ in ("NOUN", "PROPN"):
        actorish = head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or \
            head.lower_ in lex["actor_nouns"] or head.lemma_.lower() in lex["actor_nouns"]
        if actorish:
            return [(PLANNED, "to", True)]
        if head.lemma_.lower() in lex["infinitive_plan_nouns"]:
            return [(PLANNED, head.text, False)]
        return [(CONDITIONAL, head.text, False)]
    if trigger.dep_ in ("advcl", "xcomp"):
        return [(PLANNED, "to", False)]  # purpose: "travelled to Doha to resume talks"
    return []


_TIME_MARKS = frozenset({"after", "before", "since", "when", "once", "as"})


def _past_time_clause(tok: Token) -> bool:
    """An adverbial clause in the simple past introduced by a time conjunction ("after talks collapsed")."""
    return tok.dep_ == "advcl" and tok.tag_ in ("VBD", "VBN") and any(
        c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in tok.children)


def announced_return(trigger: Token, mod: Modality) -> Modality:
    """Modality of a party's announced or agreed return to talks: a fact of today, not a schedule.

    "The rebels said they would go back to the negotiations" reports a decision already taken
    (reported when a speech verb governs it, else asserted); the commitment flag is kept.
    """
    lex = lexicon()
    reported = mod.cue if mod.cue and mod.cue.lower() in lex["report_verbs"] else None
    for a in trigger.ancestors:
        if a.lemma_.lower() in lex["report_verbs"]:
            reported = a.text
            break
    return Modality(REPORTED if reported else ASSERTED, reported, True, mod.historical)


def _denial_phrasal(verb: Token, lem: str, lex: dict) -> bool:
    """A phrasal verb of denial ("ruled out a resumption of talks")."""
    parts = lex["denial_phrasal"].get(lem)
    return bool(parts) and any(c.dep_ == "prt" and c.lower_ in parts for c in verb.children)


def _condition_clause(trigger: Token, lex: dict) -> list[tuple[str, str, bool]]:
    """A planned change with a condition clause of its own ("would return to the talks once the
    siege ends", "will resume if the shelling stops") is conditional, not a decision."""
    head = trigger
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    for c in head.children:
        if c.dep_ == "advcl":
            mark = next((m for m in c.children if m.dep_ == "mark" and m.lower_ in lex["condition_clause_marks"]), None)
            if mark is not None:
                return [(CONDITIONAL, mark.text, False)]
    return []


def _pending(verb: Token, below: Token, lex: dict) -> bool:
    """A change said to be near is not a fact: "the end of the truce was near / looked imminent",
    "the collapse of the talks loomed", "talks were near collapse / close to collapse". Only an
    end, collapse or resumption noun makes it so, as subject or after "near"/"close to", because
    "talks were held near the border" is a fact."""
    def change(n: Token) -> bool:
        return n.pos_ in ("NOUN", "PROPN") and cue_lemma(n) in lex["pending_subjects"]

    if below.dep_ in ("nsubj", "nsubjpass") and change(below):
        if cue_lemma(verb) in lex["pending_predicates"] and verb.pos_ == "VERB":
            return True
        return any(c.dep_ in ("acomp", "attr", "oprd", "advmod") and cue_lemma(c) in lex["pending_predicates"]
                   for c in verb.children)
    if below.dep_ not in ("nsubj", "nsubjpass", "prep", "acomp", "pobj"):
        return False
    for c in verb.children:
        if c.dep_ in ("prep", "acomp", "advmod") and c.lower_ in ("near", "close"):
            objs = [g for g in c.subtree if g.dep_ == "pobj"
                    and (g.head.i == c.i or (g.head.lower_ == "to" and g.head.head.i == c.i))]
            if any(change(o) for o in objs):
                return True
    return False


@dataclass
class _Cues:
    """What the walk from the trigger up to the sentence root has found so far."""
    found: list[tuple[str, str, bool]] = field(default_factory=list)
    historical: bool = False
    backshifted: bool = False
    reported: str | None = None

    def report(self, cue: str) -> None:
        self.reported = self.reported or cue


def _chain(trigger: Token) -> list[tuple[Token, Token | None]]:
    """(token, the child below it on the way up) from the trigger to its sentence's root."""
    sent_root = trigger.sent.root
    chain: list[tuple[Token, Token | None]] = [(trigger, None)]
    node = trigger
    while node.head.i != node.i and node.i != sent_root.i:
        chain.append((node.head, node))
        node = node.head
    return chain


def assess(trigger: Token) -> Modality:
    """Modality of the fact that ``trigger`` expresses."""
    lex = lexicon()
    chain = _chain(trigger)
    under_report = any(
        a.lemma_.lower() in lex["report_verbs"] and below is not None and below.dep_ in ("ccomp", "xcomp", "conj", "advcl")
        for a, below in chain[1:]
    )
    cues = _Cues()
    # Cues on the trigger's own clause: everything up to the first clause boundary.
    in_own_clause = True
    # A past fact in a time clause ("a day after the talks collapsed") is not made a plan or a
    # hedge by the clause it dates ("they would return ... a day after the talks collapsed").
    past_time_clause = False
    for a, below in chain:
        if below is not None and below.dep_ in _CLAUSE_DEPS:
            in_own_clause = False
        if below is not None and _past_time_clause(below):
            past_time_clause = True
        _tense_and_adverbs(a, below, in_own_clause, lex, cues)
        rel = below.dep_ if below is not None else None
        own = _own_cue_on_chain(a, below, rel, in_own_clause, past_time_clause, under_report, lex)
        if own is not None:
            cues.found.append(own)
        if below is None:
            continue
        if _pending(a, below, lex):
            cues.found.append((CONDITIONAL, a.text, False))
        if below is trigger and rel in ("advmod", "prt") and trigger.pos_ in ("ADV", "ADP", "PART"):
            # A particle trigger ("were expected back at the table") has its verb as predicate: the
            # verb's class governs it as it would a complement ("expected to return").
            rel = "xcomp"
        if rel not in _COMPLEMENT_DEPS:
            continue
        if past_time_clause and cue_lemma(a) not in lex["report_verbs"]:
            continue
        _governor_cue(a, below, rel, trigger, lex, cues)
    _sentence_cues(trigger, lex, cues)
    return _decide(cues)


def _tense_and_adverbs(a: Token, below: Token | None, in_own_clause: bool, lex: dict, cues: _Cues) -> None:
    """Past perfect, "since", history adverbs and "reportedly" on one token of the chain."""
    if a.tag_ == "VBN" and _is_past_perfect(a) and (below is None or in_own_clause):
        # Narrative past perfect ("earlier in the day they had resumed talks") is still news, and so
        # is an undated one under a speech verb: "officials said troops had violated the truce"
        # backshifts the source's "violated" and reports it.
        own_toks = _own_clause_tokens(a)
        if not any(t.lower_ in lex["recent_time_words"] for t in own_toks):
            if _speech_complement(a, lex) and not _dated(a, own_toks):
                cues.backshifted = True
            else:
                cues.historical = True
    for c in a.children:
        if c.dep_ == "mark" and c.lower_ in lex["history_marks"]:
            cues.historical = True
        if c.dep_ == "advmod" and c.lower_ in lex["history_adverbs"] and (below is None or in_own_clause):
            cues.historical = True
        if c.lower_ in ("reportedly", "allegedly") or (c.lower_ == "according" and c.dep_ == "prep"):
            cues.report(c.text)


def _own_cue_on_chain(a: Token, below: Token | None, rel: str | None, in_own_clause: bool, past_time_clause: bool,
                      under_report: bool, lex: dict) -> tuple[str, str, bool] | None:
    """A modal, negation, hedge or condition mark on one token of the chain, when it reaches the fact."""
    if not (below is None or in_own_clause or rel in ("xcomp", "conj", "advcl", "ccomp")):
        return None
    own = _own_cues(a, lex, under_report=under_report)
    if own is None or below is None:
        return own
    if own[0] == NEGATED and rel not in ("xcomp", "conj") and not in_own_clause:
        return None  # "did not say that talks collapsed" does not negate the collapse
    if own[0] == PLANNED and cue_lemma(a) in lex["report_verbs"]:
        return None  # "will say" does not make a past fact a plan
    if past_time_clause and own[0] in (PLANNED, CONDITIONAL):
        return None
    return own


def _governor_cue(a: Token, below: Token, rel: str, trigger: Token, lex: dict, cues: _Cues) -> None:
    """The class of a word that governs the fact: a denial, hedge, effort, accusation or speech verb."""
    lem = cue_lemma(a)
    noun = a.pos_ in ("NOUN", "PROPN")
    if lem in lex["denial_verbs"] or _denial_phrasal(a, lem, lex) or (
            lem in lex["meaning_verbs"] and any(c.dep_ == "neg" for c in a.children)):
        # "ruled out a resumption"; "the recall does not mean the talks have failed"
        cues.found.append((NEGATED, a.text, False))
    elif lem in lex["hedge_nouns"] and rel in ("prep", "pobj", "compound", "acl"):
        cues.found.append((CONDITIONAL, a.text, False))
    elif noun and lem in lex["effort_nouns"] and rel in ("prep", "pobj", "compound", "acl"):
        # "a bid to revive the talks", "efforts to bring the sides back to the table"
        cues.found.append((PLANNED if lem in lex["infinitive_plan_nouns"] else CONDITIONAL, a.text, False))
    elif lem in lex["accuse_verbs"] and rel in ("prep", "pcomp", "pobj", "ccomp", "xcomp", "dobj"):
        # "accused the rebels of violating the truce": the accuser is the source of the fact.
        cues.report(a.text)
    elif noun and lem in lex["accuse_nouns"] and rel in ("acl", "ccomp", "prep", "appos"):
        cues.report(a.text)
    elif lem in lex["effort_verbs"] and a.pos_ in ("VERB", "AUX") and _infinitive_or_goal(below):
        # "working to bring the parties back", "lobbied for a return to talks"
        cues.found.append((CONDITIONAL, a.text, False))
    else:
        _commitment_cue(a, below, rel, trigger, lem, lex, cues)


def _commitment_cue(a: Token, below: Token, rel: str, trigger: Token, lem: str, lex: dict, cues: _Cues) -> None:
    if lem in lex["commit_verbs"] and rel in ("xcomp", "ccomp", "dobj", "nsubjpass", "prep", "pobj"):
        # "agreed to resume" is a plan; "agreed to a reconciliation deal" is the deal itself.
        future = rel == "xcomp" or (rel in ("prep", "pobj") and trigger.pos_ == "VERB") or any(
            c.lower_ in ("will", "would", "'ll", "to") for c in below.children if c.dep_ == "aux"
        )
        if future:
            cues.found.append((PLANNED, a.text, True))
        elif lem in lex["report_verbs"]:
            cues.report(a.text)
    elif lem in lex["intent_verbs"] and rel in ("xcomp", "ccomp", "dobj", "nsubjpass", "prep", "pobj", "acomp"):
        cues.found.append((PLANNED, a.text, False))
    elif lem in lex["hedge_verbs"] and rel not in ("conj",):
        cues.found.append((CONDITIONAL, a.text, False))
    elif lem in lex["report_verbs"] and rel in ("ccomp", "xcomp", "conj", "advcl", "dobj"):
        cues.report(a.text)
    elif a.pos_ in ("NOUN", "PROPN") and lem in lex["hedge_adjectives"]:
        cues.found.append((CONDITIONAL, a.text, False))


def _sentence_cues(trigger: Token, lex: dict, cues: _Cues) -> None:
    """Cues read off the sentence rather than the chain: denial words, a bare infinitive, a former
    office-holder, and a condition clause on a planned change."""
    # A denial said in so many words ("reports that talks collapsed are false") negates the sentence.
    denial = next((t.text for t in trigger.sent if t.lower_ in lex["denial_words"]), None)
    if denial is not None:
        cues.found.append((NEGATED, denial, False))
    cues.found += _infinitive(trigger, lex, governed=bool(cues.found))
    # An act by a former office-holder is history ("suspended by former President X").
    for c in trigger.children:
        agents = [c] if c.dep_ in ("nsubj", "nsubjpass") else [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "agent" else []
        if any(x.lower_ in lex["former_words"] for a in agents for x in a.subtree if x.i < a.i):
            cues.historical = True
    if any(m == PLANNED for m, _c, _k in cues.found):
        cues.found += _condition_clause(trigger, lex)


def _decide(cues: _Cues) -> Modality:
    # Precedence: the weakest reading wins, because a false alert costs more than a late one.
    for wanted in (NEGATED, CONDITIONAL, PLANNED):
        for mod, cue, commit in cues.found:
            if mod == wanted:
                return Modality(mod, cue, commit, cues.historical)
    if cues.historical:
        return Modality(HISTORICAL, None, False, True)
    if cues.reported:
        return Modality(REPORTED, cues.reported, False, False, cues.backshifted)
    return Modality(ASSERTED, None, False, False, cues.backshifted)


# --- time expressions that push a fact into the background ---------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _own_clause_tokens(head: Token) -> list[Token]:
    """The head's subtree without nested clauses (their dates belong to other facts)."""
    out = []
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in _CLAUSE_DEPS and c.i != head.i:
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def is_far_past(trigger: Token, published: str | None, *, days: int = 45) -> bool:
    """True when the trigger's own clause dates it well before the article (a year, "months ago", ...)."""
    lex = lexicon()
    toks = _date_tokens(trigger)
    text = " ".join(t.lower_ for t in toks)
    if any(w in text for w in lex["history_date_words"]):
        return True
    pub_year, pub_month = _year_month(published)
    for t in toks:
        if t.ent_type_ != "DATE" and not t.like_num and t.lower_ not in _MONTHS:
            continue
        m = _YEAR_RE.fullmatch(t.text)
        if m and pub_year and int(m.group(1)) < pub_year:
            if not _within_months(toks, int(m.group(1)), pub_year, pub_month, days):
                return True
        elif t.lower_ in _MONTHS and t.ent_type_ == "DATE" and pub_month \
                and not any(_YEAR_RE.fullmatch(x.text) for x in toks) and _month_far_back(t, pub_month, days):
            return True
    return False


def _date_tokens(trigger: Token) -> list[Token]:
    """Tokens that may date the trigger's fact: its own clause, a conjoined head's, a noun trigger's verb's."""
    # A noun trigger ("the collapse of talks in 2019") carries its own date; a verb's date hangs on the verb.
    toks = _own_clause_tokens(trigger)
    if trigger.dep_ == "conj" and trigger.head.i != trigger.i:
        # "opened in 2019 and then fell apart": conjoined verbs share the first verb's time.
        toks += _own_clause_tokens(trigger.head)
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.i != trigger.i and trigger.head.pos_ in ("VERB", "AUX"):
        toks += [t for c in trigger.head.children if c.dep_ in ("npadvmod", "prep") and c.i != trigger.i
                 for t in c.subtree if t.ent_type_ == "DATE"]
    # A date that measures a gap ("the first meeting since 2011", "after months of deadlock") is not the fact's date.
    skip: set[int] = set()
    for t in toks:
        if t.dep_ == "prep" and (t.lower_ == "since" or (t.lower_ == "for" and any(x.lower_ == "first" for x in t.subtree))):
            skip.update(x.i for x in t.subtree)
    return [t for t in toks if t.i not in skip]


def _year_month(published: str | None) -> tuple[int | None, int | None]:
    if not published:
        return None, None
    try:
        return int(published[:4]), (int(published[5:7]) if len(published) >= 7 else None)
    except ValueError:
        return None, None


def _within_months(toks: list[Token], year: int, pub_year: int, pub_month: int | None, days: int) -> bool:
    """A last-year date that, with its month, is still within ``days`` of publication ("December 2019" in January)."""
    month = next((_MONTHS[x.lower_] for x in toks if x.lower_ in _MONTHS), None)
    return bool(month and pub_month and (pub_year - year) * 12 + pub_month - month < days / 30)


def _month_far_back(tok: Token, pub_month: int, days: int) -> bool:
    gap = (pub_month - _MONTHS[tok.lower_]) % 12
    # A month just after publication ("will resume ... February 13" in January) lies ahead.
    return gap * 30 > days and gap < 10


def day_rank(trigger: Token) -> int:
    """Within one day: -1 for "earlier"/"morning" facts, +1 for "later"/"night" ones, else 0."""
    lex = lexicon()
    toks = _own_clause_tokens(trigger)
    # "earlier this week", "later this month": a marker measured in a larger unit orders days, not hours.
    words = {t.lower_ for t in toks if not _larger_unit_follows(t)}
    if words & lex["time_early"]:
        return -1
    if words & lex["time_late"]:
        return 1
    return 0


_LARGER_UNITS = frozenset({"week", "weeks", "month", "months", "year", "years", "decade", "decades"})


def _larger_unit_follows(tok: Token) -> bool:
    doc = tok.doc
    return any(t.lower_ in _LARGER_UNITS for t in doc[tok.i + 1: min(tok.i + 4, tok.sent.end)])


def focus_span(trigger: Token) -> tuple[int, int]:
    """Character span (in doc.text) of the clause that states the trigger's fact.

    A noun trigger ("air strikes", "the collapse") hands over to the verb that
    governs it; sub-clauses are left out, so a place named in "a day after
    warplanes struck Saraqib" does not become the place of the collapse.
    """
    head = trigger
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        head = trigger
    toks = _own_clause_tokens(head)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)
