"""A past perfect under a speech verb is the reported fact unless it is dated as older (invented sentences)."""

from __future__ import annotations

import pytest

from extract_helpers import make_article


def _events(ex, kind):
    return [(e.modality, e.novelty) for e in ex.events if e.type == kind]


@pytest.mark.parametrize("body,kind", [
    ("Local officials said militiamen had violated the truce on Tuesday near the border crossing.",
     "ceasefire_violated"),
    ("The navy alleged that the insurgents had broken the ceasefire overnight near the port.",
     "ceasefire_violated"),
    ("Government negotiators and rebel envoys met in the capital this week. A mediator told reporters "
     "the negotiations had collapsed.", "talks_collapsed"),
    ("A mediator said the peace talks had broken down on Wednesday.", "talks_collapsed"),
    ("The army said rebel fighters had violated the truce near the airport.", "ceasefire_violated"),
])
def test_reported_past_perfect_is_new(extractor, body, kind):
    ex = extractor.extract(make_article(body))
    assert ("reported", "new") in _events(ex, kind), [(e.type, e.modality, e.novelty) for e in ex.events]


@pytest.mark.parametrize("body,kind", [
    ("Clashes erupted near the border on Tuesday. Officials said the militia had violated a ceasefire in 2019 "
     "as well.", "ceasefire_violated"),
    ("The two delegations resumed peace talks on Tuesday, officials said. A mediator said an earlier round of "
     "talks had collapsed last year.", "talks_collapsed"),
    ("The two delegations resumed peace talks on Tuesday, officials said. A mediator said the talks had "
     "collapsed months ago.", "talks_collapsed"),
])
def test_reported_past_perfect_dated_older_stays_background(extractor, body, kind):
    ex = extractor.extract(make_article(body))
    got = _events(ex, kind)
    assert got and all(n == "background" for _, n in got), got


def test_undated_past_perfect_before_a_dated_opposite_change_is_background(extractor):
    ex = extractor.extract(make_article(
        "The two delegations resumed peace talks on Tuesday, officials said. A mediator said the talks had "
        "collapsed over a prisoner exchange."))
    assert ("reported", "new") in _events(ex, "talks_resumed")
    assert all(n == "background" for _, n in _events(ex, "talks_collapsed"))
