"""Negotiation tracks: state (collapsed / resumed) per track, transitions -> alerts.

State lives in ``tracks[region]`` (one entry per region, so it stays on the
region's partition)::

    {"tracks": {track_id: {"id", "parties", "state", "since", "updated", "transitions": [...]}},
     "events": {event_id: {"track": track_id, "alerts": [alert_id, ...]}},
     "alerts": {alert_id: alert}}

Track identity. Actor extraction is imperfect (one outlet names both sides,
another only "the rebels", a third counts the mediator as a party), so a track
is not an exact party set. Parties are the canonical non-mediator actors. An
event joins the region's track that shares the most parties with it (then the
most recently active); an event without parties joins the region's most
recently active track; only parties disjoint from every track's open a new
track. A region is an admin1 area, where two negotiations at once are rare and
noisy actor lists are common, hence the tolerant match. A track's id is fixed
at creation: hash of region + the parties of its first event.
"""

from __future__ import annotations

from datetime import datetime
from typing import MutableMapping

from . import facts
from .cloudevents import envelope, stable_id
from .rules import Rules, severity_rank


class TrackBook:
    def __init__(self, rules: Rules, table: MutableMapping):
        self.rules = rules
        self.table = table

    def process(self, event: dict, now: datetime) -> list[dict]:
        region = event["region"]
        entry = self.table.get(region) or {"tracks": {}, "events": {}, "alerts": {}}
        eid = event["event_id"]
        seen = entry["events"].get(eid)
        if seen is not None:
            # Replay after a crash: give back exactly what this event produced.
            return [entry["alerts"][a] for a in seen["alerts"] if a in entry["alerts"]]

        new_state = facts.TALKS_STATES[event["type"]]
        day = facts.event_date(event, now).isoformat()
        when = facts.rfc3339(facts.event_time(event, now))
        track = self._match(entry, region, facts.parties(event))
        track["parties"] = sorted(set(track["parties"]) | set(facts.parties(event)))
        track["updated"] = max(track.get("updated") or when, when)

        alerts: list[dict] = []
        change = self._change(track, new_state, day)
        if change is not None:
            late = change == "earlier"
            if late:
                # A state before the first one we knew (the article told the collapse
                # after the resumption): alert it, leave the current state alone.
                previous = None
                track["transitions"][0]["previous"] = new_state
            else:
                previous = track["state"]
                track["state"], track["since"] = new_state, day
            alert = self._alert(event, track, new_state, previous, day, when, now)
            record = {"state": new_state, "date": day, "previous": previous, "event_id": eid, "alerts": []}
            if alert is not None:
                alerts.append(alert)
                entry["alerts"][alert["id"]] = alert
                record["alerts"].append(alert["id"])
            if late:
                track["transitions"].insert(0, record)
            else:
                track["transitions"].append(record)
            self._trim_transitions(entry, track)
        entry["tracks"][track["id"]] = track
        entry["events"][eid] = {"track": track["id"], "alerts": [a["id"] for a in alerts]}
        self._trim_events(entry)
        self.table[region] = entry
        return alerts

    def _match(self, entry: dict, region: str, parties: list[str]) -> dict:
        tracks = list(entry["tracks"].values())
        p = set(parties)
        best, best_score = None, None
        for t in tracks:
            q = set(t["parties"])
            if p and q and not p & q:
                continue
            score = (len(p & q), t.get("updated") or "", t["id"])
            if best_score is None or score > best_score:
                best, best_score = t, score
        if best is not None:
            return best
        tid = stable_id("trk", region, *parties)
        return {"id": tid, "parties": list(parties), "state": None, "since": None, "updated": None, "transitions": []}

    def _change(self, track: dict, new_state: str, day: str) -> str | None:
        """"next" (the track enters new_state), "earlier" (a state before the first
        known transition, told late) or None (nothing new)."""
        history = track["transitions"]
        if track["since"] and day < track["since"]:
            # An older fact told late. Only a state before everything we know is news:
            # [resumed Thu] + "collapsed Wed" -> the collapse. Anything else was either
            # alerted already ([collapsed Mon, resumed Thu] + "collapsed Mon") or is a
            # misdated copy of a known transition.
            first = history[0] if history else None
            if (first and first.get("previous") is None and first["state"] != new_state and day < first["date"]
                    and facts.day_diff(day, first["date"]) <= self.rules.backfill_days):
                return "earlier"
            return None
        if track["state"] == new_state:
            return None  # a repeat story about the state the track is already in
        # Back to a state already entered on the same day: with day-precision dates
        # that is a late copy of that story, not a new transition.
        if any(tr["state"] == new_state and tr["date"] == day for tr in history):
            return None
        return "next"

    def _rule_for(self, state: str, region: str, country: str | None):
        rules = [r for r in self.rules.of_kind("talks") if r.state == state and r.applies_to(region, country)]
        return max(rules, key=lambda r: (severity_rank(r.severity), r.id), default=None)

    def _alert(self, event: dict, track: dict, state: str, previous: str | None, day: str, when: str,
               now: datetime) -> dict | None:
        region = event["region"]
        country = facts.country(event)
        rule = self._rule_for(state, region, country)
        if rule is None:
            return None
        # Track parties are normalized (lower case) for matching; show them as written.
        spelled = facts.party_names(event)
        parties = " and ".join(spelled.get(p, p) for p in track["parties"]) if track["parties"] else "unnamed parties"
        summary = f"Talks {state} between {parties} ({region}) on {day}"
        if state != track["state"]:
            summary += f"; reported late, talks {track['state']} since {track['since']}"
        art = facts.article(event)
        seen = facts.rfc3339(facts.published(event, now))
        place = facts.where(event)
        data = {
            "severity": rule.severity,
            "summary": summary,
            "rule": rule.id,
            "region": region,
            "country": country,
            "place": place,
            "counts": None,
            "track": {
                "id": track["id"],
                "parties": list(track["parties"]),
                "state": state,
                "previous_state": previous,
                "since": day,
                "current_state": track["state"],
            },
            "evidence": [facts.evidence(event)],
            "articles": [art],
            "first_seen": seen,
            "last_seen": seen,
        }
        return envelope(
            id=stable_id("cw", "talks", track["id"], state, day),
            type=f"talks.{state}",
            subject=region,
            time=when,
            data=data,
            extensions={"trackid": track["id"]},
        )

    def _trim_transitions(self, entry: dict, track: dict) -> None:
        keep = self.rules.keep_transitions
        dropped, track["transitions"] = track["transitions"][:-keep], track["transitions"][-keep:]
        for tr in dropped:
            for aid in tr["alerts"]:
                entry["alerts"].pop(aid, None)

    def _trim_events(self, entry: dict) -> None:
        extra = len(entry["events"]) - self.rules.keep_event_ids
        if extra > 0:
            for eid in list(entry["events"])[:extra]:
                del entry["events"][eid]
