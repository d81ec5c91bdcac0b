"""Alert scenarios through the real worker on the real broker, with articles we wrote.

One worker serves the module; each scenario lives in its own country, so their
negotiation tracks, incidents and windows never meet. Where order matters (a
revised toll, a collapse before a resumption) the test publishes the next article
only after the worker has answered the previous one, because articles of different
ids travel on different partitions and may otherwise be processed in any order.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from conflictwatch import topics as T

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def article(id_, source, published_at, title, *paragraphs):
    return {"id": id_, "source": source, "url": f"https://example.org/scenario/{id_}",
            "published_at": published_at, "language": "en", "title": title, "body": "\n\n".join(paragraphs)}


STRIKE_OUTLET_A = article(
    "scn-strike-a", "Highland Desk", "2025-02-11T09:00:00Z", "Air strike on market in Lashio kills seven civilians",
    "A military jet bombed the central market in Lashio, in Myanmar's northern Shan State, on Monday evening, "
    "killing seven civilians, local rescue workers said.",
    "The strike destroyed dozens of stalls as traders were closing for the night, a volunteer at the scene said "
    "by telephone.",
    "The junta did not comment on the attack.")
STRIKE_OUTLET_B = article(
    "scn-strike-b", "Mekong Monitor", "2025-02-11T11:30:00Z", "Seven dead as junta jet hits Lashio market",
    "Seven civilians were killed when a junta aircraft dropped bombs on a crowded market in the town of Lashio "
    "in Shan State on Monday, residents told reporters.",
    "Witnesses said the plane circled twice before releasing its payload over the market stalls.")
STRIKE_OUTLET_C = article(
    "scn-strike-c", "Shan Line", "2025-02-12T08:00:00Z", "Death toll from Lashio market strike rises to nine",
    "The death toll from Monday's air strike on the market in Lashio, Shan State, has risen to nine civilians "
    "after two wounded traders died in hospital, rescue volunteers said on Wednesday.",
    "More than a dozen people remain in hospital with burns and shrapnel wounds, the volunteers said.")

TALKS_COLLAPSE = article(
    "scn-talks-1", "Horn Report", "2025-05-06T16:00:00Z", "Ethiopia talks with Oromo rebels collapse",
    "Peace talks between the Ethiopian government and the Oromo Liberation Army collapsed on Tuesday after the "
    "two sides failed to agree on disarming rebel fighters in Oromia, mediators said.",
    "The negotiations, hosted by Tanzania, broke down after three days without a deal, a diplomat familiar "
    "with the process said.")
TALKS_RESUME = article(
    "scn-talks-2", "Horn Report", "2025-05-08T12:00:00Z", "Ethiopia and Oromo rebels return to the table",
    "The Ethiopian government and the Oromo Liberation Army resumed peace talks on Thursday, two days after the "
    "negotiations collapsed, Tanzanian mediators said.",
    "Both delegations met in Dar es Salaam for a new round aimed at a ceasefire in Oromia, the mediators said.")
TALKS_REPEAT = article(
    "scn-talks-3", "Addis Daily", "2025-05-09T10:00:00Z", "Why the Oromia talks fell apart",
    "Peace talks between the Ethiopian government and the Oromo Liberation Army collapsed on Tuesday over the "
    "question of disarming rebel fighters in Oromia, according to people who took part.",
    "One delegate said the rebels had demanded guarantees that government forces would withdraw first.")

HEDGED = article(
    "scn-hedged", "Sahel Wire", "2025-06-03T10:00:00Z", "Mali talks could collapse, mediators warn",
    "Talks between the Malian government and rebel groups in the north could collapse within days if the army "
    "presses on with its offensive near Kidal, Algerian mediators warned on Tuesday.",
    "Rebel negotiators threatened to walk out of the talks unless the air strikes stopped, a spokesman said.")

CUMULATIVE = article(
    "scn-cumulative", "Sahel Wire", "2025-06-04T10:00:00Z", "Drone strike in Burkina Faso",
    "A drone strike on a village near Djibo in northern Burkina Faso killed three civilians on Tuesday, "
    "residents said.",
    "More than 20,000 civilians have been killed in the country since the insurgency began in 2015, according "
    "to monitoring groups.")

# The Philippines over two years: the government's talks with the National Democratic Front
# collapse (told by two outlets), collapse again two years later with no resumption reported
# in between, then resume in an article that recalls the breakdown three weeks before; its
# talks with the MILF are another negotiation.
PH_COLLAPSE_2017 = article(
    "scn-ph-1", "Manila Desk", "2017-05-27T18:00:00Z", "Philippine talks with communist rebels collapse",
    "Peace talks between the Philippine government and the National Democratic Front collapsed on Saturday "
    "after the government accused the rebels of stepping up attacks in Mindanao, officials said.",
    "Government negotiators said there was no point in going on while the fighting continued.")
PH_COPY_2017 = article(
    "scn-ph-2", "Visayas Post", "2017-05-28T07:00:00Z", "Peace process stalls again",
    "The Philippine government and the National Democratic Front ended their peace talks on Saturday without "
    "an agreement, negotiators from both sides said.",
    "The rebels blamed the military campaign in the south for the failure.")
PH_COLLAPSE_2019 = article(
    "scn-ph-3", "Manila Desk", "2019-03-18T16:00:00Z", "Talks with communist rebels break down again",
    "Peace talks between the Philippine government and the National Democratic Front broke down on Monday "
    "after a dispute over a prisoner release, officials said.",
    "Both delegations left the venue in the afternoon.")
PH_MILF_RESUME = article(
    "scn-ph-4", "Mindanao Times", "2019-03-21T12:00:00Z", "Government and MILF back at the table",
    "The Philippine government and the Moro Islamic Liberation Front resumed peace talks on Thursday, a "
    "spokesman for the rebels said.",
    "The negotiators are to discuss the decommissioning of rebel fighters.")
PH_RESUME_AFTER_SUSPENSION = article(
    "scn-ph-5", "Visayas Post", "2019-04-10T15:00:00Z", "Communist rebels and government resume talks",
    "The Philippine government and the National Democratic Front resumed peace talks on Wednesday, three "
    "weeks after the negotiations broke down, negotiators said.",
    "The talks had collapsed on March 18 over a prisoner release.")


def citing(records, prefix):
    """Alerts that cite any article whose id starts with prefix, wherever they were placed."""
    return [r for r in records if any(a["id"].startswith(prefix) for a in r["data"]["articles"])]


def events_of(records, article_id):
    return [e for e in records if e["article"]["id"] == article_id]


def settle(topics, worker, *article_ids):
    """Wait until the worker published the events of these articles, then a little more
    for the alert agent (which consumes those events) to have acted on them."""
    topics.wait_for(T.EVENTS, lambda recs: all(events_of(recs, a) for a in article_ids), worker=worker)
    time.sleep(4)


def test_one_strike_three_outlets_7_7_9_gives_one_incident_alert_and_one_update(pipeline):
    topics, worker = pipeline

    def incident_alerts(records):
        return [r for r in citing(records, "scn-strike") if r["type"] == "civilian_deaths.incident"]

    topics.publish(STRIKE_OUTLET_A)
    first = topics.wait_for(T.ALERTS, lambda recs: incident_alerts(recs), worker=worker)
    topics.publish(STRIKE_OUTLET_B)
    settle(topics, worker, "scn-strike-b")
    assert len(incident_alerts(topics.records(T.ALERTS))) == 1, "a second outlet with the same toll says nothing new"

    topics.publish(STRIKE_OUTLET_C)
    alerts = topics.wait_for(T.ALERTS, lambda recs: len(incident_alerts(recs)) >= 2, worker=worker)
    settle(topics, worker, "scn-strike-c")
    alerts = incident_alerts(topics.records(T.ALERTS))
    assert [a["data"]["counts"]["best"] for a in alerts] == [7, 9], "the revised toll replaces, never adds"
    assert [a["revision"] for a in alerts] == [0, 1]
    assert alerts[0]["id"] == incident_alerts(first)[0]["id"]
    assert len({a["incidentid"] for a in alerts}) == 1, "one incident"
    assert len({a["id"] for a in alerts}) == 2
    cited = {art["id"] for art in alerts[1]["data"]["articles"]}
    assert cited == {"scn-strike-a", "scn-strike-b", "scn-strike-c"}
    assert all(a["subject"].startswith("MM") for a in alerts)
    assert not [r for r in citing(topics.records(T.ALERTS), "scn-strike") if r["type"] == "civilian_deaths.window"]


def test_collapse_then_resume_then_a_repeat_story_gives_two_alerts(pipeline):
    topics, worker = pipeline

    def talks_alerts(records):
        return [r for r in citing(records, "scn-talks") if r["type"].startswith("talks.")]

    topics.publish(TALKS_COLLAPSE)
    topics.wait_for(T.ALERTS, lambda recs: talks_alerts(recs), worker=worker)
    topics.publish(TALKS_RESUME)
    topics.wait_for(T.ALERTS, lambda recs: len(talks_alerts(recs)) >= 2, worker=worker)
    topics.publish(TALKS_REPEAT)
    settle(topics, worker, "scn-talks-3")

    alerts = talks_alerts(topics.records(T.ALERTS))
    assert [a["type"] for a in alerts] == ["talks.collapsed", "talks.resumed"], \
        "a later story about the same collapse is no new transition"
    assert len({a["trackid"] for a in alerts}) == 1, "one negotiation track"
    assert all(a["subject"] == "ET" for a in alerts), "keyed by the conflict's country, not the venue"
    assert alerts[0]["time"] < alerts[1]["time"]
    assert alerts[0]["data"]["articles"][0]["id"] == "scn-talks-1"
    assert alerts[1]["data"]["articles"][0]["id"] == "scn-talks-2"


def test_hedged_collapse_and_walk_out_threat_give_no_alert(pipeline):
    topics, worker = pipeline
    topics.publish(HEDGED)
    settle(topics, worker, "scn-hedged")
    talks = [e for e in events_of(topics.records(T.EVENTS), "scn-hedged") if e["type"].startswith("talks_")]
    assert talks, "the talks are seen"
    assert all(e["modality"] not in ("asserted", "reported") for e in talks), "but as hedged, not as a fact"
    assert citing(topics.records(T.ALERTS), "scn-hedged") == []


def test_cumulative_war_toll_is_no_new_count(pipeline):
    topics, worker = pipeline
    topics.publish(CUMULATIVE)
    settle(topics, worker, "scn-cumulative")
    deaths = [e for e in events_of(topics.records(T.EVENTS), "scn-cumulative") if e["type"] == "civilian_deaths"]
    new = [e for e in deaths if e["novelty"] == "new"]
    assert [e["quantity"]["best"] for e in new] == [3]
    assert all(e["quantity"]["best"] < 1000 for e in new)
    # Three deaths are below the incident threshold (5); 20,000 would have fired both rules.
    assert citing(topics.records(T.ALERTS), "scn-cumulative") == []


def test_talks_tracks_over_years_rearm_two_negotiations_and_a_recalled_breakdown(pipeline):
    topics, worker = pipeline

    def talks_alerts(records):
        return [r for r in citing(records, "scn-ph") if r["type"].startswith("talks.")]

    expected = 0
    for art, gives in ((PH_COLLAPSE_2017, 1), (PH_COPY_2017, 0), (PH_COLLAPSE_2019, 1), (PH_MILF_RESUME, 1),
                       (PH_RESUME_AFTER_SUSPENSION, 1)):
        topics.publish(art)
        expected += gives
        if gives:
            topics.wait_for(T.ALERTS, lambda recs, n=expected: len(talks_alerts(recs)) >= n, worker=worker)
        else:
            settle(topics, worker, art["id"])
    settle(topics, worker, PH_RESUME_AFTER_SUSPENSION["id"])

    alerts = talks_alerts(topics.records(T.ALERTS))
    assert [(a["type"], a["data"]["articles"][0]["id"]) for a in alerts] == [
        ("talks.collapsed", "scn-ph-1"),   # the second outlet's copy gives nothing
        ("talks.collapsed", "scn-ph-3"),   # the same state two years on: a new episode
        ("talks.resumed", "scn-ph-4"),
        ("talks.resumed", "scn-ph-5"),     # the breakdown it recalls is context, not a collapse alert
    ]
    assert all(a["subject"] == "PH" for a in alerts)
    ndf = [a for a in alerts if "national democratic front" in a["data"]["track"]["parties"]]
    milf = [a for a in alerts if "moro islamic liberation front" in a["data"]["track"]["parties"]]
    assert len(ndf) == 3 and len(milf) == 1
    assert len({a["trackid"] for a in ndf}) == 1 and milf[0]["trackid"] != ndf[0]["trackid"], "two negotiations"
    assert ndf[1]["data"]["track"]["rearmed"] is True
    assert ndf[2]["data"]["track"]["previous_state"] == "collapsed"
    assert ndf[2]["data"]["summary"].startswith(
        "Talks between Philippine government and National Democratic Front resumed on 2019-04-10")


def test_no_alert_id_twice(pipeline):
    topics, _ = pipeline
    ids = Counter(a["id"] for a in topics.records(T.ALERTS))
    assert ids and all(n == 1 for n in ids.values())
