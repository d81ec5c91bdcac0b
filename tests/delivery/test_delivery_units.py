"""Pure-function tests: signatures, SSRF guard, API keys, filters, backoff,
offset tracking, dashboard state, logs."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import ipaddress
import json
import logging
import random

import pytest
from aiokafka import TopicPartition

from conflictwatch.delivery.errors import InvalidSubscription, UnsafeWebhookURL
from conflictwatch.logs import JsonFormatter
from conflictwatch.delivery.security import AllowRule, ApiKeys, check_webhook_url, parse_networks
from conflictwatch.delivery.signing import sign, signed_headers, verify, SIGNATURE_HEADER, TIMESTAMP_HEADER
from conflictwatch.delivery.state import dashboard_state
from conflictwatch.delivery.subscriptions import Filter, Subscription, new_subscription
from conflictwatch.delivery.webhooks import OffsetTracker, backoff_delay, retry_after_seconds

from delivery_testkit import aid, make_alert

SECRET = "a-shared-secret-of-some-length"


# ---------------------------------------------------------------- signatures

def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"id":"x"}'
    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1700000000, body) == "v1=" + expected


def test_verify_accepts_fresh_untampered_and_rejects_the_rest():
    body = b'{"id":"cw-1","data":{"summary":"x"}}'
    headers = signed_headers(SECRET, body, now=1_700_000_000)
    ts, sig = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    assert verify(SECRET, ts, sig, body, now=1_700_000_010)
    assert not verify(SECRET, ts, sig, body + b" ", now=1_700_000_010)           # body changed
    assert not verify("another-secret-entirely", ts, sig, body, now=1_700_000_010)
    assert not verify(SECRET, str(int(ts) + 1), sig, body, now=1_700_000_010)    # timestamp changed
    assert not verify(SECRET, ts, sig, body, now=1_700_000_000 + 301)            # replayed too late
    assert not verify(SECRET, None, sig, body) and not verify(SECRET, ts, "", body)
    assert not verify(SECRET, "yesterday", sig, body)
    # During a secret rotation the header may carry several signatures.
    assert verify(SECRET, ts, "v1=deadbeef, " + sig, body, now=1_700_000_000)


# ---------------------------------------------------------------- SSRF guard

def fake_resolver(table):
    async def resolve(host, port):
        return table.get(host, [])
    return resolve


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://127.1.2.3:8080/", "http://10.0.0.5/", "http://172.16.3.4/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fe80::1]/",
    "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/",
    "http://224.0.0.1/", "http://internal.example/",   # resolves to a private address
    "http://mixed.example/",                            # one public, one private address
])
def test_internal_webhook_targets_are_refused(url):
    resolve = fake_resolver({"internal.example": ["10.20.30.40"], "mixed.example": ["93.184.216.34", "192.168.0.9"]})
    with pytest.raises(UnsafeWebhookURL, match="loopback/private/link-local"):
        asyncio.run(check_webhook_url(url, (), resolve))


@pytest.mark.parametrize("url", [
    "ftp://example.org/x", "file:///etc/passwd", "gopher://example.org/", "http://user:pass@example.org/",
    "http:///nohost", "https://example.org:99999/", "", "http://" + "a" * 2050 + ".org/",
    "http://nowhere.example/",  # does not resolve
])
def test_malformed_or_unresolvable_urls_are_refused(url):
    from conflictwatch.delivery.errors import UnresolvableWebhookHost

    with pytest.raises(UnsafeWebhookURL) as caught:
        asyncio.run(check_webhook_url(url, (), fake_resolver({})))
    assert isinstance(caught.value, UnresolvableWebhookHost) == (url == "http://nowhere.example/")


def test_public_targets_pass_and_allowed_networks_open_exactly_what_they_name():
    resolve = fake_resolver({"hooks.example.org": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]})
    asyncio.run(check_webhook_url("https://hooks.example.org/cw", (), resolve))
    allow = parse_networks(["127.0.0.1/32"])
    asyncio.run(check_webhook_url("http://127.0.0.1:8123/hook", allow, resolve))
    with pytest.raises(UnsafeWebhookURL):
        asyncio.run(check_webhook_url("http://127.0.0.2/hook", allow, resolve))
    with pytest.raises(UnsafeWebhookURL):
        asyncio.run(check_webhook_url("http://10.0.0.1/hook", allow, resolve))
    assert parse_networks(["10.0.0.0/8", " "]) == (AllowRule(ipaddress.ip_network("10.0.0.0/8")),)


# ---------------------------------------------------------------- API keys and secrets

def test_api_keys_identify_an_owner_without_revealing_the_key():
    keys = ApiKeys(["k-one-0123456789", "k-two-0123456789"])
    one, two = keys.owner("k-one-0123456789"), keys.owner("k-two-0123456789")
    assert one and two and one != two
    assert "k-one" not in one
    assert keys.owner("k-one-012345678") is None and keys.owner("") is None and keys.owner(None) is None
    assert not ApiKeys([]).configured and ApiKeys([]).owner("anything") is None


def test_subscription_secret_never_in_public_view_or_repr():
    sub = new_subscription({"url": "https://h.example.org/x", "secret": SECRET}, "key-abc")
    assert SECRET not in json.dumps(sub.public()) and SECRET not in repr(sub)
    assert Subscription.from_record(sub.record()) == sub  # ...but it survives the topic round trip
    with pytest.raises(InvalidSubscription):
        new_subscription({"url": "https://h.example.org/x", "secret": "too-short"}, "key-abc")


def test_json_logs_redact_secret_fields():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("cw.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("hello", extra={"secret": SECRET, "subscription_id": "sub-1"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue())
    assert line["msg"] == "hello" and line["subscription_id"] == "sub-1" and line["secret"] == "[redacted]"
    assert SECRET not in stream.getvalue()


# ---------------------------------------------------------------- filters

def test_filter_matching():
    daraa = make_alert(1, "civilian_deaths.incident", "SY/Daraa", "warning", 32.6, 36.1)
    taiz = make_alert(2, "talks.collapsed", "YE/Taiz", "critical", 13.6, 44.0)
    nowhere = make_alert(3, "talks.resumed", "SY", "info", None, None)
    everything = Filter()
    assert all(everything.matches(a) for a in (daraa, taiz, nowhere))
    assert [a["id"] for a in (daraa, taiz, nowhere) if Filter(types=("talks",)).matches(a)] == [aid(2), aid(3)]
    assert Filter(types=("talks.resumed",)).matches(nowhere) and not Filter(types=("talks.resumed",)).matches(taiz)
    assert Filter(min_severity="warning").matches(daraa) and not Filter(min_severity="critical").matches(daraa)
    assert Filter(countries=("SY",)).matches(nowhere) and not Filter(countries=("SY",)).matches(taiz)
    assert Filter(regions=("ye/taiz",)).matches(taiz) and not Filter(regions=("SY/Idlib",)).matches(daraa)
    assert Filter(countries=("YE",), regions=("SY/Daraa",)).matches(daraa)  # either place criterion
    box = Filter(bbox=(35.0, 32.0, 37.0, 34.0))
    assert box.matches(daraa) and not box.matches(taiz) and not box.matches(nowhere)
    across = Filter(bbox=(170.0, -20.0, -170.0, 0.0))
    fiji = make_alert(4, subject="FJ", lat=-17.7, lon=178.0)
    assert across.matches(fiji) and not across.matches(daraa)
    assert not Filter(min_severity="info").matches({"id": "x", "type": "talks.resumed", "data": {"severity": "bogus"}})


def test_filter_from_query_and_validation():
    class Q(dict):
        def getall(self, name, default):
            return [self[name]] if name in self else default

    f = Filter.from_query(Q(types="talks,civilian_deaths.window", countries="sy", bbox="35,32,37,34",
                            min_severity="warning"))
    assert f.types == ("talks", "civilian_deaths.window") and f.countries == ("SY",)
    assert f.bbox == (35.0, 32.0, 37.0, 34.0) and f.min_severity == "warning"
    for bad in ({"bbox": [0, 50, 5, 10]}, {"bbox": [0, 1, 2, float("nan")]}, {"bbox": [True, 1, 2, 3]},
                {"types": "talks.maybe"}, {"countries": ["SYR"]}, {"regions": [""]}, {"colour": "red"}):
        with pytest.raises(InvalidSubscription):
            Filter.from_dict(bad)
    with pytest.raises(InvalidSubscription):
        Filter.from_query(Q(bbox="a,b,c,d"))


# ---------------------------------------------------------------- retry policy

def test_backoff_is_exponential_capped_and_jittered():
    rng = random.Random(7)
    delays = [backoff_delay(n, 1.0, 60.0, rng) for n in range(1, 12)]
    for n, d in enumerate(delays, start=1):
        base = min(60.0, 2 ** (n - 1))
        assert base * 0.5 <= d <= base
    assert max(delays) <= 60.0
    assert len({round(d, 6) for d in delays[7:]}) > 1  # capped delays still spread out
    assert retry_after_seconds("5") == 5.0 and retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") is None


def test_offset_tracker_commits_only_below_the_oldest_pending_alert():
    tp = TopicPartition("alerts", 0)
    t = OffsetTracker()
    t.add(tp, 0, 0)
    t.add(tp, 1, 2)   # two subscribers wait for offset 1
    t.add(tp, 2, 1)
    assert t.committable() == {tp: 1}
    t.done(tp, 2)
    t.done(tp, 1)
    assert t.committable() == {tp: 1}  # one subscriber still waits for offset 1
    t.done(tp, 1)
    assert t.committable() == {tp: 3}
    t.mark_committed({tp: 3})
    assert t.committable() == {}
    t.forget([tp])
    t.done(tp, 1)  # late completion after a revoke is ignored
    assert t.committable() == {}


# ---------------------------------------------------------------- dashboard state

def test_dashboard_state_tracks_and_window_deaths():
    track = {"id": "trk-1", "parties": ["Syrian government", "rebels"], "state": "collapsed"}
    alerts = [
        make_alert(1, "talks.collapsed", "SY/Daraa", time_="2024-03-01T09:00:00Z",
                   track={**track, "since": "2024-03-01", "previous_state": None}),
        make_alert(2, "talks.resumed", "SY/Daraa", "info", time_="2024-03-02T09:00:00Z",
                   track={**track, "state": "resumed", "since": "2024-03-02", "previous_state": "collapsed"}),
        make_alert(3, time_="2024-03-02T08:00:00Z", incident={"id": "inc-a", "revision": 0}, counts={"best": 7}),
        make_alert(4, time_="2024-03-02T08:00:00Z", incident={"id": "inc-a", "revision": 1}, counts={"best": 9}),
        make_alert(5, subject="SY/Idlib", time_="2024-03-02T12:00:00Z", incident={"id": "inc-b", "revision": 0},
                   counts={"best": 6}),
        make_alert(6, subject="SY/Idlib", time_="2024-02-20T12:00:00Z", incident={"id": "inc-old", "revision": 0},
                   counts={"best": 50}),  # long before the window
        make_alert(7, "civilian_deaths.window", "SY/Daraa", time_="2024-03-02T10:00:00Z",
                   counts={"total": 21, "incidents": 3, "threshold": 20},
                   window={"hours": 24, "start": "2024-03-01T10:00:00Z", "end": "2024-03-02T10:00:00Z"}),
    ]
    state = dashboard_state(alerts)
    assert [(t["state"], t["previous_state"], t["since"]) for t in state["tracks"]] == [("resumed", "collapsed", "2024-03-02")]
    assert state["tracks"][0]["track_id"] == alerts[0]["trackid"] == alerts[1]["trackid"]
    # Out-of-order arrival gives the same answer.
    assert dashboard_state(list(reversed(alerts)))["tracks"][0]["state"] == "resumed"
    deaths = {r["region"]: r for r in state["civilian_deaths"]["regions"]}
    assert deaths["SY/Daraa"]["incident_deaths"] == 9            # revised toll replaces, never adds
    assert deaths["SY/Daraa"]["deaths"] == 21                   # the window alert knows more incidents
    assert deaths["SY/Idlib"]["deaths"] == 6 and deaths["SY/Idlib"]["incidents"] == 1
    assert state["civilian_deaths"]["window_end"] == "2024-03-02T12:00:00Z"


def test_test_alerts_follow_the_alert_schema():
    """The delivery tests and the dashboard are built against the real contract."""
    from conflictwatch.schemas import validate
    from test_delivery_browser import scenario_alerts

    before, after = scenario_alerts()
    samples = [make_alert(1), make_alert(2, "talks.collapsed"), make_alert(3, "talks.resumed", "SY", "info", None, None),
               make_alert(4, "civilian_deaths.window", "IQ/Nineveh", "critical", 36.3, 43.1)] + before + after
    for alert in samples:
        validate("alert", alert)


def test_readme_verification_snippet_accepts_real_signatures_and_rejects_tampering():
    from pathlib import Path

    import conflictwatch.delivery as delivery

    readme = (Path(delivery.__file__).parent / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # the snippet a subscriber copies
    check = namespace["verify_conflictwatch"]
    body = json.dumps(make_alert(1)).encode()
    headers = signed_headers(SECRET, body)
    assert check(SECRET, headers, body)
    assert not check(SECRET, headers, body.replace(b"warning", b"critical"))
    assert not check("not-the-secret-at-all", headers, body)
    assert not check(SECRET, {**headers, TIMESTAMP_HEADER: str(int(headers[TIMESTAMP_HEADER]) - 3600)}, body)


def test_dns_failure_at_delivery_is_retried_but_an_internal_address_is_not(monkeypatch):
    from conflictwatch.delivery import webhooks
    from conflictwatch.delivery.config import DeliveryConfig
    from conflictwatch.delivery.errors import UnresolvableWebhookHost
    from conflictwatch.delivery.metrics import DeliveryMetrics

    dispatcher = webhooks.Dispatcher(DeliveryConfig(bootstrap_servers="unused:9092"), store=None,
                                     metrics=DeliveryMetrics())
    sub = new_subscription({"url": "https://hooks.example.org/x", "secret": SECRET}, "key-1")
    item = webhooks.DeliveryItem(alert_id=aid(1), alert_type="talks.resumed", body=b"{}", done=lambda: None)

    async def no_dns(url, allow):
        raise UnresolvableWebhookHost("webhook host 'hooks.example.org' does not resolve")

    async def rebound(url, allow):
        raise UnsafeWebhookURL("webhook host 'hooks.example.org' resolves to a loopback/private/link-local address")

    monkeypatch.setattr(webhooks, "check_webhook_url", no_dns)
    result = asyncio.run(dispatcher._attempt(sub, item, 1))
    assert not result.ok and not result.permanent
    monkeypatch.setattr(webhooks, "check_webhook_url", rebound)
    result = asyncio.run(dispatcher._attempt(sub, item, 1))
    assert not result.ok and result.permanent


def test_a_late_reported_earlier_transition_does_not_change_the_current_track_state():
    track = {"id": "trk-2", "parties": ["A", "B"]}
    resumed = make_alert(1, "talks.resumed", "YE/Taiz", "info", time_="2024-05-02T09:00:00Z",
                         track={**track, "state": "resumed", "since": "2024-05-02", "previous_state": None})
    late_collapse = make_alert(2, "talks.collapsed", "YE/Taiz", time_="2024-05-01T09:00:00Z",
                               track={**track, "state": "collapsed", "since": "2024-05-01", "previous_state": None,
                                      "current_state": "resumed"})
    for order in ([resumed, late_collapse], [late_collapse, resumed], [late_collapse]):
        (row,) = dashboard_state(order)["tracks"]
        assert row["state"] == "resumed"


def test_feed_refuses_ids_that_would_break_sse_framing():
    from conflictwatch.delivery.feed import AlertFeed, is_alert, sse_event

    assert is_alert(make_alert(1))
    assert not is_alert({**make_alert(1), "id": "cw-1\ndata: forged"})
    assert not is_alert({**make_alert(1), "id": ""}) and not is_alert({"id": "x"}) and not is_alert([1])

    async def run():
        feed = AlertFeed("unused:9092", "alerts", size=10)
        assert feed.add(make_alert(1)) and not feed.add(make_alert(1))
        (item,) = feed.after(0)
        return sse_event(item).decode()

    text = asyncio.run(run())
    assert text.startswith(f"id: {aid(1)}\nevent: alert\ndata: {{") and text.endswith("}\n\n")
    assert text.count("\n") == 4  # the alert is one data line, whatever its text holds


def test_openapi_schemas_agree_with_what_the_service_accepts_and_returns():
    from pathlib import Path

    from jsonschema import Draft202012Validator

    import conflictwatch.delivery as delivery

    doc = json.loads((Path(delivery.__file__).parent / "static" / "openapi.json").read_text())

    def validator(name):
        return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": doc["components"]})

    request = validator("SubscriptionRequest")
    good = [{"url": "https://h.example.org/x", "secret": SECRET},
            {"url": "https://h.example.org/x", "secret": SECRET, "description": "desk",
             "filters": {"types": ["talks"], "countries": ["SY"], "regions": ["SY/Daraa"],
                         "bbox": [35, 32, 37, 34], "min_severity": "critical"}}]
    bad = [{"url": "https://h.example.org/x", "secret": "short"},
           {"url": "https://h.example.org/x", "secret": SECRET, "filters": {"min_severity": "apocalyptic"}},
           {"url": "https://h.example.org/x", "secret": SECRET, "filters": {"types": ["talks.maybe"]}},
           {"url": "https://h.example.org/x", "secret": SECRET, "surprise": 1},
           {"secret": SECRET}]
    for body in good:
        assert request.is_valid(body), body
        new_subscription(body, "key-1")  # and the service takes it
    for body in bad:
        assert not request.is_valid(body), body
        with pytest.raises(InvalidSubscription):
            new_subscription(body, "key-1")
    public = new_subscription(good[1], "key-1").public()
    validator("Subscription").validate(public)
    validator("Alert").validate(make_alert(1))
    record = {"subscription_id": "sub-1", "alert_id": aid(1), "alert_type": "talks.resumed", "attempt": 2,
              "status": "retrying", "http_status": 503, "error": "HTTP 503", "duration_ms": 3.2,
              "at": "2024-01-01T00:00:00.000Z", "next_retry_in": 1.5}
    validator("Delivery").validate(record)
