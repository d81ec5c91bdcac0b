from alertkit import Harness, article, make_event

from conflictwatch.alerts import load_rules


def deaths(art, n, sentence, **kw):
    kw.setdefault("subtype", "air_strike")
    return make_event(art, "civilian_deaths", sentence, best=n, **kw)


def test_design_example_six_civilians_one_incident_alert(harness):
    art = article("a1", "Wire One", "2018-07-05T16:00:00Z")
    alerts = harness.feed(deaths(art, 6, "An air raid on the market killed six civilians, among them a mother and four children.",
                                 date="2018-07-05"))
    assert len(alerts) == 1
    a = alerts[0]
    assert a["type"] == "civilian_deaths.incident"
    assert a["data"]["counts"] == {"low": 6, "high": 6, "best": 6}
    assert a["data"]["severity"] == "warning"
    assert a["data"]["place"]["lat"] == 32.74 and a["data"]["place"]["canonical"] == "Tafas"
    assert a["revision"] == 0 and a["incidentid"] == a["data"]["incident"]["id"]
    assert a["time"] == "2018-07-05T16:00:00Z"
    assert "6 civilians killed in air strike in Tafas" in a["data"]["summary"]


def test_three_outlets_7_7_9_give_one_alert_and_one_update(harness):
    s1 = article("s1", "Wire One", "2018-07-05T10:00:00Z")
    s2 = article("s2", "Wire Two", "2018-07-05T11:00:00Z")
    s3 = article("s3", "Paper Three", "2018-07-05T15:00:00Z")
    a1 = harness.feed(deaths(s1, 7, "Warplanes struck the town, killing seven civilians.", date="2018-07-05"))
    a2 = harness.feed(deaths(s2, 7, "Seven civilians died when jets hit a residential block.", date="2018-07-05"))
    a3 = harness.feed(deaths(s3, 9, "The toll from the raid rose to nine civilians.", date="2018-07-05"))
    assert len(a1) == 1 and a2 == [] and len(a3) == 1
    first, update = a1[0], a3[0]
    assert first["incidentid"] == update["incidentid"]
    assert first["id"] != update["id"]
    assert (first["revision"], update["revision"]) == (0, 1)
    assert update["data"]["counts"]["best"] == 9  # the best figure, not 7 + 7 + 9
    assert update["data"]["previous_best"] == 7
    assert update["data"]["incident"]["sources"] == ["Paper Three", "Wire One", "Wire Two"]
    assert len(update["data"]["evidence"]) == 3 and len(update["data"]["articles"]) == 3
    assert update["data"]["first_seen"] == "2018-07-05T10:00:00Z" and update["data"]["last_seen"] == "2018-07-05T15:00:00Z"
    assert update["time"] == first["time"]  # the incident's time, not the revision's


def incident_alerts(alerts):
    return [a for a in alerts if a["type"] == "civilian_deaths.incident"]


def test_small_rise_without_threshold_or_severity_change_is_silent(harness):
    a = harness.feed(deaths(article("t1", "W1", "2018-07-05T10:00:00Z"), 20, "Twenty civilians were killed.", date="2018-07-05"))
    b = harness.feed(deaths(article("t2", "W2", "2018-07-05T12:00:00Z"), 22, "Twenty-two civilians were killed.", date="2018-07-05"))
    assert len(incident_alerts(a)) == 1 and incident_alerts(b) == []


def test_update_only_on_threshold_when_ratio_disabled():
    h = Harness(load_rules(overrides={"incidents.update_min_increase": "null"}))
    a = h.feed(deaths(article("u1", "W1", "2018-07-05T10:00:00Z"), 7, "Seven civilians were killed.", date="2018-07-05"))
    b = h.feed(deaths(article("u2", "W2", "2018-07-05T12:00:00Z"), 9, "Nine civilians were killed.", date="2018-07-05"))
    assert len(a) == 1 and b == []


def test_same_outlet_revising_down_lowers_nothing_below_other_outlets():
    h = Harness()
    h.feed(deaths(article("v1", "Wire One", "2018-07-05T10:00:00Z"), 8, "Eight civilians were killed.", date="2018-07-05"))
    h.feed(deaths(article("v2", "Wire Two", "2018-07-05T11:00:00Z"), 6, "Six civilians were killed.", date="2018-07-05"))
    h.feed(deaths(article("v3", "Wire One", "2018-07-05T13:00:00Z"), 5, "The toll was corrected to five.", date="2018-07-05"))
    (key,) = [k for k in h.incidents if not k.endswith("|index")]
    assert h.incidents[key]["counts"]["best"] == 6  # Wire One now says 5, Wire Two still 6


def test_cumulative_and_background_tolls_never_count(harness):
    art = article("w1", "Wire One", "2018-07-05T10:00:00Z")
    cumulative = deaths(art, 350000, "The war has killed hundreds of thousands since it began.", novelty="cumulative", subtype=None)
    background = deaths(art, 40, "A similar raid last year left forty dead.", start=90, novelty="background", date="2017-05-01")
    hedged = deaths(art, 30, "Residents fear dozens could die if the siege continues.", start=160, modality="conditional")
    assert harness.feed(cumulative, background, hedged) == []
    assert len(harness.incidents) == 0 and len(harness.windows) == 0


def test_below_threshold_records_incident_without_alert(harness):
    art = article("x1", "Wire One", "2018-07-05T10:00:00Z")
    assert harness.feed(deaths(art, 3, "Three civilians were killed by shelling.", subtype="shelling")) == []
    assert len([k for k in harness.incidents if not k.endswith("|index")]) == 1


def test_different_places_or_days_are_different_incidents(harness):
    a = harness.feed(deaths(article("y1", "W1", "2018-07-05T10:00:00Z"), 6, "Six civilians were killed.", date="2018-07-05"))
    b = harness.feed(deaths(article("y2", "W2", "2018-07-05T11:00:00Z"), 6, "Six civilians were killed elsewhere.",
                            date="2018-07-05", place="Nawa", geonames_id=168661, lat=32.89, lon=36.04))
    c = harness.feed(deaths(article("y3", "W3", "2018-07-09T11:00:00Z"), 6, "Six more died days later.", date="2018-07-09"))
    ids = {x[0]["incidentid"] for x in (a, b, c)}
    assert len(ids) == 3


def test_reports_one_day_apart_and_coarse_place_join(harness):
    a = harness.feed(deaths(article("z1", "W1", "2018-07-05T22:00:00Z"), 6, "Six civilians were killed tonight.", date="2018-07-05"))
    b = harness.feed(deaths(article("z2", "W2", "2018-07-06T09:00:00Z"), 6, "Six civilians were killed in Daraa province overnight.",
                            date="2018-07-06", place="Daraa", geonames_id=None, precision="admin1"))
    assert len(a) == 1 and b == []


def test_user_rule_with_higher_threshold_and_critical_severity(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  mass-casualty:\n    kind: incident\n    threshold: 50\n    severity: critical\n")
    h = Harness(load_rules(str(path)))
    a = h.feed(deaths(article("m1", "W1", "2018-07-05T10:00:00Z"), 40, "Forty civilians were killed.", date="2018-07-05"))
    b = h.feed(deaths(article("m2", "W2", "2018-07-05T12:00:00Z"), 44, "Forty-four civilians were killed.", date="2018-07-05"))
    c = h.feed(deaths(article("m3", "W3", "2018-07-05T18:00:00Z"), 52, "Fifty-two civilians were killed.", date="2018-07-05"))
    a, b, c = incident_alerts(a), incident_alerts(b), incident_alerts(c)
    assert [x["data"]["severity"] for x in a] == ["warning"]
    assert b == []  # 40 -> 44 is a 10 % rise: below the default 20 % and no threshold crossed
    assert [x["data"]["severity"] for x in c] == ["critical"]
    assert c[0]["data"]["rule"] == "mass-casualty"
    assert c[0]["data"]["rules"] == ["civilian-deaths-incident", "mass-casualty"]
    assert c[0]["incidentid"] == a[0]["incidentid"]


def test_event_without_figure_or_region_place_is_handled(harness):
    art = article("n1", "W1", "2018-07-05T10:00:00Z")
    no_figure = make_event(art, "civilian_deaths", "Civilians were killed in the raid.")
    unknown = deaths(art, 8, "Eight civilians were killed.", start=50, country=None, admin1=None, place=None,
                     geonames_id=None, lat=None, lon=None, precision=None)
    assert harness.feed(no_figure) == []
    alerts = harness.feed(unknown)
    assert len(alerts) == 1 and alerts[0]["subject"] == "unknown"


def test_many_outlets_cite_at_most_twenty_reports_including_the_highest(harness):
    alerts = []
    for i in range(25):
        n = 30 if i == 22 else 8
        art = article(f"many{i}", f"Outlet {i:02d}", f"2018-07-05T{i % 24:02d}:30:00Z")
        alerts += harness.feed(deaths(art, n, f"Outlet {i} says {n} civilians were killed.", date="2018-07-05"))
    incident = [a for a in alerts if a["type"] == "civilian_deaths.incident"]
    assert [a["data"]["counts"]["best"] for a in incident] == [8, 30]
    last = incident[-1]["data"]
    assert len(last["evidence"]) == 20 and len(last["articles"]) == 20
    assert any(e["quantity"]["best"] == 30 for e in last["evidence"])
    assert len(last["incident"]["sources"]) == 23 and last["incident"]["reports"] == 23
    times = [a["published_at"] for a in last["articles"]]
    assert times == sorted(times)


def test_victim_subtypes_are_not_kinds_and_unspecified_victims_do_not_count(harness):
    art = article("vs1", "Wire One", "2019-03-12T09:30:00Z")
    total = deaths(art, 12, "At least 12 civilians were killed when a strike hit a market.", subtype="civilians",
                   country="YE", admin1="Hodeidah", place="Hodeidah", geonames_id=79415, lat=14.8, lon=42.95)
    part = deaths(art, 9, "Nine of the dead were shoppers.", start=80, subtype="presumed_civilians",
                  country="YE", admin1="Hodeidah", place="Hodeidah", geonames_id=79415, lat=14.8, lon=42.95)
    vague = deaths(art, 30, "Thirty people died in fighting nearby.", start=140, subtype="unspecified",
                   country="YE", admin1="Hodeidah", place="Hodeidah", geonames_id=79415, lat=14.8, lon=42.95)
    alerts = harness.feed(total, part, vague)
    assert [a["type"] for a in alerts] == ["civilian_deaths.incident"]  # one incident, no window (12, not 12 + 9 + 30)
    assert alerts[0]["data"]["counts"]["best"] == 12
    assert "killed in Hodeidah" in alerts[0]["data"]["summary"]
    (key,) = [k for k in harness.incidents if not k.endswith("|index")]
    assert harness.incidents[key]["counts"]["best"] == 12 and harness.incidents[key]["report_total"] == 2


def test_min_confidence_filters_events():
    h = Harness(load_rules(overrides={"counting.min_confidence": "0.7"}))
    art = article("mc1", "Wire One", "2018-07-05T10:00:00Z")
    weak = make_event(art, "civilian_deaths", "Eight civilians were reportedly killed.", best=8)
    weak["confidence"] = 0.5
    strong = dict(weak, confidence=0.9)
    assert h.feed(weak) == []
    assert len(h.feed(strong)) == 1


def test_precise_report_refines_a_vague_incident(harness):
    vague = deaths(article("rf1", "W1", "2018-07-05T08:00:00Z"), 6, "Six civilians were killed in the province.",
                   subtype=None, place="Daraa", geonames_id=None, precision="admin1")
    precise = deaths(article("rf2", "W2", "2018-07-05T09:00:00Z"), 6, "Six civilians died in an air strike on Tafas.")
    other_town = deaths(article("rf3", "W3", "2018-07-05T10:00:00Z"), 7, "Seven civilians died in an air strike on Nawa.",
                        place="Nawa", geonames_id=168661, lat=32.89, lon=36.04)
    a = harness.feed(vague, precise)
    b = harness.feed(other_town)
    assert [x["type"] for x in a] == ["civilian_deaths.incident"]
    assert [x["type"] for x in b] == ["civilian_deaths.incident"]
    assert a[0]["incidentid"] != b[0]["incidentid"]  # Nawa is not the (now) Tafas incident
