"""Was a death caused by armed violence? Disasters, accidents and disease are not conflict casualties.

A flood, an earthquake, a bus crash, a hospital fire or a cholera outbreak kills civilians too, and
news of them uses the words of war reporting ("death toll rises", "blast", "killed at least 25").
A sentence names its cause: a disaster or accident cue with no cue of armed violence makes its deaths
non-conflict; a cue of armed violence makes them conflict deaths. A sentence that names no cause
takes the story's cause, read from its lead (headline and first sentences).
The cue lists are data: ``non_conflict_causes`` / ``non_conflict_phrases`` and ``conflict_causes`` /
``conflict_cause_phrases`` in patterns/casualties.json.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span

from .casualty_lexicon import lemma, lexicon

LEAD_SEGMENTS = 4


@lru_cache(maxsize=None)
def _phrases(key: str) -> re.Pattern:
    alts = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in lexicon()[key]), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)


def _has(sent: Span, words_key: str, phrases_key: str) -> bool:
    words = lexicon()[words_key]
    return any(lemma(t) in words or t.lower_ in words for t in sent) or bool(_phrases(phrases_key).search(sent.text))


def sentence_cause(sent: Span) -> str | None:
    """"conflict", "non_conflict", or None when the sentence names no cause."""
    if _has(sent, "conflict_causes", "conflict_cause_phrases"):
        return "conflict"
    if _has(sent, "non_conflict_causes", "non_conflict_phrases"):
        return "non_conflict"
    return None


def story_cause(sents: list[Span]) -> str | None:
    """The cause the lead gives: non-conflict only when the lead names such a cause and no armed violence."""
    causes = {sentence_cause(s) for s in sents[:LEAD_SEGMENTS]}
    if "conflict" in causes:
        return "conflict"
    return "non_conflict" if "non_conflict" in causes else None


def outside_conflict(sents: list[Span], si: int, story: str | None) -> bool:
    """Do the deaths counted in sentence ``si`` lie outside armed conflict?"""
    own = sentence_cause(sents[si])
    return own == "non_conflict" or (own is None and story == "non_conflict")
