"""resolve_when conventions (publication date Thursday 2018-07-05 unless said otherwise)."""

from datetime import datetime, timezone

import pytest

from conflictwatch.extract.dates import find_whens, resolve_when

PUB = datetime(2018, 7, 5, 9, 30, tzinfo=timezone.utc)  # a Thursday


@pytest.mark.parametrize("text,date,precision", [
    ("Jets struck the town on Thursday.", "2018-07-05", "day"),
    ("Jets struck the town on Tuesday night.", "2018-07-03", "day"),
    ("Jets struck the town on Friday.", "2018-06-29", "day"),
    ("Jets struck the town last Thursday.", "2018-06-28", "day"),
    ("Jets struck the town yesterday.", "2018-07-04", "day"),
    ("Jets struck the town last night.", "2018-07-04", "day"),
    ("Jets are striking the town today.", "2018-07-05", "day"),
    ("Jets struck the town three days ago.", "2018-07-02", "day"),
    ("Talks collapsed last week.", "2018-06-25", "week"),
    ("Talks collapsed earlier this week.", "2018-07-02", "week"),
    ("Talks collapsed last month.", "2018-06-01", "month"),
    ("Talks collapsed on July 3.", "2018-07-03", "day"),
    ("Talks collapsed on 3 July 2018.", "2018-07-03", "day"),
    ("Talks collapsed in July 2018.", "2018-07-01", "month"),
    ("The siege began on December 20.", "2017-12-20", "day"),
    ("Delegates will meet again on Monday.", "2018-07-09", "day"),
    ("Delegates will meet again next Thursday.", "2018-07-12", "day"),
    ("The war began in 2011.", "2011-01-01", "year"),
    ("Fighting flared in mid-June.", "2018-06-01", "month"),
    ("The base was overrun on Jun.30, officials said.", "2018-06-30", "day"),
    ("The camp was shelled two weeks ago.", "2018-06-21", "week"),
    ("The convoy was hit late Sunday.", "2018-07-01", "day"),
])
def test_expressions(text, date, precision):
    w = resolve_when(text, PUB)
    assert (w.date, w.precision) == (date, precision)
    assert w.text and w.text.lower() in text.lower()


def test_default_is_publication_day_without_text():
    w = resolve_when("Shelling hit the market.", PUB)
    assert (w.date, w.precision, w.text) == ("2018-07-05", "day", None)


def test_reporting_date_does_not_override_event_date():
    w = resolve_when("The ministry said on Friday that the raid took place on Wednesday.",
                     datetime(2018, 7, 6))
    assert w.date == "2018-07-04" and w.text == "on Wednesday"


def test_modal_may_is_not_a_month():
    assert find_whens("The fighters may attack again.", PUB) == []


def test_accepts_a_spacy_like_span():
    class Span:
        text = "It happened yesterday."
    assert resolve_when(Span(), PUB).date == "2018-07-04"


def test_published_may_be_an_iso_string():
    assert resolve_when("It happened yesterday.", "2018-07-05").date == "2018-07-04"
    assert resolve_when("It happened yesterday.", "2018-07-05T23:10:00+02:00").date == "2018-07-04"
    assert find_whens("on Thursday", "2018-07-05")[0][2].date == "2018-07-05"
    with pytest.raises(ValueError):
        resolve_when("yesterday", "not a date")


@pytest.mark.parametrize("text,date", [
    # A future word in another clause does not move a past weekday forward.
    ("The bridge was shelled on Tuesday as engineers worked on it, and repairs will take weeks.", "2018-07-03"),
    ("Rebels attacked the depot on Tuesday, hours before the convoy was due to arrive.", "2018-07-03"),
    ("The convoy hit a mine on Tuesday when it drove next to the river bank.", "2018-07-03"),
    # In the date's own clause it still does.
    ("Officials said the convoy will leave on Tuesday.", "2018-07-10"),
    ("The talks, which broke down in May, are due to resume on Tuesday.", "2018-07-10"),
])
def test_future_word_reaches_only_its_own_clause(text, date):
    assert resolve_when(text, PUB).date == date
