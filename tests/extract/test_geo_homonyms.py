"""Homonyms across a front line: which country a small place is read in (stories written for these tests).

``_keep_homonyms_home`` reads a small place whose name is weak evidence (several countries, or
another name listed only as an alternate) in the story's country. A place named in its own
spelling in a neighbouring or warring country is where the shells land, and keeps its country.
"""

import pytest



def _place(nlp, body, name):
    doc = nlp(body)
    found = [m.where for m in doc._.cw_places if m.text == name]
    assert found, [(m.text, m.where.country_code) for m in doc._.cw_places]
    return found[0]


@pytest.mark.parametrize("body,name,cc", [
    # Lebanon / Israel: "Nahariya" and "Kiryat Shmona" are spellings of the GeoNames names
    ("Hezbollah fighters fired a barrage of rockets from southern Lebanon on Tuesday, wounding three people in "
     "Nahariya, Israeli officials said. Israel responded with air strikes on villages near Bint Jbeil.", "Nahariya", "IL"),
    ("Rockets fired from Lebanon wounded two people in Kiryat Shmona on Sunday, the Israeli army said, as "
     "Hezbollah said it targeted army posts. Shelling hit villages in southern Lebanon.", "Kiryat Shmona", "IL"),
    # Syria / Turkey: "Tal Abyad" is a spelling of GeoNames' Tall Abyad, across the border
    ("Mortar rounds fired by Syrian Kurdish fighters from Tal Abyad hit Akcakale in Turkey's Sanliurfa province on "
     "Monday, wounding five Turkish civilians, the governor said. Turkish artillery returned fire.",
     "Tal Abyad", "SY"),
    # Ukraine / Russia: "Tyotkino" is a spelling of GeoNames' Tëtkino, in Russia
    ("Ukrainian drones struck a border post in Tyotkino on Monday, wounding two people, as Russian shelling "
     "killed four civilians in Sumy region, Ukrainian officials said.", "Tyotkino", "RU"),
])
def test_spelling_of_a_place_across_the_border_keeps_its_country(nlp, body, name, cc):
    assert _place(nlp, body, name).country_code == cc


def test_another_name_listed_as_an_alternate_is_still_read_at_home(nlp):
    # "Puerto" is only an alternate of a Spanish town: in a Colombian story it is a Colombian place.
    body = ("Gunmen killed four farmers near Puerto on Sunday, Colombia's army said, blaming ELN rebels for the "
            "attack in Antioquia.")
    assert _place(nlp, body, "Puerto").country_code == "CO"


def test_spelling_check_tells_transliteration_from_another_name():
    from conflictwatch.extract.geo import _spelling_of
    assert _spelling_of("Nahariya", "Nahariyya")
    assert _spelling_of("Kiryat Shmona", "Qiryat Shmona")
    assert not _spelling_of("Puerto", "El Puerto de Santa María")
    assert not _spelling_of("Kobani", "‘Ayn al ‘Arab")
