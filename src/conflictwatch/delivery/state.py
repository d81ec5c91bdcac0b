"""Dashboard state derived from the alerts alone (pure functions).

The dashboard shows nothing that is not in the alerts the feed holds, so a
panel can never contradict a card.

* Negotiation tracks, as timelines: every talks alert of a track, in the order
  of the transitions they report (``track.since``), with the track's parties,
  its mediators apart from the parties, its venue and its current state (the
  newest alert's ``current_state``: a transition reported late does not change
  it). Alerts from before the tracks rework (no ``mediators``/``venue``/
  ``current_state``) still give a row, only with less in it.
* Civilian deaths per region: for each region, the incidents of the window that
  ends at the region's newest civilian-deaths alert (the engine also windows per
  region, on the region's newest event). An incident is known from its incident
  alerts *and* from the ``incidents`` list of window alerts, which includes
  incidents below the incident threshold, so a region whose newest alert is a
  window alert shows exactly that alert's deaths and incidents. Per incident the
  highest toll any alert gave counts once (updates replace, never add).

"Now" is the newest alert's own time, not the wall clock, so a replay of old
news still shows a meaningful window.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable, Mapping

DEFAULT_WINDOW_HOURS = 24.0
DEATH_TYPES = ("civilian_deaths.incident", "civilian_deaths.window")


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


def rfc3339(t: datetime | None) -> str | None:
    return t.isoformat().replace("+00:00", "Z") if t else None


def _map(value) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _data(alert: Mapping) -> Mapping:
    return _map(alert.get("data"))


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _strings(value) -> list[str]:
    return [v for v in value if isinstance(v, str) and v.strip()] if isinstance(value, list) else []


def _place(data: Mapping) -> dict:
    place = _map(data.get("place"))
    return {k: place.get(k) for k in ("name", "canonical", "country_code", "admin1", "lat", "lon", "precision")}


# ---------------------------------------------------------------- tracks

def _track_key(alert: Mapping, track: Mapping) -> str:
    parties = sorted(_strings(track.get("parties")))
    return str(track.get("id") or alert.get("trackid") or f"{alert.get('subject')}|{'+'.join(parties)}")


def _transition(alert: Mapping, track: Mapping) -> dict:
    data = _data(alert)
    state = track.get("state") or str(alert.get("type", "")).split(".", 1)[-1]
    since = track.get("since") or str(alert.get("time") or "")[:10] or None
    return {
        "alert_id": alert.get("id"), "state": state, "since": since, "time": alert.get("time"),
        "previous_state": track.get("previous_state"), "current_state": track.get("current_state"),
        "rearmed": bool(track.get("rearmed")), "severity": data.get("severity"), "summary": data.get("summary"),
        "venue": _map(data.get("venue")).get("name"), "mediators": _strings(data.get("mediators")),
        "parties": _strings(track.get("parties")), "names": track.get("names"),
        "region": alert.get("subject"), "place": _place(data),
    }


def _order(step: dict) -> tuple:
    # The transition's own day first: a collapse reported late still sits before
    # the resumption that followed it.
    return (str(step["since"] or ""), str(step["time"] or ""), str(step["alert_id"] or ""))


def _timeline_row(track_id: str, steps: list[dict]) -> dict:
    steps.sort(key=_order)
    newest = steps[-1]
    parties = newest["parties"] or next((s["parties"] for s in reversed(steps) if s["parties"]), [])
    folded = {p.casefold() for p in parties}
    mediators: list[str] = []
    for step in steps:
        for m in step["mediators"]:
            if m.casefold() not in folded and m.casefold() not in {x.casefold() for x in mediators}:
                mediators.append(m)
    venues = [s["venue"] for s in steps if s["venue"]]
    return {
        "track_id": track_id, "region": newest["region"], "parties": parties,
        "names": newest["names"] if isinstance(newest["names"], str) else None,
        "mediators": mediators, "venue": venues[-1] if venues else None,
        # The latest transition is the current state (a late report of an earlier
        # one sorts before it); alone, a late report says the state it is in now.
        "state": newest["current_state"] or newest["state"],
        "since": newest["since"], "previous_state": newest["previous_state"],
        "alert_id": newest["alert_id"], "summary": newest["summary"], "severity": newest["severity"],
        "place": newest["place"],
        "timeline": [{k: s[k] for k in ("alert_id", "state", "since", "time", "rearmed", "severity", "summary",
                                                  "current_state")}
                     for s in steps],
    }


def track_timelines(alerts: Iterable[Mapping]) -> list[dict]:
    steps: dict[str, list[dict]] = {}
    for alert in alerts:
        if not str(alert.get("type", "")).startswith("talks."):
            continue
        track = _map(_data(alert).get("track"))
        key = _track_key(alert, track)
        known = steps.setdefault(key, [])
        if all(s["alert_id"] != alert.get("id") for s in known):
            known.append(_transition(alert, track))
    rows = [_timeline_row(key, s) for key, s in steps.items()]
    return sorted(rows, key=lambda r: _order(r["timeline"][-1]), reverse=True)


# ---------------------------------------------------------------- deaths

def _incident_entry(alert: Mapping, data: Mapping, when: datetime | None) -> tuple[str, int, datetime | None]:
    incident = _map(data.get("incident"))
    key = incident.get("id") or alert.get("incidentid") or alert.get("id")
    return str(key), _count(_map(data.get("counts")).get("best")), when


def _window_entries(data: Mapping) -> list[tuple[str, int, datetime | None]]:
    out = []
    for inc in data.get("incidents") or []:
        if isinstance(inc, Mapping) and inc.get("id"):
            out.append((str(inc["id"]), _count(inc.get("best")), parse_time(inc.get("date"))))
    return out


class _Region:
    def __init__(self, name: str):
        self.name = name
        self.end: datetime | None = None
        self.incidents: dict[str, dict] = {}
        self.window: dict | None = None
        self.place: dict = {}

    def see(self, when: datetime | None) -> None:
        if when is not None and (self.end is None or when > self.end):
            self.end = when

    def incident(self, key: str, best: int, when: datetime | None, window_id: str | None = None) -> None:
        """``when`` is exact from an incident alert; a window alert lists only the day."""
        inc = self.incidents.setdefault(key, {"best": 0, "time": None, "exact": False, "windows": set()})
        inc["best"] = max(inc["best"], best)
        if window_id:
            inc["windows"].add(window_id)
            if not inc["exact"] and when is not None and (inc["time"] is None or when > inc["time"]):
                inc["time"] = when
        elif when is not None:
            inc["time"], inc["exact"] = when, True

    def _inside(self, inc: dict, start: datetime | None, current: bool) -> bool:
        if current and self.window["alert_id"] in inc["windows"]:
            return True  # the newest window alert's own incidents were inside it by definition
        if current and not inc["exact"]:
            return False  # only a day known, and the window alert that counts left it out
        return inc["time"] is None or start is None or start < inc["time"] <= self.end

    def row(self, default_hours: float) -> dict:
        hours = float(self.window["hours"]) if self.window else default_hours
        start = self.end - timedelta(hours=hours) if self.end else None
        current = self.window is not None and self.window["end"] == self.end
        inside = {k: v for k, v in self.incidents.items() if self._inside(v, start, current)}
        return {
            "region": self.name, "deaths": sum(v["best"] for v in inside.values()), "incidents": len(inside),
            "incident_ids": sorted(inside), "window_hours": hours,
            "window_start": rfc3339(start), "window_end": rfc3339(self.end),
            "window_alert": self.window and {k: self.window[k] for k in ("alert_id", "total", "incidents")},
            "window_alert_current": current,
            "window_alert_total": self.window["total"] if self.window else None,
            "place": self.place,
        }


def _apply_death_alert(regions: dict[str, _Region], alert: Mapping) -> datetime | None:
    data = _data(alert)
    when = parse_time(alert.get("time"))
    name = str(alert.get("subject") or data.get("region") or "unknown")
    region = regions.setdefault(name, _Region(name))
    if not region.place:
        region.place = _place(data)
    if alert.get("type") == "civilian_deaths.incident":
        region.see(when)
        region.incident(*_incident_entry(alert, data, when))
        return when
    window = _map(data.get("window"))
    end = parse_time(window.get("end")) or when
    region.see(end)
    counts = _map(data.get("counts"))
    for key, best, day in _window_entries(data):
        region.incident(key, best, None if day is None else min(day + timedelta(hours=12), end or day),
                        str(alert.get("id")))
    # Of two window alerts with one end, the one counting more incidents came later.
    rank = (end or datetime.min.replace(tzinfo=timezone.utc), _count(counts.get("incidents")), _count(counts.get("total")))
    if region.window is None or rank >= region.window["rank"]:
        hours = window.get("hours")
        region.window = {"alert_id": alert.get("id"), "end": end, "rank": rank, "total": rank[2], "incidents": rank[1],
                         "hours": hours if isinstance(hours, (int, float)) and hours > 0 else DEFAULT_WINDOW_HOURS}
    return end


def deaths_by_region(alerts: Iterable[Mapping]) -> dict:
    regions: dict[str, _Region] = {}
    newest: datetime | None = None
    for alert in alerts:
        if alert.get("type") not in DEATH_TYPES:
            continue
        when = _apply_death_alert(regions, alert)
        if when is not None and (newest is None or when > newest):
            newest = when
    hours = max([r.window["hours"] for r in regions.values() if r.window] or [DEFAULT_WINDOW_HOURS])
    start = newest - timedelta(hours=hours) if newest else None
    rows = [r.row(DEFAULT_WINDOW_HOURS) for r in regions.values()
            # A region quiet since before the newest window shows nothing current.
            if start is None or r.end is None or r.end >= start]
    return {
        "window_hours": hours, "window_start": rfc3339(start), "window_end": rfc3339(newest),
        "regions": sorted((r for r in rows if r["incidents"]), key=lambda r: (-r["deaths"], r["region"])),
    }


def dashboard_state(alerts: Iterable[Mapping]) -> dict:
    alerts = list(alerts)
    return {"tracks": track_timelines(alerts), "civilian_deaths": deaths_by_region(alerts), "alerts": len(alerts)}
