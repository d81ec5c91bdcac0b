"""Alert-level scoring (evaluation.alerts): expectations, attribution, precision/recall, stream dates."""

from __future__ import annotations

from datetime import date

import pytest

from conflictwatch.evaluation.alerts import (
    cited_articles, expected_alerts, incident_expected, score_alerts, stream_dates, stream_order,
)


def _lab(talks="none", deaths=None, rng=None):
    return {"talks_status": talks, "civilian_deaths": deaths, "civilian_deaths_range": rng}


def _alert(aid, kind, *articles, evidence=None):
    ev = [{"article_id": a} for a in (evidence if evidence is not None else articles[:1])]
    return {"id": aid, "type": kind, "data": {"evidence": ev, "articles": [{"id": a} for a in articles],
                                             "summary": f"summary of {aid}"}}


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


def test_precision_per_alert_recall_per_expected_article():
    labels = {"t1": _lab("collapsed"), "t2": _lab("resumed"), "c1": _lab(deaths=7), "c2": _lab(deaths=3),
              "c3": _lab(deaths=None, rng=[None, 6]), "c4": _lab(deaths=12), "g1": _lab(), "w1": _lab()}
    alerts = [_alert("A", "talks.collapsed", "t1"),
              _alert("B", "talks.collapsed", "t2"),                 # wrong direction: false, and t2 resumed missed
              _alert("C", "civilian_deaths.incident", "c1", "c2"),  # c1 expects it: true (c2's 3 joined in)
              _alert("D", "civilian_deaths.incident", "c3"),        # c3 straddles: either way
              _alert("E", "civilian_deaths.incident", "g1", "w1"),  # general news: false, once per prefix
              _alert("F", "civilian_deaths.window", "w1"),          # window over an article without a toll
              _alert("G", "civilian_deaths.window", "c2"),          # window over an article with a toll
              _alert("H", "talks.resumed", "zz9")]                  # cites no streamed article
    rep = score_alerts(labels, alerts, 5)
    pt = rep["per_type"]
    c, r, i, w = pt["talks.collapsed"], pt["talks.resumed"], pt["civilian_deaths.incident"], pt["civilian_deaths.window"]
    assert (c["alerts"], c["true"], c["false"], c["expected"], c["found"]) == (2, 1, 1, 1, 1)
    assert c["precision"] == 0.5 and c["recall"] == 1.0
    assert (r["alerts"], r["true"], r["false"], r["expected"], r["missed"]) == (1, 0, 0, 1, 1)
    assert r["precision"] is None and r["recall"] == 0.0
    assert (i["alerts"], i["true"], i["false"], i["either"], i["expected"], i["found"], i["missed"]) == (3, 1, 1, 1, 2, 1, 1)
    assert (w["true"], w["false"], w["expected"], w["recall"]) == (1, 1, 0, None)
    assert (rep["all"]["true"], rep["all"]["false"], rep["all"]["found"], rep["all"]["expected"]) == (2, 2, 2, 4)
    assert rep["all"]["precision"] == 0.5 and rep["all"]["recall"] == 0.5
    assert [(f["alert_id"], f["article_ids"]) for f in rep["false"]] == [("B", ["t2"]), ("E", ["g1", "w1"]), ("F", ["w1"])]
    assert rep["false"][0]["summary"] == "summary of B"
    assert rep["missed"] == [{"article_id": "t2", "type": "talks.resumed"},
                             {"article_id": "c4", "type": "civilian_deaths.incident"}]
    assert rep["unattributed"] == ["H"]
    assert rep["by_prefix"]["g"] == {"articles": 1, "false": 1, "missed": 0}
    assert rep["by_prefix"]["w"] == {"articles": 1, "false": 2, "missed": 0}
    assert rep["by_prefix"]["c"] == {"articles": 4, "false": 0, "missed": 1}


def test_undated_articles_get_their_own_spaced_dates_after_the_dated():
    pub = {"a": "2024-01-10", "b": None, "c": "2023-05-31T10:00:00+00:00", "d": None}
    dates = stream_dates(pub, today=date(2024, 12, 31))
    assert dates["a"] == "2024-01-10" and dates["c"] == "2023-05-31"
    assert dates["b"] == "2024-02-09" and dates["d"] == "2024-03-10"   # 30-day steps, in id order
    assert stream_order(dates) == ["c", "a", "b", "d"]
    tight = stream_dates(pub, today=date(2024, 1, 16))
    assert tight["b"] == "2024-01-12" and tight["d"] == "2024-01-14"   # shrunk, but at least 2 days apart


def test_drain_state_needs_zero_lag_and_every_article_on_the_topic():
    from conflictwatch.evaluation.stream import _drain_state

    class Ends:
        def __init__(self, ends):
            self.ends = ends

        def end_offsets(self, tps):
            return {tp: self.ends[(tp.topic, tp.partition)] for tp in tps}

    ends = Ends({("r", 0): 6, ("e", 0): 9})
    assert _drain_state({("r", 0): 1, ("e", 0): 0}, ends, "r", 6) is None      # an article not committed
    assert _drain_state({}, ends, "r", 6) is None                               # nothing measured yet
    assert _drain_state({("r", 0): 0, ("e", 0): 0}, ends, "r", 7) is None      # not all articles landed
    assert _drain_state({("r", 0): 0, ("e", 0): 0}, ends, "r", 6) == (("e", 0, 9), ("r", 0, 6))


def test_run_topics_are_only_the_fresh_prefix_and_app_id():
    from conflictwatch.config import Settings
    from conflictwatch.evaluation.stream import run_settings, run_topic

    run = run_settings(Settings().with_(topic_prefix="team."), "127.0.0.1:1")
    assert run.partitions == 1 and run.topic_prefix.startswith("team.eval-") and run.bootstrap_servers == "127.0.0.1:1"
    assert run_topic(run.topic("alerts"), run)
    assert run_topic(f"{run.app_id}-tracks-changelog", run)
    assert not run_topic("team.alerts", run)
    assert not run_topic("conflictwatch-tracks-changelog", run)


def test_a_later_outlet_on_the_same_change_is_covered_by_the_first_alert():
    labels = {"t1": {**_lab("collapsed"), "country": "Libya"}, "t2": {**_lab("collapsed"), "country": "Libya"},
              "t3": {**_lab("collapsed"), "country": "Libya"}, "t4": {**_lab("collapsed"), "country": "Sudan"},
              "t5": {**_lab("collapsed"), "country": "Libya"}, "t6": {**_lab("collapsed"), "country": "Libya"}}
    dates = {"t1": "2020-02-18", "t2": "2020-02-20T09:00:00+00:00", "t3": "2020-04-01", "t4": "2020-02-19",
             "t5": "2020-02-10"}                                   # t6 undated: never covered
    rep = score_alerts(labels, [_alert("A", "talks.collapsed", "t1")], 5, dates)
    c = rep["per_type"]["talks.collapsed"]
    assert (c["expected"], c["found"], c["covered"], c["missed"]) == (6, 2, 1, 4)
    assert sorted(m["article_id"] for m in rep["missed"]) == ["t3", "t4", "t5", "t6"]
    assert score_alerts(labels, [_alert("A", "talks.collapsed", "t1")], 5)["per_type"]["talks.collapsed"]["covered"] == 0
