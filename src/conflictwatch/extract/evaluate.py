"""Kept for old imports: the news scorer now lives in ``conflictwatch.evaluation.news``."""

from ..evaluation.news import (  # noqa: F401
    PRF, country_codes, country_ok, deaths_exact, deaths_value, deaths_within, gazetteer_same_place,
    place_ok, place_parts, score, score_talks, status_list,
)
