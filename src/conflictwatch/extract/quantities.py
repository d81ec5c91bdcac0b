"""Quantity phrases in news text -> ``model.Quantity(low, high, best, text)``.

Pure functions, no spaCy. The lexicon (number words, vague quantities, bound
prefixes) is the data file ``patterns/numbers.json``.

Conventions (they match the labelling rules of the shared dev corpus):

* An exact figure ``N`` ("six", "1,200", "twenty-one", "a dozen") gives
  ``low = high = best = N``.
* Lower bounds "at least N", "no fewer than N", "more than N", "over N" give
  ``low = N, high = None, best = N``. "More than N" is NOT turned into N+1: the
  figure is kept as written.
* Upper bounds "up to N", "as many as N", "at most N", "fewer than N",
  "nearly N", "almost N" give ``low = None, high = N, best = N``.
* Approximations "about N", "around N", "some N", "an estimated N" give
  ``best = N`` and no bounds.
* Ranges "between A and B", "A-B", "A to B", "A or B" give ``low = A,
  high = B, best = None`` (no single figure is stated).
* Vague quantities give a conventional lower bound and no best figure:
  "dozens" -> 24 (two dozen), "scores" -> 40 (two score), "hundreds" -> 200,
  "thousands" -> 2,000, "tens of thousands" -> 20,000, "hundreds of
  thousands" -> 200,000, "millions" -> 2,000,000, "several" -> 3,
  "a few" / "a handful" -> 2. A prefix on a vague word ("more than dozens")
  keeps the same lower bound.
* "1.5 million" -> 1,500,000; "half a dozen" -> 6; "two dozen" -> 24.
* Enumerations of small groups, used when no total is stated, are summed:
  "a woman and four children" -> 5 (``parse_enumeration``). A group counts
  as one when it is singular with "a", "an", "one" or a possessive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .model import Quantity

__all__ = [
    "QuantityMatch", "find_quantities", "parse_quantity", "parse_enumeration",
    "word_value", "enumeration_quantity",
]


@dataclass(frozen=True)
class QuantityMatch:
    start: int          # character offsets in the text searched
    end: int
    quantity: Quantity
    kind: str           # exact | lower | upper | approx | range | vague


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    with resources.files("conflictwatch.extract").joinpath("patterns/numbers.json").open("r", encoding="utf-8") as fh:
        return json.load(fh)


def _alt(words) -> str:
    # Longest first so that "no fewer than" wins over "fewer than".
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _regex() -> re.Pattern:
    lx = _lexicon()
    unit = _alt(list(lx["units"]) + list(lx["tens"]))
    scale = _alt(list(lx["scales"]) + list(lx["dozen_words"]))
    word_num = (
        rf"(?:(?:half\s+a\s+|a\s+)(?:{scale})"            # "a dozen", "a hundred", "half a dozen"
        rf"|(?:{unit})(?:(?:\s*-\s*|\s+and\s+|\s+)(?:{unit}|{scale}))*)"
    )
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    digit_num = rf"(?:{digits})(?:\s*(?:{_alt(lx['scales'])}))?"
    card = rf"(?:{digit_num}|{word_num})"
    vague = _alt(lx["vague"])
    joiner = r"(?:\s*[-\u2013\u2014]\s*|\s+to\s+|\s+or\s+)"
    prefix = _alt(lx["lower_bound_prefixes"] + lx["upper_bound_prefixes"] + lx["approximate_prefixes"])
    pattern = (
        # A clock time ("14:05", a live-blog entry's stamp) is no count.
        rf"(?<![\w.,:])"
        rf"(?:(?P<prefix>{prefix})\s+)?"
        rf"(?:between\s+(?P<b1>{card})\s+and\s+(?P<b2>{card})"
        rf"|from\s+(?P<f1>{card})\s+to\s+(?P<f2>{card})"
        rf"|(?P<r1>{card}){joiner}(?P<r2>{card})"
        rf"|(?P<card>{card})"
        rf"|(?P<vague>{vague}))"
        rf"(?![\w]|:\d)"
    )
    return re.compile(pattern, re.IGNORECASE)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def word_value(text: str) -> int | None:
    """Value of one cardinal written in digits or words; None if it is not one."""
    lx = _lexicon()
    t = _norm(text)
    if not t:
        return None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        num = float(m.group(1).replace(",", ""))
        if m.group(2):
            if m.group(2) not in lx["scales"]:
                return None
            num *= lx["scales"][m.group(2)]
        return int(round(num))
    words = [w for w in re.split(r"[\s-]+", t) if w and w != "and"]
    if not words:
        return None
    total, current, seen = 0, 0, False
    if words[0] == "half" and len(words) >= 3 and words[1] == "a":
        base = lx["dozen_words"].get(words[2]) or lx["scales"].get(words[2])
        return base // 2 if base and len(words) == 3 else None
    if words[0] == "a":
        words = ["one"] + words[1:]
    for w in words:
        if w in lx["units"]:
            current += lx["units"][w]
        elif w in lx["tens"]:
            current += lx["tens"][w]
        elif w in lx["dozen_words"]:
            current = (current or 1) * lx["dozen_words"][w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in lx["scales"]:
            total += (current or 1) * lx["scales"][w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _prefix_kind(prefix: str | None) -> str:
    if not prefix:
        return "exact"
    lx = _lexicon()
    p = _norm(prefix)
    if p in lx["lower_bound_prefixes"]:
        return "lower"
    if p in lx["upper_bound_prefixes"]:
        return "upper"
    return "approx"


def _from_match(m: re.Match) -> QuantityMatch | None:
    lx = _lexicon()
    text = m.group(0)
    kind = _prefix_kind(m.group("prefix"))
    if m.group("vague"):
        low = lx["vague"][_norm(m.group("vague"))]
        q, kind = Quantity(low=low, high=None, best=None, text=text), "vague"
    elif m.group("card"):
        n = word_value(m.group("card"))
        if n is None:
            return None
        return _bounded(n, kind, text, m)
    else:
        a_txt = m.group("b1") or m.group("f1") or m.group("r1")
        b_txt = m.group("b2") or m.group("f2") or m.group("r2")
        if m.group("r1") and _is_hyphen_compound(m):
            # "twenty-one" is one number, not the range 20-1.
            n = word_value(m.group("r1") + "-" + m.group("r2"))
            if n is None:
                return None
            return _bounded(n, kind, text, m)
        a, b = word_value(a_txt), word_value(b_txt)
        if a is None or b is None:
            return None
        if a > b and m.group("r1") and re.fullmatch(r"\d+", a_txt.strip()) and re.fullmatch(r"\d+", b_txt.strip()):
            # "270,000-330" style shorthands are rare; an inverted pair of plain digits is more
            # likely a score or a date fragment than a range, so it is not a quantity.
            return None
        low, high = min(a, b), max(a, b)
        q, kind = Quantity(low=low, high=high, best=None, text=text), "range"
    return QuantityMatch(m.start(), m.end(), q, kind)


def _bounded(n: int, kind: str, text: str, m: re.Match) -> QuantityMatch:
    if kind == "lower":
        q = Quantity(low=n, high=None, best=n, text=text)
    elif kind == "upper":
        q = Quantity(low=None, high=n, best=n, text=text)
    elif kind == "approx":
        q = Quantity(low=None, high=None, best=n, text=text)
    else:
        q = Quantity(low=n, high=n, best=n, text=text)
    return QuantityMatch(m.start(), m.end(), q, kind)


def _is_hyphen_compound(m: re.Match) -> bool:
    lx = _lexicon()
    between = m.string[m.end("r1"):m.start("r2")]
    if between != "-":
        return False
    last = re.split(r"[\s-]+", m.group("r1").strip().lower())[-1]
    nxt = m.group("r2").strip().lower()
    return last in lx["tens"] and lx["units"].get(nxt, 99) < 10


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity phrase in ``text``, left to right, with its character span."""
    if not text:
        return []
    out = []
    for m in _regex().finditer(text):
        if _is_day_of_month(text, m):
            continue
        qm = _from_match(m)
        if qm is not None:
            out.append(qm)
    return out


@lru_cache(maxsize=1)
def _month_re() -> tuple[re.Pattern, re.Pattern]:
    # Case-sensitive: "6 May" is a date, "the six may ..." is not.
    months = "|".join(sorted(_lexicon()["month_names"], key=len, reverse=True))
    return re.compile(rf"\.?\s+(?:{months})\b\.?"), re.compile(rf"\b(?:{months})\.?\s+$")


def _is_day_of_month(text: str, m: re.Match) -> bool:
    """"Around 6 May 2020", "on May 6": a day of the month, not a count (the model does not always tag it DATE)."""
    figure = m.group("card")
    if not figure or not figure.isdigit() or not 1 <= int(figure) <= 31:
        return False
    after, before = _month_re()
    return bool(after.match(text, m.end()) or before.search(text[max(0, m.start() - 12):m.start()]))


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity phrase of ``text`` ("at least 1,200", "dozens", "five to seven")."""
    found = find_quantities(text or "")
    return found[0].quantity if found else None


def enumeration_quantity(counts: list[int | None], text: str | None = None) -> Quantity | None:
    """Sum of the group sizes of an enumeration; None when any group has no size."""
    if not counts or any(c is None for c in counts):
        return None
    total = sum(counts)  # type: ignore[arg-type]
    return Quantity(low=total, high=total, best=total, text=text)


_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s+as\s+well\s+as\s+)\s*", re.IGNORECASE)


def parse_enumeration(text: str) -> Quantity | None:
    """"a woman and four children" -> 5; "two men, a boy and three women" -> 6.

    Each group must start with a number or with a singular determiner ("a",
    "an", "one", a possessive) followed by a singular noun; a bare plural
    ("children") has no size, and then the whole enumeration has none.
    """
    if not text or not text.strip():
        return None
    lx = _lexicon()
    dets = set(lx["enumeration_singular_determiners"])
    parts = [p for p in _SPLIT.split(text.strip().rstrip(".")) if p]
    counts: list[int | None] = []
    for part in parts:
        words = part.split()
        found = find_quantities(part)
        if found and found[0].start == 0 and found[0].quantity.best is not None:
            counts.append(found[0].quantity.best)
        elif words[0].lower() in dets and len(words) >= 2 and not _looks_plural(words[-1]):
            counts.append(1)
        else:
            counts.append(None)
    if len(counts) < 2:
        # One group is not an enumeration; parse_quantity handles it.
        return None
    return enumeration_quantity(counts, text)


_IRREGULAR_PLURALS = {"children", "men", "women", "people", "police", "personnel", "folk", "sons", "daughters"}


def _looks_plural(word: str) -> bool:
    w = word.lower().strip(".,;:")
    if w in _IRREGULAR_PLURALS:
        return True
    return w.endswith("s") and not w.endswith("ss")
