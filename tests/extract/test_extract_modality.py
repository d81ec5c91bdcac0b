"""modality.assess on single trigger words, in sentences written for these tests."""

from __future__ import annotations

import pytest

from conflictwatch.extract.modality import assess, is_far_past


def _trigger(nlp, text, word):
    doc = nlp(text)
    doc._.cw_published = "2023-06-15"
    toks = [t for t in doc if t.text == word]
    assert toks, f"{word!r} not in {text!r}"
    return toks[0]


@pytest.mark.parametrize("text,word,expected", [
    ("The talks collapsed on Monday.", "collapsed", "asserted"),
    ("The talks collapsed on Monday, a rebel spokesman said.", "collapsed", "reported"),
    ("According to the mediators, the talks collapsed.", "collapsed", "reported"),
    ("The talks could collapse within days.", "collapse", "conditional"),
    ("The rebels threatened to walk out of the talks.", "walk", "conditional"),
    ("The talks are on the brink of collapse.", "collapse", "conditional"),
    ("The talks have not collapsed.", "collapsed", "negated"),
    ("Officials denied that the talks had collapsed.", "collapsed", "negated"),
    ("The rebels refused to return to the talks.", "return", "negated"),
    ("The two sides agreed to resume the talks.", "resume", "planned"),
    ("The talks will resume next week.", "resume", "planned"),
    ("The talks are scheduled to resume next week.", "resume", "planned"),
    ("If the talks collapse, fighting will spread.", "collapse", "conditional"),
    ("The talks, which had collapsed years ago, were revived.", "collapsed", "historical"),
])
def test_modality(nlp, text, word, expected):
    assert assess(_trigger(nlp, text, word)).modality == expected


def test_commitment_separates_agreement_from_schedule(nlp):
    agreed = assess(_trigger(nlp, "The two sides agreed to resume the talks.", "resume"))
    scheduled = assess(_trigger(nlp, "The talks are scheduled to resume next week.", "resume"))
    assert agreed.commitment is True
    assert scheduled.commitment is False


def test_reported_future_is_a_committed_plan(nlp):
    m = assess(_trigger(nlp, "The rebels said they would return to the talks.", "return"))
    assert (m.modality, m.commitment) == ("planned", True)


def test_far_past_year_is_background(nlp):
    tok = _trigger(nlp, "The talks collapsed in 2016 after a bombing.", "collapsed")
    assert is_far_past(tok, "2023-06-15")
    assert not is_far_past(tok, "2016-06-15")


def test_gap_date_is_not_the_facts_date(nlp):
    tok = _trigger(nlp, "The talks resumed, the first meeting of the two sides since 2011.", "resumed")
    assert not is_far_past(tok, "2023-06-15")
