"""A multi-year stream of talks news, written for these tests: negotiation tracks
with identity (venue, host and mediators are never parties; two negotiations in
one country are two tracks), episodes (re-arm after a quiet period, one alert for
five outlets) and the article's news (a recalled suspension is context; the seed
story gives both alerts). Exactly the expected alerts; a replay adds no id."""

from __future__ import annotations

from alertkit import Harness, article, make_event

from conflictwatch.schemas import validate

YE_GOV, HOUTHIS = ("Yemeni government", "agent"), ("Houthis", "agent")
SAF, RSF = ("Sudanese Armed Forces", "agent"), ("Rapid Support Forces", "agent")
CO_GOV, ELN, FARC = ("Colombian government", "agent"), ("ELN", "agent"), ("FARC", "agent")
SY_GOV, REBELS = ("Syrian government", "agent"), ("rebels", "agent")
UKRAINE, RUSSIA, TURKEY = ("Ukraine", "agent"), ("Russia", "agent"), ("Turkey", "agent")

COUNTRY = {"YE": ("Yemen", None), "SD": ("Sudan", None), "CO": ("Colombia", None), "SY": ("Syria", None),
           "UA": ("Ukraine", None), "LY": ("Libya", None)}


def talks(aid, source, published, kind, sentence, *, cc, date=None, actors=(), start=0, order=0,
          novelty="new", place=None, precision="country"):
    art = article(aid, source, published)
    name = place or COUNTRY[cc][0]
    return make_event(art, f"talks_{kind}", sentence, start=start, order=order, novelty=novelty, date=date,
                      place=name, geonames_id=None, lat=None, lon=None, precision=precision, country=cc,
                      admin1=None, actors=actors)


def stream() -> list[list[dict]]:
    """Articles in publication order, each the list of its talks events."""
    return [
        # Yemen, 2016: talks resume abroad, hosted by Kuwait, with a UN envoy mediating.
        [talks("ye1", "Gulf Wire", "2016-04-21T15:00:00Z", "resumed",
               "Government and Houthi delegates sat down again in Kuwait City on Thursday under UN auspices.",
               cc="YE", date="2016-04-21", place="Kuwait City", precision="place",
               actors=(YE_GOV, HOUTHIS, ("Kuwait", "agent"), ("United Nations", "mediator")))],
        # August 2016: five outlets tell one collapse, over two days, with varying party lists.
        [talks("ye2", "Gulf Wire", "2016-08-06T20:00:00Z", "collapsed", "The Kuwait talks ended without a deal.",
               cc="YE", date="2016-08-06", actors=(YE_GOV, HOUTHIS))],
        [talks("ye3", "Aden Daily", "2016-08-06T22:00:00Z", "collapsed", "Houthi negotiators left the talks.",
               cc="YE", date="2016-08-06", actors=(HOUTHIS, ("Kuwait", "agent")))],
        [talks("ye4", "Sanaa Post", "2016-08-07T06:00:00Z", "collapsed", "The negotiations broke down on Saturday.",
               cc="YE", date="2016-08-06", actors=())],
        [talks("ye5", "Red Sea Times", "2016-08-07T09:00:00Z", "collapsed", "The government said the talks failed.",
               cc="YE", date="2016-08-06", actors=(YE_GOV,))],
        [talks("ye6", "Desert Monitor", "2016-08-07T11:00:00Z", "collapsed", "UN-led talks have collapsed.",
               cc="YE", actors=(("United Nations", "agent"), HOUTHIS))],
        # September 2018: a new collapse, two years on, with no resumption reported in between.
        [talks("ye7", "Gulf Wire", "2018-09-08T18:00:00Z", "collapsed", "Planned consultations fell apart on Saturday.",
               cc="YE", date="2018-09-08", actors=())],
        # December 2018: resumed in Sweden.
        [talks("ye8", "Nordic Desk", "2018-12-06T12:00:00Z", "resumed",
               "The warring sides met in Rimbo on Thursday for the first talks in two years.",
               cc="YE", date="2018-12-06", place="Rimbo", precision="place",
               actors=(YE_GOV, HOUTHIS, ("Sweden", "agent")))],
        # Sudan, 2023: army-RSF talks abroad; the US and Saudi Arabia broker them (named as agents);
        # five outlets on the same day, one naming only the RSF, one no party at all.
        *[[talks(f"sd{i}", src, f"2023-06-21T{8 + i:02d}:00:00Z", "collapsed", text, cc="SD", date="2023-06-21",
                 actors=acts)]
          for i, (src, text, acts) in enumerate([
              ("Nile Wire", "Army and RSF delegations walked out of the talks.", (SAF, RSF, ("United States", "agent"))),
              ("Khartoum Echo", "The talks were suspended, Saudi and US officials said.",
               (SAF, RSF, ("Saudi Arabia", "agent"), ("United States", "agent"))),
              ("Port Sudan News", "The RSF said the negotiations had ended.", (RSF,)),
              ("Sahel Wire", "Mediators announced the end of the talks.", ()),
              ("Horn Report", "Talks between the army and the RSF broke down.", (SAF, RSF)),
          ], start=1)],
        # Colombia, 2024: the government negotiates with two groups at once: two tracks.
        [talks("co1", "Andes Wire", "2024-03-04T10:00:00Z", "collapsed",
               "The government suspended its talks with the ELN on Monday.", cc="CO", date="2024-03-04",
               actors=(CO_GOV, ELN))],
        [talks("co2", "Andes Wire", "2024-03-05T10:00:00Z", "resumed",
               "The government and FARC dissidents resumed their talks on Tuesday.", cc="CO", date="2024-03-05",
               actors=(CO_GOV, FARC))],
        # A background suspension: the ELN talks resume "after a three-day suspension". Extraction
        # wrongly marked the suspension new; the article's news is the resumption only.
        [talks("co3", "Bogota Daily", "2024-03-11T16:00:00Z", "resumed",
               "Talks with the ELN resumed on Monday after a three-day suspension.", cc="CO", date="2024-03-11",
               actors=(CO_GOV, ELN), order=1),
         talks("co3", "Bogota Daily", "2024-03-11T16:00:00Z", "collapsed",
               "Talks with the ELN resumed on Monday after a three-day suspension.", cc="CO", date="2024-03-08",
               actors=(CO_GOV, ELN), start=0, order=0)],
        # The seed story: Wednesday's collapse told on Thursday with the return to talks.
        [talks("sy1", "Levant Wire", "2018-07-05T14:00:00Z", "collapsed",
               "Rebels said on Thursday they would go back to negotiations, a day after the talks broke down.",
               cc="SY", date="2018-07-04", actors=(REBELS, RUSSIA), order=0),
         talks("sy1", "Levant Wire", "2018-07-05T14:00:00Z", "resumed",
               "Rebels said on Thursday they would go back to negotiations, a day after the talks broke down.",
               cc="SY", date="2018-07-05", actors=(REBELS, RUSSIA), order=1, start=1)],
        # Ukraine: Russia is at war there, so a party; Turkey hosts.
        [talks("ua1", "Black Sea Desk", "2022-03-29T17:00:00Z", "resumed",
               "Russian and Ukrainian delegations met again in Istanbul on Tuesday, hosted by Turkey.",
               cc="UA", date="2022-03-29", place="Istanbul", precision="place", actors=(UKRAINE, RUSSIA, TURKEY))],
        # No party named, a host in its own country only: the summary names the conflict.
        [talks("ly1", "Maghreb Wire", "2020-01-13T19:00:00Z", "collapsed", "The talks in Moscow broke up without a deal.",
               cc="LY", date="2020-01-13", actors=(("Russia", "mediator"),))],
    ]


def run(h: Harness) -> list[dict]:
    out = []
    for events in stream():
        out.extend(h.engine.on_events(events))
    return out


def brief(alerts):
    return [(a["subject"], a["type"], a["data"]["track"]["since"]) for a in alerts]


def test_multi_year_stream_gives_exactly_the_expected_alerts():
    alerts = run(Harness())
    assert brief(alerts) == [
        ("YE", "talks.resumed", "2016-04-21"),
        ("YE", "talks.collapsed", "2016-08-06"),
        ("YE", "talks.collapsed", "2018-09-08"),   # re-armed: two years without news
        ("YE", "talks.resumed", "2018-12-06"),
        ("SD", "talks.collapsed", "2023-06-21"),   # five outlets, one alert
        ("CO", "talks.collapsed", "2024-03-04"),   # government-ELN
        ("CO", "talks.resumed", "2024-03-05"),     # government-FARC: another track
        ("CO", "talks.resumed", "2024-03-11"),     # the suspension it recalls is context
        ("SY", "talks.collapsed", "2018-07-04"),   # the seed story: both, in time order
        ("SY", "talks.resumed", "2018-07-05"),
        ("UA", "talks.resumed", "2022-03-29"),
        ("LY", "talks.collapsed", "2020-01-13"),
    ]
    for a in alerts:
        validate("alert", a)
    assert len({a["id"] for a in alerts}) == len(alerts)


def by_article(alerts, aid):
    return [a for a in alerts if a["data"]["articles"][0]["id"] == aid]


def test_venue_host_and_mediator_are_never_the_key_nor_parties():
    alerts = run(Harness())
    (kuwait,) = by_article(alerts, "ye1")
    assert kuwait["subject"] == "YE"
    assert kuwait["data"]["track"]["parties"] == ["houthis", "yemeni government"]
    assert kuwait["data"]["mediators"] == ["Kuwait", "United Nations"]
    assert kuwait["data"]["venue"] == {"name": "Kuwait City", "country_code": "YE"}
    assert kuwait["data"]["summary"].startswith("Talks between Yemeni government and Houthis resumed on 2016-04-21")
    (sudan,) = by_article(alerts, "sd1")
    assert sudan["data"]["track"]["parties"] == ["rapid support forces", "sudanese armed forces"]
    assert sudan["data"]["track"]["names"] == "Sudanese Armed Forces and Rapid Support Forces"
    assert sudan["data"]["mediators"] == ["United States"]
    (ukraine,) = by_article(alerts, "ua1")
    assert ukraine["data"]["track"]["parties"] == ["russia", "ukraine"], "at war there: a party"
    assert ukraine["data"]["mediators"] == ["Turkey"], "the host is no party"
    assert "Istanbul" in ukraine["data"]["summary"]


def test_one_track_per_negotiation_and_episodes_over_years():
    alerts = run(Harness())
    yemen = [a for a in alerts if a["subject"] == "YE"]
    assert len({a["trackid"] for a in yemen}) == 1, "variants of the party list, no party, the host: one track"
    rearmed = yemen[2]
    assert rearmed["data"]["track"]["rearmed"] is True and rearmed["data"]["track"]["quiet_days"] > 700
    assert rearmed["data"]["track"]["previous_state"] == "collapsed"
    assert rearmed["data"]["summary"].startswith("Talks between Yemeni government and Houthis collapsed on 2018-09-08")
    assert "already collapsed since 2016-08-06" in rearmed["data"]["summary"]
    assert "kuwait" not in rearmed["data"]["track"]["parties"], "a host named bare by one outlet stays a host"
    (libya,) = [a for a in alerts if a["subject"] == "LY"]
    assert libya["data"]["summary"] == "Libya peace talks collapsed on 2020-01-13"
    assert libya["data"]["track"]["names"] is None and libya["data"]["mediators"] == ["Russia"]
    assert [a["data"]["track"]["rearmed"] for a in yemen] == [False, False, True, False]
    colombia = [a for a in alerts if a["subject"] == "CO"]
    eln, farc, eln_again = colombia
    assert eln["trackid"] == eln_again["trackid"] != farc["trackid"]
    assert farc["data"]["summary"].startswith("Talks between Colombian government and FARC resumed")
    assert eln_again["data"]["track"]["previous_state"] == "collapsed"
    assert eln_again["data"]["track"]["previous_since"] == "2024-03-08", "the article's own earlier change"


def test_seed_story_gives_both_alerts_in_time_order():
    alerts = run(Harness())
    collapse, resume = by_article(alerts, "sy1")
    assert collapse["time"] < resume["time"]
    assert resume["data"]["track"]["previous_state"] == "collapsed"
    assert resume["data"]["track"]["previous_since"] == "2018-07-04"
    assert collapse["data"]["track"]["parties"] == ["rebels", "russia"], "Russia faces the rebels alone: a party"


def test_replay_and_a_second_run_make_no_new_alert_id():
    h = Harness()
    first = run(h)
    replayed = run(h)  # every event again, as after a crash: the same alerts, nothing new
    assert {a["id"] for a in replayed} <= {a["id"] for a in first}
    assert run(Harness()) == first, "deterministic ids and content"


def test_alert_id_is_track_state_and_episode_start():
    """A later outlet with another party list on the same episode cannot make a second alert."""
    h = Harness()
    run(h)
    late = talks("sd9", "Late Wire", "2023-06-22T09:00:00Z", "collapsed", "The army said talks with the RSF were over.",
                 cc="SD", date="2023-06-21", actors=(SAF, ("United States", "mediator")))
    assert h.engine.on_events([late]) == []


def test_a_broker_taken_for_a_party_leaves_the_parties_once_shown_brokering():
    h = Harness()
    us = ("United States", "agent")
    one_side = talks("bk1", "Wire", "2024-08-11T10:00:00Z", "collapsed", "The army stayed away from the US talks.",
                     cc="SD", date="2024-08-11", actors=(SAF, us))
    both = talks("bk2", "Wire", "2024-08-30T10:00:00Z", "resumed", "Army and RSF envoys met US mediators again.",
                 cc="SD", date="2024-08-30", actors=(SAF, RSF, us))
    first = h.engine.on_events([one_side])
    second = h.engine.on_events([both])
    assert first[0]["data"]["track"]["parties"] == ["sudanese armed forces", "united states"]
    assert second[0]["trackid"] == first[0]["trackid"]
    assert second[0]["data"]["track"]["parties"] == ["rapid support forces", "sudanese armed forces"]
    assert second[0]["data"]["mediators"] == ["United States"]
