"""Property tests: no text crashes the extractor, and evidence always points into the body."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictwatch.extract.pipeline import COMPONENT_ERRORS, OffsetMap, plan_article
from extract_helpers import make_article

# Words that make the gate open and the rules fire, mixed with noise, so that
# generated texts reach every component and not only the gate.
WORDS = ["talks", "peace", "collapsed", "resumed", "rebels", "army", "killed", "civilians", "including", "women",
         "children", "at", "least", "dozens", "12", "three", "air", "strike", "shelling", "ceasefire", "truce",
         "walked", "out", "of", "the", "negotiations", "said", "not", "could", "had", "in", "2019", "on", "Monday",
         "Aleppo", "Daraa", "Geneva", "returned", "to", "table", "suspended", "wounded", "displaced", "after",
         "a", "monitor", "reported", ".", ",", "\n", "\n\n", "“", "”", "-", "?", "!", "é", "—", "  ", "100,000"]

texts = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=80).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=80).map("".join),
)

# CW_HYPOTHESIS_EXAMPLES raises the example count for a longer local run.
common = settings(max_examples=int(os.environ.get("CW_HYPOTHESIS_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(body=texts)
def test_no_text_crashes_and_offsets_point_into_body(extractor, body):
    x = extractor.extract(make_article(body, published=None))
    for e in x.events:
        assert 0 <= e.evidence.start <= e.evidence.end <= len(body)
        assert body[e.evidence.start:e.evidence.end] == e.evidence.text
    assert not COMPONENT_ERRORS, COMPONENT_ERRORS


@common
@given(body=texts)
def test_plan_segments_are_body_slices(extractor, body):
    plan = plan_article(body)
    for t0, b0, n in plan.offsets.segments:
        assert plan.text[t0:t0 + n] == body[b0:b0 + n]


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 30)), min_size=1, max_size=6), st.data())
def test_offset_map_stays_inside_segments(segs, data):
    # Build a consistent map: text segments separated by 2 characters, body segments increasing.
    text_pos = body_pos = 0
    built = []
    for gap, n in segs:
        body_pos += gap
        built.append((text_pos, body_pos, n))
        text_pos += n + 2
        body_pos += n
    omap = OffsetMap(built)
    a = data.draw(st.integers(0, text_pos))
    b = data.draw(st.integers(a, text_pos))
    s, e = omap.span(a, b)
    assert 0 <= s <= e <= body_pos
