"""Hardening without a broker: allow-list entries per address and port, forged
signature headers (the library check and the README's snippet), config repr."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import conflictwatch.delivery as delivery
from conflictwatch.delivery.config import DeliveryConfig
from conflictwatch.delivery.errors import UnsafeWebhookURL
from conflictwatch.delivery.security import AllowRule, GuardedResolver, check_webhook_url, parse_allow_rule, parse_networks
from conflictwatch.delivery.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signed_headers, verify

from delivery_testkit import make_alert

SECRET = "hardening-secret-0123456789"
NOW = 1_700_000_000


def readme_verifier():
    readme = (Path(delivery.__file__).parent / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # exactly what a subscriber copies
    return namespace["verify_conflictwatch"]


# ---------------------------------------------------------------- allow-list with ports

@pytest.mark.parametrize("spec, network, port", [
    ("10.0.0.0/8", "10.0.0.0/8", None),
    ("127.0.0.1:8443", "127.0.0.1/32", 8443),
    ("10.1.2.0/24:443", "10.1.2.0/24", 443),
    (" 192.168.5.7 ", "192.168.5.7/32", None),
    ("::1", "::1/128", None),
    ("fd00::/8", "fd00::/8", None),
    ("[::1]:9000", "::1/128", 9000),
    ("[fd00::/8]:443", "fd00::/8", 443),
])
def test_allow_entries_parse_with_and_without_a_port(spec, network, port):
    assert parse_allow_rule(spec) == AllowRule(ipaddress.ip_network(network), port)


@pytest.mark.parametrize("spec", ["127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:https", "[::1]x", "[::1", "10.0.0.0/33",
                                  "127.0.0.1:²"])
def test_malformed_allow_entries_are_refused_at_start(spec):
    with pytest.raises(ValueError):
        parse_networks([spec])


def fake_resolver(table):
    async def resolve(host, port):
        return table.get(host, [])
    return resolve


def test_an_address_and_port_entry_opens_that_port_only():
    allow = parse_networks(["127.0.0.1:8443", "10.20.0.0/16:443"])
    resolve = fake_resolver({"hooks.internal": ["10.20.3.4"]})
    asyncio.run(check_webhook_url("http://127.0.0.1:8443/hook", allow, resolve))
    asyncio.run(check_webhook_url("https://hooks.internal/hook", allow, resolve))  # default port 443
    asyncio.run(check_webhook_url("http://[::ffff:127.0.0.1]:8443/hook", allow, resolve))  # same address, v6-mapped
    for url in ("http://127.0.0.1:9092/", "http://127.0.0.1/hook", "http://hooks.internal:9092/",
                "http://hooks.internal/", "http://127.0.0.2:8443/", "http://[::ffff:127.0.0.1]:9092/"):
        with pytest.raises(UnsafeWebhookURL, match="port"):
            asyncio.run(check_webhook_url(url, allow, resolve))


def test_connect_time_resolver_applies_the_port_too():
    class Inner:
        async def resolve(self, host, port, family):
            return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": family, "proto": 0, "flags": 0}]

    async def scenario():
        resolver = GuardedResolver(parse_networks(["127.0.0.1:8443"]))
        resolver._inner = Inner()  # a name re-pointed to loopback after the subscription was checked
        assert (await resolver.resolve("rebound.example", 8443))[0]["host"] == "127.0.0.1"
        with pytest.raises(OSError, match="internal address"):
            await resolver.resolve("rebound.example", 9092)

    asyncio.run(scenario())


def test_allow_entries_without_a_port_keep_their_old_meaning():
    allow = parse_networks(["127.0.0.1/32"])
    for port in (80, 8443, 9092):
        asyncio.run(check_webhook_url(f"http://127.0.0.1:{port}/", allow, fake_resolver({})))


# ---------------------------------------------------------------- signatures

FORGED_TIMESTAMPS = ["²", "¹⁷⁰⁰⁰⁰⁰⁰⁰⁰", "١٧٠٠٠٠٠٠٠٠", "１７００００００００", "1700000000²", " 1700000000", "+1700000000",
                     "-1", "1_700_000_000", "1700000000.0", "", "0x6553f100", "\u0000", "1700000000\n"]


@pytest.mark.parametrize("forged", FORGED_TIMESTAMPS)
def test_forged_timestamps_are_refused_without_raising(forged):
    body = json.dumps(make_alert(1)).encode()
    signature = sign(SECRET, "1700000000", body)
    check = readme_verifier()
    with_forged = {TIMESTAMP_HEADER: forged, SIGNATURE_HEADER: signature}
    assert check(SECRET, with_forged, body) is False
    assert verify(SECRET, forged, signature, body, now=NOW) is False


@pytest.mark.parametrize("forged", ["v1=é", "v1=" + "ß" * 64, "v1=\u202e" + "0" * 63, "\udcff", "v1=,v1=²"])
def test_forged_signatures_are_refused_without_raising(forged):
    body = b'{"id":"x"}'
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: forged}
    assert verify(SECRET, str(NOW), forged, body, now=NOW) is False
    assert readme_verifier()(SECRET, {**headers, TIMESTAMP_HEADER: signed_headers(SECRET, body)[TIMESTAMP_HEADER]},
                             body) is False


def test_readme_snippet_and_library_still_accept_real_and_rotated_signatures():
    body = json.dumps(make_alert(2)).encode()
    headers = signed_headers(SECRET, body)
    assert readme_verifier()(SECRET, headers, body) is True
    rotated = {**headers, SIGNATURE_HEADER: "v1=" + "0" * 64 + ", " + headers[SIGNATURE_HEADER]}
    assert readme_verifier()(SECRET, rotated, body) is True
    assert verify(SECRET, headers[TIMESTAMP_HEADER], rotated[SIGNATURE_HEADER], body) is True


@settings(max_examples=300, deadline=None)
@given(timestamp=st.text(max_size=24), signature=st.text(max_size=80), body=st.binary(max_size=64))
def test_any_header_text_gives_a_boolean_never_an_exception(timestamp, signature, body):
    check = readme_verifier()
    assert verify(SECRET, timestamp, signature, body) in (True, False)
    assert check(SECRET, {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature}, body) in (True, False)


# ---------------------------------------------------------------- config

def test_config_repr_hides_the_metrics_token_and_keys():
    config = DeliveryConfig(bootstrap_servers="x:9092", api_keys=("api-key-secret-1",), metrics_token="scrape-token-42")
    shown = repr(config)
    assert "scrape-token-42" not in shown and "api-key-secret-1" not in shown
    assert "metrics_token=<set>" in shown and "subscriber_queue_max=1000" in shown


# ---------------------------------------------------------------- per-subscriber progress

def test_progress_counts_only_finished_deliveries_per_subscriber_and_partition():
    from conflictwatch.delivery.webhooks import DeliveryLog

    log = DeliveryLog.__new__(DeliveryLog)  # the bookkeeping only, no topic view
    log._progress, log._records = {}, {}

    def record(sub, status, partition, offset):
        return {"subscription_id": sub, "status": status, "alert_partition": partition, "alert_offset": offset}

    log.note_progress(record("s1", "delivered", 0, 7))
    log.note_progress(record("s1", "retrying", 0, 9))        # not finished: still owed
    log.note_progress(record("s1", "dead_lettered", 1, 3))   # dead-lettered counts as done
    log.note_progress(record("s1", "delivered", 0, 5))       # an older record replayed later moves nothing back
    log.note_progress(record("s2", "delivered", 0, 2))
    log.note_progress({"subscription_id": "s2", "status": "delivered"})  # written before progress was recorded
    assert (log.done_through("s1", 0), log.done_through("s1", 1), log.done_through("s1", 2)) == (7, 3, -1)
    assert log.done_through("s2", 0) == 2
    log.forget("s1")
    assert log.done_through("s1", 0) == -1 and log.done_through("s2", 0) == 2


@pytest.mark.parametrize("name", ["subscriber_queue_max", "max_feed_clients", "max_feed_clients_per_address"])
def test_limits_below_one_are_refused(name):
    with pytest.raises(ValueError, match=name):
        DeliveryConfig(bootstrap_servers="x:9092", **{name: 0})


@pytest.mark.parametrize("remote, key", [
    ("203.0.113.9", "203.0.113.9"),
    ("2001:db8:1:2::10", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),   # same /64: same client
    ("2001:db8:1:3::10", "2001:db8:1:3::/64"),
    ("::ffff:203.0.113.9", "203.0.113.9"),
    ("fe80::1%eth0", "fe80::/64"),
    (None, "unknown"),
    ("not-an-address", "not-an-address"),
])
def test_feed_clients_are_counted_per_ipv4_address_or_ipv6_64(remote, key):
    from conflictwatch.delivery.security import client_key

    assert client_key(remote) == key
