"""The article's news (extract/news.py): a recalled opposite change of the talks is background.

Pure-function tests build events by hand; the extractor tests use sentences written for them.
"""

from __future__ import annotations

import pytest

from conflictwatch.extract import model, news

from extract_helpers import make_article

PUB = "2023-06-15"   # a Thursday


def _ev(kind: str, start: int, *, day: str | None = None, text: str | None = None, modality: str = "asserted",
        precision: str = "day") -> model.Event:
    when = model.When(day or PUB, precision, text if day else None)
    return model.Event(article_id="a", type=f"talks_{kind}", evidence=model.Evidence("x", start, start + 10),
                       modality=modality, when=when)


def _status(items, lead=(0, 0), published=PUB) -> list[tuple[str, str]]:
    out = news.settle(items, lead=lead, published=published)
    return [(e.type.removeprefix("talks_"), e.novelty) for e, _ in out]


def test_headline_resumption_makes_an_undated_recalled_suspension_background():
    items = [(_ev("resumed", 0), (0, 0.0)), (_ev("collapsed", 300), (0, 300.0))]
    assert _status(items, lead=(60, 200)) == [("resumed", "new"), ("collapsed", "background")]


def test_headline_collapse_makes_an_undated_recalled_resumption_background():
    items = [(_ev("collapsed", 0), (0, 0.0)), (_ev("resumed", 500), (0, 500.0))]
    assert _status(items, lead=(60, 200)) == [("collapsed", "new"), ("resumed", "background")]


def test_recalled_change_dated_the_day_before_publication_stays_news():
    items = [(_ev("resumed", 0), (0, 0.0)),
             (_ev("collapsed", 400, day="2023-06-14", text="on Wednesday"), (0, 400.0))]
    assert _status(items, lead=(60, 200)) == [("resumed", "new"), ("collapsed", "new")]


def test_recalled_change_dated_a_week_before_is_background():
    items = [(_ev("resumed", 0), (0, 0.0)),
             (_ev("collapsed", 400, day="2023-06-06", text="last Tuesday"), (0, 400.0))]
    assert _status(items, lead=(60, 200)) == [("resumed", "new"), ("collapsed", "background")]


def test_no_opposite_changes_on_one_day():
    items = [(_ev("resumed", 0, day="2023-06-12", text="on Monday"), (0, 0.0)),
             (_ev("collapsed", 20, day="2023-06-12", text="on Monday"), (0, -1.0))]
    assert _status(items, lead=(0, 200)) == [("resumed", "new"), ("collapsed", "background")]


def test_later_dated_change_stays_news():
    items = [(_ev("collapsed", 0, day="2023-06-10", text="Saturday"), (0, 0.0)),
             (_ev("resumed", 50, day="2023-06-25", text="June 25"), (0, 50.0))]
    assert _status(items, lead=(0, 40)) == [("collapsed", "new"), ("resumed", "new")]


def test_same_day_order_keeps_both():
    items = [(_ev("collapsed", 0), (0, 0.0)), (_ev("resumed", 300), (-1, 300.0))]
    assert _status(items, lead=(60, 200)) == [("collapsed", "new"), ("resumed", "new")]


def test_hedged_changes_are_left_alone():
    items = [(_ev("resumed", 0), (0, 0.0)), (_ev("collapsed", 300, modality="conditional"), (0, 300.0))]
    assert _status(items, lead=(60, 200)) == [("resumed", "new"), ("collapsed", "new")]


def test_without_a_lead_the_latest_change_is_the_news():
    items = [(_ev("collapsed", 900, day="2023-06-05", text="on June 5"), (0, 900.0)),
             (_ev("resumed", 1500, day="2023-06-14", text="on Wednesday"), (0, 1500.0))]
    assert _status(items, lead=(0, 100)) == [("collapsed", "background"), ("resumed", "new")]


def test_lead_skips_short_furniture_lines():
    body = ("Rebels back at the table\nBy A. Writer\nNAIROBI\nThe rebels returned to the talks on Monday, "
            "mediators said. A second sentence of the lead follows here. A third sentence is body.")
    head, end = news.lead(body, "Rebels back at the table")
    assert head == len("Rebels back at the table\n")
    assert body[:end].rstrip().endswith("lead follows here.")


# --- through the extractor, on invented stories --------------------------------------------------------

STORIES = [
    ("Rebels and government resume peace talks in Arusha",
     "Government and rebel negotiators resumed peace talks in Arusha on Tuesday after a weeks-long suspension "
     "caused by a dispute over prisoners, mediators said.", ["resumed"]),
    ("Rebels quit peace talks in Arusha",
     "The rebel delegation walked out of the peace talks in Arusha on Wednesday, accusing the army of shelling "
     "villages.\nThe two sides returned to the negotiating table earlier this week after a long break, mediators said.",
     ["collapsed"]),
    (None,
     "Peace talks resume in Arusha a week after they were halted\nPeace talks between the government and the rebels "
     "resumed on Tuesday, a week after they were halted following an attack on a convoy, the mediator announced.",
     ["resumed"]),
]


@pytest.mark.parametrize("title,body,expected", STORIES)
def test_recalled_opposite_change_is_background(extractor, title, body, expected):
    text = f"{title}\n{body}" if title else body
    assert extractor.extract(make_article(text, title=title)).summary.talks_status == expected
