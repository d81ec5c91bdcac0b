import pytest
from alertkit import NOW, Harness, article, make_event

from conflictwatch.alerts import AlertError, EventInvalid


@pytest.mark.parametrize("bad", [None, [], {}, {"event_id": "ev-1", "type": "civilian_deaths"},
                                 {"event_id": "", "type": "talks_resumed", "region": "SY"}])
def test_malformed_events_raise_a_package_error(harness, bad):
    with pytest.raises(EventInvalid) as info:
        harness.engine.on_event(bad, NOW)
    assert isinstance(info.value, AlertError)


def test_unrelated_event_types_give_nothing_and_store_nothing(harness):
    art = article("u1", "Wire", "2018-07-05T10:00:00Z")
    for etype in ("attack", "talks_held", "talks_planned", "combatant_deaths", "injuries", "displacement"):
        assert harness.feed(make_event(art, etype, f"Something of type {etype}.", best=40)) == []
    assert len(harness.tracks) == len(harness.incidents) == len(harness.windows) == 0


def test_returned_alerts_are_copies_state_cannot_be_changed_through_them():
    h = Harness()
    h.tracks = {}
    from conflictwatch.alerts import AlertEngine

    engine = AlertEngine(h.rules, tracks=h.tracks, incidents={}, windows={})
    ev = make_event(article("c1", "Wire", "2018-07-05T10:00:00Z"), "talks_collapsed", "Talks broke down.")
    first = engine.on_event(ev, NOW)
    first[0]["data"]["summary"] = "tampered"
    again = engine.on_event(ev, NOW)
    assert again[0]["data"]["summary"] != "tampered"
    assert again[0]["id"] == first[0]["id"]


def test_events_of_one_article_are_applied_in_time_order(harness):
    art = article("o1", "Wire", "2018-07-05T10:00:00Z")
    events = [make_event(art, "talks_resumed", "Talks resumed today.", start=100, order=2),
              make_event(art, "talks_collapsed", "Talks broke down yesterday.", start=0, order=1, date="2018-07-04")]
    assert [a["type"] for a in harness.engine.on_events(events, NOW)] == ["talks.collapsed", "talks.resumed"]


def test_one_article_never_gives_opposite_changes_on_one_day(harness):
    art = article("o2", "Wire", "2018-07-05T10:00:00Z")
    events = [make_event(art, "talks_resumed", "Talks resumed later that day.", start=100, order=2),
              make_event(art, "talks_collapsed", "Talks broke down in the morning.", start=0, order=1)]
    alerts = harness.engine.on_events(events, NOW)
    assert [a["type"] for a in alerts] == ["talks.resumed"]
    assert alerts[0]["data"]["track"]["previous_state"] == "collapsed"
    assert alerts[0]["data"]["track"]["previous_since"] == "2018-07-05"
