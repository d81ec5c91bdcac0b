"""The whole worker on the real embedded broker: article in, events and alerts out."""

from __future__ import annotations

import json
import time
from collections import Counter
from importlib import resources

import pytest

from conflictwatch import topics as T

pytestmark = pytest.mark.kafka


def sample(article_id: str) -> dict:
    text = resources.files("conflictwatch.samples").joinpath("articles.jsonl").read_text()
    for line in text.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if obj.get("id") == article_id:
            return obj
    raise KeyError(article_id)


def alerts_of(records, kind):
    return [r for r in records if r["type"] == kind]


def test_design_example_gives_collapse_then_resume_and_six_civilian_deaths(kafka_topics, start_worker):
    worker = start_worker(kafka_topics.settings)
    kafka_topics.publish(sample("sample-daraa-talks"))

    def complete(records):
        types = [r["type"] for r in records]
        return "talks.resumed" in types and "civilian_deaths.incident" in types

    alerts = kafka_topics.wait_for(T.ALERTS, complete, worker=worker)
    talks = [r["type"] for r in alerts if r["type"].startswith("talks.")]
    assert talks == ["talks.collapsed", "talks.resumed"], "both transitions, in time order"
    deaths = alerts_of(alerts, "civilian_deaths.incident")
    assert len(deaths) == 1
    assert deaths[0]["data"]["counts"]["best"] == 6, "a woman and four children are inside the six"
    assert all(r["subject"].startswith("SY") for r in alerts)
    assert all(r["specversion"] == "1.0" for r in alerts)
    # Every alert carries its evidence from the article.
    for alert in alerts:
        body = sample("sample-daraa-talks")["body"]
        cited = alert["data"]["evidence"]
        assert cited and all(body[c["start"]:c["end"]] == c["sentence"] for c in cited)

    events = kafka_topics.records(T.EVENTS)
    assert {e["type"] for e in events} >= {"talks_collapsed", "talks_resumed", "civilian_deaths"}
    assert all(e["article"]["id"] == "sample-daraa-talks" for e in events)


def test_malformed_input_goes_to_dlq_and_the_worker_keeps_going(kafka_topics, start_worker):
    worker = start_worker(kafka_topics.settings)
    kafka_topics.publish(b"{this is not json", {"title": "no body"}, b"\xff\xfe\x00",
                         sample("sample-yemen-strike"))
    dlq = kafka_topics.wait_for(T.ARTICLES_DLQ, lambda r: len(r) >= 3, worker=worker)
    assert sorted(r["reason"] for r in dlq) == ["no_body", "not_json", "not_utf8"]
    assert all(r["source"]["topic"] == kafka_topics.settings.topic(T.ARTICLES_RAW) for r in dlq)
    alerts = kafka_topics.wait_for(T.ALERTS, lambda r: alerts_of(r, "civilian_deaths.incident"), worker=worker)
    assert alerts_of(alerts, "civilian_deaths.incident")[0]["data"]["counts"]["best"] == 12
    assert worker.proc.poll() is None, "the worker is still running"


def test_same_article_twice_gives_one_alert(kafka_topics, start_worker):
    worker = start_worker(kafka_topics.settings)
    article = sample("sample-yemen-strike")
    copy = dict(article, id="another-id-same-body")
    kafka_topics.publish(article, article, copy)
    alerts = kafka_topics.wait_for(T.ALERTS, lambda r: alerts_of(r, "civilian_deaths.incident"), worker=worker)
    # A later article as a marker: once its alerts are out, the copies published
    # before it have been consumed too (a few seconds of slack for other partitions).
    kafka_topics.publish(sample("sample-daraa-talks"))
    kafka_topics.wait_for(T.ALERTS, lambda r: alerts_of(r, "talks.resumed"), worker=worker)
    time.sleep(3)
    alerts = kafka_topics.records(T.ALERTS)
    ids = Counter(a["id"] for a in alerts)
    assert all(n == 1 for n in ids.values())
    # The marker has its own deaths alert (six in Syria); the Yemeni strike, sent
    # three times, must have exactly one.
    yemen = [a for a in alerts_of(alerts, "civilian_deaths.incident") if a["subject"].startswith("YE")]
    assert len(yemen) == 1
    # Whichever copy was consumed first is the one cited; the others were dropped.
    cited = [art["id"] for art in yemen[0]["data"]["articles"]]
    assert cited in (["sample-yemen-strike"], ["another-id-same-body"])


def _get(port: int, path: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _lag(metrics_text: str, topic: str) -> int | None:
    """Sum of cw_consumer_lag over the partitions of one topic, None when absent."""
    values = [float(line.rsplit(" ", 1)[1]) for line in metrics_text.splitlines()
              if line.startswith("cw_consumer_lag{") and f'topic="{topic}"' in line]
    return int(sum(values)) if values else None


def test_worker_health_readiness_lag_metrics_and_json_logs(kafka_topics, start_worker):
    from conflictwatch.broker.embedded import free_port_pair

    port = free_port_pair()
    settings = kafka_topics.settings.with_(web_port=port)
    worker = start_worker(settings)
    _until(lambda: _get(port, "/healthz")[0] == 200, 120, "/healthz")
    _until(lambda: _get(port, "/readyz")[0] == 200, 120, "/readyz")
    assert json.loads(_get(port, "/readyz")[1])["partitions"] > 0

    kafka_topics.publish(sample("sample-yemen-strike"))
    kafka_topics.wait_for(T.ALERTS, lambda r: alerts_of(r, "civilian_deaths.incident"), worker=worker)
    raw = settings.topic(T.ARTICLES_RAW)
    # The article is counted and, once Faust has committed, the group's lag is back to 0.
    seen = []

    def lag_is_zero():
        seen[:] = [_get(port, "/metrics")[1]]
        return seen[0] if _lag(seen[0], raw) == 0 else None

    try:
        text = _until(lag_is_zero, 60, "articles.raw lag 0 after commit")
    except AssertionError:
        lines = [ln for ln in (seen[0] if seen else "").splitlines() if "lag" in ln or "processed" in ln]
        raise AssertionError("lag never 0:\n" + "\n".join(lines) + "\n" + worker.log_tail(15)) from None
    assert "cw_articles_processed_total 1.0" in text
    assert _lag(text, settings.topic(T.EVENTS)) is not None

    records = [json.loads(line) for line in worker.log_path.read_text().splitlines() if line.startswith("{")]
    assert records and all({"ts", "level", "logger", "msg"} <= set(r) for r in records)
    assert any(r["logger"].startswith("conflictwatch") for r in records)
