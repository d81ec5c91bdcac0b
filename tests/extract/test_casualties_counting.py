"""Counting rules (class 4 of issue 8) on sentences written for these tests."""

import pytest
from extract_helpers import casualty_facts, casualty_nlp

from conflictwatch.extract.casualties import civilian_deaths_rollup


@pytest.fixture(scope="module")
def nlp():
    return casualty_nlp()


def rollup(nlp, text, published="2024-11-20"):
    d = civilian_deaths_rollup(casualty_facts(nlp, text, article_id="cnt1", published=published))
    return None if d is None else d.best


def test_the_wounded_after_the_dead_are_not_dead(nlp):
    text = "A monitoring group reported that the shelling of the market left at least 7 dead and another 19 wounded."
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    kinds = {(e.type, e.quantity.best) for e in doc._.cw_casualties}
    assert ("injuries", 19) in kinds
    assert not any(t.endswith("deaths") and n == 19 for t, n in kinds)


def test_another_source_is_not_another_incident(nlp):
    text = ("A rocket hit the school in Varna on Monday, killing nine civilians, residents said. "
            "Another official gave a provisional toll of 10.")
    assert rollup(nlp, text) in (9, 10)


def test_a_partial_tally_of_bodies_does_not_replace_the_toll(nlp):
    text = ("An air strike on the camp killed at least 12 people on Sunday, local sources said. "
            "A hospital source said the hospital had received three bodies.")
    assert rollup(nlp, text) == 12


def test_an_incident_in_an_earlier_month_is_background(nlp):
    text = ("In August, a strike on a shelter in Tamra killed 40 people, including children. "
            "On Tuesday a drone strike on the same shelter killed 14 civilians.")
    assert rollup(nlp, text) == 14


def test_the_object_of_a_coordinated_verb_is_not_a_victim(nlp):
    text = "Gunmen killed eight villagers in Kassa on Monday and left dozens homeless, officials said."
    assert rollup(nlp, text) == 8
