"""Alert-level evaluation: which alerts each labelled article should give, and how a run did.

Pure functions over plain values; running the worker (or the engine in-process)
is ``evaluation.stream``'s job.

Expected alerts per article, from its labels:
- ``talks.collapsed`` / ``talks.resumed``: from ``talks_status`` (a list gives both).
- ``civilian_deaths.incident``: when the labelled civilian toll reaches the incident
  rule's threshold. A labelled range that straddles the threshold ("up to 8" with a
  threshold of 5, or [3, 7]) counts either way: an alert there is neither true nor
  false, and its absence is not a miss.

Attribution: an alert belongs to every article its evidence or its article list
cites (an incident alert cites every report joined into the incident).
- Precision is per alert: an alert is true when at least one article it cites
  expects its type, "either" when the best of them straddles the threshold (left
  out of precision), false otherwise. False alerts are listed with the articles
  they cite.
- Recall is per expected (article, type) pair: found when an alert of that type
  cites the article. A talks change told by several outlets should give one alert
  (one per episode), which cites the first of them; so an expected talks alert is
  also found ("covered") when an alert of that type cites another article that
  expects it, about the same labelled country, published 0 to ``STORY_DAYS`` days
  earlier. Only articles with a real date cover or are covered. Otherwise it is a
  missed alert. Incident alerts cite every joined report, so they need no cover.
- ``civilian_deaths.window`` alerts sum deaths over a region, so no article is
  expected to give one (no recall); one is true when a cited article has any
  labelled civilian toll. Windows are left out of the "all" row.
- ``by_prefix`` counts articles, false alerts and missed alerts per first letter of
  the article id (the corpus codes its kinds so: g/w general news, t/u talks ...);
  a false alert counts once for each prefix among the articles it cites.

Stream order: articles go out in publication order (ties by id). An undated article
gets a date of its own after the last dated one, each a fixed step from the next,
so it cannot join another article's track or incident through its publication date.
"""

from __future__ import annotations

from datetime import date, timedelta

from .news import country_codes, status_list

TALKS_TYPES = {"collapsed": "talks.collapsed", "resumed": "talks.resumed"}
INCIDENT = "civilian_deaths.incident"
WINDOW = "civilian_deaths.window"
SCORED = ("talks.collapsed", "talks.resumed", INCIDENT)
# How far back an earlier article's talks alert covers a later article's same change:
# the re-arm period issue 9 gives the tracks (14 days by default).
STORY_DAYS = 14


def toll_bounds(labels: dict) -> tuple[int | None, int | None] | None:
    """(low, high) of the labelled civilian toll, None ends open; None when no toll is labelled."""
    rng = labels.get("civilian_deaths_range")
    best = labels.get("civilian_deaths")
    if rng:
        return rng[0], rng[1]
    if best is not None:
        return best, best
    return None


def incident_expected(labels: dict, threshold: int) -> bool | None:
    """True / False, or None when the labelled range straddles the threshold."""
    bounds = toll_bounds(labels)
    if bounds is None:
        return False
    low, high = bounds
    if low is not None and low >= threshold:
        return True
    if high is not None and high < threshold:
        return False
    return None


def expected_alerts(labels: dict, threshold: int) -> dict[str, bool | None]:
    states = set(status_list(labels.get("talks_status")))
    out: dict[str, bool | None] = {t: s in states for s, t in TALKS_TYPES.items()}
    out[INCIDENT] = incident_expected(labels, threshold)
    return out


def has_toll(labels: dict) -> bool:
    bounds = toll_bounds(labels)
    return bounds is not None and any(b for b in bounds)


def cited_articles(alert: dict) -> list[str]:
    """Article ids an alert cites (evidence first, then its article list), each once."""
    data = alert.get("data") or {}
    ids = [e.get("article_id") for e in data.get("evidence") or []]
    ids += [a.get("id") for a in data.get("articles") or []]
    out: list[str] = []
    for aid in ids:
        if aid and aid not in out:
            out.append(aid)
    return out


def _prefix(article_id: str) -> str:
    return article_id[:1] or "?"


def alert_support(alert: dict, expected: dict[str, dict], labels: dict[str, dict]) -> bool | None:
    """True when a cited article expects the alert's type, None when the best a cited article
    offers is "either way", False otherwise (a window alert: any cited article has a toll)."""
    cited = [a for a in cited_articles(alert) if a in labels]
    if alert["type"] == WINDOW:
        return any(has_toll(labels[a]) for a in cited)
    wants = [expected[a].get(alert["type"], False) for a in cited]
    if True in wants:
        return True
    return None if None in wants else False


def _tally() -> dict:
    return {"alerts": 0, "true": 0, "false": 0, "either": 0, "expected": 0, "found": 0, "covered": 0, "missed": 0}


def _rates(t: dict) -> dict:
    judged = t["true"] + t["false"]
    p = t["true"] / judged if judged else None
    r = t["found"] / t["expected"] if t["expected"] else None
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {**t, "precision": _round(p), "recall": _round(r), "f1": _round(f1)}


def _round(x):
    return None if x is None else round(x, 4)


def score_alerts(labels: dict[str, dict], alerts: list[dict], threshold: int,
                 dates: dict[str, str] | None = None) -> dict:
    """labels: {article id: labels} of the articles streamed; alerts: the run's alerts;
    dates: {article id: ISO date} of the articles that have a real publication date.

    Precision is per alert (true when an article it cites expects it); recall is per
    expected (article, type) pair (found when an alert of that type cites the article).
    """
    expected = {aid: expected_alerts(lab, threshold) for aid, lab in labels.items()}
    per = {t: _tally() for t in SCORED + (WINDOW,)}
    prefixes = {p: {"articles": 0, "false": 0, "missed": 0} for p in sorted({_prefix(a) for a in labels})}
    for aid in labels:
        prefixes[_prefix(aid)]["articles"] += 1
    false, unattributed = _judge_alerts(alerts, expected, labels, per, prefixes)
    missed = _find_expected(alerts, expected, per, prefixes, _Cover(labels, expected, dates or {}))
    total = {k: sum(per[t][k] for t in SCORED) for k in _tally()}
    return {
        "format": "alerts",
        "articles": len(labels),
        "threshold": threshold,
        "per_type": {k: _rates(v) for k, v in per.items()},
        "all": _rates(total),
        "false": false,
        "missed": missed,
        "unattributed": unattributed,
        "by_prefix": prefixes,
    }


def _judge_alerts(alerts, expected, labels, per, prefixes) -> tuple[list[dict], list[str]]:
    """Count each alert true / false / either in ``per``; the false ones and the unattributed ids."""
    false, unattributed = [], []
    for alert in alerts:
        t = per.setdefault(alert["type"], _tally())
        t["alerts"] += 1
        cited = [a for a in cited_articles(alert) if a in labels]
        if not cited:
            unattributed.append(alert["id"])
            continue
        ok = alert_support(alert, expected, labels)
        t["true" if ok else "either" if ok is None else "false"] += 1
        if ok is False:
            false.append({"alert_id": alert["id"], "type": alert["type"], "article_ids": cited,
                          "summary": (alert.get("data") or {}).get("summary")})
            for p in sorted({_prefix(a) for a in cited}):
                prefixes[p]["false"] += 1
    return false, unattributed


def _find_expected(alerts, expected, per, prefixes, cover: "_Cover") -> list[dict]:
    """Count each expected (article, type) found, covered or missed in ``per``; the missed ones."""
    cited_pairs = {(a, alert["type"]) for alert in alerts for a in cited_articles(alert)}
    missed = []
    for aid, exp in expected.items():
        for kind in (k for k, want in exp.items() if want is True):
            per[kind]["expected"] += 1
            if (aid, kind) in cited_pairs:
                per[kind]["found"] += 1
            elif kind in TALKS_TYPES.values() and cover.covered(aid, kind, cited_pairs):
                per[kind]["found"] += 1
                per[kind]["covered"] += 1
            else:
                per[kind]["missed"] += 1
                prefixes[_prefix(aid)]["missed"] += 1
                missed.append({"article_id": aid, "type": kind})
    return missed


class _Cover:
    """Whether an earlier article's alert stands for this article's same talks change."""

    def __init__(self, labels: dict[str, dict], expected: dict[str, dict], dates: dict[str, str]):
        self.expected = expected
        self.dates = {aid: date.fromisoformat(d[:10]) for aid, d in dates.items() if d}
        self.countries = {aid: country_codes(lab.get("country")) or {lab.get("country")} for aid, lab in labels.items()}

    def covered(self, aid: str, kind: str, cited_pairs: set) -> bool:
        if aid not in self.dates:
            return False
        for other, k in cited_pairs:
            if k != kind or other == aid or other not in self.dates or self.expected.get(other, {}).get(kind) is not True:
                continue
            if 0 <= (self.dates[aid] - self.dates[other]).days <= STORY_DAYS and self.countries[aid] & self.countries[other]:
                return True
        return False


def stream_dates(published: dict[str, str | None], today: date, *, step_days: int = 30,
                 min_step_days: int = 2) -> dict[str, str]:
    """Publication date (ISO) per article id; undated ones get their own dates after the last dated.

    The step between two undated articles is ``step_days``, shrunk to fit before
    ``today`` (publication times are capped at the worker's now), but never below
    ``min_step_days``: beyond the incident join (1 day) and the rolling windows (24 h).
    """
    dated = {aid: p[:10] for aid, p in published.items() if p}
    undated = sorted(aid for aid, p in published.items() if not p)
    out = dict(dated)
    if not undated:
        return out
    last = max((date.fromisoformat(d) for d in dated.values()), default=today - timedelta(days=step_days * (len(undated) + 1)))
    room = (today - last).days - 1
    step = max(min_step_days, min(step_days, room // (len(undated) + 1)))
    for n, aid in enumerate(undated, 1):
        out[aid] = (last + timedelta(days=step * n)).isoformat()
    return out


def stream_order(dates: dict[str, str]) -> list[str]:
    """Article ids in publication order, ties by id."""
    return sorted(dates, key=lambda aid: (dates[aid], aid))
