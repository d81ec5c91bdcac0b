"""Alert-level scoring (evaluation.alerts): expectations, attribution, precision/recall, stream dates."""

from __future__ import annotations

from datetime import date

import pytest

from conflictwatch.evaluation.alerts import (
    attribute, cited_articles, expected_alerts, incident_expected, score_alerts, stream_dates, stream_order,
)


def _lab(talks="none", deaths=None, rng=None):
    return {"talks_status": talks, "civilian_deaths": deaths, "civilian_deaths_range": rng}


def _alert(aid, kind, *articles, evidence=None):
    ev = [{"article_id": a} for a in (evidence if evidence is not None else articles[:1])]
    return {"id": aid, "type": kind, "data": {"evidence": ev, "articles": [{"id": a} for a in articles]}}


@pytest.mark.parametrize("deaths,rng,want", [
    (None, None, False),
    (4, None, False),
    (5, None, True),
    (12, [12, None], True),        # at least 12
    (8, [None, 8], None),          # up to 8: straddles 5
    (3, [None, 3], False),         # up to 3: below
    (None, [3, 7], None),          # derived range across the threshold
    (None, [24, None], True),      # dozens
    (0, None, False),
])
def test_incident_expectation_with_ranges(deaths, rng, want):
    assert incident_expected(_lab(deaths=deaths, rng=rng), 5) is want


def test_expected_alerts_from_talks_list():
    exp = expected_alerts(_lab(["resumed", "collapsed"], 6), 5)
    assert exp == {"talks.collapsed": True, "talks.resumed": True, "civilian_deaths.incident": True}
    assert expected_alerts(_lab("none"), 5)["talks.collapsed"] is False


def test_citations_from_evidence_and_article_list():
    a = _alert("x", "civilian_deaths.incident", "a2", "a3", evidence=["a1", "a2"])
    assert cited_articles(a) == ["a1", "a2", "a3"]
    pairs = attribute([a, _alert("y", "talks.resumed", "a1")])
    assert pairs[("a2", "civilian_deaths.incident")] == ["x"]
    assert pairs[("a1", "talks.resumed")] == ["y"]


def test_precision_recall_false_and_missed_by_article():
    labels = {"t1": _lab("collapsed"), "t2": _lab("resumed"), "c1": _lab(deaths=7), "c2": _lab(deaths=None, rng=[None, 6]),
              "g1": _lab(), "w1": _lab()}
    alerts = [_alert("A", "talks.collapsed", "t1"),
              _alert("B", "talks.collapsed", "t2"),               # wrong direction: false + t2 resumed missed
              _alert("C", "civilian_deaths.incident", "c1", "c2"),  # c2 straddles: neither
              _alert("D", "civilian_deaths.incident", "g1"),        # general news: false
              _alert("E", "civilian_deaths.window", "w1"),          # window on an article without a toll
              _alert("F", "talks.resumed", "zz9")]                  # cites no streamed article
    rep = score_alerts(labels, alerts, 5)
    pt = rep["per_type"]
    assert (pt["talks.collapsed"]["tp"], pt["talks.collapsed"]["fp"], pt["talks.collapsed"]["fn"]) == (1, 1, 0)
    assert (pt["talks.resumed"]["tp"], pt["talks.resumed"]["fp"], pt["talks.resumed"]["fn"]) == (0, 0, 1)
    assert (pt["civilian_deaths.incident"]["tp"], pt["civilian_deaths.incident"]["fp"]) == (1, 1)
    assert (rep["all"]["tp"], rep["all"]["fp"], rep["all"]["fn"]) == (2, 2, 1)
    assert rep["all"]["precision"] == 0.5 and rep["all"]["recall"] == pytest.approx(0.6667)
    assert {(f["article_id"], f["type"]) for f in rep["false"]} == {
        ("t2", "talks.collapsed"), ("g1", "civilian_deaths.incident"), ("w1", "civilian_deaths.window")}
    assert rep["missed"] == [{"article_id": "t2", "type": "talks.resumed"}]
    assert rep["unattributed"] == ["F"]
    assert rep["by_prefix"]["g"] == {"articles": 1, "false": 1, "missed": 0}
    assert rep["by_prefix"]["w"] == {"articles": 1, "false": 1, "missed": 0}
    assert rep["alerts"]["civilian_deaths.incident"] == 2


def test_undated_articles_get_their_own_spaced_dates_after_the_dated():
    pub = {"a": "2024-01-10", "b": None, "c": "2023-05-31T10:00:00+00:00", "d": None}
    dates = stream_dates(pub, today=date(2024, 12, 31))
    assert dates["a"] == "2024-01-10" and dates["c"] == "2023-05-31"
    assert dates["b"] == "2024-02-09" and dates["d"] == "2024-03-10"   # 30-day steps, in id order
    assert stream_order(dates) == ["c", "a", "b", "d"]
    tight = stream_dates(pub, today=date(2024, 1, 16))
    assert tight["b"] == "2024-01-12" and tight["d"] == "2024-01-14"   # shrunk, but at least 2 days apart
