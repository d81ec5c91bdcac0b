"""A country's track entry stays far below Kafka's 1 MB record limit however long
the stream: bounded tracks, transitions, parties, event ids and kept alerts."""

from __future__ import annotations

import json
from datetime import date, timedelta

from alertkit import Harness, article, make_event

LIMIT = 150_000  # bytes of one table value, with the default bounds


def test_three_thousand_talks_events_keep_the_entry_bounded_and_alerts_right():
    h = Harness()
    rules = h.rules
    day0 = date(2010, 1, 1)
    alerts = []
    for i in range(3000):
        day = day0 + timedelta(days=i // 10)
        negotiation = i % 150  # 150 negotiations of one country, more than max_tracks
        state = "collapsed" if (i // 150) % 2 == 0 else "resumed"
        parties = tuple((f"Group {negotiation} side {s} " + "x" * 40, "agent") for s in "ab")
        parties += tuple((f"Observer {k} of {i}", "mediator") for k in range(3))
        art = article(f"b{i}", f"Outlet {i % 7}", f"{day.isoformat()}T12:00:00Z", title="T" * 200)
        ev = make_event(art, f"talks_{state}", f"Talks of negotiation {negotiation} changed. " + "y" * 300,
                        date=day.isoformat(), actors=parties, place=None, precision="country", country="ML",
                        admin1=None, geonames_id=None, lat=None, lon=None)
        alerts += h.feed(ev)
        if i % 500 == 499:
            size = len(h.tracks.snapshot()["ML"])
            assert size < LIMIT, f"after {i + 1} events the value is {size} bytes"
    entry = h.tracks["ML"]
    assert len(entry["tracks"]) <= rules.max_tracks
    assert len(entry["events"]) <= rules.keep_event_ids
    assert len(entry["alerts"]) <= rules.keep_alerts
    assert all(len(t["transitions"]) <= rules.keep_transitions for t in entry["tracks"].values())
    assert all(len(t["parties"]) <= rules.max_parties for t in entry["tracks"].values())
    # Each negotiation changes state at each of its events (and a forgotten track starts
    # afresh): every event alerts, and ids never repeat.
    assert len(alerts) == 3000
    assert len({a["id"] for a in alerts}) == len(alerts)


def test_a_replayed_recent_event_still_returns_its_alert_after_pruning():
    h = Harness()
    last = None
    for i in range(600):
        art = article(f"p{i}", "Wire", f"2012-01-{1 + i % 28:02d}T12:00:00Z")
        ev = make_event(art, "talks_collapsed" if i % 2 else "talks_resumed", f"Change {i}.",
                        date=f"2012-01-{1 + i % 28:02d}", actors=((f"Party {i}", "agent"),), place=None,
                        precision="country", country="ML", admin1=None, geonames_id=None, lat=None, lon=None)
        out = h.feed(ev)
        if out:
            last = (ev, out)
    ev, out = last
    assert h.feed(ev) == out
    assert json.loads(json.dumps(out)) == out
