"""Revised tolls, one fact told twice in a sentence, talks venues abroad: whole-pipeline cases on
short articles written for these tests (not taken from any corpus)."""

from __future__ import annotations

import pytest

from extract_helpers import make_article


def _events(x, type_):
    return [e for e in x.events if e.type == type_]


# --- a revised toll and the deaths that raised it -------------------------------------------------

@pytest.mark.parametrize("text, total", [
    ("The death toll from Saturday's air strike on a school in Myitkyina, Kachin State, has climbed to eleven "
     "civilians after three injured pupils died overnight, teachers said on Monday.", 11),
    ("Three wounded farmers died in hospital on Sunday, raising the toll from the drone strike on their village "
     "near Kidal to eight.", 8),
    ("The toll from the shelling of the bus station rose to 12 civilians when three more bodies were found "
     "under the rubble, rescuers said.", 12),
])
def test_deaths_that_raise_a_toll_are_inside_it(extractor, text, total):
    x = extractor.extract(make_article(text))
    assert x.summary.civilian_deaths is not None and x.summary.civilian_deaths.best == total
    new = [e for e in _events(x, "civilian_deaths") if e.novelty == "new"]
    assert [e.quantity.best for e in new] == [total]


def test_a_separate_incident_in_a_toll_sentence_keeps_its_figure(extractor):
    text = ("The toll from the air strike on the camp near Goma rose to 14 civilians, while two soldiers were "
            "killed in a separate clash.")
    x = extractor.extract(make_article(text))
    assert x.summary.civilian_deaths.best == 14
    assert [e.quantity.best for e in _events(x, "combatant_deaths")] == [2]


def test_casualty_place_is_the_town_not_its_province(extractor):
    text = ("The death toll from Saturday's air strike on a school in Myitkyina, Kachin State, has climbed to eleven "
            "civilians, teachers said on Monday.")
    x = extractor.extract(make_article(text))
    if "cw_places" not in extractor.components:
        pytest.skip("places component not available")
    (ev,) = _events(x, "civilian_deaths")
    assert ev.where.canonical == "Myitkyina"


# --- one talks fact, one event ----------------------------------------------------------------------

def test_failure_in_the_reason_clause_is_the_same_collapse(extractor):
    text = ("Ceasefire negotiations between the army and the rebels broke down on Friday after the rebels failed "
            "to agree on a prisoner exchange, mediators said.")
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == ["collapsed"]
    assert len(_events(x, "talks_collapsed")) == 1
    # "ceasefire" names what the talks were about; no truce broke down.
    assert not _events(x, "ceasefire_violated")


def test_a_walkout_that_caused_the_collapse_is_one_event(extractor):
    text = "Peace talks between the army and the rebels broke down on Friday after the rebels walked out of the talks."
    x = extractor.extract(make_article(text))
    assert len(_events(x, "talks_collapsed")) == 1


def test_host_of_the_talks_that_collapsed_is_not_a_new_meeting(extractor):
    text = ("The junta and the Karen rebels ended their first day of peace talks on Thursday. "
            "The negotiations, hosted by Thailand, fell apart on Friday after two days without agreement, "
            "a delegate said.")
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == ["collapsed"]
    assert not _events(x, "talks_held") and not _events(x, "talks_resumed")


def test_meeting_dated_after_a_collapse_is_still_a_resumption(extractor):
    # The collapse a day earlier (within 48 h of publication) is news too (DESIGN: the article's news).
    text = "The two sides met in Nairobi on Wednesday, a day after the peace talks between them collapsed in Kampala."
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == ["collapsed", "resumed"]


def test_collapse_recalled_from_a_week_before_is_background(extractor):
    # Published on a Thursday: the collapse a week before Monday is what the meeting ended, not news.
    text = "The two sides met in Nairobi on Monday, a week after the peace talks between them collapsed in Kampala."
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == ["resumed"]
    assert [e.novelty for e in x.events if e.type == "talks_collapsed"] == ["background"]


# --- a talks venue abroad ----------------------------------------------------------------------------

def test_talks_event_at_a_venue_abroad_is_placed_in_the_conflict_country(extractor):
    if "cw_places" not in extractor.components:
        pytest.skip("places component not available")
    text = ("Sudan's army and the Rapid Support Forces resumed peace talks on Monday after a two-month pause, "
            "Saudi mediators said. Both delegations met in Jeddah for a new round aimed at a truce in Darfur, "
            "the mediators said.")
    x = extractor.extract(make_article(text))
    assert x.summary.country == "SD"
    talks = [e for e in x.events if e.type.startswith("talks_")]
    assert talks and all(e.where.country_code == "SD" and e.region == "SD" for e in talks)


# --- found on fresh articles written for these tests ---------------------------------------------------

def test_bodies_recovered_that_bring_a_toll_up_are_inside_it(extractor):
    text = ("Three more bodies were recovered from the ruins of a clinic in Marib on Sunday, bringing the death "
            "toll from Saturday's missile strike to 19 civilians, medics said.")
    x = extractor.extract(make_article(text))
    assert x.summary.civilian_deaths.best == 19
    assert [e.quantity.best for e in _events(x, "civilian_deaths")] == [19]


def test_what_first_reports_said_gives_way_to_the_articles_toll(extractor):
    text = ("Fourteen civilians were killed when a bomb exploded at a bus stop in Mogadishu on Thursday, police said. "
            "Early reports had put the toll at five.")
    x = extractor.extract(make_article(text))
    assert x.summary.civilian_deaths.best == 14
    new = [e.quantity.best for e in _events(x, "civilian_deaths") if e.novelty == "new"]
    assert new == [14]


def test_first_reports_alone_still_count(extractor):
    text = "Initial reports said seven civilians were killed when a bomb exploded at a market in Mogadishu on Thursday."
    x = extractor.extract(make_article(text))
    assert x.summary.civilian_deaths is not None and x.summary.civilian_deaths.best == 7


def test_a_truce_that_falls_apart_is_violated(extractor):
    text = "A week-long truce between the army and the militia fell apart on Sunday as shelling resumed, residents said."
    x = extractor.extract(make_article(text))
    assert [e.type for e in x.events if e.type.startswith("ceasefire")] == ["ceasefire_violated"]
    assert x.summary.talks_status == []


@pytest.mark.parametrize("text, expected", [
    # a go-between gives a date: a schedule
    ("Peace talks between the government and the rebels will resume in Arusha next month, Tanzanian mediators "
     "said on Monday.", []),
    # a party announces its return: the resumption itself (corpus/README.md)
    ("The rebels said on Friday that talks with the army would resume next week.", ["resumed"]),
])
def test_who_announces_a_resumption(extractor, text, expected):
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == expected


def test_unknown_quarter_of_a_known_town_is_placed_in_the_town(extractor):
    if "cw_places" not in extractor.components:
        pytest.skip("places component not available")
    text = ("Three civilians were killed when a shell hit the Bab al-Tabbaneh district of Tripoli on Sunday, "
            "Lebanon's state news agency said.")
    x = extractor.extract(make_article(text))
    assert x.summary.country == "LB" and x.summary.place == "Tripoli"
    (ev,) = _events(x, "civilian_deaths")
    assert ev.where.canonical == "Tripoli" and ev.region.startswith("LB/")


@pytest.mark.parametrize("text", [
    "The rebels returned to the talks after the mediators won a promise to halt the shelling of their villages.",
    "The militia leaders demanded an end to the air strikes on the camps.",
])
def test_an_attack_that_is_to_stop_is_not_an_attack(extractor, text):
    x = extractor.extract(make_article(text))
    assert not _events(x, "attack")


def test_a_truce_cited_in_passing_is_not_declared_again(extractor):
    text = ("Artillery fire killed four civilians in a village near the border on Sunday, officials said. "
            "The shelling came despite a truce between the army and the rebels.")
    x = extractor.extract(make_article(text))
    assert not _events(x, "ceasefire_declared")


@pytest.mark.parametrize("text", [
    "A ceasefire between the army and the rebels took effect at midnight on Sunday.",
    "A truce between the army and the militia came into force on Monday.",
])
def test_a_truce_taking_effect_is_declared(extractor, text):
    x = extractor.extract(make_article(text))
    assert [e.type for e in _events(x, "ceasefire_declared")] == ["ceasefire_declared"]


def test_a_collapse_told_twice_with_the_same_date_is_one_fact(extractor):
    # The lead dates the collapse from the resumption ("a day after"); the next sentence dates it
    # itself. The resumption told in between is dated otherwise, so it does not split the two.
    text = ("The militias said on Friday they would return to the negotiating table with the army, a day after "
            "the talks collapsed over the handover of heavy weapons.\n\n"
            "The negotiations broke down on Thursday in the town of Kauda when militia envoys refused to "
            "disarm before a ceasefire, officials said.")
    x = extractor.extract(make_article(text, published="2023-06-16T10:00:00+00:00"))
    collapses = [e for e in x.events if e.type == "talks_collapsed"]
    assert [e.when.date for e in collapses] == ["2023-06-15"]
    assert x.summary.talks_status == ["collapsed", "resumed"]


def test_collapse_resumption_collapse_on_three_dates_are_three_facts(extractor):
    text = ("Peace talks between the army and the militias collapsed on Monday in Kadugli. "
            "The talks resumed on Tuesday after mediators intervened. "
            "The negotiations collapsed on Thursday when militia envoys walked out, officials said.")
    x = extractor.extract(make_article(text, published="2023-06-16T10:00:00+00:00"))
    talks = [(e.type, e.when.date) for e in x.events if e.type in ("talks_collapsed", "talks_resumed")]
    assert talks == [("talks_collapsed", "2023-06-12"), ("talks_resumed", "2023-06-13"),
                     ("talks_collapsed", "2023-06-15")]
