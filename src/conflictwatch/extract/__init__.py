"""conflictwatch.extract: Article -> normalized, located, dated, coded events.

Entry point::

    from conflictwatch.extract import Extractor
    ex = Extractor(settings.spacy_model)          # loads spaCy once
    extraction = ex.extract(article)               # or ex.extract_many(articles)
    [e.to_dict() for e in extraction.events]

The heavy modules (spaCy) are imported on first use so that ``extract.model``
stays cheap to import for the worker and the alert engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Event, Extraction, Summary

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import Extractor, ExtractionError

__all__ = ["Extractor", "ExtractionError", "Event", "Extraction", "Summary"]


def __getattr__(name: str):
    if name in ("Extractor", "ExtractionError"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(name)
