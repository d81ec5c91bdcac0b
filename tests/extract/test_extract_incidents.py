"""Attacks, ceasefires and reconciliation deals on sentences written for these tests."""

from __future__ import annotations

import pytest

from extract_helpers import make_article


def _events(extractor, text, type_):
    return [e for e in extractor.extract(make_article(text)).events if e.type == type_]


@pytest.mark.parametrize("text,subtype", [
    ("Government warplanes carried out air strikes on the rebel-held town on Monday.", "air_strike"),
    ("Helicopters dropped barrel bombs on the eastern districts, a monitor said.", "barrel_bomb"),
    ("Rebels fired mortar shells at the army base overnight.", "shelling"),
    ("A car bomb exploded near a market in the capital.", "bombing"),
    ("A ballistic missile hit an apartment block in the city, the ministry said.", "missile"),
    ("Gunmen stormed the village at dawn and burned houses.", "ground_assault"),
])
def test_attack_subtype(extractor, text, subtype):
    attacks = _events(extractor, text, "attack")
    assert [a.subtype for a in attacks] == [subtype]


def test_ceasefire_declared_and_violated(extractor):
    assert _events(extractor, "The warring parties declared a nationwide ceasefire starting at midnight.",
                   "ceasefire_declared")
    assert _events(extractor, "The army accused the rebels of violating the truce by shelling its positions.",
                   "ceasefire_violated")


def test_hedged_ceasefire_collapse_is_conditional(extractor):
    evs = _events(extractor, "The ceasefire could collapse if the shelling continues, the envoy warned.",
                  "ceasefire_violated")
    assert evs and evs[0].modality == "conditional"


def test_reconciliation_deal(extractor):
    evs = _events(extractor, "Rebel fighters in the town agreed to a reconciliation deal with the army on Sunday.",
                  "surrender_or_reconciliation")
    assert evs and evs[0].modality == "asserted"


def test_events_carry_codes(extractor):
    evs = _events(extractor, "Government warplanes carried out air strikes on the rebel-held town on Monday.", "attack")
    assert evs and evs[0].codes.get("cameo")


# --- one fact, one event: a later clause that retells or blames for the same truce violation --------

@pytest.mark.parametrize("retelling", [
    "Both sides blamed each other for breaking the truce.",
    "The rebels accused government forces of violating the ceasefire.",
    "Each side said the other broke the truce first.",
])
def test_retold_truce_violation_is_one_event(extractor, retelling):
    text = ("The truce between the army and the rebels was violated on Monday when shells hit the town of "
            f"Sake, killing four civilians, local officials said. {retelling}")
    assert len(_events(extractor, text, "ceasefire_violated")) == 1


def test_retelling_on_the_same_day_is_one_event(extractor):
    text = ("The ceasefire in the north was broken on Monday when artillery struck a market, residents said. "
            "Aid workers said the truce was violated on Monday by rocket fire.")
    assert len(_events(extractor, text, "ceasefire_violated")) == 1


@pytest.mark.parametrize("second", [
    "On Wednesday the truce was violated again near the border, aid workers said.",
    "Another violation of the ceasefire was reported near the airport, aid workers said.",
    "The truce was breached on Thursday when drones struck a fuel depot, aid workers said.",
])
def test_a_new_or_later_violation_is_a_second_event(extractor, second):
    text = ("The ceasefire in the north was broken on Monday when artillery struck a market, residents said. "
            f"{second}")
    assert len(_events(extractor, text, "ceasefire_violated")) == 2


def test_violation_after_a_new_truce_counts_again(extractor):
    text = ("The ceasefire collapsed on Monday as warplanes bombed the town, activists said. A fresh ceasefire "
            "took effect on Tuesday night. Activists said the ceasefire was violated when shelling hit a "
            "bakery.")
    assert len(_events(extractor, text, "ceasefire_violated")) == 2
