"""Subscription API on the real broker: persistence across a restart, auth,
validation, SSRF refusal at the API, bounded bodies, secrets never returned."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import ClientSession

from delivery_testkit import (aid, API_KEY, OTHER_KEY, apublish, delivery_config, make_alert, running_receiver,
                              running_service, wait_for, wait_ready)

pytestmark = pytest.mark.kafka

HEADERS = {"X-API-Key": API_KEY}
SECRET = "persisted-secret-abcdef"


def test_subscriptions_survive_a_restart_and_deletes_stick(topics):
    settings = topics
    config = delivery_config(settings)

    async def first_run(receiver_url):
        async with running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            created = []
            for filters in ({"regions": ["SY/Daraa"], "min_severity": "critical"},
                            {"bbox": [35.0, 32.0, 37.0, 34.0], "types": ["civilian_deaths.incident"]},
                            {}):
                async with http.post(base + "/subscriptions", headers=HEADERS,
                                     json={"url": receiver_url, "secret": SECRET, "filters": filters,
                                           "description": "restart test"}) as resp:
                    assert resp.status == 201
                    text = await resp.text()
                    assert SECRET not in text
                    created.append(json.loads(text))
            async with http.delete(f"{base}/subscriptions/{created[2]['id']}", headers=HEADERS) as resp:
                assert resp.status == 204
            async with http.delete(f"{base}/subscriptions/{created[2]['id']}", headers=HEADERS) as resp:
                assert resp.status == 404
            return created

    async def second_run(created, receiver):
        async with running_service(config) as (base, _), ClientSession() as http:
            await wait_ready(http, base)
            async with http.get(base + "/subscriptions", headers=HEADERS) as resp:
                text = await resp.text()
            assert SECRET not in text
            listed = json.loads(text)["subscriptions"]
            assert [s["id"] for s in listed] == [created[0]["id"], created[1]["id"]]
            assert listed[0]["filters"] == created[0]["filters"]
            assert listed[1]["filters"]["bbox"] == [35.0, 32.0, 37.0, 34.0]
            async with http.get(f"{base}/subscriptions/{created[2]['id']}", headers=HEADERS) as resp:
                assert resp.status == 404
            # The reloaded subscriptions are live, with their secrets: a matching alert
            # arrives signed with the secret given before the restart.
            await apublish(settings.bootstrap_servers, config.alerts_topic, [
                make_alert(21, "civilian_deaths.incident", "SY/Daraa", "critical", 32.6, 36.1),
                make_alert(22, "civilian_deaths.incident", "SY/Idlib", "warning", 35.9, 36.6),  # outside both
            ])
            await wait_for(lambda: len(receiver.accepted) >= 2, timeout=30, what="two deliveries")
            await asyncio.sleep(1.0)
            return receiver.ids

    async def scenario():
        async with running_receiver(SECRET) as receiver:
            created = await first_run(receiver.url)
            ids = await second_run(created, receiver)
            assert receiver.bad_signatures == 0
            return ids

    # Alert 21 matches both remaining subscriptions (region+critical, and bbox+type): two deliveries.
    assert asyncio.run(scenario()) == [aid(21), aid(21)]


def test_api_auth_validation_ssrf_and_body_limit(topics):
    config = delivery_config(topics, max_body_bytes=4096)

    async def scenario():
        async with running_service(config) as (base, app), ClientSession() as http:
            await wait_ready(http, base)
            ok = {"url": "http://127.0.0.1:9/hook", "secret": SECRET}

            async with http.post(base + "/subscriptions", json=ok) as resp:
                assert resp.status == 401
            async with http.post(base + "/subscriptions", json=ok, headers={"X-API-Key": "wrong-key"}) as resp:
                assert resp.status == 401
            async with http.get(base + "/subscriptions", headers={"X-API-Key": OTHER_KEY}) as resp:
                assert (await resp.json()) == {"subscriptions": []}

            for url in ("http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data",
                        "http://[::1]:8080/", "http://[::ffff:10.0.0.1]/x", "ftp://example.org/",
                        "http://user:pw@127.0.0.1/"):
                async with http.post(base + "/subscriptions", headers=HEADERS, json={**ok, "url": url}) as resp:
                    assert resp.status == 400, url
                    assert "error" in await resp.json()

            bad_bodies = [
                {**ok, "secret": "short"},
                {**ok, "filters": {"types": ["talks.maybe"]}},
                {**ok, "filters": {"countries": ["Syria"]}},
                {**ok, "filters": {"bbox": [0, 10, 5]}},
                {**ok, "filters": {"min_severity": "apocalyptic"}},
                {**ok, "surprise": 1},
                ["not", "an", "object"],
            ]
            for body in bad_bodies:
                async with http.post(base + "/subscriptions", headers=HEADERS, json=body) as resp:
                    assert resp.status == 400, body
            async with http.post(base + "/subscriptions", headers=HEADERS, data=b"{not json") as resp:
                assert resp.status == 400

            big = {**ok, "description": "x" * 100, "filters": {"regions": ["R" * 100] * 60}}
            async with http.post(base + "/subscriptions", headers=HEADERS, json=big) as resp:
                assert resp.status == 413

            async with http.post(base + "/subscriptions", headers=HEADERS, json=ok) as resp:
                assert resp.status == 201
                body = await resp.json()
                assert "secret" not in body and body["secret_set"] is True

            async with http.get(base + "/openapi.json") as resp:
                spec = await resp.json()
            assert spec["openapi"].startswith("3.")
            # Every API route the app serves is documented, with its method.
            routes = {(r.method.lower(), r.resource.canonical) for r in app.router.routes()
                      if r.method != "HEAD" and not r.resource.canonical.startswith("/static")}
            assert len(routes) >= 12
            for method, path in routes:
                assert method in spec["paths"].get(path, {}), (method, path)
            async with http.get(base + "/healthz") as resp:
                assert resp.status == 200

    asyncio.run(scenario())
