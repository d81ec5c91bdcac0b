"""ACLED scoring (evaluation.acled): pure, no spaCy; the notes here are invented."""

from __future__ import annotations

from conflictwatch.evaluation.acled import acled_place_ok, is_civilian_targeting, row_checks, score_acled


def _ex(best=None, low=None, country=None, place=None, events=1):
    deaths = None if best is None and low is None else {"best": best, "low": low if low is not None else best,
                                                         "high": best}
    return {"summary": {"talks_status": [], "civilian_deaths": deaths, "country": country, "place": place},
            "events": [{"type": "civilian_deaths"}] * events}


def _gold(event_type="Violence against civilians", fatalities=0, targeting=None, iso="NG",
          location="Kauru", admin2="Kauru", admin1="Kaduna"):
    return {"event_type": event_type, "fatalities": fatalities,
            "civilian_targeting": event_type == "Violence against civilians" if targeting is None else targeting,
            "country_iso2": iso, "location": location, "admin2": admin2, "admin1": admin1, "admin3": ""}


def test_civilian_targeting_by_type_or_flag():
    assert is_civilian_targeting(_gold())
    assert is_civilian_targeting(_gold("Explosions/Remote violence", targeting=True))
    assert not is_civilian_targeting(_gold("Battles"))


def test_row_checks_apply_only_where_they_belong():
    killed = row_checks(_gold(fatalities=3), _ex(best=3, country="NG", place="Kauru"))
    assert killed["civilian_exact"] is True and killed["civilian_missed"] is False
    assert killed["civilian_zero_ok"] is None and killed["battle_as_civilian"] is None
    wrong = row_checks(_gold(fatalities=3), _ex(best=2))
    assert wrong["civilian_exact"] is False and wrong["civilian_missed"] is False
    missed = row_checks(_gold(fatalities=3), _ex())
    assert missed["civilian_exact"] is False and missed["civilian_missed"] is True
    zero = row_checks(_gold(fatalities=0), _ex())
    assert zero["civilian_zero_ok"] is True and zero["civilian_exact"] is None
    assert row_checks(_gold(fatalities=0), _ex(best=1))["civilian_zero_ok"] is False
    battle = row_checks(_gold("Battles", fatalities=5), _ex(best=5))
    assert battle["battle_as_civilian"] is True and battle["civilian_exact"] is None
    assert row_checks(_gold("Battles", fatalities=5), _ex())["battle_as_civilian"] is False
    # "dozens": no best figure, a low bound: a figure is predicted but it is not exact
    dozens = row_checks(_gold(fatalities=30), _ex(best=None, low=24))
    assert dozens["civilian_missed"] is False and dozens["civilian_exact"] is False


def test_place_matches_location_or_district_or_province():
    g = _gold(location="Bakin Kogi", admin2="Zangon Kataf", admin1="Kaduna")
    assert acled_place_ok("Bakin Kogi", g)
    assert acled_place_ok("Zangon-Kataf", g)
    assert acled_place_ok("Kaduna State", g)
    assert not acled_place_ok("Lagos", g)
    assert not acled_place_ok(None, g)


def test_score_acled_rates_and_misses():
    items = [
        ("a1", _gold(fatalities=2), _ex(best=2, country="NG", place="Kauru")),
        ("a2", _gold(fatalities=4), _ex(events=0)),
        ("a3", _gold(fatalities=0), _ex(country="ng", place="Kaduna")),
        ("a4", _gold("Battles", fatalities=6, iso="ML", location="Gao", admin2="Gao", admin1="Gao"),
         _ex(best=6, country="NE", place="Gao")),
    ]
    rep = score_acled(items)
    assert rep["format"] == "acled" and rep["articles"] == 4
    assert rep["civilian_exact"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert rep["civilian_missed"]["correct"] == 1 and rep["civilian_missed"]["total"] == 2
    assert rep["civilian_zero_ok"]["accuracy"] == 1.0
    assert rep["battle_as_civilian"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert rep["country"]["correct"] == 2 and rep["place"]["correct"] == 3
    assert rep["no_event"] == {"correct": 1, "total": 3, "accuracy": 0.3333}
    assert row_checks(_gold(fatalities=0), _ex(events=0))["no_event"] is None
    fields = sorted((m["article_id"], m["field"]) for m in rep["misses"])
    assert fields == [("a2", "civilian_exact"), ("a2", "civilian_missed"), ("a2", "country"), ("a2", "no_event"),
                      ("a2", "place"), ("a4", "battle_as_civilian"), ("a4", "country")]
