"""Dashboard state (delivery/state.py): track timelines and per-region deaths
computed from the alerts alone, so a panel never contradicts an alert."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from delivery_testkit import aid, make_alert

from conflictwatch.delivery.state import dashboard_state

TRACK = {"id": "trk-1", "parties": ["Government of Ruritania", "Northern Front"]}


def talks(n, state, day, previous=None, **extra):
    track = {**TRACK, "state": state, "since": day, "previous_state": previous, **extra.pop("track", {})}
    return make_alert(n, f"talks.{state}", "RU", "warning" if state == "collapsed" else "info", None, None,
                      time_=f"{day}T09:00:00Z", track=track, **extra)


def test_a_track_is_a_timeline_of_its_transitions_in_order_whatever_the_arrival_order():
    alerts = [
        talks(1, "collapsed", "2024-03-01", mediators=["United Nations"], venue={"name": "Genevatown", "country_code": "CH"}),
        talks(2, "resumed", "2024-03-05", "collapsed", mediators=["Qatar", "Northern Front"]),
        # The tracks rework's shape: a reader's names, previous_since, quiet_days.
        talks(3, "collapsed", "2024-03-20", "resumed", track={
            "rearmed": True, "names": "Government of Ruritania and Northern Front", "previous_since": "2024-03-05",
            "quiet_days": None}),
    ]
    for order in (alerts, list(reversed(alerts)), [alerts[1], alerts[2], alerts[0]]):
        (row,) = dashboard_state(order)["tracks"]
        assert [(s["alert_id"], s["state"], s["since"]) for s in row["timeline"]] == [
            (aid(1), "collapsed", "2024-03-01"), (aid(2), "resumed", "2024-03-05"), (aid(3), "collapsed", "2024-03-20")]
        assert row["state"] == "collapsed" and row["since"] == "2024-03-20"
        assert row["parties"] == TRACK["parties"]
        # A mediator is never shown as a party, and a party named as mediator is no mediator.
        assert row["mediators"] == ["United Nations", "Qatar"]
        assert row["venue"] == "Genevatown"
        assert row["timeline"][2]["rearmed"] is True
        assert row["names"] == "Government of Ruritania and Northern Front"


def test_a_transition_reported_late_sits_at_its_own_day_and_does_not_change_the_state():
    resumed = talks(1, "resumed", "2024-05-02")
    late = talks(2, "collapsed", "2024-05-01", track={"current_state": "resumed"})
    for order in ([resumed, late], [late, resumed]):
        (row,) = dashboard_state(order)["tracks"]
        assert row["state"] == "resumed"
        assert [s["alert_id"] for s in row["timeline"]] == [aid(2), aid(1)]
        assert row["timeline"][0]["current_state"] == "resumed"


def test_alerts_from_before_the_tracks_rework_still_give_a_row():
    old = make_alert(1, "talks.collapsed", "YE", "warning", None, None, time_="2024-01-02T10:00:00Z")
    for key in ("current_state", "previous_state", "since"):
        old["data"]["track"].pop(key)
    (row,) = dashboard_state([old])["tracks"]
    assert row["state"] == "collapsed" and row["since"] == "2024-01-02"
    assert row["mediators"] == [] and row["venue"] is None
    assert [s["alert_id"] for s in row["timeline"]] == [aid(1)]


def test_tracks_with_different_ids_are_different_rows():
    a = talks(1, "collapsed", "2024-03-01")
    b = talks(2, "resumed", "2024-03-02", track={"id": "trk-2", "parties": ["Government of Ruritania", "Eastern League"]})
    rows = dashboard_state([a, b])["tracks"]
    assert [r["alert_id"] for r in rows] == [aid(2), aid(1)]  # most recent transition first


def window_alert(n, region, end, incidents, hours=24):
    total = sum(best for _, best, _ in incidents)
    return make_alert(n, "civilian_deaths.window", region, "critical", time_=end,
                      counts={"total": total, "incidents": len(incidents), "threshold": 20},
                      window={"hours": hours, "start": end, "end": end},
                      incidents=[{"id": i, "date": d, "best": b} for i, b, d in incidents])


def incident_alert(n, region, when, inc_id, best, revision=0):
    return make_alert(n, "civilian_deaths.incident", region, time_=when,
                      incident={"id": inc_id, "revision": revision, "date": when[:10]},
                      counts={"low": best, "high": best, "best": best})


def test_a_window_alert_and_the_table_agree_although_most_incidents_never_alerted_alone():
    # Five incidents of 4 deaths: below the incident threshold, so one alert for the window only.
    small = [(f"inc-{i}", 4, "2024-06-05") for i in range(4)]
    alerts = [incident_alert(1, "SY/Daraa", "2024-06-05T08:00:00Z", "inc-big", 6),
              window_alert(2, "SY/Daraa", "2024-06-05T11:00:00Z", small + [("inc-big", 6, "2024-06-05")])]
    for order in (alerts, list(reversed(alerts))):
        (row,) = dashboard_state(order)["civilian_deaths"]["regions"]
        assert (row["deaths"], row["incidents"]) == (22, 5)
        assert (row["window_alert"]["total"], row["window_alert"]["incidents"]) == (22, 5)
        assert row["window_alert_current"] is True


def test_a_revised_toll_replaces_the_first_one_and_old_incidents_leave_the_window():
    alerts = [incident_alert(1, "SY/Idlib", "2024-03-02T08:00:00Z", "inc-a", 7),
              incident_alert(2, "SY/Idlib", "2024-03-02T08:00:00Z", "inc-a", 9, revision=1),
              incident_alert(3, "SY/Idlib", "2024-02-28T08:00:00Z", "inc-old", 50),
              incident_alert(4, "SY/Hama", "2024-02-20T08:00:00Z", "inc-older", 8)]
    deaths = dashboard_state(alerts)["civilian_deaths"]
    assert [(r["region"], r["deaths"], r["incidents"]) for r in deaths["regions"]] == [("SY/Idlib", 9, 1)]
    assert deaths["window_end"] == "2024-03-02T08:00:00Z"


def _simulate(rng: random.Random):
    """A toy alert engine for one region: incidents at random hours, an incident
    alert for tolls >= 5, a window alert whenever the 24 h sum reaches 20."""
    t0 = datetime(2024, 6, 1, tzinfo=timezone.utc)
    alerts, known, n = [], {}, 0
    for k in range(rng.randint(1, 9)):
        when = t0 + timedelta(hours=rng.randint(0, 60))
        best = rng.choice([1, 2, 3, 4, 6, 9, 15])
        known[f"inc-{k}"] = (when, best)
        stamp = when.isoformat().replace("+00:00", "Z")
        if best >= 5:
            n += 1
            alerts.append(incident_alert(n, "YE/Taiz", stamp, f"inc-{k}", best))
        end = max(w for w, _ in known.values())
        inside = [(i, b, w.date().isoformat()) for i, (w, b) in known.items() if end - timedelta(hours=24) < w <= end]
        if sum(b for _, b, _ in inside) >= 20:
            n += 1
            alerts.append(window_alert(n, "YE/Taiz", end.isoformat().replace("+00:00", "Z"), inside))
    return alerts


def test_whenever_the_newest_alert_of_a_region_is_a_window_alert_the_row_is_that_alert():
    rng = random.Random(11)
    checked = 0
    for _ in range(300):
        alerts = _simulate(rng)
        if not alerts or alerts[-1]["type"] != "civilian_deaths.window":
            continue
        shuffled = alerts[:]
        rng.shuffle(shuffled)
        (row,) = dashboard_state(shuffled)["civilian_deaths"]["regions"]
        counts = alerts[-1]["data"]["counts"]
        assert (row["deaths"], row["incidents"]) == (counts["total"], counts["incidents"]), alerts[-1]["data"]
        checked += 1
    assert checked > 30


def test_a_country_filter_keeps_talks_held_abroad():
    from conflictwatch.delivery.subscriptions import Filter

    abroad = talks(1, "resumed", "2024-03-05")
    abroad["data"]["place"].update(name="Ammantown", country_code="JO", lat=31.9, lon=35.9)
    assert Filter.from_query({"countries": "RU"}).matches(abroad)
    assert not Filter.from_query({"countries": "JO"}).matches(abroad)


def test_malformed_alert_data_never_breaks_the_state():
    odd = [
        {"id": "x1", "type": "civilian_deaths.window", "subject": "SY/Hama", "time": "not a time",
         "data": {"counts": {"total": "many", "incidents": None}, "window": {"hours": "day", "end": 5},
                  "incidents": [{"id": "i1", "best": "7", "date": 3}, "junk", {"best": 2}]}},
        {"id": "x2", "type": "civilian_deaths.window", "subject": "SY/Hama", "time": "2024-01-01T00:00:00Z",
         "data": {"counts": {"total": True, "incidents": -3}, "window": {"hours": -1}}},
        {"id": "x3", "type": "civilian_deaths.incident", "data": "not a mapping"},
        {"id": "x4", "type": "talks.collapsed", "data": {"track": ["no"], "mediators": "UN", "venue": "x"}},
    ]
    state = dashboard_state(odd)
    # The newest Hama window alert lists no incident; the undated incident alert has no toll.
    assert [(r["region"], r["deaths"], r["incidents"]) for r in state["civilian_deaths"]["regions"]] == [
        ("unknown", 0, 1)]
    (track,) = state["tracks"]
    assert track["mediators"] == [] and track["venue"] is None and track["state"] == "collapsed"
