"""The gate lets short event reports through and still stops long non-conflict stories."""

from __future__ import annotations

import pytest

from conflictwatch.extract.pipeline import gate

# Invented event notes in the style of a conflict-event dataset: short, one term each.
SHORT_REPORTS = [
    "On 3 March, a shopkeeper was found dead near the bus station of Kamira. 1 fatality.",
    "On 12 June, unknown assailants executed two farmers outside Velo village.",
    "On 2 July, a patrol and a local armed group exchanged fire near Dorun; no casualties were reported.",
    "Around 5 May, the bodies of three men were recovered from a river near Tessa.",
    "On 9 April, an IED hit a truck on the road to Amsil.",
    "On 1 August, monitors counted 40 bursts of fire involving small arms near Lirovo.",
]


@pytest.mark.parametrize("text", SHORT_REPORTS)
def test_short_report_with_one_conflict_term_passes(text):
    assert gate(text)


def test_long_story_still_needs_two_distinct_terms():
    filler = "The council met to discuss the budget for parks and libraries. " * 14
    one_term = filler + "A retired teacher was found dead at his home, police said."
    assert len(one_term) > 800
    assert not gate(one_term)
    assert gate(one_term + " Gunmen had attacked the house the night before.")


def test_short_text_without_any_conflict_term_is_stopped():
    assert not gate("The bakery on Main Street opened a second shop on Monday. Queues formed early.")
