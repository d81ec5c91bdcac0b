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
cites. Scoring is over (article, alert type) pairs: a cited pair the labels expect
is a true positive, a cited pair they do not expect is a false alert, an expected
pair no alert cites is a missed alert. ``civilian_deaths.window`` alerts sum deaths
over a region, so no single article is expected to give one; they are counted
apart, and one citing an article without any labelled civilian toll is unsupported
(and counted as a false alert for that article's id prefix).

Stream order: articles go out in publication order (ties by id). An undated article
gets a date of its own after the last dated one, each a fixed step from the next,
so it cannot join another article's track or incident through its publication date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .news import PRF, status_list

TALKS_TYPES = {"collapsed": "talks.collapsed", "resumed": "talks.resumed"}
INCIDENT = "civilian_deaths.incident"
WINDOW = "civilian_deaths.window"
SCORED = ("talks.collapsed", "talks.resumed", INCIDENT)


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


def attribute(alerts: Iterable[dict]) -> dict[tuple[str, str], list[str]]:
    """{(article id, alert type): [alert ids]} for every article an alert cites."""
    out: dict[tuple[str, str], list[str]] = {}
    for alert in alerts:
        for aid in cited_articles(alert):
            out.setdefault((aid, alert["type"]), []).append(alert["id"])
    return out


def _prefix(article_id: str) -> str:
    return article_id[:1] or "?"


def score_alerts(labels: dict[str, dict], alerts: list[dict], threshold: int) -> dict:
    """labels: {article id: labels} of the articles streamed; alerts: the run's alerts."""
    cited = attribute(alerts)
    per = {t: PRF() for t in SCORED}
    false, missed = [], []
    prefixes: dict[str, dict] = {}
    for aid, lab in labels.items():
        group = prefixes.setdefault(_prefix(aid), {"articles": 0, "false": 0, "missed": 0})
        group["articles"] += 1
        for kind, want in expected_alerts(lab, threshold).items():
            got = cited.get((aid, kind))
            if want is True and got:
                per[kind].tp += 1
            elif want is True:
                per[kind].fn += 1
                missed.append({"article_id": aid, "type": kind})
                group["missed"] += 1
            elif want is False and got:
                per[kind].fp += 1
                false.append({"article_id": aid, "type": kind, "alert_ids": got})
                group["false"] += 1
        window = cited.get((aid, WINDOW))
        if window and not has_toll(lab):
            false.append({"article_id": aid, "type": WINDOW, "alert_ids": window})
            group["false"] += 1
    total = PRF(*(sum(getattr(p, f) for p in per.values()) for f in ("tp", "fp", "fn")))
    known = set(labels)
    return {
        "format": "alerts",
        "articles": len(labels),
        "threshold": threshold,
        "alerts": _alert_counts(alerts),
        "per_type": {k: v.to_dict() for k, v in per.items()},
        "all": total.to_dict(),
        "false": false,
        "missed": missed,
        "unattributed": [a["id"] for a in alerts if not set(cited_articles(a)) & known],
        "by_prefix": dict(sorted(prefixes.items())),
    }


def _alert_counts(alerts: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in alerts:
        out[a["type"]] = out.get(a["type"], 0) + 1
    return dict(sorted(out.items()))


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
