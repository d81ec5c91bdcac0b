"""The casualties lexicon (patterns/casualties.json) and the token words it is matched against."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token


@lru_cache(maxsize=1)
def lexicon() -> dict:
    with resources.files("conflictwatch.extract").joinpath("patterns/casualties.json").open("r", encoding="utf-8") as fh:
        raw = json.load(fh)
    out: dict = {}
    for k, v in raw.items():
        if k.startswith("_"):
            continue
        out[k] = set(v) if isinstance(v, list) and all(isinstance(x, str) for x in v) else v
    out["phrasal_death"] = {(a, b) for a, b in raw["phrasal_death"]}
    out["multiword_cumulative"] = [m for m in raw["cumulative_markers"] if " " in m]
    out["cumulative_words"] = {m for m in raw["cumulative_markers"] if " " not in m and m != "since"}
    out["multiword_background"] = [m for m in raw["background_markers"] if " " in m]
    return out


def lemma(t: Token) -> str:
    return t.lemma_.lower()


def words(t: Token) -> set[str]:
    return {t.lemma_.lower(), t.text.lower()}
