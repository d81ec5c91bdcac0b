"""Civilian-death incidents: several reports of one incident join, the best
supported toll counts (never the sum), thresholds -> one alert plus updates.

State lives in the ``incidents`` mapping under keys that start with the region:

* ``"{region}|index"``: ``{"latest": time, "incidents": {ikey: {"date", "place", "coarse", "kind", "time"}}}``
* ``"{region}|{ikey}"``: the incident record: the newest figure per source (at most
  ``keep_sources``), the reports it cites (at most ``keep_reports``, highest figures),
  totals, the last ``keep_event_ids`` applied event ids and the last ``replay.keep_alerts`` alerts.

``ikey`` is ``date|place|kind`` of the incident's first report.

Bounded by construction: every list and map above has a count limit and every
stored text is cut at ``max_text_chars``, so one incident's value stays far below
Kafka's record limit however many outlets report it (a changelog record over the
limit stops the worker at every restart). The region index keeps at most
``max_per_region`` incidents (the oldest are forgotten first).

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
from .bounds import cut, cut_report, cut_where
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
        record = self.table.get(f"{region}|{ikey}")
        if record is not None and "applied" not in record:
            record = self._upgrade(record)
        return record

    def _upgrade(self, old: dict) -> dict:
        """A record written before the size bounds (every report kept) in today's layout,
        so that state recovered from an older worker's changelog goes on counting."""
        record = {k: v for k, v in old.items() if k != "reports"}
        record.update(sources={}, source_total=0, report_total=0, cited=[], first_seen=None, last_seen=None, applied=[])
        reports = sorted(old["reports"].items(), key=lambda item: (item[1]["published"], item[0]))
        for eid, rep in reports:
            rep = cut_report(rep, self.rules.max_text_chars)
            _count_source(record, rep, self.rules.keep_sources)
            record["report_total"] += 1
            record["cited"] = strongest(record["cited"] + [rep], self.rules.keep_reports)
        record["applied"] = [eid for eid, _ in reports][-self.rules.keep_event_ids:]
        if reports:
            record["first_seen"], record["last_seen"] = reports[0][1]["published"], reports[-1][1]["published"]
        record["alerts"] = old["alerts"][-self.rules.replay_keep_alerts:]
        return record

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
            if eid in record["applied"]:
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
            # Index and record are two table writes: after a crash that kept only the
            # index's, the record must still learn the kind on replay.
            if kind is not None:
                meta["kind"] = meta["kind"] or kind
                record["kind"] = record["kind"] or kind
        else:
            ikey = f"{day}|{cut(place, self.rules.max_text_chars // 4) or '*'}|{kind or '*'}"
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
            "place": cut_where(facts.where(event), self.rules.max_text_chars),
            "sources": {},
            "source_total": 0,
            "report_total": 0,
            "cited": [],
            "first_seen": None,
            "last_seen": None,
            "applied": [],
            "counts": None,
            "alerted": None,
            "alerts": [],
        }

    def _add_report(self, record: dict, event: dict, qty: dict, now: datetime) -> None:
        limit = self.rules.max_text_chars
        art = facts.article(event)
        published = facts.rfc3339(facts.published(event, now))
        report = cut_report({
            "source": art["source"] or art["id"],
            "published": published,
            "counts": qty,
            "article": art,
            "evidence": facts.evidence(event),
        }, limit)
        _count_source(record, report, self.rules.keep_sources)
        record["report_total"] += 1
        record["first_seen"] = min(filter(None, [record["first_seen"], published]))
        record["last_seen"] = max(filter(None, [record["last_seen"], published]))
        # The strongest reports of all are the strongest of the kept ones plus the new one.
        record["cited"] = strongest(record["cited"] + [report], self.rules.keep_reports)
        record["applied"] = (record["applied"] + [event["event_id"]])[-self.rules.keep_event_ids:]
        # A place named precisely (with coordinates) beats a coarse first report.
        w = facts.where(event)
        if record["place"].get("lat") is None and w.get("lat") is not None and w.get("precision") not in facts.COARSE_PRECISIONS:
            record["place"] = cut_where(w, limit)
        record["counts"] = _best_counts(record["sources"].values())

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
        # Only the newest alerts are kept: a replay after a crash reaches back seconds,
        # and an incident rarely gets several revisions between two offset commits.
        record["alerts"] = (record["alerts"] + [{"event_id": eid, "alert": alert}])[-self.rules.replay_keep_alerts:]
        return [alert]

    def _alert(self, record, severity, rule_id, rule_ids, revision, prev) -> dict:
        counts = dict(record["counts"])
        cited = record["cited"]
        sources = sorted(s for s in record["sources"] if s)
        place = record["place"]
        where = place.get("canonical") or place.get("name") or place.get("admin1") or record["region"]
        kind = f" in {record['kind'].replace('_', ' ')}" if record["kind"] else ""
        noun = "civilian" if counts["best"] == 1 else "civilians"
        n = max(record["source_total"], len(sources))
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
                "reports": record["report_total"],
            },
            "evidence": [rep["evidence"] for rep in cited],
            "articles": articles_of(cited),
            "first_seen": record["first_seen"],
            "last_seen": record["last_seen"],
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
        by_age = sorted(index["incidents"].items(), key=lambda item: (item[1]["time"], item[0]))
        excess = len(by_age) - self.rules.max_incidents_per_region
        for n, (ikey, meta) in enumerate(by_age):
            if n >= excess and facts.parse_time(meta["time"]) >= horizon:
                break
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


def _count_source(record: dict, report: dict, keep: int) -> None:
    """Per source the newest article's figure (reports of one article at the same
    time merge: a sub-group figure is smaller and changes nothing). Past ``keep``
    sources the one with the lowest figure is forgotten: it cannot be the toll
    unless every higher source later revises below it."""
    sources = record["sources"]
    counts, published = report["counts"], report["published"]
    name = report["source"] or ""  # a JSON key: None would come back as "null"
    cur = sources.get(name)
    if cur is None:
        record["source_total"] += 1
        sources[name] = {"published": published, **counts}
    elif published > cur["published"]:
        sources[name] = {"published": published, **counts}
    elif published == cur["published"]:
        for k in ("low", "high", "best"):
            cur[k] = max(cur[k], counts[k])
    while len(sources) > keep:
        weakest = min(sources, key=lambda s: (sources[s]["best"], sources[s]["published"], s))
        del sources[weakest]


def _best_counts(sources) -> dict:
    """Largest of the per-source figures, each source's newest article winning."""
    chosen = list(sources)
    best = max(c["best"] for c in chosen)
    low = min(max(c["low"] for c in chosen), best)
    high = max(max(c["high"] for c in chosen), best)
    return {"low": low, "high": high, "best": best}
