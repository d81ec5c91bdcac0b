"""Fragments of names are not places (sentences written for these tests).

A name glued by hyphens around a lower-case word is one word: its parts ("Port", "Prince",
"Zor") are towns of other countries in GeoNames and must not pull the story abroad.
"""

import pytest

from conflictwatch.extract.geo import locate


@pytest.mark.parametrize("body,cc,canonical", [
    ("Armed men shot and wounded two traders in Port-au-Prince on Tuesday, police said.", "HT", "Port-au-Prince"),
    ("A roadside bomb struck a truck in Deir-ez-Zor on Friday, wounding its driver.", "SY", "Deir ez-Zor"),
])
def test_a_hyphen_glued_name_is_read_whole(nlp, body, cc, canonical):
    mentions = nlp(body)._.cw_places
    assert [m.where.country_code for m in mentions] == [cc]
    country, where = locate(mentions)
    assert country == cc and where.canonical == canonical


def test_a_glued_name_the_gazetteer_lacks_gives_no_foreign_fragment(nlp):
    body = "Gunmen torched a clinic in Ouro-de-Nkamba on Monday, Cameroon's army said."
    mentions = nlp(body)._.cw_places
    assert {m.where.country_code for m in mentions} == {"CM"}


def test_two_countries_joined_by_a_hyphen_stay_two_countries(nlp):
    mentions = nlp("Shelling hit villages on the Syria-Turkey border on Sunday.")._.cw_places
    assert [(m.text, m.kind) for m in mentions] == [("Syria", "country"), ("Turkey", "country")]
