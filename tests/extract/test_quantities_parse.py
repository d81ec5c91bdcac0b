"""Quantity phrases -> Quantity(low, high, best): conventions of quantities.py."""

import pytest

from conflictwatch.extract.model import Quantity
from conflictwatch.extract.quantities import find_quantities, parse_enumeration, parse_quantity, word_value


@pytest.mark.parametrize("text,expected", [
    ("1,200", (1200, 1200, 1200)),
    ("six", (6, 6, 6)),
    ("Twelve", (12, 12, 12)),
    ("twenty-one", (21, 21, 21)),
    ("one hundred and forty-two", (142, 142, 142)),
    ("a dozen", (12, 12, 12)),
    ("half a dozen", (6, 6, 6)),
    ("1.5 million", (1_500_000, 1_500_000, 1_500_000)),
    ("3 million", (3_000_000, 3_000_000, 3_000_000)),
])
def test_exact_figures(text, expected):
    q = parse_quantity(text)
    assert (q.low, q.high, q.best) == expected


@pytest.mark.parametrize("text,n", [
    ("at least 17", 17), ("At least seven", 7), ("no fewer than 40", 40),
    ("more than 2,500", 2500), ("over 90", 90), ("more than two dozen", 24),
])
def test_lower_bounds_keep_the_figure_as_written(text, n):
    # "more than N" is not turned into N+1.
    assert parse_quantity(text) == Quantity(low=n, high=None, best=n, text=text)


@pytest.mark.parametrize("text,n", [("up to 45", 45), ("as many as nine", 9), ("Up to eighty", 80)])
def test_upper_bounds(text, n):
    assert parse_quantity(text) == Quantity(low=None, high=n, best=n, text=text)


def test_approximation_has_best_only():
    q = parse_quantity("about 300")
    assert (q.low, q.high, q.best) == (None, None, 300)


@pytest.mark.parametrize("text,low,high", [
    ("between 120,000 and 145,000", 120_000, 145_000),
    ("120,000-145,000", 120_000, 145_000),
    ("120,000\u2013145,000", 120_000, 145_000),
    ("three to eight", 3, 8),
    ("from four to nine", 4, 9),
])
def test_ranges_have_no_single_best(text, low, high):
    q = parse_quantity(text)
    assert (q.low, q.high, q.best) == (low, high, None)


@pytest.mark.parametrize("text,low", [
    ("dozens", 24), ("Dozens", 24), ("scores", 40), ("hundreds", 200), ("thousands", 2000),
    ("tens of thousands", 20_000), ("hundreds of thousands", 200_000),
])
def test_vague_quantities_give_a_conventional_lower_bound(text, low):
    q = parse_quantity(text)
    assert (q.low, q.high, q.best) == (low, None, None)


def test_find_quantities_reports_spans_in_order():
    text = "Rockets killed at least 9 people and wounded dozens more near the border."
    found = find_quantities(text)
    assert [text[f.start:f.end] for f in found] == ["at least 9", "dozens"]
    assert [f.kind for f in found] == ["lower", "vague"]


def test_no_quantity():
    assert parse_quantity("The convoy reached the town at dawn.") is None
    assert parse_quantity("") is None
    assert word_value("someone") is None


def test_word_value():
    assert word_value("seventy-three") == 73
    assert word_value("two thousand five hundred") == 2500
    assert word_value("4,000") == 4000


@pytest.mark.parametrize("text,total", [
    ("a woman and four children", 5),
    ("two men, a boy and three women", 6),
    ("an elderly man and his grandson", 2),
])
def test_enumerations_are_summed(text, total):
    q = parse_enumeration(text)
    assert (q.low, q.high, q.best) == (total, total, total)


def test_enumeration_with_an_uncounted_group_has_no_total():
    assert parse_enumeration("a farmer and children") is None
    assert parse_enumeration("a farmer") is None


@pytest.mark.parametrize("text", ["09:45 - Three men died", "09:45 Three men died"])
def test_a_clock_time_stamp_is_no_count(text):
    found = find_quantities(text)
    assert [(f.quantity.low, f.quantity.high, f.quantity.best) for f in found] == [(3, 3, 3)]


@pytest.mark.parametrize("text, values", [
    ("Around 14 June 2021 (as reported), a trader was found dead.", [2021]),
    ("On March 3, 12 people died.", [12]),
    ("Gunmen killed 4 in July.", [4]),
    ("On 2 Sept. two farmers were shot.", [2]),
])
def test_day_of_month_is_no_count(text, values):
    assert [q.quantity.best for q in find_quantities(text)] == values
