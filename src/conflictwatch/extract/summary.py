"""Article-level roll-up (model.Summary) used by the alert engine.

``talks_status`` keeps only talks developments the article newly reports as
fact: a collapse asserted or reported; a resumption asserted, reported or
committed to ("agreed to resume", "will return to the table"). Hedged,
conditional, negated and background mentions never enter it.
"""

from __future__ import annotations

from . import model

COUNTED_MODALITIES = {
    "talks_collapsed": ("asserted", "reported"),
    "talks_resumed": ("asserted", "reported", "planned"),
}
STATUS = {"talks_collapsed": "collapsed", "talks_resumed": "resumed"}


def time_sort(events_with_keys: list[tuple[model.Event, tuple[int, float]]], published: str | None = None) -> list[model.Event]:
    """Events in time order.

    Primary key: the event's resolved date (an undated fact is dated to the
    publication day: news reports the latest development); then the
    within-day rank ("earlier in the day" / "that night"), then the text key
    (the two parts of the key),
    which places a fact of an "after ..." clause before the fact it precedes.
    """
    def date_of(ev: model.Event) -> str:
        if ev.when is not None and ev.when.date:
            return ev.when.date
        return published or ""

    items = list(events_with_keys)
    items.sort(key=lambda ek: (date_of(ek[0]), ek[1][0], ek[1][1]))
    return [e for e, _ in items]


def counts_for_status(ev: model.Event) -> bool:
    allowed = COUNTED_MODALITIES.get(ev.type)
    return bool(allowed) and ev.novelty == "new" and ev.modality in allowed


def talks_status(events: list[model.Event]) -> list[str]:
    """Distinct talks developments in time order (events must already be time-sorted)."""
    out: list[str] = []
    for ev in events:
        if counts_for_status(ev):
            label = STATUS[ev.type]
            if label not in out:
                out.append(label)
    return out


def build_summary(events: list[model.Event], *, civilian_deaths: model.Deaths | None,
                  country: str | None, place: str | None) -> model.Summary:
    return model.Summary(talks_status=talks_status(events), civilian_deaths=civilian_deaths,
                         country=country, place=place)
