"""Article-level roll-up (model.Summary) used by the alert engine.

``talks_status`` is derived here, and only here, from the events themselves:
it is the time-ordered list of the talks_collapsed / talks_resumed events that
the alert engine counts (novelty "new", modality "asserted" or "reported"),
with a repeated mention of the same development (two consecutive events of
one type) merged. So the summary and the events on the wire cannot disagree:
a resumption the summary lists is an event the engine acts on, and a
resumption the engine ignores (a schedule, "planned") is not in the summary.
A party's announced or agreed return to talks is given modality
asserted/reported by the talks component, a mere schedule stays planned.
"""

from __future__ import annotations

from . import model

# The modalities the alert engine counts (alerts/README.md: asserted / reported).
COUNTED_MODALITIES = ("asserted", "reported")
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
    """True for a talks development the alert engine acts on."""
    return ev.type in STATUS and ev.novelty == "new" and ev.modality in COUNTED_MODALITIES


def talks_status(events: list[model.Event]) -> list[str]:
    """Talks developments in time order (events must already be time-sorted).

    One label per counted event, consecutive repeats of one development merged
    ("talks collapsed on Wednesday ... a day after the talks collapsed" is one collapse).
    """
    out: list[str] = []
    for ev in events:
        if counts_for_status(ev):
            label = STATUS[ev.type]
            if not out or out[-1] != label:
                out.append(label)
    return out


def build_summary(events: list[model.Event], *, civilian_deaths: model.Deaths | None,
                  country: str | None, place: str | None) -> model.Summary:
    return model.Summary(talks_status=talks_status(events), civilian_deaths=civilian_deaths,
                         country=country, place=place)
