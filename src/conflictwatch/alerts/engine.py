"""The alert engine: events in, CloudEvents alerts out, state in mappings passed in.

Pure Python on purpose: the worker passes Faust tables (changelog-backed), tests
pass dicts. Every value written is plain JSON data and is written back by
assignment, which is how a Faust table notices a change.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import MutableMapping

from . import facts, news
from .incidents import IncidentBook
from .rules import Rules
from .tracks import TrackBook
from .windows import WindowBook


class AlertEngine:
    def __init__(self, rules: Rules, tracks: MutableMapping, incidents: MutableMapping, windows: MutableMapping):
        self.rules = rules
        self.tracks = TrackBook(rules, tracks)
        self.incidents = IncidentBook(rules, incidents)
        self.windows = WindowBook(rules, windows, self.incidents.get)

    def on_event(self, event: dict, now: datetime | None = None) -> list[dict]:
        """Alerts caused by one event, in order.

        Idempotent under replay: an event (same ``event_id``) already applied to
        the state returns the very alerts it produced the first time, so an
        at-least-once worker re-emits them and dedups on the alert id.
        """
        facts.require(event)
        now = now or datetime.now(timezone.utc)
        if not facts.counts_toward_alerts(event, self.rules):
            return []
        kind = event["type"]
        alerts: list[dict] = []
        if kind in facts.TALKS_STATES:
            alerts = self.tracks.process(event, now)
        elif kind == facts.CIVILIAN_DEATHS:
            alerts, incident = self.incidents.process(event, now)
            # Deaths at unknown places are not "in a region": no window sums them.
            if incident is not None and event["region"] != "unknown":
                alerts = alerts + self.windows.process(event, incident, now)
        # Callers may mutate what they get; the state must not change with it.
        return copy.deepcopy(alerts)

    def on_events(self, events: list[dict], now: datetime | None = None) -> list[dict]:
        """Events of one article, applied in their ``order``; its talks changes are
        judged together (the article's news, see news.py), as the worker does by
        attaching them to each event."""
        out: list[dict] = []
        for event in sorted(news.with_article_changes(events), key=lambda e: e.get("order", 0)):
            out.extend(self.on_event(event, now))
        return out
