"""Talks events on sentences written for these tests (not taken from any corpus).

Each case is a short article; the expected value is the article-level
``summary.talks_status`` (collapsed / resumed developments newly reported, in
time order). The negative cases are the traps of corpus/README.md: hedged or
conditional wording, threats, denials, planned or postponed rounds, an agreed
recess, continuing talks described with "resume", non-conflict talks, resumed
fighting or broken ceasefires, and background history.
"""

from __future__ import annotations

import pytest

from extract_helpers import make_article

COLLAPSED = [
    "Peace talks between the government and the rebels broke down on Tuesday in Nairobi.",
    "The rebel delegation walked out of the negotiations in Geneva on Monday, accusing the army of shelling civilians.",
    "The government suspended its participation in the ceasefire talks after an attack on its delegation.",
    "Mediators called off the planned round of peace talks after both sides refused to attend.",
    "The insurgents announced on Sunday that they were withdrawing from the peace process.",
    "Ceasefire negotiations between the army and the militia ended without agreement late on Friday.",
    "Negotiations between Kyiv and Moscow were frozen on Tuesday after the shelling of a hospital.",
    "The separatists pulled out of the ceasefire talks, saying the army had violated the truce.",
    "Government negotiators stormed out of the peace conference in Juba on Sunday.",
    "The junta scrapped the peace dialogue with the ethnic armed groups after a wave of attacks.",
    "The army and the rebels ended their talks in Nairobi on Friday without reaching a deal on a ceasefire.",
    "Peace talks between the militia and the army are on hold after a week of heavy shelling.",
]

RESUMED = [
    "Peace talks between the government and the rebels resumed in Doha on Monday after a three-month pause.",
    "The rebels returned to the negotiating table on Thursday, a week after the army offensive.",
    "The government and the rebels agreed to resume peace negotiations next week.",
    "The militia announced that it will return to the peace talks with the army.",
    "A fresh round of peace talks between the junta and the rebels opened in Addis Ababa on Sunday.",
    "After a year-long hiatus, peace talks between the rebels and the government restarted in Kampala on Wednesday.",
    "Ceasefire negotiations were revived on Saturday after mediators from Egypt and Qatar met both sides.",
    "The rebels said on Friday they were going back to the negotiating table in Abuja.",
    "The government said the talks with the insurgents would reconvene in Oslo on Monday after the breakdown in May.",
    "The peace talks, which collapsed in 2016, resumed on Monday in Oslo between the rebels and the government.",
    "Rebels to resume peace talks with the army in Nairobi",
]

NONE = [
    # hedged, conditional, threatened
    "Diplomats warned that the peace talks could collapse if the shelling of civilians continues.",
    "The rebels threatened to walk out of the peace talks unless prisoners are released.",
    "The ceasefire negotiations between the army and the rebels are on the brink of collapse.",
    "The apparent collapse of the peace talks alarmed the rebels and the army.",
    "Analysts fear the fragile peace process may soon unravel as fighting intensifies near the border.",
    "The army chief said a collapse of the negotiations would be a disaster for civilians.",
    "If the talks fail, the rebels said, the war will go on.",
    # denials and refusals
    "The government denied reports that the peace talks with the rebels had broken down.",
    "The rebels denied that they had abandoned the peace talks, calling the reports false.",
    "The rebels said they would not return to the peace talks while the army keeps shelling their towns.",
    "The rebels rejected the government's call to resume peace talks.",
    # planned, postponed, recess, continuing
    "The next round of peace talks between the army and the rebels has been postponed until March.",
    "Peace talks are expected to resume next month in Nairobi, diplomats said, as fighting continued.",
    "Peace talks between the rebels and the army are scheduled to begin on Monday in Doha.",
    "The delegations agreed to a two-week recess and will resume the peace talks after the holiday, the rebels said.",
    "The peace talks between the army and the rebels resumed on Tuesday for a second day of discussions.",
    "Negotiators from both sides are meeting in Doha to continue the ceasefire talks for a third week, as fighting rages.",
    # not about an armed conflict
    "Contract talks between the union and the carmaker broke down on Friday, and workers went on strike.",
    "Trade talks between Washington and Beijing resumed on Monday after tariffs rose.",
    "The club resumed talks with the striker over a new contract, the coach said after the match.",
    "Wage negotiations at the steel plant collapsed, and the union called a strike.",
    # fighting and ceasefires are not talks
    "Fighting resumed in the north after the ceasefire collapsed, and the army shelled rebel positions.",
    "The ceasefire broke down on Sunday as rebels shelled the town, killing four civilians.",
    # background history
    "Peace talks had collapsed in 2019 after the rebels seized the airport. The army and the rebels fought on.",
    "The 2014 talks collapsed when the rebels walked out; the two sides have fought since then, killing thousands.",
    "The government has ruled out talks with the rebels until they lay down their weapons.",
]

BOTH = [
    ("Peace talks between the army and the rebels collapsed on Wednesday. On Thursday, the rebels returned to the talks.",
     ["collapsed", "resumed"]),
    ("Peace talks between the rebels and the army resumed on Monday morning but were suspended late that night "
     "after a rocket attack.", ["resumed", "collapsed"]),
    ("Peace talks between the rebels and the army resumed on Monday. On Tuesday, the rebels walked out of the talks "
     "after an air strike.", ["resumed", "collapsed"]),
    # Told in reverse order: the lead gives the latest development first.
    ("The rebels returned to the peace talks on Thursday. The talks had broken down on Wednesday afternoon when the "
     "army shelled a market.", ["collapsed", "resumed"]),
]


def _status(extractor, text):
    return extractor.extract(make_article(text)).summary.talks_status


@pytest.mark.parametrize("text", COLLAPSED)
def test_collapse_is_reported(extractor, text):
    assert _status(extractor, text) == ["collapsed"]


@pytest.mark.parametrize("text", RESUMED)
def test_resumption_is_reported(extractor, text):
    assert _status(extractor, text) == ["resumed"]


@pytest.mark.parametrize("text", NONE)
def test_trap_gives_no_talks_status(extractor, text):
    assert _status(extractor, text) == []


@pytest.mark.parametrize("text,expected", BOTH)
def test_both_developments_in_time_order(extractor, text, expected):
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == expected
    counted = [e for e in x.events if e.type in ("talks_collapsed", "talks_resumed") and e.novelty == "new"
               and e.modality in ("asserted", "reported", "planned")]
    orders = {e.type: e.order for e in counted}
    first, second = ("talks_" + expected[0], "talks_" + expected[1])
    assert orders[first] < orders[second]


def test_hedged_collapse_is_kept_as_conditional_event(extractor):
    x = extractor.extract(make_article("Diplomats warned that the peace talks could collapse if the shelling continues."))
    talks = [e for e in x.events if e.type == "talks_collapsed"]
    assert talks and all(e.modality == "conditional" for e in talks)


def test_denial_is_negated(extractor):
    x = extractor.extract(make_article("The government denied that the peace talks with the rebels had collapsed."))
    talks = [e for e in x.events if e.type == "talks_collapsed"]
    assert talks and talks[0].modality == "negated"


def test_postponed_round_is_a_planned_event(extractor):
    x = extractor.extract(make_article("The next round of peace talks with the rebels was postponed until March."))
    assert [e.type for e in x.events if e.type.startswith("talks_")] == ["talks_planned"]


def test_background_collapse_is_marked_background(extractor):
    text = ("Peace talks between the government and the rebels resumed in Oslo on Monday. "
            "Earlier negotiations had collapsed in 2019 after the rebels seized an airport.")
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == ["resumed"]
    old = [e for e in x.events if e.type == "talks_collapsed"]
    assert old and all(e.novelty == "background" for e in old)


def test_reported_talks_event_names_its_source(extractor):
    x = extractor.extract(make_article("Peace talks with the rebels have collapsed, the army spokesman said on Monday."))
    ev = [e for e in x.events if e.type == "talks_collapsed"]
    assert ev and ev[0].modality == "reported"


def test_rejected_talks_are_their_own_type(extractor):
    x = extractor.extract(make_article("The rebels rejected the offer of peace talks with the army on Sunday."))
    assert x.summary.talks_status == []
    assert "talks_rejected" in {e.type for e in x.events}


def test_labour_talks_in_conflict_vocabulary_still_ignored(extractor):
    text = ("Contract talks between the dockers' union and the port operator collapsed on Monday. "
            "Separately, rebels shelled an army post in the north, killing two soldiers.")
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == []


# Multi-paragraph stories with background, quotes and page furniture (written for these tests).
STORIES = [
    ('GENEVA (Reuters) - Yemen\'s warring parties ended a week of UN-sponsored peace talks on Saturday without a deal, after the government delegation walked out over a dispute about prisoner lists.\n\nThe talks had resumed last month after a two-year gap, raising hopes of an end to a war that has killed tens of thousands of people.\n\n"We came here in good faith," a government negotiator told reporters.\n\nThe Houthi movement said it remained ready to return to the table if the government drops its conditions.\n\nFighting continued around the port city of Hodeidah, where air strikes killed three fishermen on Friday, residents said.',
     ['collapsed']),
    ('Colombia and the ELN guerrilla group restarted peace negotiations in Caracas on Tuesday, ten months after the previous round broke down over a bombing in Bogota.\n\nGovernment negotiator Ana Ruiz said both delegations had agreed on an agenda for the coming weeks.\n\nRead more: Talks with FARC dissidents collapse',
     ['resumed']),
    ("Sudan's army and the Rapid Support Forces will resume negotiations in Jeddah next week, Saudi Arabia's foreign ministry said on Thursday.\n\nThe announcement follows weeks of heavy fighting in Khartoum and Darfur.\n\nA previous round of talks was suspended in December after both sides accused each other of violating a truce.",
     ['resumed']),
    ('Ukrainian and Russian negotiators are expected to meet in Istanbul next week, Turkish officials said on Monday.\n\nAnalysts say the talks could break down quickly if either side insists on territorial demands.\n\nThe last round ended with an agreement on prisoner exchanges, and shelling along the front continued on Monday.',
     []),
    ('Rebels in eastern Congo on Monday boycotted a new round of peace talks in Luanda, hours after government drones struck their positions near Goma, killing at least 11 civilians, local officials said.',
     ['collapsed']),
    ('Armenia and Turkey resumed talks on normalising relations on Friday in Vienna, the first meeting of their envoys in a year.',
     []),
    ("Peace talks between Ethiopia's government and Oromo rebels in Tanzania stalled on Wednesday as the two sides argued over security arrangements, mediators said.",
     []),
    ('Israeli and Hamas negotiators held a new round of indirect ceasefire talks in Cairo on Sunday, Egyptian officials said, after the previous round collapsed in March.\n\nThe talks took place as Israeli strikes killed 14 people in Rafah, including six children, according to the health ministry.',
     ['resumed']),
    ('The government said on Friday it was suspending peace talks with the rebels indefinitely after an ambush killed nine soldiers in the north.\n\nThe negotiations, brokered by Norway, had resumed in January after a pause of almost a year.',
     ['collapsed']),
    ("Mali's junta on Tuesday rejected an offer by Algeria to mediate talks with the Tuareg rebels, and the army pressed its offensive near Kidal.",
     []),
]


@pytest.mark.parametrize("text,expected", STORIES)
def test_story_talks_status(extractor, text, expected):
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == expected
    for e in x.events:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text


# More phrasings: idioms ("fell through", "sat down again"), denials in quotes, recess-like breaks.
MORE = [
    ('Talks aimed at ending the war in Tigray fell through on Thursday after the federal delegation refused to discuss the withdrawal of Eritrean troops, African Union officials said.',
     ['collapsed']),
    ('The Taliban boycotted the second day of the Moscow conference on Afghan peace, demanding that the government release prisoners first.',
     ['collapsed']),
    ("Myanmar's military government and three ethnic armies agreed on Friday to meet again in Kunming later this month, after their previous talks ended in deadlock.",
     ['resumed']),
    ('Negotiators from Armenia and Azerbaijan sat down again for peace talks in Washington on Monday, the first such meeting since fighting erupted in September.',
     ['resumed']),
    ('Hamas said on Wednesday it would send a delegation back to Cairo for ceasefire negotiations, a day after Israeli strikes killed dozens in Rafah.',
     ['resumed']),
    ('Officials from both sides hinted that the negotiations might resume in the autumn, though no date has been set and fighting continues around Bakhmut.',
     []),
    ('The rebels\' spokesman dismissed as "pure fiction" a newspaper report that the peace talks had been suspended, saying the delegations were still meeting in Nairobi.',
     []),
    ("Peace talks between the government and the National Liberation Army will take place in Havana next month, Cuba's foreign ministry announced, as the guerrillas released two hostages.",
     []),
    ("Negotiations over a new collective agreement for the city's bus drivers broke down on Monday, and the union announced a strike for next week.",
     []),
    ('The ceasefire talks resumed on Wednesday morning after a short break for consultations, and the delegates continued to discuss prisoner releases as shelling went on in the east.',
     []),
    ('In 2021, the government suspended peace talks with the rebels after a bombing in the capital; the two sides have not met since, and fighting has killed hundreds.',
     []),
    ('Russia and Ukraine will not resume peace talks anytime soon, the Kremlin said on Tuesday, as missile strikes hit Kyiv.',
     []),
]


@pytest.mark.parametrize("text,expected", MORE)
def test_more_phrasings(extractor, text, expected):
    assert extractor.extract(make_article(text)).summary.talks_status == expected


def test_one_body_meeting_again_is_not_a_resumption(extractor):
    text = ("The rebel movement's governing board agreed to meet again on Sunday to weigh the army offensive, "
            "a statement said.")
    assert extractor.extract(make_article(text)).summary.talks_status == []


# Wire-style stories with headline, byline and dateline lines.
WIRE = [
    ("Sudan peace talks suspended as army quits Jeddah negotiations\n\nBy Staff Reporter\n\nKHARTOUM, June 1 (Agency) - Sudan's army said on Wednesday it had suspended its participation in ceasefire talks with the paramilitary Rapid Support Forces in Jeddah, accusing the RSF of repeatedly breaching a humanitarian truce.\n\nThe talks, brokered by Saudi Arabia and the United States, began on May 6.\n\nFighting raged in the capital overnight, residents said.",
     ['collapsed']),
    ('South Sudan: Government, holdout groups back at negotiating table\n\nNAIROBI - The South Sudanese government and a coalition of holdout opposition groups returned to the negotiating table on Monday, two months after talks stalled over security arrangements.\n\nThe mediation team said the parties would focus on a permanent ceasefire.',
     ['resumed']),
    ('Congo, Rwanda-backed rebels fail to agree as Doha round ends\n\nDOHA, Aug 18 - A round of talks between the Democratic Republic of Congo and M23 rebels ended without a deal on Monday, mediators said, missing a deadline to sign a peace agreement.\n\nThe two sides had signed a declaration of principles in July.',
     ['collapsed']),
    ('The Philippine government and Muslim rebels will hold the next round of peace talks in Kuala Lumpur in March, officials said on Friday, as clashes in Mindanao killed five soldiers.',
     []),
    ("Colombia's president threatened on Sunday to end negotiations with the ELN if the guerrillas carried out more attacks, a day after a bombing killed two police officers.",
     []),
    ("Israel's delegation left Cairo on Thursday without an agreement, but officials said they expected to return for more ceasefire talks next week.",
     ['collapsed']),
    ("Yemen's Houthis and the government resumed UN-backed talks on a prisoner exchange in Geneva on Sunday, a week after the previous session ended in acrimony.",
     ['resumed']),
    ('Talks on a new trade agreement between the European Union and Mercosur resumed on Tuesday in Brasilia after a two-year freeze.',
     []),
    ('Thai and Malaysian officials said peace dialogue with southern insurgents remained on track, dismissing reports that the process had been frozen after a bombing in Pattani killed three rangers.',
     []),
    ('Ethiopian federal negotiators and Tigrayan leaders walked away from talks in Pretoria on Friday, officials said. By Saturday the two sides were back at the table after African Union mediators intervened.',
     ['collapsed', 'resumed']),
]


@pytest.mark.parametrize("text,expected", WIRE)
def test_wire_story_talks_status(extractor, text, expected):
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == expected
    for e in x.events:
        assert text[e.evidence.start:e.evidence.end] == e.evidence.text


# Non-conflict talks in stories that also use war words (they pass the gate).
NOT_CONFLICT_TALKS = [
    "Negotiations between the airline and its pilots broke down on Monday after the union rejected a pay offer, and a strike now looks likely. The dispute has killed hopes of a quick deal, analysts said, and the airline's shares fell after an attack by a short seller.",
    'Coalition talks in Berlin collapsed on Sunday after the liberals walked out, throwing the government into crisis; the army chief warned about the war in Ukraine.',
    'Budget talks in Congress collapsed on Friday, raising the risk of a shutdown that could delay pay for troops and veterans of the war in Afghanistan.',
    'Talks between the club and its star striker over a new contract collapsed, and angry fans attacked the team bus after the defeat, police said. Two people were injured.',
    'Brexit negotiations resumed in Brussels on Monday, as officials warned of a fight over fishing rights and the army prepared for disruption at the ports.',
]


@pytest.mark.parametrize("text", NOT_CONFLICT_TALKS)
def test_non_conflict_talks_with_war_words(extractor, text):
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == []
    assert not [e for e in x.events if e.type.startswith("talks_")]


# Idioms and lemmatizer gaps ("pulled their delegations from", "relaunched", "met face to face ... first time since").
IDIOMS = [
    ('Gaza ceasefire talks hit a snag on Monday as Hamas accused Israel of adding new conditions, but mediators said negotiations would continue in Doha this week.',
     []),
    ("Libya's rival administrations pulled their delegations from the UN-led military committee talks in Geneva on Tuesday after a rocket attack on Tripoli's port.",
     ['collapsed']),
    ('The Colombian government and FARC dissidents formally relaunched their peace process on Thursday in Bogota, a year after it was frozen following the killing of indigenous leaders.',
     ['resumed']),
    ('It was not immediately clear whether the talks would collapse, a diplomat said, as shelling killed four civilians in Kharkiv.',
     []),
    ('Sources close to the negotiations said the talks were unlikely to resume before the elections, while air strikes continued in the north.',
     []),
    ('The rebel commander said his fighters had never left the peace talks and accused the army of spreading lies, as clashes killed three villagers.',
     []),
    ('Peace negotiations between Bogota and the ELN, suspended since January after a car bombing, resumed in Havana on Monday.',
     ['resumed']),
    ('The Somali government cancelled a planned round of talks with clan militias on Saturday after an al-Shabaab attack killed 12 civilians in Mogadishu.',
     ['collapsed']),
    ('Delegates from the two warring factions met face to face in Juba on Wednesday for the first time since the ceasefire talks broke down last year.',
     ['resumed']),
]


@pytest.mark.parametrize("text,expected", IDIOMS)
def test_idioms(extractor, text, expected):
    assert extractor.extract(make_article(text)).summary.talks_status == expected


# Polarity, background phrases and topics (issue 8, classes 1, 2 and 7): sentences written for these tests.
CLASSES = [
    # a collapse noun that is ended is a return to talks
    ("The rebel delegation attended the peace meeting in the capital on Friday, ending its boycott of the talks.",
     ["resumed"]),
    ("The rebels announced on Tuesday the lifting of their suspension of the peace talks with the army.",
     ["resumed"]),
    # a denial of a resumption is no resumption
    ("The government on Monday ruled out an immediate resumption of peace talks with the insurgents.", []),
    # a planned return under a condition is conditional
    ("The opposition says it would return to the peace talks once the army ends the siege of the city.", []),
    # narrative history and lasting states
    ("Two years later, peace talks resumed between the army and the rebels in the mountain town.", []),
    ("The peace talks on the conflict remain on hold, a foreign ministry official said on Monday.", []),
    # a change noun after 'after' / 'since' is the change the fact follows
    ("The army and the rebels resumed peace talks on Tuesday after a three-week suspension over prisoner swaps.",
     ["resumed"]),
    ("Heavy fighting broke out near the port on Wednesday, days after peace talks between the warring sides collapsed.",
     []),
    # a change that is only discussed is no change
    ("The army and the rebels discuss resuming the peace talks in the port city, officials said on Monday.", []),
    ("The two foreign ministers discussed the resumption of peace talks between the army and the rebels.", []),
    # a "since" clause dates the present state: the meeting now is no round after a break
    ("Since peace talks resumed on 10 June after a long break, negotiators have largely been holding "
     "consultations with the warring parties.", []),
    # "peace talk" in the singular is still talks
    ("Rebels abandon peace talk with the army", ["collapsed"]),
    # wordings of a collapse or a return that are idioms (class 2)
    ("The government decided to give the peace talks another chance and sent its delegation back on Sunday.",
     ["resumed"]),
    ("The peace talks between the army and the rebels have reached a dead end, the rebel spokesman said on Sunday.",
     ["collapsed"]),
    ("The mediators declared a pause in the peace talks between the army and the rebels on Saturday.", ["collapsed"]),
    ("The army recalled its negotiators from the capital on Saturday, accusing the rebels of stalling the ceasefire talks.",
     ["collapsed"]),
    ("The army recalled its negotiators from the capital on Saturday for consultations.", []),
    ("The recall of the negotiators for consultations does not mean the peace talks have failed, officials said.", []),
    ("Peace talks resume in the capital", ["resumed"]),
    # talks that are not peace talks
    ("Talks on the nuclear programme resumed on Thursday in Vienna, as the army shelled rebel positions.", []),
    ("Talks to form a new government collapsed on Sunday in the capital, while the army fought the rebels.", []),
]


@pytest.mark.parametrize("text,expected", CLASSES)
def test_polarity_background_and_topic_classes(extractor, text, expected):
    assert extractor.extract(make_article(text)).summary.talks_status == expected


def test_unity_government_talks_stay_peace_talks(extractor):
    text = "Talks to form a unity government between the army and the rebels collapsed on Sunday in the capital."
    assert extractor.extract(make_article(text)).summary.talks_status == ["collapsed"]


def test_dialogue_resumed_next_month_is_not_far_past(extractor):
    # Published in January: "February 13" lies ahead; the agreed resumption is news.
    text = ("The government and the guerrillas announced on Saturday that the peace dialogue that began in "
            "November will be resumed in Mexico on Monday, February 13.")
    x = extractor.extract(make_article(text, published="2023-01-22T10:00:00+00:00"))
    assert x.summary.talks_status == ["resumed"]


# --- the conflict's country for talks held abroad (issue 8, class 5) ------------------------------------

def test_talks_abroad_take_the_armed_partys_country(extractor):
    text = ("Tamil Tiger rebels and the Sri Lankan government resumed peace talks in Geneva on Tuesday, "
            "Swiss officials said. The Tamil Tigers walked out of the last round in Oslo in February.")
    x = extractor.extract(make_article(text))
    assert x.summary.talks_status == ["resumed"]
    assert x.summary.country == "LK"
    assert all(e.region == "LK" for e in x.events if e.type.startswith("talks_"))


def test_a_single_mention_does_not_overrule_the_storys_places():
    from conflictwatch.extract.actors import ActorEntry, ActorMention, party_country
    rebels = ActorEntry("Tamil rebels", "rebels", "LK")
    host = ActorEntry("Norway", "state", "NO")
    one = [ActorMention("Tamil rebels", 10, 22, rebels)]
    assert party_country(one, [(0, 100)], "NO") == "NO"
    two = one + [ActorMention("Tamil rebels", 40, 52, rebels), ActorMention("Norway", 60, 66, host)]
    assert party_country(two, [(0, 100)], "NO") == "LK"
    # outside the talks sentences, or as a mediator, a party does not count
    assert party_country(two, [(0, 30)], "NO") == "NO"
    mediated = [ActorMention("Tamil rebels", 10, 22, rebels, role="mediator")] * 3
    assert party_country(mediated, [(0, 100)], "NO") == "NO"


def test_generic_government_words_do_not_vote():
    from conflictwatch.extract.actors import ActorEntry, ActorMention, party_country
    gov = ActorEntry("Ethiopian government", "government", "ET")
    armed = ActorEntry("SPLM-IO", "rebels", "SS")
    ms = [ActorMention("the government", 0, 14, gov, from_generic=True)] * 3 + [ActorMention("SPLM-IO", 20, 27, armed)] * 2
    assert party_country(ms, [(0, 100)], "ET") == "SS"
