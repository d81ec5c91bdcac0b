"""Civilian deaths per region over rolling windows of event time.

State lives in ``windows[region]``::

    {"latest": time, "incidents": {incident_id: {"key", "time", "best", "lat", "lon", "place"}},
     "episodes": {rule_id: {"active": bool, "alert": alert_id | None}},
     "events": {event_id: {"incident": incident_id, "alerts": [alert_id, ...]}},
     "alerts": {alert_id: alert}}

A window rule sums the best toll of every incident whose time lies in
``(latest - window, latest]``, where ``latest`` is the newest event time seen in
the region. Each incident counts once with its current best figure, so a
revised toll raises the total instead of adding to it. A rule fires when the
total reaches its threshold and stays quiet until the total has fallen below
it again (the window slid past the incidents; checked when the next event of
the region moves ``latest``), then may fire again.

Late events: an incident older than ``latest - window`` cannot count in that
rule's current window, so it never triggers that rule (its incident alert still
fires). Contributions older than ``latest - (longest window + grace)`` are
dropped; the applied event ids are capped by count (``replay.keep_event_ids``),
the alerts kept for replays by ``replay.keep_alerts`` (the newest), and the
contributions by ``windows.max_incidents`` (the oldest go first), so a region's
value stays far below Kafka's record limit however busy the region is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable, MutableMapping

from . import facts
from .citations import articles_of, strongest
from .cloudevents import envelope, stable_id
from .rules import Rules


class WindowBook:
    def __init__(self, rules: Rules, table: MutableMapping, load_incident: Callable[[str, str], dict | None]):
        self.rules = rules
        self.table = table
        self.load_incident = load_incident

    def process(self, event: dict, incident: dict, now: datetime) -> list[dict]:
        rules = [r for r in self.rules.of_kind("window") if r.applies_to(incident["region"], incident["country"])]
        region = event["region"]
        eid = event["event_id"]
        entry = self.table.get(region) or {"latest": None, "incidents": {}, "episodes": {}, "events": {}, "alerts": {}}
        seen = entry["events"].get(eid)
        if seen is not None:
            return [entry["alerts"][a] for a in seen["alerts"] if a in entry["alerts"]]

        when = facts.rfc3339(facts.event_time(event, now))
        latest = max(filter(None, [entry["latest"], when]))
        entry["latest"] = latest
        latest_dt = facts.parse_time(latest)
        keep_from = latest_dt - timedelta(hours=self.rules.longest_window_hours + self.rules.grace_hours)

        def total_in(rule) -> tuple[int, dict]:
            start = latest_dt - timedelta(hours=rule.window_hours)
            inside = {iid: c for iid, c in entry["incidents"].items() if start < facts.parse_time(c["time"]) <= latest_dt}
            return sum(c["best"] for c in inside.values()), inside

        # The window first slides to the new latest time: a rule whose total fell
        # below its threshold is re-armed before this event's deaths are added.
        for rule in rules:
            episode = entry["episodes"].get(rule.id) or {"active": False, "alert": None}
            if episode["active"] and total_in(rule)[0] < rule.threshold:
                entry["episodes"][rule.id] = {"active": False, "alert": None}

        inc_time = facts.parse_time(incident["time"])
        if inc_time >= keep_from:
            place = incident["place"]
            entry["incidents"][incident["id"]] = {
                "key": incident["key"],
                "time": incident["time"],
                "best": incident["counts"]["best"],
                "lat": place.get("lat"),
                "lon": place.get("lon"),
            }

        alerts = []
        for rule in rules:
            total, inside = total_in(rule)
            episode = entry["episodes"].get(rule.id) or {"active": False, "alert": None}
            if total >= rule.threshold and not episode["active"]:
                start = latest_dt - timedelta(hours=rule.window_hours)
                alert = self._alert(event, rule, region, incident, inside, total, start, latest_dt)
                alerts.append(alert)
                entry["alerts"][alert["id"]] = alert
                entry["episodes"][rule.id] = {"active": True, "alert": alert["id"]}

        entry["events"][eid] = {"incident": incident["id"], "alerts": [a["id"] for a in alerts]}
        self._prune(entry, keep_from)
        self.table[region] = entry
        return alerts

    def _alert(self, event, rule, region, incident, inside, total, start, end) -> dict:
        records = [self.load_incident(region, c["key"]) for c in inside.values()]
        records = sorted((r for r in records if r), key=lambda r: (r["time"], r["id"]))
        # One report per incident (its strongest), for the largest incidents.
        top = [strongest(r["cited"], 1)[0] for r in records if r["cited"]]
        cited = strongest(top, self.rules.keep_reports)
        published = [p for r in records for p in (r["first_seen"], r["last_seen"]) if p]
        coords = [(c["lat"], c["lon"]) for c in inside.values() if c["lat"] is not None and c["lon"] is not None]
        place = {
            "name": incident["place"].get("admin1") or region,
            "canonical": incident["place"].get("admin1"),
            "geonames_id": None,
            "country_code": incident["country"],
            "admin1": incident["place"].get("admin1"),
            "admin1_code": incident["place"].get("admin1_code"),
            # Centre of the incidents behind the alert: a region has no single point.
            "lat": round(sum(c[0] for c in coords) / len(coords), 4) if coords else None,
            "lon": round(sum(c[1] for c in coords) / len(coords), 4) if coords else None,
            "precision": "admin1" if "/" in region else "country",
        }
        hours = rule.window_hours
        span = f"{hours:g} h"
        data = {
            "severity": rule.severity,
            "summary": f"{total} civilian{'s' if total != 1 else ''} killed in {region} within {span} across "
                       f"{len(inside)} incident{'s' if len(inside) != 1 else ''}",
            "rule": rule.id,
            "region": region,
            "country": incident["country"],
            "place": place,
            "counts": {"total": total, "incidents": len(inside), "threshold": rule.threshold},
            "window": {"hours": hours, "start": facts.rfc3339(start), "end": facts.rfc3339(end)},
            "incidents": [{"id": r["id"], "date": r["date"], "best": r["counts"]["best"]} for r in records],
            "evidence": [rep["evidence"] for rep in cited],
            "articles": articles_of(cited),
            "first_seen": min(published) if published else None,
            "last_seen": max(published) if published else None,
        }
        return envelope(
            id=stable_id("cw", "window", region, rule.id, event["event_id"]),
            type="civilian_deaths.window",
            subject=region,
            time=facts.rfc3339(end),
            data=data,
        )

    def _prune(self, entry: dict, keep_from: datetime) -> None:
        by_age = sorted(entry["incidents"].items(), key=lambda item: (item[1]["time"], item[0]))
        excess = len(by_age) - self.rules.window_max_incidents
        for n, (iid, c) in enumerate(by_age):
            if n >= excess and facts.parse_time(c["time"]) >= keep_from:
                break
            del entry["incidents"][iid]
        # The replay memory is bounded by count, not by event time: a replay after a
        # crash can span days of event time (a backlog), longer than any window.
        extra = len(entry["events"]) - self.rules.keep_event_ids
        if extra > 0:
            for eid in list(entry["events"])[:extra]:
                del entry["events"][eid]
        live = {a for rec in entry["events"].values() for a in rec["alerts"]}
        live |= {ep["alert"] for ep in entry["episodes"].values() if ep.get("alert")}
        kept = [aid for aid in entry["alerts"] if aid in live][-self.rules.replay_keep_alerts:]
        for aid in list(entry["alerts"]):
            if aid not in kept:
                del entry["alerts"][aid]
