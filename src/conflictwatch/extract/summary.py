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


def time_sort(events_with_keys: list[tuple[model.Event, float]]) -> list[model.Event]:
    """Events in time order.

    Uses resolved day dates when every event of the pair has one, else the
    text position corrected by "after"/"before" clauses (the key).
    """
    def date_of(ev: model.Event) -> str | None:
        return ev.when.date if ev.when and ev.when.precision == "day" else None

    items = list(events_with_keys)
    dated = [date_of(e) for e, _ in items]
    if items and all(dated):
        items.sort(key=lambda ek: (date_of(ek[0]), ek[1]))
    else:
        items.sort(key=lambda ek: ek[1])
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
