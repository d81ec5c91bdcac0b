"""Victim status: is a counted victim a civilian, a combatant, or unspecified?

The victim noun decides first ("civilians", "soldiers", "a local trader"). Victims left
unmarked ("people", "a man", "bodies", a bare figure) take the attack's context, as a human
coder does:

* a civilian target named in their sentence (a home, market, village, camp, a wedding) or
  civilian people described around it makes them presumed civilians;
* one-sided violence against them (found dead, executed, beheaded, abducted and killed,
  shot dead by gunmen) makes them presumed civilians too;
* a battle between armed groups (clashes, an exchange of fire, a gun battle) leaves them
  unspecified unless the victims' own sentence calls people civilians;
* a combatant word describing them makes them combatants.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from .casualty_lexicon import lemma as _lemma
from .casualty_lexicon import lexicon as _lex
from .casualty_lexicon import words as _words
from .quantities import word_value


def victim_class(v: Token, depth: int = 0) -> str:
    """civilian | combatant | people for the noun counted by a number."""
    lx = _lex()
    w = _words(v)
    mods = [c for c in v.children if c.dep_ in ("amod", "compound", "nmod", "npadvmod")]
    mod_words: set[str] = set()
    for c in mods:
        mod_words |= _words(c)
    of_pobj = [g for c in v.children if c.dep_ == "prep" and _lemma(c) == "of" for g in c.children if g.dep_ == "pobj"]
    if mod_words & lx["combatant_modifiers"] and not (mod_words & lx["civilian_modifiers"]):
        return "combatant"
    if w & lx["combatant_nouns"] and not (w & lx["neutral_member_nouns"]) and "civilian" not in mod_words:
        # "local policemen", "innocent soldiers": the noun says what they were.
        return "combatant"
    if mod_words & lx["civilian_modifiers"]:
        return "civilian"
    if "member" in w and _named_group(v, of_pobj):
        # "a QSD member", "two members of LaQ": a member of a named organisation is one of its fighters.
        return "combatant"
    if w & lx["neutral_member_nouns"] and of_pobj and depth < 2:
        inner = victim_class(of_pobj[0], depth + 1)
        if inner != "people" or "member" in w:
            return inner
    if w & lx["combatant_nouns"] and not (w & {"member", "worker", "driver"}):
        return "combatant"
    if w & lx["civilian_nouns"]:
        return "civilian"
    if v.ent_type_ in ("ORG",) and depth == 0:
        return "combatant" if mod_words & lx["combatant_modifiers"] else "people"
    return "people"



def _named_group(v: Token, of_pobj: list[Token]) -> bool:
    """The noun names an organisation (an ORG entity or an acronym such as "QSD")."""
    groups = [c for c in v.children if c.dep_ in ("compound", "nmod")] + of_pobj
    return any(g.ent_type_ == "ORG" or (g.pos_ == "PROPN" and g.text.isupper() and len(g.text) >= 2) for g in groups)


def _same_block(sents: list[Span], si: int, j: int) -> bool:
    # A line break ends a paragraph or a live-blog entry: the people described in the next
    # entry are not the victims counted in this one.
    a, b = sorted((sents[j], sents[si]), key=lambda x: x.start)
    # Doc.text joins every token: read only the tokens from a's last one to b's start.
    gap = a.doc[max(a.end - 1, a.start):b.start].text_with_ws[len(a.doc[a.end - 1].text):] if a.end > a.start else ""
    return "\n" not in gap and "\n" not in a.text.strip() and "\n" not in b.text.strip()


def _block(sents: list[Span], si: int, before: int, after: int) -> list[Span]:
    """Sentence ``si`` and its neighbours in the same paragraph."""
    return [sents[j] for j in range(max(0, si - before), min(len(sents), si + after + 1))
            if j == si or _same_block(sents, si, j)]


@lru_cache(maxsize=None)
def _phrase_re(key: str) -> re.Pattern:
    alts = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in _lex()[key]), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def _has_cue(sent: Span, lemmas_key: str, phrases_key: str) -> bool:
    lx = _lex()
    if any(_lemma(t) in lx[lemmas_key] or t.lower_ in lx[lemmas_key] for t in sent):
        return True
    return bool(_phrase_re(phrases_key).search(sent.text))


def battle_context(sents: list[Span], si: int) -> bool:
    """The victims' sentence or one of the two before tells a fight between armed sides (clashes, an
    exchange of fire, a gun battle): unmarked dead there may be fighters."""
    return any(_has_cue(s, "battle_words", "battle_phrases") for s in _block(sents, si, 2, 0))


def _actors(sent: Span) -> set[int]:
    """Tokens naming who acted: the subjects of active verbs and the agents of passive ones."""
    out: set[int] = set()
    for t in sent:
        if t.dep_ in ("nsubj", "agent"):
            out |= {x.i for x in t.subtree}
    return out


def one_sided(sents: list[Span], si: int, victim: Token | None, trigger: Token | None = None) -> bool:
    """Killing of people who did not fight back: found dead, executed, beheaded, abducted and
    killed, shot dead by gunmen. No armed side other than the ones acting is named around the
    victims (gunmen ambushing a patrol kill the patrol; "the officer died")."""
    block = _block(sents, si, 2, 1)
    if not (any(_has_cue(s, "one_sided_words", "one_sided_phrases") for s in block) or _armed_killers(trigger)):
        return False
    lx = _lex()
    own = {x.i for x in victim.subtree} if victim is not None else set()
    # The killers' own words ("gunmen", "armed men", "assailants") name no second armed side.
    armed = (lx["combatant_nouns"] | lx["combatant_modifiers"] | lx["armed_side_words"]) \
        - lx["one_sided_words"] - lx["perpetrator_words"]
    for s in block:
        acting = _actors(s)
        if any(_words(t) & armed and t.i not in acting and t.i not in own and not _armed_people(t)
               and t.pos_ in ("NOUN", "PROPN", "ADJ") for t in s):
            return False
    return True


def _armed_killers(trigger: Token | None) -> bool:
    """"Soldiers killed a man", "an armed group killed four people": armed killers of unmarked victims."""
    lx = _lex()
    if trigger is None or not (_lemma(trigger) in lx["death_verbs"] or _lemma(trigger) in {p[0] for p in lx["phrasal_death"]}):
        return False   # the subject of "put the toll at 15" reports the dead, it did not kill them
    armed = lx["combatant_nouns"] | lx["combatant_modifiers"]
    killers = [c for c in trigger.children if c.dep_ == "nsubj" and any(x.dep_ == "dobj" for x in trigger.children)]
    killers += [g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if trigger.dep_ == "conj" and not killers:
        # "attacked and killed 6 people": the subject sits on the first verb.
        killers = [c for c in trigger.head.children if c.dep_ == "nsubj"]
    return any(_words(x) & armed for k in killers for x in k.subtree)


def _armed_people(t: Token) -> bool:
    """"armed men", "armed individuals": the usual description of unidentified killers."""
    return t.dep_ == "amod" and (_lemma(t.head) in _lex()["people_nouns"] or _lemma(t.head) in ("group", "gang"))


def _judicial(trigger: Token | None) -> bool:
    """"The state executed 12 convicts": an execution by a state itself is a sentence carried out,
    not an attack on civilians."""
    if trigger is None or _lemma(trigger) != "execute":
        return False
    lx = _lex()
    return any(c.dep_ == "nsubj" and (c.ent_type_ == "GPE" or _lemma(c) in lx["judicial_killers"])
               for c in trigger.children)


def _mostly(sents: list[Span], si: int) -> bool:
    """"N people ... mostly civilians" in the sentence, or in a later one before another figure."""
    lx = _lex()
    for j in range(si, min(len(sents), si + 3)):
        s = sents[j]
        if j > si and any(x.like_num for x in s):
            return False
        if any(_lemma(x) in lx["mostly_words"] and _qualifies_civilians(x) for x in s):
            return True
    return False


def _qualifies_civilians(mostly: Token) -> bool:
    """"mostly civilians", "most of whom were civilians": the word is about civilians, not about
    who the civilians were ("the rest were civilians, mostly women")."""
    ahead = []
    for x in mostly.doc[mostly.i + 1: min(mostly.i + 7, mostly.sent.end)]:
        if x.is_punct:
            break
        ahead.append(x)
    near = [mostly.head, *mostly.head.children, *ahead]
    return any("civilian" in _words(x) for x in near)


def _civilian_words(sents: list[Span], si: int, in_battle: bool) -> bool:
    """The victims' sentence names a civilian place hit or civilian people; a neighbouring one
    describes civilian people. In a battle only the victims' own sentence counts, and only people."""
    lx = _lex()
    people = lx["civilian_nouns"] | lx["civilian_modifiers"]
    for j in range(si - 2, si + 3):
        if j < 0 or j >= len(sents) or (in_battle and j != si):
            continue
        near = abs(j - si) <= 1
        for t in sents[j]:
            if t.pos_ not in ("NOUN", "ADJ", "PROPN", "VERB"):
                continue
            if t.dep_ in ("amod", "compound") and _words(t.head) & lx["combatant_nouns"]:
                continue   # "civil police forces", "local militiamen": not civilian people
            w = _words(t)
            if j == si and (w & people if in_battle else w & (lx["civilian_context"] | people)):
                return True
            if j != si and w & people and (near or j > si) and _same_block(sents, si, j):
                return True
    return False


def sentence_civilian_context(sents: list[Span], si: int, victim: Token | None,
                              trigger: Token | None = None) -> tuple[bool, bool, bool]:
    """(civilian context, combatant victims, 'mostly civilians') around sentence ``si``.

    A total that includes combatants ("30 people, including 10 soldiers") has no civilian
    context: civilian context is returned False for it.
    """
    lx = _lex()
    comb = mixed = False
    if victim is not None:
        for c in victim.subtree:
            if c.i != victim.i and _words(c) & lx["combatant_nouns"] and c.dep_ in ("appos", "conj", "attr") \
                    and not _words(c) & lx["perpetrator_words"]:
                # "four people plus the bomber": the attacker beside the figure is not one of them.
                comb = True
            # "30 people, including 10 soldiers": a mixed total gives no civilian figure.
            if c.dep_ == "pobj" and _lemma(c.head) in ("include", "including", "among") and victim_class(c) == "combatant":
                mixed = True
    if mixed:
        return False, comb, False
    in_battle = battle_context(sents, si)
    civ = _civilian_words(sents, si, in_battle) or (not in_battle and not _judicial(trigger) and one_sided(sents, si, victim, trigger))
    return civ, comb, _mostly(sents, si)


def _list_members(first: Token) -> list[Token]:
    out, todo = [], [first]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(c for c in t.children if c.dep_ == "conj")
    return out


def _head_count(t: Token) -> int | None:
    """How many people a listed noun stands for: its own number, or one for a singular noun
    ("a soldier", "the bomber"); None when the list does not say ("soldiers")."""
    for c in t.children:
        if c.dep_ == "nummod":
            return word_value(c.text)
    return 1 if t.tag_ in ("NN", "NNP") else None


def combatants_in_mixed_list(victim: Token) -> tuple[int, bool]:
    """(combatants counted, civilians named) in a total's "including" list.

    "21 people, including children and a soldier": one combatant, and the rest of the total are
    the civilians. "four people, including the bomber": the attacker is never a victim of his own
    attack, so he is taken off whatever the rest are. (0, False) when the list names neither
    civilians nor attackers beside its combatants, or does not say how many combatants it holds."""
    lx = _lex()
    for c in victim.subtree:
        if c.dep_ != "pobj" or _lemma(c.head) not in ("include", "including", "among"):
            continue
        members = _list_members(c)
        classes = [victim_class(m) for m in members]
        fighters = [m for m, k in zip(members, classes) if k == "combatant"]
        civilians = "civilian" in classes
        attackers = bool(fighters) and all(_words(m) & lx["perpetrator_words"] for m in fighters)
        if not fighters or not (civilians or attackers):
            continue
        counts = [_head_count(m) for m in fighters]
        if any(n is None for n in counts):
            return 0, False
        return sum(n for n in counts if n is not None), civilians
    return 0, False
