"""The village of the event, when a report names its province or city first (stories written for these tests)."""

import pytest

from conflictwatch.extract.geo import locate


def _place(nlp, body):
    return locate(nlp(body)._.cw_places)


def test_a_village_named_after_the_province_is_the_place(nlp):
    body = ("Gunmen attacked farming communities in Amhara region on Sunday, officials said. "
            "Residents fled towards the hills as the shooting went on for hours. "
            "Eleven villagers were killed in the village of Sasit and their houses burned, a local official said.")
    country, where = _place(nlp, body)
    assert country == "ET" and where.name == "Sasit"


def test_a_town_named_after_a_large_city_is_the_place(nlp):
    body = ("Gang violence flared again near Port-au-Prince on Tuesday. "
            "Armed men stormed Kenscoff overnight and killed six residents, police said.")
    country, where = _place(nlp, body)
    assert country == "HT" and where.canonical == "Kenscoff"


def test_several_villages_named_together_leave_the_province(nlp):
    body = ("Air strikes pounded Idlib province on Monday. "
            "Bombs hit Has, Kafr Nabl and Maarrat Hurmah, killing twelve civilians, rescuers said.")
    country, where = _place(nlp, body)
    assert country == "SY" and where.canonical == "Idlib"


def test_a_village_far_into_the_story_is_another_event(nlp):
    body = ("Militants attacked an army post in Borno State on Friday, the army said. "
            "Soldiers repelled the attack after two hours of fighting. "
            "The governor visited the wounded in hospital. "
            "He promised new roads and schools for the state. "
            "Farmers said the rains came late this year. "
            "Prices of grain rose in the markets. "
            "Last year, gunmen killed nine people in Konduga.")
    country, where = _place(nlp, body)
    assert country == "NG" and where.canonical != "Konduga"


@pytest.mark.parametrize("body,name", [
    ("Militants stormed a market in the Tillaberi region on Friday, killing nine traders. "
     "The Tillaberi region has seen many such raids.", "Tillaberi"),
    ("Rebels attacked farms near Beni on Monday. In Bulongo village, five farmers were killed, a local chief said.",
     "Bulongo"),
])
def test_a_capitalised_function_word_is_not_part_of_a_unit_name(nlp, body, name):
    names = {m.text for m in nlp(body)._.cw_places}
    assert name in names and not any(n.split()[0] in ("The", "In") for n in names), names


_LATE_VILLAGE = ("Gunmen on motorbikes attacked herders in Tahoua region on Saturday, the governor said. "
                 "The attackers stole hundreds of cattle before fleeing towards the border. "
                 "\"We heard shots all night,\" one herder said. "
                 "Another said the army arrived only in the morning. "
                 "The governor promised more patrols. "
                 "In {place}, seven herders were killed and their camp burned.")


def test_a_village_the_gazetteer_lacks_may_come_after_the_quotes(nlp):
    country, where = _place(nlp, _LATE_VILLAGE.format(place="Tangawari village"))
    assert country == "NE" and where.name == "Tangawari"


def test_a_known_town_that_late_stays_another_event(nlp):
    country, where = _place(nlp, _LATE_VILLAGE.format(place="Illela"))
    assert country == "NE" and where.canonical != "Illela"


@pytest.mark.parametrize("sentence", [
    "Witnesses said the killings took place at the well in the village of Tangawari.",
    "Two elders were beheaded at the well in the village of Tangawari.",
])
def test_killings_and_beheadings_mark_an_incident_sentence(nlp, sentence):
    body = "Armed men raided herders' camps in Tahoua region on Saturday. " + sentence
    village = [m for m in nlp(body)._.cw_places if m.text == "Tangawari"]
    assert village and village[0].incident


def test_a_bare_repeat_of_a_cue_named_town_marks_the_incident(nlp):
    body = ("Videos showed pools of blood in a square in the town of Kafr Numrin in northwest Syria on Monday. "
            "Rescuers said eleven people died in Kafr Numrin and two in Binnish, where a bakery was also struck.")
    country, where = _place(nlp, body)
    assert country == "SY" and where.name == "Kafr Numrin"


def test_a_repeat_is_not_placed_in_the_city_named_after_it(nlp):
    body = ("Gunmen raided herders' camps in Tahoua region on Saturday. In Tangawari village, houses were burned. "
            "A trader from Tangawari but living in Niamey said nine of his relatives were killed.")
    places = nlp(body)._.cw_places
    repeat = [m for m in places if m.text == "Tangawari" and m.sent == 2]
    assert repeat and repeat[0].repeat and repeat[0].incident
    country, where = locate(places)
    assert country == "NE" and where.name == "Tangawari"
