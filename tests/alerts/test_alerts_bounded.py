"""State stays bounded by construction, and the alerts stay right, under volumes
that made an incident's table value pass Kafka's record limit: thousands of
reports of one incident (with huge titles and sentences among them) and a
thousand incidents of one region.

Values are serialised as the worker's tables do (JSON) and measured at every write.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from alertkit import AlertEngine, JsonTable, article, make_event

from conflictwatch.alerts import load_rules

# Far below Kafka's default 1 MB record limit (message.max.bytes 1048588).
BOUND = 256 * 1024


class MeasuredTable(JsonTable):
    """A JSON table that remembers the largest value ever written under each key."""

    def __init__(self):
        super().__init__()
        self.largest: dict[str, int] = {}

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        self.largest[key] = max(size, self.largest.get(key, 0))

    def max_bytes(self) -> int:
        return max(self.largest.values(), default=0)

    def total_bytes(self) -> int:
        return sum(len(v.encode("utf-8")) for v in self.snapshot().values())


def engine_for(rules):
    tables = MeasuredTable(), MeasuredTable(), MeasuredTable()
    return AlertEngine(rules, tracks=tables[0], incidents=tables[1], windows=tables[2]), tables


def toll(i: int) -> int:
    """The figure report ``i`` gives: it starts at 3 and rises slowly, as a toll does."""
    return 3 + i // 40


def test_five_thousand_reports_of_one_incident_stay_bounded_and_alert_once_then_update():
    rules = load_rules()
    engine, (tracks, incidents, windows) = engine_for(rules)
    huge_title = "Breaking " * 50_000          # about 450 KB
    huge_sentence = "Residents said " + "and then " * 20_000 + "seven civilians died."
    alerts, expected = [], []
    last_alerted, best = None, 0
    for i in range(5000):
        hour, minute = divmod(i % 1440, 60)
        # Every report comes from its own outlet, the same town, day and kind of attack.
        big = i % 700 == 0
        art = article(f"r{i}", f"Outlet {i:04d}", f"2025-03-10T{hour:02d}:{minute:02d}:00Z",
                      title=huge_title if big else None)
        n = toll(i)
        sentence = huge_sentence if big else f"Outlet {i} counts {n} civilians killed in the strike."
        alerts += engine.on_event(make_event(art, "civilian_deaths", sentence, best=n, subtype="air_strike",
                                             date="2025-03-10"))
        best = max(best, n)
        if best >= 5 and (last_alerted is None or best >= last_alerted * 1.2 and best > last_alerted):
            expected.append(best)
            last_alerted = best

    incident_alerts = [a for a in alerts if a["type"] == "civilian_deaths.incident"]
    window_alerts = [a for a in alerts if a["type"] == "civilian_deaths.window"]
    # One incident: one first alert, then an update each time the toll rose by 20 %.
    assert len({a["incidentid"] for a in incident_alerts}) == 1
    assert [a["data"]["counts"]["best"] for a in incident_alerts] == expected
    assert [a["revision"] for a in incident_alerts] == list(range(len(expected)))
    assert len(expected) >= 8 and expected[-1] * 1.2 > toll(4999)
    # The incident counts once in its region's window: one window alert when it reaches 20.
    assert len(window_alerts) == 1 and window_alerts[0]["data"]["counts"]["incidents"] == 1
    assert window_alerts[0]["data"]["counts"]["total"] == 20

    last = incident_alerts[-1]["data"]
    # The last update came with the first report of its toll; it counts every report up to it.
    assert last["incident"]["reports"] == min(i for i in range(5000) if toll(i) == expected[-1]) + 1
    assert len(last["evidence"]) <= rules.keep_reports
    assert len(last["incident"]["sources"]) == rules.keep_sources
    assert max(e["quantity"]["best"] for e in last["evidence"]) == expected[-1]
    assert all(len(a["title"] or "") <= rules.max_text_chars for a in last["articles"])

    (key,) = [k for k in incidents if not k.endswith("|index")]
    record = incidents[key]
    assert record["report_total"] == 5000 and record["source_total"] == 5000
    assert record["counts"]["best"] == toll(4999)
    assert len(record["sources"]) == rules.keep_sources and len(record["cited"]) <= rules.keep_reports
    assert len(record["alerts"]) <= rules.replay_keep_alerts and len(record["applied"]) <= rules.keep_event_ids
    assert f"({last['incident']['reports']} sources)" in last["summary"]  # one outlet per report here
    for table in (incidents, windows):
        assert table.max_bytes() < BOUND, f"largest value {table.max_bytes()} bytes"


def test_replayed_report_of_a_big_incident_returns_its_alert_and_changes_nothing():
    engine, (_, incidents, windows) = engine_for(load_rules())
    events = [make_event(article(f"p{i}", f"Paper {i}", f"2025-04-01T{i % 24:02d}:00:00Z"), "civilian_deaths",
                         f"Paper {i} counts {5 + i} civilians killed.", best=5 + i, subtype="shelling",
                         date="2025-04-01") for i in range(300)]
    first = [engine.on_event(e) for e in events]
    before = incidents.snapshot(), windows.snapshot()
    # The newest events (those a crash could replay) give the very same alerts again.
    for e, out in list(zip(events, first))[-50:]:
        assert engine.on_event(e) == out
    assert (incidents.snapshot(), windows.snapshot()) == before


@pytest.mark.parametrize("max_per_region", [None, 100])
def test_a_thousand_incidents_of_one_region_stay_bounded_and_each_day_crosses_the_window_once(max_per_region):
    overrides = {"incidents.max_per_region": max_per_region} if max_per_region else {}
    rules = load_rules(overrides=overrides)
    engine, (_, incidents, windows) = engine_for(rules)
    start = date(2025, 1, 1)
    per_day, days = 20, 50
    by_day = []
    for d in range(days):
        day = start + timedelta(days=2 * d)  # a quiet day between two busy ones re-arms the window
        out = []
        for h in range(per_day):
            n = 6 if h == per_day - 1 else 2
            gid = 100_000 + d * per_day + h  # every incident in its own town
            art = article(f"t{d}-{h}", "Region Wire", f"{day.isoformat()}T{h:02d}:15:00Z")
            out += engine.on_event(make_event(
                art, "civilian_deaths", f"Shelling killed {n} civilians in village {gid}.", best=n, subtype="shelling",
                date=day.isoformat(), place=f"Village {gid}", geonames_id=gid, lat=32.0 + h / 100, lon=36.0))
        by_day.append(out)

    for out in by_day:
        types = [a["type"] for a in out]
        assert types == ["civilian_deaths.window", "civilian_deaths.incident"], types
        window = out[0]["data"]
        # The window crosses at the tenth incident of two deaths.
        assert window["counts"] == {"total": 20, "incidents": 10, "threshold": 20}
        assert out[1]["data"]["counts"]["best"] == 6 and out[1]["revision"] == 0
    assert len({a["id"] for out in by_day for a in out}) == 2 * days

    index = incidents["SY/Daraa|index"]
    # Retention keeps 30 days = 15 busy days of 20 incidents; the override keeps fewer.
    # 30 days of retention hold the last 15 busy days (and the 19:15 incident exactly on the horizon).
    assert len(index["incidents"]) == min(15 * per_day + 1, rules.max_incidents_per_region)
    assert len([k for k in incidents if not k.endswith("|index")]) == len(index["incidents"])
    assert len(windows["SY/Daraa"]["incidents"]) <= rules.window_max_incidents
    assert len(windows["SY/Daraa"]["alerts"]) <= rules.replay_keep_alerts
    for table in (incidents, windows):
        assert table.max_bytes() < BOUND, f"largest value {table.max_bytes()} bytes"


def test_window_keeps_at_most_max_incidents_dropping_the_oldest():
    rules = load_rules(overrides={"windows.max_incidents": 5})
    engine, (_, _, windows) = engine_for(rules)
    for h in range(12):
        art = article(f"w{h}", "Region Wire", f"2025-06-01T{h:02d}:00:00Z")
        engine.on_event(make_event(art, "civilian_deaths", "Shelling killed one civilian.", best=1, subtype="shelling",
                                   date="2025-06-01", place=f"Hamlet {h}", geonames_id=200_000 + h, lat=32.0, lon=36.0))
    kept = windows["SY/Daraa"]["incidents"]
    assert len(kept) == 5
    assert sorted(c["time"] for c in kept.values()) == [f"2025-06-01T{h:02d}:00:00Z" for h in range(7, 12)]


def test_a_record_from_before_the_bounds_goes_on_counting():
    """State recovered from an older worker's changelog kept every report under "reports"."""
    engine, (_, incidents, _) = engine_for(load_rules())
    events = [make_event(article(f"o{i}", f"Paper {i}", f"2025-05-01T0{i}:00:00Z"), "civilian_deaths",
                         f"Paper {i} counts {n} civilians killed.", best=n, subtype="shelling", date="2025-05-01")
              for i, n in enumerate([6, 6, 7])]
    first = [engine.on_event(e) for e in events]
    (key,) = [k for k in incidents if not k.endswith("|index")]
    new = incidents[key]
    old = {k: v for k, v in new.items()
           if k not in ("sources", "source_total", "report_total", "cited", "first_seen", "last_seen", "applied")}
    old["reports"] = {rep["evidence"]["event_id"]: rep for rep in new["cited"]}
    incidents[key] = old

    assert engine.on_event(events[0]) == first[0]  # a replay is still recognised
    more = engine.on_event(make_event(article("o9", "Paper 9", "2025-05-01T09:00:00Z"), "civilian_deaths",
                                      "Paper 9 counts 12 civilians killed.", best=12, subtype="shelling",
                                      date="2025-05-01"))
    (update,) = [a for a in more if a["type"] == "civilian_deaths.incident"]
    assert update["revision"] == 1 and update["data"]["counts"]["best"] == 12
    assert update["data"]["incident"]["reports"] == 4 and len(update["data"]["incident"]["sources"]) == 4
    assert "applied" in incidents[key] and "reports" not in incidents[key]
