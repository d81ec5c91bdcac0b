"""Funerals and burials retell an earlier attack's dead: their figure is no new toll."""

import pytest
from extract_helpers import casualty_facts, casualty_nlp

from conflictwatch.extract.casualties import civilian_deaths_rollup


@pytest.fixture(scope="module")
def nlp():
    return casualty_nlp()


def rollup(nlp, text):
    facts = casualty_facts(nlp, text, article_id="af1", published="2024-05-02")
    return civilian_deaths_rollup(facts)


def test_the_dead_of_a_funeral_are_not_a_new_toll(nlp):
    text = "Hundreds of villagers attended the mass burial of 31 people killed in an attack on the hamlet last week."
    assert rollup(nlp, text) is None


def test_an_attack_followed_by_its_burial_keeps_its_toll(nlp):
    text = "Gunmen attacked the hamlet on Sunday, killing 31 villagers. The victims were buried on Monday."
    assert rollup(nlp, text).best == 31
