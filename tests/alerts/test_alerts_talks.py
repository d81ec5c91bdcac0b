from alertkit import Harness, article, make_event

GOV = ("Syrian government", "agent")
REBELS = ("rebels", "agent")
RUSSIA_MEDIATOR = ("Russia", "mediator")


def test_collapse_then_resume_in_one_article_gives_both_in_order(harness):
    art = article("a1", "Wire One", "2018-07-06T09:00:00Z")
    collapse = make_event(art, "talks_collapsed", "Negotiations between the two sides broke down on Wednesday.",
                          start=0, date="2018-07-04", actors=(GOV, REBELS, RUSSIA_MEDIATOR), order=0)
    resume = make_event(art, "talks_resumed", "Delegations sat down together again on Thursday.",
                        start=80, date="2018-07-05", actors=(REBELS,), order=1)
    alerts = harness.engine.on_events([resume, collapse])  # given out of order: the engine sorts by `order`
    assert [a["type"] for a in alerts] == ["talks.collapsed", "talks.resumed"]
    c, r = alerts
    assert c["subject"] == r["subject"] == "SY", "talks are keyed by country"
    assert c["trackid"] == r["trackid"]
    assert c["data"]["track"]["parties"] == ["rebels", "syrian government"]
    assert "russia" not in c["data"]["track"]["parties"]
    # Matching is on normalized names, the summary shows them as the event spells them.
    # Government side first, as a reader names the parties; the mediator is data, never a party.
    assert c["data"]["summary"].startswith("Talks between Syrian government and rebels collapsed on 2018-07-04 (Syria")
    assert c["data"]["mediators"] == ["Russia"]
    assert r["data"]["track"]["previous_state"] == "collapsed"
    assert c["time"] == "2018-07-04T12:00:00Z" and r["time"] == "2018-07-05T12:00:00Z"
    assert c["data"]["severity"] == "warning" and r["data"]["severity"] == "info"
    assert c["data"]["evidence"][0]["sentence"].startswith("Negotiations between")
    assert c["data"]["articles"][0]["url"] == art["url"]
    assert c["id"] != r["id"]


def test_repeat_story_of_same_collapse_after_resumption_gives_nothing(harness):
    d1 = article("b1", "Wire One", "2018-07-01T18:00:00Z")
    d2 = article("b2", "Wire Two", "2018-07-02T18:00:00Z")
    d3 = article("b3", "Paper Three", "2018-07-03T08:00:00Z")
    a1 = harness.feed(make_event(d1, "talks_collapsed", "The talks fell apart today.", date="2018-07-01", actors=(GOV, REBELS)))
    a2 = harness.feed(make_event(d2, "talks_resumed", "Both sides returned to the table.", date="2018-07-02", actors=(GOV, REBELS)))
    a3 = harness.feed(make_event(d3, "talks_collapsed", "The talks had fallen apart on Sunday.", date="2018-07-01", actors=(REBELS,)))
    assert [a["type"] for a in a1 + a2] == ["talks.collapsed", "talks.resumed"]
    assert a3 == []


def test_second_outlet_on_collapsed_track_gives_nothing(harness):
    first = harness.feed(make_event(article("c1", "Wire One", "2018-07-01T10:00:00Z"), "talks_collapsed",
                                    "Talks ended without a deal.", actors=(GOV, REBELS)))
    second = harness.feed(make_event(article("c2", "Wire Two", "2018-07-01T14:00:00Z"), "talks_collapsed",
                                     "Negotiators walked out.", actors=(("Syrian government", "agent"),)))
    third = harness.feed(make_event(article("c3", "Wire Three", "2018-07-02T14:00:00Z"), "talks_collapsed",
                                    "The talks are over, officials said.", actors=()))
    assert len(first) == 1 and second == [] and third == []


def test_hedged_and_planned_talk_do_not_fire(harness):
    art = article("d1", "Wire One", "2018-07-01T10:00:00Z")
    hedged = make_event(art, "talks_collapsed", "The talks could collapse if the shelling goes on.",
                        modality="conditional", actors=(GOV, REBELS))
    planned = make_event(art, "talks_resumed", "Negotiators plan to meet again next week.", start=60,
                         modality="planned", actors=(GOV, REBELS))
    denied = make_event(art, "talks_collapsed", "Officials denied that talks had broken down.", start=120,
                        modality="negated", actors=(GOV, REBELS))
    background = make_event(art, "talks_collapsed", "Talks collapsed in 2016 as well.", start=200,
                            novelty="background", date="2016-03-01", actors=(GOV, REBELS))
    assert harness.feed(hedged, planned, denied, background) == []
    assert harness.tracks.snapshot() == {}


def test_disjoint_parties_make_separate_tracks(harness):
    art = article("e1", "Wire One", "2018-07-01T10:00:00Z")
    a = harness.feed(make_event(art, "talks_collapsed", "Talks between the two militias broke down.",
                                actors=(("Militia A", "agent"), ("Militia B", "agent"))))
    b = harness.feed(make_event(art, "talks_collapsed", "Talks between the government and the SDF broke down too.",
                                start=50, actors=(GOV, ("SDF", "agent"))))
    assert len(a) == 1 and len(b) == 1
    assert a[0]["trackid"] != b[0]["trackid"]


def test_noisy_party_lists_share_one_track(harness):
    """One outlet names government and rebels, the next rebels and the mediator as
    an agent too, a third the government only: one negotiation, one collapse."""
    d1 = article("n1", "Wire One", "2018-07-01T10:00:00Z")
    d2 = article("n2", "Wire Two", "2018-07-01T12:00:00Z")
    d3 = article("n3", "Wire Three", "2018-07-01T15:00:00Z")
    first = harness.feed(make_event(d1, "talks_collapsed", "Talks broke down.", actors=(GOV, REBELS)))
    second = harness.feed(make_event(d2, "talks_collapsed", "Negotiations with Russian officers failed.",
                                     actors=(REBELS, ("Russia", "agent"), ("Russia", "mediator"))))
    third = harness.feed(make_event(d3, "talks_collapsed", "The government said talks were over.", actors=(GOV,)))
    assert len(first) == 1 and second == [] and third == []
    (entry,) = harness.tracks.values()
    assert [t["parties"] for t in entry["tracks"].values()] == [["rebels", "syrian government"]]


def test_reported_modality_counts_and_ids_are_deterministic():
    art = article("f1", "Wire One", "2018-07-01T10:00:00Z")
    ev = make_event(art, "talks_resumed", "Talks resumed, a monitor said.", modality="reported", actors=(GOV, REBELS))
    first = Harness().feed(ev)
    second = Harness().feed(ev)
    assert len(first) == 1 and first == second


def test_talks_rule_disabled_by_override_still_tracks_state():
    from conflictwatch.alerts import load_rules

    h = Harness(load_rules(overrides={"rules.talks-collapsed.enabled": "false"}))
    a1 = h.feed(make_event(article("g1", "W", "2018-07-01T10:00:00Z"), "talks_collapsed", "Talks broke down.", actors=(GOV,)))
    a2 = h.feed(make_event(article("g2", "W", "2018-07-02T10:00:00Z"), "talks_resumed", "Talks resumed.", actors=(GOV,)))
    assert a1 == []
    assert [a["type"] for a in a2] == ["talks.resumed"]
    assert a2[0]["data"]["track"]["previous_state"] == "collapsed"


def test_resumption_told_before_the_collapse_still_gives_the_collapse():
    """Two articles arriving in the wrong order: Thursday's resumption, then Wednesday's collapse."""
    h = Harness()
    first = h.feed(make_event(article("h1", "Wire One", "2018-07-06T09:00:00Z"), "talks_resumed",
                              "Rebels are back at the table, a spokesman said on Thursday.",
                              date="2018-07-05", actors=(REBELS,)))
    later = h.feed(make_event(article("h1b", "Wire Two", "2018-07-06T10:00:00Z"), "talks_collapsed",
                              "The talks had fallen apart on Wednesday.", date="2018-07-04", actors=(GOV, REBELS)))
    alerts = first + later
    assert [a["type"] for a in alerts] == ["talks.resumed", "talks.collapsed"]
    late = alerts[1]
    assert late["time"] == "2018-07-04T12:00:00Z"
    assert late["data"]["track"]["state"] == "collapsed" and late["data"]["track"]["current_state"] == "resumed"
    assert "reported late" in late["data"]["summary"]
    # The track stays resumed: a repeat of the Wednesday collapse is old news,
    # and a new collapse on Friday is a transition.
    assert h.feed(make_event(article("h2", "Wire Two", "2018-07-06T12:00:00Z"), "talks_collapsed",
                             "Wednesday's breakdown was brief.", date="2018-07-04", actors=(REBELS,))) == []
    friday = h.feed(make_event(article("h3", "Wire Two", "2018-07-06T18:00:00Z"), "talks_collapsed",
                               "The talks broke down again on Friday.", date="2018-07-06", actors=(GOV,)))
    assert [a["data"]["track"]["previous_state"] for a in friday] == ["resumed"]


def test_one_article_telling_the_resumption_first_still_gives_both_in_time_order():
    h = Harness()
    art = article("h4", "Wire One", "2018-07-06T09:00:00Z")
    resume = make_event(art, "talks_resumed", "Rebels are back at the table, a spokesman said on Thursday.",
                        date="2018-07-05", actors=(REBELS,), order=1)
    collapse = make_event(art, "talks_collapsed", "The talks had fallen apart on Wednesday.", start=70,
                          date="2018-07-04", actors=(GOV, REBELS), order=0)
    alerts = h.engine.on_events([resume, collapse])
    assert [a["type"] for a in alerts] == ["talks.collapsed", "talks.resumed"]
    assert alerts[0]["time"] < alerts[1]["time"]
    assert alerts[1]["data"]["track"]["previous_state"] == "collapsed"
    assert alerts[1]["data"]["track"]["previous_since"] == "2018-07-04"


def test_old_state_far_before_known_history_gives_nothing():
    h = Harness()
    h.feed(make_event(article("i1", "Wire One", "2018-07-10T09:00:00Z"), "talks_resumed", "Talks resumed.",
                      date="2018-07-10", actors=(GOV, REBELS)))
    assert h.feed(make_event(article("i2", "Wire One", "2018-07-11T09:00:00Z"), "talks_collapsed",
                             "Talks had collapsed in late June.", date="2018-06-28", actors=(GOV, REBELS))) == []


def test_generic_side_names_are_no_extra_party_and_match_the_named_side():
    """'rebels' next to a named group are that group; told alone they join its track."""
    h = Harness()
    ph_gov, ndf = ("Philippine government", "agent"), ("National Democratic Front", "agent")
    first = h.feed(make_event(article("k1", "Wire", "2019-03-18T10:00:00Z"), "talks_collapsed",
                              "Talks between the government and the rebel front broke down.", country="PH",
                              admin1=None, place=None, precision="country", actors=(ph_gov, ndf, REBELS)))
    second = h.feed(make_event(article("k2", "Wire", "2019-03-25T10:00:00Z"), "talks_resumed",
                               "The rebels returned to the table.", country="PH", admin1=None, place=None,
                               precision="country", actors=(REBELS,)))
    assert first[0]["data"]["track"]["parties"] == ["national democratic front", "philippine government"]
    assert first[0]["data"]["summary"].startswith(
        "Talks between Philippine government and National Democratic Front collapsed")
    assert second[0]["trackid"] == first[0]["trackid"]
    assert second[0]["data"]["track"]["parties"] == ["national democratic front", "philippine government"]


def test_one_article_gives_one_news_even_with_two_party_sets():
    h = Harness()
    art = article("q1", "Wire", "2019-05-02T10:00:00Z")
    a = make_event(art, "talks_resumed", "Negotiators of both camps met again on Thursday.", start=0,
                   actors=(("Militia A", "agent"), ("Militia B", "agent")), order=0)
    b = make_event(art, "talks_resumed", "Elders of the two clans also returned to the table.", start=400,
                   actors=(("Clan C", "agent"), ("Clan D", "agent")), order=1)
    alerts = h.engine.on_events([a, b])
    assert [x["data"]["evidence"][0]["sentence"] for x in alerts] == [a["evidence"]["text"]], "the lead's change"


def test_a_change_dated_months_before_publication_is_history():
    h = Harness()
    old = make_event(article("q2", "Wire", "2019-07-01T10:00:00Z"), "talks_resumed",
                     "The talks resumed in February in a hotel by the lake.", date="2019-02-04", actors=(GOV, REBELS))
    assert h.feed(old) == []


def test_an_earlier_change_undone_the_same_day_does_not_alert_on_its_own():
    """Collapsed and back at the table on Monday, talks went on on Tuesday: the news is Tuesday's."""
    h = Harness()
    art = article("q3", "Wire", "2019-03-12T10:00:00Z")
    monday_off = make_event(art, "talks_collapsed", "A walk-out on Monday morning", start=20, date="2019-03-11",
                            actors=(GOV, REBELS), order=0)
    monday_on = make_event(art, "talks_resumed", "ended with a return in the afternoon.", start=60,
                           date="2019-03-11", actors=(GOV, REBELS), order=1)
    tuesday = make_event(art, "talks_resumed", "Talks went ahead on Tuesday.", start=0, date="2019-03-12",
                         actors=(GOV, REBELS), order=2)
    alerts = h.engine.on_events([monday_off, monday_on, tuesday])
    assert [a["type"] for a in alerts] == ["talks.resumed"]
    assert alerts[0]["data"]["track"]["previous_state"] == "collapsed"
