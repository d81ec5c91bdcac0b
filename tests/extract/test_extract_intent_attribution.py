"""Wishes, efforts and proposals are not facts; accusations are attributed facts.

Sentences written for these tests. A talks or truce change governed by a verb or noun
of desire, intention, effort or proposal must not be counted (asserted/reported); a
change someone is accused or blamed of is reported, the accuser being the source.
"""

from __future__ import annotations

import pytest

from extract_helpers import make_article

# A real earlier collapse first, so that the article is about talks and a bare "table" is the
# negotiating table: the second sentence is the one under test.
LEAD = "Peace talks between the army and the insurgents broke down on Monday. "

WISHES = [
    "Mediators said they hoped to bring the two sides back to the table.",
    "On Thursday, the envoys hoped to get both delegations back to the negotiating table, a diplomat said.",
    "The UN envoy is working to bring the parties back to the negotiating table, a spokesman said.",
    "Regional leaders were scrambling to bring the delegations back to the table on Friday.",
    "Mediators urged the sides to return to talks after weeks of fighting in the north.",
    "The envoy flew to the capital on Monday in a bid to bring the army back to the peace talks.",
    "Efforts to restart negotiations between the army and the insurgents intensified on Tuesday.",
    "The African Union called for talks to resume as fighting raged in the province.",
    "The rebels aim to return to the negotiating table next month.",
    "Church leaders lobbied for a return to the peace talks, a spokesman said.",
    "Donors are pressing the two sides to resume negotiations, diplomats said.",
    "The foreign minister said he wanted the two sides to resume negotiations.",
]


@pytest.mark.parametrize("sentence", WISHES)
def test_wished_for_resumption_is_not_counted(extractor, sentence):
    ex = extractor.extract(make_article(LEAD + sentence))
    assert ex.summary.talks_status == ["collapsed"], [(e.type, e.modality) for e in ex.events]
    assert not [e for e in ex.events if e.type == "talks_resumed" and e.modality in ("asserted", "reported")]


@pytest.mark.parametrize("sentence", [
    "Mediators hoped to secure a ceasefire by the end of the week.",
    "A bid to broker a ceasefire between the army and the rebels collapsed on Tuesday.",
    "Efforts to restore the truce in the province failed on Monday, officials said.",
])
def test_wished_for_truce_is_no_truce_fact(extractor, sentence):
    ex = extractor.extract(make_article(sentence))
    counted = [e for e in ex.events if e.type.startswith("ceasefire") and e.modality in ("asserted", "reported")]
    assert not counted, [(e.type, e.modality) for e in ex.events]


@pytest.mark.parametrize("sentence", [
    "Efforts to revive the peace talks between the army and the rebels collapsed on Tuesday.",
    "A fresh attempt by Qatar to restart the peace talks broke down on Sunday.",
])
def test_failed_effort_is_not_a_talks_collapse(extractor, sentence):
    ex = extractor.extract(make_article(sentence))
    assert ex.summary.talks_status == [], [(e.type, e.modality) for e in ex.events]


def test_effort_verb_does_not_hedge_a_plain_fact(extractor):
    # "worked" governs no goal here: the resumption is the article's own fact.
    ex = extractor.extract(make_article(
        "Peace talks between the army and the rebels resumed in Nairobi on Monday after mediators worked "
        "through the weekend."))
    assert ex.summary.talks_status == ["resumed"]


@pytest.mark.parametrize("sentence,type_", [
    ("Government forces accused the rebels of violating the ceasefire on Tuesday.", "ceasefire_violated"),
    ("The government charged the rebels with breaking the truce in the north.", "ceasefire_violated"),
    ("The militia blamed the army for the collapse of the peace talks.", "talks_collapsed"),
    ("The rebels condemned the army for breaching the truce near the border.", "ceasefire_violated"),
])
def test_accusation_is_reported(extractor, sentence, type_):
    ex = extractor.extract(make_article(sentence))
    evs = [e for e in ex.events if e.type == type_]
    assert evs and all(e.modality == "reported" for e in evs), [(e.type, e.modality) for e in ex.events]


def test_hoped_is_read_as_hope_even_when_the_lemmatizer_misses(nlp):
    from conflictwatch.extract.modality import cue_lemma
    doc = nlp("Mediators hoped to revive the talks.")
    assert cue_lemma(doc[1]) == "hope"
    assert cue_lemma(doc[0]) == doc[0].lemma_.lower()   # only verbs are repaired


def test_particle_trigger_takes_its_verbs_expectation(extractor):
    # "back" hangs on "expected" as a particle, not a complement: the expectation still governs it.
    ex = extractor.extract(make_article(
        LEAD + "Diplomats said both delegations were expected back at the negotiating table next week."))
    assert ex.summary.talks_status == ["collapsed"], [(e.type, e.modality) for e in ex.events]


def test_particle_trigger_of_a_plain_verb_is_a_fact(extractor):
    ex = extractor.extract(make_article(
        "Peace talks between the army and the rebels stalled in May. The rebel delegation came back to the "
        "negotiating table on Monday, a mediator said."))
    assert ex.summary.talks_status == ["resumed"]
