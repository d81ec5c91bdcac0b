"""Scoring extraction against ACLED event notes (format of shared/corpus/acled_dev.jsonl).

Each record's ``gold`` is ACLED's coding of the event the note describes. The
figures, all pure over plain values:

- civilian targeting (``event_type`` "Violence against civilians" or
  ``civilian_targeting`` true), split by ACLED's ``fatalities``:
  - deaths > 0: ``exact`` when the predicted civilian-death figure (best) equals
    ``fatalities``; ``missed`` when no civilian-death figure is predicted at all.
  - deaths = 0: ``ok`` when no civilian deaths are predicted (none, or 0).
- battles (``event_type`` "Battles"): the share reported as civilian deaths
  (a predicted figure above 0). ACLED's battle tolls are mostly combatants.
- country: the predicted ISO2 code equals ``country_iso2``.
- place: the lenient name match of the news scorer against any of
  ``location``, ``admin2`` and ``admin1`` (ACLED's point is often the district
  town while the note names a village, so the district counts too).
- no event: notes with ACLED fatalities > 0 for which the extractor gave no event
  at all (dropped by the gate, or nothing recognised); notes without deaths often
  have nothing to extract, so they are left out of this rate.

ACLED codes conservatively and a note can disagree with its own figure; these
are agreement rates with ACLED's coding, not accuracies against the truth.
"""

from __future__ import annotations

from collections.abc import Callable

from .news import _ratio, deaths_value, place_ok

CIVILIAN_TYPE = "Violence against civilians"
BATTLES = "Battles"
PLACE_FIELDS = ("location", "admin2", "admin1")


def is_civilian_targeting(gold: dict) -> bool:
    return gold.get("event_type") == CIVILIAN_TYPE or gold.get("civilian_targeting") is True


def predicted_civilian_deaths(summary: dict) -> int | None:
    """The predicted civilian-death figure: best, else the low bound ("dozens" -> 24)."""
    return deaths_value(summary.get("civilian_deaths"))


def place_names(gold: dict) -> list[str]:
    return [gold[k] for k in PLACE_FIELDS if isinstance(gold.get(k), str) and gold[k].strip()]


def acled_place_ok(pred: str | None, gold: dict, same_place: Callable | None = None) -> bool:
    return any(place_ok(pred, name, same_place) for name in place_names(gold))


def country_match(pred: str | None, gold: dict) -> bool:
    code = (gold.get("country_iso2") or "").upper()
    return bool(pred) and pred.upper() == code


def _best(summary: dict) -> int | None:
    d = summary.get("civilian_deaths")
    return d.get("best") if d else None


def row_checks(gold: dict, ex: dict, same_place: Callable | None = None) -> dict[str, bool | None]:
    """Outcome of each check for one note; None where the check does not apply to it."""
    summary = ex.get("summary", {})
    value = predicted_civilian_deaths(summary)
    civ = is_civilian_targeting(gold)
    deaths = int(gold.get("fatalities") or 0)
    killed = civ and deaths > 0
    return {
        "civilian_exact": (_best(summary) == deaths) if killed else None,
        "civilian_missed": (value is None) if killed else None,
        "civilian_zero_ok": (not value) if civ and deaths == 0 else None,
        "battle_as_civilian": bool(value) if gold.get("event_type") == BATTLES else None,
        "country": country_match(summary.get("country"), gold),
        "place": acled_place_ok(summary.get("place"), gold, same_place),
        "no_event": (not ex.get("events")) if deaths > 0 else None,
    }


# Checks listed as misses when they fail (True is the good outcome) or fire (True is the bad one).
_GOOD = ("civilian_exact", "civilian_zero_ok", "country", "place")
_BAD = ("civilian_missed", "battle_as_civilian", "no_event")


def score_acled(items: list[tuple[str, dict, dict]], *, same_place: Callable | None = None) -> dict:
    """items: (note id, gold, extraction dict as printed by ``extract --json``)."""
    counts = {k: [0, 0] for k in _GOOD + _BAD}
    misses = []
    for aid, gold, ex in items:
        checks = row_checks(gold, ex, same_place)
        summary = ex.get("summary", {})
        for name, outcome in checks.items():
            if outcome is None:
                continue
            counts[name][0] += int(outcome)
            counts[name][1] += 1
            if (name in _GOOD and not outcome) or (name in _BAD and outcome):
                misses.append(_miss(aid, name, gold, summary))
    rep = {name: _ratio(k, n) for name, (k, n) in counts.items()}
    return {"format": "acled", "articles": len(items), **rep, "misses": misses}


def _miss(aid: str, check: str, gold: dict, summary: dict) -> dict:
    want = {"event_type": gold.get("event_type"), "fatalities": gold.get("fatalities"),
            "country_iso2": gold.get("country_iso2"), "places": place_names(gold)}
    got = {"civilian_deaths": summary.get("civilian_deaths"), "country": summary.get("country"),
           "place": summary.get("place")}
    return {"article_id": aid, "field": check, "gold": want, "predicted": got}
