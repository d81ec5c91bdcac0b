"""Civilian-death incidents: several reports of one incident join, the best
supported toll counts (never the sum), thresholds -> one alert plus updates.

State lives in the ``incidents`` mapping under keys that start with the region:

* ``"{region}|index"``: ``{"latest": time, "incidents": {ikey: {"date", "place", "coarse", "kind", "time"}}}``
* ``"{region}|{ikey}"``: the incident record (reports by event id, counts, alerts sent).

``ikey`` is ``date|place|kind`` of the incident's first report.

Joining. A counted civilian_deaths report joins an existing incident of the same
region when the dates are at most ``join_days`` apart, the places are the same
(GeoNames id, else the canonical name) or either place is coarse (admin1 or
country precision, or unknown), and the kinds (event subtype: air_strike,
shelling ...) are equal or either is unknown. Among several candidates the one
with the same place, then the same kind, then the nearest date wins.

Toll. Per source (outlet, else article) the newest article's figure counts (a
revision replaces that outlet's earlier figure); the incident's best is the
largest of those per-source figures. Several outlets repeating a number never
add up.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import MutableMapping

from . import facts
from .citations import articles_of, strongest
from .cloudevents import envelope, stable_id
from .rules import Rules, severity_rank


class IncidentBook:
    def __init__(self, rules: Rules, table: MutableMapping):
        self.rules = rules
        self.table = table

    @staticmethod
    def index_key(region: str) -> str:
        return f"{region}|index"

    def get(self, region: str, ikey: str) -> dict | None:
        return self.table.get(f"{region}|{ikey}")

    def process(self, event: dict, now: datetime) -> tuple[list[dict], dict | None]:
        """(alerts, incident record after the event) for one counted civilian_deaths event."""
        qty = facts.quantity(event)
        if qty is None:
            return [], None  # "civilians were killed" without a figure: nothing to count
        region = event["region"]
        eid = event["event_id"]
        index = self.table.get(self.index_key(region)) or {"latest": None, "incidents": {}}
        day = facts.event_date(event, now).isoformat()
        when = facts.rfc3339(facts.event_time(event, now))
        place, coarse = facts.place_key(event)
        kind = facts.kind(event)

        candidates = []
        for ikey, meta in index["incidents"].items():
            if facts.day_diff(meta["date"], day) > self.rules.join_days:
                continue
            record = self.get(region, ikey)
            if record is None:
                continue
            if eid in record["reports"]:
                # Replay after a crash: the same event, the same alerts.
                return [a["alert"] for a in record["alerts"] if a["event_id"] == eid], record
            if not _compatible(meta, place, coarse, kind):
                continue
            score = (
                1 if (place is not None and not coarse and meta["place"] == place) else 0,
                1 if (kind is not None and meta["kind"] == kind) else 0,
                -facts.day_diff(meta["date"], day),
                ikey,
            )
            candidates.append((score, ikey, record))

        if candidates:
            _, ikey, record = max(candidates, key=lambda c: c[0])
            # A precise report refines a vague incident, so that a report from another
            # town the same day no longer joins it.
            meta = index["incidents"][ikey]
            if meta["coarse"] and not coarse:
                meta["place"], meta["coarse"] = place, False
            if meta["kind"] is None and kind is not None:
                meta["kind"] = kind
                record["kind"] = kind
        else:
            ikey = f"{day}|{place or '*'}|{kind or '*'}"
            record = self._new_record(event, region, ikey, day, when, kind)
            index["incidents"][ikey] = {"date": day, "place": place, "coarse": coarse, "kind": kind, "time": when}

        self._add_report(record, event, qty, now)
        alerts = self._evaluate(record, eid)
        self.table[f"{region}|{ikey}"] = record

        latest = max(filter(None, [index["latest"], when]))
        index["latest"] = latest
        self._prune(region, index, latest)
        self.table[self.index_key(region)] = index
        return alerts, record

    def _new_record(self, event: dict, region: str, ikey: str, day: str, when: str, kind: str | None) -> dict:
        return {
            "id": stable_id("inc", region, ikey),
            "key": ikey,
            "region": region,
            "country": facts.country(event),
            "date": day,
            "time": when,
            "kind": kind,
            "place": facts.where(event),
            "reports": {},
            "counts": None,
            "alerted": None,
            "alerts": [],
        }

    def _add_report(self, record: dict, event: dict, qty: dict, now: datetime) -> None:
        art = facts.article(event)
        record["reports"][event["event_id"]] = {
            "source": art["source"] or art["id"],
            "published": facts.rfc3339(facts.published(event, now)),
            "counts": qty,
            "article": art,
            "evidence": facts.evidence(event),
        }
        # A place named precisely (with coordinates) beats a coarse first report.
        w = facts.where(event)
        if record["place"].get("lat") is None and w.get("lat") is not None and w.get("precision") not in facts.COARSE_PRECISIONS:
            record["place"] = w
        record["counts"] = _best_counts(record["reports"].values())

    def _evaluate(self, record: dict, eid: str) -> list[dict]:
        best = record["counts"]["best"]
        matched = [
            r for r in self.rules.of_kind("incident")
            if r.applies_to(record["region"], record["country"]) and best >= r.threshold
        ]
        if not matched:
            return []
        severity = max((r.severity for r in matched), key=severity_rank)
        rule_ids = sorted(r.id for r in matched)
        prev = record["alerted"]
        if prev is not None:
            crossed = not set(rule_ids) <= set(prev["rules"])
            graver = severity_rank(severity) > severity_rank(prev["severity"])
            ratio = self.rules.update_min_increase
            risen = ratio is not None and best > prev["best"] and best >= prev["best"] * (1 + ratio)
            if not (crossed or graver or risen):
                return []
        revision = 0 if prev is None else prev["revision"] + 1
        top = max(matched, key=lambda r: (r.threshold, severity_rank(r.severity)))
        alert = self._alert(record, severity, top.id, rule_ids, revision, prev)
        record["alerted"] = {"best": best, "severity": severity, "rules": rule_ids, "revision": revision}
        record["alerts"].append({"event_id": eid, "alert": alert})
        return [alert]

    def _alert(self, record, severity, rule_id, rule_ids, revision, prev) -> dict:
        counts = dict(record["counts"])
        reports = sorted(record["reports"].values(), key=lambda r: (r["published"], r["evidence"]["event_id"]))
        cited = strongest(reports)
        sources = sorted({rep["source"] for rep in reports if rep["source"]})
        place = record["place"]
        where = place.get("canonical") or place.get("name") or place.get("admin1") or record["region"]
        kind = f" in {record['kind'].replace('_', ' ')}" if record["kind"] else ""
        noun = "civilian" if counts["best"] == 1 else "civilians"
        n = len(sources)
        tail = f"{record['date']} ({n} source{'s' if n != 1 else ''})"
        if prev is None:
            summary = f"{counts['best']} {noun} killed{kind} in {where}, {record['region']}, on {tail}"
        else:
            summary = f"Toll revised to {counts['best']} (was {prev['best']}): {noun} killed{kind} in {where}, {record['region']}, on {tail}"
        data = {
            "severity": severity,
            "summary": summary,
            "rule": rule_id,
            "rules": rule_ids,
            "region": record["region"],
            "country": record["country"],
            "place": place,
            "counts": counts,
            "previous_best": prev["best"] if prev else None,
            "incident": {
                "id": record["id"],
                "date": record["date"],
                "kind": record["kind"],
                "revision": revision,
                "sources": sources,
                "reports": len(reports),
            },
            "evidence": [rep["evidence"] for rep in cited],
            "articles": articles_of(cited),
            "first_seen": reports[0]["published"],
            "last_seen": reports[-1]["published"],
        }
        return envelope(
            id=stable_id("cw", "incident", record["id"], revision, counts["best"], severity),
            type="civilian_deaths.incident",
            subject=record["region"],
            time=record["time"],
            data=data,
            extensions={"incidentid": record["id"], "revision": revision},
        )

    def _prune(self, region: str, index: dict, latest: str) -> None:
        horizon = facts.parse_time(latest) - timedelta(days=self.rules.retention_days)
        for ikey, meta in list(index["incidents"].items()):
            if facts.parse_time(meta["time"]) < horizon:
                del index["incidents"][ikey]
                try:
                    del self.table[f"{region}|{ikey}"]
                except KeyError:
                    pass


def _compatible(meta: dict, place: str | None, coarse: bool, kind: str | None) -> bool:
    if kind is not None and meta["kind"] is not None and kind != meta["kind"]:
        return False
    if coarse or meta["coarse"] or place is None or meta["place"] is None:
        return True
    return place == meta["place"]


def _best_counts(reports) -> dict:
    """Largest of the per-source figures, each source's newest article winning."""
    newest: dict[str, list] = {}
    for rep in reports:
        cur = newest.get(rep["source"])
        if cur is None or rep["published"] > cur[0]["published"]:
            newest[rep["source"]] = [rep]
        elif rep["published"] == cur[0]["published"]:
            cur.append(rep)
    chosen = [r["counts"] for reps in newest.values() for r in reps]
    best = max(c["best"] for c in chosen)
    low = min(max(c["low"] for c in chosen), best)
    high = max(max(c["high"] for c in chosen), best)
    return {"low": low, "high": high, "best": best}
