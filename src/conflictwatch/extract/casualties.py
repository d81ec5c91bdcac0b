"""Casualty events (deaths, injuries, displacement) from a parsed spaCy Doc.

Components (factories next to their classes, at the end of this module):

* ``cw_casualties`` sets ``doc._.cw_casualties`` to a list of ``CasualtyEvent``
  (an ``Event`` whose dict form is a plain Event; it carries ``casualty``, a
  ``CasualtyInfo`` the roll-up reads). Evidence offsets are into ``doc.text``.
  It reads ``doc.user_data["article_id"]`` and the publication date from
  ``doc.user_data["published"]`` or ``doc._.cw_published`` (only the year is
  used: to tell background incidents of earlier years).
* ``cw_line_breaks`` (optional, before the parser) starts a sentence after
  every line break, so that a headline without a full stop is not parsed into
  the first sentence.

How a figure becomes an event: for every quantity phrase
(``quantities.find_quantities``) find the noun it counts (the victim), then
the death / injury / displacement word that governs it in the dependency tree
(walking up through prepositions, conjuncts and "were reported killed", or down
into "people killed in ...", "the dead include ...", "the toll rose to N"),
reject counts of means, places, collectives or perpetrators ("in two air
strikes", "one family", "five gunmen killed ..."), classify the victim and
read the clause around the trigger for modality, novelty and attribution.
Victims listed without a figure ("a woman and her two sons died") are summed;
a list that mixes classes is split by class.

Event types and subtypes:

* ``civilian_deaths`` with subtype ``civilians`` (the text calls them
  civilians, residents, villagers, farmers, tourists, children, women,
  protesters ...), ``presumed_civilians`` (unspecified "people", "bodies",
  a bare number, when the sentence names a civilian place hit - a home, school,
  market, shelter, village - or a neighbouring sentence describes the victims
  as civilians, and nothing describes them as combatants) or ``unspecified``
  (no such description: kept apart, low confidence, left out of the roll-up).
* ``combatant_deaths``: soldiers, police, gendarmes, militants, fighters,
  rebels, armed-group members.
* ``injuries`` and ``displacement`` (figures of wounded and of displaced
  or fled people).

Modality: ``negated`` ("no civilians were killed"), ``conditional`` (could /
may / would, "if", "feared", "dead or missing", "killed or wounded"),
``historical`` (an earlier year than the article's), ``reported`` (a source
says so: "according to", "X said", "he said"; ``attribution`` is the source as
written, a pronoun standing for the nearest named speaker of the three
sentences before),
else ``asserted``. Novelty: ``cumulative`` (since ..., so far, in total,
this year, per month, over N days, "victims of the war", a war or conflict
as the killer, war-scale figures), ``background`` (a past year, "previous
attack", "ago", anniversaries), else ``new``.

Roll-up rules (``civilian_deaths_rollup``; they follow the labelling rules of
the shared dev corpus):

* Only new ``civilian_deaths`` that are not negated, conditional or
  historical and not ``unspecified`` count.
* A sub-group inside a total ("including", "among the dead were", "the dead
  include", "five of them", "23 people, among them a baby and two women") is
  not added again; but the civilians' share of an
  unspecified total ("17 people, 11 of them civilians", "9 people including 4
  civilians", "of the 30 dead, 22 were civilians") is the civilian figure.
* Deaths that explain a revised toll in its own sentence ("rose to nine after two wounded died",
  "two died, raising the toll to nine") are inside it: marked as a sub-group, never added.
* What first or initial reports said is ``background`` once the article gives another figure.
* "N people ... mostly civilians" gives the derived range [N // 2 + 1, N]
  with no best figure; "the rest were civilians, mostly women" is no such cue.
* Counted combatants or attackers named inside a total of people ("21 people, including children
  and a soldier", "five people, including the bomber", "57 killed, including nine policemen") are
  taken off it; uncounted ones ("including soldiers") leave the rest unknown.
* A funeral's or burial's dead ("the burial of 26 people killed in ...") are background.
* A ceiling ("nearly 20") never overrules a stated figure on authority alone.
* One figure per sentence; distinct figures in one sentence are separate
  incidents and are added ("two in X, five in Y").
* Across sentences the first figure stands. A later figure replaces it when it
  is an updated toll ("rose to", "climbed to", "raised"), or when it comes from
  a more authoritative source (ministry, UN, hospital ...) and is at least as
  explicitly civilian. Figures that add up exactly to an earlier total are
  its breakdown and are not added. A later figure is another incident, and is
  added, when its sentence (or the one before) says "another", "separate",
  "elsewhere", "meanwhile", or when it is smaller and comes from a different
  kind of attack (shelling after a drone strike).
* The same figure restated as a bound ("killed 11" then "at least 11") keeps
  the bound.
* A headline, repeated title or caption figure (a line without final
  punctuation) is used only when the body gives none.
* Bounds: exact N gives low = high = best = N; "at least / more than N" gives
  [N, None] with best N; "up to N" gives [None, N] with best N; "dozens" gives
  low 24 and no best; a range gives [low, high] and no best (see
  ``quantities``). Sums are taken bound by bound.

The lexicon is the data file ``patterns/casualties.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import ConflictWatchError
from . import death_cause, quantities
from .casualty_lexicon import lemma, lexicon, words
from .victim_status import sentence_civilian_context as _sentence_civilian_context
from .victim_status import battle_context, combatants_in_mixed_list
from .victim_status import victim_class as _victim_class
from .model import Deaths, Event, Evidence, Quantity, make_event_id

__all__ = ["CasualtiesComponent", "CasualtiesError", "LineBreakSentences", "CasualtyInfo", "CasualtyEvent", "extract_casualties", "civilian_deaths_rollup"]

EXTENSION = "cw_casualties"


_lex = lexicon


@dataclass
class CasualtyInfo:
    """What the roll-up needs beyond the Event contract."""
    victim_class: str = "people"        # civilian | combatant | people
    victim_text: str = ""
    subgroup: bool = False
    update: bool = False
    separate: bool = False
    headline: bool = False
    sentence_index: int = 0
    authority: int = 0
    derived: bool = False               # a derived range ("mostly civilians")
    attack: tuple[str, ...] = ()        # kinds of attack named in the sentence (air, shelling, ...)
    class_share: bool = False           # the civilians' share of a total ("17 people, 11 of them civilians")
    anchor_offset: int = 0              # where the figure starts inside the evidence sentence
    recovered: bool = False             # a tally of bodies found or received, often partial


@dataclass
class CasualtyEvent(Event):
    """An Event that carries ``CasualtyInfo`` for the roll-up; its dict form is a plain Event."""
    casualty: CasualtyInfo | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.event_id:
            # Several figures can share one evidence sentence ("two in X, five in Y"): the id also
            # takes the figure's place inside the sentence, so that remapping the evidence to the
            # body and clearing the id (dataclasses.replace(ev, evidence=..., event_id=""))
            # still gives one id per fact, the same on every run.
            rel = self.casualty.anchor_offset if self.casualty is not None else 0
            self.event_id = make_event_id(self.article_id, self.type, f"{self.subtype or ''}#{rel}",
                                          self.evidence.start, self.evidence.end)

    def to_dict(self) -> dict:
        d = super().to_dict()
        d.pop("casualty", None)
        return d


# ---------------------------------------------------------------------------
# Token helpers


_lemma = lemma
_words = words


def _is_person_token(t: Token) -> bool:
    lx = _lex()
    w = _words(t)
    return bool(w & (lx["civilian_nouns"] | lx["combatant_nouns"] | lx["people_nouns"])) or t.ent_type_ == "NORP"


def _children(t: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in t.children if c.dep_ in deps]


def _trigger_type(t: Token) -> str | None:
    """death | injury | displacement if the token itself is such a trigger."""
    lx = _lex()
    lem = _lemma(t)
    if lem in lx["death_verbs"]:
        req = lx["death_verb_requires_object"].get(lem)
        if req is None:
            return "death"
        if lem == "claim":
            return "death" if any(_lemma(c) in req for c in t.children if c.dep_ in ("dobj", "nsubjpass")) else None
        if lem == "gun":
            return "death" if any(_lemma(c) == "down" for c in t.children) else None
    for c in t.children:
        if (lem, _lemma(c)) in lx["phrasal_death"]:
            return "death"
        if c.dep_ == "dobj" and any((lem, _lemma(g)) in lx["phrasal_death"] for g in c.children if g.dep_ == "amod"):
            # "shot dead two farmers": the parser hangs "dead" on the object.
            return "death"
        if c.dep_ == "prep" and _lemma(c) == "to":
            if any((lem, _lemma(g)) in lx["phrasal_death"] for g in c.children):
                return "death"
    if t.pos_ in ("ADJ",) and lem in lx["death_adjectives"]:
        return "death"
    if lem in lx["injury_verbs"] or (t.pos_ != "VERB" and lem in lx["injury_nouns"]):
        return "injury"
    if lem in lx["displacement_verbs"]:
        req = lx["displacement_requires"].get(lem)
        if req is None:
            return "displacement"
        if any(_lemma(x) in req for x in t.subtree):
            return "displacement"
        return None
    if lem in lx["displacement_nouns"]:
        return "displacement"
    return None


def _toll_subject(verb: Token) -> Token | None:
    """The toll noun of "the death toll rose to 19" / "the toll stands at 12"."""
    lx = _lex()
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj") and _lemma(c) in lx["toll_nouns"]:
            mods = {_lemma(x) for x in c.children}
            if _lemma(c) == "toll" or mods & lx["toll_modifiers"] or any(
                _lemma(g) in lx["toll_modifiers"] for x in c.children if x.dep_ == "prep" for g in x.children
            ):
                return c
        if c.dep_ in ("nsubj", "nsubjpass") and _lemma(c) in ("death",):
            return c
        if c.dep_ in ("nsubj", "nsubjpass") and _lemma(c) in lx["toll_nouns"]:
            # "the number of people killed rose to 45", "the number of dead".
            for p in c.children:
                if p.dep_ == "prep" and _lemma(p) == "of":
                    for g in p.children:
                        if _lemma(g) in lx["victim_death_nouns"] or any(
                            x.dep_ in ("acl", "relcl") and _trigger_type(x) == "death" for x in g.children
                        ):
                            return c
    return None


@dataclass
class _Mention:
    kind: str                 # death | injury | displacement
    quantity: Quantity
    victim: Token | None
    trigger: Token
    anchor_start: int         # char offsets of the quantity in doc.text
    anchor_end: int
    victim_class: str = "people"
    subgroup: bool = False
    update: bool = False
    enumeration: bool = False
    class_share: bool = False


def _link(anchor: Token, victim: Token, seg: Span | None = None) -> tuple[str, Token, bool, bool] | None:
    """(kind, trigger, subgroup, update) linking a counted victim to its trigger."""
    lx = _lex()
    subgroup = False
    lo, hi = (seg.start, seg.end) if seg is not None else (0, len(anchor.doc))
    # The victim noun is itself a death word: "12 dead", "15 bodies", "18 fatalities".
    if _lemma(victim) in lx["victim_death_nouns"] and victim.i != anchor.i:
        return "death", victim, False, False
    if victim.i != anchor.i and _lemma(victim) in lx["injury_nouns"]:
        # "left 13 dead and another 24 wounded": the second figure counts the wounded.
        return "injury", victim, False, False
    for c in victim.children:
        # "people killed in the strike", "people who died", "two dead farmers" ("shot dead two farmers").
        if c.dep_ in ("acl", "relcl") and _trigger_type(c):
            return _trigger_type(c), c, False, False  # type: ignore[return-value]
        if c.dep_ in ("amod",) and (_words(c) & lx["death_adjectives"]) and c.i < victim.i:
            head = victim.head
            if head.i != victim.i and _trigger_type(head) == "death":
                return "death", head, False, False
            # "the two killed soldiers", "five dead civilians".
            return "death", c, False, False
    tok = victim
    for _ in range(6):
        if tok.dep_ in ("appos",) and any(c.dep_ == "nummod" for c in tok.head.children):
            subgroup = True
        head = tok.head
        if head.i == tok.i or not lo <= head.i < hi:
            # An arc out of the sentence (a headline run into the first line) links nothing.
            break
        lem = _lemma(head)
        if lem in lx["subgroup_markers"] or (head.dep_ == "prep" and lem in lx["subgroup_markers"]):
            subgroup = True
        tt = _trigger_type(head)
        if tt:
            return tt, head, subgroup, False
        if head.pos_ in ("NOUN", "PROPN") and lem in lx["death_nouns"] and tok.dep_ == "prep" and _lemma(tok) == "of":
            # "the deaths of 5 civilians", "the lives of five residents", "the bodies of 15 villagers".
            return "death", head, subgroup, False
        if head.pos_ in ("VERB", "AUX"):
            toll = _toll_subject(head)
            if toll is not None and tok.dep_ in ("prep", "attr", "dobj", "npadvmod", "nummod", "oprd", "advmod", "acomp"):
                is_update = lem in lx["update_markers"] or any(_lemma(c) in lx["update_markers"] for c in toll.children)
                return "death", head, subgroup, is_update
            # "were reported killed", "were found dead", "left 5 people dead".
            for c in head.children:
                if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp") and c.i != tok.i:
                    tt = _trigger_type(c)
                    if tt:
                        return tt, c, subgroup, False
            # "abducted three farmers and killed them": the victims are the object of the first
            # verb and a pronoun of the coordinated killing verb.
            if tok.dep_ in ("dobj", "nsubjpass") and lem in lx["seize_verbs"]:
                for c in head.children:
                    if c.dep_ == "conj" and _trigger_type(c) == "death" and _pronoun_object(c):
                        return "death", c, subgroup, False
            # "the dead include four children", "among the dead were five children".
            if lem in ("include", "comprise", "be"):
                for c in head.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i and (
                        _lemma(c) in lx["victim_death_nouns"] or _lemma(c) in ("victim", "casualty")
                    ):
                        return "death", head, True, False
                    if c.dep_ == "prep" and _lemma(c) in ("among", "amongst"):
                        for g in c.children:
                            if _lemma(g) in lx["victim_death_nouns"] or any(_trigger_type(x) == "death" for x in g.children):
                                return "death", head, True, False
            if head.dep_ not in ("conj", "xcomp", "aux", "auxpass", "prep") and lem not in ("leave", "find", "be"):
                break
            if head.dep_ == "conj" and tok.dep_ == "dobj":
                break   # "killed 16 farmers and left dozens missing": the object is its own verb's
        tok = head
    return None


def _pronoun_object(verb: Token) -> bool:
    """The verb's victims are a pronoun ("killed them") or left implicit ("were abducted and killed")."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return not objs or all(o.lower_ in ("them", "him", "her") for o in objs)


_VICTIM_PREPS = {"of", "to", "at", "among", "amongst", "including", "include", "like", "as", "between"}


def _plausible_victim(victim: Token, anchor: Token, trig: Token, kind: str) -> bool:
    """Reject numbers that count the means, the place or the perpetrators, not the victims."""
    lx = _lex()
    if kind == "displacement":
        return True
    if victim.dep_ == "pobj" and _lemma(victim.head) not in _VICTIM_PREPS and _lemma(victim) not in lx["victim_death_nouns"]:
        # "killed in two air strikes", "killed by five gunmen".
        return False
    if victim.head.i == trig.i and victim.dep_ == "nsubj" and trig.pos_ == "VERB" \
            and _lemma(trig) not in ("die", "perish") and not any(c.dep_ == "auxpass" for c in trig.children) \
            and any(c.dep_ == "dobj" for c in trig.children):
        # The subject of a transitive "kill" is the killer ("five gunmen killed a shepherd");
        # without an object it is an elided passive ("12 others wounded").
        return False
    if _lemma(victim) in lx["non_person_nouns"]:
        # "killed 15 livestock", "burned 20 huts".
        return False
    if _lemma(victim) in lx["collective_nouns"]:
        # "members of one family": the number counts families, not people.
        return False
    if victim.i == anchor.i or _is_person_token(victim) or _lemma(victim) in lx["victim_death_nouns"]:
        return True
    # An unknown noun counts only as the direct object or passive subject of the trigger.
    return victim.head.i == trig.i and victim.dep_ in ("dobj", "nsubjpass", "nsubj")


def _victim_of(anchor: Token, span: Span) -> tuple[Token, bool] | None:
    """(victim noun, partitive) for the number token ``anchor``."""
    if anchor.dep_ in ("nummod", "quantmod", "amod", "det", "compound") and anchor.head.i not in range(span.start, span.end):
        v = anchor.head
        return v, False
    for c in anchor.children:
        if c.dep_ == "prep" and _lemma(c) == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    partitive = g.pos_ == "PRON" or any(x.dep_ in ("det", "poss") and _lemma(x) in ("the", "those", "these") for x in g.children)
                    return g, partitive
    return anchor, False


_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


def _clause_tokens(trigger: Token, keep: Token | None) -> list[Token]:
    """The trigger's clause: its subtree without embedded clauses that do not hold ``keep``."""
    cut = ("advcl", "ccomp", "relcl", "parataxis", "acl")
    out = []
    stack = [trigger]
    keep_set = set(a.i for a in keep.ancestors) | {keep.i} if keep is not None else set()
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in cut and c.i not in keep_set:
                continue
            stack.append(c)
    # A relative/participial clause ("a war that has killed N", "an average of N civilians killed
    # per month") reads the noun phrase above it, up to its verb.
    if trigger.dep_ in ("relcl", "acl"):
        inside = {t.i for t in trigger.subtree}
        for a in trigger.ancestors:
            if a.pos_ in ("VERB", "AUX"):
                break
            out.append(a)
            # The head noun's own modifiers: "an attack last month that killed ...".
            for c in a.children:
                if c.i not in inside and c.dep_ in ("npadvmod", "amod", "prep", "nummod", "compound"):
                    out.extend(x for x in c.subtree if x.i not in inside)
        out = list({t.i: t for t in out}.values())
    return sorted(out, key=lambda t: t.i)


def _has_phrase(tokens: list[Token], phrases) -> bool:
    text = " " + " ".join(t.text.lower() for t in tokens) + " "
    return any(f" {p} " in text for p in phrases)


def _novelty(m: _Mention, sent: Span, ref_year: int | None, ref_month: int | None = None) -> tuple[str, bool]:
    """(novelty, historical) of a mention."""
    lx = _lex()
    trig = m.trigger
    if _in_aftermath(m):
        return "background", False
    scope = trig
    if trig.pos_ in ("NOUN", "PROPN", "ADJ"):
        # "4,289 deaths in March": the dates and periods hang on the verb that governs the noun.
        for a in trig.ancestors:
            if a.pos_ in ("VERB", "AUX"):
                scope = a
                break
    clause = _clause_tokens(scope, m.victim)
    if m.update or _toll_subject(scope) is not None:
        # A running toll ("the number of dead rose to N since ...") reads the whole sentence.
        clause = list(sent)
    lemmas = {_lemma(t) for t in clause}
    # A running toll "since <date>" is cumulative even when the date is a past year.
    since = "since" in lemmas
    # "killed since the siege began": the clause cut above drops the "since" of an adverbial clause.
    since = since or any(
        c.dep_ == "advcl" and any(g.dep_ == "mark" and _lemma(g) == "since" for g in c.children) for c in scope.children
    )
    # Background: a past year or an explicitly earlier event.
    years = [int(t.text) for t in clause if _YEAR.match(t.text) and t.ent_type_ in ("DATE", "")]
    if not since and ref_year and any(y < ref_year for y in years) and not any(y >= ref_year for y in years):
        return "background", True
    if not since and not years and _earlier_month(clause, ref_month):
        # "In July, a strike on the camp killed 92" in an article of November: an earlier incident.
        return "background", False
    if any(_lemma(t) in ("previous", "earlier", "prior", "last") and t.dep_ == "amod"
           and t.head.pos_ == "NOUN" and t.head.lemma_.lower() not in lx["recent_time_nouns"] for t in clause):
        return "background", False
    # "The attack came a week after militants killed 20 villagers": an earlier incident cited.
    for a in [trig] + list(trig.ancestors)[:4]:
        if _lemma(a) == "after" and a.dep_ in ("mark", "prep") and _lemma(a.head) in ("come", "follow"):
            return "background", False
        if a.dep_ == "dobj" and _lemma(a.head) == "follow":
            # "The bombing follows an attack that killed 30 civilians".
            return "background", False
        if a.dep_ in ("advcl", "pobj", "relcl") and any(c.dep_ == "mark" and _lemma(c) == "after" for c in a.children) \
                and _lemma(a.head) in ("come", "follow"):
            return "background", False
    if "ago" in lemmas or _has_phrase(clause, lx["multiword_background"]):
        return "background", False
    # A killing told inside a clause about an earlier event ("the previous round collapsed after an
    # attack killed 40 civilians") is background too.
    for a in [scope] + list(scope.ancestors)[:4]:
        if a.dep_ in ("advcl", "relcl", "acl", "pcomp") and a.head.pos_ in ("VERB", "AUX"):
            outer = _clause_tokens(a.head, None)
            inner = {x.i for x in a.subtree}
            outer = [x for x in outer if x.i not in inner]
            if any(_lemma(t) in ("previous", "earlier", "prior", "last") and t.dep_ == "amod"
                   and _lemma(t.head) not in lx["recent_time_nouns"] for t in outer) or "ago" in {_lemma(t) for t in outer}:
                return "background", False
    if any(_lemma(t) in ("anniversary", "commemorate", "commemoration", "memorial") for t in sent):
        return "background", True
    # Cumulative: period markers in the clause, a conflict as the killer, or a war-scale figure.
    if since or any(_lemma(t) in lx["cumulative_words"] or t.lower_ in lx["cumulative_words"] for t in clause):
        return "cumulative", False
    for t in clause:
        # "in the first fortnight of this month", "during the past year": period statistics.
        if t.dep_ == "prep" and t.head.pos_ in ("VERB", "AUX") and _lemma(t) in ("in", "during", "over", "throughout", "within") and any(
            _lemma(g) in lx["period_nouns"] for g in t.children if g.dep_ == "pobj"
        ):
            return "cumulative", False
    if _has_phrase(clause, lx["multiword_cumulative"]):
        return "cumulative", False
    for t in sent:
        # "over 11 days", "during the past three months": a count over a period, anywhere in the sentence.
        if t.dep_ == "prep" and t.head.pos_ == "VERB" and _lemma(t) in ("over", "during", "within", "throughout") and any(
            _lemma(g) in lx["period_nouns"] and any(x.dep_ == "nummod" or _lemma(x) in ("past", "last") for x in g.children)
            for g in t.children if g.dep_ == "pobj"
        ):
            return "cumulative", False
        # The parser often reads "over 9 days" as a quantified adverbial ("over" modifying the number).
        if t.dep_ == "npadvmod" and t.head.pos_ == "VERB" and _lemma(t) in lx["period_nouns"] and any(
            x.dep_ == "nummod" and any(q.dep_ == "quantmod" and _lemma(q) in ("over", "during", "within") for q in x.children)
            for x in t.children
        ):
            return "cumulative", False
    for t in sent:
        # "victims of the conflict", "the toll of the war": a war-long count.
        if _lemma(t) in lx["toll_nouns"] | lx["victim_death_nouns"] | {"victim", "casualty"}:
            for c in t.children:
                if c.dep_ == "prep" and _lemma(c) in ("of", "in", "from", "during") and any(
                    _lemma(g) in lx["conflict_nouns"] and g.pos_ == "NOUN" for g in c.children if g.dep_ == "pobj"
                ):
                    return "cumulative", False
    agents = [c for c in trig.children if c.dep_ in ("nsubj",)]
    agents += [g for c in trig.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if trig.dep_ in ("relcl", "acl"):
        agents.append(trig.head)
    if m.kind == "death" and any(_lemma(a) in lx["conflict_nouns"] for a in agents):
        return "cumulative", False
    if m.kind == "death" and (m.quantity.low or m.quantity.best or m.quantity.high or 0) >= lx["historical_scale"]:
        # No single incident in the news kills hundreds of thousands: a war or historical toll.
        return "cumulative", False
    perfect = any(c.dep_ == "aux" and _lemma(c) == "have" for c in trig.children)
    big = (m.quantity.low or m.quantity.best or 0) >= 1000
    if m.kind == "death" and big and (perfect or m.quantity.best is None):
        return "cumulative", False
    if m.kind == "death" and big and any(_lemma(t) in lx["conflict_nouns"] for t in clause):
        return "cumulative", False
    return "new", False


def _in_aftermath(m: _Mention) -> bool:
    """"the burial of 26 people killed in ...", "mourners carried the bodies of 28 people who were
    killed": the victims are those of a funeral, a story told after the attack's own report."""
    if m.victim is None:
        return False
    words = _lex()["aftermath_words"]
    return any(_lemma(a) in words for a in m.victim.ancestors)


def _early_report(m: _Mention) -> bool:
    """The figure is what first reports gave ("initial reports had said six died", "the first
    count put the toll at eleven"): superseded when the article has a figure of its own."""
    lx = _lex()
    for a in [m.trigger, *m.trigger.ancestors][:6]:
        for c in a.children:
            if c.dep_ in ("nsubj", "nsubjpass") and _lemma(c) in lx["report_nouns"] and any(
                    g.dep_ == "amod" and _lemma(g) in lx["early_report_modifiers"] for g in c.children):
                return True
    return False


def _modality_flags(m: _Mention) -> tuple[bool, bool]:
    """(negated, conditional)."""
    lx = _lex()
    trig = m.trigger
    negated = any(c.dep_ == "neg" for c in trig.children)
    if m.victim is not None and any(_lemma(c) in lx["negation_dets"] for c in m.victim.children if c.dep_ == "det"):
        negated = True
    conditional = False
    chain = [trig] + list(trig.ancestors)[:2]
    for t in chain:
        if any(c.dep_ == "aux" and _lemma(c) in lx["hedge_aux"] for c in t.children):
            conditional = True
        if any(c.dep_ == "mark" and _lemma(c) in ("if", "unless", "whether") for c in t.children):
            conditional = True
    for t in list(trig.ancestors)[:3]:
        if _lemma(t) in lx["hedge_verbs"]:
            conditional = True
    # "dead or missing", "killed or wounded": not a death count.
    for c in trig.children:
        if c.dep_ == "conj" and any(_lemma(x) == "or" for x in trig.children if x.dep_ == "cc"):
            if _words(c) & lx["missing_words"] or _trigger_type(c) == "injury":
                conditional = True
    return negated, conditional


def _attribution(trig: Token, sent: Span) -> tuple[str | None, int]:
    lx = _lex()
    best: tuple[str | None, int, int] = (None, 0, 10**6)
    for t in sent:
        text = None
        if _lemma(t) == "according" or (t.dep_ == "prep" and _lemma(t) in ("citing", "quoting")):
            objs = [g for c in t.children for g in ([c] if c.dep_ == "pobj" else c.children) if g.dep_ == "pobj"]
            objs += [c for c in t.children if c.dep_ == "pobj"]
            if objs:
                text = _span_text(objs[0])
        elif t.pos_ == "VERB" and _lemma(t) in lx["report_verbs"]:
            subj = [c for c in t.children if c.dep_ in ("nsubj",) and (c.pos_ != "PRON" or c.tag_ == "PRP")]
            if subj and t.i != trig.i:
                # "he said" attributes the claim as surely as "the governor said"; the pronoun stands
                # for the last named speaker when an earlier sentence names one.
                text = (_speaker_before(sent) or subj[0].text) if subj[0].pos_ == "PRON" else _span_text(subj[0])
        if text:
            dist = abs(t.i - trig.i)
            if trig in t.subtree or t in trig.ancestors:
                dist = 0
            if dist < best[2]:
                best = (text, _authority(text), dist)
    return best[0], best[1]


def _named_speaker(sent: Span) -> str | None:
    """The named source of a sentence ("according to X", "X said"), not a pronoun."""
    lx = _lex()
    for t in sent:
        if _lemma(t) == "according":
            objs = [g for c in t.children for g in c.children if c.lower_ == "to" and g.dep_ == "pobj"]
            if objs:
                return _span_text(objs[0])
        elif t.pos_ == "VERB" and _lemma(t) in lx["report_verbs"]:
            subj = [c for c in t.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
            if subj:
                return _span_text(subj[0])
    return None


def _speaker_before(sent: Span, *, window: int = 3) -> str | None:
    """The nearest named speaker in the few sentences before ``sent`` (what "he said" points back to)."""
    before = [s for s in sent.doc.sents if s.end <= sent.start][-window:]
    for s in reversed(before):
        name = _named_speaker(s)
        if name:
            return name
    return None


def _span_text(t: Token) -> str:
    # Keep the noun phrase short: leave out relative clauses and appositions.
    skip: set[int] = set()
    for c in t.children:
        if c.dep_ in ("relcl", "acl", "appos", "punct"):
            skip |= {x.i for x in c.subtree}
    toks = [x for x in t.subtree if x.i not in skip]
    text = t.doc[toks[0].i: toks[-1].i + 1].text if toks else t.text
    # A live blog's entry time ("11:30 - Civil defence workers") is parsed into the speaker's phrase.
    return _ENTRY_TIME.sub("", text)[:120]


_ENTRY_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|GMT|UTC|local time))?\s*[-–—:|]?\s*", re.IGNORECASE)


def _authority(text: str) -> int:
    lx = _lex()
    low = text.lower()
    score = 0
    for k, v in lx["authority_nouns"].items():
        if re.search(rf"\b{re.escape(k)}\b", low):
            score = max(score, v)
    return score


def _is_headline(sent: Span, index: int, n_sents: int) -> bool:
    """A line of its own without final punctuation: a headline, a repeated title, a caption."""
    if n_sents < 2:
        return False
    txt = sent.text.strip()
    if not txt or txt[-1] in ".!?\"'\u201d\u2019:;)":
        return False
    doc = sent.doc
    ends_line = sent.end >= len(doc) or (doc[sent.end].is_space and "\n" in doc[sent.end].text) \
        or "\n" in doc[sent.end - 1].whitespace_
    return index == 0 or ends_line


def _attack_kinds(sent: Span) -> tuple[str, ...]:
    kinds = _lex()["attack_classes"]
    words: set[str] = set()
    for t in sent:
        words |= _words(t)
    return tuple(sorted(k for k, vs in kinds.items() if words & set(vs)))


# ---------------------------------------------------------------------------
# Extraction


def _enumerations(sent: Span, consumed: set[int]) -> list[_Mention]:
    """Victims listed without a total: "a woman and her two sons died"."""
    lx = _lex()
    out = []
    for trig in sent:
        if _trigger_type(trig) != "death" or trig.pos_ not in ("VERB",):
            continue
        if _lemma(trig) in ("die", "perish"):
            roles: tuple[str, ...] = ("nsubj", "npadvmod", "appos")
        else:
            roles = ("dobj", "nsubjpass", "npadvmod", "appos")
        for arg in trig.children:
            if arg.dep_ not in roles:
                continue
            chain = [arg] + [c for c in arg.subtree if c.dep_ == "conj" and c.head in ([arg] + list(arg.subtree))
                             and all(a.dep_ == "conj" or a.i == arg.i for a in _path_to(c, arg))]
            counts: list[int | None] = []
            any_singular = False
            for item in chain:
                if _lemma(item) in lx["collective_nouns"] or item.pos_ not in ("NOUN", "PROPN"):
                    counts = []
                    break
                if not _is_person_token(item) and not (item.i == arg.i and arg.dep_ in ("dobj", "nsubjpass")):
                    # Outside the lexicon, only the verb's own object is taken for a person
                    # ("killed a shepherd"); a listed noun could be anything.
                    counts = []
                    break
                nums = [c for c in item.children if c.dep_ == "nummod"]
                if nums:
                    qs = quantities.find_quantities(nums[0].text)
                    counts.append(qs[0].quantity.best if qs else None)
                elif item.tag_ in ("NN", "NNP") and any(
                    c.dep_ in ("det", "poss", "nummod") and (_lemma(c) in lx.get("enum_dets", {"a", "an", "one"}) or c.dep_ == "poss")
                    for c in item.children
                ):
                    counts.append(1)
                    any_singular = True
                else:
                    counts.append(None)
            if not counts or not any_singular:
                continue
            q = quantities.enumeration_quantity(counts, sent.doc[min(t.i for t in chain): max(t.i for t in chain) + 1].text)
            if q is None:
                continue
            for item in chain:
                for c in item.children:
                    if c.dep_ == "nummod":
                        consumed.add(c.i)
            # Civilians, combatants and unspecified people in one list are counted apart
            # ("eight fighters and a civilian died").
            by_class: dict[str, list[tuple[Token, int]]] = {}
            for item, n in zip(chain, counts):
                by_class.setdefault(_victim_class(item), []).append((item, n))  # type: ignore[arg-type]
            for vclass, members in by_class.items():
                items = [it for it, _ in members]
                total = sum(n for _, n in members)
                first = min((x for item in items for x in item.subtree if x.i <= item.i), key=lambda t: t.i)
                last = max(items, key=lambda t: t.i)
                qq = Quantity(low=total, high=total, best=total, text=sent.doc[first.i: last.i + 1].text)
                if len(by_class) > 1:
                    qq = replace(qq, text=" and ".join(sent.doc[min(x.i for x in it.subtree if x.i <= it.i): it.i + 1].text for it in items))
                out.append(_Mention("death", qq, items[0], trig, first.idx, last.idx + len(last.text), vclass,
                                    subgroup=_after_subgroup_marker(first), enumeration=True))
    return out


_SUBGROUP_PRONOUNS = frozenset({"them", "whom"})
_SUBGROUP_WORDS = frozenset({"including", "among", "amongst"})


def _list_start(victim: Token) -> Token:
    """First word of the list a victim noun belongs to ("an infant and three old men": "an")."""
    top = victim
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    return min((x for x in top.subtree if x.i <= top.i), key=lambda t: t.i)


def _after_subgroup_marker(first: Token) -> bool:
    """A list that follows "among them", "of whom", "including" after a counted total ("killed 23 people,
    among them a baby and two women") names part of that total, whatever the parser hung it on."""
    doc, sent = first.doc, first.sent
    if first.lower_ in _SUBGROUP_WORDS:
        # The parser hung "among them" on the list itself: the list's first word is the marker.
        return any(t.like_num or _lemma(t) in ("dozen", "dozens", "score", "scores", "hundred", "hundreds")
                   for t in doc[sent.start:first.i])
    i = first.i - 1
    while i >= sent.start and doc[i].is_punct:
        i -= 1
    if i < sent.start:
        return False
    if doc[i].lower_ in _SUBGROUP_PRONOUNS and i - 1 >= sent.start and doc[i - 1].lower_ in _SUBGROUP_WORDS | {"of"}:
        i -= 1
    elif doc[i].lower_ not in _SUBGROUP_WORDS:
        return False
    return any(t.like_num or _lemma(t) in ("dozen", "dozens", "score", "scores", "hundred", "hundreds")
               for t in doc[sent.start:i])


def _path_to(tok: Token, top: Token) -> list[Token]:
    path = []
    t = tok
    while t.i != top.i and t.head.i != t.i:
        path.append(t)
        t = t.head
    return path


def _after_clock(t: Token) -> bool:
    """A number after a clock-time stamp ("14:05 - Two men ...") that the model ran into the
    stamp's DATE/TIME entity: the stamp is the time, the number counts people."""
    if not t.ent_type_ or t.ent_iob_ == "B":
        return False
    k = t.i - 1
    while k >= 0 and t.doc[k].ent_iob_ == "I" and not t.doc[k].like_num:
        k -= 1
    return k >= 0 and k < t.i and bool(re.fullmatch(r"\d{1,2}[:.]\d{2}", t.doc[k].text)) and t.doc[k].ent_type_ == t.ent_type_


def _quantity_mentions(sent: Span, consumed: set[int]) -> list[_Mention]:
    doc = sent.doc
    out = []
    for qm in quantities.find_quantities(sent.text):
        start, end = sent.start_char + qm.start, sent.start_char + qm.end
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if any(t.i in consumed for t in span):
            continue
        if all(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL") and not _after_clock(t) for t in span if t.like_num):
            if any(t.like_num for t in span):
                continue
        anchor = _anchor(span)
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.text.lower() in ("%", "percent", "per", "km", "kilometres", "kilometers", "miles", "years", "year", "days", "hours", "months", "weeks", "am", "pm", "gmt"):
            continue
        found = _victim_of(anchor, span)
        if found is None:
            continue
        victim, partitive = found
        link = _link(anchor, victim, sent)
        if link is None:
            continue
        kind, trig, subgroup, update = link
        if not subgroup and _after_subgroup_marker(_list_start(victim)):
            subgroup = True
        if partitive:
            subgroup = True
        if not _plausible_victim(victim, anchor, trig, kind):
            continue
        share = False
        if kind == "death" and subgroup and _lemma(victim) == "civilian":
            # "nine people, including four civilians": the civilians' share of an unspecified total.
            share = True
        out.append(_Mention(kind, qm.quantity, victim, trig, start, end, _victim_class(victim), subgroup, update,
                            class_share=share))
    return out


def _class_shares(sent: Span, consumed: set[int]) -> list[_Mention]:
    """"17 people, 11 of them civilians"; "of the 30 dead, 22 were civilians"."""
    lx = _lex()
    doc = sent.doc
    out = []
    for qm in quantities.find_quantities(sent.text):
        start, end = sent.start_char + qm.start, sent.start_char + qm.end
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0 or any(t.i in consumed for t in span):
            continue
        anchor = _anchor(span)
        if anchor.dep_ != "nsubj":
            continue
        head = anchor.head
        cls_noun = None
        total = None
        if head.dep_ == "appos" and _victim_class(head) in ("civilian", "combatant") and head.lemma_.lower() in lx["class_share_nouns"]:
            cls_noun, total = head, head.head
        elif _lemma(head) == "be":
            attrs = [c for c in head.children if c.dep_ == "attr" and _lemma(c) in lx["class_share_nouns"]]
            ofs = [g for c in head.children if c.dep_ == "prep" and _lemma(c) in ("of", "among")
                   for g in c.children if g.dep_ == "pobj"]
            if attrs and ofs:
                cls_noun, total = attrs[0], ofs[0]
        if cls_noun is None or total is None:
            continue
        if _lemma(total) in lx["victim_death_nouns"]:
            link: tuple | None = ("death", total, False, False)
        else:
            link = _link(total, total, sent)
        if link is None or link[0] != "death":
            continue
        consumed |= {t.i for t in span}
        out.append(_Mention("death", qm.quantity, cls_noun, link[1], start, end, _victim_class(cls_noun),
                            False, False, class_share=True))
    return out


def _anchor(span: Span) -> Token:
    """The number token of a quantity span ("between 15 and 20" -> 15, not "between")."""
    vague = {w.split()[-1] for w in quantities._lexicon()["vague"]}
    nums = [t for t in span if t.like_num or t.pos_ == "NUM" or t.lower_ in vague or t.lemma_.lower() in ("dozen", "score")]
    if not nums or span.root in nums:
        return span.root
    outside = [t for t in nums if not span.start <= t.head.i < span.end]
    return (outside or nums)[0]


def _later_figure(m: _Mention) -> bool:
    """"officials later said 20 had died", "31 people have now been confirmed dead": a newer toll."""
    for t in [m.trigger] + list(m.trigger.ancestors)[:3]:
        if any(c.dep_ == "advmod" and c.lower_ in _lex()["later_adverbs"] for c in t.children):
            return True
    return False


def _adds_more(m: _Mention) -> bool:
    """"killed 3 more", "another 4 civilians", "an additional 6 bodies": an addition, not a restatement."""
    doc = m.trigger.doc
    span = doc.char_span(m.anchor_start, m.anchor_end, alignment_mode="expand")
    if span is None:
        return False
    near = [doc[i] for i in range(max(0, span.start - 2), min(len(doc), span.end + 1))]
    if m.victim is not None:
        near += list(m.victim.children)
    if m.victim is not None and _lemma(m.victim) in _lex()["recovered_nouns"]:
        # "39 more bodies were recovered": a further tally of the same attack's dead, not another attack.
        return False
    return any(t.lower_ in ("more", "another", "additional", "further") for t in near if t.i not in range(span.start, span.end))


_INCREMENT_MARKS = frozenset({"after", "as", "when", "because", "since", "once", "with"})


def _mention_value(m: _Mention) -> int | None:
    q = m.quantity
    return q.best if q.best is not None else (q.low if q.low is not None else q.high)


def _explains_toll(cause: Token, toll: Token) -> bool:
    """The clause of ``cause`` tells how ``toll``'s figure grew: an "after/as/when ..." clause under
    the toll verb ("rose to nine after two wounded died"), or the toll verb is a bare participle
    under the cause ("two died in hospital, raising the toll to nine")."""
    node = cause
    while node.head.i != node.i and node.head.i != toll.i:
        if node.dep_ in ("conj", "parataxis", "ccomp"):
            break
        node = node.head
    if node.head.i == toll.i and node.i != toll.i and node.dep_ == "advcl":
        marks = {c.lower_ for c in node.children if c.dep_ in ("mark", "advmod")}
        if marks & _INCREMENT_MARKS:
            return True
    return toll.dep_ == "advcl" and toll.head.i == cause.i and toll.tag_ == "VBG" and \
        not any(c.dep_ == "mark" for c in toll.children)


def _clause_verb(t: Token) -> Token:
    """The verb of the clause a trigger word sits in ("four more bodies were pulled ...": "pulled")."""
    node = t
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node if node.pos_ in ("VERB", "AUX") else t


def _mark_increments(mentions: list[_Mention]) -> None:
    """Deaths that explain a revised toll in the same sentence are part of it, not another count.

    "The toll rose to nine after two wounded traders died in hospital": the two are inside the
    nine (like a sub-group); so are "two died in hospital, raising the toll to nine" and "the toll
    rose to 12 as three more bodies were found". A clause that says it is another incident
    ("in a separate clash") or counts another class of victims keeps its own figure.
    """
    lx = _lex()
    tolls = [m for m in mentions if m.kind == "death" and m.trigger.pos_ in ("VERB", "AUX")
             and _toll_subject(m.trigger) is not None]
    for t in tolls:
        total = _mention_value(t)
        if total is None:
            continue
        for m in mentions:
            if m is t or m.kind != "death" or m.subgroup:
                continue
            v = _mention_value(m)
            if v is None or v >= total:
                continue
            if {m.victim_class, t.victim_class} == {"civilian", "combatant"}:
                continue
            inner = _clause_verb(m.trigger)
            if not _explains_toll(inner, t.trigger):
                continue
            victim_words = {x.i for x in m.victim.subtree} if m.victim is not None else set()
            if any(x.lower_ in lx["separate_markers"] and x.i not in victim_words and x.lower_ != "more"
                   for x in m.trigger.subtree):
                continue
            m.subgroup = True


def _separate_marker(sent: Span) -> bool:
    lx = _lex()
    for t in sent:
        w = t.lower_
        if w in lx["separate_markers"]:
            if w == "separate" and t.pos_ != "ADJ":
                continue
            if _lemma(t.head) in lx["source_nouns"]:
                continue   # "another official gave a toll of 10": another source, not another incident
            return True
    return False


def _wrapped(space: Token) -> bool:
    """A single line break between two lower-case words is wrapping inside a sentence."""
    doc = space.doc
    if "\n\n" in space.text.replace(" ", "") or space.i == 0 or space.i + 1 >= len(doc):
        return False
    return doc[space.i - 1].text[-1:].islower() and doc[space.i + 1].text[:1].islower()


def _segments(doc: Doc) -> list[Span]:
    """Sentences, also cut at line breaks: headlines, captions and sidebars are lines of their own,
    and the small model often runs them into the next sentence."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        for t in sent:
            if t.is_space and "\n" in t.text and not _wrapped(t):
                if t.i > start:
                    out.append(doc[start:t.i])
                start = t.i + 1
        if start < sent.end:
            out.append(doc[start:sent.end])
    return [s for s in out if s.text.strip()]


def _ref_month(doc: Doc) -> int | None:
    pub = doc.user_data.get("published") or doc.user_data.get("published_at")
    if not pub and Doc.has_extension("cw_published"):
        pub = doc._.cw_published
    m = re.match(r"\d{4}-(\d{2})", str(pub or ""))
    return int(m.group(1)) if m else None


def _month_number(t: Token) -> int | None:
    if not t.text[:1].isupper():
        return None   # "may" the verb
    return _MONTHS.get(t.text.lower().rstrip("."))


_MONTHS = {name: i % 12 + 1 for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _earlier_month(clause: list[Token], ref_month: int | None) -> bool:
    """The clause dates its fact to a month, with no day, other than the article's own month."""
    if ref_month is None:
        return False
    for t in clause:
        n = _month_number(t)
        if n is None or n == ref_month or any(c.like_num for c in t.children):
            continue
        if t.dep_ == "pobj" and _lemma(t.head) in ("in", "during") or t.dep_ == "npadvmod":
            return True
    return False


def _ref_year(doc: Doc) -> int | None:
    pub = doc.user_data.get("published") or doc.user_data.get("published_at")
    if not pub and Doc.has_extension("cw_published"):
        pub = doc._.cw_published
    if pub:
        m = re.match(r"(\d{4})", str(pub))
        if m:
            return int(m.group(1))
    years = [int(t.text) for t in doc if _YEAR.match(t.text)]
    return max(years) if years else None


_TYPES = {"death": None, "injury": "injuries", "displacement": "displacement"}


class CasualtiesError(ConflictWatchError):
    """The casualties component cannot work on this Doc (no dependency parse)."""


def extract_casualties(doc: Doc) -> list[Event]:
    """Casualty events of a parsed Doc; evidence offsets are into ``doc.text``."""
    if all(t.is_space for t in doc):
        return []
    if not doc.has_annotation("DEP"):
        raise CasualtiesError("cw_casualties needs a dependency parse: add it after the parser")
    lx = _lex()
    article_id = str(doc.user_data.get("article_id", "") or "")
    ref_year = _ref_year(doc)
    ref_month = _ref_month(doc)
    sents = _segments(doc)
    events: list[Event] = []
    early: set[int] = set()
    order = 0
    story = death_cause.story_cause(sents)
    for si, sent in enumerate(sents):
        if death_cause.outside_conflict(sents, si, story):
            continue   # a flood, a crash, an outbreak: no conflict casualties
        consumed: set[int] = set()
        mentions = _enumerations(sent, consumed)
        mentions += _class_shares(sent, consumed)
        mentions += _quantity_mentions(sent, consumed)
        if not mentions:
            continue
        _mark_increments(mentions)
        headline = _is_headline(sent, si, len(sents))
        attack = _attack_kinds(sent)
        separate = _separate_marker(sent) or (si > 0 and _separate_marker(sents[si - 1]))
        sent_update = any(
            _lemma(t) in lx["sentence_update_markers"] and not any(c.dep_ == "aux" and _lemma(c) in lx["hedge_aux"] for c in t.children)
            for t in sent
        ) and any(_lemma(t) in lx["toll_nouns"] or _lemma(t) in lx["victim_death_nouns"] for t in sent)
        for m in sorted(mentions, key=lambda x: x.anchor_start):
            novelty, historical = _novelty(m, sent, ref_year, ref_month)
            negated, conditional = _modality_flags(m)
            attribution, authority = _attribution(m.trigger, sent)
            if negated:
                modality = "negated"
            elif conditional:
                modality = "conditional"
            elif historical:
                modality = "historical"
            elif attribution:
                modality = "reported"
            else:
                modality = "asserted"
            q = m.quantity
            derived = False
            if m.kind == "death":
                vclass = m.victim_class
                if vclass == "civilian":
                    etype, subtype = "civilian_deaths", "civilians"
                elif vclass == "combatant":
                    etype, subtype = "combatant_deaths", None
                else:
                    civ, comb, mostly = _sentence_civilian_context(sents, si, m.victim, m.trigger)
                    inside, named = combatants_in_mixed_list(m.victim) if m.victim is not None else (0, False)
                    if inside and q.best is not None and inside < q.best and not battle_context(sents, si):
                        # The rest of a total once its counted combatants are taken off: civilians
                        # when the list names some, else what the context says; in a battle the
                        # rest may be fighters of the other side.
                        q = _minus(q, inside)
                        civ = named or _sentence_civilian_context(sents, si, None, m.trigger)[0]
                        comb = False
                    if comb:
                        etype, subtype = "combatant_deaths", None
                    elif mostly and q.best is not None:
                        # "mostly civilians": more than half of the figure; the upper end stays as stated.
                        etype, subtype = "civilian_deaths", "presumed_civilians"
                        q = Quantity(low=q.best // 2 + 1, high=q.high, best=None, text=q.text)
                        derived = True
                    elif civ:
                        etype, subtype = "civilian_deaths", "presumed_civilians"
                    else:
                        etype, subtype = "civilian_deaths", "unspecified"
            else:
                etype, subtype = _TYPES[m.kind], None
            confidence = {"civilians": 0.8, "presumed_civilians": 0.6, "unspecified": 0.3}.get(subtype or "", 0.7)
            if headline:
                confidence -= 0.2
            if m.subgroup:
                confidence -= 0.2
            if modality in ("conditional", "negated"):
                confidence -= 0.2
            info = CasualtyInfo(
                victim_class=m.victim_class, victim_text=m.victim.text if m.victim is not None else "",
                subgroup=m.subgroup, update=m.update or (sent_update and m.kind == "death") or _later_figure(m),
                separate=separate or _adds_more(m), headline=headline, sentence_index=si, authority=authority, derived=derived,
                attack=attack, class_share=m.class_share, anchor_offset=m.anchor_start - sent.start_char,
                recovered=m.victim is not None and _lemma(m.victim) in lx["recovered_nouns"],
            )
            ev = CasualtyEvent(
                article_id=article_id, type=etype, subtype=subtype,
                evidence=Evidence(text=sent.text, start=sent.start_char, end=sent.end_char),
                modality=modality, novelty=novelty, quantity=q, confidence=round(max(0.05, confidence), 2),
                attribution=attribution, order=order,
                casualty=info,
            )
            order += 1
            events.append(ev)
            if m.kind == "death" and _early_report(m):
                early.add(id(ev))
    # The article's own toll supersedes what early reports said; with no other figure they stand.
    if early and any(id(e) not in early and e.novelty == "new" and e.type.endswith("deaths") for e in events):
        for e in events:
            if id(e) in early and e.novelty == "new":
                e.novelty = "background"
    return events


# ---------------------------------------------------------------------------
# Roll-up


def _info(e: Event) -> CasualtyInfo:
    info = getattr(e, "casualty", None)
    return info if isinstance(info, CasualtyInfo) else CasualtyInfo()


def is_subgroup_figure(e: Event) -> bool:
    """A figure for part of a total already counted ("including four children"), not a count of its
    own. The civilians' share of an unspecified total ("nine people, including four civilians") is
    the civilian figure itself and is not a sub-group in this sense."""
    info = getattr(e, "casualty", None)
    return isinstance(info, CasualtyInfo) and info.subgroup and not info.class_share


def civilian_deaths_rollup(events: list[Event]) -> Deaths | None:
    """Civilian deaths (low, high, best) of the incident(s) an article newly reports."""
    cands = [
        e for e in events
        if e.type == "civilian_deaths" and e.novelty == "new" and e.quantity is not None
        and e.modality not in ("negated", "conditional", "historical")
        and e.subtype != "unspecified" and (not _info(e).subgroup or _info(e).class_share)
    ]
    if not cands:
        return None
    cands = _net_of_combatants(cands, events)
    # Where a sentence gives the civilians' share of its total, the share is the civilian figure.
    share_sentences = {e.evidence.start for e in cands if _info(e).class_share}
    cands = [e for e in cands if e.evidence.start not in share_sentences or _info(e).class_share]
    body = [e for e in cands if not _info(e).headline]
    if body:
        cands = body
    cands.sort(key=lambda e: (e.evidence.start, e.order))
    # One figure per sentence: distinct figures in one sentence are distinct incidents ("two in X,
    # five in Y"), the same figure repeated is one.
    by_sentence: dict[int, list[Event]] = {}
    for e in cands:
        by_sentence.setdefault(e.evidence.start, [])
        if all(_value(e) != _value(x) for x in by_sentence[e.evidence.start]):
            by_sentence[e.evidence.start].append(e)
    starts = sorted(by_sentence)
    breakdown = _breakdowns([sum(_value(e) for e in by_sentence[k]) for k in starts])
    groups: list[list[Event]] = []
    for k, start in enumerate(starts):
        evs = by_sentence[start]
        if k in breakdown:
            continue
        info = _info(evs[0])
        total = sum(_value(e) for e in evs)
        if not groups:
            groups.append(evs)
            continue
        current = sum(_value(e) for g in groups for e in g)
        if info.update and len(groups) == 1:
            groups[-1] = evs
        elif info.update:
            groups[-1] = evs
        elif info.separate and all(total != _gvalue(g) for g in groups):
            groups.append(evs)
        elif total < current and info.attack and all(
            _info(x).attack and not set(info.attack) & set(_info(x).attack) for g in groups for x in g
        ):
            # A smaller figure from a different kind of attack (shelling after a drone strike)
            # is another incident.
            groups.append(evs)
        elif _info(evs[0]).authority > max(_info(x).authority for g in groups for x in g) and total != current \
                and not (_info(evs[0]).recovered and total < current) and not _upper_only(evs) \
                and len(groups) == 1 and _explicitness(evs[0]) >= max(_explicitness(x) for x in groups[0]):
            # Conflicting figures for one incident: the more authoritative source wins.
            groups[-1] = evs
        elif total == current and len(groups) == 1 and len(groups[0]) == 1 and len(evs) == 1 \
                and evs[0].quantity.high is None and groups[0][0].quantity.high is not None:
            # The same figure restated as a bound ("killed 11" ... "at least 11"): keep the bound.
            groups[0] = evs
        elif total <= current:
            # A restatement, or a breakdown of the total already counted.
            continue
        # Otherwise a conflicting, larger figure of the same incident: the first one stands.
    return _sum([e for g in groups for e in g])


def _net_of_combatants(cands: list[Event], events: list[Event]) -> list[Event]:
    """"103 people were killed, including 14 soldiers": the soldiers named inside a total of people
    presumed civilian are part of that total, so the civilians are what remains. Only totals whose
    victims were presumed civilian are netted; a total of named civilians already excludes them."""
    inside: dict[int, int] = {}
    for e in events:
        if e.type == "combatant_deaths" and e.quantity is not None and _info(e).subgroup and e.novelty == "new":
            inside[e.evidence.start] = inside.get(e.evidence.start, 0) + _value(e)
    out = []
    for e in cands:
        k = inside.get(e.evidence.start, 0)
        if k and e.subtype == "presumed_civilians" and not _info(e).class_share and k < _value(e):
            assert e.quantity is not None
            e = replace(e, quantity=_minus(e.quantity, k))
        out.append(e)
    return out


def _upper_only(evs: list[Event]) -> bool:
    """"nearly 20", "up to 20": a ceiling, which does not overrule a figure actually stated."""
    return all(e.quantity is not None and e.quantity.low is None and e.quantity.high is not None for e in evs)


def _minus(q: Quantity, k: int) -> Quantity:
    return replace(q, low=None if q.low is None else q.low - k, high=None if q.high is None else q.high - k,
                   best=None if q.best is None else q.best - k)


def _breakdowns(values: list[int]) -> set[int]:
    """Indexes of figures that break down an earlier total ("12 killed" ... "nine in a house" ...
    "three in a car"): consecutive later figures that add up exactly to it."""
    out: set[int] = set()
    for i, total in enumerate(values):
        acc = 0
        for j in range(i + 1, len(values)):
            acc += values[j]
            if acc == total and j > i + 1:
                out |= set(range(i + 1, j + 1))
                break
            if acc > total:
                break
    return out


def _explicitness(e: Event) -> int:
    return {"civilians": 2, "presumed_civilians": 1}.get(e.subtype or "", 0)


def _gvalue(g: list[Event]) -> int:
    return sum(_value(e) for e in g)


def _value(e: Event) -> int:
    q = e.quantity
    assert q is not None
    return q.best if q.best is not None else (q.low or q.high or 0)


def _sum(groups: list[Event]) -> Deaths:
    qs = [g.quantity for g in groups if g.quantity is not None]
    low = sum(q.low for q in qs) if all(q.low is not None for q in qs) else None
    high = sum(q.high for q in qs) if all(q.high is not None for q in qs) else None
    best = sum(q.best for q in qs) if all(q.best is not None for q in qs) else None
    if low is None and high is None and best is not None:
        pass
    return Deaths(low=low, high=high, best=best)


# ---------------------------------------------------------------------------
# spaCy components


class LineBreakSentences:
    """Starts a sentence after every line break, before the parser runs.

    Headlines, captions and sidebar lines carry no final full stop; without this the parser
    runs them into the next sentence and hangs its numbers on the headline's verb.
    Place it before the parser: ``nlp.add_pipe("cw_line_breaks", before="parser")``.
    """

    def __init__(self, nlp: Language, name: str = "cw_line_breaks") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for t in doc[:-1]:
            if t.is_space and "\n" in t.text and not _wrapped(t):
                doc[t.i + 1].is_sent_start = True
        return doc


@Language.factory("cw_line_breaks")
def make_line_breaks(nlp: Language, name: str) -> LineBreakSentences:
    return LineBreakSentences(nlp, name)



class CasualtiesComponent:
    """Sets ``doc._.cw_casualties`` to the casualty events of the Doc."""

    def __init__(self, nlp: Language, name: str = "cw_casualties") -> None:
        self.name = name
        if not Doc.has_extension(EXTENSION):
            Doc.set_extension(EXTENSION, default=None)
        _lex()  # fail at pipeline build time, not on the first article, if the data file is broken

    def __call__(self, doc: Doc) -> Doc:
        doc._.cw_casualties = extract_casualties(doc)
        return doc


@Language.factory("cw_casualties")
def make_casualties(nlp: Language, name: str) -> CasualtiesComponent:
    return CasualtiesComponent(nlp, name)
