"""Randomized crash/replay: random event streams over several regions, a crash
after a random event with a random part of that event's table writes lost, a
restart from a random earlier offset. The delivered alerts, deduplicated by id,
must equal a clean run's. Also checks output never depends on dict aliasing
(values round-trip through JSON) and every alert validates against the schema."""

from datetime import datetime, timedelta

from alertkit import Harness, article, dedup, make_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictwatch.schemas import validate

REGIONS = [("SY", "Daraa"), ("SY", "Idlib"), ("SY", None)]
PLACES = [("Tafas", 170017, 32.74, 35.97), ("Nawa", 168661, 32.89, 36.04), (None, None, None, None)]
PARTIES = [(), (("Syrian government", "agent"),), (("rebels", "agent"),),
           (("Syrian government", "agent"), ("rebels", "agent")), (("SDF", "agent"),)]

spec = st.fixed_dictionaries({
    "kind": st.sampled_from(["talks_collapsed", "talks_resumed", "civilian_deaths", "civilian_deaths"]),
    "region": st.integers(0, len(REGIONS) - 1),
    "place": st.integers(0, len(PLACES) - 1),
    "day": st.integers(0, 3),
    "lag_hours": st.integers(0, 40),
    "source": st.integers(0, 3),
    "count": st.integers(0, 25),
    "parties": st.integers(0, len(PARTIES) - 1),
    "subtype": st.sampled_from([None, "air_strike", "shelling"]),
    "counted": st.sampled_from([True, True, True, False]),
})


def build(specs):
    events = []
    base = datetime(2018, 7, 1, 6)
    for i, s in enumerate(specs):
        country, admin1 = REGIONS[s["region"]]
        name, gid, lat, lon = PLACES[s["place"]]
        when = base + timedelta(days=s["day"])
        published = when + timedelta(hours=s["lag_hours"])
        art = article(f"rand{i}", f"Outlet {s['source']}", published.strftime("%Y-%m-%dT%H:%M:%SZ"))
        common = dict(date=when.strftime("%Y-%m-%d"), country=country, admin1=admin1, place=name, geonames_id=gid,
                      lat=lat, lon=lon, precision="place" if name else "admin1",
                      modality="asserted" if s["counted"] else "conditional")
        if s["kind"] == "civilian_deaths":
            events.append(make_event(art, "civilian_deaths", f"{s['count']} civilians were killed.", best=s["count"],
                                     subtype=s["subtype"], **common))
        else:
            events.append(make_event(art, s["kind"], "The talks changed course.", actors=PARTIES[s["parties"]], **common))
    return events


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(spec, min_size=1, max_size=18), data=st.data())
def test_random_crash_and_replay_equals_clean_run(specs, data):
    events = build(specs)
    clean = Harness().feed(*events)
    assert len({a["id"] for a in clean}) == len(clean), "one alert id per alert in a clean run"
    for a in clean:
        validate("alert", a)

    k = data.draw(st.integers(0, len(events) - 1), label="crash at event")
    restart = data.draw(st.integers(0, k), label="restart offset")
    h = Harness()
    tables = {"tracks": h.tracks, "incidents": h.incidents, "windows": h.windows}
    outputs = [h.feed(e) for e in events[:k]]
    before = {name: t.snapshot() for name, t in tables.items()}
    outputs.append(h.feed(events[k]))
    written = sorted((name, key) for name, t in tables.items()
                     for key in set(t.snapshot()) | set(before[name]) if t.snapshot().get(key) != before[name].get(key))
    lost = [w for w in written if data.draw(st.booleans(), label=f"lose {w}")]
    for name, key in lost:
        snap = tables[name].snapshot()
        if key in before[name]:
            snap[key] = before[name][key]
        else:
            snap.pop(key, None)
        tables[name].restore(snap)
    delivered = [a for out in outputs[:restart] for a in out]
    replayed = h.feed(*events[restart:])
    assert dedup(delivered + replayed) == clean
