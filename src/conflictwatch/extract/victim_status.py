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

from spacy.tokens import Span, Token

from .casualty_lexicon import lemma as _lemma
from .casualty_lexicon import lexicon as _lex
from .casualty_lexicon import words as _words


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
    if mod_words & lx["civilian_modifiers"]:
        return "civilian"
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



def sentence_civilian_context(sents: list[Span], si: int, victim: Token | None) -> tuple[bool, bool, bool]:
    """(civilian context, combatant victims, 'mostly civilians') around sentence ``si``.

    A total that includes combatants ("30 people, including 10 soldiers") has no civilian
    context: civilian context is returned False for it.
    """
    lx = _lex()
    mixed = False
    civ = False
    mostly = False
    comb = False
    counted_between = False

    def same_block(j: int) -> bool:
        # A line break ends a paragraph or a live-blog entry: the people described in the next
        # entry are not the victims counted in this one.
        a, b = sorted((sents[j], sents[si]), key=lambda x: x.start)
        gap = a.doc.text[a.end_char:b.start_char]
        return "\n" not in gap and "\n" not in a.text.strip() and "\n" not in b.text.strip()

    for j in range(si - 2, si + 3):
        if j < 0 or j >= len(sents):
            continue
        s = sents[j]
        near = abs(j - si) <= 1
        for t in s:
            w = _words(t)
            if t.pos_ in ("NOUN", "ADJ", "PROPN", "VERB"):
                # The victims' own sentence may describe the place hit (a school, a market);
                # a neighbouring one must describe the people (civilians, villagers, tourists).
                if j == si and w & lx["civilian_context"]:
                    civ = True
                elif w & (lx["civilian_nouns"] | lx["civilian_modifiers"]) and (near or j > si) and same_block(j):
                    civ = True
        if j > si and not any(x.like_num for x in s) and not counted_between:
            if any("civilian" in _words(x) for x in s) and any(_lemma(x) in lx["mostly_words"] for x in s):
                mostly = True
        if j == si and any(_lemma(x) in lx["mostly_words"] for x in s) and any("civilian" in _words(x) for x in s):
            mostly = True
        if j > si and any(x.like_num for x in s):
            counted_between = True
    if victim is not None:
        for c in victim.subtree:
            if c.i != victim.i and _words(c) & lx["combatant_nouns"] and c.dep_ in ("appos", "conj", "attr"):
                comb = True
            # "30 people, including 10 soldiers": a mixed total gives no civilian figure.
            if c.dep_ == "pobj" and _lemma(c.head) in ("include", "including", "among") and victim_class(c) == "combatant":
                mixed = True
    if mixed:
        civ, mostly = False, False
    return civ, comb, mostly
