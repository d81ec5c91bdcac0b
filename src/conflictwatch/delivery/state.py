"""Dashboard state derived from the alerts alone (pure functions).

* Negotiation tracks: the newest talks alert of each track (by the day of its
  transition) gives its state (its ``current_state`` when present).
* Civilian deaths per region in the current window: incidents (best toll of the
  newest revision of each incident) whose time falls in the window that ends at
  the newest civilian-deaths alert; a window alert's total is shown beside it.
  Only incidents that alerted are known here, so the figure is a lower bound.

"Now" is the newest alert's own time, not the wall clock, so a replay of old
news still shows a meaningful window.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable, Mapping

DEFAULT_WINDOW_HOURS = 24.0


def parse_time(value) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        try:
            t = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _data(alert: Mapping) -> Mapping:
    data = alert.get("data")
    return data if isinstance(data, Mapping) else {}


def _place(data: Mapping) -> dict:
    place = data.get("place")
    if not isinstance(place, Mapping):
        return {}
    return {k: place.get(k) for k in ("name", "canonical", "country_code", "admin1", "lat", "lon")}


def track_states(alerts: Iterable[Mapping]) -> list[dict]:
    tracks: dict[str, dict] = {}
    for alert in alerts:
        if not str(alert.get("type", "")).startswith("talks."):
            continue
        data = _data(alert)
        track = data.get("track") if isinstance(data.get("track"), Mapping) else {}
        parties = [p for p in (track.get("parties") or []) if isinstance(p, str)]
        key = track.get("id") or alert.get("trackid") or f"{alert.get('subject')}|{'+'.join(sorted(parties))}"
        # current_state: the track's state after this alert, which differs from the
        # alert's own state when an earlier transition was reported late.
        state = track.get("current_state") or track.get("state") or str(alert["type"]).split(".", 1)[1]
        since = track.get("since") or alert.get("time")
        order = (str(since or ""), str(alert.get("time") or ""))
        current = tracks.get(key)
        if current is not None and current["_order"] > order:
            continue
        tracks[key] = {
            "_order": order, "track_id": key, "region": alert.get("subject"), "parties": parties,
            "state": state, "previous_state": track.get("previous_state"), "since": since,
            "alert_id": alert.get("id"), "summary": data.get("summary"), "severity": data.get("severity"),
            "place": _place(data),
        }
    rows = sorted(tracks.values(), key=lambda t: t["_order"], reverse=True)
    for row in rows:
        row.pop("_order")
    return rows


def deaths_by_region(alerts: Iterable[Mapping]) -> dict:
    incidents: dict[str, dict] = {}
    windows: dict[str, dict] = {}
    hours = DEFAULT_WINDOW_HOURS
    newest: datetime | None = None
    for alert in alerts:
        kind = alert.get("type")
        if kind not in ("civilian_deaths.incident", "civilian_deaths.window"):
            continue
        data = _data(alert)
        when = parse_time(alert.get("time"))
        if when is not None and (newest is None or when > newest):
            newest = when
        region = alert.get("subject") or data.get("region") or "unknown"
        if kind == "civilian_deaths.incident":
            incident = data.get("incident") if isinstance(data.get("incident"), Mapping) else {}
            key = incident.get("id") or alert.get("incidentid") or alert.get("id")
            revision = incident.get("revision") if isinstance(incident.get("revision"), int) else 0
            counts = data.get("counts") if isinstance(data.get("counts"), Mapping) else {}
            best = counts.get("best")
            prev = incidents.get(key)
            if prev is None or revision >= prev["revision"]:
                incidents[key] = {"region": region, "revision": revision, "best": best if isinstance(best, int) else 0,
                                  "time": when, "place": _place(data)}
        else:
            window = data.get("window") if isinstance(data.get("window"), Mapping) else {}
            if isinstance(window.get("hours"), (int, float)):
                hours = float(window["hours"])
            counts = data.get("counts") if isinstance(data.get("counts"), Mapping) else {}
            end = parse_time(window.get("end")) or when
            prev = windows.get(region)
            if prev is None or (end and prev["end"] and end >= prev["end"]):
                windows[region] = {"total": counts.get("total"), "end": end, "alert_id": alert.get("id"),
                                   "severity": data.get("severity")}
    regions: dict[str, dict] = {}
    start = newest - timedelta(hours=hours) if newest else None
    for inc in incidents.values():
        if start is not None and inc["time"] is not None and not (start <= inc["time"] <= newest):
            continue
        row = regions.setdefault(inc["region"], {"region": inc["region"], "incident_deaths": 0, "incidents": 0,
                                                 "window_alert_total": None, "place": inc["place"]})
        row["incident_deaths"] += inc["best"]
        row["incidents"] += 1
    for region, win in windows.items():
        if start is not None and win["end"] is not None and win["end"] < start:
            continue
        row = regions.setdefault(region, {"region": region, "incident_deaths": 0, "incidents": 0,
                                          "window_alert_total": None, "place": {}})
        row["window_alert_total"] = win["total"]
    for row in regions.values():
        row["deaths"] = max(row["incident_deaths"], row["window_alert_total"] or 0)
    return {
        "window_hours": hours,
        "window_start": start.isoformat().replace("+00:00", "Z") if start else None,
        "window_end": newest.isoformat().replace("+00:00", "Z") if newest else None,
        "regions": sorted(regions.values(), key=lambda r: (-r["deaths"], r["region"])),
    }


def dashboard_state(alerts: Iterable[Mapping]) -> dict:
    alerts = list(alerts)
    return {"tracks": track_states(alerts), "civilian_deaths": deaths_by_region(alerts), "alerts": len(alerts)}
