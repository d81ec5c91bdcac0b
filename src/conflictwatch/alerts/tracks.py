"""Negotiation tracks: state (collapsed / resumed) per negotiation, episodes -> alerts.

State lives in ``tracks[region]`` (a talks event's region is its conflict's
country, so the entry stays on the country's partition)::

    {"tracks": {track_id: {"id", "parties", "groups", "names", "kinds", "mediators", "state", "since",
                           "last", "updated", "transitions": [...]}},
     "events": {event_id: {"alerts": [alert_id, ...]}},
     "alerts": {alert_id: alert}}

Identity. A track is one negotiation: the country plus its parties (see
parties.py for why mediators, hosts and venues are not parties). Actor
extraction is imperfect (one outlet names both sides, another only "the
rebels"), so a track is matched, not looked up: an event joins the track that
shares the most named armed groups, then the most parties, then was active
last. It opens a new track when its parties are disjoint from every track's,
or when it names an armed group and every track that names groups names
others (the government's talks with the ELN and with the FARC are two tracks,
though both name the government). A track's id is fixed at creation.

Episodes. A change alerts when it differs from the track's state, or when the
track has been quiet (no change told of it) for more than ``rearm_days``: the
same talks collapsing in 2016 and again in 2018 give two alerts, five outlets
telling one collapse give one. The alert id is a hash of (track, state,
episode start), so neither a variant party list joining the track nor a
replay makes a second alert.

The article's news (news.py) decides which of one article's changes are
applied at all; this module applies them in time order.
"""

from __future__ import annotations

from datetime import datetime
from typing import MutableMapping

from . import facts, news
from .cloudevents import envelope, stable_id
from .parties import Sides, country_name, covered, norm, reading, sides, specific
from .rules import Rules, severity_rank


def _empty() -> dict:
    return {"tracks": {}, "events": {}, "alerts": {}}


class TrackBook:
    def __init__(self, rules: Rules, table: MutableMapping):
        self.rules = rules
        self.table = table

    def process(self, event: dict, now: datetime) -> list[dict]:
        region = event["region"]
        entry = self.table.get(region) or _empty()
        eid = event["event_id"]
        seen = entry["events"].get(eid)
        if seen is not None:
            # Replay after a crash: give back exactly what this event produced.
            return [entry["alerts"][a] for a in seen["alerts"] if a in entry["alerts"]]
        changes = [c for c in news.siblings(event) if facts.counts_toward_alerts(c, self.rules)]
        alerts: list[dict] = []
        # The first change of an article to arrive decides for all of them; the others find it done.
        if not any(c["event_id"] in entry["events"] for c in changes):
            alerts = self._apply_article(entry, changes, facts.country(event), now)
            for c in changes:
                entry["events"][c["event_id"]] = {"alerts": []}
        entry["events"][eid] = {"alerts": [a["id"] for a in alerts]}
        self._bound(entry)
        self.table[region] = entry
        return alerts

    def _apply_article(self, entry: dict, changes: list[dict], country: str | None, now: datetime) -> list[dict]:
        of = {c["event_id"]: n for n, group in enumerate(self._negotiations(entry, changes, country)) for c in group}
        steps = news.select(changes, now, lead_chars=self.rules.lead_chars, recent_hours=self.rules.recent_hours,
                            max_age_days=self.rules.news_max_age_days, negotiation=lambda e: of.get(e["event_id"]))
        steps.sort(key=lambda s: (facts.event_time(s.event, now), s.event.get("order") or 0))
        alerts = []
        track_of: dict = {}  # the news and the earlier change it tells land on one track
        for step in steps:
            alert = self._apply(entry, step, country, now, track_of)
            if alert is not None:
                alerts.append(alert)
        return alerts

    def _negotiations(self, entry: dict, changes: list[dict], country: str | None) -> list[list[dict]]:
        """An article's changes grouped by negotiation. One article mostly tells one
        story, so only named armed groups set its changes apart (talks with the ELN
        and with the FARC), not a party list that one sentence gives more fully."""
        groups: list[tuple[set, list[dict]]] = []
        for c in changes:
            named = set(sides(c, country).groups)
            home = next((g for g in groups if not (named and g[0] and not named & g[0])), None)
            if home is None:
                groups.append((named, [c]))
            else:
                home[0].update(named)
                home[1].append(c)
        return [g[1] for g in groups]

    def _apply(self, entry: dict, step: news.Step, country: str | None, now: datetime, track_of: dict) -> dict | None:
        event, state, day = step.event, step.state, step.day
        sd = sides(event, country)
        track = entry["tracks"].get(track_of.get(step.negotiation))
        if track is None:
            track = _best(list(entry["tracks"].values()), sd) or _new_track(event["region"], sd)
            track_of[step.negotiation] = track["id"]
        self._join(track, sd, facts.rfc3339(facts.event_time(event, now)))
        change = self._change(track, state, day)
        prior = {"state": track["state"], "since": track["since"], "last": track.get("last")}
        if track["since"] is None or day >= track["since"]:
            track["last"] = max(track.get("last") or day, day)
        entry["tracks"][track["id"]] = track
        if change is None:
            return None
        if change == "earlier":
            # A state before the first one we knew (the article told the collapse
            # after the resumption): alert it, leave the current state alone.
            track["transitions"][0]["previous"] = state
        else:
            track["state"], track["since"] = state, day
        alert = self._alert(event, track, step, change, prior, sd, now)
        record = {"state": state, "date": day, "previous": None if change == "earlier" else prior["state"],
                  "event_id": event["event_id"], "alerts": []}
        if alert is not None:
            entry["alerts"][alert["id"]] = alert
            record["alerts"].append(alert["id"])
        if change == "earlier":
            track["transitions"].insert(0, record)
        else:
            track["transitions"].append(record)
        self._trim_transitions(entry, track)
        return alert

    def _join(self, track: dict, sd: Sides, when: str) -> None:
        """Parties seen since the track opened join it, up to ``max_parties``."""
        for name in ("names", "kinds"):
            track.setdefault(name, {})
        track.setdefault("groups", [])
        # A host or mediator once named as such stays no party when another outlet names it bare.
        track["mediators"] = sorted(set(track.get("mediators") or ()) | {norm(m) for m in sd.mediators})[
            : self.rules.max_parties]
        for key in sd.parties:
            if key in track["mediators"]:
                continue
            if key not in track["parties"] and len(track["parties"]) < self.rules.max_parties:
                track["parties"] = sorted(track["parties"] + [key])
                track["names"].setdefault(key, sd.names.get(key, key))
                track["kinds"].setdefault(key, sd.kinds.get(key) or "")
                if key in sd.groups:
                    track["groups"] = sorted(set(track["groups"]) | {key})
        # A state taken for a party while an outlet named only one side (the "one
        # counterpart" rule) leaves the parties once another outlet shows it brokering.
        kept = [p for p in track["parties"] if p not in track["mediators"]] or track["parties"]
        track["parties"] = covered(kept, track["kinds"])
        track["updated"] = max(track.get("updated") or when, when)

    def _change(self, track: dict, new_state: str, day: str) -> str | None:
        """"next" (the track enters new_state), "rearm" (the same state after a quiet
        period: a new episode), "earlier" (a state before the first known transition,
        told late) or None (nothing new)."""
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
            last = track.get("last") or track["since"]
            if last and facts.day_diff(day, last) > self.rules.rearm_days:
                return "rearm"
            return None  # a repeat story about the state the track is already in
        # Back to a state already entered on the same day: with day-precision dates
        # that is a late copy of that story, not a new transition.
        if any(tr["state"] == new_state and tr["date"] == day for tr in history):
            return None
        return "next"

    def _rule_for(self, state: str, region: str, country: str | None):
        rules = [r for r in self.rules.of_kind("talks") if r.state == state and r.applies_to(region, country)]
        return max(rules, key=lambda r: (severity_rank(r.severity), r.id), default=None)

    def _alert(self, event: dict, track: dict, step: news.Step, change: str, prior: dict, sd: Sides,
               now: datetime) -> dict | None:
        region, state, day = event["region"], step.state, step.day
        country = facts.country(event)
        rule = self._rule_for(state, region, country)
        if rule is None:
            return None
        context = step.context or {}
        previous = None if change == "earlier" else context.get("previous_state", prior["state"])
        previous_since = None if change == "earlier" else context.get("previous_since", prior["since"])
        quiet = facts.day_diff(day, prior["last"] or prior["since"]) if change == "rearm" else None
        venue = _venue(event)
        art = facts.article(event)
        seen = facts.rfc3339(facts.published(event, now))
        data = {
            "severity": rule.severity,
            "summary": _summary(track, state, day, country, venue, change, (previous, previous_since), prior, quiet),
            "rule": rule.id,
            "region": region,
            "country": country,
            "place": facts.where(event),
            "counts": None,
            "track": {
                "id": track["id"],
                "parties": list(track["parties"]),
                "names": reading(track["parties"], track["names"], track["kinds"]),
                "state": state,
                "previous_state": previous,
                "previous_since": previous_since,
                "since": day,
                "current_state": track["state"],
                "rearmed": change == "rearm",
                "quiet_days": quiet,
            },
            "venue": venue,
            "mediators": sd.mediators,
            "evidence": [facts.evidence(event)],
            "articles": [art],
            "first_seen": seen,
            "last_seen": seen,
        }
        return envelope(
            id=stable_id("cw", "talks", track["id"], state, day),
            type=f"talks.{state}",
            subject=region,
            time=facts.rfc3339(facts.event_time(event, now)),
            data=data,
            extensions={"trackid": track["id"]},
        )

    def _trim_transitions(self, entry: dict, track: dict) -> None:
        keep = self.rules.keep_transitions
        dropped, track["transitions"] = track["transitions"][:-keep], track["transitions"][-keep:]
        for tr in dropped:
            for aid in tr["alerts"]:
                entry["alerts"].pop(aid, None)

    def _bound(self, entry: dict) -> None:
        """Keep a region's value far below Kafka's record limit: at most ``max_tracks``
        tracks (the least recently active go), ``keep_event_ids`` event ids, and the
        alerts of remembered events only, at most ``keep_alerts`` of them."""
        tracks = entry["tracks"]
        if len(tracks) > self.rules.max_tracks:
            ranked = sorted(tracks.values(), key=lambda t: (t.get("updated") or "", t["id"]))
            for t in ranked[: len(tracks) - self.rules.max_tracks]:
                del tracks[t["id"]]
        extra = len(entry["events"]) - self.rules.keep_event_ids
        if extra > 0:
            for eid in list(entry["events"])[:extra]:
                del entry["events"][eid]
        live = [a for rec in entry["events"].values() for a in rec["alerts"]]
        keep = set(live[-self.rules.keep_alerts:])
        entry["alerts"] = {aid: a for aid, a in entry["alerts"].items() if aid in keep}


def _new_track(region: str, sd: Sides) -> dict:
    return {"id": stable_id("trk", region, *sd.parties), "parties": list(sd.parties), "groups": list(sd.groups),
            "names": {p: sd.names.get(p, p) for p in sd.parties},
            "kinds": {p: sd.kinds.get(p) or "" for p in sd.parties}, "mediators": [],
            "state": None, "since": None, "last": None, "updated": None, "transitions": []}


def _best(tracks: list[dict], sd: Sides) -> dict | None:
    """The track an event with these sides belongs to, or None for a new negotiation."""
    p, g = set(sd.parties), set(sd.groups)
    named = specific(p)
    best, best_score = None, None
    for t in tracks:
        q, h = set(t["parties"]), set(t.get("groups") or ())
        known = specific(q)
        if (named and known and not named & known) or (g and h and not g & h):
            continue
        score = (len(g & h), len(p & q), t.get("updated") or "", t["id"])
        if best_score is None or score > best_score:
            best, best_score = t, score
    return best


def _venue(event: dict) -> dict | None:
    """Where the talks were held, when the event names a town or city for them."""
    w = facts.where(event)
    name = w["canonical"] or w["name"]
    if w["precision"] != "place" or not name:
        return None
    return {"name": name, "country_code": w["country_code"]}


def _summary(track: dict, state: str, day: str, country: str | None, venue: dict | None, change: str,
             before: tuple, prior: dict, quiet: int | None) -> str:
    named = reading(track["parties"], track["names"], track["kinds"])
    land = country_name(country)
    if named and len(track["parties"]) > 1:
        head = f"Talks between {named} {state}"
    elif named:
        head = f"Talks with {named} {state}"
    else:
        head = f"{land} peace talks {state}" if land else f"Peace talks {state}"
    where = ", ".join(x for x in (land if named else None, f"talks in {venue['name']}" if venue else None) if x)
    text = f"{head} on {day}" + (f" ({where})" if where else "")
    previous, previous_since = before
    if change == "earlier":
        return text + f"; reported late, talks {track['state']} since {track['since']}"
    if previous and previous != state and previous_since:
        text += f"; {previous} since {previous_since}"
    elif change == "rearm":
        text += f"; already {state} since {prior['since']}"
    if change == "rearm":
        text += f", no news of these talks for {quiet} days"
    return text
