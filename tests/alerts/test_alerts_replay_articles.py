"""Crash safety when an article's talks changes travel together (``article_changes``,
as the worker publishes them): the first change of an article to arrive decides for
all of them, so a crash between that decision and the alerts reaching the topic, or
a lost table write, must still give exactly a clean run's alerts."""

import pytest
from alertkit import Harness, article, dedup, make_event

from conflictwatch.alerts.news import with_article_changes

GOV, REBELS = ("Syrian government", "agent"), ("rebels", "agent")


def scenario() -> list[dict]:
    seed = article("s1", "Wire One", "2018-07-05T14:00:00Z")
    copy = article("s2", "Wire Two", "2018-07-05T18:00:00Z")
    recall = article("s3", "Paper Three", "2018-07-20T09:00:00Z")
    later = article("s4", "Wire One", "2018-09-01T09:00:00Z")
    one = [make_event(seed, "talks_collapsed", "The talks broke down on Wednesday.", date="2018-07-04",
                      actors=(GOV, REBELS), order=0, start=0),
           make_event(seed, "talks_resumed", "They resumed on Thursday.", date="2018-07-05", actors=(REBELS,),
                      order=1, start=40)]
    two = [make_event(copy, "talks_resumed", "Rebels went back to the talks on Thursday.", date="2018-07-05",
                      actors=(REBELS,))]
    three = [make_event(recall, "talks_collapsed", "A walk-out on Monday", date="2018-07-16", actors=(GOV, REBELS),
                        order=0, start=20),
             make_event(recall, "talks_resumed", "The talks went on again on Friday after Monday's walk-out.",
                        date="2018-07-20", actors=(GOV, REBELS), order=1, start=0)]
    four = [make_event(later, "talks_collapsed", "The talks collapsed on Saturday.", date="2018-09-01",
                       actors=(GOV, REBELS))]
    return [e for art in (one, two, three, four) for e in with_article_changes(art)]


def clean_run():
    return Harness().feed(*scenario())


def test_clean_run_gives_the_article_news():
    alerts = clean_run()
    assert [(a["type"], a["data"]["articles"][0]["id"]) for a in alerts] == [
        ("talks.collapsed", "s1"), ("talks.resumed", "s1"),  # the seed story, in time order
        ("talks.resumed", "s3"),    # 15 quiet days: a new episode; Monday's walk-out is context
        ("talks.collapsed", "s4"),
    ]
    recalled = alerts[2]["data"]["track"]
    assert recalled["rearmed"] is True
    assert (recalled["previous_state"], recalled["previous_since"]) == ("collapsed", "2018-07-16")


@pytest.mark.parametrize("crash_after", range(len(scenario()) + 1))
@pytest.mark.parametrize("rewind", [0, 1, 3])
def test_replay_after_a_crash_gives_the_clean_alerts_once(crash_after, rewind):
    clean = clean_run()
    events = scenario()
    h = Harness()
    outputs = [h.feed(e) for e in events[:crash_after]]
    restart = max(0, crash_after - rewind)
    delivered = [a for out in outputs[:restart] for a in out]
    assert dedup(delivered + h.feed(*events[restart:])) == clean


@pytest.mark.parametrize("k", range(len(scenario())))
def test_a_lost_tracks_write_is_redone_by_the_replay(k):
    clean = clean_run()
    events = scenario()
    h = Harness()
    outputs = [h.feed(e) for e in events[:k]]
    before = h.tracks.snapshot()
    h.feed(events[k])
    h.tracks.restore(before)  # the write of event k never reached the changelog
    emitted = [a for out in outputs for a in out] + h.feed(*events[k:])
    assert dedup(emitted) == clean
