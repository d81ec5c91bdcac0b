"""Webhook delivery end to end on the real broker: filters, retries, signatures,
per-subscriber order, exactly-once-per-alert arrival, delivery log, dead letters."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import ClientSession

from delivery_testkit import (aid, API_KEY, apublish, delivery_config, make_alert, read_topic, running_receiver,
                              running_service, wait_for, wait_ready)

pytestmark = pytest.mark.kafka

SECRET_A = "receiver-a-secret-0001"
SECRET_B = "receiver-b-secret-0002"
HEADERS = {"X-API-Key": API_KEY}


def test_receiver_failing_first_attempts_gets_each_matching_alert_once_in_order(topics):
    settings = topics
    config = delivery_config(settings)
    alerts = [
        make_alert(1, "civilian_deaths.incident", "SY/Daraa", "warning"),
        make_alert(2, "talks.resumed", "SY/Daraa", "info"),             # below A's min severity
        make_alert(3, "civilian_deaths.incident", "IQ/Nineveh", "critical", 36.3, 43.1),  # other country
        make_alert(4, "civilian_deaths.window", "SY/Idlib", "critical", 35.9, 36.6),
        make_alert(5, "talks.collapsed", "SY/Daraa", "warning"),
        make_alert(6, "civilian_deaths.incident", "SY/Daraa", "critical"),
        make_alert(7, "talks.collapsed", "YE/Taiz", "warning", 13.6, 44.0),
    ]
    want_a = [aid(1), aid(4), aid(5), aid(6)]
    want_b = [aid(2), aid(5), aid(7)]

    async def scenario():
        async with running_receiver(SECRET_A, fail_first=3) as rec_a, running_receiver(SECRET_B) as rec_b, \
                running_service(config) as (base, _app), ClientSession() as http:
            await wait_ready(http, base)
            async with http.post(base + "/subscriptions", headers=HEADERS, json={
                "url": rec_a.url, "secret": SECRET_A,
                "filters": {"countries": ["SY"], "min_severity": "warning"},
            }) as resp:
                assert resp.status == 201, await resp.text()
                sub_a = await resp.json()
            async with http.post(base + "/subscriptions", headers=HEADERS, json={
                "url": rec_b.url, "secret": SECRET_B, "filters": {"types": ["talks"]},
            }) as resp:
                assert resp.status == 201, await resp.text()
                sub_b = await resp.json()

            await apublish(settings.bootstrap_servers, config.alerts_topic, alerts, raw=[b"not json at all"])
            await wait_for(lambda: len(rec_a.accepted) >= len(want_a) and len(rec_b.accepted) >= len(want_b),
                           timeout=60, what="webhook deliveries")
            await asyncio.sleep(1.5)  # anything extra (a duplicate, a non-matching alert) would arrive now

            assert rec_a.failures == 3
            assert rec_a.bad_signatures == 0 and rec_b.bad_signatures == 0
            # Partition order is what Kafka guarantees; alerts of one region share a key,
            # hence a partition, so their order must be kept.
            assert sorted(rec_a.ids) == sorted(want_a)
            assert sorted(rec_b.ids) == sorted(want_b)
            daraa_a = [i for i in rec_a.ids if i in (aid(1), aid(5), aid(6))]
            assert daraa_a == [aid(1), aid(5), aid(6)]
            assert [a["id"] for _, a in rec_a.accepted] == rec_a.ids  # body is the alert itself

            async def log_complete():
                async with http.get(f"{base}/subscriptions/{sub_a['id']}/deliveries", headers=HEADERS) as resp:
                    body = await resp.json()
                delivered = {r["alert_id"] for r in body["deliveries"] if r["status"] == "delivered"}
                return body if delivered == set(want_a) else None

            body = await wait_for(log_complete, timeout=20, what="delivery log")
            retrying = [r for r in body["deliveries"] if r["status"] == "retrying"]
            assert len(retrying) == 3 and all(r["http_status"] == 503 for r in retrying)
            assert body["pending"] == 0

            # Someone else's key does not see or touch this subscription.
            async with http.get(f"{base}/subscriptions/{sub_a['id']}", headers={"X-API-Key": "other-key-9876543210"}) as resp:
                assert resp.status == 404

            async with http.get(base + "/metrics") as resp:
                text = await resp.text()
            assert "cw_webhook_delivered_total 7.0" in text
            assert 'cw_webhook_attempts_total{outcome="failed",status="503"} 3.0' in text
            assert "cw_delivery_alerts_invalid_total 1.0" in text
            assert sub_b["id"] != sub_a["id"]

    asyncio.run(scenario())


def test_delivery_dead_lettered_after_last_retry_and_queue_moves_on(topics):
    settings = topics
    config = delivery_config(settings, retry_max_attempts=3)
    alerts = [make_alert(11), make_alert(12)]

    async def scenario():
        async with running_receiver(SECRET_A, fail_first=10**6, status=500) as rec, \
                running_service(config) as (base, _app), ClientSession() as http:
            await wait_ready(http, base)
            async with http.post(base + "/subscriptions", headers=HEADERS,
                                 json={"url": rec.url, "secret": SECRET_A}) as resp:
                assert resp.status == 201
                sub = await resp.json()
            await apublish(settings.bootstrap_servers, config.alerts_topic, alerts)
            await wait_for(lambda: rec.requests >= 6, timeout=30, what="six attempts")

            async def both_dead():
                async with http.get(f"{base}/subscriptions/{sub['id']}/deliveries", headers=HEADERS) as resp:
                    body = await resp.json()
                return len([r for r in body["deliveries"] if r["status"] == "dead_lettered"]) == 2

            # The receiver counts a request before the service has seen the answer:
            # wait until the service has dead-lettered both before stopping it.
            await wait_for(both_dead, timeout=30, what="two dead letters in the delivery log")
            await asyncio.sleep(0.5)
            return sub, rec.requests

    sub, attempts = asyncio.run(scenario())
    assert attempts == 6  # 3 per alert, then the queue moved on
    dead = read_topic(settings.bootstrap_servers, config.dlq_topic, expect=2)
    assert [d["alert_id"] for d in dead] == [aid(11), aid(12)]
    assert all(d["reason"] == "max_attempts" and d["attempts"] == 3 and d["last_status"] == 500 for d in dead)
    assert all(d["subscription_id"] == sub["id"] and d["alert"]["id"] == d["alert_id"] for d in dead)
    log = read_topic(settings.bootstrap_servers, config.deliveries_topic, expect=6)
    assert [r["status"] for r in log if r["alert_id"] == aid(11)] == ["retrying", "retrying", "dead_lettered"]
    assert all("secret" not in r for r in log + dead)


def test_receiver_down_across_a_service_restart_gets_everything_once_back(topics):
    """The receiver is unreachable (connection refused) while the service retries,
    the service restarts meanwhile, then the receiver comes up: every alert
    arrives, in order, once."""
    from delivery_testkit import free_port

    settings = topics
    config = delivery_config(settings)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    alerts = [make_alert(n, subject="SY/Homs") for n in (31, 32, 33)]

    async def scenario():
        async with ClientSession() as http:
            async with running_service(config) as (base, _):
                await wait_ready(http, base)
                async with http.post(base + "/subscriptions", headers=HEADERS,
                                     json={"url": url, "secret": SECRET_A}) as resp:
                    assert resp.status == 201
                    sub = await resp.json()
                await apublish(settings.bootstrap_servers, config.alerts_topic, alerts)

                async def failing_twice():
                    async with http.get(f"{base}/subscriptions/{sub['id']}/deliveries", headers=HEADERS) as resp:
                        body = await resp.json()
                    return len([r for r in body["deliveries"] if r["status"] == "retrying"]) >= 2 and body

                body = await wait_for(failing_twice, timeout=30, what="failed attempts")
                assert all(r["http_status"] is None and "Connect" in r["error"] for r in body["deliveries"])
                assert body["pending"] == 3
            # Service stopped with three undelivered alerts; a new instance takes over.
            async with running_service(config) as (base, _):
                await wait_ready(http, base)
                await asyncio.sleep(1.0)  # still down: the new instance is retrying too
                async with running_receiver(SECRET_A, port=port) as receiver:
                    await wait_for(lambda: len(receiver.accepted) >= 3, timeout=30, what="deliveries after recovery")
                    await asyncio.sleep(1.5)
                    assert receiver.ids == [aid(31), aid(32), aid(33)]
                    assert receiver.bad_signatures == 0

                async def drained():
                    async with http.get(f"{base}/subscriptions/{sub['id']}", headers=HEADERS) as resp:
                        return (await resp.json())["pending_deliveries"] == 0
                await wait_for(drained, timeout=10, what="queue drained")

    asyncio.run(scenario())
