import copy

import pytest
from alertkit import Harness, article, make_event
from jsonschema import Draft202012Validator

from conflictwatch.article import parse_article
from conflictwatch.errors import ConflictWatchError
from conflictwatch.extract import model
from conflictwatch.schemas import NAMES, SchemaError, SchemaInvalid, load_schema, validate

GOV, REBELS = ("Syrian government", "agent"), ("rebels", "agent")


def all_kinds_of_alerts() -> list[dict]:
    h = Harness()
    a1 = article("k1", "Wire One", "2018-07-05T10:00:00Z")
    a2 = article("k2", "Wire Two", "2018-07-05T20:00:00+03:00")
    alerts = h.feed(
        make_event(a1, "talks_collapsed", "Talks broke down on Wednesday.", date="2018-07-04", actors=(GOV, REBELS)),
        make_event(a1, "talks_resumed", "Talks resumed on Thursday.", start=40, date="2018-07-05", actors=()),
        make_event(a1, "civilian_deaths", "Seven civilians were killed.", start=80, best=7, subtype="air_strike"),
        make_event(a2, "civilian_deaths", "Nine civilians were killed.", best=9, low=8, high=11, subtype="air_strike"),
        make_event(a2, "civilian_deaths", "Fourteen died in a second town.", start=60, best=14, place="Nawa",
                   geonames_id=168661, lat=32.89, lon=36.04, modality="reported"),
        make_event(a2, "civilian_deaths", "Five died where nobody could say.", start=120, best=5, place=None,
                   geonames_id=None, lat=None, lon=None, precision="admin1"),
    )
    assert {a["type"] for a in alerts} == {"talks.collapsed", "talks.resumed", "civilian_deaths.incident", "civilian_deaths.window"}
    return alerts


def test_schemas_are_valid_draft_2020_12():
    for name in NAMES:
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def test_load_schema_returns_a_fresh_copy_and_rejects_unknown_names():
    s = load_schema("alert")
    s["title"] = "changed"
    assert load_schema("alert")["title"] != "changed"
    with pytest.raises(SchemaError):
        load_schema("nonsense")
    assert issubclass(SchemaInvalid, ConflictWatchError)


def test_every_engine_alert_validates():
    for alert in all_kinds_of_alerts():
        validate("alert", alert)


@pytest.mark.parametrize("breakage, where", [
    (lambda a: a.pop("id"), "id"),
    (lambda a: a.__setitem__("specversion", "0.3"), "specversion"),
    (lambda a: a.__setitem__("type", "civilian_deaths.threshold"), "type"),
    (lambda a: a.__setitem__("time", "yesterday"), "time"),
    (lambda a: a["data"].__setitem__("summary", "two\nlines"), "summary"),
    (lambda a: a["data"].__setitem__("severity", "urgent"), "severity"),
    (lambda a: a["data"].__setitem__("evidence", []), "evidence"),
    (lambda a: a.__setitem__("Bad_Extension", 1), "Bad_Extension"),
])
def test_broken_alerts_are_rejected(breakage, where):
    alert = copy.deepcopy(all_kinds_of_alerts()[0])
    breakage(alert)
    with pytest.raises(SchemaInvalid) as info:
        validate("alert", alert)
    assert where in str(info.value)


def test_type_specific_parts_are_required():
    alerts = all_kinds_of_alerts()
    incident = next(a for a in alerts if a["type"] == "civilian_deaths.incident")
    window = next(a for a in alerts if a["type"] == "civilian_deaths.window")
    talks = next(a for a in alerts if a["type"] == "talks.collapsed")
    broken = copy.deepcopy(incident)
    del broken["incidentid"]
    with pytest.raises(SchemaInvalid):
        validate("alert", broken)
    broken = copy.deepcopy(window)
    broken["data"]["counts"] = {"low": 1, "high": 1, "best": 1}
    with pytest.raises(SchemaInvalid):
        validate("alert", broken)
    broken = copy.deepcopy(talks)
    del broken["data"]["track"]
    with pytest.raises(SchemaInvalid):
        validate("alert", broken)


def test_articles_validate_raw_and_parsed():
    validate("article", {"body": "Something happened."})
    raw = {"id": "x1", "url": "https://a.example/1", "source": "Wire", "title": "T", "body": "Text.",
           "published_at": "2018-07-05T10:00:00Z", "language": "en"}
    validate("article", raw)
    validate("article", parse_article(raw).to_dict())
    for bad in ({"title": "no body"}, {"body": "   "}, {"body": "x", "published_at": "July 5"}, {"body": 3}):
        with pytest.raises(SchemaInvalid):
            validate("article", bad)


def test_events_validate_and_enums_follow_the_model():
    art = article("e1", "Wire", "2018-07-05T10:00:00Z")
    ev = make_event(art, "civilian_deaths", "Seven civilians were killed.", best=7, actors=(GOV,))
    validate("event", ev)
    plain = model.Event(article_id="a", type="attack", evidence=model.Evidence("Jets struck.", 0, 12)).to_dict()
    validate("event", plain)
    schema = load_schema("event")["properties"]
    assert tuple(schema["type"]["enum"]) == model.EVENT_TYPES
    assert tuple(schema["modality"]["enum"]) == model.MODALITIES
    assert tuple(schema["novelty"]["enum"]) == model.NOVELTY
    assert schema["schema"]["const"] == model.EVENT_SCHEMA
    for field, value in (("modality", "maybe"), ("event_id", "123"), ("region", "Syria")):
        bad = dict(ev, **{field: value})
        with pytest.raises(SchemaInvalid, match=field):
            validate("event", bad)
