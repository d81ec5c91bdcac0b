from alertkit import Harness, article, make_event

from conflictwatch.alerts import load_rules

TOWNS = [("Tafas", 170017, 32.74, 35.97), ("Nawa", 168661, 32.89, 36.04), ("Inkhil", 169304, 33.02, 36.13),
         ("Jasim", 169113, 32.99, 36.06), ("Sanamayn", 163806, 33.07, 36.18)]


def incident(i, n, published, date=None, region_admin1="Daraa"):
    name, gid, lat, lon = TOWNS[i % len(TOWNS)]
    art = article(f"win{i}-{published}", f"Outlet {i}", published)
    return make_event(art, "civilian_deaths", f"Shelling killed {n} civilians in {name}.", best=n, subtype="shelling",
                      date=date, place=name, geonames_id=gid, lat=lat, lon=lon, admin1=region_admin1)


def window_alerts(alerts):
    return [a for a in alerts if a["type"] == "civilian_deaths.window"]


def test_window_crosses_20_across_several_incidents_in_24h(harness):
    a = harness.feed(incident(0, 6, "2018-07-05T02:00:00Z"))
    b = harness.feed(incident(1, 4, "2018-07-05T09:00:00Z"))
    c = harness.feed(incident(2, 7, "2018-07-05T15:00:00Z"))
    d = harness.feed(incident(3, 4, "2018-07-05T23:00:00Z"))
    assert window_alerts(a + b + c) == []
    (w,) = window_alerts(d)
    assert w["subject"] == "SY/Daraa"
    assert w["data"]["counts"] == {"total": 21, "incidents": 4, "threshold": 20}
    assert w["data"]["severity"] == "critical"
    assert len(w["data"]["evidence"]) == 4 and len(w["data"]["articles"]) == 4
    assert w["data"]["window"] == {"hours": 24.0, "start": "2018-07-04T23:00:00Z", "end": "2018-07-05T23:00:00Z"}
    assert w["data"]["place"]["lat"] is not None
    # Incident alerts of the incidents at or above 5 came too, and before the window alert.
    assert [x["type"] for x in d] == ["civilian_deaths.window"]
    assert [x["type"] for x in a + c] == ["civilian_deaths.incident"] * 2
    # Further deaths in the same window do not repeat the window alert.
    e = harness.feed(incident(4, 3, "2018-07-06T01:00:00Z"))
    assert window_alerts(e) == []


def test_incidents_more_than_24h_apart_do_not_add_up(harness):
    alerts = harness.feed(incident(0, 12, "2018-07-05T02:00:00Z"), incident(1, 12, "2018-07-06T03:00:00Z"))
    assert window_alerts(alerts) == []


def test_one_incident_reported_twice_counts_once_in_the_window(harness):
    alerts = harness.feed(incident(0, 12, "2018-07-05T02:00:00Z"))
    same = make_event(article("dup", "Other", "2018-07-05T04:00:00Z"), "civilian_deaths", "Twelve died in the shelling of Tafas.",
                      best=12, subtype="shelling", place="Tafas", geonames_id=170017, lat=32.74, lon=35.97)
    alerts += harness.feed(same)
    alerts += harness.feed(incident(1, 7, "2018-07-05T06:00:00Z"))
    assert window_alerts(alerts) == []  # 12 + 7, not 12 + 12 + 7
    alerts = harness.feed(incident(2, 2, "2018-07-05T07:00:00Z"))
    assert window_alerts(alerts)[0]["data"]["counts"]["total"] == 21


def test_late_event_older_than_window_gives_incident_alert_only(harness):
    harness.feed(incident(0, 15, "2018-07-10T10:00:00Z"))
    late = incident(1, 8, "2018-07-10T12:00:00Z", date="2018-07-07")  # published now, happened three days ago
    alerts = harness.feed(late)
    assert [a["type"] for a in alerts] == ["civilian_deaths.incident"]
    assert alerts[0]["time"] == "2018-07-07T12:00:00Z"


def test_out_of_order_event_inside_window_counts(harness):
    harness.feed(incident(0, 12, "2018-07-10T20:00:00Z"))
    alerts = harness.feed(incident(1, 9, "2018-07-10T08:00:00Z"))  # arrives later, happened earlier the same day
    assert window_alerts(alerts)[0]["data"]["counts"]["total"] == 21


def test_window_rearms_after_sliding_past(harness):
    first = harness.feed(incident(0, 21, "2018-07-05T02:00:00Z"))
    later = harness.feed(incident(1, 21, "2018-07-07T02:00:00Z"))
    assert len(window_alerts(first)) == 1 and len(window_alerts(later)) == 1
    assert window_alerts(first)[0]["id"] != window_alerts(later)[0]["id"]


def test_window_state_is_pruned():
    h = Harness(load_rules(overrides={"replay.keep_event_ids": "5"}))
    for day in range(1, 20):
        h.feed(incident(day, 25, f"2018-07-{day:02d}T10:00:00Z"))
    entry = h.windows["SY/Daraa"]
    assert len(entry["incidents"]) == 2  # 24 h window + 6 h grace
    assert len(entry["events"]) == 5
    assert len(entry["alerts"]) <= 5


def test_user_adds_a_window_rule(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  week-50:\n    kind: window\n    window_hours: 168\n    threshold: 50\n    severity: critical\n")
    h = Harness(load_rules(str(path)))
    alerts = []
    for day in range(1, 8):
        alerts += h.feed(incident(day, 8, f"2018-07-{day:02d}T10:00:00Z"))
    rules = [a["data"]["rule"] for a in window_alerts(alerts)]
    assert rules == ["week-50"]
    assert window_alerts(alerts)[0]["data"]["counts"]["total"] == 56


def test_window_rule_scoped_to_regions_by_yaml(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  civilian-deaths-window:\n    regions: [SY/Idlib]\n")
    h = Harness(load_rules(str(path)))
    alerts = h.feed(incident(0, 25, "2018-07-05T02:00:00Z"))
    assert window_alerts(alerts) == []
    alerts = h.feed(incident(1, 25, "2018-07-05T02:00:00Z", region_admin1="Idlib"))
    assert len(window_alerts(alerts)) == 1


def test_unknown_region_has_incidents_but_no_window(harness):
    alerts = []
    for i in range(3):
        art = article(f"unk{i}", f"Outlet {i}", f"2018-07-05T0{i}:00:00Z")
        alerts += harness.feed(make_event(art, "civilian_deaths", "Nine civilians were killed.", best=9, country=None,
                                          admin1=None, place=f"Town {i}", geonames_id=None, lat=None, lon=None))
    assert [a["type"] for a in alerts] == ["civilian_deaths.incident"] * 3
    assert len(harness.windows) == 0


def test_future_dated_article_cannot_push_the_region_clock(harness):
    from datetime import datetime, timezone

    now = datetime(2018, 7, 5, 12, tzinfo=timezone.utc)
    harness.feed(incident(0, 5, "2031-01-01T00:00:00Z"), now=now)  # a producer's bad date
    alerts = harness.feed(incident(1, 16, "2018-07-05T10:00:00Z"), now=now)
    assert [a["data"]["counts"]["total"] for a in window_alerts(alerts)] == [21]
