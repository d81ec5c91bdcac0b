"""An "it"/"they" subject of a collapse or violation verb standing for earlier talks or a truce.

Sentences written for these tests. The pronoun takes the nearest agreeing noun phrase of its
own or the previous sentence; only when that noun is the truce (or the talks) is the change theirs.
"""

from __future__ import annotations

import pytest

from extract_helpers import make_article

FILLER = ("Fighting has raged across the north for a month. Aid agencies warned of hunger in the camps. "
          "Bread prices have doubled. ")


def _types(ex, prefix):
    return [(e.type, e.modality) for e in ex.events if e.type.startswith(prefix)]


@pytest.mark.parametrize("body", [
    "A truce between the army and the rebels was agreed on Sunday. It was violated on Wednesday.",
    "A truce between the army and the rebels took effect on Sunday, but it collapsed within hours as shelling resumed.",
    "A truce brokered by Qatar took effect on Sunday. It broke down on Tuesday.",
])
def test_pronoun_for_a_truce_gives_the_violation(extractor, body):
    ex = extractor.extract(make_article(FILLER + body))
    assert ("ceasefire_violated", "asserted") in _types(ex, "ceasefire"), _types(ex, "")


def test_pronoun_violation_keeps_its_own_date(extractor):
    ex = extractor.extract(make_article(
        FILLER + "A truce between the army and the rebels was agreed on Sunday. It was violated on Wednesday."))
    v = [e for e in ex.events if e.type == "ceasefire_violated"]
    assert [e.when.date for e in v] == ["2023-06-14"]


@pytest.mark.parametrize("body", [
    # a nearer noun of another class is what "it" stands for
    "A truce between the army and the rebels was agreed on Sunday. The rebels seized a village on Monday. "
    "It was violated on Wednesday.",
    # "they" are the violators, not the truce
    "A truce between the army and the rebels was agreed on Sunday. They broke the rules on Wednesday.",
    # a pronoun with no truce before it
    "The army took the village on Sunday. It was abandoned on Wednesday.",
])
def test_pronoun_for_something_else_gives_no_violation(extractor, body):
    ex = extractor.extract(make_article(FILLER + body))
    assert not [t for t in _types(ex, "ceasefire_violated")], _types(ex, "")


def test_pronoun_for_talks_gives_the_collapse(extractor):
    ex = extractor.extract(make_article(
        FILLER + "Peace negotiations between the army and the rebels opened in Doha on Monday. "
                 "They broke down on Wednesday."))
    assert ex.summary.talks_status == ["collapsed"], _types(ex, "talks")
    c = [e for e in ex.events if e.type == "talks_collapsed"]
    assert [e.when.date for e in c] == ["2023-06-14"]


@pytest.mark.parametrize("body", [
    # the nearer plural noun is the delegations, not the talks
    "Peace negotiations between the army and the rebels opened in Doha on Monday with both delegations. "
    "They broke down in tears on Wednesday.",
    # "they" acting on something: a party, not the talks
    "Peace negotiations between the army and the rebels opened in Doha on Monday. "
    "They broke the deadlock on Wednesday.",
])
def test_pronoun_for_parties_gives_no_collapse(extractor, body):
    ex = extractor.extract(make_article(FILLER + body))
    assert "collapsed" not in ex.summary.talks_status, _types(ex, "talks")


def test_pronoun_does_not_look_back_across_skipped_sentences(nlp):
    from conflictwatch.extract.talks import pronoun_antecedent
    doc = nlp.make_doc("A truce was agreed on Sunday.\n\nIt was violated on Wednesday.")
    doc = nlp(doc)
    it = next(t for t in doc if t.text == "It")
    assert pronoun_antecedent(it) is not None and pronoun_antecedent(it).text == "truce"
    gap = nlp.make_doc("A truce was agreed on Sunday.\n\nIt was violated on Wednesday.")
    gap.user_data["segment_starts"] = [gap.text.index("It")]
    gap = nlp(gap)
    assert pronoun_antecedent(next(t for t in gap if t.text == "It")) is None


@pytest.mark.parametrize("body", [
    "A truce between the army and the rebels took effect in Upper Valley province on Sunday. "
    "They violated it on Wednesday, farmers said.",
    "A truce between the army and the rebels took effect on Sunday. The militia breached it within hours.",
    "A truce between the army and the rebels took effect on Sunday, but gunmen broke it on Tuesday.",
])
def test_object_pronoun_for_a_truce_gives_the_violation(extractor, body):
    ex = extractor.extract(make_article(FILLER + body))
    assert [m for t, m in _types(ex, "ceasefire_violated") if m in ("asserted", "reported")], _types(ex, "")


@pytest.mark.parametrize("body", [
    # the nearer thing is the hill, not the truce
    "A truce between the army and the rebels took effect on Sunday. The rebels captured a hill on Monday. "
    "The army abandoned it on Wednesday.",
    # a violation verb on something else
    "A truce between the army and the rebels took effect on Sunday. The gunmen broke a window of the school.",
])
def test_object_pronoun_for_something_else_gives_no_violation(extractor, body):
    ex = extractor.extract(make_article(FILLER + body))
    assert not _types(ex, "ceasefire_violated"), _types(ex, "")


@pytest.mark.parametrize("body", [
    "Peace negotiations between the army and the rebels opened in Doha on Monday. "
    "The government suspended them on Wednesday.",
    "Peace negotiations between the army and the rebels opened in Doha on Monday. "
    "The rebel delegation walked out of them on Wednesday.",
])
def test_object_pronoun_for_talks_gives_the_collapse(extractor, body):
    ex = extractor.extract(make_article(FILLER + body))
    assert ex.summary.talks_status == ["collapsed"], _types(ex, "talks")


def test_object_pronoun_is_not_its_own_subject(nlp):
    from conflictwatch.extract.talks import pronoun_antecedent
    doc = nlp("A truce was agreed on Sunday. The militia broke it within hours.")
    it = next(t for t in doc if t.text == "it")
    assert pronoun_antecedent(it, animate_ok=False).text == "truce"
