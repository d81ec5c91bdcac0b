"""Scoring functions of extract.evaluate (pure, no spaCy)."""

from __future__ import annotations

import pytest

from conflictwatch.extract.evaluate import (
    country_codes, country_ok, deaths_exact, deaths_within, place_ok, score, score_talks, status_list,
)


def test_status_list_forms():
    assert status_list("none") == []
    assert status_list("collapsed") == ["collapsed"]
    assert status_list(["collapsed", "resumed"]) == ["collapsed", "resumed"]
    assert status_list(None) == []


def test_talks_prf_per_label_and_micro():
    pairs = [
        (["collapsed"], ["collapsed"]),             # tp collapsed
        (["resumed"], []),                          # fn resumed
        ([], ["collapsed"]),                        # fp collapsed
        (["collapsed", "resumed"], ["resumed", "collapsed"]),  # 2 tp, wrong order
    ]
    rep = score_talks(pairs)
    c, r, m = rep["per_label"]["collapsed"], rep["per_label"]["resumed"], rep["micro"]
    assert (c["tp"], c["fp"], c["fn"]) == (2, 1, 0)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 0, 1)
    assert (m["tp"], m["fp"], m["fn"]) == (3, 1, 1)
    assert m["precision"] == pytest.approx(0.75) and m["recall"] == pytest.approx(0.75)
    assert rep["order_exact"] == {"correct": 0, "total": 1}


def test_deaths_exact_and_within():
    assert deaths_exact(None, None)
    assert deaths_exact({"low": 6, "high": 6, "best": 6}, 6)
    assert not deaths_exact({"low": 6, "high": 6, "best": 6}, 7)
    assert not deaths_exact(None, 3)
    # "at least 11": range [11, None]
    assert deaths_within({"low": 11, "high": None, "best": 11}, 11, [11, None])
    assert deaths_within({"low": 14, "high": None, "best": 14}, 11, [11, None])
    assert not deaths_within({"low": 9, "high": None, "best": 9}, 11, [11, None])
    # "dozens": best null, low 24
    assert deaths_within({"low": 24, "high": None, "best": None}, None, [24, None])
    # "up to 8"
    assert deaths_within({"low": None, "high": 8, "best": 8}, 8, [None, 8])
    assert not deaths_within({"best": 9}, 8, [None, 8])
    # nothing labelled: only a null prediction is within range
    assert deaths_within(None, None, None)
    assert not deaths_within({"best": 2}, None, None)


def test_country_names_map_to_codes():
    assert country_codes("Syria") == {"SY"}
    assert country_codes("DR Congo") == {"CD"}
    assert country_codes("Israel / Palestine (Gaza)") == {"IL", "PS"}
    assert country_ok("PS", "Israel / Palestine (Gaza)")
    assert not country_ok("EG", "Israel / Palestine (Gaza)")
    assert country_ok("gb", "United Kingdom")


@pytest.mark.parametrize("pred,label,ok", [
    ("Daraa", "Daraa", True),
    ("daraa", "Daraa", True),
    ("Bankass", "Ogossagou, Bankass, Mopti region", True),
    ("Mopti", "Ogossagou, Bankass, Mopti region", True),
    ("Pa Zi Gyi", "Pazigyi (Pa Zi Gyi) village", True),
    ("Tibu", "Tibú, Catatumbo region", True),
    ("Al Tuffah", "Dar al-Arqam School, Al-Tuffah, Gaza City", True),
    ("Gaza", "Gaza City", True),
    ("Aleppo", "Daraa", False),
    (None, "Daraa", False),
])
def test_place_lenient_match(pred, label, ok):
    assert place_ok(pred, label) is ok


def test_place_alternate_names_via_callback():
    same = lambda pred, name: (pred, name) == ("Dar'a", "Daraa")
    assert not place_ok("Dar'a", "Daraa")
    assert place_ok("Dar'a", "Daraa", same)


def test_score_lists_misses_with_evidence():
    labels = {"talks_status": "collapsed", "civilian_deaths": 6, "civilian_deaths_range": None,
              "country": "Syria", "place": "Daraa"}
    ev = {"type": "talks_resumed", "modality": "asserted", "novelty": "new",
          "evidence": {"text": "Talks resumed.", "start": 0, "end": 14}}
    ex = {"summary": {"talks_status": ["resumed"], "civilian_deaths": {"low": 6, "high": 6, "best": 6},
                      "country": "SY", "place": "Daraa"}, "events": [ev]}
    rep = score([("a1", labels, ex)])
    assert rep["civilian_deaths"]["exact"]["accuracy"] == 1.0
    assert rep["country"]["accuracy"] == 1.0 and rep["place"]["accuracy"] == 1.0
    assert rep["talks"]["micro"]["f1"] == 0.0
    (miss,) = rep["misses"]
    assert miss["field"] == "talks_status" and miss["evidence"][0]["text"] == "Talks resumed."


def test_toll_and_place_where_a_toll_is_labelled():
    def ex(best, place):
        d = None if best is None else {"low": best, "high": best, "best": best}
        return {"summary": {"talks_status": [], "civilian_deaths": d, "country": "SY", "place": place}, "events": []}
    lab = lambda deaths, rng=None: {"talks_status": "none", "civilian_deaths": deaths, "civilian_deaths_range": rng,
                                    "country": "Syria", "place": "Daraa" if deaths or rng else None}
    rep = score([("a", lab(4), ex(4, "Daraa")), ("b", lab(None, [24, None]), ex(None, "Homs")),
                 ("c", lab(None), ex(None, None)), ("d", lab(None), ex(2, None))])
    assert rep["civilian_deaths"]["exact"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    assert rep["civilian_deaths"]["exact_where_labelled"] == {"correct": 2, "total": 2, "accuracy": 1.0}
    assert rep["place_death_incidents"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert rep["format"] == "news"
