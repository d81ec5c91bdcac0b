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


@pytest.mark.parametrize("body,cc", [
    ("On 3 June, the OSCE SMM recorded 12 explosions near Nyzhnie Selo.", "UA"),
    ("MONUSCO peacekeepers found the bodies of four farmers near Kasindi Lubiriha on Sunday.", "CD"),
    ("UNMISS said three women were killed in an attack on a cattle camp near Pibor town.", "SS"),
])
def test_a_single_country_mission_tells_where_a_short_report_is(nlp, body, cc):
    assert locate(nlp(body)._.cw_places)[0] == cc
