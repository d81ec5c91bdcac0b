"""A total of people whose list names combatants: the civilians are what remains of it."""

import pytest
from extract_helpers import casualty_facts, casualty_nlp

from conflictwatch.extract.casualties import civilian_deaths_rollup


@pytest.fixture(scope="module")
def nlp():
    return casualty_nlp()


def rollup(nlp, text):
    facts = casualty_facts(nlp, text, article_id="nc1", published="2024-05-02")
    return civilian_deaths_rollup(facts)


@pytest.mark.parametrize("text, best", [
    ("At least 33 people, including women and a police officer, were killed by militia fighters "
     "in a raid on the village.", 32),
    ("Nine people, including two children and the bomber, died in the blast at the bus station.", 8),
    ("Gunmen stormed the market town on Friday. The mayor said 57 people were killed, "
     "including nine policemen, while the rest were civilians.", 48),
])
def test_combatants_named_inside_a_total_are_taken_off_it(nlp, text, best):
    assert rollup(nlp, text).best == best


def test_a_list_of_civilians_alone_keeps_the_whole_total(nlp):
    text = "Gunmen stormed the village on Friday. They killed 40 villagers, including six women."
    assert rollup(nlp, text).best == 40


def test_an_uncounted_group_of_soldiers_leaves_the_rest_unknown(nlp):
    # "soldiers" without a number: how many of the 30 were civilians is not said.
    text = "At least 30 people, including children and soldiers, were killed when the market was shelled."
    assert rollup(nlp, text) is None


@pytest.mark.parametrize("text, best", [
    ("A suicide bomber struck a crowded market in the town on Monday. At least five people, "
     "including the bomber himself, were killed at the market, witnesses said.", 4),
    ("Six people including the attacker died when the blast tore through the wedding hall.", 5),
])
def test_the_attacker_is_never_counted_among_his_victims(nlp, text, best):
    assert rollup(nlp, text).best == best


def test_mostly_about_who_the_rest_were_does_not_halve_the_civilians(nlp):
    text = ("Raiders attacked the cattle camp at dawn. The commissioner said 86 people were killed, "
            "including 11 soldiers from the garrison, while the rest were civilians, mostly women.")
    assert rollup(nlp, text).best == 75


@pytest.mark.parametrize("text", [
    "Shelling hit the town overnight, killing 30 people, mostly civilians.",
    "An air strike hit the market, killing 30 people, most of whom were civilians.",
])
def test_mostly_civilians_still_gives_more_than_half(nlp, text):
    got = rollup(nlp, text)
    assert (got.low, got.high, got.best) == (16, 30, None)


def test_an_attacker_beside_the_figure_does_not_make_the_victims_fighters(nlp):
    text = "The governor said four people plus the bomber were killed when he blew himself up in the market."
    assert rollup(nlp, text).best == 4


def test_a_ceiling_from_a_better_source_does_not_overrule_a_stated_figure(nlp):
    text = ("Militants killed at least 14 people when gunmen stormed a cafe in the capital, a witness said. "
            "\"They killed nearly 15 people, including women and children,\" police officer Ali Hassan said.")
    got = rollup(nlp, text)
    assert (got.low, got.best) == (14, 14)

