"""The article's summary place and the places of events (stories invented for these tests)."""

from __future__ import annotations

import pytest

from conflictwatch.extract.geo import place_matches
from extract_helpers import make_article


# --- a headline line names the page, the body says where the new incident was --------------------

LIVE_PAGES = [
    ("Gaza live: strikes continue across the Strip\n\nAn Israeli air strike on a house in Deir al-Balah killed "
     "five people, including two children, medics said on Tuesday.\n\nIsraeli tanks also shelled eastern areas "
     "of Khan Younis, residents said.", "Gaza live: strikes continue across the Strip", "Deir al-Balah"),
    ("Sudan live: RSF attacks continue in Omdurman\n\nLast updated 11:02 GMT\n\n10:40 GMT - Emergency room "
     "reports new deaths\n\nThe local emergency room said the dead included women.\n\nRSF shells struck a "
     "crowded market in El Obeid on Tuesday morning, killing seven civilians and wounding 20, the local "
     "emergency room said.", "Sudan live", "El Obeid"),
    ("Kharkiv shelling live: city under fire again\n\nRussian glide bombs hit a residential area of Kupiansk on "
     "Tuesday, killing four civilians, the regional governor said.", None, "Kupiansk"),
]


@pytest.mark.parametrize("body,title,place", LIVE_PAGES, ids=["gaza", "sudan", "kharkiv"])
def test_headline_line_does_not_outweigh_the_body_incident(extractor, body, title, place):
    x = extractor.extract(make_article(body, title=title))
    assert place_matches(x.summary.place, place), x.summary.place


def test_headline_place_stays_when_the_body_names_no_other(extractor):
    body = ("Gaza live: strikes continue across the Strip\n\nAn Israeli air strike hit a house overnight, killing five "
            "civilians, medics said on Tuesday.")
    x = extractor.extract(make_article(body))
    assert place_matches(x.summary.place, "Gaza"), x.summary.place


def test_punctuated_lead_sentence_keeps_its_place_first(extractor):
    # Not a headline: a sentence of the body that ends in a full stop keeps its rank.
    body = ("Shelling killed three civilians in Khan Younis on Monday, medics said.\n\nA strike on a house in "
            "Deir al-Balah killed five people on Tuesday, residents said.")
    x = extractor.extract(make_article(body))
    assert place_matches(x.summary.place, "Khan Younis"), x.summary.place


# --- an unresolved village takes the one admin1 unit named around it -------------------------------

def _region_of(extractor, body, name, type_="civilian_deaths"):
    x = extractor.extract(make_article(body))
    evs = [e for e in x.events if e.type == type_ and e.where.name == name]
    assert evs, [(e.type, e.where.name) for e in x.events]
    return evs[0]


def test_unresolved_village_takes_the_province_of_the_previous_paragraph(extractor):
    body = ("Government jets pounded villages across Hama province overnight, residents said.\n\n"
            "Five civilians were killed in an air strike on the village of Tel Qarmi, a monitoring group said.")
    ev = _region_of(extractor, body, "Tel Qarmi")
    assert ev.where.admin1 == "Hama" and ev.region == "SY/Hama"
    assert ev.where.precision == "place" and ev.where.lat is None and ev.where.geonames_id is None


def test_unresolved_village_takes_the_province_of_its_own_sentence(extractor):
    body = ("Syrian government shelling killed four civilians in the village of Tel Qarmi in Idlib province on "
            "Monday, rescuers said.")
    ev = _region_of(extractor, body, "Tel Qarmi")
    assert ev.region == "SY/Idlib"


def test_two_provinces_nearby_leave_the_village_unresolved(extractor):
    body = ("Syrian government jets struck targets in Hama province and Idlib province overnight, residents "
            "said.\n\nFive civilians were killed in an air strike on the village of Tel Qarmi, a monitoring "
            "group said.")
    ev = _region_of(extractor, body, "Tel Qarmi")
    assert ev.where.admin1 is None and ev.region == "SY"


def test_the_sentence_unit_wins_over_the_paragraph_before(extractor):
    body = ("Russian glide bombs struck the centre of Kostiantynivka in Donetsk Oblast on Monday, killing three "
            "civilians, the governor said.\n\nIn a separate attack, a drone hit a bus in the village of "
            "Novaya Pidhirna in Zaporizhzhia Oblast, killing two passengers, officials said.")
    ev = _region_of(extractor, body, "Novaya Pidhirna")
    assert ev.region == "UA/Zaporizhzhia"


def test_a_unit_far_back_does_not_reach_the_village(extractor):
    body = ("Government jets pounded villages across Hama province overnight, residents said.\n\n"
            "Aid groups said supplies were running low in the camps.\n\n"
            "Officials said the roads were closed.\n\n"
            "Five civilians were killed in an air strike on the village of Tel Qarmi, a Syrian monitoring "
            "group said.")
    ev = _region_of(extractor, body, "Tel Qarmi")
    assert ev.region == "SY"


@pytest.mark.parametrize("town,oblast", [("Nikopol", "Dnipropetrovsk"), ("Marhanets", "Dnipropetrovsk"),
                                         ("Bilozerka", "Kherson")])
def test_town_and_oblast_the_first_pass_missed_are_read_in_the_gazetteer(extractor, town, oblast):
    # The small model may fold "<town> in <X> Oblast" into one ORG entity, which vetoes both names in
    # the first pass; the unit-noun pass still finds them in the story's country.
    body = (f"Russian forces shelled the town of {town} in {oblast} Oblast overnight, killing two civilians, "
            "Ukrainian officials said on Wednesday.")
    ev = _region_of(extractor, body, town)
    assert ev.region == f"UA/{oblast}"
