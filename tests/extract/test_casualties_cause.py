"""Deaths outside armed conflict (disasters, accidents, disease) give no casualty events (death_cause.py)."""

import pytest
from extract_helpers import casualty_facts, casualty_nlp

from conflictwatch.extract.casualties import civilian_deaths_rollup


@pytest.fixture(scope="module")
def nlp():
    return casualty_nlp()


def events(nlp, text):
    facts = casualty_facts(nlp, text, article_id="dc1", published="2024-05-02")
    return facts


@pytest.mark.parametrize("text", [
    "Flash floods swept through three villages in the valley overnight.\n"
    "At least 40 people were killed, including 12 children, and the death toll is expected to rise.",
    "A bus carrying pilgrims plunged into a gorge on Sunday. Twenty-two passengers died at the scene.",
    "A fire broke out in the intensive care ward of the city hospital, killing 31 patients.",
    "The cholera outbreak has killed 19 inmates at the central prison, health officials said.",
])
def test_disaster_accident_and_disease_deaths_are_not_conflict_casualties(nlp, text):
    assert not [e for e in events(nlp, text) if e.type.endswith("deaths")]
    assert civilian_deaths_rollup(events(nlp, text)) is None


def test_an_attack_in_a_disaster_story_still_counts(nlp):
    text = ("Heavy rains have cut the road to the camp for a week.\n"
            "On Tuesday gunmen attacked the camp and shot dead six displaced villagers.")
    assert civilian_deaths_rollup(events(nlp, text)).best == 6


def test_a_killing_during_a_curfew_is_violence(nlp):
    text = "Police beat a street vendor to death on Friday for breaking the coronavirus curfew, witnesses said."
    assert [e for e in events(nlp, text) if e.type.endswith("deaths")]
