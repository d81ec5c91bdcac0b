"""Hardening of the running service: live-feed connections per client address,
a /metrics token, the allow-list by port, and the retry budget pausing a subscriber."""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp
import pytest
from aiohttp import ClientSession

from delivery_testkit import (aid, API_KEY, apublish, delivery_config, make_alert, read_sse, read_topic,
                              running_receiver, running_service, wait_for, wait_ready)

pytestmark = pytest.mark.kafka

HEADERS = {"X-API-Key": API_KEY}
SECRET = "hardening-receiver-secret-1"
TOKEN = "scrape-token-0123456789abcdef"


def test_one_client_address_cannot_take_every_live_feed_connection(topics):
    settings = topics
    config = delivery_config(settings)  # the defaults: 200 in all, 10 per address
    assert (config.max_feed_clients, config.max_feed_clients_per_address) == (200, 10)

    async def scenario():
        # limit=0: the client's own pool (100 by default) must not be what caps the connections.
        async with running_service(config) as (base, _), ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http, \
                ClientSession(connector=aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))) as other:
            await wait_ready(http, base)
            async with contextlib.AsyncExitStack() as stack:
                async def connect():
                    return await stack.enter_async_context(http.get(base + "/alerts/stream"))

                # 200 connections from one address at once, as in the report.
                responses = await asyncio.gather(*(connect() for _ in range(200)))
                statuses = sorted(r.status for r in responses)
                assert statuses.count(200) == 10 and statuses.count(429) == 190
                assert all(r.headers.get("Retry-After") == "10" for r in responses if r.status == 429)

                # Another client still gets the live feed, and alerts on it.
                async with other.get(base + "/alerts/stream?backlog=0") as resp:
                    assert resp.status == 200
                    await apublish(settings.bootstrap_servers, config.alerts_topic, [make_alert(1)])
                    assert (await read_sse(resp, 1))[0]["id"] == aid(1)
                    async with http.get(base + "/metrics") as metrics:
                        text = await metrics.text()
                assert 'cw_feed_connections_refused_total{limit="per_address"} 190.0' in text
                assert "cw_feed_clients 11.0" in text

                # A closed connection frees its slot for the same address (the server
                # notices at its next write to it: an alert, or the 15 s ping).
                opened = next(r for r in responses if r.status == 200)
                opened.close()
                await apublish(settings.bootstrap_servers, config.alerts_topic, [make_alert(2)])

                async def reconnects():
                    async with http.get(base + "/alerts/stream") as resp:
                        return resp.status == 200
                await wait_for(reconnects, timeout=20, interval=0.2, what="a freed slot")

    asyncio.run(scenario())


def test_metrics_token_and_allow_list_by_port(topics):
    settings = topics

    async def scenario():
        async with running_receiver(SECRET) as receiver, ClientSession() as http:
            port = int(receiver.url.split(":")[2].split("/")[0])
            config = delivery_config(settings, metrics_token=TOKEN, webhook_allow_networks=(f"127.0.0.1:{port}",))
            async with running_service(config) as (base, _):
                await wait_ready(http, base)
                for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": TOKEN},
                                {"X-API-Key": API_KEY}, {"Authorization": "Bearer " + TOKEN + "x"}):
                    async with http.get(base + "/metrics", headers=headers) as resp:
                        assert resp.status == 401, headers
                        assert resp.headers["WWW-Authenticate"] == "Bearer"
                async with http.get(base + "/metrics", headers={"Authorization": "Bearer " + TOKEN}) as resp:
                    assert resp.status == 200 and "cw_subscriptions" in await resp.text()
                async with http.get(base + "/healthz") as resp:
                    assert resp.status == 200  # probes stay open

                # The allowed address and port works; the same address on the broker's port does not.
                kafka_port = settings.bootstrap_servers.rsplit(":", 1)[1]
                async with http.post(base + "/subscriptions", headers=HEADERS, json={
                        "url": f"http://127.0.0.1:{kafka_port}/", "secret": SECRET}) as resp:
                    assert resp.status == 400
                    assert "port" in (await resp.json())["error"]
                async with http.post(base + "/subscriptions", headers=HEADERS,
                                     json={"url": receiver.url, "secret": SECRET}) as resp:
                    assert resp.status == 201
                await apublish(settings.bootstrap_servers, config.alerts_topic, [make_alert(5)])
                await wait_for(lambda: receiver.ids == [aid(5)], timeout=30, what="delivery to the allowed port")

    asyncio.run(scenario())


def test_spent_retry_budget_pauses_the_subscriber(topics):
    settings = topics
    config = delivery_config(settings, retry_budget=1.0)
    alerts = [make_alert(n, subject="SY/Hama") for n in (21, 22, 23)]

    async def scenario():
        async with running_receiver(SECRET, fail_first=10**9, status=500) as receiver, \
                running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            async with http.post(base + "/subscriptions", headers=HEADERS,
                                 json={"url": receiver.url, "secret": SECRET}) as resp:
                sub = await resp.json()

            async def paused_and_drained():
                async with http.get(f"{base}/subscriptions/{sub['id']}", headers=HEADERS) as resp:
                    body = await resp.json()
                return body if body["status"] == "paused" and body["pending_deliveries"] == 0 else None

            await apublish(settings.bootstrap_servers, config.alerts_topic, alerts)
            body = await wait_for(paused_and_drained, timeout=30, what="pause after the retry budget")
            assert body["paused_reason"] == "retry_budget"
            tried = receiver.requests
            await asyncio.sleep(1.0)
            assert receiver.requests == tried  # no attempts while paused
            return sub

    sub = asyncio.run(scenario())
    dead = read_topic(settings.bootstrap_servers, config.dlq_topic, expect=3)
    assert [d["alert_id"] for d in dead] == [aid(21), aid(22), aid(23)]
    assert [d["reason"] for d in dead] == ["retry_budget", "paused", "paused"]
    assert all(d["subscription_id"] == sub["id"] for d in dead)
    assert [d["paused_reason"] for d in dead[1:]] == ["retry_budget", "retry_budget"]
