"""Victim status from the attack's context (victim_status.py), on sentences written for these tests."""

import pytest
from extract_helpers import casualty_facts, casualty_nlp

from conflictwatch.extract.casualties import civilian_deaths_rollup


@pytest.fixture(scope="module")
def nlp():
    return casualty_nlp()


def deaths(nlp, text):
    facts = casualty_facts(nlp, text, article_id="vs1", published="2024-03-10")
    return facts


def best(nlp, text):
    d = civilian_deaths_rollup(deaths(nlp, text))
    return None if d is None else d.best


@pytest.mark.parametrize("text, expected", [
    # One-sided violence against unmarked victims: presumed civilians.
    ("On 3 March, a man was found dead near the river crossing of Benali. His hands were tied. 1 fatality.", 1),
    ("Unidentified gunmen shot dead two men outside a tea stall in Koramo on Friday.", 2),
    ("Armed men abducted three people from the highway near Tirsa and executed them the next day.", 3),
    # An execution carried out by the state is no attack on civilians.
    ("The government executed four convicts at the central prison on Monday, the justice ministry said.", None),
])
def test_unmarked_victims_of_one_sided_violence(nlp, text, expected):
    assert best(nlp, text) == expected


@pytest.mark.parametrize("text", [
    # A fight between armed sides: the unmarked dead may be fighters.
    "Armed men clashed with the district police near Ostra on Sunday. Three men were killed. 3 fatalities.",
    "Two rival militias exchanged fire in the village of Dunmo, and five people were killed.",
    # Another armed side around the victims: gunmen who ambush a patrol kill the patrol.
    "Gunmen ambushed an army patrol near Selo on Monday. Four were shot dead. 4 fatalities.",
])
def test_unmarked_dead_in_a_fight_stay_unspecified(nlp, text):
    assert best(nlp, text) is None
    assert any(e.type.endswith("deaths") for e in deaths(nlp, text))


@pytest.mark.parametrize("text", [
    "Gunmen shot dead two local policemen at a checkpoint in Arvo on Tuesday.",
    "Unknown attackers killed a member of the VRF in the town of Kessa.",
    "A lieutenant of the border guard was shot dead by unidentified assailants in Pelu.",
])
def test_combatant_words_make_combatants(nlp, text):
    evs = [e for e in deaths(nlp, text) if e.type.endswith("deaths")]
    assert evs and all(e.type == "combatant_deaths" for e in evs)


def test_explicit_civilians_in_a_battle_still_count(nlp):
    text = "Government troops and rebels clashed in Marvo on Monday, and two civilians were killed in the crossfire."
    assert best(nlp, text) == 2


def test_animals_are_no_victims(nlp):
    text = "Raiders attacked the village of Sumo, burned 20 huts and killed 15 goats before fleeing."
    assert not [e for e in deaths(nlp, text) if e.type == "civilian_deaths" and e.quantity and e.quantity.best == 15]


@pytest.mark.parametrize("text, expected", [
    # Armed killers and unmarked victims, no other armed side: one-sided.
    ("Soldiers of the 4th brigade killed two men on the road to Halde on Thursday.", 2),
    ("An unidentified armed group attacked and killed 6 people near the hill of Toma.", 6),
    ("In Rivas, two men were shot in a drive-by attack. One man died and the other was hurt.", 1),
])
def test_armed_killers_of_unmarked_victims(nlp, text, expected):
    assert best(nlp, text) == expected


def test_the_reporter_of_a_toll_is_no_killer(nlp):
    text = "An army officer put the number of the dead at 15 after the assault on the base."
    assert best(nlp, text) is None
