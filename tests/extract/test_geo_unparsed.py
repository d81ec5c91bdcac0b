"""Country and place of articles the event gate keeps from the parser (tokens and gazetteer only)."""

from __future__ import annotations

from conflictwatch.extract.pipeline import gate

from extract_helpers import make_article

QUIET = ("Harvest festival opens in Chiang Mai\n"
         "Thousands of visitors filled the old town of Chiang Mai in northern Thailand on Saturday for the "
         "opening of the annual lantern festival. Hotels reported full bookings for the week.")


def test_a_quiet_article_is_not_parsed_but_still_located(extractor):
    assert not gate(QUIET)
    parsed_before = extractor.stats["parsed"]
    x = extractor.extract(make_article(QUIET))
    assert extractor.stats["parsed"] == parsed_before   # the gate still keeps it from the parser
    assert x.events == []
    assert x.summary.country == "TH"
    assert x.summary.place == "Chiang Mai"


def test_a_quiet_article_naming_no_place_has_no_country(extractor):
    body = "Quarterly results beat forecasts\nThe company said sales of its new phone rose sharply in the spring."
    assert not gate(body)
    x = extractor.extract(make_article(body))
    assert x.summary.country is None and x.summary.place is None


def test_a_quiet_article_naming_only_its_country_has_no_place(extractor):
    body = ("Central bank raises rates again\nArgentina's central bank raised its benchmark rate on Thursday "
            "as inflation in Argentina kept climbing, economists said.")
    assert not gate(body)
    x = extractor.extract(make_article(body))
    assert x.summary.country == "AR" and x.summary.place is None
