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
